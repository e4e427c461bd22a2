//! The connectors of a cluster through the facade, against the emulator: listing (names and
//! with expansions), status, configuration, pause and resume, a failed task, creating a
//! connector with offsets, configuring and deleting one; and the secrets of a configuration,
//! which never show.

use std::time::Duration;

use chrono::{DateTime, Utc};
use confluent_connect::{
    Argument, Client, ConnectorConfig, ConnectorKind, ConnectorState, Error, StatusCode,
};
use connect_emulator::{Emulator, FaultScope};

use crate::lifecycle::{client, entry};
use serde_json::json;

const ENV: &str = "env-emu001";
const CLUSTER: &str = "lkc-emu001";
/// How long a created connector is `PROVISIONING`.
const PROVISIONING: Duration = Duration::from_secs(2);

async fn start() -> Emulator {
    let start: DateTime<Utc> = DateTime::parse_from_rfc3339("2024-02-20T15:14:19Z")
        .expect("a valid time")
        .to_utc();
    Emulator::builder()
        .manual_clock(start)
        .observation_interval(Duration::from_secs(1))
        .alter_delay(PROVISIONING)
        .start()
        .await
        .expect("the emulator starts")
}

/// A configuration that creating a sink connector named `name` accepts.
fn sink_config(name: &str) -> ConnectorConfig {
    ConnectorConfig::new()
        .with("connector.class", "S3_SINK")
        .with("name", name)
        .with("kafka.api.key", "MIGRATEDKEY00001")
        .with("kafka.api.secret", "kafka-secret-never-shown")
        .with("topics", "orders")
}

async fn sink_offsets(client: &Client, name: &str) -> Vec<(String, i64, i64)> {
    let offsets = client
        .connector(ENV, CLUSTER, name)
        .offsets()
        .await
        .expect("offsets");
    let mut sink: Vec<(String, i64, i64)> = offsets
        .sink()
        .expect("sink offsets")
        .into_iter()
        .map(|s| (s.topic, i64::from(s.partition), s.offset))
        .collect();
    sink.sort();
    sink
}

