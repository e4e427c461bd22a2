//! Ctrl-C: caught from the start, so that every command can stop cleanly.

use std::io;

use crate::failure::Failure;

/// Ctrl-C presses, listened for from start-up on.
///
/// Listening replaces the default action of SIGINT (ending the process at once), so a command
/// stops where it can: the terminal is left as it was, a progress bar is cleared, and the exit
/// code is the documented one.
pub struct Interrupts {
    #[cfg(unix)]
    signal: tokio::signal::unix::Signal,
    #[cfg(windows)]
    signal: tokio::signal::windows::CtrlC,
}

impl Interrupts {
    /// Starts listening; needs the tokio runtime.
    pub fn listen() -> io::Result<Interrupts> {
        Ok(Interrupts {
            #[cfg(unix)]
            signal: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?,
            #[cfg(windows)]
            signal: tokio::signal::windows::ctrl_c()?,
        })
    }

    /// Waits for the next Ctrl-C.
    pub async fn recv(&mut self) {
        // `None` means no more signals can come: then wait forever rather than stop.
        if self.signal.recv().await.is_none() {
            std::future::pending::<()>().await;
        }
    }
}

/// Runs `work`, which blocks (reading a terminal or standard input), on a thread of its own, so
/// that Ctrl-C still stops the command: a blocked read does not end when SIGINT is caught.
pub async fn blocking<T, F>(interrupts: &mut Interrupts, work: F) -> Result<T, Failure>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (sender, receiver) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("connect-offsets-input".to_owned())
        .spawn(move || {
            // The receiver is gone only if Ctrl-C came first; the answer is then not needed.
            let _ = sender.send(work());
        })
        .map_err(|error| {
            Failure::runtime(
                format!("cannot start a thread to read the input: {error}"),
                "the system is short of resources: retry",
            )
        })?;
    let lost = || Failure::runtime("reading the input failed unexpectedly", "retry");
    let mut receiver = receiver;
    tokio::select! {
        answer = &mut receiver => answer.map_err(|_| lost()),
        () = interrupts.recv() => {
            // A password prompt sees Ctrl-C itself and restores the terminal's echo on its way
            // out: give it that moment before the process ends.
            let _ = tokio::time::timeout(SETTLE, receiver).await;
            Err(Failure::interrupted(None))
        }
    }
}

/// How long an interrupted read may take to put the terminal back as it was.
const SETTLE: std::time::Duration = std::time::Duration::from_millis(250);
