//! The facade against the emulator: state, live progress, observation lag, auth, rate limits and
//! fault injection, each read through `confluent-connect` as a user would.

use std::time::Duration;

use chrono::{DateTime, Utc};
use confluent_connect::{Client, Error, Pacing, RetryPolicy, SinkOffset, StatusCode};
use connect_emulator::{
    Cluster, Config, ConnectorSpec, Credential, DEFAULT_API_KEY, DEFAULT_API_SECRET, Emulator,
    EmulatorBuilder, Environment, ErrorBody, FaultScope, Faults, RateLimit, SinkSpec, TopicSpec,
};
use serde_json::json;

const ENV: &str = "env-emu001";
const CLUSTER: &str = "lkc-emu001";

fn start_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-02-20T15:14:19Z")
        .expect("a valid RFC 3339 time")
        .to_utc()
}

/// The default world on a clock that stands still at [`start_time`], observed every second.
fn frozen() -> EmulatorBuilder {
    Emulator::builder()
        .manual_clock(start_time())
        .observation_interval(Duration::from_secs(1))
}

async fn start(builder: EmulatorBuilder) -> Emulator {
    builder.start().await.expect("the emulator starts")
}

fn client(emulator: &Emulator) -> Client {
    client_with_key(emulator, DEFAULT_API_KEY, DEFAULT_API_SECRET)
}

/// A client that sends each request once, and as soon as it is asked, so a test sees the
/// emulator's one answer (a 429 included).
fn client_with_key(emulator: &Emulator, key: &str, secret: &str) -> Client {
    Client::builder()
        .api_key(key, secret.to_owned())
        .base_url(emulator.base_url())
        .retry_policy(RetryPolicy::none())
        .pacing(Pacing::headers_ignored())
        .build()
        .expect("a client for the emulator")
}

fn sink(topic: &str, partition: i32, offset: i64) -> SinkOffset {
    SinkOffset {
        topic: topic.to_owned(),
        partition,
        offset,
    }
}

async fn sink_offsets(client: &Client, name: &str) -> Vec<SinkOffset> {
    client
        .connector(ENV, CLUSTER, name)
        .offsets()
        .await
        .expect("the connector's offsets")
        .sink()
        .expect("a sink connector")
}

async fn error_for(client: &Client, environment: &str, cluster: &str, name: &str) -> Error {
    client
        .connector(environment, cluster, name)
        .offsets()
        .await
        .expect_err("the request fails")
}

fn api_error(error: Error) -> (StatusCode, Option<i64>, Option<String>) {
    match error {
        Error::Api(api) => (api.status, api.code, api.message),
        other => panic!("expected the documented error body, got {other:?}"),
    }
}

#[tokio::test]
async fn a_sink_connector_reads_its_topic_partitions_at_their_start_offsets() {
    let emulator = start(frozen()).await;

    let offsets = client(&emulator)
        .connector(ENV, CLUSTER, "orders-sink")
        .offsets()
        .await
        .expect("the offsets of orders-sink");

    assert_eq!(offsets.name.as_deref(), Some("orders-sink"));
    assert_eq!(offsets.id.as_deref(), Some("lcc-orderssink"));
    assert_eq!(
        offsets.observed_at.as_ref().map(|t| t.raw()),
        Some("2024-02-20 15:14:19+00:00")
    );
    assert_eq!(
        offsets.sink().expect("a sink connector"),
        [
            sink("orders", 0, 1000),
            sink("orders", 1, 1000),
            sink("orders", 2, 1000)
        ]
    );
}

#[tokio::test]
async fn a_source_connector_reads_its_own_partition_and_offset_objects() {
    let emulator = start(frozen()).await;

    let offsets = client(&emulator)
        .connector(ENV, CLUSTER, "inventory-jdbc-source")
        .offsets()
        .await
        .expect("the offsets of the JDBC source");

    let pairs: Vec<_> = offsets
        .offsets
        .iter()
        .map(|o| (json!(o.partition()), json!(o.offset())))
        .collect();
    assert_eq!(
        pairs,
        [
            (
                json!({"protocol": 1, "table": "inventory.products"}),
                json!({"timestamp": 1_708_442_059_000_i64, "timestamp_nanos": 0, "incrementing": 100})
            ),
            (
                json!({"protocol": 1, "table": "inventory.stock"}),
                json!({"timestamp": 1_708_442_000_000_i64, "timestamp_nanos": 0, "incrementing": 2500})
            ),
        ]
    );
}

