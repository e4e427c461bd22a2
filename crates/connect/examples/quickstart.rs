//! Quickstart: reads the offsets of a sink and a source connector from a local server that
//! serves the spec's own examples, and prints them as tables. No Confluent Cloud account is
//! needed.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! Against Confluent Cloud, the same code works with `Client::from_env()` and real ids.

use std::collections::BTreeMap;

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, StatusCode, header::AUTHORIZATION},
    response::{IntoResponse, Response},
    routing::get,
};
use confluent_connect::{Client, ConnectorOffsets};
use serde_json::{Value, json};

/// The spec the local server takes its answers from.
const SPEC: &str = include_str!("../../../openapi/connect-v1.yaml");
const OFFSETS_PATH: &str = "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}/offsets";
const API_KEY: &str = "QUICKSTARTKEY";
const API_SECRET: &str = "quickstart-secret";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let examples = offsets_examples()?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let app = Router::new()
        .route(OFFSETS_PATH, get(offsets))
        .with_state(examples.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    println!("Local server with the spec's examples at {base_url}\n");

    let client = Client::builder()
        .api_key(API_KEY, API_SECRET)
        .base_url(&base_url)
        .build()?;
    for name in examples.keys() {
        let offsets = client
            .connector("env-quickstart", "lkc-quickstart", name)
            .offsets()
            .await?;
        print_table(&offsets);
    }
    Ok(())
}

/// The 200 examples of the offsets operation in the spec, by connector name.
fn offsets_examples() -> Result<BTreeMap<String, Value>, Box<dyn std::error::Error>> {
    let spec: Value = serde_norway::from_str(SPEC)?;
    let pointer = "/paths/~1connect~1v1~1environments~1{environment_id}~1clusters~1{kafka_cluster_id}~1connectors~1{connector_name}~1offsets/get/responses/200/content/application~1json/examples";
    let examples = spec
        .pointer(pointer)
        .and_then(Value::as_object)
        .ok_or("the spec has no examples for the offsets operation")?;
    Ok(examples
        .values()
        .filter_map(|example| example.get("value"))
        .filter_map(|value| Some((value.get("name")?.as_str()?.to_string(), value.clone())))
        .collect())
}

async fn offsets(
    State(examples): State<BTreeMap<String, Value>>,
    Path((_environment, _cluster, name)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    if !headers.contains_key(AUTHORIZATION) {
        return error(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    match examples.get(&name) {
        Some(body) => Json(body.clone()).into_response(),
        None => error(StatusCode::NOT_FOUND, "resource not found"),
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    let body = json!({ "error": { "code": status.as_u16(), "message": message } });
    (status, Json(body)).into_response()
}

fn print_table(offsets: &ConnectorOffsets) {
    let name = offsets.name.as_deref().unwrap_or("?");
    let id = offsets.id.as_deref().unwrap_or("?");
    let observed = offsets
        .observed_at
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_else(|| "unknown".to_string());
    println!("{name} ({id}), observed at {observed}");
    match offsets.sink() {
        Ok(sink) => {
            println!("  {:<20} {:>9} {:>12}", "TOPIC", "PARTITION", "OFFSET");
            for entry in sink {
                println!(
                    "  {:<20} {:>9} {:>12}",
                    entry.topic, entry.partition, entry.offset
                );
            }
        }
        Err(_) => {
            println!("  {:<48} OFFSET", "PARTITION");
            for entry in &offsets.offsets {
                println!(
                    "  {:<48} {}",
                    Value::Object(entry.partition.clone()),
                    Value::Object(entry.offset.clone())
                );
            }
        }
    }
    println!();
}
