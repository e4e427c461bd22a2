//! Parsing and normalisation: from spec text to an `OpenAPI` value that progenitor 0.15 can
//! generate from without panicking and without silently misnaming types.
//!
//! Each step repairs one class of construct, wherever it stands in the spec (answers, request
//! bodies, parameters, components), so the same code keeps working as the spec grows into
//! further operations:
//!
//! - every local `$ref` must resolve (checked before anything else, with its location);
//! - `$ref`s to `components/responses` are replaced by the response they name, because
//!   progenitor compares response bodies before it follows such references;
//! - a `default` response beside explicit success codes becomes the `4XX` and `5XX` ranges,
//!   because progenitor counts `default` among both the successes and the errors;
//! - a JSON media type without a schema gets the schema "any JSON value";
//! - the error responses of an operation are brought to one kind: when some carry a JSON body,
//!   the body-less or non-JSON ones are left out (the generated client then returns them as
//!   `Error::UnexpectedResponse`, which keeps the status, the headers and the body); when the
//!   JSON bodies differ, they all become "any JSON value", which keeps every body whole;
//! - an inline error schema without a `title` gets one (`<OperationId>Error`), so that its
//!   type is not named after the success type;
//! - vendor extensions on `format: date-time` strings are dropped, so that the date-time
//!   conversion in the generator settings recognises every such string;
//! - one policy for string formats: `date-time` is whatever JSON the service wrote (the
//!   generator settings), `binary` and `byte` are left to progenitor (octet-stream bodies), and
//!   every other format is a plain `String`: typify would make `date` a `chrono::NaiveDate` and
//!   `uuid` a `uuid::Uuid` (crates the generated crate does not depend on), and `ip`, `ipv4`,
//!   `ipv6` `std::net` addresses that refuse a whole answer over one odd value;
//! - string `pattern`s are dropped: typify checks them with the `regress` crate, and the
//!   service, not the client, checks what it accepts;
//! - a string `enum` in what the client reads (answers, components) is open: its values move to
//!   `x-extensible-enum` and the field is a `String`, so that a value the service adds later (a
//!   new connector state) does not fail the whole answer; enums only sent stay closed;
//! - an array property that its object does not require (written inline) becomes `nullable`,
//!   so that its field is `Option<Vec<_>>`: typify makes it a `Vec` defaulting to empty, and a
//!   caller could not tell an answer without the array (or with `null`) from one with an empty
//!   array.
//!
//! - an operation without `operationId` gets one derived from its method and path
//!   ([`derived_operation_id`]), marked with [`DERIVED_OPERATION_ID`];
//! - media types are brought to those progenitor takes ([`crate::media`]);
//! - the schemas a spec generator flattened out of operations under placeholder names
//!   (`inline_response_200_1`) are named after their use ([`crate::names`]).
//!
//! What cannot be repaired without guessing (success responses of different kinds, a path item
//! given by `$ref`, a derived name another operation has) is an error that names the operation.

use openapiv3::{
    AnySchema, MediaType, OpenAPI, Operation, PathItem, ReferenceOr, Response, Schema, SchemaKind,
    StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use crate::{CodegenError, OperationRef, media};

/// How deep `$ref` chains between response components may go before they count as a loop.
const MAX_REF_DEPTH: usize = 16;

/// Parses spec text (YAML or JSON) into an OpenAPI 3.0 document, checking its version and that
/// every local `$ref` resolves.
pub fn parse(spec_text: &str) -> Result<OpenAPI, CodegenError> {
    let raw: Value =
        serde_norway::from_str(spec_text).map_err(|e| CodegenError::Syntax(e.to_string()))?;
    let version = raw.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.trim().starts_with("3.0.") {
        return Err(CodegenError::UnsupportedVersion {
            found: version.to_string(),
        });
    }
    check_references(&raw, &raw, &mut Vec::new())?;
    // Deserialising from the text, not from `raw`, keeps line numbers in the error.
    serde_norway::from_str(spec_text).map_err(|e| CodegenError::Document(e.to_string()))
}

/// Walks the document and fails on the first local `$ref` that points at nothing.
fn check_references(root: &Value, node: &Value, at: &mut Vec<String>) -> Result<(), CodegenError> {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                check_reference(root, reference, at)?;
            }
            for (key, child) in map {
                at.push(key.clone());
                check_references(root, child, at)?;
                at.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                at.push(index.to_string());
                check_references(root, child, at)?;
                at.pop();
            }
        }
        _ => {}
    }
    Ok(())
}

