//! What the checks, keys and partial unique indexes of a table say about each column: bounds,
//! allowed values, lengths, patterns, comparisons with another column, and what cannot be said.

use super::*;

/// What the checks and keys of a table say about one column.
#[derive(Clone, Debug, Default)]
pub(super) struct Cons {
    pub(super) lo: Option<(f64, bool)>,
    pub(super) hi: Option<(f64, bool)>,
    /// Dates/timestamps: `None` inside means `now`.
    pub(super) time_lo: Option<(Option<String>, bool)>,
    pub(super) time_hi: Option<(Option<String>, bool)>,
    pub(super) one_of: Option<Vec<Literal>>,
    pub(super) len_lo: Option<u64>,
    pub(super) len_hi: Option<u64>,
    pub(super) pattern: Option<String>,
    /// `this op other`.
    pub(super) rel: Vec<(Op, String)>,
    /// A check that cannot be expressed mentions the column: it is left null.
    pub(super) force_null: bool,
    pub(super) review: Vec<String>,
    pub(super) unique: bool,
    /// Values a partial unique index's predicate names (`WHERE status = 'cart'`): never
    /// generated, so the index never applies.
    pub(super) exclude: Vec<Literal>,
    /// A partial unique index applies where this column is null: it never is.
    pub(super) never_null: bool,
    /// A foreign key to a table that is not imported: no value could be right.
    pub(super) dangling: bool,
    /// Times of day compared with each other (`visiting_until > visiting_from`): the earlier
    /// one is drawn from the morning half of the day, the later from the afternoon.
    pub(super) half: Option<Half>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Half {
    Early,
    Late,
}

/// Whether the check text names column `c` as a word.
pub(super) fn mentions(text: &str, c: &str) -> bool {
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
pub(super) fn apply(f: &Fact, cons: &mut HashMap<&str, Cons>, tys: &HashMap<&str, Ty>) {
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

pub(super) fn tighten(e: &mut Cons, op: Op, v: f64) {
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

/// `col IS NULL` (with any parentheses and quotes) → the column.
pub(super) fn is_null_predicate(pred: &str) -> Option<String> {
    let p = pred.trim().trim_start_matches('(').trim_end_matches(')').trim();
    let lower = p.to_ascii_lowercase();
    let col = lower.strip_suffix("is null")?.trim();
    let col = col.trim_start_matches('(').trim_end_matches(')').trim().trim_matches(['"', '`']);
    // Lower-case: the caller matches column names without regard to case.
    is_identifier(col).then(|| col.to_string())
}

/// What a table's checks, keys and indexes say about its columns.
pub(super) struct Facts<'t> {
    pub(super) cons: HashMap<&'t str, Cons>,
    /// Each column's type, a domain resolved into its base type.
    pub(super) tys: HashMap<&'t str, Ty>,
    /// NOT NULL, by the column, its domain or the primary key.
    pub(super) not_null: HashMap<&'t str, bool>,
    /// The key column numbered under the `per` parent row (or taking values in turn).
    pub(super) ordinal: Option<&'t str>,
}

/// Reads the checks (the table's and its domains'), the partial unique indexes, the unique
/// sets the table's shape does not already make unique, and the foreign keys to tables not
/// imported, into what each column's generator must honour. What cannot be said is marked for
/// review and listed in `notes`.
pub(super) fn facts<'t>(
    t: &'t Table,
    fks: &[ForeignKey],
    shape: &Shape,
    schema: &DbSchema,
    opts: &MapOptions<'_>,
    notes: &mut Vec<Note>,
) -> Facts<'t> {
    let at = |c: &str| format!("{}.{c}", t.name);
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
                        format!("domain {} check {}", d.name, shown(opts, e)),
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
        readings.push((format!("check {}", shown(opts, &k.expr)), k.expr.clone(), check::read(&k.expr, None)));
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
        let index = format!("the partial unique ({}) where {}", u.columns.join(", "), shown(opts, pred));
        let column = |name: &str| t.columns.iter().find(|x| x.name.eq_ignore_ascii_case(name));
        if let Some(c) = is_null_predicate(pred).and_then(|c| column(&c)) {
            cons.get_mut(c.name.as_str()).expect("a column").never_null = true;
            notes.push(Note { at: at(&c.name), what: format!("never null, so that {index} never applies") });
            continue;
        }
        let r = check::read(pred, None);
        if let (false, [Fact::OneOf { column: name, values }]) = (r.unexpressed, r.facts.as_slice()) {
            if let Some(c) = column(name) {
                cons.get_mut(c.name.as_str()).expect("a column").exclude.extend(values.iter().cloned());
                notes.push(Note { at: at(&c.name), what: format!("the values of {index} are not generated") });
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
    Facts { cons, tys, not_null, ordinal }
}
