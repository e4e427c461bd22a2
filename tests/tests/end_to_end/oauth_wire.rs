//! Confluent Cloud OAuth on the wire: what the client asks the identity provider and the token
//! exchange (STS), what it sends the API, when it fetches a new token, and how each side's
//! refusal comes out. One local mock server plays the three parts.

use std::collections::BTreeMap;
use std::sync::Arc;

use base64::Engine;
use confluent_connect::{
    AccessToken, Authorization, BoxFuture, Client, CredentialsError, CredentialsProvider, Error,
    Hint, OAuth, RefreshingCredentials, RetryPolicy, StatusCode, TokenSide, TokenSource,
};
use confluent_connect_tests::{
    CLUSTER, CONNECTOR, ENV, default_offsets_path, named_example, quick_retries,
};
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Where the mock identity provider answers.
const IDP_PATH: &str = "/idp/oauth2/token";
/// Where Confluent's token exchange answers, as its spec says.
const STS_PATH: &str = "/sts/v1/oauth2/token";
const CLIENT_ID: &str = "client-1";
const CLIENT_SECRET: &str = "client-s3cr3t-value";
const POOL: &str = "pool-AbCd";
const SUBJECT: &str = "eyJhbGciOiJSUzI1NiJ9.c3ViamVjdA.subject-signature";

/// The form fields of a request body.
fn form(request: &Request) -> BTreeMap<String, String> {
    form_urlencoded::parse(&request.body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The identity provider's answer: a subject token that lives an hour.
fn idp_token() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": SUBJECT,
        "token_type": "Bearer",
        "expires_in": 3600
    }))
}

/// The STS's answers: `sts-token-1`, `sts-token-2`, ... each living `lifetime` seconds.
struct NumberedExchange {
    issued: std::sync::atomic::AtomicU32,
    lifetime: u32,
}

impl Respond for NumberedExchange {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self
            .issued
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            + 1;
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": format!("sts-token-{n}"),
            "issued_token_type": "urn:ietf:params:oauth:token-type:access_token",
            "token_type": "Bearer",
            "expires_in": self.lifetime
        }))
    }
}

fn numbered(lifetime: u32) -> NumberedExchange {
    NumberedExchange {
        issued: std::sync::atomic::AtomicU32::new(0),
        lifetime,
    }
}

/// A server whose identity provider answers `idp`, whose STS answers `sts`, and whose API
/// answers the default connector's offsets to a request with `Bearer sts-token-1` or
/// `Bearer sts-token-2`.
async fn servers(idp: ResponseTemplate, sts: impl Respond + 'static) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(IDP_PATH))
        .respond_with(idp)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(STS_PATH))
        .respond_with(sts)
        .mount(&server)
        .await;
    for token in ["sts-token-1", "sts-token-2"] {
        Mock::given(method("GET"))
            .and(path(default_offsets_path()))
            .and(header("authorization", format!("Bearer {token}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(named_example(200, "sink")))
            .mount(&server)
            .await;
    }
    server
}

/// Makes `server`'s API answer 401 to the offsets read sent with `Bearer token`, or to every
/// offsets read when `token` is `None`, ahead of its other answers.
async fn refuse_with_401(server: &MockServer, token: Option<&str>) {
    let refusal = Mock::given(method("GET")).and(path(default_offsets_path()));
    let refusal = match token {
        Some(token) => refusal.and(header("authorization", format!("Bearer {token}"))),
        None => refusal,
    };
    refusal
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": {"code": 401, "message": "Invalid or expired token"}
        })))
        .with_priority(1)
        .mount(server)
        .await;
}

fn client_credentials(server: &MockServer) -> OAuth {
    OAuth::client_credentials(
        format!("{}{IDP_PATH}", server.uri()),
        CLIENT_ID,
        CLIENT_SECRET,
        POOL,
    )
}

fn client(server: &MockServer, oauth: OAuth, retry: RetryPolicy) -> Client {
    Client::builder()
        .oauth(oauth)
        .base_url(server.uri())
        .retry_policy(retry)
        .build()
        .unwrap()
}

/// The requests `server` received at `route`.
async fn received(server: &MockServer, route: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .into_iter()
        .filter(|request| request.url.path() == route)
        .collect()
}

