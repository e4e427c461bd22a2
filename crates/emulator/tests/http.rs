//! The emulator on the wire: headers on every answer, the bare 429, its admin paths, and clear
//! 4xx answers to requests that make no sense.

use std::time::Duration;

use connect_emulator::{DEFAULT_API_KEY, DEFAULT_API_SECRET, Emulator, EmulatorBuilder, RateLimit};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const OFFSETS: &str =
    "/connect/v1/environments/env-emu001/clusters/lkc-emu001/connectors/orders-sink/offsets";

async fn start(builder: EmulatorBuilder) -> Emulator {
    builder.start().await.expect("the emulator starts")
}

async fn get(emulator: &Emulator, path: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}{path}", emulator.base_url()))
        .basic_auth(DEFAULT_API_KEY, Some(DEFAULT_API_SECRET))
        .send()
        .await
        .expect("the emulator answers")
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Sends raw bytes and returns everything the emulator writes back before closing.
async fn raw_exchange(emulator: &Emulator, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(emulator.local_addr())
        .await
        .expect("connect");
    // The emulator may answer and close before reading everything; that is not a failure here.
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the emulator closed the connection in time");
    String::from_utf8_lossy(&answer).into_owned()
}

fn status_line(answer: &str) -> &str {
    answer.lines().next().unwrap_or_default()
}

#[tokio::test]
async fn a_success_carries_the_rate_limit_headers_and_a_request_id() {
    let limit = RateLimit {
        requests_per_second: 1.0,
        burst: 5,
    };
    let emulator = start(Emulator::builder().rate_limit(Some(limit))).await;

    let response = get(&emulator, OFFSETS).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "x-ratelimit-limit"), Some("5"));
    assert_eq!(header(&response, "x-ratelimit-remaining"), Some("4"));
    assert_eq!(header(&response, "x-ratelimit-reset"), Some("1"));
    assert_eq!(header(&response, "x-request-id").map(str::len), Some(32));
    assert_eq!(header(&response, "retry-after"), None);
}

#[tokio::test]
async fn an_error_answer_carries_the_rate_limit_headers_too() {
    let emulator = start(Emulator::builder()).await;

    let response = get(&emulator, &OFFSETS.replace("orders-sink", "ghost")).await;

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(header(&response, "x-ratelimit-remaining").is_some());
    assert!(header(&response, "x-request-id").is_some());
}

#[tokio::test]
async fn request_ids_differ_between_requests() {
    let emulator = start(Emulator::builder()).await;

    let first = get(&emulator, OFFSETS).await;
    let second = get(&emulator, OFFSETS).await;

    assert_ne!(
        header(&first, "x-request-id"),
        header(&second, "x-request-id")
    );
}

#[tokio::test]
async fn a_429_has_retry_after_and_no_body() {
    let limit = RateLimit {
        requests_per_second: 0.5,
        burst: 1,
    };
    let emulator = start(Emulator::builder().rate_limit(Some(limit))).await;
    get(&emulator, OFFSETS).await;

    let response = get(&emulator, OFFSETS).await;

    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(header(&response, "retry-after"), Some("2"));
    assert_eq!(header(&response, "x-ratelimit-limit"), Some("1"));
    assert_eq!(header(&response, "x-ratelimit-remaining"), Some("0"));
    assert_eq!(header(&response, "x-ratelimit-reset"), Some("2"));
    assert_eq!(header(&response, "content-type"), None);
    assert_eq!(response.bytes().await.expect("the body").len(), 0);
}

