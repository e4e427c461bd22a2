//! Failures: every documented error status, the undocumented answers gateways and proxies
//! send, and failures to reach the service at all. Each is checked down to the exact variant
//! and field values.

use std::time::Duration;

use confluent_connect::{ApiError, Client, Error, RateLimited, StatusCode};
use confluent_connect_tests::{
    CLUSTER, CONNECTOR, ENV, builder_for, client_for, default_offsets_path, documented_headers,
    example, named_example, refused_url, server_answering, spec_response,
};
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{method, path},
};

/// The error from asking a server that answers `response` (exactly once) for the default
/// connector's offsets.
async fn error_for(response: ResponseTemplate) -> Error {
    let server = server_answering(response).await;
    match client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
    {
        Ok(offsets) => panic!("expected an error, got {offsets:?}"),
        Err(error) => error,
    }
}

/// The error for the spec's example body of `status`, sent with `X-Request-Id: req-<status>`.
async fn documented_error(status: u16) -> Error {
    error_for(
        ResponseTemplate::new(status)
            .set_body_json(example(status))
            .insert_header("x-request-id", format!("req-{status}").as_str()),
    )
    .await
}

fn expect_api(error: Error) -> ApiError {
    match error {
        Error::Api(api) => api,
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

/// The status, body excerpt and request id of an `Error::UnexpectedResponse`.
fn expect_unexpected(error: Error) -> (StatusCode, String, Option<String>) {
    match error {
        Error::UnexpectedResponse {
            status,
            body_excerpt,
            request_id,
        } => (status, body_excerpt, request_id),
        other => panic!("expected Error::UnexpectedResponse, got {other:?}"),
    }
}

fn api_error(status: u16, message: &str) -> ApiError {
    ApiError::new(
        StatusCode::from_u16(status).unwrap(),
        Some(i64::from(status)),
        Some(message.to_string()),
        Some(format!("req-{status}")),
    )
}

#[tokio::test]
async fn documented_400_is_an_api_error_with_code_message_and_request_id() {
    let error = documented_error(400).await;
    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(error.request_id(), Some("req-400"));
    assert_eq!(expect_api(error), api_error(400, "Bad Request"));
}

#[tokio::test]
async fn documented_401_is_an_api_error_that_names_the_credential_variables() {
    let error = documented_error(401).await;
    let text = error.to_string();
    assert!(
        text.starts_with(
            "Confluent Cloud answered 401 Unauthorized: Unauthorized (code 401, request id \
             req-401)"
        ),
        "{text}"
    );
    assert!(text.contains("CONFLUENT_CLOUD_API_KEY"), "{text}");
    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(error.request_id(), Some("req-401"));
    assert_eq!(expect_api(error), api_error(401, "Unauthorized"));
}

#[tokio::test]
async fn documented_403_is_an_api_error_with_code_message_and_request_id() {
    let error = documented_error(403).await;
    assert_eq!(error.status(), Some(StatusCode::FORBIDDEN));
    assert_eq!(expect_api(error), api_error(403, "Forbidden"));
}

#[tokio::test]
async fn documented_404_is_an_api_error_with_code_message_and_request_id() {
    let error = documented_error(404).await;
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(expect_api(error), api_error(404, "resource not found"));
}

#[tokio::test]
async fn documented_500_is_an_api_error_with_code_message_and_request_id() {
    let error = documented_error(500).await;
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(
        expect_api(error),
        api_error(500, "Oops, something went wrong")
    );
}

#[tokio::test]
async fn documented_error_without_request_id_has_none() {
    let error = error_for(ResponseTemplate::new(404).set_body_json(example(404))).await;
    assert_eq!(
        expect_api(error),
        ApiError::new(
            StatusCode::NOT_FOUND,
            Some(404),
            Some("resource not found".to_string()),
            None,
        )
    );
}

#[tokio::test]
async fn undocumented_status_with_the_documented_error_body_is_an_api_error() {
    let error = error_for(
        ResponseTemplate::new(503)
            .set_body_raw(
                r#"{"error":{"code":503,"message":"Service Unavailable"}}"#,
                "application/json",
            )
            .insert_header("x-request-id", "req-503"),
    )
    .await;
    assert_eq!(
        expect_api(error),
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            Some(503),
            Some("Service Unavailable".to_string()),
            Some("req-503".to_string()),
        )
    );
}

#[tokio::test]
async fn rate_limited_429_keeps_every_documented_header() {
    // The spec documents 429 with these headers and no body.
    let mut documented = documented_headers(429);
    documented.sort();
    assert_eq!(
        documented,
        [
            "Retry-After",
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "X-RateLimit-Reset",
            "X-Request-Id",
        ]
    );
    assert!(spec_response(429).get("content").is_none());

    let error = error_for(
        ResponseTemplate::new(429)
            .insert_header("Retry-After", "30")
            .insert_header("X-RateLimit-Limit", "80")
            .insert_header("X-RateLimit-Remaining", "0")
            .insert_header("X-RateLimit-Reset", "27")
            .insert_header("X-Request-Id", "req-429"),
    )
    .await;

    assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(error.request_id(), Some("req-429"));
    let Error::RateLimited(limited) = error else {
        panic!("expected Error::RateLimited, got {error:?}");
    };
    assert_eq!(
        limited,
        RateLimited::new()
            .with_retry_after(Some(30))
            .with_limit(Some(80))
            .with_remaining(Some(0))
            .with_reset(Some(27))
            .with_request_id(Some("req-429".to_string()))
    );
}

#[tokio::test]
async fn rate_limited_429_without_headers_has_nothing_to_report() {
    let error = error_for(ResponseTemplate::new(429)).await;
    let Error::RateLimited(limited) = error else {
        panic!("expected Error::RateLimited, got {error:?}");
    };
    assert_eq!(limited, RateLimited::new());
}

const GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
                            <center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

#[tokio::test]
async fn gateway_502_with_html_is_an_unexpected_response_with_its_excerpt() {
    let error = error_for(
        ResponseTemplate::new(502)
            .set_body_raw(GATEWAY_PAGE, "text/html")
            .insert_header("x-request-id", "req-502"),
    )
    .await;

    let (status, body_excerpt, request_id) = expect_unexpected(error);
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(body_excerpt, GATEWAY_PAGE.trim());
    assert_eq!(request_id.as_deref(), Some("req-502"));
}

#[tokio::test]
async fn documented_status_500_with_html_keeps_its_status() {
    let page = "<html><body><h1>Internal Server Error</h1></body></html>";
    let error = error_for(
        ResponseTemplate::new(500)
            .set_body_raw(page, "text/html")
            .insert_header("x-request-id", "req-500-html"),
    )
    .await;

    let (status, body_excerpt, request_id) = expect_unexpected(error);
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(body_excerpt, page);
    assert_eq!(request_id.as_deref(), Some("req-500-html"));
}

#[tokio::test]
async fn unexpected_response_with_empty_body_has_empty_excerpt() {
    let error =
        error_for(ResponseTemplate::new(504).insert_header("x-request-id", "req-504")).await;

    let (status, body_excerpt, request_id) = expect_unexpected(error);
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(body_excerpt, "");
    assert_eq!(request_id.as_deref(), Some("req-504"));
}

#[tokio::test]
async fn documented_status_401_with_an_empty_body_keeps_its_status() {
    let error =
        error_for(ResponseTemplate::new(401).insert_header("x-request-id", "req-401-empty")).await;

    let (status, body_excerpt, request_id) = expect_unexpected(error);
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body_excerpt, "");
    assert_eq!(request_id.as_deref(), Some("req-401-empty"));
}

