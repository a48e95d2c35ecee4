//! Targets: what `--out` and a copy's destination mean — local paths judged where the bytes will
//! land (symbolic links and `..` resolved first), `-` as standard output that prints nothing
//! until the whole output is cleared, URLs that are refused rather than written as folders —
//! and the modes of the files written.

use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::process::Output;

use crate::util::*;

/// Invented values with valid check digits; none is a published test number.
const CARD: &str = "4929 3906 1234 5673";
const EMAIL: &str = "maren.tollefsby@quillfern-post.net";
const PID: [&str; 6] = [CARD, "4929390612345673", EMAIL, "maren.tollefsby", "Tollefsby", "quillfern"];

const PID_CSV: &str =
    "id,name,email,card\n1,Maren Tollefsby,maren.tollefsby@quillfern-post.net,4929 3906 1234 5673\n2,,,\n";
const CLEAN_CSV: &str = "sku,qty,status\nSKU-0042,3,shipped\nSKU-0043,1,back in stock\n";

const ENV: &str = r#"
[environments.production]
paths = ["prod/**"]
buckets = ["s3://prod-bucket/**"]
databases = ["postgres://db.internal/*"]
[environments.test]
paths = ["test/**"]
"#;

/// Keeps every column: the scrubbed output still holds the personal data.
const KEEP_POLICY: &str = "version = 1\n[columns]\nid = \"keep\"\nname = \"keep\"\nemail = \"keep\"\ncard = \"keep\"\n";
/// Drops every column that holds personal data.
const DROP_POLICY: &str = "version = 1\n[columns]\nid = \"keep\"\nname = \"drop\"\nemail = \"drop\"\ncard = \"drop\"\n";
const KEY: &str = "targets-test-key-0123456789abcdef-0123456789";

/// A synthetic table whose generator makes real-format cards: refused outside production.
const BAD_SCHEMA: &str =
    "[tables.t]\nrows = 20\n[tables.t.columns]\nid = \"sequence\"\ncard = { gen = \"regex\", pattern = \"4929390612345673\" }\n";

/// A scratch tree: prod/ and test/share/, the environments file, fixtures, and prod/link
/// pointing into test/share.
fn setup() -> Dir {
    let dir = Dir::new();
    dir.write("env.toml", ENV);
    dir.write("pid.csv", PID_CSV);
    dir.write("clean.csv", CLEAN_CSV);
    dir.write("keep.toml", KEEP_POLICY);
    dir.write("drop.toml", DROP_POLICY);
    dir.write("key", KEY);
    dir.write("bad.toml", BAD_SCHEMA);
    std::fs::create_dir_all(dir.join("prod")).unwrap();
    std::fs::create_dir_all(dir.join("test/share")).unwrap();
    symlink(dir.join("test/share"), dir.join("prod/link")).unwrap();
    dir
}

