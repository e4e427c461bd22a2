//! `connect-offsets`: read, watch, export, change and snapshot the offsets of Confluent Cloud
//! connectors from the command line, through the `confluent-connect` facade.
//!
//! ```text
//! connect-offsets get env-abc123 lkc-abc123 orders-sink
//! connect-offsets watch env-abc123 lkc-abc123 orders-sink --interval 10s
//! connect-offsets export env-abc123 lkc-abc123 orders-sink --file orders-sink.json
//! connect-offsets alter env-abc123 lkc-abc123 orders-sink-v2 --file orders-sink.json --wait
//! connect-offsets reset env-abc123 lkc-abc123 orders-sink --yes --wait
//! connect-offsets status env-abc123 lkc-abc123 orders-sink
//! connect-offsets snapshot --list connectors.txt > snapshot.json
//! ```
//!
//! Exit codes: 0 success, 1 the service or the network failed, 2 usage error, 3 a snapshot
//! with some connectors unread, 130 interrupted (see `connect-offsets --help`).

mod cli;
mod commands;
mod connection;
mod failure;
mod interrupt;
mod list;
mod logging;
mod migrate;
mod render;
mod snapshot;
mod terminal;
mod watch;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use confluent_connect::{Client, Connector};

use crate::cli::{Cli, Command, ConnectorArgs};
use crate::failure::{Exit, Failure};
use crate::interrupt::Interrupts;
use crate::terminal::Terminal;

fn main() -> ExitCode {
    // clap prints its own usage errors and help, and exits with 2 or 0.
    let cli = Cli::parse();
    logging::init(cli.verbose);
    let terminal = Terminal::detect();
    let outcome = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|error| {
            Failure::runtime(
                format!("cannot start the async runtime: {error}"),
                "the system is short of threads or memory: retry",
            )
        })
        .and_then(|runtime| runtime.block_on(run(cli, &terminal)));
    match outcome {
        Ok(exit) => exit.into(),
        Err(failure) => {
            failure.report(&terminal);
            failure.exit.into()
        }
    }
}

async fn run(cli: Cli, terminal: &Terminal) -> Result<Exit, Failure> {
    let mut interrupts = Interrupts::listen().map_err(|error| {
        Failure::runtime(
            format!("cannot listen for Ctrl-C: {error}"),
            "the system refused a signal handler: retry",
        )
    })?;
    let connection = &cli.connection;
    let interrupts = &mut interrupts;
    match cli.command {
        Command::Get(args) => commands::get(connection, args, terminal, interrupts).await,
        Command::Watch(args) => watch::run(connection, args, terminal, interrupts).await,
        Command::Export(args) => commands::export(connection, args, terminal, interrupts).await,
        Command::Alter(args) => commands::alter(connection, args, terminal, interrupts).await,
        Command::Reset(args) => commands::reset(connection, args, terminal, interrupts).await,
        Command::Status(args) => commands::status(connection, args, terminal, interrupts).await,
        Command::Snapshot(args) => snapshot::run(connection, args, terminal, interrupts).await,
        Command::List(args) => list::run(connection, args, terminal, interrupts).await,
        Command::Migrate(args) => migrate::run(connection, args, terminal, interrupts).await,
    }
}

/// Writes `text` to standard output and flushes it.
pub fn emit(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|error| Failure::stdout(&error))
}

impl ConnectorArgs {
    /// The facade's handle on this connector.
    pub fn connector(&self, client: &Client) -> Connector {
        client.connector(&self.environment, &self.cluster, &self.connector)
    }

    /// `connector orders-sink in env-abc123/lkc-abc123`, for messages.
    pub fn subject(&self) -> String {
        format!(
            "connector {} in {}/{}",
            self.connector, self.environment, self.cluster
        )
    }
}
