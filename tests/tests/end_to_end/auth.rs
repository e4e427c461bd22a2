//! What every request carries: the credentials, in the scheme the spec documents, and the
//! `User-Agent`.

use base64::Engine;
use confluent_connect::{Client, Error, StatusCode};
use confluent_connect_tests::{
    CLUSTER, CONNECTOR, ENV, KEY, SECRET, builder_for, client_for, default_offsets_path,
    named_example,
};
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{header, method, path},
};

/// A server that answers the default connector's offsets only to requests carrying header
/// `name: value`, and expects exactly one.
async fn server_requiring(name: &'static str, value: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(default_offsets_path()))
        .and(header(name, value))
        .respond_with(ResponseTemplate::new(200).set_body_json(named_example(200, "sink")))
        .expect(1)
        .named(format!("offsets with {name}: {value}"))
        .mount(&server)
        .await;
    server
}

/// Asks `client` for the default connector's offsets; they must arrive.
async fn fetch(client: &Client) {
    let offsets = client
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .expect("the request carried what the server requires");
    assert_eq!(offsets.name.as_deref(), Some("MysqlSinkConnector"));
}

/// The values of header `name` in the one request `server` received.
async fn sent_header(server: &MockServer, name: &str) -> Vec<String> {
    let received = server.received_requests().await.expect("recording is on");
    assert_eq!(received.len(), 1, "exactly one request");
    received[0]
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().expect("a text header").to_string())
        .collect()
}

#[tokio::test]
async fn api_key_is_sent_as_http_basic_key_and_secret() {
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}"))
    );
    assert_eq!(expected, "Basic S0VZOlNFQ1JFVA==");
    let server = server_requiring("authorization", &expected).await;

    fetch(&client_for(&server)).await;

    assert_eq!(sent_header(&server, "authorization").await, [expected]);
    server.verify().await;
}

#[tokio::test]
async fn bearer_token_is_sent_as_bearer_authorization() {
    let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYS0xIn0.c2lnbmF0dXJl";
    let server = server_requiring("authorization", &format!("Bearer {token}")).await;
    let client = Client::builder()
        .bearer_token(token)
        .base_url(server.uri())
        .build()
        .unwrap();

    fetch(&client).await;

    assert_eq!(
        sent_header(&server, "authorization").await,
        [format!("Bearer {token}")]
    );
    server.verify().await;
}

#[tokio::test]
async fn the_last_credentials_given_win() {
    let token = "sts-token-value";
    let server = server_requiring("authorization", &format!("Bearer {token}")).await;
    let client = builder_for(&server).bearer_token(token).build().unwrap();

    fetch(&client).await;

    assert_eq!(
        sent_header(&server, "authorization").await,
        [format!("Bearer {token}")]
    );
}

#[tokio::test]
async fn default_user_agent_is_crate_name_and_version() {
    let server = server_requiring("user-agent", "confluent-connect/0.1.0").await;

    fetch(&client_for(&server)).await;

    assert_eq!(
        sent_header(&server, "user-agent").await,
        ["confluent-connect/0.1.0"]
    );
    server.verify().await;
}

#[tokio::test]
async fn custom_user_agent_replaces_the_default() {
    let server = server_requiring("user-agent", "offset-watcher/2.3 (ops team)").await;
    let client = builder_for(&server)
        .user_agent("offset-watcher/2.3 (ops team)")
        .build()
        .unwrap();

    fetch(&client).await;

    assert_eq!(
        sent_header(&server, "user-agent").await,
        ["offset-watcher/2.3 (ops team)"]
    );
    server.verify().await;
}

#[tokio::test]
async fn request_asks_for_json() {
    let server = server_requiring("accept", "application/json").await;

    fetch(&client_for(&server)).await;

    assert_eq!(sent_header(&server, "accept").await, ["application/json"]);
}

#[tokio::test]
async fn base_url_with_a_trailing_slash_reaches_the_same_path() {
    let server = server_requiring("authorization", "Basic S0VZOlNFQ1JFVA==").await;
    let client = Client::builder()
        .api_key(KEY, SECRET)
        .base_url(format!("{}/", server.uri()))
        .build()
        .unwrap();

    fetch(&client).await;

    server.verify().await;
}

#[tokio::test]
async fn redirect_to_another_origin_is_not_followed_and_is_reported() {
    let elsewhere = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(named_example(200, "sink")))
        .expect(0)
        .mount(&elsewhere)
        .await;
    let location = format!("{}/elsewhere", elsewhere.uri());
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(default_offsets_path()))
        .and(header("authorization", "Basic S0VZOlNFQ1JFVA=="))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", location.as_str())
                .insert_header("x-request-id", "req-307"),
        )
        .expect(1)
        .mount(&server)
        .await;

    let error = client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .expect_err("another origin's answer is not the connector's");

    match &error {
        Error::Redirected {
            status,
            location: told,
            request_id,
        } => {
            assert_eq!(*status, StatusCode::TEMPORARY_REDIRECT);
            assert_eq!(told.as_deref(), Some(location.as_str()));
            assert_eq!(request_id.as_deref(), Some("req-307"));
        }
        other => panic!("expected Error::Redirected, got {other:?}"),
    }
    server.verify().await;
    elsewhere.verify().await;
}

#[tokio::test]
async fn redirect_within_the_origin_is_followed_with_the_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(default_offsets_path()))
        .respond_with(ResponseTemplate::new(308).insert_header("location", "/moved"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/moved"))
        .and(header("authorization", "Basic S0VZOlNFQ1JFVA=="))
        .respond_with(ResponseTemplate::new(200).set_body_json(named_example(200, "sink")))
        .expect(1)
        .mount(&server)
        .await;

    fetch(&client_for(&server)).await;

    server.verify().await;
}
