//! `synthgate policy suggest`: scan the files, print a policy that covers every column.

use std::path::PathBuf;

use synthgate::error::Error;
use synthgate::transform::suggest::{suggest, Scanned};

use super::context::{Context, GateArgs};
use super::scan::scan_one;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Scan files and print a complete, commented scrub policy for them (to standard output).
    Suggest(SuggestArgs),
}

#[derive(clap::Args)]
pub struct SuggestArgs {
    /// The files the policy is for (CSV, JSON Lines, Parquet).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    gate: GateArgs,
}

pub fn run(cmd: Command) -> Result<u8, Error> {
    match cmd {
        Command::Suggest(args) => {
            super::set_threads(args.threads)?;
            let ctx = Context::new(&args.gate)?;
            let mut reports = Vec::new();
            for f in &args.files {
                reports.push((f, scan_one(&ctx, f, None)?));
            }
            let tables: Vec<String> =
                reports.iter().map(|(f, _)| synthgate::source::table_name(f).to_string()).collect();
            let files: Vec<String> = reports.iter().map(|(f, _)| f.display().to_string()).collect();
            let scanned: Vec<Scanned<'_>> = reports
                .iter()
                .zip(tables.iter().zip(&files))
                .map(|((_, r), (t, f))| Scanned { table: t, file: f, columns: &r.columns })
                .collect();
            let mut today = Vec::new();
            synthgate::temporal::write_date(synthgate::allowlist::today(), &mut today);
            let today = String::from_utf8_lossy(&today).into_owned();
            super::print(&suggest(&scanned, &today))
        }
    }
}
