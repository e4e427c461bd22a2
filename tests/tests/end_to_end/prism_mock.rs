//! The facade against Prism's mock of `openapi/connect-v1.yaml`: a third party's reading of the
//! spec, not ours. Each documented answer of the offsets operation, picked with Prism's
//! `Prefer: code=NNN` or `Prefer: example=NAME` header, must come out of
//! `Connector::offsets` as exactly the typed result that the spec's example describes. Prism
//! also checks every request against the spec before it answers, so its 200 to a plain request
//! says that the facade asks the way the spec says.
//!
//! The expected values are read from the spec's examples, not typed again here.

use std::sync::OnceLock;

use confluent_connect::{
    AlterRequest, AlterStatus, ApiError, Client, ClientBuilder, ConnectorOffsets, Error,
    JsonObject, NotSinkOffset, PartitionOffset, RateLimited, SinkOffset, StatusCode, Timestamp,
};
use confluent_connect_tests::{
    CLUSTER, CONNECTOR, ENV, KEY, Prism, SECRET, default_offsets_path, example, named_example,
};
use serde_json::Value;

/// The one Prism of this test binary, started by the first test that needs it. It is never
/// dropped; it stops when the process ends (see [`Prism`]).
fn prism() -> &'static Prism {
    static PRISM: OnceLock<Prism> = OnceLock::new();
    PRISM.get_or_init(|| Prism::mock().unwrap_or_else(|e| panic!("{e}")))
}

/// A builder aimed at Prism, authenticated with [`KEY`] and [`SECRET`].
fn builder() -> ClientBuilder {
    Client::builder()
        .api_key(KEY, SECRET)
        .base_url(prism().base_url())
        .retry_policy(confluent_connect::RetryPolicy::none())
}

/// The default connector's offsets, through the facade, from a client built by `builder`.
async fn offsets_with(builder: ClientBuilder) -> Result<ConnectorOffsets, Error> {
    builder
        .build()
        .expect("a client for Prism builds")
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
}

/// The default connector's offsets, from Prism asked for `prefer` (`code=404`, `example=sink`).
async fn offsets_preferring(prefer: &str) -> Result<ConnectorOffsets, Error> {
    offsets_with(builder().default_header("Prefer", prefer)).await
}

/// `result`'s offsets, or a panic that shows the error and Prism's log.
fn expect_offsets(result: Result<ConnectorOffsets, Error>) -> ConnectorOffsets {
    result.unwrap_or_else(|e| {
        panic!(
            "expected offsets, got {e:?}\nPrism's log:\n{}",
            prism().log()
        )
    })
}

/// The `Error::Api` of Prism's answer with the documented `status`.
async fn documented_error(status: u16) -> ApiError {
    match offsets_preferring(&format!("code={status}")).await {
        Err(Error::Api(error)) => error,
        other => panic!(
            "expected Error::Api for {status}, got {other:?}\nPrism's log:\n{}",
            prism().log()
        ),
    }
}

fn object(value: &Value) -> JsonObject {
    match value {
        Value::Object(object) => object.clone(),
        other => panic!("not a JSON object: {other}"),
    }
}

/// What the facade must make of a 200 body that is `example`, read from it field by field.
fn offsets_of(example: &Value) -> ConnectorOffsets {
    let entries = example["offsets"]
        .as_array()
        .expect("the example has an `offsets` array");
    assert!(!entries.is_empty(), "the example has no offsets: {example}");
    let mut offsets = ConnectorOffsets::new(
        entries
            .iter()
            .map(|entry| {
                PartitionOffset::new(object(&entry["partition"]), object(&entry["offset"]))
                    .expect("objects of plain values make an entry")
            })
            .collect(),
    );
    if let Some(name) = example["name"].as_str() {
        offsets = offsets.with_name(name);
    }
    if let Some(id) = example["id"].as_str() {
        offsets = offsets.with_id(id);
    }
    if let Some(observed_at) = example["metadata"]["observed_at"].as_str() {
        offsets = offsets.with_observed_at(Timestamp::parse(observed_at));
    }
    offsets
}

/// The sink view of a sink-shaped `example`, read from it field by field.
fn sink_offsets_of(example: &Value) -> Vec<SinkOffset> {
    example["offsets"]
        .as_array()
        .expect("the example has an `offsets` array")
        .iter()
        .map(|entry| SinkOffset {
            topic: entry["partition"]["kafka_topic"]
                .as_str()
                .expect("a sink partition has a kafka_topic")
                .to_string(),
            partition: entry["partition"]["kafka_partition"]
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .expect("a sink partition has a 32-bit kafka_partition"),
            offset: entry["offset"]["kafka_offset"]
                .as_i64()
                .expect("a sink offset has a 64-bit kafka_offset"),
        })
        .collect()
}

