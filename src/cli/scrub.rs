//! `synthgate scrub`: production exports in, policy applied, the result through the gate.
//!
//! Each input streams through the pipeline runner: the reader thread parses, the workers
//! scrub, gate and encode chunks in parallel, and the sink takes them in order, staged. Outputs are committed together only when every chunk of every input was cleared: a
//! refusal or an error leaves nothing at the target.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use synthgate::batch::{Column, DataType, Lineage, Values};
use synthgate::detect::file::CHUNK_ROWS;
use synthgate::error::{Error, ErrorKind};
use synthgate::gate::{Gate, Target};
use synthgate::pipeline::{Delivered, Feed, Runner};
use synthgate::sink::db::{self, ColumnSpec, Params, TableSpec};
use synthgate::sink::{self, Compression, Destination, Dialect, Encoded, Encoder, Format};
use synthgate::source::{self, Chunk, SourceFormat};
use synthgate::target::{self, Location, Output};
use synthgate::transform::keyed::ScrubKey;
use synthgate::transform::policy::{Decision, Policy, Transform, Unmentioned};
use synthgate::transform::{self, Plan, Scrubber};

use super::context::{Context, Failure, GateArgs};
use super::load::{Db, LoadArgs};

#[derive(clap::Args)]
pub struct Args {
    /// Files to scrub: CSV, JSON Lines or Parquet (CSV and JSON Lines also .gz or .zst), or
    /// folders of them, or databases (postgres://…/db, mysql://…/db, sqlite://file.db): every
    /// table, or those --table names.
    #[arg(required = true, value_name = "PATH|URL")]
    inputs: Vec<PathBuf>,
    /// With a database input: only these tables (repeat the flag).
    #[arg(long = "table", value_name = "TABLE")]
    tables: Vec<String>,
    /// The scrub policy (TOML); `synthgate policy suggest` writes a first one.
    #[arg(long, value_name = "FILE")]
    policy: PathBuf,
    /// Where to: a file for one input file, or a directory (inputs keep their file names, and
    /// files found in a folder their paths below it; a table becomes `<table>.csv`), or `-` for
    /// standard output (one input; printed only once all of it is cleared), or a database:
    /// every input loaded into the table of its name (a file's stem), parents first, in one
    /// transaction.
    #[arg(long, value_name = "PATH|URL")]
    out: String,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    folders: super::scan::FolderArgs,
    #[command(flatten)]
    load: LoadArgs,
    #[command(flatten)]
    gate: GateArgs,
}

/// What one job reads: a file, or a table of a database.
#[derive(Clone)]
enum Input {
    File(PathBuf),
    Table(Arc<Params>, String),
}

impl Input {
    /// As messages, audit lines and manifests name it.
    fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Table(db, t) => format!("{}/{t}", db.location()),
        }
    }

    /// The table the policy's `[tables.NAME]` means, and the table a database output loads.
    fn table(&self) -> String {
        match self {
            Input::File(p) => source::table_name(p).to_string(),
            Input::Table(_, t) => t.clone(),
        }
    }
}

/// One input and where its scrubbed copy goes (a resolved path, standard output, or a table of
/// the run's database session).
struct Job {
    input: Input,
    output: Destination,
}

/// How messages name an output.
fn shown(d: &Destination) -> String {
    match d {
        Destination::File(p) => p.display().to_string(),
        Destination::Stdout => "-".to_string(),
        Destination::Table(s, t) => format!("{} table {}", s.params().shown(), s.tables()[*t].name),
    }
}

