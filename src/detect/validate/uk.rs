//! Validators for UK identifiers: NHS and CHI numbers, National Insurance numbers,
//! postcodes, phone numbers, driving licence and passport numbers, bank accounts.

use super::generic::{number, Groups};
use super::Validator;
use crate::checkdigit;
use crate::reserved::{self, Kind};

pub const VALIDATORS: &[(&str, Validator)] = &[
    ("nhs_mod11", nhs_mod11),
    ("nhs_number", nhs_number),
    ("chi_number", chi_number),
    ("nino", nino),
    ("uk_postcode", uk_postcode),
    ("phone_uk", phone_uk),
    ("uk_driving_licence", uk_driving_licence),
    ("uk_passport", uk_passport),
    ("uk_bank_account", uk_bank_account),
    ("uk_sort_code", uk_sort_code),
    ("passport_number", passport_number),
    ("bank_account_number", bank_account_number),
];

/// A bank account number after its context words: the last run of 6 to 17 digits, not one
/// digit repeated.
fn bank_account_number(s: &str) -> bool {
    if s.len() > 60 {
        return false;
    }
    let run: Vec<u8> = s.bytes().rev().take_while(u8::is_ascii_digit).collect();
    (6..=17).contains(&run.len()) && run.iter().any(|&d| d != run[0])
}

/// A passport number as the `passport-labelled` rule places it: nine characters (eight digits
/// and a letter or more), not one digit repeated.
fn passport_number(s: &str) -> bool {
    (8..=9).contains(&s.len()) && super::digits(s).is_some_and(|(d, n)| n >= 5 && d[..n].iter().any(|&x| x != d[0]))
}

/// The bare modulus 11 check over the match's ten digits, whatever separates them.
fn nhs_mod11(s: &str) -> bool {
    super::digits(s).is_some_and(|(d, n)| n == 10 && checkdigit::nhs_valid(std::str::from_utf8(&d[..n]).unwrap_or("")))
}

/// An NHS number (England, Wales, Isle of Man) or Northern Ireland H&C number: ten digits,
/// bare or 3-3-4 with one separator, modulus 11 valid, in a range that is issued (320–399
/// H&C, 4xx, 6xx, 7xx) or set aside for test patients (9xx, of which the reserved space is
/// 999). Scotland's CHI numbers start with a date of birth, so bare ones look like epoch
/// seconds; `chi_number` takes them, with a column hint.
///
/// A dashed 3-3-4 number that is a reserved US phone number (`415-555-0123`) is left to the
/// phone rules: synthetic phone columns would otherwise hold "NHS numbers".
fn nhs_number(s: &str) -> bool {
    let Some(g) = Groups::parse(s, b" -") else {
        return false;
    };
    let d = g.digits();
    let issued = match d.first() {
        Some(b'4' | b'6' | b'7' | b'9') => true,
        Some(b'3') => d[1] >= b'2',
        _ => false,
    };
    matches!(g.lens(), [10] | [3, 3, 4])
        && issued
        && checkdigit::nhs_valid(g.as_str())
        && !(g.lens().len() > 1 && reserved::is_reserved(Kind::PhoneUs, s))
}

/// Days in `month` (1–12); February has 29, since the century is not known.
fn days_in(month: u32) -> u32 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A Scottish CHI number: date of birth DDMMYY, four more digits, the last a modulus 11
/// check as for NHS numbers; bare, 6-4 or 3-3-4.
fn chi_number(s: &str) -> bool {
    let Some(g) = Groups::parse(s, b" -") else {
        return false;
    };
    let d = g.digits();
    if !matches!(g.lens(), [10] | [6, 4] | [3, 3, 4]) {
        return false;
    }
    let (day, month) = (number(&d[..2]), number(&d[2..4]));
    (1..=12).contains(&month) && (1..=days_in(month)).contains(&day) && checkdigit::nhs_valid(g.as_str())
}

/// A National Insurance number (HMRC NIM39110): two prefix letters, six digits, suffix A–D
/// (optional: the hinted rule takes numbers stored without it). Neither prefix letter is
/// D, F, I, Q, U or V, the second is not O, and BG, GB, KN, NK, NT, TN and ZZ are never
/// allocated. QQ, the manual's own example prefix, is the reserved synthetic space, so it is
/// accepted here and the rule reports it as reserved.
fn nino(s: &str) -> bool {
    let mut c = [0u8; 9];
    let mut n = 0;
    for b in s.bytes().filter(|&b| b != b' ' && b != b'-') {
        if n == c.len() {
            return false;
        }
        c[n] = b.to_ascii_uppercase();
        n += 1;
    }
    if n < 8 {
        return false;
    }
    let (a, b) = (c[0], c[1]);
    let prefix = a.is_ascii_uppercase()
        && b.is_ascii_uppercase()
        && !b"DFIQUV".contains(&a)
        && !b"DFIOQUV".contains(&b)
        && !matches!(&[a, b], b"BG" | b"GB" | b"KN" | b"NK" | b"NT" | b"TN" | b"ZZ");
    (prefix || [a, b] == *b"QQ") && c[2..8].iter().all(u8::is_ascii_digit) && (n == 8 || matches!(c[8], b'A'..=b'D'))
}

