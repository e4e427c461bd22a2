//! Path parameters: names with special characters reach the right connector, percent-encoded;
//! names that would reach another endpoint are refused before anything is sent.

use confluent_connect::{ConnectorOffsets, Error};
use confluent_connect_tests::{CLUSTER, CONNECTOR, ENV, client_for, named_example, offsets_path};
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{method, path},
};

/// Asks for the offsets of connector `name` and checks that exactly one request arrived, at
/// `/connect/v1/environments/env-1/clusters/lkc-1/connectors/<encoded>/offsets`.
async fn assert_name_reaches(name: &str, encoded: &str) {
    let server = MockServer::start().await;
    let expected_path = offsets_path(ENV, CLUSTER, encoded);
    Mock::given(method("GET"))
        .and(path(expected_path.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(named_example(200, "sink")))
        .expect(1)
        .named(format!("offsets of {name:?}"))
        .mount(&server)
        .await;

    let offsets = client_for(&server)
        .connector(ENV, CLUSTER, name)
        .offsets()
        .await
        .unwrap_or_else(|e| panic!("{name:?} did not reach {expected_path}: {e}"));

    assert_eq!(offsets.id.as_deref(), Some("lcc-as341"));
    let received = server.received_requests().await.expect("recording is on");
    let paths: Vec<&str> = received.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, [expected_path.as_str()]);
    server.verify().await;
}

/// Asks for the offsets with these arguments, expects `InvalidArgument`, and checks that the
/// server received nothing at all.
async fn refused(
    environment_id: &str,
    kafka_cluster_id: &str,
    connector_name: &str,
) -> (&'static str, String, String) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(named_example(200, "sink")))
        .expect(0)
        .mount(&server)
        .await;

    let result: Result<ConnectorOffsets, Error> = client_for(&server)
        .connector(environment_id, kafka_cluster_id, connector_name)
        .offsets()
        .await;

    let received = server.received_requests().await.expect("recording is on");
    assert!(
        received.is_empty(),
        "requests were sent: {:?}",
        received.iter().map(|r| r.url.as_str()).collect::<Vec<_>>()
    );
    match result {
        Err(Error::InvalidArgument {
            argument,
            value,
            reason,
        }) => (argument.name(), value, reason),
        Err(other) => panic!("expected Error::InvalidArgument, got {other:?}"),
        Ok(offsets) => panic!("expected Error::InvalidArgument, got {offsets:?}"),
    }
}

const RELATIVE: &str =
    "it is a relative path segment, which would send the request to another endpoint";
const BACKSLASH: &str = "it contains a backslash, which URL parsers read as `/`, so the request \
                         could reach another endpoint";

#[tokio::test]
async fn name_with_a_slash_is_encoded_into_one_segment() {
    assert_name_reaches("a/b", "a%2Fb").await;
}

#[tokio::test]
async fn name_with_a_question_mark_is_not_a_query() {
    assert_name_reaches("what?", "what%3F").await;
}

#[tokio::test]
async fn name_with_a_hash_is_not_a_fragment() {
    assert_name_reaches("hash#tag", "hash%23tag").await;
}

#[tokio::test]
async fn name_with_a_percent_sign_is_encoded() {
    assert_name_reaches("50%", "50%25").await;
}

#[tokio::test]
async fn name_with_a_space_is_encoded() {
    assert_name_reaches("with space", "with%20space").await;
}

#[tokio::test]
async fn non_ascii_name_is_utf8_percent_encoded() {
    assert_name_reaches("naïve", "na%C3%AFve").await;
}

#[tokio::test]
async fn three_dots_are_an_ordinary_name() {
    assert_name_reaches("...", "...").await;
}

#[tokio::test]
async fn ordinary_name_is_sent_as_is() {
    assert_name_reaches(CONNECTOR, CONNECTOR).await;
}

#[tokio::test]
async fn connector_name_dot_is_refused_before_sending() {
    assert_eq!(
        refused(ENV, CLUSTER, ".").await,
        ("connector_name", ".".to_string(), RELATIVE.to_string())
    );
}

#[tokio::test]
async fn connector_name_dot_dot_is_refused_before_sending() {
    assert_eq!(
        refused(ENV, CLUSTER, "..").await,
        ("connector_name", "..".to_string(), RELATIVE.to_string())
    );
}

#[tokio::test]
async fn empty_connector_name_is_refused_before_sending() {
    assert_eq!(
        refused(ENV, CLUSTER, "").await,
        ("connector_name", String::new(), "it is empty".to_string())
    );
}

#[tokio::test]
async fn connector_name_with_a_backslash_is_refused_before_sending() {
    assert_eq!(
        refused(ENV, CLUSTER, r"..\admin").await,
        (
            "connector_name",
            r"..\admin".to_string(),
            BACKSLASH.to_string()
        )
    );
}

#[tokio::test]
async fn connector_name_with_a_newline_is_refused_before_sending() {
    assert_eq!(
        refused(ENV, CLUSTER, "orders\nsink").await,
        (
            "connector_name",
            "orders\nsink".to_string(),
            "it contains the control character U+000A".to_string()
        )
    );
}

#[tokio::test]
async fn environment_id_dot_dot_is_refused_before_sending() {
    assert_eq!(
        refused("..", CLUSTER, CONNECTOR).await,
        ("environment_id", "..".to_string(), RELATIVE.to_string())
    );
}

#[tokio::test]
async fn kafka_cluster_id_dot_dot_is_refused_before_sending() {
    assert_eq!(
        refused(ENV, "..", CONNECTOR).await,
        ("kafka_cluster_id", "..".to_string(), RELATIVE.to_string())
    );
}

#[tokio::test]
async fn invalid_argument_says_nothing_was_sent() {
    let server = MockServer::start().await;
    let error = client_for(&server)
        .connector(ENV, CLUSTER, "..")
        .offsets()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("invalid connector_name \"..\": {RELATIVE}. No request was sent")
    );
    assert_eq!(error.status(), None);
    assert_eq!(error.request_id(), None);
}

#[tokio::test]
async fn base_url_path_is_kept_as_a_prefix() {
    let server = MockServer::start().await;
    let expected_path = format!("/gateway/confluent{}", offsets_path(ENV, CLUSTER, "a%2Fb"));
    Mock::given(method("GET"))
        .and(path(expected_path.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(named_example(200, "sink")))
        .expect(1)
        .mount(&server)
        .await;
    let client = confluent_connect::Client::builder()
        .api_key("KEY", "SECRET")
        .base_url(format!("{}/gateway/confluent/", server.uri()))
        .build()
        .unwrap();
    assert_eq!(
        client.base_url(),
        format!("{}/gateway/confluent", server.uri())
    );

    let offsets = client
        .connector(ENV, CLUSTER, "a/b")
        .offsets()
        .await
        .unwrap();

    assert_eq!(offsets.name.as_deref(), Some("MysqlSinkConnector"));
    server.verify().await;
}
