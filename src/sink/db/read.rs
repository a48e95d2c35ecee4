//! Database tables as sources: every row of a table, streamed in chunks (PostgreSQL
//! `COPY … TO STDOUT`, MariaDB's row-by-row text protocol, SQLite's stepping cursor), in
//! bounded memory. A reader thread holds the connection and hands chunks over a small channel.
//! Every value is read as text (how detection reads a cell). A table's lineage is `input`
//! unless its database's own signed manifest row vouches for it ([`lineage`]), confirmed by
//! what the reader saw ([`open_verified`]).

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;

use mysql::prelude::Queryable;

use super::{quote, unreachable, why, Kind, Params};
use crate::batch::{Batch, Column, Lineage, StrBuf, Values};
use crate::detect::Detector;
use crate::error::{Error, ErrorKind};
use crate::manifest::{Key, LineageVerdict};
use crate::source::{Chunk, ReadDigest, Source, SourceFormat};

use super::digest::RowSet;
use super::postgres::Copied;

/// The tables to read: those named, or every base table of the database (schema). A name
/// asked for that is not there is an error listing the tables, each as `shown` masks it (a
/// table's name may hold personal data). On PostgreSQL, a table this user may not read is an
/// error too, never passed over: a scan or gate that left it out would vouch for what it never
/// read (MariaDB does not show such tables to the user at all).
pub fn tables(params: &Params, only: &[String], shown: &dyn Fn(&str) -> String) -> Result<Vec<String>, Error> {
    let mut unreadable: Vec<String> = Vec::new();
    let all: Vec<String> = match params.kind {
        Kind::Postgres => {
            let mut c = super::postgres::client(params)?;
            let err = |e: postgres::Error| unreachable(params, why(&e));
            // A database URL names the whole database: the tables of its other schemas too
            // (as `schema.table`), but not synthgate's namespaces, each a target of its own. A
            // URL with `?schema=` names that schema only. A name with a dot in it is given
            // with its schema too, as `schema.a.b`: bare, it would read as table `b` of
            // schema `a`.
            // The catalogue lists every table, readable or not (`information_schema` shows
            // only those with some privilege), as `information_schema`'s base tables are.
            let namespaces = super::postgres::namespaces(&mut c).map_err(err)?;
            let whole = params.schema.is_none();
            let rows = c
                .query(
                    "SELECT CASE WHEN n.nspname = current_schema() AND strpos(c.relname, '.') = 0 \
                     THEN c.relname::text ELSE n.nspname || '.' || c.relname END, \
                     has_any_column_privilege(c.oid, 'SELECT') \
                     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE c.relkind IN ('r', 'p') \
                     AND (n.nspname = current_schema() OR ($1 AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
                          AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> ALL($2))) \
                     AND NOT (n.nspname = current_schema() AND c.relname = 'synthgate_manifests') \
                     ORDER BY n.nspname <> current_schema(), 1",
                    &[&whole, &namespaces],
                )
                .map_err(err)?;
            let mut all = Vec::with_capacity(rows.len());
            for r in rows {
                let name: String = r.get(0);
                if !r.get::<_, bool>(1) && (only.is_empty() || only.contains(&name)) {
                    unreadable.push(shown(&name));
                }
                all.push(name);
            }
            all
        }
        Kind::Mysql => {
            let mut c = super::mysql::plain(params)?;
            c.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() \
                 AND table_type = 'BASE TABLE' AND table_name <> 'synthgate_manifests' ORDER BY table_name",
            )
            .map_err(|e| unreachable(params, why(&e)))?
        }
        Kind::Sqlite => {
            let c = super::sqlite::read_only(params)?;
            let mut stmt = c
                .prepare(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                     AND name <> 'synthgate_manifests' ORDER BY name",
                )
                .map_err(|e| unreachable(params, why(&e)))?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0)).map_err(|e| unreachable(params, why(&e)))?;
            rows.collect::<Result<_, _>>().map_err(|e| unreachable(params, why(&e)))?
        }
    };
    if !unreadable.is_empty() {
        return Err(Error::new(
            ErrorKind::Io,
            format!(
                "{}: this user may not read table(s) {}; nothing was read (name the tables to read with --table, or one schema with ?schema=)",
                params.shown(),
                unreadable.join(", ")
            ),
        ));
    }
    if only.is_empty() {
        return Ok(all);
    }
    for t in only {
        if !all.contains(t) {
            let listed: Vec<String> = all.iter().map(|n| shown(n)).collect();
            return Err(Error::usage(format!(
                "{} has no table `{}`; tables: {}",
                params.shown(),
                shown(t),
                listed.join(", ")
            )));
        }
    }
    Ok(only.to_vec())
}

