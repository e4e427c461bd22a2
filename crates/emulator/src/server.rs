//! Starting and stopping the emulator: the builder and the running handle.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::accept::serve;
use crate::app::{App, FaultScope, set_faults, with_connector};
use crate::config::{Config, OAuth, RateLimit};
use crate::error::EmulatorError;
use crate::faults::Faults;
use crate::router::{IDP_TOKEN_PATH, STS_TOKEN_PATH, router};
use crate::stats::{OAuthStats, Stats};

/// Sets up an [`Emulator`]; [`EmulatorBuilder::start`] runs it.
#[derive(Debug, Clone, Default)]
#[must_use = "a builder does nothing until `start` is called"]
pub struct EmulatorBuilder {
    /// Starts as the built-in default.
    config: Config,
    /// 0 takes any free port.
    port: u16,
    seed: Option<u64>,
    /// The port of the self-managed Kafka Connect worker, when it is served (0: any free one).
    self_managed_port: Option<u16>,
}

impl EmulatorBuilder {
    /// Serves this configuration instead of the built-in default.
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Listens on this port of 127.0.0.1; the default, 0, takes any free port.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// How often offsets are observed (see [`Config::observation_interval_ms`]).
    pub fn observation_interval(mut self, interval: Duration) -> Self {
        self.config.observation_interval_ms =
            u64::try_from(interval.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// For how long after an offsets change is asked for the status still shows the change
    /// before it (see [`Config::alter_status_lag_ms`]).
    pub fn alter_status_lag(mut self, lag: Duration) -> Self {
        self.config.alter_status_lag_ms = u64::try_from(lag.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// How long an offsets change stays pending (see [`Config::alter_delay_ms`]).
    pub fn alter_delay(mut self, delay: Duration) -> Self {
        self.config.alter_delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
        self
    }

    /// The per-credential token bucket; `None` turns rate limiting off.
    pub fn rate_limit(mut self, limit: Option<RateLimit>) -> Self {
        self.config.rate_limit = limit;
        self
    }

    /// OAuth: the identity provider's clients, the identity pools and the tokens' lifetimes
    /// (see [`OAuth`]); `None` turns the OAuth endpoints off.
    pub fn oauth(mut self, oauth: Option<OAuth>) -> Self {
        self.config.oauth = oauth;
        self
    }

    /// Faults for every request (see [`Faults`]).
    pub fn faults(mut self, faults: Faults) -> Self {
        self.config.faults = faults;
        self
    }

    /// Stops the clock at `start`; it then moves only with [`Emulator::advance_clock`].
    pub fn manual_clock(mut self, start: DateTime<Utc>) -> Self {
        self.config.manual_clock_start = Some(start);
        self
    }

    /// Seeds the random choices of fault injection, so a run can be repeated.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Also serves a small self-managed Apache Kafka Connect worker on 127.0.0.1:`port` (0:
    /// any free port; [`Emulator::self_managed_url`] says which): two connectors,
    /// `legacy-orders-sink` and `legacy-jdbc-source`, with their configuration, status and
    /// KIP-875 offsets, and stop and resume, for migrating them to the emulated Confluent Cloud.
    pub fn self_managed_worker(mut self, port: u16) -> Self {
        self.self_managed_port = Some(port);
        self
    }

    /// Validates the configuration, binds 127.0.0.1 and starts serving on the current tokio runtime.
    pub async fn start(self) -> Result<Emulator, EmulatorError> {
        self.config.validate()?;
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| EmulatorError::Bind { addr, source })?;
        let local_addr = listener
            .local_addr()
            .map_err(|source| EmulatorError::Bind { addr, source })?;
        let base_url = format!("http://{local_addr}");
        let app = Arc::new(App::new(&self.config, self.seed, &base_url));
        let router = router(Arc::clone(&app));
        let (shutdown, stop) = oneshot::channel();
        let self_managed = match self.self_managed_port {
            Some(port) => {
                let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
                let listener = TcpListener::bind(addr)
                    .await
                    .map_err(|source| EmulatorError::Bind { addr, source })?;
                let worker_addr = listener
                    .local_addr()
                    .map_err(|source| EmulatorError::Bind { addr, source })?;
                let (shutdown, stop) = oneshot::channel();
                let task = tokio::spawn(serve(listener, crate::worker::router(), stop));
                tracing::info!(%worker_addr, "self-managed Kafka Connect worker listening");
                Some(Listener {
                    url: format!("http://{worker_addr}"),
                    shutdown: Some(shutdown),
                    task: Some(task),
                })
            }
            None => None,
        };
        let task = tokio::spawn(serve(listener, router, stop));
        tracing::info!(%local_addr, "connect-emulator listening");
        Ok(Emulator {
            base_url,
            local_addr,
            config: self.config,
            app,
            shutdown: Some(shutdown),
            task: Some(task),
            self_managed,
        })
    }
}

/// A running emulator. Dropping it stops the server; [`Emulator::shutdown`] also waits for it.
///
/// ```no_run
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// use connect_emulator::Emulator;
///
/// let emulator = Emulator::builder().start().await?;
/// println!("serving {}", emulator.base_url());
/// emulator.shutdown().await;
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Emulator {
    base_url: String,
    local_addr: SocketAddr,
    config: Config,
    app: Arc<App>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    self_managed: Option<Listener>,
}

/// A second server: the self-managed worker.
#[derive(Debug)]
struct Listener {
    url: String,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Emulator {
    /// A builder with the built-in default configuration.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The URL to give a client, e.g. `http://127.0.0.1:8080`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The URL of the self-managed Kafka Connect worker, when the builder asked for one
    /// ([`EmulatorBuilder::self_managed_worker`]).
    pub fn self_managed_url(&self) -> Option<&str> {
        self.self_managed.as_ref().map(|worker| worker.url.as_str())
    }

    /// The address the emulator listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The configuration it was started with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The first API key and secret of the configuration, if it has one.
    pub fn api_key(&self) -> Option<(&str, &str)> {
        self.config
            .credentials
            .iter()
            .find_map(|c| Some((c.api_key.as_deref()?, c.api_secret.as_deref()?)))
    }

    /// Sets the faults of a scope, replacing what it had.
    pub fn set_faults(&self, scope: FaultScope, faults: Faults) -> Result<(), EmulatorError> {
        faults.validate("faults")?;
        set_faults(&self.app, scope, Some(faults))
    }

    /// Removes the faults of a scope: nothing goes wrong globally, or the connector follows the
    /// global setting again.
    pub fn clear_faults(&self, scope: FaultScope) -> Result<(), EmulatorError> {
        set_faults(&self.app, scope, None)
    }

    /// Fails the task of a connector with `trace`, as a connector fails when its external
    /// system refuses it: its status shows the task `FAILED` with the trace as its `msg`, the
    /// connector `DEGRADED`, and its offsets stand still until [`Emulator::recover_task`].
    pub fn fail_task(
        &self,
        scope: FaultScope,
        trace: impl Into<String>,
    ) -> Result<(), EmulatorError> {
        let trace = trace.into();
        let now = self.app.clock.now_ms();
        with_connector(&self.app, scope, |connector| {
            connector.fail_task(now, trace)
        })
    }

    /// Lets a connector's failed task run again: its offsets move on from where they stood.
    pub fn recover_task(&self, scope: FaultScope) -> Result<(), EmulatorError> {
        let now = self.app.clock.now_ms();
        with_connector(&self.app, scope, |connector| connector.recover_task(now))
    }

    /// Moves a manual clock forward (see [`EmulatorBuilder::manual_clock`]).
    pub fn advance_clock(&self, by: Duration) -> Result<DateTime<Utc>, EmulatorError> {
        let now = self
            .app
            .clock
            .advance(by)
            .ok_or(EmulatorError::ClockNotManual)?;
        Ok(self.app.clock.wall(now))
    }

    /// How many API requests were answered so far, by status.
    pub fn stats(&self) -> Stats {
        self.app.answers.snapshot()
    }

    /// What the OAuth endpoints did so far: tokens issued, exchanges, refusals by cause, and
    /// API requests refused for an expired access token. All zero when OAuth is off.
    pub fn oauth_stats(&self) -> OAuthStats {
        self.app
            .oauth
            .as_ref()
            .map(|oauth| oauth.stats())
            .unwrap_or_default()
    }

    /// A subject token (a JWT) for the identity provider's client `client_id`, living
    /// `lifetime` (by the emulator's clock), as if the identity provider had issued it: for a
    /// test that hands a client its subject token in a file. The STS exchanges it like any
    /// other; [`OAuthStats::idp_tokens_issued`] does not count it. A zero `lifetime` gives a
    /// token that has already expired.
    pub fn issue_subject_token(
        &self,
        client_id: &str,
        lifetime: Duration,
    ) -> Result<String, EmulatorError> {
        let oauth = self.app.oauth.as_ref().ok_or(EmulatorError::OAuthOff)?;
        if !oauth.has_client(client_id) {
            return Err(EmulatorError::UnknownOAuthClient {
                client_id: client_id.to_owned(),
            });
        }
        let lifetime_ms = u64::try_from(lifetime.as_millis()).unwrap_or(u64::MAX);
        Ok(oauth.issue_subject_token(&self.app.clock, client_id, lifetime_ms, None))
    }

    /// The URL of the identity provider's token endpoint, e.g.
    /// `http://127.0.0.1:8080/emulator/idp/oauth2/token` (served when OAuth is on).
    pub fn idp_token_url(&self) -> String {
        format!("{}{IDP_TOKEN_PATH}", self.base_url)
    }

    /// The URL of the STS's token exchange, e.g. `http://127.0.0.1:8080/sts/v1/oauth2/token`
    /// (served when OAuth is on).
    pub fn sts_token_url(&self) -> String {
        format!("{}{STS_TOKEN_PATH}", self.base_url)
    }

    /// The emulator's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.app.clock.wall(self.app.clock.now_ms())
    }

    /// Stops accepting connections, lets requests in progress finish (for up to 5 seconds) and
    /// waits for the server to end.
    pub async fn shutdown(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // The server may already be gone; there is then nothing to stop.
            let _ = shutdown.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        if let Some(worker) = self.self_managed.as_mut() {
            if let Some(shutdown) = worker.shutdown.take() {
                let _ = shutdown.send(());
            }
            if let Some(task) = worker.task.take() {
                let _ = task.await;
            }
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(shutdown) = self.self_managed.as_mut().and_then(|w| w.shutdown.take()) {
            let _ = shutdown.send(());
        }
    }
}
