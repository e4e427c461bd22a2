//! The maintainers' verbs, run as `cargo xtask <verb>`.
//!
//! - `codegen`: regenerates the snapshots of the generated clients, of the specs as the
//!   generator sees them, and of the facade's view of every example in the specs, for review
//!   with `git diff`; for every spec `confluent-connect-api` binds
//!   (`crates/connect-api/specs.rs`).
//! - `check`: fails when a bound spec is not valid OpenAPI 3.0, when an example does not decode,
//!   when a snapshot is stale, when a spec packaged with `confluent-connect-api` is not the spec
//!   in `openapi/` or is not included by its `src/lib.rs`, or when the Connect spec is not the
//!   import of `openapi/published/connect-v1.yaml`.
//! - `import-spec [PUBLISHED]`: rebuilds the spec from Confluent's published Connect v1 spec
//!   (see `xtask::import`).
//! - `ci`: every check and every test: formatting, clippy, `check`, the whole test suite, with
//!   Prism installed first (`npm ci --prefix conformance`) for the tests against it and
//!   cargo-semver-checks (which `.ci/run` installs) for the comparison of spec-diff with it, the
//!   semver gate, and
//!   `cargo package` of the five published packages, each verified by building it from its
//!   packaged files, then the consumer test: a program outside the workspace built offline
//!   against the packaged libraries, reading offsets from an in-process emulator.
//! - `package`: those last two steps alone, before a release.
//! - `semver`: the semver gate: the public API of `confluent-connect-api` and
//!   `confluent-connect` against the last release, with cargo-semver-checks (`xtask::semver`
//!   is private; see `src/semver.rs`).
//! - `proptest-long [CASES]`: the property tests of the facade's decoders,
//!   `crates/connect/tests/decoders_proptest.rs`, in release mode with `CASES` cases per
//!   property (default 100000) instead of the test suite's 256.
//! - `spec-diff OLD NEW`: what changed between two versions of the spec, each change classified
//!   as breaking, additive or documentation only for the users of the generated and facade
//!   crates; exits 1 when a change is breaking (see `xtask::spec_diff`).
//! - `bench [--quick]`: every benchmark beside its floor in one run, as a table, written into
//!   `BENCHMARKS.md`; `--quick` runs them at tiny sizes and judges nothing (CI runs it).

mod bench;
mod consumer;
mod metadata;
mod semver;
mod validate;

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, ExitCode, Stdio},
    time::Instant,
};

use clap::{Parser, Subcommand};
use xtask::process::{cargo, run};

// The specs `confluent-connect-api` binds (`BoundSpec`, `SPECS`): the list its build script
// generates from, so that `codegen` and `check` cover exactly those.
include!("../../crates/connect-api/specs.rs");

/// The `confluent-connect-api` package, relative to the workspace root.
const API_PACKAGE: &str = "crates/connect-api";

impl BoundSpec {
    /// The spec, relative to the workspace root: `openapi/<file>`.
    fn source(&self) -> String {
        format!("openapi/{}", self.file)
    }

    /// The spec inside the `confluent-connect-api` package, which its build script reads: a
    /// symbolic link to [`BoundSpec::source`], so that the packaged crate carries exactly that
    /// file.
    fn packaged(&self) -> String {
        format!("{API_PACKAGE}/{}", self.file)
    }

    /// The line of `crates/connect-api/src/lib.rs` that includes the generated client.
    fn include_line(&self) -> String {
        format!(
            r#"include!(concat!(env!("OUT_DIR"), "/{}"));"#,
            self.generated
        )
    }
}

/// The Connect v1 spec, relative to the workspace root: the one `import-spec` rebuilds from
/// Confluent's published document (one of [`SPECS`]).
pub(crate) const SPEC: &str = "openapi/connect-v1.yaml";
/// The packages meant for users, which `ci` packages and verifies together (each built from its
/// packaged files alone, the local ones resolving among themselves).
const PUBLISHED: [&str; 5] = [
    "confluent-connect-codegen",
    "confluent-connect-api",
    "confluent-connect",
    "connect-emulator",
    "connect-offsets",
];
/// Confluent's published Connect v1 document, as last imported, relative to the workspace root.
const PUBLISHED_SPEC: &str = "openapi/published/connect-v1.yaml";
/// Where the insta snapshots live, relative to the workspace root.
const SNAPSHOTS: &str = "xtask/tests/snapshots";
/// Where Prism is pinned for the conformance tests, relative to the workspace root.
const CONFORMANCE: &str = "conformance";
/// The package holding the property tests of the decoders.
const PROPTEST_PACKAGE: &str = "confluent-connect";
/// Their test target: `crates/connect/tests/decoders_proptest.rs`.
const PROPTEST_TARGET: &str = "decoders_proptest";

