//! Who is calling: HTTP Basic with an API key and secret, or a bearer token (a configured one, or
//! an access token the STS issued).

use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use base64::Engine as _;

use crate::config::Credential;
use crate::oauth::{AccessCheck, OAuthState};

/// Who a request comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Caller {
    /// The credential of this index in the configuration.
    Credential(usize),
    /// An access token the STS issued in the identity pool of this index.
    IdentityPool(usize),
}

/// Why a request is not authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unauthenticated {
    /// Missing, unreadable or unknown credentials: the 401 message.
    Refused(&'static str),
    /// An access token the STS issued, expired.
    ExpiredAccessToken,
}

impl Unauthenticated {
    /// The 401 message.
    pub(crate) fn message(self) -> &'static str {
        match self {
            Unauthenticated::Refused(message) => message,
            Unauthenticated::ExpiredAccessToken => EXPIRED_ACCESS_TOKEN,
        }
    }
}

/// The 401 message for an access token of the STS that has expired. The path is spelled out
/// (`concat!` takes literals only); a test checks that it is the STS's.
const EXPIRED_ACCESS_TOKEN: &str = "The access token has expired: exchange a new subject token at /sts/v1/oauth2/token for a new access token.";

/// Who sent the request, or why it is not authenticated. Bearer tokens are looked up among the
/// credentials first, then among the access tokens `oauth` issued, expired at `now_ms`.
pub(crate) fn identify(
    headers: &HeaderMap,
    credentials: &[Credential],
    oauth: Option<&OAuthState>,
    now_ms: u64,
) -> Result<Caller, Unauthenticated> {
    let refused = Unauthenticated::Refused;
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Err(refused(
            "Missing credentials: send a Cloud API key and secret with HTTP Basic auth, or a bearer token.",
        ));
    };
    let value = value
        .to_str()
        .map_err(|_| refused("The Authorization header is not readable text."))?;
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest.trim())
            .map_err(|_| refused("The Basic credentials are not valid base64."))?;
        let decoded = String::from_utf8(decoded)
            .map_err(|_| refused("The Basic credentials are not UTF-8."))?;
        let (key, secret) = decoded
            .split_once(':')
            .ok_or(refused("The Basic credentials must be `key:secret`."))?;
        credentials
            .iter()
            .position(|c| {
                c.api_key.as_deref() == Some(key)
                    && c.api_secret
                        .as_deref()
                        .is_some_and(|s| same(s.as_bytes(), secret.as_bytes()))
            })
            .map(Caller::Credential)
            .ok_or(refused("Invalid API key or secret."))
    } else if scheme.eq_ignore_ascii_case("bearer") {
        let token = rest.trim();
        let configured = credentials.iter().position(|c| {
            c.bearer_token
                .as_deref()
                .is_some_and(|t| same(t.as_bytes(), token.as_bytes()))
        });
        if let Some(index) = configured {
            return Ok(Caller::Credential(index));
        }
        match oauth.map(|oauth| oauth.check_access_token(token, now_ms)) {
            Some(AccessCheck::Valid { pool }) => Ok(Caller::IdentityPool(pool)),
            Some(AccessCheck::Expired) => Err(Unauthenticated::ExpiredAccessToken),
            Some(AccessCheck::Unknown) | None => Err(refused("Invalid or expired bearer token.")),
        }
    } else {
        Err(refused(
            "Unsupported authorization scheme: use Basic (API key and secret) or Bearer (token).",
        ))
    }
}

/// Compares secrets in time that depends only on their lengths.
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::router::STS_TOKEN_PATH;
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

    /// Who `headers` are from, without OAuth.
    fn caller(headers: &HeaderMap) -> Result<Caller, &'static str> {
        identify(headers, &credentials(), None, 0).map_err(Unauthenticated::message)
    }

    #[test]
    fn basic_with_the_right_secret_is_the_first_credential() {
        assert_eq!(
            caller(&with("Basic S0VZOlNFQ1JFVA==")),
            Ok(Caller::Credential(0))
        );
    }

    #[test]
    fn a_bearer_token_is_the_second_credential() {
        assert_eq!(caller(&with("Bearer TOKEN")), Ok(Caller::Credential(1)));
    }

    #[test]
    fn a_wrong_secret_and_an_unknown_key_get_the_same_answer() {
        let wrong_secret = caller(&with("Basic S0VZOm5vcGU="));
        let unknown_key = caller(&with("Basic bm9wZTpTRUNSRVQ="));
        assert_eq!(wrong_secret, Err("Invalid API key or secret."));
        assert_eq!(unknown_key, wrong_secret);
    }

    #[test]
    fn no_header_asks_for_credentials() {
        assert!(
            caller(&HeaderMap::new())
                .unwrap_err()
                .starts_with("Missing credentials")
        );
    }

    #[test]
    fn garbage_basic_credentials_are_refused() {
        assert_eq!(
            caller(&with("Basic %%%")),
            Err("The Basic credentials are not valid base64.")
        );
        assert_eq!(
            caller(&with("Basic S0VZ")),
            Err("The Basic credentials must be `key:secret`.")
        );
    }

    #[test]
    fn the_expired_token_message_names_the_sts_path() {
        assert!(EXPIRED_ACCESS_TOKEN.contains(&format!(" {STS_TOKEN_PATH} ")));
    }
}
