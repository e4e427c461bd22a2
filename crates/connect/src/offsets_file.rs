//! The offsets file: one JSON format to export a connector's offsets and to import them.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::offsets::kind;
use crate::offsets::{ConnectorOffsets, JsonObject, PartitionOffset};

/// A connector's offsets as a file: `{"offsets": [{"partition": {...}, "offset": {...}}, ...]}`.
///
/// This is the body Confluent's CLI reads with `confluent connect offset update --config-file`
/// and the body Apache Kafka Connect's REST API returns for `GET /connectors/{name}/offsets`
/// (KIP-875), so offsets exported from one connector, self-managed or fully managed, can be
/// imported into another.
///
/// Every entry holds exactly two JSON objects, `partition` and `offset`, whose shape depends on
/// the connector; their values are kept exactly. Other top-level keys, such as the `name`, `id`
/// and `metadata` of a saved Confluent Cloud GET response, are accepted and ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
// The schema's description is this doc comment; its title is set apart, as a title in the doc
// would be a heading in rustdoc.
#[schemars(title = "Connector offsets file")]
pub struct OffsetsFile {
    /// One entry per partition: where the connector is in it.
    pub offsets: Vec<PartitionOffset>,
}

/// The bytes a UTF-8 file may start with to say it is UTF-8 (some Windows editors write them).
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

