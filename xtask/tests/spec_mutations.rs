//! The corpus of spec mutations: each test edits `openapi/connect-v1.yaml` the way Confluent
//! might change it, and checks the two things a maintainer needs to know before regenerating:
//!
//! - codegen either generates code, or refuses the spec with the exact message that names the
//!   operation and the construct at fault (never a panic);
//! - `spec-diff` lists exactly the changes, each with the classification a maintainer would
//!   give it.
//!
//! `every_generated_mutation_compiles` then builds the code of every mutation that generates,
//! together, in a crate of its own with the generated crate's dependencies.

use std::{fs, path::Path, process::Command};

use serde_json::{Value, json};
use xtask::semver_checks::{self, Verdict};
use xtask::spec_diff::{self, Severity};

/// The workspace spec, which every mutation starts from.
const SPEC: &str = include_str!("../../openapi/connect-v1.yaml");

macro_rules! offsets_path {
    () => {
        "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}/offsets"
    };
}
macro_rules! get_offsets {
    () => {
        concat!("getConnectv1ConnectorOffsets (GET ", offsets_path!(), ")")
    };
}
macro_rules! alter {
    () => {
        concat!(
            "alterConnectv1ConnectorOffsetsRequest (POST ",
            offsets_path!(),
            "/request)"
        )
    };
}
macro_rules! alter_status {
    () => {
        concat!(
            "getConnectv1ConnectorOffsetsRequestStatus (GET ",
            offsets_path!(),
            "/request/status)"
        )
    };
}

const OFFSETS: &str = offsets_path!();
const REQUEST: &str = concat!(offsets_path!(), "/request");
const STATUS: &str = concat!(offsets_path!(), "/request/status");

/// What codegen must make of a mutated spec.
#[derive(Debug)]
enum Codegen {
    /// Rust source (which `every_generated_mutation_compiles` compiles), and what
    /// cargo-semver-checks says of it (`spec_diff_and_cargo_semver_checks_agree`).
    Generates(Verdict),
    /// This exact error message.
    Refuses(&'static str),
}

// What cargo-semver-checks (`check-release --release-type minor`) says of the generated crate
// after a mutation, against the crate of the unmutated spec (`Verdict`): it sees what a lint
// describes: items, fields and variants added or removed, signatures. It does not see a field's
// type change (0.51 has no lint for it), nor a change of behaviour (a newly required field that
// old answers lack). spec-diff calls those breaking, and so is the stricter of the two:
// `spec_diff_and_cargo_semver_checks_agree` checks that it never calls additive what
// cargo-semver-checks finds breaking.

/// One edit of the spec and what must come of it.
struct Mutation {
    /// Names the module of its generated code in the compile check.
    name: &'static str,
    edit: fn(&mut Value),
    codegen: Codegen,
    /// `spec-diff` against the unedited spec, line by line (`severity: location: what`).
    changes: &'static [&'static str],
    /// The most severe change, which decides `spec-diff`'s exit status.
    severity: Option<Severity>,
}

/// The spec with `edit` applied, as YAML.
fn mutated(edit: fn(&mut Value)) -> String {
    let mut spec: Value = serde_norway::from_str(SPEC).expect("the spec is YAML");
    edit(&mut spec);
    serde_norway::to_string(&spec).expect("a spec serialises")
}

fn operation<'a>(spec: &'a mut Value, path: &str, method: &str) -> &'a mut Value {
    &mut spec["paths"][path][method]
}

fn json_schema(response: &mut Value) -> &mut Value {
    &mut response["content"]["application/json"]["schema"]
}

fn offsets_body(spec: &mut Value) -> &mut Value {
    json_schema(&mut operation(spec, OFFSETS, "get")["responses"]["200"])
}

fn status_body(spec: &mut Value) -> &mut Value {
    json_schema(&mut operation(spec, STATUS, "get")["responses"]["200"])
}

fn alter_body(spec: &mut Value) -> &mut Value {
    json_schema(&mut operation(spec, REQUEST, "post")["requestBody"])
}

/// The mutation generates byte for byte the code of the unchanged spec.
fn assert_same_code_as_the_spec(mutation: &Mutation) {
    assert_eq!(
        codegen::generate(&mutated(mutation.edit)).expect("generates"),
        codegen::generate(&mutated(UNCHANGED.edit)).expect("generates"),
        "{}",
        mutation.name
    );
}

fn check(mutation: &Mutation) {
    let text = mutated(mutation.edit);
    match (&mutation.codegen, codegen::generate(&text)) {
        (Codegen::Generates(_), Ok(source)) => {
            assert!(source.starts_with(codegen::GENERATED_HEADER));
        }
        (Codegen::Refuses(expected), Err(error)) => {
            assert_eq!(error.to_string(), *expected, "{}", mutation.name);
        }
        (expected, outcome) => panic!(
            "{}: codegen was expected to answer {expected:?}, and answered {:?}",
            mutation.name,
            outcome.map(|_| "generated source")
        ),
    }
    let report = spec_diff::diff(SPEC, &text).expect("both specs can be compared");
    assert_eq!(report.lines(), mutation.changes, "{}", mutation.name);
    assert_eq!(report.severity(), mutation.severity, "{}", mutation.name);
}

