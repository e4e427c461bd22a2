//! Proves that the snapshots see every change to the spec, down to one character, so that
//! `cargo xtask check` fails until `cargo xtask codegen` has been run and its diff reviewed.

mod common;

use common::normalized_spec_yaml;

/// The Connect v1 spec.
const SPEC: &str = include_str!("../../openapi/connect-v1.yaml");

#[test]
fn a_one_character_spec_change_is_seen_by_the_snapshots() {
    let changed = SPEC.replacen(
        "description: Connector Offsets.",
        "description: Connector offsets.",
        1,
    );
    assert_ne!(changed, SPEC);
    let recorded = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/snapshots/snapshots__normalized_spec.snap"
    ))
    .expect("the normalized spec snapshot exists");
    let body = |yaml: String| yaml.trim_end().to_string();
    assert!(
        recorded
            .trim_end()
            .ends_with(&body(normalized_spec_yaml(SPEC)))
    );
    assert!(
        !recorded
            .trim_end()
            .ends_with(&body(normalized_spec_yaml(&changed)))
    );
}
