//! Command-line front end: raw arguments (clap) become checked settings, then a command runs.

mod generate;
mod schema;

use clap::{Parser, Subcommand};

use synthgate::error::Error;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  a scan found personal data
  2  usage or configuration error (bad flags, schema, rules, environments)
  3  a write was refused by the gate (nothing was written)
  4  runtime error (I/O, database)";

#[derive(Parser)]
#[command(name = "synthgate", version, about = "Synthetic data, scrubbing, and a gate that keeps personal data in production", after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate synthetic tables from a schema file into CSV, JSON Lines or Parquet.
    #[command(after_help = EXIT_CODES)]
    Generate(generate::Args),
    /// Work with schema files.
    #[command(subcommand)]
    Schema(schema::Command),
}

/// Runs the command line; `Ok` carries the exit code.
pub fn run() -> Result<u8, Error> {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and version print to stdout and succeed; real usage errors exit 2.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return Ok(code);
        }
    };
    match cli.command {
        Command::Generate(args) => generate::run(args),
        Command::Schema(cmd) => schema::run(cmd),
    }
}