impl OffsetsFile {
    /// Reads an offsets file, checking every entry.
    ///
    /// Fails with an [`OffsetsFileError`] that names the path, and for a bad entry its index
    /// in `offsets`, saying what is wrong. See [`OffsetsFile::from_slice`] for what is checked.
    ///
    /// ```
    /// use confluent_connect::OffsetsFile;
    ///
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("orders-sink.json");
    /// # std::fs::write(&path, r#"{"offsets": [{"partition": {"kafka_topic": "orders",
    /// #     "kafka_partition": 0}, "offset": {"kafka_offset": 42}}]}"#)?;
    /// let file = OffsetsFile::read(&path)?;
    /// assert_eq!(file.offsets[0].offset()["kafka_offset"], 42);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn read(path: impl AsRef<Path>) -> Result<Self, OffsetsFileError> {
        let path = path.as_ref();
        let bytes = fs::read(path).map_err(|source| OffsetsFileError::Read {
            path: Some(path.to_path_buf()),
            source,
        })?;
        Self::from_slice(&bytes).map_err(|error| error.at(path))
    }

    /// Reads the offsets from a stream to its end, e.g. standard input.
    ///
    /// Checks what [`OffsetsFile::from_slice`] checks.
    ///
    /// ```no_run
    /// use confluent_connect::OffsetsFile;
    ///
    /// let file = OffsetsFile::from_reader(std::io::stdin().lock())?;
    /// # Ok::<(), confluent_connect::OffsetsFileError>(())
    /// ```
    pub fn from_reader(mut reader: impl Read) -> Result<Self, OffsetsFileError> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|source| OffsetsFileError::Read { path: None, source })?;
        Self::from_slice(&bytes)
    }

    /// Reads the offsets from the bytes of a file.
    ///
    /// Refuses, naming the first problem: bytes that are not JSON (with the line and column),
    /// a top level that is not an object or has no `offsets` array, and an entry (by its index
    /// in `offsets`, counting from 0) that is not an object, has a key other than `partition`
    /// and `offset` (a typo such as `ofset`), lacks one of them, or has one that is not an
    /// object. Other top-level keys are ignored, so a saved Confluent Cloud GET response reads
    /// as is; so is a leading UTF-8 byte order mark.
    ///
    /// Values are kept exactly: integers from `i64::MIN` to `u64::MAX` stay integers, and
    /// floats keep their value. An integer written beyond that range (or as `-0`) would be read
    /// as a float and change, so it is refused, naming its entry.
    ///
    /// Read files with this rather than the derived `Deserialize`, which is there to embed an
    /// `OffsetsFile` in a larger document: that one refuses the same shapes, with serde's
    /// messages, but lets such integers through as floats.
    ///
    /// ```
    /// use confluent_connect::OffsetsFile;
    ///
    /// let file = OffsetsFile::from_slice(br#"{"offsets": [{
    ///     "partition": {"kafka_topic": "orders", "kafka_partition": 0},
    ///     "offset": {"kafka_offset": 9007199254740993}
    /// }]}"#)?;
    /// assert_eq!(file.offsets[0].offset()["kafka_offset"].as_u64(), Some(9007199254740993));
    ///
    /// let typo = br#"{"offsets": [{"partition": {}, "ofset": {}}]}"#;
    /// let error = OffsetsFile::from_slice(typo).unwrap_err();
    /// assert_eq!(error.index(), Some(0));
    /// # Ok::<(), confluent_connect::OffsetsFileError>(())
    /// ```
    pub fn from_slice(bytes: &[u8]) -> Result<Self, OffsetsFileError> {
        let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
        let document: Value =
            serde_json::from_slice(bytes).map_err(|error| not_json(bytes, &error))?;
        let Value::Object(mut fields) = document else {
            return Err(OffsetsFileError::NotAnObject {
                path: None,
                found: kind(&document),
            });
        };
        let entries = match fields.remove("offsets") {
            Some(Value::Array(entries)) => entries,
            Some(other) => {
                return Err(OffsetsFileError::OffsetsNotAnArray {
                    path: None,
                    found: kind(&other),
                });
            }
            None => return Err(OffsetsFileError::NoOffsets { path: None }),
        };
        let texts = entry_texts(bytes)?;
        entries
            .into_iter()
            .enumerate()
            .map(|(index, entry)| {
                let text = texts.get(index).map(|raw| raw.get()).unwrap_or_default();
                parse_entry(index, entry, text)
            })
            .collect::<Result<_, _>>()
            .map(|offsets| Self { offsets })
    }

    /// The JSON Schema of an offsets file (draft 2020-12), from the same types that read it.
    ///
    /// ```
    /// use confluent_connect::OffsetsFile;
    ///
    /// let schema = OffsetsFile::json_schema();
    /// assert_eq!(schema["required"], serde_json::json!(["offsets"]));
    /// ```
    pub fn json_schema() -> Value {
        schemars::schema_for!(OffsetsFile).to_value()
    }

    /// Writes the file atomically, the whole new content or nothing, with
    /// [`write_atomically`](crate::write_atomically) (which says how: modes, durability,
    /// devices and pipes). The content is [`to_vec`](Self::to_vec)'s.
    ///
    /// ```
    /// use confluent_connect::OffsetsFile;
    ///
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("orders-sink.json");
    /// let file = OffsetsFile::from_slice(br#"{"offsets": []}"#)?;
    /// file.write(&path)?;
    /// assert_eq!(std::fs::read_to_string(&path)?, "{\n  \"offsets\": []\n}\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write(&self, path: impl AsRef<Path>) -> Result<(), OffsetsFileError> {
        let path = path.as_ref();
        crate::write_atomically(path, &self.to_vec()).map_err(|source| OffsetsFileError::Write {
            path: Some(path.to_path_buf()),
            source,
        })
    }

    /// Writes the offsets to a stream, e.g. standard output, as [`to_vec`](Self::to_vec) does.
    ///
    /// ```no_run
    /// use confluent_connect::OffsetsFile;
    ///
    /// OffsetsFile::default().to_writer(std::io::stdout().lock())?;
    /// # Ok::<(), confluent_connect::OffsetsFileError>(())
    /// ```
    pub fn to_writer(&self, mut writer: impl Write) -> Result<(), OffsetsFileError> {
        writer
            .write_all(&self.to_vec())
            .and_then(|()| writer.flush())
            .map_err(|source| OffsetsFileError::Write { path: None, source })
    }

    /// The file's content: pretty JSON indented by two spaces, ending with a newline.
    ///
    /// Keys are in the order `serde_json` keeps them (sorted, unless its `preserve_order`
    /// feature is on); values are written exactly, so reading the bytes back with
    /// [`from_slice`](Self::from_slice) gives an equal `OffsetsFile`.
    ///
    /// ```
    /// use confluent_connect::OffsetsFile;
    ///
    /// let file = OffsetsFile::from_slice(
    ///     br#"{"offsets":[{"partition":{"server":"db1"},"offset":{"pos":4}}]}"#,
    /// )?;
    /// assert_eq!(
    ///     String::from_utf8(file.to_vec()).unwrap(),
    ///     r#"{
    ///   "offsets": [
    ///     {
    ///       "partition": {
    ///         "server": "db1"
    ///       },
    ///       "offset": {
    ///         "pos": 4
    ///       }
    ///     }
    ///   ]
    /// }
    /// "#
    /// );
    /// assert_eq!(OffsetsFile::from_slice(&file.to_vec())?, file);
    /// # Ok::<(), confluent_connect::OffsetsFileError>(())
    /// ```
    pub fn to_vec(&self) -> Vec<u8> {
        // Serialising JSON values into memory cannot fail: every key is a string and a
        // `serde_json::Number` is never NaN or infinite.
        let mut bytes =
            serde_json::to_vec_pretty(self).expect("JSON values always serialise to memory");
        bytes.push(b'\n');
        bytes
    }
}

