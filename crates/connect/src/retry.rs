//! When a failed request is sent again, and how long to wait first.

use std::time::Duration;

use reqwest::StatusCode;

use crate::error::{Error, RetryStop};
use crate::headers;

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
/// Getting credentials (an OAuth token) is retried under the same policy before anything is
/// sent: when the identity provider or the token exchange cannot be reached, fails (5xx) or
/// limits the rate (429, after its `Retry-After` when it sends one).
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
///     .with_max_attempts(8)
///     .with_deadline(Duration::from_secs(300));
/// assert_eq!(patient.max_attempts(), 8);
/// assert_eq!(RetryPolicy::none().max_attempts(), 1);
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
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The upper bound of the first jittered wait; it doubles with each retry.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The largest upper bound of a jittered wait.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The time, from the first try, past which no wait may end.
    pub fn with_deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// How many tries in all, the first included.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The upper bound of the first jittered wait.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest upper bound of a jittered wait.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The time, from the first try, past which no wait may end.
    pub fn deadline(&self) -> Duration {
        self.deadline
    }

    /// How long to wait before try number `tries + 1`, when `retry` says a retry may help and
    /// `elapsed` has passed since the first try was sent; or why to give up: no retry, no try
    /// left, or a wait that would end past the deadline.
    pub(crate) fn wait_before_retry(
        &self,
        retry: Retry,
        tries: u32,
        elapsed: Duration,
    ) -> Result<Duration, RetryStop> {
        let wait = match retry {
            Retry::No => return Err(RetryStop::NotRetryable),
            _ if tries >= self.max_attempts => {
                return Err(RetryStop::MaxAttempts {
                    max_attempts: self.max_attempts,
                });
            }
            Retry::After(wait) => wait,
            Retry::AfterBackoff => self.backoff(tries),
        };
        // Never sleep past the deadline: give up instead.
        if elapsed + wait <= self.deadline {
            Ok(wait)
        } else {
            Err(RetryStop::Deadline {
                deadline: self.deadline,
            })
        }
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

/// Whether a failed request may succeed if sent again, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Sending it again cannot help, or could repeat a change the service made.
    No,
    /// Send it again after the policy's jittered backoff.
    AfterBackoff,
    /// Send it again after the wait the service asked for.
    After(Duration),
}

/// Whether `error` may be fixed by sending the request again. An idempotent request (a read)
/// may be resent whenever the failure is passing; the others only when the service surely did
/// not act: after a 429, or when the connection was refused before anything was sent.
pub(crate) fn decide(error: &Error, idempotency: Idempotency) -> Retry {
    let idempotent = idempotency == Idempotency::Idempotent;
    match error {
        Error::RateLimited(limited) => asked(limited.retry_after.or(limited.reset)),
        // Nothing was sent to the API: another try asks the credentials again, after the wait
        // the identity provider or the token exchange asked for, if it did.
        Error::Credentials(credentials) if credentials.is_transient() => {
            asked(credentials.retry_after())
        }
        Error::Transport { status: None, .. } if error.is_connect() => Retry::AfterBackoff,
        Error::Transport { .. } | Error::Timeout { .. } | Error::BodyCutOff { .. }
            if idempotent =>
        {
            Retry::AfterBackoff
        }
        Error::Api(api) if idempotent && passing(api.status) => Retry::AfterBackoff,
        Error::UnexpectedResponse { status, .. } if idempotent && passing(*status) => {
            Retry::AfterBackoff
        }
        _ => Retry::No,
    }
}

/// The retry after a wait of `seconds` that a service asked for, if it did.
fn asked(seconds: Option<u64>) -> Retry {
    match seconds {
        Some(seconds) if headers::is_plausible_wait(seconds) => {
            Retry::After(Duration::from_secs(seconds))
        }
        // The service asked for a wait nobody means (a Unix time, say): give up now and
        // report it, rather than sleep for years or guess.
        Some(_) => Retry::No,
        None => Retry::AfterBackoff,
    }
}

/// Whether sending a request twice has the effect of sending it once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// Reads, and PUT or DELETE: safe to resend after any passing failure.
    Idempotent,
    /// A POST that changes something: resent only when the service surely did not act.
    NotIdempotent,
}

