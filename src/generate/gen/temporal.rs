//! Dates, times and timestamps in ranges whose ends may be fixed, relative to the run's
//! `now`, or another column of the row or of its parent (an order not before its customer).

use crate::batch::{Scalar, Values};
use crate::generate::column::{Generate, RowCtx};
use crate::generate::rng::CellRng;
use crate::temporal::{add_months, MICROS_PER_DAY};

/// Where a column a generator depends on lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColRef {
    /// A column of the same row (declared index).
    Row(usize),
    /// A column of the parent row in a relation (relation index, parent's declared index).
    Parent(usize, usize),
}

impl ColRef {
    #[inline]
    pub fn get<'c>(&self, cx: &'c RowCtx<'_>) -> Scalar<'c> {
        match *self {
            ColRef::Row(c) => cx.column(c),
            ColRef::Parent(r, c) => cx.parent(r, c),
        }
    }
}

/// A calendar offset: months first (clamping the day), then a fixed duration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Offset {
    pub months: i64,
    pub micros: i64,
}

impl Offset {
    pub fn apply_micros(&self, t: i64) -> i64 {
        let t = if self.months != 0 {
            let day = t.div_euclid(MICROS_PER_DAY);
            let within = t.rem_euclid(MICROS_PER_DAY);
            add_months(day, self.months) * MICROS_PER_DAY + within
        } else {
            t
        };
        t.saturating_add(self.micros)
    }
}

/// One end of a temporal range, in microseconds since the epoch once resolved.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Bound {
    Fixed(i64),
    Column(ColRef, Offset),
}

impl Bound {
    #[inline]
    fn resolve(&self, cx: &RowCtx<'_>) -> Option<i64> {
        match self {
            Bound::Fixed(t) => Some(*t),
            Bound::Column(c, off) => {
                let t = match c.get(cx) {
                    Scalar::Date(d) => d as i64 * MICROS_PER_DAY,
                    Scalar::Timestamp(t) => t,
                    _ => return None,
                };
                Some(off.apply_micros(t))
            }
        }
    }
}

/// Which temporal type a generator writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Date,
    /// Timestamps are drawn to the whole second: sub-second noise only costs bytes.
    Timestamp,
}

pub struct TemporalGen {
    pub unit: Unit,
    pub min: Bound,
    pub max: Bound,
    /// `step`: the n-th child of a parent row is `min + n × step` (siblings never share a
    /// date, as in a key `(employee_id, effective_from)`); `max` is then not used.
    pub step: Option<Offset>,
}

impl Generate for TemporalGen {
    fn generate(&self, cx: &RowCtx<'_>, rng: &mut CellRng, out: &mut Values) -> bool {
        if let Some(step) = self.step {
            let Some(lo) = self.min.resolve(cx) else { return false };
            let n = cx.ordinal as i64;
            let t = Offset { months: step.months * n, micros: step.micros.saturating_mul(n) }.apply_micros(lo);
            match (self.unit, out) {
                (Unit::Date, Values::Date(o)) => o.push(t.div_euclid(MICROS_PER_DAY) as i32),
                (Unit::Timestamp, Values::Timestamp(o)) => o.push(t),
                _ => return false,
            }
            return true;
        }
        let (Some(lo), Some(hi)) = (self.min.resolve(cx), self.max.resolve(cx)) else {
            return false;
        };
        match (self.unit, out) {
            (Unit::Date, Values::Date(o)) => {
                let (lo, hi) = (lo.div_euclid(MICROS_PER_DAY), hi.div_euclid(MICROS_PER_DAY));
                o.push(rng.range_i64(lo, hi.max(lo)) as i32);
            }
            (Unit::Timestamp, Values::Timestamp(o)) => {
                let (lo, hi) = (lo.div_euclid(1_000_000), hi.div_euclid(1_000_000));
                o.push(rng.range_i64(lo, hi.max(lo)) * 1_000_000);
            }
            _ => return false,
        }
        true
    }
}

/// Times of day in `[min, max]`, to the second.
pub struct TimeGen {
    pub min: i64,
    pub max: i64,
}

impl Generate for TimeGen {
    fn generate(&self, _: &RowCtx<'_>, rng: &mut CellRng, out: &mut Values) -> bool {
        let Values::Time(o) = out else { return false };
        o.push(rng.range_i64(self.min / 1_000_000, self.max / 1_000_000) * 1_000_000);
        true
    }
}