#[tokio::test]
async fn unauthenticated_requests_share_one_bucket() {
    let limit = RateLimit {
        requests_per_second: 0.5,
        burst: 1,
    };
    let emulator = start(Emulator::builder().rate_limit(Some(limit))).await;
    let anonymous = || reqwest::Client::new().get(format!("{}{OFFSETS}", emulator.base_url()));

    let first = anonymous().send().await.expect("an answer");
    let second = anonymous()
        .basic_auth("guess", Some("wrong"))
        .send()
        .await
        .expect("an answer");

    assert_eq!(first.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(second.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn without_a_rate_limit_no_request_is_refused() {
    let emulator = start(Emulator::builder().rate_limit(None)).await;

    for _ in 0..30 {
        let response = get(&emulator, OFFSETS).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(header(&response, "x-ratelimit-limit"), None);
    }
}

#[tokio::test]
async fn an_unknown_path_is_a_404_that_names_the_served_paths() {
    let emulator = start(Emulator::builder()).await;

    let response = get(&emulator, "/connect/v2/anything").await;

    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(header(&response, "x-request-id").is_some());
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(body["error"]["code"], 404);
    assert_eq!(
        body["error"]["message"],
        "No such path: /connect/v2/anything. The emulator serves /connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors, the connectors below it (their offsets, status, config, pause, resume) and its controls under /emulator/v1/."
    );
}

#[tokio::test]
async fn a_wrong_method_is_a_405_with_a_json_body() {
    let emulator = start(Emulator::builder()).await;

    let response = reqwest::Client::new()
        .delete(format!("{}/emulator/v1/health", emulator.base_url()))
        .send()
        .await
        .expect("an answer");

    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(
        body,
        json!({"error": {"code": 405, "message": "DELETE is not allowed on /emulator/v1/health."}})
    );
}

#[tokio::test]
async fn huge_headers_get_431() {
    let emulator = start(Emulator::builder()).await;
    let request = format!(
        "GET {OFFSETS} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: {}\r\n\r\n",
        "a".repeat(100_000)
    );

    let answer = raw_exchange(&emulator, request.as_bytes()).await;

    assert_eq!(
        status_line(&answer),
        "HTTP/1.1 431 Request Header Fields Too Large"
    );
}

#[tokio::test]
async fn bytes_that_are_not_http_get_400() {
    let emulator = start(Emulator::builder()).await;

    let answer = raw_exchange(&emulator, b"\x16\x03\x01\x02\x00garbage\r\n\r\n").await;

    assert_eq!(status_line(&answer), "HTTP/1.1 400 Bad Request");
}

#[tokio::test]
async fn a_path_segment_that_is_not_utf8_gets_400() {
    let emulator = start(Emulator::builder()).await;

    let response = get(&emulator, &OFFSETS.replace("orders-sink", "%ff%fe")).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(body["error"]["code"], 400);
}

#[tokio::test]
async fn a_body_on_the_get_is_ignored() {
    let emulator = start(Emulator::builder()).await;

    let response = reqwest::Client::new()
        .get(format!("{}{OFFSETS}", emulator.base_url()))
        .basic_auth(DEFAULT_API_KEY, Some(DEFAULT_API_SECRET))
        .body(vec![0xff_u8; 10_000])
        .send()
        .await
        .expect("an answer");

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let emulator = start(Emulator::builder()).await;
    let mut stream = TcpStream::connect(emulator.local_addr())
        .await
        .expect("connect");
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .expect("write");

    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer)).await;

    assert!(read.is_ok(), "the emulator hung up on the slow client");
}

#[tokio::test]
async fn health_answers_ok() {
    let emulator = start(Emulator::builder()).await;

    let response = get(&emulator, "/emulator/v1/health").await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<Value>().await.expect("JSON"),
        json!({"status": "ok"})
    );
}

#[tokio::test]
async fn stats_count_api_answers_by_status_but_not_the_controls() {
    let limit = RateLimit {
        requests_per_second: 0.001,
        burst: 2,
    };
    let emulator = start(Emulator::builder().rate_limit(Some(limit))).await;
    for _ in 0..3 {
        get(&emulator, OFFSETS).await;
    }
    get(&emulator, "/emulator/v1/health").await;

    let response = get(&emulator, "/emulator/v1/stats").await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<Value>().await.expect("JSON"),
        json!({"answers": 3, "by_status": {"200": 2, "429": 1}})
    );
    assert_eq!(emulator.stats().count(429), 1);
}

