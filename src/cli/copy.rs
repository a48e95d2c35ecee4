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
use synthgate::gate::Gate;
use synthgate::manifest::LineageVerdict;
use synthgate::pipeline::{Delivered, Delivery, Feed, Runner};
use synthgate::sink::db::{self, ColumnSpec, Params, TableSpec};
use synthgate::sink::{self, Compression, Destination, Encoded, Encoder, Format};
use synthgate::source::{self, Chunk, ReadDigest, Source, SourceFormat};
use synthgate::target::{self, Location, Output};

use super::context::{lineage_fn, Context, Failure, GateArgs};
use super::load::{Db, LoadArgs};

#[derive(clap::Args)]
pub struct Args {
    /// The file to copy (CSV, JSON Lines, Parquet), or a database (postgres://…/db,
    /// mysql://…/db, sqlite://file.db) whose --table is copied.
    src: PathBuf,
    /// Where to: a file path, a directory (existing, or ending in `/`), `-` for standard output
    /// (printed only once the whole file is cleared), or a database (CSV and Parquet files, and
    /// tables, are loaded into the table --table names, else the file's stem). A table is
    /// written to a file as the file's extension says (csv, jsonl, parquet; `<table>.csv` into
    /// a directory).
    dst: String,
    /// With a database source: the table to copy. With a database target: the table to load
    /// (default: the source file's stem).
    #[arg(long, value_name = "TABLE")]
    table: Option<String>,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    #[command(flatten)]
    load: LoadArgs,
    #[command(flatten)]
    gate: GateArgs,
}

