//! The Connect v1 operations beyond offsets: listing a cluster's connectors (with expansions)
//! and its plugins, creating a connector (with offsets), reading, configuring, pausing,
//! resuming and deleting one, its status and its tasks, answered as the spec documents them.

use std::collections::{BTreeMap, BTreeSet};

use axum::http::StatusCode;
use bytes::Bytes;
use serde_json::{Map, Value, json};

use crate::api::{Refusal, Target, encoded, not_found};
use crate::app::App;
use crate::state::{Connector, Entry, Missing, with_cluster_keys};

/// What Confluent Cloud shows in place of a secret configuration value.
const MASK: &str = "****************";

/// The configuration keys creating a connector requires (the spec's create body).
const REQUIRED: [&str; 4] = [
    "connector.class",
    "name",
    "kafka.api.key",
    "kafka.api.secret",
];

/// The worker every emulated connector and task runs on.
const WORKER: &str = "emulator-worker-1";

/// Which operation on one connector a route serves (set on the route as an extension).
#[derive(Debug, Clone, Copy)]
pub(crate) enum ManageKind {
    Read,
    Tasks,
    Validate,
    Delete,
    Status,
    Config,
    PutConfig,
    Pause,
    Resume,
}

/// A request of this module, with what it carries.
pub(crate) enum Manage {
    List { expand: Option<String> },
    Plugins,
    Tasks,
    Validate(Bytes),
    Create(Bytes),
    Read,
    Delete,
    Status,
    Config,
    PutConfig(Bytes),
    Pause,
    Resume,
}

