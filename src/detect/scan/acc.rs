//! Accumulators: a source's findings, column by column, merged from batches scanned in any
//! order and on any worker, then summarised for reports.

use std::collections::HashMap;

use crate::batch::{Batch, Column, Lineage, Values};

use super::memo::Memo;
use super::{mask_spans, Allow, ColumnRules, Detector, Scratch, SAMPLES};
use crate::detect::mask::mask;
use crate::detect::normalize::{self, Views};
use crate::detect::rule::Evidence;
use crate::detect::{ColumnSummary, RuleFinding, Sample};

/// Per (column, rule) counts while scanning.
#[derive(Clone, Debug, Default)]
struct RuleAcc {
    cells: u64,
    reserved: u64,
    allowed: u64,
    in_text: u64,
    samples: Vec<Sample>,
    /// Hashes of different whole-cell matches, up to `Evidence::DISTINCT_CAP` (kept only where
    /// the rule runs by column evidence).
    distinct: Vec<u64>,
    /// Where the rule runs by column evidence: the values it ran on (all, or a sample).
    ran: u64,
}

/// Values of a column in each batch that rules running by column evidence always see.
const EVIDENCE_SAMPLE: u64 = 256;

impl RuleAcc {
    fn note_distinct(&mut self, h: u64) {
        if self.distinct.len() < Evidence::DISTINCT_CAP && !self.distinct.contains(&h) {
            self.distinct.push(h);
        }
    }
}

/// One column's counts while scanning.
#[derive(Clone, Debug)]
struct ColumnAcc {
    name: String,
    lineage: Lineage,
    cells: u64,
    rules: ColumnRules,
    /// By rule index.
    per_rule: Vec<Option<RuleAcc>>,
}

