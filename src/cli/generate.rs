//! `synthgate generate`: schema → files (or standard output), every write through the gate.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use synthgate::audit::Outcome;
use synthgate::batch::{Batch, Column, Lineage, StrBuf, Values};
use synthgate::error::{Error, ErrorKind};
use synthgate::gate::Target;
use synthgate::generate::engine::Runtime;
use synthgate::generate::plan::{Plan, SchemaLiteral};
use synthgate::generate::run_table;
use synthgate::pipeline::Delivered;
use synthgate::schema::{self, Options};
use synthgate::sink::db::{ColumnSpec, ForeignKey, TableSpec};
use synthgate::sink::{Compression, Destination, Encoder, Format};
use synthgate::target::{self, Output};

use super::context::{Context, GateArgs};
use super::load::{Db, LoadArgs};

#[derive(clap::Args)]
pub struct Args {
    /// Schema file (TOML). Without it, the built-in example named by --example is used.
    schema: Option<PathBuf>,
    /// Built-in example schema to use when no file is given: ecommerce, healthcare, banking.
    #[arg(long, default_value = "ecommerce", value_name = "NAME")]
    example: String,
    /// Output directory (one file per table: DIR/<table>.<ext>), `-` for standard output (one
    /// table, printed only once all of it is cleared), or a database: postgres://…/db,
    /// mysql://…/db, sqlite://file.db (all tables in one transaction, parents first).
    #[arg(long, short, default_value = "data", value_name = "DIR|URL")]
    out: String,
    #[command(flatten)]
    load: LoadArgs,
    /// Output format: csv, jsonl or parquet.
    #[arg(long, short, default_value = "csv", value_parser = parse_format)]
    format: Format,
    /// Seed; the same schema, seed and version give byte-identical output.
    #[arg(long)]
    seed: Option<u64>,
    /// Multiplies every table's `rows` (0.01 for a laptop, 100 for Stage volumes).
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// Worker threads (default: one per core). Output does not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Only these tables (repeat the flag); related tables are still used for keys.
    #[arg(long = "table", short = 't', value_name = "TABLE")]
    tables: Vec<String>,
    /// Compress text output: none, gzip or zstd (parquet: page codec gzip or zstd).
    #[arg(long, default_value = "none", value_parser = parse_compression)]
    compress: Compression,
    /// Pin `now` for relative dates (default: today 00:00 UTC), e.g. 2026-01-01T00:00:00Z.
    #[arg(long, value_parser = parse_now)]
    now: Option<i64>,
    /// Write only shard I of N (e.g. 3/16); the N shards together equal the whole run.
    #[arg(long, value_parser = parse_shard, value_name = "I/N", conflicts_with = "parts")]
    shard: Option<(u64, u64)>,
    /// Split each table into N files (<table>-0000i-of-0000N.<ext>), as N shards would.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    parts: Option<u64>,
    /// No progress bar and no summary.
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    gate: GateArgs,
}

fn parse_format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| format!("unknown format `{s}`; valid: csv, jsonl, parquet"))
}

fn parse_compression(s: &str) -> Result<Compression, String> {
    Compression::parse(s).ok_or_else(|| format!("unknown compression `{s}`; valid: none, gzip, zstd"))
}

fn parse_now(s: &str) -> Result<i64, String> {
    synthgate::temporal::parse_timestamp(s)
        .ok_or_else(|| format!("`{s}` is not a date or timestamp (YYYY-MM-DD[THH:MM:SSZ])"))
}

fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let bad = || format!("`{s}` is not a shard; write I/N with 0 <= I < N, e.g. 0/4");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (i, n): (u64, u64) = (i.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
    if n == 0 || i >= n {
        return Err(bad());
    }
    Ok((i, n))
}

/// One output of a table: its shard (if sharded) and the batches it holds.
type Piece = (Option<(u64, u64)>, std::ops::Range<u64>);

/// Loads the schema named on the command line, or the built-in example.
pub fn load(schema: Option<&Path>, example: &str, opts: &Options) -> Result<Plan, Error> {
    match schema {
        Some(p) => schema::compile_file(p, opts),
        None => {
            let (name, text) = schema::example(example).ok_or_else(|| {
                Error::usage(format!(
                    "no built-in example `{example}`; examples: {}",
                    schema::EXAMPLES.iter().map(|e| e.0).collect::<Vec<_>>().join(", ")
                ))
            })?;
            schema::compile_str(&format!("<built-in {name}>"), text, opts)
        }
    }
}

