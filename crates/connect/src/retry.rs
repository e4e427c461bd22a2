//! When a failed request is sent again, and how long to wait first.

use std::time::Duration;

use reqwest::StatusCode;

use crate::Error;

/// How the client retries requests that failed in a way a later try can fix.
///
/// One policy serves every call of a [`Client`](crate::Client) (set it with
/// [`ClientBuilder::retry_policy`](crate::ClientBuilder::retry_policy)). What is retried:
///
/// | failure | reads (`GET`) | offsets changes (`POST`) |
/// | --- | --- | --- |
/// | 429 | after `Retry-After`, else `X-RateLimit-Reset` | the same |
/// | connection refused (nothing was sent) | yes | yes |
/// | 500, 502, 503, 504 | yes | no: the change may have been made |
/// | timeout, connection broken mid-way | yes | no: the outcome is unknown |
/// | any other answer | no | no |
///
/// Other waits are exponential with full jitter: a random time between zero and
/// `initial_backoff * 2^(retry - 1)`, at most `max_backoff`. Tries stop after `max_attempts`, or
/// when the next wait would end past `deadline` (counted from when the first try was sent, after
/// any wait for the [`Pacing`](crate::Pacing)): the client never sleeps past it. When it gives up after more than one try, the error is
/// [`Error::RetriesExhausted`], which lists why each try failed.
///
/// ```
/// use std::time::Duration;
/// use confluent_connect::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(8)
///     .deadline(Duration::from_secs(300));
/// assert_eq!(patient.attempts(), 8);
/// assert_eq!(RetryPolicy::none().attempts(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    deadline: Duration,
}

impl Default for RetryPolicy {
    /// 4 tries in all, waits from 250 ms doubling up to 8 s, within 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            deadline: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Never retries: every request is sent once.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// How many tries in all, the first included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The upper bound of the first jittered wait; it doubles with each retry.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The largest upper bound of a jittered wait.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The time, from the first try, past which no wait may end.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// How many tries in all.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The overall deadline.
    pub fn time_limit(&self) -> Duration {
        self.deadline
    }

    /// The jittered wait before retry number `retry` (1 for the first retry).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let doubling = 2_u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self
            .initial_backoff
            .saturating_mul(doubling)
            .min(self.max_backoff);
        let ceiling_ms = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(rand::random_range(0..=ceiling_ms))
    }
}

/// Whether `error` may be fixed by sending the request again, and if the service said when:
/// `None` to stop, `Some(None)` to retry after a backoff, `Some(Some(wait))` to retry after
/// `wait`. `idempotent` requests (reads) may be resent whenever the failure is passing; the
/// others only when the service surely did not act.
pub(crate) fn retry_hint(error: &Error, idempotent: bool) -> Option<Option<Duration>> {
    match error {
        Error::RateLimited(limited) => Some(
            limited
                .retry_after
                .or(limited.reset)
                .map(Duration::from_secs),
        ),
        Error::Transport {
            status: None,
            source,
        } if source.is_connect() => Some(None),
        Error::Transport { .. } | Error::Timeout { .. } if idempotent => Some(None),
        Error::Api(api) if idempotent && passing(api.status) => Some(None),
        Error::UnexpectedResponse { status, .. } if idempotent && passing(*status) => Some(None),
        _ => None,
    }
}

/// Statuses that say the service could not answer now, not that the request is wrong.
fn passing(status: StatusCode) -> bool {
    matches!(status.as_u16(), 500 | 502 | 503 | 504)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiError, RateLimited};

    fn api(status: u16) -> Error {
        Error::Api(ApiError {
            status: StatusCode::from_u16(status).expect("a status"),
            code: None,
            message: None,
            request_id: None,
        })
    }

    fn limited(retry_after: Option<u64>, reset: Option<u64>) -> Error {
        Error::RateLimited(RateLimited {
            retry_after,
            limit: None,
            remaining: None,
            reset,
            request_id: None,
        })
    }

    #[test]
    fn a_429_waits_retry_after_first_then_the_reset() {
        assert_eq!(
            retry_hint(&limited(Some(3), Some(9)), true),
            Some(Some(Duration::from_secs(3)))
        );
        assert_eq!(
            retry_hint(&limited(None, Some(9)), true),
            Some(Some(Duration::from_secs(9)))
        );
        assert_eq!(retry_hint(&limited(None, None), true), Some(None));
    }

    #[test]
    fn a_429_is_retried_for_changes_too() {
        assert_eq!(
            retry_hint(&limited(Some(1), None), false),
            Some(Some(Duration::from_secs(1)))
        );
    }

    #[test]
    fn passing_server_errors_are_retried_for_reads_only() {
        for status in [500, 502, 503, 504] {
            assert_eq!(retry_hint(&api(status), true), Some(None), "{status}");
            assert_eq!(retry_hint(&api(status), false), None, "{status}");
        }
    }

    #[test]
    fn client_errors_are_never_retried() {
        for status in [400, 401, 403, 404, 409, 501] {
            assert_eq!(retry_hint(&api(status), true), None, "{status}");
        }
    }

    #[test]
    fn a_backoff_never_exceeds_its_doubling_ceiling() {
        let policy = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(policy.backoff(1) <= Duration::from_millis(100));
            assert!(policy.backoff(2) <= Duration::from_millis(200));
            assert!(policy.backoff(3) <= Duration::from_millis(350));
            assert!(policy.backoff(30) <= Duration::from_millis(350));
        }
    }

    #[test]
    fn none_means_one_attempt() {
        assert_eq!(RetryPolicy::none().attempts(), 1);
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
    }
}
