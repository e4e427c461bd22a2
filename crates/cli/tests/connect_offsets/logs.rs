//! `-v` and `RUST_LOG`: the request log on standard error, which never shows a credential.

use connect_emulator::{DEFAULT_API_SECRET, Faults};

use crate::common::{World, text};

/// `EMUKEY0000000001:emulator-secret-1` in base64, as it travels in `Authorization: Basic`.
const DEFAULT_BASIC: &str = "RU1VS0VZMDAwMDAwMDAwMTplbXVsYXRvci1zZWNyZXQtMQ==";
/// `EMUKEY0000000001:not-the-secret` in base64.
const WRONG_BASIC: &str = "RU1VS0VZMDAwMDAwMDAwMTpub3QtdGhlLXNlY3JldA==";

/// Standard error of `get` with `RUST_LOG=trace` (every crate's most detailed log), with
/// `secret` as the API secret.
fn traced_get(world: &World, secret: &str) -> String {
    let output = world
        .command()
        .env("RUST_LOG", "trace")
        .env("CONFLUENT_CLOUD_API_SECRET", secret)
        .args(["get", "env-emu001", "lkc-emu001", "orders-sink"])
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        stderr.contains(
            "confluent_connect.request{operation=\"getConnectv1ConnectorOffsets\" method=\"GET\""
        ),
        "the request log is on: {}",
        text(&output)
    );
    stderr
}

fn assert_no_credential(log: &str) {
    for secret in [
        DEFAULT_API_SECRET,
        "not-the-secret",
        DEFAULT_BASIC,
        WRONG_BASIC,
    ] {
        assert!(!log.contains(secret), "{secret} appears in:\n{log}");
    }
}

#[test]
fn a_trace_log_of_a_success_a_401_a_retried_503_and_a_429_shows_no_credential() {
    let world = World::start();
    let success = traced_get(&world, DEFAULT_API_SECRET);
    assert!(success.contains(" status=200"), "{success}");
    let refused = traced_get(&world, "not-the-secret");
    assert!(refused.contains(" status=401"), "{refused}");
    for status in [503, 429] {
        world.set_faults(Faults {
            error_rate: 1.0,
            error_statuses: vec![status],
            ..Faults::default()
        });
        let failed = traced_get(&world, DEFAULT_API_SECRET);
        assert!(failed.contains(&format!(" status={status}")), "{failed}");
        assert!(failed.contains("retrying"), "{failed}");
        assert_no_credential(&failed);
    }
    assert_no_credential(&success);
    assert_no_credential(&refused);
}

#[test]
fn v_logs_each_request_with_its_method_path_status_and_request_id() {
    let world = World::start();

    let output = world
        .command()
        .args(["-v", "get", "env-emu001", "lkc-emu001", "orders-sink"])
        .output()
        .expect("the binary runs");

    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let line = stderr
        .lines()
        .find(|line| line.contains("request succeeded"))
        .unwrap_or_else(|| panic!("no request line in: {stderr}"));
    for field in [
        "operation=\"getConnectv1ConnectorOffsets\"",
        "method=\"GET\"",
        "path=\"/connect/v1/environments/env-emu001/clusters/lkc-emu001/connectors/orders-sink/offsets\"",
        "status=200",
        "duration_ms=",
        "request_id=",
    ] {
        assert!(line.contains(field), "{field} missing from: {line}");
    }
}

#[test]
fn without_v_or_rust_log_nothing_is_logged() {
    let world = World::start();

    let output = world
        .command()
        .args(["get", "env-emu001", "lkc-emu001", "orders-sink"])
        .output()
        .expect("the binary runs");

    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}