/// Carries out `manage` on the target's cluster or connector: the status and JSON body of
/// success (an empty body for an answer documented without one), or the refusal.
pub(crate) fn perform(
    app: &App,
    target: &Target,
    manage: Manage,
) -> Result<(StatusCode, Vec<u8>), Refusal> {
    let (environment, cluster) = (target.environment.as_str(), target.cluster.as_str());
    let name = target.name.as_deref().unwrap_or_default();
    let gone = |missing| {
        Refusal::new(
            StatusCode::NOT_FOUND,
            &not_found(missing, environment, cluster, name),
        )
    };
    let now = app.clock.now_ms();
    let body = match manage {
        Manage::List { expand: None } => {
            let world = app.world();
            let mut names: Vec<&String> = world
                .cluster(environment, cluster)
                .map_err(gone)?
                .keys()
                .collect();
            names.sort();
            json!(names)
        }
        Manage::List {
            expand: Some(expand),
        } => {
            let wanted: BTreeSet<&str> = expand.split(',').map(str::trim).collect();
            let world = app.world();
            let connectors = world.cluster(environment, cluster).map_err(gone)?;
            let mut listing = Map::new();
            for (name, connector) in connectors {
                let mut entry = Map::new();
                if wanted.contains("id") {
                    entry.insert(
                        "id".into(),
                        json!({ "id": connector.id(), "id_type": "ID" }),
                    );
                }
                if wanted.contains("info") {
                    entry.insert(
                        "info".into(),
                        json!({ "name": name, "config": masked(connector.config()) }),
                    );
                }
                if wanted.contains("status") {
                    entry.insert("status".into(), status(name, connector, now));
                }
                listing.insert(name.clone(), Value::Object(entry));
            }
            Value::Object(listing)
        }
        Manage::Create(bytes) => {
            let request: Value = serde_json::from_slice(&bytes)
                .map_err(|e| bad_request(&format!("The request body is not JSON: {e}.")))?;
            let name = request
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| bad_request("The request body needs the connector's `name`."))?;
            crate::ids::check_connector_name(name).map_err(|reason| bad_request(&reason))?;
            let config = config_of(request.get("config").unwrap_or(&Value::Null), name)?;
            let offsets = offsets_of(request.get("offsets"))?;
            let ready_ms = now.saturating_add(app.alter_delay_ms);
            let mut world = app.world_mut();
            let connectors = world.cluster_mut(environment, cluster).map_err(gone)?;
            if connectors.contains_key(name) {
                return Err(bad_request(&format!(
                    "Connector {name:?} already exists in Kafka cluster {cluster}; change its configuration with PUT .../connectors/{name}/config, or delete it first."
                )));
            }
            let connector = Connector::created(name, config, &offsets, ready_ms);
            let mut answer = described(name, &connector);
            answer["offsets"] = Value::Array(
                offsets
                    .into_iter()
                    .map(|(partition, offset)| json!({ "partition": partition, "offset": offset }))
                    .collect(),
            );
            connectors.insert(name.to_owned(), connector);
            return encoded(StatusCode::CREATED, &answer);
        }
        Manage::Plugins => {
            app.world().cluster(environment, cluster).map_err(gone)?;
            Value::Array(
                PLUGINS
                    .iter()
                    .map(|(class, kind)| json!({"class": class, "type": kind, "version": "1.0.0"}))
                    .collect(),
            )
        }
        Manage::Validate(bytes) => {
            app.world().cluster(environment, cluster).map_err(gone)?;
            // The target's name is the plugin's here.
            if !PLUGINS.iter().any(|(class, _)| *class == name) {
                return Err(Refusal::new(
                    StatusCode::NOT_FOUND,
                    &format!(
                        "Plugin {name:?} was not found: GET .../connector-plugins lists them."
                    ),
                ));
            }
            let given: BTreeMap<String, String> = serde_json::from_slice(&bytes).map_err(|e| {
                bad_request(&format!(
                    "The configuration must be a JSON object of strings: {e}."
                ))
            })?;
            validation(name, &given)
        }
        Manage::Tasks => {
            let world = app.world();
            let connector = world.get(environment, cluster, name).map_err(gone)?;
            json!([{
                "id": { "connector": name, "task": 0 },
                "config": masked(connector.config()),
            }])
        }
        Manage::Read => {
            let world = app.world();
            described(name, world.get(environment, cluster, name).map_err(gone)?)
        }
        Manage::Config => {
            let world = app.world();
            masked(
                world
                    .get(environment, cluster, name)
                    .map_err(gone)?
                    .config(),
            )
        }
        Manage::PutConfig(bytes) => {
            let request: Value = serde_json::from_slice(&bytes)
                .map_err(|e| bad_request(&format!("The request body is not JSON: {e}.")))?;
            let config = config_of(&request, name)?;
            let ready_ms = now.saturating_add(app.alter_delay_ms);
            let mut world = app.world_mut();
            let connectors = world.cluster_mut(environment, cluster).map_err(gone)?;
            let connector = connectors
                .entry(name.to_owned())
                .or_insert_with(|| Connector::created(name, BTreeMap::new(), &[], ready_ms));
            connector.set_config(config);
            described(name, connector)
        }
        Manage::Status => {
            let world = app.world();
            status(
                name,
                world.get(environment, cluster, name).map_err(gone)?,
                now,
            )
        }
        Manage::Pause | Manage::Resume => {
            let mut world = app.world_mut();
            let connector = world.get_mut(environment, cluster, name).map_err(gone)?;
            if matches!(manage, Manage::Pause) {
                connector.pause(now);
            } else {
                connector.resume(now);
            }
            return Ok((StatusCode::ACCEPTED, Vec::new()));
        }
        Manage::Delete => {
            let mut world = app.world_mut();
            let connectors = world.cluster_mut(environment, cluster).map_err(gone)?;
            connectors
                .remove(name)
                .ok_or_else(|| gone(Missing::Connector))?;
            json!({ "error": null })
        }
    };
    encoded(StatusCode::OK, &body)
}

/// The plugins every emulated cluster offers: their class and kind.
const PLUGINS: [(&str, &str); 3] = [
    ("MySqlSource", "source"),
    ("PostgresSource", "source"),
    ("S3_SINK", "sink"),
];