fn check_reference(root: &Value, reference: &str, at: &[String]) -> Result<(), CodegenError> {
    let broken = |hint: &str| CodegenError::BrokenReference {
        location: location(root, at),
        reference: reference.to_string(),
        hint: hint.to_string(),
    };
    let Some(pointer) = reference.strip_prefix('#') else {
        return Err(broken(
            "only references inside the document (`#/...`) are supported: copy the referenced \
             definition into `components`",
        ));
    };
    if root.pointer(pointer).is_none() {
        return Err(broken(
            "nothing is defined there: fix the name or add the definition",
        ));
    }
    Ok(())
}

/// Where a node of the document stands: inside an operation, the operation (with its
/// `operationId`) and the rest of the way; elsewhere, the whole way from the root.
fn location(root: &Value, at: &[String]) -> String {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    match at {
        [paths, path, method, rest @ ..]
            if paths == "paths" && METHODS.contains(&method.as_str()) =>
        {
            let operation = OperationRef {
                operation_id: root["paths"][path][method]["operationId"]
                    .as_str()
                    .map(str::to_string),
                method: method.to_uppercase(),
                path: path.clone(),
            };
            if rest.is_empty() {
                operation.to_string()
            } else {
                format!("{operation}, at `{}`", rest.join(" > "))
            }
        }
        _ => format!("at `{}`", at.join(" > ")),
    }
}

/// The operation extension that marks an `operationId` the normalisation derived from the
/// method and path of an operation that had none.
pub const DERIVED_OPERATION_ID: &str = "x-codegen-derived-operation-id";

/// The `operationId` codegen gives an operation that has none: the method, then every word of
/// the path (parameter names included, so that `/things` and `/things/{id}` differ), in lower
/// camel case: `GET /v2/metrics/{dataset}/descriptors` is `getV2MetricsDatasetDescriptors`, whose
/// generated method is `get_v2_metrics_dataset_descriptors`.
pub fn derived_operation_id(method: &str, path: &str) -> String {
    let mut id = method.to_ascii_lowercase();
    for word in path.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            id.push(first.to_ascii_uppercase());
            id.extend(chars);
        }
    }
    id
}

/// Repairs, in place of progenitor, the constructs listed in the module documentation.
pub fn normalize(spec: OpenAPI) -> Result<OpenAPI, CodegenError> {
    let mut spec = name_flattened_schemas(spec)?;
    let response_components = spec
        .components
        .as_ref()
        .map(|c| c.responses.clone())
        .unwrap_or_default();
    let body_components = spec
        .components
        .as_ref()
        .map(|c| c.request_bodies.clone())
        .unwrap_or_default();

    for (path, item) in spec.paths.paths.iter_mut() {
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                return Err(CodegenError::Unsupported {
                    operation: OperationRef {
                        operation_id: None,
                        method: "*".to_string(),
                        path: path.clone(),
                    },
                    construct: format!("path item given as `$ref: {reference}`"),
                    hint: "write the path item inline: progenitor 0.15 does not follow path item \
                           references"
                        .to_string(),
                });
            }
        };
        for (method, operation) in operations_mut(item) {
            let at = OperationRef {
                operation_id: operation.operation_id.clone(),
                method: method.to_uppercase(),
                path: path.clone(),
            };
            normalize_operation(operation, &at, &response_components, &body_components)?;
        }
    }
    check_derived_names(&spec)?;
    if let Some(components) = spec.components.as_mut() {
        for schema in components.schemas.values_mut().filter_map(item_mut) {
            normalize_schema(schema, Direction::Read);
        }
        for parameter in components.parameters.values_mut().filter_map(item_mut) {
            normalize_parameter(parameter);
        }
        for body in components.request_bodies.values_mut().filter_map(item_mut) {
            normalize_content(&mut body.content);
        }
    }
    Ok(spec)
}

