//! OAuth on the wire: the identity provider's client credentials, the STS's token exchange, and
//! the API accepting the access tokens the STS issued until they expire.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use connect_emulator::{
    DEFAULT_IDENTITY_POOL_ID, DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET, Emulator,
    EmulatorBuilder, IdentityPool, OAuth, OAuthClient, OAuthStats, RateLimit,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

const OFFSETS: &str =
    "/connect/v1/environments/env-emu001/clusters/lkc-emu001/connectors/orders-sink/offsets";
const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const JWT: &str = "urn:ietf:params:oauth:token-type:jwt";
const ACCESS_TOKEN: &str = "urn:ietf:params:oauth:token-type:access_token";

fn start_time() -> DateTime<Utc> {
    "2024-02-20T15:14:19Z".parse().expect("a time")
}

async fn start(builder: EmulatorBuilder) -> Emulator {
    builder.start().await.expect("the emulator starts")
}

/// The default world on a manual clock.
async fn manual() -> Emulator {
    start(Emulator::builder().manual_clock(start_time())).await
}

/// `pairs` as an `application/x-www-form-urlencoded` body.
fn form(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// `text` form-urlencoded.
fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// An HTTP Basic header of `id` and `secret`, each form-urlencoded first (RFC 6749 2.3.1).
fn basic(id: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", encode(id), encode(secret)))
    )
}

/// POSTs `body` as a form to `url`, with `authorization` if given.
async fn post_form(url: &str, authorization: Option<&str>, body: String) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    request.send().await.expect("the emulator answers")
}

/// The identity provider's answer to a token request of `pairs`, with `authorization` if given.
async fn idp(
    emulator: &Emulator,
    authorization: Option<&str>,
    pairs: &[(&str, &str)],
) -> (StatusCode, Value) {
    status_and_json(post_form(&emulator.idp_token_url(), authorization, form(pairs)).await).await
}

async fn status_and_json(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    (status, response.json().await.expect("a JSON body"))
}

/// A subject token of the default client, by client credentials with HTTP Basic.
async fn subject_token(emulator: &Emulator) -> String {
    let (status, body) = idp(
        emulator,
        Some(&basic(DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET)),
        &[("grant_type", "client_credentials")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().expect("a token").to_owned()
}

/// The form of a complete token exchange of `subject` in `pool`.
fn exchange_form<'a>(subject: &'a str, pool: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("grant_type", GRANT_TYPE),
        ("subject_token", subject),
        ("subject_token_type", JWT),
        ("identity_pool_id", pool),
        ("requested_token_type", ACCESS_TOKEN),
    ]
}

async fn exchange(emulator: &Emulator, pairs: &[(&str, &str)]) -> (StatusCode, Value) {
    status_and_json(post_form(&emulator.sts_token_url(), None, form(pairs)).await).await
}

/// An access token of the default pool, living `expires_in` seconds.
async fn access_token(emulator: &Emulator, expires_in: &str) -> String {
    let subject = subject_token(emulator).await;
    let mut pairs = exchange_form(&subject, DEFAULT_IDENTITY_POOL_ID);
    pairs.push(("expires_in", expires_in));
    let (status, body) = exchange(emulator, &pairs).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().expect("a token").to_owned()
}

async fn get_with_token(emulator: &Emulator, path: &str, token: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{}{path}", emulator.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("the emulator answers")
}

/// The claims of a JWT.
fn claims(token: &str) -> Value {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWT has three parts");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("base64url")).expect("JSON")
}

/// An STS `Failure` body with its one error's `id` checked (a UUID: it differs every time) and
/// replaced by `"<id>"`, so the rest can be compared exactly.
fn failure(mut body: Value) -> Value {
    let id = body["errors"][0]["id"].as_str().expect("an id").to_owned();
    let groups: Vec<usize> = id.split('-').map(str::len).collect();
    assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
    assert!(
        id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()),
        "{id}"
    );
    body["errors"][0]["id"] = json!("<id>");
    body
}

