//! Detection quality on the evaluation corpus of `tests/corpus` (built by
//! `benches/detect_corpus.py` from a fixed seed; every value invented): columns flagged against
//! their labels (precision, recall, per entity), file verdicts, free-text cells and short
//! sentences with context words. The table is printed (`benches/detect.sh` shows it and
//! BENCHMARKS.md keeps it) and the goals of the detection-quality work are held here, so a
//! change that loses them fails the tests.
//!
//! Files are scanned by the binary (`scan --format json`), as a user would; cells and
//! sentences through the library's detector, one value at a time. Diagnostics name files,
//! columns, rows and entities; values are printed only with `SYNTHGATE_CORPUS_VALUES=1`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use synthgate::batch::Lineage;
use synthgate::detect::{Detector, RuleSet};

use crate::util::synthgate;

/// The committed corpus, or another one built by the same script (`SYNTHGATE_CORPUS_DIR`, as
/// `benches/detect.sh --held-out` does with another seed).
fn corpus() -> PathBuf {
    match std::env::var_os("SYNTHGATE_CORPUS_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus"),
    }
}

fn labels() -> Value {
    let p = corpus().join("labels.json");
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()));
    serde_json::from_str(&text).expect("labels.json parses")
}

/// Counts for one measure: true positives, false positives, false negatives.
#[derive(Default, Clone, Copy)]
struct Counts {
    tp: u64,
    fp: u64,
    fn_: u64,
}

impl Counts {
    fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }

    fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
}

/// What the scan said of one column: the entities of its personal-data findings, most cells
/// first.
fn flagged_entities(column: &Value) -> Vec<String> {
    let mut by: Vec<(String, u64)> = Vec::new();
    for f in column["findings"].as_array().into_iter().flatten() {
        let pid = f["pid_cells"].as_u64().unwrap_or(0);
        if pid == 0 {
            continue;
        }
        let e = f["entity"].as_str().unwrap_or("").to_string();
        match by.iter_mut().find(|(x, _)| *x == e) {
            Some((_, n)) => *n += pid,
            None => by.push((e, pid)),
        }
    }
    by.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    by.into_iter().map(|(e, _)| e).collect()
}

struct Quality {
    columns: Counts,
    /// By labelled (or, for false positives, found) entity.
    entities: BTreeMap<String, Counts>,
    files_right: usize,
    files: usize,
    free_found: u64,
    free_pid: u64,
    free_flagged_clean: u64,
    free_clean: u64,
    sentences_right: u64,
    sentences: u64,
    /// By sentence label: (agreed, all).
    sentence_entities: BTreeMap<String, (u64, u64)>,
    notes: Vec<String>,
}

