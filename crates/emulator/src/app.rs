//! What the request handlers share: the world, the faults, the clock, the rate limiter, the
//! OAuth tokens and the counters, and how the faults of a scope are set.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError, RwLock};

use axum::http::HeaderName;
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::clock::Clock;
use crate::config::{Config, Credential};
use crate::error::EmulatorError;
use crate::faults::Faults;
use crate::oauth::OAuthState;
use crate::rate_limit::Limiter;
use crate::state::{Missing, World};
use crate::stats::Counter;

/// The header that carries each answer's request id.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Everything the request handlers share.
#[derive(Debug)]
pub(crate) struct App {
    pub(crate) clock: Clock,
    pub(crate) observation_interval_ms: u64,
    pub(crate) alter_delay_ms: u64,
    pub(crate) alter_status_lag_ms: u64,
    pub(crate) credentials: Vec<Credential>,
    pub(crate) world: RwLock<World>,
    pub(crate) faults: RwLock<Faults>,
    pub(crate) rng: Mutex<StdRng>,
    pub(crate) limiter: Option<Limiter>,
    /// The OAuth endpoints' state, when the configuration has an `oauth` section.
    pub(crate) oauth: Option<OAuthState>,
    request_prefix: u64,
    request_counter: AtomicU64,
    pub(crate) answers: Counter,
}

impl App {
    /// The state of `config`, served at `base_url` (which the OAuth tokens name as their issuer).
    pub(crate) fn new(config: &Config, seed: Option<u64>, base_url: &str) -> App {
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
            alter_status_lag_ms: config.alter_status_lag_ms,
            credentials: config.credentials.clone(),
            world: RwLock::new(World::from_config(config)),
            faults: RwLock::new(config.faults.clone()),
            rng: Mutex::new(rng),
            limiter: config.rate_limit.map(Limiter::new),
            oauth: config
                .oauth
                .clone()
                .map(|oauth| OAuthState::new(oauth, base_url)),
            request_prefix,
            request_counter: AtomicU64::new(0),
            answers: Counter::default(),
        }
    }

    pub(crate) fn next_request_id(&self) -> String {
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

/// Sets the faults of `scope` (`None`: clears them), or says the connector does not exist.
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

/// Runs `change` on the connector of `scope`, or says it does not exist (or that the scope is
/// not one connector).
pub(crate) fn with_connector(
    app: &App,
    scope: FaultScope,
    change: impl FnOnce(&mut crate::state::Connector),
) -> Result<(), EmulatorError> {
    let FaultScope::Connector {
        environment,
        cluster,
        name,
    } = scope
    else {
        return Err(EmulatorError::NotOneConnector);
    };
    match app.world_mut().get_mut(&environment, &cluster, &name) {
        Ok(connector) => {
            change(connector);
            Ok(())
        }
        Err(_) => Err(EmulatorError::UnknownConnector {
            environment,
            cluster,
            name,
        }),
    }
}
