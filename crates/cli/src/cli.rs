//! The command line: commands, arguments, help texts.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// What every long help (`--help`) ends with: the exit codes and the environment.
macro_rules! exit_codes {
    () => {
        "Exit codes:
  0    success (for watch, also when stopped with Ctrl-C)
  1    the service or the network failed, or an offsets change failed or timed out
       (for snapshot: no connector could be read)
  2    usage error: bad arguments, missing credentials, an unreadable or malformed input
       file, a reset that was not confirmed
  3    snapshot: some connectors could not be read; the others are in the document
  130  interrupted with Ctrl-C

Environment:
  CONFLUENT_CLOUD_API_KEY                       the Cloud API key id (or --api-key)
  CONFLUENT_CLOUD_API_SECRET                    its secret (or --api-secret-file, or a prompt at a terminal)
  CONFLUENT_CLOUD_BASE_URL                      another base URL, e.g. the emulator's (or --base-url)
  CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL      OAuth instead of an API key: the identity provider's
                                                token URL (or --oauth-token-url)
  CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_ID      its client id (or --oauth-client-id)
  CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET  its secret (or --oauth-client-secret-file)
  CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_SCOPE    a scope to ask for (or --oauth-scope)
  CONFLUENT_CLOUD_OAUTH_SUBJECT_TOKEN_FILE      or a subject token file (or --subject-token-file)
  CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID        the identity pool (or --identity-pool-id)
  CONFLUENT_KAFKA_API_KEY                       migrate: the managed connector's Kafka API key
  CONFLUENT_KAFKA_API_SECRET                    migrate: its secret (or --kafka-api-secret-file)
  NO_COLOR                                      when set and not empty: no colour and no progress bar"
    };
}

/// A command's examples for its short help (`-h`), and with the exit codes for `--help`.
macro_rules! examples {
    ($text:expr) => {
        concat!("Examples:\n", $text)
    };
}

macro_rules! long_examples {
    ($text:expr) => {
        concat!("Examples:\n", $text, "\n\n", exit_codes!())
    };
}

macro_rules! main_examples {
    () => {
        "  export CONFLUENT_CLOUD_API_KEY=ABCDEFGH12345678
  read -rs CONFLUENT_CLOUD_API_SECRET && export CONFLUENT_CLOUD_API_SECRET
  connect-offsets get env-abc123 lkc-abc123 orders-sink
  connect-offsets watch env-abc123 lkc-abc123 orders-sink --interval 10s

Against the local emulator (cargo run -p connect-emulator -- --port 8080):
  CONFLUENT_CLOUD_API_KEY=EMUKEY0000000001 CONFLUENT_CLOUD_API_SECRET=emulator-secret-1 \\
    connect-offsets --base-url http://127.0.0.1:8080 get env-emu001 lkc-emu001 clicks-sink"
    };
}

