//! Parquet through polars: batches become data frames in parallel; the writer gathers them
//! into row groups of about 64k rows and writes them in order.

use polars::prelude::{
    BooleanChunked, ChunkedArray, DataFrame, Float64Type, Int128Type, Int32Type, Int64Type, IntoColumn, IntoSeries,
    NewChunkedArray, ParquetCompression, ParquetWriter, PlSmallStr, StringChunked, TimeUnit, TimeZone,
};

use crate::batch::{Column, Values};
use crate::error::{Error, ErrorKind};

use super::{Compression, Encoded, Finished, Payload, Sink, Staged};

const ROW_GROUP_ROWS: usize = 65_536;

fn polars_err(e: polars::error::PolarsError) -> Error {
    Error::new(ErrorKind::Io, format!("parquet: {e}"))
}

fn numeric<T, N>(name: PlSmallStr, v: &[N], c: &Column) -> ChunkedArray<T>
where
    T: polars::prelude::PolarsNumericType<Native = N>,
    N: Copy,
    ChunkedArray<T>: NewChunkedArray<T, N>,
{
    match &c.validity {
        None => ChunkedArray::<T>::from_slice(name, v),
        Some(valid) => ChunkedArray::<T>::from_iter_options(name, v.iter().zip(valid).map(|(x, ok)| ok.then_some(*x))),
    }
}

/// A batch's columns as a data frame with logical types (Date, Datetime[μs, UTC], Time, Decimal).
pub fn to_frame(columns: &[Column], rows: usize) -> Result<DataFrame, Error> {
    let mut out = Vec::with_capacity(columns.len());
    for c in columns {
        let name = PlSmallStr::from_str(&c.name);
        let series = match &c.values {
            Values::Int64(v) => numeric::<Int64Type, i64>(name, v, c).into_series(),
            Values::Float64(v) => numeric::<Float64Type, f64>(name, v, c).into_series(),
            Values::Bool(v) => match &c.validity {
                None => BooleanChunked::from_slice(name, v).into_series(),
                Some(valid) => {
                    BooleanChunked::from_iter_options(name, v.iter().zip(valid).map(|(x, ok)| ok.then_some(*x)))
                        .into_series()
                }
            },
            Values::Utf8(s) => {
                StringChunked::from_iter_options(name, (0..s.len()).map(|i| (!c.is_null(i)).then(|| s.get(i))))
                    .into_series()
            }
            Values::Date(v) => numeric::<Int32Type, i32>(name, v, c).into_date().into_series(),
            Values::Time(v) => {
                let nanos: Vec<i64> = v.iter().map(|x| x * 1000).collect();
                numeric::<Int64Type, i64>(name, &nanos, c).into_time().into_series()
            }
            Values::Timestamp(v) => numeric::<Int64Type, i64>(name, v, c)
                .into_datetime(TimeUnit::Microseconds, Some(TimeZone::UTC))
                .into_series(),
            Values::Decimal(v, scale) => {
                let wide: Vec<i128> = v.iter().map(|&x| x as i128).collect();
                numeric::<Int128Type, i128>(name, &wide, c)
                    .into_decimal(18, *scale as usize)
                    .map_err(polars_err)?
                    .into_series()
            }
        };
        out.push(series.into_column());
    }
    DataFrame::new(rows, out).map_err(polars_err)
}

pub struct ParquetFileWriter {
    staged: Staged,
    writer: polars::io::parquet::write::BatchedWriter<std::fs::File>,
    pending: Option<DataFrame>,
    rows: u64,
}

impl ParquetFileWriter {
    /// `columns` give the schema (they may be empty).
    pub fn new(staged: Staged, columns: &[Column], compression: Compression) -> Result<ParquetFileWriter, Error> {
        let schema = to_frame(columns, 0)?.schema().as_ref().clone();
        let codec = match compression {
            Compression::None | Compression::Zstd => ParquetCompression::Zstd(None),
            Compression::Gzip => ParquetCompression::Gzip(None),
        };
        let writer = ParquetWriter::new(staged.file()?)
            .with_compression(codec)
            .set_parallel(true)
            .batched(&schema)
            .map_err(polars_err)?;
        Ok(ParquetFileWriter { staged, writer, pending: None, rows: 0 })
    }

    fn flush_pending(&mut self) -> Result<(), Error> {
        if let Some(mut df) = self.pending.take() {
            df.rechunk_mut();
            self.writer.write_batch(&df).map_err(|e| self.io_err(e))?;
        }
        Ok(())
    }

    fn io_err(&self, e: polars::error::PolarsError) -> Error {
        Error::new(ErrorKind::Io, format!("cannot write {}: {e}", self.staged.path().display()))
    }
}

impl super::sealed::Sealed for ParquetFileWriter {}

impl Sink for ParquetFileWriter {
    fn write(&mut self, chunk: Encoded) -> Result<(), Error> {
        self.rows += chunk.rows as u64;
        let Payload::Frame(df) = chunk.payload else { unreachable!("the parquet encoder makes frames") };
        match &mut self.pending {
            None => self.pending = Some(df),
            Some(p) => {
                p.vstack_mut_owned(df).map_err(polars_err)?;
            }
        }
        if self.pending.as_ref().is_some_and(|p| p.height() >= ROW_GROUP_ROWS) {
            self.flush_pending()?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> Result<Finished, Error> {
        self.flush_pending()?;
        let bytes = self.writer.finish().map_err(|e| self.io_err(e))?;
        let rows = self.rows;
        let staged = self.staged.finish()?;
        Ok(Finished { staged: Some(staged), bytes, rows, sha256: None })
    }
}
