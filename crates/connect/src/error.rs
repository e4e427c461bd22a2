//! The facade's one error type.

use std::fmt;

use crate::service_error::{ApiError, RateLimited};
use reqwest::StatusCode;

use crate::alter::{AlterPhase, AlterStatus};
use crate::credentials::CredentialsError;

/// Everything that can go wrong, kept apart by where it went wrong: before sending
/// ([`InvalidArgument`](Error::InvalidArgument), [`Config`](Error::Config)), on the way
/// ([`Timeout`](Error::Timeout), [`Transport`](Error::Transport)), or at the service
/// ([`Api`](Error::Api), [`RateLimited`](Error::RateLimited),
/// [`UnexpectedResponse`](Error::UnexpectedResponse), [`Decode`](Error::Decode),
/// [`MissingField`](Error::MissingField),
/// [`BodyTooLarge`](Error::BodyTooLarge)).
///
/// Whenever the service answered, the HTTP status is kept ([`Error::status`]), and so is its
/// `X-Request-Id` ([`Error::request_id`]), which Confluent support asks for. No variant holds
/// a credential, and none prints one.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An argument was refused before anything was sent.
    #[error("invalid {argument} {value:?}: {reason}. No request was sent")]
    InvalidArgument {
        /// Which argument; it displays as its name, e.g. `connector_name`.
        argument: Argument,
        /// The value as given (never a secret: credentials are not checked here).
        value: String,
        /// What is wrong with it.
        reason: String,
    },

    /// The client could not be built: missing credentials, a base URL that is not one, ...
    #[error("cannot configure the Confluent Cloud client: {0}")]
    Config(String),

    /// No credentials to send: the [`CredentialsProvider`](crate::CredentialsProvider) failed,
    /// e.g. the identity provider or Confluent's token exchange refused (OAuth). Nothing was
    /// sent to the API.
    #[error(transparent)]
    Credentials(CredentialsError),

    /// The service answered with a documented error body.
    #[error(transparent)]
    Api(ApiError),

    /// The service answered 429: too many requests for now.
    #[error(transparent)]
    RateLimited(RateLimited),

    /// The service (or something in front of it) answered with a status or a body the API
    /// does not document: an HTML page from a gateway, an empty body, plain text, ...
    #[error(
        "unexpected response {status}{}: {}{}",
        request_id_suffix(.request_id),
        excerpt_or_empty(.body_excerpt),
        unexpected_hint(*.status)
    )]
    UnexpectedResponse {
        /// The HTTP status.
        status: StatusCode,
        /// The start of the body (at most a few hundred characters), for the log.
        body_excerpt: String,
        /// The `X-Request-Id` header, if sent.
        request_id: Option<String>,
    },

    /// A documented JSON body did not have the documented shape.
    #[error(
        "the {status} response{} does not have the documented shape: {message}. The body \
         starts: {body_excerpt}",
        request_id_suffix(.request_id)
    )]
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// What serde found wrong.
        message: String,
        /// The start of the body.
        body_excerpt: String,
        /// The `X-Request-Id` header, if sent.
        request_id: Option<String>,
    },

    /// A success answer without a field that the documented answer has and that the facade
    /// needs, or with that field `null`: an offsets answer without `offsets`, such as `{}` or
    /// a proxy's error object. It is not the documented answer, and it is not read as an empty
    /// one ("no offsets yet"): a connector without offsets is answered with `"offsets": []`.
    #[error(
        "the {status} answer{} has no `{field}` field (or it is null), so it is not the \
         documented answer and is not read as an empty one; {}",
        request_id_suffix(.request_id),
        excerpt_or_empty(.body_excerpt)
    )]
    MissingField {
        /// The HTTP status.
        status: StatusCode,
        /// The field that is missing or `null`, e.g. `offsets`.
        field: String,
        /// The start of the body.
        body_excerpt: String,
        /// The `X-Request-Id` header, if sent.
        request_id: Option<String>,
    },

    /// The request, or reading its response, took longer than the configured timeout.
    #[error(
        "the request to Confluent Cloud timed out{}: retry, or raise the limit with \
         ClientBuilder::timeout",
        status_suffix(.status)
    )]
    Timeout {
        /// The status, if the response had begun.
        status: Option<StatusCode>,
        /// The underlying error (from the HTTP client).
        #[source]
        source: BoxError,
    },

    /// The response body was longer than the client's limit, so reading stopped there.
    #[error(
        "the {status} response{} is larger than the limit of {limit} bytes, so it was not read to the end: raise the limit with ClientBuilder::response_body_limit if it is expected",
        request_id_suffix(.request_id)
    )]
    BodyTooLarge {
        /// The HTTP status.
        status: StatusCode,
        /// The limit, in bytes.
        limit: usize,
        /// The `X-Request-Id` header, if sent.
        request_id: Option<String>,
    },

    /// The answer began (its status and headers arrived) and its body was cut off before its
    /// end: the connection closed or failed while the body was being read.
    #[error(
        "the {status} answer{} was cut off after {received} bytes{}: {}. Retry; if it keeps \
         happening, something between here and the service is cutting answers short",
        request_id_suffix(.request_id),
        announced_suffix(*.announced),
        chain(.source.as_ref())
    )]
    BodyCutOff {
        /// The HTTP status.
        status: StatusCode,
        /// How many bytes of the body arrived before it was cut off.
        received: u64,
        /// The body's length as its `Content-Length` announced it, if it did.
        announced: Option<u64>,
        /// The `X-Request-Id` header, if sent.
        request_id: Option<String>,
        /// The underlying error (from the HTTP client).
        #[source]
        source: BoxError,
    },

    /// The answer was a redirect that the client does not follow: to another origin (scheme,
    /// host or port) than the base URL's, which includes any from `https` to `http`, or past
    /// the fifth redirect. Another host's answer is never taken for the service's.
    #[error(
        "the {status} answer{} redirects to {}, which is not followed: a redirect is followed \
         only within the base URL's origin (the same scheme, host and port). Check the base URL",
        request_id_suffix(.request_id),
        location.as_deref().unwrap_or("nowhere (no Location header)")
    )]
    Redirected {
        /// The HTTP status, e.g. 302.
        status: StatusCode,
        /// The `Location` header, if it was sent as text.
        location: Option<String>,
        /// The `X-Request-Id` header, if sent.
        request_id: Option<String>,
    },

    /// An offsets change ended in the `FAILED` phase.
    #[error(
        "the offsets change of connector {connector} failed: {}. The offsets were not changed",
        message.as_deref().unwrap_or("the service gave no reason")
    )]
    AlterFailed {
        /// The connector's name.
        connector: String,
        /// The service's message.
        message: Option<String>,
        /// The whole status, with the request.
        status: Box<AlterStatus>,
    },

    /// Waiting for an offsets change gave up before it was over.
    #[error(
        "gave up waiting for the offsets change of connector {connector} after {:.1} s: it is \
         still {phase}. Read Connector::alter_status later, or wait longer",
        waited.as_secs_f64()
    )]
    AlterTimedOut {
        /// The connector's name.
        connector: String,
        /// The last phase read.
        phase: AlterPhase,
        /// How long it waited.
        waited: std::time::Duration,
    },

    /// Waiting for an offsets change gave up while the status still showed an earlier change:
    /// the service had not yet shown the one asked for.
    #[error(
        "gave up waiting for the offsets change of connector {connector} after {:.1} s: the \
         status still shows an earlier change (requested at {}, {}). Read \
         Connector::alter_status later",
        waited.as_secs_f64(),
        seen.request.requested_at.raw(),
        seen.phase
    )]
    AlterNotSeen {
        /// The connector's name.
        connector: String,
        /// How long it waited.
        waited: std::time::Duration,
        /// The last status read, of the earlier change.
        seen: Box<AlterStatus>,
    },

    /// A request failed on every try the [`RetryPolicy`](crate::RetryPolicy) allowed.
    #[error(
        "gave up after {attempts} tries ({stopped}): {}. The last error: {last}",
        numbered(.causes)
    )]
    RetriesExhausted {
        /// How many times the request was sent (or tried to be).
        attempts: u32,
        /// Why there was no other try: the bound that applied.
        stopped: RetryStop,
        /// Why each try failed, in order; the last one is `last`.
        causes: Vec<String>,
        /// The error of the last try.
        last: Box<Error>,
    },

    /// The service could not be reached, or the connection broke.
    #[error(
        "could not talk to Confluent Cloud{}: {}. Check the base URL and the network",
        status_suffix(.status),
        chain(.source.as_ref())
    )]
    Transport {
        /// The status, if the response had begun.
        status: Option<StatusCode>,
        /// The underlying error (from the HTTP client).
        #[source]
        source: BoxError,
    },
}