/// Gives the schemas a spec generator flattened out of operations the names of their uses
/// ([`crate::names`]).
fn name_flattened_schemas(spec: OpenAPI) -> Result<OpenAPI, CodegenError> {
    // serde_norway's mappings keep their order (serde_json's here would sort them, and the
    // order of properties is the order of the generated fields).
    let mut document =
        serde_norway::to_value(&spec).map_err(|e| CodegenError::Document(e.to_string()))?;
    if crate::names::name(&mut document).is_empty() {
        return Ok(spec);
    }
    serde_norway::from_value(document).map_err(|e| CodegenError::Document(e.to_string()))
}

/// Fails when the method name of an operation whose `operationId` was derived is also another
/// operation's.
fn check_derived_names(spec: &OpenAPI) -> Result<(), CodegenError> {
    let mut operations = Vec::new();
    for (path, item) in spec.paths.paths.iter() {
        if let ReferenceOr::Item(item) = item {
            for (method, operation) in item.iter() {
                operations.push((method, path, operation));
            }
        }
    }
    for (method, path, operation) in &operations {
        if !operation.extensions.contains_key(DERIVED_OPERATION_ID) {
            continue;
        }
        let id = operation.operation_id.clone().unwrap_or_default();
        let taken = operations.iter().any(|(m, p, other)| {
            (m, p) != (method, path)
                && other
                    .operation_id
                    .as_deref()
                    .is_some_and(|o| crate::method_name(o) == crate::method_name(&id))
        });
        if taken {
            return Err(CodegenError::Unsupported {
                operation: OperationRef {
                    operation_id: None,
                    method: method.to_uppercase(),
                    path: path.to_string(),
                },
                construct: format!(
                    "no `operationId`, and the name derived from its method and path, {id}, is \
                     another operation's"
                ),
                hint: "add an `operationId`: the generated method is named after it".to_string(),
            });
        }
    }
    Ok(())
}

fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = (&'static str, &mut Operation)> {
    method_slots(item)
        .into_iter()
        .filter_map(|(method, op)| op.as_mut().map(|op| (method, op)))
}

/// Every operation slot of a path item, with its method in lower case.
/// The methods a path item can hold an operation under.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub(crate) fn method_slots(item: &mut PathItem) -> [(&'static str, &mut Option<Operation>); 8] {
    [
        ("get", &mut item.get),
        ("put", &mut item.put),
        ("post", &mut item.post),
        ("delete", &mut item.delete),
        ("options", &mut item.options),
        ("head", &mut item.head),
        ("patch", &mut item.patch),
        ("trace", &mut item.trace),
    ]
}

fn normalize_operation(
    operation: &mut Operation,
    at: &OperationRef,
    components: &indexmap::IndexMap<String, ReferenceOr<Response>>,
    body_components: &indexmap::IndexMap<String, ReferenceOr<openapiv3::RequestBody>>,
) -> Result<(), CodegenError> {
    let operation_id = match operation.operation_id.clone() {
        Some(id) => id,
        None => {
            let derived = derived_operation_id(&at.method, &at.path);
            operation.operation_id = Some(derived.clone());
            operation
                .extensions
                .insert(DERIVED_OPERATION_ID.to_string(), Value::Bool(true));
            derived
        }
    };

    let responses = &mut operation.responses;
    if let Some(default) = responses.default.as_mut() {
        *default = ReferenceOr::Item(resolve_response(default, components, at)?);
    }
    for response in responses.responses.values_mut() {
        *response = ReferenceOr::Item(resolve_response(response, components, at)?);
    }

    let has_success = responses.responses.keys().any(is_success);
    if has_success && let Some(default) = responses.default.take() {
        for range in [4, 5] {
            responses
                .responses
                .entry(StatusCode::Range(range))
                .or_insert_with(|| default.clone());
        }
    }

    for response in all_responses_mut(responses) {
        media::normalize_response_content(&mut response.content);
        for (media_type, content) in response.content.iter_mut() {
            if is_json(media_type) && content.schema.is_none() {
                content.schema = Some(ReferenceOr::Item(any_json()));
            }
            if let Some(ReferenceOr::Item(schema)) = content.schema.as_mut() {
                normalize_schema(schema, Direction::Read);
            }
        }
    }

    for parameter in operation.parameters.iter_mut().filter_map(item_mut) {
        normalize_parameter(parameter);
    }
    if let Some(body) = operation.request_body.as_mut() {
        let mut resolved = resolve_request_body(body, body_components, at)?;
        if let Some(sent_as) = media::normalize_request_body(&mut resolved.content, at)? {
            operation
                .extensions
                .insert(media::SENT_AS.to_string(), Value::String(sent_as));
        }
        normalize_content(&mut resolved.content);
        *body = ReferenceOr::Item(resolved);
    }

    let responses = &mut operation.responses;
    check_success_kinds(responses, at)?;
    unify_errors(responses, &operation_id);
    Ok(())
}

