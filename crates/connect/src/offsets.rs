//! Typed offsets: what the facade makes of the service's offsets body.

use std::fmt;

use confluent_connect_api::{RawJsonObject, types};
use schemars::JsonSchema;
use serde::ser::SerializeStruct as _;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::Timestamp;
use crate::complete::Complete;

/// A JSON object as the service sent it; every value keeps its JSON type.
pub type JsonObject = Map<String, Value>;

/// Where a connector is: one entry per partition, and when that was observed.
///
/// Offsets are observed periodically by the service, so [`observed_at`](Self::observed_at)
/// lags the connector's true position.
///
/// `#[non_exhaustive]`: the service may add to its answer, and a field for it here must not
/// break your code. Build one with [`ConnectorOffsets::new`] and the `with_` methods.
///
/// Two are equal when their name, id, observation time and entries are; the
/// [`answer_text`](Self::answer_text) a client may keep is not compared, and `Debug` shows only
/// its length.
#[derive(Clone, Serialize)]
#[non_exhaustive]
pub struct ConnectorOffsets {
    /// The connector's name.
    pub name: Option<String>,
    /// The connector's id, e.g. `lcc-as341`.
    pub id: Option<String>,
    /// When the service observed these offsets; `None` when the response has no `metadata`.
    pub observed_at: Option<Timestamp>,
    /// One entry per partition.
    pub offsets: Vec<PartitionOffset>,
    /// The answer's text, when the client keeps it.
    #[serde(skip)]
    answer_text: Option<Box<str>>,
}

impl fmt::Debug for ConnectorOffsets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("ConnectorOffsets");
        debug
            .field("name", &self.name)
            .field("id", &self.id)
            .field("observed_at", &self.observed_at)
            .field("offsets", &self.offsets);
        if let Some(text) = &self.answer_text {
            debug.field("answer_text", &format_args!("<{} bytes>", text.len()));
        }
        debug.finish()
    }
}

impl PartialEq for ConnectorOffsets {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.id == other.id
            && self.observed_at == other.observed_at
            && self.offsets == other.offsets
    }
}

/// One partition and its offset, both kept as JSON objects.
///
/// Their shape depends on the connector: a sink has `{kafka_topic, kafka_partition}` and
/// `{kafka_offset}` (see [`PartitionOffset::as_sink`]); a source connector has its own (a JDBC
/// source, `{protocol, table}` and `{timestamp, timestamp_nanos, incrementing}`).
///
/// Each object is kept as the exact JSON text the service sent, so every value stays exact
/// (integers across the whole `i64` and `u64` range and beyond, never passed through a float)
/// and keys keep their order, in little more memory than the text itself. Read it as text
/// ([`partition_json`](Self::partition_json)) or as a map ([`partition`](Self::partition),
/// parsed on each call). Two entries are equal when their objects hold equal values.
///
/// Serialised, each object is written value by value in the order it was sent (so that a pretty
/// or YAML serialiser lays it out like the rest of the document), each number as serde_json
/// reads it.
#[derive(Clone, PartialEq, Deserialize, JsonSchema)]
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
    partition: RawJsonObject,
    /// The offset, e.g. `{"kafka_offset": 20032323}`.
    offset: RawJsonObject,
}

impl fmt::Debug for PartitionOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PartitionOffset")
            .field("partition", &format_args!("{}", self.partition.get()))
            .field("offset", &format_args!("{}", self.offset.get()))
            .finish()
    }
}

impl Serialize for PartitionOffset {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut entry = serializer.serialize_struct("PartitionOffset", 2)?;
        entry.serialize_field("partition", &Transcoded(&self.partition))?;
        entry.serialize_field("offset", &Transcoded(&self.offset))?;
        entry.end()
    }
}

/// An object serialised by reading its text into the serialiser, value by value.
struct Transcoded<'a>(&'a RawJsonObject);

impl Serialize for Transcoded<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = serde_json::Deserializer::from_str(self.0.get());
        serde_transcode::transcode(&mut text, serializer)
    }
}

