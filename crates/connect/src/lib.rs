//! Read where your Confluent Cloud connectors are.
//!
//! `confluent-connect` is a client for Confluent Cloud's Connect v1 offsets API, for the
//! engineers and SREs who run fully managed Kafka connectors. It wraps the client that
//! progenitor generates from the published OpenAPI spec (`confluent-connect-api`) with what a
//! program needs around it:
//!
//! - [credentials](ClientBuilder) from code or from the environment ([`Client::from_env`]),
//!   kept in `secrecy` types and never printed;
//! - [typed offsets](ConnectorOffsets) that keep every JSON value exactly, with a
//!   [sink view](ConnectorOffsets::sink) and [lenient timestamps](Timestamp);
//! - [one file format](OffsetsFile) to export and import offsets, as Kafka Connect and the CLI use;
//! - [one error type](Error) that tells "the service said no" from "we never reached it",
//!   keeps the HTTP status and request id, and says what to do;
//! - safe path handling: names that would reach another endpoint are refused before sending;
//! - one tracing span per request (operation, status, duration, request id), never a secret.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use confluent_connect::Client;
//!
//! // CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET hold a Cloud API key.
//! let client = Client::from_env()?;
//! let offsets = client
//!     .connector("env-abc123", "lkc-abc123", "MysqlSinkConnector")
//!     .offsets()
//!     .await?;
//! if let Some(at) = &offsets.observed_at {
//!     println!("observed at {at}");
//! }
//! for entry in offsets.sink()? {
//!     println!("{} [{}] at {}", entry.topic, entry.partition, entry.offset);
//! }
//! # Ok(())
//! # }
//! ```

mod alter;
mod alter_check;
mod atomic_file;
mod client;
mod complete;
mod connector;
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
mod timestamp;
mod transport;

pub use alter::{AlterKind, AlterPhase, AlterRequest, AlterStatus, WaitOptions};
pub use atomic_file::write_atomically;
pub use client::{
    API_KEY_VAR, API_SECRET_VAR, BASE_URL_VAR, Client, ClientBuilder, DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_RESPONSE_BODY_LIMIT, DEFAULT_TIMEOUT,
};
pub use connector::Connector;
pub use error::{Argument, BoxError, Error, RetryStop};
pub use fresh::FreshOffsets;
pub use hint::Hint;
pub use offsets::{ConnectorOffsets, JsonObject, NotSinkOffset, PartitionOffset, SinkOffset};
pub use offsets_file::{OffsetsFile, OffsetsFileError};
pub use pacing::Pacing;
pub use reqwest::StatusCode;
pub use retry::RetryPolicy;
pub use service_error::{ApiError, RateLimited};
pub use timestamp::Timestamp;
