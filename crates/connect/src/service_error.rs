//! The two errors the service reports in its own terms: its documented error body, and a 429
//! with what it said about its rate limit.

use std::fmt;

use confluent_connect_api::types::ConnectV1ConnectorError;
use reqwest::StatusCode;

use crate::headers;

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
            details.push(format!("window resets in {}", wait_text(reset)));
        }
        if let Some(id) = &self.request_id {
            details.push(format!("request id {id}"));
        }
        if !details.is_empty() {
            write!(f, " ({})", details.join(", "))?;
        }
        match self.retry_after.or(self.reset) {
            Some(seconds) if headers::is_plausible_wait(seconds) => {
                write!(f, ": retry in {seconds}s")
            }
            Some(seconds) => write!(
                f,
                ": the service asked for a wait of {}; not waiting",
                wait_text(seconds)
            ),
            None => f.write_str(": retry later, more slowly"),
        }
    }
}

/// `27s`; or, for a wait longer than any the service means, what it amounts to and, when it
/// looks like one, the Unix time it probably is: `57 years (1796293778 s; as a Unix time,
/// 2026-12-03T10:29:38Z)`.
fn wait_text(seconds: u64) -> String {
    if headers::is_plausible_wait(seconds) {
        return format!("{seconds}s");
    }
    const DAY: u64 = 86_400;
    const YEAR: u64 = 365 * DAY + DAY / 4;
    let amount = if seconds >= YEAR {
        let years = (seconds + YEAR / 2) / YEAR;
        format!("{years} year{}", if years == 1 { "" } else { "s" })
    } else {
        format!("{} days", (seconds + DAY / 2) / DAY)
    };
    // Unix times of this century are ten-digit numbers of seconds.
    let as_time = (1_000_000_000..10_000_000_000)
        .contains(&seconds)
        .then(|| i64::try_from(seconds).ok())
        .flatten()
        .and_then(|seconds| chrono::DateTime::from_timestamp(seconds, 0))
        .map(|time| format!("; as a Unix time, {}", time.format("%Y-%m-%dT%H:%M:%SZ")))
        .unwrap_or_default();
    format!("{amount} ({seconds} s{as_time})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_retry_after_that_looks_like_a_unix_time_is_reported_as_what_it_is() {
        let limited = RateLimited::new()
            .with_retry_after(Some(1_796_293_778))
            .with_request_id(Some("req-1".to_owned()));
        assert_eq!(
            limited.to_string(),
            "rate limited by Confluent Cloud (429 Too Many Requests) (request id req-1): the \
             service asked for a wait of 57 years (1796293778 s; as a Unix time, \
             2026-12-03T10:29:38Z); not waiting"
        );
    }

    #[test]
    fn a_reset_of_some_days_is_reported_in_days() {
        let limited = RateLimited::new().with_reset(Some(3 * 86_400));
        assert_eq!(
            limited.to_string(),
            "rate limited by Confluent Cloud (429 Too Many Requests) (window resets in 3 days \
             (259200 s)): the service asked for a wait of 3 days (259200 s); not waiting"
        );
    }

    #[test]
    fn a_plausible_wait_is_given_in_seconds() {
        let limited = RateLimited::new()
            .with_retry_after(Some(30))
            .with_reset(Some(27));
        assert_eq!(
            limited.to_string(),
            "rate limited by Confluent Cloud (429 Too Many Requests) (window resets in 27s): \
             retry in 30s"
        );
    }
}
