//! The SARIF 2.1.0 report (shape in the module docs of `report`).

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::batch::Lineage;
use crate::detect::{Rule, RuleFinding, RuleSet, ScanReport};

use super::{pid_cells, plural, printable};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const SARIF_VERSION: &str = "2.1.0";
/// Key of the stable fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "synthgate/v1";
/// Samples quoted in a result's message.
const MAX_SAMPLES: usize = 3;

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
struct Run<'a> {
    tool: Tool,
    artifacts: Vec<Artifact<'a>>,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Text,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    entity: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<f64>,
    /// GitHub code scanning's precision scale.
    #[serde(skip_serializing_if = "Option::is_none")]
    precision: Option<&'static str>,
    tags: Vec<String>,
}

#[derive(Serialize)]
struct Artifact<'a> {
    location: ArtifactLocation,
    length: u64,
    properties: ArtifactProperties<'a>,
}

#[derive(Serialize)]
struct ArtifactProperties<'a> {
    format: &'a str,
    rows: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    partial_fingerprints: BTreeMap<&'static str, String>,
    properties: ResultProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: PhysicalLocation,
    logical_locations: [LogicalLocation<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Clone, Serialize)]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u64,
}

#[derive(Serialize)]
struct LogicalLocation<'a> {
    name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties<'a> {
    entity: &'a str,
    lineage: Lineage,
    confidence: f64,
    cells: u64,
    pid_cells: u64,
    reserved_cells: u64,
    allowed_cells: u64,
    hinted: bool,
    sample_rows: Vec<u64>,
}

/// Writes the SARIF log. `base` is the directory source paths are made relative to (the
/// working directory).
pub(super) fn render(
    reports: &[ScanReport],
    rules: &RuleSet,
    base: Option<&Path>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut descriptors: Vec<Descriptor> = rules.rules.iter().map(descriptor).collect();
    // Rule id → index in `descriptors`; the first rule with an id wins (a RuleSet has no
    // duplicates, but a hand-built one might).
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for (i, r) in rules.rules.iter().enumerate() {
        index.entry(r.id.to_string()).or_insert(i);
    }

    let mut artifacts = Vec::with_capacity(reports.len());
    let mut results = Vec::new();
    for (ai, r) in reports.iter().enumerate() {
        let uri = artifact_uri(&r.source, base);
        artifacts.push(Artifact {
            location: ArtifactLocation { uri: uri.clone(), index: None },
            length: r.bytes,
            properties: ArtifactProperties { format: &r.format, rows: r.rows },
        });
        for f in &r.name_findings {
            let Some(&rule_index) = index.get(&f.rule) else { continue };
            results.push(SarifResult {
                rule_id: &f.rule,
                rule_index,
                level: "error",
                message: Text {
                    text: format!("The file's name (or its folder's) holds {}.", f.entity.replace('_', " ")),
                },
                locations: [Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri: uri.clone(), index: Some(ai) },
                        region: None,
                    },
                    logical_locations: [LogicalLocation { name: "(file name)", kind: "resource" }],
                }],
                partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint(&uri, "(file name)", &f.rule))]),
                properties: ResultProperties {
                    entity: &f.entity,
                    lineage: Lineage::Input,
                    confidence: 1.0,
                    cells: 1,
                    pid_cells: 1,
                    reserved_cells: 0,
                    allowed_cells: 0,
                    hinted: false,
                    sample_rows: Vec::new(),
                },
            });
        }
        for c in &r.columns {
            for f in &c.findings {
                let pid = pid_cells(f);
                if pid == 0 {
                    continue;
                }
                let rule_index = *index.entry(f.rule.clone()).or_insert_with(|| {
                    descriptors.push(missing_descriptor(f));
                    descriptors.len() - 1
                });
                let region =
                    f.samples.first().and_then(|s| line_of(&r.format, s.row)).map(|start_line| Region { start_line });
                results.push(SarifResult {
                    rule_id: &f.rule,
                    rule_index,
                    level: "error",
                    message: Text { text: message(&c.name, f, pid) },
                    locations: [Location {
                        physical_location: PhysicalLocation {
                            artifact_location: ArtifactLocation { uri: uri.clone(), index: Some(ai) },
                            region,
                        },
                        logical_locations: [LogicalLocation { name: &c.name, kind: "member" }],
                    }],
                    partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint(&uri, &c.name, &f.rule))]),
                    properties: ResultProperties {
                        entity: &f.entity,
                        lineage: c.lineage,
                        confidence: f.confidence,
                        cells: f.cells,
                        pid_cells: pid,
                        reserved_cells: f.reserved_cells,
                        allowed_cells: f.allowed_cells,
                        hinted: f.hinted,
                        sample_rows: f.samples.iter().map(|s| s.row).collect(),
                    },
                });
            }
        }
    }

    let log = Log {
        schema: SCHEMA,
        version: SARIF_VERSION,
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "synthgate",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules: descriptors,
                },
            },
            artifacts,
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn descriptor(r: &Rule) -> Descriptor {
    let mut full = sentence(&r.description);
    full.push_str(&format!(" Entity: {}.", r.entity));
    if let Some((name, _)) = &r.validator {
        full.push_str(&format!(" Matches are confirmed by the `{name}` validator."));
    }
    if r.requires_hint {
        full.push_str(" Reported only in columns whose name suggests the entity.");
    }
    let full = full.trim_start().to_string();
    let mut help = format!(
        "The column holds {} values: personal data, which may only reach a production target. \
         Replace the column with synthetic values (a generator) or scrub it with a policy; \
         synthetic identifiers must lie in the reserved ranges. If the values are not personal \
         data, add an allowlist entry.",
        r.entity
    );
    if r.reserved.is_some() && !r.source.trim().is_empty() {
        help.push_str(&format!(" Reserved range: {}.", r.source.trim().trim_end_matches('.')));
    }
    let mut short = sentence(&first_sentence(&r.description));
    if short.is_empty() {
        short = format!("{} values", r.entity);
    }
    Descriptor {
        id: r.id.to_string(),
        name: pascal_case(&r.id),
        short_description: Text { text: short },
        full_description: Text { text: full },
        help: Text { text: help },
        default_configuration: Configuration { level: "error" },
        properties: RuleProperties {
            entity: r.entity.to_string(),
            confidence: Some(r.confidence),
            precision: Some(precision(r.confidence)),
            tags: vec!["privacy".to_string(), "pid".to_string(), r.entity.to_string()],
        },
    }
}

