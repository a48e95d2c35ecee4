//! Helpers: run the real binary in a scratch directory and read what it wrote.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

/// A scratch directory, removed at the end of the test.
pub struct Dir {
    pub tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        Dir { tmp: tempfile::tempdir().expect("temp dir") }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn join(&self, p: &str) -> PathBuf {
        self.tmp.path().join(p)
    }

    /// Writes a file and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.join(name);
        std::fs::write(&p, text).expect("write fixture");
        p
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.join(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
    }

    /// Every entry below `sub`, sorted, hidden ones included.
    pub fn listing(&self, sub: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Ok(rd) = std::fs::read_dir(self.join(sub)) {
            for e in rd.flatten() {
                out.push(e.file_name().to_string_lossy().into_owned());
            }
        }
        out.sort();
        out
    }
}

/// The binary, with its per-user key kept under the build's scratch folder: a test never
/// touches the real home. Tests that need their own key folder set SYNTHGATE_HOME themselves.
pub fn synthgate() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_synthgate"));
    cmd.env("SYNTHGATE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/synthgate-home"));
    cmd
}

/// Runs synthgate with `args` in `dir`.
pub fn run(dir: &Dir, args: &[&str]) -> Output {
    synthgate().args(args).current_dir(dir.path()).output().expect("run synthgate")
}

/// Runs and asserts success, printing stderr on failure.
pub fn run_ok(dir: &Dir, args: &[&str]) -> Output {
    let out = run(dir, args);
    assert!(
        out.status.success(),
        "synthgate {args:?} failed with {:?}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn sha256_file(p: &Path) -> String {
    let bytes = std::fs::read(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()));
    Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// CSV rows as string records, header first.
pub fn csv_rows(p: &Path) -> Vec<Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_path(p).expect("open csv");
    rdr.records().map(|r| r.expect("csv record").iter().map(str::to_string).collect()).collect()
}

/// Column `name` of a CSV file (header excluded).
pub fn csv_column(p: &Path, name: &str) -> Vec<String> {
    let rows = csv_rows(p);
    let idx = rows[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name} in {:?}", rows[0]));
    rows[1..].iter().map(|r| r[idx].clone()).collect()
}

/// Runs synthgate with `args` in `dir`, sends it Ctrl-C (SIGINT) once a staged file shows up
/// in `sub`, and returns its exit code and standard error.
pub fn interrupt_while_writing(dir: &Dir, args: &[&str], sub: &str) -> (Option<i32>, String) {
    use std::io::Read as _;
    use std::time::Duration;
    let mut child =
        synthgate().args(args).current_dir(dir.path()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let started = std::time::Instant::now();
    while !dir.listing(sub).iter().any(|f| f.ends_with(".synthgate-tmp")) {
        assert!(started.elapsed() < Duration::from_secs(60), "never started writing");
        std::thread::sleep(Duration::from_millis(10));
    }
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let code = child.wait().unwrap().code();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    (code, err)
}

/// Asserts `haystack` contains every needle, showing all of it when it does not.
macro_rules! assert_contains {
    ($haystack:expr, $($needle:expr),+ $(,)?) => {{
        let h: &str = &$haystack;
        $(
            assert!(h.contains($needle), "expected to find {:?} in:\n{}", $needle, h);
        )+
    }};
}
