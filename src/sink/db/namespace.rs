//! Namespaces: one per workstream (a feature branch's ephemeral environment) inside a target
//! database — a PostgreSQL schema, a MariaDB database, an SQLite file beside the target's
//! (`app.db` → `app.feature-123.db`). Created on demand, recorded in the parent's
//! `synthgate_namespaces` table (who, when, until when), listed with age and size, dropped by
//! name or when expired. A namespace is judged as its parent target: same environment.

use std::time::{SystemTime, UNIX_EPOCH};

use mysql::prelude::Queryable;

use super::{quote, unreachable, why, Kind, Params};
use crate::error::Error;

/// What `namespace list` shows of one namespace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Info {
    pub name: String,
    pub created_by: String,
    /// Seconds since the epoch.
    pub created: i64,
    pub expires: Option<i64>,
    /// Bytes its tables take (SQLite: the file).
    pub size: u64,
}

/// A namespace name: 1 to 48 of `a-z`, `0-9`, `_`, `-`, starting with a letter.
pub fn check_name(name: &str) -> Result<(), Error> {
    let ok = (1..=48).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "`{name}` is not a namespace name: 1 to 48 lower-case letters, digits, `_` or `-`, starting with a letter"
        )))
    }
}

/// `7d`, `12h`, `30m`, `3600s` → seconds.
pub fn parse_ttl(s: &str) -> Result<i64, String> {
    let (n, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = n.parse().map_err(|_| format!("`{s}` is not a duration; write 7d, 12h, 30m or 3600s"))?;
    let mult = match unit {
        "d" => 86_400,
        "h" => 3_600,
        "m" => 60,
        "s" | "" => 1,
        _ => return Err(format!("`{s}` is not a duration; write 7d, 12h, 30m or 3600s")),
    };
    Ok(n * mult)
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// The connection parameters of namespace `name` of `parent`, creating it if needed and
/// recording it (with `ttl` seconds to live, if given). The parent's record table lives in the
/// parent (its schema, database or file).
pub fn open(parent: &Params, name: &str, ttl: Option<i64>) -> Result<Params, Error> {
    check_name(name)?;
    let mut child = parent.clone();
    let who = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    let (created, expires) = (now(), ttl.map(|t| now() + t));
    match parent.kind {
        Kind::Postgres => {
            let mut c = super::postgres::client(parent)?;
            let e = |e| unreachable(parent, why(&e));
            c.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {}", quote(Kind::Postgres, name))).map_err(e)?;
            c.batch_execute(RECORD_TABLE).map_err(e)?;
            c.execute(
                "INSERT INTO synthgate_namespaces (name, created_by, created, expires) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (name) DO UPDATE SET expires = EXCLUDED.expires",
                &[&name, &who, &created, &expires],
            )
            .map_err(e)?;
            child.schema = Some(name.to_string());
        }
        Kind::Mysql => {
            let mut c = super::mysql::plain(parent)?;
            let e = |e| unreachable(parent, why(&e));
            c.query_drop(format!("CREATE DATABASE IF NOT EXISTS {} CHARACTER SET utf8mb4", quote(Kind::Mysql, name)))
                .map_err(e)?;
            c.query_drop(RECORD_TABLE).map_err(e)?;
            c.exec_drop(
                "INSERT INTO synthgate_namespaces (name, created_by, created, expires) VALUES (?, ?, ?, ?) \
                 ON DUPLICATE KEY UPDATE expires = VALUES(expires)",
                (name, &who, created, expires),
            )
            .map_err(e)?;
            child.database = name.to_string();
        }
        Kind::Sqlite => {
            let c = rusqlite::Connection::open(parent.path.as_ref().expect("an SQLite file"))
                .map_err(|e| unreachable(parent, why(&e)))?;
            c.execute_batch(RECORD_TABLE).map_err(|e| unreachable(parent, why(&e)))?;
            c.execute(
                "INSERT INTO synthgate_namespaces (name, created_by, created, expires) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (name) DO UPDATE SET expires = excluded.expires",
                rusqlite::params![name, who, created, expires],
            )
            .map_err(|e| unreachable(parent, why(&e)))?;
            child.path = Some(sqlite_file(parent, name));
        }
    }
    Ok(child)
}

const RECORD_TABLE: &str = "CREATE TABLE IF NOT EXISTS synthgate_namespaces (name VARCHAR(48) PRIMARY KEY, \
    created_by VARCHAR(255) NOT NULL, created BIGINT NOT NULL, expires BIGINT NULL)";

/// `app.db` → `app.NAME.db`, beside it.
fn sqlite_file(parent: &Params, name: &str) -> std::path::PathBuf {
    let p = parent.path.as_ref().expect("an SQLite file");
    let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = p.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    p.with_file_name(format!("{stem}.{name}{ext}"))
}

/// The namespaces recorded in `parent`, oldest first.
pub fn list(parent: &Params) -> Result<Vec<Info>, Error> {
    let e = |e: &dyn std::error::Error| unreachable(parent, why(e));
    let mut out: Vec<Info> = Vec::new();
    match parent.kind {
        Kind::Postgres => {
            let mut c = super::postgres::client(parent)?;
            c.batch_execute(RECORD_TABLE).map_err(|x| e(&x))?;
            for r in c
                .query(
                    "SELECT n.name::text, n.created_by::text, n.created, n.expires, \
                     COALESCE((SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace s \
                     ON s.oid = c.relnamespace WHERE s.nspname = n.name AND c.relkind = 'r'), 0)::bigint \
                     FROM synthgate_namespaces n ORDER BY n.created, n.name",
                    &[],
                )
                .map_err(|x| e(&x))?
            {
                out.push(Info {
                    name: r.get(0),
                    created_by: r.get(1),
                    created: r.get(2),
                    expires: r.get(3),
                    size: r.get::<_, i64>(4) as u64,
                });
            }
        }
        Kind::Mysql => {
            let mut c = super::mysql::plain(parent)?;
            c.query_drop(RECORD_TABLE).map_err(|x| e(&x))?;
            let rows: Vec<(String, String, i64, Option<i64>, i64)> = c
                .query(
                    "SELECT n.name, n.created_by, n.created, n.expires, CAST(COALESCE((SELECT SUM(t.data_length + \
                     t.index_length) FROM information_schema.tables t WHERE t.table_schema = n.name), 0) AS SIGNED) \
                     FROM synthgate_namespaces n ORDER BY n.created, n.name",
                )
                .map_err(|x| e(&x))?;
            out.extend(rows.into_iter().map(|(name, created_by, created, expires, size)| Info {
                name,
                created_by,
                created,
                expires,
                size: size as u64,
            }));
        }
        Kind::Sqlite => {
            let c = rusqlite::Connection::open(parent.path.as_ref().expect("an SQLite file")).map_err(|x| e(&x))?;
            c.execute_batch(RECORD_TABLE).map_err(|x| e(&x))?;
            let mut stmt = c
                .prepare("SELECT name, created_by, created, expires FROM synthgate_namespaces ORDER BY created, name")
                .map_err(|x| e(&x))?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, Option<i64>>(3)?,
                    ))
                })
                .map_err(|x| e(&x))?;
            for row in rows {
                let (name, created_by, created, expires) = row.map_err(|x| e(&x))?;
                let size = std::fs::metadata(sqlite_file(parent, &name)).map_or(0, |m| m.len());
                out.push(Info { name, created_by, created, expires, size });
            }
        }
    }
    Ok(out)
}

