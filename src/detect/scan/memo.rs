//! A column's findings by value (see [`Memo`]).

use std::collections::HashMap;

use crate::detect::rule::Match;

/// A column's findings by value, so that a value seen before is not scanned again: most of
/// a table's columns draw on few values (names, towns, dates of birth, codes), each seen
/// thousands of times. Kept per worker and column across batches, bounded, and switched off in
/// a batch where values rarely repeat (ids, emails, timestamps), where it would only cost.
///
/// Findings are a function of the column's rules and the cell's text, and each rule's finding
/// depends on that rule alone. A batch scans its first values with all of the column's rules,
/// then maybe without the column-evidence rules its sample ruled out (`EVIDENCE_SAMPLE`):
/// findings under all rules serve both (those of rules no longer running are left out), while
/// findings under fewer rules serve only that same set of rules.
///
/// Values and findings are stored inline in the table (short values, few findings), so that a
/// lookup touches one slot rather than following pointers to keys and findings on the heap.
#[derive(Default)]
pub(super) struct Memo {
    seen: HashMap<MemoKey, Recalled, foldhash::fast::RandomState>,
    #[cfg(test)]
    pub(super) off: bool,
    /// The active rules when the batch runs without some: the set the reduced entries hold for.
    reduced: Option<Vec<bool>>,
    /// Whether the batch runs with all rules now.
    all_rules: bool,
    /// This batch: values looked up, and found.
    looked: u32,
    found: u32,
}

/// A value of at most [`Memo::LONGEST`] bytes, inline.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct MemoKey {
    len: u8,
    bytes: [u8; Memo::LONGEST],
}

impl MemoKey {
    fn new(cell: &str) -> Option<MemoKey> {
        let b = cell.as_bytes();
        if b.len() > Memo::LONGEST {
            return None;
        }
        let mut bytes = [0u8; Memo::LONGEST];
        bytes[..b.len()].copy_from_slice(b);
        Some(MemoKey { len: b.len() as u8, bytes })
    }
}

/// A value's findings, inline: rule, span (within a short value) and whether it is reserved.
#[derive(Clone, Copy)]
struct Recalled {
    /// Found with all of the column's rules.
    all: bool,
    n: u8,
    hits: [(u16, u8, u8, bool); Memo::FINDINGS],
}

impl Memo {
    /// Longer values are free text or unique: they repeat whole only next to each other.
    const LONGEST: usize = 32;
    /// Most findings kept for a value; a value with more is scanned every time.
    const FINDINGS: usize = 3;
    /// Values kept: the first ones seen (a column's common values come early). A full memo
    /// whose values stopped repeating starts again. Just under 7/8 of 16,384, the load at which
    /// the table would double: a full memo takes 16,384 slots of 54 bytes (under 1 MB).
    const CAPACITY: usize = 14_000;
    /// Values looked up in a batch before it decides whether they repeat enough to go on.
    const TRIAL: u32 = 512;

    /// A new batch starts, with all of the column's rules.
    pub(super) fn begin(&mut self) {
        self.all_rules = true;
        self.looked = 0;
        self.found = 0;
    }

    /// The batch goes on with the rules marked in `active` only.
    pub(super) fn reduce(&mut self, active: &[bool]) {
        self.all_rules = false;
        if self.reduced.as_deref() != Some(active) {
            // Another batch's sample ruled out other rules: its entries hold for other rules.
            self.seen.retain(|_, r| r.all);
            self.reduced = Some(active.to_vec());
        }
    }

    fn on(&mut self) -> bool {
        #[cfg(test)]
        if self.off {
            return false;
        }
        // After the trial, only where at least a quarter of the values were seen before.
        if self.looked < Self::TRIAL || self.found * 4 >= self.looked {
            return true;
        }
        if self.looked == Self::TRIAL && self.seen.len() >= Self::CAPACITY {
            self.seen.clear();
        }
        false
    }

    /// Puts the findings of `cell` seen before into `hits` (those of the rules in `active`).
    pub(super) fn recall(&mut self, cell: &str, active: &[bool], hits: &mut Vec<(usize, Match)>) -> bool {
        if !self.on() {
            return false;
        }
        let Some(key) = MemoKey::new(cell) else { return false };
        self.looked += 1;
        let Some(r) = self.seen.get(&key) else { return false };
        if self.all_rules && !r.all {
            return false;
        }
        self.found += 1;
        for &(rule, start, end, reserved) in &r.hits[..r.n as usize] {
            let rule = rule as usize;
            if active[rule] {
                hits.push((rule, Match { start: start as usize, end: end as usize, reserved }));
            }
        }
        true
    }

    /// Keeps the findings of `cell` just scanned.
    pub(super) fn keep(&mut self, cell: &str, hits: &[(usize, Match)]) {
        if hits.len() > Self::FINDINGS
            || hits.iter().any(|&(r, _)| r > u16::MAX as usize)
            || self.seen.len() >= Self::CAPACITY
            || !self.on()
        {
            return;
        }
        let Some(key) = MemoKey::new(cell) else { return };
        let mut r = Recalled { all: self.all_rules, n: hits.len() as u8, hits: [(0, 0, 0, false); Self::FINDINGS] };
        for (slot, &(rule, m)) in r.hits.iter_mut().zip(hits) {
            // Spans lie within the value (at most `LONGEST` bytes).
            *slot = (rule as u16, m.start as u8, m.end as u8, m.reserved);
        }
        self.seen.insert(key, r);
    }
}

impl Clone for Memo {
    /// A copy of the counts starts with no memo: it is a cache, not a result.
    fn clone(&self) -> Memo {
        Memo::default()
    }
}

impl std::fmt::Debug for Memo {
    /// The number of values only: they may be personal data.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Memo({} values)", self.seen.len())
    }
}
