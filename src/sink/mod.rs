//! Sinks: where cleared batches are written.
//!
//! Writing has two halves. An [`Encode`]r turns a [`Cleared`] batch into an [`Encoded`] chunk
//! (in parallel, on any thread); a [`Sink`] appends chunks in order to one output and hands
//! back a staged file (or spool) that is committed atomically at the end. `Encoded` can only be
//! made from a `Cleared` batch, and `Cleared` only by the gate: every write passes the gate.

mod csv;
pub mod db;
mod file;
pub(crate) mod jsonl;
mod parquet;

use std::io::Write as _;
use std::path::PathBuf;

use crate::error::Error;
use crate::gate::Cleared;

pub use csv::Dialect;
pub(crate) use file::temp_beside;
pub use file::{NewDirs, Staged, Staging};

/// An output file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
    Parquet,
    /// Rows for a database's bulk load (see [`db::text`]); never a file.
    Table(db::text::Flavour),
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "parquet" => Some(Format::Parquet),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
            Format::Parquet => "parquet",
            Format::Table(_) => "tsv",
        }
    }
}

/// Compression of a whole text file (parquet compresses its pages instead).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub fn parse(s: &str) -> Option<Compression> {
        match s {
            "none" => Some(Compression::None),
            "gzip" | "gz" => Some(Compression::Gzip),
            "zstd" | "zst" => Some(Compression::Zstd),
            _ => None,
        }
    }

    pub fn suffix(self) -> &'static str {
        match self {
            Compression::None => "",
            Compression::Gzip => ".gz",
            Compression::Zstd => ".zst",
        }
    }
}

/// One encoded chunk, ready to append. Only made from a [`Cleared`] batch.
pub struct Encoded {
    payload: Payload,
    rows: usize,
    /// For a database table: the rows' canonical digest, worked out by the encoding worker.
    rowset: Option<db::digest::RowSet>,
}

enum Payload {
    Bytes(Vec<u8>),
    Frame(::polars::prelude::DataFrame),
}

impl Encoded {
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The source bytes of a cleared chunk, unchanged (byte-exact copies).
    pub fn raw(cleared: Cleared<Vec<u8>>) -> Encoded {
        let rows = cleared.batch().rows;
        Encoded { payload: Payload::Bytes(cleared.into_payload()), rows, rowset: None }
    }
}

/// Encodes cleared batches of one table; shared across threads.
pub struct Encoder {
    format: Format,
    compression: Compression,
    dialect: Dialect,
}

impl Encoder {
    pub fn new(format: Format, compression: Compression) -> Encoder {
        Encoder { format, compression, dialect: Dialect::default() }
    }

    /// CSV written with `dialect` rather than commas and `\n`.
    pub fn with_dialect(mut self, dialect: Dialect) -> Encoder {
        self.dialect = dialect;
        self
    }

    /// Bytes the caller encoded from a cleared batch (a rewritten JSON Lines chunk),
    /// compressed like every other chunk.
    pub fn raw(&self, cleared: Cleared<Vec<u8>>) -> Result<Encoded, Error> {
        let rows = cleared.batch().rows;
        Ok(Encoded { payload: Payload::Bytes(compress(self.compression, cleared.into_payload())?), rows, rowset: None })
    }

    pub fn encode(&self, cleared: &Cleared) -> Result<Encoded, Error> {
        let batch = cleared.batch();
        let payload = match self.format {
            Format::Csv => {
                Payload::Bytes(compress(self.compression, csv::encode_rows(&batch.columns, batch.rows, self.dialect))?)
            }
            Format::Jsonl => {
                Payload::Bytes(compress(self.compression, jsonl::encode_rows(&batch.columns, batch.rows))?)
            }
            Format::Parquet => Payload::Frame(parquet::to_frame(&batch.columns, batch.rows)?),
            Format::Table(flavour) => {
                let text = db::text::encode_rows(&batch.columns, batch.rows, flavour);
                let mut rowset = db::digest::RowSet::default();
                rowset.add_columns(&batch.columns, batch.rows);
                return Ok(Encoded { payload: Payload::Bytes(text), rows: batch.rows, rowset: Some(rowset) });
            }
        };
        Ok(Encoded { payload, rows: batch.rows, rowset: None })
    }

    /// What opens a text file: the CSV header (column names only, never data).
    fn preamble(&self, columns: &[&str]) -> Result<Vec<u8>, Error> {
        match self.format {
            Format::Csv => compress(self.compression, csv::header(columns, self.dialect)),
            _ => Ok(Vec::new()),
        }
    }
}

/// Each chunk is compressed on its own: concatenated gzip members and zstd frames are one
/// valid stream, so compression runs in parallel with the rest of encoding.
fn compress(c: Compression, bytes: Vec<u8>) -> Result<Vec<u8>, Error> {
    let io = |e: std::io::Error| Error::new(crate::error::ErrorKind::Io, format!("compression failed: {e}"));
    match c {
        Compression::None => Ok(bytes),
        Compression::Gzip => {
            let mut enc =
                flate2::write::GzEncoder::new(Vec::with_capacity(bytes.len() / 3), flate2::Compression::fast());
            enc.write_all(&bytes).map_err(io)?;
            enc.finish().map_err(io)
        }
        Compression::Zstd => zstd::bulk::compress(&bytes, 3).map_err(io),
    }
}

