//! What changed between two versions of the spec, and what each change means for the users of
//! the generated crate (`confluent-connect-api`) and the facade (`confluent-connect`).
//!
//! [`diff`] compares two OpenAPI documents (3.0, or 3.1 for the comparison only) and returns a
//! [`Report`]: every operation, parameter, request and response body, field, enum value, header,
//! schema component and security scheme that was added, removed or changed, each with a
//! [`Severity`] and the reason for it. `cargo xtask spec-diff OLD NEW` prints it.
//!
//! The classification follows what the generator makes of the spec (progenitor 0.15 with
//! positional methods, and the normalisation in `crates/codegen`):
//!
//! - **Breaking**: code that compiled against the old generated crate may stop compiling, or a
//!   released client may fail on answers that match the new spec. A removed field, operation or
//!   enum value; a changed type, format or constraint; a field that becomes required or
//!   optional (its generated type changes between `T` and `Option<T>`); a new required field; a
//!   new value of a closed `enum` (released clients cannot decode it); a new parameter (every
//!   parameter is an argument of the generated method); a renamed `operationId` or `title`
//!   (they name the generated methods and types); error bodies that start to differ (codegen
//!   then decodes them all as `serde_json::Value`); a spec the generator cannot read.
//! - **Additive**: new optional fields, operations, schema components, documented statuses and
//!   headers, and new values of an open enum (`x-extensible-enum`: a string in the generated
//!   code, and kept as `Other` by the facade).
//! - **Documentation only**: descriptions, examples, titles of values that name no type, tags,
//!   servers, `info`, vendor extensions.
//!
//! Anything spec-diff does not understand counts as breaking, with a reason that says to review
//! it by hand: a false alarm costs a look, a missed break costs users.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
};

use serde_json::{Map, Value};

/// How a change affects the users of the generated and facade crates. Ordered from least to
/// most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Nothing in the generated API or in what the service accepts and answers changes.
    Documentation,
    /// Something new that existing code does not notice.
    Additive,
    /// Existing code may stop compiling, or stop working against the service.
    Breaking,
}

impl Severity {
    /// The word used in the report: `breaking`, `additive` or `documentation only`.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Documentation => "documentation only",
            Severity::Additive => "additive",
            Severity::Breaking => "breaking",
        }
    }

    /// The version bump this severity calls for, for crates at `0.x` and from `1.0` on.
    pub fn version_bump(self) -> &'static str {
        match self {
            Severity::Documentation => "a patch release (0.x.y -> 0.x.y+1; from 1.0 on, the patch)",
            Severity::Additive => {
                "a compatible release: the patch while at 0.x (0.x.y -> 0.x.y+1), the minor from \
                 1.0 on"
            }
            Severity::Breaking => {
                "an incompatible release: the minor while at 0.x (0.x.y -> 0.x+1.0), the major \
                 from 1.0 on"
            }
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One difference between the two specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// How it affects users.
    pub severity: Severity,
    /// Where it is, e.g. ``getConnectv1ConnectorOffsets (GET /connect/...) > response 200 >
    /// body.metadata``.
    pub location: String,
    /// What changed, e.g. ``field `source` added (optional)``.
    pub what: String,
    /// Why it has this severity, in terms of the generated code and the facade.
    pub why: String,
}

impl fmt::Display for Change {
    /// `severity: location: what`, without the reason.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.severity, self.location, self.what)
    }
}

/// Every change between two specs, the most severe first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// The changes, breaking first, then additive, then documentation only; in the order of
    /// the documents within each.
    pub changes: Vec<Change>,
}

impl Report {
    /// The most severe change, or `None` when the specs say the same.
    pub fn severity(&self) -> Option<Severity> {
        self.changes.iter().map(|c| c.severity).max()
    }

