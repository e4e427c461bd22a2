//! What a connector is and how it is doing: its kind, its state and its tasks' states.

use std::fmt;

use confluent_connect_api::types;

use crate::config::ConnectorConfig;

/// Whether a connector writes to Kafka (source) or reads from it (sink).
///
/// `#[non_exhaustive]`, and a kind this version does not know is kept as
/// [`Other`](ConnectorKind::Other).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConnectorKind {
    /// `sink`: reads from Kafka topics.
    Sink,
    /// `source`: writes into Kafka topics.
    Source,
    /// A kind this version of the crate does not know, as the service wrote it.
    Other(String),
}

impl ConnectorKind {
    /// Reads the service's `type`.
    pub fn parse(text: &str) -> Self {
        match text {
            "sink" => Self::Sink,
            "source" => Self::Source,
            other => Self::Other(other.to_string()),
        }
    }

    /// As the service writes it: `sink`, `source`.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Sink => "sink",
            Self::Source => "source",
            Self::Other(text) => text,
        }
    }
}

impl fmt::Display for ConnectorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The state of a connector or of one of its tasks.
///
/// The connector states are those Confluent documents; tasks report Kafka Connect's
/// (`RUNNING`, `FAILED`, `PAUSED`, `UNASSIGNED`, ...). `#[non_exhaustive]`, and a state this
/// version does not know is kept as [`Other`](ConnectorState::Other): the service may add
/// states, and an answer is never refused over one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConnectorState {
    /// `NONE`.
    None,
    /// `PROVISIONING`: being created.
    Provisioning,
    /// `RUNNING`.
    Running,
    /// `DEGRADED`: running, with some tasks failed.
    Degraded,
    /// `FAILED`.
    Failed,
    /// `PAUSED`: stopped on request, offsets kept.
    Paused,
    /// `DELETED`.
    Deleted,
    /// `UNASSIGNED`: a task not yet given to a worker.
    Unassigned,
    /// A state this version of the crate does not know, as the service wrote it.
    Other(String),
}

impl ConnectorState {
    /// Reads the service's state.
    pub fn parse(text: &str) -> Self {
        match text {
            "NONE" => Self::None,
            "PROVISIONING" => Self::Provisioning,
            "RUNNING" => Self::Running,
            "DEGRADED" => Self::Degraded,
            "FAILED" => Self::Failed,
            "PAUSED" => Self::Paused,
            "DELETED" => Self::Deleted,
            "UNASSIGNED" => Self::Unassigned,
            other => Self::Other(other.to_string()),
        }
    }

    /// As the service writes it: `RUNNING`, `FAILED`, ...
    pub fn as_str(&self) -> &str {
        match self {
            Self::None => "NONE",
            Self::Provisioning => "PROVISIONING",
            Self::Running => "RUNNING",
            Self::Degraded => "DEGRADED",
            Self::Failed => "FAILED",
            Self::Paused => "PAUSED",
            Self::Deleted => "DELETED",
            Self::Unassigned => "UNASSIGNED",
            Self::Other(text) => text,
        }
    }
}

impl fmt::Display for ConnectorState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// One task of a connector and its state.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TaskStatus {
    /// The task's number within the connector.
    pub id: i64,
    /// Its state.
    pub state: ConnectorState,
    /// The worker running it.
    pub worker_id: String,
    /// Why it failed, when it did: the service's message (often a Java stack trace).
    pub trace: Option<String>,
}

impl TaskStatus {
    fn from_generated(task: types::ReadConnectv1ConnectorStatusResponseTasks) -> Self {
        Self {
            id: task.id,
            state: ConnectorState::parse(&task.state),
            worker_id: task.worker_id,
            trace: task.msg,
        }
    }
}

/// A connector's state and its tasks' (`GET .../connectors/{connector_name}/status`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectorStatus {
    /// The connector's name.
    pub name: String,
    /// Sink or source.
    pub kind: ConnectorKind,
    /// The connector's state.
    pub state: ConnectorState,
    /// The worker running the connector.
    pub worker_id: String,
    /// Why the connector failed, when it did.
    pub trace: Option<String>,
    /// Its tasks, in the service's order.
    pub tasks: Vec<TaskStatus>,
}

