//! The rules of `xtask::spec_diff` that the corpus of mutations of the workspace spec
//! (`spec_mutations.rs`) does not reach: parameters, request bodies, headers, formats, titles,
//! security, schema components read or sent, recursive schemas, and what spec-diff does not
//! understand. Each test edits one line of a small spec and checks the exact changes. The last
//! tests do the same on the STS spec (`openapi/sts-v1.yaml`), the other spec the workspace binds.

use xtask::spec_diff::{self, Severity};

const BASE: &str = r#"
openapi: 3.0.3
info: { title: Things, version: "1" }
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
      - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: A thing.
          headers:
            X-RateLimit-Remaining: { schema: { type: integer } }
            X-Trace: { schema: { type: string } }
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Thing' }
        '404':
          description: Not found.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Problem' }
    post:
      operationId: updateThing
      parameters:
      - { name: id, in: path, required: true, schema: { type: string } }
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/ThingUpdate' }
      responses:
        '202': { description: Accepted. }
components:
  schemas:
    Thing:
      type: object
      title: Thing
      properties:
        id: { type: string }
        parent: { $ref: '#/components/schemas/Thing' }
        size: { type: integer, format: int32 }
    ThingUpdate:
      type: object
      required: [size]
      properties:
        size: { type: integer }
        colour: { type: string, x-extensible-enum: [red, blue] }
        shape: { type: string, enum: [round, square] }
    Problem:
      type: object
      properties:
        message: { type: string }
  securitySchemes:
    key: { type: http, scheme: basic }
    token: { type: http, scheme: bearer }
security:
- key: []
- token: []
"#;

/// The changes from `BASE` to `BASE` with `from` replaced by `to` (which must occur).
fn changes(from: &str, to: &str) -> Vec<String> {
    assert!(BASE.contains(from), "BASE has no {from:?}");
    let report = spec_diff::diff(BASE, &BASE.replacen(from, to, 1)).expect("both compare");
    report.lines()
}

fn why(from: &str, to: &str) -> Vec<String> {
    let report = spec_diff::diff(BASE, &BASE.replacen(from, to, 1)).expect("both compare");
    report.changes.into_iter().map(|c| c.why).collect()
}

#[test]
fn a_recursive_component_renamed_is_compared_once_without_looping() {
    let new = BASE.replace("schemas/Thing'", "schemas/Item'").replacen(
        "    Thing:\n      type: object\n      title: Thing\n",
        "    Item:\n      type: object\n      title: Item\n",
        1,
    );
    let report = spec_diff::diff(BASE, &new).expect("both compare");
    assert_eq!(
        report.lines(),
        [
            "breaking: getThing (GET /things/{id}) > response 200 > application/json > body: \
             `title` changed from Thing to Item",
            "breaking: components > schemas > Thing: schema removed",
            "additive: components > schemas > Item: schema added",
        ]
    );
}

#[test]
fn a_change_inside_a_recursive_schema_is_reported_once() {
    assert_eq!(
        changes(
            "        id: { type: string }",
            "        id: { type: integer }"
        ),
        ["breaking: components > schemas > Thing.id: type changed from string to integer"]
    );
}

#[test]
fn a_new_optional_parameter_is_additive_for_builder_methods() {
    assert_eq!(
        changes(
            "    get:\n      operationId: getThing\n      parameters:\n",
            "    get:\n      operationId: getThing\n      parameters:\n      - { name: \
             expand, in: query, schema: { type: boolean } }\n"
        ),
        [
            "additive: getThing (GET /things/{id}) > parameter `expand` (in query): parameter \
          added (optional)"
        ]
    );
}

#[test]
fn a_new_required_parameter_is_breaking() {
    assert_eq!(
        changes(
            "    get:\n      operationId: getThing\n      parameters:\n",
            "    get:\n      operationId: getThing\n      parameters:\n      - { name: \
             expand, in: query, required: true, schema: { type: boolean } }\n"
        ),
        [
            "breaking: getThing (GET /things/{id}) > parameter `expand` (in query): parameter \
          added (required)"
        ]
    );
}

#[test]
fn a_removed_request_body_is_breaking() {
    let without_body = BASE.replacen(
        "      requestBody:\n        required: true\n        content:\n          \
         application/json:\n            schema: { $ref: '#/components/schemas/ThingUpdate' }\n",
        "",
        1,
    );
    assert_ne!(without_body, BASE);
    let report = spec_diff::diff(BASE, &without_body).expect("both compare");
    assert_eq!(
        report.lines(),
        ["breaking: updateThing (POST /things/{id}) > request body: request body removed"]
    );
}

#[test]
fn a_removed_value_of_an_open_enum_that_is_sent_is_breaking() {
    assert_eq!(
        changes("x-extensible-enum: [red, blue]", "x-extensible-enum: [red]"),
        ["breaking: components > schemas > ThingUpdate.colour: open enum value blue removed"]
    );
}

