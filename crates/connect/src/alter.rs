//! Changing a connector's offsets: the request, its status, and waiting for it to apply.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use confluent_connect_api::types;
use serde::Serialize;
use serde_json::Value;

use crate::{Error, PartitionOffset, Timestamp};

/// What an offsets change does.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
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
/// [`AlterPhase::Other`] and counts as still pending.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlterStatus {
    /// The change.
    pub request: AlterRequest,
    /// Its phase.
    pub phase: AlterPhase,
    /// The service's message about the phase, e.g. why it failed.
    pub message: Option<String>,
    /// The offsets before the change.
    pub previous_offsets: Vec<PartitionOffset>,
    /// When it was applied; `None` until then.
    pub applied_at: Option<Timestamp>,
}

/// How [`Connector::wait_for_alter`](crate::Connector::wait_for_alter) polls.
///
/// It reads the status at once, then waits `initial_interval`, doubling the wait after each
/// pending answer up to `max_interval`, and gives up when the next wait would end past
/// `timeout`. The defaults (30 s, 250 ms, 5 s) follow Confluent's CLI, which waits 30 s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitOptions {
    /// How long to wait in all.
    pub timeout: Duration,
    /// The first pause between two reads of the status.
    pub initial_interval: Duration,
    /// The longest pause between two reads.
    pub max_interval: Duration,
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
    /// The default pacing with another overall timeout.
    pub fn with_timeout(timeout: Duration) -> Self {
        WaitOptions {
            timeout,
            ..WaitOptions::default()
        }
    }
}

impl From<types::ConnectV1OffsetsItem> for PartitionOffset {
    fn from(entry: types::ConnectV1OffsetsItem) -> Self {
        PartitionOffset {
            partition: entry.partition,
            offset: entry.offset,
        }
    }
}

impl From<&PartitionOffset> for types::ConnectV1OffsetsItem {
    fn from(entry: &PartitionOffset) -> Self {
        types::ConnectV1OffsetsItem {
            partition: entry.partition.clone(),
            offset: entry.offset.clone(),
        }
    }
}

impl From<types::ConnectV1AlterOffsetRequestInfo> for AlterRequest {
    fn from(info: types::ConnectV1AlterOffsetRequestInfo) -> Self {
        AlterRequest {
            connector_id: info.id,
            name: info.name,
            kind: AlterKind::parse(&info.type_),
            offsets: info
                .offsets
                .into_iter()
                .map(PartitionOffset::from)
                .collect(),
            requested_at: Timestamp::parse(info.requested_at),
        }
    }
}

impl From<types::ConnectV1AlterOffsetStatus> for AlterStatus {
    fn from(status: types::ConnectV1AlterOffsetStatus) -> Self {
        AlterStatus {
            request: AlterRequest::from(status.request),
            phase: AlterPhase::parse(&status.status.phase),
            message: status.status.message,
            previous_offsets: status
                .previous_offsets
                .into_iter()
                .map(PartitionOffset::from)
                .collect(),
            applied_at: status.applied_at.map(Timestamp::parse),
        }
    }
}

impl AlterRequest {
    /// Decodes a `202` body of the alter operation (`connect.v1.AlterOffsetRequestInfo`).
    pub fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice::<types::ConnectV1AlterOffsetRequestInfo>(body).map(Self::from)
    }
}

impl AlterStatus {
    /// Decodes a `200` body of the status operation (`connect.v1.AlterOffsetStatus`).
    pub fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice::<types::ConnectV1AlterOffsetStatus>(body).map(Self::from)
    }
}

/// Checks the entries of a `PATCH` before anything is sent: at least one, sink entries with
/// non-negative integers, and no partition twice.
pub(crate) fn check_patch(offsets: &[PartitionOffset]) -> Result<(), Error> {
    if offsets.is_empty() {
        return Err(Error::InvalidArgument {
            argument: "offsets",
            value: "[]".to_owned(),
            reason: "a PATCH needs at least one entry; to reset every partition, use \
                     Connector::reset_offsets"
                .to_owned(),
        });
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, entry) in offsets.iter().enumerate() {
        let refuse = |reason: String| Error::InvalidArgument {
            argument: "offsets",
            value: Value::from(entry_json(entry)).to_string(),
            reason: format!("entry {index}: {reason}"),
        };
        if let Some(reason) = sink_problem(entry) {
            return Err(refuse(reason));
        }
        // serde_json's maps are ordered, so equal partitions print equally.
        let key = Value::Object(entry.partition.clone()).to_string();
        if let Some(first) = seen.insert(key, index) {
            return Err(refuse(format!(
                "the same partition as entry {first}; list each partition once"
            )));
        }
    }
    Ok(())
}

