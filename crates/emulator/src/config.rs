//! What the emulator serves: credentials, environments, clusters, connectors, rate limit and faults.
//!
//! A [`Config`] is read from a YAML or JSON file ([`Config::from_path`]) or built in Rust. Every
//! field has a documented default, unknown fields are refused (a typo is an error, not a silently
//! ignored setting), and [`Config::validate`] names the entry that is wrong.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::faults::Faults;
use crate::ids;

/// The largest number of partitions one sink topic may have.
pub const MAX_TOPIC_PARTITIONS: u32 = 1_000_000;

/// Everything the emulator serves.
///
/// ```yaml
/// observation_interval_ms: 2000        # how often offsets are observed (default 2000)
/// alter_delay_ms: 2000                 # how long an offsets change stays PENDING (default 2000)
/// rate_limit:                          # per credential; `null` turns it off
///   requests_per_second: 50
///   burst: 10
/// credentials:
///   - api_key: EMUKEY0000000001
///     api_secret: emulator-secret-1
///     environments: ["*"]              # "*" (the default) means every environment
///   - bearer_token: emulator-token
/// environments:
///   - id: env-emu001
///     clusters:
///       - id: lkc-emu001
///         connectors:
///           - name: orders-sink
///             sink:
///               topics:
///                 - name: orders
///                   partitions: 3
///                   start_offset: 1000
///                   rate_per_second: 5
///                   stalled_partitions: [2]
///           - name: products-source
///             source:
///               partitions:
///                 - partition: {protocol: 1, table: inventory.products}
///                   offset: {timestamp: 1708442059000, timestamp_nanos: 0, incrementing: 100}
///                   advance: {timestamp: 1000, incrementing: 3}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// How often, in milliseconds, the emulator observes connector offsets. The API returns the
    /// last observation and its time, so what it reports lags the truth by up to this much.
    #[serde(default = "default_observation_interval_ms")]
    pub observation_interval_ms: u64,
    /// How long, in milliseconds, an offsets change stays `PENDING` before it is `APPLIED` or
    /// `FAILED`. The connector's offsets stand still meanwhile.
    #[serde(default = "default_alter_delay_ms")]
    pub alter_delay_ms: u64,
    /// The token bucket every credential gets; `None` (`null` in a file) turns rate limiting off.
    #[serde(default = "default_rate_limit")]
    pub rate_limit: Option<RateLimit>,
    /// When set, the emulator's clock stands still at this instant and moves only when told to
    /// (see [`crate::Emulator::advance_clock`]): offsets and `observed_at` become deterministic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_clock_start: Option<DateTime<Utc>>,
    /// Who may call the API.
    pub credentials: Vec<Credential>,
    /// The environments, their Kafka clusters and their connectors.
    pub environments: Vec<Environment>,
    /// Faults injected into every API request, unless a connector has its own.
    #[serde(default, skip_serializing_if = "Faults::is_none")]
    pub faults: Faults,
}

/// A token bucket: `burst` requests at once, refilled at `requests_per_second`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Sustained requests per second (may be fractional, must be positive).
    pub requests_per_second: f64,
    /// How many requests may be made at once when the bucket is full (at least 1).
    pub burst: u32,
}

/// One credential the emulator accepts: an API key and secret (HTTP Basic), or a bearer token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credential {
    /// The API key id (the Basic user name). Set with `api_secret`, or leave both out and set
    /// `bearer_token`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// The API key's secret (the Basic password).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_secret: Option<String>,
    /// A token accepted as `Authorization: Bearer <token>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bearer_token: Option<String>,
    /// The environment ids this credential may read; `"*"` means all of them.
    #[serde(default = "all_environments")]
    pub environments: Vec<String>,
}

impl Credential {
    /// An API key and secret with access to every environment.
    pub fn api_key(key: impl Into<String>, secret: impl Into<String>) -> Credential {
        Credential {
            api_key: Some(key.into()),
            api_secret: Some(secret.into()),
            bearer_token: None,
            environments: all_environments(),
        }
    }

