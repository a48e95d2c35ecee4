//! A database schema → a synthgate schema (TOML) whose data loads into that database with no
//! constraint violated: keys become sequences and refs, composite keys become `per` tables
//! with ordinals or distinct picks, checks become bounds, choices, lengths and patterns, and
//! names and types choose the generators. What cannot be honoured is said: in the summary,
//! and as a `# REVIEW` comment over the column.

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

/// The generator of a detection entity that has one (values in the reserved test ranges).
fn entity_generator(entity: &str) -> Option<&'static str> {
    Some(match entity {
        "email" => "email",
        "nhs_number" => "nhs_number",
        "ssn" => "ssn",
        "nino" => "nino",
        "card_number" => "card_number",
        "iban" => "iban",
        "ipv4" => "ipv4",
        "ipv6" => "ipv6",
        "postcode" => "postcode",
        "city" => "city",
        "street_address" => "street_address",
        _ => return None,
    })
}

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

/// What the checks and keys of a table say about one column.
#[derive(Clone, Debug, Default)]
struct Cons {
    lo: Option<(f64, bool)>,
    hi: Option<(f64, bool)>,
    /// Dates/timestamps: `None` inside means `now`.
    time_lo: Option<(Option<String>, bool)>,
    time_hi: Option<(Option<String>, bool)>,
    one_of: Option<Vec<Literal>>,
    len_lo: Option<u64>,
    len_hi: Option<u64>,
    pattern: Option<String>,
    /// `this op other`.
    rel: Vec<(Op, String)>,
    /// A check that cannot be expressed mentions the column: it is left null.
    force_null: bool,
    review: Vec<String>,
    unique: bool,
    /// Values a partial unique index's predicate names (`WHERE status = 'cart'`): never
    /// generated, so the index never applies.
    exclude: Vec<Literal>,
    /// A partial unique index applies where this column is null: it never is.
    never_null: bool,
    /// A foreign key to a table that is not imported: no value could be right.
    dangling: bool,
    /// Times of day compared with each other (`visiting_until > visiting_from`): the earlier
    /// one is drawn from the morning half of the day, the later from the afternoon.
    half: Option<Half>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Half {
    Early,
    Late,
}

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

#[allow(clippy::too_many_arguments)]
fn table_toml(
    t: &Table,
    ti: usize,
    tables: &[&Table],
    fks: &[ForeignKey],
    shapes: &[Shape],
    index: &HashMap<&str, usize>,
    schema: &DbSchema,
    opts: &MapOptions<'_>,
    notes: &mut Vec<Note>,
) -> (String, usize) {
    let mut out = String::new();
    let at = |c: &str| format!("{}.{c}", t.name);
    // The table's comment: where it came from, its keys and checks.
    // What a second import compares (see [`super::merge`]): keys and checks, not counts.
    let mut desc = format!("# {}", t.qualified());
    if !t.primary_key.is_empty() {
        let _ = write!(desc, "; primary key ({})", t.primary_key.join(", "));
    }
    // A check or predicate is text from the database: shown unless it looks personal.
    let shown = |expr: &str| -> String {
        if (opts.looks_personal)(expr) {
            "(withheld: it holds text that looks like personal data)".to_string()
        } else {
            one_line(expr)
        }
    };
    if t.partitioned {
        desc.push_str("; partitioned (rows go to its partitions)");
    }
    let _ = writeln!(out, "{desc}");
    if let Some(c) = &t.comment {
        if (opts.looks_personal)(c) {
            notes.push(Note {
                at: t.name.clone(),
                what: "the table's comment is withheld: it looks like personal data".into(),
            });
        } else {
            let _ = writeln!(out, "# {}", c.replace('\n', " "));
        }
    }
    for u in &t.uniques {
        let pred = u.predicate.as_deref().map(|p| format!(" where {}", shown(p))).unwrap_or_default();
        let _ = writeln!(out, "# unique ({}){pred}", u.columns.join(", "));
    }
    for c in &t.checks {
        let _ = writeln!(out, "# check {}", shown(&c.expr));
    }
    let _ = writeln!(out, "[tables.{}]", key(&t.name));
    let shape = &shapes[ti];
    let parent_name = |f: &ForeignKey| f.parent.clone();
    match shape {
        Shape::Rows(n) => match t.row_estimate {
            Some(e) if !opts.rows_from_stats => {
                let _ = writeln!(out, "rows = {n}  # about {e} in the database (--rows-from-stats)");
            }
            _ => {
                let _ = writeln!(out, "rows = {n}");
            }
        },
        Shape::OneToOne(a) => {
            let _ = writeln!(out, "per = {}", quoted(&parent_name(&fks[*a])));
            let _ = writeln!(out, "count = {{ dist = \"uniform\", min = 0, max = 1 }}  # one-to-one");
        }
        Shape::Children(a, _, Some(cap)) => {
            let _ = writeln!(out, "per = {}", quoted(&parent_name(&fks[*a])));
            let _ = writeln!(
                out,
                "count = {{ dist = \"uniform\", min = 0, max = {cap} }}  # one per value of the key's enum"
            );
        }
        Shape::Children(a, mean, None) => {
            let _ = writeln!(out, "per = {}", quoted(&parent_name(&fks[*a])));
            let max = ((mean * 4.0).ceil() as u64).max(4);
            let _ = writeln!(out, "count = {{ dist = \"poisson\", mean = {}, max = {max} }}", num(*mean));
        }
        Shape::Link(a, _, mean) => {
            let _ = writeln!(out, "per = {}", quoted(&parent_name(&fks[*a])));
            let max = ((mean * 2.0).ceil() as u64).max(3);
            let _ = writeln!(out, "count = {{ dist = \"uniform\", min = 0, max = {max} }}  # distinct pairs");
        }
    }
    let _ = writeln!(out, "\n[tables.{}.columns]", key(&t.name));

    // Column types, with domains resolved into their base type, checks and NOT NULL.
    let mut cons: HashMap<&str, Cons> = t.columns.iter().map(|c| (c.name.as_str(), Cons::default())).collect();
    let mut tys: HashMap<&str, Ty> = HashMap::new();
    let mut not_null: HashMap<&str, bool> = HashMap::new();
    // (what the summary calls it, the expression, what it says).
    let mut readings: Vec<(String, String, check::Reading)> = Vec::new();
    for c in &t.columns {
        let declared = c.data_type.rsplit('.').next().unwrap_or(&c.data_type).trim_matches('"').to_ascii_lowercase();
        let mut nn = !c.nullable;
        let ty = match schema.domains.iter().find(|d| d.name == declared) {
            Some(d) => {
                nn |= d.not_null;
                for e in &d.checks {
                    readings.push((
                        format!("domain {} check {}", d.name, shown(e)),
                        e.replace("VALUE", &c.name),
                        check::read(e, Some(&c.name)),
                    ));
                }
                types::read(&d.base, opts.dialect, schema)
            }
            None => types::read(&c.data_type, opts.dialect, schema),
        };
        tys.insert(&c.name, ty);
        not_null.insert(&c.name, nn || t.primary_key.contains(&c.name));
    }
    for k in &t.checks {
        readings.push((format!("check {}", shown(&k.expr)), k.expr.clone(), check::read(&k.expr, None)));
    }
    for (what, expr, r) in &readings {
        for f in &r.facts {
            apply(f, &mut cons, &tys);
        }
        if r.unexpressed {
            // Every column the check names: a nullable one is left null (a check passes on
            // null), else the column is marked for review.
            let named: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).filter(|c| mentions(expr, c)).collect();
            let free: Vec<&str> = named.iter().copied().filter(|c| !not_null[c] && !is_key_column(t, fks, c)).collect();
            if let Some(c) = free.first() {
                let e = cons.get_mut(c).expect("a column of the table");
                e.force_null = true;
                e.review.push(format!("{what} is not expressed: the column is left null, which the check lets pass"));
                notes.push(Note { at: at(c), what: format!("{what} cannot be expressed; left null") });
            } else {
                for c in &named {
                    let e = cons.get_mut(c).expect("a column of the table");
                    e.review.push(format!("{what} is not expressed: generated values may break it"));
                }
                notes.push(Note {
                    at: t.name.clone(),
                    what: format!("{what} cannot be expressed; review {}", named.join(", ")),
                });
            }
        }
    }
    // Unique sets: each needs one column that is unique on its own, unless the table's shape
    // already makes the set unique (children numbered under a parent, distinct pairs).
    let shaped_key: Vec<&str> = match shape {
        Shape::Children(a, _, _) => fks[*a].columns.iter().map(String::as_str).collect(),
        Shape::Link(a, b, _) => fks[*a].columns.iter().chain(&fks[*b].columns).map(String::as_str).collect(),
        Shape::OneToOne(a) => fks[*a].columns.iter().map(String::as_str).collect(),
        Shape::Rows(_) => Vec::new(),
    };
    let mut ordinal: Option<&str> = None;
    // Times of day have no column bounds: the two sides of a comparison get halves of the day.
    let pairs: Vec<(String, Op, String)> =
        cons.iter().flat_map(|(c, e)| e.rel.iter().map(move |(op, o)| (c.to_string(), *op, o.clone()))).collect();
    for (c, op, other) in pairs {
        if tys.get(c.as_str()) == Some(&Ty::Time) && tys.get(other.as_str()) == Some(&Ty::Time) {
            let (late, early) = match op {
                Op::Gt | Op::Ge => (c, other),
                Op::Lt | Op::Le => (other, c),
                _ => continue,
            };
            if let Some(e) = cons.get_mut(late.as_str()) {
                e.half = Some(Half::Late);
                e.rel.clear();
            }
            if let Some(e) = cons.get_mut(early.as_str()) {
                e.half = Some(Half::Early);
            }
        }
    }
    // Email checks (`VALUE LIKE '%@%'`, `email ~ '@'`) are what the email generator writes
    // anyway, at a reserved domain; a pattern would make up domains.
    for c in &t.columns {
        if name_has(&c.name.to_ascii_lowercase(), "email") {
            let e = cons.get_mut(c.name.as_str()).expect("a column");
            if e.pattern.as_deref().is_some_and(|p| p.contains('@')) {
                e.pattern = None;
            }
        }
    }
    for f in &t.foreign_keys {
        if !fks.iter().any(|g| g.columns == f.columns && g.parent == f.parent) {
            for c in &f.columns {
                if let Some(e) = cons.get_mut(c.as_str()) {
                    e.dangling = true;
                }
            }
        }
    }
    // A partial unique index (`… WHERE status = 'cart'`, `… WHERE discharged_on IS NULL`)
    // never applies if no row meets its predicate; other predicates are taken as a full key.
    let mut sets: Vec<&Vec<String>> = std::iter::once(&t.primary_key).filter(|k| !k.is_empty()).collect();
    for u in &t.uniques {
        let Some(pred) = &u.predicate else {
            sets.push(&u.columns);
            continue;
        };
        if let Some(c) =
            is_null_predicate(pred).and_then(|c| t.columns.iter().find(|x| x.name.eq_ignore_ascii_case(&c)))
        {
            cons.get_mut(c.name.as_str()).expect("a column").never_null = true;
            notes.push(Note {
                at: format!("{}.{}", t.name, c.name),
                what: format!(
                    "never null, so that the partial unique ({}) where {} never applies",
                    u.columns.join(", "),
                    shown(pred)
                ),
            });
            continue;
        }
        let r = check::read(pred, None);
        if let (false, [Fact::OneOf { column, values }]) = (r.unexpressed, r.facts.as_slice()) {
            if let Some(c) = t.columns.iter().find(|x| x.name.eq_ignore_ascii_case(column)) {
                let e = cons.get_mut(c.name.as_str()).expect("a column");
                e.exclude.extend(values.iter().cloned());
                notes.push(Note {
                    at: format!("{}.{}", t.name, c.name),
                    what: format!(
                        "the values of the partial unique ({}) where {} are not generated",
                        u.columns.join(", "),
                        shown(pred)
                    ),
                });
                continue;
            }
        }
        sets.push(&u.columns);
    }
    for set in sets {
        let in_fk = |c: &str| fks.iter().any(|f| f.columns.iter().any(|x| x == c));
        if matches!(shape, Shape::Link(..) | Shape::OneToOne(_)) && set.iter().all(|c| shaped_key.contains(&c.as_str()))
        {
            continue;
        }
        if set.iter().any(|c| cons[c.as_str()].unique) {
            continue;
        }
        if let Shape::Children(..) = shape {
            if set.iter().filter(|c| !shaped_key.contains(&c.as_str())).count() >= 1
                && shaped_key.iter().all(|k| set.iter().any(|c| c == k))
            {
                // `(order_id, line_no)`: the rest numbered under the parent.
                let rest: Vec<&String> = set.iter().filter(|c| !shaped_key.contains(&c.as_str())).collect();
                if let [one] = rest.as_slice() {
                    if matches!(tys[one.as_str()], Ty::Int { .. })
                        && ordinal.is_none()
                        && cons[one.as_str()].one_of.is_none()
                    {
                        ordinal = Some(one.as_str());
                        continue;
                    }
                    if matches!(tys[one.as_str()], Ty::Date | Ty::Timestamp) && cons[one.as_str()].rel.is_empty() {
                        ordinal = Some(one.as_str());
                        continue;
                    }
                    if matches!(shape, Shape::Children(_, _, Some(_)))
                        && (matches!(tys[one.as_str()], Ty::Enum(_)) || cons[one.as_str()].one_of.is_some())
                    {
                        ordinal = Some(one.as_str());
                        continue;
                    }
                }
            }
        }
        let candidate = set.iter().find(|c| {
            let e = &cons[c.as_str()];
            !in_fk(c)
                && e.one_of.is_none()
                && e.pattern.is_none()
                && e.rel.is_empty()
                && matches!(tys[c.as_str()], Ty::Int { .. } | Ty::Text { .. } | Ty::Uuid | Ty::Decimal { .. })
        });
        match candidate {
            Some(c) => cons.get_mut(c.as_str()).expect("a column").unique = true,
            None => {
                let what = format!("unique ({}) has no column that can be generated unique", set.join(", "));
                for c in set {
                    cons.get_mut(c.as_str()).expect("a column").review.push(what.clone());
                }
                notes.push(Note { at: t.name.clone(), what: format!("{what}; review") });
            }
        }
    }