fn measure() -> Quality {
    let labels = labels();
    let show_values = std::env::var_os("SYNTHGATE_CORPUS_VALUES").is_some();
    let mut q = Quality {
        columns: Counts::default(),
        entities: BTreeMap::new(),
        files_right: 0,
        files: 0,
        free_found: 0,
        free_pid: 0,
        free_flagged_clean: 0,
        free_clean: 0,
        sentences_right: 0,
        sentences: 0,
        sentence_entities: BTreeMap::new(),
        notes: Vec::new(),
    };

    // Files, through the binary.
    let files = labels["files"].as_array().expect("files");
    let paths: Vec<PathBuf> = files.iter().map(|f| corpus().join(f["path"].as_str().expect("path"))).collect();
    let out = synthgate().arg("scan").args(&paths).args(["--format", "json"]).output().expect("run synthgate scan");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("scan output is not JSON ({e}); stderr:\n{}", String::from_utf8_lossy(&out.stderr)));
    let sources = report["sources"].as_array().expect("sources");
    assert_eq!(sources.len(), files.len(), "one report per corpus file");
    for (f, s) in files.iter().zip(sources) {
        let path = f["path"].as_str().unwrap_or("");
        q.files += 1;
        let want_pid = f["pid"].as_bool().expect("pid");
        if s["pid_found"].as_bool() == Some(want_pid) {
            q.files_right += 1;
        } else {
            q.notes.push(format!("file {path}: expected pid = {want_pid}"));
        }
        let cols = s["columns"].as_array().expect("columns");
        let labelled = f["columns"].as_object().expect("columns labels");
        for (name, label) in labelled {
            let Some(c) = cols.iter().find(|c| c["name"].as_str() == Some(name)) else {
                q.notes.push(format!("file {path}: no column `{name}` in the scan"));
                continue;
            };
            let found = flagged_entities(c);
            match label.as_str() {
                Some(want) => {
                    let e = q.entities.entry(want.to_string()).or_default();
                    if found.is_empty() {
                        q.columns.fn_ += 1;
                        e.fn_ += 1;
                        q.notes.push(format!("missed column {path} `{name}` ({want})"));
                    } else {
                        q.columns.tp += 1;
                        if found.iter().any(|x| x == want) {
                            e.tp += 1;
                        } else {
                            e.fn_ += 1;
                            q.notes.push(format!("column {path} `{name}`: {want} found as {}", found.join(", ")));
                        }
                        // The column's strongest other entity is a false positive of that entity.
                        if found[0] != want {
                            q.entities.entry(found[0].clone()).or_default().fp += 1;
                        }
                    }
                }
                None if !found.is_empty() => {
                    q.columns.fp += 1;
                    q.entities.entry(found[0].clone()).or_default().fp += 1;
                    q.notes.push(format!("false alarm {path} `{name}`: {}", found.join(", ")));
                }
                None => {}
            }
        }
        for c in cols {
            let name = c["name"].as_str().unwrap_or("");
            if !labelled.contains_key(name) && !c["name"].as_str().unwrap_or("").contains('*') {
                q.notes.push(format!("file {path}: column `{name}` has no label"));
            }
        }
    }

    // Cells and sentences, through the library.
    let det = Detector::new(RuleSet::defaults().expect("default rules"));
    let found_in = |column: &str, text: &str| -> Vec<String> {
        let col = det.cell_rules(column, Lineage::Input);
        let mut hits = Vec::new();
        det.with_scratch(|s| det.scan_cell(&col, text, s, &mut hits));
        let mut entities: Vec<String> =
            hits.iter().filter(|(_, m)| !m.reserved).map(|(r, _)| det.rules.rules[*r].entity.to_string()).collect();
        entities.dedup();
        entities
    };

    let free = &labels["free_text"];
    let column = free["column"].as_str().expect("free_text.column");
    let rows = free["rows"].as_array().expect("free_text.rows");
    let mut reader =
        csv::Reader::from_path(corpus().join(free["path"].as_str().expect("free_text.path"))).expect("free_text csv");
    let at = reader.headers().expect("header").iter().position(|h| h == column).expect("free-text column");
    let mut n = 0;
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.expect("free_text row");
        let cell = rec.get(at).unwrap_or("");
        let label = rows.get(i).expect("a label per row");
        let found = found_in(column, cell);
        let shown = if show_values { format!(": {cell:?}") } else { String::new() };
        match label.as_str() {
            Some(want) => {
                q.free_pid += 1;
                if found.is_empty() {
                    q.notes.push(format!("free text row {}: missed {want}{shown}", i + 1));
                } else {
                    q.free_found += 1;
                }
            }
            None => {
                q.free_clean += 1;
                if !found.is_empty() {
                    q.free_flagged_clean += 1;
                    q.notes.push(format!("free text row {}: clean, found {}{shown}", i + 1, found.join(", ")));
                }
            }
        }
        n += 1;
    }
    assert_eq!(n, rows.len(), "one label per free-text row");

    for s in labels["sentences"].as_array().expect("sentences") {
        let text = s["text"].as_str().expect("sentence text");
        let found = found_in("text", text);
        let label = s["entity"].as_str();
        let key = label.unwrap_or("(none)").to_string();
        let right = match label {
            Some(want) => found.iter().any(|e| e == want),
            None => found.is_empty(),
        };
        q.sentences += 1;
        let e = q.sentence_entities.entry(key.clone()).or_default();
        e.1 += 1;
        if right {
            q.sentences_right += 1;
            e.0 += 1;
        } else {
            let shown = if show_values { format!(": {text:?}") } else { String::new() };
            q.notes.push(format!("sentence ({key}): found [{}]{shown}", found.join(", ")));
        }
    }
    q
}

