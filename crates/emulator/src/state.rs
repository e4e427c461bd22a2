//! The emulated world: connectors, how their offsets move, and what an observation shows.
//!
//! One file of some 530 lines, on purpose: a connector's offsets and its offsets changes act on
//! the same private state (a change freezes the partitions, is checked against them, sets them
//! and lets them move on), so either half in a module of its own would reach into the other's
//! fields, or import its parent back.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use confluent_connect_api::RawJsonObject;
use confluent_connect_api::types::{
    ConnectV1AlterOffsetRequest, ConnectV1AlterOffsetRequestInfo, ConnectV1AlterOffsetRequestType,
    ConnectV1AlterOffsetStatus, ConnectV1AlterOffsetStatusStatus, ConnectV1ConnectorOffsets,
    ConnectV1ConnectorOffsetsMetadata, ConnectV1OffsetsItem,
};
use serde_json::{Map, Value};

use crate::response::built;

use crate::clock::Clock;
use crate::config::{Config, ConnectorSpec};
use crate::faults::Faults;

/// The connectors, by environment id, cluster id and connector name.
#[derive(Debug, Default)]
pub(crate) struct World {
    environments: HashMap<String, HashMap<String, HashMap<String, Connector>>>,
}

/// An offsets entry as JSON objects: its partition and its offset.
pub(crate) type Entry = (Map<String, Value>, Map<String, Value>);

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
    /// Its configuration, secrets as given (they are masked when served).
    config: BTreeMap<String, String>,
    /// Paused on request: its offsets stand still until it is resumed.
    paused: bool,
    /// Its task's failure, with the trace: its offsets stand still until the task recovers.
    failed_task: Option<String>,
    /// Until when a newly created connector is `PROVISIONING` (0: from the start).
    provisioned_ms: u64,
    /// Faults for this connector only; `None` means the global ones apply.
    pub(crate) faults: Option<Faults>,
    /// The latest offsets change, pending or over.
    alter: Option<Alter>,
    /// The change before it, which the status shows for a while under a status lag.
    earlier: Option<Alter>,
}

/// An offsets change: requested at `requested_ms`, over at `settles_ms`.
#[derive(Debug)]
struct Alter {
    kind: ConnectV1AlterOffsetRequestType,
    requested: Vec<ConnectV1OffsetsItem>,
    requested_ms: u64,
    settles_ms: u64,
    /// Decided when the change is asked for, shown once it settles: `Err` holds why it fails.
    verdict: Result<(), String>,
    previous: Vec<ConnectV1OffsetsItem>,
    settled: bool,
}

/// Why an offsets change is refused at once (a 400), not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refused(pub(crate) String);

#[derive(Debug)]
enum Offsets {
    Sink(Vec<SinkPartition>),
    Source(Vec<SourcePartition>),
}

/// A sink partition's offset is `base + rate * (t - base_ms)`, rounded down, and `base` before
/// `base_ms` (which lies in the future while an offsets change is pending).
#[derive(Debug)]
struct SinkPartition {
    topic: Arc<str>,
    partition: u32,
    start: i64,
    base: i64,
    base_ms: u64,
    rate_per_second: f64,
}

/// A source partition's advancing fields grow the same way from their values in `offset`.
#[derive(Debug)]
struct SourcePartition {
    partition: Map<String, Value>,
    start: Map<String, Value>,
    offset: Map<String, Value>,
    advance: Vec<(String, f64)>,
    base_ms: u64,
}

impl World {
    /// The connectors of a cluster, or which path segment names nothing.
    pub(crate) fn cluster(
        &self,
        environment: &str,
        cluster: &str,
    ) -> Result<&HashMap<String, Connector>, Missing> {
        self.environments
            .get(environment)
            .ok_or(Missing::Environment)?
            .get(cluster)
            .ok_or(Missing::Cluster)
    }

