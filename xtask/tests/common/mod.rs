//! What the snapshot tests and the staleness test share.

/// The workspace spec.
pub const SPEC: &str = include_str!("../../../openapi/connect-v1.yaml");

/// The spec as the generator sees it after normalisation, as YAML.
pub fn normalized_spec_yaml(spec_text: &str) -> String {
    let spec = codegen::normalize(codegen::parse(spec_text).expect("the spec parses"))
        .expect("the spec normalises");
    serde_norway::to_string(&spec).expect("a spec serialises")
}
