//! Parquet through polars, one row group at a time, every column rendered as text: integers
//! and floats in plain decimal (never an exponent, so digits stay visible to the scanner),
//! dates `YYYY-MM-DD`, datetimes ISO 8601 (`Z` when the column has a time zone), decimals
//! exact, booleans `true`/`false`. A list column becomes `name[*]` with `value_rows`.
//!
//! Parquet cannot be cut into byte ranges that stand alone, so every chunk's `raw` is empty
//! except the last, which carries the whole file: a byte-exact copy of a parquet file can only
//! be written once every chunk was scanned. The file is read into memory once and parsed from
//! those same bytes, so what is copied is exactly what was scanned.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use polars::io::parquet::metadata::FileMetadataRef;
use polars::prelude::{DataFrame, DataType, ParquetReader, SerReader, Series, TimeUnit};

use crate::batch::{Batch, Column};
use crate::error::Error;
use crate::temporal::{write_date, write_time, write_timestamp};

use super::{table_name, Chunk, Source, SourceFormat, State, TextColumn};

/// A row group with rows: where it starts, how many rows, its compressed size.
struct Group {
    first_row: usize,
    rows: usize,
    bytes: u64,
}

pub(super) struct ParquetSource {
    path: PathBuf,
    table: Arc<str>,
    bytes: Vec<u8>,
    metadata: FileMetadataRef,
    groups: Vec<Group>,
    next_group: usize,
    /// The row group being cut into chunks, and how far.
    frame: Option<DataFrame>,
    offset: usize,
    rows_per_chunk: usize,
    first_row: u64,
    names: Vec<String>,
    bytes_read: u64,
    disk: Arc<AtomicU64>,
    state: State,
}

impl ParquetSource {
    /// `input`: the file's bytes, whatever compression was around them taken off; `len`: the
    /// file's size on disk, a hint for the buffer; `disk`: counts the bytes read from disk.
    pub(super) fn new(
        path: &Path,
        mut input: super::Input,
        len: u64,
        disk: Arc<AtomicU64>,
        rows_per_chunk: usize,
    ) -> Result<ParquetSource, Error> {
        let mut bytes = Vec::with_capacity(len as usize);
        input.read_to_end(&mut bytes).map_err(|e| super::sniff::read_error(path, e))?;
        let bad = |e| not_parquet(path, e);
        let metadata =
            polars_guard::call(path, || ParquetReader::new(Cursor::new(bytes.as_slice())).get_metadata().cloned())?
                .map_err(bad)?;
        let mut first_row = 0;
        let mut groups = Vec::new();
        for rg in &metadata.row_groups {
            let rows = rg.num_rows();
            if rows > 0 {
                groups.push(Group { first_row, rows, bytes: rg.compressed_size() as u64 });
            }
            first_row += rows;
        }
        let mut src = ParquetSource {
            path: path.to_path_buf(),
            table: table_name(path),
            bytes,
            metadata,
            groups,
            next_group: 0,
            frame: None,
            offset: 0,
            rows_per_chunk,
            first_row: 0,
            names: Vec::new(),
            bytes_read: 0,
            disk,
            state: State::Reading,
        };
        // The schema, rendered: gives the column names and refuses unreadable types up front.
        let empty = src.read_rows(0, 0)?;
        src.names = src.render(&empty)?.iter().map(|c| c.name.to_string()).collect();
        Ok(src)
    }

    fn read_rows(&self, first: usize, rows: usize) -> Result<DataFrame, Error> {
        polars_guard::call(&self.path, || {
            let mut reader = ParquetReader::new(Cursor::new(self.bytes.as_slice())).with_slice(Some((first, rows)));
            reader.set_metadata(Arc::clone(&self.metadata));
            reader.finish()
        })?
        .map_err(|e| not_parquet(&self.path, e))
    }

    fn render(&self, df: &DataFrame) -> Result<Vec<Column>, Error> {
        polars_guard::call(&self.path, || {
            let mut out = Vec::with_capacity(df.width());
            for s in df.materialized_column_iter() {
                render(s, s.name().to_string(), None, &mut out, &self.path)?;
            }
            Ok(out)
        })?
    }

    fn chunk(&mut self, df: &DataFrame, last: bool) -> Result<Chunk, Error> {
        let columns = self.render(df)?;
        let batch = Batch { table: Arc::clone(&self.table), first_row: self.first_row, rows: df.height(), columns };
        self.first_row += df.height() as u64;
        let raw = if last {
            self.state = State::Done;
            self.bytes_read = self.disk.load(Ordering::Relaxed);
            std::mem::take(&mut self.bytes)
        } else {
            Vec::new()
        };
        Ok(Chunk { batch, raw })
    }

