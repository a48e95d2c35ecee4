use std::path::Path;

use serde_json::Value;

use super::*;
use crate::batch::Lineage;
use crate::detect::{ColumnSummary, RuleFinding, Sample};

/// The raw card number the masked samples stand for; it must never appear in any output.
const RAW_CARD: &str = "4556 7375 8689 9855";
const RAW_CARD_DIGITS: &str = "4556737586899855";
const MASKED_CARD: &str = "4556 **** **** 9855";

const RULES: &str = r#"
[[rule]]
id = "uk-nhs-number"
entity = "nhs_number"
description = "A UK NHS number. Ten digits with a mod-11 check digit."
regex = '\b\d{3} ?\d{3} ?\d{4}\b'
confidence = 0.8
[[rule.positive]]
value = "943 476 5919"
reason = "ten digits"
[[rule.negative]]
value = "12"
reason = "too short"

[[rule]]
id = "payment-card"
entity = "payment_card"
description = "A payment card number"
regex = '\b\d{4}(?: ?\d{4}){3}\b'
confidence = 0.97
[[rule.positive]]
value = "4111 1111 1111 1111"
reason = "sixteen digits"
[[rule.negative]]
value = "4111"
reason = "too short"

[[rule]]
id = "email"
entity = "email"
description = "An email address."
regex = '[^@\s]+@[^@\s]+'
confidence = 0.9
[[rule.positive]]
value = "a@b.c"
reason = "an address"
[[rule.negative]]
value = "ab"
reason = "no at sign"
"#;

fn rules() -> RuleSet {
    let mut set = RuleSet::default();
    set.load_str("test-rules.toml", RULES).expect("test rules load");
    set
}

fn sample(row: u64, masked: &str) -> Sample {
    Sample { row, masked: masked.to_string() }
}

fn finding(rule: &str, entity: &str, cells: u64, reserved: u64, samples: Vec<Sample>) -> RuleFinding {
    RuleFinding {
        in_text_cells: 0,
        rule: rule.to_string(),
        entity: entity.to_string(),
        confidence: 0.97,
        cells,
        reserved_cells: reserved,
        allowed_cells: 0,
        hinted: true,
        in_name: false,
        samples,
    }
}

fn column(name: &str, findings: Vec<RuleFinding>) -> ColumnSummary {
    ColumnSummary { name: name.to_string(), lineage: Lineage::Input, cells: 2000, findings }
}

/// A CSV with a card column (PID), an email column (reserved cells only) and a clean column; a
/// JSON Lines file with a card JSON path; a Parquet file whose finding names a rule the set
/// lacks. Three PID column findings in all.
fn reports() -> Vec<ScanReport> {
    vec![
        ScanReport {
            source: "data/customers.csv".to_string(),
            format: "csv".to_string(),
            rows: 2000,
            bytes: 1_523_110,
            columns: vec![
                column(
                    "card",
                    vec![finding(
                        "payment-card",
                        "payment_card",
                        12,
                        0,
                        vec![
                            sample(1042, MASKED_CARD),
                            sample(1043, "5500 **** **** 0004"),
                            sample(1500, "3400 ***** *0009"),
                            sample(1600, "6011 **** **** 0004"),
                        ],
                    )],
                ),
                column("email", vec![finding("email", "email", 200, 200, vec![])]),
                column("notes", vec![]),
            ],
            name_findings: Vec::new(),
            seconds: 0.5,
        },
        ScanReport {
            source: "./exports/events.jsonl".to_string(),
            format: "jsonl".to_string(),
            rows: 10,
            bytes: 4096,
            columns: vec![
                column(
                    "payment_methods[*].number",
                    vec![finding("payment-card", "payment_card", 1, 0, vec![sample(7, MASKED_CARD)])],
                ),
                column("ip", vec![]),
                column("ts", vec![]),
            ],
            name_findings: Vec::new(),
            seconds: 0.0,
        },
        ScanReport {
            source: "exports/accounts.parquet".to_string(),
            format: "parquet".to_string(),
            rows: 5,
            bytes: 900,
            columns: vec![column(
                "member_id",
                vec![finding("custom-member-id", "member_id", 5, 1, vec![sample(2, "M-****-12")])],
            )],
            name_findings: Vec::new(),
            seconds: 0.01,
        },
    ]
}

