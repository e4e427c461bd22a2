//! The one error type of code generation.

use std::fmt;

/// Names an operation of the spec in messages: its `operationId` when it has one, and always
/// its method and path, because that is what a maintainer searches the spec for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationRef {
    /// The operation's `operationId`, if the spec gives one.
    pub operation_id: Option<String>,
    /// The HTTP method in upper case, e.g. `GET`.
    pub method: String,
    /// The path template, e.g. `/connect/v1/.../offsets`.
    pub path: String,
}

impl fmt::Display for OperationRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.operation_id {
            Some(id) => write!(f, "operation `{id}` ({} {})", self.method, self.path),
            None => write!(f, "operation {} {}", self.method, self.path),
        }
    }
}

/// Why a spec could not be turned into Rust source.
///
/// Every variant says what in the spec is at fault and, where it is known, which operation,
/// so that a failing build points the maintainer at the line to change.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CodegenError {
    /// The text is not YAML (or JSON) at all.
    #[error("the spec is not valid YAML: {0}")]
    Syntax(String),

    /// The document declares an OpenAPI version the generator cannot read.
    #[error(
        "the spec declares OpenAPI {found}, but progenitor 0.15 reads OpenAPI 3.0.x only: \
         convert the document to 3.0.3"
    )]
    UnsupportedVersion {
        /// The value of the document's `openapi` field (empty when it is missing).
        found: String,
    },

    /// The document is YAML but not an OpenAPI 3.0 document (a field of the wrong type, a
    /// missing required field, ...).
    #[error("the spec is not a valid OpenAPI 3.0 document: {0}")]
    Document(String),

    /// An operation uses a construct that the generator cannot take and that normalisation
    /// cannot repair without guessing.
    #[error("{operation}: {construct}: {hint}")]
    Unsupported {
        /// The operation at fault.
        operation: OperationRef,
        /// The construct, in the spec's own terms.
        construct: String,
        /// What to change.
        hint: String,
    },

    /// A `$ref` points at nothing.
    #[error("{location}: `$ref: {reference}` does not resolve: {hint}")]
    BrokenReference {
        /// Where the reference stands (an operation, or a component).
        location: String,
        /// The reference as written.
        reference: String,
        /// What is wrong with it.
        hint: String,
    },

    /// progenitor refused the normalised spec with an error of its own.
    #[error("progenitor could not generate {}: {message}", scope(.operation))]
    Generator {
        /// The operation that fails on its own, if one could be singled out.
        operation: Option<OperationRef>,
        /// progenitor's message.
        message: String,
    },

    /// progenitor panicked on the normalised spec. The panic was caught; its message is kept.
    #[error(
        "progenitor panicked while generating {}: {message}. This construct is not handled by \
         the normalisation in crates/codegen: extend it (with a test) rather than editing the spec",
        scope(.operation)
    )]
    GeneratorPanic {
        /// The operation that panics on its own, if one could be singled out.
        operation: Option<OperationRef>,
        /// The panic's message, e.g. `assertion failed: response_types.len() <= 1`.
        message: String,
    },

    /// The generated code names a crate that the generated crate does not depend on, so it
    /// would not compile.
    #[error(
        "the generated code names the crate `{name}` (for {construct}), which the generated \
         crate does not depend on, so it would not compile: normalise the construct in \
         crates/codegen/src/normalize.rs (with a test), or add the crate to \
         confluent-connect-api and to codegen::CRATES_FOR_GENERATED_CODE"
    )]
    UnknownCrate {
        /// The crate, as the code names it (`uuid`, `chrono`, `regress` ...).
        name: String,
        /// What in the spec typify makes into it, where known.
        construct: String,
    },

    /// progenitor produced tokens that do not parse as a Rust file.
    #[error("the generated code is not valid Rust: {0}")]
    Format(String),
}

fn scope(operation: &Option<OperationRef>) -> String {
    match operation {
        Some(op) => op.to_string(),
        None => "the spec".to_string(),
    }
}
