//! `policy suggest`: a complete, commented policy from scans of the files it will scrub. Every
//! column is listed: personal data gets a transform that fits its entity, the rest `keep`.
//! The comments give counts and rule names only, never a value.

use std::fmt::Write;

use crate::detect::{ColumnSummary, RuleFinding};

use super::pseudonym::Entity;

/// One scanned table: its name (the file name without extensions) and its columns.
pub struct Scanned<'a> {
    pub table: &'a str,
    pub file: &'a str,
    pub columns: &'a [ColumnSummary],
}

/// The policy text. `today` (`YYYY-MM-DD`) fixes age bands, so that runs agree.
pub fn suggest(tables: &[Scanned<'_>], today: &str) -> String {
    let mut out = String::new();
    let files: Vec<&str> = tables.iter().map(|t| t.file).collect();
    let _ = writeln!(out, "# synthgate scrub policy, suggested from a scan of {}.", files.join(", "));
    out.push_str(
        "# Review every line: the scan proposes, you decide. Columns found to hold personal data get\n\
         # a transform; the rest are kept as they are, and the gate still scans them when you scrub.\n\
         # Transforms: keep, drop, null, redact, mask, hash, pseudonymise, generalise, shift_dates,\n\
         # free_text. See the README's section on scrubbing.\n\
         version = 1\n\
         # A column this policy does not name is an error (\"error\"); or say \"drop\" or \"keep\".\n\
         unmentioned = \"error\"\n",
    );
    // One [columns] section; a column another table has with a different suggestion gets a
    // section of its own.
    let mut shared: Vec<Line> = Vec::new();
    let mut own: Vec<(&str, Vec<Line>)> = Vec::new();
    for t in tables {
        let mut mine = Vec::new();
        for c in t.columns {
            let (entry, comment) = entry_for(c, today);
            match shared.iter().find(|(n, _, _)| *n == c.name) {
                Some((_, e, _)) if *e == entry => {}
                Some(_) => mine.push((c.name.clone(), entry, comment)),
                None => shared.push((c.name.clone(), entry, comment)),
            }
        }
        if !mine.is_empty() {
            own.push((t.table, mine));
        }
    }
    out.push_str("\n[columns]\n");
    write_entries(&mut out, &shared);
    for (table, entries) in own {
        let _ = writeln!(out, "\n[tables.{}.columns]", key(table));
        write_entries(&mut out, &entries);
    }
    out
}

/// A policy line: column, entry, comment.
type Line = (String, String, String);

fn write_entries(out: &mut String, entries: &[Line]) {
    for (name, entry, comment) in entries {
        let _ = writeln!(
            out,
            "{} = {entry}{}",
            key(name),
            if comment.is_empty() { String::new() } else { format!("  # {comment}") }
        );
    }
}

/// A TOML key: bare when it can be, quoted otherwise (JSON paths).
fn key(name: &str) -> String {
    if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
        name.to_string()
    } else {
        let mut s = String::from("\"");
        for c in name.chars() {
            match c {
                '"' => s.push_str("\\\""),
                '\\' => s.push_str("\\\\"),
                c if c.is_control() => {
                    let _ = write!(s, "\\u{:04X}", c as u32);
                }
                c => s.push(c),
            }
        }
        s.push('"');
        s
    }
}

/// The entry for one column and its comment.
fn entry_for(c: &ColumnSummary, today: &str) -> (String, String) {
    // Cells by entity: two phone rules that each match half the column make a phone column.
    let mut by_entity: Vec<(&str, u64, &RuleFinding)> = Vec::new();
    for f in c.findings.iter().filter(|f| f.pid_cells() > 0) {
        match by_entity.iter_mut().find(|(e, _, _)| *e == f.entity) {
            Some((_, n, best)) => {
                *n += f.pid_cells();
                if f.hinted && !best.hinted {
                    *best = f;
                }
            }
            None => by_entity.push((&f.entity, f.pid_cells(), f)),
        }
    }
    let Some(&(_, cells, f)) = by_entity.iter().max_by_key(|(_, n, f)| (f.hinted, *n)) else {
        // Kept only where the scan shows why: every cell read and none matched, or matches in
        // the reserved (synthetic) ranges only.
        let comment = match c.findings.iter().map(|f| f.reserved_cells).sum::<u64>() {
            _ if c.cells == 0 => "empty in this scan: nothing judged, review".to_string(),
            0 => format!("no personal data in {} cells", c.cells),
            n => format!("{n} of {} cells in reserved (synthetic) ranges, no personal data", c.cells),
        };
        return ("\"keep\"".to_string(), comment);
    };
    let cells = cells.min(c.cells);
    let comment = format!(
        "{}: {} of {} cells (rule {}{})",
        f.entity,
        cells,
        c.cells,
        f.rule,
        if f.hinted { ", column name agrees" } else { "" }
    );
    // Personal data inside longer text is free text; so is a column holding more than one kind
    // of it, or holding it in only some cells when its name says nothing.
    let in_text = c.findings.iter().any(|f| f.pid_cells() > 0 && f.in_text_cells * 2 > f.cells);
    if in_text || by_entity.len() > 1 || (!f.hinted && cells * 10 < c.cells * 9) {
        return ("{ transform = \"free_text\", replace = \"token\" }".to_string(), format!("in text: {comment}"));
    }
    (transform_for(f, &c.name, today), comment)
}