    fn read_chunk(&mut self) -> Result<Option<Chunk>, Error> {
        if self.groups.is_empty() {
            // No rows: one empty chunk, with the schema's columns and the file's bytes.
            let empty = self.read_rows(0, 0)?;
            return self.chunk(&empty, true).map(Some);
        }
        let remaining = self.frame.as_ref().map_or(0, |f| f.height() - self.offset);
        if remaining == 0 {
            let g = &self.groups[self.next_group];
            let frame = self.read_rows(g.first_row, g.rows)?;
            self.bytes_read += g.bytes;
            self.next_group += 1;
            self.frame = Some(frame);
            self.offset = 0;
        }
        let frame = self.frame.take().expect("a row group is loaded");
        let n = self.rows_per_chunk.min(frame.height() - self.offset);
        let part = frame.slice(self.offset as i64, n);
        self.offset += n;
        let last = self.offset == frame.height() && self.next_group == self.groups.len();
        self.frame = Some(frame);
        self.chunk(&part, last).map(Some)
    }
}

impl Source for ParquetSource {
    fn next_chunk(&mut self) -> Result<Option<Chunk>, Error> {
        if !self.state.ready(&self.path)? {
            return Ok(None);
        }
        let r = self.read_chunk();
        self.state.after(r)
    }

    fn format(&self) -> SourceFormat {
        SourceFormat::Parquet
    }

    fn columns(&self) -> &[String] {
        &self.names
    }

    /// The compressed size of the row groups read so far; the whole file once done.
    fn bytes_read(&self) -> u64 {
        self.bytes_read
    }
}

/// Polars' messages describe the file's structure, not its values.
/// The logical type of each top-level column of a parquet file, for writing a scrubbed copy
/// with the same types: `None` for a column batches cannot hold typed (lists, binary, …).
pub fn column_types(path: &Path) -> Result<Vec<(String, Option<crate::batch::DataType>)>, Error> {
    use crate::batch::DataType as T;
    let file = std::fs::File::open(path).map_err(|e| Error::io("cannot open", path, e))?;
    let df = polars_guard::call(path, || ParquetReader::new(file).with_slice(Some((0, 0))).finish())?
        .map_err(|e| not_parquet(path, e))?;
    Ok(df
        .materialized_column_iter()
        .map(|c| {
            let t = match c.dtype() {
                DataType::Boolean => Some(T::Bool),
                DataType::Int8
                | DataType::Int16
                | DataType::Int32
                | DataType::Int64
                | DataType::UInt8
                | DataType::UInt16
                | DataType::UInt32 => Some(T::Int64),
                DataType::Float32 | DataType::Float64 => Some(T::Float64),
                DataType::String => Some(T::Utf8),
                DataType::Date => Some(T::Date),
                DataType::Datetime(..) => Some(T::Timestamp),
                DataType::Time => Some(T::Time),
                DataType::Decimal(_, scale) if *scale <= 18 => Some(T::Decimal { scale: *scale as u8 }),
                _ => None,
            };
            (c.name().to_string(), t)
        })
        .collect())
}

/// Polars panics on some malformed files (thrift metadata, page headers) instead of returning an
/// error; found by fuzzing. Calls into it are fenced so that such a file is refused with a message
/// naming it, and the panic's own message (polars source lines, never values) is not printed.
mod polars_guard {
    use std::panic::{self, AssertUnwindSafe};
    use std::path::Path;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Once;

    use crate::error::Error;

    /// Fenced calls running now, on any thread (polars may decode on its own worker threads).
    static ACTIVE: AtomicUsize = AtomicUsize::new(0);
    static HOOK: Once = Once::new();

    /// Runs `f`; a panic inside polars while it runs becomes an error naming `path`.
    pub(super) fn call<T>(path: &Path, f: impl FnOnce() -> T) -> Result<T, Error> {
        HOOK.call_once(|| {
            let previous = panic::take_hook();
            panic::set_hook(Box::new(move |info| {
                let in_polars = info.location().is_some_and(|l| l.file().contains("/polars"));
                if !(in_polars && ACTIVE.load(Ordering::SeqCst) > 0) {
                    previous(info);
                }
            }));
        });
        ACTIVE.fetch_add(1, Ordering::SeqCst);
        let result = panic::catch_unwind(AssertUnwindSafe(f));
        ACTIVE.fetch_sub(1, Ordering::SeqCst);
        result.map_err(|_| {
            Error::config(format!(
                "{}: not a readable parquet file: its metadata or pages are malformed",
                path.display()
            ))
        })
    }
}

