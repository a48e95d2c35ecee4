//! US Social Security numbers that the issuing rules exclude.
//!
//! The SSA never assigns area numbers 900–999 ("Social Security Number Randomization" FAQ,
//! ssa.gov/employer/randomizationfaqs.html: randomization opened every area "excluding area
//! numbers 000, 666 and 900-999", and no group 00 or serial 0000). The IRS does issue 9XX
//! numbers, told apart by the group (digits 4–5): ITINs use 50–65, 70–88, 90–92 and 94–99,
//! ATINs 93, IRSNs 01–10, 17–19, 28–29 and 37–39 (IRS ITIN guidance; Microsoft Purview's ITIN
//! definition; tax software range tables). The groups used here are the low ones no TIN uses:
//! 11–16, 20–27, 30–36 and 40–49. 66–69 and 89 are free too but sit among the ITIN ranges, which
//! have grown before, so they are left out.
//!
//! [`is_reserved`] also accepts area 000, which the SSA never assigns and which its own staff
//! instructions tell anyone displaying a sample number to use ("000-00-0000", or "any
//! combination of numbers beginning with 000": POMS RM 10201.020). It does not accept the
//! often-quoted advertising block 987-65-4320..4329: that older convention is not in the SSA's
//! current instructions (which say any other combination "could potentially be a valid SSN"),
//! and group 65 lies inside the ITIN format, so those numbers may be real ITINs.

use super::{digits, Compact};
use crate::batch::StrBuf;

pub(super) const FORMATS: &[&str] = &["dashed", "plain"];

const DASHED: u8 = 0;

const GROUPS: [u8; 31] = [
    11, 12, 13, 14, 15, 16, 20, 21, 22, 23, 24, 25, 26, 27, 30, 31, 32, 33, 34, 35, 36, 40, 41, 42, 43, 44, 45, 46, 47,
    48, 49,
];

const SERIALS: u64 = 9999;

pub(super) const SIZE: u64 = 100 * GROUPS.len() as u64 * SERIALS;

pub(super) fn write(k: u64, format: u8, out: &mut StrBuf) {
    let per_area = GROUPS.len() as u64 * SERIALS;
    let area = digits::<3>(900 + k / per_area);
    let rest = k % per_area;
    let group = digits::<2>(GROUPS[(rest / SERIALS) as usize] as u64);
    let serial = digits::<4>(rest % SERIALS + 1);
    let sep: &[u8] = if format == DASHED { b"-" } else { b"" };
    out.extend_ascii(&area);
    out.extend_ascii(sep);
    out.extend_ascii(&group);
    out.extend_ascii(sep);
    out.extend_ascii(&serial);
}

/// Accepts `9XX-XX-XXXX`, `9XX XX XXXX` and `9XXXXXXXX` in the generated groups, and area 000.
pub(super) fn is_reserved(value: &str) -> bool {
    let Some(c) = Compact::<9>::new(value, super::is_space_or_dash, |b| b.is_ascii_digit()) else {
        return false;
    };
    let d = c.as_bytes();
    if d.len() != 9 {
        return false;
    }
    if d.starts_with(b"000") {
        return true; // the SSA's own choice for sample numbers
    }
    let group = (d[3] - b'0') * 10 + (d[4] - b'0');
    d[0] == b'9' && GROUPS.contains(&group) && d[5..] != *b"0000"
}

#[cfg(test)]
mod tests {
    use super::super::testutil::render;
    use super::super::{is_reserved, Kind, Space};
    use super::*;

    #[test]
    fn formats_and_bounds() {
        let w = |f, k| render(&Space::new(Kind::Ssn, Some(f)).unwrap(), k);
        assert_eq!(w("dashed", 0), "900-11-0001");
        assert_eq!(w("dashed", 9998), "900-11-9999");
        assert_eq!(w("dashed", 9999), "900-12-0001");
        assert_eq!(w("plain", SIZE - 1), "999499999");
    }

    #[test]
    fn groups_avoid_every_tin_range() {
        // Group 00 is never used; the rest are IRSN, ITIN and ATIN groups.
        let tin = |g: u8| matches!(g, 0..=10 | 17..=19 | 28..=29 | 37..=39 | 50..=65 | 70..=88 | 90..=99);
        assert!(GROUPS.iter().all(|&g| !tin(g)));
        assert!(GROUPS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn accepts_variants_and_area_000() {
        for v in ["900-11-0001", "900 11 0001", "900110001", "000-00-0000", "000-12-3456"] {
            assert!(is_reserved(Kind::Ssn, v), "{v}");
        }
    }

    #[test]
    fn rejects_issuable_and_itin_shaped_numbers() {
        for v in [
            "123-45-6789", // area 123 can be issued
            "899-11-0001", // area below 900
            "900-50-0001", // ITIN group
            "900-93-0001", // ATIN group
            "900-05-0001", // IRSN group
            "900-00-0001", // group 00
            "900-11-0000", // serial 0000
            "987-65-4320", // the old advertising block: group 65 is an ITIN group
            "987-65-4329",
            "666-11-0001", // never issued either, but not documented as reserved for samples
            "900-11-000",
            "900-11-00011",
            "900.11.0001",
            "",
        ] {
            assert!(!is_reserved(Kind::Ssn, v), "{v}");
        }
    }
}