/// The offset of one partition of a sink connector's topic.
///
/// Not `#[non_exhaustive]`: Kafka Connect fixes a sink's offset as a topic, a partition and an
/// offset, and you build these to set offsets ([`PartitionOffset::from`]).
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
    /// let entry = PartitionOffset::from_json_text(
    ///     r#"{"kafka_topic": "orders", "kafka_partition": 0}"#,
    ///     r#"{"kafka_offset": 42}"#,
    /// )?;
    /// let offsets = ConnectorOffsets::new(vec![entry]).with_name("orders-sink");
    /// assert_eq!(
    ///     offsets.sink()?,
    ///     vec![SinkOffset { topic: "orders".into(), partition: 0, offset: 42 }]
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
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
    /// An entry of these two objects.
    ///
    /// Fails only for an object nested deeper than serde_json reads back (128 levels).
    pub fn new(partition: JsonObject, offset: JsonObject) -> Result<Self, serde_json::Error> {
        Ok(PartitionOffset {
            partition: RawJsonObject::from_map(&partition)?,
            offset: RawJsonObject::from_map(&offset)?,
        })
    }

    /// An entry of two objects given as JSON text, kept as written without the whitespace
    /// between tokens.
    ///
    /// ```
    /// use confluent_connect::PartitionOffset;
    ///
    /// let entry = PartitionOffset::from_json_text(
    ///     r#"{"kafka_topic": "orders", "kafka_partition": 0}"#,
    ///     r#"{"kafka_offset": 18446744073709551616}"#,
    /// )?;
    /// assert_eq!(entry.offset_json(), r#"{"kafka_offset":18446744073709551616}"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn from_json_text(partition: &str, offset: &str) -> Result<Self, serde_json::Error> {
        Ok(PartitionOffset {
            partition: RawJsonObject::parse(partition)?,
            offset: RawJsonObject::parse(offset)?,
        })
    }

    /// The partition, read into a map (a new one on each call).
    pub fn partition(&self) -> JsonObject {
        self.partition.to_map()
    }

    /// The offset, read into a map (a new one on each call).
    pub fn offset(&self) -> JsonObject {
        self.offset.to_map()
    }

    /// The partition's JSON text, exactly as the service sent it.
    pub fn partition_json(&self) -> &str {
        self.partition.get()
    }

    /// The offset's JSON text, exactly as the service sent it.
    pub fn offset_json(&self) -> &str {
        self.offset.get()
    }

    /// This entry as a sink connector's offset, or why it is not one.
    pub fn as_sink(&self) -> Result<SinkOffset, String> {
        let partition = self.partition();
        let topic = match partition.get("kafka_topic") {
            Some(Value::String(topic)) => topic.clone(),
            Some(other) => return Err(format!("`kafka_topic` is {}, not a string", kind(other))),
            None => return Err("the partition has no `kafka_topic`".to_string()),
        };
        let number = integer(&partition, "kafka_partition", "partition")?;
        let number = i32::try_from(number)
            .map_err(|_| format!("`kafka_partition` {number} is out of range for a partition"))?;
        let offset = integer(&self.offset(), "kafka_offset", "offset")?;
        Ok(SinkOffset {
            topic,
            partition: number,
            offset,
        })
    }

    /// The entry the generated client decoded; a missing object is the empty one, as the spec's
    /// default says.
    pub(crate) fn from_generated(entry: types::ConnectV1OffsetsItem) -> Self {
        PartitionOffset {
            partition: entry.partition.unwrap_or_default(),
            offset: entry.offset.unwrap_or_default(),
        }
    }
}

/// Entries as the generated client sends them: what the builder of an alter request body takes
/// as its `offsets` (the generated types are `#[non_exhaustive]`, built through their builders).
pub(crate) struct GeneratedEntries<'a>(pub(crate) &'a [PartitionOffset]);

