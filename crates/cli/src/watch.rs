//! `watch`: poll a connector's offsets and show their progress.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use chrono::{DateTime, Utc};
use confluent_connect::{ConnectorOffsets, Error, Timestamp};
use tokio::time::MissedTickBehavior;

use crate::cli::{ConnectionArgs, WatchArgs};
use crate::failure::{Exit, Failure};
use crate::interrupt::Interrupts;
use crate::render::{Align, Table, age, compact, observed};
use crate::terminal::{Style, Terminal};
use crate::{connection, emit};

/// How many rates the sparkline of a partition shows.
const HISTORY: usize = 20;
/// The sparkline's levels, lowest first.
const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Polls until `--count` polls are done or Ctrl-C is pressed.
///
/// A first poll that fails ends the command (the arguments or the credentials are probably
/// wrong), and so does any refusal by the service other than 429 (401, 403, 404, ...); other
/// failures are reported and the polling goes on. With `--count`, the exit code is that of the
/// last poll.
pub async fn run(
    connection: &ConnectionArgs,
    args: WatchArgs,
    terminal: &Terminal,
    interrupts: &mut Interrupts,
) -> Result<Exit, Failure> {
    let client = connection::client(connection, terminal, interrupts).await?;
    let target = &args.target;
    let connector = client.connector(&target.environment, &target.cluster, &target.connector);
    let subject = target.subject();
    let mut tracker = Tracker::default();
    let mut view = View::new(terminal, &target.connector, args.interval);
    let mut ticks = tokio::time::interval(args.interval);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut polls: u64 = 0;
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            () = interrupts.recv() => return view.interrupted(),
        }
        let result = tokio::select! {
            result = connector.offsets() => result,
            () = interrupts.recv() => return view.interrupted(),
        };
        polls += 1;
        let failed = match result {
            Ok(offsets) => {
                let frame = tracker.observe(&offsets);
                view.show(frame, polls, Utc::now())?;
                None
            }
            Err(error) => {
                let failure = Failure::api(&error, &subject);
                if polls == 1 || refused(&error) {
                    return Err(failure);
                }
                view.warn(&failure, polls, Utc::now())?;
                Some(failure)
            }
        };
        if args.count.is_some_and(|count| polls >= count) {
            return failed.map_or(Ok(Exit::Success), Err);
        }
    }
}

/// Whether the service refused the request for good (asking again will not help).
fn refused(error: &Error) -> bool {
    match error.last_try() {
        Error::Api(api) => api.status.is_client_error(),
        Error::InvalidArgument { .. } | Error::Config(_) => true,
        _ => false,
    }
}

/// Where a partition is: a sink's offset, or a source's offset object as JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Position {
    Sink(i64),
    Source(String),
}

/// One partition in one observation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reading {
    /// The partition object as JSON: what identifies it across observations.
    key: String,
    /// The topic, for a sink.
    topic: Option<String>,
    /// The partition number for a sink, else the partition object as JSON.
    partition: String,
    position: Position,
}

/// One observation of the service.
#[derive(Debug, Clone)]
struct Observation {
    observed_at: Option<Timestamp>,
    readings: Vec<Reading>,
}

/// What a partition is marked with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// It did not move while other partitions did.
    Stalled,
    /// No partition moved.
    Idle,
}

impl Mark {
    fn text(self) -> &'static str {
        match self {
            Mark::Stalled => "STALLED",
            Mark::Idle => "IDLE",
        }
    }

    fn style(self) -> Style {
        match self {
            Mark::Stalled => Style::Red,
            Mark::Idle => Style::Yellow,
        }
    }
}

/// One partition as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The topic, for a sink.
    pub topic: Option<String>,
    /// The partition number for a sink, else the partition object as JSON.
    pub partition: String,
    /// The offset, or the offset object as JSON.
    pub offset: String,
    /// Records per second since the previous observation (sinks only).
    pub rate: Option<f64>,
    /// The recent rates as a sparkline (sinks only).
    pub trend: String,
    /// STALLED or IDLE, when the partition did not move.
    pub mark: Option<Mark>,
}

