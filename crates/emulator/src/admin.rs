//! The emulator's own controls, under `/emulator/v1`, apart from the API's paths.
//!
//! | method and path | what it does |
//! | --- | --- |
//! | `GET /emulator/v1/health` | `{"status":"ok"}` |
//! | `GET`, `PUT`, `DELETE /emulator/v1/faults` | read, set or clear the global faults |
//! | `GET`, `PUT`, `DELETE /emulator/v1/faults/environments/{env}/clusters/{cluster}/connectors/{name}` | the same for one connector |
//! | `POST /emulator/v1/clock/advance` with `{"millis": N}` | move a manual clock forward |
//! | `GET /emulator/v1/stats` | the API answers so far, by status: `{"answers":N,"by_status":{"200":N}}` |
//!
//! Bodies are JSON; a `PUT` of faults takes the fields of [`crate::Faults`], each optional.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::app::{App, FaultScope, set_faults, with_connector};
use crate::error::EmulatorError;
use crate::faults::Faults;
use crate::response::{error_response, json_response};
use crate::state::Missing;

type ConnectorPath = Path<(String, String, String)>;

pub(crate) fn router() -> Router<Arc<App>> {
    Router::new()
        .route("/health", get(health))
        .route("/faults", get(get_global).put(put_global).delete(delete_global))
        .route(
            "/faults/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}",
            get(get_connector).put(put_connector).delete(delete_connector),
        )
        .route(
            "/task-failures/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}",
            axum::routing::put(put_task_failure).delete(delete_task_failure),
        )
        .route("/clock/advance", post(advance_clock))
        .route("/stats", get(stats))
}

async fn stats(State(app): State<Arc<App>>) -> Response {
    let body = serde_json::to_vec(&app.answers.snapshot()).unwrap_or_default();
    json_response(StatusCode::OK, body)
}

async fn health() -> Response {
    json_response(StatusCode::OK, br#"{"status":"ok"}"#.to_vec())
}

async fn get_global(State(app): State<Arc<App>>) -> Response {
    faults_response(&app.global_faults())
}

async fn put_global(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let faults = match parse_faults(&body) {
        Ok(faults) => faults,
        Err(message) => return error_response(StatusCode::BAD_REQUEST, &message),
    };
    app.set_global_faults(faults.clone());
    faults_response(&faults)
}

async fn delete_global(State(app): State<Arc<App>>) -> Response {
    app.set_global_faults(Faults::default());
    faults_response(&Faults::default())
}

/// `PUT .../task-failures/.../connectors/{connector_name}` with `{"trace": "..."}`: fails the
/// connector's task (see [`crate::Emulator::fail_task`]).
async fn put_task_failure(
    State(app): State<Arc<App>>,
    Path((environment, cluster, name)): ConnectorPath,
    body: Bytes,
) -> Response {
    let trace = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|body| body.get("trace")?.as_str().map(str::to_owned));
    let Some(trace) = trace else {
        return error_response(
            StatusCode::BAD_REQUEST,
            "Send {\"trace\": \"...\"}: the failed task's message, as its status will show it.",
        );
    };
    let now = app.clock.now_ms();
    let scope = FaultScope::connector(environment, cluster, name);
    match with_connector(&app, scope, |connector| connector.fail_task(now, trace)) {
        Ok(()) => no_content(),
        Err(error) => emulator_error(&error),
    }
}

/// `DELETE .../task-failures/.../connectors/{connector_name}`: the task recovers.
async fn delete_task_failure(
    State(app): State<Arc<App>>,
    Path((environment, cluster, name)): ConnectorPath,
) -> Response {
    let now = app.clock.now_ms();
    let scope = FaultScope::connector(environment, cluster, name);
    match with_connector(&app, scope, |connector| connector.recover_task(now)) {
        Ok(()) => no_content(),
        Err(error) => emulator_error(&error),
    }
}

fn no_content() -> Response {
    Response::builder()
        .status(StatusCode::NO_CONTENT)
        .body(axum::body::Body::empty())
        .unwrap_or_default()
}

async fn get_connector(
    State(app): State<Arc<App>>,
    Path((environment, cluster, name)): ConnectorPath,
) -> Response {
    match app.world().get(&environment, &cluster, &name) {
        Ok(connector) => match &connector.faults {
            Some(faults) => faults_response(faults),
            None => error_response(
                StatusCode::NOT_FOUND,
                "This connector has no faults of its own; the global faults apply to it.",
            ),
        },
        Err(missing) => unknown_connector(missing),
    }
}

async fn put_connector(
    State(app): State<Arc<App>>,
    Path((environment, cluster, name)): ConnectorPath,
    body: Bytes,
) -> Response {
    let faults = match parse_faults(&body) {
        Ok(faults) => faults,
        Err(message) => return error_response(StatusCode::BAD_REQUEST, &message),
    };
    match set_faults(
        &app,
        FaultScope::connector(environment, cluster, name),
        Some(faults.clone()),
    ) {
        Ok(()) => faults_response(&faults),
        Err(error) => emulator_error(&error),
    }
}

async fn delete_connector(
    State(app): State<Arc<App>>,
    Path((environment, cluster, name)): ConnectorPath,
) -> Response {
    match set_faults(
        &app,
        FaultScope::connector(environment, cluster, name),
        None,
    ) {
        Ok(()) => no_content(),
        Err(error) => emulator_error(&error),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    millis: u64,
}

async fn advance_clock(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let advance: Advance = match parse(&body, "{\"millis\": 1000}") {
        Ok(advance) => advance,
        Err(message) => return error_response(StatusCode::BAD_REQUEST, &message),
    };
    match app.clock.advance(Duration::from_millis(advance.millis)) {
        Some(now_ms) => {
            let now = app
                .clock
                .wall(now_ms)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            json_response(
                StatusCode::OK,
                serde_json::json!({ "now": now }).to_string().into_bytes(),
            )
        }
        None => error_response(
            StatusCode::CONFLICT,
            &EmulatorError::ClockNotManual.to_string(),
        ),
    }
}

/// The faults in a request body, or the message of the 400 that refuses it.
fn parse_faults(body: &[u8]) -> Result<Faults, String> {
    let faults: Faults = parse(body, "{\"error_rate\": 0.5, \"error_statuses\": [503]}")?;
    faults
        .validate("faults")
        .map_err(|error| error.to_string())?;
    Ok(faults)
}

fn parse<T: DeserializeOwned>(body: &[u8], example: &str) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|error| {
        format!("The request body is not valid: {error}. Send JSON such as {example}.")
    })
}

fn faults_response(faults: &Faults) -> Response {
    match serde_json::to_vec(faults) {
        Ok(json) => json_response(StatusCode::OK, json),
        Err(error) => error_response(StatusCode::INTERNAL_SERVER_ERROR, &error.to_string()),
    }
}

fn unknown_connector(missing: Missing) -> Response {
    let what = match missing {
        Missing::Environment => "environment",
        Missing::Cluster => "Kafka cluster",
        Missing::Connector => "connector",
    };
    error_response(StatusCode::NOT_FOUND, &format!("No such {what}."))
}

fn emulator_error(error: &EmulatorError) -> Response {
    let status = match error {
        EmulatorError::UnknownConnector { .. } => StatusCode::NOT_FOUND,
        _ => StatusCode::BAD_REQUEST,
    };
    error_response(status, &error.to_string())
}
