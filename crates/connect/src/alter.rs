//! Changing a connector's offsets: the request, its status, and waiting for it to apply.

use std::fmt;
use std::time::Duration;

use confluent_connect_api::types;
use serde::Serialize;

use crate::offsets::PartitionOffset;
use crate::timestamp::Timestamp;

/// What an offsets change does.
///
/// `#[non_exhaustive]`: the service may add kinds. One this version does not know is kept as
/// [`AlterKind::Other`]; a later version may give it a variant of its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum AlterKind {
    /// Sets the offsets of the partitions listed, and leaves the others alone.
    Patch,
    /// Resets the connector's offsets as if it were newly created.
    Delete,
    /// A kind this version of the crate does not know, as the service wrote it.
    Other(String),
}

impl AlterKind {
    fn parse(text: &str) -> AlterKind {
        match text {
            "PATCH" => AlterKind::Patch,
            "DELETE" => AlterKind::Delete,
            other => AlterKind::Other(other.to_owned()),
        }
    }
}

impl fmt::Display for AlterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AlterKind::Patch => f.write_str("PATCH"),
            AlterKind::Delete => f.write_str("DELETE"),
            AlterKind::Other(other) => f.write_str(other),
        }
    }
}

/// Where an offsets change stands.
///
/// The service may add phases; one this version does not know is kept as
/// [`AlterPhase::Other`] and counts as still pending; `#[non_exhaustive]`, because a later
/// version may give it a variant of its own.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum AlterPhase {
    /// Accepted, not applied yet.
    Pending,
    /// Being checked before it is applied.
    PendingValidation,
    /// Applied: the connector runs from the new offsets.
    Applied,
    /// Refused or failed; the status message says why.
    Failed,
    /// A phase this version of the crate does not know, as the service wrote it.
    Other(String),
}

impl AlterPhase {
    /// Reads the service's phase; unknown text becomes [`AlterPhase::Other`].
    pub fn parse(text: &str) -> AlterPhase {
        match text {
            "PENDING" => AlterPhase::Pending,
            "PENDING_VALIDATION" => AlterPhase::PendingValidation,
            "APPLIED" => AlterPhase::Applied,
            "FAILED" => AlterPhase::Failed,
            other => AlterPhase::Other(other.to_owned()),
        }
    }

    /// Whether the change is over, applied or failed.
    pub fn is_final(&self) -> bool {
        matches!(self, AlterPhase::Applied | AlterPhase::Failed)
    }
}

impl fmt::Display for AlterPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AlterPhase::Pending => "PENDING",
            AlterPhase::PendingValidation => "PENDING_VALIDATION",
            AlterPhase::Applied => "APPLIED",
            AlterPhase::Failed => "FAILED",
            AlterPhase::Other(other) => other,
        })
    }
}

/// An offsets change as the service recorded it.
///
/// `#[non_exhaustive]`: the service may add to its record, and a field for it here must not
/// break your code. Build one with [`AlterRequest::new`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AlterRequest {
    /// The connector's id, e.g. `lcc-as341`.
    pub connector_id: String,
    /// The connector's name.
    pub name: String,
    /// What the change does.
    pub kind: AlterKind,
    /// The offsets it sets; empty for a reset.
    pub offsets: Vec<PartitionOffset>,
    /// When it was asked for.
    pub requested_at: Timestamp,
}

/// Where the latest offsets change of a connector stands.
///
/// `#[non_exhaustive]`: the service may add to its answer, and a field for it here must not
/// break your code. Build one with [`AlterStatus::new`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct AlterStatus {
    /// The change.
    pub request: AlterRequest,
    /// Its phase.
    pub phase: AlterPhase,
    /// The service's message about the phase, e.g. why it failed.
    pub message: Option<String>,
    /// The offsets before the change; empty when the answer has none (or `null`).
    pub previous_offsets: Vec<PartitionOffset>,
    /// When it was applied; `None` until then.
    pub applied_at: Option<Timestamp>,
}

/// How [`Connector::wait_for_alter`](crate::Connector::wait_for_alter) polls.
///
/// It reads the status at once, then waits [`initial_interval`](Self::initial_interval),
/// doubling the wait after each pending answer up to [`max_interval`](Self::max_interval), and
/// gives up when the next wait would end past [`timeout`](Self::timeout). The defaults (30 s,
/// 250 ms, 5 s) follow Confluent's CLI, which waits 30 s.
///
/// `#[non_exhaustive]`, with private fields: a later version may add a setting without
/// breaking your code. Change one with the `with_` methods.
///
/// ```
/// use std::time::Duration;
/// use confluent_connect::WaitOptions;
///
/// let patient = WaitOptions::default().with_timeout(Duration::from_secs(120));
/// assert_eq!(patient.timeout(), Duration::from_secs(120));
/// assert_eq!(patient.max_interval(), Duration::from_secs(5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitOptions {
    timeout: Duration,
    initial_interval: Duration,
    max_interval: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        WaitOptions {
            timeout: Duration::from_secs(30),
            initial_interval: Duration::from_millis(250),
            max_interval: Duration::from_secs(5),
        }
    }
}