/// Why the client stopped trying a request, as [`Error::RetriesExhausted`] tells it.
///
/// `#[non_exhaustive]`: a retry policy may gain other bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryStop {
    /// The last answer is not one that another try could change (e.g. a 404 after a 503).
    NotRetryable,
    /// The [`RetryPolicy`](crate::RetryPolicy) allows no more tries.
    MaxAttempts {
        /// The policy's [`max_attempts`](crate::RetryPolicy::max_attempts).
        max_attempts: u32,
    },
    /// The wait before another try would end past the policy's deadline.
    Deadline {
        /// The policy's [`deadline`](crate::RetryPolicy::deadline), from the first try.
        deadline: std::time::Duration,
    },
}

impl fmt::Display for RetryStop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryStop::NotRetryable => f.write_str("the last answer is not one to retry"),
            RetryStop::MaxAttempts { max_attempts } => {
                write!(f, "the retry policy allows {max_attempts} tries")
            }
            RetryStop::Deadline { deadline } => write!(
                f,
                "another try would end past the {} s deadline",
                deadline.as_secs_f64()
            ),
        }
    }
}

/// An argument that [`Error::InvalidArgument`] refuses.
///
/// `#[non_exhaustive]`: new operations bring new arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Argument {
    /// The environment id of a path, `environment_id`.
    EnvironmentId,
    /// The Kafka cluster id of a path, `kafka_cluster_id`.
    KafkaClusterId,
    /// The connector name of a path, `connector_name`.
    ConnectorName,
    /// The name of a default header, `header_name`.
    HeaderName,
    /// The value of a default header, `header_value`.
    HeaderValue,
    /// The entries of an offsets change, `offsets`.
    Offsets,
    /// A connector's configuration, `config`.
    Config,
    /// A connector plugin's name in a path, `plugin_name`.
    PluginName,
}

