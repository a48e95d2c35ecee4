//! Schema → [`Plan`]: resolves tables, columns and references, builds every generator, and
//! rejects what cannot work (unknown names, cycles, impossible ranges) before anything runs.

use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::batch::DataType;
use crate::error::Error;
use crate::generate::column::Generate;
use crate::generate::gen::relation::{CopyGen, Pick};
use crate::generate::gen::temporal::ColRef;
use crate::generate::gen::text::MaxLen;
use crate::generate::locale::{locale, Locale, LOCALE_CODES};
use crate::generate::plan::{ColumnPlan, Plan, RelationPlan, SchemaLiteral, Size, TablePlan};
use crate::generate::rng::Key;
use crate::temporal::MICROS_PER_DAY;

use super::generators::Opts;
use super::tables::parse_count;
use super::value::{parse_range_end, Base};
use crate::toml_cursor::{parse, Node, Source, TableNode};

/// Every generator name a column's `gen` may take (plus `ref = "table.column"`).
pub const GENERATORS: &[&str] = &[
    "sequence",
    "int",
    "float",
    "decimal",
    "bool",
    "date",
    "timestamp",
    "time",
    "choice",
    "regex",
    "uuid",
    "lorem",
    "template",
    "copy",
    "ordinal",
    "email",
    "phone",
    "nhs_number",
    "ssn",
    "nino",
    "card_number",
    "iban",
    "ipv4",
    "ipv6",
    "first_name",
    "last_name",
    "full_name",
    "title",
    "street_address",
    "city",
    "postcode",
    "state",
    "country",
    "country_code",
    "company",
    "job_title",
];

/// Run settings that shape the plan.
#[derive(Clone, Debug)]
pub struct Options {
    /// Overrides the schema's `seed` (default 0).
    pub seed: Option<u64>,
    /// Multiplies every fixed row count.
    pub scale: f64,
    /// Overrides the schema's `now` (default: today, 00:00 UTC).
    pub now: Option<i64>,
}

impl Default for Options {
    fn default() -> Options {
        Options { seed: None, scale: 1.0, now: None }
    }
}

/// Reads and compiles a schema file.
pub fn compile_file(path: &Path, opts: &Options) -> Result<Plan, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        let mut err = Error::io("cannot read schema", path, e);
        err = Error::config(err.message().to_string());
        err
    })?;
    let name = path.display().to_string();
    compile_str(&name, &text, opts)
}

