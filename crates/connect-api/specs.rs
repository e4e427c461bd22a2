// The OpenAPI specs this crate binds: the one list that the build script (`build.rs`) generates
// a client from each of, and that `cargo xtask` (`codegen`, `check`, `bench`) and its snapshot
// tests read, all with `include!`. Binding another spec is one entry here, its symbolic link
// beside this file, and its module in `src/lib.rs` (MAINTAINING.md, "Binding another spec").

/// One spec this crate generates a client from.
// Each reader uses the fields it needs: the build script `file` and `generated`, xtask all three.
#[allow(dead_code)]
struct BoundSpec {
    /// The spec's file name. In this package, a symbolic link to `openapi/<file>` in the
    /// repository, the single source of truth: `cargo package` stores the file it points to, so
    /// the packaged crate builds from exactly that spec without reading outside its directory.
    file: &'static str,
    /// The file, in `OUT_DIR`, that the build script writes the generated client into and that
    /// `src/lib.rs` includes, as `include!(concat!(env!("OUT_DIR"), "/<generated>"));`.
    generated: &'static str,
    /// The public module of `src/lib.rs` that holds the client, which also names its snapshots
    /// (`<module>_generated_client`, ...); `None` for the Connect v1 client, whose items are at
    /// the crate root.
    module: Option<&'static str>,
}

/// Every spec this crate binds.
const SPECS: &[BoundSpec] = &[
    // Confluent Cloud Connect v1: `Client`, `types`, ... at the crate root.
    BoundSpec {
        file: "connect-v1.yaml",
        generated: "connect_v1.rs",
        module: None,
    },
    // Confluent's Security Token Service (the OAuth token exchange): `sts`.
    BoundSpec {
        file: "sts-v1.yaml",
        generated: "sts_v1.rs",
        module: Some("sts"),
    },
];
