//! JSON Lines keep their structure: each line of a chunk is walked again with the same parser
//! that read it, and only the tokens of scrubbed values are replaced (dropped members are cut
//! out with their comma). Key order, whitespace, number spelling and nesting stay as they were.

use std::collections::HashMap;
use std::ops::Range;

use crate::batch::{Batch, Column, Lineage};
use crate::error::Error;
use crate::sink::jsonl::write_json_str;
use crate::source::jsonl::{walk_line, Visit};

/// Rewrites the lines in `raw` (one chunk of a file, as read) with the values of `scrubbed`
/// (that chunk's batch after scrubbing). `skip` says which object members are dropped whole;
/// `first_chunk` says the chunk may start with a byte order mark.
pub fn rewrite(
    raw: &[u8],
    first_chunk: bool,
    scrubbed: &Batch,
    skip: &(dyn Fn(&str) -> bool + Sync),
    file: &str,
) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(raw.len() + raw.len() / 8);
    let index: HashMap<&str, usize> = scrubbed.columns.iter().enumerate().map(|(i, c)| (&*c.name, i)).collect();
    let mut w = Writer {
        columns: &scrubbed.columns,
        index,
        cursor: vec![0; scrubbed.columns.len()],
        row: 0,
        skip,
        skips: HashMap::new(),
        line: &[],
        copied: 0,
        out: &mut out,
    };
    let (mut path, mut text) = (String::new(), String::new());
    let mut rest = raw;
    if first_chunk {
        if let Some(r) = rest.strip_prefix(b"\xEF\xBB\xBF") {
            w.out.extend_from_slice(b"\xEF\xBB\xBF");
            rest = r;
        }
    }
    let mut line_no = 0;
    while !rest.is_empty() {
        let end = rest.iter().position(|&b| b == b'\n').map_or(rest.len(), |i| i + 1);
        let line = &rest[..end];
        rest = &rest[end..];
        line_no += 1;
        if line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')) {
            w.out.extend_from_slice(line);
            continue;
        }
        w.line = line;
        w.copied = 0;
        walk_line(line, &mut path, &mut text, &mut w).map_err(|bad| {
            // The same walk read this line a moment ago; failing now means the file changed.
            Error::config(format!("{file}: line {line_no} of a chunk could not be read again: {}", bad.what))
        })?;
        w.out.extend_from_slice(&line[w.copied..]);
        w.row += 1;
    }
    if w.row != scrubbed.rows {
        return Err(Error::config(format!("{file}: a chunk read {} rows but rewrote {}", scrubbed.rows, w.row)));
    }
    Ok(out)
}

struct Writer<'a> {
    columns: &'a [Column],
    index: HashMap<&'a str, usize>,
    /// The next value of each multi-valued column.
    cursor: Vec<usize>,
    row: usize,
    skip: &'a (dyn Fn(&str) -> bool + Sync),
    skips: HashMap<String, bool>,
    line: &'a [u8],
    /// Bytes of the line already copied or replaced.
    copied: usize,
    out: &'a mut Vec<u8>,
}

impl Writer<'_> {
    /// Copies the line up to `range`, then writes what `replace` writes in its place.
    fn edit(&mut self, range: Range<usize>, replace: impl FnOnce(&mut Vec<u8>)) {
        self.out.extend_from_slice(&self.line[self.copied..range.start]);
        replace(self.out);
        self.copied = range.end;
    }
}

impl Visit for Writer<'_> {
    fn scalar(&mut self, path: &str, _value: Option<&str>, token: Range<usize>) {
        let Some(&k) = self.index.get(path) else {
            // A path the policy drops that could not be cut out as a member (an element of an
            // array): it is written as null, never as it was.
            self.edit(token, |o| o.extend_from_slice(b"null"));
            return;
        };
        let col = &self.columns[k];
        let i = match &col.value_rows {
            Some(_) => {
                self.cursor[k] += 1;
                self.cursor[k] - 1
            }
            None => self.row,
        };
        if col.lineage == Lineage::Input {
            return;
        }
        let was_string = self.line[token.start] == b'"';
        if col.is_null(i) {
            self.edit(token, |o| o.extend_from_slice(b"null"));
            return;
        }
        let crate::batch::Scalar::Str(v) = col.values.scalar(i) else { unreachable!("scrubbed columns hold text") };
        let bare = !was_string && (is_json_number(v) || v == "true" || v == "false");
        self.edit(token, |o| if bare { o.extend_from_slice(v.as_bytes()) } else { write_json_str(v, o) });
    }

    fn skip(&mut self, path: &str) -> bool {
        if let Some(&s) = self.skips.get(path) {
            return s;
        }
        let s = (self.skip)(path);
        self.skips.insert(path.to_string(), s);
        s
    }

    fn skipped(&mut self, bytes: Range<usize>) {
        self.edit(bytes, |_| {});
    }
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    let int_start = i;
    let n = digits(&mut i);
    if n == 0 || (n > 1 && b[int_start] == b'0') {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{StrBuf, Values};
    use std::sync::Arc;

    fn text_col(name: &str, lineage: Lineage, values: &[Option<&str>], rows: Option<Vec<u32>>) -> Column {
        let mut s = StrBuf::default();
        for v in values {
            s.push(v.unwrap_or(""));
        }
        let validity = values.iter().any(Option::is_none).then(|| values.iter().map(Option::is_some).collect());
        let mut c = Column::new(name.into(), lineage, Values::Utf8(s), validity);
        c.value_rows = rows;
        c
    }

    #[test]
    fn replaces_only_scrubbed_tokens_and_cuts_dropped_members() {
        let raw = b"{\"id\": 7, \"email\":\"a@b.test\", \"ssn\":\"x\", \"cards\":[{\"n\":\"1\"},{\"n\":\"2\"}], \"age\": 41}\n\n{\"ssn\":\"y\",\"id\":8,\"email\":null,\"cards\":[],\"age\":9}\n";
        let batch = Batch {
            table: Arc::from("t"),
            first_row: 0,
            rows: 2,
            columns: vec![
                text_col("id", Lineage::Input, &[Some("7"), Some("8")], None),
                text_col("email", Lineage::Scrubbed, &[Some("user-1@example.com"), None], None),
                text_col("cards[*].n", Lineage::Scrubbed, &[Some("A\""), Some("B")], Some(vec![0, 0])),
                text_col("age", Lineage::Scrubbed, &[Some("40"), Some("0-9")], None),
            ],
        };
        let skip = |p: &str| p == "ssn";
        let out = rewrite(raw, true, &batch, &skip, "f.jsonl").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"id\": 7, \"email\":\"user-1@example.com\", \"cards\":[{\"n\":\"A\\\"\"},{\"n\":\"B\"}], \"age\": 40}\n\n\
             {\"id\":8,\"email\":null,\"cards\":[],\"age\":\"0-9\"}\n"
        );
    }

    #[test]
    fn json_numbers_are_recognised() {
        for ok in ["0", "-1", "12.5", "1e9", "-0.5E-3"] {
            assert!(is_json_number(ok), "{ok}");
        }
        for bad in ["", "01", "1.", ".5", "1e", "+1", "0x1", "1 "] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }
}
