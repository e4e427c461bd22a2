//! What one frame of `watch` looks like: a plain line for logs and pipes, or the lines of the
//! live table.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::tracker::{Frame, Mark};
use crate::render::{Align, Table, age, observed};

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

/// One plain line for an observation: for logs, pipes and files.
pub fn plain_line(frame: &Frame, connector: &str, now: DateTime<Utc>) -> String {
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
                text.push_str(mark.text());
            }
            text
        })
        .collect();
    format!("{when} {connector}: {}", partitions.join("; "))
}

/// The live view's lines for a frame.
pub fn live_lines(
    frame: &Frame,
    connector: &str,
    interval: Duration,
    polls: u64,
    now: DateTime<Utc>,
    colour: bool,
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
    if frame.rows.is_empty() {
        lines.push("no offsets yet".to_owned());
        return lines;
    }
    let paint = |mark: Option<Mark>| {
        mark.map(|m| m.style().paint(m.text(), colour))
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