fn sts_error(code: &str, title: &str, detail: &str, parameter: Option<&str>) -> Value {
    let mut error =
        json!({"id": "<id>", "status": "400", "code": code, "title": title, "detail": detail});
    if let Some(parameter) = parameter {
        error["source"] = json!({"parameter": parameter});
    }
    json!({"errors": [error]})
}

// The identity provider.

#[tokio::test]
async fn the_idp_issues_a_jwt_to_a_client_authenticated_with_basic() {
    let emulator = manual().await;

    let response = post_form(
        &emulator.idp_token_url(),
        Some(&basic(DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET)),
        form(&[("grant_type", "client_credentials")]),
    )
    .await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response
            .headers()
            .get("cache-control")
            .map(|v| v.as_bytes()),
        Some(&b"no-store"[..])
    );
    let mut body: Value = response.json().await.expect("JSON");
    let claims = claims(body["access_token"].as_str().expect("a token"));
    body["access_token"] = json!("<jwt>");
    assert_eq!(
        body,
        json!({"access_token": "<jwt>", "token_type": "Bearer", "expires_in": 3600})
    );
    let iat = start_time().timestamp();
    assert_eq!(
        (&claims["sub"], &claims["iat"], &claims["exp"]),
        (&json!("emu-client"), &json!(iat), &json!(iat + 3600))
    );
    assert_eq!(
        claims["iss"],
        json!(format!("{}/emulator/idp", emulator.base_url()))
    );
}

#[tokio::test]
async fn the_idp_issues_a_token_to_a_client_authenticated_with_form_fields_and_echoes_the_scope() {
    let emulator = manual().await;

    let (status, mut body) = idp(
        &emulator,
        None,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", DEFAULT_OAUTH_CLIENT_ID),
            ("client_secret", DEFAULT_OAUTH_CLIENT_SECRET),
            ("scope", "api://emu/.default"),
        ],
    )
    .await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        claims(body["access_token"].as_str().expect("a token"))["scope"],
        "api://emu/.default"
    );
    body["access_token"] = json!("<jwt>");
    assert_eq!(
        body,
        json!({"access_token": "<jwt>", "token_type": "Bearer", "expires_in": 3600, "scope": "api://emu/.default"})
    );
}

#[tokio::test]
async fn basic_credentials_are_form_urldecoded_before_they_are_compared() {
    let oauth = OAuth::default()
        .with_client(OAuthClient::new("app:one", "s+cr%t é"))
        .with_identity_pool(IdentityPool::new("pool-a"));
    let emulator = start(Emulator::builder().oauth(Some(oauth))).await;

    let response = post_form(
        &emulator.idp_token_url(),
        Some(&basic("app:one", "s+cr%t é")),
        form(&[("grant_type", "client_credentials")]),
    )
    .await;

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_wrong_secret_and_an_unknown_client_get_the_same_401() {
    let emulator = manual().await;
    let grant = || form(&[("grant_type", "client_credentials")]);

    let wrong_secret = post_form(
        &emulator.idp_token_url(),
        Some(&basic(DEFAULT_OAUTH_CLIENT_ID, "wrong-secret")),
        grant(),
    )
    .await;
    let challenge = wrong_secret
        .headers()
        .get("www-authenticate")
        .map(|v| v.as_bytes().to_vec());
    let wrong_secret = status_and_json(wrong_secret).await;
    let unknown_client = status_and_json(
        post_form(
            &emulator.idp_token_url(),
            Some(&basic("nobody", DEFAULT_OAUTH_CLIENT_SECRET)),
            grant(),
        )
        .await,
    )
    .await;

    assert_eq!(
        wrong_secret,
        (
            StatusCode::UNAUTHORIZED,
            json!({"error": "invalid_client", "error_description": "Client authentication failed: the client id is unknown or the secret is wrong. Check them against the clients of the emulator's oauth configuration."})
        )
    );
    assert_eq!(unknown_client, wrong_secret);
    assert_eq!(
        challenge,
        Some(b"Basic realm=\"connect-emulator\"".to_vec())
    );
}

#[tokio::test]
async fn a_grant_type_other_than_client_credentials_is_unsupported() {
    let emulator = manual().await;

    let answer = idp(
        &emulator,
        Some(&basic(DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET)),
        &[("grant_type", "password")],
    )
    .await;

    assert_eq!(
        answer,
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "unsupported_grant_type", "error_description": "This identity provider issues tokens by client credentials only: send grant_type=client_credentials."})
        )
    );
}

