//! `list`: every connector of a cluster, its kind, state, tasks, offsets and their age.

use chrono::{DateTime, Utc};
use confluent_connect::{ConnectorOffsets, ConnectorStatus, ConnectorSummary, Error};
use serde::Serialize;

use crate::cli::{ConnectionArgs, ConnectorArgs, Format, FreshnessArgs, ListArgs};
use crate::commands::or_interrupted;
use crate::failure::{Exit, Failure};
use crate::interrupt::Interrupts;
use crate::render::{Align, Table, age, json, yaml};
use crate::snapshot::read_many;
use crate::terminal::Terminal;
use crate::{connection, emit};

/// One connector as `list` shows it.
#[derive(Debug, Serialize)]
pub struct Listed {
    /// Its name.
    pub name: String,
    /// Its id (`lcc-...`).
    pub id: Option<String>,
    /// `sink` or `source`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Its state, as the service wrote it.
    pub state: Option<String>,
    /// Its tasks.
    pub tasks: Vec<ListedTask>,
    /// How many partitions its offsets have.
    pub partitions: Option<usize>,
    /// When the service observed the offsets, as it wrote it.
    pub observed_at: Option<String>,
    /// How many seconds before now that was.
    pub observed_age_s: Option<i64>,
    /// Why its offsets could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One task of a listed connector.
#[derive(Debug, Serialize)]
pub struct ListedTask {
    /// The task's number.
    pub id: i64,
    /// Its state, as the service wrote it.
    pub state: String,
    /// Why it failed, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<String>,
}

/// Lists the cluster's connectors with their state, then reads every one's offsets.
pub async fn run(
    connection: &ConnectionArgs,
    args: ListArgs,
    terminal: &Terminal,
    interrupts: &mut Interrupts,
) -> Result<Exit, Failure> {
    let client = connection::client(connection, terminal, interrupts).await?;
    let cluster = client.cluster(&args.environment, &args.cluster);
    let summaries = or_interrupted(interrupts, None, cluster.describe_connectors())
        .await?
        .map_err(|error| Failure::cluster_api(&error, &args.environment, &args.cluster))?;
    let targets: Vec<ConnectorArgs> = summaries
        .iter()
        .map(|summary| ConnectorArgs {
            environment: args.environment.clone(),
            cluster: args.cluster.clone(),
            connector: summary.name.clone(),
        })
        .collect();
    let freshness = FreshnessArgs {
        max_age: None,
        max_age_wait: std::time::Duration::ZERO,
    };
    let reads = read_many(
        &client,
        &targets,
        args.concurrency,
        &freshness,
        terminal,
        interrupts,
    )
    .await?;
    let now = Utc::now();
    let listed: Vec<Listed> = summaries
        .into_iter()
        .zip(reads)
        .map(|(summary, read)| listed(summary, read.map(|(offsets, _)| offsets), now))
        .collect();
    let text = match args.output {
        Format::Json => json(&listed)?,
        Format::Yaml => yaml(&listed)?,
        Format::Table => table(&listed, now, terminal.colour_stdout()),
    };
    emit(&text)?;
    Ok(Exit::Success)
}

fn listed(
    summary: ConnectorSummary,
    offsets: Result<ConnectorOffsets, Error>,
    now: DateTime<Utc>,
) -> Listed {
    let (kind, state, tasks) = match &summary.status {
        Some(status) => (
            Some(status.kind.to_string()),
            Some(status.state.to_string()),
            tasks(status),
        ),
        None => (None, None, Vec::new()),
    };
    let (partitions, observed_at, observed_age_s, error) = match offsets {
        Ok(offsets) => {
            let at = offsets.observed_at.as_ref();
            (
                Some(offsets.offsets.len()),
                at.map(|at| at.raw().to_owned()),
                at.and_then(|at| at.utc())
                    .map(|utc| now.signed_duration_since(utc).num_seconds()),
                None,
            )
        }
        Err(error) => (None, None, None, Some(error.to_string())),
    };
    Listed {
        name: summary.name,
        id: summary.id,
        kind,
        state,
        tasks,
        partitions,
        observed_at,
        observed_age_s,
        error,
    }
}

fn tasks(status: &ConnectorStatus) -> Vec<ListedTask> {
    status
        .tasks
        .iter()
        .map(|task| ListedTask {
            id: task.id,
            state: task.state.to_string(),
            trace: task.trace.clone().filter(|trace| !trace.is_empty()),
        })
        .collect()
}

/// The table, then one line per failed task with the first line of its trace, then one per
/// connector whose offsets could not be read.
fn table(listed: &[Listed], now: DateTime<Utc>, colour: bool) -> String {
    let mut table = Table::new(&[
        ("CONNECTOR", Align::Left),
        ("TYPE", Align::Left),
        ("STATE", Align::Left),
        ("TASKS", Align::Left),
        ("PARTITIONS", Align::Right),
        ("OBSERVED", Align::Left),
    ]);
    let mut notes = Vec::new();
    for connector in listed {
        let tasks: Vec<String> = connector
            .tasks
            .iter()
            .map(|task| format!("{}:{}", task.id, task.state))
            .collect();
        let observed = match (&connector.observed_at, connector.observed_age_s) {
            (Some(_), Some(seconds)) => age(now - chrono::TimeDelta::seconds(seconds), now),
            (Some(raw), None) => format!("at {raw:?}"),
            (None, _) => "-".to_owned(),
        };
        table.row(vec![
            connector.name.clone(),
            connector.kind.clone().unwrap_or_else(|| "-".to_owned()),
            connector.state.clone().unwrap_or_else(|| "-".to_owned()),
            if tasks.is_empty() {
                "-".to_owned()
            } else {
                tasks.join(" ")
            },
            connector
                .partitions
                .map_or_else(|| "-".to_owned(), |n| n.to_string()),
            observed,
        ]);
        for task in &connector.tasks {
            if let Some(trace) = &task.trace {
                let first = trace.lines().next().unwrap_or_default();
                notes.push(format!(
                    "{} task {} {}: {first}",
                    connector.name, task.id, task.state
                ));
            }
        }
        if let Some(error) = &connector.error {
            notes.push(format!("{}: offsets not read: {error}", connector.name));
        }
    }
    let mut text = table.render(colour);
    for note in notes {
        text.push_str(&note);
        text.push('\n');
    }
    text
}
