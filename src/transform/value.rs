//! The transforms of one value that need no dictionary: mask, keyed hash, generalisation and
//! keyed date shifts. Each appends to the value being built and says whether it could; a value
//! it cannot read (a date that is not a date) becomes null — never left as it was.

use std::io::Write as _;

use crate::batch::StrBuf;
use crate::temporal::{civil_from_days, write_date};

use super::keyed::ScrubKey;
use super::pseudonym::hex;

/// How a keyed hash is written. (No base64: its `-` and `_` would cut a hash into words,
/// and a word could pass for an identifier.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Hex,
    /// RFC 4648 base32, lower case, no padding.
    Base32,
}

impl Encoding {
    pub fn parse(s: &str) -> Option<Encoding> {
        match s {
            "hex" => Some(Encoding::Hex),
            "base32" => Some(Encoding::Base32),
            _ => None,
        }
    }
}

/// Makes a run of hash characters unable to pass for an identifier the gate checks: it starts
/// with a digit (IBANs, NINOs and postcodes start with letters) and holds a letter (cards,
/// phones and NHS numbers are digits only, and a letter right after digits is no word
/// boundary). Which digit or letter replaces a character is chosen by that character, so the
/// result is as consistent as the hash.
pub(crate) fn unlike_identifiers(run: &mut [u8], digits: &[u8]) {
    let Some(first) = run.first_mut() else { return };
    if !first.is_ascii_digit() {
        *first = digits[(*first as usize) % digits.len()];
    }
    if run.iter().all(u8::is_ascii_digit) {
        let last = run.len() - 1;
        run[last] = b'a' + run[last] % 6;
    }
}

/// Keeps the first `first` and last `last` characters; every other letter or digit becomes
/// `with`. Punctuation and spaces stay, so a masked value keeps its shape.
pub fn mask(value: &str, first: usize, last: usize, with: char, out: &mut StrBuf) {
    let n = value.chars().count();
    for (i, c) in value.chars().enumerate() {
        if i < first || i + last >= n || !c.is_alphanumeric() {
            out.extend_char(c);
        } else {
            out.extend_char(with);
        }
    }
}

/// `HMAC-SHA256(key, value)`, encoded, cut to `length` characters when given.
pub fn hash(key: &ScrubKey, value: &str, encoding: Encoding, length: Option<usize>, out: &mut StrBuf) {
    let d = key.digest("hash", value.as_bytes());
    out.extend_with(|o| {
        let start = o.len();
        match encoding {
            Encoding::Hex => hex(&d, o),
            Encoding::Base32 => base32(&d, o),
        }
        if let Some(l) = length {
            o.truncate((start + l).min(o.len()));
        }
        let digits: &[u8] = if encoding == Encoding::Hex { b"0123456789" } else { b"234567" };
        unlike_identifiers(&mut o[start..], digits);
    });
}

fn base32(bytes: &[u8], out: &mut Vec<u8>) {
    const A: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let (mut acc, mut bits) = (0u32, 0);
    for &b in bytes {
        acc = (acc << 8) | b as u32;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(A[((acc >> bits) & 31) as usize]);
        }
    }
    if bits > 0 {
        out.push(A[((acc << (5 - bits)) & 31) as usize]);
    }
}

/// The date a value starts with (`YYYY-MM-DD`, alone or followed by a time), as days.
fn leading_date(value: &str) -> Option<(i64, &str)> {
    let v = value.trim();
    let (date, rest) = (v.get(..10)?, &v[10..]);
    if !rest.is_empty() && !matches!(rest.as_bytes()[0], b'T' | b't' | b' ') {
        return None;
    }
    let days = crate::temporal::parse_date(date)? as i64;
    Some((days, rest))
}

/// `YYYY` of a date or timestamp.
pub fn year(value: &str, out: &mut StrBuf) -> bool {
    let Some((days, _)) = leading_date(value) else { return false };
    let (y, _, _) = civil_from_days(days);
    out.extend_with(|o| {
        let _ = write!(o, "{y}");
    });
    true
}

/// `YYYY-MM` of a date or timestamp.
pub fn month(value: &str, out: &mut StrBuf) -> bool {
    let Some((days, _)) = leading_date(value) else { return false };
    let (y, m, _) = civil_from_days(days);
    out.extend_with(|o| {
        let _ = write!(o, "{y:04}-{m:02}");
    });
    true
}

