//! Why credentials could not be had: which side refused (the identity provider or Confluent's
//! token exchange) and what to check.

use std::fmt;
use std::path::PathBuf;

use reqwest::StatusCode;

use crate::error::BoxError;
use crate::headers;

/// The two services a Confluent Cloud OAuth token comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenSide {
    /// Your identity provider's token endpoint (OAuth 2.0 client credentials), which issues the
    /// subject token (a JWT).
    IdentityProvider,
    /// Confluent's Security Token Service (`POST /sts/v1/oauth2/token`), which exchanges the
    /// subject token for a Confluent access token.
    TokenExchange,
}

impl TokenSide {
    /// The side as a tracing field's value: `identity_provider` or `token_exchange`.
    pub(crate) fn field_value(self) -> &'static str {
        match self {
            TokenSide::IdentityProvider => "identity_provider",
            TokenSide::TokenExchange => "token_exchange",
        }
    }
}

impl fmt::Display for TokenSide {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenSide::IdentityProvider => "the identity provider",
            TokenSide::TokenExchange => "Confluent's token exchange (STS)",
        })
    }
}

/// Why a [`CredentialsProvider`](crate::CredentialsProvider) could not give an
/// `Authorization` value. No variant holds a secret or a token, and none prints one: text that
/// a service answered is shown with any secret of the request cut out.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// A key, secret or token that an HTTP header cannot carry.
    #[error(
        "{what} holds a line break or another character that an HTTP header cannot carry \
         (pasted with it?): remove it"
    )]
    #[non_exhaustive]
    Unsendable {
        /// What it is, e.g. `the bearer token`.
        what: &'static str,
    },

    /// A service answered with a refusal: the identity provider with an OAuth 2.0 error
    /// (`invalid_client`, ...), or the token exchange with its documented error body.
    #[error(
        "{side} at {url} refused{}: {}{}. {}",
        status_text(*.status),
        code.as_deref().unwrap_or("no error code"),
        detail.as_deref().map(|d| format!(" ({})", d.trim_end_matches('.'))).unwrap_or_default(),
        refusal_advice(*.side, *.status, code.as_deref(), *.retry_after)
    )]
    #[non_exhaustive]
    Refused {
        /// Which side refused.
        side: TokenSide,
        /// The URL that was asked.
        url: String,
        /// The HTTP status, when known.
        status: Option<StatusCode>,
        /// The error code: OAuth 2.0's `error` (`invalid_client`, ...) or the exchange's `code`.
        code: Option<String>,
        /// What the service said about it (`error_description`, or the exchange's `detail`).
        detail: Option<String>,
        /// The `X-Request-Id` header, if sent.
        request_id: Option<String>,
        /// The answer's `Retry-After`, in seconds, if sent: the client waits that long before
        /// it asks again (as for the API's own 429).
        retry_after: Option<u64>,
    },

    /// A service answered with something that is neither a token nor a documented refusal: a
    /// proxy's page, an error of the service itself (5xx), a rate limit (429).
    #[error(
        "{side} at {url} answered {status}{}: {}. {}",
        request_id.as_deref().map(|id| format!(" (request id {id})")).unwrap_or_default(),
        if body_excerpt.is_empty() { "(an empty body)" } else { body_excerpt.as_str() },
        advice(*status, *retry_after)
    )]
    #[non_exhaustive]
    Unexpected {
        /// Which side answered.
        side: TokenSide,
        /// The URL that was asked.
        url: String,
        /// The HTTP status.
        status: StatusCode,
        /// The start of the body, with any secret of the request cut out.
        body_excerpt: String,
        /// The `X-Request-Id` header, if sent.
        request_id: Option<String>,
        /// The answer's `Retry-After`, in seconds, if sent: the client waits that long before
        /// it asks again (as for the API's own 429).
        retry_after: Option<u64>,
    },

    /// A service could not be reached, or the connection broke.
    #[error("could not reach {side} at {url}: {source}. Check the URL and the network")]
    #[non_exhaustive]
    Unreachable {
        /// Which side.
        side: TokenSide,
        /// The URL that was asked.
        url: String,
        /// The underlying error.
        #[source]
        source: BoxError,
    },

    /// The file that should hold the subject token could not be read, or is empty.
    #[error(
        "cannot read the subject token from {}: {reason}. Check that whatever keeps it fresh \
         (e.g. a projected service-account token) writes it there",
        path.display()
    )]
    #[non_exhaustive]
    SubjectTokenFile {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        reason: String,
    },

    /// A custom [`TokenSource`](crate::TokenSource) or provider failed.
    #[error("the credentials provider failed: {0}")]
    Other(#[source] BoxError),
}

impl CredentialsError {
    /// A custom provider's error.
    pub fn other(error: impl Into<BoxError>) -> CredentialsError {
        CredentialsError::Other(error.into())
    }

    /// Whether another try later could succeed: a service that could not be reached, failed
    /// (5xx) or limited the rate (429). The client retries those under its
    /// [`RetryPolicy`](crate::RetryPolicy).
    pub fn is_transient(&self) -> bool {
        match self {
            CredentialsError::Unreachable { .. } => true,
            CredentialsError::Unexpected { status, .. } => is_passing(*status),
            CredentialsError::Refused {
                status: Some(status),
                ..
            } => is_passing(*status),
            _ => false,
        }
    }