#[tokio::test]
async fn a_token_request_without_grant_type_is_invalid() {
    let emulator = manual().await;

    let answer = idp(
        &emulator,
        Some(&basic(DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET)),
        &[("scope", "x")],
    )
    .await;

    assert_eq!(
        answer,
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid_request", "error_description": "The parameter grant_type is missing: send grant_type=client_credentials."})
        )
    );
}

#[tokio::test]
async fn a_token_request_that_is_not_a_form_is_invalid() {
    let emulator = manual().await;

    let answer = status_and_json(
        reqwest::Client::new()
            .post(emulator.idp_token_url())
            .header("content-type", "application/json")
            .body(r#"{"grant_type": "client_credentials"}"#)
            .send()
            .await
            .expect("an answer"),
    )
    .await;

    assert_eq!(
        answer,
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid_request", "error_description": "Send the request body as a form, with Content-Type: application/x-www-form-urlencoded."})
        )
    );
}

#[tokio::test]
async fn a_token_request_without_client_authentication_is_an_invalid_client() {
    let emulator = manual().await;

    let answer = idp(&emulator, None, &[("grant_type", "client_credentials")]).await;

    assert_eq!(
        answer,
        (
            StatusCode::UNAUTHORIZED,
            json!({"error": "invalid_client", "error_description": "No client authentication: send the client id and secret with HTTP Basic, or as the parameters client_id and client_secret."})
        )
    );
}

#[tokio::test]
async fn a_client_id_without_its_secret_is_invalid() {
    let emulator = manual().await;

    let answer = idp(
        &emulator,
        None,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", DEFAULT_OAUTH_CLIENT_ID),
        ],
    )
    .await;

    assert_eq!(
        answer,
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid_request", "error_description": "The parameter client_secret is missing: send it with client_id, or authenticate the client with HTTP Basic."})
        )
    );
}

#[tokio::test]
async fn authenticating_both_ways_at_once_is_invalid() {
    let emulator = manual().await;

    let answer = idp(
        &emulator,
        Some(&basic(DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET)),
        &[
            ("grant_type", "client_credentials"),
            ("client_id", DEFAULT_OAUTH_CLIENT_ID),
            ("client_secret", DEFAULT_OAUTH_CLIENT_SECRET),
        ],
    )
    .await;

    assert_eq!(
        answer,
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid_request", "error_description": "The client authenticates twice, with HTTP Basic and the parameter client_secret: use one way only."})
        )
    );
}

#[tokio::test]
async fn garbled_basic_credentials_are_invalid() {
    let emulator = manual().await;

    let answer = idp(
        &emulator,
        Some(&format!("Basic {}", STANDARD.encode("no-colon-here"))),
        &[("grant_type", "client_credentials")],
    )
    .await;

    assert_eq!(
        answer,
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid_request", "error_description": "The Basic credentials must be base64 of the form-urlencoded client id, a colon, and the form-urlencoded client secret (RFC 6749 section 2.3.1)."})
        )
    );
}

#[tokio::test]
async fn a_repeated_token_request_parameter_is_invalid() {
    let emulator = manual().await;

    let answer = idp(
        &emulator,
        Some(&basic(DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET)),
        &[
            ("grant_type", "client_credentials"),
            ("grant_type", "client_credentials"),
        ],
    )
    .await;

    assert_eq!(
        answer,
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "invalid_request", "error_description": "The parameter grant_type is sent more than once: send it once."})
        )
    );
}

// The STS.

