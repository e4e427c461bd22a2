//! The `connect-offsets` binary, run for real against an emulator on 127.0.0.1: every command,
//! the bad input each must refuse, and the help. Outputs are snapshots in
//! `crates/cli/tests/snapshots/`, with only what depends on the wall clock or on chance
//! redacted (see [`common::FILTERS`]).

mod bad_input;
mod changes;
mod cluster;
mod common;
mod help;
mod logs;
mod migrate;
mod oauth;
mod reading;
mod snapshot;
#[cfg(target_os = "linux")]
mod terminal;
mod watch;
