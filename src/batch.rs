//! Batches: a chunk of rows held column by column, each column tagged with its lineage.
//!
//! Lineage is what the gate reasons about: `Input` may hold personal data, `Synthetic` was made
//! by a generator, `Scrubbed` was rewritten by a PID-removing transform.

use std::sync::Arc;

/// Where a column's values came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lineage {
    /// Read from a source; may hold personal data.
    Input,
    /// Made by a generator.
    Synthetic,
    /// Rewritten by a transform that removes personal data.
    Scrubbed,
}

/// The logical type of a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataType {
    Int64,
    Float64,
    Bool,
    Utf8,
    /// Days since 1970-01-01.
    Date,
    /// Microseconds since midnight.
    Time,
    /// Microseconds since 1970-01-01T00:00:00Z.
    Timestamp,
    /// A fixed-point number: an `i64` mantissa with `scale` decimal places.
    Decimal {
        scale: u8,
    },
}

impl DataType {
    pub fn name(self) -> &'static str {
        match self {
            DataType::Int64 => "int",
            DataType::Float64 => "float",
            DataType::Bool => "bool",
            DataType::Utf8 => "string",
            DataType::Date => "date",
            DataType::Time => "time",
            DataType::Timestamp => "timestamp",
            DataType::Decimal { .. } => "decimal",
        }
    }
}

/// Strings of one column in one contiguous buffer (Arrow's layout): no allocation per value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StrBuf {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

impl StrBuf {
    pub fn with_capacity(rows: usize, bytes: usize) -> StrBuf {
        StrBuf { bytes: Vec::with_capacity(bytes), ends: Vec::with_capacity(rows) }
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    #[inline]
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        // Only whole `&str`s are ever appended, so every slice is valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(&self.bytes[start..self.ends[i] as usize]) }
    }

    #[inline]
    pub fn push(&mut self, s: &str) {
        self.bytes.extend_from_slice(s.as_bytes());
        self.end_value();
    }

    /// Shortens the last finished value to at most `max` characters (a column's declared
    /// length, `varchar(n)`), cutting at a character boundary; trailing spaces left by the cut
    /// go too. Returns whether it was cut.
    pub fn truncate_last(&mut self, max: usize) -> bool {
        let Some(&end) = self.ends.last() else { return false };
        let start = if self.ends.len() > 1 { self.ends[self.ends.len() - 2] as usize } else { 0 };
        // Valid UTF-8 by construction (every push is a &str or ASCII).
        let value = unsafe { std::str::from_utf8_unchecked(&self.bytes[start..end as usize]) };
        let Some((cut, _)) = value.char_indices().nth(max) else { return false };
        let kept = value[..cut].trim_end().len();
        self.bytes.truncate(start + kept);
        *self.ends.last_mut().expect("checked above") = (start + kept) as u32;
        true
    }

    /// Append to the value being built; finish it with [`StrBuf::end_value`].
    #[inline]
    pub fn extend(&mut self, s: &str) {
        self.bytes.extend_from_slice(s.as_bytes());
    }

    #[inline]
    pub fn extend_char(&mut self, c: char) {
        let mut b = [0u8; 4];
        self.bytes.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
    }

    /// ASCII bytes only (digits, separators): keeps the buffer valid UTF-8.
    #[inline]
    pub fn extend_ascii(&mut self, b: &[u8]) {
        debug_assert!(b.is_ascii());
        self.bytes.extend_from_slice(b);
    }

    /// Appends ASCII text written by `write` (dates, decimals) straight into the buffer, with
    /// no temporary. `write` must append ASCII only, which keeps the buffer valid UTF-8.
    #[inline]
    pub fn extend_with(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        let start = self.bytes.len();
        write(&mut self.bytes);
        debug_assert!(self.bytes[start..].is_ascii());
    }

    /// Appends a copy of value `j` to the value being built.
    #[inline]
    pub fn extend_from_value(&mut self, j: usize) {
        let start = if j == 0 { 0 } else { self.ends[j - 1] as usize };
        self.bytes.extend_from_within(start..self.ends[j] as usize);
    }

    /// The value being built so far.
    #[inline]
    pub fn current(&self) -> &str {
        let start = self.ends.last().copied().unwrap_or(0) as usize;
        unsafe { std::str::from_utf8_unchecked(&self.bytes[start..]) }
    }

