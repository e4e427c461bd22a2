//! The response decoders under arbitrary input, as properties: whatever bytes or JSON come in,
//! each decoder answers (a value or an error) and never panics; a body in the documented shape
//! decodes, one the shape rules out is refused, and every partition and offset value comes back
//! exactly, integers beyond 2^53 and floats bit for bit.
//!
//! The decoders: `ConnectorOffsets::from_json` with its sink view (`sink`, `as_sink`),
//! `AlterRequest::from_json`, `AlterStatus::from_json`, `ApiError::from_body`,
//! `OffsetsFile::from_slice` with `to_vec`, and `Timestamp::parse`.
//!
//! Each property runs proptest's default 256 cases, or `PROPTEST_CASES` when it is set. The
//! maintainers' long run takes many more, in release mode:
//!
//! ```text
//! cargo xtask proptest-long           # 100000 cases per property
//! cargo xtask proptest-long 1000000   # or any other number
//! ```
//!
//! A failure is shrunk to a minimal input and printed, and its seed is saved in
//! `crates/connect/proptest-regressions/decoders_proptest.txt`. Commit that file: the saved
//! cases run first, every time, on every machine.

use std::fmt::Debug;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use confluent_connect::{
    AlterKind, AlterPhase, AlterRequest, AlterStatus, ApiError, ConnectorOffsets, JsonObject,
    OffsetsFile, OffsetsFileError, PartitionOffset, SinkOffset, StatusCode, Timestamp,
};
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{Index, select};
use proptest::test_runner::{FileFailurePersistence, TestCaseError};
use serde::Serialize;
use serde::de::IgnoredAny;
use serde_json::{Value, json};

/// Where the seeds of failures are kept, relative to this crate's directory, where cargo runs
/// its tests. (Proptest's default looks for a `lib.rs` above the test file, which `tests/`
/// lacks, and would write beside it.)
const REGRESSIONS: &str = "proptest-regressions/decoders_proptest.txt";

/// Proptest's defaults, which read `PROPTEST_CASES`, with the failures kept in [`REGRESSIONS`].
fn config() -> ProptestConfig {
    ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(REGRESSIONS))),
        ..ProptestConfig::default()
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

// ---------------------------------------------------------------------------------------------
// Arbitrary JSON.

/// Text as JSON carries it: any Unicode and, more often than by chance, the characters that are
/// escaped and those that a scanner for numbers could take for one.
fn text() -> impl Strategy<Value = String> {
    let escaped = prop_oneof![
        select(vec![
            '"',
            '\\',
            '/',
            '\u{7f}',
            '\u{2028}',
            '\u{ffff}',
            '\u{10ffff}'
        ]),
        prop::char::range('\0', '\u{1f}'),
    ];
    let numeric = select("-+0123456789.eE\"\\ ".chars().collect::<Vec<_>>());
    prop_oneof![
        prop::collection::vec(any::<char>(), 0..12),
        prop::collection::vec(escaped, 0..8),
        prop::collection::vec(numeric, 0..12),
    ]
    .prop_map(String::from_iter)
}

/// The keys the decoders look for.
const KEYS: &[&str] = &[
    "kafka_topic",
    "kafka_partition",
    "kafka_offset",
    "partition",
    "offset",
    "offsets",
    "name",
    "id",
    "metadata",
    "observed_at",
    "error",
    "code",
    "message",
    "",
];

/// Object keys: any text, and often a key a decoder looks for.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => text(),
        1 => select(KEYS).prop_map(str::to_owned),
    ]
}

const EDGE_I64: &[i64] = &[
    0,
    -1,
    i64::MIN,
    i64::MAX,
    -(1 << 53) - 1,
    i32::MIN as i64 - 1,
    i32::MAX as i64 + 1,
];

const EDGE_U64: &[u64] = &[u64::MAX, (1 << 53) + 1, i64::MAX as u64 + 1];

const EDGE_F64: &[f64] = &[
    0.0,
    -0.0,
    0.1,
    1.0,
    -1.5,
    9007199254740993.0,
    1e300,
    f64::MAX,
    f64::MIN,
    f64::MIN_POSITIVE,
    5e-324,
];

/// Finite floats of every class, positive and negative zero included.
fn float() -> impl Strategy<Value = f64> {
    use prop::num::f64::{NEGATIVE, NORMAL, POSITIVE, SUBNORMAL, ZERO};
    prop_oneof![
        POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO,
        select(EDGE_F64),
    ]
}

/// Numbers across the whole range serde_json keeps exactly: every `i64`, every `u64`, and
/// every finite float.
fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Above 2^53 not every integer is a float: a trip through f64 would change some.
        ((1_u64 << 53)..=u64::MAX).prop_map(Value::from),
        select(EDGE_I64).prop_map(Value::from),
        select(EDGE_U64).prop_map(Value::from),
        float().prop_map(Value::from),
    ]
}

/// Any JSON value, nested up to four levels.
fn json() -> impl Strategy<Value = Value> {
    json_within(4, 32)
}

/// Any JSON value, nested up to `depth` levels, of about `size` values in all.
fn json_within(depth: u32, size: u32) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(depth, size, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..5)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Any JSON object, its values smaller than [`json`]'s: an entry holds two, a body many.
fn object() -> impl Strategy<Value = JsonObject> {
    prop::collection::btree_map(key(), json_within(3, 8), 0..5)
        .prop_map(|map| map.into_iter().collect())
}

/// An offsets entry holding any objects.
fn entry() -> impl Strategy<Value = PartitionOffset> {
    (object(), object()).prop_map(|(partition, offset)| made_entry(partition, offset))
}

/// An entry of these objects, through the public constructor.
fn made_entry(partition: JsonObject, offset: JsonObject) -> PartitionOffset {
    PartitionOffset::new(partition, offset).expect("objects of JSON values make an entry")
}

/// Connector offsets with these fields, through the public constructors.
fn made_offsets(
    name: Option<String>,
    id: Option<String>,
    observed_at: Option<Timestamp>,
    offsets: Vec<PartitionOffset>,
) -> ConnectorOffsets {
    let mut made = ConnectorOffsets::new(offsets);
    if let Some(name) = name {
        made = made.with_name(name);
    }
    if let Some(id) = id {
        made = made.with_id(id);
    }
    if let Some(observed_at) = observed_at {
        made = made.with_observed_at(observed_at);
    }
    made
}

