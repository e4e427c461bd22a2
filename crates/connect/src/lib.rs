#![doc = include_str!("../README.md")]

mod alter;
mod alter_check;
mod atomic_file;
mod client;
mod cluster;
mod complete;
mod config;
mod connector;
mod credentials;
mod error;
mod fresh;
mod headers;
mod hint;
mod offsets;
mod offsets_file;
mod pacing;
mod path;
mod redirect;
mod retry;
mod service_error;
mod status;
mod timestamp;
mod transport;

pub use alter::{AlterKind, AlterPhase, AlterRequest, AlterStatus, WaitOptions};
pub use atomic_file::write_atomically;
pub use client::{
    API_KEY_VAR, API_SECRET_VAR, BASE_URL_VAR, Client, ClientBuilder, DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_BODY_LIMIT, DEFAULT_TIMEOUT,
};
pub use cluster::{Cluster, CreateConnector, REQUIRED_CREATE_KEYS};
pub use config::{ConnectorConfig, REDACTED};
pub use connector::Connector;
pub use credentials::{
    AccessToken, Authorization, BoxFuture, CredentialsError, CredentialsProvider,
    DEFAULT_REFRESH_AT, OAUTH_CLIENT_ID_VAR, OAUTH_CLIENT_SECRET_VAR, OAUTH_IDENTITY_POOL_ID_VAR,
    OAUTH_SCOPE_VAR, OAUTH_SUBJECT_TOKEN_FILE_VAR, OAUTH_TOKEN_URL_VAR, OAuth,
    RefreshingCredentials, TokenSide, TokenSource,
};
pub use error::{Argument, BoxError, Error, RetryStop};
pub use fresh::FreshOffsets;
pub use hint::Hint;
pub use offsets::{ConnectorOffsets, JsonObject, NotSinkOffset, PartitionOffset, SinkOffset};
pub use offsets_file::{OffsetsFile, OffsetsFileError};
pub use pacing::Pacing;
pub use reqwest::StatusCode;
pub use retry::RetryPolicy;
pub use service_error::{ApiError, RateLimited};
pub use status::{
    ConfigCheck, ConfigValidation, ConnectorInfo, ConnectorKind, ConnectorState, ConnectorStatus,
    ConnectorSummary, Plugin, TaskConfig, TaskStatus,
};
pub use timestamp::Timestamp;