    /// Whether any change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.severity() == Some(Severity::Breaking)
    }

    /// Each change as `severity: location: what`, in report order.
    pub fn lines(&self) -> Vec<String> {
        self.changes.iter().map(Change::to_string).collect()
    }

    /// The report as `cargo xtask spec-diff` prints it: a summary line, the changes grouped by
    /// severity with their reasons, and the version bump they call for.
    pub fn render(&self, old_name: &str, new_name: &str) -> String {
        let mut out = String::new();
        let count = |s: Severity| self.changes.iter().filter(|c| c.severity == s).count();
        if self.changes.is_empty() {
            out.push_str(&format!(
                "{old_name} -> {new_name}: no changes to operations, schemas or documentation.\n"
            ));
            return out;
        }
        out.push_str(&format!(
            "{old_name} -> {new_name}: {} change{} ({} breaking, {} additive, {} documentation only)\n",
            self.changes.len(),
            if self.changes.len() == 1 { "" } else { "s" },
            count(Severity::Breaking),
            count(Severity::Additive),
            count(Severity::Documentation),
        ));
        for severity in [
            Severity::Breaking,
            Severity::Additive,
            Severity::Documentation,
        ] {
            let group: Vec<&Change> = self
                .changes
                .iter()
                .filter(|c| c.severity == severity)
                .collect();
            if group.is_empty() {
                continue;
            }
            let mut heading = severity.label().to_string();
            heading[..1].make_ascii_uppercase();
            out.push_str(&format!("\n{heading} ({}):\n", group.len()));
            for change in group {
                out.push_str(&format!(
                    "  - {}: {}\n      {}\n",
                    change.location, change.what, change.why
                ));
            }
        }
        if let Some(severity) = self.severity() {
            out.push_str(&format!(
                "\nVerdict: {severity}. Release it as {}, with the changes users see in \
                 CHANGELOG.md (MAINTAINING.md).\n",
                severity.version_bump()
            ));
        }
        out
    }
}

/// Compares two specs given as YAML (or JSON) text.
///
/// Fails, with a message naming `OLD` or `NEW`, only when a text is not YAML or not an OpenAPI
/// 3.x document with `paths`. A spec that codegen would refuse (OpenAPI 3.1, a broken `$ref`, an
/// operation without `operationId`) is compared, and the change that makes it unusable is
/// reported as breaking.
pub fn diff(old_text: &str, new_text: &str) -> Result<Report, String> {
    let old = load(old_text).map_err(|e| format!("OLD: {e}"))?;
    let new = load(new_text).map_err(|e| format!("NEW: {e}"))?;
    let mut differ = Differ {
        old: &old,
        new: &new,
        changes: Vec::new(),
        comparing: BTreeSet::new(),
    };
    differ.document();
    let mut changes = differ.changes;
    // Stable: the documents' order is kept within each severity.
    changes.sort_by_key(|c| std::cmp::Reverse(c.severity));
    Ok(Report { changes })
}

fn load(text: &str) -> Result<Value, String> {
    let value: Value =
        serde_norway::from_str(text).map_err(|e| format!("the text is not YAML or JSON: {e}"))?;
    let version = value.get("openapi").and_then(Value::as_str).ok_or(
        "no `openapi` version field: this is not an OpenAPI 3 document (Swagger 2.0 is not read)",
    )?;
    if !version.starts_with("3.") {
        return Err(format!(
            "`openapi: {version}`: spec-diff reads OpenAPI 3.0 and 3.1 documents"
        ));
    }
    if !value.get("paths").is_some_and(Value::is_object) {
        return Err("no `paths` mapping: this is not an OpenAPI document".to_string());
    }
    Ok(value)
}

/// Whether a schema is read by the client (in a response), sent by it (in a request), or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Request,
    Response,
    Both,
}

impl Direction {
    fn reads(self) -> bool {
        matches!(self, Direction::Response | Direction::Both)
    }

    fn sends(self) -> bool {
        matches!(self, Direction::Request | Direction::Both)
    }
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keys whose changes are documentation only, wherever they stand.
const DOC_KEYS: [&str; 9] = [
    "description",
    "summary",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
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

/// How deep schemas are compared; deeper than any real spec, and a bound against cycles of
/// inline schemas (cycles through `$ref` are cut sooner, by `comparing`).
const MAX_DEPTH: usize = 64;

fn is_doc_key(key: &str) -> bool {
    DOC_KEYS.contains(&key) || (key.starts_with("x-") && key != "x-extensible-enum")
}

struct Differ<'a> {
    old: &'a Value,
    new: &'a Value,
    changes: Vec<Change>,
    /// Pairs of `$ref`s being compared, to stop at recursive schemas.
    comparing: BTreeSet<(String, String)>,
}

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

fn object(value: &Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap_or_default()
}

/// A short, one-line rendering of a JSON value for messages.
fn show(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// Follows a chain of local `$ref`s to what it names. `Err` carries the reference that does
/// not resolve.
fn resolve<'v>(root: &'v Value, node: &'v Value) -> Result<&'v Value, String> {
    let mut current = node;
    for _ in 0..16 {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
            return Ok(current);
        };
        current = reference
            .strip_prefix('#')
            .and_then(|pointer| root.pointer(pointer))
            .ok_or_else(|| reference.to_string())?;
    }
    Err(node
        .get("$ref")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string())
}

fn reference(node: &Value) -> Option<&str> {
    node.get("$ref").and_then(Value::as_str)
}

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
    fn push(&mut self, severity: Severity, location: &str, what: String, why: &str) {
        self.changes.push(Change {
            severity,
            location: location.to_string(),
            what,
            why: why.to_string(),
        });
    }

