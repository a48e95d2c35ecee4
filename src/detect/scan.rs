//! The detector: every rule over every cell. All rules' regexes form one automaton, so one
//! pass over a cell finds the few rules that can match; only those run their own regex and
//! validator. Accumulators merge per-batch results (in any order) into column summaries.

use std::borrow::Cow;
use std::collections::HashMap;

use std::sync::Mutex;

use regex_automata::meta;
use regex_automata::util::iter::Searcher;
use regex_automata::{Anchored, Input, MatchKind, PatternSet};

use crate::batch::{Batch, Column, Lineage, Values};

use super::mask::mask;
use super::normalize::{self, View, Views};
use super::rule::{Evidence, Match, RuleSet};
use super::{ColumnSummary, RuleFinding, Sample};

/// Masked samples kept per (column, rule): the first rows.
pub const SAMPLES: usize = 3;

/// A compiled rule set, shared by all threads.
pub struct Detector {
    pub rules: RuleSet,
    /// Every rule's regex in one automaton: one pass over a cell says which rules can match.
    set: Automaton,
    /// Only the rules with a reserved range: all that matters in synthetic and scrubbed
    /// columns, where the gate checks that identifiers stayed in their ranges.
    reserved_set: Automaton,
    /// The rules that also read a cell's split view (`Rule::reads_split_view`), all and reserved.
    split_set: Automaton,
    split_reserved_set: Automaton,
    /// The rules that also read a cell's joined view (`Rule::reads_joined_view`).
    joined_rules: Vec<usize>,
    /// Rules that need a context word (`Rule::needs_context`): kept out of the automata, run
    /// only on a cell that holds one of their words. Most cells hold none, and the automata
    /// stay as small as the rules that can match anywhere.
    context_words: Option<aho_corasick::AhoCorasick>,
    /// The rule of each context word.
    context_rule_of: Vec<usize>,
    /// Each rule's regex again, searched with the caller's caches (no shared pool).
    each: Vec<meta::Regex>,
    /// Scratch spaces kept between batches: a lazy DFA's states are expensive to rebuild.
    scratch: Mutex<Vec<Scratch>>,
    /// The rules a name (column name, JSON key path, file name) is scanned with: every rule
    /// that needs no column hint, as for an input cell.
    name_rules: ColumnRules,
}

/// Some rules' regexes in one automaton, and which rule each pattern belongs to.
struct Automaton {
    regex: meta::Regex,
    rule_of: Vec<usize>,
}

impl Automaton {
    fn new(rules: &RuleSet, keep: impl Fn(&super::Rule) -> bool) -> Automaton {
        let rule_of: Vec<usize> = (0..rules.rules.len()).filter(|&i| keep(&rules.rules[i])).collect();
        let patterns: Vec<&str> = rule_of.iter().map(|&i| rules.rules[i].regex.as_str()).collect();
        let regex = meta::Regex::builder()
            .configure(meta::Config::new().match_kind(MatchKind::All).hybrid_cache_capacity(8 << 20))
            .build_many(&patterns)
            .expect("each rule's regex compiled on its own, so together they compile too");
        Automaton { regex, rule_of }
    }
}

/// Which rules run on a column, decided once from its name and lineage.
#[derive(Clone, Debug)]
pub struct ColumnRules {
    pub hinted: Vec<bool>,
    active: Vec<bool>,
    /// The active rules that run only in hinted columns or for column evidence
    /// (`requires_hint`): kept out of the automata and run one by one, so that a column pays
    /// only for the few its name (or its sample of values) calls for.
    hint_rules: Vec<usize>,
    /// Active only through column evidence (`Rule::evidence`): its name does not call for the
    /// rule, so the column is reported only if its values meet the evidence.
    pub by_evidence: Vec<bool>,
    /// Only the rules with a reserved range (synthetic and scrubbed columns).
    reserved_only: bool,
}

/// A decision callback: whether a match in this column is allowed (an allowlist entry).
pub type Allow<'a> = &'a (dyn Fn(&str, &str, &str) -> bool + Sync);

