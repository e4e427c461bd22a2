//! Conformance of the emulator, judged by a tool nobody here wrote: every answer the emulator
//! gives to the spec's operations goes through Prism's validating proxy (`prism proxy --errors`)
//! of `openapi/connect-v1.yaml`. An answer that breaks the spec comes out as a 500 with an
//! `sl-violations` header, so each test asserts the status the emulator meant to send and the
//! absence of that header, for every documented status of the three operations: GET offsets
//! (200 sink and source, 400, 401, 403, 404, 429, 500), POST alter (202, 400) and GET status
//! (200, 404).
//!
//! Faults that the spec does not describe (502, 503, HTML bodies, dropped connections) are
//! deliberately outside the spec and are not sent through here.

use std::sync::OnceLock;
use std::time::Duration;

use confluent_connect::{Client, Error, StatusCode};
use confluent_connect_tests::Prism;
use connect_emulator::{Config, Credential, Emulator, Faults, RateLimit};
use serde_json::{Value, json};

const ENV: &str = "env-emu001";
const CLUSTER: &str = "lkc-emu001";
const KEY: &str = "CONFORMANCEKEY01";
const SECRET: &str = "conformance-secret";
/// A key used only to exhaust its bucket, for the 429.
const LIMITED_KEY: &str = "CONFORMANCEKEY02";
const BURST: u32 = 50;

/// The emulator and the Prism proxy in front of it, shared by the tests of this binary. The
/// emulator runs on a runtime of its own thread, because each test has its own runtime.
struct Peers {
    prism: Prism,
}

fn config() -> Config {
    let mut config = Config {
        credentials: vec![
            Credential::api_key(KEY, SECRET),
            Credential::api_key(LIMITED_KEY, SECRET),
            Credential::api_key("ENV2ONLYKEY00001", SECRET).only_environments(["env-emu002"]),
            Credential::bearer_token("conformance-token"),
        ],
        // A slow refill: each key has `BURST` requests for the whole test run.
        rate_limit: Some(RateLimit {
            requests_per_second: 0.01,
            burst: BURST,
        }),
        manual_clock_start: Some(
            chrono::DateTime::parse_from_rfc3339("2024-02-20T15:14:19Z")
                .expect("a valid time")
                .to_utc(),
        ),
        ..Config::default()
    };
    // orders-sink always fails, for the documented 500.
    let orders = config.environments[0].clusters[0]
        .connectors
        .iter_mut()
        .find(|c| c.name == "orders-sink")
        .expect("the default config has orders-sink");
    orders.faults = Some(Faults::always(500));
    config
}

fn peers() -> &'static Peers {
    static PEERS: OnceLock<Peers> = OnceLock::new();
    PEERS.get_or_init(|| {
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("a runtime for the emulator");
            runtime.block_on(async move {
                let emulator = Emulator::builder()
                    .config(config())
                    .start()
                    .await
                    .expect("the emulator starts");
                sender
                    .send(emulator.base_url().to_owned())
                    .expect("the test thread waits for the URL");
                // Serve until the test process ends.
                std::future::pending::<()>().await;
                drop(emulator);
            });
        });
        let upstream = receiver
            .recv_timeout(Duration::from_secs(30))
            .expect("the emulator started");
        let prism = Prism::proxy(&upstream).unwrap_or_else(|e| panic!("{e}"));
        Peers { prism }
    })
}

fn path(environment: &str, cluster: &str, name: &str) -> String {
    format!("/connect/v1/environments/{environment}/clusters/{cluster}/connectors/{name}/offsets")
}

fn basic(key: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:{SECRET}"))
    )
}

/// Sends `request` (built on a client aimed at the proxy) and returns the answer; panics with
/// Prism's log if Prism found the emulator's answer broke the spec.
async fn conforming(request: reqwest::RequestBuilder, what: &str) -> reqwest::Response {
    let prism = &peers().prism;
    let response = request.send().await.expect("Prism answers");
    if let Some(violations) = response.headers().get("sl-violations") {
        panic!(
            "the emulator's answer to {what} breaks the spec: {violations:?}\n--- Prism log ---\n{}",
            prism.log()
        );
    }
    response
}

/// GET through the proxy, with `authorization`.
async fn through_prism(path: &str, authorization: &str) -> reqwest::Response {
    let request = reqwest::Client::new()
        .get(format!("{}{path}", peers().prism.base_url()))
        .header("Authorization", authorization);
    conforming(request, &format!("GET {path}")).await
}

