//! The facade against hostile and broken answers: the emulator's fault injection for every
//! error status crossed with every body, and raw sockets for what no HTTP server does on purpose.
//!
//! Every case ends in bounded time (each test runs under [`BOUND`]) and without a panic.
//!
//! | status | documented JSON body | empty body | HTML body | truncated JSON |
//! | --- | --- | --- | --- | --- |
//! | 400, 401, 403, 404 | `Api` (code, message); not retried | `UnexpectedResponse` (status, empty excerpt); not retried | `UnexpectedResponse` (status, the page); not retried | `UnexpectedResponse` (status, the half body); not retried |
//! | 429 | `RateLimited`; retried | `RateLimited`; retried | `RateLimited`; retried | `RateLimited`; retried |
//! | 500 | `Api`; retried | `UnexpectedResponse`; retried | `UnexpectedResponse`; retried | `UnexpectedResponse`; retried |
//! | 502, 503, 504 (undocumented) | `Api` (the documented shape is recognised); retried | `UnexpectedResponse`; retried | `UnexpectedResponse`; retried | `UnexpectedResponse`; retried |
//!
//! "Retried" means: with the client's retry policy the read is sent again (after the same
//! failure every time, `RetriesExhausted` with every try and the same last error; after one
//! failure, the next answer's offsets). The typed error of each cell is checked with
//! `RetryPolicy::none()`, so that it is the one answer's.
//!
//! | beyond the matrix | source | result |
//! | --- | --- | --- |
//! | connection reset (RST) mid-body | raw socket | `BodyCutOff` with status 200; a read is retried |
//! | body cut short, connection closed | emulator `truncate_rate` | `BodyCutOff` with status 200 |
//! | connection refused | a released port | `Transport` without status, `is_connect` |
//! | headers never come | raw socket | `Timeout` without status, at the client's timeout |
//! | body trickles | raw socket | `Timeout` with status 200, at the client's timeout |
//! | body over the cap (200, 500, endless) | raw socket | `BodyTooLarge` with status and limit; not retried |
//! | body exactly at the cap | raw socket | decoded |
//! | undocumented status with a body over the cap | raw socket | `UnexpectedResponse` with an excerpt: only its start is read |

use std::{future::Future, time::Duration};

use confluent_connect::{
    Client, ClientBuilder, DEFAULT_RESPONSE_BODY_LIMIT, Error, RetryPolicy, StatusCode,
};
use confluent_connect_tests::raw::{http_message, raw_server, sink_body};
use confluent_connect_tests::{quick_retries, refused_url};
use connect_emulator::{DEFAULT_API_KEY, DEFAULT_API_SECRET, Emulator, ErrorBody, Faults};
use serde_json::json;
use tokio::io::AsyncWriteExt;

/// The longest any case may take.
const BOUND: Duration = Duration::from_secs(20);
const ENV: &str = "env-emu001";
const CLUSTER: &str = "lkc-emu001";
const CONNECTOR: &str = "orders-sink";
/// The client timeout of the cases that wait for a server that does not answer.
const SHORT_TIMEOUT: Duration = Duration::from_millis(400);

/// Runs `case`, failing the test if it does not finish within [`BOUND`].
async fn bounded<T>(case: impl Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, case)
        .await
        .expect("the case finished within its bound")
}

async fn emulator_with(faults: Faults) -> Emulator {
    Emulator::builder()
        .rate_limit(None)
        .faults(faults)
        .start()
        .await
        .expect("the emulator starts")
}

fn builder(base_url: &str) -> ClientBuilder {
    Client::builder()
        .api_key(DEFAULT_API_KEY, DEFAULT_API_SECRET)
        .base_url(base_url)
}

async fn read(client: &Client) -> Result<confluent_connect::ConnectorOffsets, Error> {
    client.connector(ENV, CLUSTER, CONNECTOR).offsets().await
}

/// The error an emulator injecting `status` with `body` causes, after `policy`.
async fn injected(status: u16, body: ErrorBody, policy: RetryPolicy) -> Error {
    let emulator = emulator_with(Faults {
        error_body: body,
        ..Faults::always(status)
    })
    .await;
    let client = builder(emulator.base_url())
        .retry_policy(policy)
        .build()
        .expect("a client");
    let error = bounded(read(&client))
        .await
        .expect_err("an injected error is an error");
    emulator.shutdown().await;
    error
}

fn reason(status: u16) -> &'static str {
    StatusCode::from_u16(status)
        .expect("a status")
        .canonical_reason()
        .expect("a known status")
}

