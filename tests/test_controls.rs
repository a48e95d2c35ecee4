//! Clean controls: what holds no personal data passes every command — the built-in examples
//! and an ordinary business export — so that the gate's strictness costs no false refusals.

use crate::test_gate::ENV;
use crate::util::*;

/// A product catalogue and order log: codes, prices, dates, SKUs, versions, hashes; no person.
const CATALOGUE: &str = "sku,name,category,price_gbp,stock,updated_at,barcode_ref,release,checksum\n\
SKU-000142,Oak desk 120cm,furniture,249.00,17,2024-06-01T09:30:00Z,REF-2024-06-0142,v2.3.1,9f86d081884c7d65\n\
SKU-000143,Desk lamp (LED),lighting,34.50,240,2024-06-01T09:31:12.250Z,REF-2024-06-0143,v1.0.0,2c26b46b68ffc68f\n\
SKU-000144,Cable tidy x3,accessories,7.99,1302,2024-06-02T14:05:00+01:00,REF-2024-06-0144,v1.12.0,fcde2b2edba56bf4\n\
SKU-000145,\"Shelf, wall-mounted\",furniture,59.00,0,2024-06-03,REF-2024-06-0145,v3.0.0-rc.1,e3b0c44298fc1c14\n";

#[test]
fn the_built_in_examples_pass_generate_scan_gate_and_copy() {
    let d = Dir::new();
    d.write("env.toml", ENV);
    d.write("key", "controls-key-0123456789abcdef-0123456789abcdef");
    for example in ["ecommerce", "healthcare", "banking"] {
        let out = format!("test-data/{example}");
        run_ok(
            &d,
            &["generate", "--example", example, "--out", &out, "--scale", "0.01", "--quiet", "--env-file", "env.toml"],
        );
        run_ok(&d, &["gate", &out, "--target", "test", "--env-file", "env.toml"]);
        let scan = run(&d, &["scan", &out, "--format", "json", "--env-file", "env.toml"]);
        assert_eq!(scan.status.code(), Some(0), "{example}: {}", stderr(&scan));
        // Promotion: a copy keeps its verified lineage and passes again at the next step.
        let first = std::fs::read_dir(d.join(&out))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .filter(|n| n.ends_with(".csv"))
            .min()
            .unwrap();
        let promoted = format!("test-share/{example}/{first}");
        run_ok(&d, &["copy", &format!("{out}/{first}"), &promoted, "--env-file", "env.toml"]);
        run_ok(&d, &["gate", &promoted, "--target", "test", "--env-file", "env.toml"]);
    }
}

#[test]
fn a_clean_business_export_passes_every_command() {
    let d = Dir::new();
    d.write("catalogue.csv", CATALOGUE);
    d.write("key", "controls-key-0123456789abcdef-0123456789abcdef");
    let scan = run(&d, &["scan", "catalogue.csv", "--format", "json"]);
    assert_eq!(scan.status.code(), Some(0), "{}", String::from_utf8_lossy(&scan.stdout));
    run_ok(&d, &["gate", "catalogue.csv", "--target", "test"]);
    run_ok(&d, &["copy", "catalogue.csv", "out/catalogue.csv"]);
    assert_eq!(d.read("out/catalogue.csv"), CATALOGUE, "a byte-exact copy");
    let out = run_ok(&d, &["copy", "catalogue.csv", "-"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), CATALOGUE);
    let suggest = run_ok(&d, &["policy", "suggest", "catalogue.csv"]);
    let policy = String::from_utf8_lossy(&suggest.stdout).into_owned();
    d.write("policy.toml", &policy);
    run_ok(&d, &["scrub", "catalogue.csv", "--policy", "policy.toml", "--key-file", "key", "--out", "scrubbed/"]);
    assert!(d.join("scrubbed/catalogue.csv").exists());
}