/// Every path below the scratch directory (hidden ones included, links not followed), but the
/// audit log: what a command left behind.
fn tree(dir: &Dir) -> Vec<String> {
    fn walk(root: &Path, p: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(p) else { return };
        for e in rd.flatten() {
            let path = e.path();
            let rel = path.strip_prefix(root).unwrap().display().to_string();
            if rel == "audit.jsonl" {
                continue;
            }
            out.push(rel);
            if e.file_type().unwrap().is_dir() {
                walk(root, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir.path(), dir.path(), &mut out);
    out.sort();
    out
}

/// No raw personal data in standard output, standard error, the audit log or any manifest.
fn assert_no_pid(dir: &Dir, out: &Output) {
    let mut texts = vec![
        ("stdout", String::from_utf8_lossy(&out.stdout).into_owned()),
        ("stderr", stderr(out)),
        ("audit", std::fs::read_to_string(dir.join("audit.jsonl")).unwrap_or_default()),
    ];
    for f in tree(dir).iter().filter(|f| f.ends_with("synthgate.manifest.json")) {
        texts.push(("manifest", dir.read(f)));
    }
    for (what, text) in texts {
        for v in PID {
            assert!(!text.contains(v), "{what} holds {v:?}:\n{text}");
        }
    }
}

fn gated(args: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    v.extend(["--env-file", "env.toml", "--audit-log", "audit.jsonl"].map(String::from));
    v
}

/// Runs `args` with the environments file and an audit log; asserts the exit code, that the
/// tree is as it was, and that no personal data was printed or recorded.
fn refused_with(dir: &Dir, code: i32, args: &[&str]) -> String {
    let before = tree(dir);
    let args = gated(args);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(dir, &args);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
    assert_eq!(tree(dir), before, "{args:?} left something behind");
    assert!(out.stdout.is_empty(), "{args:?} printed: {}", String::from_utf8_lossy(&out.stdout));
    assert_no_pid(dir, &out);
    stderr(&out)
}

/// The three commands that write, each sending the personal-data fixture to `target`.
fn writes_to(target: &str) -> Vec<Vec<String>> {
    [
        vec!["copy", "pid.csv", target],
        vec!["generate", "bad.toml", "--out", target, "--quiet"],
        vec!["scrub", "pid.csv", "--policy", "keep.toml", "--key-file", "key", "--out", target],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(String::from).collect())
    .collect()
}

fn as_strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn unsupported_url_schemes_are_usage_errors_never_local_folders() {
    let dir = setup();
    for (url, scheme) in [
        ("s3://prod-bucket/x.csv", "s3:"),
        ("S3://prod-bucket/x.csv", "s3:"),
        ("gs://prod-bucket/x.csv", "gs:"),
        ("http://files.internal/x.csv", "http:"),
        ("ftp:x.csv", "ftp:"),
        ("s3:/prod-bucket/x.csv", "s3:"),
    ] {
        for args in writes_to(url) {
            let err = refused_with(&dir, 2, &as_strs(&args));
            assert_contains!(err, &format!("`{scheme}` targets are not supported"), "nothing was written");
        }
    }
    // A URL pasted after a folder is not a path either.
    let err = refused_with(&dir, 2, &["copy", "pid.csv", "out/s3://prod-bucket/x.csv"]);
    assert_contains!(err, "`://`");
    // A local name with a colon is still possible, said explicitly.
    run_ok(&dir, &["copy", "clean.csv", "./s3:x.csv"]);
    assert_eq!(dir.read("s3:x.csv"), CLEAN_CSV);
}

#[test]
fn database_targets_never_print_their_credentials() {
    let dir = setup();
    let secret = "Hunter2-Secret";
    for url in [
        format!("postgres://app:{secret}@127.0.0.1:1/app"),
        format!("postgresql://app:{secret}@127.0.0.1:1/app?sslmode=require"),
        format!("mysql://root:{secret}@127.0.0.1:1/shop"),
        format!("sqlite:///no-such-folder/app.db?password={secret}"),
    ] {
        for args in writes_to(&url) {
            // Nothing answers on port 1 (exit 4, before a row is read); a parameter SQLite does
            // not take is a usage error.
            let code = if url.starts_with("sqlite") { 2 } else { 4 };
            let err = refused_with(&dir, code, &as_strs(&args));
            assert!(!err.contains(secret), "{err}");
        }
    }
}

#[test]
fn file_urls_are_local_paths_percent_decoded() {
    let dir = setup();
    let root = dir.path().canonicalize().unwrap();
    let url = format!("file://{}/out/my%20copy.csv", root.display());
    run_ok(&dir, &["copy", "clean.csv", &url]);
    assert_eq!(dir.read("out/my copy.csv"), CLEAN_CSV);
    // Judged as the path it names: a test share refuses personal data.
    let url = format!("file://localhost{}/test/share/x.csv", root.display());
    refused_with(&dir, 3, &["copy", "pid.csv", &url]);
    let err = refused_with(&dir, 2, &["copy", "pid.csv", "file://fileserver/prod/x.csv"]);
    assert_contains!(err, "another host");
    refused_with(&dir, 2, &["copy", "pid.csv", "file:///prod%2Fx.csv"]);
}

#[test]
fn a_symlink_from_production_into_test_is_judged_as_test() {
    let dir = setup();
    // Control: production takes the data, so a refusal below is the link's doing.
    let out = run_ok(&dir, &as_strs(&gated(&["copy", "pid.csv", "prod/x.csv"])));
    assert_no_pid(&dir, &out);
    assert_eq!(dir.read("prod/x.csv"), PID_CSV);

    let err = refused_with(&dir, 3, &["copy", "pid.csv", "prod/link/x.csv"]);
    assert_contains!(err, "test/share/x.csv", "(test)");
    refused_with(&dir, 3, &["copy", "pid.csv", "prod/link/"]);
    refused_with(&dir, 3, &["copy", "pid.csv", "prod/link/new/deeper/x.csv"]);
    refused_with(&dir, 3, &["generate", "bad.toml", "--out", "prod/link/gen", "--quiet"]);
    refused_with(&dir, 3, &["scrub", "pid.csv", "--policy", "keep.toml", "--key-file", "key", "--out", "prod/link/"]);
    let out = run_ok(&dir, &["env", "show", "prod/link/x.csv", "--env-file", "env.toml"]);
    assert_contains!(String::from_utf8_lossy(&out.stdout), "environment: test");
}

#[test]
fn dot_dot_after_a_symlink_is_taken_where_the_link_leads() {
    let dir = setup();
    // Lexically prod/x.csv; physically test/x.csv.
    let err = refused_with(&dir, 3, &["copy", "pid.csv", "prod/link/../x.csv"]);
    assert_contains!(err, "test/x.csv");
    refused_with(&dir, 3, &["generate", "bad.toml", "--out", "prod/link/..", "--quiet"]);
    refused_with(
        &dir,
        3,
        &["scrub", "pid.csv", "--policy", "keep.toml", "--key-file", "key", "--out", "prod/link/../y.csv"],
    );
}

#[test]
fn paths_that_cannot_be_resolved_are_refused_before_anything_is_written() {
    let dir = setup();
    // `..` climbing out of the part that exists, past a folder not made yet.
    let err = refused_with(&dir, 2, &["copy", "pid.csv", "new/../../x.csv"]);
    assert_contains!(err, "climb out");
    // A link to nowhere: following it would create a folder the gate never judged.
    symlink(dir.join("test/nowhere"), dir.join("prod/dangling")).unwrap();
    let err = refused_with(&dir, 2, &["copy", "pid.csv", "prod/dangling/x.csv"]);
    assert_contains!(err, "symbolic link to nothing");
    refused_with(&dir, 2, &["generate", "bad.toml", "--out", "prod/dangling/gen", "--quiet"]);
}

#[test]
fn copy_to_dash_prints_the_file_and_makes_no_file_named_dash() {
    let dir = setup();
    let out = run_ok(&dir, &["copy", "clean.csv", "-"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), CLEAN_CSV);
    assert!(!dir.join("-").exists());
    let err = refused_with(&dir, 3, &["copy", "pid.csv", "-"]);
    assert_contains!(err, "refused");
    assert!(!dir.join("-").exists());
}

#[test]
fn generate_to_stdout_prints_nothing_when_a_late_row_is_refused() {
    let dir = setup();
    // Row 30,000 of 40,000 holds a literal card outside the reserved ranges: the first chunks
    // are cleared long before it is reached.
    dir.write(
        "late.toml",
        "[tables.t]\nrows = 40_000\n[tables.t.columns]\nid = \"sequence\"\ncard = \"card_number\"\n\
         [[tables.t.scenarios]]\nname = \"leak\"\nrow = 30_000\nvalues = { card = \"4929390612345673\" }\n",
    );
    std::fs::create_dir(dir.join("tmp")).unwrap();
    // Runs with the spool in `tmp/`; asserts the refusal left nothing anywhere, stdout included.
    let refused_to_stdout = |args: &[&str]| {
        let before = tree(&dir);
        let out =
            synthgate().args(gated(args)).env("TMPDIR", dir.join("tmp")).current_dir(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        assert!(out.stdout.is_empty(), "{} bytes reached standard output", out.stdout.len());
        assert_eq!(tree(&dir), before, "the spool is gone, and nothing else was written");
        assert_no_pid(&dir, &out);
        stderr(&out)
    };
    // The literal in the schema is judged before generation starts.
    let err = refused_to_stdout(&["generate", "late.toml", "--out", "-", "--quiet"]);
    assert_contains!(err, "spells out values that hold personal data");

    // A late refusal while streaming: a copy whose row 30,000 holds the card. The first chunks
    // are cleared long before it, and still nothing reaches standard output.
    let mut big = String::from("id,note\n");
    for i in 1..=40_000 {
        if i == 30_000 {
            big.push_str("30000,paid with 4929390612345673\n");
        } else {
            big.push_str(&format!("{i},order shipped\n"));
        }
    }
    dir.write("big.csv", &big);
    assert_contains!(refused_to_stdout(&["copy", "big.csv", "-"]), "row 30000");

    // Control: without the leak the same table streams out whole.
    dir.write("ok.toml", "[tables.t]\nrows = 40_000\n[tables.t.columns]\nid = \"sequence\"\ncard = \"card_number\"\n");
    let out = run_ok(&dir, &["generate", "ok.toml", "--out", "-", "--quiet"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 40_001);
}

#[test]
fn scrub_to_dash_prints_one_scrubbed_file() {
    let dir = setup();
    let out = run_ok(&dir, &["scrub", "pid.csv", "--policy", "drop.toml", "--key-file", "key", "--out", "-"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), "id\n1\n2\n");
    assert!(!dir.join("-").exists());
    assert_no_pid(&dir, &out);
    refused_with(&dir, 3, &["scrub", "pid.csv", "--policy", "keep.toml", "--key-file", "key", "--out", "-"]);
    let err = refused_with(
        &dir,
        2,
        &["scrub", "pid.csv", "clean.csv", "--policy", "keep.toml", "--key-file", "key", "--out", "-"],
    );
    assert_contains!(err, "one input file");
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn outputs_take_the_mode_the_umask_gives() {
    let dir = setup();
    let bin = env!("CARGO_BIN_EXE_synthgate");
    dir.write("s.toml", "[tables.t]\nrows = 5\n[tables.t.columns]\nid = \"sequence\"\n");
    for (umask, want) in [("022", 0o644), ("077", 0o600), ("002", 0o664)] {
        let script = format!(
            "umask {umask}; '{bin}' generate s.toml --out g{umask} --quiet && \
             '{bin}' copy clean.csv c{umask}/clean.csv && \
             exec '{bin}' scrub pid.csv --policy drop.toml --key-file key --out s{umask}/pid.csv"
        );
        let out = std::process::Command::new("sh").arg("-c").arg(&script).current_dir(dir.path()).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        for f in [
            format!("g{umask}/t.csv"),
            format!("g{umask}/synthgate.manifest.json"),
            format!("c{umask}/clean.csv"),
            format!("c{umask}/synthgate.manifest.json"),
            format!("s{umask}/pid.csv"),
            format!("s{umask}/synthgate.manifest.json"),
        ] {
            assert_eq!(mode(&dir.join(&f)), want, "{f} under umask {umask}");
        }
    }
}

#[test]
fn an_output_file_that_is_a_symlink_is_replaced_not_written_through() {
    let dir = setup();
    // test/y.csv leads into production: judged as test (where the name is), so refused.
    dir.write("prod/y.csv", "kept\n");
    symlink(dir.join("prod/y.csv"), dir.join("test/y.csv")).unwrap();
    refused_with(&dir, 3, &["copy", "pid.csv", "test/y.csv"]);
    assert_eq!(dir.read("prod/y.csv"), "kept\n");
    // prod/x.csv leads into test: judged as production, and the link itself is replaced.
    dir.write("test/share/x.csv", "kept\n");
    symlink(dir.join("test/share/x.csv"), dir.join("prod/x.csv")).unwrap();
    let args = gated(&["copy", "pid.csv", "prod/x.csv"]);
    let out = run_ok(&dir, &as_strs(&args));
    assert_no_pid(&dir, &out);
    assert_eq!(dir.read("test/share/x.csv"), "kept\n", "nothing written through the link");
    assert!(std::fs::symlink_metadata(dir.join("prod/x.csv")).unwrap().file_type().is_file());
    assert_eq!(dir.read("prod/x.csv"), PID_CSV);
}

#[test]
fn standard_output_takes_parquet_and_a_closed_pipe_is_not_an_error() {
    use std::io::Read as _;
    let dir = setup();
    dir.write("s.toml", "[tables.t]\nrows = 50\n[tables.t.columns]\nid = \"sequence\"\n");
    let out = run_ok(&dir, &["generate", "s.toml", "--out", "-", "--format", "parquet", "--quiet"]);
    assert!(out.stdout.starts_with(b"PAR1") && out.stdout.ends_with(b"PAR1"), "a whole parquet file");

    let mut big = String::from(CLEAN_CSV);
    for i in 0..200_000 {
        big.push_str(&format!("SKU-{i:06},{},shipped\n", i % 7));
    }
    dir.write("big.csv", &big);
    let mut child = synthgate()
        .args(["copy", "big.csv", "-"])
        .current_dir(dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 64];
    child.stdout.as_mut().unwrap().read_exact(&mut head).unwrap();
    drop(child.stdout.take()); // like `| head`
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(head.starts_with(CLEAN_CSV.as_bytes().split_at(14).0));
}
