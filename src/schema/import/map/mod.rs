//! A database schema → a synthgate schema (TOML) whose data loads into that database with no
//! constraint violated: keys become sequences and refs, composite keys become `per` tables
//! with ordinals or distinct picks, checks become bounds, choices, lengths and patterns, and
//! names and types choose the generators. What cannot be honoured is said: in the summary,
//! and as a `# REVIEW` comment over the column.
//!
//! Here: the tables, their order and their shapes (fixed rows, or generated per parent row).
//! [`table`] writes one table; [`facts`] reads what its checks and keys say about each column;
//! [`columns`] chooses each column's generator; [`write`] spells TOML.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::check::{self, Fact, Literal, Op};
use super::model::{Column, DbSchema, Dialect, ForeignKey, Table};
use super::types::{self, Ty};

/// How the TOML is made.
pub struct MapOptions<'j> {
    pub dialect: Dialect,
    /// The schema's `name`.
    pub name: String,
    pub locale: String,
    pub seed: u64,
    /// Row counts from the database's statistics rather than the defaults.
    pub rows_from_stats: bool,
    /// Says whether a text that would be written into the schema (a label, a comment) looks
    /// like personal data; such text is withheld.
    pub looks_personal: &'j dyn Fn(&str) -> bool,
    /// The entity the detection rules' column hints name for a column name (`nhs_no` →
    /// `nhs_number`), if any: such a column gets that entity's generator, in its reserved range.
    pub hint: &'j dyn Fn(&str) -> Option<String>,
}

mod columns;
mod facts;
mod table;
#[cfg(test)]
mod tests;
mod write;

use columns::*;
use facts::*;
use table::*;
pub use write::quoted;
use write::*;

/// One thing the summary says: a compromise, a skipped object, a column to review.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    /// `table` or `table.column`, or the object's name.
    pub at: String,
    pub what: String,
}

/// The TOML and what the summary says.
pub struct Imported {
    pub toml: String,
    pub tables: usize,
    pub columns: usize,
    pub notes: Vec<Note>,
}

/// Rows of a table with no foreign key, and of one with, when statistics are not used.
pub const ROOT_ROWS: u64 = 500;
pub const CHILD_ROWS: u64 = 2_000;

/// How a table is sized and which foreign key, if any, it is generated under.
#[derive(Clone, Debug)]
enum Shape {
    Rows(u64),
    /// One row or none per parent row (a foreign key that is also unique).
    OneToOne(usize),
    /// Several children per parent row: (fk index, mean children, at most this many when the
    /// rest of the key is an enum whose values the children take in turn).
    Children(usize, f64, Option<usize>),
    /// A link table: children of the first key's rows, with distinct second keys.
    Link(usize, usize, f64),
}

