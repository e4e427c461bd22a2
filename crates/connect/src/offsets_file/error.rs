//! Why an offsets file could not be read or written, in messages that name the entry and say
//! what to do.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

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
    pub(super) fn at(mut self, at: &Path) -> Self {
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
}
