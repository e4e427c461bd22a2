//! Free-form JSON objects kept as the text they were received as.
//!
//! The spec describes some values only as "an object" (`type: object` with
//! `additionalProperties: true` and no properties): an offsets entry's `partition` and
//! `offset`, whose shape depends on the connector. The codegen settings map every such schema
//! to [`RawJsonObject`], which keeps the object's exact JSON text without the spaces between
//! its tokens: every value stays exact (integers beyond 2^53, `1.0` apart from `1`, numbers in
//! the notation they were sent in), keys keep the order they were sent in, and a large body of
//! them takes little more memory than its text, where a `serde_json::Map` per object takes many
//! times more.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// A JSON object, kept as its exact text with the whitespace between tokens left out (inside
/// strings it stays, of course).
///
/// Every `RawJsonObject` is known to be a JSON object that `serde_json` reads into a
/// [`Map`] (numbers in range, nesting within its recursion limit), so [`to_map`] cannot fail.
///
/// Two objects are equal when their texts are, or else when they hold equal values, as two
/// `serde_json::Map`s would be.
///
/// ```
/// use confluent_connect_api::RawJsonObject;
///
/// let object = RawJsonObject::parse(r#"{"kafka_offset": 9007199254740993}"#)?;
/// assert_eq!(object.get(), r#"{"kafka_offset":9007199254740993}"#);
/// assert_eq!(object.to_map()["kafka_offset"].as_u64(), Some(9007199254740993));
/// assert!(RawJsonObject::parse("[1, 2]").is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// [`to_map`]: RawJsonObject::to_map
#[derive(Clone)]
pub struct RawJsonObject(Box<RawValue>);

impl RawJsonObject {
    /// Checks that `text` is one JSON object and keeps it, without the whitespace between its
    /// tokens.
    pub fn parse(text: &str) -> Result<Self, serde_json::Error> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let object = Self::deserialize(&mut deserializer)?;
        deserializer.end()?;
        Ok(object)
    }

    /// The object written out as compact JSON, in the map's key order.
    pub fn from_map(map: &Map<String, Value>) -> Result<Self, serde_json::Error> {
        let text = serde_json::to_string(map)?;
        // A map built in code may nest deeper than serde_json reads back.
        check(&text)?;
        RawValue::from_string(text).map(RawJsonObject)
    }

    /// The object's JSON text, as it was received or written, without whitespace between
    /// tokens.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// The object read into a [`Map`]: a new map each time.
    pub fn to_map(&self) -> Map<String, Value> {
        // Every constructor checked that the text reads as a map, so the fallback is never
        // taken.
        serde_json::from_str(self.get()).unwrap_or_default()
    }

    /// The object as an owned raw JSON value.
    pub fn into_raw(self) -> Box<RawValue> {
        self.0
    }
}

impl Default for RawJsonObject {
    /// The empty object, `{}`.
    fn default() -> Self {
        RawJsonObject(RawValue::from_string("{}".to_owned()).unwrap_or_else(|_| unreachable!()))
    }
}

impl fmt::Debug for RawJsonObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl fmt::Display for RawJsonObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl PartialEq for RawJsonObject {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get() || self.to_map() == other.to_map()
    }
}

impl Serialize for RawJsonObject {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawJsonObject {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        check(raw.get()).map_err(de::Error::custom)?;
        match without_whitespace(raw.get()) {
            None => Ok(RawJsonObject(raw)),
            Some(compact) => RawValue::from_string(compact)
                .map(RawJsonObject)
                .map_err(de::Error::custom),
        }
    }
}

impl schemars::JsonSchema for RawJsonObject {
    fn schema_name() -> Cow<'static, str> {
        "RawJsonObject".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "object", "additionalProperties": true})
    }
}