/// The emulator's documented error body for `status`.
fn json_body(status: u16) -> String {
    json!({"error": {"code": status, "message": format!("{} (injected by the emulator).", reason(status))}})
        .to_string()
}

/// What a test expects of one answer, in words that compare exactly.
fn described(error: &Error) -> String {
    match error {
        Error::Api(api) => format!(
            "Api {} code={:?} message={:?}",
            api.status.as_u16(),
            api.code,
            api.message
        ),
        Error::RateLimited(_) => "RateLimited".to_string(),
        Error::UnexpectedResponse {
            status,
            body_excerpt,
            ..
        } => format!(
            "UnexpectedResponse {} body={body_excerpt:?}",
            status.as_u16()
        ),
        Error::Decode { status, .. } => format!("Decode {}", status.as_u16()),
        Error::Timeout { status, .. } => format!("Timeout {status:?}"),
        Error::Transport { status, .. } => format!("Transport {status:?}"),
        Error::BodyCutOff { status, .. } => format!("BodyCutOff {}", status.as_u16()),
        Error::BodyTooLarge { status, limit, .. } => {
            format!("BodyTooLarge {} limit={limit}", status.as_u16())
        }
        Error::RetriesExhausted { attempts, last, .. } => {
            format!("RetriesExhausted {attempts} last=({})", described(last))
        }
        other => format!("other: {other}"),
    }
}

/// What one answer of `status` with `body` must become.
fn expected(status: u16, body: ErrorBody) -> String {
    if status == 429 {
        return "RateLimited".to_string();
    }
    match body {
        ErrorBody::Json => format!(
            "Api {status} code=Some({status}) message={:?}",
            Some(format!("{} (injected by the emulator).", reason(status)))
        ),
        ErrorBody::Empty => format!("UnexpectedResponse {status} body=\"\""),
        ErrorBody::Html => format!(
            "UnexpectedResponse {status} body={:?}",
            format!(
                "<!DOCTYPE html>\n<html><head><title>{status} {0}</title></head><body><h1>{status} {0}</h1></body></html>",
                reason(status)
            )
        ),
        ErrorBody::TruncatedJson => {
            // An excerpt is trimmed, like the half body's cut after a space.
            let whole = json_body(status);
            format!(
                "UnexpectedResponse {status} body={:?}",
                whole[..whole.len() / 2].trim_end()
            )
        }
    }
}

const BODIES: [ErrorBody; 4] = [
    ErrorBody::Json,
    ErrorBody::Empty,
    ErrorBody::Html,
    ErrorBody::TruncatedJson,
];

/// One test per cell of the matrix: the typed error of one answer.
macro_rules! cell {
    ($($name:ident: $status:literal, $body:ident;)*) => {$(
        #[tokio::test]
        async fn $name() {
            let error = injected($status, ErrorBody::$body, RetryPolicy::none()).await;
            assert_eq!(described(&error), expected($status, ErrorBody::$body));
            assert_eq!(error.status(), Some(StatusCode::from_u16($status).expect("a status")));
        }
    )*};
}

cell! {
    status_400_json: 400, Json; status_400_empty: 400, Empty; status_400_html: 400, Html; status_400_truncated_json: 400, TruncatedJson;
    status_401_json: 401, Json; status_401_empty: 401, Empty; status_401_html: 401, Html; status_401_truncated_json: 401, TruncatedJson;
    status_403_json: 403, Json; status_403_empty: 403, Empty; status_403_html: 403, Html; status_403_truncated_json: 403, TruncatedJson;
    status_404_json: 404, Json; status_404_empty: 404, Empty; status_404_html: 404, Html; status_404_truncated_json: 404, TruncatedJson;
    status_429_json: 429, Json; status_429_empty: 429, Empty; status_429_html: 429, Html; status_429_truncated_json: 429, TruncatedJson;
    status_500_json: 500, Json; status_500_empty: 500, Empty; status_500_html: 500, Html; status_500_truncated_json: 500, TruncatedJson;
    status_502_json: 502, Json; status_502_empty: 502, Empty; status_502_html: 502, Html; status_502_truncated_json: 502, TruncatedJson;
    status_503_json: 503, Json; status_503_empty: 503, Empty; status_503_html: 503, Html; status_503_truncated_json: 503, TruncatedJson;
    status_504_json: 504, Json; status_504_empty: 504, Empty; status_504_html: 504, Html; status_504_truncated_json: 504, TruncatedJson;
}

