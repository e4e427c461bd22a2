//! The model of `watch`: each observation compared with the previous one, into rows with rates,
//! trends and marks.

use std::collections::{HashMap, VecDeque};

use confluent_connect::{ConnectorOffsets, Timestamp};

use crate::render::compact;
use crate::terminal::Style;

/// How many rates the sparkline of a partition shows.
const HISTORY: usize = 20;
/// The sparkline's levels, lowest first.
const LEVELS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

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
    pub(super) fn text(self) -> &'static str {
        match self {
            Mark::Stalled => "STALLED",
            Mark::Idle => "IDLE",
        }
    }

    pub(super) fn style(self) -> Style {
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
