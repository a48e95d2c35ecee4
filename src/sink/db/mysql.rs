//! MariaDB / MySQL: tables checked or created first (MariaDB commits DDL at once, so tables a
//! run creates are dropped again if it fails), then one transaction: rows emptied where asked,
//! each table filled by `LOAD DATA LOCAL INFILE` streamed from memory (no file is written), the
//! manifest stored, commit. Where the server has `local_infile` off, rows go in as multi-row
//! prepared `INSERT`s instead, and synthgate says so.
//!
//! `LOAD DATA LOCAL` turns data errors into warnings and skips duplicate keys rather than stop,
//! so every load is checked: any warning, or fewer rows stored than sent, fails the run.

use std::io::Write;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};

use mysql::prelude::Queryable;
use mysql::{Conn, LocalInfileHandler, OptsBuilder, Value};

use super::text::fields;
use super::why;
use super::{
    check_columns, create_sql, failed, missing, not_empty, quote, unreachable, Cmd, ForeignKey, IfExists, Kind,
    LoadOptions, Loader, Params, Pieces, TableSpec, Tls,
};
use crate::error::Error;

pub(super) struct My {
    conn: Conn,
    params: Params,
    /// Tables this run created (DDL is not transactional here): dropped again by [`My::undo`].
    created: Vec<String>,
    infile: bool,
    in_transaction: bool,
    /// Foreign keys left unchecked during the load, checked before the commit.
    deferred: Vec<(String, ForeignKey)>,
}

impl My {
    pub(super) fn connect(params: &Params, rx: Arc<Mutex<Receiver<Cmd>>>) -> Result<My, Error> {
        // The server asks for the "file" while LOAD DATA runs, on this same thread: the handler
        // streams the current table's chunks from the session's inbox until the table ends.
        let handler = LocalInfileHandler::new(move |_name, out| loop {
            let cmd = rx.lock().map_err(|_| std::io::Error::other("session inbox"))?.recv();
            match cmd {
                Ok(Cmd::Piece(p)) => out.write_all(&p)?,
                Ok(Cmd::EndTable) => return Ok(()),
                Ok(_) => return Err(std::io::Error::other("the load was sent out of order")),
                Err(_) => return Err(std::io::Error::other("the run was abandoned")),
            }
        });
        let mut conn = Conn::new(options(params, Some(handler))).map_err(|e| unreachable(params, why(&e)))?;
        let infile: Option<i64> =
            conn.query_first("SELECT @@local_infile").map_err(|e| unreachable(params, why(&e)))?;
        let infile = infile == Some(1);
        if !infile {
            eprintln!(
                "synthgate: {} has local_infile off: loading with multi-row INSERT instead of LOAD DATA (slower)",
                params.shown()
            );
        }
        // Strict: a value the column cannot hold is an error, never a silent truncation.
        conn.query_drop("SET SESSION sql_mode = CONCAT(@@sql_mode, ',STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO'), time_zone = '+00:00'")
            .map_err(|e| unreachable(params, why(&e)))?;
        Ok(My {
            conn,
            params: params.clone(),
            created: Vec::new(),
            infile,
            in_transaction: false,
            deferred: Vec::new(),
        })
    }

    fn sql(&mut self, table: &str, sql: &str) -> Result<(), Error> {
        self.conn.query_drop(sql).map_err(|e| failed(&self.params, table, why(&e)))
    }

    fn insert_rows(&mut self, table: &TableSpec, pieces: &Pieces) -> Result<u64, Error> {
        let cols: Vec<String> = table.columns.iter().map(|c| quote(Kind::Mysql, &c.name)).collect();
        let per = (60_000 / cols.len().max(1)).clamp(1, 500);
        let one = format!("({})", vec!["?"; cols.len()].join(", "));
        let head = format!("INSERT INTO {} ({}) VALUES ", quote(Kind::Mysql, &table.name), cols.join(", "));
        let mut rows = 0u64;
        let mut batch: Vec<Value> = Vec::new();
        let flush = |conn: &mut Conn, batch: &mut Vec<Value>, n: usize| -> Result<(), Error> {
            if n == 0 {
                return Ok(());
            }
            let sql = format!("{head}{}", vec![one.as_str(); n].join(", "));
            conn.exec_drop(sql, std::mem::take(batch)).map_err(|e| failed(&self.params, &table.name, why(&e)))
        };
        let mut pending = 0usize;
        while let Some(piece) = pieces.next()? {
            let text = std::str::from_utf8(&piece).map_err(|e| failed(&self.params, &table.name, why(&e)))?;
            for line in text.split_terminator('\n') {
                for f in fields(line) {
                    batch.push(match f {
                        None => Value::NULL,
                        Some(s) => Value::Bytes(s.into_owned().into_bytes()),
                    });
                }
                pending += 1;
                rows += 1;
                if pending == per {
                    flush(&mut self.conn, &mut batch, pending)?;
                    pending = 0;
                }
            }
        }
        flush(&mut self.conn, &mut batch, pending)?;
        Ok(rows)
    }
}

