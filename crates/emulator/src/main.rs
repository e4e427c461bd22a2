//! `connect-emulator`: runs the emulator until Ctrl-C.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use connect_emulator::{Config, Emulator, ErrorBody, Faults, OAuth, RateLimit};

/// `--error-body`: the library's [`ErrorBody`] as a flag value (the library does not depend on
/// clap). The conversions both ways are exhaustive matches, so a new body cannot be missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ErrorBodyFlag {
    /// The documented `connect.v1.ConnectorError` JSON body.
    Json,
    /// No body at all.
    Empty,
    /// An HTML page, as a gateway in front of the service might send.
    Html,
    /// The documented JSON body cut short.
    TruncatedJson,
}

impl From<ErrorBodyFlag> for ErrorBody {
    fn from(flag: ErrorBodyFlag) -> ErrorBody {
        match flag {
            ErrorBodyFlag::Json => ErrorBody::Json,
            ErrorBodyFlag::Empty => ErrorBody::Empty,
            ErrorBodyFlag::Html => ErrorBody::Html,
            ErrorBodyFlag::TruncatedJson => ErrorBody::TruncatedJson,
        }
    }
}

/// A local emulator of Confluent Cloud's Connect v1 offsets API, on 127.0.0.1.
///
/// Without --config it serves a built-in default: sink connectors on multi-partition topics
/// (one partition stalled), a JDBC source connector, the credentials printed at start-up, and
/// OAuth: an identity provider's token endpoint (POST /emulator/idp/oauth2/token, client
/// credentials) and Confluent's token exchange (POST /sts/v1/oauth2/token), whose access
/// tokens the API accepts until they expire. Flags override the file.
#[derive(Debug, Parser)]
#[command(
    version,
    after_help = "Examples:\n  connect-emulator --port 8080\n  connect-emulator --config emulator.yaml --error-rate 0.1\n  connect-emulator --print-default-config > emulator.yaml"
)]
struct Args {
    /// The port on 127.0.0.1 to listen on (0 takes any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Also serve a self-managed Apache Kafka Connect worker (configuration, status, KIP-875
    /// offsets, stop, resume) on this port of 127.0.0.1, to try `connect-offsets migrate`.
    #[arg(long, value_name = "PORT")]
    self_managed_port: Option<u16>,
    /// A YAML or JSON file describing credentials, environments and connectors.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print the built-in default configuration as YAML and exit.
    #[arg(long)]
    print_default_config: bool,
    /// Milliseconds between observations of the offsets.
    #[arg(long, value_name = "MS")]
    observation_interval_ms: Option<u64>,
    /// Milliseconds an offsets change stays PENDING before it is APPLIED or FAILED.
    #[arg(long, value_name = "MS")]
    alter_delay_ms: Option<u64>,
    /// Milliseconds after an offsets change is asked for during which its status still shows
    /// the change before it.
    #[arg(long, value_name = "MS")]
    alter_status_lag_ms: Option<u64>,
    /// OAuth: seconds a subject token of the identity provider lives.
    #[arg(long, value_name = "SECS")]
    idp_token_lifetime_secs: Option<u64>,
    /// OAuth: the most seconds an access token of the token exchange lives (short ones let a
    /// client be watched refreshing its tokens).
    #[arg(long, value_name = "SECS")]
    sts_token_lifetime_secs: Option<u64>,
    /// Requests per second each credential may make (token bucket refill rate).
    #[arg(long, value_name = "RPS", conflicts_with = "no_rate_limit")]
    rate_limit: Option<f64>,
    /// Requests each credential may make at once (token bucket size).
    #[arg(long, value_name = "N", conflicts_with = "no_rate_limit")]
    burst: Option<u32>,
    /// Turn rate limiting off.
    #[arg(long)]
    no_rate_limit: bool,
    /// Probability (0 to 1) of answering an API request with an injected error.
    #[arg(long, value_name = "P")]
    error_rate: Option<f64>,
    /// The statuses injected errors use, comma-separated.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    error_statuses: Option<Vec<u16>>,
    /// The body injected errors carry.
    #[arg(long, value_enum)]
    error_body: Option<ErrorBodyFlag>,
    /// Milliseconds added before every API answer.
    #[arg(long, value_name = "MS")]
    latency_ms: Option<u64>,
    /// Probability (0 to 1) of closing the connection without an answer.
    #[arg(long, value_name = "P")]
    drop_rate: Option<f64>,
    /// Probability (0 to 1) of cutting a successful answer's body short.
    #[arg(long, value_name = "P")]
    truncate_rate: Option<f64>,
    /// Seed for the random choices of fault injection, to repeat a run.
    #[arg(long)]
    seed: Option<u64>,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    if args.print_default_config {
        print!("{}", Config::default().to_yaml());
        return ExitCode::SUCCESS;
    }
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("connect-emulator: {message}");
            ExitCode::from(2)
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let mut config = match &args.config {
        Some(path) => Config::from_path(path).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    apply_flags(&args, &mut config)?;
    let mut builder = Emulator::builder().config(config).port(args.port);
    if let Some(seed) = args.seed {
        builder = builder.seed(seed);
    }
    if let Some(port) = args.self_managed_port {
        builder = builder.self_managed_worker(port);
    }
    let emulator = builder.start().await.map_err(|e| e.to_string())?;
    print!("{}", banner(&emulator));
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| format!("cannot wait for Ctrl-C: {e}"))?;
    println!("stopping");
    emulator.shutdown().await;
    Ok(())
}