impl From<&ConnectorOffsets> for OffsetsFile {
    /// The offsets of a GET, ready to be written: exporting a connector's offsets is one line.
    ///
    /// ```no_run
    /// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
    /// use confluent_connect::{Client, OffsetsFile};
    ///
    /// let client = Client::from_env()?;
    /// let connector = client.connector("env-abc123", "lkc-abc123", "orders-sink");
    /// OffsetsFile::from(&connector.offsets().await?).write("orders-sink.offsets.json")?;
    /// # Ok(())
    /// # }
    /// ```
    fn from(offsets: &ConnectorOffsets) -> Self {
        Self {
            offsets: offsets.offsets.clone(),
        }
    }
}

impl From<ConnectorOffsets> for OffsetsFile {
    /// The offsets of a GET, ready to be written, without copying them.
    fn from(offsets: ConnectorOffsets) -> Self {
        Self {
            offsets: offsets.offsets,
        }
    }
}

impl From<Vec<PartitionOffset>> for OffsetsFile {
    /// A file holding these entries.
    fn from(offsets: Vec<PartitionOffset>) -> Self {
        Self { offsets }
    }
}

/// Why an offsets file could not be read or written.
///
/// Each message says what is wrong and what to do. A problem in one entry names it as
/// `offsets[i]`, counting from 0 as [`index`](Self::index) does, followed by its ordinal
/// counting from 1, e.g. `offsets[2] (the 3rd entry)`. `path` is `None` when the offsets were
/// read from bytes or a stream rather than from a file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OffsetsFileError {
    /// The file or stream could not be read.
    #[error(
        "cannot read {}: {source}. Check the path and its permissions",
        Subject(.path, "the offsets")
    )]
    Read {
        /// The file, if it was one.
        path: Option<PathBuf>,
        /// The underlying error.
        #[source]
        source: io::Error,
    },

    /// The file or stream could not be written. An existing file at `path` is unchanged.
    #[error(
        "cannot write {}: {source}. {}",
        Subject(.path, "the offsets"),
        if .path.is_some() {
            "Check that the directory exists and is writable and that the path is not a \
             directory; any file already there is unchanged"
        } else {
            "Check where the output goes"
        }
    )]
    Write {
        /// The file, if it was one.
        path: Option<PathBuf>,
        /// The underlying error.
        #[source]
        source: io::Error,
    },

    /// The input is empty, or only white space.
    #[error("{} is empty: {SHAPE}", Subject(.path, "the input"))]
    Empty {
        /// The file, if it was one.
        path: Option<PathBuf>,
    },

    /// The input is not JSON.
    #[error(
        "{} is not valid JSON: {reason} at line {line}, column {column}. Fix it there: {SHAPE}",
        Subject(.path, "the input")
    )]
    NotJson {
        /// The file, if it was one.
        path: Option<PathBuf>,
        /// The line of the problem, counting from 1.
        line: usize,
        /// The column of the problem, counting from 1 (0 at the very end of the input).
        column: usize,
        /// What the JSON parser found wrong.
        reason: String,
    },

    /// The top level is not a JSON object.
    #[error(
        "{} holds {found}, not a JSON object: {SHAPE}",
        Subject(.path, "the input")
    )]
    NotAnObject {
        /// The file, if it was one.
        path: Option<PathBuf>,
        /// What it holds instead, e.g. `an array`.
        found: &'static str,
    },

    /// The top-level object has no `offsets` key.
    #[error("{} has no \"offsets\" key: {SHAPE}", Subject(.path, "the input"))]
    NoOffsets {
        /// The file, if it was one.
        path: Option<PathBuf>,
    },

    /// `offsets` is not an array.
    #[error("{}\"offsets\" is {found}, not an array: {SHAPE}", Prefix(.path))]
    OffsetsNotAnArray {
        /// The file, if it was one.
        path: Option<PathBuf>,
        /// What it is instead, e.g. `an object`.
        found: &'static str,
    },

    /// An entry of `offsets` is not a JSON object.
    #[error(
        "{}{} is {found}, not an object: every entry is {ENTRY}",
        Prefix(.path),
        Entry(*.index)
    )]
    EntryNotAnObject {
        /// The file, if it was one.
        path: Option<PathBuf>,
        /// The entry's index in `offsets`, counting from 0.
        index: usize,
        /// What it is instead, e.g. `a string`.
        found: &'static str,
    },

    /// An entry has a key other than `partition` and `offset`.
    #[error(
        "{}{} has an unknown key {key:?}: an entry holds only \"partition\" and \"offset\". \
         Check the spelling",
        Prefix(.path),
        Entry(*.index)
    )]
    UnknownKey {
        /// The file, if it was one.
        path: Option<PathBuf>,
        /// The entry's index in `offsets`, counting from 0.
        index: usize,
        /// The unknown key.
        key: String,
    },

    /// An entry lacks `partition` or `offset`.
    #[error(
        "{}{} has no \"{field}\": every entry is {ENTRY}",
        Prefix(.path),
        Entry(*.index)
    )]
    MissingField {
        /// The file, if it was one.
        path: Option<PathBuf>,
        /// The entry's index in `offsets`, counting from 0.
        index: usize,
        /// `partition` or `offset`.
        field: &'static str,
    },

    /// An entry's `partition` or `offset` is not a JSON object.
    #[error(
        "{}{} has {} \"{field}\" that is {found}, not an object: write it as an object, \
         e.g. {}",
        Prefix(.path),
        Entry(*.index),
        if *.field == "offset" { "an" } else { "a" },
        field_example(.field)
    )]
    FieldNotAnObject {
        /// The file, if it was one.
        path: Option<PathBuf>,
        /// The entry's index in `offsets`, counting from 0.
        index: usize,
        /// `partition` or `offset`.
        field: &'static str,
        /// What it is instead, e.g. `null`.
        found: &'static str,
    },

    /// An entry holds an integer that would be read as a float: beyond the 64-bit range, or
    /// `-0`.
    #[error("{}{} {}", Prefix(.path), Entry(*.index), inexact_integer_reason(.literal))]
    InexactInteger {
        /// The file, if it was one.
        path: Option<PathBuf>,
        /// The entry's index in `offsets`, counting from 0.
        index: usize,
        /// The integer as written.
        literal: String,
    },
}

