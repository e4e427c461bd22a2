//! Starting and stopping the emulator: the builder, the running handle and the accept loop.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use hyper_util::rt::{TokioIo, TokioTimer};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tower::Service as _;

use crate::api;
use crate::clock::Clock;
use crate::config::{Config, ConfigError, Credential, RateLimit};
use crate::connection::{ConnectionControl, ControlledStream};
use crate::faults::Faults;
use crate::rate_limit::Limiter;
use crate::state::{Missing, World};
use crate::stats::{Counter, Stats};

/// The path of the API's one collection of operations, below which the Confluent Cloud paths live.
pub const API_PREFIX: &str = "/connect/v1";
/// The path below which the emulator's own controls live, apart from the API's paths.
pub const ADMIN_PREFIX: &str = "/emulator/v1";

/// The largest request head (request line and headers) accepted; larger gets 431.
const MAX_REQUEST_HEAD: usize = 64 * 1024;
/// The largest alter request body accepted (about 500,000 sink entries); larger gets 413.
const MAX_ALTER_BODY: usize = 64 * 1024 * 1024;
/// How long a client may take to send its request head before the connection is closed.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long shutting down waits for requests in progress.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Everything the request handlers share.
#[derive(Debug)]
pub(crate) struct App {
    pub(crate) clock: Clock,
    pub(crate) observation_interval_ms: u64,
    pub(crate) alter_delay_ms: u64,
    pub(crate) credentials: Vec<Credential>,
    pub(crate) world: RwLock<World>,
    pub(crate) faults: RwLock<Faults>,
    pub(crate) rng: Mutex<StdRng>,
    pub(crate) limiter: Option<Limiter>,
    request_prefix: u64,
    request_counter: AtomicU64,
    pub(crate) answers: Counter,
}

impl App {
    fn new(config: &Config, seed: Option<u64>) -> App {
        let clock = match config.manual_clock_start {
            Some(start) => Clock::manual(start),
            None => Clock::system(),
        };
        let mut rng = match seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => rand::make_rng(),
        };
        let request_prefix = rand::Rng::next_u64(&mut rng);
        App {
            clock,
            observation_interval_ms: config.observation_interval_ms,
            alter_delay_ms: config.alter_delay_ms,
            credentials: config.credentials.clone(),
            world: RwLock::new(World::from_config(config)),
            faults: RwLock::new(config.faults.clone()),
            rng: Mutex::new(rng),
            limiter: config.rate_limit.map(Limiter::new),
            request_prefix,
            request_counter: AtomicU64::new(0),
            answers: Counter::default(),
        }
    }

    fn next_request_id(&self) -> String {
        let n = self.request_counter.fetch_add(1, Ordering::Relaxed);
        format!("{:016x}{n:016x}", self.request_prefix)
    }

    pub(crate) fn world(&self) -> std::sync::RwLockReadGuard<'_, World> {
        self.world.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn world_mut(&self) -> std::sync::RwLockWriteGuard<'_, World> {
        self.world.write().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn global_faults(&self) -> Faults {
        self.faults
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn set_global_faults(&self, faults: Faults) {
        *self.faults.write().unwrap_or_else(PoisonError::into_inner) = faults;
    }

    pub(crate) fn with_rng<T>(&self, f: impl FnOnce(&mut StdRng) -> T) -> T {
        f(&mut self.rng.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// Which requests a [`Faults`] setting applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultScope {
    /// Every API request, except those for connectors with faults of their own.
    Global,
    /// The requests for one connector.
    Connector {
        /// Its environment id.
        environment: String,
        /// Its Kafka cluster id.
        cluster: String,
        /// Its name.
        name: String,
    },
}

impl FaultScope {
    /// The scope of one connector.
    pub fn connector(
        environment: impl Into<String>,
        cluster: impl Into<String>,
        name: impl Into<String>,
    ) -> FaultScope {
        FaultScope::Connector {
            environment: environment.into(),
            cluster: cluster.into(),
            name: name.into(),
        }
    }
}

/// Why the emulator could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// The configuration is not valid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The port could not be bound.
    #[error("cannot listen on {addr}: {source}; choose another port, or 0 for any free one")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A fault setting named a connector the emulator does not have.
    #[error("no connector {name:?} in environment {environment}, cluster {cluster}")]
    UnknownConnector {
        /// The environment id given.
        environment: String,
        /// The cluster id given.
        cluster: String,
        /// The connector name given.
        name: String,
    },
    /// The clock was asked to move, but it follows the system clock.
    #[error(
        "the emulator's clock follows the system clock and cannot be moved; start it with a manual clock (`manual_clock_start`)"
    )]
    ClockNotManual,
}