fn entries() -> impl Strategy<Value = Vec<PartitionOffset>> {
    prop::collection::vec(entry(), 0..4)
}

fn entries_json(entries: &[PartitionOffset]) -> Value {
    entries
        .iter()
        .map(|entry| json!({"partition": entry.partition(), "offset": entry.offset()}))
        .collect()
}

fn bytes_of(body: &Value) -> Vec<u8> {
    serde_json::to_vec(body).expect("a JSON value serialises")
}

/// The value of an optional field, left out when `None`, as the service does.
fn insert_some(object: &mut JsonObject, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        object.insert(key.to_owned(), value);
    }
}

// ---------------------------------------------------------------------------------------------
// Bodies in the documented shapes, with what they must decode to.

/// Times as the service writes them, or any text.
fn time_text() -> impl Strategy<Value = String> {
    prop_oneof![written_time().prop_map(|(text, _)| text), text()]
}

/// A `GET .../offsets` 200 body and the offsets it says.
fn get_body() -> impl Strategy<Value = (Value, ConnectorOffsets)> {
    (
        option::of(text()),
        option::of(text()),
        option::of(option::of(time_text())),
        entries(),
    )
        .prop_map(|(name, id, metadata, offsets)| {
            let mut body = JsonObject::new();
            insert_some(&mut body, "name", name.clone().map(Value::from));
            insert_some(&mut body, "id", id.clone().map(Value::from));
            insert_some(
                &mut body,
                "metadata",
                metadata.clone().map(|observed_at| match observed_at {
                    Some(observed_at) => json!({"observed_at": observed_at}),
                    None => json!({}),
                }),
            );
            body.insert("offsets".to_owned(), entries_json(&offsets));
            let expected =
                made_offsets(name, id, metadata.flatten().map(Timestamp::parse), offsets);
            (Value::Object(body), expected)
        })
}

fn kind_text() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec!["PATCH", "DELETE", "patch", "RESET"]).prop_map(str::to_owned),
        text(),
    ]
}

fn phase_text() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec![
            "PENDING",
            "PENDING_VALIDATION",
            "APPLIED",
            "FAILED",
            "applied",
            "RESUMING",
        ])
        .prop_map(str::to_owned),
        text(),
    ]
}

/// An alter `202` body (`connect.v1.AlterOffsetRequestInfo`) and the request it says.
fn alter_request_body() -> impl Strategy<Value = (Value, AlterRequest)> {
    (text(), text(), kind_text(), entries(), time_text()).prop_map(
        |(id, name, kind, offsets, requested_at)| {
            let body = json!({
                "id": id,
                "name": name,
                "type": kind,
                "offsets": entries_json(&offsets),
                "requested_at": requested_at,
            });
            let kind = match kind.as_str() {
                "PATCH" => AlterKind::Patch,
                "DELETE" => AlterKind::Delete,
                _ => AlterKind::Other(kind),
            };
            let expected =
                AlterRequest::new(id, name, kind, offsets, Timestamp::parse(requested_at));
            (body, expected)
        },
    )
}

/// A status `200` body (`connect.v1.AlterOffsetStatus`) and the status it says.
fn alter_status_body() -> impl Strategy<Value = (Value, AlterStatus)> {
    (
        alter_request_body(),
        phase_text(),
        option::of(text()),
        entries(),
        option::of(time_text()),
    )
        .prop_map(
            |((request_body, request), phase, message, previous_offsets, applied_at)| {
                let mut status = JsonObject::new();
                status.insert("phase".to_owned(), Value::from(phase.clone()));
                insert_some(&mut status, "message", message.clone().map(Value::from));
                let mut body = JsonObject::new();
                body.insert("request".to_owned(), request_body);
                body.insert("status".to_owned(), Value::Object(status));
                body.insert(
                    "previous_offsets".to_owned(),
                    entries_json(&previous_offsets),
                );
                insert_some(&mut body, "applied_at", applied_at.clone().map(Value::from));
                let phase = match phase.as_str() {
                    "PENDING" => AlterPhase::Pending,
                    "PENDING_VALIDATION" => AlterPhase::PendingValidation,
                    "APPLIED" => AlterPhase::Applied,
                    "FAILED" => AlterPhase::Failed,
                    _ => AlterPhase::Other(phase),
                };
                let expected = AlterStatus::new(
                    request,
                    phase,
                    message,
                    previous_offsets,
                    applied_at.map(Timestamp::parse),
                );
                (Value::Object(body), expected)
            },
        )
}

/// Any status an `http::StatusCode` can hold.
fn status_code() -> impl Strategy<Value = StatusCode> {
    (100_u16..=999).prop_map(|code| StatusCode::from_u16(code).expect("100 to 999 is a status"))
}

/// An error body, `{"error": {"code", "message"}}` with either left out, and the `ApiError` it
/// says for `status` and `request_id`.
fn error_body() -> impl Strategy<Value = (Value, ApiError)> {
    (
        status_code(),
        option::of(any::<i64>()),
        option::of(text()),
        option::of(text()),
    )
        .prop_map(|(status, code, message, request_id)| {
            let mut error = JsonObject::new();
            insert_some(&mut error, "code", code.map(Value::from));
            insert_some(&mut error, "message", message.clone().map(Value::from));
            let expected = ApiError::new(status, code, message, request_id);
            (json!({ "error": error }), expected)
        })
}

/// An offsets file's content, as a JSON value.
fn file_body() -> impl Strategy<Value = Value> {
    entries().prop_map(|offsets| json!({ "offsets": entries_json(&offsets) }))
}