fn render_to_string(format: ReportFormat, reports: &[ScanReport]) -> String {
    let mut out = Vec::new();
    render(format, reports, &rules(), &mut out).expect("render");
    String::from_utf8(out).expect("utf-8")
}

fn assert_no_raw(s: &str) {
    assert!(!s.contains(RAW_CARD), "raw value in output:\n{s}");
    assert!(!s.contains(RAW_CARD_DIGITS), "raw value in output:\n{s}");
    assert!(!s.contains("7375"), "unmasked digits in output:\n{s}");
}

#[test]
fn report_format_parses_its_names() {
    assert_eq!(ReportFormat::parse("text"), Some(ReportFormat::Text));
    assert_eq!(ReportFormat::parse("JSON"), Some(ReportFormat::Json));
    assert_eq!(ReportFormat::parse("sarif"), Some(ReportFormat::Sarif));
    assert_eq!(ReportFormat::parse("xml"), None);
    for name in ReportFormat::NAMES {
        assert_eq!(ReportFormat::parse(name).unwrap().name(), *name);
    }
    let err = "yaml".parse::<ReportFormat>().unwrap_err();
    assert!(err.contains("text, json, sarif"), "{err}");
}

#[test]
fn report_text_is_an_aligned_table_with_masked_samples() {
    let text = render_to_string(ReportFormat::Text, &reports());
    assert_no_raw(&text);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "data/customers.csv  csv  2,000 rows  1.52 MB  0.50 s  3.0 MB/s", "{text}");
    assert!(text.contains(&format!("row 1042: {MASKED_CARD}")), "{text}");
    // At most three samples, and a mark that there are more.
    assert!(!text.contains("row 1600"), "{text}");
    assert!(text.contains("row 1500: 3400 ***** *0009, …"), "{text}");
    assert!(text.contains("  1 other column: no personal data"), "{text}");
    assert!(text.contains("  2 other columns: no personal data"), "{text}");
    assert!(text.contains("- MB/s"), "zero seconds has no rate:\n{text}");
    assert_eq!(lines.last().copied(), Some("PID found in 3 columns of 3 files"), "{text}");

    // Columns line up: every cell of the first table starts where its heading starts.
    let heading = lines[1];
    let card = lines.iter().find(|l| l.trim_start().starts_with("card ")).expect("card line");
    let email = lines.iter().find(|l| l.trim_start().starts_with("email ")).expect("email line");
    let rule_at = heading.find("RULE").unwrap();
    assert_eq!(card.find("payment-card"), Some(rule_at), "{text}");
    assert_eq!(&email[rule_at..rule_at + 5], "email", "{text}");
    let samples_at = heading.find("SAMPLES").unwrap();
    assert_eq!(card.find("row 1042"), Some(samples_at), "{text}");
    assert_eq!(email[samples_at..].trim(), "-", "reserved-only findings have no samples:\n{text}");
    // Numbers are right-aligned under their headings.
    let reserved_end = heading.find("RESERVED").unwrap() + "RESERVED".len();
    assert_eq!(&email[reserved_end - 3..reserved_end], "200", "{text}");
    assert_eq!(&card[reserved_end - 1..reserved_end], "0", "{text}");
    let pid_end = heading.find(" PID").unwrap() + " PID".len();
    assert_eq!(&card[pid_end - 2..pid_end], "12", "{text}");
    assert!(card.contains("97%"), "{text}");
}

#[test]
fn report_text_without_findings_says_so() {
    let clean = vec![ScanReport {
        source: "clean.csv".to_string(),
        format: "csv".to_string(),
        rows: 3,
        bytes: 10,
        columns: vec![column("a", vec![]), column("b", vec![])],
        name_findings: Vec::new(),
        seconds: 0.001,
    }];
    let text = render_to_string(ReportFormat::Text, &clean);
    assert!(!text.contains("COLUMN"), "{text}");
    assert!(text.contains("  2 columns: no personal data"), "{text}");
    assert_eq!(text.lines().last(), Some("no personal data found"));
    assert_eq!(render_to_string(ReportFormat::Text, &[]), "no personal data found\n");
}