impl ConnectorStatus {
    /// The task numbered `id`.
    pub fn task(&self, id: i64) -> Option<&TaskStatus> {
        self.tasks.iter().find(|task| task.id == id)
    }

    /// Decodes a status answer's body.
    ///
    /// ```
    /// use confluent_connect::{ConnectorState, ConnectorStatus};
    ///
    /// let body = br#"{"name": "orders", "type": "sink",
    ///     "connector": {"state": "RUNNING", "worker_id": "w1"},
    ///     "tasks": [{"id": 0, "state": "FAILED", "worker_id": "w1", "msg": "boom"}]}"#;
    /// let status = ConnectorStatus::from_json(body)?;
    /// assert_eq!(status.tasks[0].state, ConnectorState::Failed);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice::<types::ReadConnectv1ConnectorStatusResponse>(body)
            .map(Self::from_generated)
    }

    pub(crate) fn from_generated(body: types::ReadConnectv1ConnectorStatusResponse) -> Self {
        Self {
            name: body.name,
            kind: ConnectorKind::parse(&body.type_),
            state: ConnectorState::parse(&body.connector.state),
            worker_id: body.connector.worker_id,
            trace: body.connector.trace,
            tasks: tasks(body.tasks),
        }
    }

    fn from_expansion(body: types::ConnectV1ConnectorExpansionStatus) -> Self {
        Self {
            name: body.name,
            kind: ConnectorKind::parse(&body.type_),
            state: ConnectorState::parse(&body.connector.state),
            worker_id: body.connector.worker_id,
            trace: body.connector.trace,
            tasks: tasks(body.tasks),
        }
    }
}

fn tasks(tasks: Option<Vec<types::ReadConnectv1ConnectorStatusResponseTasks>>) -> Vec<TaskStatus> {
    tasks
        .unwrap_or_default()
        .into_iter()
        .map(TaskStatus::from_generated)
        .collect()
}

/// One connector of a cluster's listing with expansions
/// ([`Cluster::describe_connectors`](crate::Cluster::describe_connectors)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectorSummary {
    /// The connector's name.
    pub name: String,
    /// Its id (`lcc-...`), when the service gave one.
    pub id: Option<String>,
    /// Its configuration, when the service gave it (secrets are masked when shown).
    pub config: Option<ConnectorConfig>,
    /// Its state and its tasks', when the service gave them.
    pub status: Option<ConnectorStatus>,
}

impl ConnectorSummary {
    /// Decodes a listing with expansions, sorted by connector name.
    pub fn list_from_json(body: &[u8]) -> Result<Vec<Self>, serde_json::Error> {
        serde_json::from_slice::<types::ConnectV1ConnectorExpansionMap>(body)
            .map(Self::list_from_generated)
    }

    pub(crate) fn list_from_generated(body: types::ConnectV1ConnectorExpansionMap) -> Vec<Self> {
        let mut list: Vec<Self> = body
            .0
            .into_iter()
            .map(|(name, expansion)| Self {
                name,
                id: expansion.id.and_then(|id| id.id),
                config: expansion
                    .info
                    .and_then(|info| info.config)
                    .map(|config| ConnectorConfig::from_generated(&config)),
                status: expansion.status.map(ConnectorStatus::from_expansion),
            })
            .collect();
        list.sort_by(|a, b| a.name.cmp(&b.name));
        list
    }
}

/// A connector as the service describes it after creating, configuring or reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectorInfo {
    /// The connector's name.
    pub name: String,
    /// Sink or source, when the service said.
    pub kind: Option<ConnectorKind>,
    /// Its configuration (secrets are masked when shown).
    pub config: ConnectorConfig,
    /// The numbers of its tasks.
    pub tasks: Vec<i64>,
}

