//! Rules: PID-detection rules are data (`rules/*.toml`), embedded in the binary and
//! overridable by the user. Raw TOML becomes a compiled [`RuleSet`] (regexes built once); a bad
//! rule fails at load with its file, rule id and line.

use std::path::Path;
use std::sync::Arc;

use regex::Regex;

use crate::error::Error;
use crate::reserved::Kind;
use crate::toml_cursor::{parse, Node, Source};

use super::normalize::{self, Views};
use super::validate::{self, Validator};

/// The default rule files, embedded: (file name, text).
pub const DEFAULT_RULES: &[(&str, &str)] = &[
    ("rules/contact.toml", include_str!("../../rules/contact.toml")),
    ("rules/finance.toml", include_str!("../../rules/finance.toml")),
    ("rules/network.toml", include_str!("../../rules/network.toml")),
    ("rules/uk.toml", include_str!("../../rules/uk.toml")),
    ("rules/us.toml", include_str!("../../rules/us.toml")),
    ("rules/eu.toml", include_str!("../../rules/eu.toml")),
    ("rules/person.toml", include_str!("../../rules/person.toml")),
    ("rules/place.toml", include_str!("../../rules/place.toml")),
];

/// Where synthetic values of a rule's entity live: a reserved range they must stay inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reserved {
    /// A reserved identifier range (phones, NHS numbers, cards, …).
    Range(Kind),
    /// Either reserved phone range (GB drama numbers or US 555-01xx).
    Phone,
    /// Email at a reserved domain (RFC 2606 / RFC 6761).
    EmailDomain,
}

impl Reserved {
    pub fn parse(name: &str) -> Option<Reserved> {
        match name {
            "email" => Some(Reserved::EmailDomain),
            "phone" => Some(Reserved::Phone),
            other => Kind::parse(other).map(Reserved::Range),
        }
    }

    /// Whether `value` lies in the reserved range.
    pub fn contains(self, value: &str) -> bool {
        match self {
            Reserved::Range(k) => crate::reserved::is_reserved(k, value),
            Reserved::Phone => {
                crate::reserved::is_reserved(Kind::PhoneGb, value) || crate::reserved::is_reserved(Kind::PhoneUs, value)
            }
            Reserved::EmailDomain => value
                .rsplit_once('@')
                .is_some_and(|(_, d)| crate::generate::gen::text::is_reserved_domain(d.trim_end_matches('>'))),
        }
    }
}

/// One example a rule carries, with the reason it is (or is not) a match.
#[derive(Clone, Debug)]
pub struct Example {
    pub value: String,
    pub reason: String,
    /// Column name the example is scanned under (for rules that need a column hint).
    pub column: Option<String>,
    /// For a positive example: it matches, but lies in the reserved range (synthetic).
    pub reserved: bool,
}

/// A compiled detection rule.
#[derive(Clone, Debug)]
pub struct Rule {
    pub id: Arc<str>,
    pub entity: Arc<str>,
    pub description: String,
    pub regex: Regex,
    /// The cell must contain one of these (ASCII case-insensitive) before the regex runs.
    pub keywords: Vec<String>,
    /// The keywords in one automaton (ASCII case-insensitive): one pass over a cell, however
    /// many keywords a rule lists.
    keyword_set: Option<aho_corasick::AhoCorasick>,
    /// The cell must contain at least this many ASCII digits before the regex runs.
    pub min_digits: usize,
    pub validator: Option<(String, Validator)>,
    /// The validator's cheap necessary condition on a cell (`validate::precheck`).
    precheck: Option<Validator>,
    /// Normalised fragments of column names that suggest this entity.
    pub column_hints: Vec<String>,
    /// Report only in columns whose name matches a hint (dates of birth, names, coordinates).
    pub requires_hint: bool,
    /// Never report in columns whose name matches one of these (`version` for IPv4 shapes).
    pub exclude_hints: Vec<String>,
    pub reserved: Option<Reserved>,
    /// Column-level evidence that reports the rule in a column its name does not hint at (or
    /// even excludes): the column's values say what it holds.
    pub evidence: Option<Evidence>,
    pub confidence: f64,
    pub source: String,
    pub positive: Vec<Example>,
    pub negative: Vec<Example>,
    /// File and line the rule was loaded from.
    pub origin: String,
}

