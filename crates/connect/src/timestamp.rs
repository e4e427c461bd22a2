//! Lenient timestamps: the service writes `observed_at` in more than one form.

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Serialize, Serializer};
use serde_json::Value;

/// A timestamp as the service wrote it, with its parsed value when it could be read.
///
/// Confluent Cloud writes the same instant in several forms (`2024-02-20 15:14:19+00:00`,
/// `2024-02-20T15:14:20+0000`, RFC 3339 with `Z` or with nanoseconds). All of them parse. A
/// form that does not parse never fails the response it came in: [`Timestamp::utc`] is then
/// `None` and [`Timestamp::raw`] still holds the text. Nor does a value that is not a string at
/// all (a number, an object, an array, `null`): it is kept as it came
/// ([`Timestamp::from_json`]), with no parsed time.
///
/// ```
/// use confluent_connect::Timestamp;
///
/// let t = Timestamp::parse("2024-02-20 15:14:19+00:00");
/// assert_eq!(t.utc().map(|t| t.to_rfc3339()).as_deref(), Some("2024-02-20T15:14:19+00:00"));
///
/// let odd = Timestamp::parse("yesterday");
/// assert_eq!((odd.raw(), odd.utc()), ("yesterday", None));
///
/// let number = Timestamp::from_json(serde_json::json!(1708442059));
/// assert_eq!((number.raw(), number.utc()), ("1708442059", None));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    /// The string, or the JSON text of a value that is not a string.
    raw: String,
    /// The value, when it is not a string: written back as it came.
    other: Option<Value>,
    utc: Option<DateTime<Utc>>,
}

/// Forms tried after RFC 3339 (which chrono reads with `T`, `t` or a space, and with `Z`).
const OFFSET_FORMATS: [&str; 2] = ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"];
/// Forms without an offset: the API documents its times as UTC.
const NAIVE_FORMATS: [&str; 2] = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"];

impl Timestamp {
    /// Reads a timestamp in any form the service is known to write; never fails.
    pub fn parse(raw: impl Into<String>) -> Self {
        let raw = raw.into();
        let text = raw.trim();
        let utc = DateTime::parse_from_rfc3339(text)
            .ok()
            .or_else(|| {
                OFFSET_FORMATS
                    .iter()
                    .find_map(|f| DateTime::parse_from_str(text, f).ok())
            })
            .map(|t| t.with_timezone(&Utc))
            .or_else(|| {
                NAIVE_FORMATS
                    .iter()
                    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
                    .map(|t| t.and_utc())
            });
        Self {
            raw,
            other: None,
            utc,
        }
    }

    /// Reads a timestamp from the JSON value the service sent; never fails.
    ///
    /// A string is read as [`Timestamp::parse`] reads it. Any other value (a number such as
    /// `1708442059`, `null`, an object, an array) has no parsed time: the API documents its
    /// times as strings, and a number could be seconds or milliseconds since the epoch, so it
    /// is not guessed at. It is kept, and serialised back, as it came.
    pub fn from_json(value: Value) -> Self {
        match value {
            Value::String(text) => Self::parse(text),
            other => Self {
                raw: other.to_string(),
                other: Some(other),
                utc: None,
            },
        }
    }

    /// The text exactly as the service sent it; for a value that was not a JSON string, its
    /// JSON text (`1708442059`, `null`, `{"at":1}`).
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The instant in UTC, or `None` if the text is in no known form.
    pub fn utc(&self) -> Option<DateTime<Utc>> {
        self.utc
    }
}

impl fmt::Display for Timestamp {
    /// The instant in RFC 3339 when it parsed, else the raw text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.utc {
            Some(t) => write!(f, "{}", t.to_rfc3339()),
            None => f.write_str(&self.raw),
        }
    }
}

impl Serialize for Timestamp {
    /// Serialises as it was read: the raw text, or the value that was not a string, so that
    /// writing a value back gives what was read.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.other {
            Some(value) => value.serialize(serializer),
            None => serializer.serialize_str(&self.raw),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::Timestamp;

    fn utc(raw: &str) -> Option<String> {
        Timestamp::parse(raw).utc().map(|t| t.to_rfc3339())
    }

    #[test]
    fn space_separated_with_colon_offset() {
        assert_eq!(
            utc("2024-02-20 15:14:19+00:00").as_deref(),
            Some("2024-02-20T15:14:19+00:00")
        );
    }

    #[test]
    fn offset_without_colon() {
        assert_eq!(
            utc("2024-02-20T15:14:20+0000").as_deref(),
            Some("2024-02-20T15:14:20+00:00")
        );
    }

    #[test]
    fn rfc3339_with_nanoseconds() {
        assert_eq!(
            utc("2024-02-20T15:14:20.123456789Z").as_deref(),
            Some("2024-02-20T15:14:20.123456789+00:00")
        );
    }

    #[test]
    fn rfc3339_with_z() {
        assert_eq!(
            utc("2024-02-20T15:14:20Z").as_deref(),
            Some("2024-02-20T15:14:20+00:00")
        );
    }

    #[test]
    fn other_offsets_are_converted_to_utc() {
        assert_eq!(
            utc("2024-02-20T20:44:20+05:30").as_deref(),
            Some("2024-02-20T15:14:20+00:00")
        );
    }

    #[test]
    fn no_offset_is_read_as_utc() {
        assert_eq!(
            utc("2024-02-20 15:14:19").as_deref(),
            Some("2024-02-20T15:14:19+00:00")
        );
    }

    #[test]
    fn a_number_is_kept_without_a_parsed_time() {
        let t = Timestamp::from_json(json!(1708442059));
        assert_eq!((t.raw(), t.utc()), ("1708442059", None));
        assert_eq!(serde_json::to_value(&t).unwrap(), json!(1708442059));
    }

    #[test]
    fn null_is_kept_without_a_parsed_time() {
        let t = Timestamp::from_json(Value::Null);
        assert_eq!((t.raw(), t.utc()), ("null", None));
        assert_eq!(serde_json::to_value(&t).unwrap(), Value::Null);
    }

    #[test]
    fn an_object_is_kept_without_a_parsed_time() {
        let t = Timestamp::from_json(json!({"seconds": 1708442059, "nanos": 5}));
        assert_eq!(
            (t.raw(), t.utc()),
            (r#"{"nanos":5,"seconds":1708442059}"#, None)
        );
        assert_eq!(
            serde_json::to_value(&t).unwrap(),
            json!({"seconds": 1708442059, "nanos": 5})
        );
    }

    #[test]
    fn an_array_is_kept_without_a_parsed_time() {
        let t = Timestamp::from_json(json!([2024, 2, 20]));
        assert_eq!((t.raw(), t.utc()), ("[2024,2,20]", None));
        assert_eq!(serde_json::to_value(&t).unwrap(), json!([2024, 2, 20]));
    }

    #[test]
    fn a_json_string_is_parsed_like_text() {
        let t = Timestamp::from_json(json!("2024-02-20 15:14:19+00:00"));
        assert_eq!(t, Timestamp::parse("2024-02-20 15:14:19+00:00"));
        assert_eq!(
            serde_json::to_value(&t).unwrap(),
            json!("2024-02-20 15:14:19+00:00")
        );
    }

    #[test]
    fn unparsable_text_is_kept_raw() {
        let t = Timestamp::parse("20/02/2024");
        assert_eq!((t.raw(), t.utc()), ("20/02/2024", None));
        assert_eq!(t.to_string(), "20/02/2024");
    }
}
