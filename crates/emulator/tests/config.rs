//! Reading the configuration file: the documented example, both formats, and a clear message
//! naming the entry for every kind of mistake.

use std::io::Write as _;

use connect_emulator::{Config, ConfigError, Credential, Faults, IdentityPool, OAuth, OAuthClient};

fn refusal(text: &str) -> String {
    Config::from_text(text)
        .expect_err("the config is refused")
        .to_string()
}

const MINIMAL: &str = r#"
credentials: [{api_key: K, api_secret: S}]
environments:
  - id: env-1
    clusters:
      - id: lkc-1
        connectors:
          - name: s
            sink: {topics: [{name: t, partitions: 2}]}
"#;

#[test]
fn the_example_file_is_valid() {
    let config = Config::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.yaml"))
        .expect("the example parses");

    assert_eq!(config.observation_interval_ms, 1000);
    assert_eq!(config.credentials.len(), 3);
    assert_eq!(
        config.environments[0].clusters[0].connectors[0].name,
        "s3-sink"
    );
}

#[test]
fn the_example_file_has_an_oauth_client_and_two_pools() {
    let config = Config::from_path(concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.yaml"))
        .expect("the example parses");

    assert_eq!(
        config.oauth,
        Some(
            OAuth::default()
                .with_client(OAuthClient::new("dev-client", "dev-client-secret"))
                .with_identity_pool(IdentityPool::new("pool-dev"))
                .with_identity_pool(
                    IdentityPool::new("pool-staging").only_environments(["env-staging"])
                )
        )
    );
}

#[test]
fn the_default_config_serves_oauth_with_the_documented_client_and_pool() {
    assert_eq!(
        Config::default().oauth,
        Some(
            OAuth::default()
                .with_client(OAuthClient::new("emu-client", "emu-client-secret"))
                .with_identity_pool(IdentityPool::new("pool-emu001"))
        )
    );
}

#[test]
fn the_default_config_survives_yaml() {
    let yaml = Config::default().to_yaml();

    assert_eq!(
        Config::from_text(&yaml).expect("it parses"),
        Config::default()
    );
}

#[test]
fn json_is_read_as_well_as_yaml() {
    let json = serde_json::to_string(&Config::default()).expect("JSON");
    let mut file = tempfile::NamedTempFile::with_suffix(".json").expect("a temp file");
    file.write_all(json.as_bytes()).expect("write");

    assert_eq!(
        Config::from_path(file.path()).expect("it parses"),
        Config::default()
    );
}

#[test]
fn omitted_fields_take_their_documented_defaults() {
    let config = Config::from_text(MINIMAL).expect("it parses");

    assert_eq!(config.observation_interval_ms, 2000);
    assert_eq!(config.rate_limit, Config::default().rate_limit);
    assert_eq!(config.faults, Faults::default());
    assert_eq!(config.credentials, [Credential::api_key("K", "S")]);
}

#[test]
fn a_null_rate_limit_turns_it_off() {
    let config = Config::from_text(&format!("rate_limit: null\n{MINIMAL}")).expect("it parses");

    assert_eq!(config.rate_limit, None);
}

#[test]
fn a_misspelt_field_is_refused_with_the_fields_it_could_be() {
    assert_eq!(
        refusal(&format!("observation_interval: 5\n{MINIMAL}")),
        "the emulator config is not valid: unknown field `observation_interval`, expected one of \
         `observation_interval_ms`, `alter_delay_ms`, `alter_status_lag_ms`, `rate_limit`, `manual_clock_start`, `credentials`, `oauth`, `environments`, `faults`"
    );
}

#[test]
fn the_status_lag_is_read_and_defaults_to_none() {
    let config = Config::from_text(&format!(
        "alter_status_lag_ms: 500
{MINIMAL}"
    ))
    .expect("it parses");
    let default = Config::from_text(MINIMAL).expect("it parses");

    assert_eq!(
        (config.alter_status_lag_ms, default.alter_status_lag_ms),
        (500, 0)
    );
}

#[test]
fn a_missing_file_names_the_path() {
    let error = Config::from_path("/nonexistent/emulator.yaml").expect_err("no such file");

    assert!(matches!(error, ConfigError::Read { .. }));
    assert!(
        error
            .to_string()
            .starts_with("cannot read the emulator config /nonexistent/emulator.yaml: "),
        "{error}"
    );
}

#[test]
fn a_syntax_error_in_a_file_names_the_path() {
    let mut file = tempfile::NamedTempFile::with_suffix(".yaml").expect("a temp file");
    file.write_all(b"credentials: [unclosed").expect("write");

    let message = Config::from_path(file.path())
        .expect_err("not YAML")
        .to_string();

    assert!(
        message.starts_with(&format!(
            "the emulator config {} is not valid: ",
            file.path().display()
        )),
        "{message}"
    );
}

#[test]
fn no_credentials_is_refused() {
    let text = MINIMAL.replace(
        "credentials: [{api_key: K, api_secret: S}]",
        "credentials: []",
    );

    assert_eq!(
        refusal(&text),
        "the emulator config is not valid at credentials: list at least one credential (api_key and api_secret, or bearer_token)"
    );
}

#[test]
fn a_credential_with_a_key_and_a_token_is_refused() {
    let text = MINIMAL.replace(
        "{api_key: K, api_secret: S}",
        "{api_key: K, api_secret: S, bearer_token: T}",
    );

    assert_eq!(
        refusal(&text),
        "the emulator config is not valid at credentials[0]: set either api_key and api_secret, or bearer_token alone"
    );
}

#[test]
fn a_malformed_environment_id_is_refused() {
    let text = MINIMAL.replace("id: env-1", "id: production");

    assert_eq!(
        refusal(&text),
        "the emulator config is not valid at environments[0].id: environment id \"production\" is malformed: it must be \"env-\" followed by lowercase letters or digits"
    );
}

#[test]
fn a_connector_listed_twice_in_a_cluster_is_refused() {
    let text = MINIMAL.replace(
        "          - name: s\n            sink: {topics: [{name: t, partitions: 2}]}",
        "          - name: s\n            sink: {topics: [{name: t, partitions: 2}]}\n          - name: s\n            sink: {topics: [{name: u, partitions: 1}]}",
    );

    assert_eq!(
        refusal(&text),
        "the emulator config is not valid at environments[0].clusters[0].connectors[1].name: is listed twice in this cluster"
    );
}

#[test]
fn a_connector_that_is_both_sink_and_source_is_refused() {
    let text = MINIMAL.replace(
        "sink: {topics: [{name: t, partitions: 2}]}",
        "sink: {topics: [{name: t, partitions: 2}]}\n            source: {partitions: []}",
    );

    assert_eq!(
        refusal(&text),
        "the emulator config is not valid at environments[0].clusters[0].connectors[0]: set exactly one of `sink` or `source`"
    );
}

#[test]
fn a_stalled_partition_the_topic_lacks_is_refused() {
    let text = MINIMAL.replace(
        "{name: t, partitions: 2}",
        "{name: t, partitions: 2, stalled_partitions: [2]}",
    );

    assert_eq!(
        refusal(&text),
        "the emulator config is not valid at environments[0].clusters[0].connectors[0].sink.topics[0].stalled_partitions: partition 2 does not exist (the topic has partitions 0 to 1)"
    );
}

#[test]
fn a_topic_without_partitions_is_refused() {
    let text = MINIMAL.replace("partitions: 2", "partitions: 0");

    assert_eq!(
        refusal(&text),
        "the emulator config is not valid at environments[0].clusters[0].connectors[0].sink.topics[0].partitions: must be between 1 and 1000000"
    );
}

#[test]
fn a_negative_rate_is_refused() {
    let text = MINIMAL.replace("partitions: 2}", "partitions: 2, rate_per_second: -1}");

    assert_eq!(
        refusal(&text),
        "the emulator config is not valid at environments[0].clusters[0].connectors[0].sink.topics[0].rate_per_second: must be a number of at least 0 (per second)"
    );
}

#[test]
fn a_source_field_that_is_not_an_integer_cannot_advance() {
    let text = MINIMAL.replace(
        "sink: {topics: [{name: t, partitions: 2}]}",
        "source: {partitions: [{partition: {table: a}, offset: {file: x.log}, advance: {file: 1}}]}",
    );

    assert_eq!(
        refusal(&text),
        "the emulator config is not valid at environments[0].clusters[0].connectors[0].source.partitions[0].advance.file: only integer offset fields can advance"
    );
}

#[test]
fn an_advance_of_a_field_the_offset_lacks_is_refused() {
    let text = MINIMAL.replace(
        "sink: {topics: [{name: t, partitions: 2}]}",
        "source: {partitions: [{partition: {table: a}, offset: {pos: 1}, advance: {position: 1}}]}",
    );

    assert_eq!(
        refusal(&text),
        "the emulator config is not valid at environments[0].clusters[0].connectors[0].source.partitions[0].advance.position: names no field of `offset`"
    );
}

#[test]
fn a_zero_observation_interval_is_refused() {
    assert_eq!(
        refusal(&format!("observation_interval_ms: 0\n{MINIMAL}")),
        "the emulator config is not valid at observation_interval_ms: must be at least 1 (milliseconds between observations)"
    );
}

#[test]
fn a_zero_burst_is_refused() {
    assert_eq!(
        refusal(&format!(
            "rate_limit: {{requests_per_second: 5, burst: 0}}\n{MINIMAL}"
        )),
        "the emulator config is not valid at rate_limit.burst: must be at least 1"
    );
}

#[test]
fn connector_faults_are_checked_where_they_are() {
    let text = MINIMAL.replace(
        "sink: {topics: [{name: t, partitions: 2}]}",
        "sink: {topics: [{name: t, partitions: 2}]}\n            faults: {truncate_rate: -0.5}",
    );

    assert_eq!(
        refusal(&text),
        "the emulator config is not valid at environments[0].clusters[0].connectors[0].faults.truncate_rate: must be a probability between 0 and 1"
    );
}

#[test]
fn without_an_oauth_section_oauth_is_off() {
    let config = Config::from_text(MINIMAL).expect("it parses");

    assert_eq!(config.oauth, None);
}

#[test]
fn an_empty_oauth_section_takes_its_documented_defaults() {
    let config = Config::from_text(&format!("oauth: {{}}\n{MINIMAL}")).expect("it parses");

    let oauth = config.oauth.expect("an oauth section");
    assert_eq!(
        (
            oauth.idp_token_lifetime_secs,
            oauth.sts_token_lifetime_secs,
            oauth.clients.len(),
            oauth.identity_pools.len()
        ),
        (3600, 900, 0, 0)
    );
}

#[test]
fn an_identity_pool_reads_every_environment_unless_told_otherwise() {
    let config = Config::from_text(&format!(
        "oauth: {{identity_pools: [{{id: pool-1}}]}}\n{MINIMAL}"
    ))
    .expect("it parses");

    assert_eq!(
        config.oauth.expect("an oauth section").identity_pools,
        [IdentityPool::new("pool-1")]
    );
}

#[test]
fn a_zero_sts_token_lifetime_is_refused() {
    assert_eq!(
        refusal(&format!("oauth: {{sts_token_lifetime_secs: 0}}\n{MINIMAL}")),
        "the emulator config is not valid at oauth.sts_token_lifetime_secs: must be between 1 and 2147483647 (the most seconds an access token of the STS lives)"
    );
}

#[test]
fn a_zero_idp_token_lifetime_is_refused() {
    assert_eq!(
        refusal(&format!("oauth: {{idp_token_lifetime_secs: 0}}\n{MINIMAL}")),
        "the emulator config is not valid at oauth.idp_token_lifetime_secs: must be between 1 and 2147483647 (seconds a subject token of the identity provider lives)"
    );
}

#[test]
fn an_oauth_client_listed_twice_is_refused() {
    let oauth = "oauth:\n  clients:\n    - {client_id: c, client_secret: one}\n    - {client_id: c, client_secret: two}\n";

    assert_eq!(
        refusal(&format!("{oauth}{MINIMAL}")),
        "the emulator config is not valid at oauth.clients[1].client_id: is listed twice"
    );
}

#[test]
fn an_identity_pool_listed_twice_is_refused() {
    let oauth =
        "oauth:\n  identity_pools:\n    - {id: pool-1}\n    - {id: pool-2}\n    - {id: pool-1}\n";

    assert_eq!(
        refusal(&format!("{oauth}{MINIMAL}")),
        "the emulator config is not valid at oauth.identity_pools[2].id: is listed twice"
    );
}

#[test]
fn an_empty_client_secret_is_refused() {
    let oauth = "oauth: {clients: [{client_id: c, client_secret: \"\"}]}\n";

    assert_eq!(
        refusal(&format!("{oauth}{MINIMAL}")),
        "the emulator config is not valid at oauth.clients[0].client_secret: must not be empty"
    );
}

#[test]
fn an_identity_pool_without_environments_is_refused() {
    let oauth = "oauth: {identity_pools: [{id: pool-1, environments: []}]}\n";

    assert_eq!(
        refusal(&format!("{oauth}{MINIMAL}")),
        "the emulator config is not valid at oauth.identity_pools[0].environments: list the environment ids this pool's access tokens may read, or \"*\" for all"
    );
}

#[test]
fn a_misspelt_oauth_field_is_refused() {
    let message = refusal(&format!("oauth: {{sts_token_lifetime: 5}}\n{MINIMAL}"));

    assert!(
        message.starts_with(
            "the emulator config is not valid: oauth: unknown field `sts_token_lifetime`, expected one of `idp_token_lifetime_secs`, `sts_token_lifetime_secs`, `clients`, `identity_pools`"
        ),
        "{message}"
    );
}

#[test]
fn the_debug_of_an_oauth_client_does_not_show_its_secret() {
    assert_eq!(
        format!("{:?}", OAuthClient::new("c", "hush")),
        "OAuthClient { client_id: \"c\", client_secret: \"[REDACTED]\" }"
    );
}