pub fn run(args: Args) -> Result<u8, Error> {
    let output = Output::parse(&args.out)?;
    if let Some(n) = args.threads {
        if n == 0 {
            return Err(Error::usage("--threads must be at least 1"));
        }
        // Only fails if a pool already exists; output does not depend on the thread count.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n).build_global();
    }
    let opts = Options { seed: args.seed, scale: args.scale, now: args.now };
    let plan = load(args.schema.as_deref(), &args.example, &opts)?;
    let mut selected = Vec::new();
    for name in &args.tables {
        let t = plan.table(name).ok_or_else(|| {
            Error::usage(format!(
                "unknown table `{name}`; tables: {}",
                plan.tables.iter().map(|t| &*t.name).collect::<Vec<_>>().join(", ")
            ))
        })?;
        if !selected.contains(&t) {
            selected.push(t);
        }
    }
    if selected.is_empty() {
        selected = (0..plan.tables.len()).collect();
    }
    // Parents before children: a database checks foreign keys as rows arrive.
    selected.sort_by_key(|t| plan.order.iter().position(|o| o == t));
    let to_stdout = output == Output::Stdout;
    let database = match &output {
        Output::Database(url) => {
            if args.shard.is_some() || args.parts.is_some_and(|n| n > 1) {
                return Err(Error::usage("--shard and --parts write files; a database load is one transaction"));
            }
            Some(url.clone())
        }
        _ if args.load.namespace.is_some() => {
            return Err(Error::usage("--namespace writes into a database; give --out a database URL"))
        }
        _ => None,
    };
    if to_stdout && selected.len() > 1 {
        return Err(Error::usage("--out - writes one table; choose it with --table"));
    }
    let rt = Runtime::new(&plan)?;

    // Every write passes the gate, which checks that synthetic identifiers stayed in the
    // reserved ranges.
    let ctx = Context::new(&args.gate)?;
    // Manifests are always signed: a missing key stops the run before it writes.
    let mut delivery = ctx.delivery("generate", !to_stdout)?.about(|m| {
        m.schema_sha256 = Some(plan.schema_hash.clone());
        m.seed = Some(plan.seed);
    });
    let shards: Vec<(u64, u64)> = match (args.shard, args.parts) {
        (Some(shard), _) => vec![shard],
        (None, Some(n)) if n > 1 => (0..n).map(|i| (i, n)).collect(),
        _ => Vec::new(),
    };
    if to_stdout && args.parts.is_some_and(|n| n > 1) {
        return Err(Error::usage("--parts writes files; it cannot go to standard output"));
    }
    // Resolved once: every file goes into this directory, and is judged as being there.
    let out_dir = match &output {
        Output::Path(p) => target::resolve_dir(p)?,
        Output::Stdout | Output::Database(_) => PathBuf::new(),
    };
    // A database is judged by its URL without credentials (an SQLite file by its path, resolved
    // once: the file judged is the file opened).
    let database = database.map(|url| Db::resolve(&ctx, &url)).transpose()?;
    let db_target = database.as_ref().map(|d| d.target.clone());
    // What the schema spells out literally is judged as input, for any non-production target,
    // before anything is created.
    let mut targets = Vec::new();
    for &t in &selected {
        let shard_list: Vec<Option<(u64, u64)>> =
            if shards.is_empty() { vec![None] } else { shards.iter().copied().map(Some).collect() };
        for shard in shard_list {
            targets.push(if let Some(t) = &db_target {
                t.clone()
            } else if to_stdout {
                ctx.target("-", false)?
            } else {
                ctx.target_path(&out_dir.join(output_file(&plan.tables[t].name, shard, &args)))?
            });
        }
    }
    if let Some(target) = targets.iter().find(|t| !t.is_production()) {
        judge_literals(&ctx, &plan, target, args.schema.as_deref().unwrap_or(Path::new(&plan.name)))?;
    }
    // A database session: connected, tables checked or created, in one transaction; in the
    // namespace, if one is named (created and recorded first).
    let session = match &database {
        Some(db) => Some(db.open(&ctx, ("generate", &plan.source), table_specs(&plan, &selected), &args.load)?),
        None => {
            if !to_stdout {
                delivery.make_dir(&out_dir)?;
            }
            None
        }
    };
    let cancel = super::cancel_on_ctrl_c();

    let interactive = !args.quiet && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let total: u64 = selected.iter().map(|&t| rt.rows(t)).sum();
    let bar = interactive.then(|| {
        let b = indicatif::ProgressBar::new(total);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg:12} [{bar:30}] {human_pos}/{human_len} rows  {per_sec}  ETA {eta}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        b
    });
    let done = AtomicU64::new(0);
    let progress = |rows: u64| {
        done.fetch_add(rows, Ordering::Relaxed);
        if let Some(b) = &bar {
            b.inc(rows);
        }
    };

    let encoder = match &database {
        Some(db) => db.encoder(),
        None => Encoder::new(args.format, args.compress),
    };
    let started = Instant::now();
    let mut reports = Vec::new();
    for &t in &selected {
        let table = &plan.tables[t];
        if let Some(b) = &bar {
            b.set_message(table.name.to_string());
        }
        let units = rt.index[t].units();
        // One output per shard of the table; the whole table when not sharded.
        let pieces: Vec<Piece> = if shards.is_empty() {
            vec![(None, 0..units)]
        } else {
            shards.iter().map(|&(i, n)| (Some((i, n)), (units * i / n)..(units * (i + 1) / n))).collect()
        };
        for (shard, range) in pieces {
            let dest = if let Some(s) = &session {
                let index = selected.iter().position(|&x| x == t).expect("a selected table");
                Destination::Table(Arc::clone(s), index)
            } else if to_stdout {
                Destination::Stdout
            } else {
                Destination::File(out_dir.join(output_file(&table.name, shard, &args)))
            };
            let target = match &dest {
                Destination::File(p) => ctx.target_path(p)?,
                Destination::Stdout => ctx.target("-", false)?,
                Destination::Table(..) => db_target.clone().expect("a database target"),
            };
            let gate = ctx.gate(target, args.schema.as_deref().unwrap_or(Path::new(&plan.name)));
            let (finished, report) = match run_table(&rt, t, range, &gate, &encoder, &dest, &progress, &cancel) {
                Ok(done) => done,
                Err(e) => {
                    if e.kind() == ErrorKind::Refused {
                        delivery.refuse(&plan.source, gate.target(), &gate.tally())?;
                    }
                    // Dropped, the delivery rolls back every output of the run.
                    return Err(e);
                }
            };
            let columns = table.columns.iter().map(|c| (c.name.to_string(), Lineage::Synthetic)).collect();
            delivery.add(Delivered {
                input: plan.source.clone(),
                dest,
                target: gate.target().clone(),
                columns,
                tally: gate.tally(),
                finished,
            });
            reports.push(report);
        }
    }
    let committed = delivery.commit()?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if !args.quiet && !to_stdout {
        let secs = started.elapsed().as_secs_f64();
        let rows: u64 = reports.iter().map(|r| r.rows).sum();
        let bytes: u64 = reports.iter().map(|r| r.bytes).sum();
        for (r, c) in reports.iter().zip(&committed) {
            match &c.dest {
                Destination::File(p) => {
                    eprintln!("{:>14} rows  {:>10}  {}", group(r.rows), human_bytes(r.bytes), p.display())
                }
                Destination::Table(s, t) => eprintln!(
                    "{:>14} rows  {:>10}  {} table {}",
                    group(r.rows),
                    human_bytes(r.bytes),
                    s.params().shown(),
                    s.tables()[*t].name
                ),
                Destination::Stdout => {}
            }
        }
        eprintln!(
            "{:>14} rows  {:>10}  in {secs:.2}s ({} rows/s, {}/s), seed {}",
            group(rows),
            human_bytes(bytes),
            group((rows as f64 / secs.max(1e-9)) as u64),
            human_bytes((bytes as f64 / secs.max(1e-9)) as u64),
            plan.seed
        );
    }
    Ok(0)
}