/// Read, watch, export, change and snapshot the offsets of Confluent Cloud connectors.
///
/// Built on the Connect v1 offsets API. Credentials are a Cloud API key: its id from
/// CONFLUENT_CLOUD_API_KEY or --api-key, its secret from CONFLUENT_CLOUD_API_SECRET,
/// --api-secret-file or a prompt at a terminal; never from a flag's value, which would land
/// in the shell history. Or Confluent Cloud OAuth: a token from your identity provider
/// (--oauth-token-url, --oauth-client-id, the secret from
/// CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET or --oauth-client-secret-file) or from
/// --subject-token-file, exchanged in --identity-pool-id and refreshed before it expires.
#[derive(Debug, Parser)]
#[command(
    name = "connect-offsets",
    version,
    after_help = examples!(main_examples!()),
    after_long_help = long_examples!(main_examples!())
)]
pub struct Cli {
    /// How to reach the API.
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Log each request on standard error: method, path, status, duration, request id,
    /// retries and pacing waits (-v); more detail (-vv). RUST_LOG, when set, chooses instead.
    /// Credentials never appear in the log.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where the API is and who is calling: flags accepted before or after the command.
#[derive(Debug, Args)]
#[command(next_help_heading = "Connection")]
pub struct ConnectionArgs {
    /// The Cloud API key id [default: CONFLUENT_CLOUD_API_KEY]. Its secret comes from
    /// CONFLUENT_CLOUD_API_SECRET, --api-secret-file or a prompt at a terminal.
    #[arg(
        long,
        global = true,
        value_name = "KEY",
        env = "CONFLUENT_CLOUD_API_KEY",
        hide_env = true
    )]
    pub api_key: Option<String>,

    /// A file holding the API key's secret on its first line.
    #[arg(long, global = true, value_name = "PATH")]
    pub api_secret_file: Option<PathBuf>,

    /// Refused: a secret given as a flag lands in the shell history and the process list.
    /// Accepted only to say so instead of a generic parse error; the value is never shown.
    #[arg(long, global = true, hide = true, num_args = 0..=1, value_name = "SECRET")]
    pub api_secret: Option<Option<String>>,

    /// OAuth: your identity provider's token URL, for client credentials
    /// [default: CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL]. The client secret comes from
    /// CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET or --oauth-client-secret-file.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL",
        hide_env = true
    )]
    pub oauth_token_url: Option<String>,

    /// OAuth: the client id at the identity provider
    /// [default: CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_ID].
    #[arg(
        long,
        global = true,
        value_name = "ID",
        env = "CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_ID",
        hide_env = true
    )]
    pub oauth_client_id: Option<String>,

    /// OAuth: a file holding the client secret on its first line.
    #[arg(long, global = true, value_name = "PATH")]
    pub oauth_client_secret_file: Option<PathBuf>,

    /// Refused: a secret given as a flag lands in the shell history and the process list.
    /// Accepted only to say so instead of a generic parse error; the value is never shown.
    #[arg(long, global = true, hide = true, num_args = 0..=1, value_name = "SECRET")]
    pub oauth_client_secret: Option<Option<String>>,

    /// OAuth: the scope to ask the identity provider for, if it needs one
    /// [default: CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_SCOPE].
    #[arg(
        long,
        global = true,
        value_name = "SCOPE",
        env = "CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_SCOPE",
        hide_env = true
    )]
    pub oauth_scope: Option<String>,

    /// OAuth: instead of client credentials, a file holding the subject token (a JWT) that
    /// something else keeps fresh, such as a Kubernetes projected service-account token
    /// [default: CONFLUENT_CLOUD_OAUTH_SUBJECT_TOKEN_FILE].
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        env = "CONFLUENT_CLOUD_OAUTH_SUBJECT_TOKEN_FILE",
        hide_env = true
    )]
    pub subject_token_file: Option<PathBuf>,

    /// OAuth: the Confluent Cloud identity pool to exchange tokens in, pool-...
    /// [default: CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID].
    #[arg(
        long,
        global = true,
        value_name = "POOL",
        env = "CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID",
        hide_env = true
    )]
    pub identity_pool_id: Option<String>,

    /// The API's base URL, e.g. the emulator's http://127.0.0.1:8080
    /// [default: CONFLUENT_CLOUD_BASE_URL, else https://api.confluent.cloud].
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "CONFLUENT_CLOUD_BASE_URL",
        hide_env = true
    )]
    pub base_url: Option<String>,

    /// How long one request may take, its answer read to the end [default: 30s].
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_interval)]
    pub request_timeout: Option<Duration>,

    /// The largest answer body read, in bytes; a longer one is an error [default: 67108864,
    /// 64 MiB].
    #[arg(long, global = true, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    pub max_body_size: Option<u64>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show a connector's offsets and when they were observed.
    ///
    /// A sink connector's offsets are a table of topic, partition and offset; a source
    /// connector's are its own partition and offset objects. The service observes offsets
    /// periodically: the first line says when, and how long ago.
    #[command(
        after_help = examples!("  connect-offsets get env-abc123 lkc-abc123 orders-sink
  connect-offsets get env-abc123 lkc-abc123 inventory-jdbc-source -o json"),
        after_long_help = long_examples!("  connect-offsets get env-abc123 lkc-abc123 orders-sink
  connect-offsets get env-abc123 lkc-abc123 inventory-jdbc-source -o json")
    )]
    Get(GetArgs),

    /// Poll a connector's offsets and show their progress.
    ///
    /// At a terminal, a live view redrawn at each observation: per partition the offset, its
    /// rate since the previous observation, a sparkline of the recent rates, and a mark:
    /// STALLED when the partition did not move while others did, IDLE when no partition moved.
    /// Otherwise one plain line per observation. Rates are per second of the service's own
    /// observation times (observed_at), so they are exact even when polls are late. Source
    /// connectors' offsets are objects: they are shown as they are, marked when unchanged.
    /// Ctrl-C stops it (exit 0).
    #[command(
        after_help = examples!("  connect-offsets watch env-abc123 lkc-abc123 orders-sink
  connect-offsets watch env-abc123 lkc-abc123 orders-sink --interval 30s --count 10 > progress.log"),
        after_long_help = long_examples!("  connect-offsets watch env-abc123 lkc-abc123 orders-sink
  connect-offsets watch env-abc123 lkc-abc123 orders-sink --interval 30s --count 10 > progress.log")
    )]
    Watch(WatchArgs),

    /// Write a connector's offsets to an offsets file.
    ///
    /// The file is {"offsets": [{"partition": {...}, "offset": {...}}]}, as Confluent's CLI
    /// (`confluent connect offset update --config-file`) and Kafka Connect read it, with every
    /// value exactly as the service sent it. A file is written atomically: the whole of it, or
    /// nothing, and an existing file is left as it was on failure.
    #[command(
        after_help = examples!("  connect-offsets export env-abc123 lkc-abc123 orders-sink --file orders-sink.json
  connect-offsets export env-abc123 lkc-abc123 orders-sink --file - | jq '.offsets | length'"),
        after_long_help = long_examples!("  connect-offsets export env-abc123 lkc-abc123 orders-sink --file orders-sink.json
  connect-offsets export env-abc123 lkc-abc123 orders-sink --file - | jq '.offsets | length'")
    )]
    Export(ExportArgs),

    /// Set the offsets of the partitions listed in an offsets file.
    ///
    /// Partitions not in the file keep their offsets. The service stops the connector, sets the
    /// offsets and resumes it; this command asks for the change and, with --wait, waits until
    /// it is applied (or has failed). Without --wait, follow it with `status`.
    #[command(
        after_help = examples!("  connect-offsets alter env-abc123 lkc-abc123 orders-sink-v2 --file orders-sink.json --wait
  jq '.offsets[0:1]' ... | connect-offsets alter env-abc123 lkc-abc123 orders-sink --file -"),
        after_long_help = long_examples!("  connect-offsets alter env-abc123 lkc-abc123 orders-sink-v2 --file orders-sink.json --wait
  jq '.offsets[0:1]' ... | connect-offsets alter env-abc123 lkc-abc123 orders-sink --file -")
    )]
    Alter(AlterArgs),

    /// Reset all of a connector's offsets, as if it were newly created.
    ///
    /// Asks to type the connector's name to confirm; without a terminal to ask at, it refuses
    /// unless --yes is given. With --wait, waits until the reset is applied (or has failed).
    #[command(
        after_help = examples!("  connect-offsets reset env-abc123 lkc-abc123 orders-sink
  connect-offsets reset env-abc123 lkc-abc123 orders-sink --yes --wait"),
        after_long_help = long_examples!("  connect-offsets reset env-abc123 lkc-abc123 orders-sink
  connect-offsets reset env-abc123 lkc-abc123 orders-sink --yes --wait")
    )]
    Reset(ResetArgs),

    /// Show where the latest offsets change (alter or reset) of a connector stands.
    #[command(
        after_help = examples!("  connect-offsets status env-abc123 lkc-abc123 orders-sink
  connect-offsets status env-abc123 lkc-abc123 orders-sink -o json"),
        after_long_help = long_examples!("  connect-offsets status env-abc123 lkc-abc123 orders-sink
  connect-offsets status env-abc123 lkc-abc123 orders-sink -o json")
    )]
    Status(StatusArgs),

    /// Read the offsets of many connectors into one JSON document.
    ///
    /// The connectors are those of a cluster (--cluster ENV CLUSTER) or of a list (--list).
    /// The list has one connector per line, `ENV CLUSTER CONNECTOR` separated by spaces; blank
    /// lines and lines starting with # are skipped. Connectors are read concurrently, paced by
    /// the client and retried when the service asks to slow down; a progress bar shows at a
    /// terminal. A connector that cannot be read is in the document with its error, the others
    /// are complete, and the exit code is 3 (1 when none could be read).
    #[command(
        after_help = examples!("  connect-offsets snapshot --cluster env-abc123 lkc-abc123 > snapshot.json
  connect-offsets snapshot --list connectors.txt > snapshot.json
  printf 'env-abc123 lkc-abc123 orders-sink\\n' | connect-offsets snapshot --list - --file snapshot.json"),
        after_long_help = long_examples!("  connect-offsets snapshot --cluster env-abc123 lkc-abc123 > snapshot.json
  connect-offsets snapshot --list connectors.txt > snapshot.json
  printf 'env-abc123 lkc-abc123 orders-sink\\n' | connect-offsets snapshot --list - --file snapshot.json")
    )]
    Snapshot(SnapshotArgs),

    /// List every connector of a cluster: its kind, state, tasks, offsets and their age.
    ///
    /// One request lists the connectors with their state and their tasks' (a FAILED task
    /// shows the first line of its trace); then each connector's offsets are read
    /// concurrently, for how many partitions it has and when the service observed them.
    #[command(
        after_help = examples!("  connect-offsets list env-abc123 lkc-abc123
  connect-offsets list env-abc123 lkc-abc123 -o json | jq '.[] | select(.state != \"RUNNING\")'"),
        after_long_help = long_examples!("  connect-offsets list env-abc123 lkc-abc123
  connect-offsets list env-abc123 lkc-abc123 -o json | jq '.[] | select(.state != \"RUNNING\")'")
    )]
    List(ListArgs),

    /// Move a connector to Confluent Cloud with its offsets: create the fully managed
    /// connector (or set the offsets of an existing one) where the old one stands.
    ///
    /// The configuration and offsets come from a self-managed Apache Kafka Connect worker
    /// (--from-worker URL: its REST API, offsets as KIP-875 reads them) or from an offsets
    /// file (--from-file, with the configuration from --config). --config and --set change the
    /// fully managed connector's configuration; its Kafka API key and secret are yours to give
    /// (--kafka-api-key or CONFLUENT_KAFKA_API_KEY, and CONFLUENT_KAFKA_API_SECRET or
    /// --kafka-api-secret-file), and nothing is changed until they are. With the default
    /// --mode stop-source the self-managed connector is stopped before its offsets are read,
    /// so that no record is processed twice; keep-source reads them while it runs (no
    /// downtime; records after the read are processed again). Then it waits until the managed
    /// connector is RUNNING and shows the offsets it starts from. --dry-run prints what would
    /// be sent, secrets masked, and changes nothing.
    #[command(
        after_help = examples!("  connect-offsets migrate env-abc123 lkc-abc123 orders-sink --from-worker http://connect:8083 \\
      --source-connector orders-s3-sink --set connector.class=S3_SINK --dry-run
  connect-offsets migrate env-abc123 lkc-abc123 orders-sink --from-file orders.json --config managed.json"),
        after_long_help = long_examples!("  connect-offsets migrate env-abc123 lkc-abc123 orders-sink --from-worker http://connect:8083 \\
      --source-connector orders-s3-sink --set connector.class=S3_SINK --dry-run
  connect-offsets migrate env-abc123 lkc-abc123 orders-sink --from-file orders.json --config managed.json")
    )]
    Migrate(MigrateArgs),
}