/// Compiles schema text; `name` is used in messages.
pub fn compile_str(name: &str, text: &str, opts: &Options) -> Result<Plan, Error> {
    let src = Source { name, text };
    if text.trim().is_empty() {
        return Err(Error::config(format!("{name}: the schema file is empty; it needs at least one [tables.NAME]")));
    }
    if !(opts.scale.is_finite() && opts.scale > 0.0) {
        return Err(Error::usage(format!("--scale must be a positive number, found {}", opts.scale)));
    }
    let doc = parse(&src)?;
    let root = Node { src: &src, path: String::new(), value: &doc };
    let top = root.table()?;
    let schema_name = match top.get("name") {
        Some(n) => n.str()?.to_string(),
        None => Path::new(name).file_stem().map_or("schema".into(), |s| s.to_string_lossy().into_owned()),
    };
    top.get("description");
    let seed = match (opts.seed, top.get("seed")) {
        (Some(s), _) => s,
        (None, Some(n)) => n.u64()?,
        (None, None) => 0,
    };
    let now = match (opts.now, top.get("now")) {
        (Some(t), _) => t,
        (None, Some(n)) => match parse_range_end(n.str()?) {
            Ok((Base::Fixed(t), off)) => off.apply_micros(t),
            _ => return Err(n.error("`now` must be a date or timestamp such as \"2026-01-01T00:00:00Z\"")),
        },
        (None, None) => today_utc(),
    };
    let default_locale = match top.get("locale") {
        Some(n) => resolve_locale(&n)?,
        None => locale("en").expect("the en locale exists"),
    };
    let tables_node = top.require("tables")?;
    top.deny_unknown("at the top of a schema")?;
    let tables_tbl = tables_node.table()?;
    let entries = tables_tbl.entries();
    if entries.is_empty() {
        return Err(tables_node.error("no tables declared; add one as [tables.NAME]"));
    }

    let mut c = Compiler {
        root_key: Key::root(seed),
        now,
        scale: opts.scale,
        tables: Vec::new(),
        state: Vec::new(),
        plans: Vec::new(),
        relations: Vec::new(),
        stack: Vec::new(),
        children_overrides: Vec::new(),
        literals: Vec::new(),
    };
    for (tname, tnode) in &entries {
        // `schema.table`: a PostgreSQL table outside the search path's schema.
        match tname.split_once('.') {
            Some((schema, table)) => {
                check_identifier(tnode, schema, "schema")?;
                check_identifier(tnode, table, "table")?;
            }
            None => check_identifier(tnode, tname, "table")?,
        }
        let tn = tnode.table()?;
        let locale = match tn.get("locale") {
            Some(n) => resolve_locale(&n)?,
            None => default_locale,
        };
        tn.get("description");
        let cols_node = tn.require("columns")?;
        let cols = cols_node.table()?.entries();
        if cols.is_empty() {
            return Err(cols_node.error("a table needs at least one column"));
        }
        for (cname, cnode) in &cols {
            check_identifier(cnode, cname, "column")?;
        }
        let ncols = cols.len();
        c.tables.push(TableSrc { name: tname, node: tn, columns: cols, locale, per: None, line: tnode.line() });
        c.state.push(vec![State::Todo; ncols]);
        c.plans.push((0..ncols).map(|_| None).collect());
        c.relations.push(Vec::new());
        c.children_overrides.push(Vec::new());
    }
    // Sizes first: references need to know which table is generated per which.
    let mut sizes = Vec::new();
    for t in 0..c.tables.len() {
        sizes.push(c.size(t)?);
    }
    for t in 0..c.tables.len() {
        for col in 0..c.tables[t].columns.len() {
            c.column(t, col)?;
        }
    }
    let mut scenarios = Vec::new();
    for t in 0..c.tables.len() {
        scenarios.push(c.scenarios(t, &sizes)?);
    }
    for t in 0..c.tables.len() {
        c.tables[t]
            .node
            .deny_unknown("in a table (valid: rows or per + count, locale, columns, scenarios, description)")?;
    }
    let order = table_order(&c, &sizes)?;

    let Compiler { tables, plans, relations, children_overrides, literals, .. } = c;
    let mut out = Vec::new();
    for (t, ((src, cols), rels)) in tables.iter().zip(plans).zip(relations).enumerate() {
        let columns: Vec<ColumnPlan> = cols.into_iter().map(|p| p.expect("every column compiled")).collect();
        let fill_order = fill_order(&columns);
        let mut size = sizes[t].clone();
        if let Size::Per { overrides, .. } = &mut size {
            *overrides = children_overrides[t].clone();
            overrides.sort_unstable();
        }
        out.push(TablePlan {
            name: Arc::from(src.name),
            key: Key::root(seed).derive(src.name),
            size,
            columns,
            fill_order,
            relations: rels,
            scenarios: std::mem::take(&mut scenarios[t]),
            line: src.line,
        });
    }
    Ok(Plan {
        name: schema_name,
        seed,
        now,
        schema_hash: hex(&Sha256::digest(text.as_bytes())),
        scale: opts.scale,
        tables: out,
        order,
        source: name.to_string(),
        literals,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn today_utc() -> i64 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    secs.div_euclid(86_400) * MICROS_PER_DAY
}

/// Whether a schema may name a table or column `name`: letters, digits and underscores, not
/// starting with a digit, and not `parent` (which names a row's parent in references).
pub fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name != "parent"
}

fn check_identifier(node: &Node<'_, '_>, name: &str, what: &str) -> Result<(), Error> {
    if is_identifier(name) {
        Ok(())
    } else {
        Err(node.error(format!(
            "`{name}` is not a valid {what} name: use letters, digits and underscores, not starting with a digit (and not `parent`)"
        )))
    }
}

pub(super) fn resolve_locale(n: &Node<'_, '_>) -> Result<&'static Locale, Error> {
    let code = n.str()?;
    locale(code).ok_or_else(|| n.error(format!("unknown locale `{code}`; valid locales: {}", LOCALE_CODES.join(", "))))
}

