//! Schema → [`Plan`]: resolves tables, columns and references, builds every generator, and
//! rejects what cannot work (unknown names, cycles, impossible ranges) before anything runs.

use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::batch::{DataType, Values};
use crate::error::Error;
use crate::generate::column::Generate;
use crate::generate::gen::identifier::IdentifierGen;
use crate::generate::gen::numeric::{BoolGen, DecimalGen, Dist, FloatGen, IntGen, Numeric, Sequence};
use crate::generate::gen::person::{Field, PersonGen};
use crate::generate::gen::relation::{CopyGen, OrdinalGen, Pick};
use crate::generate::gen::temporal::{Bound, ColRef, TemporalGen, TimeGen, Unit};
use crate::generate::gen::text::{is_reserved_domain, Choice, EmailGen, Lorem, Part, RegexGen, Template, UuidGen};
use crate::generate::locale::{locale, Locale, LOCALE_CODES};
use crate::generate::permute::Permutation;
use crate::generate::plan::{ColumnPlan, Count, Plan, RelationPlan, ScenarioPlan, Size, TablePlan};
use crate::generate::rng::Key;
use crate::reserved::{Kind, Space};
use crate::temporal::{parse_time, MICROS_PER_DAY};

use super::node::{parse, Node, Source, TableNode};
use super::value::{literal, parse_range_end, Base};

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
    };
    for (tname, tnode) in &entries {
        check_identifier(tnode, tname, "table")?;
        let tn = tnode.table()?;
        let locale = match tn.get("locale") {
            Some(n) => resolve_locale(&n)?,
            None => default_locale,
        };
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

    let Compiler { tables, plans, relations, children_overrides, .. } = c;
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
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn today_utc() -> i64 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    secs.div_euclid(86_400) * MICROS_PER_DAY
}

fn check_identifier(node: &Node<'_, '_>, name: &str, what: &str) -> Result<(), Error> {
    let ok = !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name != "parent";
    if ok {
        Ok(())
    } else {
        Err(node.error(format!(
            "`{name}` is not a valid {what} name: use letters, digits and underscores, not starting with a digit (and not `parent`)"
        )))
    }
}

fn resolve_locale(n: &Node<'_, '_>) -> Result<&'static Locale, Error> {
    let code = n.str()?;
    locale(code).ok_or_else(|| n.error(format!("unknown locale `{code}`; valid locales: {}", LOCALE_CODES.join(", "))))
}

#[derive(Clone, Copy, Debug)]
enum State {
    Todo,
    InProgress,
    Done(DataType),
}

struct TableSrc<'a, 'i> {
    name: &'a str,
    node: TableNode<'a, 'i>,
    columns: Vec<(&'a str, Node<'a, 'i>)>,
    locale: &'static Locale,
    /// The parent table of a `per` table.
    per: Option<usize>,
    line: usize,
}

struct Compiler<'a, 'i> {
    root_key: Key,
    now: i64,
    scale: f64,
    tables: Vec<TableSrc<'a, 'i>>,
    state: Vec<Vec<State>>,
    plans: Vec<Vec<Option<ColumnPlan>>>,
    relations: Vec<Vec<RelationPlan>>,
    /// (table, column) being compiled, to name a cycle.
    stack: Vec<(usize, usize)>,
    /// Per child table: (parent row, child count) from parents' scenarios.
    children_overrides: Vec<Vec<(u64, u64)>>,
}

/// What a column compiles to.
struct Built {
    generator: Box<dyn Generate>,
    dtype: DataType,
    deps: Vec<ColRef>,
    /// Whether the generator can make unique values, and how many (`Some(None)`: unbounded).
    unique: Option<Option<u64>>,
    /// Unique whatever the schema says (sequences, UUIDs): keys by nature.
    inherent: bool,
    describe: String,
}

const MAX_ROWS: u64 = 1 << 50;

impl<'a, 'i> Compiler<'a, 'i> {
    fn table_index(&self, name: &str) -> Option<usize> {
        self.tables.iter().position(|t| t.name == name)
    }

    fn table_names(&self) -> String {
        self.tables.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
    }

