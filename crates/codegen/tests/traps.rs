//! Small adversarial specs, one per known trap of progenitor 0.15, and the errors codegen must
//! give instead of panicking. Where a trap panics raw progenitor, a test shows that first, so
//! the normalisation is seen to be needed and not merely present.

use std::panic::{AssertUnwindSafe, catch_unwind};

use codegen::{CodegenError, generate, parse};

/// A one-operation spec: `GET /things/{id}` (`getThing`) with the given `responses:` block
/// (indented by eight spaces) and optional extra `components:` entries (indented by two).
fn spec(responses: &str, components: &str) -> String {
    format!(
        r#"openapi: 3.0.3
info: {{ title: Trap, version: "1" }}
paths:
  /things/{{id}}:
    get:
      operationId: getThing
      parameters:
      - {{ name: id, in: path, required: true, schema: {{ type: string }} }}
      responses:
{responses}
components:
  schemas:
    Thing:
      type: object
      title: Thing
      properties:
        id: {{ type: string }}
    Problem:
      type: object
      title: Problem
      properties:
        error: {{ type: object, properties: {{ code: {{ type: integer }}, message: {{ type: string }} }} }}
{components}"#
    )
}

const OK_200: &str = r#"        '200':
          description: A thing.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Thing' }"#;

const PROBLEM_404: &str = r#"        '404':
          description: Not found.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Problem' }"#;

const BARE_429: &str = r#"        '429':
          description: Too many requests.
          headers:
            Retry-After: { schema: { type: integer } }"#;

/// Runs raw progenitor (no normalisation) and returns its panic message, if it panicked.
fn raw_progenitor_panic(spec_text: &str) -> Option<String> {
    let spec = parse(spec_text).expect("the trap spec parses");
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        progenitor::Generator::new(&codegen::settings()).generate_tokens(&spec)
    }));
    match outcome {
        Ok(_) => None,
        Err(payload) => Some(
            payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default(),
        ),
    }
}

/// The return type of the `send` method of the generated `get_thing` request builder, without
/// white space or trailing commas.
fn return_type(source: &str) -> String {
    let builder = source
        .find("impl<'a> GetThing<'a>")
        .expect("the GetThing builder is generated");
    let start = builder
        + source[builder..]
            .find("pub async fn send")
            .expect("the builder sends");
    let end = start + source[start..].find('{').expect("the method has a body");
    let signature: String = source[start..end].split_whitespace().collect();
    let arrow = signature.find("->").expect("the method returns something");
    signature[arrow + 2..].replace(",>", ">")
}

#[test]
fn json_errors_beside_a_bodyless_429_panic_raw_progenitor() {
    let text = spec(&[OK_200, PROBLEM_404, BARE_429].join("\n"), "");
    assert_eq!(
        raw_progenitor_panic(&text).as_deref(),
        Some("assertion failed: response_types.len() <= 1")
    );
}

#[test]
fn json_errors_beside_a_bodyless_429_keep_the_typed_error() {
    let source = generate(&spec(&[OK_200, PROBLEM_404, BARE_429].join("\n"), "")).unwrap();
    assert_eq!(
        return_type(&source),
        "Result<ResponseValue<types::Thing>,Error<types::Problem>>"
    );
    assert!(source.contains("404u16 =>"));
    assert!(
        !source.contains("429u16"),
        "429 is left to UnexpectedResponse"
    );
}

#[test]
fn response_refs_are_resolved_before_comparing_bodies() {
    let text = spec(
        r#"        '200':
          description: A thing.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Thing' }
        '404': { $ref: '#/components/responses/NotFound' }
        '429': { $ref: '#/components/responses/TooMany' }"#,
        r#"  responses:
    NotFound:
      description: Not found.
      content:
        application/json:
          schema: { $ref: '#/components/schemas/Problem' }
    TooMany:
      description: Too many requests."#,
    );
    assert!(raw_progenitor_panic(&text).is_some());
    let source = generate(&text).unwrap();
    assert_eq!(
        return_type(&source),
        "Result<ResponseValue<types::Thing>,Error<types::Problem>>"
    );
    assert!(source.contains("404u16 =>"));
}

