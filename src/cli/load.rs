//! What every command that loads tables into a database shares (`generate`, `copy`, `scrub`):
//! the flags, the target it is judged as, the names judged before any DDL, the encoder.

use std::sync::Arc;

use synthgate::audit::Outcome;
use synthgate::detect::Detector;
use synthgate::error::{Error, ErrorKind};
use synthgate::gate::Target;
use synthgate::sink::db::text::Flavour;
use synthgate::sink::db::{namespace, IfExists, Kind, LoadOptions, Params, Session, TableSpec};
use synthgate::sink::{Compression, Encoder, Format};
use synthgate::target::{self, DatabaseUrl};

use super::context::Context;

#[derive(clap::Args, Clone, Debug)]
pub struct LoadArgs {
    /// Databases: create the tables that do not exist (primary keys, foreign keys).
    #[arg(long)]
    pub create: bool,
    /// Databases: what to do with a table that already holds rows.
    #[arg(long, value_enum, default_value = "fail", value_name = "MODE")]
    pub if_exists: IfExists,
    /// Databases: write into this namespace of the target (a PostgreSQL schema, a MariaDB
    /// database, an SQLite file beside the target's), created on demand and recorded; judged as
    /// the target itself. See `synthgate namespace`.
    #[arg(long, value_name = "NAME")]
    pub namespace: Option<String>,
    /// With --namespace: how long it lives (7d, 12h, 30m); `namespace gc` drops it after.
    #[arg(long, value_name = "DURATION", value_parser = namespace::parse_ttl, requires = "namespace")]
    pub ttl: Option<i64>,
}

impl LoadArgs {
    pub fn options(&self) -> LoadOptions {
        LoadOptions { create: self.create, if_exists: self.if_exists }
    }
}

/// A database to load, and the target it is judged as: its URL without credentials, or an
/// SQLite file by its path, resolved once (links, `..`) so that the file judged is the file
/// opened.
pub struct Db {
    pub params: Params,
    pub target: Target,
}

impl Db {
    pub fn resolve(ctx: &Context, url: &DatabaseUrl) -> Result<Db, Error> {
        let mut params = ctx.database(url)?;
        let target = if params.kind == Kind::Sqlite {
            let path = target::resolve_file(params.path.as_deref().expect("an SQLite file"))?;
            let t = ctx.target_path(&path)?;
            params.path = Some(path);
            t
        } else {
            ctx.target(&params.location(), false)?
        };
        Ok(Db { params, target })
    }

    /// Connects and prepares `tables` (parents first) in one transaction, in the namespace
    /// `load` names if any (created and recorded first), after judging every table and column
    /// name and the namespace's: a database names them in DDL and in its messages before any
    /// row is judged, so a name that holds personal data stops the run before anything is
    /// created. A refusal is audited as `command` reading `input`.
    pub fn open(
        &self,
        ctx: &Context,
        (command, input): (&str, &str),
        tables: Vec<TableSpec>,
        load: &LoadArgs,
    ) -> Result<Arc<Session>, Error> {
        if !self.target.is_production() {
            let namespace = load.namespace.as_deref().filter(|ns| !ctx.detector.scan_name(ns).is_empty()).map(|ns| {
                Error::new(
                    ErrorKind::Refused,
                    format!("the namespace name `{}` holds personal data; nothing was written", ctx.detector.shown(ns)),
                )
            });
            if let Some(e) = namespace.map_or_else(|| judge_names(ctx, &tables).err(), Some) {
                ctx.records().audit(command, input, None, &self.target, Outcome::Refused, &[])?;
                return Err(e);
            }
        }
        // `schema.table` names a PostgreSQL schema of its own: nowhere else, and not inside a
        // namespace (which is one schema: the table would land outside it).
        if let Some(t) = tables.iter().find(|t| t.name.contains('.')) {
            if self.params.kind != Kind::Postgres {
                return Err(Error::usage(format!(
                    "table `{}` names a schema; tables in other schemas load into PostgreSQL only (choose tables with --table)",
                    t.name
                )));
            }
            if load.namespace.is_some() {
                return Err(Error::usage(format!(
                    "table `{}` is in a schema of its own, outside any namespace; load it without --namespace, or leave it out with --table",
                    t.name
                )));
            }
        }
        let params = match &load.namespace {
            Some(ns) => namespace::open(&self.params, ns, load.ttl)?,
            None => self.params.clone(),
        };
        Session::open(params, tables, load.options())
    }

    /// What the session's sinks take: tab-separated text in the database's spelling.
    pub fn encoder(&self) -> Encoder {
        encoder(self.params.kind)
    }
}

pub fn encoder(kind: Kind) -> Encoder {
    Encoder::new(Format::Table(flavour(kind)), Compression::None)
}

/// How the database spells booleans and timestamps in the text it loads.
pub fn flavour(kind: Kind) -> Flavour {
    if kind == Kind::Mysql {
        Flavour::Mysql
    } else {
        Flavour::Postgres
    }
}

/// Refuses (exit 3) when a table or column name holds personal data; the names are shown
/// masked.
pub fn judge_names(ctx: &Context, tables: &[TableSpec]) -> Result<(), Error> {
    let names = tables
        .iter()
        .flat_map(|t| std::iter::once(("table", &*t.name)).chain(t.columns.iter().map(|c| ("column", &*c.name))));
    let problems = name_problems(&ctx.detector, names);
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::Refused,
        format!(
            "refused: names that would be written to the database hold personal data:{problems}\nnothing was written"
        ),
    ))
}

/// One line for each rule a table or column name trips (`\n  table name `…`: entity (rule
/// id)`), the name masked; empty when none does.
pub fn name_problems<'a>(detector: &Detector, names: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut problems = String::new();
    for (kind, name) in names {
        for (r, _) in detector.scan_name(name) {
            let rule = &detector.rules.rules[r];
            problems.push_str(&format!(
                "\n  {kind} name `{}`: {} (rule {})",
                detector.shown(name),
                rule.entity,
                rule.id
            ));
        }
    }
    problems
}
