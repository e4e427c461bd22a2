//! The client, its builder, and where credentials come from.

use std::{fmt, sync::Arc, time::Duration};

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use secrecy::SecretString;

use crate::cluster::Cluster;
use crate::connector::Connector;
use crate::credentials::{
    Authorization, ClientCredentials, CredentialsError, CredentialsProvider, OAUTH_CLIENT_ID_VAR,
    OAUTH_CLIENT_SECRET_VAR, OAUTH_IDENTITY_POOL_ID_VAR, OAUTH_SCOPE_VAR,
    OAUTH_SUBJECT_TOKEN_FILE_VAR, OAUTH_TOKEN_URL_VAR, OAuth, OAuthContext, SharedProvider,
};
use crate::error::{Argument, Error};
use crate::pacing::Pacing;
use crate::redirect;
use crate::retry::RetryPolicy;
use crate::transport::Transport;

/// Confluent Cloud's API, where requests go unless told otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.confluent.cloud";
/// The variable [`Client::from_env`] reads the Cloud API key id from.
pub const API_KEY_VAR: &str = "CONFLUENT_CLOUD_API_KEY";
/// The variable [`Client::from_env`] reads the Cloud API key secret from.
pub const API_SECRET_VAR: &str = "CONFLUENT_CLOUD_API_SECRET";
/// The variable [`Client::from_env`] reads a base URL from, e.g. a local emulator's.
pub const BASE_URL_VAR: &str = "CONFLUENT_CLOUD_BASE_URL";
/// The default limit on one whole request, response body included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default limit on establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default limit on the size of one response body: 64 MiB, far above the offsets of a
/// connector with 100,000 partitions (about 10 MB).
pub const DEFAULT_RESPONSE_BODY_LIMIT: usize = 64 * 1024 * 1024;

/// A Confluent Cloud API client. Cheap to clone: clones share one connection pool.
///
/// ```no_run
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// use confluent_connect::Client;
///
/// let client = Client::builder().api_key("ABCDEFGH12345678", "my-secret").build()?;
/// let offsets = client.connector("env-abc123", "lkc-abc123", "orders-sink").offsets().await?;
/// for entry in offsets.sink()? {
///     println!("{} [{}] at {}", entry.topic, entry.partition, entry.offset);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    transport: Arc<Transport>,
}

/// The credentials a [`ClientBuilder`] was given, made into a provider by
/// [`ClientBuilder::build`].
#[derive(Clone)]
enum Credentials {
    /// A Cloud API key, sent with HTTP Basic authentication.
    ApiKey { key: String, secret: SecretString },
    /// An access token from Confluent's Security Token Service, sent as a bearer token.
    Bearer(SecretString),
    /// Confluent Cloud OAuth: tokens fetched, exchanged and refreshed.
    OAuth(OAuth),
    /// The user's own provider.
    Provider(SharedProvider),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::ApiKey { key, .. } => f.write_str(&shown_api_key(key)),
            Credentials::Bearer(_) => f.write_str(SHOWN_BEARER),
            Credentials::OAuth(oauth) => oauth.fmt(f),
            Credentials::Provider(provider) => provider.fmt(f),
        }
    }
}

/// What `Debug` shows of a bearer token.
const SHOWN_BEARER: &str = "BearerToken([REDACTED])";

/// What `Debug` shows of a Cloud API key.
fn shown_api_key(key: &str) -> String {
    format!("ApiKey {{ key: {key:?}, secret: \"[REDACTED]\" }}")
}