    /// The connectors of a cluster, to change, or which path segment names nothing.
    pub(crate) fn cluster_mut(
        &mut self,
        environment: &str,
        cluster: &str,
    ) -> Result<&mut HashMap<String, Connector>, Missing> {
        self.environments
            .get_mut(environment)
            .ok_or(Missing::Environment)?
            .get_mut(cluster)
            .ok_or(Missing::Cluster)
    }

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
                            start: topic.start_offset,
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
                        start: p.offset.clone(),
                        offset: p.offset.clone(),
                        advance: p.advance.iter().map(|(k, v)| (k.clone(), *v)).collect(),
                        base_ms: 0,
                    })
                    .collect(),
            ),
            (None, None) => Offsets::Source(Vec::new()),
        };
        let config = default_config(&spec.name, &offsets);
        Connector {
            id: spec.connector_id(),
            name: spec.name.clone(),
            offsets,
            config,
            paused: false,
            failed_task: None,
            provisioned_ms: 0,
            faults: spec.faults.clone(),
            alter: None,
            earlier: None,
        }
    }

    /// A connector created at `now_ms` through the API, `PROVISIONING` until `ready_ms`, whose
    /// partitions start at `offsets` and stand still (no data flows into the emulator's new
    /// connectors). Sink-shaped offsets make a sink connector; other offsets a source one;
    /// without offsets, a `connector.class` naming a sink does.
    pub(crate) fn created(
        name: &str,
        config: BTreeMap<String, String>,
        offsets: &[Entry],
        ready_ms: u64,
    ) -> Connector {
        let sink_shaped: Option<Vec<SinkPartition>> = offsets
            .iter()
            .map(|(partition, offset)| {
                Some(SinkPartition {
                    topic: Arc::from(partition.get("kafka_topic")?.as_str()?),
                    partition: u32::try_from(partition.get("kafka_partition")?.as_u64()?).ok()?,
                    start: offset.get("kafka_offset")?.as_i64()?,
                    base: offset.get("kafka_offset")?.as_i64()?,
                    base_ms: 0,
                    rate_per_second: 0.0,
                })
            })
            .collect();
        let class_is_sink = config
            .get("connector.class")
            .is_some_and(|class| class.to_ascii_lowercase().contains("sink"));
        let offsets = match sink_shaped {
            Some(partitions) if !partitions.is_empty() || class_is_sink => {
                Offsets::Sink(partitions)
            }
            _ => Offsets::Source(
                offsets
                    .iter()
                    .map(|(partition, offset)| SourcePartition {
                        partition: partition.clone(),
                        start: offset.clone(),
                        offset: offset.clone(),
                        advance: Vec::new(),
                        base_ms: 0,
                    })
                    .collect(),
            ),
        };
        Connector {
            id: format!(
                "lcc-{}",
                name.chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_lowercase())
                    .collect::<String>()
            ),
            name: name.to_owned(),
            offsets,
            config,
            paused: false,
            failed_task: None,
            provisioned_ms: ready_ms,
            faults: None,
            alter: None,
            earlier: None,
        }
    }

    /// Its id, `lcc-...`.
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    /// `sink` or `source`.
    pub(crate) fn kind(&self) -> &'static str {
        match self.offsets {
            Offsets::Sink(_) => "sink",
            Offsets::Source(_) => "source",
        }
    }

    /// Its configuration, secrets as given.
    pub(crate) fn config(&self) -> &BTreeMap<String, String> {
        &self.config
    }

    /// Replaces its configuration.
    pub(crate) fn set_config(&mut self, config: BTreeMap<String, String>) {
        self.config = config;
    }

    /// The connector's state at `now_ms`, its one task's, and the task's trace.
    pub(crate) fn states(&self, now_ms: u64) -> (&'static str, &'static str, Option<&str>) {
        if now_ms < self.provisioned_ms {
            ("PROVISIONING", "UNASSIGNED", None)
        } else if self.paused {
            ("PAUSED", "PAUSED", None)
        } else if let Some(trace) = &self.failed_task {
            ("DEGRADED", "FAILED", Some(trace))
        } else {
            ("RUNNING", "RUNNING", None)
        }
    }

    /// Pauses it at `now_ms`: its offsets stand still from then.
    pub(crate) fn pause(&mut self, now_ms: u64) {
        self.settle(now_ms);
        self.paused = true;
        self.freeze(now_ms, u64::MAX);
    }

    /// Resumes it at `now_ms`: its offsets move on from there, unless its task has failed.
    pub(crate) fn resume(&mut self, now_ms: u64) {
        self.settle(now_ms);
        self.paused = false;
        self.thaw(now_ms);
    }

    /// Fails its task at `now_ms` with `trace`: its offsets stand still until it recovers.
    pub(crate) fn fail_task(&mut self, now_ms: u64, trace: String) {
        self.settle(now_ms);
        self.failed_task = Some(trace);
        self.freeze(now_ms, u64::MAX);
    }

    /// Lets its failed task recover at `now_ms`.
    pub(crate) fn recover_task(&mut self, now_ms: u64) {
        self.settle(now_ms);
        self.failed_task = None;
        self.thaw(now_ms);
    }

    /// Lets the offsets move on from `now_ms`, unless something still holds them.
    fn thaw(&mut self, now_ms: u64) {
        if !self.is_held() {
            self.freeze(now_ms, now_ms);
        }
    }

    /// Whether its offsets stand still whatever the time: paused, or its task failed.
    fn is_held(&self) -> bool {
        self.paused || self.failed_task.is_some()
    }

    /// The offsets as they are at emulator time `at_ms`, with `observed_at` as given.
    pub(crate) fn observe(&self, at_ms: u64, observed_at: String) -> ConnectV1ConnectorOffsets {
        let metadata: ConnectV1ConnectorOffsetsMetadata = built(
            ConnectV1ConnectorOffsetsMetadata::builder().observed_at(Some(observed_at.into())),
        );
        built(
            ConnectV1ConnectorOffsets::builder()
                .id(Some(self.id.clone()))
                .name(Some(self.name.clone()))
                .offsets(Some(self.entries(at_ms)))
                .metadata(Some(metadata)),
        )
    }

    /// Whether a pending change is due by `now_ms` and [`Connector::settle`] must run.
    pub(crate) fn needs_settling(&self, now_ms: u64) -> bool {
        self.alter
            .as_ref()
            .is_some_and(|a| !a.settled && now_ms >= a.settles_ms)
    }

    /// Applies a pending change that is due by `now_ms` (or lets it fail).
    pub(crate) fn settle(&mut self, now_ms: u64) {
        let Some(alter) = self.alter.as_mut() else {
            return;
        };
        if alter.settled || now_ms < alter.settles_ms {
            return;
        }
        alter.settled = true;
        if alter.verdict.is_err() {
            return;
        }
        match (&alter.kind, &mut self.offsets) {
            (ConnectV1AlterOffsetRequestType::Delete, Offsets::Sink(partitions)) => {
                for p in partitions {
                    p.base = p.start;
                }
            }
            (ConnectV1AlterOffsetRequestType::Delete, Offsets::Source(partitions)) => {
                for p in partitions {
                    p.offset = p.start.clone();
                }
            }
            (ConnectV1AlterOffsetRequestType::Patch, Offsets::Sink(partitions)) => {
                for entry in &alter.requested {
                    let found = sink_entry(entry).and_then(|(topic, number, offset)| {
                        partitions
                            .iter_mut()
                            .find(|p| *p.topic == topic && i64::from(p.partition) == number)
                            .map(|p| (p, offset))
                    });
                    if let Some((partition, offset)) = found {
                        partition.base = offset;
                    }
                }
            }
            (ConnectV1AlterOffsetRequestType::Patch, Offsets::Source(partitions)) => {
                for entry in &alter.requested {
                    let partition = object_of(entry.partition.as_ref());
                    if let Some(p) = partitions.iter_mut().find(|p| p.partition == partition) {
                        p.offset = object_of(entry.offset.as_ref());
                    }
                }
            }
        }
    }

    /// Accepts an offsets change at `now_ms`, to settle `delay_ms` later, or refuses it.
    ///
    /// From now until it settles the offsets stand still, as the connector is stopped; then
    /// they move on from the new values (or the old ones, if the change fails).
    pub(crate) fn request_alter(
        &mut self,
        request: ConnectV1AlterOffsetRequest,
        now_ms: u64,
        delay_ms: u64,
        clock: &Clock,
    ) -> Result<ConnectV1AlterOffsetRequestInfo, Refused> {
        self.settle(now_ms);
        if self.alter.as_ref().is_some_and(|a| !a.settled) {
            return Err(Refused(format!(
                "An offsets change is already in progress for connector {}; wait until its status (GET .../offsets/request/status) is APPLIED or FAILED, then ask again.",
                self.name
            )));
        }
        let offsets = match request.type_ {
            ConnectV1AlterOffsetRequestType::Patch if request.offsets.is_empty() => {
                return Err(Refused(
                    "A PATCH needs at least one entry in `offsets`; to reset every partition, send type DELETE."
                        .to_owned(),
                ));
            }
            ConnectV1AlterOffsetRequestType::Patch => request.offsets,
            ConnectV1AlterOffsetRequestType::Delete if !request.offsets.is_empty() => {
                return Err(Refused(
                    "A DELETE resets every partition and takes no `offsets`; leave them out, or send type PATCH."
                        .to_owned(),
                ));
            }
            ConnectV1AlterOffsetRequestType::Delete => Vec::new(),
        };
        let settles_ms = now_ms.saturating_add(delay_ms);
        let previous = self.entries(now_ms);
        // A paused connector's offsets stay where the change puts them.
        self.freeze(now_ms, if self.is_held() { u64::MAX } else { settles_ms });
        let verdict = self.check(&request.type_, &offsets);
        self.earlier = self.alter.take();
        self.alter = Some(Alter {
            kind: request.type_,
            requested: offsets,
            requested_ms: now_ms,
            settles_ms,
            verdict,
            previous,
            settled: false,
        });
        Ok(self.request_info(clock))
    }

    /// The latest change at `now_ms`, or `None` if none was ever asked for. Within `lag_ms` of
    /// a change being asked for, the status still shows the change before it, if there was one,
    /// as a service whose status catches up late would.
    pub(crate) fn alter_status(
        &self,
        now_ms: u64,
        lag_ms: u64,
        clock: &Clock,
    ) -> Option<ConnectV1AlterOffsetStatus> {
        let latest = self.alter.as_ref()?;
        let alter = match &self.earlier {
            Some(earlier) if now_ms < latest.requested_ms.saturating_add(lag_ms) => earlier,
            _ => latest,
        };
        let (phase, message, applied_at) = match (&alter.verdict, alter.settled) {
            (_, false) => ("PENDING", None, None),
            (Ok(()), true) => (
                "APPLIED",
                Some(format!(
                    "The offsets of connector {} were {}.",
                    self.name,
                    match alter.kind {
                        ConnectV1AlterOffsetRequestType::Patch => "updated",
                        ConnectV1AlterOffsetRequestType::Delete => "reset",
                    }
                )),
                Some(clock.service_time(alter.settles_ms).into()),
            ),
            (Err(reason), true) => ("FAILED", Some(reason.clone()), None),
        };
        Some(built(
            ConnectV1AlterOffsetStatus::builder()
                .request(self.request_info_of(Some(alter), clock))
                .status(
                    ConnectV1AlterOffsetStatusStatus::builder()
                        .phase(phase)
                        .message(message),
                )
                .previous_offsets(Some(alter.previous.clone()))
                .applied_at(applied_at),
        ))
    }

    fn request_info(&self, clock: &Clock) -> ConnectV1AlterOffsetRequestInfo {
        self.request_info_of(self.alter.as_ref(), clock)
    }

    fn request_info_of(
        &self,
        alter: Option<&Alter>,
        clock: &Clock,
    ) -> ConnectV1AlterOffsetRequestInfo {
        let (kind, requested, requested_ms) = match alter {
            Some(a) => (a.kind.to_string(), a.requested.clone(), a.requested_ms),
            None => (String::new(), Vec::new(), 0),
        };
        built(
            ConnectV1AlterOffsetRequestInfo::builder()
                .id(self.id.clone())
                .name(self.name.clone())
                .offsets(requested)
                .requested_at(clock.service_time(requested_ms))
                .type_(kind),
        )
    }

    /// Stops every partition at its value at `now_ms` until `until_ms`.
    fn freeze(&mut self, now_ms: u64, until_ms: u64) {
        match &mut self.offsets {
            Offsets::Sink(partitions) => {
                for p in partitions {
                    p.base = p
                        .base
                        .saturating_add(growth(p.rate_per_second, p.base_ms, now_ms));
                    p.base_ms = until_ms;
                }
            }
            Offsets::Source(partitions) => {
                for p in partitions {
                    for (field, rate) in &p.advance {
                        let grown = growth(*rate, p.base_ms, now_ms);
                        if let Some(value) = p.offset.get_mut(field) {
                            *value = advanced(value, grown);
                        }
                    }
                    p.base_ms = until_ms;
                }
            }
        }
    }

    /// Why a change would fail once it settles, as the service finds out after accepting it.
    fn check(
        &self,
        kind: &ConnectV1AlterOffsetRequestType,
        requested: &[ConnectV1OffsetsItem],
    ) -> Result<(), String> {
        if *kind == ConnectV1AlterOffsetRequestType::Delete {
            return Ok(());
        }
        for (index, entry) in requested.iter().enumerate() {
            match &self.offsets {
                Offsets::Sink(partitions) => {
                    let Some((topic, number, offset)) = sink_entry(entry) else {
                        return Err(format!(
                            "Entry {index} is not a sink offset: a sink connector's entries are {{\"partition\": {{\"kafka_topic\", \"kafka_partition\"}}, \"offset\": {{\"kafka_offset\"}}}} with whole numbers."
                        ));
                    };
                    if number < 0 || offset < 0 {
                        return Err(format!(
                            "Entry {index}: partitions and offsets must not be negative."
                        ));
                    }
                    let count = partitions.iter().filter(|p| *p.topic == topic).count();
                    if count == 0 {
                        return Err(format!(
                            "Entry {index}: connector {} does not consume topic {topic}.",
                            self.name
                        ));
                    }
                    if number >= count as i64 {
                        return Err(format!(
                            "Entry {index}: topic {topic} has no partition {number} (it has partitions 0 to {}).",
                            count - 1
                        ));
                    }
                }
                Offsets::Source(partitions) => {
                    let partition = object_of(entry.partition.as_ref());
                    let Some(known) = partitions.iter().find(|p| p.partition == partition) else {
                        return Err(format!(
                            "Entry {index}: connector {} has no source partition {}.",
                            self.name,
                            Value::Object(partition)
                        ));
                    };
                    let offset = object_of(entry.offset.as_ref());
                    if let Some((field, _)) = known.advance.iter().find(|(field, _)| {
                        !offset
                            .get(field.as_str())
                            .is_some_and(|v| v.is_i64() || v.is_u64())
                    }) {
                        return Err(format!(
                            "Entry {index}: the offset needs the whole-number field {field:?}."
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    fn entries(&self, at_ms: u64) -> Vec<ConnectV1OffsetsItem> {
        match &self.offsets {
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
                    entry(&partition, &offset)
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
                    entry(&p.partition, &offset)
                })
                .collect(),
        }
    }
}

/// `config` with the keys the service fills in from the Kafka cluster when they are left out
/// (the spec requires them in every configuration it answers, not in what it is sent).
pub(crate) fn with_cluster_keys(mut config: BTreeMap<String, String>) -> BTreeMap<String, String> {
    for (key, value) in [
        ("cloud.environment", "prod"),
        ("cloud.provider", "aws"),
        (
            "kafka.endpoint",
            "SASL_SSL://pkc-emu01.us-west-2.aws.confluent.cloud:9092",
        ),
        ("kafka.region", "us-west-2"),
    ] {
        config
            .entry(key.to_owned())
            .or_insert_with(|| value.to_owned());
    }
    config
}

/// The configuration the emulator gives a connector of its world: what Confluent Cloud's
/// connectors have (the spec's required keys), with the emulator's own Kafka key.
fn default_config(name: &str, offsets: &Offsets) -> BTreeMap<String, String> {
    let mut config = with_cluster_keys(BTreeMap::from(
        [
            ("kafka.api.key", "EMUKAFKAKEY00001"),
            ("kafka.api.secret", "emulator-kafka-secret"),
            ("tasks.max", "1"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned())),
    ));
    config.insert("name".to_owned(), name.to_owned());
    let class = match offsets {
        Offsets::Sink(partitions) => {
            let mut topics: Vec<&str> = partitions.iter().map(|p| &*p.topic).collect();
            topics.dedup();
            config.insert("topics".to_owned(), topics.join(","));
            "S3_SINK"
        }
        Offsets::Source(_) => "MySqlSource",
    };
    config.insert("connector.class".to_owned(), class.to_owned());
    config
}

/// An offsets entry of these two objects.
fn entry(partition: &Map<String, Value>, offset: &Map<String, Value>) -> ConnectV1OffsetsItem {
    // The objects come from the configuration, which was read from JSON or YAML text, or are
    // flat sink objects, so they always read back; an empty object is never served.
    built(
        ConnectV1OffsetsItem::builder()
            .partition(Some(RawJsonObject::from_map(partition).unwrap_or_default()))
            .offset(Some(RawJsonObject::from_map(offset).unwrap_or_default())),
    )
}

/// The members of an entry's object; an absent object has none.
fn object_of(object: Option<&RawJsonObject>) -> Map<String, Value> {
    object.map(RawJsonObject::to_map).unwrap_or_default()
}

/// The topic, partition and offset of a sink-shaped entry.
fn sink_entry(entry: &ConnectV1OffsetsItem) -> Option<(String, i64, i64)> {
    let partition = entry.partition.as_ref()?.to_map();
    let offset = entry.offset.as_ref()?.to_map();
    let topic = partition.get("kafka_topic")?.as_str()?.to_owned();
    let number = partition.get("kafka_partition")?.as_i64()?;
    let offset = offset.get("kafka_offset")?.as_i64()?;
    Some((topic, number, offset))
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
