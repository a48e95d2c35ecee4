//! report: renders scan results ([`ScanReport`]s) for a person (text), a program (JSON) and a
//! code-scanning service (SARIF 2.1.0).
//!
//! Every format prints only what a report holds: source paths, column names, counts, rule ids
//! and the **masked** samples the detector kept. Never a raw cell value.
//!
//! # Text
//!
//! A linter-style table per source, then one verdict line:
//!
//! ```text
//! customers.csv  csv  1,204,331 rows  48.2 MB  1.92 s  25.1 MB/s
//!   COLUMN  ENTITY        CONF  PID  RESERVED  ALLOWED  RULE          SAMPLES
//!   card    payment_card   97%   12         0        0  payment-card  row 1042: 4111 **** **** 1111, …
//!   email   email          90%    0       200        0  email         -
//!   12 other columns: no personal data
//!
//! PID found in 1 column of 1 file
//! ```
//!
//! One line per (column, rule) finding; a column with several findings prints its name once.
//! `PID` counts cells outside the reserved ranges and not allowlisted, `RESERVED` synthetic
//! cells inside them, `ALLOWED` cells suppressed by an allowlist. At most three samples are
//! shown; `…` means more PID cells exist. Control and bidirectional-formatting characters in
//! names and samples are printed escaped (`\u{202e}`), so nothing in the data can restyle the
//! terminal. No colour.
//!
//! # JSON (`version` 1)
//!
//! One pretty-printed object, followed by a newline. Fields are only ever added within a
//! version; a removal or change of meaning bumps `version`.
//!
//! ```json
//! {
//!   "version": 1,
//!   "synthgate": "0.1.0",
//!   "pid_found": true,
//!   "sources": [
//!     {
//!       "source": "customers.csv", "format": "csv", "rows": 1000, "bytes": 52311,
//!       "seconds": 0.01, "pid_found": true,
//!       "columns": [
//!         {
//!           "name": "card", "lineage": "input", "cells": 1000, "pid_found": true,
//!           "findings": [
//!             {
//!               "rule": "payment-card", "entity": "payment_card", "confidence": 0.97,
//!               "cells": 12, "reserved_cells": 0, "allowed_cells": 0, "pid_cells": 12,
//!               "hinted": true,
//!               "samples": [ { "row": 1042, "masked": "4111 **** **** 1111" } ]
//!             }
//!           ]
//!         }
//!       ]
//!     }
//!   ]
//! }
//! ```
//!
//! These are the fields of [`ScanReport`], [`crate::detect::ColumnSummary`] and
//! [`crate::detect::RuleFinding`], plus the derived `pid_found` (source, column) and
//! `pid_cells` (finding). `lineage` is `input`, `synthetic` or `scrubbed`; `row` is the 1-based
//! data row (a CSV header is not a row).
//!
//! # SARIF 2.1.0
//!
//! One run. `tool.driver.rules` holds every rule of the [`RuleSet`] in load order (plus a
//! minimal descriptor for any rule a finding names that the set lacks), each with `id`, a
//! PascalCase `name`, `shortDescription`, `fullDescription`, `help`,
//! `defaultConfiguration.level = "error"` and `properties` (`entity`, `confidence`,
//! `precision`, `tags`). `run.artifacts` lists the scanned sources (uri, length in bytes,
//! `properties.format`/`rows`).
//!
//! `results` holds one result per (source, column, rule) with PID cells; findings with only
//! reserved (synthetic) or allowlisted cells are not results. A result has `ruleId`,
//! `ruleIndex` (into `tool.driver.rules`), `level: "error"`, a message
//! (``12 cells of column `card` hold payment_card values (masked samples: row 1042: …)``),
//! one location and `partialFingerprints`:
//!
//! - `physicalLocation.artifactLocation.uri`: the source path relative to the working
//!   directory, with forward slashes and percent-encoding (a path outside the working directory
//!   stays absolute as a `file://` URI); `index` points into `run.artifacts`.
//! - `physicalLocation.region.startLine`: the line of the first sample. CSV: row + 1 (the
//!   header line), which assumes one line per record (a quoted field spanning lines shifts it).
//!   JSON Lines: the row. Other formats (Parquet) have no lines and no `region`.
//! - `logicalLocations`: `[{ "name": <column or JSON path>, "kind": "member" }]`.
//! - `partialFingerprints["synthgate/v1"]`: hex sha256 of uri, column and rule id — stable
//!   across runs, whatever the rows or counts.
//! - `properties`: `entity`, `lineage`, `confidence`, `cells`, `pidCells`, `reservedCells`,
//!   `allowedCells`, `hinted`, `sampleRows`.

mod json;
mod sarif;
mod text;

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use crate::detect::{ColumnSummary, RuleFinding, RuleSet, ScanReport};

/// How scan results are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ReportFormat {
    /// A table for a person at a terminal.
    #[default]
    Text,
    /// A stable machine shape (see the module docs).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
    Sarif,
}

impl ReportFormat {
    /// Every format's name, as [`ReportFormat::parse`] accepts it.
    pub const NAMES: &'static [&'static str] = &["text", "json", "sarif"];

    /// `text`, `json` or `sarif` (ASCII case-insensitive).
    pub fn parse(name: &str) -> Option<ReportFormat> {
        match name.to_ascii_lowercase().as_str() {
            "text" => Some(ReportFormat::Text),
            "json" => Some(ReportFormat::Json),
            "sarif" => Some(ReportFormat::Sarif),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Text => "text",
            ReportFormat::Json => "json",
            ReportFormat::Sarif => "sarif",
        }
    }
}

impl fmt::Display for ReportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ReportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ReportFormat::parse(s)
            .ok_or_else(|| format!("unknown report format `{s}`; formats: {}", ReportFormat::NAMES.join(", ")))
    }
}

/// Writes `reports` to `out` in `format`. `rules` is the rule set the scan ran with (SARIF
/// describes each rule; the other formats name rules by id only).
pub fn render(format: ReportFormat, reports: &[ScanReport], rules: &RuleSet, out: &mut dyn Write) -> io::Result<()> {
    match format {
        ReportFormat::Text => text::render(reports, out)?,
        ReportFormat::Json => json::render(reports, out)?,
        ReportFormat::Sarif => {
            let cwd = std::env::current_dir().ok();
            sarif::render(reports, rules, cwd.as_deref(), out)?
        }
    }
    out.flush()
}

/// Cells that hold personal data. As [`RuleFinding::pid_cells`], but an inconsistent finding
/// (more reserved and allowed cells than cells) reports 0 rather than panicking mid-report.
fn pid_cells(f: &RuleFinding) -> u64 {
    f.cells.saturating_sub(f.reserved_cells).saturating_sub(f.allowed_cells)
}

fn column_has_pid(c: &ColumnSummary) -> bool {
    c.findings.iter().any(|f| pid_cells(f) > 0)
}

fn source_has_pid(r: &ScanReport) -> bool {
    !r.name_findings.is_empty() || r.columns.iter().any(column_has_pid)
}

/// `s`, with control and bidirectional-formatting characters escaped (`\n`, `\u{202e}`), so a
/// column name or masked sample cannot break a line or restyle a terminal.
fn printable(s: &str) -> Cow<'_, str> {
    fn unsafe_char(c: char) -> bool {
        c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `1234567` → `1,234,567`.
fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `n` `word`(s): `1 column`, `3 columns`.
fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{} {word}s", group(n))
    }
}

#[cfg(test)]
mod tests;