fn not_parquet(path: &Path, e: polars::error::PolarsError) -> Error {
    Error::config(format!("{}: not a readable parquet file: {e}", path.display()))
}

fn unreadable(path: &Path, name: &str, dtype: &DataType) -> Error {
    Error::config(format!("{}: column `{name}` has type {dtype}, which synthgate cannot read", path.display()))
}

/// Renders `s` as text columns into `out`: one column, or for a list the column(s) of its items,
/// named `name[*]`. `rows` (inside lists) gives the batch row of each element of `s`, or `None`
/// for an element of a null list, which is skipped.
fn render(
    s: &Series,
    name: String,
    rows: Option<&[Option<u32>]>,
    out: &mut Vec<Column>,
    path: &Path,
) -> Result<(), Error> {
    let downcast = |e: polars::error::PolarsError| Error::config(format!("{}: column `{name}`: {e}", path.display()));
    let (text, value_rows) = match s.dtype() {
        DataType::Boolean => text_of(s.bool().map_err(downcast)?.iter(), rows, |v, b| {
            b.extend_from_slice(if v { b"true" } else { b"false" })
        }),
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32 => {
            let wide = s.cast(&DataType::Int64).map_err(downcast)?;
            text_of(wide.i64().map_err(downcast)?.iter(), rows, |v, b| {
                b.extend_from_slice(itoa::Buffer::new().format(v).as_bytes())
            })
        }
        DataType::UInt64 => text_of(s.u64().map_err(downcast)?.iter(), rows, |v, b| {
            b.extend_from_slice(itoa::Buffer::new().format(v).as_bytes())
        }),
        DataType::Int128 => text_of(s.i128().map_err(downcast)?.iter(), rows, |v, b| {
            b.extend_from_slice(itoa::Buffer::new().format(v).as_bytes())
        }),
        // `Display` for floats is plain decimal, shortest round trip: no exponent to hide digits.
        DataType::Float32 => text_of(s.f32().map_err(downcast)?.iter(), rows, |v, b| {
            use std::io::Write as _;
            let _ = write!(b, "{v}");
        }),
        DataType::Float16 | DataType::Float64 => {
            let wide = s.cast(&DataType::Float64).map_err(downcast)?;
            text_of(wide.f64().map_err(downcast)?.iter(), rows, |v, b| {
                use std::io::Write as _;
                let _ = write!(b, "{v}");
            })
        }
        DataType::String => text_of(s.str().map_err(downcast)?.iter(), rows, |v, b| b.extend_from_slice(v.as_bytes())),
        DataType::Binary => text_of(s.binary().map_err(downcast)?.iter(), rows, |v, b| b.extend_from_slice(v)),
        DataType::Date => {
            let phys = s.to_physical_repr();
            text_of(phys.i32().map_err(downcast)?.iter(), rows, write_date)
        }
        DataType::Datetime(unit, tz) => {
            let (unit, zoned) = (*unit, tz.is_some());
            let phys = s.to_physical_repr();
            text_of(phys.i64().map_err(downcast)?.iter(), rows, |v, b| {
                let micros = match unit {
                    TimeUnit::Nanoseconds => v.div_euclid(1000),
                    TimeUnit::Microseconds => v,
                    TimeUnit::Milliseconds => v.saturating_mul(1000),
                };
                write_timestamp(micros, b);
                if !zoned {
                    b.pop(); // a naive datetime is not UTC: no `Z`
                }
            })
        }
        DataType::Time => {
            let phys = s.to_physical_repr();
            text_of(phys.i64().map_err(downcast)?.iter(), rows, |v, b| write_time(v.div_euclid(1000), b))
        }
        DataType::Duration(_) => {
            let phys = s.to_physical_repr();
            text_of(phys.i64().map_err(downcast)?.iter(), rows, |v, b| {
                b.extend_from_slice(itoa::Buffer::new().format(v).as_bytes())
            })
        }
        DataType::Decimal(_, scale) => {
            let scale = *scale;
            let phys = s.to_physical_repr();
            text_of(phys.i128().map_err(downcast)?.iter(), rows, |v, b| write_decimal128(v, scale, b))
        }
        DataType::Null => text_of(std::iter::repeat_n(None::<()>, s.len()), rows, |_, _| {}),
        DataType::List(_) => {
            let list = s.list().map_err(downcast)?.rechunk();
            let arr = list.downcast_as_array();
            let offsets = arr.offsets().as_slice();
            let validity = arr.validity();
            let items = list.get_inner();
            let mut item_rows: Vec<Option<u32>> = vec![None; items.len()];
            for i in 0..arr.len() {
                let row = match rows {
                    None => Some(i as u32),
                    Some(r) => r[i],
                };
                if validity.is_some_and(|v| !v.get_bit(i)) {
                    continue;
                }
                for slot in &mut item_rows[offsets[i] as usize..offsets[i + 1] as usize] {
                    *slot = row;
                }
            }
            return render(&items, format!("{name}[*]"), Some(&item_rows), out, path);
        }
        other => return Err(unreadable(path, &name, other)),
    };
    let mut col = text.into_column(&name.as_str().into());
    col.value_rows = value_rows;
    out.push(col);
    Ok(())
}

