//! Large responses: the facade's decode against an untyped decode of the same bytes.

use std::hint::black_box;
use std::time::Instant;

use confluent_connect::ConnectorOffsets;
use serde::Serialize;

/// What [`run`] measured.
#[derive(Debug, Serialize)]
pub struct Decode {
    /// Partitions in the body.
    pub partitions: usize,
    /// The body's size in bytes.
    pub body_bytes: usize,
    /// Rounds of each decode.
    pub rounds: usize,
    /// Median milliseconds of `ConnectorOffsets::from_json`.
    pub facade_ms: f64,
    /// Median milliseconds of `serde_json::from_slice::<serde_json::Value>`.
    pub untyped_ms: f64,
    /// `facade_ms / untyped_ms`.
    pub ratio: f64,
}

/// Decodes a body of `partitions` sink partitions `rounds` times each way, alternating.
pub fn run(partitions: usize, rounds: usize) -> Result<Decode, Box<dyn std::error::Error>> {
    let body = crate::sink_body(partitions);
    // Once each beforehand, so that neither pays for a cold cache or a first page fault.
    black_box(ConnectorOffsets::from_json(&body)?);
    black_box(serde_json::from_slice::<serde_json::Value>(&body)?);
    let (mut facade, mut untyped) = (Vec::new(), Vec::new());
    for round in 0..rounds.max(1) {
        for facade_first in [round % 2 == 0, round % 2 != 0] {
            let started = Instant::now();
            if facade_first {
                let decoded = ConnectorOffsets::from_json(&body)?;
                let took = started.elapsed();
                drop(black_box(decoded));
                facade.push(took.as_secs_f64() * 1e3);
            } else {
                let decoded = serde_json::from_slice::<serde_json::Value>(&body)?;
                let took = started.elapsed();
                drop(black_box(decoded));
                untyped.push(took.as_secs_f64() * 1e3);
            }
        }
    }
    let facade_ms = crate::median(&mut facade);
    let untyped_ms = crate::median(&mut untyped);
    Ok(Decode {
        partitions,
        body_bytes: body.len(),
        rounds: rounds.max(1),
        facade_ms,
        untyped_ms,
        ratio: facade_ms / untyped_ms,
    })
}