    fn column_index(&self, t: usize, name: &str) -> Option<usize> {
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

    fn column(&mut self, t: usize, c: usize) -> Result<DataType, Error> {
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
    fn relation(&mut self, t: usize, parent: usize, name: Option<&str>, pick: Pick) -> usize {
        let name = name.unwrap_or(self.tables[parent].name).to_string();
        if let Some(i) = self.relations[t].iter().position(|r| r.name == name && r.parent == parent) {
            return i;
        }
        let key = self.root_key.derive(self.tables[t].name).derive("relation").derive(&name);
        self.relations[t].push(RelationPlan { parent, pick, key, name });
        self.relations[t].len() - 1
    }

    /// Resolves `col`, `parent.col` or `table.col` seen from table `t`.
    fn column_ref(&mut self, t: usize, node: &Node<'_, '_>, text: &str) -> Result<(ColRef, DataType), Error> {
        match text.split_once('.') {
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
                let rel = self.relation(t, parent, None, pick);
                let dt = self.column(parent, pc)?;
                Ok((ColRef::Parent(rel, pc), dt))
            }
        }
    }

    fn column_names(&self, t: usize) -> String {
        self.tables[t].columns.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
    }

    /// `ref = "table.column"`: a foreign key, a copy of the parent row's key.
    fn reference(&mut self, t: usize, r: &Node<'_, '_>, opts: &Opts<'_, '_, '_>, unique: bool) -> Result<Built, Error> {
        let text = r.str()?;
        let Some((tbl, col)) = text.split_once('.') else {
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
        let own = self.tables[t].per == Some(parent) && rel_name.is_none();
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
                return Err(r.error("the per-parent reference is unique only with a fixed count of 1; drop `unique`"));
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
        let rel = if own && !distinct {
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
            let existing = &self.relations[t][rel].pick;
            if std::mem::discriminant(existing) != std::mem::discriminant(&pick) {
                return Err(r.error(format!(
                    "relation `{}` is already used with another pick; give this ref its own `relation = \"name\"`",
                    self.relations[t][rel].name
                )));
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

    fn build(
        &mut self,
        t: usize,
        at: &Node<'_, '_>,
        gen: &str,
        opts: &Opts<'_, '_, '_>,
        key: Key,
        unique: bool,
    ) -> Result<Built, Error> {
        let simple = |g: Box<dyn Generate>, dt: DataType, describe: String| Built {
            generator: g,
            dtype: dt,
            deps: Vec::new(),
            unique: None,
            inherent: false,
            describe,
        };
        let locale = match opts.get("locale") {
            Some(n) => resolve_locale(&n)?,
            None => self.tables[t].locale,
        };
        if let Some(field) = Field::parse(gen) {
            return Ok(simple(
                Box::new(PersonGen { field, locale }),
                DataType::Utf8,
                format!("{gen} ({})", locale.code),
            ));
        }
        let built = match gen {
            "sequence" => {
                let start = opt_i64(opts, "start")?.unwrap_or(1);
                let step = opt_i64(opts, "step")?.unwrap_or(1);
                if step == 0 {
                    return Err(opts.get("step").unwrap().error("`step` must not be 0"));
                }
                Built {
                    unique: Some(None),
                    inherent: true,
                    ..simple(Box::new(Sequence { start, step }), DataType::Int64, format!("sequence from {start}"))
                }
            }
            "int" => {
                let numeric = numeric(opts, at)?;
                match numeric.dist {
                    Dist::Uniform { min, max } => {
                        let (lo, hi) = (min as i64, max as i64);
                        if lo as f64 != min || hi as f64 != max {
                            return Err(at.error("`min` and `max` of an int must be integers"));
                        }
                        let span = (hi as i128 - lo as i128 + 1) as u128;
                        if unique {
                            let cap = u64::try_from(span).unwrap_or(u64::MAX);
                            let perm = Permutation::new(key, cap);
                            Built {
                                unique: Some(Some(cap)),
                                ..simple(
                                    Box::new(IntGen::Unique { min: lo, perm }),
                                    DataType::Int64,
                                    format!("unique int {lo}..={hi}"),
                                )
                            }
                        } else {
                            simple(
                                Box::new(IntGen::Uniform { min: lo, max: hi }),
                                DataType::Int64,
                                format!("int {lo}..={hi}"),
                            )
                        }
                    }
                    _ => simple(Box::new(IntGen::Shaped(numeric)), DataType::Int64, format!("int {:?}", numeric.dist)),
                }
            }
            "float" => {
                let numeric = numeric(opts, at)?;
                let round = opt_u64(opts, "round")?.map(|r| r.min(15) as u8);
                simple(Box::new(FloatGen { numeric, round }), DataType::Float64, format!("float {:?}", numeric.dist))
            }
            "decimal" => {
                let numeric = numeric(opts, at)?;
                let scale = opt_u64(opts, "scale")?.unwrap_or(2);
                if scale > 9 {
                    return Err(opts.get("scale").unwrap().error("`scale` must be between 0 and 9"));
                }
                let scale = scale as u8;
                let limit = 9.2e18 / 10f64.powi(scale as i32);
                if numeric.min.is_some_and(|m| m.abs() > limit) || numeric.max.is_some_and(|m| m.abs() > limit) {
                    return Err(at.error("decimal bounds do not fit in 18 digits at this scale"));
                }
                simple(
                    Box::new(DecimalGen { numeric, scale }),
                    DataType::Decimal { scale },
                    format!("decimal({scale}) {:?}", numeric.dist),
                )
            }
            "bool" => {
                let p = opts.get("p").map(|n| n.probability()).transpose()?.unwrap_or(0.5);
                simple(Box::new(BoolGen { p }), DataType::Bool, format!("bool p={p}"))
            }
            "date" | "timestamp" => {
                let unit = if gen == "date" { Unit::Date } else { Unit::Timestamp };
                let mut deps = Vec::new();
                let min = self.bound(t, opts, "min", "now-1y", &mut deps)?;
                let max = self.bound(t, opts, "max", "now", &mut deps)?;
                if let (Bound::Fixed(a), Bound::Fixed(b)) = (min, max) {
                    if a > b {
                        return Err(at.error("`min` is after `max`"));
                    }
                }
                let dt = if gen == "date" { DataType::Date } else { DataType::Timestamp };
                Built { deps, ..simple(Box::new(TemporalGen { unit, min, max }), dt, gen.to_string()) }
            }
            "time" => {
                let get = |k: &'static str, default: &str| -> Result<i64, Error> {
                    match opts.get(k) {
                        None => Ok(parse_time(default).expect("default time parses")),
                        Some(n) => parse_time(n.str()?).ok_or_else(|| n.error("expected a time \"HH:MM[:SS]\"")),
                    }
                };
                let (min, max) = (get("min", "00:00:00")?, get("max", "23:59:59")?);
                if min > max {
                    return Err(at.error("`min` is after `max`"));
                }
                simple(Box::new(TimeGen { min, max }), DataType::Time, "time".into())
            }
            "choice" => self.choice(opts, at)?,
            "regex" => {
                let p = opts.require("pattern", at)?;
                let pattern = p.str()?;
                let max_repeat = opt_u64(opts, "max_repeat")?.unwrap_or(8) as u32;
                let hir =
                    regex_syntax::ParserBuilder::new().unicode(false).build().parse(pattern).map_err(|e| {
                        p.error(format!("invalid regex: {}", e.to_string().lines().last().unwrap_or("")))
                    })?;
                let regex = rand_regex::Regex::with_hir(hir, max_repeat)
                    .map_err(|e| p.error(format!("cannot generate from this regex: {e}")))?;
                simple(Box::new(RegexGen { regex }), DataType::Utf8, format!("regex /{pattern}/"))
            }
            "uuid" => Built {
                unique: Some(None),
                inherent: true,
                ..simple(Box::new(UuidGen::new(key)), DataType::Utf8, "uuid".into())
            },
            "lorem" => {
                let (min, max) = match opts.get("words") {
                    None => (3, 12),
                    Some(n) => {
                        let items = n.array()?;
                        if items.len() != 2 {
                            return Err(n.error("`words` is [min, max]"));
                        }
                        (items[0].u64()?, items[1].u64()?)
                    }
                };
                if min > max || max > 10_000 {
                    return Err(opts.get("words").unwrap().error("`words` must be [min, max] with min ≤ max ≤ 10000"));
                }
                simple(
                    Box::new(Lorem { words: locale.lorem_words(), min: min as u32, max: max as u32 }),
                    DataType::Utf8,
                    format!("lorem {min}..={max} words"),
                )
            }
            "template" => {
                let tn = opts.require("template", at)?;
                let text = tn.str()?;
                let (parts, deps) = self.template(t, &tn, text)?;
                let has_row = parts.iter().any(|p| matches!(p, Part::Row { .. }));
                Built {
                    generator: Box::new(Template { parts, null_if_any_null: false }),
                    dtype: DataType::Utf8,
                    deps,
                    unique: has_row.then_some(None),
                    inherent: false,
                    describe: format!("template \"{text}\""),
                }
            }
            "copy" => {
                let f = opts.require("from", at)?;
                let (from, dt) = self.column_ref(t, &f, f.str()?)?;
                Built { deps: vec![from], ..simple(Box::new(CopyGen { from }), dt, format!("copy of {}", f.str()?)) }
            }
            "ordinal" => {
                if self.tables[t].per.is_none() {
                    return Err(at.error(
                        "`ordinal` numbers the children of a parent row; it needs a table generated `per` a parent",
                    ));
                }
                let start = opt_i64(opts, "start")?.unwrap_or(1);
                simple(Box::new(OrdinalGen { start }), DataType::Int64, "ordinal".into())
            }
            "email" => {
                let mut deps = Vec::new();
                if let Some(f) = opts.get("from") {
                    for item in f.array()? {
                        let (c, _) = self.column_ref(t, &item, item.str()?)?;
                        deps.push(c);
                    }
                }
                let domains = match opts.get("domain") {
                    None => vec!["example.com".to_string()],
                    Some(d) if d.is_array() => {
                        d.array()?.iter().map(|n| n.str().map(str::to_string)).collect::<Result<_, _>>()?
                    }
                    Some(d) => vec![d.str()?.to_string()],
                };
                for d in &domains {
                    if !is_reserved_domain(d) {
                        return Err(opts.get("domain").unwrap().error(format!(
                            "`{d}` is not a reserved domain; synthetic emails use example.com, example.net, example.org, *.example or *.test (RFC 2606, RFC 6761)"
                        )));
                    }
                }
                Built {
                    generator: Box::new(EmailGen { from: deps.clone(), domains, unique, locale }),
                    dtype: DataType::Utf8,
                    deps,
                    unique: Some(None),
                    inherent: false,
                    describe: "email (reserved domain)".into(),
                }
            }
            "phone" | "nhs_number" | "ssn" | "nino" | "card_number" | "iban" | "ipv4" | "ipv6" => {
                let kind = if gen == "phone" {
                    match opts.get("region") {
                        None => Kind::PhoneGb,
                        Some(n) => match n.str()?.to_ascii_uppercase().as_str() {
                            "GB" | "UK" => Kind::PhoneGb,
                            "US" => Kind::PhoneUs,
                            other => return Err(n.error(format!("unknown phone region `{other}`; valid: GB, US"))),
                        },
                    }
                } else {
                    Kind::parse(gen).expect("listed identifier kinds parse")
                };
                let format = opts.get("format").map(|n| n.str().map(str::to_string)).transpose()?;
                let space = if kind == Kind::Iban {
                    let country = opts.get("country").map(|n| n.str().map(str::to_string)).transpose()?;
                    let print = match format.as_deref() {
                        None | Some("compact") => false,
                        Some("print") => true,
                        Some(other) => {
                            return Err(opts
                                .get("format")
                                .unwrap()
                                .error(format!("unknown format `{other}` for iban; valid formats: compact, print")))
                        }
                    };
                    Space::new_iban(country.as_deref().unwrap_or("DE"), print)
                } else {
                    Space::new(kind, format.as_deref())
                }
                .map_err(|e| {
                    opts.get("format").or_else(|| opts.get("country")).unwrap_or_else(|| at.clone()).error(e)
                })?;
                let size = space.size();
                let perm = unique.then(|| Permutation::new(key, size));
                Built {
                    unique: Some(Some(size)),
                    ..simple(
                        Box::new(IdentifierGen { space, unique: perm }),
                        DataType::Utf8,
                        format!("{gen} (reserved range, {size} values)"),
                    )
                }
            }
            other => {
                return Err(at.error(format!("unknown generator `{other}`; generators: {}", GENERATORS.join(", "))));
            }
        };
        Ok(built)
    }

    fn bound(
        &mut self,
        t: usize,
        opts: &Opts<'_, '_, '_>,
        k: &'static str,
        default: &str,
        deps: &mut Vec<ColRef>,
    ) -> Result<Bound, Error> {
        let node = opts.get(k);
        let text = match &node {
            Some(n) => match n.value() {
                toml::de::DeValue::Datetime(d) => d.to_string(),
                _ => n.str()?.to_string(),
            },
            None => default.to_string(),
        };
        let err_node = node.clone();
        let (base, off) = parse_range_end(&text).map_err(|e| match &err_node {
            Some(n) => n.error(e),
            None => Error::config(e),
        })?;
        Ok(match base {
            Base::Now => Bound::Fixed(off.apply_micros(self.now)),
            Base::Fixed(x) => Bound::Fixed(off.apply_micros(x)),
            Base::Column(c) => {
                let n = node.expect("a column bound comes from the schema");
                let (r, dt) = self.column_ref(t, &n, c)?;
                if !matches!(dt, DataType::Date | DataType::Timestamp) {
                    return Err(
                        n.error(format!("`{c}` is a {} column; a range end must be a date or timestamp", dt.name()))
                    );
                }
                deps.push(r);
                Bound::Column(r, off)
            }
        })
    }

    fn choice(&mut self, opts: &Opts<'_, '_, '_>, at: &Node<'_, '_>) -> Result<Built, Error> {
        let vn = opts.require("values", at)?;
        let items = vn.array()?;
        if items.is_empty() {
            return Err(vn.error("`values` needs at least one value"));
        }
        let dt = if items.iter().all(|n| n.is_str()) {
            DataType::Utf8
        } else if items.iter().all(|n| n.value().is_bool()) {
            DataType::Bool
        } else if items.iter().all(|n| n.value().is_integer()) {
            DataType::Int64
        } else if items.iter().all(|n| n.value().is_integer() || n.value().is_float()) {
            DataType::Float64
        } else {
            return Err(vn.error("`values` must all be strings, all booleans, or all numbers"));
        };
        let mut options = Values::with_capacity(dt, items.len());
        for n in &items {
            let one = literal(n, dt)?;
            crate::generate::column::push_scalar(&mut options, one.scalar(0));
        }
        let cumulative = match opts.get("weights") {
            None => Vec::new(),
            Some(w) => {
                let ws = w.array()?;
                if ws.len() != items.len() {
                    return Err(w.error(format!("{} weights for {} values", ws.len(), items.len())));
                }
                let mut acc = 0.0;
                let mut cum = Vec::with_capacity(ws.len());
                for n in &ws {
                    let x = n.f64()?;
                    if x < 0.0 {
                        return Err(n.error("a weight must not be negative"));
                    }
                    acc += x;
                    cum.push(acc);
                }
                if acc <= 0.0 {
                    return Err(w.error("weights must not all be zero"));
                }
                cum
            }
        };
        Ok(Built {
            generator: Box::new(Choice { options, cumulative }),
            dtype: dt,
            deps: Vec::new(),
            unique: None,
            inherent: false,
            describe: format!("choice of {}", items.len()),
        })
    }

    fn template(&mut self, t: usize, node: &Node<'_, '_>, text: &str) -> Result<(Vec<Part>, Vec<ColRef>), Error> {
        let mut parts = Vec::new();
        let mut deps = Vec::new();
        let mut lit = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((i, ch)) = chars.next() {
            match ch {
                '{' if chars.peek().map(|x| x.1) == Some('{') => {
                    chars.next();
                    lit.push('{');
                }
                '}' if chars.peek().map(|x| x.1) == Some('}') => {
                    chars.next();
                    lit.push('}');
                }
                '{' => {
                    let end = text[i..]
                        .find('}')
                        .ok_or_else(|| node.error("unclosed `{` in template; write `{{` for a literal brace"))?;
                    let inner = &text[i + 1..i + end];
                    while chars.peek().is_some_and(|&(j, _)| j <= i + end) {
                        chars.next();
                    }
                    if !lit.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut lit)));
                    }
                    let (name, width) = match inner.split_once(':') {
                        Some((n, w)) => {
                            let w: usize =
                                w.trim_start_matches('0').parse().ok().filter(|_| w.starts_with('0')).ok_or_else(
                                    || {
                                        node.error(format!(
                                            "`{{{inner}}}`: the only format is zero padding, e.g. {{row:08}}"
                                        ))
                                    },
                                )?;
                            (n, w)
                        }
                        None => (inner, 0),
                    };
                    match name {
                        "row" => parts.push(Part::Row { width }),
                        "ordinal" => {
                            if self.tables[t].per.is_none() {
                                return Err(node.error("{ordinal} needs a table generated `per` a parent"));
                            }
                            parts.push(Part::Ordinal { width })
                        }
                        _ => {
                            if width != 0 {
                                return Err(node.error("zero padding applies to {row} and {ordinal} only"));
                            }
                            let (c, _) = self.column_ref(t, node, name)?;
                            deps.push(c);
                            parts.push(Part::Column(c));
                        }
                    }
                }
                '}' => return Err(node.error("unmatched `}` in template; write `}}` for a literal brace")),
                c => lit.push(c),
            }
        }
        if !lit.is_empty() {
            parts.push(Part::Text(lit));
        }
        Ok((parts, deps))
    }

