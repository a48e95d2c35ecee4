//! `schema import` from a live database: every table of one schema with its columns, keys,
//! unique sets, checks, enums and domains, read from the catalogue in a handful of queries
//! (not one per table, so that a 70-table schema reads in well under a second).
//!
//! PostgreSQL: `pg_catalog`, the URL's `?schema=` or the current schema. MariaDB/MySQL:
//! `information_schema` of the URL's database. SQLite: the `CREATE` statements it keeps in
//! `sqlite_master`, read by the DDL reader, which sees exactly what the author wrote.

use mysql::prelude::Queryable;

use super::{unreachable, why, Kind, Params};
use crate::error::Error;
use crate::schema::import::model::{Check, Column, DbSchema, Dialect, Domain, EnumType, ForeignKey, Table, Unique};

/// Reads the schema; `counts`: for SQLite (which keeps no statistics), count each table's rows.
pub fn read(params: &Params, counts: bool) -> Result<DbSchema, Error> {
    let mut s = match params.kind {
        Kind::Postgres => postgres(params)?,
        Kind::Mysql => mysql(params)?,
        Kind::Sqlite => sqlite(params, counts)?,
    };
    s.source = params.shown();
    // The metadata synthgate itself keeps is not the application's.
    s.tables.retain(|t| !t.name.starts_with("synthgate_"));
    Ok(s)
}

pub fn dialect(kind: Kind) -> Dialect {
    match kind {
        Kind::Postgres => Dialect::Postgres,
        Kind::Mysql => Dialect::Mysql,
        Kind::Sqlite => Dialect::Sqlite,
    }
}