/// What the service makes of `given` for `plugin`: each required key and each key given, with
/// an error for a required key missing or a `connector.class` that is another plugin's.
fn validation(plugin: &str, given: &BTreeMap<String, String>) -> Value {
    let mut names: Vec<&str> = REQUIRED.to_vec();
    names.extend(
        given
            .keys()
            .map(String::as_str)
            .filter(|k| !REQUIRED.contains(k)),
    );
    let mut error_count = 0;
    let configs: Vec<Value> = names
        .into_iter()
        .enumerate()
        .map(|(order, key)| {
            let required = REQUIRED.contains(&key);
            let value = given.get(key);
            let mut errors = Vec::new();
            if required && value.is_none_or(String::is_empty) {
                errors.push(format!(
                    "Missing required configuration \"{key}\" which has no default value."
                ));
            }
            if key == "connector.class" && value.is_some_and(|class| class != plugin) {
                errors.push(format!("Connector class must be {plugin} for this plugin."));
            }
            if !errors.is_empty() {
                error_count += 1;
            }
            let secret = is_secret(key);
            json!({
                "definition": {
                    "name": key,
                    "type": if secret { "PASSWORD" } else { "STRING" },
                    "required": required,
                    "default_value": "",
                    "importance": if required { "HIGH" } else { "MEDIUM" },
                    "documentation": "",
                    "group": if key.starts_with("kafka.") { "Kafka Cluster credentials" } else { "How should we connect to your data?" },
                    "width": "NONE",
                    "display_name": key,
                    "dependents": [],
                    "order": order,
                    "alias": "",
                },
                "value": {
                    "name": key,
                    "value": value.map(|v| if secret { MASK } else { v.as_str() }).unwrap_or_default(),
                    "recommended_values": [],
                    "errors": errors,
                    "visible": true,
                },
                "metadata": {},
            })
        })
        .collect();
    json!({
        "name": plugin,
        "groups": ["How should we connect to your data?", "Kafka Cluster credentials"],
        "error_count": error_count,
        "configs": configs,
    })
}

/// The connector as the read, configure and create operations describe it.
fn described(name: &str, connector: &Connector) -> Value {
    json!({
        "name": name,
        "type": connector.kind(),
        "config": masked(connector.config()),
        "tasks": [{ "connector": name, "task": 0 }],
    })
}

/// The status of the connector and of its one task.
fn status(name: &str, connector: &Connector, now_ms: u64) -> Value {
    let (state, task_state, trace) = connector.states(now_ms);
    let mut task = json!({ "id": 0, "state": task_state, "worker_id": WORKER });
    if let Some(trace) = trace {
        task["msg"] = Value::from(trace);
    }
    json!({
        "name": name,
        "type": connector.kind(),
        "connector": { "state": state, "worker_id": WORKER },
        "tasks": [task],
    })
}

/// The configuration as the service shows it: secret values masked.
fn masked(config: &BTreeMap<String, String>) -> Value {
    Value::Object(
        config
            .iter()
            .map(|(key, value)| {
                let shown = if is_secret(key) { MASK } else { value.as_str() };
                (key.clone(), Value::from(shown))
            })
            .collect(),
    )
}

/// Whether the service masks the value of `key`: the spec's `x-redact` key and every key that
/// names a password, secret, token or credentials.
fn is_secret(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    ["password", "secret", "token", "credentials"]
        .iter()
        .any(|word| lower.contains(word))
}

/// A configuration sent to create or configure connector `name`: an object of strings with
/// the required keys, whose `name` is the connector's.
fn config_of(value: &Value, name: &str) -> Result<BTreeMap<String, String>, Refusal> {
    let object = value.as_object().ok_or_else(|| {
        bad_request("The connector's configuration must be an object of strings.")
    })?;
    let mut config = BTreeMap::new();
    for (key, value) in object {
        let text = value.as_str().ok_or_else(|| {
            bad_request(&format!("Configuration value {key:?} must be a string."))
        })?;
        config.insert(key.clone(), text.to_owned());
    }
    let missing: Vec<&str> = REQUIRED
        .into_iter()
        .filter(|key| config.get(*key).is_none_or(String::is_empty))
        .collect();
    if !missing.is_empty() {
        return Err(bad_request(&format!(
            "The configuration lacks {}.",
            missing.join(", ")
        )));
    }
    if config.get("name").map(String::as_str) != Some(name) {
        return Err(bad_request(&format!(
            "The configuration's name must be the connector's, {name:?}."
        )));
    }
    Ok(with_cluster_keys(config))
}

/// The `offsets` of a create body: each entry's `partition` and `offset` objects.
fn offsets_of(value: Option<&Value>) -> Result<Vec<Entry>, Refusal> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let entries = value.as_array().ok_or_else(|| {
        bad_request("`offsets` must be an array of {\"partition\", \"offset\"} objects.")
    })?;
    entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let object = |field: &str| {
                entry
                    .get(field)
                    .and_then(Value::as_object)
                    .cloned()
                    .ok_or_else(|| {
                        bad_request(&format!("Offsets entry {index} needs an object `{field}`."))
                    })
            };
            Ok((object("partition")?, object("offset")?))
        })
        .collect()
}

fn bad_request(message: &str) -> Refusal {
    Refusal::new(StatusCode::BAD_REQUEST, message)
}
