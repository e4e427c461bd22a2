//! cargo-semver-checks on rustdoc JSON that we build ourselves, so that many comparisons share
//! one target directory and build their dependencies once: the semver gate (`cargo xtask
//! semver`) and the comparison of spec-diff with cargo-semver-checks on the mutation corpus.

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use crate::process::{cargo, run};

/// The cargo-semver-checks release these checks run, which `.ci/run` installs: each release
/// reads the rustdoc JSON of a range of toolchains.
pub const TOOL_VERSION: &str = "0.51.0";

/// What cargo-semver-checks says of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// No lint fails: the version bump is enough.
    Passes,
    /// A lint fails: the change needs a bigger version bump.
    Fails,
}

/// Fails, with how to install it, unless `cargo semver-checks` is [`TOOL_VERSION`].
pub fn require_tool() -> Result<(), String> {
    let install = format!(
        "install it with `cargo install --locked cargo-semver-checks@{TOOL_VERSION}` (.ci/run \
         does)"
    );
    let output = Command::new(cargo())
        .args(["semver-checks", "--version"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo-semver-checks is not installed, and the semver checks need it: {install}"
        ));
    }
    let version = String::from_utf8_lossy(&output.stdout);
    if version.trim() != format!("cargo-semver-checks {TOOL_VERSION}") {
        return Err(format!(
            "the semver checks run cargo-semver-checks {TOOL_VERSION}, and this is {}: {install}",
            version.trim()
        ));
    }
    Ok(())
}

/// Builds the rustdoc JSON of the library of package `name` in the workspace or package at
/// `dir`, with the target directory `target`, and moves it to `out`, which it returns.
///
/// Rustdoc's JSON output is unstable; `RUSTC_BOOTSTRAP=1` lets the stable toolchain write it,
/// as cargo-semver-checks itself does.
pub fn rustdoc_json(
    dir: &Path,
    name: &str,
    target: &Path,
    out: PathBuf,
) -> Result<PathBuf, String> {
    run(
        dir,
        Command::new(cargo())
            .args([
                "rustdoc",
                "--quiet",
                "--offline",
                "--lib",
                "--package",
                name,
            ])
            .arg("--target-dir")
            .arg(target)
            .args(["--", "-Z", "unstable-options", "--output-format", "json"])
            .env("RUSTC_BOOTSTRAP", "1")
            .env_remove("CARGO_TARGET_DIR"),
    )?;
    let written = target
        .join("doc")
        .join(format!("{}.json", name.replace('-', "_")));
    fs::rename(&written, &out).map_err(|e| {
        format!(
            "cargo rustdoc did not leave {} as expected: {e}",
            written.display()
        )
    })?;
    Ok(out)
}

/// Compares two rustdoc JSON files of one crate with `cargo semver-checks check-release`, for a
/// release of `release_type` (`major`, `minor`, `patch`), or of the type the two versions in the
/// files imply; returns the verdict and the tool's report.
pub fn compare(
    baseline: &Path,
    current: &Path,
    release_type: Option<&str>,
) -> Result<(Verdict, String), String> {
    let mut command = Command::new(cargo());
    command
        .args(["semver-checks", "check-release", "--color", "never"])
        .arg("--baseline-rustdoc")
        .arg(baseline)
        .arg("--current-rustdoc")
        .arg(current)
        .stdin(Stdio::null());
    if let Some(release_type) = release_type {
        command.args(["--release-type", release_type]);
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo semver-checks: {e}"))?;
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        Ok((Verdict::Passes, report))
    } else if report.contains("semver requires new") {
        Ok((Verdict::Fails, report))
    } else {
        Err(format!("cargo semver-checks did not run:\n{report}"))
    }
}