/// Per-thread scratch space of the detector (the automaton's cache, the candidate set).
pub struct Scratch {
    cache: meta::Cache,
    candidates: PatternSet,
    reserved_cache: meta::Cache,
    reserved_candidates: PatternSet,
    split_cache: meta::Cache,
    split_candidates: PatternSet,
    split_reserved_cache: meta::Cache,
    split_reserved_candidates: PatternSet,
    each: Vec<meta::Cache>,
    views: Views,
    /// The context rules whose words a cell holds.
    context: Vec<usize>,
}

impl Detector {
    pub fn new(rules: RuleSet) -> Detector {
        let set = Automaton::new(&rules, |r| !r.needs_context() && !r.requires_hint);
        let reserved_set = Automaton::new(&rules, |r| !r.needs_context() && !r.requires_hint && r.reserved.is_some());
        let split_set = Automaton::new(&rules, |r| !r.needs_context() && r.reads_split_view());
        let split_reserved_set =
            Automaton::new(&rules, |r| !r.needs_context() && r.reads_split_view() && r.reserved.is_some());
        let mut words = Vec::new();
        let mut context_rule_of = Vec::new();
        for (i, r) in rules.rules.iter().enumerate().filter(|(_, r)| r.needs_context()) {
            for k in &r.keywords {
                words.push(k.clone());
                context_rule_of.push(i);
            }
        }
        let context_words = (!words.is_empty()).then(|| {
            // A full DFA: a few hundred short words, searched in every cell.
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .ascii_case_insensitive(true)
                .build(&words)
                .expect("keywords are short literals")
        });
        let patterns: Vec<&str> = rules.rules.iter().map(|r| r.regex.as_str()).collect();
        let each = patterns
            .iter()
            .map(|p| {
                // Without the bounded backtracker, which clears its visited set on every search.
                meta::Regex::builder()
                    .configure(meta::Config::new().backtrack(false))
                    .build(p)
                    .expect("each rule's regex compiled when the rule loaded")
            })
            .collect();
        let joined_rules = (0..rules.rules.len()).filter(|&i| rules.rules[i].reads_joined_view()).collect();
        let mut d = Detector {
            rules,
            set,
            reserved_set,
            split_set,
            split_reserved_set,
            joined_rules,
            context_words,
            context_rule_of,
            each,
            scratch: Mutex::new(Vec::new()),
            name_rules: ColumnRules {
                hinted: Vec::new(),
                active: Vec::new(),
                hint_rules: Vec::new(),
                by_evidence: Vec::new(),
                reserved_only: false,
            },
        };
        // A name is one value, not a column of them: no column evidence.
        d.name_rules = d.cell_rules("", Lineage::Input);
        d
    }

    /// Names are data: the findings in a name (a column name or CSV header, a JSON key path, a
    /// file name), scanned like an input cell whatever the column's lineage (names come from
    /// the input or are written literally in a schema). Matches in reserved ranges are left
    /// out. `(rule index, match)`, in the order found.
    pub fn scan_name(&self, name: &str) -> Vec<(usize, Match)> {
        let mut hits = Vec::new();
        if !name.is_empty() {
            self.with_scratch(|s| self.scan_cell(&self.name_rules, name, s, &mut hits));
            hits.retain(|(_, m)| !m.reserved);
        }
        hits
    }

