//! The tracker and the lines it makes, tested together as a user sees them.

use std::collections::VecDeque;
use std::time::Duration;

use chrono::{DateTime, Utc};
use confluent_connect::{ConnectorOffsets, PartitionOffset, Timestamp};
use serde_json::{Value, json};

use super::lines::{Health, duration_text, live_lines, plain_line};
use super::tracker::{Mark, Tracker, sparkline};

fn object(value: Value) -> serde_json::Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("an object expected, got {other}"),
    }
}

fn entry(partition: Value, offset: Value) -> PartitionOffset {
    PartitionOffset::new(object(partition), object(offset))
        .expect("objects of plain values make an entry")
}

fn sink(at: &str, offsets: &[(i32, i64)]) -> ConnectorOffsets {
    ConnectorOffsets::new(
        offsets
            .iter()
            .map(|(partition, offset)| {
                entry(
                    json!({"kafka_topic": "clicks", "kafka_partition": partition}),
                    json!({"kafka_offset": offset}),
                )
            })
            .collect(),
    )
    .with_name("clicks-sink")
    .with_id("lcc-clickssink")
    .with_observed_at(Timestamp::parse(at))
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-02-20T15:15:00Z")
        .expect("a time")
        .to_utc()
}

#[test]
fn the_first_observation_has_no_rates_and_no_marks() {
    let mut tracker = Tracker::default();
    let frame = tracker.observe(&sink("2024-02-20 15:14:19+00:00", &[(0, 100), (1, 50)]));
    assert_eq!(
        plain_line(&frame, "clicks-sink", now(), None),
        "2024-02-20T15:14:19+00:00 (41s ago) clicks-sink: clicks[0]=100; clicks[1]=50"
    );
}

#[test]
fn rates_are_per_second_of_observation_time_and_a_partition_left_behind_is_stalled() {
    let mut tracker = Tracker::default();
    tracker.observe(&sink("2024-02-20 15:14:19+00:00", &[(0, 100), (1, 50)]));
    let frame = tracker.observe(&sink("2024-02-20 15:14:23+00:00", &[(0, 300), (1, 50)]));
    assert_eq!(
        plain_line(&frame, "clicks-sink", now(), None),
        "2024-02-20T15:14:23+00:00 (37s ago) clicks-sink: clicks[0]=300 +50.0/s; \
         clicks[1]=50 +0.0/s STALLED"
    );
}

#[test]
fn when_nothing_moves_every_partition_is_idle() {
    let mut tracker = Tracker::default();
    tracker.observe(&sink("2024-02-20 15:14:19+00:00", &[(0, 100), (1, 50)]));
    let frame = tracker.observe(&sink("2024-02-20 15:14:21+00:00", &[(0, 100), (1, 50)]));
    let marks: Vec<_> = frame.rows.iter().map(|row| row.mark).collect();
    assert_eq!(marks, [Some(Mark::Idle), Some(Mark::Idle)]);
}

#[test]
fn the_same_observation_again_is_said_to_be_repeated() {
    let mut tracker = Tracker::default();
    tracker.observe(&sink("2024-02-20 15:14:19+00:00", &[(0, 100)]));
    tracker.observe(&sink("2024-02-20 15:14:21+00:00", &[(0, 110)]));
    let frame = tracker.observe(&sink("2024-02-20 15:14:21+00:00", &[(0, 110)]));
    assert!(frame.repeated);
    assert_eq!(frame.rows[0].rate, Some(5.0));
    assert_eq!(
        plain_line(&frame, "clicks-sink", now(), None),
        "2024-02-20T15:14:21+00:00 (39s ago) clicks-sink: no new observation since the \
         previous poll"
    );
}

#[test]
fn a_reset_shows_a_negative_rate() {
    let mut tracker = Tracker::default();
    tracker.observe(&sink("2024-02-20 15:14:19+00:00", &[(0, 100)]));
    let frame = tracker.observe(&sink("2024-02-20 15:14:29+00:00", &[(0, 0)]));
    assert_eq!(frame.rows[0].rate, Some(-10.0));
}

#[test]
fn the_sparkline_scales_to_the_largest_rate() {
    let rates: VecDeque<f64> = [0.0, 10.0, 20.0, 40.0, -5.0].into_iter().collect();
    assert_eq!(sparkline(&rates), "▁▃▅█▁");
}

