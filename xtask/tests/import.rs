//! `cargo xtask import-spec`: the workspace's spec rebuilt from Confluent's published document.

use serde_norway::Value;
use xtask::import::{KEPT_TAG, import};

const SPEC: &str = include_str!("../../openapi/connect-v1.yaml");
const PUBLISHED: &str = include_str!("../../openapi/published/connect-v1.yaml");

fn yaml(text: &str) -> Value {
    serde_norway::from_str(text).expect("YAML")
}

#[test]
fn the_spec_is_the_import_of_the_published_document() {
    assert_eq!(import(SPEC, PUBLISHED).unwrap(), SPEC);
}

#[test]
fn the_spec_has_the_sixteen_published_operations() {
    let spec = yaml(SPEC);
    let mut ids: Vec<&str> = spec["paths"]
        .as_mapping()
        .unwrap()
        .values()
        .flat_map(|item| item.as_mapping().unwrap().values())
        .filter_map(|operation| operation.get("operationId")?.as_str())
        .collect();
    let published = yaml(PUBLISHED);
    let mut published_ids: Vec<&str> = published["paths"]
        .as_mapping()
        .unwrap()
        .values()
        .flat_map(|item| item.as_mapping().unwrap().values())
        .filter_map(|operation| operation.get("operationId")?.as_str())
        .collect();
    ids.sort();
    published_ids.sort();
    assert_eq!(ids.len(), 16);
    assert_eq!(ids, published_ids);
}

#[test]
fn the_kept_operations_stay_as_written_and_first() {
    // The text of the offsets GET is byte for byte what it was before the import (the import
    // copies the kept paths as text), and it is still the first path.
    let rebuilt = import(SPEC, PUBLISHED).unwrap();
    let offsets = "  /connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}/offsets:\n";
    let start = rebuilt.find("paths:\n").unwrap() + "paths:\n".len();
    assert!(rebuilt[start..].starts_with(offsets));
    let spec = yaml(&rebuilt);
    let first = spec["paths"].as_mapping().unwrap().iter().next().unwrap();
    assert_eq!(
        first.1["get"]["tags"][0].as_str(),
        Some(KEPT_TAG),
        "{:?}",
        first.0
    );
    // Quoted timestamps in the kept examples stay quoted.
    assert!(rebuilt.contains("observed_at: '2024-02-20 15:14:19+00:00'"));
}

#[test]
fn a_published_operation_replaces_the_previous_import() {
    let changed = PUBLISHED.replacen(
        "operationId: readConnectv1ConnectorStatus",
        "operationId: readConnectv1ConnectorState",
        1,
    );
    let rebuilt = import(SPEC, &changed).unwrap();
    assert!(rebuilt.contains("operationId: readConnectv1ConnectorState"));
    assert!(!rebuilt.contains("operationId: readConnectv1ConnectorStatus"));
    assert_eq!(import(&rebuilt, &changed).unwrap(), rebuilt);
}

#[test]
fn only_the_components_the_imported_operations_use_are_imported() {
    let spec = yaml(SPEC);
    let schemas = spec["components"]["schemas"].as_mapping().unwrap();
    // Used only by the published copies of the offsets operations, which are not imported.
    for unused in [
        "connect.v1.ConnectorOffsets",
        "connect.v1.AlterOffsetStatus",
    ] {
        assert!(schemas.get(unused).is_none(), "{unused}");
    }
    assert!(schemas.get("connect.v1.ConnectorExpansion").is_some());
}

#[test]
fn the_workspace_s_security_schemes_win_over_the_published_ones() {
    let spec = yaml(SPEC);
    let description = spec["components"]["securitySchemes"]["cloud-api-key"]["description"]
        .as_str()
        .unwrap();
    assert!(description.starts_with("A Cloud API key: the key id is the user name"));
}

#[test]
fn a_kept_operation_published_under_another_tag_is_refused() {
    let moved = PUBLISHED.replacen(
        "      - Offsets (connect/v1)\n",
        "      - Connectors (connect/v1)\n",
        1,
    );
    let error = import(SPEC, &moved).unwrap_err();
    assert!(
        error.starts_with("the published spec has GET /connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}/offsets under tags [\"Connectors (connect/v1)\"]"),
        "{error}"
    );
}

#[test]
fn a_published_reference_to_nothing_is_refused() {
    let broken = PUBLISHED.replacen(
        "$ref: '#/components/schemas/connect.v1.ConnectorExpansionMap'",
        "$ref: '#/components/schemas/connect.v1.Nothing'",
        1,
    );
    assert_eq!(
        import(SPEC, &broken).unwrap_err(),
        "the published spec: `$ref: #/components/schemas/connect.v1.Nothing` does not resolve"
    );
}

#[test]
fn text_that_is_not_yaml_is_refused() {
    assert!(
        import(SPEC, "paths: [")
            .unwrap_err()
            .starts_with("the published spec: ")
    );
}
