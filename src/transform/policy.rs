//! Scrub policies: which transform each column (or JSON path) gets, read from TOML into a
//! checked [`Policy`]. Fail closed: a column the policy does not name is an error unless the
//! policy says `unmentioned = "drop"` or `"keep"`.
//!
//! ```toml
//! version = 1
//! unmentioned = "error"          # or "drop", "keep"
//! [entities]                     # a column that names only its entity gets this transform
//! email = "pseudonymise"
//! [columns]
//! id = "keep"
//! email = { entity = "email" }
//! date_of_birth = { transform = "generalise", to = "age_band", width = 10 }
//! "address.city" = "drop"        # a JSON path; a path also covers the paths under it
//! [tables.orders.columns]        # for the file orders.csv only, before [columns]
//! placed_at = { transform = "shift_dates", by = "customer_id" }
//! ```

use std::collections::HashMap;
use std::path::Path;

use crate::error::Error;
use crate::generate::locale::{locale, Locale, LOCALE_CODES};
use crate::toml_cursor::{parse, Node, Source, TableNode};

use super::pseudonym::Entity;
use super::value::{parse_day, Encoding};

/// What happens to columns the policy does not name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unmentioned {
    Error,
    Drop,
    Keep,
}

/// How dates and numbers are coarsened.
#[derive(Clone, Debug, PartialEq)]
pub enum Generalise {
    Year,
    Month,
    /// Age on `as_of` (days since 1970-01-01), in bands of `width` years; `top+` above `top`.
    AgeBand {
        width: u32,
        as_of: i64,
        top: Option<u32>,
    },
    OutwardCode,
    Bucket {
        width: f64,
    },
}

/// One column's transform, checked.
#[derive(Clone, Debug)]
pub enum Transform {
    /// Left as it is (still scanned by the gate). `reason` is required when the column was
    /// classified as personal data.
    Keep {
        reason: Option<String>,
    },
    Drop,
    Null,
    Redact {
        token: String,
    },
    Mask {
        first: usize,
        last: usize,
        with: char,
    },
    Hash {
        encoding: Encoding,
        length: Option<usize>,
    },
    Pseudonymise {
        entity: Entity,
        locale: &'static Locale,
    },
    Generalise(Generalise),
    ShiftDates {
        by: String,
        max_days: u32,
    },
    /// Personal data found in the text is replaced in place: by `[ENTITY]` tokens, or by
    /// pseudonyms where the entity has them.
    FreeText {
        pseudonyms: bool,
        locale: &'static Locale,
    },
}

impl Transform {
    pub fn name(&self) -> &'static str {
        match self {
            Transform::Keep { .. } => "keep",
            Transform::Drop => "drop",
            Transform::Null => "null",
            Transform::Redact { .. } => "redact",
            Transform::Mask { .. } => "mask",
            Transform::Hash { .. } => "hash",
            Transform::Pseudonymise { .. } => "pseudonymise",
            Transform::Generalise(_) => "generalise",
            Transform::ShiftDates { .. } => "shift_dates",
            Transform::FreeText { .. } => "free_text",
        }
    }
}

const TRANSFORMS: &str = "keep, drop, null, redact, mask, hash, pseudonymise, generalise, shift_dates, free_text";

/// A column's entry: its transform, the entity it holds if known, where it was written.
#[derive(Clone, Debug)]
pub struct Entry {
    pub transform: Transform,
    pub entity: Option<String>,
    /// `file:line` of the entry, for messages.
    pub at: String,
}

/// A checked policy.
#[derive(Debug)]
pub struct Policy {
    pub name: String,
    pub unmentioned: Unmentioned,
    columns: HashMap<String, Entry>,
    tables: HashMap<String, HashMap<String, Entry>>,
}

/// What the policy says about one column, and why.
#[derive(Clone, Debug)]
pub enum Decision<'p> {
    Entry(&'p Entry),
    /// Not named: `unmentioned` says drop or keep.
    Unmentioned(Unmentioned),
}