/// The tables of a database load, in load order: types and nulls from the plan; a `sequence`
/// column is the primary key and a `ref` to a table of the same load a foreign key (used by
/// `--create`).
fn table_specs(plan: &Plan, selected: &[usize]) -> Vec<TableSpec> {
    let names: Vec<&str> = selected.iter().map(|&t| &*plan.tables[t].name).collect();
    selected
        .iter()
        .map(|&t| {
            let table = &plan.tables[t];
            let primary_key = table
                .columns
                .iter()
                .find(|c| c.unique.is_some() && c.null == 0.0 && c.describe.starts_with("sequence"))
                .map(|c| c.name.to_string())
                .into_iter()
                .collect();
            let foreign_keys = table
                .columns
                .iter()
                .filter_map(|c| {
                    let (parent, column) = c.describe.strip_prefix("ref ")?.rsplit_once('.')?;
                    names.contains(&parent).then(|| ForeignKey {
                        columns: vec![c.name.to_string()],
                        parent: parent.to_string(),
                        parent_columns: vec![column.to_string()],
                    })
                })
                .collect();
            TableSpec {
                name: table.name.to_string(),
                columns: table
                    .columns
                    .iter()
                    .map(|c| {
                        // A self-reference's first row has no earlier row to point at: null.
                        let self_ref = c
                            .describe
                            .strip_prefix("ref ")
                            .and_then(|r| r.rsplit_once('.'))
                            .is_some_and(|(parent, _)| parent == &*table.name);
                        ColumnSpec {
                            name: c.name.to_string(),
                            dtype: c.dtype,
                            nullable: c.null > 0.0 || self_ref,
                            loose: false,
                        }
                    })
                    .collect(),
                primary_key,
                foreign_keys,
            }
        })
        .collect()
}