/// When the values of a column are evidence enough for a rule that its name does not call
/// for (`requires_hint`, `exclude_hints`): a column of `Margaret`, `Thornton`, `Leeds` under
/// `field_3` is recognised from its values. Cells are matched one by one as usual; the column
/// is reported only if, of its non-empty cells, at least `share` are a whole match, with at
/// least `distinct` different values (a status column of three names is not a name column),
/// and, when `with` is given, another column of the same source holds one of those rules
/// (a sort code column beside an account number column).
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    pub share: f64,
    pub distinct: usize,
    pub with: Vec<String>,
}

impl Evidence {
    /// Most different values a scan keeps count of: more than any rule asks for.
    pub const DISTINCT_CAP: usize = 64;

    /// Whether a column of `cells` non-empty cells, `whole` of them matches with `distinct`
    /// different values, meets the share and variety asked for (without `with`). A column of
    /// fewer cells than `distinct` needs every other cell different.
    pub fn met(&self, cells: u64, whole: u64, distinct: usize) -> bool {
        let needed = (self.distinct as u64).min(cells.div_ceil(2)).max(2);
        cells > 0 && whole as f64 >= self.share * cells as f64 && distinct as u64 >= needed
    }
}

/// One validated match of a rule in a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match {
    /// Byte range of the match in the cell.
    pub start: usize,
    pub end: usize,
    /// The match lies in the rule's reserved (synthetic) range.
    pub reserved: bool,
}

impl Rule {
    /// Whether the cheap prefilters let the regex run on `cell` (keywords, digit count).
    pub fn prefilter(&self, cell: &str, digit_count: usize) -> bool {
        if digit_count < self.min_digits {
            return false;
        }
        self.keyword_set.as_ref().is_none_or(|set| set.is_match(cell)) && self.precheck.is_none_or(|p| p(cell))
    }

    /// The first valid match in `cell`, preferring one outside the reserved range.
    ///
    /// This is the whole of a rule's logic on one cell; the detector adds only the shared
    /// prefilter and the column context (`hinted`: the column name matched a hint).
    pub fn find(&self, cell: &str, hinted: bool) -> Option<Match> {
        self.find_in(cell, hinted, self.regex.find_iter(cell).map(|m| (m.start(), m.end())))
    }

    /// [`Rule::find`] over the regex's matches (`spans`) found by the caller's own engine.
    pub fn find_in(&self, cell: &str, hinted: bool, spans: impl Iterator<Item = (usize, usize)>) -> Option<Match> {
        if self.requires_hint && !hinted {
            return None;
        }
        let mut reserved_match = None;
        for (start, end) in spans {
            let text = &cell[start..end];
            if inside_number(cell, start) {
                continue;
            }
            if let Some((_, v)) = &self.validator {
                if !v(text) {
                    continue;
                }
            }
            let reserved = self.reserved.is_some_and(|r| r.contains(text));
            let found = Match { start, end, reserved };
            if !reserved {
                return Some(found);
            }
            reserved_match.get_or_insert(found);
        }
        reserved_match
    }

    /// `find` with the prefilters over the normalised views of `cell`, as the detector runs it
    /// (used by `rules test`); the match's span is in `cell`.
    pub fn check(&self, cell: &str, column: &str) -> Option<Match> {
        if !self.applies_to(column) {
            return None;
        }
        let hinted = self.hinted(column);
        let mut views = Views::default();
        let rewritten = !normalize::survey(cell).plain && normalize::canonical(cell, &mut views);
        let text = if rewritten { views.canonical.text.as_str() } else { cell };
        let digits = text.bytes().filter(u8::is_ascii_digit).count();
        let in_view = |text: &str, view: Option<&normalize::View>| {
            let m = self.prefilter(text, digits).then(|| self.find(text, hinted)).flatten()?;
            let (start, end) = view.map_or((m.start, m.end), |v| v.original(m.start, m.end));
            Some(Match { start, end, ..m })
        };
        let found = in_view(text, rewritten.then_some(&views.canonical));
        if found.is_some_and(|m| !m.reserved) || !self.reads_split_view() || digits < normalize::SPLIT_MIN_DIGITS {
            return found;
        }
        if !normalize::may_split(text) {
            return found;
        }
        let parted = normalize::split(cell, &mut views, rewritten);
        let mut best = found;
        let views_read = [(parted.split, &views.split), (parted.joined && self.reads_joined_view(), &views.joined)];
        for (built, view) in views_read {
            if best.is_some_and(|m| !m.reserved) || !built {
                continue;
            }
            if let Some(m) = in_view(&view.text, Some(view)) {
                if best.is_none() || !m.reserved {
                    best = Some(m);
                }
            }
        }
        best
    }