    let mut n_cols = 0;
    let owner_fk = match shape {
        Shape::OneToOne(a) | Shape::Children(a, _, _) | Shape::Link(a, _, _) => Some(*a),
        Shape::Rows(_) => None,
    };
    let distinct_fk = match shape {
        Shape::Link(_, b, _) => Some(*b),
        _ => None,
    };
    for c in &t.columns {
        let name = c.name.as_str();
        let ty = &tys[name];
        let e = &cons[name];
        let nn = not_null[name];
        let mut sig = c.data_type.clone();
        if nn {
            sig.push_str(", not null");
        }
        if t.primary_key.iter().any(|k| k == name) {
            sig.push_str(", primary key");
        }
        if t.uniques.iter().any(|u| u.columns.iter().any(|k| k == name)) {
            sig.push_str(", unique");
        }
        let fk = fks.iter().enumerate().find(|(_, f)| f.columns.iter().any(|x| x == name));
        if let Some((_, f)) = fk {
            let i = f.columns.iter().position(|x| x == name).unwrap_or(0);
            let _ = write!(sig, ", references {}.{}", f.parent, f.parent_columns[i]);
        }
        if c.identity {
            sig.push_str(", identity");
        }
        if c.generated {
            let _ = writeln!(out, "# {name}: generated by the database ({}), not loaded", c.data_type);
            notes.push(Note { at: at(name), what: "a generated column: left to the database".into() });
            continue;
        }
        if !is_identifier(name) {
            notes.push(Note {
                at: at(name),
                what: "a column name synthgate cannot use: left to the database's default".into(),
            });
            continue;
        }
        let mut review = e.review.clone();
        let value: String = if let Some((fi, f)) = fk {
            let i = f.columns.iter().position(|x| x == name).unwrap_or(0);
            let parent = f.parent.as_str();
            let target = format!("{parent}.{}", f.parent_columns[i]);
            let parent_t = tables[index[parent]];
            if parent_t.column(&f.parent_columns[i]).is_some_and(|pc| pc.generated) {
                review.push(format!("references a generated column {target}"));
            }
            let mut parts = vec![format!("ref = {}", quoted(&target))];
            let self_ref = parent == t.name;
            if Some(fi) == owner_fk {
                // The `per` parent's own row.
            } else if Some(fi) == distinct_fk {
                parts.push("distinct = true".into());
            } else if !self_ref {
                let same_parent = fks.iter().filter(|g| g.parent == f.parent).count();
                if same_parent > 1 || f.columns.len() > 1 || owner_fk.is_some_and(|o| fks[o].parent == f.parent) {
                    parts.push(format!("relation = {}", quoted(&relation_name(f))));
                }
                if e.unique && f.columns.len() == 1 {
                    parts.push("unique = true".into());
                }
            }
            if self_ref && nn {
                review.push("a required self-reference: the first row has no earlier row to point at".into());
            }
            if !nn && !e.never_null {
                parts.push(if e.force_null { "null = 1.0".into() } else { "null = 0.1".into() });
            }
            format!("{{ {} }}", parts.join(", "))
        } else {
            let (gen, mut more) = generator(t, c, ty, e, ordinal == Some(name), opts, notes);
            let force_null = e.force_null || e.dangling || matches!(ty, Ty::Other(_));
            if e.dangling {
                if nn {
                    review.push("a foreign key to a table that is not imported: its values point nowhere".into());
                } else {
                    notes.push(Note {
                        at: at(name),
                        what: "a foreign key to a table that is not imported: left null".into(),
                    });
                }
            }
            if force_null && !nn {
                more.push("null = 1.0".into());
            } else if !nn && !e.unique && !c.identity && !e.never_null {
                more.push("null = 0.1".into());
            }
            let mut parts = vec![gen];
            parts.extend(more);
            if parts.len() == 1 && parts[0].starts_with("gen = ") && !parts[0].contains(',') {
                // `first_name = "first_name"`: the shorthand for a generator with no options.
                parts[0].trim_start_matches("gen = ").to_string()
            } else {
                format!("{{ {} }}", parts.join(", "))
            }
        };
        for r in &review {
            let _ = writeln!(out, "# REVIEW {name}: {}", one_line(r));
        }
        let _ = writeln!(out, "{} = {value}  # {}", key(name), one_line(&sig));
        n_cols += 1;
    }
    (out, n_cols)
}