#[derive(Clone, Copy, Debug)]
pub(super) enum State {
    Todo,
    InProgress,
    Done(DataType),
}

pub(super) struct TableSrc<'a, 'i> {
    pub(super) name: &'a str,
    pub(super) node: TableNode<'a, 'i>,
    pub(super) columns: Vec<(&'a str, Node<'a, 'i>)>,
    pub(super) locale: &'static Locale,
    /// The parent table of a `per` table.
    pub(super) per: Option<usize>,
    pub(super) line: usize,
}

pub(super) struct Compiler<'a, 'i> {
    pub(super) root_key: Key,
    pub(super) now: i64,
    pub(super) scale: f64,
    pub(super) tables: Vec<TableSrc<'a, 'i>>,
    pub(super) state: Vec<Vec<State>>,
    pub(super) plans: Vec<Vec<Option<ColumnPlan>>>,
    pub(super) relations: Vec<Vec<RelationPlan>>,
    /// (table, column) being compiled, to name a cycle.
    pub(super) stack: Vec<(usize, usize)>,
    /// Per child table: (parent row, child count) from parents' scenarios.
    pub(super) children_overrides: Vec<Vec<(u64, u64)>>,
    /// Values written literally, for the gate.
    pub(super) literals: Vec<SchemaLiteral>,
}

/// What a column compiles to.
pub(super) struct Built {
    pub(super) generator: Box<dyn Generate>,
    pub(super) dtype: DataType,
    pub(super) deps: Vec<ColRef>,
    /// Whether the generator can make unique values, and how many (`Some(None)`: unbounded).
    pub(super) unique: Option<Option<u64>>,
    /// Unique whatever the schema says (sequences, UUIDs): keys by nature.
    pub(super) inherent: bool,
    pub(super) describe: String,
}

const MAX_ROWS: u64 = 1 << 50;

impl<'a, 'i> Compiler<'a, 'i> {
    pub(super) fn table_index(&self, name: &str) -> Option<usize> {
        self.tables.iter().position(|t| t.name == name)
    }

    pub(super) fn table_names(&self) -> String {
        self.tables.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
    }

    /// Records a literal of column `c` of table `t` (the column being compiled when `None`).
    pub(super) fn note_literal(&mut self, t: usize, c: Option<usize>, kind: &'static str, line: usize, text: &str) {
        let Some(c) = c.or_else(|| self.stack.last().filter(|(st, _)| *st == t).map(|&(_, c)| c)) else { return };
        if text.trim().is_empty() {
            return;
        }
        self.literals.push(SchemaLiteral {
            table: Arc::from(self.tables[t].name),
            column: Arc::from(self.tables[t].columns[c].0),
            kind,
            line,
            text: text.to_string(),
        });
    }

    pub(super) fn column_index(&self, t: usize, name: &str) -> Option<usize> {
        self.tables[t].columns.iter().position(|(n, _)| *n == name)
    }

    fn size(&mut self, t: usize) -> Result<Size, Error> {
        let tn = &self.tables[t].node;
        let rows = tn.get("rows");
        let per = tn.get("per");
        let count = tn.get("count");
        match (rows, per) {
            (Some(_), Some(p)) => Err(p.error("a table has either `rows` or `per`, not both")),
            (None, None) => Err(tn
                .node
                .error("missing `rows` (a row count) or `per` (a parent table with a `count` per parent row)")),
            (Some(r), None) => {
                if let Some(c) = count {
                    return Err(c.error("`count` goes with `per`; this table has a fixed number of `rows`"));
                }
                let n = r.f64()?;
                if n < 0.0 {
                    return Err(r.error(format!("row count must not be negative, found {n}")));
                }
                let scaled = (n * self.scale).round();
                if scaled > MAX_ROWS as f64 {
                    return Err(r.error(format!(
                        "{scaled} rows is beyond what synthgate can index (2^50); lower `rows` or --scale"
                    )));
                }
                Ok(Size::Fixed(scaled as u64))
            }
            (None, Some(p)) => {
                let pname = p.str()?;
                let parent = self
                    .table_index(pname)
                    .ok_or_else(|| p.error(format!("unknown table `{pname}`; tables: {}", self.table_names())))?;
                if parent == t {
                    return Err(p.error("a table cannot be generated per row of itself"));
                }
                let count = match count {
                    None => return Err(p.error("`per` needs a `count`: children per parent row, e.g. count = { dist = \"uniform\", min = 0, max = 10 }")),
                    Some(c) => parse_count(&c)?,
                };
                self.tables[t].per = Some(parent);
                Ok(Size::Per { parent, count, overrides: Vec::new() })
            }
        }
    }

