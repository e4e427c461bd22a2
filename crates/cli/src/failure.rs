//! What went wrong, what to do about it, and the exit code that says which kind it was.

use std::io;
use std::process::ExitCode;

use confluent_connect::{Argument, Error, Hint, OffsetsFileError};

use crate::terminal::{Style, Terminal};

/// The documented exit codes (see the long help).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// 0: done (for `watch`, also when stopped with Ctrl-C).
    Success,
    /// 1: the service or the network failed, or an offsets change failed or timed out (for
    /// `snapshot`: no connector could be read).
    Failure,
    /// 2: the command cannot run as given: bad arguments (clap's own errors are 2 too), missing
    /// credentials, an unreadable or malformed input file, a reset that was not confirmed.
    Usage,
    /// 3: `snapshot` wrote its document, but some connectors could not be read.
    Partial,
    /// 130: interrupted with Ctrl-C (every command but `watch`), as shells report SIGINT.
    Interrupted,
}

impl Exit {
    /// The number the process exits with.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Failure => 1,
            Exit::Usage => 2,
            Exit::Partial => 3,
            Exit::Interrupted => 130,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

/// A reason to stop: one line saying what went wrong, one saying what to do, and the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The exit code.
    pub exit: Exit,
    /// What went wrong, on one line; empty for a stop that needs no message.
    pub what: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Failure {
    /// The command cannot run as given (exit 2).
    pub fn usage(what: impl Into<String>, hint: impl Into<String>) -> Failure {
        Failure {
            exit: Exit::Usage,
            what: one_line(&what.into()),
            hint: Some(one_line(&hint.into())),
        }
    }

    /// Something failed at run time (exit 1).
    pub fn runtime(what: impl Into<String>, hint: impl Into<String>) -> Failure {
        Failure {
            exit: Exit::Failure,
            what: one_line(&what.into()),
            hint: Some(one_line(&hint.into())),
        }
    }

    /// Ctrl-C was pressed (exit 130).
    pub fn interrupted(hint: Option<String>) -> Failure {
        Failure {
            exit: Exit::Interrupted,
            what: "interrupted".to_owned(),
            hint,
        }
    }

    /// Standard output could not be written. A closed pipe (`connect-offsets ... | head`) is
    /// the reader saying it has enough: stop quietly and successfully.
    pub fn stdout(error: &io::Error) -> Failure {
        if error.kind() == io::ErrorKind::BrokenPipe {
            return Failure {
                exit: Exit::Success,
                what: String::new(),
                hint: None,
            };
        }
        Failure::runtime(
            format!("cannot write to standard output: {error}"),
            "check where the output is redirected to (a full disk?)",
        )
    }

    /// An error of the facade, about `subject` (e.g. `connector orders-sink in env-1/lkc-1`).
    pub fn api(error: &Error, subject: &str) -> Failure {
        let described = describe(error, subject);
        Failure {
            exit: described.exit,
            what: one_line(&described.what),
            hint: Some(one_line(&described.hint)),
        }
    }

    /// An error of the facade about a whole cluster (`list`, `snapshot --cluster`): no
    /// connector was named, so the hint about names names only ENV and CLUSTER.
    pub fn cluster_api(error: &Error, environment: &str, cluster: &str) -> Failure {
        let mut failure = Failure::api(error, &format!("cluster {environment}/{cluster}"));
        if error.hint() == Hint::CheckNames {
            failure.hint = Some(
                "check ENV (env-...) and CLUSTER (lkc-...): the environment must hold the cluster"
                    .to_owned(),
            );
        }
        failure
    }

    /// An offsets file (or standard input) that could not be read or written.
    pub fn offsets_file(error: &OffsetsFileError) -> Failure {
        match error {
            OffsetsFileError::Write { .. } => Failure::runtime(
                error.to_string(),
                "write the file elsewhere with --file PATH, or to standard output with --file -",
            ),
            _ => Failure::usage(
                error.to_string(),
                "compare with what `connect-offsets export ENV CLUSTER CONNECTOR --file -` writes",
            ),
        }
    }

    /// Prints `error: ...` and `hint: ...` on standard error.
    pub fn report(&self, terminal: &Terminal) {
        if self.what.is_empty() {
            return;
        }
        let colour = terminal.colour_stderr();
        if self.exit == Exit::Interrupted && terminal.stderr_is_terminal() {
            // The terminal echoed `^C` where the cursor was, maybe after a prompt.
            eprintln!();
        }
        eprintln!("{} {}", Style::Red.paint("error:", colour), self.what);
        if let Some(hint) = &self.hint {
            eprintln!("{} {hint}", Style::Yellow.paint("hint:", colour));
        }
    }
}

/// What [`Failure::api`] makes of a facade error.
struct Described {
    exit: Exit,
    what: String,
    hint: String,
}

fn describe(error: &Error, subject: &str) -> Described {
    let hint = error.hint();
    let exit = match hint {
        Hint::FixOffsets
        | Hint::FixNames
        | Hint::FixHeader
        | Hint::FixConfig
        | Hint::FixConnectorConfig => Exit::Usage,
        _ => Exit::Failure,
    };
    Described {
        exit,
        what: what_failed(error, subject),
        hint: hint_text(hint).to_owned(),
    }
}

/// What went wrong, about `subject`.
fn what_failed(error: &Error, subject: &str) -> String {
    let source = || error.source_chain().unwrap_or_default();
    match error {
        Error::Api(api) => {
            let mut what = format!("Confluent Cloud answered {} for {subject}", api.status);
            if let Some(message) = &api.message {
                what.push_str(": ");
                what.push_str(message);
            }
            if let Some(id) = &api.request_id {
                what.push_str(&format!(" (request id {id})"));
            }
            what
        }
        Error::RetriesExhausted {
            attempts, stopped, ..
        } => format!(
            "{} (gave up after {attempts} tries: {stopped})",
            what_failed(error.last_try(), subject)
        ),
        Error::RateLimited(limit) => format!("{limit} (for {subject})"),
        Error::Timeout { .. } => format!("the request for {subject} timed out: {}", source()),
        Error::Transport { .. } => {
            format!(
                "could not reach Confluent Cloud for {subject}: {}",
                source()
            )
        }
        Error::InvalidArgument {
            argument: Argument::Offsets,
            value,
            reason,
        } => format!("the offsets are refused, and nothing was sent: {reason}: {value}"),
        // The facade's own messages for these name its Rust API; this says the same in terms
        // of the command.
        Error::AlterTimedOut {
            connector,
            phase,
            waited,
        } => format!(
            "gave up waiting for the offsets change of connector {connector} after {:.1} s: it \
             is still {phase}",
            waited.as_secs_f64()
        ),
        Error::AlterNotSeen {
            connector,
            waited,
            seen,
        } => format!(
            "gave up waiting for the offsets change of connector {connector} after {:.1} s: the \
             status still shows an earlier change (requested at {}, {})",
            waited.as_secs_f64(),
            seen.request.requested_at.raw(),
            seen.phase
        ),
        Error::BodyTooLarge { status, limit, .. } => format!(
            "the {status} answer for {subject} is larger than the limit of {limit} bytes, so it \
             was not read to the end{}",
            error
                .request_id()
                .map(|id| format!(" (request id {id})"))
                .unwrap_or_default()
        ),
        Error::AlterFailed { .. }
        | Error::InvalidArgument { .. }
        | Error::Config(_)
        | Error::Credentials(_) => error.to_string(),
        _ => format!("{error} (for {subject})"),
    }
}

/// The facade's hint, worded for this command line: its arguments, flags and variables.
fn hint_text(hint: Hint) -> &'static str {
    match hint {
        Hint::FixRequest => {
            "the service refused the request as malformed: check ENV (env-...), CLUSTER (lkc-...) \
             and the offsets"
        }
        Hint::CheckCredentials => {
            "check the Cloud API key and its secret (CONFLUENT_CLOUD_API_KEY, \
             CONFLUENT_CLOUD_API_SECRET); a Kafka cluster API key is refused here"
        }
        Hint::CheckPermissions => {
            "the key is valid but may not read this connector: give its service account a role \
             on the environment or the cluster"
        }
        Hint::CheckNames => {
            "check ENV (env-...), CLUSTER (lkc-...) and CONNECTOR, whose name is case-sensitive"
        }
        Hint::RetryLater => {
            "the service failed: retry later, and quote the request id if it persists"
        }
        Hint::ContactSupport => "quote the request id to Confluent support if it persists",
        Hint::SlowDown => "wait and run the command again; for snapshot, lower --concurrency",
        Hint::AllowMoreTime => {
            "retry; if it keeps timing out, check the network and --base-url (or \
             CONFLUENT_CLOUD_BASE_URL), or allow more time with --request-timeout"
        }
        Hint::RaiseBodyLimit => {
            "if so large an answer is expected, raise the limit with --max-body-size BYTES"
        }
        Hint::CheckEndpoint => {
            "check --base-url (or CONFLUENT_CLOUD_BASE_URL) and the network; for the emulator, \
             is it running?"
        }
        Hint::CheckBaseUrl => {
            "is the base URL really Confluent Cloud's API? If it is, retry later and quote the \
             request id to Confluent support if it persists"
        }
        Hint::ReadAlterStatus => {
            "read why with `connect-offsets status ENV CLUSTER CONNECTOR`, fix the offsets and \
             try again"
        }
        Hint::FollowAlterStatus => {
            "the change goes on: follow it with `connect-offsets status ENV CLUSTER CONNECTOR`, \
             or wait longer with --timeout"
        }
        Hint::FixOffsets => "fix that entry of the offsets file",
        Hint::FixNames => "check ENV, CLUSTER and CONNECTOR",
        Hint::FixHeader => "check the command's arguments",
        Hint::FixConfig => "check --base-url (or CONFLUENT_CLOUD_BASE_URL) and the credentials",
        Hint::FixConnectorConfig => {
            "complete the connector's configuration (--config, --set, --kafka-api-key, \
             CONFLUENT_KAFKA_API_SECRET) and try again"
        }
        Hint::CheckIdentityProvider => {
            "check --oauth-token-url, --oauth-client-id, the client secret \
             (CONFLUENT_CLOUD_OAUTH_EXTERNAL_CLIENT_SECRET or --oauth-client-secret-file) and \
             --oauth-scope with your identity provider"
        }
        Hint::CheckTokenExchange => {
            "check --identity-pool-id (pool-...), that the identity provider is registered in \
             Confluent Cloud and its tokens match the pool's filter, and that the subject token \
             is fresh"
        }
        // Hints added to the facade later.
        _ => "retry later; quote the request id to Confluent support if it persists",
    }
}

