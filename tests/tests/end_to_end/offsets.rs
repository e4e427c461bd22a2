//! Successful answers: the spec's examples and the shapes the service is known to send, decoded
//! into exact typed offsets.

use chrono::{NaiveDate, TimeZone, Utc};
use confluent_connect::{
    ConnectorOffsets, Error, Hint, JsonObject, NotSinkOffset, PartitionOffset, SinkOffset,
    StatusCode, Timestamp,
};
use confluent_connect_tests::{
    CLUSTER, CONNECTOR, ENV, client_for, named_example, server_answering,
};
use serde_json::{Value, json};
use wiremock::ResponseTemplate;

fn object(value: Value) -> JsonObject {
    match value {
        Value::Object(object) => object,
        other => panic!("not a JSON object: {other}"),
    }
}

/// The default connector's offsets from a server answering 200 with `body` as raw JSON text.
async fn offsets_for_raw_body(body: &str) -> ConnectorOffsets {
    let server = server_answering(
        ResponseTemplate::new(200).set_body_raw(body.to_owned(), "application/json"),
    )
    .await;
    client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .expect("a 200 with a documented body succeeds")
}

/// The `observed_at` of a 200 answer whose metadata holds `observed_at`.
async fn observed_at_for(observed_at: &str) -> Timestamp {
    let body = json!({
        "name": CONNECTOR,
        "id": "lcc-1",
        "offsets": [],
        "metadata": {"observed_at": observed_at},
    });
    offsets_for_raw_body(&body.to_string())
        .await
        .observed_at
        .expect("the metadata has observed_at")
}

#[tokio::test]
async fn sink_example_decodes_to_exact_offsets_and_sink_view() {
    let server =
        server_answering(ResponseTemplate::new(200).set_body_json(named_example(200, "sink")))
            .await;

    let offsets = client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .expect("the sink example is a valid answer");

    assert_eq!(
        offsets,
        ConnectorOffsets::new(vec![
            PartitionOffset::new(
                object(json!({"kafka_partition": 0, "kafka_topic": "topic_A"})),
                object(json!({"kafka_offset": 20032323}))
            )
            .expect("objects of plain values make an entry"),
            PartitionOffset::new(
                object(json!({"kafka_partition": 1, "kafka_topic": "topic_B"})),
                object(json!({"kafka_offset": 20032322}))
            )
            .expect("objects of plain values make an entry"),
        ])
        .with_name("MysqlSinkConnector")
        .with_id("lcc-as341")
        .with_observed_at(Timestamp::parse("2024-02-20 15:14:19+00:00"))
    );
    let observed_at = offsets.observed_at.as_ref().expect("observed_at is set");
    assert_eq!(observed_at.raw(), "2024-02-20 15:14:19+00:00");
    assert_eq!(
        observed_at.utc(),
        Some(Utc.with_ymd_and_hms(2024, 2, 20, 15, 14, 19).unwrap())
    );
    assert_eq!(
        offsets.sink(),
        Ok(vec![
            SinkOffset {
                topic: "topic_A".to_string(),
                partition: 0,
                offset: 20032323,
            },
            SinkOffset {
                topic: "topic_B".to_string(),
                partition: 1,
                offset: 20032322,
            },
        ])
    );
}

#[tokio::test]
async fn source_example_keeps_exact_objects_and_is_not_a_sink() {
    let server =
        server_answering(ResponseTemplate::new(200).set_body_json(named_example(200, "source")))
            .await;

    let offsets = client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .expect("the source example is a valid answer");

    assert_eq!(
        offsets,
        ConnectorOffsets::new(vec![
            PartitionOffset::new(
                object(json!({"protocol": 1, "table": "sourcedb.sourcetable"})),
                object(json!({
                    "timestamp_nanos": 0,
                    "incrementing": 3,
                    "timestamp": 1699142400000_i64,
                }))
            )
            .expect("objects of plain values make an entry")
        ])
        .with_name("MysqlSourceConnector")
        .with_id("lcc-21sdda")
        .with_observed_at(Timestamp::parse("2024-02-20 15:14:19+00:00"))
    );
    assert_eq!(
        offsets.observed_at.as_ref().and_then(Timestamp::utc),
        Some(Utc.with_ymd_and_hms(2024, 2, 20, 15, 14, 19).unwrap())
    );
    // Integers stay integers: no float crept in.
    let offset = &offsets.offsets[0].offset();
    assert_eq!(offset["timestamp"].as_i64(), Some(1699142400000));
    assert!(offset["timestamp"].is_i64() || offset["timestamp"].is_u64());
    assert_eq!(
        offsets.sink(),
        Err(NotSinkOffset {
            index: 0,
            reason: "the partition has no `kafka_topic`".to_string(),
        })
    );
}