impl My {
    /// What a deferred constraint does at commit: every foreign key from or to a loaded table
    /// must find its parent row; a row with a null in its key is not checked, as the database
    /// would not. Exit 4 naming the tables, never a value.
    fn check_foreign_keys(&mut self, keys: &[(String, ForeignKey)]) -> Result<(), Error> {
        let q = |n: &str| quote(Kind::Mysql, n);
        for (table, k) in keys {
            let not_null: Vec<String> = k.columns.iter().map(|c| format!("c.{} IS NOT NULL", q(c))).collect();
            let joined: Vec<String> =
                k.columns.iter().zip(&k.parent_columns).map(|(c, p)| format!("p.{} = c.{}", q(p), q(c))).collect();
            let sql = format!(
                "SELECT COUNT(*) FROM {} c WHERE {} AND NOT EXISTS (SELECT 1 FROM {} p WHERE {})",
                q(table),
                not_null.join(" AND "),
                q(&k.parent),
                joined.join(" AND ")
            );
            let orphans: Option<u64> = self.conn.query_first(sql).map_err(|e| failed(&self.params, table, why(&e)))?;
            if let Some(n) = orphans.filter(|n| *n > 0) {
                return Err(failed(
                    &self.params,
                    table,
                    format!(
                        "{n} row(s) have no parent in `{}` for their foreign key ({})",
                        k.parent,
                        k.columns.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// What a `LOAD DATA` warning code means, for the message (never the warning's own text,
/// which quotes the value).
fn warning_meaning(code: u32) -> &'static str {
    match code {
        1452 => ", a foreign key pointing at no parent row",
        1062 => ", a duplicate key",
        1048 | 1263 => ", a null in a NOT NULL column",
        1264 => ", a number out of the column's range",
        1265 | 1406 => ", a value too long for its column",
        1292 | 1366 => ", a value the column's type cannot read",
        _ => "",
    }
}

/// Whether the foreign keys among `tables` form a cycle (a self-reference is one): then no
/// load order satisfies them row by row.
fn cyclic(tables: &[TableSpec], keys: &[(String, ForeignKey)]) -> bool {
    let mut left: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    loop {
        // A table no remaining table's key points at can go; if none can, what is left cycles.
        let free =
            left.iter().position(|t| !keys.iter().any(|(table, k)| k.parent == *t && left.contains(&table.as_str())));
        match free {
            Some(i) => {
                left.remove(i);
            }
            None => return !left.is_empty(),
        }
    }
}

/// A plain connection: for reading.
pub(super) fn plain(params: &Params) -> Result<Conn, Error> {
    Conn::new(options(params, None)).map_err(|e| unreachable(params, why(&e)))
}

fn options(params: &Params, handler: Option<LocalInfileHandler>) -> OptsBuilder {
    let user = params.user.clone().or_else(|| std::env::var("USER").ok());
    OptsBuilder::new()
        .ip_or_hostname(Some(params.host.clone()))
        .tcp_port(params.port)
        .user(user)
        .pass(params.password().map(str::to_string))
        .db_name(Some(params.database.clone()))
        .tcp_connect_timeout(Some(std::time::Duration::from_secs(10)))
        .local_infile_handler(handler)
        .ssl_opts(match params.tls {
            Tls::Disable | Tls::Prefer => None,
            mode => Some(
                mysql::SslOpts::default()
                    .with_root_cert_path(params.root_cert.clone())
                    .with_danger_accept_invalid_certs(mode == Tls::Require)
                    .with_danger_skip_domain_validation(mode != Tls::VerifyFull),
            ),
        })
}

impl Loader for My {
    fn prepare(&mut self, tables: &[TableSpec], opts: &LoadOptions) -> Result<(), Error> {
        let mut empty_first = Vec::new();
        // Creation order need not follow the foreign keys (a cycle has none that works).
        self.sql("(session)", "SET foreign_key_checks = 0")?;
        for t in tables {
            let found: Vec<(String, String)> = self
                .conn
                .exec(
                    "SELECT column_name, column_type FROM information_schema.columns \
                     WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position",
                    (t.name.as_str(),),
                )
                .map_err(|e| failed(&self.params, &t.name, why(&e)))?;
            if found.is_empty() {
                if !opts.create {
                    return Err(missing(&self.params, &t.name));
                }
                let sql = create_sql(Kind::Mysql, tables, t);
                self.sql(&t.name, &sql)?;
                self.created.push(t.name.clone());
                continue;
            }
            check_columns(&self.params, t, &found)?;
            let name = quote(Kind::Mysql, &t.name);
            match opts.if_exists {
                IfExists::Append => {}
                IfExists::Truncate => empty_first.push(t.name.clone()),
                IfExists::Fail => {
                    let any: Option<i64> = self
                        .conn
                        .query_first(format!("SELECT 1 FROM {name} LIMIT 1"))
                        .map_err(|e| failed(&self.params, &t.name, why(&e)))?;
                    if any.is_some() {
                        return Err(not_empty(&self.params, &t.name));
                    }
                }
            }
        }
        // DDL commits: the manifest table exists before the transaction starts (and is dropped
        // again with the run's tables if this run made it).
        let manifests: Option<i64> = self
            .conn
            .query_first(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() \
                 AND table_name = 'synthgate_manifests'",
            )
            .map_err(|e| failed(&self.params, "synthgate_manifests", why(&e)))?;
        if manifests.is_none() {
            self.created.push("synthgate_manifests".into());
        }
        self.sql(
            "synthgate_manifests",
            "CREATE TABLE IF NOT EXISTS synthgate_manifests (id BIGINT AUTO_INCREMENT PRIMARY KEY, \
             created TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), manifest LONGTEXT NOT NULL) ENGINE=InnoDB",
        )?;
        // Tables in a cycle, or a self-reference to a later row, load in no order that checks
        // foreign keys row by row, and MariaDB cannot defer them: then they stay unchecked while
        // rows arrive and are checked all at once before the commit ([`My::check_foreign_keys`]).
        // Otherwise InnoDB checks each row as it loads, parents first.
        // Read over a connection of its own: the tables this run made are already committed.
        let keys = super::catalog::foreign_keys(&self.params)?;
        if cyclic(tables, &keys) {
            let loaded = |t: &str| tables.iter().any(|s| s.name == t);
            self.deferred = keys.into_iter().filter(|(table, k)| loaded(table) || loaded(&k.parent)).collect();
        } else {
            self.sql("(session)", "SET foreign_key_checks = 1")?;
        }
        self.sql("(session)", "START TRANSACTION")?;
        self.in_transaction = true;
        // Children before parents, so that no foreign key is left pointing at a deleted row.
        for t in empty_first.iter().rev() {
            self.sql(t, &format!("DELETE FROM {}", quote(Kind::Mysql, t)))?;
        }
        Ok(())
    }

    fn load(&mut self, table: &TableSpec, pieces: &Pieces) -> Result<u64, Error> {
        if !self.infile {
            return self.insert_rows(table, pieces);
        }
        let cols: Vec<String> = table.columns.iter().map(|c| quote(Kind::Mysql, &c.name)).collect();
        let sql = format!(
            "LOAD DATA LOCAL INFILE 'synthgate' INTO TABLE {} CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' \
             ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ({})",
            quote(Kind::Mysql, &table.name),
            cols.join(", ")
        );
        self.conn.query_drop(&sql).map_err(|e| failed(&self.params, &table.name, why(&e)))?;
        let (rows, warnings) = (self.conn.affected_rows(), self.conn.warnings());
        if warnings > 0 {
            // The code only: a warning's message quotes the value it could not store.
            let first: Option<(String, u32, String)> = self.conn.query_first("SHOW WARNINGS").ok().flatten();
            let code = first.map(|(_, c, _)| format!(" (first: code {c}{})", warning_meaning(c))).unwrap_or_default();
            return Err(failed(
                &self.params,
                &table.name,
                format!("{warnings} rows or values could not be stored as sent{code}"),
            ));
        }
        Ok(rows)
    }

    fn commit(&mut self, _tables: &[TableSpec], manifest: &str) -> Result<(), Error> {
        let deferred = std::mem::take(&mut self.deferred);
        self.check_foreign_keys(&deferred)?;
        self.sql("(session)", "SET foreign_key_checks = 1")?;
        self.conn
            .exec_drop("INSERT INTO synthgate_manifests (manifest) VALUES (?)", (manifest,))
            .map_err(|e| failed(&self.params, "synthgate_manifests", why(&e)))?;
        self.sql("(commit)", "COMMIT")?;
        self.in_transaction = false;
        self.created.clear();
        Ok(())
    }

    fn undo(&mut self) {
        if self.in_transaction {
            let _ = self.conn.query_drop("ROLLBACK");
        }
        if self.created.is_empty() {
            return;
        }
        // A load stopped halfway leaves this connection mid-protocol: drop the tables this run
        // created over a new one (the rolled-back transaction no longer holds them).
        let fresh = Conn::new(options(&self.params, None));
        let conn = match fresh {
            Ok(c) => c,
            Err(_) => return,
        };
        let mut conn = conn;
        let _ = conn.query_drop("SET foreign_key_checks = 0");
        for t in self.created.drain(..).rev() {
            let _ = conn.query_drop(format!("DROP TABLE IF EXISTS {}", quote(Kind::Mysql, &t)));
        }
    }
}
