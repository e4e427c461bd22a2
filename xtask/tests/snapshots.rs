//! The reviewed form of everything generated from the specs `confluent-connect-api` binds
//! (`crates/connect-api/specs.rs`): each client's source, each spec as the generator sees it
//! after normalisation, and the facade's view of every example in the specs (the generated
//! type's, for an operation the facade does not wrap). `cargo xtask codegen` rewrites these
//! snapshots; `cargo xtask check` (and the test suite) fails while they are stale.

use confluent_connect::{
    AlterRequest, AlterStatus, ApiError, ConfigValidation, ConnectorInfo, ConnectorOffsets,
    ConnectorStatus, ConnectorSummary, Plugin, StatusCode, TaskConfig,
};
use confluent_connect_api::{sts, types};
use serde_json::Value;

mod common;

use common::normalized_spec_yaml;

// The specs `confluent-connect-api` binds (`BoundSpec`, `SPECS`): the list its build script
// generates from.
include!("../../crates/connect-api/specs.rs");

impl BoundSpec {
    /// The spec's text, from `openapi/`.
    fn text(&self) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../openapi")
            .join(self.file);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// The name of the snapshot `what` of this spec: `what` for the Connect spec (whose
    /// snapshots kept their names when other specs came), `<module>_<what>` for another.
    fn snapshot(&self, what: &str) -> String {
        match self.module {
            None => what.to_string(),
            Some(module) => format!("{module}_{what}"),
        }
    }
}

#[test]
fn generated_client() {
    for spec in SPECS {
        let source = codegen::generate(&spec.text())
            .unwrap_or_else(|e| panic!("{} does not generate: {e}", spec.file));
        insta::assert_snapshot!(spec.snapshot("generated_client"), source);
    }
}

#[test]
fn normalized_spec() {
    for spec in SPECS {
        // The expression recorded in the snapshot's header, as it was with one spec.
        insta::assert_snapshot!(
            spec.snapshot("normalized_spec"),
            normalized_spec_yaml(&spec.text()),
            "normalized_spec_yaml(SPEC)"
        );
    }
}

/// One response example of the spec.
struct Example {
    operation_id: String,
    status: String,
    name: String,
    value: Value,
}

/// The response examples of every bound spec.
fn examples() -> Vec<Example> {
    let mut found = Vec::new();
    for bound in SPECS {
        let spec: Value = serde_norway::from_str(&bound.text()).expect("the spec is YAML");
        found.extend(spec_examples(&spec));
    }
    found
}

