//! Database sinks: PostgreSQL through `COPY … FROM STDIN`, MariaDB/MySQL through
//! `LOAD DATA LOCAL INFILE` streamed from memory (multi-row `INSERT` where the server forbids
//! it), SQLite through one prepared `INSERT` in one transaction.
//!
//! A run that writes to a database opens one [`Session`]: a thread of its own that holds the
//! connection and the run's transaction. Each table's [`Sink`] streams its cleared, encoded
//! chunks to that thread; nothing is visible to anyone else until the run's
//! [`crate::pipeline::Delivery`] commits, after writing the signed manifest into the
//! `synthgate_manifests` table in the same transaction. A refusal, an error, Ctrl-C or a lost
//! connection drops the session, and the transaction rolls back. (MariaDB commits DDL at once:
//! tables a run created are dropped again when it fails; see [`mysql`].)

pub mod catalog;
pub mod digest;
pub mod introspect;
mod mysql;
pub mod namespace;
mod params;
mod postgres;
pub mod read;
mod sqlite;
pub mod text;

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

pub use params::{Kind, Params, Tls};

use crate::batch::DataType;
use crate::error::{Error, ErrorKind};

use super::{Encoded, Finished, Payload};

/// A table as the run will load it.
#[derive(Clone, Debug)]
pub struct TableSpec {
    pub name: String,
    pub columns: Vec<ColumnSpec>,
    /// Made the primary key by `--create` (one integer column becomes an identity column
    /// there); empty for none.
    pub primary_key: Vec<String>,
    pub foreign_keys: Vec<ForeignKey>,
}

#[derive(Clone, Debug)]
pub struct ColumnSpec {
    pub name: String,
    pub dtype: DataType,
    pub nullable: bool,
    /// Text the database parses into whatever type the column has (a CSV column loaded into
    /// an existing table): its type is not checked beforehand, the database checks each value.
    pub loose: bool,
}

#[derive(Clone, Debug)]
pub struct ForeignKey {
    /// One column, or several for a composite key (in the order of `parent_columns`).
    pub columns: Vec<String>,
    pub parent: String,
    pub parent_columns: Vec<String>,
}

/// What to do with a table that already exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum IfExists {
    /// Stop (exit 2) when the table already holds rows; an empty table is loaded.
    Fail,
    /// Delete its rows first (in the run's transaction).
    Truncate,
    /// Add the new rows to those there.
    Append,
}

#[derive(Clone, Copy, Debug)]
pub struct LoadOptions {
    /// Create the tables that do not exist (with primary and foreign keys).
    pub create: bool,
    pub if_exists: IfExists,
}

/// What each database does, on the session's thread.
trait Loader {
    /// Checks (or creates) the tables and empties them where asked; no rows yet.
    fn prepare(&mut self, tables: &[TableSpec], opts: &LoadOptions) -> Result<(), Error>;
    /// Loads the chunks `pieces` yields (tab-separated text, see [`text`]) into `table`;
    /// returns the rows loaded.
    fn load(&mut self, table: &TableSpec, pieces: &Pieces) -> Result<u64, Error>;
    /// Moves sequences past the loaded keys, stores the signed manifest and commits.
    fn commit(&mut self, tables: &[TableSpec], manifest: &str) -> Result<(), Error>;
    /// Undoes what the transaction cannot (MariaDB's DDL). The transaction itself rolls back
    /// when the loader is dropped.
    fn undo(&mut self) {}
    /// PostgreSQL: the run's transaction id as rows carry it in `xmin` (32 bits).
    fn transaction(&self) -> Option<u64> {
        None
    }
}

/// The session thread's inbox.
enum Cmd {
    Table(usize),
    Piece(Vec<u8>),
    EndTable,
    Commit(String),
}

/// The chunks of the table being loaded, as the session thread receives them.
pub(crate) struct Pieces {
    rx: Arc<Mutex<Receiver<Cmd>>>,
}

impl Pieces {
    /// The next chunk of the current table; `None` at its end. An abandoned run (the sender
    /// gone) is an error, so the load stops without committing anything.
    pub(crate) fn next(&self) -> Result<Option<Vec<u8>>, Error> {
        match self.rx.lock().expect("session inbox").recv() {
            Ok(Cmd::Piece(p)) => Ok(Some(p)),
            Ok(Cmd::EndTable) => Ok(None),
            Ok(_) => Err(Error::new(ErrorKind::Io, "the load was sent out of order")),
            Err(_) => Err(Error::interrupted()),
        }
    }
}