#[test]
fn a_new_value_of_a_closed_enum_that_is_sent_breaks_exhaustive_matches() {
    assert_eq!(
        changes("enum: [round, square]", "enum: [round, square, oval]"),
        ["breaking: components > schemas > ThingUpdate.shape: enum value oval added"]
    );
    assert_eq!(
        why("enum: [round, square]", "enum: [round, square, oval]"),
        ["the generated Rust enum gains a variant: exhaustive `match`es on it stop compiling"]
    );
}

#[test]
fn a_field_of_a_request_no_longer_required_is_breaking() {
    assert_eq!(
        changes("      required: [size]\n", ""),
        ["breaking: components > schemas > ThingUpdate.size: no longer required"]
    );
}

#[test]
fn a_new_title_renames_the_generated_type() {
    assert_eq!(
        changes("      title: Thing\n", "      title: Item\n"),
        ["breaking: components > schemas > Thing: `title` changed from Thing to Item"]
    );
}

#[test]
fn a_new_title_of_a_plain_string_is_documentation() {
    assert_eq!(
        changes(
            "        id: { type: string }",
            "        id: { type: string, title: Identifier }"
        ),
        ["documentation only: components > schemas > Thing.id: `title` added (Identifier)"]
    );
}

#[test]
fn a_changed_format_is_breaking() {
    assert_eq!(
        changes("format: int32", "format: int64"),
        ["breaking: components > schemas > Thing.size: `format` changed from int32 to int64"]
    );
}

#[test]
fn a_removed_header_the_facade_reads_is_breaking() {
    assert_eq!(
        changes(
            "            X-RateLimit-Remaining: { schema: { type: integer } }\n",
            ""
        ),
        [
            "breaking: getThing (GET /things/{id}) > response 200 > header \
          `x-ratelimit-remaining`: header removed"
        ]
    );
}

#[test]
fn a_removed_header_nobody_reads_is_documentation() {
    assert_eq!(
        changes("            X-Trace: { schema: { type: string } }\n", ""),
        [
            "documentation only: getThing (GET /things/{id}) > response 200 > header `x-trace`: \
          header removed"
        ]
    );
}

#[test]
fn a_removed_security_scheme_is_breaking() {
    assert_eq!(
        changes("    token: { type: http, scheme: bearer }\n", ""),
        ["breaking: components > securitySchemes > token: security scheme removed"]
    );
}

#[test]
fn a_removed_security_requirement_is_breaking() {
    assert_eq!(
        changes("- token: []\n", ""),
        ["breaking: document: security requirement `token` removed"]
    );
}

#[test]
fn a_removed_success_response_is_breaking() {
    assert_eq!(
        changes(
            "        '202': { description: Accepted. }",
            "        '204': { description: Done. }"
        ),
        [
            "breaking: updateThing (POST /things/{id}) > response 202: response removed",
            "additive: updateThing (POST /things/{id}) > response 204: response added",
        ]
    );
}

#[test]
fn a_new_schema_component_is_additive() {
    assert_eq!(
        changes(
            "    Problem:\n",
            "    Label:\n      type: string\n    Problem:\n"
        ),
        ["additive: components > schemas > Label: schema added"]
    );
}

#[test]
fn a_construct_spec_diff_does_not_know_is_breaking_and_says_to_review_it() {
    let from = "      operationId: updateThing\n";
    let to = "      operationId: updateThing\n      callbacks: { done: {} }\n";
    assert_eq!(
        changes(from, to),
        ["breaking: updateThing (POST /things/{id}): `callbacks` added ({\"done\":{}})"]
    );
    assert_eq!(
        why(from, to),
        [
            "spec-diff does not know what this means for the generated code: review the snapshot \
          diff of `cargo xtask codegen` by hand, and teach spec-diff the rule"
        ]
    );
}

#[test]
fn a_change_of_info_is_documentation() {
    assert_eq!(
        changes("version: \"1\"", "version: \"2\""),
        ["documentation only: `info`: `version` changed from 1 to 2"]
    );
}

#[test]
fn the_report_severity_is_the_most_severe_change() {
    let new = BASE
        .replacen("version: \"1\"", "version: \"2\"", 1)
        .replacen(
            "    Problem:\n",
            "    Label:\n      type: string\n    Problem:\n",
            1,
        );
    let report = spec_diff::diff(BASE, &new).expect("both compare");
    assert_eq!(report.severity(), Some(Severity::Additive));
    assert!(!report.is_breaking());
}

