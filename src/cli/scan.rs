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
use synthgate::sink::db::Params;
use synthgate::source::{self, Exclude, Folder, ReadDigest};

use super::context::{lineage_fn, Context, GateArgs};

#[derive(clap::Args)]
pub struct Args {
    /// Files or folders to scan: CSV, JSON Lines, Parquet (gzip or zstd compressed too, told by
    /// content, not name); any other text is scanned line by line. Or a database
    /// (postgres://…/db, mysql://…/db, sqlite://file.db): every table, or those named by --table.
    #[arg(required = true, value_name = "PATH|URL")]
    paths: Vec<PathBuf>,
    /// Databases: scan only this table (repeatable).
    #[arg(long = "table", value_name = "TABLE")]
    tables: Vec<String>,
    /// Report format: text (default on a terminal), json (default otherwise), sarif.
    #[arg(long, short, value_parser = parse_report)]
    format: Option<ReportFormat>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    folders: FolderArgs,
    #[command(flatten)]
    gate: GateArgs,
}

/// How folders given as paths are read: whole, unless globs leave files out explicitly.
#[derive(clap::Args)]
pub struct FolderArgs {
    /// Leave out files under a folder whose path relative to that folder matches GLOB
    /// (repeatable; `*` crosses `/`: `*.bz2`, `logs/**`). Every file left out is listed.
    /// Without it, every file under a folder is read, hidden ones included, and one that
    /// cannot be read stops the run.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
}

fn parse_report(s: &str) -> Result<ReportFormat, String> {
    ReportFormat::parse(s)
        .ok_or_else(|| format!("unknown report format `{s}`; valid: {}", ReportFormat::NAMES.join(", ")))
}

/// The files behind the command-line paths. Folders are walked whole (see
/// `synthgate::source::walk`); a path that does not exist is an error here, before anything is
/// judged.
pub fn expand(paths: &[PathBuf], folders: &FolderArgs) -> Result<Folder, Error> {
    let exclude = Exclude::new(&folders.exclude)?;
    let mut all = Folder::default();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| Error::io("cannot read", p, e))?;
        if meta.is_dir() {
            let found = synthgate::source::walk(p, &exclude)?;
            all.files.extend(found.files);
            all.excluded.extend(found.excluded);
            all.unreadable.extend(found.unreadable);
        } else {
            all.files.push(p.clone());
        }
    }
    Ok(all)
}

/// Scans the database URLs among `paths`: every table of each (or those `tables` names), all
/// `input`, each reported as `<database>/<table>`. Returns the other paths (files, folders) and
/// the tables' reports.
pub fn scan_databases(
    ctx: &Context,
    paths: &[PathBuf],
    tables: &[String],
) -> Result<(Vec<PathBuf>, Vec<Scanned>), Error> {
    let mut databases = Vec::new();
    let mut files = Vec::new();
    for p in paths {
        match p.to_str().map(synthgate::target::Location::parse) {
            Some(Ok(synthgate::target::Location::Database(url))) => databases.push(ctx.database(&url)?),
            _ => files.push(p.clone()),
        }
    }
    if !tables.is_empty() && databases.is_empty() {
        return Err(Error::usage("--table names tables of a database; give a database URL"));
    }
    let mut named = Vec::new();
    for db in &databases {
        for table in synthgate::sink::db::read::tables(db, tables, &|n| ctx.detector.shown(n).into_owned())? {
            named.push(scan_table(ctx, db, &table)?);
        }
    }
    Ok((files, named))
}

/// A table scanned and named `location/table`, with the lineage the database's own signed
/// manifest vouches for; which holds only if the rows read are the rows it signed, else the
/// table is judged again as all `input` (as [`scan_verified`] does for a file). The digest of
/// the rows judged comes back when one was taken.
pub fn scan_table(ctx: &Context, db: &Params, table: &str) -> Result<Scanned, Error> {
    use synthgate::sink::db::read;
    let name = format!("{}/{table}", db.location());
    let path = std::path::Path::new(&name);
    let allow = ctx.allow_fn(path, None);
    let allow = allow.as_ref().map(|a| a as _);
    let all_input = |_: &str| Lineage::Input;
    let mut verdict = ctx.table_lineage(db, table)?;
    if verdict.vouches() {
        let (src, digest) = read::open_verified(db, table, CHUNK_ROWS, &verdict, &ctx.detector)?;
        let report = scan_source(path, src, &ctx.detector, &lineage_fn(&verdict), allow)?;
        let confirmed = verdict.confirm(&digest);
        ctx.tell_untrusted(path, &verdict);
        if confirmed {
            let hash = digest.get().map(|(h, _)| h.to_string());
            return Ok((name, report, hash));
        }
    } else {
        ctx.tell_untrusted(path, &verdict);
    }
    let src = read::open(db, table, CHUNK_ROWS, &ctx.detector)?;
    let report = scan_source(path, src, &ctx.detector, &all_input, allow)?;
    Ok((name, report, None))
}