    /// A path as messages, reports and audit lines may show it: each component that holds
    /// personal data (also once its extensions are cut: `jane@mail.example.csv`) masked.
    pub fn shown_path<'a>(&self, path: &'a str) -> Cow<'a, str> {
        let mut spans = Vec::new();
        let mut at = 0;
        for part in path.split_inclusive(['/', '\\']) {
            let name = part.trim_end_matches(['/', '\\']);
            let mut variant = name;
            loop {
                spans.extend(self.scan_name(variant).into_iter().map(|(_, m)| (at + m.start, at + m.end)));
                match variant.rsplit_once('.') {
                    Some((stem, _)) if !stem.is_empty() => variant = stem,
                    _ => break,
                }
            }
            at += part.len();
        }
        if spans.is_empty() {
            Cow::Borrowed(path)
        } else {
            Cow::Owned(mask_spans(path, spans.into_iter()))
        }
    }

    /// The rules that find personal data in the names a path carries ([`final_components`]),
    /// each rule once, in the order found.
    pub fn path_findings(&self, path: &str) -> Vec<usize> {
        let mut rules = Vec::new();
        for part in final_components(path) {
            for (r, _) in self.scan_name(part) {
                if !rules.contains(&r) {
                    rules.push(r);
                }
            }
        }
        rules
    }

    /// A name as messages, reports, audit lines and manifests may show it: as it is, or with
    /// every piece of personal data in it masked.
    pub fn shown<'a>(&self, name: &'a str) -> Cow<'a, str> {
        let hits = self.scan_name(name);
        if hits.is_empty() {
            return Cow::Borrowed(name);
        }
        Cow::Owned(mask_spans(name, hits.iter().map(|(_, m)| (m.start, m.end))))
    }

    /// Runs `f` with a scratch space from the pool (made on first use, returned after).
    pub fn with_scratch<R>(&self, f: impl FnOnce(&mut Scratch) -> R) -> R {
        let taken = self.scratch.lock().expect("scratch pool").pop();
        let mut s = taken.unwrap_or_else(|| Scratch {
            cache: self.set.regex.create_cache(),
            candidates: PatternSet::new(self.set.regex.pattern_len()),
            reserved_cache: self.reserved_set.regex.create_cache(),
            reserved_candidates: PatternSet::new(self.reserved_set.regex.pattern_len()),
            split_cache: self.split_set.regex.create_cache(),
            split_candidates: PatternSet::new(self.split_set.regex.pattern_len()),
            split_reserved_cache: self.split_reserved_set.regex.create_cache(),
            split_reserved_candidates: PatternSet::new(self.split_reserved_set.regex.pattern_len()),
            each: self.each.iter().map(meta::Regex::create_cache).collect(),
            views: Views::default(),
            context: Vec::new(),
        });
        let r = f(&mut s);
        self.scratch.lock().expect("scratch pool").push(s);
        r
    }

    /// The rules for a column called `name` with `lineage`.
    pub fn column(&self, name: &str, lineage: Lineage) -> ColumnRules {
        let reserved_only = lineage != Lineage::Input;
        let hinted: Vec<bool> = self.rules.rules.iter().map(|r| r.hinted(name)).collect();
        let applies: Vec<bool> = self.rules.rules.iter().map(|r| r.applies_to(name)).collect();
        let by_evidence: Vec<bool> =
            self.rules.rules.iter().zip(&applies).map(|(r, &a)| !a && !reserved_only && r.evidence.is_some()).collect();
        let active = self
            .rules
            .rules
            .iter()
            .zip(applies.iter().zip(&by_evidence))
            .map(|(r, (&a, &e))| (a || e) && (!reserved_only || r.reserved.is_some()))
            .collect();
        let mut c = ColumnRules { hinted, active, hint_rules: Vec::new(), by_evidence, reserved_only };
        self.refresh(&mut c);
        c
    }

    /// The rules for one value on its own (a free-text cell being rewritten, a sentence, a
    /// name): as [`Detector::column`], without the rules that only column evidence reports.
    pub fn cell_rules(&self, name: &str, lineage: Lineage) -> ColumnRules {
        let mut c = self.column(name, lineage);
        for (a, e) in c.active.iter_mut().zip(&c.by_evidence) {
            *a &= !e;
        }
        c.by_evidence.fill(false);
        self.refresh(&mut c);
        c
    }

    /// Recomputes what follows from which rules are active.
    fn refresh(&self, c: &mut ColumnRules) {
        c.hint_rules = (0..c.active.len())
            .filter(|&i| c.active[i] && self.rules.rules[i].requires_hint && !self.rules.rules[i].needs_context())
            .collect();
    }

    /// Appends `(rule index, match)` for every rule that matches `cell`, its span in `cell`.
    ///
    /// The rules read the cell's canonical view (the cell itself when it is plain ASCII, nearly
    /// always); the rules with validators over long identifiers also read its split view when
    /// a cheap look says it may find more (see `normalize`).
    #[inline]
    pub fn scan_cell(&self, col: &ColumnRules, cell: &str, scratch: &mut Scratch, hits: &mut Vec<(usize, Match)>) {
        if cell.is_empty() {
            return;
        }
        let first = hits.len();
        let survey = normalize::survey(cell);
        let Scratch {
            cache,
            candidates,
            reserved_cache,
            reserved_candidates,
            split_cache,
            split_candidates,
            split_reserved_cache,
            split_reserved_candidates,
            each,
            views,
            context,
        } = scratch;
        let rewritten = !survey.plain && normalize::canonical(cell, views);
        let (text, base, digits) = if rewritten {
            let v = &views.canonical;
            (v.text.as_str(), Some(v), v.text.bytes().filter(u8::is_ascii_digit).count())
        } else {
            (cell, None, survey.digits)
        };
        let (auto, cache, candidates) = if col.reserved_only {
            (&self.reserved_set, reserved_cache, reserved_candidates)
        } else {
            (&self.set, cache, candidates)
        };
        self.scan_view(auto, cache, candidates, each, col, cell, text, base, digits, hits, first);
        for &i in &col.hint_rules {
            self.try_rule(i, each, col, cell, text, base, digits, hits, first);
        }
        context.clear();
        // A context word is two ASCII letters or more, and a word and what it introduces are
        // apart (a space, `:` or `=`): a value of one token (a name, a card, a status) holds
        // no context.
        let worded = survey.worded;
        if let Some(words) = self.context_words.as_ref().filter(|_| worded) {
            for m in words.find_overlapping_iter(text) {
                let r = self.context_rule_of[m.pattern().as_usize()];
                if !context.contains(&r) {
                    context.push(r);
                }
            }
            for &i in context.iter() {
                self.try_rule(i, each, col, cell, text, base, digits, hits, first);
            }
        }
        // A cell of digits alone (an id, a card as stored) has nothing to part or join: its views
        // would be the cell itself.
        if digits < normalize::SPLIT_MIN_DIGITS
            || digits == text.len()
            || !views.memo.may_split(text)
            || is_uuid(text.trim())
            || is_decimal(text.trim())
        {
            return;
        }
        let parted = normalize::split(cell, views, rewritten);
        if parted.split {
            let (auto, cache, candidates) = if col.reserved_only {
                (&self.split_reserved_set, split_reserved_cache, split_reserved_candidates)
            } else {
                (&self.split_set, split_cache, split_candidates)
            };
            let split = &views.split;
            self.scan_view(auto, cache, candidates, each, col, cell, &split.text, Some(split), digits, hits, first);
            for &i in context.iter().filter(|&&i| self.rules.rules[i].reads_split_view()) {
                self.try_rule(i, each, col, cell, &split.text, Some(split), digits, hits, first);
            }
        }
        if parted.joined {
            // Rare and read by few rules: each runs on its own, without an automaton.
            let joined = &views.joined;
            for &i in &self.joined_rules {
                self.try_rule(i, each, col, cell, &joined.text, Some(joined), digits, hits, first);
            }
        }
    }

    /// Runs the rules of `auto` over one view of a cell (`text`, whose spans map back through
    /// `base` when it is not the cell itself).
    #[allow(clippy::too_many_arguments)]
    fn scan_view(
        &self,
        auto: &Automaton,
        cache: &mut meta::Cache,
        candidates: &mut PatternSet,
        each: &mut [meta::Cache],
        col: &ColumnRules,
        cell: &str,
        text: &str,
        base: Option<&View>,
        digits: usize,
        hits: &mut Vec<(usize, Match)>,
        first: usize,
    ) {
        candidates.clear();
        auto.regex.which_overlapping_matches_with(cache, &Input::new(text), candidates);
        // Most cells match no rule; iterating an empty set still walks every pattern's slot.
        if candidates.is_empty() {
            return;
        }
        // The set is a slot per pattern: stop at the last one found rather than walk the rest.
        let mut left = candidates.len();
        for p in candidates.iter() {
            self.try_rule(auto.rule_of[p.as_usize()], each, col, cell, text, base, digits, hits, first);
            left -= 1;
            if left == 0 {
                break;
            }
        }
    }

    /// Runs rule `i` over one view of a cell. A rule already found in this cell (`hits[first..]`)
    /// is found again only to replace a reserved match with one outside the reserved range.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn try_rule(
        &self,
        i: usize,
        each: &mut [meta::Cache],
        col: &ColumnRules,
        cell: &str,
        text: &str,
        base: Option<&View>,
        digits: usize,
        hits: &mut Vec<(usize, Match)>,
        first: usize,
    ) {
        if !col.active[i] {
            return;
        }
        let earlier = hits[first..].iter().position(|(r, _)| *r == i).map(|k| first + k);
        if earlier.is_some_and(|k| !hits[k].1.reserved) {
            return;
        }
        let rule = &self.rules.rules[i];
        if !rule.prefilter(text, digits) {
            return;
        }
        let (re, cache) = (&self.each[i], &mut each[i]);
        // A value is most often the whole cell, or starts it: a match anchored at the start is
        // the leftmost one, found by a forward pass alone (an unanchored search finds its end,
        // then searches back for its start). The search goes on after it, unanchored.
        let anchored = re.search_with(cache, &Input::new(text).anchored(Anchored::Yes));
        let mut searcher =
            Searcher::new(Input::new(text).range(anchored.as_ref().map_or(0, |m| m.end().max(1)).min(text.len())..));
        let mut first_span = anchored.map(|m| (m.start(), m.end()));
        let spans = std::iter::from_fn(|| {
            first_span
                .take()
                .or_else(|| searcher.advance(|input| Ok(re.search_with(cache, input))).map(|m| (m.start(), m.end())))
        });
        let Some(mut m) = rule.find_in(text, col.hinted[i] || col.by_evidence[i], spans) else { return };
        if let Some(v) = base {
            (m.start, m.end) = v.original(m.start, m.end);
            // A view parts digits from the words glued to them (`NHS4463907144`); a digit run
            // inside a longer token that holds other digits too (`1ZCH0C2W4463907144`, a
            // tracking number; `10.1.148.56:8443`, an address and port) is part of that token.
            if glued_into_number(cell, m.start, m.end) {
                return;
            }
        }
        match earlier {
            Some(k) if !m.reserved => hits[k].1 = m,
            Some(_) => {}
            None => hits.push((i, m)),
        }
    }
}

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
struct Memo {
    seen: HashMap<MemoKey, Recalled, foldhash::fast::RandomState>,
    #[cfg(test)]
    off: bool,
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
    fn begin(&mut self) {
        self.all_rules = true;
        self.looked = 0;
        self.found = 0;
    }

