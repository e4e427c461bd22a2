//! How many API requests the emulator answered, by status, and what its OAuth endpoints did:
//! what a benchmark or a test reads to count the 429s a client caused, or the tokens it asked
//! for.

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

/// What the OAuth endpoints did since the emulator started (see [`crate::Emulator::oauth_stats`]).
///
/// A test of a client's token refresh reads it: how many subject tokens the client fetched, how
/// many it exchanged, what was refused and why, and whether it ever sent an expired token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OAuthStats {
    /// Subject tokens the identity provider issued at `POST /emulator/idp/oauth2/token` (those of
    /// [`crate::Emulator::issue_subject_token`] are not counted: no client asked for them).
    pub idp_tokens_issued: u64,
    /// The identity provider's refusals, by RFC 6749 error code: `invalid_client`,
    /// `invalid_request`, `unsupported_grant_type`.
    pub idp_refusals: BTreeMap<String, u64>,
    /// Successful token exchanges at `POST /sts/v1/oauth2/token`.
    pub exchanges: u64,
    /// The STS's refusals, by the `code` of its error: `invalid_request`,
    /// `invalid_subject_token`, `expired_subject_token`, `unknown_identity_pool`.
    pub exchange_refusals: BTreeMap<String, u64>,
    /// API requests answered 401 because their access token, which the STS issued, had expired.
    pub expired_token_rejections: u64,
}

impl OAuthStats {
    /// How many times the identity provider refused with `error` (e.g. `invalid_client`).
    pub fn idp_refused(&self, error: &str) -> u64 {
        self.idp_refusals.get(error).copied().unwrap_or(0)
    }

    /// How many times the STS refused with `code` (e.g. `expired_subject_token`).
    pub fn exchange_refused(&self, code: &str) -> u64 {
        self.exchange_refusals.get(code).copied().unwrap_or(0)
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
