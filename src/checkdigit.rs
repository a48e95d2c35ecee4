//! Check-digit algorithms on ASCII strings: Luhn (payment cards), NHS modulus 11, IBAN mod 97.
//!
//! Generators use the `*_check_digit(s)` functions to make valid synthetic identifiers; the
//! `*_valid` functions are strict validators (no separators, no trimming) for detection rules.

/// Whether `digits` passes the Luhn check (ISO/IEC 7812-1 annex B).
///
/// Only ASCII digits are accepted (no spaces or dashes) and at least two are needed: a
/// one-digit "number" would be all check digit and say nothing.
pub fn luhn_valid(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() >= 2 && b.iter().all(u8::is_ascii_digit) && luhn_sum(b, false) % 10 == 0
}

/// The digit to append to `payload` so that the whole passes [`luhn_valid`].
///
/// # Panics
/// If `payload` holds anything but ASCII digits.
pub fn luhn_check_digit(payload: &str) -> u8 {
    let b = payload.as_bytes();
    assert!(b.iter().all(u8::is_ascii_digit), "luhn_check_digit: payload must be ASCII digits");
    // The payload's last digit is doubled, since a check digit will follow it.
    ((10 - luhn_sum(b, true) % 10) % 10) as u8
}

/// Luhn sum of ASCII digits; `double_last` says whether the rightmost digit is doubled.
fn luhn_sum(b: &[u8], double_last: bool) -> u32 {
    b.iter()
        .rev()
        .enumerate()
        .map(|(i, &c)| {
            let d = (c - b'0') as u32;
            if (i % 2 == 0) == double_last {
                let d2 = d * 2;
                if d2 > 9 {
                    d2 - 9
                } else {
                    d2
                }
            } else {
                d
            }
        })
        .sum()
}

/// The NHS number check digit for the first nine digits (NHS Data Dictionary, "NHS Number"):
/// weights 10 down to 2, sum mod 11, check = 11 - remainder, where 11 becomes 0.
///
/// `None` when the check would be 10 (such numbers are never issued), or when `first9` is not
/// exactly nine ASCII digits.
pub fn nhs_check_digit(first9: &str) -> Option<u8> {
    let b = first9.as_bytes();
    if b.len() != 9 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b.iter().zip((2..=10u32).rev()).map(|(&c, w)| (c - b'0') as u32 * w).sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        c => Some(c as u8),
    }
}

/// Whether `ten_digits` is a well-formed NHS number: ten ASCII digits (no spaces) whose last
/// digit is the check digit of the first nine.
pub fn nhs_valid(ten_digits: &str) -> bool {
    let b = ten_digits.as_bytes();
    b.len() == 10 && b[9].is_ascii_digit() && nhs_check_digit(&ten_digits[..9]) == Some(b[9] - b'0')
}

/// Whether `iban` passes the ISO 13616 check: the compact form (no spaces, upper case), two
/// letters, two digits, then letters/digits, at most 34 characters; moving the first four
/// characters to the end and reading letters as 10..35 gives a number that is 1 mod 97.
///
/// This checks the structure and the check digits only, not each country's BBAN length.
pub fn iban_valid(iban: &str) -> bool {
    let b = iban.as_bytes();
    if !(5..=34).contains(&b.len())
        || !b[..2].iter().all(u8::is_ascii_uppercase)
        || !b[2..4].iter().all(u8::is_ascii_digit)
        || !b[4..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return false;
    }
    mod97(&[&b[4..], &b[..4]]) == 1
}

/// The two check digits (2..=98) of the IBAN of `country` (two letters) with `bban`:
/// 98 minus the remainder mod 97 of `bban ++ country ++ "00"` read as in [`iban_valid`].
///
/// # Panics
/// If `country` is not two ASCII letters or `bban` holds anything but ASCII letters and digits.
pub fn iban_check_digits(country: &str, bban: &str) -> u8 {
    let (c, b) = (country.as_bytes(), bban.as_bytes());
    assert!(c.len() == 2 && c.iter().all(u8::is_ascii_alphabetic), "iban_check_digits: country must be two letters");
    assert!(b.iter().all(u8::is_ascii_alphanumeric), "iban_check_digits: bban must be letters and digits");
    (98 - mod97(&[b, c, b"00"])) as u8
}

