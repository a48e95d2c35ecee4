//! CSV: the delimiter is sniffed (`,` `;` tab `|`), the header row names the columns, and every
//! field is text. Chunks keep the exact bytes of their records, cut at record boundaries.
//!
//! Policy for messy files, chosen so that a gate sees every field and never fails on shape:
//! a short row is padded with nulls; fields beyond the header become extra columns named
//! `column_<n>` (null in earlier rows). An empty field is null, and so is `""` — the csv crate
//! does not tell them apart. The text arrives decoded and checked (see `sniff`), so `raw` holds
//! exactly the text the fields were parsed from; the header's own spelling stays available in
//! `names_as_read` even where a column is renamed.

use std::collections::HashSet;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use csv::ByteRecord;

use crate::batch::Batch;
use crate::error::Error;

use super::{fallback_name, table_name, Chunk, Input, Source, SourceFormat, State, TextColumn};

/// How much of the file the delimiter is sniffed from.
const SNIFF_BYTES: usize = 64 * 1024;
const SNIFF_LINES: usize = 20;
const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Keeps a copy of every byte the CSV parser reads, until a chunk takes them (unless the
/// chunks need no raw bytes: then it only counts them).
struct Tee {
    inner: Input,
    kept: Vec<u8>,
    keep: bool,
    total: u64,
}

impl Read for Tee {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.keep {
            self.kept.extend_from_slice(&buf[..n]);
        }
        self.total += n as u64;
        Ok(n)
    }
}

pub(super) struct CsvSource {
    path: PathBuf,
    table: Arc<str>,
    rdr: csv::Reader<Tee>,
    /// The one record buffer of the hot loop.
    record: ByteRecord,
    names: Vec<String>,
    /// The header fields as the file spells them (untrimmed, empty and repeated ones too).
    header: Vec<String>,
    arc_names: Vec<Arc<str>>,
    taken: HashSet<String>,
    cols: Vec<TextColumn>,
    rows: usize,
    rows_per_chunk: usize,
    first_row: u64,
    /// Offset in the (decompressed) input of the first byte the tee still keeps.
    kept_from: u64,
    state: State,
    disk: Arc<AtomicU64>,
    dialect: super::CsvDialect,
}