/// A full UK postcode (Royal Mail PAF, BS 7666): outward code A9, A99, A9A, AA9, AA99 or AA9A
/// with the letters each position allows, inward code digit + two letters (not C I K M O V);
/// GIR 0AA is the one exception.
pub(super) fn uk_postcode(s: &str) -> bool {
    let mut c = [0u8; 7];
    let mut n = 0;
    for b in s.bytes().filter(|&b| b != b' ') {
        if n == c.len() {
            return false;
        }
        c[n] = b.to_ascii_uppercase();
        n += 1;
    }
    if n < 5 {
        return false;
    }
    let c = &c[..n];
    if c == b"GIR0AA" {
        return true;
    }
    let (outward, inward) = c.split_at(n - 3);
    let inward_ok =
        inward[0].is_ascii_digit() && inward[1..].iter().all(|&l| l.is_ascii_uppercase() && !b"CIKMOV".contains(&l));
    let first = |l: u8| l.is_ascii_uppercase() && !b"QVX".contains(&l);
    let second = |l: u8| l.is_ascii_uppercase() && !b"IJZ".contains(&l);
    let digit = |l: u8| l.is_ascii_digit();
    let outward_ok = match *outward {
        [a, d] => first(a) && digit(d),
        [a, d, e] if a.is_ascii_uppercase() && digit(d) => first(a) && (digit(e) || b"ABCDEFGHJKPSTUW".contains(&e)),
        [a, b, d] => first(a) && second(b) && digit(d),
        [a, b, d, e] => first(a) && second(b) && digit(d) && (digit(e) || b"ABEHMNPRVWXY".contains(&e)),
        _ => false,
    };
    inward_ok && outward_ok
}

/// A UK national number: eleven digits starting 01, 02 (geographic), 03 (UK-wide), 05
/// (corporate and VoIP) or 07 (mobile and personal); freephone and premium (08, 09) name
/// businesses, not people. The regex lets a bracket open only at the start; it must close.
pub(super) fn phone_uk(s: &str) -> bool {
    let opened = s.starts_with('(') as usize;
    s.bytes().filter(|&b| b == b')').count() == opened
        && super::digits(s)
            .is_some_and(|(d, n)| n == 11 && d[0] == b'0' && matches!(d[1], b'1' | b'2' | b'3' | b'5' | b'7'))
}

