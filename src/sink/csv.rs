//! CSV (RFC 4180): a header row, fields quoted only when they must be. A null is an empty
//! field; an empty string is `""`. Comma and `\n` unless the [`Dialect`] says otherwise (a
//! scrubbed file keeps its source's delimiter and line ends).

/// Delimiter and line end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dialect {
    pub delimiter: u8,
    pub crlf: bool,
}

impl Default for Dialect {
    fn default() -> Dialect {
        Dialect { delimiter: b',', crlf: false }
    }
}

impl Dialect {
    fn end(self, out: &mut Vec<u8>) {
        if self.crlf {
            out.push(b'\r');
        }
        out.push(b'\n');
    }
}

use crate::batch::{Column, Values};
use crate::temporal::{write_date, write_decimal, write_time, write_timestamp};

pub fn header(names: &[&str], d: Dialect) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            out.push(d.delimiter);
        }
        write_str(n, d.delimiter, &mut out);
    }
    d.end(&mut out);
    out
}

pub fn encode_rows(columns: &[Column], rows: usize, d: Dialect) -> Vec<u8> {
    let guess: usize = columns
        .iter()
        .map(|c| match &c.values {
            Values::Utf8(s) => s.byte_len() / rows.max(1) + 3,
            _ => 12,
        })
        .sum::<usize>()
        * rows;
    let mut out = Vec::with_capacity(guess + 64);
    let mut ib = itoa::Buffer::new();
    let mut fb = ryu::Buffer::new();
    for i in 0..rows {
        for (j, c) in columns.iter().enumerate() {
            if j > 0 {
                out.push(d.delimiter);
            }
            if c.is_null(i) {
                continue;
            }
            match &c.values {
                Values::Int64(v) => out.extend_from_slice(ib.format(v[i]).as_bytes()),
                Values::Float64(v) => out.extend_from_slice(fb.format(v[i]).as_bytes()),
                Values::Bool(v) => out.extend_from_slice(if v[i] { b"true" } else { b"false" }),
                Values::Utf8(v) => write_str(v.get(i), d.delimiter, &mut out),
                Values::Date(v) => write_date(v[i], &mut out),
                Values::Time(v) => write_time(v[i], &mut out),
                Values::Timestamp(v) => write_timestamp(v[i], &mut out),
                Values::Decimal(v, s) => write_decimal(v[i], *s, &mut out),
            }
        }
        d.end(&mut out);
    }
    out
}

#[inline]
fn write_str(s: &str, delimiter: u8, out: &mut Vec<u8>) {
    let b = s.as_bytes();
    // Without an early exit the check compiles to vector instructions; fields are short.
    let special = b.iter().fold(false, |acc, &c| acc | (c == delimiter) | (c == b'"') | (c == b'\n') | (c == b'\r'));
    let needs_quotes = b.is_empty() || special;
    if !needs_quotes {
        out.extend_from_slice(b);
        return;
    }
    out.push(b'"');
    for &c in b {
        if c == b'"' {
            out.push(b'"');
        }
        out.push(c);
    }
    out.push(b'"');
}