// ---------------------------------------------------------------------------------------------
// One node of a body, edited.

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// The path of every node of `value`, the root first.
fn paths(value: &Value) -> Vec<Vec<Step>> {
    fn walk(value: &Value, path: &mut Vec<Step>, all: &mut Vec<Vec<Step>>) {
        all.push(path.clone());
        match value {
            Value::Object(object) => {
                for (key, child) in object {
                    path.push(Step::Key(key.clone()));
                    walk(child, path, all);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    path.push(Step::Index(index));
                    walk(child, path, all);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut all = Vec::new();
    walk(value, &mut Vec::new(), &mut all);
    all
}

fn node_mut<'a>(value: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(value, |node, step| match step {
        Step::Key(key) => &mut node[key.as_str()],
        Step::Index(index) => &mut node[*index],
    })
}

/// Replaces the node at `path` with `replacement`, or removes it from its parent (the root is
/// replaced by `null`).
fn edit(body: &mut Value, path: &[Step], replacement: Option<Value>) {
    match (path.split_last(), replacement) {
        (_, Some(replacement)) => *node_mut(body, path) = replacement,
        (None, None) => *body = Value::Null,
        (Some((last, parent)), None) => match (node_mut(body, parent), last) {
            (Value::Object(object), Step::Key(key)) => {
                object.remove(key);
            }
            (Value::Array(items), Step::Index(index)) => {
                items.remove(*index);
            }
            (parent, step) => unreachable!("{step:?} is not a child of {parent}"),
        },
    }
}

/// `body` with one of its nodes (the whole body, a field, an entry, a value deep inside an
/// offset) replaced by any JSON value, or removed.
fn with_one_node_edited(body: impl Strategy<Value = Value>) -> impl Strategy<Value = Value> {
    (body, any::<Index>(), option::weighted(0.8, json())).prop_map(|(mut body, at, replacement)| {
        let path = at.get(&paths(&body)).clone();
        edit(&mut body, &path, replacement);
        body
    })
}

// ---------------------------------------------------------------------------------------------
// What the documented shapes say a body decodes to.

/// Why a body does not decode to a value by the documented shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Verdict {
    /// An array stands where the shape has an object: serde's derived decoders also take a
    /// struct as the array of its fields in order, about which the documented shape says
    /// nothing. Either answer will do.
    Unspecified,
    /// The shape rules the body out: the decoder must refuse it.
    Refused,
}

type Shape<T> = Result<T, Verdict>;

/// Both parts, or the stronger reason why not: one refused field refuses the whole.
fn both<A, B>(a: Shape<A>, b: Shape<B>) -> Shape<(A, B)> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(a), Err(b)) => Err(a.max(b)),
        (Err(verdict), Ok(_)) | (Ok(_), Err(verdict)) => Err(verdict),
    }
}

fn every<T>(items: impl IntoIterator<Item = Shape<T>>) -> Shape<Vec<T>> {
    // Every item, not up to the first problem: a later refusal outweighs an earlier doubt.
    let mut all = Vec::new();
    let mut worst = None;
    for item in items {
        match item {
            Ok(item) => all.push(item),
            Err(verdict) => worst = worst.max(Some(verdict)),
        }
    }
    worst.map_or(Ok(all), Err)
}

/// The fields of a struct: an object.
fn fields(value: &Value) -> Shape<&JsonObject> {
    match value {
        Value::Object(object) => Ok(object),
        Value::Array(_) => Err(Verdict::Unspecified),
        _ => Err(Verdict::Refused),
    }
}

fn required<'a>(fields: &'a JsonObject, key: &str) -> Shape<&'a Value> {
    fields.get(key).ok_or(Verdict::Refused)
}

/// An optional field: left out or `null` is `None`.
fn optional<'a, T>(
    value: Option<&'a Value>,
    read: impl FnOnce(&'a Value) -> Shape<T>,
) -> Shape<Option<T>> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(value) => read(value).map(Some),
    }
}

fn string(value: &Value) -> Shape<String> {
    value.as_str().map(str::to_owned).ok_or(Verdict::Refused)
}

/// A date-time: any JSON value is kept, a string parsed as it can be.
fn timestamp(value: &Value) -> Shape<Timestamp> {
    Ok(Timestamp::from_json(value.clone()))
}

fn integer(value: &Value) -> Shape<i64> {
    value.as_i64().ok_or(Verdict::Refused)
}

/// `partition` or `offset`: an object, empty when left out or `null`.
fn object_or_empty(value: Option<&Value>) -> Shape<JsonObject> {
    match value {
        None | Some(Value::Null) => Ok(JsonObject::new()),
        Some(Value::Object(object)) => Ok(object.clone()),
        Some(_) => Err(Verdict::Refused),
    }
}

fn offsets_array(value: &Value) -> Shape<Vec<PartitionOffset>> {
    let Value::Array(items) = value else {
        return Err(Verdict::Refused);
    };
    every(items.iter().map(|item| {
        let item = fields(item)?;
        both(
            object_or_empty(item.get("partition")),
            object_or_empty(item.get("offset")),
        )
        .map(|(partition, offset)| made_entry(partition, offset))
    }))
}

fn expected_offsets(body: &Value) -> Shape<ConnectorOffsets> {
    let body = fields(body)?;
    let name = optional(body.get("name"), string);
    let id = optional(body.get("id"), string);
    let observed_at = optional(body.get("metadata"), |metadata| {
        optional(fields(metadata)?.get("observed_at"), timestamp)
    });
    // Without `offsets` (or with `null`), the answer does not say where the connector is.
    let offsets =
        optional(body.get("offsets"), offsets_array).and_then(|o| o.ok_or(Verdict::Refused));
    let (((name, id), observed_at), offsets) = both(both(both(name, id), observed_at), offsets)?;
    Ok(made_offsets(name, id, observed_at.flatten(), offsets))
}

fn expected_alter_request(body: &Value) -> Shape<AlterRequest> {
    let body = fields(body)?;
    let id = required(body, "id").and_then(string);
    let name = required(body, "name").and_then(string);
    let kind = required(body, "type").and_then(string);
    let offsets = required(body, "offsets").and_then(offsets_array);
    let requested_at = required(body, "requested_at").and_then(timestamp);
    let ((((id, name), kind), offsets), requested_at) =
        both(both(both(both(id, name), kind), offsets), requested_at)?;
    let kind = match kind.as_str() {
        "PATCH" => AlterKind::Patch,
        "DELETE" => AlterKind::Delete,
        _ => AlterKind::Other(kind),
    };
    Ok(AlterRequest::new(id, name, kind, offsets, requested_at))
}

fn expected_alter_status(body: &Value) -> Shape<AlterStatus> {
    let body = fields(body)?;
    let request = required(body, "request").and_then(expected_alter_request);
    let status = required(body, "status").and_then(|status| {
        let status = fields(status)?;
        both(
            required(status, "phase").and_then(string),
            optional(status.get("message"), string),
        )
    });
    let previous_offsets =
        optional(body.get("previous_offsets"), offsets_array).map(Option::unwrap_or_default);
    let applied_at = optional(body.get("applied_at"), timestamp);
    let (((request, (phase, message)), previous_offsets), applied_at) =
        both(both(both(request, status), previous_offsets), applied_at)?;
    Ok(AlterStatus::new(
        request,
        AlterPhase::parse(&phase),
        message,
        previous_offsets,
        applied_at,
    ))
}

