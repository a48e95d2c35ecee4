//! Sources: files read into [`Batch`]es for scanning and gating.
//!
//! A source yields [`Chunk`]s: a batch (every column `Lineage::Input`, every value as text) and
//! the exact bytes it was parsed from, so a file the gate clears can be copied byte for byte.
//! What a file holds is told from its bytes, never its name (see `sniff`): compression, Parquet,
//! text encoding, then CSV, JSON Lines or plain text. CSV, JSON Lines and text stream in bounded
//! memory; a Parquet file is held in memory as bytes and decoded one row group at a time.

mod csv;
mod folder;
pub mod hashing;
pub(crate) mod jsonl;
mod parquet;
mod sniff;
mod text;

pub use folder::{is_synthgate_manifest, walk, Exclude, Folder};
pub use text::LINE_COLUMN;

pub use hashing::ReadDigest;

pub use parquet::column_types;

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::batch::{Batch, Column, Lineage, StrBuf, Values};
use crate::error::Error;

/// A file format a source can read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    Csv,
    Jsonl,
    Parquet,
    /// Text in no data format: one column, one cell per line.
    Text,
    /// A database table (see `sink::db::read`).
    Table,
}

impl SourceFormat {
    /// The format a file's extension names (case-insensitive): `.csv` `.tsv`, `.jsonl`
    /// `.ndjson` `.json` (JSON Lines), `.parquet`; text formats may end in `.gz` or `.zst`.
    /// Only for naming outputs: [`open`] reads a file for what its bytes are.
    pub fn from_path(p: &Path) -> Option<SourceFormat> {
        let (format, _) = classify(p)?;
        Some(format)
    }

    pub fn name(self) -> &'static str {
        match self {
            SourceFormat::Csv => "csv",
            SourceFormat::Jsonl => "jsonl",
            SourceFormat::Parquet => "parquet",
            SourceFormat::Text => "text",
            SourceFormat::Table => "table",
        }
    }
}

/// Whole-file compression of a text source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Compression {
    None,
    Gzip,
    Zstd,
}

/// A file's format and compression, from its extensions.
fn classify(p: &Path) -> Option<(SourceFormat, Compression)> {
    let name = p.file_name()?.to_str()?.to_ascii_lowercase();
    let (inner, compression) = if let Some(s) = name.strip_suffix(".gz") {
        (s, Compression::Gzip)
    } else if let Some(s) = name.strip_suffix(".zst") {
        (s, Compression::Zstd)
    } else {
        (name.as_str(), Compression::None)
    };
    let (stem, ext) = inner.rsplit_once('.')?;
    if stem.is_empty() {
        return None;
    }
    let format = match ext {
        "csv" | "tsv" => SourceFormat::Csv,
        "jsonl" | "ndjson" | "json" => SourceFormat::Jsonl,
        "parquet" if compression == Compression::None => SourceFormat::Parquet,
        _ => return None,
    };
    Some((format, compression))
}

fn is_tsv(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    let inner = name.strip_suffix(".gz").or_else(|| name.strip_suffix(".zst")).unwrap_or(&name);
    inner.ends_with(".tsv")
}

/// The table a file holds: its name without the format and compression extensions.
pub fn table_name(p: &Path) -> Arc<str> {
    let name = p.file_name().map_or_else(|| "input".into(), |n| n.to_string_lossy().into_owned());
    let lower = name.to_ascii_lowercase();
    let mut end = name.len();
    for suffix in [".gz", ".zst"] {
        if lower[..end].ends_with(suffix) {
            end -= suffix.len();
            break;
        }
    }
    if let Some(dot) = lower[..end].rfind('.') {
        if dot > 0 {
            end = dot;
        }
    }
    name[..end].into()
}

/// Where a reader is. An error sticks: after one, every later read fails too, so the rest of
/// a broken file can never pass for its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum State {
    Reading,
    Done,
    Failed,
}

impl State {
    /// Whether reading may go on (`false` at the end); the sticky error after a failure.
    pub(crate) fn ready(self, path: &Path) -> Result<bool, Error> {
        match self {
            State::Reading => Ok(true),
            State::Done => Ok(false),
            State::Failed => Err(Error::config(format!("reading {} stopped at an earlier error", path.display()))),
        }
    }

    /// Records the outcome of a read.
    pub(crate) fn after<T>(&mut self, r: Result<T, Error>) -> Result<T, Error> {
        if r.is_err() {
            *self = State::Failed;
        }
        r
    }
}

/// A chunk of a file: the batch (every column `Lineage::Input`, all values as text) and the
/// exact bytes it was parsed from. Concatenating every chunk's `raw`, in order, gives back the
/// file as the parser saw it (decompressed, for `.gz`/`.zst`).
pub struct Chunk {
    pub batch: Batch,
    pub raw: Vec<u8>,
}