/// The `Authorization` of each offsets read `server` received, in order.
async fn sent_authorizations(server: &MockServer) -> Vec<String> {
    received(server, &default_offsets_path())
        .await
        .iter()
        .map(|request| {
            request.headers["authorization"]
                .to_str()
                .expect("a text header")
                .to_string()
        })
        .collect()
}

async fn read(client: &Client) -> Result<(), Error> {
    client
        .connector(ENV, CLUSTER, CONNECTOR)
        .offsets()
        .await
        .map(|offsets| assert_eq!(offsets.name.as_deref(), Some("MysqlSinkConnector")))
}

fn string_map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn client_credentials_are_asked_with_basic_auth_and_the_scope() {
    let server = servers(idp_token(), numbered(900)).await;
    let client = client(
        &server,
        client_credentials(&server).scope("api://client-1/.default"),
        RetryPolicy::none(),
    );

    read(&client).await.unwrap();

    let idp = received(&server, IDP_PATH).await;
    assert_eq!(idp.len(), 1);
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    assert_eq!(
        idp[0].headers["authorization"],
        format!("Basic {basic}").as_str()
    );
    assert_eq!(
        idp[0].headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        form(&idp[0]),
        string_map(&[
            ("grant_type", "client_credentials"),
            ("scope", "api://client-1/.default")
        ])
    );
}

#[tokio::test]
async fn client_secret_in_body_sends_the_id_and_secret_as_form_fields() {
    let server = servers(idp_token(), numbered(900)).await;
    let client = client(
        &server,
        client_credentials(&server).client_secret_in_body(),
        RetryPolicy::none(),
    );

    read(&client).await.unwrap();

    let idp = received(&server, IDP_PATH).await;
    assert!(idp[0].headers.get("authorization").is_none());
    assert_eq!(
        form(&idp[0]),
        string_map(&[
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET)
        ])
    );
}

#[tokio::test]
async fn the_subject_token_is_exchanged_as_the_sts_spec_says_and_its_token_sent_as_bearer() {
    let server = servers(idp_token(), numbered(900)).await;
    let client = client(&server, client_credentials(&server), RetryPolicy::none());

    read(&client).await.unwrap();

    let sts = received(&server, STS_PATH).await;
    assert_eq!(sts.len(), 1);
    assert_eq!(
        sts[0].headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert!(sts[0].headers.get("authorization").is_none());
    assert_eq!(
        form(&sts[0]),
        string_map(&[
            (
                "grant_type",
                "urn:ietf:params:oauth:grant-type:token-exchange"
            ),
            ("subject_token", SUBJECT),
            ("subject_token_type", "urn:ietf:params:oauth:token-type:jwt"),
            ("identity_pool_id", POOL),
            (
                "requested_token_type",
                "urn:ietf:params:oauth:token-type:access_token"
            ),
            ("expires_in", "900"),
        ])
    );
    let api = received(&server, &default_offsets_path()).await;
    assert_eq!(api[0].headers["authorization"], "Bearer sts-token-1");
}

#[tokio::test]
async fn a_token_lifetime_is_asked_of_the_exchange() {
    let server = servers(idp_token(), numbered(60)).await;
    let client = client(
        &server,
        client_credentials(&server).token_lifetime(std::time::Duration::from_secs(60)),
        RetryPolicy::none(),
    );

    read(&client).await.unwrap();

    assert_eq!(
        form(&received(&server, STS_PATH).await[0])["expires_in"],
        "60"
    );
}

#[tokio::test]
async fn many_reads_within_a_tokens_life_share_one_exchange() {
    let server = servers(idp_token(), numbered(900)).await;
    let client = client(&server, client_credentials(&server), RetryPolicy::none());

    for _ in 0..5 {
        read(&client).await.unwrap();
    }

    assert_eq!(received(&server, IDP_PATH).await.len(), 1);
    assert_eq!(received(&server, STS_PATH).await.len(), 1);
    assert_eq!(received(&server, &default_offsets_path()).await.len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_first_reads_share_one_exchange() {
    let server = servers(
        idp_token().set_delay(std::time::Duration::from_millis(200)),
        numbered(900),
    )
    .await;
    let client = Arc::new(client(
        &server,
        client_credentials(&server),
        RetryPolicy::none(),
    ));

    let reads: Vec<_> = (0..20)
        .map(|_| {
            let client = Arc::clone(&client);
            tokio::spawn(async move { read(&client).await })
        })
        .collect();
    for read in reads {
        read.await.unwrap().unwrap();
    }

    assert_eq!(received(&server, IDP_PATH).await.len(), 1);
    assert_eq!(received(&server, STS_PATH).await.len(), 1);
}

#[tokio::test]
async fn a_401_fetches_a_new_token_and_sends_once_more() {
    let server = servers(idp_token(), numbered(900)).await;
    // The service no longer takes the first token (revoked, or its clock is ahead).
    refuse_with_401(&server, Some("sts-token-1")).await;
    let client = client(&server, client_credentials(&server), RetryPolicy::none());

    read(&client).await.unwrap();

    assert_eq!(received(&server, STS_PATH).await.len(), 2);
    // The subject token, good for an hour, is exchanged again.
    assert_eq!(received(&server, IDP_PATH).await.len(), 1);
    let sent = sent_authorizations(&server).await;
    assert_eq!(sent, ["Bearer sts-token-1", "Bearer sts-token-2"]);
}

#[tokio::test]
async fn an_exchange_that_refuses_a_kept_subject_token_gets_a_new_one_once() {
    let server = servers(idp_token(), numbered(900)).await;
    refuse_with_401(&server, Some("sts-token-1")).await;
    let client = client(&server, client_credentials(&server), RetryPolicy::none());
    client
        .connector(ENV, CLUSTER, "other")
        .offsets()
        .await
        .unwrap_err();
    // The next exchange, of the kept subject token, is refused (revoked at the provider).
    Mock::given(method("POST"))
        .and(path(STS_PATH))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"errors": [{
            "status": "400", "code": "invalid_subject_token", "detail": "revoked"
        }]})))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;

    read(&client).await.unwrap();

    assert_eq!(received(&server, IDP_PATH).await.len(), 2);
    assert_eq!(received(&server, STS_PATH).await.len(), 3);
    let sent = sent_authorizations(&server).await;
    assert_eq!(sent, ["Bearer sts-token-1", "Bearer sts-token-2"]);
}

