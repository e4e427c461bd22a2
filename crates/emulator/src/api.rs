//! The API's own operations, answered as Confluent Cloud answers them.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Extension;
use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use confluent_connect_api::types::ConnectV1AlterOffsetRequest;
use futures_util::StreamExt as _;
use futures_util::stream;

use crate::app::App;
use crate::auth::{self, Caller, Unauthenticated};
use crate::connection::ConnectionControl;
use crate::faults::{ErrorBody, Outcome};
use crate::ids;
use crate::manage::{self, Manage, ManageKind};
use crate::rate_limit::Decision;
use crate::response::{error_body, error_response, json_response};
use crate::state::{Missing, Refused};

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
    handle(
        &app,
        control,
        &headers,
        connector_path(path),
        Operation::Offsets(Offsets::Get),
    )
    .await
}

/// `POST .../connectors/{connector_name}/offsets/request`
pub(crate) async fn alter_offsets(
    State(app): State<Arc<App>>,
    control: Option<Extension<ConnectionControl>>,
    headers: HeaderMap,
    path: Result<Path<(String, String, String)>, PathRejection>,
    body: Bytes,
) -> Response {
    handle(
        &app,
        control,
        &headers,
        connector_path(path),
        Operation::Offsets(Offsets::Alter(body)),
    )
    .await
}

