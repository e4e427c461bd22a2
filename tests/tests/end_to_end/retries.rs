//! Reads under the default retry rules, against wiremock: what is sent again, what is not,
//! what the waits follow, and what the final error says.

use std::time::Duration;

use confluent_connect::{Client, Error, RetryPolicy, RetryStop, StatusCode};
use confluent_connect_tests::{
    CLUSTER, CONNECTOR, ENV, builder_for, default_offsets_path, example, named_example,
    quick_retries,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    builder_for(server)
        .retry_policy(policy)
        .build()
        .expect("a client")
}

/// Answers `first` to the first `times` reads, then the sink example.
async fn server_failing(first: ResponseTemplate, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(default_offsets_path()))
        .respond_with(first)
        .up_to_n_times(times)
        .expect(times)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(default_offsets_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(named_example(200, "sink")))
        .mount(&server)
        .await;
    server
}

/// Answers `response` to every read, expecting exactly `times` of them.
async fn server_always(response: ResponseTemplate, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(default_offsets_path()))
        .respond_with(response)
        .expect(times)
        .mount(&server)
        .await;
    server
}

async fn read(client: &Client) -> Result<confluent_connect::ConnectorOffsets, Error> {
    client.connector(ENV, CLUSTER, CONNECTOR).offsets().await
}

#[tokio::test]
async fn a_503_then_success_is_a_success() {
    let server = server_failing(ResponseTemplate::new(503), 2).await;

    let offsets = read(&client(&server, quick_retries()))
        .await
        .expect("the third try works");

    assert_eq!(offsets.id.as_deref(), Some("lcc-as341"));
}

#[tokio::test]
async fn each_passing_status_is_retried() {
    for status in [500_u16, 502, 503, 504] {
        let server = server_failing(ResponseTemplate::new(status), 1).await;

        let outcome = read(&client(&server, quick_retries())).await;

        assert!(outcome.is_ok(), "{status}: {outcome:?}");
    }
}

#[tokio::test]
async fn a_429_is_waited_out_with_retry_after() {
    let server = server_failing(
        ResponseTemplate::new(429).insert_header("Retry-After", "0"),
        1,
    )
    .await;

    let outcome = read(&client(&server, quick_retries())).await;

    assert!(outcome.is_ok(), "{outcome:?}");
}

#[tokio::test]
async fn a_429_without_retry_after_waits_the_relative_reset() {
    let server = server_failing(
        ResponseTemplate::new(429).insert_header("X-RateLimit-Reset", "1"),
        1,
    )
    .await;

    let outcome = read(&client(&server, quick_retries())).await;

    assert!(outcome.is_ok(), "{outcome:?}");
}

#[tokio::test]
async fn a_timeout_is_retried() {
    let server = server_failing(
        ResponseTemplate::new(200)
            .set_body_json(named_example(200, "sink"))
            .set_delay(Duration::from_secs(3)),
        1,
    )
    .await;
    let client = builder_for(&server)
        .retry_policy(quick_retries())
        .timeout(Duration::from_millis(300))
        .build()
        .expect("a client");

    let outcome = read(&client).await;

    assert!(outcome.is_ok(), "{outcome:?}");
}

#[tokio::test]
async fn a_client_error_is_not_retried() {
    for status in [400_u16, 401, 403, 404] {
        let server = server_always(
            ResponseTemplate::new(status).set_body_json(example(status)),
            1,
        )
        .await;

        let error = read(&client(&server, quick_retries()))
            .await
            .expect_err("an error");

        assert!(matches!(error, Error::Api(_)), "{status}: {error:?}");
    }
}

#[tokio::test]
async fn a_success_that_does_not_decode_is_not_retried() {
    let server = server_always(
        ResponseTemplate::new(200).set_body_raw("<html>", "text/html"),
        1,
    )
    .await;

    let error = read(&client(&server, quick_retries()))
        .await
        .expect_err("not JSON");

    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn giving_up_lists_why_each_try_failed() {
    let server = server_always(ResponseTemplate::new(500).set_body_json(example(500)), 3).await;

    let error = read(&client(&server, quick_retries().with_max_attempts(3)))
        .await
        .expect_err("500 every time");

    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert!(matches!(error.last_try(), Error::Api(_)), "{error:?}");
    let Error::RetriesExhausted {
        attempts, causes, ..
    } = &error
    else {
        panic!("expected RetriesExhausted, got {error:?}");
    };
    assert_eq!(*attempts, 3);
    assert_eq!(causes.len(), 3);
    let message = error.to_string();
    assert!(
        message.starts_with(
            "gave up after 3 tries (the retry policy allows 3 tries): 1) Confluent Cloud \
             answered 500"
        ),
        "{message}"
    );
    assert!(
        message.contains("; 2) ") && message.contains("; 3) "),
        "{message}"
    );
}

#[tokio::test]
async fn a_retry_after_past_the_deadline_is_not_waited() {
    let server = server_always(
        ResponseTemplate::new(429).insert_header("Retry-After", "120"),
        1,
    )
    .await;

    let error = read(&client(
        &server,
        quick_retries().with_deadline(Duration::from_secs(5)),
    ))
    .await
    .expect_err("two minutes is past the deadline");

    match error {
        Error::RateLimited(limited) => assert_eq!(limited.retry_after, Some(120)),
        other => panic!("expected RateLimited at once, got {other:?}"),
    }
}

#[tokio::test]
async fn no_retries_sends_once() {
    let server = server_always(ResponseTemplate::new(503), 1).await;

    let error = read(&client(&server, RetryPolicy::none()))
        .await
        .expect_err("503");

    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert!(
        !matches!(error, Error::RetriesExhausted { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_429_asking_for_a_wait_of_years_is_reported_at_once_not_waited_for() {
    let server = server_always(
        ResponseTemplate::new(429).insert_header("Retry-After", "1796293778"),
        1,
    )
    .await;

    let error = read(&client(&server, RetryPolicy::default()))
        .await
        .expect_err("429");

    let Error::RateLimited(limited) = &error else {
        panic!("expected Error::RateLimited after one try, got {error:?}");
    };
    assert_eq!(limited.retry_after, Some(1_796_293_778));
    assert_eq!(
        error.to_string(),
        "rate limited by Confluent Cloud (429 Too Many Requests): the service asked for a wait \
         of 57 years (1796293778 s; as a Unix time, 2026-12-03T10:29:38Z); not waiting"
    );
    server.verify().await;
}

#[tokio::test]
async fn giving_up_at_the_deadline_says_that_the_deadline_was_the_bound() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(default_offsets_path()))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(default_offsets_path()))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "30"))
        .expect(1)
        .mount(&server)
        .await;
    let policy = quick_retries().with_deadline(Duration::from_secs(10));

    let error = read(&client(&server, policy))
        .await
        .expect_err("the second wait would pass the deadline");

    let Error::RetriesExhausted {
        attempts, stopped, ..
    } = &error
    else {
        panic!("expected RetriesExhausted, got {error:?}");
    };
    assert_eq!(*attempts, 2);
    assert_eq!(
        *stopped,
        RetryStop::Deadline {
            deadline: Duration::from_secs(10)
        }
    );
    assert!(
        error
            .to_string()
            .starts_with("gave up after 2 tries (another try would end past the 10 s deadline): "),
        "{error}"
    );
    server.verify().await;
}