#[derive(Parser)]
#[command(about = "Maintainer tasks for the confluent-connect workspace")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Regenerate every snapshot from the bound specs; review the result with `git diff`.
    Codegen,
    /// Check every bound spec and that every snapshot is up to date.
    Check,
    /// Rebuild openapi/connect-v1.yaml from Confluent's published Connect v1 spec.
    ///
    /// PUBLISHED (default openapi/published/connect-v1.yaml) is Confluent's whole Connect v1
    /// document. Its operations, except those of the tag "Offsets (connect/v1)", which come
    /// from Confluent's API reference and are kept, replace the spec's, with the components they
    /// use. A PUBLISHED given elsewhere is copied to openapi/published/connect-v1.yaml, so that
    /// `check` can tell that the spec is its import. Then run `cargo xtask spec-diff`, `check`
    /// and `codegen` as MAINTAINING.md says.
    ImportSpec {
        /// Confluent's published Connect v1 spec.
        published: Option<PathBuf>,
    },
    /// Run every check and every test, as CI does.
    Ci,
    /// Package the published crates and run the consumer test against the packages.
    ///
    /// `cargo package` of the five published packages, each verified by building it from its
    /// packaged files; then a program outside the workspace (xtask/consumer) is built offline
    /// with the packaged libraries in place of their crates.io releases, and run: it reads
    /// offsets from an in-process emulator through the facade.
    Package,
    /// Check the public API of confluent-connect-api and confluent-connect against the last
    /// release with cargo-semver-checks.
    ///
    /// The last release is the commit `baseline` under [workspace.metadata.semver] in
    /// Cargo.toml. A change that needs a bigger version bump than Cargo.toml's version has had
    /// since then fails. Needs `cargo install --locked cargo-semver-checks@0.51.0`.
    Semver,
    /// Run the decoders' property tests long: in release mode, with many more cases.
    ///
    /// Runs crates/connect/tests/decoders_proptest.rs with PROPTEST_CASES=CASES: every property
    /// (arbitrary bytes and JSON into every decoder, exact round trips, the sink view,
    /// timestamps) tries CASES generated inputs instead of the test suite's 256. A failure is
    /// shrunk, printed, and its seed saved in
    /// crates/connect/proptest-regressions/decoders_proptest.txt: commit that file.
    ProptestLong {
        /// Cases per property.
        #[arg(default_value_t = 100_000)]
        cases: u32,
    },
    /// List what changed between two versions of the spec and classify each change.
    ///
    /// Every operation, parameter, body, field, enum value, response, header, schema and
    /// security scheme added, removed or changed is listed as breaking, additive or
    /// documentation only for the users of confluent-connect-api and confluent-connect, with the
    /// reason, and the version bump they call for. OLD and NEW are files (YAML or JSON), or
    /// `REV:PATH` for a file as git has it at a revision, e.g.
    /// `cargo xtask spec-diff HEAD:openapi/connect-v1.yaml openapi/connect-v1.yaml`.
    #[command(
        after_help = "Exit status: 0 when no change is breaking (none, additive or \
                            documentation only), 1 when a change is breaking, 2 when a spec \
                            cannot be read or compared."
    )]
    SpecDiff {
        /// The spec before: a file, or REV:PATH.
        old: String,
        /// The spec after: a file, or REV:PATH.
        new: String,
    },
    /// Run every benchmark beside its floor, print the table and rewrite BENCHMARKS.md.
    ///
    /// 1. 20,000 sequential offsets GETs through the facade and through reqwest + serde_json.
    /// 2. A 100,000-partition sink body: the facade's decode time and peak heap against
    ///    serde_json::Value. 3. 1,000 connectors read under the emulator's limit of 50/s,
    ///    burst 10, paced and naively. 4. A cold release build of confluent-connect, with and
    ///    without the build-time code generation. Takes about ten minutes on 2 cores.
    Bench {
        /// Tiny sizes and a debug build, to check that everything still runs; judges nothing
        /// and leaves BENCHMARKS.md alone.
        #[arg(long)]
        quick: bool,
    },
}

