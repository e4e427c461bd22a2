//! Requests through the code generated from some spec mutations, each against wiremock on
//! 127.0.0.1: the method, path, query, `Content-Type` and body that go out, and the answer that
//! comes back. `spec_mutations::generated_requests_go_out_as_the_spec_says` writes the
//! generated modules beside this file's copy and runs it; it prints one line per request that
//! went as expected and panics on the first that did not.

use serde_json::json;
use wiremock::matchers::{
    body_bytes, body_partial_json, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::ResponseHooks;

const OFFSETS: &str = "/connect/v1/environments/env-1/clusters/lkc-1/connectors/c1/offsets";
const CONNECTORS: &str = "/connect/v1/environments/env-1/clusters/lkc-1/archived-connectors";

pub fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        options().await;
        println!("OPTIONS is sent as OPTIONS");
        merge_patch().await;
        println!("a merge-patch body is sent as application/merge-patch+json");
        image().await;
        println!("an image body is sent as image/png, byte for byte");
        query_in_path_key().await;
        println!("a path key's query string is sent, and the bare path beside it without it");
    });
}

/// A server that answers `mock` once, and nothing else.
async fn server_with(mock: Mock) -> MockServer {
    let server = MockServer::start().await;
    mock.expect(1).mount(&server).await;
    server
}

async fn options() {
    let server =
        server_with(Mock::given(method("OPTIONS")).and(path(OFFSETS)).respond_with(ResponseTemplate::new(204)))
            .await;
    let client = crate::add_options_operation::Client::new(&server.uri(), ResponseHooks::default());
    let answer = client
        .options_connectv1_connector_offsets()
        .environment_id("env-1")
        .kafka_cluster_id("lkc-1")
        .connector_name("c1")
        .send()
        .await
        .expect("the OPTIONS request is answered");
    assert_eq!(answer.status().as_u16(), 204);
    server.verify().await;
}

async fn merge_patch() {
    use crate::merge_patch_body::types::ConnectV1AlterOffsetRequestType;
    let server = server_with(
        Mock::given(method("POST"))
            .and(path(format!("{OFFSETS}/request")))
            .and(header("content-type", "application/merge-patch+json"))
            .and(body_partial_json(json!({ "type": "DELETE" })))
            .respond_with(ResponseTemplate::new(202).set_body_json(json!({
                "id": "lcc-1",
                "name": "c1",
                "offsets": [],
                "requested_at": "2024-02-20T15:14:19Z",
                "type": "DELETE"
            }))),
    )
    .await;
    let client = crate::merge_patch_body::Client::new(&server.uri(), ResponseHooks::default());
    let answer = client
        .alter_connectv1_connector_offsets_request()
        .environment_id("env-1")
        .kafka_cluster_id("lkc-1")
        .connector_name("c1")
        .body_map(|body| body.type_(ConnectV1AlterOffsetRequestType::Delete))
        .send()
        .await
        .expect("the merge-patch request is answered");
    assert_eq!(answer.into_inner().name, "c1");
    server.verify().await;
}

async fn image() {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let server = server_with(
        Mock::given(method("PUT"))
            .and(path(format!("{OFFSETS}/logo")))
            .and(header("content-type", "image/png"))
            .and(body_bytes(PNG))
            .respond_with(ResponseTemplate::new(204)),
    )
    .await;
    let client = crate::image_body::Client::new(&server.uri(), ResponseHooks::default());
    let answer = client
        .put_connectv1_connector_logo()
        .environment_id("env-1")
        .kafka_cluster_id("lkc-1")
        .connector_name("c1")
        .body(PNG.to_vec())
        .send()
        .await
        .expect("the image request is answered");
    assert_eq!(answer.status().as_u16(), 204);
    server.verify().await;
}

async fn query_in_path_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(CONNECTORS))
        .and(query_param("expand", "info,status,id"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "c1": { "id": "lcc-1" } })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(CONNECTORS))
        .and(query_param_is_missing("expand"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!(["c1"])))
        .expect(1)
        .mount(&server)
        .await;
    let client = crate::query_in_path_key::Client::new(&server.uri(), ResponseHooks::default());
    let expanded = client
        .list_archived_connectors_with_expansions()
        .environment_id("env-1")
        .kafka_cluster_id("lkc-1")
        .send()
        .await
        .expect("the expanded listing is answered")
        .into_inner();
    assert_eq!(
        serde_json::to_value(&expanded).expect("serialises"),
        json!({ "c1": { "id": "lcc-1" } })
    );
    let names = client
        .list_archived_connectors()
        .environment_id("env-1")
        .kafka_cluster_id("lkc-1")
        .send()
        .await
        .expect("the listing is answered")
        .into_inner();
    assert_eq!(names, ["c1"]);
    server.verify().await;
}
