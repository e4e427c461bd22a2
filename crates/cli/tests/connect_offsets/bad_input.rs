//! What the binary refuses, each with one `error:` line, one `hint:` line and its exit code.

use connect_emulator::{DEFAULT_API_KEY, DEFAULT_API_SECRET, ErrorBody, Faults};

use crate::common::{World, assert_output, bare_command, get_against_a_server_answering, text};

#[test]
fn missing_credentials_are_a_usage_error_that_says_where_to_put_them() {
    let world = World::start();

    let output = bare_command()
        .args(["--base-url", world.base_url()])
        .args(["get", "env-emu001", "lkc-emu001", "orders-sink"])
        .output()
        .expect("the binary runs");

    assert_output!(text(&output));
}

#[test]
fn a_key_without_a_secret_and_no_terminal_to_ask_at_is_a_usage_error() {
    let world = World::start();

    let output = bare_command()
        .args(["--base-url", world.base_url(), "--api-key", DEFAULT_API_KEY])
        .args(["get", "env-emu001", "lkc-emu001", "orders-sink"])
        .output()
        .expect("the binary runs");

    assert_output!(text(&output));
}

#[test]
fn a_secret_given_as_a_flag_is_refused_and_never_shown() {
    let world = World::start();

    let output = bare_command()
        .args(["--base-url", world.base_url(), "--api-key", DEFAULT_API_KEY])
        .args(["get", "env-emu001", "lkc-emu001", "orders-sink"])
        .args(["--api-secret", DEFAULT_API_SECRET])
        .output()
        .expect("the binary runs");

    let shown = text(&output);
    assert!(
        !shown.contains(DEFAULT_API_SECRET),
        "the secret is not shown"
    );
    assert_output!(shown);
}

#[test]
fn the_secret_can_come_from_a_file_with_the_key_as_a_flag() {
    let world = World::start();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let secret = dir.path().join("secret");
    std::fs::write(&secret, format!("{DEFAULT_API_SECRET}\n")).expect("the file is written");

    let output = bare_command()
        .args(["--base-url", world.base_url(), "--api-key", DEFAULT_API_KEY])
        .arg("--api-secret-file")
        .arg(&secret)
        .args(["get", "env-emu002", "lkc-emu002", "payments-sink"])
        .output()
        .expect("the binary runs");

    assert_output!(text(&output));
}

#[test]
fn a_wrong_secret_is_an_api_error_that_does_not_show_it() {
    let world = World::start();

    let output = world
        .command()
        .env("CONFLUENT_CLOUD_API_SECRET", "not-the-secret")
        .args(["get", "env-emu001", "lkc-emu001", "orders-sink"])
        .output()
        .expect("the binary runs");

    let shown = text(&output);
    assert!(!shown.contains("not-the-secret"), "the secret is not shown");
    assert_output!(shown);
}

#[test]
fn an_unknown_connector_is_an_api_error_with_the_request_id_and_a_hint() {
    let world = World::start();

    assert_output!(world.run(&["get", "env-emu001", "lkc-emu001", "no-such-sink"]));
}

#[test]
fn a_malformed_offsets_file_is_refused_naming_the_place_before_anything_is_sent() {
    let world = World::start();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("offsets.json");
    std::fs::write(
        &path,
        r#"{"offsets": [
  {"partition": {"kafka_topic": "orders", "kafka_partition": 0}, "offset": {"kafka_offset": 5}},
  {"partition": {"kafka_topic": "orders", "kafka_partition": 1}, "ofset": {"kafka_offset": 5}}
]}"#,
    )
    .expect("the file is written");

    let output = world
        .command()
        .current_dir(dir.path())
        .args([
            "alter",
            "env-emu001",
            "lkc-emu001",
            "orders-sink",
            "--file",
            "offsets.json",
        ])
        .output()
        .expect("the binary runs");
    let status = world.run(&["status", "env-emu001", "lkc-emu001", "orders-sink"]);

    assert_output!(text(&output));
    assert!(
        status.starts_with("exit code: 1\n"),
        "no change was asked for: {status}"
    );
}

