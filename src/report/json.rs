//! The JSON report, `version` 1 (shape in the module docs of `report`).

use std::io::{self, Write};

use serde::Serialize;

use crate::batch::Lineage;
use crate::detect::{ColumnSummary, RuleFinding, Sample, ScanReport};

use super::{column_has_pid, pid_cells, source_has_pid};

/// The version of this JSON shape.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    synthgate: &'static str,
    pid_found: bool,
    sources: Vec<Source<'a>>,
}

#[derive(Serialize)]
struct Source<'a> {
    source: &'a str,
    format: &'a str,
    rows: u64,
    bytes: u64,
    seconds: f64,
    pid_found: bool,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    name_findings: &'a [crate::detect::NameFinding],
    columns: Vec<Column<'a>>,
}

#[derive(Serialize)]
struct Column<'a> {
    name: &'a str,
    lineage: Lineage,
    cells: u64,
    pid_found: bool,
    findings: Vec<Finding<'a>>,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'a str,
    entity: &'a str,
    confidence: f64,
    cells: u64,
    reserved_cells: u64,
    allowed_cells: u64,
    pid_cells: u64,
    hinted: bool,
    samples: &'a [Sample],
}

pub(super) fn render(reports: &[ScanReport], out: &mut dyn Write) -> io::Result<()> {
    let doc = Document {
        version: VERSION,
        synthgate: env!("CARGO_PKG_VERSION"),
        pid_found: reports.iter().any(source_has_pid),
        sources: reports.iter().map(source).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn source(r: &ScanReport) -> Source<'_> {
    Source {
        source: &r.source,
        format: &r.format,
        rows: r.rows,
        bytes: r.bytes,
        seconds: r.seconds,
        pid_found: source_has_pid(r),
        name_findings: &r.name_findings,
        columns: r.columns.iter().map(column).collect(),
    }
}

fn column(c: &ColumnSummary) -> Column<'_> {
    Column {
        name: &c.name,
        lineage: c.lineage,
        cells: c.cells,
        pid_found: column_has_pid(c),
        findings: c.findings.iter().map(finding).collect(),
    }
}

fn finding(f: &RuleFinding) -> Finding<'_> {
    Finding {
        rule: &f.rule,
        entity: &f.entity,
        confidence: f.confidence,
        cells: f.cells,
        reserved_cells: f.reserved_cells,
        allowed_cells: f.allowed_cells,
        pid_cells: pid_cells(f),
        hinted: f.hinted,
        samples: &f.samples,
    }
}
