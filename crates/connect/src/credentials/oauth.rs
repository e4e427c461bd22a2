//! Confluent Cloud OAuth: a subject token (a JWT) from your identity provider, by OAuth 2.0
//! client credentials or from a file, exchanged at Confluent's Security Token Service for a
//! Confluent access token.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use confluent_connect_api as api;
use oauth2::basic::BasicClient;
use oauth2::{AuthType, ClientId, ClientSecret, RequestTokenError, Scope, TokenResponse, TokenUrl};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use secrecy::{ExposeSecret, SecretString};

use tokio::time::Instant;
use tracing::{Instrument, Span, field};

use super::error::scrub;
use super::refreshing::share_of_lifetime;
use super::{
    AccessToken, BoxFuture, CredentialsError, RefreshingCredentials, SharedProvider, TokenSide,
    TokenSource,
};
use crate::client::check_url;
use crate::error::{BoxError, Error};
use crate::headers;
use crate::transport::{excerpt, read_start};

/// The variable [`Client::from_env`](crate::Client::from_env) reads the identity provider's
/// token URL from (the Confluent Terraform provider's `oauth_external_token_url`).
pub const OAUTH_TOKEN_URL_VAR: &str = "CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL";
/// The variable for the client id at the identity provider (`oauth_external_client_id`).
pub const OAUTH_CLIENT_ID_VAR: &str = "CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_ID";
/// The variable for the client secret at the identity provider
/// (`oauth_external_client_secret`).
pub const OAUTH_CLIENT_SECRET_VAR: &str = "CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET";
/// The variable for the scope asked of the identity provider, if it needs one
/// (`oauth_external_token_scope`; Microsoft Entra ID does).
pub const OAUTH_SCOPE_VAR: &str = "CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_SCOPE";
/// The variable for the Confluent Cloud identity pool id, `pool-...` (`oauth_identity_pool_id`).
pub const OAUTH_IDENTITY_POOL_ID_VAR: &str = "CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID";
/// The variable for a file that holds the subject token and that something else keeps fresh,
/// instead of client credentials (this crate's own; Terraform has no such setting).
pub const OAUTH_SUBJECT_TOKEN_FILE_VAR: &str = "CONFLUENT_CLOUD_OAUTH_SUBJECT_TOKEN_FILE";

const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const SUBJECT_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:jwt";
const REQUESTED_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";
/// The exchange's longest lifetime, and its default (the spec's `expires_in`: maximum 900).
const MAX_EXCHANGE_LIFETIME: Duration = Duration::from_secs(900);

/// Confluent Cloud OAuth credentials, for
/// [`ClientBuilder::oauth`](crate::ClientBuilder::oauth): where the subject token comes from,
/// and the identity pool to exchange it in.
///
/// The client fetches the subject token (a JWT) from your identity provider with OAuth 2.0
/// client credentials, or reads it from a file, exchanges it at Confluent's Security Token
/// Service (`POST /sts/v1/oauth2/token` at the client's base URL, unless
/// [`sts_base_url`](OAuth::sts_base_url) says otherwise) for a Confluent access token, and sends
/// that as `Authorization: Bearer`. Tokens are refreshed ahead of expiry by
/// [`RefreshingCredentials`]. The identity provider's subject token is kept and exchanged again
/// until the same share of its own lifetime has passed (an exchange that refuses a kept one is
/// tried once more with a new one), so that a subject token that lives an hour serves several
/// 15-minute access tokens.
///
/// ```
/// use confluent_connect::{Client, OAuth};
///
/// let client = Client::builder()
///     .oauth(
///         OAuth::client_credentials(
///             "https://login.example.com/oauth2/token",
///             "my-client-id",
///             "my-client-secret",
///             "pool-AbCd",
///         )
///         .scope("api://my-client-id/.default"),
///     )
///     .build()?;
/// # Ok::<(), confluent_connect::Error>(())
/// ```
#[derive(Clone)]
pub struct OAuth {
    subject: Subject,
    identity_pool_id: String,
    sts_base_url: Option<String>,
    lifetime: Duration,
    refresh_at: f64,
}

/// Where the subject token comes from.
#[derive(Clone)]
enum Subject {
    ClientCredentials {
        token_url: String,
        client_id: String,
        client_secret: SecretString,
        scope: Option<String>,
        secret_in_body: bool,
    },
    File(PathBuf),
}