#[tokio::test]
async fn an_exchange_issues_an_access_token_for_the_lifetime_asked() {
    let emulator = manual().await;
    let subject = subject_token(&emulator).await;
    let mut pairs = exchange_form(&subject, DEFAULT_IDENTITY_POOL_ID);
    pairs.push(("expires_in", "60"));

    let (status, mut body) = exchange(&emulator, &pairs).await;

    assert_eq!(status, StatusCode::OK);
    let claims = claims(body["access_token"].as_str().expect("a token"));
    body["access_token"] = json!("<jwt>");
    assert_eq!(
        body,
        json!({"access_token": "<jwt>", "issued_token_type": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 60})
    );
    assert_eq!(
        (&claims["identity_pool_id"], &claims["exp"]),
        (&json!("pool-emu001"), &json!(start_time().timestamp() + 60))
    );
}

#[tokio::test]
async fn an_exchange_caps_expires_in_at_the_configured_lifetime() {
    let emulator = manual().await;
    let subject = subject_token(&emulator).await;
    let mut pairs = exchange_form(&subject, DEFAULT_IDENTITY_POOL_ID);
    pairs.push(("expires_in", "86400"));

    let (status, body) = exchange(&emulator, &pairs).await;

    assert_eq!((status, &body["expires_in"]), (StatusCode::OK, &json!(900)));
}

#[tokio::test]
async fn an_exchange_without_expires_in_gets_the_configured_lifetime() {
    let oauth = OAuth::default()
        .with_client(OAuthClient::new("c", "s"))
        .with_identity_pool(IdentityPool::new("pool-a"))
        .with_sts_token_lifetime_secs(3);
    let emulator = start(Emulator::builder().oauth(Some(oauth))).await;
    let subject = emulator
        .issue_subject_token("c", Duration::from_secs(60))
        .expect("a subject token");

    let (status, body) = exchange(&emulator, &exchange_form(&subject, "pool-a")).await;

    assert_eq!((status, &body["expires_in"]), (StatusCode::OK, &json!(3)));
}

#[tokio::test]
async fn a_wrong_grant_type_is_an_invalid_request_naming_the_field() {
    let emulator = manual().await;
    let subject = subject_token(&emulator).await;
    let mut pairs = exchange_form(&subject, DEFAULT_IDENTITY_POOL_ID);
    pairs[0] = ("grant_type", "client_credentials");

    let (status, body) = exchange(&emulator, &pairs).await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        failure(body),
        sts_error(
            "invalid_request",
            "Invalid Request",
            "The field grant_type must be urn:ietf:params:oauth:grant-type:token-exchange (a token exchange).",
            Some("grant_type")
        )
    );
}

#[tokio::test]
async fn a_wrong_subject_token_type_is_an_invalid_request_naming_the_field() {
    let emulator = manual().await;
    let subject = subject_token(&emulator).await;
    let mut pairs = exchange_form(&subject, DEFAULT_IDENTITY_POOL_ID);
    pairs[2] = (
        "subject_token_type",
        "urn:ietf:params:oauth:token-type:saml2",
    );

    let (status, body) = exchange(&emulator, &pairs).await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        failure(body),
        sts_error(
            "invalid_request",
            "Invalid Request",
            "The field subject_token_type must be urn:ietf:params:oauth:token-type:jwt (the subject token is a JWT of your identity provider).",
            Some("subject_token_type")
        )
    );
}

#[tokio::test]
async fn a_missing_field_is_an_invalid_request_naming_it() {
    let emulator = manual().await;
    let subject = subject_token(&emulator).await;
    let mut pairs = exchange_form(&subject, DEFAULT_IDENTITY_POOL_ID);
    pairs.remove(3);

    let (status, body) = exchange(&emulator, &pairs).await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        failure(body),
        sts_error(
            "invalid_request",
            "Invalid Request",
            "The field identity_pool_id is missing: a token exchange needs grant_type, subject_token, subject_token_type, identity_pool_id and requested_token_type.",
            Some("identity_pool_id")
        )
    );
}

