//! Path parameters: refused before sending when they would change which endpoint is called.
//!
//! The generated client percent-encodes `/`, `?`, `#`, `%`, spaces and non-ASCII characters in
//! path parameters, so such names reach the right connector. It leaves `.` and `..` as they
//! are, and URL parsers then resolve them as relative segments: a connector named `..` would
//! send the request to another endpoint. A backslash is read as `/` by URL parsers. Those, empty
//! values and control characters are refused here.

use crate::error::{Argument, Error};

/// Checks one path parameter.
pub(crate) fn check(argument: Argument, value: &str) -> Result<(), Error> {
    let refuse = |reason: String| Error::InvalidArgument {
        argument,
        value: value.to_string(),
        reason,
    };
    if value.is_empty() {
        return Err(refuse("it is empty".to_string()));
    }
    if value == "." || value == ".." {
        return Err(refuse(
            "it is a relative path segment, which would send the request to another endpoint"
                .to_string(),
        ));
    }
    if value.contains('\\') {
        return Err(refuse(
            "it contains a backslash, which URL parsers read as `/`, so the request could reach \
             another endpoint"
                .to_string(),
        ));
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(refuse(format!(
            "it contains the control character U+{:04X}",
            u32::from(c)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Argument, check};

    fn reason(value: &str) -> Option<String> {
        check(Argument::ConnectorName, value)
            .err()
            .map(|e| e.to_string())
    }

    #[test]
    fn ordinary_names_pass() {
        for name in [
            "MysqlSinkConnector",
            "a/b",
            "a?b#c",
            "50%",
            "with space",
            "naïve",
            "...",
        ] {
            assert_eq!(reason(name), None, "{name}");
        }
    }

    #[test]
    fn empty_is_refused() {
        assert_eq!(
            reason("").as_deref(),
            Some("invalid connector_name \"\": it is empty. No request was sent")
        );
    }

    #[test]
    fn dot_segments_are_refused() {
        for name in [".", ".."] {
            assert_eq!(
                reason(name),
                Some(format!(
                    "invalid connector_name \"{name}\": it is a relative path segment, which \
                     would send the request to another endpoint. No request was sent"
                ))
            );
        }
    }

    #[test]
    fn backslashes_are_refused() {
        assert!(reason("..\\..").is_some_and(|r| r.contains("backslash")));
    }

    #[test]
    fn control_characters_are_refused() {
        assert_eq!(
            reason("a\nb").as_deref(),
            Some(
                "invalid connector_name \"a\\nb\": it contains the control character U+000A. \
                 No request was sent"
            )
        );
    }
}