impl fmt::Debug for OAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = f.debug_struct("OAuth");
        match &self.subject {
            Subject::ClientCredentials {
                token_url,
                client_id,
                scope,
                secret_in_body,
                ..
            } => shown
                .field("token_url", token_url)
                .field("client_id", client_id)
                .field("client_secret", &"[REDACTED]")
                .field("scope", scope)
                .field("secret_in_body", secret_in_body),
            Subject::File(path) => shown.field("subject_token_file", path),
        };
        shown
            .field("identity_pool_id", &self.identity_pool_id)
            .field("sts_base_url", &self.sts_base_url)
            .field("lifetime", &self.lifetime)
            .field("refresh_at", &self.refresh_at)
            .finish()
    }
}

impl OAuth {
    /// Subject tokens from your identity provider's token endpoint `token_url` by OAuth 2.0
    /// client credentials (the client id and secret sent with HTTP Basic authentication, as RFC
    /// 6749 prefers; see [`client_secret_in_body`](OAuth::client_secret_in_body)), exchanged in
    /// the identity pool `identity_pool_id` (`pool-...`).
    pub fn client_credentials(
        token_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
        identity_pool_id: impl Into<String>,
    ) -> OAuth {
        OAuth::new(
            Subject::ClientCredentials {
                token_url: token_url.into(),
                client_id: client_id.into(),
                client_secret: client_secret.into(),
                scope: None,
                secret_in_body: false,
            },
            identity_pool_id.into(),
        )
    }

    /// Subject tokens read from the file `path`, which something else keeps fresh (as
    /// Kubernetes does with a projected service-account token), exchanged in the identity pool
    /// `identity_pool_id`. The file is read again for every exchange; surrounding white space is
    /// ignored.
    pub fn subject_token_file(
        path: impl Into<PathBuf>,
        identity_pool_id: impl Into<String>,
    ) -> OAuth {
        OAuth::new(Subject::File(path.into()), identity_pool_id.into())
    }

    fn new(subject: Subject, identity_pool_id: String) -> OAuth {
        OAuth {
            subject,
            identity_pool_id,
            sts_base_url: None,
            lifetime: MAX_EXCHANGE_LIFETIME,
            refresh_at: super::DEFAULT_REFRESH_AT,
        }
    }

    /// The scope to ask the identity provider for (client credentials only; ignored for a
    /// subject token file). Microsoft Entra ID needs one, e.g. `api://<client id>/.default`.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        if let Subject::ClientCredentials { scope: given, .. } = &mut self.subject {
            *given = Some(scope.into());
        }
        self
    }

    /// Sends the client id and secret as form fields of the token request
    /// (`client_secret_post`) instead of HTTP Basic authentication, for an identity provider
    /// that wants them so.
    pub fn client_secret_in_body(mut self) -> Self {
        if let Subject::ClientCredentials { secret_in_body, .. } = &mut self.subject {
            *secret_in_body = true;
        }
        self
    }

    /// Where the Security Token Service is; default: the client's base URL (Confluent Cloud's,
    /// or a local emulator's).
    pub fn sts_base_url(mut self, url: impl Into<String>) -> Self {
        self.sts_base_url = Some(url.into());
        self
    }

    /// How long the exchanged access token should live (the exchange's `expires_in`); default
    /// and most: 900 s. Whole seconds, at least 1.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime.clamp(Duration::from_secs(1), MAX_EXCHANGE_LIFETIME);
        self
    }

    /// Refreshes the access token after this share of its lifetime; default
    /// [`DEFAULT_REFRESH_AT`](crate::DEFAULT_REFRESH_AT) (see
    /// [`RefreshingCredentials::refresh_at`]).
    pub fn refresh_at(mut self, share: f64) -> Self {
        self.refresh_at = share;
        self
    }

    /// The provider the client uses: these settings, the client's HTTP and base URL.
    pub(crate) fn into_provider(self, context: OAuthContext) -> Result<SharedProvider, Error> {
        if self.identity_pool_id.trim().is_empty() {
            return Err(Error::Config(
                "OAuth needs the identity pool id (pool-...) to exchange tokens in".to_string(),
            ));
        }
        let subject = match self.subject {
            Subject::ClientCredentials {
                token_url,
                client_id,
                client_secret,
                scope,
                secret_in_body,
            } => {
                let url = check_url(
                    &token_url,
                    "the identity provider's token URL",
                    context.allow_insecure_http,
                )?;
                if client_id.trim().is_empty() || client_secret.expose_secret().trim().is_empty() {
                    return Err(Error::Config(
                        "OAuth client credentials need a client id and a client secret".to_string(),
                    ));
                }
                let client = BasicClient::new(ClientId::new(client_id.clone()))
                    .set_client_secret(ClientSecret::new(client_secret.expose_secret().to_string()))
                    .set_token_uri(TokenUrl::new(url.clone()).map_err(|e| {
                        Error::Config(format!("the identity provider's token URL: {e}"))
                    })?)
                    .set_auth_type(if secret_in_body {
                        AuthType::RequestBody
                    } else {
                        AuthType::BasicAuth
                    });
                SubjectSource::Idp(Box::new(Idp {
                    client,
                    token_url: url,
                    client_id,
                    client_secret,
                    scope,
                    refresh_at: share_of_lifetime(self.refresh_at),
                    cached: Mutex::new(None),
                }))
            }
            Subject::File(path) => SubjectSource::File(path),
        };
        let sts_base = match &self.sts_base_url {
            Some(url) => check_url(url, "the STS base URL", context.allow_insecure_http)?,
            None => context.base_url.clone(),
        };
        let source = ConfluentOAuth {
            subject,
            sts_url: format!("{sts_base}/sts/v1/oauth2/token"),
            sts: api::sts::Client::new_with_client(
                &sts_base,
                context.http.clone(),
                api::ResponseHooks::default().with_body_limit(context.body_limit),
            ),
            http: context.http,
            identity_pool_id: self.identity_pool_id,
            lifetime: self.lifetime,
        };
        Ok(SharedProvider(Arc::new(
            RefreshingCredentials::new(source).refresh_at(self.refresh_at),
        )))
    }
}

