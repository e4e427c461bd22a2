//! [Prism](https://github.com/stoplightio/prism), a third party's reading of the spec, as a
//! local server for the tests.
//!
//! `conformance/` pins `@stoplight/prism-cli`; `npm ci --prefix conformance` (which
//! `cargo xtask ci` runs) installs it. A test that needs Prism and does not find it fails and
//! says how to install it: it is never skipped.

use std::{
    fs::{self, File},
    io::{Read, Write},
    net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, ChildStdin, Command, Stdio},
    sync::atomic::{AtomicU32, Ordering},
    thread,
    time::{Duration, Instant},
};

use crate::spec_path;

/// How long Prism may take to start listening. It usually takes about two seconds.
pub const START_DEADLINE: Duration = Duration::from_secs(60);
/// How many free ports are tried when another process takes the port before Prism binds it.
const PORT_ATTEMPTS: usize = 5;
/// How long Prism may take to exit once told to stop, before its process group is killed
/// (longer than `supervise.js` gives Prism before it kills it itself).
const STOP_GRACE: Duration = Duration::from_secs(10);
/// How often the start and the stop are checked on.
const POLL_INTERVAL: Duration = Duration::from_millis(50);
/// What Prism prints when it fails to bind its port.
const PORT_TAKEN: &str = "EADDRINUSE";
/// How to install Prism, for the messages that find it missing.
const INSTALL_HINT: &str = "install it with `npm ci --prefix conformance` (or run `cargo xtask \
                            ci`, which does), with Node.js 18.20.1 or newer and npm";

/// A running Prism on 127.0.0.1, stopped when dropped.
///
/// Prism runs under `conformance/supervise.js`, which stops it when its standard input, a pipe
/// from this process, closes: when the guard is dropped, and also when the test process ends
/// without dropping it (a guard kept in a `static` is never dropped). Its standard output and
/// error go to a log file in a temporary directory; a failed start shows the log.
///
/// ```no_run
/// use confluent_connect_tests::Prism;
///
/// let prism = Prism::mock().unwrap_or_else(|e| panic!("{e}"));
/// println!("Prism answers like the spec on {}", prism.base_url());
/// ```
#[derive(Debug)]
pub struct Prism {
    child: Child,
    /// The supervisor's standard input: closing it stops Prism.
    stdin: Option<ChildStdin>,
    base_url: String,
    log_dir: PathBuf,
    log_path: PathBuf,
}

/// What Prism is started as.
#[derive(Debug, Clone, Copy)]
enum Mode<'a> {
    /// `prism mock`: answers from the spec's examples, validating each request.
    Mock,
    /// `prism proxy --errors`: forwards to `upstream`, and answers 500 with an `sl-violations`
    /// header when a request or an upstream response breaks the spec.
    Proxy { upstream: &'a str },
}

impl Mode<'_> {
    fn describe(self) -> String {
        let spec = spec_file().display().to_string();
        match self {
            Mode::Mock => format!("Prism mock of {spec}"),
            Mode::Proxy { upstream } => format!("Prism proxy of {spec} to {upstream}"),
        }
    }
}

/// Why one attempt to start Prism failed.
enum StartError {
    /// Another process bound the port first: worth another port.
    PortTaken,
    /// Anything else, with the whole story.
    Failed(String),
}

impl Prism {
    /// Starts `prism mock` of `openapi/connect-v1.yaml` on a free port of 127.0.0.1 and waits
    /// until it listens.
    ///
    /// Prism answers every request from the spec: by default the first documented success with
    /// its first example; `Prefer: code=404` or `Prefer: example=source` in the request picks
    /// another. It validates each request first, and answers one that breaks the spec with an
    /// error instead: 401 without credentials, 406 for an `Accept` it cannot serve, ...
    pub fn mock() -> Result<Prism, String> {
        Prism::start(Mode::Mock)
    }

    /// Starts `prism proxy --errors` of `openapi/connect-v1.yaml` in front of `upstream` (e.g.
    /// `http://127.0.0.1:8080`) on a free port of 127.0.0.1, and waits until it listens.
    ///
    /// Requests and responses pass through unchanged while both follow the spec. An upstream
    /// response that breaks it becomes a 500 `application/problem+json` whose `sl-violations`
    /// header lists what is wrong.
    pub fn proxy(upstream: &str) -> Result<Prism, String> {
        Prism::start(Mode::Proxy { upstream })
    }

