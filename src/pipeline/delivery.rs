//! The end of every run that writes: its staged outputs are committed together or not at all,
//! then each is recorded — a signed manifest beside the files of each output directory, and a
//! line per output in the audit log. A refusal is recorded too, and leaves nothing behind: no
//! output, no directory the run created.
//!
//! Commands hand a [`Delivery`] what their sinks finished ([`Delivered`]); they never rename,
//! sign or audit by hand, so no command can write an output without its record, or a record of
//! an output that was not committed.

use std::path::{Path, PathBuf};

use crate::audit::{AuditLog, Count, Decision, Outcome};
use crate::batch::Lineage;
use crate::detect::{ColumnSummary, Detector};
use crate::error::Error;
use crate::gate::Target;
use crate::manifest::{self, ColumnEntry, FileEntry, GateRecord, Key, Manifest};
use crate::sink::{Destination, Finished, NewDirs, Staging};

/// Where a run records its decisions, and how it shows names in them.
#[derive(Clone, Copy)]
pub struct Records<'a> {
    /// The audit log, if one is configured.
    pub audit: Option<&'a AuditLog>,
    /// Masks names (files, targets, columns) that hold personal data: names are data.
    pub detector: &'a Detector,
}

impl Records<'_> {
    /// Appends one decision to the audit log, if there is one; file, target and column names
    /// that hold personal data are logged masked.
    pub fn audit(
        &self,
        command: &str,
        input: &str,
        input_sha256: Option<String>,
        target: &Target,
        outcome: Outcome,
        columns: &[ColumnSummary],
    ) -> Result<(), Error> {
        let Some(log) = self.audit else { return Ok(()) };
        let target = Target {
            location: self.detector.shown_path(&target.location).into_owned(),
            environment: target.environment,
        };
        let mut d = Decision::new(command, &self.detector.shown_path(input), &target, outcome);
        d.input_sha256 = input_sha256;
        d.counts = Count::from_columns(columns);
        log.append(&d)
    }
}

/// One output a sink finished: what it came from, where it goes, and what the gate saw.
pub struct Delivered {
    /// The input it was made from (a path, or a schema's name), as the user wrote it.
    pub input: String,
    pub dest: Destination,
    pub target: Target,
    /// Its columns and their lineage, for the manifest.
    pub columns: Vec<(String, Lineage)>,
    /// What the gate counted on the way (for the audit line).
    pub tally: Vec<ColumnSummary>,
    pub finished: Finished,
}

/// What a committed output became.
pub struct Committed {
    pub dest: Destination,
    pub rows: u64,
    pub bytes: u64,
    /// Of the bytes written, when known (always for files).
    pub sha256: Option<String>,
}

/// The outputs of one run on their way to the target. Dropped without [`Delivery::commit`], it
/// rolls back: staged files are removed and directories it created go again.
#[must_use = "a delivery that is not committed rolls back"]
pub struct Delivery<'a> {
    command: &'static str,
    records: Records<'a>,
    key: Option<&'a Key>,
    staging: Staging,
    dirs: NewDirs,
    outputs: Vec<Delivered>,
    /// Run-wide manifest fields (a schema's hash, the seed).
    about: Option<About<'a>>,
}

/// What fills a delivery's run-wide manifest fields.
type About<'a> = Box<dyn Fn(&mut Manifest) + 'a>;

