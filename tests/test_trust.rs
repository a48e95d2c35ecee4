//! Trust: which manifests vouch for lineage (signed with a key the gate holds, over the bytes
//! actually read), where keys come from and who may replace them, and schema literals judged
//! as input.

use std::path::Path;
use std::process::Output;

use crate::util::*;

/// Invented people: dictionary names, no real person meant.
const NAMES: [&str; 3] = ["Aaliyah Quitzon", "Marloes Bergnaum", "Kaden Okuneva"];

const KEY: &str = "trust-test-key-0123456789abcdef-0123456789abcdef";
const OTHER_KEY: &str = "another-trust-key-fedcba9876543210-fedcba98765";

use crate::test_gate::ENV;

/// A schema of synthetic people: generated names pass the gate only with a manifest's word.
const PEOPLE: &str = r#"
[tables.people]
rows = 40
[tables.people.columns]
id = { gen = "sequence", start = 1 }
full_name = "full_name"
"#;

fn setup() -> Dir {
    let dir = Dir::new();
    dir.write("env.toml", ENV);
    dir.write("key", KEY);
    dir.write("other.key", OTHER_KEY);
    // The same environments, with a pinned key that is not required / required.
    dir.write("keyed.toml", &format!("{ENV}[manifests]\nkey_file = \"key\"\n"));
    dir.write("signed.toml", &format!("{ENV}[manifests]\nrequire_signed = true\nkey_file = \"key\"\n"));
    dir.write("people.toml", PEOPLE);
    dir
}

/// A CSV of invented names, and its path.
fn write_people(dir: &Dir, name: &str) -> std::path::PathBuf {
    let mut text = String::from("id,full_name\n");
    for (i, n) in NAMES.iter().enumerate() {
        text.push_str(&format!("{},{n}\n", i + 1));
    }
    dir.write(name, &text)
}

/// A hand-written manifest beside `file` claiming every column synthetic; `signature` as given.
fn write_manifest(dir: &Dir, file: &str, columns: &[&str], signature: Option<&str>) {
    let path = dir.join(file);
    let bytes = std::fs::metadata(&path).unwrap().len();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let cols: Vec<serde_json::Value> =
        columns.iter().map(|c| serde_json::json!({ "name": c, "lineage": "synthetic" })).collect();
    let mut m = serde_json::json!({
        "version": 1,
        "synthgate": "0.1.0",
        "created": "2026-01-01T00:00:00Z",
        "files": [{ "name": name, "sha256": sha256_file(&path), "bytes": bytes, "rows": NAMES.len(), "columns": cols }],
        "command": "generate",
        "gate": { "decision": "cleared", "target": "test-data", "environment": "test" },
    });
    if let Some(sig) = signature {
        m["signature"] = serde_json::Value::String(sig.to_string());
    }
    let manifest = path.parent().unwrap().join("synthgate.manifest.json");
    std::fs::write(manifest, serde_json::to_string_pretty(&m).unwrap()).unwrap();
}

/// No invented name appears in any of `texts`.
fn assert_no_names(texts: &[&str]) {
    for t in texts {
        for n in NAMES {
            assert!(!t.contains(n), "raw value {n:?} in:\n{t}");
        }
    }
}

fn out_text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(out))
}

/// Runs with the per-user key kept in `home` (a folder below the test's directory).
fn run_home(dir: &Dir, home: &Path, args: &[&str]) -> Output {
    synthgate().args(args).env("SYNTHGATE_HOME", home).current_dir(dir.path()).output().unwrap()
}

#[test]
fn an_unsigned_hand_written_manifest_vouches_for_nothing() {
    let dir = setup();
    std::fs::create_dir(dir.join("test-data")).unwrap();
    write_people(&dir, "test-data/people.csv");
    write_manifest(&dir, "test-data/people.csv", &["id", "full_name"], None);
    for env in ["env.toml", "keyed.toml", "signed.toml"] {
        let out = run(&dir, &["gate", "test-data/people.csv", "--target", "test", "--env-file", env]);
        assert_eq!(out.status.code(), Some(3), "{env}: {}", stderr(&out));
        assert_contains!(stderr(&out), "unsigned manifest", "full_name", "A****** Q******");
        assert_no_names(&[&out_text(&out), &dir.read("audit.jsonl")]);
    }
    // Said once, not once per column or chunk.
    let out = run(&dir, &["scan", "test-data/people.csv", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).matches("unsigned manifest").count(), 1, "{}", stderr(&out));
    assert_no_names(&[&out_text(&out)]);
}

