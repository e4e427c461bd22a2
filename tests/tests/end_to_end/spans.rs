//! Tracing: one span per request with the operation, status and request id, and never a
//! credential, neither in the log nor in any `Debug` or `Display`.

use std::{
    io,
    sync::{Arc, Mutex},
    time::Duration,
};

use base64::Engine;
use confluent_connect::{Client, Error, WaitOptions};
use confluent_connect_tests::{
    CLUSTER, CONNECTOR, ENV, OPERATION_ID, alter_accepted, alter_request_path, alter_status_path,
    alter_status_with_phase, example, named_example, refused_url, server_answering,
};
use tracing_subscriber::fmt::{MakeWriter, format::FmtSpan};
use wiremock::{MockServer, ResponseTemplate};

const KEY: &str = "TRACEKEY1234";
const SECRET: &str = "s3cr3t-never-in-logs";
const TOKEN: &str = "eyJhbGciOi.bearer-token-never-in-logs.c2ln";

/// Everything a subscriber writes, shared with the test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).expect("the log is UTF-8")
    }
}

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Installs a subscriber that logs everything, span closes included, into the returned buffer,
/// for as long as the guard lives (on this thread, where `#[tokio::test]` runs everything).
fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    (captured, guard)
}

/// The lines that close a request span.
fn span_closes(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|line| line.contains("confluent_connect.request{") && line.contains(" close "))
        .collect()
}

/// What must never appear: the secret, the token, and the Basic header made from the secret.
fn secrets() -> [String; 3] {
    [
        SECRET.to_string(),
        TOKEN.to_string(),
        base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}")),
    ]
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in secrets() {
        assert!(
            !text.contains(&secret),
            "{what} contains the secret {secret:?}:\n{text}"
        );
    }
}

#[tokio::test]
async fn each_request_has_one_span_with_operation_status_and_request_id() {
    let ok = server_answering(
        ResponseTemplate::new(200)
            .set_body_json(named_example(200, "sink"))
            .insert_header("x-request-id", "req-trace-200"),
    )
    .await;
    let missing = server_answering(
        ResponseTemplate::new(404)
            .set_body_json(example(404))
            .insert_header("x-request-id", "req-trace-404"),
    )
    .await;
    let (captured, _guard) = capture();

    let client = Client::builder()
        .api_key(KEY, SECRET)
        .retry_policy(confluent_connect::RetryPolicy::none())
        .base_url(ok.uri())
        .build()
        .unwrap();
    client
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .expect("200");
    let client = Client::builder()
        .api_key(KEY, SECRET)
        .retry_policy(confluent_connect::RetryPolicy::none())
        .base_url(missing.uri())
        .build()
        .unwrap();
    let error = client
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .unwrap_err();
    assert_eq!(error.request_id(), Some("req-trace-404"));

    let log = captured.text();
    let closes = span_closes(&log);
    assert_eq!(closes.len(), 2, "one span per request:\n{log}");
    let operation = format!("operation=\"{OPERATION_ID}\"");
    for (close, status, request_id) in [
        (closes[0], "status=200", "request_id=\"req-trace-200\""),
        (closes[1], "status=404", "request_id=\"req-trace-404\""),
    ] {
        assert!(close.contains(&operation), "{close}");
        assert!(close.contains(&format!("connector={CONNECTOR}")), "{close}");
        assert!(close.contains(status), "{close}");
        assert!(close.contains(request_id), "{close}");
        assert!(close.contains("duration_ms="), "{close}");
    }
    assert!(log.contains("request succeeded"), "{log}");
    assert!(log.contains("request failed"), "{log}");
    assert_no_secret("the log", &log);
}

