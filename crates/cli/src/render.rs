//! Turning offsets and statuses into text: tables for people, JSON and YAML for programs.

use chrono::{DateTime, TimeDelta, Utc};
use std::time::Duration;

use confluent_connect::{
    AlterKind, AlterStatus, ConnectorOffsets, FreshOffsets, PartitionOffset, Timestamp,
};
use serde::Serialize;
use serde_json::Value;

use crate::cli::Format;
use crate::failure::Failure;
use crate::terminal::Style;

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text: padded on the right.
    Left,
    /// Numbers: padded on the left.
    Right,
}

/// Aligned columns separated by two spaces, with a heading row.
#[derive(Debug, Clone)]
pub struct Table {
    columns: Vec<(&'static str, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these headings.
    pub fn new(columns: &[(&'static str, Align)]) -> Table {
        Table {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Adds a row, one cell per column.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table's lines, without line breaks; the headings in bold when `colour` is on.
    pub fn lines(&self, colour: bool) -> Vec<String> {
        let widths: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, (heading, _))| {
                self.rows
                    .iter()
                    .filter_map(|row| row.get(i))
                    .map(|cell| width(cell))
                    .chain([heading.len()])
                    .max()
                    .unwrap_or_default()
            })
            .collect();
        let line = |cells: Vec<&str>| {
            let last = cells.len().saturating_sub(1);
            let padded: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, cell)| {
                    let pad = " ".repeat(widths[i].saturating_sub(width(cell)));
                    match self.columns[i].1 {
                        Align::Right => format!("{pad}{cell}"),
                        // Nothing trails the last column.
                        Align::Left if i == last => (*cell).to_owned(),
                        Align::Left => format!("{cell}{pad}"),
                    }
                })
                .collect();
            padded.join("  ").trim_end().to_owned()
        };
        let heading = line(self.columns.iter().map(|(h, _)| *h).collect());
        let mut lines = vec![Style::Bold.paint(&heading, colour)];
        for row in &self.rows {
            lines.push(line(row.iter().map(String::as_str).collect()));
        }
        lines
    }

    /// The table as text, each line ending with a line break.
    pub fn render(&self, colour: bool) -> String {
        self.lines(colour)
            .into_iter()
            .map(|line| line + "\n")
            .collect()
    }
}

/// The width of a cell: one column per character (topics, JSON and sparklines are all
/// single-width).
fn width(text: &str) -> usize {
    text.chars().count()
}

/// How long ago `then` was, e.g. `12s ago`, `3m 4s ago`, `2h 5m ago`, `4d 1h ago`.
pub fn age(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let delta = now.signed_duration_since(then);
    if delta < TimeDelta::zero() {
        return format!(
            "{} in the future: check this machine's clock",
            span(-delta.num_seconds())
        );
    }
    format!("{} ago", span(delta.num_seconds()))
}

/// What to warn about offsets read with `--max-age`: `None` when they are fresh.
pub fn staleness(read: &FreshOffsets, max_age: Duration, waited: Duration) -> Option<String> {
    if read.fresh {
        return None;
    }
    let reads = match read.reads {
        1 => "1 read".to_owned(),
        n => format!("{n} reads"),
    };
    Some(match read.age {
        Some(age) => format!(
            "these offsets were observed {} before the service answered, longer than --max-age \
             {} ({reads} in --max-age-wait {}); they are the freshest read",
            span(age.as_secs() as i64),
            duration(max_age),
            duration(waited)
        ),
        None => "how old these offsets are cannot be told (the answer has no readable \
                 observed_at), so --max-age cannot be met"
            .to_owned(),
    })
}

/// A duration as a flag takes it: in its two largest units, or in milliseconds when it is not
/// a whole number of seconds.
fn duration(duration: Duration) -> String {
    match duration.subsec_millis() {
        0 => span(duration.as_secs() as i64),
        _ => format!("{}ms", duration.as_millis()),
    }
}

/// `seconds` in its two largest units.
fn span(seconds: i64) -> String {
    let (days, hours, minutes, secs) = (
        seconds / 86_400,
        seconds % 86_400 / 3_600,
        seconds % 3_600 / 60,
        seconds % 60,
    );
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{secs}s"),
        (0, 0, _) => format!("{minutes}m {secs}s"),
        (0, _, _) => format!("{hours}h {minutes}m"),
        _ => format!("{days}d {hours}h"),
    }
}

