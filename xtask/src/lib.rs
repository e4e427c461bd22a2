//! The library half of the maintainers' verbs (`cargo xtask`): what the binary and its tests
//! share.
//!
//! - [`spec_diff`]: what changed between two versions of the spec, and what it means for users.
//! - [`semver_checks`]: cargo-semver-checks on rustdoc JSON built with a shared target directory.
//! - [`import`]: the workspace's spec rebuilt from Confluent's published Connect v1 spec.
//! - [`process`]: running the tools.

pub mod import;
pub mod process;
pub mod semver_checks;
pub mod spec_diff;
