//! How many API requests the emulator answered, by status: what a benchmark or a test reads to
//! count the 429s a client caused.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::PoisonError;

use serde::Serialize;

/// The API answers given since the emulator started (the emulator's own controls under
/// `/emulator/v1` are not counted).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Every API answer.
    pub answers: u64,
    /// The answers by HTTP status.
    pub by_status: BTreeMap<u16, u64>,
}

impl Stats {
    /// How many answers had `status`.
    pub fn count(&self, status: u16) -> u64 {
        self.by_status.get(&status).copied().unwrap_or(0)
    }
}

/// The counts, shared by the request handlers.
#[derive(Debug, Default)]
pub(crate) struct Counter(Mutex<Stats>);

impl Counter {
    pub(crate) fn record(&self, status: u16) {
        let mut stats = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        stats.answers += 1;
        *stats.by_status.entry(status).or_insert(0) += 1;
    }

    pub(crate) fn snapshot(&self) -> Stats {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_counted_by_status() {
        let counter = Counter::default();
        for status in [200, 429, 200] {
            counter.record(status);
        }

        let stats = counter.snapshot();

        assert_eq!(stats.answers, 3);
        assert_eq!(
            (stats.count(200), stats.count(429), stats.count(500)),
            (2, 1, 0)
        );
    }
}
