//! JSON Lines: one object per line, flattened to columns named by path — nested objects as
//! `address.city`, arrays as `payment_methods[*].number`. Every scalar is text: numbers exactly
//! as written, `true`/`false`, strings unescaped; JSON `null` is a null.
//!
//! A path through an array may hold several values in one row: its column sets `value_rows`.
//! So does a path that a row repeats (a duplicate key), so that every value is scanned. Other
//! columns hold one value per row, null where the row lacks the path. A small strict parser of
//! our own keeps key order and number text, which `serde_json::Value` would not.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::batch::{Batch, Column};
use crate::error::Error;

use super::{table_name, Chunk, Input, Source, SourceFormat, State, TextColumn};

/// Deeper nesting is refused rather than risking the stack.
const MAX_DEPTH: usize = 128;

pub(super) struct JsonlSource {
    path: PathBuf,
    table: Arc<str>,
    reader: BufReader<Input>,
    /// The lines of the chunk being read, exactly as in the file.
    raw: Vec<u8>,
    line_no: u64,
    columns: Columns,
    rows: usize,
    rows_per_chunk: usize,
    first_row: u64,
    state: State,
    disk: Arc<AtomicU64>,
    key_path: String,
    text: String,
}

impl JsonlSource {
    pub(super) fn new(path: &Path, input: Input, disk: Arc<AtomicU64>, rows_per_chunk: usize) -> JsonlSource {
        JsonlSource {
            path: path.to_path_buf(),
            table: table_name(path),
            reader: BufReader::with_capacity(1 << 18, input),
            raw: Vec::new(),
            line_no: 0,
            columns: Columns::default(),
            rows: 0,
            rows_per_chunk,
            first_row: 0,
            state: State::Reading,
            disk,
            key_path: String::new(),
            text: String::new(),
        }
    }

    fn cut(&mut self, raw: Vec<u8>) -> Chunk {
        let rows = self.rows;
        let c = &mut self.columns;
        let columns = c.cols.iter_mut().zip(&c.arc_names).map(|(col, name)| col.take(name, rows)).collect();
        let batch = Batch { table: Arc::clone(&self.table), first_row: self.first_row, rows, columns };
        self.first_row += rows as u64;
        self.rows = 0;
        Chunk { batch, raw }
    }

    /// Parses the line at `raw[start..]` into row `self.rows`.
    fn parse(&mut self, start: usize) -> Result<(), Error> {
        let mut line = &self.raw[start..];
        if self.line_no == 1 {
            line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        }
        let mut into = Into { columns: &mut self.columns, row: self.rows as u32 };
        walk_line(line, &mut self.key_path, &mut self.text, &mut into).map_err(|bad| {
            Error::config(format!(
                "{}: line {} is not valid JSON Lines: {} at column {} (each line must hold one JSON object)",
                self.path.display(),
                self.line_no,
                bad.what,
                bad.at + 1
            ))
        })?;
        self.rows += 1;
        Ok(())
    }

    fn read_chunk(&mut self) -> Result<Option<Chunk>, Error> {
        loop {
            let start = self.raw.len();
            let n =
                self.reader.read_until(b'\n', &mut self.raw).map_err(|e| super::sniff::read_error(&self.path, e))?;
            if n == 0 {
                self.state = State::Done;
                if self.rows == 0 && self.raw.is_empty() {
                    return Ok(None);
                }
                let raw = std::mem::take(&mut self.raw);
                return Ok(Some(self.cut(raw)));
            }
            self.line_no += 1;
            let line = &self.raw[start..];
            let line = if self.line_no == 1 { line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line) } else { line };
            if line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')) {
                continue;
            }
            if self.rows == self.rows_per_chunk {
                // Blank lines stay with the chunk before them; this line starts the next.
                let mut next = Vec::with_capacity(start + (1 << 16));
                next.extend_from_slice(&self.raw[start..]);
                self.raw.truncate(start);
                let raw = std::mem::replace(&mut self.raw, next);
                let chunk = self.cut(raw);
                self.parse(0)?;
                return Ok(Some(chunk));
            }
            self.parse(start)?;
        }
    }
}

impl Source for JsonlSource {
    fn next_chunk(&mut self) -> Result<Option<Chunk>, Error> {
        if !self.state.ready(&self.path)? {
            return Ok(None);
        }
        let r = self.read_chunk();
        self.state.after(r)
    }

