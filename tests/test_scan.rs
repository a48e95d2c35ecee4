//! Scanning: every row and cell, CSV dialects, JSON Lines paths, Parquet, report formats, the
//! hard false positives a clean export must pass, and no raw value in any output.

use std::fmt::Write as _;

use crate::util::*;

// Invented values with valid check digits; none is in a reserved range.
pub const CARD: &str = "4929390612345673";
pub const CARD_MC: &str = "5412751234123452";
pub const NHS: &str = "401 023 2137";
pub const IBAN: &str = "GB66ABCD40051512345678";
pub const EMAIL: &str = "ann.fictional@mailbox.co.uk";

fn scan_json(dir: &Dir, path: &str) -> (i32, serde_json::Value, String) {
    let out = run(dir, &["scan", path, "--format", "json"]);
    let code = out.status.code().unwrap_or(-1);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("json report: {e}: {}", stderr(&out)));
    (code, json, stderr(&out))
}

/// Columns with PID in a JSON report: (source, column, rule, pid cells).
fn pid_columns(report: &serde_json::Value) -> Vec<(String, String, String, u64)> {
    let mut out = Vec::new();
    for s in report["sources"].as_array().unwrap() {
        for c in s["columns"].as_array().unwrap() {
            for f in c["findings"].as_array().unwrap() {
                let pid = f["pid_cells"].as_u64().unwrap();
                if pid > 0 {
                    out.push((
                        s["source"].as_str().unwrap().to_string(),
                        c["name"].as_str().unwrap().to_string(),
                        f["rule"].as_str().unwrap().to_string(),
                        pid,
                    ));
                }
            }
        }
    }
    out
}

/// A business export with nothing personal in it, but every kind of value that looks like
/// an identifier to a careless scanner.
pub fn clean_export(rows: usize) -> String {
    let mut s = String::from("order_id,uuid,sha1,md5,placed_at,epoch,epoch_ms,order_ref,sku,ean,isbn,version,gift_code,bad_iban,brand,region,amount,qty\n");
    for i in 0..rows {
        let _ = writeln!(
            s,
            "{i},550e8400-e29b-41d4-a716-{:012},da39a3ee5e6b4b0d3255bfef95601890afd8070{},d41d8cd98f00b204e9800998ecf8427{},2024-03-{:02}T10:15:00Z,{},{},ORD-{:08},SKU-{:05}-BLU,4006381333931,978-0-306-40615-7,10.2.3.{},{},GB00ABCD4005151234567{},Ford,eu-west-{},{}.99,{}",
            446655440000u64 + i as u64,
            i % 10,
            i % 10,
            1 + i % 28,
            1_700_000_000 + i,
            1_700_000_000_000u64 + i as u64,
            i,
            i % 99_999,
            i % 250,
            // 16-digit codes whose Luhn check fails (the last digit is off by one).
            luhn_failing(i),
            i % 10,
            1 + i % 3,
            10 + i % 90,
            1 + i % 9
        );
    }
    s
}

fn luhn_failing(i: usize) -> String {
    let body = format!("4{:014}", 100_000_000 + i);
    let mut t = 0;
    for (k, c) in body.chars().rev().enumerate() {
        let mut d = c.to_digit(10).unwrap();
        if k % 2 == 0 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        t += d;
    }
    let check = (10 - t % 10) % 10;
    format!("{body}{}", (check + 1) % 10)
}

#[test]
fn a_clean_business_export_has_no_personal_data() {
    let dir = Dir::new();
    dir.write("orders.csv", &clean_export(3000));
    let (code, report, err) = scan_json(&dir, "orders.csv");
    assert_eq!(pid_columns(&report), vec![], "false positives: {err}");
    assert_eq!(code, 0);
}

#[test]
fn one_card_number_in_a_million_rows_is_found() {
    let dir = Dir::new();
    let mut s = String::with_capacity(40_000_000);
    s.push_str("id,status,note\n");
    for i in 0..1_000_000 {
        if i == 765_431 {
            let _ = writeln!(s, "{i},paid,card {CARD} used");
        } else {
            let _ = writeln!(s, "{i},paid,ok");
        }
    }
    dir.write("big.csv", &s);
    let (code, report, _) = scan_json(&dir, "big.csv");
    assert_eq!(code, 1);
    assert_eq!(report["sources"][0]["rows"], 1_000_000);
    let found = pid_columns(&report);
    assert_eq!(found, vec![("big.csv".to_string(), "note".to_string(), "card-number".to_string(), 1)]);
    let sample = &report["sources"][0]["columns"][2]["findings"][0]["samples"][0];
    assert_eq!(sample["row"], 765_432, "1-based data row");
    assert_eq!(sample["masked"], "4929********5673");
}

