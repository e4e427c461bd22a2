//! Checking a configuration: every value, naming the first entry that is wrong.

use std::collections::HashSet;

use serde_json::Value;

use super::{Config, ConnectorSpec, MAX_TOPIC_PARTITIONS, OAuth};
use crate::error::{ConfigError, invalid};
use crate::ids;

impl Config {
    /// Checks every value and names the first entry that is wrong.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.observation_interval_ms == 0 {
            return invalid(
                "observation_interval_ms",
                "must be at least 1 (milliseconds between observations)",
            );
        }
        if let Some(limit) = &self.rate_limit {
            if !(limit.requests_per_second.is_finite() && limit.requests_per_second > 0.0) {
                return invalid(
                    "rate_limit.requests_per_second",
                    "must be a positive number; set `rate_limit: null` to turn rate limiting off",
                );
            }
            if limit.burst == 0 {
                return invalid("rate_limit.burst", "must be at least 1");
            }
        }
        self.validate_credentials()?;
        if let Some(oauth) = &self.oauth {
            oauth.validate()?;
        }
        self.faults.validate("faults")?;
        self.validate_environments()
    }

    fn validate_credentials(&self) -> Result<(), ConfigError> {
        if self.credentials.is_empty() {
            return invalid(
                "credentials",
                "list at least one credential (api_key and api_secret, or bearer_token)",
            );
        }
        let mut keys = HashSet::new();
        for (i, credential) in self.credentials.iter().enumerate() {
            let at = format!("credentials[{i}]");
            match (
                &credential.api_key,
                &credential.api_secret,
                &credential.bearer_token,
            ) {
                (Some(key), Some(secret), None) => {
                    check_secret_text(&format!("{at}.api_key"), key)?;
                    if key.contains(':') {
                        return invalid(
                            &format!("{at}.api_key"),
                            "must not contain ':' (it separates key and secret in Basic auth)",
                        );
                    }
                    check_secret_text(&format!("{at}.api_secret"), secret)?;
                    if !keys.insert(format!("key:{key}")) {
                        return invalid(&format!("{at}.api_key"), "is listed twice");
                    }
                }
                (None, None, Some(token)) => {
                    check_secret_text(&format!("{at}.bearer_token"), token)?;
                    if !keys.insert(format!("token:{token}")) {
                        return invalid(&format!("{at}.bearer_token"), "is listed twice");
                    }
                }
                _ => {
                    return invalid(
                        &at,
                        "set either api_key and api_secret, or bearer_token alone",
                    );
                }
            }
            if credential.environments.is_empty() {
                return invalid(
                    &format!("{at}.environments"),
                    "list the environment ids this credential may read, or \"*\" for all",
                );
            }
        }
        Ok(())
    }

    fn validate_environments(&self) -> Result<(), ConfigError> {
        let mut environment_ids = HashSet::new();
        let mut connector_ids = HashSet::new();
        for (e, environment) in self.environments.iter().enumerate() {
            let at = format!("environments[{e}]");
            if let Err(reason) = ids::check_environment_id(&environment.id) {
                return invalid(&format!("{at}.id"), &reason);
            }
            if !environment_ids.insert(environment.id.as_str()) {
                return invalid(&format!("{at}.id"), "is listed twice");
            }
            let mut cluster_ids = HashSet::new();
            for (c, cluster) in environment.clusters.iter().enumerate() {
                let at = format!("{at}.clusters[{c}]");
                if let Err(reason) = ids::check_cluster_id(&cluster.id) {
                    return invalid(&format!("{at}.id"), &reason);
                }
                if !cluster_ids.insert(cluster.id.as_str()) {
                    return invalid(&format!("{at}.id"), "is listed twice in this environment");
                }
                let mut names = HashSet::new();
                for (n, connector) in cluster.connectors.iter().enumerate() {
                    let at = format!("{at}.connectors[{n}]");
                    if let Err(reason) = ids::check_connector_name(&connector.name) {
                        return invalid(&format!("{at}.name"), &reason);
                    }
                    if !names.insert(connector.name.as_str()) {
                        return invalid(&format!("{at}.name"), "is listed twice in this cluster");
                    }
                    let id = connector.connector_id();
                    if !connector_ids.insert(id.clone()) {
                        return invalid(
                            &format!("{at}.id"),
                            &format!(
                                "the connector id {id} is used twice; give one an explicit `id`"
                            ),
                        );
                    }
                    connector.validate(&at)?;
                }
            }
        }
        Ok(())
    }
}

/// The longest lifetime, in seconds, of a token: the largest `expires_in` the STS's reply may
/// carry (an int32).
const MAX_LIFETIME_SECS: u64 = i32::MAX as u64;

