//! The document, its operations and components: parameters, request bodies, responses,
//! headers, error types, security. Schemas are compared in [`super::schema`].

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::{
    Differ, Direction, Severity, is_doc_key, keys, new_or_null, object, presence, resolve,
};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Headers the facade reads: retries and pacing follow the rate-limit headers, and errors keep
/// the request id.
const FACADE_HEADERS: [&str; 5] = [
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "retry-after",
    "x-request-id",
];

/// One operation of a document.
struct Operation<'v> {
    method: &'static str,
    path: &'v str,
    node: &'v Value,
    /// The path item's own parameters, which apply to each of its operations.
    shared_parameters: &'v [Value],
}

impl Operation<'_> {
    fn key(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }

    fn operation_id(&self) -> Option<&str> {
        self.node.get("operationId").and_then(Value::as_str)
    }
}

fn operations(root: &Value) -> Vec<Operation<'_>> {
    let mut found = Vec::new();
    for (path, item) in root["paths"].as_object().into_iter().flatten() {
        let shared_parameters = item
            .get("parameters")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        for method in METHODS {
            if let Some(node) = item.get(method) {
                found.push(Operation {
                    method,
                    path,
                    node,
                    shared_parameters,
                });
            }
        }
    }
    found
}

impl Differ<'_> {
    pub(super) fn document(&mut self) {
        let (old, new) = (self.old, self.new);
        let handled = ["openapi", "paths", "components", "security"];
        self.version();
        self.operations();
        self.security_requirements("document", &old["security"], &new["security"]);
        self.components();
        for key in keys(old, new) {
            if handled.contains(&key.as_str()) || old.get(&key) == new.get(&key) {
                continue;
            }
            match key.as_str() {
                "info" | "tags" | "externalDocs" => {
                    self.documentation_keys(&format!("`{key}`"), &old[&key], &new[&key])
                }
                "servers" => self.push(
                    Severity::Documentation,
                    "document",
                    "`servers` changed".to_string(),
                    "the generated client takes its base URL as an argument; if the service \
                     moved, change the facade's default base URL in crates/connect",
                ),
                _ if key.starts_with("x-") => self.push(
                    Severity::Documentation,
                    "document",
                    presence(&key, old.get(&key), new.get(&key)),
                    "a vendor extension: the generator ignores it",
                ),
                _ => self.unknown("document", &key, old.get(&key), new.get(&key)),
            }
        }
    }

    fn version(&mut self) {
        let version = |v: &Value| v["openapi"].as_str().unwrap_or_default().to_string();
        let (old, new) = (version(self.old), version(self.new));
        if old == new {
            return;
        }
        let what = format!("`openapi` changed from {old} to {new}");
        if new.starts_with("3.0.") {
            self.push(
                Severity::Documentation,
                "document",
                what,
                "a revision of OpenAPI 3.0, which the generator reads",
            );
        } else {
            self.push(
                Severity::Breaking,
                "document",
                what,
                "codegen reads OpenAPI 3.0.x only (progenitor 0.15 through openapiv3), so the \
                 workspace cannot be regenerated from this spec: convert it to 3.0.3 (type \
                 arrays with \"null\" become `nullable: true`) and compare again",
            );
        }
    }

    /// Compares the keys of two mappings whose changes are all documentation, one change per
    /// key.
    fn documentation_keys(&mut self, location: &str, old: &Value, new: &Value) {
        let (a, b) = (object(old), object(new));
        if a.is_empty() && b.is_empty() {
            if old != new {
                self.push(
                    Severity::Documentation,
                    location,
                    "changed".to_string(),
                    "documentation: the generator does not read it",
                );
            }
            return;
        }
        for key in keys(old, new) {
            if a.get(&key) != b.get(&key) {
                self.push(
                    Severity::Documentation,
                    location,
                    presence(&key, a.get(&key), b.get(&key)),
                    "documentation: the generated code does not depend on it",
                );
            }
        }
    }

    fn operations(&mut self) {
        let old_ops = operations(self.old);
        let new_ops = operations(self.new);
        for op in &old_ops {
            let label = operation_label(op, None);
            match new_ops.iter().find(|n| n.key() == op.key()) {
                None => self.push(
                    Severity::Breaking,
                    &label,
                    "operation removed".to_string(),
                    "its generated method disappears, and with it the facade's wrapper of it, if any",
                ),
                Some(new) => self.operation(op, new),
            }
        }
        for op in &new_ops {
            if !old_ops.iter().any(|o| o.key() == op.key()) {
                self.push(
                    Severity::Additive,
                    &operation_label(op, None),
                    "operation added".to_string(),
                    "a new method on the generated client; nothing that exists changes (the \
                     facade offers it only once it is wrapped there)",
                );
            }
        }
    }

    fn operation(&mut self, old: &Operation<'_>, new: &Operation<'_>) {
        let label = operation_label(old, Some(new));
        match (old.operation_id(), new.operation_id()) {
            (a, b) if a == b => {}
            (Some(a), None) => self.push(
                Severity::Breaking,
                &label,
                format!("`operationId` {a} removed"),
                "the generated method is named after it, and codegen refuses an operation \
                 without one rather than guess a name: give the operation its old `operationId` \
                 back",
            ),
            (a, b) => self.push(
                Severity::Breaking,
                &label,
                format!(
                    "`operationId` changed from {} to {}",
                    a.unwrap_or("(none)"),
                    b.unwrap_or("(none)")
                ),
                "the generated method is named after it: its name changes",
            ),
        }
        self.parameters(&label, old, new);
        self.request_body(&label, &old.node["requestBody"], &new.node["requestBody"]);
        self.responses(&label, &old.node["responses"], &new.node["responses"]);
        self.error_type(&label, old.node, new.node);
        self.security_requirements(&label, &old.node["security"], &new.node["security"]);
        let handled = [
            "operationId",
            "parameters",
            "requestBody",
            "responses",
            "security",
        ];
        for key in keys(old.node, new.node) {
            let (a, b) = (old.node.get(&key), new.node.get(&key));
            if handled.contains(&key.as_str()) || a == b {
                continue;
            }
            if is_doc_key(&key) || key == "tags" {
                let why = if key == "deprecated" {
                    "documentation; a deprecated operation is a warning that it will go: plan \
                     its removal from the facade"
                } else {
                    "documentation: the generated code does not depend on it"
                };
                self.push(Severity::Documentation, &label, presence(&key, a, b), why);
            } else if key == "servers" {
                self.push(
                    Severity::Documentation,
                    &label,
                    "`servers` changed".to_string(),
                    "the generated client takes its base URL as an argument; if the service \
                     moved, change the facade's default base URL in crates/connect",
                );
            } else {
                self.unknown(&label, &key, a, b);
            }
        }
    }

    fn parameters(&mut self, label: &str, old: &Operation<'_>, new: &Operation<'_>) {
        let old_params = parameters(self.old, old);
        let new_params = parameters(self.new, new);
        for ((place, name), a) in &old_params {
            let location = format!("{label} > parameter `{name}` (in {place})");
            match new_params.get(&(place.clone(), name.clone())) {
                None => self.push(
                    Severity::Breaking,
                    &location,
                    "parameter removed".to_string(),
                    "the generated method loses an argument: every call to it stops compiling",
                ),
                Some(b) => self.parameter(&location, a, b),
            }
        }
        for ((place, name), b) in &new_params {
            if old_params.contains_key(&(place.clone(), name.clone())) {
                continue;
            }
            let location = format!("{label} > parameter `{name}` (in {place})");
            let required = b.get("required") == Some(&Value::Bool(true));
            self.push(
                Severity::Breaking,
                &location,
                format!(
                    "parameter added ({})",
                    if required { "required" } else { "optional" }
                ),
                if required {
                    "callers must pass it: the generated method gains an argument"
                } else {
                    "the generated methods take every parameter positionally, so even an \
                     optional one adds an `Option` argument to the method; the facade's calls \
                     need `None` added"
                },
            );
        }
    }

    fn parameter(&mut self, location: &str, old: &Value, new: &Value) {
        let required = |v: &Value| v.get("required") == Some(&Value::Bool(true));
        if required(old) != required(new) {
            self.push(
                Severity::Breaking,
                location,
                if required(new) {
                    "now required".to_string()
                } else {
                    "no longer required".to_string()
                },
                "the generated argument changes between `T` and `Option<T>`",
            );
        }
        self.schema(
            location,
            Direction::Request,
            &new_or_null(old, "schema"),
            &new_or_null(new, "schema"),
            0,
        );
        self.other_keys(location, old, new, &["name", "in", "required", "schema"]);
    }

    fn request_body(&mut self, label: &str, old: &Value, new: &Value) {
        let location = format!("{label} > request body");
        let old = resolve(self.old, old).unwrap_or(&Value::Null);
        let new = match resolve(self.new, new) {
            Ok(new) => new,
            Err(reference) => return self.broken(&location, &reference),
        };
        match (old.is_null(), new.is_null()) {
            (true, true) => return,
            (true, false) => {
                return self.push(
                    Severity::Breaking,
                    &location,
                    "request body added".to_string(),
                    "the generated method gains a body argument",
                );
            }
            (false, true) => {
                return self.push(
                    Severity::Breaking,
                    &location,
                    "request body removed".to_string(),
                    "the generated method loses its body argument",
                );
            }
            (false, false) => {}
        }
        let required = |v: &Value| v.get("required") == Some(&Value::Bool(true));
        if required(old) != required(new) {
            self.push(
                Severity::Breaking,
                &location,
                if required(new) {
                    "now required".to_string()
                } else {
                    "no longer required".to_string()
                },
                "the generated body argument changes between `T` and `Option<T>`",
            );
        }
        self.content(
            &location,
            Direction::Request,
            &old["content"],
            &new["content"],
        );
        self.other_keys(&location, old, new, &["required", "content"]);
    }

    /// Compares the media types of a body; `location` names the request or response.
    fn content(&mut self, location: &str, direction: Direction, old: &Value, new: &Value) {
        let (a, b) = (object(old), object(new));
        for media in keys(old, new) {
            let at = format!("{location} > {media}");
            match (a.get(&media), b.get(&media)) {
                (Some(_), None) => self.push(
                    Severity::Breaking,
                    &at,
                    "media type removed".to_string(),
                    if is_json(&media) {
                        "the generated code no longer decodes or sends this body as JSON"
                    } else {
                        "a body of this type is no longer documented"
                    },
                ),
                (None, Some(_)) => {
                    let (severity, why) = if is_json(&media) && !a.keys().any(|m| is_json(m)) {
                        (
                            Severity::Breaking,
                            "a JSON body where there was none: the generated type of this body \
                             changes",
                        )
                    } else {
                        (
                            Severity::Additive,
                            "another media type for the same body; the generated code keeps \
                             using JSON",
                        )
                    };
                    self.push(severity, &at, "media type added".to_string(), why);
                }
                (Some(x), Some(y)) => {
                    self.schema(
                        &format!("{at} > body"),
                        direction,
                        &new_or_null(x, "schema"),
                        &new_or_null(y, "schema"),
                        0,
                    );
                    self.other_keys(&at, x, y, &["schema"]);
                }
                (None, None) => {}
            }
        }
    }

    fn responses(&mut self, label: &str, old: &Value, new: &Value) {
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

    fn response(&mut self, location: &str, old: &Value, new: &Value) {
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

    fn headers(&mut self, location: &str, old: &Value, new: &Value) {
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
    fn error_type(&mut self, label: &str, old: &Value, new: &Value) {
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

    fn security_requirements(&mut self, location: &str, old: &Value, new: &Value) {
        if old == new {
            return;
        }
        let set = |v: &Value| -> BTreeSet<String> {
            v.as_array()
                .into_iter()
                .flatten()
                .map(|r| object(r).keys().cloned().collect::<Vec<_>>().join(" + "))
                .collect()
        };
        let (a, b) = (set(old), set(new));
        for removed in a.difference(&b) {
            self.push(
                Severity::Breaking,
                location,
                format!("security requirement `{removed}` removed"),
                "callers authenticating this way are refused: the facade sends a Cloud API key \
                 (`cloud-api-key`) or a bearer token (`confluent-sts-access-token`)",
            );
        }
        for added in b.difference(&a) {
            self.push(
                Severity::Additive,
                location,
                format!("security requirement `{added}` added"),
                "another way to authenticate; the ones that worked still do",
            );
        }
    }

    fn components(&mut self) {
        let (old, new) = (&self.old["components"], &self.new["components"]);
        let directions = schema_directions(self.new);
        let (a, b) = (object(&old["schemas"]), object(&new["schemas"]));
        for name in keys(&old["schemas"], &new["schemas"]) {
            let at = format!("components > schemas > {name}");
            match (a.get(&name), b.get(&name)) {
                (Some(_), None) => self.push(
                    Severity::Breaking,
                    &at,
                    "schema removed".to_string(),
                    "its generated type disappears",
                ),
                (None, Some(_)) => self.push(
                    Severity::Additive,
                    &at,
                    "schema added".to_string(),
                    "a new generated type; nothing that exists changes",
                ),
                (Some(x), Some(y)) => {
                    let direction = directions.get(&name).copied().unwrap_or(Direction::Both);
                    self.schema(&at, direction, x, y, 0);
                }
                (None, None) => {}
            }
        }
        let (a, b) = (
            object(&old["securitySchemes"]),
            object(&new["securitySchemes"]),
        );
        for name in keys(&old["securitySchemes"], &new["securitySchemes"]) {
            let at = format!("components > securitySchemes > {name}");
            match (a.get(&name), b.get(&name)) {
                (Some(_), None) => self.push(
                    Severity::Breaking,
                    &at,
                    "security scheme removed".to_string(),
                    "the facade authenticates with `cloud-api-key` (HTTP Basic) or a bearer \
                     token: check that one of them is still accepted",
                ),
                (None, Some(_)) => self.push(
                    Severity::Additive,
                    &at,
                    "security scheme added".to_string(),
                    "another way to authenticate; the facade offers it once it is wrapped there",
                ),
                (Some(x), Some(y)) => self.other_keys(&at, x, y, &[]),
                (None, None) => {}
            }
        }
        // Reusable responses, parameters, bodies, headers and examples generate nothing by
        // themselves: their uses are compared where they stand.
        for kind in keys(old, new) {
            if matches!(kind.as_str(), "schemas" | "securitySchemes") {
                continue;
            }
            let (a, b) = (object(&old[&kind]), object(&new[&kind]));
            for name in keys(&old[&kind], &new[&kind]) {
                let (p, q) = (a.get(&name), b.get(&name));
                if p == q || (p.is_some() && q.is_some()) {
                    continue;
                }
                self.push(
                    Severity::Documentation,
                    &format!("components > {kind}"),
                    format!("`{name}` {}", if q.is_some() { "added" } else { "removed" }),
                    "a reusable definition generates nothing by itself; where it is used, it is \
                     compared as if written there",
                );
            }
        }
    }
}

fn operation_label(old: &Operation<'_>, new: Option<&Operation<'_>>) -> String {
    let id = new
        .and_then(Operation::operation_id)
        .or_else(|| old.operation_id());
    match id {
        Some(id) => format!("{id} ({})", old.key()),
        None => old.key(),
    }
}

/// An operation's parameters by place and name: the path item's, overridden by the
/// operation's own. Parameters given by `$ref` are resolved; broken ones are left out (the
/// comparison of the references reports them).
fn parameters(root: &Value, op: &Operation<'_>) -> BTreeMap<(String, String), Value> {
    let mut found = BTreeMap::new();
    let own = op
        .node
        .get("parameters")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    for parameter in op.shared_parameters.iter().chain(own) {
        let Ok(parameter) = resolve(root, parameter) else {
            continue;
        };
        let field = |k: &str| parameter.get(k).and_then(Value::as_str).unwrap_or("?");
        found.insert(
            (field("in").to_string(), field("name").to_string()),
            parameter.clone(),
        );
    }
    found
}

fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.starts_with("application/json;")
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

/// For each schema component, whether the client reads it (responses), sends it (parameters,
/// request bodies) or both, following references between components.
fn schema_directions(root: &Value) -> BTreeMap<String, Direction> {
    let mut reads = BTreeSet::new();
    let mut sends = BTreeSet::new();
    for op in operations(root) {
        for parameter in op.shared_parameters {
            collect_schema_refs(root, parameter, &mut sends);
        }
        for key in ["parameters", "requestBody"] {
            collect_schema_refs(root, &op.node[key], &mut sends);
        }
        collect_schema_refs(root, &op.node["responses"], &mut reads);
    }
    let mut directions = BTreeMap::new();
    for name in reads.union(&sends) {
        let direction = match (reads.contains(name), sends.contains(name)) {
            (true, false) => Direction::Response,
            (false, true) => Direction::Request,
            _ => Direction::Both,
        };
        directions.insert(name.clone(), direction);
    }
    directions
}

/// Collects the schema components `node` uses, through references of any kind.
fn collect_schema_refs(root: &Value, node: &Value, found: &mut BTreeSet<String>) {
    let mut visited = BTreeSet::new();
    collect(root, node, found, &mut visited);

    fn collect(
        root: &Value,
        node: &Value,
        found: &mut BTreeSet<String>,
        visited: &mut BTreeSet<String>,
    ) {
        match node {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref")
                    && visited.insert(reference.clone())
                {
                    if let Some(name) = reference.strip_prefix("#/components/schemas/") {
                        found.insert(name.to_string());
                    }
                    if let Some(target) = reference.strip_prefix('#').and_then(|p| root.pointer(p))
                    {
                        collect(root, target, found, visited);
                    }
                }
                for child in map.values() {
                    collect(root, child, found, visited);
                }
            }
            Value::Array(items) => {
                for child in items {
                    collect(root, child, found, visited);
                }
            }
            _ => {}
        }
    }
}