/// A file read chunk by chunk.
///
/// After an error, a source yields only errors. A non-empty file yields at least one chunk,
/// possibly with no rows (a header, blank lines), so that every byte is accounted for.
pub trait Source: Send {
    fn next_chunk(&mut self) -> Result<Option<Chunk>, Error>;
    fn format(&self) -> SourceFormat;
    /// The columns known so far, in order (CSV: the header; JSON Lines: paths in the order
    /// first seen; Parquet: the schema, list columns as `name[*]`).
    fn columns(&self) -> &[String];
    /// Every name the file spells, exactly as it spells it, for the gate to judge: CSV header
    /// fields untrimmed (empty and repeated ones too, which [`Source::columns`] renames), JSON
    /// key paths, Parquet column names. Grows as reading goes on.
    fn names_as_read(&self) -> &[String] {
        self.columns()
    }
    /// Bytes read from the file on disk so far (compressed bytes for `.gz`/`.zst`), for
    /// progress against the file's size.
    fn bytes_read(&self) -> u64;
    /// A CSV file's delimiter (sniffed or given) and line ends.
    fn csv_dialect(&self) -> Option<CsvDialect> {
        None
    }
}

/// How a CSV file is written: its delimiter, and whether its lines end in `\r\n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvDialect {
    pub delimiter: u8,
    pub crlf: bool,
}

/// Reads `source` to its end, handing each chunk (or the error that ends the reading) to
/// `send`, which returns `false` when nobody is listening any more. Returns the bytes read from
/// disk. Reader threads run this.
pub fn pump(source: &mut dyn Source, mut send: impl FnMut(Result<Chunk, Error>) -> bool) -> u64 {
    loop {
        match source.next_chunk() {
            Ok(Some(c)) => {
                if !send(Ok(c)) {
                    break;
                }
            }
            Ok(None) => break,
            Err(e) => {
                send(Err(e));
                break;
            }
        }
    }
    source.bytes_read()
}

/// Opens a file as a source of chunks of `rows_per_chunk` rows (at least 1), each with the raw
/// bytes it was parsed from.
pub fn open(path: &Path, rows_per_chunk: usize) -> Result<Box<dyn Source>, Error> {
    open_with(path, rows_per_chunk, true, None)
}

/// Like [`open`] (or [`open_values`] when `keep_raw` is false), hashing the bytes read from
/// disk: once the source has yielded its last chunk, the [`ReadDigest`] holds the sha256 of
/// exactly the bytes it parsed.
pub fn open_hashed(path: &Path, rows_per_chunk: usize, keep_raw: bool) -> Result<(Box<dyn Source>, ReadDigest), Error> {
    let digest = ReadDigest::default();
    Ok((open_with(path, rows_per_chunk, keep_raw, Some(digest.clone()))?, digest))
}

/// Like [`open`], for readers that need only the values: CSV chunks then come without their
/// raw bytes, which saves copying the whole file once. (JSON Lines and Parquet chunks carry
/// them anyway: they cost nothing extra there.)
pub fn open_values(path: &Path, rows_per_chunk: usize) -> Result<Box<dyn Source>, Error> {
    open_with(path, rows_per_chunk, false, None)
}

fn open_with(
    path: &Path,
    rows_per_chunk: usize,
    keep_raw: bool,
    digest: Option<ReadDigest>,
) -> Result<Box<dyn Source>, Error> {
    // A FIFO or device would block or never end: only regular files (links followed) are read.
    let meta = std::fs::metadata(path).map_err(|e| Error::io("cannot open", path, e))?;
    if meta.is_dir() {
        let e = std::io::Error::new(std::io::ErrorKind::InvalidInput, "it is a folder, not a file");
        return Err(Error::io("cannot read", path, e));
    }
    if !meta.is_file() {
        return Err(sniff::not_readable(path, "not a regular file"));
    }
    let file = File::open(path).map_err(|e| Error::io("cannot open", path, e))?;
    let meta = file.metadata().map_err(|e| Error::io("cannot read", path, e))?;
    if !meta.is_file() {
        return Err(sniff::not_readable(path, "not a regular file"));
    }
    let file = hashing::HashingReader::new(file, digest);
    let rows = rows_per_chunk.max(1);
    let counter = Arc::new(AtomicU64::new(0));
    let on_disk: Input = Box::new(Counted { inner: file, count: Arc::clone(&counter) });
    // Content by its bytes: compression layers off, then Parquet, then text.
    let bytes = sniff::decompress(on_disk, path)?;
    let (magic, bytes) = sniff::peek(bytes, 4).map_err(|e| sniff::read_error(path, e))?;
    if magic == b"PAR1" {
        return Ok(Box::new(parquet::ParquetSource::new(path, bytes, meta.len(), counter, rows)?));
    }
    let (text, prefix) = sniff::text(bytes, path)?;
    Ok(match text_format(path, &prefix) {
        SourceFormat::Jsonl => Box::new(jsonl::JsonlSource::new(path, text, counter, rows)),
        SourceFormat::Csv => {
            let delimiter = if is_tsv(path) { Some(b'\t') } else { None };
            Box::new(csv::CsvSource::new(path, text, counter, delimiter, rows, keep_raw)?)
        }
        SourceFormat::Text | SourceFormat::Parquet | SourceFormat::Table => {
            Box::new(text::TextSource::new(path, text, counter, rows))
        }
    })
}

