//! The detector: every rule over every cell, with shared prefilters so most regexes never
//! run, and accumulators that merge per-batch results (in any order) into column summaries.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::batch::{Batch, Column, Lineage, Values};

use super::mask::mask;
use super::rule::{Match, RuleSet};
use super::{ColumnSummary, RuleFinding, Sample};

/// Masked samples kept per (column, rule): the first rows.
pub const SAMPLES: usize = 3;

/// A compiled rule set, shared by all threads.
pub struct Detector {
    pub rules: RuleSet,
    /// Every keyword of every rule, ASCII case-insensitive.
    keywords: Option<AhoCorasick>,
    /// Keyword pattern → rule index.
    keyword_rule: Vec<usize>,
}

/// Which rules run on a column, decided once from its name.
#[derive(Clone, Debug)]
pub struct ColumnRules {
    pub hinted: Vec<bool>,
    pub active: Vec<usize>,
    any_keywords: bool,
}

/// A decision callback: whether a match in this column is allowed (an allowlist entry).
pub type Allow<'a> = &'a (dyn Fn(&str, &str, &str) -> bool + Sync);

impl Detector {
    pub fn new(rules: RuleSet) -> Detector {
        let mut patterns = Vec::new();
        let mut keyword_rule = Vec::new();
        for (i, r) in rules.rules.iter().enumerate() {
            for k in &r.keywords {
                patterns.push(k.clone());
                keyword_rule.push(i);
            }
        }
        let keywords = (!patterns.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .expect("keywords are plain strings")
        });
        Detector { rules, keywords, keyword_rule }
    }

    /// The rules for a column called `name`.
    pub fn column(&self, name: &str) -> ColumnRules {
        let hinted: Vec<bool> = self.rules.rules.iter().map(|r| r.hinted(name)).collect();
        let active: Vec<usize> =
            (0..self.rules.rules.len()).filter(|&i| !self.rules.rules[i].requires_hint || hinted[i]).collect();
        let any_keywords = active.iter().any(|&i| !self.rules.rules[i].keywords.is_empty());
        ColumnRules { hinted, active, any_keywords }
    }

    /// Appends `(rule index, match)` for every rule that matches `cell`.
    #[inline]
    pub fn scan_cell(&self, col: &ColumnRules, cell: &str, hits: &mut Vec<(usize, Match)>) {
        if cell.is_empty() {
            return;
        }
        let digits = cell.bytes().filter(u8::is_ascii_digit).count();
        // Rules with keywords run only when one of theirs occurs in the cell.
        let mut keyword_hits: u128 = 0;
        let mut keyword_overflow: Vec<usize> = Vec::new();
        if col.any_keywords {
            if let Some(ac) = &self.keywords {
                for m in ac.find_overlapping_iter(cell) {
                    let r = self.keyword_rule[m.pattern().as_usize()];
                    if r < 128 {
                        keyword_hits |= 1 << r;
                    } else {
                        keyword_overflow.push(r);
                    }
                }
            }
        }
        for &i in &col.active {
            let rule = &self.rules.rules[i];
            if digits < rule.min_digits {
                continue;
            }
            if !rule.keywords.is_empty() {
                let present = if i < 128 { keyword_hits & (1 << i) != 0 } else { keyword_overflow.contains(&i) };
                if !present {
                    continue;
                }
            }
            if let Some(m) = rule.find(cell, col.hinted[i]) {
                hits.push((i, m));
            }
        }
    }
}

/// Per (column, rule) counts while scanning.
#[derive(Clone, Debug, Default)]
struct RuleAcc {
    cells: u64,
    reserved: u64,
    allowed: u64,
    samples: Vec<Sample>,
}

/// One column's counts while scanning.
#[derive(Clone, Debug)]
struct ColumnAcc {
    name: String,
    lineage: Lineage,
    cells: u64,
    rules: ColumnRules,
    per_rule: HashMap<usize, RuleAcc>,
}

/// Scan results of one source so far; batches can be scanned in parallel and merged.
#[derive(Clone, Debug, Default)]
pub struct ScanAcc {
    columns: Vec<ColumnAcc>,
    index: HashMap<String, usize>,
    pub rows: u64,
}

impl ScanAcc {
    fn column(&mut self, det: &Detector, name: &str, lineage: Lineage) -> usize {
        if let Some(&i) = self.index.get(name) {
            return i;
        }
        self.columns.push(ColumnAcc {
            name: name.to_string(),
            lineage,
            cells: 0,
            rules: det.column(name),
            per_rule: HashMap::new(),
        });
        self.index.insert(name.to_string(), self.columns.len() - 1);
        self.columns.len() - 1
    }

