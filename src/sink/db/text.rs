//! The tab-separated text both PostgreSQL's `COPY … FROM STDIN` (text format) and MariaDB's
//! `LOAD DATA` read by default: a row a line, fields split by tabs, `\N` for null, and a
//! backslash before a backslash, tab, newline or carriage return (`\\`, `\t`, `\n`, `\r`).
//! SQLite's loader reads it back ([`fields`]), so every database takes the same bytes and a
//! manifest's hash means the same thing everywhere.

use std::borrow::Cow;

use crate::batch::{Column, Values};
use crate::temporal::{write_date, write_decimal, write_time, write_timestamp};

/// How a database spells booleans and timestamps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavour {
    /// `t`/`f`, `2024-05-01T10:00:00Z` (PostgreSQL; SQLite reads it too).
    Postgres,
    /// `1`/`0`, `2024-05-01 10:00:00` (MariaDB/MySQL `DATETIME` takes no `T` or zone; values
    /// are UTC).
    Mysql,
}

pub fn encode_rows(columns: &[Column], rows: usize, flavour: Flavour) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows * columns.len() * 12 + 64);
    let mut ib = itoa::Buffer::new();
    let mut fb = ryu::Buffer::new();
    for i in 0..rows {
        for (j, c) in columns.iter().enumerate() {
            if j > 0 {
                out.push(b'\t');
            }
            if c.is_null(i) {
                out.extend_from_slice(b"\\N");
                continue;
            }
            match &c.values {
                Values::Int64(v) => out.extend_from_slice(ib.format(v[i]).as_bytes()),
                Values::Float64(v) if v[i].is_finite() => out.extend_from_slice(fb.format(v[i]).as_bytes()),
                // Neither database reads ryu's `inf`/`NaN` the same way: no value.
                Values::Float64(_) => out.extend_from_slice(b"\\N"),
                Values::Bool(v) => out.extend_from_slice(match (flavour, v[i]) {
                    (Flavour::Postgres, true) => b"t",
                    (Flavour::Postgres, false) => b"f",
                    (Flavour::Mysql, true) => b"1",
                    (Flavour::Mysql, false) => b"0",
                }),
                Values::Utf8(v) => escape(v.get(i), &mut out),
                Values::Date(v) => write_date(v[i], &mut out),
                Values::Time(v) => write_time(v[i], &mut out),
                Values::Timestamp(v) => {
                    let start = out.len();
                    write_timestamp(v[i], &mut out);
                    if flavour == Flavour::Mysql {
                        // `YYYY-MM-DDTHH:MM:SS[.ffffff]Z` → `YYYY-MM-DD HH:MM:SS[.ffffff]`.
                        if let Some(t) = out[start..].iter().position(|&b| b == b'T') {
                            out[start + t] = b' ';
                        }
                        if out.last() == Some(&b'Z') {
                            out.pop();
                        }
                    }
                }
                Values::Decimal(v, s) => write_decimal(v[i], *s, &mut out),
            }
        }
        out.push(b'\n');
    }
    out
}

fn escape(s: &str, out: &mut Vec<u8>) {
    let b = s.as_bytes();
    if !b.iter().any(|&c| matches!(c, b'\\' | b'\t' | b'\n' | b'\r')) {
        out.extend_from_slice(b);
        return;
    }
    for &c in b {
        match c {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(c),
        }
    }
}

/// The fields of one line (without its `\n`): `None` for `\N`, escapes undone.
pub fn fields(line: &str) -> impl Iterator<Item = Option<Cow<'_, str>>> {
    RawFields::new(line).map(|(f, escaped)| match (escaped, f) {
        (false, _) => Some(Cow::Borrowed(f)),
        (true, "\\N") => None,
        (true, _) => {
            let mut s = String::with_capacity(f.len());
            unescape_into(f, &mut s);
            Some(Cow::Owned(s))
        }
    })
}

/// Hands each field of one line (without its `\n`) to `field` with its position, as [`fields`]
/// reads them, but with escapes undone in `unescaped` (reused, no allocation per field).
/// Returns how many fields there were.
pub fn each_field(line: &str, unescaped: &mut String, mut field: impl FnMut(usize, Option<&str>)) -> usize {
    let mut n = 0;
    for (f, escaped) in RawFields::new(line) {
        match (escaped, f) {
            (false, _) => field(n, Some(f)),
            (true, "\\N") => field(n, None),
            (true, _) => {
                unescaped.clear();
                unescape_into(f, unescaped);
                field(n, Some(unescaped));
            }
        }
        n += 1;
    }
    n
}

