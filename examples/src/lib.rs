//! Runnable examples of `confluent-connect`, kept in their own package so that the facade does
//! not depend on the emulator they run against. Run one from the workspace root:
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! The README's examples are compiled here too, as doctests, because some of them run the
//! emulator.

/// The README's examples, compiled as doctests so that they cannot rot.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