/// `migrate`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["from_worker", "from_file"])))]
pub struct MigrateArgs {
    /// The fully managed connector to create, or whose offsets to set if it exists.
    #[command(flatten)]
    pub target: ConnectorArgs,
    /// The REST URL of the self-managed Kafka Connect worker, e.g. http://connect:8083.
    #[arg(long, value_name = "URL")]
    pub from_worker: Option<String>,
    /// The connector's name on the worker [default: CONNECTOR].
    #[arg(long, value_name = "NAME", requires = "from_worker")]
    pub source_connector: Option<String>,
    /// An offsets file to start from instead of a worker; the configuration then comes from
    /// --config and --set.
    #[arg(long, value_name = "FILE")]
    pub from_file: Option<PathBuf>,
    /// A JSON object of strings: configuration of the fully managed connector, over the
    /// self-managed one's.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// One configuration value of the fully managed connector, over the others (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// The fully managed connector's Kafka API key.
    #[arg(long, value_name = "KEY", env = "CONFLUENT_KAFKA_API_KEY")]
    pub kafka_api_key: Option<String>,
    /// A file holding the Kafka API key's secret (or set CONFLUENT_KAFKA_API_SECRET).
    #[arg(long, value_name = "PATH")]
    pub kafka_api_secret_file: Option<PathBuf>,
    /// Whether the self-managed connector is stopped before its offsets are read.
    #[arg(long, value_enum, default_value_t = MigrateMode::StopSource)]
    pub mode: MigrateMode,
    /// Print what would be sent, secrets masked, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// How long to wait for the fully managed connector to be RUNNING, e.g. 5m.
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_interval)]
    pub wait: Duration,
}