/// What one poll shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// When the service observed the offsets.
    pub observed_at: Option<Timestamp>,
    /// The service has not observed the offsets again since the previous poll: the rows are
    /// those of the previous observation.
    pub repeated: bool,
    /// Whether the connector is a sink (rows have a topic and a rate).
    pub sink: bool,
    /// One row per partition, in the service's order.
    pub rows: Vec<Row>,
}

/// Compares each observation with the previous one.
#[derive(Debug, Default)]
pub struct Tracker {
    last: Option<Observation>,
    rows: Vec<Row>,
    rates: HashMap<String, VecDeque<f64>>,
}

impl Tracker {
    /// Takes in a poll's answer and says what to show.
    ///
    /// Rates are per second of the service's observation times, so they do not depend on when
    /// the polls happened. A partition is STALLED when it did not move while another did, and
    /// every partition is IDLE when none moved.
    pub fn observe(&mut self, offsets: &ConnectorOffsets) -> Frame {
        let current = Observation {
            observed_at: offsets.observed_at.clone(),
            readings: readings(offsets),
        };
        let sink = current
            .readings
            .iter()
            .all(|r| matches!(r.position, Position::Sink(_)))
            && !current.readings.is_empty();
        if let Some(last) = &self.last {
            let same_time =
                current.observed_at.is_some() && current.observed_at == last.observed_at;
            if same_time && current.readings == last.readings {
                return Frame {
                    observed_at: current.observed_at,
                    repeated: true,
                    sink,
                    rows: self.rows.clone(),
                };
            }
        }
        let seconds = self.last.as_ref().and_then(|last| {
            let from = last.observed_at.as_ref()?.utc()?;
            let to = current.observed_at.as_ref()?.utc()?;
            let millis = to.signed_duration_since(from).num_milliseconds();
            (millis > 0).then(|| millis as f64 / 1000.0)
        });
        let before: HashMap<&str, &Position> = self
            .last
            .iter()
            .flat_map(|last| &last.readings)
            .map(|r| (r.key.as_str(), &r.position))
            .collect();
        let changes: Vec<(Option<bool>, Option<f64>)> = current
            .readings
            .iter()
            .map(
                |reading| match (before.get(reading.key.as_str()), &reading.position) {
                    (None, _) => (None, None),
                    (Some(Position::Sink(from)), Position::Sink(to)) => {
                        let delta = i128::from(*to) - i128::from(*from);
                        (Some(delta != 0), seconds.map(|s| delta as f64 / s))
                    }
                    (Some(from), to) => (Some(*from != to), None),
                },
            )
            .collect();
        let any_moved = changes.iter().any(|(moved, _)| *moved == Some(true));
        let rows = current
            .readings
            .iter()
            .zip(changes)
            .map(|(reading, (moved, rate))| {
                let history = self.rates.entry(reading.key.clone()).or_default();
                if let Some(rate) = rate {
                    if history.len() == HISTORY {
                        history.pop_front();
                    }
                    history.push_back(rate);
                }
                Row {
                    topic: reading.topic.clone(),
                    partition: reading.partition.clone(),
                    offset: match &reading.position {
                        Position::Sink(offset) => offset.to_string(),
                        Position::Source(offset) => offset.clone(),
                    },
                    rate,
                    trend: if sink {
                        sparkline(history)
                    } else {
                        String::new()
                    },
                    mark: match moved {
                        Some(false) if any_moved => Some(Mark::Stalled),
                        Some(false) => Some(Mark::Idle),
                        _ => None,
                    },
                }
            })
            .collect::<Vec<_>>();
        self.rows = rows.clone();
        self.last = Some(current);
        Frame {
            observed_at: offsets.observed_at.clone(),
            repeated: false,
            sink,
            rows,
        }
    }
}

