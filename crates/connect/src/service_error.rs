//! The two errors the service reports in its own terms: its documented error body, and a 429
//! with what it said about its rate limit.

use std::fmt;

use confluent_connect_api::types::ConnectV1ConnectorError;
use reqwest::StatusCode;

/// An error the service reported with its documented body, `{"error": {"code", "message"}}`.
///
/// `#[non_exhaustive]`: the service may add to its error body, and a field for it here must
/// not break your code. Build one with [`ApiError::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The service's error code (usually the status again).
    pub code: Option<i64>,
    /// The service's message.
    pub message: Option<String>,
    /// The `X-Request-Id` header, if sent.
    pub request_id: Option<String>,
}

impl std::error::Error for ApiError {}

impl ApiError {
    /// An error with this status, code, message and request id.
    pub fn new(
        status: StatusCode,
        code: Option<i64>,
        message: Option<String>,
        request_id: Option<String>,
    ) -> Self {
        ApiError {
            status,
            code,
            message,
            request_id,
        }
    }

    /// Reads the service's documented error body, `{"error": {"code", "message"}}`.
    ///
    /// Returns `None` when the body is not JSON of that shape.
    ///
    /// ```
    /// use confluent_connect::{ApiError, StatusCode};
    ///
    /// let body = br#"{"error": {"code": 404, "message": "resource not found"}}"#;
    /// let error = ApiError::from_body(StatusCode::NOT_FOUND, body, None).unwrap();
    /// assert_eq!(error.message.as_deref(), Some("resource not found"));
    /// ```
    pub fn from_body(status: StatusCode, body: &[u8], request_id: Option<String>) -> Option<Self> {
        let body: ConnectV1ConnectorError = serde_json::from_slice(body).ok()?;
        body.error
            .is_some()
            .then(|| Self::from_generated(status, body, request_id))
    }

    pub(crate) fn from_generated(
        status: StatusCode,
        body: ConnectV1ConnectorError,
        request_id: Option<String>,
    ) -> Self {
        let (code, message) = body
            .error
            .map(|e| (e.code, e.message))
            .unwrap_or((None, None));
        Self {
            status,
            code,
            message,
            request_id,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Confluent Cloud answered {}", self.status)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        match (self.code, &self.request_id) {
            (Some(code), Some(id)) => write!(f, " (code {code}, request id {id})")?,
            (Some(code), None) => write!(f, " (code {code})")?,
            (None, Some(id)) => write!(f, " (request id {id})")?,
            (None, None) => {}
        }
        f.write_str(api_hint(self.status))
    }
}

fn api_hint(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => ". The service refused the request as malformed: check the ids and the name",
        401 => {
            ". Check the Cloud API key and secret (CONFLUENT_CLOUD_API_KEY and \
             CONFLUENT_CLOUD_API_SECRET): a Kafka cluster API key is refused here, it must be \
             a Cloud resource key"
        }
        403 => {
            ". The credentials are valid but may not read this connector: give their service \
             account a role on the environment or cluster"
        }
        404 => {
            ". No such environment, Kafka cluster or connector: check the ids (env-..., \
             lkc-...) and the connector name, which is case-sensitive"
        }
        500..=599 => ". The service failed: retry later, and quote the request id if it persists",
        _ => "",
    }
}

/// A 429 answer, with everything the service said about its rate limit.
///
/// `#[non_exhaustive]`: the service may send more about its limits, and a field for it here
/// must not break your code. Build one with [`RateLimited::new`] and the `with_` methods.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimited {
    /// `Retry-After`: seconds to wait before trying again.
    pub retry_after: Option<u64>,
    /// `X-RateLimit-Limit`: requests allowed per window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: requests left in the current window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset`: seconds until the window resets (relative, not an epoch).
    pub reset: Option<u64>,
    /// The `X-Request-Id` header, if sent.
    pub request_id: Option<String>,
}

impl std::error::Error for RateLimited {}

impl RateLimited {
    /// A 429 whose answer carried none of the rate-limit headers.
    pub fn new() -> Self {
        RateLimited::default()
    }

    /// With `Retry-After`, in seconds.
    pub fn with_retry_after(mut self, seconds: Option<u64>) -> Self {
        self.retry_after = seconds;
        self
    }

    /// With `X-RateLimit-Limit`.
    pub fn with_limit(mut self, limit: Option<u64>) -> Self {
        self.limit = limit;
        self
    }

    /// With `X-RateLimit-Remaining`.
    pub fn with_remaining(mut self, remaining: Option<u64>) -> Self {
        self.remaining = remaining;
        self
    }

    /// With `X-RateLimit-Reset`, in seconds.
    pub fn with_reset(mut self, seconds: Option<u64>) -> Self {
        self.reset = seconds;
        self
    }

    /// With the `X-Request-Id` header.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }
}

impl fmt::Display for RateLimited {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("rate limited by Confluent Cloud (429 Too Many Requests)")?;
        let mut details = Vec::new();
        if let Some(limit) = self.limit {
            details.push(format!("limit {limit}"));
        }
        if let Some(remaining) = self.remaining {
            details.push(format!("remaining {remaining}"));
        }
        if let Some(reset) = self.reset {
            details.push(format!("window resets in {reset}s"));
        }
        if let Some(id) = &self.request_id {
            details.push(format!("request id {id}"));
        }
        if !details.is_empty() {
            write!(f, " ({})", details.join(", "))?;
        }
        match self.retry_after.or(self.reset) {
            Some(seconds) => write!(f, ": retry in {seconds}s"),
            None => f.write_str(": retry later, more slowly"),
        }
    }
}