#[test]
fn different_json_error_bodies_become_any_json() {
    let text = spec(
        &[
            OK_200,
            PROBLEM_404,
            r#"        '409':
          description: Conflict.
          content:
            application/json:
              schema:
                type: object
                title: Conflicts
                properties:
                  errors: { type: array, items: { type: string } }"#,
        ]
        .join("\n"),
        "",
    );
    assert_eq!(
        raw_progenitor_panic(&text).as_deref(),
        Some("assertion failed: response_types.len() <= 1")
    );
    let source = generate(&text).unwrap();
    assert_eq!(
        return_type(&source),
        "Result<ResponseValue<types::Thing>,Error<::serde_json::Value>>"
    );
    assert!(source.contains("404u16 =>") && source.contains("409u16 =>"));
}

#[test]
fn an_untitled_inline_error_schema_is_named_after_the_operation() {
    let text = spec(
        r#"        '200':
          description: A thing.
          content:
            application/json:
              schema: { type: object, properties: { id: { type: string } } }
        '400':
          description: Bad.
          content:
            application/json:
              schema: { type: object, properties: { reason: { type: string } } }"#,
        "",
    );
    let source = generate(&text).unwrap();
    assert_eq!(
        return_type(&source),
        "Result<ResponseValue<types::GetThingResponse>,Error<types::GetThingError>>"
    );
    assert!(source.contains("pub reason: ::std::option::Option<::std::string::String>"));
}

#[test]
fn date_times_are_any_json_value() {
    let text = spec(
        r#"        '200':
          description: A thing.
          content:
            application/json:
              schema:
                type: object
                title: Stamped
                required: [stamp, must]
                properties:
                  stamp: { type: string, format: date-time }
                  must: { type: string, format: date-time, nullable: true }
                  at: { type: string, format: date-time, readOnly: true, example: '2024-02-20 15:14:19+00:00' }
                  maybe: { type: string, format: date-time, nullable: true }
                  tagged: { type: string, format: date-time, x-internal: true }"#,
        "",
    );
    let source = generate(&text).unwrap();
    assert!(source.contains("pub stamp: ::serde_json::Value,"));
    assert!(source.contains("pub must: ::std::option::Option<::serde_json::Value>,"));
    assert!(source.contains("pub at: ::std::option::Option<::serde_json::Value>"));
    assert!(source.contains("pub maybe: ::std::option::Option<::serde_json::Value>"));
    assert!(source.contains("pub tagged: ::std::option::Option<::serde_json::Value>"));
    assert!(!source.contains("chrono"));
}

#[test]
fn a_default_response_beside_a_success_counts_as_an_error() {
    let text = spec(
        &[
            OK_200,
            r#"        default:
          description: Anything else.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Problem' }"#,
        ]
        .join("\n"),
        "",
    );
    assert_eq!(
        raw_progenitor_panic(&text).as_deref(),
        Some("assertion failed: response_types.len() <= 1")
    );
    let source = generate(&text).unwrap();
    assert_eq!(
        return_type(&source),
        "Result<ResponseValue<types::Thing>,Error<types::Problem>>"
    );
    assert!(source.contains("400u16..=499u16 =>") && source.contains("500u16..=599u16 =>"));
}

#[test]
fn a_json_response_without_schema_is_any_json() {
    let text = spec(
        r#"        '200':
          description: Something.
          content:
            application/json: {}"#,
        "",
    );
    let source = generate(&text).unwrap();
    assert_eq!(
        return_type(&source),
        "Result<ResponseValue<::serde_json::Value>,Error<()>>"
    );
}

