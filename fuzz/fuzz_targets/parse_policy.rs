#![no_main]
// The scrub-policy parser: any text parses or fails with an error, never a panic.

use libfuzzer_sys::fuzz_target;
use synthgate::transform::policy::Policy;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(policy) = Policy::parse("fuzz.toml", text) {
        let _ = policy.decide("customers", "email");
    }
});
