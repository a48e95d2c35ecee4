//! The `synthgate` binary: parses arguments, runs a command, maps errors to exit codes.

use std::process::ExitCode;

fn main() -> ExitCode {
    match synthgate_cli::run() {
        Ok(code) => ExitCode::from(code),
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synthgate: {e}");
            ExitCode::from(e.kind().exit_code() as u8)
        }
    }
}

#[path = "cli/mod.rs"]
mod synthgate_cli;
