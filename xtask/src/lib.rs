//! The library half of the maintainers' verbs (`cargo xtask`): what the binary and its tests
//! share.
//!
//! - [`spec_diff`]: what changed between two versions of the spec, and what it means for users.

pub mod spec_diff;