#[tokio::test]
async fn an_expires_in_that_is_not_a_positive_number_is_an_invalid_request() {
    let emulator = manual().await;
    let subject = subject_token(&emulator).await;
    let mut pairs = exchange_form(&subject, DEFAULT_IDENTITY_POOL_ID);
    pairs.push(("expires_in", "0"));

    let (status, body) = exchange(&emulator, &pairs).await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        failure(body),
        sts_error(
            "invalid_request",
            "Invalid Request",
            "The field expires_in must be a whole number of seconds, at least 1.",
            Some("expires_in")
        )
    );
}

#[tokio::test]
async fn a_subject_token_the_idp_never_issued_is_an_invalid_subject_token() {
    let emulator = manual().await;

    let (status, body) = exchange(
        &emulator,
        &exchange_form("eyJhbGciOiJSUzI1NiJ9.e30.c2ln", DEFAULT_IDENTITY_POOL_ID),
    )
    .await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        failure(body),
        sts_error(
            "invalid_subject_token",
            "Invalid Subject Token",
            "The subject_token is not a token the emulator's identity provider issued: get one from /emulator/idp/oauth2/token (client credentials), and send it whole.",
            Some("subject_token")
        )
    );
}

#[tokio::test]
async fn an_expired_subject_token_is_refused_as_expired() {
    let emulator = manual().await;
    let subject = subject_token(&emulator).await;
    emulator
        .advance_clock(Duration::from_secs(3600))
        .expect("a manual clock");

    let (status, body) = exchange(
        &emulator,
        &exchange_form(&subject, DEFAULT_IDENTITY_POOL_ID),
    )
    .await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        failure(body),
        sts_error(
            "expired_subject_token",
            "Expired Subject Token",
            "The subject_token expired at 2024-02-20T16:14:19Z: get a new one from the identity provider and exchange that.",
            Some("subject_token")
        )
    );
}

#[tokio::test]
async fn a_subject_token_is_exchanged_until_just_before_it_expires() {
    let emulator = manual().await;
    let subject = subject_token(&emulator).await;
    emulator
        .advance_clock(Duration::from_millis(3_599_999))
        .expect("a manual clock");

    let (status, _) = exchange(
        &emulator,
        &exchange_form(&subject, DEFAULT_IDENTITY_POOL_ID),
    )
    .await;

    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_unknown_identity_pool_is_refused_naming_it() {
    let emulator = manual().await;
    let subject = subject_token(&emulator).await;

    let (status, body) = exchange(&emulator, &exchange_form(&subject, "pool-nope")).await;

    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        failure(body),
        sts_error(
            "unknown_identity_pool",
            "Unknown Identity Pool",
            "There is no identity pool pool-nope: check identity_pool_id against the emulator's oauth identity_pools (pool-emu001).",
            Some("identity_pool_id")
        )
    );
}

#[tokio::test]
async fn a_subject_token_issued_from_rust_is_exchanged() {
    let emulator = manual().await;
    let subject = emulator
        .issue_subject_token(DEFAULT_OAUTH_CLIENT_ID, Duration::from_secs(5))
        .expect("a subject token");

    let (status, _) = exchange(
        &emulator,
        &exchange_form(&subject, DEFAULT_IDENTITY_POOL_ID),
    )
    .await;

    assert_eq!(status, StatusCode::OK);
    assert_eq!(claims(&subject)["exp"], json!(start_time().timestamp() + 5));
}

#[tokio::test]
async fn a_subject_token_for_an_unknown_client_cannot_be_issued() {
    let emulator = manual().await;

    let error = emulator
        .issue_subject_token("nobody", Duration::from_secs(5))
        .expect_err("no such client");

    assert_eq!(
        error.to_string(),
        "the identity provider has no client \"nobody\": list it in `oauth.clients`"
    );
}

// Without OAuth.

