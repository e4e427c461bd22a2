//! The `connect-emulator` binary: started as a user would, answering on the port it prints.

use std::io::{BufRead, BufReader, Write as _};
use std::process::{Child, Command, Stdio};

use connect_emulator::Config;

const BIN: &str = env!("CARGO_BIN_EXE_connect-emulator");

/// Kills the emulator process when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary on a free port and returns it with its base URL, read from its banner.
fn spawn(args: &[&str]) -> (Running, String) {
    let mut child = Command::new(BIN)
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let running = Running(child);
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("a banner line");
    let url = first
        .trim()
        .strip_prefix("connect-emulator listening on ")
        .unwrap_or_else(|| panic!("unexpected banner: {first:?}"))
        .to_owned();
    (running, url)
}

#[tokio::test]
async fn the_binary_serves_a_config_file_on_the_port_it_prints() {
    let mut file = tempfile::NamedTempFile::with_suffix(".yaml").expect("a temp file");
    file.write_all(
        br#"
credentials: [{api_key: FILEKEY, api_secret: file-secret}]
environments:
  - id: env-file
    clusters:
      - id: lkc-file
        connectors:
          - name: from-file
            sink: {topics: [{name: t, partitions: 1, start_offset: 7}]}
"#,
    )
    .expect("write");
    let path = file.path().to_str().expect("a UTF-8 path");
    let (_running, url) = spawn(&["--config", path]);

    let body: serde_json::Value = reqwest::Client::new()
        .get(format!(
            "{url}/connect/v1/environments/env-file/clusters/lkc-file/connectors/from-file/offsets"
        ))
        .basic_auth("FILEKEY", Some("file-secret"))
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");

    assert_eq!(body["offsets"][0]["offset"]["kafka_offset"], 7);
}

#[tokio::test]
async fn flags_set_faults_for_every_request() {
    let (_running, url) = spawn(&["--error-rate", "1", "--error-statuses", "503"]);

    let response = reqwest::Client::new()
        .get(format!(
            "{url}/connect/v1/environments/env-emu001/clusters/lkc-emu001/connectors/orders-sink/offsets"
        ))
        .basic_auth(connect_emulator::DEFAULT_API_KEY, Some(connect_emulator::DEFAULT_API_SECRET))
        .send()
        .await
        .expect("an answer");

    assert_eq!(response.status(), reqwest::StatusCode::SERVICE_UNAVAILABLE);
}

#[test]
fn the_banner_prints_the_default_credentials() {
    let lines = banner_of(&[]);

    assert!(
        lines.contains(
            &"  api key EMUKEY0000000001  secret emulator-secret-1  (environments: *)".to_owned()
        ),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"  env-emu001 / lkc-emu001 / inventory-jdbc-source  (source)".to_owned()),
        "{lines:#?}"
    );
}

/// The banner of the binary started with `args`, up to its last line.
fn banner_of(args: &[&str]) -> Vec<String> {
    let mut child = Command::new(BIN)
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let running = Running(child);
    let lines: Vec<String> = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .take_while(|line| line != "Ctrl-C stops.")
        .collect();
    drop(running);
    lines
}

#[test]
fn lifetime_flags_set_the_oauth_token_lifetimes() {
    let lines = banner_of(&[
        "--idp-token-lifetime-secs",
        "60",
        "--sts-token-lifetime-secs",
        "2",
    ]);

    let start = lines
        .iter()
        .position(|line| line.starts_with("oauth: "))
        .expect("an oauth line");
    assert!(
        lines[start].contains("(client credentials, 60 s)"),
        "{lines:#?}"
    );
    assert!(
        lines[start + 1].contains("(access tokens, at most 2 s)"),
        "{lines:#?}"
    );
}

#[test]
fn a_lifetime_flag_without_oauth_in_the_config_exits_2_saying_so() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("no-oauth.yaml");
    std::fs::write(
        &file,
        "credentials:\n  - bearer_token: t\nenvironments:\n  - id: env-1\n    clusters: []\n",
    )
    .expect("written");

    let output = Command::new(BIN)
        .args(["--port", "0", "--sts-token-lifetime-secs", "2", "--config"])
        .arg(&file)
        .output()
        .expect("the binary runs");

    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "connect-emulator: --idp-token-lifetime-secs and --sts-token-lifetime-secs need OAuth, \
         and the configuration has no `oauth` section: add one (see --print-default-config)\n"
    );
}

#[test]
fn a_zero_lifetime_flag_exits_2_naming_the_setting() {
    let output = Command::new(BIN)
        .args(["--port", "0", "--sts-token-lifetime-secs", "0"])
        .output()
        .expect("the binary runs");

    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).starts_with(
            "connect-emulator: the emulator config is not valid at oauth.sts_token_lifetime_secs"
        ),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_banner_prints_the_oauth_endpoints_and_client_but_not_its_secret() {
    let lines = banner_of(&[]);
    let url = lines[0]
        .strip_prefix("connect-emulator listening on ")
        .expect("the first line names the URL");

    let start = lines
        .iter()
        .position(|line| line.starts_with("oauth: "))
        .expect("an oauth line");
    assert_eq!(
        lines[start..start + 4],
        [
            format!(
                "oauth: subject tokens (client credentials, 3600 s) at {url}/emulator/idp/oauth2/token"
            ),
            format!(
                "       token exchange (access tokens, at most 900 s) at {url}/sts/v1/oauth2/token"
            ),
            "  client emu-client".to_owned(),
            "  identity pool pool-emu001  (environments: *)".to_owned(),
        ]
    );
    assert!(
        !lines.iter().any(|line| line.contains("emu-client-secret")),
        "{lines:#?}"
    );
}

#[test]
fn print_default_config_prints_yaml_that_reads_back_as_the_default() {
    let output = Command::new(BIN)
        .arg("--print-default-config")
        .output()
        .expect("the binary runs");

    assert!(output.status.success());
    let yaml = String::from_utf8(output.stdout).expect("UTF-8");
    assert_eq!(
        Config::from_text(&yaml).expect("it parses"),
        Config::default()
    );
}

#[test]
fn an_invalid_config_file_exits_2_naming_the_entry() {
    let mut file = tempfile::NamedTempFile::with_suffix(".yaml").expect("a temp file");
    file.write_all(b"credentials: []\nenvironments: []\n")
        .expect("write");

    let output = Command::new(BIN)
        .args(["--port", "0", "--config"])
        .arg(file.path())
        .output()
        .expect("the binary runs");

    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "connect-emulator: the emulator config is not valid at credentials: list at least one credential (api_key and api_secret, or bearer_token)\n"
    );
}

#[test]
fn an_out_of_range_flag_exits_2() {
    let output = Command::new(BIN)
        .args(["--port", "0", "--drop-rate", "3"])
        .output()
        .expect("the binary runs");

    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "connect-emulator: the emulator config is not valid at faults.drop_rate: must be a probability between 0 and 1\n"
    );
}
