//! Declared SQL types, as PostgreSQL, MariaDB/MySQL and SQLite spell them, read into the
//! handful of shapes a generator cares about.

use super::model::{DbSchema, Dialect};

#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    /// Integers with the range their type holds.
    Int {
        min: i64,
        max: i64,
    },
    Decimal {
        precision: u32,
        scale: u32,
    },
    Float,
    Money,
    /// `max`: a declared length (`varchar(40)`, `char(2)`); `fixed` for `char(n)`.
    Text {
        max: Option<u32>,
        fixed: bool,
    },
    Bool,
    Date,
    Time,
    Timestamp,
    Interval,
    Uuid,
    Json,
    Bytes,
    Inet,
    Cidr,
    Mac,
    Array(Box<Ty>),
    Enum(Vec<String>),
    /// MySQL `SET(...)`: any combination; one member at a time is generated.
    Set(Vec<String>),
    Year,
    TsVector,
    /// Anything else (composite, geometric, range, xml, user types): named as declared.
    Other(String),
}

impl Ty {
    pub fn is_text(&self) -> bool {
        matches!(self, Ty::Text { .. })
    }
}

/// Reads a declared type. Enums are looked up in `schema` (PostgreSQL's `CREATE TYPE`);
/// domains are resolved by the caller.
pub fn read(declared: &str, dialect: Dialect, schema: &DbSchema) -> Ty {
    let d = declared.trim().to_ascii_lowercase();
    if let Some(inner) = d.strip_suffix("[]") {
        return Ty::Array(Box::new(read(inner, dialect, schema)));
    }
    if d.starts_with("_") && dialect == Dialect::Postgres {
        // PostgreSQL's internal array names (`_int4`).
        return Ty::Array(Box::new(read(&d[1..], dialect, schema)));
    }
    if let Some(list) = d.strip_prefix("enum(").or_else(|| d.strip_prefix("enum (")) {
        return Ty::Enum(quoted_list(list));
    }
    if let Some(list) = d.strip_prefix("set(").or_else(|| d.strip_prefix("set (")) {
        return Ty::Set(quoted_list(list));
    }
    let unqualified = d.rsplit('.').next().unwrap_or(&d).trim_matches('"');
    if let Some(e) = schema.enums.iter().find(|e| e.name == unqualified) {
        return Ty::Enum(e.labels.clone());
    }
    let (base, args) = match d.split_once('(') {
        Some((b, rest)) => {
            let inside = rest.split(')').next().unwrap_or("");
            let args: Vec<u32> = inside.split(',').filter_map(|a| a.trim().parse().ok()).collect();
            // `timestamp(3) with time zone`: the words after the parentheses.
            let after = rest.split_once(')').map_or("", |x| x.1);
            (format!("{}{}", b.trim(), after).trim().to_string(), args)
        }
        None => (d.clone(), Vec::new()),
    };
    let unsigned = base.contains("unsigned");
    let base = base.replace(" unsigned", "").replace(" zerofill", "");
    let first = base.split_whitespace().next().unwrap_or("");
    let int = |bits: u32| {
        if unsigned {
            Ty::Int { min: 0, max: if bits >= 64 { i64::MAX } else { ((1u64 << bits) - 1) as i64 } }
        } else {
            let max = if bits >= 64 { i64::MAX } else { (1i64 << (bits - 1)) - 1 };
            Ty::Int { min: -max - 1, max }
        }
    };
    match first {
        "tinyint" if args.first() == Some(&1) && dialect == Dialect::Mysql => Ty::Bool,
        "bool" | "boolean" => Ty::Bool,
        "tinyint" => int(8),
        "smallint" | "int2" | "smallserial" | "serial2" => int(16),
        "mediumint" => int(24),
        "int" | "integer" | "int4" | "serial" | "serial4" => {
            // SQLite's INTEGER is 64-bit.
            if dialect == Dialect::Sqlite {
                int(64)
            } else {
                int(32)
            }
        }
        "bigint" | "int8" | "bigserial" | "serial8" => int(64),
        "numeric" | "decimal" | "dec" | "fixed" => match args.as_slice() {
            [p, s] => Ty::Decimal { precision: *p, scale: *s },
            [p] => Ty::Decimal { precision: *p, scale: 0 },
            _ => Ty::Decimal { precision: 18, scale: 2 },
        },
        "money" | "smallmoney" => Ty::Money,
        "real" | "float" | "float4" | "float8" | "double" => Ty::Float,
        "varchar" | "nvarchar" | "varchar2" => Ty::Text { max: args.first().copied(), fixed: false },
        "character" | "char" | "nchar" | "bpchar" if base.contains("varying") => {
            Ty::Text { max: args.first().copied(), fixed: false }
        }
        "character" | "char" | "nchar" | "bpchar" => {
            Ty::Text { max: Some(args.first().copied().unwrap_or(1)), fixed: true }
        }
        "text" | "tinytext" | "mediumtext" | "longtext" | "clob" | "citext" | "string" | "name" => {
            let max = match first {
                "tinytext" => Some(255),
                _ => None,
            };
            Ty::Text { max, fixed: false }
        }
        "date" => Ty::Date,
        "time" | "timetz" => Ty::Time,
        "timestamp" | "timestamptz" | "datetime" | "datetime2" | "smalldatetime" => Ty::Timestamp,
        "interval" => Ty::Interval,
        "uuid" | "uniqueidentifier" => Ty::Uuid,
        "json" | "jsonb" => Ty::Json,
        "bytea" | "blob" | "tinyblob" | "mediumblob" | "longblob" | "binary" | "varbinary" => Ty::Bytes,
        "inet" => Ty::Inet,
        "cidr" => Ty::Cidr,
        "macaddr" | "macaddr8" => Ty::Mac,
        "year" => Ty::Year,
        "tsvector" => Ty::TsVector,
        "" => match dialect {
            // SQLite: a column with no type holds anything; text is the safest guess.
            Dialect::Sqlite => Ty::Text { max: None, fixed: false },
            _ => Ty::Other(d.clone()),
        },
        _ if dialect == Dialect::Sqlite => sqlite_affinity(&base),
        _ => Ty::Other(d.clone()),
    }
}