/// What `ApiError::from_body` makes of `body`: `None` for a body without an `error`.
fn expected_api_error(
    status: StatusCode,
    body: &Value,
    request_id: Option<String>,
) -> Shape<Option<ApiError>> {
    let error = optional(fields(body)?.get("error"), |error| {
        let error = fields(error)?;
        both(
            optional(error.get("code"), integer),
            optional(error.get("message"), string),
        )
    })?;
    Ok(error.map(|(code, message)| ApiError::new(status, code, message, request_id)))
}

/// How `OffsetsFile::from_slice` refuses a document: its error, without the path.
#[derive(Debug, Clone, PartialEq)]
enum Refusal {
    NotAnObject(&'static str),
    NoOffsets,
    OffsetsNotAnArray(&'static str),
    EntryNotAnObject(usize, &'static str),
    UnknownKey(usize, String),
    MissingField(usize, &'static str),
    FieldNotAnObject(usize, &'static str, &'static str),
    InexactInteger(usize, String),
    /// Not JSON, empty, or not a refusal of the document's shape: the message.
    Other(String),
}

impl Refusal {
    fn of(error: OffsetsFileError) -> Self {
        match error {
            OffsetsFileError::NotAnObject { found, .. } => Self::NotAnObject(found),
            OffsetsFileError::NoOffsets { .. } => Self::NoOffsets,
            OffsetsFileError::OffsetsNotAnArray { found, .. } => Self::OffsetsNotAnArray(found),
            OffsetsFileError::EntryNotAnObject { index, found, .. } => {
                Self::EntryNotAnObject(index, found)
            }
            OffsetsFileError::UnknownKey { index, key, .. } => Self::UnknownKey(index, key),
            OffsetsFileError::MissingField { index, field, .. } => Self::MissingField(index, field),
            OffsetsFileError::FieldNotAnObject {
                index,
                field,
                found,
                ..
            } => Self::FieldNotAnObject(index, field, found),
            OffsetsFileError::InexactInteger { index, literal, .. } => {
                Self::InexactInteger(index, literal)
            }
            other => Self::Other(other.to_string()),
        }
    }

    fn index(&self) -> Option<usize> {
        match self {
            Self::EntryNotAnObject(index, _)
            | Self::UnknownKey(index, _)
            | Self::MissingField(index, _)
            | Self::FieldNotAnObject(index, _, _)
            | Self::InexactInteger(index, _) => Some(*index),
            _ => None,
        }
    }
}

/// How `OffsetsFileError` names what it found.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// What `OffsetsFile::from_slice` makes of a document, by its documentation: the first problem,
/// in this order, or the file. (It cannot see integers written beyond 64 bits, which a parsed
/// value has already turned into floats.)
fn expected_file(document: &Value) -> Result<OffsetsFile, Refusal> {
    let Value::Object(document) = document else {
        return Err(Refusal::NotAnObject(kind(document)));
    };
    let entries = match document.get("offsets") {
        Some(Value::Array(entries)) => entries,
        Some(other) => return Err(Refusal::OffsetsNotAnArray(kind(other))),
        None => return Err(Refusal::NoOffsets),
    };
    let offsets = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let Value::Object(entry) = entry else {
                return Err(Refusal::EntryNotAnObject(index, kind(entry)));
            };
            if let Some(key) = entry
                .keys()
                .find(|key| *key != "partition" && *key != "offset")
            {
                return Err(Refusal::UnknownKey(index, key.clone()));
            }
            let field = |field: &'static str| match entry.get(field) {
                Some(Value::Object(object)) => Ok(object.clone()),
                Some(other) => Err(Refusal::FieldNotAnObject(index, field, kind(other))),
                None => Err(Refusal::MissingField(index, field)),
            };
            Ok(made_entry(field("partition")?, field("offset")?))
        })
        .collect::<Result<_, _>>()?;
    Ok(OffsetsFile { offsets })
}

/// The sink view of an entry, by its documentation: a string `kafka_topic`, a
/// `kafka_partition` in `i32`'s range and a `kafka_offset` in `i64`'s.
fn expected_sink(entry: &PartitionOffset) -> Option<SinkOffset> {
    let partition_object = entry.partition();
    let topic = partition_object.get("kafka_topic")?.as_str()?.to_owned();
    let partition = partition_object.get("kafka_partition")?.as_i64()?;
    let offset = entry.offset().get("kafka_offset")?.as_i64()?;
    Some(SinkOffset {
        topic,
        partition: i32::try_from(partition).ok()?,
        offset,
    })
}

// ---------------------------------------------------------------------------------------------
// Checks, each calling a decoder and holding its answer to what is expected.

/// Equal, and serialised alike: `==` takes -0.0 for 0.0, the JSON text keeps every bit. Both
/// are written through a `Value`, so that a number kept in the notation it was sent in (`1E5`)
/// is written as serde_json writes its value (`100000.0`); the bits and the sign stay.
fn exact<T: PartialEq + Serialize + Debug>(actual: &T, expected: &T) -> Result<(), TestCaseError> {
    prop_assert_eq!(actual, expected);
    prop_assert_eq!(
        serde_json::to_value(actual)?.to_string(),
        serde_json::to_value(expected)?.to_string(),
        "equal, but not bit for bit"
    );
    Ok(())
}

/// What the shape says decodes must decode to exactly that; what it rules out, be refused.
fn holds_to<T, E>(decoded: Result<T, E>, expected: Shape<T>) -> Result<(), TestCaseError>
where
    T: PartialEq + Serialize + Debug,
    E: Debug,
{
    match (decoded, expected) {
        (Ok(decoded), Ok(expected)) => exact(&decoded, &expected),
        (Err(error), Ok(expected)) => Err(TestCaseError::fail(format!(
            "refused with {error:?}; the documented shape gives {expected:?}"
        ))),
        (Ok(decoded), Err(Verdict::Refused)) => Err(TestCaseError::fail(format!(
            "decoded {decoded:?} from a body the documented shape rules out"
        ))),
        (_, Err(_)) => Ok(()),
    }
}

/// The sink view of decoded offsets: each entry's as its documentation says, and the whole
/// the first refusal or every entry.
fn check_sink_view(offsets: &ConnectorOffsets) -> Result<(), TestCaseError> {
    let each: Vec<Result<SinkOffset, String>> = offsets
        .offsets
        .iter()
        .map(PartitionOffset::as_sink)
        .collect();
    for (entry, viewed) in offsets.offsets.iter().zip(&each) {
        prop_assert_eq!(viewed.clone().ok(), expected_sink(entry));
    }
    match offsets.sink() {
        Ok(all) => prop_assert_eq!(Ok(all), each.into_iter().collect::<Result<Vec<_>, _>>()),
        Err(refused) => {
            let first = each.iter().position(Result::is_err);
            prop_assert_eq!(Some(refused.index), first);
            prop_assert_eq!(Err(&refused.reason), each[refused.index].as_ref());
            prop_assert!(refused.to_string().contains(&refused.reason));
        }
    }
    Ok(())
}

/// Decoded entries, exported to an offsets file and read back, come back exactly.
fn check_export(offsets: &[PartitionOffset]) -> Result<(), TestCaseError> {
    let file = OffsetsFile::from(offsets.to_vec());
    exact(&OffsetsFile::from_slice(&file.to_vec())?, &file)
}

fn check_get(body: &Value) -> Result<(), TestCaseError> {
    let decoded = ConnectorOffsets::from_json(&bytes_of(body));
    if let Ok(offsets) = &decoded {
        check_sink_view(offsets)?;
        check_export(&offsets.offsets)?;
    }
    holds_to(decoded, expected_offsets(body))
}

fn check_alter_request(body: &Value) -> Result<(), TestCaseError> {
    holds_to(
        AlterRequest::from_json(&bytes_of(body)),
        expected_alter_request(body),
    )
}

fn check_alter_status(body: &Value) -> Result<(), TestCaseError> {
    holds_to(
        AlterStatus::from_json(&bytes_of(body)),
        expected_alter_status(body),
    )
}

fn check_api_error(
    status: StatusCode,
    body: &Value,
    request_id: Option<String>,
) -> Result<(), TestCaseError> {
    let decoded = ApiError::from_body(status, &bytes_of(body), request_id.clone());
    match expected_api_error(status, body, request_id) {
        Ok(expected) => prop_assert_eq!(decoded, expected),
        Err(Verdict::Refused) => prop_assert_eq!(decoded, None),
        Err(Verdict::Unspecified) => {}
    }
    Ok(())
}

/// `from_slice` on the document written as `bytes`: the file or the first refusal, as
/// documented; a file read writes back and reads again exactly.
fn check_file(bytes: &[u8], document: &Value) -> Result<(), TestCaseError> {
    let read = OffsetsFile::from_slice(bytes).map_err(Refusal::of);
    if let Ok(file) = &read {
        exact(&OffsetsFile::from_slice(&file.to_vec())?, file)?;
    }
    match (read, expected_file(document)) {
        (Ok(file), Ok(expected)) => exact(&file, &expected),
        (Err(Refusal::InexactInteger(index, literal)), expected) => {
            // Only the text shows such an integer, not the parsed document: it may refuse a
            // file the document would give, or an entry before the one the document refuses.
            let is_integer = !literal.contains(['.', 'e', 'E']);
            let in_range = literal.parse::<i64>().is_ok() || literal.parse::<u64>().is_ok();
            prop_assert!(is_integer, "{} is not an integer", literal);
            prop_assert!(literal == "-0" || !in_range, "{} is kept exactly", literal);
            if let Err(refusal) = expected {
                prop_assert!(refusal.index().is_some_and(|first| index < first));
            }
            Ok(())
        }
        (read, expected) => {
            prop_assert_eq!(
                read.map(|file| file.offsets),
                expected.map(|file| file.offsets)
            );
            Ok(())
        }
    }
}

/// Every decoder on `bytes`: an answer, never a panic, and no value from what is not JSON.
fn check_bytes(bytes: &[u8]) -> Result<(), TestCaseError> {
    // Serde's derived decoders skip unknown fields without parsing their numbers or checking
    // their escapes, so they may take text a `Value` would not; never text that is not JSON.
    let is_json_text = serde_json::from_slice::<IgnoredAny>(bytes).is_ok();

    match ConnectorOffsets::from_json(bytes) {
        Ok(offsets) => {
            prop_assert!(is_json_text);
            check_sink_view(&offsets)?;
            check_export(&offsets.offsets)?;
        }
        Err(error) => prop_assert!(!error.to_string().is_empty()),
    }
    match AlterRequest::from_json(bytes) {
        Ok(request) => {
            prop_assert!(is_json_text);
            check_export(&request.offsets)?;
        }
        Err(error) => prop_assert!(!error.to_string().is_empty()),
    }
    match AlterStatus::from_json(bytes) {
        Ok(status) => {
            prop_assert!(is_json_text);
            check_export(&status.request.offsets)?;
            check_export(&status.previous_offsets)?;
        }
        Err(error) => prop_assert!(!error.to_string().is_empty()),
    }
    if let Some(error) = ApiError::from_body(StatusCode::BAD_GATEWAY, bytes, None) {
        prop_assert!(is_json_text);
        prop_assert!(
            error
                .to_string()
                .starts_with("Confluent Cloud answered 502")
        );
    }

    let text = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    match serde_json::from_slice::<Value>(text) {
        Ok(document) => check_file(bytes, &document)?,
        Err(_) => match OffsetsFile::from_slice(bytes) {
            Ok(file) => return Err(TestCaseError::fail(format!("read {file:?} from non-JSON"))),
            Err(OffsetsFileError::Empty { path: None }) => {
                prop_assert!(text.iter().all(u8::is_ascii_whitespace));
            }
            Err(error @ OffsetsFileError::NotJson { path: None, .. }) => {
                prop_assert!(
                    error
                        .to_string()
                        .starts_with("the input is not valid JSON: ")
                );
            }
            Err(other) => return Err(TestCaseError::fail(format!("not JSON, yet {other:?}"))),
        },
    }

    let lossy = String::from_utf8_lossy(bytes);
    let timestamp = Timestamp::parse(lossy.as_ref());
    prop_assert_eq!(timestamp.raw(), lossy.as_ref());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Arbitrary bytes.

/// Bytes that matter to a JSON parser, and some that are never UTF-8 or start a multi-byte
/// character.
fn byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        any::<u8>(),
        select(b"{}[]\",:-+0123456789.eE\\/ntfurl \t\n\x80\xbf\xc0\xed\xef\xf4\xff".to_vec()),
    ]
}

