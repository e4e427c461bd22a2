//! The cluster view: `list`, and `snapshot --cluster`.

use serde_json::{Value, json};

use crate::common::{World, assert_output, text};

#[test]
fn list_shows_every_connector_with_its_kind_state_tasks_partitions_and_age() {
    let world = World::start();
    world.fail_task(
        "orders-sink",
        "org.apache.kafka.connect.errors.ConnectException: bucket not found\n\tat S3Sink.put(S3Sink.java:42)",
    );
    world.advance(2);

    assert_output!(world.run(&["list", "env-emu001", "lkc-emu001"]));
}

#[test]
fn list_as_json_has_every_connector_with_its_state_and_offsets_count() {
    let world = World::start();
    world.fail_task("orders-sink", "boom\n\tat somewhere");

    let output = world
        .command()
        .args(["list", "env-emu001", "lkc-emu001", "-o", "json"])
        .output()
        .expect("the binary runs");
    assert!(output.status.success(), "{}", text(&output));
    let mut listed: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    for connector in listed.as_array_mut().expect("an array") {
        let age = connector
            .as_object_mut()
            .and_then(|c| c.remove("observed_age_s"));
        assert!(age.is_some_and(|age| age.is_i64()), "{connector}");
    }
    assert_eq!(
        listed,
        json!([
            {"name": "clicks-sink", "id": "lcc-clickssink", "type": "sink", "state": "RUNNING",
             "tasks": [{"id": 0, "state": "RUNNING"}], "partitions": 8,
             "observed_at": "2024-02-20 15:14:19+00:00"},
            {"name": "inventory-jdbc-source", "id": "lcc-inventoryjdbcsource", "type": "source",
             "state": "RUNNING", "tasks": [{"id": 0, "state": "RUNNING"}], "partitions": 2,
             "observed_at": "2024-02-20 15:14:19+00:00"},
            {"name": "orders-sink", "id": "lcc-orderssink", "type": "sink", "state": "DEGRADED",
             "tasks": [{"id": 0, "state": "FAILED", "trace": "boom\n\tat somewhere"}],
             "partitions": 3, "observed_at": "2024-02-20 15:14:19+00:00"}
        ])
    );
}

#[test]
fn list_of_an_unknown_cluster_is_an_api_error_naming_it() {
    let world = World::start();
    let output = world
        .command()
        .args(["list", "env-emu001", "lkc-nowhere"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1));
    assert_output!(text(&output));
}

#[test]
fn snapshot_of_a_cluster_reads_every_connector_of_it() {
    let world = World::start();
    world.advance(1);

    let output = world
        .command()
        .args(["snapshot", "--cluster", "env-emu002", "lkc-emu002"])
        .output()
        .expect("the binary runs");

    assert_output!(text(&output));
}

#[test]
fn snapshot_without_a_list_or_a_cluster_is_a_usage_error() {
    let world = World::start();
    let output = world
        .command()
        .arg("snapshot")
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2));
    assert_output!(text(&output));
}