#[tokio::test]
async fn sink_offsets_advance_at_the_configured_rate_and_a_stalled_partition_does_not() {
    let emulator = start(frozen()).await;
    let client = client(&emulator);

    emulator
        .advance_clock(Duration::from_secs(10))
        .expect("a manual clock moves");

    // clicks: from 15,000 at 40 records/s per partition, partition 4 stalled;
    // clicks-retry: from 120 at 1 record/s.
    let expected: Vec<SinkOffset> = (0..6)
        .map(|p| sink("clicks", p, if p == 4 { 15_000 } else { 15_400 }))
        .chain((0..2).map(|p| sink("clicks-retry", p, 130)))
        .collect();
    assert_eq!(sink_offsets(&client, "clicks-sink").await, expected);
}

#[tokio::test]
async fn source_offsets_advance_their_configured_fields() {
    let emulator = start(frozen()).await;
    emulator
        .advance_clock(Duration::from_secs(2))
        .expect("a manual clock moves");

    let offsets = client(&emulator)
        .connector(ENV, CLUSTER, "inventory-jdbc-source")
        .offsets()
        .await
        .expect("the offsets of the JDBC source");

    assert_eq!(
        json!(offsets.offsets[0].offset()),
        json!({"timestamp": 1_708_442_061_000_i64, "timestamp_nanos": 0, "incrementing": 106})
    );
}

#[tokio::test]
async fn the_api_returns_the_last_observation_until_the_next_one() {
    let emulator = start(frozen().observation_interval(Duration::from_secs(5))).await;
    let client = client(&emulator);

    emulator
        .advance_clock(Duration::from_millis(4999))
        .expect("a manual clock moves");
    let before = client
        .connector(ENV, CLUSTER, "orders-sink")
        .offsets()
        .await
        .expect("offsets");
    emulator
        .advance_clock(Duration::from_millis(1))
        .expect("a manual clock moves");
    let after = client
        .connector(ENV, CLUSTER, "orders-sink")
        .offsets()
        .await
        .expect("offsets");

    assert_eq!(
        before.observed_at.as_ref().map(|t| t.raw()),
        Some("2024-02-20 15:14:19+00:00")
    );
    assert_eq!(before.sink().expect("sink")[0], sink("orders", 0, 1000));
    assert_eq!(
        after.observed_at.as_ref().map(|t| t.raw()),
        Some("2024-02-20 15:14:24+00:00")
    );
    assert_eq!(after.sink().expect("sink")[0], sink("orders", 0, 1025));
}

#[tokio::test]
async fn on_the_system_clock_sink_offsets_grow_between_observations() {
    let emulator =
        start(Emulator::builder().observation_interval(Duration::from_millis(100))).await;
    let client = client(&emulator);

    let first = sink_offsets(&client, "clicks-sink").await;
    tokio::time::sleep(Duration::from_millis(350)).await;
    let second = sink_offsets(&client, "clicks-sink").await;

    assert!(
        second[0].offset > first[0].offset,
        "partition 0 advanced: {first:?} then {second:?}"
    );
    assert_eq!(first[4], second[4], "partition 4 is stalled");
}

#[tokio::test]
async fn a_bearer_token_is_accepted() {
    let emulator = start(frozen()).await;
    let client = Client::builder()
        .bearer_token("emulator-token".to_owned())
        .base_url(emulator.base_url())
        .build()
        .expect("a client");

    assert_eq!(sink_offsets(&client, "orders-sink").await.len(), 3);
}

#[tokio::test]
async fn a_wrong_secret_is_401_with_the_documented_body() {
    let emulator = start(frozen()).await;
    let client = client_with_key(&emulator, DEFAULT_API_KEY, "not-the-secret");

    assert_eq!(
        api_error(error_for(&client, ENV, CLUSTER, "orders-sink").await),
        (
            StatusCode::UNAUTHORIZED,
            Some(401),
            Some("Invalid API key or secret.".to_owned())
        )
    );
}