/// The request body itself, when the operation refers to one of `components/requestBodies`.
fn resolve_request_body(
    body: &ReferenceOr<openapiv3::RequestBody>,
    components: &indexmap::IndexMap<String, ReferenceOr<openapiv3::RequestBody>>,
    at: &OperationRef,
) -> Result<openapiv3::RequestBody, CodegenError> {
    match body {
        ReferenceOr::Item(body) => Ok(body.clone()),
        ReferenceOr::Reference { reference } => {
            let found = reference
                .strip_prefix("#/components/requestBodies/")
                .and_then(|name| components.get(name));
            match found {
                Some(ReferenceOr::Item(body)) => Ok(body.clone()),
                _ => Err(CodegenError::BrokenReference {
                    location: at.to_string(),
                    reference: reference.clone(),
                    hint: "a request body must be defined under components/requestBodies, \
                           directly (not by another `$ref`)"
                        .to_string(),
                }),
            }
        }
    }
}

/// Normalises the schema of a parameter, or of each of its media types (sent by the client).
fn normalize_parameter(parameter: &mut openapiv3::Parameter) {
    let data = match parameter {
        openapiv3::Parameter::Query { parameter_data, .. }
        | openapiv3::Parameter::Header { parameter_data, .. }
        | openapiv3::Parameter::Path { parameter_data, .. }
        | openapiv3::Parameter::Cookie { parameter_data, .. } => parameter_data,
    };
    match &mut data.format {
        openapiv3::ParameterSchemaOrContent::Schema(schema) => {
            if let Some(schema) = item_mut(schema) {
                normalize_schema(schema, Direction::Sent);
            }
        }
        openapiv3::ParameterSchemaOrContent::Content(content) => normalize_content(content),
    }
}

/// Normalises the schema of each media type of a request body or a parameter.
fn normalize_content(content: &mut indexmap::IndexMap<String, MediaType>) {
    for media in content.values_mut() {
        if let Some(schema) = media.schema.as_mut().and_then(item_mut) {
            normalize_schema(schema, Direction::Sent);
        }
    }
}

fn all_responses_mut(responses: &mut openapiv3::Responses) -> impl Iterator<Item = &mut Response> {
    responses
        .default
        .iter_mut()
        .chain(responses.responses.values_mut())
        .filter_map(item_mut)
}

fn resolve_response(
    response: &ReferenceOr<Response>,
    components: &indexmap::IndexMap<String, ReferenceOr<Response>>,
    at: &OperationRef,
) -> Result<Response, CodegenError> {
    let mut current = response;
    for _ in 0..MAX_REF_DEPTH {
        match current {
            ReferenceOr::Item(item) => return Ok(item.clone()),
            ReferenceOr::Reference { reference } => {
                let broken = |hint: &str| CodegenError::BrokenReference {
                    location: at.to_string(),
                    reference: reference.clone(),
                    hint: hint.to_string(),
                };
                let name = reference
                    .strip_prefix("#/components/responses/")
                    .ok_or_else(|| broken("a response must refer to `#/components/responses/`"))?;
                current = components
                    .get(name)
                    .ok_or_else(|| broken("no such entry in `components/responses`"))?;
            }
        }
    }
    Err(CodegenError::BrokenReference {
        location: at.to_string(),
        reference: match response {
            ReferenceOr::Reference { reference } => reference.clone(),
            ReferenceOr::Item(_) => String::new(),
        },
        hint: format!("the chain of response references is longer than {MAX_REF_DEPTH}: a loop?"),
    })
}

/// The body of a response, as progenitor sorts them.
#[derive(Debug, PartialEq)]
enum BodyKind {
    /// An `application/json` body with this schema (serialised for comparison).
    Json(Value),
    /// A body of another media type.
    Raw,
    /// No body.
    Empty,
}

