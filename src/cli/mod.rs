//! Command-line front end: raw arguments (clap) become checked settings, then a command runs.

mod context;
mod copy;
mod env;
mod gate;
mod generate;
mod import;
mod load;
mod namespace;
mod policy;
mod rules;
mod scan;
mod schema;
mod scrub;

use clap::{Parser, Subcommand};

use synthgate::error::Error;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  a scan found personal data
  2  usage or configuration error (bad flags, schema, rules, environments, policy, key)
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
    /// Scan files or folders for personal data; exit 1 when any is found.
    #[command(after_help = EXIT_CODES)]
    Scan(scan::Args),
    /// Decide whether files may go to a target; exit 0 allowed, 3 refused.
    #[command(after_help = EXIT_CODES)]
    Gate(gate::Args),
    /// Copy a file to a target through the gate; refused means nothing is written.
    #[command(after_help = EXIT_CODES)]
    Copy(copy::Args),
    /// Scrub production exports with a policy; the result passes the gate or nothing is written.
    #[command(after_help = EXIT_CODES)]
    Scrub(scrub::Args),
    /// Scrub policies: suggest one from a scan of the files.
    #[command(subcommand)]
    Policy(policy::Command),
    /// The detection rules: list them, test them against their examples.
    #[command(subcommand)]
    Rules(rules::Command),
    /// The environments file: how targets resolve.
    #[command(subcommand)]
    Env(env::Command),
    /// Per-workstream namespaces of a database (made by `generate --namespace`): list, drop, gc.
    Namespace(namespace::Args),
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
        Command::Scan(args) => scan::run(args),
        Command::Gate(args) => gate::run(args),
        Command::Copy(args) => copy::run(args),
        Command::Scrub(args) => scrub::run(args),
        Command::Policy(cmd) => policy::run(cmd),
        Command::Rules(cmd) => rules::run(cmd),
        Command::Env(cmd) => env::run(cmd),
        Command::Namespace(cmd) => namespace::run(cmd),
    }
}

/// Writes `text` to standard output; a closed pipe (`| head`) is not an error.
pub fn print(text: &str) -> Result<u8, Error> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("cannot write to", std::path::Path::new("standard output"), e))
        }
        _ => Ok(0),
    }
}

/// A flag that the first Ctrl-C sets, so a command can stop between chunks and drop what it
/// staged (nothing is written); a second Ctrl-C exits at once with 130.
pub fn cancel_on_ctrl_c() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let cancel = std::sync::Arc::new(AtomicBool::new(false));
    let flag = cancel.clone();
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
    cancel
}

/// Sizes the worker pool; output never depends on it.
pub fn set_threads(n: Option<usize>) -> Result<(), Error> {
    if let Some(n) = n {
        if n == 0 {
            return Err(Error::usage("--threads must be at least 1"));
        }
        // Fails only if a pool exists already, which is then used as it is.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n).build_global();
    }
    Ok(())
}
