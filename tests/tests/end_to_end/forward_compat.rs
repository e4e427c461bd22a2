//! Forward compatibility: the facade keeps working when the service's answers grow beyond the
//! spec.
//!
//! Confluent can grow the Connect v1 API without a new version: it can add fields to responses,
//! and values to its open enums (`x-extensible-enum`: the alter request's `type`, PATCH and
//! DELETE, and the status `phase`, PENDING, PENDING_VALIDATION, APPLIED and FAILED). A client
//! that refused either would break on the day the service changed, with no change on our side.
//!
//! So each test here answers one of the spec's three operations (the offsets, the alter
//! request, its status) with a body that carries fields the spec does not have, at every level
//! (top level, `metadata`, each offsets entry beside `partition` and `offset`, the request and
//! status objects, the error body) holding objects, arrays, numbers and nulls, or with an enum
//! value the spec does not list. Each checks the exact decoded value through the real client
//! against a local server on 127.0.0.1, and the offline decoders (`from_json`,
//! [`ApiError::from_body`]) on the same bodies against the same expected values, so the client
//! and the decoders are shown to agree.

use chrono::{TimeZone, Utc};
use confluent_connect::{
    AlterKind, AlterPhase, AlterRequest, AlterStatus, ApiError, Client, ConnectorOffsets, Error,
    JsonObject, PartitionOffset, RetryPolicy, SinkOffset, StatusCode, Timestamp,
};
use confluent_connect_tests::{
    CLUSTER, CONNECTOR, ENV, KEY, SECRET, alter_request_path, alter_status_path, builder_for,
    client_for, raw::http_message, raw::raw_server, server_answering, server_answering_once,
};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{body_json, method, path},
};

// ---------------------------------------------------------------------------------------------
// The grown bodies, and what they must decode to.
// ---------------------------------------------------------------------------------------------

/// A JSON object literal as a [`JsonObject`].
fn object(value: Value) -> JsonObject {
    value
        .as_object()
        .cloned()
        .expect("the literal is a JSON object")
}

/// One offsets entry.
fn entry(partition: Value, offset: Value) -> PartitionOffset {
    PartitionOffset::new(object(partition), object(offset))
        .expect("objects of plain values make an entry")
}

/// A sink connector's offsets with fields the spec lacks at the top level, in `metadata` and in
/// each entry beside `partition` and `offset`: numbers, objects, arrays, strings and nulls.
fn grown_offsets_body() -> Value {
    json!({
        "api_version": "connect/v1",
        "kind": "ConnectorOffsets",
        "name": "MysqlSinkConnector",
        "id": "lcc-as341",
        "offsets": [
            {
                "task_id": 3,
                "partition": {"kafka_partition": 0, "kafka_topic": "topic_A"},
                "lag": {"records": 12, "as_of": "2024-02-20T15:14:18Z"},
                "offset": {"kafka_offset": 20032323},
                "tags": ["hot", {"nested": [1, 2.5, null]}],
                "note": null,
            },
            {
                "partition": {"kafka_partition": 1, "kafka_topic": "topic_B"},
                "offset": {"kafka_offset": 20032322},
                "task_id": 4,
                "lag": {},
                "tags": [],
                "note": null,
                "committed": true,
            },
        ],
        "metadata": {
            "observed_at": "2024-02-20 15:14:19+00:00",
            "observed_by": {"worker": "w-1", "region": "eu-west-1"},
            "sources": ["task-3", "task-4"],
            "stale": null,
            "resource_version": 17,
        },
        "pagination": {"next": null, "total_size": 2},
        "warnings": [],
        "deprecated_field": null,
    })
}

/// What [`grown_offsets_body`] decodes to: exactly the spec's sink example.
fn grown_offsets_expected() -> ConnectorOffsets {
    ConnectorOffsets::new(vec![
        entry(
            json!({"kafka_partition": 0, "kafka_topic": "topic_A"}),
            json!({"kafka_offset": 20032323}),
        ),
        entry(
            json!({"kafka_partition": 1, "kafka_topic": "topic_B"}),
            json!({"kafka_offset": 20032322}),
        ),
    ])
    .with_name("MysqlSinkConnector")
    .with_id("lcc-as341")
    .with_observed_at(Timestamp::parse("2024-02-20 15:14:19+00:00"))
}