impl OffsetsFileError {
    /// The file the problem is in, if the offsets came from one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Self::Read { path, .. }
            | Self::Write { path, .. }
            | Self::Empty { path }
            | Self::NotJson { path, .. }
            | Self::NotAnObject { path, .. }
            | Self::NoOffsets { path }
            | Self::OffsetsNotAnArray { path, .. }
            | Self::EntryNotAnObject { path, .. }
            | Self::UnknownKey { path, .. }
            | Self::MissingField { path, .. }
            | Self::FieldNotAnObject { path, .. }
            | Self::InexactInteger { path, .. } => path.as_deref(),
        }
    }

    /// The index in `offsets`, counting from 0, of the entry the problem is in, if it is in one.
    pub fn index(&self) -> Option<usize> {
        match self {
            Self::EntryNotAnObject { index, .. }
            | Self::UnknownKey { index, .. }
            | Self::MissingField { index, .. }
            | Self::FieldNotAnObject { index, .. }
            | Self::InexactInteger { index, .. } => Some(*index),
            _ => None,
        }
    }

    /// The same error, in the file at `at`.
    fn at(mut self, at: &Path) -> Self {
        match &mut self {
            Self::Read { path, .. }
            | Self::Write { path, .. }
            | Self::Empty { path }
            | Self::NotJson { path, .. }
            | Self::NotAnObject { path, .. }
            | Self::NoOffsets { path }
            | Self::OffsetsNotAnArray { path, .. }
            | Self::EntryNotAnObject { path, .. }
            | Self::UnknownKey { path, .. }
            | Self::MissingField { path, .. }
            | Self::FieldNotAnObject { path, .. }
            | Self::InexactInteger { path, .. } => *path = Some(at.to_path_buf()),
        }
        self
    }
}

