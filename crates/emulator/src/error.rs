//! Why the emulator, or its configuration, could not do what was asked.
//!
//! Its own module, so that every module that refuses something (the configuration, the faults,
//! the server) reaches these without importing another that imports it back.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Why the emulator could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// The configuration is not valid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The port could not be bound.
    #[error("cannot listen on {addr}: {source}; choose another port, or 0 for any free one")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A change for one connector (a task failure) was given another scope.
    #[error(
        "a task failure is set on one connector: use FaultScope::connector(environment, cluster, name)"
    )]
    NotOneConnector,
    /// A fault setting named a connector the emulator does not have.
    #[error("no connector {name:?} in environment {environment}, cluster {cluster}")]
    UnknownConnector {
        /// The environment id given.
        environment: String,
        /// The cluster id given.
        cluster: String,
        /// The connector name given.
        name: String,
    },
    /// The clock was asked to move, but it follows the system clock.
    #[error(
        "the emulator's clock follows the system clock and cannot be moved; start it with a manual clock (`manual_clock_start`)"
    )]
    ClockNotManual,
    /// A subject token was asked for, but the configuration has no `oauth` section.
    #[error(
        "the emulator serves no OAuth: give its configuration an `oauth` section (`Config::oauth`)"
    )]
    OAuthOff,
    /// A subject token was asked for a client the identity provider does not have.
    #[error("the identity provider has no client {client_id:?}: list it in `oauth.clients`")]
    UnknownOAuthClient {
        /// The client id given.
        client_id: String,
    },
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

/// A [`ConfigError::Invalid`] at `at`, for `reason`.
pub(crate) fn invalid<T>(at: &str, reason: &str) -> Result<T, ConfigError> {
    Err(ConfigError::Invalid {
        at: at.to_owned(),
        reason: reason.to_owned(),
    })
}