#[tokio::test]
async fn a_subject_token_past_the_share_of_its_lifetime_is_fetched_again() {
    let server = servers(
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": SUBJECT,
            "token_type": "Bearer",
            "expires_in": 1
        })),
        numbered(900),
    )
    .await;
    let client = client(&server, client_credentials(&server), RetryPolicy::none());
    read(&client).await.unwrap();
    refuse_with_401(&server, Some("sts-token-1")).await;

    // 80 % of the subject token's second has passed: the next exchange asks for a new one.
    tokio::time::sleep(std::time::Duration::from_millis(900)).await;
    read(&client).await.unwrap();

    assert_eq!(received(&server, IDP_PATH).await.len(), 2);
    assert_eq!(received(&server, STS_PATH).await.len(), 2);
}

#[tokio::test]
async fn a_subject_token_without_a_lifetime_is_fetched_for_each_exchange() {
    let server = servers(
        ResponseTemplate::new(200).set_body_json(json!({
            "access_token": SUBJECT,
            "token_type": "Bearer"
        })),
        numbered(900),
    )
    .await;
    refuse_with_401(&server, Some("sts-token-1")).await;
    let client = client(&server, client_credentials(&server), RetryPolicy::none());

    read(&client).await.unwrap();

    assert_eq!(received(&server, IDP_PATH).await.len(), 2);
    assert_eq!(received(&server, STS_PATH).await.len(), 2);
}

#[tokio::test]
async fn a_401_to_the_new_token_too_is_the_answer_without_a_loop() {
    let server = servers(idp_token(), numbered(900)).await;
    refuse_with_401(&server, None).await;
    let client = client(&server, client_credentials(&server), quick_retries());

    let error = read(&client).await.unwrap_err();

    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(error.hint(), Hint::CheckCredentials);
    assert_eq!(received(&server, &default_offsets_path()).await.len(), 2);
    assert_eq!(received(&server, STS_PATH).await.len(), 2);
}

#[tokio::test]
async fn a_static_bearer_token_refused_with_401_is_not_sent_again() {
    let server = servers(idp_token(), numbered(900)).await;
    refuse_with_401(&server, None).await;
    let client = Client::builder()
        .bearer_token("static-token")
        .base_url(server.uri())
        .retry_policy(quick_retries())
        .build()
        .unwrap();

    let error = read(&client).await.unwrap_err();

    assert!(matches!(error, Error::Api(_)), "{error:?}");
    assert_eq!(received(&server, &default_offsets_path()).await.len(), 1);
}

