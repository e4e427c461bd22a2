//! Bulk reads under a rate limit: the facade's pacing against naive code, on the emulator.

use std::time::Instant;

use confluent_connect::{Client, Pacing};
use connect_emulator::{
    Cluster, Config, ConnectorSpec, Credential, Emulator, Environment, RateLimit, SinkSpec,
    TopicSpec,
};
use serde::Serialize;

const KEY: &str = "BENCHKEY00000001";
const SECRET: &str = "bench-secret";
const ENVIRONMENT: &str = "env-bench01";
const CLUSTER: &str = "lkc-bench01";

/// One way of reading every connector, and how it went.
#[derive(Debug, Serialize)]
pub struct Strategy {
    /// What was run.
    pub name: &'static str,
    /// Seconds from the first request to the last answer.
    pub seconds: f64,
    /// `seconds` over the floor, `connectors / rate`.
    pub ratio_to_floor: f64,
    /// Connectors whose offsets could not be read, retries included.
    pub failed: usize,
    /// Answers the emulator gave, retries included.
    pub answers: u64,
    /// Of those, 429s.
    pub too_many_requests: u64,
    /// `too_many_requests / answers`, in percent.
    pub percent_429: f64,
}

/// What [`run`] measured.
#[derive(Debug, Serialize)]
pub struct Bulk {
    /// Connectors read.
    pub connectors: usize,
    /// The emulator's limit, requests per second.
    pub rate: f64,
    /// The emulator's burst.
    pub burst: u32,
    /// `connectors / rate`, in seconds.
    pub floor_seconds: f64,
    /// The facade's pacing first, then the naive ways.
    pub strategies: Vec<Strategy>,
}

/// Reads `connectors` sink connectors on an emulator limited to `rate` requests per second with
/// a burst of `burst`: through one paced client shared by a task per connector; then, each on a
/// fresh emulator, one after the other and all at once without pacing (the default retries in
/// every case).
pub async fn run(
    connectors: usize,
    rate: f64,
    burst: u32,
) -> Result<Bulk, Box<dyn std::error::Error>> {
    let floor_seconds = connectors as f64 / rate;
    let mut strategies = Vec::new();
    for (name, pacing, at_once) in [
        ("facade, paced, all at once", Pacing::default(), true),
        (
            "naive: one after the other",
            Pacing::headers_ignored(),
            false,
        ),
        (
            "naive: all at once",
            Pacing::headers_ignored().with_max_in_flight(connectors.max(1)),
            true,
        ),
    ] {
        let emulator = Emulator::builder()
            .config(config(connectors, rate, burst))
            .start()
            .await?;
        let client = Client::builder()
            .api_key(KEY, SECRET)
            .base_url(emulator.base_url())
            .pacing(pacing)
            .build()?;
        let started = Instant::now();
        let failed = if at_once {
            read_at_once(&client, connectors).await
        } else {
            read_in_turn(&client, connectors).await
        };
        let seconds = started.elapsed().as_secs_f64();
        let stats = emulator.stats();
        emulator.shutdown().await;
        let too_many_requests = stats.count(429);
        strategies.push(Strategy {
            name,
            seconds,
            ratio_to_floor: seconds / floor_seconds,
            failed,
            answers: stats.answers,
            too_many_requests,
            percent_429: 100.0 * too_many_requests as f64 / stats.answers.max(1) as f64,
        });
    }
    Ok(Bulk {
        connectors,
        rate,
        burst,
        floor_seconds,
        strategies,
    })
}

fn name(index: usize) -> String {
    format!("sink-{index:05}")
}

/// One environment and cluster with `connectors` one-partition sink connectors, one credential.
fn config(connectors: usize, rate: f64, burst: u32) -> Config {
    let specs = (0..connectors)
        .map(|index| ConnectorSpec {
            name: name(index),
            id: None,
            sink: Some(SinkSpec {
                topics: vec![TopicSpec {
                    name: format!("topic-{index:05}"),
                    partitions: 1,
                    start_offset: 0,
                    rate_per_second: 1.0,
                    stalled_partitions: Vec::new(),
                }],
            }),
            source: None,
            faults: None,
        })
        .collect();
    Config {
        rate_limit: Some(RateLimit {
            requests_per_second: rate,
            burst,
        }),
        credentials: vec![Credential::api_key(KEY, SECRET)],
        environments: vec![Environment {
            id: ENVIRONMENT.to_owned(),
            clusters: vec![Cluster {
                id: CLUSTER.to_owned(),
                connectors: specs,
            }],
        }],
        ..Config::default()
    }
}

/// Reads every connector at once, a task each; returns how many failed.
async fn read_at_once(client: &Client, connectors: usize) -> usize {
    let mut reads = tokio::task::JoinSet::new();
    for index in 0..connectors {
        let client = client.clone();
        reads.spawn(async move {
            client
                .connector(ENVIRONMENT, CLUSTER, name(index))
                .offsets()
                .await
        });
    }
    let mut failed = 0;
    while let Some(read) = reads.join_next().await {
        if !matches!(read, Ok(Ok(_))) {
            failed += 1;
        }
    }
    failed
}

/// Reads the connectors one after the other; returns how many failed.
async fn read_in_turn(client: &Client, connectors: usize) -> usize {
    let mut failed = 0;
    for index in 0..connectors {
        let read = client
            .connector(ENVIRONMENT, CLUSTER, name(index))
            .offsets()
            .await;
        if read.is_err() {
            failed += 1;
        }
    }
    failed
}
