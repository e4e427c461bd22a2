//! Schemas: types and nullability, titles, closed and open enums, fields and whether they are
//! required, maps, arrays and alternatives, read or sent as [`Direction`] says.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{
    Differ, Direction, Severity, is_doc_key, keys, object, presence, reference, resolve, show,
};

/// How deep schemas are compared; deeper than any real spec, and a bound against cycles of
/// inline schemas (cycles through `$ref` are cut sooner, by `comparing`).
const MAX_DEPTH: usize = 64;

fn schema_component(node: &Value) -> Option<&str> {
    reference(node).and_then(|r| r.strip_prefix("#/components/schemas/"))
}

/// The types a schema allows, without `null`, and whether it allows `null`: OpenAPI 3.0's
/// `nullable: true` and 3.1's `type: [T, "null"]` read the same.
fn types(schema: &Value) -> (BTreeSet<String>, bool) {
    let mut set: BTreeSet<String> = match schema.get("type") {
        Some(Value::String(t)) => BTreeSet::from([t.clone()]),
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => BTreeSet::new(),
    };
    let nullable = set.remove("null") || schema.get("nullable") == Some(&Value::Bool(true));
    (set, nullable)
}

fn show_types(set: &BTreeSet<String>) -> String {
    if set.is_empty() {
        "any".to_string()
    } else {
        set.iter().cloned().collect::<Vec<_>>().join(" or ")
    }
}

/// Whether the generator makes a named Rust type of this schema, so that its `title` is a name.
fn names_a_type(schema: &Value) -> bool {
    schema.get("properties").is_some()
        || schema.get("enum").is_some()
        || types(schema).0.contains("object")
        || ["oneOf", "anyOf", "allOf"]
            .iter()
            .any(|k| schema.get(*k).is_some())
}

