#![no_main]
// The schema parser: any text compiles to a plan or fails with an error, never a panic.

use libfuzzer_sys::fuzz_target;
use synthgate::schema::{compile_str, Options};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let opts = Options { seed: None, scale: 1.0, now: Some(0) };
    let _ = compile_str("fuzz.toml", text, &opts);
});
