//! A small self-managed Apache Kafka Connect worker, on a listener of its own: the REST surface
//! that migrating a connector to Confluent Cloud reads (KIP-875's offsets, the configuration,
//! the status, stop and resume), so that `connect-offsets migrate` is tested end to end on
//! 127.0.0.1.
//!
//! Its connectors stand still (no data flows through them): their offsets are exactly those
//! configured, which is what a migration must carry over.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use serde_json::{Map, Value, json};

/// The worker every self-managed connector runs on.
const WORKER_ID: &str = "connect-worker-1:8083";

/// One self-managed connector.
#[derive(Debug, Clone)]
struct SelfManaged {
    config: BTreeMap<String, String>,
    offsets: Vec<Value>,
    kind: &'static str,
    state: &'static str,
}

/// The worker's connectors, by name.
type Connectors = Arc<Mutex<BTreeMap<String, SelfManaged>>>;

/// The worker's routes, serving the built-in connectors.
pub(crate) fn router() -> Router {
    let connectors: Connectors = Arc::new(Mutex::new(default_connectors()));
    Router::new()
        .route("/connectors", get(names))
        .route("/connectors/{name}/config", get(config))
        .route("/connectors/{name}/status", get(status))
        .route("/connectors/{name}/offsets", get(offsets))
        .route("/connectors/{name}/stop", put(stop))
        .route("/connectors/{name}/resume", put(resume))
        .with_state(connectors)
}

/// Two connectors as a self-managed cluster has them: an S3 sink whose configuration holds an
/// AWS secret, with an offset above 2^53, and a JDBC source.
fn default_connectors() -> BTreeMap<String, SelfManaged> {
    let config = |entries: &[(&str, &str)]| -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    };
    let sink_partition = |partition: u32, offset: u64| {
        json!({
            "partition": {"kafka_topic": "orders", "kafka_partition": partition},
            "offset": {"kafka_offset": offset}
        })
    };
    BTreeMap::from([
        (
            "legacy-orders-sink".to_owned(),
            SelfManaged {
                config: config(&[
                    ("connector.class", "io.confluent.connect.s3.S3SinkConnector"),
                    ("name", "legacy-orders-sink"),
                    ("topics", "orders"),
                    ("tasks.max", "2"),
                    ("s3.bucket.name", "orders-archive"),
                    ("aws.access.key.id", "AKIAEXAMPLEKEY0001"),
                    ("aws.secret.access.key", "self-managed-aws-secret"),
                    (
                        "format.class",
                        "io.confluent.connect.s3.format.json.JsonFormat",
                    ),
                ]),
                offsets: vec![
                    sink_partition(0, 1234),
                    sink_partition(1, 5678),
                    sink_partition(2, 9_007_199_254_740_993),
                ],
                kind: "sink",
                state: "RUNNING",
            },
        ),
        (
            "legacy-jdbc-source".to_owned(),
            SelfManaged {
                config: config(&[
                    (
                        "connector.class",
                        "io.confluent.connect.jdbc.JdbcSourceConnector",
                    ),
                    ("name", "legacy-jdbc-source"),
                    ("connection.url", "jdbc:mysql://db.internal:3306/inventory"),
                    ("connection.password", "self-managed-db-password"),
                    ("mode", "timestamp+incrementing"),
                    ("table.whitelist", "inventory.products"),
                ]),
                offsets: vec![json!({
                    "partition": {"protocol": "1", "table": "inventory.products"},
                    "offset": {"timestamp": 1_708_442_059_000_i64, "timestamp_nanos": 0,
                               "incrementing": 77}
                })],
                kind: "source",
                state: "RUNNING",
            },
        ),
    ])
}

fn lock(connectors: &Connectors) -> std::sync::MutexGuard<'_, BTreeMap<String, SelfManaged>> {
    connectors.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Kafka Connect's error body.
fn error(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(json!({ "error_code": status.as_u16(), "message": message })),
    )
        .into_response()
}

fn not_found(name: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        &format!("Connector {name} not found"),
    )
}

async fn names(State(connectors): State<Connectors>) -> Response {
    let names: Vec<String> = lock(&connectors).keys().cloned().collect();
    axum::Json(names).into_response()
}

async fn config(State(connectors): State<Connectors>, Path(name): Path<String>) -> Response {
    match lock(&connectors).get(&name) {
        Some(connector) => axum::Json(&connector.config).into_response(),
        None => not_found(&name),
    }
}

async fn status(State(connectors): State<Connectors>, Path(name): Path<String>) -> Response {
    match lock(&connectors).get(&name) {
        Some(connector) => axum::Json(json!({
            "name": name,
            "connector": {"state": connector.state, "worker_id": WORKER_ID},
            "tasks": [{"id": 0, "state": connector.state, "worker_id": WORKER_ID}],
            "type": connector.kind,
        }))
        .into_response(),
        None => not_found(&name),
    }
}

/// KIP-875's `GET /connectors/{name}/offsets`.
async fn offsets(State(connectors): State<Connectors>, Path(name): Path<String>) -> Response {
    match lock(&connectors).get(&name) {
        Some(connector) => {
            let mut body = Map::new();
            body.insert(
                "offsets".to_owned(),
                Value::Array(connector.offsets.clone()),
            );
            axum::Json(Value::Object(body)).into_response()
        }
        None => not_found(&name),
    }
}

/// KIP-875's `PUT /connectors/{name}/stop`: the connector and its tasks stop, offsets kept.
async fn stop(State(connectors): State<Connectors>, Path(name): Path<String>) -> Response {
    set_state(&connectors, &name, "STOPPED", StatusCode::NO_CONTENT)
}

/// `PUT /connectors/{name}/resume`.
async fn resume(State(connectors): State<Connectors>, Path(name): Path<String>) -> Response {
    set_state(&connectors, &name, "RUNNING", StatusCode::ACCEPTED)
}

fn set_state(
    connectors: &Connectors,
    name: &str,
    state: &'static str,
    answer: StatusCode,
) -> Response {
    match lock(connectors).get_mut(name) {
        Some(connector) => {
            connector.state = state;
            answer.into_response()
        }
        None => not_found(name),
    }
}
