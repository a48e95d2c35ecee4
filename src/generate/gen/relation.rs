//! Values taken from related rows: foreign keys, copies of parent columns, child ordinals.

use crate::batch::Values;
use crate::generate::column::{push_scalar, Generate, RowCtx};
use crate::generate::gen::temporal::ColRef;
use crate::generate::permute::Permutation;
use crate::generate::rng::{CellRng, Key};

/// A copy of another column of the row or of a related row (a foreign key is a copy of the
/// parent's key column).
pub struct CopyGen {
    pub from: ColRef,
}

impl Generate for CopyGen {
    fn generate(&self, cx: &RowCtx<'_>, _: &mut CellRng, out: &mut Values) -> bool {
        push_scalar(out, self.from.get(cx))
    }
}

/// The row's 1-based position among its parent's children (`line_no`).
pub struct OrdinalGen {
    pub start: i64,
}

impl Generate for OrdinalGen {
    fn generate(&self, cx: &RowCtx<'_>, _: &mut CellRng, out: &mut Values) -> bool {
        let Values::Int64(o) = out else { return false };
        o.push(self.start + cx.ordinal as i64);
        true
    }
}

/// How a relation picks the parent row of each child row.
#[derive(Clone, Debug, PartialEq)]
pub enum Pick {
    /// The table is generated `per` parent row: the parent is the row's own.
    Own,
    /// Uniform over the parent table.
    Uniform,
    /// Zipf-skewed over a keyed shuffle of the parent rows, so popular parents are spread out.
    Zipf { exponent: f64 },
    /// A self-reference: uniform over the rows before this one; the first row is a root.
    Earlier,
    /// One-to-one: a keyed permutation of the parent rows; row `r` gets parent `perm(r)`.
    OneToOne,
    /// Distinct parents for the children of one `per` parent: a keyed permutation of the
    /// parent table per owning row, indexed by the child's ordinal (link tables, unique pairs).
    DistinctPerOwner,
}

impl Pick {
    /// The parent row of `row`, given the parent table's size; `None` for a root.
    pub fn pick(&self, key: Key, row: u64, owner: u64, ordinal: u64, parent_rows: u64) -> Option<u64> {
        if parent_rows == 0 {
            return None;
        }
        match self {
            Pick::Own => Some(owner),
            Pick::Uniform => Some(key.cell(row).below(parent_rows)),
            Pick::Zipf { exponent } => {
                let rank = key.cell(row).zipf(parent_rows, *exponent) - 1;
                Some(Permutation::new(key, parent_rows).apply(rank))
            }
            Pick::OneToOne => (row < parent_rows).then(|| Permutation::new(key, parent_rows).apply(row)),
            Pick::Earlier => (row > 0).then(|| key.cell(row).below(row.min(parent_rows))),
            Pick::DistinctPerOwner => {
                (ordinal < parent_rows).then(|| Permutation::new(key.derive_u64(owner), parent_rows).apply(ordinal))
            }
        }
    }
}
