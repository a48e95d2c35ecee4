//! `synthgate scrub`: production exports in, policy applied, the result through the gate.
//!
//! Each input streams chunk by chunk: the reader thread parses, the workers scrub, gate and
//! encode whole groups of chunks in parallel, and the writer appends them in order to a staged
//! file. Outputs are committed together only when every chunk of every input was cleared: a
//! refusal or an error leaves nothing at the target.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;

use rayon::prelude::*;

use synthgate::audit::Outcome;
use synthgate::batch::{Column, DataType, Lineage, Values};
use synthgate::detect::file::CHUNK_ROWS;
use synthgate::error::{Error, ErrorKind};
use synthgate::gate::{Gate, Target};
use synthgate::manifest::{self, ColumnEntry, FileEntry, GateRecord, Manifest};
use synthgate::sink::{self, Compression, Destination, Dialect, Encoded, Encoder, Format, Staging, TableWriter};
use synthgate::source::{self, Chunk, SourceFormat};
use synthgate::transform::keyed::ScrubKey;
use synthgate::transform::policy::{Decision, Policy, Transform, Unmentioned};
use synthgate::transform::{self, Plan, Scrubber};

use super::context::{Context, Failure, GateArgs};

#[derive(clap::Args)]
pub struct Args {
    /// Files to scrub: CSV, JSON Lines or Parquet (CSV and JSON Lines also .gz or .zst).
    #[arg(required = true, value_name = "FILE")]
    inputs: Vec<PathBuf>,
    /// The scrub policy (TOML); `synthgate policy suggest` writes a first one.
    #[arg(long, value_name = "FILE")]
    policy: PathBuf,
    /// Where to: a file for one input, or a directory (inputs keep their file names).
    #[arg(long, value_name = "PATH")]
    out: PathBuf,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    gate: GateArgs,
}

/// One input and where its scrubbed copy goes.
struct Job {
    input: PathBuf,
    output: PathBuf,
}

pub fn run(args: Args) -> Result<u8, Error> {
    super::set_threads(args.threads)?;
    let ctx = Context::new(&args.gate)?;
    let Some(key) = &ctx.key else {
        return Err(Error::config(
            "scrub needs a key: give --key-file FILE, set SYNTHGATE_KEY, or name a key file in the \
             environments file; at least 32 bytes (make one with `openssl rand -hex 32`)",
        ));
    };
    let policy = Policy::load(&args.policy)?;
    let scrubber = Arc::new(Scrubber::new(policy, ScrubKey::new(key), Arc::clone(&ctx.detector)));
    let cancel = super::cancel_on_ctrl_c();
    let jobs = jobs(&args.inputs, &args.out)?;

    let mut created: Vec<PathBuf> = Vec::new();
    for job in &jobs {
        let parent = parent_of(&job.output);
        created
            .extend(parent.ancestors().take_while(|a| !a.as_os_str().is_empty() && !a.exists()).map(Path::to_path_buf));
        std::fs::create_dir_all(&parent).map_err(|e| Error::io("cannot create directory", &parent, e))?;
    }
    created.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    created.dedup();
    let remove_created = || {
        for dir in &created {
            let _ = std::fs::remove_dir(dir);
        }
    };

    let mut staging = Staging::default();
    let mut done = Vec::new();
    for job in &jobs {
        let target = ctx.target(&job.output.display().to_string(), false)?;
        let gate = ctx.gate(target.clone());
        match scrub_file(job, &scrubber, &gate, &cancel) {
            Ok(mut d) => {
                if let Some(s) = d.finished.staged.take() {
                    staging.add(s);
                }
                done.push((d, target, gate.tally()));
            }
            Err(failure) => {
                drop(staging);
                remove_created();
                if let Failure::Refused(r) = &failure {
                    ctx.audit(
                        "scrub",
                        &job.input.display().to_string(),
                        None,
                        &target,
                        Outcome::Refused,
                        &gate.tally(),
                    )?;
                    eprintln!("{r}");
                    return Err(Error::new(
                        ErrorKind::Refused,
                        format!("the policy {} leaves personal data in the columns above", args.policy.display()),
                    ));
                }
                return Err(failure.into());
            }
        }
    }
    staging.commit()?;

    // One manifest per output directory, listing that directory's files.
    let mut manifests: Vec<(PathBuf, Manifest)> = Vec::new();
    for (d, target, tally) in &done {
        let columns =
            d.columns.iter().map(|(name, lineage)| ColumnEntry { name: name.clone(), lineage: *lineage }).collect();
        let entry = FileEntry::for_file(&d.output, d.finished.rows, columns)?;
        let sha = entry.sha256.clone();
        let dir = parent_of(&d.output);
        match manifests.iter_mut().find(|(p, _)| *p == dir) {
            Some((_, m)) => m.files.push(entry),
            None => {
                let mut m = Manifest::new("scrub", GateRecord::new(Outcome::Cleared, target));
                m.files.push(entry);
                manifests.push((dir, m));
            }
        }
        ctx.audit("scrub", &d.input.display().to_string(), Some(sha), target, Outcome::Cleared, tally)?;
        report(d, target);
    }
    for (dir, m) in &manifests {
        manifest::write(dir, m, ctx.key.as_ref())?;
    }
    Ok(0)
}