#[tokio::test]
async fn an_unknown_key_is_401_like_a_wrong_secret() {
    let emulator = start(frozen()).await;
    let client = client_with_key(&emulator, "NOSUCHKEY", DEFAULT_API_SECRET);

    assert_eq!(
        api_error(error_for(&client, ENV, CLUSTER, "orders-sink").await).0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_wrong_bearer_token_is_401() {
    let emulator = start(frozen()).await;
    let client = Client::builder()
        .bearer_token("expired".to_owned())
        .base_url(emulator.base_url())
        .build()
        .expect("a client");

    assert_eq!(
        api_error(error_for(&client, ENV, CLUSTER, "orders-sink").await),
        (
            StatusCode::UNAUTHORIZED,
            Some(401),
            Some("Invalid or expired bearer token.".to_owned())
        )
    );
}

#[tokio::test]
async fn a_key_without_access_to_the_environment_is_403() {
    let emulator = start(frozen()).await;
    let client = client_with_key(&emulator, "EMUKEY0000000002", "emulator-secret-2");

    assert_eq!(
        api_error(error_for(&client, ENV, CLUSTER, "orders-sink").await),
        (
            StatusCode::FORBIDDEN,
            Some(403),
            Some("This credential has no access to environment env-emu001.".to_owned())
        )
    );
}

#[tokio::test]
async fn the_same_key_reads_the_environment_it_may_access() {
    let emulator = start(frozen()).await;
    let client = client_with_key(&emulator, "EMUKEY0000000002", "emulator-secret-2");

    let offsets = client
        .connector("env-emu002", "lkc-emu002", "payments-sink")
        .offsets()
        .await
        .expect("payments-sink is in env-emu002");
    assert_eq!(
        offsets.sink().expect("sink"),
        [sink("payments", 0, 42), sink("payments", 1, 42)]
    );
}

#[tokio::test]
async fn an_unknown_environment_is_404() {
    let emulator = start(frozen()).await;

    assert_eq!(
        api_error(error_for(&client(&emulator), "env-nope", CLUSTER, "orders-sink").await),
        (
            StatusCode::NOT_FOUND,
            Some(404),
            Some("Environment env-nope was not found.".to_owned())
        )
    );
}

#[tokio::test]
async fn an_unknown_cluster_is_404() {
    let emulator = start(frozen()).await;

    assert_eq!(
        api_error(error_for(&client(&emulator), ENV, "lkc-nope", "orders-sink").await),
        (
            StatusCode::NOT_FOUND,
            Some(404),
            Some("Kafka cluster lkc-nope was not found in environment env-emu001.".to_owned())
        )
    );
}

#[tokio::test]
async fn an_unknown_connector_is_404() {
    let emulator = start(frozen()).await;

    assert_eq!(
        api_error(error_for(&client(&emulator), ENV, CLUSTER, "no-such-sink").await),
        (
            StatusCode::NOT_FOUND,
            Some(404),
            Some(
                "Connector \"no-such-sink\" was not found in Kafka cluster lkc-emu001 of environment env-emu001."
                    .to_owned()
            )
        )
    );
}

#[tokio::test]
async fn a_malformed_environment_id_is_400() {
    let emulator = start(frozen()).await;

    assert_eq!(
        api_error(error_for(&client(&emulator), "production", CLUSTER, "orders-sink").await),
        (
            StatusCode::BAD_REQUEST,
            Some(400),
            Some(
                "Environment id \"production\" is malformed: it must be \"env-\" followed by lowercase letters or digits."
                    .to_owned()
            )
        )
    );
}

#[tokio::test]
async fn a_malformed_cluster_id_is_400() {
    let emulator = start(frozen()).await;

    assert_eq!(
        api_error(error_for(&client(&emulator), ENV, "LKC-1", "orders-sink").await).0,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn past_the_burst_a_credential_is_rate_limited_with_the_headers() {
    let limit = RateLimit {
        requests_per_second: 0.2,
        burst: 2,
    };
    let emulator = start(frozen().rate_limit(Some(limit))).await;
    let client = client(&emulator);
    sink_offsets(&client, "orders-sink").await;
    sink_offsets(&client, "orders-sink").await;

    let error = error_for(&client, ENV, CLUSTER, "orders-sink").await;

    let Error::RateLimited(limited) = error else {
        panic!("expected RateLimited, got {error:?}");
    };
    assert_eq!(
        (
            limited.retry_after,
            limited.limit,
            limited.remaining,
            limited.reset
        ),
        (Some(5), Some(2), Some(0), Some(10))
    );
    assert_eq!(limited.request_id.as_deref().map(str::len), Some(32));
}

#[tokio::test]
async fn each_credential_has_its_own_bucket() {
    let limit = RateLimit {
        requests_per_second: 0.2,
        burst: 1,
    };
    let emulator = start(frozen().rate_limit(Some(limit))).await;
    let first = client(&emulator);
    let second = Client::builder()
        .bearer_token("emulator-token".to_owned())
        .base_url(emulator.base_url())
        .pacing(Pacing::headers_ignored())
        .build()
        .expect("a client");

    sink_offsets(&first, "orders-sink").await;
    assert!(matches!(
        error_for(&first, ENV, CLUSTER, "orders-sink").await,
        Error::RateLimited(_)
    ));
    assert_eq!(sink_offsets(&second, "orders-sink").await.len(), 3);
}

#[tokio::test]
async fn an_injected_500_carries_the_documented_body() {
    let emulator = start(frozen().faults(Faults::always(500))).await;

    assert_eq!(
        api_error(error_for(&client(&emulator), ENV, CLUSTER, "orders-sink").await),
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            Some(500),
            Some("Internal Server Error (injected by the emulator).".to_owned())
        )
    );
}

#[tokio::test]
async fn an_injected_502_with_an_html_body_is_an_unexpected_response() {
    let faults = Faults {
        error_body: ErrorBody::Html,
        ..Faults::always(502)
    };
    let emulator = start(frozen().faults(faults)).await;

    let error = error_for(&client(&emulator), ENV, CLUSTER, "orders-sink").await;

    match error {
        Error::UnexpectedResponse {
            status,
            body_excerpt,
            request_id,
        } => {
            assert_eq!(status, StatusCode::BAD_GATEWAY);
            assert!(
                body_excerpt.contains("<h1>502 Bad Gateway</h1>"),
                "{body_excerpt}"
            );
            assert!(request_id.is_some());
        }
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn an_injected_503_with_an_empty_body_keeps_its_status() {
    let faults = Faults {
        error_body: ErrorBody::Empty,
        ..Faults::always(503)
    };
    let emulator = start(frozen().faults(faults)).await;

    let error = error_for(&client(&emulator), ENV, CLUSTER, "orders-sink").await;

    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
}

#[tokio::test]
async fn a_dropped_connection_is_a_transport_error_without_status() {
    let faults = Faults {
        drop_rate: 1.0,
        ..Faults::default()
    };
    let emulator = start(frozen().faults(faults)).await;

    let error = error_for(&client(&emulator), ENV, CLUSTER, "orders-sink").await;

    assert!(
        matches!(error, Error::Transport { status: None, .. }),
        "expected a transport error, got {error:?}"
    );
}

#[tokio::test]
async fn a_truncated_body_is_a_body_cut_off_error_with_the_status_and_the_bytes_received_of_those_announced()
 {
    let faults = Faults {
        truncate_rate: 1.0,
        ..Faults::default()
    };
    let emulator = start(frozen().faults(faults)).await;

    let error = error_for(&client(&emulator), ENV, CLUSTER, "orders-sink").await;

    let Error::BodyCutOff {
        status,
        received,
        announced,
        ..
    } = &error
    else {
        panic!("expected a body cut off after a 200 head, got {error:?}");
    };
    assert_eq!(*status, StatusCode::OK);
    let announced = announced.expect("the emulator announces a Content-Length");
    assert!(announced > 0);
    // The emulator sends the first half of the body, then cuts the connection.
    assert_eq!(*received, announced / 2);
    assert!(
        error.to_string().starts_with(&format!(
            "the 200 OK answer (request id {}) was cut off after {received} bytes of the \
             {announced} it announced: ",
            error.request_id().expect("the emulator sends a request id")
        )),
        "{error}"
    );
}

#[tokio::test]
async fn added_latency_beyond_the_client_timeout_is_a_timeout() {
    let faults = Faults {
        latency_ms: 2_000,
        ..Faults::default()
    };
    let emulator = start(frozen().faults(faults)).await;
    let client = Client::builder()
        .api_key(DEFAULT_API_KEY, DEFAULT_API_SECRET.to_owned())
        .base_url(emulator.base_url())
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_millis(200))
        .build()
        .expect("a client");

    let error = error_for(&client, ENV, CLUSTER, "orders-sink").await;

    assert!(
        matches!(error, Error::Timeout { .. }),
        "expected a timeout, got {error:?}"
    );
}

#[tokio::test]
async fn connector_faults_replace_the_global_ones_for_that_connector_only() {
    let emulator = start(frozen()).await;
    let client = client(&emulator);
    emulator
        .set_faults(
            FaultScope::connector(ENV, CLUSTER, "orders-sink"),
            Faults::always(503),
        )
        .expect("orders-sink exists");

    let broken = error_for(&client, ENV, CLUSTER, "orders-sink").await;
    let healthy = sink_offsets(&client, "clicks-sink").await;

    assert_eq!(broken.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(healthy.len(), 8);
}

#[tokio::test]
async fn clearing_connector_faults_restores_normal_answers() {
    let emulator = start(frozen()).await;
    let client = client(&emulator);
    let scope = FaultScope::connector(ENV, CLUSTER, "orders-sink");
    emulator
        .set_faults(scope.clone(), Faults::always(500))
        .expect("orders-sink exists");
    error_for(&client, ENV, CLUSTER, "orders-sink").await;

    emulator.clear_faults(scope).expect("orders-sink exists");

    assert_eq!(sink_offsets(&client, "orders-sink").await.len(), 3);
}

#[tokio::test]
async fn faults_set_through_the_admin_path_apply_at_once() {
    let emulator = start(frozen()).await;
    let admin = reqwest::Client::new();
    let response = admin
        .put(format!("{}/emulator/v1/faults", emulator.base_url()))
        .body(r#"{"error_rate": 1.0, "error_statuses": [502]}"#)
        .send()
        .await
        .expect("the admin path answers");
    assert_eq!(response.status(), reqwest::StatusCode::OK);

    let error = error_for(&client(&emulator), ENV, CLUSTER, "orders-sink").await;

    assert_eq!(error.status(), Some(StatusCode::BAD_GATEWAY));
}

#[tokio::test]
async fn a_fault_for_an_unknown_connector_is_refused() {
    let emulator = start(frozen()).await;

    let error = emulator
        .set_faults(
            FaultScope::connector(ENV, CLUSTER, "ghost"),
            Faults::always(500),
        )
        .expect_err("there is no such connector");

    assert_eq!(
        error.to_string(),
        "no connector \"ghost\" in environment env-emu001, cluster lkc-emu001"
    );
}

#[tokio::test]
async fn a_configured_world_is_served_instead_of_the_default() {
    let config = Config {
        credentials: vec![Credential::api_key("K", "S")],
        environments: vec![Environment {
            id: "env-own".to_owned(),
            clusters: vec![Cluster {
                id: "lkc-own".to_owned(),
                connectors: vec![ConnectorSpec {
                    name: "big-sink".to_owned(),
                    id: Some("lcc-big".to_owned()),
                    sink: Some(SinkSpec {
                        topics: vec![TopicSpec {
                            name: "t".to_owned(),
                            partitions: 1,
                            start_offset: i64::MAX - 1,
                            rate_per_second: 1000.0,
                            stalled_partitions: vec![],
                        }],
                    }),
                    source: None,
                    faults: None,
                }],
            }],
        }],
        ..Config::default()
    };
    let emulator = start(frozen().config(config).manual_clock(start_time())).await;
    emulator
        .advance_clock(Duration::from_secs(60))
        .expect("a manual clock moves");
    let client = client_with_key(&emulator, "K", "S");

    let offsets = client
        .connector("env-own", "lkc-own", "big-sink")
        .offsets()
        .await
        .expect("offsets");

    assert_eq!(offsets.id.as_deref(), Some("lcc-big"));
    assert_eq!(offsets.sink().expect("sink"), [sink("t", 0, i64::MAX)]);
}

#[tokio::test]
async fn after_shutdown_the_port_refuses_connections() {
    let emulator = start(frozen()).await;
    let client = client(&emulator);

    emulator.shutdown().await;

    let error = error_for(&client, ENV, CLUSTER, "orders-sink").await;
    assert!(
        matches!(error, Error::Transport { status: None, .. }),
        "expected connection refused, got {error:?}"
    );
}