pub fn run(args: Args) -> Result<u8, Error> {
    super::set_threads(args.threads)?;
    let out = Output::parse(&args.out)?;
    let ctx = Context::new(&args.gate)?;
    let Some(key) = ctx.configured_key() else {
        return Err(Error::config(
            "scrub needs a key: give --key-file FILE, set SYNTHGATE_KEY, or name a key file in the \
             environments file; at least 32 bytes (make one with `openssl rand -hex 32`)",
        ));
    };
    let policy = Policy::load(&args.policy)?;
    let scrubber = Arc::new(Scrubber::new(policy, ScrubKey::new(key), Arc::clone(&ctx.detector)));
    let cancel = super::cancel_on_ctrl_c();
    let (files, databases) = split_inputs(&ctx, &args.inputs)?;
    if !args.tables.is_empty() && databases.is_empty() {
        return Err(Error::usage("--table names tables of a database input; give a database URL"));
    }
    if args.load.namespace.is_some() && !matches!(out, Output::Database(_)) {
        return Err(Error::usage("--namespace writes into a database; give --out a database URL"));
    }
    let mut inputs: Vec<Input> = Vec::new();
    for db in &databases {
        for t in db::read::tables(db, &args.tables, &|n| ctx.detector.shown(n).into_owned())? {
            inputs.push(Input::Table(Arc::clone(db), t));
        }
    }
    let mut delivery = ctx.delivery("scrub", true)?;
    let (jobs, targets) = if let Output::Database(url) = &out {
        let db = Db::resolve(&ctx, url)?;
        for d in &databases {
            if args.load.namespace.is_none() && d.location() == db.params.location() && d.schema == db.params.schema {
                return Err(Error::usage(format!(
                    "{}: scrub would load the database it reads; give --out another database or a --namespace",
                    db.params.shown()
                )));
            }
        }
        table_jobs(&ctx, &db, &scrubber, &args, files, inputs)?
    } else {
        let mut jobs = jobs(&files, inputs.len(), &out, args.out.ends_with('/'), &args.folders)?;
        table_file_jobs(&mut jobs, inputs, &out, args.out.ends_with('/'))?;
        let targets = jobs
            .iter()
            .map(|j| match &j.output {
                Destination::File(p) => ctx.target_path(p),
                Destination::Stdout => ctx.target("-", false),
                Destination::Table(..) => unreachable!("files or standard output"),
            })
            .collect::<Result<Vec<_>, _>>()?;
        // A refusal removes the directories this run created.
        for job in &jobs {
            if let Destination::File(p) = &job.output {
                delivery.make_dir(&parent_of(p))?;
            }
        }
        (jobs, targets)
    };

    let mut reports = Vec::new();
    for (job, target) in jobs.iter().zip(targets) {
        let name = job.input.name();
        let gate = ctx.gate(target.clone(), Path::new(&name));
        match scrub_file(job, &scrubber, &gate, &cancel) {
            Ok(d) => {
                reports.push(report(&d, &target, &ctx));
                delivery.add(Delivered {
                    input: name,
                    dest: d.output,
                    target,
                    columns: d.columns,
                    tally: gate.tally(),
                    finished: d.finished,
                });
            }
            Err(Failure::Refused(r)) => {
                delivery.refuse(&name, &target, &gate.tally())?;
                eprintln!("{r}");
                return Err(Error::new(
                    ErrorKind::Refused,
                    format!("the policy {} leaves personal data in the columns above", args.policy.display()),
                ));
            }
            // Dropped, the delivery rolls every output of the run back.
            Err(failure) => return Err(failure.into()),
        }
    }
    delivery.commit()?;
    for r in reports {
        eprint!("{r}");
    }
    Ok(0)
}

/// Database URLs apart from paths.
fn split_inputs(ctx: &Context, inputs: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<Arc<Params>>), Error> {
    let (mut files, mut databases) = (Vec::new(), Vec::new());
    for i in inputs {
        match i.to_str().map(Location::parse) {
            Some(Ok(Location::Database(url))) => databases.push(Arc::new(ctx.database(&url)?)),
            _ => files.push(i.clone()),
        }
    }
    Ok((files, databases))
}