/// Inputs and their outputs: `--out` is a file for one input (unless it is a directory or
/// ends in `/`), else a directory.
fn jobs(inputs: &[PathBuf], out: &Path) -> Result<Vec<Job>, Error> {
    let dir_mode = inputs.len() > 1 || out.is_dir() || out.as_os_str().to_string_lossy().ends_with('/');
    let mut jobs: Vec<Job> = Vec::new();
    for input in inputs {
        let format = SourceFormat::from_path(input).ok_or_else(|| {
            Error::usage(format!("{}: not a file type synthgate scrubs (csv, jsonl, parquet)", input.display()))
        })?;
        let output = if dir_mode {
            let name =
                input.file_name().ok_or_else(|| Error::usage(format!("{} has no file name", input.display())))?;
            out.join(name)
        } else {
            if SourceFormat::from_path(out) != Some(format) {
                return Err(Error::usage(format!(
                    "--out {}: a scrubbed file keeps its input's format ({}); name it with the same extension",
                    out.display(),
                    format.name()
                )));
            }
            out.to_path_buf()
        };
        if same_file(input, &output) {
            return Err(Error::usage(format!("{}: the output would overwrite the input", input.display())));
        }
        if jobs.iter().any(|j| j.output == output) {
            return Err(Error::usage(format!(
                "two inputs would both be written to {}; scrub them into different directories",
                output.display()
            )));
        }
        jobs.push(Job { input: input.clone(), output });
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

/// Whole-file compression from a file name.
fn compression_of(p: &Path) -> Compression {
    let name = p.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".gz") {
        Compression::Gzip
    } else if name.ends_with(".zst") {
        Compression::Zstd
    } else {
        Compression::None
    }
}

/// A scrubbed file, staged.
struct Done {
    input: PathBuf,
    output: PathBuf,
    finished: sink::Finished,
    /// Output columns in order, with lineage.
    columns: Vec<(String, Lineage)>,
    dropped: Vec<String>,
    /// Output column → values a transform could not read (nulled).
    unreadable: Vec<(String, u64)>,
    /// Columns kept on purpose although they hold personal data, with the policy's reason.
    reasoned: Vec<(String, String)>,
}

/// Plans of the columns seen so far (JSON Lines may show new paths in any chunk).
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
    Jsonl,
    /// The type each output column is written with.
    Parquet(HashMap<String, DataType>),
}

