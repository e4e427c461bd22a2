//! `cargo xtask import-spec`: rebuilds `openapi/connect-v1.yaml` from Confluent's published
//! Connect v1 spec.
//!
//! Confluent publishes the Connect v1 API twice: in its API reference (one operation at a time,
//! schemas inline) and as the whole document its SDKs are generated from (schemas flattened into
//! `components`, with generator names like `inline_response_200_1`). The workspace's spec takes
//! the operations of the tag "Offsets (connect/v1)" from the API reference (the GET of the
//! offsets is that fragment verbatim) and every other operation, with the components they refer
//! to, from the published document. [`import`] does the second half again whenever Confluent
//! publishes a new version, keeping the first half and what the workspace adds around the
//! operations (`openapi`, `info`, `servers`, the security schemes' descriptions) as they are.

use serde_norway::{Mapping, Value};

/// The tag whose operations come from Confluent's API reference and are kept as they are.
pub const KEPT_TAG: &str = "Offsets (connect/v1)";

/// The sections of `components` that are taken from the published document.
const COMPONENT_SECTIONS: [&str; 6] = [
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
];

/// Rebuilds the workspace's spec from `ours` (its current text) and `published` (Confluent's
/// whole Connect v1 document), both YAML or JSON.
///
/// The result has, in this order: `openapi`, `info` and `servers` of `ours`, as written; the
/// `tags` of `published`; in `paths`, first every path of `ours` whose operations are tagged
/// [`KEPT_TAG`], as written, then every other path of `published`, in its order; in
/// `components`, the definitions of `published` that those imported paths refer to, directly
/// or through other definitions, and those of `ours` that the kept paths refer to; every
/// security scheme of both (for a name both define, ours: the workspace's security schemes say
/// more than the published ones). The kept operations
/// carry their schemas inline, so the published copies of those (`connect.v1.ConnectorOffsets`
/// ...) stay out unless an imported operation uses them. Importing the same document twice
/// gives the same text.
///
/// # Errors
///
/// A document that is not YAML, has no `paths`, or publishes one of the kept operations (same
/// method and path) under another tag, which would mean Confluent moved the operation and the
/// rule above must be revisited.
pub fn import(ours: &str, published: &str) -> Result<String, String> {
    let our_document: Value =
        serde_norway::from_str(ours).map_err(|e| format!("the workspace's spec: {e}"))?;
    let published: Value =
        serde_norway::from_str(published).map_err(|e| format!("the published spec: {e}"))?;
    let our_paths = mapping(&our_document, "paths", "the workspace's spec")?;
    let published_paths = mapping(&published, "paths", "the published spec")?;

    // The kept operations: every path of ours with an operation of the kept tag.
    let mut kept = Vec::new();
    for (path, item) in our_paths {
        let methods: Vec<&Value> = item
            .as_mapping()
            .map(|item| {
                item.iter()
                    .filter(|(k, _)| is_method(k))
                    .map(|(_, op)| op)
                    .collect()
            })
            .unwrap_or_default();
        let tagged = methods.iter().filter(|op| has_tag(op, KEPT_TAG)).count();
        if tagged == 0 {
            continue;
        }
        let path = path.as_str().unwrap_or_default();
        if tagged != methods.len() {
            return Err(format!(
                "the workspace's spec has operations of \"{KEPT_TAG}\" and of other tags on \
                 {path}: a path is kept or imported whole"
            ));
        }
        kept.push(path.to_owned());
    }

    let mut imported = Mapping::new();
    for (path, item) in published_paths {
        let name = path.as_str().unwrap_or_default();
        if kept.iter().any(|k| k == name) {
            if let Some(item) = item.as_mapping() {
                for (method, operation) in item.iter().filter(|(k, _)| is_method(k)) {
                    if !has_tag(operation, KEPT_TAG) {
                        return Err(format!(
                            "the published spec has {} {name} under tags {:?}, but the workspace \
                             keeps that path as \"{KEPT_TAG}\" from Confluent's API reference: \
                             see MAINTAINING.md, \"Importing Confluent's spec\"",
                            method.as_str().unwrap_or_default().to_uppercase(),
                            tags(operation)
                        ));
                    }
                }
            }
            continue;
        }
        imported.insert(path.clone(), item.clone());
    }

    // The components each side's operations use, directly or through others.
    let published_uses = closure(&published, &Value::Mapping(imported.clone()), "published")?;
    let mut kept_items = Mapping::new();
    for path in &kept {
        if let Some(item) = our_paths.get(path.as_str()) {
            kept_items.insert(Value::from(path.as_str()), item.clone());
        }
    }
    let our_uses = closure(&our_document, &Value::Mapping(kept_items), "workspace's")?;

    let mut components = Mapping::new();
    let our_components = our_document.get("components").and_then(Value::as_mapping);
    let published_components = published.get("components").and_then(Value::as_mapping);
    for section in COMPONENT_SECTIONS {
        let mut merged = Mapping::new();
        for (side, uses) in [
            (published_components, &published_uses),
            (our_components, &our_uses),
        ] {
            let Some(Value::Mapping(definitions)) = side.and_then(|c| c.get(section)) else {
                continue;
            };
            for (name, definition) in definitions {
                let reference = format!(
                    "#/components/{section}/{}",
                    name.as_str().unwrap_or_default()
                );
                if section == "securitySchemes" || uses.contains(&reference) {
                    merged.insert(name.clone(), definition.clone());
                }
            }
        }
        if !merged.is_empty() {
            components.insert(Value::from(section), Value::Mapping(merged));
        }
    }

    // Ours is copied as text where it is kept, so that the API reference's operations stay
    // exactly as written (a re-serialised YAML would, for one, unquote timestamps in examples).
    let blocks = top_level_blocks(ours);
    let mut out = String::new();
    for key in ["openapi", "info", "servers"] {
        if let Some(text) = blocks.iter().find(|(k, _)| k == key).map(|(_, t)| t) {
            out.push_str(text);
        }
    }
    if let Some(value) = published.get("tags") {
        out.push_str(&emit("tags", value)?);
    }
    out.push_str("paths:\n");
    let our_path_blocks = blocks
        .iter()
        .find(|(k, _)| k == "paths")
        .map(|(_, text)| path_blocks(text))
        .unwrap_or_default();
    for path in &kept {
        let text = our_path_blocks
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, text)| text)
            .ok_or_else(|| {
                format!("the workspace's spec: cannot find the text of the path {path}")
            })?;
        out.push_str(text);
    }
    if !imported.is_empty() {
        let text = serde_norway::to_string(&Value::Mapping(imported)).map_err(|e| e.to_string())?;
        for line in text.lines() {
            out.push_str("  ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(&emit("components", &Value::Mapping(components))?);
    Ok(out)
}

/// Every `$ref` that `node` makes, directly or through what it refers to in `document`.
fn closure(document: &Value, node: &Value, side: &str) -> Result<Vec<String>, String> {
    let mut used = Vec::new();
    let mut pending = Vec::new();
    collect_references(node, &mut pending);
    while let Some(reference) = pending.pop() {
        if used.contains(&reference) {
            continue;
        }
        let definition = resolve(document, &reference)
            .ok_or_else(|| format!("the {side} spec: `$ref: {reference}` does not resolve"))?;
        collect_references(definition, &mut pending);
        used.push(reference);
    }
    Ok(used)
}

/// Every `$ref` under `node`.
fn collect_references(node: &Value, into: &mut Vec<String>) {
    match node {
        Value::Mapping(entries) => {
            for (key, value) in entries {
                match (key.as_str(), value.as_str()) {
                    (Some("$ref"), Some(reference)) => into.push(reference.to_owned()),
                    _ => collect_references(value, into),
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|item| collect_references(item, into)),
        _ => {}
    }
}

/// What a local `$ref` (`#/a/b/c`) points to in `document`.
fn resolve<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
    reference
        .strip_prefix("#/")?
        .split('/')
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .try_fold(document, |node, token| node.get(token.as_str()))
}

/// `key:` and `value` as one top-level YAML entry.
fn emit(key: &str, value: &Value) -> Result<String, String> {
    let mut entry = Mapping::new();
    entry.insert(Value::from(key), value.clone());
    serde_norway::to_string(&Value::Mapping(entry)).map_err(|e| e.to_string())
}

/// The top-level entries of a block-style YAML document, each as its key and its text (the
/// key's line and every line up to the next key).
fn top_level_blocks(text: &str) -> Vec<(String, String)> {
    split_blocks(text, "")
}

/// The entries of a `paths:` block, each as the path and its text.
fn path_blocks(text: &str) -> Vec<(String, String)> {
    split_blocks(text, "  ")
        .into_iter()
        .map(|(key, text)| (key.trim_matches(['\'', '"']).to_owned(), text))
        .collect()
}

/// Splits `text` at the lines that are a mapping key at the indentation `indent`.
fn split_blocks(text: &str, indent: &str) -> Vec<(String, String)> {
    let mut blocks: Vec<(String, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        let key = line
            .strip_prefix(indent)
            .filter(|rest| rest.starts_with(|c: char| !c.is_whitespace() && c != '-' && c != '#'));
        match key.and_then(|rest| rest.split_once(':')) {
            Some((key, _)) => blocks.push((key.to_owned(), line.to_owned())),
            None => {
                if let Some((_, block)) = blocks.last_mut() {
                    block.push_str(line);
                }
            }
        }
    }
    blocks
}

fn mapping<'a>(document: &'a Value, key: &str, what: &str) -> Result<&'a Mapping, String> {
    document
        .get(key)
        .and_then(Value::as_mapping)
        .ok_or_else(|| format!("{what} has no `{key}`"))
}

fn is_method(key: &Value) -> bool {
    matches!(
        key.as_str(),
        Some("get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace")
    )
}

fn tags(operation: &Value) -> Vec<String> {
    operation
        .get("tags")
        .and_then(Value::as_sequence)
        .map(|tags| {
            tags.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn has_tag(operation: &Value, tag: &str) -> bool {
    tags(operation).iter().any(|t| t == tag)
}
