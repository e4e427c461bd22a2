//! One connector, and the requests about it.

use std::{sync::mpsc, time::Instant};

use confluent_connect_api as api;
use reqwest::{StatusCode, header::HeaderMap};
use tracing::{Instrument, field};

use crate::alter::{self, AlterRequest, AlterStatus, WaitOptions};
use crate::pacing::header_number;
use crate::retry;
use crate::{
    AlterPhase, ApiError, Client, ConnectorOffsets, Error, PartitionOffset, RateLimited, path,
};

/// How much of an unexpected body is read, at most, to show its start and to look for the
/// documented error shape in it.
const ERROR_BODY_LIMIT: usize = 64 * 1024;
/// How many characters of a body an error message shows.
const EXCERPT_CHARS: usize = 300;

/// A handle on one connector, from [`Client::connector`].
///
/// Its arguments are checked when a request is made: an empty name, `.` or `..`, a backslash
/// or a control character is refused with [`Error::InvalidArgument`] and nothing is sent.
/// Other characters (`/`, `?`, `#`, `%`, spaces, non-ASCII) are percent-encoded and reach the
/// right connector.
#[derive(Debug, Clone)]
pub struct Connector {
    client: Client,
    environment_id: String,
    kafka_cluster_id: String,
    connector_name: String,
}

impl Connector {
    pub(crate) fn new(
        client: Client,
        environment_id: String,
        kafka_cluster_id: String,
        connector_name: String,
    ) -> Self {
        Self {
            client,
            environment_id,
            kafka_cluster_id,
            connector_name,
        }
    }

    /// The connector's current offsets (`GET .../connectors/{connector_name}/offsets`).
    pub async fn offsets(&self) -> Result<ConnectorOffsets, Error> {
        self.check_path()?;
        let body = self
            .with_retries(true, || {
                self.call("getConnectv1ConnectorOffsets", |api| async move {
                    api.get_connectv1_connector_offsets(
                        &self.environment_id,
                        &self.kafka_cluster_id,
                        &self.connector_name,
                    )
                    .await
                })
            })
            .await?;
        Ok(ConnectorOffsets::from(body))
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
    /// new.alter_offsets(&offsets.offsets).await?;
    /// let status = new.wait_for_alter(WaitOptions::default()).await?;
    /// println!("applied at {:?}", status.applied_at);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn alter_offsets(&self, offsets: &[PartitionOffset]) -> Result<AlterRequest, Error> {
        self.check_path()?;
        alter::check_patch(offsets)?;
        self.request_alter(api::types::ConnectV1AlterOffsetRequest {
            type_: api::types::ConnectV1AlterOffsetRequestType::Patch,
            offsets: offsets.iter().map(Into::into).collect(),
        })
        .await
    }

    /// Asks for the connector's offsets to be reset, as if it were newly created (a `DELETE`
    /// through `POST .../offsets/request`). Sent again only as [`Connector::alter_offsets`] is.
    pub async fn reset_offsets(&self) -> Result<AlterRequest, Error> {
        self.check_path()?;
        self.request_alter(api::types::ConnectV1AlterOffsetRequest {
            type_: api::types::ConnectV1AlterOffsetRequestType::Delete,
            offsets: Vec::new(),
        })
        .await
    }

    /// Where the latest offsets change stands (`GET .../offsets/request/status`).
    pub async fn alter_status(&self) -> Result<AlterStatus, Error> {
        self.check_path()?;
        let body = self
            .with_retries(true, || {
                self.call(
                    "getConnectv1ConnectorOffsetsRequestStatus",
                    |api| async move {
                        api.get_connectv1_connector_offsets_request_status(
                            &self.environment_id,
                            &self.kafka_cluster_id,
                            &self.connector_name,
                        )
                        .await
                    },
                )
            })
            .await?;
        Ok(AlterStatus::from(body))
    }