/// `observed 2026-01-02T03:04:05+00:00 (12s ago)`, or why there is no such time.
pub fn observed(observed_at: Option<&Timestamp>, now: DateTime<Utc>) -> String {
    match observed_at {
        Some(at) => match at.utc() {
            Some(utc) => format!("observed {at} ({})", age(utc, now)),
            None => format!("observed {:?} (a time this tool cannot read)", at.raw()),
        },
        None => "observation time unknown (the response has no metadata)".to_owned(),
    }
}

/// A JSON object on one line, exactly as the service sent it.
pub fn compact(object: &serde_json::Map<String, Value>) -> String {
    Value::Object(object.clone()).to_string()
}

/// A table of offsets: topic, partition and offset when every entry is a sink's, else each
/// entry's partition and offset objects.
pub fn offsets_table(entries: &[PartitionOffset]) -> Table {
    let sink: Option<Vec<_>> = entries.iter().map(|e| e.as_sink().ok()).collect();
    match sink {
        Some(sink) if !sink.is_empty() => {
            let mut table = Table::new(&[
                ("TOPIC", Align::Left),
                ("PARTITION", Align::Right),
                ("OFFSET", Align::Right),
            ]);
            for entry in sink {
                table.row(vec![
                    entry.topic,
                    entry.partition.to_string(),
                    entry.offset.to_string(),
                ]);
            }
            table
        }
        _ => {
            let mut table = Table::new(&[("PARTITION", Align::Left), ("OFFSET", Align::Left)]);
            for entry in entries {
                table.row(vec![compact(&entry.partition()), compact(&entry.offset())]);
            }
            table
        }
    }
}

/// `orders-sink (lcc-orderssink)`, with what the service said about the connector.
fn heading(name: Option<&str>, id: Option<&str>, fallback: &str) -> String {
    let name = name.unwrap_or(fallback);
    match id {
        Some(id) => format!("{name} ({id})"),
        None => name.to_owned(),
    }
}

/// What `get` prints.
pub fn offsets(
    offsets: &ConnectorOffsets,
    connector: &str,
    format: Format,
    now: DateTime<Utc>,
    colour: bool,
) -> Result<String, Failure> {
    match (format, offsets.answer_text()) {
        (Format::Json, Some(answer)) => json(&JsonText(answer)),
        (Format::Yaml, Some(answer)) => yaml(&JsonText(answer)),
        (Format::Json, None) => json(offsets),
        (Format::Yaml, None) => yaml(offsets),
        (Format::Table, _) => {
            let mut text = format!(
                "{}, {}\n",
                heading(offsets.name.as_deref(), offsets.id.as_deref(), connector),
                observed(offsets.observed_at.as_ref(), now)
            );
            if offsets.offsets.is_empty() {
                text.push_str("no offsets yet: the connector has not recorded a position\n");
            } else {
                text.push_str(&offsets_table(&offsets.offsets).render(colour));
            }
            Ok(text)
        }
    }
}

/// The status of an offsets change in the API's own shape, with its own words for the kind
/// and the phase (`PATCH`, `APPLIED`).
#[derive(Debug, Serialize)]
struct StatusDocument<'a> {
    request: RequestDocument<'a>,
    status: PhaseDocument<'a>,
    previous_offsets: &'a [PartitionOffset],
    applied_at: Option<&'a Timestamp>,
}

#[derive(Debug, Serialize)]
struct RequestDocument<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: String,
    offsets: &'a [PartitionOffset],
    requested_at: &'a Timestamp,
}

#[derive(Debug, Serialize)]
struct PhaseDocument<'a> {
    phase: String,
    message: Option<&'a str>,
}

