//! `alter`, `reset` and `status`: changing offsets and following the change.

use std::time::Duration;

use crate::common::{World, assert_output, builder, text};

const ORDERS_FILE: &str = r#"{"offsets": [
  {"partition": {"kafka_topic": "orders", "kafka_partition": 1}, "offset": {"kafka_offset": 7}}
]}"#;

#[test]
fn alter_sets_the_listed_partitions_and_waits_until_applied() {
    let world = World::start();
    world.advance(2);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("orders.json");
    std::fs::write(&path, ORDERS_FILE).expect("the file is written");

    let altered = world
        .command()
        .args([
            "alter",
            "env-emu001",
            "lkc-emu001",
            "orders-sink",
            "--wait",
            "--file",
        ])
        .arg(&path)
        .output()
        .expect("the binary runs");
    let after = world.run(&["get", "env-emu001", "lkc-emu001", "orders-sink"]);

    assert_output!(format!("{}\n=== get\n{after}", text(&altered)));
}

#[test]
fn alter_from_standard_input_without_wait_says_how_to_follow_the_change() {
    let world = World::start_with(builder().alter_delay(Duration::from_secs(2)));

    let output = world
        .command()
        .args([
            "alter",
            "env-emu001",
            "lkc-emu001",
            "orders-sink",
            "--file",
            "-",
        ])
        .write_stdin(ORDERS_FILE)
        .output()
        .expect("the binary runs");

    assert_output!(text(&output));
}

#[test]
fn reset_with_yes_and_wait_puts_the_connector_back_at_its_start() {
    let world = World::start();
    world.advance(10);

    let reset = world.run(&[
        "reset",
        "env-emu001",
        "lkc-emu001",
        "orders-sink",
        "--yes",
        "--wait",
    ]);
    let after = world.run(&["get", "env-emu001", "lkc-emu001", "orders-sink"]);

    assert_output!(format!("{reset}\n=== get\n{after}"));
}

#[test]
fn status_shows_the_latest_change_its_phase_and_the_previous_offsets() {
    let world = World::start_with(builder().alter_delay(Duration::from_secs(2)));
    world.advance(4);
    world
        .command()
        .args([
            "alter",
            "env-emu001",
            "lkc-emu001",
            "orders-sink",
            "--file",
            "-",
        ])
        .write_stdin(ORDERS_FILE)
        .assert()
        .success();

    let pending = world.run(&["status", "env-emu001", "lkc-emu001", "orders-sink"]);
    world.advance(2);
    let applied = world.run(&["status", "env-emu001", "lkc-emu001", "orders-sink"]);

    assert_output!(format!("{pending}\n=== 2 s later\n{applied}"));
}

#[test]
fn status_as_json_uses_the_apis_shape_and_words() {
    let world = World::start();
    world
        .command()
        .args(["reset", "env-emu001", "lkc-emu001", "clicks-sink", "--yes"])
        .assert()
        .success();

    assert_output!(world.run(&[
        "status",
        "env-emu001",
        "lkc-emu001",
        "clicks-sink",
        "-o",
        "json"
    ]));
}

#[test]
fn status_of_a_connector_never_changed_says_so_in_its_hint() {
    let world = World::start();

    assert_output!(world.run(&["status", "env-emu001", "lkc-emu001", "orders-sink"]));
}

#[test]
fn alter_wait_does_not_take_an_earlier_resets_applied_for_its_own() {
    let world = World::start_with(builder().alter_status_lag(Duration::from_secs(60)));
    world.run(&["reset", "env-emu001", "lkc-emu001", "orders-sink", "--yes"]);
    world.advance(1);

    let output = world
        .command()
        .args(["alter", "env-emu001", "lkc-emu001", "orders-sink"])
        .args(["--file", "-", "--wait", "--timeout", "1s"])
        .write_stdin(ORDERS_FILE)
        .output()
        .expect("the binary runs");

    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(
            "error: gave up waiting for the offsets change of connector orders-sink after "
        ) && stderr.contains(
            " s: the status still shows an earlier change (requested at \
             2024-02-20T15:14:19+0000, APPLIED)"
        ),
        "{stderr}"
    );
}
