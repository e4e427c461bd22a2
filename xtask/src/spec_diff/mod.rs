//! What changed between two versions of the spec, and what each change means for the users of
//! the generated crate (`confluent-connect-api`) and the facade (`confluent-connect`).
//!
//! [`diff`] compares two OpenAPI documents (3.0, or 3.1 for the comparison only) and returns a
//! [`Report`]: every operation, parameter, request and response body, field, enum value, header,
//! schema component and security scheme that was added, removed or changed, each with a
//! [`Severity`] and the reason for it. `cargo xtask spec-diff OLD NEW` prints it.
//!
//! The classification follows what the generator makes of the spec (progenitor 0.15 with
//! builder methods and `#[non_exhaustive]` types, and the normalisation in `crates/codegen`):
//!
//! - **Breaking**: code that compiled against the old generated crate may stop compiling, or a
//!   released client may fail on answers that match the new spec. A removed field, operation or
//!   enum value; a changed type, format or constraint; a field that becomes required or
//!   optional (its generated type changes between `T` and `Option<T>`); a new required field; a
//!   new value of a closed `enum` (released clients cannot decode it); a new required parameter
//!   (a call that does not set it fails at `send()`); a renamed `operationId` or `title`
//!   (they name the generated methods and types); error bodies that start to differ (codegen
//!   then decodes them all as `serde_json::Value`); a spec the generator cannot read.
//! - **Additive**: new optional fields and parameters, operations, schema components,
//!   documented statuses and headers, and new values of an open enum (`x-extensible-enum`: a string in the generated
//!   code, and kept as `Other` by the facade).
//! - **Documentation only**: descriptions, examples, titles of values that name no type, tags,
//!   servers, `info`, vendor extensions.
//!
//! Anything spec-diff does not understand counts as breaking, with a reason that says to review
//! it by hand: a false alarm costs a look, a missed break costs users.

use std::{collections::BTreeSet, fmt};

use serde_json::{Map, Value};

mod body;
mod document;
mod operation;
mod responses;
mod schema;

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

/// Keys whose changes are documentation only, wherever they stand.
const DOC_KEYS: [&str; 10] = [
    "description",
    "links",
    "summary",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
];

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

impl Differ<'_> {
    /// Reports a change that spec-diff has no rule for, as breaking.
    fn unknown(&mut self, location: &str, key: &str, old: Option<&Value>, new: Option<&Value>) {
        self.push(
            Severity::Breaking,
            location,
            presence(key, old, new),
            "spec-diff does not know what this means for the generated code: review the \
             snapshot diff of `cargo xtask codegen` by hand, and teach spec-diff the rule",
        );
    }

    /// Reports each key of two mappings that differs and is not in `handled` (those are
    /// compared by the caller): documentation as documentation only, anything else as not
    /// understood.
    fn other_keys(&mut self, location: &str, old: &Value, new: &Value, handled: &[&str]) {
        for key in keys(old, new) {
            let (a, b) = (old.get(&key), new.get(&key));
            if handled.contains(&key.as_str()) || a == b {
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

    fn push(&mut self, severity: Severity, location: &str, what: String, why: &str) {
        self.changes.push(Change {
            severity,
            location: location.to_string(),
            what,
            why: why.to_string(),
        });
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