    /// The batch goes on with the rules marked in `active` only.
    fn reduce(&mut self, active: &[bool]) {
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
    fn recall(&mut self, cell: &str, active: &[bool], hits: &mut Vec<(usize, Match)>) -> bool {
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
    fn keep(&mut self, cell: &str, hits: &[(usize, Match)]) {
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

/// A cell that is one UUID: nothing to part or join (its digit groups are never one number;
/// [`normalize::split`] keeps a UUID inside text whole too), so no view is built for it.
fn is_uuid(s: &str) -> bool {
    normalize::uuid_spans(s) == [(0, s.len())]
}

/// A decimal number (`6454.0200000000001`, `-12.5e3`): its digits on either side of the point
/// are one quantity, never parted or joined into an identifier.
fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let Some((int, frac)) = mantissa.split_once('.') else { return false };
    digits(int) && digits(frac) && exp.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)))
}

/// The names a write carries: the last two components of a path (its file name and folder),
/// each also without its extensions (`jane@mail.example.csv.gz` holds `jane@mail.example`).
pub fn final_components(path: &str) -> impl Iterator<Item = &str> {
    path.rsplit(['/', '\\']).filter(|p| !p.is_empty() && *p != "." && *p != "..").take(2).flat_map(|p| {
        let once = p.rsplit_once('.').map(|(a, _)| a);
        let twice = once.and_then(|a| a.rsplit_once('.')).map(|(a, _)| a);
        std::iter::once(p).chain(once).chain(twice).filter(|s| !s.is_empty())
    })
}