/// A table read chunk by chunk of `rows` rows. Its errors show the table's name, and any name
/// or value a driver's message quotes, as `names` masks them (a table's name may hold personal
/// data).
pub fn open(params: &Params, table: &str, rows: usize, names: &Arc<Detector>) -> Result<Box<dyn Source>, Error> {
    Ok(open_verified(params, table, rows, &LineageVerdict::nothing(), names)?.0)
}

/// A table read chunk by chunk, and what confirms the lineage `verdict` gives it, filled once
/// the last row has been read: for a PostgreSQL table whose manifest names the transaction that
/// loaded it, that every row still carries that transaction as its `xmin` (no row changed or
/// added since; the count shows any removed), which costs nothing per row; otherwise the digest
/// of the rows read (see [`super::digest`]) over the columns the manifest lists, in its order (a
/// table without one of them gets a digest that matches no manifest). Nothing is checked when
/// the verdict vouches for nothing. Errors are shown as [`open`] says.
pub fn open_verified(
    params: &Params,
    table: &str,
    rows: usize,
    verdict: &LineageVerdict,
    names: &Arc<Detector>,
) -> Result<(Box<dyn Source>, ReadDigest), Error> {
    let (tx, rx) = sync_channel::<Result<Chunk, Error>>(2);
    let (p, t, names) = (params.clone(), table.to_string(), Arc::clone(names));
    let (ready_tx, ready_rx) = sync_channel::<Result<Vec<String>, Error>>(1);
    let digest = ReadDigest::default();
    let check = match (&verdict.columns, verdict.xmin()) {
        (None, _) => Check::Nothing,
        (Some(_), Some(x)) if params.kind == Kind::Postgres => Check::Xmin(x, digest.clone()),
        (Some(cols), _) => Check::Digest((cols.iter().map(|(n, _)| n.clone()).collect(), digest.clone())),
    };
    std::thread::Builder::new()
        .name("synthgate-db-read".into())
        .spawn(move || read(p, t, rows.max(1), ready_tx, tx, check, &names))
        .map_err(|e| Error::new(ErrorKind::Io, format!("cannot start the database reader: {e}")))?;
    let columns = ready_rx.recv().map_err(|_| unreachable(params, "the reader stopped"))??;
    Ok((Box::new(TableSource { rx, columns, done: false }), digest))
}

/// How a reader confirms a manifest's lineage.
enum Check {
    Nothing,
    Digest(Fill),
    /// PostgreSQL: every row's `xmin` must be this transaction.
    Xmin(u64, ReadDigest),
}

/// The lineage the database's own signed manifests vouch for `table` (newest first; see
/// [`crate::manifest::lineage_for_table`]). A database without manifests vouches for nothing.
pub fn lineage(params: &Params, table: &str, key: Option<&Key>) -> Result<LineageVerdict, Error> {
    let manifests: Vec<String> = match params.kind {
        Kind::Postgres => {
            let mut c = super::postgres::client(params)?;
            let exists: bool = c
                .query_one(
                    "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() \
                     AND table_name = 'synthgate_manifests')",
                    &[],
                )
                .map_err(|e| unreachable(params, why(&e)))?
                .get(0);
            if !exists {
                Vec::new()
            } else {
                c.query("SELECT manifest FROM synthgate_manifests ORDER BY id DESC", &[])
                    .map_err(|e| read_error(params, "synthgate_manifests", why(&e)))?
                    .iter()
                    .map(|r| r.get(0))
                    .collect()
            }
        }
        Kind::Mysql => {
            let mut c = super::mysql::plain(params)?;
            let exists: Option<u64> = c
                .query_first(
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() \
                     AND table_name = 'synthgate_manifests'",
                )
                .map_err(|e| unreachable(params, why(&e)))?;
            if exists.unwrap_or(0) == 0 {
                Vec::new()
            } else {
                c.query("SELECT manifest FROM synthgate_manifests ORDER BY id DESC")
                    .map_err(|e| read_error(params, "synthgate_manifests", why(&e)))?
            }
        }
        Kind::Sqlite => {
            let c = super::sqlite::read_only(params)?;
            let exists: i64 = c
                .query_row(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'synthgate_manifests'",
                    [],
                    |r| r.get(0),
                )
                .map_err(|e| unreachable(params, why(&e)))?;
            if exists == 0 {
                Vec::new()
            } else {
                let mut stmt = c
                    .prepare("SELECT manifest FROM synthgate_manifests ORDER BY id DESC")
                    .map_err(|e| read_error(params, "synthgate_manifests", why(&e)))?;
                let rows = stmt
                    .query_map([], |r| r.get::<_, String>(0))
                    .map_err(|e| read_error(params, "synthgate_manifests", why(&e)))?;
                rows.collect::<Result<_, _>>().map_err(|e| read_error(params, "synthgate_manifests", why(&e)))?
            }
        }
    };
    Ok(crate::manifest::lineage_for_table(&manifests, &params.location(), table, key))
}

