//! `cargo xtask spec-diff OLD NEW` as maintainers and CI run it: the printed report and the
//! exit status, which tells breaking changes (1) apart from the rest (0) and from specs that
//! cannot be compared (2).

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Output},
};

const SPEC: &str = include_str!("../../openapi/connect-v1.yaml");

fn workspace_spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/connect-v1.yaml")
}

fn spec_diff(old: &Path, new: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("spec-diff")
        .arg(old)
        .arg(new)
        .output()
        .expect("run xtask")
}

/// The workspace spec with `from` replaced by `to`, written into a temporary directory.
fn edited(dir: &tempfile::TempDir, from: &str, to: &str) -> PathBuf {
    assert!(SPEC.contains(from), "the spec has no {from:?}");
    let path = dir.path().join("new.yaml");
    fs::write(&path, SPEC.replacen(from, to, 1)).expect("write the edited spec");
    path
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_same_spec_exits_0_with_no_changes() {
    let output = spec_diff(&workspace_spec(), &workspace_spec());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        stdout(&output),
        format!(
            "{0} -> {0}: no changes to operations, schemas or documentation.\n",
            workspace_spec().display()
        )
    );
}

#[test]
fn a_documentation_change_exits_0() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let new = edited(
        &dir,
        "description: Connector Offsets.",
        "description: The connector's offsets.",
    );
    let output = spec_diff(&workspace_spec(), &new);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("\nVerdict: documentation only."),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_breaking_change_exits_1_and_prints_the_whole_report() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let new = edited(
        &dir,
        "                  name:\n                    type: string\n                    \
         description: The name of the connector.\n",
        "",
    );
    let output = spec_diff(&workspace_spec(), &new);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        format!(
            "{} -> {}: 1 change (1 breaking, 0 additive, 0 documentation only)\n\
             \n\
             Breaking (1):\n  \
             - getConnectv1ConnectorOffsets (GET /connect/v1/environments/{{environment_id}}/\
             clusters/{{kafka_cluster_id}}/connectors/{{connector_name}}/offsets) > response \
             200 > application/json > body: field `name` removed\n      \
             the generated field disappears: code that reads it stops compiling\n\
             \n\
             Verdict: breaking. Release it as an incompatible release: the minor while at 0.x \
             (0.x.y -> 0.x+1.0), the major from 1.0 on, with the changes users see in \
             CHANGELOG.md (MAINTAINING.md).\n",
            workspace_spec().display(),
            new.display()
        )
    );
}

#[test]
fn a_missing_file_exits_2_and_says_how_to_name_a_revision() {
    let missing = Path::new("no-such-spec.yaml");
    let output = spec_diff(missing, &workspace_spec());
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: no-such-spec.yaml: no such file (for a file at a git revision, write REV:PATH, \
         e.g. HEAD:openapi/connect-v1.yaml)\n"
    );
    assert_eq!(stdout(&output), "");
}

#[test]
fn a_file_that_is_not_a_spec_exits_2_naming_the_side() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("list.yaml");
    fs::write(&path, "- one\n- two\n").expect("write");
    let output = spec_diff(&workspace_spec(), &path);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: NEW: no `openapi` version field: this is not an OpenAPI 3 document (Swagger 2.0 \
         is not read)\n"
    );
}

#[test]
fn a_revision_that_does_not_exist_exits_2() {
    let output = spec_diff(
        Path::new("no-such-revision:openapi/connect-v1.yaml"),
        &workspace_spec(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with(
            "error: no-such-revision:openapi/connect-v1.yaml: neither a file nor a file at a \
             git revision: "
        ),
        "{}",
        stderr(&output)
    );
}