    fn scenarios(&mut self, t: usize, sizes: &[Size]) -> Result<Vec<ScenarioPlan>, Error> {
        let Some(list) = self.tables[t].node.get("scenarios") else { return Ok(Vec::new()) };
        let mut out: Vec<ScenarioPlan> = Vec::new();
        for (i, item) in list.array()?.into_iter().enumerate() {
            let tn = item.table()?;
            let name = match tn.get("name") {
                Some(n) => n.str()?.to_string(),
                None => format!("scenario {}", i + 1),
            };
            let row = match tn.get("row") {
                Some(n) => n.u64()?,
                None => i as u64,
            };
            if let Size::Fixed(n) = sizes[t] {
                if row >= n {
                    let at = tn.get("row").unwrap_or(item.clone());
                    return Err(at.error(format!(
                        "scenario `{name}` is at row {row}, but the table has {n} rows at this scale"
                    )));
                }
            }
            if let Some(prev) = out.iter().find(|s| s.row == row) {
                return Err(item.error(format!("scenario `{name}` is at row {row}, already taken by `{}`", prev.name)));
            }
            let mut values = Vec::new();
            if let Some(vn) = tn.get("values") {
                for (cname, v) in vn.table()?.entries() {
                    let c = self.column_index(t, cname).ok_or_else(|| {
                        v.error(format!(
                            "unknown column `{cname}` in table `{}`; columns: {}",
                            self.tables[t].name,
                            self.column_names(t)
                        ))
                    })?;
                    let plan = self.plans[t][c].as_ref().expect("columns compiled before scenarios");
                    if plan.unique.is_some() {
                        return Err(v.error(format!("`{cname}` is unique (a key); a scenario cannot set it, since its value might repeat another row's")));
                    }
                    let value = if v.is_str() && v.str()? == "null" && plan.dtype != DataType::Utf8 {
                        Values::with_capacity(plan.dtype, 0)
                    } else {
                        literal(&v, plan.dtype)?
                    };
                    values.push((c, value));
                }
            }
            if let Some(ch) = tn.get("children") {
                for (child, n) in ch.table()?.entries() {
                    let ct = self
                        .table_index(child)
                        .ok_or_else(|| n.error(format!("unknown table `{child}`; tables: {}", self.table_names())))?;
                    match &sizes[ct] {
                        Size::Per { parent, .. } if *parent == t => {}
                        _ => {
                            return Err(
                                n.error(format!("`{child}` is not generated per row of `{}`", self.tables[t].name))
                            )
                        }
                    }
                    let count = n.u64()?;
                    if count > 1_000_000 {
                        return Err(n.error("at most 1,000,000 children per scenario row"));
                    }
                    self.children_overrides[ct].push((row, count));
                }
            }
            tn.deny_unknown("in a scenario (valid: name, row, values, children)")?;
            out.push(ScenarioPlan { name, row, values, line: item.line() });
        }
        Ok(out)
    }
}

fn parse_count(c: &Node<'_, '_>) -> Result<Count, Error> {
    if !c.is_table() {
        return Ok(Count::Fixed(c.u64()?));
    }
    let tn = c.table()?;
    let d = tn.require("dist")?;
    let u = |k: &'static str| -> Result<u64, Error> { tn.require(k)?.u64() };
    let count = match d.str()? {
        "fixed" => Count::Fixed(u("n")?),
        "uniform" => {
            let (min, max) = (u("min")?, u("max")?);
            if min > max {
                return Err(c.error("`min` is greater than `max`"));
            }
            Count::Uniform { min, max }
        }
        "poisson" => {
            let mean = tn.require("mean")?.f64()?;
            if mean < 0.0 {
                return Err(c.error("`mean` must not be negative"));
            }
            let max = match tn.get("max") {
                Some(n) => n.u64()?,
                None => (mean * 10.0).ceil() as u64 + 10,
            };
            Count::Poisson { mean, max }
        }
        "zipf" => {
            let max = u("max")?;
            let exponent = match tn.get("exponent") {
                Some(n) => n.f64()?,
                None => 1.1,
            };
            if exponent <= 0.0 || max == 0 {
                return Err(c.error("zipf needs `max` ≥ 1 and a positive `exponent`"));
            }
            Count::Zipf { max, exponent }
        }
        other => return Err(d.error(format!("unknown count dist `{other}`; valid: fixed, uniform, poisson, zipf"))),
    };
    if count.max() > 10_000_000 {
        return Err(c.error("at most 10,000,000 children per parent row"));
    }
    tn.deny_unknown(&format!("for count dist `{}`", d.str()?))?;
    Ok(count)
}

/// Options of a column: its table, or nothing for the string shorthand.
enum Opts<'t, 'a, 'i> {
    Table(&'t TableNode<'a, 'i>),
    None,
}

impl<'a, 'i> Opts<'_, 'a, 'i> {
    fn get(&self, k: &'static str) -> Option<Node<'a, 'i>> {
        match self {
            Opts::Table(t) => t.get(k),
            Opts::None => None,
        }
    }