#[tokio::test]
async fn client_errors_are_not_retried_whatever_the_body() {
    for status in [400, 401, 403, 404] {
        for body in BODIES {
            let error = injected(status, body, quick_retries()).await;
            assert_eq!(
                described(&error),
                expected(status, body),
                "{status} {body:?}"
            );
        }
    }
}

#[tokio::test]
async fn passing_failures_are_retried_until_the_policy_gives_up_whatever_the_body() {
    for status in [429, 500, 502, 503, 504] {
        for body in BODIES {
            let error = injected(status, body, quick_retries().with_max_attempts(3)).await;
            assert_eq!(
                described(&error),
                format!("RetriesExhausted 3 last=({})", expected(status, body)),
                "{status} {body:?}"
            );
        }
    }
}

/// The raw bytes of an answer of `status` with `body`, as the emulator would send them.
fn raw_answer(status: u16, body: ErrorBody) -> Vec<u8> {
    let (content_type, text) = match body {
        ErrorBody::Json => ("application/json", json_body(status)),
        ErrorBody::Empty => ("application/json", String::new()),
        ErrorBody::Html => ("text/html", format!("<html><body>{status}</body></html>")),
        ErrorBody::TruncatedJson => {
            let whole = json_body(status);
            ("application/json", whole[..whole.len() / 2].to_string())
        }
    };
    http_message(status, content_type, &[], text.as_bytes())
}

#[tokio::test]
async fn every_passing_failure_then_an_answer_is_a_success() {
    for status in [429, 500, 502, 503, 504] {
        for body in BODIES {
            let url = raw_server(move |number, mut stream| async move {
                let message = if number == 0 {
                    raw_answer(status, body)
                } else {
                    http_message(200, "application/json", &[], &sink_body())
                };
                let _ = stream.write_all(&message).await;
            })
            .await;
            let client = builder(&url)
                .retry_policy(quick_retries())
                .build()
                .expect("a client");

            let offsets = bounded(read(&client))
                .await
                .unwrap_or_else(|e| panic!("{status} {body:?} then 200: {e}"));

            assert_eq!(offsets.offsets.len(), 1, "{status} {body:?}");
            assert_eq!(offsets.offsets[0].offset()["kafka_offset"], 7);
        }
    }
}