const UNCHANGED: Mutation = Mutation {
    name: "unchanged",
    edit: |_| {},
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[],
    severity: None,
};

const DESCRIPTIONS_ONLY: Mutation = Mutation {
    name: "descriptions_only",
    edit: |spec| {
        operation(spec, OFFSETS, "get")["description"] = json!("Get the connector's offsets.");
        offsets_body(spec)["properties"]["name"]["description"] = json!("The connector's name.");
    },
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[
        concat!(
            "documentation only: ",
            get_offsets!(),
            " > response 200 > application/json > body.name: `description` changed"
        ),
        concat!(
            "documentation only: ",
            get_offsets!(),
            ": `description` changed"
        ),
    ],
    severity: Some(Severity::Documentation),
};

const ADD_OPTIONAL_FIELD: Mutation = Mutation {
    name: "add_optional_field",
    edit: |spec| {
        offsets_body(spec)["properties"]["metadata"]["properties"]["source"] =
            json!({ "type": "string", "description": "Where the offsets were read from." });
    },
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[concat!(
        "additive: ",
        get_offsets!(),
        " > response 200 > application/json > body.metadata: field `source` added (optional)"
    )],
    severity: Some(Severity::Additive),
};

const ADD_REQUIRED_FIELD: Mutation = Mutation {
    name: "add_required_field",
    edit: |spec| {
        let body = offsets_body(spec);
        body["properties"]["connector_type"] =
            json!({ "type": "string", "description": "SINK or SOURCE." });
        body["required"] = json!(["connector_type"]);
    },
    // A new field of a `#[non_exhaustive]` struct; released clients fail on answers without it.
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[concat!(
        "breaking: ",
        get_offsets!(),
        " > response 200 > application/json > body: field `connector_type` added (required)"
    )],
    severity: Some(Severity::Breaking),
};

const ADD_OPTIONAL_PARAMETER: Mutation = Mutation {
    name: "add_optional_parameter",
    edit: |spec| add_expand_parameter(spec, false),
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[concat!(
        "additive: ",
        get_offsets!(),
        " > parameter `expand` (in query): parameter added (optional)"
    )],
    severity: Some(Severity::Additive),
};

const ADD_REQUIRED_PARAMETER: Mutation = Mutation {
    name: "add_required_parameter",
    edit: |spec| add_expand_parameter(spec, true),
    // The builder gains a setter, which compiles; a call that does not set it fails at `send()`.
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[concat!(
        "breaking: ",
        get_offsets!(),
        " > parameter `expand` (in query): parameter added (required)"
    )],
    severity: Some(Severity::Breaking),
};

/// A query parameter `expand` on the offsets GET.
fn add_expand_parameter(spec: &mut Value, required: bool) {
    let parameters = &mut operation(spec, OFFSETS, "get")["parameters"];
    let added = json!({
        "name": "expand",
        "in": "query",
        "required": required,
        "description": "What to add to the answer.",
        "schema": { "type": "string" }
    });
    match parameters.as_array_mut() {
        Some(list) => list.push(added),
        None => *parameters = json!([added]),
    }
}

const MAKE_FIELD_REQUIRED: Mutation = Mutation {
    name: "make_field_required",
    edit: |spec| {
        offsets_body(spec)["properties"]["metadata"]["required"] = json!(["observed_at"]);
    },
    // `Option<T>` becomes `T`: code reading the field breaks, which no lint of 0.51 describes.
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[concat!(
        "breaking: ",
        get_offsets!(),
        " > response 200 > application/json > body.metadata.observed_at: now required"
    )],
    severity: Some(Severity::Breaking),
};

const REMOVE_FIELD: Mutation = Mutation {
    name: "remove_field",
    edit: |spec| {
        offsets_body(spec)["properties"]
            .as_object_mut()
            .expect("the body has properties")
            .remove("id");
    },
    codegen: Codegen::Generates(Verdict::Fails),
    changes: &[concat!(
        "breaking: ",
        get_offsets!(),
        " > response 200 > application/json > body: field `id` removed"
    )],
    severity: Some(Severity::Breaking),
};

const CHANGE_TYPE: Mutation = Mutation {
    name: "change_type",
    edit: |spec| {
        offsets_body(spec)["properties"]["metadata"]["properties"]["observed_at"] = json!({
            "type": "integer",
            "format": "int64",
            "description": "When the offsets were observed, in milliseconds since the epoch.",
        });
    },
    // The field's type changes, which no lint of cargo-semver-checks 0.51 describes.
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[concat!(
        "breaking: ",
        get_offsets!(),
        " > response 200 > application/json > body.metadata.observed_at: type changed from \
         string to integer"
    )],
    severity: Some(Severity::Breaking),
};