impl OAuth {
    fn validate(&self) -> Result<(), ConfigError> {
        check_lifetime(
            "oauth.idp_token_lifetime_secs",
            self.idp_token_lifetime_secs,
            "seconds a subject token of the identity provider lives",
        )?;
        check_lifetime(
            "oauth.sts_token_lifetime_secs",
            self.sts_token_lifetime_secs,
            "the most seconds an access token of the STS lives",
        )?;
        let mut client_ids = HashSet::new();
        for (i, client) in self.clients.iter().enumerate() {
            let at = format!("oauth.clients[{i}]");
            check_secret_text(&format!("{at}.client_id"), &client.client_id)?;
            check_secret_text(&format!("{at}.client_secret"), &client.client_secret)?;
            if !client_ids.insert(client.client_id.as_str()) {
                return invalid(&format!("{at}.client_id"), "is listed twice");
            }
        }
        let mut pool_ids = HashSet::new();
        for (i, pool) in self.identity_pools.iter().enumerate() {
            let at = format!("oauth.identity_pools[{i}]");
            check_secret_text(&format!("{at}.id"), &pool.id)?;
            if !pool_ids.insert(pool.id.as_str()) {
                return invalid(&format!("{at}.id"), "is listed twice");
            }
            if pool.environments.is_empty() {
                return invalid(
                    &format!("{at}.environments"),
                    "list the environment ids this pool's access tokens may read, or \"*\" for all",
                );
            }
        }
        Ok(())
    }
}

fn check_lifetime(at: &str, secs: u64, what: &str) -> Result<(), ConfigError> {
    if (1..=MAX_LIFETIME_SECS).contains(&secs) {
        Ok(())
    } else {
        invalid(
            at,
            &format!("must be between 1 and {MAX_LIFETIME_SECS} ({what})"),
        )
    }
}

impl ConnectorSpec {
    fn validate(&self, at: &str) -> Result<(), ConfigError> {
        if let Some(faults) = &self.faults {
            faults.validate(&format!("{at}.faults"))?;
        }
        match (&self.sink, &self.source) {
            (Some(sink), None) => {
                if sink.topics.is_empty() {
                    return invalid(&format!("{at}.sink.topics"), "list at least one topic");
                }
                let mut names = HashSet::new();
                for (t, topic) in sink.topics.iter().enumerate() {
                    let at = format!("{at}.sink.topics[{t}]");
                    if topic.name.is_empty() {
                        return invalid(&format!("{at}.name"), "must not be empty");
                    }
                    if !names.insert(topic.name.as_str()) {
                        return invalid(&format!("{at}.name"), "is listed twice");
                    }
                    if topic.partitions == 0 || topic.partitions > MAX_TOPIC_PARTITIONS {
                        return invalid(
                            &format!("{at}.partitions"),
                            &format!("must be between 1 and {MAX_TOPIC_PARTITIONS}"),
                        );
                    }
                    if topic.start_offset < 0 {
                        return invalid(&format!("{at}.start_offset"), "must not be negative");
                    }
                    check_rate(&format!("{at}.rate_per_second"), topic.rate_per_second)?;
                    if let Some(p) = topic
                        .stalled_partitions
                        .iter()
                        .find(|p| **p >= topic.partitions)
                    {
                        return invalid(
                            &format!("{at}.stalled_partitions"),
                            &format!(
                                "partition {p} does not exist (the topic has partitions 0 to {})",
                                topic.partitions - 1
                            ),
                        );
                    }
                }
                Ok(())
            }
            (None, Some(source)) => {
                if source.partitions.is_empty() {
                    return invalid(
                        &format!("{at}.source.partitions"),
                        "list at least one partition",
                    );
                }
                for (p, partition) in source.partitions.iter().enumerate() {
                    let at = format!("{at}.source.partitions[{p}]");
                    for (field, rate) in &partition.advance {
                        check_rate(&format!("{at}.advance.{field}"), *rate)?;
                        match partition.offset.get(field) {
                            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => {}
                            Some(_) => {
                                return invalid(
                                    &format!("{at}.advance.{field}"),
                                    "only integer offset fields can advance",
                                );
                            }
                            None => {
                                return invalid(
                                    &format!("{at}.advance.{field}"),
                                    "names no field of `offset`",
                                );
                            }
                        }
                    }
                }
                Ok(())
            }
            _ => invalid(at, "set exactly one of `sink` or `source`"),
        }
    }
}

fn check_rate(at: &str, rate: f64) -> Result<(), ConfigError> {
    if rate.is_finite() && rate >= 0.0 {
        Ok(())
    } else {
        invalid(at, "must be a number of at least 0 (per second)")
    }
}

fn check_secret_text(at: &str, text: &str) -> Result<(), ConfigError> {
    if text.is_empty() {
        return invalid(at, "must not be empty");
    }
    if text.chars().any(char::is_control) {
        return invalid(at, "must not contain control characters");
    }
    Ok(())
}