fn main() -> ExitCode {
    let root = workspace_root();
    let outcome = match Cli::parse().task {
        Task::Codegen => codegen(&root),
        Task::Check => check(&root),
        Task::ImportSpec { published } => import_spec(&root, published.as_deref()),
        Task::Ci => ci(&root),
        Task::Package => package(&root),
        Task::Semver => semver::gate(&root),
        Task::ProptestLong { cases } => proptest_long(&root, cases),
        Task::Bench { quick } => bench::bench(&root, quick),
        // Its exit status tells breaking changes apart from errors.
        Task::SpecDiff { old, new } => return spec_diff(&old, &new),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn codegen(root: &Path) -> Result<(), String> {
    for spec in SPECS {
        let source = spec.source();
        let text = fs::read_to_string(root.join(&source))
            .map_err(|e| format!("cannot read {source}: {e}"))?;
        codegen::generate(&text).map_err(|e| format!("{source}: {e}"))?;
    }
    // Removing the old snapshots first drops those of examples that no longer exist.
    let dir = root.join(SNAPSHOTS);
    if dir.exists() {
        for entry in fs::read_dir(&dir).map_err(|e| format!("cannot list {SNAPSHOTS}: {e}"))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.extension().is_some_and(|ext| ext == "snap") {
                fs::remove_file(&path)
                    .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            }
        }
    }
    run(
        root,
        Command::new(cargo())
            .args(["test", "--package", "xtask", "--test", "snapshots"])
            .env("INSTA_UPDATE", "always")
            .env("INSTA_FORCE_PASS", "1"),
    )?;
    println!("Snapshots written to {SNAPSHOTS}: review them with `git diff -- {SNAPSHOTS}`.");
    Ok(())
}

fn import_spec(root: &Path, published: Option<&Path>) -> Result<(), String> {
    let vendored = root.join(PUBLISHED_SPEC);
    let source = published.map_or_else(|| vendored.clone(), Path::to_path_buf);
    let text = fs::read_to_string(&source)
        .map_err(|e| format!("cannot read {}: {e}", source.display()))?;
    let spec = read_spec(root)?;
    let imported = xtask::import::import(&spec, &text)
        .map_err(|e| format!("cannot import {}: {e}", source.display()))?;
    fs::write(&vendored, &text).map_err(|e| format!("cannot write {PUBLISHED_SPEC}: {e}"))?;
    fs::write(root.join(SPEC), &imported).map_err(|e| format!("cannot write {SPEC}: {e}"))?;
    println!(
        "{SPEC} rebuilt from {}. Next: `cargo xtask spec-diff HEAD:{SPEC} {SPEC}`, `cargo \
         xtask check`, `cargo xtask codegen` (MAINTAINING.md).",
        source.display()
    );
    Ok(())
}

fn check(root: &Path) -> Result<(), String> {
    let spec = read_spec(root)?;
    let published = fs::read_to_string(root.join(PUBLISHED_SPEC))
        .map_err(|e| format!("cannot read {PUBLISHED_SPEC}: {e}"))?;
    let imported = xtask::import::import(&spec, &published)
        .map_err(|e| format!("cannot import {PUBLISHED_SPEC}: {e}"))?;
    if imported != spec {
        return Err(format!(
            "{SPEC} is not the import of {PUBLISHED_SPEC}: an operation outside the tag \
             \"{}\" or a component was edited by hand. Run `cargo xtask import-spec` and \
             review `git diff -- {SPEC}`",
            xtask::import::KEPT_TAG
        ));
    }
    println!("{SPEC} is the import of {PUBLISHED_SPEC}.");
    let lib_path = format!("{API_PACKAGE}/src/lib.rs");
    let lib = fs::read_to_string(root.join(&lib_path))
        .map_err(|e| format!("cannot read {lib_path}: {e}"))?;
    for bound in SPECS {
        check_bound_spec(root, bound, &lib, &lib_path)?;
    }
    run(
        root,
        Command::new(cargo())
            .args(["test", "--package", "xtask", "--test", "snapshots"])
            .env("INSTA_UPDATE", "no")
            .env("INSTA_FORCE_PASS", "0"),
    )
    .map_err(|e| {
        format!(
            "{e}\nThe spec, the generated client, or the facade's view of the examples changed \
             without their snapshots: run `cargo xtask codegen` and review `git diff -- \
             {SNAPSHOTS}`"
        )
    })?;
    println!("Snapshots are up to date.");
    Ok(())
}

/// Checks one spec of [`SPECS`]: valid for codegen, packaged as a link to itself, and included
/// by `crates/connect-api/src/lib.rs`.
fn check_bound_spec(
    root: &Path,
    bound: &BoundSpec,
    lib: &str,
    lib_path: &str,
) -> Result<(), String> {
    let source = bound.source();
    let spec =
        fs::read_to_string(root.join(&source)).map_err(|e| format!("cannot read {source}: {e}"))?;
    let problems = validate::problems(&spec);
    if !problems.is_empty() {
        return Err(format!(
            "{source} is not a valid OpenAPI 3.0 document for this workspace:\n  - {}",
            problems.join("\n  - ")
        ));
    }
    println!("{source}: valid OpenAPI 3.0, and codegen accepts it.");
    let packaged_path = bound.packaged();
    let packaged = fs::read_to_string(root.join(&packaged_path))
        .map_err(|e| format!("cannot read {packaged_path}: {e}"))?;
    if packaged != spec {
        return Err(format!(
            "{packaged_path} differs from {source}: it must be a symbolic link to it, so that \
             the packaged crate is built from the one spec. Restore it with `ln -sf \
             ../../{source} {packaged_path}`"
        ));
    }
    println!("{packaged_path} is {source}.");
    let include = bound.include_line();
    if !lib.contains(&include) {
        return Err(format!(
            "{lib_path} does not include the client generated from {source}: add its module, \
             with `{include}` (MAINTAINING.md, \"Binding another spec\")"
        ));
    }
    Ok(())
}

/// Packages the published crates, each verified by building it from what `cargo package` puts
/// in it and nothing else, then builds and runs the consumer test against those packages.
fn package(root: &Path) -> Result<(), String> {
    clear_stale_extractions()?;
    let mut package = Command::new(cargo());
    package.args(["package", "--allow-dirty"]);
    for name in PUBLISHED {
        package.args(["--package", name]);
    }
    run(root, &mut package)?;
    consumer::consumer_test(root)?;
    println!("The packages build and work for a consumer outside the workspace.");
    Ok(())
}

/// Removes cargo's extracted copies of earlier packages of the published crates.
///
/// `cargo package` verifies the packages through a temporary local registry, whose crates cargo
/// extracts under `$CARGO_HOME/registry/src/-<hash of the registry's path>/<name>-<version>`,
/// and it reuses such a directory without comparing it with the new `.crate`. After a change
/// that kept the version, verification then builds the old sources: here, `connect-emulator`
/// was verified against a `confluent-connect-api` generated by the codegen of a run before, and
/// failed. Only those directories are removed (crates.io's are under `index.crates.io-*`).
fn clear_stale_extractions() -> Result<(), String> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .ok_or("neither CARGO_HOME nor HOME is set")?;
    let sources = home.join("registry").join("src");
    let Ok(registries) = fs::read_dir(&sources) else {
        return Ok(());
    };
    for registry in registries.flatten() {
        if !registry.file_name().to_string_lossy().starts_with('-') {
            continue;
        }
        let Ok(crates) = fs::read_dir(registry.path()) else {
            continue;
        };
        for extracted in crates.flatten() {
            let name = extracted.file_name().to_string_lossy().into_owned();
            let ours = PUBLISHED.iter().any(|published| {
                name.strip_prefix(published)
                    .and_then(|rest| rest.strip_prefix('-'))
                    .is_some_and(|version| version.starts_with(|c: char| c.is_ascii_digit()))
            });
            if ours {
                fs::remove_dir_all(extracted.path())
                    .map_err(|e| format!("cannot remove {}: {e}", extracted.path().display()))?;
            }
        }
    }
    Ok(())
}

