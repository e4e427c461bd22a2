//! What the tests of the `connect-offsets` binary share: an emulator on 127.0.0.1 with a clock
//! that moves only when told, the binary pointed at it, and its output as one text to snapshot.

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use chrono::{DateTime, Utc};
use connect_emulator::{
    Config, DEFAULT_API_KEY, DEFAULT_API_SECRET, Emulator, EmulatorBuilder, FaultScope, Faults,
};

/// Where the emulator's clock starts.
pub const START: &str = "2024-02-20T15:14:19Z";

/// The variables the binary reads, removed so that the tests do not depend on the machine's.
const VARIABLES: [&str; 11] = [
    "CONFLUENT_CLOUD_API_KEY",
    "CONFLUENT_CLOUD_API_SECRET",
    "CONFLUENT_CLOUD_BASE_URL",
    "CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_URL",
    "CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_ID",
    "CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET",
    "CONFLUENT_CLOUD_OAUTH_EXTERNAL_TOKEN_SCOPE",
    "CONFLUENT_CLOUD_OAUTH_SUBJECT_TOKEN_FILE",
    "CONFLUENT_CLOUD_OAUTH_IDENTITY_POOL_ID",
    "NO_COLOR",
    "TERM",
];

/// What depends on the wall clock or on chance, and only that: how long ago the emulator's
/// (2024) observation was, and the random prefix of request ids.
pub const FILTERS: [(&str, &str); 2] = [
    (r"\b\d+[dhms]( \d+[dhms])? ago\b", "[AGE] ago"),
    (r"\b[0-9a-f]{32}\b", "[REQUEST-ID]"),
];

/// Snapshots `$value` (usually [`World::run`]'s text) with [`FILTERS`] applied, into
/// `crates/cli/tests/snapshots/`.
macro_rules! assert_output {
    ($value:expr) => {
        insta::with_settings!({
            filters => $crate::common::FILTERS.to_vec(),
            snapshot_path => "../snapshots",
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!($value);
        })
    };
}
pub(crate) use assert_output;

/// An emulator serving the built-in world, on a runtime of its own so that the test thread can
/// block on the binary while the emulator answers it.
pub struct World {
    // Declared first so that it is dropped (and stopped) before its runtime.
    emulator: Emulator,
    runtime: tokio::runtime::Runtime,
}

/// The default world on a clock standing at [`START`], observed every second, without a rate
/// limit, applying offsets changes at once.
pub fn builder() -> EmulatorBuilder {
    builder_with(Config::default())
}

/// [`builder`], serving `config` instead of the default world.
pub fn builder_with(config: Config) -> EmulatorBuilder {
    Emulator::builder()
        .config(config)
        .manual_clock(start())
        .observation_interval(Duration::from_secs(1))
        .alter_delay(Duration::ZERO)
        .rate_limit(None)
        .seed(7)
}

/// [`START`] as a time.
pub fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(START)
        .expect("a valid start time")
        .with_timezone(&Utc)
}

impl World {
    /// Starts [`builder`]'s emulator.
    pub fn start() -> World {
        World::start_with(builder())
    }

    /// Starts an emulator set up by the test.
    pub fn start_with(builder: EmulatorBuilder) -> World {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the emulator");
        let emulator = runtime
            .block_on(builder.start())
            .expect("the emulator starts");
        World { emulator, runtime }
    }

    /// Moves the emulator's clock forward.
    pub fn advance(&self, seconds: u64) {
        self.emulator
            .advance_clock(Duration::from_secs(seconds))
            .expect("a manual clock moves");
    }

    /// Sets faults on every API request.
    pub fn set_faults(&self, faults: Faults) {
        self.emulator
            .set_faults(FaultScope::Global, faults)
            .expect("valid faults");
    }

    /// Fails the task of connector `name` of env-emu001/lkc-emu001 with `trace`.
    pub fn fail_task(&self, name: &str, trace: &str) {
        self.emulator
            .fail_task(
                FaultScope::connector("env-emu001", "lkc-emu001", name),
                trace,
            )
            .expect("the connector exists");
    }

    /// Stops the emulator and waits until it no longer accepts connections.
    pub fn stop(self) {
        self.runtime.block_on(self.emulator.shutdown());
    }

    /// The URL of the emulator's self-managed Kafka Connect worker, if it serves one.
    pub fn worker_url(&self) -> &str {
        self.emulator
            .self_managed_url()
            .expect("started with a self-managed worker")
    }

    /// Runs `future` on the emulator's runtime (for the tests' own HTTP requests).
    pub fn block_on<T>(&self, future: impl std::future::Future<Output = T>) -> T {
        self.runtime.block_on(future)
    }

    /// The emulator, for what the test reads of it directly (its OAuth counts, its URLs).
    pub fn emulator(&self) -> &Emulator {
        &self.emulator
    }

    /// The emulator's base URL.
    pub fn base_url(&self) -> &str {
        self.emulator.base_url()
    }

    /// The binary with the emulator's URL and default credentials in its environment, and
    /// nothing else of the machine's that it reads.
    pub fn command(&self) -> Command {
        let mut command = bare_command();
        command
            .env("CONFLUENT_CLOUD_BASE_URL", self.base_url())
            .env("CONFLUENT_CLOUD_API_KEY", DEFAULT_API_KEY)
            .env("CONFLUENT_CLOUD_API_SECRET", DEFAULT_API_SECRET);
        command
    }

    /// Runs the binary with `args` and returns [`text`] of its output.
    pub fn run(&self, args: &[&str]) -> String {
        text(&self.command().args(args).output().expect("the binary runs"))
    }
}

/// The binary without credentials or a base URL.
pub fn bare_command() -> Command {
    let mut command = Command::new(binary());
    for variable in VARIABLES {
        command.env_remove(variable);
    }
    command.timeout(Duration::from_secs(60));
    command
}

/// Where cargo built the binary.
pub fn binary() -> &'static Path {
    assert_cmd::cargo::cargo_bin!("connect-offsets")
}

/// The exit code, standard output and standard error, as one text to snapshot.
pub fn text(output: &Output) -> String {
    format!(
        "exit code: {}\n--- stdout\n{}--- stderr\n{}",
        output
            .status
            .code()
            .map_or_else(|| "none (killed by a signal)".to_owned(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `connect-offsets get` against a server that answers every request with 200 and `body`.
pub fn get_against_a_server_answering(body: &str) -> std::process::Output {
    get_against_a_server_answering_with(body, &[])
}

/// [`get_against_a_server_answering`], with `flags` after the connector.
pub fn get_against_a_server_answering_with(body: &str, flags: &[&str]) -> std::process::Output {
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
        server
    });
    bare_command()
        .args(["--base-url", &server.uri()])
        .env("CONFLUENT_CLOUD_API_KEY", DEFAULT_API_KEY)
        .env("CONFLUENT_CLOUD_API_SECRET", DEFAULT_API_SECRET)
        .args(["get", "env-emu001", "lkc-emu001", "orders-sink"])
        .args(flags)
        .output()
        .expect("the binary runs")
}
