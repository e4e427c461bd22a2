//! A cached access token, refreshed ahead of its expiry, one refresh at a time.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use super::{Authorization, BoxFuture, CredentialsError, CredentialsProvider, TokenSource};

/// The share of a token's lifetime after which [`RefreshingCredentials`] fetches the next one
/// by default: 0.8, i.e. a 900 s token is refreshed after 720 s.
pub const DEFAULT_REFRESH_AT: f64 = 0.8;

/// A [`CredentialsProvider`] that fetches bearer access tokens from a [`TokenSource`], keeps
/// the current one, and fetches the next one ahead of expiry.
///
/// - A token is used until [`refresh_at`](RefreshingCredentials::refresh_at) of its lifetime
///   has passed (counted from when it was asked for); the next request then fetches a new one.
/// - Concurrent requests share one fetch: the others wait for it and use its token.
/// - If a refresh fails while the current token has not expired, the current token is used
///   (the failure is logged at `warn`), and the refresh is tried again after half of its
///   remaining life; once it has expired, the failure is the request's.
/// - A 401 to a request sent with the current token drops it, so that the request is sent once
///   more with a new one.
pub struct RefreshingCredentials<S> {
    source: S,
    refresh_at: f64,
    current: Mutex<Option<Current>>,
    fetches: AtomicU64,
}

/// The token in use.
struct Current {
    authorization: Authorization,
    /// When to fetch the next one (`None`: never, until it is refused).
    refresh_after: Option<Instant>,
    /// When it expires (`None`: not known).
    expires: Option<Instant>,
}

/// `share` as a share of a token's lifetime after which it is refreshed: 0.1 ..= 1.0, and
/// [`DEFAULT_REFRESH_AT`] for NaN.
pub(crate) fn share_of_lifetime(share: f64) -> f64 {
    if share.is_nan() {
        DEFAULT_REFRESH_AT
    } else {
        share.clamp(0.1, 1.0)
    }
}

impl<S: TokenSource> RefreshingCredentials<S> {
    /// Tokens from `source`, refreshed after [`DEFAULT_REFRESH_AT`] of their lifetime.
    pub fn new(source: S) -> RefreshingCredentials<S> {
        RefreshingCredentials {
            source,
            refresh_at: DEFAULT_REFRESH_AT,
            current: Mutex::new(None),
            fetches: AtomicU64::new(0),
        }
    }

    /// Refreshes a token after this share of its lifetime; clamped to 0.1 ..= 1.0 (1.0: only
    /// when it has expired, or the service refuses it).
    pub fn refresh_at(mut self, share: f64) -> Self {
        self.refresh_at = share_of_lifetime(share);
        self
    }

    /// How many times a token was fetched from the source (successfully or not).
    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }

    /// The token source.
    pub fn source(&self) -> &S {
        &self.source
    }

    async fn current_or_fetch(&self) -> Result<Authorization, CredentialsError> {
        let mut current = self.current.lock().await;
        let asked = Instant::now();
        if let Some(token) = current.as_ref()
            && token.refresh_after.is_none_or(|after| asked < after)
        {
            return Ok(token.authorization.clone());
        }
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let fetched = self.source.fetch().await.and_then(|token| {
            let authorization = Authorization::bearer(token.token())?;
            Ok((authorization, token.lifetime()))
        });
        match fetched {
            Ok((authorization, lifetime)) => {
                tracing::debug!(
                    lifetime_s = lifetime.map(|l| l.as_secs()),
                    "fetched an access token"
                );
                *current = Some(Current {
                    authorization: authorization.clone(),
                    refresh_after: lifetime.map(|l| asked + l.mul_f64(self.refresh_at)),
                    expires: lifetime.map(|l| asked + l),
                });
                Ok(authorization)
            }
            Err(error) => {
                let now = Instant::now();
                let still_valid = current
                    .as_mut()
                    .filter(|token| token.expires.is_none_or(|expires| now < expires));
                let Some(token) = still_valid else {
                    return Err(error);
                };
                let left = token
                    .expires
                    .map_or(Duration::ZERO, |expires| expires - now);
                tracing::warn!(
                    %error,
                    valid_for_ms = left.as_millis() as u64,
                    "refreshing the access token failed; using the current one until it expires"
                );
                token.refresh_after = Some(now + left / 2);
                Ok(token.authorization.clone())
            }
        }
    }
}

impl<S> fmt::Debug for RefreshingCredentials<S>
where
    S: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshingCredentials")
            .field("source", &self.source)
            .field("refresh_at", &self.refresh_at)
            .finish_non_exhaustive()
    }
}