/// Values as text; with `rows`, only the elements that belong to a row, each with its row.
fn text_of<T>(
    values: impl Iterator<Item = Option<T>>,
    rows: Option<&[Option<u32>]>,
    mut write: impl FnMut(T, &mut Vec<u8>),
) -> (TextColumn, Option<Vec<u32>>) {
    let mut text = TextColumn::default();
    let mut value_rows = rows.map(|_| Vec::new());
    let mut buf = Vec::new();
    for (i, v) in values.enumerate() {
        if let (Some(rows), Some(vr)) = (rows, value_rows.as_mut()) {
            match rows[i] {
                Some(row) => vr.push(row),
                None => continue,
            }
        }
        match v {
            None => text.push_null(),
            Some(v) => {
                buf.clear();
                write(v, &mut buf);
                match std::str::from_utf8(&buf) {
                    Ok(s) => text.push(s),
                    Err(_) => text.push(&String::from_utf8_lossy(&buf)),
                }
            }
        }
    }
    (text, value_rows)
}

/// A 128-bit fixed-point decimal, exact.
fn write_decimal128(mantissa: i128, scale: usize, out: &mut Vec<u8>) {
    if mantissa < 0 {
        out.push(b'-');
    }
    let digits = mantissa.unsigned_abs().to_string();
    if scale == 0 {
        out.extend_from_slice(digits.as_bytes());
        return;
    }
    let d = digits.as_bytes();
    if d.len() > scale {
        out.extend_from_slice(&d[..d.len() - scale]);
        out.push(b'.');
        out.extend_from_slice(&d[d.len() - scale..]);
    } else {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', scale - d.len()));
        out.extend_from_slice(d);
    }
}

#[cfg(test)]
mod tests {
    use polars::prelude::{
        BooleanChunked, ChunkedArray, Float32Type, Float64Type, Int128Type, Int32Type, Int64Type, IntoColumn,
        IntoSeries, ListChunked, NamedFrom, NewChunkedArray, ParquetWriter, PlSmallStr, StringChunked, TimeZone,
        UInt64Type,
    };

    use super::*;
    use crate::batch::{Lineage, Scalar};
    use crate::source::open;

