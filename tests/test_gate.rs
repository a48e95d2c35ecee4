//! The gate: environments, refusals that leave nothing behind, manifests (hashes, signatures,
//! forgeries), allowlists and the audit log.

use std::fmt::Write as _;

use crate::test_scan::{clean_export, CARD, EMAIL};
use crate::util::*;

/// Production and test trees, and an audit log (shared with the trust tests).
pub const ENV: &str = r#"
[environments.production]
paths = ["prod/**"]
[environments.test]
paths = ["test-share/**", "test-data/**"]
[audit]
log = "audit.jsonl"
"#;

fn setup() -> Dir {
    let dir = Dir::new();
    dir.write("env.toml", ENV);
    dir.write("shop.toml", include_str!("fixtures/shop.toml"));
    dir
}

/// `setup`, plus `signed.toml`: the same environments, requiring signed manifests.
fn setup_signed() -> Dir {
    let dir = setup();
    dir.write("key", "0123456789abcdef0123456789abcdef-test-key-material");
    dir.write("signed.toml", &format!("{ENV}[manifests]\nrequire_signed = true\nkey_file = \"key\"\n"));
    dir
}

/// Generates the shop's `customers` into `out`, under the environments file `env`.
fn generate_customers(dir: &Dir, out: &str, env: &str) {
    run_ok(dir, &["generate", "shop.toml", "--out", out, "--env-file", env, "--quiet", "--table", "customers"]);
}

