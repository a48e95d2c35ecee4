//! `synthgate scan`: every cell of every row of files (or folders), a report of what is
//! personal data. Exit 1 when any is found.

use std::io::IsTerminal;
use std::path::PathBuf;

use synthgate::batch::Lineage;
use synthgate::detect::file::{scan_file, scan_source, CHUNK_ROWS};
use synthgate::detect::ScanReport;
use synthgate::error::Error;
use synthgate::gate::Target;
use synthgate::report::{self, ReportFormat};
use synthgate::source::{self, ReadDigest};

use super::context::{lineage_fn, Context, GateArgs};

#[derive(clap::Args)]
pub struct Args {
    /// Files (CSV, JSON Lines, Parquet; .gz/.zst too) or folders to scan.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Report format: text (default on a terminal), json (default otherwise), sarif.
    #[arg(long, short, value_parser = parse_report)]
    format: Option<ReportFormat>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    gate: GateArgs,
}

fn parse_report(s: &str) -> Result<ReportFormat, String> {
    ReportFormat::parse(s)
        .ok_or_else(|| format!("unknown report format `{s}`; valid: {}", ReportFormat::NAMES.join(", ")))
}

/// The files behind the command-line paths: folders are walked.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            files.extend(synthgate::source::walk(p)?);
        } else {
            files.push(p.clone());
        }
    }
    Ok(files)
}

/// Scans one file with the lineage its manifest vouches for.
pub fn scan_one(ctx: &Context, file: &std::path::Path) -> Result<ScanReport, Error> {
    Ok(scan_verified(ctx, file, false)?.0)
}

/// Scans one file with the lineage its signed manifest vouches for, which holds only if the
/// bytes the scan read are the bytes the manifest signed: otherwise the file is judged again
/// as all `input` (the one case where it is read twice). Hashes what it reads when a manifest
/// vouches, or always with `always_hash`; the digest comes back when it describes the bytes the
/// report judged.
pub fn scan_verified(
    ctx: &Context,
    file: &std::path::Path,
    always_hash: bool,
) -> Result<(ScanReport, Option<ReadDigest>), Error> {
    let mut verdict = ctx.lineage(file);
    let allow = ctx.allow_fn();
    let all_input = |_: &str| Lineage::Input;
    if !verdict.vouches() && !always_hash {
        ctx.tell_untrusted(file, &verdict);
        return Ok((scan_file(file, &ctx.detector, &all_input, Some(&allow))?, None));
    }
    let (src, digest) = source::open_hashed(file, CHUNK_ROWS, false)?;
    let report = scan_source(file, src, &ctx.detector, &lineage_fn(&verdict), Some(&allow))?;
    let confirmed = verdict.confirm(&digest);
    ctx.tell_untrusted(file, &verdict);
    if confirmed {
        return Ok((report, Some(digest)));
    }
    let (src, digest) = source::open_hashed(file, CHUNK_ROWS, false)?;
    Ok((scan_source(file, src, &ctx.detector, &all_input, Some(&allow))?, Some(digest)))
}

pub fn run(args: Args) -> Result<u8, Error> {
    super::set_threads(args.threads)?;
    let ctx = Context::new(&args.gate)?;
    let files = expand(&args.paths)?;
    let mut reports = Vec::new();
    for f in &files {
        reports.push(scan_one(&ctx, f)?);
    }
    let format =
        args.format.unwrap_or(if std::io::stdout().is_terminal() { ReportFormat::Text } else { ReportFormat::Json });
    let mut out = Vec::new();
    report::render(format, &reports, &ctx.detector.rules, &mut out)
        .map_err(|e| Error::io("cannot write the report to", std::path::Path::new("standard output"), e))?;
    super::print(&String::from_utf8_lossy(&out))?;
    // "Personal data" is what the gate would refuse for a non-production target.
    let anywhere = ctx.gate(Target { location: "scan".into(), environment: None });
    let found = reports.iter().any(|r| anywhere.judge(&r.source, &r.columns).is_err());
    Ok(if found { 1 } else { 0 })
}
