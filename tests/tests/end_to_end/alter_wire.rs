//! The offsets-change calls on the wire, against wiremock: the exact bodies sent, phases this
//! crate does not know, and when an alter request is sent again (only when the service surely
//! did not act on it).

use std::time::Duration;

use confluent_connect::{
    AlterPhase, AlterRequest, Client, Error, PartitionOffset, RetryPolicy, RetryStop, StatusCode,
    WaitOptions,
};
use confluent_connect_tests::{
    CLUSTER, CONNECTOR, ENV, alter_accepted, alter_request_path, alter_status_path,
    alter_status_with_phase, builder_for, client_for, quick_retries, refused_url,
    server_answering_once,
};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A client for `server` that retries as by default, with short waits.
fn retrying_client(server: &MockServer) -> Client {
    builder_for(server)
        .retry_policy(quick_retries())
        .build()
        .expect("a client")
}

fn sink_entry(partition: i64, offset: i64) -> PartitionOffset {
    let Value::Object(partition) = json!({"kafka_topic": "orders", "kafka_partition": partition})
    else {
        unreachable!("a literal object");
    };
    let Value::Object(offset) = json!({"kafka_offset": offset}) else {
        unreachable!("a literal object");
    };
    PartitionOffset::new(partition, offset).expect("objects of plain values make an entry")
}

#[tokio::test]
async fn a_patch_sends_its_type_and_entries_as_documented() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(alter_request_path()))
        .and(body_json(json!({
            "type": "PATCH",
            "offsets": [{"partition": {"kafka_topic": "orders", "kafka_partition": 3}, "offset": {"kafka_offset": 12}}],
        })))
        .respond_with(alter_accepted("PATCH"))
        .expect(1)
        .mount(&server)
        .await;

    client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .alter_offsets(&[sink_entry(3, 12)])
        .await
        .expect("accepted");
}

#[tokio::test]
async fn a_reset_sends_delete_without_offsets() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(alter_request_path()))
        .and(body_json(json!({"type": "DELETE"})))
        .respond_with(alter_accepted("DELETE"))
        .expect(1)
        .mount(&server)
        .await;

    client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .reset_offsets()
        .await
        .expect("accepted");
}

#[tokio::test]
async fn an_unknown_kind_in_the_answer_is_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(alter_request_path()))
        .respond_with(alter_accepted("TRUNCATE"))
        .mount(&server)
        .await;

    let request = client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .reset_offsets()
        .await
        .expect("accepted");

    assert_eq!(
        request.kind,
        confluent_connect::AlterKind::Other("TRUNCATE".to_owned())
    );
}

#[tokio::test]
async fn an_unknown_phase_decodes_as_it_is() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(alter_status_path()))
        .respond_with(alter_status_with_phase("RESUMING_CONNECTOR"))
        .mount(&server)
        .await;

    let status = client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .alter_status()
        .await
        .expect("a status");

    assert_eq!(
        status.phase,
        AlterPhase::Other("RESUMING_CONNECTOR".to_owned())
    );
}

#[tokio::test]
async fn wait_for_alter_treats_an_unknown_phase_as_pending_and_reports_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(alter_status_path()))
        .respond_with(alter_status_with_phase("RESUMING_CONNECTOR"))
        .mount(&server)
        .await;

    let error = client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .wait_for_alter(
            WaitOptions::default()
                .with_timeout(Duration::from_millis(200))
                .with_initial_interval(Duration::from_millis(20))
                .with_max_interval(Duration::from_millis(50)),
        )
        .await
        .expect_err("it never ends");

    match error {
        Error::AlterTimedOut { phase, .. } => {
            assert_eq!(phase, AlterPhase::Other("RESUMING_CONNECTOR".to_owned()));
        }
        other => panic!("expected AlterTimedOut, got {other:?}"),
    }
}

#[tokio::test]
async fn wait_for_alter_reads_until_applied() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(alter_status_path()))
        .respond_with(alter_status_with_phase("PENDING_VALIDATION"))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(alter_status_path()))
        .respond_with(alter_status_with_phase("APPLIED"))
        .expect(1)
        .mount(&server)
        .await;

    let status = client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .wait_for_alter(
            WaitOptions::default()
                .with_timeout(Duration::from_secs(10))
                .with_initial_interval(Duration::from_millis(10))
                .with_max_interval(Duration::from_millis(20)),
        )
        .await
        .expect("applied on the third read");

    assert_eq!(status.phase, AlterPhase::Applied);
}