const ADD_PATTERN: Mutation = Mutation {
    name: "add_pattern",
    edit: |spec| {
        offsets_body(spec)["properties"]["name"]["pattern"] = json!("^[A-Za-z0-9_.-]+$");
        let parameters = operation(spec, OFFSETS, "get")["parameters"]
            .as_array_mut()
            .expect("the operation has parameters");
        for parameter in parameters {
            parameter["schema"]["pattern"] = json!("^[a-z]+-[a-z0-9]+$");
        }
    },
    // The normalisation drops patterns: the same code as the unchanged spec.
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[
        concat!(
            "breaking: ",
            get_offsets!(),
            " > parameter `connector_name` (in path): `pattern` added (^[a-z]+-[a-z0-9]+$)"
        ),
        concat!(
            "breaking: ",
            get_offsets!(),
            " > parameter `environment_id` (in path): `pattern` added (^[a-z]+-[a-z0-9]+$)"
        ),
        concat!(
            "breaking: ",
            get_offsets!(),
            " > parameter `kafka_cluster_id` (in path): `pattern` added (^[a-z]+-[a-z0-9]+$)"
        ),
        concat!(
            "breaking: ",
            get_offsets!(),
            " > response 200 > application/json > body.name: `pattern` added (^[A-Za-z0-9_.-]+$)"
        ),
    ],
    severity: Some(Severity::Breaking),
};

const ADD_UUID_FIELD: Mutation = Mutation {
    name: "add_uuid_field",
    edit: |spec| {
        offsets_body(spec)["properties"]["metadata"]["properties"]["request_uuid"] = json!({
            "type": "string",
            "format": "uuid",
            "description": "The request that observed the offsets."
        });
    },
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[concat!(
        "additive: ",
        get_offsets!(),
        " > response 200 > application/json > body.metadata: field `request_uuid` added \
         (optional)"
    )],
    severity: Some(Severity::Additive),
};

const ADD_DATE_FIELD: Mutation = Mutation {
    name: "add_date_field",
    edit: |spec| {
        offsets_body(spec)["properties"]["metadata"]["properties"]["since"] = json!({
            "type": "string",
            "format": "date",
            "description": "The day the connector started."
        });
    },
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[concat!(
        "additive: ",
        get_offsets!(),
        " > response 200 > application/json > body.metadata: field `since` added (optional)"
    )],
    severity: Some(Severity::Additive),
};

const ADD_OPTIONS_OPERATION: Mutation = Mutation {
    name: "add_options_operation",
    edit: |spec| {
        spec["paths"][OFFSETS]["options"] = json!({
            "operationId": "optionsConnectv1ConnectorOffsets",
            "summary": "What the offsets resource allows.",
            "parameters": operation(spec, OFFSETS, "get")["parameters"].clone(),
            "responses": { "204": { "description": "The methods allowed." } }
        });
    },
    // progenitor writes `client.options(url)`, which reqwest lacks; codegen sends it through
    // `request(Method::OPTIONS, url)`.
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[concat!(
        "additive: optionsConnectv1ConnectorOffsets (OPTIONS ",
        offsets_path!(),
        "): operation added"
    )],
    severity: Some(Severity::Additive),
};

const ADD_OPEN_ENUM_VALUE: Mutation = Mutation {
    name: "add_open_enum_value",
    edit: |spec| {
        status_body(spec)["properties"]["status"]["properties"]["phase"]["x-extensible-enum"]
            .as_array_mut()
            .expect("the phase lists its values")
            .push(json!("PAUSED"));
    },
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[concat!(
        "additive: ",
        alter_status!(),
        " > response 200 > application/json > body.status.phase: open enum value PAUSED added"
    )],
    severity: Some(Severity::Additive),
};

const ADD_CLOSED_ENUM_VALUE: Mutation = Mutation {
    name: "add_closed_enum_value",
    edit: |spec| {
        alter_body(spec)["properties"]["type"]["enum"]
            .as_array_mut()
            .expect("the type lists its values")
            .push(json!("TRUNCATE"));
    },
    codegen: Codegen::Generates(Verdict::Fails),
    changes: &[concat!(
        "breaking: ",
        alter!(),
        " > request body > application/json > body.type: enum value TRUNCATE added"
    )],
    severity: Some(Severity::Breaking),
};

const ADD_OPERATION: Mutation = Mutation {
    name: "add_operation",
    edit: |spec| {
        let mut listing = operation(spec, STATUS, "get").clone();
        listing["operationId"] = json!("listConnectv1ConnectorOffsetsRequests");
        let status = json_schema(&mut listing["responses"]["200"]).take();
        *json_schema(&mut listing["responses"]["200"]) = json!({
            "type": "array",
            "description": "Every offsets change of the connector, the latest first.",
            "items": status,
        });
        spec["paths"][concat!(offsets_path!(), "/requests")] = json!({ "get": listing });
    },
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[concat!(
        "additive: listConnectv1ConnectorOffsetsRequests (GET ",
        offsets_path!(),
        "/requests): operation added"
    )],
    severity: Some(Severity::Additive),
};