fn scrub_file(job: &Job, scrubber: &Arc<Scrubber>, gate: &Gate, cancel: &AtomicBool) -> Result<Done, Failure> {
    let mut source = source::open(&job.input, CHUNK_ROWS)?;
    let format = source.format();
    let table = source::table_name(&job.input).to_string();
    let input_types = match format {
        SourceFormat::Parquet => Some(source::column_types(&job.input)?),
        _ => None,
    };
    let delimiter = source.delimiter().unwrap_or(b',');
    let file = job.input.display().to_string();
    let mut plans = Plans { table: table.clone(), by_name: HashMap::new(), order: Vec::new() };
    let mut writer: Option<Box<dyn TableWriter>> = None;
    let mut encoder: Option<Arc<Encoder>> = None;
    let mut shape: Option<Arc<Shape>> = None;
    let mut columns: Vec<(String, Lineage)> = Vec::new();
    let mut unreadable: HashMap<String, u64> = HashMap::new();
    let window = rayon::current_num_threads().max(1) * 2;
    let scrubber_skip = Arc::clone(scrubber);
    let skip_table = table.clone();
    // JSON members dropped whole: named `drop`, or unnamed under `unmentioned = "drop"` with
    // nothing below them named.
    let skip = move |path: &str| -> bool {
        let p = &scrubber_skip.policy;
        let explicit = |q: &str| matches!(p.decide(&skip_table, q), Some(Decision::Entry(e)) if matches!(e.transform, Transform::Drop));
        if explicit(path) || explicit(&format!("{path}[*]")) {
            return true;
        }
        matches!(p.decide(&skip_table, path), Some(Decision::Unmentioned(Unmentioned::Drop)))
            && !p.mentioned(&skip_table).iter().any(|m| m.starts_with(path) && m[path.len()..].starts_with(['.', '[']))
    };

    std::thread::scope(|s| -> Result<(), Failure> {
        let (tx, rx) = sync_channel::<Result<Chunk, Error>>(window);
        s.spawn(move || source::pump(source.as_mut(), tx));
        let mut rx = rx.into_iter();
        let mut group: Vec<(Chunk, Vec<Arc<Plan>>)> = Vec::with_capacity(window);
        loop {
            if cancel.load(Ordering::SeqCst) {
                return Err(Failure::Other(Error::interrupted()));
            }
            group.clear();
            for c in rx.by_ref().take(window) {
                let c = c?;
                let mut ps = Vec::with_capacity(c.batch.columns.len());
                for col in &c.batch.columns {
                    ps.push(plans.of(scrubber, &col.name)?);
                }
                group.push((c, ps));
            }
            if group.is_empty() {
                return Ok(());
            }
            if writer.is_none() {
                // The first chunk fixes the output's columns (CSV header, parquet schema).
                let (first, ps) = &group[0];
                let sh = match format {
                    SourceFormat::Csv => Shape::Csv,
                    SourceFormat::Jsonl => Shape::Jsonl,
                    SourceFormat::Parquet => {
                        Shape::Parquet(output_types(first, ps, input_types.as_deref().unwrap_or(&[]), &file)?)
                    }
                };
                let (fmt, comp) = match format {
                    SourceFormat::Csv => (Format::Csv, compression_of(&job.output)),
                    SourceFormat::Jsonl => (Format::Jsonl, compression_of(&job.output)),
                    SourceFormat::Parquet => (Format::Parquet, Compression::Zstd),
                };
                let crlf =
                    first.raw.iter().position(|&b| b == b'\n').is_some_and(|i| i > 0 && first.raw[i - 1] == b'\r');
                let enc = Encoder::new(fmt, comp).with_dialect(Dialect { delimiter, crlf });
                let sample = scrubber.scrub(&first.batch, ps)?.batch;
                let sample = match &sh {
                    Shape::Parquet(types) => retype_all(sample, types).0,
                    _ => sample,
                };
                // The writer takes the columns' names and types, not their values.
                let schema: Vec<Column> = sample
                    .columns
                    .iter()
                    .map(|c| {
                        let values = Values::with_capacity(c.values.data_type(), 0);
                        Column::new(Arc::clone(&c.name), c.lineage, values, None)
                    })
                    .collect();
                writer = Some(sink::open(&Destination::File(job.output.clone()), &enc, &schema)?);
                encoder = Some(Arc::new(enc));
                shape = Some(Arc::new(sh));
            }
            let (enc, sh) = (encoder.as_deref().expect("set"), shape.as_deref().expect("set"));
            let results: Vec<Result<ChunkOut, Failure>> = group
                .par_drain(..)
                .map(|(chunk, ps)| -> Result<_, Failure> {
                    let out = scrubber.scrub(&chunk.batch, &ps)?;
                    let mut bad: Vec<(String, u64)> = out
                        .batch
                        .columns
                        .iter()
                        .zip(&out.unreadable)
                        .filter(|(_, n)| **n > 0)
                        .map(|(c, n)| (c.name.to_string(), *n))
                        .collect();
                    let cols = out.batch.columns.iter().map(|c| (c.name.to_string(), c.lineage)).collect();
                    let encoded = match sh {
                        Shape::Csv => enc.encode(&gate.clear(out.batch).map_err(Failure::Refused)?)?,
                        Shape::Parquet(types) => {
                            let (batch, more) = retype_all(out.batch, types);
                            bad.extend(more);
                            enc.encode(&gate.clear(batch).map_err(Failure::Refused)?)?
                        }
                        Shape::Jsonl => {
                            let bytes = transform::jsonl::rewrite(
                                &chunk.raw,
                                chunk.batch.first_row == 0,
                                &out.batch,
                                &skip,
                                &file,
                            )?;
                            enc.raw(gate.clear_with(out.batch, bytes).map_err(Failure::Refused)?)?
                        }
                    };
                    Ok(ChunkOut { encoded, unreadable: bad, columns: cols })
                })
                .collect();
            for r in results {
                let ChunkOut { encoded, unreadable: bad, columns: cols } = r?;
                for (name, n) in bad {
                    *unreadable.entry(name).or_default() += n;
                }
                let fixed = !columns.is_empty() && matches!(format, SourceFormat::Csv | SourceFormat::Parquet);
                for (name, lineage) in cols {
                    if !columns.iter().any(|(n, _)| *n == name) {
                        if fixed {
                            return Err(Failure::Other(Error::config(format!(
                                "{file}: a row has more fields than the header (column `{name}`); scrub \
                                 writes a file with the header's columns only"
                            ))));
                        }
                        columns.push((name, lineage));
                    }
                }
                writer.as_mut().expect("opened").write(encoded)?;
            }
        }
    })?;
    let finished = match writer {
        Some(w) => w.finish()?,
        // An empty input: an empty output.
        None => sink::open_raw(&Destination::File(job.output.clone()))?.finish()?,
    };
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
    Ok(Done { input: job.input.clone(), output: job.output.clone(), finished, columns, dropped, unreadable, reasoned })
}

