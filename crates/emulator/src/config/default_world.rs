//! The built-in default world: what the emulator serves when no configuration is given.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{
    Cluster, Config, ConnectorSpec, Credential, DEFAULT_API_KEY, DEFAULT_API_SECRET,
    DEFAULT_IDENTITY_POOL_ID, DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET, Environment,
    IdentityPool, OAuth, OAuthClient, SinkSpec, SourcePartitionSpec, SourceSpec, TopicSpec,
    default_alter_delay_ms, default_observation_interval_ms, default_rate_limit,
};
use crate::faults::Faults;

impl Default for Config {
    /// A few sink connectors on multi-partition topics (one with a stalled partition), a JDBC
    /// source connector, a second environment, three credentials (an API key for everything, an
    /// API key for the second environment only, and a bearer token), and OAuth: the identity
    /// provider's client [`DEFAULT_OAUTH_CLIENT_ID`] and the identity pool
    /// [`DEFAULT_IDENTITY_POOL_ID`], with access to everything, and lifetimes of 3600 and 900
    /// seconds.
    fn default() -> Config {
        let topic =
            |name: &str, partitions, start_offset, rate_per_second, stalled: &[u32]| TopicSpec {
                name: name.to_owned(),
                partitions,
                start_offset,
                rate_per_second,
                stalled_partitions: stalled.to_vec(),
            };
        let sink = |name: &str, topics| ConnectorSpec {
            name: name.to_owned(),
            id: None,
            sink: Some(SinkSpec { topics }),
            source: None,
            faults: None,
        };
        let table = |name: &str, timestamp: i64, incrementing: i64| SourcePartitionSpec {
            partition: object(serde_json::json!({"protocol": 1, "table": name})),
            offset: object(serde_json::json!({
                "timestamp": timestamp,
                "timestamp_nanos": 0,
                "incrementing": incrementing,
            })),
            advance: BTreeMap::from([
                ("timestamp".to_owned(), 1000.0),
                ("incrementing".to_owned(), 3.0),
            ]),
        };
        Config {
            observation_interval_ms: default_observation_interval_ms(),
            alter_delay_ms: default_alter_delay_ms(),
            alter_status_lag_ms: 0,
            rate_limit: default_rate_limit(),
            manual_clock_start: None,
            credentials: vec![
                Credential::api_key(DEFAULT_API_KEY, DEFAULT_API_SECRET),
                Credential::api_key("EMUKEY0000000002", "emulator-secret-2")
                    .only_environments(["env-emu002"]),
                Credential::bearer_token("emulator-token"),
            ],
            oauth: Some(
                OAuth::default()
                    .with_client(OAuthClient::new(
                        DEFAULT_OAUTH_CLIENT_ID,
                        DEFAULT_OAUTH_CLIENT_SECRET,
                    ))
                    .with_identity_pool(IdentityPool::new(DEFAULT_IDENTITY_POOL_ID)),
            ),
            environments: vec![
                Environment {
                    id: "env-emu001".to_owned(),
                    clusters: vec![Cluster {
                        id: "lkc-emu001".to_owned(),
                        connectors: vec![
                            sink("orders-sink", vec![topic("orders", 3, 1000, 5.0, &[])]),
                            sink(
                                "clicks-sink",
                                vec![
                                    topic("clicks", 6, 15_000, 40.0, &[4]),
                                    topic("clicks-retry", 2, 120, 1.0, &[]),
                                ],
                            ),
                            ConnectorSpec {
                                name: "inventory-jdbc-source".to_owned(),
                                id: None,
                                sink: None,
                                source: Some(SourceSpec {
                                    partitions: vec![
                                        table("inventory.products", 1_708_442_059_000, 100),
                                        table("inventory.stock", 1_708_442_000_000, 2500),
                                    ],
                                }),
                                faults: None,
                            },
                        ],
                    }],
                },
                Environment {
                    id: "env-emu002".to_owned(),
                    clusters: vec![Cluster {
                        id: "lkc-emu002".to_owned(),
                        connectors: vec![sink(
                            "payments-sink",
                            vec![topic("payments", 2, 42, 1.0, &[])],
                        )],
                    }],
                },
            ],
            faults: Faults::default(),
        }
    }
}

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}
