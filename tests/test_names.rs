//! Names are data: CSV headers, JSON object keys and file names are judged like cells, and
//! every message, report and audit line shows them masked. All values are invented.

use crate::util::{run, stderr, Dir};

/// A headerless export: its first row (a name, an email, a Luhn-valid card) becomes the names.
const HEADERLESS: &str = "Jane Fairbairn,jane.fairbairn@mailbox-corp.co.uk,4929390612345673\n\
                          Tom Ashdown,tom.ashdown@mailbox-corp.co.uk,4532015112830366\n";
const RAW: [&str; 4] =
    ["jane.fairbairn@mailbox-corp.co.uk", "4929390612345673", "tom.ashdown@mailbox-corp.co.uk", "4532015112830366"];

fn assert_no_raw(what: &str, text: &str) {
    for raw in RAW {
        assert!(!text.contains(raw), "{what} holds a raw value:\n{text}");
    }
}

#[test]
fn a_headerless_export_is_refused_for_its_header_and_shown_masked() {
    let d = Dir::new();
    d.write("export.csv", HEADERLESS);
    let out = run(&d, &["gate", "export.csv", "--target", "test", "--audit-log", "audit.jsonl"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains!(err, "column name `4929********5673`", "the name holds personal data");
    assert_no_raw("stderr", &err);
    assert_no_raw("audit log", &d.read("audit.jsonl"));

    let out = run(&d, &["copy", "export.csv", "out/export.csv", "--audit-log", "audit.jsonl"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!d.join("out").exists(), "nothing may be written");
    assert_no_raw("stderr", &stderr(&out));
    assert_no_raw("audit log", &d.read("audit.jsonl"));

    for format in ["json", "sarif", "text"] {
        let out = run(&d, &["scan", "export.csv", "--format", format]);
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        assert_no_raw(format, &String::from_utf8_lossy(&out.stdout));
    }
}

#[test]
fn personal_data_in_a_json_key_refuses_the_copy() {
    let d = Dir::new();
    d.write(
        "contacts.jsonl",
        "{\"id\":1,\"contacts\":{\"jane.fairbairn@mailbox-corp.co.uk\":\"primary\"}}\n{\"id\":2,\"contacts\":{}}\n",
    );
    let out = run(&d, &["copy", "contacts.jsonl", "out/contacts.jsonl"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!d.join("out").exists());
    let err = stderr(&out);
    assert_contains!(err, "column name `c***@***.uk`");
    assert_no_raw("stderr", &err);
}

#[test]
fn a_file_name_that_holds_personal_data_is_refused_as_input_and_as_target() {
    let d = Dir::new();
    d.write("clean.csv", "id,note\n1,order shipped\n");
    d.write("jane.fairbairn@mailbox-corp.co.uk.csv", "id,note\n1,order shipped\n");

    let out = run(&d, &["gate", "jane.fairbairn@mailbox-corp.co.uk.csv", "--target", "test"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_contains!(stderr(&out), "input name `j***@***.uk`");
    assert_no_raw("stderr", &stderr(&out));

    // A scan says so in every format, as its exit code does; the name itself only masked.
    for format in ["json", "sarif", "text"] {
        let out = run(&d, &["scan", "jane.fairbairn@mailbox-corp.co.uk.csv", "--format", format]);
        assert_eq!(out.status.code(), Some(1), "{format}: {}", stderr(&out));
        let report = String::from_utf8_lossy(&out.stdout).into_owned();
        assert_no_raw(format, &report);
        match format {
            "json" => {
                let v: serde_json::Value = serde_json::from_str(&report).unwrap();
                assert_eq!(v["pid_found"], true, "{report}");
                assert_eq!(v["sources"][0]["pid_found"], true, "{report}");
                assert_eq!(v["sources"][0]["name_findings"][0]["rule"], "email", "{report}");
            }
            "sarif" => assert_contains!(report, "(file name)"),
            _ => assert_contains!(report, "its name holds personal data: email"),
        }
    }
    let out = run(&d, &["scan", "clean.csv", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("name_findings"));

    let out = run(&d, &["copy", "clean.csv", "out/jane.fairbairn@mailbox-corp.co.uk.csv", "--audit-log", "a.jsonl"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!d.join("out").exists());
    assert_contains!(stderr(&out), "target name `j***@***.uk`");
    assert_no_raw("stderr", &stderr(&out));
    assert_no_raw("audit log", &d.read("a.jsonl"));

    let out = run(&d, &["copy", "clean.csv", "4929390612345673/clean.csv"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!d.join("4929390612345673").exists());
    assert_no_raw("stderr", &stderr(&out));
}

#[test]
fn ordinary_names_pass() {
    let d = Dir::new();
    d.write(
        "orders_2024-06.csv",
        "order_id,customer_id,email_opt_in,card_last4,created_at\n1,42,true,1111,2024-06-01T10:00:00Z\n",
    );
    d.write("events.jsonl", "{\"user\":{\"id\":7,\"plan\":\"pro\"},\"ts\":\"2024-06-01\"}\n");
    for f in ["orders_2024-06.csv", "events.jsonl"] {
        let out = run(&d, &["copy", f, &format!("out/{f}")]);
        assert_eq!(out.status.code(), Some(0), "{f}: {}", stderr(&out));
        assert!(d.join("out").join(f).exists());
    }
}

#[test]
fn parquet_metadata_the_gate_did_not_read_never_reaches_the_target() {
    use polars::prelude::*;
    let d = Dir::new();
    let mut df = df!("id" => [1i64, 2], "note" => ["order shipped", "back in stock"]).unwrap();
    let meta = polars::io::parquet::write::KeyValueMetadata::from_static(vec![(
        "exported_by".to_string(),
        "jane.fairbairn@mailbox-corp.co.uk 4929390612345673".to_string(),
    )]);
    ParquetWriter::new(std::fs::File::create(d.join("meta.parquet")).unwrap())
        .with_key_value_metadata(Some(meta))
        .finish(&mut df)
        .unwrap();
    assert!(memchr_all(&std::fs::read(d.join("meta.parquet")).unwrap(), b"jane.fairbairn"), "the fixture holds it");

    let out = run(&d, &["copy", "meta.parquet", "out/meta.parquet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read(d.join("out/meta.parquet")).unwrap();
    for raw in RAW {
        assert!(!memchr_all(&written, raw.as_bytes()), "metadata passed through");
    }
    let back = ParquetReader::new(std::fs::File::open(d.join("out/meta.parquet")).unwrap()).finish().unwrap();
    assert_eq!(back.height(), 2);
    assert_eq!(back.column("id").unwrap().i64().unwrap().get(1), Some(2), "types kept");
    assert_eq!(back.column("note").unwrap().str().unwrap().get(0), Some("order shipped"));
}

fn memchr_all(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn policy_suggest_and_scrub_never_print_a_name_that_holds_personal_data() {
    let d = Dir::new();
    d.write("export.csv", HEADERLESS);
    d.write("key", "0123456789abcdef0123456789abcdef-test-key-material");
    let out = run(&d, &["policy", "suggest", "export.csv"]);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert_no_raw("policy suggest", &text);

    // Its first column name is the email: that is the column scrub stops at.
    d.write("first.csv", "jane.fairbairn@mailbox-corp.co.uk,4929390612345673\nsomeone,else\n");
    d.write("empty.toml", "[columns]\nid = \"keep\"\n");
    let out = run(&d, &["scrub", "first.csv", "--policy", "empty.toml", "--key-file", "key", "--out", "out/"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_contains!(stderr(&out), "column `j***@***.uk` of first is not in the policy");
    assert_no_raw("scrub", &stderr(&out));
    assert!(!d.join("out").exists());
}

#[test]
fn an_empty_output_is_judged_for_its_names_too() {
    // No row means no chunk; the names still reach the target (a file name, a header).
    let d = Dir::new();
    d.write("ref_4929390612345673.csv", "");
    for args in [
        vec!["copy", "ref_4929390612345673.csv", "out/"],
        vec!["scrub", "ref_4929390612345673.csv", "--policy", "p.toml", "--key-file", "key", "--out", "out/"],
    ] {
        d.write("p.toml", "version = 1\nunmentioned = \"keep\"\n");
        d.write("key", "names-test-key-0123456789abcdef-0123456789");
        let out = run(&d, &args);
        assert_eq!(out.status.code(), Some(3), "{args:?}: {}", stderr(&out));
        assert_contains!(stderr(&out), "input name `ref_4929********5673.csv`");
        assert_no_raw("stderr", &stderr(&out));
        assert!(!d.join("out").exists(), "{args:?} left {:?}", d.listing("."));
    }
    // A table without rows whose column is named after a card: no CSV header of it.
    let db = d.join("e.db");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE t (id int, ref_4929390612345673 text)")
        .unwrap();
    let out = run(&d, &["copy", &format!("sqlite://{}", db.display()), "--table", "t", "t.csv"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_contains!(stderr(&out), "column name `ref_4929********5673`");
    assert!(!d.join("t.csv").exists());
    // And `out/` names a folder, not a file called `out`.
    d.write("plain.csv", "id\n1\n");
    let out = run(&d, &["copy", "plain.csv", "folder/"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(d.join("folder/plain.csv").is_file(), "{:?}", d.listing("."));
}