#[tokio::test]
async fn without_oauth_both_token_endpoints_answer_404_saying_how_to_turn_it_on() {
    let emulator = start(Emulator::builder().oauth(None)).await;
    let expected = json!({"error": {"code": 404, "message": "OAuth is off: the emulator's configuration has no `oauth` section. Add one (`connect-emulator --print-default-config` shows an example) to serve /emulator/idp/oauth2/token and /sts/v1/oauth2/token."}});

    let idp = idp(&emulator, None, &[("grant_type", "client_credentials")]).await;
    let sts =
        status_and_json(post_form(&emulator.sts_token_url(), None, String::new()).await).await;

    assert_eq!(idp, (StatusCode::NOT_FOUND, expected.clone()));
    assert_eq!(sts, (StatusCode::NOT_FOUND, expected));
}

#[tokio::test]
async fn without_oauth_no_subject_token_can_be_issued() {
    let emulator = start(Emulator::builder().oauth(None)).await;

    let error = emulator
        .issue_subject_token(DEFAULT_OAUTH_CLIENT_ID, Duration::from_secs(5))
        .expect_err("OAuth is off");

    assert_eq!(
        error.to_string(),
        "the emulator serves no OAuth: give its configuration an `oauth` section (`Config::oauth`)"
    );
}

#[tokio::test]
async fn the_token_urls_are_below_the_base_url() {
    let emulator = manual().await;

    assert_eq!(
        (emulator.idp_token_url(), emulator.sts_token_url()),
        (
            format!("{}/emulator/idp/oauth2/token", emulator.base_url()),
            format!("{}/sts/v1/oauth2/token", emulator.base_url())
        )
    );
}

// The API.

