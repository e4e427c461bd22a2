//! What the snapshot tests and the staleness test share.

/// The spec as the generator sees it after normalisation, as YAML.
pub fn normalized_spec_yaml(spec_text: &str) -> String {
    let spec = codegen::normalize(codegen::parse(spec_text).expect("the spec parses"))
        .expect("the spec normalises");
    serde_norway::to_string(&spec).expect("a spec serialises")
}