impl Policy {
    pub fn load(path: &Path) -> Result<Policy, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::config(format!("cannot read the policy {}: {e}", path.display())).with_source(e))?;
        Policy::parse(&path.display().to_string(), &text)
    }

    pub fn parse(name: &str, text: &str) -> Result<Policy, Error> {
        let src = Source { name, text };
        let doc = parse(&src)?;
        let root = Node { src: &src, path: String::new(), value: &doc };
        let t = root.table()?;
        if let Some(v) = t.get("version") {
            if v.i64()? != 1 {
                return Err(v.error("this synthgate reads policy version 1"));
            }
        }
        let unmentioned = match t.get("unmentioned") {
            None => Unmentioned::Error,
            Some(n) => match n.str()? {
                "error" => Unmentioned::Error,
                "drop" => Unmentioned::Drop,
                "keep" => Unmentioned::Keep,
                other => return Err(n.error(format!("unknown value {other:?}; valid values: error, drop, keep"))),
            },
        };
        let mut entities: HashMap<String, Node<'_, '_>> = HashMap::new();
        if let Some(e) = t.get("entities") {
            for (name, node) in e.table()?.entries() {
                entities.insert(name.to_string(), node);
            }
        }
        let columns = match t.get("columns") {
            Some(c) => read_columns(&c.table()?, &entities)?,
            None => HashMap::new(),
        };
        let mut tables = HashMap::new();
        if let Some(ts) = t.get("tables") {
            for (table, node) in ts.table()?.entries() {
                let tt = node.table()?;
                let cols = match tt.get("columns") {
                    Some(c) => read_columns(&c.table()?, &entities)?,
                    None => HashMap::new(),
                };
                tt.deny_unknown("in a table")?;
                tables.insert(table.to_string(), cols);
            }
        }
        t.deny_unknown("in a policy")?;
        // Entity defaults are checked even when no column uses them.
        for (name, node) in &entities {
            read_entry(node, Some(name), None)?;
        }
        Ok(Policy { name: name.to_string(), unmentioned, columns, tables })
    }

    /// What the policy says about column `column` (a name or JSON path) of `table`: the
    /// table's own entry, else the policy-wide one, else the same for the nearest enclosing
    /// path (`address` covers `address.city`), else `unmentioned`. `None` means fail closed.
    pub fn decide(&self, table: &str, column: &str) -> Option<Decision<'_>> {
        let own = self.tables.get(table);
        let mut path = column;
        loop {
            if let Some(e) = own.and_then(|t| t.get(path)).or_else(|| self.columns.get(path)) {
                return Some(Decision::Entry(e));
            }
            match parent(path) {
                Some(p) => path = p,
                None => break,
            }
        }
        match self.unmentioned {
            Unmentioned::Error => None,
            u => Some(Decision::Unmentioned(u)),
        }
    }

    /// The column names the policy mentions anywhere (for `by` checks and messages).
    pub fn mentioned(&self, table: &str) -> Vec<&str> {
        let mut v: Vec<&str> = self.columns.keys().map(String::as_str).collect();
        if let Some(t) = self.tables.get(table) {
            v.extend(t.keys().map(String::as_str));
        }
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// `a.b` → `a`, `a[*].b` → `a[*]`, `a[*]` → `a`.
fn parent(path: &str) -> Option<&str> {
    if let Some(p) = path.strip_suffix("[*]") {
        return Some(p);
    }
    path.rfind('.').map(|i| &path[..i])
}

fn read_columns(
    t: &TableNode<'_, '_>,
    entities: &HashMap<String, Node<'_, '_>>,
) -> Result<HashMap<String, Entry>, Error> {
    let mut out = HashMap::new();
    for (name, node) in t.entries() {
        out.insert(name.to_string(), read_entry(&node, None, Some(entities))?);
    }
    Ok(out)
}

/// One entry: `"transform"` or `{ transform = …, options… }`. `entity_default` is set when
/// reading an `[entities]` default; `entities` when reading a column.
fn read_entry(
    node: &Node<'_, '_>,
    entity_default: Option<&str>,
    entities: Option<&HashMap<String, Node<'_, '_>>>,
) -> Result<Entry, Error> {
    let at = format!("{}:{}", node.src.name, node.line());
    if node.is_str() {
        let transform = transform(node, node.str()?, None, entity_default)?;
        return Ok(Entry { transform, entity: entity_default.map(str::to_string), at });
    }
    let t = node.table()?;
    let entity = match t.get("entity") {
        Some(e) => Some(e.str()?.to_string()),
        None => entity_default.map(str::to_string),
    };
    let name = match t.get("transform") {
        Some(n) => n.str()?.to_string(),
        None => {
            // Only the entity is named: its default from `[entities]`.
            let (Some(e), Some(defaults)) = (&entity, entities) else {
                return Err(node.error(format!("missing key `transform`; valid transforms: {TRANSFORMS}")));
            };
            let Some(d) = defaults.get(e.as_str()) else {
                return Err(
                    node.error(format!("missing key `transform`, and [entities] has no default for entity {e:?}"))
                );
            };
            let mut entry = read_entry(d, Some(e), None)?;
            entry.at = at;
            t.deny_unknown("in a column entry")?;
            return Ok(entry);
        }
    };
    let transform = transform(node, &name, Some(&t), entity.as_deref())?;
    t.deny_unknown(&format!("for transform `{name}`"))?;
    if let (Transform::Keep { reason: None }, Some(e)) = (&transform, &entity) {
        return Err(node.error(format!(
            "the column holds personal data ({e}); keeping it needs `reason = \"…\"` saying why that is safe"
        )));
    }
    Ok(Entry { transform, entity, at })
}

/// The transform `name` with its options from `t` (none for the short string form).
fn transform(
    node: &Node<'_, '_>,
    name: &str,
    t: Option<&TableNode<'_, '_>>,
    entity: Option<&str>,
) -> Result<Transform, Error> {
    let get = |k: &'static str| t.and_then(|t| t.get(k));
    let locale_of = || -> Result<&'static Locale, Error> {
        match get("locale") {
            None => Ok(locale("en").expect("the default locale exists")),
            Some(n) => {
                let code = n.str()?;
                locale(code).ok_or_else(|| {
                    n.error(format!("unknown locale {code:?}; valid locales: {}", LOCALE_CODES.join(", ")))
                })
            }
        }
    };
    let usize_of = |k: &'static str, default: usize| -> Result<usize, Error> {
        get(k).map_or(Ok(default), |n| n.u64().map(|v| v as usize))
    };
    Ok(match name {
        "keep" => Transform::Keep { reason: get("reason").map(|n| n.str().map(str::to_string)).transpose()? },
        "drop" => Transform::Drop,
        "null" => Transform::Null,
        "redact" => Transform::Redact {
            token: get("token").map_or(Ok("[REDACTED]".to_string()), |n| n.str().map(str::to_string))?,
        },
        "mask" => {
            let with = match get("char") {
                None => '*',
                Some(n) => {
                    let s = n.str()?;
                    let mut cs = s.chars();
                    match (cs.next(), cs.next()) {
                        (Some(c), None) => c,
                        _ => return Err(n.error("must be one character")),
                    }
                }
            };
            Transform::Mask { first: usize_of("first", 0)?, last: usize_of("last", 4)?, with }
        }
        "hash" => {
            let encoding = match get("encoding") {
                None => Encoding::Hex,
                Some(n) => Encoding::parse(n.str()?)
                    .ok_or_else(|| n.error("unknown encoding; valid encodings: hex, base32"))?,
            };
            let length = match get("length") {
                None => None,
                Some(n) => {
                    let l = n.u64()? as usize;
                    if l < 8 {
                        return Err(
                            n.error(format!("{l} characters is too short to tell values apart; use at least 8"))
                        );
                    }
                    Some(l)
                }
            };
            Transform::Hash { encoding, length }
        }
        "pseudonymise" | "pseudonymize" => {
            let entity = match entity {
                None => Entity::Text,
                Some(e) => Entity::parse(e).ok_or_else(|| {
                    node.error(format!(
                        "no pseudonyms for entity {e:?}; pseudonymise knows {}. Use hash, mask or redact for it",
                        Entity::names()
                    ))
                })?,
            };
            Transform::Pseudonymise { entity, locale: locale_of()? }
        }
        "generalise" | "generalize" => {
            let to = match get("to") {
                Some(n) => n,
                None => {
                    return Err(
                        node.error("missing key `to`; valid values: year, month, age_band, outward_code, bucket")
                    )
                }
            };
            Transform::Generalise(match to.str()? {
                "year" => Generalise::Year,
                "month" => Generalise::Month,
                "outward_code" => Generalise::OutwardCode,
                "age_band" => {
                    let width = usize_of("width", 10)? as u32;
                    if width == 0 {
                        return Err(get("width").expect("given").error("must be at least 1"));
                    }
                    let as_of = match get("as_of") {
                        None => i64::from(crate::allowlist::today()),
                        Some(n) => parse_day(n.str()?).ok_or_else(|| n.error("expected a date YYYY-MM-DD"))?,
                    };
                    let top = get("top").map(|n| n.u64().map(|v| v as u32)).transpose()?;
                    Generalise::AgeBand { width, as_of, top }
                }
                "bucket" => {
                    let Some(w) = get("width") else {
                        return Err(node.error("missing key `width` (the size of a bucket)"));
                    };
                    let width = w.f64()?;
                    if width <= 0.0 {
                        return Err(w.error("must be greater than 0"));
                    }
                    Generalise::Bucket { width }
                }
                other => {
                    return Err(to.error(format!(
                        "unknown value {other:?}; valid values: year, month, age_band, outward_code, bucket"
                    )))
                }
            })
        }
        "shift_dates" => {
            let Some(by) = get("by") else {
                return Err(node.error("missing key `by`: the column whose value names the entity (e.g. customer_id)"));
            };
            let max_days = usize_of("max_days", 30)? as u32;
            if max_days == 0 {
                return Err(get("max_days").expect("given").error("must be at least 1"));
            }
            Transform::ShiftDates { by: by.str()?.to_string(), max_days }
        }
        "free_text" => {
            let pseudonyms = match get("replace") {
                None => false,
                Some(n) => match n.str()? {
                    "token" => false,
                    "pseudonym" => true,
                    other => return Err(n.error(format!("unknown value {other:?}; valid values: token, pseudonym"))),
                },
            };
            Transform::FreeText { pseudonyms, locale: locale_of()? }
        }
        other => {
            let at = t.and_then(|t| t.get("transform")).unwrap_or_else(|| node.clone());
            return Err(at.error(format!("unknown transform {other:?}; valid transforms: {TRANSFORMS}")));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> Policy {
        Policy::parse("p.toml", text).unwrap()
    }

    fn parse_err(text: &str) -> String {
        Policy::parse("p.toml", text).unwrap_err().message().to_string()
    }

    #[test]
    fn columns_tables_and_parents_decide_in_order() {
        let p = parse_ok(
            r#"
            [columns]
            email = "pseudonymise"
            address = "drop"
            "tags[*]" = "keep"
            [tables.orders.columns]
            email = "null"
            "#,
        );
        let name = |t: &str, c: &str| match p.decide(t, c) {
            Some(Decision::Entry(e)) => e.transform.name(),
            Some(Decision::Unmentioned(_)) => "unmentioned",
            None => "error",
        };
        assert_eq!(name("customers", "email"), "pseudonymise");
        assert_eq!(name("orders", "email"), "null");
        assert_eq!(name("customers", "address.city"), "drop");
        assert_eq!(name("customers", "tags[*]"), "keep");
        assert_eq!(name("customers", "phone"), "error");
    }

    #[test]
    fn unmentioned_can_drop_or_keep() {
        let p = parse_ok("unmentioned = \"drop\"\n");
        assert!(matches!(p.decide("t", "x"), Some(Decision::Unmentioned(Unmentioned::Drop))));
        assert!(parse_err("unmentioned = \"maybe\"\n").contains("p.toml:1:15: unmentioned: unknown value"));
    }

    #[test]
    fn entity_defaults_fill_in_the_transform() {
        let p = parse_ok(
            r#"
            [entities]
            email = { transform = "hash", length = 16 }
            [columns]
            contact = { entity = "email" }
            "#,
        );
        let Some(Decision::Entry(e)) = p.decide("t", "contact") else { panic!() };
        assert!(matches!(e.transform, Transform::Hash { length: Some(16), .. }));
        assert_eq!(e.entity.as_deref(), Some("email"));
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let e = parse_err("[columns]\nemail = \"scramble\"\n");
        assert!(e.starts_with("p.toml:2:9: columns.email: unknown transform \"scramble\""), "{e}");
        let e = parse_err("[columns]\nemail = { transform = \"hash\", lenght = 9 }\n");
        assert!(e.contains("p.toml:2:31: columns.email.lenght: unknown key `lenght`"), "{e}");
        let e = parse_err("[columns]\ns = { transform = \"pseudonymise\", entity = \"de_steuer_id\" }\n");
        assert!(e.contains("no pseudonyms for entity \"de_steuer_id\""), "{e}");
        let e = parse_err("[columns]\nd = { transform = \"shift_dates\" }\n");
        assert!(e.contains("missing key `by`"), "{e}");
        let e = parse_err("[columns]\nh = { transform = \"hash\", length = 4 }\n");
        assert!(e.contains("too short"), "{e}");
    }

    #[test]
    fn keeping_personal_data_needs_a_reason() {
        let e = parse_err("[columns]\nemail = { transform = \"keep\", entity = \"email\" }\n");
        assert!(e.contains("needs `reason"), "{e}");
        let p = parse_ok("[columns]\nemail = { transform = \"keep\", entity = \"email\", reason = \"test inbox\" }\n");
        let Some(Decision::Entry(e)) = p.decide("t", "email") else { panic!() };
        assert!(matches!(&e.transform, Transform::Keep { reason: Some(r) } if r == "test inbox"));
    }
}