struct TableSource {
    rx: Receiver<Result<Chunk, Error>>,
    columns: Vec<String>,
    done: bool,
}

impl Source for TableSource {
    fn next_chunk(&mut self) -> Result<Option<Chunk>, Error> {
        if self.done {
            return Ok(None);
        }
        match self.rx.recv() {
            Ok(c) => c.map(Some),
            Err(_) => {
                self.done = true;
                Ok(None)
            }
        }
    }

    fn format(&self) -> SourceFormat {
        SourceFormat::Table
    }

    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn bytes_read(&self) -> u64 {
        0
    }
}

/// Builds chunks of `rows` rows from text cells, cell by cell (no allocation per value).
struct Chunker {
    table: Arc<str>,
    names: Vec<Arc<str>>,
    cells: Vec<StrBuf>,
    valid: Vec<Vec<bool>>,
    rows: usize,
    first_row: u64,
    per_chunk: usize,
    digest: Option<Digesting>,
}

/// The digest of the rows read over the vouched columns: each chunk's is worked out on the
/// thread pool, beside the reading and the scanning, and the parts are added up at the end.
struct Digesting {
    /// The vouched columns' positions here; `None` when the table lacks one of them.
    positions: Option<Vec<usize>>,
    parts: std::sync::mpsc::Sender<RowSet>,
    done: Receiver<RowSet>,
    spawned: usize,
    out: ReadDigest,
}

impl Chunker {
    fn new(table: &str, names: &[String], per_chunk: usize, fill: Option<Fill>) -> Chunker {
        let digest = fill.map(|(vouched, out)| {
            let positions = vouched.iter().map(|v| names.iter().position(|n| n == v)).collect();
            let (parts, done) = std::sync::mpsc::channel();
            Digesting { positions, parts, done, spawned: 0, out }
        });
        Chunker {
            digest,
            table: Arc::from(table),
            names: names.iter().map(|n| Arc::from(n.as_str())).collect(),
            cells: names.iter().map(|_| StrBuf::default()).collect(),
            valid: names.iter().map(|_| Vec::new()).collect(),
            rows: 0,
            first_row: 0,
            per_chunk,
        }
    }

    /// Sets cell `i` of the current row (`None` for null); a row takes every column once.
    fn cell(&mut self, i: usize, v: Option<&str>) {
        if let Some(c) = self.cells.get_mut(i) {
            c.push(v.unwrap_or(""));
            self.valid[i].push(v.is_some());
        }
    }

    /// Ends the current row and sends a full chunk; `false` when nobody reads any more.
    fn end_row(&mut self, out: &Out) -> bool {
        self.rows += 1;
        if self.rows < self.per_chunk {
            return true;
        }
        let chunk = self.take();
        out.send(Ok(chunk)).is_ok()
    }

    fn take(&mut self) -> Chunk {
        let columns: Vec<Column> = self
            .names
            .iter()
            .zip(self.cells.iter_mut().zip(self.valid.iter_mut()))
            .map(|(n, (c, v))| {
                let validity = std::mem::take(v);
                let validity = if validity.iter().all(|&b| b) { None } else { Some(validity) };
                Column::new(Arc::clone(n), Lineage::Input, Values::Utf8(std::mem::take(c)), validity)
            })
            .collect();
        if let Some(d) = &mut self.digest {
            if let Some(positions) = &d.positions {
                // The vouched columns, copied (a memcpy beside the hashing) for the pool.
                let part: Vec<Column> = positions.iter().map(|&p| columns[p].clone()).collect();
                let (rows, parts) = (self.rows, d.parts.clone());
                d.spawned += 1;
                rayon::spawn(move || {
                    let mut set = RowSet::default();
                    for row in 0..rows {
                        set.add(part.iter().map(|c| {
                            let Values::Utf8(s) = &c.values else { unreachable!("read as text") };
                            (!c.is_null(row)).then(|| std::borrow::Cow::Borrowed(s.get(row)))
                        }));
                    }
                    let _ = parts.send(set);
                });
            }
        }
        let batch = Batch { table: Arc::clone(&self.table), first_row: self.first_row, rows: self.rows, columns };
        self.first_row += self.rows as u64;
        self.rows = 0;
        Chunk { batch, raw: Vec::new() }
    }

