//! The commands about one connector: `get`, `export`, `alter`, `reset` and `status`.

use std::future::Future;
use std::io::{BufRead, Read};
use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use confluent_connect::{
    AlterRequest, AlterStatus, Connector, ConnectorOffsets, Error, OffsetsFile, WaitOptions,
};

use crate::cli::{
    AlterArgs, ConnectionArgs, ConnectorArgs, ExportArgs, FreshnessArgs, GetArgs, ResetArgs,
    StatusArgs, WaitArgs,
};
use crate::failure::{Exit, Failure};
use crate::interrupt::{Interrupts, blocking};
use crate::render::{self, observed};
use crate::terminal::{Style, Terminal};
use crate::{connection, emit};

/// Runs `work` unless Ctrl-C comes first; `hint` is then what to tell the user.
pub async fn or_interrupted<T>(
    interrupts: &mut Interrupts,
    hint: Option<String>,
    work: impl Future<Output = T>,
) -> Result<T, Failure> {
    tokio::select! {
        value = work => Ok(value),
        () = interrupts.recv() => Err(Failure::interrupted(hint)),
    }
}

/// Whether a path argument means a standard stream.
pub fn is_stdio(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Reads the offsets of `target`, for `get` and `export`: with `--max-age`, until they are
/// that fresh or `--max-age-wait` runs out, warning on standard error if they are not.
async fn read_offsets(
    connection: &ConnectionArgs,
    target: &ConnectorArgs,
    freshness: &FreshnessArgs,
    terminal: &Terminal,
    interrupts: &mut Interrupts,
) -> Result<ConnectorOffsets, Failure> {
    let client = connection::client(connection, terminal, interrupts).await?;
    let connector = target.connector(&client);
    let (offsets, staleness) = or_interrupted(interrupts, None, read_fresh(&connector, freshness))
        .await?
        .map_err(|error| Failure::api(&error, &target.subject()))?;
    if let Some(staleness) = staleness {
        warn(terminal, &staleness);
    }
    Ok(offsets)
}

/// Reads `connector`'s offsets; with `--max-age`, again until they are that fresh or
/// `--max-age-wait` runs out. Returns them with what to warn about if they are not that fresh.
pub async fn read_fresh(
    connector: &Connector,
    freshness: &FreshnessArgs,
) -> Result<(ConnectorOffsets, Option<String>), Error> {
    let Some(max_age) = freshness.max_age else {
        return connector.offsets().await.map(|offsets| (offsets, None));
    };
    let options = WaitOptions::default()
        .with_timeout(freshness.max_age_wait)
        .with_initial_interval(Duration::from_secs(1))
        .with_max_interval(Duration::from_secs(10));
    let read = connector.offsets_fresher_than(max_age, options).await?;
    let staleness = render::staleness(&read, max_age, freshness.max_age_wait);
    Ok((read.offsets, staleness))
}

/// A `warning:` line on standard error.
pub fn warn(terminal: &Terminal, warning: &str) {
    let colour = terminal.colour_stderr();
    eprintln!("{} {warning}", Style::Yellow.paint("warning:", colour));
}

/// `get`: the offsets as a table, JSON or YAML.
pub async fn get(
    connection: &ConnectionArgs,
    args: GetArgs,
    terminal: &Terminal,
    interrupts: &mut Interrupts,
) -> Result<Exit, Failure> {
    let offsets = read_offsets(
        connection,
        &args.target,
        &args.freshness,
        terminal,
        interrupts,
    )
    .await?;
    emit(&render::offsets(
        &offsets,
        &args.target.connector,
        args.output,
        Utc::now(),
        terminal.colour_stdout(),
    )?)?;
    Ok(Exit::Success)
}

/// `export`: the offsets file, written atomically or to standard output.
pub async fn export(
    connection: &ConnectionArgs,
    args: ExportArgs,
    terminal: &Terminal,
    interrupts: &mut Interrupts,
) -> Result<Exit, Failure> {
    let offsets = read_offsets(
        connection,
        &args.target,
        &args.freshness,
        terminal,
        interrupts,
    )
    .await?;
    let file = OffsetsFile::from(&offsets);
    if is_stdio(&args.file) {
        return emit(&String::from_utf8_lossy(&file.to_vec())).map(|()| Exit::Success);
    }
    file.write(&args.file)
        .map_err(|error| Failure::offsets_file(&error))?;
    emit(&format!(
        "Wrote {} offset{} of {}, {}, to {}\n",
        file.offsets.len(),
        if file.offsets.len() == 1 { "" } else { "s" },
        args.target.connector,
        observed(offsets.observed_at.as_ref(), Utc::now()),
        args.file.display()
    ))?;
    Ok(Exit::Success)
}

/// `alter`: a PATCH of the partitions in the offsets file.
pub async fn alter(
    connection: &ConnectionArgs,
    args: AlterArgs,
    terminal: &Terminal,
    interrupts: &mut Interrupts,
) -> Result<Exit, Failure> {
    // The file first: a mistake in it is found before anyone is asked for a secret.
    let file = if is_stdio(&args.file) {
        tell_if_typing(terminal, "the offsets file");
        blocking(interrupts, || {
            OffsetsFile::from_reader(std::io::stdin().lock())
        })
        .await?
    } else {
        OffsetsFile::read(&args.file)
    }
    .map_err(|error| Failure::offsets_file(&error))?;
    let client = connection::client(connection, terminal, interrupts).await?;
    let connector = args.target.connector(&client);
    let request = or_interrupted(
        interrupts,
        sent_hint(&args.target),
        connector.alter_offsets(&file.offsets),
    )
    .await?
    .map_err(|error| Failure::api(&error, &args.target.subject()))?;
    emit(&format!(
        "Asked to set {} offset{} of {}: {}\n",
        request.offsets.len(),
        if request.offsets.len() == 1 { "" } else { "s" },
        args.target.connector,
        requested(&request)
    ))?;
    finish(&connector, &request, &args.target, &args.wait, interrupts).await
}

/// `reset`: a DELETE, once confirmed.
pub async fn reset(
    connection: &ConnectionArgs,
    args: ResetArgs,
    terminal: &Terminal,
    interrupts: &mut Interrupts,
) -> Result<Exit, Failure> {
    let client = connection::client(connection, terminal, interrupts).await?;
    if !args.yes {
        confirm_reset(&args.target, terminal, interrupts).await?;
    }
    let connector = args.target.connector(&client);
    let request = or_interrupted(
        interrupts,
        sent_hint(&args.target),
        connector.reset_offsets(),
    )
    .await?
    .map_err(|error| Failure::api(&error, &args.target.subject()))?;
    emit(&format!(
        "Asked to reset the offsets of {}: {}\n",
        args.target.connector,
        requested(&request)
    ))?;
    finish(&connector, &request, &args.target, &args.wait, interrupts).await
}

/// Asks to type the connector's name, at a terminal; refuses without one.
async fn confirm_reset(
    target: &ConnectorArgs,
    terminal: &Terminal,
    interrupts: &mut Interrupts,
) -> Result<(), Failure> {
    if !terminal.can_prompt() {
        return Err(Failure::usage(
            format!(
                "refusing to reset the offsets of {} without confirmation, and there is no \
                 terminal to ask at",
                target.subject()
            ),
            "pass --yes to reset without being asked",
        ));
    }
    eprint!(
        "This resets every offset of {}: it will start over as if newly created.\nType the \
         connector's name to confirm: ",
        target.subject()
    );
    let answer = blocking(interrupts, || {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map(|_| line)
    })
    .await?
    .map_err(|error| {
        Failure::usage(
            format!("cannot read the confirmation: {error}"),
            "pass --yes to reset without being asked",
        )
    })?;
    if answer.trim() != target.connector {
        return Err(Failure::usage(
            format!(
                "not confirmed: the name typed is not {:?}; nothing was changed",
                target.connector
            ),
            "type the connector's name exactly, or pass --yes",
        ));
    }
    Ok(())
}

/// `status`: where the latest offsets change stands.
pub async fn status(
    connection: &ConnectionArgs,
    args: StatusArgs,
    terminal: &Terminal,
    interrupts: &mut Interrupts,
) -> Result<Exit, Failure> {
    let client = connection::client(connection, terminal, interrupts).await?;
    let connector = args.target.connector(&client);
    let status = or_interrupted(interrupts, None, connector.alter_status())
        .await?
        .map_err(|error| status_failure(&error, &args.target))?;
    emit(&render::status(
        &status,
        args.output,
        terminal.colour_stdout(),
    )?)?;
    Ok(Exit::Success)
}

/// A failed status read; a 404 also means that no change was ever asked for.
fn status_failure(error: &Error, target: &ConnectorArgs) -> Failure {
    let mut failure = Failure::api(error, &target.subject());
    if error.status().is_some_and(|status| status.as_u16() == 404) {
        failure.hint = Some(
            "check ENV, CLUSTER and CONNECTOR; if they are right, no offsets change was ever \
             asked for on this connector"
                .to_owned(),
        );
    }
    failure
}

/// `PATCH requested 2024-02-20T15:14:19+00:00`
fn requested(request: &AlterRequest) -> String {
    format!("{} requested {}", request.kind, request.requested_at)
}

/// What to say when Ctrl-C comes after an offsets change may have been sent.
fn sent_hint(target: &ConnectorArgs) -> Option<String> {
    Some(format!(
        "the change may have been asked for already: see `connect-offsets status {} {} {}`",
        target.environment, target.cluster, target.connector
    ))
}

/// After asking for a change: wait for it (for `request`, not an earlier change) with
/// `--wait`, else say how to follow it.
async fn finish(
    connector: &Connector,
    request: &AlterRequest,
    target: &ConnectorArgs,
    wait: &WaitArgs,
    interrupts: &mut Interrupts,
) -> Result<Exit, Failure> {
    let follow = format!(
        "connect-offsets status {} {} {}",
        target.environment, target.cluster, target.connector
    );
    if !wait.wait {
        emit(&format!("Follow it with: {follow}\n"))?;
        return Ok(Exit::Success);
    }
    let status: AlterStatus = or_interrupted(
        interrupts,
        Some(format!(
            "the change goes on without this command: follow it with `{follow}`"
        )),
        connector.wait_for_alter_of(request, WaitOptions::default().with_timeout(wait.timeout)),
    )
    .await?
    .map_err(|error| Failure::api(&error, &target.subject()))?;
    let mut text = format!("{}", status.phase);
    if let Some(at) = &status.applied_at {
        text.push_str(&format!(" at {at}"));
    }
    if let Some(message) = &status.message {
        text.push_str(&format!(": {message}"));
    }
    emit(&(text + "\n"))?;
    Ok(Exit::Success)
}

/// Says what is expected when standard input, about to be read to its end, is a terminal:
/// otherwise the command would seem to hang.
pub fn tell_if_typing(terminal: &Terminal, what: &str) {
    if terminal.can_prompt() {
        eprintln!("Reading {what} from standard input; end it with Ctrl-D.");
    }
}

/// Reads all of standard input as text, for `--list -`.
pub fn read_stdin() -> std::io::Result<String> {
    let mut text = String::new();
    std::io::stdin().lock().read_to_string(&mut text)?;
    Ok(text)
}
