//! Which handler answers which path: the API's operations, the OAuth token endpoints, the
//! emulator's controls, and the answers for paths and methods it does not serve; every answer
//! gets an `X-Request-Id`.

use std::sync::Arc;

use axum::Extension;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::header::DATE;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter, get, on, post};

use crate::app::{App, REQUEST_ID};
use crate::manage::ManageKind;
use crate::response::error_response;
use crate::{admin, api, ids, oauth};

/// The path of the API's one collection of operations, below which the Confluent Cloud paths live.
pub const API_PREFIX: &str = "/connect/v1";
/// The path below which the emulator's own controls live, apart from the API's paths.
pub const ADMIN_PREFIX: &str = "/emulator/v1";
/// The path of the emulator's identity provider's token endpoint (OAuth 2.0 client credentials).
pub const IDP_TOKEN_PATH: &str = "/emulator/idp/oauth2/token";
/// The path of the Security Token Service's token exchange, as Confluent Cloud serves it.
pub const STS_TOKEN_PATH: &str = "/sts/v1/oauth2/token";

/// The largest alter request body accepted (about 500,000 sink entries); larger gets 413.
const MAX_ALTER_BODY: usize = 64 * 1024 * 1024;

/// The emulator's routes, sharing `app`.
pub(crate) fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(
            "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}/offsets",
            get(api::get_offsets),
        )
        .route(
            "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}/offsets/request",
            post(api::alter_offsets).layer(DefaultBodyLimit::max(MAX_ALTER_BODY)),
        )
        .route(
            "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}/offsets/request/status",
            get(api::alter_status),
        )
        .route(
            "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors",
            get(api::list_connectors).post(api::create_connector),
        )
        .route(
            "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}",
            manage(MethodFilter::GET, ManageKind::Read)
                .merge(manage(MethodFilter::DELETE, ManageKind::Delete)),
        )
        .route(
            "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}/status",
            manage(MethodFilter::GET, ManageKind::Status),
        )
        .route(
            "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}/tasks",
            manage(MethodFilter::GET, ManageKind::Tasks),
        )
        .route(
            "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connector-plugins",
            get(api::list_plugins),
        )
        .route(
            "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connector-plugins/{plugin_name}/config/validate",
            manage(MethodFilter::PUT, ManageKind::Validate),
        )
        .route(
            "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}/config",
            manage(MethodFilter::GET, ManageKind::Config)
                .merge(manage(MethodFilter::PUT, ManageKind::PutConfig)),
        )
        .route(
            "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}/pause",
            manage(MethodFilter::PUT, ManageKind::Pause),
        )
        .route(
            "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}/resume",
            manage(MethodFilter::PUT, ManageKind::Resume),
        )
        .route(IDP_TOKEN_PATH, post(oauth::idp::token))
        .route(STS_TOKEN_PATH, post(oauth::sts::exchange))
        .nest(ADMIN_PREFIX, admin::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(Arc::clone(&app), request_id))
        .with_state(app)
}

/// The connector operation `kind` under `method`.
fn manage(method: MethodFilter, kind: ManageKind) -> MethodRouter<Arc<App>> {
    on(method, api::manage_connector).layer(Extension(kind))
}

/// Gives every response, whatever produced it, an `X-Request-Id`, and a `Date` from the
/// emulator's clock (so that under a manual clock the answer's time agrees with its
/// `observed_at`, as the service's does).
async fn request_id(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let id = app.next_request_id();
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    let now = app.clock.wall(app.clock.now_ms());
    if let Ok(value) = HeaderValue::from_str(&now.format("%a, %d %b %Y %H:%M:%S GMT").to_string()) {
        response.headers_mut().insert(DATE, value);
    }
    response
}

async fn not_found(request: Request) -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        &format!(
            "No such path: {}. The emulator serves {API_PREFIX}/environments/{{environment_id}}/clusters/{{kafka_cluster_id}}/connectors, the connectors below it (their offsets, status, config, pause, resume) and its controls under {ADMIN_PREFIX}/.",
            ids::shorten(request.uri().path())
        ),
    )
}

async fn method_not_allowed(request: Request) -> Response {
    error_response(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!(
            "{} is not allowed on {}.",
            request.method(),
            ids::shorten(request.uri().path())
        ),
    )
}
