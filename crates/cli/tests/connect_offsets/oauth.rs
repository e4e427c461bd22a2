//! Confluent Cloud OAuth from flags and the environment: reads through the emulator's identity
//! provider and STS, a watch that outlives several tokens, and each setting refused.

use std::io::Read;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use connect_emulator::{
    Config, DEFAULT_API_KEY, DEFAULT_IDENTITY_POOL_ID, DEFAULT_OAUTH_CLIENT_ID,
    DEFAULT_OAUTH_CLIENT_SECRET, Emulator,
};

use crate::common::{World, assert_output, bare_command, binary, text};

const SECRET_VAR: &str = "CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET";

/// The binary aimed at `world` with the default world's OAuth client and pool as flags, and its
/// secret in the environment.
fn oauth_command(world: &World) -> assert_cmd::Command {
    oauth_command_in(world, DEFAULT_IDENTITY_POOL_ID)
}

/// [`oauth_command`], exchanging in the identity pool `pool`.
fn oauth_command_in(world: &World, pool: &str) -> assert_cmd::Command {
    let mut command = bare_command();
    command
        .args(["--base-url", world.base_url()])
        .args(["--oauth-token-url", &world.emulator().idp_token_url()])
        .args(["--oauth-client-id", DEFAULT_OAUTH_CLIENT_ID])
        .args(["--identity-pool-id", pool])
        .env(SECRET_VAR, DEFAULT_OAUTH_CLIENT_SECRET);
    command
}

/// Reading the default world's `orders-sink`.
trait GetOrders {
    /// Runs `get env-emu001 lkc-emu001 orders-sink` followed by `extra`.
    fn get_orders(&mut self, extra: &[&str]) -> Output;
}

impl GetOrders for assert_cmd::Command {
    fn get_orders(&mut self, extra: &[&str]) -> Output {
        self.args(["get", "env-emu001", "lkc-emu001", "orders-sink"])
            .args(extra)
            .output()
            .expect("the binary runs")
    }
}

/// `text` without the emulator's port, which changes from run to run.
fn without_port(text: &str, world: &World) -> String {
    text.replace(world.base_url(), "http://127.0.0.1:[PORT]")
}

#[test]
fn get_with_oauth_client_credentials_reads_through_the_token_exchange() {
    let world = World::start();

    let output = oauth_command(&world).get_orders(&[]);

    assert_output!(text(&output));
    let stats = world.emulator().oauth_stats();
    assert_eq!((stats.idp_tokens_issued, stats.exchanges), (1, 1));
}

#[test]
fn oauth_settings_can_all_come_from_the_environment() {
    let world = World::start();

    let output = bare_command()
        .env("CONFLUENT_CLOUD_BASE_URL", world.base_url())
        .env(
            "CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL",
            world.emulator().idp_token_url(),
        )
        .env(
            "CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_ID",
            DEFAULT_OAUTH_CLIENT_ID,
        )
        .env(SECRET_VAR, DEFAULT_OAUTH_CLIENT_SECRET)
        .env(
            "CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID",
            DEFAULT_IDENTITY_POOL_ID,
        )
        .get_orders(&["-o", "json"]);

    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert_eq!(world.emulator().oauth_stats().exchanges, 1);
}

#[test]
fn the_client_secret_can_come_from_a_file() {
    let world = World::start();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let secret = dir.path().join("client-secret");
    std::fs::write(&secret, format!("{DEFAULT_OAUTH_CLIENT_SECRET}\n")).expect("written");

    let output = oauth_command(&world)
        .env_remove(SECRET_VAR)
        .arg("--oauth-client-secret-file")
        .arg(&secret)
        .get_orders(&["-o", "json"]);

    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
}

#[test]
fn a_subject_token_file_is_exchanged_in_the_identity_pool() {
    let world = World::start();
    let token = world
        .emulator()
        .issue_subject_token(DEFAULT_OAUTH_CLIENT_ID, Duration::from_secs(3600))
        .expect("a subject token");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("token");
    std::fs::write(&file, token).expect("written");

    let output = bare_command()
        .args(["--base-url", world.base_url()])
        .arg("--subject-token-file")
        .arg(&file)
        .args(["--identity-pool-id", DEFAULT_IDENTITY_POOL_ID])
        .get_orders(&["-o", "json"]);

    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    let stats = world.emulator().oauth_stats();
    assert_eq!((stats.idp_tokens_issued, stats.exchanges), (0, 1));
}