/// The entries as the offsets of a generated request body: each item type has the same
/// `partition` and `offset` builder methods.
macro_rules! generated_entries_into {
    ($($item:ty),+) => {$(
        impl TryFrom<GeneratedEntries<'_>> for Vec<$item> {
            type Error = types::error::ConversionError;

            fn try_from(entries: GeneratedEntries<'_>) -> Result<Self, Self::Error> {
                entries
                    .0
                    .iter()
                    .map(|entry| {
                        <$item>::builder()
                            .partition(Some(entry.partition.clone()))
                            .offset(Some(entry.offset.clone()))
                            .try_into()
                    })
                    .collect()
            }
        }
    )+};
}

generated_entries_into!(
    types::ConnectV1OffsetsItem,
    types::CreateConnectv1ConnectorBodyOffsetsItem
);

impl From<&SinkOffset> for PartitionOffset {
    /// `{"kafka_topic", "kafka_partition"}` and `{"kafka_offset"}`.
    fn from(sink: &SinkOffset) -> Self {
        let mut partition = JsonObject::new();
        partition.insert("kafka_topic".to_owned(), Value::from(sink.topic.as_str()));
        partition.insert("kafka_partition".to_owned(), Value::from(sink.partition));
        let mut offset = JsonObject::new();
        offset.insert("kafka_offset".to_owned(), Value::from(sink.offset));
        // Flat objects of a string and integers always read back.
        PartitionOffset::new(partition, offset)
            .expect("a flat object of a string and integers reads back")
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

impl ConnectorOffsets {
    /// Offsets with these entries, and no name, id or observation time.
    pub fn new(offsets: Vec<PartitionOffset>) -> Self {
        ConnectorOffsets {
            name: None,
            id: None,
            observed_at: None,
            offsets,
            answer_text: None,
        }
    }

    /// With the connector's name.
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// With the connector's id.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// With the time the service observed the offsets.
    pub fn with_observed_at(mut self, observed_at: Timestamp) -> Self {
        self.observed_at = Some(observed_at);
        self
    }

    /// The answer these offsets were read from, exactly as the service sent it, when the
    /// client was built with [`ClientBuilder::keep_answer_text`](crate::ClientBuilder::keep_answer_text):
    /// with the fields the spec does not have (at the top, in `metadata`, in each entry), which
    /// the typed fields leave out. `None` otherwise, and for offsets built in code.
    pub fn answer_text(&self) -> Option<&str> {
        self.answer_text.as_deref()
    }

    pub(crate) fn with_answer_text(mut self, text: Option<String>) -> Self {
        self.answer_text = text.map(String::into_boxed_str);
        self
    }

    pub(crate) fn from_generated(body: types::ConnectV1ConnectorOffsets) -> Self {
        Self {
            name: body.name,
            id: body.id,
            observed_at: body
                .metadata
                .and_then(|m| m.observed_at)
                .map(Timestamp::from_json),
            // From a `Vec`'s own iterator, the entries are converted in place, in the
            // generated list's allocation (see BENCHMARKS.md, row 2's memory).
            offsets: body
                .offsets
                .unwrap_or_default()
                .into_iter()
                .map(PartitionOffset::from_generated)
                .collect(),
            answer_text: None,
        }
    }
}

impl ConnectorOffsets {
    /// Decodes a `GET .../offsets` response body, as the client does.
    ///
    /// Useful for offsets saved from the API, or from `confluent connect offset describe -o json`.
    ///
    /// A body without `offsets`, or with `"offsets": null`, is an error, as it is from the
    /// client ([`Error::MissingField`](crate::Error::MissingField)): it does not say where the
    /// connector is.
    pub fn from_json(body: &[u8]) -> Result<Self, serde_json::Error> {
        let body = serde_json::from_slice::<types::ConnectV1ConnectorOffsets>(body)?;
        match body.missing_field() {
            None => Ok(Self::from_generated(body)),
            Some(field) => Err(serde::de::Error::custom(format_args!(
                "the answer has no `{field}` field (or it is null)"
            ))),
        }
    }
}
