//! Validators for US identifiers: Social Security numbers, ITINs, ABA routing numbers,
//! phone numbers under the North American Numbering Plan, passport numbers.

use super::generic::{number, Groups};
use super::Validator;
use crate::reserved::{self, Kind};

pub const VALIDATORS: &[(&str, Validator)] = &[
    ("ssn", ssn),
    ("itin", itin),
    ("us_tin", us_tin),
    ("aba_routing", aba_routing),
    ("phone_us", phone_us),
    ("us_passport", us_passport),
    ("us_zip", us_zip),
];

/// A US ZIP code, five digits with an optional ZIP+4 (`12345-6789`), whose three-digit prefix
/// the Postal Service uses (not 000–004, 213, 269, 343, 345, 348, 353, 419, 428, 429, 517–519,
/// 529, 533, 536, 552, 568, 578, 579, 589, 621, 632, 642, 643, 659, 663, 682, 694–699, 702,
/// 709, 715, 732, 742, 771, 817, 818, 819, 839, 848, 849, 854, 858, 861, 862, 866–869, 876,
/// 886–888, 892, 896, 899, 909, 929, 987), and not a ZIP+4 of `0000`.
pub(super) fn us_zip(s: &str) -> bool {
    let b = s.as_bytes();
    let ok_shape = match b.len() {
        5 => b.iter().all(u8::is_ascii_digit),
        10 => b[5] == b'-' && b[..5].iter().chain(&b[6..]).all(u8::is_ascii_digit) && &b[6..] != b"0000",
        _ => false,
    };
    if !ok_shape {
        return false;
    }
    let prefix = (b[0] - b'0') as u32 * 100 + (b[1] - b'0') as u32 * 10 + (b[2] - b'0') as u32;
    const UNUSED: &[u32] = &[
        213, 269, 343, 345, 348, 353, 419, 428, 429, 517, 518, 519, 529, 533, 536, 552, 568, 578, 579, 589, 621, 632,
        642, 643, 659, 663, 682, 694, 695, 696, 697, 698, 699, 702, 709, 715, 732, 742, 771, 817, 818, 819, 839, 848,
        849, 854, 858, 861, 862, 866, 867, 868, 869, 876, 886, 887, 888, 892, 896, 899, 909, 929, 987,
    ];
    prefix >= 5 && !UNUSED.contains(&prefix)
}

/// Nine digits, bare or 3-2-4 with one separator.
fn tin_digits(s: &str) -> Option<Groups> {
    Groups::parse(s, b" -").filter(|g| matches!(g.lens(), [9] | [3, 2, 4]))
}

/// Numbers the SSA voided after they were printed in advertising (SSA, "Social Security
/// Numbers: Misuse of the Woolworth wallet card number" and the 1940s pocketbook insert).
const VOIDED_SSNS: &[&[u8; 9]] = &[b"078051120", b"219099999"];

/// A Social Security number the SSA could have issued: area not 000, 666 or 900–999,
/// group not 00, serial not 0000 (SSA, "Social Security Number Randomization"); or one in
/// the reserved synthetic space, so that the rule can report it as reserved rather than
/// not at all.
fn ssn(s: &str) -> bool {
    let Some(g) = tin_digits(s) else {
        return false;
    };
    let d = g.digits();
    let area = number(&d[..3]);
    let issuable = !matches!(area, 0 | 666 | 900..) && number(&d[3..5]) != 0 && number(&d[5..]) != 0;
    (issuable && !VOIDED_SSNS.iter().any(|v| v[..] == *d)) || reserved::is_reserved(Kind::Ssn, s)
}

/// An IRS Individual Taxpayer Identification Number: area 9xx, group 50–65, 70–88, 90–92 or
/// 94–99 (IRS, "ITIN" guidance), serial not 0000.
fn itin(s: &str) -> bool {
    let Some(g) = tin_digits(s) else {
        return false;
    };
    let d = g.digits();
    d[0] == b'9' && matches!(number(&d[3..5]), 50..=65 | 70..=88 | 90..=92 | 94..=99) && number(&d[5..]) != 0
}

/// An SSN or an ITIN: what a column named `ssn` or `itin` holds in practice.
fn us_tin(s: &str) -> bool {
    ssn(s) || itin(s)
}

/// An ABA routing transit number: nine digits (the only digits in the match, which may
/// carry its keyword), first two 00–12, 21–32, 61–72 or 80 (ABA Key to Routing Numbers),
/// and weights 3, 7, 1 summing to a multiple of 10. All zeros pass the sum and is refused.
fn aba_routing(s: &str) -> bool {
    let Some((d, 9)) = super::digits(s) else {
        return false;
    };
    let sum: u32 = d[..9].iter().zip([3, 7, 1].iter().cycle()).map(|(&c, &w)| (c - b'0') as u32 * w).sum();
    matches!(number(&d[..2]), 0..=12 | 21..=32 | 61..=72 | 80) && sum % 10 == 0 && d[..9].iter().any(|&c| c != b'0')
}

