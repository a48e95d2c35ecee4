//! The generation engine: row indexes for every table, and batches filled column by column.
//!
//! Foreign keys are resolved by index arithmetic: a `per` table's rows are laid out parent by
//! parent, and a block index of child-row offsets (one number per few thousand parents) maps
//! between the two. Related columns are recomputed from their pure functions, never stored.

use std::sync::Arc;

use rayon::prelude::*;

use crate::batch::{Batch, Column, Lineage, Values};
use crate::error::Error;

use super::column::{push_scalar, Fetched, RowCtx};
use super::gen::relation::Pick;
use super::gen::temporal::ColRef;
use super::plan::{Plan, Size, TablePlan};

/// Rows per batch of a fixed-size table; per tables aim for the same.
pub const CHUNK_ROWS: u64 = 16_384;

/// How a table's row indexes are laid out.
#[derive(Clone, Debug)]
pub enum RowIndex {
    Fixed(u64),
    Per {
        parent: usize,
        parent_rows: u64,
        /// Parents per block.
        block: u64,
        /// `offsets[b]`: the first child row of block `b`; one extra entry holds the total.
        offsets: Vec<u64>,
    },
}

impl RowIndex {
    pub fn rows(&self) -> u64 {
        match self {
            RowIndex::Fixed(n) => *n,
            RowIndex::Per { offsets, .. } => *offsets.last().unwrap_or(&0),
        }
    }

    /// Units of work (batches) of the table.
    pub fn units(&self) -> u64 {
        match self {
            RowIndex::Fixed(n) => n.div_ceil(CHUNK_ROWS),
            RowIndex::Per { offsets, .. } => offsets.len() as u64 - 1,
        }
    }
}

/// The rows of one batch, and for a `per` table each row's parent and position under it.
#[derive(Default)]
pub struct RowSet {
    pub rows: Vec<u64>,
    pub owners: Option<Vec<u64>>,
    pub ordinals: Option<Vec<u64>>,
}

/// A plan with its row indexes computed: everything needed to fill any batch of any table.
pub struct Runtime<'p> {
    pub plan: &'p Plan,
    pub index: Vec<RowIndex>,
}