fn entry_json(entry: &PartitionOffset) -> serde_json::Map<String, Value> {
    let mut map = serde_json::Map::new();
    map.insert(
        "partition".to_owned(),
        Value::Object(entry.partition.clone()),
    );
    map.insert("offset".to_owned(), Value::Object(entry.offset.clone()));
    map
}

/// What is wrong with a sink-shaped entry (one whose partition names a Kafka topic), if
/// anything. Source entries are the connector's own business and pass as they are.
fn sink_problem(entry: &PartitionOffset) -> Option<String> {
    if !entry.partition.contains_key("kafka_topic") {
        return None;
    }
    let non_negative = |value: Option<&Value>, what: &str| -> Option<String> {
        match value {
            Some(Value::Number(n)) if n.as_i64().is_some_and(|v| v >= 0) || n.is_u64() => None,
            Some(Value::Number(n)) if n.as_i64().is_some() => {
                Some(format!("the {what} is {n}; it must not be negative"))
            }
            Some(other) => Some(format!("the {what} must be a whole number, not {other}")),
            None => Some(format!("the {what} is missing")),
        }
    };
    non_negative(entry.partition.get("kafka_partition"), "kafka_partition")
        .or_else(|| non_negative(entry.offset.get("kafka_offset"), "kafka_offset"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(partition: Value, offset: Value) -> PartitionOffset {
        let (Value::Object(partition), Value::Object(offset)) = (partition, offset) else {
            panic!("objects expected");
        };
        PartitionOffset { partition, offset }
    }

    fn sink(partition: i64, offset: i64) -> PartitionOffset {
        entry(
            json!({"kafka_topic": "orders", "kafka_partition": partition}),
            json!({"kafka_offset": offset}),
        )
    }

    fn reason(error: Error) -> String {
        match error {
            Error::InvalidArgument { reason, .. } => reason,
            other => panic!("expected InvalidArgument, got {other:?}"),
        }
    }

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

    #[test]
    fn an_empty_patch_is_refused() {
        assert_eq!(
            reason(check_patch(&[]).unwrap_err()),
            "a PATCH needs at least one entry; to reset every partition, use Connector::reset_offsets"
        );
    }

    #[test]
    fn a_negative_partition_is_refused_naming_the_entry() {
        assert_eq!(
            reason(check_patch(&[sink(0, 5), sink(-1, 5)]).unwrap_err()),
            "entry 1: the kafka_partition is -1; it must not be negative"
        );
    }

    #[test]
    fn a_negative_offset_is_refused_naming_the_entry() {
        assert_eq!(
            reason(check_patch(&[sink(3, -7)]).unwrap_err()),
            "entry 0: the kafka_offset is -7; it must not be negative"
        );
    }

    #[test]
    fn a_sink_offset_that_is_not_a_number_is_refused() {
        let text = entry(
            json!({"kafka_topic": "orders", "kafka_partition": 0}),
            json!({"kafka_offset": "12"}),
        );
        assert_eq!(
            reason(check_patch(&[text]).unwrap_err()),
            "entry 0: the kafka_offset must be a whole number, not \"12\""
        );
    }

    #[test]
    fn the_same_partition_twice_is_refused() {
        assert_eq!(
            reason(check_patch(&[sink(0, 1), sink(1, 1), sink(0, 2)]).unwrap_err()),
            "entry 2: the same partition as entry 0; list each partition once"
        );
    }

    #[test]
    fn source_entries_pass_as_they_are() {
        let source = entry(json!({"table": "t"}), json!({"incrementing": -1}));
        assert!(check_patch(&[source]).is_ok());
    }

    #[test]
    fn the_refused_entry_is_shown_as_json() {
        match check_patch(&[sink(-2, 0)]).unwrap_err() {
            Error::InvalidArgument {
                argument, value, ..
            } => {
                assert_eq!(argument, "offsets");
                assert_eq!(
                    value,
                    r#"{"offset":{"kafka_offset":0},"partition":{"kafka_partition":-2,"kafka_topic":"orders"}}"#
                );
            }
            other => panic!("expected InvalidArgument, got {other:?}"),
        }
    }
}