    /// Drop the value being built.
    #[inline]
    pub fn discard_current(&mut self) {
        let start = self.ends.last().copied().unwrap_or(0) as usize;
        self.bytes.truncate(start);
    }

    #[inline]
    pub fn end_value(&mut self) {
        self.ends.push(self.bytes.len() as u32);
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }

    pub fn byte_len(&self) -> usize {
        self.bytes.len()
    }
}

/// The values of one column; a null slot holds a default value and a `false` in `validity`.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    Int64(Vec<i64>),
    Float64(Vec<f64>),
    Bool(Vec<bool>),
    Utf8(StrBuf),
    Date(Vec<i32>),
    Time(Vec<i64>),
    Timestamp(Vec<i64>),
    Decimal(Vec<i64>, u8),
}

impl Values {
    pub fn with_capacity(dt: DataType, rows: usize) -> Values {
        match dt {
            DataType::Int64 => Values::Int64(Vec::with_capacity(rows)),
            DataType::Float64 => Values::Float64(Vec::with_capacity(rows)),
            DataType::Bool => Values::Bool(Vec::with_capacity(rows)),
            DataType::Utf8 => Values::Utf8(StrBuf::with_capacity(rows, rows * 12)),
            DataType::Date => Values::Date(Vec::with_capacity(rows)),
            DataType::Time => Values::Time(Vec::with_capacity(rows)),
            DataType::Timestamp => Values::Timestamp(Vec::with_capacity(rows)),
            DataType::Decimal { scale } => Values::Decimal(Vec::with_capacity(rows), scale),
        }
    }

    pub fn data_type(&self) -> DataType {
        match self {
            Values::Int64(_) => DataType::Int64,
            Values::Float64(_) => DataType::Float64,
            Values::Bool(_) => DataType::Bool,
            Values::Utf8(_) => DataType::Utf8,
            Values::Date(_) => DataType::Date,
            Values::Time(_) => DataType::Time,
            Values::Timestamp(_) => DataType::Timestamp,
            Values::Decimal(_, scale) => DataType::Decimal { scale: *scale },
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Values::Int64(v) | Values::Time(v) | Values::Timestamp(v) | Values::Decimal(v, _) => v.len(),
            Values::Float64(v) => v.len(),
            Values::Bool(v) => v.len(),
            Values::Utf8(v) => v.len(),
            Values::Date(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Append the type's default value (the placeholder behind a null).
    pub fn push_default(&mut self) {
        match self {
            Values::Int64(v) | Values::Time(v) | Values::Timestamp(v) | Values::Decimal(v, _) => v.push(0),
            Values::Float64(v) => v.push(0.0),
            Values::Bool(v) => v.push(false),
            Values::Utf8(v) => v.end_value(),
            Values::Date(v) => v.push(0),
        }
    }

    /// One value as a [`Scalar`] (for dependencies between columns and for tests).
    pub fn scalar(&self, i: usize) -> Scalar<'_> {
        match self {
            Values::Int64(v) => Scalar::Int(v[i]),
            Values::Float64(v) => Scalar::Float(v[i]),
            Values::Bool(v) => Scalar::Bool(v[i]),
            Values::Utf8(v) => Scalar::Str(v.get(i)),
            Values::Date(v) => Scalar::Date(v[i]),
            Values::Time(v) => Scalar::Time(v[i]),
            Values::Timestamp(v) => Scalar::Timestamp(v[i]),
            Values::Decimal(v, s) => Scalar::Decimal(v[i], *s),
        }
    }
}

/// One value, borrowed from a column.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar<'a> {
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(&'a str),
    Date(i32),
    Time(i64),
    Timestamp(i64),
    Decimal(i64, u8),
}

/// A column of a batch: values, which of them are null, and where they came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub name: Arc<str>,
    pub lineage: Lineage,
    pub values: Values,
    /// `None` when no value is null.
    pub validity: Option<Vec<bool>>,
    /// For a column with several values in one row (a JSON path through arrays, such as
    /// `payment_methods[*].number`): the batch row of each value, ascending. `None` when value
    /// `i` belongs to row `i`.
    pub value_rows: Option<Vec<u32>>,
}

impl Column {
    /// A column with one value per row.
    pub fn new(name: Arc<str>, lineage: Lineage, values: Values, validity: Option<Vec<bool>>) -> Column {
        Column { name, lineage, values, validity, value_rows: None }
    }