/// What `status` prints.
pub fn status(status: &AlterStatus, format: Format, colour: bool) -> Result<String, Failure> {
    let document = StatusDocument {
        request: RequestDocument {
            id: &status.request.connector_id,
            name: &status.request.name,
            kind: status.request.kind.to_string(),
            offsets: &status.request.offsets,
            requested_at: &status.request.requested_at,
        },
        status: PhaseDocument {
            phase: status.phase.to_string(),
            message: status.message.as_deref(),
        },
        previous_offsets: &status.previous_offsets,
        applied_at: status.applied_at.as_ref(),
    };
    match format {
        Format::Json => json(&document),
        Format::Yaml => yaml(&document),
        Format::Table => Ok(status_table(status, colour)),
    }
}

fn status_table(status: &AlterStatus, colour: bool) -> String {
    let request = &status.request;
    let what = match &request.kind {
        AlterKind::Patch => "PATCH (set the offsets listed)".to_owned(),
        AlterKind::Delete => "DELETE (reset every offset)".to_owned(),
        other => other.to_string(),
    };
    let mut text = format!(
        "{}: {what}, requested {}\nphase: {}",
        heading(Some(&request.name), Some(&request.connector_id), ""),
        request.requested_at,
        status.phase
    );
    if let Some(at) = &status.applied_at {
        text.push_str(&format!(", applied {at}"));
    }
    text.push('\n');
    if let Some(message) = &status.message {
        text.push_str(&format!("message: {message}\n"));
    }
    if !request.offsets.is_empty() {
        text.push_str("\nrequested offsets:\n");
        text.push_str(&offsets_table(&request.offsets).render(colour));
    }
    if !status.previous_offsets.is_empty() {
        text.push_str("\nprevious offsets:\n");
        text.push_str(&offsets_table(&status.previous_offsets).render(colour));
    }
    text
}

/// A JSON document's text, serialised value by value as it reads: every field, in the order
/// written, each number as serde_json reads it (integers exact up to `u64::MAX`).
struct JsonText<'a>(&'a str);

impl Serialize for JsonText<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut text = serde_json::Deserializer::from_str(self.0);
        serde_transcode::transcode(&mut text, serializer)
    }
}

/// Pretty JSON with a final line break; every value as it came.
pub fn json(value: &impl Serialize) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map(|text| text + "\n")
        .map_err(|error| {
            Failure::runtime(
                format!("cannot write the answer as JSON: {error}"),
                "report this as a bug of connect-offsets",
            )
        })
}

/// YAML; every value as it came.
pub fn yaml(value: &impl Serialize) -> Result<String, Failure> {
    serde_norway::to_string(value).map_err(|error| {
        Failure::runtime(
            format!("cannot write the answer as YAML: {error}"),
            "report this as a bug of connect-offsets, and use -o json meanwhile",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).expect("a time").to_utc()
    }

    #[test]
    fn ages_show_their_two_largest_units() {
        let now = at("2024-02-21T16:20:30Z");
        let ages: Vec<String> = [
            "2024-02-21T16:20:18Z",
            "2024-02-21T16:17:26Z",
            "2024-02-21T14:15:00Z",
            "2024-02-17T15:00:00Z",
        ]
        .into_iter()
        .map(|then| age(at(then), now))
        .collect();
        assert_eq!(ages, ["12s ago", "3m 4s ago", "2h 5m ago", "4d 1h ago"]);
    }

    #[test]
    fn a_time_ahead_of_this_machine_says_so() {
        assert_eq!(
            age(at("2024-02-21T16:20:33Z"), at("2024-02-21T16:20:30Z")),
            "3s in the future: check this machine's clock"
        );
    }

    #[test]
    fn an_unreadable_observation_time_is_shown_raw() {
        let odd = Timestamp::parse("yesterday");
        assert_eq!(
            observed(Some(&odd), at("2024-02-21T16:20:30Z")),
            "observed \"yesterday\" (a time this tool cannot read)"
        );
    }

    #[test]
    fn numbers_align_right_and_nothing_trails_the_last_column() {
        let mut table = Table::new(&[
            ("TOPIC", Align::Left),
            ("PARTITION", Align::Right),
            ("NOTE", Align::Left),
        ]);
        table.row(vec!["clicks-retry".into(), "1".into(), "".into()]);
        table.row(vec!["orders".into(), "12".into(), "STALLED".into()]);
        assert_eq!(
            table.render(false),
            "TOPIC         PARTITION  NOTE\n\
             clicks-retry          1\n\
             orders               12  STALLED\n"
        );
    }
}
