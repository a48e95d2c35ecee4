//! Sources read every byte they pass on, and folders are judged whole: content told by its bytes
//! (gzip or Parquet whatever the name), UTF-16 decoded, bytes that are not text refused, every
//! file under a folder read unless `--exclude` names it.

use std::io::Write as _;
use std::process::Output;

use crate::util::*;

/// An invented card number, Luhn-valid, outside every test range.
const CARD: &str = "4556737586899855";
/// An invented address at an invented, non-reserved domain.
const EMAIL: &str = "rowan.tully@brackenpost.co.uk";

const ENV: &str = r#"
[environments.production]
paths = ["prod/**"]
[environments.test]
paths = ["test-share/**"]
"#;

fn setup() -> Dir {
    let dir = Dir::new();
    dir.write("env.toml", ENV);
    dir
}

fn gate(dir: &Dir, args: &[&str]) -> Output {
    let mut all = vec!["gate"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--target", "test", "--env-file", "env.toml"]);
    run(dir, &all)
}

/// Neither the card nor the email appears, raw, in what synthgate printed.
fn assert_no_pid(out: &Output) {
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        for raw in [CARD, EMAIL, "rowan.tully"] {
            assert!(!text.contains(raw), "raw PID {raw:?} printed:\n{text}");
        }
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

fn utf16le(text: &str, bom: bool) -> Vec<u8> {
    let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

fn pid_csv() -> String {
    format!("id,contact,card\n1,{EMAIL},{CARD}\n2,,\n")
}

const CLEAN_CSV: &str = "id,sku,amount\n1,KX-100,12.50\n2,ZÜ-7,3.99\n";

#[test]
fn a_gzip_stream_named_csv_is_read_for_what_it_is_and_refused() {
    let dir = setup();
    std::fs::write(dir.join("export.csv"), gzip(pid_csv().as_bytes())).unwrap();
    let out = gate(&dir, &["export.csv"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_contains!(stderr(&out), "export.csv", "card");
    assert_no_pid(&out);
    let out = run(&dir, &["copy", "export.csv", "test-share/export.csv", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!dir.join("test-share/export.csv").exists());
    assert_no_pid(&out);
}

#[test]
fn a_parquet_file_named_csv_is_read_as_parquet_and_refused() {
    use polars::prelude::*;
    let dir = setup();
    let mut df = df!("id" => [1i64, 2], "card" => [CARD, "none"]).unwrap();
    ParquetWriter::new(std::fs::File::create(dir.join("cards.csv")).unwrap()).finish(&mut df).unwrap();
    let out = gate(&dir, &["cards.csv"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_contains!(stderr(&out), "column `card`");
    assert_no_pid(&out);
}

#[test]
fn utf16_exports_with_and_without_a_bom_are_decoded_and_refused() {
    let dir = setup();
    let text = pid_csv().replace('\n', "\r\n");
    for (name, bom) in [("with-bom.csv", true), ("no-bom.csv", false)] {
        std::fs::write(dir.join(name), utf16le(&text, bom)).unwrap();
        let out = gate(&dir, &[name]);
        assert_eq!(out.status.code(), Some(3), "{name}: {}", stderr(&out));
        assert_contains!(stderr(&out), "column `contact`", "column `card`");
        assert_no_pid(&out);
    }
}

#[test]
fn a_clean_utf16_file_is_cleared_and_copied_as_utf8() {
    let dir = setup();
    std::fs::write(dir.join("clean.csv"), utf16le(CLEAN_CSV, true)).unwrap();
    run_ok(&dir, &["gate", "clean.csv", "--target", "test", "--env-file", "env.toml"]);
    run_ok(&dir, &["copy", "clean.csv", "test-share/clean.csv", "--env-file", "env.toml"]);
    assert_eq!(dir.read("test-share/clean.csv"), CLEAN_CSV);
}

#[test]
fn bytes_that_are_not_utf8_are_refused_naming_the_line_never_replaced() {
    let dir = setup();
    let mut bytes = b"id,note\n1,fine\n".to_vec();
    bytes.extend(b"2,\xFF");
    bytes.extend(CARD.as_bytes());
    bytes.extend(b"\xFE card\n");
    std::fs::write(dir.join("mixed.csv"), &bytes).unwrap();

    let out = run(&dir, &["scan", "mixed.csv", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_contains!(stderr(&out), "mixed.csv: line 3", "not UTF-8");
    assert_no_pid(&out);

    let out = gate(&dir, &["mixed.csv"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_contains!(stderr(&out), "mixed.csv: line 3");
    assert_no_pid(&out);

    let out = run(&dir, &["copy", "mixed.csv", "test-share/mixed.csv", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(!dir.join("test-share/mixed.csv").exists());
    assert_no_pid(&out);
}

/// A folder whose every odd file holds PID: a hidden CSV, notes, a backup, a bzip2 archive.
fn messy_folder(dir: &Dir) {
    std::fs::create_dir_all(dir.join("drop/.git")).unwrap();
    dir.write("drop/orders.csv", CLEAN_CSV);
    dir.write("drop/.hidden.csv", &pid_csv());
    dir.write("drop/.env", &format!("ADMIN_EMAIL={EMAIL}\n"));
    dir.write("drop/notes.txt", &format!("call Rowan back, mail {EMAIL}\n"));
    dir.write("drop/backup.bak", &format!("card on file: {CARD}\n"));
    dir.write("drop/.git/config", "[core]\n\tbare = false\n");
    let mut bz2 = b"BZh91AY&SY".to_vec();
    bz2.extend(format!("{CARD} {EMAIL}").as_bytes());
    std::fs::write(dir.join("drop/x.bz2"), bz2).unwrap();
}

#[test]
fn a_folder_is_judged_whole_hidden_text_backup_and_unreadable_files_included() {
    let dir = setup();
    messy_folder(&dir);
    let out = gate(&dir, &["drop"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    for refused in [
        "drop/.hidden.csv may not go",
        "drop/.env may not go",
        "drop/notes.txt may not go",
        "drop/backup.bak may not go",
    ] {
        assert_contains!(err, refused);
    }
    assert_contains!(err, "drop/x.bz2: cannot be read: it is bzip2-compressed", "--exclude");
    assert_contains!(err, "cleared: drop/orders.csv", "cleared: drop/.git/config", "7 files judged, 5 refused");
    assert_no_pid(&out);
}

#[test]
fn excluded_files_are_listed_and_the_rest_still_judged() {
    let dir = setup();
    messy_folder(&dir);
    let out = gate(&dir, &["drop", "--exclude", "*.bz2"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert_contains!(err, "excluded: drop/x.bz2 (--exclude *.bz2)", "4 refused", "1 left out");
    assert!(!err.contains("x.bz2: cannot be read"), "{err}");
    assert_no_pid(&out);

    // Leaving out every file that holds PID clears the folder, and says what was left out.
    let out = gate(&dir, &["drop", "--exclude", "*.bz2", "--exclude", ".{hidden.csv,env}", "--exclude", "*.{txt,bak}"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_contains!(
        stderr(&out),
        "excluded: drop/.hidden.csv",
        "excluded: drop/notes.txt",
        "excluded: drop/backup.bak"
    );
    assert_no_pid(&out);
}

#[test]
fn a_clean_folder_with_a_readme_passes() {
    let dir = setup();
    std::fs::create_dir_all(dir.join("clean/sub")).unwrap();
    dir.write("clean/README.txt", "Orders export, refreshed nightly.\nAsk the data team for access.\n");
    dir.write("clean/orders.csv", CLEAN_CSV);
    std::fs::write(dir.join("clean/sub/orders.csv.gz"), gzip(CLEAN_CSV.as_bytes())).unwrap();
    dir.write("clean/sub/events.jsonl", "{\"id\": 1, \"kind\": \"view\"}\n{\"id\": 2, \"kind\": \"buy\"}\n");
    let out = gate(&dir, &["clean"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_contains!(stderr(&out), "cleared: clean/README.txt", "cleared: clean/sub/orders.csv.gz", "4 files judged");
    let out = run(&dir, &["scan", "clean", "--format", "json", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[cfg(unix)]
#[test]
fn a_broken_link_in_a_folder_refuses_the_run_unless_excluded() {
    let dir = setup();
    std::fs::create_dir_all(dir.join("drop")).unwrap();
    dir.write("drop/orders.csv", CLEAN_CSV);
    std::os::unix::fs::symlink(dir.join("gone.csv"), dir.join("drop/latest.csv")).unwrap();
    let out = gate(&dir, &["drop"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert_contains!(stderr(&out), "drop/latest.csv: cannot be read: a broken symbolic link");
    let out = run(&dir, &["scan", "drop", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_contains!(stderr(&out), "latest.csv", "--exclude");
    let out = gate(&dir, &["drop", "--exclude", "latest.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_contains!(stderr(&out), "excluded: drop/latest.csv");
}

#[test]
fn scan_reads_hidden_and_text_files_in_folders() {
    let dir = setup();
    messy_folder(&dir);
    let out = run(&dir, &["scan", "drop", "--format", "json", "--exclude", "*.bz2", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = String::from_utf8_lossy(&out.stdout);
    assert_contains!(report, ".hidden.csv", ".env", "notes.txt", "backup.bak");
    assert_no_pid(&out);
}

#[test]
fn scrub_of_a_folder_names_files_it_cannot_rewrite_unless_excluded() {
    let dir = setup();
    std::fs::create_dir_all(dir.join("export")).unwrap();
    dir.write("export/orders.csv", CLEAN_CSV);
    dir.write("export/notes.txt", "not data\n");
    dir.write("key", "0123456789abcdef0123456789abcdef-sources-test-key");
    dir.write("policy.toml", "unmentioned = \"keep\"\n");
    let args = ["scrub", "export", "--policy", "policy.toml", "--out", "test-share/o", "--key-file", "key"];
    let out = run(&dir, &[&args[..], &["--env-file", "env.toml"]].concat());
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_contains!(stderr(&out), "notes.txt", "--exclude");
    assert!(!dir.join("test-share").exists());
    let out = run(&dir, &[&args[..], &["--env-file", "env.toml", "--exclude", "*.txt"]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_contains!(stderr(&out), "excluded: export/notes.txt (--exclude *.txt)");
    assert_eq!(dir.read("test-share/o/orders.csv"), CLEAN_CSV);
}

#[test]
fn a_log_whose_first_line_is_json_and_the_rest_plain_text_is_read_as_text() {
    let dir = setup();
    // A service log mixing structured and plain lines: its first line alone said JSON Lines,
    // and the third stopped the scan. Every line is judged as text now; a card in a plain line
    // is found.
    let card = "4929390612345673"; // invented, Luhn-valid
    dir.write(
        "svc.log",
        &format!(
            "{{\"ts\":\"2026-03-04T10:00:00Z\",\"level\":\"info\",\"msg\":\"started\"}}\n\
             {{\"ts\":\"2026-03-04T10:00:01Z\",\"level\":\"info\",\"msg\":\"ready\"}}\n\
             2026-03-04T10:00:02Z INFO  checkout-api-ee209890b-2tnxr upstream=10.194.176.236:5432\n\
             2026-03-04T10:00:03Z WARN  payment retried for card {card}\n"
        ),
    );
    let out = run(&dir, &["scan", "svc.log", "--format", "json", "--env-file", "env.toml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = String::from_utf8_lossy(&out.stdout);
    assert_contains!(report, "\"format\": \"text\"", "card-number");
    assert!(
        !report.contains("nino") && !report.contains("fr-nir"),
        "a pod name or an address taken for an id:\n{report}"
    );
    assert!(!report.contains(card), "a raw value in the report");
}
