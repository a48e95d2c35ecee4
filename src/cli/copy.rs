//! `synthgate copy`: a copy that goes through the gate chunk by chunk — byte for byte for text
//! formats, written again from the cleared values for Parquet. Refused means
//! nothing at the target: the copy is staged under a hidden name and renamed only when every
//! chunk was cleared; a manifest beside the copy records lineage and the decision.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use synthgate::batch::{Column, DataType, Lineage, Values};
use synthgate::detect::file::{relabel, CHUNK_ROWS};
use synthgate::error::{Error, ErrorKind};
use synthgate::pipeline::{Delivered, Delivery, Feed, Runner};
use synthgate::sink::db::{self, Params};
use synthgate::sink::{self, Compression, Destination, Encoded, Encoder, Format};
use synthgate::source::{self, Chunk, ReadDigest, SourceFormat};
use synthgate::target::{self, Location, Output};

use super::context::{lineage_fn, Context, Failure, GateArgs};

#[derive(clap::Args)]
pub struct Args {
    /// The file to copy (CSV, JSON Lines, Parquet), or a database (postgres://…/db,
    /// mysql://…/db, sqlite://file.db) whose --table is written to a file.
    src: PathBuf,
    /// Where to: a file path, an existing directory, or `-` for standard output (printed only
    /// once the whole file is cleared). A table is written as the file's extension says (csv,
    /// jsonl, parquet; `<table>.csv` into a directory).
    dst: String,
    /// With a database source: the table to copy.
    #[arg(long, value_name = "TABLE")]
    table: Option<String>,
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
    if let Some(Ok(Location::Database(url))) = args.src.to_str().map(Location::parse) {
        return copy_table(&args, &ctx, &output, Params::parse(&url)?);
    }
    if args.table.is_some() {
        return Err(Error::usage("--table names a table of a database source; give a database URL to copy from"));
    }
    let name = args.src.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".gz") || name.ends_with(".zst") {
        // The source reads such files decompressed, so the copy would not be byte-exact.
        return Err(Error::usage("copy takes uncompressed files; `scan` and `gate` read .gz and .zst directly"));
    }
    let mut delivery = ctx.delivery("copy", true)?;
    let (dest, target) = match &output {
        Output::Stdout => (Destination::Stdout, ctx.target("-", false)?),
        Output::Database(d) => return Err(Output::files_only("copy", d)),
        Output::Path(p) => {
            let file = if p.is_dir() {
                p.join(args.src.file_name().ok_or_else(|| Error::usage("the source has no file name"))?)
            } else {
                p.clone()
            };
            let file = target::resolve_file(&file)?;
            let target = ctx.target_path(&file)?;
            // A refusal removes the directories this copy created.
            delivery.make_dir(file.parent().unwrap_or(Path::new("/")))?;
            (Destination::File(file), target)
        }
    };
    let gate = ctx.gate(target.clone(), &args.src);
    let mut verdict = ctx.lineage(&args.src);
    ctx.tell_untrusted(&args.src, &verdict);
    let input = ctx.shown(&args.src.display().to_string()).into_owned();

    let cancel = super::cancel_on_ctrl_c();
    let result = copy_through(&args.src, &dest, &gate, &lineage_fn(&verdict), &cancel);
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
                    ctx.shown(&verdict.manifest.display().to_string()),
                    verdict.reason()
                ),
            )))
        }
    });
    let (finished, columns) = match result {
        Ok(done) => done,
        Err(failure) => {
            let refused = match &failure {
                Failure::Refused(_) => true,
                Failure::Other(e) => e.kind() == ErrorKind::Refused,
            };
            if refused {
                delivery.refuse(&args.src.display().to_string(), &target, &gate.tally())?;
            }
            if let Failure::Refused(r) = &failure {
                eprintln!("{r}");
                return Err(Error::new(ErrorKind::Refused, format!("{input} was not copied")));
            }
            return Err(failure.into());
        }
    };
    let input = args.src.display().to_string();
    deliver(&ctx, delivery, Delivered { input, dest, target, columns, tally: gate.tally(), finished })
}

/// Commits a copy's one output and says so.
fn deliver(ctx: &Context, mut delivery: Delivery<'_>, d: Delivered) -> Result<u8, Error> {
    let (input, target) = (ctx.shown(&d.input).into_owned(), d.target.clone());
    delivery.add(d);
    let rows: u64 = delivery.commit()?.iter().map(|c| c.rows).sum();
    eprintln!("copied: {input} → {} ({}), {rows} rows", ctx.shown(&target.location), target.environment_name());
    Ok(0)
}