fn transform_for(f: &RuleFinding, column: &str, today: &str) -> String {
    let e = f.entity.as_str();
    match e {
        "postcode" => format!("{{ transform = \"generalise\", to = \"outward_code\", entity = \"{e}\" }}"),
        "date_of_birth" => format!(
            "{{ transform = \"generalise\", to = \"age_band\", width = 10, as_of = \"{today}\", entity = \"{e}\" }}"
        ),
        "person_name" => {
            let n = column.to_ascii_lowercase();
            let which = if ["first", "given", "forename"].iter().any(|h| n.contains(h)) {
                "first_name"
            } else if ["last", "surname", "family"].iter().any(|h| n.contains(h)) {
                "last_name"
            } else {
                "person_name"
            };
            format!("{{ transform = \"pseudonymise\", entity = \"{which}\" }}")
        }
        "geo_coordinate" => format!("{{ transform = \"redact\", entity = \"{e}\" }}"),
        _ if Entity::parse(e).is_some() => format!("{{ transform = \"pseudonymise\", entity = \"{e}\" }}"),
        // No reserved range to map into: a keyed hash still joins, and reveals nothing.
        _ => format!("{{ transform = \"hash\", length = 16, entity = \"{}\" }}", key(e).trim_matches('"')),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::Lineage;
    use crate::transform::policy::{Decision, Policy, Transform};

    fn col(name: &str, cells: u64, finding: Option<(&str, &str, u64, bool)>) -> ColumnSummary {
        ColumnSummary {
            name: name.into(),
            lineage: Lineage::Input,
            cells,
            findings: finding
                .map(|(rule, entity, n, hinted)| RuleFinding {
                    rule: rule.into(),
                    entity: entity.into(),
                    confidence: 0.9,
                    cells: n,
                    reserved_cells: 0,
                    allowed_cells: 0,
                    in_text_cells: if rule == "phone-uk" { n } else { 0 },
                    hinted,
                    in_name: false,
                    samples: vec![],
                })
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn suggests_a_policy_that_loads_and_covers_every_column() {
        let cols = vec![
            col("id", 10, None),
            col("email", 10, Some(("email", "email", 10, true))),
            col("first_name", 10, Some(("person-name-part", "person_name", 9, true))),
            col("dob", 10, Some(("date-of-birth", "date_of_birth", 10, true))),
            col("notes", 10, Some(("phone-uk", "phone", 1, false))),
            col("tax id", 10, Some(("de-steuer-id", "de_steuer_id", 10, true))),
            col("address.city", 10, None),
        ];
        let text = suggest(&[Scanned { table: "customers", file: "customers.csv", columns: &cols }], "2026-01-31");
        let p = Policy::parse("suggested", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let t = |c: &str| match p.decide("customers", c) {
            Some(Decision::Entry(e)) => e.transform.clone(),
            _ => panic!("{c} missing\n{text}"),
        };
        assert!(matches!(t("id"), Transform::Keep { .. }));
        assert!(matches!(t("email"), Transform::Pseudonymise { entity: Entity::Email, .. }));
        assert!(matches!(t("first_name"), Transform::Pseudonymise { entity: Entity::FirstName, .. }));
        assert!(matches!(t("dob"), Transform::Generalise(_)));
        assert!(matches!(t("notes"), Transform::FreeText { .. }));
        assert!(matches!(t("tax id"), Transform::Hash { .. }));
        assert!(matches!(t("address.city"), Transform::Keep { .. }));
        assert!(!text.contains("@"), "no values in a suggestion:\n{text}");
    }

    #[test]
    fn a_column_suggested_differently_in_two_tables_gets_a_table_section() {
        let a = vec![col("ref", 5, Some(("email", "email", 5, true)))];
        let b = vec![col("ref", 5, None)];
        let text = suggest(
            &[Scanned { table: "a", file: "a.csv", columns: &a }, Scanned { table: "b", file: "b.csv", columns: &b }],
            "2026-01-31",
        );
        let p = Policy::parse("suggested", &text).unwrap();
        assert!(
            matches!(p.decide("b", "ref"), Some(Decision::Entry(e)) if matches!(e.transform, Transform::Keep { .. }))
        );
        assert!(matches!(p.decide("a", "ref"), Some(Decision::Entry(e)) if e.transform.name() == "pseudonymise"));
    }
}