/// A sink entry whose partition and offset objects (open maps in the spec) carry keys a sink
/// does not have yet.
fn offsets_with_new_keys_in_entries_body() -> Value {
    json!({
        "name": CONNECTOR,
        "id": "lcc-1",
        "offsets": [{
            "partition": {"kafka_topic": "orders", "kafka_partition": 2, "kafka_cluster": "lkc-1"},
            "offset": {"kafka_offset": 7, "kafka_leader_epoch": 5, "kafka_timestamp": null},
        }],
        "metadata": {"observed_at": "2024-02-20T15:14:19Z"},
    })
}

/// A 202 answer to a PATCH of `orders` partition 3 to 12, with fields the spec lacks at the
/// top level and in the entry.
fn grown_patch_accepted_body() -> Value {
    json!({
        "id": "lcc-1",
        "name": CONNECTOR,
        "request_id": "alter-77",
        "offsets": [{
            "partition": {"kafka_topic": "orders", "kafka_partition": 3},
            "offset": {"kafka_offset": 12},
            "validated": false,
            "previous": {"kafka_offset": 9},
            "hints": null,
        }],
        "requested_at": "2024-02-20T15:14:19+0000",
        "requested_by": {"principal": "u-123", "kind": "User"},
        "type": "PATCH",
        "labels": ["migration", "orders"],
        "expires_at": null,
        "priority": 2,
    })
}

/// What [`grown_patch_accepted_body`] decodes to.
fn grown_patch_accepted_expected() -> AlterRequest {
    AlterRequest::new(
        "lcc-1".to_owned(),
        CONNECTOR.to_owned(),
        AlterKind::Patch,
        vec![entry(
            json!({"kafka_topic": "orders", "kafka_partition": 3}),
            json!({"kafka_offset": 12}),
        )],
        Timestamp::parse("2024-02-20T15:14:19+0000"),
    )
}

/// A 202 answer of a kind the spec does not list, `TRUNCATE`, with fields the spec lacks.
fn truncate_accepted_body() -> Value {
    json!({
        "id": "lcc-1",
        "name": CONNECTOR,
        "offsets": [],
        "requested_at": "2024-02-20T15:14:19+0000",
        "type": "TRUNCATE",
        "truncate_to": {"timestamp": 1708441959000_i64, "inclusive": true},
        "scopes": ["orders"],
        "reason": null,
    })
}

/// What [`truncate_accepted_body`] decodes to.
fn truncate_accepted_expected() -> AlterRequest {
    AlterRequest::new(
        "lcc-1".to_owned(),
        CONNECTOR.to_owned(),
        AlterKind::Other("TRUNCATE".to_owned()),
        Vec::new(),
        Timestamp::parse("2024-02-20T15:14:19+0000"),
    )
}

/// The request object of a status answer, of kind `kind`, with fields the spec lacks.
fn grown_status_request(kind: &str) -> Value {
    json!({
        "id": "lcc-as341",
        "name": "MysqlSinkConnector",
        "offsets": [{
            "partition": {"kafka_partition": 0, "kafka_topic": "topic_A"},
            "offset": {"kafka_offset": 1000},
            "task_id": 0,
            "source": {"file": "offsets.json", "line": 3},
        }],
        "requested_at": "2024-02-20T15:14:19+0000",
        "type": kind,
        "attempt": 2,
        "requested_by": null,
        "labels": [],
    })
}

/// An `APPLIED` status with fields the spec lacks in `request`, in `status`, in the previous
/// offsets' entries and at the top level.
fn grown_applied_status_body() -> Value {
    json!({
        "request": grown_status_request("PATCH"),
        "status": {
            "phase": "APPLIED",
            "message": "The offsets of the connector were updated.",
            "reason_code": "OK",
            "progress": {"done": 1, "total": 1},
            "warnings": [],
            "retry_after": null,
        },
        "previous_offsets": [{
            "partition": {"kafka_partition": 0, "kafka_topic": "topic_A"},
            "offset": {"kafka_offset": 20032323},
            "observed_at": "2024-02-20T15:14:00Z",
            "lag": null,
        }],
        "applied_at": "2024-02-20T15:14:20+0000",
        "applied_by": {"controller": "connect-ctl-2"},
        "history": [{"phase": "PENDING"}, {"phase": "PENDING_VALIDATION"}],
        "next_check_at": null,
        "generation": 9,
    })
}

