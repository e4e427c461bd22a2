//! `snapshot`: many connectors read concurrently into one JSON document.

use crate::common::{World, assert_output, text};

#[test]
fn snapshot_reads_every_listed_connector_into_one_document_in_list_order() {
    let world = World::start();
    world.advance(3);
    let list = "# every connector of the emulator\n\
                env-emu001 lkc-emu001 orders-sink\n\
                env-emu001 lkc-emu001 inventory-jdbc-source\n\
                \n\
                env-emu002 lkc-emu002 payments-sink\n";

    let output = world
        .command()
        .args(["snapshot", "--list", "-", "--concurrency", "2"])
        .write_stdin(list)
        .output()
        .expect("the binary runs");

    assert_output!(text(&output));
}

#[test]
fn snapshot_lists_a_connector_that_fails_with_its_error_keeps_the_others_and_exits_3() {
    let world = World::start();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let list = dir.path().join("connectors.txt");
    std::fs::write(
        &list,
        "env-emu001 lkc-emu001 orders-sink\n\
         env-emu001 lkc-emu001 no-such-sink\n\
         env-emu002 lkc-emu002 payments-sink\n",
    )
    .expect("the list is written");
    let document = dir.path().join("snapshot.json");

    let output = world
        .command()
        .arg("snapshot")
        .arg("--list")
        .arg(&list)
        .arg("--file")
        .arg(&document)
        .output()
        .expect("the binary runs");
    let written = std::fs::read_to_string(&document).expect("the document was written");

    assert_output!(format!("{}\n=== snapshot.json\n{written}", text(&output)));
}

#[test]
fn snapshot_where_no_connector_can_be_read_is_a_failure_with_the_first_error() {
    let world = World::start();

    let output = world
        .command()
        .env("CONFLUENT_CLOUD_API_SECRET", "not-the-secret")
        .args(["snapshot", "--list", "-"])
        .write_stdin("env-emu001 lkc-emu001 orders-sink\nenv-emu002 lkc-emu002 payments-sink\n")
        .output()
        .expect("the binary runs");

    assert_output!(text(&output));
}