/// A line's fields as written, each with whether it holds a backslash (an escape, or `\N`):
/// one pass over the line's bytes. The fields of a table's rows are short, and a search per
/// field (or two, for the tab and for a backslash) costs more than the bytes.
struct RawFields<'a> {
    line: &'a str,
    /// Where the next field starts; past the end once the last was given.
    start: usize,
}

impl<'a> RawFields<'a> {
    fn new(line: &'a str) -> RawFields<'a> {
        RawFields { line, start: 0 }
    }
}

impl<'a> Iterator for RawFields<'a> {
    type Item = (&'a str, bool);

    fn next(&mut self) -> Option<(&'a str, bool)> {
        let rest = self.line.get(self.start..)?;
        let mut escaped = false;
        for (len, &b) in rest.as_bytes().iter().enumerate() {
            match b {
                b'\t' => {
                    self.start += len + 1;
                    return Some((&rest[..len], escaped));
                }
                b'\\' => escaped = true,
                _ => {}
            }
        }
        self.start = self.line.len() + 1;
        Some((rest, escaped))
    }
}

/// Appends field `f` to `out` with its escapes undone (`\t`, `\n`, `\r`, `\b`, `\f`, `\v`
/// for the control characters `COPY … TO` writes so, and a backslash before anything else
/// standing for that character).
pub fn unescape_into(f: &str, out: &mut String) {
    let mut chars = f.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('v') => out.push('\u{b}'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{Lineage, StrBuf};
    use std::sync::Arc;

    #[test]
    fn text_round_trips_through_escapes_and_nulls() {
        let mut s = StrBuf::default();
        for v in ["plain", "tab\there", "line\nbreak\\and slash", ""] {
            s.push(v);
        }
        let text = Column::new(Arc::from("t"), Lineage::Synthetic, Values::Utf8(s), None);
        let ts = Column::new(
            Arc::from("ts"),
            Lineage::Synthetic,
            Values::Timestamp(vec![0, 1_700_000_000_000_000, 0, 0]),
            Some(vec![true, true, false, true]),
        );
        let flag = Column::new(Arc::from("b"), Lineage::Synthetic, Values::Bool(vec![true, false, true, false]), None);
        let cols = [text, ts, flag];
        let pg = String::from_utf8(encode_rows(&cols, 4, Flavour::Postgres)).unwrap();
        let lines: Vec<&str> = pg.lines().collect();
        assert_eq!(lines.len(), 4, "{pg}");
        assert!(lines[0].starts_with("plain\t1970-01-01T00:00:00Z\tt"), "{pg}");
        let back: Vec<Option<String>> = fields(lines[2]).map(|f| f.map(Cow::into_owned)).collect();
        assert_eq!(back, vec![Some("line\nbreak\\and slash".to_string()), None, Some("t".to_string())]);
        let my = String::from_utf8(encode_rows(&cols, 4, Flavour::Mysql)).unwrap();
        assert!(my.starts_with("plain\t1970-01-01 00:00:00\t1\n"), "{my}");
        assert_eq!(fields("tab\\there").next().unwrap().unwrap(), "tab\there");
    }

    #[test]
    fn each_field_reads_a_line_as_fields_does() {
        let s = |v: &str| Some(v.to_string());
        // Each line with its fields, as COPY's text format means them.
        let lines: [(&str, Vec<Option<String>>); 7] = [
            ("", vec![s("")]),
            ("a", vec![s("a")]),
            ("\\N", vec![None]),
            ("a\tb\t\\N\t", vec![s("a"), s("b"), None, s("")]),
            ("\t\t", vec![s(""), s(""), s("")]),
            ("x\\ty\tno\\\\N\t\\N\\N\tcafé\\\\", vec![s("x\ty"), s("no\\N"), s("NN"), s("café\\")]),
            ("\\b\\f\\v\\n\\r\\\\\tlast\\", vec![s("\u{8}\u{c}\u{b}\n\r\\"), s("last\\")]),
        ];
        let mut unescaped = String::new();
        for (line, want) in lines {
            let read: Vec<Option<String>> = fields(line).map(|f| f.map(Cow::into_owned)).collect();
            assert_eq!(read, want, "{line:?}");
            let mut got = Vec::new();
            let n = each_field(line, &mut unescaped, |i, f| {
                assert_eq!(i, got.len());
                got.push(f.map(str::to_string));
            });
            assert_eq!((n, got), (want.len(), want), "{line:?}");
        }
        let mut back = String::new();
        unescape_into("\\b\\f\\v\\t", &mut back);
        assert_eq!(back, "\u{8}\u{c}\u{b}\t", "the control characters COPY TO escapes");
    }
}
