//! PostgreSQL: the whole run in one transaction; tables checked or created, then filled by
//! `COPY … FROM STDIN` streamed chunk by chunk; identity and serial sequences moved past the
//! loaded keys; the manifest stored; commit. Foreign keys synthgate creates are deferred to the
//! commit. A dropped connection without `COMMIT` rolls everything back, DDL included.

use std::io::Write;

use postgres::config::SslMode;
use postgres::{Client, NoTls};
use postgres_native_tls::MakeTlsConnector;

use super::why;
use super::{
    check_columns, create_sql, failed, foreign_keys_sql, missing, not_empty, quote, quote_table, split_name,
    unreachable, IfExists, Kind, LoadOptions, Loader, Params, Pieces, TableSpec, Tls,
};
use crate::error::Error;

pub(super) struct Pg {
    client: Client,
    params: Params,
    /// Foreign keys that are not deferrable and point at a table loaded later (a cycle, or
    /// tables given out of order): made deferrable for this transaction only, checked and put
    /// back before the commit. (table, constraint).
    deferred: Vec<(String, String)>,
    /// The transaction's id, as its rows carry it in `xmin` (the low 32 bits).
    xmin: u64,
}

/// A plain connection (no transaction), in the URL's schema: for reading.
pub(super) fn client(params: &Params) -> Result<Client, Error> {
    let mut client = connect(params)?;
    if let Some(schema) = &params.schema {
        client
            .batch_execute(&format!("SET search_path TO {}", quote(Kind::Postgres, schema)))
            .map_err(|e| unreachable(params, why(&e)))?;
    }
    Ok(client)
}

/// The schemas that are synthgate's namespaces of the current schema's database (each a
/// target of its own, recorded in `synthgate_namespaces`); none when it keeps no record.
pub(super) fn namespaces(c: &mut Client) -> Result<Vec<String>, postgres::Error> {
    let recorded = c.query_opt(
        "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() \
         AND table_name = 'synthgate_namespaces'",
        &[],
    )?;
    if recorded.is_none() {
        return Ok(Vec::new());
    }
    Ok(c.query("SELECT name::text FROM synthgate_namespaces", &[])?.iter().map(|r| r.get(0)).collect())
}

/// Connects as `params` say, over TLS unless `sslmode=disable` (libpq's default, `prefer`,
/// takes TLS where the server offers it).
fn connect(params: &Params) -> Result<Client, Error> {
    let config = postgres::Config::from(config(params));
    let result = match params.tls {
        Tls::Disable => config.connect(NoTls),
        _ => config.connect(MakeTlsConnector::new(super::tls_connector(params)?)),
    };
    result.map_err(|e| unreachable(params, why(&e)))
}

/// The connection settings, for the blocking client and for the asynchronous one that reads
/// tables ([`copy_out`]).
fn config(params: &Params) -> tokio_postgres::Config {
    let mut config = tokio_postgres::Config::new();
    config.host(&params.host).port(params.port).dbname(&params.database).application_name("synthgate");
    config.connect_timeout(std::time::Duration::from_secs(10));
    let user = params.user.clone().or_else(|| std::env::var("PGUSER").ok()).or_else(|| std::env::var("USER").ok());
    if let Some(u) = &user {
        config.user(u);
    }
    if let Some(p) = params.password() {
        config.password(p);
    }
    match params.tls {
        Tls::Disable => {}
        Tls::Prefer => {
            config.ssl_mode(SslMode::Prefer);
        }
        _ => {
            config.ssl_mode(SslMode::Require);
        }
    }
    config
}

/// What [`copy_out`] hands its reader: the table's columns first, then its rows.
pub(super) enum Copied<'a> {
    Columns(Vec<String>),
    /// Whole lines of `COPY`'s text format.
    Rows(&'a [u8]),
}