fn relation_name(f: &ForeignKey) -> String {
    match &f.name {
        Some(n) if is_identifier(n) => n.clone(),
        _ => format!("{}_{}", f.parent, f.columns.join("_")),
    }
}

fn is_key_column(t: &Table, fks: &[ForeignKey], c: &str) -> bool {
    t.primary_key.iter().any(|k| k == c)
        || fks.iter().any(|f| f.columns.iter().any(|k| k == c))
        || t.uniques.iter().any(|u| u.columns.iter().any(|k| k == c))
}

/// Whether the check text names column `c` as a word.
fn mentions(text: &str, c: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let c = c.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut from = 0;
    while let Some(i) = lower[from..].find(&c) {
        let s = from + i;
        let e = s + c.len();
        if (s == 0 || !word(bytes[s - 1])) && (e >= bytes.len() || !word(bytes[e])) {
            return true;
        }
        from = s + 1;
    }
    false
}

/// Adds a fact to the column it is about.
fn apply(f: &Fact, cons: &mut HashMap<&str, Cons>, tys: &HashMap<&str, Ty>) {
    let find = |cons: &HashMap<&str, Cons>, c: &str| -> Option<String> {
        cons.keys().find(|k| k.eq_ignore_ascii_case(c)).map(|k| k.to_string())
    };
    match f {
        Fact::Num { column, op, value } => {
            let Some(c) = find(cons, column) else { return };
            let temporal = matches!(tys.get(c.as_str()), Some(Ty::Date | Ty::Timestamp));
            let e = cons.get_mut(c.as_str()).expect("found");
            if temporal {
                return;
            }
            tighten(e, *op, *value);
        }
        Fact::Time { column, op, value } => {
            let Some(c) = find(cons, column) else { return };
            let e = cons.get_mut(c.as_str()).expect("found");
            let strict = matches!(op, Op::Lt | Op::Gt);
            match op {
                Op::Gt | Op::Ge => e.time_lo = Some((value.clone(), strict)),
                Op::Lt | Op::Le => e.time_hi = Some((value.clone(), strict)),
                _ => e.review.push("a date compared with = or <>".into()),
            }
        }
        Fact::OneOf { column, values } => {
            let Some(c) = find(cons, column) else { return };
            let e = cons.get_mut(c.as_str()).expect("found");
            e.one_of = Some(match e.one_of.take() {
                Some(prev) => prev.into_iter().filter(|v| values.contains(v)).collect(),
                None => values.clone(),
            });
        }
        Fact::Length { column, op, value } => {
            let Some(c) = find(cons, column) else { return };
            let e = cons.get_mut(c.as_str()).expect("found");
            let v = *value;
            match op {
                Op::Eq => {
                    e.len_lo = Some(v);
                    e.len_hi = Some(v);
                }
                Op::Gt => e.len_lo = Some(e.len_lo.map_or(v + 1, |x| x.max(v + 1))),
                Op::Ge => e.len_lo = Some(e.len_lo.map_or(v, |x| x.max(v))),
                Op::Lt => e.len_hi = Some(e.len_hi.map_or(v.saturating_sub(1), |x| x.min(v.saturating_sub(1)))),
                Op::Le => e.len_hi = Some(e.len_hi.map_or(v, |x| x.min(v))),
                Op::Ne => {}
            }
        }
        Fact::Pattern { column, regex } => {
            let Some(c) = find(cons, column) else { return };
            cons.get_mut(c.as_str()).expect("found").pattern = Some(regex.clone());
        }
        Fact::Columns { left, op, right } => {
            let (Some(l), Some(r)) = (find(cons, left), find(cons, right)) else { return };
            if l == r {
                return;
            }
            // The later-declared side (or the one not yet depended on) follows the other.
            let r_depends_on_l = cons[r.as_str()].rel.iter().any(|(_, o)| *o == l);
            let (dep, op, on) = if r_depends_on_l { (r, op.flip(), l) } else { (l, *op, r) };
            cons.get_mut(dep.as_str()).expect("found").rel.push((op, on));
        }
        Fact::NotNull { .. } => {}
    }
}