#[test]
fn success_responses_of_different_kinds_are_refused_with_the_operation() {
    let text = spec(
        &[OK_200, r#"        '204': { description: Nothing. }"#].join("\n"),
        "",
    );
    let error = generate(&text).unwrap_err();
    assert_eq!(
        error.to_string(),
        "operation `getThing` (GET /things/{id}): success responses of different kinds \
         (a JSON body for 200 but no body for 204): progenitor 0.15 gives an operation one \
         success type: describe the successes with one schema"
    );
}

#[test]
fn openapi_3_1_is_refused_by_version() {
    let text = spec(OK_200, "").replace("openapi: 3.0.3", "openapi: 3.1.0");
    let error = generate(&text).unwrap_err();
    assert!(matches!(&error, CodegenError::UnsupportedVersion { found } if found == "3.1.0"));
    assert_eq!(
        error.to_string(),
        "the spec declares OpenAPI 3.1.0, but progenitor 0.15 reads OpenAPI 3.0.x only: convert \
         the document to 3.0.3"
    );
}

#[test]
fn a_broken_schema_ref_is_refused_with_its_location() {
    let text = spec(OK_200, "").replace("schemas/Thing' }", "schemas/Thingy' }");
    let error = generate(&text).unwrap_err();
    assert_eq!(
        error.to_string(),
        "operation `getThing` (GET /things/{id}), at `responses > 200 > content > \
         application/json > schema`: `$ref: #/components/schemas/Thingy` does not resolve: \
         nothing is defined there: fix the name or add the definition"
    );
}

#[test]
fn text_that_is_not_yaml_is_a_syntax_error() {
    let error = generate("openapi: [3.0.3\n").unwrap_err();
    assert!(matches!(error, CodegenError::Syntax(_)), "{error:?}");
}

#[test]
fn yaml_that_is_not_openapi_is_a_document_error() {
    let text = spec(OK_200, "").replace("info: { title: Trap, version: \"1\" }", "info: 7");
    let error = generate(&text).unwrap_err();
    assert!(matches!(error, CodegenError::Document(_)), "{error:?}");
}

#[test]
fn a_progenitor_panic_is_caught_and_names_the_operation() {
    // A JSON response with an `encoding` map trips an assertion inside progenitor that no
    // normalisation covers: codegen must still answer with an error, not a panic.
    let text = spec(
        r#"        '200':
          description: A thing.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Thing' }
              encoding:
                id: { contentType: text/plain }"#,
        "",
    );
    let error = generate(&text).unwrap_err();
    match &error {
        CodegenError::GeneratorPanic { operation, message } => {
            assert_eq!(message, "assertion failed: mt.encoding.is_empty()");
            assert_eq!(
                operation.as_ref().and_then(|o| o.operation_id.as_deref()),
                Some("getThing")
            );
        }
        other => panic!("expected a caught panic, got {other:?}"),
    }
    assert!(error.to_string().starts_with(
        "progenitor panicked while generating operation `getThing` (GET /things/{id}): \
         assertion failed: mt.encoding.is_empty()."
    ));
}

/// The source raw progenitor (no normalisation, no post-pass) generates, as tokens in text.
fn raw_progenitor_source(spec_text: &str) -> String {
    let spec = parse(spec_text).expect("the trap spec parses");
    progenitor::Generator::new(&codegen::settings())
        .generate_tokens(&spec)
        .expect("raw progenitor generates")
        .to_string()
}

/// A `Thing` whose `id` is a string with these extra schema keys, and a path parameter `id`
/// with the same.
fn thing_with_string(keys: &str) -> String {
    spec(OK_200, "")
        .replace(
            "        id: { type: string }",
            &format!("        id: {{ type: string, {keys} }}"),
        )
        .replace(
            "in: path, required: true, schema: { type: string }",
            &format!("in: path, required: true, schema: {{ type: string, {keys} }}"),
        )
}

#[test]
fn a_pattern_makes_raw_progenitor_check_it_with_regress() {
    let text = thing_with_string("pattern: '^[a-z]+$'");
    assert!(raw_progenitor_source(&text).contains(":: regress :: Regex"));
}

#[test]
fn a_pattern_is_dropped_and_the_value_is_a_string() {
    let source = generate(&thing_with_string("pattern: '^[a-z]+$'")).unwrap();
    assert!(!source.contains("regress"));
    assert!(source.contains("pub id: ::std::option::Option<::std::string::String>,"));
    assert!(source.contains("id: Result<::std::string::String, String>,"));
}

#[test]
fn a_uuid_makes_raw_progenitor_name_the_uuid_crate() {
    let text = thing_with_string("format: uuid");
    assert!(raw_progenitor_source(&text).contains(":: uuid :: Uuid"));
}

#[test]
fn a_uuid_is_a_string_in_bodies_and_parameters() {
    let source = generate(&thing_with_string("format: uuid")).unwrap();
    assert!(!source.contains("uuid::"));
    assert!(source.contains("pub id: ::std::option::Option<::std::string::String>,"));
    assert!(source.contains("id: Result<::std::string::String, String>,"));
}

#[test]
fn a_date_makes_raw_progenitor_name_chrono() {
    let text = thing_with_string("format: date");
    assert!(raw_progenitor_source(&text).contains(":: chrono :: naive :: NaiveDate"));
}

#[test]
fn a_date_is_a_string_in_bodies_and_parameters() {
    let source = generate(&thing_with_string("format: date")).unwrap();
    assert!(!source.contains("chrono"));
    assert!(source.contains("pub id: ::std::option::Option<::std::string::String>,"));
    assert!(source.contains("id: Result<::std::string::String, String>,"));
}

/// `getThing` as an OPTIONS operation.
fn options_thing() -> String {
    spec(OK_200, "").replacen("    get:\n", "    options:\n", 1)
}

#[test]
fn an_options_operation_makes_raw_progenitor_call_what_reqwest_lacks() {
    assert!(raw_progenitor_source(&options_thing()).contains(". client . options (url)"));
}

#[test]
fn an_options_operation_is_sent_with_the_options_method() {
    let source = generate(&options_thing()).unwrap();
    assert!(!source.contains(".options(url)"));
    assert!(source.contains(".request(::reqwest::Method::OPTIONS, url)"));
}

#[test]
fn an_operation_without_operation_id_is_named_after_its_method_and_path() {
    let text = spec(OK_200, "").replacen("      operationId: getThing\n", "", 1);
    let source = generate(&text).unwrap();
    assert!(source.contains("pub fn get_things_id(&self) -> builder::GetThingsId<'_>"));
    let normalized = codegen::normalize(parse(&text).unwrap()).unwrap();
    let operation = normalized.paths.paths["/things/{id}"]
        .as_item()
        .and_then(|item| item.get.as_ref())
        .expect("the operation is there");
    assert_eq!(operation.operation_id.as_deref(), Some("getThingsId"));
    assert_eq!(
        operation
            .extensions
            .get(codegen::normalize::DERIVED_OPERATION_ID),
        Some(&serde_json::Value::Bool(true))
    );
}

#[test]
fn a_derived_name_that_another_operation_has_is_refused() {
    let text = spec(OK_200, "")
        .replacen("      operationId: getThing\n", "", 1)
        .replacen(
            "paths:\n",
            "paths:\n  /other:\n    get:\n      operationId: get_things_id\n      responses:\n        '204': { description: Nothing. }\n",
            1,
        );
    assert_eq!(
        generate(&text).unwrap_err().to_string(),
        "operation GET /things/{id}: no `operationId`, and the name derived from its method and \
         path, getThingsId, is another operation's: add an `operationId`: the generated method \
         is named after it"
    );
}

#[test]
fn a_trace_operation_is_sent_with_the_trace_method() {
    let text = spec(OK_200, "").replacen("    get:\n", "    trace:\n", 1);
    assert!(raw_progenitor_source(&text).contains(". client . trace (url)"));
    let source = generate(&text).unwrap();
    assert!(source.contains(".request(::reqwest::Method::TRACE, url)"));
}

/// A spec as openapi-generator flattens it: the answers of two operations and a request body
/// moved into `components` under placeholder names, one with a property moved out too, and an
/// error body shared by both operations' 500s.
fn flattened() -> String {
    r#"openapi: 3.0.3
info: { title: Trap, version: "1" }
paths:
  /things/{id}/status:
    get:
      operationId: readThingStatus
      parameters:
      - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        '200':
          description: Its status.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/inline_response_200_1' }
        '500': { $ref: '#/components/responses/Failed' }
  /things:
    post:
      operationId: createThing
      requestBody: { $ref: '#/components/requestBodies/inline_object' }
      responses:
        '200':
          description: Listed.
          content:
            application/json:
              schema: { type: array, items: { $ref: '#/components/schemas/inline_response_200' } }
        '500':
          description: Failed.
          content:
            application/json:
              schema: { $ref: '#/components/schemas/inline_response_500' }
components:
  requestBodies:
    inline_object:
      content:
        application/json:
          schema: { $ref: '#/components/schemas/inline_object' }
  responses:
    Failed:
      description: Failed.
      content:
        application/json:
          schema: { $ref: '#/components/schemas/inline_response_500' }
  schemas:
    inline_object:
      type: object
      properties: { name: { type: string } }
    inline_response_200:
      type: object
      properties: { name: { type: string } }
    inline_response_200_1:
      type: object
      properties:
        connector: { $ref: '#/components/schemas/inline_response_200_1_connector' }
    inline_response_200_1_connector:
      type: object
      properties: { state: { type: string } }
    inline_response_500:
      type: object
      properties: { message: { type: string } }
"#
    .to_string()
}

fn schema_names(text: &str) -> Vec<String> {
    let normalized = codegen::normalize(parse(text).unwrap()).unwrap();
    normalized
        .components
        .map(|c| c.schemas.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn flattened_schemas_are_named_after_their_use() {
    assert_eq!(
        schema_names(&flattened()),
        [
            "CreateThingBody",
            "CreateThingResponseItem",
            "ReadThingStatusResponse",
            "ReadThingStatusResponse_connector",
            "Error500",
        ]
    );
    let source = generate(&flattened()).unwrap();
    assert!(!source.contains("InlineResponse"), "{source}");
    assert!(
        source.contains("pub connector: ::std::option::Option<ReadThingStatusResponseConnector>")
    );
    assert!(source.contains("ResponseValue<types::ReadThingStatusResponse>"));
}

#[test]
fn a_renamed_schema_records_its_placeholder_name() {
    let normalized = codegen::normalize(parse(&flattened()).unwrap()).unwrap();
    let schema = normalized.components.unwrap().schemas["ReadThingStatusResponse"]
        .as_item()
        .cloned()
        .expect("the schema is there");
    assert_eq!(
        schema
            .schema_data
            .extensions
            .get(codegen::names::FLATTENED_NAME),
        Some(&serde_json::Value::from("inline_response_200_1"))
    );
}

#[test]
fn a_placeholder_whose_new_name_is_taken_keeps_its_name() {
    let text = flattened().replacen(
        "  schemas:\n",
        "  schemas:\n    ReadThingStatusResponse: { type: string }\n",
        1,
    );
    let names = schema_names(&text);
    assert!(
        names.contains(&"inline_response_200_1".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"inline_response_200_1_connector".to_string()),
        "{names:?}"
    );
}

#[test]
fn a_placeholder_used_by_two_operations_successes_keeps_its_name() {
    let text = flattened().replacen(
        "items: { $ref: '#/components/schemas/inline_response_200' }",
        "items: { $ref: '#/components/schemas/inline_response_200_1' }",
        1,
    );
    let names = schema_names(&text);
    assert!(
        names.contains(&"inline_response_200_1".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"inline_response_200".to_string()),
        "{names:?}"
    );
}

#[test]
fn a_name_like_a_placeholder_but_not_one_is_left_alone() {
    let text = flattened()
        .replace("inline_response_200_1", "inline_response_2x0_1")
        .replace("inline_object", "inline_objects");
    let names = schema_names(&text);
    assert!(
        names.contains(&"inline_response_2x0_1".to_string()),
        "{names:?}"
    );
    assert!(names.contains(&"inline_objects".to_string()), "{names:?}");
}

/// `Thing` with a `state` that is a closed enum.
fn thing_with_state() -> String {
    spec(OK_200, "").replacen(
        "        id: { type: string }\n",
        "        id: { type: string }\n        state: { type: string, enum: [RUNNING, PAUSED] }\n",
        1,
    )
}

#[test]
fn a_closed_enum_in_an_answer_makes_raw_progenitor_refuse_other_values() {
    let source = raw_progenitor_source(&thing_with_state());
    assert!(source.contains("pub enum ThingState"), "{source}");
}

#[test]
fn a_closed_enum_in_an_answer_is_an_open_string() {
    let source = generate(&thing_with_state()).unwrap();
    assert!(!source.contains("pub enum ThingState"), "{source}");
    assert!(source.contains("pub state: ::std::option::Option<::std::string::String>"));
    let normalized = codegen::normalize(parse(&thing_with_state()).unwrap()).unwrap();
    let thing = normalized.components.unwrap().schemas["Thing"]
        .as_item()
        .cloned()
        .unwrap();
    let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = thing.schema_kind else {
        panic!("Thing is an object");
    };
    let state = object.properties["state"].as_item().unwrap();
    assert_eq!(
        state
            .schema_data
            .extensions
            .get(codegen::normalize::EXTENSIBLE_ENUM),
        Some(&serde_json::json!(["RUNNING", "PAUSED"]))
    );
}

#[test]
fn a_closed_enum_only_sent_stays_closed() {
    let text = spec(OK_200, "").replacen(
        "      parameters:\n",
        "      parameters:\n      - { name: mode, in: query, schema: { type: string, enum: [fast, slow] } }\n",
        1,
    );
    let source = generate(&text).unwrap();
    assert!(source.contains("pub enum GetThingMode"), "{source}");
}
