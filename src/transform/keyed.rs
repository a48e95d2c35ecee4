//! The scrub key: every keyed transform (hash, pseudonyms, date shifts) is HMAC-SHA256 under a
//! subkey derived from the user's key. Without the key an output value can be neither reversed
//! nor recomputed from a guessed input; with the same key the same input always gives the same
//! output, in every file and run, which is what keeps joins intact.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::manifest::Key;

/// HMAC-SHA256 keyed once; each use clones the prepared state (no key schedule per value).
#[derive(Clone)]
pub struct ScrubKey {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for ScrubKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ScrubKey(<redacted>)")
    }
}

impl ScrubKey {
    pub fn new(key: &Key) -> ScrubKey {
        let sub = key.derive("synthgate scrub v1");
        ScrubKey { mac: <Hmac<Sha256> as Mac>::new_from_slice(&sub).expect("HMAC takes keys of any length") }
    }

    /// `HMAC(subkey, domain ‖ 0x00 ‖ value)`. The domain separates uses (a hash of an email and
    /// its pseudonym are unrelated), never columns: the same value gives the same output in
    /// `customers.email` and `orders.email`.
    pub fn digest(&self, domain: &str, value: &[u8]) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(value);
        mac.finalize().into_bytes().into()
    }

    /// The first eight bytes of [`ScrubKey::digest`] as a number.
    pub fn number(&self, domain: &str, value: &[u8]) -> u64 {
        let d = self.digest(domain, value);
        u64::from_le_bytes(d[..8].try_into().expect("eight bytes"))
    }
}

#[cfg(test)]
pub(crate) fn test_key(fill: u8) -> ScrubKey {
    ScrubKey::new(&Key::from_bytes(&[fill; 32], "test").unwrap())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_key_same_digest_other_key_or_domain_differs() {
        let (a, b) = (test_key(b'a'), test_key(b'b'));
        assert_eq!(a.digest("email", b"x"), a.digest("email", b"x"));
        assert_ne!(a.digest("email", b"x"), b.digest("email", b"x"));
        assert_ne!(a.digest("email", b"x"), a.digest("hash", b"x"));
        // The domain and value cannot run into each other.
        assert_ne!(a.digest("ab", b"c"), a.digest("a", b"bc"));
    }

    #[test]
    fn debug_never_shows_key_material() {
        let k = test_key(b'z');
        assert_eq!(format!("{k:?}"), "ScrubKey(<redacted>)");
    }
}
