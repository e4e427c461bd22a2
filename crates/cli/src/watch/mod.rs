//! `watch`: polls a connector's offsets and shows how each partition moves, under the
//! connector's state and its tasks' (read alongside at each poll; a partition that stands
//! still while a task has FAILED is marked with that task and the first line of its trace).
//!
//! The poll loop is here; [`tracker`] compares observations, [`lines`] writes them out, [`view`]
//! chooses between a live table and plain lines, and [`redraw`] draws over the previous frame.

use chrono::Utc;
use confluent_connect::Error;
use tokio::time::MissedTickBehavior;

use crate::cli::{ConnectionArgs, WatchArgs};
use crate::connection;
use crate::failure::{Exit, Failure};
use crate::interrupt::Interrupts;
use crate::terminal::Terminal;

mod lines;
mod redraw;
mod tracker;
mod view;

use lines::Health;
use tracker::Tracker;
use view::View;

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
        let (result, status) = tokio::select! {
            read = async { tokio::join!(connector.offsets(), connector.status()) } => read,
            () = interrupts.recv() => return view.interrupted(),
        };
        polls += 1;
        let failed = match result {
            Ok(offsets) => {
                let frame = tracker.observe(&offsets);
                view.show(frame, &Health::of(&status), polls, Utc::now())?;
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

#[cfg(test)]
mod tests;