/// What happens to the self-managed connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MigrateMode {
    /// Stop it first, then read its offsets: no duplicates, downtime until the new one runs.
    StopSource,
    /// Leave it running: no downtime, records after the read are processed again.
    KeepSource,
}

/// The connector a command is about.
#[derive(Debug, Clone, Args)]
pub struct ConnectorArgs {
    /// The environment id, e.g. env-abc123.
    #[arg(value_name = "ENV")]
    pub environment: String,
    /// The Kafka cluster id, e.g. lkc-abc123.
    #[arg(value_name = "CLUSTER")]
    pub cluster: String,
    /// The connector's name (case-sensitive).
    #[arg(value_name = "CONNECTOR")]
    pub connector: String,
}

/// How a result is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: aligned columns.
    Table,
    /// The values exactly as the service sent them, as pretty JSON.
    Json,
    /// The same as YAML.
    Yaml,
}

/// `get`.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// The connector.
    #[command(flatten)]
    pub target: ConnectorArgs,
    /// The output format.
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// How fresh the offsets must be.
    #[command(flatten)]
    pub freshness: FreshnessArgs,
}

/// `--max-age` and its `--max-age-wait`, for the commands that read offsets.
#[derive(Debug, Clone, Args)]
pub struct FreshnessArgs {
    /// Read again until the service observed the offsets at most this long before it
    /// answered, e.g. 120s. If they are still older when --max-age-wait runs out, the freshest
    /// read are used, with a warning saying how old they are.
    #[arg(long, value_name = "DURATION", value_parser = parse_interval)]
    pub max_age: Option<Duration>,
    /// How long to keep reading for --max-age, e.g. 2m.
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = parse_interval, requires = "max_age")]
    pub max_age_wait: Duration,
}

