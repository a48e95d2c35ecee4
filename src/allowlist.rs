//! Allowlist: reviewed exceptions that stop a finding from counting as personal data.
//!
//! Each entry names a column (exact name or glob) and/or a value pattern, optionally one rule,
//! and the files and/or targets it applies to (never everything everywhere), and carries who
//! approved it, why, and when it expires. An expired entry suppresses nothing;
//! [`Allowlist::expired`] lists them so the caller can warn.

use std::path::Path;

use globset::{GlobBuilder, GlobMatcher};
use regex::Regex;
use toml::de::DeValue;

use crate::error::Error;
use crate::toml_cursor::{parse, Node, Source};

/// One reviewed exception.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Column name or glob (`*_email`), as written.
    pub column: Option<String>,
    column_glob: Option<GlobMatcher>,
    /// Whether the entry has a value pattern. The pattern itself is never exposed in messages:
    /// it may spell out the very value it allows.
    value: Option<Regex>,
    /// Rule id the entry is limited to; `None` allows any rule.
    pub rule: Option<String>,
    /// Globs of the input files the entry applies to (relative ones against the folder of the
    /// file that declared it); empty: any input, as long as `targets` names the target.
    files: Vec<(String, GlobMatcher)>,
    /// Environment names (`test`) or target location globs; empty: any target of `files`.
    targets: Vec<(String, Option<GlobMatcher>)>,
    /// The folder of the file that declared the entry.
    base: std::path::PathBuf,
    pub reason: String,
    pub author: String,
    /// First day (days since 1970-01-01) on which the entry no longer applies.
    pub expires: i32,
    /// `file:line` the entry was read from.
    pub origin: String,
}

impl Entry {
    /// Whether the entry still applies on `today` (days since 1970-01-01). An entry expires at
    /// the start of its `expires` date.
    pub fn is_active(&self, today: i32) -> bool {
        today < self.expires
    }

    pub fn has_value_pattern(&self) -> bool {
        self.value.is_some()
    }

    /// `YYYY-MM-DD` of the expiry date.
    pub fn expires_text(&self) -> String {
        let mut out = Vec::with_capacity(10);
        crate::temporal::write_date(self.expires, &mut out);
        String::from_utf8(out).expect("dates are ASCII")
    }

    /// Whether the entry covers this finding, ignoring its expiry.
    pub fn covers(&self, column: &str, rule: &str, matched: &str) -> bool {
        let column_ok = match (&self.column, &self.column_glob) {
            (Some(name), glob) => name == column || glob.as_ref().is_some_and(|g| g.is_match(column)),
            (None, _) => true,
        };
        column_ok
            && self.rule.as_deref().is_none_or(|r| r == rule)
            && self.value.as_ref().is_none_or(|re| re.is_match(matched))
    }

    /// Whether the entry applies to reading `source` for `target` (`None`: a scan, no target).
    pub fn applies(&self, source: &Path, target: Option<&crate::gate::Target>) -> bool {
        let files_ok = self.files.is_empty() || {
            let abs = crate::env::absolute(source, &crate::env::current_dir());
            let rel = abs.strip_prefix(&self.base).ok();
            self.files.iter().any(|(_, g)| g.is_match(source) || g.is_match(&abs) || rel.is_some_and(|r| g.is_match(r)))
        };
        let targets_ok = self.targets.is_empty()
            || target.is_some_and(|t| {
                self.targets.iter().any(|(name, glob)| {
                    t.environment.is_some_and(|e| e.name() == name)
                        || glob.as_ref().is_some_and(|g| g.is_match(&t.location))
                })
            });
        files_ok && targets_ok
    }