#[test]
fn offsets_that_are_not_json_on_standard_input_are_refused_with_the_line_and_column() {
    let world = World::start();

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
        .write_stdin("{\"offsets\": [\n  {\"partition\": {}, \"offset\": {}},\n]}")
        .output()
        .expect("the binary runs");

    assert_output!(text(&output));
}

#[test]
fn a_negative_sink_offset_is_refused_before_anything_is_sent() {
    let world = World::start();

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
        .write_stdin(
            r#"{"offsets": [{"partition": {"kafka_topic": "orders", "kafka_partition": 0},
                             "offset": {"kafka_offset": -1}}]}"#,
        )
        .output()
        .expect("the binary runs");

    assert_output!(text(&output));
}

#[test]
fn an_unreadable_list_file_is_a_usage_error() {
    let world = World::start();
    let dir = tempfile::tempdir().expect("a temporary directory");

    let output = world
        .command()
        .current_dir(dir.path())
        .args(["snapshot", "--list", "missing.txt"])
        .output()
        .expect("the binary runs");

    assert_output!(text(&output));
}

#[test]
fn a_list_line_without_three_fields_is_refused_by_its_number() {
    let world = World::start();

    let output = world
        .command()
        .args(["snapshot", "--list", "-"])
        .write_stdin("env-emu001 lkc-emu001 orders-sink\nenv-emu001 orders-sink\n")
        .output()
        .expect("the binary runs");

    assert_output!(text(&output));
}

#[test]
fn reset_without_confirmation_is_refused_when_there_is_no_terminal_to_ask_at() {
    let world = World::start();
    world.advance(5);

    let output = world
        .command()
        .args(["reset", "env-emu001", "lkc-emu001", "orders-sink"])
        .write_stdin("orders-sink\n")
        .output()
        .expect("the binary runs");
    let after = world.run(&["get", "env-emu001", "lkc-emu001", "orders-sink"]);

    assert_output!(format!("{}\n=== get\n{after}", text(&output)));
}

#[test]
fn an_emulator_that_is_not_running_is_a_runtime_error_with_a_hint() {
    let world = World::start();
    let url = world.base_url().to_owned();
    world.stop();

    let output = bare_command()
        .env("CONFLUENT_CLOUD_API_KEY", DEFAULT_API_KEY)
        .env("CONFLUENT_CLOUD_API_SECRET", DEFAULT_API_SECRET)
        .args([
            "--base-url",
            &url,
            "get",
            "env-emu001",
            "lkc-emu001",
            "orders-sink",
        ])
        .output()
        .expect("the binary runs");

    assert_output!(text(&output).replace(&url, "[BASE-URL]"));
}

#[test]
fn an_unknown_output_format_is_clap_s_usage_error() {
    let world = World::start();

    assert_output!(world.run(&[
        "get",
        "env-emu001",
        "lkc-emu001",
        "orders-sink",
        "-o",
        "xml"
    ]));
}

