//! `cargo xtask bench [--quick]`: every benchmark of the project beside its floor, in one run,
//! printed as a table and written into `BENCHMARKS.md` (not in quick mode).
//!
//! The measurements themselves are in `crates/bench` (`connect-bench`, `connect-bench-memory`),
//! each printing one JSON object; the build cost is measured here, by building two copies of the
//! workspace from cold: as it is, and with the generated client pre-expanded into a source file.
//! Quick mode runs everything with tiny sizes and a debug build, so that none of it rots; it
//! judges nothing, as timings on shared machines mean nothing at those sizes.

use std::{
    fmt::Write as _,
    fs,
    path::{Path, PathBuf},
    process::Command,
    time::Instant,
};

use serde_json::Value;

use xtask::process::{cargo, run};

/// Where the generated part of `BENCHMARKS.md` begins and ends.
const BEGIN: &str = "<!-- cargo xtask bench: begin (generated, do not edit) -->";
const END: &str = "<!-- cargo xtask bench: end -->";

/// The sizes of one run.
struct Sizes {
    requests: usize,
    block: usize,
    partitions: usize,
    rounds: usize,
    connectors: usize,
    rate: f64,
    burst: u32,
}

const FULL: Sizes = Sizes {
    requests: 20_000,
    block: 250,
    partitions: 100_000,
    rounds: 15,
    connectors: 1_000,
    rate: 50.0,
    burst: 10,
};

const QUICK: Sizes = Sizes {
    requests: 200,
    block: 50,
    partitions: 1_000,
    rounds: 3,
    connectors: 30,
    rate: 50.0,
    burst: 10,
};

