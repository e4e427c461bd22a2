//! Client-side pacing: requests spread to what the service's rate-limit headers allow, and a
//! bound on how many are in flight.

use std::{
    collections::{BTreeSet, VecDeque},
    sync::{Mutex, PoisonError},
    time::Duration,
};

use reqwest::{StatusCode, header::HeaderMap};
use tokio::{
    sync::{Notify, Semaphore, SemaphorePermit},
    time::Instant,
};

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
///     .pacing(Pacing::default().max_in_flight(4))
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
    pub fn max_in_flight(mut self, requests: usize) -> Self {
        self.max_in_flight = requests.clamp(1, Semaphore::MAX_PERMITS);
        self
    }

    /// The bound on requests in flight.
    pub fn in_flight_limit(&self) -> usize {
        self.max_in_flight
    }

    /// Whether the rate-limit headers are followed.
    pub fn follows_headers(&self) -> bool {
        self.follow_headers
    }
}

/// How long the refill rate is measured over, at most: long enough to average out the order
/// in which concurrent requests reach the service, short enough to follow a changing limit.
const RATE_WINDOW: Duration = Duration::from_secs(10);
/// How long the refill rate is measured over before it is relied on.
const MIN_RATE_WINDOW: Duration = Duration::from_secs(1);
/// The share of the measured refill rate that is relied on, for the noise in the measure.
const SAFETY: f64 = 0.95;
/// How many recent answers the budget is worked out from.
const RECENT: usize = 16;
/// Answers older than this are not used to work out the budget.
const RECENT_AGE: Duration = Duration::from_secs(1);
/// The shortest wait: a shorter one (a rounding error away from zero) would spin.
const SHORTEST_WAIT: Duration = Duration::from_millis(1);
/// How many send times are kept: enough for the requests of any recent answer.
const SEND_LOG: usize = 4096;
/// How long to wait before asking again when the headers give nothing to go by.
const FALLBACK_WAIT: Duration = Duration::from_millis(100);

/// The pacer of one client and its clones.
#[derive(Debug)]
pub(crate) struct Pacer {
    follow_headers: bool,
    slots: Semaphore,
    state: Mutex<State>,
    changed: Notify,
}

#[derive(Debug, Default)]
struct State {
    /// What the answers' headers said; `None` before the first answer.
    budget: Option<Budget>,
    /// How many requests were let go, ever: the last one's number.
    sent: u64,
    /// The numbers of the requests sent and not yet answered.
    in_flight: BTreeSet<u64>,
    /// When the latest requests were sent, oldest first; the last is request `sent`.
    send_times: VecDeque<Instant>,
    /// Where the current measure of the refill rate started: the send time and `Remaining`
    /// of an answer, and how many requests sent since then the service has counted.
    window: Option<RateWindow>,
    /// The refill rate last measured, per second.
    measured: Option<f64>,
    /// Halved by each 429, and back to 1 a step at a time with each answer that is not.
    penalty: f64,
}

#[derive(Debug, Clone)]
enum Budget {
    /// The service sends no rate-limit headers.
    Unlimited,
    Known {
        limit: u32,
        reset: Duration,
        /// The most recent answers, the newest last.
        recent: VecDeque<Answer>,
    },
}

/// One answer's `Remaining`, and which request it answered. Concurrent requests reach the
/// service in any order, so each answer knows of some requests sent before it and of none
/// sent after it.
#[derive(Debug, Clone, Copy)]
struct Answer {
    number: u64,
    sent_at: Instant,
    remaining: u32,
}

#[derive(Debug, Clone, Copy)]
struct RateWindow {
    started: Instant,
    remaining: u32,
    counted: u64,
}

/// What a request may do now.
enum Decision {
    Go,
    Wait(Duration),
    WaitForAnswer,
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
            state: Mutex::new(State {
                penalty: 1.0,
                ..State::default()
            }),
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
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            let decision = {
                let mut state = self.lock();
                match state.decide(self.follow_headers, Instant::now()) {
                    Decision::Go => Ok(state.send()),
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
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        () = changed => {}
                    }
                }
                Err(Decision::WaitForAnswer) => changed.await,
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Ticket<'_> {
    /// Records what an answer's headers say about the budget.
    pub(crate) fn answered(&self, status: StatusCode, headers: &HeaderMap) {
        self.pacer
            .lock()
            .observe(self.number, self.sent_at, status, headers);
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        self.pacer.lock().in_flight.remove(&self.number);
        self.pacer.changed.notify_waiters();
    }
}