impl ConnectorInfo {
    /// Decodes the body of a connector as the read, configure and create operations answer it.
    pub fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice::<types::ConnectV1Connector>(body).map(Self::from_generated)
    }

    pub(crate) fn from_generated(body: types::ConnectV1Connector) -> Self {
        Self {
            name: body.name,
            kind: body.type_.as_deref().map(ConnectorKind::parse),
            config: ConnectorConfig::from_generated(&body.config),
            tasks: task_numbers(body.tasks),
        }
    }

    pub(crate) fn from_created(body: types::ConnectV1ConnectorWithOffsets) -> Self {
        Self {
            name: body.name,
            kind: body.type_.as_deref().map(ConnectorKind::parse),
            config: ConnectorConfig::from_generated(&body.config),
            tasks: task_numbers(body.tasks),
        }
    }
}

/// One task of a connector with the configuration it runs with
/// (`GET .../connectors/{connector_name}/tasks`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TaskConfig {
    /// The task's number within the connector, when the service gave it.
    pub task: Option<i64>,
    /// Its configuration (secrets are masked when shown).
    pub config: ConnectorConfig,
}

impl TaskConfig {
    /// Decodes a tasks answer's body.
    pub fn list_from_json(body: &[u8]) -> Result<Vec<Self>, serde_json::Error> {
        serde_json::from_slice::<types::ConnectV1Connectors>(body).map(Self::list_from_generated)
    }

    pub(crate) fn list_from_generated(body: types::ConnectV1Connectors) -> Vec<Self> {
        body.0
            .into_iter()
            .map(|item| Self {
                task: item.id.and_then(|id| id.task),
                config: item
                    .config
                    .map(|config| ConnectorConfig::from_generated(&config))
                    .unwrap_or_default(),
            })
            .collect()
    }
}

/// A connector plugin the cluster offers (`GET .../connector-plugins`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Plugin {
    /// The plugin's class, the `connector.class` of its connectors (e.g. `S3_SINK`).
    pub class: String,
    /// Sink or source.
    pub kind: ConnectorKind,
    /// Its version, when the service gave it.
    pub version: Option<String>,
}

impl Plugin {
    /// Decodes a plugins answer's body, sorted by class.
    pub fn list_from_json(body: &[u8]) -> Result<Vec<Self>, serde_json::Error> {
        serde_json::from_slice::<Vec<types::ListConnectv1ConnectorPluginsResponseItem>>(body)
            .map(Self::list_from_generated)
    }

    pub(crate) fn list_from_generated(
        body: Vec<types::ListConnectv1ConnectorPluginsResponseItem>,
    ) -> Vec<Self> {
        let mut plugins: Vec<Self> = body
            .into_iter()
            .map(|item| Self {
                class: item.class,
                kind: ConnectorKind::parse(&item.type_),
                version: item.version,
            })
            .collect();
        plugins.sort_by(|a, b| a.class.cmp(&b.class));
        plugins
    }
}

/// What the service makes of a configuration for a plugin
/// ([`Cluster::validate_config`](crate::Cluster::validate_config)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigValidation {
    /// The plugin's class as the service names it.
    pub plugin: Option<String>,
    /// How many configuration keys have errors: 0 when the configuration is valid.
    pub error_count: i64,
    /// The groups the keys are shown in.
    pub groups: Vec<String>,
    /// Each key the plugin knows, with what was given and what is wrong with it.
    pub configs: Vec<ConfigCheck>,
}

/// One configuration key of a [`ConfigValidation`].
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigCheck {
    /// The key.
    pub name: String,
    /// Its kind (`STRING`, `INT`, `PASSWORD`, ...), as the service wrote it.
    pub kind: Option<String>,
    /// Whether the plugin requires it.
    pub required: bool,
    /// The value given or defaulted, as the service sent it back.
    pub value: Option<String>,
    /// What is wrong with it; empty when nothing is.
    pub errors: Vec<String>,
}