impl Argument {
    /// The argument's name, as the API and the spec write it, e.g. `connector_name`.
    pub fn name(self) -> &'static str {
        match self {
            Argument::EnvironmentId => "environment_id",
            Argument::KafkaClusterId => "kafka_cluster_id",
            Argument::ConnectorName => "connector_name",
            Argument::HeaderName => "header_name",
            Argument::HeaderValue => "header_value",
            Argument::Offsets => "offsets",
            Argument::Config => "config",
            Argument::PluginName => "plugin_name",
        }
    }
}

impl fmt::Display for Argument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The underlying error of a [`Error::Timeout`] or an [`Error::Transport`]: the HTTP client's,
/// boxed so that its type is not part of this crate's API.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

impl Error {
    /// The error of the last try: `self`, or what [`Error::RetriesExhausted`] ended with.
    pub fn last_try(&self) -> &Error {
        match self {
            Error::RetriesExhausted { last, .. } => last.last_try(),
            other => other,
        }
    }

    /// The HTTP status of the response, if the service answered (of the last try, after
    /// retries).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::RetriesExhausted { last, .. } => last.status(),
            Error::Api(e) => Some(e.status),
            Error::RateLimited(_) => Some(StatusCode::TOO_MANY_REQUESTS),
            Error::UnexpectedResponse { status, .. }
            | Error::Decode { status, .. }
            | Error::MissingField { status, .. }
            | Error::BodyTooLarge { status, .. }
            | Error::Redirected { status, .. }
            | Error::BodyCutOff { status, .. } => Some(*status),
            Error::Timeout { status, .. } | Error::Transport { status, .. } => *status,
            Error::InvalidArgument { .. }
            | Error::Config(_)
            | Error::Credentials(_)
            | Error::AlterFailed { .. }
            | Error::AlterTimedOut { .. }
            | Error::AlterNotSeen { .. } => None,
        }
    }

    /// Whether the connection could not be made (refused, no route, DNS): nothing was sent, so
    /// the service cannot have acted on the request.
    pub fn is_connect(&self) -> bool {
        match self.last_try() {
            Error::Transport { source, .. } => source
                .downcast_ref::<reqwest::Error>()
                .is_some_and(reqwest::Error::is_connect),
            _ => false,
        }
    }

    /// The underlying error of a [`Error::Timeout`] or an [`Error::Transport`] (of the last
    /// try) with its causes, joined by `: `, e.g. `error sending request: client error
    /// (Connect): tcp connect error: Connection refused (os error 111)`; `None` for the others.
    pub fn source_chain(&self) -> Option<String> {
        match self.last_try() {
            Error::Timeout { source, .. }
            | Error::Transport { source, .. }
            | Error::BodyCutOff { source, .. } => Some(chain(source.as_ref())),
            _ => None,
        }
    }

    /// Whether the request, or reading its answer, took longer than the client's timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self.last_try(), Error::Timeout { .. })
    }

    /// The service's `X-Request-Id` for the failed request, if it sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::RetriesExhausted { last, .. } => last.request_id(),
            Error::Api(e) => e.request_id.as_deref(),
            Error::RateLimited(e) => e.request_id.as_deref(),
            Error::UnexpectedResponse { request_id, .. }
            | Error::Decode { request_id, .. }
            | Error::MissingField { request_id, .. }
            | Error::BodyTooLarge { request_id, .. }
            | Error::Redirected { request_id, .. }
            | Error::BodyCutOff { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }
}