    /// Sends the last, partial chunk; the digest is filled only now, every row read.
    fn finish(mut self, out: &Out) {
        if self.rows > 0 {
            let chunk = self.take();
            let _ = out.send(Ok(chunk));
        }
        if let Some(d) = self.digest.take() {
            let mut set = RowSet::default();
            for _ in 0..d.spawned {
                match d.done.recv() {
                    Ok(part) => set.merge(&part),
                    Err(_) => return,
                }
            }
            match d.positions {
                Some(_) => d.out.set(set.hex(), set.rows()),
                None => d.out.set("a column the manifest lists is missing".into(), self.first_row),
            }
        }
    }
}

/// The opener's channel, until the columns are sent: an error before then goes there.
type Ready = Option<SyncSender<Result<Vec<String>, Error>>>;
type Out = SyncSender<Result<Chunk, Error>>;
/// The columns a manifest vouches for, and where the digest of their rows goes.
type Fill = (Vec<String>, ReadDigest);

/// One table to read, and where its columns, chunks and digest go.
struct Job<'a> {
    params: &'a Params,
    table: &'a str,
    /// What makes errors safe to show.
    names: &'a Detector,
    rows: usize,
    ready: &'a mut Ready,
    out: &'a Out,
    fill: Option<Fill>,
    /// PostgreSQL: the `xmin` every row must carry, and where the result goes.
    xmin: Option<(u64, ReadDigest)>,
}

fn read(
    params: Params,
    table: String,
    rows: usize,
    ready: SyncSender<Result<Vec<String>, Error>>,
    out: Out,
    check: Check,
    names: &Detector,
) {
    let mut ready = Some(ready);
    let (fill, xmin) = match check {
        Check::Nothing => (None, None),
        Check::Digest(fill) => (Some(fill), None),
        Check::Xmin(x, digest) => (None, Some((x, digest))),
    };
    let job = Job { params: &params, table: &table, names, rows, ready: &mut ready, out: &out, fill, xmin };
    let result = match params.kind {
        Kind::Postgres => read_pg(job),
        Kind::Mysql => read_my(job),
        Kind::Sqlite => read_lite(job),
    };
    if let Err(e) = result {
        match ready.take() {
            Some(r) => {
                let _ = r.send(Err(e));
            }
            None => {
                let _ = out.send(Err(e));
            }
        }
    }
}

fn send_columns(ready: &mut Ready, names: &[String]) {
    if let Some(r) = ready.take() {
        let _ = r.send(Ok(names.to_vec()));
    }
}

/// An error reading `table`, which is shown as given: mask it first where it may hold
/// personal data ([`Job::error`]).
fn read_error(params: &Params, table: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Io, format!("{} table `{table}`: {}", params.shown(), super::scrub(params, &e.to_string())))
}

/// An error reading `table`: its name, and whatever the message quotes, masked where they
/// hold personal data (a driver names the relation, sometimes a value).
fn table_error(params: &Params, names: &Detector, table: &str, e: &dyn std::fmt::Display) -> Error {
    let message = super::scrub(params, &e.to_string());
    read_error(params, &names.shown(table), names.shown(&message))
}

/// A value that is not text: a usage error, the table's name masked.
fn not_text(params: &Params, names: &Detector, table: &str) -> Error {
    Error::usage(format!("{} table `{}`: a value that is not UTF-8 text", params.shown(), names.shown(table)))
}