#[test]
fn report_text_escapes_control_characters_from_the_data() {
    let mut r = reports();
    r[0].columns[0].name = "ca\u{1b}[31mrd\u{202e}".to_string();
    let text = render_to_string(ReportFormat::Text, &r);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'), "{text:?}");
    assert!(text.contains("ca\\u{1b}[31mrd\\u{202e}"), "{text}");
}

#[test]
fn report_json_has_the_documented_shape() {
    let s = render_to_string(ReportFormat::Json, &reports());
    assert_no_raw(&s);
    assert!(s.ends_with("}\n"));
    let v: Value = serde_json::from_str(&s).expect("valid JSON");
    assert_eq!(v["version"], 1);
    assert_eq!(v["synthgate"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["pid_found"], true);
    let sources = v["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 3);
    let csv = &sources[0];
    assert_eq!(csv["source"], "data/customers.csv");
    assert_eq!(csv["format"], "csv");
    assert_eq!(csv["rows"], 2000);
    assert_eq!(csv["bytes"], 1_523_110);
    assert_eq!(csv["seconds"], 0.5);
    assert_eq!(csv["pid_found"], true);
    let cols = csv["columns"].as_array().unwrap();
    assert_eq!(cols.len(), 3);
    let card = &cols[0];
    assert_eq!(card["name"], "card");
    assert_eq!(card["lineage"], "input");
    assert_eq!(card["cells"], 2000);
    assert_eq!(card["pid_found"], true);
    let f = &card["findings"][0];
    assert_eq!(f["rule"], "payment-card");
    assert_eq!(f["entity"], "payment_card");
    assert_eq!(f["confidence"], 0.97);
    assert_eq!(f["cells"], 12);
    assert_eq!(f["reserved_cells"], 0);
    assert_eq!(f["allowed_cells"], 0);
    assert_eq!(f["pid_cells"], 12);
    assert_eq!(f["hinted"], true);
    assert_eq!(f["samples"][0]["row"], 1042);
    assert_eq!(f["samples"][0]["masked"], MASKED_CARD);
    let email = &cols[1];
    assert_eq!(email["pid_found"], false);
    assert_eq!(email["findings"][0]["pid_cells"], 0);
    assert_eq!(email["findings"][0]["reserved_cells"], 200);
    assert_eq!(cols[2]["findings"].as_array().unwrap().len(), 0);

    let clean = render_to_string(ReportFormat::Json, &[]);
    let v: Value = serde_json::from_str(&clean).unwrap();
    assert_eq!(v["pid_found"], false);
    assert_eq!(v["sources"].as_array().unwrap().len(), 0);
}

#[test]
fn report_sarif_has_the_documented_structure() {
    let s = render_to_string(ReportFormat::Sarif, &reports());
    assert_no_raw(&s);
    let v: Value = serde_json::from_str(&s).expect("valid JSON");
    assert_eq!(v["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    assert_eq!(v["version"], "2.1.0");
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "synthgate");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));

    // Every rule of the set, in order, then the one a finding names that the set lacks.
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["uk-nhs-number", "payment-card", "email", "custom-member-id"]);
    for r in rules {
        assert_eq!(r["defaultConfiguration"]["level"], "error");
        assert!(!r["shortDescription"]["text"].as_str().unwrap().is_empty());
        assert!(!r["fullDescription"]["text"].as_str().unwrap().is_empty());
        assert!(!r["help"]["text"].as_str().unwrap().is_empty());
        assert!(r["properties"]["entity"].is_string());
    }
    assert_eq!(rules[0]["name"], "UkNhsNumber");
    assert_eq!(rules[0]["shortDescription"]["text"], "A UK NHS number.");
    assert_eq!(rules[1]["fullDescription"]["text"], "A payment card number. Entity: payment_card.");
    assert_eq!(rules[1]["properties"]["confidence"], 0.97);
    assert_eq!(rules[1]["properties"]["precision"], "very-high");

    // One result per PID column finding; the reserved-only email column is not one.
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        assert_eq!(r["level"], "error");
        let loc = &r["locations"][0];
        assert!(loc["physicalLocation"]["artifactLocation"]["uri"].is_string());
        let ai = loc["physicalLocation"]["artifactLocation"]["index"].as_u64().unwrap() as usize;
        assert_eq!(run["artifacts"][ai]["location"]["uri"], loc["physicalLocation"]["artifactLocation"]["uri"]);
        assert_eq!(loc["logicalLocations"][0]["kind"], "member");
        let fp = r["partialFingerprints"]["synthgate/v1"].as_str().unwrap();
        assert_eq!(fp.len(), 64);
        assert!(fp.bytes().all(|b| b.is_ascii_hexdigit()));
    }
    assert!(results.iter().all(|r| r["ruleId"] != "email"));

    let card = &results[0];
    assert_eq!(card["ruleId"], "payment-card");
    assert_eq!(card["ruleIndex"], 1);
    assert_eq!(
        card["message"]["text"],
        format!("12 cells of column `card` hold payment_card values (masked samples: row 1042: {MASKED_CARD}, row 1043: 5500 **** **** 0004, row 1500: 3400 ***** *0009, …)")
    );
    let phys = &card["locations"][0]["physicalLocation"];
    assert_eq!(phys["artifactLocation"]["uri"], "data/customers.csv");
    assert_eq!(phys["region"]["startLine"], 1043, "CSV: row + 1 for the header");
    assert_eq!(card["locations"][0]["logicalLocations"][0]["name"], "card");
    assert_eq!(card["properties"]["pidCells"], 12);
    assert_eq!(card["properties"]["reservedCells"], 0);
    assert_eq!(card["properties"]["confidence"], 0.97);

    let jsonl = &results[1];
    assert_eq!(jsonl["message"]["text"], format!("1 cell of column `payment_methods[*].number` holds payment_card values (masked samples: row 7: {MASKED_CARD})"));
    let phys = &jsonl["locations"][0]["physicalLocation"];
    assert_eq!(phys["artifactLocation"]["uri"], "exports/events.jsonl");
    assert_eq!(phys["region"]["startLine"], 7, "JSON Lines: the row");
    assert_eq!(jsonl["locations"][0]["logicalLocations"][0]["name"], "payment_methods[*].number");

    let parquet = &results[2];
    assert_eq!(parquet["ruleIndex"], 3);
    assert_eq!(parquet["properties"]["pidCells"], 4);
    assert!(parquet["locations"][0]["physicalLocation"].get("region").is_none(), "Parquet has no lines");

    // Fingerprints: stable across runs, distinct between findings, blind to counts.
    let again: Value = serde_json::from_str(&render_to_string(ReportFormat::Sarif, &reports())).unwrap();
    let fps = |v: &Value| -> Vec<String> {
        v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"]["synthgate/v1"].as_str().unwrap().to_string())
            .collect()
    };
    let mut changed = reports();
    changed[0].columns[0].findings[0].cells = 99;
    changed[0].columns[0].findings[0].samples.truncate(1);
    let changed: Value = serde_json::from_str(&render_to_string(ReportFormat::Sarif, &changed)).unwrap();
    assert_eq!(fps(&v), fps(&again));
    assert_eq!(fps(&v), fps(&changed));
    let mut unique = fps(&v);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 3);
}

#[test]
fn report_sarif_without_findings_has_no_results() {
    let mut r = reports();
    r.truncate(1);
    r[0].columns.remove(0);
    let v: Value = serde_json::from_str(&render_to_string(ReportFormat::Sarif, &r)).unwrap();
    assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 0);
    assert_eq!(v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().len(), 3);
}

#[test]
fn report_sarif_uris_are_relative_with_forward_slashes() {
    use super::sarif::artifact_uri;
    let base = Path::new("/work/repo");
    assert_eq!(artifact_uri("/work/repo/data/a.csv", Some(base)), "data/a.csv");
    assert_eq!(artifact_uri("./data/a.csv", Some(base)), "data/a.csv");
    assert_eq!(artifact_uri("data\\sub\\a.csv", Some(base)), "data/sub/a.csv");
    assert_eq!(artifact_uri("my data/a b.csv", None), "my%20data/a%20b.csv");
    assert_eq!(artifact_uri("/elsewhere/a.csv", Some(base)), "file:///elsewhere/a.csv");
    assert_eq!(artifact_uri("s3://bucket/key.csv", Some(base)), "s3://bucket/key.csv");
}