    /// A bearer token with access to every environment.
    pub fn bearer_token(token: impl Into<String>) -> Credential {
        Credential {
            api_key: None,
            api_secret: None,
            bearer_token: Some(token.into()),
            environments: all_environments(),
        }
    }

    /// Restricts the credential to these environment ids.
    pub fn only_environments<I, S>(mut self, environments: I) -> Credential
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.environments = environments.into_iter().map(Into::into).collect();
        self
    }

    /// Whether this credential may read the environment `id`.
    pub fn may_access(&self, id: &str) -> bool {
        self.environments.iter().any(|e| e == "*" || e == id)
    }
}

/// An environment (`env-...`) and its Kafka clusters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// The environment id, `env-` followed by lowercase letters and digits.
    pub id: String,
    /// Its Kafka clusters.
    #[serde(default)]
    pub clusters: Vec<Cluster>,
}

/// A Kafka cluster (`lkc-...`) and its connectors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    /// The cluster id, `lkc-` followed by lowercase letters and digits.
    pub id: String,
    /// Its connectors.
    #[serde(default)]
    pub connectors: Vec<ConnectorSpec>,
}

/// A connector: exactly one of `sink` or `source`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectorSpec {
    /// The connector's name, unique in its cluster.
    pub name: String,
    /// The connector's id (`lcc-...`); made from the name when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Set for a sink connector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sink: Option<SinkSpec>,
    /// Set for a source connector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceSpec>,
    /// Faults for this connector only; they replace the global ones for its requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub faults: Option<Faults>,
}

/// A sink connector: the topics it consumes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SinkSpec {
    /// The topics, each with its partitions.
    pub topics: Vec<TopicSpec>,
}

/// One topic a sink connector consumes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicSpec {
    /// The topic's name.
    pub name: String,
    /// How many partitions it has (1 to [`MAX_TOPIC_PARTITIONS`]).
    pub partitions: u32,
    /// The offset every partition starts at (default 0).
    #[serde(default)]
    pub start_offset: i64,
    /// How many records per second each partition's offset advances by (default 0).
    #[serde(default)]
    pub rate_per_second: f64,
    /// Partitions whose offset does not advance at all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stalled_partitions: Vec<u32>,
}

/// A source connector: its partitions and offsets, in the connector's own shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// The source partitions.
    pub partitions: Vec<SourcePartitionSpec>,
}

/// One source partition, e.g. a JDBC table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourcePartitionSpec {
    /// The partition object, returned as it is (e.g. `{protocol: 1, table: db.orders}`).
    pub partition: Map<String, Value>,
    /// The offset object at start (e.g. `{timestamp: ..., timestamp_nanos: 0, incrementing: 3}`).
    pub offset: Map<String, Value>,
    /// Integer fields of `offset` that advance, with how much they grow per second.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub advance: BTreeMap<String, f64>,
}

/// Why a configuration could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read the emulator config {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is not YAML or JSON of the documented shape.
    #[error("the emulator config {} is not valid: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message, with line and column.
        message: String,
    },
    /// The text is not YAML or JSON of the documented shape.
    #[error("the emulator config is not valid: {message}")]
    Syntax {
        /// The parser's message, with line and column.
        message: String,
    },
    /// A value is out of range or inconsistent with another one.
    #[error("the emulator config is not valid at {at}: {reason}")]
    Invalid {
        /// Where, e.g. `environments[0].clusters[0].connectors[1].sink.topics[0]`.
        at: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
}