fn spec_examples(spec: &Value) -> Vec<Example> {
    let mut found = Vec::new();
    let paths = spec["paths"].as_object().expect("the spec has paths");
    for item in paths.values() {
        for operation in item.as_object().into_iter().flat_map(|i| i.values()) {
            let Some(operation_id) = operation["operationId"].as_str() else {
                continue;
            };
            let responses = operation["responses"].as_object().into_iter().flatten();
            for (status, response) in responses {
                let response = resolve(spec, response);
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

/// The component a `$ref` names, or `node` itself.
fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| spec.pointer(pointer))
        .unwrap_or(node)
}

/// Decodes `bytes` into the generated type `T`, and returns what it keeps, as JSON with sorted
/// keys (its `Debug` would show its maps in a different order at each run).
fn generated<T: serde::de::DeserializeOwned + serde::Serialize>(
    bytes: &[u8],
) -> Result<String, String> {
    let decoded = serde_json::from_slice::<T>(bytes).map_err(|e| format!("generated type: {e}"))?;
    let kept = serde_json::to_value(&decoded).map_err(|e| e.to_string())?;
    serde_json::to_string_pretty(&kept).map_err(|e| e.to_string())
}

/// Decodes an example into the generated type and the facade type of its operation and status,
/// and returns the facade's view (the generated type's alone where the facade returns no type
/// of its own: the names listing, the answer to a delete, and the STS client's errors).
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
        ("listConnectv1Connectors", 200) => generated::<Vec<String>>(&bytes),
        ("listConnectv1ConnectorsWithExpansions", 200) => {
            generated::<types::ConnectV1ConnectorExpansionMap>(&bytes)?;
            let list =
                ConnectorSummary::list_from_json(&bytes).map_err(|e| format!("facade: {e}"))?;
            Ok(format!("{list:#?}"))
        }
        ("readConnectv1ConnectorStatus", 200) => {
            generated::<types::ReadConnectv1ConnectorStatusResponse>(&bytes)?;
            let status = ConnectorStatus::from_json(&bytes).map_err(|e| format!("facade: {e}"))?;
            Ok(format!("{status:#?}"))
        }
        ("readConnectv1Connector" | "createOrUpdateConnectv1ConnectorConfig", 200)
        | ("createConnectv1Connector", 201) => {
            generated::<types::ConnectV1Connector>(&bytes)?;
            let info = ConnectorInfo::from_json(&bytes).map_err(|e| format!("facade: {e}"))?;
            Ok(format!("{info:#?}"))
        }
        ("getConnectv1ConnectorConfig", 200) => {
            generated::<types::GetConnectv1ConnectorConfigResponse>(&bytes)?;
            let config: confluent_connect::ConnectorConfig =
                serde_json::from_slice::<std::collections::BTreeMap<String, String>>(&bytes)
                    .map_err(|e| format!("as a map of strings: {e}"))?
                    .into_iter()
                    .collect();
            Ok(format!("{config:#?}"))
        }
        ("deleteConnectv1Connector", 200) => {
            generated::<types::DeleteConnectv1ConnectorResponse>(&bytes)
        }
        ("listConnectv1ConnectorTasks", 200) => {
            generated::<types::ConnectV1Connectors>(&bytes)?;
            let tasks = TaskConfig::list_from_json(&bytes).map_err(|e| format!("facade: {e}"))?;
            Ok(format!("{tasks:#?}"))
        }
        ("listConnectv1ConnectorPlugins", 200) => {
            generated::<Vec<types::ListConnectv1ConnectorPluginsResponseItem>>(&bytes)?;
            let plugins = Plugin::list_from_json(&bytes).map_err(|e| format!("facade: {e}"))?;
            Ok(format!("{plugins:#?}"))
        }
        ("validateConnectv1ConnectorPlugin", 200) => {
            generated::<types::ValidateConnectv1ConnectorPluginResponse>(&bytes)?;
            let validation =
                ConfigValidation::from_json(&bytes).map_err(|e| format!("facade: {e}"))?;
            Ok(format!("{validation:#?}"))
        }
        // The STS client, which the facade does not wrap: the generated type's view.
        ("exchangeStsV1OauthToken", 400..=599) => generated::<sts::types::Failure>(&bytes),
        ("createConnectv1Connector" | "createOrUpdateConnectv1ConnectorConfig", 400..=599) => {
            let error = ApiError::from_body(status, &bytes, Some("req-example".to_string()));
            Ok(format!("{error:#?}\n\nbody: {}", example.value))
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
        72,
        "the specs' response examples: Connect: GET offsets 2 for 200 and 5 error bodies; alter 1 \
         for 202 and 5 error bodies; status 1 for 200 and 5 error bodies; the 13 imported \
         operations 51. STS: the token exchange's 400 and 500 error bodies"
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
    let mut decoded = Vec::new();
    for bound in SPECS {
        let spec: Value = serde_norway::from_str(&bound.text()).expect("the spec is YAML");
        for item in spec["paths"].as_object().expect("paths").values() {
            for operation in item.as_object().into_iter().flat_map(|i| i.values()) {
                let Some(media) = operation.pointer("/requestBody/content/application~1json")
                else {
                    continue;
                };
                let operation_id = operation["operationId"].as_str().unwrap_or("?");
                for (name, example) in media["examples"].as_object().into_iter().flatten() {
                    decoded.push(decode_request(operation_id, name, &example["value"]));
                }
                if let Some(example) = media.get("example") {
                    decoded.push(decode_request(operation_id, "example", example));
                }
            }
        }
    }
    decoded.sort();
    assert_eq!(
        decoded,
        [
            "alterConnectv1ConnectorOffsetsRequest delete: DELETE with 0 entries",
            "alterConnectv1ConnectorOffsetsRequest patch: PATCH with 1 entries",
            "createConnectv1Connector sink: GcsSink with 1 offsets",
            "createConnectv1Connector source: MySqlCdcSourceV2 with 1 offsets",
            "createOrUpdateConnectv1ConnectorConfig example: GcsSink",
            "validateConnectv1ConnectorPlugin example: GcsSink",
        ]
    );
}

/// Decodes a request example into the generated body type of its operation.
fn decode_request(operation_id: &str, name: &str, value: &Value) -> String {
    fn decode<T: serde::de::DeserializeOwned>(operation_id: &str, name: &str, value: &Value) -> T {
        serde_json::from_value(value.clone()).unwrap_or_else(|e| {
            panic!("request example `{name}` of {operation_id} does not decode: {e}")
        })
    }
    let what = match operation_id {
        "alterConnectv1ConnectorOffsetsRequest" => {
            let body: types::ConnectV1AlterOffsetRequest = decode(operation_id, name, value);
            format!("{} with {} entries", body.type_, body.offsets.len())
        }
        "createConnectv1Connector" => {
            let body: types::CreateConnectv1ConnectorBody = decode(operation_id, name, value);
            format!(
                "{} with {} offsets",
                body.config.map(|c| c.connector_class).unwrap_or_default(),
                body.offsets.map_or(0, |o| o.len())
            )
        }
        "createOrUpdateConnectv1ConnectorConfig" => {
            let body: types::CreateOrUpdateConnectv1ConnectorConfigBody =
                decode(operation_id, name, value);
            body.connector_class
        }
        "validateConnectv1ConnectorPlugin" => {
            let body: std::collections::BTreeMap<String, String> =
                decode(operation_id, name, value);
            body.get("connector.class").cloned().unwrap_or_default()
        }
        other => panic!("no request decoder for {other}: add one to decode_request"),
    };
    format!("{operation_id} {name}: {what}")
}
