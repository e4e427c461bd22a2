//! Where frames go: redrawn in place at a terminal, one line each otherwise.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::lines::{Health, duration_text, live_lines, plain_line};
use super::redraw::redraw;
use super::tracker::Frame;
use crate::emit;
use crate::failure::{Exit, Failure};
use crate::terminal::{Style, Terminal};

/// Where frames go: redrawn in place at a terminal, one line each otherwise.
pub(super) enum View {
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
    pub(super) fn new(terminal: &Terminal, connector: &str, interval: Duration) -> View {
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

    pub(super) fn show(
        &mut self,
        frame: Frame,
        health: &Health,
        polls: u64,
        now: DateTime<Utc>,
    ) -> Result<(), Failure> {
        match self {
            View::Live {
                connector,
                interval,
                colour,
                last,
                drawn,
            } => {
                *last = live_lines(
                    &frame,
                    connector,
                    *interval,
                    polls,
                    now,
                    *colour,
                    Some(health),
                );
                let lines = last.clone();
                redraw(drawn, &lines)
            }
            View::Lines { connector, .. } => {
                emit(&(plain_line(&frame, connector, now, Some(health)) + "\n"))
            }
        }
    }

    /// Ctrl-C ends a watch successfully; at a terminal, the shell's prompt then starts on a
    /// line of its own rather than after the `^C` the terminal echoed.
    pub(super) fn interrupted(&self) -> Result<Exit, Failure> {
        if let View::Live { .. } = self {
            emit("\n")?;
        }
        Ok(Exit::Success)
    }

    pub(super) fn warn(
        &mut self,
        failure: &Failure,
        polls: u64,
        now: DateTime<Utc>,
    ) -> Result<(), Failure> {
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