fn tighten(e: &mut Cons, op: Op, v: f64) {
    match op {
        Op::Gt | Op::Ge => {
            let strict = op == Op::Gt;
            if e.lo.is_none_or(|(x, _)| v > x) {
                e.lo = Some((v, strict));
            }
        }
        Op::Lt | Op::Le => {
            let strict = op == Op::Lt;
            if e.hi.is_none_or(|(x, _)| v < x) {
                e.hi = Some((v, strict));
            }
        }
        Op::Eq => {
            e.one_of = Some(vec![Literal::Num(v)]);
        }
        Op::Ne => {}
    }
}

/// The generator for a column that is not a foreign key: (`gen = …` with its options, more
/// options such as `max_length`).
fn generator(
    t: &Table,
    c: &Column,
    ty: &Ty,
    e: &Cons,
    ordinal: bool,
    opts: &MapOptions<'_>,
    notes: &mut Vec<Note>,
) -> (String, Vec<String>) {
    let name = c.name.to_ascii_lowercase();
    let at = format!("{}.{}", t.name, c.name);
    let has = |words: &[&str]| words.iter().any(|w| name_has(&name, w));
    let more: Vec<String> = Vec::new();
    if ordinal {
        let listed: Option<Vec<String>> = match (&e.one_of, ty) {
            (Some(values), _) => Some(
                values
                    .iter()
                    .map(|v| match v {
                        Literal::Str(s) => quoted(s),
                        Literal::Num(n) => quoted(&num(*n)),
                    })
                    .collect(),
            ),
            (None, Ty::Enum(labels)) => Some(labels.iter().map(|l| quoted(l)).collect()),
            _ => None,
        };
        if let Some(values) = listed {
            return (format!("gen = \"choice\", values = [{}], pick = \"ordinal\"", values.join(", ")), more);
        }
        match ty {
            Ty::Date => return ("gen = \"date\", min = \"now-3y\", step = \"30d\"".into(), more),
            Ty::Timestamp => return ("gen = \"timestamp\", min = \"now-3y\", step = \"1d\"".into(), more),
            _ => {}
        }
        return ("gen = \"ordinal\"".into(), more);
    }
    // A list of allowed values wins over everything but keys (a boolean's `IN (0, 1)` says
    // nothing a boolean does not).
    if let (Some(values), false) = (&e.one_of, *ty == Ty::Bool) {
        let allowed: Vec<&Literal> = match ty {
            Ty::Enum(labels) | Ty::Set(labels) => {
                values.iter().filter(|v| matches!(v, Literal::Str(s) if labels.contains(s))).collect()
            }
            _ => values.iter().collect(),
        };
        let allowed: Vec<&Literal> = allowed.into_iter().filter(|v| !e.exclude.contains(v)).collect();
        return (choice(&at, &allowed, ty, opts, notes), more);
    }
    if let Some(p) = &e.pattern {
        let p = p.trim_start_matches('^').trim_end_matches('$');
        if e.unique {
            notes.push(Note { at: at.clone(), what: "unique and held to a pattern: values may repeat; review".into() });
        }
        if (opts.looks_personal)(p) {
            notes
                .push(Note { at: at.clone(), what: "a pattern check is withheld: it looks like personal data".into() });
        } else if !crate::schema::regex_generates(p) {
            notes.push(Note {
                at: at.clone(),
                what: "its pattern check cannot be generated from (a class of any byte, or anchors inside); review"
                    .into(),
            });
        } else {
            return (format!("gen = \"regex\", pattern = {}", quoted(p)), more);
        }
    }
    let text_max = match ty {
        Ty::Text { max, .. } => *max,
        _ => None,
    };
    let max_len = match (text_max, e.len_hi) {
        (Some(a), Some(b)) => Some((a as u64).min(b)),
        (a, b) => a.map(u64::from).or(b),
    };
    let gen = match ty {
        Ty::Int { min, max } => {
            let (lo, hi) = int_range(&name, e, *min, *max);
            if let Some(r) = relation(e, None, (&lo.to_string(), &hi.to_string())) {
                return (format!("gen = \"int\", {r}"), more);
            }
            if e.unique {
                if c.identity || (e.lo.is_none() && e.hi.is_none()) {
                    let start = lo.max(1);
                    format!("gen = \"sequence\", start = {start}")
                } else {
                    format!("gen = \"int\", min = {lo}, max = {hi}, unique = true")
                }
            } else if c.identity {
                format!("gen = \"sequence\", start = {}", lo.max(1))
            } else {
                format!("gen = \"int\", min = {lo}, max = {hi}")
            }
        }
        Ty::Decimal { precision, scale } => decimal(&name, e, *precision, *scale, &at, notes),
        Ty::Money => decimal(&name, e, 12, 2, &at, notes),
        Ty::Float => {
            let (lo, hi) = float_range(&name, e, -1e15, 1e15);
            format!("gen = \"float\", min = {}, max = {}, round = 4", num(lo), num(hi))
        }
        Ty::Bool => "gen = \"bool\"".into(),
        Ty::Date | Ty::Timestamp => {
            let g = if *ty == Ty::Date { "date" } else { "timestamp" };
            let (lo, hi) = time_range(t, &name, e, *ty == Ty::Date);
            format!("gen = \"{g}\", min = {}, max = {}", quoted(&lo), quoted(&hi))
        }
        Ty::Time => match e.half {
            None => "gen = \"time\", min = \"07:00:00\", max = \"22:00:00\"".into(),
            Some(Half::Early) => "gen = \"time\", min = \"07:00:00\", max = \"12:59:59\"".into(),
            Some(Half::Late) => "gen = \"time\", min = \"13:00:00\", max = \"22:00:00\"".into(),
        },
        Ty::Interval => "gen = \"regex\", pattern = \"[1-9][0-9]? (days|hours|minutes)\"".into(),
        Ty::Uuid => "gen = \"uuid\"".into(),
        Ty::Json => {
            "gen = \"regex\", pattern = '\\{\"ref\": [1-9][0-9]{0,4}, \"tag\": \"(alpha|beta|gamma)\"\\}'".into()
        }
        Ty::Bytes => match opts.dialect {
            // Every byte with a letter in it: no run of digits that reads as a number.
            Dialect::Postgres => "gen = \"regex\", pattern = '\\\\x([a-f][0-9a-f]){4,16}'".into(),
            _ => "gen = \"regex\", pattern = \"([a-f][0-9a-f]){4,16}\"".into(),
        },
        Ty::Inet => "gen = \"ipv4\"".into(),
        Ty::Cidr => "gen = \"choice\", values = [\"192.0.2.0/24\", \"198.51.100.0/24\", \"203.0.113.0/24\"]".into(),
        Ty::Mac => "gen = \"regex\", pattern = \"00:00:5e:00:53:[0-9a-f]{2}\"".into(),
        Ty::Array(inner) => match &**inner {
            Ty::Int { .. } | Ty::Decimal { .. } | Ty::Float => {
                "gen = \"regex\", pattern = '\\{[1-9][0-9]{0,2}(,[1-9][0-9]{0,2}){0,3}\\}'".into()
            }
            Ty::Text { .. } => "gen = \"regex\", pattern = '\\{[a-z]{3,8}(,[a-z]{3,8}){0,3}\\}'".into(),
            _ => {
                notes.push(Note { at: at.clone(), what: format!("an array of {inner:?}: generated empty") });
                "gen = \"choice\", values = [\"{}\"]".into()
            }
        },
        Ty::Enum(labels) | Ty::Set(labels) => {
            let all: Vec<Literal> =
                labels.iter().map(|l| Literal::Str(l.clone())).filter(|l| !e.exclude.contains(l)).collect();
            let refs: Vec<&Literal> = all.iter().collect();
            choice(&at, &refs, ty, opts, notes)
        }
        Ty::Year => "gen = \"int\", min = 1990, max = 2030".into(),
        Ty::TsVector => "gen = \"lorem\", words = [1, 6]".into(),
        Ty::Other(what) => {
            notes.push(Note {
                at: at.clone(),
                what: if c.nullable {
                    format!("type `{what}` cannot be generated: left null")
                } else {
                    format!("type `{what}` cannot be generated: text is written; review")
                },
            });
            // Nullable: left null (the caller sees `Ty::Other`); required: text, for review.
            return ("gen = \"lorem\", words = [1, 2]".into(), more);
        }
        Ty::Text { max, fixed } => {
            return text(t, c, &name, *max, *fixed, max_len, e, has, &at, opts, notes);
        }
    };
    (gen, more)
}

