//! Reading the entries of an offsets file: each one checked, and integers that a float would
//! replace found in the text as written.

use std::collections::BTreeMap;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::error::OffsetsFileError;
use crate::offsets::{JsonObject, PartitionOffset, kind};

pub(super) fn not_json(bytes: &[u8], error: &serde_json::Error) -> OffsetsFileError {
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
pub(super) fn entry_texts(bytes: &[u8]) -> Result<Vec<&RawValue>, OffsetsFileError> {
    let mut fields: BTreeMap<String, &RawValue> =
        serde_json::from_slice(bytes).map_err(|error| not_json(bytes, &error))?;
    match fields.remove("offsets") {
        Some(offsets) => {
            serde_json::from_str(offsets.get()).map_err(|error| not_json(bytes, &error))
        }
        None => Ok(Vec::new()),
    }
}

pub(super) fn parse_entry(
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