pub(crate) fn bench(root: &Path, quick: bool) -> Result<(), String> {
    let sizes = if quick { QUICK } else { FULL };
    let profile = if quick { "debug" } else { "release" };
    let mut build = Command::new(cargo());
    build.args(["build", "--package", "connect-bench", "--bins"]);
    if !quick {
        build.arg("--release");
    }
    run(root, &mut build)?;
    let bin_dir = target_dir(root).join(profile);
    let harness = bin_dir.join("connect-bench");

    let overhead = measure(
        &harness,
        &[
            "overhead",
            "--requests",
            &sizes.requests.to_string(),
            "--block",
            &sizes.block.to_string(),
        ],
    )?;
    let decode = measure(
        &harness,
        &[
            "decode",
            "--partitions",
            &sizes.partitions.to_string(),
            "--rounds",
            &sizes.rounds.to_string(),
        ],
    )?;
    let memory = measure(
        &bin_dir.join("connect-bench-memory"),
        &[&sizes.partitions.to_string()],
    )?;
    let bulk = measure(
        &harness,
        &[
            "bulk",
            "--connectors",
            &sizes.connectors.to_string(),
            "--rate",
            &sizes.rate.to_string(),
            "--burst",
            &sizes.burst.to_string(),
        ],
    )?;
    // A failed build is reported in the table rather than losing the other figures.
    let build_cost = build_cost(root, quick);
    if quick {
        build_cost.as_ref().map_err(String::clone)?;
    }

    let command = if quick {
        "cargo xtask bench --quick"
    } else {
        "cargo xtask bench"
    };
    let report = report(
        command,
        quick,
        &overhead,
        &decode,
        &memory,
        &bulk,
        &build_cost,
    );
    println!("{report}");
    if quick {
        println!("Quick mode: tiny sizes, nothing judged, BENCHMARKS.md left as it is.");
    } else {
        write_benchmarks(root, &report)?;
        println!("Written into BENCHMARKS.md.");
    }
    Ok(())
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// Runs one measurement and reads the JSON object it prints.
fn measure(binary: &Path, args: &[&str]) -> Result<Value, String> {
    let shown = format!("{} {}", binary.display(), args.join(" "));
    println!("==> {shown}");
    let output = Command::new(binary)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{shown} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| {
        format!(
            "{shown} printed no JSON object ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

/// Cold builds of the facade, with the build-time code generation and without it.
struct BuildCost {
    command: String,
    generated_seconds: f64,
    expanded_seconds: f64,
}

fn build_cost(root: &Path, quick: bool) -> Result<BuildCost, String> {
    let scratch = tempfile::tempdir().map_err(|e| format!("cannot make a scratch dir: {e}"))?;
    let as_is = scratch.path().join("as-is");
    let expanded = scratch.path().join("pre-expanded");
    copy_workspace(root, &as_is)?;
    copy_workspace(root, &expanded)?;
    pre_expand(&expanded)?;
    let args: &[&str] = if quick {
        &["check", "--package", "confluent-connect"]
    } else {
        &["build", "--release", "--package", "confluent-connect"]
    };
    let how = if quick {
        "warm, the workspace's target directory"
    } else {
        "cold, own target directory"
    };
    let mut seconds = Vec::new();
    for copy in [&as_is, &expanded] {
        let started = Instant::now();
        // A clean environment: nothing the outer cargo set for xtask reaches this build.
        let mut build = Command::new(cargo());
        build.env_clear().args(args);
        for name in [
            "PATH",
            "HOME",
            "CARGO_HOME",
            "RUSTUP_HOME",
            "RUSTUP_TOOLCHAIN",
            "TMPDIR",
        ] {
            if let Some(value) = std::env::var_os(name) {
                build.env(name, value);
            }
        }
        // Cold: a target directory of its own. Quick mode only checks that both copies still
        // build, in the workspace's warm target directory.
        let target = if quick {
            target_dir(root)
        } else {
            copy.join("target")
        };
        build.env("CARGO_TARGET_DIR", &target);
        run(copy, &mut build)?;
        seconds.push(started.elapsed().as_secs_f64());
    }
    Ok(BuildCost {
        command: format!("cargo {} ({how})", args.join(" ")),
        generated_seconds: seconds[0],
        expanded_seconds: seconds[1],
    })
}

/// Copies the files git tracks in `root` to `to`.
fn copy_workspace(root: &Path, to: &Path) -> Result<(), String> {
    let listed = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git ls-files: {e}"))?;
    if !listed.status.success() {
        return Err("git ls-files failed: the build cost needs a git checkout".to_string());
    }
    for name in listed
        .stdout
        .split(|byte| *byte == 0)
        .filter(|n| !n.is_empty())
    {
        let name = String::from_utf8_lossy(name);
        let (from, into) = (root.join(name.as_ref()), to.join(name.as_ref()));
        if !from.is_file() {
            continue;
        }
        if let Some(parent) = into.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::copy(&from, &into).map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
    }
    Ok(())
}

/// Turns `confluent-connect-api` in the copy at `workspace` into a crate with the generated
/// sources checked in (one per spec of `crate::SPECS`): no build script, no build dependencies.
fn pre_expand(workspace: &Path) -> Result<(), String> {
    let api = workspace.join(crate::API_PACKAGE);
    let write = |path: PathBuf, text: &str| {
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    let mut lib = fs::read_to_string(api.join("src/lib.rs")).map_err(|e| e.to_string())?;
    for bound in crate::SPECS {
        let spec = fs::read_to_string(workspace.join(bound.source()))
            .map_err(|e| format!("cannot read {}: {e}", bound.source()))?;
        let source = codegen::generate(&spec).map_err(|e| format!("{}: {e}", bound.source()))?;
        write(api.join("src").join(bound.generated), &source)?;
        let included = bound.include_line();
        if !lib.contains(&included) {
            return Err(format!(
                "crates/connect-api/src/lib.rs no longer includes OUT_DIR/{}: update \
                 xtask/src/bench.rs",
                bound.generated
            ));
        }
        lib = lib.replace(&included, &format!("include!({:?});", bound.generated));
    }
    write(api.join("src/lib.rs"), &lib)?;
    let manifest = fs::read_to_string(api.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let Some((kept, _)) = manifest.split_once("[build-dependencies]") else {
        return Err(
            "crates/connect-api/Cargo.toml has no [build-dependencies]: update xtask/src/bench.rs"
                .to_string(),
        );
    };
    write(api.join("Cargo.toml"), kept)?;
    fs::remove_file(api.join("build.rs")).map_err(|e| format!("cannot remove build.rs: {e}"))
}

fn number(value: &Value, key: &str) -> f64 {
    value[key].as_f64().unwrap_or(f64::NAN)
}

fn verdict(quick: bool, met: bool) -> &'static str {
    match (quick, met) {
        (true, _) => "not judged (quick)",
        (false, true) => "met",
        (false, false) => "**missed**",
    }
}

fn report(
    command: &str,
    quick: bool,
    overhead: &Value,
    decode: &Value,
    memory: &Value,
    bulk: &Value,
    build: &Result<BuildCost, String>,
) -> String {
    let mut out = String::new();
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let memory_gib = meminfo_kib().map_or(f64::NAN, |kib| kib as f64 / 1024.0 / 1024.0);
    let cpu = cpu_model().unwrap_or_else(|| "unknown CPU".to_string());
    let _ = writeln!(
        out,
        "Measured by `{command}` in one run on {cores} cores ({cpu}), {memory_gib:.1} GiB of memory."
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "| # | measurement | facade | floor | ratio | target | result |"
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- | --- |");
    let ratio = number(overhead, "ratio");
    let _ = writeln!(
        out,
        "| 1 | {} sequential offsets GETs on 127.0.0.1, blocks of {} interleaved | {:.1} µs/GET | {:.1} µs/GET (reqwest + serde_json) | {ratio:.3} (median of block pairs {:.3}) | ≤ 1.05 | {} |",
        overhead["requests"],
        overhead["block"],
        number(overhead, "facade_us"),
        number(overhead, "floor_us"),
        number(overhead, "median_block_ratio"),
        verdict(quick, ratio <= 1.05)
    );
    let ratio = number(decode, "ratio");
    let body_mb = number(decode, "body_bytes") / 1e6;
    let _ = writeln!(
        out,
        "| 2 | decode of a sink body of {} partitions ({body_mb:.1} MB), median of {} | {:.1} ms | {:.1} ms (`serde_json::Value`) | {ratio:.3} | ≤ 1.00 | {} |",
        decode["partitions"],
        decode["rounds"],
        number(decode, "facade_ms"),
        number(decode, "untyped_ms"),
        verdict(quick, ratio <= 1.0)
    );
    let peak = number(memory, "facade_peak_to_body");
    let _ = writeln!(
        out,
        "| 2 | peak heap of that decode (dhat), over the body's size | {:.1} MB ({peak:.1}×) | {:.1} MB ({:.1}×, `serde_json::Value`) | | ≤ 3× the body | {} |",
        number(memory, "facade_peak_bytes") / 1e6,
        number(memory, "untyped_peak_bytes") / 1e6,
        number(memory, "untyped_peak_to_body"),
        verdict(quick, peak <= 3.0)
    );
    let floor = number(bulk, "floor_seconds");
    if let Some(strategies) = bulk["strategies"].as_array() {
        for (index, strategy) in strategies.iter().enumerate() {
            let seconds = number(strategy, "seconds");
            let ratio = number(strategy, "ratio_to_floor");
            let failed = strategy["failed"].as_u64().unwrap_or(u64::MAX);
            let percent = number(strategy, "percent_429");
            let (target, result) = if index == 0 {
                let met = ratio <= 1.10 && failed == 0 && percent <= 1.0;
                ("≤ 1.10, 0 failed, ≤ 1 % 429", verdict(quick, met))
            } else {
                ("(shown for comparison)", "")
            };
            let _ = writeln!(
                out,
                "| 3 | {} connectors at {} req/s, burst {}: {} | {seconds:.2} s, {failed} failed, {} of {} answers 429 ({percent:.1} %) | {floor:.2} s (N / rate) | {ratio:.3} | {target} | {result} |",
                bulk["connectors"],
                bulk["rate"],
                bulk["burst"],
                strategy["name"].as_str().unwrap_or("?"),
                strategy["too_many_requests"],
                strategy["answers"]
            );
        }
    }
    match build {
        Ok(build) => {
            let added = build.generated_seconds - build.expanded_seconds;
            let _ = writeln!(
                out,
                "| 4 | `{}` of confluent-connect | {:.1} s with build-time codegen | {:.1} s pre-expanded | codegen adds {added:.1} s ({:.0} %) | reported | |",
                build.command,
                build.generated_seconds,
                build.expanded_seconds,
                100.0 * added / build.expanded_seconds
            );
        }
        Err(error) => {
            let first_line = error.lines().next().unwrap_or_default();
            let _ = writeln!(
                out,
                "| 4 | cold release build of confluent-connect, with and without codegen | not measured: {first_line} | | | reported | **failed** |"
            );
        }
    }
    out
}

fn meminfo_kib() -> Option<u64> {
    let text = fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|line| line.starts_with("MemTotal:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn cpu_model() -> Option<String> {
    let text = fs::read_to_string("/proc/cpuinfo").ok()?;
    let line = text.lines().find(|line| line.starts_with("model name"))?;
    Some(line.split_once(':')?.1.trim().to_string())
}

/// Replaces the generated part of `BENCHMARKS.md` (between [`BEGIN`] and [`END`]) with
/// `report`, keeping the rest; puts it after the first heading when there is none yet.
fn write_benchmarks(root: &Path, report: &str) -> Result<(), String> {
    let path = root.join("BENCHMARKS.md");
    let text = fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".to_string());
    let block = format!("{BEGIN}\n## `cargo xtask bench`\n\n{report}{END}");
    let updated = match (text.find(BEGIN), text.find(END)) {
        (Some(begin), Some(end)) if begin < end => {
            format!("{}{block}{}", &text[..begin], &text[end + END.len()..])
        }
        _ => {
            let split = text.find('\n').map_or(text.len(), |at| at + 1);
            format!("{}\n{block}\n{}", &text[..split], &text[split..])
        }
    };
    fs::write(&path, updated).map_err(|e| format!("cannot write BENCHMARKS.md: {e}"))
}

#[cfg(test)]
mod tests {
    use std::{fs, path::Path};

    /// On a copy of the package and of the specs, `pre_expand` writes every bound client beside
    /// `lib.rs` and includes it from there, and removes the build script and its dependencies.
    #[test]
    fn pre_expand_checks_in_the_client_of_every_bound_spec() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask is in the workspace");
        let copy = tempfile::tempdir().expect("a scratch dir");
        let api = copy.path().join(crate::API_PACKAGE);
        fs::create_dir_all(api.join("src")).expect("mkdir");
        fs::create_dir_all(copy.path().join("openapi")).expect("mkdir");
        for file in ["Cargo.toml", "build.rs", "src/lib.rs"] {
            fs::copy(root.join(crate::API_PACKAGE).join(file), api.join(file)).expect("copy");
        }
        for bound in crate::SPECS {
            fs::copy(root.join(bound.source()), copy.path().join(bound.source())).expect("copy");
        }
        super::pre_expand(copy.path()).expect("pre-expands");
        let lib = fs::read_to_string(api.join("src/lib.rs")).expect("lib.rs");
        assert!(!lib.contains(r#"env!("OUT_DIR")"#), "{lib}");
        for bound in crate::SPECS {
            assert!(lib.contains(&format!(r#"include!("{}");"#, bound.generated)));
            let source = fs::read_to_string(api.join("src").join(bound.generated)).expect("source");
            assert!(
                source.starts_with(codegen::GENERATED_HEADER),
                "{}",
                bound.generated
            );
        }
        assert!(!api.join("build.rs").exists());
        let manifest = fs::read_to_string(api.join("Cargo.toml")).expect("Cargo.toml");
        assert!(!manifest.contains("[build-dependencies]"));
    }
}