impl Config {
    /// Reads a YAML or JSON file (JSON is read as YAML, of which it is a subset) and validates it.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Config, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Config::from_text(&text).map_err(|error| match error {
            ConfigError::Syntax { message } => ConfigError::Parse {
                path: path.to_path_buf(),
                message,
            },
            other => other,
        })
    }

    /// Parses YAML or JSON text and validates it.
    pub fn from_text(text: &str) -> Result<Config, ConfigError> {
        let config: Config = serde_norway::from_str(text).map_err(|e| ConfigError::Syntax {
            message: e.to_string(),
        })?;
        config.validate()?;
        Ok(config)
    }

    /// The configuration as YAML, in the shape [`Config::from_text`] reads.
    pub fn to_yaml(&self) -> String {
        serde_norway::to_string(self)
            .unwrap_or_else(|e| format!("# cannot print the config: {e}\n"))
    }

    /// Checks every value and names the first entry that is wrong.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.observation_interval_ms == 0 {
            return invalid(
                "observation_interval_ms",
                "must be at least 1 (milliseconds between observations)",
            );
        }
        if let Some(limit) = &self.rate_limit {
            if !(limit.requests_per_second.is_finite() && limit.requests_per_second > 0.0) {
                return invalid(
                    "rate_limit.requests_per_second",
                    "must be a positive number; set `rate_limit: null` to turn rate limiting off",
                );
            }
            if limit.burst == 0 {
                return invalid("rate_limit.burst", "must be at least 1");
            }
        }
        self.validate_credentials()?;
        self.faults.validate("faults")?;
        self.validate_environments()
    }

    fn validate_credentials(&self) -> Result<(), ConfigError> {
        if self.credentials.is_empty() {
            return invalid(
                "credentials",
                "list at least one credential (api_key and api_secret, or bearer_token)",
            );
        }
        let mut keys = HashSet::new();
        for (i, credential) in self.credentials.iter().enumerate() {
            let at = format!("credentials[{i}]");
            match (
                &credential.api_key,
                &credential.api_secret,
                &credential.bearer_token,
            ) {
                (Some(key), Some(secret), None) => {
                    check_secret_text(&format!("{at}.api_key"), key)?;
                    if key.contains(':') {
                        return invalid(
                            &format!("{at}.api_key"),
                            "must not contain ':' (it separates key and secret in Basic auth)",
                        );
                    }
                    check_secret_text(&format!("{at}.api_secret"), secret)?;
                    if !keys.insert(format!("key:{key}")) {
                        return invalid(&format!("{at}.api_key"), "is listed twice");
                    }
                }
                (None, None, Some(token)) => {
                    check_secret_text(&format!("{at}.bearer_token"), token)?;
                    if !keys.insert(format!("token:{token}")) {
                        return invalid(&format!("{at}.bearer_token"), "is listed twice");
                    }
                }
                _ => {
                    return invalid(
                        &at,
                        "set either api_key and api_secret, or bearer_token alone",
                    );
                }
            }
            if credential.environments.is_empty() {
                return invalid(
                    &format!("{at}.environments"),
                    "list the environment ids this credential may read, or \"*\" for all",
                );
            }
        }
        Ok(())
    }

    fn validate_environments(&self) -> Result<(), ConfigError> {
        let mut environment_ids = HashSet::new();
        let mut connector_ids = HashSet::new();
        for (e, environment) in self.environments.iter().enumerate() {
            let at = format!("environments[{e}]");
            if let Err(reason) = ids::check_environment_id(&environment.id) {
                return invalid(&format!("{at}.id"), &reason);
            }
            if !environment_ids.insert(environment.id.as_str()) {
                return invalid(&format!("{at}.id"), "is listed twice");
            }
            let mut cluster_ids = HashSet::new();
            for (c, cluster) in environment.clusters.iter().enumerate() {
                let at = format!("{at}.clusters[{c}]");
                if let Err(reason) = ids::check_cluster_id(&cluster.id) {
                    return invalid(&format!("{at}.id"), &reason);
                }
                if !cluster_ids.insert(cluster.id.as_str()) {
                    return invalid(&format!("{at}.id"), "is listed twice in this environment");
                }
                let mut names = HashSet::new();
                for (n, connector) in cluster.connectors.iter().enumerate() {
                    let at = format!("{at}.connectors[{n}]");
                    if let Err(reason) = ids::check_connector_name(&connector.name) {
                        return invalid(&format!("{at}.name"), &reason);
                    }
                    if !names.insert(connector.name.as_str()) {
                        return invalid(&format!("{at}.name"), "is listed twice in this cluster");
                    }
                    let id = connector.connector_id();
                    if !connector_ids.insert(id.clone()) {
                        return invalid(
                            &format!("{at}.id"),
                            &format!(
                                "the connector id {id} is used twice; give one an explicit `id`"
                            ),
                        );
                    }
                    connector.validate(&at)?;
                }
            }
        }
        Ok(())
    }
}