pub fn run(args: Args) -> Result<u8, Error> {
    super::set_threads(args.threads)?;
    let output = Output::parse(&args.dst)?;
    let ctx = Context::new(&args.gate)?;
    if let Some(Ok(Location::Database(url))) = args.src.to_str().map(Location::parse) {
        return copy_table(&args, &ctx, &output, ctx.database(&url)?);
    }
    if let Output::Database(url) = &output {
        return copy_into_table(&args, &ctx, url);
    }
    if args.table.is_some() {
        return Err(Error::usage("--table names a table of a database source or target; give a database URL"));
    }
    let name = args.src.to_string_lossy().to_ascii_lowercase();
    if name.ends_with(".gz") || name.ends_with(".zst") {
        // The source reads such files decompressed, so the copy would not be byte-exact.
        return Err(Error::usage("copy takes uncompressed files; `scan` and `gate` read .gz and .zst directly"));
    }
    let mut delivery = ctx.delivery("copy", true)?;
    let (dest, target) = match &output {
        Output::Stdout => (Destination::Stdout, ctx.target("-", false)?),
        Output::Database(_) => unreachable!("loaded above"),
        Output::Path(p) => {
            // `out/` names a folder, made if need be, never a file called `out`.
            let file = if p.is_dir() || args.dst.ends_with('/') {
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
        confirm(&ctx, &args.src, &input, &mut verdict, &read)?;
        Ok((finished, columns))
    });
    let input = args.src.display().to_string();
    finish(&ctx, delivery, result, Out { input, dest, target, tally: gate.tally() })
}

/// Checks that the manifest whose lineage judged the copy vouches for what was read; otherwise
/// the copy is refused (it was judged with a lineage that does not hold).
fn confirm(
    ctx: &Context,
    src: &Path,
    shown: &str,
    verdict: &mut LineageVerdict,
    read: &ReadDigest,
) -> Result<(), Failure> {
    if verdict.confirm(read) {
        return Ok(());
    }
    ctx.tell_untrusted(src, verdict);
    Err(Failure::Other(Error::new(
        ErrorKind::Refused,
        format!(
            "refused: {shown} was judged with the lineage of {}, but what was read is not what it signed ({}); \
             nothing was written",
            ctx.shown(&verdict.manifest.display().to_string()),
            verdict.reason()
        ),
    )))
}

/// A copy's one output, before it is known whether it is delivered.
struct Out {
    input: String,
    dest: Destination,
    target: synthgate::gate::Target,
    tally: Vec<synthgate::detect::ColumnSummary>,
}

/// Commits a copy's one output and says so, or audits a refusal and rolls the output back.
fn finish(
    ctx: &Context,
    mut delivery: Delivery<'_>,
    result: Result<(sink::Finished, Vec<(String, Lineage)>), Failure>,
    d: Out,
) -> Result<u8, Error> {
    let input = ctx.shown(&d.input).into_owned();
    let (finished, columns) = match result {
        Ok(done) => done,
        Err(failure) => {
            let refused = match &failure {
                Failure::Refused(_) => true,
                Failure::Other(e) => e.kind() == ErrorKind::Refused,
            };
            if refused {
                delivery.refuse(&d.input, &d.target, &d.tally)?;
            }
            if let Failure::Refused(r) = &failure {
                eprintln!("{r}");
                return Err(Error::new(ErrorKind::Refused, format!("{input} was not copied")));
            }
            return Err(failure.into());
        }
    };
    let target = d.target.clone();
    delivery.add(Delivered { input: d.input, dest: d.dest, target: d.target, columns, tally: d.tally, finished });
    let rows: u64 = delivery.commit()?.iter().map(|c| c.rows).sum();
    eprintln!("copied: {input} → {} ({}), {rows} rows", ctx.shown(&target.location), target.environment_name());
    Ok(0)
}

/// Copies one table of a database to a file, standard output or a table of another database:
/// every chunk read as text, judged with the lineage the database's signed manifest vouches
/// for (confirmed by the rows read), then written by synthgate's own encoder in the format the
/// file's extension names, or loaded.
fn copy_table(args: &Args, ctx: &Context, output: &Output, params: Params) -> Result<u8, Error> {
    let Some(table) = args.table.clone() else {
        return Err(Error::usage(format!("copy from {} needs --table TABLE", params.shown())));
    };
    db::read::tables(&params, std::slice::from_ref(&table), &|n| ctx.detector.shown(n).into_owned())?;
    let input = format!("{}/{table}", params.location());
    let mut delivery = ctx.delivery("copy", true)?;
    // Into a database, typed columns are written in its own spelling.
    let mut types: HashMap<String, DataType> = HashMap::new();
    let (dest, target, encoder) = match output {
        Output::Stdout => (Destination::Stdout, ctx.target("-", false)?, Encoder::new(Format::Csv, Compression::None)),
        Output::Database(url) => {
            let db = Db::resolve(ctx, url)?;
            if args.load.namespace.is_none()
                && db.params.location() == params.location()
                && db.params.schema == params.schema
            {
                return Err(Error::usage(format!("{}: the copy would load the table it reads", ctx.shown(&input))));
            }
            let mut spec = db::catalog::describe(&params, std::slice::from_ref(&table))?;
            // Only the table itself is loaded: keys to other tables are the target's business.
            for s in &mut spec {
                s.foreign_keys.retain(|f| f.parent == s.name);
            }
            types = spec[0]
                .columns
                .iter()
                .filter(|c| c.dtype != DataType::Utf8)
                .map(|c| (c.name.clone(), c.dtype))
                .collect();
            let session = db.open(ctx, ("copy", &input), spec, &args.load)?;
            (Destination::Table(session, 0), db.target.clone(), db.encoder())
        }
        Output::Path(p) => {
            // `out/` names a folder, made if need be, never a file called `out`.
            let file = if p.is_dir() || args.dst.ends_with('/') { p.join(format!("{table}.csv")) } else { p.clone() };
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            let format = Format::parse(&ext)
                .ok_or_else(|| Error::usage(format!("{}: name the file .csv, .jsonl or .parquet", file.display())))?;
            let file = target::resolve_file(&file)?;
            let target = ctx.target_path(&file)?;
            delivery.make_dir(file.parent().unwrap_or(Path::new("/")))?;
            let compression = if format == Format::Parquet { Compression::Zstd } else { Compression::None };
            (Destination::File(file), target, Encoder::new(format, compression))
        }
    };
    let gate = ctx.gate(target.clone(), Path::new(&input));
    let mut verdict = ctx.table_lineage(&params, &table)?;
    let (source, read) = db::read::open_verified(&params, &table, CHUNK_ROWS, &verdict, &ctx.detector)?;
    let cancel = super::cancel_on_ctrl_c();
    let result = copy_values(&input, source, &dest, &gate, &encoder, &lineage_fn(&verdict), &types, &cancel);
    let result = result.and_then(|done| {
        confirm(ctx, Path::new(&input), &ctx.shown(&input), &mut verdict, &read)?;
        Ok(done)
    });
    if result.is_ok() {
        ctx.tell_untrusted(Path::new(&input), &verdict);
    }
    finish(ctx, delivery, result, Out { input, dest, target, tally: gate.tally() })
}

/// Loads a CSV or Parquet file into a table (`--table`, else the file's stem): the values
/// read, judged with the lineage its signed manifest vouches for (confirmed by the bytes
/// read), in the database's transaction. CSV columns are text the database parses into the
/// types of an existing table (`--create` makes them text columns); Parquet keeps its types.
fn copy_into_table(args: &Args, ctx: &Context, url: &target::DatabaseUrl) -> Result<u8, Error> {
    let format = SourceFormat::from_path(&args.src);
    let types: HashMap<String, DataType> = match format {
        Some(SourceFormat::Csv) => HashMap::new(),
        Some(SourceFormat::Parquet) => {
            source::column_types(&args.src)?.into_iter().filter_map(|(n, t)| Some((n, t?))).collect()
        }
        _ => {
            return Err(Error::usage(format!(
                "{}: copy loads CSV and Parquet files into a database (scrub rewrites JSON Lines)",
                args.src.display()
            )))
        }
    };
    let table = match &args.table {
        Some(t) => t.clone(),
        None => source::table_name(&args.src).to_string(),
    };
    let input = args.src.display().to_string();
    let db = Db::resolve(ctx, url)?;
    let (source, read) = source::open_hashed(&args.src, CHUNK_ROWS, false)?;
    let columns = source
        .columns()
        .iter()
        .map(|name| match types.get(name) {
            Some(t) => ColumnSpec { name: name.clone(), dtype: *t, nullable: true, loose: false },
            None => ColumnSpec { name: name.clone(), dtype: DataType::Utf8, nullable: true, loose: true },
        })
        .collect();
    let spec = TableSpec { name: table, columns, primary_key: Vec::new(), foreign_keys: Vec::new() };
    let delivery = ctx.delivery("copy", true)?;
    let session = db.open(ctx, ("copy", &input), vec![spec], &args.load)?;
    let dest = Destination::Table(session, 0);
    let gate = ctx.gate(db.target.clone(), &args.src);
    let mut verdict = ctx.lineage(&args.src);
    ctx.tell_untrusted(&args.src, &verdict);
    let shown = ctx.shown(&input).into_owned();
    let cancel = super::cancel_on_ctrl_c();
    let result = copy_values(&input, source, &dest, &gate, &db.encoder(), &lineage_fn(&verdict), &types, &cancel);
    let result = result.and_then(|done| {
        confirm(ctx, &args.src, &shown, &mut verdict, &read)?;
        Ok(done)
    });
    finish(ctx, delivery, result, Out { input, dest, target: db.target.clone(), tally: gate.tally() })
}

/// Streams a source's values through the gate into `dest`, re-encoded: each chunk relabelled
/// with `lineage`, cleared, typed where `types` says, encoded. The first chunk's columns are
/// the output's.
fn copy_values(
    input: &str,
    mut source: Box<dyn Source>,
    dest: &Destination,
    gate: &Gate,
    encoder: &Encoder,
    lineage: &(dyn Fn(&str) -> Lineage + Sync),
    types: &HashMap<String, DataType>,
    cancel: &AtomicBool,
) -> Result<(sink::Finished, Vec<(String, Lineage)>), Failure> {
    let schema: Vec<Column> = source
        .columns()
        .iter()
        .map(|c| {
            let t = types.get(c).copied().unwrap_or(DataType::Utf8);
            Column::new(Arc::from(c.as_str()), lineage(c), Values::with_capacity(t, 0), None)
        })
        .collect();
    let sink = sink::stage(dest, encoder, &gate.clear_names(input, schema.clone()).map_err(Failure::Refused)?)?;
    let read_all = move |send: &mut Feed<'_, Chunk, Failure>| {
        source::pump(source.as_mut(), |c| send(c.map_err(Failure::Other)));
    };
    let clear = |_: &mut (), mut c: Chunk| -> Result<Encoded, Failure> {
        relabel(&mut c.batch, lineage);
        let cleared = gate.clear(c.batch).map_err(Failure::Refused)?;
        if types.is_empty() {
            return Ok(encoder.encode(&cleared)?);
        }
        let (cleared, lost) = cleared.parse_columns(types);
        if let (Some((column, n)), Destination::Table(..)) = (lost.first(), dest) {
            // Loaded as null, the values would be lost without a word.
            return Err(Failure::Other(Error::usage(format!(
                "column `{}`: {n} value(s) are not {} values as the table's type needs; nothing was written",
                gate.detector().shown(column),
                db::type_name(types[column])
            ))));
        }
        Ok(encoder.encode(&cleared)?)
    };
    let (finished, _) = Runner::new().cancel_on(cancel).into_sink(sink, read_all, clear, Ok)?;
    Ok((finished, schema.iter().map(|c| (c.name.to_string(), c.lineage)).collect()))
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
    gate: &Gate,
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
    let input = src.display().to_string();
    let names = |columns| gate.clear_names(&input, columns).map_err(Failure::Refused);
    let text_sink = if parquet { None } else { Some(sink::stage_raw(dest, &names(Vec::new())?)?) };
    let Some(mut first) = source.next_chunk()? else {
        // A file without a chunk: an empty output.
        let sink = match text_sink {
            Some(s) => s,
            None => sink::stage_raw(dest, &names(Vec::new())?)?,
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
            sink::stage(dest, &encoder, &names(schema)?)?
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