impl Credentials {
    /// How the client authenticates: a fixed header, or a provider (`oauth` builds Confluent
    /// Cloud OAuth's).
    fn into_client_credentials(
        self,
        oauth: impl FnOnce(OAuth) -> Result<SharedProvider, Error>,
    ) -> Result<ClientCredentials, Error> {
        let unsendable = |refused: CredentialsError| Error::Config(refused.to_string());
        Ok(match self {
            Credentials::ApiKey { key, secret } => ClientCredentials::Fixed {
                authorization: Authorization::basic(&key, &secret).map_err(unsendable)?,
                shown: shown_api_key(&key),
            },
            Credentials::Bearer(token) => ClientCredentials::Fixed {
                authorization: Authorization::bearer(&token).map_err(unsendable)?,
                shown: SHOWN_BEARER.to_string(),
            },
            Credentials::OAuth(settings) => ClientCredentials::Provided(oauth(settings)?),
            Credentials::Provider(provider) => ClientCredentials::Provided(provider),
        })
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.transport.base_url())
            .field("credentials", self.transport.credentials())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client with the Cloud API key from `CONFLUENT_CLOUD_API_KEY` and
    /// `CONFLUENT_CLOUD_API_SECRET` (the variables Confluent's Terraform provider reads), and
    /// the base URL from `CONFLUENT_CLOUD_BASE_URL` when it is set.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_vars(|name| std::env::var(name).ok())?.build()
    }

    /// A handle on one Kafka cluster's connectors: list, describe, create. Nothing is sent
    /// until you ask.
    pub fn cluster(
        &self,
        environment_id: impl Into<String>,
        kafka_cluster_id: impl Into<String>,
    ) -> Cluster {
        Cluster::new(
            Arc::clone(&self.transport),
            environment_id.into(),
            kafka_cluster_id.into(),
        )
    }

    /// A handle on one connector, for its offsets. Nothing is sent until you ask for them.
    pub fn connector(
        &self,
        environment_id: impl Into<String>,
        kafka_cluster_id: impl Into<String>,
        connector_name: impl Into<String>,
    ) -> Connector {
        Connector::new(
            Arc::clone(&self.transport),
            environment_id.into(),
            kafka_cluster_id.into(),
            connector_name.into(),
        )
    }

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        self.transport.base_url()
    }
}

