//! The gate: the only door to a sink.
//!
//! A sink accepts nothing but a [`Cleared`] batch, and only [`Gate::clear`] can make one. The
//! gate scans every cell of every batch with the detection rules: for a production target it
//! clears everything; for any other target it refuses a batch that still carries personal data.
//!
//! The door is the type system's, not a convention. This compiles — a batch goes through the
//! gate, and what it clears can be encoded for a sink:
//!
//! ```
//! # use std::sync::Arc;
//! # use synthgate::batch::{Batch, Column, Lineage, StrBuf, Values};
//! # use synthgate::detect::{Detector, RuleSet};
//! # use synthgate::gate::{Environment, Gate, Target};
//! # use synthgate::sink::{Compression, Encoder, Format};
//! # let mut notes = StrBuf::default();
//! # notes.push("order shipped");
//! # let column = Column::new(Arc::from("note"), Lineage::Input, Values::Utf8(notes), None);
//! # let batch = Batch { table: Arc::from("t"), first_row: 0, rows: 1, columns: vec![column] };
//! let target = Target { location: "test-share/t.csv".into(), environment: Some(Environment::Test) };
//! let gate = Gate::new(target, Arc::new(Detector::new(RuleSet::defaults().unwrap())));
//! let cleared = gate.clear(batch).unwrap();
//! let encoded = Encoder::new(Format::Csv, Compression::None).encode(&cleared).unwrap();
//! ```
//!
//! and this does not: a batch cannot be encoded for a sink without the gate,
//!
//! ```compile_fail,E0308
//! # use std::sync::Arc;
//! # use synthgate::batch::Batch;
//! # use synthgate::sink::{Compression, Encoder, Format};
//! # let batch = Batch { table: Arc::from("t"), first_row: 0, rows: 0, columns: vec![] };
//! let encoded = Encoder::new(Format::Csv, Compression::None).encode(&batch);
//! ```
//!
//! nor can a clearance be made by hand (its fields are private, it has no public constructor),
//!
//! ```compile_fail,E0451
//! # use std::sync::Arc;
//! # use synthgate::batch::Batch;
//! # use synthgate::gate::Cleared;
//! # let batch = Batch { table: Arc::from("t"), first_row: 0, rows: 0, columns: vec![] };
//! let forged = Cleared { batch, payload: () };
//! ```
//!
//! nor raw bytes be passed to a sink as if they were cleared.
//!
//! ```compile_fail,E0308
//! # use synthgate::sink::Encoded;
//! let encoded = Encoded::raw(b"name,card\nJane,4929390612345673\n".to_vec());
//! ```

use std::fmt;
use std::sync::{Arc, Mutex};

use crate::batch::{Batch, Lineage};
use crate::detect::scan::{final_components, ScanAcc};
use crate::detect::{ColumnSummary, Detector, Sample};
use crate::error::{Error, ErrorKind};

/// A stage of the route to live. Only `Production` may hold personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Environment {
    Local,
    Build,
    Development,
    Test,
    Stage,
    Production,
}

impl Environment {
    pub const ALL: [Environment; 6] = [
        Environment::Local,
        Environment::Build,
        Environment::Development,
        Environment::Test,
        Environment::Stage,
        Environment::Production,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Environment::Local => "local",
            Environment::Build => "build",
            Environment::Development => "development",
            Environment::Test => "test",
            Environment::Stage => "stage",
            Environment::Production => "production",
        }
    }

    pub fn parse(s: &str) -> Option<Environment> {
        Environment::ALL.into_iter().find(|e| e.name() == s)
    }
}

/// Where a write goes, and which environment that is. A target that matches no declared
/// environment is treated as non-production (fail closed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// A path, `-` for standard output, or a database URL.
    pub location: String,
    /// `None` when nothing declared it: never production.
    pub environment: Option<Environment>,
}

impl Target {
    pub fn is_production(&self) -> bool {
        self.environment == Some(Environment::Production)
    }

    pub fn environment_name(&self) -> &'static str {
        self.environment.map_or("unknown (non-production)", Environment::name)
    }
}

/// A batch the gate let through for one target, with what travels with it (`P`: the source
/// bytes the batch was parsed from, for byte-exact copies). Only [`Gate::clear`] and
/// [`Gate::clear_with`] make one.
pub struct Cleared<P = ()> {
    batch: Batch,
    payload: P,
}

impl<P> Cleared<P> {
    pub fn batch(&self) -> &Batch {
        &self.batch
    }

    pub fn payload(&self) -> &P {
        &self.payload
    }