#[derive(Debug, Clone)]
enum ByteEdit {
    Cut,
    Set(u8),
    Insert(Vec<u8>),
    Remove(usize),
}

impl ByteEdit {
    fn apply(&self, bytes: &mut Vec<u8>, at: &Index) {
        let at = at.index(bytes.len() + 1);
        match self {
            ByteEdit::Cut => bytes.truncate(at),
            ByteEdit::Insert(inserted) => {
                bytes.splice(at..at, inserted.iter().copied());
            }
            ByteEdit::Set(byte) if at < bytes.len() => bytes[at] = *byte,
            ByteEdit::Remove(count) => {
                bytes.drain(at..(at + count).min(bytes.len()));
            }
            ByteEdit::Set(byte) => bytes.push(*byte),
        }
    }
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        Just(ByteEdit::Cut),
        byte().prop_map(ByteEdit::Set),
        prop::collection::vec(byte(), 1..5).prop_map(ByteEdit::Insert),
        (1_usize..8).prop_map(ByteEdit::Remove),
    ]
}

/// Any body a decoder reads, valid.
fn any_body() -> impl Strategy<Value = Value> {
    prop_oneof![
        get_body().prop_map(|(body, _)| body),
        alter_request_body().prop_map(|(body, _)| body),
        alter_status_body().prop_map(|(body, _)| body),
        error_body().prop_map(|(body, _)| body),
        file_body(),
    ]
}