/// Configures a [`Client`]. Credentials are required; everything else has a default.
#[derive(Clone)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    /// Extra headers for every request, as given: checked by [`ClientBuilder::build`].
    default_headers: Vec<(String, String)>,
    retry: RetryPolicy,
    body_limit: usize,
    pacing: Pacing,
    allow_insecure_http: bool,
    keep_answer_text: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            credentials: None,
            base_url: DEFAULT_BASE_URL.to_string(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: concat!("confluent-connect/", env!("CARGO_PKG_VERSION")).to_string(),
            default_headers: Vec::new(),
            retry: RetryPolicy::default(),
            body_limit: DEFAULT_RESPONSE_BODY_LIMIT,
            pacing: Pacing::default(),
            allow_insecure_http: false,
            keep_answer_text: false,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("credentials", &self.credentials)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("body_limit", &self.body_limit)
            .field("pacing", &self.pacing)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("keep_answer_text", &self.keep_answer_text)
            // Names only: a value may be something its owner would not want in a log.
            .field(
                "default_headers",
                &self
                    .default_headers
                    .iter()
                    .map(|(name, _)| name)
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl ClientBuilder {
    /// Authenticates with a Cloud API key (HTTP Basic: the key id is the user name, the
    /// secret the password). A Kafka cluster API key does not work here.
    pub fn api_key(mut self, key: impl Into<String>, secret: impl Into<SecretString>) -> Self {
        self.credentials = Some(Credentials::ApiKey {
            key: key.into(),
            secret: secret.into(),
        });
        self
    }

    /// Authenticates with an access token from Confluent's Security Token Service, sent as
    /// `Authorization: Bearer <token>`.
    pub fn bearer_token(mut self, token: impl Into<SecretString>) -> Self {
        self.credentials = Some(Credentials::Bearer(token.into()));
        self
    }

    /// Authenticates with Confluent Cloud OAuth: subject tokens from your identity provider
    /// (or a file), exchanged at Confluent's Security Token Service for access tokens, which
    /// are refreshed before they expire. See [`OAuth`].
    pub fn oauth(mut self, oauth: OAuth) -> Self {
        self.credentials = Some(Credentials::OAuth(oauth));
        self
    }

    /// Authenticates with your own [`CredentialsProvider`], asked for the `Authorization`
    /// header of every request (e.g. a [`RefreshingCredentials`](crate::RefreshingCredentials)
    /// over your own [`TokenSource`](crate::TokenSource)).
    pub fn credentials_provider(mut self, provider: impl CredentialsProvider) -> Self {
        self.credentials = Some(Credentials::Provider(SharedProvider(Arc::new(provider))));
        self
    }

    /// Where requests go; default [`DEFAULT_BASE_URL`]. Any path is kept as a prefix.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The limit on one whole request, reading the response included; default 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The limit on establishing a connection; default 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header; default `confluent-connect/<version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Adds a header sent with every request, e.g. `Prefer: code=404` to ask a
    /// [Prism](https://github.com/stoplightio/prism) mock of the spec for its documented 404
    /// answer, or a header that a proxy in front of the API needs. Calling it again with the
    /// same name (in any case) replaces the value.
    ///
    /// [`build`](ClientBuilder::build) refuses, with [`Error::InvalidArgument`], a name that is
    /// not an HTTP header name (`argument` is `header_name`), a value that cannot be sent in
    /// a header, such as one with a line break (`header_value`; the value is not shown, in case
    /// it is a secret), and `Authorization` and `User-Agent`, which have their own methods:
    /// [`api_key`](ClientBuilder::api_key), [`bearer_token`](ClientBuilder::bearer_token) and
    /// [`user_agent`](ClientBuilder::user_agent).
    ///
    /// ```
    /// use confluent_connect::Client;
    ///
    /// // A Prism mock of openapi/connect-v1.yaml answers with the example it is asked for.
    /// let client = Client::builder()
    ///     .api_key("KEY", "SECRET")
    ///     .base_url("http://127.0.0.1:4010")
    ///     .default_header("Prefer", "example=source")
    ///     .build()?;
    /// # Ok::<(), confluent_connect::Error>(())
    /// ```
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.default_headers
            .retain(|(given, _)| !given.eq_ignore_ascii_case(&name));
        self.default_headers.push((name, value.into()));
        self
    }

    /// How failed requests are retried; default [`RetryPolicy::default`] (4 tries within 60 s).
    /// [`RetryPolicy::none`] sends every request once.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How requests are spread over time and how many may be in flight; default
    /// [`Pacing::default`]: follow the service's rate-limit headers, at most 16 in flight.
    /// Every clone of the client shares one pacer.
    pub fn pacing(mut self, pacing: Pacing) -> Self {
        self.pacing = pacing;
        self
    }

    /// The most bytes of one response body that are read; default
    /// [`DEFAULT_RESPONSE_BODY_LIMIT`] (64 MiB). A longer (or endless) body is not read
    /// further: the request fails with [`Error::BodyTooLarge`], which is not retried.
    pub fn response_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Allows a plain `http://` base URL to a host other than this machine. Without it such a
    /// URL is refused, because the credentials would cross the network unencrypted; `http://`
    /// to `localhost`, 127.0.0.0/8 or `::1` (a local emulator) is always allowed.
    pub fn allow_insecure_http(mut self) -> Self {
        self.allow_insecure_http = true;
        self
    }

    /// Keeps the text of each offsets answer, exactly as the service sent it, in
    /// [`ConnectorOffsets::answer_text`](crate::ConnectorOffsets::answer_text): with the fields
    /// the spec does not have, which the typed offsets leave out. It costs a copy of each
    /// answer's body; off by default.
    pub fn keep_answer_text(mut self, keep: bool) -> Self {
        self.keep_answer_text = keep;
        self
    }

    /// Builds the client, checking the configuration.
    pub fn build(self) -> Result<Client, Error> {
        let credentials = self.credentials.ok_or_else(|| {
            Error::Config(format!(
                "no credentials: call ClientBuilder::api_key, ClientBuilder::bearer_token or \
                 ClientBuilder::oauth, or set {API_KEY_VAR} and {API_SECRET_VAR} and use \
                 Client::from_env"
            ))
        })?;
        let base_url = check_base_url(&self.base_url, self.allow_insecure_http)?;
        let mut headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let (name, value) = check_default_header(name, value)?;
            headers.insert(name, value);
        }
        let make_http = |headers: HeaderMap| {
            reqwest::Client::builder()
                .default_headers(headers)
                .user_agent(&self.user_agent)
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .redirect(redirect::policy())
                .build()
                .map_err(|e| Error::Config(format!("cannot set up HTTP: {e}")))
        };
        // OAuth's identity provider and token exchange are asked with the client's HTTP,
        // which then carries no credentials of its own.
        let mut oauth_http = None;
        let credentials = credentials.into_client_credentials(|settings| {
            let http = make_http(headers.clone())?;
            oauth_http = Some(http.clone());
            settings.into_provider(OAuthContext {
                http,
                base_url: base_url.clone(),
                body_limit: self.body_limit,
                allow_insecure_http: self.allow_insecure_http,
            })
        })?;
        let http = match (&credentials, oauth_http) {
            (_, Some(http)) => http,
            // The same header on every request: the HTTP client sends it.
            (ClientCredentials::Fixed { authorization, .. }, None) => {
                headers.insert(AUTHORIZATION, authorization.header_value().clone());
                make_http(headers)?
            }
            (ClientCredentials::Provided(_), None) => make_http(headers)?,
        };
        Ok(Client {
            transport: Arc::new(Transport::new(
                http,
                base_url,
                credentials,
                self.retry,
                self.body_limit,
                self.pacing,
                self.keep_answer_text,
            )),
        })
    }

    /// The builder [`Client::from_env`] uses, reading variables through `lookup`.
    fn from_vars(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let read = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let oauth_vars = [
            OAUTH_TOKEN_URL_VAR,
            OAUTH_CLIENT_ID_VAR,
            OAUTH_CLIENT_SECRET_VAR,
            OAUTH_SCOPE_VAR,
            OAUTH_IDENTITY_POOL_ID_VAR,
            OAUTH_SUBJECT_TOKEN_FILE_VAR,
        ];
        let oauth_set: Vec<&str> = oauth_vars
            .into_iter()
            .filter(|name| read(name).is_some())
            .collect();
        let key_set = read(API_KEY_VAR).is_some() || read(API_SECRET_VAR).is_some();
        let mut builder = match (key_set, oauth_set.first()) {
            (true, Some(oauth_var)) => {
                return Err(Error::Config(format!(
                    "both a Cloud API key ({API_KEY_VAR}, {API_SECRET_VAR}) and OAuth ({oauth_var}) \
                     are set in the environment: unset one of them"
                )));
            }
            (false, Some(_)) => ClientBuilder::default().oauth(oauth_from_vars(read)?),
            (_, None) => match (read(API_KEY_VAR), read(API_SECRET_VAR)) {
                (Some(key), Some(secret)) => ClientBuilder::default().api_key(key, secret),
                (Some(_), None) => {
                    return Err(Error::Config(format!(
                        "{API_KEY_VAR} is set but {API_SECRET_VAR} is not: set both"
                    )));
                }
                (None, Some(_)) => {
                    return Err(Error::Config(format!(
                        "{API_SECRET_VAR} is set but {API_KEY_VAR} is not: set both"
                    )));
                }
                (None, None) => {
                    return Err(Error::Config(format!(
                        "no credentials in the environment: set {API_KEY_VAR} and \
                         {API_SECRET_VAR} to a Cloud API key and its secret, or \
                         {OAUTH_IDENTITY_POOL_ID_VAR} with {OAUTH_TOKEN_URL_VAR}, \
                         {OAUTH_CLIENT_ID_VAR} and {OAUTH_CLIENT_SECRET_VAR} (or \
                         {OAUTH_SUBJECT_TOKEN_FILE_VAR}) for OAuth"
                    )));
                }
            },
        };
        if let Some(url) = read(BASE_URL_VAR) {
            builder = builder.base_url(url);
        }
        Ok(builder)
    }
}

