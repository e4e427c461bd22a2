//! `snapshot`: the offsets of many connectors, read concurrently, in one JSON document.

use std::fs;
use std::path::Path;
use std::time::Duration;

use confluent_connect::{Client, ConnectorOffsets, Error};
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::cli::{ConnectionArgs, ConnectorArgs, FreshnessArgs, SnapshotArgs};
use crate::commands::{is_stdio, or_interrupted, read_fresh, read_stdin, tell_if_typing, warn};
use crate::failure::{Exit, Failure};
use crate::interrupt::{Interrupts, blocking};
use crate::render::json;
use crate::terminal::Terminal;
use crate::{connection, emit};

/// The document `snapshot` writes.
#[derive(Debug, Serialize)]
pub struct Snapshot {
    /// One entry per line of the list, in its order.
    pub connectors: Vec<Entry>,
    /// How many connectors were read.
    pub read: usize,
    /// How many could not be.
    pub failed: usize,
}

/// One connector of the list, with its offsets or why they could not be read.
#[derive(Debug, Serialize)]
pub struct Entry {
    /// The environment id.
    pub environment: String,
    /// The Kafka cluster id.
    pub cluster: String,
    /// The connector's name.
    pub connector: String,
    /// Its offsets, exactly as the service sent them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offsets: Option<ConnectorOffsets>,
    /// With `--max-age`, how the offsets fall short of it: older than asked, or of an age that
    /// cannot be told.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stale: Option<String>,
    /// Why they could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<EntryError>,
}

/// A connector that could not be read.
#[derive(Debug, Serialize)]
pub struct EntryError {
    /// What went wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// The HTTP status, if the service answered.
    pub status: Option<u16>,
    /// The service's request id, if it sent one.
    pub request_id: Option<String>,
}

/// Reads the list (or the cluster's connectors), then every connector in it,
/// `--concurrency` at a time.
pub async fn run(
    connection: &ConnectionArgs,
    args: SnapshotArgs,
    terminal: &Terminal,
    interrupts: &mut Interrupts,
) -> Result<Exit, Failure> {
    let list = match &args.list {
        Some(list) => Some(read_list(list, terminal, interrupts).await?),
        None => None,
    };
    let client = connection::client(connection, terminal, interrupts).await?;
    let targets = match (list, args.cluster.as_deref()) {
        (Some(targets), _) => targets,
        (None, Some([environment, cluster])) => {
            cluster_targets(&client, environment, cluster, interrupts).await?
        }
        // clap requires --list or --cluster, and --cluster takes two values.
        (None, _) => {
            return Err(Failure::usage(
                "snapshot needs --list FILE or --cluster ENV CLUSTER".to_owned(),
                "give one of them",
            ));
        }
    };
    let results = read_many(
        &client,
        &targets,
        args.concurrency,
        &args.freshness,
        terminal,
        interrupts,
    )
    .await?;

    let connectors: Vec<Entry> = targets
        .into_iter()
        .zip(results)
        .map(|(target, result)| entry(target, result))
        .collect();
    for entry in &connectors {
        if let Some(stale) = &entry.stale {
            warn(
                terminal,
                &format!(
                    "{}/{}/{}: {stale}",
                    entry.environment, entry.cluster, entry.connector
                ),
            );
        }
    }
    let failures: Vec<String> = connectors
        .iter()
        .filter(|entry| entry.error.is_some())
        .map(|entry| {
            format!(
                "{}/{}/{}",
                entry.environment, entry.cluster, entry.connector
            )
        })
        .collect();
    let snapshot = Snapshot {
        read: connectors.len() - failures.len(),
        failed: failures.len(),
        connectors,
    };
    let document = json(&snapshot)?;
    if is_stdio(&args.file) {
        emit(&document)?;
    } else {
        write_atomically(&args.file, document.as_bytes())?;
    }
    if failures.is_empty() {
        return Ok(Exit::Success);
    }
    if let (0, Some(first)) = (
        snapshot.read,
        snapshot.connectors.iter().find_map(|e| e.error.as_ref()),
    ) {
        // Nothing was read: most likely the credentials, the base URL or the network.
        return Err(Failure::runtime(
            match failures.len() {
                1 => format!(
                    "the one connector listed could not be read: {}",
                    first.message
                ),
                n => format!(
                    "none of the {n} connectors could be read; the first error: {}",
                    first.message
                ),
            },
            first.hint.clone().unwrap_or_default(),
        ));
    }
    Err(Failure {
        exit: Exit::Partial,
        what: format!(
            "{} of {} connectors could not be read: {}",
            failures.len(),
            snapshot.connectors.len(),
            shortened(&failures)
        ),
        hint: Some(
            "each one's error is in the document, under \"error\"; the offsets of the others \
             are complete"
                .to_owned(),
        ),
    })
}

/// The connectors listed in `path` (- for standard input).
async fn read_list(
    path: &Path,
    terminal: &Terminal,
    interrupts: &mut Interrupts,
) -> Result<Vec<ConnectorArgs>, Failure> {
    let text = if is_stdio(path) {
        tell_if_typing(terminal, "the list of connectors");
        blocking(interrupts, read_stdin).await?
    } else {
        fs::read_to_string(path)
    }
    .map_err(|error| {
        Failure::usage(
            format!("cannot read the list {}: {error}", path.display()),
            "check the path given to --list, or give - to read the list from standard input",
        )
    })?;
    parse_list(&text, path)
}

