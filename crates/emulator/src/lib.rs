//! A local, stateful emulator of Confluent Cloud's Connect v1 API: connector offsets, and the
//! connectors themselves.
//!
//! It serves the operations of `openapi/connect-v1.yaml` on 127.0.0.1 with the bodies of the
//! generated `confluent-connect-api` crate, so server and client cannot drift apart. Use it to
//! try the library, to test code that reads connector offsets, and in CI, the way LocalStack or
//! stripe-mock are used.
//!
//! - **State**: environments, Kafka clusters and sink and source connectors ([`Config`]).
//! - **Connectors**: list them (with the `?expand=id,info,status` expansions), create one (with
//!   the offsets it starts from), read, configure, pause, resume and delete one, and read its
//!   status; a paused connector's offsets stand still, and a task can be failed at run time
//!   ([`Emulator::fail_task`]) so that its state and trace show and its offsets stall.
//! - **A self-managed Kafka Connect worker** on a second listener
//!   ([`EmulatorBuilder::self_managed_worker`]): configuration, status, KIP-875 offsets, stop
//!   and resume, to migrate its connectors into the emulated Confluent Cloud.
//! - **Live progress**: offsets advance at configured rates; they are observed every
//!   `observation_interval_ms`, and the API returns the last observation and its `observed_at`.
//! - **Auth as the service does it**: 401, 403, 404 and 400 with the documented error body.
//! - **OAuth** ([`OAuth`]): an identity provider's token endpoint (client credentials) and
//!   Confluent's token exchange (`POST /sts/v1/oauth2/token`); the API accepts the access
//!   tokens it issued until they expire, by the emulator's clock, so a client's refresh can be
//!   tested ([`Emulator::oauth_stats`]).
//! - **Rate limiting** per credential with `X-RateLimit-*` headers; 429 with `Retry-After`.
//! - **Fault injection** ([`Faults`]): errors, latency, dropped connections and truncated
//!   bodies, globally or per connector, set at start or at run time (see [`admin`]).
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use connect_emulator::{Emulator, DEFAULT_API_KEY, DEFAULT_API_SECRET};
//!
//! let emulator = Emulator::builder().start().await?;
//! let url = format!(
//!     "{}/connect/v1/environments/env-emu001/clusters/lkc-emu001/connectors/orders-sink/offsets",
//!     emulator.base_url()
//! );
//! // Any HTTP client works; the `confluent-connect` crate is the intended one.
//! # let _ = (url, DEFAULT_API_KEY, DEFAULT_API_SECRET);
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```

#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod accept;
pub mod admin;
mod api;
mod app;
mod auth;
mod clock;
pub mod config;
mod connection;
mod error;
pub mod faults;
pub mod ids;
mod manage;
mod oauth;
mod rate_limit;
mod response;
mod router;
mod server;
mod state;
mod stats;
mod worker;

pub use app::FaultScope;
pub use config::{
    Cluster, Config, ConfigError, ConnectorSpec, Credential, DEFAULT_API_KEY, DEFAULT_API_SECRET,
    DEFAULT_IDENTITY_POOL_ID, DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET, Environment,
    IdentityPool, OAuth, OAuthClient, RateLimit, SinkSpec, SourcePartitionSpec, SourceSpec,
    TopicSpec,
};
pub use error::EmulatorError;
pub use faults::{ErrorBody, Faults};
pub use router::{ADMIN_PREFIX, API_PREFIX, IDP_TOKEN_PATH, STS_TOKEN_PATH};
pub use server::{Emulator, EmulatorBuilder};
pub use stats::{OAuthStats, Stats};
