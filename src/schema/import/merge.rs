//! Importing again over a schema the user has edited: what the database did not change keeps
//! the user's text, what it changed is imported afresh, and every difference is listed.
//!
//! The import writes each column as one line ending in a comment with what the database
//! declares (`email = { gen = "email" }  # varchar(254), not null, unique`) and each table
//! under a comment block with its keys and checks. A column whose declaration is unchanged
//! keeps the user's line; a table whose keys and checks are unchanged keeps the user's size
//! (`rows`, `per`, `count`) and scenarios; the top-level `name`, `locale` and `seed` are the
//! user's.

use std::collections::HashMap;

/// One table's part of a schema file.
#[derive(Debug, Default)]
struct Block {
    /// The comment lines just above `[tables.NAME]` (source, keys, checks).
    about: Vec<String>,
    /// `[tables.NAME]` and the lines up to `[tables.NAME.columns]`.
    head: Vec<String>,
    /// Column lines in order, each with the comment lines above it: (name, comments, line).
    columns: Vec<(String, Vec<String>, String)>,
    /// Lines after the columns that are not columns: scenarios and the user's own additions.
    tail: Vec<String>,
}

struct File {
    top: Vec<String>,
    tables: Vec<(String, Block)>,
}

fn parse(text: &str) -> File {
    let mut top = Vec::new();
    let mut tables: Vec<(String, Block)> = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    // 0: top, 1: table head, 2: columns, 3: tail.
    let mut part = 0;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(name) = header(trimmed) {
            match name {
                Header::Table(n) => {
                    let about = std::mem::take(&mut pending).into_iter().filter(|l| !l.trim().is_empty()).collect();
                    tables.push((n.to_string(), Block { about, head: vec![line.to_string()], ..Block::default() }));
                    part = 1;
                }
                Header::Columns => {
                    if let Some((_, b)) = tables.last_mut() {
                        b.head.append(&mut pending);
                        b.head.push(line.to_string());
                    }
                    part = 2;
                }
                Header::Other => {
                    if let Some((_, b)) = tables.last_mut() {
                        b.tail.append(&mut pending);
                        b.tail.push(line.to_string());
                    }
                    part = 3;
                }
            }
            continue;
        }
        if trimmed.starts_with('#') || trimmed.is_empty() {
            pending.push(line.to_string());
            continue;
        }
        match part {
            0 => {
                top.append(&mut pending);
                top.push(line.to_string());
            }
            1 => {
                let b = &mut tables.last_mut().expect("in a table").1;
                b.head.append(&mut pending);
                b.head.push(line.to_string());
            }
            2 => {
                let b = &mut tables.last_mut().expect("in a table").1;
                let name = line.split('=').next().unwrap_or("").trim().trim_matches('"').to_string();
                let comments = std::mem::take(&mut pending).into_iter().filter(|l| !l.trim().is_empty()).collect();
                b.columns.push((name, comments, line.to_string()));
            }
            _ => {
                let b = &mut tables.last_mut().expect("in a table").1;
                b.tail.append(&mut pending);
                b.tail.push(line.to_string());
            }
        }
    }
    if part == 0 {
        top.append(&mut pending);
    }
    File { top, tables }
}

enum Header<'a> {
    Table(&'a str),
    Columns,
    Other,
}

fn header(line: &str) -> Option<Header<'_>> {
    if line.starts_with("[[") {
        return Some(Header::Other);
    }
    let inner = line.strip_prefix("[tables.")?.strip_suffix(']')?;
    // The table's key: bare, or quoted (`"billing.invoices"`).
    let (name, rest) = match inner.strip_prefix('"') {
        Some(q) => {
            let end = q.find('"')?;
            (&q[..end], &q[end + 1..])
        }
        None => match inner.find('.') {
            Some(i) => (&inner[..i], &inner[i..]),
            None => (inner, ""),
        },
    };
    Some(match rest {
        "" => Header::Table(name),
        ".columns" => Header::Columns,
        _ => Header::Other,
    })
}

/// What a column line says the database declares (its trailing comment).
fn declared(line: &str) -> Option<&str> {
    line.rfind("  # ").map(|i| line[i + 4..].trim())
}

/// The value of `key = …` among `lines`.
fn setting<'a>(lines: &'a [String], key: &str) -> Option<&'a String> {
    lines.iter().find(|l| l.split('=').next().is_some_and(|k| k.trim() == key))
}