#[tokio::test]
async fn span_of_a_rate_limited_request_has_429_and_its_request_id() {
    let server = server_answering(
        ResponseTemplate::new(429)
            .insert_header("retry-after", "5")
            .insert_header("x-request-id", "req-trace-429"),
    )
    .await;
    let (captured, _guard) = capture();
    let client = Client::builder()
        .api_key(KEY, SECRET)
        .retry_policy(confluent_connect::RetryPolicy::none())
        .base_url(server.uri())
        .build()
        .unwrap();

    let error = client
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::RateLimited(_)), "{error:?}");

    let log = captured.text();
    let closes = span_closes(&log);
    assert_eq!(closes.len(), 1, "{log}");
    assert!(
        closes[0].contains(&format!("operation=\"{OPERATION_ID}\"")),
        "{log}"
    );
    assert!(closes[0].contains("status=429"), "{log}");
    assert!(closes[0].contains("request_id=\"req-trace-429\""), "{log}");
    assert_no_secret("the log", &log);
}

#[tokio::test]
async fn span_of_a_request_that_never_reached_the_service_has_no_status() {
    let (captured, _guard) = capture();
    let client = Client::builder()
        .api_key(KEY, SECRET)
        .retry_policy(confluent_connect::RetryPolicy::none())
        .base_url(refused_url())
        .build()
        .unwrap();

    let error = client
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { status: None, .. }));

    let log = captured.text();
    let closes = span_closes(&log);
    assert_eq!(closes.len(), 1, "{log}");
    assert!(
        closes[0].contains(&format!("operation=\"{OPERATION_ID}\"")),
        "{log}"
    );
    assert!(!closes[0].contains("status="), "{log}");
    assert!(!closes[0].contains("request_id="), "{log}");
    assert_no_secret("the log", &log);
}

#[tokio::test]
async fn a_refused_argument_opens_no_request_span() {
    let server = MockServer::start().await;
    let (captured, _guard) = capture();
    let client = Client::builder()
        .api_key(KEY, SECRET)
        .retry_policy(confluent_connect::RetryPolicy::none())
        .base_url(server.uri())
        .build()
        .unwrap();

    let error = client
        .connector(ENV, CLUSTER, "..")
        .offsets()
        .await
        .unwrap_err();

    assert!(matches!(error, Error::InvalidArgument { .. }), "{error:?}");
    let log = captured.text();
    assert_eq!(span_closes(&log), Vec::<&str>::new(), "{log}");
}

#[tokio::test]
async fn api_key_secret_is_never_logged_or_printed() {
    let server = server_answering(
        ResponseTemplate::new(401)
            .set_body_json(example(401))
            .insert_header("x-request-id", "req-trace-401"),
    )
    .await;
    let (captured, _guard) = capture();
    let builder = Client::builder()
        .api_key(KEY, SECRET)
        .retry_policy(confluent_connect::RetryPolicy::none())
        .base_url(server.uri());
    let client = builder.clone().build().unwrap();
    let connector = client.connector(ENV, CLUSTER, CONNECTOR);

    let error = connector.offsets().await.unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");

    let timeout_server = server_answering(
        ResponseTemplate::new(200)
            .set_body_json(named_example(200, "sink"))
            .set_delay(Duration::from_secs(3)),
    )
    .await;
    let timeout = Client::builder()
        .api_key(KEY, SECRET)
        .retry_policy(confluent_connect::RetryPolicy::none())
        .base_url(timeout_server.uri())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap()
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .unwrap_err();
    assert!(matches!(timeout, Error::Timeout { .. }), "{timeout:?}");

    let log = captured.text();
    assert_eq!(span_closes(&log).len(), 2, "{log}");
    assert_no_secret("the log", &log);
    let builder_debug = format!("{builder:?}");
    assert!(builder_debug.contains(KEY), "{builder_debug}");
    assert!(builder_debug.contains("REDACTED"), "{builder_debug}");
    for (what, text) in [
        ("the builder's Debug", builder_debug.clone()),
        ("the client's Debug", format!("{client:?}")),
        ("the connector's Debug", format!("{connector:?}")),
        ("the 401 error's Debug", format!("{error:?}")),
        ("the 401 error's Display", error.to_string()),
        ("the timeout's Debug", format!("{timeout:?}")),
        ("the timeout's Display", timeout.to_string()),
    ] {
        assert_no_secret(what, &text);
    }
}

