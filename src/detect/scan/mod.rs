//! The detector: every rule over every cell. All rules' regexes form one automaton, so one
//! pass over a cell finds the few rules that can match; only those run their own regex and
//! validator.
//!
//! - this module: the compiled rules ([`Detector`]) and the scan of one cell or name;
//! - `acc`: accumulators that merge per-batch results (in any order) into column summaries;
//! - `memo`: a column's findings by value, so that a value seen before is not scanned again.

mod acc;
mod memo;

pub use acc::ScanAcc;

use std::borrow::Cow;

use std::sync::Mutex;

use regex_automata::meta;
use regex_automata::util::iter::Searcher;
use regex_automata::{Anchored, Input, MatchKind, PatternSet};

use crate::batch::Lineage;

use super::mask::mask;
use super::normalize::{self, View, Views};
use super::rule::{Match, RuleSet};

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
        let mut run = CellRun { each, col, cell, digits, hits, first };
        let seen = Seen { text, base };
        let (auto, cache, candidates) = if col.reserved_only {
            (&self.reserved_set, reserved_cache, reserved_candidates)
        } else {
            (&self.set, cache, candidates)
        };
        self.scan_view(auto, cache, candidates, &mut run, seen);
        for &i in &col.hint_rules {
            self.try_rule(i, &mut run, seen);
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
                self.try_rule(i, &mut run, seen);
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
            let split = Seen { text: &views.split.text, base: Some(&views.split) };
            self.scan_view(auto, cache, candidates, &mut run, split);
            for &i in context.iter().filter(|&&i| self.rules.rules[i].reads_split_view()) {
                self.try_rule(i, &mut run, split);
            }
        }
        if parted.joined {
            // Rare and read by few rules: each runs on its own, without an automaton.
            let joined = Seen { text: &views.joined.text, base: Some(&views.joined) };
            for &i in &self.joined_rules {
                self.try_rule(i, &mut run, joined);
            }
        }
    }

    /// Runs the rules of `auto` over one view of a cell.
    fn scan_view(
        &self,
        auto: &Automaton,
        cache: &mut meta::Cache,
        candidates: &mut PatternSet,
        run: &mut CellRun<'_>,
        seen: Seen<'_>,
    ) {
        candidates.clear();
        auto.regex.which_overlapping_matches_with(cache, &Input::new(seen.text), candidates);
        // Most cells match no rule; iterating an empty set still walks every pattern's slot.
        if candidates.is_empty() {
            return;
        }
        // The set is a slot per pattern: stop at the last one found rather than walk the rest.
        for p in candidates.iter().take(candidates.len()) {
            self.try_rule(auto.rule_of[p.as_usize()], run, seen);
        }
    }

    /// Runs rule `i` over one view of a cell. A rule already found in this cell is found again
    /// only to replace a reserved match with one outside the reserved range.
    #[inline]
    fn try_rule(&self, i: usize, run: &mut CellRun<'_>, Seen { text, base }: Seen<'_>) {
        let CellRun { each, col, cell, digits, hits, first } = run;
        let (col, cell, digits, first) = (*col, *cell, *digits, *first);
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

/// One cell being scanned: what every rule run over any of its views needs.
struct CellRun<'a> {
    /// A search cache per rule.
    each: &'a mut [meta::Cache],
    col: &'a ColumnRules,
    cell: &'a str,
    /// The cell's digits, as its canonical view counts them (the rules' prefilters read them).
    digits: usize,
    /// Findings; this cell's start at `first`.
    hits: &'a mut Vec<(usize, Match)>,
    first: usize,
}

/// One view of a cell: its text, and how spans in it map back to the cell (`None` when the
/// view is the cell itself).
#[derive(Clone, Copy)]
struct Seen<'a> {
    text: &'a str,
    base: Option<&'a View>,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The findings of `cell` alone, under the rules a cell answers to on its own (not those
    /// that need a column's evidence), as (rule id, matched text, reserved).
    fn findings(det: &Detector, cell: &str) -> Vec<(String, String, bool)> {
        let col = det.cell_rules("note", Lineage::Input);
        let mut hits = Vec::new();
        det.with_scratch(|scratch| det.scan_cell(&col, cell, scratch, &mut hits));
        hits.iter()
            .map(|(r, m)| (det.rules.rules[*r].id.to_string(), cell[m.start..m.end].to_string(), m.reserved))
            .collect()
    }

    #[test]
    fn a_uuid_whose_first_groups_are_digits_is_not_a_card() {
        let det = Detector::new(RuleSet::defaults().expect("rules load"));
        // 6217123456784327 is a Luhn-valid UnionPay number; as the first groups of a UUID it is
        // part of one hex token, and no view joins it into a card; nor inside text. Nor is a
        // float with a long fraction (a database's `qty * price`).
        for cell in [
            "62171234-5678-4327-9abc-0123456789ab",
            "shipment 62171234-5678-4327-9abc-0123456789ab left",
            "3839.0000000049998",
            "6454.0200000000001",
            "-6217.123456784327",
        ] {
            assert_eq!(findings(&det, cell), [], "{cell}");
        }
        // The same digits printed as a card still are one.
        assert!(findings(&det, "paid with 6217 1234 5678 4327").iter().any(|(r, _, _)| r == "card-number"));
    }

    #[test]
    fn a_match_at_the_start_that_fails_or_is_reserved_does_not_hide_a_later_one() {
        // The first search is anchored at the cell's start; the matches after it must still be
        // read. Invented numbers: the first fails Luhn, the second is a published test card
        // (reserved), the third is Luhn-valid and outside the reserved range.
        let det = Detector::new(RuleSet::defaults().expect("rules load"));
        let card = |cell: &str| findings(&det, cell).into_iter().find(|(r, _, _)| r == "card-number");
        let valid = Some(("card-number".to_string(), "4929390612345673".to_string(), false));
        assert_eq!(card("4929390612345674 4242424242424242 4929390612345673"), valid);
        assert_eq!(card("4242424242424242 4929390612345673"), valid);
        // Alone, the reserved card is found as reserved.
        assert_eq!(card("4242424242424242"), Some(("card-number".to_string(), "4242424242424242".to_string(), true)));
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
}
