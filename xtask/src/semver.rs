//! The semver gate: the public API of `confluent-connect-api` and `confluent-connect` as they
//! are now, against the last release, checked by cargo-semver-checks.
//!
//! The last release is a commit, `baseline` under `[workspace.metadata.semver]` in the
//! workspace's `Cargo.toml` (the crates are released together, so one commit is the baseline of
//! both). cargo-semver-checks builds both versions' rustdoc and fails when a change needs a
//! bigger version bump than the one from the baseline's `version` to the current one: with the
//! version unchanged, any breaking change fails the gate; after a bump to the next minor (0.x)
//! or major version, it passes. A release moves `baseline` to its own commit
//! (MAINTAINING.md, "Releasing").

use std::{
    fs,
    path::Path,
    process::{Command, Stdio},
};

use xtask::process::run;
use xtask::semver_checks::{self, Verdict};

use crate::metadata::Metadata;

/// The crates whose public API the gate checks: the generated client and the facade.
const CHECKED: [&str; 2] = ["confluent-connect-api", "confluent-connect"];

/// Runs cargo-semver-checks on [`CHECKED`] against the baseline commit.
///
/// The baseline's files are taken from git into `<target>/semver/baseline`; the rustdoc JSON of
/// each crate, current and baseline, is built with one target directory, `<target>/semver`, so
/// that their dependencies are built once (cargo-semver-checks on its own builds them anew for
/// each crate and each side: 7.5 minutes here, against about 2 this way).
pub(crate) fn gate(root: &Path) -> Result<(), String> {
    semver_checks::require_tool()?;
    let metadata = Metadata::read(root)?;
    let baseline = metadata.workspace_string("semver", "baseline")?;
    require_commit(root, &baseline)?;
    let work = metadata.target_directory.join("semver");
    let tree = work.join("baseline");
    if tree.exists() {
        fs::remove_dir_all(&tree).map_err(|e| format!("cannot clear {}: {e}", tree.display()))?;
    }
    fs::create_dir_all(&tree).map_err(|e| format!("cannot create {}: {e}", tree.display()))?;
    extract(root, &baseline, &tree)?;

    let mut broken = Vec::new();
    for name in CHECKED {
        let json = |side: &str| work.join(format!("{side}-{name}.json"));
        let current = semver_checks::rustdoc_json(root, name, &work, json("current"))?;
        let old = semver_checks::rustdoc_json(&tree, name, &work, json("baseline"))?;
        let (verdict, report) = semver_checks::compare(&old, &current, None)?;
        println!("{name}:\n{report}");
        if verdict == Verdict::Fails {
            broken.push(name);
        }
    }
    if !broken.is_empty() {
        return Err(format!(
            "the public API of {} changed incompatibly since the release at {baseline} (the \
             report above names each change). Keep it compatible, or bump `version` under \
             [workspace.package] in Cargo.toml (while at 0.x: 0.1.3 -> 0.2.0) and say what \
             breaks in CHANGELOG.md",
            broken.join(" and ")
        ));
    }
    println!(
        "The public API of {} is compatible with the version in Cargo.toml.",
        CHECKED.join(" and ")
    );
    Ok(())
}

/// Writes the files of commit `rev` into `into`.
fn extract(root: &Path, rev: &str, into: &Path) -> Result<(), String> {
    let archive = into.join("baseline.tar");
    run(
        root,
        Command::new("git")
            .args(["archive", "--format=tar", "--output"])
            .arg(&archive)
            .arg(rev),
    )?;
    run(
        into,
        Command::new("tar")
            .arg("-xf")
            .arg(&archive)
            .arg("-C")
            .arg(into),
    )?;
    fs::remove_file(&archive).map_err(|e| format!("cannot remove {}: {e}", archive.display()))
}

/// Fails, with what to do, unless the baseline commit is in this clone; a shallow clone is
/// deepened first.
fn require_commit(root: &Path, baseline: &str) -> Result<(), String> {
    let present = || git(root, &["cat-file", "-e", &format!("{baseline}^{{commit}}")]).is_some();
    if present() {
        return Ok(());
    }
    if git(root, &["rev-parse", "--is-shallow-repository"]).as_deref() == Some("true") {
        println!(
            "The release baseline {baseline} is not in this shallow clone: fetching the history."
        );
        // Whether it worked is what `present` tells next.
        let _ = run(
            root,
            Command::new("git").args(["fetch", "--unshallow", "--quiet"]),
        );
        if present() {
            return Ok(());
        }
    }
    Err(format!(
        "the release baseline {baseline} ([workspace.metadata.semver] in Cargo.toml) is not in \
         this clone: fetch the whole history (`git fetch --unshallow`, or clone without \
         `--depth`), or correct the commit"
    ))
}

/// What `git ARGS` prints, if it succeeds.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