impl Differ<'_> {
    /// Compares two schemas found at the same place, read or sent by the client as
    /// `direction` says.
    pub(super) fn schema(
        &mut self,
        at: &str,
        direction: Direction,
        old: &Value,
        new: &Value,
        depth: usize,
    ) {
        if depth > MAX_DEPTH || old == new {
            return;
        }
        // The same component on both sides is compared once, under components > schemas.
        if let (Some(a), Some(b)) = (schema_component(old), schema_component(new))
            && a == b
        {
            return;
        }
        let old_resolved = resolve(self.old, old).unwrap_or(&Value::Null);
        let new_resolved = match resolve(self.new, new) {
            Ok(resolved) => resolved,
            Err(reference) => return self.broken(at, &reference),
        };
        let pair = (
            reference(old).unwrap_or_default().to_string(),
            reference(new).unwrap_or_default().to_string(),
        );
        let by_reference = !pair.0.is_empty() || !pair.1.is_empty();
        if by_reference && !self.comparing.insert(pair.clone()) {
            return;
        }
        self.schema_body(at, direction, old_resolved, new_resolved, depth);
        if by_reference {
            self.comparing.remove(&pair);
        }
    }

    fn schema_body(
        &mut self,
        at: &str,
        direction: Direction,
        old: &Value,
        new: &Value,
        depth: usize,
    ) {
        if old == new {
            return;
        }
        let ((old_types, old_null), (new_types, new_null)) = (types(old), types(new));
        if old_types != new_types {
            return self.push(
                Severity::Breaking,
                at,
                format!(
                    "type changed from {} to {}",
                    show_types(&old_types),
                    show_types(&new_types)
                ),
                "the generated Rust type changes, and values of the old type no longer decode",
            );
        }
        if old_null != new_null {
            self.push(
                Severity::Breaking,
                at,
                if new_null {
                    "now nullable".to_string()
                } else {
                    "no longer nullable".to_string()
                },
                if new_null && direction.reads() {
                    "the generated type changes between `T` and `Option<T>`, and released \
                     clients fail to decode a null"
                } else {
                    "the generated type changes between `T` and `Option<T>`"
                },
            );
        }
        self.title(at, old, new);
        self.enums(at, direction, old, new);
        self.properties(at, direction, old, new, depth);
        self.additional_properties(at, direction, old, new, depth);
        if let (Some(a), Some(b)) = (old.get("items"), new.get("items")) {
            self.schema(&format!("{at}[]"), direction, a, b, depth + 1);
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            if let (Some(Value::Array(a)), Some(Value::Array(b))) = (old.get(key), new.get(key)) {
                if a.len() != b.len() {
                    self.push(
                        Severity::Breaking,
                        at,
                        format!(
                            "`{key}` has {} alternatives instead of {}",
                            b.len(),
                            a.len()
                        ),
                        "the generated type of the alternatives changes",
                    );
                }
                for (index, (x, y)) in a.iter().zip(b).enumerate() {
                    self.schema(&format!("{at} <{key} {index}>"), direction, x, y, depth + 1);
                }
            }
        }
        let handled = [
            "type",
            "nullable",
            "title",
            "enum",
            "x-extensible-enum",
            "properties",
            "required",
            "additionalProperties",
        ];
        for key in keys(old, new) {
            let (a, b) = (old.get(&key), new.get(&key));
            if handled.contains(&key.as_str()) || a == b {
                continue;
            }
            let compared_inside = matches!(key.as_str(), "items" | "oneOf" | "anyOf" | "allOf")
                && a.is_some()
                && b.is_some()
                && (key == "items" || a.map(|v| v.is_array()) == b.map(|v| v.is_array()));
            if compared_inside {
                continue;
            }
            if is_doc_key(&key) {
                self.push(
                    Severity::Documentation,
                    at,
                    presence(&key, a, b),
                    "documentation: the generated code does not depend on it",
                );
            } else if matches!(key.as_str(), "items" | "oneOf" | "anyOf" | "allOf" | "not") {
                self.push(
                    Severity::Breaking,
                    at,
                    presence(&key, a, b),
                    "the shape of the value changes, and with it the generated type",
                );
            } else {
                self.push(
                    Severity::Breaking,
                    at,
                    presence(&key, a, b),
                    "formats, constraints and defaults decide the generated Rust type and what \
                     the service accepts: review the generated diff",
                );
            }
        }
    }

    fn title(&mut self, at: &str, old: &Value, new: &Value) {
        let (a, b) = (old.get("title"), new.get("title"));
        if a == b {
            return;
        }
        let what = presence("title", a, b);
        if names_a_type(old) || names_a_type(new) {
            self.push(
                Severity::Breaking,
                at,
                what,
                "the title names the generated type: it is renamed",
            );
        } else {
            self.push(
                Severity::Documentation,
                at,
                what,
                "the generator makes no named type of this schema, so its title is only \
                 documentation",
            );
        }
    }

    fn enums(&mut self, at: &str, direction: Direction, old: &Value, new: &Value) {
        let closed = |v: &Value| v.get("enum").and_then(Value::as_array).cloned();
        let open = |v: &Value| {
            v.get("x-extensible-enum")
                .and_then(Value::as_array)
                .cloned()
        };
        match (closed(old), closed(new)) {
            (Some(a), Some(b)) => {
                for value in b.iter().filter(|v| !a.contains(v)) {
                    self.push(
                        Severity::Breaking,
                        at,
                        format!("enum value {} added", show(value)),
                        match direction {
                            Direction::Response => {
                                "the enum is closed: released clients decode it into a Rust enum \
                                 that fails on the new value (an open enum is marked \
                                 `x-extensible-enum`)"
                            }
                            Direction::Request => {
                                "the generated Rust enum gains a variant: exhaustive `match`es on \
                                 it stop compiling"
                            }
                            Direction::Both => {
                                "the generated Rust enum gains a variant: exhaustive `match`es on \
                                 it stop compiling, and where it is read released clients fail \
                                 on the new value"
                            }
                        },
                    );
                }
                for value in a.iter().filter(|v| !b.contains(v)) {
                    self.push(
                        Severity::Breaking,
                        at,
                        format!("enum value {} removed", show(value)),
                        "the generated Rust enum loses a variant",
                    );
                }
            }
            (None, None) => {}
            (a, b) => {
                let what = match (
                    a.is_some(),
                    open(old).is_some(),
                    b.is_some(),
                    open(new).is_some(),
                ) {
                    (true, _, false, true) => "closed `enum` became open (`x-extensible-enum`)",
                    (false, true, true, _) => {
                        "open enum (`x-extensible-enum`) became closed `enum`"
                    }
                    (true, _, false, false) => "`enum` removed",
                    _ => "`enum` added",
                };
                return self.push(
                    Severity::Breaking,
                    at,
                    what.to_string(),
                    "the generated type changes between a Rust enum and `String`",
                );
            }
        }
        if let (Some(a), Some(b)) = (open(old), open(new)) {
            for value in b.iter().filter(|v| !a.contains(v)) {
                self.push(
                    Severity::Additive,
                    at,
                    format!("open enum value {} added", show(value)),
                    "an open enum (`x-extensible-enum`) is a `String` in the generated code, and \
                     the facade keeps values it does not know (e.g. `AlterPhase::Other`)",
                );
            }
            for value in a.iter().filter(|v| !b.contains(v)) {
                let (severity, why) = if direction.sends() {
                    (
                        Severity::Breaking,
                        "callers may still send it, and the service may now refuse it",
                    )
                } else {
                    (
                        Severity::Documentation,
                        "no longer documented; the generated code reads this enum as a `String`, \
                         so nothing fails",
                    )
                };
                self.push(
                    severity,
                    at,
                    format!("open enum value {} removed", show(value)),
                    why,
                );
            }
        } else if open(old).is_some() != open(new).is_some() && closed(old).is_none() {
            self.push(
                Severity::Documentation,
                at,
                presence(
                    "x-extensible-enum",
                    old.get("x-extensible-enum"),
                    new.get("x-extensible-enum"),
                ),
                "the values of a string are documented or no longer are; it stays a `String`",
            );
        }
    }

    fn properties(
        &mut self,
        at: &str,
        direction: Direction,
        old: &Value,
        new: &Value,
        depth: usize,
    ) {
        let (a, b) = (object(&old["properties"]), object(&new["properties"]));
        let required = |v: &Value| -> BTreeSet<String> {
            v.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        };
        let (old_required, new_required) = (required(old), required(new));
        for name in keys(&old["properties"], &new["properties"]) {
            let field = format!("{at}.{name}");
            match (a.get(&name), b.get(&name)) {
                (Some(_), None) => self.push(
                    Severity::Breaking,
                    at,
                    format!("field `{name}` removed"),
                    match direction {
                        Direction::Request => {
                            "the generated field disappears: code that sets it stops compiling"
                        }
                        _ => "the generated field disappears: code that reads it stops compiling",
                    },
                ),
                (None, Some(_)) if new_required.contains(&name) => self.push(
                    Severity::Breaking,
                    at,
                    format!("field `{name}` added (required)"),
                    match direction {
                        Direction::Request => {
                            "callers must now send it: the generated type gains a field that is \
                             not an `Option`, and requests built without it are refused"
                        }
                        Direction::Response => {
                            "the generated type gains a field that is not an `Option`: a response \
                             without it no longer decodes, and code building the type stops \
                             compiling"
                        }
                        Direction::Both => {
                            "the generated type gains a field that is not an `Option`: code \
                             building the type stops compiling, and a response without it no \
                             longer decodes"
                        }
                    },
                ),
                (None, Some(_)) => self.push(
                    Severity::Additive,
                    at,
                    format!("field `{name}` added (optional)"),
                    "the generated type gains an `Option` field; answers without it decode as \
                     before, and released clients ignore it",
                ),
                (Some(x), Some(y)) => {
                    let (was, is) = (old_required.contains(&name), new_required.contains(&name));
                    if was != is {
                        self.push(
                            Severity::Breaking,
                            &field,
                            if is {
                                "now required".to_string()
                            } else {
                                "no longer required".to_string()
                            },
                            match (is, direction.reads()) {
                                (true, true) => {
                                    "the generated field changes from `Option<T>` to `T`, and a \
                                     response without it no longer decodes"
                                }
                                (false, true) => {
                                    "the generated field changes from `T` to `Option<T>`, and \
                                     released clients fail on a response without it"
                                }
                                (true, false) => {
                                    "the generated field changes from `Option<T>` to `T`, and \
                                     requests without it are refused"
                                }
                                (false, false) => {
                                    "the generated field changes from `T` to `Option<T>`"
                                }
                            },
                        );
                    }
                    self.schema(&field, direction, x, y, depth + 1);
                }
                (None, None) => {}
            }
        }
    }

    fn additional_properties(
        &mut self,
        at: &str,
        direction: Direction,
        old: &Value,
        new: &Value,
        depth: usize,
    ) {
        match (
            old.get("additionalProperties"),
            new.get("additionalProperties"),
        ) {
            (a, b) if a == b => {}
            (Some(a), Some(b)) if a.is_object() && b.is_object() => {
                self.schema(&format!("{at}.*"), direction, a, b, depth + 1);
            }
            (a, b) => self.push(
                Severity::Breaking,
                at,
                presence("additionalProperties", a, b),
                "it decides whether the generated type is a struct or a map, and whether \
                 unknown fields are refused",
            ),
        }
    }
}