/// What an offsets file holds, for the messages about its overall shape.
const SHAPE: &str = "an offsets file holds {\"offsets\": [{\"partition\": {...}, \"offset\": \
                     {...}}, ...]}, as GET .../offsets returns it";

/// What one entry is, for the messages about an entry.
const ENTRY: &str = "{\"partition\": {...}, \"offset\": {...}}";

/// `offsets file PATH: ` before a message about a part of the content, or nothing.
struct Prefix<'a>(&'a Option<PathBuf>);

impl fmt::Display for Prefix<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(path) => write!(f, "offsets file {}: ", path.display()),
            None => Ok(()),
        }
    }
}

/// `offsets file PATH`, or what was read or written when it was not a file.
struct Subject<'a>(&'a Option<PathBuf>, &'static str);

impl fmt::Display for Subject<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(path) => write!(f, "offsets file {}", path.display()),
            None => f.write_str(self.1),
        }
    }
}

/// `offsets[2] (the 3rd entry)`: the index counting from 0, then the ordinal from 1.
struct Entry(usize);

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nth = self.0 + 1;
        let suffix = match (nth % 10, nth % 100) {
            (_, 11..=13) => "th",
            (1, _) => "st",
            (2, _) => "nd",
            (3, _) => "rd",
            _ => "th",
        };
        write!(f, "offsets[{}] (the {nth}{suffix} entry)", self.0)
    }
}

fn field_example(field: &str) -> &'static str {
    if field == "partition" {
        "{\"kafka_topic\": \"orders\", \"kafka_partition\": 0}"
    } else {
        "{\"kafka_offset\": 42}"
    }
}

fn inexact_integer_reason(literal: &str) -> String {
    if literal == "-0" {
        "holds the integer -0, which would be read as the float -0.0: write 0".to_string()
    } else {
        format!(
            "holds the integer {literal}, outside the range kept exactly ({} to {}): it would \
             be read as a float and change. Check the value",
            i64::MIN,
            u64::MAX
        )
    }
}

fn not_json(bytes: &[u8], error: &serde_json::Error) -> OffsetsFileError {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return OffsetsFileError::Empty { path: None };
    }
    // serde_json's message ends with the position, which the error gives separately.
    let message = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    OffsetsFileError::NotJson {
        path: None,
        line: error.line(),
        column: error.column(),
        reason: message
            .strip_suffix(&position)
            .unwrap_or(&message)
            .to_string(),
    }
}

/// The text of each entry of `offsets`, as written, to find integers a float has replaced.
///
/// `bytes` has already been read as a JSON object with an `offsets` array; like that reading,
/// the last of duplicate `offsets` keys counts.
fn entry_texts(bytes: &[u8]) -> Result<Vec<&RawValue>, OffsetsFileError> {
    let mut fields: BTreeMap<String, &RawValue> =
        serde_json::from_slice(bytes).map_err(|error| not_json(bytes, &error))?;
    match fields.remove("offsets") {
        Some(offsets) => {
            serde_json::from_str(offsets.get()).map_err(|error| not_json(bytes, &error))
        }
        None => Ok(Vec::new()),
    }
}