#[allow(clippy::too_many_arguments)]
fn text(
    t: &Table,
    c: &Column,
    name: &str,
    declared: Option<u32>,
    fixed: bool,
    max_len: Option<u64>,
    e: &Cons,
    has: impl Fn(&[&str]) -> bool,
    at: &str,
    opts: &MapOptions<'_>,
    notes: &mut Vec<Note>,
) -> (String, Vec<String>) {
    let mut more = Vec::new();
    let limit = max_len.unwrap_or(10_000) as usize;
    let entity = (opts.hint)(&c.name);
    let by_entity = entity.as_deref().and_then(entity_generator);
    if e.unique {
        if has(&["email"]) && limit >= 40 {
            return ("gen = \"email\", unique = true".into(), more);
        }
        // Identifiers in reserved ranges can be unique (a permutation of the range).
        let longest = match by_entity {
            Some("ssn") => 11,
            Some("nhs_number") => 12,
            Some("nino") => 13,
            Some("ipv4") => 15,
            Some("card_number") => 19,
            Some("iban") => 34,
            Some("ipv6") => 39,
            Some("email") => 40,
            _ => usize::MAX,
        };
        if let (Some(g), true) = (by_entity, limit >= longest) {
            return (format!("gen = \"{g}\", unique = true"), more);
        }
        // `char(36)` keys are uuids kept as text (MySQL's `DEFAULT (UUID())`).
        if limit == 36 || (limit >= 36 && has(&["uuid", "guid"])) {
            return ("gen = \"uuid\"".into(), more);
        }
        // Fixed text around the row number: unique by construction.
        let digits = 7;
        let prefix: String = if has(&["username", "login", "handle"]) {
            "user".into()
        } else if has(&["sku"]) {
            "SKU-".into()
        } else {
            let p: String = c.name.chars().filter(|ch| ch.is_ascii_alphanumeric()).take(8).collect();
            format!("{}-", p.to_ascii_uppercase())
        };
        let min_len = e.len_lo.unwrap_or(0) as usize;
        if limit >= prefix.len() + digits {
            let width = min_len.saturating_sub(prefix.len()).max(6);
            return (format!("gen = \"template\", template = {}", quoted(&format!("{prefix}{{row:0{width}}}"))), more);
        }
        let short: String =
            c.name.chars().filter(|ch| ch.is_ascii_alphabetic()).take(3).collect::<String>().to_ascii_uppercase();
        if !short.is_empty() && limit >= short.len() + 1 + 6 {
            let width = (limit - short.len() - 1).min(8).max(min_len.saturating_sub(short.len() + 1));
            return (format!("gen = \"template\", template = \"{short}-{{row:0{width}}}\""), more);
        }
        // Digits only, as many as fit.
        let width = limit.clamp(1, 12).max(min_len);
        let cap = 10u64.saturating_pow(width as u32);
        if cap < 1_000_000 {
            notes.push(Note {
                at: at.to_string(),
                what: format!("unique text of at most {limit} characters: numbered {{row:0{width}}}, so at most {cap} rows before keys repeat"),
            });
        }
        return (format!("gen = \"template\", template = \"{{row:0{width}}}\""), more);
    }
    let phone_region = if opts.locale.eq_ignore_ascii_case("en_GB") { "GB" } else { "US" };
    let person_table = [
        "customer",
        "employee",
        "patient",
        "agent",
        "user",
        "staff",
        "contact",
        "person",
        "people",
        "member",
        "doctor",
        "clinician",
        "account_holder",
        "requester",
    ]
    .iter()
    .any(|w| t.name.to_ascii_lowercase().contains(w));
    let gen: String = if e.len_lo.is_some() || (fixed && declared.is_some_and(|n| n <= 12)) {
        // Codes: exactly as long as the type or check says.
        let lo = e.len_lo.unwrap_or(if fixed { limit as u64 } else { 1 }).max(1);
        let hi = (limit as u64).max(lo);
        let class = if has(&["country", "currency", "code", "iso", "state"]) { "[A-Z]" } else { "[A-Z0-9]" };
        if lo == hi {
            format!("gen = \"regex\", pattern = \"{class}{{{lo}}}\"")
        } else {
            format!("gen = \"regex\", pattern = \"{class}{{{lo},{}}}\"", hi.min(lo + 20))
        }
    } else if let Some(g) = by_entity.filter(|g| !matches!(*g, "email" | "postcode" | "city" | "street_address")) {
        // The detection rules' column hints: the identifier in its reserved range.
        format!("gen = \"{g}\"")
    } else if has(&["email"]) {
        "gen = \"email\"".into()
    } else if has(&["phone", "mobile", "telephone", "tel", "fax"]) {
        format!("gen = \"phone\", region = \"{phone_region}\"")
    } else if has(&["first_name", "firstname", "given_name", "forename"]) {
        "gen = \"first_name\"".into()
    } else if has(&["last_name", "lastname", "surname", "family_name"]) {
        "gen = \"last_name\"".into()
    } else if has(&["full_name", "display_name", "contact_name"]) || (name == "name" && person_table) {
        "gen = \"full_name\"".into()
    } else if has(&["company", "employer", "organisation", "organization", "supplier_name", "vendor"]) {
        "gen = \"company\"".into()
    } else if has(&["job_title"]) || (name == "title" && person_table) {
        "gen = \"job_title\"".into()
    } else if has(&["city", "town"]) {
        "gen = \"city\"".into()
    } else if has(&["postcode", "postal_code", "zip", "zipcode"]) {
        "gen = \"postcode\"".into()
    } else if has(&["street", "address_line1", "address1", "address_line_1", "line1"]) || name == "address" {
        "gen = \"street_address\"".into()
    } else if has(&["country_code", "country_iso"]) && limit >= 2 {
        "gen = \"country_code\"".into()
    } else if has(&["country"]) {
        "gen = \"country\"".into()
    } else if has(&["state", "county", "region", "province"]) && !has(&["status"]) {
        "gen = \"state\"".into()
    } else if has(&["url", "website", "homepage", "link"]) {
        format!("gen = \"template\", template = \"https://example.com/{}/{{row}}\"", t.name)
    } else if has(&["ip", "ip_address", "ipaddress"]) {
        "gen = \"ipv4\"".into()
    } else if has(&["password", "hash", "token", "secret", "digest", "checksum"]) {
        format!("gen = \"regex\", pattern = \"([a-f][0-9a-f]){{{}}}\"", (limit / 2).clamp(1, 32))
    } else if has(&["currency"]) && limit >= 3 {
        "gen = \"choice\", values = [\"GBP\", \"EUR\", \"USD\"]".into()
    } else if has(&["status", "state"]) {
        "gen = \"choice\", values = [\"active\", \"pending\", \"closed\"]".into()
    } else if has(&[
        "description",
        "notes",
        "note",
        "comment",
        "body",
        "bio",
        "summary",
        "message",
        "content",
        "details",
        "text",
        "reason",
    ]) {
        "gen = \"lorem\", words = [4, 24]".into()
    } else if has(&["name", "title", "label", "subject", "headline"]) {
        "gen = \"lorem\", words = [1, 4]".into()
    } else {
        "gen = \"lorem\", words = [1, 3]".into()
    };
    // Regexes are written to the length already; an email is cut only where it could be long.
    if let Some(n) = max_len {
        let email = gen.contains("\"email\"");
        if (email && n < 64) || (!email && !gen.contains("\"regex\"") && !gen.contains("\"uuid\"")) {
            more.push(format!("max_length = {n}"));
        }
    }
    (gen, more)
}

