//! `--help`: every command has one, with examples, the exit codes and the environment.

use crate::common::{assert_output, bare_command, text};

const COMMANDS: [&str; 7] = [
    "get", "watch", "export", "alter", "reset", "status", "snapshot",
];

#[test]
fn every_command_has_help_with_an_example_of_itself_and_the_exit_codes() {
    for command in COMMANDS {
        let output = bare_command()
            .args([command, "--help"])
            .output()
            .expect("the binary runs");
        let help = String::from_utf8_lossy(&output.stdout);

        assert!(output.status.success(), "{command} --help succeeds");
        assert!(
            help.contains(&format!("Examples:\n  connect-offsets {command} ")),
            "{command} --help has an example of itself:\n{help}"
        );
        assert!(
            help.contains("Exit codes:\n  0    success"),
            "{command} --help documents the exit codes:\n{help}"
        );
    }
}

#[test]
fn the_main_help_lists_the_commands_the_exit_codes_and_the_environment() {
    assert_output!(text(
        &bare_command()
            .arg("--help")
            .output()
            .expect("the binary runs")
    ));
}

#[test]
fn the_help_of_watch_explains_the_marks_and_the_rates() {
    assert_output!(text(
        &bare_command()
            .args(["watch", "--help"])
            .output()
            .expect("the binary runs")
    ));
}