/// Tables read into files: `<table>.csv` in the output directory, or the one file `--out`
/// names (a `.csv`), or standard output.
fn table_file_jobs(jobs: &mut Vec<Job>, tables: Vec<Input>, out: &Output, trailing_slash: bool) -> Result<(), Error> {
    if tables.is_empty() {
        return Ok(());
    }
    let several = tables.len() + jobs.len() > 1;
    for input in tables {
        let output = match out {
            Output::Stdout if several => {
                return Err(Error::usage("--out - writes one table; choose it with --table, or --out a directory"))
            }
            Output::Stdout => Destination::Stdout,
            Output::Path(p) if several || p.is_dir() || trailing_slash => Destination::File(target::resolve_file(
                &target::resolve_dir(p)?.join(format!("{}.csv", input.table())),
            )?),
            Output::Path(p) => {
                if SourceFormat::from_path(p) != Some(SourceFormat::Csv)
                    || compression_of(&Destination::File(p.clone())) != Compression::None
                {
                    return Err(Error::usage(format!(
                        "--out {}: a scrubbed table is written as CSV; name the file .csv",
                        p.display()
                    )));
                }
                Destination::File(target::resolve_file(p)?)
            }
            Output::Database(_) => unreachable!("loaded by table_jobs"),
        };
        if jobs.iter().any(|j| matches!((&j.output, &output), (Destination::File(a), Destination::File(b)) if a == b)) {
            return Err(Error::usage(format!(
                "two inputs would both be written to {}; scrub them into different directories",
                shown(&output)
            )));
        }
        jobs.push(Job { input, output });
    }
    Ok(())
}

/// Every input loaded into the table of its name in one database session, parents first: the
/// tables' columns are the inputs' without those the policy drops; a table read keeps its
/// type where the policy keeps its values (and its primary and foreign keys, for `--create`),
/// anything else is text the database parses.
fn table_jobs(
    ctx: &Context,
    db: &Db,
    scrubber: &Scrubber,
    args: &Args,
    files: Vec<PathBuf>,
    tables: Vec<Input>,
) -> Result<(Vec<Job>, Vec<Target>), Error> {
    let exclude = source::Exclude::new(&args.folders.exclude)?;
    let mut inputs = Vec::new();
    for f in files {
        if f.is_dir() {
            let found = source::walk(&f, &exclude)?;
            if let Some((p, why)) = found.unreadable.first() {
                return Err(Error::usage(format!(
                    "{}: cannot be read: {why}; leave it out explicitly with --exclude GLOB",
                    p.display()
                )));
            }
            inputs.extend(found.files.into_iter().filter(|f| !source::is_synthgate_manifest(f)).map(Input::File));
        } else {
            inputs.push(Input::File(f));
        }
    }
    inputs.extend(tables);
    let mut specs: Vec<(Input, TableSpec)> = Vec::new();
    for input in inputs {
        let table = input.table();
        if specs.iter().any(|(_, s)| s.name == table) {
            return Err(Error::usage(format!(
                "two inputs would both be loaded into table `{}`; scrub them in separate runs",
                ctx.detector.shown(&table)
            )));
        }
        let (described, loose) = match &input {
            Input::Table(src, t) => (db::catalog::describe(src, std::slice::from_ref(t))?.remove(0), false),
            Input::File(p) => {
                let format = SourceFormat::from_path(p);
                if !matches!(format, Some(SourceFormat::Csv | SourceFormat::Parquet)) {
                    return Err(Error::usage(format!(
                        "{}: scrub loads CSV and Parquet files and tables into a database (JSON Lines nests \
                         values a table cannot hold; scrub it into a file)",
                        p.display()
                    )));
                }
                let columns = source::open_values(p, 1)?.columns().to_vec();
                let columns = columns
                    .into_iter()
                    .map(|name| ColumnSpec { name, dtype: DataType::Utf8, nullable: true, loose: true })
                    .collect();
                (TableSpec { name: table.clone(), columns, primary_key: Vec::new(), foreign_keys: Vec::new() }, true)
            }
        };
        let mut columns = Vec::new();
        for c in described.columns {
            let plan = scrubber.plan(&table, &c.name)?;
            let keeps = match &plan {
                Plan::Drop => continue,
                Plan::Keep | Plan::Apply(Transform::Null) => true,
                Plan::Apply(Transform::ShiftDates { .. }) => {
                    matches!(c.dtype, DataType::Date | DataType::Timestamp)
                }
                _ => false,
            };
            columns.push(if keeps {
                ColumnSpec { loose: loose || c.loose, nullable: c.nullable || matches!(plan, Plan::Apply(_)), ..c }
            } else {
                ColumnSpec { dtype: DataType::Utf8, nullable: true, loose: true, ..c }
            });
        }
        let kept = |name: &str| columns.iter().any(|c: &ColumnSpec| c.name == name);
        // A key loses its meaning with any of its columns.
        let primary_key =
            if described.primary_key.iter().all(|k| kept(k)) { described.primary_key } else { Vec::new() };
        let foreign_keys = described.foreign_keys.into_iter().filter(|f| f.columns.iter().all(|c| kept(c))).collect();
        specs.push((input, TableSpec { name: table, columns, primary_key, foreign_keys }));
    }
    // Keys to tables outside this load are the target's business.
    let names: Vec<String> = specs.iter().map(|(_, s)| s.name.clone()).collect();
    for (_, s) in &mut specs {
        s.foreign_keys.retain(|f| names.contains(&f.parent));
    }
    let ordered = db::catalog::load_order(specs.iter().map(|(_, s)| s.clone()).collect());
    let inputs: Vec<Input> = ordered
        .iter()
        .map(|s| specs.iter().find(|(_, t)| t.name == s.name).expect("a spec of this load").0.clone())
        .collect();
    let first = inputs.first().map(Input::name).unwrap_or_default();
    let session = db.open(ctx, ("scrub", &first), ordered, &args.load)?;
    let jobs = inputs
        .into_iter()
        .enumerate()
        .map(|(i, input)| Job { input, output: Destination::Table(Arc::clone(&session), i) })
        .collect::<Vec<_>>();
    let targets = jobs.iter().map(|_| db.target.clone()).collect();
    Ok((jobs, targets))
}

