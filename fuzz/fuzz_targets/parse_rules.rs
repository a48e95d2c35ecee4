#![no_main]
// The rules-file parser: any text loads (and its rules check their own examples) or fails with
// an error, never a panic.

use libfuzzer_sys::fuzz_target;
use synthgate::detect::rule::RuleSet;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut rules = RuleSet::default();
    if rules.load_str("fuzz.toml", text).is_ok() {
        for rule in &rules.rules {
            let _ = rule.failing_examples();
        }
    }
});
