//! Generates the client from the spec; `confluent-connect-codegen` does all the work.

use std::{env, fs, path::Path};

/// The spec, inside this package: in the repository a symbolic link to
/// `openapi/connect-v1.yaml`, the single source of truth; `cargo package` stores the file it
/// points to, so the packaged crate builds from exactly that spec without reading outside its
/// own directory.
const SPEC: &str = "connect-v1.yaml";

fn main() {
    println!("cargo::rerun-if-changed={SPEC}");
    let spec = fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("cannot read {SPEC}: {e}"));
    let source = codegen::generate(&spec).unwrap_or_else(|e| panic!("{SPEC}: {e}"));
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("connect_v1.rs");
    fs::write(&out, source).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
