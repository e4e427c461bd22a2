//! An operation's responses: their statuses, bodies, headers and the error type progenitor
//! makes of them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{Differ, Direction, Severity, is_doc_key, keys, object, resolve};

use super::body::is_json;

/// Headers the facade reads: retries and pacing follow the rate-limit headers, and errors keep
/// the request id.
const FACADE_HEADERS: [&str; 5] = [
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "retry-after",
    "x-request-id",
];

impl Differ<'_> {
    pub(super) fn responses(&mut self, label: &str, old: &Value, new: &Value) {
        let (a, b) = (object(old), object(new));
        let success_body = |root: &Value, responses: &Map<String, Value>| -> Option<Value> {
            responses
                .iter()
                .filter(|(status, _)| is_success(status))
                .find_map(|(_, r)| resolve(root, r).ok().map(|r| json_schema(root, r)))
        };
        let old_success = success_body(self.old, &a);
        for status in keys(old, new) {
            let at = format!("{label} > response {status}");
            match (a.get(&status), b.get(&status)) {
                (Some(_), None) => self.push(
                    Severity::Breaking,
                    &at,
                    "response removed".to_string(),
                    if is_success(&status) {
                        "the generated method's success type may change, and this status \
                         becomes an unexpected response"
                    } else {
                        "the generated client no longer types this status: it becomes \
                         `Error::UnexpectedResponse`"
                    },
                ),
                (None, Some(r)) => {
                    let resolved = match resolve(self.new, r) {
                        Ok(resolved) => resolved,
                        Err(reference) => {
                            self.broken(&at, &reference);
                            continue;
                        }
                    };
                    if is_success(&status) {
                        let body = json_schema(self.new, resolved);
                        if old_success.is_none() || old_success == Some(body) {
                            self.push(
                                Severity::Additive,
                                &at,
                                "response added".to_string(),
                                "another success status with the same body: the generated \
                                 method's return type is unchanged",
                            );
                        } else {
                            self.push(
                                Severity::Breaking,
                                &at,
                                "response added, with a body unlike the other successes"
                                    .to_string(),
                                "progenitor gives an operation one success type: codegen \
                                 refuses successes of different kinds, or the return type \
                                 changes",
                            );
                        }
                    } else {
                        self.push(
                            Severity::Additive,
                            &at,
                            "response added".to_string(),
                            "a newly documented status; released clients return it as an \
                             error as before (whether the operation's error type changes is \
                             reported on its own)",
                        );
                    }
                }
                (Some(x), Some(y)) => self.response(&at, x, y),
                (None, None) => {}
            }
        }
    }

    pub(super) fn response(&mut self, location: &str, old: &Value, new: &Value) {
        let old = resolve(self.old, old).unwrap_or(&Value::Null);
        let new = match resolve(self.new, new) {
            Ok(new) => new,
            Err(reference) => return self.broken(location, &reference),
        };
        self.content(
            location,
            Direction::Response,
            &old["content"],
            &new["content"],
        );
        self.headers(location, &old["headers"], &new["headers"]);
        self.other_keys(location, old, new, &["content", "headers"]);
    }

    pub(super) fn headers(&mut self, location: &str, old: &Value, new: &Value) {
        let lower = |v: &Value| -> BTreeMap<String, Value> {
            object(v)
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect()
        };
        let (a, b) = (lower(old), lower(new));
        let names: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        for name in names {
            let at = format!("{location} > header `{name}`");
            let read_by_facade = FACADE_HEADERS.contains(&name.as_str());
            let strip = |h: &Value| -> Value {
                let mut h = object(h);
                h.retain(|k, _| !is_doc_key(k));
                Value::Object(h)
            };
            match (a.get(name), b.get(name)) {
                (Some(_), None) if read_by_facade => self.push(
                    Severity::Breaking,
                    &at,
                    "header removed".to_string(),
                    "the facade reads this header (retries and pacing follow the rate-limit \
                     headers; errors keep the request id): check what it does without it",
                ),
                (Some(_), None) => self.push(
                    Severity::Documentation,
                    &at,
                    "header removed".to_string(),
                    "neither the generated client nor the facade reads it",
                ),
                (None, Some(_)) => self.push(
                    Severity::Additive,
                    &at,
                    "header added".to_string(),
                    "the generated client does not read headers; the facade can use it",
                ),
                (Some(x), Some(y)) if x != y => {
                    if strip(x) == strip(y) {
                        self.push(
                            Severity::Documentation,
                            &at,
                            "description changed".to_string(),
                            "documentation: the generated code does not depend on it",
                        );
                    } else if read_by_facade {
                        self.push(
                            Severity::Breaking,
                            &at,
                            "header changed".to_string(),
                            "the facade parses this header: check that it still reads the new form",
                        );
                    } else {
                        self.push(
                            Severity::Documentation,
                            &at,
                            "header changed".to_string(),
                            "neither the generated client nor the facade reads it",
                        );
                    }
                }
                _ => {}
            }
        }
    }

    /// Reports a change of the generated error type of an operation: progenitor gives each
    /// operation one error type, and codegen makes it `serde_json::Value` when the JSON error
    /// bodies differ.
    pub(super) fn error_type(&mut self, label: &str, old: &Value, new: &Value) {
        let old_kind = error_kind(self.old, &old["responses"]);
        let new_kind = error_kind(self.new, &new["responses"]);
        if old_kind.name() == new_kind.name() {
            return;
        }
        self.push(
            Severity::Breaking,
            label,
            format!(
                "error type changed from {} to {}",
                old_kind.name(),
                new_kind.name()
            ),
            "progenitor gives an operation one error type: when its JSON error bodies differ, \
             codegen decodes them all as `serde_json::Value`, and when none is JSON errors come \
             as `Error::UnexpectedResponse`; code matching `Error::ErrorResponse` changes (the \
             facade's error mapping included)",
        );
    }
}

