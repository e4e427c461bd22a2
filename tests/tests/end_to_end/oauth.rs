//! Confluent Cloud OAuth through the facade against the emulator's identity provider and STS:
//! a long watch across several token lifetimes, each refusal, and a token the service expires
//! before the client expects it.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use confluent_connect::{
    Client, CredentialsError, Error, Hint, OAuth, RetryPolicy, StatusCode, TokenSide,
};
use connect_emulator::{
    Config, DEFAULT_IDENTITY_POOL_ID, DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET,
    Emulator, EmulatorBuilder,
};

const ENV: &str = "env-emu001";
const CLUSTER: &str = "lkc-emu001";
const CONNECTOR: &str = "orders-sink";

/// The default world, with access tokens that live `sts_secs` on the real clock.
fn with_sts_lifetime(sts_secs: u64) -> EmulatorBuilder {
    let config = Config::default();
    let oauth = config
        .oauth
        .clone()
        .expect("the default world serves OAuth")
        .with_sts_token_lifetime_secs(sts_secs);
    Emulator::builder().config(config).oauth(Some(oauth))
}

async fn start(builder: EmulatorBuilder) -> Emulator {
    builder.start().await.expect("the emulator starts")
}

/// The default world's client credentials and pool at `emulator`'s identity provider.
fn default_oauth(emulator: &Emulator) -> OAuth {
    OAuth::client_credentials(
        emulator.idp_token_url(),
        DEFAULT_OAUTH_CLIENT_ID,
        DEFAULT_OAUTH_CLIENT_SECRET,
        DEFAULT_IDENTITY_POOL_ID,
    )
}

fn client(emulator: &Emulator, oauth: OAuth) -> Client {
    Client::builder()
        .oauth(oauth)
        .base_url(emulator.base_url())
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("a client for the emulator")
}

async fn read(client: &Client) -> Result<usize, Error> {
    let offsets = client.connector(ENV, CLUSTER, CONNECTOR).offsets().await?;
    Ok(offsets.offsets.len())
}

/// A watch as `connect-offsets watch` runs it: one read every 500 ms, 16 reads (7.5 s), with
/// access tokens that live 2 s, refreshed after 85 % of it (1.7 s). Each token serves the read
/// that fetched it and the next three (1.5 s), and the fourth read after it (at 2.0 s) fetches
/// the next one: 4 exchanges, at reads 0, 4, 8 and 12, each 0.2 s clear of the refresh point on
/// either side, and no token is ever sent past its expiry.
#[tokio::test]
async fn a_watch_over_more_than_three_token_lifetimes_reads_every_time_with_one_exchange_per_refresh()
 {
    let lifetime = Duration::from_secs(2);
    let emulator = start(with_sts_lifetime(lifetime.as_secs())).await;
    let client = client(&emulator, default_oauth(&emulator).refresh_at(0.85));
    let started = Instant::now();
    let mut ticks = tokio::time::interval(Duration::from_millis(500));
    let mut failed = Vec::new();

    for n in 0..16 {
        ticks.tick().await;
        if let Err(error) = read(&client).await {
            failed.push(format!("read {n}: {error}"));
        }
    }

    let ran = started.elapsed();
    assert!(ran > lifetime * 3, "the watch ran {ran:?}");
    assert_eq!(failed, Vec::<String>::new());
    let stats = emulator.oauth_stats();
    assert_eq!(stats.exchanges, 4, "{stats:?}");
    // The subject token lives an hour: one serves the 4 exchanges.
    assert_eq!(stats.idp_tokens_issued, 1, "{stats:?}");
    assert_eq!(stats.expired_token_rejections, 0, "{stats:?}");
    assert_eq!(emulator.stats().count(200), 16);
    emulator.shutdown().await;
}

fn start_time() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-02-20T15:14:19Z")
        .expect("a valid RFC 3339 time")
        .to_utc()
}

/// The service's clock runs ahead: it expires the access token while the client still thinks it
/// fresh. The 401 makes the client exchange again and send the read once more.
#[tokio::test]
async fn an_access_token_the_service_expires_early_is_replaced_after_its_401() {
    let emulator = start(Emulator::builder().manual_clock(start_time())).await;
    let client = client(&emulator, default_oauth(&emulator));
    read(&client).await.unwrap();

    emulator.advance_clock(Duration::from_secs(901)).unwrap();
    read(&client).await.unwrap();

    let stats = emulator.oauth_stats();
    assert_eq!(stats.exchanges, 2, "{stats:?}");
    assert_eq!(stats.expired_token_rejections, 1, "{stats:?}");
    assert_eq!(emulator.stats().count(401), 1);
    emulator.shutdown().await;
}