    /// The wait a service asked for with `Retry-After`, in seconds, before it is asked again.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            CredentialsError::Refused { retry_after, .. }
            | CredentialsError::Unexpected { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Which side refused or failed, when a service did.
    pub fn side(&self) -> Option<TokenSide> {
        match self {
            CredentialsError::Refused { side, .. }
            | CredentialsError::Unexpected { side, .. }
            | CredentialsError::Unreachable { side, .. } => Some(*side),
            _ => None,
        }
    }
}

fn is_passing(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

/// What to do about an unexpected answer with `status`, and the wait it asked for.
fn advice(status: StatusCode, retry_after: Option<u64>) -> String {
    match retry_after {
        _ if !is_passing(status) => "Check the URL".to_string(),
        Some(seconds) if headers::is_plausible_wait(seconds) => {
            format!("Retry after {seconds} s, as the service asked")
        }
        _ => "Retry later".to_string(),
    }
}

/// What to do about a refusal: wait, when the status says the service could not answer now
/// (a 429 or 5xx with an OAuth error body), else what to check.
fn refusal_advice(
    side: TokenSide,
    status: Option<StatusCode>,
    code: Option<&str>,
    retry_after: Option<u64>,
) -> String {
    match status {
        Some(status) if is_passing(status) => advice(status, retry_after),
        _ => what_to_check(side, code).to_string(),
    }
}

fn status_text(status: Option<StatusCode>) -> String {
    status.map(|s| format!(" with {s}")).unwrap_or_default()
}

/// What to check for a refusal by `side` with `code`.
fn what_to_check(side: TokenSide, code: Option<&str>) -> &'static str {
    match (side, code) {
        (TokenSide::IdentityProvider, Some("invalid_client" | "unauthorized_client")) => {
            "Check the client id and the client secret registered at your identity provider"
        }
        (TokenSide::IdentityProvider, Some("invalid_scope")) => {
            "Check the scope: your identity provider does not grant it to this client"
        }
        (TokenSide::IdentityProvider, _) => {
            "Check the token URL, the client id, the client secret and the scope with your \
             identity provider"
        }
        (TokenSide::TokenExchange, Some(code)) if code.contains("pool") => {
            "Check the identity pool id (pool-...) and that the pool exists in your Confluent \
             Cloud organization"
        }
        (TokenSide::TokenExchange, Some(code)) if code.contains("expired") => {
            "The subject token expired: fetch a new one from the identity provider (a file \
             must be kept fresh by whatever writes it)"
        }
        (TokenSide::TokenExchange, _) => {
            "Check that the identity provider is registered in Confluent Cloud, that the \
             identity pool's filter accepts its tokens, and the identity pool id"
        }
    }
}

/// `text` with every non-empty secret in `secrets` replaced by `[REDACTED]`: a service that
/// quotes the request in its error must not put a secret into a log.
pub(crate) fn scrub(text: &str, secrets: &[&str]) -> String {
    secrets
        .iter()
        .filter(|secret| !secret.is_empty())
        .fold(text.to_string(), |text, secret| {
            text.replace(secret, "[REDACTED]")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_of_the_client_says_which_side_and_what_to_check() {
        let error = CredentialsError::Refused {
            side: TokenSide::IdentityProvider,
            url: "https://idp.example/token".to_string(),
            status: Some(StatusCode::UNAUTHORIZED),
            code: Some("invalid_client".to_string()),
            detail: Some("bad secret".to_string()),
            request_id: None,
            retry_after: None,
        };
        assert_eq!(
            error.to_string(),
            "the identity provider at https://idp.example/token refused with 401 Unauthorized: \
             invalid_client (bad secret). Check the client id and the client secret registered \
             at your identity provider"
        );
        assert!(!error.is_transient());
        assert_eq!(error.side(), Some(TokenSide::IdentityProvider));
    }

    #[test]
    fn a_refusal_with_429_says_to_wait_not_what_to_check() {
        let error = CredentialsError::Refused {
            side: TokenSide::IdentityProvider,
            url: "https://idp.example/token".to_string(),
            status: Some(StatusCode::TOO_MANY_REQUESTS),
            code: Some("temporarily_unavailable".to_string()),
            detail: None,
            request_id: None,
            retry_after: Some(10),
        };
        assert!(error.is_transient());
        assert_eq!(
            error.to_string(),
            "the identity provider at https://idp.example/token refused with 429 Too Many \
             Requests: temporarily_unavailable. Retry after 10 s, as the service asked"
        );
    }

    #[test]
    fn a_5xx_or_429_answer_is_transient_and_a_404_is_not() {
        assert!(unexpected(503, None).is_transient());
        assert!(unexpected(429, None).is_transient());
        assert!(!unexpected(404, None).is_transient());
    }

    fn unexpected(status: u16, retry_after: Option<u64>) -> CredentialsError {
        CredentialsError::Unexpected {
            side: TokenSide::TokenExchange,
            url: "https://sts.example/sts/v1/oauth2/token".to_string(),
            status: StatusCode::from_u16(status).unwrap(),
            body_excerpt: String::new(),
            request_id: None,
            retry_after,
        }
    }

    #[test]
    fn a_429_with_retry_after_says_how_long_to_wait() {
        let error = unexpected(429, Some(30));
        assert_eq!(error.retry_after(), Some(30));
        assert_eq!(
            error.to_string(),
            "Confluent's token exchange (STS) at https://sts.example/sts/v1/oauth2/token answered \
             429 Too Many Requests: (an empty body). Retry after 30 s, as the service asked"
        );
    }

    #[test]
    fn a_retry_after_that_no_one_means_is_not_passed_on_as_advice() {
        assert_eq!(
            unexpected(503, Some(1_796_293_778)).to_string(),
            "Confluent's token exchange (STS) at https://sts.example/sts/v1/oauth2/token answered \
             503 Service Unavailable: (an empty body). Retry later"
        );
    }

    #[test]
    fn scrub_cuts_every_secret_out() {
        assert_eq!(
            scrub(
                "client s3cr3t and token eyJ.t.s",
                &["s3cr3t", "eyJ.t.s", ""]
            ),
            "client [REDACTED] and token [REDACTED]"
        );
    }
}
