//! One operation: its parameters, then (through [`super::body`] and [`super::responses`]) its
//! request body and responses.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Differ, Direction, Severity, is_doc_key, keys, new_or_null, presence, resolve};

use super::document::{Operation, operation_label};

impl Differ<'_> {
    pub(super) fn operation(&mut self, old: &Operation<'_>, new: &Operation<'_>) {
        let label = operation_label(old, Some(new));
        // An operation without `operationId` is named by codegen from its method and path.
        let effective = |op: &Operation<'_>| {
            op.operation_id()
                .map(str::to_owned)
                .unwrap_or_else(|| codegen::normalize::derived_operation_id(op.method, op.path))
        };
        let (a, b) = (effective(old), effective(new));
        let shown = |op: &Operation<'_>, id: &str| match op.operation_id() {
            Some(_) => id.to_string(),
            None => format!("(none: codegen derives {id})"),
        };
        if old.operation_id() != new.operation_id() {
            let change = format!(
                "`operationId` changed from {} to {}",
                shown(old, &a),
                shown(new, &b)
            );
            if codegen::method_name(&a) == codegen::method_name(&b) {
                self.push(
                    Severity::Documentation,
                    &label,
                    change,
                    "the generated method keeps its name",
                );
            } else {
                self.push(
                    Severity::Breaking,
                    &label,
                    change,
                    &format!(
                        "the generated method is renamed from `{}` to `{}`",
                        codegen::method_name(&a),
                        codegen::method_name(&b)
                    ),
                );
            }
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

    pub(super) fn parameters(&mut self, label: &str, old: &Operation<'_>, new: &Operation<'_>) {
        let old_params = parameters(self.old, old);
        let new_params = parameters(self.new, new);
        for ((place, name), a) in &old_params {
            let location = format!("{label} > parameter `{name}` (in {place})");
            match new_params.get(&(place.clone(), name.clone())) {
                None => self.push(
                    Severity::Breaking,
                    &location,
                    "parameter removed".to_string(),
                    "the operation's generated builder loses the parameter's setter: every \
                     call to it stops compiling",
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
            if required {
                self.push(
                    Severity::Breaking,
                    &location,
                    "parameter added (required)".to_string(),
                    "callers must set it on the operation's builder: until they do, `send()` \
                     fails with \"... was not initialized\" (the code still compiles, so no \
                     API check sees it)",
                );
            } else {
                self.push(
                    Severity::Additive,
                    &location,
                    "parameter added (optional)".to_string(),
                    "a new setter on the operation's generated builder; requests that do not \
                     set it are sent as before",
                );
            }
        }
    }

    pub(super) fn parameter(&mut self, location: &str, old: &Value, new: &Value) {
        let required = |v: &Value| v.get("required") == Some(&Value::Bool(true));
        if required(new) && !required(old) {
            self.push(
                Severity::Breaking,
                location,
                "now required".to_string(),
                "callers that do not set it on the operation's builder fail at `send()` (the \
                 code still compiles, so no API check sees it)",
            );
        } else if required(old) && !required(new) {
            self.push(
                Severity::Additive,
                location,
                "no longer required".to_string(),
                "the builder's setter takes the same value; requests may now leave it out",
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
