//! One Kafka cluster's connectors: listing them, describing them, creating one.

use std::sync::Arc;

use confluent_connect_api as api;

use crate::config::ConnectorConfig;
use crate::connector::Connector;
use crate::error::{Argument, Error};
use crate::offsets::{GeneratedEntries, PartitionOffset};
use crate::path;
use crate::retry::Idempotency;
use crate::status::{ConfigValidation, ConnectorInfo, ConnectorSummary, Plugin};
use crate::transport::{Operation, Transport};

const LIST: Operation = Operation {
    id: "listConnectv1Connectors",
    method: "GET",
    idempotency: Idempotency::Idempotent,
};
const LIST_EXPANDED: Operation = Operation {
    id: "listConnectv1ConnectorsWithExpansions",
    method: "GET",
    idempotency: Idempotency::Idempotent,
};
const PLUGINS: Operation = Operation {
    id: "listConnectv1ConnectorPlugins",
    method: "GET",
    idempotency: Idempotency::Idempotent,
};
const VALIDATE: Operation = Operation {
    id: "validateConnectv1ConnectorPlugin",
    method: "PUT",
    idempotency: Idempotency::Idempotent,
};
const CREATE: Operation = Operation {
    id: "createConnectv1Connector",
    method: "POST",
    idempotency: Idempotency::NotIdempotent,
};

/// The configuration keys that creating a fully managed connector requires (Confluent's spec);
/// the Kafka API key and secret are the cluster credentials only the user can supply.
pub const REQUIRED_CREATE_KEYS: [&str; 4] = [
    "connector.class",
    "name",
    "kafka.api.key",
    "kafka.api.secret",
];

/// Sends the generated client's `$method` for this cluster (its environment and id as the
/// path) through the transport as `$operation` about `$subject`, with `$setter($value)`
/// builder calls before `send`.
macro_rules! send_about_cluster {
    ($cluster:ident, $operation:expr, $subject:expr, $method:ident $(, $setter:ident($value:expr))*) => {
        $cluster
            .transport
            .execute($operation, $subject, |api| {
                api.$method()
                    .environment_id($cluster.environment_id.as_str())
                    .kafka_cluster_id($cluster.kafka_cluster_id.as_str())
                    $(.$setter($value))*
                    .send()
            })
    };
}

/// A handle on one Kafka cluster's connectors, from [`Client::cluster`](crate::Client::cluster).
///
/// Its ids are checked when a request is made, as [`Connector`]'s are.
#[derive(Debug, Clone)]
pub struct Cluster {
    transport: Arc<Transport>,
    environment_id: String,
    kafka_cluster_id: String,
}

impl Cluster {
    pub(crate) fn new(
        transport: Arc<Transport>,
        environment_id: String,
        kafka_cluster_id: String,
    ) -> Self {
        Self {
            transport,
            environment_id,
            kafka_cluster_id,
        }
    }

    /// The environment's id.
    pub fn environment_id(&self) -> &str {
        &self.environment_id
    }

    /// The Kafka cluster's id.
    pub fn kafka_cluster_id(&self) -> &str {
        &self.kafka_cluster_id
    }

    /// A handle on one connector of this cluster.
    pub fn connector(&self, connector_name: impl Into<String>) -> Connector {
        Connector::new(
            Arc::clone(&self.transport),
            self.environment_id.clone(),
            self.kafka_cluster_id.clone(),
            connector_name.into(),
        )
    }

    /// The names of the cluster's connectors (`GET .../connectors`), sorted.
    pub async fn connectors(&self) -> Result<Vec<String>, Error> {
        self.check_path()?;
        let answer = send_about_cluster!(
            self,
            LIST,
            &self.kafka_cluster_id,
            list_connectv1_connectors
        )
        .await?;
        let mut names = answer.body;
        names.sort();
        Ok(names)
    }

    /// Every connector of the cluster with its id, configuration, state and tasks' states
    /// (`GET .../connectors?expand=info,status,id`), sorted by name: one request for the whole
    /// cluster.
    pub async fn describe_connectors(&self) -> Result<Vec<ConnectorSummary>, Error> {
        self.check_path()?;
        let answer = send_about_cluster!(
            self,
            LIST_EXPANDED,
            &self.kafka_cluster_id,
            list_connectv1_connectors_with_expansions
        )
        .await?;
        Ok(ConnectorSummary::list_from_generated(answer.body))
    }

    /// The connector plugins the cluster offers (`GET .../connector-plugins`), sorted by class:
    /// the `connector.class` values a fully managed connector can have.
    pub async fn plugins(&self) -> Result<Vec<Plugin>, Error> {
        self.check_path()?;
        let answer = send_about_cluster!(
            self,
            PLUGINS,
            &self.kafka_cluster_id,
            list_connectv1_connector_plugins
        )
        .await?;
        Ok(Plugin::list_from_generated(answer.body))
    }

    /// Asks the service what it makes of `config` for the plugin `plugin`
    /// (`PUT .../connector-plugins/{plugin_name}/config/validate`), without creating anything:
    /// each key with its errors, and how many keys have one. Secret values are masked in the
    /// answer's `Debug`.
    pub async fn validate_config(
        &self,
        plugin: &str,
        config: &ConnectorConfig,
    ) -> Result<ConfigValidation, Error> {
        self.check_path()?;
        path::check(Argument::PluginName, plugin)?;
        let body: std::collections::HashMap<String, String> = config
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let answer = send_about_cluster!(
            self,
            VALIDATE,
            plugin,
            validate_connectv1_connector_plugin,
            plugin_name(plugin),
            body(body.clone())
        )
        .await?;
        Ok(ConfigValidation::from_generated(answer.body))
    }

