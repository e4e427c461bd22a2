//! Generates a client from each spec of `specs.rs`; `confluent-connect-codegen` does all the
//! work.

use std::{env, fs, path::Path};

include!("specs.rs");

fn main() {
    println!("cargo::rerun-if-changed=specs.rs");
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for spec in SPECS {
        let file = spec.file;
        println!("cargo::rerun-if-changed={file}");
        let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("cannot read {file}: {e}"));
        let source = codegen::generate(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let out = Path::new(&out_dir).join(spec.generated);
        fs::write(&out, source).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
    }
}