/// A server whose first answer is a 200 promising 500 bytes that resets the connection (TCP
/// RST) after 20 of them, and whose later answers are the sink body.
async fn resetting_server() -> String {
    raw_server(|number, mut stream| async move {
        if number == 0 {
            let mut message = http_message(200, "application/json", &[], &[b' '; 500]);
            message.truncate(message.len() - 480);
            let _ = stream.write_all(&message).await;
            let _ = stream.flush().await;
            tokio::time::sleep(Duration::from_millis(50)).await;
            // A zero linger makes the close a reset rather than an orderly end.
            let _ = stream.set_zero_linger();
            drop(stream);
        } else {
            let _ = stream
                .write_all(&http_message(200, "application/json", &[], &sink_body()))
                .await;
        }
    })
    .await
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_a_body_cut_off_error_with_the_status() {
    let url = resetting_server().await;
    let client = builder(&url)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client");

    let error = bounded(read(&client)).await.expect_err("a reset fails");

    assert_eq!(described(&error), "BodyCutOff 200");
}

#[tokio::test]
async fn a_read_reset_mid_body_is_retried() {
    let url = resetting_server().await;
    let client = builder(&url)
        .retry_policy(quick_retries())
        .build()
        .expect("a client");

    let offsets = bounded(read(&client)).await.expect("the retry succeeds");

    assert_eq!(offsets.offsets[0].offset()["kafka_offset"], 7);
}

#[tokio::test]
async fn a_body_cut_short_by_the_emulator_is_a_body_cut_off_error_with_the_status() {
    let emulator = emulator_with(Faults {
        truncate_rate: 1.0,
        ..Faults::default()
    })
    .await;
    let client = builder(emulator.base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client");

    let error = bounded(read(&client)).await.expect_err("a cut body fails");

    assert_eq!(described(&error), "BodyCutOff 200");
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error_without_a_status() {
    let client = builder(&refused_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client");

    let error = bounded(read(&client)).await.expect_err("refused fails");

    assert_eq!(described(&error), "Transport None");
    let Error::Transport { source, .. } = &error else {
        unreachable!("described as Transport")
    };
    assert!(
        source
            .downcast_ref::<reqwest::Error>()
            .is_some_and(reqwest::Error::is_connect),
        "{source:?}"
    );
}

#[tokio::test]
async fn headers_that_never_come_time_out_without_a_status() {
    let url = raw_server(|_, stream| async move {
        // Hold the connection open and say nothing.
        tokio::time::sleep(Duration::from_secs(60)).await;
        drop(stream);
    })
    .await;
    let client = builder(&url)
        .timeout(SHORT_TIMEOUT)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client");

    let error = bounded(read(&client)).await.expect_err("silence times out");

    assert_eq!(described(&error), "Timeout None");
}

#[tokio::test]
async fn a_trickling_body_times_out_with_the_status() {
    let url = raw_server(|_, mut stream| async move {
        let head =
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n";
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        for _ in 0..1000 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if stream.write_all(b" ").await.is_err() {
                return;
            }
        }
    })
    .await;
    let client = builder(&url)
        .timeout(SHORT_TIMEOUT)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client");

    let error = bounded(read(&client))
        .await
        .expect_err("a trickle times out");

    assert_eq!(described(&error), "Timeout Some(200)");
}

/// A server answering `status` with a JSON-looking body of `length` bytes.
async fn server_with_body_of(status: u16, length: usize) -> String {
    raw_server(move |_, mut stream| async move {
        let mut body = sink_body();
        body.resize(length.max(body.len()), b' ');
        let _ = stream
            .write_all(&http_message(status, "application/json", &[], &body))
            .await;
    })
    .await
}

fn capped_client(url: &str, limit: usize, policy: RetryPolicy) -> Client {
    builder(url)
        .response_body_limit(limit)
        .retry_policy(policy)
        .build()
        .expect("a client")
}

#[tokio::test]
async fn a_body_over_the_cap_is_too_large_and_not_retried() {
    let url = server_with_body_of(200, 4097).await;
    let client = capped_client(&url, 4096, quick_retries());

    let error = bounded(read(&client))
        .await
        .expect_err("over the cap fails");

    assert_eq!(described(&error), "BodyTooLarge 200 limit=4096");
    assert_eq!(error.status(), Some(StatusCode::OK));
}

#[tokio::test]
async fn a_body_exactly_at_the_cap_is_read() {
    let url = server_with_body_of(200, 4096).await;
    let client = capped_client(&url, 4096, RetryPolicy::none());

    let offsets = bounded(read(&client)).await.expect("at the cap is fine");

    assert_eq!(offsets.offsets[0].offset()["kafka_offset"], 7);
}

#[tokio::test]
async fn a_documented_error_body_over_the_cap_is_too_large_with_its_status() {
    let url = server_with_body_of(500, 10_000).await;
    let client = capped_client(&url, 4096, RetryPolicy::none());

    let error = bounded(read(&client))
        .await
        .expect_err("over the cap fails");

    assert_eq!(described(&error), "BodyTooLarge 500 limit=4096");
}

#[tokio::test]
async fn an_undocumented_status_with_a_body_over_the_cap_reads_only_an_excerpt() {
    const LENGTH: usize = 100_000_000;
    let url = raw_server(|_, mut stream| async move {
        let head = format!(
            "HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\ncontent-length: {LENGTH}\r\n\r\n"
        );
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..LENGTH / chunk.len() {
            if stream.write_all(&chunk).await.is_err() {
                return;
            }
        }
    })
    .await;
    let client = builder(&url)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client");
    const { assert!(LENGTH > DEFAULT_RESPONSE_BODY_LIMIT) };

    let error = bounded(read(&client)).await.expect_err("a 502 fails");

    assert_eq!(
        described(&error),
        format!(
            "UnexpectedResponse 502 body={:?}",
            format!("{}…", "x".repeat(300))
        )
    );
}

#[tokio::test]
async fn an_endless_body_stops_at_the_default_cap() {
    let url = raw_server(|_, mut stream| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                    transfer-encoding: chunked\r\n\r\n";
        if stream.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let chunk = vec![b' '; 1 << 20];
        let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
        framed.extend_from_slice(&chunk);
        framed.extend_from_slice(b"\r\n");
        // Until the client hangs up.
        while stream.write_all(&framed).await.is_ok() {}
    })
    .await;
    let client = builder(&url)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client");

    let error = bounded(read(&client)).await.expect_err("endless fails");

    assert_eq!(
        described(&error),
        format!("BodyTooLarge 200 limit={DEFAULT_RESPONSE_BODY_LIMIT}")
    );
}