fn apply_flags(args: &Args, config: &mut Config) -> Result<(), String> {
    if args.idp_token_lifetime_secs.is_some() || args.sts_token_lifetime_secs.is_some() {
        let oauth = config.oauth.take().ok_or(
            "--idp-token-lifetime-secs and --sts-token-lifetime-secs need OAuth, and the \
             configuration has no `oauth` section: add one (see --print-default-config)",
        )?;
        let oauth = match args.idp_token_lifetime_secs {
            Some(secs) => oauth.with_idp_token_lifetime_secs(secs),
            None => oauth,
        };
        config.oauth = Some(match args.sts_token_lifetime_secs {
            Some(secs) => oauth.with_sts_token_lifetime_secs(secs),
            None => oauth,
        });
    }
    if let Some(ms) = args.observation_interval_ms {
        config.observation_interval_ms = ms;
    }
    if let Some(ms) = args.alter_delay_ms {
        config.alter_delay_ms = ms;
    }
    if let Some(ms) = args.alter_status_lag_ms {
        config.alter_status_lag_ms = ms;
    }
    if args.no_rate_limit {
        config.rate_limit = None;
    } else if args.rate_limit.is_some() || args.burst.is_some() {
        let current = config.rate_limit.unwrap_or(RateLimit {
            requests_per_second: 50.0,
            burst: 10,
        });
        config.rate_limit = Some(RateLimit {
            requests_per_second: args.rate_limit.unwrap_or(current.requests_per_second),
            burst: args.burst.unwrap_or(current.burst),
        });
    }
    let faults: &mut Faults = &mut config.faults;
    if let Some(p) = args.error_rate {
        faults.error_rate = p;
    }
    if let Some(statuses) = &args.error_statuses {
        faults.error_statuses.clone_from(statuses);
    }
    if let Some(body) = args.error_body {
        faults.error_body = body.into();
    }
    if let Some(ms) = args.latency_ms {
        faults.latency_ms = ms;
    }
    if let Some(p) = args.drop_rate {
        faults.drop_rate = p;
    }
    if let Some(p) = args.truncate_rate {
        faults.truncate_rate = p;
    }
    Ok(())
}

fn banner(emulator: &Emulator) -> String {
    let config = emulator.config();
    let mut text = format!(
        "connect-emulator listening on {}\n\ncredentials:\n",
        emulator.base_url()
    );
    let worker = emulator.self_managed_url().map(|url| {
        format!(
            "\nself-managed Kafka Connect worker on {url}: legacy-orders-sink, legacy-jdbc-source\n"
        )
    });
    for credential in &config.credentials {
        let access = credential.environments.join(", ");
        match (
            &credential.api_key,
            &credential.api_secret,
            &credential.bearer_token,
        ) {
            (Some(key), Some(secret), _) => {
                text.push_str(&format!(
                    "  api key {key}  secret {secret}  (environments: {access})\n"
                ));
            }
            (_, _, Some(token)) => {
                text.push_str(&format!(
                    "  bearer token {token}  (environments: {access})\n"
                ));
            }
            _ => {}
        }
    }
    if let Some(oauth) = &config.oauth {
        text.push_str(&oauth_banner(emulator, oauth));
    }
    text.push_str("\nconnectors (environment / cluster / name):\n");
    for environment in &config.environments {
        for cluster in &environment.clusters {
            for connector in &cluster.connectors {
                let kind = if connector.sink.is_some() {
                    "sink"
                } else {
                    "source"
                };
                text.push_str(&format!(
                    "  {} / {} / {}  ({kind})\n",
                    environment.id, cluster.id, connector.name
                ));
            }
        }
    }
    let limit = match config.rate_limit {
        Some(limit) => format!(
            "{} requests/s per credential, burst {}",
            limit.requests_per_second, limit.burst
        ),
        None => "off".to_owned(),
    };
    if let Some(worker) = worker {
        text.push_str(&worker);
    }
    text.push_str(&format!(
        "\nobservation interval: {} ms; rate limit: {limit}\ncontrols: {}{}/\nCtrl-C stops.\n",
        config.observation_interval_ms,
        emulator.base_url(),
        connect_emulator::ADMIN_PREFIX,
    ));
    text
}

/// The OAuth endpoints, clients (without their secrets) and identity pools.
fn oauth_banner(emulator: &Emulator, oauth: &OAuth) -> String {
    let mut text = format!(
        "\noauth: subject tokens (client credentials, {} s) at {}\n       token exchange (access tokens, at most {} s) at {}\n",
        oauth.idp_token_lifetime_secs,
        emulator.idp_token_url(),
        oauth.sts_token_lifetime_secs,
        emulator.sts_token_url(),
    );
    for client in &oauth.clients {
        text.push_str(&format!("  client {}\n", client.client_id));
    }
    for pool in &oauth.identity_pools {
        text.push_str(&format!(
            "  identity pool {}  (environments: {})\n",
            pool.id,
            pool.environments.join(", ")
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The flag of each body: exhaustive, so that a body added to the library fails to compile
    /// here until it has a flag.
    fn flag_of(body: ErrorBody) -> ErrorBodyFlag {
        match body {
            ErrorBody::Json => ErrorBodyFlag::Json,
            ErrorBody::Empty => ErrorBodyFlag::Empty,
            ErrorBody::Html => ErrorBodyFlag::Html,
            ErrorBody::TruncatedJson => ErrorBodyFlag::TruncatedJson,
        }
    }

    #[test]
    fn every_error_body_flag_is_the_body_of_its_name() {
        for flag in ErrorBodyFlag::value_variants() {
            assert_eq!(flag_of(ErrorBody::from(*flag)), *flag);
        }
        let names: Vec<_> = ErrorBodyFlag::value_variants()
            .iter()
            .filter_map(|flag| flag.to_possible_value())
            .map(|value| value.get_name().to_owned())
            .collect();
        assert_eq!(names, ["json", "empty", "html", "truncated-json"]);
    }
}