/// A DVLA driving licence number (16 characters, spaces allowed): five characters of surname
/// (letters, then 9s as padding), the date of birth as decade digit, month (plus 50 for
/// women), day and year digit, two initials (9 as padding), a digit, two check characters.
/// The check characters' algorithm is not published, so the date carries the validation.
fn uk_driving_licence(s: &str) -> bool {
    let mut c = [0u8; 16];
    let mut n = 0;
    for b in s.bytes().filter(|&b| b != b' ') {
        if n == c.len() {
            return false;
        }
        c[n] = b.to_ascii_uppercase();
        n += 1;
    }
    if n != 16 {
        return false;
    }
    let surname = &c[..5];
    let letters = surname.iter().take_while(|b| b.is_ascii_uppercase()).count();
    let surname_ok = letters >= 1 && surname[letters..].iter().all(|&b| b == b'9');
    if !surname_ok || !c[5..11].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let month = match number(&c[6..8]) {
        m @ 1..=12 => m,
        m @ 51..=62 => m - 50,
        _ => return false,
    };
    let day = number(&c[8..10]);
    let initials_ok = c[11].is_ascii_uppercase() && (c[12].is_ascii_uppercase() || c[12] == b'9');
    (1..=days_in(month)).contains(&day)
        && initials_ok
        && c[13].is_ascii_digit()
        && c[14..].iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// A UK passport number: nine digits, not one digit repeated (a placeholder).
fn uk_passport(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 9 && b.iter().all(u8::is_ascii_digit) && b.iter().any(|&d| d != b[0])
}

/// A UK bank account: an 8-digit account number, alone or with its 6-digit sort code (the
/// rule's regex places them); not all zeros. Pay.UK's modulus checking tables change with
/// each bank's release, so no check digit is tested.
fn uk_bank_account(s: &str) -> bool {
    super::digits(s).is_some_and(|(d, n)| matches!(n, 8 | 14) && d[..n].iter().any(|&b| b != b'0'))
}

/// A UK sort code: six digits written 12-34-56 (or with spaces), not all zeros. A sort code
/// names a bank branch; beside an account number it names an account, which the rule's
/// column evidence asks for.
fn uk_sort_code(s: &str) -> bool {
    if s.len() > 40 {
        return false;
    }
    super::digits(s)
        .is_some_and(|(d, n)| n == 6 && d[..n].iter().any(|&b| b != b'0') && d[..n].iter().any(|&b| b != d[0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_data_dictionary_example() {
        // NHS Data Dictionary, "NHS Number": 943 476 5919 (9xx: never issued, still reported).
        for ok in ["943 476 5919", "9434765919", "943-476-5919", "999 000 0018", "401 023 2137"] {
            assert!(nhs_number(ok), "{ok}");
            assert!(nhs_mod11(ok), "{ok}");
        }
        for bad in [
            "943 476 5918", // check digit changed
            "943 476 5929", // a payload digit changed
            "943 4765 919", // not 3-3-4
            "943 476-5919", // mixed separators
            "1732876800",   // epoch seconds: no NHS number starts with 1
            "310 476 5919", // 300–319 is not an H&C range
            "999 000 0000", // check would be 10: never issued
        ] {
            assert!(!nhs_number(bad), "{bad}");
        }
    }

    #[test]
    fn nhs_number_leaves_reserved_us_phones_alone() {
        // 415-555-0121 passes modulus 11, and is a fictional US number.
        assert!(checkdigit::nhs_valid("4155550121"));
        assert!(!nhs_number("415-555-0121"));
        assert!(!nhs_number("415 555 0121"));
        assert!(nhs_number("4155550121"), "bare: not a phone format the generator writes");
    }

    #[test]
    fn chi_numbers_need_a_date() {
        for ok in ["120364 5686", "1203645686", "120 364 5686"] {
            assert!(chi_number(ok), "{ok}");
        }
        // Check digits valid throughout but the first: day 32, month 13, 30 February.
        for bad in ["1203645685", "320364 5688", "121364 5689", "300264 5680"] {
            assert!(!chi_number(bad), "{bad}");
        }
    }

    #[test]
    fn nino_prefixes_and_suffixes() {
        // HMRC NIM39110's example, QQ 12 34 56 A: the reserved prefix.
        for ok in ["QQ 12 34 56 A", "AB123456C", "ab 12 34 56 c", "JK-12-34-56-D", "AB123456", "ZY 98 76 54 B"] {
            assert!(nino(ok), "{ok}");
        }
        for bad in [
            "DA 12 34 56 A", // D never first
            "AO 12 34 56 A", // O never second
            "AQ 12 34 56 A",
            "GB 12 34 56 A", // never allocated
            "TN123456A",
            "ZZ123456A",
            "AB 12 34 56 E", // suffix A–D only
            "AB 12 34 5 A",
            "AB1234567A",
        ] {
            assert!(!nino(bad), "{bad}");
        }
    }

    #[test]
    fn postcodes_of_every_shape() {
        for ok in ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "W1A 0AX", "EC1A 1BB", "GIR 0AA", "sw1a1aa"]
        {
            assert!(uk_postcode(ok), "{ok}");
        }
        for bad in ["QA1 1AA", "AJ1 1AA", "W1I 1AA", "SW1A 1AC", "SW1A 1IA", "SW1 AAA", "12345", "SW1A1 1AA"] {
            assert!(!uk_postcode(bad), "{bad}");
        }
    }

    #[test]
    fn uk_phone_prefixes() {
        for ok in ["07700 900123", "020 7946 0123", "(0113) 496 0123", "01632 960500", "03069 990123"] {
            assert!(phone_uk(ok), "{ok}");
        }
        for bad in [
            "0800 123 4567",
            "0909 879 0999",
            "06123 456789",
            "020 7946 012",
            "12079460123",
            "(0113 496 0123",
            "0113) 496 0123",
        ] {
            assert!(!phone_uk(bad), "{bad}");
        }
    }

    #[test]
    fn driving_licence_dates() {
        // DVLA's published example: MORGA657054SM9IJ (a woman born 5 July 1965).
        for ok in ["MORGA657054SM9IJ", "MORGA 657054 SM9IJ", "QZV99801299AB7XY", "xqzwy551219k99ab"] {
            assert!(uk_driving_licence(ok), "{ok}");
        }
        for bad in [
            "MORGA637054SM9IJ", // month 13
            "MORGA657354SM9IJ", // day 35
            "MORGA650234SM9IJ", // month 50: a woman's month 00
            "MO9GA657054SM9IJ", // letters after the padding
            "9ORGA657054SM9IJ",
            "MORGA657054SM9I",
            "MORGA657054999IJ", // no first initial
        ] {
            assert!(!uk_driving_licence(bad), "{bad}");
        }
    }

    #[test]
    fn passports_and_bank_accounts() {
        assert!(uk_passport("925076473"));
        assert!(!uk_passport("000000000"));
        assert!(!uk_passport("92507647"));
        assert!(uk_bank_account("sort code 20-00-00 account 55779911"));
        assert!(uk_bank_account("55779911"));
        assert!(!uk_bank_account("00-00-00 00000000"));
        assert!(!uk_bank_account("5577991"));
    }
}