const MANY_MEDIA_TYPES: Mutation = Mutation {
    name: "many_media_types",
    edit: |spec| {
        let body = &mut operation(spec, REQUEST, "post")["requestBody"]["content"];
        let json = body["application/json"].clone();
        *body = json!({
            "application/vnd.connect.v1+json": json.clone(),
            "application/vnd.connect+json": json.clone(),
            "application/json": json,
            "application/octet-stream": { "schema": { "type": "string", "format": "binary" } }
        });
        let answer = &mut operation(spec, OFFSETS, "get")["responses"]["200"]["content"];
        let json = answer["application/json"].clone();
        answer["application/vnd.connect.v1+json"] = json;
        answer["text/plain"] = json!({ "schema": { "type": "string" } });
    },
    // The normalisation keeps `application/json` of each: the same code as the unchanged spec.
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[
        concat!(
            "additive: ",
            get_offsets!(),
            " > response 200 > application/vnd.connect.v1+json: media type added"
        ),
        concat!(
            "additive: ",
            get_offsets!(),
            " > response 200 > text/plain: media type added"
        ),
        concat!(
            "additive: ",
            alter!(),
            " > request body > application/octet-stream: media type added"
        ),
        concat!(
            "additive: ",
            alter!(),
            " > request body > application/vnd.connect+json: media type added"
        ),
        concat!(
            "additive: ",
            alter!(),
            " > request body > application/vnd.connect.v1+json: media type added"
        ),
    ],
    severity: Some(Severity::Additive),
};

const MERGE_PATCH_BODY: Mutation = Mutation {
    name: "merge_patch_body",
    edit: |spec| {
        let content = operation(spec, REQUEST, "post")["requestBody"]["content"]
            .as_object_mut()
            .expect("the alter request has a body");
        let json = content.remove("application/json").expect("a JSON body");
        content.insert("application/merge-patch+json".to_string(), json);
    },
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[
        concat!(
            "breaking: ",
            alter!(),
            " > request body > application/json: media type removed"
        ),
        concat!(
            "additive: ",
            alter!(),
            " > request body > application/merge-patch+json: media type added"
        ),
    ],
    severity: Some(Severity::Breaking),
};

const IMAGE_BODY: Mutation = Mutation {
    name: "image_body",
    edit: |spec| {
        let parameters = operation(spec, OFFSETS, "get")["parameters"].clone();
        spec["paths"][concat!(offsets_path!(), "/logo")] = json!({
            "put": {
                "operationId": "putConnectv1ConnectorLogo",
                "parameters": parameters,
                "requestBody": {
                    "required": true,
                    "content": { "image/png": { "schema": { "type": "string", "format": "binary" } } }
                },
                "responses": { "204": { "description": "Stored." } }
            }
        });
    },
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[concat!(
        "additive: putConnectv1ConnectorLogo (PUT ",
        offsets_path!(),
        "/logo): operation added"
    )],
    severity: Some(Severity::Additive),
};

const QUERY_IN_PATH_KEY: Mutation = Mutation {
    name: "query_in_path_key",
    edit: |spec| {
        let mut parameters = operation(spec, OFFSETS, "get")["parameters"].clone();
        parameters
            .as_array_mut()
            .expect("the operation has parameters")
            .retain(|parameter| parameter["name"] != "connector_name");
        let listing = |id: &str, item: Value| {
            json!({
                "get": {
                    "operationId": id,
                    "parameters": parameters.clone(),
                    "responses": {
                        "200": {
                            "description": "The connectors.",
                            "content": { "application/json": { "schema": item } }
                        }
                    }
                }
            })
        };
        // The spec has the connectors' pair; a second pair, on another resource, is the change.
        let connectors = "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/archived-connectors";
        spec["paths"][connectors] = listing(
            "listArchivedConnectors",
            json!({ "type": "array", "items": { "type": "string" } }),
        );
        spec["paths"][format!("{connectors}?expand=info,status,id")] = listing(
            "listArchivedConnectorsWithExpansions",
            json!({ "type": "object", "additionalProperties": { "type": "object" } }),
        );
    },
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[
        "additive: listArchivedConnectors (GET \
         /connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/\
         archived-connectors): operation added",
        "additive: listArchivedConnectorsWithExpansions (GET \
         /connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/\
         archived-connectors?expand=info,status,id): operation added",
    ],
    severity: Some(Severity::Additive),
};

