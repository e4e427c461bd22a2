//! A connector's configuration, whose secret values are never shown.

use std::collections::BTreeMap;
use std::fmt;

/// What [`ConnectorConfig`]'s `Debug` and [`ConnectorConfig::redacted`] show instead of a
/// secret value.
pub const REDACTED: &str = "<redacted>";

/// The configuration keys that Confluent's spec marks `x-redact`.
const SPEC_REDACTED: [&str; 1] = ["kafka.api.secret"];

/// Words that make a configuration key secret wherever they stand in it (compared in lower
/// case): connectors name their passwords, secrets, tokens and private keys this way
/// (`connection.password`, `aws.secret.access.key`, `ssl.keystore.password`, ...).
const SECRET_WORDS: [&str; 5] = ["password", "secret", "token", "private.key", "credentials"];

/// A connector's configuration: its keys and values, as Confluent Cloud keeps them.
///
/// Secret values (the Kafka API secret, which Confluent's spec marks `x-redact`, and every key
/// that names a password, secret, token, private key or credentials) are available to the
/// program through [`get`](ConnectorConfig::get) and sent as they are, but never shown:
/// `Debug` prints [`REDACTED`] in their place, and so does [`redacted`](ConnectorConfig::redacted),
/// the view to print or log.
///
/// ```
/// use confluent_connect::ConnectorConfig;
///
/// let config = ConnectorConfig::new()
///     .with("connector.class", "S3_SINK")
///     .with("kafka.api.key", "ABCDEFGH12345678")
///     .with("kafka.api.secret", "s3cr3t");
/// assert_eq!(config.get("kafka.api.secret"), Some("s3cr3t"));
/// assert!(!format!("{config:?}").contains("s3cr3t"));
/// assert_eq!(config.redacted()["kafka.api.secret"], "<redacted>");
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ConnectorConfig {
    entries: BTreeMap<String, String>,
}

impl ConnectorConfig {
    /// An empty configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// This configuration with `key` set to `value`.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.insert(key, value);
        self
    }

    /// Sets `key` to `value`, returning the value it had.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) -> Option<String> {
        self.entries.insert(key.into(), value.into())
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<String> {
        self.entries.remove(key)
    }

    /// The value of `key`, secret or not.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.get(key).map(String::as_str)
    }

    /// Every key and value (secrets included), in the order of the keys.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// How many keys it has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it has no key.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether the value of `key` is a secret (see the type's documentation).
    pub fn is_secret(key: &str) -> bool {
        let lower = key.to_ascii_lowercase();
        SPEC_REDACTED.contains(&key) || SECRET_WORDS.iter().any(|word| lower.contains(word))
    }

    /// Every key with its value, secrets replaced by [`REDACTED`]: the view to print or log.
    pub fn redacted(&self) -> BTreeMap<String, String> {
        self.entries
            .iter()
            .map(|(key, value)| {
                let shown = if Self::is_secret(key) {
                    REDACTED.to_string()
                } else {
                    value.clone()
                };
                (key.clone(), shown)
            })
            .collect()
    }

    /// The keys and values as a JSON object of strings (secrets included), to send.
    pub(crate) fn to_json(&self) -> serde_json::Map<String, serde_json::Value> {
        self.entries
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect()
    }

    /// The configuration in a generated config type: each field a string.
    pub(crate) fn from_generated<T: serde::Serialize>(config: &T) -> Self {
        let mut entries = BTreeMap::new();
        if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(config) {
            for (key, value) in fields {
                match value {
                    serde_json::Value::String(text) => entries.insert(key, text),
                    serde_json::Value::Null => None,
                    other => entries.insert(key, other.to_string()),
                };
            }
        }
        Self { entries }
    }
}

impl fmt::Debug for ConnectorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.redacted()).finish()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for ConnectorConfig {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self {
            entries: iter
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_spec_s_redacted_key_and_password_like_keys_are_secret() {
        for key in [
            "kafka.api.secret",
            "connection.password",
            "aws.secret.access.key",
            "gcp.credentials.json",
            "ssl.key.PASSWORD",
            "auth.token",
            "ssh.private.key",
        ] {
            assert!(ConnectorConfig::is_secret(key), "{key}");
        }
        for key in [
            "kafka.api.key",
            "connector.class",
            "topics",
            "name",
            "tasks.max",
        ] {
            assert!(!ConnectorConfig::is_secret(key), "{key}");
        }
    }

    #[test]
    fn debug_masks_every_secret_value_and_shows_the_others() {
        let config = ConnectorConfig::new()
            .with("kafka.api.key", "KEY1")
            .with("kafka.api.secret", "hunter2")
            .with("connection.password", "pa55");
        assert_eq!(
            format!("{config:?}"),
            r#"{"connection.password": "<redacted>", "kafka.api.key": "KEY1", "kafka.api.secret": "<redacted>"}"#
        );
    }

    #[test]
    fn from_generated_keeps_every_value_as_text() {
        let config = ConnectorConfig::from_generated(&serde_json::json!({
            "name": "orders", "tasks.max": 2, "absent": null
        }));
        assert_eq!(
            config.iter().collect::<Vec<_>>(),
            [("name", "orders"), ("tasks.max", "2")]
        );
    }
}