/// The OAuth settings of the `CONFLUENT_CLOUD_OAUTH_*` variables, read through `read`.
fn oauth_from_vars(read: impl Fn(&str) -> Option<String>) -> Result<OAuth, Error> {
    let pool = read(OAUTH_IDENTITY_POOL_ID_VAR).ok_or_else(|| {
        Error::Config(format!(
            "OAuth variables are set but {OAUTH_IDENTITY_POOL_ID_VAR} is not: set it to the \
             identity pool id (pool-...) to exchange tokens in"
        ))
    })?;
    match (
        read(OAUTH_SUBJECT_TOKEN_FILE_VAR),
        read(OAUTH_TOKEN_URL_VAR),
    ) {
        (Some(_), Some(_)) => Err(Error::Config(format!(
            "both {OAUTH_SUBJECT_TOKEN_FILE_VAR} and {OAUTH_TOKEN_URL_VAR} are set: the subject \
             token comes from a file or from the identity provider, unset one of them"
        ))),
        (Some(file), None) => Ok(OAuth::subject_token_file(file, pool)),
        (None, Some(url)) => {
            let missing: Vec<&str> = [OAUTH_CLIENT_ID_VAR, OAUTH_CLIENT_SECRET_VAR]
                .into_iter()
                .filter(|name| read(name).is_none())
                .collect();
            let (Some(id), Some(secret)) =
                (read(OAUTH_CLIENT_ID_VAR), read(OAUTH_CLIENT_SECRET_VAR))
            else {
                return Err(Error::Config(format!(
                    "{OAUTH_TOKEN_URL_VAR} is set but {} is not: set the client id and secret \
                     registered at the identity provider",
                    missing.join(" and ")
                )));
            };
            let oauth = OAuth::client_credentials(url, id, secret, pool);
            Ok(match read(OAUTH_SCOPE_VAR) {
                Some(scope) => oauth.scope(scope),
                None => oauth,
            })
        }
        (None, None) => Err(Error::Config(format!(
            "OAuth needs where the subject token comes from: set {OAUTH_TOKEN_URL_VAR}, \
             {OAUTH_CLIENT_ID_VAR} and {OAUTH_CLIENT_SECRET_VAR} (client credentials at your \
             identity provider), or {OAUTH_SUBJECT_TOKEN_FILE_VAR}"
        ))),
    }
}