impl CsvSource {
    /// Reads the header; `delimiter` is sniffed when `None`.
    /// `keep_raw`: whether chunks carry their raw bytes (a byte-exact copy needs them).
    pub(super) fn new(
        path: &Path,
        mut input: Input,
        disk: Arc<AtomicU64>,
        delimiter: Option<u8>,
        rows_per_chunk: usize,
        keep_raw: bool,
    ) -> Result<CsvSource, Error> {
        let mut prefix = Vec::with_capacity(SNIFF_BYTES);
        (&mut input)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut prefix)
            .map_err(|e| super::sniff::read_error(path, e))?;
        let delimiter = delimiter.unwrap_or_else(|| sniff(&prefix, prefix.len() < SNIFF_BYTES));
        let crlf = prefix.iter().position(|&b| b == b'\n').is_some_and(|i| i > 0 && prefix[i - 1] == b'\r');
        let kept = Vec::with_capacity(if keep_raw { 1 << 20 } else { 0 });
        let tee = Tee { inner: Box::new(Cursor::new(prefix).chain(input)), kept, keep: keep_raw, total: 0 };
        let rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(1 << 18)
            .from_reader(tee);
        let mut src = CsvSource {
            path: path.to_path_buf(),
            table: table_name(path),
            rdr,
            record: ByteRecord::new(),
            names: Vec::new(),
            header: Vec::new(),
            arc_names: Vec::new(),
            taken: HashSet::new(),
            cols: Vec::new(),
            rows: 0,
            rows_per_chunk,
            first_row: 0,
            kept_from: 0,
            state: State::Reading,
            disk,
            dialect: super::CsvDialect { delimiter, crlf },
        };
        let has_header = src.rdr.read_byte_record(&mut src.record).map_err(|e| src.read_error(e))?;
        if has_header {
            for i in 0..src.record.len() {
                let spelled = String::from_utf8_lossy(&src.record[i]).into_owned();
                let name = spelled.trim().to_string();
                src.header.push(spelled);
                let name =
                    if name.is_empty() || src.taken.contains(&name) { fallback_name(i, &src.taken) } else { name };
                src.add_column(name);
            }
        }
        Ok(src)
    }

    fn add_column(&mut self, name: String) {
        let mut col = TextColumn::with_capacity(self.rows_per_chunk.min(1 << 16), 0);
        for _ in 0..self.rows {
            col.push_null();
        }
        self.taken.insert(name.clone());
        self.arc_names.push(name.as_str().into());
        self.names.push(name);
        self.cols.push(col);
    }

    #[inline]
    fn push_record(&mut self) {
        let n = self.record.len();
        if n > self.cols.len() {
            for i in self.cols.len()..n {
                let name = fallback_name(i, &self.taken);
                self.add_column(name);
            }
        }
        // One UTF-8 check per record rather than per field; a field is then valid exactly when
        // it starts and ends on character boundaries, which `str::get` checks.
        match std::str::from_utf8(self.record.as_slice()) {
            Ok(all) => {
                for (i, col) in self.cols.iter_mut().take(n).enumerate() {
                    let range = self.record.range(i).expect("field within the record");
                    match all.get(range) {
                        Some("") => col.push_null(),
                        Some(s) => col.push(s),
                        None => col.push_bytes(&self.record[i]),
                    }
                }
            }
            Err(_) => {
                for (col, field) in self.cols.iter_mut().zip(self.record.iter()) {
                    col.push_bytes(field);
                }
            }
        }
        for col in &mut self.cols[n..] {
            col.push_null();
        }
        self.rows += 1;
    }

    /// The kept bytes before input offset `end`; the rest stays for the next chunk.
    fn take_raw(&mut self, end: u64) -> Vec<u8> {
        if !self.rdr.get_ref().keep {
            self.kept_from = end;
            return Vec::new();
        }
        let kept = &mut self.rdr.get_mut().kept;
        let mut k = (end - self.kept_from) as usize;
        // A record starts just after its predecessor's terminator — after `\r` of a `\r\n`.
        // Line ends there (and blank lines, which the parser skips) end the earlier chunk.
        while k < kept.len() && matches!(kept[k], b'\r' | b'\n') {
            k += 1;
        }
        let end = self.kept_from + k as u64;
        let mut rest = Vec::with_capacity(k.max(kept.len() - k) + (1 << 18));
        rest.extend_from_slice(&kept[k..]);
        kept.truncate(k);
        self.kept_from = end;
        std::mem::replace(kept, rest)
    }

    fn cut(&mut self, raw: Vec<u8>) -> Chunk {
        let columns = self.cols.iter_mut().zip(&self.arc_names).map(|(c, name)| c.take(name)).collect();
        let batch = Batch { table: Arc::clone(&self.table), first_row: self.first_row, rows: self.rows, columns };
        self.first_row += self.rows as u64;
        self.rows = 0;
        Chunk { batch, raw }
    }

    fn read_error(&self, e: csv::Error) -> Error {
        let line = e.position().map(|p| p.line());
        match e.into_kind() {
            csv::ErrorKind::Io(io) => super::sniff::read_error(&self.path, io),
            _ => Error::config(match line {
                Some(l) => format!("{}: malformed CSV near line {l}", self.path.display()),
                None => format!("{}: malformed CSV", self.path.display()),
            }),
        }
    }

    fn read_chunk(&mut self) -> Result<Option<Chunk>, Error> {
        loop {
            if !self.rdr.read_byte_record(&mut self.record).map_err(|e| self.read_error(e))? {
                self.state = State::Done;
                let tee = self.rdr.get_mut();
                let unread = tee.total - self.kept_from;
                let raw = std::mem::take(&mut tee.kept);
                self.kept_from = tee.total;
                if self.rows == 0 && unread == 0 {
                    return Ok(None);
                }
                return Ok(Some(self.cut(raw)));
            }
            if self.rows == self.rows_per_chunk {
                // The chunk ends where the next record starts: its raw bytes are exactly its
                // records (and, for the first chunk, the BOM and header).
                let start = self.record.position().expect("the csv reader tracks positions").byte();
                let raw = self.take_raw(start);
                let chunk = self.cut(raw);
                self.push_record();
                return Ok(Some(chunk));
            }
            self.push_record();
        }
    }
}

