//! What a database says about its own tables: columns with their types and nulls, primary
//! keys and foreign keys, read from its catalogue (PostgreSQL's `pg_catalog`, MariaDB's
//! `information_schema`, SQLite's pragmas). `copy` and `scrub` take a table's shape from here
//! when they load it into another database, and load tables parents first.

use mysql::prelude::Queryable;

use super::{unreachable, why, ColumnSpec, ForeignKey, Kind, Params, TableSpec};
use crate::batch::DataType;
use crate::error::Error;

/// The type synthgate reads and writes a column as, from the type the database names.
pub fn data_type(found: &str, scale: Option<i64>) -> DataType {
    let f = found.trim().to_ascii_lowercase();
    // The type's first word, without a length or modifiers: `int(11) unsigned` → `int`.
    let base = f.split(['(', ' ']).next().unwrap_or("");
    if f.starts_with("tinyint(1)") || matches!(base, "bool" | "boolean") {
        return DataType::Bool;
    }
    match base {
        "bigint" | "int" | "int2" | "int4" | "int8" | "integer" | "smallint" | "tinyint" | "mediumint" | "serial"
        | "bigserial" | "smallserial" => DataType::Int64,
        "numeric" | "decimal" => match scale {
            Some(s @ 0..=18) => DataType::Decimal { scale: s as u8 },
            _ => DataType::Float64,
        },
        "double" | "real" | "float" | "float4" | "float8" => DataType::Float64,
        "timestamp" | "timestamptz" | "datetime" => DataType::Timestamp,
        "date" => DataType::Date,
        "time" if !f.contains("with time zone") => DataType::Time,
        _ => DataType::Utf8,
    }
}

/// `tables` as the database describes them, in the order given.
pub fn describe(params: &Params, tables: &[String]) -> Result<Vec<TableSpec>, Error> {
    let mut specs: Vec<TableSpec> = Vec::with_capacity(tables.len());
    for t in tables {
        let columns = columns(params, t)?;
        specs.push(TableSpec { name: t.clone(), columns, primary_key: Vec::new(), foreign_keys: Vec::new() });
    }
    for (table, columns) in primary_keys(params)? {
        if let Some(s) = specs.iter_mut().find(|s| s.name == table) {
            s.primary_key = columns;
        }
    }
    for (table, fk) in foreign_keys(params)? {
        if let Some(s) = specs.iter_mut().find(|s| s.name == table) {
            s.foreign_keys.push(fk);
        }
    }
    Ok(specs)
}

/// `specs` parents first (a table after every table its foreign keys name, where they do not
/// form a cycle; a cycle keeps the given order).
pub fn load_order(mut specs: Vec<TableSpec>) -> Vec<TableSpec> {
    let mut out: Vec<TableSpec> = Vec::with_capacity(specs.len());
    while !specs.is_empty() {
        let ready = specs.iter().position(|s| {
            s.foreign_keys.iter().all(|f| f.parent == s.name || !specs.iter().any(|o| o.name == f.parent))
        });
        out.push(specs.remove(ready.unwrap_or(0)));
    }
    out
}

fn columns(params: &Params, table: &str) -> Result<Vec<ColumnSpec>, Error> {
    let rows: Vec<(String, String, Option<i64>, bool)> = match params.kind {
        Kind::Postgres => {
            let mut c = super::postgres::client(params)?;
            let (bare, schema) = super::split_name(table);
            c.query(
                "SELECT column_name::text, data_type::text, numeric_scale::bigint, is_nullable = 'YES' \
                 FROM information_schema.columns WHERE table_schema = COALESCE($2, current_schema()) \
                 AND table_name = $1 ORDER BY ordinal_position",
                &[&bare, &schema],
            )
            .map_err(|e| unreachable(params, why(&e)))?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect()
        }
        Kind::Mysql => {
            let mut c = super::mysql::plain(params)?;
            let rows: Vec<(String, String, Option<i64>, String)> = c
                .exec(
                    "SELECT column_name, column_type, numeric_scale, is_nullable FROM information_schema.columns \
                     WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position",
                    (table,),
                )
                .map_err(|e| unreachable(params, why(&e)))?;
            rows.into_iter().map(|(n, t, s, null)| (n, t, s, null == "YES")).collect()
        }
        Kind::Sqlite => {
            let c = super::sqlite::read_only(params)?;
            let mut stmt = c
                .prepare("SELECT name, type, \"notnull\" FROM pragma_table_info(?1) ORDER BY cid")
                .map_err(|e| unreachable(params, why(&e)))?;
            let rows = stmt
                .query_map([table], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))
                .map_err(|e| unreachable(params, why(&e)))?;
            let mut out = Vec::new();
            for r in rows {
                let (n, t, notnull) = r.map_err(|e| unreachable(params, why(&e)))?;
                let scale = sqlite_scale(&t);
                out.push((n, t, scale, notnull == 0));
            }
            out
        }
    };
    Ok(rows
        .into_iter()
        .map(|(name, ty, scale, nullable)| ColumnSpec { dtype: data_type(&ty, scale), name, nullable, loose: false })
        .collect())
}

