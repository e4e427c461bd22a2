//! `connect-bench-memory PARTITIONS`: the peak heap of decoding a sink body of that many
//! partitions, by the facade and as an untyped `serde_json::Value`, measured with dhat, printed
//! as one JSON object. A binary of its own because dhat must be the global allocator, which
//! would slow the timed measurements.

use std::hint::black_box;

use confluent_connect::ConnectorOffsets;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// The most bytes live at once while `decode` runs, counting only what it allocates (the
/// body, allocated before, is not counted).
fn peak_of<T>(decode: impl FnOnce() -> T) -> usize {
    let profiler = dhat::Profiler::builder().testing().build();
    let decoded = decode();
    let peak = dhat::HeapStats::get().max_bytes;
    drop(black_box(decoded));
    drop(profiler);
    peak
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let partitions: usize = std::env::args()
        .nth(1)
        .ok_or("usage: connect-bench-memory PARTITIONS")?
        .parse()?;
    let body = connect_bench::sink_body(partitions);
    let facade = peak_of(|| ConnectorOffsets::from_json(&body));
    let untyped = peak_of(|| serde_json::from_slice::<serde_json::Value>(&body));
    let result = serde_json::json!({
        "partitions": partitions,
        "body_bytes": body.len(),
        "facade_peak_bytes": facade,
        "untyped_peak_bytes": untyped,
        "facade_peak_to_body": facade as f64 / body.len() as f64,
        "untyped_peak_to_body": untyped as f64 / body.len() as f64,
    });
    println!("{result}");
    Ok(())
}