pub fn map(schema: &DbSchema, opts: &MapOptions<'_>) -> Imported {
    let mut notes: Vec<Note> = Vec::new();
    for (name, why) in &schema.skipped {
        notes.push(Note { at: name.clone(), what: format!("skipped: {why}") });
    }
    // Tables in the TOML: every table whose name the schema format can hold.
    // Tables and the parents of their foreign keys by the names the schema file gives them:
    // bare in the default schema, `schema.table` in another.
    let default = schema.default_schema.as_deref();
    let key_of = |nsp: Option<&str>, name: &str| match nsp {
        Some(s) if Some(s) != default => format!("{s}.{name}"),
        _ => name.to_string(),
    };
    let renamed: Vec<Table> = schema
        .tables
        .iter()
        .map(|t| {
            let mut t = t.clone();
            t.name = key_of(t.schema.as_deref(), &t.name);
            for f in &mut t.foreign_keys {
                f.parent = key_of(f.parent_schema.as_deref(), &f.parent);
            }
            t
        })
        .collect();
    let mut tables: Vec<&Table> = Vec::new();
    for t in &renamed {
        if !is_table_name(&t.name) {
            notes.push(Note {
                at: t.qualified(),
                what: "skipped: a table name synthgate cannot use (letters, digits and _ only)".into(),
            });
            continue;
        }
        if tables.iter().any(|o| o.name == t.name) {
            notes.push(Note {
                at: t.qualified(),
                what: format!(
                    "skipped: another schema's table `{}` has the same name; import each schema on its own (?schema=…)",
                    t.name
                ),
            });
            continue;
        }
        tables.push(t);
    }
    let index: HashMap<&str, usize> = tables.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect();
    // Foreign keys with their parent columns filled in, and only to tables that are here.
    let fks: Vec<Vec<ForeignKey>> = tables
        .iter()
        .map(|t| {
            t.foreign_keys
                .iter()
                .filter_map(|f| {
                    let Some(&p) = index.get(f.parent.as_str()) else {
                        notes.push(Note {
                            at: format!("{}.{}", t.name, f.columns.join(",")),
                            what: format!("foreign key to `{}`, which is not imported", f.parent),
                        });
                        return None;
                    };
                    let mut f = f.clone();
                    if f.parent_columns.is_empty() {
                        f.parent_columns = tables[p].primary_key.clone();
                    }
                    (f.parent_columns.len() == f.columns.len()).then_some(f)
                })
                .collect()
        })
        .collect();
    let shapes = shapes(&tables, &fks, &index, schema, opts);
    let order = fk_order(&tables, &fks, &index);

    let mut out = String::new();
    let _ = writeln!(out, "# Imported by `synthgate schema import` from {} ({}).", schema.source, opts.dialect.name());
    let _ = writeln!(out, "# Edit freely: a second import over this file keeps your edits to columns and tables");
    let _ = writeln!(out, "# the database did not change. Each column's comment is what the database declares.");
    let _ = writeln!(out, "#");
    let _ = writeln!(out, "#   synthgate schema check FILE");
    let _ = writeln!(out, "#   synthgate generate FILE --out DATABASE-URL --scale 0.01");
    let _ = writeln!(out);
    let _ = writeln!(out, "name = {}", quoted(&opts.name));
    let _ = writeln!(out, "locale = {}", quoted(&opts.locale));
    let _ = writeln!(out, "seed = {}", opts.seed);
    let mut columns = 0;
    for &ti in &order {
        let t = tables[ti];
        let text = table_toml(t, ti, &tables, &fks[ti], &shapes, &index, schema, opts, &mut notes);
        columns += text.1;
        out.push('\n');
        out.push_str(&text.0);
    }
    Imported { toml: out, tables: tables.len(), columns, notes }
}

/// Parents before children (cycles broken where they close), else declared order.
fn fk_order(tables: &[&Table], fks: &[Vec<ForeignKey>], index: &HashMap<&str, usize>) -> Vec<usize> {
    let n = tables.len();
    let mut state = vec![0u8; n];
    let mut out = Vec::with_capacity(n);
    fn visit(t: usize, fks: &[Vec<ForeignKey>], index: &HashMap<&str, usize>, state: &mut [u8], out: &mut Vec<usize>) {
        if state[t] != 0 {
            return;
        }
        state[t] = 1;
        for f in &fks[t] {
            if let Some(&p) = index.get(f.parent.as_str()) {
                if p != t {
                    visit(p, fks, index, state, out);
                }
            }
        }
        state[t] = 2;
        out.push(t);
    }
    for t in 0..n {
        visit(t, fks, index, &mut state, &mut out);
    }
    out
}

