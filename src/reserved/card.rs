//! Payment card numbers that payment processors publish as test numbers.
//!
//! No card network documents a reserved range of test PANs that we could find (ISO/IEC 7812
//! reserves none), so the space is the fixed list below: numbers that processors publish in
//! their sandbox documentation, which are accepted only in test mode and are so widely known
//! that production fraud screening treats them as test data. All are Luhn-valid (checked in
//! the tests). The space is small (35 values): it suits columns that need a realistic-looking
//! card, not unique cards.

use super::Compact;
use crate::batch::StrBuf;

pub(super) const FORMATS: &[&str] = &["plain", "spaced", "dashed"];

const PLAIN: u8 = 0;
const SPACED: u8 = 1;

const CARDS: [&str; 35] = [
    // Stripe, "Testing" (docs.stripe.com/testing), card numbers by brand.
    "4242424242424242",    // Visa
    "4000056655665556",    // Visa (debit)
    "5555555555554444",    // Mastercard
    "2223003122003222",    // Mastercard (2-series)
    "5200828282828210",    // Mastercard (debit)
    "5105105105105100",    // Mastercard (prepaid)
    "378282246310005",     // American Express
    "371449635398431",     // American Express
    "6011111111111117",    // Discover
    "6011000990139424",    // Discover
    "6011981111111113",    // Discover (debit)
    "3056930009020004",    // Diners Club
    "36227206271667",      // Diners Club (14 digits)
    "6555900000604105",    // BCcard and DinaCard
    "3566002020360505",    // JCB
    "6200000000000005",    // UnionPay
    "6200000000000047",    // UnionPay (debit)
    "6205500000000000004", // UnionPay (19 digits)
    // Braintree, "Testing and Go Live" sandbox card numbers (developer.paypal.com/braintree).
    "4111111111111111", // Visa
    "4005519200000004", // Visa
    "4009348888881881", // Visa
    "4012000033330026", // Visa
    "4012000077777777", // Visa
    "4012888888881881", // Visa
    "4217651111111119", // Visa
    "4500600000000061", // Visa
    "2223000048400011", // Mastercard (2-series)
    "6304000000000000", // Maestro
    "36259600000004",   // Diners Club (14 digits)
    "3530111333300000", // JCB
    // PayPal, "Test Payflow Transactions" (developer.paypal.com/docs/payflow/payflow-pro/
    // payflow-pro-testing) and PayPal Manager's "Test Credit Card Account Numbers".
    "4222222222222",   // Visa (13 digits)
    "378734493671000", // American Express Corporate
    "30569309025904",  // Diners Club (14 digits)
    "38520000023237",  // Diners Club (14 digits)
    // Cybersource test card numbers (developer.cybersource.com).
    "3566111111111113", // JCB
];

pub(super) const SIZE: u64 = CARDS.len() as u64;

/// Digit groups as printed on the card: Amex 4-6-5, 14-digit Diners 4-6-4, others fours.
fn groups(len: usize) -> &'static [usize] {
    match len {
        13 => &[4, 4, 5],
        14 => &[4, 6, 4],
        15 => &[4, 6, 5],
        19 => &[4, 4, 4, 4, 3],
        _ => &[4, 4, 4, 4],
    }
}

pub(super) fn write(k: u64, format: u8, out: &mut StrBuf) {
    let pan = CARDS[k as usize].as_bytes();
    if format == PLAIN {
        out.extend_ascii(pan);
        return;
    }
    let sep: &[u8] = if format == SPACED { b" " } else { b"-" };
    let mut at = 0;
    for (i, &len) in groups(pan.len()).iter().enumerate() {
        if i > 0 {
            out.extend_ascii(sep);
        }
        out.extend_ascii(&pan[at..at + len]);
        at += len;
    }
}

/// Accepts the listed numbers with or without spaces and dashes.
pub(super) fn is_reserved(value: &str) -> bool {
    let Some(c) = Compact::<19>::new(value, super::is_space_or_dash, |b| b.is_ascii_digit()) else {
        return false;
    };
    // Each card as (digits, number): the gate asks this of every card cell, and comparing
    // numbers is cheaper than comparing 35 strings.
    static NUMBERS: std::sync::LazyLock<Vec<(usize, u64)>> =
        std::sync::LazyLock::new(|| CARDS.iter().map(|p| (p.len(), number(p.as_bytes()))).collect());
    let digits = c.as_bytes();
    let n = number(digits);
    NUMBERS.iter().any(|&(len, m)| len == digits.len() && m == n)
}

/// The number that up to 19 ASCII digits write (19 digits fit in a `u64`).
fn number(digits: &[u8]) -> u64 {
    digits.iter().fold(0u64, |n, &d| n * 10 + u64::from(d - b'0'))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::render;
    use super::super::{is_reserved, Kind, Space};
    use super::*;
    use crate::checkdigit::luhn_valid;

    #[test]
    fn every_listed_number_is_luhn_valid_and_listed_once() {
        for (i, pan) in CARDS.iter().enumerate() {
            assert!(luhn_valid(pan), "{pan}");
            assert_eq!(groups(pan.len()).iter().sum::<usize>(), pan.len(), "{pan}");
            assert!(!CARDS[..i].contains(pan), "{pan} listed twice");
        }
    }

    #[test]
    fn formats() {
        let w = |f, k| render(&Space::new(Kind::CardNumber, Some(f)).unwrap(), k);
        assert_eq!(w("plain", 0), "4242424242424242");
        assert_eq!(w("spaced", 0), "4242 4242 4242 4242");
        assert_eq!(w("dashed", 0), "4242-4242-4242-4242");
        assert_eq!(w("spaced", 6), "3782 822463 10005");
        assert_eq!(w("spaced", 12), "3622 720627 1667");
        assert_eq!(w("spaced", 17), "6205 5000 0000 0000 004");
        assert_eq!(w("dashed", 30), "4222-2222-22222");
    }

    #[test]
    fn accepts_variants() {
        for v in ["4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "3782 822463 10005"] {
            assert!(is_reserved(Kind::CardNumber, v), "{v}");
        }
    }

    #[test]
    fn rejects_other_luhn_valid_numbers() {
        // Invented Luhn-valid numbers: valid-looking is not the same as a published test number.
        for v in ["4111111111111129", "4242424242424259", "5555555555554451", "79927398713"] {
            assert!(luhn_valid(v), "{v}");
            assert!(!is_reserved(Kind::CardNumber, v), "{v}");
        }
        for v in ["4111111111111112", "4111.1111.1111.1111", "41111111111111110000", ""] {
            assert!(!is_reserved(Kind::CardNumber, v), "{v}");
        }
    }
}