fn request_id_suffix(request_id: &Option<String>) -> String {
    request_id
        .as_ref()
        .map(|id| format!(" (request id {id})"))
        .unwrap_or_default()
}

fn announced_suffix(announced: Option<u64>) -> String {
    announced
        .map(|length| format!(" of the {length} it announced"))
        .unwrap_or_default()
}

fn status_suffix(status: &Option<StatusCode>) -> String {
    status.map(|s| format!(" (status {s})")).unwrap_or_default()
}

fn excerpt_or_empty(excerpt: &str) -> String {
    if excerpt.is_empty() {
        "the body is empty".to_string()
    } else {
        format!("the body starts: {excerpt}")
    }
}

fn unexpected_hint(status: StatusCode) -> &'static str {
    match status.as_u16() {
        200..=299 => {
            ". The API documents a JSON body here: is the base URL really Confluent Cloud?"
        }
        429 => ". Too many requests: retry later, more slowly",
        502..=504 => ". A gateway in front of the service failed: retry later",
        500..=599 => ". The service failed: retry later",
        _ => "",
    }
}

/// An error and its causes, joined by `: `.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// `1) first; 2) second; ...` for an error message.
fn numbered(causes: &[String]) -> String {
    causes
        .iter()
        .enumerate()
        .map(|(i, cause)| format!("{}) {cause}", i + 1))
        .collect::<Vec<_>>()
        .join("; ")
}