    /// Where Prism listens: `http://127.0.0.1:<port>`, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Everything Prism has logged so far (one line per request it received, with what it
    /// found wrong), to show when an assertion fails.
    pub fn log(&self) -> String {
        read_log(&self.log_path)
    }

    /// Sends `GET path` with `headers` straight to Prism, not through the facade, to see what
    /// the facade does not show (Prism's `sl-violations` header, a request the facade would
    /// never send). Asks for `Connection: close` and reads until then; chunked bodies are not
    /// decoded.
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Result<RawResponse, String> {
        let address = self.base_url.trim_start_matches("http://");
        let failed = |what: &str, e: std::io::Error| format!("GET {path} to Prism: {what}: {e}");
        let mut stream = TcpStream::connect(address).map_err(|e| failed("cannot connect", e))?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .map_err(|e| failed("cannot set a timeout", e))?;
        let mut request =
            format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        stream
            .write_all(request.as_bytes())
            .map_err(|e| failed("cannot send", e))?;
        let mut bytes = Vec::new();
        stream
            .read_to_end(&mut bytes)
            .map_err(|e| failed("cannot read the response", e))?;
        RawResponse::parse(&bytes).ok_or_else(|| {
            format!(
                "GET {path} to Prism: not an HTTP response: {}",
                String::from_utf8_lossy(&bytes)
            )
        })
    }

    fn start(mode: Mode<'_>) -> Result<Prism, String> {
        let prism = prism_bin();
        if !prism.is_file() {
            return Err(format!(
                "Prism is not installed: {} does not exist. {}",
                prism.display(),
                capitalised(INSTALL_HINT)
            ));
        }
        let mut last_port = 0;
        for _ in 0..PORT_ATTEMPTS {
            let port = free_port()?;
            last_port = port;
            match Prism::start_on(mode, port) {
                Ok(prism) => return Ok(prism),
                Err(StartError::PortTaken) => continue,
                Err(StartError::Failed(message)) => return Err(message),
            }
        }
        Err(format!(
            "{} did not start: another process took each of {PORT_ATTEMPTS} free ports first \
             (the last was {last_port})",
            mode.describe()
        ))
    }

    fn start_on(mode: Mode<'_>, port: u16) -> Result<Prism, StartError> {
        let failed = |what: String| StartError::Failed(format!("{}: {what}", mode.describe()));
        let log_dir = new_log_dir().map_err(StartError::Failed)?;
        let log_path = log_dir.join("prism.log");
        let files = File::create(&log_path).and_then(|log| Ok((log.try_clone()?, log)));
        let (log_for_stdout, log_for_stderr) = match files {
            Ok(files) => files,
            Err(e) => {
                let _ = fs::remove_dir_all(&log_dir);
                return Err(failed(format!("cannot create {}: {e}", log_path.display())));
            }
        };

        let mut command = Command::new("node");
        command
            .current_dir(conformance_dir())
            .arg(conformance_dir().join("supervise.js"))
            .arg(prism_bin())
            .args(arguments(mode, port))
            // Plain text in the log, and one process: Prism forks when NODE_ENV=production.
            .env("FORCE_COLOR", "0")
            .env_remove("NODE_ENV")
            // A guard that is never dropped cannot remove its log directory itself.
            .env("SUPERVISE_REMOVE_WHEN_STOPPED", &log_dir)
            .stdin(Stdio::piped())
            .stdout(log_for_stdout)
            .stderr(log_for_stderr);
        // Its own process group, so that the fallback in `Drop` can end all of it at once.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(e) => {
                let _ = fs::remove_dir_all(&log_dir);
                return Err(failed(if e.kind() == std::io::ErrorKind::NotFound {
                    format!("`node` is not on PATH: Prism runs on Node.js. {INSTALL_HINT}")
                } else {
                    format!("cannot run node: {e}")
                }));
            }
        };
        let stdin = child.stdin.take();
        // From here on, dropping `prism` stops the process, whatever happens next.
        let mut prism = Prism {
            child,
            stdin,
            base_url: format!("http://127.0.0.1:{port}"),
            log_dir,
            log_path,
        };
        prism.wait_until_listening(mode, port)?;
        Ok(prism)
    }

    /// Waits for Prism's "listening" line and for its port to accept a connection.
    fn wait_until_listening(&mut self, mode: Mode<'_>, port: u16) -> Result<(), StartError> {
        let ready_line = format!("Prism is listening on {}", self.base_url);
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                let log = self.log();
                if log.contains(PORT_TAKEN) {
                    return Err(StartError::PortTaken);
                }
                return Err(StartError::Failed(format!(
                    "{} exited ({status}) before listening on 127.0.0.1:{port}. {}",
                    mode.describe(),
                    log_excerpt(&log)
                )));
            }
            let log = self.log();
            if log.contains(&ready_line)
                && TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_ok()
            {
                return Ok(());
            }
            if started.elapsed() > START_DEADLINE {
                return Err(StartError::Failed(format!(
                    "{} did not listen on 127.0.0.1:{port} within {} s. {}",
                    mode.describe(),
                    START_DEADLINE.as_secs(),
                    log_excerpt(&log)
                )));
            }
            thread::sleep(POLL_INTERVAL);
        }
    }
}