#[test]
fn the_live_view_has_a_table_with_trends_and_marks() {
    let mut tracker = Tracker::default();
    tracker.observe(&sink("2024-02-20 15:14:19+00:00", &[(0, 100), (4, 50)]));
    tracker.observe(&sink("2024-02-20 15:14:23+00:00", &[(0, 200), (4, 50)]));
    let frame = tracker.observe(&sink("2024-02-20 15:14:27+00:00", &[(0, 400), (4, 50)]));
    let lines = live_lines(
        &frame,
        "clicks-sink",
        Duration::from_secs(5),
        3,
        now(),
        false,
        None,
    );
    assert_eq!(
        lines,
        [
            "clicks-sink: polled every 5s, 3 polls; Ctrl-C to stop",
            "observed 2024-02-20T15:14:27+00:00 (33s ago)",
            "TOPIC   PARTITION  OFFSET  RATE/s  TREND",
            "clicks          0     400   +50.0  ▅█",
            "clicks          4      50    +0.0  ▁▁     STALLED",
        ]
    );
}

#[test]
fn source_offsets_are_shown_as_objects_and_marked_when_unchanged() {
    let source = |at: &str, incrementing: i64| {
        ConnectorOffsets::new(vec![
            entry(json!({"table": "a"}), json!({"incrementing": incrementing})),
            entry(json!({"table": "b"}), json!({"incrementing": 1})),
        ])
        .with_observed_at(Timestamp::parse(at))
    };
    let mut tracker = Tracker::default();
    tracker.observe(&source("2024-02-20 15:14:19+00:00", 1));
    let frame = tracker.observe(&source("2024-02-20 15:14:20+00:00", 4));
    assert_eq!(
        plain_line(&frame, "jdbc-source", now(), None),
        "2024-02-20T15:14:20+00:00 (40s ago) jdbc-source: {\"table\":\"a\"}={\"incrementing\":4}; \
         {\"table\":\"b\"}={\"incrementing\":1} STALLED"
    );
}

#[test]
fn intervals_are_written_in_their_largest_whole_unit() {
    let texts: Vec<String> = [500, 5_000, 120_000, 3_600_000, 1_500]
        .into_iter()
        .map(|ms| duration_text(Duration::from_millis(ms)))
        .collect();
    assert_eq!(texts, ["500ms", "5s", "2m", "1h", "1500ms"]);
}

fn health(status: serde_json::Value) -> Health {
    let status = confluent_connect::ConnectorStatus::from_json(status.to_string().as_bytes())
        .expect("a status body");
    Health::of(&Ok(status))
}

#[test]
fn a_failed_task_shows_in_the_state_line_and_marks_the_partitions_that_stand_still() {
    let mut tracker = Tracker::default();
    tracker.observe(&sink("2024-02-20 15:14:19+00:00", &[(0, 100), (4, 50)]));
    let frame = tracker.observe(&sink("2024-02-20 15:14:23+00:00", &[(0, 200), (4, 50)]));
    let health = health(json!({
        "name": "clicks-sink", "type": "sink",
        "connector": {"state": "DEGRADED", "worker_id": "w1"},
        "tasks": [{"id": 0, "state": "RUNNING", "worker_id": "w1"},
                  {"id": 1, "state": "FAILED", "worker_id": "w1",
                   "msg": "org.apache.kafka.connect.errors.ConnectException: timeout\n\tat A.b"}]
    }));
    let lines = live_lines(
        &frame,
        "clicks-sink",
        Duration::from_secs(5),
        2,
        now(),
        false,
        Some(&health),
    );
    assert_eq!(
        lines[2..4],
        [
            "state DEGRADED, tasks 0:RUNNING 1:FAILED",
            "task 1 FAILED: org.apache.kafka.connect.errors.ConnectException: timeout"
        ]
    );
    assert_eq!(
        lines[6].trim_end(),
        "clicks          4      50    +0.0  ▁      STALLED (task 1 FAILED)"
    );
    assert_eq!(
        plain_line(&frame, "clicks-sink", now(), Some(&health)),
        "2024-02-20T15:14:23+00:00 (37s ago) clicks-sink [DEGRADED, tasks 0:RUNNING 1:FAILED; \
         task 1 FAILED: org.apache.kafka.connect.errors.ConnectException: timeout]: \
         clicks[0]=200 +25.0/s; clicks[4]=50 +0.0/s STALLED (task 1 FAILED)"
    );
}

#[test]
fn a_status_that_cannot_be_read_says_so_and_marks_nothing_more() {
    let error = confluent_connect::Error::Config("no route".to_string());
    let health = Health::of(&Err(error));
    assert_eq!(
        health,
        Health {
            summary: "state unknown (cannot configure the Confluent Cloud client: no route)"
                .to_string(),
            failed: Vec::new(),
        }
    );
}
