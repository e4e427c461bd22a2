//! The offsets file: one JSON format to export a connector's offsets and to import them.

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::offsets::{ConnectorOffsets, PartitionOffset, kind};

mod error;
mod parse;

pub use error::OffsetsFileError;
use parse::{entry_texts, not_json, parse_entry};

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
