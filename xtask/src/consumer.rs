//! The consumer test: the proof that a user who adds `confluent-connect = "0.x"` from crates.io
//! gets a working build.
//!
//! After `cargo package`, the `.crate` files of the libraries are unpacked into
//! `<target>/consumer/packages`, and the program in `xtask/consumer/src/main.rs` is built
//! outside the workspace (its manifest has a `[workspace]` of its own), offline, with each of
//! them in place of the crates.io release through `[patch.crates-io]`, and run: it reads offsets
//! from an in-process emulator through the facade and checks them.

use std::{fs, path::Path, process::Command};

use xtask::process::{cargo, run};

use crate::metadata::Metadata;

/// The libraries the consumer depends on, directly or through them, as packaged.
const LIBRARIES: [&str; 4] = [
    "confluent-connect-codegen",
    "confluent-connect-api",
    "confluent-connect",
    "connect-emulator",
];
/// The consumer's program, relative to the workspace root.
const PROGRAM: &str = "xtask/consumer/src/main.rs";

/// Builds and runs the consumer against the packages `cargo package` left in the target
/// directory.
pub(crate) fn consumer_test(root: &Path) -> Result<(), String> {
    let metadata = Metadata::read(root)?;
    let dir = metadata.target_directory.join("consumer");
    let packages = dir.join("packages");
    if packages.exists() {
        fs::remove_dir_all(&packages)
            .map_err(|e| format!("cannot clear {}: {e}", packages.display()))?;
    }
    fs::create_dir_all(dir.join("src"))
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    fs::create_dir_all(&packages)
        .map_err(|e| format!("cannot create {}: {e}", packages.display()))?;

    let mut patches = String::new();
    for name in LIBRARIES {
        let version = metadata.version_of(name)?;
        let archive = metadata
            .target_directory
            .join("package")
            .join(format!("{name}-{version}.crate"));
        if !archive.is_file() {
            return Err(format!(
                "{} is missing: the consumer test runs after `cargo package` of {name}",
                archive.display()
            ));
        }
        run(
            root,
            Command::new("tar")
                .arg("-xzf")
                .arg(&archive)
                .arg("-C")
                .arg(&packages),
        )?;
        patches.push_str(&format!(
            "{name} = {{ path = \"packages/{name}-{version}\" }}\n"
        ));
    }

    let facade = metadata.version_of("confluent-connect")?;
    let emulator = metadata.version_of("connect-emulator")?;
    let manifest = format!(
        "# Written by `cargo xtask ci` (xtask/src/consumer.rs): a user's manifest, with the packaged\n\
         # crates in place of their crates.io releases.\n\
         [package]\n\
         name = \"consumer\"\n\
         version = \"0.0.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\
         \n\
         [dependencies]\n\
         confluent-connect = \"{facade}\"\n\
         connect-emulator = {{ version = \"{emulator}\", default-features = false }}\n\
         chrono = {{ version = \"0.4\", default-features = false }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\
         \n\
         [patch.crates-io]\n\
         {patches}\n\
         # Not a member of the repository's workspace.\n\
         [workspace]\n"
    );
    write(&dir.join("Cargo.toml"), &manifest)?;
    let program = fs::read_to_string(root.join(PROGRAM))
        .map_err(|e| format!("cannot read {PROGRAM}: {e}"))?;
    write(&dir.join("src/main.rs"), &program)?;
    // The versions the workspace is tested with, so that the build needs no network.
    let lock = fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    write(&dir.join("Cargo.lock"), &lock)?;

    run(
        &dir,
        Command::new(cargo())
            .args(["run", "--offline", "--quiet"])
            .env_remove("CARGO_TARGET_DIR"),
    )
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