    fn format(&self) -> SourceFormat {
        SourceFormat::Jsonl
    }

    fn columns(&self) -> &[String] {
        &self.columns.names
    }

    fn names_as_read(&self) -> &[String] {
        &self.columns.spelled
    }

    fn bytes_read(&self) -> u64 {
        self.disk.load(Ordering::Relaxed)
    }
}

/// Every path seen so far, in first-seen order, with the chunk's values.
#[derive(Default)]
struct Columns {
    names: Vec<String>,
    /// Every path the file spells, in first-seen order: the columns' and those of empty
    /// objects and arrays, which hold no value and so make no column.
    spelled: Vec<String>,
    valueless: std::collections::HashSet<String>,
    arc_names: Vec<Arc<str>>,
    index: HashMap<String, usize>,
    cols: Vec<PathColumn>,
}

impl Columns {
    fn note_name(&mut self, path: &str) {
        if !self.index.contains_key(path) && !self.valueless.contains(path) {
            self.valueless.insert(path.to_string());
            self.spelled.push(path.to_string());
        }
    }

    fn push(&mut self, path: &str, row: u32, value: Option<&str>) {
        let k = match self.index.get(path) {
            Some(&k) => k,
            None => {
                let k = self.cols.len();
                self.index.insert(path.to_string(), k);
                self.names.push(path.to_string());
                if !self.valueless.contains(path) {
                    self.spelled.push(path.to_string());
                }
                self.arc_names.push(path.into());
                self.cols.push(PathColumn::new(path.contains("[*]")));
                k
            }
        };
        self.cols[k].push(row, value);
    }
}

/// One path's values in a chunk, each with its row.
struct PathColumn {
    text: TextColumn,
    rows: Vec<u32>,
    /// Through an array: always reported with `value_rows`.
    through_array: bool,
    /// Some row holds more than one value (an array path, or a repeated key).
    multi: bool,
}

impl PathColumn {
    fn new(through_array: bool) -> PathColumn {
        PathColumn { text: TextColumn::default(), rows: Vec::new(), through_array, multi: through_array }
    }

    fn push(&mut self, row: u32, value: Option<&str>) {
        if self.rows.last() == Some(&row) {
            self.multi = true;
        }
        self.rows.push(row);
        match value {
            Some(v) => self.text.push(v),
            None => self.text.push_null(),
        }
    }

    /// The column for a chunk of `rows` rows; the builder is left empty.
    fn take(&mut self, name: &Arc<str>, rows: usize) -> Column {
        let done = std::mem::replace(self, PathColumn::new(self.through_array));
        if done.multi {
            let mut c = done.text.into_column(name);
            c.value_rows = Some(done.rows);
            return c;
        }
        if done.rows.len() == rows {
            // One value in every row, in order: value `i` is row `i`.
            return done.text.into_column(name);
        }
        // Absent from some rows: null there.
        let mut dense = TextColumn::with_capacity(rows, done.text.values.byte_len() + rows);
        let mut next = done.rows.iter().copied().enumerate().peekable();
        for r in 0..rows as u32 {
            match next.peek() {
                Some(&(i, vr)) if vr == r => {
                    next.next();
                    if done.text.validity[i] {
                        dense.push(done.text.values.get(i));
                    } else {
                        dense.push_null();
                    }
                }
                _ => dense.push_null(),
            }
        }
        dense.into_column(name)
    }
}

/// Where and why a line is not valid JSON (no value from the line).
pub(crate) struct Bad {
    pub at: usize,
    pub what: &'static str,
}

/// What a walk over one line reports.
pub(crate) trait Visit {
    /// A scalar at `path`: its text (strings unescaped, numbers as written, `None` for null)
    /// and the bytes of its token in the line (quotes included).
    fn scalar(&mut self, path: &str, value: Option<&str>, token: std::ops::Range<usize>);
    /// Whether the object member at `path` is left out: it is then parsed without reporting
    /// anything inside it, and [`Visit::skipped`] gets the bytes to delete.
    fn skip(&mut self, _path: &str) -> bool {
        false
    }
    /// The bytes that remove a skipped member, with one comma beside it, from its object.
    fn skipped(&mut self, _bytes: std::ops::Range<usize>) {}
    /// An empty object or array at `path` (never the line's own object): no scalar carries
    /// its key, which is still a name the file spells.
    fn empty(&mut self, _path: &str) {}
}