/// The request [`grown_status_request`] decodes to, of kind `kind`.
fn grown_status_request_expected(kind: AlterKind) -> AlterRequest {
    AlterRequest::new(
        "lcc-as341".to_owned(),
        "MysqlSinkConnector".to_owned(),
        kind,
        vec![entry(
            json!({"kafka_partition": 0, "kafka_topic": "topic_A"}),
            json!({"kafka_offset": 1000}),
        )],
        Timestamp::parse("2024-02-20T15:14:19+0000"),
    )
}

/// What [`grown_applied_status_body`] decodes to: exactly the spec's status example.
fn grown_applied_status_expected() -> AlterStatus {
    AlterStatus::new(
        grown_status_request_expected(AlterKind::Patch),
        AlterPhase::Applied,
        Some("The offsets of the connector were updated.".to_owned()),
        vec![entry(
            json!({"kafka_partition": 0, "kafka_topic": "topic_A"}),
            json!({"kafka_offset": 20032323}),
        )],
        Some(Timestamp::parse("2024-02-20T15:14:20+0000")),
    )
}

/// A status in a phase the spec does not list, `RESUMING`, with fields the spec lacks.
fn resuming_status_body() -> Value {
    json!({
        "request": grown_status_request("PATCH"),
        "status": {
            "phase": "RESUMING",
            "message": "Restarting the connector's tasks.",
            "progress": {"done": 1, "total": 4},
            "eta_seconds": 30,
        },
        "previous_offsets": [],
        "applied_at": null,
        "resumed_tasks": [0],
    })
}

/// What [`resuming_status_body`] decodes to.
fn resuming_status_expected() -> AlterStatus {
    AlterStatus::new(
        grown_status_request_expected(AlterKind::Patch),
        AlterPhase::Other("RESUMING".to_owned()),
        Some("Restarting the connector's tasks.".to_owned()),
        Vec::new(),
        None,
    )
}

/// A pending status whose request is of a kind the spec does not list, `TRUNCATE`.
fn truncate_pending_status_body() -> Value {
    json!({
        "request": grown_status_request("TRUNCATE"),
        "status": {"phase": "PENDING", "queued_behind": 0},
        "applied_at": null,
    })
}

/// What [`truncate_pending_status_body`] decodes to.
fn truncate_pending_status_expected() -> AlterStatus {
    AlterStatus::new(
        grown_status_request_expected(AlterKind::Other("TRUNCATE".to_owned())),
        AlterPhase::Pending,
        None,
        Vec::new(),
        None,
    )
}

/// The documented error body for `code` and `message`, grown: `details`, `category` and `links`
/// inside `error`, `trace` and `errors` beside it.
fn grown_error_body(code: u16, message: &str) -> Value {
    json!({
        "error": {
            "code": code,
            "message": message,
            "details": [{"@type": "ErrorInfo", "reason": "EXAMPLE_REASON", "metadata": null}],
            "category": "CLIENT_ERROR",
            "links": {"docs": "https://docs.confluent.io/cloud/current/api.html"},
        },
        "trace": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "errors": [],
        "retryable": false,
    })
}

/// The [`ApiError`] a grown error body of `code` and `message` must be, sent with
/// `X-Request-Id: req-<code>`.
fn api_error(code: u16, message: &str) -> ApiError {
    ApiError::new(
        StatusCode::from_u16(code).expect("a valid HTTP status"),
        Some(i64::from(code)),
        Some(message.to_owned()),
        Some(format!("req-{code}")),
    )
}

// ---------------------------------------------------------------------------------------------
// Serving them.
// ---------------------------------------------------------------------------------------------

/// `body` as a `status` answer with `X-Request-Id: req-<status>`, as raw JSON text so that the
/// bytes sent are exactly the body's.
fn answer(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .set_body_raw(body.to_string(), "application/json")
        .insert_header("x-request-id", format!("req-{status}").as_str())
}