/// Which reading of a text file fits its content (`prefix`: its first bytes, decoded). A file
/// named `.jsonl` or `.ndjson` is JSON Lines, checked line by line. Otherwise JSON Lines when
/// the first line, and every other whole line of the prefix, is a JSON object; other JSON (a document, an array) is read as plain text,
/// every line judged; other content is CSV when the name says data (`.csv`, `.tsv`, `.json`),
/// plain text when it does not.
fn text_format(path: &Path, prefix: &[u8]) -> SourceFormat {
    let classified = classify(path);
    if classified.is_some_and(|(f, _)| f == SourceFormat::Jsonl) && !names_json_document(path) {
        return SourceFormat::Jsonl;
    }
    let body = prefix.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(prefix);
    let blank = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let by_name = match classified {
        Some((SourceFormat::Csv | SourceFormat::Jsonl, _)) => SourceFormat::Csv,
        _ => SourceFormat::Text,
    };
    let Some(first) = body.iter().position(|b| !blank(b)) else {
        return by_name;
    };
    match body[first] {
        b'{' => {
            let rest = &body[first..];
            // Every whole line the prefix holds must be an object: a service log whose first
            // line is JSON and whose later ones are plain text is text, every line judged.
            let mut lines = rest.split(|&b| b == b'\n');
            let _last = lines.next_back();
            let all_objects = rest.split(|&b| b == b'\n').take(lines.count() + 1).all(|l| {
                let l = l.strip_suffix(b"\r").unwrap_or(l);
                l.iter().all(blank) || jsonl::is_object_line(l)
            });
            match rest.iter().position(|&b| b == b'\n') {
                Some(_) if !all_objects => SourceFormat::Text,
                Some(end) if jsonl::is_object_line(&rest[..end]) => SourceFormat::Jsonl,
                // A first line longer than the prefix: the brace is all there is to go on.
                None if prefix.len() >= sniff::TEXT_PREFIX => SourceFormat::Jsonl,
                None if jsonl::is_object_line(rest) => SourceFormat::Jsonl,
                _ => SourceFormat::Text,
            }
        }
        b'[' => SourceFormat::Text,
        _ => by_name,
    }
}

/// A `.json` name (compressed or not): one JSON document as often as JSON Lines.
fn names_json_document(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_ascii_lowercase();
    let inner = name.strip_suffix(".gz").or_else(|| name.strip_suffix(".zst")).unwrap_or(&name);
    inner.ends_with(".json")
}

/// Counts the bytes read from the file on disk (before decompression).
struct Counted {
    inner: hashing::HashingReader<File>,
    count: Arc<AtomicU64>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

type Input = Box<dyn Read + Send>;

/// The text values of one column of a chunk, as they are read.
///
/// Values are kept sparse when `value_rows` is tracked (JSON paths); CSV and Parquet columns
/// hold one value per row.
#[derive(Default)]
struct TextColumn {
    values: StrBuf,
    validity: Vec<bool>,
    nulls: usize,
}

impl TextColumn {
    fn with_capacity(rows: usize, bytes: usize) -> TextColumn {
        TextColumn { values: StrBuf::with_capacity(rows, bytes), validity: Vec::with_capacity(rows), nulls: 0 }
    }

    #[inline]
    fn push(&mut self, s: &str) {
        self.values.push(s);
        self.validity.push(true);
    }

    #[inline]
    fn push_null(&mut self) {
        self.values.end_value();
        self.validity.push(false);
        self.nulls += 1;
    }

    /// A field's bytes: empty is null. Sources read text through `sniff`, which hands on only
    /// checked UTF-8 cut at ASCII bytes, so the lossy branch never changes a byte.
    #[inline]
    fn push_bytes(&mut self, b: &[u8]) {
        if b.is_empty() {
            self.push_null();
        } else {
            match std::str::from_utf8(b) {
                Ok(s) => self.push(s),
                Err(_) => self.push(&String::from_utf8_lossy(b)),
            }
        }
    }

    fn len(&self) -> usize {
        self.validity.len()
    }