#[tokio::test]
async fn bearer_token_is_never_logged_or_printed() {
    let server = server_answering(
        ResponseTemplate::new(403)
            .set_body_json(example(403))
            .insert_header("x-request-id", "req-trace-403"),
    )
    .await;
    let (captured, _guard) = capture();
    let builder = Client::builder()
        .bearer_token(TOKEN)
        .base_url(server.uri())
        .retry_policy(confluent_connect::RetryPolicy::none());
    let client = builder.clone().build().unwrap();
    let connector = client.connector(ENV, CLUSTER, CONNECTOR);

    let error = connector.offsets().await.unwrap_err();
    assert!(matches!(error, Error::Api(_)), "{error:?}");

    let refused = Client::builder()
        .bearer_token(TOKEN)
        .retry_policy(confluent_connect::RetryPolicy::none())
        .base_url(refused_url())
        .build()
        .unwrap()
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .unwrap_err();
    assert!(matches!(refused, Error::Transport { .. }), "{refused:?}");

    let log = captured.text();
    assert_eq!(span_closes(&log).len(), 2, "{log}");
    assert_no_secret("the log", &log);
    let builder_debug = format!("{builder:?}");
    assert!(builder_debug.contains("REDACTED"), "{builder_debug}");
    for (what, text) in [
        ("the builder's Debug", builder_debug.clone()),
        ("the client's Debug", format!("{client:?}")),
        ("the connector's Debug", format!("{connector:?}")),
        ("the 403 error's Debug", format!("{error:?}")),
        ("the 403 error's Display", error.to_string()),
        ("the transport error's Debug", format!("{refused:?}")),
        ("the transport error's Display", refused.to_string()),
    ] {
        assert_no_secret(what, &text);
    }
}

#[tokio::test]
async fn no_secret_in_retried_requests_or_their_final_error() {
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_raw("<html>down</html>", "text/html"))
        .expect(3)
        .mount(&server)
        .await;
    let (captured, _guard) = capture();
    let client = Client::builder()
        .api_key(KEY, SECRET)
        .retry_policy(
            confluent_connect::RetryPolicy::default()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(10)),
        )
        .base_url(server.uri())
        .build()
        .unwrap();

    let error = client
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::RetriesExhausted { attempts: 3, .. }),
        "{error:?}"
    );
    let log = captured.text();
    assert_eq!(span_closes(&log).len(), 3, "{log}");
    for (what, text) in [
        ("the log", log.clone()),
        ("the client's Debug", format!("{client:?}")),
        ("the final error's Debug", format!("{error:?}")),
        ("the final error's Display", error.to_string()),
    ] {
        assert_no_secret(what, &text);
    }
}

#[tokio::test]
async fn no_secret_in_offsets_changes_or_their_errors() {
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path(alter_request_path()))
        .respond_with(alter_accepted("DELETE"))
        .mount(&server)
        .await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::path(alter_status_path()))
        .respond_with(alter_status_with_phase("FAILED"))
        .mount(&server)
        .await;
    let pending = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::path(alter_status_path()))
        .respond_with(alter_status_with_phase("PENDING"))
        .mount(&pending)
        .await;
    let (captured, _guard) = capture();
    let client_for = |uri: String| {
        Client::builder()
            .api_key(KEY, SECRET)
            .base_url(uri)
            .build()
            .unwrap()
    };
    let client = client_for(server.uri());
    let connector = client.connector(ENV, CLUSTER, CONNECTOR);
    let options = WaitOptions::default()
        .with_timeout(Duration::from_millis(300))
        .with_initial_interval(Duration::from_millis(50));

    let request = connector.reset_offsets().await.unwrap();
    let failed = connector.wait_for_alter(options).await.unwrap_err();
    let timed_out = client_for(pending.uri())
        .connector(ENV, CLUSTER, CONNECTOR)
        .wait_for_alter(options)
        .await
        .unwrap_err();

    assert!(matches!(failed, Error::AlterFailed { .. }), "{failed:?}");
    assert!(
        matches!(timed_out, Error::AlterTimedOut { .. }),
        "{timed_out:?}"
    );
    let log = captured.text();
    assert!(span_closes(&log).len() >= 3, "{log}");
    for (what, text) in [
        ("the log", log.clone()),
        ("the request's Debug", format!("{request:?}")),
        ("the failure's Debug", format!("{failed:?}")),
        ("the failure's Display", failed.to_string()),
        ("the time-out's Debug", format!("{timed_out:?}")),
        ("the time-out's Display", timed_out.to_string()),
    ] {
        assert_no_secret(what, &text);
    }
}