/// Inputs and their outputs: `--out` is a file for one input file (unless it is a directory or
/// ends in `/`), else a directory; a folder given as input is walked whole, and its files keep
/// their paths below it. A file under it that scrub cannot rewrite stops the run unless
/// `--exclude` leaves it out; synthgate's own manifests are left out (a new one is written).
/// `-` takes one input file. Every output path is resolved here, once.
fn jobs(
    inputs: &[PathBuf],
    tables: usize,
    out: &Output,
    trailing_slash: bool,
    folders: &super::scan::FolderArgs,
) -> Result<Vec<Job>, Error> {
    if inputs.is_empty() {
        return Ok(Vec::new());
    }
    let exclude = source::Exclude::new(&folders.exclude)?;
    let several = inputs.len() + tables > 1 || inputs.iter().any(|i| i.is_dir());
    let out = match out {
        Output::Stdout if several => {
            return Err(Error::usage("--out - writes one file; give one input file, or --out a directory"))
        }
        Output::Stdout => None,
        Output::Path(p) => Some(p),
        Output::Database(d) => return Err(Output::files_only("scrub", d)),
    };
    let dir_mode = several || out.is_some_and(|o| o.is_dir() || trailing_slash);
    let out_dir = match out {
        Some(o) if dir_mode => Some(target::resolve_dir(o)?),
        _ => None,
    };
    let mut files: Vec<(PathBuf, PathBuf)> = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let found = source::walk(input, &exclude)?;
            if let Some((p, why)) = found.unreadable.first() {
                return Err(Error::usage(format!(
                    "{}: cannot be read: {why}; leave it out explicitly with --exclude GLOB",
                    p.display()
                )));
            }
            for (p, why) in &found.excluded {
                eprintln!("excluded: {} ({why})", p.display());
            }
            for f in found.files {
                if source::is_synthgate_manifest(&f) {
                    eprintln!("excluded: {} (a synthgate manifest)", f.display());
                    continue;
                }
                let rel = f.strip_prefix(input).expect("walked below the folder").to_path_buf();
                files.push((f, rel));
            }
        } else {
            let name =
                input.file_name().ok_or_else(|| Error::usage(format!("{} has no file name", input.display())))?;
            files.push((input.clone(), PathBuf::from(name)));
        }
    }
    let mut jobs: Vec<Job> = Vec::new();
    for (input, rel) in files {
        let format = SourceFormat::from_path(&input).ok_or_else(|| {
            Error::usage(format!(
                "{}: not a file type synthgate scrubs (csv, tsv, jsonl, parquet; also .gz, .zst); leave it out \
                 explicitly with --exclude GLOB",
                input.display()
            ))
        })?;
        let output = match (&out_dir, out) {
            (Some(dir), _) => target::resolve_file(&dir.join(rel))?,
            (None, Some(out)) => {
                if SourceFormat::from_path(out) != Some(format) {
                    return Err(Error::usage(format!(
                        "--out {}: a scrubbed file keeps its input's format ({}); name it with the same extension",
                        out.display(),
                        format.name()
                    )));
                }
                target::resolve_file(out)?
            }
            (None, None) => {
                jobs.push(Job { input: Input::File(input), output: Destination::Stdout });
                continue;
            }
        };
        if same_file(&input, &output) {
            return Err(Error::usage(format!("{}: the output would overwrite the input", input.display())));
        }
        if jobs.iter().any(|j| matches!(&j.output, Destination::File(o) if *o == output)) {
            return Err(Error::usage(format!(
                "two inputs would both be written to {}; scrub them into different directories",
                output.display()
            )));
        }
        jobs.push(Job { input: Input::File(input), output: Destination::File(output) });
    }
    if jobs.is_empty() && tables == 0 {
        return Err(Error::usage("no files to scrub: the folders given hold no CSV, JSON Lines or Parquet file"));
    }
    Ok(jobs)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn parent_of(p: &Path) -> PathBuf {
    p.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf()
}

