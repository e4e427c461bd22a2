//! What one frame of `watch` looks like: a plain line for logs and pipes, or the lines of the
//! live table.

use std::time::Duration;

use chrono::{DateTime, Utc};

use confluent_connect::{ConnectorState, ConnectorStatus, Error};

use super::tracker::{Frame, Mark};
use crate::render::{Align, Table, age, observed};

/// How the connector and its tasks are doing, as `watch` shows it above the offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    /// `RUNNING, tasks 0:RUNNING 1:FAILED`, or why the state is not known.
    pub summary: String,
    /// Each failed task's number and the first line of its trace.
    pub failed: Vec<(i64, String)>,
}

impl Health {
    /// The health of a status read alongside the offsets, or why it could not be read (which
    /// does not stop the watch).
    pub fn of(status: &Result<ConnectorStatus, Error>) -> Health {
        match status {
            Ok(status) => {
                let tasks: Vec<String> = status
                    .tasks
                    .iter()
                    .map(|task| format!("{}:{}", task.id, task.state))
                    .collect();
                Health {
                    summary: if tasks.is_empty() {
                        format!("{}, no tasks", status.state)
                    } else {
                        format!("{}, tasks {}", status.state, tasks.join(" "))
                    },
                    failed: status
                        .tasks
                        .iter()
                        .filter(|task| task.state == ConnectorState::Failed)
                        .map(|task| {
                            let first = task
                                .trace
                                .as_deref()
                                .and_then(|trace| trace.lines().next())
                                .filter(|line| !line.is_empty())
                                .unwrap_or("no trace");
                            (task.id, first.to_owned())
                        })
                        .collect(),
                }
            }
            Err(error) => Health {
                summary: format!("state unknown ({error})"),
                failed: Vec::new(),
            },
        }
    }

    /// `task 1 FAILED: <first line>` for each failed task.
    fn failure_lines(&self) -> Vec<String> {
        self.failed
            .iter()
            .map(|(id, first)| format!("task {id} FAILED: {first}"))
            .collect()
    }

    /// What a partition that stands still is marked with besides STALLED or IDLE: the failed
    /// tasks (the service does not say which task holds which partition).
    fn mark_suffix(&self) -> Option<String> {
        let ids: Vec<String> = self.failed.iter().map(|(id, _)| id.to_string()).collect();
        match ids.as_slice() {
            [] => None,
            [id] => Some(format!(" (task {id} FAILED)")),
            ids => Some(format!(" (tasks {} FAILED)", ids.join(", "))),
        }
    }
}

/// A row's mark as text: with the failed tasks when `health` knows of any.
fn mark_text(mark: Mark, health: Option<&Health>) -> String {
    let suffix = health.and_then(Health::mark_suffix).unwrap_or_default();
    format!("{}{suffix}", mark.text())
}

/// `+40.0/s`
pub(super) fn rate_text(rate: f64) -> String {
    format!("{rate:+.1}")
}

/// `5s`, `500ms`, `2m`, `1h`.
pub(super) fn duration_text(duration: Duration) -> String {
    let millis = duration.as_millis();
    match millis {
        m if m % 3_600_000 == 0 => format!("{}h", m / 3_600_000),
        m if m % 60_000 == 0 => format!("{}m", m / 60_000),
        m if m % 1_000 == 0 => format!("{}s", m / 1_000),
        m => format!("{m}ms"),
    }
}

/// One plain line for an observation: for logs, pipes and files. With `health`, the
/// connector's state follows its name.
pub fn plain_line(
    frame: &Frame,
    connector: &str,
    now: DateTime<Utc>,
    health: Option<&Health>,
) -> String {
    let connector = match health {
        Some(health) => {
            let mut state = vec![health.summary.clone()];
            state.extend(health.failure_lines());
            format!("{connector} [{}]", state.join("; "))
        }
        None => connector.to_owned(),
    };
    let when = match &frame.observed_at {
        Some(at) => match at.utc() {
            Some(utc) => format!("{at} ({})", age(utc, now)),
            None => at.raw().to_owned(),
        },
        None => "unknown observation time".to_owned(),
    };
    if frame.repeated {
        return format!("{when} {connector}: no new observation since the previous poll");
    }
    if frame.rows.is_empty() {
        return format!("{when} {connector}: no offsets yet");
    }
    let partitions: Vec<String> = frame
        .rows
        .iter()
        .map(|row| {
            let mut text = match &row.topic {
                Some(topic) => format!("{topic}[{}]={}", row.partition, row.offset),
                None => format!("{}={}", row.partition, row.offset),
            };
            if let Some(rate) = row.rate {
                text.push_str(&format!(" {}/s", rate_text(rate)));
            }
            if let Some(mark) = row.mark {
                text.push(' ');
                text.push_str(&mark_text(mark, health));
            }
            text
        })
        .collect();
    format!("{when} {connector}: {}", partitions.join("; "))
}

/// The live view's lines for a frame; with `health`, the connector's state is the third line,
/// followed by one line per failed task.
pub fn live_lines(
    frame: &Frame,
    connector: &str,
    interval: Duration,
    polls: u64,
    now: DateTime<Utc>,
    colour: bool,
    health: Option<&Health>,
) -> Vec<String> {
    let mut lines = vec![
        format!(
            "{connector}: polled every {}, {polls} poll{}; Ctrl-C to stop",
            duration_text(interval),
            if polls == 1 { "" } else { "s" }
        ),
        format!(
            "{}{}",
            observed(frame.observed_at.as_ref(), now),
            if frame.repeated {
                ", not observed again since the previous poll"
            } else {
                ""
            }
        ),
    ];
    if let Some(health) = health {
        lines.push(format!("state {}", health.summary));
        lines.extend(health.failure_lines());
    }
    if frame.rows.is_empty() {
        lines.push("no offsets yet".to_owned());
        return lines;
    }
    let paint = |mark: Option<Mark>| {
        mark.map(|m| m.style().paint(&mark_text(m, health), colour))
            .unwrap_or_default()
    };
    let table = if frame.sink {
        let mut table = Table::new(&[
            ("TOPIC", Align::Left),
            ("PARTITION", Align::Right),
            ("OFFSET", Align::Right),
            ("RATE/s", Align::Right),
            ("TREND", Align::Left),
            ("", Align::Left),
        ]);
        for row in &frame.rows {
            table.row(vec![
                row.topic.clone().unwrap_or_default(),
                row.partition.clone(),
                row.offset.clone(),
                row.rate.map(rate_text).unwrap_or_default(),
                row.trend.clone(),
                paint(row.mark),
            ]);
        }
        table
    } else {
        let mut table = Table::new(&[
            ("PARTITION", Align::Left),
            ("OFFSET", Align::Left),
            ("", Align::Left),
        ]);
        for row in &frame.rows {
            table.row(vec![
                row.partition.clone(),
                row.offset.clone(),
                paint(row.mark),
            ]);
        }
        table
    };
    lines.extend(table.lines(colour));
    lines
}
