//! `watch`: one plain line per observation when the output is not a terminal, and Ctrl-C.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdout, Command, Stdio};

use connect_emulator::{DEFAULT_API_KEY, DEFAULT_API_SECRET};

use crate::common::{World, assert_output, binary};

/// The binary watching `connector` every `interval`, its output piped to the test.
fn spawn_watch(world: &World, connector: &str, extra: &[&str]) -> Child {
    Command::new(binary())
        .args(["watch", "env-emu001", "lkc-emu001", connector])
        .args(extra)
        .env_remove("NO_COLOR")
        .env_remove("TERM")
        .env("CONFLUENT_CLOUD_BASE_URL", world.base_url())
        .env("CONFLUENT_CLOUD_API_KEY", DEFAULT_API_KEY)
        .env("CONFLUENT_CLOUD_API_SECRET", DEFAULT_API_SECRET)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts")
}

fn next_line(lines: &mut impl Iterator<Item = std::io::Result<String>>) -> String {
    lines
        .next()
        .expect("another line")
        .expect("standard output reads")
}

/// What the child printed: its exit code, the lines read already, the rest of its output.
fn finish(mut child: Child, read: &[String], mut stdout: BufReader<ChildStdout>) -> String {
    let status = child.wait().expect("the binary ends");
    let mut rest = String::new();
    stdout
        .read_to_string(&mut rest)
        .expect("standard output reads");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("standard error is piped")
        .read_to_string(&mut stderr)
        .expect("standard error reads");
    format!(
        "exit code: {}\n--- stdout\n{}{rest}--- stderr\n{stderr}",
        status
            .code()
            .map_or_else(|| "none (killed by a signal)".to_owned(), |c| c.to_string()),
        read.iter()
            .map(|line| format!("{line}\n"))
            .collect::<String>(),
    )
}

/// Between two polls (2 s apart) the test moves the emulator's clock 5 s: each observation is
/// 5 s after the previous one, so the rates are exact (40 and 1 records per second) and
/// partition 4 of `clicks`, configured as stalled, is marked.
#[test]
fn watch_prints_one_line_per_observation_with_rates_and_stalled_partitions() {
    let world = World::start();
    let mut child = spawn_watch(&world, "clicks-sink", &["--interval", "2s", "--count", "3"]);
    let mut stdout = BufReader::new(child.stdout.take().expect("standard output is piped"));
    let mut read = Vec::new();

    for _ in 0..2 {
        let mut lines = (&mut stdout).lines();
        read.push(next_line(&mut lines));
        world.advance(5);
    }

    assert_output!(finish(child, &read, stdout));
}

#[cfg(unix)]
#[test]
fn watch_stops_cleanly_and_successfully_on_ctrl_c() {
    let world = World::start();
    let mut child = spawn_watch(&world, "orders-sink", &["--interval", "1h"]);
    let mut stdout = BufReader::new(child.stdout.take().expect("standard output is piped"));
    // The first line is printed once the binary listens for Ctrl-C.
    let first = next_line(&mut (&mut stdout).lines());

    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());

    assert_output!(finish(child, &[first], stdout));
}

/// A task that fails between the first and the second poll: the connector shows DEGRADED with
/// the task FAILED, and clicks-sink's partitions, which stand still from then, are marked with
/// the first line of the task's trace.
#[test]
fn watch_marks_the_partitions_that_stand_still_with_the_failed_task_and_its_trace() {
    let world = World::start();
    let mut child = spawn_watch(&world, "clicks-sink", &["--interval", "2s", "--count", "3"]);
    let mut stdout = BufReader::new(child.stdout.take().expect("standard output is piped"));
    let mut read = Vec::new();

    let mut lines = (&mut stdout).lines();
    read.push(next_line(&mut lines));
    world.fail_task(
        "clicks-sink",
        "org.apache.kafka.connect.errors.ConnectException: S3 bucket not found\n\tat S3Sink.put",
    );
    world.advance(5);
    read.push(next_line(&mut lines));
    world.advance(5);

    assert_output!(finish(child, &read, stdout));
}