/// POST of a JSON `body` through the proxy, with the main key.
async fn post_through_prism(path: &str, body: &str) -> reqwest::Response {
    let request = reqwest::Client::new()
        .post(format!("{}{path}", peers().prism.base_url()))
        .header("Authorization", basic(KEY))
        .header("Content-Type", "application/json")
        .body(body.to_owned());
    conforming(request, &format!("POST {path}")).await
}

/// The status of a conforming answer.
async fn conforming_status(path: &str, authorization: &str) -> u16 {
    through_prism(path, authorization).await.status().as_u16()
}

fn facade() -> Client {
    Client::builder()
        .api_key(KEY, SECRET)
        .base_url(peers().prism.base_url())
        .retry_policy(confluent_connect::RetryPolicy::none())
        .build()
        .expect("a client for the proxy")
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn a_sink_connectors_offsets_conform() {
    assert_eq!(
        conforming_status(&path(ENV, CLUSTER, "clicks-sink"), &basic(KEY)).await,
        200
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn a_source_connectors_offsets_conform() {
    assert_eq!(
        conforming_status(&path(ENV, CLUSTER, "inventory-jdbc-source"), &basic(KEY)).await,
        200
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn offsets_read_with_a_bearer_token_conform() {
    assert_eq!(
        conforming_status(
            &path(ENV, CLUSTER, "clicks-sink"),
            "Bearer conformance-token"
        )
        .await,
        200
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn the_facade_reads_conforming_offsets_through_the_proxy() {
    let offsets = facade()
        .connector(ENV, CLUSTER, "inventory-jdbc-source")
        .offsets()
        .await
        .expect("the proxy passes a conforming answer through");

    assert_eq!(offsets.name.as_deref(), Some("inventory-jdbc-source"));
    assert_eq!(offsets.offsets.len(), 2);
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn a_malformed_environment_id_400_conforms() {
    assert_eq!(
        conforming_status(&path("prod", CLUSTER, "clicks-sink"), &basic(KEY)).await,
        400
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn a_wrong_secret_401_conforms() {
    let wrong = {
        use base64::Engine as _;
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:nope"))
        )
    };
    assert_eq!(
        conforming_status(&path(ENV, CLUSTER, "clicks-sink"), &wrong).await,
        401
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn a_key_without_access_403_conforms() {
    assert_eq!(
        conforming_status(
            &path(ENV, CLUSTER, "clicks-sink"),
            &basic("ENV2ONLYKEY00001")
        )
        .await,
        403
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn an_unknown_environment_404_conforms() {
    assert_eq!(
        conforming_status(&path("env-nope", CLUSTER, "x"), &basic(KEY)).await,
        404
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn an_unknown_cluster_404_conforms() {
    assert_eq!(
        conforming_status(&path(ENV, "lkc-nope", "x"), &basic(KEY)).await,
        404
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn an_unknown_connector_404_conforms() {
    assert_eq!(
        conforming_status(&path(ENV, CLUSTER, "ghost"), &basic(KEY)).await,
        404
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn an_injected_500_conforms() {
    let status = conforming_status(&path(ENV, CLUSTER, "orders-sink"), &basic(KEY)).await;

    assert_eq!(status, 500);
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn the_facade_reads_the_injected_500_through_the_proxy() {
    let error = facade()
        .connector(ENV, CLUSTER, "orders-sink")
        .offsets()
        .await
        .expect_err("orders-sink always fails");

    match error {
        Error::Api(api) => assert_eq!(
            (api.status, api.code, api.message.as_deref()),
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Some(500),
                Some("Internal Server Error (injected by the emulator).")
            )
        ),
        other => panic!("expected the documented 500 body, got {other:?}"),
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn a_429_conforms() {
    let target = path(ENV, CLUSTER, "clicks-sink");
    let mut statuses = Vec::new();
    for _ in 0..=BURST {
        statuses.push(conforming_status(&target, &basic(LIMITED_KEY)).await);
    }

    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        BURST as usize
    );
    assert_eq!(statuses.last(), Some(&429));
}

fn request_path(name: &str) -> String {
    format!("{}/request", path(ENV, CLUSTER, name))
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn an_accepted_patch_202_and_its_status_200_conform() {
    let body = r#"{"type": "PATCH", "offsets": [{"partition": {"kafka_topic": "clicks", "kafka_partition": 1}, "offset": {"kafka_offset": 5}}]}"#;

    let accepted = post_through_prism(&request_path("clicks-sink"), body).await;
    let status = through_prism(
        &format!("{}/status", request_path("clicks-sink")),
        &basic(KEY),
    )
    .await;

    assert_eq!(accepted.status().as_u16(), 202);
    assert_eq!(status.status().as_u16(), 200);
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn an_accepted_reset_202_conforms() {
    let accepted = post_through_prism(
        &request_path("inventory-jdbc-source"),
        r#"{"type": "DELETE"}"#,
    )
    .await;

    assert_eq!(accepted.status().as_u16(), 202);
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn a_second_change_while_one_is_pending_400_conforms() {
    let body = r#"{"type": "PATCH", "offsets": [{"partition": {"kafka_topic": "payments", "kafka_partition": 0}, "offset": {"kafka_offset": 1}}]}"#;
    let path = format!(
        "{}/request",
        path("env-emu002", "lkc-emu002", "payments-sink")
    );

    let first = post_through_prism(&path, body).await;
    let second = post_through_prism(&path, body).await;

    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (202, 400)
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn the_status_of_an_unknown_connector_404_conforms() {
    let status = through_prism(
        &format!(
            "{}/status",
            request_path("clicks-sink").replace("clicks-sink", "ghost")
        ),
        &basic(KEY),
    )
    .await;

    assert_eq!(status.status().as_u16(), 404);
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn the_facade_reads_a_pending_status_through_the_proxy() {
    let connector = facade().connector(ENV, CLUSTER, "inventory-jdbc-source");
    // The reset test may have asked first; either way one change is pending on a frozen clock.
    match connector.reset_offsets().await {
        Ok(_) => {}
        Err(Error::Api(api)) if api.status == StatusCode::BAD_REQUEST => {}
        Err(other) => panic!("unexpected: {other:?}"),
    }

    let status = connector.alter_status().await.expect("a status");

    assert_eq!(status.phase, confluent_connect::AlterPhase::Pending);
}

/// The bearer token of the connector operations' tests: a rate-limit bucket of their own.
const BEARER: &str = "Bearer conformance-token";

fn connectors_path() -> String {
    format!("/connect/v1/environments/{ENV}/clusters/{CLUSTER}/connectors")
}

fn connector_path(name: &str, rest: &str) -> String {
    format!("{}/{name}{rest}", connectors_path())
}

/// A request with a JSON `body` through the proxy, with [`BEARER`].
async fn send_through_prism(method: reqwest::Method, path: &str, body: Option<Value>) -> u16 {
    let mut request = reqwest::Client::new()
        .request(
            method.clone(),
            format!("{}{path}", peers().prism.base_url()),
        )
        .header("Authorization", BEARER);
    if let Some(body) = body {
        request = request.json(&body);
    }
    conforming(request, &format!("{method} {path}"))
        .await
        .status()
        .as_u16()
}

/// A configuration creating `name` needs.
fn create_config(name: &str) -> Value {
    json!({
        "connector.class": "S3_SINK",
        "name": name,
        "kafka.api.key": "CONFORMANCEKAFKA",
        "kafka.api.secret": "conformance-kafka-secret",
        "topics": "orders",
    })
}

macro_rules! prism_test {
    ($name:ident, $body:block) => {
        #[tokio::test]
        #[cfg_attr(
            not(feature = "prism"),
            ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
        )]
        async fn $name() $body
    };
}

prism_test!(the_connector_names_200_conforms, {
    assert_eq!(conforming_status(&connectors_path(), BEARER).await, 200);
});

prism_test!(the_listing_of_an_unknown_cluster_404_conforms, {
    let path = format!("/connect/v1/environments/{ENV}/clusters/lkc-nowhere/connectors");
    assert_eq!(conforming_status(&path, BEARER).await, 404);
});

prism_test!(the_listing_with_a_wrong_token_401_conforms, {
    assert_eq!(
        conforming_status(&connectors_path(), "Bearer wrong").await,
        401
    );
});

prism_test!(a_connectors_status_200_conforms, {
    let path = connector_path("clicks-sink", "/status");
    assert_eq!(conforming_status(&path, BEARER).await, 200);
});

prism_test!(a_connector_200_and_its_config_200_conform, {
    assert_eq!(
        conforming_status(&connector_path("clicks-sink", ""), BEARER).await,
        200
    );
    let path = connector_path("clicks-sink", "/config");
    assert_eq!(conforming_status(&path, BEARER).await, 200);
});

prism_test!(
    a_connectors_tasks_200_and_the_clusters_plugins_200_conform,
    {
        let path = connector_path("clicks-sink", "/tasks");
        assert_eq!(conforming_status(&path, BEARER).await, 200);
        let path = format!("/connect/v1/environments/{ENV}/clusters/{CLUSTER}/connector-plugins");
        assert_eq!(conforming_status(&path, BEARER).await, 200);
    }
);

prism_test!(a_validation_200_conforms, {
    let path = format!(
        "/connect/v1/environments/{ENV}/clusters/{CLUSTER}/connector-plugins/S3_SINK/config/validate"
    );
    let config = json!({"connector.class": "S3_SINK", "name": "x", "kafka.api.key": "K"});
    assert_eq!(
        send_through_prism(reqwest::Method::PUT, &path, Some(config)).await,
        200
    );
});

prism_test!(the_status_of_an_unknown_connector_404_conforms_too, {
    let path = connector_path("no-such-connector", "/status");
    assert_eq!(conforming_status(&path, BEARER).await, 404);
});

prism_test!(
    creating_201_configuring_200_pausing_and_resuming_202_and_deleting_200_conform,
    {
        let name = "conformance-created";
        let created = send_through_prism(
            reqwest::Method::POST,
            &connectors_path(),
            Some(json!({
                "name": name,
                "config": create_config(name),
                "offsets": [{
                    "partition": {"kafka_topic": "orders", "kafka_partition": 0},
                    "offset": {"kafka_offset": 42}
                }]
            })),
        )
        .await;
        assert_eq!(created, 201);
        let path = connector_path(name, "/config");
        assert_eq!(
            send_through_prism(reqwest::Method::PUT, &path, Some(create_config(name))).await,
            200
        );
        for action in ["/pause", "/resume"] {
            let path = connector_path(name, action);
            assert_eq!(
                send_through_prism(reqwest::Method::PUT, &path, None).await,
                202
            );
        }
        let path = connector_path(name, "");
        assert_eq!(
            send_through_prism(reqwest::Method::DELETE, &path, None).await,
            200
        );
    }
);

prism_test!(creating_a_connector_that_exists_400_conforms, {
    let status = send_through_prism(
        reqwest::Method::POST,
        &connectors_path(),
        Some(json!({ "name": "clicks-sink", "config": create_config("clicks-sink") })),
    )
    .await;
    assert_eq!(status, 400);
});

prism_test!(a_configuration_without_the_kafka_key_400_conforms, {
    let path = connector_path("clicks-sink", "/config");
    let status = send_through_prism(
        reqwest::Method::PUT,
        &path,
        Some(json!({ "connector.class": "S3_SINK", "name": "clicks-sink",
                     "kafka.api.key": "", "kafka.api.secret": "x" })),
    )
    .await;
    assert_eq!(status, 400);
});

// The listing with expansions (`.../connectors?expand=info,status,id`) is not sent through
// here: Prism 5 matches a path key with a query string to the bare path, and judges the answer
// against the names listing (an array). Its answers are checked by decoding them, in
// `connectors.rs`.

prism_test!(
    the_facade_lists_names_and_reads_a_status_through_the_proxy,
    {
        let client = Client::builder()
            .bearer_token("conformance-token")
            .base_url(peers().prism.base_url())
            .retry_policy(confluent_connect::RetryPolicy::none())
            .build()
            .expect("a client for the proxy");
        let cluster = client.cluster(ENV, CLUSTER);
        let names = cluster
            .connectors()
            .await
            .unwrap_or_else(|e| panic!("{e:?}\n--- Prism log ---\n{}", peers().prism.log()));
        assert!(names.contains(&"clicks-sink".to_string()), "{names:?}");
        let status = cluster
            .connector("clicks-sink")
            .status()
            .await
            .unwrap_or_else(|e| panic!("{e:?}\n--- Prism log ---\n{}", peers().prism.log()));
        assert_eq!(status.state, confluent_connect::ConnectorState::Running);
    }
);