/// Each scalar of a line into the chunk's columns, as row `row`.
struct Into<'c> {
    columns: &'c mut Columns,
    row: u32,
}

impl Visit for Into<'_> {
    fn scalar(&mut self, path: &str, value: Option<&str>, _token: std::ops::Range<usize>) {
        self.columns.push(path, self.row, value);
    }

    fn empty(&mut self, path: &str) {
        self.columns.note_name(path);
    }
}

/// Whether `line` holds one JSON object (whitespace around it allowed): what makes a text file
/// JSON Lines.
pub(super) fn is_object_line(line: &[u8]) -> bool {
    struct Nothing;
    impl Visit for Nothing {
        fn scalar(&mut self, _: &str, _: Option<&str>, _: std::ops::Range<usize>) {}
    }
    walk_line(line, &mut String::new(), &mut String::new(), &mut Nothing).is_ok()
}

/// Walks one line (a JSON object, surrounding whitespace allowed), reporting to `v`. The same
/// walk reads a file and rewrites it, so both see the same scalars in the same order.
pub(crate) fn walk_line<V: Visit>(line: &[u8], path: &mut String, text: &mut String, v: &mut V) -> Result<(), Bad> {
    path.clear();
    Parser { b: line, i: 0, v, path, text, silent: 0 }.line()
}

/// Parses one line, reporting each scalar under its path.
struct Parser<'a, 'c, V> {
    b: &'a [u8],
    i: usize,
    v: &'c mut V,
    path: &'c mut String,
    text: &'c mut String,
    /// Inside a skipped member: nothing is reported.
    silent: u32,
}

type Parsed = Result<(), Bad>;

impl<V: Visit> Parser<'_, '_, V> {
    fn line(&mut self) -> Parsed {
        self.ws();
        if self.peek() != Some(b'{') {
            return self.bad("not an object");
        }
        self.object(1)?;
        self.ws();
        if self.i != self.b.len() {
            return self.bad("unexpected text after the object");
        }
        Ok(())
    }

