//! Typed offsets: what the facade makes of the service's offsets body.

use confluent_connect_api::types;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::Timestamp;

/// A JSON object as the service sent it; every value keeps its JSON type.
pub type JsonObject = Map<String, Value>;

/// Where a connector is: one entry per partition, and when that was observed.
///
/// Offsets are observed periodically by the service, so [`observed_at`](Self::observed_at)
/// lags the connector's true position.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConnectorOffsets {
    /// The connector's name.
    pub name: Option<String>,
    /// The connector's id, e.g. `lcc-as341`.
    pub id: Option<String>,
    /// When the service observed these offsets; `None` when the response has no `metadata`.
    pub observed_at: Option<Timestamp>,
    /// One entry per partition.
    pub offsets: Vec<PartitionOffset>,
}

/// One partition and its offset, both kept as JSON objects.
///
/// Their shape depends on the connector: a sink has `{kafka_topic, kafka_partition}` and
/// `{kafka_offset}` (see [`PartitionOffset::as_sink`]); a source connector has its own (a JDBC
/// source, `{protocol, table}` and `{timestamp, timestamp_nanos, incrementing}`). Values keep
/// their exact JSON type: integers stay integers across the whole `i64` and `u64` range, and
/// are never passed through a float.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
// The schema says the same as the doc comment, without rustdoc's link syntax.
#[schemars(
    description = "One partition and its offset, both kept as JSON objects. Their shape depends \
                   on the connector: a sink has {kafka_topic, kafka_partition} and \
                   {kafka_offset}; a source connector has its own (a JDBC source, \
                   {protocol, table} and {timestamp, timestamp_nanos, incrementing}). \
                   Integers keep their exact value."
)]
pub struct PartitionOffset {
    /// The partition, e.g. `{"kafka_topic": "orders", "kafka_partition": 0}`.
    pub partition: JsonObject,
    /// The offset, e.g. `{"kafka_offset": 20032323}`.
    pub offset: JsonObject,
}

/// The offset of one partition of a sink connector's topic.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct SinkOffset {
    /// The Kafka topic.
    pub topic: String,
    /// The partition of the topic.
    pub partition: i32,
    /// The next offset the connector will read in that partition.
    pub offset: i64,
}

/// An offsets entry that is not shaped like a sink connector's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "offsets entry {index} is not a sink offset: {reason}. Source connectors have \
     connector-specific partitions and offsets: read them from `offsets` instead"
)]
pub struct NotSinkOffset {
    /// The position of the entry in [`ConnectorOffsets::offsets`].
    pub index: usize,
    /// What is missing or of the wrong type.
    pub reason: String,
}

impl ConnectorOffsets {
    /// The offsets as a sink connector's: one [`SinkOffset`] per entry, in order.
    ///
    /// Fails on the first entry that is not sink-shaped, naming it.
    ///
    /// ```
    /// # use confluent_connect::{ConnectorOffsets, PartitionOffset, SinkOffset};
    /// # use serde_json::json;
    /// let offsets = ConnectorOffsets {
    ///     name: Some("orders-sink".into()),
    ///     id: None,
    ///     observed_at: None,
    ///     offsets: vec![PartitionOffset {
    ///         partition: json!({"kafka_topic": "orders", "kafka_partition": 0})
    ///             .as_object().unwrap().clone(),
    ///         offset: json!({"kafka_offset": 42}).as_object().unwrap().clone(),
    ///     }],
    /// };
    /// assert_eq!(
    ///     offsets.sink()?,
    ///     vec![SinkOffset { topic: "orders".into(), partition: 0, offset: 42 }]
    /// );
    /// # Ok::<(), confluent_connect::NotSinkOffset>(())
    /// ```
    pub fn sink(&self) -> Result<Vec<SinkOffset>, NotSinkOffset> {
        self.offsets
            .iter()
            .enumerate()
            .map(|(index, entry)| {
                entry
                    .as_sink()
                    .map_err(|reason| NotSinkOffset { index, reason })
            })
            .collect()
    }
}

impl PartitionOffset {
    /// This entry as a sink connector's offset, or why it is not one.
    pub fn as_sink(&self) -> Result<SinkOffset, String> {
        let topic = match self.partition.get("kafka_topic") {
            Some(Value::String(topic)) => topic.clone(),
            Some(other) => return Err(format!("`kafka_topic` is {}, not a string", kind(other))),
            None => return Err("the partition has no `kafka_topic`".to_string()),
        };
        let partition = integer(&self.partition, "kafka_partition", "partition")?;
        let partition = i32::try_from(partition).map_err(|_| {
            format!("`kafka_partition` {partition} is out of range for a partition")
        })?;
        let offset = integer(&self.offset, "kafka_offset", "offset")?;
        Ok(SinkOffset {
            topic,
            partition,
            offset,
        })
    }
}

fn integer(object: &JsonObject, field: &str, owner: &str) -> Result<i64, String> {
    match object.get(field) {
        Some(Value::Number(n)) => n
            .as_i64()
            .ok_or_else(|| format!("`{field}` is {n}, not a 64-bit integer")),
        Some(other) => Err(format!("`{field}` is {}, not an integer", kind(other))),
        None => Err(format!("the {owner} has no `{field}`")),
    }
}

/// What kind of JSON value `value` is, for error messages: "a string", "an object", ...
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl From<types::ConnectV1ConnectorOffsets> for ConnectorOffsets {
    fn from(body: types::ConnectV1ConnectorOffsets) -> Self {
        Self {
            name: body.name,
            id: body.id,
            observed_at: body
                .metadata
                .and_then(|m| m.observed_at)
                .map(Timestamp::parse),
            offsets: body
                .offsets
                .into_iter()
                .map(PartitionOffset::from)
                .collect(),
        }
    }
}

impl ConnectorOffsets {
    /// Decodes a `GET .../offsets` response body, as the client does.
    ///
    /// Useful for offsets saved from the API, or from `confluent connect offset describe -o json`.
    pub fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice::<types::ConnectV1ConnectorOffsets>(body).map(Self::from)
    }
}