#[tokio::test]
async fn no_secret_in_a_body_over_the_cap() {
    let server = server_answering(
        ResponseTemplate::new(200).set_body_raw(vec![b' '; 10_000], "application/json"),
    )
    .await;
    let (captured, _guard) = capture();
    let client = Client::builder()
        .api_key(KEY, SECRET)
        .base_url(server.uri())
        .response_body_limit(1_000)
        .build()
        .unwrap();

    let error = client
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::BodyTooLarge { limit: 1_000, .. }),
        "{error:?}"
    );
    for (what, text) in [
        ("the log", captured.text()),
        ("the error's Debug", format!("{error:?}")),
        ("the error's Display", error.to_string()),
    ] {
        assert_no_secret(what, &text);
    }
}

/// The Kafka API secret of a connector's configuration, which Confluent's spec marks
/// `x-redact`.
const KAFKA_SECRET: &str = "kafka-secret-never-in-logs";

#[tokio::test]
async fn creating_a_connector_logs_no_configuration_secret_even_when_refused() {
    let server = MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": {"code": 400, "message": "Connector orders already exists"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let (captured, _guard) = capture();
    let config = confluent_connect::ConnectorConfig::new()
        .with("connector.class", "S3_SINK")
        .with("name", "orders")
        .with("kafka.api.key", "KAFKAKEY00000001")
        .with("kafka.api.secret", KAFKA_SECRET)
        .with("connection.password", KAFKA_SECRET);
    let client = Client::builder()
        .api_key(KEY, SECRET)
        .retry_policy(confluent_connect::RetryPolicy::none())
        .base_url(server.uri())
        .build()
        .unwrap();

    let error = client
        .cluster(ENV, CLUSTER)
        .create_connector("orders", config.clone())
        .send()
        .await
        .expect_err("refused");

    let log = captured.text();
    assert_eq!(span_closes(&log).len(), 1, "{log}");
    for text in [log, format!("{error:?} {error}"), format!("{config:?}")] {
        assert!(!text.contains(KAFKA_SECRET), "a secret shows in:\n{text}");
    }
    let sent = server.received_requests().await.expect("recorded");
    let body: serde_json::Value = serde_json::from_slice(&sent[0].body).expect("JSON");
    assert_eq!(
        body["config"]["kafka.api.secret"], KAFKA_SECRET,
        "sent as it is"
    );
}

/// OAuth's secrets: the client secret at the identity provider, the subject token it issues,
/// and the access token the exchange issues.
const OAUTH_SECRETS: [&str; 3] = [
    "oauth-client-s3cr3t-never-in-logs",
    "eyJ.subject-token-never-in-logs.sig",
    "sts-access-token-never-in-logs",
];

fn assert_no_oauth_secret(what: &str, text: &str) {
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("client-1:{}", OAUTH_SECRETS[0]));
    for secret in OAUTH_SECRETS.iter().copied().chain([basic.as_str()]) {
        assert!(
            !text.contains(secret),
            "{what} contains the secret {secret:?}:\n{text}"
        );
    }
}

/// A server whose identity provider answers `idp`, whose exchange answers `sts`, and whose API
/// answers the default connector's offsets.
async fn oauth_server(idp: ResponseTemplate, sts: ResponseTemplate) -> MockServer {
    use wiremock::matchers::{method, path};
    let server = MockServer::start().await;
    for (route, answer) in [("/idp/token", idp), ("/sts/v1/oauth2/token", sts)] {
        wiremock::Mock::given(method("POST"))
            .and(path(route))
            .respond_with(answer)
            .mount(&server)
            .await;
    }
    wiremock::Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(named_example(200, "sink")))
        .mount(&server)
        .await;
    server
}

