//! detect: finds personal data in batches, cell by cell, column by column.
//!
//! A [`RuleSet`] is compiled into a [`Detector`]: every rule's regex in one automaton (with
//! its literal prefilters: Teddy / Aho-Corasick) finds, in one pass over a cell, the rules that
//! can match; their keyword and digit-count prefilters, regexes and validators then confirm
//! them. Every cell of every row is scanned, as the rules read it: its normalised views
//! (`normalize`: lookalikes rewritten, digit groups parted from glued words), with findings'
//! spans and samples pointing back at the text as written.

pub mod file;
pub mod mask;
pub mod names;
pub mod normalize;
pub mod places;
pub mod rule;
pub mod scan;
pub mod validate;

use serde::Serialize;

use crate::batch::Lineage;

pub use rule::{Rule, RuleSet};
pub use scan::Detector;

/// What a scan found in one source (a file, a table).
#[derive(Clone, Debug, Serialize)]
pub struct ScanReport {
    /// The file or table scanned.
    pub source: String,
    /// `csv`, `jsonl`, `parquet`.
    pub format: String,
    pub rows: u64,
    pub bytes: u64,
    /// Every scanned column (or JSON path), in source order.
    pub columns: Vec<ColumnSummary>,
    /// What the source's own name holds (its file name and folder): names are data.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name_findings: Vec<NameFinding>,
    pub seconds: f64,
}

impl ScanReport {
    /// Whether any column, or the source's name, holds personal data (a finding outside the
    /// reserved ranges).
    pub fn has_pid(&self) -> bool {
        !self.name_findings.is_empty() || self.columns.iter().any(ColumnSummary::has_pid)
    }
}

/// Personal data in a source's name, by rule (the name itself is shown masked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NameFinding {
    pub rule: String,
    pub entity: String,
}

/// One column's findings.
#[derive(Clone, Debug, Serialize)]
pub struct ColumnSummary {
    /// Column name, or JSON path such as `payment_methods[*].number`; masked where the name
    /// itself holds personal data (see [`RuleFinding::in_name`]).
    pub name: String,
    pub lineage: Lineage,
    /// Non-null cells scanned.
    pub cells: u64,
    /// Findings by rule, most cells first.
    pub findings: Vec<RuleFinding>,
}

impl ColumnSummary {
    /// The column's entity: its strongest finding.
    pub fn top(&self) -> Option<&RuleFinding> {
        self.findings.first()
    }

    pub fn has_pid(&self) -> bool {
        self.findings.iter().any(|f| f.pid_cells() > 0)
    }
}

/// Cells of one column that one rule matched.
#[derive(Clone, Debug, Serialize)]
pub struct RuleFinding {
    pub rule: String,
    pub entity: String,
    /// How sure the column is this entity, 0..1 (rule confidence, share of cells, column hint).
    pub confidence: f64,
    /// Cells with a valid match.
    pub cells: u64,
    /// Of those, cells whose match lies in the rule's reserved (synthetic) range.
    pub reserved_cells: u64,
    /// Cells suppressed by an allowlist entry.
    pub allowed_cells: u64,
    /// Cells where the match is only part of the text around it (free text, not a value).
    pub in_text_cells: u64,
    /// The column name matched one of the rule's hints.
    pub hinted: bool,
    /// The finding is in the column's name (a CSV header, a JSON key), not in its cells:
    /// names are data, judged like input whatever the column's lineage.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub in_name: bool,
    /// The first few personal-data cells: row and masked value, never the value itself.
    pub samples: Vec<Sample>,
}

impl RuleFinding {
    /// Cells that hold personal data: matches outside the reserved range and not allowed.
    pub fn pid_cells(&self) -> u64 {
        self.cells - self.reserved_cells - self.allowed_cells
    }
}

/// One finding's place and masked value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Sample {
    /// 1-based data row (the header of a CSV is not a row).
    pub row: u64,
    /// The match with most characters masked: `4111 **** **** 1111`, `j***@***.com`.
    pub masked: String,
}