/// Bytes close to a valid body: one written compactly or pretty, maybe after a byte order
/// mark, with a few bytes changed, inserted, removed or cut off.
fn mangled_body() -> impl Strategy<Value = Vec<u8>> {
    (
        any_body(),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec((byte_edit(), any::<Index>()), 0..4),
    )
        .prop_map(|(body, pretty, bom, edits)| {
            let mut bytes = if bom { UTF8_BOM.to_vec() } else { Vec::new() };
            if pretty {
                bytes.extend(serde_json::to_vec_pretty(&body).expect("a value serialises"));
            } else {
                bytes.extend(bytes_of(&body));
            }
            for (edit, at) in &edits {
                edit.apply(&mut bytes, at);
            }
            bytes
        })
}

/// Any bytes: empty, random (rarely UTF-8) up to 4 KiB, random JSON-ish bytes, nesting far
/// deeper than any parser's limit, and a large valid sink body.
fn any_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(Vec::new()),
        prop::collection::vec(any::<u8>(), 0..4096),
        prop::collection::vec(byte(), 0..256),
        (
            1_usize..4000,
            select(vec![&b"["[..], b"{\"offsets\":[", b"{\"a\":"])
        )
            .prop_map(|(depth, opener)| {
                let mut bytes = b"{\"offsets\":".to_vec();
                bytes.extend(opener.repeat(depth));
                bytes
            }),
        prop::collection::vec(("[a-z_.-]{1,12}", any::<i32>(), any::<i64>()), 0..300).prop_map(
            |sinks| {
                let offsets: Vec<Value> = sinks
                    .into_iter()
                    .map(|(topic, partition, offset)| {
                        json!({
                            "partition": {"kafka_topic": topic, "kafka_partition": partition},
                            "offset": {"kafka_offset": offset},
                        })
                    })
                    .collect();
                bytes_of(&json!({ "offsets": offsets }))
            }
        ),
    ]
}

/// A JSON number as it may be written by hand: an integer of up to 21 digits (so beyond
/// `u64` too), `-0`, or a float with a fraction, an exponent (`e` or `E`, signed or not), or
/// both.
fn number_literal() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?(0|[1-9][0-9]{0,20})",
        "-?(0|[1-9][0-9]{0,20})\\.[0-9]{1,20}",
        "-?(0|[1-9][0-9]{0,20})(\\.[0-9]{1,20})?[eE][-+]?[0-9]{1,3}",
        select(vec![
            "-0",
            "-0.0",
            "0e0",
            "18446744073709551616",
            "-9223372036854775809",
            "9007199254740993",
            "9007199254740993.0",
            "1E400",
        ])
        .prop_map(str::to_owned),
    ]
}

// ---------------------------------------------------------------------------------------------
// Sink entries.

/// A sink connector's entry, with other keys beside the sink ones, and its sink view.
fn sink_entry() -> impl Strategy<Value = (PartitionOffset, SinkOffset)> {
    (text(), any::<i32>(), any::<i64>(), object(), object()).prop_map(
        |(topic, partition, offset, mut partition_object, mut offset_object)| {
            partition_object.insert("kafka_topic".to_owned(), Value::from(topic.clone()));
            partition_object.insert("kafka_partition".to_owned(), Value::from(partition));
            offset_object.insert("kafka_offset".to_owned(), Value::from(offset));
            let entry = made_entry(partition_object, offset_object);
            let sink = SinkOffset {
                topic,
                partition,
                offset,
            };
            (entry, sink)
        },
    )
}

/// A `kafka_partition` that is no partition, and why `as_sink` says it is not.
fn bad_partition() -> impl Strategy<Value = (Value, String)> {
    let out_of_range = prop_oneof![
        i64::MIN..(i32::MIN as i64),
        (i32::MAX as i64 + 1)..=i64::MAX,
        select(vec![i32::MIN as i64 - 1, i32::MAX as i64 + 1]),
    ];
    prop_oneof![
        out_of_range.prop_map(|partition| (
            Value::from(partition),
            format!("`kafka_partition` {partition} is out of range for a partition")
        )),
        prop_oneof![(i64::MAX as u64 + 1)..=u64::MAX, select(EDGE_U64)]
            .prop_filter("beyond i64", |n| i64::try_from(*n).is_err())
            .prop_map(|partition| (
                Value::from(partition),
                format!("`kafka_partition` is {partition}, not a 64-bit integer")
            )),
        float().prop_map(|partition| {
            let value = Value::from(partition);
            let reason = format!("`kafka_partition` is {value}, not a 64-bit integer");
            (value, reason)
        }),
        json()
            .prop_filter("not a number", |value| !value.is_number())
            .prop_map(|value| {
                let reason = format!("`kafka_partition` is {}, not an integer", kind(&value));
                (value, reason)
            }),
    ]
}

