//! The cluster view: starts the Confluent Cloud emulator in-process, fails one connector's task,
//! lists every connector of the cluster with its state, its tasks' and its number of
//! partitions, then migrates a connector into a new one with its offsets. No Confluent Cloud
//! account is needed.
//!
//! ```text
//! cargo run --example cluster
//! ```
//!
//! Against Confluent Cloud, the same code works with `Client::from_env()` and real ids.

use confluent_connect::{Client, ConnectorConfig, ConnectorState};
use connect_emulator::{DEFAULT_API_KEY, DEFAULT_API_SECRET, Emulator, FaultScope};

const ENVIRONMENT: &str = "env-emu001";
const CLUSTER: &str = "lkc-emu001";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::builder().start().await?;
    emulator.fail_task(
        FaultScope::connector(ENVIRONMENT, CLUSTER, "orders-sink"),
        "org.apache.kafka.connect.errors.ConnectException: S3 bucket not found\n\tat S3Sink.put",
    )?;
    println!(
        "connect-emulator running in-process at {}\n",
        emulator.base_url()
    );

    let client = Client::builder()
        .api_key(DEFAULT_API_KEY, DEFAULT_API_SECRET)
        .base_url(emulator.base_url())
        .build()?;
    let cluster = client.cluster(ENVIRONMENT, CLUSTER);

    // One request for every connector's id, configuration, state and tasks.
    println!(
        "{:<24} {:<7} {:<9} {:<10} PARTITIONS",
        "CONNECTOR", "TYPE", "STATE", "TASKS"
    );
    for connector in cluster.describe_connectors().await? {
        let Some(status) = &connector.status else {
            continue;
        };
        let tasks: Vec<String> = status
            .tasks
            .iter()
            .map(|task| format!("{}:{}", task.id, task.state))
            .collect();
        let offsets = cluster.connector(&connector.name).offsets().await?;
        println!(
            "{:<24} {:<7} {:<9} {:<10} {}",
            connector.name,
            status.kind,
            status.state,
            tasks.join(" "),
            offsets.offsets.len()
        );
        for task in status
            .tasks
            .iter()
            .filter(|t| t.state == ConnectorState::Failed)
        {
            let first = task.trace.as_deref().and_then(|t| t.lines().next());
            println!("  task {} failed: {}", task.id, first.unwrap_or("no trace"));
        }
    }

    // Create a replacement of clicks-sink that starts where clicks-sink is.
    let offsets = cluster.connector("clicks-sink").offsets().await?;
    let config = ConnectorConfig::new()
        .with("connector.class", "S3_SINK")
        .with("name", "clicks-sink-v2")
        .with("topics", "clicks,clicks-retry")
        .with("kafka.api.key", "EXAMPLEKAFKAKEY1")
        .with("kafka.api.secret", "example-kafka-secret");
    println!("\ncreating clicks-sink-v2 with {config:?}");
    let created = cluster
        .create_connector("clicks-sink-v2", config)
        .offsets(offsets.offsets.clone())
        .send()
        .await?;
    let copied = cluster.connector(&created.name).offsets().await?;
    println!(
        "{} created; it starts from {} partitions, the first at {}",
        created.name,
        copied.offsets.len(),
        copied.offsets[0].offset_json()
    );

    emulator.shutdown().await;
    Ok(())
}