const ADD_ERROR_STATUS_WITH_ANOTHER_BODY: Mutation = Mutation {
    name: "add_error_status_with_another_body",
    edit: |spec| {
        operation(spec, REQUEST, "post")["responses"]["409"] = json!({
            "description": "A change of this connector's offsets is in progress.",
            "content": { "application/json": { "schema": {
                "type": "object",
                "title": "connect.v1.AlterConflict",
                "properties": {
                    "pending_request_id": { "type": "string" },
                    "message": { "type": "string" },
                },
            } } },
        });
    },
    // The error type parameter changes, which no lint of cargo-semver-checks 0.51 describes.
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[
        concat!(
            "breaking: ",
            alter!(),
            ": error type changed from the schema titled `connect.v1.ConnectorError` to \
             `serde_json::Value` (error bodies differ)"
        ),
        concat!("additive: ", alter!(), " > response 409: response added"),
    ],
    severity: Some(Severity::Breaking),
};

const RESPONSES_AS_REFS: Mutation = Mutation {
    name: "responses_as_refs",
    edit: |spec| {
        let names = [
            ("400", "BadRequest"),
            ("401", "Unauthorized"),
            ("403", "Forbidden"),
            ("404", "NotFound"),
            ("429", "RateLimited"),
            ("500", "InternalServerError"),
        ];
        for (status, name) in names {
            let responses = &mut operation(spec, OFFSETS, "get")["responses"];
            let response = responses[status].take();
            responses[status] = json!({ "$ref": format!("#/components/responses/{name}") });
            spec["components"]["responses"][name] = response;
        }
    },
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[
        "documentation only: components > responses: `BadRequest` added",
        "documentation only: components > responses: `Forbidden` added",
        "documentation only: components > responses: `InternalServerError` added",
        "documentation only: components > responses: `NotFound` added",
        "documentation only: components > responses: `RateLimited` added",
        "documentation only: components > responses: `Unauthorized` added",
    ],
    severity: Some(Severity::Documentation),
};

const BODYLESS_4XX: Mutation = Mutation {
    name: "bodyless_4xx",
    edit: |spec| {
        operation(spec, REQUEST, "post")["responses"]["409"] =
            json!({ "description": "A change of this connector's offsets is in progress." });
    },
    codegen: Codegen::Generates(Verdict::Passes),
    changes: &[concat!(
        "additive: ",
        alter!(),
        " > response 409: response added"
    )],
    severity: Some(Severity::Additive),
};

const NO_OPERATION_ID: Mutation = Mutation {
    name: "no_operation_id",
    edit: |spec| {
        operation(spec, STATUS, "get")
            .as_object_mut()
            .expect("the operation is a mapping")
            .remove("operationId");
    },
    // The method is named after the method and path: renamed, so removed under its old name.
    codegen: Codegen::Generates(Verdict::Fails),
    changes: &[concat!(
        "breaking: ",
        alter_status!(),
        ": `operationId` changed from getConnectv1ConnectorOffsetsRequestStatus to (none: \
         codegen derives \
         getConnectV1EnvironmentsEnvironmentIdClustersKafkaClusterIdConnectorsConnectorNameOffsetsRequestStatus)"
    )],
    severity: Some(Severity::Breaking),
};

const OPENAPI_3_1: Mutation = Mutation {
    name: "openapi_3_1",
    edit: |spec| {
        spec["openapi"] = json!("3.1.0");
        // 3.1 writes `nullable: true` as a type that admits null.
        let applied_at = &mut status_body(spec)["properties"]["applied_at"];
        applied_at
            .as_object_mut()
            .expect("applied_at is a schema")
            .remove("nullable");
        applied_at["type"] = json!(["string", "null"]);
    },
    codegen: Codegen::Refuses(
        "the spec declares OpenAPI 3.1.0, but progenitor 0.15 reads OpenAPI 3.0.x only: convert \
         the document to 3.0.3",
    ),
    changes: &["breaking: document: `openapi` changed from 3.0.3 to 3.1.0"],
    severity: Some(Severity::Breaking),
};

const BROKEN_REF: Mutation = Mutation {
    name: "broken_ref",
    edit: |spec| {
        *json_schema(&mut operation(spec, OFFSETS, "get")["responses"]["404"]) =
            json!({ "$ref": "#/components/schemas/connect.v1.NoSuchError" });
    },
    codegen: Codegen::Refuses(concat!(
        "operation `getConnectv1ConnectorOffsets` (GET ",
        offsets_path!(),
        "), at `responses > 404 > content > application/json > schema`: `$ref: \
         #/components/schemas/connect.v1.NoSuchError` does not resolve: nothing is defined \
         there: fix the name or add the definition"
    )),
    changes: &[concat!(
        "breaking: ",
        get_offsets!(),
        " > response 404 > application/json > body: `$ref: \
         #/components/schemas/connect.v1.NoSuchError` does not resolve"
    )],
    severity: Some(Severity::Breaking),
};

