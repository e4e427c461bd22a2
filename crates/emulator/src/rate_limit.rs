//! Rate limiting per credential: a token bucket (governor's GCRA) and the headers that describe it.

use std::num::NonZeroU32;
use std::time::Duration;

use axum::http::{HeaderMap, HeaderName, HeaderValue};
use governor::clock::Clock as _;
use governor::middleware::StateInformationMiddleware;
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::config::RateLimit;

pub(crate) const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
pub(crate) const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
pub(crate) const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");
pub(crate) const RETRY_AFTER: HeaderName = HeaderName::from_static("retry-after");

pub(crate) struct Limiter {
    buckets: DefaultKeyedRateLimiter<String, StateInformationMiddleware>,
    burst: u32,
    period: Duration,
}

/// The outcome for one request: what the headers say, and whether it may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decision {
    pub(crate) limit: u32,
    pub(crate) remaining: u32,
    /// Whole seconds until the bucket is full again.
    pub(crate) reset_secs: u64,
    /// Whole seconds until a request would be allowed; `Some` only when this one is refused.
    pub(crate) retry_after_secs: Option<u64>,
}

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limiter")
            .field("burst", &self.burst)
            .field("period", &self.period)
            .finish_non_exhaustive()
    }
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit) -> Limiter {
        let period =
            Duration::from_secs_f64(1.0 / limit.requests_per_second).max(Duration::from_nanos(1));
        let burst = NonZeroU32::new(limit.burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MAX))
            .allow_burst(burst);
        Limiter {
            buckets: DefaultKeyedRateLimiter::dashmap(quota)
                .with_middleware::<StateInformationMiddleware>(),
            burst: burst.get(),
            period,
        }
    }

    /// Takes one token from `key`'s bucket if there is one.
    pub(crate) fn check(&self, key: &str) -> Decision {
        match self.buckets.check_key(&key.to_owned()) {
            Ok(snapshot) => {
                let remaining = snapshot.remaining_burst_capacity();
                let missing = self.burst.saturating_sub(remaining);
                Decision {
                    limit: self.burst,
                    remaining,
                    reset_secs: whole_seconds(self.period * missing),
                    retry_after_secs: None,
                }
            }
            Err(not_until) => {
                let wait = not_until.wait_time_from(self.buckets.clock().now());
                Decision {
                    limit: self.burst,
                    remaining: 0,
                    reset_secs: whole_seconds(wait + self.period * self.burst.saturating_sub(1)),
                    retry_after_secs: Some(whole_seconds(wait).max(1)),
                }
            }
        }
    }
}

impl Decision {
    pub(crate) fn write(&self, headers: &mut HeaderMap) {
        headers.insert(LIMIT, HeaderValue::from(self.limit));
        headers.insert(REMAINING, HeaderValue::from(self.remaining));
        headers.insert(RESET, HeaderValue::from(self.reset_secs));
        if let Some(retry_after) = self.retry_after_secs {
            headers.insert(RETRY_AFTER, HeaderValue::from(retry_after));
        }
    }
}

fn whole_seconds(duration: Duration) -> u64 {
    let secs = duration.as_secs();
    if duration.subsec_nanos() > 0 {
        secs + 1
    } else {
        secs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(requests_per_second: f64, burst: u32) -> Limiter {
        Limiter::new(RateLimit {
            requests_per_second,
            burst,
        })
    }

    #[test]
    fn a_full_bucket_lets_the_burst_through_then_refuses() {
        let limiter = limiter(1.0, 3);
        let remaining: Vec<u32> = (0..3).map(|_| limiter.check("k").remaining).collect();
        assert_eq!(remaining, [2, 1, 0]);
        let refused = limiter.check("k");
        assert_eq!(refused.remaining, 0);
        assert_eq!(refused.retry_after_secs, Some(1));
        assert_eq!(refused.limit, 3);
    }

    #[test]
    fn each_key_has_its_own_bucket() {
        let limiter = limiter(1.0, 1);
        assert_eq!(limiter.check("a").retry_after_secs, None);
        assert_eq!(limiter.check("b").retry_after_secs, None);
        assert!(limiter.check("a").retry_after_secs.is_some());
    }

    #[test]
    fn reset_is_the_time_to_refill_what_was_taken() {
        let limiter = limiter(0.5, 4);
        let first = limiter.check("k");
        assert_eq!((first.remaining, first.reset_secs), (3, 2));
    }

    #[test]
    fn whole_seconds_round_up() {
        assert_eq!(whole_seconds(Duration::from_millis(1)), 1);
        assert_eq!(whole_seconds(Duration::from_secs(2)), 2);
        assert_eq!(whole_seconds(Duration::ZERO), 0);
    }
}