/// A table's name, its report, and the digest of the rows judged (when a manifest vouched).
pub type Scanned = (String, ScanReport, Option<String>);

/// Lists on standard error what a walk left out, so that no file goes unmentioned.
pub fn report_excluded(found: &Folder) {
    for (p, why) in &found.excluded {
        eprintln!("excluded: {} ({why})", p.display());
    }
}

/// Scans one file with the lineage its manifest vouches for.
pub fn scan_one(ctx: &Context, file: &std::path::Path, target: Option<&Target>) -> Result<ScanReport, Error> {
    Ok(scan_verified(ctx, file, target, false)?.0)
}

/// Scans one file with the lineage its signed manifest vouches for, which holds only if the
/// bytes the scan read are the bytes the manifest signed: otherwise the file is judged again
/// as all `input` (the one case where it is read twice). Hashes what it reads when a manifest
/// vouches, or always with `always_hash`; the digest comes back when it describes the bytes the
/// report judged. The allowlist entries for this file (and `target`) apply.
pub fn scan_verified(
    ctx: &Context,
    file: &std::path::Path,
    target: Option<&Target>,
    always_hash: bool,
) -> Result<(ScanReport, Option<ReadDigest>), Error> {
    let mut verdict = ctx.lineage(file);
    let allow = ctx.allow_fn(file, target);
    let all_input = |_: &str| Lineage::Input;
    if !verdict.vouches() && !always_hash {
        ctx.tell_untrusted(file, &verdict);
        return Ok((scan_file(file, &ctx.detector, &all_input, allow.as_ref().map(|a| a as _))?, None));
    }
    let (src, digest) = source::open_hashed(file, CHUNK_ROWS, false)?;
    let report = scan_source(file, src, &ctx.detector, &lineage_fn(&verdict), allow.as_ref().map(|a| a as _))?;
    let confirmed = verdict.confirm(&digest);
    ctx.tell_untrusted(file, &verdict);
    if confirmed {
        return Ok((report, Some(digest)));
    }
    let (src, digest) = source::open_hashed(file, CHUNK_ROWS, false)?;
    Ok((scan_source(file, src, &ctx.detector, &all_input, allow.as_ref().map(|a| a as _))?, Some(digest)))
}

pub fn run(args: Args) -> Result<u8, Error> {
    super::set_threads(args.threads)?;
    let ctx = Context::new(&args.gate)?;
    let (paths, tables) = scan_databases(&ctx, &args.paths, &args.tables)?;
    let mut named: Vec<(String, ScanReport)> = tables.into_iter().map(|(n, r, _)| (n, r)).collect();
    let found = expand(&paths, &args.folders)?;
    report_excluded(&found);
    if !found.unreadable.is_empty() {
        let list: Vec<String> = found.unreadable.iter().map(|(p, why)| format!("{}: {why}", p.display())).collect();
        return Err(Error::config(format!(
            "cannot be read, so cannot be scanned: {}; leave such files out explicitly with --exclude GLOB",
            list.join("; ")
        )));
    }
    for f in &found.files {
        named.push((f.display().to_string(), scan_one(&ctx, f, None)?));
    }
    let (names, reports): (Vec<String>, Vec<ScanReport>) = named.into_iter().unzip();
    let format =
        args.format.unwrap_or(if std::io::stdout().is_terminal() { ReportFormat::Text } else { ReportFormat::Json });
    let mut out = Vec::new();
    report::render(format, &reports, &ctx.detector.rules, &mut out)
        .map_err(|e| Error::io("cannot write the report to", std::path::Path::new("standard output"), e))?;
    super::print(&String::from_utf8_lossy(&out))?;
    // "Personal data" is what the gate would refuse for a non-production target.
    let anywhere = ctx.gate(Target { location: "scan".into(), environment: None }, std::path::Path::new(""));
    let found = reports.iter().zip(&names).any(|(r, n)| anywhere.judge(n, &r.columns).is_err());
    Ok(if found { 1 } else { 0 })
}