    /// Creates a connector named `name` with `config` (`POST .../connectors`); nothing is sent
    /// until [`CreateConnector::send`].
    ///
    /// ```no_run
    /// # async fn example(client: confluent_connect::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use confluent_connect::{ConnectorConfig, PartitionOffset};
    ///
    /// let cluster = client.cluster("env-abc123", "lkc-abc123");
    /// let config = ConnectorConfig::new()
    ///     .with("connector.class", "PostgresSource")
    ///     .with("name", "orders-source")
    ///     .with("kafka.api.key", "ABCDEFGH12345678")
    ///     .with("kafka.api.secret", std::env::var("KAFKA_API_SECRET").unwrap_or_default());
    /// let start = vec![PartitionOffset::from_json_text(
    ///     r#"{"protocol": 1, "table": "public.orders"}"#,
    ///     r#"{"incrementing": 4200}"#,
    /// )?];
    /// let created = cluster
    ///     .create_connector("orders-source", config)
    ///     .offsets(start)
    ///     .send()
    ///     .await?;
    /// println!("created {} ({:?})", created.name, created.kind);
    /// # Ok(())
    /// # }
    /// ```
    pub fn create_connector(
        &self,
        name: impl Into<String>,
        config: ConnectorConfig,
    ) -> CreateConnector<'_> {
        CreateConnector {
            cluster: self,
            name: name.into(),
            config,
            offsets: None,
        }
    }

    fn check_path(&self) -> Result<(), Error> {
        path::check(Argument::EnvironmentId, &self.environment_id)?;
        path::check(Argument::KafkaClusterId, &self.kafka_cluster_id)
    }
}

/// A connector to create, from [`Cluster::create_connector`].
#[derive(Debug)]
#[must_use = "nothing is sent until `send` is called"]
pub struct CreateConnector<'a> {
    cluster: &'a Cluster,
    name: String,
    config: ConnectorConfig,
    offsets: Option<Vec<PartitionOffset>>,
}

impl CreateConnector<'_> {
    /// The offsets the connector starts from (the create body's `offsets`), e.g. those of the
    /// connector it replaces.
    pub fn offsets(mut self, offsets: Vec<PartitionOffset>) -> Self {
        self.offsets = Some(offsets);
        self
    }

    /// Sends the creation.
    ///
    /// Refused before anything is sent ([`Error::InvalidArgument`] on `config`) when the
    /// configuration lacks one of [`REQUIRED_CREATE_KEYS`], naming every one missing, or when
    /// its `name` differs from the connector's. Creating is not idempotent: it is sent again
    /// only when the service surely did not act (a 429, a refused connection), as
    /// [`Connector::alter_offsets`] is.
    pub async fn send(self) -> Result<ConnectorInfo, Error> {
        self.cluster.check_path()?;
        path::check(Argument::ConnectorName, &self.name)?;
        let config: api::types::CreateConnectv1ConnectorBodyConfig =
            typed_config(&self.name, &self.config)?;
        let offsets = self.offsets.as_deref().map(GeneratedEntries);
        let body = match offsets {
            Some(entries) => api::types::CreateConnectv1ConnectorBody::builder()
                .name(Some(self.name.clone()))
                .config(Some(config))
                .offsets(Some(Vec::try_from(entries).map_err(refused_body)?)),
            None => api::types::CreateConnectv1ConnectorBody::builder()
                .name(Some(self.name.clone()))
                .config(Some(config)),
        };
        let body =
            api::types::CreateConnectv1ConnectorBody::try_from(body).map_err(refused_body)?;
        let cluster = self.cluster;
        let answer = send_about_cluster!(
            cluster,
            CREATE,
            &self.name,
            create_connectv1_connector,
            body(body.clone())
        )
        .await?;
        Ok(ConnectorInfo::from_created(answer.body))
    }
}

/// `config` as a generated configuration type (the create body's or the configure body's), or
/// the refusal naming every required key missing.
pub(crate) fn typed_config<T: serde::de::DeserializeOwned>(
    name: &str,
    config: &ConnectorConfig,
) -> Result<T, Error> {
    let missing: Vec<&str> = REQUIRED_CREATE_KEYS
        .iter()
        .copied()
        .filter(|key| config.get(key).is_none_or(str::is_empty))
        .collect();
    if !missing.is_empty() {
        return Err(Error::InvalidArgument {
            argument: Argument::Config,
            value: missing.join(", "),
            reason: format!(
                "a fully managed connector needs these configuration keys, which only you can \
                 supply (the Kafka API key and secret are those of a key for the target \
                 cluster): add {}",
                missing.join(", ")
            ),
        });
    }
    if config.get("name") != Some(name) {
        return Err(Error::InvalidArgument {
            argument: Argument::Config,
            value: "name".to_string(),
            reason: format!(
                "the configuration's `name` must be the connector's name, {name:?}; it is {:?}",
                config.get("name").unwrap_or_default()
            ),
        });
    }
    serde_json::from_value(serde_json::Value::Object(config.to_json())).map_err(|e| {
        Error::InvalidArgument {
            argument: Argument::Config,
            value: "config".to_string(),
            reason: format!("the configuration does not fit the create body: {e}"),
        }
    })
}

/// A body the generated builder refused: only reached if the facade built it wrong.
fn refused_body(error: api::types::error::ConversionError) -> Error {
    Error::Config(format!("the request body could not be built: {error}"))
}
