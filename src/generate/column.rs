//! The contract between the engine and a column generator.
//!
//! The engine fills a batch column by column, in dependency order; a generator writes one
//! value per call and may read columns of the same row that were filled before it, and the
//! columns of the parent rows its table is related to.

use crate::batch::{Column, Scalar, Values};

use super::rng::CellRng;

/// What a generator may know about the row it writes.
pub struct RowCtx<'b> {
    /// Index of the row in its table.
    pub row: u64,
    /// Index of the row in the batch.
    pub i: usize,
    /// 0-based position of the row among its parent's children (tables with `per`).
    pub ordinal: u64,
    /// Columns of this batch, by declared index; `Some` once filled.
    pub columns: &'b [Option<Column>],
    /// Parent values fetched for this batch, one entry per relation of the table.
    pub relations: &'b [Fetched],
}

impl RowCtx<'_> {
    /// A same-row column that the generator declared as a dependency.
    #[inline]
    pub fn column(&self, idx: usize) -> Scalar<'_> {
        match &self.columns[idx] {
            Some(c) => c.get(self.i),
            None => Scalar::Null,
        }
    }

    /// A column of the parent row in relation `rel`.
    #[inline]
    pub fn parent(&self, rel: usize, col: usize) -> Scalar<'_> {
        self.relations[rel].get(col, self.i)
    }

    /// The parent's row index in relation `rel` (None when the row has no parent: a root).
    #[inline]
    pub fn parent_row(&self, rel: usize) -> Option<u64> {
        self.relations[rel].parent_rows[self.i]
    }
}

/// Parent columns fetched for the rows of one batch.
#[derive(Default)]
pub struct Fetched {
    /// The parent row of each batch row.
    pub parent_rows: Vec<Option<u64>>,
    /// Parent columns by the parent table's declared index (`None` where not needed).
    pub columns: Vec<Option<Column>>,
    /// Batch row → row in `columns`.
    pub map: Vec<u32>,
}

impl Fetched {
    #[inline]
    pub fn get(&self, col: usize, i: usize) -> Scalar<'_> {
        if self.parent_rows[i].is_none() {
            return Scalar::Null;
        }
        match &self.columns[col] {
            Some(c) => c.get(self.map[i] as usize),
            None => Scalar::Null,
        }
    }
}

/// A column generator: one value per call, a pure function of the context and the cell's rng.
pub trait Generate: Send + Sync {
    /// Appends one value to `out` and returns true, or appends nothing and returns false
    /// for a null.
    fn generate(&self, cx: &RowCtx<'_>, rng: &mut CellRng, out: &mut Values) -> bool;
}

/// Appends a scalar of the column's own type (copies, references, scenario values).
pub fn push_scalar(out: &mut Values, v: Scalar<'_>) -> bool {
    match (out, v) {
        (_, Scalar::Null) => return false,
        (Values::Int64(o), Scalar::Int(x)) => o.push(x),
        (Values::Float64(o), Scalar::Float(x)) => o.push(x),
        (Values::Bool(o), Scalar::Bool(x)) => o.push(x),
        (Values::Utf8(o), Scalar::Str(x)) => o.push(x),
        (Values::Date(o), Scalar::Date(x)) => o.push(x),
        (Values::Time(o), Scalar::Time(x)) => o.push(x),
        (Values::Timestamp(o), Scalar::Timestamp(x)) => o.push(x),
        (Values::Decimal(o, s), Scalar::Decimal(x, xs)) => o.push(rescale(x, xs, *s)),
        (Values::Float64(o), Scalar::Int(x)) => o.push(x as f64),
        (Values::Timestamp(o), Scalar::Date(d)) => o.push(d as i64 * crate::temporal::MICROS_PER_DAY),
        (Values::Date(o), Scalar::Timestamp(t)) => o.push(t.div_euclid(crate::temporal::MICROS_PER_DAY) as i32),
        (Values::Utf8(o), other) => {
            write_scalar_text(other, o);
            o.end_value();
        }
        _ => return false,
    }
    true
}

fn rescale(m: i64, from: u8, to: u8) -> i64 {
    use std::cmp::Ordering::*;
    match from.cmp(&to) {
        Equal => m,
        Less => m.saturating_mul(10i64.pow((to - from) as u32)),
        Greater => m / 10i64.pow((from - to) as u32),
    }
}

/// The text form of a scalar, as CSV would write it (templates use this).
pub fn write_scalar_text(v: Scalar<'_>, out: &mut crate::batch::StrBuf) {
    match v {
        Scalar::Null => {}
        Scalar::Str(s) => out.extend(s),
        Scalar::Int(x) => out.extend_ascii(itoa::Buffer::new().format(x).as_bytes()),
        Scalar::Float(x) => out.extend_ascii(ryu::Buffer::new().format(x).as_bytes()),
        Scalar::Bool(b) => out.extend_ascii(if b { b"true" } else { b"false" }),
        Scalar::Date(d) => out.extend_with(|b| crate::temporal::write_date(d, b)),
        Scalar::Time(t) => out.extend_with(|b| crate::temporal::write_time(t, b)),
        Scalar::Timestamp(t) => out.extend_with(|b| crate::temporal::write_timestamp(t, b)),
        Scalar::Decimal(m, s) => out.extend_with(|b| crate::temporal::write_decimal(m, s, b)),
    }
}