/// Drops namespace `name` of `parent`: its schema, database or file, and its record.
pub fn drop(parent: &Params, name: &str) -> Result<(), Error> {
    check_name(name)?;
    if !list(parent)?.iter().any(|n| n.name == name) {
        return Err(Error::usage(format!(
            "{} has no namespace `{name}` (see `synthgate namespace list`)",
            parent.shown()
        )));
    }
    let e = |e: &dyn std::error::Error| unreachable(parent, why(e));
    match parent.kind {
        Kind::Postgres => {
            let mut c = super::postgres::client(parent)?;
            let mut tx = c.transaction().map_err(|x| e(&x))?;
            tx.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", quote(Kind::Postgres, name)))
                .map_err(|x| e(&x))?;
            tx.execute("DELETE FROM synthgate_namespaces WHERE name = $1", &[&name]).map_err(|x| e(&x))?;
            tx.commit().map_err(|x| e(&x))?;
        }
        Kind::Mysql => {
            let mut c = super::mysql::plain(parent)?;
            c.query_drop(format!("DROP DATABASE IF EXISTS {}", quote(Kind::Mysql, name))).map_err(|x| e(&x))?;
            c.exec_drop("DELETE FROM synthgate_namespaces WHERE name = ?", (name,)).map_err(|x| e(&x))?;
        }
        Kind::Sqlite => {
            let file = sqlite_file(parent, name);
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(x) if x.kind() == std::io::ErrorKind::NotFound => {}
                Err(x) => return Err(Error::io("cannot remove", &file, x)),
            }
            let c = rusqlite::Connection::open(parent.path.as_ref().expect("an SQLite file")).map_err(|x| e(&x))?;
            c.execute("DELETE FROM synthgate_namespaces WHERE name = ?1", [name]).map_err(|x| e(&x))?;
        }
    }
    Ok(())
}

/// Drops every namespace of `parent` whose time to live has run out; returns their names.
pub fn gc(parent: &Params) -> Result<Vec<String>, Error> {
    let t = now();
    let expired: Vec<String> =
        list(parent)?.into_iter().filter(|n| n.expires.is_some_and(|x| x <= t)).map(|n| n.name).collect();
    for name in &expired {
        drop(parent, name)?;
    }
    Ok(expired)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_durations() {
        for ok in ["feature-123", "pr_42", "a"] {
            check_name(ok).unwrap();
        }
        for bad in ["", "Feature", "1abc", "a;drop", &"a".repeat(49), "a b"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_ttl("7d"), Ok(604_800));
        assert_eq!(parse_ttl("12h"), Ok(43_200));
        assert_eq!(parse_ttl("90"), Ok(90));
        assert!(parse_ttl("7 days").is_err());
    }
}