#[tokio::test]
async fn an_alter_answered_429_is_sent_again_after_retry_after() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(alter_request_path()))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(alter_request_path()))
        .respond_with(alter_accepted("PATCH"))
        .expect(1)
        .mount(&server)
        .await;

    let request = retrying_client(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .alter_offsets(&[sink_entry(0, 1)])
        .await
        .expect("accepted the second time");

    assert_eq!(request.connector_id, "lcc-1");
}

#[tokio::test]
async fn an_alter_answered_429_every_time_gives_up_after_the_policys_tries() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(alter_request_path()))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .expect(4)
        .mount(&server)
        .await;

    let error = retrying_client(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .alter_offsets(&[sink_entry(0, 1)])
        .await
        .expect_err("rate limited every time");

    match error {
        Error::RetriesExhausted {
            attempts,
            stopped,
            causes,
            last,
        } => {
            assert_eq!(attempts, 4);
            assert_eq!(stopped, RetryStop::MaxAttempts { max_attempts: 4 });
            assert_eq!(causes.len(), 4);
            assert!(matches!(*last, Error::RateLimited(_)), "{last:?}");
        }
        other => panic!("expected RetriesExhausted, got {other:?}"),
    }
}

#[tokio::test]
async fn an_alter_with_a_long_retry_after_is_not_waited_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(alter_request_path()))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .expect(1)
        .mount(&server)
        .await;

    let error = retrying_client(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .alter_offsets(&[sink_entry(0, 1)])
        .await
        .expect_err("an hour is too long to wait");

    match error {
        Error::RateLimited(limited) => assert_eq!(limited.retry_after, Some(3600)),
        other => panic!("expected RateLimited, got {other:?}"),
    }
}

#[tokio::test]
async fn an_alter_that_timed_out_is_never_sent_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(alter_request_path()))
        .respond_with(alter_accepted("PATCH").set_delay(Duration::from_secs(2)))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder_for(&server)
        .retry_policy(quick_retries())
        .timeout(Duration::from_millis(200))
        .build()
        .expect("a client");

    let error = client
        .connector(ENV, CLUSTER, CONNECTOR)
        .alter_offsets(&[sink_entry(0, 1)])
        .await
        .expect_err("timed out");

    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
}

#[tokio::test]
async fn an_alter_answered_500_is_not_sent_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(alter_request_path()))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(json!({"error": {"code": 500, "message": "Oops"}})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let error = retrying_client(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .alter_offsets(&[sink_entry(0, 1)])
        .await
        .expect_err("the service failed");

    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
}

#[tokio::test]
async fn an_alter_to_a_refused_port_is_tried_as_often_as_the_policy_allows() {
    let client = Client::builder()
        .api_key("KEY", "SECRET".to_owned())
        .base_url(refused_url())
        .retry_policy(quick_retries())
        .build()
        .expect("a client");

    let error = client
        .connector(ENV, CLUSTER, CONNECTOR)
        .alter_offsets(&[sink_entry(0, 1)])
        .await
        .expect_err("nothing listens");

    match error {
        Error::RetriesExhausted { attempts, last, .. } => {
            assert_eq!(attempts, 4);
            assert!(
                matches!(*last, Error::Transport { status: None, .. }),
                "{last:?}"
            );
        }
        other => panic!("expected RetriesExhausted, got {other:?}"),
    }
}

#[tokio::test]
async fn an_alter_refused_at_connect_is_sent_again_when_the_server_comes_up() {
    let url = refused_url();
    let port: u16 = url
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a port in the URL");
    // Up to 20 tries, waiting up to 100 ms, 200 ms, 400 ms... between them: the server comes
    // up on the refused port 150 ms after the first try, and a later try reaches it.
    let client = Client::builder()
        .api_key("KEY", "SECRET".to_owned())
        .base_url(&url)
        .retry_policy(
            RetryPolicy::default()
                .with_max_attempts(20)
                .with_initial_backoff(Duration::from_millis(100))
                .with_max_backoff(Duration::from_millis(400)),
        )
        .build()
        .expect("a client");
    let server = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let listener =
            std::net::TcpListener::bind(("127.0.0.1", port)).expect("the port is free again");
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(method("POST"))
            .and(path(alter_request_path()))
            .respond_with(alter_accepted("PATCH"))
            .expect(1)
            .mount(&server)
            .await;
        server
    });

    let outcome = client
        .connector(ENV, CLUSTER, CONNECTOR)
        .alter_offsets(&[sink_entry(0, 1)])
        .await;
    let server = server.await.expect("the server task");

    assert!(outcome.is_ok(), "{outcome:?}");
    drop(server);
}

/// A status answer `APPLIED` for a `PATCH` with no entries requested at `requested_at`.
fn applied_status_requested_at(requested_at: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "request": {
            "id": "lcc-1",
            "name": CONNECTOR,
            "offsets": [],
            "requested_at": requested_at,
            "type": "PATCH",
        },
        "status": {"phase": "APPLIED"},
    }))
}

