//! Checks that make a spec fit for this workspace, beyond what codegen itself enforces.

use std::collections::BTreeSet;

use openapiv3::{OpenAPI, Parameter, ReferenceOr};

/// Every problem found in the spec text; empty when it is fit.
pub fn problems(spec_text: &str) -> Vec<String> {
    let spec = match codegen::parse(spec_text) {
        Ok(spec) => spec,
        Err(error) => return vec![error.to_string()],
    };
    let mut problems = Vec::new();
    if spec.servers.is_empty() {
        problems.push("there is no top-level `servers` entry".to_string());
    }
    let schemes: BTreeSet<&String> = spec
        .components
        .iter()
        .flat_map(|c| c.security_schemes.keys())
        .collect();
    let mut operation_ids = BTreeSet::new();
    for (path, method, operation, path_item_parameters) in operations(&spec) {
        let at = format!("{} {path}", method.to_uppercase());
        if let Some(id) = &operation.operation_id
            && !operation_ids.insert(id.clone())
        {
            problems.push(format!("{at}: operationId `{id}` is used twice"));
        }
        for requirement in operation.security.iter().flatten() {
            for name in requirement.keys() {
                if !schemes.contains(name) {
                    problems.push(format!(
                        "{at}: security scheme `{name}` is not in components.securitySchemes"
                    ));
                }
            }
        }
        let declared: BTreeSet<String> = path_item_parameters
            .iter()
            .chain(&operation.parameters)
            .filter_map(|p| match p {
                ReferenceOr::Item(Parameter::Path { parameter_data, .. }) => {
                    if !parameter_data.required {
                        problems.push(format!(
                            "{at}: path parameter `{}` must be `required: true`",
                            parameter_data.name
                        ));
                    }
                    Some(parameter_data.name.clone())
                }
                _ => None,
            })
            .collect();
        let templated = template_names(path);
        for missing in templated.difference(&declared) {
            problems.push(format!("{at}: `{{{missing}}}` has no path parameter"));
        }
        for extra in declared.difference(&templated) {
            problems.push(format!("{at}: path parameter `{extra}` is not in the path"));
        }
    }
    if problems.is_empty()
        && let Err(error) = codegen::generate(spec_text)
    {
        problems.push(error.to_string());
    }
    problems
}

type OperationEntry<'a> = (
    &'a str,
    &'a str,
    &'a openapiv3::Operation,
    &'a [ReferenceOr<Parameter>],
);

fn operations(spec: &OpenAPI) -> Vec<OperationEntry<'_>> {
    spec.paths
        .paths
        .iter()
        .filter_map(|(path, item)| item.as_item().map(|item| (path, item)))
        .flat_map(|(path, item)| {
            item.iter()
                .map(move |(method, op)| (path.as_str(), method, op, item.parameters.as_slice()))
        })
        .collect()
}

fn template_names(path: &str) -> BTreeSet<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::problems;

    const SPEC: &str = include_str!("../../openapi/connect-v1.yaml");

    #[test]
    fn the_workspace_spec_has_no_problems() {
        assert_eq!(problems(SPEC), Vec::<String>::new());
    }

    #[test]
    fn every_bound_spec_has_no_problems() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for bound in crate::SPECS {
            let text = std::fs::read_to_string(root.join(bound.source())).expect("the spec reads");
            assert_eq!(problems(&text), Vec::<String>::new(), "{}", bound.file);
        }
    }

    #[test]
    fn a_path_parameter_missing_from_the_template_is_a_problem() {
        // The GET's path only: the other operations keep theirs.
        let spec = SPEC.replacen("{connector_name}/offsets:", "{connector}/offsets:", 1);
        assert_eq!(
            problems(&spec),
            vec![
                "GET /connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector}/offsets: `{connector}` has no path parameter",
                "GET /connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector}/offsets: path parameter `connector_name` is not in the path",
            ]
        );
    }

    #[test]
    fn an_undeclared_security_scheme_is_a_problem() {
        // The GET's security only: the other operations keep theirs.
        let spec = SPEC.replacen("- cloud-api-key: []", "- cloud-key: []", 1);
        assert_eq!(
            problems(&spec),
            vec![
                "GET /connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}/offsets: security scheme `cloud-key` is not in components.securitySchemes"
            ]
        );
    }

    #[test]
    fn a_missing_servers_entry_is_a_problem() {
        let spec = SPEC.replacen(
            "servers:\n- url: https://api.confluent.cloud\n  description: Confluent Cloud API\n",
            "",
            1,
        );
        assert_eq!(
            problems(&spec),
            vec!["there is no top-level `servers` entry"]
        );
    }

    #[test]
    fn openapi_3_1_is_a_problem() {
        let spec = SPEC.replace("openapi: 3.0.3", "openapi: 3.1.0");
        assert_eq!(problems(&spec).len(), 1);
        assert!(problems(&spec)[0].contains("OpenAPI 3.1.0"));
    }

    #[test]
    fn a_field_of_the_wrong_type_is_a_problem() {
        let spec = SPEC.replace(
            "        '200':\n          description: Connector Offsets.",
            "        '200':\n          description: [Connector Offsets.]",
        );
        let found = problems(&spec);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("the spec is not a valid OpenAPI 3.0 document"),
            "{found:?}"
        );
    }
}