#[test]
fn text_that_is_not_an_openapi_document_is_refused_naming_the_side() {
    assert_eq!(
        spec_diff::diff(BASE, "swagger: '2.0'\npaths: {}\n").unwrap_err(),
        "NEW: no `openapi` version field: this is not an OpenAPI 3 document (Swagger 2.0 is not \
         read)"
    );
    assert_eq!(
        spec_diff::diff("openapi: [3", BASE)
            .unwrap_err()
            .split(':')
            .take(2)
            .collect::<Vec<_>>(),
        ["OLD", " the text is not YAML or JSON"]
    );
}

/// BASE with `getThing` (GET /things/{id}) left without `operationId`.
fn without_get_thing_id() -> String {
    let text = BASE.replacen("    get:\n      operationId: getThing\n", "    get:\n", 1);
    assert_ne!(text, BASE);
    text
}

#[test]
fn an_operation_id_that_names_the_method_as_codegen_derived_it_is_documentation() {
    let new = BASE.replacen("operationId: getThing\n", "operationId: getThingsId\n", 1);
    let report = spec_diff::diff(&without_get_thing_id(), &new).expect("both compare");
    assert_eq!(
        report.lines(),
        [
            "documentation only: getThingsId (GET /things/{id}): `operationId` changed from (none: \
             codegen derives getThingsId) to getThingsId"
        ]
    );
}

#[test]
fn an_operation_id_given_where_codegen_derived_another_name_is_a_rename() {
    let report = spec_diff::diff(&without_get_thing_id(), BASE).expect("both compare");
    assert_eq!(
        report.lines(),
        [
            "breaking: getThing (GET /things/{id}): `operationId` changed from (none: codegen \
             derives getThingsId) to getThing"
        ]
    );
    assert_eq!(
        report.changes[0].why,
        "the generated method is renamed from `get_things_id` to `get_thing`"
    );
}

/// Confluent's STS spec, the second spec `confluent-connect-api` binds
/// (`confluent_connect_api::sts`): spec-diff reads it as it reads the Connect spec.
const STS: &str = include_str!("../../openapi/sts-v1.yaml");

/// The changes from `STS` to `STS` with each `(from, to)` replaced once (each must occur).
fn sts_changes(edits: &[(&str, &str)]) -> Vec<String> {
    let mut new = STS.to_string();
    for (from, to) in edits {
        assert_eq!(
            new.matches(from).count(),
            1,
            "STS has not exactly one {from:?}"
        );
        new = new.replacen(from, to, 1);
    }
    let report = spec_diff::diff(STS, &new).expect("both compare");
    report.lines()
}

/// The reply's `required` list, and the same without `expires_in`.
const STS_REPLY_REQUIRED: &str =
    "      required:\n      - access_token\n      - expires_in\n      - issued_token_type\n";
const STS_REPLY_REQUIRED_WITHOUT_EXPIRES_IN: &str =
    "      required:\n      - access_token\n      - issued_token_type\n";

#[test]
fn the_sts_spec_against_itself_has_no_change() {
    let report = spec_diff::diff(STS, STS).expect("the STS spec compares");
    assert_eq!(report.lines(), Vec::<String>::new());
    assert_eq!(report.severity(), None);
    assert!(!report.is_breaking());
}

#[test]
fn sts_expires_in_no_longer_required_in_the_reply_is_breaking() {
    assert_eq!(
        sts_changes(&[(STS_REPLY_REQUIRED, STS_REPLY_REQUIRED_WITHOUT_EXPIRES_IN)]),
        [
            "breaking: components > schemas > sts.v1.TokenExchangeReply.expires_in: no longer \
             required"
        ]
    );
}

#[test]
fn sts_expires_in_removed_from_the_reply_is_breaking() {
    assert_eq!(
        sts_changes(&[
            (
                "        expires_in:\n          description: The length of time, in seconds, \
                 that the access token is valid.\n          example: 3600\n          format: \
                 int32\n          type: integer\n",
                ""
            ),
            (STS_REPLY_REQUIRED, STS_REPLY_REQUIRED_WITHOUT_EXPIRES_IN),
        ]),
        ["breaking: components > schemas > sts.v1.TokenExchangeReply: field `expires_in` removed"]
    );
}

#[test]
fn sts_a_field_removed_from_the_error_response_is_breaking() {
    assert_eq!(
        sts_changes(&[(
            "        detail:\n          description: A human-readable explanation specific to \
             this occurrence of\n            the problem.\n          type: string\n",
            ""
        )]),
        ["breaking: components > schemas > Error: field `detail` removed"]
    );
}

#[test]
fn sts_an_optional_form_field_is_additive() {
    assert_eq!(
        sts_changes(&[(
            "          maximum: 900\n          type: integer\n      type: object\n",
            "          maximum: 900\n          type: integer\n        audience:\n          \
             description: The intended audience of the Confluent token.\n          type: \
             string\n      type: object\n"
        )]),
        [
            "additive: components > schemas > sts.v1.TokenExchangeRequest: field `audience` added \
             (optional)"
        ]
    );
}