    pub(super) fn column(&mut self, t: usize, c: usize) -> Result<DataType, Error> {
        match self.state[t][c] {
            State::Done(dt) => return Ok(dt),
            State::InProgress => {
                let start = self.stack.iter().position(|x| *x == (t, c)).unwrap_or(0);
                let mut chain: Vec<String> = self.stack[start..]
                    .iter()
                    .map(|&(t, c)| format!("{}.{}", self.tables[t].name, self.tables[t].columns[c].0))
                    .collect();
                chain.push(format!("{}.{}", self.tables[t].name, self.tables[t].columns[c].0));
                let node = &self.tables[t].columns[c].1;
                return Err(node.error(format!("dependency cycle: {}", chain.join(" → "))));
            }
            State::Todo => {}
        }
        self.state[t][c] = State::InProgress;
        self.stack.push((t, c));
        let node = self.tables[t].columns[c].1.clone();
        let cname = self.tables[t].columns[c].0;
        let key = self.root_key.derive(self.tables[t].name).derive(cname);
        let (built, null, unique) = if node.is_str() {
            // Shorthand: `first_name = "first_name"` names a generator with no options.
            let gen = node.str()?;
            (self.build(t, &node, gen, &Opts::None, key, false)?, 0.0, false)
        } else {
            let tn = node.table()?;
            let null = match tn.get("null") {
                Some(n) => n.probability()?,
                None => 0.0,
            };
            let unique = match tn.get("unique") {
                Some(n) => n.bool()?,
                None => false,
            };
            tn.get("description");
            let max_length = tn.get("max_length").map(|n| n.u64().map(|m| (n.clone(), m))).transpose()?;
            let opts = Opts::Table(&tn);
            let built = match (tn.get("gen"), tn.get("ref")) {
                (Some(g), Some(_)) => return Err(g.error("a column has either `gen` or `ref`, not both")),
                (None, Some(r)) => self.reference(t, &r, &opts, unique)?,
                (Some(g), None) => {
                    let gen = g.str()?;
                    self.build(t, &g, gen, &opts, key, unique)?
                }
                (None, None) => {
                    return Err(node.error(format!(
                        "missing `gen` (a generator) or `ref` (a foreign key \"table.column\"); generators: {}",
                        GENERATORS.join(", ")
                    )))
                }
            };
            let gen_name = tn.get("gen").map(|g| g.str().unwrap_or("?").to_string()).unwrap_or_else(|| "ref".into());
            tn.deny_unknown(&format!("for generator `{gen_name}`"))?;
            if unique && built.unique.is_none() {
                return Err(node.error(format!(
                    "`unique = true` is not supported for generator `{gen_name}`; unique values come from sequence, int (uniform), uuid, template with {{row}}, email, identifiers, or a one-to-one ref"
                )));
            }
            if unique && null > 0.0 {
                return Err(node.error("a unique column cannot also have `null`"));
            }
            let mut built = built;
            if let Some((n, max)) = max_length {
                if built.dtype != DataType::Utf8 {
                    return Err(n.error(format!("`max_length` cuts text; this column is {}", built.dtype.name())));
                }
                if max == 0 || max > 1_000_000 {
                    return Err(n.error("`max_length` must be between 1 and 1000000"));
                }
                if unique || (built.inherent && built.unique.is_some()) {
                    return Err(n.error("a unique column cannot be cut to `max_length` (two values could become one); make the values short enough instead"));
                }
                built.generator = Box::new(MaxLen { inner: built.generator, max: max as usize });
                built.describe = format!("{}, at most {max} characters", built.describe);
            }
            (built, null, unique)
        };
        self.plans[t][c] = Some(ColumnPlan {
            name: Arc::from(cname),
            dtype: built.dtype,
            null,
            key,
            generator: built.generator,
            deps: built.deps,
            unique: if unique || built.inherent { built.unique } else { None },
            describe: built.describe,
        });
        self.state[t][c] = State::Done(built.dtype);
        self.stack.pop();
        Ok(built.dtype)
    }