/// Scan results of one source so far; batches can be scanned in parallel and merged.
#[derive(Clone, Debug, Default)]
pub struct ScanAcc {
    columns: Vec<ColumnAcc>,
    index: HashMap<String, usize>,
    /// By column: the findings of values seen before (see [`Memo`]).
    memos: Vec<Memo>,
    /// Scan every cell, as if no value had been seen before (tests compare the two).
    #[cfg(test)]
    no_memo: bool,
    pub rows: u64,
    pub bytes: u64,
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
            rules: det.column(name, lineage),
            per_rule: vec![None; det.rules.rules.len()],
        });
        self.index.insert(name.to_string(), self.columns.len() - 1);
        self.columns.len() - 1
    }

    /// Scans every cell of `batch`. `allow(column, rule, matched)` suppresses a finding.
    pub fn scan(&mut self, det: &Detector, batch: &Batch, allow: Option<Allow<'_>>) {
        self.rows = self.rows.max(batch.first_row + batch.rows as u64);
        det.with_scratch(|scratch| self.scan_with(det, batch, allow, scratch));
    }

    fn scan_with(&mut self, det: &Detector, batch: &Batch, allow: Option<Allow<'_>>, scratch: &mut Scratch) {
        let mut hits = Vec::new();
        let mut text = Vec::new();
        // A cell's findings depend only on its column's rules and its text: a cell equal to the
        // one above it (a status, a boilerplate note) reuses its findings, and so does a value
        // the column held before (a first name, a town, a date of birth: see `Memo`).
        let mut previous = String::new();
        let mut shown_views = Views::default();
        for col in &batch.columns {
            let c = self.column(det, &col.name, col.lineage);
            if self.memos.len() <= c {
                self.memos.resize_with(c + 1, Memo::default);
                #[cfg(test)]
                self.memos.iter_mut().for_each(|m| m.off = self.no_memo);
            }
            let (acc, memo) = (&mut self.columns[c], &mut self.memos[c]);
            memo.begin();
            previous.clear();
            let mut have_previous = false;
            // Rules that run only for column evidence run on this batch's first
            // `EVIDENCE_SAMPLE` values of the column, and on the rest only where that sample
            // promises the column may be theirs: they judge what a column holds, never find a
            // needle (a lone value is not evidence), so a sample decides as well as every cell.
            let evidence: Vec<usize> =
                (0..acc.rules.active.len()).filter(|&r| acc.rules.by_evidence[r] && acc.rules.active[r]).collect();
            let whole_before: Vec<u64> =
                evidence.iter().map(|&r| acc.per_rule[r].as_ref().map_or(0, |a| a.cells - a.in_text)).collect();
            let mut rules = std::borrow::Cow::Borrowed(&acc.rules);
            let mut stopped = vec![false; evidence.len()];
            let mut values = 0u64;
            for i in 0..col.len() {
                if col.is_null(i) {
                    continue;
                }
                let Some(cell) = cell_text(col, i, &mut text) else { continue };
                acc.cells += 1;
                if cell.bytes().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                if values == EVIDENCE_SAMPLE && !evidence.is_empty() {
                    for (k, &r) in evidence.iter().enumerate() {
                        let whole = acc.per_rule[r].as_ref().map_or(0, |a| a.cells - a.in_text) - whole_before[k];
                        let share = det.rules.rules[r].evidence.as_ref().map_or(1.0, |e| e.share);
                        if (whole as f64) < share * 0.5 * EVIDENCE_SAMPLE as f64 {
                            rules.to_mut().active[r] = false;
                            stopped[k] = true;
                        }
                    }
                    if let std::borrow::Cow::Owned(r) = &mut rules {
                        det.refresh(r);
                        memo.reduce(&r.active);
                    }
                    have_previous = false;
                }
                values += 1;
                if !(have_previous && previous == cell) {
                    hits.clear();
                    if !memo.recall(cell, &rules.active, &mut hits) {
                        det.scan_cell(&rules, cell, scratch, &mut hits);
                        memo.keep(cell, &hits);
                    }
                    previous.clear();
                    previous.push_str(cell);
                    have_previous = true;
                }
                for &(r, m) in &hits {
                    let e = acc.per_rule[r].get_or_insert_with(RuleAcc::default);
                    e.cells += 1;
                    let matched = &cell[m.start..m.end];
                    if matched.len() < cell.trim().len() {
                        e.in_text += 1;
                    } else if acc.rules.by_evidence[r] && e.distinct.len() < Evidence::DISTINCT_CAP {
                        e.note_distinct(value_hash(matched));
                    }
                    if m.reserved {
                        e.reserved += 1;
                        continue;
                    }
                    // Allowlists and samples see the match as the rules read it (`＠` as `@`),
                    // while its span is the text as written.
                    let wants_sample = e.samples.len() < SAMPLES;
                    if allow.is_none() && !wants_sample {
                        continue;
                    }
                    let shown = normalize::display(matched, &mut shown_views);
                    if allow.is_some_and(|a| a(&col.name, &det.rules.rules[r].id, shown)) {
                        e.allowed += 1;
                    } else if wants_sample {
                        let row = batch.first_row + col.row_of(i) as u64 + 1;
                        e.samples.push(Sample { row, masked: mask(shown) });
                    }
                }
            }
            // The values each evidence rule ran on: the share it is judged by.
            for (k, &r) in evidence.iter().enumerate() {
                let ran = if stopped[k] { EVIDENCE_SAMPLE } else { values };
                if ran > 0 {
                    acc.per_rule[r].get_or_insert_with(RuleAcc::default).ran += ran;
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
            for (r, o) in oc.per_rule.into_iter().enumerate() {
                let Some(o) = o else { continue };
                let e = acc.per_rule[r].get_or_insert_with(RuleAcc::default);
                e.cells += o.cells;
                e.reserved += o.reserved;
                e.allowed += o.allowed;
                e.in_text += o.in_text;
                e.ran += o.ran;
                for h in o.distinct {
                    e.note_distinct(h);
                }
                e.samples.extend(o.samples);
                e.samples.sort_by_key(|s| s.row);
                e.samples.truncate(SAMPLES);
            }
        }
    }

    /// Whether column `c` holds rule `r` as a report would say it: by its name and a match, or
    /// by column evidence (without the evidence's `with`).
    fn holds(&self, det: &Detector, c: usize, r: usize) -> bool {
        let col = &self.columns[c];
        let Some(a) = &col.per_rule[r] else { return false };
        if !col.rules.by_evidence[r] {
            return a.cells > a.reserved + a.allowed;
        }
        let rule = &det.rules.rules[r];
        rule.evidence.as_ref().is_some_and(|e| e.met(a.ran, a.cells - a.in_text, a.distinct.len()))
    }

    /// Whether the findings of rule `r` in column `c` are reported: always where the column's
    /// name calls for the rule; where only column evidence does, if the values meet it, and
    /// its `with` rules are held by another column of the source.
    fn reported(&self, det: &Detector, c: usize, r: usize) -> bool {
        if !self.columns[c].rules.by_evidence[r] {
            return true;
        }
        if !self.holds(det, c, r) {
            return false;
        }
        let with = &det.rules.rules[r].evidence.as_ref().expect("evidence rule").with;
        with.is_empty()
            || (0..self.columns.len()).any(|c2| {
                c2 != c
                    && with.iter().any(|id| {
                        det.rules.rules.iter().position(|x| &*x.id == id).is_some_and(|r2| self.holds(det, c2, r2))
                    })
            })
    }

    /// Column summaries in first-seen order, findings most cells first.
    pub fn summaries(&self, det: &Detector) -> Vec<ColumnSummary> {
        self.columns
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                let mut findings: Vec<RuleFinding> = c
                    .per_rule
                    .iter()
                    .enumerate()
                    .filter(|&(r, _)| self.reported(det, ci, r))
                    .filter_map(|(r, a)| a.as_ref().filter(|a| a.cells > 0).map(|a| (r, a)))
                    .map(|(r, a)| {
                        let rule = &det.rules.rules[r];
                        let hinted = c.rules.hinted[r] && !c.rules.by_evidence[r];
                        let share = a.cells as f64 / c.cells.max(1) as f64;
                        // A rule is as sure as its own confidence when the column is named for
                        // the entity or mostly holds it; a stray match in a text column less so.
                        let confidence =
                            if hinted { rule.confidence } else { rule.confidence * (0.6 + 0.4 * share.min(1.0)) };
                        RuleFinding {
                            rule: rule.id.to_string(),
                            entity: rule.entity.to_string(),
                            confidence: (confidence * 100.0).round() / 100.0,
                            cells: a.cells,
                            reserved_cells: a.reserved,
                            allowed_cells: a.allowed,
                            in_text_cells: a.in_text,
                            hinted,
                            in_name: false,
                            samples: a.samples.clone(),
                        }
                    })
                    .collect();
                // Names are data: a header or key that holds personal data (a headerless export
                // whose first row became the names) is a finding of its own, and the name is
                // only ever shown masked.
                let name_hits = det.scan_name(&c.name);
                let name = if name_hits.is_empty() {
                    c.name.clone()
                } else {
                    mask_spans(&c.name, name_hits.iter().map(|(_, m)| (m.start, m.end)))
                };
                for (r, _) in &name_hits {
                    if findings.iter().any(|f| f.in_name && *f.rule == *det.rules.rules[*r].id) {
                        continue;
                    }
                    let rule = &det.rules.rules[*r];
                    findings.push(RuleFinding {
                        rule: rule.id.to_string(),
                        entity: rule.entity.to_string(),
                        confidence: rule.confidence,
                        cells: 1,
                        reserved_cells: 0,
                        allowed_cells: 0,
                        in_text_cells: 0,
                        hinted: false,
                        in_name: true,
                        samples: vec![Sample { row: 0, masked: name.clone() }],
                    });
                }
                findings.sort_by(|a, b| {
                    b.pid_cells().cmp(&a.pid_cells()).then(b.cells.cmp(&a.cells)).then(a.rule.cmp(&b.rule))
                });
                ColumnSummary { name, lineage: c.lineage, cells: c.cells, findings }
            })
            .collect()
    }
}

