//! What every command that loads tables into a database shares (`generate`, `copy`, `scrub`):
//! the flags, the target it is judged as, the names judged before any DDL, the encoder.

use std::sync::Arc;

use synthgate::audit::Outcome;
use synthgate::error::{Error, ErrorKind};
use synthgate::gate::Target;
use synthgate::sink::db::text::Flavour;
use synthgate::sink::db::{IfExists, Kind, LoadOptions, Params, Session, TableSpec};
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
        let mut params = Params::parse(url)?;
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

    /// Connects and prepares `tables` (parents first) in one transaction, after judging every
    /// table and column name: a database names them in DDL and in its messages before any row
    /// is judged, so a name that holds personal data stops the run before anything is created.
    /// A refusal is audited as `command` reading `input`.
    pub fn open(
        &self,
        ctx: &Context,
        (command, input): (&str, &str),
        tables: Vec<TableSpec>,
        opts: LoadOptions,
    ) -> Result<Arc<Session>, Error> {
        if !self.target.is_production() {
            if let Err(e) = judge_names(ctx, &tables) {
                ctx.records().audit(command, input, None, &self.target, Outcome::Refused, &[])?;
                return Err(e);
            }
        }
        Session::open(self.params.clone(), tables, opts)
    }

    /// What the session's sinks take: tab-separated text in the database's spelling.
    pub fn encoder(&self) -> Encoder {
        encoder(self.params.kind)
    }
}

pub fn encoder(kind: Kind) -> Encoder {
    Encoder::new(Format::Table(if kind == Kind::Mysql { Flavour::Mysql } else { Flavour::Postgres }), Compression::None)
}

/// Refuses (exit 3) when a table or column name holds personal data; the names are shown
/// masked.
pub fn judge_names(ctx: &Context, tables: &[TableSpec]) -> Result<(), Error> {
    let mut problems = String::new();
    let names = tables
        .iter()
        .flat_map(|t| std::iter::once(("table", &*t.name)).chain(t.columns.iter().map(|c| ("column", &*c.name))));
    for (kind, name) in names {
        for (r, _) in ctx.detector.scan_name(name) {
            let rule = &ctx.detector.rules.rules[r];
            problems.push_str(&format!(
                "\n  {kind} name `{}`: {} (rule {})",
                ctx.detector.shown(name),
                rule.entity,
                rule.id
            ));
        }
    }
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