/// A watch polling every second for 8 polls (about 7 s) with access tokens that live 2 s on the
/// emulator's real clock: 3.5 lifetimes. The token of poll k is refreshed after 1.6 s, so it
/// serves polls k and k+1 and poll k+2 exchanges again: 4 exchanges, at polls 0, 2, 4 and 6,
/// and every poll prints its line.
#[test]
fn watch_keeps_running_across_several_token_lifetimes() {
    let mut config = Config::default();
    config.oauth = config
        .oauth
        .map(|oauth| oauth.with_sts_token_lifetime_secs(2));
    let world = World::start_with(
        Emulator::builder()
            .config(config)
            .observation_interval(Duration::from_secs(1))
            .rate_limit(None),
    );

    let mut child = Command::new(binary())
        .args(["--base-url", world.base_url()])
        .args(["--oauth-token-url", &world.emulator().idp_token_url()])
        .args(["--oauth-client-id", DEFAULT_OAUTH_CLIENT_ID])
        .args(["--identity-pool-id", DEFAULT_IDENTITY_POOL_ID])
        .args(["watch", "env-emu001", "lkc-emu001", "orders-sink"])
        .args(["--interval", "1s", "--count", "8"])
        .env(SECRET_VAR, DEFAULT_OAUTH_CLIENT_SECRET)
        .env_remove("CONFLUENT_CLOUD_API_KEY")
        .env_remove("CONFLUENT_CLOUD_API_SECRET")
        .env_remove("TERM")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let status = child.wait().expect("the binary ends");
    let mut stdout = String::new();
    let mut stderr = String::new();
    child
        .stdout
        .take()
        .expect("piped")
        .read_to_string(&mut stdout)
        .expect("standard output reads");
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr)
        .expect("standard error reads");

    assert_eq!(status.code(), Some(0), "{stdout}\n{stderr}");
    assert_eq!(stderr, "");
    let observations = stdout
        .lines()
        .filter(|line| line.contains("orders-sink"))
        .count();
    assert_eq!(observations, 8, "{stdout}");
    let stats = world.emulator().oauth_stats();
    assert_eq!(stats.exchanges, 4, "{stats:?}");
    assert_eq!(stats.expired_token_rejections, 0, "{stats:?}");
}

#[test]
fn a_client_secret_given_as_a_flag_is_refused_and_never_shown() {
    let world = World::start();

    let output = oauth_command(&world)
        .args(["--oauth-client-secret", "flag-s3cr3t"])
        .get_orders(&[]);

    let shown = without_port(&text(&output), &world);
    assert!(!shown.contains("flag-s3cr3t"), "{shown}");
    assert_output!(shown);
}

#[test]
fn oauth_without_an_identity_pool_is_a_usage_error_naming_the_flag() {
    let world = World::start();

    let output = bare_command()
        .args(["--base-url", world.base_url()])
        .args(["--oauth-token-url", &world.emulator().idp_token_url()])
        .args(["--oauth-client-id", DEFAULT_OAUTH_CLIENT_ID])
        .env(SECRET_VAR, DEFAULT_OAUTH_CLIENT_SECRET)
        .get_orders(&[]);

    assert_output!(text(&output));
}

#[test]
fn an_api_key_and_oauth_together_are_a_usage_error() {
    let world = World::start();

    let output = oauth_command(&world)
        .args(["--api-key", DEFAULT_API_KEY])
        .get_orders(&[]);

    assert_output!(text(&output));
}

#[test]
fn a_token_url_without_a_client_id_is_a_usage_error() {
    let world = World::start();

    let output = bare_command()
        .args(["--base-url", world.base_url()])
        .args(["--oauth-token-url", &world.emulator().idp_token_url()])
        .args(["--identity-pool-id", DEFAULT_IDENTITY_POOL_ID])
        .get_orders(&[]);

    assert_output!(text(&output));
}

#[test]
fn client_credentials_without_a_secret_are_a_usage_error_saying_where_to_put_it() {
    let world = World::start();

    let output = oauth_command(&world).env_remove(SECRET_VAR).get_orders(&[]);

    assert_output!(text(&output));
}

#[test]
fn both_a_subject_token_file_and_a_token_url_are_a_usage_error() {
    let world = World::start();

    let output = oauth_command(&world)
        .args(["--subject-token-file", "/var/run/secrets/token"])
        .get_orders(&[]);

    assert_output!(text(&output));
}

#[test]
fn a_wrong_client_secret_is_refused_by_the_identity_provider_with_a_hint_naming_the_flags() {
    let world = World::start();

    let output = oauth_command(&world)
        .env(SECRET_VAR, "not-the-secret")
        .get_orders(&[]);

    let shown = without_port(&text(&output), &world);
    assert!(!shown.contains("not-the-secret"), "{shown}");
    assert_output!(shown);
}

#[test]
fn an_unknown_identity_pool_is_refused_by_the_token_exchange_with_a_hint() {
    let world = World::start();

    let output = oauth_command_in(&world, "pool-nope").get_orders(&[]);

    assert_output!(without_port(&text(&output), &world));
}