    fn texts(c: &Column) -> Vec<Option<String>> {
        (0..c.len())
            .map(|i| match c.get(i) {
                Scalar::Null => None,
                Scalar::Str(s) => Some(s.to_string()),
                other => panic!("not text: {other:?}"),
            })
            .collect()
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    fn write_parquet(path: &Path, mut df: DataFrame, row_group_rows: Option<usize>) {
        let f = std::fs::File::create(path).unwrap();
        ParquetWriter::new(f).with_row_group_size(row_group_rows).finish(&mut df).unwrap();
    }

    fn name(n: &str) -> PlSmallStr {
        PlSmallStr::from_str(n)
    }

    fn sample() -> DataFrame {
        let cols = vec![
            ChunkedArray::<Int64Type>::from_slice_options(name("id"), &[Some(1), Some(-2), None]).into_series(),
            ChunkedArray::<Int32Type>::from_slice(name("small"), &[7, 8, 9]).into_series(),
            ChunkedArray::<UInt64Type>::from_slice(name("big"), &[u64::MAX, 0, 1]).into_series(),
            ChunkedArray::<Float64Type>::from_slice(name("amount"), &[1.5, 1e16, 7700900123.0]).into_series(),
            ChunkedArray::<Float32Type>::from_slice(name("ratio"), &[0.1, 2.0, -0.25]).into_series(),
            BooleanChunked::from_slice_options(name("vip"), &[Some(true), None, Some(false)]).into_series(),
            StringChunked::from_slice_options(name("email"), &[Some("a@example.com"), Some(""), None]).into_series(),
            ChunkedArray::<Int32Type>::from_slice(name("born"), &[0, 19_000, -1]).into_date().into_series(),
            ChunkedArray::<Int64Type>::from_slice(name("seen"), &[0, 1_700_000_000_123_456, -1])
                .into_datetime(TimeUnit::Microseconds, Some(TimeZone::UTC))
                .into_series(),
            ChunkedArray::<Int64Type>::from_slice(name("local"), &[86_400_000, 0, 1])
                .into_datetime(TimeUnit::Milliseconds, None)
                .into_series(),
            ChunkedArray::<Int64Type>::from_slice(name("at"), &[3_723_000_000_000, 0, 1_500]).into_time().into_series(),
            ChunkedArray::<Int128Type>::from_slice(name("price"), &[12_345, -5, 0])
                .into_decimal(38, 3)
                .unwrap()
                .into_series(),
        ];
        DataFrame::new(3, cols.into_iter().map(|c| c.into_column()).collect()).unwrap()
    }

    #[test]
    fn renders_every_type_as_text_and_keeps_nulls() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("people.parquet");
        write_parquet(&p, sample(), None);
        let mut src = open(&p, 100).unwrap();
        assert_eq!(src.format(), SourceFormat::Parquet);
        assert_eq!(
            src.columns(),
            ["id", "small", "big", "amount", "ratio", "vip", "email", "born", "seen", "local", "at", "price"]
        );
        let chunk = src.next_chunk().unwrap().unwrap();
        assert!(src.next_chunk().unwrap().is_none());
        let b = &chunk.batch;
        assert_eq!((&*b.table, b.first_row, b.rows), ("people", 0, 3));
        assert!(b.columns.iter().all(|c| c.lineage == Lineage::Input && c.value_rows.is_none()));
        let col = |n: &str| texts(b.column(n).unwrap());
        assert_eq!(col("id"), [s("1"), s("-2"), None]);
        assert_eq!(col("small"), [s("7"), s("8"), s("9")]);
        assert_eq!(col("big"), [s("18446744073709551615"), s("0"), s("1")]);
        assert_eq!(col("amount"), [s("1.5"), s("10000000000000000"), s("7700900123")]);
        assert_eq!(col("ratio"), [s("0.1"), s("2"), s("-0.25")]);
        assert_eq!(col("vip"), [s("true"), None, s("false")]);
        assert_eq!(col("email"), [s("a@example.com"), s(""), None]);
        assert_eq!(col("born"), [s("1970-01-01"), s("2022-01-08"), s("1969-12-31")]);
        assert_eq!(
            col("seen"),
            [s("1970-01-01T00:00:00Z"), s("2023-11-14T22:13:20.123456Z"), s("1969-12-31T23:59:59.999999Z")]
        );
        assert_eq!(col("local"), [s("1970-01-02T00:00:00"), s("1970-01-01T00:00:00"), s("1970-01-01T00:00:00.001000")]);
        assert_eq!(col("at"), [s("01:02:03"), s("00:00:00"), s("00:00:00.000001")]);
        assert_eq!(col("price"), [s("12.345"), s("-0.005"), s("0.000")]);
        assert_eq!(chunk.raw, std::fs::read(&p).unwrap());
        assert_eq!(src.bytes_read(), chunk.raw.len() as u64);
    }