/// What the client gives [`OAuth`] to build its provider with.
pub(crate) struct OAuthContext {
    /// The client's HTTP (its timeouts, redirect policy, user agent).
    pub(crate) http: reqwest::Client,
    /// The client's base URL, checked, without a trailing `/`.
    pub(crate) base_url: String,
    /// The client's response body limit.
    pub(crate) body_limit: usize,
    /// Whether plain `http://` to another host than this machine is allowed.
    pub(crate) allow_insecure_http: bool,
}

/// Where [`ConfluentOAuth`] gets subject tokens.
enum SubjectSource {
    Idp(Box<Idp>),
    File(PathBuf),
}

/// An identity provider's token endpoint, asked with client credentials.
struct Idp {
    client: BasicClient<
        oauth2::EndpointNotSet,
        oauth2::EndpointNotSet,
        oauth2::EndpointNotSet,
        oauth2::EndpointNotSet,
        oauth2::EndpointSet,
    >,
    token_url: String,
    client_id: String,
    client_secret: SecretString,
    scope: Option<String>,
    /// After which share of its lifetime a subject token is fetched again.
    refresh_at: f64,
    /// The subject token fetched last, while it may be exchanged again.
    cached: Mutex<Option<CachedSubject>>,
}

/// A subject token of the identity provider, kept for the exchanges of its lifetime.
struct CachedSubject {
    token: SecretString,
    refresh_after: Instant,
}

/// The token source of Confluent Cloud OAuth: a subject token, exchanged at the STS.
struct ConfluentOAuth {
    subject: SubjectSource,
    sts: api::sts::Client,
    sts_url: String,
    http: reqwest::Client,
    identity_pool_id: String,
    lifetime: Duration,
}

impl fmt::Debug for ConfluentOAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = f.debug_struct("ConfluentOAuth");
        match &self.subject {
            SubjectSource::Idp(idp) => shown
                .field("token_url", &idp.token_url)
                .field("client_id", &idp.client_id)
                .field("client_secret", &"[REDACTED]")
                .field("scope", &idp.scope),
            SubjectSource::File(path) => shown.field("subject_token_file", path),
        };
        shown
            .field("sts_url", &self.sts_url)
            .field("identity_pool_id", &self.identity_pool_id)
            .field("lifetime", &self.lifetime)
            .finish()
    }
}