    /// The column, and an empty builder sized like this one for the next chunk.
    fn take(&mut self, name: &Arc<str>) -> Column {
        let next = TextColumn::with_capacity(self.len(), self.values.byte_len());
        std::mem::replace(self, next).into_column(name)
    }

    fn into_column(self, name: &Arc<str>) -> Column {
        let validity = (self.nulls > 0).then_some(self.validity);
        Column::new(Arc::clone(name), Lineage::Input, Values::Utf8(self.values), validity)
    }
}

/// A name for a column that has none, or whose name is taken: `column_<position>` (1-based),
/// with a suffix if even that is taken.
fn fallback_name(position: usize, taken: &std::collections::HashSet<String>) -> String {
    let base = format!("column_{}", position + 1);
    if !taken.contains(&base) {
        return base;
    }
    (2..).map(|k| format!("{base}_{k}")).find(|n| !taken.contains(n)).expect("some suffix is free")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_extensions() {
        let f = |s: &str| SourceFormat::from_path(Path::new(s));
        assert_eq!(f("a.csv"), Some(SourceFormat::Csv));
        assert_eq!(f("dir/A.TSV"), Some(SourceFormat::Csv));
        assert_eq!(f("a.csv.gz"), Some(SourceFormat::Csv));
        assert_eq!(f("a.jsonl.zst"), Some(SourceFormat::Jsonl));
        assert_eq!(f("a.ndjson"), Some(SourceFormat::Jsonl));
        assert_eq!(f("a.json"), Some(SourceFormat::Jsonl));
        assert_eq!(f("a.parquet"), Some(SourceFormat::Parquet));
        assert_eq!(f("a.parquet.gz"), None);
        assert_eq!(f("a.txt"), None);
        assert_eq!(f("a.gz"), None);
        assert_eq!(f(".csv"), None);
        assert_eq!(f("csv"), None);
    }

    #[test]
    fn table_names_drop_format_and_compression() {
        assert_eq!(&*table_name(Path::new("x/customers.csv.gz")), "customers");
        assert_eq!(&*table_name(Path::new("orders.2024.jsonl")), "orders.2024");
        assert_eq!(&*table_name(Path::new("t.parquet")), "t");
    }

    #[test]
    fn the_reading_of_text_follows_its_content_and_the_name_only_breaks_ties() {
        let f = |name: &str, text: &str| text_format(Path::new(name), text.as_bytes());
        assert_eq!(f("a.csv", "{\"a\": 1}\n"), SourceFormat::Jsonl);
        assert_eq!(f("a.txt", "\u{FEFF}\n  {\"a\": 1}\n"), SourceFormat::Jsonl);
        assert_eq!(f("a.json", "{\n  \"a\": 1\n}\n"), SourceFormat::Text);
        assert_eq!(f("a.csv", "[1, 2]\n"), SourceFormat::Text);
        assert_eq!(f("a.jsonl", "a,b\n"), SourceFormat::Jsonl);
        assert_eq!(f("a.ndjson.gz", ""), SourceFormat::Jsonl);
        assert_eq!(f("a.json", "a,b\n"), SourceFormat::Csv);
        assert_eq!(f("a.tsv.zst", "a\tb\n"), SourceFormat::Csv);
        assert_eq!(f("a.csv", ""), SourceFormat::Csv);
        for name in ["notes.txt", ".env", "backup.bak", "export", "t.parquet"] {
            assert_eq!(f(name, "a,b\n1,2\n"), SourceFormat::Text, "{name}");
        }
    }

    #[test]
    fn missing_file_is_an_io_error_naming_the_path() {
        let e = open(Path::new("/nonexistent/people.csv"), 10).err().unwrap();
        assert_eq!(e.kind(), crate::error::ErrorKind::Io);
        assert_eq!(e.kind().exit_code(), 4);
        assert!(e.message().contains("/nonexistent/people.csv"), "{}", e.message());
    }
}

/// What the format modules' tests share: writing a fixture and reading a file to its end.
#[cfg(test)]
pub(crate) mod testutil {
    use std::path::{Path, PathBuf};

    use super::{open, Chunk, SourceFormat};

    pub fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// Every chunk of `path` and the columns seen; checks the format, and that the end stays
    /// the end.
    pub fn read_all(path: &Path, rows_per_chunk: usize, format: SourceFormat) -> (Vec<Chunk>, Vec<String>) {
        let mut src = open(path, rows_per_chunk).unwrap();
        assert_eq!(src.format(), format);
        let mut chunks = Vec::new();
        while let Some(c) = src.next_chunk().unwrap() {
            chunks.push(c);
        }
        assert!(src.next_chunk().unwrap().is_none());
        (chunks, src.columns().to_vec())
    }
}
