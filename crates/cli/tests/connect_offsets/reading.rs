//! `get` and `export`: a connector's offsets as a table, JSON, YAML or an offsets file.

use connect_emulator::{DEFAULT_API_KEY, DEFAULT_API_SECRET};

use crate::common::{
    World, assert_output, builder_with, get_against_a_server_answering_with, text,
};

#[test]
fn get_shows_a_sink_as_topic_partition_and_offset_with_its_observation_time() {
    let world = World::start();
    world.advance(10);

    assert_output!(world.run(&["get", "env-emu001", "lkc-emu001", "clicks-sink"]));
}

#[test]
fn get_shows_a_source_as_its_partition_and_offset_objects() {
    let world = World::start();

    assert_output!(world.run(&["get", "env-emu001", "lkc-emu001", "inventory-jdbc-source"]));
}

#[test]
fn get_as_json_prints_the_values_exactly_as_the_service_sent_them() {
    let world = World::start();
    world.advance(2);

    assert_output!(world.run(&[
        "get",
        "env-emu001",
        "lkc-emu001",
        "orders-sink",
        "-o",
        "json"
    ]));
}

#[test]
fn get_as_yaml_prints_a_source_connectors_objects() {
    let world = World::start();

    assert_output!(world.run(&[
        "get",
        "env-emu001",
        "lkc-emu001",
        "inventory-jdbc-source",
        "--output",
        "yaml"
    ]));
}

#[test]
fn export_to_standard_output_prints_the_offsets_file_alone() {
    let world = World::start();
    world.advance(4);

    assert_output!(world.run(&[
        "export",
        "env-emu002",
        "lkc-emu002",
        "payments-sink",
        "--file",
        "-"
    ]));
}

#[test]
fn export_to_a_path_writes_the_offsets_file_and_says_so() {
    let world = World::start();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("payments.json");
    let written_to_stdout = world
        .command()
        .args([
            "export",
            "env-emu002",
            "lkc-emu002",
            "payments-sink",
            "--file",
            "-",
        ])
        .output()
        .expect("the binary runs");

    let output = world
        .command()
        .current_dir(dir.path())
        .args([
            "export",
            "env-emu002",
            "lkc-emu002",
            "payments-sink",
            "--file",
            "payments.json",
        ])
        .output()
        .expect("the binary runs");

    assert_output!(text(&output));
    assert_eq!(
        std::fs::read(&path).expect("the file was written"),
        written_to_stdout.stdout
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("the directory lists")
        .map(|entry| entry.expect("an entry").file_name())
        .collect();
    assert_eq!(left, ["payments.json"], "no temporary file is left behind");
}

#[test]
fn get_as_json_keeps_every_value_exactly_even_beyond_what_a_float_holds() {
    let config = serde_json::from_value(serde_json::json!({
        "credentials": [{"api_key": DEFAULT_API_KEY, "api_secret": DEFAULT_API_SECRET}],
        "environments": [{"id": "env-exact", "clusters": [{"id": "lkc-exact", "connectors": [{
            "name": "cdc-source",
            "source": {"partitions": [{
                "partition": {"server": "db1", "shard": 18446744073709551615_u64},
                "offset": {
                    "lsn": 9007199254740993_u64,
                    "min": -9223372036854775808_i64,
                    "ratio": 0.1,
                    "snapshot": false,
                    "gtids": ["3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5"]
                }
            }]}
        }]}]}]
    }))
    .expect("a valid emulator configuration");
    let world = World::start_with(builder_with(config));

    assert_output!(world.run(&["get", "env-exact", "lkc-exact", "cdc-source", "-o", "json"]));
}

/// The default world, observed every minute, its clock `seconds` past the last observation.
fn world_observed_seconds_ago(seconds: u64) -> World {
    let world = World::start_with(
        crate::common::builder().observation_interval(std::time::Duration::from_secs(60)),
    );
    world.advance(seconds);
    world
}

#[test]
fn get_with_max_age_met_prints_the_offsets_without_a_warning() {
    let world = world_observed_seconds_ago(20);

    let output = world
        .command()
        .args([
            "get",
            "env-emu001",
            "lkc-emu001",
            "orders-sink",
            "-o",
            "json",
        ])
        .args(["--max-age", "30s"])
        .output()
        .expect("the binary runs");

    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert!(String::from_utf8_lossy(&output.stdout).contains("\"offsets\""));
}

#[test]
fn get_with_max_age_not_met_prints_the_freshest_offsets_and_warns_how_old_they_are() {
    let world = world_observed_seconds_ago(50);

    let output = world
        .command()
        .args([
            "get",
            "env-emu001",
            "lkc-emu001",
            "orders-sink",
            "-o",
            "json",
        ])
        .args(["--max-age", "30s", "--max-age-wait", "1500ms"])
        .output()
        .expect("the binary runs");

    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("\"offsets\""));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "warning: these offsets were observed 50s before the service answered, longer than \
         --max-age 30s (2 reads in --max-age-wait 1500ms); they are the freshest read\n"
    );
}

#[test]
fn export_with_max_age_not_met_writes_the_file_and_warns() {
    let world = world_observed_seconds_ago(50);

    let output = world
        .command()
        .args([
            "export",
            "env-emu001",
            "lkc-emu001",
            "orders-sink",
            "--file",
            "-",
        ])
        .args(["--max-age", "30s", "--max-age-wait", "100ms"])
        .output()
        .expect("the binary runs");

    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("{\n  \"offsets\": ["));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "warning: these offsets were observed 50s before the service answered, longer than \
         --max-age 30s (1 read in --max-age-wait 100ms); they are the freshest read\n"
    );
}

/// An offsets answer with fields the spec does not have: at the top, in `metadata` and in an
/// entry, holding an integer that no float holds.
const GROWN_ANSWER: &str = r#"{"kind":"ConnectorOffsets","name":"orders-sink","id":"lcc-1","offsets":[{"partition":{"kafka_topic":"t","kafka_partition":0},"offset":{"kafka_offset":18446744073709551615},"lag":{"records":3}}],"metadata":{"observed_at":"2024-02-20 15:14:19+00:00","observer":"worker-7"},"zeta":[1,null,true]}"#;

#[test]
fn get_as_json_prints_the_answer_whole_with_the_fields_the_spec_lacks_in_the_order_sent() {
    let output = get_against_a_server_answering_with(GROWN_ANSWER, &["-o", "json"]);

    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        r#"{
  "kind": "ConnectorOffsets",
  "name": "orders-sink",
  "id": "lcc-1",
  "offsets": [
    {
      "partition": {
        "kafka_topic": "t",
        "kafka_partition": 0
      },
      "offset": {
        "kafka_offset": 18446744073709551615
      },
      "lag": {
        "records": 3
      }
    }
  ],
  "metadata": {
    "observed_at": "2024-02-20 15:14:19+00:00",
    "observer": "worker-7"
  },
  "zeta": [
    1,
    null,
    true
  ]
}
"#
    );
}

#[test]
fn get_as_yaml_prints_the_answer_whole_with_the_fields_the_spec_lacks() {
    let output = get_against_a_server_answering_with(GROWN_ANSWER, &["-o", "yaml"]);

    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let printed: serde_json::Value =
        serde_norway::from_slice(&output.stdout).expect("the output is YAML");
    let sent: serde_json::Value = serde_json::from_str(GROWN_ANSWER).expect("JSON");
    assert_eq!(printed, sent);
}
