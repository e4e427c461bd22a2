//! `connect-bench`: runs one measurement and prints its result as one JSON object. Run by
//! `cargo xtask bench`; see the library's documentation for what each measures.

use clap::{Parser, Subcommand};
use connect_bench::{bulk, decode, overhead};

#[derive(Parser)]
#[command(about = "One of the measurements behind `cargo xtask bench`, printed as JSON")]
struct Cli {
    #[command(subcommand)]
    measurement: Measurement,
}

#[derive(Subcommand)]
enum Measurement {
    /// Sequential offsets GETs through the facade and through raw reqwest + serde_json.
    Overhead {
        /// GETs through each path.
        #[arg(long, default_value_t = 20_000)]
        requests: usize,
        /// GETs per block; the two paths' blocks alternate.
        #[arg(long, default_value_t = 500)]
        block: usize,
    },
    /// A large sink body decoded by the facade and as an untyped `serde_json::Value`.
    Decode {
        /// Partitions in the body.
        #[arg(long, default_value_t = 100_000)]
        partitions: usize,
        /// Decodes each way.
        #[arg(long, default_value_t = 15)]
        rounds: usize,
    },
    /// Many connectors read under the emulator's rate limit, paced and naively.
    Bulk {
        /// Connectors to read.
        #[arg(long, default_value_t = 1_000)]
        connectors: usize,
        /// The emulator's limit, requests per second.
        #[arg(long, default_value_t = 50.0)]
        rate: f64,
        /// The emulator's burst.
        #[arg(long, default_value_t = 10)]
        burst: u32,
    },
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let result = match Cli::parse().measurement {
        Measurement::Overhead { requests, block } => {
            serde_json::to_string(&overhead::run(requests, block).await?)?
        }
        Measurement::Decode { partitions, rounds } => {
            serde_json::to_string(&decode::run(partitions, rounds)?)?
        }
        Measurement::Bulk {
            connectors,
            rate,
            burst,
        } => serde_json::to_string(&bulk::run(connectors, rate, burst).await?)?,
    };
    println!("{result}");
    Ok(())
}