    /// What the entry is about, without its value pattern: `column support_email, rule email`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = &self.column {
            parts.push(format!("column {c}"));
        }
        if self.value.is_some() {
            parts.push("a value pattern".to_string());
        }
        if let Some(r) = &self.rule {
            parts.push(format!("rule {r}"));
        }
        if !self.files.is_empty() {
            parts.push(format!("files {}", self.files.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>().join(", ")));
        }
        if !self.targets.is_empty() {
            parts.push(format!(
                "targets {}",
                self.targets.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>().join(", ")
            ));
        }
        format!("{} ({})", parts.join(", "), self.origin)
    }

    /// The warning for an expired entry. Never includes the value pattern.
    pub fn expiry_warning(&self) -> String {
        let what = match &self.column {
            Some(c) => format!("for column {c}"),
            None => format!("at {}", self.origin),
        };
        format!(
            "allowlist entry {what} ({}, {}) expired on {}; it no longer suppresses findings",
            self.author,
            self.reason,
            self.expires_text()
        )
    }
}

/// Reviewed exceptions, from an environments file's `[[allow]]` or a separate file.
#[derive(Clone, Debug, Default)]
pub struct Allowlist {
    entries: Vec<Entry>,
}

impl Allowlist {
    /// Reads a separate allowlist file: `[[allow]]` tables and nothing else.
    pub fn load(path: &Path) -> Result<Allowlist, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::config(Error::io("cannot read allowlist", path, e).message().to_string()))?;
        let base = crate::env::absolute(path.parent().unwrap_or(Path::new(".")), &crate::env::current_dir());
        Allowlist::from_toml_in(&path.display().to_string(), &text, &base)
    }

    /// Parses allowlist text; `name` is used in messages; relative `files` globs are taken
    /// against the current folder.
    pub fn from_toml(name: &str, text: &str) -> Result<Allowlist, Error> {
        Allowlist::from_toml_in(name, text, &crate::env::current_dir())
    }

    /// Parses allowlist text whose relative `files` globs are taken against `base`.
    pub fn from_toml_in(name: &str, text: &str, base: &Path) -> Result<Allowlist, Error> {
        let src = Source { name, text };
        let doc = parse(&src)?;
        let root = Node { src: &src, path: String::new(), value: &doc };
        let top = root.table()?;
        let list = match top.get("allow") {
            Some(n) => Allowlist::load_entries(&n, base)?,
            None => Allowlist::default(),
        };
        top.deny_unknown("in an allowlist file (entries go in [[allow]] tables)")?;
        Ok(list)
    }

    /// Entries from an `allow` array of tables (the `[[allow]]` of any config file in `base`).
    pub fn load_entries(node: &Node<'_, '_>, base: &Path) -> Result<Allowlist, Error> {
        let entries = node.array()?.iter().map(|n| parse_entry(n, base)).collect::<Result<Vec<_>, _>>()?;
        Ok(Allowlist { entries })
    }

    /// The entries that apply to reading `source` for `target` (`None`: a scan).
    pub fn scoped(&self, source: &Path, target: Option<&crate::gate::Target>) -> Allowlist {
        Allowlist { entries: self.entries.iter().filter(|e| e.applies(source, target)).cloned().collect() }
    }

    pub fn from_entries(entries: Vec<Entry>) -> Allowlist {
        Allowlist { entries }
    }

    /// Adds another list's entries after this one's.
    pub fn extend(&mut self, other: Allowlist) {
        self.entries.extend(other.entries);
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether an unexpired entry covers a match of `rule` in `column` whose text is `matched`.
    pub fn allows(&self, column: &str, rule: &str, matched: &str, today_days: i32) -> bool {
        self.entries.iter().any(|e| e.is_active(today_days) && e.covers(column, rule, matched))
    }

    /// Entries that have expired by `today`, for warnings ([`Entry::expiry_warning`]).
    pub fn expired(&self, today: i32) -> Vec<&Entry> {
        self.entries.iter().filter(|e| !e.is_active(today)).collect()
    }
}

/// Today's date in UTC, as days since 1970-01-01.
pub fn today() -> i32 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    secs.div_euclid(86_400) as i32
}

fn required_text(t: &crate::toml_cursor::TableNode<'_, '_>, key: &'static str, why: &str) -> Result<String, Error> {
    let node = t.get(key).ok_or_else(|| t.node.error(format!("missing key `{key}`: {why}")))?;
    let s = node.str()?.trim();
    if s.is_empty() {
        return Err(node.error(format!("must not be empty: {why}")));
    }
    Ok(s.to_string())
}