impl Source for CsvSource {
    fn next_chunk(&mut self) -> Result<Option<Chunk>, Error> {
        if !self.state.ready(&self.path)? {
            return Ok(None);
        }
        let r = self.read_chunk();
        self.state.after(r)
    }

    fn format(&self) -> SourceFormat {
        SourceFormat::Csv
    }

    fn columns(&self) -> &[String] {
        &self.names
    }

    fn names_as_read(&self) -> &[String] {
        &self.header
    }

    fn bytes_read(&self) -> u64 {
        self.disk.load(Ordering::Relaxed)
    }

    fn csv_dialect(&self) -> Option<super::CsvDialect> {
        Some(self.dialect)
    }
}

/// The delimiter whose count is the same, and non-zero, on every one of the first lines
/// (outside quotes); failing that, the commonest on the first line; failing that, a comma.
/// `complete` says the prefix is the whole file (its last line counts even without a newline).
fn sniff(prefix: &[u8], complete: bool) -> u8 {
    let body = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prefix);
    let mut lines: Vec<[usize; 4]> = Vec::new();
    let mut counts = [0usize; 4];
    let mut in_quotes = false;
    let mut has_content = false;
    for &b in body {
        if b == b'"' {
            in_quotes = !in_quotes;
            has_content = true;
        } else if in_quotes {
        } else if b == b'\n' || b == b'\r' {
            if has_content {
                lines.push(counts);
                if lines.len() == SNIFF_LINES {
                    break;
                }
            }
            counts = [0; 4];
            has_content = false;
        } else {
            has_content = true;
            if let Some(k) = CANDIDATES.iter().position(|&c| c == b) {
                counts[k] += 1;
            }
        }
    }
    if complete && has_content && !in_quotes && lines.len() < SNIFF_LINES {
        lines.push(counts);
    }
    let Some(first) = lines.first() else { return b',' };
    let consistent = (0..CANDIDATES.len())
        .filter(|&k| first[k] > 0 && lines.iter().all(|l| l[k] == first[k]))
        .max_by_key(|&k| (first[k], std::cmp::Reverse(k)));
    if let Some(k) = consistent {
        return CANDIDATES[k];
    }
    match (0..CANDIDATES.len()).max_by_key(|&k| (first[k], std::cmp::Reverse(k))) {
        Some(k) if first[k] > 0 => CANDIDATES[k],
        _ => b',',
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;

    use super::*;
    use crate::batch::{Column, Lineage, Scalar};
    use crate::source::open;
    use crate::source::testutil::write;

    fn read_all(path: &Path, rows_per_chunk: usize) -> (Vec<Chunk>, Vec<String>) {
        crate::source::testutil::read_all(path, rows_per_chunk, SourceFormat::Csv)
    }

    #[test]
    fn values_only_reading_gives_the_same_batches_without_raw_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "a.csv", b"\xEF\xBB\xBFa;b\r\n1;\"x\r\ny\"\r\n2;z\r\n\r\n3;w");
        for rows in [1, 2, 10] {
            let (with_raw, _) = read_all(&p, rows);
            let mut src = crate::source::open_values(&p, rows).unwrap();
            assert_eq!(src.csv_dialect(), Some(crate::source::CsvDialect { delimiter: b';', crlf: true }));
            let mut chunks = Vec::new();
            while let Some(c) = src.next_chunk().unwrap() {
                assert!(c.raw.is_empty());
                chunks.push(c.batch);
            }
            assert_eq!(chunks, with_raw.into_iter().map(|c| c.batch).collect::<Vec<_>>(), "rows {rows}");
        }
        // A header alone is one empty chunk; an empty file none.
        let header = write(&dir, "h.csv", b"a,b\n");
        let mut src = crate::source::open_values(&header, 10).unwrap();
        assert_eq!(src.next_chunk().unwrap().map(|c| (c.batch.rows, c.batch.columns.len())), Some((0, 2)));
        assert!(src.next_chunk().unwrap().is_none());
        let empty = write(&dir, "e.csv", b"");
        assert!(crate::source::open_values(&empty, 10).unwrap().next_chunk().unwrap().is_none());
    }

    fn texts(c: &Column) -> Vec<Option<String>> {
        (0..c.len())
            .map(|i| match c.get(i) {
                Scalar::Null => None,
                Scalar::Str(s) => Some(s.to_string()),
                other => panic!("not text: {other:?}"),
            })
            .collect()
    }

    fn column(chunks: &[Chunk], name: &str) -> Vec<Option<String>> {
        chunks.iter().flat_map(|c| texts(c.batch.column(name).expect(name))).collect()
    }

    fn concat(chunks: &[Chunk]) -> Vec<u8> {
        chunks.iter().flat_map(|c| c.raw.iter().copied()).collect()
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    const MESSY: &[u8] =
        b"\xEF\xBB\xBFid;name;note\r\n1;Ann;\"said \"\"hi\"\";\r\nthen left\"\r\n2;;plain\r\n3;\"Bo\";\"\"\r\n4;Cy;x";

    #[test]
    fn reads_semicolons_bom_crlf_and_quoted_newlines() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "people.csv", MESSY);
        let (chunks, cols) = read_all(&p, 1000);
        assert_eq!(cols, ["id", "name", "note"]);
        assert_eq!(chunks.len(), 1);
        let b = &chunks[0].batch;
        assert_eq!((&*b.table, b.first_row, b.rows), ("people", 0, 4));
        assert!(b.columns.iter().all(|c| c.lineage == Lineage::Input));
        assert_eq!(column(&chunks, "id"), [s("1"), s("2"), s("3"), s("4")]);
        assert_eq!(column(&chunks, "name"), [s("Ann"), None, s("Bo"), s("Cy")]);
        assert_eq!(column(&chunks, "note"), [s("said \"hi\";\r\nthen left"), s("plain"), None, s("x")]);
        assert_eq!(concat(&chunks), MESSY);
    }

    #[test]
    fn raw_bytes_of_chunks_concatenate_to_the_file_at_every_chunk_size() {
        let dir = tempfile::tempdir().unwrap();
        let files: [&[u8]; 7] = [
            MESSY,
            b"a,b\n1,2\n3,4\n",
            b"a,b\r\n1,2\r\n\r\n3,4\r\n\r\n",
            b"a,b\n\n\n1,2\n\n3,4",
            b"a,b\n",
            b"a,b",
            b"\n\n",
        ];
        for (i, f) in files.iter().enumerate() {
            let p = write(&dir, &format!("f{i}.csv"), f);
            for n in 1..6 {
                let (chunks, _) = read_all(&p, n);
                assert_eq!(concat(&chunks), *f, "file {i}, {n} rows per chunk");
                let mut next = 0;
                for c in &chunks {
                    assert_eq!(c.batch.first_row, next);
                    assert!(c.batch.rows <= n);
                    next += c.batch.rows as u64;
                }
            }
        }
    }

    #[test]
    fn chunks_split_at_record_starts_and_number_rows_from_zero() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "t.csv", b"\xEF\xBB\xBFa,b\r\n1,\"x\r\ny\"\r\n2,z\r\n3,w");
        let (chunks, _) = read_all(&p, 1);
        let raws: Vec<&[u8]> = chunks.iter().map(|c| c.raw.as_slice()).collect();
        assert_eq!(raws, [&b"\xEF\xBB\xBFa,b\r\n1,\"x\r\ny\"\r\n"[..], b"2,z\r\n", b"3,w"]);
        let firsts: Vec<u64> = chunks.iter().map(|c| c.batch.first_row).collect();
        assert_eq!(firsts, [0, 1, 2]);
    }

    #[test]
    fn sniffs_each_delimiter_and_tsv_extension_forces_tabs() {
        let dir = tempfile::tempdir().unwrap();
        for (d, name) in [(',', "c.csv"), (';', "s.csv"), ('\t', "t.csv"), ('|', "p.csv")] {
            let text = format!("a{d}b{d}c\n1{d}\"x,y;z|w\"{d}3\n");
            let (chunks, cols) = read_all(&write(&dir, name, text.as_bytes()), 10);
            assert_eq!(cols, ["a", "b", "c"], "delimiter {d:?}");
            assert_eq!(column(&chunks, "b"), [s("x,y;z|w")]);
        }
        // European decimals: commas in values, semicolons between them.
        assert_eq!(sniff(b"a;b\n1,5;2,5\n3,0;4\n", true), b';');
        assert_eq!(sniff(b"one column\nx\n", true), b',');
        let (chunks, cols) = read_all(&write(&dir, "x.tsv", b"a,b\tc\n1,2\t3\n"), 10);
        assert_eq!(cols, ["a,b", "c"]);
        assert_eq!(column(&chunks, "a,b"), [s("1,2")]);
    }

    #[test]
    fn empty_and_duplicate_header_names_become_positional() {
        let dir = tempfile::tempdir().unwrap();
        let (_, cols) = read_all(&write(&dir, "h.csv", b"id, ,name,id,\n1,2,3,4,5\n"), 10);
        assert_eq!(cols, ["id", "column_2", "name", "column_4", "column_5"]);
    }

    #[test]
    fn ragged_rows_are_padded_and_extra_fields_become_columns() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "r.csv", b"a,b\n1\n2,3,4\n5,6\n");
        let (chunks, cols) = read_all(&p, 2);
        assert_eq!(cols, ["a", "b", "column_3"]);
        assert_eq!(column(&chunks, "a"), [s("1"), s("2"), s("5")]);
        assert_eq!(column(&chunks, "b"), [None, s("3"), s("6")]);
        assert_eq!(column(&chunks, "column_3"), [None, s("4"), None]);
        for c in &chunks {
            assert!(c.batch.columns.iter().all(|col| col.len() == c.batch.rows));
        }
    }

    #[test]
    fn header_only_file_gives_one_empty_chunk_and_empty_file_none() {
        let dir = tempfile::tempdir().unwrap();
        let (chunks, cols) = read_all(&write(&dir, "h.csv", b"a,b\r\n"), 10);
        assert_eq!(cols, ["a", "b"]);
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].batch.rows, 0);
        assert_eq!(chunks[0].batch.columns.len(), 2);
        assert_eq!(chunks[0].raw, b"a,b\r\n");
        let (chunks, cols) = read_all(&write(&dir, "e.csv", b""), 10);
        assert!(chunks.is_empty() && cols.is_empty());
    }

    #[test]
    fn invalid_utf8_stops_the_reading_naming_the_line_never_a_replacement() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "u.csv", b"a\nok\nab\xFFc\n");
        let e = open(&p, 10).err().unwrap();
        assert_eq!(e.kind().exit_code(), 2);
        assert!(e.message().contains("u.csv: line 3"), "{}", e.message());
        // Past the first 64 KiB the error comes while reading, and sticks.
        let mut long = "a\n".repeat(40_000).into_bytes();
        long.extend(b"ab\xFFc\n");
        let mut src = open(&write(&dir, "l.csv", &long), 100_000).unwrap();
        let e = src.next_chunk().err().unwrap();
        assert!(e.message().contains("line 40001"), "{}", e.message());
        assert!(src.next_chunk().is_err(), "the error sticks");
    }

    #[test]
    fn utf16_is_read_as_utf8_text_and_raw_is_that_text() {
        let dir = tempfile::tempdir().unwrap();
        let text = "id;name\r\n1;Zoë\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let (chunks, cols) = read_all(&write(&dir, "w.csv", &bytes), 10);
        assert_eq!(cols, ["id", "name"]);
        assert_eq!(column(&chunks, "name"), [s("Zoë")]);
        assert_eq!(concat(&chunks), text.as_bytes());
    }

    #[test]
    fn header_names_keep_their_spelling_for_the_gate() {
        let dir = tempfile::tempdir().unwrap();
        let src = open(&write(&dir, "h.csv", b"id, Ann Example ,,id\n1,2,3,4\n"), 10).unwrap();
        assert_eq!(src.columns(), ["id", "Ann Example", "column_3", "column_4"]);
        assert_eq!(src.names_as_read(), ["id", " Ann Example ", "", "id"]);
    }

    #[test]
    fn content_decides_the_reading_not_the_name() {
        let dir = tempfile::tempdir().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"a,b\n1,2\n").unwrap();
        let p = write(&dir, "plain.csv", &gz.finish().unwrap());
        let (chunks, cols) = read_all(&p, 10);
        assert_eq!(cols, ["a", "b"]);
        assert_eq!(concat(&chunks), b"a,b\n1,2\n");
        let (_, cols) =
            crate::source::testutil::read_all(&write(&dir, "lines.csv", b"{\"a\":1}\n"), 10, SourceFormat::Jsonl);
        assert_eq!(cols, ["a"]);
        crate::source::testutil::read_all(&write(&dir, "doc.json", b"{\n \"a\": 1\n}\n"), 10, SourceFormat::Text);
        crate::source::testutil::read_all(&write(&dir, "notes", b"a,b\n"), 10, SourceFormat::Text);
    }

    #[test]
    fn reads_gzip_and_zstd_compressed_files() {
        let dir = tempfile::tempdir().unwrap();
        let text = b"a;b\n1;2\n3;4\n";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&text[..8]).unwrap();
        let mut bytes = gz.finish().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&text[8..]).unwrap();
        bytes.extend(gz.finish().unwrap()); // two members, as synthgate's sinks write them
        let p = write(&dir, "g.csv.gz", &bytes);
        let (chunks, _) = read_all(&p, 1);
        assert_eq!(column(&chunks, "b"), [s("2"), s("4")]);
        assert_eq!(concat(&chunks), text);
        let mut src = open(&p, 1).unwrap();
        while src.next_chunk().unwrap().is_some() {}
        assert_eq!(src.bytes_read(), bytes.len() as u64);

        let z = zstd::bulk::compress(text, 3).unwrap();
        let (chunks, _) = read_all(&write(&dir, "z.csv.zst", &z), 10);
        assert_eq!(column(&chunks, "a"), [s("1"), s("3")]);
    }

    #[test]
    fn errors_never_carry_values() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(&dir, "bad.csv", b"\x1f\x8b\x08\x00 broken gzip: secret-value");
        let e = match open(&p, 10) {
            Err(e) => e,
            Ok(mut s) => s.next_chunk().err().unwrap(),
        };
        assert_eq!(e.kind(), crate::error::ErrorKind::Io);
        assert!(e.message().contains("bad.csv") && !e.message().contains("secret"), "{}", e.message());
    }
}