/// Whether `name` contains `word` as one of its `_`-separated words (or is it).
fn name_has(name: &str, word: &str) -> bool {
    if name == word {
        return true;
    }
    if word.contains('_') {
        return name.contains(word);
    }
    name.split(|c: char| c == '_' || !c.is_ascii_alphanumeric()).any(|w| w == word)
}

fn choice(at: &str, values: &[&Literal], ty: &Ty, opts: &MapOptions<'_>, notes: &mut Vec<Note>) -> String {
    let mut kept: Vec<String> = Vec::new();
    let mut withheld = 0;
    let numeric_col = matches!(ty, Ty::Int { .. } | Ty::Decimal { .. } | Ty::Float | Ty::Money);
    for v in values {
        match v {
            Literal::Str(s) if (opts.looks_personal)(s) => withheld += 1,
            Literal::Str(s) if numeric_col => match s.parse::<f64>() {
                Ok(n) => kept.push(num(n)),
                Err(_) => withheld += 1,
            },
            Literal::Str(s) => kept.push(quoted(s)),
            Literal::Num(n) if numeric_col => kept.push(num(*n)),
            Literal::Num(n) => kept.push(quoted(&num(*n))),
        }
    }
    if withheld > 0 {
        notes.push(Note {
            at: at.to_string(),
            what: format!("{withheld} allowed values withheld: they look like personal data or do not fit the type"),
        });
    }
    if kept.is_empty() {
        notes.push(Note { at: at.to_string(), what: "no allowed value can be written; review".into() });
        return "gen = \"lorem\", words = [1, 1]".into();
    }
    // A column of integers takes integer choices only.
    if matches!(ty, Ty::Int { .. }) {
        kept = kept.into_iter().map(|k| k.trim_end_matches(".0").to_string()).collect();
    }
    format!("gen = \"choice\", values = [{}]", kept.join(", "))
}

/// `min = ["other", lo]`-style bounds for a column compared with another: the column's own
/// range (`fixed`) still holds.
fn relation(e: &Cons, unit: Option<&str>, fixed: (&str, &str)) -> Option<String> {
    if e.rel.is_empty() {
        return None;
    }
    let step = |strict: bool, sign: char| match (strict, unit) {
        (false, _) => String::new(),
        (true, None) => format!("{sign}1"),
        (true, Some(u)) => format!("{sign}{u}"),
    };
    let mut min = None;
    let mut max = None;
    for (op, other) in &e.rel {
        match op {
            Op::Gt | Op::Ge => min = Some(format!("{other}{}", step(*op == Op::Gt, '+'))),
            Op::Lt | Op::Le => max = Some(format!("{other}{}", step(*op == Op::Lt, '-'))),
            Op::Eq => {
                min = Some(other.clone());
                max = Some(other.clone());
            }
            Op::Ne => {}
        }
    }
    if min.is_none() && max.is_none() {
        return None;
    }
    let end = |col: Option<String>, fixed: &str| match col {
        Some(c) => format!("[{}, {fixed}]", quoted(&c)),
        None => fixed.to_string(),
    };
    Some(format!("min = {}, max = {}", end(min, fixed.0), end(max, fixed.1)))
}

fn int_range(name: &str, e: &Cons, tmin: i64, tmax: i64) -> (i64, i64) {
    let lo = e.lo.map_or(tmin as f64, |(v, strict)| if strict { v.floor() + 1.0 } else { v.ceil() });
    let hi = e.hi.map_or(tmax as f64, |(v, strict)| if strict { v.ceil() - 1.0 } else { v.floor() });
    let (lo, hi) = (lo.max(tmin as f64), hi.min(tmax as f64));
    let hint: (f64, f64) = match () {
        _ if name_has(name, "age") => (18.0, 90.0),
        _ if name_has(name, "year") => (1990.0, 2030.0),
        _ if ["qty", "quantity", "units"].iter().any(|w| name_has(name, w)) || name.starts_with("quantity") => {
            (1.0, 20.0)
        }
        _ if ["priority", "level", "rank", "rating", "score", "stars", "severity"]
            .iter()
            .any(|w| name_has(name, w)) =>
        {
            (1.0, 5.0)
        }
        _ if ["percent", "pct", "percentage"].iter().any(|w| name_has(name, w)) => (0.0, 100.0),
        _ if ["minutes", "duration", "mins"].iter().any(|w| name_has(name, w)) => (1.0, 480.0),
        _ => (1.0, 1000.0),
    };
    clamp_hint(lo, hi, hint)
}