    /// The cleared batch with text columns read as the types in `types` (by column name), for
    /// sinks that write typed columns: the gate judged the text, and parsing it can only lose
    /// values (a value that does not parse becomes null), never add any. Returns the count of
    /// such values per column that had any.
    pub fn parse_columns(
        self,
        types: &std::collections::HashMap<String, crate::batch::DataType>,
    ) -> (Cleared<P>, Vec<(String, u64)>) {
        let Cleared { mut batch, payload } = self;
        let mut lost = Vec::new();
        batch.columns = std::mem::take(&mut batch.columns)
            .into_iter()
            .map(|c| match types.get(&*c.name) {
                Some(&t) => {
                    let name = c.name.to_string();
                    let (c, n) = c.parse_as(t);
                    if n > 0 {
                        lost.push((name, n));
                    }
                    c
                }
                None => c,
            })
            .collect();
        (Cleared { batch, payload }, lost)
    }

    /// The payload, consuming the clearance (sinks write it without copying).
    pub(crate) fn into_payload(self) -> P {
        self.payload
    }
}

/// One reason for a refusal: a column, the rule that matched, how many cells, masked samples.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// The column (masked where its name holds personal data), or `(file name)`.
    pub column: String,
    pub lineage: Lineage,
    pub rule: String,
    pub entity: String,
    pub cells: u64,
    pub samples: Vec<Sample>,
    /// The personal data is in a name (header, key, file name), not in the cells.
    pub in_name: bool,
}

/// Why the gate refused a write. Names the table or file, columns, rules, counts and masked
/// samples; never a value.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub target: String,
    pub environment: &'static str,
    pub source: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "refused: {} may not go to {} ({}): nothing was written",
            self.source, self.target, self.environment
        )?;
        for p in &self.problems {
            if p.in_name {
                write!(f, "\n  {}: the name holds personal data, {} (rule {})", p.column, p.entity, p.rule)?;
                continue;
            }
            let what = match p.lineage {
                Lineage::Input => "personal data",
                _ => "an identifier outside the reserved ranges",
            };
            write!(
                f,
                "\n  column `{}` ({:?}): {} cell(s) of {what}, {} (rule {})",
                p.column, p.lineage, p.cells, p.entity, p.rule
            )?;
            for s in &p.samples {
                write!(f, "\n      row {}: {}", s.row, s.masked)?;
            }
        }
        Ok(())
    }
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Error {
        Error::new(ErrorKind::Refused, r.to_string())
    }
}

/// `allow(column, rule id, matched text)`: a reviewed exception covers this finding.
type AllowFn = dyn Fn(&str, &str, &str) -> bool + Send + Sync;

/// Decides, for one target, what may pass.
pub struct Gate {
    target: Target,
    detector: Arc<Detector>,
    allow: Option<Box<AllowFn>>,
    /// Everything scanned so far, for the audit record.
    tally: Mutex<ScanAcc>,
}

impl Gate {
    pub fn new(target: Target, detector: Arc<Detector>) -> Gate {
        Gate { target, detector, allow: None, tally: Mutex::new(ScanAcc::default()) }
    }