impl ConfigCheck {
    /// Whether its value is a secret: a `PASSWORD` key, or one [`ConnectorConfig::is_secret`]
    /// names.
    pub fn is_secret(&self) -> bool {
        self.kind.as_deref() == Some("PASSWORD") || ConnectorConfig::is_secret(&self.name)
    }
}

impl fmt::Debug for ConfigCheck {
    /// As derived, but a secret value shows as [`REDACTED`](crate::REDACTED).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = match (&self.value, self.is_secret()) {
            (Some(_), true) => Some(crate::REDACTED),
            (value, false) => value.as_deref(),
            (None, true) => None,
        };
        f.debug_struct("ConfigCheck")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("required", &self.required)
            .field("value", &value)
            .field("errors", &self.errors)
            .finish()
    }
}

impl ConfigValidation {
    /// The keys with errors.
    pub fn failures(&self) -> impl Iterator<Item = &ConfigCheck> {
        self.configs.iter().filter(|check| !check.errors.is_empty())
    }

    /// Decodes a validation answer's body.
    pub fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice::<types::ValidateConnectv1ConnectorPluginResponse>(body)
            .map(Self::from_generated)
    }

    pub(crate) fn from_generated(body: types::ValidateConnectv1ConnectorPluginResponse) -> Self {
        Self {
            plugin: body.name,
            error_count: body.error_count.unwrap_or_default(),
            groups: body.groups.unwrap_or_default(),
            configs: body
                .configs
                .unwrap_or_default()
                .into_iter()
                .map(|config| {
                    let definition = config.definition;
                    let value = config.value;
                    ConfigCheck {
                        name: definition
                            .as_ref()
                            .and_then(|d| d.name.clone())
                            .or_else(|| value.as_ref().and_then(|v| v.name.clone()))
                            .unwrap_or_default(),
                        kind: definition.as_ref().and_then(|d| d.type_.clone()),
                        required: definition
                            .as_ref()
                            .and_then(|d| d.required)
                            .unwrap_or(false),
                        value: value.as_ref().and_then(|v| v.value.clone()),
                        errors: value.and_then(|v| v.errors).unwrap_or_default(),
                    }
                })
                .collect(),
        }
    }
}

fn task_numbers(tasks: Option<Vec<types::ConnectV1ConnectorTasks>>) -> Vec<i64> {
    tasks
        .unwrap_or_default()
        .into_iter()
        .map(|task| task.task)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_state_is_kept_as_written() {
        assert_eq!(
            ConnectorState::parse("STOPPED"),
            ConnectorState::Other("STOPPED".to_string())
        );
        assert_eq!(ConnectorState::parse("STOPPED").as_str(), "STOPPED");
    }

    #[test]
    fn every_known_state_reads_back_as_written() {
        for text in [
            "NONE",
            "PROVISIONING",
            "RUNNING",
            "DEGRADED",
            "FAILED",
            "PAUSED",
            "DELETED",
            "UNASSIGNED",
        ] {
            let state = ConnectorState::parse(text);
            assert!(!matches!(state, ConnectorState::Other(_)), "{text}");
            assert_eq!(state.as_str(), text);
        }
    }

    #[test]
    fn a_listing_is_sorted_by_name_and_keeps_what_each_entry_has() {
        let body = br#"{
            "zeta": {"id": {"id": "lcc-2", "id_type": "ID"}},
            "alpha": {"status": {"name": "alpha", "type": "source",
                "connector": {"state": "PAUSED", "worker_id": "w"}, "tasks": []}}
        }"#;
        let list = ConnectorSummary::list_from_json(body).unwrap();
        assert_eq!(list[0].name, "alpha");
        assert_eq!(list[0].id, None);
        let status = list[0].status.as_ref().unwrap();
        assert_eq!(
            (status.kind.clone(), status.state.clone()),
            (ConnectorKind::Source, ConnectorState::Paused)
        );
        assert_eq!(list[1].name, "zeta");
        assert_eq!(list[1].id.as_deref(), Some("lcc-2"));
        assert_eq!(list[1].status, None);
    }
}