/// Statuses that say the service could not answer now, not that the request is wrong.
fn passing(status: StatusCode) -> bool {
    matches!(status.as_u16(), 500 | 502 | 503 | 504)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiError, CredentialsError, RateLimited, TokenSide};

    fn api(status: u16) -> Error {
        Error::Api(ApiError::new(
            StatusCode::from_u16(status).expect("a status"),
            None,
            None,
            None,
        ))
    }

    fn limited(retry_after: Option<u64>, reset: Option<u64>) -> Error {
        Error::RateLimited(
            RateLimited::new()
                .with_retry_after(retry_after)
                .with_reset(reset),
        )
    }

    #[test]
    fn a_429_asking_for_more_than_a_day_is_not_retried() {
        for (retry_after, reset) in [(Some(1_796_293_778), None), (None, Some(86_401))] {
            assert_eq!(
                decide(&limited(retry_after, reset), Idempotency::Idempotent),
                Retry::No
            );
        }
        assert_eq!(
            decide(&limited(Some(86_400), None), Idempotency::Idempotent),
            Retry::After(Duration::from_secs(86_400))
        );
    }

    #[test]
    fn a_429_waits_retry_after_first_then_the_reset() {
        assert_eq!(
            decide(&limited(Some(3), Some(9)), Idempotency::Idempotent),
            Retry::After(Duration::from_secs(3))
        );
        assert_eq!(
            decide(&limited(None, Some(9)), Idempotency::Idempotent),
            Retry::After(Duration::from_secs(9))
        );
        assert_eq!(
            decide(&limited(None, None), Idempotency::Idempotent),
            Retry::AfterBackoff
        );
    }

    fn token_service_answered(status: u16, retry_after: Option<u64>) -> Error {
        Error::Credentials(CredentialsError::Unexpected {
            side: TokenSide::TokenExchange,
            url: "https://sts.example/sts/v1/oauth2/token".to_string(),
            status: StatusCode::from_u16(status).expect("a status"),
            body_excerpt: String::new(),
            request_id: None,
            retry_after,
        })
    }

    #[test]
    fn a_token_service_429_waits_its_retry_after_and_else_backs_off() {
        assert_eq!(
            decide(
                &token_service_answered(429, Some(7)),
                Idempotency::NotIdempotent
            ),
            Retry::After(Duration::from_secs(7))
        );
        assert_eq!(
            decide(&token_service_answered(503, None), Idempotency::Idempotent),
            Retry::AfterBackoff
        );
    }

    #[test]
    fn a_token_service_asking_for_more_than_a_day_is_not_retried() {
        assert_eq!(
            decide(
                &token_service_answered(429, Some(1_796_293_778)),
                Idempotency::Idempotent
            ),
            Retry::No
        );
    }

    #[test]
    fn a_retry_after_on_a_token_service_refusal_that_is_not_transient_is_not_waited() {
        assert_eq!(
            decide(
                &token_service_answered(404, Some(5)),
                Idempotency::Idempotent
            ),
            Retry::No
        );
    }

    #[test]
    fn a_429_is_retried_for_changes_too() {
        assert_eq!(
            decide(&limited(Some(1), None), Idempotency::NotIdempotent),
            Retry::After(Duration::from_secs(1))
        );
    }

    #[test]
    fn passing_server_errors_are_retried_for_reads_only() {
        for status in [500, 502, 503, 504] {
            assert_eq!(
                decide(&api(status), Idempotency::Idempotent),
                Retry::AfterBackoff,
                "{status}"
            );
            assert_eq!(
                decide(&api(status), Idempotency::NotIdempotent),
                Retry::No,
                "{status}"
            );
        }
    }

    #[test]
    fn client_errors_are_never_retried() {
        for status in [400, 401, 403, 404, 409, 501] {
            assert_eq!(
                decide(&api(status), Idempotency::Idempotent),
                Retry::No,
                "{status}"
            );
        }
    }

    #[test]
    fn a_backoff_never_exceeds_its_doubling_ceiling() {
        let policy = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(350));
        for _ in 0..200 {
            assert!(policy.backoff(1) <= Duration::from_millis(100));
            assert!(policy.backoff(2) <= Duration::from_millis(200));
            assert!(policy.backoff(3) <= Duration::from_millis(350));
            assert!(policy.backoff(30) <= Duration::from_millis(350));
        }
    }

    #[test]
    fn none_means_one_attempt() {
        assert_eq!(RetryPolicy::none().max_attempts(), 1);
        assert_eq!(
            RetryPolicy::default().with_max_attempts(0).max_attempts(),
            1
        );
    }

    #[test]
    fn the_service_s_wait_is_taken_as_it_is() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.wait_before_retry(Retry::After(Duration::from_secs(3)), 1, Duration::ZERO),
            Ok(Duration::from_secs(3))
        );
    }

    #[test]
    fn no_retry_after_the_last_attempt() {
        let policy = RetryPolicy::default().with_max_attempts(2);
        assert_eq!(
            policy.wait_before_retry(Retry::After(Duration::from_secs(1)), 2, Duration::ZERO),
            Err(RetryStop::MaxAttempts { max_attempts: 2 })
        );
    }

    #[test]
    fn no_wait_may_end_past_the_deadline() {
        let policy = RetryPolicy::default().with_deadline(Duration::from_secs(10));
        let wait = Retry::After(Duration::from_secs(3));
        assert_eq!(
            policy.wait_before_retry(wait, 1, Duration::from_secs(7)),
            Ok(Duration::from_secs(3))
        );
        assert_eq!(
            policy.wait_before_retry(wait, 1, Duration::from_secs(8)),
            Err(RetryStop::Deadline {
                deadline: Duration::from_secs(10)
            })
        );
    }

    #[test]
    fn each_reason_to_stop_says_its_bound() {
        let texts = [
            RetryStop::NotRetryable,
            RetryStop::MaxAttempts { max_attempts: 4 },
            RetryStop::Deadline {
                deadline: Duration::from_secs(60),
            },
        ]
        .map(|stop| stop.to_string());
        assert_eq!(
            texts,
            [
                "the last answer is not one to retry",
                "the retry policy allows 4 tries",
                "another try would end past the 60 s deadline",
            ]
        );
    }

    #[test]
    fn no_retry_is_no_wait() {
        assert_eq!(
            RetryPolicy::default().wait_before_retry(Retry::No, 1, Duration::ZERO),
            Err(RetryStop::NotRetryable)
        );
    }
}