/// Copies one table of a database to a file (or standard output): every chunk read as text,
/// judged as `input`, then written by synthgate's own encoder in the format the file's
/// extension names.
fn copy_table(args: &Args, ctx: &Context, output: &Output, params: Params) -> Result<u8, Error> {
    let Some(table) = args.table.clone() else {
        return Err(Error::usage(format!("copy from {} needs --table TABLE", params.shown())));
    };
    db::read::tables(&params, std::slice::from_ref(&table))?;
    let mut delivery = ctx.delivery("copy", true)?;
    let (dest, target, format) = match output {
        Output::Stdout => (Destination::Stdout, ctx.target("-", false)?, Format::Csv),
        Output::Database(d) => return Err(Output::files_only("copy", d)),
        Output::Path(p) => {
            let file = if p.is_dir() { p.join(format!("{table}.csv")) } else { p.clone() };
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            let format = Format::parse(&ext)
                .ok_or_else(|| Error::usage(format!("{}: name the file .csv, .jsonl or .parquet", file.display())))?;
            let file = target::resolve_file(&file)?;
            let target = ctx.target_path(&file)?;
            delivery.make_dir(file.parent().unwrap_or(Path::new("/")))?;
            (Destination::File(file), target, format)
        }
    };
    let input = format!("{}/{table}", params.location());
    let gate = ctx.gate(target.clone(), Path::new(&input));
    let mut source = db::read::open(&params, &table, CHUNK_ROWS)?;
    let schema: Vec<Column> = source
        .columns()
        .iter()
        .map(|c| Column::new(Arc::from(c.as_str()), Lineage::Input, Values::with_capacity(DataType::Utf8, 0), None))
        .collect();
    let encoder = Encoder::new(format, if format == Format::Parquet { Compression::Zstd } else { Compression::None });
    let sink = sink::stage(&dest, &encoder, &schema)?;
    let read_all = move |send: &mut Feed<'_, Chunk, Failure>| {
        source::pump(source.as_mut(), |c| send(c.map_err(Failure::Other)));
    };
    let clear = |_: &mut (), c: Chunk| -> Result<Encoded, Failure> {
        let cleared = gate.clear(c.batch).map_err(Failure::Refused)?;
        Ok(encoder.encode(&cleared)?)
    };
    let cancel = super::cancel_on_ctrl_c();
    match Runner::new().cancel_on(&cancel).into_sink(sink, read_all, clear, Ok) {
        Ok((finished, _)) => {
            let columns = schema.iter().map(|c| (c.name.to_string(), Lineage::Input)).collect();
            deliver(ctx, delivery, Delivered { input, dest, target, columns, tally: gate.tally(), finished })
        }
        Err(Failure::Refused(r)) => {
            delivery.refuse(&input, &target, &gate.tally())?;
            eprintln!("{r}");
            Err(Error::new(ErrorKind::Refused, format!("{} was not copied", ctx.shown(&input))))
        }
        Err(Failure::Other(e)) => Err(e),
    }
}

/// A staged copy: the writer's result, the columns seen with their lineage, and the digest of
/// the bytes read.
type Copied = (sink::Finished, Vec<(String, Lineage)>, ReadDigest);

/// Streams `src` through the gate into a staged `dest`, on the pipeline runner. Text formats
/// are copied byte for byte (every byte of a chunk was parsed and judged); Parquet is written
/// again from the cleared values, so that nothing the gate did not read (schema and field
/// metadata, dictionary entries no row uses, statistics) reaches the target.
fn copy_through(
    src: &Path,
    dest: &Destination,
    gate: &synthgate::gate::Gate,
    lineage: &(dyn Fn(&str) -> Lineage + Sync),
    cancel: &AtomicBool,
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
    let text_sink = if parquet { None } else { Some(sink::stage_raw(dest)?) };
    let Some(mut first) = source.next_chunk()? else {
        // A file without a chunk: an empty output.
        let sink = match text_sink {
            Some(s) => s,
            None => sink::stage_raw(dest)?,
        };
        return Ok((sink.finish()?, Vec::new(), read));
    };
    relabel(&mut first.batch, lineage);
    let sink = match text_sink {
        Some(s) => s,
        None => {
            // The first chunk fixes the Parquet schema: its columns, lineage and input types.
            if let Some(c) = first.batch.columns.iter().find(|c| c.value_rows.is_some()) {
                return Err(Failure::Other(Error::usage(format!(
                    "{}: column `{}` holds lists; copy writes Parquet again from its values and takes flat \
                     columns only (scrub can drop or rewrite it)",
                    src.display(),
                    gate.detector().shown(&c.name)
                ))));
            }
            let schema: Vec<Column> = first
                .batch
                .columns
                .iter()
                .map(|c| {
                    let t = types.get(&*c.name).copied().unwrap_or(DataType::Utf8);
                    Column::new(Arc::clone(&c.name), c.lineage, Values::with_capacity(t, 0), None)
                })
                .collect();
            sink::stage(dest, &encoder, &schema)?
        }
    };
    let read_all = move |send: &mut Feed<'_, Chunk, Failure>| {
        if send(Ok(first)) {
            source::pump(source.as_mut(), |c| send(c.map_err(Failure::Other)));
        }
    };
    let clear = |_: &mut (), mut c: Chunk| -> Result<ChunkOut, Failure> {
        relabel(&mut c.batch, lineage);
        let columns = c.batch.columns.iter().map(|c| (Arc::clone(&c.name), c.lineage)).collect();
        let encoded = if parquet {
            let cleared = gate.clear(c.batch).map_err(Failure::Refused)?;
            let (cleared, _lost) = cleared.parse_columns(&types);
            encoder.encode(&cleared)?
        } else {
            Encoded::raw(gate.clear_with(c.batch, c.raw).map_err(Failure::Refused)?)
        };
        Ok((encoded, columns))
    };
    let mut columns: Vec<(String, Lineage)> = Vec::new();
    let (finished, _) = Runner::new().cancel_on(cancel).into_sink(sink, read_all, clear, |(encoded, seen)| {
        for (name, lineage) in seen {
            if !columns.iter().any(|(n, _)| **n == *name) {
                columns.push((name.to_string(), lineage));
            }
        }
        Ok(encoded)
    })?;
    Ok((finished, columns, read))
}

/// One chunk cleared and encoded, with the columns it held.
type ChunkOut = (Encoded, Vec<(Arc<str>, Lineage)>);
