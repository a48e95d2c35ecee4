//! `synthgate schema import`: a database's schema (live, or a DDL file) → a synthgate schema.

use std::path::PathBuf;

use synthgate::detect::scan::Detector;
use synthgate::env::Environments;
use synthgate::error::{Error, ErrorKind};
use synthgate::schema::import::{self, merge, DbSchema, Dialect, MapOptions};
use synthgate::sink::db::{introspect, Params};
use synthgate::sink::{Staged, Staging};
use synthgate::target::Location;

#[derive(clap::Args)]
pub struct Args {
    /// The database to read: postgres://host/db[?schema=name], mysql://host/db, sqlite://file.db.
    #[arg(required_unless_present = "ddl", conflicts_with = "ddl", value_name = "URL")]
    url: Option<String>,
    /// Read a DDL file instead (pg_dump -s, mysqldump --no-data, migrations, .schema).
    #[arg(long, value_name = "FILE", requires = "dialect")]
    ddl: Option<PathBuf>,
    /// The DDL file's dialect: postgres, mysql (MariaDB too) or sqlite.
    #[arg(long, value_parser = parse_dialect)]
    dialect: Option<Dialect>,
    /// PostgreSQL DDL: the schema whose tables keep bare names (those of other schemas are
    /// named `schema.table`); a live database's is its URL's `?schema=`, else the search path's.
    #[arg(long, requires = "ddl", default_value = "public", value_name = "NAME")]
    schema: String,
    /// Write the schema here (default: standard output). An existing file keeps the edits
    /// made to it where the database did not change; the differences are listed.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Locale of names, addresses and phones: en, en_GB, fr_FR, de_DE, it_IT, nl_NL, pt_BR.
    #[arg(long, default_value = "en_GB")]
    locale: String,
    /// Row counts from the database's statistics (PostgreSQL reltuples, MariaDB TABLE_ROWS,
    /// SQLite count(*)) instead of the defaults (500 per table without foreign keys, 2,000
    /// with, children per parent row for composite keys).
    #[arg(long)]
    rows_from_stats: bool,
    /// The schema's seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The schema's name (default: the database's or the file's).
    #[arg(long)]
    name: Option<String>,
    /// Environments file: its `[[credentials]]` say who the database is reached as.
    #[arg(long, value_name = "FILE")]
    env_file: Option<PathBuf>,
    /// Extra rule files or directories: what judges the text written into the schema, and
    /// whose column hints choose identifier generators (added to, or overriding, the defaults).
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// No summary on standard error.
    #[arg(long, short)]
    quiet: bool,
}

fn parse_dialect(s: &str) -> Result<Dialect, String> {
    match s.to_ascii_lowercase().as_str() {
        "postgres" | "postgresql" | "pg" => Ok(Dialect::Postgres),
        "mysql" | "mariadb" => Ok(Dialect::Mysql),
        "sqlite" | "sqlite3" => Ok(Dialect::Sqlite),
        _ => Err(format!("unknown dialect `{s}`; valid: postgres, mysql, sqlite")),
    }
}

