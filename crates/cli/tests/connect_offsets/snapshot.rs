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

#[cfg(unix)]
#[test]
fn snapshot_into_a_named_pipe_writes_through_it_and_leaves_the_pipe() {
    use std::os::unix::fs::FileTypeExt;
    let world = World::start();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("snapshot.json");
    let pipe = dir.path().join("snapshot.pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("mkfifo (coreutils) runs");
    assert!(made.success());
    let (sender, received) = std::sync::mpsc::channel();
    let reader_path = pipe.clone();
    std::thread::spawn(move || {
        let content = std::fs::read(&reader_path).unwrap_or_default();
        let _ = sender.send(content);
    });
    let snapshot_into = |target: &std::path::Path| {
        world
            .command()
            .args(["snapshot", "--list", "-", "--file"])
            .arg(target)
            .write_stdin("env-emu001 lkc-emu001 orders-sink\n")
            .output()
            .expect("the binary runs")
    };

    let into_file = snapshot_into(&file);
    let into_pipe = snapshot_into(&pipe);

    assert_eq!(into_pipe.status.code(), Some(0), "{}", text(&into_pipe));
    let through_pipe = received
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("the reader of the pipe got the document");
    assert_eq!(into_file.status.code(), Some(0), "{}", text(&into_file));
    assert_eq!(
        through_pipe,
        std::fs::read(&file).expect("the document was written")
    );
    assert!(
        std::fs::symlink_metadata(&pipe)
            .expect("the pipe is still there")
            .file_type()
            .is_fifo()
    );
}

/// Runs `snapshot` of one connector into `path` and checks that it succeeded.
#[cfg(unix)]
fn snapshot_one_into(world: &World, path: &std::path::Path) {
    let output = world
        .command()
        .args(["snapshot", "--list", "-", "--file"])
        .arg(path)
        .write_stdin("env-emu001 lkc-emu001 orders-sink\n")
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
}

#[cfg(unix)]
#[test]
fn snapshot_gives_a_new_document_the_mode_a_created_file_gets() {
    use std::os::unix::fs::PermissionsExt;
    let world = World::start();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let created = dir.path().join("created.json");
    std::fs::File::create(&created).expect("a file is created");
    let document = dir.path().join("snapshot.json");

    snapshot_one_into(&world, &document);

    let mode = |path: &std::path::Path| {
        std::fs::metadata(path)
            .expect("the file exists")
            .permissions()
            .mode()
    };
    assert_eq!(mode(&document), mode(&created));
}

#[cfg(unix)]
#[test]
fn snapshot_keeps_the_mode_of_the_document_it_replaces_and_leaves_no_temporary_file() {
    use std::os::unix::fs::PermissionsExt;
    let world = World::start();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let document = dir.path().join("snapshot.json");
    std::fs::write(&document, "old").expect("the old document is written");
    std::fs::set_permissions(&document, std::fs::Permissions::from_mode(0o640))
        .expect("its mode is set");

    snapshot_one_into(&world, &document);

    let metadata = std::fs::metadata(&document).expect("the document exists");
    assert_eq!(metadata.permissions().mode() & 0o777, 0o640);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("the directory lists")
        .map(|entry| entry.expect("an entry").file_name())
        .collect();
    assert_eq!(names, ["snapshot.json"]);
}

#[test]
fn snapshot_with_max_age_not_met_marks_each_stale_connector_and_warns() {
    let world = World::start_with(
        crate::common::builder().observation_interval(std::time::Duration::from_secs(60)),
    );
    world.advance(50);

    let output = world
        .command()
        .args(["snapshot", "--list", "-"])
        .args(["--max-age", "30s", "--max-age-wait", "100ms"])
        .write_stdin("env-emu001 lkc-emu001 orders-sink\n")
        .output()
        .expect("the binary runs");

    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stale = "these offsets were observed 50s before the service answered, longer than \
                 --max-age 30s (1 read in --max-age-wait 100ms); they are the freshest read";
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!("warning: env-emu001/lkc-emu001/orders-sink: {stale}\n")
    );
    let document: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("a JSON document");
    assert_eq!(document["connectors"][0]["stale"], stale);
    assert_eq!(document["connectors"][0]["offsets"]["name"], "orders-sink");
}
