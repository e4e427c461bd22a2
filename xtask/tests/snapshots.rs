//! The reviewed form of everything generated from the spec: the client's source, the spec as
//! the generator sees it after normalisation, and the facade's view of every example in the
//! spec. `cargo xtask codegen` rewrites these snapshots; `cargo xtask check` (and the test
//! suite) fails while they are stale.

use confluent_connect::{AlterRequest, AlterStatus, ApiError, ConnectorOffsets, StatusCode};
use confluent_connect_api::types;
use serde_json::Value;

mod common;

use common::{SPEC, normalized_spec_yaml};

#[test]
fn generated_client() {
    let source = codegen::generate(SPEC).expect("the spec generates");
    insta::assert_snapshot!("generated_client", source);
}

#[test]
fn normalized_spec() {
    insta::assert_snapshot!("normalized_spec", normalized_spec_yaml(SPEC));
}

/// One response example of the spec.
struct Example {
    operation_id: String,
    status: String,
    name: String,
    value: Value,
}

fn examples() -> Vec<Example> {
    let spec: Value = serde_norway::from_str(SPEC).expect("the spec is YAML");
    let mut found = Vec::new();
    let paths = spec["paths"].as_object().expect("the spec has paths");
    for item in paths.values() {
        for operation in item.as_object().into_iter().flat_map(|i| i.values()) {
            let Some(operation_id) = operation["operationId"].as_str() else {
                continue;
            };
            let responses = operation["responses"].as_object().into_iter().flatten();
            for (status, response) in responses {
                let Some(media) = response.pointer("/content/application~1json") else {
                    continue;
                };
                let mut push = |name: &str, value: &Value| {
                    found.push(Example {
                        operation_id: operation_id.to_string(),
                        status: status.clone(),
                        name: name.to_string(),
                        value: value.clone(),
                    })
                };
                if let Some(value) = media.get("example") {
                    push("example", value);
                }
                for (name, example) in media["examples"].as_object().into_iter().flatten() {
                    push(name, &example["value"]);
                }
            }
        }
    }
    found
}

/// Decodes an example into the generated type and the facade type of its operation and status,
/// and returns the facade's view.
fn facade_view(example: &Example) -> Result<String, String> {
    let bytes = serde_json::to_vec(&example.value).map_err(|e| e.to_string())?;
    let status: u16 = example
        .status
        .parse()
        .map_err(|_| "not a status code".to_string())?;
    let status = StatusCode::from_u16(status).map_err(|e| e.to_string())?;
    match (example.operation_id.as_str(), status.as_u16()) {
        ("getConnectv1ConnectorOffsets", 200) => {
            serde_json::from_slice::<types::ConnectV1ConnectorOffsets>(&bytes)
                .map_err(|e| format!("generated type: {e}"))?;
            let offsets =
                ConnectorOffsets::from_json(&bytes).map_err(|e| format!("facade: {e}"))?;
            let sink = offsets.sink().map_err(|e| e.to_string());
            Ok(format!("{offsets:#?}\n\nsink view: {sink:#?}"))
        }
        ("alterConnectv1ConnectorOffsetsRequest", 202) => {
            serde_json::from_slice::<types::ConnectV1AlterOffsetRequestInfo>(&bytes)
                .map_err(|e| format!("generated type: {e}"))?;
            let request = AlterRequest::from_json(&bytes).map_err(|e| format!("facade: {e}"))?;
            Ok(format!("{request:#?}"))
        }
        ("getConnectv1ConnectorOffsetsRequestStatus", 200) => {
            serde_json::from_slice::<types::ConnectV1AlterOffsetStatus>(&bytes)
                .map_err(|e| format!("generated type: {e}"))?;
            let status = AlterStatus::from_json(&bytes).map_err(|e| format!("facade: {e}"))?;
            Ok(format!("{status:#?}"))
        }
        (_, 400..=599) => {
            serde_json::from_slice::<types::ConnectV1ConnectorError>(&bytes)
                .map_err(|e| format!("generated type: {e}"))?;
            let error = ApiError::from_body(status, &bytes, Some("req-example".to_string()))
                .ok_or("facade: not the documented error body")?;
            Ok(format!("{error:#?}\n\nmessage: {error}"))
        }
        (operation, status) => Err(format!(
            "no decoder for {operation} {status}: add one to facade_view in {}",
            file!()
        )),
    }
}

#[test]
fn every_spec_example_decodes_into_the_generated_and_the_facade_types() {
    let examples = examples();
    assert_eq!(
        examples.len(),
        19,
        "the spec's response examples: GET offsets 2 for 200 and 5 error bodies; alter 1 for 202 \
         and 5 error bodies; status 1 for 200 and 5 error bodies"
    );
    for example in &examples {
        let view = facade_view(example).unwrap_or_else(|e| {
            panic!(
                "example `{}` of {} {} does not decode: {e}",
                example.name, example.operation_id, example.status
            )
        });
        let name = format!(
            "example__{}__{}__{}",
            example.operation_id, example.status, example.name
        );
        insta::assert_snapshot!(name, view);
    }
}

#[test]
fn every_request_body_example_decodes_into_the_generated_request_type() {
    let spec: Value = serde_norway::from_str(SPEC).expect("the spec is YAML");
    let mut decoded = Vec::new();
    for item in spec["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().into_iter().flat_map(|i| i.values()) {
            let Some(media) = operation.pointer("/requestBody/content/application~1json") else {
                continue;
            };
            let operation_id = operation["operationId"].as_str().unwrap_or("?");
            for (name, example) in media["examples"].as_object().into_iter().flatten() {
                let body: types::ConnectV1AlterOffsetRequest =
                    serde_json::from_value(example["value"].clone()).unwrap_or_else(|e| {
                        panic!("request example `{name}` of {operation_id} does not decode: {e}")
                    });
                decoded.push(format!(
                    "{operation_id} {name}: {} with {} entries",
                    body.type_,
                    body.offsets.len()
                ));
            }
        }
    }
    assert_eq!(
        decoded,
        [
            "alterConnectv1ConnectorOffsetsRequest delete: DELETE with 0 entries",
            "alterConnectv1ConnectorOffsetsRequest patch: PATCH with 1 entries",
        ]
    );
}