/// `NUMERIC(10, 2)` → 2.
fn sqlite_scale(ty: &str) -> Option<i64> {
    let inner = ty.split_once('(')?.1.strip_suffix(')')?;
    inner.split_once(',').map_or(Some(0), |(_, s)| s.trim().parse().ok())
}

/// Primary keys: (table, columns in key order).
fn primary_keys(params: &Params) -> Result<Vec<(String, Vec<String>)>, Error> {
    // (table, column), in key order within each table.
    let rows: Vec<(String, String)> = match params.kind {
        Kind::Postgres => {
            let mut c = super::postgres::client(params)?;
            c.query(
                "SELECT cl.relname::text, a.attname::text FROM pg_constraint k \
                 JOIN pg_class cl ON cl.oid = k.conrelid \
                 CROSS JOIN LATERAL unnest(k.conkey) WITH ORDINALITY AS u(attnum, n) \
                 JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum \
                 WHERE k.contype = 'p' \
                 AND cl.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) \
                 ORDER BY cl.relname, u.n",
                &[],
            )
            .map_err(|e| unreachable(params, why(&e)))?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
        }
        Kind::Mysql => {
            let mut c = super::mysql::plain(params)?;
            c.query(
                "SELECT table_name, column_name FROM information_schema.key_column_usage \
                 WHERE table_schema = DATABASE() AND constraint_name = 'PRIMARY' \
                 ORDER BY table_name, ordinal_position",
            )
            .map_err(|e| unreachable(params, why(&e)))?
        }
        Kind::Sqlite => {
            let c = super::sqlite::read_only(params)?;
            let mut stmt = c
                .prepare(
                    "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND p.pk > 0 ORDER BY m.name, p.pk",
                )
                .map_err(|e| unreachable(params, why(&e)))?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).map_err(|e| unreachable(params, why(&e)))?;
            rows.collect::<Result<_, _>>().map_err(|e| unreachable(params, why(&e)))?
        }
    };
    let mut keys: Vec<(String, Vec<String>)> = Vec::new();
    for (table, column) in rows {
        match keys.last_mut() {
            Some((t, cols)) if *t == table => cols.push(column),
            _ => keys.push((table, vec![column])),
        }
    }
    Ok(keys)
}