/// `text` on one line: line breaks and other control characters become spaces.
pub fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use confluent_connect::{
        AlterKind, AlterPhase, AlterRequest, AlterStatus, ApiError, StatusCode, Timestamp,
    };

    #[test]
    fn waiting_errors_are_told_in_terms_of_the_command_not_the_rust_api() {
        let request = AlterRequest::new(
            "lcc-1",
            "orders-sink",
            AlterKind::Patch,
            Vec::new(),
            Timestamp::parse("2024-02-20T15:13:19+0000"),
        );
        let waited = std::time::Duration::from_millis(30_000);
        let timed_out = Error::AlterTimedOut {
            connector: "orders-sink".to_owned(),
            phase: AlterPhase::Pending,
            waited,
        };
        let not_seen = Error::AlterNotSeen {
            connector: "orders-sink".to_owned(),
            waited,
            seen: Box::new(AlterStatus::new(
                request,
                AlterPhase::Applied,
                None,
                Vec::new(),
                None,
            )),
        };
        let texts =
            [timed_out, not_seen].map(|error| Failure::api(&error, "connector orders-sink"));
        assert_eq!(
            texts.each_ref().map(|failure| failure.what.as_str()),
            [
                "gave up waiting for the offsets change of connector orders-sink after 30.0 s: it \
                 is still PENDING",
                "gave up waiting for the offsets change of connector orders-sink after 30.0 s: the \
                 status still shows an earlier change (requested at 2024-02-20T15:13:19+0000, \
                 APPLIED)",
            ]
        );
        assert!(
            texts.iter().all(|failure| !failure
                .hint
                .as_deref()
                .unwrap_or_default()
                .contains("Connector::")),
            "{texts:?}"
        );
    }

    #[test]
    fn the_service_message_is_quoted_verbatim() {
        let error = Error::Api(ApiError::new(
            StatusCode::NOT_FOUND,
            Some(404),
            Some("connector x.. not found...".to_owned()),
            Some("req-1".to_owned()),
        ));
        assert_eq!(
            Failure::api(&error, "connector x.. in env-1/lkc-1").what,
            "Confluent Cloud answered 404 Not Found for connector x.. in env-1/lkc-1: connector \
             x.. not found... (request id req-1)"
        );
    }

    #[test]
    fn line_breaks_become_single_spaces() {
        assert_eq!(one_line("no such\n  connector\r\n"), "no such connector");
    }

    #[test]
    fn a_broken_pipe_stops_quietly_and_successfully() {
        let failure = Failure::stdout(&io::Error::from(io::ErrorKind::BrokenPipe));
        assert_eq!((failure.exit, failure.what.as_str()), (Exit::Success, ""));
    }

    #[test]
    fn exit_codes_are_the_documented_ones() {
        let codes = [
            Exit::Success,
            Exit::Failure,
            Exit::Usage,
            Exit::Partial,
            Exit::Interrupted,
        ]
        .map(Exit::code);
        assert_eq!(codes, [0, 1, 2, 3, 130]);
    }

    #[test]
    fn a_configuration_refused_before_sending_is_a_usage_error_saying_how_to_complete_it() {
        let error = Error::InvalidArgument {
            argument: Argument::Config,
            value: "kafka.api.key".to_owned(),
            reason: "missing".to_owned(),
        };
        let failure = Failure::api(&error, "connector x in env-1/lkc-1");
        assert_eq!(failure.exit, Exit::Usage);
        assert_eq!(
            failure.hint.as_deref(),
            Some(
                "complete the connector's configuration (--config, --set, --kafka-api-key, \
                 CONFLUENT_KAFKA_API_SECRET) and try again"
            )
        );
    }
}
