//! The shapes of the identifiers in the API's paths. A request whose identifier has the wrong
//! shape is answered 400, as the service does, before anything is looked up.

/// The longest connector name accepted.
pub const MAX_CONNECTOR_NAME_LEN: usize = 256;

/// An environment id: `env-` and lowercase letters or digits.
pub fn check_environment_id(id: &str) -> Result<(), String> {
    check_prefixed("environment id", "env-", id)
}

/// A Kafka cluster id: `lkc-` and lowercase letters or digits.
pub fn check_cluster_id(id: &str) -> Result<(), String> {
    check_prefixed("Kafka cluster id", "lkc-", id)
}

/// A connector name: 1 to [`MAX_CONNECTOR_NAME_LEN`] bytes, no control characters.
pub fn check_connector_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("the connector name is empty".to_owned());
    }
    if name.len() > MAX_CONNECTOR_NAME_LEN {
        return Err(format!(
            "the connector name is {} bytes long; at most {MAX_CONNECTOR_NAME_LEN} are allowed",
            name.len()
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("the connector name contains a control character".to_owned());
    }
    Ok(())
}

fn check_prefixed(what: &str, prefix: &str, id: &str) -> Result<(), String> {
    let valid = id.strip_prefix(prefix).is_some_and(|tail| {
        !tail.is_empty()
            && tail
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "{what} {:?} is malformed: it must be {prefix:?} followed by lowercase letters or digits",
            shorten(id)
        ))
    }
}

/// How many characters of untrusted text error messages quote.
const QUOTED_LIMIT: usize = 120;

/// At most [`QUOTED_LIMIT`] characters of untrusted text, for error messages.
pub(crate) fn shorten(text: &str) -> String {
    match text.char_indices().nth(QUOTED_LIMIT) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_ids_pass() {
        assert_eq!(check_environment_id("env-a1b2"), Ok(()));
        assert_eq!(check_cluster_id("lkc-9z"), Ok(()));
        assert_eq!(check_connector_name("my sink: v2"), Ok(()));
    }

    #[test]
    fn an_environment_id_without_its_prefix_is_malformed() {
        assert_eq!(
            check_environment_id("lkc-1"),
            Err("environment id \"lkc-1\" is malformed: it must be \"env-\" followed by lowercase letters or digits".to_owned())
        );
    }

    #[test]
    fn a_cluster_id_with_upper_case_is_malformed() {
        assert!(check_cluster_id("lkc-ABC").is_err());
        assert!(check_cluster_id("lkc-").is_err());
    }

    #[test]
    fn a_long_id_is_shortened_in_the_message() {
        let message = check_environment_id(&"x".repeat(500)).unwrap_err();
        assert_eq!(
            message,
            format!(
                "environment id \"{}...\" is malformed: it must be \"env-\" followed by lowercase letters or digits",
                "x".repeat(QUOTED_LIMIT)
            )
        );
    }

    #[test]
    fn connector_names_are_bounded_and_printable() {
        assert_eq!(
            check_connector_name(""),
            Err("the connector name is empty".to_owned())
        );
        assert_eq!(
            check_connector_name(&"n".repeat(257)),
            Err("the connector name is 257 bytes long; at most 256 are allowed".to_owned())
        );
        assert_eq!(
            check_connector_name("a\nb"),
            Err("the connector name contains a control character".to_owned())
        );
    }
}
