//! Quickstart: starts the Confluent Cloud emulator in-process, reads a sink and a source
//! connector through the facade, and shows the sink's offsets advancing between two reads. No
//! Confluent Cloud account is needed.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! Against Confluent Cloud, the same code works with `Client::from_env()` and real ids.

use std::time::Duration;

use confluent_connect::{Client, ConnectorOffsets, SinkOffset};
use connect_emulator::{DEFAULT_API_KEY, DEFAULT_API_SECRET, Emulator};

const ENVIRONMENT: &str = "env-emu001";
const CLUSTER: &str = "lkc-emu001";
/// How often the emulator observes offsets; the API returns the last observation.
const OBSERVATION_INTERVAL: Duration = Duration::from_millis(500);

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::builder()
        .observation_interval(OBSERVATION_INTERVAL)
        .start()
        .await?;
    println!(
        "connect-emulator running in-process at {}\n",
        emulator.base_url()
    );

    let client = Client::builder()
        .api_key(DEFAULT_API_KEY, DEFAULT_API_SECRET)
        .base_url(emulator.base_url())
        .build()?;
    let sink = client.connector(ENVIRONMENT, CLUSTER, "clicks-sink");
    let source = client.connector(ENVIRONMENT, CLUSTER, "inventory-jdbc-source");

    let first = sink.offsets().await?;
    print_sink(&first, None)?;
    print_source(&source.offsets().await?);

    let wait = OBSERVATION_INTERVAL * 3;
    println!(
        "... {} ms later, the sink has moved on:\n",
        wait.as_millis()
    );
    tokio::time::sleep(wait).await;
    let second = sink.offsets().await?;
    print_sink(&second, Some(&first.sink()?))?;

    emulator.shutdown().await;
    Ok(())
}

fn heading(offsets: &ConnectorOffsets) {
    let observed = offsets
        .observed_at
        .as_ref()
        .map_or_else(|| "never".to_owned(), ToString::to_string);
    println!(
        "{} ({}), observed at {observed}",
        offsets.name.as_deref().unwrap_or("?"),
        offsets.id.as_deref().unwrap_or("?"),
    );
}

/// A table of topic, partition and offset; with `before`, also how far each partition moved.
fn print_sink(
    offsets: &ConnectorOffsets,
    before: Option<&[SinkOffset]>,
) -> Result<(), Box<dyn std::error::Error>> {
    heading(offsets);
    println!(
        "  {:<14} {:>9} {:>10} {:>8}",
        "TOPIC", "PARTITION", "OFFSET", "CHANGE"
    );
    for entry in offsets.sink()? {
        let change = before
            .and_then(|b| {
                b.iter()
                    .find(|o| o.topic == entry.topic && o.partition == entry.partition)
            })
            .map(|old| match entry.offset - old.offset {
                0 => "stalled".to_owned(),
                moved => format!("+{moved}"),
            })
            .unwrap_or_default();
        println!(
            "  {:<14} {:>9} {:>10} {:>8}",
            entry.topic, entry.partition, entry.offset, change
        );
    }
    println!();
    Ok(())
}

/// Source connectors have their own partition and offset shapes: print them as JSON.
fn print_source(offsets: &ConnectorOffsets) {
    heading(offsets);
    for entry in &offsets.offsets {
        println!("  {}  ->  {}", entry.partition_json(), entry.offset_json());
    }
    println!();
}