/// Whole-file compression from a file name; standard output is not compressed.
fn compression_of(d: &Destination) -> Compression {
    let Destination::File(p) = d else { return Compression::None };
    let name = p.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".gz") {
        Compression::Gzip
    } else if name.ends_with(".zst") {
        Compression::Zstd
    } else {
        Compression::None
    }
}

impl Done {
    fn empty(job: &Job, finished: sink::Finished) -> Done {
        let (input, output) = (job.input.name(), job.output.clone());
        Done { input, output, finished, columns: vec![], dropped: vec![], unreadable: vec![], reasoned: vec![] }
    }
}

/// A scrubbed file, staged.
struct Done {
    input: String,
    output: Destination,
    finished: sink::Finished,
    /// Output columns in order, with lineage.
    columns: Vec<(String, Lineage)>,
    dropped: Vec<String>,
    /// Output column → values a transform could not read (nulled).
    unreadable: Vec<(String, u64)>,
    /// Columns kept on purpose although they hold personal data, with the policy's reason.
    reasoned: Vec<(String, String)>,
}

/// Plans of the columns seen so far (JSON Lines may show new paths in any chunk), shared by
/// the workers.
struct Plans {
    table: String,
    by_name: HashMap<String, Arc<Plan>>,
    order: Vec<String>,
}

impl Plans {
    fn of(&mut self, scrubber: &Scrubber, name: &str) -> Result<Arc<Plan>, Error> {
        if let Some(p) = self.by_name.get(name) {
            return Ok(Arc::clone(p));
        }
        let p = Arc::new(scrubber.plan(&self.table, name)?);
        self.by_name.insert(name.to_string(), Arc::clone(&p));
        self.order.push(name.to_string());
        Ok(p)
    }

    /// The plan of each column of `chunk`, in order.
    fn for_chunk(plans: &Mutex<Plans>, scrubber: &Scrubber, chunk: &Chunk) -> Result<Vec<Arc<Plan>>, Error> {
        let mut p = plans.lock().expect("plans lock");
        chunk.batch.columns.iter().map(|c| p.of(scrubber, &c.name)).collect()
    }
}