/// `watch`.
#[derive(Debug, Args)]
pub struct WatchArgs {
    /// The connector.
    #[command(flatten)]
    pub target: ConnectorArgs,
    /// Time between two polls, e.g. 500ms, 5s, 2m.
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_interval)]
    pub interval: Duration,
    /// Stop after this many polls, failed ones included [default: until Ctrl-C].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
}

/// `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The connector.
    #[command(flatten)]
    pub target: ConnectorArgs,
    /// Where to write the offsets file; - for standard output.
    #[arg(long, value_name = "FILE|-")]
    pub file: PathBuf,
    /// How fresh the offsets must be.
    #[command(flatten)]
    pub freshness: FreshnessArgs,
}

/// `--wait` and its `--timeout`, for the commands that change offsets.
#[derive(Debug, Args)]
pub struct WaitArgs {
    /// Wait until the change is applied (exit 0) or has failed (exit 1).
    #[arg(long)]
    pub wait: bool,
    /// How long --wait waits at most, e.g. 30s, 5m.
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = parse_interval, requires = "wait")]
    pub timeout: Duration,
}

/// `alter`.
#[derive(Debug, Args)]
pub struct AlterArgs {
    /// The connector.
    #[command(flatten)]
    pub target: ConnectorArgs,
    /// The offsets file to read; - for standard input.
    #[arg(long, value_name = "FILE|-")]
    pub file: PathBuf,
    /// Waiting for the change.
    #[command(flatten)]
    pub wait: WaitArgs,
}