// ---------------------------------------------------------------------------------------------
// Times.

/// How a time text writes its offset from UTC.
#[derive(Debug, Clone, Copy)]
enum OffsetForm {
    /// `Z` or `z`, RFC 3339's UTC.
    Zulu(bool),
    /// `+05:30`: RFC 3339, and the service's `2024-02-20 15:14:19+00:00`.
    Colon,
    /// `+0530`: the service's `2024-02-20T15:14:20+0000`.
    NoColon,
}

/// A valid time as RFC 3339 writes it (separated by `T`, `t` or a space, ending with `Z`, `z`
/// or an offset) or as the service writes it (`+0000`), with 0 to 9 digits of a second,
/// maybe between white space, and the instant it names.
fn written_time() -> impl Strategy<Value = (String, DateTime<Utc>)> {
    let first = NaiveDate::from_ymd_opt(0, 1, 1)
        .expect("a date")
        .num_days_from_ce();
    let last = NaiveDate::from_ymd_opt(9999, 12, 31)
        .expect("a date")
        .num_days_from_ce();
    let form = prop_oneof![
        (
            select(vec!['T', 't', ' ']),
            any::<bool>().prop_map(OffsetForm::Zulu)
        ),
        (select(vec!['T', 't', ' ']), Just(OffsetForm::Colon)),
        (select(vec!['T', ' ']), Just(OffsetForm::NoColon)),
    ];
    (
        first..=last,
        0_u32..86_400,
        0_u32..1_000_000_000,
        0_usize..=9,
        prop_oneof![Just(0), -(23 * 60 + 59)..=(23 * 60 + 59)],
        any::<bool>(),
        form,
        select(vec!["", " ", "\t", "\n "]),
    )
        .prop_map(
            |(day, second, nanosecond, digits, offset, minus_zero, (separator, form), padding)| {
                let date = NaiveDate::from_num_days_from_ce_opt(day).expect("a day in range");
                let time =
                    NaiveTime::from_num_seconds_from_midnight_opt(second, 0).expect("a second");
                let kept = 10_u32.pow(9 - digits as u32);
                let nanosecond = nanosecond / kept * kept;
                let fraction = if digits == 0 {
                    String::new()
                } else {
                    format!(".{nanosecond:09}")[..=digits].to_owned()
                };
                let offset: i32 = if matches!(form, OffsetForm::Zulu(_)) {
                    0
                } else {
                    offset
                };
                let sign = if offset < 0 || (offset == 0 && minus_zero) {
                    '-'
                } else {
                    '+'
                };
                let (hours, minutes) = (offset.abs() / 60, offset.abs() % 60);
                let zone = match form {
                    OffsetForm::Zulu(lower) => (if lower { "z" } else { "Z" }).to_owned(),
                    OffsetForm::Colon => format!("{sign}{hours:02}:{minutes:02}"),
                    OffsetForm::NoColon => format!("{sign}{hours:02}{minutes:02}"),
                };
                let text = format!(
                    "{padding}{}{separator}{}{fraction}{zone}{padding}",
                    date.format("%Y-%m-%d"),
                    time.format("%H:%M:%S"),
                );
                let instant = date.and_time(time).and_utc()
                    + Duration::nanoseconds(i64::from(nanosecond))
                    - Duration::minutes(i64::from(offset));
                (text, instant)
            },
        )
}

/// Text near a time: its characters in any order, or a valid time with one character changed.
fn time_like_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[-+0-9:.TtZz ]{0,40}",
        (written_time(), any::<Index>(), any::<char>()).prop_map(|((text, _), at, replacement)| {
            let mut chars: Vec<char> = text.chars().collect();
            *at.get_mut(&mut chars) = replacement;
            chars.into_iter().collect()
        }),
    ]
}

// ---------------------------------------------------------------------------------------------
// The properties.