/// The `CredentialsError` inside `error`.
fn credentials_error(error: Error) -> CredentialsError {
    match error {
        Error::Credentials(credentials) => credentials,
        other => panic!("expected Error::Credentials, got {other:?}"),
    }
}

#[tokio::test]
async fn a_refusal_by_the_identity_provider_names_it_and_sends_nothing_to_the_api() {
    let server = servers(
        ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": "client authentication failed"
        })),
        numbered(900),
    )
    .await;
    let client = client(&server, client_credentials(&server), quick_retries());

    let error = read(&client).await.unwrap_err();

    assert_eq!(error.hint(), Hint::CheckIdentityProvider);
    assert_eq!(
        error.to_string(),
        format!(
            "the identity provider at {}{IDP_PATH} refused with 401 Unauthorized: \
             invalid_client (client authentication failed). Check the client id and the client \
             secret registered at your identity provider",
            server.uri()
        )
    );
    let CredentialsError::Refused {
        side, status, code, ..
    } = credentials_error(error)
    else {
        panic!("expected a refusal");
    };
    assert_eq!(side, TokenSide::IdentityProvider);
    assert_eq!(status, Some(StatusCode::UNAUTHORIZED));
    assert_eq!(code.as_deref(), Some("invalid_client"));
    assert_eq!(received(&server, IDP_PATH).await.len(), 1);
    assert!(received(&server, STS_PATH).await.is_empty());
    assert!(received(&server, &default_offsets_path()).await.is_empty());
}

#[tokio::test]
async fn a_refusal_by_the_token_exchange_names_it_with_its_code_and_detail() {
    let server = servers(
        idp_token(),
        ResponseTemplate::new(400)
            .insert_header("x-request-id", "req-sts-1")
            .set_body_json(json!({"errors": [{
                "status": "400",
                "code": "unknown_identity_pool",
                "title": "Unknown identity pool",
                "detail": "identity pool pool-AbCd does not exist"
            }]})),
    )
    .await;
    let client = client(&server, client_credentials(&server), quick_retries());

    let error = read(&client).await.unwrap_err();

    assert_eq!(error.hint(), Hint::CheckTokenExchange);
    assert_eq!(
        error.to_string(),
        format!(
            "Confluent's token exchange (STS) at {}{STS_PATH} refused with 400 Bad Request: \
             unknown_identity_pool (identity pool pool-AbCd does not exist). Check the identity \
             pool id (pool-...) and that the pool exists in your Confluent Cloud organization",
            server.uri()
        )
    );
    let CredentialsError::Refused {
        side, request_id, ..
    } = credentials_error(error)
    else {
        panic!("expected a refusal");
    };
    assert_eq!(side, TokenSide::TokenExchange);
    assert_eq!(request_id.as_deref(), Some("req-sts-1"));
    assert_eq!(received(&server, STS_PATH).await.len(), 1);
    assert!(received(&server, &default_offsets_path()).await.is_empty());
}

#[tokio::test]
async fn a_failing_token_exchange_is_retried_under_the_retry_policy() {
    let server = servers(idp_token(), numbered(900)).await;
    // Once, ahead of the good answer.
    Mock::given(method("POST"))
        .and(path(STS_PATH))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream unavailable"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let client = client(&server, client_credentials(&server), quick_retries());

    read(&client).await.unwrap();

    assert_eq!(received(&server, STS_PATH).await.len(), 2);
    assert_eq!(received(&server, &default_offsets_path()).await.len(), 1);
}

#[tokio::test]
async fn a_failing_token_exchange_says_to_retry_later_when_retries_run_out() {
    let server = servers(
        idp_token(),
        ResponseTemplate::new(503).set_body_string("upstream unavailable"),
    )
    .await;
    let client = client(&server, client_credentials(&server), RetryPolicy::none());

    let error = read(&client).await.unwrap_err();

    assert_eq!(error.hint(), Hint::RetryLater);
    assert_eq!(
        error.to_string(),
        format!(
            "Confluent's token exchange (STS) at {}{STS_PATH} answered 503 Service Unavailable: \
             upstream unavailable. Retry later",
            server.uri()
        )
    );
}

/// A server whose `route` answers 429 with `Retry-After: seconds` once, ahead of the good
/// answers of `servers`.
async fn limited_once(route: &str, seconds: u64) -> MockServer {
    limited_once_with(route, seconds, ResponseTemplate::new(429)).await
}