/// Merges a fresh import into the user's file: returns the text and the differences found.
pub fn merge(old: &str, new: &str) -> (String, Vec<String>) {
    let old = parse(old);
    let new = parse(new);
    let mut changes = Vec::new();
    let mut out = String::new();
    for line in &new.top {
        let key = line.split('=').next().unwrap_or("").trim();
        let kept = (!line.trim_start().starts_with('#') && !key.is_empty()).then(|| setting(&old.top, key)).flatten();
        out.push_str(kept.unwrap_or(line));
        out.push('\n');
    }
    let olds: HashMap<&str, &Block> = old.tables.iter().map(|(n, b)| (n.as_str(), b)).collect();
    for (name, nb) in &new.tables {
        if !out.ends_with("\n\n") {
            out.push('\n');
        }
        for l in &nb.about {
            out.push_str(l);
            out.push('\n');
        }
        let Some(ob) = olds.get(name.as_str()) else {
            changes.push(format!("table {name}: new"));
            write_block(&mut out, &nb.head, &nb.columns, &[]);
            continue;
        };
        let same_keys = strip_blank(&ob.about) == strip_blank(&nb.about);
        let head = if same_keys {
            &ob.head
        } else {
            changes.push(format!(
                "table {name}: keys, checks or size in the database changed; its size is imported again"
            ));
            &nb.head
        };
        let mut columns = Vec::new();
        for (cname, comments, line) in &nb.columns {
            match ob.columns.iter().find(|(n, _, _)| n == cname) {
                Some((_, oc, ol)) if declared(ol) == declared(line) && same_keys => {
                    // The user's line, and the user's comments above it.
                    columns.push((cname.clone(), oc.clone(), ol.clone()));
                }
                Some((_, _, ol)) => {
                    if declared(ol) != declared(line) {
                        changes.push(format!(
                            "column {name}.{cname}: was `{}`, now `{}`; imported again",
                            declared(ol).unwrap_or("?"),
                            declared(line).unwrap_or("?")
                        ));
                    } else if ol != line {
                        changes.push(format!("column {name}.{cname}: imported again with its table's new checks"));
                    }
                    columns.push((cname.clone(), comments.clone(), line.clone()));
                }
                None => {
                    changes.push(format!("column {name}.{cname}: new"));
                    columns.push((cname.clone(), comments.clone(), line.clone()));
                }
            }
        }
        for (cname, _, _) in &ob.columns {
            if !nb.columns.iter().any(|(n, _, _)| n == cname) {
                changes.push(format!("column {name}.{cname}: no longer in the database; removed"));
            }
        }
        let tail: &[String] = if same_keys { &ob.tail } else { &[] };
        if !same_keys && ob.tail.iter().any(|l| !l.trim().is_empty()) {
            changes.push(format!("table {name}: its scenarios were dropped with the old keys; add them again"));
        }
        write_block(&mut out, head, &columns, tail);
    }
    for (name, _) in &old.tables {
        if !new.tables.iter().any(|(n, _)| n == name) {
            changes.push(format!("table {name}: no longer in the database; removed"));
        }
    }
    (out, changes)
}

fn strip_blank(lines: &[String]) -> Vec<&str> {
    lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect()
}

fn write_block(out: &mut String, head: &[String], columns: &[(String, Vec<String>, String)], tail: &[String]) {
    for l in head {
        out.push_str(l);
        out.push('\n');
    }
    for (_, comments, line) in columns {
        for c in comments {
            out.push_str(c);
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
    }
    for l in tail {
        out.push_str(l);
        out.push('\n');
    }
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIRST: &str = r#"# imported
name = "app"
locale = "en_GB"
seed = 1

# customers — 3 columns; primary key (id)
[tables.customers]
rows = 500

[tables.customers.columns]
id = { gen = "sequence", start = 1 }  # integer, not null, primary key
email = "email"  # varchar(254), not null
note = { gen = "lorem", words = [1, 3] }  # text

# orders — 2 columns; primary key (id)
[tables.orders]
rows = 2000

[tables.orders.columns]
id = { gen = "sequence", start = 1 }  # integer, not null, primary key
customer_id = { ref = "customers.id" }  # integer, not null, references customers.id
"#;

    #[test]
    fn edits_survive_where_the_database_did_not_change() {
        // The user edits a size, a column, the seed, and adds a scenario.
        let edited = FIRST
            .replace("rows = 500", "rows = 42")
            .replace("seed = 1", "seed = 7")
            .replace("email = \"email\"", "email = { gen = \"email\", domain = \"example.org\" }")
            .replace(
                "note = { gen = \"lorem\", words = [1, 3] }  # text",
                "note = { gen = \"lorem\", words = [1, 3] }  # text\n\n[[tables.customers.scenarios]]\nname = \"vip\"",
            );
        // The database changes: `note` becomes varchar(40), orders gains a column.
        let second = FIRST
            .replace("note = { gen = \"lorem\", words = [1, 3] }  # text", "note = { gen = \"lorem\", words = [1, 3], max_length = 40 }  # varchar(40)")
            .replace(
                "customer_id = { ref = \"customers.id\" }  # integer, not null, references customers.id",
                "customer_id = { ref = \"customers.id\" }  # integer, not null, references customers.id\nplaced_at = \"timestamp\"  # timestamp",
            );
        let (merged, changes) = merge(&edited, &second);
        assert!(merged.contains("rows = 42"), "{merged}");
        assert!(merged.contains("seed = 7"), "{merged}");
        assert!(merged.contains("domain = \"example.org\""), "{merged}");
        assert!(merged.contains("max_length = 40"), "{merged}");
        assert!(merged.contains("placed_at"), "{merged}");
        assert!(merged.contains("[[tables.customers.scenarios]]\nname = \"vip\""), "{merged}");
        assert_eq!(
            changes,
            ["column customers.note: was `text`, now `varchar(40)`; imported again", "column orders.placed_at: new"]
        );
        // Merging a file with itself changes nothing.
        let (same, none) = merge(&second, &second);
        assert!(none.is_empty(), "{none:?}");
        assert_eq!(same.trim_end(), second.trim_end());
    }

    #[test]
    fn a_table_whose_keys_changed_is_imported_again() {
        let edited = FIRST.replace("rows = 2000", "rows = 9");
        let second = FIRST
            .replace("# orders — 2 columns; primary key (id)", "# orders — 2 columns; primary key (id, customer_id)");
        let (merged, changes) = merge(&edited, &second);
        assert!(merged.contains("rows = 2000") && !merged.contains("rows = 9"), "{merged}");
        assert_eq!(changes.len(), 1, "{changes:?}");
        let gone = FIRST.split("# orders").next().unwrap().to_string();
        let (merged, changes) = merge(FIRST, &gone);
        assert!(!merged.contains("[tables.orders]"));
        assert_eq!(changes, ["table orders: no longer in the database; removed"]);
    }
}
