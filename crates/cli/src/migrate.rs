//! `migrate`: a connector's configuration and offsets, from a self-managed Kafka Connect worker
//! or an offsets file, into a fully managed connector created with those offsets (or an
//! existing one whose offsets are set), then waiting until it runs.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use confluent_connect::{
    Client, ConnectorConfig, ConnectorState, OffsetsFile, PartitionOffset, REQUIRED_CREATE_KEYS,
    WaitOptions,
};
use serde_json::{Value, json};

use crate::cli::{ConnectionArgs, Format, MigrateArgs, MigrateMode};
use crate::commands::or_interrupted;
use crate::failure::{Exit, Failure};
use crate::interrupt::Interrupts;
use crate::render::{self, json as pretty_json};
use crate::terminal::Terminal;
use crate::{connection, emit};

/// The environment variable holding the managed connector's Kafka API secret.
const KAFKA_SECRET_VAR: &str = "CONFLUENT_KAFKA_API_SECRET";
/// How long one request to the self-managed worker may take.
const WORKER_TIMEOUT: Duration = Duration::from_secs(30);
/// Between two reads of the managed connector's status.
const STATUS_INTERVAL: Duration = Duration::from_secs(1);

/// Runs the migration, or with `--dry-run` prints it.
pub async fn run(
    connection: &ConnectionArgs,
    args: MigrateArgs,
    terminal: &Terminal,
    interrupts: &mut Interrupts,
) -> Result<Exit, Failure> {
    let target = &args.target;
    let worker = args.from_worker.as_deref().map(|url| Worker {
        url: url.trim_end_matches('/').to_owned(),
        connector: args
            .source_connector
            .clone()
            .unwrap_or_else(|| target.connector.clone()),
        http: reqwest::Client::builder()
            .timeout(WORKER_TIMEOUT)
            .build()
            .unwrap_or_default(),
    });

    // Everything that can be refused is checked before anything changes anywhere.
    let source_config = match &worker {
        Some(worker) => or_interrupted(interrupts, None, worker.config()).await??,
        None => BTreeMap::new(),
    };
    let config = managed_config(&args, source_config)?;
    let from_file = match &args.from_file {
        Some(path) => Some(OffsetsFile::read(path).map_err(|error| Failure::offsets_file(&error))?),
        None => None,
    };
    let client = connection::client(connection, terminal, interrupts).await?;
    let cluster = client.cluster(&target.environment, &target.cluster);
    let exists = or_interrupted(interrupts, None, cluster.connectors())
        .await?
        .map_err(|error| Failure::cluster_api(&error, &target.environment, &target.cluster))?
        .contains(&target.connector);
    let stop_source = worker.is_some() && args.mode == MigrateMode::StopSource;

    // A dry run changes nothing: the source is stopped only for real.
    if let (true, false, Some(worker)) = (stop_source, args.dry_run, &worker) {
        or_interrupted(interrupts, None, worker.stop()).await??;
        eprintln!(
            "Stopped {} on {} (it keeps its offsets; resume it there with PUT /connectors/{}/resume if you go back).",
            worker.connector, worker.url, worker.connector
        );
    }
    let offsets = match (&worker, from_file) {
        (Some(worker), _) => or_interrupted(interrupts, None, worker.offsets()).await??,
        (None, Some(file)) => file.offsets,
        (None, None) => Vec::new(),
    };
    if args.dry_run {
        let plan = json!({
            "connector": target.connector,
            "environment": target.environment,
            "cluster": target.cluster,
            "action": if exists { "alter the offsets of the existing connector" } else { "create the connector with these offsets" },
            "stop_source_first": stop_source,
            "config": config.redacted(),
            "offsets": offsets,
        });
        emit(&pretty_json(&plan)?)?;
        return Ok(Exit::Success);
    }

    let connector = cluster.connector(&target.connector);
    if exists {
        let request = or_interrupted(interrupts, None, connector.alter_offsets(&offsets))
            .await?
            .map_err(|error| Failure::api(&error, &target.subject()))?;
        let options = WaitOptions::default().with_timeout(args.wait);
        or_interrupted(
            interrupts,
            None,
            connector.wait_for_alter_of(&request, options),
        )
        .await?
        .map_err(|error| Failure::api(&error, &target.subject()))?;
        eprintln!(
            "Set {} of the existing connector {}.",
            count(offsets.len()),
            target.connector
        );
    } else {
        or_interrupted(
            interrupts,
            None,
            cluster
                .create_connector(&target.connector, config)
                .offsets(offsets.clone())
                .send(),
        )
        .await?
        .map_err(|error| Failure::api(&error, &target.subject()))?;
        eprintln!(
            "Created {} with {}.",
            target.connector,
            count(offsets.len())
        );
    }

    wait_until_running(&client, &args, interrupts).await?;
    let started = or_interrupted(interrupts, None, connector.offsets())
        .await?
        .map_err(|error| Failure::api(&error, &target.subject()))?;
    emit(&format!(
        "{} is RUNNING; it starts from:\n{}",
        target.connector,
        render::offsets(
            &started,
            &target.connector,
            Format::Table,
            Utc::now(),
            terminal.colour_stdout()
        )?
    ))?;
    Ok(Exit::Success)
}