/// The refusal inside `error`, with the side, status and code it names.
fn refusal(error: &Error) -> (TokenSide, Option<StatusCode>, Option<&str>) {
    match error {
        Error::Credentials(CredentialsError::Refused {
            side, status, code, ..
        }) => (*side, *status, code.as_deref()),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_wrong_client_secret_is_refused_by_the_identity_provider() {
    let emulator = start(Emulator::builder()).await;
    let oauth = OAuth::client_credentials(
        emulator.idp_token_url(),
        DEFAULT_OAUTH_CLIENT_ID,
        "not-the-secret",
        DEFAULT_IDENTITY_POOL_ID,
    );

    let error = read(&client(&emulator, oauth)).await.unwrap_err();

    assert_eq!(
        refusal(&error),
        (
            TokenSide::IdentityProvider,
            Some(StatusCode::UNAUTHORIZED),
            Some("invalid_client")
        )
    );
    assert_eq!(error.hint(), Hint::CheckIdentityProvider);
    assert!(!error.to_string().contains("not-the-secret"), "{error}");
    assert_eq!(emulator.oauth_stats().idp_refused("invalid_client"), 1);
    assert_eq!(emulator.stats().answers, 0, "nothing reached the API");
    emulator.shutdown().await;
}

#[tokio::test]
async fn an_unknown_identity_pool_is_refused_by_the_token_exchange() {
    let emulator = start(Emulator::builder()).await;
    let oauth = OAuth::client_credentials(
        emulator.idp_token_url(),
        DEFAULT_OAUTH_CLIENT_ID,
        DEFAULT_OAUTH_CLIENT_SECRET,
        "pool-nope",
    );

    let error = read(&client(&emulator, oauth)).await.unwrap_err();

    assert_eq!(
        refusal(&error),
        (
            TokenSide::TokenExchange,
            Some(StatusCode::BAD_REQUEST),
            Some("unknown_identity_pool")
        )
    );
    assert_eq!(error.hint(), Hint::CheckTokenExchange);
    assert!(
        error.to_string().ends_with(
            "Check the identity pool id (pool-...) and that the pool exists in your Confluent \
             Cloud organization"
        ),
        "{error}"
    );
    assert_eq!(emulator.stats().answers, 0, "nothing reached the API");
    emulator.shutdown().await;
}

/// A subject token file that `token` was written into.
fn subject_file(token: &str) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), format!("{token}\n")).unwrap();
    file
}

#[tokio::test]
async fn an_expired_subject_token_in_a_file_is_refused_by_the_token_exchange() {
    let emulator = start(Emulator::builder()).await;
    let expired = emulator
        .issue_subject_token(DEFAULT_OAUTH_CLIENT_ID, Duration::ZERO)
        .unwrap();
    let file = subject_file(&expired);

    let error = read(&client(
        &emulator,
        OAuth::subject_token_file(file.path(), DEFAULT_IDENTITY_POOL_ID),
    ))
    .await
    .unwrap_err();

    assert_eq!(
        refusal(&error),
        (
            TokenSide::TokenExchange,
            Some(StatusCode::BAD_REQUEST),
            Some("expired_subject_token")
        )
    );
    assert!(
        error.to_string().ends_with(
            "The subject token expired: fetch a new one from the identity provider (a file must \
             be kept fresh by whatever writes it)"
        ),
        "{error}"
    );
    assert!(!error.to_string().contains(&expired), "{error}");
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_subject_token_the_identity_provider_never_issued_is_refused() {
    let emulator = start(Emulator::builder()).await;
    let file = subject_file("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtZSJ9.forged");

    let error = read(&client(
        &emulator,
        OAuth::subject_token_file(file.path(), DEFAULT_IDENTITY_POOL_ID),
    ))
    .await
    .unwrap_err();

    assert_eq!(
        refusal(&error),
        (
            TokenSide::TokenExchange,
            Some(StatusCode::BAD_REQUEST),
            Some("invalid_subject_token")
        )
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn a_fresh_subject_token_in_a_file_is_exchanged_and_reads() {
    let emulator = start(Emulator::builder()).await;
    let token = emulator
        .issue_subject_token(DEFAULT_OAUTH_CLIENT_ID, Duration::from_secs(3600))
        .unwrap();
    let file = subject_file(&token);
    let client = client(
        &emulator,
        OAuth::subject_token_file(file.path(), DEFAULT_IDENTITY_POOL_ID),
    );

    assert_eq!(read(&client).await.unwrap(), 3);
    let stats = emulator.oauth_stats();
    assert_eq!((stats.exchanges, stats.idp_tokens_issued), (1, 0));
    emulator.shutdown().await;
}