#[test]
fn csv_dialects_are_read_whole() {
    let dir = Dir::new();
    // Semicolons, a BOM, CRLF line ends and a quoted field over two lines.
    let text = format!("\u{feff}id;comment\r\n1;\"first line\r\nsecond line with {EMAIL}\"\r\n2;plain\r\n");
    dir.write("semi.csv", &text);
    let (code, report, _) = scan_json(&dir, "semi.csv");
    assert_eq!(code, 1);
    assert_eq!(pid_columns(&report), vec![("semi.csv".into(), "comment".into(), "email".into(), 1)]);
    assert_eq!(report["sources"][0]["rows"], 2);
}

#[test]
fn json_lines_findings_are_reported_by_path() {
    let dir = Dir::new();
    let lines = format!(
        "{{\"id\":1,\"customer\":{{\"contact\":{{\"email\":\"{EMAIL}\"}}}},\"payment_methods\":[{{\"type\":\"card\",\"number\":\"{CARD}\"}},{{\"type\":\"card\",\"number\":\"{CARD_MC}\"}}]}}\n{{\"id\":2,\"payment_methods\":[]}}\n"
    );
    dir.write("events.jsonl", &lines);
    let (code, report, _) = scan_json(&dir, "events.jsonl");
    assert_eq!(code, 1);
    let found = pid_columns(&report);
    assert!(
        found.contains(&("events.jsonl".into(), "payment_methods[*].number".into(), "card-number".into(), 2)),
        "{found:?}"
    );
    assert!(found.contains(&("events.jsonl".into(), "customer.contact.email".into(), "email".into(), 1)), "{found:?}");
}

#[test]
fn parquet_files_and_folders_are_scanned() {
    let dir = Dir::new();
    dir.write("s.toml", "[tables.t]\nrows = 50\n[tables.t.columns]\nid = \"sequence\"\n");
    run_ok(&dir, &["generate", "s.toml", "--out", "data", "--format", "parquet", "--quiet"]);
    dir.write("data/extra.csv", &format!("id,iban\n1,{IBAN}\n"));
    let (code, report, _) = scan_json(&dir, "data");
    assert_eq!(code, 1);
    let sources: Vec<&str> =
        report["sources"].as_array().unwrap().iter().map(|s| s["source"].as_str().unwrap()).collect();
    // A folder is read whole: synthgate's own manifest is read as text like any file.
    assert_eq!(sources.len(), 3, "{sources:?}");
    assert!(sources.iter().any(|s| s.ends_with("t.parquet")));
    assert!(sources.iter().any(|s| s.ends_with("synthgate.manifest.json")));
    assert_eq!(pid_columns(&report).len(), 1);
}

#[test]
fn sarif_is_valid_and_points_at_the_finding() {
    let dir = Dir::new();
    dir.write("people.csv", &format!("id,card,nhs\n1,{CARD},{NHS}\n2,none,none\n"));
    let out = run(&dir, &["scan", "people.csv", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).expect("SARIF is JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["tool"]["driver"]["name"], "synthgate");
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        assert_eq!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "people.csv");
        assert_eq!(r["locations"][0]["physicalLocation"]["region"]["startLine"], 2);
    }
}

#[test]
fn no_report_or_log_line_contains_a_raw_value() {
    let dir = Dir::new();
    let values = [CARD, CARD_MC, NHS, IBAN, EMAIL];
    let mut s = String::from("id,a,b\n");
    for (i, v) in values.iter().enumerate() {
        let _ = writeln!(s, "{i},{v},text with {v} inside");
    }
    dir.write("pid.csv", &s);
    dir.write("env.toml", "[environments.test]\npaths = [\"shares/test/**\"]\n[audit]\nlog = \"audit.jsonl\"\n");
    let mut outputs = Vec::new();
    for fmt in ["text", "json", "sarif"] {
        let out = run(&dir, &["scan", "pid.csv", "--format", fmt]);
        outputs.push(String::from_utf8_lossy(&out.stdout).into_owned() + &stderr(&out));
    }
    let out = run(&dir, &["gate", "pid.csv", "--target", "test", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(3));
    outputs.push(stderr(&out));
    let out = run(&dir, &["copy", "pid.csv", "shares/test/pid.csv", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(3));
    outputs.push(stderr(&out));
    outputs.push(dir.read("audit.jsonl"));
    for text in &outputs {
        for v in values {
            assert!(!text.contains(v), "raw value {v:?} in output:\n{text}");
            let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(!text.contains(&compact), "raw value {v:?} in output:\n{text}");
        }
    }
    // The masked forms are there, so the reports are not simply empty.
    assert_contains!(outputs[0], "4929********5673");
}