    /// Whether the rule needs a context word in the cell: it lists keywords, each a word of
    /// three characters or more (not `@`, `+`, `:`, which most values of their kind hold).
    /// The detector runs such rules only on cells that hold one of their words.
    pub fn needs_context(&self) -> bool {
        !self.keywords.is_empty() && self.keywords.iter().all(|k| k.chars().count() >= 3)
    }

    /// Whether the rule also reads the split view (digits parted from glued words, any short
    /// separator run between digit groups one space): only identifiers a validator confirms,
    /// long enough that a stray digit run is unlikely to pass it.
    pub fn reads_split_view(&self) -> bool {
        self.validator.is_some() && self.min_digits >= normalize::SPLIT_MIN_DIGITS
    }

    /// Whether the rule also reads the joined view (digit groups with no separator at all, so
    /// any regrouping of a number shows): only identifiers of twelve digits or more, where a
    /// chance run of joined groups (IP addresses, dates) is both rare and unlikely to validate.
    pub fn reads_joined_view(&self) -> bool {
        self.reads_split_view() && self.min_digits >= normalize::JOINED_MIN_DIGITS
    }

    /// Every example that does not behave as it says: (example, what happened).
    pub fn failing_examples(&self) -> Vec<(&Example, String)> {
        let mut out = Vec::new();
        for e in &self.positive {
            let column = e.column.as_deref().unwrap_or("value");
            match self.check(&e.value, column) {
                None => out.push((e, "no match".to_string())),
                Some(m) if m.reserved != e.reserved => {
                    out.push((e, format!("matched, reserved = {} (expected {})", m.reserved, e.reserved)))
                }
                Some(_) => {}
            }
        }
        for e in &self.negative {
            let column = e.column.as_deref().unwrap_or("value");
            if self.check(&e.value, column).is_some() {
                out.push((e, "matched".to_string()));
            }
        }
        out
    }

    /// Whether a column name matches one of the rule's hints.
    pub fn hinted(&self, column: &str) -> bool {
        let norm = normalise_column(column);
        self.column_hints.iter().any(|h| norm.contains(h.as_str()))
    }

    /// Whether the rule applies to a column at all (not excluded, hinted if it must be).
    pub fn applies_to(&self, column: &str) -> bool {
        let norm = normalise_column(column);
        if self.exclude_hints.iter().any(|h| norm.contains(h.as_str())) {
            return false;
        }
        !self.requires_hint || self.column_hints.iter().any(|h| norm.contains(h.as_str()))
    }
}

/// Whether a match that starts at `start` is the fraction of a longer number: its first
/// character a digit right after `<digit>.` or `<digit>,` (`10:15:22.12345678Z` holds no NIF,
/// `3.14159265` no account). A number's fraction is part of that number, never an identifier
/// of its own.
pub(super) fn inside_number(cell: &str, start: usize) -> bool {
    let b = cell.as_bytes();
    start >= 2
        && b.get(start).is_some_and(u8::is_ascii_digit)
        && matches!(b[start - 1], b'.' | b',' | b':')
        && b[start - 2].is_ascii_digit()
}

/// `Customer E-Mail` → `customer_e_mail`: lower case, every run of other characters one `_`.
pub fn normalise_column(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out
}