/// SQLite's rules for a type name it does not know: by the words it contains.
fn sqlite_affinity(t: &str) -> Ty {
    if t.contains("int") {
        Ty::Int { min: i64::MIN, max: i64::MAX }
    } else if t.contains("char") || t.contains("clob") || t.contains("text") {
        Ty::Text { max: None, fixed: false }
    } else if t.contains("blob") {
        Ty::Bytes
    } else if t.contains("real") || t.contains("floa") || t.contains("doub") {
        Ty::Float
    } else {
        Ty::Decimal { precision: 18, scale: 2 }
    }
}

/// `'a','b c','it''s')` → labels (the closing parenthesis optional).
fn quoted_list(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut v = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    v.push('\'');
                } else {
                    break;
                }
            } else if c == '\\' {
                if let Some(n) = chars.next() {
                    v.push(n);
                }
            } else {
                v.push(c);
            }
        }
        out.push(v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::import::model::EnumType;

    #[test]
    fn declared_types_are_read_in_each_dialect() {
        let mut s = DbSchema::default();
        s.enums.push(EnumType { name: "order_status".into(), labels: vec!["new".into(), "paid".into()] });
        let pg = |t: &str| read(t, Dialect::Postgres, &s);
        assert_eq!(pg("character varying(40)"), Ty::Text { max: Some(40), fixed: false });
        assert_eq!(pg("character(2)"), Ty::Text { max: Some(2), fixed: true });
        assert_eq!(pg("numeric(12,2)"), Ty::Decimal { precision: 12, scale: 2 });
        assert_eq!(pg("smallint"), Ty::Int { min: -32768, max: 32767 });
        assert_eq!(pg("integer[]"), Ty::Array(Box::new(Ty::Int { min: i32::MIN as i64, max: i32::MAX as i64 })));
        assert_eq!(pg("public.order_status"), Ty::Enum(vec!["new".into(), "paid".into()]));
        assert_eq!(pg("timestamp(3) with time zone"), Ty::Timestamp);
        assert_eq!(pg("time without time zone"), Ty::Time);
        assert_eq!(pg("point"), Ty::Other("point".into()));
        let my = |t: &str| read(t, Dialect::Mysql, &s);
        assert_eq!(my("tinyint(1)"), Ty::Bool);
        assert_eq!(my("int(10) unsigned"), Ty::Int { min: 0, max: u32::MAX as i64 });
        assert_eq!(my("enum('a','it''s')"), Ty::Enum(vec!["a".into(), "it's".into()]));
        assert_eq!(my("set('x','y')"), Ty::Set(vec!["x".into(), "y".into()]));
        assert_eq!(my("datetime(6)"), Ty::Timestamp);
        assert_eq!(my("year(4)"), Ty::Year);
        let lite = |t: &str| read(t, Dialect::Sqlite, &s);
        assert_eq!(lite("INTEGER"), Ty::Int { min: i64::MIN, max: i64::MAX });
        assert_eq!(lite("NUMERIC(10,2)"), Ty::Decimal { precision: 10, scale: 2 });
        assert_eq!(lite(""), Ty::Text { max: None, fixed: false });
        assert_eq!(lite("UNSIGNED BIG INT"), Ty::Int { min: i64::MIN, max: i64::MAX });
    }
}