fn shapes(
    tables: &[&Table],
    fks: &[Vec<ForeignKey>],
    index: &HashMap<&str, usize>,
    schema: &DbSchema,
    opts: &MapOptions<'_>,
) -> Vec<Shape> {
    let mut shapes: Vec<Shape> = Vec::with_capacity(tables.len());
    let rows = |t: &Table| -> u64 {
        match (opts.rows_from_stats, t.row_estimate) {
            (true, Some(n)) => n.max(1),
            _ if t.foreign_keys.is_empty() => ROOT_ROWS,
            _ => CHILD_ROWS,
        }
    };
    let mut owner: Vec<Option<usize>> = vec![None; tables.len()];
    for (ti, t) in tables.iter().enumerate() {
        let keys: Vec<&Vec<String>> = std::iter::once(&t.primary_key)
            .filter(|k| !k.is_empty())
            .chain(t.uniques.iter().filter(|u| u.predicate.is_none()).map(|u| &u.columns))
            .collect();
        let fk = &fks[ti];
        let parent = |f: &ForeignKey| index[f.parent.as_str()];
        let mut shape = Shape::Rows(rows(t));
        // A key made of two foreign keys' columns: a link table.
        'link: for k in &keys {
            for (a, fa) in fk.iter().enumerate() {
                for (b, fb) in fk.iter().enumerate() {
                    if a != b
                        && parent(fa) != ti
                        && parent(fb) != ti
                        && k.len() == fa.columns.len() + fb.columns.len()
                        && fa.columns.iter().chain(&fb.columns).all(|c| k.contains(c))
                        && k.first() == fa.columns.first()
                    {
                        let mean = per_parent(opts, t, tables[parent(fa)], 2.0);
                        shape = Shape::Link(a, b, mean);
                        break 'link;
                    }
                }
            }
        }
        if matches!(shape, Shape::Rows(_)) {
            // A key that is one foreign key's columns and more: children under that key.
            for k in &keys {
                if let Some(a) = fk.iter().position(|f| {
                    parent(f) != ti && k.len() > f.columns.len() && f.columns.iter().all(|c| k.contains(c))
                }) {
                    let mean = per_parent(opts, t, tables[parent(&fk[a])], 3.0);
                    let rest: Vec<&String> = k.iter().filter(|c| !fk[a].columns.contains(c)).collect();
                    let cap = match rest.as_slice() {
                        [one] => match t.column(one).map(|c| types::read(&c.data_type, opts.dialect, schema)) {
                            Some(Ty::Enum(labels)) if !labels.is_empty() => Some(labels.len()),
                            // A text column held to a list by a check (`priority IN (…)`).
                            Some(Ty::Text { .. }) => t.checks.iter().find_map(|k| {
                                check::read(&k.expr, None).facts.into_iter().find_map(|f| match f {
                                    Fact::OneOf { column, values }
                                        if column.eq_ignore_ascii_case(one) && !values.is_empty() =>
                                    {
                                        Some(values.len())
                                    }
                                    _ => None,
                                })
                            }),
                            _ => None,
                        },
                        _ => None,
                    };
                    shape = Shape::Children(a, mean, cap);
                    break;
                }
                // A key that is exactly a foreign key's columns: one-to-one.
                if let Some(a) = fk.iter().position(|f| parent(f) != ti && same_set(&f.columns, k)) {
                    shape = Shape::OneToOne(a);
                    break;
                }
            }
        }
        owner[ti] = match shape {
            Shape::Rows(_) => None,
            Shape::OneToOne(a) | Shape::Children(a, _, _) | Shape::Link(a, _, _) => Some(parent(&fk[a])),
        };
        shapes.push(shape);
    }
    // `per` must not go round in a circle: a table in one keeps fixed rows.
    for ti in 0..tables.len() {
        let mut seen = vec![ti];
        let mut at = owner[ti];
        while let Some(p) = at {
            if seen.contains(&p) {
                shapes[ti] = Shape::Rows(rows(tables[ti]));
                owner[ti] = None;
                break;
            }
            seen.push(p);
            at = owner[p];
        }
    }
    shapes
}

fn per_parent(opts: &MapOptions<'_>, child: &Table, parent: &Table, default: f64) -> f64 {
    match (opts.rows_from_stats, child.row_estimate, parent.row_estimate) {
        (true, Some(c), Some(p)) if p > 0 => (c as f64 / p as f64).clamp(0.1, 1000.0),
        _ => default,
    }
}

fn same_set(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|c| b.contains(c))
}
