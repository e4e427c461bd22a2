//! What the emulator serves: credentials, OAuth, environments, clusters, connectors, rate limit
//! and faults.
//!
//! A [`Config`] is read from a YAML or JSON file ([`Config::from_path`]) or built in Rust. Every
//! field has a documented default, unknown fields are refused (a typo is an error, not a silently
//! ignored setting), and [`Config::validate`] names the entry that is wrong.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use crate::error::ConfigError;
use crate::faults::Faults;

mod default_world;
mod validate;

/// The largest number of partitions one sink topic may have.
pub const MAX_TOPIC_PARTITIONS: u32 = 1_000_000;

/// Everything the emulator serves.
///
/// ```yaml
/// observation_interval_ms: 2000        # how often offsets are observed (default 2000)
/// alter_delay_ms: 2000                 # how long an offsets change stays PENDING (default 2000)
/// alter_status_lag_ms: 0               # how long the status still shows the change before (default 0)
/// rate_limit:                          # per credential; `null` turns it off
///   requests_per_second: 50
///   burst: 10
/// credentials:
///   - api_key: EMUKEY0000000001
///     api_secret: emulator-secret-1
///     environments: ["*"]              # "*" (the default) means every environment
///   - bearer_token: emulator-token
/// oauth:                               # left out: no OAuth (its two endpoints answer 404)
///   idp_token_lifetime_secs: 3600      # how long the identity provider's JWTs live (default 3600)
///   sts_token_lifetime_secs: 900       # the most an exchanged access token lives (default 900)
///   clients:                           # the identity provider's clients (client credentials)
///     - client_id: emu-client
///       client_secret: emu-client-secret
///   identity_pools:                    # where subject tokens are exchanged
///     - id: pool-emu001
///       environments: ["*"]            # what its access tokens may read (default "*")
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
    /// For how long, in milliseconds, after an offsets change is asked for the status still
    /// shows the change before it (default 0: at once the new one), as a service whose status
    /// catches up late would. A client must not take that earlier change's `APPLIED` for its
    /// own.
    #[serde(default)]
    pub alter_status_lag_ms: u64,
    /// The token bucket every credential gets; `None` (`null` in a file) turns rate limiting off.
    #[serde(default = "default_rate_limit")]
    pub rate_limit: Option<RateLimit>,
    /// When set, the emulator's clock stands still at this instant and moves only when told to
    /// (see [`crate::Emulator::advance_clock`]): offsets and `observed_at` become deterministic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manual_clock_start: Option<DateTime<Utc>>,
    /// Who may call the API.
    pub credentials: Vec<Credential>,
    /// OAuth as Confluent Cloud does it: an identity provider's token endpoint, the Security
    /// Token Service's token exchange, and the API accepting the access tokens it issued. `None`
    /// (the section left out) turns it off: both token endpoints then answer 404.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth: Option<OAuth>,
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
        grants(&self.environments, id)
    }
}

/// OAuth: the emulator's identity provider (IdP), which issues subject tokens (JWTs) to its
/// clients by OAuth 2.0 client credentials at `POST /emulator/idp/oauth2/token`, and the
/// Security Token Service (STS), which exchanges them at `POST /sts/v1/oauth2/token` for access
/// tokens that the API accepts as `Authorization: Bearer` until they expire.
///
/// Every field has a default (left out of a file, it takes it): lifetimes of 3600 and 900
/// seconds, no clients, no identity pools.
///
/// ```
/// use connect_emulator::{IdentityPool, OAuth, OAuthClient};
///
/// let oauth = OAuth::default()
///     .with_client(OAuthClient::new("my-client", "my-secret"))
///     .with_identity_pool(IdentityPool::new("pool-staging").only_environments(["env-staging"]))
///     .with_sts_token_lifetime_secs(2); // a client must refresh every 2 seconds
/// assert_eq!(oauth.idp_token_lifetime_secs, 3600);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OAuth {
    /// How long, in seconds, a subject token (a JWT) of the identity provider lives (default
    /// 3600, at least 1). The STS refuses it once expired.
    #[serde(default = "default_idp_token_lifetime_secs")]
    pub idp_token_lifetime_secs: u64,
    /// The most, in seconds, an access token of the STS lives (default 900, the service's most;
    /// at least 1). An exchange's `expires_in` may ask for less, never for more.
    #[serde(default = "default_sts_token_lifetime_secs")]
    pub sts_token_lifetime_secs: u64,
    /// The identity provider's clients: who may get subject tokens.
    #[serde(default)]
    pub clients: Vec<OAuthClient>,
    /// The identity pools subject tokens are exchanged in, each with what its access tokens may
    /// read. Any subject token the identity provider issued may be exchanged in any pool.
    #[serde(default)]
    pub identity_pools: Vec<IdentityPool>,
}

