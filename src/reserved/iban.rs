//! IBANs whose bank code can never be assigned.
//!
//! Germany (DE, 22 characters: DE, 2 check digits, 8-digit Bankleitzahl, 10-digit account):
//! the Deutsche Bundesbank's "Merkblatt Bankleitzahlendatei" defines the first digit of a
//! Bankleitzahl as the clearing area, 1 to 8 (Berlin … Sachsen); a Bankleitzahl starting with
//! 0 names no clearing area, so no bank has one and German banks reject it when they check
//! the code against the Bundesbank directory. The space is every DE IBAN with such a code and
//! valid check digits: 7 free digits of bank code and 10 of account, 10^17 values.
//!
//! Other countries are refused. In particular GB: the bank code is the first four letters of
//! a BIC and the sort code is assigned by Pay.UK, and we found no documented range of either
//! that is reserved or guaranteed unassigned (the registry's example "WEST" is not documented
//! as reserved), so a GB IBAN could not be shown never to be a real account.

use super::{digits, Compact};
use crate::batch::StrBuf;
use crate::checkdigit;

pub(super) const FORMATS: &[&str] = &["compact", "print"];

const PRINT: u8 = 1;

/// A country whose IBANs have a reserved space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Country {
    De,
}

impl Country {
    pub(super) fn parse(code: &str) -> Result<Country, String> {
        if code.eq_ignore_ascii_case("DE") {
            Ok(Country::De)
        } else {
            Err(format!(
                "no reserved IBAN space for country {code:?}: only DE has a bank code that is never \
                 assigned (Bankleitzahl starting with 0)"
            ))
        }
    }

    pub(super) fn size(self) -> u64 {
        match self {
            Country::De => 100_000_000_000_000_000,
        }
    }
}

pub(super) fn write(country: Country, k: u64, format: u8, out: &mut StrBuf) {
    let Country::De = country;
    // "DE" + check + "0" + 17 digits of k (7 of bank code, 10 of account).
    let mut iban = [0u8; 22];
    iban[..2].copy_from_slice(b"DE");
    iban[4] = b'0';
    iban[5..].copy_from_slice(&digits::<17>(k));
    // Only ASCII digits, so valid UTF-8; from_utf8 does not allocate.
    let bban = std::str::from_utf8(&iban[4..]).expect("ASCII digits");
    let check = checkdigit::iban_check_digits("DE", bban);
    iban[2..4].copy_from_slice(&digits::<2>(check as u64));
    if format == PRINT {
        for (i, chunk) in iban.chunks(4).enumerate() {
            if i > 0 {
                out.extend_ascii(b" ");
            }
            out.extend_ascii(chunk);
        }
    } else {
        out.extend_ascii(&iban);
    }
}

/// Accepts the compact and print forms, in either case, when the check digits are valid.
pub(super) fn is_reserved(value: &str) -> bool {
    let Some(c) = Compact::<34>::new(value, |b| matches!(b, b' ' | b'\t'), |b| b.is_ascii_alphanumeric()) else {
        return false;
    };
    let b = c.as_bytes();
    b.len() == 22
        && b.starts_with(b"DE")
        && b[4] == b'0'
        && b[2..].iter().all(u8::is_ascii_digit)
        && std::str::from_utf8(b).is_ok_and(checkdigit::iban_valid)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::render;
    use super::super::{is_reserved, Kind, Space};
    use super::*;

    #[test]
    fn formats() {
        let w = |f, k| render(&Space::new(Kind::Iban, Some(f)).unwrap(), k);
        let first = w("compact", 0);
        assert!(first.starts_with("DE") && first.ends_with("000000000000000000"), "{first}");
        assert!(checkdigit::iban_valid(&first));
        assert_eq!(
            w("print", 0),
            format!(
                "{} {} {} {} {} {}",
                &first[..4],
                &first[4..8],
                &first[8..12],
                &first[12..16],
                &first[16..20],
                &first[20..]
            )
        );
        let last = w("compact", Country::De.size() - 1);
        assert_eq!(&last[4..], "099999999999999999");
        // Bankleitzahl 01234567, account 7890123456.
        let v = w("compact", 12_345_677_890_123_456);
        assert_eq!(&v[4..], "012345677890123456");
        assert!(checkdigit::iban_valid(&v), "{v}");
    }

    #[test]
    fn accepts_variants() {
        let v = render(&Space::new_iban("DE", false).unwrap(), 42);
        assert!(is_reserved(Kind::Iban, &v));
        assert!(is_reserved(Kind::Iban, &v.to_ascii_lowercase()));
        let spaced = render(&Space::new_iban("DE", true).unwrap(), 42);
        assert!(is_reserved(Kind::Iban, &spaced));
        assert!(is_reserved(Kind::Iban, &format!(" {} ", spaced.to_ascii_lowercase())));
    }

    #[test]
    fn rejects_assignable_bank_codes_and_bad_check_digits() {
        let v = render(&Space::new_iban("DE", false).unwrap(), 42);
        let mut wrong = v.clone().into_bytes();
        wrong[21] = if wrong[21] == b'9' { b'8' } else { wrong[21] + 1 };
        for bad in [
            "DE89370400440532013000".to_string(), // the registry example: bank code starts with 3
            "GB82WEST12345698765432".to_string(), // another country
            String::from_utf8(wrong).unwrap(),    // one digit changed
            format!("{v}0"),
            v[..21].to_string(),
            v.replace("DE", "DX"),
            String::new(),
        ] {
            assert!(!is_reserved(Kind::Iban, &bad), "{bad}");
        }
    }
}
