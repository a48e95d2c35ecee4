//! Audit log: one JSON line per gate decision, appended, never rewritten.
//!
//! A line records what was decided about which input and target, with counts per column and
//! entity, and a content hash. It never holds a data value or a key: [`Decision`] has no field
//! that could carry one, and locations pass through [`crate::env::redact`].

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::detect::ColumnSummary;
use crate::error::Error;
use crate::gate::{Environment, Target};

/// What the gate decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Cleared,
    Refused,
}

/// One gate decision, as written to the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    /// ISO 8601 UTC.
    pub time: String,
    /// `gate`, `generate`, `scrub`.
    pub command: String,
    /// The input file or table (credentials redacted).
    pub input: String,
    pub input_sha256: Option<String>,
    /// The target location (credentials redacted).
    pub target: String,
    #[serde(with = "crate::env::serde_environment")]
    pub environment: Option<Environment>,
    pub decision: Outcome,
    pub counts: Vec<Count>,
    pub synthgate: String,
}

/// Findings of one entity in one column: how many cells, how many of them in reserved
/// (synthetic) ranges, how many suppressed by the allowlist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Count {
    pub column: String,
    pub entity: String,
    pub cells: u64,
    pub reserved: u64,
    pub allowed: u64,
}

impl Count {
    /// Counts per (column, entity) from a scan's column summaries; rules of the same entity in
    /// one column are added together.
    pub fn from_columns(columns: &[ColumnSummary]) -> Vec<Count> {
        let mut out: Vec<Count> = Vec::new();
        for c in columns {
            let first = out.len();
            for f in &c.findings {
                match out[first..].iter_mut().find(|k| k.entity == f.entity) {
                    Some(k) => {
                        k.cells += f.cells;
                        k.reserved += f.reserved_cells;
                        k.allowed += f.allowed_cells;
                    }
                    None => out.push(Count {
                        column: c.name.clone(),
                        entity: f.entity.clone(),
                        cells: f.cells,
                        reserved: f.reserved_cells,
                        allowed: f.allowed_cells,
                    }),
                }
            }
        }
        out
    }
}

impl Decision {
    /// A decision stamped with the current time and this synthgate version, without a content
    /// hash or counts (set `input_sha256` and `counts` as known).
    pub fn new(command: &str, input: &str, target: &Target, decision: Outcome) -> Decision {
        Decision {
            time: now_utc(),
            command: command.to_string(),
            input: crate::env::redact(input),
            input_sha256: None,
            target: crate::env::redact(&target.location),
            environment: target.environment,
            decision,
            counts: Vec::new(),
            synthgate: env!("CARGO_PKG_VERSION").to_string(),
        }
    }
}

/// An append-only JSON Lines file.
#[derive(Debug)]
pub struct AuditLog {
    path: PathBuf,
    file: File,
}

impl AuditLog {
    /// Opens (creating if needed) the log for appending. The directory must exist.
    pub fn open(path: &Path) -> Result<AuditLog, Error> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| Error::io("cannot open the audit log", path, e))?;
        Ok(AuditLog { path: path.to_path_buf(), file })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line and syncs it to disk.
    ///
    /// The line is built in memory and handed to the OS in one write on a file opened for
    /// appending, so lines of concurrent writers do not interleave. (`write_all` loops only on
    /// a short write, which for a regular file means the disk is full, and is then reported.)
    pub fn append(&self, decision: &Decision) -> Result<(), Error> {
        let mut line = serde_json::to_vec(decision).expect("a decision always serialises");
        line.push(b'\n');
        let mut file = &self.file;
        file.write_all(&line).map_err(|e| Error::io("cannot write the audit log", &self.path, e))?;
        file.sync_data().map_err(|e| Error::io("cannot write the audit log", &self.path, e))
    }
}

/// The current time, `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn now_utc() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let mut out = Vec::with_capacity(20);
    crate::temporal::write_timestamp(secs * crate::temporal::MICROS_PER_SECOND, &mut out);
    String::from_utf8(out).expect("timestamps are ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::Lineage;
    use crate::detect::{RuleFinding, Sample};

    const RAW: &str = "jane.doe@corp.com";

    fn summary() -> ColumnSummary {
        // A sample holding the raw value stands for any value a finding may carry.
        let finding = |rule: &str, cells, sample: &str| RuleFinding {
            in_text_cells: 0,
            rule: rule.into(),
            entity: "email".into(),
            confidence: 0.9,
            cells,
            reserved_cells: 1,
            allowed_cells: 0,
            hinted: true,
            in_name: false,
            samples: vec![Sample { row: 3, masked: sample.into() }],
        };
        ColumnSummary {
            name: "contact".into(),
            lineage: Lineage::Input,
            cells: 10,
            findings: vec![finding("email", 4, "j***@***.com"), finding("email_obfuscated", 2, RAW)],
        }
    }

    fn decision(outcome: Outcome) -> Decision {
        let target =
            Target { location: "postgres://app:s3cret@test-db/app".into(), environment: Some(Environment::Test) };
        let mut d = Decision::new("gate", "exports/customers.csv", &target, outcome);
        d.input_sha256 = Some("ab".repeat(32));
        d.counts = Count::from_columns(&[summary()]);
        d
    }

    #[test]
    fn two_appends_write_two_parseable_lines_without_values_or_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.jsonl");
        let log = AuditLog::open(&path).unwrap();
        log.append(&decision(Outcome::Refused)).unwrap();
        AuditLog::open(&path).unwrap().append(&decision(Outcome::Cleared)).unwrap();

        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["decision"], "refused");
        assert_eq!(lines[1]["decision"], "cleared");
        assert_eq!(lines[0]["command"], "gate");
        assert_eq!(lines[0]["environment"], "test");
        assert_eq!(lines[0]["input"], "exports/customers.csv");
        assert_eq!(lines[0]["counts"][0]["column"], "contact");
        assert_eq!(lines[0]["counts"][0]["entity"], "email");
        assert_eq!(lines[0]["counts"][0]["cells"], 6, "rules of one entity add up");
        assert_eq!(lines[0]["counts"][0]["reserved"], 2);
        assert!(lines[0]["time"].as_str().unwrap().ends_with('Z'));

        assert!(!text.contains(RAW), "{text}");
        assert!(!text.contains("j***@"), "not even masked samples: {text}");
        assert!(!text.contains("s3cret"), "{text}");
    }

    #[test]
    fn an_unknown_environment_is_written_as_null() {
        let target = Target { location: "out".into(), environment: None };
        let line = serde_json::to_value(Decision::new("generate", "-", &target, Outcome::Refused)).unwrap();
        assert!(line["environment"].is_null());
        assert!(line["input_sha256"].is_null());
    }

    #[test]
    fn a_missing_log_directory_is_an_io_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = AuditLog::open(&dir.path().join("no/such/dir/audit.jsonl")).unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::Io);
    }
}