/// The log, or that there is none, for a message about a failed start.
fn log_excerpt(log: &str) -> String {
    if log.trim().is_empty() {
        "Its log is empty".to_string()
    } else {
        format!("Its log:\n{}", log.trim_end())
    }
}

/// An HTTP response as it came from Prism, from [`Prism::get`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    /// The status code.
    pub status: u16,
    /// The headers, in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body, as text.
    pub body: String,
}

impl RawResponse {
    /// The value of the first header called `name`, in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(given, _)| given.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    fn parse(bytes: &[u8]) -> Option<RawResponse> {
        let text = String::from_utf8_lossy(bytes);
        let (head, body) = text.split_once("\r\n\r\n")?;
        let mut lines = head.split("\r\n");
        let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
            .collect();
        Some(RawResponse {
            status,
            headers,
            body: body.to_string(),
        })
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // Closing the supervisor's standard input stops Prism, then the supervisor.
        drop(self.stdin.take());
        let deadline = Instant::now() + STOP_GRACE;
        let mut exited = false;
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_)) | Err(_)) {
                exited = true;
                break;
            }
            thread::sleep(POLL_INTERVAL);
        }
        if !exited {
            kill_process_group(&self.child);
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        let _ = fs::remove_dir_all(&self.log_dir);
    }
}

/// Ends every process in `child`'s process group (the supervisor and Prism), for a Prism that
/// did not stop when asked.
fn kill_process_group(child: &Child) {
    #[cfg(unix)]
    {
        // std cannot signal a process group; kill(1) can. `process_group(0)` made the group's
        // id the supervisor's pid.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    #[cfg(not(unix))]
    let _ = child;
}

/// The workspace root: the tests crate's parent.
fn workspace_root() -> PathBuf {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR"));
    tests.parent().unwrap_or(tests).to_path_buf()
}

/// `conformance/`, where Prism is installed.
pub fn conformance_dir() -> PathBuf {
    workspace_root().join("conformance")
}

/// The `prism` command that `npm ci --prefix conformance` installs.
pub fn prism_bin() -> PathBuf {
    conformance_dir().join("node_modules/.bin/prism")
}

/// The spec, as an absolute path without `..` when it can be had, for Prism and for messages.
fn spec_file() -> PathBuf {
    let path = spec_path();
    path.canonicalize().unwrap_or(path)
}

/// Prism's command line after `prism`.
fn arguments(mode: Mode<'_>, port: u16) -> Vec<String> {
    let spec = spec_file().display().to_string();
    let mut arguments = match mode {
        Mode::Mock => vec!["mock".to_string(), spec],
        Mode::Proxy { upstream } => vec![
            "proxy".to_string(),
            spec,
            upstream.to_string(),
            "--errors".to_string(),
        ],
    };
    arguments.extend([
        "--host".to_string(),
        "127.0.0.1".to_string(),
        "--port".to_string(),
        port.to_string(),
        "--multiprocess=false".to_string(),
    ]);
    arguments
}

/// A port of 127.0.0.1 that was free a moment ago: bound, then released for Prism.
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("cannot bind a port on 127.0.0.1 for Prism: {e}"))?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|e| format!("a port bound for Prism has no address: {e}"))
}

