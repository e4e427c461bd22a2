//! What `cargo metadata` says of the workspace, for the verbs that need it.

use std::{
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use xtask::process::cargo;

/// What `cargo metadata` says of the workspace: its target directory, its packages' versions,
/// and its `[workspace.metadata]` table.
pub(crate) struct Metadata {
    pub(crate) target_directory: PathBuf,
    packages: Vec<serde_json::Value>,
    workspace: serde_json::Value,
}

impl Metadata {
    pub(crate) fn read(root: &Path) -> Result<Self, String> {
        let output = Command::new(cargo())
            .args(["metadata", "--no-deps", "--format-version", "1"])
            .current_dir(root)
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
        if !output.status.success() {
            return Err(format!("cargo metadata failed ({})", output.status));
        }
        let mut value: serde_json::Value = serde_json::from_slice(&output.stdout)
            .map_err(|e| format!("cargo metadata printed something else than JSON: {e}"))?;
        let target_directory = value["target_directory"]
            .as_str()
            .map(PathBuf::from)
            .ok_or("cargo metadata names no target directory")?;
        let packages = match value["packages"].take() {
            serde_json::Value::Array(packages) => packages,
            _ => return Err("cargo metadata lists no packages".to_string()),
        };
        Ok(Self {
            target_directory,
            packages,
            workspace: value["metadata"].take(),
        })
    }

    /// The version of the workspace package `name`.
    pub(crate) fn version_of(&self, name: &str) -> Result<String, String> {
        self.packages
            .iter()
            .find(|package| package["name"] == name)
            .and_then(|package| package["version"].as_str())
            .map(str::to_owned)
            .ok_or_else(|| format!("cargo metadata does not list the package {name}"))
    }

    /// The string at `table.key` of `[workspace.metadata]` in the workspace's `Cargo.toml`.
    pub(crate) fn workspace_string(&self, table: &str, key: &str) -> Result<String, String> {
        self.workspace[table][key]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| {
                format!("Cargo.toml has no `{key}` string under [workspace.metadata.{table}]")
            })
    }
}
