//! The pure part of pacing: what the rate-limit headers of the answers so far say about when
//! the next request may go. No clock, lock or I/O here: every moment is an argument, so each
//! rule is tested on its own (the concurrency is in the parent module).

use std::collections::{BTreeSet, VecDeque};
use std::time::Duration;

use tokio::time::Instant;

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

/// What one answer said about the rate limit: its status was 429 or not, and the
/// `X-RateLimit-*` headers it carried.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct RateLimitHeaders {
    /// The answer was a 429.
    pub(crate) refused: bool,
    /// `X-RateLimit-Limit`.
    pub(crate) limit: Option<u64>,
    /// `X-RateLimit-Remaining`.
    pub(crate) remaining: Option<u64>,
    /// `X-RateLimit-Reset`, in seconds.
    pub(crate) reset: Option<u64>,
}

#[derive(Debug, Default)]
pub(crate) struct Estimator {
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
pub(crate) enum Decision {
    Go,
    Wait(Duration),
    WaitForAnswer,
}

impl Estimator {
    /// An estimator that knows nothing yet.
    pub(crate) fn new() -> Estimator {
        Estimator {
            penalty: 1.0,
            ..Estimator::default()
        }
    }

    /// What a request may do at `now`.
    pub(crate) fn decide(&self, follow_headers: bool, now: Instant) -> Decision {
        if follow_headers {
            self.budget_decision(now)
        } else {
            Decision::Go
        }
    }

    /// Numbers a request that goes at `now`, and notes when.
    pub(crate) fn send(&mut self, now: Instant) -> (u64, Instant) {
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

    /// How many requests are in flight.
    #[cfg(test)]
    pub(crate) fn in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// Request `number` is no longer in flight: answered, failed or given up.
    pub(crate) fn answered_or_abandoned(&mut self, number: u64) {
        self.in_flight.remove(&number);
    }

    /// Takes in the answer to request `number`, sent at `sent_at`.
    pub(crate) fn observe(&mut self, number: u64, sent_at: Instant, headers: RateLimitHeaders) {
        let RateLimitHeaders {
            refused,
            limit,
            remaining,
            reset,
        } = headers;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(limit: u64, remaining: u64, reset: u64) -> RateLimitHeaders {
        RateLimitHeaders {
            refused: false,
            limit: Some(limit),
            remaining: Some(remaining),
            reset: Some(reset),
        }
    }

    fn waits(decision: Decision) -> Option<Duration> {
        match decision {
            Decision::Wait(wait) => Some(wait),
            Decision::Go | Decision::WaitForAnswer => None,
        }
    }

    #[test]
    fn before_any_answer_one_request_goes_and_the_next_waits_for_its_answer() {
        let mut estimator = Estimator::new();
        let now = Instant::now();
        assert!(matches!(estimator.decide(true, now), Decision::Go));
        estimator.send(now);
        assert!(matches!(
            estimator.decide(true, now),
            Decision::WaitForAnswer
        ));
    }

    #[test]
    fn an_answer_without_headers_means_no_limit() {
        let mut estimator = Estimator::new();
        let now = Instant::now();
        let (number, sent_at) = estimator.send(now);
        estimator.observe(number, sent_at, RateLimitHeaders::default());
        for _ in 0..100 {
            assert!(matches!(estimator.decide(true, now), Decision::Go));
            estimator.send(now);
        }
    }

    #[test]
    fn budget_left_lets_a_request_go() {
        let mut estimator = Estimator::new();
        let now = Instant::now();
        let (number, sent_at) = estimator.send(now);
        estimator.observe(number, sent_at, headers(10, 5, 1));
        estimator.answered_or_abandoned(number);
        assert!(matches!(estimator.decide(true, now), Decision::Go));
    }

    #[test]
    fn a_spent_budget_waits_for_one_request_at_the_rate_the_headers_imply() {
        let mut estimator = Estimator::new();
        let now = Instant::now();
        let (number, sent_at) = estimator.send(now);
        estimator.observe(number, sent_at, headers(100, 0, 4));
        estimator.answered_or_abandoned(number);
        // (100 - 0) / 4 s = 25 per second: one request's worth is 40 ms away.
        assert_eq!(
            waits(estimator.decide(true, now)),
            Some(Duration::from_millis(40))
        );
    }

    #[test]
    fn ignoring_the_headers_always_lets_a_request_go() {
        let mut estimator = Estimator::new();
        let now = Instant::now();
        let (number, sent_at) = estimator.send(now);
        estimator.observe(number, sent_at, headers(100, 0, 4));
        assert!(matches!(estimator.decide(false, now), Decision::Go));
    }

    #[test]
    fn a_429_halves_the_rate_relied_on() {
        let mut estimator = Estimator::new();
        let now = Instant::now();
        let (number, sent_at) = estimator.send(now);
        estimator.observe(
            number,
            sent_at,
            RateLimitHeaders {
                refused: true,
                ..headers(100, 0, 4)
            },
        );
        estimator.answered_or_abandoned(number);
        // 25 per second halved: one request's worth is 80 ms away.
        assert_eq!(
            waits(estimator.decide(true, now)),
            Some(Duration::from_millis(80))
        );
    }
}