/// A list of strings under `key` (one string is a list of one).
fn string_list(t: &crate::toml_cursor::TableNode<'_, '_>, key: &'static str) -> Result<Vec<(String, usize)>, Error> {
    let Some(n) = t.get(key) else { return Ok(Vec::new()) };
    let items: Vec<String> = match n.value() {
        DeValue::Array(_) => n.array()?.iter().map(|i| i.str().map(str::to_string)).collect::<Result<_, _>>()?,
        _ => vec![n.str()?.to_string()],
    };
    if items.is_empty() || items.iter().any(|s| s.trim().is_empty()) {
        return Err(n.error("must list at least one non-empty name or glob"));
    }
    Ok(items.into_iter().map(|s| (s, n.line())).collect())
}

fn glob(pattern: &str) -> Option<GlobMatcher> {
    GlobBuilder::new(pattern).literal_separator(true).backslash_escape(false).build().ok().map(|g| g.compile_matcher())
}

fn parse_entry(node: &Node<'_, '_>, base: &Path) -> Result<Entry, Error> {
    let t = node.table()?;
    let origin = format!("{}:{}", node.src.name, node.line());

    let (column, column_glob) = match t.get("column") {
        Some(n) => {
            let name = n.str()?;
            if name.is_empty() {
                return Err(n.error("must not be empty"));
            }
            // An exact name always matches itself, even one such as `items[*].email` that is
            // not a valid glob or means something else as one.
            let glob = GlobBuilder::new(name).backslash_escape(false).build().ok().map(|g| g.compile_matcher());
            (Some(name.to_string()), glob)
        }
        None => (None, None),
    };
    let value = match t.get("value") {
        Some(n) => {
            let pattern = n.str()?;
            // The error names the entry, not the pattern: the pattern may be a real value.
            let invalid = || n.error("is not a valid regular expression (the pattern is not repeated here)");
            // Compiled alone first: a pattern such as `a)|(.*` would otherwise escape the anchors.
            Regex::new(pattern).map_err(|_| invalid())?;
            let re = Regex::new(&format!("^(?:{pattern})$")).map_err(|_| invalid())?;
            Some(re)
        }
        None => None,
    };
    if column.is_none() && value.is_none() {
        return Err(node.error("an allowlist entry needs `column` (a name or glob), `value` (a regex), or both"));
    }
    let rule = match t.get("rule") {
        Some(n) => Some(n.str()?.to_string()),
        None => None,
    };
    let mut files = Vec::new();
    for (f, _) in string_list(&t, "files")? {
        let g = glob(&f).ok_or_else(|| node.error(format!("`files`: `{f}` is not a valid glob")))?;
        files.push((f, g));
    }
    let targets: Vec<(String, Option<GlobMatcher>)> = string_list(&t, "targets")?
        .into_iter()
        .map(|(s, _)| {
            let g = if crate::gate::Environment::parse(&s).is_some() { None } else { glob(&s) };
            (s, g)
        })
        .collect();
    if files.is_empty() && targets.is_empty() {
        return Err(node.error(
            "an allowlist entry must name what it applies to: `files` (globs of input files) and/or \
             `targets` (environment names or target globs)",
        ));
    }
    let reason = required_text(&t, "reason", "say why this exception is safe")?;
    let author = required_text(&t, "author", "say who reviewed this exception")?;
    let expires_node = t
        .get("expires")
        .ok_or_else(|| node.error("missing key `expires`: every exception needs an end date (YYYY-MM-DD)"))?;
    let expires_text = match expires_node.value() {
        DeValue::Datetime(d) => d.to_string(),
        _ => expires_node.str()?.to_string(),
    };
    let expires = crate::temporal::parse_date(&expires_text)
        .ok_or_else(|| expires_node.error(format!("`{expires_text}` is not a date; write YYYY-MM-DD")))?;
    t.deny_unknown("in an allowlist entry")?;
    Ok(Entry {
        column,
        column_glob,
        value,
        rule,
        files,
        targets,
        base: base.to_path_buf(),
        reason,
        author,
        expires,
        origin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::temporal::parse_date;

    fn day(s: &str) -> i32 {
        parse_date(s).unwrap()
    }

    fn list(text: &str) -> Allowlist {
        Allowlist::from_toml("allow.toml", text).unwrap()
    }

    fn load_error(text: &str) -> String {
        Allowlist::from_toml("allow.toml", text).unwrap_err().message().to_string()
    }

    const SUPPORT: &str = r#"
[[allow]]
targets = ["test"]
column = "support_email"
rule = "email"
reason = "shared support inbox, not a person"
author = "alice"
expires = "2027-01-31"
"#;

    #[test]
    fn allows_an_exact_column_and_rule_until_it_expires() {
        let a = list(SUPPORT);
        assert!(a.allows("support_email", "email", "help@acme.co.uk", day("2027-01-30")));
        assert!(!a.allows("support_email", "email", "help@acme.co.uk", day("2027-01-31")), "expired on its date");
        assert!(!a.allows("support_email", "phone", "help@acme.co.uk", day("2026-01-01")), "other rule");
        assert!(!a.allows("customer_email", "email", "help@acme.co.uk", day("2026-01-01")), "other column");
    }

    #[test]
    fn column_globs_match_and_json_paths_match_exactly() {
        let a = list(
            r#"
[[allow]]
targets = ["test"]
column = "*_inbox"
reason = "team inboxes"
author = "bob"
expires = 2027-06-01
[[allow]]
targets = ["test"]
column = "contacts[*].fax"
reason = "fax numbers are switchboards"
author = "bob"
expires = 2027-06-01
"#,
        );
        let today = day("2026-06-01");
        assert!(a.allows("sales_inbox", "email", "x", today));
        assert!(a.allows("ops_inbox", "phone", "x", today), "no rule: any rule");
        assert!(!a.allows("inbox", "email", "x", today));
        assert!(a.allows("contacts[*].fax", "phone", "x", today));
    }

    #[test]
    fn a_value_pattern_must_match_the_whole_matched_text() {
        let a = list(
            r#"
[[allow]]
targets = ["test"]
value = 'noreply@acme\.com'
reason = "system sender"
author = "carol"
expires = "2027-01-01"
"#,
        );
        let today = day("2026-01-01");
        assert!(a.allows("any_column", "email", "noreply@acme.com", today));
        assert!(!a.allows("any_column", "email", "xnoreply@acme.com", today));
        assert!(!a.allows("any_column", "email", "noreply@acme.com.evil", today));
        let err = load_error(
            "[[allow]]\ntargets = ['test']\nvalue = 'a)|(.*'\nreason = 'r'\nauthor = 'a'\nexpires = '2027-01-01'\n",
        );
        assert!(err.contains("not a valid regular expression"), "{err}");
    }

    #[test]
    fn column_and_value_must_both_match_when_both_are_given() {
        let a = list(
            r#"
[[allow]]
targets = ["test"]
column = "from"
value = '.*@acme\.com'
reason = "our own senders"
author = "dan"
expires = "2027-01-01"
"#,
        );
        let today = day("2026-01-01");
        assert!(a.allows("from", "email", "ops@acme.com", today));
        assert!(!a.allows("from", "email", "jane@gmail.com", today));
        assert!(!a.allows("to", "email", "ops@acme.com", today));
    }

    #[test]
    fn expired_lists_entries_with_a_warning_that_names_author_reason_and_date() {
        let a = list(SUPPORT);
        assert!(a.expired(day("2027-01-30")).is_empty());
        let expired = a.expired(day("2027-02-01"));
        assert_eq!(expired.len(), 1);
        assert_eq!(
            expired[0].expiry_warning(),
            "allowlist entry for column support_email (alice, shared support inbox, not a person) expired on \
             2027-01-31; it no longer suppresses findings"
        );
    }

    #[test]
    fn warnings_and_errors_never_repeat_a_value_pattern() {
        let a = list(
            r#"
[[allow]]
targets = ["test"]
value = 'jane\.doe@corp\.com'
reason = "test account"
author = "erin"
expires = "2020-01-01"
"#,
        );
        let w = a.expired(day("2026-01-01"))[0].expiry_warning();
        assert!(w.contains("allow.toml:2"), "{w}");
        assert!(!w.contains("jane"), "{w}");
        assert!(!a.entries()[0].describe().contains("jane"));
        let err =
            load_error("[[allow]]\ntargets = ['test']\nvalue = 'jane.doe(@corp'\nreason = 'r'\nauthor = 'a'\nexpires = '2027-01-01'\n");
        assert!(err.contains("allow.toml:3") && err.contains("allow[0].value"), "{err}");
        assert!(!err.contains("jane"), "{err}");
    }

    #[test]
    fn reason_author_and_expires_are_required() {
        let base = "[[allow]]\ntargets = 'test'\ncolumn = 'c'\n";
        let err = load_error(&format!("{base}author = 'a'\nexpires = '2027-01-01'\n"));
        assert!(err.contains("missing key `reason`"), "{err}");
        let err = load_error(&format!("{base}reason = 'r'\nexpires = '2027-01-01'\n"));
        assert!(err.contains("missing key `author`"), "{err}");
        let err = load_error(&format!("{base}reason = 'r'\nauthor = 'a'\n"));
        assert!(err.contains("missing key `expires`"), "{err}");
        let err = load_error(&format!("{base}reason = ' '\nauthor = 'a'\nexpires = '2027-01-01'\n"));
        assert!(err.contains("must not be empty"), "{err}");
        let err = load_error(&format!("{base}reason = 'r'\nauthor = 'a'\nexpires = '2027-02-30'\n"));
        assert!(
            err.contains("allow.toml:6") && err.contains("allow[0].expires") && err.contains("YYYY-MM-DD"),
            "{err}"
        );
    }

    #[test]
    fn an_entry_needs_a_column_or_a_value_and_unknown_keys_are_rejected() {
        let err = load_error(
            "[[allow]]\ntargets = 'test'\nrule = 'email'\nreason = 'r'\nauthor = 'a'\nexpires = '2027-01-01'\n",
        );
        assert!(err.contains("needs `column`"), "{err}");
        let err =
            load_error("[[allow]]\ntargets = 'test'\ncolumn = 'c'\nreason = 'r'\nauthor = 'a'\nexpires = '2027-01-01'\nexpiry = 'x'\n");
        assert!(err.contains("unknown key `expiry`"), "{err}");
        let err = load_error("[allow]\ncolumn = 'c'\n");
        assert!(err.contains("expected an array"), "{err}");
    }

    #[test]
    fn an_entry_must_name_its_files_or_targets_and_applies_only_there() {
        let err = load_error("[[allow]]\ncolumn = 'c'\nreason = 'r'\nauthor = 'a'\nexpires = '2027-01-01'\n");
        assert!(err.contains("`files`") && err.contains("`targets`"), "{err}");
        let err =
            load_error("[[allow]]\nfiles = []\ncolumn = 'c'\nreason = 'r'\nauthor = 'a'\nexpires = '2027-01-01'\n");
        assert!(err.contains("at least one"), "{err}");

        let base = Path::new("/srv/exports");
        let a = Allowlist::from_toml_in(
            "allow.toml",
            r#"
[[allow]]
files = ["crm/*.csv"]
targets = ["test"]
column = "support_email"
reason = "shared inbox"
author = "alice"
expires = "2999-01-01"
"#,
            base,
        )
        .unwrap();
        use crate::gate::{Environment, Target};
        let test = Target { location: "/srv/test/x.csv".into(), environment: Some(Environment::Test) };
        let stage = Target { location: "/srv/stage/x.csv".into(), environment: Some(Environment::Stage) };
        let inside = Path::new("/srv/exports/crm/contacts.csv");
        assert!(a.scoped(inside, Some(&test)).allows("support_email", "email", "x", 0));
        assert!(a.scoped(inside, Some(&stage)).is_empty(), "another target");
        assert!(a.scoped(Path::new("/srv/exports/hr/people.csv"), Some(&test)).is_empty(), "another file");
        assert!(a.scoped(Path::new("/srv/exports/crm/deep/x.csv"), Some(&test)).is_empty(), "`*` stays in its folder");
        assert!(a.scoped(inside, None).is_empty(), "a scan has no target");
    }
}