    /// Reviewed exceptions: `allow(column, rule id, matched text)` suppresses a finding.
    pub fn with_allow(mut self, allow: impl Fn(&str, &str, &str) -> bool + Send + Sync + 'static) -> Gate {
        self.allow = Some(Box::new(allow));
        self
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    pub fn detector(&self) -> &Arc<Detector> {
        &self.detector
    }

    /// Scans `batch` and clears it for this gate's target, or refuses it.
    pub fn clear(&self, batch: Batch) -> Result<Cleared, Refusal> {
        self.clear_with(batch, ())
    }

    /// Judges the names an output carries before it is made: its source's and its target's
    /// names and its columns' (a CSV header, a Parquet schema), as an empty batch from `source`.
    /// Every sink is staged with this proof ([`crate::sink::stage`]), so an output with no rows
    /// (an empty input, an empty table) cannot carry a name the gate never saw.
    pub fn clear_names(&self, source: &str, columns: Vec<crate::batch::Column>) -> Result<Cleared, Refusal> {
        self.clear(Batch { table: Arc::from(source), first_row: 0, rows: 0, columns })
    }

    /// [`Gate::clear`], for a batch and what was parsed into it: both pass or neither.
    pub fn clear_with<P>(&self, batch: Batch, payload: P) -> Result<Cleared<P>, Refusal> {
        let mut acc = ScanAcc::default();
        acc.scan(&self.detector, &batch, self.allow.as_deref().map(|a| a as _));
        let summaries = acc.summaries(&self.detector);
        let verdict = self.judge(&batch.table, &summaries);
        self.tally.lock().expect("tally lock").merge(&self.detector, acc);
        verdict.map(|()| Cleared { batch, payload })
    }

    /// The gate's rule on scan results. Production takes everything. Elsewhere, personal data in
    /// an `input` column refuses; in `synthetic` and `scrubbed` columns, identifiers whose rule
    /// has a reserved range must lie in it (names and addresses made by a generator may pass).
    pub fn judge(&self, source: &str, columns: &[ColumnSummary]) -> Result<(), Refusal> {
        if self.target.is_production() {
            return Ok(());
        }
        let mut problems = Vec::new();
        for c in columns {
            for f in c.findings.iter().filter(|f| f.pid_cells() > 0) {
                let refuse = f.in_name
                    || match c.lineage {
                        Lineage::Input => true,
                        Lineage::Synthetic | Lineage::Scrubbed => {
                            self.detector.rules.get(&f.rule).is_some_and(|r| r.reserved.is_some())
                        }
                    };
                if refuse {
                    problems.push(Problem {
                        in_name: f.in_name,
                        column: if f.in_name { format!("column name `{}`", c.name) } else { c.name.clone() },
                        lineage: c.lineage,
                        rule: f.rule.clone(),
                        entity: f.entity.clone(),
                        cells: f.pid_cells(),
                        samples: f.samples.clone(),
                    });
                }
            }
        }
        // File names are data too: the input's (or table's) name and the target's name are
        // written or shown, so personal data in them refuses like a cell.
        for (label, path) in [("input", source), ("target", self.target.location.as_str())] {
            for part in final_components(path) {
                for (r, _) in self.detector.scan_name(part) {
                    let rule = &self.detector.rules.rules[r];
                    if problems.iter().any(|p: &Problem| {
                        p.in_name && p.lineage == Lineage::Input && p.rule == *rule.id && p.column.starts_with(label)
                    }) {
                        continue;
                    }
                    problems.push(Problem {
                        column: format!("{label} name `{}`", self.detector.shown(part)),
                        lineage: Lineage::Input,
                        rule: rule.id.to_string(),
                        entity: rule.entity.to_string(),
                        cells: 1,
                        samples: Vec::new(),
                        in_name: true,
                    });
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Refusal {
                target: self.detector.shown_path(&self.target.location).into_owned(),
                environment: self.target.environment_name(),
                source: self.detector.shown_path(source).into_owned(),
                problems,
            })
        }
    }

    /// What the gate has scanned so far, by column (for the audit record).
    pub fn tally(&self) -> Vec<ColumnSummary> {
        self.tally.lock().expect("tally lock").summaries(&self.detector)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{Column, StrBuf, Values};
    use crate::detect::RuleSet;

    fn detector() -> Arc<Detector> {
        Arc::new(Detector::new(RuleSet::defaults().expect("rules load")))
    }

    fn batch(lineage: Lineage, values: &[&str]) -> Batch {
        let mut s = StrBuf::default();
        for v in values {
            s.push(v);
        }
        Batch {
            table: Arc::from("t"),
            first_row: 0,
            rows: values.len(),
            columns: vec![Column::new(Arc::from("notes"), lineage, Values::Utf8(s), None)],
        }
    }

    fn gate(env: Option<Environment>) -> Gate {
        Gate::new(Target { location: "out/t.csv".into(), environment: env }, detector())
    }

    #[test]
    fn clears_clean_input_for_a_test_target() {
        let g = gate(Some(Environment::Test));
        assert!(g.clear(batch(Lineage::Input, &["order shipped", "SKU-0042 back in stock"])).is_ok());
    }

    #[test]
    fn refuses_a_card_number_in_input_for_a_test_or_unknown_target() {
        for env in [None, Some(Environment::Test), Some(Environment::Stage)] {
            // An invented number with a valid Luhn digit, outside the published test numbers.
            let r = gate(env)
                .clear(batch(Lineage::Input, &["fine", "paid with 4929 3906 1234 5673 today"]))
                .err()
                .expect("refused");
            assert_eq!(r.problems[0].column, "notes");
            assert_eq!(r.problems[0].cells, 1);
            let text = r.to_string();
            assert!(!text.contains("4929 3906 1234 5673"), "{text}");
            assert!(text.contains("4929 **** **** 5673"), "{text}");
        }
    }

    #[test]
    fn production_takes_everything() {
        assert!(gate(Some(Environment::Production)).clear(batch(Lineage::Input, &["4929 3906 1234 5673"])).is_ok());
    }

    #[test]
    fn synthetic_identifiers_must_stay_in_reserved_ranges() {
        let g = gate(Some(Environment::Test));
        assert!(g.clear(batch(Lineage::Synthetic, &["4111 1111 1111 1111"])).is_ok(), "a published test card");
        assert!(g.clear(batch(Lineage::Synthetic, &["4929 3906 1234 5673"])).is_err(), "a real-format card");
    }
}