impl Default for OAuth {
    /// The documented defaults: lifetimes of 3600 and 900 seconds, no clients, no pools.
    fn default() -> OAuth {
        OAuth {
            idp_token_lifetime_secs: default_idp_token_lifetime_secs(),
            sts_token_lifetime_secs: default_sts_token_lifetime_secs(),
            clients: Vec::new(),
            identity_pools: Vec::new(),
        }
    }
}

impl OAuth {
    /// Adds a client of the identity provider.
    pub fn with_client(mut self, client: OAuthClient) -> OAuth {
        self.clients.push(client);
        self
    }

    /// Adds an identity pool.
    pub fn with_identity_pool(mut self, pool: IdentityPool) -> OAuth {
        self.identity_pools.push(pool);
        self
    }

    /// Sets how long the identity provider's subject tokens live, in seconds.
    pub fn with_idp_token_lifetime_secs(mut self, secs: u64) -> OAuth {
        self.idp_token_lifetime_secs = secs;
        self
    }

    /// Sets the most an access token of the STS lives, in seconds.
    pub fn with_sts_token_lifetime_secs(mut self, secs: u64) -> OAuth {
        self.sts_token_lifetime_secs = secs;
        self
    }
}

/// A client of the identity provider: the id and secret of OAuth 2.0 client credentials. Its
/// `Debug` does not show the secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OAuthClient {
    /// The client id, unique among the clients.
    pub client_id: String,
    /// The client secret.
    pub client_secret: String,
}

impl OAuthClient {
    /// A client with this id and secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> OAuthClient {
        OAuthClient {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }
}

impl fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClient")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[REDACTED]")
            .finish()
    }
}

/// An identity pool (`pool-...`): subject tokens exchanged in it become access tokens that may
/// read its environments, as a [`Credential`] may read its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct IdentityPool {
    /// The pool id, the exchange's `identity_pool_id`, unique among the pools.
    pub id: String,
    /// The environment ids its access tokens may read; `"*"` (the default) means all of them.
    #[serde(default = "all_environments")]
    pub environments: Vec<String>,
}

impl IdentityPool {
    /// A pool whose access tokens may read every environment.
    pub fn new(id: impl Into<String>) -> IdentityPool {
        IdentityPool {
            id: id.into(),
            environments: all_environments(),
        }
    }

    /// Restricts the pool's access tokens to these environment ids.
    pub fn only_environments<I, S>(mut self, environments: I) -> IdentityPool
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.environments = environments.into_iter().map(Into::into).collect();
        self
    }

    /// Whether the pool's access tokens may read the environment `id`.
    pub fn may_access(&self, id: &str) -> bool {
        grants(&self.environments, id)
    }
}

/// Whether a list of environment ids, where `"*"` means all, includes `id`.
fn grants(environments: &[String], id: &str) -> bool {
    environments.iter().any(|e| e == "*" || e == id)
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
}

/// The API key of the built-in default configuration, with access to every environment.
pub const DEFAULT_API_KEY: &str = "EMUKEY0000000001";
/// The secret of [`DEFAULT_API_KEY`]. It is a well-known test value, not a secret.
pub const DEFAULT_API_SECRET: &str = "emulator-secret-1";
/// The client id of the identity provider's client in the built-in default configuration.
pub const DEFAULT_OAUTH_CLIENT_ID: &str = "emu-client";
/// The secret of [`DEFAULT_OAUTH_CLIENT_ID`]. It is a well-known test value, not a secret.
pub const DEFAULT_OAUTH_CLIENT_SECRET: &str = "emu-client-secret";
/// The identity pool of the built-in default configuration, with access to every environment.
pub const DEFAULT_IDENTITY_POOL_ID: &str = "pool-emu001";

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

fn default_idp_token_lifetime_secs() -> u64 {
    3600
}

fn default_sts_token_lifetime_secs() -> u64 {
    900
}

fn all_environments() -> Vec<String> {
    vec!["*".to_owned()]
}