    /// A relation from `t` to `parent` by `name`, created on first use.
    pub(super) fn relation(&mut self, t: usize, parent: usize, name: Option<&str>, pick: Pick) -> usize {
        self.relation_with(t, parent, name, pick, false)
    }

    /// `implicit`: made by a column reading `table.col`, so a later `ref` may set its pick.
    fn relation_with(&mut self, t: usize, parent: usize, name: Option<&str>, pick: Pick, implicit: bool) -> usize {
        let name = name.unwrap_or(self.tables[parent].name).to_string();
        if let Some(i) = self.relations[t].iter().position(|r| r.name == name && r.parent == parent) {
            return i;
        }
        let key = self.root_key.derive(self.tables[t].name).derive("relation").derive(&name);
        self.relations[t].push(RelationPlan { parent, pick, key, name, implicit });
        self.relations[t].len() - 1
    }

    /// Resolves `col`, `parent.col` or `table.col` seen from table `t`.
    pub(super) fn column_ref(
        &mut self,
        t: usize,
        node: &Node<'_, '_>,
        text: &str,
    ) -> Result<(ColRef, DataType), Error> {
        // The last dot parts the column from its table (which may be `schema.table`).
        match text.rsplit_once('.') {
            None => {
                let c = self.column_index(t, text).ok_or_else(|| {
                    node.error(format!(
                        "unknown column `{text}` in table `{}`; columns: {}",
                        self.tables[t].name,
                        self.column_names(t)
                    ))
                })?;
                let dt = self.column(t, c)?;
                Ok((ColRef::Row(c), dt))
            }
            Some((tbl, col)) => {
                let parent = if tbl == "parent" {
                    self.tables[t].per.ok_or_else(|| {
                        node.error(format!(
                            "`parent.` needs a table generated `per` a parent; `{}` has fixed rows",
                            self.tables[t].name
                        ))
                    })?
                } else {
                    self.table_index(tbl)
                        .ok_or_else(|| node.error(format!("unknown table `{tbl}`; tables: {}", self.table_names())))?
                };
                let pc = self.column_index(parent, col).ok_or_else(|| {
                    node.error(format!(
                        "unknown column `{col}` in table `{}`; columns: {}",
                        self.tables[parent].name,
                        self.column_names(parent)
                    ))
                })?;
                let pick = if self.tables[t].per == Some(parent) {
                    Pick::Own
                } else if parent == t {
                    return Err(
                        node.error("a column cannot read another row of its own table; use `ref` for a self-reference")
                    );
                } else {
                    Pick::Uniform
                };
                let implicit = pick == Pick::Uniform;
                let rel = self.relation_with(t, parent, None, pick, implicit);
                let dt = self.column(parent, pc)?;
                Ok((ColRef::Parent(rel, pc), dt))
            }
        }
    }

    pub(super) fn column_names(&self, t: usize) -> String {
        self.tables[t].columns.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    }

