//! `synthgate gate`: may these files go to this target? Exit 0 allowed, 3 refused. Nothing is
//! copied; pipelines run it before their own copy, or use `synthgate copy`.

use std::path::PathBuf;

use synthgate::audit::Outcome;
use synthgate::error::{Error, ErrorKind};

use super::context::{Context, GateArgs};
use super::scan::{expand, scan_verified};

#[derive(clap::Args)]
pub struct Args {
    /// Files or folders to judge.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The target: an environment name (test, production) or a path/URL that the
    /// environments file resolves to one. Unmatched targets are non-production.
    #[arg(long, value_name = "TARGET")]
    target: String,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    gate: GateArgs,
}

pub fn run(args: Args) -> Result<u8, Error> {
    super::set_threads(args.threads)?;
    let ctx = Context::new(&args.gate)?;
    let target = ctx.target(&args.target, true)?;
    let gate = ctx.gate(target.clone());
    let mut refused = Vec::new();
    for file in expand(&args.paths)? {
        let (report, read) = scan_verified(&ctx, &file, true)?;
        let verdict = gate.judge(&report.source, &report.columns);
        // The hash of the bytes judged, not of a later read.
        let hash = read.and_then(|d| d.get().map(|(h, _)| h.to_string()));
        let outcome = if verdict.is_ok() { Outcome::Cleared } else { Outcome::Refused };
        ctx.audit("gate", &report.source, hash, &target, outcome, &report.columns)?;
        match verdict {
            Ok(()) => eprintln!("cleared: {} → {} ({})", report.source, target.location, target.environment_name()),
            Err(r) => {
                eprintln!("{}", r.to_string().replacen("nothing was written", "nothing may be copied", 1));
                refused.push(report.source);
            }
        }
    }
    if refused.is_empty() {
        Ok(0)
    } else {
        Err(Error::new(ErrorKind::Refused, format!("{} of the files may not go to {}", refused.len(), target.location)))
    }
}