/// The default connector's offsets, from a server answering them with `status` and `body`.
async fn offsets_answered(status: u16, body: &Value) -> Result<ConnectorOffsets, Error> {
    let server = server_answering(answer(status, body)).await;
    client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
}

/// The default connector's reset, from a server answering it with `status` and `body`.
async fn reset_answered(status: u16, body: &Value) -> Result<AlterRequest, Error> {
    let server = server_answering_once("POST", alter_request_path(), answer(status, body)).await;
    client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .reset_offsets()
        .await
}

/// The default connector's alter status, from a server answering it with `status` and `body`.
async fn alter_status_answered(status: u16, body: &Value) -> Result<AlterStatus, Error> {
    let server = server_answering_once("GET", alter_status_path(), answer(status, body)).await;
    client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .alter_status()
        .await
}

/// The service's error as an [`ApiError`], or the error itself if it is another variant.
fn as_api(error: Error) -> Result<ApiError, Error> {
    match error {
        Error::Api(api) => Ok(api),
        other => Err(other),
    }
}

/// `body` as bytes, for the offline decoders.
fn bytes(body: &Value) -> Vec<u8> {
    body.to_string().into_bytes()
}

// ---------------------------------------------------------------------------------------------
// GET .../offsets
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn offsets_with_fields_the_spec_lacks_decode() {
    let offsets = offsets_answered(200, &grown_offsets_body())
        .await
        .expect("fields the spec lacks are ignored");

    assert_eq!(offsets, grown_offsets_expected());
    let observed_at = offsets.observed_at.as_ref().expect("observed_at is set");
    assert_eq!(observed_at.raw(), "2024-02-20 15:14:19+00:00");
    assert_eq!(
        observed_at.utc(),
        Utc.with_ymd_and_hms(2024, 2, 20, 15, 14, 19).single()
    );
    assert_eq!(
        offsets.sink(),
        Ok(vec![
            SinkOffset {
                topic: "topic_A".to_owned(),
                partition: 0,
                offset: 20032323,
            },
            SinkOffset {
                topic: "topic_B".to_owned(),
                partition: 1,
                offset: 20032322,
            },
        ])
    );
}