/// Every connector of a cluster, by name.
async fn cluster_targets(
    client: &Client,
    environment: &str,
    cluster: &str,
    interrupts: &mut Interrupts,
) -> Result<Vec<ConnectorArgs>, Failure> {
    let names = or_interrupted(
        interrupts,
        None,
        client.cluster(environment, cluster).connectors(),
    )
    .await?
    .map_err(|error| Failure::cluster_api(&error, environment, cluster))?;
    Ok(names
        .into_iter()
        .map(|connector| ConnectorArgs {
            environment: environment.to_owned(),
            cluster: cluster.to_owned(),
            connector,
        })
        .collect())
}

/// Reads the offsets of every target, `concurrency` at a time, with a progress bar at a
/// terminal; the results are in the targets' order. `list` and `snapshot` share it.
pub async fn read_many(
    client: &Client,
    targets: &[ConnectorArgs],
    concurrency: u16,
    freshness: &FreshnessArgs,
    terminal: &Terminal,
    interrupts: &mut Interrupts,
) -> Result<Vec<Result<(ConnectorOffsets, Option<String>), Error>>, Failure> {
    let bar = if terminal.progress_bar() {
        let style = ProgressStyle::with_template(
            "{spinner} {bar:30} {pos}/{len} connectors read{msg} ({elapsed})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        let bar = ProgressBar::new(targets.len() as u64).with_style(style);
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut failed = 0_usize;
    let reads = futures_util::stream::iter(targets.iter().enumerate().map(|(index, target)| {
        let connector = target.connector(client);
        async move { (index, read_fresh(&connector, freshness).await) }
    }))
    .buffer_unordered(usize::from(concurrency))
    .inspect(|(_, result)| {
        if result.is_err() {
            failed += 1;
            bar.set_message(format!(", {failed} failed"));
        }
        bar.inc(1);
    })
    .collect::<Vec<_>>();
    let results = or_interrupted(interrupts, None, reads).await;
    bar.finish_and_clear();
    let mut results = results?;
    results.sort_by_key(|(index, _)| *index);
    Ok(results.into_iter().map(|(_, result)| result).collect())
}

fn entry(
    target: ConnectorArgs,
    result: Result<(ConnectorOffsets, Option<String>), Error>,
) -> Entry {
    let (offsets, stale, error) = match result {
        Ok((offsets, stale)) => (Some(offsets), stale, None),
        Err(error) => {
            let failure = Failure::api(&error, &target.subject());
            let described = EntryError {
                message: failure.what,
                hint: failure.hint,
                status: error.status().map(|status| status.as_u16()),
                request_id: error.request_id().map(str::to_owned),
            };
            (None, None, Some(described))
        }
    };
    Entry {
        environment: target.environment,
        cluster: target.cluster,
        connector: target.connector,
        offsets,
        stale,
        error,
    }
}

/// The first three names, and how many more.
fn shortened(names: &[String]) -> String {
    match names.len() {
        0..=3 => names.join(", "),
        n => format!("{}, and {} more", names[..3].join(", "), n - 3),
    }
}

/// One connector per line, `ENV CLUSTER CONNECTOR`; blank lines and `#` comments skipped.
pub fn parse_list(text: &str, source: &Path) -> Result<Vec<ConnectorArgs>, Failure> {
    let name = if is_stdio(source) {
        "standard input".to_owned()
    } else {
        source.display().to_string()
    };
    let mut targets = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_whitespace().collect::<Vec<_>>()[..] {
            [environment, cluster, connector] => targets.push(ConnectorArgs {
                environment: environment.to_owned(),
                cluster: cluster.to_owned(),
                connector: connector.to_owned(),
            }),
            ref fields => {
                return Err(Failure::usage(
                    format!(
                        "line {} of {name} has {} field{} where ENV CLUSTER CONNECTOR was expected: {line:?}",
                        number + 1,
                        fields.len(),
                        if fields.len() == 1 { "" } else { "s" }
                    ),
                    "write one connector per line as `env-abc123 lkc-abc123 connector-name`; \
                     lines starting with # are skipped",
                ));
            }
        }
    }
    if targets.is_empty() {
        return Err(Failure::usage(
            format!("{name} lists no connectors"),
            "write one connector per line as `env-abc123 lkc-abc123 connector-name`",
        ));
    }
    Ok(targets)
}

/// Writes the document to `path` whole or not at all, as the facade writes an offsets file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    confluent_connect::write_atomically(path, bytes).map_err(|error| {
        Failure::runtime(
            format!("cannot write the snapshot to {}: {error}", path.display()),
            "check that the directory exists and is writable; any file already there is unchanged",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_and_comments_are_skipped() {
        let list = "# production\nenv-1 lkc-1 orders-sink\n\n  env-2\tlkc-2 payments-sink  \n";
        let targets = parse_list(list, Path::new("list.txt")).expect("a valid list");
        let names: Vec<_> = targets.iter().map(|t| t.connector.as_str()).collect();
        assert_eq!(names, ["orders-sink", "payments-sink"]);
    }

    #[test]
    fn a_line_without_three_fields_is_refused_by_number() {
        let failure = parse_list("env-1 lkc-1 a\nenv-1 lkc-1\n", Path::new("list.txt"))
            .expect_err("a bad line");
        assert_eq!(
            failure.what,
            "line 2 of list.txt has 2 fields where ENV CLUSTER CONNECTOR was expected: \"env-1 lkc-1\""
        );
        assert_eq!(failure.exit, Exit::Usage);
    }

    #[test]
    fn an_empty_list_is_refused() {
        let failure = parse_list("# nothing\n", Path::new("-")).expect_err("an empty list");
        assert_eq!(failure.what, "standard input lists no connectors");
    }

    #[test]
    fn long_lists_of_failures_are_shortened() {
        let names: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
        assert_eq!(shortened(&names), "a, b, c, and 2 more");
    }
}