fn oauth_builder(server: &MockServer) -> confluent_connect::ClientBuilder {
    Client::builder()
        .oauth(confluent_connect::OAuth::client_credentials(
            format!("{}/idp/token", server.uri()),
            "client-1",
            OAUTH_SECRETS[0],
            "pool-1",
        ))
        .retry_policy(confluent_connect::RetryPolicy::none())
        .base_url(server.uri())
}

/// The error of reading offsets through [`oauth_builder`]'s client.
async fn oauth_read_error(server: &MockServer) -> Error {
    oauth_builder(server)
        .build()
        .unwrap()
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .unwrap_err()
}

/// Neither `error` (shown or debugged) nor `log` holds an OAuth secret.
fn assert_no_oauth_secret_in(error: &Error, log: &str) {
    assert_no_oauth_secret("the log", log);
    assert_no_oauth_secret("the error's Display", &error.to_string());
    assert_no_oauth_secret("the error's Debug", &format!("{error:?}"));
}

fn idp_answer() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": OAUTH_SECRETS[1], "token_type": "Bearer", "expires_in": 3600
    }))
}

/// The exchange's answer: the access token, living 900 s.
fn sts_answer() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": OAUTH_SECRETS[2],
        "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
        "token_type": "Bearer",
        "expires_in": 900
    }))
}

#[tokio::test]
async fn oauth_secrets_and_tokens_are_never_logged_or_printed() {
    let server = oauth_server(idp_answer(), sts_answer()).await;
    let (captured, _guard) = capture();
    let builder = oauth_builder(&server);
    let client = builder.clone().build().unwrap();

    client
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .unwrap();

    let sent = server.received_requests().await.unwrap();
    assert_eq!(
        sent.last().unwrap().headers["authorization"],
        format!("Bearer {}", OAUTH_SECRETS[2]).as_str()
    );
    let log = captured.text();
    assert_eq!(span_closes(&log).len(), 1, "{log}");
    assert_no_oauth_secret("the log", &log);
    for (what, text) in [
        ("the builder's Debug", format!("{builder:?}")),
        ("the client's Debug", format!("{client:?}")),
    ] {
        assert!(text.contains("REDACTED"), "{text}");
        assert_no_oauth_secret(what, &text);
    }
}

/// The lines that close a token request span.
fn token_span_closes(log: &str) -> Vec<&str> {
    log.lines()
        .filter(|line| {
            line.contains("confluent_connect.token_request{") && line.contains(" close ")
        })
        .collect()
}

#[tokio::test]
async fn each_token_request_has_one_span_with_side_url_status_and_request_id() {
    let server = oauth_server(
        idp_answer().insert_header("x-request-id", "req-idp-1"),
        sts_answer().insert_header("x-request-id", "req-sts-1"),
    )
    .await;
    let (captured, _guard) = capture();

    oauth_builder(&server)
        .build()
        .unwrap()
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .unwrap();

    let log = captured.text();
    let closes = token_span_closes(&log);
    assert_eq!(closes.len(), 2, "one span per token request:\n{log}");
    for (close, side, route, request_id) in [
        (closes[0], "identity_provider", "/idp/token", "req-idp-1"),
        (
            closes[1],
            "token_exchange",
            "/sts/v1/oauth2/token",
            "req-sts-1",
        ),
    ] {
        assert!(close.contains(&format!("side=\"{side}\"")), "{close}");
        assert!(
            close.contains(&format!("url=\"{}{route}\"", server.uri())),
            "{close}"
        );
        assert!(close.contains("status=200"), "{close}");
        assert!(
            close.contains(&format!("request_id=\"{request_id}\"")),
            "{close}"
        );
        assert!(close.contains("duration_ms="), "{close}");
    }
    assert_no_oauth_secret("the log", &log);
}