    /// `ref = "table.column"`: a foreign key, a copy of the parent row's key.
    pub(super) fn reference(
        &mut self,
        t: usize,
        r: &Node<'_, '_>,
        opts: &Opts<'_, '_, '_>,
        unique: bool,
    ) -> Result<Built, Error> {
        let text = r.str()?;
        let Some((tbl, col)) = text.rsplit_once('.') else {
            return Err(r.error(format!("`ref` must be \"table.column\", found `{text}`")));
        };
        let parent = self
            .table_index(tbl)
            .ok_or_else(|| r.error(format!("unknown table `{tbl}`; tables: {}", self.table_names())))?;
        let pc = self.column_index(parent, col).ok_or_else(|| {
            r.error(format!("unknown column `{col}` in table `{tbl}`; columns: {}", self.column_names(parent)))
        })?;
        let rel_name = opts.get("relation").map(|n| n.str().map(str::to_string)).transpose()?;
        let dist = opts.get("dist").map(|n| n.str().map(str::to_string)).transpose()?;
        let distinct = opts.get("distinct").map(|n| n.bool()).transpose()?.unwrap_or(false);
        let exponent = opts.get("exponent").map(|n| n.f64()).transpose()?;
        let own = self.tables[t].per == Some(parent) && rel_name.is_none() && !distinct;
        // Options that only shape a random pick must not be silently ignored elsewhere.
        let picks_randomly = !(own || parent == t || distinct || unique);
        for k in ["dist", "exponent"] {
            if let (Some(n), false) = (opts.get(k), picks_randomly) {
                return Err(n.error(format!(
                    "`{k}` shapes a random choice of parent rows; this ref {}",
                    if parent == t {
                        "points at an earlier row of its own table"
                    } else if own {
                        "follows the `per` parent row (give it `relation = \"name\"` for a random parent instead)"
                    } else {
                        "picks distinct or one-to-one parents"
                    }
                )));
            }
        }
        if unique && distinct {
            return Err(r.error("`unique` and `distinct` exclude each other: unique is one child per parent overall, distinct is different parents within one `per` row"));
        }
        let pick = if parent == t {
            if unique || distinct {
                return Err(r.error("a self-reference cannot be unique or distinct"));
            }
            Pick::Earlier
        } else if distinct {
            if self.tables[t].per.is_none() {
                return Err(r.error("`distinct = true` picks different parents for the children of one row; it needs a table generated `per` a parent"));
            }
            Pick::DistinctPerOwner
        } else if unique {
            if own {
                return Err(r.error("the ref to the `per` parent repeats for every child of a row, so it cannot be unique; for one-to-one, give the table `rows` and keep `unique = true`"));
            }
            Pick::OneToOne
        } else if own {
            Pick::Own
        } else {
            match dist.as_deref() {
                None | Some("uniform") => Pick::Uniform,
                Some("zipf") => Pick::Zipf { exponent: exponent.unwrap_or(1.1) },
                Some(other) => {
                    return Err(opts
                        .get("dist")
                        .unwrap()
                        .error(format!("unknown dist `{other}` for a ref; valid: uniform, zipf")))
                }
            }
        };
        if exponent.is_some_and(|e| e <= 0.0) {
            return Err(opts.get("exponent").unwrap().error("`exponent` must be positive"));
        }
        let rel = if own {
            self.relation(t, parent, None, Pick::Own)
        } else {
            // Distinct, one-to-one and self references pick their own parents: unless named,
            // each gets a relation of its own, named after the column.
            let (_, this) = *self.stack.last().expect("a column is being compiled");
            let default_name = match (&rel_name, distinct || unique || parent == t) {
                (Some(n), _) => Some(n.clone()),
                (None, true) => Some(format!("{}#self", self.tables[t].columns[this].0)),
                (None, false) => None,
            };
            let rel = self.relation(t, parent, default_name.as_deref(), pick.clone());
            let existing = &mut self.relations[t][rel];
            if existing.pick != pick {
                // A copy or template that reads `table.col` made the relation first, with the
                // default uniform pick: the ref's own pick decides.
                if existing.implicit {
                    existing.pick = pick;
                    existing.implicit = false;
                } else {
                    return Err(r.error(format!(
                        "relation `{}` already picks its parent rows another way; give this ref its own `relation = \"name\"`",
                        existing.name
                    )));
                }
            }
            rel
        };
        let dt = self.column(parent, pc)?;
        let describe = format!("ref {tbl}.{col}");
        Ok(Built {
            generator: Box::new(CopyGen { from: ColRef::Parent(rel, pc) }),
            dtype: dt,
            deps: vec![ColRef::Parent(rel, pc)],
            unique: if unique { Some(None) } else { None },
            inherent: false,
            describe,
        })
    }
}

/// Same-row dependency order (declared order where free).
fn fill_order(columns: &[ColumnPlan]) -> Vec<usize> {
    fn visit(c: usize, columns: &[ColumnPlan], seen: &mut [bool], out: &mut Vec<usize>) {
        if seen[c] {
            return;
        }
        seen[c] = true;
        for d in &columns[c].deps {
            if let ColRef::Row(r) = d {
                visit(*r, columns, seen, out);
            }
        }
        out.push(c);
    }
    let mut seen = vec![false; columns.len()];
    let mut out = Vec::new();
    for c in 0..columns.len() {
        visit(c, columns, &mut seen, &mut out);
    }
    out
}

/// Tables ordered so that a `per` table follows its parent; a `per` cycle is an error.
fn table_order(c: &Compiler<'_, '_>, sizes: &[Size]) -> Result<Vec<usize>, Error> {
    let n = sizes.len();
    let mut state = vec![0u8; n];
    let mut out = Vec::new();
    fn visit(
        t: usize,
        sizes: &[Size],
        state: &mut [u8],
        out: &mut Vec<usize>,
        path: &mut Vec<usize>,
    ) -> Result<(), Vec<usize>> {
        match state[t] {
            2 => return Ok(()),
            1 => {
                let start = path.iter().position(|&x| x == t).unwrap_or(0);
                let mut cycle = path[start..].to_vec();
                cycle.push(t);
                return Err(cycle);
            }
            _ => {}
        }
        state[t] = 1;
        path.push(t);
        if let Size::Per { parent, .. } = &sizes[t] {
            visit(*parent, sizes, state, out, path)?;
        }
        path.pop();
        state[t] = 2;
        out.push(t);
        Ok(())
    }
    for t in 0..n {
        visit(t, sizes, &mut state, &mut out, &mut Vec::new()).map_err(|cycle| {
            let names: Vec<&str> = cycle.iter().map(|&t| c.tables[t].name).collect();
            let first = &c.tables[cycle[0]];
            first.node.node.error(format!("`per` cycle: {}", names.join(" → ")))
        })?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literals(schema: &str) -> Vec<(String, &'static str, usize, String)> {
        let plan = compile_str("s.toml", schema, &Options::default()).unwrap();
        assert_eq!(plan.source, "s.toml");
        plan.literals.iter().map(|l| (format!("{}.{}", l.table, l.column), l.kind, l.line, l.text.clone())).collect()
    }

    #[test]
    fn values_written_in_the_schema_are_collected_for_the_gate() {
        let schema = r#"[tables.t]
rows = 10
[tables.t.columns]
id = { gen = "sequence" }
status = { gen = "choice", values = ["new", "paid"] }
ref = { gen = "choice", values = [4929390612345673, 7] }
note = { gen = "template", template = "Dear {status}, ref {row:04}." }
code = { gen = "regex", pattern = "(ab|cd)-[0-9]{2}x+" }
first = "first_name"

[[tables.t.scenarios]]
row = 2
values = { status = "Zoë", ref = 12 }
"#;
        assert_eq!(
            literals(schema),
            [
                ("t.status".to_string(), "choice value", 5, "new".to_string()),
                ("t.status".into(), "choice value", 5, "paid".into()),
                ("t.ref".into(), "choice value", 6, "4929390612345673".into()),
                ("t.ref".into(), "choice value", 6, "7".into()),
                ("t.note".into(), "template text", 7, "Dear ".into()),
                ("t.note".into(), "template text", 7, ", ref ".into()),
                ("t.note".into(), "template text", 7, ".".into()),
                ("t.code".into(), "regex text", 8, "ab".into()),
                ("t.code".into(), "regex text", 8, "cd".into()),
                ("t.code".into(), "regex text", 8, "-".into()),
                ("t.code".into(), "regex text", 8, "x".into()),
                ("t.status".into(), "scenario value", 13, "Zoë".into()),
                ("t.ref".into(), "scenario value", 13, "12".into()),
            ]
        );
    }

    #[test]
    fn a_template_that_reads_another_column_names_its_own_column() {
        // `note` compiles `status` first (a dependency): each literal keeps its own column.
        let schema = r#"[tables.t]
rows = 1
[tables.t.columns]
note = { gen = "template", template = "to {status}!" }
status = { gen = "choice", values = ["x"] }
"#;
        let got = literals(schema);
        assert!(got.contains(&("t.status".to_string(), "choice value", 5, "x".to_string())), "{got:?}");
        assert!(got.contains(&("t.note".to_string(), "template text", 4, "to ".to_string())), "{got:?}");
    }
}
