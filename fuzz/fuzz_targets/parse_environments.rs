#![no_main]
// The environments-file parser (with its allowlist and manifest settings): any text parses or
// fails with an error, never a panic; a parsed file resolves targets without panicking.

use libfuzzer_sys::fuzz_target;
use synthgate::env::Environments;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(envs) = Environments::from_toml("fuzz.toml", text, std::path::Path::new("/srv/data")) {
        for target in ["out/x.csv", "/srv/data/prod/x.parquet", "postgres://u:p@db.internal:5432/app", "-"] {
            let _ = envs.resolve(target);
            let _ = envs.show(target);
        }
    }
});
