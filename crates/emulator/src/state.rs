//! The emulated world: connectors, how their offsets move, and what an observation shows.

use std::collections::HashMap;
use std::sync::Arc;

use confluent_connect_api::types::{
    ConnectV1ConnectorOffsets, ConnectV1ConnectorOffsetsMetadata, ConnectV1OffsetsItem,
};
use serde_json::{Map, Value};

use crate::config::{Config, ConnectorSpec};
use crate::faults::Faults;

/// The connectors, by environment id, cluster id and connector name.
#[derive(Debug, Default)]
pub(crate) struct World {
    environments: HashMap<String, HashMap<String, HashMap<String, Connector>>>,
}

/// Why a connector could not be found: the first path segment that names nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Missing {
    Environment,
    Cluster,
    Connector,
}

#[derive(Debug)]
pub(crate) struct Connector {
    id: String,
    name: String,
    offsets: Offsets,
    /// Faults for this connector only; `None` means the global ones apply.
    pub(crate) faults: Option<Faults>,
}

#[derive(Debug)]
enum Offsets {
    Sink(Vec<SinkPartition>),
    Source(Vec<SourcePartition>),
}

/// A sink partition's offset is `base + rate * (t - base_ms)`, rounded down.
#[derive(Debug)]
struct SinkPartition {
    topic: Arc<str>,
    partition: u32,
    base: i64,
    base_ms: u64,
    rate_per_second: f64,
}

/// A source partition's advancing fields grow the same way from their values in `offset`.
#[derive(Debug)]
struct SourcePartition {
    partition: Map<String, Value>,
    offset: Map<String, Value>,
    advance: Vec<(String, f64)>,
    base_ms: u64,
}

impl World {
    pub(crate) fn from_config(config: &Config) -> World {
        let mut world = World::default();
        for environment in &config.environments {
            let clusters = world
                .environments
                .entry(environment.id.clone())
                .or_default();
            for cluster in &environment.clusters {
                let connectors = clusters.entry(cluster.id.clone()).or_default();
                for spec in &cluster.connectors {
                    connectors.insert(spec.name.clone(), Connector::from_spec(spec));
                }
            }
        }
        world
    }

    pub(crate) fn get(
        &self,
        environment: &str,
        cluster: &str,
        name: &str,
    ) -> Result<&Connector, Missing> {
        self.environments
            .get(environment)
            .ok_or(Missing::Environment)?
            .get(cluster)
            .ok_or(Missing::Cluster)?
            .get(name)
            .ok_or(Missing::Connector)
    }

    pub(crate) fn get_mut(
        &mut self,
        environment: &str,
        cluster: &str,
        name: &str,
    ) -> Result<&mut Connector, Missing> {
        self.environments
            .get_mut(environment)
            .ok_or(Missing::Environment)?
            .get_mut(cluster)
            .ok_or(Missing::Cluster)?
            .get_mut(name)
            .ok_or(Missing::Connector)
    }
}

impl Connector {
    fn from_spec(spec: &ConnectorSpec) -> Connector {
        let offsets = match (&spec.sink, &spec.source) {
            (Some(sink), _) => Offsets::Sink(
                sink.topics
                    .iter()
                    .flat_map(|topic| {
                        let name: Arc<str> = Arc::from(topic.name.as_str());
                        (0..topic.partitions).map(move |partition| SinkPartition {
                            topic: Arc::clone(&name),
                            partition,
                            base: topic.start_offset,
                            base_ms: 0,
                            rate_per_second: if topic.stalled_partitions.contains(&partition) {
                                0.0
                            } else {
                                topic.rate_per_second
                            },
                        })
                    })
                    .collect(),
            ),
            (None, Some(source)) => Offsets::Source(
                source
                    .partitions
                    .iter()
                    .map(|p| SourcePartition {
                        partition: p.partition.clone(),
                        offset: p.offset.clone(),
                        advance: p.advance.iter().map(|(k, v)| (k.clone(), *v)).collect(),
                        base_ms: 0,
                    })
                    .collect(),
            ),
            (None, None) => Offsets::Source(Vec::new()),
        };
        Connector {
            id: spec.connector_id(),
            name: spec.name.clone(),
            offsets,
            faults: spec.faults.clone(),
        }
    }

    /// The offsets as they are at emulator time `at_ms`, with `observed_at` as given.
    pub(crate) fn observe(&self, at_ms: u64, observed_at: String) -> ConnectV1ConnectorOffsets {
        let offsets = match &self.offsets {
            Offsets::Sink(partitions) => partitions
                .iter()
                .map(|p| {
                    let mut partition = Map::new();
                    partition.insert("kafka_partition".to_owned(), Value::from(p.partition));
                    partition.insert("kafka_topic".to_owned(), Value::from(&*p.topic));
                    let mut offset = Map::new();
                    let grown = growth(p.rate_per_second, p.base_ms, at_ms);
                    offset.insert(
                        "kafka_offset".to_owned(),
                        Value::from(p.base.saturating_add(grown)),
                    );
                    ConnectV1OffsetsItem { partition, offset }
                })
                .collect(),
            Offsets::Source(partitions) => partitions
                .iter()
                .map(|p| {
                    let mut offset = p.offset.clone();
                    for (field, rate) in &p.advance {
                        let grown = growth(*rate, p.base_ms, at_ms);
                        if let Some(value) = offset.get_mut(field) {
                            *value = advanced(value, grown);
                        }
                    }
                    ConnectV1OffsetsItem {
                        partition: p.partition.clone(),
                        offset,
                    }
                })
                .collect(),
        };
        ConnectV1ConnectorOffsets {
            id: Some(self.id.clone()),
            name: Some(self.name.clone()),
            offsets,
            metadata: Some(ConnectV1ConnectorOffsetsMetadata {
                observed_at: Some(observed_at),
            }),
        }
    }
}

/// How much a value growing at `rate` per second has grown from `since_ms` to `at_ms`.
fn growth(rate: f64, since_ms: u64, at_ms: u64) -> i64 {
    let seconds = at_ms.saturating_sub(since_ms) as f64 / 1000.0;
    // `as` saturates at i64::MAX for huge products, which is the behaviour wanted here.
    (rate * seconds).floor() as i64
}

/// An integer JSON value increased by `by`, saturating; other values are left alone (the
/// configuration only lets integer fields advance).
fn advanced(value: &Value, by: i64) -> Value {
    if let Some(n) = value.as_i64() {
        Value::from(n.saturating_add(by))
    } else if let Some(n) = value.as_u64() {
        Value::from(n.saturating_add(by.unsigned_abs()))
    } else {
        value.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_rounds_down() {
        assert_eq!(growth(5.0, 0, 999), 4);
        assert_eq!(growth(5.0, 0, 1000), 5);
        assert_eq!(growth(0.5, 1000, 2999), 0);
    }

    #[test]
    fn growth_before_the_base_time_is_zero() {
        assert_eq!(growth(5.0, 2000, 1000), 0);
    }

    #[test]
    fn integers_above_two_to_the_53_advance_exactly() {
        let big = Value::from(9_007_199_254_740_993_u64);
        assert_eq!(advanced(&big, 2), Value::from(9_007_199_254_740_995_u64));
        let top = Value::from(u64::MAX);
        assert_eq!(advanced(&top, 1), Value::from(u64::MAX));
        assert_eq!(advanced(&Value::from(i64::MAX), 1), Value::from(i64::MAX));
    }
}
