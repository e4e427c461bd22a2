//! The checks an offsets change passes before anything is sent.

use std::collections::HashMap;

use serde_json::Value;

use crate::error::{Argument, Error};
use crate::offsets::PartitionOffset;

/// Checks the entries of a `PATCH` before anything is sent: at least one, sink entries with
/// non-negative integers, and no partition twice.
pub(crate) fn check_patch(offsets: &[PartitionOffset]) -> Result<(), Error> {
    if offsets.is_empty() {
        return Err(Error::InvalidArgument {
            argument: Argument::Offsets,
            value: "[]".to_owned(),
            reason: "a PATCH needs at least one entry; to reset every partition, use \
                     Connector::reset_offsets"
                .to_owned(),
        });
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (index, entry) in offsets.iter().enumerate() {
        let refuse = |reason: String| Error::InvalidArgument {
            argument: Argument::Offsets,
            value: Value::from(entry_json(entry)).to_string(),
            reason: format!("entry {index}: {reason}"),
        };
        if let Some(reason) = sink_problem(entry) {
            return Err(refuse(reason));
        }
        // serde_json's maps are ordered, so equal partitions print equally.
        let key = Value::Object(entry.partition()).to_string();
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
    map.insert("partition".to_owned(), Value::Object(entry.partition()));
    map.insert("offset".to_owned(), Value::Object(entry.offset()));
    map
}

/// What is wrong with a sink-shaped entry (one whose partition names a Kafka topic), if
/// anything. Source entries are the connector's own business and pass as they are.
fn sink_problem(entry: &PartitionOffset) -> Option<String> {
    let partition = entry.partition();
    if !partition.contains_key("kafka_topic") {
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
    non_negative(partition.get("kafka_partition"), "kafka_partition")
        .or_else(|| non_negative(entry.offset().get("kafka_offset"), "kafka_offset"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(partition: Value, offset: Value) -> PartitionOffset {
        let (Value::Object(partition), Value::Object(offset)) = (partition, offset) else {
            panic!("objects expected");
        };
        PartitionOffset::new(partition, offset).expect("flat objects")
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
                assert_eq!(argument, Argument::Offsets);
                assert_eq!(
                    value,
                    r#"{"offset":{"kafka_offset":0},"partition":{"kafka_partition":-2,"kafka_topic":"orders"}}"#
                );
            }
            other => panic!("expected InvalidArgument, got {other:?}"),
        }
    }
}
