//! Where the `Authorization` header of each request comes from: a static Cloud API key or
//! bearer token, or a provider that fetches short-lived access tokens and refreshes them before
//! they expire (Confluent Cloud OAuth, see [`OAuth`]).
//!
//! The client asks its [`CredentialsProvider`] for an [`Authorization`] before every request.
//! When the service answers 401 to a request, the client tells the provider
//! ([`CredentialsProvider::rejected`]); a provider that can fetch another token says so, and the
//! request is sent once more with the new one: once, never in a loop.
//!
//! Plug your own: implement [`CredentialsProvider`] for full control, or [`TokenSource`] (how
//! to fetch one access token) and wrap it in [`RefreshingCredentials`], which caches the token,
//! refreshes it ahead of its expiry and lets concurrent requests share one refresh.

mod error;
mod oauth;
mod refreshing;

use std::fmt;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

pub use error::{CredentialsError, TokenSide};
pub(crate) use oauth::OAuthContext;
pub use oauth::{
    OAUTH_CLIENT_ID_VAR, OAUTH_CLIENT_SECRET_VAR, OAUTH_IDENTITY_POOL_ID_VAR, OAUTH_SCOPE_VAR,
    OAUTH_SUBJECT_TOKEN_FILE_VAR, OAUTH_TOKEN_URL_VAR, OAuth,
};
pub use refreshing::{DEFAULT_REFRESH_AT, RefreshingCredentials};

/// A boxed future, as the methods of [`CredentialsProvider`] and [`TokenSource`] return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The value of one request's `Authorization` header. Its `Debug` shows no part of it.
#[derive(Clone, PartialEq, Eq)]
pub struct Authorization(HeaderValue);

impl Authorization {
    /// HTTP Basic authentication with a Cloud API key: the key id is the user name, the secret
    /// the password.
    ///
    /// Fails, with [`CredentialsError::Unsendable`], when the key or the secret holds a line
    /// break or another control character (pasted with the secret?).
    pub fn basic(key: &str, secret: &SecretString) -> Result<Authorization, CredentialsError> {
        let secret = secret.expose_secret();
        if has_control(key) || has_control(secret) {
            return Err(CredentialsError::Unsendable {
                what: "the API key or its secret",
            });
        }
        let pair = format!("{key}:{secret}");
        Self::from_text(
            &format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            ),
            "the API key or its secret",
        )
    }

    /// A bearer token, such as an access token from Confluent's Security Token Service.
    ///
    /// Fails, with [`CredentialsError::Unsendable`], when the token holds a control character
    /// or anything else an HTTP header cannot carry.
    pub fn bearer(token: &SecretString) -> Result<Authorization, CredentialsError> {
        let token = token.expose_secret();
        if has_control(token) {
            return Err(CredentialsError::Unsendable {
                what: "the bearer token",
            });
        }
        Self::from_text(&format!("Bearer {token}"), "the bearer token")
    }

    fn from_text(text: &str, what: &'static str) -> Result<Authorization, CredentialsError> {
        let mut value =
            HeaderValue::from_str(text).map_err(|_| CredentialsError::Unsendable { what })?;
        value.set_sensitive(true);
        Ok(Authorization(value))
    }

    /// The header's value, marked sensitive (HTTP/2 does not index it; `Debug` hides it).
    pub fn header_value(&self) -> &HeaderValue {
        &self.0
    }
}

impl fmt::Debug for Authorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Authorization([REDACTED])")
    }
}

fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

/// Where a [`Client`](crate::Client) gets the `Authorization` header of each request.
///
/// The built-in providers are a static Cloud API key or bearer token
/// ([`ClientBuilder::api_key`](crate::ClientBuilder::api_key),
/// [`ClientBuilder::bearer_token`](crate::ClientBuilder::bearer_token)), and
/// [`RefreshingCredentials`], which Confluent Cloud OAuth ([`OAuth`]) uses. Give your own to
/// [`ClientBuilder::credentials_provider`](crate::ClientBuilder::credentials_provider).
///
/// `Debug` must not show a secret: the client's `Debug` shows its provider's.
pub trait CredentialsProvider: fmt::Debug + Send + Sync + 'static {
    /// The `Authorization` value for the next request. Called before every request (each try
    /// of it), so keep it cheap when nothing needs refreshing. An error fails the request with
    /// [`Error::Credentials`](crate::Error::Credentials); one that
    /// [`is_transient`](CredentialsError::is_transient) is retried under the client's
    /// [`RetryPolicy`](crate::RetryPolicy).
    fn authorization(&self) -> BoxFuture<'_, Result<Authorization, CredentialsError>>;

    /// The service answered 401 to a request sent with `rejected`. Return `true` when the next
    /// [`authorization`](CredentialsProvider::authorization) will give another value (after a
    /// refresh, say): the client then sends the request once more. The default returns `false`:
    /// the 401 is the request's answer.
    fn rejected<'a>(&'a self, rejected: &'a Authorization) -> BoxFuture<'a, bool> {
        let _ = rejected;
        Box::pin(async { false })
    }
}