impl<'a> Delivery<'a> {
    /// A delivery for `command`. `key` signs the manifests; without one, only standard output
    /// can be delivered (it has no place for a manifest).
    pub fn new(command: &'static str, records: Records<'a>, key: Option<&'a Key>) -> Delivery<'a> {
        Delivery {
            command,
            records,
            key,
            staging: Staging::default(),
            dirs: NewDirs::none(),
            outputs: Vec::new(),
            about: None,
        }
    }

    /// Sets run-wide manifest fields on every manifest this delivery writes.
    pub fn about(mut self, f: impl Fn(&mut Manifest) + 'a) -> Delivery<'a> {
        self.about = Some(Box::new(f));
        self
    }

    /// Creates `dir` (and its missing parents) for an output; removed again on roll-back.
    pub fn make_dir(&mut self, dir: &Path) -> Result<(), Error> {
        self.dirs.add(dir)
    }

    /// Takes one finished output, staged until [`Delivery::commit`].
    pub fn add(&mut self, mut d: Delivered) {
        if let Some(s) = d.finished.staged.take() {
            self.staging.add(s);
        }
        self.outputs.push(d);
    }

    /// Records a refusal of `input` for `target` and rolls the whole run back.
    pub fn refuse(self, input: &str, target: &Target, tally: &[ColumnSummary]) -> Result<(), Error> {
        let records = self.records;
        let command = self.command;
        drop(self);
        records.audit(command, input, None, target, Outcome::Refused, tally)
    }

    /// Makes every output visible together (renames, then standard output streamed), keeps the
    /// directories made for them, writes one signed manifest per output directory and an audit
    /// line per output. Nothing is recorded for an output that did not arrive.
    pub fn commit(self) -> Result<Vec<Committed>, Error> {
        let Delivery { command, records, key, staging, dirs, outputs, about } = self;
        if key.is_none() && outputs.iter().any(|o| !matches!(o.dest, Destination::Stdout)) {
            return Err(Error::config("cannot write files or tables without a key to sign their manifest"));
        }
        // Database tables: their signed manifest goes into the database, in the transaction
        // that loaded them, and that transaction commits first.
        let mut session = None;
        let mut db_manifest: Option<Manifest> = None;
        for o in &outputs {
            if let Destination::Table(s, t) = &o.dest {
                let m = db_manifest.get_or_insert_with(|| {
                    let mut m = Manifest::new(command, GateRecord::new(Outcome::Cleared, &o.target));
                    if let Some(f) = &about {
                        f(&mut m);
                    }
                    m
                });
                m.files.push(FileEntry {
                    xmin: s.xmin(),
                    name: s.tables()[*t].name.clone(),
                    sha256: o.finished.sha256.clone().unwrap_or_default(),
                    bytes: o.finished.bytes,
                    rows: o.finished.rows,
                    columns: o
                        .columns
                        .iter()
                        .map(|(name, lineage)| ColumnEntry {
                            name: records.detector.shown(name).into_owned(),
                            lineage: *lineage,
                        })
                        .collect(),
                });
                session.get_or_insert_with(|| std::sync::Arc::clone(s));
            }
        }
        if let (Some(session), Some(mut m), Some(key)) = (session, db_manifest, key) {
            m.signature = Some(m.signature_with(key));
            session.commit(serde_json::to_string(&m).expect("a manifest always serialises"))?;
        }
        staging.commit()?;
        dirs.keep();
        let mut manifests: Vec<(PathBuf, Manifest)> = Vec::new();
        let mut committed = Vec::with_capacity(outputs.len());
        for o in outputs {
            // Text outputs were hashed as they were written: no second read of a large file.
            let hashed = o.finished.sha256.clone().map(|s| (s, o.finished.bytes));
            let sha256 = match &o.dest {
                Destination::File(path) => {
                    let columns = o
                        .columns
                        .iter()
                        .map(|(name, lineage)| ColumnEntry {
                            name: records.detector.shown(name).into_owned(),
                            lineage: *lineage,
                        })
                        .collect();
                    let entry = FileEntry::written(path, hashed, o.finished.rows, columns)?;
                    let sha = entry.sha256.clone();
                    let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
                    match manifests.iter_mut().find(|(d, _)| *d == dir) {
                        Some((_, m)) => m.files.push(entry),
                        None => {
                            let mut m = Manifest::new(command, GateRecord::new(Outcome::Cleared, &o.target));
                            if let Some(f) = &about {
                                f(&mut m);
                            }
                            m.files.push(entry);
                            manifests.push((dir, m));
                        }
                    }
                    Some(sha)
                }
                // Standard output has no place for a manifest; the audit still records the hash.
                Destination::Stdout | Destination::Table(..) => hashed.map(|(sha, _)| sha),
            };
            records.audit(command, &o.input, sha256.clone(), &o.target, Outcome::Cleared, &o.tally)?;
            committed.push(Committed { dest: o.dest, rows: o.finished.rows, bytes: o.finished.bytes, sha256 });
        }
        if let Some(key) = key {
            for (dir, m) in &manifests {
                manifest::write(dir, m, key)?;
            }
        }
        Ok(committed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{Batch, Column, StrBuf, Values};
    use crate::gate::Gate;
    use crate::sink::{self, Compression, Encoder, Format};
    use std::sync::Arc;

    fn detector() -> Arc<Detector> {
        Arc::new(Detector::new(crate::detect::RuleSet::defaults().unwrap()))
    }

    fn finished(dest: &Destination, gate: &Gate, values: &[&str]) -> Finished {
        let mut buf = StrBuf::default();
        for v in values {
            buf.push(v);
        }
        let col = Column::new(Arc::from("code"), Lineage::Synthetic, Values::Utf8(buf), None);
        let header = Column::new(Arc::from("code"), Lineage::Synthetic, Values::Utf8(StrBuf::default()), None);
        let batch = Batch { table: Arc::from("t"), first_row: 0, rows: values.len(), columns: vec![col] };
        let encoder = Encoder::new(Format::Csv, Compression::None);
        let mut s = sink::stage(dest, &encoder, &gate.clear_names("t", vec![header]).unwrap()).unwrap();
        s.write(encoder.encode(&gate.clear(batch).unwrap()).unwrap()).unwrap();
        s.finish().unwrap()
    }

    fn target(dir: &Path) -> Target {
        Target { location: dir.display().to_string(), environment: None }
    }

    #[test]
    fn committed_outputs_get_one_signed_manifest_per_directory_and_an_audit_line_each() {
        let tmp = tempfile::tempdir().unwrap();
        let det = detector();
        let log = AuditLog::open(&tmp.path().join("audit.jsonl")).unwrap();
        let key = Key::from_bytes(&[7u8; 32], "test").unwrap();
        let out = tmp.path().join("new/deeper");
        let mut d = Delivery::new("copy", Records { audit: Some(&log), detector: &det }, Some(&key));
        d.make_dir(&out).unwrap();
        for name in ["a.csv", "b.csv"] {
            let dest = Destination::File(out.join(name));
            let gate = Gate::new(target(&out), det.clone());
            let f = finished(&dest, &gate, &["x1", "x2"]);
            assert!(!out.join(name).exists(), "staged, not yet there");
            d.add(Delivered {
                input: format!("in/{name}"),
                dest,
                target: target(&out),
                columns: vec![("code".into(), Lineage::Synthetic)],
                tally: gate.tally(),
                finished: f,
            });
        }
        let done = d.commit().unwrap();
        assert_eq!(done.len(), 2);
        assert!(done.iter().all(|c| c.rows == 2 && c.sha256.is_some()));
        let m: Manifest = serde_json::from_slice(&std::fs::read(manifest::manifest_path(&out)).unwrap()).unwrap();
        assert!(m.verify(&key), "signed with the run's key");
        assert_eq!(m.files.len(), 2);
        assert_eq!(m.command, "copy");
        let lines = std::fs::read_to_string(tmp.path().join("audit.jsonl")).unwrap();
        assert_eq!(lines.lines().filter(|l| l.contains("\"cleared\"")).count(), 2, "{lines}");
    }

    #[test]
    fn a_refusal_leaves_no_output_no_new_directory_and_is_audited() {
        let tmp = tempfile::tempdir().unwrap();
        let det = detector();
        let log = AuditLog::open(&tmp.path().join("audit.jsonl")).unwrap();
        let key = Key::from_bytes(&[7u8; 32], "test").unwrap();
        let out = tmp.path().join("made/for/it");
        let mut d = Delivery::new("scrub", Records { audit: Some(&log), detector: &det }, Some(&key));
        d.make_dir(&out).unwrap();
        let dest = Destination::File(out.join("a.csv"));
        let gate = Gate::new(target(&out), det.clone());
        let f = finished(&dest, &gate, &["x"]);
        d.add(Delivered {
            input: "in/a.csv".into(),
            dest,
            target: target(&out),
            columns: Vec::new(),
            tally: gate.tally(),
            finished: f,
        });
        d.refuse("in/b.csv", &target(&out), &[]).unwrap();
        assert!(!tmp.path().join("made").exists(), "the directories it made went again");
        let lines = std::fs::read_to_string(tmp.path().join("audit.jsonl")).unwrap();
        assert_eq!(lines.lines().count(), 1);
        assert!(lines.contains("\"refused\""), "{lines}");
    }

    #[test]
    fn files_without_a_key_are_not_committed() {
        let tmp = tempfile::tempdir().unwrap();
        let det = detector();
        let dest = Destination::File(tmp.path().join("a.csv"));
        let gate = Gate::new(target(tmp.path()), det.clone());
        let f = finished(&dest, &gate, &["x"]);
        let mut d = Delivery::new("copy", Records { audit: None, detector: &det }, None);
        d.add(Delivered {
            input: "in".into(),
            dest,
            target: target(tmp.path()),
            columns: Vec::new(),
            tally: Vec::new(),
            finished: f,
        });
        assert!(d.commit().is_err());
        assert!(!tmp.path().join("a.csv").exists());
    }
}
