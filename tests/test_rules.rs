//! Rules: the default set loads and passes its own examples; broken rule files are kept as
//! fixtures that must fail to load, naming the file, the rule and the line.

use crate::util::*;

#[test]
fn rules_list_prints_every_rule_and_rules_test_passes_them_all() {
    let dir = Dir::new();
    let list = run_ok(&dir, &["rules", "list"]);
    let listing = String::from_utf8(list.stdout).unwrap();
    for id in ["email", "card-number", "iban", "uk-nhs-number", "uk-nino", "us-ssn", "ipv4"] {
        assert!(listing.lines().any(|l| l.split_whitespace().next() == Some(id)), "rule {id} missing:\n{listing}");
    }
    // `rules list | rules test`: the ids on standard input narrow the test to those rules.
    let mut child = synthgate()
        .args(["rules", "test"])
        .current_dir(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(listing.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    let n = listing.lines().count();
    assert_contains!(text, &format!("{n} passed, 0 failed"));
}

#[test]
fn broken_rule_files_fail_to_load_with_file_rule_and_line() {
    let dir = Dir::new();
    let cases = [
        ("unknown-validator.toml", "broken-validator", "unknown validator `luhnn`"),
        ("bad-regex.toml", "broken-regex", "invalid regex"),
        ("missing-entity.toml", "no-entity", "missing key `entity`"),
        ("no-examples.toml", "no-examples", "negative"),
        ("unknown-key.toml", "typo", "unknown key `keywrods`"),
        ("unknown-reserved.toml", "bad-reserved", "unknown reserved range `phone_fr`"),
    ];
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules/invalid");
    assert_eq!(std::fs::read_dir(&fixtures).unwrap().count(), cases.len(), "every fixture has a case here");
    for (file, id, what) in cases {
        let path = fixtures.join(file);
        let out = run(&dir, &["rules", "list", "--rules", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{file}: {}", stderr(&out));
        let err = stderr(&out);
        assert_contains!(err, file, id, what);
        assert!(err.contains(&format!("{file}:")), "names the line: {err}");
    }
}

#[test]
fn a_user_rule_overrides_a_default_with_the_same_id() {
    let dir = Dir::new();
    dir.write(
        "mine.toml",
        r#"
[[rule]]
id = "employee-id"
entity = "employee_id"
description = "Internal employee numbers, E- and six digits"
regex = '''\bE-\d{6}\b'''
confidence = 0.8
[[rule.positive]]
value = "E-123456"
reason = "the format"
[[rule.negative]]
value = "E-12345"
reason = "five digits"
"#,
    );
    dir.write("staff.csv", "name_ref,code\nx,E-123456\ny,none\n");
    let out = run(&dir, &["scan", "staff.csv", "--format", "json", "--rules", "mine.toml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_contains!(String::from_utf8_lossy(&out.stdout), "employee-id");
    let out = run(&dir, &["rules", "test", "--rules", "mine.toml"]);
    assert_eq!(out.status.code(), Some(0));
}
