//! Inputs the fuzz targets (`fuzz/`) once crashed on, replayed through the binary: each is kept
//! under `tests/fixtures/fuzz/<target>/` and must now end in a result or a clear error naming the
//! file, never a panic. A target that finds its first crash gets its test here.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::util::*;

/// The saved inputs of one fuzz target, sorted by name.
fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz").join(target);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

/// The command ended by itself with one of `codes`, without a panic, and an error names `file`.
fn assert_clean_end(out: &Output, codes: &[i32], file: &str, input: &Path) {
    let err = stderr(out);
    assert!(!err.contains("panicked"), "{}: synthgate panicked:\n{err}", input.display());
    let code = out.status.code();
    assert!(
        code.is_some_and(|c| codes.contains(&c)),
        "{}: exit {code:?}, expected one of {codes:?}:\n{err}",
        input.display()
    );
    if code.is_some_and(|c| c == 2 || c == 4) {
        assert_contains!(err, file);
    }
}

fn replay_file(target: &str, name: &str, args: &[&str], codes: &[i32]) {
    for input in inputs(target) {
        let dir = Dir::new();
        std::fs::copy(&input, dir.join(name)).expect("copy the fuzz input");
        let out = run(&dir, args);
        assert_clean_end(&out, codes, name, &input);
    }
}

/// Polars panicked on malformed thrift metadata ("thrift bool field") and, on a polars worker
/// thread, on a page range past the end of the file; such a file is now refused, naming it.
#[test]
fn parquet_reader_inputs_end_in_a_result_or_an_error() {
    assert!(!inputs("source_parquet").is_empty(), "the saved parquet inputs are missing");
    replay_file("source_parquet", "input.parquet", &["scan", "input.parquet"], &[0, 1, 2, 4]);
}