    fn document(&mut self) {
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

    fn unknown(&mut self, location: &str, key: &str, old: Option<&Value>, new: Option<&Value>) {
        self.push(
            Severity::Breaking,
            location,
            presence(key, old, new),
            "spec-diff does not know what this means for the generated code: review the \
             snapshot diff of `cargo xtask codegen` by hand, and teach spec-diff the rule",
        );
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
        for key in keys(old, new) {
            let (a, b) = (old.get(&key), new.get(&key));
            if matches!(key.as_str(), "name" | "in" | "required" | "schema") || a == b {
                continue;
            }
            if is_doc_key(&key) {
                self.push(
                    Severity::Documentation,
                    location,
                    presence(&key, a, b),
                    "documentation: the generated code does not depend on it",
                );
            } else {
                self.unknown(location, &key, a, b);
            }
        }
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
        for key in keys(old, new) {
            let (a, b) = (old.get(&key), new.get(&key));
            if matches!(key.as_str(), "required" | "content") || a == b {
                continue;
            }
            if is_doc_key(&key) {
                self.push(
                    Severity::Documentation,
                    &location,
                    presence(&key, a, b),
                    "documentation: the generated code does not depend on it",
                );
            } else {
                self.unknown(&location, &key, a, b);
            }
        }
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
                    for key in keys(x, y) {
                        let (p, q) = (x.get(&key), y.get(&key));
                        if key == "schema" || p == q {
                            continue;
                        }
                        if is_doc_key(&key) {
                            self.push(
                                Severity::Documentation,
                                &at,
                                presence(&key, p, q),
                                "documentation: the generated code does not depend on it",
                            );
                        } else {
                            self.unknown(&at, &key, p, q);
                        }
                    }
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
        for key in keys(old, new) {
            let (a, b) = (old.get(&key), new.get(&key));
            if matches!(key.as_str(), "content" | "headers") || a == b {
                continue;
            }
            if is_doc_key(&key) || key == "links" {
                self.push(
                    Severity::Documentation,
                    location,
                    presence(&key, a, b),
                    "documentation: the generated code does not depend on it",
                );
            } else {
                self.unknown(location, &key, a, b);
            }
        }
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
                (Some(x), Some(y)) => {
                    for key in keys(x, y) {
                        let (p, q) = (x.get(&key), y.get(&key));
                        if p == q {
                            continue;
                        }
                        if is_doc_key(&key) {
                            self.push(
                                Severity::Documentation,
                                &at,
                                presence(&key, p, q),
                                "documentation: the generated code does not depend on it",
                            );
                        } else {
                            self.unknown(&at, &key, p, q);
                        }
                    }
                }
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

    fn broken(&mut self, location: &str, reference: &str) {
        self.push(
            Severity::Breaking,
            location,
            format!("`$ref: {reference}` does not resolve"),
            "codegen refuses a spec with a reference that points at nothing: fix the reference \
             or add the definition",
        );
    }

    /// Compares two schemas found at the same place, read or sent by the client as
    /// `direction` says.
    fn schema(&mut self, at: &str, direction: Direction, old: &Value, new: &Value, depth: usize) {
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

/// `key added (value)`, `key removed (was value)` or `key changed from a to b`; descriptions
/// are not quoted, only said to have changed.
fn presence(key: &str, old: Option<&Value>, new: Option<&Value>) -> String {
    let quote = !matches!(key, "description" | "summary");
    match (old, new) {
        (None, Some(b)) if quote => format!("`{key}` added ({})", show(b)),
        (Some(a), None) if quote => format!("`{key}` removed (was {})", show(a)),
        (Some(a), Some(b)) if quote => format!("`{key}` changed from {} to {}", show(a), show(b)),
        (None, _) => format!("`{key}` added"),
        (_, None) => format!("`{key}` removed"),
        _ => format!("`{key}` changed"),
    }
}

/// The keys of two mappings: the old one's, then the new ones, each once.
fn keys(old: &Value, new: &Value) -> Vec<String> {
    let mut all: Vec<String> = old
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.clone())
        .collect();
    for key in new.as_object().into_iter().flatten().map(|(k, _)| k) {
        if !all.contains(key) {
            all.push(key.clone());
        }
    }
    all
}

fn new_or_null(value: &Value, key: &str) -> Value {
    value.get(key).cloned().unwrap_or(Value::Null)
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