impl TokenSource for ConfluentOAuth {
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, CredentialsError>> {
        Box::pin(async move {
            let idp = match &self.subject {
                SubjectSource::Idp(idp) => idp,
                SubjectSource::File(path) => {
                    return self.exchange(&read_subject_token(path).await?).await;
                }
            };
            let (subject, was_cached) = idp.subject_token(&self.http).await?;
            match self.exchange(&subject).await {
                // The exchange may refuse a kept subject token that the identity provider
                // would still call fresh (revoked, or clocks apart): once, with a new one.
                Err(CredentialsError::Refused { .. }) if was_cached => {
                    idp.forget();
                    let (subject, _) = idp.subject_token(&self.http).await?;
                    self.exchange(&subject).await
                }
                exchanged => exchanged,
            }
        })
    }
}

impl Idp {
    /// The kept subject token while less than the refresh share of its lifetime has passed,
    /// else a new one; and whether it was the kept one.
    async fn subject_token(
        &self,
        http: &reqwest::Client,
    ) -> Result<(SecretString, bool), CredentialsError> {
        let asked = Instant::now();
        if let Some(cached) = self.lock_cached().as_ref()
            && asked < cached.refresh_after
        {
            return Ok((cached.token.clone(), true));
        }
        let (token, lifetime) = self.fetch(http).await?;
        // A token without a lifetime is not kept: nothing says how long it may be exchanged.
        *self.lock_cached() = lifetime.map(|lifetime| CachedSubject {
            token: token.clone(),
            refresh_after: asked + lifetime.mul_f64(self.refresh_at),
        });
        Ok((token, false))
    }

    /// Drops the kept subject token.
    fn forget(&self) {
        *self.lock_cached() = None;
    }

    fn lock_cached(&self) -> std::sync::MutexGuard<'_, Option<CachedSubject>> {
        self.cached.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A subject token by OAuth 2.0 client credentials, and its lifetime if the answer says.
    async fn fetch(
        &self,
        http: &reqwest::Client,
    ) -> Result<(SecretString, Option<Duration>), CredentialsError> {
        let secrets = [self.client_secret.expose_secret()];
        let send = Sender {
            http,
            seen: Mutex::new(None),
        };
        let mut request = self.client.exchange_client_credentials();
        if let Some(scope) = &self.scope {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let span = token_request_span(TokenSide::IdentityProvider, &self.token_url);
        let started = Instant::now();
        let outcome = request.request_async(&send).instrument(span.clone()).await;
        let seen = send
            .seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let asked = Asked::new(
            TokenSide::IdentityProvider,
            &self.token_url,
            &secrets,
            seen.as_ref().map(|(status, headers)| (*status, headers)),
        )
        .recorded_in(&span, started);
        match outcome {
            Ok(token) => Ok((
                SecretString::from(token.access_token().secret().as_str()),
                token.expires_in().filter(|lifetime| !lifetime.is_zero()),
            )),
            Err(RequestTokenError::ServerResponse(refusal)) => Err(asked.refused(
                Some(refusal.error().as_ref()),
                refusal.error_description().map(String::as_str),
            )),
            Err(RequestTokenError::Request(source)) => Err(asked.unreachable(source)),
            Err(RequestTokenError::Parse(error, body)) => Err(asked.undecodable(&error, &body)),
            Err(RequestTokenError::Other(message)) => {
                let status = asked.status.unwrap_or(StatusCode::OK);
                Err(asked.unexpected(status, &message))
            }
        }
    }
}

/// Sends oauth2's requests with the client's HTTP, and keeps the last answer's status and
/// headers for the error (oauth2 keeps only the body).
struct Sender<'h> {
    http: &'h reqwest::Client,
    seen: Mutex<Option<(StatusCode, HeaderMap)>>,
}

impl<'c> oauth2::AsyncHttpClient<'c> for Sender<'_> {
    type Error = reqwest::Error;
    type Future = BoxFuture<'c, Result<oauth2::HttpResponse, reqwest::Error>>;

    fn call(&'c self, request: oauth2::HttpRequest) -> Self::Future {
        Box::pin(async move {
            let mut request = reqwest::Request::try_from(request.map(reqwest::Body::from))?;
            if let Some(value) = request
                .headers_mut()
                .get_mut(reqwest::header::AUTHORIZATION)
            {
                value.set_sensitive(true);
            }
            let mut response = self.http.execute(request).await?;
            let status = response.status();
            let headers = response.headers().clone();
            *self.seen.lock().unwrap_or_else(PoisonError::into_inner) =
                Some((status, headers.clone()));
            let (body, failed) = read_start(&mut response).await;
            if let Some(error) = failed {
                return Err(error);
            }
            let mut answer = oauth2::HttpResponse::new(body);
            *answer.status_mut() = status;
            *answer.headers_mut() = headers;
            Ok(answer)
        })
    }
}