/// Reads `table` with `COPY … TO STDOUT` (text format) on a connection of its own, driven in
/// one loop: `setup` runs first, then `take` gets the column names and the rows as the server
/// sends them, a block of whole lines at a time; it returns `false` to stop. (The blocking
/// client would enter its runtime once per row, which costs more than the row.)
///
/// With `xmin`, it also counts the rows whose `xmin` is another transaction's, in the same
/// snapshot as the copy (one repeatable-read transaction), and returns that count once every
/// row was read (`None` without `xmin`, or when `take` stopped). That counting scan costs the
/// server about half of what sending each row's `xmin` with it did (a projection and a
/// number spelled per row). A count run beside the copy, on a second connection sharing the
/// snapshot, was no faster on two cores and is not worth a second connection.
pub(super) fn copy_out(
    params: &Params,
    setup: &str,
    (table, xmin): (&str, Option<u32>),
    failed: &dyn Fn(&dyn std::fmt::Display) -> Error,
    take: &mut dyn FnMut(Copied<'_>) -> Result<bool, Error>,
) -> Result<Option<u64>, Error> {
    let runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| unreachable(params, why(&e)))?;
    let config = config(params);
    match params.tls {
        Tls::Disable => runtime.block_on(copy_out_with(params, config, NoTls, setup, (table, xmin), failed, take)),
        _ => {
            let tls = MakeTlsConnector::new(super::tls_connector(params)?);
            runtime.block_on(copy_out_with(params, config, tls, setup, (table, xmin), failed, take))
        }
    }
}