/// The grown offsets body as text, and the offsets a client keeping answer text read from it.
async fn grown_offsets_kept_as_text() -> (String, ConnectorOffsets) {
    let body = grown_offsets_body().to_string();
    let server =
        server_answering(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
            .await;
    let client = builder_for(&server)
        .keep_answer_text(true)
        .build()
        .expect("a client");
    let offsets = client
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .expect("the offsets");
    (body, offsets)
}

#[tokio::test]
async fn a_client_keeping_answer_text_keeps_the_grown_answer_exactly() {
    let (body, offsets) = grown_offsets_kept_as_text().await;

    assert_eq!(offsets.answer_text(), Some(body.as_str()));
    // The text is not compared: the typed offsets are those of a client that does not keep it.
    assert_eq!(offsets, grown_offsets_expected());
}

#[tokio::test]
async fn debug_shows_the_kept_answer_texts_length_not_the_text() {
    let (body, offsets) = grown_offsets_kept_as_text().await;

    let debug = format!("{offsets:?}");
    assert!(
        debug.ends_with(&format!(", answer_text: <{} bytes> }}", body.len())),
        "{debug}"
    );
    // `api_version` is in the answer's text only, not in the typed offsets.
    assert!(!debug.contains("api_version"), "{debug}");
}

#[tokio::test]
async fn a_client_keeps_no_answer_text_by_default() {
    let offsets = offsets_answered(200, &grown_offsets_body())
        .await
        .expect("the offsets");

    assert_eq!(offsets.answer_text(), None);
}

#[test]
fn offsets_from_json_decodes_fields_the_spec_lacks_as_the_client_does() {
    assert_eq!(
        ConnectorOffsets::from_json(&bytes(&grown_offsets_body()))
            .expect("a grown body decodes offline"),
        grown_offsets_expected()
    );
}

#[tokio::test]
async fn new_keys_inside_partition_and_offset_are_kept_and_the_sink_view_still_reads() {
    let offsets = offsets_answered(200, &offsets_with_new_keys_in_entries_body())
        .await
        .expect("new keys in the open partition and offset objects are accepted");

    let expected = ConnectorOffsets::new(vec![entry(
        json!({"kafka_topic": "orders", "kafka_partition": 2, "kafka_cluster": "lkc-1"}),
        json!({"kafka_offset": 7, "kafka_leader_epoch": 5, "kafka_timestamp": null}),
    )])
    .with_name(CONNECTOR)
    .with_id("lcc-1")
    .with_observed_at(Timestamp::parse("2024-02-20T15:14:19Z"));
    assert_eq!(offsets, expected);
    assert_eq!(
        ConnectorOffsets::from_json(&bytes(&offsets_with_new_keys_in_entries_body()))
            .expect("a grown body decodes offline"),
        expected
    );
    assert_eq!(
        offsets.sink(),
        Ok(vec![SinkOffset {
            topic: "orders".to_owned(),
            partition: 2,
            offset: 7,
        }])
    );
}

#[tokio::test]
async fn unknown_fields_holding_numbers_beyond_64_bits_are_ignored() {
    // Sent as exact bytes: no 64-bit integer or float holds these numbers, so `json!` cannot.
    let body = br#"{"name":"orders-sink","id":"lcc-1","epoch_ns":123456789012345678901234567890,"offsets":[{"partition":{"kafka_topic":"orders","kafka_partition":0},"offset":{"kafka_offset":7},"checksum":-98765432109876543210987654321}],"metadata":{"observed_at":"2024-02-20T15:14:19Z","window":1e400}}"#;
    let url = raw_server(move |_, mut stream| async move {
        let message = http_message(200, "application/json", &[], body);
        // The client reports a failed write as a failed request; nothing more to do here.
        let _ = stream.write_all(&message).await;
    })
    .await;
    let client = Client::builder()
        .api_key(KEY, SECRET)
        .base_url(url)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client for a local raw server builds");

    let offsets = client
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .expect("a huge number in a field the spec lacks is skipped, not converted");

    let expected = ConnectorOffsets::new(vec![entry(
        json!({"kafka_topic": "orders", "kafka_partition": 0}),
        json!({"kafka_offset": 7}),
    )])
    .with_name(CONNECTOR)
    .with_id("lcc-1")
    .with_observed_at(Timestamp::parse("2024-02-20T15:14:19Z"));
    assert_eq!(offsets, expected);
    assert_eq!(
        ConnectorOffsets::from_json(body).expect("a grown body decodes offline"),
        expected
    );
}

#[tokio::test]
async fn an_offsets_error_with_fields_the_spec_lacks_is_the_exact_api_error() {
    let error = offsets_answered(404, &grown_error_body(404, "resource not found"))
        .await
        .expect_err("a 404 is an error");

    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(error.request_id(), Some("req-404"));
    assert_eq!(
        as_api(error).expect("a grown error body is still the service's error"),
        api_error(404, "resource not found")
    );
}

// ---------------------------------------------------------------------------------------------
// POST .../offsets/request
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_alter_answer_with_fields_the_spec_lacks_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(alter_request_path()))
        .and(body_json(json!({
            "type": "PATCH",
            "offsets": [{"partition": {"kafka_topic": "orders", "kafka_partition": 3}, "offset": {"kafka_offset": 12}}],
        })))
        .respond_with(answer(202, &grown_patch_accepted_body()))
        .expect(1)
        .mount(&server)
        .await;

    let request = client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .alter_offsets(&[entry(
            json!({"kafka_topic": "orders", "kafka_partition": 3}),
            json!({"kafka_offset": 12}),
        )])
        .await
        .expect("fields the spec lacks are ignored");

    assert_eq!(request, grown_patch_accepted_expected());
    assert_eq!(
        request.requested_at.utc(),
        Utc.with_ymd_and_hms(2024, 2, 20, 15, 14, 19).single()
    );
}

#[tokio::test]
async fn an_alter_answer_of_an_unknown_type_decodes_as_other() {
    let request = reset_answered(202, &truncate_accepted_body())
        .await
        .expect("a type the spec does not list is kept");

    assert_eq!(request, truncate_accepted_expected());
    assert_eq!(request.kind.to_string(), "TRUNCATE");
}