fn read_pg(job: Job<'_>) -> Result<(), Error> {
    let Job { params, table, names, rows, ready, out, fill, xmin } = job;
    let error = |e: &dyn std::fmt::Display| table_error(params, names, table, e);
    // With an `xmin` to check, the server counts the rows another transaction wrote; a
    // transaction id is 32 bits on the page.
    let expected = xmin.as_ref().map(|(x, _)| (*x & 0xffff_ffff) as u32);
    let mut read = 0u64;
    let mut chunker: Option<Chunker> = None;
    let mut unescaped = String::new();
    let mut fill = fill;
    let mut stopped = false;
    let mut take = |copied: Copied<'_>| -> Result<bool, Error> {
        let block = match copied {
            Copied::Columns(names) => {
                send_columns(ready, &names);
                chunker = Some(Chunker::new(table, &names, rows, fill.take()));
                return Ok(true);
            }
            Copied::Rows(block) => block,
        };
        let chunker = chunker.as_mut().expect("columns come first");
        // The session's encoding is UTF-8; a line that is not is the server's fault, said so.
        let text = std::str::from_utf8(block).map_err(|_| error(&"the server sent text that is not UTF-8"))?;
        for line in text.split_terminator('\n') {
            read += 1;
            let fields = super::text::each_field(line, &mut unescaped, |i, f| chunker.cell(i, f));
            if fields != chunker.names.len() {
                // Each column takes one cell a row, or the chunk's columns would not line up.
                return Err(error(&format!("the server sent a row of {fields} fields, not {}", chunker.names.len())));
            }
            if !chunker.end_row(out) {
                stopped = true;
                return Ok(false);
            }
        }
        Ok(true)
    };
    // Values spelled the same way whatever the server's defaults (see [`super::digest`]).
    let setup = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; SET extra_float_digits = 1";
    let changed = super::postgres::copy_out(params, setup, (table, expected), &error, &mut take)?;
    if let (Some(c), false) = (chunker, stopped) {
        c.finish(out);
        if let (Some((x, digest)), Some(changed)) = (xmin, changed) {
            match changed {
                0 => digest.set(LineageVerdict::xmin_digest(x), read),
                n => digest.set(format!("{n} rows written by another transaction"), read),
            }
        }
    }
    Ok(())
}

fn read_my(job: Job<'_>) -> Result<(), Error> {
    let Job { params, table, names: shown, rows, ready, out, fill, .. } = job;
    let error = |e: &dyn std::fmt::Display| table_error(params, shown, table, e);
    let mut c = super::mysql::plain(params)?;
    let names: Vec<String> = c
        .exec(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? \
             ORDER BY ordinal_position",
            (table,),
        )
        .map_err(|e| error(&why(&e)))?;
    send_columns(ready, &names);
    let mut chunker = Chunker::new(table, &names, rows, fill);
    let result = c.query_iter(format!("SELECT * FROM {}", quote(Kind::Mysql, table))).map_err(|e| error(&why(&e)))?;
    for row in result {
        let row = row.map_err(|e| error(&why(&e)))?;
        for i in 0..names.len() {
            match row.as_ref(i) {
                None | Some(mysql::Value::NULL) => chunker.cell(i, None),
                Some(mysql::Value::Bytes(b)) => {
                    chunker.cell(i, Some(std::str::from_utf8(b).map_err(|_| not_text(params, shown, table))?))
                }
                Some(other) => chunker.cell(i, Some(other.as_sql(true).trim_matches('\''))),
            }
        }
        if !chunker.end_row(out) {
            return Ok(());
        }
    }
    chunker.finish(out);
    Ok(())
}

fn read_lite(job: Job<'_>) -> Result<(), Error> {
    let Job { params, table, names: shown, rows, ready, out, fill, .. } = job;
    let error = |e: &dyn std::fmt::Display| table_error(params, shown, table, e);
    use rusqlite::types::ValueRef;
    let c = super::sqlite::read_only(params)?;
    let mut stmt = c.prepare(&format!("SELECT * FROM {}", quote(Kind::Sqlite, table))).map_err(|e| error(&why(&e)))?;
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    send_columns(ready, &names);
    let mut chunker = Chunker::new(table, &names, rows, fill);
    let mut cursor = stmt.query([]).map_err(|e| error(&why(&e)))?;
    let (mut ints, mut floats) = (itoa::Buffer::new(), ryu::Buffer::new());
    let not_text = || not_text(params, shown, table);
    while let Some(row) = cursor.next().map_err(|e| error(&why(&e)))? {
        for i in 0..names.len() {
            let v = row.get_ref(i).map_err(|e| error(&why(&e)))?;
            match v {
                ValueRef::Null => chunker.cell(i, None),
                ValueRef::Integer(n) => chunker.cell(i, Some(ints.format(n))),
                ValueRef::Real(f) if f.is_finite() => chunker.cell(i, Some(floats.format(f))),
                ValueRef::Real(f) => chunker.cell(i, Some(&f.to_string())),
                ValueRef::Text(t) | ValueRef::Blob(t) => {
                    chunker.cell(i, Some(std::str::from_utf8(t).map_err(|_| not_text())?))
                }
            }
        }
        if !chunker.end_row(out) {
            return Ok(());
        }
    }
    chunker.finish(out);
    Ok(())
}