    fn bad(&self, what: &'static str) -> Parsed {
        Err(Bad { at: self.i, what })
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\r' | b'\n') = self.peek() {
            self.i += 1;
        }
    }

    fn emit(&mut self, value: Option<&str>, start: usize) {
        if self.silent == 0 {
            self.v.scalar(self.path, value, start..self.i);
        }
    }

    fn value(&mut self, depth: usize) -> Parsed {
        match self.peek() {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => {
                let start = self.i;
                self.string()?;
                if self.silent == 0 {
                    self.v.scalar(self.path, Some(self.text), start..self.i);
                }
                Ok(())
            }
            Some(b't') => self.literal("true", Some("true")),
            Some(b'f') => self.literal("false", Some("false")),
            Some(b'n') => self.literal("null", None),
            Some(b'-' | b'0'..=b'9') => {
                let b = self.b;
                let start = self.i;
                self.number()?;
                // A valid number is ASCII.
                let text = std::str::from_utf8(&b[start..self.i]).expect("numbers are ASCII");
                self.emit(Some(text), start);
                Ok(())
            }
            Some(_) => self.bad("unexpected character"),
            None => self.bad("unexpected end of line"),
        }
    }

    fn literal(&mut self, word: &'static str, value: Option<&'static str>) -> Parsed {
        if !self.b[self.i..].starts_with(word.as_bytes()) {
            return self.bad("unexpected character");
        }
        let start = self.i;
        self.i += word.len();
        self.emit(value, start);
        Ok(())
    }

    fn object(&mut self, depth: usize) -> Parsed {
        if depth > MAX_DEPTH {
            return self.bad("nested too deeply");
        }
        self.i += 1;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            if self.silent == 0 && depth > 1 {
                self.v.empty(self.path);
            }
            return Ok(());
        }
        // Where the previous member's value ended, and whether any member so far is kept:
        // what a skipped member's deletion takes with it (the comma before it, or after it).
        let mut prev_end = 0;
        let mut kept_before = false;
        loop {
            if self.peek() != Some(b'"') {
                return self.bad("expected a key");
            }
            let key_start = self.i;
            self.string()?;
            let len = self.path.len();
            if len > 0 {
                self.path.push('.');
            }
            self.path.push_str(self.text);
            self.ws();
            if self.peek() != Some(b':') {
                return self.bad("expected ':'");
            }
            self.i += 1;
            self.ws();
            let skip = self.silent == 0 && self.v.skip(self.path);
            self.silent += skip as u32;
            self.value(depth)?;
            self.silent -= skip as u32;
            let value_end = self.i;
            self.path.truncate(len);
            self.ws();
            let more = match self.peek() {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                    true
                }
                Some(b'}') => false,
                _ => return self.bad("expected ',' or '}'"),
            };
            if skip {
                let bytes = match (kept_before, more) {
                    (true, _) => prev_end..value_end,
                    (false, true) => key_start..self.i,
                    (false, false) => key_start..value_end,
                };
                self.v.skipped(bytes);
            } else {
                kept_before = true;
            }
            prev_end = value_end;
            if !more {
                self.i += 1;
                return Ok(());
            }
        }
    }

    fn array(&mut self, depth: usize) -> Parsed {
        if depth > MAX_DEPTH {
            return self.bad("nested too deeply");
        }
        self.i += 1;
        let len = self.path.len();
        self.ws();
        if self.peek() == Some(b']') && self.silent == 0 {
            self.v.empty(self.path);
        }
        self.path.push_str("[*]");
        if self.peek() == Some(b']') {
            self.i += 1;
        } else {
            loop {
                self.value(depth)?;
                self.ws();
                match self.peek() {
                    Some(b',') => {
                        self.i += 1;
                        self.ws();
                    }
                    Some(b']') => {
                        self.i += 1;
                        break;
                    }
                    _ => return self.bad("expected ',' or ']'"),
                }
            }
        }
        self.path.truncate(len);
        Ok(())
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while let Some(b'0'..=b'9') = self.peek() {
            self.i += 1;
        }
        self.i - start
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Parsed {
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        match self.peek() {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return self.bad("invalid number"),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return self.bad("invalid number");
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return self.bad("invalid number");
            }
        }
        Ok(())
    }

    /// A string, unescaped into `self.text`. Invalid UTF-8 and lone surrogates become U+FFFD.
    fn string(&mut self) -> Parsed {
        let b = self.b;
        self.i += 1;
        self.text.clear();
        loop {
            let start = self.i;
            while let Some(&c) = b.get(self.i) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            // Runs end at ASCII bytes, so a valid multi-byte character is never split.
            match std::str::from_utf8(&b[start..self.i]) {
                Ok(s) => self.text.push_str(s),
                Err(_) => self.text.push_str(&String::from_utf8_lossy(&b[start..self.i])),
            }
            match self.peek() {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.i += 1;
                    self.escape()?;
                }
                Some(_) => return self.bad("control character in a string"),
                None => return self.bad("unterminated string"),
            }
        }
    }

    fn escape(&mut self) -> Parsed {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.i += 1;
                let hi = self.hex4()?;
                let c = if (0xD800..0xDC00).contains(&hi) {
                    let b = self.b;
                    if b[self.i..].starts_with(b"\\u") {
                        let save = self.i;
                        self.i += 2;
                        let lo = self.hex4()?;
                        if (0xDC00..0xE000).contains(&lo) {
                            char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                        } else {
                            self.i = save;
                            None
                        }
                    } else {
                        None
                    }
                } else {
                    char::from_u32(hi)
                };
                self.text.push(c.unwrap_or('\u{FFFD}'));
                return Ok(());
            }
            _ => return self.bad("invalid escape"),
        };
        self.i += 1;
        self.text.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, Bad> {
        let mut v = 0;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(Bad { at: self.i, what: "invalid \\u escape" }),
            };
            v = v * 16 + d as u32;
            self.i += 1;
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::Scalar;
    use crate::error::ErrorKind;
    use crate::source::open;
    use crate::source::testutil::write;

    fn read_all(path: &Path, rows_per_chunk: usize) -> (Vec<Chunk>, Vec<String>) {
        crate::source::testutil::read_all(path, rows_per_chunk, SourceFormat::Jsonl)
    }

    fn texts(c: &Column) -> Vec<Option<&str>> {
        (0..c.len())
            .map(|i| match c.get(i) {
                Scalar::Null => None,
                Scalar::Str(s) => Some(s),
                other => panic!("not text: {other:?}"),
            })
            .collect()
    }

    fn read_error(text: &[u8]) -> Error {
        let dir = tempfile::tempdir().unwrap();
        let mut src = open(&write(&dir, "bad.jsonl", text), 10).unwrap();
        loop {
            match src.next_chunk() {
                Ok(Some(_)) => {}
                Ok(None) => panic!("no error"),
                Err(e) => return e,
            }
        }
    }

    const CUSTOMERS: &[u8] = br#"{"id": 1, "name": "Ann \"A\" \u00e9\ud83d\ude00", "address": {"city": "Leeds", "geo": {"lat": 53.80}}, "payment_methods": [{"number": "4111111111111111"}, {"number": "5500000000000004", "exp": null}], "vip": true}

