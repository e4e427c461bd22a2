//! Changing offsets through the facade, against the emulator: alter (PATCH), reset (DELETE),
//! the request's status, waiting for it, the checks made before sending, and the rules the
//! service enforces.

use std::time::Duration;

use chrono::{DateTime, Utc};
use confluent_connect::{
    AlterKind, AlterPhase, Client, Error, OffsetsFile, PartitionOffset, SinkOffset, StatusCode,
    WaitOptions,
};
use connect_emulator::{
    Cluster, Config, ConnectorSpec, Credential, DEFAULT_API_KEY, DEFAULT_API_SECRET, Emulator,
    EmulatorBuilder, Environment, SinkSpec, TopicSpec,
};
use serde_json::{Value, json};

const ENV: &str = "env-emu001";
const CLUSTER: &str = "lkc-emu001";
const ALTER_DELAY: Duration = Duration::from_secs(2);

fn start_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-02-20T15:14:19Z")
        .expect("a valid time")
        .to_utc()
}

/// The default world on a clock that stands still, observed every second, changes applied
/// [`ALTER_DELAY`] after they are asked for.
fn frozen() -> EmulatorBuilder {
    frozen_with(Config::default())
}

/// [`frozen`], serving `config`.
fn frozen_with(config: Config) -> EmulatorBuilder {
    Emulator::builder()
        .config(config)
        .manual_clock(start_time())
        .observation_interval(Duration::from_secs(1))
        .alter_delay(ALTER_DELAY)
}

async fn start(builder: EmulatorBuilder) -> Emulator {
    builder.start().await.expect("the emulator starts")
}

/// A client for `emulator` with its default key, sending each request once.
pub(super) fn client(emulator: &Emulator) -> Client {
    Client::builder()
        .api_key(DEFAULT_API_KEY, DEFAULT_API_SECRET)
        .base_url(emulator.base_url())
        .retry_policy(confluent_connect::RetryPolicy::none())
        .build()
        .expect("a client for the emulator")
}

/// An offsets entry of two JSON objects.
pub(super) fn entry(partition: Value, offset: Value) -> PartitionOffset {
    match (partition, offset) {
        (Value::Object(partition), Value::Object(offset)) => {
            PartitionOffset::new(partition, offset).expect("objects of plain values make an entry")
        }
        other => panic!("objects expected, got {other:?}"),
    }
}

fn sink_entry(topic: &str, partition: i64, offset: i64) -> PartitionOffset {
    entry(
        json!({"kafka_topic": topic, "kafka_partition": partition}),
        json!({"kafka_offset": offset}),
    )
}

fn sink(topic: &str, partition: i32, offset: i64) -> SinkOffset {
    SinkOffset {
        topic: topic.to_owned(),
        partition,
        offset,
    }
}

fn advance(emulator: &Emulator, by: Duration) {
    emulator.advance_clock(by).expect("a manual clock moves");
}

async fn sink_offsets(client: &Client, name: &str) -> Vec<SinkOffset> {
    client
        .connector(ENV, CLUSTER, name)
        .offsets()
        .await
        .expect("offsets")
        .sink()
        .expect("a sink connector")
}