proptest! {
    #![proptest_config(config())]

    // 1. Any bytes.

    #[test]
    fn any_bytes_are_decoded_or_refused_without_panicking(bytes in any_bytes()) {
        check_bytes(&bytes)?;
    }

    #[test]
    fn bytes_near_a_valid_body_are_decoded_or_refused_without_panicking(
        bytes in mangled_body()
    ) {
        check_bytes(&bytes)?;
    }

    // 2. Any JSON, in the documented shapes and out of them.

    #[test]
    fn any_json_value_decodes_as_the_documented_shapes_say(
        body in json(),
        status in status_code(),
        request_id in option::of(text()),
    ) {
        check_get(&body)?;
        check_alter_request(&body)?;
        check_alter_status(&body)?;
        check_api_error(status, &body, request_id)?;
        check_file(&bytes_of(&body), &body)?;
        check_bytes(&bytes_of(&body))?;
    }

    #[test]
    fn a_get_body_with_any_node_edited_decodes_as_its_shape_says(
        body in with_one_node_edited(get_body().prop_map(|(body, _)| body))
    ) {
        check_get(&body)?;
    }

    #[test]
    fn an_alter_request_body_with_any_node_edited_decodes_as_its_shape_says(
        body in with_one_node_edited(alter_request_body().prop_map(|(body, _)| body))
    ) {
        check_alter_request(&body)?;
    }

    #[test]
    fn an_alter_status_body_with_any_node_edited_decodes_as_its_shape_says(
        body in with_one_node_edited(alter_status_body().prop_map(|(body, _)| body))
    ) {
        check_alter_status(&body)?;
    }

    #[test]
    fn an_error_body_with_any_node_edited_decodes_as_its_shape_says(
        body in with_one_node_edited(error_body().prop_map(|(body, _)| body)),
        status in status_code(),
        request_id in option::of(text()),
    ) {
        check_api_error(status, &body, request_id)?;
    }

    #[test]
    fn an_offsets_file_with_any_node_edited_is_read_or_refused_as_documented(
        document in with_one_node_edited(file_body())
    ) {
        check_file(&bytes_of(&document), &document)?;
    }

    // 3. Values come back exactly.

    #[test]
    fn a_get_body_in_the_documented_shape_decodes_exactly((body, expected) in get_body()) {
        exact(&ConnectorOffsets::from_json(&bytes_of(&body))?, &expected)?;
    }

    #[test]
    fn an_alter_request_body_decodes_exactly((body, expected) in alter_request_body()) {
        exact(&AlterRequest::from_json(&bytes_of(&body))?, &expected)?;
    }

    #[test]
    fn an_alter_status_body_decodes_exactly((body, expected) in alter_status_body()) {
        exact(&AlterStatus::from_json(&bytes_of(&body))?, &expected)?;
    }

    #[test]
    fn an_error_body_decodes_exactly((body, expected) in error_body()) {
        let decoded =
            ApiError::from_body(expected.status, &bytes_of(&body), expected.request_id.clone());
        prop_assert_eq!(decoded, Some(expected));
    }

    #[test]
    fn an_offsets_file_reads_back_exactly_what_it_wrote(offsets in entries(), bom in any::<bool>()) {
        let file = OffsetsFile { offsets };
        let mut bytes = if bom { UTF8_BOM.to_vec() } else { Vec::new() };
        bytes.extend(file.to_vec());
        exact(&OffsetsFile::from_slice(&bytes)?, &file)?;
    }

    #[test]
    fn an_offsets_file_reads_a_saved_get_body_as_the_get_decoder_does(
        (body, expected) in get_body()
    ) {
        let file = OffsetsFile::from_slice(&bytes_of(&body))?;
        exact(&file, &OffsetsFile::from(expected))?;
    }

    #[test]
    fn a_number_written_in_any_form_is_kept_exactly_or_refused(
        literal in number_literal(),
        before in 0_usize..3,
        after in 0_usize..3,
    ) {
        // Among other entries, so that a refusal must name the right one.
        let other = r#"{"partition": {"p": 1}, "offset": {"o": -1.5e-7}}"#;
        let entry = format!(r#"{{"partition": {{}}, "offset": {{"n": {literal}}}}}"#);
        let mut entries = vec![other; before];
        entries.push(&entry);
        entries.extend(vec![other; after]);
        let body = format!(r#"{{"offsets": [{}]}}"#, entries.join(", "));
        let is_integer = !literal.contains(['.', 'e', 'E']);
        let integer = literal
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| literal.parse::<u64>().map(Value::from))
            .ok();
        // float_roundtrip: serde_json reads a float as Rust does, to the nearest f64.
        let float = literal.parse::<f64>().ok().filter(|float| float.is_finite()).map(Value::from);

        // The offsets file keeps integers from i64::MIN to u64::MAX and floats, and refuses an
        // integer that would become a float.
        let read = OffsetsFile::from_slice(body.as_bytes())
            .map(|file| file.offsets[before].offset()["n"].clone())
            .map_err(Refusal::of);
        match (read, is_integer, integer.clone(), float.clone()) {
            (Ok(read), true, Some(integer), _) if literal != "-0" => exact(&read, &integer)?,
            (Err(refused), true, _, _) => {
                prop_assert_eq!(refused, Refusal::InexactInteger(before, literal.clone()));
            }
            (Ok(read), false, _, Some(float)) => exact(&read, &float)?,
            (Err(Refusal::Other(message)), false, _, None) => {
                prop_assert!(message.contains("not valid JSON: number out of range"), "{}", message);
            }
            (read, ..) => {
                return Err(TestCaseError::fail(format!("{literal} read as {read:?}")));
            }
        }

        // The GET decoder keeps the same; beyond them (and -0) it reads the nearest float.
        let decoded = ConnectorOffsets::from_json(body.as_bytes())
            .map(|offsets| offsets.offsets[before].offset()["n"].clone());
        let expected = if is_integer && literal != "-0" { integer.or(float) } else { float };
        match (decoded, expected) {
            (Ok(decoded), Some(expected)) => exact(&decoded, &expected)?,
            (Err(_), None) => {}
            (decoded, expected) => {
                return Err(TestCaseError::fail(format!(
                    "{literal} decoded as {decoded:?}, not {expected:?}"
                )));
            }
        }
    }

    // 4. The sink view.

    #[test]
    fn sink_entries_are_viewed_exactly(sinks in prop::collection::vec(sink_entry(), 0..6)) {
        let (entries, expected): (Vec<_>, Vec<_>) = sinks.into_iter().unzip();
        let body = json!({ "offsets": entries_json(&entries) });
        let offsets = ConnectorOffsets::from_json(&bytes_of(&body))?;
        for (entry, sink) in offsets.offsets.iter().zip(&expected) {
            prop_assert_eq!(&entry.as_sink(), &Ok(sink.clone()));
        }
        prop_assert_eq!(offsets.sink(), Ok(expected));
    }

    #[test]
    fn a_partition_outside_i32_or_not_an_integer_is_not_a_sink_offset(
        sinks in prop::collection::vec(sink_entry(), 1..6),
        at in any::<Index>(),
        (partition, reason) in bad_partition(),
    ) {
        let (mut entries, _): (Vec<_>, Vec<_>) = sinks.into_iter().unzip();
        let index = at.index(entries.len());
        let mut partition_object = entries[index].partition();
        partition_object.insert("kafka_partition".to_owned(), partition);
        entries[index] = made_entry(partition_object, entries[index].offset());
        let body = json!({ "offsets": entries_json(&entries) });
        let offsets = ConnectorOffsets::from_json(&bytes_of(&body))?;
        prop_assert_eq!(offsets.offsets[index].as_sink(), Err(reason.clone()));
        let refused = offsets.sink().expect_err("one entry is not a sink offset");
        prop_assert_eq!((refused.index, refused.reason), (index, reason));
    }

    // 5. Timestamps.

    #[test]
    fn any_text_is_kept_as_a_timestamp_without_panicking(
        text in prop_oneof![text(), time_like_text(), any::<String>()]
    ) {
        let timestamp = Timestamp::parse(text.as_str());
        prop_assert_eq!(timestamp.raw(), text.as_str());
        match timestamp.utc() {
            Some(instant) => prop_assert_eq!(timestamp.to_string(), instant.to_rfc3339()),
            None => prop_assert_eq!(timestamp.to_string(), text),
        }
    }

    #[test]
    fn a_written_time_parses_to_the_instant_it_names((text, instant) in written_time()) {
        let timestamp = Timestamp::parse(text.as_str());
        prop_assert_eq!(timestamp.utc(), Some(instant), "{:?}", text);
        prop_assert_eq!(timestamp.raw(), text.as_str());
    }
}
