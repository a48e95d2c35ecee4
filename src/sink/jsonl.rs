//! JSON Lines: one object per row, keys in column order. Dates, times and timestamps are
//! ISO 8601 strings; decimals are JSON numbers written exactly; a null is `null`.

use crate::batch::{Column, Values};
use crate::temporal::{write_date, write_decimal, write_time, write_timestamp};

pub fn encode_rows(columns: &[Column], rows: usize) -> Vec<u8> {
    let keys: Vec<Vec<u8>> = columns
        .iter()
        .enumerate()
        .map(|(j, c)| {
            let mut k = Vec::new();
            k.push(if j == 0 { b'{' } else { b',' });
            write_json_str(&c.name, &mut k);
            k.push(b':');
            k
        })
        .collect();
    let mut out = Vec::with_capacity(rows * (columns.len() * 24 + 2));
    let mut ib = itoa::Buffer::new();
    let mut fb = ryu::Buffer::new();
    for i in 0..rows {
        for (j, c) in columns.iter().enumerate() {
            out.extend_from_slice(&keys[j]);
            if c.is_null(i) {
                out.extend_from_slice(b"null");
                continue;
            }
            match &c.values {
                Values::Int64(v) => out.extend_from_slice(ib.format(v[i]).as_bytes()),
                Values::Float64(v) => {
                    if v[i].is_finite() {
                        out.extend_from_slice(fb.format(v[i]).as_bytes())
                    } else {
                        out.extend_from_slice(b"null")
                    }
                }
                Values::Bool(v) => out.extend_from_slice(if v[i] { b"true" } else { b"false" }),
                Values::Utf8(v) => write_json_str(v.get(i), &mut out),
                Values::Date(v) => quoted(&mut out, |o| write_date(v[i], o)),
                Values::Time(v) => quoted(&mut out, |o| write_time(v[i], o)),
                Values::Timestamp(v) => quoted(&mut out, |o| write_timestamp(v[i], o)),
                Values::Decimal(v, s) => write_decimal(v[i], *s, &mut out),
            }
        }
        if columns.is_empty() {
            out.push(b'{');
        }
        out.extend_from_slice(b"}\n");
    }
    out
}

fn quoted(out: &mut Vec<u8>, f: impl FnOnce(&mut Vec<u8>)) {
    out.push(b'"');
    f(out);
    out.push(b'"');
}

#[inline]
pub(crate) fn write_json_str(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let b = s.as_bytes();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        let esc: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0..=0x1f => {
                out.extend_from_slice(&b[start..i]);
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', HEX[(c >> 4) as usize], HEX[(c & 0xf) as usize]]);
                start = i + 1;
                continue;
            }
            _ => continue,
        };
        out.extend_from_slice(&b[start..i]);
        out.extend_from_slice(esc);
        start = i + 1;
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}