/// Every mutation, for the compile check.
const ALL: [&Mutation; 26] = [
    &UNCHANGED,
    &DESCRIPTIONS_ONLY,
    &ADD_OPTIONAL_FIELD,
    &ADD_REQUIRED_FIELD,
    &ADD_OPTIONAL_PARAMETER,
    &ADD_REQUIRED_PARAMETER,
    &MAKE_FIELD_REQUIRED,
    &REMOVE_FIELD,
    &CHANGE_TYPE,
    &ADD_PATTERN,
    &ADD_UUID_FIELD,
    &ADD_DATE_FIELD,
    &ADD_OPTIONS_OPERATION,
    &MANY_MEDIA_TYPES,
    &MERGE_PATCH_BODY,
    &IMAGE_BODY,
    &QUERY_IN_PATH_KEY,
    &ADD_OPEN_ENUM_VALUE,
    &ADD_CLOSED_ENUM_VALUE,
    &ADD_OPERATION,
    &ADD_ERROR_STATUS_WITH_ANOTHER_BODY,
    &RESPONSES_AS_REFS,
    &BODYLESS_4XX,
    &NO_OPERATION_ID,
    &OPENAPI_3_1,
    &BROKEN_REF,
];

#[test]
fn an_unchanged_spec_round_trips_without_changes() {
    check(&UNCHANGED);
}

#[test]
fn changed_descriptions_are_documentation_only() {
    check(&DESCRIPTIONS_ONLY);
}

#[test]
fn a_new_optional_field_is_additive() {
    check(&ADD_OPTIONAL_FIELD);
}

#[test]
fn a_new_required_field_in_a_response_is_breaking() {
    check(&ADD_REQUIRED_FIELD);
}

#[test]
fn a_new_optional_parameter_is_additive() {
    check(&ADD_OPTIONAL_PARAMETER);
}

#[test]
fn a_new_required_parameter_is_breaking() {
    check(&ADD_REQUIRED_PARAMETER);
}

#[test]
fn a_field_newly_required_in_a_response_is_breaking() {
    check(&MAKE_FIELD_REQUIRED);
}

#[test]
fn a_removed_field_is_breaking() {
    check(&REMOVE_FIELD);
}

#[test]
fn a_changed_field_type_is_breaking() {
    check(&CHANGE_TYPE);
}

#[test]
fn a_pattern_generates_plain_strings() {
    check(&ADD_PATTERN);
}

#[test]
fn a_pattern_generates_the_same_code_as_none() {
    assert_same_code_as_the_spec(&ADD_PATTERN);
}

#[test]
fn a_uuid_field_is_a_string() {
    check(&ADD_UUID_FIELD);
}

#[test]
fn a_date_field_is_a_string() {
    check(&ADD_DATE_FIELD);
}

#[test]
fn an_options_operation_generates() {
    check(&ADD_OPTIONS_OPERATION);
}

#[test]
fn many_media_types_keep_the_json_one() {
    check(&MANY_MEDIA_TYPES);
}

#[test]
fn many_media_types_generate_the_same_code_as_json_alone() {
    assert_same_code_as_the_spec(&MANY_MEDIA_TYPES);
}

#[test]
fn a_merge_patch_body_is_json_sent_as_merge_patch() {
    check(&MERGE_PATCH_BODY);
}

#[test]
fn an_image_body_is_bytes_sent_as_the_image_type() {
    check(&IMAGE_BODY);
}

#[test]
fn a_path_key_with_a_query_string_beside_the_bare_path_generates() {
    check(&QUERY_IN_PATH_KEY);
}

#[test]
fn a_new_value_of_an_open_enum_is_additive() {
    check(&ADD_OPEN_ENUM_VALUE);
}

#[test]
fn a_new_value_of_a_closed_enum_is_breaking() {
    check(&ADD_CLOSED_ENUM_VALUE);
}

#[test]
fn a_new_operation_is_additive() {
    check(&ADD_OPERATION);
}

#[test]
fn an_error_status_with_another_body_changes_the_error_type() {
    check(&ADD_ERROR_STATUS_WITH_ANOTHER_BODY);
}

#[test]
fn responses_moved_behind_refs_change_nothing_for_users() {
    check(&RESPONSES_AS_REFS);
}

#[test]
fn responses_moved_behind_refs_generate_the_same_code() {
    assert_same_code_as_the_spec(&RESPONSES_AS_REFS);
}

#[test]
fn a_bodyless_4xx_is_additive() {
    check(&BODYLESS_4XX);
}

#[test]
fn an_operation_without_operation_id_is_named_after_its_method_and_path() {
    check(&NO_OPERATION_ID);
}

#[test]
fn openapi_3_1_is_refused_and_only_its_version_differs() {
    check(&OPENAPI_3_1);
}

#[test]
fn a_broken_ref_is_refused_with_its_operation() {
    check(&BROKEN_REF);
}