/// Checks that `text` (one JSON value) is an object that serde_json reads into a map, without
/// building the map: numbers are read as serde_json reads them, nesting counts against its
/// recursion limit, strings and keys are checked but not kept.
fn check(text: &str) -> Result<(), serde_json::Error> {
    if !text.starts_with('{') {
        return Err(de::Error::invalid_type(
            de::Unexpected::Other(kind(text)),
            &"a JSON object",
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    Checked.deserialize(&mut deserializer)?;
    deserializer.end()
}

/// `text` (valid JSON) without the whitespace between its tokens, or `None` when it has none.
/// Most text has none at all, which one scan for the four whitespace bytes finds.
fn without_whitespace(text: &str) -> Option<String> {
    let is_space = |byte: &u8| matches!(byte, b' ' | b'\n' | b'\t' | b'\r');
    if !text.as_bytes().iter().any(is_space) {
        return None;
    }
    let mut compact = Vec::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for &byte in text.as_bytes() {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if byte == b'"' {
            in_string = true;
        } else if is_space(&byte) {
            continue;
        }
        compact.push(byte);
    }
    // Only ASCII bytes outside strings were dropped, so the rest is still UTF-8.
    String::from_utf8(compact).ok()
}

/// What a JSON value that is not an object is, for the error.
fn kind(text: &str) -> &'static str {
    match text.as_bytes().first() {
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// A value read and checked, and not kept.
#[derive(Clone, Copy)]
struct Checked;

impl<'de> DeserializeSeed<'de> for Checked {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Checked)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key::<IgnoredAny>()?.is_some() {
            map.next_value_seed(Checked)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_object_keeps_its_text_exactly() {
        let text = r#"{"b":1.0,"a":[true,null],"e":1E5,"big":123456789012345678901234567890}"#;
        assert_eq!(RawJsonObject::parse(text).unwrap().get(), text);
    }

    #[test]
    fn whitespace_between_tokens_is_left_out_and_inside_strings_kept() {
        let text = "{ \"a b\" :\t[ 1 ,\r\n \"x \\\" y\" ] ,\n \"c\": { } }";
        assert_eq!(
            RawJsonObject::parse(text).unwrap().get(),
            r#"{"a b":[1,"x \" y"],"c":{}}"#
        );
    }

    #[test]
    fn a_value_that_is_not_an_object_is_refused_naming_its_kind() {
        for (text, found) in [
            ("[1]", "an array"),
            ("\"x\"", "a string"),
            ("7", "a number"),
            ("null", "null"),
            ("true", "a boolean"),
        ] {
            let error = RawJsonObject::parse(text).unwrap_err().to_string();
            assert_eq!(
                error,
                format!("invalid type: {found}, expected a JSON object")
            );
        }
    }

    #[test]
    fn a_number_out_of_range_is_refused_as_a_map_would_refuse_it() {
        let error = RawJsonObject::parse(r#"{"x": 1e400}"#).unwrap_err();
        assert!(
            error.to_string().starts_with("number out of range"),
            "{error}"
        );
    }

    #[test]
    fn nesting_past_the_recursion_limit_is_refused() {
        let deep = format!("{{\"x\":{}1{}}}", "[".repeat(200), "]".repeat(200));
        let error = RawJsonObject::parse(&deep).unwrap_err();
        assert!(
            error.to_string().starts_with("recursion limit exceeded"),
            "{error}"
        );
    }

    #[test]
    fn a_map_built_too_deep_to_read_back_is_refused() {
        let mut value = Value::from(1);
        for _ in 0..200 {
            value = Value::Array(vec![value]);
        }
        let mut map = Map::new();
        map.insert("x".to_owned(), value);
        assert!(RawJsonObject::from_map(&map).is_err());
    }

    #[test]
    fn objects_with_the_same_values_are_equal_whatever_their_spacing_and_order() {
        let a = RawJsonObject::parse(r#"{"a": 1, "b": 2}"#).unwrap();
        let b = RawJsonObject::parse(r#"{"b":2,"a":1}"#).unwrap();
        let c = RawJsonObject::parse(r#"{"a": 1, "b": 2.0}"#).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn a_map_round_trips_through_its_text() {
        let map: Map<String, Value> =
            serde_json::from_str(r#"{"kafka_topic": "orders", "kafka_partition": 3}"#).unwrap();
        let object = RawJsonObject::from_map(&map).unwrap();
        assert_eq!(object.to_map(), map);
    }

    #[test]
    fn the_default_is_the_empty_object() {
        assert_eq!(RawJsonObject::default().get(), "{}");
    }
}
