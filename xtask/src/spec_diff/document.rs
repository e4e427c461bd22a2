//! The document as a whole: its version, its list of operations, its security requirements and
//! its components. One operation is compared in [`super::operation`], its request body in
//! [`super::body`], its responses in [`super::responses`], and schemas in [`super::schema`].

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Differ, Direction, Severity, keys, object, presence};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of a document.
pub(super) struct Operation<'v> {
    pub(super) method: &'static str,
    pub(super) path: &'v str,
    pub(super) node: &'v Value,
    /// The path item's own parameters, which apply to each of its operations.
    pub(super) shared_parameters: &'v [Value],
}

impl Operation<'_> {
    pub(super) fn key(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }

    pub(super) fn operation_id(&self) -> Option<&str> {
        self.node.get("operationId").and_then(Value::as_str)
    }
}

pub(super) fn operations(root: &Value) -> Vec<Operation<'_>> {
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

    pub(super) fn version(&mut self) {
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
    pub(super) fn documentation_keys(&mut self, location: &str, old: &Value, new: &Value) {
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

    pub(super) fn operations(&mut self) {
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

    pub(super) fn security_requirements(&mut self, location: &str, old: &Value, new: &Value) {
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

    pub(super) fn components(&mut self) {
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

pub(super) fn operation_label(old: &Operation<'_>, new: Option<&Operation<'_>>) -> String {
    let id = new
        .and_then(Operation::operation_id)
        .or_else(|| old.operation_id());
    match id {
        Some(id) => format!("{id} ({})", old.key()),
        None => old.key(),
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