/// `GET .../connectors/{connector_name}/offsets/request/status`
pub(crate) async fn alter_status(
    State(app): State<Arc<App>>,
    control: Option<Extension<ConnectionControl>>,
    headers: HeaderMap,
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> Response {
    handle(
        &app,
        control,
        &headers,
        connector_path(path),
        Operation::Offsets(Offsets::Status),
    )
    .await
}

/// `GET .../connectors`, and with `?expand=...` the listing with expansions.
pub(crate) async fn list_connectors(
    State(app): State<Arc<App>>,
    control: Option<Extension<ConnectionControl>>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let operation = Operation::Manage(Manage::List {
        expand: query.get("expand").cloned(),
    });
    handle(&app, control, &headers, cluster_path(path), operation).await
}

/// `GET .../connector-plugins`
pub(crate) async fn list_plugins(
    State(app): State<Arc<App>>,
    control: Option<Extension<ConnectionControl>>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Response {
    let operation = Operation::Manage(Manage::Plugins);
    handle(&app, control, &headers, cluster_path(path), operation).await
}

/// `POST .../connectors`
pub(crate) async fn create_connector(
    State(app): State<Arc<App>>,
    control: Option<Extension<ConnectionControl>>,
    headers: HeaderMap,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Bytes,
) -> Response {
    let operation = Operation::Manage(Manage::Create(body));
    handle(&app, control, &headers, cluster_path(path), operation).await
}

/// The operations on one connector beyond its offsets: `GET` and `DELETE .../{connector_name}`,
/// `GET .../status`, `GET .../tasks`, `GET` and `PUT .../config`, `PUT .../pause` and
/// `.../resume`.
pub(crate) async fn manage_connector(
    State(app): State<Arc<App>>,
    control: Option<Extension<ConnectionControl>>,
    headers: HeaderMap,
    Extension(manage): Extension<ManageKind>,
    path: Result<Path<(String, String, String)>, PathRejection>,
    body: Bytes,
) -> Response {
    let operation = Operation::Manage(match manage {
        ManageKind::Read => Manage::Read,
        ManageKind::Tasks => Manage::Tasks,
        ManageKind::Validate => Manage::Validate(body),
        ManageKind::Delete => Manage::Delete,
        ManageKind::Status => Manage::Status,
        ManageKind::Config => Manage::Config,
        ManageKind::PutConfig => Manage::PutConfig(body),
        ManageKind::Pause => Manage::Pause,
        ManageKind::Resume => Manage::Resume,
    });
    handle(&app, control, &headers, connector_path(path), operation).await
}

/// What a request asks.
enum Operation {
    /// Of a connector's offsets.
    Offsets(Offsets),
    /// Of a cluster's connectors, or of one connector beyond its offsets.
    Manage(Manage),
}

/// The offsets operations.
enum Offsets {
    Get,
    Alter(Bytes),
    Status,
}

/// The environment, the cluster and, for a request about one connector, its name.
type Segments = (String, String, Option<String>);

fn connector_path(
    path: Result<Path<(String, String, String)>, PathRejection>,
) -> Result<Segments, PathRejection> {
    path.map(|Path((environment, cluster, name))| (environment, cluster, Some(name)))
}

fn cluster_path(
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Segments, PathRejection> {
    path.map(|Path((environment, cluster))| (environment, cluster, None))
}

/// The checks every operation shares, in the service's order: rate limit (429), credentials
/// (401), ids (400), access (403), existence (404); then the connector's faults, then the
/// operation itself. Every answer carries the rate-limit headers.
async fn handle(
    app: &App,
    control: Option<Extension<ConnectionControl>>,
    headers: &HeaderMap,
    path: Result<Segments, PathRejection>,
    operation: Operation,
) -> Response {
    let identity = auth::identify(
        headers,
        &app.credentials,
        app.oauth.as_ref(),
        app.clock.now_ms(),
    );
    let decision = app.limiter.as_ref().map(|limiter| {
        let key = match identity {
            Ok(caller) => caller_key(app, caller),
            Err(_) => UNAUTHENTICATED.to_owned(),
        };
        limiter.check(&key)
    });
    let mut response = match admit(app, identity, path, decision) {
        Ok(target) => answer(app, target, operation, control.map(|c| c.0)).await,
        Err(refusal) => refusal.into_response(),
    };
    if let Some(decision) = decision {
        decision.write(response.headers_mut());
    }
    app.answers.record(response.status().as_u16());
    response
}

/// Why a request is refused, before or while it is carried out.
pub(crate) enum Refusal {
    /// 429, which has headers only, no body, as documented.
    RateLimited,
    /// Any other status, with the documented error body.
    Error(StatusCode, String),
}

impl Refusal {
    pub(crate) fn new(status: StatusCode, message: &str) -> Refusal {
        Refusal::Error(status, message.to_owned())
    }

    fn into_response(self) -> Response {
        match self {
            Refusal::RateLimited => StatusCode::TOO_MANY_REQUESTS.into_response(),
            Refusal::Error(status, message) => error_response(status, &message),
        }
    }
}

/// The connector a request may act on, or the cluster for a request about its connectors.
pub(crate) struct Target {
    pub(crate) environment: String,
    pub(crate) cluster: String,
    pub(crate) name: Option<String>,
}

fn admit(
    app: &App,
    identity: Result<Caller, Unauthenticated>,
    path: Result<Segments, PathRejection>,
    decision: Option<Decision>,
) -> Result<Target, Refusal> {
    if decision.is_some_and(|d| d.retry_after_secs.is_some()) {
        return Err(Refusal::RateLimited);
    }
    let caller = match identity {
        Ok(caller) => caller,
        Err(refused) => {
            if let (Unauthenticated::ExpiredAccessToken, Some(oauth)) = (refused, &app.oauth) {
                oauth.record(|stats| stats.expired_token_rejections += 1);
            }
            return Err(Refusal::new(StatusCode::UNAUTHORIZED, refused.message()));
        }
    };
    let (environment, cluster, name) = match path {
        Ok(segments) => segments,
        Err(rejection) => {
            return Err(Refusal::new(
                StatusCode::BAD_REQUEST,
                &format!(
                    "The path parameters cannot be read: {}.",
                    rejection.body_text()
                ),
            ));
        }
    };
    for check in [
        ids::check_environment_id(&environment),
        ids::check_cluster_id(&cluster),
        name.as_deref().map_or(Ok(()), ids::check_connector_name),
    ] {
        if let Err(reason) = check {
            return Err(Refusal::new(StatusCode::BAD_REQUEST, &capitalised(&reason)));
        }
    }
    if let Some(refused) = no_access(app, caller, &environment) {
        return Err(Refusal::new(StatusCode::FORBIDDEN, &refused));
    }
    Ok(Target {
        environment,
        cluster,
        name,
    })
}

async fn answer(
    app: &App,
    target: Target,
    operation: Operation,
    control: Option<ConnectionControl>,
) -> Response {
    let now = app.clock.now_ms();
    let faults = match (&target.name, operation.needs_connector()) {
        (Some(name), true) => {
            let (environment, cluster) = (&target.environment, &target.cluster);
            let mut world = app.world();
            let needs_settling = match world.get(environment, cluster, name) {
                Ok(connector) => connector.needs_settling(now),
                Err(missing) => {
                    return error_response(
                        StatusCode::NOT_FOUND,
                        &not_found(missing, environment, cluster, name),
                    );
                }
            };
            if needs_settling {
                drop(world);
                if let Ok(connector) = app.world_mut().get_mut(environment, cluster, name) {
                    connector.settle(now);
                }
                world = app.world();
            }
            world
                .get(environment, cluster, name)
                .ok()
                .and_then(|connector| connector.faults.clone())
        }
        _ => {
            if let Err(missing) = app.world().cluster(&target.environment, &target.cluster) {
                let name = target.name.as_deref().unwrap_or_default();
                return error_response(
                    StatusCode::NOT_FOUND,
                    &not_found(missing, &target.environment, &target.cluster, name),
                );
            }
            None
        }
    };
    let faults = faults.unwrap_or_else(|| app.global_faults());
    if faults.latency_ms > 0 {
        tokio::time::sleep(faults.latency()).await;
    }
    let outcome = app.with_rng(|rng| faults.decide(rng));
    match outcome {
        Outcome::Drop => {
            if let Some(control) = control {
                control.cut();
            }
            // Never written: the connection is cut before hyper sends the head.
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
        Outcome::Error(status, body) => return injected_error(status, body),
        Outcome::Answer | Outcome::Truncate => {}
    }
    let performed = match operation {
        Operation::Manage(manage) => manage::perform(app, &target, manage),
        Operation::Offsets(offsets) => perform(app, &target, offsets),
    };
    let (status, json) = match performed {
        Ok(success) => success,
        Err(refusal) => return refusal.into_response(),
    };
    match outcome {
        // An answer documented without a body (202 to pause and resume) has none.
        _ if json.is_empty() => status.into_response(),
        Outcome::Truncate => truncated(status, json, control),
        _ => json_response(status, json),
    }
}

impl Operation {
    /// Whether it acts on a connector that must exist (the others act on the cluster: listing,
    /// creating, and configuring a connector that may not exist yet).
    fn needs_connector(&self) -> bool {
        !matches!(
            self,
            Operation::Manage(
                Manage::List { .. }
                    | Manage::Plugins
                    | Manage::Validate(_)
                    | Manage::Create(_)
                    | Manage::PutConfig(_)
            )
        )
    }
}

/// Carries out the operation on an existing connector: the status and JSON body of success,
/// or the answer that refuses it.
fn perform(
    app: &App,
    target: &Target,
    operation: Offsets,
) -> Result<(StatusCode, Vec<u8>), Refusal> {
    let (environment, cluster) = (target.environment.as_str(), target.cluster.as_str());
    let name = target.name.as_deref().unwrap_or_default();
    let gone = |missing| {
        Refusal::new(
            StatusCode::NOT_FOUND,
            &not_found(missing, environment, cluster, name),
        )
    };
    let now = app.clock.now_ms();
    match operation {
        Offsets::Get => {
            let observed_ms = now - now % app.observation_interval_ms;
            let world = app.world();
            let connector = world.get(environment, cluster, name).map_err(gone)?;
            let body = connector.observe(observed_ms, app.clock.observation_time(observed_ms));
            encoded(StatusCode::OK, &body)
        }
        Offsets::Alter(bytes) => {
            let request: ConnectV1AlterOffsetRequest = serde_json::from_slice(&bytes).map_err(|error| {
                Refusal::new(
                    StatusCode::BAD_REQUEST,
                    &format!(
                        "The request body is not a valid offsets change: {error}. Send {{\"type\": \"PATCH\", \"offsets\": [{{\"partition\": {{...}}, \"offset\": {{...}}}}]}} or {{\"type\": \"DELETE\"}}."
                    ),
                )
            })?;
            let mut world = app.world_mut();
            let connector = world.get_mut(environment, cluster, name).map_err(gone)?;
            let info = connector
                .request_alter(request, now, app.alter_delay_ms, &app.clock)
                .map_err(|Refused(reason)| Refusal::new(StatusCode::BAD_REQUEST, &reason))?;
            encoded(StatusCode::ACCEPTED, &info)
        }
        Offsets::Status => {
            let world = app.world();
            let connector = world.get(environment, cluster, name).map_err(gone)?;
            let status = connector
                .alter_status(now, app.alter_status_lag_ms, &app.clock)
                .ok_or_else(|| {
                    Refusal::new(
                        StatusCode::NOT_FOUND,
                        &format!("No offsets change was ever requested for connector {name:?}."),
                    )
                })?;
            encoded(StatusCode::OK, &status)
        }
    }
}

/// The 403 message when `caller` may not read `environment`.
fn no_access(app: &App, caller: Caller, environment: &str) -> Option<String> {
    match caller {
        Caller::Credential(index) => (!app.credentials[index].may_access(environment))
            .then(|| format!("This credential has no access to environment {environment}.")),
        Caller::IdentityPool(index) => {
            let pool = app
                .oauth
                .as_ref()
                .and_then(|oauth| oauth.config.identity_pools.get(index));
            match pool {
                Some(pool) if pool.may_access(environment) => None,
                Some(pool) => Some(format!(
                    "This access token's identity pool {} has no access to environment {environment}.",
                    pool.id
                )),
                None => Some(format!(
                    "This access token has no access to environment {environment}."
                )),
            }
        }
    }
}

/// The rate-limit bucket of `caller`: one per API key or bearer token credential, and one per
/// identity pool, which all the access tokens exchanged in it share (so that a client that
/// refreshes its token does not get a full bucket).
fn caller_key(app: &App, caller: Caller) -> String {
    match caller {
        Caller::Credential(index) => match &app.credentials[index].api_key {
            Some(key) => format!("key:{key}"),
            None => format!("credential:{index}"),
        },
        Caller::IdentityPool(index) => format!("pool:{index}"),
    }
}

/// A success with `body` as JSON, or the 500 of an answer the emulator could not encode.
pub(crate) fn encoded(
    status: StatusCode,
    body: &impl serde::Serialize,
) -> Result<(StatusCode, Vec<u8>), Refusal> {
    serde_json::to_vec(body)
        .map(|json| (status, json))
        .map_err(|error| {
            Refusal::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("The emulator could not encode its answer: {error}."),
            )
        })
}

pub(crate) fn not_found(missing: Missing, environment: &str, cluster: &str, name: &str) -> String {
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

/// A success that promises the whole body but sends half of it, then closes the connection.
fn truncated(status: StatusCode, json: Vec<u8>, control: Option<ConnectionControl>) -> Response {
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
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    response
}
