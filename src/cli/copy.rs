//! `synthgate copy`: a copy that goes through the gate chunk by chunk — byte for byte for text
//! formats, written again from the cleared values for Parquet. Refused means
//! nothing at the target: the copy is staged under a hidden name and renamed only when every
//! chunk was cleared; a manifest beside the copy records lineage and the decision.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::sync::Arc;

use rayon::prelude::*;

use synthgate::audit::Outcome;
use synthgate::batch::{Column, DataType, Lineage, Values};
use synthgate::detect::file::{relabel, CHUNK_ROWS};
use synthgate::error::{Error, ErrorKind};
use synthgate::manifest::{self, ColumnEntry, FileEntry, GateRecord, Manifest};
use synthgate::sink::{self, Compression, Destination, Encoded, Encoder, Format, NewDirs, Sink, Staging};
use synthgate::source::{self, Chunk, ReadDigest, SourceFormat};
use synthgate::target::{self, Output};

use super::context::{lineage_fn, Context, Failure, GateArgs};

#[derive(clap::Args)]
pub struct Args {
    /// The file to copy (CSV, JSON Lines, Parquet).
    src: PathBuf,
    /// Where to: a file path, an existing directory, or `-` for standard output (printed only
    /// once the whole file is cleared).
    dst: String,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    gate: GateArgs,
}

pub fn run(args: Args) -> Result<u8, Error> {
    super::set_threads(args.threads)?;
    let output = Output::parse(&args.dst)?;
    let ctx = Context::new(&args.gate)?;
    let key = ctx.signing_key()?;
    let name = args.src.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".gz") || name.ends_with(".zst") {
        // The source reads such files decompressed, so the copy would not be byte-exact.
        return Err(Error::usage("copy takes uncompressed files; `scan` and `gate` read .gz and .zst directly"));
    }
    let (dest, target) = match &output {
        Output::Stdout => (Destination::Stdout, ctx.target("-", false)?),
        Output::Path(p) => {
            let file = if p.is_dir() {
                p.join(args.src.file_name().ok_or_else(|| Error::usage("the source has no file name"))?)
            } else {
                p.clone()
            };
            let file = target::resolve_file(&file)?;
            let target = ctx.target_path(&file)?;
            (Destination::File(file), target)
        }
    };
    let gate = ctx.gate(target.clone(), &args.src);
    let mut verdict = ctx.lineage(&args.src);
    ctx.tell_untrusted(&args.src, &verdict);
    let input = ctx.shown(&args.src.display().to_string()).into_owned();

    // A refusal removes the directories this copy created.
    let (dirs, parent) = match &dest {
        Destination::File(f) => {
            let parent = f.parent().unwrap_or(Path::new("/")).to_path_buf();
            (NewDirs::create(&parent)?, Some(parent))
        }
        Destination::Stdout => (NewDirs::none(), None),
    };
    let result = copy_through(&args.src, &dest, &gate, &lineage_fn(&verdict));
    // The manifest's lineage let these bytes through: it must be theirs.
    let result = result.and_then(|(finished, columns, read)| {
        if verdict.confirm(&read) {
            Ok((finished, columns))
        } else {
            ctx.tell_untrusted(&args.src, &verdict);
            Err(Failure::Other(Error::new(
                ErrorKind::Refused,
                format!(
                    "refused: {input} was judged with the lineage of {}, but the bytes read are not the ones it \
                     signed ({}); nothing was written",
                    verdict.manifest.display(),
                    verdict.reason()
                ),
            )))
        }
    });
    let (finished, columns) = match result {
        Ok(done) => done,
        Err(failure) => {
            drop(dirs);
            if let Failure::Refused(r) = &failure {
                ctx.audit("copy", &input, None, &target, Outcome::Refused, &gate.tally())?;
                eprintln!("{r}");
                return Err(Error::new(ErrorKind::Refused, format!("{input} was not copied")));
            }
            if let Failure::Other(e) = &failure {
                if e.kind() == ErrorKind::Refused {
                    ctx.audit("copy", &input, None, &target, Outcome::Refused, &gate.tally())?;
                }
            }
            return Err(failure.into());
        }
    };
    let (rows, hashed) = (finished.rows, finished.sha256.clone().map(|s| (s, finished.bytes)));
    let mut staging = Staging::default();
    if let Some(s) = finished.staged {
        staging.add(s);
    }
    staging.commit()?;
    dirs.keep();
    let sha = match (&dest, parent) {
        (Destination::File(file), Some(parent)) => {
            // Names are data: a column name that holds personal data is recorded masked.
            let columns = columns
                .into_iter()
                .map(|(name, lineage)| ColumnEntry { name: ctx.shown(&name).into_owned(), lineage })
                .collect();
            let entry = FileEntry::written(file, hashed, rows, columns)?;
            let sha = entry.sha256.clone();
            let mut m = Manifest::new("copy", GateRecord::new(Outcome::Cleared, &target));
            m.files.push(entry);
            manifest::write(&parent, &m, key)?;
            Some(sha)
        }
        // Standard output has no place for a manifest; the audit still records the hash.
        _ => hashed.map(|(sha, _)| sha),
    };
    ctx.audit("copy", &input, sha, &target, Outcome::Cleared, &gate.tally())?;
    eprintln!("copied: {} → {} ({}), {} rows", input, ctx.shown(&target.location), target.environment_name(), rows);
    Ok(0)
}