/// Where one table goes.
#[derive(Clone, Debug)]
pub enum Destination {
    /// A file, written to a temporary name beside it and renamed on commit.
    File(PathBuf),
    /// Spooled to a temporary file and streamed out on commit, once everything was cleared.
    Stdout,
    /// Table `.1` of a database session's tables, loaded in the session's transaction and
    /// committed with the run.
    Table(std::sync::Arc<db::Session>, usize),
}

impl Destination {
    fn stage(&self) -> Result<Staged, Error> {
        match self {
            Destination::File(path) => Staged::create(path),
            Destination::Stdout => Staged::stdout(),
            Destination::Table(..) => unreachable!("tables are staged by their session"),
        }
    }
}

mod sealed {
    /// Only synthgate's own sinks: a sink outside this crate could write without the gate.
    pub trait Sealed {}
}

/// Where one table's cleared chunks go. Every sink follows the same four steps: it is
/// **staged** ([`stage`], [`stage_raw`]: a temporary file beside the target, a spool for
/// standard output; a transaction or staging table for a database, a multipart upload for an
/// object store), **written** chunk by chunk in order with [`Encoded`] chunks only (made only
/// from a [`Cleared`] batch), then **committed** — [`Sink::finish`] stages the finished output
/// and [`Staging::commit`] makes every output of a run visible together (rename, stream out,
/// transaction commit) — or **rolled back**, leaving the target as it was. Sealed: only
/// synthgate implements it:
///
/// ```compile_fail
/// use synthgate::error::Error;
/// use synthgate::sink::{Encoded, Finished, Sink};
/// // A sink of one's own would take chunks from anywhere: it cannot be written.
/// struct Elsewhere;
/// impl Sink for Elsewhere {
///     fn write(&mut self, _: Encoded) -> Result<(), Error> { Ok(()) }
///     fn finish(self: Box<Self>) -> Result<Finished, Error> { Err(Error::usage("never")) }
/// }
/// ```
pub trait Sink: sealed::Sealed + Send {
    /// Appends one cleared chunk.
    fn write(&mut self, chunk: Encoded) -> Result<(), Error>;
    /// Ends the output; it comes back staged, to be committed with the run's others.
    fn finish(self: Box<Self>) -> Result<Finished, Error>;
    /// Abandons the output: nothing reaches the target. Dropping a sink does the same; this
    /// says so where a run stops.
    fn roll_back(self: Box<Self>) {}
}

/// A finished output: its staged file (or spooled standard output), size, and the sha256 of
/// its bytes when the writer saw them all (text outputs hash as they write).
pub struct Finished {
    pub staged: Option<Staged>,
    pub bytes: u64,
    pub rows: u64,
    pub sha256: Option<String>,
}

/// Stages the sink for one table, whose columns (in order) and names the gate has judged:
/// `names` is [`crate::gate::Gate::clear_names`]'s proof, so nothing is created at the target —
/// not even an empty file, a header or a schema — before the names it carries were judged.
pub fn stage(dest: &Destination, encoder: &Encoder, names: &Cleared) -> Result<Box<dyn Sink>, Error> {
    if let Destination::Table(session, table) = dest {
        return session.sink(*table);
    }
    let columns = &names.batch().columns;
    let header: Vec<&str> = columns.iter().map(|c| &*c.name).collect();
    let staged = dest.stage()?;
    match encoder.format {
        Format::Parquet => Ok(Box::new(parquet::ParquetFileWriter::new(staged, columns, encoder.compression)?)),
        _ => {
            let preamble = encoder.preamble(&header)?;
            Ok(Box::new(TextWriter { out: staged, hash: Default::default(), bytes: 0, rows: 0, preamble }))
        }
    }
}

/// Stages a sink that appends encoded bytes as they are (for [`Encoded::raw`]), once the gate
/// has judged the names the output carries (see [`stage`]).
pub fn stage_raw(dest: &Destination, _names: &Cleared) -> Result<Box<dyn Sink>, Error> {
    if let Destination::Table(session, table) = dest {
        return session.sink(*table);
    }
    Ok(Box::new(TextWriter { out: dest.stage()?, hash: Default::default(), bytes: 0, rows: 0, preamble: Vec::new() }))
}

struct TextWriter {
    out: Staged,
    hash: sha2::Sha256,
    bytes: u64,
    rows: u64,
    /// A header, written with the first cleared chunk (or at the end of an empty table).
    preamble: Vec<u8>,
}

impl TextWriter {
    fn append(&mut self, b: &[u8]) -> Result<(), Error> {
        if !self.preamble.is_empty() {
            let p = std::mem::take(&mut self.preamble);
            self.append(&p)?;
        }
        self.out.write_all(b)?;
        sha2::Digest::update(&mut self.hash, b);
        self.bytes += b.len() as u64;
        Ok(())
    }
}

impl sealed::Sealed for TextWriter {}

impl Sink for TextWriter {
    fn write(&mut self, chunk: Encoded) -> Result<(), Error> {
        self.rows += chunk.rows as u64;
        match chunk.payload {
            Payload::Bytes(b) => self.append(&b),
            Payload::Frame(_) => unreachable!("text writers get bytes from their encoder"),
        }
    }

    fn finish(mut self: Box<Self>) -> Result<Finished, Error> {
        if !self.preamble.is_empty() {
            self.append(&[])?;
        }
        let (bytes, rows) = (self.bytes, self.rows);
        let sha256: String = sha2::Digest::finalize(self.hash).iter().map(|b| format!("{b:02x}")).collect();
        Ok(Finished { staged: Some(self.out.finish()?), bytes, rows, sha256: Some(sha256) })
    }
}
