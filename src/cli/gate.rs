//! `synthgate gate`: may these files go to this target? Exit 0 allowed, 3 refused. Nothing is
//! copied; pipelines run it before their own copy, or use `synthgate copy`. A folder is judged
//! whole: a file in it that cannot be read is refused, since the gate cannot clear what it could
//! not read; only `--exclude` leaves a file out, and the files left out are listed.

use std::path::PathBuf;

use synthgate::audit::Outcome;
use synthgate::detect::ScanReport;
use synthgate::error::{Error, ErrorKind};

use super::context::{Context, GateArgs};
use super::scan::{expand, report_excluded, scan_databases, scan_verified, FolderArgs};

#[derive(clap::Args)]
pub struct Args {
    /// Files or folders to judge, or databases (postgres://…/db, mysql://…/db,
    /// sqlite://file.db): every table, or those named by --table.
    #[arg(required = true, value_name = "PATH|URL")]
    paths: Vec<PathBuf>,
    /// Databases: judge only this table (repeatable).
    #[arg(long = "table", value_name = "TABLE")]
    tables: Vec<String>,
    /// The target: an environment name (test, production) or a path/URL that the
    /// environments file resolves to one. Unmatched targets are non-production.
    #[arg(long, value_name = "TARGET")]
    target: String,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    folders: FolderArgs,
    #[command(flatten)]
    gate: GateArgs,
}

pub fn run(args: Args) -> Result<u8, Error> {
    super::set_threads(args.threads)?;
    let ctx = Context::new(&args.gate)?;
    let target = ctx.target(&args.target, true)?;
    let (paths, tables) = scan_databases(&ctx, &args.paths, &args.tables)?;
    let found = expand(&paths, &args.folders)?;
    let mut refused = Vec::new();
    // Judged by its real name (the report shows it masked where it holds personal data), audited
    // with the hash of the bytes judged, not of a later read.
    let decide =
        |refused: &mut Vec<String>, name: &str, report: &ScanReport, hash: Option<String>| -> Result<(), Error> {
            let gate = ctx.gate(target.clone(), std::path::Path::new(name));
            let verdict = gate.judge(name, &report.columns);
            let outcome = if verdict.is_ok() { Outcome::Cleared } else { Outcome::Refused };
            ctx.records().audit("gate", &report.source, hash, &target, outcome, &report.columns)?;
            match verdict {
                Ok(()) => eprintln!(
                    "cleared: {} → {} ({})",
                    report.source,
                    ctx.shown(&target.location),
                    target.environment_name()
                ),
                Err(r) => {
                    eprintln!("{}", r.to_string().replacen("nothing was written", "nothing may be copied", 1));
                    refused.push(report.source.clone());
                }
            }
            Ok(())
        };
    for (name, report, hash) in &tables {
        decide(&mut refused, name, report, hash.clone())?;
    }
    let refuse_unreadable = |refused: &mut Vec<String>, source: String, why: &str| -> Result<(), Error> {
        eprintln!(
            "refused: {why}; the gate cannot clear what it cannot read: nothing may be copied (leave the \
             file out explicitly with --exclude GLOB if it is not to be copied)"
        );
        ctx.records().audit("gate", &source, None, &target, Outcome::Refused, &[])?;
        refused.push(source);
        Ok(())
    };
    for (path, why) in &found.unreadable {
        let shown = ctx.shown(&path.display().to_string()).into_owned();
        refuse_unreadable(&mut refused, shown.clone(), &format!("{shown}: cannot be read: {why}"))?;
    }
    for file in &found.files {
        let (report, read) = match scan_verified(&ctx, file, Some(&target), true) {
            Ok(done) => done,
            Err(e) if e.kind() == ErrorKind::Interrupted => return Err(e),
            // Errors name the file and what is wrong, never a value.
            Err(e) => {
                refuse_unreadable(&mut refused, ctx.shown(&file.display().to_string()).into_owned(), e.message())?;
                continue;
            }
        };
        let hash = read.and_then(|d| d.get().map(|(h, _)| h.to_string()));
        decide(&mut refused, &file.display().to_string(), &report, hash)?;
    }
    report_excluded(&found);
    let judged = found.files.len() + found.unreadable.len();
    let tables_judged = match tables.len() {
        0 => String::new(),
        1 => " and 1 table".to_string(),
        n => format!(" and {n} tables"),
    };
    eprintln!(
        "gate: {judged} file{}{tables_judged} judged, {} refused, {} left out by --exclude or as synthgate staging files",
        if judged == 1 { "" } else { "s" },
        refused.len(),
        found.excluded.len()
    );
    if refused.is_empty() {
        Ok(0)
    } else {
        Err(Error::new(
            ErrorKind::Refused,
            format!("{} of the files or tables may not go to {}", refused.len(), ctx.shown(&target.location)),
        ))
    }
}