/// [`limited_once`], with `answer` as the 429.
async fn limited_once_with(route: &str, seconds: u64, answer: ResponseTemplate) -> MockServer {
    let server = servers(idp_token(), numbered(900)).await;
    Mock::given(method("POST"))
        .and(path(route))
        .respond_with(answer.insert_header("Retry-After", seconds.to_string().as_str()))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    server
}

/// A client by client credentials whose retries stop 5 s after the first try.
fn client_with_a_short_deadline(server: &MockServer) -> Client {
    client(
        server,
        client_credentials(server),
        quick_retries().with_deadline(std::time::Duration::from_secs(5)),
    )
}

#[tokio::test]
async fn a_token_exchange_429_is_asked_again_after_its_retry_after() {
    let server = limited_once(STS_PATH, 1).await;
    // Backoff alone would ask again after 20 ms.
    let client = client(&server, client_credentials(&server), quick_retries());

    let started = std::time::Instant::now();
    read(&client).await.unwrap();

    assert!(started.elapsed() >= std::time::Duration::from_secs(1));
    assert_eq!(received(&server, STS_PATH).await.len(), 2);
    assert_eq!(received(&server, &default_offsets_path()).await.len(), 1);
}

#[tokio::test]
async fn a_token_exchange_429_past_the_deadline_is_reported_at_once_with_its_wait() {
    let server = limited_once(STS_PATH, 120).await;
    let client = client_with_a_short_deadline(&server);

    let error = read(&client).await.unwrap_err();

    assert_eq!(error.hint(), Hint::RetryLater);
    assert_eq!(
        error.to_string(),
        format!(
            "Confluent's token exchange (STS) at {}{STS_PATH} answered 429 Too Many Requests: \
             (an empty body). Retry after 120 s, as the service asked",
            server.uri()
        )
    );
    assert_eq!(credentials_error(error).retry_after(), Some(120));
    assert_eq!(received(&server, STS_PATH).await.len(), 1);
    assert!(received(&server, &default_offsets_path()).await.is_empty());
}

#[tokio::test]
async fn an_identity_provider_429_past_the_deadline_is_reported_at_once_with_its_wait() {
    let server = limited_once(IDP_PATH, 120).await;
    let client = client_with_a_short_deadline(&server);

    let error = read(&client).await.unwrap_err();

    let error = credentials_error(error);
    assert_eq!(error.side(), Some(TokenSide::IdentityProvider));
    assert_eq!(error.retry_after(), Some(120));
    assert_eq!(received(&server, IDP_PATH).await.len(), 1);
    assert!(received(&server, STS_PATH).await.is_empty());
}

#[tokio::test]
async fn an_identity_provider_429_with_an_oauth_error_says_to_wait_and_is_reported_at_once() {
    let server = limited_once_with(
        IDP_PATH,
        120,
        ResponseTemplate::new(429).set_body_json(json!({"error": "temporarily_unavailable"})),
    )
    .await;
    let client = client_with_a_short_deadline(&server);

    let error = read(&client).await.unwrap_err();

    assert_eq!(error.hint(), Hint::RetryLater);
    assert_eq!(
        error.to_string(),
        format!(
            "the identity provider at {}{IDP_PATH} refused with 429 Too Many Requests: \
             temporarily_unavailable. Retry after 120 s, as the service asked",
            server.uri()
        )
    );
    assert_eq!(credentials_error(error).retry_after(), Some(120));
    assert_eq!(received(&server, IDP_PATH).await.len(), 1);
}

#[tokio::test]
async fn an_identity_provider_429_is_asked_again_after_its_retry_after() {
    let server = limited_once(IDP_PATH, 1).await;
    let client = client(&server, client_credentials(&server), quick_retries());

    let started = std::time::Instant::now();
    read(&client).await.unwrap();

    assert!(started.elapsed() >= std::time::Duration::from_secs(1));
    assert_eq!(received(&server, IDP_PATH).await.len(), 2);
    assert_eq!(received(&server, STS_PATH).await.len(), 1);
}