fn invalid_reason(error: Error) -> String {
    match error {
        Error::InvalidArgument { reason, .. } => reason,
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
}

fn api_message(error: Error) -> (StatusCode, Option<String>) {
    match error {
        Error::Api(api) => (api.status, api.message),
        other => panic!("expected the documented error body, got {other:?}"),
    }
}

#[tokio::test]
async fn an_alter_request_is_answered_with_what_was_asked_and_when() {
    let emulator = start(frozen()).await;
    let connector = client(&emulator).connector(ENV, CLUSTER, "orders-sink");

    let request = connector
        .alter_offsets(&[sink_entry("orders", 1, 7)])
        .await
        .expect("the change is accepted");

    assert_eq!(request.connector_id, "lcc-orderssink");
    assert_eq!(request.name, "orders-sink");
    assert_eq!(request.kind, AlterKind::Patch);
    assert_eq!(request.offsets, [sink_entry("orders", 1, 7)]);
    assert_eq!(request.requested_at.raw(), "2024-02-20T15:14:19+0000");
}

#[tokio::test]
async fn a_change_is_pending_until_the_delay_then_applied_with_the_previous_offsets() {
    let emulator = start(frozen()).await;
    let connector = client(&emulator).connector(ENV, CLUSTER, "orders-sink");
    advance(&emulator, Duration::from_secs(4));
    connector
        .alter_offsets(&[sink_entry("orders", 1, 7)])
        .await
        .expect("accepted");

    let pending = connector.alter_status().await.expect("a status");
    advance(&emulator, ALTER_DELAY);
    let applied = connector.alter_status().await.expect("a status");

    assert_eq!(
        (pending.phase, pending.applied_at),
        (AlterPhase::Pending, None)
    );
    assert_eq!(applied.phase, AlterPhase::Applied);
    assert_eq!(
        applied.message.as_deref(),
        Some("The offsets of connector orders-sink were updated.")
    );
    assert_eq!(
        applied.applied_at.as_ref().map(|t| t.raw()),
        Some("2024-02-20T15:14:25+0000")
    );
    assert_eq!(
        applied.previous_offsets,
        [
            sink_entry("orders", 0, 1020),
            sink_entry("orders", 1, 1020),
            sink_entry("orders", 2, 1020)
        ]
    );
}

#[tokio::test]
async fn a_patch_sets_the_listed_partitions_and_leaves_the_others_moving() {
    let emulator = start(frozen()).await;
    let client = client(&emulator);
    client
        .connector(ENV, CLUSTER, "orders-sink")
        .alter_offsets(&[sink_entry("orders", 1, 7)])
        .await
        .expect("accepted");

    advance(&emulator, ALTER_DELAY + Duration::from_secs(2));

    // orders: from 1000 at 5 records/s; stopped for the 2 s of the change, then 2 s more.
    assert_eq!(
        sink_offsets(&client, "orders-sink").await,
        [
            sink("orders", 0, 1010),
            sink("orders", 1, 17),
            sink("orders", 2, 1010)
        ]
    );
}

#[tokio::test]
async fn offsets_stand_still_while_a_change_is_pending() {
    let emulator = start(frozen()).await;
    let client = client(&emulator);
    advance(&emulator, Duration::from_secs(1));
    client
        .connector(ENV, CLUSTER, "orders-sink")
        .alter_offsets(&[sink_entry("orders", 0, 0)])
        .await
        .expect("accepted");

    advance(&emulator, ALTER_DELAY - Duration::from_secs(1));

    assert_eq!(
        sink_offsets(&client, "orders-sink").await,
        [
            sink("orders", 0, 1005),
            sink("orders", 1, 1005),
            sink("orders", 2, 1005)
        ]
    );
}

#[tokio::test]
async fn a_second_change_while_one_is_pending_is_refused_with_400() {
    let emulator = start(frozen()).await;
    let connector = client(&emulator).connector(ENV, CLUSTER, "orders-sink");
    connector
        .alter_offsets(&[sink_entry("orders", 0, 1)])
        .await
        .expect("accepted");

    let error = connector
        .reset_offsets()
        .await
        .expect_err("one change at a time");

    assert_eq!(
        api_message(error),
        (
            StatusCode::BAD_REQUEST,
            Some(
                "An offsets change is already in progress for connector orders-sink; wait until its status (GET .../offsets/request/status) is APPLIED or FAILED, then ask again."
                    .to_owned()
            )
        )
    );
}

#[tokio::test]
async fn a_new_change_is_accepted_once_the_last_one_is_over() {
    let emulator = start(frozen()).await;
    let connector = client(&emulator).connector(ENV, CLUSTER, "orders-sink");
    connector
        .alter_offsets(&[sink_entry("orders", 0, 1)])
        .await
        .expect("accepted");
    advance(&emulator, ALTER_DELAY);

    let second = connector.reset_offsets().await.expect("accepted");

    assert_eq!(second.kind, AlterKind::Delete);
}

#[tokio::test]
async fn a_reset_puts_every_partition_back_to_its_start() {
    let emulator = start(frozen()).await;
    let client = client(&emulator);
    advance(&emulator, Duration::from_secs(60));
    let request = client
        .connector(ENV, CLUSTER, "orders-sink")
        .reset_offsets()
        .await
        .expect("accepted");

    advance(&emulator, ALTER_DELAY);

    assert_eq!(
        (request.kind, request.offsets.len()),
        (AlterKind::Delete, 0)
    );
    assert_eq!(
        sink_offsets(&client, "orders-sink").await,
        [
            sink("orders", 0, 1000),
            sink("orders", 1, 1000),
            sink("orders", 2, 1000)
        ]
    );
}

#[tokio::test]
async fn a_partition_the_topic_lacks_fails_with_the_reason() {
    let emulator = start(frozen()).await;
    let connector = client(&emulator).connector(ENV, CLUSTER, "orders-sink");
    connector
        .alter_offsets(&[sink_entry("orders", 9, 1)])
        .await
        .expect("accepted: the service finds out later");
    advance(&emulator, ALTER_DELAY);

    let error = connector
        .wait_for_alter(WaitOptions::default().with_timeout(Duration::from_secs(5)))
        .await
        .expect_err("the change fails");

    match error {
        Error::AlterFailed {
            connector,
            message,
            status,
        } => {
            assert_eq!(connector, "orders-sink");
            assert_eq!(
                message.as_deref(),
                Some("Entry 0: topic orders has no partition 9 (it has partitions 0 to 2).")
            );
            assert_eq!(
                (status.phase, status.applied_at),
                (AlterPhase::Failed, None)
            );
        }
        other => panic!("expected AlterFailed, got {other:?}"),
    }
}

#[tokio::test]
async fn a_failed_change_leaves_the_offsets_as_they_were() {
    let emulator = start(frozen()).await;
    let client = client(&emulator);
    client
        .connector(ENV, CLUSTER, "orders-sink")
        .alter_offsets(&[sink_entry("payments", 0, 1)])
        .await
        .expect("accepted");

    advance(&emulator, ALTER_DELAY);

    assert_eq!(
        sink_offsets(&client, "orders-sink").await,
        [
            sink("orders", 0, 1000),
            sink("orders", 1, 1000),
            sink("orders", 2, 1000)
        ]
    );
}

#[tokio::test]
async fn wait_for_alter_returns_the_applied_status() {
    let emulator = start(
        Emulator::builder()
            .observation_interval(Duration::from_millis(100))
            .alter_delay(Duration::from_millis(300)),
    )
    .await;
    let connector = client(&emulator).connector(ENV, CLUSTER, "clicks-sink");
    connector
        .alter_offsets(&[sink_entry("clicks", 2, 99)])
        .await
        .expect("accepted");

    let status = connector
        .wait_for_alter(
            WaitOptions::default()
                .with_timeout(Duration::from_secs(20))
                .with_initial_interval(Duration::from_millis(50))
                .with_max_interval(Duration::from_millis(200)),
        )
        .await
        .expect("the change applies");

    assert_eq!(status.phase, AlterPhase::Applied);
    assert_eq!(status.request.offsets, [sink_entry("clicks", 2, 99)]);
    assert!(status.applied_at.is_some());
}

#[tokio::test]
async fn wait_for_alter_gives_up_at_its_timeout_with_the_last_phase() {
    let emulator = start(frozen()).await;
    let connector = client(&emulator).connector(ENV, CLUSTER, "orders-sink");
    connector
        .alter_offsets(&[sink_entry("orders", 0, 1)])
        .await
        .expect("accepted");

    let error = connector
        .wait_for_alter(
            WaitOptions::default()
                .with_timeout(Duration::from_millis(300))
                .with_initial_interval(Duration::from_millis(50))
                .with_max_interval(Duration::from_millis(100)),
        )
        .await
        .expect_err("the frozen clock never applies it");

    match error {
        Error::AlterTimedOut {
            connector, phase, ..
        } => {
            assert_eq!(
                (connector.as_str(), phase),
                ("orders-sink", AlterPhase::Pending)
            );
        }
        other => panic!("expected AlterTimedOut, got {other:?}"),
    }
}

#[tokio::test]
async fn the_status_before_any_change_is_404() {
    let emulator = start(frozen()).await;

    let error = client(&emulator)
        .connector(ENV, CLUSTER, "orders-sink")
        .alter_status()
        .await
        .expect_err("nothing was asked");

    assert_eq!(
        api_message(error),
        (
            StatusCode::NOT_FOUND,
            Some("No offsets change was ever requested for connector \"orders-sink\".".to_owned())
        )
    );
}

/// Why the facade refuses to send `entries` to orders-sink; panics unless it refused and the
/// emulator saw no change requested.
async fn refused_before_sending(entries: &[PartitionOffset]) -> String {
    let emulator = start(frozen()).await;
    let connector = client(&emulator).connector(ENV, CLUSTER, "orders-sink");

    let reason = invalid_reason(connector.alter_offsets(entries).await.expect_err("refused"));

    assert_eq!(
        connector
            .alter_status()
            .await
            .expect_err("nothing was sent, so there is no status")
            .status(),
        Some(StatusCode::NOT_FOUND)
    );
    reason
}

#[tokio::test]
async fn an_empty_patch_is_refused_and_nothing_is_sent() {
    assert_eq!(
        refused_before_sending(&[]).await,
        "a PATCH needs at least one entry; to reset every partition, use Connector::reset_offsets"
    );
}

#[tokio::test]
async fn a_negative_partition_is_refused_and_nothing_is_sent() {
    assert_eq!(
        refused_before_sending(&[sink_entry("orders", 0, 5), sink_entry("orders", -1, 5)]).await,
        "entry 1: the kafka_partition is -1; it must not be negative"
    );
}

#[tokio::test]
async fn a_negative_offset_is_refused_and_nothing_is_sent() {
    assert_eq!(
        refused_before_sending(&[sink_entry("orders", 2, -3)]).await,
        "entry 0: the kafka_offset is -3; it must not be negative"
    );
}

#[tokio::test]
async fn the_same_partition_twice_is_refused_and_nothing_is_sent() {
    assert_eq!(
        refused_before_sending(&[sink_entry("orders", 2, 1), sink_entry("orders", 2, 9)]).await,
        "entry 1: the same partition as entry 0; list each partition once"
    );
}

#[tokio::test]
async fn a_source_offset_is_replaced_exactly_and_advances_from_there() {
    let emulator = start(frozen()).await;
    let client = client(&emulator);
    let connector = client.connector(ENV, CLUSTER, "inventory-jdbc-source");
    let big = 9_007_199_254_740_993_u64;
    connector
        .alter_offsets(&[entry(
            json!({"protocol": 1, "table": "inventory.stock"}),
            json!({"timestamp": big, "timestamp_nanos": 5, "incrementing": 1}),
        )])
        .await
        .expect("accepted");

    advance(&emulator, ALTER_DELAY + Duration::from_secs(1));
    let offsets = connector.offsets().await.expect("offsets");

    assert_eq!(
        json!(offsets.offsets[1].offset()),
        json!({"timestamp": big + 1000, "timestamp_nanos": 5, "incrementing": 4})
    );
}

#[tokio::test]
async fn a_source_partition_the_connector_lacks_fails() {
    let emulator = start(frozen()).await;
    let connector = client(&emulator).connector(ENV, CLUSTER, "inventory-jdbc-source");
    connector
        .alter_offsets(&[entry(json!({"table": "nope"}), json!({"incrementing": 1}))])
        .await
        .expect("accepted");
    advance(&emulator, ALTER_DELAY);

    let status = connector.alter_status().await.expect("a status");

    assert_eq!(status.phase, AlterPhase::Failed);
    assert_eq!(
        status.message.as_deref(),
        Some(
            "Entry 0: connector inventory-jdbc-source has no source partition {\"table\":\"nope\"}."
        )
    );
}

/// Connector A has run a while; B, its replacement, has not started.
fn migration_world() -> Config {
    let sink = |name: &str, start_offset, rate_per_second| ConnectorSpec {
        name: name.to_owned(),
        id: None,
        sink: Some(SinkSpec {
            topics: vec![TopicSpec {
                name: "orders".to_owned(),
                partitions: 3,
                start_offset,
                rate_per_second,
                stalled_partitions: vec![1],
            }],
        }),
        source: None,
        faults: None,
    };
    Config {
        credentials: vec![Credential::api_key(DEFAULT_API_KEY, DEFAULT_API_SECRET)],
        environments: vec![Environment {
            id: ENV.to_owned(),
            clusters: vec![Cluster {
                id: CLUSTER.to_owned(),
                connectors: vec![
                    sink("self-managed-sink", 48_000, 12.5),
                    sink("managed-sink", 0, 0.0),
                ],
            }],
        }],
        ..Config::default()
    }
}

#[tokio::test]
async fn offsets_exported_to_a_file_and_imported_into_another_connector_arrive_exactly() {
    let emulator = start(frozen_with(migration_world())).await;
    let client = client(&emulator);
    advance(&emulator, Duration::from_secs(40));
    let from = client.connector(ENV, CLUSTER, "self-managed-sink");
    let to = client.connector(ENV, CLUSTER, "managed-sink");
    let directory = tempfile::tempdir().expect("a temp dir");
    let file = directory.path().join("self-managed-sink.offsets.json");

    let exported = from.offsets().await.expect("A's offsets");
    OffsetsFile::from(&exported).write(&file).expect("export");
    let imported_file = OffsetsFile::read(&file).expect("import");
    to.alter_offsets(&imported_file.offsets)
        .await
        .expect("accepted");
    advance(&emulator, ALTER_DELAY);
    let status = to
        .wait_for_alter(WaitOptions::default())
        .await
        .expect("applied");
    let arrived = to.offsets().await.expect("B's offsets");

    assert_eq!(status.phase, AlterPhase::Applied);
    assert_eq!(arrived.offsets, exported.offsets);
    assert_eq!(
        arrived.sink().expect("sink"),
        [
            sink("orders", 0, 48_500),
            sink("orders", 1, 48_000),
            sink("orders", 2, 48_500)
        ]
    );
}

/// Quick polling within `timeout`.
fn polling_for(timeout: Duration) -> WaitOptions {
    WaitOptions::default()
        .with_timeout(timeout)
        .with_initial_interval(Duration::from_millis(20))
        .with_max_interval(Duration::from_millis(50))
}

/// The emulator applying changes at once, whose status shows the change before the latest for
/// 10 s of its clock after the latest is asked for; `clicks-sink` has a reset applied, and a
/// `PATCH` just asked for (returned).
async fn lagging_status_with_an_earlier_reset_applied() -> (Emulator, PartitionOffset) {
    let emulator = start(
        frozen()
            .alter_delay(Duration::ZERO)
            .alter_status_lag(Duration::from_secs(10)),
    )
    .await;
    let connector = client(&emulator).connector(ENV, CLUSTER, "clicks-sink");
    connector
        .reset_offsets()
        .await
        .expect("the reset is accepted");
    advance(&emulator, Duration::from_secs(11));
    let status = connector.alter_status().await.expect("the status");
    assert_eq!(
        (&status.request.kind, &status.phase),
        (&AlterKind::Delete, &AlterPhase::Applied)
    );
    advance(&emulator, Duration::from_secs(1));
    (emulator, sink_entry("clicks", 2, 99))
}

#[tokio::test]
async fn a_lagging_status_shows_the_earlier_change_which_wait_for_alter_takes() {
    let (emulator, entry) = lagging_status_with_an_earlier_reset_applied().await;
    let connector = client(&emulator).connector(ENV, CLUSTER, "clicks-sink");
    connector
        .alter_offsets(std::slice::from_ref(&entry))
        .await
        .expect("the patch is accepted");

    let status = connector
        .wait_for_alter(polling_for(Duration::from_secs(5)))
        .await
        .expect("an APPLIED status");

    // What wait_for_alter_of guards against: the reset's APPLIED, not the patch's.
    assert_eq!(status.request.kind, AlterKind::Delete);
}

#[tokio::test]
async fn wait_for_alter_of_never_takes_the_earlier_changes_applied_for_its_own() {
    let (emulator, entry) = lagging_status_with_an_earlier_reset_applied().await;
    let connector = client(&emulator).connector(ENV, CLUSTER, "clicks-sink");
    let request = connector
        .alter_offsets(std::slice::from_ref(&entry))
        .await
        .expect("the patch is accepted");

    let error = connector
        .wait_for_alter_of(&request, polling_for(Duration::from_millis(300)))
        .await
        .expect_err("the status shows only the earlier change");

    let Error::AlterNotSeen { seen, .. } = &error else {
        panic!("expected AlterNotSeen, got {error:?}");
    };
    assert_eq!(
        (&seen.request.kind, &seen.phase),
        (&AlterKind::Delete, &AlterPhase::Applied)
    );
}

#[tokio::test]
async fn wait_for_alter_of_returns_its_own_change_once_the_status_shows_it() {
    let (emulator, entry) = lagging_status_with_an_earlier_reset_applied().await;
    let connector = client(&emulator).connector(ENV, CLUSTER, "clicks-sink");
    let request = connector
        .alter_offsets(std::slice::from_ref(&entry))
        .await
        .expect("the patch is accepted");

    let (status, ()) = tokio::join!(
        connector.wait_for_alter_of(&request, polling_for(Duration::from_secs(10))),
        async {
            tokio::time::sleep(Duration::from_millis(200)).await;
            advance(&emulator, Duration::from_secs(10));
        }
    );

    let status = status.expect("the patch's own status");
    assert_eq!(
        (&status.request.kind, &status.phase),
        (&AlterKind::Patch, &AlterPhase::Applied)
    );
    assert_eq!(status.request.offsets, [entry]);
}