fn ci(root: &Path) -> Result<(), String> {
    check_null_device()?;
    // First, so that a machine without npm or cargo-semver-checks fails in seconds rather than
    // after clippy.
    xtask::semver_checks::require_tool()?;
    install_conformance(root)?;
    run(
        root,
        Command::new(cargo()).args(["fmt", "--all", "--", "--check"]),
    )?;
    run(
        root,
        Command::new(cargo()).args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    check(root)?;
    // With the Prism tests and the comparison of spec-diff with cargo-semver-checks, which a
    // plain `cargo test` reports as ignored.
    run(
        root,
        Command::new(cargo()).args([
            "test",
            "--workspace",
            "--features",
            "confluent-connect-tests/prism,xtask/semver-checks",
        ]),
    )?;
    semver::gate(root)?;
    package(root)?;
    // Every benchmark at tiny sizes, so that none of them rots; no timing is judged.
    bench::bench(root, true)?;
    println!("All checks and tests passed.");
    Ok(())
}

/// Prints the report of `xtask::spec_diff::diff` and exits 0 (nothing breaking), 1 (something
/// breaking) or 2 (a spec that cannot be read or compared).
fn spec_diff(old: &str, new: &str) -> ExitCode {
    let texts = read_spec_arg(old).and_then(|a| read_spec_arg(new).map(|b| (a, b)));
    let report = texts.and_then(|(a, b)| xtask::spec_diff::diff(&a, &b));
    match report {
        Ok(report) => {
            print!("{}", report.render(old, new));
            if report.is_breaking() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Reads a spec named on the command line: a file, or `REV:PATH` as git has it.
fn read_spec_arg(arg: &str) -> Result<String, String> {
    let path = Path::new(arg);
    if path.exists() {
        return fs::read_to_string(path).map_err(|e| format!("cannot read {arg}: {e}"));
    }
    let Some((rev, file)) = arg.split_once(':') else {
        return Err(format!(
            "{arg}: no such file (for a file at a git revision, write REV:PATH, e.g. \
             HEAD:{SPEC})"
        ));
    };
    let output = Command::new("git")
        .args(["show", &format!("{rev}:{file}")])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{arg}: cannot run git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{arg}: neither a file nor a file at a git revision: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|_| format!("{arg}: the file is not UTF-8 text"))
}

fn proptest_long(root: &Path, cases: u32) -> Result<(), String> {
    let started = Instant::now();
    run(
        root,
        Command::new(cargo())
            .args([
                "test",
                "--release",
                "--package",
                PROPTEST_PACKAGE,
                "--test",
                PROPTEST_TARGET,
            ])
            .env("PROPTEST_CASES", cases.to_string()),
    )?;
    println!(
        "{PROPTEST_PACKAGE} --test {PROPTEST_TARGET}: every property held for {cases} cases, in \
         {:.0} s (build included).",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Fails early, with the repair, when `/dev/null` is not the null device: cargo's rustc probe
/// reads it as its standard input, and on a machine where it had become a regular file that
/// other programs wrote into, every cargo command failed with "failed to run `rustc` to learn
/// about target-specific information".
fn check_null_device() -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let is_device = fs::metadata("/dev/null").is_ok_and(|m| m.file_type().is_char_device());
        if !is_device {
            return Err(
                "/dev/null is not the null device (a regular file, or missing), so \
                        cargo's rustc probe would read garbage from it: recreate it as root \
                        with `rm -f /dev/null && mknod -m 666 /dev/null c 1 3` (.ci/run does)"
                    .to_string(),
            );
        }
    }
    Ok(())
}

/// Installs Prism exactly as `conformance/package-lock.json` pins it, for the tests that run
/// the facade against it (they fail, never skip, without it).
fn install_conformance(root: &Path) -> Result<(), String> {
    let npm_runs = Command::new("npm")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !npm_runs {
        return Err(format!(
            "npm was not found, or does not run: the tests run Prism, which `npm ci --prefix {CONFORMANCE}` \
             installs. Install Node.js 18.20.1 or newer with npm (e.g. `apt-get install nodejs \
             npm`), then run `cargo xtask ci` again"
        ));
    }
    run(
        root,
        Command::new("npm").args(["ci", "--prefix", CONFORMANCE, "--no-audit", "--no-fund"]),
    )
}

fn read_spec(root: &Path) -> Result<String, String> {
    fs::read_to_string(root.join(SPEC)).map_err(|e| format!("cannot read {SPEC}: {e}"))
}
