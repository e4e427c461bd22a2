//! Readable names for the schemas that a spec generator flattened out of operations.
//!
//! Confluent's SDK specs are written by openapi-generator, which moves every inline schema into
//! `components/schemas` under a placeholder name: `inline_object` for a request body,
//! `inline_response_200_1` for the second distinct answer with status 200, and
//! `inline_response_200_1_connector` for a property of that one. typify names types after
//! component keys, so the generated client would have `InlineResponse2001`. [`name`] renames
//! each such schema after its use, as progenitor names inline schemas, and rewrites every
//! `$ref` to it:
//!
//! - the body of one operation's request: `<OperationId>Body`;
//! - the body of one operation's success answer: `<OperationId>Response`, or, as the items of
//!   an array answer, `<OperationId>ResponseItem`;
//! - the body of one operation's error answer with status `S`: `<OperationId>Error<S>`, and of
//!   the error answers with status `S` of several operations: `Error<S>`;
//! - a property schema flattened out of one of these (`<placeholder>_<property>`) keeps its
//!   suffix after the new name (`ReadConnectv1ConnectorStatusResponse_connector`, the type
//!   `ReadConnectv1ConnectorStatusResponseConnector`).
//!
//! A placeholder used in other ways (by several operations' successes, only from other schemas)
//! or whose new name is already taken keeps its name. Each renamed schema records its
//! placeholder under [`FLATTENED_NAME`], which the normalised spec's snapshot shows.

use std::collections::{BTreeMap, BTreeSet};

use serde_norway::Value;

/// The schema extension that records the placeholder name of a renamed schema.
pub const FLATTENED_NAME: &str = "x-codegen-flattened-name";

const SCHEMAS: &str = "#/components/schemas/";

/// Renames the placeholder schemas of `spec` (an OpenAPI document; an operation without
/// `operationId` is named as the normalisation names it), as the module documentation says. Returns the renames,
/// placeholder first.
pub fn name(spec: &mut Value) -> Vec<(String, String)> {
    let Some(schemas) = spec
        .get("components")
        .and_then(|c| c.get("schemas"))
        .and_then(Value::as_mapping)
    else {
        return Vec::new();
    };
    let keys: Vec<String> = schemas
        .keys()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let roots: Vec<&String> = keys.iter().filter(|k| is_placeholder(k)).collect();
    if roots.is_empty() {
        return Vec::new();
    }

    let uses = uses(spec);
    let mut taken: BTreeSet<String> = keys.iter().cloned().collect();
    let mut renames = Vec::new();
    for root in roots {
        let Some(new_root) = uses.get(root.as_str()).and_then(chosen_name) else {
            continue;
        };
        let family: Vec<(String, String)> = keys
            .iter()
            .filter(|k| *k == root || nested_root(k, &keys) == Some(root.as_str()))
            .map(|k| (k.clone(), format!("{new_root}{}", &k[root.len()..])))
            .collect();
        if family.iter().any(|(_, new)| taken.contains(new)) {
            continue;
        }
        for (old, new) in family {
            taken.insert(new.clone());
            renames.push((old, new));
        }
    }
    if renames.is_empty() {
        return renames;
    }

    let map: BTreeMap<String, String> = renames
        .iter()
        .map(|(old, new)| (format!("{SCHEMAS}{old}"), format!("{SCHEMAS}{new}")))
        .collect();
    rewrite_references(spec, &map);
    if let Some(Value::Mapping(schemas)) = spec
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
    {
        let entries = std::mem::take(schemas);
        for (key, mut schema) in entries {
            match renames
                .iter()
                .find(|(old, _)| key.as_str() == Some(old.as_str()))
            {
                Some((old, new)) => {
                    if let Value::Mapping(fields) = &mut schema {
                        fields.insert(Value::from(FLATTENED_NAME), Value::from(old.as_str()));
                    }
                    schemas.insert(Value::from(new.as_str()), schema);
                }
                None => {
                    schemas.insert(key, schema);
                }
            }
        }
    }
    renames
}

/// `inline_object`, `inline_response_200`, with `_<number>` suffixes: the names
/// openapi-generator gives the schemas it moves out of operations.
fn is_placeholder(key: &str) -> bool {
    let rest = if let Some(rest) = key.strip_prefix("inline_object") {
        rest
    } else if let Some(rest) = key.strip_prefix("inline_response_") {
        let status = rest.get(..3).unwrap_or_default();
        if status.len() != 3 || !status.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        &rest[3..]
    } else {
        return false;
    };
    rest.split('_')
        .skip(1)
        .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && (rest.is_empty() || rest.starts_with('_'))
}