/// Whether the span `start..end` of `cell` lies inside a longer token that holds digits
/// outside the span: letters and digits glued to it on either side (`1ZCH0C2W|4463907144`), or
/// a number it continues after a point, comma or colon (`10.1.|148.56:8443`).
fn glued_into_number(cell: &str, start: usize, end: usize) -> bool {
    if super::rule::inside_number(cell, start) {
        return true;
    }
    let b = cell.as_bytes();
    // An address (`10.194.176.236:5432`) read as one long number.
    let span = &b[start..end];
    if span.iter().filter(|&&c| c == b'.').count() >= 3 && span.iter().take(4).any(|&c| c == b'.') {
        return true;
    }
    let mut i = start;
    while i > 0 && b[i - 1].is_ascii_alphanumeric() {
        i -= 1;
        if b[i].is_ascii_digit() {
            return true;
        }
    }
    let mut j = end;
    while j < b.len() && b[j].is_ascii_alphanumeric() {
        if b[j].is_ascii_digit() {
            return true;
        }
        j += 1;
    }
    false
}

/// A hash of a matched value, to count different ones (FNV-1a: short keys, no adversary who
/// gains by a collision but a column that looks less varied).
fn value_hash(v: &str) -> u64 {
    v.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

fn mask_spans(text: &str, spans: impl Iterator<Item = (usize, usize)>) -> String {
    let mut spans: Vec<(usize, usize)> = spans.collect();
    spans.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut i = 0;
    while i < spans.len() {
        let (start, mut end) = spans[i];
        while i + 1 < spans.len() && spans[i + 1].0 < end {
            end = end.max(spans[i + 1].1);
            i += 1;
        }
        let start = start.max(at);
        if start < end {
            out.push_str(&text[at..start]);
            out.push_str(&mask(&text[start..end]));
            at = end;
        }
        i += 1;
    }
    out.push_str(&text[at..]);
    out
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
    use crate::batch::{Column, StrBuf};

    #[test]
    fn a_uuid_whose_first_groups_are_digits_is_not_a_card() {
        // 6217123456784327 is a Luhn-valid UnionPay number; as the first groups of a UUID it is
        // part of one hex token, and no view joins it into a card.
        let det = Detector::new(RuleSet::defaults().expect("rules load"));
        // The rules a cell answers to alone (not those that need a column's evidence).
        let col = det.cell_rules("id", Lineage::Input);
        let mut hits = Vec::new();
        det.with_scratch(|scratch| {
            det.scan_cell(&col, "62171234-5678-4327-9abc-0123456789ab", scratch, &mut hits);
        });
        assert!(hits.is_empty(), "{:?}", hits.iter().map(|(r, _)| &det.rules.rules[*r].id).collect::<Vec<_>>());
        // Nor inside text.
        det.with_scratch(|scratch| {
            det.scan_cell(&col, "shipment 62171234-5678-4327-9abc-0123456789ab left", scratch, &mut hits);
        });
        assert!(hits.is_empty(), "{:?}", hits.iter().map(|(r, _)| &det.rules.rules[*r].id).collect::<Vec<_>>());
        // Nor is a float with a long fraction (a database's `qty * price`).
        det.with_scratch(|scratch| {
            for cell in ["3839.0000000049998", "6454.0200000000001", "-6217.123456784327"] {
                det.scan_cell(&col, cell, scratch, &mut hits);
            }
        });
        assert!(hits.is_empty(), "{:?}", hits.iter().map(|(r, _)| &det.rules.rules[*r].id).collect::<Vec<_>>());
        // The same digits printed as a card still are one.
        det.with_scratch(|scratch| det.scan_cell(&col, "paid with 6217 1234 5678 4327", scratch, &mut hits));
        assert!(hits.iter().any(|(r, _)| &*det.rules.rules[*r].id == "card-number"));
    }

    #[test]
    fn plain_ascii_cells_are_scanned_as_they_are_without_building_a_view() {
        let det = Detector::new(RuleSet::defaults().expect("rules load"));
        let col = det.column("note", Lineage::Input);
        let mut hits = Vec::new();
        det.with_scratch(|scratch| {
            for cell in [
                "2024-01-05T12:30:45Z",
                "07700 900123",
                "jo@mailbox.co.uk",
                "v1.2.3",
                "550e8400-e29b-41d4-a716-446655440000",
            ] {
                det.scan_cell(&col, cell, scratch, &mut hits);
            }
            assert_eq!(scratch.views.canonical.text.capacity(), 0, "a plain cell built a canonical view");
            assert_eq!(scratch.views.split.text.capacity(), 0, "a plain cell built a split view");
            hits.clear();
            // A lookalike builds one, and its finding's span is in the cell as written.
            let cell = "card ４９２９３９０６１２３４５６７３ ok";
            det.scan_cell(&col, cell, scratch, &mut hits);
            assert!(scratch.views.canonical.text.capacity() > 0);
        });
        let (r, m) = hits[0];
        assert_eq!(&*det.rules.rules[r].id, "card-number");
        assert_eq!(&"card ４９２９３９０６１２３４５６７３ ok"[m.start..m.end], "４９２９３９０６１２３４５６７３");
    }

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
