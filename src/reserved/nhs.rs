//! NHS numbers in the 999 test range.
//!
//! UK FCI's `nhs-number` package (github.com/uk-fci/nhs-number, `nhs_number/constants.py`, its
//! collated "source of truth for NHS Number ranges") lists 900 000 0000 to 999 999 9999 as
//! "Not to be issued (Synthetic/test patients PDS)"; England, Wales and the Isle of Man issue
//! numbers starting 4, 6 and 7. Within that, test data conventionally uses the 999
//! prefix (the `nhs-number` crate's docs/ranges/README.md: "999 000 0000 – 999 999 9999 …
//! guaranteed to never be issued to a real patient"), which is what this space holds. Test
//! systems still check the modulus 11 check digit, so every value here is valid, and payloads
//! whose check would be 10 are skipped, as the NHS does.

use super::Compact;
use crate::batch::StrBuf;
use crate::checkdigit;

pub(super) const FORMATS: &[&str] = &["spaced", "plain", "dashed"];

const SPACED: u8 = 0;
const PLAIN: u8 = 1;

/// Weights of the six free digits (positions 4 to 9 of the ten).
const WEIGHTS: [u32; 6] = [7, 6, 5, 4, 3, 2];

/// 9*10 + 9*9 + 9*8 = 243 ≡ 1 (mod 11): the weighted sum of the fixed "999".
const PREFIX_RESIDUE: u32 = 243 % 11;

/// `VALID[i][r]`: how many ways to fill free digits `i..6` so that the number is valid
/// (weighted sum not ≡ 1 mod 11, which would need check digit 10), given residue `r` so far.
/// Unranking through these counts maps k to the k-th valid number in at most 60 steps.
const VALID: [[u32; 11]; 7] = {
    let mut t = [[0u32; 11]; 7];
    let mut r = 0;
    while r < 11 {
        t[6][r] = (r != 1) as u32;
        r += 1;
    }
    let mut i = 6;
    while i > 0 {
        i -= 1;
        let mut r = 0;
        while r < 11 {
            let mut d = 0;
            while d < 10 {
                t[i][r] += t[i + 1][(r + WEIGHTS[i] as usize * d) % 11];
                d += 1;
            }
            r += 1;
        }
    }
    t
};

pub(super) const SIZE: u64 = VALID[0][PREFIX_RESIDUE as usize] as u64;

/// Writes the k-th valid 999 number in increasing order (so distinct k give distinct numbers).
pub(super) fn write(mut k: u64, format: u8, out: &mut StrBuf) {
    let mut n = *b"9990000000";
    let mut r = PREFIX_RESIDUE as usize;
    for (i, &w) in WEIGHTS.iter().enumerate() {
        for d in 0..10u8 {
            let next = (r + w as usize * d as usize) % 11;
            let count = VALID[i + 1][next] as u64;
            if k < count {
                n[3 + i] = b'0' + d;
                r = next;
                break;
            }
            k -= count;
        }
    }
    // r ≠ 1 by construction: the check is 11 - r, with 11 written 0.
    n[9] = b'0' + ((11 - r) % 11) as u8;
    match format {
        PLAIN => out.extend_ascii(&n),
        _ => {
            let sep: &[u8] = if format == SPACED { b" " } else { b"-" };
            out.extend_ascii(&n[..3]);
            out.extend_ascii(sep);
            out.extend_ascii(&n[3..6]);
            out.extend_ascii(sep);
            out.extend_ascii(&n[6..]);
        }
    }
}

/// Accepts `999 123 4567`, `9991234567`, `999-123-4567` when the check digit is valid.
pub(super) fn is_reserved(value: &str) -> bool {
    let Some(c) = Compact::<10>::new(value, super::is_space_or_dash, |b| b.is_ascii_digit()) else {
        return false;
    };
    let b = c.as_bytes();
    // Only ASCII digits are kept, so this is valid UTF-8.
    b.starts_with(b"999") && std::str::from_utf8(b).is_ok_and(checkdigit::nhs_valid)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::render;
    use super::super::{is_reserved, Kind, Space};
    use super::*;

    #[test]
    fn size_matches_a_brute_force_count() {
        assert_eq!(SIZE, 909_091);
        let count = (0..1_000_000u32).filter(|p| checkdigit::nhs_check_digit(&format!("999{p:06}")).is_some()).count();
        assert_eq!(count as u64, SIZE);
    }

    /// Every valid 999 number, in order: the mapping is a bijection onto all of them.
    #[test]
    fn write_enumerates_every_valid_number_in_order() {
        let space = Space::new(Kind::NhsNumber, Some("plain")).unwrap();
        let mut k = 0;
        let mut out = StrBuf::default();
        for p in 0..1_000_000u32 {
            let first9 = format!("999{p:06}");
            if let Some(c) = checkdigit::nhs_check_digit(&first9) {
                if k % 997 == 0 || k + 1 == SIZE {
                    space.write(k, &mut out);
                    assert_eq!(out.current(), format!("{first9}{c}"), "k={k}");
                    out.discard_current();
                }
                k += 1;
            }
        }
        assert_eq!(k, SIZE);
    }

    #[test]
    fn formats() {
        let w = |f, k| render(&Space::new(Kind::NhsNumber, Some(f)).unwrap(), k);
        // 999 000 000x has check 10, so the first valid number is 999 000 0018.
        assert_eq!(w("spaced", 0), "999 000 0018");
        assert_eq!(w("plain", 0), "9990000018");
        assert_eq!(w("dashed", 0), "999-000-0018");
        assert_eq!(w("plain", SIZE - 1), "9999999999");
    }

    #[test]
    fn rejects_numbers_outside_the_test_range_or_invalid() {
        for v in [
            "943 476 5919",  // the NHS Data Dictionary's example: valid, but not a test number
            "998 000 0019",  // just below the range
            "999 000 0019",  // one digit off: bad check digit
            "999 000 0000",  // check would be 10
            "999 000 001",   // too short
            "999 000 00188", // too long
            "999/000/0018",
            "",
        ] {
            assert!(!is_reserved(Kind::NhsNumber, v), "{v}");
        }
        for v in ["999 000 0018", "9990000018", "999-000-0018", " 999 000 0018"] {
            assert!(is_reserved(Kind::NhsNumber, v), "{v}");
        }
    }
}
