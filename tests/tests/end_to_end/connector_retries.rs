//! The connector operations on the shared transport: what is resent after a failure whose
//! outcome is unknown (PUT, DELETE and reads), and what never is (POST create).

use confluent_connect::{Client, ConnectorConfig, ConnectorInfo, Error, RetryPolicy, StatusCode};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CONNECTORS: &str = "/connect/v1/environments/env-1/clusters/lkc-1/connectors";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("RETRYKEY00000001", "retry-secret")
        .base_url(server.uri())
        .retry_policy(
            RetryPolicy::default()
                .with_initial_backoff(Duration::from_millis(1))
                .with_max_backoff(Duration::from_millis(2)),
        )
        .build()
        .expect("a client")
}

fn config(name: &str) -> ConnectorConfig {
    ConnectorConfig::new()
        .with("connector.class", "S3_SINK")
        .with("name", name)
        .with("kafka.api.key", "KAFKAKEY00000001")
        .with("kafka.api.secret", "kafka-secret")
}

fn connector_body(name: &str) -> serde_json::Value {
    serde_json::json!({
        "name": name, "type": "sink", "tasks": [{"connector": name, "task": 0}],
        "config": {"connector.class": "S3_SINK", "name": name, "kafka.api.key": "K",
                   "kafka.api.secret": "****************", "cloud.environment": "prod",
                   "cloud.provider": "aws", "kafka.endpoint": "SASL_SSL://x:9092",
                   "kafka.region": "us-west-2"}
    })
}

/// A server answering `method path` with 503 `failures` times, then `then`.
async fn flaky(verb: &str, at: String, failures: u64, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(at.clone()))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(failures)
        .mount(&server)
        .await;
    Mock::given(method(verb))
        .and(path(at))
        .respond_with(then)
        .mount(&server)
        .await;
    server
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.expect("recorded").len()
}

#[tokio::test]
async fn creating_a_connector_is_not_resent_after_a_503() {
    let server = flaky(
        "POST",
        CONNECTORS.to_string(),
        1,
        ResponseTemplate::new(201).set_body_json(connector_body("orders")),
    )
    .await;
    let error = client(&server)
        .cluster("env-1", "lkc-1")
        .create_connector("orders", config("orders"))
        .send()
        .await
        .expect_err("the 503 is returned, not retried");
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn configuring_a_connector_is_resent_after_a_503() {
    let server = flaky(
        "PUT",
        format!("{CONNECTORS}/orders/config"),
        1,
        ResponseTemplate::new(200).set_body_json(connector_body("orders")),
    )
    .await;
    let info = client(&server)
        .connector("env-1", "lkc-1", "orders")
        .create_or_update_config(&config("orders"))
        .await
        .expect("the second try succeeds");
    assert_eq!(info.name, "orders");
    assert_eq!(requests(&server).await, 2);
}

#[tokio::test]
async fn pausing_and_deleting_are_resent_after_a_503() {
    let paused = flaky(
        "PUT",
        format!("{CONNECTORS}/orders/pause"),
        1,
        ResponseTemplate::new(202),
    )
    .await;
    client(&paused)
        .connector("env-1", "lkc-1", "orders")
        .pause()
        .await
        .expect("paused");
    assert_eq!(requests(&paused).await, 2);

    let deleted = flaky(
        "DELETE",
        format!("{CONNECTORS}/orders"),
        1,
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"error": null})),
    )
    .await;
    client(&deleted)
        .connector("env-1", "lkc-1", "orders")
        .delete()
        .await
        .expect("deleted");
    assert_eq!(requests(&deleted).await, 2);
}

/// A create answered once with `answer`, through a client that does not retry.
async fn create_answered(answer: ResponseTemplate) -> Result<ConnectorInfo, Error> {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CONNECTORS))
        .respond_with(answer)
        .mount(&server)
        .await;
    Client::builder()
        .api_key("RETRYKEY00000001", "retry-secret")
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client")
        .cluster("env-1", "lkc-1")
        .create_connector("orders", config("orders"))
        .send()
        .await
}

#[tokio::test]
async fn a_create_error_body_of_another_shape_keeps_its_message() {
    let answer = ResponseTemplate::new(500).set_body_json(serde_json::json!({
        "error_code": 500, "message": "Oops, something went wrong"
    }));
    match create_answered(answer).await {
        Err(Error::Api(api)) => {
            assert_eq!(api.status, StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(api.code, Some(500));
            assert_eq!(api.message.as_deref(), Some("Oops, something went wrong"));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn a_create_error_body_without_a_message_is_an_unexpected_response_with_its_start() {
    let answer = ResponseTemplate::new(400).set_body_json(serde_json::json!({"oops": 1}));
    match create_answered(answer).await {
        Err(Error::UnexpectedResponse {
            status,
            body_excerpt,
            ..
        }) => {
            assert_eq!(status, StatusCode::BAD_REQUEST);
            assert_eq!(body_excerpt, r#"{"oops":1}"#);
        }
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
}