/// `reset`.
#[derive(Debug, Args)]
pub struct ResetArgs {
    /// The connector.
    #[command(flatten)]
    pub target: ConnectorArgs,
    /// Reset without asking for confirmation.
    #[arg(long)]
    pub yes: bool,
    /// Waiting for the change.
    #[command(flatten)]
    pub wait: WaitArgs,
}

/// `status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The connector.
    #[command(flatten)]
    pub target: ConnectorArgs,
    /// The output format.
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub output: Format,
}

/// `list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// The environment id, e.g. env-abc123.
    #[arg(value_name = "ENV")]
    pub environment: String,
    /// The Kafka cluster id, e.g. lkc-abc123.
    #[arg(value_name = "CLUSTER")]
    pub cluster: String,
    /// The output format.
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// How many connectors' offsets are read at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
}

/// `snapshot`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("connectors").required(true).args(["list", "cluster"])))]
pub struct SnapshotArgs {
    /// The list of connectors, one `ENV CLUSTER CONNECTOR` per line; - for standard input.
    #[arg(long, value_name = "FILE|-")]
    pub list: Option<PathBuf>,
    /// Every connector of this cluster instead of a list.
    #[arg(long, num_args = 2, value_names = ["ENV", "CLUSTER"])]
    pub cluster: Option<Vec<String>>,
    /// Where to write the JSON document (atomically); - for standard output.
    #[arg(long, value_name = "FILE|-", default_value = "-")]
    pub file: PathBuf,
    /// How many connectors are read at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// How fresh each connector's offsets must be.
    #[command(flatten)]
    pub freshness: FreshnessArgs,
}

/// Reads a duration: a whole number with a unit, `ms`, `s`, `m` or `h` (a number alone is
/// seconds), at least 100 ms and at most a day.
pub fn parse_interval(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration: write e.g. 500ms, 5s, 2m or 1h"))?;
    let millis = match unit.trim() {
        "ms" => Some(number),
        "" | "s" => number.checked_mul(1_000),
        "m" => number.checked_mul(60_000),
        "h" => number.checked_mul(3_600_000),
        other => {
            return Err(format!(
                "unknown unit {other:?} in {text:?}: use ms, s, m or h"
            ));
        }
    };
    match millis {
        Some(millis) if (100..=86_400_000).contains(&millis) => Ok(Duration::from_millis(millis)),
        _ => Err(format!("{text:?} is out of range: use 100ms to 24h")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations_take_a_unit_or_mean_seconds() {
        let parsed: Vec<_> = ["500ms", "5s", "5", "2m", "1h"]
            .into_iter()
            .map(|text| parse_interval(text).map(|d| d.as_millis()))
            .collect();
        assert_eq!(
            parsed,
            [Ok(500), Ok(5_000), Ok(5_000), Ok(120_000), Ok(3_600_000)]
        );
    }

    #[test]
    fn durations_out_of_range_or_without_a_known_unit_are_refused() {
        assert_eq!(
            parse_interval("10ms"),
            Err("\"10ms\" is out of range: use 100ms to 24h".to_owned())
        );
        assert_eq!(
            parse_interval("5d"),
            Err("unknown unit \"d\" in \"5d\": use ms, s, m or h".to_owned())
        );
        assert_eq!(
            parse_interval("soon"),
            Err("\"soon\" is not a duration: write e.g. 500ms, 5s, 2m or 1h".to_owned())
        );
    }
}