/// Sets up an [`Emulator`]; [`EmulatorBuilder::start`] runs it.
#[derive(Debug, Clone, Default)]
#[must_use = "a builder does nothing until `start` is called"]
pub struct EmulatorBuilder {
    /// Starts as the built-in default.
    config: Config,
    /// 0 takes any free port.
    port: u16,
    seed: Option<u64>,
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
        let app = Arc::new(App::new(&self.config, self.seed));
        let router = router(Arc::clone(&app));
        let (shutdown, stop) = oneshot::channel();
        let task = tokio::spawn(serve(listener, router, stop));
        tracing::info!(%local_addr, "connect-emulator listening");
        Ok(Emulator {
            base_url: format!("http://{local_addr}"),
            local_addr,
            config: self.config,
            app,
            shutdown: Some(shutdown),
            task: Some(task),
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
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

pub(crate) fn set_faults(
    app: &App,
    scope: FaultScope,
    faults: Option<Faults>,
) -> Result<(), EmulatorError> {
    match scope {
        FaultScope::Global => app.set_global_faults(faults.unwrap_or_default()),
        FaultScope::Connector {
            environment,
            cluster,
            name,
        } => match app.world_mut().get_mut(&environment, &cluster, &name) {
            Ok(connector) => connector.faults = faults,
            Err(Missing::Environment | Missing::Cluster | Missing::Connector) => {
                return Err(EmulatorError::UnknownConnector {
                    environment,
                    cluster,
                    name,
                });
            }
        },
    }
    Ok(())
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(
            "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}/offsets",
            get(api::get_offsets),
        )
        .route(
            "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}/offsets/request",
            post(api::alter_offsets).layer(DefaultBodyLimit::max(MAX_ALTER_BODY)),
        )
        .route(
            "/connect/v1/environments/{environment_id}/clusters/{kafka_cluster_id}/connectors/{connector_name}/offsets/request/status",
            get(api::alter_status),
        )
        .nest(ADMIN_PREFIX, crate::admin::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(Arc::clone(&app), request_id))
        .with_state(app)
}

/// Gives every response, whatever produced it, an `X-Request-Id`.
async fn request_id(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let id = app.next_request_id();
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

async fn not_found(request: Request) -> Response {
    api::error_response(
        StatusCode::NOT_FOUND,
        &format!(
            "No such path: {}. The emulator serves {API_PREFIX}/environments/{{environment_id}}/clusters/{{kafka_cluster_id}}/connectors/{{connector_name}}/offsets and its controls under {ADMIN_PREFIX}/.",
            crate::ids::shorten(request.uri().path())
        ),
    )
}

async fn method_not_allowed(request: Request) -> Response {
    api::error_response(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!(
            "{} is not allowed on {}.",
            request.method(),
            crate::ids::shorten(request.uri().path())
        ),
    )
}

/// Accepts connections until told to stop, then shuts them down gracefully.
async fn serve(listener: TcpListener, router: Router, mut stop: oneshot::Receiver<()>) {
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .max_header_size(MAX_REQUEST_HEAD);
    loop {
        let (stream, peer) = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Running out of file descriptors must not end the server; back off briefly.
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let control = ConnectionControl::default();
        let io = TokioIo::new(ControlledStream::new(stream, control.clone()));
        let router = router.clone();
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request.extensions_mut().insert(control.clone());
                router.clone().call(request)
            },
        );
        let connection = graceful.watch(http.serve_connection(io, service));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%peer, %error, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running after the shutdown grace period were cut");
    }
}