    #[test]
    fn list_columns_become_multi_valued_paths() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.parquet");
        let emails: ListChunked = [
            Some(Series::new(name(""), &["a@x.com", "b@x.com"])),
            None,
            Some(Series::new(name(""), Vec::<&str>::new())),
            Some(Series::new(name(""), &["c@x.com"])),
        ]
        .into_iter()
        .collect();
        let emails = emails.with_name(name("emails")).into_series();
        let nested: ListChunked = [
            Some(
                ListChunked::from_iter([Some(Series::new(name(""), &[1i64, 2])), Some(Series::new(name(""), &[3i64]))])
                    .into_series(),
            ),
            None,
            None,
            Some(ListChunked::from_iter([Some(Series::new(name(""), &[4i64]))]).into_series()),
        ]
        .into_iter()
        .collect();
        let nested = nested.with_name(name("grid")).into_series();
        let id = Series::new(name("id"), &[1i64, 2, 3, 4]);
        let df = DataFrame::new(4, vec![id.into_column(), emails.into_column(), nested.into_column()]).unwrap();
        write_parquet(&p, df, None);
        for (n, expect_first_rows) in [(10, vec![0u64]), (3, vec![0, 3])] {
            let mut src = open(&p, n).unwrap();
            assert_eq!(src.columns(), ["id", "emails[*]", "grid[*][*]"]);
            let mut chunks = Vec::new();
            while let Some(c) = src.next_chunk().unwrap() {
                chunks.push(c);
            }
            assert_eq!(chunks.iter().map(|c| c.batch.first_row).collect::<Vec<_>>(), expect_first_rows);
            let values = |col: &str| -> Vec<(u64, String)> {
                chunks
                    .iter()
                    .flat_map(|c| {
                        let column = c.batch.column(col).unwrap();
                        let rows = column.value_rows.clone().expect("multi-valued");
                        texts(column)
                            .into_iter()
                            .zip(rows)
                            .map(|(v, r)| (c.batch.first_row + r as u64, v.unwrap()))
                            .collect::<Vec<_>>()
                    })
                    .collect()
            };
            assert_eq!(values("emails[*]"), [(0, "a@x.com".into()), (0, "b@x.com".into()), (3, "c@x.com".into())]);
            assert_eq!(values("grid[*][*]"), [(0, "1".into()), (0, "2".into()), (0, "3".into()), (3, "4".into())]);
        }
    }

    #[test]
    fn row_groups_are_cut_into_chunks_and_only_the_last_carries_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("g.parquet");
        let ids: Vec<i64> = (0..1000).collect();
        let df = DataFrame::new(1000, vec![Series::new(name("id"), &ids).into_column()]).unwrap();
        write_parquet(&p, df, Some(300));
        let mut src = open(&p, 128).unwrap();
        let mut seen = Vec::new();
        let mut raws = Vec::new();
        while let Some(c) = src.next_chunk().unwrap() {
            assert!(c.batch.rows <= 128);
            assert_eq!(c.batch.first_row, seen.len() as u64);
            seen.extend(texts(&c.batch.columns[0]).into_iter().map(|v| v.unwrap().parse::<i64>().unwrap()));
            raws.push(c.raw);
        }
        assert_eq!(seen, ids);
        let (last, rest) = raws.split_last().unwrap();
        assert!(rest.iter().all(|r| r.is_empty()));
        assert_eq!(*last, std::fs::read(&p).unwrap());
    }

    #[test]
    fn an_empty_file_gives_one_chunk_with_the_schema_and_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("e.parquet");
        let df = DataFrame::new(0, vec![Series::new(name("email"), Vec::<&str>::new()).into_column()]).unwrap();
        write_parquet(&p, df, None);
        let mut src = open(&p, 10).unwrap();
        let c = src.next_chunk().unwrap().unwrap();
        assert_eq!((c.batch.rows, c.batch.columns.len()), (0, 1));
        assert_eq!(c.raw, std::fs::read(&p).unwrap());
        assert!(src.next_chunk().unwrap().is_none());
    }

    #[test]
    fn a_broken_parquet_file_is_a_config_error_naming_it_and_text_so_named_is_text() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("fake.parquet");
        std::fs::write(&p, b"id,secret\n1,4111111111111111\n").unwrap();
        assert_eq!(open(&p, 10).unwrap().format(), SourceFormat::Text);
        std::fs::write(&p, b"PAR1 id,secret\n1,4111111111111111\n").unwrap();
        let e = open(&p, 10).err().unwrap();
        assert_eq!(e.kind(), crate::error::ErrorKind::Config);
        assert!(e.message().contains("fake.parquet") && !e.message().contains("4111"), "{}", e.message());
    }

    #[test]
    fn decimals_are_exact_at_any_scale() {
        let t = |m: i128, scale: usize| {
            let mut v = Vec::new();
            write_decimal128(m, scale, &mut v);
            String::from_utf8(v).unwrap()
        };
        assert_eq!(t(12345, 2), "123.45");
        assert_eq!(t(-12345, 7), "-0.0012345");
        assert_eq!(t(5, 0), "5");
        assert_eq!(t(i128::MAX, 38), "1.70141183460469231731687303715884105727");
    }
}