fn with_card(rows: usize, at: usize) -> String {
    let clean = clean_export(rows);
    let mut out = String::new();
    for (i, line) in clean.lines().enumerate() {
        if i == at + 1 {
            // Put the card where a gift code was.
            let mut fields: Vec<&str> = line.split(',').collect();
            fields[12] = CARD;
            let _ = writeln!(out, "{}", fields.join(","));
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

#[test]
fn generated_files_pass_the_gate_where_they_were_written() {
    let dir = setup();
    run_ok(&dir, &["generate", "shop.toml", "--out", "test-data", "--env-file", "env.toml", "--quiet"]);
    assert!(dir.listing("test-data").contains(&"synthgate.manifest.json".to_string()));
    let manifest: serde_json::Value = serde_json::from_str(&dir.read("test-data/synthgate.manifest.json")).unwrap();
    for f in manifest["files"].as_array().unwrap() {
        let name = f["name"].as_str().unwrap();
        assert_eq!(f["sha256"].as_str().unwrap(), sha256_file(&dir.join(&format!("test-data/{name}"))), "{name}");
        assert!(f["columns"].as_array().unwrap().iter().all(|c| c["lineage"] == "synthetic"));
    }
    let out = run(&dir, &["gate", "test-data", "--target", "test", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_contains!(stderr(&out), "cleared: test-data/customers.csv");
}

#[test]
fn a_hand_edited_generated_file_is_refused() {
    let dir = setup();
    generate_customers(&dir, "test-data", "env.toml");
    let path = dir.join("test-data/customers.csv");
    let text = std::fs::read_to_string(&path).unwrap().replacen("example.com", "example.con", 1);
    std::fs::write(&path, text).unwrap();
    let out = run(&dir, &["gate", "test-data/customers.csv", "--target", "test", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    // Without its manifest's word the names are input, and names are personal data.
    assert_contains!(stderr(&out), "first_name");
}

#[test]
fn a_clean_export_passes_and_one_card_in_it_is_refused() {
    let dir = setup();
    dir.write("clean.csv", &clean_export(2000));
    let out = run(&dir, &["gate", "clean.csv", "--target", "test", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    dir.write("dirty.csv", &with_card(2000, 1234));
    let out = run(&dir, &["gate", "dirty.csv", "--target", "test", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains!(err, "dirty.csv", "gift_code", "card-number", "1 cell", "row 1235", "4929********5673");
    // The same file may go to production.
    let out = run(&dir, &["gate", "dirty.csv", "--target", "production", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_refused_copy_leaves_nothing_at_the_target() {
    let dir = setup();
    dir.write("dirty.csv", &with_card(20_000, 19_000));
    let out = run(&dir, &["copy", "dirty.csv", "test-share/exports/dirty.csv", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!dir.join("test-share").exists(), "left behind: {:?}", dir.listing("test-share"));
    // A clean copy is byte-identical, with a manifest beside it.
    dir.write("clean.csv", &clean_export(20_000));
    run_ok(&dir, &["copy", "clean.csv", "test-share/exports/clean.csv", "--env-file", "env.toml"]);
    assert_eq!(
        std::fs::read(dir.join("clean.csv")).unwrap(),
        std::fs::read(dir.join("test-share/exports/clean.csv")).unwrap()
    );
    assert_eq!(dir.listing("test-share/exports"), vec!["clean.csv", "synthgate.manifest.json"]);
}

#[test]
fn a_refused_generation_writes_nothing_for_any_sink() {
    let dir = setup();
    // A regex that makes a real-format card: the gate's self-check catches it.
    dir.write("bad.toml", &format!("[tables.t]\nrows = 100\n[tables.t.columns]\nid = \"sequence\"\ncard = {{ gen = \"regex\", pattern = \"{CARD}\" }}\n"));
    for format in ["csv", "jsonl", "parquet"] {
        let out =
            run(&dir, &["generate", "bad.toml", "--out", "test-data", "--format", format, "--env-file", "env.toml"]);
        assert_eq!(out.status.code(), Some(3), "{format}: {}", stderr(&out));
        assert_contains!(stderr(&out), "card", "card-number");
        assert!(dir.listing("test-data").is_empty(), "{format}: {:?}", dir.listing("test-data"));
    }
    let out = run(&dir, &["generate", "bad.toml", "--out", "-"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout.is_empty(), "nothing on standard output either");
}

#[test]
fn signed_manifests_are_required_when_the_environments_file_says_so() {
    let dir = setup_signed();
    // Generated and signed: passes.
    generate_customers(&dir, "test-data", "signed.toml");
    let manifest = dir.read("test-data/synthgate.manifest.json");
    assert_contains!(manifest, "hmac-sha256:");
    assert!(!manifest.contains("0123456789abcdef0123456789abcdef"), "the key is never written");
    let out = run(&dir, &["gate", "test-data", "--target", "test", "--env-file", "signed.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Unsigned (generated without the key): its lineage does not count.
    generate_customers(&dir, "unsigned", "env.toml");
    let out = run(&dir, &["gate", "unsigned", "--target", "test", "--env-file", "signed.toml"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

#[test]
fn a_forged_manifest_smuggles_nothing() {
    let dir = setup_signed();
    generate_customers(&dir, "test-data", "signed.toml");
    // Replace the data with a real-looking export and patch the hash in the signed manifest.
    let export = format!("id,first_name,last_name,email\n1,Ann,Fictional,{EMAIL}\n");
    dir.write("test-data/customers.csv", &export);
    let sha = sha256_file(&dir.join("test-data/customers.csv"));
    let manifest: serde_json::Value = serde_json::from_str(&dir.read("test-data/synthgate.manifest.json")).unwrap();
    let old = manifest["files"][0]["sha256"].as_str().unwrap().to_string();
    let forged = dir.read("test-data/synthgate.manifest.json").replace(&old, &sha);
    dir.write("test-data/synthgate.manifest.json", &forged);
    let out = run(&dir, &["gate", "test-data/customers.csv", "--target", "test", "--env-file", "signed.toml"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

#[test]
fn allowlist_entries_suppress_until_they_expire() {
    let dir = setup();
    dir.write("support.csv", &format!("id,support_email\n1,{EMAIL}\n"));
    let allow = |expires: &str| {
        format!("{ENV}[[allow]]\nfiles = [\"support.csv\"]\ncolumn = \"support_email\"\nrule = \"email\"\nreason = \"shared support mailbox\"\nauthor = \"data-platform\"\nexpires = \"{expires}\"\n")
    };
    dir.write("allow.toml", &allow("2999-12-31"));
    let out = run(&dir, &["gate", "support.csv", "--target", "test", "--env-file", "allow.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    dir.write("expired.toml", &allow("2020-01-01"));
    let out = run(&dir, &["gate", "support.csv", "--target", "test", "--env-file", "expired.toml"]);
    assert_eq!(out.status.code(), Some(3));
    assert_contains!(stderr(&out), "expired");
}

#[test]
fn an_allowlist_entry_applies_only_to_the_files_and_targets_it_names() {
    let dir = setup();
    dir.write("support.csv", &format!("id,support_email\n1,{EMAIL}\n"));
    dir.write("crm.csv", &format!("id,support_email\n1,{EMAIL}\n"));
    dir.write(
        "allow.toml",
        &format!(
            "{ENV}[[allow]]\nfiles = [\"support.csv\"]\ntargets = [\"test\"]\ncolumn = \"support_email\"\nrule = \"email\"\n\
             reason = \"shared support mailbox\"\nauthor = \"data-platform\"\nexpires = \"2999-12-31\"\n"
        ),
    );
    let gate = |file: &str, target: &str| run(&dir, &["gate", file, "--target", target, "--env-file", "allow.toml"]);
    assert_eq!(gate("support.csv", "test").status.code(), Some(0), "the file and target it names");
    let other_file = gate("crm.csv", "test");
    assert_eq!(other_file.status.code(), Some(3), "same column name in another file");
    assert!(!stderr(&other_file).contains(EMAIL));
    assert_eq!(gate("support.csv", "stage").status.code(), Some(3), "another target");

    let copy = run(&dir, &["copy", "crm.csv", "test-share/crm.csv", "--env-file", "allow.toml"]);
    assert_eq!(copy.status.code(), Some(3), "{}", stderr(&copy));
    assert!(!dir.join("test-share").exists());
    run_ok(&dir, &["copy", "support.csv", "test-share/support.csv", "--env-file", "allow.toml"]);
}

#[test]
fn every_decision_is_audited_without_values() {
    let dir = setup();
    dir.write("clean.csv", &clean_export(100));
    dir.write("dirty.csv", &with_card(100, 50));
    run(&dir, &["gate", "clean.csv", "dirty.csv", "--target", "test", "--env-file", "env.toml"]);
    let log = dir.read("audit.jsonl");
    let lines: Vec<serde_json::Value> = log.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["decision"], "cleared");
    assert_eq!(lines[1]["decision"], "refused");
    assert_eq!(lines[1]["environment"], "test");
    assert!(lines[1]["input_sha256"].as_str().is_some_and(|h| h.len() == 64));
    assert!(!log.contains(CARD));
}

#[test]
fn env_show_explains_how_a_target_resolves() {
    let dir = setup();
    let out = run_ok(&dir, &["env", "show", "test-share/a.csv", "--env-file", "env.toml"]);
    assert_contains!(String::from_utf8_lossy(&out.stdout), "test");
    let out = run_ok(&dir, &["env", "show", "/somewhere/else.csv", "--env-file", "env.toml"]);
    assert_contains!(String::from_utf8_lossy(&out.stdout), "non-production");
}