/// The `ApiError` the spec's example body of `status` describes. Prism sends no
/// `X-Request-Id` with it: the spec documents none for this status.
fn api_error_of(status: u16) -> ApiError {
    let body = example(status);
    let error = &body["error"];
    let code = error["code"].as_i64();
    let message = error["message"].as_str().map(str::to_string);
    assert!(
        code.is_some() && message.is_some(),
        "the {status} example has no code or message: {body}"
    );
    ApiError::new(
        StatusCode::from_u16(status).expect("a documented status is a status"),
        code,
        message,
        None,
    )
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn sink_example_is_the_exact_offsets_and_sink_view() {
    let expected = named_example(200, "sink");

    let offsets = expect_offsets(offsets_preferring("example=sink").await);

    assert_eq!(offsets, offsets_of(&expected));
    assert_eq!(offsets.sink(), Ok(sink_offsets_of(&expected)));
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn source_example_is_the_exact_offsets_and_not_a_sink() {
    let expected = named_example(200, "source");

    let offsets = expect_offsets(offsets_preferring("example=source").await);

    assert_eq!(offsets, offsets_of(&expected));
    assert_eq!(
        offsets.sink(),
        Err(NotSinkOffset {
            index: 0,
            reason: "the partition has no `kafka_topic`".to_string(),
        })
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn documented_400_is_an_api_error_with_the_examples_code_and_message() {
    assert_eq!(documented_error(400).await, api_error_of(400));
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn documented_401_is_an_api_error_with_the_examples_code_and_message() {
    assert_eq!(documented_error(401).await, api_error_of(401));
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn documented_403_is_an_api_error_with_the_examples_code_and_message() {
    assert_eq!(documented_error(403).await, api_error_of(403));
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn documented_404_is_an_api_error_with_the_examples_code_and_message() {
    assert_eq!(documented_error(404).await, api_error_of(404));
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn documented_500_is_an_api_error_with_the_examples_code_and_message() {
    assert_eq!(documented_error(500).await, api_error_of(500));
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn documented_429_is_rate_limited_with_every_documented_header_read() {
    let error = offsets_preferring("code=429")
        .await
        .expect_err("429 is an error");

    assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    let Error::RateLimited(limited) = error else {
        panic!("expected Error::RateLimited, got {error:?}");
    };
    // The spec documents the headers with a schema and no example, so Prism makes each value
    // up from its type: 0 for an integer, "string" for a string. That each one arrived and was
    // read into its field is what this shows.
    assert_eq!(
        limited,
        RateLimited::new()
            .with_retry_after(Some(0))
            .with_limit(Some(0))
            .with_remaining(Some(0))
            .with_reset(Some(0))
            .with_request_id(Some("string".to_string()))
    );
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn prism_accepts_the_request_sent_with_an_api_key() {
    // Without `Prefer`, Prism validates the request and answers its first example, `sink`;
    // a request that broke the spec would get 401, 400, 404 or 406 instead.
    let offsets = expect_offsets(offsets_with(builder()).await);

    assert_eq!(offsets, offsets_of(&named_example(200, "sink")));
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn prism_accepts_the_request_sent_with_a_bearer_token() {
    let client = Client::builder()
        .bearer_token("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzYS0xIn0.c2lnbmF0dXJl")
        .base_url(prism().base_url());

    let offsets = expect_offsets(offsets_with(client).await);

    assert_eq!(offsets, offsets_of(&named_example(200, "sink")));
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn prism_accepts_a_percent_encoded_connector_name() {
    let offsets = expect_offsets(
        builder()
            .build()
            .expect("a client for Prism builds")
            .connector(ENV, CLUSTER, "orders/sink v2?#%")
            .offsets()
            .await,
    );

    assert_eq!(offsets, offsets_of(&named_example(200, "sink")));
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn prism_refuses_a_request_without_credentials() {
    // The other side of the tests above: Prism does check the credentials the spec requires.
    let response = prism()
        .get(&default_offsets_path(), &[])
        .unwrap_or_else(|e| panic!("{e}"));

    assert_eq!(response.status, 401, "{response:?}");
    let violations: Value = serde_json::from_str(
        response
            .header("sl-violations")
            .expect("Prism says what is wrong"),
    )
    .expect("sl-violations is JSON");
    assert_eq!(
        violations[0]["message"], "Invalid security scheme used",
        "{violations}"
    );
}

/// The spec's example of the `status` answer of the operation at `suffix` of the offsets path
/// (`/request` or `/request/status`) with `method`.
fn lifecycle_example(suffix: &str, method: &str, status: u16) -> Value {
    let template = format!(
        "/connect/v1/environments/{{environment_id}}/clusters/{{kafka_cluster_id}}/connectors/{{connector_name}}/offsets{suffix}"
    );
    let example = &confluent_connect_tests::spec()["paths"][template.as_str()][method]["responses"]
        [status.to_string()]["content"]["application/json"]["example"];
    assert!(
        !example.is_null(),
        "no example for {method} {suffix} {status}"
    );
    example.clone()
}

fn sink_entry(partition: i64, offset: i64) -> PartitionOffset {
    PartitionOffset::new(
        object(&serde_json::json!({"kafka_topic": "orders", "kafka_partition": partition})),
        object(&serde_json::json!({"kafka_offset": offset})),
    )
    .expect("objects of plain values make an entry")
}

fn connector_preferring(prefer: &str) -> confluent_connect::Connector {
    builder()
        .default_header("Prefer", prefer)
        .build()
        .expect("a client for Prism builds")
        .connector(ENV, CLUSTER, CONNECTOR)
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn prism_accepts_the_facades_patch_and_answers_the_202_example() {
    let expected = AlterRequest::from_json(
        &serde_json::to_vec(&lifecycle_example("/request", "post", 202)).expect("JSON"),
    )
    .expect("the example decodes");

    let request = connector_preferring("code=202")
        .alter_offsets(&[sink_entry(0, 1000)])
        .await
        .unwrap_or_else(|e| panic!("{e:?}\nPrism's log:\n{}", prism().log()));

    assert_eq!(request, expected);
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn prism_accepts_the_facades_reset() {
    let request = connector_preferring("code=202")
        .reset_offsets()
        .await
        .unwrap_or_else(|e| panic!("{e:?}\nPrism's log:\n{}", prism().log()));

    assert_eq!(request.connector_id, "lcc-as341");
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn the_status_example_decodes_to_the_applied_status() {
    let expected = AlterStatus::from_json(
        &serde_json::to_vec(&lifecycle_example("/request/status", "get", 200)).expect("JSON"),
    )
    .expect("the example decodes");

    let status = connector_preferring("code=200")
        .alter_status()
        .await
        .unwrap_or_else(|e| panic!("{e:?}\nPrism's log:\n{}", prism().log()));

    assert_eq!(status, expected);
    assert_eq!(status.phase, confluent_connect::AlterPhase::Applied);
}

/// Asks Prism for each documented error status of the operation at `suffix` with `method`,
/// through `call`, and checks the facade's `Error::Api` against the spec's example.
async fn assert_errors_match_examples<F, Fut, T>(suffix: &str, method: &str, call: F)
where
    F: Fn(confluent_connect::Connector) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
    T: std::fmt::Debug,
{
    for status in [400_u16, 401, 403, 404, 500] {
        let body = lifecycle_example(suffix, method, status);

        let error = call(connector_preferring(&format!("code={status}")))
            .await
            .expect_err("an error status");

        match error {
            Error::Api(api) => assert_eq!(
                (api.status.as_u16(), api.code, api.message.as_deref()),
                (
                    status,
                    body["error"]["code"].as_i64(),
                    body["error"]["message"].as_str()
                ),
            ),
            other => panic!("expected Error::Api for {method} {suffix} {status}, got {other:?}"),
        }
    }
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn every_documented_error_of_alter_is_an_api_error_with_its_example() {
    assert_errors_match_examples("/request", "post", |connector| async move {
        connector.alter_offsets(&[sink_entry(0, 1)]).await
    })
    .await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn every_documented_error_of_status_is_an_api_error_with_its_example() {
    assert_errors_match_examples("/request/status", "get", |connector| async move {
        connector.alter_status().await
    })
    .await;
}

#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn a_429_to_the_status_is_rate_limited() {
    let error = connector_preferring("code=429")
        .alter_status()
        .await
        .expect_err("a 429");

    assert!(matches!(error, Error::RateLimited(_)), "{error:?}");
}

/// A connector operation of the facade beyond offsets, called on Prism's mock.
#[derive(Debug, Clone, Copy)]
enum Call {
    Names,
    Create,
    Read,
    Config,
    PutConfig,
    Delete,
    Pause,
    Resume,
    Status,
    Tasks,
    Plugins,
    Validate,
}

impl Call {
    /// The operation's id in the spec, to find its examples.
    fn operation_id(self) -> &'static str {
        match self {
            Call::Names => "listConnectv1Connectors",
            Call::Create => "createConnectv1Connector",
            Call::Read => "readConnectv1Connector",
            Call::Config => "getConnectv1ConnectorConfig",
            Call::PutConfig => "createOrUpdateConnectv1ConnectorConfig",
            Call::Delete => "deleteConnectv1Connector",
            Call::Pause => "pauseConnectv1Connector",
            Call::Resume => "resumeConnectv1Connector",
            Call::Status => "readConnectv1ConnectorStatus",
            Call::Tasks => "listConnectv1ConnectorTasks",
            Call::Plugins => "listConnectv1ConnectorPlugins",
            Call::Validate => "validateConnectv1ConnectorPlugin",
        }
    }

    /// Calls it with `Prefer: prefer`; `Ok` carries what the facade made of a success.
    async fn send(self, prefer: &str) -> Result<String, Error> {
        let client = builder()
            .default_header("Prefer", prefer)
            .build()
            .expect("a client for Prism");
        let cluster = client.cluster(ENV, CLUSTER);
        let connector = cluster.connector(CONNECTOR);
        let config = confluent_connect::ConnectorConfig::new()
            .with("connector.class", "GcsSink")
            .with("name", CONNECTOR)
            .with("kafka.api.key", "KAFKAKEY00000001")
            .with("kafka.api.secret", "kafka-secret");
        Ok(match self {
            Call::Names => format!("{:?}", cluster.connectors().await?),
            Call::Create => {
                cluster
                    .create_connector(CONNECTOR, config)
                    .send()
                    .await?
                    .name
            }
            Call::Read => connector.info().await?.name,
            Call::Config => format!("{} keys", connector.config().await?.len()),
            Call::PutConfig => connector.create_or_update_config(&config).await?.name,
            Call::Delete => format!("{:?}", connector.delete().await?),
            Call::Pause => format!("{:?}", connector.pause().await?),
            Call::Resume => format!("{:?}", connector.resume().await?),
            Call::Status => format!("{}", connector.status().await?.state),
            Call::Tasks => format!("{} tasks", connector.tasks().await?.len()),
            Call::Plugins => format!("{} plugins", cluster.plugins().await?.len()),
            Call::Validate => format!(
                "{} errors",
                cluster
                    .validate_config("GcsSink", &config)
                    .await?
                    .error_count
            ),
        })
    }
}

/// The `error.message` (or `message`) of the example of `operation`'s answer `status`.
fn example_message(operation: &str, status: u16) -> Option<String> {
    let spec = confluent_connect_tests::spec();
    let operation = spec["paths"]
        .as_object()?
        .values()
        .flat_map(|item| item.as_object().into_iter().flat_map(|i| i.values()))
        .find(|op| op["operationId"] == operation)?;
    let mut response = &operation["responses"][status.to_string()];
    if let Some(reference) = response["$ref"].as_str() {
        response = spec.pointer(reference.strip_prefix('#')?)?;
    }
    let example = &response["content"]["application/json"]["example"];
    example["error"]["message"]
        .as_str()
        .or(example["message"].as_str())
        .map(str::to_owned)
}

/// Every documented status of every connector operation the facade wraps (the listing with
/// expansions aside: Prism matches its path key to the bare listing's), from Prism's mock:
/// a success is `Ok`, an error with a body is `Error::Api` with the example's status and
/// message, a 429 is rate limited.
#[tokio::test]
#[cfg_attr(
    not(feature = "prism"),
    ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
)]
async fn every_documented_status_of_the_connector_operations_comes_out_as_documented() {
    let cases: &[(Call, &[u16])] = &[
        (Call::Names, &[200, 401, 404, 429, 500]),
        (Call::Create, &[201, 400, 401, 429, 500]),
        (Call::Read, &[200, 401, 404, 429, 500]),
        (Call::Config, &[200, 401, 404, 429, 500]),
        (Call::PutConfig, &[200, 400, 401, 404, 429, 500]),
        (Call::Delete, &[200, 401, 404, 429, 500]),
        (Call::Pause, &[202, 401, 404, 429, 500]),
        (Call::Resume, &[202, 401, 404, 429, 500]),
        (Call::Status, &[200, 401, 404, 429, 500]),
        (Call::Tasks, &[200, 401, 404, 429, 500]),
        (Call::Plugins, &[200, 401, 404, 429, 500]),
        (Call::Validate, &[200, 401, 404, 429, 500]),
    ];
    let mut seen = Vec::new();
    for (call, statuses) in cases {
        for &status in *statuses {
            let outcome = call.send(&format!("code={status}")).await;
            let what = match (status, outcome) {
                (200..=299, Ok(view)) => format!("ok {view}"),
                (429, Err(Error::RateLimited(_))) => "rate limited".to_string(),
                (_, Err(Error::Api(api))) => {
                    assert_eq!(api.status.as_u16(), status, "{call:?}");
                    assert_eq!(
                        api.message,
                        example_message(call.operation_id(), status),
                        "{call:?} {status}"
                    );
                    format!("api {}", api.status.as_u16())
                }
                (_, other) => panic!(
                    "{call:?} {status}: unexpected {other:?}\nPrism's log:\n{}",
                    prism().log()
                ),
            };
            seen.push(format!("{} {status}: {what}", call.operation_id()));
        }
    }
    assert_eq!(
        seen,
        [
            r#"listConnectv1Connectors 200: ok ["MyDatagenConnector", "MyGcsLogsBucketConnector", "MyS3BucketConnector"]"#,
            "listConnectv1Connectors 401: api 401",
            "listConnectv1Connectors 404: api 404",
            "listConnectv1Connectors 429: rate limited",
            "listConnectv1Connectors 500: api 500",
            "createConnectv1Connector 201: ok MyGcsLogsBucketConnector",
            "createConnectv1Connector 400: api 400",
            "createConnectv1Connector 401: api 401",
            "createConnectv1Connector 429: rate limited",
            "createConnectv1Connector 500: api 500",
            "readConnectv1Connector 200: ok MyGcsLogsBucketConnector",
            "readConnectv1Connector 401: api 401",
            "readConnectv1Connector 404: api 404",
            "readConnectv1Connector 429: rate limited",
            "readConnectv1Connector 500: api 500",
            "getConnectv1ConnectorConfig 200: ok 15 keys",
            "getConnectv1ConnectorConfig 401: api 401",
            "getConnectv1ConnectorConfig 404: api 404",
            "getConnectv1ConnectorConfig 429: rate limited",
            "getConnectv1ConnectorConfig 500: api 500",
            "createOrUpdateConnectv1ConnectorConfig 200: ok MyGcsLogsBucketConnector",
            "createOrUpdateConnectv1ConnectorConfig 400: api 400",
            "createOrUpdateConnectv1ConnectorConfig 401: api 401",
            "createOrUpdateConnectv1ConnectorConfig 404: api 404",
            "createOrUpdateConnectv1ConnectorConfig 429: rate limited",
            "createOrUpdateConnectv1ConnectorConfig 500: api 500",
            "deleteConnectv1Connector 200: ok ()",
            "deleteConnectv1Connector 401: api 401",
            "deleteConnectv1Connector 404: api 404",
            "deleteConnectv1Connector 429: rate limited",
            "deleteConnectv1Connector 500: api 500",
            "pauseConnectv1Connector 202: ok ()",
            "pauseConnectv1Connector 401: api 401",
            "pauseConnectv1Connector 404: api 404",
            "pauseConnectv1Connector 429: rate limited",
            "pauseConnectv1Connector 500: api 500",
            "resumeConnectv1Connector 202: ok ()",
            "resumeConnectv1Connector 401: api 401",
            "resumeConnectv1Connector 404: api 404",
            "resumeConnectv1Connector 429: rate limited",
            "resumeConnectv1Connector 500: api 500",
            "readConnectv1ConnectorStatus 200: ok PROVISIONING",
            "readConnectv1ConnectorStatus 401: api 401",
            "readConnectv1ConnectorStatus 404: api 404",
            "readConnectv1ConnectorStatus 429: rate limited",
            "readConnectv1ConnectorStatus 500: api 500",
            "listConnectv1ConnectorTasks 200: ok 1 tasks",
            "listConnectv1ConnectorTasks 401: api 401",
            "listConnectv1ConnectorTasks 404: api 404",
            "listConnectv1ConnectorTasks 429: rate limited",
            "listConnectv1ConnectorTasks 500: api 500",
            "listConnectv1ConnectorPlugins 200: ok 5 plugins",
            "listConnectv1ConnectorPlugins 401: api 401",
            "listConnectv1ConnectorPlugins 404: api 404",
            "listConnectv1ConnectorPlugins 429: rate limited",
            "listConnectv1ConnectorPlugins 500: api 500",
            "validateConnectv1ConnectorPlugin 200: ok 1 errors",
            "validateConnectv1ConnectorPlugin 401: api 401",
            "validateConnectv1ConnectorPlugin 404: api 404",
            "validateConnectv1ConnectorPlugin 429: rate limited",
            "validateConnectv1ConnectorPlugin 500: api 500",
        ]
    );
}