/// A hash of a matched value, to count different ones (FNV-1a: short keys, no adversary who
/// gains by a collision but a column that looks less varied).
fn value_hash(v: &str) -> u64 {
    v.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// The text of a cell: strings as they are, integers and decimals written out (a card number
/// can hide in an integer column); other types hold no identifiers.
fn cell_text<'a>(col: &'a Column, i: usize, buf: &'a mut Vec<u8>) -> Option<&'a str> {
    buf.clear();
    match &col.values {
        Values::Utf8(s) => return Some(s.get(i)),
        Values::Int64(v) => buf.extend_from_slice(itoa::Buffer::new().format(v[i]).as_bytes()),
        Values::Decimal(v, scale) => crate::temporal::write_decimal(v[i], *scale, buf),
        _ => return None,
    }
    // Digits, sign and point only.
    std::str::from_utf8(buf).ok()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::batch::StrBuf;
    use crate::detect::RuleSet;

    /// The counts and summaries of `batches` (one column each, named `name`), scanned with or
    /// without the memo: every rule's counts, reported or not.
    fn summarised(det: &Detector, name: &str, batches: &[Vec<String>], memo: bool) -> String {
        let mut acc = ScanAcc { no_memo: !memo, ..ScanAcc::default() };
        let mut first_row = 0;
        for values in batches {
            let mut s = StrBuf::default();
            for v in values {
                s.push(v);
            }
            let batch = Batch {
                table: Arc::from("t"),
                first_row,
                rows: values.len(),
                columns: vec![Column::new(Arc::from(name), Lineage::Input, Values::Utf8(s), None)],
            };
            first_row += values.len() as u64;
            acc.scan(det, &batch, None);
        }
        format!("{:?}\n{:?}", acc.columns, acc.summaries(det))
    }

    #[test]
    fn values_seen_before_are_found_as_when_scanned_afresh() {
        let det = Detector::new(RuleSet::defaults().expect("rules load"));
        // Invented values: names, towns, an email, a Luhn-valid card, a date of birth, ids and
        // words, drawn with repeats (near and far) over several batches.
        let pool = [
            "Margaret",
            "Thornton",
            "Leeds",
            "Okonkwo",
            "Harrogate",
            "jo.vantreeck@mailbox.co.uk",
            "4929390612345673",
            "1984-03-17",
            "active",
            "12345",
            "SW1A 2AB",
            "Priya",
            "ok",
            "7",
        ];
        let mut x = 7u64;
        let mut draw = |n: usize| -> Vec<String> {
            (0..n)
                .map(|_| {
                    x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    pool[(x >> 33) as usize % pool.len()].to_string()
                })
                .collect()
        };
        // More values per batch than the evidence sample and the memo's trial, in 3 batches.
        let batches: Vec<Vec<String>> = (0..3).map(|_| draw(1500)).collect();
        for name in ["field_3", "first_name", "notes", "email", "town"] {
            let with = summarised(&det, name, &batches, true);
            assert_eq!(with, summarised(&det, name, &batches, false), "column {name}");
            assert!(with.contains("rule"), "column {name} has findings: {with}");
        }
        // A column whose values are names only after the evidence sample ruled the name rules
        // out: what the memo kept under all rules serves the batch with fewer, and the reverse.
        let mut late = vec!["12345".to_string(); 300];
        late.extend(draw(1200));
        let batches = vec![late.clone(), draw(1500), late];
        assert_eq!(summarised(&det, "field_3", &batches, true), summarised(&det, "field_3", &batches, false));
    }

    #[test]
    fn repeated_cells_are_counted_and_sampled_like_any_other() {
        let det = Detector::new(RuleSet::defaults().expect("rules load"));
        // An invented card number with a valid Luhn digit, repeated and interleaved.
        let card = "4929390612345673";
        let mut s = StrBuf::default();
        for v in ["ok", card, card, "ok", card, card] {
            s.push(v);
        }
        let batch = Batch {
            table: Arc::from("t"),
            first_row: 10,
            rows: 6,
            columns: vec![Column::new(Arc::from("note"), Lineage::Input, Values::Utf8(s), None)],
        };
        let mut acc = ScanAcc::default();
        acc.scan(&det, &batch, None);
        let summary = &acc.summaries(&det)[0];
        assert_eq!(summary.cells, 6);
        let f = summary.top().expect("a finding");
        assert_eq!(f.rule, "card-number");
        assert_eq!(f.pid_cells(), 4);
        let rows: Vec<u64> = f.samples.iter().map(|s| s.row).collect();
        assert_eq!(rows, vec![12, 13, 15]);
    }
}