    fn require(&self, k: &'static str, at: &Node<'a, 'i>) -> Result<Node<'a, 'i>, Error> {
        self.get(k).ok_or_else(|| at.error(format!("missing option `{k}`")))
    }
}

fn opt_i64(o: &Opts<'_, '_, '_>, k: &'static str) -> Result<Option<i64>, Error> {
    o.get(k).map(|n| n.i64()).transpose()
}

fn opt_u64(o: &Opts<'_, '_, '_>, k: &'static str) -> Result<Option<u64>, Error> {
    o.get(k).map(|n| n.u64()).transpose()
}

fn opt_f64(o: &Opts<'_, '_, '_>, k: &'static str) -> Result<Option<f64>, Error> {
    o.get(k).map(|n| n.f64()).transpose()
}

/// `dist` with its parameters and optional `min`/`max` bounds.
fn numeric(o: &Opts<'_, '_, '_>, at: &Node<'_, '_>) -> Result<Numeric, Error> {
    let dist_name = o.get("dist").map(|n| n.str().map(str::to_string)).transpose()?;
    let min = opt_f64(o, "min")?;
    let max = opt_f64(o, "max")?;
    if let (Some(a), Some(b)) = (min, max) {
        if a > b {
            return Err(at.error(format!("`min` ({a}) is greater than `max` ({b})")));
        }
    }
    let need = |k: &'static str| -> Result<f64, Error> {
        opt_f64(o, k)?
            .ok_or_else(|| at.error(format!("dist `{}` needs `{k}`", dist_name.as_deref().unwrap_or("uniform"))))
    };
    let positive = |k: &'static str, v: f64| -> Result<f64, Error> {
        if v > 0.0 {
            Ok(v)
        } else {
            Err(o.get(k).unwrap_or_else(|| at.clone()).error(format!("`{k}` must be positive")))
        }
    };
    let dist = match dist_name.as_deref() {
        None | Some("uniform") => Dist::Uniform { min: need("min")?, max: need("max")? },
        Some("normal") => Dist::Normal { mean: need("mean")?, sd: positive("sd", need("sd")?)? },
        Some("lognormal") => {
            let mean = positive("mean", need("mean")?)?;
            let sd = positive("sd", need("sd")?)?;
            // Parameters of the underlying normal from the mean and sd users think in.
            let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
            Dist::LogNormal { mu: mean.ln() - sigma2 / 2.0, sigma: sigma2.sqrt() }
        }
        Some("exponential") => Dist::Exponential { mean: positive("mean", need("mean")?)? },
        Some(other) => {
            return Err(o
                .get("dist")
                .unwrap()
                .error(format!("unknown dist `{other}`; valid: uniform, normal, lognormal, exponential")))
        }
    };
    Ok(Numeric { dist, min, max })
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