    /// The batch row that value `i` belongs to.
    #[inline]
    pub fn row_of(&self, i: usize) -> usize {
        self.value_rows.as_ref().map_or(i, |r| r[i] as usize)
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    #[inline]
    pub fn is_null(&self, i: usize) -> bool {
        self.validity.as_ref().is_some_and(|v| !v[i])
    }

    pub fn get(&self, i: usize) -> Scalar<'_> {
        if self.is_null(i) {
            Scalar::Null
        } else {
            self.values.scalar(i)
        }
    }

    pub fn null_count(&self) -> usize {
        self.validity.as_ref().map_or(0, |v| v.iter().filter(|b| !**b).count())
    }

    /// A text column read as values of type `to` (dates `YYYY-MM-DD`, timestamps ISO 8601,
    /// decimals exact); any other column as it is. A value that does not parse becomes null:
    /// the count of those comes back. Only ever loses information, never adds any.
    pub fn parse_as(self, to: DataType) -> (Column, u64) {
        use crate::temporal::{parse_date, parse_time, parse_timestamp};
        let Values::Utf8(text) = &self.values else { return (self, 0) };
        if to == DataType::Utf8 {
            return (self, 0);
        }
        let n = text.len();
        let mut validity: Vec<bool> = (0..n).map(|i| !self.is_null(i)).collect();
        let mut bad = 0;
        let mut values = Values::with_capacity(to, n);
        for (i, ok) in validity.iter_mut().enumerate() {
            let s = text.get(i).trim();
            let parsed = *ok
                && match &mut values {
                    Values::Int64(v) => s.parse().map(|x| v.push(x)).is_ok(),
                    Values::Float64(v) => s.parse().map(|x| v.push(x)).is_ok(),
                    Values::Bool(v) => match s {
                        "true" => Some(true),
                        "false" => Some(false),
                        _ => None,
                    }
                    .map(|x| v.push(x))
                    .is_some(),
                    Values::Date(v) => parse_date(s).map(|x| v.push(x)).is_some(),
                    Values::Time(v) => parse_time(s).map(|x| v.push(x)).is_some(),
                    Values::Timestamp(v) => parse_timestamp(s).map(|x| v.push(x)).is_some(),
                    Values::Decimal(v, scale) => parse_decimal(s, *scale).map(|x| v.push(x)).is_some(),
                    Values::Utf8(_) => unreachable!("handled above"),
                };
            if !parsed {
                bad += u64::from(*ok);
                *ok = false;
                values.push_default();
            }
        }
        let validity = validity.iter().any(|v| !v).then_some(validity);
        let Column { name, lineage, value_rows, .. } = self;
        (Column { name, lineage, values, validity, value_rows }, bad)
    }
}

/// `-12.34` at `scale` 2 → `-1234`; more fractional digits than `scale` do not parse.
fn parse_decimal(s: &str, scale: u8) -> Option<i64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty() || frac.len() > scale as usize || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut m: i64 = int.parse().ok()?;
    for i in 0..scale as usize {
        let d = frac.as_bytes().get(i).map_or(0, |b| (b - b'0') as i64);
        m = m.checked_mul(10)?.checked_add(d)?;
    }
    Some(if neg { -m } else { m })
}

/// A chunk of consecutive rows of one table.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    pub table: Arc<str>,
    /// Index of the batch's first row within its table.
    pub first_row: u64,
    pub rows: usize,
    pub columns: Vec<Column>,
}

impl Batch {
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| &*c.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_parses_as_a_type_and_what_does_not_parse_becomes_null() {
        let mut s = StrBuf::default();
        for v in ["12", "x", ""] {
            s.push(v);
        }
        let c = Column::new("n".into(), Lineage::Input, Values::Utf8(s), Some(vec![true, true, false]));
        let (c, bad) = c.parse_as(DataType::Int64);
        assert_eq!(bad, 1);
        assert_eq!(c.values, Values::Int64(vec![12, 0, 0]));
        assert_eq!(c.validity, Some(vec![true, false, false]));
        assert_eq!(parse_decimal("-12.3", 2), Some(-1230));
        assert_eq!(parse_decimal("1.234", 2), None);
    }
}