#[tokio::test]
async fn a_subject_token_file_is_read_for_each_exchange() {
    let server = servers(idp_token(), numbered(900)).await;
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), "first-subject-token\n").unwrap();
    let client = client(
        &server,
        OAuth::subject_token_file(file.path(), POOL),
        RetryPolicy::none(),
    );
    refuse_with_401(&server, Some("sts-token-1")).await;

    std::fs::write(file.path(), "  second-subject-token  ").unwrap();
    // The first exchange reads the file now; its token is refused, so a second exchange reads
    // it again.
    read(&client).await.unwrap();

    let subjects: Vec<_> = received(&server, STS_PATH)
        .await
        .iter()
        .map(|request| form(request)["subject_token"].clone())
        .collect();
    assert_eq!(subjects, ["second-subject-token", "second-subject-token"]);
    assert!(received(&server, IDP_PATH).await.is_empty());
}

#[tokio::test]
async fn a_missing_subject_token_file_is_named_in_the_error() {
    let server = servers(idp_token(), numbered(900)).await;
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("token");
    let client = client(
        &server,
        OAuth::subject_token_file(&missing, POOL),
        RetryPolicy::none(),
    );

    let error = read(&client).await.unwrap_err();

    assert_eq!(error.hint(), Hint::CheckTokenExchange);
    assert!(
        error.to_string().starts_with(&format!(
            "cannot read the subject token from {}: No such file or directory",
            missing.display()
        )),
        "{error}"
    );
    assert!(received(&server, STS_PATH).await.is_empty());
}

/// A token source of the user's own: `sts-token-1`, `sts-token-2`, ... that live 900 s.
#[derive(Debug, Default)]
struct OwnSource(std::sync::atomic::AtomicU32);

impl TokenSource for OwnSource {
    fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, CredentialsError>> {
        Box::pin(async move {
            let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            Ok(AccessToken::new(
                format!("sts-token-{n}"),
                Some(std::time::Duration::from_secs(900)),
            ))
        })
    }
}

#[tokio::test]
async fn a_token_source_of_ones_own_is_cached_and_refreshed_after_a_401() {
    let server = servers(idp_token(), numbered(900)).await;
    refuse_with_401(&server, Some("sts-token-1")).await;
    let client = Client::builder()
        .credentials_provider(RefreshingCredentials::new(OwnSource::default()))
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();

    read(&client).await.unwrap();
    read(&client).await.unwrap();

    let sent = sent_authorizations(&server).await;
    assert_eq!(
        sent,
        [
            "Bearer sts-token-1",
            "Bearer sts-token-2",
            "Bearer sts-token-2"
        ]
    );
    assert!(received(&server, STS_PATH).await.is_empty());
}

/// A provider of the user's own that keeps the default `rejected`: a 401 is the answer.
#[derive(Debug)]
struct Fixed;

impl CredentialsProvider for Fixed {
    fn authorization(&self) -> BoxFuture<'_, Result<Authorization, CredentialsError>> {
        Box::pin(async { Authorization::bearer(&"sts-token-9".into()) })
    }
}

#[tokio::test]
async fn a_provider_that_cannot_refresh_gets_the_401_after_one_request() {
    let server = servers(idp_token(), numbered(900)).await;
    refuse_with_401(&server, None).await;
    let client = Client::builder()
        .credentials_provider(Fixed)
        .base_url(server.uri())
        .retry_policy(quick_retries())
        .build()
        .unwrap();

    let error = read(&client).await.unwrap_err();

    assert_eq!(error.status(), Some(StatusCode::UNAUTHORIZED));
    assert!(matches!(error, Error::Api(_)), "{error:?}");
    let api = received(&server, &default_offsets_path()).await;
    assert_eq!(api.len(), 1);
    assert_eq!(api[0].headers["authorization"], "Bearer sts-token-9");
}

/// A provider of the user's own that fails.
#[derive(Debug)]
struct Failing;

impl CredentialsProvider for Failing {
    fn authorization(&self) -> BoxFuture<'_, Result<Authorization, CredentialsError>> {
        Box::pin(async { Err(CredentialsError::other("the vault is sealed")) })
    }
}

#[tokio::test]
async fn a_failing_provider_of_ones_own_fails_the_request_without_sending_it() {
    let server = servers(idp_token(), numbered(900)).await;
    let client = Client::builder()
        .credentials_provider(Failing)
        .base_url(server.uri())
        .retry_policy(quick_retries())
        .build()
        .unwrap();

    let error = read(&client).await.unwrap_err();

    assert_eq!(
        error.to_string(),
        "the credentials provider failed: the vault is sealed"
    );
    assert_eq!(error.hint(), Hint::CheckCredentials);
    assert!(received(&server, &default_offsets_path()).await.is_empty());
}
