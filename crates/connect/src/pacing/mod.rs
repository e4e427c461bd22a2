//! Client-side pacing: requests spread to what the service's rate-limit headers allow, and a
//! bound on how many are in flight. [`estimator`] works out when a request may go; this module
//! makes requests wait for it, and for a free slot.

mod estimator;

use std::sync::{Mutex, PoisonError};

use tokio::sync::{Notify, Semaphore, SemaphorePermit};
use tokio::time::Instant;

pub(crate) use estimator::RateLimitHeaders;
use estimator::{Decision, Estimator};

/// How a [`Client`](crate::Client) spreads its requests over time. One pacer is shared by every
/// clone of a client, so many tasks reading through clones of one client are paced together.
///
/// With pacing on (the default), the client reads `X-RateLimit-Limit`,
/// `X-RateLimit-Remaining` and `X-RateLimit-Reset` from every answer and holds a request back
/// when the service's budget is spent, before the service would answer 429:
///
/// - Until the first answer with these headers, one request is sent at a time (a service that
///   never sends them is then not paced at all).
/// - While `Remaining` (less the requests still in flight) is above zero, requests go at once.
/// - When it is spent, a request waits for the budget to refill: at the rate the budget has
///   been seen to refill (how fast `Remaining` plus the requests answered grows), or, before
///   that is known, at `(Limit - Remaining) / Reset`, and never later than `Reset`, when the
///   budget is whole again.
/// - Answers arrive in another order than the requests reached the service, so the budget is
///   worked out from the recent answers together, less the requests each could not know of.
/// - A 429 halves the rate guessed (it recovers with each answer that is not a 429), so a
///   service whose budget comes back in one lump at the end of a window gets a few 429s per
///   window, not a stream.
///
/// Independently of the headers, at most `max_in_flight` requests (default 16) are on the
/// wire at once; the others wait their turn in order.
///
/// ```
/// use confluent_connect::{Client, Pacing};
///
/// let client = Client::builder()
///     .api_key("KEY", "SECRET")
///     .pacing(Pacing::default().with_max_in_flight(4))
///     .build()?;
/// # Ok::<(), confluent_connect::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pacing {
    follow_headers: bool,
    max_in_flight: usize,
}

impl Default for Pacing {
    /// Follows the rate-limit headers, with at most 16 requests in flight.
    fn default() -> Self {
        Pacing {
            follow_headers: true,
            max_in_flight: 16,
        }
    }
}

impl Pacing {
    /// Ignores the rate-limit headers: requests go as soon as one of the `max_in_flight` slots
    /// is free, and a 429 is left to the [`RetryPolicy`](crate::RetryPolicy).
    pub fn headers_ignored() -> Self {
        Pacing {
            follow_headers: false,
            ..Pacing::default()
        }
    }

    /// At most this many requests on the wire at once (at least 1).
    pub fn with_max_in_flight(mut self, requests: usize) -> Self {
        self.max_in_flight = requests.clamp(1, Semaphore::MAX_PERMITS);
        self
    }

    /// The bound on requests in flight.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight
    }

    /// Whether the rate-limit headers are followed.
    pub fn follows_headers(&self) -> bool {
        self.follow_headers
    }
}

/// The pacer of one client and its clones.
#[derive(Debug)]
pub(crate) struct Pacer {
    follow_headers: bool,
    slots: Semaphore,
    estimator: Mutex<Estimator>,
    changed: Notify,
}

/// A request's right to be on the wire; hand the answer's headers to [`Ticket::answered`].
pub(crate) struct Ticket<'a> {
    pacer: &'a Pacer,
    number: u64,
    sent_at: Instant,
    _slot: SemaphorePermit<'a>,
}

impl Pacer {
    pub(crate) fn new(pacing: Pacing) -> Pacer {
        Pacer {
            follow_headers: pacing.follow_headers,
            slots: Semaphore::new(pacing.max_in_flight),
            estimator: Mutex::new(Estimator::new()),
            changed: Notify::new(),
        }
    }

