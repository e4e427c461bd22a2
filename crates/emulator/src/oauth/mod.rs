//! OAuth as Confluent Cloud does it: the emulator's identity provider issues subject tokens
//! (JWTs) by client credentials ([`idp`]), its Security Token Service exchanges them for access
//! tokens ([`sts`]), and the API accepts those until they expire.
//!
//! Every token issued is remembered with its expiry, by the emulator's clock, so that a manual
//! clock makes expiry exact. Tokens are JWT-shaped with random signatures that nothing can
//! verify: the emulator knows its tokens by remembering them, not by checking signatures.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, PoisonError};

use axum::http::header::{CACHE_CONTROL, PRAGMA};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::auth::same;
use crate::clock::Clock;
use crate::config::OAuth;
use crate::response::error_response;
use crate::router::{IDP_TOKEN_PATH, STS_TOKEN_PATH};
use crate::stats::OAuthStats;

mod form;
pub(crate) mod idp;
pub(crate) mod sts;

/// What the OAuth handlers share: the configuration, every token issued, and the counts.
pub(crate) struct OAuthState {
    pub(crate) config: OAuth,
    /// The emulator's base URL, from which the tokens' `iss` is made.
    base_url: String,
    subject_tokens: Mutex<HashMap<String, SubjectToken>>,
    access_tokens: Mutex<HashMap<String, Grant>>,
    stats: Mutex<OAuthStats>,
}

/// A subject token the identity provider issued.
struct SubjectToken {
    client_id: String,
    expires_ms: u64,
}

/// An access token the STS issued: the identity pool it was exchanged in (its index in the
/// configuration), and its expiry.
struct Grant {
    pool: usize,
    expires_ms: u64,
}

/// What a subject token presented to the STS is.
pub(crate) enum SubjectCheck {
    /// Issued to this client, and not expired.
    Valid { client_id: String },
    /// Issued, but it expired at this time (milliseconds of the emulator's clock).
    Expired { at_ms: u64 },
    /// Never issued.
    Unknown,
}

/// What a bearer token presented to the API is, as far as the STS knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AccessCheck {
    /// Issued in the identity pool of this index, and not expired.
    Valid { pool: usize },
    /// Issued, but expired.
    Expired,
    /// Never issued by the STS.
    Unknown,
}