fn readings(offsets: &ConnectorOffsets) -> Vec<Reading> {
    let sink = offsets.sink().ok().filter(|entries| !entries.is_empty());
    match sink {
        Some(entries) => offsets
            .offsets
            .iter()
            .zip(entries)
            .map(|(entry, sink)| Reading {
                key: compact(&entry.partition()),
                topic: Some(sink.topic),
                partition: sink.partition.to_string(),
                position: Position::Sink(sink.offset),
            })
            .collect(),
        None => offsets
            .offsets
            .iter()
            .map(|entry| {
                let partition = compact(&entry.partition());
                Reading {
                    key: partition.clone(),
                    topic: None,
                    partition,
                    position: Position::Source(compact(&entry.offset())),
                }
            })
            .collect(),
    }
}

/// The rates as bars scaled to the largest; a rate at or below zero is the lowest bar.
pub fn sparkline(rates: &VecDeque<f64>) -> String {
    let top = rates.iter().copied().fold(0.0_f64, f64::max);
    rates
        .iter()
        .map(|rate| {
            if top <= 0.0 || *rate <= 0.0 {
                return LEVELS[0];
            }
            let level = (rate / top * (LEVELS.len() - 1) as f64).round() as usize;
            LEVELS[level.min(LEVELS.len() - 1)]
        })
        .collect()
}

/// `+40.0/s`
fn rate_text(rate: f64) -> String {
    format!("{rate:+.1}")
}