#[tokio::test]
async fn documented_status_without_the_error_object_is_an_api_error_without_details() {
    let error = error_for(
        ResponseTemplate::new(404)
            .set_body_raw("{}", "application/json")
            .insert_header("x-request-id", "req-404-empty"),
    )
    .await;
    assert_eq!(
        expect_api(error),
        ApiError::new(
            StatusCode::NOT_FOUND,
            None,
            None,
            Some("req-404-empty".to_string()),
        )
    );
}

#[tokio::test]
async fn long_unexpected_body_is_cut_to_300_characters() {
    let body = "é".repeat(1000);
    let error = error_for(ResponseTemplate::new(502).set_body_raw(body, "text/plain")).await;

    let (status, body_excerpt, request_id) = expect_unexpected(error);
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    assert_eq!(body_excerpt, format!("{}…", "é".repeat(300)));
    assert_eq!(request_id, None);
}

#[tokio::test]
async fn success_with_a_non_json_body_is_a_decode_error_with_status_200() {
    let error = error_for(
        ResponseTemplate::new(200)
            .set_body_raw("<html>maintenance</html>", "text/html")
            .insert_header("x-request-id", "req-200-html"),
    )
    .await;

    let Error::Decode {
        status,
        message,
        body_excerpt,
        request_id,
    } = error
    else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(status, StatusCode::OK);
    assert_eq!(message, "expected value at line 1 column 1");
    assert_eq!(body_excerpt, "<html>maintenance</html>");
    assert_eq!(request_id.as_deref(), Some("req-200-html"));
}

#[tokio::test]
async fn success_with_json_of_the_wrong_shape_is_a_decode_error() {
    let body = r#"{"name":"orders-sink","offsets":"none"}"#;
    let error = error_for(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;

    let Error::Decode {
        status,
        message,
        body_excerpt,
        request_id,
    } = error
    else {
        panic!("expected Error::Decode, got {error:?}");
    };
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        message,
        "invalid type: string \"none\", expected a sequence at line 1 column 38"
    );
    assert_eq!(body_excerpt, body);
    assert_eq!(request_id, None);
}

#[tokio::test]
async fn refused_connection_is_a_transport_error_without_status() {
    let client = Client::builder()
        .api_key("KEY", "SECRET")
        .retry_policy(confluent_connect::RetryPolicy::none())
        .base_url(refused_url())
        .build()
        .unwrap();

    let error = client
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .unwrap_err();

    assert_eq!(error.status(), None);
    assert_eq!(error.request_id(), None);
    let text = error.to_string();
    let Error::Transport { status, source } = error else {
        panic!("expected Error::Transport, got {error:?}");
    };
    assert_eq!(status, None);
    assert!(
        source
            .downcast_ref::<reqwest::Error>()
            .is_some_and(reqwest::Error::is_connect),
        "{source:?}"
    );
    assert!(
        text.starts_with("could not talk to Confluent Cloud: "),
        "{text}"
    );
    assert!(
        text.ends_with(". Check the base URL and the network"),
        "{text}"
    );
}

#[tokio::test]
async fn server_slower_than_the_timeout_is_a_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(default_offsets_path()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(named_example(200, "sink"))
                .set_delay(Duration::from_secs(3)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = builder_for(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let started = std::time::Instant::now();
    let error = client
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .unwrap_err();

    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let Error::Timeout { status, source } = error else {
        panic!("expected Error::Timeout, got {error:?}");
    };
    assert_eq!(status, None);
    assert!(
        source
            .downcast_ref::<reqwest::Error>()
            .is_some_and(reqwest::Error::is_timeout),
        "{source:?}"
    );
}