{"id": 2.5e3, "address": null, "payment_methods": [], "tags": [["a", "b"], ["c"]], "vip": false}
{"name": "Cy", "payment_methods": [{"number": "340000000000009"}]}
"#;

    #[test]
    fn flattens_nested_objects_and_arrays_into_paths() {
        let dir = tempfile::tempdir().unwrap();
        let (chunks, cols) = read_all(&write(&dir, "customers.jsonl", CUSTOMERS), 100);
        assert_eq!(
            cols,
            [
                "id",
                "name",
                "address.city",
                "address.geo.lat",
                "payment_methods[*].number",
                "payment_methods[*].exp",
                "vip",
                "address",
                "tags[*][*]"
            ]
        );
        assert_eq!(chunks.len(), 1);
        let b = &chunks[0].batch;
        assert_eq!((&*b.table, b.rows, b.columns.len()), ("customers", 3, 9));
        let col = |n: &str| b.column(n).unwrap();
        assert_eq!(texts(col("id")), [Some("1"), Some("2.5e3"), None]);
        assert_eq!(texts(col("name")), [Some("Ann \"A\" é😀"), None, Some("Cy")]);
        assert_eq!(texts(col("address.city")), [Some("Leeds"), None, None]);
        assert_eq!(texts(col("address.geo.lat")), [Some("53.80"), None, None]);
        assert_eq!(texts(col("vip")), [Some("true"), Some("false"), None]);
        assert_eq!(texts(col("address")), [None, None, None]);
        for n in ["id", "name", "address.city", "vip", "address"] {
            assert_eq!(col(n).value_rows, None, "{n}");
            assert_eq!(col(n).len(), 3, "{n}");
        }

        let cards = col("payment_methods[*].number");
        assert_eq!(texts(cards), [Some("4111111111111111"), Some("5500000000000004"), Some("340000000000009")]);
        assert_eq!(cards.value_rows.as_deref(), Some(&[0, 0, 2][..]));
        assert_eq!((cards.row_of(1), cards.row_of(2)), (0, 2));
        let exp = col("payment_methods[*].exp");
        assert_eq!(texts(exp), [None]);
        assert_eq!(exp.value_rows.as_deref(), Some(&[0][..]));
        let tags = col("tags[*][*]");
        assert_eq!(texts(tags), [Some("a"), Some("b"), Some("c")]);
        assert_eq!(tags.value_rows.as_deref(), Some(&[1, 1, 1][..]));
        assert_eq!(chunks[0].raw, CUSTOMERS);
    }

    #[test]
    fn chunks_keep_every_column_seen_so_far_and_raw_lines_concatenate_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let text = b"\xEF\xBB\xBF{\"a\": 1}\r\n\r\n{\"b\": [1, 2]}\n  \n{\"a\": 3, \"c\": \"x\"}\n\n";
        let p = write(&dir, "t.ndjson", text);
        for n in 1..5 {
            let (chunks, cols) = read_all(&p, n);
            let all: Vec<u8> = chunks.iter().flat_map(|c| c.raw.iter().copied()).collect();
            assert_eq!(all, text, "{n} rows per chunk");
            assert_eq!(cols, ["a", "b[*]", "c"]);
            let mut next = 0;
            for c in &chunks {
                assert_eq!(c.batch.first_row, next);
                next += c.batch.rows as u64;
                for col in &c.batch.columns {
                    match &col.value_rows {
                        None => assert_eq!(col.len(), c.batch.rows),
                        Some(r) => assert!(
                            r.windows(2).all(|w| w[0] <= w[1]) && r.iter().all(|&x| (x as usize) < c.batch.rows)
                        ),
                    }
                }
            }
            assert_eq!(next, 3);
        }
        let (chunks, _) = read_all(&p, 1);
        let raws: Vec<&[u8]> = chunks.iter().map(|c| c.raw.as_slice()).collect();
        assert_eq!(
            raws,
            [&b"\xEF\xBB\xBF{\"a\": 1}\r\n\r\n"[..], b"{\"b\": [1, 2]}\n  \n", b"{\"a\": 3, \"c\": \"x\"}\n\n"]
        );
        let last = &chunks[2].batch;
        assert_eq!(last.columns.len(), 3);
        assert_eq!(texts(last.column("b[*]").unwrap()), Vec::<Option<&str>>::new());
        assert_eq!(last.column("b[*]").unwrap().value_rows.as_deref(), Some(&[][..]));
    }

    #[test]
    fn keys_of_empty_objects_and_arrays_are_names_as_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "k.jsonl",
            b"{\"id\": 1, \"Ann Example\": {}, \"tags\": [], \"m\": [[]]}\n{\"tags\": [\"x\"]}\n",
        );
        let mut src = open(&p, 10).unwrap();
        while src.next_chunk().unwrap().is_some() {}
        assert_eq!(src.columns(), ["id", "tags[*]"]);
        assert_eq!(src.names_as_read(), ["id", "Ann Example", "tags", "m[*]", "tags[*]"]);
    }

    #[test]
    fn a_repeated_key_keeps_both_values() {
        let dir = tempfile::tempdir().unwrap();
        let (chunks, _) = read_all(&write(&dir, "d.jsonl", b"{\"e\": \"x\", \"e\": \"y\"}\n{}\n"), 10);
        let e = chunks[0].batch.column("e").unwrap();
        assert_eq!(texts(e), [Some("x"), Some("y")]);
        assert_eq!(e.value_rows.as_deref(), Some(&[0, 0][..]));
        assert_eq!(chunks[0].batch.rows, 2);
    }

    #[test]
    fn invalid_lines_are_config_errors_naming_file_and_line_but_no_value() {
        for (text, line) in [
            (&b"{\"a\": 1}\n{\"secret\": \"4111\"\n"[..], 2),
            (b"{\"a\": 1}\n\n{\"a\": 01}\n", 3),
            (b"[{\"a\": 1}]\n", 1),
            (b"{\"a\": 1} trailing-secret\n", 1),
            (b"{\"a\": tru}\n", 1),
            (b"{\"a\": \"bad \\q escape\"}\n", 1),
            (b"{\"a\": \"ctl \x01\"}\n", 1),
            (b"{\"a\": 1.}\n", 1),
            (b"{\"a\": 1,}\n", 1),
            (b"\"just a string\"\n", 1),
        ] {
            let e = read_error(text);
            assert_eq!(e.kind(), ErrorKind::Config, "{}", e.message());
            assert!(e.message().contains("bad.jsonl"), "{}", e.message());
            assert!(e.message().contains(&format!("line {line} ")), "{}", e.message());
            assert!(!e.message().contains("secret") && !e.message().contains("4111"), "{}", e.message());
        }
        let deep = format!("{{\"a\": {}{}}}\n", "[".repeat(200), "]".repeat(200));
        assert!(read_error(deep.as_bytes()).message().contains("nested too deeply"));
    }

    #[test]
    fn after_an_error_the_source_keeps_failing() {
        let dir = tempfile::tempdir().unwrap();
        let mut src = open(&write(&dir, "bad.jsonl", b"{\"a\": 1}\nnope\n{\"a\": 2}\n"), 10).unwrap();
        assert!(src.next_chunk().is_err());
        assert!(src.next_chunk().is_err());
    }

    #[test]
    fn empty_file_gives_no_chunk_and_blank_file_one_empty_chunk() {
        let dir = tempfile::tempdir().unwrap();
        assert!(read_all(&write(&dir, "e.jsonl", b""), 10).0.is_empty());
        let (chunks, _) = read_all(&write(&dir, "b.jsonl", b"\n \n"), 10);
        assert_eq!(chunks.len(), 1);
        assert_eq!((chunks[0].batch.rows, chunks[0].raw.as_slice()), (0, &b"\n \n"[..]));
    }

    #[test]
    fn reads_compressed_json_lines_and_counts_disk_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let z = zstd::bulk::compress(CUSTOMERS, 3).unwrap();
        let p = write(&dir, "c.jsonl.zst", &z);
        let mut src = open(&p, 2).unwrap();
        let mut raw = Vec::new();
        while let Some(c) = src.next_chunk().unwrap() {
            raw.extend(c.raw);
        }
        assert_eq!(raw, CUSTOMERS);
        assert_eq!(src.bytes_read(), z.len() as u64);
    }
}
