//! SQLite: the file is opened (created if missing), the whole run is one transaction
//! (`BEGIN IMMEDIATE`, DDL included), each table filled through one prepared `INSERT`, the
//! manifest stored, commit. A run that stops before its commit leaves the file as it was; a
//! file the run created is removed again.

use std::path::PathBuf;

use rusqlite::types::Value;
use rusqlite::Connection;

use super::text::fields;
use super::why;
use super::{
    check_columns, create_sql, failed, missing, not_empty, quote, unreachable, IfExists, Kind, LoadOptions, Loader,
    Params, Pieces, TableSpec,
};
use crate::batch::DataType;
use crate::error::Error;

pub(super) struct Lite {
    conn: Option<Connection>,
    params: Params,
    /// The file did not exist before this run: it goes again unless the run commits.
    created: Option<PathBuf>,
}

/// The file, opened read-only: for reading (a missing file is an error, never created).
pub(super) fn read_only(params: &Params) -> Result<Connection, Error> {
    let path = params.path.clone().expect("an SQLite URL names a file");
    Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| unreachable(params, why(&e)))
}

impl Lite {
    pub(super) fn open(params: &Params) -> Result<Lite, Error> {
        let path = params.path.clone().expect("an SQLite URL names a file");
        let created = (!path.exists()).then(|| path.clone());
        if let Some(dir) = path.parent() {
            if !dir.is_dir() {
                return Err(unreachable(params, "its folder does not exist"));
            }
        }
        let conn = Connection::open(&path).map_err(|e| unreachable(params, why(&e)))?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(|e| unreachable(params, why(&e)))?;
        conn.execute_batch("PRAGMA foreign_keys = ON; BEGIN IMMEDIATE; PRAGMA defer_foreign_keys = ON")
            .map_err(|e| unreachable(params, why(&e)))?;
        Ok(Lite { conn: Some(conn), params: params.clone(), created })
    }

    fn conn(&self) -> &Connection {
        self.conn.as_ref().expect("open until dropped")
    }
}

impl Drop for Lite {
    fn drop(&mut self) {
        // Closing without COMMIT rolls back; a file this run created goes again.
        drop(self.conn.take());
        if let Some(p) = &self.created {
            let _ = std::fs::remove_file(p);
            for suffix in ["-journal", "-wal", "-shm"] {
                let mut side = p.clone().into_os_string();
                side.push(suffix);
                let _ = std::fs::remove_file(side);
            }
        }
    }
}

impl Loader for Lite {
    fn prepare(&mut self, tables: &[TableSpec], opts: &LoadOptions) -> Result<(), Error> {
        let mut empty = Vec::new();
        for t in tables {
            let found: Vec<(String, String)> = {
                let mut stmt = self
                    .conn()
                    .prepare("SELECT name, type FROM pragma_table_info(?1) ORDER BY cid")
                    .map_err(|e| failed(&self.params, &t.name, why(&e)))?;
                let rows = stmt
                    .query_map([&t.name], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
                    .map_err(|e| failed(&self.params, &t.name, why(&e)))?;
                rows.collect::<Result<_, _>>().map_err(|e| failed(&self.params, &t.name, why(&e)))?
            };
            if found.is_empty() {
                if !opts.create {
                    return Err(missing(&self.params, &t.name));
                }
                let sql = create_sql(Kind::Sqlite, tables, t);
                self.conn().execute_batch(&sql).map_err(|e| failed(&self.params, &t.name, why(&e)))?;
                continue;
            }
            // SQLite columns take any value; a declared type still says what was meant.
            let found: Vec<(String, String)> = found
                .into_iter()
                .map(|(n, ty)| {
                    let ty = if ty.is_empty() { "text".to_string() } else { ty };
                    (n, ty)
                })
                .collect();
            check_columns(&self.params, t, &found)?;
            let name = quote(Kind::Sqlite, &t.name);
            match opts.if_exists {
                IfExists::Append => {}
                IfExists::Truncate => empty.push(t.name.as_str()),
                IfExists::Fail => {
                    let any: bool = self
                        .conn()
                        .query_row(&format!("SELECT EXISTS (SELECT 1 FROM {name})"), [], |r| r.get(0))
                        .map_err(|e| failed(&self.params, &t.name, why(&e)))?;
                    if any {
                        return Err(not_empty(&self.params, &t.name));
                    }
                }
            }
        }
        // Children before parents, so that no foreign key is left pointing at a deleted row.
        for t in empty.into_iter().rev() {
            self.conn()
                .execute_batch(&format!("DELETE FROM {}", quote(Kind::Sqlite, t)))
                .map_err(|e| failed(&self.params, t, why(&e)))?;
        }
        Ok(())
    }

    fn load(&mut self, table: &TableSpec, pieces: &Pieces) -> Result<u64, Error> {
        let cols: Vec<String> = table.columns.iter().map(|c| quote(Kind::Sqlite, &c.name)).collect();
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quote(Kind::Sqlite, &table.name),
            cols.join(", "),
            marks.join(", ")
        );
        let conn = self.conn.as_ref().expect("open until dropped");
        let params = &self.params;
        let mut stmt = conn.prepare_cached(&sql).map_err(|e| failed(params, &table.name, why(&e)))?;
        let mut rows = 0u64;
        let mut values: Vec<Value> = Vec::with_capacity(cols.len());
        while let Some(piece) = pieces.next()? {
            let text = std::str::from_utf8(&piece).map_err(|e| failed(params, &table.name, why(&e)))?;
            for line in text.split_terminator('\n') {
                values.clear();
                for (f, c) in fields(line).zip(&table.columns) {
                    values.push(match f {
                        None => Value::Null,
                        Some(s) => value(c.dtype, &s),
                    });
                }
                stmt.execute(rusqlite::params_from_iter(values.iter()))
                    .map_err(|e| failed(params, &table.name, why(&e)))?;
                rows += 1;
            }
        }
        Ok(rows)
    }

    fn commit(&mut self, _tables: &[TableSpec], manifest: &str) -> Result<(), Error> {
        let conn = self.conn();
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS synthgate_manifests (id INTEGER PRIMARY KEY AUTOINCREMENT, \
             created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')), manifest TEXT NOT NULL)",
        )
        .map_err(|e| failed(&self.params, "synthgate_manifests", why(&e)))?;
        conn.execute("INSERT INTO synthgate_manifests (manifest) VALUES (?1)", [manifest])
            .map_err(|e| failed(&self.params, "synthgate_manifests", why(&e)))?;
        // Foreign keys are checked row by row: a violation already stopped the load.
        conn.execute_batch("COMMIT").map_err(|e| failed(&self.params, "(commit)", why(&e)))?;
        self.created = None;
        Ok(())
    }
}

/// A text field as the value SQLite stores: integers, reals and booleans as numbers, the rest
/// (dates, times and timestamps in ISO 8601, decimals exactly as written) as text.
fn value(dtype: DataType, s: &str) -> Value {
    match dtype {
        DataType::Int64 => s.parse().map_or_else(|_| Value::Text(s.to_string()), Value::Integer),
        DataType::Float64 => s.parse().map_or_else(|_| Value::Text(s.to_string()), Value::Real),
        DataType::Bool => Value::Integer(i64::from(s == "t" || s == "1" || s == "true")),
        _ => Value::Text(s.to_string()),
    }
}