/// A `DELETE` accepted at 2024-02-20T15:14:19+0000 (what `alter_accepted` answers).
async fn reset_sent(server: &MockServer) -> AlterRequest {
    Mock::given(method("POST"))
        .and(path(alter_request_path()))
        .respond_with(alter_accepted("DELETE"))
        .expect(1)
        .mount(server)
        .await;
    client_for(server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .reset_offsets()
        .await
        .expect("accepted")
}

fn quick_wait(timeout: Duration) -> WaitOptions {
    WaitOptions::default()
        .with_timeout(timeout)
        .with_initial_interval(Duration::from_millis(10))
        .with_max_interval(Duration::from_millis(20))
}

#[tokio::test]
async fn waiting_for_a_change_skips_an_earlier_applied_change() {
    let server = MockServer::start().await;
    let request = reset_sent(&server).await;
    // The status still shows the previous change (a PATCH of a minute before) twice.
    Mock::given(method("GET"))
        .and(path(alter_status_path()))
        .respond_with(applied_status_requested_at("2024-02-20T15:13:19+0000"))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(alter_status_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "request": {
                "id": "lcc-1",
                "name": CONNECTOR,
                "offsets": [],
                "requested_at": "2024-02-20T15:14:19+0000",
                "type": "DELETE",
            },
            "status": {"phase": "APPLIED"},
        })))
        .expect(1)
        .mount(&server)
        .await;

    let status = client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .wait_for_alter_of(&request, quick_wait(Duration::from_secs(10)))
        .await
        .expect("ours is applied on the third read");

    assert_eq!(status.request, request);
    assert_eq!(status.phase, AlterPhase::Applied);
    server.verify().await;
}

#[tokio::test]
async fn waiting_for_a_change_that_never_shows_is_alter_not_seen_with_the_earlier_status() {
    let server = MockServer::start().await;
    let request = reset_sent(&server).await;
    Mock::given(method("GET"))
        .and(path(alter_status_path()))
        .respond_with(applied_status_requested_at("2024-02-20T15:13:19+0000"))
        .mount(&server)
        .await;

    let error = client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .wait_for_alter_of(&request, quick_wait(Duration::from_millis(200)))
        .await
        .expect_err("the earlier change is not ours");

    match &error {
        Error::AlterNotSeen { seen, .. } => {
            assert_eq!(seen.request.requested_at.raw(), "2024-02-20T15:13:19+0000");
            assert_eq!(seen.phase, AlterPhase::Applied);
        }
        other => panic!("expected AlterNotSeen, got {other:?}"),
    }
    assert!(
        error
            .to_string()
            .contains("the status still shows an earlier change (requested at 2024-02-20T15:13:19+0000, APPLIED)"),
        "{error}"
    );
}

#[tokio::test]
async fn an_alter_answer_whose_requested_at_is_a_number_decodes_without_a_parsed_time() {
    let server = server_answering_once(
        "POST",
        alter_request_path(),
        ResponseTemplate::new(202).set_body_json(json!({
            "id": "lcc-1",
            "name": CONNECTOR,
            "offsets": [],
            "requested_at": 1708442059,
            "type": "DELETE",
        })),
    )
    .await;

    let request = client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .reset_offsets()
        .await
        .expect("an odd timestamp does not fail the answer");

    assert_eq!(
        (request.requested_at.raw(), request.requested_at.utc()),
        ("1708442059", None)
    );
}

#[tokio::test]
async fn a_status_whose_applied_at_is_an_object_and_previous_offsets_null_decodes() {
    let server = server_answering_once(
        "GET",
        alter_status_path(),
        ResponseTemplate::new(200).set_body_json(json!({
            "request": {
                "id": "lcc-1",
                "name": CONNECTOR,
                "offsets": [],
                "requested_at": null,
                "type": "PATCH",
            },
            "status": {"phase": "APPLIED"},
            "previous_offsets": null,
            "applied_at": {"seconds": 1708442059},
        })),
    )
    .await;

    let status = client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .alter_status()
        .await
        .expect("odd timestamps do not fail the answer");

    let applied_at = status.applied_at.expect("applied_at is kept");
    assert_eq!(
        (applied_at.raw(), applied_at.utc()),
        (r#"{"seconds":1708442059}"#, None)
    );
    assert_eq!(
        (
            status.request.requested_at.raw(),
            status.request.requested_at.utc()
        ),
        ("null", None)
    );
    assert_eq!(status.previous_offsets, vec![]);
}