/// Builds the code of every mutation that generates, each as a module of one crate with the
/// dependencies of `confluent-connect-api`, in `cargo check`. Its own target directory keeps it
/// apart from the build running the tests; the workspace's `Cargo.lock` pins the same versions,
/// so nothing is downloaded.
#[test]
fn every_generated_mutation_compiles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("spec-mutations");
    fs::create_dir_all(dir.join("src")).expect("create the crate's directory");
    fs::write(
        dir.join("Cargo.toml"),
        manifest(root, "spec-mutations", "0.0.0"),
    )
    .expect("write Cargo.toml");
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy Cargo.lock");

    let mut lib = support_modules(root);
    let mut built = Vec::new();
    for mutation in ALL {
        if !matches!(mutation.codegen, Codegen::Generates(_)) {
            continue;
        }
        let source = codegen::generate(&mutated(mutation.edit))
            .unwrap_or_else(|e| panic!("{}: {e}", mutation.name));
        fs::write(
            dir.join("src").join(format!("{}.rs", mutation.name)),
            source,
        )
        .expect("write a module");
        lib.push_str(&format!("pub mod {};\n", mutation.name));
        built.push(mutation.name);
    }
    fs::write(dir.join("src/lib.rs"), lib).expect("write lib.rs");
    assert_eq!(built.len(), 24);

    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string()))
        .args(["check", "--offline", "--quiet", "--message-format", "short"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .expect("run cargo check");
    assert!(
        output.status.success(),
        "the generated code of a mutation does not compile:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Sends requests through the code generated from the mutations where what goes out on the wire
/// is the point (OPTIONS, a merge-patch body, an image body, a path key with a query string):
/// `tests/exercise/program.rs`, built with the generated modules and run against wiremock on
/// 127.0.0.1.
#[test]
fn generated_requests_go_out_as_the_spec_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("spec-exercise");
    fs::create_dir_all(dir.join("src")).expect("create the crate's directory");
    let manifest = manifest(root, "spec-exercise", "0.0.0").replace(
        "\n[workspace]\n",
        &format!(
            "wiremock = \"{}\"\n\n[workspace]\n",
            workspace_version(root, "wiremock")
        ),
    );
    fs::write(dir.join("Cargo.toml"), manifest).expect("write Cargo.toml");
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy Cargo.lock");
    let mut main = support_modules(root);
    for mutation in [
        &ADD_OPTIONS_OPERATION,
        &MERGE_PATCH_BODY,
        &IMAGE_BODY,
        &QUERY_IN_PATH_KEY,
    ] {
        let source = codegen::generate(&mutated(mutation.edit))
            .unwrap_or_else(|e| panic!("{}: {e}", mutation.name));
        fs::write(
            dir.join("src").join(format!("{}.rs", mutation.name)),
            source,
        )
        .expect("write a module");
        main.push_str(&format!("mod {};\n", mutation.name));
    }
    main.push_str(&format!(
        "#[path = {:?}]\nmod exercise;\nfn main() {{ exercise::main() }}\n",
        root.join("xtask/tests/exercise/program.rs")
    ));
    fs::write(dir.join("src/main.rs"), main).expect("write main.rs");

    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string()))
        .args(["run", "--offline", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .expect("run cargo run");
    assert!(
        output.status.success(),
        "a generated request did not go out as the spec says:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .collect::<Vec<_>>(),
        [
            "OPTIONS is sent as OPTIONS",
            "a merge-patch body is sent as application/merge-patch+json",
            "an image body is sent as image/png, byte for byte",
            "a path key's query string is sent, and the bare path beside it without it",
        ]
    );
}

/// For every mutation that generates, cargo-semver-checks compares the generated crate with that
/// of the unmutated spec and must say exactly what the mutation records; and whatever it finds
/// breaking, spec-diff must call breaking too: a spec change spec-diff calls additive never
/// breaks the generated Rust API. (The converse does not hold: see the note above
/// [`Mutation`].)
#[test]
#[cfg_attr(
    not(feature = "semver-checks"),
    ignore = "needs cargo-semver-checks: `cargo install --locked cargo-semver-checks@0.51.0`, \
              then `cargo test -p xtask --features semver-checks` (cargo xtask ci does)"
)]
fn spec_diff_and_cargo_semver_checks_agree() {
    semver_checks::require_tool().expect("cargo-semver-checks is installed");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("semver-mutations");
    // One target directory: the generated crates' dependencies are documented once.
    let target = dir.join("target");
    let rustdoc = |mutation: &Mutation| {
        let crate_dir = generated_crate(root, &dir, mutation);
        let out = dir.join(format!("{}.json", mutation.name));
        semver_checks::rustdoc_json(&crate_dir, "generated-api", &target, out)
            .unwrap_or_else(|e| panic!("{}: {e}", mutation.name))
    };
    let baseline = rustdoc(&UNCHANGED);
    let mut found = Vec::new();
    let mut expected = Vec::new();
    for mutation in ALL {
        let Codegen::Generates(semver_checks) = mutation.codegen else {
            continue;
        };
        let current = rustdoc(mutation);
        let (verdict, report) = semver_checks::compare(&baseline, &current, Some("minor"))
            .unwrap_or_else(|e| panic!("{}: {e}", mutation.name));
        if verdict == Verdict::Fails {
            assert_eq!(
                mutation.severity,
                Some(Severity::Breaking),
                "{}: spec-diff calls it {:?}, but it breaks the generated Rust API:\n{report}",
                mutation.name,
                mutation.severity
            );
        }
        found.push((mutation.name, verdict));
        expected.push((mutation.name, semver_checks));
    }
    assert_eq!(found, expected);
    assert_eq!(found.len(), 24);
}