/// The parquet type of each output column: the input's where the transform keeps values of
/// that type (keep, null, date shifts, number buckets), text otherwise.
fn output_types(
    chunk: &Chunk,
    plans: &[Arc<Plan>],
    input: &[(String, Option<DataType>)],
    file: &str,
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
                col.name
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

fn retype_all(
    mut batch: synthgate::batch::Batch,
    types: &HashMap<String, DataType>,
) -> (synthgate::batch::Batch, Vec<(String, u64)>) {
    let mut bad = Vec::new();
    batch.columns = std::mem::take(&mut batch.columns)
        .into_iter()
        .map(|c| {
            let t = types.get(&*c.name).copied().unwrap_or(DataType::Utf8);
            let name = c.name.to_string();
            let (c, n) = transform::typed(c, t);
            if n > 0 {
                bad.push((name, n));
            }
            c
        })
        .collect();
    (batch, bad)
}

/// The summary on standard error: counts and names only.
fn report(d: &Done, target: &Target) {
    let scrubbed = d.columns.iter().filter(|(_, l)| *l == Lineage::Scrubbed).count();
    eprintln!(
        "scrubbed: {} → {} ({}), {} rows; {} columns scrubbed, {} kept, {} dropped",
        d.input.display(),
        d.output.display(),
        target.environment_name(),
        d.finished.rows,
        scrubbed,
        d.columns.len() - scrubbed,
        d.dropped.len()
    );
    for (col, n) in &d.unreadable {
        eprintln!("  {col}: {n} values the transform could not read were written as null");
    }
    for (col, reason) in &d.reasoned {
        eprintln!("  {col}: kept although it holds personal data — {reason}");
    }
}