    /// Scans every cell of `batch`. `allow(column, rule, matched)` suppresses a finding.
    pub fn scan(&mut self, det: &Detector, batch: &Batch, allow: Option<Allow<'_>>) {
        self.rows = self.rows.max(batch.first_row + batch.rows as u64);
        let mut hits = Vec::new();
        let mut text = String::new();
        for col in &batch.columns {
            let c = self.column(det, &col.name, col.lineage);
            let acc = &mut self.columns[c];
            for i in 0..col.len() {
                if col.is_null(i) {
                    continue;
                }
                let Some(cell) = cell_text(col, i, &mut text) else { continue };
                acc.cells += 1;
                hits.clear();
                det.scan_cell(&acc.rules, cell, &mut hits);
                for &(r, m) in &hits {
                    let e = acc.per_rule.entry(r).or_default();
                    e.cells += 1;
                    let matched = &cell[m.start..m.end];
                    if m.reserved {
                        e.reserved += 1;
                    } else if allow.is_some_and(|a| a(&col.name, &det.rules.rules[r].id, matched)) {
                        e.allowed += 1;
                    } else if e.samples.len() < SAMPLES {
                        let row = batch.first_row + col.row_of(i) as u64 + 1;
                        e.samples.push(Sample { row, masked: mask(matched) });
                    }
                }
            }
        }
    }

    /// Adds another accumulator's counts (from a later or earlier batch).
    pub fn merge(&mut self, det: &Detector, other: ScanAcc) {
        self.rows = self.rows.max(other.rows);
        for oc in other.columns {
            let c = self.column(det, &oc.name, oc.lineage);
            let acc = &mut self.columns[c];
            acc.cells += oc.cells;
            for (r, o) in oc.per_rule {
                let e = acc.per_rule.entry(r).or_default();
                e.cells += o.cells;
                e.reserved += o.reserved;
                e.allowed += o.allowed;
                e.samples.extend(o.samples);
                e.samples.sort_by_key(|s| s.row);
                e.samples.truncate(SAMPLES);
            }
        }
    }

    /// Column summaries in first-seen order, findings most cells first.
    pub fn summaries(&self, det: &Detector) -> Vec<ColumnSummary> {
        self.columns
            .iter()
            .map(|c| {
                let mut findings: Vec<RuleFinding> = c
                    .per_rule
                    .iter()
                    .map(|(&r, a)| {
                        let rule = &det.rules.rules[r];
                        let hinted = c.rules.hinted[r];
                        let share = a.cells as f64 / c.cells.max(1) as f64;
                        // A rule is as sure as its own confidence when the column is named for
                        // the entity or mostly holds it; a stray match in a text column less so.
                        let confidence = if hinted { rule.confidence } else { rule.confidence * (0.6 + 0.4 * share.min(1.0)) };
                        RuleFinding {
                            rule: rule.id.to_string(),
                            entity: rule.entity.to_string(),
                            confidence: (confidence * 100.0).round() / 100.0,
                            cells: a.cells,
                            reserved_cells: a.reserved,
                            allowed_cells: a.allowed,
                            hinted,
                            samples: a.samples.clone(),
                        }
                    })
                    .collect();
                findings.sort_by(|a, b| b.pid_cells().cmp(&a.pid_cells()).then(b.cells.cmp(&a.cells)).then(a.rule.cmp(&b.rule)));
                ColumnSummary { name: c.name.clone(), lineage: c.lineage, cells: c.cells, findings }
            })
            .collect()
    }
}

/// The text of a cell: strings as they are, integers and decimals written out (a card number
/// can hide in an integer column); other types hold no identifiers.
fn cell_text<'a>(col: &'a Column, i: usize, buf: &'a mut String) -> Option<&'a str> {
    match &col.values {
        Values::Utf8(s) => Some(s.get(i)),
        Values::Int64(v) => {
            buf.clear();
            buf.push_str(itoa::Buffer::new().format(v[i]));
            Some(buf.as_str())
        }
        Values::Decimal(v, scale) => {
            let mut b = Vec::new();
            crate::temporal::write_decimal(v[i], *scale, &mut b);
            buf.clear();
            buf.push_str(std::str::from_utf8(&b).unwrap_or(""));
            Some(buf.as_str())
        }
        _ => None,
    }
}
