//! At a terminal: `watch`'s live view (redrawn in place, with colour and sparklines) and
//! `snapshot`'s progress bar, and neither colour nor a progress bar with `NO_COLOR`. The binary
//! runs under `script` (util-linux), which gives it a pseudo-terminal.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use connect_emulator::{DEFAULT_API_KEY, DEFAULT_API_SECRET, Faults};

use crate::common::{World, assert_output, binary};

/// `connect-offsets ARGS` at a pseudo-terminal, its output (standard output and standard error
/// together, as a terminal shows them) sent to the test as it comes.
fn at_terminal(world: &World, args: &str, no_color: bool) -> (Child, mpsc::Receiver<Vec<u8>>) {
    let mut command = Command::new("script");
    command
        .args(["--quiet", "--flush", "--return", "--command"])
        .arg(format!("{} {args}", binary().display()))
        .arg("/dev/null")
        .env("CONFLUENT_CLOUD_BASE_URL", world.base_url())
        .env("CONFLUENT_CLOUD_API_KEY", DEFAULT_API_KEY)
        .env("CONFLUENT_CLOUD_API_SECRET", DEFAULT_API_SECRET)
        .env("TERM", "xterm-256color")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if no_color {
        command.env("NO_COLOR", "1");
    }
    let mut child = command.spawn().expect("script (util-linux) runs");
    let mut stdout = child.stdout.take().expect("standard output is piped");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buffer = [0_u8; 4096];
        while let Ok(read @ 1..) = stdout.read(&mut buffer) {
            if sender.send(buffer[..read].to_vec()).is_err() {
                break;
            }
        }
    });
    (child, receiver)
}

/// Reads the output until `marker` has appeared `times` times in all, or the binary ended.
fn read_until(receiver: &mpsc::Receiver<Vec<u8>>, seen: &mut Vec<u8>, marker: &str, times: usize) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while String::from_utf8_lossy(seen).matches(marker).count() < times {
        let left = deadline.saturating_duration_since(Instant::now());
        match receiver.recv_timeout(left) {
            Ok(chunk) => seen.extend(chunk),
            Err(_) => break,
        }
    }
}

/// The terminal's bytes with the escape character made visible and carriage returns dropped.
fn visible(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .replace('\x1b', "␛")
        .replace('\r', "")
}

/// Between two polls (2 s apart) the test moves the emulator's clock 4 s, as in the plain-line
/// test: the live view is then redrawn over the previous one, with exact rates, a growing
/// sparkline, and STALLED in red.
#[test]
fn watch_at_a_terminal_redraws_a_live_view_with_colour_and_sparklines() {
    let world = World::start();
    let (mut child, output) = at_terminal(
        &world,
        "watch env-emu001 lkc-emu001 clicks-sink --interval 2s --count 3",
        false,
    );
    let mut seen = Vec::new();

    for polls in 1..=2 {
        read_until(&output, &mut seen, "Ctrl-C to stop", polls);
        world.advance(4);
    }
    let status = child.wait().expect("the binary ends");
    while let Ok(chunk) = output.recv_timeout(Duration::from_secs(5)) {
        seen.extend(chunk);
    }

    assert_output!(format!(
        "exit code: {}\n--- terminal\n{}",
        status.code().unwrap_or(-1),
        visible(&seen)
    ));
}

#[test]
fn snapshot_at_a_terminal_shows_a_progress_bar_and_clears_it() {
    let world = World::start();
    world.set_faults(Faults {
        latency_ms: 300,
        ..Faults::default()
    });
    let dir = tempfile::tempdir().expect("a temporary directory");
    let list = dir.path().join("list.txt");
    std::fs::write(&list, "env-emu001 lkc-emu001 orders-sink\n".repeat(3)).expect("written");
    let document = dir.path().join("snapshot.json");

    let (mut child, output) = at_terminal(
        &world,
        &format!(
            "snapshot --concurrency 1 --list {} --file {}",
            list.display(),
            document.display()
        ),
        false,
    );
    let status = child.wait().expect("the binary ends");
    let seen: Vec<u8> = output.iter().flatten().collect();

    assert!(status.success());
    let shown = visible(&seen);
    assert!(
        shown.contains("/3 connectors read"),
        "a progress bar: {shown:?}"
    );
    assert!(
        shown.ends_with("␛[2K"),
        "the bar is cleared at the end: {shown:?}"
    );
}

#[test]
fn no_color_at_a_terminal_means_no_colour_and_no_progress_bar() {
    let world = World::start();
    world.set_faults(Faults {
        latency_ms: 300,
        ..Faults::default()
    });

    let dir = tempfile::tempdir().expect("a temporary directory");
    let list = dir.path().join("list.txt");
    std::fs::write(&list, "env-emu001 lkc-emu001 no-such-sink\n").expect("written");

    let (mut child, output) = at_terminal(
        &world,
        &format!(
            "snapshot --list {} --file {}",
            list.display(),
            dir.path().join("snapshot.json").display()
        ),
        true,
    );
    let status = child.wait().expect("the binary ends");
    let seen: Vec<u8> = output.iter().flatten().collect();

    assert_output!(format!(
        "exit code: {}\n--- terminal\n{}",
        status.code().unwrap_or(-1),
        visible(&seen)
    ));
}