/// One chunk scrubbed, cleared and encoded; what it says about its columns.
struct ChunkOut {
    encoded: Encoded,
    unreadable: Vec<(String, u64)>,
    columns: Vec<(String, Lineage)>,
}

/// How a chunk is written, per format.
enum Shape {
    Csv,
    /// Into a database table: these columns, in this order, and the type each typed one is
    /// written as (the database's own spelling, whatever the source's).
    Table(Vec<String>, HashMap<String, DataType>),
    Jsonl,
    /// The type each output column is written with.
    Parquet(HashMap<String, DataType>),
}

/// What every worker shares for one file.
struct Pipeline<'a> {
    scrubber: &'a Scrubber,
    gate: &'a Gate,
    plans: &'a Mutex<Plans>,
    shape: Shape,
    encoder: Encoder,
    skip: &'a (dyn Fn(&str) -> bool + Sync),
    file: &'a str,
}

impl Pipeline<'_> {
    /// Scrubs, gates and encodes one chunk.
    fn run(&self, chunk: Chunk) -> Result<ChunkOut, Failure> {
        let plans = Plans::for_chunk(self.plans, self.scrubber, &chunk)?;
        let Chunk { batch, raw } = chunk;
        let first_chunk = batch.first_row == 0;
        let out = self.scrubber.scrub(batch, &plans)?;
        let mut unreadable: Vec<(String, u64)> = out
            .batch
            .columns
            .iter()
            .zip(&out.unreadable)
            .filter(|(_, n)| **n > 0)
            .map(|(c, n)| (c.name.to_string(), *n))
            .collect();
        let columns = out.batch.columns.iter().map(|c| (c.name.to_string(), c.lineage)).collect();
        let encoded = match &self.shape {
            Shape::Csv => self.encoder.encode(&self.gate.clear(out.batch).map_err(Failure::Refused)?)?,
            Shape::Table(names, types) => {
                if out.batch.columns.len() != names.len()
                    || out.batch.columns.iter().zip(names).any(|(c, n)| *c.name != **n)
                {
                    return Err(Failure::Other(Error::config(format!(
                        "{}: the columns read differ from the table's; scrub loads flat tables with a fixed set of \
                         columns",
                        self.file
                    ))));
                }
                let cleared = self.gate.clear(out.batch).map_err(Failure::Refused)?;
                let (cleared, lost) = cleared.parse_columns(types);
                unreadable.extend(lost);
                self.encoder.encode(&cleared)?
            }
            Shape::Parquet(types) => {
                // The gate judges the text, as `scan` would read it; typed afterwards.
                let cleared = self.gate.clear(out.batch).map_err(Failure::Refused)?;
                let (cleared, lost) = cleared.parse_columns(types);
                unreadable.extend(lost);
                self.encoder.encode(&cleared)?
            }
            Shape::Jsonl => {
                let bytes = transform::jsonl::rewrite(&raw, first_chunk, &out.batch, self.skip, self.file)?;
                self.encoder.raw(self.gate.clear_with(out.batch, bytes).map_err(Failure::Refused)?)?
            }
        };
        Ok(ChunkOut { encoded, unreadable, columns })
    }
}

