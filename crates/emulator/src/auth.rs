//! Who is calling: HTTP Basic with an API key and secret, or a bearer token.

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use base64::Engine as _;

use crate::config::Credential;

/// The index of the matching credential, or why the request is not authenticated (the 401 message).
pub(crate) fn identify(
    headers: &HeaderMap,
    credentials: &[Credential],
) -> Result<usize, &'static str> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Err(
            "Missing credentials: send a Cloud API key and secret with HTTP Basic auth, or a bearer token.",
        );
    };
    let value = value
        .to_str()
        .map_err(|_| "The Authorization header is not readable text.")?;
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest.trim())
            .map_err(|_| "The Basic credentials are not valid base64.")?;
        let decoded =
            String::from_utf8(decoded).map_err(|_| "The Basic credentials are not UTF-8.")?;
        let (key, secret) = decoded
            .split_once(':')
            .ok_or("The Basic credentials must be `key:secret`.")?;
        credentials
            .iter()
            .position(|c| {
                c.api_key.as_deref() == Some(key)
                    && c.api_secret
                        .as_deref()
                        .is_some_and(|s| same(s.as_bytes(), secret.as_bytes()))
            })
            .ok_or("Invalid API key or secret.")
    } else if scheme.eq_ignore_ascii_case("bearer") {
        let token = rest.trim();
        credentials
            .iter()
            .position(|c| {
                c.bearer_token
                    .as_deref()
                    .is_some_and(|t| same(t.as_bytes(), token.as_bytes()))
            })
            .ok_or("Invalid or expired bearer token.")
    } else {
        Err("Unsupported authorization scheme: use Basic (API key and secret) or Bearer (token).")
    }
}

/// Compares secrets in time that depends only on their lengths.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn credentials() -> Vec<Credential> {
        vec![
            Credential::api_key("KEY", "SECRET"),
            Credential::bearer_token("TOKEN"),
        ]
    }

    fn with(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn basic_with_the_right_secret_is_the_first_credential() {
        assert_eq!(
            identify(&with("Basic S0VZOlNFQ1JFVA=="), &credentials()),
            Ok(0)
        );
    }

    #[test]
    fn a_bearer_token_is_the_second_credential() {
        assert_eq!(identify(&with("Bearer TOKEN"), &credentials()), Ok(1));
    }

    #[test]
    fn a_wrong_secret_and_an_unknown_key_get_the_same_answer() {
        let wrong_secret = identify(&with("Basic S0VZOm5vcGU="), &credentials());
        let unknown_key = identify(&with("Basic bm9wZTpTRUNSRVQ="), &credentials());
        assert_eq!(wrong_secret, Err("Invalid API key or secret."));
        assert_eq!(unknown_key, wrong_secret);
    }

    #[test]
    fn no_header_asks_for_credentials() {
        assert!(
            identify(&HeaderMap::new(), &credentials())
                .unwrap_err()
                .starts_with("Missing credentials")
        );
    }

    #[test]
    fn garbage_basic_credentials_are_refused() {
        assert_eq!(
            identify(&with("Basic %%%"), &credentials()),
            Err("The Basic credentials are not valid base64.")
        );
        assert_eq!(
            identify(&with("Basic S0VZ"), &credentials()),
            Err("The Basic credentials must be `key:secret`.")
        );
    }
}