#[test]
fn a_forged_signature_vouches_for_nothing() {
    let dir = setup();
    std::fs::create_dir(dir.join("test-data")).unwrap();
    write_people(&dir, "test-data/people.csv");
    let forged = format!("hmac-sha256:{}", "ab".repeat(32));
    write_manifest(&dir, "test-data/people.csv", &["id", "full_name"], Some(&forged));
    for env in ["env.toml", "keyed.toml"] {
        let out = run(&dir, &["gate", "test-data/people.csv", "--target", "test", "--env-file", env]);
        assert_eq!(out.status.code(), Some(3), "{env}: {}", stderr(&out));
        assert_contains!(stderr(&out), "signature invalid");
        assert_no_names(&[&out_text(&out)]);
    }
    // A folder: the reason is given once for the manifest, not once per file.
    write_people(&dir, "test-data/more.csv");
    let out = run(&dir, &["gate", "test-data", "--target", "test", "--env-file", "keyed.toml"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_eq!(stderr(&out).matches("signature invalid").count(), 1, "{}", stderr(&out));
    // Nor does a signature in the wrong format.
    write_manifest(&dir, "test-data/people.csv", &["id", "full_name"], Some("hmac-sha256:zz"));
    let out = run(&dir, &["gate", "test-data/people.csv", "--target", "test", "--env-file", "keyed.toml"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

#[test]
fn a_copy_of_an_unsigned_dataset_is_input_in_the_copys_signed_manifest() {
    let dir = setup();
    std::fs::create_dir(dir.join("test-data")).unwrap();
    write_people(&dir, "test-data/people.csv");
    write_manifest(&dir, "test-data/people.csv", &["id", "full_name"], None);
    // A key configured but not required: the unsigned manifest still counts for nothing.
    let out = run(&dir, &["gate", "test-data/people.csv", "--target", "test", "--env-file", "keyed.toml"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    // Into production it may go; its new manifest claims no more than was verified.
    let out = run(&dir, &["copy", "test-data/people.csv", "prod/people.csv", "--env-file", "keyed.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = dir.read("prod/synthgate.manifest.json");
    let m: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(m["signature"].as_str().unwrap().starts_with("hmac-sha256:"));
    let cols = m["files"][0]["columns"].as_array().unwrap();
    assert_eq!(cols.len(), 2);
    assert!(cols.iter().all(|c| c["lineage"] == "input"), "{text}");
    assert!(!text.contains(KEY));
    assert_no_names(&[&text, &out_text(&out)]);
    // So the laundered copy does not pass into test either.
    let out = run(&dir, &["copy", "prod/people.csv", "test-share/people.csv", "--env-file", "keyed.toml"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!dir.join("test-share").exists());
    assert_no_names(&[&out_text(&out), &dir.read("audit.jsonl")]);
}

#[test]
fn the_command_line_cannot_replace_the_key_an_environments_file_pins() {
    let dir = setup();
    write_people(&dir, "people.csv");
    for env in ["keyed.toml", "signed.toml"] {
        let out =
            run(&dir, &["gate", "people.csv", "--target", "production", "--env-file", env, "--key-file", "other.key"]);
        assert_eq!(out.status.code(), Some(2), "{env}: {}", stderr(&out));
        assert_contains!(stderr(&out), "--key-file other.key", "pins", "key_file");
        assert!(!stderr(&out).contains(KEY) && !stderr(&out).contains(OTHER_KEY), "{}", stderr(&out));
        let out = synthgate()
            .args(["generate", "people.toml", "--out", "test-data", "--quiet", "--env-file", env])
            .env("SYNTHGATE_KEY", OTHER_KEY)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{env}: {}", stderr(&out));
        assert_contains!(stderr(&out), "SYNTHGATE_KEY", "pins");
        assert!(!stderr(&out).contains(OTHER_KEY));
        assert!(!dir.join("test-data").exists(), "nothing written");
    }
    // The same key named again is no conflict.
    let out =
        run(&dir, &["gate", "people.csv", "--target", "production", "--env-file", "signed.toml", "--key-file", "key"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_per_user_key_is_created_once_private_and_reused() {
    let dir = setup();
    let home = dir.join("home/synthgate");
    let out = run_home(&dir, &home, &["generate", "people.toml", "--out", "test-data", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let key_path = home.join("key");
    assert_eq!(stderr(&out).matches(&*key_path.display().to_string()).count(), 1, "{}", stderr(&out));
    let key = std::fs::read_to_string(&key_path).unwrap();
    assert_eq!(key.trim().len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key_path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::metadata(&home).unwrap().permissions().mode() & 0o777, 0o700);
    }
    let manifest = dir.read("test-data/synthgate.manifest.json");
    assert_contains!(manifest, "hmac-sha256:");
    assert!(!manifest.contains(key.trim()) && !stderr(&out).contains(key.trim()));

    // Reused, not announced again; its signature makes the names synthetic.
    let out = run_home(&dir, &home, &["gate", "test-data", "--target", "test"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stderr(&out).contains("created"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&key_path).unwrap(), key);
    // Someone else's key (another home) cannot vouch for it.
    let out = run_home(&dir, &dir.join("elsewhere"), &["gate", "test-data", "--target", "test"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_contains!(stderr(&out), "signature invalid");
}

#[test]
fn a_file_changed_after_its_manifest_is_judged_as_input() {
    let dir = setup();
    run_ok(&dir, &["generate", "people.toml", "--out", "test-data", "--quiet", "--env-file", "env.toml"]);
    let out = run(&dir, &["gate", "test-data/people.csv", "--target", "test", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(&dir, &["copy", "test-data/people.csv", "test-share/a/people.csv", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // One byte changed, the size kept: only the digest of the bytes read can tell.
    let text = dir.read("test-data/people.csv");
    let changed = text.replacen("\n1,", "\n7,", 1);
    assert_ne!(changed, text);
    assert_eq!(changed.len(), text.len());
    dir.write("test-data/people.csv", &changed);
    let out = run(&dir, &["gate", "test-data/people.csv", "--target", "test", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_contains!(stderr(&out), "sha256 differs", "full_name");
    // The audit records the hash of the bytes judged.
    let audit = dir.read("audit.jsonl");
    let last: serde_json::Value = serde_json::from_str(audit.lines().last().unwrap()).unwrap();
    assert_eq!(last["decision"], "refused");
    assert_eq!(last["input_sha256"], sha256_file(&dir.join("test-data/people.csv")));
    let out = run(&dir, &["copy", "test-data/people.csv", "test-share/b/people.csv", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_contains!(stderr(&out), "nothing was written");
    assert!(!dir.join("test-share/b").exists(), "nothing at the target");
    let audit = dir.read("audit.jsonl");
    assert_eq!(audit.lines().last().map(|l| l.contains("\"refused\"")), Some(true), "{audit}");
}

/// A schema of one table `t` with an `id` and the given extra column lines (and scenarios).
fn schema(columns: &str, scenarios: &str) -> String {
    format!("[tables.t]\nrows = 10\n[tables.t.columns]\nid = {{ gen = \"sequence\" }}\n{columns}\n{scenarios}")
}

#[test]
fn personal_data_written_literally_in_a_schema_refuses_the_run() {
    let dir = setup();
    let card = "4929 3906 1234 5673";
    let email = "ann.fictional@mailbox.co.uk";
    let cases = [
        (
            "choice of full names",
            schema(r#"contact = { gen = "choice", values = ["Aaliyah Quitzon", "Marloes Bergnaum"] }"#, ""),
            "contact",
            5,
            "choice value",
        ),
        (
            "scenario card",
            schema(
                r#"note = { gen = "choice", values = ["ok", "late"] }"#,
                &format!("[[tables.t.scenarios]]\nrow = 3\nvalues = {{ note = \"{card}\" }}\n"),
            ),
            "note",
            8,
            "scenario value",
        ),
        (
            "choice email",
            schema(&format!(r#"contact = {{ gen = "choice", values = ["nobody@example.com", "{email}"] }}"#), ""),
            "contact",
            5,
            "choice value",
        ),
        (
            "card as an integer",
            schema(r#"ref = { gen = "choice", values = [4929390612345673, 1] }"#, ""),
            "ref",
            5,
            "choice value",
        ),
        (
            "template text",
            schema(&format!(r#"note = {{ gen = "template", template = "row {{row}}: write to {email}" }}"#), ""),
            "note",
            5,
            "template text",
        ),
        (
            "regex alternative",
            schema(r#"note = { gen = "regex", pattern = "(4929390612345673|[0-9]{4})" }"#, ""),
            "note",
            5,
            "regex text",
        ),
    ];
    for (what, text, column, line, kind) in cases {
        dir.write("lit.toml", &text);
        let out = run(&dir, &["generate", "lit.toml", "--out", "test-data", "--quiet", "--env-file", "env.toml"]);
        assert_eq!(out.status.code(), Some(3), "{what}: {}", stderr(&out));
        let err = stderr(&out);
        assert_contains!(
            err,
            "lit.toml",
            "table `t`",
            &format!("column `{column}`"),
            &format!("lit.toml:{line} ({kind})")
        );
        assert!(!dir.join("test-data").exists(), "{what}: nothing written");
        for raw in [card, "4929390612345673", email, NAMES[0], NAMES[1]] {
            assert!(!err.contains(raw) && out.stdout.is_empty(), "{what}: raw {raw:?} in\n{err}");
        }
        assert_no_names(&[&dir.read("audit.jsonl")]);
        // Production may hold it.
        run_ok(&dir, &["generate", "lit.toml", "--out", "prod", "--quiet", "--env-file", "env.toml"]);
    }
    // Literals that identify nobody pass: statuses, reserved values, a lone given name and a
    // leap-day birth date in a test scenario.
    let clean = schema(
        "status = { gen = \"choice\", values = [\"new\", \"shipped\"] }\nfirst_name = \"first_name\"\ndate_of_birth = { gen = \"date\", min = \"1950-01-01\", max = \"2000-01-01\" }\nmail = { gen = \"template\", template = \"user{row}@example.com\" }",
        "[[tables.t.scenarios]]\nrow = 1\nvalues = { first_name = \"Zoë\", date_of_birth = \"2000-02-29\", status = \"new\" }\n",
    );
    dir.write("clean.toml", &clean);
    run_ok(&dir, &["generate", "clean.toml", "--out", "test-data", "--quiet", "--env-file", "env.toml"]);
    assert!(dir.join("test-data/t.csv").exists());
}

#[test]
fn the_built_in_examples_still_generate_for_a_test_target() {
    let dir = setup();
    for example in ["ecommerce", "healthcare", "banking"] {
        let out = format!("test-data/{example}");
        run_ok(
            &dir,
            &["generate", "--example", example, "--out", &out, "--scale", "0.01", "--quiet", "--env-file", "env.toml"],
        );
        let gate = run(&dir, &["gate", &out, "--target", "test", "--env-file", "env.toml"]);
        assert_eq!(gate.status.code(), Some(0), "{example}: {}", stderr(&gate));
    }
}

#[test]
fn without_any_key_nothing_is_written_and_nothing_is_vouched_for() {
    let dir = setup();
    let bare = |args: &[&str]| {
        synthgate()
            .args(args)
            .env_remove("SYNTHGATE_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("HOME")
            .env_remove("SYNTHGATE_KEY")
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let out = bare(&["generate", "people.toml", "--out", "test-data", "--quiet", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_contains!(stderr(&out), "cannot sign the manifest", "--key-file");
    assert!(!dir.join("test-data").exists());
    // Judging needs no key: a signed dataset is then all input.
    run_ok(&dir, &["generate", "people.toml", "--out", "test-data", "--quiet", "--env-file", "env.toml"]);
    let out = bare(&["gate", "test-data", "--target", "test", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_contains!(stderr(&out), "no key to check");
}