fn body_kind(response: &Response) -> BodyKind {
    match response.content.iter().find(|(mt, _)| is_json(mt)) {
        Some((_, MediaType { schema, .. })) => {
            BodyKind::Json(serde_json::to_value(schema).unwrap_or(Value::Null))
        }
        None if response.content.is_empty() => BodyKind::Empty,
        None => BodyKind::Raw,
    }
}

fn describe(kind: &BodyKind) -> &'static str {
    match kind {
        BodyKind::Json(_) => "a JSON body",
        BodyKind::Raw => "a non-JSON body",
        BodyKind::Empty => "no body",
    }
}

fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type.starts_with("application/json;")
}

fn is_success(status: &StatusCode) -> bool {
    matches!(
        status,
        StatusCode::Code(101 | 200..=299) | StatusCode::Range(2)
    )
}

fn is_error(status: &StatusCode) -> bool {
    matches!(
        status,
        StatusCode::Code(400..=599) | StatusCode::Range(4..=5)
    )
}

fn check_success_kinds(
    responses: &openapiv3::Responses,
    at: &OperationRef,
) -> Result<(), CodegenError> {
    let successes: Vec<(String, BodyKind)> = responses
        .responses
        .iter()
        .filter(|(status, _)| is_success(status))
        .chain(responses.default.iter().map(|d| (&StatusCode::Range(2), d)))
        .filter_map(|(status, r)| r.as_item().map(|r| (status.to_string(), body_kind(r))))
        .collect();
    let Some((first_status, first)) = successes.first() else {
        return Ok(());
    };
    if let Some((status, other)) = successes.iter().find(|(_, kind)| kind != first) {
        let what = if describe(first) == describe(other) {
            "JSON bodies of different schemas".to_string()
        } else {
            format!(
                "{} for {first_status} but {} for {status}",
                describe(first),
                describe(other)
            )
        };
        return Err(CodegenError::Unsupported {
            operation: at.clone(),
            construct: format!("success responses of different kinds ({what})"),
            hint: "progenitor 0.15 gives an operation one success type: describe the successes \
                   with one schema"
                .to_string(),
        });
    }
    Ok(())
}

fn unify_errors(responses: &mut openapiv3::Responses, operation_id: &str) {
    let kinds: Vec<BodyKind> = responses
        .responses
        .iter()
        .filter(|(status, _)| is_error(status))
        .filter_map(|(_, r)| r.as_item().map(body_kind))
        .chain(
            responses
                .default
                .iter()
                .filter_map(|r| r.as_item().map(body_kind)),
        )
        .collect();

    let has_json = kinds.iter().any(|k| matches!(k, BodyKind::Json(_)));
    let has_raw = kinds.contains(&BodyKind::Raw);
    let keep = |kind: &BodyKind| match kind {
        BodyKind::Json(_) => true,
        BodyKind::Raw => !has_json,
        BodyKind::Empty => !has_json && !has_raw,
    };
    responses.responses.retain(|status, response| {
        !is_error(status) || response.as_item().is_none_or(|r| keep(&body_kind(r)))
    });
    if responses
        .default
        .as_ref()
        .and_then(ReferenceOr::as_item)
        .is_some_and(|r| !keep(&body_kind(r)))
    {
        responses.default = None;
    }

    let mut schemas: Vec<Value> = Vec::new();
    for kind in kinds {
        if let BodyKind::Json(schema) = kind
            && !schemas.contains(&schema)
        {
            schemas.push(schema);
        }
    }
    let error_title = format!("{}Error", upper_first(operation_id));
    let error_responses = responses
        .responses
        .iter_mut()
        .filter(|(status, _)| is_error(status))
        .map(|(_, r)| r)
        .chain(responses.default.iter_mut())
        .filter_map(item_mut);
    for response in error_responses {
        for (_, content) in response.content.iter_mut().filter(|(mt, _)| is_json(mt)) {
            if schemas.len() > 1 {
                content.schema = Some(ReferenceOr::Item(any_json()));
            } else if let Some(ReferenceOr::Item(schema)) = content.schema.as_mut()
                && schema.schema_data.title.is_none()
                && !matches!(schema.schema_kind, SchemaKind::Any(ref any) if *any == AnySchema::default())
            {
                schema.schema_data.title = Some(error_title.clone());
            }
        }
    }
}