/// A descriptor for a rule a finding names but the rule set lacks (so `ruleIndex` always
/// points at a descriptor with that id).
fn missing_descriptor(f: &RuleFinding) -> Descriptor {
    let text = format!("Detects {} values (rule not in the loaded rule set).", f.entity);
    Descriptor {
        id: f.rule.clone(),
        name: pascal_case(&f.rule),
        short_description: Text { text: text.clone() },
        full_description: Text { text: text.clone() },
        help: Text { text },
        default_configuration: Configuration { level: "error" },
        properties: RuleProperties {
            entity: f.entity.clone(),
            confidence: None,
            precision: None,
            tags: vec!["privacy".to_string(), "pid".to_string(), f.entity.clone()],
        },
    }
}

/// ``12 cells of column `card` hold payment_card values (masked samples: row 1042: 4111 **** **** 1111)``
fn message(column: &str, f: &RuleFinding, pid: u64) -> String {
    let verb = if pid == 1 { "holds" } else { "hold" };
    let mut m =
        format!("{} of column `{}` {verb} {} values", plural(pid, "cell"), printable(column), printable(&f.entity));
    let shown: Vec<String> =
        f.samples.iter().take(MAX_SAMPLES).map(|s| format!("row {}: {}", s.row, printable(&s.masked))).collect();
    if !shown.is_empty() {
        let more = if pid > shown.len() as u64 { ", …" } else { "" };
        m.push_str(&format!(" (masked samples: {}{more})", shown.join(", ")));
    }
    m
}

/// The line a data row starts on: CSV has a header line, JSON Lines one row per line; other
/// formats have no lines.
fn line_of(format: &str, row: u64) -> Option<u64> {
    if row == 0 {
        return None;
    }
    match format.to_ascii_lowercase().as_str() {
        "csv" | "tsv" => Some(row + 1),
        "jsonl" | "ndjson" => Some(row),
        _ => None,
    }
}

/// Hex sha256 of (uri, column, rule), NUL-separated: the same finding in the same place gets
/// the same fingerprint on every run.
fn fingerprint(uri: &str, column: &str, rule: &str) -> String {
    let mut h = Sha256::new();
    for part in [uri, column, rule] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A source path as a SARIF artifact URI: relative to `base` when it lies under it, forward
/// slashes, `./` dropped, percent-encoded. A path outside `base` becomes a `file://` URI; a
/// source that already is a URL (`s3://…`, `postgres://…`) is kept as it is.
pub(super) fn artifact_uri(source: &str, base: Option<&Path>) -> String {
    if source.contains("://") {
        return source.to_string();
    }
    let path = Path::new(source);
    let relative = match base {
        Some(b) if path.is_absolute() => path.strip_prefix(b).ok(),
        _ => None,
    };
    let mut s = match relative {
        Some(r) => r.to_string_lossy().into_owned(),
        None => source.to_string(),
    };
    s = s.replace('\\', "/");
    while let Some(rest) = s.strip_prefix("./") {
        s = rest.to_string();
    }
    let bytes = s.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    if s.starts_with('/') {
        format!("file://{}", encode(&s, true))
    } else if drive {
        format!("file:///{}", encode(&s, true))
    } else {
        encode(&s, false)
    }
}

/// Percent-encodes every byte but unreserved characters and `/` (and `:` when `colon`).
fn encode(s: &str, colon: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') || (colon && b == b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `payment-card` → `PaymentCard`.
fn pascal_case(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for part in id.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()) {
        let mut cs = part.chars();
        if let Some(c) = cs.next() {
            out.push(c.to_ascii_uppercase());
            out.extend(cs);
        }
    }
    if out.is_empty() {
        id.to_string()
    } else {
        out
    }
}

/// `s`, trimmed, ending in a full stop (empty stays empty).
fn sentence(s: &str) -> String {
    let mut out = s.trim().to_string();
    if !out.is_empty() && !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// The first sentence of a description, for `shortDescription`.
fn first_sentence(s: &str) -> String {
    let s = s.trim();
    match s.find(". ") {
        Some(i) => s[..=i].to_string(),
        None => s.to_string(),
    }
}

/// GitHub code scanning's `precision` for a rule confidence.
fn precision(confidence: f64) -> &'static str {
    if confidence >= 0.9 {
        "very-high"
    } else if confidence >= 0.75 {
        "high"
    } else if confidence >= 0.5 {
        "medium"
    } else {
        "low"
    }
}
