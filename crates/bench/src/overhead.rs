//! Per-request overhead: the facade against raw reqwest + serde_json on one local server.

use std::hint::black_box;
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::get;
use confluent_connect::Client;
use serde::Serialize;

/// What [`run`] measured.
#[derive(Debug, Serialize)]
pub struct Overhead {
    /// GETs sent through each path.
    pub requests: usize,
    /// GETs per block; blocks of the two paths alternate.
    pub block: usize,
    /// Mean microseconds per GET through the facade.
    pub facade_us: f64,
    /// Mean microseconds per GET through raw reqwest + serde_json.
    pub floor_us: f64,
    /// `facade_us / floor_us`.
    pub ratio: f64,
    /// The median of the ratios of neighbouring blocks, less sensitive to a noisy moment.
    pub median_block_ratio: f64,
}

const PATH: &str =
    "/connect/v1/environments/env-bench01/clusters/lkc-bench01/connectors/orders-sink/offsets";

/// Sends `requests` sequential GETs through each path, `block` at a time, alternating which
/// path goes first, against a server on 127.0.0.1 that answers a 3-partition sink body.
pub async fn run(requests: usize, block: usize) -> Result<Overhead, Box<dyn std::error::Error>> {
    let body = crate::sink_body(3);
    let app = Router::new().route(
        "/connect/v1/environments/{environment}/clusters/{cluster}/connectors/{name}/offsets",
        get(move || {
            let body = body.clone();
            async move { ([(CONTENT_TYPE, "application/json")], body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    let client = Client::builder()
        .api_key("BENCHKEY", "bench-secret")
        .base_url(&base_url)
        .build()?;
    let connector = client.connector("env-bench01", "lkc-bench01", "orders-sink");
    let raw = reqwest::Client::new();
    let url = format!("{base_url}{PATH}");

    let facade = || async {
        let offsets = connector.offsets().await?;
        black_box(offsets);
        Ok::<(), Box<dyn std::error::Error>>(())
    };
    let floor = || async {
        let response = raw
            .get(&url)
            .basic_auth("BENCHKEY", Some("bench-secret"))
            .send()
            .await?
            .error_for_status()?;
        let bytes = response.bytes().await?;
        black_box(serde_json::from_slice::<serde_json::Value>(&bytes)?);
        Ok::<(), Box<dyn std::error::Error>>(())
    };

    // Warm both up: connections, caches, the pacer's first probe.
    for _ in 0..200.min(requests) {
        facade().await?;
        floor().await?;
    }
    let block = block.clamp(1, requests.max(1));
    let (mut facade_total, mut floor_total) = (Duration::ZERO, Duration::ZERO);
    let mut ratios = Vec::new();
    for round in 0..requests.div_ceil(block) {
        let mut facade_block = Duration::ZERO;
        let mut floor_block = Duration::ZERO;
        for facade_first in [round % 2 == 0, round % 2 != 0] {
            let started = Instant::now();
            for _ in 0..block {
                if facade_first {
                    facade().await?;
                } else {
                    floor().await?;
                }
            }
            if facade_first {
                facade_block += started.elapsed();
            } else {
                floor_block += started.elapsed();
            }
        }
        facade_total += facade_block;
        floor_total += floor_block;
        ratios.push(facade_block.as_secs_f64() / floor_block.as_secs_f64());
    }
    let sent = (requests.div_ceil(block) * block) as f64;
    let facade_us = facade_total.as_secs_f64() * 1e6 / sent;
    let floor_us = floor_total.as_secs_f64() * 1e6 / sent;
    Ok(Overhead {
        requests: sent as usize,
        block,
        facade_us,
        floor_us,
        ratio: facade_us / floor_us,
        median_block_ratio: crate::median(&mut ratios),
    })
}