impl ConnectorSpec {
    /// The connector's id: the configured one, or `lcc-` and the name's letters and digits.
    pub fn connector_id(&self) -> String {
        self.id.clone().unwrap_or_else(|| {
            let tail: String = self
                .name
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect();
            format!("lcc-{tail}")
        })
    }

    fn validate(&self, at: &str) -> Result<(), ConfigError> {
        if let Some(faults) = &self.faults {
            faults.validate(&format!("{at}.faults"))?;
        }
        match (&self.sink, &self.source) {
            (Some(sink), None) => {
                if sink.topics.is_empty() {
                    return invalid(&format!("{at}.sink.topics"), "list at least one topic");
                }
                let mut names = HashSet::new();
                for (t, topic) in sink.topics.iter().enumerate() {
                    let at = format!("{at}.sink.topics[{t}]");
                    if topic.name.is_empty() {
                        return invalid(&format!("{at}.name"), "must not be empty");
                    }
                    if !names.insert(topic.name.as_str()) {
                        return invalid(&format!("{at}.name"), "is listed twice");
                    }
                    if topic.partitions == 0 || topic.partitions > MAX_TOPIC_PARTITIONS {
                        return invalid(
                            &format!("{at}.partitions"),
                            &format!("must be between 1 and {MAX_TOPIC_PARTITIONS}"),
                        );
                    }
                    if topic.start_offset < 0 {
                        return invalid(&format!("{at}.start_offset"), "must not be negative");
                    }
                    check_rate(&format!("{at}.rate_per_second"), topic.rate_per_second)?;
                    if let Some(p) = topic
                        .stalled_partitions
                        .iter()
                        .find(|p| **p >= topic.partitions)
                    {
                        return invalid(
                            &format!("{at}.stalled_partitions"),
                            &format!(
                                "partition {p} does not exist (the topic has partitions 0 to {})",
                                topic.partitions - 1
                            ),
                        );
                    }
                }
                Ok(())
            }
            (None, Some(source)) => {
                if source.partitions.is_empty() {
                    return invalid(
                        &format!("{at}.source.partitions"),
                        "list at least one partition",
                    );
                }
                for (p, partition) in source.partitions.iter().enumerate() {
                    let at = format!("{at}.source.partitions[{p}]");
                    for (field, rate) in &partition.advance {
                        check_rate(&format!("{at}.advance.{field}"), *rate)?;
                        match partition.offset.get(field) {
                            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => {}
                            Some(_) => {
                                return invalid(
                                    &format!("{at}.advance.{field}"),
                                    "only integer offset fields can advance",
                                );
                            }
                            None => {
                                return invalid(
                                    &format!("{at}.advance.{field}"),
                                    "names no field of `offset`",
                                );
                            }
                        }
                    }
                }
                Ok(())
            }
            _ => invalid(at, "set exactly one of `sink` or `source`"),
        }
    }
}

