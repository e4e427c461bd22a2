//! The measurements behind `cargo xtask bench`. Each compares the facade with the best a program
//! could do without it, side by side in one run, and reports both and their ratio as one JSON
//! object; `cargo xtask bench` runs them, prints the table and rewrites `BENCHMARKS.md`.
//!
//! - [`overhead`]: sequential offsets GETs against a local server, through the facade and
//!   through raw reqwest + serde_json, in interleaved blocks.
//! - [`decode`]: a large sink response decoded by the facade and by
//!   `serde_json::from_slice::<serde_json::Value>`, interleaved.
//! - [`bulk`]: many connectors read under the emulator's rate limit, paced by the facade, and
//!   as naive code would: one after the other, and all at once.
//! - The `connect-bench-memory` binary measures the peak heap of one decode with dhat.
//!
//! These are a dedicated harness rather than criterion benchmarks because what they report is
//! a ratio of two workloads run in turn, a wall time under a rate limit and a heap peak, which
//! criterion's one-function-at-a-time sampling does not give.

pub mod bulk;
pub mod decode;
pub mod overhead;

/// The sink body of a connector with `partitions` partitions of topic `orders`, as the service
/// writes it.
pub fn sink_body(partitions: usize) -> Vec<u8> {
    let offsets: Vec<serde_json::Value> = (0..partitions)
        .map(|partition| {
            serde_json::json!({
                "partition": {"kafka_partition": partition, "kafka_topic": "orders"},
                "offset": {"kafka_offset": 1_000_000_000_u64 + partition as u64}
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({
        "id": "lcc-bench",
        "name": "orders-sink",
        "offsets": offsets,
        "metadata": {"observed_at": "2024-02-20T15:14:19Z"}
    }))
    .unwrap_or_default()
}

/// The median of `values` (the upper one of an even count); zero for none.
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}