#[tokio::test]
async fn the_span_of_a_refused_token_exchange_has_its_status() {
    let server = oauth_server(
        idp_answer(),
        ResponseTemplate::new(400).set_body_json(serde_json::json!({"errors": [{
            "status": "400", "code": "unknown_identity_pool", "detail": "no such pool"
        }]})),
    )
    .await;
    let (captured, _guard) = capture();

    let error = oauth_read_error(&server).await;

    assert!(matches!(error, Error::Credentials(_)), "{error:?}");
    let log = captured.text();
    let closes = token_span_closes(&log);
    assert_eq!(closes.len(), 2, "{log}");
    assert!(closes[1].contains("side=\"token_exchange\""), "{log}");
    assert!(closes[1].contains("status=400"), "{log}");
    assert!(!closes[1].contains("request_id="), "{log}");
}

#[tokio::test]
async fn an_identity_provider_that_quotes_the_secret_in_its_refusal_does_not_leak_it() {
    let server = oauth_server(
        ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": format!("secret {} is wrong", OAUTH_SECRETS[0])
        })),
        ResponseTemplate::new(500),
    )
    .await;
    let (captured, _guard) = capture();

    let error = oauth_read_error(&server).await;

    assert!(
        error.to_string().contains("(secret [REDACTED] is wrong)"),
        "{error}"
    );
    assert_no_oauth_secret_in(&error, &captured.text());
}

#[tokio::test]
async fn an_exchange_that_quotes_the_subject_token_in_its_refusal_does_not_leak_it() {
    let server = oauth_server(
        idp_answer(),
        ResponseTemplate::new(400).set_body_json(serde_json::json!({"errors": [{
            "status": "400",
            "code": "invalid_subject_token",
            "detail": format!("token {} was not issued by a known provider", OAUTH_SECRETS[1])
        }]})),
    )
    .await;
    let (captured, _guard) = capture();

    let error = oauth_read_error(&server).await;

    assert!(
        error
            .to_string()
            .contains("(token [REDACTED] was not issued by a known provider)"),
        "{error}"
    );
    assert_no_oauth_secret_in(&error, &captured.text());
}

#[tokio::test]
async fn an_unexpected_exchange_answer_that_quotes_the_subject_token_does_not_leak_it() {
    let server = oauth_server(
        idp_answer(),
        ResponseTemplate::new(502).set_body_string(format!(
            "<html>bad gateway for subject_token={}</html>",
            OAUTH_SECRETS[1]
        )),
    )
    .await;
    let (captured, _guard) = capture();

    let error = oauth_read_error(&server).await;

    assert!(
        error
            .to_string()
            .contains("<html>bad gateway for subject_token=[REDACTED]</html>"),
        "{error}"
    );
    assert_no_oauth_secret_in(&error, &captured.text());
}

#[tokio::test]
async fn an_identity_provider_answer_that_does_not_decode_does_not_show_its_token() {
    let server = oauth_server(
        // No `token_type`: not an OAuth 2.0 token answer.
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": OAUTH_SECRETS[1], "expires_in": 3600
        })),
        ResponseTemplate::new(500),
    )
    .await;
    let (captured, _guard) = capture();

    let error = oauth_read_error(&server).await;

    assert_eq!(
        error.to_string(),
        format!(
            "the identity provider at {}/idp/token answered 200 OK: an answer that is not a token \
             answer, not shown as it may hold one (missing field `token_type` at line 1 column \
             72). Check the URL",
            server.uri()
        )
    );
    assert_no_oauth_secret_in(&error, &captured.text());
}

#[tokio::test]
async fn an_exchange_answer_that_does_not_decode_does_not_show_its_token() {
    let server = oauth_server(
        idp_answer(),
        // No `issued_token_type`, which the spec requires.
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": OAUTH_SECRETS[2], "token_type": "Bearer", "expires_in": 900
        })),
    )
    .await;
    let (captured, _guard) = capture();

    let error = oauth_read_error(&server).await;

    assert!(
        error.to_string().contains(
            "answered 200 OK: an answer that is not a token answer, not shown as it may hold one"
        ),
        "{error}"
    );
    assert_no_oauth_secret_in(&error, &captured.text());
}