/// The age band of a date of birth on `as_of` (days): `30-39` for width 10; `top+` from `top`.
pub fn age_band(value: &str, as_of: i64, width: u32, top: Option<u32>, out: &mut StrBuf) -> bool {
    let Some((born, _)) = leading_date(value) else { return false };
    if born > as_of {
        return false;
    }
    let (by, bm, bd) = civil_from_days(born);
    let (y, m, d) = civil_from_days(as_of);
    let age = (y - by - i64::from((m, d) < (bm, bd))) as u32;
    out.extend_with(|o| {
        let _ = match top {
            Some(t) if age >= t => write!(o, "{t}+"),
            _ if width == 1 => write!(o, "{age}"),
            _ => {
                let lo = age / width * width;
                write!(o, "{lo}-{}", lo + width - 1)
            }
        };
    });
    true
}

/// The outward code of a UK postcode (`SW1A 1AA` → `SW1A`); the first three digits of a US
/// ZIP code.
pub fn outward_code(value: &str, out: &mut StrBuf) -> bool {
    let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let b = compact.as_bytes();
    let zip = (b.len() == 5 && b.iter().all(u8::is_ascii_digit))
        || (b.len() == 10 && b[5] == b'-' && b.iter().enumerate().all(|(i, c)| i == 5 || c.is_ascii_digit()));
    if zip {
        out.extend(&compact[..3]);
        return true;
    }
    let uk = (5..=7).contains(&b.len())
        && b[0].is_ascii_alphabetic()
        && b.iter().all(u8::is_ascii_alphanumeric)
        && b[b.len() - 3].is_ascii_digit()
        && b[b.len() - 2].is_ascii_alphabetic()
        && b[b.len() - 1].is_ascii_alphabetic();
    if uk {
        out.extend(&compact[..b.len() - 3]);
        return true;
    }
    false
}

/// A number rounded down to a multiple of `width`, written like the input (an integer stays an
/// integer when the result is one).
pub fn bucket(value: &str, width: f64, out: &mut StrBuf) -> bool {
    let Ok(x) = value.trim().parse::<f64>() else { return false };
    if !x.is_finite() {
        return false;
    }
    let lo = (x / width).floor() * width;
    if lo.fract() == 0.0 && lo.abs() < 9.0e15 {
        out.extend(itoa::Buffer::new().format(lo as i64));
    } else {
        let mut b = ryu::Buffer::new();
        out.extend(b.format(lo));
    }
    true
}

/// The keyed offset in days, in `[-max_days, max_days]` without 0, of one entity (`by`).
pub fn shift_days(key: &ScrubKey, by: &str, max_days: u32) -> i64 {
    let span = 2 * max_days as u64;
    let k = (key.number("shift_dates", by.as_bytes()) % span) as i64;
    if k < max_days as i64 {
        k - max_days as i64
    } else {
        k - max_days as i64 + 1
    }
}

/// Moves the date a value starts with by `days`; a time after it stays as written.
pub fn shift(value: &str, days: i64, out: &mut StrBuf) -> bool {
    let Some((d, rest)) = leading_date(value) else { return false };
    let lead = &value[..value.len() - value.trim_start().len()];
    out.extend(lead);
    out.extend_with(|o| write_date((d + days) as i32, o));
    out.extend(rest);
    out.extend(&value[lead.len() + 10 + rest.len()..]);
    true
}

