//! The emulator's time: the system clock, or a manual one that moves only when told.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

/// Emulator time in milliseconds since start, and the wall-clock instant that start was.
#[derive(Debug)]
pub(crate) enum Clock {
    System {
        started: Instant,
        wall: DateTime<Utc>,
    },
    Manual {
        wall: DateTime<Utc>,
        elapsed_ms: AtomicU64,
    },
}

impl Clock {
    pub(crate) fn system() -> Clock {
        Clock::System {
            started: Instant::now(),
            wall: Utc::now(),
        }
    }

    pub(crate) fn manual(start: DateTime<Utc>) -> Clock {
        Clock::Manual {
            wall: start,
            elapsed_ms: AtomicU64::new(0),
        }
    }

    /// Milliseconds since the emulator started.
    pub(crate) fn now_ms(&self) -> u64 {
        match self {
            Clock::System { started, .. } => {
                u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
            }
            Clock::Manual { elapsed_ms, .. } => elapsed_ms.load(Ordering::SeqCst),
        }
    }

    /// The wall-clock time `ms` milliseconds after start.
    pub(crate) fn wall(&self, ms: u64) -> DateTime<Utc> {
        let start = match self {
            Clock::System { wall, .. } | Clock::Manual { wall, .. } => *wall,
        };
        let delta = chrono::Duration::milliseconds(i64::try_from(ms).unwrap_or(i64::MAX));
        start.checked_add_signed(delta).unwrap_or(start)
    }

    /// The time `ms` after start as the service writes request and apply times,
    /// e.g. `2024-02-20T15:14:20+0000`.
    pub(crate) fn service_time(&self, ms: u64) -> String {
        self.wall(ms).format("%Y-%m-%dT%H:%M:%S%z").to_string()
    }

    /// The time `ms` after start as the service writes `observed_at`,
    /// e.g. `2024-02-20 15:14:19+00:00`.
    pub(crate) fn observation_time(&self, ms: u64) -> String {
        self.wall(ms).format("%Y-%m-%d %H:%M:%S%:z").to_string()
    }

    /// Moves a manual clock forward; `None` for the system clock, which cannot be moved.
    pub(crate) fn advance(&self, by: Duration) -> Option<u64> {
        match self {
            Clock::System { .. } => None,
            Clock::Manual { elapsed_ms, .. } => {
                let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
                let before = elapsed_ms
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |ms| {
                        Some(ms.saturating_add(by))
                    })
                    .unwrap_or_default();
                Some(before.saturating_add(by))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_stands_still_until_advanced() {
        let start = DateTime::parse_from_rfc3339("2024-02-20T15:14:19Z")
            .unwrap()
            .to_utc();
        let clock = Clock::manual(start);
        assert_eq!(clock.now_ms(), 0);
        assert_eq!(clock.advance(Duration::from_millis(1500)), Some(1500));
        assert_eq!(clock.now_ms(), 1500);
        assert_eq!(
            clock.wall(1500).to_rfc3339(),
            "2024-02-20T15:14:20.500+00:00"
        );
    }

    #[test]
    fn the_system_clock_cannot_be_advanced() {
        assert_eq!(Clock::system().advance(Duration::from_secs(1)), None);
    }
}