/// The tracing span of one request for a token to `side` at `url` (never a secret: a token URL
/// holds no credentials, the client refuses one that does).
fn token_request_span(side: TokenSide, url: &str) -> Span {
    tracing::info_span!(
        "confluent_connect.token_request",
        side = side.field_value(),
        url,
        status = field::Empty,
        duration_ms = field::Empty,
        request_id = field::Empty,
    )
}

/// One token request, for its errors: the side and URL asked, what its answer's status line
/// and headers said (when it was answered), and the secrets to cut out of any text quoted.
struct Asked<'a> {
    side: TokenSide,
    url: &'a str,
    secrets: &'a [&'a str],
    status: Option<StatusCode>,
    request_id: Option<String>,
    retry_after: Option<u64>,
}

impl<'a> Asked<'a> {
    fn new(
        side: TokenSide,
        url: &'a str,
        secrets: &'a [&'a str],
        answer: Option<(StatusCode, &HeaderMap)>,
    ) -> Self {
        Asked {
            side,
            url,
            secrets,
            status: answer.map(|(status, _)| status),
            request_id: answer.and_then(|(_, headers)| headers::request_id(headers)),
            retry_after: answer.and_then(|(_, headers)| headers::retry_after(headers)),
        }
    }

    /// Records in `span` how the request that began at `started` was answered.
    fn recorded_in(self, span: &Span, started: Instant) -> Self {
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        if let Some(status) = self.status {
            span.record("status", status.as_u16());
        }
        if let Some(id) = &self.request_id {
            span.record("request_id", id.as_str());
        }
        self
    }

    /// A documented refusal with its error `code` and `detail`.
    fn refused(self, code: Option<&str>, detail: Option<&str>) -> CredentialsError {
        CredentialsError::Refused {
            side: self.side,
            url: self.url.to_string(),
            status: self.status,
            code: code.map(|code| scrub(code, self.secrets)),
            detail: detail.map(|text| scrub(text, self.secrets)),
            request_id: self.request_id,
            retry_after: self.retry_after,
        }
    }

    /// An answer with `status` that is neither a token nor a refusal, shown by `text`.
    fn unexpected(self, status: StatusCode, text: &str) -> CredentialsError {
        CredentialsError::Unexpected {
            side: self.side,
            url: self.url.to_string(),
            status,
            body_excerpt: scrub(text, self.secrets),
            request_id: self.request_id,
            retry_after: self.retry_after,
        }
    }

    /// An answer whose `body` did not decode, for `error`: a success answer may hold a token,
    /// so only why it did not decode; another answer's start.
    fn undecodable(self, error: &dyn fmt::Display, body: &[u8]) -> CredentialsError {
        let status = self.status.unwrap_or(StatusCode::OK);
        if status.is_success() {
            let why = format!(
                "an answer that is not a token answer, not shown as it may hold one ({error})"
            );
            self.unexpected(status, &why)
        } else {
            self.unexpected(status, &excerpt(body))
        }
    }

    /// No answer: the service could not be reached, or the connection broke.
    fn unreachable(self, source: impl Into<BoxError>) -> CredentialsError {
        CredentialsError::Unreachable {
            side: self.side,
            url: self.url.to_string(),
            source: source.into(),
        }
    }
}

/// The subject token in `path`, without surrounding white space.
async fn read_subject_token(path: &Path) -> Result<SecretString, CredentialsError> {
    let refuse = |reason: String| CredentialsError::SubjectTokenFile {
        path: path.to_path_buf(),
        reason,
    };
    let text = tokio::fs::read_to_string(path)
        .await
        .map_err(|e| refuse(e.to_string()))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(refuse("the file is empty".to_string()));
    }
    Ok(SecretString::from(token))
}

