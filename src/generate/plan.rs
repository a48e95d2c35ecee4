//! The checked plan of a generation run: what `schema::compile` builds from a schema file.
//!
//! Once a `Plan` exists it is valid: generators are built, references resolved, dependency
//! orders computed. The engine never re-validates it.

use std::sync::Arc;

use crate::batch::{DataType, Values};

use super::column::Generate;
use super::gen::relation::Pick;
use super::gen::temporal::ColRef;
use super::rng::{CellRng, Key};

pub struct Plan {
    /// The schema's name (or file stem).
    pub name: String,
    pub seed: u64,
    /// The `now` that relative dates resolve against, in microseconds since the epoch.
    pub now: i64,
    /// sha256 of the schema text, hex.
    pub schema_hash: String,
    pub scale: f64,
    pub tables: Vec<TablePlan>,
    /// Table indexes, every table after the tables its row count depends on.
    pub order: Vec<usize>,
    /// The schema file (or `<built-in NAME>`), for messages.
    pub source: String,
    /// Values written literally in the schema, which the gate judges as input.
    pub literals: Vec<SchemaLiteral>,
}

/// A value written literally in a schema — a `choice` option, a scenario value, the fixed text
/// of a template or a regex. No generator made it, so nothing vouches that it is synthetic: the
/// gate judges it as `input`, with every rule, before a run writes anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaLiteral {
    pub table: Arc<str>,
    pub column: Arc<str>,
    /// `choice value`, `scenario value`, `template text`, `regex text`.
    pub kind: &'static str,
    /// 1-based line in the schema file.
    pub line: usize,
    pub text: String,
}

impl Plan {
    pub fn table(&self, name: &str) -> Option<usize> {
        self.tables.iter().position(|t| &*t.name == name)
    }
}

pub struct TablePlan {
    pub name: Arc<str>,
    pub key: Key,
    pub size: Size,
    pub columns: Vec<ColumnPlan>,
    /// Declared column indexes in an order where each column comes after its same-row
    /// dependencies.
    pub fill_order: Vec<usize>,
    pub relations: Vec<RelationPlan>,
    pub scenarios: Vec<ScenarioPlan>,
    /// 1-based line of the table in the schema file, for messages.
    pub line: usize,
}

impl TablePlan {
    /// The relation through which the table is generated `per` parent row, if any.
    pub fn own_relation(&self) -> Option<usize> {
        self.relations.iter().position(|r| matches!(r.pick, Pick::Own))
    }
}

/// How many rows a table has.
#[derive(Clone, Debug)]
pub enum Size {
    /// A fixed number of rows (already multiplied by the scale).
    Fixed(u64),
    /// A number of rows per row of the parent table.
    Per { parent: usize, count: Count, overrides: Vec<(u64, u64)> },
}

/// Children per parent row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Count {
    Fixed(u64),
    Uniform { min: u64, max: u64 },
    Poisson { mean: f64, max: u64 },
    Zipf { max: u64, exponent: f64 },
}

impl Count {
    pub fn sample(&self, rng: &mut CellRng) -> u64 {
        match *self {
            Count::Fixed(n) => n,
            Count::Uniform { min, max } => min + rng.below(max - min + 1),
            Count::Poisson { mean, max } => rng.poisson(mean).min(max),
            Count::Zipf { max, exponent } => rng.zipf(max, exponent),
        }
    }

    /// The expected count, for planning chunk sizes and `schema check`.
    pub fn mean(&self) -> f64 {
        match *self {
            Count::Fixed(n) => n as f64,
            Count::Uniform { min, max } => (min + max) as f64 / 2.0,
            Count::Poisson { mean, .. } => mean,
            Count::Zipf { max, exponent } => {
                let (mut num, mut den) = (0.0, 0.0);
                for k in 1..=max.min(100_000) {
                    let w = (k as f64).powf(-exponent);
                    num += k as f64 * w;
                    den += w;
                }
                num / den
            }
        }
    }

    pub fn max(&self) -> u64 {
        match *self {
            Count::Fixed(n) => n,
            Count::Uniform { max, .. } | Count::Poisson { max, .. } | Count::Zipf { max, .. } => max,
        }
    }
}

pub struct ColumnPlan {
    pub name: Arc<str>,
    pub dtype: DataType,
    /// Probability of a null.
    pub null: f64,
    pub key: Key,
    pub generator: Box<dyn Generate>,
    /// Columns this one reads (same row or related rows).
    pub deps: Vec<ColRef>,
    /// For `unique = true`: how many distinct values the generator can make (`None`: unbounded).
    pub unique: Option<Option<u64>>,
    /// What generates it, for `schema check` (`first_name (en_GB)`, `ref customers.id`).
    pub describe: String,
}

/// A link from a table to a parent table: how each row picks its parent row.
pub struct RelationPlan {
    pub parent: usize,
    pub pick: Pick,
    pub key: Key,
    /// `customers`, or the `relation` name given in the schema.
    pub name: String,
    /// Made by a column reading `table.col` rather than by a `ref` (which may then set the pick).
    pub implicit: bool,
}

/// A fixed row a test team needs, placed at a fixed row index.
pub struct ScenarioPlan {
    pub name: String,
    pub row: u64,
    /// Declared column index and its value (a one-value column of the column's type; a
    /// null is a column with no value).
    pub values: Vec<(usize, Values)>,
    pub line: usize,
}