#[test]
fn alter_request_from_json_decodes_grown_answers_as_the_client_does() {
    assert_eq!(
        AlterRequest::from_json(&bytes(&grown_patch_accepted_body()))
            .expect("a grown body decodes offline"),
        grown_patch_accepted_expected()
    );
    assert_eq!(
        AlterRequest::from_json(&bytes(&truncate_accepted_body()))
            .expect("a grown body decodes offline"),
        truncate_accepted_expected()
    );
}

#[tokio::test]
async fn an_alter_error_with_fields_the_spec_lacks_is_the_exact_api_error() {
    let error = reset_answered(400, &grown_error_body(400, "Bad Request"))
        .await
        .expect_err("a 400 is an error");

    assert_eq!(error.status(), Some(StatusCode::BAD_REQUEST));
    assert_eq!(error.request_id(), Some("req-400"));
    assert_eq!(
        as_api(error).expect("a grown error body is still the service's error"),
        api_error(400, "Bad Request")
    );
}

#[tokio::test]
async fn an_undocumented_status_with_a_grown_error_body_is_the_exact_api_error() {
    // 409 is not in the spec, so this body is read by the facade, not by the generated client.
    let error = reset_answered(
        409,
        &grown_error_body(409, "an offsets change is in progress"),
    )
    .await
    .expect_err("a 409 is an error");

    assert_eq!(error.status(), Some(StatusCode::CONFLICT));
    assert_eq!(error.request_id(), Some("req-409"));
    assert_eq!(
        as_api(error).expect("a grown error body is still the service's error"),
        api_error(409, "an offsets change is in progress")
    );
}

// ---------------------------------------------------------------------------------------------
// GET .../offsets/request/status
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_alter_status_with_fields_the_spec_lacks_decodes() {
    let status = alter_status_answered(200, &grown_applied_status_body())
        .await
        .expect("fields the spec lacks are ignored");

    assert_eq!(status, grown_applied_status_expected());
    assert_eq!(
        status.applied_at.as_ref().and_then(Timestamp::utc),
        Utc.with_ymd_and_hms(2024, 2, 20, 15, 14, 20).single()
    );
}

#[tokio::test]
async fn an_alter_status_in_an_unknown_phase_decodes_as_other() {
    let status = alter_status_answered(200, &resuming_status_body())
        .await
        .expect("a phase the spec does not list is kept");

    assert_eq!(status, resuming_status_expected());
    assert!(
        !status.phase.is_final(),
        "an unknown phase is still pending"
    );
}

#[tokio::test]
async fn an_alter_status_whose_request_has_an_unknown_type_decodes_as_other() {
    let status = alter_status_answered(200, &truncate_pending_status_body())
        .await
        .expect("a type the spec does not list is kept");

    assert_eq!(status, truncate_pending_status_expected());
}

#[test]
fn alter_status_from_json_decodes_grown_answers_as_the_client_does() {
    assert_eq!(
        AlterStatus::from_json(&bytes(&grown_applied_status_body()))
            .expect("a grown body decodes offline"),
        grown_applied_status_expected()
    );
    assert_eq!(
        AlterStatus::from_json(&bytes(&resuming_status_body()))
            .expect("a grown body decodes offline"),
        resuming_status_expected()
    );
    assert_eq!(
        AlterStatus::from_json(&bytes(&truncate_pending_status_body()))
            .expect("a grown body decodes offline"),
        truncate_pending_status_expected()
    );
}

#[tokio::test]
async fn an_alter_status_error_with_fields_the_spec_lacks_is_the_exact_api_error() {
    let error = alter_status_answered(403, &grown_error_body(403, "Forbidden"))
        .await
        .expect_err("a 403 is an error");

    assert_eq!(error.status(), Some(StatusCode::FORBIDDEN));
    assert_eq!(error.request_id(), Some("req-403"));
    assert_eq!(
        as_api(error).expect("a grown error body is still the service's error"),
        api_error(403, "Forbidden")
    );
}

#[test]
fn api_error_from_body_reads_a_grown_error_body_as_the_client_does() {
    assert_eq!(
        ApiError::from_body(
            StatusCode::NOT_FOUND,
            &bytes(&grown_error_body(404, "resource not found")),
            Some("req-404".to_owned()),
        ),
        Some(api_error(404, "resource not found"))
    );
}