/// A ten-digit NANP number (area code, exchange, line) a person could have: area code and
/// exchange start 2–9 and are not N11 service codes; the area code's middle digit is not 9
/// (reserved for expansion), and it is not toll-free (8xx with equal last digits, 800) or
/// premium 900, which belong to businesses.
pub(super) fn nanp(d: &[u8]) -> bool {
    if d.len() != 10 || !d.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n11 = |x: &[u8]| x[1] == b'1' && x[2] == b'1';
    let (npa, nxx) = (&d[..3], &d[3..6]);
    let toll_free = npa[0] == b'8' && npa[1] == npa[2];
    npa[0] >= b'2' && npa[1] != b'9' && !n11(npa) && !toll_free && npa != b"900" && nxx[0] >= b'2' && !n11(nxx)
}

/// A US or Canadian number written nationally (`(212) 555-0123`, `212-555-0123`,
/// `1-212-555-0123`): ten digits after an optional leading 1, valid under [`nanp`].
pub(super) fn phone_us(s: &str) -> bool {
    match super::digits(s) {
        Some((d, 10)) => nanp(&d[..10]),
        Some((d, 11)) if d[0] == b'1' => nanp(&d[1..11]),
        _ => false,
    }
}

/// A US passport book number: nine digits (books before 2021) or a letter and eight digits
/// (the Next Generation Passport); not one digit repeated.
fn us_passport(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = match b {
        [l, rest @ ..] if l.is_ascii_alphabetic() => rest,
        all => all,
    };
    b.len() == 9 && digits.iter().all(u8::is_ascii_digit) && digits.iter().any(|&d| d != digits[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssn_issuing_rules() {
        for ok in ["536-72-4819", "536 72 4819", "536724819", "001-01-0001", "899-99-9999"] {
            assert!(ssn(ok), "{ok}");
        }
        for bad in [
            "666-12-3456", // area 666
            "536-00-4819", // group 00
            "536-72-0000", // serial 0000
            "912-70-1234", // 9xx: an ITIN, not an SSN
            "078-05-1120", // voided (the Woolworth wallet card)
            "219-09-9999",
            "536-724-819", // not 3-2-4
            "536-72 4819", // mixed separators
            "53672481",
        ] {
            assert!(!ssn(bad), "{bad}");
        }
    }

    #[test]
    fn ssn_accepts_the_reserved_space_so_it_can_be_reported_as_reserved() {
        for v in ["900-11-0001", "999499999", "000-12-3456"] {
            assert!(ssn(v), "{v}");
            assert!(reserved::is_reserved(Kind::Ssn, v), "{v}");
        }
        // 9xx outside the reserved groups is neither.
        assert!(!ssn("900-50-0001"));
    }

    #[test]
    fn itin_groups() {
        for ok in ["912-70-1234", "900-50-0001", "999-99-9999", "945-88-1234", "945941234"] {
            assert!(itin(ok), "{ok}");
        }
        for bad in ["912-69-1234", "912-89-1234", "912-93-1234", "912-10-1234", "812-70-1234", "912-70-0000"] {
            assert!(!itin(bad), "{bad}");
        }
        assert!(us_tin("912-70-1234") && us_tin("536-72-4819") && !us_tin("666-12-3456"));
    }

    #[test]
    fn aba_published_example() {
        // The Federal Reserve Bank of Boston's routing number, the usual worked example.
        assert!(aba_routing("011000015"));
        assert!(aba_routing("ABA routing no. 011000015"));
        for bad in ["011000016", "011000025", "131000015", "000000000", "01100001", "0110000155"] {
            assert!(!aba_routing(bad), "{bad}");
        }
    }

    #[test]
    fn nanp_numbers() {
        for ok in ["(212) 555-0123", "212-555-0123", "1-212-555-0123", "212.555.0123", "(415) 555-0199"] {
            assert!(phone_us(ok), "{ok}");
        }
        for bad in [
            "(123) 555-0123", // area code starts with 1
            "(212) 155-0123", // exchange starts with 1
            "(211) 555-0123", // N11
            "(212) 411-0123",
            "(290) 555-0123", // N9X: reserved
            "(800) 555-0123", // toll-free
            "(877) 555-0123",
            "(900) 555-0123",
            "2-212-555-0123",
            "212-555-012",
        ] {
            assert!(!phone_us(bad), "{bad}");
        }
    }

    #[test]
    fn passports() {
        for ok in ["A12345678", "488839667", "z87654321"] {
            assert!(us_passport(ok), "{ok}");
        }
        for bad in ["000000000", "A00000000", "AB1234567", "12345678", "A123456789"] {
            assert!(!us_passport(bad), "{bad}");
        }
    }
}