/// One run's connection and transaction, on a thread of its own.
pub struct Session {
    params: Params,
    tables: Vec<TableSpec>,
    /// PostgreSQL: the run's transaction id as the rows it writes carry it in `xmin`.
    xmin: Option<u64>,
    tx: Mutex<Option<SyncSender<Cmd>>>,
    replies: Mutex<Receiver<Result<u64, Error>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Session({})", self.params.shown())
    }
}

impl Session {
    /// Connects, begins the run's transaction, and checks, creates or empties `tables` (in
    /// this order, parents first). Connection errors are exit 4, naming host and database and
    /// never the password; a table that does not fit is exit 2.
    pub fn open(params: Params, tables: Vec<TableSpec>, opts: LoadOptions) -> Result<Arc<Session>, Error> {
        let (tx, rx) = sync_channel::<Cmd>(4);
        let (reply_tx, replies) = sync_channel::<Result<u64, Error>>(1);
        let rx = Arc::new(Mutex::new(rx));
        let (p, specs) = (params.clone(), tables.clone());
        let thread = std::thread::Builder::new()
            .name("synthgate-db".into())
            .spawn(move || serve(p, specs, opts, rx, reply_tx))
            .map_err(|e| Error::new(ErrorKind::Io, format!("cannot start the database session: {e}")))?;
        let mut session = Session {
            params,
            tables,
            xmin: None,
            tx: Mutex::new(Some(tx)),
            replies: Mutex::new(replies),
            thread: Mutex::new(Some(thread)),
        };
        session.xmin = Some(session.reply()?).filter(|x| *x != 0);
        Ok(Arc::new(session))
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn tables(&self) -> &[TableSpec] {
        &self.tables
    }

    /// PostgreSQL: the `xmin` every row this run writes carries (see
    /// [`crate::manifest::FileEntry::xmin`]).
    pub fn xmin(&self) -> Option<u64> {
        self.xmin
    }

    fn send(&self, cmd: Cmd) -> Result<(), Error> {
        let sent = match self.tx.lock().expect("session sender").as_ref() {
            Some(tx) => tx.send(cmd).is_ok(),
            None => false,
        };
        if sent {
            Ok(())
        } else {
            // The thread stopped: its reply says why.
            Err(self.reply().err().unwrap_or_else(|| Error::new(ErrorKind::Io, "the database session ended")))
        }
    }

    fn reply(&self) -> Result<u64, Error> {
        match self.replies.lock().expect("session replies").recv() {
            Ok(r) => r,
            Err(_) => Err(Error::new(ErrorKind::Io, format!("the connection to {} was lost", self.params.shown()))),
        }
    }

    /// A sink for table `index` of the session's tables. One table at a time.
    pub fn sink(self: &Arc<Session>, index: usize) -> Result<Box<dyn super::Sink>, Error> {
        self.send(Cmd::Table(index))?;
        Ok(Box::new(TableSink { session: Arc::clone(self), rowset: Default::default(), bytes: 0, rows: 0 }))
    }

    /// Commits the run: sequences, then the signed manifest (JSON) into `synthgate_manifests`,
    /// then the transaction.
    pub fn commit(&self, manifest: String) -> Result<(), Error> {
        self.send(Cmd::Commit(manifest))?;
        self.reply()?;
        self.close();
        Ok(())
    }

    /// Ends the thread; without a commit, the transaction rolls back.
    fn close(&self) {
        self.tx.lock().expect("session sender").take();
        if let Some(t) = self.thread.lock().expect("session thread").take() {
            let _ = t.join();
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.close();
    }
}

/// The session thread: connect and prepare, then load tables as they come, then commit; any
/// error is the last reply, and the transaction rolls back when the loader is dropped.
fn serve(
    params: Params,
    tables: Vec<TableSpec>,
    opts: LoadOptions,
    rx: Arc<Mutex<Receiver<Cmd>>>,
    reply: SyncSender<Result<u64, Error>>,
) {
    let mut loader: Box<dyn Loader> = match connect(&params, Arc::clone(&rx)) {
        Ok(l) => l,
        Err(e) => {
            let _ = reply.send(Err(e));
            return;
        }
    };
    let result = loader.prepare(&tables, &opts);
    let failed = result.is_err();
    let _ = reply.send(result.map(|()| loader.transaction().unwrap_or(0)));
    if failed {
        loader.undo();
        return;
    }
    let pieces = Pieces { rx: Arc::clone(&rx) };
    loop {
        let cmd = rx.lock().expect("session inbox").recv();
        let outcome = match cmd {
            Ok(Cmd::Table(i)) => loader.load(&tables[i], &pieces),
            Ok(Cmd::Commit(manifest)) => {
                let r = loader.commit(&tables, &manifest).map(|()| 0);
                let ok = r.is_ok();
                let _ = reply.send(r);
                if !ok {
                    loader.undo();
                }
                return;
            }
            Ok(_) => Err(Error::new(ErrorKind::Io, "the load was sent out of order")),
            // The run was abandoned (a refusal, an error, Ctrl-C): roll back.
            Err(_) => {
                loader.undo();
                return;
            }
        };
        let failed = outcome.is_err();
        if reply.send(outcome).is_err() || failed {
            loader.undo();
            return;
        }
    }
}

fn connect(params: &Params, rx: Arc<Mutex<Receiver<Cmd>>>) -> Result<Box<dyn Loader>, Error> {
    Ok(match params.kind {
        Kind::Postgres => Box::new(postgres::Pg::connect(params)?),
        Kind::Mysql => Box::new(mysql::My::connect(params, rx)?),
        Kind::Sqlite => Box::new(sqlite::Lite::open(params)?),
    })
}

/// A driver's error with the causes it wraps (PostgreSQL's driver says only "db error" and
/// keeps the server's message as its cause).
pub(crate) fn why(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cause = c.source();
    }
    s
}

/// The TLS connector a connection with `params` uses: certificates checked as `params.tls`
/// says, against `sslrootcert` when given, else the system's authorities.
pub(crate) fn tls_connector(params: &Params) -> Result<native_tls::TlsConnector, Error> {
    let mut b = native_tls::TlsConnector::builder();
    match params.tls {
        Tls::Disable | Tls::Prefer | Tls::Require => {
            b.danger_accept_invalid_certs(true).danger_accept_invalid_hostnames(true);
        }
        Tls::VerifyCa => {
            b.danger_accept_invalid_hostnames(true);
        }
        Tls::VerifyFull => {}
    }
    if let Some(path) = &params.root_cert {
        let pem = std::fs::read(path)
            .map_err(|e| Error::config(format!("cannot read the root certificate {}: {e}", path.display())))?;
        let cert = native_tls::Certificate::from_pem(&pem)
            .map_err(|e| Error::usage(format!("{}: not a PEM certificate: {e}", path.display())))?;
        b.add_root_certificate(cert);
    }
    b.build().map_err(|e| unreachable(params, why(&e)))
}

/// A connection-level failure: exit 4, naming the database (never the password).
pub(crate) fn unreachable(params: &Params, what: impl std::fmt::Display) -> Error {
    let what = scrub(params, &what.to_string());
    Error::new(ErrorKind::Io, format!("cannot connect to {}: {what}", params.shown()))
}

/// A failure while loading: exit 4, naming the database and table.
pub(crate) fn failed(params: &Params, table: &str, what: impl std::fmt::Display) -> Error {
    let what = scrub(params, &what.to_string());
    Error::new(ErrorKind::Io, format!("{} table `{table}`: {what}; nothing was committed", params.shown()))
}

/// A driver's message, without the password should the driver ever quote it, and without the
/// failing row: a database names the value it could not store, which may be anything.
pub(crate) fn scrub(params: &Params, message: &str) -> String {
    let mut m = message.to_string();
    if let Some(p) = params.password().filter(|p| !p.is_empty()) {
        m = m.replace(p, "***");
    }
    // PostgreSQL's `CONTEXT: COPY t, line 3: "…"`, MariaDB's `… value '…'` and
    // `Duplicate entry '…'` quote the row.
    for marker in [", line ", " value '", " for value ", " entry '", ": \"", "\nDETAIL:", "DETAIL:"] {
        if let Some(at) = m.find(marker) {
            m.truncate(at);
        }
    }
    m.trim().to_string()
}

/// One table's chunks, on their way to the session thread.
struct TableSink {
    session: Arc<Session>,
    /// What the manifest vouches for: the rows sent (see [`digest`]).
    rowset: digest::RowSet,
    bytes: u64,
    rows: u64,
}

impl super::sealed::Sealed for TableSink {}

impl super::Sink for TableSink {
    fn write(&mut self, chunk: Encoded) -> Result<(), Error> {
        self.rows += chunk.rows as u64;
        match chunk.payload {
            Payload::Bytes(b) => {
                match &chunk.rowset {
                    Some(r) => self.rowset.merge(r),
                    None => self.rowset.add_text(&b),
                }
                self.bytes += b.len() as u64;
                self.session.send(Cmd::Piece(b))
            }
            Payload::Frame(_) => unreachable!("database sinks get text from their encoder"),
        }
    }

