//! Fault injection: errors, latency, dropped connections and truncated bodies, chosen at random
//! per request with the configured probabilities.

use std::time::Duration;

use rand::RngExt;
use serde::{Deserialize, Serialize};

use crate::error::{ConfigError, invalid};

/// What goes wrong, and how often. The default is nothing.
///
/// For each API request the emulator first waits `latency_ms`, then with probability
/// `drop_rate` closes the connection without answering, else with probability `error_rate`
/// answers one of `error_statuses` (picked uniformly) with an `error_body`, else with probability
/// `truncate_rate` sends a successful answer whose body stops halfway (the connection is closed
/// before the promised `Content-Length` arrives).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Faults {
    /// Probability (0 to 1) of answering with an error status.
    pub error_rate: f64,
    /// The statuses an injected error uses (400 to 599); default 500, 502 and 503.
    pub error_statuses: Vec<u16>,
    /// The body an injected error carries.
    pub error_body: ErrorBody,
    /// Milliseconds added before every answer.
    pub latency_ms: u64,
    /// Probability (0 to 1) of closing the connection without an answer.
    pub drop_rate: f64,
    /// Probability (0 to 1) of cutting a successful answer's body short.
    pub truncate_rate: f64,
}

/// The body of an injected error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ErrorBody {
    /// The documented `connect.v1.ConnectorError` JSON body.
    #[default]
    Json,
    /// No body at all.
    Empty,
    /// An HTML page, as a gateway in front of the service might send.
    Html,
    /// The documented JSON body cut short (a complete HTTP message whose JSON does not parse).
    TruncatedJson,
}

impl Default for Faults {
    fn default() -> Faults {
        Faults {
            error_rate: 0.0,
            error_statuses: vec![500, 502, 503],
            error_body: ErrorBody::Json,
            latency_ms: 0,
            drop_rate: 0.0,
            truncate_rate: 0.0,
        }
    }
}

/// What the emulator does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Answer,
    Drop,
    Error(u16, ErrorBody),
    Truncate,
}

impl Faults {
    /// Faults that answer every request with `status` and the documented JSON body.
    pub fn always(status: u16) -> Faults {
        Faults {
            error_rate: 1.0,
            error_statuses: vec![status],
            ..Faults::default()
        }
    }

    /// Whether these faults change nothing.
    pub fn is_none(&self) -> bool {
        self.error_rate == 0.0
            && self.latency_ms == 0
            && self.drop_rate == 0.0
            && self.truncate_rate == 0.0
    }

    /// The added latency.
    pub fn latency(&self) -> Duration {
        Duration::from_millis(self.latency_ms)
    }

    /// Checks the probabilities and statuses; `at` names the entry in error messages.
    pub fn validate(&self, at: &str) -> Result<(), ConfigError> {
        for (name, p) in [
            ("error_rate", self.error_rate),
            ("drop_rate", self.drop_rate),
            ("truncate_rate", self.truncate_rate),
        ] {
            if !(0.0..=1.0).contains(&p) {
                return invalid(
                    &format!("{at}.{name}"),
                    "must be a probability between 0 and 1",
                );
            }
        }
        if self.error_rate > 0.0 && self.error_statuses.is_empty() {
            return invalid(
                &format!("{at}.error_statuses"),
                "list at least one status when error_rate is above 0",
            );
        }
        if let Some(status) = self
            .error_statuses
            .iter()
            .find(|s| !(400..=599).contains(*s))
        {
            return invalid(
                &format!("{at}.error_statuses"),
                &format!("{status} is not an error status (use 400 to 599)"),
            );
        }
        Ok(())
    }

    pub(crate) fn decide(&self, rng: &mut impl rand::Rng) -> Outcome {
        if self.drop_rate > 0.0 && rng.random_bool(self.drop_rate) {
            return Outcome::Drop;
        }
        if self.error_rate > 0.0 && rng.random_bool(self.error_rate) {
            let status = self.error_statuses[rng.random_range(0..self.error_statuses.len())];
            return Outcome::Error(status, self.error_body);
        }
        if self.truncate_rate > 0.0 && rng.random_bool(self.truncate_rate) {
            return Outcome::Truncate;
        }
        Outcome::Answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn no_faults_always_answer() {
        let mut rng = StdRng::seed_from_u64(7);
        assert!((0..1000).all(|_| Faults::default().decide(&mut rng) == Outcome::Answer));
    }

    #[test]
    fn certain_faults_always_happen() {
        let mut rng = StdRng::seed_from_u64(7);
        let drop = Faults {
            drop_rate: 1.0,
            ..Faults::default()
        };
        assert_eq!(drop.decide(&mut rng), Outcome::Drop);
        assert_eq!(
            Faults::always(503).decide(&mut rng),
            Outcome::Error(503, ErrorBody::Json)
        );
        let truncate = Faults {
            truncate_rate: 1.0,
            ..Faults::default()
        };
        assert_eq!(truncate.decide(&mut rng), Outcome::Truncate);
    }

    #[test]
    fn a_probability_above_one_is_refused_by_name() {
        let faults = Faults {
            drop_rate: 1.5,
            ..Faults::default()
        };
        let error = faults.validate("faults").unwrap_err().to_string();
        assert_eq!(
            error,
            "the emulator config is not valid at faults.drop_rate: must be a probability between 0 and 1"
        );
    }

    #[test]
    fn a_success_status_is_not_an_error_status() {
        let faults = Faults {
            error_statuses: vec![200],
            ..Faults::default()
        };
        let error = faults.validate("faults").unwrap_err().to_string();
        assert_eq!(
            error,
            "the emulator config is not valid at faults.error_statuses: 200 is not an error status (use 400 to 599)"
        );
    }
}
