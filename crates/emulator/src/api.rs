//! The API's own operations, answered as Confluent Cloud answers them.

use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use confluent_connect_api::types::{ConnectV1ConnectorError, ConnectV1ConnectorErrorError};
use futures_util::StreamExt as _;
use futures_util::stream;

use crate::auth;
use crate::connection::ConnectionControl;
use crate::faults::{ErrorBody, Outcome};
use crate::ids;
use crate::rate_limit::Decision;
use crate::server::App;
use crate::state::Missing;

/// The key of the rate-limit bucket shared by all requests without valid credentials.
const UNAUTHENTICATED: &str = "unauthenticated";
/// How long a truncated body waits after its first half, so that half reaches the client
/// before the connection is cut.
const TRUNCATE_PAUSE: Duration = Duration::from_millis(20);

/// `GET .../connectors/{connector_name}/offsets`
pub(crate) async fn get_offsets(
    State(app): State<Arc<App>>,
    control: Option<Extension<ConnectionControl>>,
    headers: HeaderMap,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> Response {
    let identity = auth::identify(&headers, &app.credentials);
    let decision = app.limiter.as_ref().map(|limiter| {
        let key = match identity {
            Ok(index) => credential_key(&app, index),
            Err(_) => UNAUTHENTICATED.to_owned(),
        };
        limiter.check(&key)
    });
    let mut response = answer(&app, identity, path, decision, control.map(|c| c.0)).await;
    if let Some(decision) = decision {
        decision.write(response.headers_mut());
    }
    response
}

async fn answer(
    app: &App,
    identity: Result<usize, &'static str>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    decision: Option<Decision>,
    control: Option<ConnectionControl>,
) -> Response {
    if decision.is_some_and(|d| d.retry_after_secs.is_some()) {
        // As documented: a 429 has headers only, no body.
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    }
    let credential = match identity {
        Ok(index) => &app.credentials[index],
        Err(message) => return error_response(StatusCode::UNAUTHORIZED, message),
    };
    let (environment, cluster, name) = match path {
        Ok(Path(segments)) => segments,
        Err(rejection) => {
            return error_response(
                StatusCode::BAD_REQUEST,
                &format!(
                    "The path parameters cannot be read: {}.",
                    rejection.body_text()
                ),
            );
        }
    };
    for check in [
        ids::check_environment_id(&environment),
        ids::check_cluster_id(&cluster),
        ids::check_connector_name(&name),
    ] {
        if let Err(reason) = check {
            return error_response(StatusCode::BAD_REQUEST, &capitalised(&reason));
        }
    }
    if !credential.may_access(&environment) {
        return error_response(
            StatusCode::FORBIDDEN,
            &format!("This credential has no access to environment {environment}."),
        );
    }
    let observed_ms = {
        let now = app.clock.now_ms();
        now - now % app.observation_interval_ms
    };
    let observed_at = app
        .clock
        .wall(observed_ms)
        .format("%Y-%m-%d %H:%M:%S%:z")
        .to_string();
    let (body, faults) = {
        let world = app.world();
        match world.get(&environment, &cluster, &name) {
            Ok(connector) => (
                connector.observe(observed_ms, observed_at),
                connector.faults.clone(),
            ),
            Err(missing) => {
                return error_response(
                    StatusCode::NOT_FOUND,
                    &not_found(missing, &environment, &cluster, &name),
                );
            }
        }
    };
    let faults = faults.unwrap_or_else(|| app.global_faults());
    if faults.latency_ms > 0 {
        tokio::time::sleep(faults.latency()).await;
    }
    let json = match serde_json::to_vec(&body) {
        Ok(json) => json,
        Err(error) => {
            return error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("The emulator could not encode the offsets: {error}."),
            );
        }
    };
    match app.with_rng(|rng| faults.decide(rng)) {
        Outcome::Answer => json_response(StatusCode::OK, json),
        Outcome::Drop => {
            if let Some(control) = control {
                control.cut();
            }
            // Never written: the connection is cut before hyper sends the head.
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
        Outcome::Error(status, body) => injected_error(status, body),
        Outcome::Truncate => truncated(json, control),
    }
}

fn credential_key(app: &App, index: usize) -> String {
    let credential = &app.credentials[index];
    match (&credential.api_key, &credential.bearer_token) {
        (Some(key), _) => format!("key:{key}"),
        (None, _) => format!("credential:{index}"),
    }
}

fn not_found(missing: Missing, environment: &str, cluster: &str, name: &str) -> String {
    match missing {
        Missing::Environment => format!("Environment {environment} was not found."),
        Missing::Cluster => {
            format!("Kafka cluster {cluster} was not found in environment {environment}.")
        }
        Missing::Connector => format!(
            "Connector {:?} was not found in Kafka cluster {cluster} of environment {environment}.",
            ids::shorten(name)
        ),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => String::new(),
    }
}

/// An answer with the documented `connect.v1.ConnectorError` body.
pub(crate) fn error_response(status: StatusCode, message: &str) -> Response {
    json_response(status, error_body(status.as_u16(), message))
}

fn error_body(code: u16, message: &str) -> Vec<u8> {
    let body = ConnectV1ConnectorError {
        error: Some(ConnectV1ConnectorErrorError {
            code: Some(i64::from(code)),
            message: Some(message.to_owned()),
        }),
    };
    serde_json::to_vec(&body).unwrap_or_default()
}

pub(crate) fn json_response(status: StatusCode, json: Vec<u8>) -> Response {
    (
        status,
        [(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        json,
    )
        .into_response()
}

fn injected_error(code: u16, body: ErrorBody) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let reason = status.canonical_reason().unwrap_or("Error");
    match body {
        ErrorBody::Json => error_response(status, &format!("{reason} (injected by the emulator).")),
        ErrorBody::Empty => status.into_response(),
        ErrorBody::Html => (
            status,
            [(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"))],
            format!(
                "<!DOCTYPE html>\n<html><head><title>{code} {reason}</title></head><body><h1>{code} {reason}</h1></body></html>\n"
            ),
        )
            .into_response(),
        ErrorBody::TruncatedJson => {
            let mut json = error_body(code, &format!("{reason} (injected by the emulator)."));
            json.truncate(json.len() / 2);
            json_response(status, json)
        }
    }
}

/// A 200 that promises the whole body but sends half of it, then closes the connection.
fn truncated(json: Vec<u8>, control: Option<ConnectionControl>) -> Response {
    let length = json.len();
    let first = Bytes::from(json).slice(..length / 2);
    let rest = stream::once(async move {
        tokio::time::sleep(TRUNCATE_PAUSE).await;
        if let Some(control) = control {
            control.cut();
        }
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "body truncated by fault injection",
        ))
    });
    let body = Body::from_stream(stream::iter([Ok(first)]).chain(rest));
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    response
}