/// PUTs `body` as the global faults; the status and JSON body of the answer.
async fn put_global_faults(emulator: &Emulator, body: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .put(format!("{}/emulator/v1/faults", emulator.base_url()))
        .body(body.to_owned())
        .send()
        .await
        .expect("an answer");
    let status = response.status();
    (status, response.json().await.expect("a JSON body"))
}

#[tokio::test]
async fn garbage_fault_settings_get_400_with_an_example() {
    let emulator = start(Emulator::builder()).await;

    let (status, body) = put_global_faults(&emulator, "{{{{").await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error"]["message"],
        "The request body is not valid: key must be a string at line 1 column 2. Send JSON such as {\"error_rate\": 0.5, \"error_statuses\": [503]}."
    );
}

#[tokio::test]
async fn an_out_of_range_fault_setting_is_refused_by_name() {
    let emulator = start(Emulator::builder()).await;

    let (status, body) = put_global_faults(&emulator, r#"{"error_rate": 2}"#).await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error"]["message"],
        "the emulator config is not valid at faults.error_rate: must be a probability between 0 and 1"
    );
}

#[tokio::test]
async fn connector_faults_can_be_read_back_and_deleted() {
    let emulator = start(Emulator::builder()).await;
    let url = format!(
        "{}/emulator/v1/faults/environments/env-emu001/clusters/lkc-emu001/connectors/orders-sink",
        emulator.base_url()
    );
    let http = reqwest::Client::new();

    http.put(&url)
        .body(r#"{"latency_ms": 5}"#)
        .send()
        .await
        .expect("set");
    let read = http.get(&url).send().await.expect("read");
    let read: Value = read.json().await.expect("JSON");
    let deleted = http.delete(&url).send().await.expect("delete");
    let after = http.get(&url).send().await.expect("read again");

    assert_eq!(read["latency_ms"], 5);
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    assert_eq!(after.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_admin_clock_moves_a_manual_clock() {
    let start_time = chrono::DateTime::parse_from_rfc3339("2024-02-20T15:14:19Z")
        .expect("time")
        .to_utc();
    let emulator = start(Emulator::builder().manual_clock(start_time)).await;

    let response = reqwest::Client::new()
        .post(format!("{}/emulator/v1/clock/advance", emulator.base_url()))
        .body(r#"{"millis": 61000}"#)
        .send()
        .await
        .expect("an answer");

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<Value>().await.expect("JSON"),
        json!({"now": "2024-02-20T15:15:20.000Z"})
    );
    assert_eq!(emulator.now().to_rfc3339(), "2024-02-20T15:15:20+00:00");
}

#[tokio::test]
async fn the_system_clock_cannot_be_moved_through_the_admin_path() {
    let emulator = start(Emulator::builder()).await;

    let response = reqwest::Client::new()
        .post(format!("{}/emulator/v1/clock/advance", emulator.base_url()))
        .body(r#"{"millis": 1}"#)
        .send()
        .await
        .expect("an answer");

    assert_eq!(response.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn admin_paths_are_not_rate_limited() {
    let limit = RateLimit {
        requests_per_second: 0.1,
        burst: 1,
    };
    let emulator = start(Emulator::builder().rate_limit(Some(limit))).await;

    for _ in 0..5 {
        let response = get(&emulator, "/emulator/v1/health").await;
        assert_eq!(response.status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn a_busy_port_is_refused_with_a_hint() {
    let first = start(Emulator::builder()).await;

    let error = Emulator::builder()
        .port(first.local_addr().port())
        .start()
        .await
        .expect_err("the port is taken");

    let message = error.to_string();
    assert!(
        message.starts_with(&format!("cannot listen on {}: ", first.local_addr()))
            && message.ends_with("; choose another port, or 0 for any free one"),
        "{message}"
    );
}

async fn post_alter(emulator: &Emulator, body: &str) -> (StatusCode, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}{OFFSETS}/request", emulator.base_url()))
        .basic_auth(DEFAULT_API_KEY, Some(DEFAULT_API_SECRET))
        .body(body.to_owned())
        .send()
        .await
        .expect("an answer");
    let status = response.status();
    (status, response.json().await.expect("a JSON body"))
}

#[tokio::test]
async fn an_alter_body_that_is_not_json_gets_400_with_an_example() {
    let emulator = start(Emulator::builder()).await;

    let (status, body) = post_alter(&emulator, "type=PATCH").await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error"]["message"],
        "The request body is not a valid offsets change: expected ident at line 1 column 2. Send {\"type\": \"PATCH\", \"offsets\": [{\"partition\": {...}, \"offset\": {...}}]} or {\"type\": \"DELETE\"}."
    );
}

#[tokio::test]
async fn an_alter_of_an_unknown_type_gets_400() {
    let emulator = start(Emulator::builder()).await;

    let (status, body) = post_alter(&emulator, r#"{"type": "TRUNCATE"}"#).await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with(
                "The request body is not a valid offsets change: unknown variant `TRUNCATE`"
            )),
        "{body}"
    );
}

#[tokio::test]
async fn a_patch_without_offsets_gets_400() {
    let emulator = start(Emulator::builder()).await;

    let (status, body) = post_alter(&emulator, r#"{"type": "PATCH"}"#).await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error"]["message"],
        "A PATCH needs at least one entry in `offsets`; to reset every partition, send type DELETE."
    );
}

#[tokio::test]
async fn a_delete_with_offsets_gets_400() {
    let emulator = start(Emulator::builder()).await;

    let (status, body) = post_alter(
        &emulator,
        r#"{"type": "DELETE", "offsets": [{"partition": {"kafka_topic": "orders", "kafka_partition": 0}, "offset": {"kafka_offset": 1}}]}"#,
    )
    .await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error"]["message"],
        "A DELETE resets every partition and takes no `offsets`; leave them out, or send type PATCH."
    );
}

#[tokio::test]
async fn a_refused_alter_changes_nothing() {
    let emulator = start(Emulator::builder()).await;
    post_alter(&emulator, r#"{"type": "PATCH"}"#).await;

    let status = get(&emulator, &format!("{OFFSETS}/request/status")).await;

    assert_eq!(status.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_get_on_the_alter_path_is_405() {
    let emulator = start(Emulator::builder()).await;

    let response = get(&emulator, &format!("{OFFSETS}/request")).await;

    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
}

const STATUS: &str =
    "/connect/v1/environments/env-emu001/clusters/lkc-emu001/connectors/orders-sink/status";

fn task_failure_url(emulator: &Emulator, name: &str) -> String {
    format!(
        "{}/emulator/v1/task-failures/environments/env-emu001/clusters/lkc-emu001/connectors/{name}",
        emulator.base_url()
    )
}

#[tokio::test]
async fn a_task_failure_set_over_http_shows_in_the_status_until_deleted() {
    let emulator = start(Emulator::builder()).await;
    let http = reqwest::Client::new();
    let url = task_failure_url(&emulator, "orders-sink");

    let set = http
        .put(&url)
        .body(r#"{"trace": "java.lang.IllegalStateException: boom"}"#)
        .send()
        .await
        .expect("set");
    let failed: Value = get(&emulator, STATUS).await.json().await.expect("JSON");
    let cleared = http.delete(&url).send().await.expect("delete");
    let recovered: Value = get(&emulator, STATUS).await.json().await.expect("JSON");

    assert_eq!(set.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        failed["tasks"][0],
        json!({"id": 0, "state": "FAILED", "worker_id": "emulator-worker-1",
               "msg": "java.lang.IllegalStateException: boom"})
    );
    assert_eq!(failed["connector"]["state"], "DEGRADED");
    assert_eq!(cleared.status(), StatusCode::NO_CONTENT);
    assert_eq!(recovered["tasks"][0]["state"], "RUNNING");
    assert_eq!(recovered["connector"]["state"], "RUNNING");
}

#[tokio::test]
async fn a_task_failure_without_a_trace_is_a_400_saying_what_to_send() {
    let emulator = start(Emulator::builder()).await;
    let response = reqwest::Client::new()
        .put(task_failure_url(&emulator, "orders-sink"))
        .body("{}")
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(
        body["error"]["message"],
        "Send {\"trace\": \"...\"}: the failed task's message, as its status will show it."
    );
}

#[tokio::test]
async fn a_task_failure_of_an_unknown_connector_is_a_404() {
    let emulator = start(Emulator::builder()).await;
    let response = reqwest::Client::new()
        .put(task_failure_url(&emulator, "no-such"))
        .body(r#"{"trace": "x"}"#)
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn pause_and_resume_answer_202_without_a_body() {
    let emulator = start(Emulator::builder()).await;
    let response = reqwest::Client::new()
        .put(format!(
            "{}/connect/v1/environments/env-emu001/clusters/lkc-emu001/connectors/orders-sink/pause",
            emulator.base_url()
        ))
        .basic_auth(DEFAULT_API_KEY, Some(DEFAULT_API_SECRET))
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert_eq!(header(&response, "content-type"), None);
    assert_eq!(response.bytes().await.expect("body").len(), 0);
}

#[tokio::test]
async fn the_listing_expands_only_what_was_asked() {
    let emulator = start(Emulator::builder()).await;
    let body: Value = get(
        &emulator,
        "/connect/v1/environments/env-emu001/clusters/lkc-emu001/connectors?expand=id",
    )
    .await
    .json()
    .await
    .expect("JSON");
    assert_eq!(
        body["orders-sink"],
        json!({"id": {"id": "lcc-orderssink", "id_type": "ID"}})
    );
}

#[tokio::test]
async fn a_served_configuration_masks_its_secrets() {
    let emulator = start(Emulator::builder()).await;
    let body: Value = get(
        &emulator,
        "/connect/v1/environments/env-emu001/clusters/lkc-emu001/connectors/orders-sink/config",
    )
    .await
    .json()
    .await
    .expect("JSON");
    assert_eq!(body["kafka.api.secret"], "****************");
    assert_eq!(body["kafka.api.key"], "EMUKAFKAKEY00001");
}

#[tokio::test]
async fn the_self_managed_worker_serves_kip_875_offsets_exactly_and_stops_on_request() {
    let emulator = start(Emulator::builder().self_managed_worker(0)).await;
    let worker = emulator.self_managed_url().expect("a worker").to_owned();
    let http = reqwest::Client::new();

    let offsets = http
        .get(format!("{worker}/connectors/legacy-orders-sink/offsets"))
        .send()
        .await
        .expect("offsets")
        .text()
        .await
        .expect("text");
    let stopped = http
        .put(format!("{worker}/connectors/legacy-orders-sink/stop"))
        .send()
        .await
        .expect("stop");
    let status: Value = http
        .get(format!("{worker}/connectors/legacy-orders-sink/status"))
        .send()
        .await
        .expect("status")
        .json()
        .await
        .expect("JSON");

    assert!(
        offsets.contains(r#""offset":{"kafka_offset":9007199254740993}"#),
        "{offsets}"
    );
    assert_eq!(stopped.status(), StatusCode::NO_CONTENT);
    assert_eq!(status["connector"]["state"], "STOPPED");
}

#[tokio::test]
async fn the_self_managed_worker_answers_an_unknown_connector_as_kafka_connect_does() {
    let emulator = start(Emulator::builder().self_managed_worker(0)).await;
    let worker = emulator.self_managed_url().expect("a worker").to_owned();
    let response = reqwest::get(format!("{worker}/connectors/nope/config"))
        .await
        .expect("answer");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(
        body,
        json!({"error_code": 404, "message": "Connector nope not found"})
    );
}

#[tokio::test]
async fn without_the_builder_asking_there_is_no_self_managed_worker() {
    let emulator = start(Emulator::builder()).await;
    assert_eq!(emulator.self_managed_url(), None);
}