impl State {
    fn decide(&self, follow_headers: bool, now: Instant) -> Decision {
        if follow_headers {
            self.budget_decision(now)
        } else {
            Decision::Go
        }
    }

    /// Numbers a request that goes now, and notes when.
    fn send(&mut self) -> (u64, Instant) {
        let now = Instant::now();
        self.sent += 1;
        self.in_flight.insert(self.sent);
        self.send_times.push_back(now);
        if self.send_times.len() > SEND_LOG {
            self.send_times.pop_front();
        }
        (self.sent, now)
    }

    /// The requests sent after `moment`, and the number of the last one sent before it.
    fn sent_since(&self, moment: Instant) -> (f64, u64) {
        let before = self.send_times.partition_point(|sent| *sent <= moment);
        let after = self.send_times.len() - before;
        (after as f64, self.sent - after as u64)
    }

    fn budget_decision(&self, now: Instant) -> Decision {
        let Some(budget) = &self.budget else {
            // Nothing known yet: one request finds out.
            return if self.in_flight.is_empty() {
                Decision::Go
            } else {
                Decision::WaitForAnswer
            };
        };
        let Budget::Known {
            limit,
            reset,
            recent,
        } = budget
        else {
            return Decision::Go;
        };
        let limit = f64::from(*limit);
        let latest_remaining = recent
            .back()
            .map_or(0.0, |answer| f64::from(answer.remaining));
        let rate = self.rate(limit, latest_remaining, *reset);
        // Each recent answer gives the budget left now, counting what refilled since, less the
        // requests it cannot know of; the smallest is the one to trust.
        let mut available = f64::INFINITY;
        let mut until_whole = None;
        for answer in recent {
            let remaining = f64::from(answer.remaining);
            // When the budget would have been whole again after this answer, had nothing
            // been sent: from then on, only what was sent after counts.
            let to_full = rate.map(|rate| Duration::from_secs_f64((limit - remaining) / rate));
            let full_after = match (to_full, reset.is_zero()) {
                (Some(to_full), false) => Some(to_full.min(*reset)),
                (Some(to_full), true) => Some(to_full),
                (None, false) => Some(*reset),
                (None, true) => None,
            };
            let elapsed = now.saturating_duration_since(answer.sent_at);
            let left = match full_after {
                Some(full_after) if elapsed >= full_after => {
                    let (sent_since, last_before) = self.sent_since(answer.sent_at + full_after);
                    let refilled = rate.unwrap_or(0.0) * (elapsed - full_after).as_secs_f64();
                    (limit + refilled - sent_since).min(limit)
                        - self.in_flight.range(..=last_before).count() as f64
                }
                _ => {
                    let refilled = rate.unwrap_or(0.0) * elapsed.as_secs_f64();
                    let unknown_to_it = (self.sent - answer.number) as f64
                        + self.in_flight.range(..answer.number).count() as f64;
                    remaining + refilled - unknown_to_it
                }
            };
            if left < available {
                available = left;
                until_whole = (!reset.is_zero() && elapsed < *reset).then(|| *reset - elapsed);
            }
        }
        if recent.is_empty() {
            available = limit - self.in_flight.len() as f64;
        }
        // With requests out, keep one in hand against the order they reach the service in.
        let margin = if self.in_flight.is_empty() { 0.0 } else { 1.0 };
        let missing = 1.0 + margin - available;
        if missing <= 0.0 {
            return Decision::Go;
        }
        let until_refilled = rate.map(|rate| Duration::from_secs_f64(missing / rate));
        match (until_refilled, until_whole) {
            (Some(a), Some(b)) => Decision::Wait(a.min(b).max(SHORTEST_WAIT)),
            (Some(wait), None) | (None, Some(wait)) => Decision::Wait(wait.max(SHORTEST_WAIT)),
            // Spent, with no hint when it comes back: ask again shortly, or after an answer.
            (None, None) if self.in_flight.is_empty() => Decision::Wait(FALLBACK_WAIT),
            (None, None) => Decision::WaitForAnswer,
        }
    }

    /// The refill rate relied on, per second: the measured one, else what the headers imply.
    fn rate(&self, limit: f64, remaining: f64, reset: Duration) -> Option<f64> {
        let implied = (!reset.is_zero() && remaining < limit)
            .then(|| (limit - remaining) / reset.as_secs_f64());
        let rate = match (self.measured, implied) {
            (Some(measured), Some(implied)) => measured.max(implied),
            (Some(rate), None) | (None, Some(rate)) => rate,
            (None, None) => return None,
        };
        Some(rate * self.penalty).filter(|rate| *rate > 0.0)
    }