impl Default for Config {
    /// A few sink connectors on multi-partition topics (one with a stalled partition), a JDBC
    /// source connector, a second environment, and three credentials: an API key for everything,
    /// an API key for the second environment only, and a bearer token.
    fn default() -> Config {
        let topic =
            |name: &str, partitions, start_offset, rate_per_second, stalled: &[u32]| TopicSpec {
                name: name.to_owned(),
                partitions,
                start_offset,
                rate_per_second,
                stalled_partitions: stalled.to_vec(),
            };
        let sink = |name: &str, topics| ConnectorSpec {
            name: name.to_owned(),
            id: None,
            sink: Some(SinkSpec { topics }),
            source: None,
            faults: None,
        };
        let table = |name: &str, timestamp: i64, incrementing: i64| SourcePartitionSpec {
            partition: object(serde_json::json!({"protocol": 1, "table": name})),
            offset: object(serde_json::json!({
                "timestamp": timestamp,
                "timestamp_nanos": 0,
                "incrementing": incrementing,
            })),
            advance: BTreeMap::from([
                ("timestamp".to_owned(), 1000.0),
                ("incrementing".to_owned(), 3.0),
            ]),
        };
        Config {
            observation_interval_ms: default_observation_interval_ms(),
            alter_delay_ms: default_alter_delay_ms(),
            rate_limit: default_rate_limit(),
            manual_clock_start: None,
            credentials: vec![
                Credential::api_key(DEFAULT_API_KEY, DEFAULT_API_SECRET),
                Credential::api_key("EMUKEY0000000002", "emulator-secret-2")
                    .only_environments(["env-emu002"]),
                Credential::bearer_token("emulator-token"),
            ],
            environments: vec![
                Environment {
                    id: "env-emu001".to_owned(),
                    clusters: vec![Cluster {
                        id: "lkc-emu001".to_owned(),
                        connectors: vec![
                            sink("orders-sink", vec![topic("orders", 3, 1000, 5.0, &[])]),
                            sink(
                                "clicks-sink",
                                vec![
                                    topic("clicks", 6, 15_000, 40.0, &[4]),
                                    topic("clicks-retry", 2, 120, 1.0, &[]),
                                ],
                            ),
                            ConnectorSpec {
                                name: "inventory-jdbc-source".to_owned(),
                                id: None,
                                sink: None,
                                source: Some(SourceSpec {
                                    partitions: vec![
                                        table("inventory.products", 1_708_442_059_000, 100),
                                        table("inventory.stock", 1_708_442_000_000, 2500),
                                    ],
                                }),
                                faults: None,
                            },
                        ],
                    }],
                },
                Environment {
                    id: "env-emu002".to_owned(),
                    clusters: vec![Cluster {
                        id: "lkc-emu002".to_owned(),
                        connectors: vec![sink(
                            "payments-sink",
                            vec![topic("payments", 2, 42, 1.0, &[])],
                        )],
                    }],
                },
            ],
            faults: Faults::default(),
        }
    }
}

/// The API key of the built-in default configuration, with access to every environment.
pub const DEFAULT_API_KEY: &str = "EMUKEY0000000001";
/// The secret of [`DEFAULT_API_KEY`]. It is a well-known test value, not a secret.
pub const DEFAULT_API_SECRET: &str = "emulator-secret-1";

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn default_observation_interval_ms() -> u64 {
    2000
}

fn default_alter_delay_ms() -> u64 {
    2000
}

fn default_rate_limit() -> Option<RateLimit> {
    Some(RateLimit {
        requests_per_second: 50.0,
        burst: 10,
    })
}

fn all_environments() -> Vec<String> {
    vec!["*".to_owned()]
}

fn check_rate(at: &str, rate: f64) -> Result<(), ConfigError> {
    if rate.is_finite() && rate >= 0.0 {
        Ok(())
    } else {
        invalid(at, "must be a number of at least 0 (per second)")
    }
}

fn check_secret_text(at: &str, text: &str) -> Result<(), ConfigError> {
    if text.is_empty() {
        return invalid(at, "must not be empty");
    }
    if text.chars().any(char::is_control) {
        return invalid(at, "must not contain control characters");
    }
    Ok(())
}

pub(crate) fn invalid<T>(at: &str, reason: &str) -> Result<T, ConfigError> {
    Err(ConfigError::Invalid {
        at: at.to_owned(),
        reason: reason.to_owned(),
    })
}