fn item_mut<T>(reference: &mut ReferenceOr<T>) -> Option<&mut T> {
    match reference {
        ReferenceOr::Item(item) => Some(item),
        ReferenceOr::Reference { .. } => None,
    }
}

pub(crate) fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn any_json() -> Schema {
    Schema {
        schema_data: Default::default(),
        schema_kind: SchemaKind::Any(AnySchema::default()),
    }
}

/// The extension that lists the known values of a string that may take others: typify makes
/// such a string a `String`.
pub const EXTENSIBLE_ENUM: &str = "x-extensible-enum";

/// Whether a schema describes what the client reads (an answer, or a component, which may be
/// both) or only what it sends (a parameter, a request body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// Read by the client, at least in part.
    Read,
    /// Only sent by the client.
    Sent,
}

/// The string formats for which typify emits a type that the generated crate cannot use:
/// `date` (`chrono::naive::NaiveDate`) and `uuid` (`uuid::Uuid`) name crates it does not depend
/// on, and `ip`, `ipv4`, `ipv6` (`std::net` addresses) refuse a whole answer over one value
/// they cannot parse. Their values are strings, kept as the service wrote them.
fn is_string_format_kept_as_text(format: &VariantOrUnknownOrEmpty<StringFormat>) -> bool {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => true,
        VariantOrUnknownOrEmpty::Unknown(name) => {
            matches!(name.as_str(), "uuid" | "ip" | "ipv4" | "ipv6")
        }
        _ => false,
    }
}

/// Repairs a schema, recursively: drops vendor extensions from date-time strings; makes the
/// string formats of [`is_string_format_kept_as_text`] plain strings; drops string `pattern`s
/// (typify checks them with the `regress` crate, which the generated crate does not depend on,
/// and an answer is not refused over one value: the service checks what it accepts); in what
/// the client reads, makes inline optional arrays nullable and string enums open (their values
/// move to [`EXTENSIBLE_ENUM`]: a state the service adds must not fail a whole answer).
fn normalize_schema(schema: &mut Schema, direction: Direction) {
    match &mut schema.schema_kind {
        SchemaKind::Type(Type::String(string)) => {
            if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) {
                schema.schema_data.extensions.clear();
            }
            if is_string_format_kept_as_text(&string.format) {
                string.format = VariantOrUnknownOrEmpty::Empty;
            }
            string.pattern = None;
            if direction == Direction::Read && !string.enumeration.is_empty() {
                let values = std::mem::take(&mut string.enumeration);
                schema.schema_data.extensions.insert(
                    EXTENSIBLE_ENUM.to_string(),
                    Value::Array(values.into_iter().flatten().map(Value::String).collect()),
                );
            }
        }
        SchemaKind::Type(Type::Object(object)) => {
            for (name, property) in object.properties.iter_mut() {
                if let ReferenceOr::Item(property) = property {
                    if direction == Direction::Read
                        && matches!(property.schema_kind, SchemaKind::Type(Type::Array(_)))
                        && !object.required.contains(name)
                    {
                        property.schema_data.nullable = true;
                    }
                    normalize_schema(property, direction);
                }
            }
            if let Some(openapiv3::AdditionalProperties::Schema(extra)) =
                object.additional_properties.as_mut()
                && let ReferenceOr::Item(extra) = extra.as_mut()
            {
                normalize_schema(extra, direction);
            }
        }
        SchemaKind::Type(Type::Array(array)) => {
            if let Some(ReferenceOr::Item(items)) = array.items.as_mut() {
                normalize_schema(items, direction);
            }
        }
        SchemaKind::OneOf { one_of: list }
        | SchemaKind::AllOf { all_of: list }
        | SchemaKind::AnyOf { any_of: list } => {
            for item in list.iter_mut() {
                if let ReferenceOr::Item(item) = item {
                    normalize_schema(item, direction);
                }
            }
        }
        SchemaKind::Not { not } => {
            if let ReferenceOr::Item(not) = not.as_mut() {
                normalize_schema(not, direction);
            }
        }
        _ => {}
    }
}