#[tokio::test]
async fn the_api_accepts_an_access_token_the_sts_issued() {
    let emulator = manual().await;
    let token = access_token(&emulator, "60").await;

    let response = get_with_token(&emulator, OFFSETS, &token).await;

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_api_accepts_an_access_token_until_just_before_it_expires() {
    let emulator = manual().await;
    let token = access_token(&emulator, "2").await;
    emulator
        .advance_clock(Duration::from_millis(1999))
        .expect("a manual clock");

    let response = get_with_token(&emulator, OFFSETS, &token).await;

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_expired_access_token_gets_401_saying_to_exchange_a_new_one() {
    let emulator = manual().await;
    let token = access_token(&emulator, "2").await;
    emulator
        .advance_clock(Duration::from_secs(2))
        .expect("a manual clock");

    let answer = status_and_json(get_with_token(&emulator, OFFSETS, &token).await).await;

    assert_eq!(
        answer,
        (
            StatusCode::UNAUTHORIZED,
            json!({"error": {"code": 401, "message": "The access token has expired: exchange a new subject token at /sts/v1/oauth2/token for a new access token."}})
        )
    );
    assert_eq!(emulator.oauth_stats().expired_token_rejections, 1);
}

#[tokio::test]
async fn an_access_token_expires_on_the_system_clock_too() {
    let oauth = OAuth::default()
        .with_client(OAuthClient::new("c", "s"))
        .with_identity_pool(IdentityPool::new("pool-a"))
        .with_sts_token_lifetime_secs(1);
    let emulator = start(Emulator::builder().oauth(Some(oauth))).await;
    let subject = emulator
        .issue_subject_token("c", Duration::from_secs(60))
        .expect("a subject token");
    let (_, body) = exchange(&emulator, &exchange_form(&subject, "pool-a")).await;
    let token = body["access_token"].as_str().expect("a token").to_owned();
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let response = get_with_token(&emulator, OFFSETS, &token).await;

    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_unknown_bearer_token_keeps_the_usual_401() {
    let emulator = manual().await;

    let answer = status_and_json(get_with_token(&emulator, OFFSETS, "not-issued").await).await;

    assert_eq!(
        answer,
        (
            StatusCode::UNAUTHORIZED,
            json!({"error": {"code": 401, "message": "Invalid or expired bearer token."}})
        )
    );
}

#[tokio::test]
async fn a_configured_bearer_token_still_works() {
    let emulator = manual().await;

    let response = get_with_token(&emulator, OFFSETS, "emulator-token").await;

    assert_eq!(response.status(), StatusCode::OK);
}

/// An emulator whose only pool may read env-emu002, and an access token of it.
async fn restricted_pool() -> (Emulator, String) {
    let oauth = OAuth::default()
        .with_client(OAuthClient::new("c", "s"))
        .with_identity_pool(IdentityPool::new("pool-two").only_environments(["env-emu002"]));
    let emulator = start(Emulator::builder().oauth(Some(oauth))).await;
    let subject = emulator
        .issue_subject_token("c", Duration::from_secs(60))
        .expect("a subject token");
    let (_, body) = exchange(&emulator, &exchange_form(&subject, "pool-two")).await;
    let token = body["access_token"].as_str().expect("a token").to_owned();
    (emulator, token)
}

#[tokio::test]
async fn an_access_token_may_read_the_environments_of_its_pool() {
    let (emulator, token) = restricted_pool().await;

    let response = get_with_token(
        &emulator,
        "/connect/v1/environments/env-emu002/clusters/lkc-emu002/connectors/payments-sink/offsets",
        &token,
    )
    .await;

    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_access_token_gets_403_for_an_environment_its_pool_may_not_read() {
    let (emulator, token) = restricted_pool().await;

    let answer = status_and_json(get_with_token(&emulator, OFFSETS, &token).await).await;

    assert_eq!(
        answer,
        (
            StatusCode::FORBIDDEN,
            json!({"error": {"code": 403, "message": "This access token's identity pool pool-two has no access to environment env-emu001."}})
        )
    );
}

#[tokio::test]
async fn the_access_tokens_of_one_pool_share_a_rate_limit_bucket() {
    let limit = RateLimit {
        requests_per_second: 0.01,
        burst: 1,
    };
    let emulator = start(
        Emulator::builder()
            .manual_clock(start_time())
            .rate_limit(Some(limit)),
    )
    .await;
    let first = access_token(&emulator, "60").await;
    let second = access_token(&emulator, "60").await;

    let statuses = (
        get_with_token(&emulator, OFFSETS, &first).await.status(),
        get_with_token(&emulator, OFFSETS, &second).await.status(),
    );

    assert_eq!(statuses, (StatusCode::OK, StatusCode::TOO_MANY_REQUESTS));
}

// Counters and secrets.

#[tokio::test]
async fn the_oauth_counters_count_each_outcome_exactly() {
    let emulator = manual().await;
    let subject = subject_token(&emulator).await;
    subject_token(&emulator).await;
    post_form(
        &emulator.idp_token_url(),
        Some(&basic(DEFAULT_OAUTH_CLIENT_ID, "wrong")),
        form(&[("grant_type", "client_credentials")]),
    )
    .await;
    post_form(
        &emulator.idp_token_url(),
        Some(&basic(DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET)),
        form(&[("grant_type", "password")]),
    )
    .await;
    let mut pairs = exchange_form(&subject, DEFAULT_IDENTITY_POOL_ID);
    pairs.push(("expires_in", "1"));
    let (_, body) = exchange(&emulator, &pairs).await;
    let token = body["access_token"].as_str().expect("a token").to_owned();
    exchange(&emulator, &exchange_form(&subject, "pool-nope")).await;
    exchange(
        &emulator,
        &exchange_form("unknown", DEFAULT_IDENTITY_POOL_ID),
    )
    .await;
    exchange(
        &emulator,
        &exchange_form("unknown", DEFAULT_IDENTITY_POOL_ID),
    )
    .await;
    get_with_token(&emulator, OFFSETS, &token).await;
    emulator
        .advance_clock(Duration::from_secs(1))
        .expect("a manual clock");
    get_with_token(&emulator, OFFSETS, &token).await;
    get_with_token(&emulator, OFFSETS, &token).await;

    let mut expected = OAuthStats::default();
    expected.idp_tokens_issued = 2;
    expected.idp_refusals = [
        ("invalid_client".to_owned(), 1),
        ("unsupported_grant_type".to_owned(), 1),
    ]
    .into();
    expected.exchanges = 1;
    expected.exchange_refusals = [
        ("invalid_subject_token".to_owned(), 2),
        ("unknown_identity_pool".to_owned(), 1),
    ]
    .into();
    expected.expired_token_rejections = 2;
    let stats = emulator.oauth_stats();
    assert_eq!(stats, expected);
    assert_eq!(
        (
            stats.idp_refused("invalid_client"),
            stats.exchange_refused("invalid_subject_token"),
            stats.exchange_refused("expired_subject_token")
        ),
        (1, 2, 0)
    );
}

#[tokio::test]
async fn a_subject_token_issued_from_rust_is_not_counted_as_issued_by_the_idp() {
    let emulator = manual().await;

    emulator
        .issue_subject_token(DEFAULT_OAUTH_CLIENT_ID, Duration::from_secs(5))
        .expect("a subject token");

    assert_eq!(emulator.oauth_stats(), OAuthStats::default());
}

/// The whole answer, head and body, as text.
async fn answer_text(response: reqwest::Response) -> String {
    let head = format!("{:?} {:?}", response.status(), response.headers());
    format!("{head}\n{}", response.text().await.expect("a body"))
}

#[tokio::test]
async fn no_refusal_repeats_the_client_secret_or_a_token_it_was_sent() {
    let secret = "Sup3r-Secr3t-Value";
    let oauth = OAuth::default()
        .with_client(OAuthClient::new("app", secret))
        .with_identity_pool(IdentityPool::new("pool-a").only_environments(["env-emu002"]));
    let emulator = start(
        Emulator::builder()
            .manual_clock(start_time())
            .oauth(Some(oauth)),
    )
    .await;
    let idp = emulator.idp_token_url();
    let subject = emulator
        .issue_subject_token("app", Duration::from_secs(10))
        .expect("a subject token");
    let mut pairs = exchange_form(&subject, "pool-a");
    pairs.push(("expires_in", "5"));
    let (_, body) = exchange(&emulator, &pairs).await;
    let access = body["access_token"].as_str().expect("a token").to_owned();
    let unknown_subject = format!("{subject}x");
    let grant = || form(&[("grant_type", "client_credentials")]);
    let mut answers = vec![
        post_form(&idp, Some(&basic("app", &format!("{secret}x"))), grant()).await,
        post_form(&idp, Some(&basic("nobody", secret)), grant()).await,
        post_form(
            &idp,
            Some(&basic("app", secret)),
            form(&[
                ("grant_type", "client_credentials"),
                ("client_secret", secret),
            ]),
        )
        .await,
        post_form(&idp, None, form(&[("client_secret", secret)])).await,
        post_form(
            &idp,
            Some(&basic("app", secret)),
            form(&[("grant_type", secret)]),
        )
        .await,
        post_form(
            &emulator.sts_token_url(),
            None,
            form(&exchange_form(&subject, "pool-b")),
        )
        .await,
        post_form(
            &emulator.sts_token_url(),
            None,
            form(&exchange_form(&unknown_subject, "pool-a")),
        )
        .await,
        post_form(
            &emulator.sts_token_url(),
            None,
            form(&[
                ("grant_type", subject.as_str()),
                ("subject_token", subject.as_str()),
            ]),
        )
        .await,
        get_with_token(&emulator, OFFSETS, &access).await,
    ];
    emulator
        .advance_clock(Duration::from_secs(10))
        .expect("a manual clock");
    answers.push(
        post_form(
            &emulator.sts_token_url(),
            None,
            form(&exchange_form(&subject, "pool-a")),
        )
        .await,
    );
    answers.push(get_with_token(&emulator, OFFSETS, &access).await);

    let mut statuses = Vec::new();
    for response in answers {
        statuses.push(response.status().as_u16());
        let text = answer_text(response).await;
        for secret in [secret, subject.as_str(), access.as_str()] {
            assert!(!text.contains(secret), "an answer repeats a secret: {text}");
        }
    }
    assert_eq!(
        statuses,
        [401, 401, 400, 400, 400, 400, 400, 400, 403, 400, 401]
    );
}
