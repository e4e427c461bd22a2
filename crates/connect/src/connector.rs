//! One connector, and the requests about it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::HeaderValue;

use confluent_connect_api as api;

use crate::alter::{AlterPhase, AlterRequest, AlterStatus, WaitOptions};
use crate::alter_check;
use crate::config::ConnectorConfig;
use crate::error::{Argument, Error};
use crate::fresh::FreshOffsets;
use crate::headers;
use crate::offsets::{ConnectorOffsets, GeneratedEntries, PartitionOffset};
use crate::path;
use crate::retry::Idempotency;
use crate::status::{ConnectorInfo, ConnectorStatus, TaskConfig};
use crate::transport::{Operation, Transport};

const GET_OFFSETS: Operation = Operation {
    id: "getConnectv1ConnectorOffsets",
    method: "GET",
    idempotency: Idempotency::Idempotent,
};
const ALTER_OFFSETS: Operation = Operation {
    id: "alterConnectv1ConnectorOffsetsRequest",
    method: "POST",
    idempotency: Idempotency::NotIdempotent,
};
const ALTER_STATUS: Operation = Operation {
    id: "getConnectv1ConnectorOffsetsRequestStatus",
    method: "GET",
    idempotency: Idempotency::Idempotent,
};
const STATUS: Operation = Operation {
    id: "readConnectv1ConnectorStatus",
    method: "GET",
    idempotency: Idempotency::Idempotent,
};
const READ: Operation = Operation {
    id: "readConnectv1Connector",
    method: "GET",
    idempotency: Idempotency::Idempotent,
};
const CONFIG: Operation = Operation {
    id: "getConnectv1ConnectorConfig",
    method: "GET",
    idempotency: Idempotency::Idempotent,
};
const PUT_CONFIG: Operation = Operation {
    id: "createOrUpdateConnectv1ConnectorConfig",
    method: "PUT",
    idempotency: Idempotency::Idempotent,
};
const PAUSE: Operation = Operation {
    id: "pauseConnectv1Connector",
    method: "PUT",
    idempotency: Idempotency::Idempotent,
};
const RESUME: Operation = Operation {
    id: "resumeConnectv1Connector",
    method: "PUT",
    idempotency: Idempotency::Idempotent,
};
const TASKS: Operation = Operation {
    id: "listConnectv1ConnectorTasks",
    method: "GET",
    idempotency: Idempotency::Idempotent,
};
const DELETE: Operation = Operation {
    id: "deleteConnectv1Connector",
    method: "DELETE",
    idempotency: Idempotency::Idempotent,
};

/// Sends the generated client's `$method` for this connector (its environment, cluster and
/// name as the path) through the transport as `$operation`, with `$setter($value)` builder
/// calls (a body) before `send`.
macro_rules! send_about_connector {
    ($self:ident, $operation:expr, $method:ident $(, $setter:ident($value:expr))*) => {
        $self
            .transport
            .execute($operation, &$self.connector_name, |api| {
                api.$method()
                    .environment_id($self.environment_id.as_str())
                    .kafka_cluster_id($self.kafka_cluster_id.as_str())
                    .connector_name($self.connector_name.as_str())
                    $(.$setter($value))*
                    .send()
            })
    };
}

/// A handle on one connector, from [`Client::connector`](crate::Client::connector).
///
/// Its arguments are checked when a request is made: an empty name, `.` or `..`, a backslash
/// or a control character is refused with [`Error::InvalidArgument`] and nothing is sent.
/// Other characters (`/`, `?`, `#`, `%`, spaces, non-ASCII) are percent-encoded and reach the
/// right connector.
#[derive(Debug, Clone)]
pub struct Connector {
    transport: Arc<Transport>,
    environment_id: String,
    kafka_cluster_id: String,
    connector_name: String,
}

impl Connector {
    pub(crate) fn new(
        transport: Arc<Transport>,
        environment_id: String,
        kafka_cluster_id: String,
        connector_name: String,
    ) -> Self {
        Self {
            transport,
            environment_id,
            kafka_cluster_id,
            connector_name,
        }
    }

    /// The connector's current offsets (`GET .../connectors/{connector_name}/offsets`).
    ///
    /// An answer without `offsets` (or with `"offsets": null`) is [`Error::MissingField`],
    /// never offsets with no entries: a connector without offsets is answered with
    /// `"offsets": []`.
    pub async fn offsets(&self) -> Result<ConnectorOffsets, Error> {
        self.read_offsets().await.map(|(offsets, _)| offsets)
    }