impl fmt::Debug for OAuthState {
    /// Without the tokens, which are secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthState")
            .field("config", &self.config)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl OAuthState {
    pub(crate) fn new(config: OAuth, base_url: &str) -> OAuthState {
        OAuthState {
            config,
            base_url: base_url.to_owned(),
            subject_tokens: Mutex::new(HashMap::new()),
            access_tokens: Mutex::new(HashMap::new()),
            stats: Mutex::new(OAuthStats::default()),
        }
    }

    /// Whether the identity provider has a client `client_id`.
    pub(crate) fn has_client(&self, client_id: &str) -> bool {
        self.config.clients.iter().any(|c| c.client_id == client_id)
    }

    /// Whether `client_id` and `secret` are those of a client (the secret compared in time that
    /// depends only on the lengths).
    pub(crate) fn authenticate(&self, client_id: &str, secret: &str) -> bool {
        self.config.clients.iter().any(|c| {
            c.client_id == client_id && same(c.client_secret.as_bytes(), secret.as_bytes())
        })
    }

    /// A new subject token of the identity provider for `client_id`, living `lifetime_ms`.
    pub(crate) fn issue_subject_token(
        &self,
        clock: &Clock,
        client_id: &str,
        lifetime_ms: u64,
        scope: Option<&str>,
    ) -> String {
        let now = clock.now_ms();
        let expires_ms = now.saturating_add(lifetime_ms);
        let mut claims = json!({
            "iss": format!("{}/emulator/idp", self.base_url),
            "sub": client_id,
            "aud": self.base_url,
            "iat": clock.wall(now).timestamp(),
            "exp": clock.wall(expires_ms).timestamp(),
            "jti": random_hex::<16>(),
        });
        if let (Some(scope), Value::Object(map)) = (scope, &mut claims) {
            map.insert("scope".to_owned(), Value::from(scope));
        }
        let token = jwt(&claims);
        lock(&self.subject_tokens).insert(
            token.clone(),
            SubjectToken {
                client_id: client_id.to_owned(),
                expires_ms,
            },
        );
        token
    }

    /// What `token` is, presented to the STS at `now_ms`.
    pub(crate) fn check_subject_token(&self, token: &str, now_ms: u64) -> SubjectCheck {
        match lock(&self.subject_tokens).get(token) {
            Some(subject) if now_ms < subject.expires_ms => SubjectCheck::Valid {
                client_id: subject.client_id.clone(),
            },
            Some(subject) => SubjectCheck::Expired {
                at_ms: subject.expires_ms,
            },
            None => SubjectCheck::Unknown,
        }
    }

    /// The index of the identity pool `id`.
    pub(crate) fn pool_index(&self, id: &str) -> Option<usize> {
        self.config.identity_pools.iter().position(|p| p.id == id)
    }

    /// A new access token of the STS for `client_id`, in the pool of index `pool`, living
    /// `lifetime_secs`.
    pub(crate) fn issue_access_token(
        &self,
        clock: &Clock,
        client_id: &str,
        pool: usize,
        lifetime_secs: u64,
    ) -> String {
        let now = clock.now_ms();
        let expires_ms = now.saturating_add(lifetime_secs.saturating_mul(1000));
        let pool_id = self
            .config
            .identity_pools
            .get(pool)
            .map_or("", |p| p.id.as_str());
        let token = jwt(&json!({
            "iss": self.base_url,
            "sub": client_id,
            "identity_pool_id": pool_id,
            "iat": clock.wall(now).timestamp(),
            "exp": clock.wall(expires_ms).timestamp(),
            "jti": random_hex::<16>(),
        }));
        lock(&self.access_tokens).insert(token.clone(), Grant { pool, expires_ms });
        token
    }

    /// What the bearer token `token` is, presented to the API at `now_ms`.
    pub(crate) fn check_access_token(&self, token: &str, now_ms: u64) -> AccessCheck {
        match lock(&self.access_tokens).get(token) {
            Some(grant) if now_ms < grant.expires_ms => AccessCheck::Valid { pool: grant.pool },
            Some(_) => AccessCheck::Expired,
            None => AccessCheck::Unknown,
        }
    }

    /// Changes the counts.
    pub(crate) fn record(&self, change: impl FnOnce(&mut OAuthStats)) {
        change(&mut lock(&self.stats));
    }

    /// The counts so far.
    pub(crate) fn stats(&self) -> OAuthStats {
        lock(&self.stats).clone()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A JWT with these claims: shaped as an identity provider's (RS256), with a random signature.
fn jwt(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","typ":"JWT","kid":"connect-emulator"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let signature = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
    format!("{header}.{payload}.{signature}")
}

/// Bytes from the operating system's seeded generator: never the seeded one of fault injection,
/// so that tokens stay unguessable and do not change the faults a seed repeats.
fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::fill(&mut bytes[..]);
    bytes
}

fn random_hex<const N: usize>() -> String {
    random_bytes::<N>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A token answer must not be cached (RFC 6749 section 5.1).
fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// The answer of both token endpoints when the configuration has no `oauth` section.
fn off() -> Response {
    error_response(
        StatusCode::NOT_FOUND,
        &format!(
            "OAuth is off: the emulator's configuration has no `oauth` section. Add one (`connect-emulator --print-default-config` shows an example) to serve {IDP_TOKEN_PATH} and {STS_TOKEN_PATH}."
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{IdentityPool, OAuthClient};

    fn state() -> OAuthState {
        let config = OAuth::default()
            .with_client(OAuthClient::new("client", "secret"))
            .with_identity_pool(IdentityPool::new("pool-a"));
        OAuthState::new(config, "http://127.0.0.1:1")
    }

    fn clock() -> Clock {
        Clock::manual(chrono::DateTime::UNIX_EPOCH)
    }

    fn claims(token: &str) -> Value {
        let payload = token.split('.').nth(1).expect("a payload");
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
    }

    #[test]
    fn a_subject_token_is_a_jwt_naming_its_client_and_expiry() {
        let clock = clock();
        let token = state().issue_subject_token(&clock, "client", 90_000, Some("read"));

        let claims = claims(&token);
        assert_eq!(token.split('.').count(), 3);
        assert_eq!(
            (
                &claims["iss"],
                &claims["sub"],
                &claims["iat"],
                &claims["exp"],
                &claims["scope"]
            ),
            (
                &json!("http://127.0.0.1:1/emulator/idp"),
                &json!("client"),
                &json!(0),
                &json!(90),
                &json!("read")
            )
        );
        assert_eq!(claims["jti"].as_str().map(str::len), Some(32));
    }

    #[test]
    fn a_subject_token_expires_at_its_exp_exactly() {
        let clock = clock();
        let state = state();
        let token = state.issue_subject_token(&clock, "client", 1000, None);

        assert!(matches!(
            state.check_subject_token(&token, 999),
            SubjectCheck::Valid { client_id } if client_id == "client"
        ));
        assert!(matches!(
            state.check_subject_token(&token, 1000),
            SubjectCheck::Expired { at_ms: 1000 }
        ));
    }

    #[test]
    fn an_access_token_expires_after_its_lifetime() {
        let clock = clock();
        let state = state();
        let token = state.issue_access_token(&clock, "client", 0, 2);

        assert_eq!(
            (
                state.check_access_token(&token, 1999),
                state.check_access_token(&token, 2000),
                state.check_access_token("other", 0),
            ),
            (
                AccessCheck::Valid { pool: 0 },
                AccessCheck::Expired,
                AccessCheck::Unknown
            )
        );
    }

    #[test]
    fn two_tokens_issued_at_once_differ() {
        let clock = clock();
        let state = state();

        assert_ne!(
            state.issue_access_token(&clock, "client", 0, 2),
            state.issue_access_token(&clock, "client", 0, 2)
        );
    }

    #[test]
    fn the_debug_of_the_state_shows_no_token_nor_secret() {
        let clock = clock();
        let state = state();
        let token = state.issue_subject_token(&clock, "client", 1000, None);

        let shown = format!("{state:?}");
        assert!(
            !shown.contains(&token) && !shown.contains("\"secret\""),
            "{shown}"
        );
    }
}
