//! What a user who adds `confluent-connect = "0.x"` from crates.io writes: `cargo xtask ci`
//! builds this program outside the workspace, offline, against the crates exactly as
//! `cargo package` packed them (`xtask/src/consumer.rs` writes its manifest), and runs it.
//!
//! It starts the emulator in-process on 127.0.0.1 on a clock that stands still, moves the clock
//! ten seconds, reads a sink connector's offsets through the facade and checks every value.

use std::{process::ExitCode, time::Duration};

use chrono::{DateTime, Utc};
use confluent_connect::{Client, SinkOffset};
use connect_emulator::{DEFAULT_API_KEY, DEFAULT_API_SECRET, Emulator};

#[tokio::main]
async fn main() -> ExitCode {
    match read_offsets().await {
        Ok(count) => {
            println!(
                "consumer: read the {count} partitions of clicks-sink through the packaged crates"
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("consumer: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn read_offsets() -> Result<usize, String> {
    let start: DateTime<Utc> = "2024-02-20T15:14:19Z"
        .parse()
        .map_err(|e| format!("the start time: {e}"))?;
    let emulator = Emulator::builder()
        .manual_clock(start)
        .observation_interval(Duration::from_secs(1))
        .start()
        .await
        .map_err(|e| format!("the emulator did not start: {e}"))?;
    emulator
        .advance_clock(Duration::from_secs(10))
        .map_err(|e| format!("the emulator's clock did not move: {e}"))?;

    let client = Client::builder()
        .api_key(DEFAULT_API_KEY, DEFAULT_API_SECRET)
        .base_url(emulator.base_url())
        .build()
        .map_err(|e| format!("no client: {e}"))?;
    let offsets = client
        .connector("env-emu001", "lkc-emu001", "clicks-sink")
        .offsets()
        .await
        .map_err(|e| format!("reading the offsets failed: {e}"))?;
    let read = offsets
        .sink()
        .map_err(|e| format!("the offsets are not a sink's: {e}"))?;
    emulator.shutdown().await;

    // clicks: from 15,000 at 40 records/s per partition, partition 4 stalled;
    // clicks-retry: from 120 at 1 record/s.
    let expected: Vec<SinkOffset> = (0..6)
        .map(|p| sink("clicks", p, if p == 4 { 15_000 } else { 15_400 }))
        .chain((0..2).map(|p| sink("clicks-retry", p, 130)))
        .collect();
    if read != expected {
        return Err(format!("read {read:?}, expected {expected:?}"));
    }
    Ok(read.len())
}

fn sink(topic: &str, partition: i32, offset: i64) -> SinkOffset {
    SinkOffset {
        topic: topic.to_owned(),
        partition,
        offset,
    }
}
