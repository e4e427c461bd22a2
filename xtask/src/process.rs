//! Running the tools the verbs are made of.

use std::{
    path::Path,
    process::{Command, Stdio},
};

/// The cargo that runs this program (`CARGO`), or the one on the `PATH`.
pub fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string())
}

/// Runs `command` in `dir`, showing it first; fails, naming it, unless it succeeds.
pub fn run(dir: &Path, command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}").replace('"', "");
    println!("==> {shown}");
    // Nothing run here reads standard input.
    let status = command
        .current_dir(dir)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}