/// Streams one file through the runner: one worker per core scrubs, gates and encodes
/// whichever chunk is next, and the sink takes the results in order.
fn scrub_file(job: &Job, scrubber: &Arc<Scrubber>, gate: &Gate, cancel: &AtomicBool) -> Result<Done, Failure> {
    let mut source = match &job.input {
        Input::File(p) => source::open_values(p, CHUNK_ROWS)?,
        Input::Table(db, t) => db::read::open(db, t, CHUNK_ROWS, gate.detector())?,
    };
    let format = source.format();
    let table = job.input.table();
    let file = job.input.name();
    let plans = Mutex::new(Plans { table: table.clone(), by_name: HashMap::new(), order: Vec::new() });
    // JSON members dropped whole: named `drop`, or unnamed under `unmentioned = "drop"` with
    // nothing below them named.
    let skip = |path: &str| -> bool {
        let p = &scrubber.policy;
        let explicit =
            |q: &str| matches!(p.decide(&table, q), Some(Decision::Entry(e)) if matches!(e.transform, Transform::Drop));
        if explicit(path) || explicit(&format!("{path}[*]")) {
            return true;
        }
        matches!(p.decide(&table, path), Some(Decision::Unmentioned(Unmentioned::Drop)))
            && !p.mentioned(&table).iter().any(|m| m.starts_with(path) && m[path.len()..].starts_with(['.', '[']))
    };

    // The first chunk fixes the output: its columns (CSV header, parquet schema) and line ends.
    let Some(first) = source.next_chunk()? else {
        // An empty input: an empty output.
        let finished =
            sink::stage_raw(&job.output, &gate.clear_names(&file, Vec::new()).map_err(Failure::Refused)?)?.finish()?;
        return Ok(Done::empty(job, finished));
    };
    let first_plans = Plans::for_chunk(&plans, scrubber, &first)?;
    let (shape, fmt, comp) = match (&job.output, format, &job.input) {
        (Destination::Table(session, t), _, _) => {
            let spec = &session.tables()[*t];
            let names = spec.columns.iter().map(|c| c.name.clone()).collect();
            let types = spec
                .columns
                .iter()
                .filter(|c| !c.loose && c.dtype != DataType::Utf8)
                .map(|c| (c.name.clone(), c.dtype))
                .collect();
            (Shape::Table(names, types), Format::Table(super::load::flavour(session.params().kind)), Compression::None)
        }
        (_, SourceFormat::Csv, _) => (Shape::Csv, Format::Csv, compression_of(&job.output)),
        (_, SourceFormat::Table, _) => (Shape::Csv, Format::Csv, Compression::None),
        (_, SourceFormat::Jsonl, _) => (Shape::Jsonl, Format::Jsonl, compression_of(&job.output)),
        (_, SourceFormat::Parquet, Input::File(path)) => {
            let input_types = source::column_types(path)?;
            let types = output_types(&first, &first_plans, &input_types, &file, scrubber)?;
            (Shape::Parquet(types), Format::Parquet, Compression::Zstd)
        }
        (_, SourceFormat::Parquet, Input::Table(..)) => unreachable!("a table is read as text"),
        (_, SourceFormat::Text, _) => {
            return Err(Failure::Other(Error::usage(format!(
                "{file}: holds plain text, not CSV, JSON Lines or Parquet, whatever its name; scrub rewrites \
                 data files only"
            ))))
        }
    };
    let dialect =
        source.csv_dialect().map_or_else(Dialect::default, |d| Dialect { delimiter: d.delimiter, crlf: d.crlf });
    let encoder = Encoder::new(fmt, comp).with_dialect(dialect);
    // The writer takes the output columns' names, lineage and types, which the plans give:
    // every column not dropped, as text unless parquet keeps its type.
    let schema: Vec<Column> = first
        .batch
        .columns
        .iter()
        .zip(&first_plans)
        .filter_map(|(c, plan)| {
            let t = match &shape {
                Shape::Parquet(types) => types.get(&*c.name).copied().unwrap_or(DataType::Utf8),
                _ => DataType::Utf8,
            };
            Some(Column::new(Arc::clone(&c.name), plan.lineage()?, Values::with_capacity(t, 0), None))
        })
        .collect();
    let sink = sink::stage(&job.output, &encoder, &gate.clear_names(&file, schema).map_err(Failure::Refused)?)?;
    let pipeline = Pipeline { scrubber, gate, plans: &plans, shape, encoder, skip: &skip, file: &file };

    let mut columns: Vec<(String, Lineage)> = Vec::new();
    let mut unreadable: HashMap<String, u64> = HashMap::new();
    let read = move |send: &mut Feed<'_, Chunk, Failure>| {
        if send(Ok(first)) {
            source::pump(source.as_mut(), |c| send(c.map_err(Failure::Other)));
        }
    };
    let (finished, _) = Runner::new().cancel_on(cancel).into_sink(
        sink,
        read,
        |_: &mut (), chunk| pipeline.run(chunk),
        |out: ChunkOut| {
            for (name, n) in out.unreadable {
                *unreadable.entry(name).or_default() += n;
            }
            let fixed = !columns.is_empty()
                && matches!(format, SourceFormat::Csv | SourceFormat::Parquet | SourceFormat::Table);
            for (name, lineage) in out.columns {
                if !columns.iter().any(|(n, _)| *n == name) {
                    if fixed {
                        return Err(Failure::Other(Error::config(format!(
                            "{file}: a row has more fields than the header (column `{}`); scrub writes a file \
                             with the header's columns only",
                            scrubber.shown(&name)
                        ))));
                    }
                    columns.push((name, lineage));
                }
            }
            Ok(out.encoded)
        },
    )?;
    let plans = plans.into_inner().expect("plans lock");
    let dropped = plans.order.iter().filter(|n| matches!(*plans.by_name[*n], Plan::Drop)).cloned().collect();
    let reasoned = plans
        .order
        .iter()
        .filter_map(|n| match scrubber.policy.decide(&table, n) {
            Some(Decision::Entry(e)) => match (&e.transform, &e.entity) {
                (Transform::Keep { reason: Some(r) }, Some(_)) => Some((n.clone(), r.clone())),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let mut unreadable: Vec<(String, u64)> = unreadable.into_iter().collect();
    unreadable.sort();
    Ok(Done { input: job.input.name(), output: job.output.clone(), finished, columns, dropped, unreadable, reasoned })
}

/// The parquet type of each output column: the input's where the transform keeps values of
/// that type (keep, null, date shifts, number buckets), text otherwise.
fn output_types(
    chunk: &Chunk,
    plans: &[Arc<Plan>],
    input: &[(String, Option<DataType>)],
    file: &str,
    scrubber: &Scrubber,
) -> Result<HashMap<String, DataType>, Error> {
    use synthgate::transform::policy::Generalise;
    let mut out = HashMap::new();
    for (col, plan) in chunk.batch.columns.iter().zip(plans) {
        if matches!(**plan, Plan::Drop) {
            continue;
        }
        let Some((_, Some(t))) = input.iter().find(|(n, _)| **n == *col.name) else {
            return Err(Error::config(format!(
                "{file}: column `{}` is a list or a type scrub cannot write back; drop it in the policy",
                scrubber.shown(&col.name)
            )));
        };
        let keeps = match &**plan {
            Plan::Keep | Plan::Apply(Transform::Null) => true,
            Plan::Apply(Transform::ShiftDates { .. }) => matches!(t, DataType::Date | DataType::Timestamp),
            Plan::Apply(Transform::Generalise(Generalise::Bucket { .. })) => {
                matches!(t, DataType::Int64 | DataType::Float64 | DataType::Decimal { .. })
            }
            _ => false,
        };
        out.insert(col.name.to_string(), if keeps { *t } else { DataType::Utf8 });
    }
    Ok(out)
}

/// The summary on standard error: counts and names only.
/// What a scrubbed file's line in the summary says (names that hold personal data masked).
fn report(d: &Done, target: &Target, ctx: &Context) -> String {
    let scrubbed = d.columns.iter().filter(|(_, l)| *l == Lineage::Scrubbed).count();
    let mut out = format!(
        "scrubbed: {} → {} ({}), {} rows; {} columns scrubbed, {} kept, {} dropped\n",
        ctx.shown(&d.input),
        ctx.shown(&shown(&d.output)),
        target.environment_name(),
        d.finished.rows,
        scrubbed,
        d.columns.len() - scrubbed,
        d.dropped.len()
    );
    for (col, n) in &d.unreadable {
        out.push_str(&format!(
            "  {}: {n} values the transform could not read were written as null\n",
            ctx.detector.shown(col)
        ));
    }
    for (col, reason) in &d.reasoned {
        out.push_str(&format!("  {}: kept although it holds personal data — {reason}\n", ctx.detector.shown(col)));
    }
    out
}