/// `1 offset`, `3 offsets`.
fn count(offsets: usize) -> String {
    format!("{offsets} offset{}", if offsets == 1 { "" } else { "s" })
}

/// The fully managed connector's configuration: the self-managed one's, then `--config`'s,
/// then `--set`'s, named after the target, with the Kafka API key and secret given; refused
/// (naming every one) when a required key is still missing.
fn managed_config(
    args: &MigrateArgs,
    source: BTreeMap<String, String>,
) -> Result<ConnectorConfig, Failure> {
    let mut config: ConnectorConfig = source.into_iter().collect();
    if let Some(path) = &args.config {
        for (key, value) in read_config_file(path)? {
            config.insert(key, value);
        }
    }
    for pair in &args.set {
        let (key, value) = pair.split_once('=').ok_or_else(|| {
            Failure::usage(
                format!("--set {pair:?} is not KEY=VALUE"),
                "write each configuration value as --set key=value",
            )
        })?;
        config.insert(key.trim(), value);
    }
    config.insert("name", args.target.connector.as_str());
    if let Some(key) = &args.kafka_api_key {
        config.insert("kafka.api.key", key.as_str());
    }
    if let Some(secret) = kafka_secret(args)? {
        config.insert("kafka.api.secret", secret);
    }
    let missing: Vec<&str> = REQUIRED_CREATE_KEYS
        .iter()
        .copied()
        .filter(|key| config.get(key).is_none_or(str::is_empty))
        .collect();
    if missing.is_empty() {
        return Ok(config);
    }
    let mut how = Vec::new();
    if missing.contains(&"kafka.api.key") {
        how.push("give the Kafka API key with --kafka-api-key or CONFLUENT_KAFKA_API_KEY");
    }
    if missing.contains(&"kafka.api.secret") {
        how.push("put its secret in CONFLUENT_KAFKA_API_SECRET or a file given with --kafka-api-secret-file");
    }
    if missing.contains(&"connector.class") {
        how.push("name the fully managed plugin with --set connector.class=...");
    }
    Err(Failure::usage(
        format!(
            "the fully managed connector's configuration lacks {}, which only you can supply; nothing was changed",
            missing.join(", ")
        ),
        how.join("; "),
    ))
}

/// The Kafka API secret, from `--kafka-api-secret-file` or the environment; never a flag's value.
fn kafka_secret(args: &MigrateArgs) -> Result<Option<String>, Failure> {
    if let Some(path) = &args.kafka_api_secret_file {
        let text = std::fs::read_to_string(path).map_err(|error| {
            Failure::usage(
                format!(
                    "cannot read the Kafka API secret file {}: {error}",
                    path.display()
                ),
                "check the path given to --kafka-api-secret-file",
            )
        })?;
        return Ok(Some(text.trim_end_matches(['\r', '\n']).to_owned()));
    }
    Ok(std::env::var(KAFKA_SECRET_VAR)
        .ok()
        .filter(|secret| !secret.is_empty()))
}

/// A JSON object of strings, from `--config`.
fn read_config_file(path: &Path) -> Result<BTreeMap<String, String>, Failure> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        Failure::usage(
            format!("cannot read the configuration {}: {error}", path.display()),
            "check the path given to --config",
        )
    })?;
    serde_json::from_str(&text).map_err(|error| {
        Failure::usage(
            format!(
                "the configuration {} is not a JSON object of strings: {error}",
                path.display()
            ),
            "write it as {\"key\": \"value\", ...}, every value a string",
        )
    })
}