/// `5s`, `500ms`, `2m`, `1h`.
fn duration_text(duration: Duration) -> String {
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

/// Where frames go: redrawn in place at a terminal, one line each otherwise.
enum View {
    Live {
        connector: String,
        interval: Duration,
        colour: bool,
        /// The lines of the last frame, to draw again under a warning.
        last: Vec<String>,
        /// How many lines are on the screen, to move back over.
        drawn: usize,
    },
    Lines {
        connector: String,
        interval: Duration,
        colour: bool,
    },
}

impl View {
    fn new(terminal: &Terminal, connector: &str, interval: Duration) -> View {
        if terminal.live_stdout() {
            View::Live {
                connector: connector.to_owned(),
                interval,
                colour: terminal.colour_stdout(),
                last: Vec::new(),
                drawn: 0,
            }
        } else {
            View::Lines {
                connector: connector.to_owned(),
                interval,
                colour: terminal.colour_stderr(),
            }
        }
    }

    fn show(&mut self, frame: Frame, polls: u64, now: DateTime<Utc>) -> Result<(), Failure> {
        match self {
            View::Live {
                connector,
                interval,
                colour,
                last,
                drawn,
            } => {
                *last = live_lines(&frame, connector, *interval, polls, now, *colour);
                let lines = last.clone();
                redraw(drawn, &lines)
            }
            View::Lines { connector, .. } => emit(&(plain_line(&frame, connector, now) + "\n")),
        }
    }

    /// Ctrl-C ends a watch successfully; at a terminal, the shell's prompt then starts on a
    /// line of its own rather than after the `^C` the terminal echoed.
    fn interrupted(&self) -> Result<Exit, Failure> {
        if let View::Live { .. } = self {
            emit("\n")?;
        }
        Ok(Exit::Success)
    }

    fn warn(&mut self, failure: &Failure, polls: u64, now: DateTime<Utc>) -> Result<(), Failure> {
        match self {
            View::Live {
                interval,
                colour,
                last,
                drawn,
                ..
            } => {
                let mut lines = last.clone();
                lines.push(Style::Yellow.paint(
                    &format!(
                        "poll {polls} failed at {}: {} (polling again in {})",
                        now.format("%H:%M:%S"),
                        failure.what,
                        duration_text(*interval)
                    ),
                    *colour,
                ));
                redraw(drawn, &lines)
            }
            View::Lines {
                interval, colour, ..
            } => {
                eprintln!(
                    "{} {} (polling again in {})",
                    Style::Yellow.paint("warning:", *colour),
                    failure.what,
                    duration_text(*interval)
                );
                Ok(())
            }
        }
    }
}

/// Draws `lines` over the `drawn` lines of the previous frame, cut to the terminal's size so
/// that moving back over them stays exact.
fn redraw(drawn: &mut usize, lines: &[String]) -> Result<(), Failure> {
    let (height, width) = console::Term::stdout().size();
    let width = usize::from(width.max(20)) - 1;
    let height = usize::from(height.max(4)) - 1;
    let mut shown: Vec<String> = lines
        .iter()
        .map(|line| console::truncate_str(line, width, "…").into_owned())
        .collect();
    if shown.len() > height {
        let hidden = shown.len() - (height - 1);
        shown.truncate(height - 1);
        shown.push(format!("… {hidden} more lines: enlarge the terminal"));
    }
    let mut text = String::new();
    if *drawn > 0 {
        // To the start of the previous frame's first line, then clear to the end of the screen.
        text.push_str(&format!("\x1b[{}F\x1b[J", *drawn));
    }
    for line in &shown {
        text.push_str(line);
        text.push('\n');
    }
    *drawn = shown.len();
    emit(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use confluent_connect::PartitionOffset;
    use serde_json::{Value, json};

    fn object(value: Value) -> serde_json::Map<String, Value> {
        match value {
            Value::Object(map) => map,
            other => panic!("an object expected, got {other}"),
        }
    }

    fn entry(partition: Value, offset: Value) -> PartitionOffset {
        PartitionOffset::new(object(partition), object(offset))
            .expect("objects of plain values make an entry")
    }

    fn sink(at: &str, offsets: &[(i32, i64)]) -> ConnectorOffsets {
        ConnectorOffsets::new(
            offsets
                .iter()
                .map(|(partition, offset)| {
                    entry(
                        json!({"kafka_topic": "clicks", "kafka_partition": partition}),
                        json!({"kafka_offset": offset}),
                    )
                })
                .collect(),
        )
        .with_name("clicks-sink")
        .with_id("lcc-clickssink")
        .with_observed_at(Timestamp::parse(at))
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2024-02-20T15:15:00Z")
            .expect("a time")
            .to_utc()
    }

    #[test]
    fn the_first_observation_has_no_rates_and_no_marks() {
        let mut tracker = Tracker::default();
        let frame = tracker.observe(&sink("2024-02-20 15:14:19+00:00", &[(0, 100), (1, 50)]));
        assert_eq!(
            plain_line(&frame, "clicks-sink", now()),
            "2024-02-20T15:14:19+00:00 (41s ago) clicks-sink: clicks[0]=100; clicks[1]=50"
        );
    }

    #[test]
    fn rates_are_per_second_of_observation_time_and_a_partition_left_behind_is_stalled() {
        let mut tracker = Tracker::default();
        tracker.observe(&sink("2024-02-20 15:14:19+00:00", &[(0, 100), (1, 50)]));
        let frame = tracker.observe(&sink("2024-02-20 15:14:23+00:00", &[(0, 300), (1, 50)]));
        assert_eq!(
            plain_line(&frame, "clicks-sink", now()),
            "2024-02-20T15:14:23+00:00 (37s ago) clicks-sink: clicks[0]=300 +50.0/s; \
             clicks[1]=50 +0.0/s STALLED"
        );
    }

    #[test]
    fn when_nothing_moves_every_partition_is_idle() {
        let mut tracker = Tracker::default();
        tracker.observe(&sink("2024-02-20 15:14:19+00:00", &[(0, 100), (1, 50)]));
        let frame = tracker.observe(&sink("2024-02-20 15:14:21+00:00", &[(0, 100), (1, 50)]));
        let marks: Vec<_> = frame.rows.iter().map(|row| row.mark).collect();
        assert_eq!(marks, [Some(Mark::Idle), Some(Mark::Idle)]);
    }

    #[test]
    fn the_same_observation_again_is_said_to_be_repeated() {
        let mut tracker = Tracker::default();
        tracker.observe(&sink("2024-02-20 15:14:19+00:00", &[(0, 100)]));
        tracker.observe(&sink("2024-02-20 15:14:21+00:00", &[(0, 110)]));
        let frame = tracker.observe(&sink("2024-02-20 15:14:21+00:00", &[(0, 110)]));
        assert!(frame.repeated);
        assert_eq!(frame.rows[0].rate, Some(5.0));
        assert_eq!(
            plain_line(&frame, "clicks-sink", now()),
            "2024-02-20T15:14:21+00:00 (39s ago) clicks-sink: no new observation since the \
             previous poll"
        );
    }

    #[test]
    fn a_reset_shows_a_negative_rate() {
        let mut tracker = Tracker::default();
        tracker.observe(&sink("2024-02-20 15:14:19+00:00", &[(0, 100)]));
        let frame = tracker.observe(&sink("2024-02-20 15:14:29+00:00", &[(0, 0)]));
        assert_eq!(frame.rows[0].rate, Some(-10.0));
    }

    #[test]
    fn the_sparkline_scales_to_the_largest_rate() {
        let rates: VecDeque<f64> = [0.0, 10.0, 20.0, 40.0, -5.0].into_iter().collect();
        assert_eq!(sparkline(&rates), "▁▃▅█▁");
    }

    #[test]
    fn the_live_view_has_a_table_with_trends_and_marks() {
        let mut tracker = Tracker::default();
        tracker.observe(&sink("2024-02-20 15:14:19+00:00", &[(0, 100), (4, 50)]));
        tracker.observe(&sink("2024-02-20 15:14:23+00:00", &[(0, 200), (4, 50)]));
        let frame = tracker.observe(&sink("2024-02-20 15:14:27+00:00", &[(0, 400), (4, 50)]));
        let lines = live_lines(
            &frame,
            "clicks-sink",
            Duration::from_secs(5),
            3,
            now(),
            false,
        );
        assert_eq!(
            lines,
            [
                "clicks-sink: polled every 5s, 3 polls; Ctrl-C to stop",
                "observed 2024-02-20T15:14:27+00:00 (33s ago)",
                "TOPIC   PARTITION  OFFSET  RATE/s  TREND",
                "clicks          0     400   +50.0  ▅█",
                "clicks          4      50    +0.0  ▁▁     STALLED",
            ]
        );
    }

    #[test]
    fn source_offsets_are_shown_as_objects_and_marked_when_unchanged() {
        let source = |at: &str, incrementing: i64| {
            ConnectorOffsets::new(vec![
                entry(json!({"table": "a"}), json!({"incrementing": incrementing})),
                entry(json!({"table": "b"}), json!({"incrementing": 1})),
            ])
            .with_observed_at(Timestamp::parse(at))
        };
        let mut tracker = Tracker::default();
        tracker.observe(&source("2024-02-20 15:14:19+00:00", 1));
        let frame = tracker.observe(&source("2024-02-20 15:14:20+00:00", 4));
        assert_eq!(
            plain_line(&frame, "jdbc-source", now()),
            "2024-02-20T15:14:20+00:00 (40s ago) jdbc-source: {\"table\":\"a\"}={\"incrementing\":4}; \
             {\"table\":\"b\"}={\"incrementing\":1} STALLED"
        );
    }

    #[test]
    fn intervals_are_written_in_their_largest_whole_unit() {
        let texts: Vec<String> = [500, 5_000, 120_000, 3_600_000, 1_500]
            .into_iter()
            .map(|ms| duration_text(Duration::from_millis(ms)))
            .collect();
        assert_eq!(texts, ["500ms", "5s", "2m", "1h", "1500ms"]);
    }
}