impl WaitOptions {
    /// With another limit on the whole wait.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// With another first pause between two reads of the status.
    pub fn with_initial_interval(mut self, interval: Duration) -> Self {
        self.initial_interval = interval;
        self
    }

    /// With another longest pause between two reads.
    pub fn with_max_interval(mut self, interval: Duration) -> Self {
        self.max_interval = interval;
        self
    }

    /// How long to wait in all.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The first pause between two reads of the status.
    pub fn initial_interval(&self) -> Duration {
        self.initial_interval
    }

    /// The longest pause between two reads.
    pub fn max_interval(&self) -> Duration {
        self.max_interval
    }

    /// The pause after `pause`: twice as long, up to the longest.
    pub(crate) fn next_interval(&self, pause: Duration) -> Duration {
        (pause * 2).min(self.max_interval.max(self.initial_interval))
    }
}

impl AlterRequest {
    /// Whether this request (a status's) is the change `sent` asked for: of the same kind, with
    /// the same offsets, requested at the same time or later. A time that does not parse is
    /// compared as text.
    pub(crate) fn is_change_of(&self, sent: &AlterRequest) -> bool {
        let not_earlier = match (self.requested_at.utc(), sent.requested_at.utc()) {
            (Some(this), Some(sent)) => this >= sent,
            _ => self.requested_at.raw() == sent.requested_at.raw(),
        };
        self.kind == sent.kind && self.offsets == sent.offsets && not_earlier
    }

    /// A change as the service would record it.
    pub fn new(
        connector_id: impl Into<String>,
        name: impl Into<String>,
        kind: AlterKind,
        offsets: Vec<PartitionOffset>,
        requested_at: Timestamp,
    ) -> Self {
        AlterRequest {
            connector_id: connector_id.into(),
            name: name.into(),
            kind,
            offsets,
            requested_at,
        }
    }

    pub(crate) fn from_generated(info: types::ConnectV1AlterOffsetRequestInfo) -> Self {
        AlterRequest {
            connector_id: info.id,
            name: info.name,
            kind: AlterKind::parse(&info.type_),
            offsets: info
                .offsets
                .into_iter()
                .map(PartitionOffset::from_generated)
                .collect(),
            requested_at: Timestamp::from_json(info.requested_at),
        }
    }

    /// Decodes a `202` body of the alter operation (`connect.v1.AlterOffsetRequestInfo`).
    pub fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice::<types::ConnectV1AlterOffsetRequestInfo>(body)
            .map(Self::from_generated)
    }
}

impl AlterStatus {
    /// A status as the service would report it.
    pub fn new(
        request: AlterRequest,
        phase: AlterPhase,
        message: Option<String>,
        previous_offsets: Vec<PartitionOffset>,
        applied_at: Option<Timestamp>,
    ) -> Self {
        AlterStatus {
            request,
            phase,
            message,
            previous_offsets,
            applied_at,
        }
    }

    pub(crate) fn from_generated(status: types::ConnectV1AlterOffsetStatus) -> Self {
        AlterStatus {
            request: AlterRequest::from_generated(status.request),
            phase: AlterPhase::parse(&status.status.phase),
            message: status.status.message,
            previous_offsets: status
                .previous_offsets
                .unwrap_or_default()
                .into_iter()
                .map(PartitionOffset::from_generated)
                .collect(),
            applied_at: status.applied_at.map(Timestamp::from_json),
        }
    }

    /// Decodes a `200` body of the status operation (`connect.v1.AlterOffsetStatus`).
    pub fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice::<types::ConnectV1AlterOffsetStatus>(body).map(Self::from_generated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_phases_are_kept_and_count_as_pending() {
        let phase = AlterPhase::parse("RESUMING");
        assert_eq!(phase, AlterPhase::Other("RESUMING".to_owned()));
        assert!(!phase.is_final());
        assert_eq!(phase.to_string(), "RESUMING");
    }

    #[test]
    fn applied_and_failed_are_final() {
        assert!(AlterPhase::parse("APPLIED").is_final());
        assert!(AlterPhase::parse("FAILED").is_final());
        assert!(!AlterPhase::parse("PENDING_VALIDATION").is_final());
    }
}