/// An access token and how long it lives, as a [`TokenSource`] fetches it.
#[derive(Clone)]
pub struct AccessToken {
    token: SecretString,
    lifetime: Option<Duration>,
}

impl AccessToken {
    /// A token that lives for `lifetime` from when it was asked for (`None`: until the service
    /// refuses it).
    pub fn new(token: impl Into<SecretString>, lifetime: Option<Duration>) -> AccessToken {
        AccessToken {
            token: token.into(),
            lifetime,
        }
    }

    /// The token.
    pub fn token(&self) -> &SecretString {
        &self.token
    }

    /// How long it lives from when it was asked for, if known.
    pub fn lifetime(&self) -> Option<Duration> {
        self.lifetime
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &"[REDACTED]")
            .field("lifetime", &self.lifetime)
            .finish()
    }
}

/// How to fetch one bearer access token, for [`RefreshingCredentials`] to cache and refresh.
///
/// ```
/// use std::time::Duration;
/// use confluent_connect::{AccessToken, BoxFuture, CredentialsError, TokenSource};
///
/// /// Reads a token that a sidecar keeps fresh in an environment variable.
/// #[derive(Debug)]
/// struct FromVariable;
///
/// impl TokenSource for FromVariable {
///     fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, CredentialsError>> {
///         Box::pin(async {
///             let token = std::env::var("MY_TOKEN").map_err(CredentialsError::other)?;
///             Ok(AccessToken::new(token, Some(Duration::from_secs(300))))
///         })
///     }
/// }
/// ```
pub trait TokenSource: fmt::Debug + Send + Sync + 'static {
    /// Fetches a new access token.
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, CredentialsError>>;
}

/// The provider a client shares among its clones.
///
/// It asserts unwind safety, so that `Client` and `ClientBuilder` stay `UnwindSafe` and
/// `RefUnwindSafe` with any provider: the client keeps no state of its own across a provider's
/// panic, and the built-in providers keep theirs behind a lock.
#[derive(Clone)]
pub(crate) struct SharedProvider(pub(crate) Arc<dyn CredentialsProvider>);

impl UnwindSafe for SharedProvider {}
impl RefUnwindSafe for SharedProvider {}

impl std::ops::Deref for SharedProvider {
    type Target = dyn CredentialsProvider;

    fn deref(&self) -> &Self::Target {
        self.0.as_ref()
    }
}

impl fmt::Debug for SharedProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// How a client authenticates its requests.
#[derive(Clone)]
pub(crate) enum ClientCredentials {
    /// A Cloud API key or a bearer token that never changes: a default header of the client's
    /// HTTP, so that nothing is done per request. `shown` is what `Debug` shows.
    Fixed {
        authorization: Authorization,
        shown: String,
    },
    /// Asked of a provider before each request.
    Provided(SharedProvider),
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientCredentials::Fixed { shown, .. } => f.write_str(shown),
            ClientCredentials::Provided(provider) => provider.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_is_the_base64_of_key_colon_secret_and_sensitive() {
        let authorization = Authorization::basic("KEY", &SecretString::from("SECRET")).unwrap();
        assert_eq!(authorization.header_value(), "Basic S0VZOlNFQ1JFVA==");
        assert!(authorization.header_value().is_sensitive());
    }

    #[test]
    fn a_line_break_in_a_secret_is_refused_without_showing_it() {
        let error = Authorization::basic("KEY", &SecretString::from("s3cr3t\n")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the API key or its secret holds a line break or another character that an HTTP \
             header cannot carry (pasted with it?): remove it"
        );
    }

    #[test]
    fn debug_of_an_authorization_and_a_token_shows_no_part_of_them() {
        let authorization = Authorization::bearer(&SecretString::from("eyJtoken")).unwrap();
        let token = AccessToken::new("eyJtoken", Some(Duration::from_secs(3)));
        assert_eq!(format!("{authorization:?}"), "Authorization([REDACTED])");
        assert_eq!(
            format!("{token:?}"),
            "AccessToken { token: \"[REDACTED]\", lifetime: Some(3s) }"
        );
    }
}
