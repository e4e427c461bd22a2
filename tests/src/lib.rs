//! Shared helpers for the end-to-end tests of `confluent-connect`.
//!
//! The tests in `tests/` run the facade against a local [`wiremock`] server (bound to
//! 127.0.0.1) that answers like Confluent Cloud's Connect v1 offsets API. The response bodies
//! come from the examples in `openapi/connect-v1.yaml`, read at test time, so the tests follow
//! the spec.
//!
//! [`Prism`] runs a third party's reading of the same spec (Stoplight's Prism, pinned in
//! `conformance/`) as a mock or as a validating proxy, for the tests that check the facade, and
//! what stands in for the service, against it.

pub mod prism;
pub mod raw;

pub use prism::{Prism, RawResponse};

use std::{path::PathBuf, sync::OnceLock};

use confluent_connect::{Client, ClientBuilder, RetryPolicy};
use serde_json::Value;
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{method, path},
};

/// The API key id the helpers' clients use.
pub const KEY: &str = "KEY";
/// The API key secret the helpers' clients use.
pub const SECRET: &str = "SECRET";
/// The environment id the tests use unless they test it.
pub const ENV: &str = "env-1";
/// The Kafka cluster id the tests use unless they test it.
pub const CLUSTER: &str = "lkc-1";
/// The connector name the tests use unless they test it.
pub const CONNECTOR: &str = "orders-sink";
/// The operation id of `GET .../connectors/{connector_name}/offsets` in the spec.
pub const OPERATION_ID: &str = "getConnectv1ConnectorOffsets";
/// The templated path of the offsets operation, as the spec writes it.
pub const OFFSETS_PATH_TEMPLATE: &str = "/connect/v1/environments/{environment_id}/clusters/\
                                         {kafka_cluster_id}/connectors/{connector_name}/offsets";

/// Where the spec is: `openapi/connect-v1.yaml` at the workspace root.
pub fn spec_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../openapi/connect-v1.yaml")
}

/// The whole spec, parsed once, as JSON.
pub fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = spec_path();
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        serde_norway::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()))
    })
}

/// The spec's response object for `status` of the offsets operation (`responses.<status>`).
pub fn spec_response(status: u16) -> &'static Value {
    let operation = &spec()["paths"][OFFSETS_PATH_TEMPLATE]["get"];
    assert_eq!(
        operation["operationId"], OPERATION_ID,
        "the spec has no GET {OFFSETS_PATH_TEMPLATE} with operationId {OPERATION_ID}"
    );
    let response = &operation["responses"][status.to_string()];
    assert!(
        response.is_object(),
        "the spec documents no {status} response for {OPERATION_ID}"
    );
    response
}

/// The spec's named example of the `status` response body (`examples.<name>.value`), e.g.
/// `named_example(200, "sink")`.
pub fn named_example(status: u16, name: &str) -> Value {
    let example = &spec_response(status)["content"]["application/json"]["examples"][name]["value"];
    assert!(
        !example.is_null(),
        "the spec has no example {name:?} for the {status} response"
    );
    example.clone()
}

/// The spec's single example of the `status` response body (`example`), e.g. `example(404)`.
pub fn example(status: u16) -> Value {
    let example = &spec_response(status)["content"]["application/json"]["example"];
    assert!(
        !example.is_null(),
        "the spec has no example for the {status} response"
    );
    example.clone()
}

/// The names of the headers the spec documents for the `status` response, as it spells them.
pub fn documented_headers(status: u16) -> Vec<String> {
    spec_response(status)["headers"]
        .as_object()
        .map(|headers| headers.keys().cloned().collect())
        .unwrap_or_default()
}

/// The offsets path for these ids, with the connector name given already percent-encoded, as
/// the mock server sees it: `/connect/v1/environments/env-1/clusters/lkc-1/connectors/a%2Fb/offsets`.
pub fn offsets_path(environment_id: &str, kafka_cluster_id: &str, encoded_name: &str) -> String {
    format!(
        "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/\
         {encoded_name}/offsets"
    )
}

/// The offsets path of the default connector ([`ENV`], [`CLUSTER`], [`CONNECTOR`]).
pub fn default_offsets_path() -> String {
    offsets_path(ENV, CLUSTER, CONNECTOR)
}

/// A builder aimed at `server`, authenticated with [`KEY`] and [`SECRET`], that sends each
/// request once ([`RetryPolicy::none`]), so that a test sees how one answer is decoded.
pub fn builder_for(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .api_key(KEY, SECRET)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
}

/// A retry policy with the default rules but short waits, for tests of retries.
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(std::time::Duration::from_millis(20))
        .with_max_backoff(std::time::Duration::from_millis(100))
}

/// A client aimed at `server`, authenticated with [`KEY`] and [`SECRET`].
pub fn client_for(server: &MockServer) -> Client {
    builder_for(server)
        .build()
        .expect("a client for a local mock server builds")
}

/// A `http://127.0.0.1:<port>` URL on which nothing listens: the port was bound and then
/// released, so connecting to it is refused.
pub fn refused_url() -> String {
    let listener =
        std::net::TcpListener::bind("127.0.0.1:0").expect("can bind a port on 127.0.0.1");
    let port = listener
        .local_addr()
        .expect("a bound listener has an address")
        .port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// A local server answering the default connector's offsets with `response`, and expecting
/// exactly one such request (checked when the server is dropped).
pub async fn server_answering(response: ResponseTemplate) -> MockServer {
    server_answering_once("GET", default_offsets_path(), response).await
}

/// A mock server answering `verb` on `route` with `response`, and expecting exactly one such
/// request (checked when the server is dropped).
pub async fn server_answering_once(
    verb: &str,
    route: String,
    response: ResponseTemplate,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(response)
        .expect(1)
        .mount(&server)
        .await;
    server
}

/// The path of the default connector's alter request (`POST .../offsets/request`).
pub fn alter_request_path() -> String {
    format!("{}/request", default_offsets_path())
}

/// The path of the default connector's alter status (`GET .../offsets/request/status`).
pub fn alter_status_path() -> String {
    format!("{}/request/status", default_offsets_path())
}

/// A 202 answer to an alter request of type `kind` (`PATCH` or `DELETE`).
pub fn alter_accepted(kind: &str) -> ResponseTemplate {
    ResponseTemplate::new(202).set_body_json(serde_json::json!({
        "id": "lcc-1",
        "name": CONNECTOR,
        "offsets": [],
        "requested_at": "2024-02-20T15:14:19+0000",
        "type": kind,
    }))
}

/// A status answer whose phase is `phase`, for a `PATCH` with no entries.
pub fn alter_status_with_phase(phase: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "request": {
            "id": "lcc-1",
            "name": CONNECTOR,
            "offsets": [],
            "requested_at": "2024-02-20T15:14:19+0000",
            "type": "PATCH",
        },
        "status": {"phase": phase},
    }))
}