/// The file one table (or one shard of it) is written to: `<table>[-0000i-of-0000N].<ext>`.
fn output_file(table: &str, shard: Option<(u64, u64)>, args: &Args) -> String {
    let mut file = table.to_string();
    if let Some((i, n)) = shard {
        file.push_str(&format!("-{i:05}-of-{n:05}"));
    }
    file.push('.');
    file.push_str(args.format.extension());
    if args.format != Format::Parquet {
        file.push_str(args.compress.suffix());
    }
    file
}

/// Refuses the run (exit 3) when a value written literally in the schema holds personal data
/// by any rule, as a column read from a file would: a choice list of real-looking full names,
/// an email at a real domain, a card number in a scenario. The message names the schema file,
/// line, table and column, and shows the value masked.
///
/// Rules that report only in a column named for them (`requires_hint`: a lone given name in
/// `first_name`, a date in `date_of_birth`, a coordinate) do not refuse a literal: they say what
/// the column means, and such a value alone identifies nobody. That is what test scenarios spell
/// out ("Zoë", born on 29 February); whatever identifies by itself still refuses.
fn judge_literals(ctx: &Context, plan: &Plan, target: &Target, schema: &Path) -> Result<(), Error> {
    // One batch per column, its literals in schema order.
    let mut groups: Vec<(&str, &str, Vec<&SchemaLiteral>)> = Vec::new();
    for l in &plan.literals {
        match groups.iter_mut().find(|(t, c, _)| *t == &*l.table && *c == &*l.column) {
            Some((_, _, ls)) => ls.push(l),
            None => groups.push((&l.table, &l.column, vec![l])),
        }
    }
    let gate = ctx.gate(target.clone(), schema);
    let mut problems = String::new();
    for (table, column, literals) in &groups {
        let mut values = StrBuf::default();
        for l in literals {
            values.push(&l.text);
        }
        let batch = Batch {
            table: Arc::from(*table),
            first_row: 0,
            rows: literals.len(),
            columns: vec![Column::new(Arc::from(*column), Lineage::Input, Values::Utf8(values), None)],
        };
        let Err(refusal) = gate.clear(batch) else { continue };
        let hint_only = |rule: &str| gate.detector().rules.get(rule).is_some_and(|r| r.requires_hint);
        for p in refusal.problems.iter().filter(|p| !hint_only(&p.rule)) {
            problems.push_str(&format!(
                "\n  table `{table}`, column `{column}`: {} value(s) of personal data, {} (rule {})",
                p.cells, p.entity, p.rule
            ));
            for s in &p.samples {
                // Sample rows are 1-based positions among this column's literals.
                if let Some(l) = literals.get(s.row.saturating_sub(1) as usize) {
                    problems.push_str(&format!("\n      {}:{} ({}): {}", plan.source, l.line, l.kind, s.masked));
                }
            }
        }
    }
    // Table and column names are names too: file names, headers and database tables carry
    // them, and a database's messages may name them before the first row is judged.
    let names = plan
        .tables
        .iter()
        .flat_map(|t| std::iter::once(("table", &*t.name)).chain(t.columns.iter().map(|c| ("column", &*c.name))));
    problems.push_str(&super::load::name_problems(gate.detector(), names));
    if problems.is_empty() {
        return Ok(());
    }
    ctx.records().audit("generate", &plan.source, None, target, Outcome::Refused, &gate.tally())?;
    eprintln!(
        "refused: {} spells out values that hold personal data; a value written in the schema is judged as \
         input, so it may not go to {} ({}): nothing was written{problems}",
        plan.source,
        target.location,
        target.environment_name()
    );
    Err(Error::new(
        ErrorKind::Refused,
        format!("{}: replace the literal values above with a generator (or reserved values)", plan.source),
    ))
}

/// `1234567` → `1,234,567`.
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn human_bytes(b: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KB", "MB", "GB", "TB"];
    let mut x = b as f64;
    let mut u = 0;
    while x >= 1000.0 && u < UNITS.len() - 1 {
        x /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{b} B")
    } else {
        format!("{x:.1} {}", UNITS[u])
    }
}