fn postgres(params: &Params) -> Result<DbSchema, Error> {
    let mut c = super::postgres::client(params)?;
    let err = |e: postgres::Error| unreachable(params, why(&e));
    let mut s = DbSchema::default();
    let schema: String = c.query_one("SELECT current_schema()::text", &[]).map_err(err)?.get(0);
    s.default_schema = Some(schema.clone());
    // Every schema of the application's: not the system's, not synthgate's namespaces (each a
    // copy of the target's tables for one workstream).
    let namespaces = super::postgres::namespaces(&mut c).map_err(err)?;
    let schemas: Vec<String> = c
        .query(
            "SELECT nspname::text FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') \
             AND nspname NOT LIKE 'pg\\_%' ORDER BY nspname <> current_schema(), nspname",
            &[],
        )
        .map_err(err)?
        .iter()
        .map(|r| r.get::<_, String>(0))
        .filter(|n| !namespaces.contains(n))
        .collect();
    let find = |tables: &[Table], nsp: &str, name: &str| -> Option<usize> {
        tables.iter().position(|t| t.name == name && t.schema.as_deref() == Some(nsp))
    };
    // Relations: tables (ordinary and partitioned parents); views and the rest are listed.
    for r in c
        .query(
            "SELECT c.relname::text, c.relkind::text, c.reltuples::float8, c.relispartition, \
             obj_description(c.oid, 'pg_class'), (SELECT p.relname::text FROM pg_inherits i \
             JOIN pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = c.oid LIMIT 1), n.nspname::text \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY c.oid",
            &[&schemas],
        )
        .map_err(err)?
    {
        let (name, kind, nsp): (String, String, String) = (r.get(0), r.get(1), r.get(6));
        let shown = if nsp == schema { name.clone() } else { format!("{nsp}.{name}") };
        let partition: bool = r.get(3);
        match kind.as_str() {
            "v" => s.skipped.push((shown, "a view".into())),
            "m" => s.skipped.push((shown, "a materialised view".into())),
            "f" => s.skipped.push((shown, "a foreign table".into())),
            _ if partition => {
                let parent: Option<String> = r.get(5);
                s.skipped.push((shown, format!("a partition of {}", parent.unwrap_or_default())));
            }
            _ => {
                let tuples: f64 = r.get(2);
                s.tables.push(Table {
                    schema: Some(nsp),
                    name,
                    partitioned: kind == "p",
                    // -1: never analysed.
                    row_estimate: (tuples >= 0.0).then_some(tuples as u64),
                    comment: r.get(4),
                    ..Table::default()
                });
            }
        }
    }
    for r in c
        .query(
            "SELECT t.typname::text, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_type t \
             JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY t.typname",
            &[],
        )
        .map_err(err)?
    {
        s.enums.push(EnumType { name: r.get(0), labels: r.get(1) });
    }
    for r in c
        .query(
            "SELECT t.typname::text, format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault, \
             ARRAY(SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k WHERE k.contypid = t.oid ORDER BY k.conname) \
             FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
             WHERE t.typtype = 'd' AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY t.typname",
            &[],
        )
        .map_err(err)?
    {
        let checks: Vec<String> = r.get(4);
        s.domains.push(Domain {
            name: r.get(0),
            base: r.get(1),
            not_null: r.get(2),
            default: r.get(3),
            checks: checks.iter().map(|c| strip_check(c)).collect(),
        });
    }
    for r in c
        .query(
            "SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull, \
             CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END, a.attidentity <> '', \
             a.attgenerated <> '', t.typtype::text, t.typname::text, n.nspname::text \
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid \
             LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
             WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped \
             ORDER BY n.nspname, c.relname, a.attnum",
            &[&schemas],
        )
        .map_err(err)?
    {
        let (table, nsp): (String, String) = (r.get(0), r.get(9));
        let Some(i) = find(&s.tables, &nsp, &table) else { continue };
        let t = &mut s.tables[i];
        let default: Option<String> = r.get(4);
        let identity: bool = r.get(5);
        let serial = default.as_deref().is_some_and(|d| d.starts_with("nextval("));
        let (typtype, typname): (String, String) = (r.get(7), r.get(8));
        // Enums and domains by their own name, unqualified; everything else as PostgreSQL
        // prints it (`character varying(40)`, `integer[]`).
        let data_type: String = if typtype == "e" || typtype == "d" { typname } else { r.get(2) };
        t.columns.push(Column {
            name: r.get(1),
            data_type,
            nullable: !r.get::<_, bool>(3),
            default,
            identity: identity || serial,
            generated: r.get(6),
        });
    }
    for r in c
        .query(
            "SELECT c.relname::text, k.conname::text, k.contype::text, pg_get_constraintdef(k.oid), k.condeferrable, \
             ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, o) \
                   JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o), \
             p.relname::text, pn.nspname::text, \
             ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, o) \
                   JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o), \
             n.nspname::text \
             FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN pg_class p ON p.oid = k.confrelid LEFT JOIN pg_namespace pn ON pn.oid = p.relnamespace \
             WHERE n.nspname = ANY($1) AND k.contype IN ('p', 'u', 'f', 'c') AND NOT c.relispartition \
             ORDER BY n.nspname, c.relname, k.contype, k.conname",
            &[&schemas],
        )
        .map_err(err)?
    {
        let (table, nsp): (String, String) = (r.get(0), r.get(9));
        let Some(i) = find(&s.tables, &nsp, &table) else { continue };
        let t = &mut s.tables[i];
        let (name, kind, def): (String, String, String) = (r.get(1), r.get(2), r.get(3));
        let columns: Vec<String> = r.get(5);
        match kind.as_str() {
            "p" => t.primary_key = columns,
            "u" => t.uniques.push(Unique { name: Some(name), columns, predicate: None }),
            "f" => {
                let parent_schema: Option<String> = r.get(7);
                t.foreign_keys.push(ForeignKey {
                    name: Some(name),
                    columns,
                    parent_schema: parent_schema.filter(|p| *p != schema),
                    parent: r.get::<_, Option<String>>(6).unwrap_or_default(),
                    parent_columns: r.get(8),
                    deferrable: r.get(4),
                })
            }
            _ => t.checks.push(Check { name: Some(name), expr: strip_check(&def) }),
        }
    }
    // Unique indexes that are not constraints (partial ones among them).
    for r in c
        .query(
            "SELECT c.relname::text, i.relname::text, pg_get_expr(x.indpred, x.indrelid), \
             ARRAY(SELECT a.attname::text FROM unnest(x.indkey::int2[]) WITH ORDINALITY u(n, o) \
                   JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = u.n ORDER BY u.o), \
             0 = ANY (x.indkey::int2[]), n.nspname::text \
             FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = ANY($1) AND x.indisunique AND NOT x.indisprimary \
             AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid) \
             ORDER BY n.nspname, c.relname, i.relname",
            &[&schemas],
        )
        .map_err(err)?
    {
        let (table, nsp): (String, String) = (r.get(0), r.get(5));
        let Some(i) = find(&s.tables, &nsp, &table) else { continue };
        let t = &mut s.tables[i];
        let name: String = r.get(1);
        if r.get::<_, bool>(4) {
            s.skipped.push((name, format!("a unique index on expressions of {table}")));
            continue;
        }
        t.uniques.push(Unique { name: Some(name), columns: r.get(3), predicate: r.get(2) });
    }
    Ok(s)
}

