//! Spelling values, keys and names in TOML.

pub(super) use crate::schema::is_identifier;

/// A TOML string: basic quotes with escapes, or a literal string where that reads better.
pub fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

pub(super) fn key(name: &str) -> String {
    if is_identifier(name) {
        name.to_string()
    } else {
        quoted(name)
    }
}

pub(super) fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.1}")
    } else {
        let s = format!("{x:.9}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

pub(super) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A table's name in a schema file: an identifier, or `schema.table`.
pub(super) fn is_table_name(name: &str) -> bool {
    match name.split_once('.') {
        Some((schema, table)) => is_identifier(schema) && is_identifier(table),
        None => is_identifier(name),
    }
}

/// A check or predicate, as text from the database: on one line, unless it looks personal.
pub(super) fn shown(opts: &super::MapOptions<'_>, expr: &str) -> String {
    if (opts.looks_personal)(expr) {
        "(withheld: it holds text that looks like personal data)".to_string()
    } else {
        one_line(expr)
    }
}