impl<S: TokenSource> CredentialsProvider for RefreshingCredentials<S> {
    fn authorization(&self) -> BoxFuture<'_, Result<Authorization, CredentialsError>> {
        Box::pin(self.current_or_fetch())
    }

    fn rejected<'a>(&'a self, rejected: &'a Authorization) -> BoxFuture<'a, bool> {
        Box::pin(async move {
            let mut current = self.current.lock().await;
            // Another request may have replaced it already: then its successor is worth a try.
            if current
                .as_ref()
                .is_some_and(|token| token.authorization == *rejected)
            {
                tracing::debug!("the service refused the access token; fetching another");
                *current = None;
            }
            true
        })
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;

    use super::super::AccessToken;
    use super::*;

    /// Numbered tokens that live `lifetime`, fetched after `delay`; fails while `failing`.
    #[derive(Debug)]
    struct Numbered {
        issued: AtomicU64,
        lifetime: Option<Duration>,
        delay: Duration,
        failing: AtomicBool,
    }

    impl Numbered {
        fn new(lifetime: Option<Duration>) -> Numbered {
            Numbered {
                issued: AtomicU64::new(0),
                lifetime,
                delay: Duration::ZERO,
                failing: AtomicBool::new(false),
            }
        }
    }

    impl TokenSource for Numbered {
        fn fetch(&self) -> BoxFuture<'_, Result<AccessToken, CredentialsError>> {
            Box::pin(async move {
                tokio::time::sleep(self.delay).await;
                if self.failing.load(Ordering::SeqCst) {
                    return Err(CredentialsError::other("the source is down"));
                }
                let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
                Ok(AccessToken::new(format!("token-{n}"), self.lifetime))
            })
        }
    }

    fn bearer(n: u32) -> Authorization {
        Authorization::bearer(&format!("token-{n}").into()).unwrap()
    }

    fn shown(authorization: &Authorization) -> &str {
        authorization.header_value().to_str().unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn a_token_is_reused_until_the_share_of_its_lifetime_has_passed() {
        let credentials = RefreshingCredentials::new(Numbered::new(Some(Duration::from_secs(100))));
        assert_eq!(credentials.authorization().await.unwrap(), bearer(1));
        tokio::time::advance(Duration::from_secs(79)).await;
        assert_eq!(credentials.authorization().await.unwrap(), bearer(1));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(
            shown(&credentials.authorization().await.unwrap()),
            "Bearer token-2"
        );
        assert_eq!(credentials.fetches(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn refresh_at_moves_the_refresh() {
        let credentials = RefreshingCredentials::new(Numbered::new(Some(Duration::from_secs(100))))
            .refresh_at(0.5);
        credentials.authorization().await.unwrap();
        tokio::time::advance(Duration::from_secs(49)).await;
        assert_eq!(credentials.authorization().await.unwrap(), bearer(1));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(credentials.authorization().await.unwrap(), bearer(2));
    }

    #[tokio::test(start_paused = true)]
    async fn concurrent_requests_share_one_fetch() {
        let mut source = Numbered::new(Some(Duration::from_secs(100)));
        source.delay = Duration::from_millis(500);
        let credentials = Arc::new(RefreshingCredentials::new(source));
        let requests: Vec<_> = (0..50)
            .map(|_| {
                let credentials = Arc::clone(&credentials);
                tokio::spawn(async move { credentials.authorization().await.unwrap() })
            })
            .collect();
        for request in requests {
            assert_eq!(request.await.unwrap(), bearer(1));
        }
        assert_eq!(credentials.fetches(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_refresh_keeps_the_valid_token_and_tries_again_later() {
        let credentials = RefreshingCredentials::new(Numbered::new(Some(Duration::from_secs(100))));
        credentials.authorization().await.unwrap();
        credentials.source().failing.store(true, Ordering::SeqCst);
        tokio::time::advance(Duration::from_secs(80)).await;
        assert_eq!(credentials.authorization().await.unwrap(), bearer(1));
        assert_eq!(credentials.fetches(), 2);
        // Not again before half of the remaining 20 s.
        tokio::time::advance(Duration::from_secs(9)).await;
        assert_eq!(credentials.authorization().await.unwrap(), bearer(1));
        assert_eq!(credentials.fetches(), 2);
        credentials.source().failing.store(false, Ordering::SeqCst);
        tokio::time::advance(Duration::from_secs(1)).await;
        assert_eq!(credentials.authorization().await.unwrap(), bearer(2));
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_refresh_after_expiry_is_the_error() {
        let credentials = RefreshingCredentials::new(Numbered::new(Some(Duration::from_secs(100))));
        credentials.authorization().await.unwrap();
        credentials.source().failing.store(true, Ordering::SeqCst);
        tokio::time::advance(Duration::from_secs(100)).await;
        let error = credentials.authorization().await.unwrap_err();
        assert_eq!(
            error.to_string(),
            "the credentials provider failed: the source is down"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_rejected_token_is_replaced_once_and_a_stale_rejection_keeps_the_new_one() {
        let credentials = RefreshingCredentials::new(Numbered::new(None));
        let first = credentials.authorization().await.unwrap();
        assert!(credentials.rejected(&first).await);
        let second = credentials.authorization().await.unwrap();
        assert_eq!(second, bearer(2));
        // A request still holding the first token is refused later: the second one stays.
        assert!(credentials.rejected(&first).await);
        assert_eq!(credentials.authorization().await.unwrap(), bearer(2));
        assert_eq!(credentials.fetches(), 2);
    }

    #[tokio::test(start_paused = true)]
    async fn a_token_without_a_lifetime_is_kept_until_refused() {
        let credentials = RefreshingCredentials::new(Numbered::new(None));
        credentials.authorization().await.unwrap();
        tokio::time::advance(Duration::from_secs(86_400 * 365)).await;
        assert_eq!(credentials.authorization().await.unwrap(), bearer(1));
        assert_eq!(credentials.fetches(), 1);
    }

    #[test]
    fn debug_shows_the_source_and_no_token() {
        let credentials = RefreshingCredentials::new(Numbered::new(None));
        let text = format!("{credentials:?}");
        assert!(
            text.starts_with("RefreshingCredentials { source: Numbered"),
            "{text}"
        );
        assert!(text.contains("refresh_at: 0.8"), "{text}");
    }
}