    /// Reads the status of the latest offsets change until it is over, pausing between reads
    /// as `options` says.
    ///
    /// Returns the status once the phase is `APPLIED` (with the request, the previous offsets
    /// and `applied_at`); [`Error::AlterFailed`] with the service's message if it is `FAILED`;
    /// [`Error::AlterTimedOut`] with the last phase if the timeout comes first. Phases this
    /// crate does not know count as still pending. It never sleeps past the timeout. An error
    /// reading the status is returned as it is.
    pub async fn wait_for_alter(&self, options: WaitOptions) -> Result<AlterStatus, Error> {
        let started = Instant::now();
        let mut pause = options.initial_interval;
        loop {
            let status = self.alter_status().await?;
            match status.phase {
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
            if waited + pause > options.timeout {
                return Err(Error::AlterTimedOut {
                    connector: self.connector_name.clone(),
                    phase: status.phase,
                    waited,
                });
            }
            tracing::debug!(phase = %status.phase, pause_ms = pause.as_millis() as u64, "offsets change pending");
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(options.max_interval.max(options.initial_interval));
        }
    }

    /// Sends an alter request, again only when the service surely did not act on it.
    async fn request_alter(
        &self,
        body: api::types::ConnectV1AlterOffsetRequest,
    ) -> Result<AlterRequest, Error> {
        let body = &body;
        self.with_retries(false, || {
            self.call("alterConnectv1ConnectorOffsetsRequest", |api| async move {
                api.alter_connectv1_connector_offsets_request(
                    &self.environment_id,
                    &self.kafka_cluster_id,
                    &self.connector_name,
                    body,
                )
                .await
            })
        })
        .await
        .map(AlterRequest::from)
    }

    /// Runs `attempt` until it succeeds or the client's [`RetryPolicy`](crate::RetryPolicy)
    /// says to stop (see there for what is retried): `idempotent` requests may be resent after
    /// any passing failure, the others only when the service surely did not act. The deadline
    /// counts from when the first try was sent, not from when it began to wait for the pacer.
    async fn with_retries<T, F, Fut>(&self, idempotent: bool, mut attempt: F) -> Result<T, Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = (Result<T, Error>, Instant)>,
    {
        let policy = self.client.inner.retry;
        let mut first_sent = None;
        let mut causes = Vec::new();
        loop {
            let (outcome, sent_at) = attempt().await;
            let started = *first_sent.get_or_insert(sent_at);
            let error = match outcome {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            causes.push(error.to_string());
            let tries = u32::try_from(causes.len()).unwrap_or(u32::MAX);
            let wait = match retry::retry_hint(&error, idempotent) {
                Some(_) if tries >= policy.attempts() => None,
                Some(hint) => Some(hint.unwrap_or_else(|| policy.backoff(tries))),
                None => None,
            }
            // Never sleep past the deadline: give up instead.
            .filter(|wait| started.elapsed() + *wait <= policy.time_limit());
            let Some(wait) = wait else {
                return Err(if tries == 1 {
                    error
                } else {
                    Error::RetriesExhausted {
                        attempts: tries,
                        causes,
                        last: Box::new(error),
                    }
                });
            };
            tracing::debug!(
                try_number = tries,
                wait_ms = wait.as_millis() as u64,
                %error,
                "retrying"
            );
            tokio::time::sleep(wait).await;
        }
    }

    fn check_path(&self) -> Result<(), Error> {
        path::check("environment_id", &self.environment_id)?;
        path::check("kafka_cluster_id", &self.kafka_cluster_id)?;
        path::check("connector_name", &self.connector_name)
    }

    /// Runs one generated call inside a tracing span, once the pacer lets it go, and turns its
    /// outcome into the facade's; also returns when it was sent.
    async fn call<T, F, Fut>(&self, operation: &'static str, send: F) -> (Result<T, Error>, Instant)
    where
        F: FnOnce(api::Client) -> Fut,
        Fut: Future<
            Output = Result<api::ResponseValue<T>, api::Error<api::types::ConnectV1ConnectorError>>,
        >,
    {
        let span = tracing::info_span!(
            "confluent_connect.request",
            operation,
            connector = %self.connector_name,
            status = field::Empty,
            duration_ms = field::Empty,
            request_id = field::Empty,
        );
        async move {
            let (observer, observed) = mpsc::channel();
            let inner = &self.client.inner;
            let hooks = api::ResponseHooks {
                observer: Some(observer),
                body_limit: Some(inner.body_limit),
            };
            let generated =
                api::Client::new_with_client(&inner.base_url, inner.http.clone(), hooks);
            let ticket = inner.pacer.ticket().await;
            let started = Instant::now();
            let result = send(generated).await;
            let response = observed.try_recv().ok();
            if let Some((status, headers)) = &response {
                ticket.answered(*status, headers);
            }
            drop(ticket);
            let span = tracing::Span::current();
            span.record("duration_ms", started.elapsed().as_millis() as u64);
            if let Some((status, headers)) = &response {
                span.record("status", status.as_u16());
                if let Some(id) = header_request_id(headers) {
                    span.record("request_id", id.as_str());
                }
            }
            let outcome = match result {
                Ok(value) => Ok(value.into_inner()),
                Err(error) => Err(map_error(error, response, inner.body_limit).await),
            };
            match &outcome {
                Ok(_) => tracing::debug!("request succeeded"),
                Err(error) => tracing::debug!(%error, "request failed"),
            }
            (outcome, started)
        }
        .instrument(span)
        .await
    }
}

async fn map_error(
    error: api::Error<api::types::ConnectV1ConnectorError>,
    response: Option<(StatusCode, HeaderMap)>,
    body_limit: usize,
) -> Error {
    let status = response.as_ref().map(|(status, _)| *status);
    let request_id = response
        .as_ref()
        .and_then(|(_, headers)| header_request_id(headers));
    match error {
        api::Error::ErrorResponse(value) => {
            let status = value.status();
            let request_id = header_request_id(value.headers()).or(request_id);
            Error::Api(ApiError::from_generated(
                status,
                value.into_inner(),
                request_id,
            ))
        }
        api::Error::UnexpectedResponse(response) => unexpected(response, body_limit).await,
        api::Error::InvalidResponsePayload(body, decode_error) => {
            // progenitor drops the status here; the observer kept it.
            match status {
                Some(status) if status.is_success() => Error::Decode {
                    status,
                    message: decode_error.to_string(),
                    body_excerpt: excerpt(&body),
                    request_id,
                },
                Some(status) => Error::UnexpectedResponse {
                    status,
                    body_excerpt: excerpt(&body),
                    request_id,
                },
                // The post hook reports every response, so this is reached only if a future
                // progenitor stops calling it; without the status, report a decode failure.
                None => Error::Decode {
                    status: StatusCode::OK,
                    message: decode_error.to_string(),
                    body_excerpt: excerpt(&body),
                    request_id,
                },
            }
        }
        api::Error::CommunicationError(source)
        | api::Error::ResponseBodyError(source)
        | api::Error::InvalidUpgrade(source) => transport(source, status, request_id, body_limit),
        api::Error::InvalidRequest(message) | api::Error::Custom(message) => {
            Error::Config(format!("the request could not be built: {message}"))
        }
    }
}

fn transport(
    source: reqwest::Error,
    status: Option<StatusCode>,
    request_id: Option<String>,
    body_limit: usize,
) -> Error {
    if let Some(status) = status.filter(|_| over_limit(&source)) {
        return Error::BodyTooLarge {
            status,
            limit: body_limit,
            request_id,
        };
    }
    if source.is_timeout() {
        Error::Timeout { status, source }
    } else {
        Error::Transport { status, source }
    }
}

/// Whether reading a body failed because it was longer than the client's limit.
fn over_limit(error: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = source {
        if cause.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = cause.source();
    }
    false
}

/// A response the spec does not document (or documents without a body, like 429).
async fn unexpected(mut response: reqwest::Response, body_limit: usize) -> Error {
    let status = response.status();
    let headers = response.headers().clone();
    let request_id = header_request_id(&headers);
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Error::RateLimited(RateLimited {
            retry_after: header_number(&headers, "retry-after"),
            limit: header_number(&headers, "x-ratelimit-limit"),
            remaining: header_number(&headers, "x-ratelimit-remaining"),
            reset: header_number(&headers, "x-ratelimit-reset"),
            request_id,
        });
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                body.extend_from_slice(&chunk);
                if body.len() >= ERROR_BODY_LIMIT {
                    break;
                }
            }
            Ok(None) => break,
            Err(source) => return transport(source, Some(status), request_id, body_limit),
        }
    }
    // An undocumented status with the documented error body is still the service speaking.
    if let Some(documented) = ApiError::from_body(status, &body, request_id.clone()) {
        return Error::Api(documented);
    }
    Error::UnexpectedResponse {
        status,
        body_excerpt: excerpt(&body),
        request_id,
    }
}

fn header_request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The start of a body, as text, for an error message.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let mut cut: String = text.chars().take(EXCERPT_CHARS).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}