fn parse_entry(
    index: usize,
    entry: Value,
    text: &str,
) -> Result<PartitionOffset, OffsetsFileError> {
    let Value::Object(mut fields) = entry else {
        return Err(OffsetsFileError::EntryNotAnObject {
            path: None,
            index,
            found: kind(&entry),
        });
    };
    if let Some(key) = fields
        .keys()
        .find(|key| key.as_str() != "partition" && key.as_str() != "offset")
    {
        return Err(OffsetsFileError::UnknownKey {
            path: None,
            index,
            key: key.clone(),
        });
    }
    let partition = take_object(&mut fields, index, "partition")?;
    let offset = take_object(&mut fields, index, "offset")?;
    if let Some(literal) = first_inexact_integer(text) {
        return Err(OffsetsFileError::InexactInteger {
            path: None,
            index,
            literal: literal.to_string(),
        });
    }
    // Both objects were just read by serde_json from the file's text, so they write out and
    // read back (within its nesting limit, with numbers in range).
    Ok(PartitionOffset::new(partition, offset).expect("objects read from JSON text read back"))
}

fn take_object(
    fields: &mut Map<String, Value>,
    index: usize,
    field: &'static str,
) -> Result<JsonObject, OffsetsFileError> {
    match fields.remove(field) {
        Some(Value::Object(object)) => Ok(object),
        Some(other) => Err(OffsetsFileError::FieldNotAnObject {
            path: None,
            index,
            field,
            found: kind(&other),
        }),
        None => Err(OffsetsFileError::MissingField {
            path: None,
            index,
            field,
        }),
    }
}

/// The first integer in `json` (valid JSON text) that serde_json reads as a float.
///
/// Without serde_json's `arbitrary_precision` feature, an integer literal outside
/// `i64::MIN..=u64::MAX` becomes the nearest `f64`, and `-0` becomes `-0.0`: written back, it
/// would be a float, and beyond 2^53 another number. The parsed value cannot tell such a float
/// from one written as a float, so this looks at the text: outside strings, a number without a
/// fraction or an exponent is an integer literal.
fn first_inexact_integer(json: &str) -> Option<&str> {
    let bytes = json.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    // Skip the escaped character too, which may be a quote.
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len()
                    && matches!(bytes[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    i += 1;
                }
                // The number is ASCII and ends before a character boundary, so this slices.
                let number = &json[start..i];
                let is_integer = !number.contains(['.', 'e', 'E']);
                let kept = number.parse::<i64>().is_ok() || number.parse::<u64>().is_ok();
                if is_integer && (number == "-0" || !kept) {
                    return Some(number);
                }
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_the_index_from_0_and_the_ordinal_from_1() {
        let names: Vec<String> = [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 100, 110, 111, 122]
            .into_iter()
            .map(|index| Entry(index).to_string())
            .collect();
        assert_eq!(
            names,
            [
                "offsets[0] (the 1st entry)",
                "offsets[1] (the 2nd entry)",
                "offsets[2] (the 3rd entry)",
                "offsets[3] (the 4th entry)",
                "offsets[10] (the 11th entry)",
                "offsets[11] (the 12th entry)",
                "offsets[12] (the 13th entry)",
                "offsets[13] (the 14th entry)",
                "offsets[20] (the 21st entry)",
                "offsets[21] (the 22nd entry)",
                "offsets[100] (the 101st entry)",
                "offsets[110] (the 111th entry)",
                "offsets[111] (the 112th entry)",
                "offsets[122] (the 123rd entry)",
            ]
        );
    }

    #[test]
    fn integers_within_64_bits_and_floats_are_kept() {
        let json = r#"{"a": [0, -1, 9007199254740993, 18446744073709551615,
            -9223372036854775808, 1.5, -0.0, 1e30, 2E-3, -4e+2]}"#;
        assert_eq!(first_inexact_integer(json), None);
    }

    #[test]
    fn integers_beyond_64_bits_and_minus_zero_are_found() {
        assert_eq!(
            first_inexact_integer(r#"{"a": 18446744073709551616}"#),
            Some("18446744073709551616")
        );
        assert_eq!(
            first_inexact_integer(r#"[1, -9223372036854775809]"#),
            Some("-9223372036854775809")
        );
        assert_eq!(first_inexact_integer(r#"{"a": -0}"#), Some("-0"));
    }

    #[test]
    fn numbers_inside_strings_are_not_integers() {
        let json = r#"{"99999999999999999999": "-0 and \"18446744073709551616\"", "b\\": 1}"#;
        assert_eq!(first_inexact_integer(json), None);
    }
}