pub fn run(args: Args) -> Result<u8, Error> {
    if synthgate::generate::locale::locale(&args.locale).is_none() {
        return Err(Error::usage(format!(
            "unknown locale `{}`; valid: {}",
            args.locale,
            synthgate::generate::locale::LOCALE_CODES.join(", ")
        )));
    }
    let started = std::time::Instant::now();
    // What judges every text the import writes or says: the schema file, the summary, errors.
    let detector = Detector::new(super::rules::load(&args.rules)?);
    let (schema, dialect, default_name): (DbSchema, Dialect, String) = match (&args.url, &args.ddl) {
        (_, Some(path)) => {
            let dialect = args.dialect.expect("clap requires --dialect with --ddl");
            let text = std::fs::read_to_string(path).map_err(|e| Error::io("cannot read", path, e))?;
            let shown = path.display().to_string();
            // The parser's message quotes the token it stopped at: masked where it looks personal.
            let mut s = import::ddl::parse(&text, dialect, &shown).map_err(|e| {
                Error::usage(format!(
                    "{}:{}:{}: {}",
                    detector.shown_path(&shown),
                    e.line,
                    e.column,
                    detector.shown(&e.message)
                ))
            })?;
            // Tables of `--schema` keep bare names; those of other schemas are `schema.table`.
            if dialect == Dialect::Postgres {
                s.default_schema = Some(args.schema.clone());
            }
            let name = path.file_stem().map_or("schema".into(), |s| s.to_string_lossy().into_owned());
            (s, dialect, name)
        }
        (Some(url), None) => {
            let params = params(url, args.env_file.as_deref())?;
            // A driver's or parser's message may quote what it read: masked where it looks personal.
            let s = introspect::read(&params, args.rows_from_stats)
                .map_err(|e| Error::new(e.kind(), detector.shown(e.message()).into_owned()))?;
            let name = match &params.path {
                Some(p) => p.file_stem().map_or("schema".into(), |s| s.to_string_lossy().into_owned()),
                None => params.database.clone(),
            };
            (s, introspect::dialect(params.kind), name)
        }
        (None, None) => unreachable!("clap requires a URL or --ddl"),
    };
    if schema.tables.is_empty() {
        return Err(Error::usage(format!("{}: no tables found to import", schema.source)));
    }
    let looks_personal = |s: &str| !detector.scan_name(s).is_empty();
    // The entity the rules' column hints give a column name, the most confident first.
    let hint = |name: &str| -> Option<String> {
        let col = detector.column(name, synthgate::batch::Lineage::Input);
        let rules = &detector.rules.rules;
        (0..rules.len())
            .filter(|&i| col.hinted[i])
            .max_by(|&a, &b| rules[a].confidence.total_cmp(&rules[b].confidence))
            .map(|i| rules[i].entity.to_string())
    };
    let name: String = args
        .name
        .clone()
        .unwrap_or(default_name)
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '_' || c == '-' { c } else { '_' })
        .collect();
    let imported = import::map(
        &schema,
        &MapOptions {
            dialect,
            name,
            locale: args.locale.clone(),
            seed: args.seed,
            rows_from_stats: args.rows_from_stats,
            looks_personal: &looks_personal,
            hint: &hint,
        },
    );
    let (text, changes) = match &args.out {
        Some(path) if path.exists() => {
            let old = std::fs::read_to_string(path).map_err(|e| Error::io("cannot read", path, e))?;
            let (merged, changes) = merge::merge(&old, &imported.toml);
            (merged, Some(changes))
        }
        _ => (imported.toml.clone(), None),
    };
    // Every line of the file is judged before it is written (the user's kept lines too): a
    // value that looks personal (a label, a comment, a check's literal) stops the import.
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        for (r, _) in detector.scan_name(line) {
            let rule = &detector.rules.rules[r];
            problems.push(format!("  line {}: {} (rule {})", i + 1, rule.entity, rule.id));
        }
    }
    if !problems.is_empty() {
        return Err(Error::new(
            ErrorKind::Refused,
            format!(
                "refused: the imported schema would hold text that looks like personal data:\n{}\nnothing was written",
                problems.join("\n")
            ),
        ));
    }
    // The schema must compile: an import that writes a file `generate` rejects helps nobody.
    if let Err(e) = synthgate::schema::compile_str("the imported schema", &text, &synthgate::schema::Options::default())
    {
        return Err(match (&changes, &args.out) {
            // The user's edits, kept, may be what breaks it.
            (Some(_), Some(path)) => Error::usage(format!(
                "{} with your edits kept does not compile: {}; nothing was written (fix the file, or import into a new one)",
                path.display(),
                e.message()
            )),
            _ => Error::new(
                ErrorKind::Io,
                format!("the imported schema does not compile (a defect in schema import): {}", e.message()),
            ),
        });
    }
    let mut staging = Staging::default();
    let mut staged = match &args.out {
        Some(p) if p.as_os_str() != "-" => Staged::create(p)?,
        _ => Staged::stdout()?,
    };
    staged.write_all(text.as_bytes())?;
    staging.add(staged.finish()?);
    staging.commit()?;
    if !args.quiet {
        let mut s = format!(
            "imported {} tables, {} columns from {} in {:.2}s",
            imported.tables,
            imported.columns,
            schema.source,
            started.elapsed().as_secs_f64()
        );
        if let Some(p) = &args.out {
            s.push_str(&format!(" → {}", p.display()));
        }
        eprintln!("{s}");
        if !imported.notes.is_empty() {
            eprintln!("{} compromises, skipped objects and columns to review:", imported.notes.len());
            for n in &imported.notes {
                // Names come from the database: masked where they look personal.
                eprintln!("  {}", detector.shown(&format!("{}: {}", n.at, n.what)));
            }
        }
        match changes {
            Some(c) if c.is_empty() => eprintln!("no change against the existing file; your edits are kept"),
            Some(c) => {
                eprintln!("{} differences against the existing file (your other edits are kept):", c.len());
                for line in c {
                    eprintln!("  {}", detector.shown(&line));
                }
            }
            None => {}
        }
    }
    Ok(0)
}

fn params(url: &str, env_file: Option<&std::path::Path>) -> Result<Params, Error> {
    let env = match env_file {
        Some(p) => Environments::load(p)?,
        None => Environments::default(),
    };
    match Location::parse(url)? {
        Location::Database(d) => super::namespace::log_in(Params::parse(&d)?, &env),
        _ => Err(Error::usage(format!(
            "`{}` is not a database URL (postgres://…/db, mysql://…/db, sqlite://file.db); for a DDL file use --ddl FILE --dialect D",
            synthgate::env::redact(url)
        ))),
    }
}
