//! Numbers: sequences, integers, floats, fixed-point decimals and booleans.

use crate::batch::Values;
use crate::generate::column::{Generate, RowCtx};
use crate::generate::permute::Permutation;
use crate::generate::rng::CellRng;

/// `start + row * step`: unique and ordered.
pub struct Sequence {
    pub start: i64,
    pub step: i64,
}

impl Sequence {
    #[inline]
    pub fn at(&self, row: u64) -> i64 {
        self.start.wrapping_add((row as i64).wrapping_mul(self.step))
    }
}

impl Generate for Sequence {
    fn generate(&self, cx: &RowCtx<'_>, _: &mut CellRng, out: &mut Values) -> bool {
        let Values::Int64(o) = out else { return false };
        o.push(self.at(cx.row));
        true
    }
}

/// A numeric distribution, optionally bounded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Dist {
    Uniform { min: f64, max: f64 },
    Normal { mean: f64, sd: f64 },
    LogNormal { mu: f64, sigma: f64 },
    Exponential { mean: f64 },
}

#[derive(Clone, Copy, Debug)]
pub struct Numeric {
    pub dist: Dist,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl Numeric {
    /// A draw inside the bounds: out-of-bounds draws are redrawn a few times, then clamped,
    /// so a tight bound never loops and the shape inside the bounds is kept.
    pub fn sample(&self, rng: &mut CellRng) -> f64 {
        let (lo, hi) = (self.min.unwrap_or(f64::NEG_INFINITY), self.max.unwrap_or(f64::INFINITY));
        let mut x = 0.0;
        for _ in 0..8 {
            x = match self.dist {
                Dist::Uniform { min, max } => min + rng.unit() * (max - min),
                Dist::Normal { mean, sd } => mean + sd * rng.normal(),
                Dist::LogNormal { mu, sigma } => (mu + sigma * rng.normal()).exp(),
                Dist::Exponential { mean } => mean * rng.exponential(),
            };
            if x >= lo && x <= hi {
                return x;
            }
        }
        x.clamp(lo, hi)
    }
}

pub enum IntGen {
    /// Exact uniform integers in `[min, max]`.
    Uniform {
        min: i64,
        max: i64,
    },
    /// A permutation of `[min, max]`: every row a different value.
    Unique {
        min: i64,
        perm: Permutation,
    },
    Shaped(Numeric),
}

impl Generate for IntGen {
    fn generate(&self, cx: &RowCtx<'_>, rng: &mut CellRng, out: &mut Values) -> bool {
        let Values::Int64(o) = out else { return false };
        o.push(match self {
            IntGen::Uniform { min, max } => rng.range_i64(*min, *max),
            IntGen::Unique { min, perm } => min.wrapping_add(perm.apply(cx.row) as i64),
            IntGen::Shaped(n) => n.sample(rng).round() as i64,
        });
        true
    }
}

pub struct FloatGen {
    pub numeric: Numeric,
    /// Decimal places to round to.
    pub round: Option<u8>,
}

impl Generate for FloatGen {
    fn generate(&self, _: &RowCtx<'_>, rng: &mut CellRng, out: &mut Values) -> bool {
        let Values::Float64(o) = out else { return false };
        let x = self.numeric.sample(rng);
        o.push(match self.round {
            Some(d) => {
                let p = 10f64.powi(d as i32);
                (x * p).round() / p
            }
            None => x,
        });
        true
    }
}

pub struct DecimalGen {
    pub numeric: Numeric,
    pub scale: u8,
}

impl Generate for DecimalGen {
    fn generate(&self, _: &RowCtx<'_>, rng: &mut CellRng, out: &mut Values) -> bool {
        let Values::Decimal(o, _) = out else { return false };
        let p = 10f64.powi(self.scale as i32);
        o.push((self.numeric.sample(rng) * p).round() as i64);
        true
    }
}

pub struct BoolGen {
    pub p: f64,
}

impl Generate for BoolGen {
    fn generate(&self, _: &RowCtx<'_>, rng: &mut CellRng, out: &mut Values) -> bool {
        let Values::Bool(o) = out else { return false };
        o.push(rng.chance(self.p));
        true
    }
}

/// One end of a number range that may be another column (`max_salary >= min_salary`): in
/// units of the generated column (integers, or 10^-scale for a decimal).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NumBound {
    Fixed(i64),
    /// The column's value plus an offset (in units).
    Column(crate::generate::gen::temporal::ColRef, i64),
}

/// Integers or decimals between two ends, either of which may be a column of the row or of a
/// parent row, or the largest (for `min`) or smallest (for `max`) of several; uniform between
/// them. A null end, or ends the wrong way round, give the other end (so `a <= b` holds
/// whenever `b` has a value).
pub struct BetweenGen {
    pub min: Vec<NumBound>,
    pub max: Vec<NumBound>,
    /// `None` for integers; the scale of a decimal.
    pub scale: Option<u8>,
}

impl BetweenGen {
    fn resolve(&self, b: NumBound, cx: &RowCtx<'_>) -> Option<i64> {
        use crate::batch::Scalar;
        let scale = self.scale.unwrap_or(0);
        match b {
            NumBound::Fixed(x) => Some(x),
            NumBound::Column(c, off) => {
                let units = match c.get(cx) {
                    Scalar::Int(i) => i.checked_mul(10i64.pow(scale as u32))?,
                    Scalar::Decimal(m, s) => {
                        if s >= scale {
                            m / 10i64.pow((s - scale) as u32)
                        } else {
                            m.checked_mul(10i64.pow((scale - s) as u32))?
                        }
                    }
                    Scalar::Float(f) => (f * 10f64.powi(scale as i32)).round() as i64,
                    _ => return None,
                };
                Some(units.saturating_add(off))
            }
        }
    }
}

impl Generate for BetweenGen {
    fn generate(&self, cx: &RowCtx<'_>, rng: &mut CellRng, out: &mut Values) -> bool {
        let lo = self.min.iter().filter_map(|b| self.resolve(*b, cx)).max();
        let hi = self.max.iter().filter_map(|b| self.resolve(*b, cx)).min();
        let (lo, hi) = match (lo, hi) {
            (Some(lo), Some(hi)) => (lo, hi.max(lo)),
            (Some(x), None) | (None, Some(x)) => (x, x),
            (None, None) => return false,
        };
        let v = rng.range_i64(lo, hi);
        match out {
            Values::Int64(o) => o.push(v),
            Values::Decimal(o, _) => o.push(v),
            _ => return false,
        }
        true
    }
}