/// Remainder mod 97 of the concatenated parts, letters (either case) counting as 10..35.
/// Streaming keeps it allocation-free and within `u32` for IBANs of any length.
fn mod97(parts: &[&[u8]]) -> u32 {
    let mut r = 0u32;
    for &c in parts.iter().flat_map(|p| p.iter()) {
        r = if c.is_ascii_digit() {
            (r * 10 + (c - b'0') as u32) % 97
        } else {
            (r * 100 + (c.to_ascii_uppercase() - b'A') as u32 + 10) % 97
        };
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_published_example() {
        // The worked example in ISO/IEC 7812-1 and most references: 7992739871 + check 3.
        assert!(luhn_valid("79927398713"));
        assert_eq!(luhn_check_digit("7992739871"), 3);
        for wrong in ["79927398710", "79927398714", "79927398813", "89927398713"] {
            assert!(!luhn_valid(wrong), "{wrong}");
        }
    }

    #[test]
    fn luhn_rejects_malformed_input() {
        assert!(!luhn_valid(""));
        assert!(!luhn_valid("0"));
        assert!(luhn_valid("00"));
        assert!(luhn_valid("18"));
        assert!(!luhn_valid("7992 7398 713"));
        assert!(!luhn_valid("7992-7398713"));
        assert!(!luhn_valid("79927398713\n"));
        assert!(!luhn_valid("٧٩٩"));
    }

    #[test]
    fn luhn_check_digit_round_trips_and_catches_single_digit_errors() {
        for payload in ["0", "1", "9", "411111111111111", "37828224631000", "123456789012345678"] {
            let c = luhn_check_digit(payload);
            let full = format!("{payload}{c}");
            assert!(luhn_valid(&full), "{full}");
            // Luhn detects every single-digit substitution.
            for i in 0..full.len() {
                for d in b'0'..=b'9' {
                    let mut b = full.clone().into_bytes();
                    if b[i] == d {
                        continue;
                    }
                    b[i] = d;
                    let s = String::from_utf8(b).unwrap();
                    assert!(!luhn_valid(&s), "{s}");
                }
            }
        }
    }

    #[test]
    #[should_panic(expected = "ASCII digits")]
    fn luhn_check_digit_refuses_non_digits() {
        luhn_check_digit("4111 1111");
    }

    #[test]
    fn nhs_published_example() {
        // NHS Data Dictionary worked example: 943 476 5919.
        assert_eq!(nhs_check_digit("943476591"), Some(9));
        assert!(nhs_valid("9434765919"));
        for wrong in ["9434765918", "9434765910", "9434765929", "8434765919"] {
            assert!(!nhs_valid(wrong), "{wrong}");
        }
    }

    #[test]
    fn nhs_remainders_10_and_11() {
        // Weighted sum 0: check 11, written 0.
        assert_eq!(nhs_check_digit("000000000"), Some(0));
        assert!(nhs_valid("0000000000"));
        // 999000000: weighted sum 243 = 22 * 11 + 1, so the check would be 10: never issued.
        assert_eq!(nhs_check_digit("999000000"), None);
        for d in 0..=9 {
            assert!(!nhs_valid(&format!("999000000{d}")));
        }
        assert_eq!(nhs_check_digit("999000001"), Some(8));
    }

    #[test]
    fn nhs_rejects_malformed_input() {
        assert_eq!(nhs_check_digit("94347659"), None);
        assert_eq!(nhs_check_digit("9434765911"), None);
        assert_eq!(nhs_check_digit("94347659a"), None);
        assert!(!nhs_valid("943 476 5919"));
        assert!(!nhs_valid("943476591"));
        assert!(!nhs_valid("94347659199"));
        assert!(!nhs_valid("943476591x"));
        assert!(!nhs_valid(""));
    }

    #[test]
    fn iban_published_examples() {
        // ISO 13616 / SWIFT IBAN registry examples.
        for iban in ["GB82WEST12345698765432", "DE89370400440532013000"] {
            assert!(iban_valid(iban), "{iban}");
        }
        assert_eq!(iban_check_digits("GB", "WEST12345698765432"), 82);
        assert_eq!(iban_check_digits("DE", "370400440532013000"), 89);
        assert_eq!(iban_check_digits("de", "370400440532013000"), 89);
    }

    #[test]
    fn iban_single_changes_fail() {
        for wrong in [
            "GB82WEST12345698765433",
            "GB83WEST12345698765432",
            "GB82WEST12345698765423", // transposition
            "GB82WESU12345698765432",
            "DE89370400440532013001",
            "DE88370400440532013000",
            "AT89370400440532013000",
        ] {
            assert!(!iban_valid(wrong), "{wrong}");
        }
    }

    #[test]
    fn iban_accepts_only_the_compact_upper_case_form() {
        assert!(!iban_valid("GB82 WEST 1234 5698 7654 32"));
        assert!(!iban_valid("gb82west12345698765432"));
        assert!(!iban_valid("GB82west12345698765432"));
        assert!(!iban_valid("GB82WEST1234569876543-"));
        assert!(!iban_valid(""));
        assert!(!iban_valid("GB82"));
        assert!(!iban_valid("1282WEST12345698765432"));
        assert!(!iban_valid("GBX2WEST12345698765432"));
        assert!(!iban_valid(&format!("GB82{}", "1".repeat(31))));
    }

    #[test]
    fn iban_check_digits_round_trip() {
        for (country, bban) in
            [("DE", "000000000000000000"), ("GB", "ABCD00000000000001"), ("FR", "2004101005050001M02606")]
        {
            let cd = iban_check_digits(country, bban);
            assert!((2..=98).contains(&cd));
            assert!(iban_valid(&format!("{country}{cd:02}{bban}")));
        }
    }
}