#[tokio::test]
async fn connectors_lists_every_name_of_the_cluster_sorted() {
    let emulator = start().await;
    let names = client(&emulator)
        .cluster(ENV, CLUSTER)
        .connectors()
        .await
        .expect("the names");
    assert_eq!(
        names,
        ["clicks-sink", "inventory-jdbc-source", "orders-sink"]
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn describe_connectors_gives_each_id_kind_state_and_task() {
    let emulator = start().await;
    let list = client(&emulator)
        .cluster(ENV, CLUSTER)
        .describe_connectors()
        .await
        .expect("the listing");
    let seen: Vec<(String, Option<String>, ConnectorKind, ConnectorState, usize)> = list
        .iter()
        .map(|c| {
            let status = c.status.as_ref().expect("the status expansion");
            (
                c.name.clone(),
                c.id.clone(),
                status.kind.clone(),
                status.state.clone(),
                status.tasks.len(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "clicks-sink".to_string(),
                Some("lcc-clickssink".to_string()),
                ConnectorKind::Sink,
                ConnectorState::Running,
                1
            ),
            (
                "inventory-jdbc-source".to_string(),
                Some("lcc-inventoryjdbcsource".to_string()),
                ConnectorKind::Source,
                ConnectorState::Running,
                1
            ),
            (
                "orders-sink".to_string(),
                Some("lcc-orderssink".to_string()),
                ConnectorKind::Sink,
                ConnectorState::Running,
                1
            ),
        ]
    );
    let config = list[0].config.as_ref().expect("the info expansion");
    assert_eq!(config.get("topics"), Some("clicks,clicks-retry"));
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_paused_connector_shows_paused_and_its_offsets_stand_still_until_resumed() {
    let emulator = start().await;
    let client = client(&emulator);
    let connector = client.connector(ENV, CLUSTER, "orders-sink");
    let before = sink_offsets(&client, "orders-sink").await;
    connector.pause().await.expect("paused");
    let status = connector.status().await.expect("the status");
    assert_eq!(status.state, ConnectorState::Paused);
    assert_eq!(status.tasks[0].state, ConnectorState::Paused);
    emulator
        .advance_clock(Duration::from_secs(10))
        .expect("manual clock");
    assert_eq!(sink_offsets(&client, "orders-sink").await, before);
    connector.resume().await.expect("resumed");
    assert_eq!(
        connector.status().await.expect("the status").state,
        ConnectorState::Running
    );
    emulator
        .advance_clock(Duration::from_secs(10))
        .expect("manual clock");
    // orders: 3 partitions from 1000 at 5 per second; 10 s paused, 10 s running.
    assert_eq!(
        sink_offsets(&client, "orders-sink").await,
        [
            ("orders".to_string(), 0, 1050),
            ("orders".to_string(), 1, 1050),
            ("orders".to_string(), 2, 1050)
        ]
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_failed_task_shows_failed_with_its_trace_and_stalls_the_offsets() {
    let emulator = start().await;
    let client = client(&emulator);
    let scope = FaultScope::connector(ENV, CLUSTER, "orders-sink");
    emulator
        .fail_task(
            scope.clone(),
            "org.apache.kafka.connect.errors.ConnectException: bucket not found\n\tat S3Sink.put",
        )
        .expect("the connector exists");
    let status = client
        .connector(ENV, CLUSTER, "orders-sink")
        .status()
        .await
        .expect("the status");
    assert_eq!(status.state, ConnectorState::Degraded);
    assert_eq!(status.tasks[0].state, ConnectorState::Failed);
    assert_eq!(
        status.tasks[0].trace.as_deref(),
        Some("org.apache.kafka.connect.errors.ConnectException: bucket not found\n\tat S3Sink.put")
    );
    let before = sink_offsets(&client, "orders-sink").await;
    emulator
        .advance_clock(Duration::from_secs(10))
        .expect("manual clock");
    assert_eq!(sink_offsets(&client, "orders-sink").await, before);
    emulator.recover_task(scope).expect("the connector exists");
    emulator
        .advance_clock(Duration::from_secs(2))
        .expect("manual clock");
    assert_eq!(
        sink_offsets(&client, "orders-sink").await[0].2,
        before[0].2 + 10
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_created_connector_starts_from_the_offsets_given_and_is_running_once_provisioned() {
    let emulator = start().await;
    let client = client(&emulator);
    let cluster = client.cluster(ENV, CLUSTER);
    let offsets = vec![
        entry(
            json!({"kafka_topic": "orders", "kafka_partition": 0}),
            json!({"kafka_offset": 9_007_199_254_740_993_i64}),
        ),
        entry(
            json!({"kafka_topic": "orders", "kafka_partition": 1}),
            json!({"kafka_offset": 77}),
        ),
    ];
    let created = cluster
        .create_connector("orders-sink-managed", sink_config("orders-sink-managed"))
        .offsets(offsets)
        .send()
        .await
        .expect("created");
    assert_eq!(created.name, "orders-sink-managed");
    assert_eq!(created.kind, Some(ConnectorKind::Sink));
    assert_eq!(created.tasks, [0]);
    assert_eq!(
        created.config.get("kafka.api.secret"),
        Some("****************"),
        "the service masks the secret in its answer"
    );
    let connector = cluster.connector("orders-sink-managed");
    assert_eq!(
        connector.status().await.expect("status").state,
        ConnectorState::Provisioning
    );
    emulator.advance_clock(PROVISIONING).expect("manual clock");
    assert_eq!(
        connector.status().await.expect("status").state,
        ConnectorState::Running
    );
    assert_eq!(
        sink_offsets(&client, "orders-sink-managed").await,
        [
            ("orders".to_string(), 0, 9_007_199_254_740_993),
            ("orders".to_string(), 1, 77)
        ]
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn creating_a_connector_that_exists_is_refused_by_the_service() {
    let emulator = start().await;
    let error = client(&emulator)
        .cluster(ENV, CLUSTER)
        .create_connector("orders-sink", sink_config("orders-sink"))
        .send()
        .await
        .expect_err("orders-sink exists");
    match error {
        Error::Api(api) => {
            assert_eq!(api.status, StatusCode::BAD_REQUEST);
            assert!(
                api.message
                    .as_deref()
                    .is_some_and(|m| m.starts_with("Connector \"orders-sink\" already exists")),
                "{api:?}"
            );
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn creating_without_the_kafka_credentials_is_refused_before_sending_naming_them() {
    let emulator = start().await;
    let config = ConnectorConfig::new()
        .with("connector.class", "S3_SINK")
        .with("name", "new-sink");
    let error = client(&emulator)
        .cluster(ENV, CLUSTER)
        .create_connector("new-sink", config)
        .send()
        .await
        .expect_err("the Kafka key and secret are missing");
    match &error {
        Error::InvalidArgument {
            argument, value, ..
        } => {
            assert_eq!(*argument, Argument::Config);
            assert_eq!(value, "kafka.api.key, kafka.api.secret");
        }
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
    assert!(
        error.to_string().contains(
            "a fully managed connector needs these configuration keys, which only you can supply"
        ),
        "{error}"
    );
    assert_eq!(emulator.stats().answers, 0, "nothing was sent");
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_config_whose_name_is_another_connectors_is_refused_before_sending() {
    let emulator = start().await;
    let error = client(&emulator)
        .cluster(ENV, CLUSTER)
        .create_connector("new-sink", sink_config("other-sink"))
        .send()
        .await
        .expect_err("the names differ");
    assert!(
        matches!(&error, Error::InvalidArgument { argument: Argument::Config, value, .. } if value == "name"),
        "{error:?}"
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn config_reads_the_configuration_with_the_secret_masked_by_the_service() {
    let emulator = start().await;
    let config = client(&emulator)
        .connector(ENV, CLUSTER, "clicks-sink")
        .config()
        .await
        .expect("the configuration");
    assert_eq!(config.get("connector.class"), Some("S3_SINK"));
    assert_eq!(config.get("kafka.api.secret"), Some("****************"));
    assert_eq!(config.get("name"), Some("clicks-sink"));
    emulator.shutdown().await;
}

#[tokio::test]
async fn create_or_update_config_replaces_the_configuration() {
    let emulator = start().await;
    let connector = client(&emulator).connector(ENV, CLUSTER, "clicks-sink");
    let config = sink_config("clicks-sink").with("tasks.max", "4");
    let info = connector
        .create_or_update_config(&config)
        .await
        .expect("configured");
    assert_eq!(info.config.get("tasks.max"), Some("4"));
    assert_eq!(
        connector
            .config()
            .await
            .expect("the configuration")
            .get("topics"),
        Some("orders")
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn create_or_update_config_creates_a_connector_that_does_not_exist() {
    let emulator = start().await;
    let client = client(&emulator);
    client
        .connector(ENV, CLUSTER, "brand-new-sink")
        .create_or_update_config(&sink_config("brand-new-sink"))
        .await
        .expect("created");
    assert!(
        client
            .cluster(ENV, CLUSTER)
            .connectors()
            .await
            .expect("names")
            .contains(&"brand-new-sink".to_string())
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_deleted_connector_is_gone_from_the_listing_and_its_reads_are_404() {
    let emulator = start().await;
    let client = client(&emulator);
    let connector = client.connector(ENV, CLUSTER, "orders-sink");
    connector.delete().await.expect("deleted");
    assert_eq!(
        client
            .cluster(ENV, CLUSTER)
            .connectors()
            .await
            .expect("names"),
        ["clicks-sink", "inventory-jdbc-source"]
    );
    match connector.status().await {
        Err(Error::Api(api)) => assert_eq!(api.status, StatusCode::NOT_FOUND),
        other => panic!("expected a 404, got {other:?}"),
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn info_reads_kind_configuration_and_tasks() {
    let emulator = start().await;
    let info = client(&emulator)
        .connector(ENV, CLUSTER, "inventory-jdbc-source")
        .info()
        .await
        .expect("the connector");
    assert_eq!(info.kind, Some(ConnectorKind::Source));
    assert_eq!(info.tasks, [0]);
    assert_eq!(info.config.get("connector.class"), Some("MySqlSource"));
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_listing_of_an_unknown_cluster_is_a_404_naming_it() {
    let emulator = start().await;
    match client(&emulator)
        .cluster(ENV, "lkc-nowhere")
        .connectors()
        .await
    {
        Err(Error::Api(api)) => {
            assert_eq!(api.status, StatusCode::NOT_FOUND);
            assert_eq!(
                api.message.as_deref(),
                Some("Kafka cluster lkc-nowhere was not found in environment env-emu001.")
            );
        }
        other => panic!("expected a 404, got {other:?}"),
    }
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_configuration_never_shows_its_secret_in_debug_or_errors() {
    let emulator = start().await;
    let config = sink_config("orders-sink");
    assert!(!format!("{config:?}").contains("kafka-secret-never-shown"));
    let error = client(&emulator)
        .cluster(ENV, CLUSTER)
        .create_connector("orders-sink", config)
        .send()
        .await
        .expect_err("orders-sink exists");
    assert!(!format!("{error:?} {error}").contains("kafka-secret-never-shown"));
    emulator.shutdown().await;
}

#[tokio::test]
async fn tasks_gives_each_task_with_its_configuration_secrets_masked_by_the_service() {
    let emulator = start().await;
    let tasks = client(&emulator)
        .connector(ENV, CLUSTER, "orders-sink")
        .tasks()
        .await
        .expect("the tasks");
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].task, Some(0));
    assert_eq!(tasks[0].config.get("topics"), Some("orders"));
    assert_eq!(
        tasks[0].config.get("kafka.api.secret"),
        Some("****************")
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn plugins_lists_the_clusters_connector_classes_sorted() {
    let emulator = start().await;
    let plugins = client(&emulator)
        .cluster(ENV, CLUSTER)
        .plugins()
        .await
        .expect("the plugins");
    let seen: Vec<(String, ConnectorKind, Option<String>)> = plugins
        .into_iter()
        .map(|p| (p.class, p.kind, p.version))
        .collect();
    assert_eq!(
        seen,
        [
            (
                "MySqlSource".to_string(),
                ConnectorKind::Source,
                Some("1.0.0".to_string())
            ),
            (
                "PostgresSource".to_string(),
                ConnectorKind::Source,
                Some("1.0.0".to_string())
            ),
            (
                "S3_SINK".to_string(),
                ConnectorKind::Sink,
                Some("1.0.0".to_string())
            ),
        ]
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn validate_config_names_each_key_in_error_and_creates_nothing() {
    let emulator = start().await;
    let client = client(&emulator);
    let cluster = client.cluster(ENV, CLUSTER);
    let config = ConnectorConfig::new()
        .with("connector.class", "S3_SINK")
        .with("name", "to-check")
        .with("kafka.api.key", "KAFKAKEY00000001");
    let validation = cluster
        .validate_config("S3_SINK", &config)
        .await
        .expect("validated");
    assert_eq!(validation.plugin.as_deref(), Some("S3_SINK"));
    assert_eq!(validation.error_count, 1);
    let failures: Vec<(&str, &[String])> = validation
        .failures()
        .map(|check| (check.name.as_str(), check.errors.as_slice()))
        .collect();
    assert_eq!(
        failures,
        [(
            "kafka.api.secret",
            &[
                "Missing required configuration \"kafka.api.secret\" which has no default value."
                    .to_string()
            ][..]
        )]
    );
    let names = cluster.connectors().await.expect("names");
    assert!(!names.contains(&"to-check".to_string()), "{names:?}");
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_complete_config_validates_without_errors() {
    let emulator = start().await;
    let validation = client(&emulator)
        .cluster(ENV, CLUSTER)
        .validate_config("S3_SINK", &sink_config("fine"))
        .await
        .expect("validated");
    assert_eq!(validation.error_count, 0);
    assert_eq!(validation.failures().count(), 0);
    emulator.shutdown().await;
}

#[tokio::test]
async fn validating_for_an_unknown_plugin_is_a_404() {
    let emulator = start().await;
    match client(&emulator)
        .cluster(ENV, CLUSTER)
        .validate_config("NoSuchPlugin", &sink_config("x"))
        .await
    {
        Err(Error::Api(api)) => assert_eq!(api.status, StatusCode::NOT_FOUND),
        other => panic!("expected a 404, got {other:?}"),
    }
    emulator.shutdown().await;
}

#[test]
fn a_validations_debug_masks_a_password_value() {
    let body = br#"{"name": "S3_SINK", "error_count": 0, "groups": [], "configs": [
        {"definition": {"name": "aws.access.key", "type": "PASSWORD", "required": true},
         "value": {"name": "aws.access.key", "value": "AKIA-not-to-show", "errors": []}}]}"#;
    let validation = confluent_connect::ConfigValidation::from_json(body).expect("decodes");
    assert_eq!(
        validation.configs[0].value.as_deref(),
        Some("AKIA-not-to-show")
    );
    let shown = format!("{validation:?}");
    assert!(!shown.contains("AKIA-not-to-show"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

#[tokio::test]
async fn ids_and_names_that_would_reach_another_endpoint_are_refused_before_sending() {
    let emulator = start().await;
    let client = client(&emulator);
    let refused = |result: Result<(), Error>, argument: Argument| match result {
        Err(Error::InvalidArgument { argument: got, .. }) => assert_eq!(got, argument),
        other => panic!("expected InvalidArgument on {argument:?}, got {other:?}"),
    };
    refused(
        client.cluster("..", CLUSTER).connectors().await.map(|_| ()),
        Argument::EnvironmentId,
    );
    refused(
        client
            .cluster(ENV, "lkc\\x")
            .describe_connectors()
            .await
            .map(|_| ()),
        Argument::KafkaClusterId,
    );
    refused(
        client
            .cluster(ENV, CLUSTER)
            .create_connector("..", sink_config(".."))
            .send()
            .await
            .map(|_| ()),
        Argument::ConnectorName,
    );
    refused(
        client
            .cluster(ENV, CLUSTER)
            .validate_config(".", &sink_config("x"))
            .await
            .map(|_| ()),
        Argument::PluginName,
    );
    refused(
        client.connector(ENV, CLUSTER, "a\u{7}b").pause().await,
        Argument::ConnectorName,
    );
    assert_eq!(emulator.stats().answers, 0, "nothing was sent");
    emulator.shutdown().await;
}
