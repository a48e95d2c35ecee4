//! `synthgate gate`: may these files go to this target? Exit 0 allowed, 3 refused. Nothing is
//! copied; pipelines run it before their own copy, or use `synthgate copy`.

use std::path::PathBuf;

use synthgate::audit::Outcome;
use synthgate::error::{Error, ErrorKind};
use synthgate::manifest::sha256_file;

use super::context::{Context, GateArgs};
use super::scan::{expand, scan_one};

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
    let mut refused = Vec::new();
    for file in expand(&args.paths)? {
        let report = scan_one(&ctx, &file, Some(&target))?;
        let gate = ctx.gate(target.clone(), &file);
        // Judged by its real name (the report shows it masked where it holds personal data).
        let verdict = gate.judge(&file.display().to_string(), &report.columns);
        let hash = sha256_file(&file).ok().map(|(h, _)| h);
        let outcome = if verdict.is_ok() { Outcome::Cleared } else { Outcome::Refused };
        ctx.audit("gate", &report.source, hash, &target, outcome, &report.columns)?;
        match verdict {
            Ok(()) => eprintln!(
                "cleared: {} → {} ({})",
                report.source,
                ctx.shown(&target.location),
                target.environment_name()
            ),
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