    /// Takes in the answer to request `number`, sent at `sent_at`.
    fn observe(&mut self, number: u64, sent_at: Instant, status: StatusCode, headers: &HeaderMap) {
        let refused = status == StatusCode::TOO_MANY_REQUESTS;
        let limit = header_number(headers, "x-ratelimit-limit");
        let remaining = header_number(headers, "x-ratelimit-remaining");
        let reset = header_number(headers, "x-ratelimit-reset");
        let (Some(limit), Some(remaining)) = (limit, remaining) else {
            if self.budget.is_none() && !refused {
                self.budget = Some(Budget::Unlimited);
            }
            return;
        };
        let limit = u32::try_from(limit).unwrap_or(u32::MAX).max(1);
        let remaining = u32::try_from(remaining).unwrap_or(u32::MAX).min(limit);
        let answer = Answer {
            number,
            sent_at,
            remaining,
        };
        let reset = Duration::from_secs(reset.unwrap_or(0));
        match &mut self.budget {
            Some(Budget::Known {
                limit: known_limit,
                reset: known_reset,
                recent,
            }) => {
                *known_limit = limit;
                *known_reset = reset;
                recent.push_back(answer);
                let newest = recent.iter().map(|a| a.sent_at).max().unwrap_or(sent_at);
                recent.retain(|a| newest.saturating_duration_since(a.sent_at) <= RECENT_AGE);
                while recent.len() > RECENT {
                    recent.pop_front();
                }
            }
            _ => {
                self.budget = Some(Budget::Known {
                    limit,
                    reset,
                    recent: VecDeque::from([answer]),
                });
            }
        }
        if refused {
            self.penalty = (self.penalty / 2.0).max(1.0 / 256.0);
            return;
        }
        self.penalty = (self.penalty * 1.05).min(1.0);
        self.measure(answer, limit);
    }

    /// Measures the refill rate: while the budget is not full, what the service counted since
    /// the window started, plus the change in `Remaining`, is what refilled.
    fn measure(&mut self, answer: Answer, limit: u32) {
        if answer.remaining >= limit {
            // A full budget wastes what refills: start again.
            self.window = None;
            return;
        }
        let Some(window) = &mut self.window else {
            self.window = Some(RateWindow {
                started: answer.sent_at,
                remaining: answer.remaining,
                counted: 0,
            });
            return;
        };
        if answer.sent_at <= window.started {
            return;
        }
        window.counted += 1;
        let span = answer.sent_at.saturating_duration_since(window.started);
        if span >= MIN_RATE_WINDOW {
            let refilled =
                window.counted as f64 + f64::from(answer.remaining) - f64::from(window.remaining);
            self.measured = Some(refilled.max(0.0) / span.as_secs_f64() * SAFETY);
        }
        if span >= RATE_WINDOW {
            *window = RateWindow {
                started: answer.sent_at,
                remaining: answer.remaining,
                counted: 0,
            };
        }
    }
}

/// A header holding a whole number, such as `X-RateLimit-Remaining` or `Retry-After`.
pub(crate) fn header_number(headers: &HeaderMap, name: &str) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

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
                    ticket.answered(status, &headers);
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
        probe.answered(StatusCode::OK, &HeaderMap::new());
        drop(probe);

        let mut tickets = Vec::new();
        for _ in 0..16 {
            tickets.push(pacer.ticket().await);
        }

        assert_eq!(pacer.lock().in_flight.len(), 16);
    }

    #[tokio::test(start_paused = true)]
    async fn no_more_than_max_in_flight_are_on_the_wire() {
        let pacer = Pacer::new(Pacing::headers_ignored().max_in_flight(3));
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
        probe.answered(StatusCode::OK, &headers);
        drop(probe);
        let asked = Instant::now();

        let _next = pacer.ticket().await;

        // (100 - 0) / 4 s = 25 per second: one request's worth is 40 ms away.
        assert_eq!(asked.elapsed(), Duration::from_millis(40));
    }

    #[test]
    fn max_in_flight_is_at_least_one() {
        assert_eq!(Pacing::default().max_in_flight(0).in_flight_limit(), 1);
        assert_eq!(Pacing::default().in_flight_limit(), 16);
    }
}