async fn copy_out_with<T>(
    params: &Params,
    config: tokio_postgres::Config,
    tls: T,
    setup: &str,
    (table, xmin): (&str, Option<u32>),
    fail: &dyn Fn(&dyn std::fmt::Display) -> Error,
    take: &mut dyn FnMut(Copied<'_>) -> Result<bool, Error>,
) -> Result<Option<u64>, Error>
where
    T: tokio_postgres::tls::MakeTlsConnect<tokio_postgres::Socket>,
    T::Stream: Send + 'static,
{
    use futures_util::TryStreamExt;
    let failed = |e: tokio_postgres::Error| fail(&why(&e));
    let (client, connection) = config.connect(tls).await.map_err(|e| unreachable(params, why(&e)))?;
    // The connection runs beside this task on the same thread, whenever this one waits.
    let connection = tokio::spawn(connection);
    if let Some(schema) = &params.schema {
        client.batch_execute(&format!("SET search_path TO {}", quote(Kind::Postgres, schema))).await.map_err(failed)?;
    }
    client.batch_execute(setup).await.map_err(failed)?;
    // One snapshot for the columns, the rows and the count of other transactions' rows.
    client.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await.map_err(failed)?;
    // Every column, from the catalogue (`information_schema` leaves out those the user has
    // no privilege on): one this user may not read is an error, never left out, or the read
    // would vouch for values it never saw.
    let from = quote_table(Kind::Postgres, table);
    let columns = client
        .query(
            "SELECT a.attname::text, has_column_privilege(a.attrelid, a.attnum, 'SELECT') FROM pg_attribute a \
             WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            &[&from],
        )
        .await
        .map_err(failed)?;
    let hidden: Vec<String> = columns.iter().filter(|r| !r.get::<_, bool>(1)).map(|r| r.get(0)).collect();
    if !hidden.is_empty() {
        return Err(fail(&format!(
            "this user may not read column(s) {}; nothing was read",
            hidden.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
        )));
    }
    let names: Vec<String> = columns.iter().map(|r| r.get(0)).collect();
    if !take(Copied::Columns(names.clone()))? {
        return Ok(None);
    }
    // The columns named, in the order given to `take`: `COPY table TO` would leave generated
    // columns out, `SELECT *` keeps them, and a list leaves no doubt.
    let list: Vec<String> = names.iter().map(|n| quote(Kind::Postgres, n)).collect();
    let sql = format!("COPY (SELECT {} FROM {from}) TO STDOUT", list.join(", "));
    let stream = client.copy_out(&sql).await.map_err(failed)?;
    let mut stream = std::pin::pin!(stream);
    // A row may in principle span messages: whole lines go on, the rest waits for the next.
    let mut pending: Vec<u8> = Vec::new();
    while let Some(bytes) = stream.try_next().await.map_err(failed)? {
        let whole = match memchr::memrchr(b'\n', &bytes) {
            Some(at) => at + 1,
            None => {
                pending.extend_from_slice(&bytes);
                continue;
            }
        };
        let go_on = if pending.is_empty() {
            take(Copied::Rows(&bytes[..whole]))?
        } else {
            pending.extend_from_slice(&bytes[..whole]);
            let r = take(Copied::Rows(&pending))?;
            pending.clear();
            r
        };
        pending.extend_from_slice(&bytes[whole..]);
        if !go_on {
            connection.abort();
            return Ok(None);
        }
    }
    if !pending.is_empty() {
        pending.push(b'\n');
        take(Copied::Rows(&pending))?;
    }
    // The rows of the snapshot just read that another transaction wrote (see
    // [`crate::manifest::FileEntry::xmin`]): a 32-bit transaction id, spelled as a literal
    // (`xid = xid` is the one comparison every server version has).
    let changed = match xmin {
        Some(x) => {
            let sql = format!("SELECT count(*) FROM {from} WHERE NOT xmin = '{x}'::xid");
            Some(client.query_one(&sql, &[]).await.map_err(failed)?.get::<_, i64>(0) as u64)
        }
        None => None,
    };
    client.batch_execute("COMMIT").await.map_err(failed)?;
    drop(client);
    let _ = connection.await;
    Ok(changed)
}

impl Pg {
    pub(super) fn connect(params: &Params) -> Result<Pg, Error> {
        let mut client = connect(params)?;
        client.batch_execute("BEGIN").map_err(|e| unreachable(params, why(&e)))?;
        if let Some(schema) = &params.schema {
            let found = client
                .query_opt("SELECT 1 FROM pg_namespace WHERE nspname = $1", &[schema])
                .map_err(|e| unreachable(params, why(&e)))?;
            if found.is_none() {
                return Err(Error::usage(format!(
                    "{} has no schema `{schema}`; create it first (or leave out ?schema=)",
                    params.shown()
                )));
            }
            client
                .batch_execute(&format!("SET LOCAL search_path TO {}", quote(Kind::Postgres, schema)))
                .map_err(|e| unreachable(params, why(&e)))?;
        }
        // The transaction gets its id now; its rows will carry the low 32 bits as `xmin`.
        let xid: String =
            client.query_one("SELECT txid_current()::text", &[]).map_err(|e| unreachable(params, why(&e)))?.get(0);
        let xmin = xid.parse::<u64>().map_err(|_| unreachable(params, "an unreadable transaction id"))? & 0xffff_ffff;
        Ok(Pg { client, params: params.clone(), xmin, deferred: Vec::new() })
    }

    fn sql(&mut self, table: &str, sql: &str) -> Result<(), Error> {
        self.client.batch_execute(sql).map_err(|e| failed(&self.params, table, why(&e)))
    }
}

impl Loader for Pg {
    fn transaction(&self) -> Option<u64> {
        Some(self.xmin)
    }

    fn prepare(&mut self, tables: &[TableSpec], opts: &LoadOptions) -> Result<(), Error> {
        let mut empty = Vec::new();
        let mut created = Vec::new();
        for t in tables {
            let rows = self
                .client
                .query(
                    "SELECT column_name::text, CASE WHEN data_type = 'USER-DEFINED' THEN udt_name::text ELSE data_type::text END \
                     FROM information_schema.columns WHERE table_schema = COALESCE($2, current_schema()) \
                     AND table_name = $1 ORDER BY ordinal_position",
                    &[&split_name(&t.name).0, &split_name(&t.name).1],
                )
                .map_err(|e| failed(&self.params, &t.name, why(&e)))?;
            let found: Vec<(String, String)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
            if found.is_empty() {
                if !opts.create {
                    return Err(missing(&self.params, &t.name));
                }
                let sql = create_sql(Kind::Postgres, tables, t);
                self.sql(&t.name, &sql)?;
                created.push(t);
                continue;
            }
            check_columns(&self.params, t, &found)?;
            let name = quote_table(Kind::Postgres, &t.name);
            match opts.if_exists {
                IfExists::Append => {}
                IfExists::Truncate => empty.push(t.name.as_str()),
                IfExists::Fail => {
                    let any = self
                        .client
                        .query_opt(&format!("SELECT 1 FROM {name} LIMIT 1"), &[])
                        .map_err(|e| failed(&self.params, &t.name, why(&e)))?;
                    if any.is_some() {
                        return Err(not_empty(&self.params, &t.name));
                    }
                }
            }
        }
        for t in created {
            for sql in foreign_keys_sql(t) {
                self.sql(&t.name, &sql)?;
            }
        }
        // A foreign key that is checked row by row and points at a table this run loads
        // later (tables in a cycle) would refuse rows whose parents are still to come, and,
        // emptying tables children first, the deletes of the later table's rows: it waits for
        // the commit instead, in this transaction only.
        let position = |name: &str| tables.iter().position(|t| t.name == name);
        let keys = self
            .client
            .query(
                // Names as the run's tables are named: bare in the current schema, else
                // `schema.table`.
                "SELECT CASE WHEN cn.nspname = current_schema() THEN c.relname::text \
                 ELSE cn.nspname || '.' || c.relname END, k.conname::text, \
                 CASE WHEN pn.nspname = current_schema() THEN p.relname::text ELSE pn.nspname || '.' || p.relname END \
                 FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid \
                 JOIN pg_namespace cn ON cn.oid = c.relnamespace JOIN pg_namespace pn ON pn.oid = p.relnamespace \
                 WHERE k.contype = 'f' AND NOT k.condeferrable",
                &[],
            )
            .map_err(|e| failed(&self.params, "(foreign keys)", why(&e)))?;
        for r in keys {
            let (child, name, parent): (String, String, String) = (r.get(0), r.get(1), r.get(2));
            if let (Some(c), Some(p)) = (position(&child), position(&parent)) {
                if p > c {
                    let sql = format!(
                        "ALTER TABLE {} ALTER CONSTRAINT {} DEFERRABLE INITIALLY DEFERRED",
                        quote_table(Kind::Postgres, &child),
                        quote(Kind::Postgres, &name)
                    );
                    self.sql(&child, &sql)?;
                    self.deferred.push((child, name));
                }
            }
        }
        // Children before parents, so that no foreign key is left pointing at a deleted row.
        for t in empty.into_iter().rev() {
            self.sql(t, &format!("DELETE FROM {}", quote_table(Kind::Postgres, t)))?;
        }
        Ok(())
    }

    fn load(&mut self, table: &TableSpec, pieces: &Pieces) -> Result<u64, Error> {
        let cols: Vec<String> = table.columns.iter().map(|c| quote(Kind::Postgres, &c.name)).collect();
        let sql = format!("COPY {} ({}) FROM STDIN", quote_table(Kind::Postgres, &table.name), cols.join(", "));
        let params = self.params.clone();
        let mut writer = self.client.copy_in(&sql).map_err(|e| failed(&params, &table.name, why(&e)))?;
        while let Some(piece) = pieces.next()? {
            writer.write_all(&piece).map_err(|e| failed(&params, &table.name, why(&e)))?;
        }
        writer.finish().map_err(|e| failed(&params, &table.name, why(&e)))
    }

    fn commit(&mut self, tables: &[TableSpec], manifest: &str) -> Result<(), Error> {
        if !self.deferred.is_empty() {
            // Check the keys made to wait, then make them as they were.
            self.sql("(foreign keys)", "SET CONSTRAINTS ALL IMMEDIATE")?;
            for (table, name) in std::mem::take(&mut self.deferred) {
                let sql = format!(
                    "ALTER TABLE {} ALTER CONSTRAINT {} NOT DEFERRABLE",
                    quote_table(Kind::Postgres, &table),
                    quote(Kind::Postgres, &name)
                );
                self.sql(&table, &sql)?;
            }
        }
        for t in tables {
            for c in t.columns.iter().filter(|c| c.dtype == crate::batch::DataType::Int64) {
                // Serial and identity columns: the next value the application draws follows
                // the largest key loaded.
                let (table, column) = (quote_table(Kind::Postgres, &t.name), quote(Kind::Postgres, &c.name));
                let seq: Option<String> = self
                    .client
                    .query_one("SELECT pg_get_serial_sequence($1, $2)", &[&table, &c.name])
                    .map_err(|e| failed(&self.params, &t.name, why(&e)))?
                    .get(0);
                if let Some(seq) = seq {
                    let sql = format!(
                        "SELECT setval($1::text::regclass, m, true) FROM (SELECT max({column}) AS m FROM {table}) s WHERE m IS NOT NULL"
                    );
                    self.client.execute(&sql, &[&seq]).map_err(|e| failed(&self.params, &t.name, why(&e)))?;
                }
            }
        }
        self.sql(
            "synthgate_manifests",
            "CREATE TABLE IF NOT EXISTS synthgate_manifests (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
             created timestamptz NOT NULL DEFAULT now(), manifest text NOT NULL)",
        )?;
        self.client
            .execute("INSERT INTO synthgate_manifests (manifest) VALUES ($1)", &[&manifest])
            .map_err(|e| failed(&self.params, "synthgate_manifests", why(&e)))?;
        // Deferred foreign keys are checked here: a violation is an error, and nothing stays.
        self.client.batch_execute("COMMIT").map_err(|e| failed(&self.params, "(commit)", why(&e)))
    }
}
