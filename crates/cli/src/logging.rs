//! The request log on standard error: off unless `-v` or `RUST_LOG` asks for it.

use tracing_subscriber::EnvFilter;

/// What `-v` (once) shows: the facade's requests, retries and pacing waits.
const VERBOSE: &str = "confluent_connect=debug";
/// What `-vv` shows: the same, and whatever the facade logs at its most detailed.
const VERY_VERBOSE: &str = "confluent_connect=trace";

/// The filter for `verbose` (how many `-v`) and the value of `RUST_LOG`, or `None` for no log.
/// A non-empty `RUST_LOG` wins, as users of Rust tools expect.
pub fn filter(verbose: u8, rust_log: Option<&str>) -> Option<String> {
    match rust_log.map(str::trim).filter(|spec| !spec.is_empty()) {
        Some(spec) => Some(spec.to_owned()),
        None => match verbose {
            0 => None,
            1 => Some(VERBOSE.to_owned()),
            _ => Some(VERY_VERBOSE.to_owned()),
        },
    }
}

/// Installs the log on standard error, if `-v` or `RUST_LOG` asks for one. Directives of
/// `RUST_LOG` that do not parse are left out, as `EnvFilter` does.
pub fn init(verbose: u8) {
    let rust_log = std::env::var("RUST_LOG").ok();
    let Some(filter) = filter(verbose, rust_log.as_deref()) else {
        return;
    };
    // Installing fails only if a subscriber is already set, which nothing else does here.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_log_wins_and_v_counts_otherwise() {
        assert_eq!(filter(0, None), None);
        assert_eq!(filter(0, Some("  ")), None);
        assert_eq!(filter(1, None).as_deref(), Some(VERBOSE));
        assert_eq!(filter(3, None).as_deref(), Some(VERY_VERBOSE));
        assert_eq!(filter(1, Some("trace")).as_deref(), Some("trace"));
    }
}