/// A new, empty directory for one Prism's log.
fn new_log_dir() -> Result<PathBuf, String> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let base = std::env::temp_dir();
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = base.join(format!(
            "confluent-connect-prism-{}-{n}",
            std::process::id()
        ));
        match fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            // Left by an earlier process with the same pid.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(format!(
                    "cannot create {} for Prism's log: {e}",
                    dir.display()
                ));
            }
        }
    }
}

fn read_log(path: &Path) -> String {
    fs::read(path)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_else(|e| format!("(cannot read {}: {e})", path.display()))
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use wiremock::ResponseTemplate;

    use super::*;
    use crate::{default_offsets_path, named_example, server_answering};

    /// `Authorization` for key `KEY` and secret `SECRET`, which the spec requires.
    const BASIC: (&str, &str) = ("Authorization", "Basic S0VZOlNFQ1JFVA==");

    fn started(prism: Result<Prism, String>) -> Prism {
        prism.unwrap_or_else(|e| panic!("{e}"))
    }

    // Multi-threaded: the raw requests block, and the upstream must answer meanwhile.
    #[tokio::test(flavor = "multi_thread")]
    #[cfg_attr(
        not(feature = "prism"),
        ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
    )]
    async fn proxy_passes_on_an_upstream_answer_that_follows_the_spec() {
        let upstream =
            server_answering(ResponseTemplate::new(200).set_body_json(named_example(200, "sink")))
                .await;
        let prism = started(Prism::proxy(&upstream.uri()));

        let response = prism.get(&default_offsets_path(), &[BASIC]).unwrap();

        assert_eq!(response.status, 200, "{response:?}\n{}", prism.log());
        assert_eq!(response.header("sl-violations"), None);
        let body: Value = serde_json::from_str(&response.body).unwrap();
        assert_eq!(body, named_example(200, "sink"));
    }

    #[tokio::test(flavor = "multi_thread")]
    #[cfg_attr(
        not(feature = "prism"),
        ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
    )]
    async fn proxy_turns_an_upstream_answer_that_breaks_the_spec_into_a_500_with_violations() {
        let upstream = server_answering(
            ResponseTemplate::new(200).set_body_json(json!({"offsets": "not an array"})),
        )
        .await;
        let prism = started(Prism::proxy(&upstream.uri()));

        let response = prism.get(&default_offsets_path(), &[BASIC]).unwrap();

        assert_eq!(response.status, 500, "{response:?}\n{}", prism.log());
        assert_eq!(
            response.header("content-type"),
            Some("application/problem+json")
        );
        let violations: Value = serde_json::from_str(
            response
                .header("sl-violations")
                .expect("Prism lists the violations"),
        )
        .unwrap();
        assert_eq!(
            violations,
            json!([{
                "location": ["response", "body", "offsets"],
                "severity": "Error",
                "code": "type",
                "message": "Response body property offsets must be array",
            }])
        );
    }

    #[test]
    #[cfg_attr(
        not(feature = "prism"),
        ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
    )]
    fn mock_log_records_each_request() {
        let prism = started(Prism::mock());

        let response = prism.get(&default_offsets_path(), &[BASIC]).unwrap();

        assert_eq!(response.status, 200, "{response:?}");
        let log = prism.log();
        assert!(
            log.contains(&format!("get {} ", default_offsets_path())),
            "{log}"
        );
    }

    #[test]
    #[cfg_attr(
        not(feature = "prism"),
        ignore = "needs Prism: `npm ci --prefix conformance`, then `cargo test --features confluent-connect-tests/prism` (cargo xtask ci does both)"
    )]
    fn dropping_the_guard_stops_prism() {
        let prism = started(Prism::mock());
        let address = prism.base_url().trim_start_matches("http://").to_string();
        let log_dir = prism.log_dir.clone();

        drop(prism);

        assert!(
            TcpStream::connect(&address).is_err(),
            "something still listens on {address}"
        );
        assert!(!log_dir.exists(), "{} is left behind", log_dir.display());
    }

    #[test]
    fn raw_response_parses_status_headers_and_body() {
        let response = RawResponse::parse(
            b"HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\nX-Request-Id: string\r\n\r\n",
        )
        .unwrap();
        assert_eq!(
            response,
            RawResponse {
                status: 429,
                headers: vec![
                    ("Retry-After".to_string(), "0".to_string()),
                    ("X-Request-Id".to_string(), "string".to_string()),
                ],
                body: String::new(),
            }
        );
        assert_eq!(response.header("retry-after"), Some("0"));
    }
}