    fn finish(self: Box<Self>) -> Result<Finished, Error> {
        self.session.send(Cmd::EndTable)?;
        let loaded = self.session.reply()?;
        if loaded != self.rows {
            return Err(Error::new(
                ErrorKind::Io,
                format!(
                    "{}: {} rows were sent but {loaded} loaded; nothing was committed",
                    self.session.params.shown(),
                    self.rows
                ),
            ));
        }
        Ok(Finished { staged: None, bytes: self.bytes, rows: self.rows, sha256: Some(self.rowset.hex()) })
    }
}

/// `"name"` (PostgreSQL, SQLite) or `` `name` `` (MariaDB), doubled quotes inside.
pub(crate) fn quote(kind: Kind, name: &str) -> String {
    match kind {
        Kind::Mysql => format!("`{}`", name.replace('`', "``")),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

/// A table's name as a schema names it: `schema.table` for a PostgreSQL table outside the
/// search path's schema (quoted part by part), else one quoted name.
pub(crate) fn quote_table(kind: Kind, name: &str) -> String {
    match (kind, split_name(name)) {
        (Kind::Postgres, (table, Some(schema))) => format!("{}.{}", quote(kind, schema), quote(kind, table)),
        _ => quote(kind, name),
    }
}

/// `schema.table` → (`table`, Some(`schema`)); `table` → (`table`, None).
pub(crate) fn split_name(name: &str) -> (&str, Option<&str>) {
    match name.split_once('.') {
        Some((schema, table)) => (table, Some(schema)),
        None => (name, None),
    }
}

/// Whether a column type a table already has can take a synthgate type (exit 2 otherwise).
pub(crate) fn fits(dtype: DataType, found: &str) -> bool {
    let f = found.to_ascii_lowercase();
    let any = |names: &[&str]| names.iter().any(|n| f.starts_with(n));
    match dtype {
        DataType::Int64 => any(&[
            "bigint",
            "int",
            "smallint",
            "tinyint",
            "mediumint",
            "numeric",
            "decimal",
            "serial",
            "bigserial",
            "year",
        ]),
        DataType::Float64 => any(&["double", "real", "float", "numeric", "decimal"]),
        DataType::Bool => any(&["bool", "tinyint", "bit", "int"]),
        // Text is parsed by the database into whatever the column holds (enums, domains,
        // uuid, json, inet, bytea, arrays, intervals…): only numbers, booleans and times are
        // a mismatch worth stopping for.
        DataType::Utf8 => {
            let base = f.split(['(', ' ']).next().unwrap_or("");
            ![
                "bigint",
                "int",
                "integer",
                "int2",
                "int4",
                "int8",
                "smallint",
                "tinyint",
                "mediumint",
                "numeric",
                "decimal",
                "serial",
                "bigserial",
                "double",
                "real",
                "float",
                "float4",
                "float8",
                "boolean",
                "bool",
                "bit",
                "date",
                "time",
                "timestamp",
                "timestamptz",
                "datetime",
                "year",
                "money",
            ]
            .contains(&base)
        }
        DataType::Date => any(&["date", "timestamp", "datetime", "text"]),
        DataType::Time => any(&["time", "text"]),
        DataType::Timestamp => any(&["timestamp", "datetime", "text"]),
        DataType::Decimal { .. } => any(&["numeric", "decimal", "double", "real", "float", "money"]),
    }
}

/// The type `--create` gives a column.
pub(crate) fn sql_type(kind: Kind, dtype: DataType, key: bool) -> String {
    match (kind, dtype) {
        (Kind::Postgres, DataType::Int64) => "bigint".into(),
        (Kind::Postgres, DataType::Float64) => "double precision".into(),
        (Kind::Postgres, DataType::Bool) => "boolean".into(),
        (Kind::Postgres, DataType::Utf8) => "text".into(),
        (Kind::Postgres, DataType::Date) => "date".into(),
        (Kind::Postgres, DataType::Time) => "time".into(),
        (Kind::Postgres, DataType::Timestamp) => "timestamptz".into(),
        (Kind::Postgres, DataType::Decimal { scale }) => format!("numeric(38, {scale})"),
        (Kind::Mysql, DataType::Int64) => "BIGINT".into(),
        (Kind::Mysql, DataType::Float64) => "DOUBLE".into(),
        (Kind::Mysql, DataType::Bool) => "BOOLEAN".into(),
        // A key must have a length in MariaDB.
        (Kind::Mysql, DataType::Utf8) if key => "VARCHAR(255)".into(),
        (Kind::Mysql, DataType::Utf8) => "TEXT".into(),
        (Kind::Mysql, DataType::Date) => "DATE".into(),
        (Kind::Mysql, DataType::Time) => "TIME(6)".into(),
        (Kind::Mysql, DataType::Timestamp) => "DATETIME(6)".into(),
        (Kind::Mysql, DataType::Decimal { scale }) => format!("DECIMAL(38, {scale})"),
        (Kind::Sqlite, DataType::Int64 | DataType::Bool) => "INTEGER".into(),
        (Kind::Sqlite, DataType::Float64) => "REAL".into(),
        (Kind::Sqlite, DataType::Decimal { .. }) => "NUMERIC".into(),
        (Kind::Sqlite, _) => "TEXT".into(),
    }
}

/// The columns of a table that are keys (a primary key, or either end of a foreign key).
pub(crate) fn is_key(tables: &[TableSpec], table: &TableSpec, column: &str) -> bool {
    let has = |cols: &[String]| cols.iter().any(|c| c == column);
    has(&table.primary_key)
        || table.foreign_keys.iter().any(|f| has(&f.columns))
        || tables.iter().any(|t| t.foreign_keys.iter().any(|f| f.parent == table.name && has(&f.parent_columns)))
}

/// `CREATE TABLE` for `--create`: columns, primary key (composite as a table constraint),
/// unique keys that foreign keys reference, foreign keys (PostgreSQL's and SQLite's deferred to
/// the commit, so that cycles and self-references load in any order).
pub(crate) fn create_sql(kind: Kind, tables: &[TableSpec], t: &TableSpec) -> String {
    let q = |n: &str| quote(kind, n);
    let list = |cols: &[String]| cols.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ");
    let single = match t.primary_key.as_slice() {
        [one] => Some(one.as_str()),
        _ => None,
    };
    let mut parts: Vec<String> = t
        .columns
        .iter()
        .map(|c| {
            let key = is_key(tables, t, &c.name);
            let mut s = format!("{} {}", q(&c.name), sql_type(kind, c.dtype, key));
            if single == Some(&*c.name) {
                // The application's own inserts draw the next key (moved past the loaded ones).
                match kind {
                    Kind::Postgres if c.dtype == DataType::Int64 => s.push_str(" GENERATED BY DEFAULT AS IDENTITY"),
                    Kind::Mysql if c.dtype == DataType::Int64 => s.push_str(" AUTO_INCREMENT"),
                    _ => {}
                }
                s.push_str(" PRIMARY KEY");
            } else if !c.nullable || t.primary_key.contains(&c.name) {
                s.push_str(" NOT NULL");
            }
            s
        })
        .collect();
    if t.primary_key.len() > 1 {
        parts.push(format!("PRIMARY KEY ({})", list(&t.primary_key)));
    }
    // A foreign key may reference only a unique key: each set of columns other tables
    // reference, unless it is the primary key.
    let mut unique: Vec<&[String]> = Vec::new();
    for f in tables.iter().flat_map(|o| &o.foreign_keys).filter(|f| f.parent == t.name) {
        if f.parent_columns != t.primary_key && !unique.contains(&f.parent_columns.as_slice()) {
            unique.push(&f.parent_columns);
        }
    }
    for cols in unique {
        parts.push(format!("UNIQUE ({})", list(cols)));
    }
    // PostgreSQL will not name a table that does not exist yet: its keys come after every
    // table is made ([`foreign_keys_sql`]).
    if kind != Kind::Postgres {
        parts.extend(t.foreign_keys.iter().map(|f| foreign_key(kind, f)));
    }
    let tail = if kind == Kind::Mysql { " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4" } else { "" };
    format!("CREATE TABLE {} (\n  {}\n){tail}", quote_table(kind, &t.name), parts.join(",\n  "))
}

fn foreign_key(kind: Kind, f: &ForeignKey) -> String {
    let q = |n: &str| quote(kind, n);
    let list = |cols: &[String]| cols.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ");
    let mut s = format!(
        "FOREIGN KEY ({}) REFERENCES {} ({})",
        list(&f.columns),
        quote_table(kind, &f.parent),
        list(&f.parent_columns)
    );
    if kind != Kind::Mysql {
        s.push_str(" DEFERRABLE INITIALLY DEFERRED");
    }
    s
}

/// PostgreSQL: the foreign keys of a table `--create` made, added once every table exists (so
/// that tables in a cycle can name each other).
pub(crate) fn foreign_keys_sql(t: &TableSpec) -> Vec<String> {
    t.foreign_keys
        .iter()
        .map(|f| format!("ALTER TABLE {} ADD {}", quote_table(Kind::Postgres, &t.name), foreign_key(Kind::Postgres, f)))
        .collect()
}

/// A table that does not fit: exit 2, naming table, column, expected and found.
pub(crate) fn mismatch(params: &Params, table: &str, column: &str, expected: DataType, found: &str) -> Error {
    Error::usage(format!(
        "{} table `{table}`, column `{column}`: the load writes {} values but the column is `{found}`; \
         change the column, or what is loaded into it",
        params.shown(),
        type_name(expected)
    ))
}

pub fn type_name(dtype: DataType) -> &'static str {
    match dtype {
        DataType::Int64 => "integer",
        DataType::Float64 => "floating-point",
        DataType::Bool => "boolean",
        DataType::Utf8 => "text",
        DataType::Date => "date",
        DataType::Time => "time",
        DataType::Timestamp => "timestamp",
        DataType::Decimal { .. } => "decimal",
    }
}

/// Checks a table's columns (name → type as the database names it) against the spec: a
/// missing column or a type that cannot take the values is exit 2.
pub(crate) fn check_columns(params: &Params, t: &TableSpec, found: &[(String, String)]) -> Result<(), Error> {
    for c in &t.columns {
        match found.iter().find(|(n, _)| n.eq_ignore_ascii_case(&c.name)) {
            None => {
                return Err(Error::usage(format!(
                    "{} table `{}` has no column `{}`, which the load writes; add it, or load with --create \
                     into a new database",
                    params.shown(),
                    t.name,
                    c.name
                )))
            }
            Some((_, ty)) if !c.loose && !fits(c.dtype, ty) => {
                return Err(mismatch(params, &t.name, &c.name, c.dtype, ty))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// A table that exists but is missing, without `--create`: exit 2.
pub(crate) fn missing(params: &Params, table: &str) -> Error {
    Error::usage(format!(
        "{} has no table `{table}`; create it (your migrations), or add --create to have synthgate create it",
        params.shown()
    ))
}

/// A table that already holds rows under `--if-exists fail`: exit 2.
pub(crate) fn not_empty(params: &Params, table: &str) -> Error {
    Error::usage(format!(
        "{} table `{table}` already holds rows; choose --if-exists truncate (replace them) or append",
        params.shown()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::Location;

    #[test]
    fn driver_messages_lose_the_password_and_the_values_they_quote() {
        let Location::Database(url) = Location::parse("postgres://app:Pw-Secret-9@db/app").unwrap() else { panic!() };
        let p = Params::parse(&url).unwrap();
        for (message, kept) in [
            ("password authentication failed for Pw-Secret-9", "password authentication failed for ***"),
            ("invalid input syntax for type integer: \"4929390612345673\"", "invalid input syntax for type integer"),
            (
                "duplicate key value violates unique constraint \"c_pkey\"\nDETAIL: Key (id)=(7) already exists.",
                "duplicate key value violates unique constraint \"c_pkey\"",
            ),
            ("ERROR 1062 (23000): Duplicate entry 'jo@mail.example' for key 'email'", "ERROR 1062 (23000): Duplicate"),
            ("COPY customers, line 3: \"7\tjo@mail.example\"", "COPY customers"),
        ] {
            assert_eq!(scrub(&p, message), kept);
        }
    }
}