/// Checks one header given to [`ClientBuilder::default_header`].
fn check_default_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), Error> {
    let refuse_name = |reason: String| Error::InvalidArgument {
        argument: Argument::HeaderName,
        value: name.to_string(),
        reason,
    };
    let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        refuse_name(
            "not an HTTP header name: use letters, digits and !#$%&'*+-.^_`|~, without spaces \
             or a colon"
                .to_string(),
        )
    })?;
    if header_name == AUTHORIZATION {
        return Err(refuse_name(
            "credentials have their own methods: use ClientBuilder::api_key or \
             ClientBuilder::bearer_token"
                .to_string(),
        ));
    }
    if header_name == USER_AGENT {
        return Err(refuse_name(
            "it has its own method: use ClientBuilder::user_agent".to_string(),
        ));
    }
    let header_value = HeaderValue::from_str(value).map_err(|_| Error::InvalidArgument {
        argument: Argument::HeaderValue,
        value: "[not shown]".to_string(),
        reason: format!(
            "the value of header {name:?} contains a line break or another control character, \
             which a header cannot carry (it is not shown in case it is a secret)"
        ),
    })?;
    Ok((header_name, header_value))
}

fn check_base_url(text: &str, allow_insecure_http: bool) -> Result<String, Error> {
    check_url(text, "the base URL", allow_insecure_http)
}

