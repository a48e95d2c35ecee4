//! UK National Insurance numbers with the prefix QQ, which is never allocated.
//!
//! HMRC National Insurance Manual NIM39110 ("What a NINO looks like"): the characters D, F,
//! I, Q, U and V are not used as either letter of the prefix, and the manual's own example is
//! "QQ 12 34 56 A". A NINO is unique without its suffix (A–D), so each six-digit number appears
//! once, with a suffix derived from it: 1,000,000 values.

use super::{digits, Compact};
use crate::batch::StrBuf;

pub(super) const FORMATS: &[&str] = &["spaced", "plain"];

const SPACED: u8 = 0;

pub(super) const SIZE: u64 = 1_000_000;

pub(super) fn write(k: u64, format: u8, out: &mut StrBuf) {
    let n = digits::<6>(k);
    // Mixing in k / 4 spreads the suffixes instead of cycling with the last digit.
    let suffix = b"ABCD"[((k + k / 4) % 4) as usize];
    if format == SPACED {
        out.extend_ascii(b"QQ ");
        out.extend_ascii(&n[..2]);
        out.extend_ascii(b" ");
        out.extend_ascii(&n[2..4]);
        out.extend_ascii(b" ");
        out.extend_ascii(&n[4..]);
        out.extend_ascii(b" ");
    } else {
        out.extend_ascii(b"QQ");
        out.extend_ascii(&n);
    }
    out.extend_ascii(&[suffix]);
}

/// Accepts `QQ 12 34 56 C`, `QQ123456C`, `qq123456c`, and the suffix-less `QQ123456`.
pub(super) fn is_reserved(value: &str) -> bool {
    let Some(c) = Compact::<9>::new(value, super::is_space_or_dash, |b| b.is_ascii_alphanumeric()) else {
        return false;
    };
    match c.as_bytes() {
        [b'Q', b'Q', d @ ..] => match d {
            [n @ .., b'A'..=b'D'] | n => n.len() == 6 && n.iter().all(u8::is_ascii_digit),
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::render;
    use super::super::{is_reserved, Kind, Space};
    use super::*;

    #[test]
    fn formats() {
        let w = |f, k| render(&Space::new(Kind::Nino, Some(f)).unwrap(), k);
        assert_eq!(w("spaced", 123_456), "QQ 12 34 56 A");
        assert_eq!(w("plain", 0), "QQ000000A");
        assert_eq!(w("plain", SIZE - 1), "QQ999999C");
    }

    #[test]
    fn suffixes_are_all_used() {
        let mut seen = [0u32; 4];
        for k in 0..1000 {
            seen[((k + k / 4) % 4) as usize] += 1;
        }
        assert!(seen.iter().all(|&c| c == 250), "{seen:?}");
    }

    #[test]
    fn accepts_variants() {
        for v in ["QQ 12 34 56 C", "QQ123456C", "qq 12 34 56 a", "QQ-12-34-56-D", "QQ123456"] {
            assert!(is_reserved(Kind::Nino, v), "{v}");
        }
    }

    #[test]
    fn rejects_allocatable_prefixes_and_bad_shapes() {
        for v in [
            "AB 12 34 56 C", // an allocatable prefix
            "QA 12 34 56 C",
            "AQ 12 34 56 C",
            "QQ 12 34 56 E", // suffix outside A–D
            "QQ 12 34 5 C",
            "QQ 12 34 567 C",
            "QQ1234567",
            "QQ",
            "",
        ] {
            assert!(!is_reserved(Kind::Nino, v), "{v}");
        }
    }
}