impl ConfluentOAuth {
    /// Exchanges `subject` at the STS for a Confluent access token.
    async fn exchange(&self, subject: &SecretString) -> Result<AccessToken, CredentialsError> {
        let secrets = [subject.expose_secret()];
        let body = api::sts::types::ExchangeStsV1OauthTokenBody::builder()
            .grant_type(GRANT_TYPE)
            .subject_token(subject.expose_secret())
            .subject_token_type(SUBJECT_TOKEN_TYPE)
            .identity_pool_id(self.identity_pool_id.as_str())
            .requested_token_type(REQUESTED_TOKEN_TYPE)
            .expires_in(i32::try_from(self.lifetime.as_secs()).unwrap_or(900));
        let span = token_request_span(TokenSide::TokenExchange, &self.sts_url);
        let started = Instant::now();
        let (outcome, observed) =
            api::observe(self.sts.exchange_sts_v1_oauth_token().body(body).send())
                .instrument(span.clone())
                .await;
        let asked = Asked::new(
            TokenSide::TokenExchange,
            &self.sts_url,
            &secrets,
            observed.as_ref().map(|seen| (seen.status, &seen.headers)),
        )
        .recorded_in(&span, started);
        match outcome {
            Ok(reply) => {
                let reply = reply.into_inner();
                let lifetime = u64::try_from(reply.expires_in)
                    .ok()
                    .filter(|&seconds| seconds > 0)
                    .map(Duration::from_secs);
                Ok(AccessToken::new(reply.access_token, lifetime))
            }
            Err(api::Error::ErrorResponse(refusal)) => {
                let asked = Asked {
                    status: Some(refusal.status()),
                    ..asked
                };
                let first = refusal.into_inner().errors.into_iter().next();
                Err(asked.refused(
                    first.as_ref().and_then(|e| e.code.as_deref()),
                    first
                        .as_ref()
                        .and_then(|e| e.detail.as_deref().or(e.title.as_deref())),
                ))
            }
            Err(api::Error::UnexpectedResponse(mut response)) => {
                let (body, _) = read_start(&mut response).await;
                Err(asked.unexpected(response.status(), &excerpt(&body)))
            }
            Err(api::Error::InvalidResponsePayload(body, error)) => {
                Err(asked.undecodable(&error, &body))
            }
            Err(
                api::Error::CommunicationError(source)
                | api::Error::InvalidUpgrade(source)
                | api::Error::ResponseBodyError(source),
            ) => Err(asked.unreachable(source)),
            Err(api::Error::InvalidRequest(message) | api::Error::Custom(message)) => {
                Err(CredentialsError::other(scrub(&message, &secrets)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_oauth_shows_the_client_id_and_pool_but_not_the_secret() {
        let oauth = OAuth::client_credentials(
            "https://idp.example/token",
            "client-1",
            "client-s3cr3t",
            "pool-1",
        );
        let text = format!("{oauth:?}");
        assert!(!text.contains("client-s3cr3t"), "{text}");
        assert_eq!(
            text,
            "OAuth { token_url: \"https://idp.example/token\", client_id: \"client-1\", \
             client_secret: \"[REDACTED]\", scope: None, secret_in_body: false, \
             identity_pool_id: \"pool-1\", sts_base_url: None, lifetime: 900s, refresh_at: 0.8 }"
        );
    }

    #[test]
    fn a_token_lifetime_is_kept_between_1_and_900_seconds() {
        let oauth =
            |secs| OAuth::subject_token_file("t", "p").token_lifetime(Duration::from_secs(secs));
        assert_eq!(oauth(0).lifetime, Duration::from_secs(1));
        assert_eq!(oauth(60).lifetime, Duration::from_secs(60));
        assert_eq!(oauth(3600).lifetime, Duration::from_secs(900));
    }

    #[tokio::test]
    async fn an_empty_subject_token_file_is_refused_with_its_path() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), " \n").unwrap();
        let error = read_subject_token(file.path()).await.unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "cannot read the subject token from {}: the file is empty. Check that whatever \
                 keeps it fresh (e.g. a projected service-account token) writes it there",
                file.path().display()
            )
        );
    }

    #[tokio::test]
    async fn a_subject_token_file_is_read_without_surrounding_white_space() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), "  eyJ.a.b\n").unwrap();
        assert_eq!(
            read_subject_token(file.path())
                .await
                .unwrap()
                .expose_secret(),
            "eyJ.a.b"
        );
    }
}