fn table(q: &Quality) -> String {
    let mut t = String::new();
    let free_recall = q.free_found as f64 / q.free_pid.max(1) as f64;
    let free_fp = q.free_flagged_clean as f64 / q.free_clean.max(1) as f64;
    t.push_str("| measure | value |\n|---|---|\n");
    t.push_str(&format!(
        "| columns holding PID that are flagged (recall) | {:.3} ({} of {}) |\n",
        q.columns.recall(),
        q.columns.tp,
        q.columns.tp + q.columns.fn_
    ));
    t.push_str(&format!(
        "| flagged columns that hold PID (precision) | {:.3} ({} of {}) |\n",
        q.columns.precision(),
        q.columns.tp,
        q.columns.tp + q.columns.fp
    ));
    t.push_str(&format!("| file verdicts right | {} of {} |\n", q.files_right, q.files));
    t.push_str(&format!(
        "| free-text cells with PID found | {free_recall:.3} ({} of {}) |\n",
        q.free_found, q.free_pid
    ));
    t.push_str(&format!(
        "| clean free-text cells flagged | {:.3} ({} of {}) |\n",
        free_fp, q.free_flagged_clean, q.free_clean
    ));
    t.push_str(&format!(
        "| sentences agreed on | {:.3} ({} of {}) |\n",
        q.sentences_right as f64 / q.sentences.max(1) as f64,
        q.sentences_right,
        q.sentences
    ));
    t.push_str("\n| entity | columns: precision | recall | sentences agreed |\n|---|---|---|---|\n");
    let mut names: Vec<&String> = q.entities.keys().chain(q.sentence_entities.keys()).collect();
    names.sort();
    names.dedup();
    for e in names {
        let c = q.entities.get(e);
        let s = q.sentence_entities.get(e);
        t.push_str(&format!(
            "| {e} | {} | {} | {} |\n",
            c.map_or("-".into(), |c| format!("{:.2} ({}/{})", c.precision(), c.tp, c.tp + c.fp)),
            c.map_or("-".into(), |c| format!("{:.2} ({}/{})", c.recall(), c.tp, c.tp + c.fn_)),
            s.map_or("-".into(), |s| format!("{}/{}", s.0, s.1)),
        ));
    }
    t
}

#[test]
fn detection_meets_its_goals_on_the_evaluation_corpus() {
    let q = measure();
    println!("{}", table(&q));
    for n in &q.notes {
        println!("- {n}");
    }
    let free_recall = q.free_found as f64 / q.free_pid.max(1) as f64;
    let free_fp = q.free_flagged_clean as f64 / q.free_clean.max(1) as f64;
    let sentences = q.sentences_right as f64 / q.sentences.max(1) as f64;
    let mut short = Vec::new();
    if q.columns.recall() < 0.95 {
        short.push(format!("column recall {:.3} < 0.95", q.columns.recall()));
    }
    if q.columns.precision() < 0.95 {
        short.push(format!("column precision {:.3} < 0.95", q.columns.precision()));
    }
    if q.files_right != q.files {
        short.push(format!("file verdicts {} of {}", q.files_right, q.files));
    }
    if free_recall < 0.95 {
        short.push(format!("free-text recall {free_recall:.3} < 0.95"));
    }
    if free_fp > 0.02 {
        short.push(format!("clean free-text cells flagged {free_fp:.3} > 0.02"));
    }
    if sentences < 0.95 {
        short.push(format!("sentences agreed {sentences:.3} < 0.95"));
    }
    assert!(short.is_empty(), "detection quality below its goals: {}", short.join("; "));
}