/// The last line of standard error of `get` when every API request is answered `status` with
/// `body`: the hint.
fn hint_for_injected(status: u16, body: ErrorBody) -> String {
    let world = World::start();
    world.set_faults(Faults {
        error_rate: 1.0,
        error_statuses: vec![status],
        error_body: body,
        ..Faults::default()
    });
    let output = world
        .command()
        .args(["get", "env-emu001", "lkc-emu001", "orders-sink"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    stderr.lines().last().unwrap_or_default().to_owned()
}

#[test]
fn a_401_with_an_html_body_gets_the_credentials_hint() {
    assert_eq!(
        hint_for_injected(401, ErrorBody::Html),
        "hint: check the Cloud API key and its secret (CONFLUENT_CLOUD_API_KEY, \
         CONFLUENT_CLOUD_API_SECRET); a Kafka cluster API key is refused here"
    );
}

#[test]
fn a_403_with_an_empty_body_gets_the_permissions_hint() {
    assert_eq!(
        hint_for_injected(403, ErrorBody::Empty),
        "hint: the key is valid but may not read this connector: give its service account a \
         role on the environment or the cluster"
    );
}

#[test]
fn a_redirect_to_another_host_is_an_error_and_prints_no_offsets() {
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let (elsewhere, server) = runtime.block_on(async {
        let elsewhere = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_string(
                r#"{"name":"orders-sink","offsets":[{"partition":{"kafka_topic":"t","kafka_partition":0},"offset":{"kafka_offset":1}}]}"#,
            ))
            .expect(0)
            .mount(&elsewhere)
            .await;
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(302)
                    .insert_header("location", format!("{}/elsewhere", elsewhere.uri()).as_str()),
            )
            .mount(&server)
            .await;
        (elsewhere, server)
    });

    let output = bare_command()
        .args(["--base-url", &server.uri()])
        .env("CONFLUENT_CLOUD_API_KEY", DEFAULT_API_KEY)
        .env("CONFLUENT_CLOUD_API_SECRET", DEFAULT_API_SECRET)
        .args(["get", "env-emu001", "lkc-emu001", "orders-sink"])
        .output()
        .expect("the binary runs");

    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let expected = format!(
        "error: the 302 Found answer redirects to {}/elsewhere, which is not followed",
        elsewhere.uri()
    );
    assert!(stderr.starts_with(&expected), "{stderr}");
    runtime.block_on(elsewhere.verify());
}

#[test]
fn an_answer_cut_off_after_its_head_says_so_not_that_the_service_is_unreachable() {
    let world = World::start();
    world.set_faults(Faults {
        truncate_rate: 1.0,
        ..Faults::default()
    });

    let output = world
        .command()
        .args(["get", "env-emu001", "lkc-emu001", "orders-sink"])
        .output()
        .expect("the binary runs");

    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let error = stderr.lines().next().unwrap_or_default();
    assert!(
        error.contains("answer (request id ")
            && error.contains(") was cut off after ")
            && error.contains(" bytes of the ")
            && error.contains(" it announced: "),
        "{stderr}"
    );
    assert!(!stderr.contains("could not reach"), "{stderr}");
}

/// The last line of standard error (the hint) of `get` with `flags`, exiting 1.
fn hint_of_get_with(world: &World, flags: &[&str]) -> String {
    let output = world
        .command()
        .args(flags)
        .args(["get", "env-emu001", "lkc-emu001", "orders-sink"])
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("ClientBuilder"), "a Rust API in: {stderr}");
    stderr.lines().last().unwrap_or_default().to_owned()
}

#[test]
fn an_answer_over_max_body_size_is_refused_with_a_hint_naming_the_flag() {
    let world = World::start();

    assert_eq!(
        hint_of_get_with(&world, &["--max-body-size", "10"]),
        "hint: if so large an answer is expected, raise the limit with --max-body-size BYTES"
    );
}

#[test]
fn a_request_over_request_timeout_times_out_with_a_hint_naming_the_flag() {
    let world = World::start();
    world.set_faults(Faults {
        latency_ms: 2_000,
        ..Faults::default()
    });

    assert_eq!(
        hint_of_get_with(&world, &["--request-timeout", "200ms"]),
        "hint: retry; if it keeps timing out, check the network and --base-url (or \
         CONFLUENT_CLOUD_BASE_URL), or allow more time with --request-timeout"
    );
}

#[test]
fn an_answer_without_offsets_is_an_error_not_a_connector_without_offsets() {
    let output = get_against_a_server_answering(r#"{"error":"no healthy upstream"}"#);

    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        stderr.lines().next().unwrap_or_default(),
        "error: the 200 OK answer has no `offsets` field (or it is null), so it is not the \
         documented answer and is not read as an empty one; the body starts: \
         {\"error\":\"no healthy upstream\"} (for connector orders-sink in env-emu001/lkc-emu001)"
    );
}

#[test]
fn an_observed_at_that_is_a_number_does_not_fail_get() {
    let output = get_against_a_server_answering(
        r#"{"name":"orders-sink","offsets":[],"metadata":{"observed_at":1708442059}}"#,
    );

    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .contains(r#"observed "1708442059" (a time this tool cannot read)"#),
        "{}",
        text(&output)
    );
}
