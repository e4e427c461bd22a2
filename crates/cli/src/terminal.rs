//! What the standard streams are connected to, and what may be drawn on them.

use std::io::IsTerminal;

/// Where the output goes, decided once at start-up.
///
/// Colour, the progress bar and the live view of `watch` are only for a person at a terminal:
/// not when the stream is a pipe or a file, not when `NO_COLOR` is set to anything but the empty
/// string (<https://no-color.org>), and not when `TERM` is `dumb`.
#[derive(Debug, Clone, Copy)]
pub struct Terminal {
    stdin: bool,
    stdout: bool,
    stderr: bool,
    no_color: bool,
    dumb: bool,
}

impl Terminal {
    /// Looks at the process's streams and environment.
    pub fn detect() -> Terminal {
        let set = |name: &str| std::env::var_os(name).is_some_and(|value| !value.is_empty());
        Terminal {
            stdin: std::io::stdin().is_terminal(),
            stdout: std::io::stdout().is_terminal(),
            stderr: std::io::stderr().is_terminal(),
            no_color: set("NO_COLOR"),
            dumb: std::env::var_os("TERM").is_some_and(|term| term == "dumb"),
        }
    }

    /// Whether a person can answer a prompt: standard input is a terminal.
    pub fn can_prompt(&self) -> bool {
        self.stdin
    }

    /// Whether standard error is a terminal, where Ctrl-C is echoed as `^C`.
    pub fn stderr_is_terminal(&self) -> bool {
        self.stderr
    }

    /// Whether standard output may be redrawn in place (the live view of `watch`).
    pub fn live_stdout(&self) -> bool {
        self.stdout && !self.dumb
    }

    /// Whether standard output may be coloured.
    pub fn colour_stdout(&self) -> bool {
        self.stdout && !self.no_color && !self.dumb
    }

    /// Whether standard error may be coloured.
    pub fn colour_stderr(&self) -> bool {
        self.stderr && !self.no_color && !self.dumb
    }

    /// Whether a progress bar may be drawn on standard error.
    pub fn progress_bar(&self) -> bool {
        self.stderr && !self.no_color && !self.dumb
    }
}

/// A text style, written as ANSI escape codes only when colour is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Error labels and stalled partitions.
    Red,
    /// Hints and idle partitions.
    Yellow,
    /// Column headings.
    Bold,
}

impl Style {
    /// `text` in this style if `colour` is on, else `text` unchanged.
    pub fn paint(self, text: &str, colour: bool) -> String {
        if !colour || text.is_empty() {
            return text.to_owned();
        }
        let code = match self {
            Style::Red => "1;31",
            Style::Yellow => "33",
            Style::Bold => "1",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }
}

#[cfg(test)]
mod tests {
    use super::Style;

    #[test]
    fn no_colour_leaves_the_text_alone() {
        assert_eq!(Style::Red.paint("STALLED", false), "STALLED");
    }

    #[test]
    fn colour_wraps_the_text_in_escape_codes() {
        assert_eq!(
            Style::Red.paint("STALLED", true),
            "\x1b[1;31mSTALLED\x1b[0m"
        );
    }
}
