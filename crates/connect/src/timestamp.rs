//! Lenient timestamps: the service writes `observed_at` in more than one form.

use std::fmt;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Serialize, Serializer};

/// A timestamp as the service wrote it, with its parsed value when it could be read.
///
/// Confluent Cloud writes the same instant in several forms (`2024-02-20 15:14:19+00:00`,
/// `2024-02-20T15:14:20+0000`, RFC 3339 with `Z` or with nanoseconds). All of them parse. A
/// form that does not parse never fails the response it came in: [`Timestamp::utc`] is then
/// `None` and [`Timestamp::raw`] still holds the text.
///
/// ```
/// use confluent_connect::Timestamp;
///
/// let t = Timestamp::parse("2024-02-20 15:14:19+00:00");
/// assert_eq!(t.utc().map(|t| t.to_rfc3339()).as_deref(), Some("2024-02-20T15:14:19+00:00"));
///
/// let odd = Timestamp::parse("yesterday");
/// assert_eq!((odd.raw(), odd.utc()), ("yesterday", None));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    raw: String,
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
        Self { raw, utc }
    }

    /// The text exactly as the service sent it.
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
    /// Serialises as the raw text, so that writing a value back gives what was read.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.raw)
    }
}

#[cfg(test)]
mod tests {
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
    fn unparsable_text_is_kept_raw() {
        let t = Timestamp::parse("20/02/2024");
        assert_eq!((t.raw(), t.utc()), ("20/02/2024", None));
        assert_eq!(t.to_string(), "20/02/2024");
    }
}