#[tokio::test]
async fn response_without_metadata_has_no_observed_at() {
    let offsets = offsets_for_raw_body(
        r#"{"name":"orders-sink","id":"lcc-1","offsets":[{"partition":{"kafka_topic":"orders","kafka_partition":3},"offset":{"kafka_offset":7}}]}"#,
    )
    .await;

    assert_eq!(
        offsets,
        ConnectorOffsets::new(vec![
            PartitionOffset::new(
                object(json!({"kafka_topic": "orders", "kafka_partition": 3})),
                object(json!({"kafka_offset": 7}))
            )
            .expect("objects of plain values make an entry")
        ])
        .with_name("orders-sink")
        .with_id("lcc-1")
    );
}

#[tokio::test]
async fn metadata_without_observed_at_has_no_observed_at() {
    let offsets =
        offsets_for_raw_body(r#"{"name":"orders-sink","offsets":[],"metadata":{}}"#).await;

    assert_eq!(
        offsets,
        ConnectorOffsets::new(vec![]).with_name("orders-sink")
    );
}

/// The error of a 200 answer with `body` as raw JSON text and a request id.
async fn error_for_raw_body(body: &str) -> Error {
    let server = server_answering(
        ResponseTemplate::new(200)
            .set_body_raw(body.to_owned(), "application/json")
            .insert_header("x-request-id", "req-1"),
    )
    .await;
    client_for(&server)
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .expect_err("an answer without offsets fails")
}

/// What an answer without `offsets` whose body is `body` is reported as.
fn missing_offsets(body: &str) -> Error {
    Error::MissingField {
        status: StatusCode::OK,
        field: "offsets".to_owned(),
        body_excerpt: body.to_owned(),
        request_id: Some("req-1".to_owned()),
    }
}

#[tokio::test]
async fn an_empty_array_is_a_connector_without_offsets() {
    let offsets = offsets_for_raw_body(r#"{"name":"orders-sink","offsets":[]}"#).await;

    assert_eq!(
        offsets,
        ConnectorOffsets::new(vec![]).with_name("orders-sink")
    );
    assert_eq!(offsets.sink(), Ok(vec![]));
}

#[tokio::test]
async fn an_empty_object_is_a_missing_offsets_field_not_a_connector_without_offsets() {
    let error = error_for_raw_body("{}").await;

    assert_eq!(error.to_string(), missing_offsets("{}").to_string());
    assert!(
        matches!(&error, Error::MissingField { status, field, body_excerpt, request_id }
            if *status == StatusCode::OK && field == "offsets" && body_excerpt == "{}"
                && request_id.as_deref() == Some("req-1")),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the 200 OK answer (request id req-1) has no `offsets` field (or it is null), so it is \
         not the documented answer and is not read as an empty one; the body starts: {}"
    );
    assert_eq!(error.hint(), Hint::CheckBaseUrl);
}

#[tokio::test]
async fn null_offsets_are_a_missing_offsets_field() {
    let body = r#"{"name":"orders-sink","id":"lcc-1","offsets":null}"#;

    let error = error_for_raw_body(body).await;

    assert_eq!(error.to_string(), missing_offsets(body).to_string());
}

#[tokio::test]
async fn a_proxys_error_object_is_a_missing_offsets_field_quoting_it() {
    let body = r#"{"error":"upstream connect error or disconnect/reset before headers"}"#;

    let error = error_for_raw_body(body).await;

    assert_eq!(error.to_string(), missing_offsets(body).to_string());
}

#[tokio::test]
async fn a_long_answer_without_offsets_is_quoted_up_to_300_characters() {
    let body = json!({"name": "orders-sink", "padding": "x".repeat(5000)}).to_string();

    let error = error_for_raw_body(&body).await;

    let Error::MissingField { body_excerpt, .. } = &error else {
        panic!("expected a missing field, got {error:?}");
    };
    let expected: String = body.chars().take(300).chain(['…']).collect();
    assert_eq!(body_excerpt, &expected);
}

#[tokio::test]
async fn from_json_refuses_an_answer_without_offsets_too() {
    let error = ConnectorOffsets::from_json(b"{}").expect_err("no offsets");

    assert_eq!(
        error.to_string(),
        "the answer has no `offsets` field (or it is null)"
    );
}

/// The `observed_at` of a 200 answer whose metadata holds `observed_at` as the JSON `value`.
async fn observed_at_of_json(value: Value) -> Option<Timestamp> {
    let body = json!({"name": CONNECTOR, "offsets": [], "metadata": {"observed_at": value}});
    offsets_for_raw_body(&body.to_string()).await.observed_at
}

#[tokio::test]
async fn observed_at_as_a_number_decodes_without_a_parsed_time() {
    let t = observed_at_of_json(json!(1708442059)).await.expect("kept");

    assert_eq!((t.raw(), t.utc()), ("1708442059", None));
    assert_eq!(serde_json::to_value(&t).unwrap(), json!(1708442059));
}

#[tokio::test]
async fn observed_at_null_decodes_as_no_observation_time() {
    assert_eq!(observed_at_of_json(Value::Null).await, None);
}

#[tokio::test]
async fn observed_at_as_an_object_decodes_without_a_parsed_time() {
    let t = observed_at_of_json(json!({"seconds": 1708442059}))
        .await
        .expect("kept");

    assert_eq!((t.raw(), t.utc()), (r#"{"seconds":1708442059}"#, None));
    assert_eq!(
        serde_json::to_value(&t).unwrap(),
        json!({"seconds": 1708442059})
    );
}

#[tokio::test]
async fn observed_at_as_an_array_decodes_without_a_parsed_time() {
    let t = observed_at_of_json(json!([2024, 2, 20]))
        .await
        .expect("kept");

    assert_eq!((t.raw(), t.utc()), ("[2024,2,20]", None));
}

#[tokio::test]
async fn observed_at_with_space_and_colon_offset_parses() {
    let t = observed_at_for("2024-02-20 15:14:19+00:00").await;
    assert_eq!(t.raw(), "2024-02-20 15:14:19+00:00");
    assert_eq!(
        t.utc(),
        Some(Utc.with_ymd_and_hms(2024, 2, 20, 15, 14, 19).unwrap())
    );
}

#[tokio::test]
async fn observed_at_with_t_and_offset_without_colon_parses() {
    let t = observed_at_for("2024-02-20T15:14:20+0000").await;
    assert_eq!(t.raw(), "2024-02-20T15:14:20+0000");
    assert_eq!(
        t.utc(),
        Some(Utc.with_ymd_and_hms(2024, 2, 20, 15, 14, 20).unwrap())
    );
}

#[tokio::test]
async fn observed_at_rfc3339_with_nanoseconds_keeps_them() {
    let t = observed_at_for("2024-02-20T15:14:20.123456789Z").await;
    assert_eq!(t.raw(), "2024-02-20T15:14:20.123456789Z");
    assert_eq!(
        t.utc(),
        NaiveDate::from_ymd_opt(2024, 2, 20)
            .and_then(|d| d.and_hms_nano_opt(15, 14, 20, 123_456_789))
            .map(|t| t.and_utc())
    );
}

#[tokio::test]
async fn observed_at_rfc3339_with_z_parses() {
    let t = observed_at_for("2024-02-20T15:14:20Z").await;
    assert_eq!(t.raw(), "2024-02-20T15:14:20Z");
    assert_eq!(
        t.utc(),
        Some(Utc.with_ymd_and_hms(2024, 2, 20, 15, 14, 20).unwrap())
    );
}

#[tokio::test]
async fn observed_at_with_another_offset_is_converted_to_utc() {
    let t = observed_at_for("2024-02-20T20:44:20+05:30").await;
    assert_eq!(t.raw(), "2024-02-20T20:44:20+05:30");
    assert_eq!(
        t.utc(),
        Some(Utc.with_ymd_and_hms(2024, 2, 20, 15, 14, 20).unwrap())
    );
}

#[tokio::test]
async fn unparsable_observed_at_is_kept_raw_and_the_response_still_succeeds() {
    let body = json!({
        "name": "orders-sink",
        "id": "lcc-1",
        "offsets": [{"partition": {"kafka_topic": "orders", "kafka_partition": 0},
                     "offset": {"kafka_offset": 1}}],
        "metadata": {"observed_at": "last Tuesday, around noon"},
    });
    let offsets = offsets_for_raw_body(&body.to_string()).await;

    let t = offsets.observed_at.clone().expect("observed_at is kept");
    assert_eq!(t.raw(), "last Tuesday, around noon");
    assert_eq!(t.utc(), None);
    assert_eq!(t.to_string(), "last Tuesday, around noon");
    assert_eq!(
        offsets.sink(),
        Ok(vec![SinkOffset {
            topic: "orders".to_string(),
            partition: 0,
            offset: 1,
        }])
    );
}

#[tokio::test]
async fn integers_beyond_2_pow_53_and_every_json_type_survive_exactly() {
    let body = r#"{
        "name": "odd-source",
        "id": "lcc-odd",
        "offsets": [{
            "partition": {
                "above_2_53": 9007199254740993,
                "i64_max": 9223372036854775807,
                "i64_min": -9223372036854775808,
                "u64_max": 18446744073709551615,
                "flag": true,
                "off": false,
                "nothing": null,
                "text": "sourcedb.sourcetable",
                "nested": {"deeper": {"n": 9007199254740993, "list": [1, "two", false, null]}}
            },
            "offset": {
                "kafka_offset": 9007199254740993,
                "ratio": 1.5,
                "big": 18446744073709551615,
                "unicode": "naïve ✓"
            }
        }]
    }"#;
    let offsets = offsets_for_raw_body(body).await;

    let entry = &offsets.offsets[0];
    let partition = entry.partition();
    let offset = entry.offset();
    assert_eq!(partition["above_2_53"].as_u64(), Some(9007199254740993));
    assert_eq!(partition["i64_max"].as_i64(), Some(i64::MAX));
    assert_eq!(partition["i64_min"].as_i64(), Some(i64::MIN));
    assert_eq!(partition["u64_max"].as_u64(), Some(u64::MAX));
    assert_eq!(partition["flag"], Value::Bool(true));
    assert_eq!(partition["off"], Value::Bool(false));
    assert_eq!(partition["nothing"], Value::Null);
    assert_eq!(
        partition["text"],
        Value::String("sourcedb.sourcetable".to_string())
    );
    assert_eq!(
        partition["nested"],
        json!({"deeper": {"n": 9007199254740993_u64, "list": [1, "two", false, null]}})
    );
    assert_eq!(offset["kafka_offset"].as_i64(), Some(9007199254740993));
    assert_eq!(offset["ratio"].as_f64(), Some(1.5));
    assert_eq!(offset["big"].as_u64(), Some(u64::MAX));
    assert_eq!(offset["unicode"].as_str(), Some("naïve ✓"));
    // The exact text of every number, as the service wrote it: none went through an f64.
    assert_eq!(
        Value::Object(partition.clone()).to_string(),
        Value::Object(object(
            serde_json::from_str::<Value>(body).unwrap()["offsets"][0]["partition"].clone()
        ))
        .to_string()
    );
    for (text, value) in [
        ("9007199254740993", &partition["above_2_53"]),
        ("9223372036854775807", &partition["i64_max"]),
        ("-9223372036854775808", &partition["i64_min"]),
        ("18446744073709551615", &partition["u64_max"]),
        ("9007199254740993", &offset["kafka_offset"]),
        ("18446744073709551615", &offset["big"]),
    ] {
        assert_eq!(value.to_string(), text);
    }
    assert_eq!(
        offsets,
        ConnectorOffsets::new(vec![PartitionOffset::new(object(json!({
                    "above_2_53": 9007199254740993_u64,
                    "i64_max": i64::MAX,
                    "i64_min": i64::MIN,
                    "u64_max": u64::MAX,
                    "flag": true,
                    "off": false,
                    "nothing": null,
                    "text": "sourcedb.sourcetable",
                    "nested": {"deeper": {"n": 9007199254740993_u64, "list": [1, "two", false, null]}},
                })), object(json!({
                    "kafka_offset": 9007199254740993_u64,
                    "ratio": 1.5,
                    "big": u64::MAX,
                    "unicode": "naïve ✓",
                }))).expect("objects of plain values make an entry")]).with_name("odd-source").with_id("lcc-odd")
    );
}

#[tokio::test]
async fn sink_offsets_at_the_edges_of_i64_are_exact() {
    let offsets = offsets_for_raw_body(
        r#"{"offsets":[
            {"partition":{"kafka_topic":"t","kafka_partition":2147483647},"offset":{"kafka_offset":9223372036854775807}},
            {"partition":{"kafka_topic":"t","kafka_partition":0},"offset":{"kafka_offset":9007199254740993}}
        ]}"#,
    )
    .await;

    assert_eq!(
        offsets.sink(),
        Ok(vec![
            SinkOffset {
                topic: "t".to_string(),
                partition: i32::MAX,
                offset: i64::MAX,
            },
            SinkOffset {
                topic: "t".to_string(),
                partition: 0,
                offset: 9007199254740993,
            },
        ])
    );
}

#[tokio::test]
async fn sink_view_names_the_first_entry_that_does_not_fit() {
    let offsets = offsets_for_raw_body(
        r#"{"offsets":[
            {"partition":{"kafka_topic":"t","kafka_partition":0},"offset":{"kafka_offset":1}},
            {"partition":{"kafka_topic":"t","kafka_partition":1},"offset":{"kafka_offset":18446744073709551615}}
        ]}"#,
    )
    .await;

    assert_eq!(
        offsets.sink(),
        Err(NotSinkOffset {
            index: 1,
            reason: "`kafka_offset` is 18446744073709551615, not a 64-bit integer".to_string(),
        })
    );
}