/// A staged copy: the writer's result, the columns seen with their lineage, and the digest of
/// the bytes read.
type Copied = (sink::Finished, Vec<(String, Lineage)>, ReadDigest);

/// Streams `src` through the gate into a staged `dest`. Text formats are copied byte for byte
/// (every byte of a chunk was parsed and judged); Parquet is written again from the cleared
/// values, so that nothing the gate did not read (schema and field metadata, dictionary
/// entries no row uses, statistics) reaches the target.
fn copy_through(
    src: &Path,
    dest: &Destination,
    gate: &synthgate::gate::Gate,
    lineage: &(dyn Fn(&str) -> Lineage + Sync),
) -> Result<Copied, Failure> {
    let (mut source, read) = source::open_hashed(src, CHUNK_ROWS, true)?;
    let parquet = source.format() == SourceFormat::Parquet;
    let types: HashMap<String, DataType> = if parquet {
        // Types only: a value the schema read here mistypes becomes null, never new text.
        source::column_types(src)?.into_iter().filter_map(|(n, t)| Some((n, t?))).collect()
    } else {
        HashMap::new()
    };
    let encoder = Encoder::new(Format::Parquet, Compression::Zstd);
    let mut writer: Option<Box<dyn Sink>> = if parquet { None } else { Some(sink::stage_raw(dest)?) };
    let window = rayon::current_num_threads().max(1) * 2;
    let mut columns: Vec<(String, Lineage)> = Vec::new();
    std::thread::scope(|s| -> Result<(), Failure> {
        let (tx, rx) = sync_channel::<Result<Chunk, Error>>(window);
        s.spawn(move || source::pump(source.as_mut(), |c| tx.send(c).is_ok()));
        let mut group: Vec<Chunk> = Vec::with_capacity(window);
        let mut rx = rx.into_iter();
        loop {
            group.clear();
            for c in rx.by_ref().take(window) {
                let mut c = c?;
                relabel(&mut c.batch, lineage);
                for col in &c.batch.columns {
                    if !columns.iter().any(|(n, _)| **n == *col.name) {
                        columns.push((col.name.to_string(), col.lineage));
                    }
                }
                group.push(c);
            }
            if group.is_empty() {
                return Ok(());
            }
            if !parquet {
                let cleared: Vec<_> = group.par_drain(..).map(|c| gate.clear_with(c.batch, c.raw)).collect();
                let w = writer.as_mut().expect("text copies open their writer first");
                for c in cleared {
                    w.write(Encoded::raw(c.map_err(Failure::Refused)?))?;
                }
                continue;
            }
            if writer.is_none() {
                let first = &group[0].batch;
                if let Some(c) = first.columns.iter().find(|c| c.value_rows.is_some()) {
                    return Err(Failure::Other(Error::usage(format!(
                        "{}: column `{}` holds lists; copy writes Parquet again from its values and takes flat \
                         columns only (scrub can drop or rewrite it)",
                        src.display(),
                        gate.detector().shown(&c.name)
                    ))));
                }
                let schema: Vec<Column> = first
                    .columns
                    .iter()
                    .map(|c| {
                        let t = types.get(&*c.name).copied().unwrap_or(DataType::Utf8);
                        Column::new(Arc::clone(&c.name), c.lineage, Values::with_capacity(t, 0), None)
                    })
                    .collect();
                writer = Some(sink::stage(dest, &encoder, &schema)?);
            }
            let encoded: Vec<Result<Encoded, Failure>> = group
                .par_drain(..)
                .map(|c| {
                    let cleared = gate.clear(c.batch).map_err(Failure::Refused)?;
                    let (cleared, _lost) = cleared.parse_columns(&types);
                    Ok(encoder.encode(&cleared)?)
                })
                .collect();
            let w = writer.as_mut().expect("opened above");
            for e in encoded {
                w.write(e?)?;
            }
        }
    })?;
    let writer = match writer {
        Some(w) => w,
        // A Parquet file without a chunk: an empty output.
        None => sink::stage_raw(dest)?,
    };
    Ok((writer.finish()?, columns, read))
}