    /// Waits until a request may be sent.
    pub(crate) async fn ticket(&self) -> Ticket<'_> {
        // The semaphore is never closed, so acquiring fails only if it were.
        let slot = match self.slots.acquire().await {
            Ok(slot) => slot,
            Err(_) => unreachable!("the pacer's semaphore is never closed"),
        };
        loop {
            let mut changed = std::pin::pin!(self.changed.notified());
            changed.as_mut().enable();
            let decision = {
                let mut estimator = self.lock();
                let now = Instant::now();
                match estimator.decide(self.follow_headers, now) {
                    Decision::Go => Ok(estimator.send(now)),
                    wait => Err(wait),
                }
            };
            match decision {
                Ok((number, sent_at)) => {
                    return Ticket {
                        pacer: self,
                        number,
                        sent_at,
                        _slot: slot,
                    };
                }
                Err(Decision::Go) => unreachable!("a go is sent above"),
                Err(Decision::Wait(wait)) => {
                    tracing::debug!(
                        wait_ms = wait.as_millis() as u64,
                        "pacing: waiting for the rate-limit budget"
                    );
                    // Woken by the wait's end or by a change, whichever comes first.
                    let _ = tokio::time::timeout(wait, changed).await;
                }
                Err(Decision::WaitForAnswer) => {
                    tracing::debug!("pacing: waiting for an answer that says the budget");
                    changed.await
                }
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Estimator> {
        self.estimator
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Ticket<'_> {
    /// Records what an answer's headers say about the budget.
    pub(crate) fn answered(&self, headers: RateLimitHeaders) {
        self.pacer
            .lock()
            .observe(self.number, self.sent_at, headers);
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        self.pacer.lock().answered_or_abandoned(self.number);
        self.pacer.changed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::{StatusCode, header::HeaderMap};
    use std::sync::Arc;
    use std::time::Duration;

    /// A simulated service's rate limit.
    enum Service {
        /// A token bucket, answering as the emulator does: `Limit` = burst, `Remaining` = whole
        /// tokens left, `Reset` = whole seconds until full, and on a 429 `Retry-After` = whole
        /// seconds until a token (at least 1).
        Bucket { rate: f64, burst: f64, tokens: f64 },
        /// A fixed window: `limit` requests per `window`, all of them back when it ends;
        /// `Reset` and `Retry-After` = whole seconds until then.
        Window {
            limit: u32,
            window: Duration,
            used: u32,
        },
    }

    /// A service and how many of its answers were 429.
    struct Simulated {
        service: Service,
        started: Instant,
        at: Instant,
        refused: u32,
    }

    impl Simulated {
        fn bucket(rate: f64, burst: u32) -> Simulated {
            Simulated::new(Service::Bucket {
                rate,
                burst: f64::from(burst),
                tokens: f64::from(burst),
            })
        }

        fn window(limit: u32, window: Duration) -> Simulated {
            Simulated::new(Service::Window {
                limit,
                window,
                used: 0,
            })
        }

        fn new(service: Service) -> Simulated {
            Simulated {
                service,
                started: Instant::now(),
                at: Instant::now(),
                refused: 0,
            }
        }

        /// Answers one request: its status, headers and `Retry-After`.
        fn admit(&mut self) -> (StatusCode, HeaderMap, Duration) {
            let now = Instant::now();
            let secs = |d: f64| Duration::from_secs(d.max(0.0).ceil() as u64);
            let (admitted, limit, remaining, reset, retry_after) = match &mut self.service {
                Service::Bucket {
                    rate,
                    burst,
                    tokens,
                } => {
                    *tokens = (*tokens + *rate * (now - self.at).as_secs_f64()).min(*burst);
                    let admitted = *tokens >= 1.0;
                    if admitted {
                        *tokens -= 1.0;
                    }
                    let retry_after = secs((1.0 - *tokens) / *rate).max(Duration::from_secs(1));
                    (
                        admitted,
                        *burst as u64,
                        tokens.floor() as u64,
                        secs((*burst - *tokens) / *rate),
                        retry_after,
                    )
                }
                Service::Window {
                    limit,
                    window,
                    used,
                } => {
                    let window_secs = window.as_secs_f64();
                    let since = (now - self.started).as_secs_f64();
                    let this_window = (since / window_secs).floor();
                    if (self.at - self.started).as_secs_f64() < this_window * window_secs {
                        *used = 0;
                    }
                    let admitted = *used < *limit;
                    if admitted {
                        *used += 1;
                    }
                    let reset = secs((this_window + 1.0) * window_secs - since);
                    (
                        admitted,
                        u64::from(*limit),
                        u64::from(*limit - *used),
                        reset,
                        reset,
                    )
                }
            };
            self.at = now;
            let mut headers = HeaderMap::new();
            headers.insert("x-ratelimit-limit", limit.into());
            headers.insert("x-ratelimit-remaining", remaining.into());
            headers.insert("x-ratelimit-reset", reset.as_secs().into());
            if admitted {
                (StatusCode::OK, headers, Duration::ZERO)
            } else {
                self.refused += 1;
                headers.insert("retry-after", retry_after.as_secs().into());
                (StatusCode::TOO_MANY_REQUESTS, headers, retry_after)
            }
        }
    }

    /// Reads `requests` times at once through one pacer against `service`, each read retried
    /// after `Retry-After` on a 429 as the retry policy does, in simulated time. The way to the
    /// service and back takes 0.2 to 5 ms each, at random (seeded), so requests reach the
    /// service, and answers come back, in another order than they were sent. Returns how long
    /// it took and how many answers were 429.
    async fn bulk_read(pacing: Pacing, service: Simulated, requests: usize) -> (Duration, u32) {
        use rand::{RngExt, SeedableRng, rngs::StdRng};

        let pacer = Arc::new(Pacer::new(pacing));
        let service = Arc::new(Mutex::new(service));
        let rng = Arc::new(Mutex::new(StdRng::seed_from_u64(7)));
        let started = Instant::now();
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..requests {
            let pacer = Arc::clone(&pacer);
            let service = Arc::clone(&service);
            let rng = Arc::clone(&rng);
            let way = move || Duration::from_micros(rng.lock().unwrap().random_range(200..=5000));
            tasks.spawn(async move {
                loop {
                    let ticket = pacer.ticket().await;
                    tokio::time::sleep(way()).await;
                    let (status, headers, retry_after) = service.lock().unwrap().admit();
                    tokio::time::sleep(way()).await;
                    ticket.answered(crate::headers::rate_limit(status, &headers));
                    drop(ticket);
                    if status == StatusCode::OK {
                        return;
                    }
                    tokio::time::sleep(retry_after).await;
                }
            });
        }
        while tasks.join_next().await.is_some() {}
        let refused = service.lock().unwrap().refused;
        (started.elapsed(), refused)
    }

    #[tokio::test(start_paused = true)]
    async fn a_thousand_reads_under_fifty_a_second_take_close_to_twenty_seconds() {
        let (took, refused) = bulk_read(Pacing::default(), Simulated::bucket(50.0, 10), 1000).await;

        // The floor is (1000 - 10 in the first burst) / 50 per second = 19.8 s.
        assert!(took <= Duration::from_secs(22), "took {took:?}");
        assert!(refused <= 10, "{refused} answers were 429");
    }

    #[tokio::test(start_paused = true)]
    async fn ignoring_the_headers_gets_many_429s() {
        let (_, refused) =
            bulk_read(Pacing::headers_ignored(), Simulated::bucket(50.0, 10), 200).await;

        assert!(refused > 100, "only {refused} answers were 429");
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_bucket_is_followed_too() {
        let (took, refused) = bulk_read(Pacing::default(), Simulated::bucket(2.0, 5), 45).await;

        // The floor is (45 - 5) / 2 per second = 20 s.
        assert!(took <= Duration::from_secs(23), "took {took:?}");
        assert!(refused <= 2, "{refused} answers were 429");
    }

    #[tokio::test(start_paused = true)]
    async fn a_fixed_window_gets_a_few_429s_per_window_at_most() {
        let (took, refused) = bulk_read(
            Pacing::default(),
            Simulated::window(100, Duration::from_secs(10)),
            300,
        )
        .await;

        // The first 100 go at once, the next 100 when the window turns at 10 s, the last at
        // 20 s; the 429s come while the window is spent (the headers do not say it is a window).
        assert!(took <= Duration::from_secs(22), "took {took:?}");
        assert!(refused <= 20, "{refused} answers were 429");
    }

    #[tokio::test(start_paused = true)]
    async fn before_the_first_answer_one_request_goes_alone() {
        let pacer = Pacer::new(Pacing::default());
        let first = pacer.ticket().await;

        let second = tokio::time::timeout(Duration::from_secs(60), pacer.ticket()).await;

        assert!(second.is_err(), "a second request went before any answer");
        drop(first);
    }

    #[tokio::test(start_paused = true)]
    async fn a_service_without_headers_is_not_paced() {
        let pacer = Pacer::new(Pacing::default());
        let probe = pacer.ticket().await;
        probe.answered(crate::headers::rate_limit(
            StatusCode::OK,
            &HeaderMap::new(),
        ));
        drop(probe);

        let mut tickets = Vec::new();
        for _ in 0..16 {
            tickets.push(pacer.ticket().await);
        }

        assert_eq!(pacer.lock().in_flight(), 16);
    }

    #[tokio::test(start_paused = true)]
    async fn no_more_than_max_in_flight_are_on_the_wire() {
        let pacer = Pacer::new(Pacing::headers_ignored().with_max_in_flight(3));
        let held: Vec<_> = [
            pacer.ticket().await,
            pacer.ticket().await,
            pacer.ticket().await,
        ]
        .into();

        let fourth = tokio::time::timeout(Duration::from_secs(60), pacer.ticket()).await;

        assert!(
            fourth.is_err(),
            "a fourth request went while three were in flight"
        );
        drop(held);
        let fourth = tokio::time::timeout(Duration::from_secs(1), pacer.ticket()).await;
        assert!(
            fourth.is_ok(),
            "a slot freed up but the fourth request still waits"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_spent_budget_waits_for_the_reset_before_a_rate_is_known() {
        let pacer = Pacer::new(Pacing::default());
        let probe = pacer.ticket().await;
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-limit", 100_u64.into());
        headers.insert("x-ratelimit-remaining", 0_u64.into());
        headers.insert("x-ratelimit-reset", 4_u64.into());
        probe.answered(crate::headers::rate_limit(StatusCode::OK, &headers));
        drop(probe);
        let asked = Instant::now();

        let _next = pacer.ticket().await;

        // (100 - 0) / 4 s = 25 per second: one request's worth is 40 ms away.
        assert_eq!(asked.elapsed(), Duration::from_millis(40));
    }

    #[test]
    fn max_in_flight_is_at_least_one() {
        assert_eq!(Pacing::default().with_max_in_flight(0).max_in_flight(), 1);
        assert_eq!(Pacing::default().max_in_flight(), 16);
    }
}