/// Rules in load order; a later file's rule with the same id replaces the earlier one.
#[derive(Clone, Debug, Default)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// The default rules embedded in the binary.
    pub fn defaults() -> Result<RuleSet, Error> {
        let mut set = RuleSet::default();
        for (name, text) in DEFAULT_RULES {
            set.load_str(name, text)?;
        }
        set.check_references()?;
        Ok(set)
    }

    /// Defaults plus user files (a directory of `*.toml`, or single files), in that order.
    pub fn with_user(paths: &[&Path]) -> Result<RuleSet, Error> {
        let mut set = RuleSet::defaults()?;
        for p in paths {
            set.load_path(p)?;
        }
        set.check_references()?;
        Ok(set)
    }

    pub fn load_path(&mut self, path: &Path) -> Result<(), Error> {
        let read = |p: &Path| {
            std::fs::read_to_string(p).map_err(|e| Error::config(format!("cannot read rules {}: {e}", p.display())))
        };
        if path.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(path)
                .map_err(|e| Error::config(format!("cannot read rules directory {}: {e}", path.display())))?
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect();
            files.sort();
            for f in files {
                let text = read(&f)?;
                self.load_str(&f.display().to_string(), &text)?;
            }
            Ok(())
        } else {
            let text = read(path)?;
            self.load_str(&path.display().to_string(), &text)
        }
    }

    /// Loads the `[[rule]]`s of one file.
    pub fn load_str(&mut self, name: &str, text: &str) -> Result<(), Error> {
        let src = Source { name, text };
        let doc = parse(&src)?;
        let root = Node { src: &src, path: String::new(), value: &doc };
        let top = root.table()?;
        let list = top.require("rule")?;
        top.deny_unknown("in a rules file (each rule is a [[rule]])")?;
        for node in list.array()? {
            let rule = compile_rule(&node)?;
            match self.rules.iter_mut().find(|r| r.id == rule.id) {
                Some(existing) => *existing = rule,
                None => self.rules.push(rule),
            }
        }
        Ok(())
    }

    /// Every rule an `evidence.with` names exists (once all files are loaded: a later file may
    /// define it).
    pub fn check_references(&self) -> Result<(), Error> {
        for r in &self.rules {
            for id in r.evidence.iter().flat_map(|e| &e.with) {
                if self.get(id).is_none() {
                    return Err(Error::config(format!(
                        "{}: rule `{}`: `evidence.with` names `{id}`, which no rule file defines",
                        r.origin, r.id
                    )));
                }
            }
        }
        Ok(())
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| &*r.id == id)
    }
}