impl<'p> Runtime<'p> {
    /// Counts the children of every parent (in parallel) and checks what needs row counts:
    /// scenario positions and unique capacities. Nothing is written before this succeeds.
    pub fn new(plan: &'p Plan) -> Result<Runtime<'p>, Error> {
        let mut index: Vec<Option<RowIndex>> = vec![None; plan.tables.len()];
        for &t in &plan.order {
            let table = &plan.tables[t];
            let ix = match &table.size {
                Size::Fixed(n) => RowIndex::Fixed(*n),
                Size::Per { parent, count, .. } => {
                    let parent_rows = index[*parent].as_ref().expect("parents come first").rows();
                    let block = (CHUNK_ROWS as f64 / count.mean().max(1e-3)).clamp(1.0, 65_536.0) as u64;
                    let blocks = parent_rows.div_ceil(block);
                    let sums: Vec<u64> = (0..blocks)
                        .into_par_iter()
                        .map(|b| {
                            let end = ((b + 1) * block).min(parent_rows);
                            (b * block..end).map(|p| child_count(table, p)).sum()
                        })
                        .collect();
                    let mut offsets = Vec::with_capacity(sums.len() + 1);
                    let mut acc = 0u64;
                    offsets.push(0);
                    for s in sums {
                        acc = acc.checked_add(s).ok_or_else(|| {
                            Error::config(format!("table `{}` has more rows than can be counted", table.name))
                        })?;
                        offsets.push(acc);
                    }
                    RowIndex::Per { parent: *parent, parent_rows, block, offsets }
                }
            };
            index[t] = Some(ix);
        }
        let rt = Runtime { plan, index: index.into_iter().map(|i| i.expect("every table indexed")).collect() };
        rt.check()?;
        Ok(rt)
    }

    fn check(&self) -> Result<(), Error> {
        for (t, table) in self.plan.tables.iter().enumerate() {
            let rows = self.index[t].rows();
            for s in &table.scenarios {
                if s.row >= rows {
                    return Err(Error::config(format!(
                        "table `{}`: scenario `{}` is at row {}, but the table has {rows} rows at this scale",
                        table.name, s.name, s.row
                    )));
                }
            }
            for c in &table.columns {
                if let Some(Some(cap)) = c.unique {
                    if rows > cap {
                        return Err(Error::config(format!(
                            "table `{}`, column `{}`: unique needs {rows} distinct values but {} can make only {cap}",
                            table.name, c.name, c.describe
                        )));
                    }
                }
            }
            for r in &table.relations {
                let parent_rows = self.index[r.parent].rows();
                if rows > 0 && parent_rows == 0 && !matches!(r.pick, Pick::Own | Pick::Earlier) {
                    return Err(Error::config(format!(
                        "table `{}` refers to `{}`, which has no rows at this scale; raise its `rows` or --scale",
                        table.name, self.plan.tables[r.parent].name
                    )));
                }
                if matches!(r.pick, Pick::OneToOne) && rows > parent_rows {
                    return Err(Error::config(format!(
                        "table `{}`: a one-to-one ref to `{}` needs at least {rows} rows there, it has {}",
                        table.name,
                        self.plan.tables[r.parent].name,
                        self.index[r.parent].rows()
                    )));
                }
            }
        }
        Ok(())
    }

    pub fn rows(&self, t: usize) -> u64 {
        self.index[t].rows()
    }

    /// The rows of unit `u` of table `t`, in order.
    pub fn unit(&self, t: usize, u: u64) -> RowSet {
        match &self.index[t] {
            RowIndex::Fixed(n) => {
                let start = u * CHUNK_ROWS;
                let end = (start + CHUNK_ROWS).min(*n);
                RowSet { rows: (start..end).collect(), owners: None, ordinals: None }
            }
            RowIndex::Per { parent_rows, block, offsets, .. } => {
                let table = &self.plan.tables[t];
                let (p0, p1) = (u * block, ((u + 1) * block).min(*parent_rows));
                let (r0, r1) = (offsets[u as usize], offsets[u as usize + 1]);
                let n = (r1 - r0) as usize;
                let mut owners = Vec::with_capacity(n);
                let mut ordinals = Vec::with_capacity(n);
                for p in p0..p1 {
                    for k in 0..child_count(table, p) {
                        owners.push(p);
                        ordinals.push(k);
                    }
                }
                RowSet { rows: (r0..r1).collect(), owners: Some(owners), ordinals: Some(ordinals) }
            }
        }
    }

    /// Parent row and ordinal of arbitrary rows of a `per` table (for gathers).
    fn locate(&self, t: usize, rows: &[u64]) -> (Vec<u64>, Vec<u64>) {
        let RowIndex::Per { block, offsets, .. } = &self.index[t] else {
            return (vec![0; rows.len()], vec![0; rows.len()]);
        };
        let table = &self.plan.tables[t];
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_unstable_by_key(|&i| rows[i]);
        let (mut owners, mut ordinals) = (vec![0; rows.len()], vec![0; rows.len()]);
        // Sweep in row order, walking parents from the row's block (or from where the last
        // row was found, when it is in the same block).
        let mut at: Option<(usize, u64, u64)> = None; // (block, parent, first row of parent)
        for &i in &order {
            let row = rows[i];
            let b = offsets.partition_point(|&o| o <= row) - 1;
            let (mut p, mut r) = match at {
                Some((ab, p, r)) if ab == b && r <= row => (p, r),
                _ => (b as u64 * block, offsets[b]),
            };
            loop {
                let cnt = child_count(table, p);
                if row < r + cnt {
                    owners[i] = p;
                    ordinals[i] = row - r;
                    break;
                }
                r += cnt;
                p += 1;
            }
            at = Some((b, p, r));
        }
        (owners, ordinals)
    }

    /// A whole batch of table `t`: every column, in declared order, all synthetic.
    pub fn batch(&self, t: usize, u: u64) -> Batch {
        let set = self.unit(t, u);
        let table = &self.plan.tables[t];
        let needed = vec![true; table.columns.len()];
        let first_row = set.rows.first().copied().unwrap_or(0);
        let n = set.rows.len();
        let columns = self.fill(t, &set, &needed).into_iter().map(|c| c.expect("all columns filled")).collect();
        Batch { table: table.name.clone(), first_row, rows: n, columns }
    }

    /// Fills the `needed` columns (and what they depend on) of table `t` for `set`'s rows.
    pub fn fill(&self, t: usize, set: &RowSet, needed: &[bool]) -> Vec<Option<Column>> {
        let table = &self.plan.tables[t];
        let n = set.rows.len();
        let required = closure(table, needed);

        // Which parent columns each relation must fetch.
        let mut rel_cols: Vec<Vec<bool>> =
            table.relations.iter().map(|r| vec![false; self.plan.tables[r.parent].columns.len()]).collect();
        let mut rel_used = vec![false; table.relations.len()];
        for (c, col) in table.columns.iter().enumerate() {
            if !required[c] {
                continue;
            }
            for d in &col.deps {
                if let ColRef::Parent(r, pc) = *d {
                    rel_cols[r][pc] = true;
                    rel_used[r] = true;
                }
            }
        }

        // Owners are known for a unit; for a gather into a `per` table, work them out.
        let located;
        let (owners, ordinals): (Option<&[u64]>, Option<&[u64]>) = match (&set.owners, &set.ordinals) {
            (Some(o), Some(k)) => (Some(o), Some(k)),
            _ if matches!(self.index[t], RowIndex::Per { .. }) => {
                located = self.locate(t, &set.rows);
                (Some(&located.0), Some(&located.1))
            }
            _ => (None, None),
        };

        let fetched: Vec<Fetched> = table
            .relations
            .iter()
            .enumerate()
            .map(|(r, rel)| {
                if !rel_used[r] {
                    return Fetched::default();
                }
                let parent_rows = self.index[rel.parent].rows();
                let picks: Vec<Option<u64>> = (0..n)
                    .map(|i| {
                        let owner = owners.map_or(0, |o| o[i]);
                        let ordinal = ordinals.map_or(0, |k| k[i]);
                        rel.pick.pick(rel.key, set.rows[i], owner, ordinal, parent_rows)
                    })
                    .collect();
                // Consecutive children share a parent: fetch each parent row once per run.
                let mut uniq: Vec<u64> = Vec::new();
                let mut map = Vec::with_capacity(n);
                for p in &picks {
                    match p {
                        Some(p) if uniq.last() == Some(p) => {}
                        Some(p) => uniq.push(*p),
                        None => {}
                    }
                    map.push(uniq.len().saturating_sub(1) as u32);
                }
                let sub = RowSet { rows: uniq, owners: None, ordinals: None };
                let columns = self.fill(rel.parent, &sub, &rel_cols[r]);
                Fetched { parent_rows: picks, columns, map }
            })
            .collect();

        let mut out: Vec<Option<Column>> = (0..table.columns.len()).map(|_| None).collect();
        let contiguous = !table.scenarios.is_empty() && set.rows.windows(2).all(|w| w[1] == w[0] + 1);
        for &c in &table.fill_order {
            if !required[c] {
                continue;
            }
            let cp = &table.columns[c];
            let mut values = Values::with_capacity(cp.dtype, n);
            let mut validity: Option<Vec<bool>> = None;
            let null_key = cp.key.derive("null");
            for i in 0..n {
                let row = set.rows[i];
                let is_null = cp.null > 0.0 && unit_f64(null_key.hash(row)) < cp.null;
                let ok = !is_null && {
                    let cx =
                        RowCtx { row, i, ordinal: ordinals.map_or(0, |k| k[i]), columns: &out, relations: &fetched };
                    let mut rng = cp.key.cell(row);
                    cp.generator.generate(&cx, &mut rng, &mut values)
                };
                if !ok {
                    values.push_default();
                    validity.get_or_insert_with(|| vec![true; n])[i] = false;
                }
            }
            let mut column = Column::new(cp.name.clone(), Lineage::Synthetic, values, validity);
            if !table.scenarios.is_empty() {
                column = apply_scenarios(table, c, &set.rows, contiguous, column);
            }
            out[c] = Some(column);
        }
        out
    }
}

/// `[0, 1)` from 64 random bits.
#[inline]
fn unit_f64(x: u64) -> f64 {
    (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Children of parent row `p` of a `per` table.
pub fn child_count(table: &TablePlan, p: u64) -> u64 {
    let Size::Per { count, overrides, .. } = &table.size else { return 0 };
    if !overrides.is_empty() {
        if let Ok(i) = overrides.binary_search_by_key(&p, |o| o.0) {
            return overrides[i].1;
        }
    }
    count.sample(&mut table.key.derive("count").cell(p))
}

/// `needed` plus everything it depends on in the same row.
fn closure(table: &TablePlan, needed: &[bool]) -> Vec<bool> {
    let mut req = needed.to_vec();
    let mut stack: Vec<usize> = (0..req.len()).filter(|&c| req[c]).collect();
    while let Some(c) = stack.pop() {
        for d in &table.columns[c].deps {
            if let ColRef::Row(r) = *d {
                if !req[r] {
                    req[r] = true;
                    stack.push(r);
                }
            }
        }
    }
    req
}

/// Puts scenario values into their rows, if any scenario row falls in this batch.
fn apply_scenarios(table: &TablePlan, c: usize, rows: &[u64], contiguous: bool, column: Column) -> Column {
    let mut hits: Vec<(usize, &Values)> = Vec::new();
    for s in &table.scenarios {
        let Some((_, v)) = s.values.iter().find(|(col, _)| *col == c) else { continue };
        let pos = if contiguous {
            (s.row >= rows[0] && s.row <= rows[rows.len() - 1]).then(|| (s.row - rows[0]) as usize)
        } else {
            rows.iter().position(|&r| r == s.row)
        };
        if let Some(i) = pos {
            hits.push((i, v));
        }
    }
    if hits.is_empty() {
        return column;
    }
    let n = column.len();
    let mut values = Values::with_capacity(column.values.data_type(), n);
    let mut validity = vec![true; n];
    for (i, valid) in validity.iter_mut().enumerate() {
        let ok = match hits.iter().find(|h| h.0 == i) {
            Some((_, v)) if v.is_empty() => false,
            Some((_, v)) => push_scalar(&mut values, v.scalar(0)),
            None => push_scalar(&mut values, column.get(i)),
        };
        if !ok {
            values.push_default();
            *valid = false;
        }
    }
    let validity = validity.iter().any(|v| !v).then_some(validity);
    Column::new(column.name, column.lineage, values, validity)
}

/// A table name with its index, for reports.
pub fn table_name(plan: &Plan, t: usize) -> Arc<str> {
    plan.tables[t].name.clone()
}