/// Checks a URL the client sends credentials to (`what` names it in the error), and gives it
/// without a trailing `/`.
pub(crate) fn check_url(
    text: &str,
    what: &str,
    allow_insecure_http: bool,
) -> Result<String, Error> {
    let parsed = reqwest::Url::parse(text.trim());
    // A message quotes the URL without any user name or password in it.
    let shown = match &parsed {
        Ok(url) if !url.username().is_empty() || url.password().is_some() => {
            let mut shown = url.clone();
            let _ = shown.set_username("");
            let _ = shown.set_password(None);
            shown.to_string()
        }
        _ => text.to_string(),
    };
    let refuse = |why: &str| Error::Config(format!("{what} {shown:?} {why}"));
    let url = parsed.map_err(|e| {
        refuse(&format!(
            "is not a URL ({e}); expected e.g. {DEFAULT_BASE_URL}"
        ))
    })?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(refuse(
            "must start with https:// (or http:// for a local server)",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(refuse("must not have a query or a fragment"));
    }
    if url.scheme() == "http" && !allow_insecure_http && !is_loopback(&url) {
        return Err(refuse(
            "is plain http to a host that is not this machine, which would send the credentials \
             unencrypted: use https://, or call ClientBuilder::allow_insecure_http for a network \
             you trust",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse(
            "must not carry credentials: use ClientBuilder::api_key instead",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// Whether the URL's host is this machine: `localhost`, 127.0.0.0/8 or `::1`.
fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn from(vars: &[(&str, &str)]) -> Result<ClientBuilder, Error> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ClientBuilder::from_vars(|name| vars.get(name).cloned())
    }

    #[test]
    fn env_with_key_and_secret_builds_a_client_on_the_default_url() {
        let client = from(&[(API_KEY_VAR, "KEY1"), (API_SECRET_VAR, "s3cr3t")])
            .and_then(ClientBuilder::build)
            .unwrap();
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
    }

    #[test]
    fn env_base_url_is_used() {
        let client = from(&[
            (API_KEY_VAR, "KEY1"),
            (API_SECRET_VAR, "s3cr3t"),
            (BASE_URL_VAR, "http://127.0.0.1:8080/"),
        ])
        .and_then(ClientBuilder::build)
        .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:8080");
    }

    #[test]
    fn env_without_credentials_names_both_variables() {
        assert_eq!(
            from(&[]).unwrap_err().to_string(),
            "cannot configure the Confluent Cloud client: no credentials in the environment: set \
             CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET to a Cloud API key and its \
             secret, or CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID with \
             CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL, CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_ID and \
             CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET (or \
             CONFLUENT_CLOUD_OAUTH_SUBJECT_TOKEN_FILE) for OAuth"
        );
    }

    #[test]
    fn env_with_key_but_no_secret_names_the_missing_one() {
        assert_eq!(
            from(&[(API_KEY_VAR, "KEY1"), (API_SECRET_VAR, "  ")])
                .unwrap_err()
                .to_string(),
            "cannot configure the Confluent Cloud client: CONFLUENT_CLOUD_API_KEY is set but \
             CONFLUENT_CLOUD_API_SECRET is not: set both"
        );
    }

    const OAUTH: [(&str, &str); 4] = [
        (OAUTH_TOKEN_URL_VAR, "http://127.0.0.1:9/oauth2/token"),
        (OAUTH_CLIENT_ID_VAR, "client-1"),
        (OAUTH_CLIENT_SECRET_VAR, "client-s3cr3t"),
        (OAUTH_IDENTITY_POOL_ID_VAR, "pool-1"),
    ];

    #[test]
    fn env_with_oauth_client_credentials_builds_an_oauth_client() {
        let client = from(&OAUTH).and_then(ClientBuilder::build).unwrap();
        let text = format!("{client:?}");
        assert!(
            text.contains(
                "token_url: \"http://127.0.0.1:9/oauth2/token\", client_id: \"client-1\""
            ),
            "{text}"
        );
        assert!(text.contains("identity_pool_id: \"pool-1\""), "{text}");
        assert!(!text.contains("client-s3cr3t"), "{text}");
    }

    #[test]
    fn env_with_oauth_scope_asks_for_it() {
        let mut vars = OAUTH.to_vec();
        vars.push((OAUTH_SCOPE_VAR, "api://client-1/.default"));
        let text = format!("{:?}", from(&vars).unwrap());
        assert!(
            text.contains("scope: Some(\"api://client-1/.default\")"),
            "{text}"
        );
    }

    #[test]
    fn env_with_a_subject_token_file_builds_an_oauth_client() {
        let builder = from(&[
            (
                OAUTH_SUBJECT_TOKEN_FILE_VAR,
                "/var/run/secrets/tokens/confluent",
            ),
            (OAUTH_IDENTITY_POOL_ID_VAR, "pool-1"),
        ])
        .unwrap();
        let text = format!("{builder:?}");
        assert!(
            text.contains("subject_token_file: \"/var/run/secrets/tokens/confluent\""),
            "{text}"
        );
    }

    #[test]
    fn env_with_oauth_but_no_pool_names_the_pool_variable() {
        assert_eq!(
            from(&OAUTH[..3]).unwrap_err().to_string(),
            "cannot configure the Confluent Cloud client: OAuth variables are set but \
             CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID is not: set it to the identity pool id \
             (pool-...) to exchange tokens in"
        );
    }

    #[test]
    fn env_with_a_token_url_but_no_client_secret_names_it() {
        let vars = [OAUTH[0], OAUTH[1], OAUTH[3]];
        assert_eq!(
            from(&vars).unwrap_err().to_string(),
            "cannot configure the Confluent Cloud client: \
             CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL is set but \
             CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET is not: set the client id and secret \
             registered at the identity provider"
        );
    }

    #[test]
    fn env_with_a_pool_alone_says_where_the_subject_token_can_come_from() {
        assert_eq!(
            from(&[OAUTH[3]]).unwrap_err().to_string(),
            "cannot configure the Confluent Cloud client: OAuth needs where the subject token \
             comes from: set CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL, \
             CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_ID and \
             CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET (client credentials at your identity \
             provider), or CONFLUENT_CLOUD_OAUTH_SUBJECT_TOKEN_FILE"
        );
    }

    #[test]
    fn env_with_both_a_token_url_and_a_subject_token_file_is_refused() {
        let mut vars = OAUTH.to_vec();
        vars.push((OAUTH_SUBJECT_TOKEN_FILE_VAR, "/tmp/token"));
        assert_eq!(
            from(&vars).unwrap_err().to_string(),
            "cannot configure the Confluent Cloud client: both \
             CONFLUENT_CLOUD_OAUTH_SUBJECT_TOKEN_FILE and \
             CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL are set: the subject token comes from a \
             file or from the identity provider, unset one of them"
        );
    }

    #[test]
    fn env_with_both_an_api_key_and_oauth_is_refused() {
        let mut vars = OAUTH.to_vec();
        vars.push((API_KEY_VAR, "KEY1"));
        assert_eq!(
            from(&vars).unwrap_err().to_string(),
            "cannot configure the Confluent Cloud client: both a Cloud API key \
             (CONFLUENT_CLOUD_API_KEY, CONFLUENT_CLOUD_API_SECRET) and OAuth \
             (CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL) are set in the environment: unset one of \
             them"
        );
    }

    #[test]
    fn an_oauth_token_url_over_plain_http_to_another_host_is_refused() {
        let error = Client::builder()
            .oauth(OAuth::client_credentials(
                "http://idp.example.com/token",
                "client-1",
                "client-s3cr3t",
                "pool-1",
            ))
            .build()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot configure the Confluent Cloud client: the identity provider's token URL \
             \"http://idp.example.com/token\" is plain http to a host that is not this machine, \
             which would send the credentials unencrypted: use https://, or call \
             ClientBuilder::allow_insecure_http for a network you trust"
        );
    }

    #[test]
    fn build_without_credentials_says_how_to_give_them() {
        let error = Client::builder().build().unwrap_err().to_string();
        assert!(
            error.contains("no credentials: call ClientBuilder::api_key"),
            "{error}"
        );
    }

    #[test]
    fn a_base_url_that_is_not_a_url_is_refused() {
        let error = Client::builder()
            .api_key("k", "s")
            .base_url("api.confluent.cloud")
            .build()
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "cannot configure the Confluent Cloud client: the base URL \"api.confluent.cloud\" \
             is not a URL (relative URL without a base); expected e.g. https://api.confluent.cloud"
        );
    }

    #[test]
    fn plain_http_to_another_host_is_refused() {
        let error = Client::builder()
            .api_key("KEY", "SECRET")
            .base_url("http://api.example.com")
            .build()
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot configure the Confluent Cloud client: the base URL \"http://api.example.com\" is \
             plain http to a host that is not this machine, which would send the credentials \
             unencrypted: use https://, or call ClientBuilder::allow_insecure_http for a network \
             you trust"
        );
    }

    #[test]
    fn plain_http_to_this_machine_is_allowed() {
        for url in [
            "http://127.0.0.1:8080",
            "http://127.3.2.1",
            "http://localhost:1",
            "http://[::1]:9",
        ] {
            let built = Client::builder()
                .api_key("KEY", "SECRET")
                .base_url(url)
                .build();
            assert!(built.is_ok(), "{url}: {built:?}");
        }
    }

    #[test]
    fn plain_http_to_another_host_is_allowed_when_asked_for() {
        let built = Client::builder()
            .api_key("KEY", "SECRET")
            .base_url("http://10.0.0.5:8080")
            .allow_insecure_http()
            .build();
        assert!(built.is_ok(), "{built:?}");
    }

    #[test]
    fn a_base_url_with_credentials_is_refused_without_showing_them() {
        let error = Client::builder()
            .api_key("KEY", "SECRET")
            .base_url("https://someone:hunter2@api.example.com/")
            .build()
            .unwrap_err()
            .to_string();

        assert_eq!(
            error,
            "cannot configure the Confluent Cloud client: the base URL \"https://api.example.com/\" \
             must not carry credentials: use ClientBuilder::api_key instead"
        );
    }

    #[test]
    fn a_base_url_with_a_query_is_refused() {
        let error = Client::builder()
            .api_key("k", "s")
            .base_url("https://example.test/?a=b")
            .build()
            .unwrap_err();
        assert!(
            error
                .to_string()
                .ends_with("must not have a query or a fragment")
        );
    }

    #[test]
    fn a_secret_with_a_line_break_is_refused_without_showing_it() {
        let error = Client::builder()
            .api_key("KEY1", "s3cr3t\n")
            .build()
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "cannot configure the Confluent Cloud client: the API key or its secret holds a line \
             break or another character that an HTTP header cannot carry (pasted with it?): \
             remove it"
        );
    }

    /// The `InvalidArgument` that building with one default header `name: value` fails with.
    fn refused_header(name: &str, value: &str) -> (&'static str, String, String) {
        match Client::builder()
            .api_key("KEY1", "s3cr3t")
            .default_header(name, value)
            .build()
        {
            Err(Error::InvalidArgument {
                argument,
                value,
                reason,
            }) => (argument.name(), value, reason),
            other => panic!("expected Error::InvalidArgument, got {other:?}"),
        }
    }

    #[test]
    fn a_default_header_with_a_valid_name_and_value_builds() {
        let client = Client::builder()
            .api_key("KEY1", "s3cr3t")
            .default_header("Prefer", "code=404")
            .default_header("X-Team", "payments ✓")
            .build();
        assert!(client.is_ok(), "{client:?}");
    }

    #[test]
    fn a_default_header_name_with_a_space_is_refused_and_named() {
        let (argument, value, reason) = refused_header("X Team", "payments");
        assert_eq!(argument, "header_name");
        assert_eq!(value, "X Team");
        assert_eq!(
            reason,
            "not an HTTP header name: use letters, digits and !#$%&'*+-.^_`|~, without spaces or \
             a colon"
        );
    }

    #[test]
    fn an_empty_default_header_name_is_refused() {
        let (argument, value, _) = refused_header("", "payments");
        assert_eq!((argument, value.as_str()), ("header_name", ""));
    }

    #[test]
    fn a_default_header_name_with_a_colon_is_refused() {
        let (argument, value, _) = refused_header("Prefer:", "code=404");
        assert_eq!((argument, value.as_str()), ("header_name", "Prefer:"));
    }

    #[test]
    fn a_default_header_value_with_a_line_break_is_refused_without_showing_it() {
        let error = Client::builder()
            .api_key("KEY1", "s3cr3t")
            .default_header("X-Token", "hidden-value\r\nX-Injected: 1")
            .build()
            .unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(!text.contains("hidden-value"), "{text}");
        let Error::InvalidArgument {
            argument,
            value,
            reason,
        } = error
        else {
            panic!("expected Error::InvalidArgument, got {error:?}");
        };
        assert_eq!(argument, Argument::HeaderValue);
        assert_eq!(value, "[not shown]");
        assert_eq!(
            reason,
            "the value of header \"X-Token\" contains a line break or another control \
             character, which a header cannot carry (it is not shown in case it is a secret)"
        );
    }

    #[test]
    fn authorization_as_a_default_header_is_refused_in_any_case() {
        for name in ["Authorization", "authorization", "AUTHORIZATION"] {
            let (argument, value, reason) = refused_header(name, "Basic a2V5OnNlY3JldA==");
            assert_eq!(argument, "header_name");
            assert_eq!(value, name);
            assert_eq!(
                reason,
                "credentials have their own methods: use ClientBuilder::api_key or \
                 ClientBuilder::bearer_token"
            );
        }
    }

    #[test]
    fn refused_authorization_does_not_show_its_value() {
        let error = Client::builder()
            .api_key("KEY1", "s3cr3t")
            .default_header("Authorization", "Bearer token-value")
            .build()
            .unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(!text.contains("token-value"), "{text}");
    }

    #[test]
    fn user_agent_as_a_default_header_is_refused() {
        let (argument, value, reason) = refused_header("user-agent", "my-tool/1.0");
        assert_eq!(argument, "header_name");
        assert_eq!(value, "user-agent");
        assert_eq!(
            reason,
            "it has its own method: use ClientBuilder::user_agent"
        );
    }

    #[test]
    fn a_default_header_given_again_replaces_the_earlier_value() {
        // The invalid first value would be refused if it were still there.
        let client = Client::builder()
            .api_key("KEY1", "s3cr3t")
            .default_header("Prefer", "code=404\n")
            .default_header("prefer", "code=500")
            .build();
        assert!(client.is_ok(), "{client:?}");
    }

    #[test]
    fn builder_debug_shows_default_header_names_but_not_values() {
        let builder = Client::builder().default_header("X-Api-Token", "header-secret-value");
        let text = format!("{builder:?}");
        assert!(text.contains("X-Api-Token"), "{text}");
        assert!(!text.contains("header-secret-value"), "{text}");
    }

    #[test]
    fn a_bearer_token_with_a_control_character_is_refused_naming_it() {
        let error = Client::builder()
            .bearer_token("token-value\u{7f}")
            .build()
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "cannot configure the Confluent Cloud client: the bearer token holds a line break or \
             another character that an HTTP header cannot carry (pasted with it?): remove it"
        );
    }

    #[test]
    fn debug_shows_no_secret_or_token() {
        let builder = Client::builder().api_key("KEY1", "s3cr3t-value");
        let client = builder.clone().build().unwrap();
        let bearer = Client::builder().bearer_token("eyJhbGciOi.token-value");
        for text in [
            format!("{builder:?}"),
            format!("{client:?}"),
            format!("{bearer:?}"),
            format!("{:?}", bearer.clone().build().unwrap()),
        ] {
            assert!(!text.contains("s3cr3t-value"), "{text}");
            assert!(!text.contains("token-value"), "{text}");
            assert!(text.contains("REDACTED"), "{text}");
        }
    }
}