/// `CHECK ((x > 0)) NOT VALID` → `(x > 0)`.
fn strip_check(def: &str) -> String {
    let d = def.trim();
    let d = d.strip_suffix("NOT VALID").unwrap_or(d).trim();
    let d = d.strip_suffix("NO INHERIT").unwrap_or(d).trim();
    d.strip_prefix("CHECK").unwrap_or(d).trim().to_string()
}

fn mysql(params: &Params) -> Result<DbSchema, Error> {
    let mut c = super::mysql::plain(params)?;
    let err = |e: mysql::Error| unreachable(params, why(&e));
    let mut s = DbSchema::default();
    let tables: Vec<(String, String, Option<u64>, Option<String>)> = c
        .query(
            "SELECT TABLE_NAME, TABLE_TYPE, TABLE_ROWS, TABLE_COMMENT FROM information_schema.TABLES \
             WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME",
        )
        .map_err(err)?;
    for (name, kind, rows, comment) in tables {
        if kind == "BASE TABLE" {
            s.tables.push(Table {
                name,
                row_estimate: rows,
                comment: comment.filter(|c| !c.is_empty()),
                ..Table::default()
            });
        } else {
            s.skipped.push((name, format!("a {}", kind.to_ascii_lowercase())));
        }
    }
    let columns: Vec<(String, String, String, String, Option<String>, String)> = c
        .query(
            "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA \
             FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION",
        )
        .map_err(err)?;
    for (table, name, ty, nullable, default, extra) in columns {
        let Some(t) = s.tables.iter_mut().find(|t| t.name == table) else { continue };
        let extra = extra.to_ascii_lowercase();
        t.columns.push(Column {
            name,
            data_type: ty.to_ascii_lowercase(),
            nullable: nullable == "YES",
            // MariaDB writes a missing default as the text NULL.
            default: default.filter(|d| d != "NULL"),
            identity: extra.contains("auto_increment"),
            generated: extra.contains("generated"),
        });
    }
    // Keys: (table, constraint, kind, column, parent, parent column), in key order.
    type KeyRow = (String, String, String, String, Option<String>, Option<String>);
    let keys: Vec<KeyRow> = c
        .query(
            "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, t.CONSTRAINT_TYPE, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, \
             k.REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE k \
             JOIN information_schema.TABLE_CONSTRAINTS t ON t.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA \
             AND t.TABLE_NAME = k.TABLE_NAME AND t.CONSTRAINT_NAME = k.CONSTRAINT_NAME \
             WHERE k.TABLE_SCHEMA = DATABASE() ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION",
        )
        .map_err(err)?;
    for (table, name, kind, column, parent, parent_column) in keys {
        let Some(t) = s.tables.iter_mut().find(|t| t.name == table) else { continue };
        match kind.as_str() {
            "PRIMARY KEY" => t.primary_key.push(column),
            "UNIQUE" => match t.uniques.iter_mut().find(|u| u.name.as_deref() == Some(&name)) {
                Some(u) => u.columns.push(column),
                None => t.uniques.push(Unique { name: Some(name), columns: vec![column], predicate: None }),
            },
            "FOREIGN KEY" => match t.foreign_keys.iter_mut().find(|f| f.name.as_deref() == Some(&name)) {
                Some(f) => {
                    f.columns.push(column);
                    f.parent_columns.extend(parent_column);
                }
                None => t.foreign_keys.push(ForeignKey {
                    name: Some(name),
                    columns: vec![column],
                    parent_schema: None,
                    parent: parent.unwrap_or_default(),
                    parent_columns: parent_column.into_iter().collect(),
                    deferrable: false,
                }),
            },
            _ => {}
        }
    }
    // MariaDB names the table of each check; MySQL 8 only through TABLE_CONSTRAINTS.
    let mariadb = c
        .query_first::<String, _>("SELECT VERSION()")
        .map_err(err)?
        .is_some_and(|v| v.to_ascii_lowercase().contains("mariadb"));
    let checks: Vec<(String, String, String)> = if mariadb {
        c.query(
            "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS \
             WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME",
        )
    } else {
        c.query(
            "SELECT t.TABLE_NAME, c.CONSTRAINT_NAME, c.CHECK_CLAUSE FROM information_schema.TABLE_CONSTRAINTS t \
             JOIN information_schema.CHECK_CONSTRAINTS c ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA \
             AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME WHERE t.CONSTRAINT_TYPE = 'CHECK' \
             AND t.TABLE_SCHEMA = DATABASE() ORDER BY t.TABLE_NAME, c.CONSTRAINT_NAME",
        )
    }
    .map_err(err)?;
    for (table, name, clause) in checks {
        let Some(t) = s.tables.iter_mut().find(|t| t.name == table) else { continue };
        // MariaDB's JSON is LONGTEXT with a `json_valid(col)` check: the column is JSON.
        if let Some(inner) = clause.to_ascii_lowercase().strip_prefix("json_valid(") {
            let col = inner.trim_end_matches(')').trim().trim_matches('`').to_string();
            if let Some(c) = t.columns.iter_mut().find(|c| c.name.eq_ignore_ascii_case(&col)) {
                c.data_type = "json".into();
                continue;
            }
        }
        t.checks.push(Check { name: Some(name), expr: clause });
    }
    Ok(s)
}

fn sqlite(params: &Params, counts: bool) -> Result<DbSchema, Error> {
    let c = super::sqlite::read_only(params)?;
    let err = |e: rusqlite::Error| unreachable(params, why(&e));
    let mut stmt = c
        .prepare(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' \
             ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid",
        )
        .map_err(err)?;
    let rows: Vec<(String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(err)?
        .collect::<Result<_, _>>()
        .map_err(err)?;
    let mut text = String::new();
    for (_, _, sql) in &rows {
        text.push_str(sql);
        text.push_str(";\n");
    }
    let shown = params.shown();
    let mut s = crate::schema::import::ddl::parse(&text, Dialect::Sqlite, &shown).map_err(|e| {
        Error::usage(format!("{shown}: a table's definition in sqlite_master cannot be read: {}", e.message))
    })?;
    if counts {
        for t in &mut s.tables {
            let n: i64 = c
                .query_row(&format!("SELECT count(*) FROM {}", super::quote(Kind::Sqlite, &t.name)), [], |r| r.get(0))
                .map_err(err)?;
            t.row_estimate = Some(n as u64);
        }
    }
    Ok(s)
}