/// The placeholder `key` was flattened out of (`inline_response_200_1` for
/// `inline_response_200_1_connector`): the longest placeholder key followed by `_` and a letter.
fn nested_root<'a>(key: &str, keys: &'a [String]) -> Option<&'a str> {
    keys.iter()
        .filter(|root| is_placeholder(root))
        .filter(|root| {
            key.strip_prefix(root.as_str())
                .and_then(|rest| rest.strip_prefix('_'))
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()))
        })
        .max_by_key(|root| root.len())
        .map(String::as_str)
}

/// One use of a schema as the whole body of an operation's request or answer.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Use {
    Body { operation: String },
    Success { operation: String, item: bool },
    Error { operation: String, status: String },
}

/// For each schema component, its uses as a whole body (or as the items of an array body).
fn uses(spec: &Value) -> BTreeMap<String, BTreeSet<Use>> {
    let mut found: BTreeMap<String, BTreeSet<Use>> = BTreeMap::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_mapping) else {
        return found;
    };
    for (path, item) in paths {
        let (Some(path), Some(item)) = (path.as_str(), item.as_mapping()) else {
            continue;
        };
        for (method, operation) in item {
            let Some(method) = method
                .as_str()
                .filter(|m| crate::normalize::METHODS.contains(m))
            else {
                continue;
            };
            let id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .map_or_else(
                    || crate::normalize::derived_operation_id(method, path),
                    str::to_owned,
                );
            let operation_name = crate::normalize::upper_first(&id);
            if let Some(content) = operation
                .get("requestBody")
                .map(|body| follow(spec, body, "requestBodies"))
                .and_then(|body| body.get("content"))
            {
                for (name, _) in schema_references(content) {
                    found.entry(name).or_default().insert(Use::Body {
                        operation: operation_name.clone(),
                    });
                }
            }
            let Some(responses) = operation.get("responses").and_then(Value::as_mapping) else {
                continue;
            };
            for (status, response) in responses {
                let status = status.as_str().unwrap_or_default().to_owned();
                let Some(content) = follow(spec, response, "responses").get("content") else {
                    continue;
                };
                for (name, item) in schema_references(content) {
                    let used = if status.starts_with('2') {
                        Use::Success {
                            operation: operation_name.clone(),
                            item,
                        }
                    } else {
                        Use::Error {
                            operation: operation_name.clone(),
                            status: status.clone(),
                        }
                    };
                    found.entry(name).or_default().insert(used);
                }
            }
        }
    }
    found
}

/// `node`, or the component of `section` it refers to (one step: the normalisation refuses
/// longer chains later, with the operation named).
fn follow<'a>(spec: &'a Value, node: &'a Value, section: &str) -> &'a Value {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix(&format!("#/components/{section}/")))
        .and_then(|name| spec.get("components")?.get(section)?.get(name))
        .unwrap_or(node)
}

/// The schema components that the media types of `content` are, or whose arrays they are
/// (`true`).
fn schema_references(content: &Value) -> Vec<(String, bool)> {
    let mut names = Vec::new();
    for media in content.as_mapping().into_iter().flat_map(|c| c.values()) {
        let Some(schema) = media.get("schema") else {
            continue;
        };
        let (target, item) = match schema.get("items") {
            Some(items) if schema.get("$ref").is_none() => (items, true),
            _ => (schema, false),
        };
        if let Some(name) = target
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix(SCHEMAS))
        {
            names.push((name.to_string(), item));
        }
    }
    names
}

/// The name the uses of a placeholder call for, if they agree on one.
fn chosen_name(uses: &BTreeSet<Use>) -> Option<String> {
    let names: BTreeSet<String> = uses
        .iter()
        .map(|used| match used {
            Use::Body { operation } => format!("{operation}Body"),
            Use::Success {
                operation,
                item: false,
            } => format!("{operation}Response"),
            Use::Success {
                operation,
                item: true,
            } => format!("{operation}ResponseItem"),
            Use::Error { operation, status } => format!("{operation}Error{status}"),
        })
        .collect();
    if names.len() == 1 {
        return names.into_iter().next();
    }
    let statuses: BTreeSet<&String> = uses
        .iter()
        .map(|used| match used {
            Use::Error { status, .. } => Some(status),
            _ => None,
        })
        .collect::<Option<_>>()?;
    match statuses.into_iter().collect::<Vec<_>>().as_slice() {
        [status] => Some(format!("Error{status}")),
        _ => None,
    }
}

fn rewrite_references(node: &mut Value, map: &BTreeMap<String, String>) {
    match node {
        Value::Mapping(fields) => {
            for (key, value) in fields.iter_mut() {
                match value {
                    Value::String(reference) if key.as_str() == Some("$ref") => {
                        if let Some(new) = map.get(reference.as_str()) {
                            *reference = new.clone();
                        }
                    }
                    _ => rewrite_references(value, map),
                }
            }
        }
        Value::Sequence(items) => items
            .iter_mut()
            .for_each(|item| rewrite_references(item, map)),
        _ => {}
    }
}