    /// Reads the offsets until the service observed them at most `max_age` before it answered,
    /// pausing between reads as `options` says, and returns the freshest offsets read and how
    /// old they were.
    ///
    /// The service observes offsets periodically, so an answer can be older than the
    /// connector's position by up to that period. The age of an answer is its `Date` (the
    /// service's clock; the local clock if it has none) less its
    /// [`observed_at`](ConnectorOffsets::observed_at). When the time limit comes first, the
    /// freshest answer is returned with [`FreshOffsets::fresh`] `false`, never as fresh; so it
    /// is when the age cannot be known (no `observed_at`, or one that is not a time), at once.
    /// An error reading the offsets is returned as it is.
    ///
    /// ```no_run
    /// # async fn example(connector: confluent_connect::Connector) -> Result<(), confluent_connect::Error> {
    /// use std::time::Duration;
    /// use confluent_connect::WaitOptions;
    ///
    /// let options = WaitOptions::default().with_timeout(Duration::from_secs(120));
    /// let read = connector.offsets_fresher_than(Duration::from_secs(60), options).await?;
    /// if !read.fresh {
    ///     eprintln!("warning: these offsets are {:?} old", read.age);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn offsets_fresher_than(
        &self,
        max_age: Duration,
        options: WaitOptions,
    ) -> Result<FreshOffsets, Error> {
        let started = Instant::now();
        let mut pause = options.initial_interval();
        let mut freshest: Option<FreshOffsets> = None;
        let mut reads = 0;
        loop {
            let (offsets, date) = self.read_offsets().await?;
            let date = date.as_ref().and_then(headers::date);
            reads += 1;
            let read = FreshOffsets::judge(offsets, date, max_age);
            let mut best = match freshest.take() {
                Some(best) if !read.is_fresher_than(&best) => best,
                _ => read,
            };
            best.reads = reads;
            if best.fresh || best.age.is_none() || started.elapsed() + pause > options.timeout() {
                return Ok(best);
            }
            tracing::debug!(
                age_s = best.age.map(|age| age.as_secs()),
                pause_ms = pause.as_millis() as u64,
                "offsets older than asked for; reading again"
            );
            freshest = Some(best);
            tokio::time::sleep(pause).await;
            pause = options.next_interval(pause);
        }
    }

    /// The offsets, and the answer's `Date` header (unread: only a caller that needs the time
    /// pays for reading it).
    async fn read_offsets(&self) -> Result<(ConnectorOffsets, Option<HeaderValue>), Error> {
        self.check_path()?;
        let answer =
            send_about_connector!(self, GET_OFFSETS, get_connectv1_connector_offsets).await?;
        let offsets = ConnectorOffsets::from_generated(answer.body).with_answer_text(answer.text);
        Ok((offsets, answer.date))
    }

    /// Asks for the offsets of the partitions listed to be set (a `PATCH` through
    /// `POST .../offsets/request`); the other partitions keep theirs.
    ///
    /// The entries are checked first, and nothing is sent if one is wrong: at least one entry,
    /// sink entries (`kafka_topic`, `kafka_partition`, `kafka_offset`) with whole numbers that
    /// are not negative, and no partition twice. The error names the entry.
    ///
    /// The service applies the change later: follow it with [`Connector::alter_status`] or
    /// [`Connector::wait_for_alter`]. Only one change per connector can be in progress.
    ///
    /// An alter request is not idempotent, so it is sent again only when the service surely
    /// did not act on it: after a 429 (waiting its `Retry-After`) or when the connection was
    /// refused before the request went out, within the client's
    /// [`RetryPolicy`](crate::RetryPolicy). After a timeout, a broken connection or a 5xx,
    /// whose outcome is unknown, it is never resent: read [`Connector::alter_status`] to learn
    /// what happened.
    ///
    /// ```no_run
    /// # async fn example(client: confluent_connect::Client) -> Result<(), confluent_connect::Error> {
    /// use confluent_connect::WaitOptions;
    ///
    /// // Move a self-managed connector's position to its fully managed replacement.
    /// let old = client.connector("env-abc123", "lkc-abc123", "orders-sink-v1");
    /// let new = client.connector("env-abc123", "lkc-abc123", "orders-sink-v2");
    /// let offsets = old.offsets().await?;
    /// let request = new.alter_offsets(&offsets.offsets).await?;
    /// let status = new.wait_for_alter_of(&request, WaitOptions::default()).await?;
    /// println!("applied at {:?}", status.applied_at);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn alter_offsets(&self, offsets: &[PartitionOffset]) -> Result<AlterRequest, Error> {
        self.check_path()?;
        alter_check::check_patch(offsets)?;
        self.request_alter(
            api::types::ConnectV1AlterOffsetRequest::builder()
                .type_(api::types::ConnectV1AlterOffsetRequestType::Patch)
                .offsets(GeneratedEntries(offsets)),
        )
        .await
    }

    /// Asks for the connector's offsets to be reset, as if it were newly created (a `DELETE`
    /// through `POST .../offsets/request`). Sent again only as [`Connector::alter_offsets`] is.
    pub async fn reset_offsets(&self) -> Result<AlterRequest, Error> {
        self.check_path()?;
        self.request_alter(
            api::types::ConnectV1AlterOffsetRequest::builder()
                .type_(api::types::ConnectV1AlterOffsetRequestType::Delete)
                .offsets(Vec::new()),
        )
        .await
    }

    /// Where the latest offsets change stands (`GET .../offsets/request/status`).
    pub async fn alter_status(&self) -> Result<AlterStatus, Error> {
        self.check_path()?;
        let body = send_about_connector!(
            self,
            ALTER_STATUS,
            get_connectv1_connector_offsets_request_status
        )
        .await?;
        Ok(AlterStatus::from_generated(body.body))
    }

    /// Reads the status of the latest offsets change until it is over, pausing between reads
    /// as `options` says.
    ///
    /// Returns the status once the phase is `APPLIED` (with the request, the previous offsets
    /// and `applied_at`); [`Error::AlterFailed`] with the service's message if it is `FAILED`;
    /// [`Error::AlterTimedOut`] with the last phase if the timeout comes first. Phases this
    /// crate does not know count as still pending. It never sleeps past the timeout. An error
    /// reading the status is returned as it is.
    ///
    /// This takes whatever change the status shows. Right after asking for a change, the
    /// status may still show an earlier one: wait with [`Connector::wait_for_alter_of`] and
    /// the request [`Connector::alter_offsets`] returned, so that an earlier `APPLIED` is never
    /// taken for yours.
    pub async fn wait_for_alter(&self, options: WaitOptions) -> Result<AlterStatus, Error> {
        self.wait(None, options).await
    }

    /// As [`Connector::wait_for_alter`], for the change `request` asked for (what
    /// [`Connector::alter_offsets`] or [`Connector::reset_offsets`] returned): a status whose
    /// request is of another kind, has other offsets or was requested before it is an earlier
    /// change, and counts as not yet over. If the status still shows an earlier change at the
    /// timeout, the error is [`Error::AlterNotSeen`].
    ///
    /// ```no_run
    /// # async fn example(connector: confluent_connect::Connector,
    /// #     entries: Vec<confluent_connect::PartitionOffset>) -> Result<(), confluent_connect::Error> {
    /// use confluent_connect::WaitOptions;
    ///
    /// let request = connector.alter_offsets(&entries).await?;
    /// let status = connector.wait_for_alter_of(&request, WaitOptions::default()).await?;
    /// # let _ = status;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn wait_for_alter_of(
        &self,
        request: &AlterRequest,
        options: WaitOptions,
    ) -> Result<AlterStatus, Error> {
        self.wait(Some(request), options).await
    }

    async fn wait(
        &self,
        ours: Option<&AlterRequest>,
        options: WaitOptions,
    ) -> Result<AlterStatus, Error> {
        let started = Instant::now();
        let mut pause = options.initial_interval();
        loop {
            let status = self.alter_status().await?;
            let earlier = ours.is_some_and(|ours| !status.request.is_change_of(ours));
            if earlier {
                tracing::debug!(
                    requested_at = status.request.requested_at.raw(),
                    "the status still shows an earlier offsets change"
                );
            }
            match status.phase {
                _ if earlier => {}
                AlterPhase::Applied => return Ok(status),
                AlterPhase::Failed => {
                    return Err(Error::AlterFailed {
                        connector: self.connector_name.clone(),
                        message: status.message.clone(),
                        status: Box::new(status),
                    });
                }
                _ => {}
            }
            let waited = started.elapsed();
            if waited + pause > options.timeout() && earlier {
                return Err(Error::AlterNotSeen {
                    connector: self.connector_name.clone(),
                    waited,
                    seen: Box::new(status),
                });
            }
            if waited + pause > options.timeout() {
                return Err(Error::AlterTimedOut {
                    connector: self.connector_name.clone(),
                    phase: status.phase,
                    waited,
                });
            }
            tracing::debug!(phase = %status.phase, pause_ms = pause.as_millis() as u64, "offsets change pending");
            tokio::time::sleep(pause).await;
            pause = options.next_interval(pause);
        }
    }

    /// Sends an alter request, again only when the service surely did not act on it.
    async fn request_alter(
        &self,
        body: api::types::builder::ConnectV1AlterOffsetRequest,
    ) -> Result<AlterRequest, Error> {
        send_about_connector!(
            self,
            ALTER_OFFSETS,
            alter_connectv1_connector_offsets_request,
            body(body.clone())
        )
        .await
        .map(|answer| AlterRequest::from_generated(answer.body))
    }

    /// The connector's state and its tasks' (`GET .../connectors/{connector_name}/status`).
    pub async fn status(&self) -> Result<ConnectorStatus, Error> {
        self.check_path()?;
        let answer = send_about_connector!(self, STATUS, read_connectv1_connector_status).await?;
        Ok(ConnectorStatus::from_generated(answer.body))
    }

    /// The connector: its kind, configuration and tasks (`GET .../connectors/{connector_name}`).
    pub async fn info(&self) -> Result<ConnectorInfo, Error> {
        self.check_path()?;
        let answer = send_about_connector!(self, READ, read_connectv1_connector).await?;
        Ok(ConnectorInfo::from_generated(answer.body))
    }

    /// The connector's configuration (`GET .../connectors/{connector_name}/config`). Its secret
    /// values are masked wherever it is shown (see [`ConnectorConfig`]).
    pub async fn config(&self) -> Result<ConnectorConfig, Error> {
        self.check_path()?;
        let answer = send_about_connector!(self, CONFIG, get_connectv1_connector_config).await?;
        Ok(ConnectorConfig::from_generated(&answer.body))
    }

    /// Creates the connector with `config`, or replaces the configuration of the existing one
    /// (`PUT .../connectors/{connector_name}/config`). Idempotent, so retried as reads are.
    ///
    /// Refused before anything is sent when `config` lacks `connector.class`, `name`,
    /// `kafka.api.key` or `kafka.api.secret`, as
    /// [`Cluster::create_connector`](crate::Cluster::create_connector) is.
    pub async fn create_or_update_config(
        &self,
        config: &ConnectorConfig,
    ) -> Result<ConnectorInfo, Error> {
        self.check_path()?;
        let body: api::types::CreateOrUpdateConnectv1ConnectorConfigBody =
            crate::cluster::typed_config(&self.connector_name, config)?;
        let answer = send_about_connector!(
            self,
            PUT_CONFIG,
            create_or_update_connectv1_connector_config,
            body(body.clone())
        )
        .await?;
        Ok(ConnectorInfo::from_generated(answer.body))
    }

    /// The connector's tasks with the configuration each runs with
    /// (`GET .../connectors/{connector_name}/tasks`), secrets masked when shown.
    pub async fn tasks(&self) -> Result<Vec<TaskConfig>, Error> {
        self.check_path()?;
        let answer = send_about_connector!(self, TASKS, list_connectv1_connector_tasks).await?;
        Ok(TaskConfig::list_from_generated(answer.body))
    }

    /// Pauses the connector (`PUT .../connectors/{connector_name}/pause`): its tasks stop and
    /// its offsets stay where they are until [`Connector::resume`].
    pub async fn pause(&self) -> Result<(), Error> {
        self.check_path()?;
        send_about_connector!(self, PAUSE, pause_connectv1_connector)
            .await
            .map(|_| ())
    }

    /// Resumes a paused connector (`PUT .../connectors/{connector_name}/resume`).
    pub async fn resume(&self) -> Result<(), Error> {
        self.check_path()?;
        send_about_connector!(self, RESUME, resume_connectv1_connector)
            .await
            .map(|_| ())
    }

    /// Deletes the connector (`DELETE .../connectors/{connector_name}`), and with it its
    /// offsets: read them first ([`Connector::offsets`]) if they may be needed again.
    pub async fn delete(&self) -> Result<(), Error> {
        self.check_path()?;
        send_about_connector!(self, DELETE, delete_connectv1_connector)
            .await
            .map(|_| ())
    }

    fn check_path(&self) -> Result<(), Error> {
        path::check(Argument::EnvironmentId, &self.environment_id)?;
        path::check(Argument::KafkaClusterId, &self.kafka_cluster_id)?;
        path::check(Argument::ConnectorName, &self.connector_name)
    }
}