fn compile_rule(node: &Node<'_, '_>) -> Result<Rule, Error> {
    let t = node.table()?;
    let id = t.require("id")?.str()?.to_string();
    // From here on, errors name the rule.
    let ctx = |e: Error| Error::config(format!("{} (rule `{id}`)", e.message()));
    let entity = t.require("entity").and_then(|n| n.str().map(str::to_string)).map_err(ctx)?;
    let description = t.require("description").and_then(|n| n.str().map(str::to_string)).map_err(ctx)?;
    let regex_node = t.require("regex").map_err(ctx)?;
    let regex_text = regex_node.str().map_err(ctx)?;
    let regex = Regex::new(regex_text).map_err(|e| {
        ctx(regex_node.error(format!("invalid regex: {}", e.to_string().lines().last().unwrap_or("").trim())))
    })?;
    let strings = |key: &'static str| -> Result<Vec<String>, Error> {
        match t.get(key) {
            None => Ok(Vec::new()),
            Some(n) => n.array()?.iter().map(|x| x.str().map(str::to_string)).collect(),
        }
    };
    let keywords: Vec<String> = strings("keywords").map_err(ctx)?.into_iter().map(|k| k.to_ascii_lowercase()).collect();
    let column_hints: Vec<String> = strings("column_hints").map_err(ctx)?.iter().map(|h| normalise_column(h)).collect();
    let exclude_hints: Vec<String> =
        strings("exclude_hints").map_err(ctx)?.iter().map(|h| normalise_column(h)).collect();
    let min_digits = t.get("min_digits").map(|n| n.u64()).transpose().map_err(ctx)?.unwrap_or(0) as usize;
    let requires_hint = t.get("requires_hint").map(|n| n.bool()).transpose().map_err(ctx)?.unwrap_or(false);
    if requires_hint && column_hints.is_empty() {
        return Err(ctx(node.error("`requires_hint = true` needs `column_hints`")));
    }
    let validator = match t.get("validator") {
        None => None,
        Some(n) => {
            let name = n.str().map_err(ctx)?;
            let v = validate::validator(name).ok_or_else(|| {
                ctx(n.error(format!("unknown validator `{name}`; validators: {}", validate::names().join(", "))))
            })?;
            Some((name.to_string(), v))
        }
    };
    let reserved = match t.get("reserved") {
        None => None,
        Some(n) => {
            let name = n.str().map_err(ctx)?;
            let r = Reserved::parse(name).ok_or_else(|| {
                let mut valid: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
                valid.extend(["email", "phone"]);
                ctx(n.error(format!("unknown reserved range `{name}`; valid: {}", valid.join(", "))))
            })?;
            Some(r)
        }
    };
    let evidence = match t.get("evidence") {
        None => None,
        Some(n) => {
            let et = n.table().map_err(ctx)?;
            let share = et.require("share").and_then(|x| x.probability()).map_err(ctx)?;
            let distinct = et.get("distinct").map(|x| x.u64()).transpose().map_err(ctx)?.unwrap_or(1) as usize;
            if distinct > Evidence::DISTINCT_CAP {
                return Err(ctx(n.error(format!("`distinct` is at most {}", Evidence::DISTINCT_CAP))));
            }
            let with = match et.get("with") {
                None => Vec::new(),
                Some(w) => w
                    .array()
                    .map_err(ctx)?
                    .iter()
                    .map(|x| x.str().map(str::to_string))
                    .collect::<Result<_, _>>()
                    .map_err(ctx)?,
            };
            et.deny_unknown("in `evidence` (share, distinct, with)").map_err(ctx)?;
            Some(Evidence { share, distinct, with })
        }
    };
    let confidence_node = t.require("confidence").map_err(ctx)?;
    let confidence = confidence_node.probability().map_err(ctx)?;
    let source = t.get("source").map(|n| n.str().map(str::to_string)).transpose().map_err(ctx)?.unwrap_or_default();
    let examples = |key: &'static str| -> Result<Vec<Example>, Error> {
        let Some(list) = t.get(key) else {
            return Err(node.error(format!("missing `[[rule.{key}]]` examples; every rule carries its own")));
        };
        let mut out = Vec::new();
        for e in list.array()? {
            let et = e.table()?;
            let value = et.require("value")?.str()?.to_string();
            let reason = et.require("reason")?.str()?.to_string();
            if reason.trim().is_empty() {
                return Err(e.error("an example needs a reason"));
            }
            let column = et.get("column").map(|n| n.str().map(str::to_string)).transpose()?;
            let reserved = et.get("reserved").map(|n| n.bool()).transpose()?.unwrap_or(false);
            et.deny_unknown("in an example")?;
            out.push(Example { value, reason, column, reserved });
        }
        if out.is_empty() {
            return Err(list.error(format!("`{key}` needs at least one example")));
        }
        Ok(out)
    };
    let positive = examples("positive").map_err(ctx)?;
    let negative = examples("negative").map_err(ctx)?;
    t.deny_unknown("in a rule").map_err(ctx)?;
    Ok(Rule {
        id: Arc::from(id.as_str()),
        entity: Arc::from(entity.as_str()),
        description,
        regex,
        keyword_set: (!keywords.is_empty()).then(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(&keywords)
                .expect("a handful of short keywords always build")
        }),
        keywords,
        min_digits,
        precheck: validator.as_ref().and_then(|(name, _)| validate::precheck(name)),
        validator,
        column_hints,
        requires_hint,
        exclude_hints,
        reserved,
        evidence,
        confidence,
        source,
        positive,
        negative,
        origin: format!("{}:{}", node.src.name, node.line()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_rule_matches_its_own_examples() {
        let set = RuleSet::defaults().expect("default rules load");
        let mut failures = Vec::new();
        for r in &set.rules {
            for (e, what) in r.failing_examples() {
                failures.push(format!("{} ({}): {:?} — {what}; reason: {}", r.id, r.origin, e.value, e.reason));
            }
        }
        assert!(failures.is_empty(), "{} failing examples:\n{}", failures.len(), failures.join("\n"));
    }

    #[test]
    fn column_names_are_normalised_for_hints() {
        assert_eq!(normalise_column("Customer E-Mail"), "customer_e_mail");
        assert_eq!(normalise_column("DOB"), "dob");
    }
}