/// Reads the managed connector's status until it is RUNNING; FAILED (or a FAILED task) or
/// `--wait` running out is an error.
async fn wait_until_running(
    client: &Client,
    args: &MigrateArgs,
    interrupts: &mut Interrupts,
) -> Result<(), Failure> {
    let connector = args.target.connector(client);
    let started = Instant::now();
    loop {
        let status = or_interrupted(interrupts, None, connector.status())
            .await?
            .map_err(|error| Failure::api(&error, &args.target.subject()))?;
        let failed = status
            .tasks
            .iter()
            .find(|task| task.state == ConnectorState::Failed);
        match (&status.state, failed) {
            (ConnectorState::Running, None) => return Ok(()),
            (ConnectorState::Failed, _) | (_, Some(_)) => {
                let trace = failed
                    .and_then(|task| task.trace.as_deref())
                    .or(status.trace.as_deref())
                    .and_then(|trace| trace.lines().next())
                    .unwrap_or("no trace");
                return Err(Failure::runtime(
                    format!(
                        "{} is {} after the migration: {trace}",
                        args.target.connector, status.state
                    ),
                    "read its status with `connect-offsets list`, fix its configuration, and \
                     migrate again (its offsets are set)",
                ));
            }
            _ => {}
        }
        if started.elapsed() + STATUS_INTERVAL > args.wait {
            return Err(Failure::runtime(
                format!(
                    "{} is still {} after {}s",
                    args.target.connector,
                    status.state,
                    args.wait.as_secs()
                ),
                "it may still start: follow it with `connect-offsets list`, or wait longer with --wait",
            ));
        }
        tokio::time::sleep(STATUS_INTERVAL).await;
    }
}

/// The self-managed worker's REST API, for one connector.
struct Worker {
    url: String,
    connector: String,
    http: reqwest::Client,
}

impl Worker {
    /// `GET /connectors/{name}/config`.
    async fn config(&self) -> Result<BTreeMap<String, String>, Failure> {
        let body = self.get("config").await?;
        serde_json::from_slice(&body).map_err(|error| self.unreadable("config", &error))
    }

    /// `GET /connectors/{name}/offsets` (KIP-875): `{"offsets": [...]}`, read exactly.
    async fn offsets(&self) -> Result<Vec<PartitionOffset>, Failure> {
        // Read from the bytes as sent, so that every value is kept exactly.
        let body = self.get("offsets").await?;
        OffsetsFile::from_slice(&body)
            .map(|file| file.offsets)
            .map_err(|error| {
                Failure::runtime(
                    format!(
                        "the offsets of {} on {} cannot be used: {error}",
                        self.connector, self.url
                    ),
                    "check that the worker runs Kafka 3.6 or later (KIP-875)",
                )
            })
    }

    /// `PUT /connectors/{name}/stop` (KIP-875).
    async fn stop(&self) -> Result<(), Failure> {
        let url = self.path("stop");
        let response = self
            .http
            .put(&url)
            .send()
            .await
            .map_err(|error| self.unreachable(&error))?;
        if response.status().is_success() {
            return Ok(());
        }
        Err(self.refused(response).await)
    }

    async fn get(&self, what: &str) -> Result<Vec<u8>, Failure> {
        let response = self
            .http
            .get(self.path(what))
            .send()
            .await
            .map_err(|error| self.unreachable(&error))?;
        if !response.status().is_success() {
            return Err(self.refused(response).await);
        }
        response
            .bytes()
            .await
            .map(|bytes| bytes.to_vec())
            .map_err(|error| self.unreadable(what, &error))
    }

    fn path(&self, what: &str) -> String {
        let name: String = self
            .connector
            .bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    char::from(b).to_string()
                }
                other => format!("%{other:02X}"),
            })
            .collect();
        format!("{}/connectors/{name}/{what}", self.url)
    }

    fn unreachable(&self, error: &reqwest::Error) -> Failure {
        Failure::runtime(
            format!(
                "cannot reach the self-managed worker at {}: {error}",
                self.url
            ),
            "check the URL given to --from-worker (the worker's REST listener, e.g. http://connect:8083)",
        )
    }

    async fn refused(&self, response: reqwest::Response) -> Failure {
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        let message = body["message"].as_str().unwrap_or("no message");
        Failure::runtime(
            format!(
                "the self-managed worker at {} answered {status} for {}: {message}",
                self.url, self.connector
            ),
            "check the connector's name on the worker (--source-connector)",
        )
    }

    fn unreadable(&self, what: &str, error: &dyn std::fmt::Display) -> Failure {
        Failure::runtime(
            format!(
                "the {what} of {} on {} cannot be read: {error}",
                self.connector, self.url
            ),
            "check that --from-worker is a Kafka Connect worker's REST URL",
        )
    }
}