fn is_success(status: &str) -> bool {
    status.starts_with('2')
}
fn is_error(status: &str) -> bool {
    status.starts_with('4') || status.starts_with('5') || status == "default"
}
/// The JSON schema of a response, with a top-level `$ref` followed, or `null` when it has no
/// JSON body or its reference does not resolve (which is reported where it stands).
fn json_schema(root: &Value, response: &Value) -> Value {
    object(&response["content"])
        .iter()
        .find(|(media, _)| is_json(media))
        .and_then(|(_, media)| {
            let schema = media.get("schema").unwrap_or(&Value::Null);
            resolve(root, schema).ok().cloned()
        })
        .unwrap_or(Value::Null)
}
/// What progenitor makes of an operation's error responses, after codegen's normalisation.
enum ErrorKind {
    /// No error response has a JSON body.
    Untyped,
    /// Every JSON error body has this one schema.
    Typed(Value),
    /// The JSON error bodies differ: all are `serde_json::Value`.
    AnyJson,
}
impl ErrorKind {
    fn name(&self) -> String {
        match self {
            ErrorKind::Untyped => "none (`Error::UnexpectedResponse`)".to_string(),
            ErrorKind::Typed(schema) => match schema.get("title").and_then(Value::as_str) {
                Some(title) => format!("the schema titled `{title}`"),
                None => "one schema".to_string(),
            },
            ErrorKind::AnyJson => "`serde_json::Value` (error bodies differ)".to_string(),
        }
    }
}
fn error_kind(root: &Value, responses: &Value) -> ErrorKind {
    let mut schemas: Vec<Value> = Vec::new();
    for (status, response) in object(responses) {
        if !is_error(&status) {
            continue;
        }
        let Ok(response) = resolve(root, &response) else {
            continue;
        };
        let schema = json_schema(root, response);
        if !schema.is_null() && !schemas.contains(&schema) {
            schemas.push(schema);
        }
    }
    match schemas.len() {
        0 => ErrorKind::Untyped,
        1 => ErrorKind::Typed(schemas.remove(0)),
        _ => ErrorKind::AnyJson,
    }
}
