//! Writes: files appear whole or not at all — after an I/O error, a full disk or Ctrl-C —
//! and a closed pipe is not an error.

use std::io::Read;
use std::process::Stdio;

use crate::util::*;

const BIG: &str = "[tables.t]\nrows = 50_000_000\n[tables.t.columns]\nid = \"sequence\"\nname = \"full_name\"\nnote = { gen = \"lorem\", words = [5, 20] }\n";

#[test]
fn an_unwritable_output_directory_exits_4_and_names_it() {
    let dir = Dir::new();
    dir.write("s.toml", "[tables.t]\nrows = 5\n[tables.t.columns]\nid = \"sequence\"\n");
    dir.write("blocker", "a file where a directory should be");
    let out = run(&dir, &["generate", "s.toml", "--out", "blocker/data"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_contains!(stderr(&out), "blocker/data");
}

#[test]
fn a_full_disk_exits_4_and_leaves_no_file() {
    // A file-size limit makes writes fail the way a full disk does (EFBIG instead of ENOSPC).
    let dir = Dir::new();
    dir.write("s.toml", BIG);
    std::fs::create_dir(dir.join("out")).unwrap();
    let bin = env!("CARGO_BIN_EXE_synthgate");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -f 2048; trap '' XFSZ; exec '{bin}' generate s.toml --out out --quiet"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_contains!(stderr(&out), "out/t.csv");
    assert!(dir.listing("out").is_empty(), "left behind: {:?}", dir.listing("out"));
}

#[test]
fn ctrl_c_leaves_nothing_behind() {
    let dir = Dir::new();
    dir.write("s.toml", BIG);
    let (code, err) = interrupt_while_writing(&dir, &["generate", "s.toml", "--out", "out", "--quiet"], "out");
    assert_eq!(code, Some(130), "{err}");
    assert_contains!(err, "interrupted");
    assert!(dir.listing("out").is_empty(), "left behind: {:?}", dir.listing("out"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = Dir::new();
    // Standard output is spooled until the whole table is cleared, so the table is one that
    // fits on disk; it is still far larger than what the reader takes.
    dir.write("s.toml", &BIG.replace("50_000_000", "200_000"));
    let mut child = synthgate()
        .args(["generate", "s.toml", "--out", "-", "--quiet"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 4096];
    child.stdout.as_mut().unwrap().read_exact(&mut head).unwrap();
    drop(child.stdout.take()); // like `| head`
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(err.is_empty(), "quiet on a closed pipe: {err}");
    assert!(String::from_utf8_lossy(&head).starts_with("id,name,note\n1,"));
}

#[test]
fn a_rerun_replaces_the_previous_files_whole() {
    let dir = Dir::new();
    dir.write("s.toml", "[tables.t]\nrows = 100\n[tables.t.columns]\nid = \"sequence\"\n");
    run_ok(&dir, &["generate", "s.toml", "--out", "out", "--quiet"]);
    run_ok(&dir, &["generate", "s.toml", "--out", "out", "--quiet", "--scale", "0.5"]);
    assert_eq!(dir.listing("out"), vec!["synthgate.manifest.json", "t.csv"]);
    assert_eq!(csv_rows(&dir.join("out/t.csv")).len(), 51);
}

#[test]
fn the_built_in_example_runs_without_a_schema_file() {
    let dir = Dir::new();
    let out = run_ok(&dir, &["generate", "--out", "data", "--scale", "0.01"]);
    assert_contains!(stderr(&out), "customers.csv", "orders.csv", "rows/s");
    for ex in ["healthcare", "banking"] {
        run_ok(&dir, &["generate", "--example", ex, "--out", ex, "--scale", "0.01", "--quiet"]);
        assert!(!dir.listing(ex).is_empty());
    }
}