/// Writes the code generated from `mutation` as the crate `generated-api` 1.0.0 in
/// `dir/<name>`, and returns that directory.
fn generated_crate(root: &Path, dir: &Path, mutation: &Mutation) -> std::path::PathBuf {
    let source = codegen::generate(&mutated(mutation.edit))
        .unwrap_or_else(|e| panic!("{}: {e}", mutation.name));
    let crate_dir = dir.join(mutation.name);
    fs::create_dir_all(crate_dir.join("src")).expect("create the crate's directory");
    fs::write(
        crate_dir.join("Cargo.toml"),
        manifest(root, "generated-api", "1.0.0"),
    )
    .expect("write Cargo.toml");
    fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock")).expect("copy Cargo.lock");
    fs::write(crate_dir.join("src/generated.rs"), source).expect("write the generated code");
    let lib = format!(
        "{}mod generated;\npub use generated::*;\n",
        support_modules(root)
    );
    fs::write(crate_dir.join("src/lib.rs"), lib).expect("write lib.rs");
    crate_dir
}

/// The start of the `lib.rs` of a crate of generated code. The generated code names the two
/// hand-written modules of `confluent-connect-api` at the crate root; such a crate has them
/// there too, from the same files.
fn support_modules(root: &Path) -> String {
    let support = root.join("crates/connect-api/src");
    format!(
        "#![allow(warnings)]\n\
         #[path = {:?}]\nmod hooks;\n\
         #[path = {:?}]\nmod raw_json;\n\
         pub use hooks::ResponseHooks;\npub use raw_json::RawJsonObject;\n",
        support.join("hooks.rs"),
        support.join("raw_json.rs"),
    )
}

/// The manifest of a crate of generated code: the generated crate's dependencies, at the versions
/// the workspace asks for, without TLS (the generated code does not name it).
fn manifest(root: &Path, name: &str, version: &str) -> String {
    let pinned = |dependency: &str| workspace_version(root, dependency);
    format!(
        r#"[package]
name = "{name}"
version = "{version}"
edition = "2024"
publish = false

[dependencies]
bytes = "{}"
http = "{}"
http-body = "{}"
http-body-util = "{}"
progenitor-client = "{}"
reqwest = {{ version = "{}", default-features = false, features = ["json", "query"] }}
serde = {{ version = "{}", features = ["derive"] }}
serde_json = {{ version = "{}", features = ["raw_value"] }}
schemars = "{}"
tokio = {{ version = "{}", features = ["rt"] }}

[workspace]
"#,
        pinned("bytes"),
        pinned("http"),
        pinned("http-body"),
        pinned("http-body-util"),
        pinned("progenitor-client"),
        pinned("reqwest"),
        pinned("serde"),
        pinned("serde_json"),
        pinned("schemars"),
        pinned("tokio"),
    )
}

/// codegen refuses output that names a crate outside its list: that list must be exactly the
/// standard library's crates and the dependencies of the crate that compiles the output.
#[test]
fn the_crates_generated_code_may_name_are_the_generated_crates_dependencies() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the workspace");
    let manifest =
        fs::read_to_string(root.join("crates/connect-api/Cargo.toml")).expect("read Cargo.toml");
    let dependencies = manifest
        .split("\n[dependencies]\n")
        .nth(1)
        .and_then(|rest| rest.split("\n[").next())
        .expect("confluent-connect-api has a [dependencies] table");
    let mut named: Vec<String> = ["std", "core", "alloc"]
        .into_iter()
        .map(str::to_owned)
        .chain(
            dependencies
                .lines()
                .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
                .filter_map(|line| line.split(['.', ' ', '=']).next())
                .map(|name| name.replace('-', "_")),
        )
        .collect();
    named.sort();
    let mut allowed: Vec<String> = codegen::CRATES_FOR_GENERATED_CODE
        .iter()
        .map(|name| name.to_string())
        .collect();
    allowed.sort();
    assert_eq!(allowed, named);
}

/// The version of `dependency` that the workspace's `Cargo.toml` asks for.
fn workspace_version(root: &Path, dependency: &str) -> String {
    let workspace = fs::read_to_string(root.join("Cargo.toml")).expect("read Cargo.toml");
    let line = workspace
        .lines()
        .find(|line| line.starts_with(&format!("{dependency} = ")))
        .unwrap_or_else(|| panic!("the workspace pins {dependency}"));
    let value = line.split_once(" = ").map(|(_, v)| v).unwrap_or_default();
    let quoted = match value.split_once("version = ") {
        Some((_, rest)) => rest,
        None => value,
    };
    quoted
        .split('"')
        .nth(1)
        .unwrap_or_else(|| panic!("no version for {dependency} in: {line}"))
        .to_string()
}