fn clamp_hint(lo: f64, hi: f64, (a, b): (f64, f64)) -> (i64, i64) {
    let (l, h) = if a.max(lo) <= b.min(hi) {
        (a.max(lo), b.min(hi))
    } else if lo > b {
        (lo, hi.min(lo + 1000.0))
    } else {
        (lo.max(hi - 1000.0), hi)
    };
    (l as i64, h.max(l) as i64)
}

fn float_range(name: &str, e: &Cons, tmin: f64, tmax: f64) -> (f64, f64) {
    let lo = e.lo.map_or(tmin, |(v, strict)| if strict { v + 1e-3 } else { v });
    let hi = e.hi.map_or(tmax, |(v, strict)| if strict { v - 1e-3 } else { v });
    let hint: (f64, f64) = if ["lat", "latitude"].iter().any(|w| name_has(name, w)) {
        (-60.0, 70.0)
    } else if ["lon", "lng", "longitude"].iter().any(|w| name_has(name, w)) {
        (-170.0, 170.0)
    } else {
        (0.0, 1000.0)
    };
    let (l, h) = if hint.0.max(lo) <= hint.1.min(hi) {
        (hint.0.max(lo), hint.1.min(hi))
    } else {
        (lo.max(hi - 1000.0), hi.min(lo + 1000.0))
    };
    (l, h.max(l))
}

fn decimal(name: &str, e: &Cons, precision: u32, scale: u32, at: &str, notes: &mut Vec<Note>) -> String {
    let s = if scale > 9 {
        notes.push(Note { at: at.to_string(), what: format!("scale {scale} generated at 9 digits") });
        9
    } else {
        scale
    };
    let unit = 10f64.powi(-(s as i32));

    let cap = (10f64.powi(precision.saturating_sub(scale).min(15) as i32) - unit).max(0.0);
    let lo = e.lo.map_or(-cap, |(v, strict)| if strict { v + unit } else { v }).max(-cap);
    let hi = e.hi.map_or(cap, |(v, strict)| if strict { v - unit } else { v }).min(cap);
    let hint: (f64, f64) = if ["salary", "wage", "income"].iter().any(|w| name_has(name, w)) {
        (20_000.0, 150_000.0)
    } else if ["rate", "pct", "percent", "ratio", "discount"].iter().any(|w| name_has(name, w)) {
        (0.0, 50.0)
    } else {
        (1.0, 1000.0)
    };
    let (l, h) = if hint.0.max(lo) <= hint.1.min(hi) {
        (hint.0.max(lo), hint.1.min(hi))
    } else {
        (lo.max(hi - 1000.0), hi.min(lo + 1000.0))
    };
    let round = |x: f64| (x / unit).round() * unit;
    let (l, h) = (round(l), round(h.max(l)));
    if let Some(r) = relation(e, Some(&num(unit)), (&num(l), &num(h))) {
        return format!("gen = \"decimal\", scale = {s}, {r}");
    }
    format!("gen = \"decimal\", scale = {s}, min = {}, max = {}", num(l), num(h))
}

fn time_range(t: &Table, name: &str, e: &Cons, date: bool) -> (String, String) {
    let step = if date { "1d" } else { "1m" };
    let mut lo: Option<String> = None;
    let mut hi: Option<String> = None;
    for (op, other) in &e.rel {
        match op {
            Op::Gt => lo = Some(format!("{other}+{step}")),
            Op::Ge => lo = Some(other.clone()),
            Op::Lt => hi = Some(format!("{other}-{step}")),
            Op::Le => hi = Some(other.clone()),
            Op::Eq => {
                lo = Some(other.clone());
                hi = Some(other.clone());
            }
            Op::Ne => {}
        }
    }
    let fixed = |v: &Option<String>, strict: bool, sign: char| match v {
        None => format!("now{}", if strict { format!("{sign}{step}") } else { String::new() }),
        Some(s) => format!("{s}{}", if strict { format!("{sign}{step}") } else { String::new() }),
    };
    if lo.is_none() {
        if let Some((v, strict)) = &e.time_lo {
            lo = Some(fixed(v, *strict, '+'));
        }
    }
    if hi.is_none() {
        if let Some((v, strict)) = &e.time_hi {
            hi = Some(fixed(v, *strict, '-'));
        }
    }
    let birth = ["birth", "dob", "born"].iter().any(|w| name.contains(w));
    let future =
        ["expires", "expiry", "due", "until", "ends", "end", "deadline", "scheduled"].iter().any(|w| name_has(name, w));
    let updated =
        ["updated_at", "modified_at", "changed_at"].contains(&name) && t.columns.iter().any(|c| c.name == "created_at");
    match (lo, hi) {
        (Some(l), Some(h)) => (l, h),
        (Some(l), None) => {
            let h = if l.starts_with(|c: char| c.is_ascii_alphabetic()) && !l.starts_with("now") {
                format!("{}+30d", l.split(['+', '-']).next().unwrap_or(&l))
            } else if l.starts_with("now") {
                "now+1y".into()
            } else {
                format!("{l}+1y")
            };
            (l, h)
        }
        (None, Some(h)) => {
            let l = if birth {
                "1940-01-01".into()
            } else if h.starts_with("now") {
                "now-3y".into()
            } else {
                format!("{h}-3y")
            };
            (l, h)
        }
        (None, None) if birth => ("1940-01-01".into(), "2006-12-31".into()),
        (None, None) if updated => ("created_at".into(), "now".into()),
        (None, None) if future => ("now".into(), "now+1y".into()),
        (None, None) => ("now-3y".into(), "now".into()),
    }
}

/// A TOML string: basic quotes with escapes, or a literal string where that reads better.
pub fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn key(name: &str) -> String {
    if is_identifier(name) {
        name.to_string()
    } else {
        quoted(name)
    }
}

fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.1}")
    } else {
        let s = format!("{x:.9}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A table's name in a schema file: an identifier, or `schema.table`.
fn is_table_name(name: &str) -> bool {
    match name.split_once('.') {
        Some((schema, table)) => is_identifier(schema) && is_identifier(table),
        None => is_identifier(name),
    }
}

pub fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name != "parent"
}

/// `col IS NULL` (with any parentheses and quotes) → the column.
fn is_null_predicate(pred: &str) -> Option<String> {
    let p = pred.trim().trim_start_matches('(').trim_end_matches(')').trim();
    let lower = p.to_ascii_lowercase();
    let col = lower.strip_suffix("is null")?.trim();
    let col = col.trim_start_matches('(').trim_end_matches(')').trim().trim_matches(['"', '`']);
    // Lower-case: the caller matches column names without regard to case.
    is_identifier(col).then(|| col.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::import::model::{Check, Unique};

    fn col(name: &str, ty: &str, nullable: bool) -> Column {
        Column { name: name.into(), data_type: ty.into(), nullable, ..Column::default() }
    }

    fn fk(columns: &[&str], parent: &str, parent_columns: &[&str]) -> ForeignKey {
        ForeignKey {
            name: None,
            columns: columns.iter().map(|c| c.to_string()).collect(),
            parent_schema: None,
            parent: parent.into(),
            parent_columns: parent_columns.iter().map(|c| c.to_string()).collect(),
            deferrable: false,
        }
    }

    fn table(name: &str, columns: Vec<Column>, pk: &[&str]) -> Table {
        Table {
            name: name.into(),
            columns,
            primary_key: pk.iter().map(|c| c.to_string()).collect(),
            ..Table::default()
        }
    }

    fn import(s: &DbSchema) -> Imported {
        let never = |_: &str| false;
        let out = map(
            s,
            &MapOptions {
                dialect: Dialect::Postgres,
                name: "t".into(),
                locale: "en_GB".into(),
                seed: 1,
                rows_from_stats: false,
                looks_personal: &never,
                hint: &|_: &str| None,
            },
        );
        // What is written always compiles.
        if let Err(e) = crate::schema::compile_str("imported", &out.toml, &crate::schema::Options::default()) {
            panic!("{}\n{}", e.message(), out.toml);
        }
        out
    }

    fn shop() -> DbSchema {
        let mut s = DbSchema { source: "test".into(), default_schema: Some("public".into()), ..DbSchema::default() };
        let mut customers = table(
            "customers",
            vec![col("id", "integer", false), col("email", "varchar(254)", false), col("bonus", "numeric(8,2)", true)],
            &["id"],
        );
        customers.uniques.push(Unique { name: None, columns: vec!["email".into()], predicate: None });
        customers.checks.push(Check { name: None, expr: "coalesce(bonus, 0) * 2 < 100".into() });
        let mut orders =
            table("orders", vec![col("id", "bigint", false), col("customer_id", "integer", false)], &["id"]);
        orders.foreign_keys.push(fk(&["customer_id"], "customers", &["id"]));
        let mut lines = table(
            "order_lines",
            vec![col("order_id", "bigint", false), col("line_no", "smallint", false), col("qty", "integer", false)],
            &["order_id", "line_no"],
        );
        lines.foreign_keys.push(fk(&["order_id"], "orders", &[]));
        lines.checks.push(Check { name: None, expr: "qty BETWEEN 1 AND 9".into() });
        let tags = table("tags", vec![col("id", "integer", false)], &["id"]);
        let mut order_tags = table(
            "order_tags",
            vec![col("order_id", "bigint", false), col("tag_id", "integer", false)],
            &["order_id", "tag_id"],
        );
        order_tags.foreign_keys.push(fk(&["order_id"], "orders", &["id"]));
        order_tags.foreign_keys.push(fk(&["tag_id"], "tags", &["id"]));
        let mut profile = table("profiles", vec![col("customer_id", "integer", false)], &["customer_id"]);
        profile.foreign_keys.push(fk(&["customer_id"], "customers", &["id"]));
        let mut invoices =
            table("invoices", vec![col("id", "integer", false), col("order_id", "bigint", false)], &["id"]);
        invoices.schema = Some("billing".into());
        invoices.foreign_keys.push(fk(&["order_id"], "orders", &["id"]));
        // Children first: the file lists parents first whatever the order read.
        s.tables = vec![order_tags, lines, orders, tags, customers, profile, invoices];
        s
    }

    #[test]
    fn keys_become_shapes_parents_come_first_and_the_file_compiles() {
        let out = import(&shop());
        let t = &out.toml;
        let pos = |needle: &str| t.find(needle).unwrap_or_else(|| panic!("`{needle}` missing:\n{t}"));
        assert!(pos("[tables.customers]") < pos("[tables.orders]"));
        assert!(pos("[tables.orders]") < pos("[tables.order_lines]"));
        // (order_id, line_no): children numbered under their order.
        assert!(t.contains("[tables.order_lines]\nper = \"orders\""), "{t}");
        assert!(t.contains("line_no = \"ordinal\""), "{t}");
        assert!(t.contains("qty = { gen = \"int\", min = 1, max = 9 }"), "{t}");
        // A link table: distinct tags per order.
        assert!(t.contains("[tables.order_tags]\nper = \"orders\""), "{t}");
        assert!(t.contains("tag_id = { ref = \"tags.id\", distinct = true }"), "{t}");
        // One-to-one: 0 or 1 profile per customer.
        assert!(
            t.contains("[tables.profiles]\nper = \"customers\"\ncount = { dist = \"uniform\", min = 0, max = 1 }"),
            "{t}"
        );
        // Unique email, a nullable column in an unexpressible check left null, and said so.
        assert!(t.contains("email = { gen = \"email\", unique = true }"), "{t}");
        assert!(t.contains("bonus = { gen = \"decimal\""), "{t}");
        assert!(t.lines().any(|l| l.starts_with("bonus = ") && l.contains("null = 1.0")), "{t}");
        assert!(out.notes.iter().any(|n| n.at == "customers.bonus" && n.what.contains("left null")), "{:?}", out.notes);
        // Another schema's table, named with it.
        assert!(t.contains("[tables.\"billing.invoices\"]"), "{t}");
        assert_eq!(out.tables, 7);
    }

    #[test]
    fn a_required_column_in_a_check_it_cannot_express_is_marked_for_review() {
        let mut s = DbSchema::default();
        let mut t = table("staff", vec![col("id", "integer", false), col("salary", "integer", false)], &["id"]);
        t.checks.push(Check { name: None, expr: "salary % 100 = 0".into() });
        s.tables.push(t);
        let out = import(&s);
        assert!(out.toml.contains("# REVIEW salary: check salary % 100 = 0 is not expressed"), "{}", out.toml);
    }

    #[test]
    fn text_that_looks_personal_is_withheld() {
        let mut s = DbSchema::default();
        let mut t = table("staff", vec![col("id", "integer", false), col("owner", "text", false)], &["id"]);
        t.checks.push(Check { name: None, expr: "owner IN ('ops', 'SECRET-NAME')".into() });
        t.comment = Some("call SECRET-NAME".into());
        s.tables.push(t);
        let personal = |x: &str| x.contains("SECRET-NAME");
        let out = map(
            &s,
            &MapOptions {
                dialect: Dialect::Postgres,
                name: "t".into(),
                locale: "en".into(),
                seed: 1,
                rows_from_stats: false,
                looks_personal: &personal,
                hint: &|_: &str| None,
            },
        );
        assert!(!out.toml.contains("SECRET-NAME"), "{}", out.toml);
        assert!(out.toml.contains("owner = { gen = \"choice\", values = [\"ops\"] }"), "{}", out.toml);
        assert!(out.notes.iter().all(|n| !n.what.contains("SECRET-NAME")));
    }
}