/// `as_of` for age bands: a `YYYY-MM-DD` date as days.
pub fn parse_day(s: &str) -> Option<i64> {
    crate::temporal::parse_date(s).map(i64::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transform::keyed::test_key;

    fn run(f: impl FnOnce(&mut StrBuf) -> bool) -> Option<String> {
        let mut out = StrBuf::default();
        f(&mut out).then(|| out.current().to_string())
    }

    #[test]
    fn mask_keeps_ends_and_punctuation() {
        let mut out = StrBuf::default();
        mask("4556 7375 8689 9855", 4, 4, '*', &mut out);
        assert_eq!(out.current(), "4556 **** **** 9855");
        out.discard_current();
        mask("jo@x.test", 1, 0, '#', &mut out);
        assert_eq!(out.current(), "j#@#.####");
    }

    #[test]
    fn hash_is_keyed_encoded_and_truncated() {
        let k = test_key(3);
        let h = |v: &str, e, l| {
            let mut out = StrBuf::default();
            hash(&k, v, e, l, &mut out);
            out.current().to_string()
        };
        // Short hashes start with a digit and hold a letter: never an IBAN, card or phone shape.
        for i in 0..20_000 {
            let v = h(&i.to_string(), Encoding::Hex, Some(8));
            assert!(v.as_bytes()[0].is_ascii_digit() && v.bytes().any(|b| b.is_ascii_alphabetic()), "{v}");
        }
        let full = h("x@mailbox.test", Encoding::Hex, None);
        assert_eq!(full.len(), 64);
        assert!(full.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(h("x@mailbox.test", Encoding::Hex, Some(16)), full[..16]);
        assert_eq!(h("x@mailbox.test", Encoding::Base32, None).len(), 52);

        // Not an unsalted hash: sha256 of the value would be this, and it is not.
        let plain: String = {
            use sha2::Digest;
            sha2::Sha256::digest(b"x@mailbox.test").iter().map(|b| format!("{b:02x}")).collect()
        };
        assert_ne!(full, plain);
        let mut other = StrBuf::default();
        hash(&test_key(4), "x@mailbox.test", Encoding::Hex, None, &mut other);
        assert_ne!(other.current(), full);
    }

    #[test]
    fn dates_generalise_to_year_month_and_age_band() {
        assert_eq!(run(|o| year("1984-07-21", o)).as_deref(), Some("1984"));
        assert_eq!(run(|o| month("1984-07-21T10:00:00Z", o)).as_deref(), Some("1984-07"));
        assert_eq!(run(|o| year("21/07/1984", o)), None);
        let as_of = parse_day("2026-07-20").unwrap();
        assert_eq!(run(|o| age_band("1984-07-21", as_of, 10, None, o)).as_deref(), Some("40-49"));
        assert_eq!(run(|o| age_band("1986-07-21", as_of, 10, None, o)).as_deref(), Some("30-39"));
        assert_eq!(run(|o| age_band("1930-01-01", as_of, 10, Some(90), o)).as_deref(), Some("90+"));
        assert_eq!(run(|o| age_band("2030-01-01", as_of, 10, None, o)), None);
    }

    #[test]
    fn postcodes_keep_their_outward_code() {
        assert_eq!(run(|o| outward_code("SW1A 1AA", o)).as_deref(), Some("SW1A"));
        assert_eq!(run(|o| outward_code("m11ae", o)).as_deref(), Some("M1"));
        assert_eq!(run(|o| outward_code("94105", o)).as_deref(), Some("941"));
        assert_eq!(run(|o| outward_code("not a postcode", o)), None);
    }

    #[test]
    fn numbers_round_down_to_their_bucket() {
        assert_eq!(run(|o| bucket("1234.56", 100.0, o)).as_deref(), Some("1200"));
        assert_eq!(run(|o| bucket("-5", 10.0, o)).as_deref(), Some("-10"));
        assert_eq!(run(|o| bucket("0.37", 0.25, o)).as_deref(), Some("0.25"));
        assert_eq!(run(|o| bucket("n/a", 10.0, o)), None);
    }

    #[test]
    fn shifts_are_keyed_per_entity_nonzero_and_keep_the_time() {
        let k = test_key(b'k');
        let d = shift_days(&k, "customer-17", 30);
        assert!(d != 0 && (-30..=30).contains(&d));
        assert_eq!(d, shift_days(&k, "customer-17", 30));
        let spread: std::collections::HashSet<i64> = (0..200).map(|i| shift_days(&k, &i.to_string(), 30)).collect();
        assert!(spread.len() > 40, "{}", spread.len());
        assert_eq!(run(|o| shift("2024-03-01", 3, o)).as_deref(), Some("2024-03-04"));
        assert_eq!(run(|o| shift("2024-02-28T23:10:00+02:00", 2, o)).as_deref(), Some("2024-03-01T23:10:00+02:00"));
        assert_eq!(run(|o| shift("2024-01-01 08:00", -1, o)).as_deref(), Some("2023-12-31 08:00"));
        assert_eq!(run(|o| shift("yesterday", 1, o)), None);
    }
}