/// Foreign keys: (table, key), composite ones with their columns in key order.
pub(super) fn foreign_keys(params: &Params) -> Result<Vec<(String, ForeignKey)>, Error> {
    // (table, constraint, column, parent, parent column), in key order within a constraint.
    let rows: Vec<(String, String, String, String, String)> = match params.kind {
        Kind::Postgres => {
            let mut c = super::postgres::client(params)?;
            c.query(
                "SELECT cl.relname::text, k.conname::text, a.attname::text, pcl.relname::text, pa.attname::text \
                 FROM pg_constraint k JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_class pcl ON pcl.oid = k.confrelid \
                 CROSS JOIN LATERAL unnest(k.conkey, k.confkey) WITH ORDINALITY AS u(attnum, pattnum, n) \
                 JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.attnum \
                 JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = u.pattnum \
                 WHERE k.contype = 'f' \
                 AND cl.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) \
                 ORDER BY cl.relname, k.conname, u.n",
                &[],
            )
            .map_err(|e| unreachable(params, why(&e)))?
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
            .collect()
        }
        Kind::Mysql => {
            let mut c = super::mysql::plain(params)?;
            c.query(
                "SELECT table_name, constraint_name, column_name, referenced_table_name, referenced_column_name \
                 FROM information_schema.key_column_usage WHERE table_schema = DATABASE() \
                 AND referenced_table_name IS NOT NULL ORDER BY table_name, constraint_name, ordinal_position",
            )
            .map_err(|e| unreachable(params, why(&e)))?
        }
        Kind::Sqlite => {
            let c = super::sqlite::read_only(params)?;
            // A reference without columns names the parent's primary key.
            let mut stmt = c
                .prepare(
                    "SELECT m.name, CAST(p.id AS TEXT), p.\"from\", p.\"table\", \
                     COALESCE(p.\"to\", (SELECT k.name FROM pragma_table_info(p.\"table\") k WHERE k.pk = p.seq + 1)) \
                     FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) p WHERE m.type = 'table' \
                     ORDER BY m.name, p.id, p.seq",
                )
                .map_err(|e| unreachable(params, why(&e)))?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get::<_, Option<String>>(4)?)))
                .map_err(|e| unreachable(params, why(&e)))?;
            rows.map(|r| {
                r.map(|(a, b, c, d, e): (String, String, String, String, Option<String>)| {
                    (a, b, c, d, e.unwrap_or_default())
                })
            })
            .collect::<Result<_, _>>()
            .map_err(|e| unreachable(params, why(&e)))?
        }
    };
    let mut keys: Vec<(String, String, ForeignKey)> = Vec::new();
    for (table, name, column, parent, parent_column) in rows {
        match keys.last_mut() {
            Some((t, n, fk)) if *t == table && *n == name => {
                fk.columns.push(column);
                fk.parent_columns.push(parent_column);
            }
            _ => keys.push((
                table,
                name,
                ForeignKey { columns: vec![column], parent, parent_columns: vec![parent_column] },
            )),
        }
    }
    Ok(keys.into_iter().map(|(t, _, fk)| (t, fk)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_types_map_to_what_synthgate_reads() {
        for (found, scale, want) in [
            ("bigint", None, DataType::Int64),
            ("integer", None, DataType::Int64),
            ("tinyint(1)", None, DataType::Bool),
            ("boolean", None, DataType::Bool),
            ("numeric", Some(2), DataType::Decimal { scale: 2 }),
            ("decimal(38,2)", Some(2), DataType::Decimal { scale: 2 }),
            ("numeric", None, DataType::Float64),
            ("double precision", None, DataType::Float64),
            ("timestamp with time zone", None, DataType::Timestamp),
            ("datetime(6)", None, DataType::Timestamp),
            ("date", None, DataType::Date),
            ("time without time zone", None, DataType::Time),
            ("time with time zone", None, DataType::Utf8),
            ("character varying", None, DataType::Utf8),
            ("jsonb", None, DataType::Utf8),
            ("interval", None, DataType::Utf8),
            ("int(11) unsigned", None, DataType::Int64),
            ("integer", None, DataType::Int64),
            ("point", None, DataType::Utf8),
        ] {
            assert_eq!(data_type(found, scale), want, "{found}");
        }
        assert_eq!(sqlite_scale("NUMERIC(10, 2)"), Some(2));
        assert_eq!(sqlite_scale("TEXT"), None);
    }

    #[test]
    fn parents_load_first_and_cycles_keep_their_order() {
        let spec = |name: &str, parents: &[&str]| TableSpec {
            name: name.into(),
            columns: vec![],
            primary_key: vec![],
            foreign_keys: parents
                .iter()
                .map(|p| ForeignKey {
                    columns: vec!["x".into()],
                    parent: p.to_string(),
                    parent_columns: vec!["id".into()],
                })
                .collect(),
        };
        let order: Vec<String> = load_order(vec![
            spec("items", &["orders"]),
            spec("orders", &["customers", "orders"]),
            spec("customers", &[]),
        ])
        .into_iter()
        .map(|t| t.name)
        .collect();
        assert_eq!(order, ["customers", "orders", "items"]);
        let cycle: Vec<String> =
            load_order(vec![spec("a", &["b"]), spec("b", &["a"])]).into_iter().map(|t| t.name).collect();
        assert_eq!(cycle, ["a", "b"]);
    }
}
