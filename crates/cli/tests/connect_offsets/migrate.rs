//! `migrate`: from the emulator's self-managed Kafka Connect worker (or an offsets file) into
//! the emulated Confluent Cloud, with exact offsets.

use serde_json::Value;

use crate::common::{World, assert_output, builder, text};

fn world() -> World {
    World::start_with(builder().self_managed_worker(0))
}

/// The state of a connector on the self-managed worker.
fn worker_state(world: &World, name: &str) -> String {
    let url = format!("{}/connectors/{name}/status", world.worker_url());
    world.block_on(async {
        let status: Value = reqwest::get(&url)
            .await
            .expect("the worker answers")
            .json()
            .await
            .expect("JSON");
        status["connector"]["state"]
            .as_str()
            .expect("a state")
            .to_owned()
    })
}

fn migrate(world: &World, target: &str, extra: &[&str]) -> std::process::Output {
    world
        .command()
        .env("CONFLUENT_KAFKA_API_KEY", "MANAGEDKAFKAKEY1")
        .env("CONFLUENT_KAFKA_API_SECRET", "managed-kafka-secret")
        .args(["migrate", "env-emu001", "lkc-emu001", target])
        .args(["--from-worker", world.worker_url()])
        .args(extra)
        .output()
        .expect("the binary runs")
}

#[test]
fn migrate_creates_the_managed_connector_with_the_exact_offsets_and_stops_the_source_first() {
    let world = world();
    let output = migrate(
        &world,
        "orders-sink-managed",
        &[
            "--source-connector",
            "legacy-orders-sink",
            "--set",
            "connector.class=S3_SINK",
        ],
    );
    assert_eq!(worker_state(&world, "legacy-orders-sink"), "STOPPED");
    assert_output!(text(&output).replace(world.worker_url(), "[WORKER]"));
}

#[test]
fn migrate_keep_source_leaves_the_self_managed_connector_running() {
    let world = world();
    let output = migrate(
        &world,
        "jdbc-managed",
        &[
            "--source-connector",
            "legacy-jdbc-source",
            "--set",
            "connector.class=MySqlSource",
            "--mode",
            "keep-source",
        ],
    );
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(worker_state(&world, "legacy-jdbc-source"), "RUNNING");
    assert_output!(text(&output));
}

#[test]
fn migrate_without_the_kafka_credentials_is_refused_naming_them_and_changes_nothing() {
    let world = world();
    let output = world
        .command()
        .args(["migrate", "env-emu001", "lkc-emu001", "orders-sink-managed"])
        .args(["--from-worker", world.worker_url()])
        .args(["--source-connector", "legacy-orders-sink"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(worker_state(&world, "legacy-orders-sink"), "RUNNING");
    let names = world.run(&["list", "env-emu001", "lkc-emu001", "-o", "json"]);
    assert!(!names.contains("orders-sink-managed"), "{names}");
    assert_output!(text(&output));
}

#[test]
fn migrate_dry_run_prints_the_plan_with_secrets_masked_and_changes_nothing() {
    let world = world();
    let output = migrate(
        &world,
        "orders-sink-managed",
        &[
            "--source-connector",
            "legacy-orders-sink",
            "--set",
            "connector.class=S3_SINK",
            "--dry-run",
        ],
    );
    let shown = text(&output);
    for secret in ["self-managed-aws-secret", "managed-kafka-secret"] {
        assert!(!shown.contains(secret), "{secret} shown");
    }
    assert_eq!(worker_state(&world, "legacy-orders-sink"), "RUNNING");
    let names = world.run(&["list", "env-emu001", "lkc-emu001", "-o", "json"]);
    assert!(!names.contains("orders-sink-managed"), "{names}");
    assert_output!(shown);
}

#[test]
fn migrate_into_an_existing_connector_sets_its_offsets() {
    let world = world();
    let output = migrate(
        &world,
        "orders-sink",
        &[
            "--source-connector",
            "legacy-orders-sink",
            "--mode",
            "keep-source",
        ],
    );
    assert_output!(text(&output));
}

#[test]
fn migrate_from_an_offsets_file_with_a_config_file_creates_the_connector() {
    let world = world();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let offsets = dir.path().join("offsets.json");
    std::fs::write(
        &offsets,
        r#"{"offsets": [{"partition": {"kafka_topic": "clicks", "kafka_partition": 0},
                          "offset": {"kafka_offset": 18446744073709551615}}]}"#,
    )
    .expect("written");
    let config = dir.path().join("managed.json");
    std::fs::write(
        &config,
        r#"{"connector.class": "S3_SINK", "topics": "clicks", "kafka.api.key": "FILEKAFKAKEY0001"}"#,
    )
    .expect("written");
    let output = world
        .command()
        .env("CONFLUENT_KAFKA_API_SECRET", "file-kafka-secret")
        .args(["migrate", "env-emu001", "lkc-emu001", "clicks-from-file"])
        .arg("--from-file")
        .arg(&offsets)
        .arg("--config")
        .arg(&config)
        .output()
        .expect("the binary runs");
    assert_output!(text(&output));
}

#[test]
fn migrate_from_an_unknown_source_connector_is_a_runtime_error_naming_it() {
    let world = world();
    let output = migrate(&world, "x-managed", &["--source-connector", "no-such"]);
    assert_eq!(output.status.code(), Some(1));
    assert_output!(text(&output).replace(world.worker_url(), "[WORKER]"));
}
