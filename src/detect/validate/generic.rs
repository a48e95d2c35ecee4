//! Validators for identifiers that belong to no one country: email addresses, international
//! phone numbers, payment cards, IBANs, IP and MAC addresses, and the bare check-digit
//! algorithms (`luhn`, `mod97`) for user rules. Also the digit-group parser the other
//! families share.

use std::net::Ipv6Addr;

use super::Validator;
use crate::checkdigit;

pub const VALIDATORS: &[(&str, Validator)] = &[
    ("luhn", luhn),
    ("mod97", mod97),
    ("email", email),
    ("phone_e164", phone_e164),
    ("card_number", card_number),
    ("iban", iban),
    ("ipv4", ipv4),
    ("ipv4_private", ipv4_private),
    ("phone_national", phone_national),
    ("ipv6", ipv6),
    ("mac_address", mac_address),
];

/// The digit groups of a match such as `4111 1111 1111 1111` or `943-476-5919`, on the stack.
pub(super) struct Groups {
    digits: [u8; 32],
    len: usize,
    lens: [u8; 8],
    count: usize,
}

impl Groups {
    /// `None` unless `s` is ASCII digits in at most 8 groups of at most 32 digits in all,
    /// joined by single separators from `seps`, all the same one.
    pub(super) fn parse(s: &str, seps: &[u8]) -> Option<Groups> {
        let mut g = Groups { digits: [0; 32], len: 0, lens: [0; 8], count: 1 };
        let mut sep = None;
        for b in s.bytes() {
            if b.is_ascii_digit() {
                if g.len == 32 {
                    return None;
                }
                g.digits[g.len] = b;
                g.len += 1;
                g.lens[g.count - 1] += 1;
            } else if seps.contains(&b) && *sep.get_or_insert(b) == b && g.lens[g.count - 1] > 0 && g.count < 8 {
                g.count += 1;
            } else {
                return None;
            }
        }
        (g.lens[g.count - 1] > 0).then_some(g)
    }

    pub(super) fn digits(&self) -> &[u8] {
        &self.digits[..self.len]
    }

    /// The digits as a string, for the `checkdigit` functions.
    pub(super) fn as_str(&self) -> &str {
        // Only ASCII digits are stored.
        std::str::from_utf8(self.digits()).unwrap_or("")
    }

    /// Length of each group, in order.
    pub(super) fn lens(&self) -> &[u8] {
        &self.lens[..self.count]
    }
}

/// The number `digits` spell (at most 9 of them, so it fits).
pub(super) fn number(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |n, &d| n * 10 + (d - b'0') as u32)
}

/// Luhn over the digits of the match, whatever separates them.
fn luhn(s: &str) -> bool {
    super::digits(s).is_some_and(|(d, n)| checkdigit::luhn_valid(std::str::from_utf8(&d[..n]).unwrap_or("")))
}

/// ISO 13616 mod 97 over the match without spaces, in either case; no length table.
fn mod97(s: &str) -> bool {
    let mut buf = [0u8; 34];
    let mut n = 0;
    for b in s.bytes().filter(|&b| b != b' ') {
        if n == buf.len() {
            return false;
        }
        buf[n] = b.to_ascii_uppercase();
        n += 1;
    }
    std::str::from_utf8(&buf[..n]).is_ok_and(checkdigit::iban_valid)
}

/// Endings of file names that the email regex reads as a top-level domain (`logo@2x.png`)
/// and that are not delegated TLDs (`.zip` and `.mov` are, so they stay).
const FILE_EXTENSIONS: &[&str] = &[
    "bmp", "css", "csv", "dll", "exe", "gif", "gz", "heic", "htm", "html", "ico", "jpeg", "jpg", "js", "json", "lock",
    "log", "pdf", "png", "svg", "tgz", "tif", "tiff", "txt", "webp", "xml", "yaml", "yml",
];

static EXTENSIONS: super::WordSet = super::WordSet::new(|| super::word_set(FILE_EXTENSIONS));

/// An address of RFC 5321's shape: local part of at most 64 characters without leading,
/// trailing or doubled dots; domain labels of 1 to 63 characters not starting or ending with
/// a hyphen; an alphabetic top-level label that is not a file extension.
fn email(s: &str) -> bool {
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    // The rule's regex takes any non-ASCII character into the local part (a Unicode class would
    // slow every scan): punctuation glued before the address (`—jo@…`) is not part of it, and
    // beyond ASCII only letters, digits and marks are: the address starts after the last other
    // character (`jo—x@…` holds `x@…`).
    let local = if local.is_ascii() {
        local
    } else {
        local.rsplit(|c: char| !c.is_ascii() && !c.is_alphanumeric() && !is_mark(c)).next().unwrap_or("")
    };
    if local.is_empty() || local.len() > 64 || s.len() > 254 {
        return false;
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return false;
    }
    let Some((_, tld)) = domain.rsplit_once('.') else {
        return false;
    };
    tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && !super::one_of(&EXTENSIONS, tld)
        && domain.split('.').all(|l| (1..=63).contains(&l.len()) && !l.starts_with('-') && !l.ends_with('-'))
}

/// A combining mark (an accent written apart from its letter), by the blocks that hold them.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// `+` and a country code, then the number with spaces, dots, dashes, one pair of brackets
/// and the UK habit `(0)`: 10 to 15 digits in all (E.164 allows 15), North American numbers
/// valid under the NANP, UK ones with a 10-digit national number (9 in some 01 areas) not
/// starting 0, 4 or 6.
fn phone_e164(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('+') else {
        return false;
    };
    let b = rest.as_bytes();
    let mut d = [0u8; 15];
    let mut n = 0;
    let mut open = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'0'..=b'9' => {
                if n == d.len() {
                    return false;
                }
                d[n] = b[i];
                n += 1;
            }
            b' ' | b'.' | b'-' => {}
            b'(' if n > 0 && b[i..].starts_with(b"(0)") => i += 2,
            b'(' if !open => open = true,
            b')' if open => open = false,
            _ => return false,
        }
        i += 1;
    }
    let d = &d[..n];
    if open || n < 10 {
        return false;
    }
    match d {
        [b'0', ..] => false,
        [b'1', nanp @ ..] => super::us::nanp(nanp),
        [b'4', b'4', nsn @ ..] => {
            // "+44 020 …" is a common slip for "+44 20 …".
            let nsn = nsn.strip_prefix(b"0").unwrap_or(nsn);
            // Ten digits; nine only in a few 01 areas with five-digit local numbers.
            (nsn.len() == 10 || nsn.len() == 9 && nsn[0] == b'1')
                && matches!(nsn[0], b'1' | b'2' | b'3' | b'5' | b'7' | b'8' | b'9')
        }
        _ => true,
    }
}

/// Lengths a card brand issues, as a bit set (bit n: n digits).
const fn lengths(min: u32, max: u32) -> u32 {
    (u32::MAX >> (31 - max)) & !((1 << min) - 1)
}

/// Issuer identification ranges (ISO/IEC 7812): first `k` digits in `lo..=hi`, and lengths.
const IIN: &[(u32, u32, usize, u32)] = &[
    (4, 4, 1, 1 << 13 | 1 << 16 | 1 << 19), // Visa
    (51, 55, 2, 1 << 16),                   // Mastercard
    (2221, 2720, 4, 1 << 16),               // Mastercard 2-series
    (34, 34, 2, 1 << 15),                   // American Express
    (37, 37, 2, 1 << 15),                   // American Express
    (6011, 6011, 4, lengths(16, 19)),       // Discover
    (644, 649, 3, lengths(16, 19)),         // Discover
    (65, 65, 2, lengths(16, 19)),           // Discover
    (3528, 3589, 4, lengths(16, 19)),       // JCB
    (300, 305, 3, lengths(14, 19)),         // Diners Club
    (3095, 3095, 4, lengths(14, 19)),       // Diners Club
    (36, 36, 2, lengths(14, 19)),           // Diners Club
    (38, 39, 2, lengths(14, 19)),           // Diners Club
    (62, 62, 2, lengths(16, 19)),           // UnionPay (and Discover's 622126–622925)
    (5018, 5018, 4, lengths(12, 19)),       // Maestro
    (5020, 5020, 4, lengths(12, 19)),       // Maestro
    (5038, 5038, 4, lengths(12, 19)),       // Maestro
    (5893, 5893, 4, lengths(12, 19)),       // Maestro
    (6304, 6304, 4, lengths(12, 19)),       // Maestro
    (6759, 6759, 4, lengths(12, 19)),       // Maestro
    (6761, 6763, 4, lengths(12, 19)),       // Maestro
];

/// Whether the GS1 check digit (EAN-13, UPC-A) is valid: weights 3 and 1 from the right.
fn gs1_valid(d: &[u8]) -> bool {
    let Some((&check, body)) = d.split_last() else {
        return false;
    };
    let sum: u32 =
        body.iter().rev().enumerate().map(|(i, &c)| (c - b'0') as u32 * if i % 2 == 0 { 3 } else { 1 }).sum();
    (10 - sum % 10) % 10 == (check - b'0') as u32
}

/// A payment card number: 12 to 19 digits, plain or grouped as cards print them (fours;
/// Amex 4-6-5; Diners 4-6-4), one separator throughout; a brand's IIN range and length;
/// Luhn. Plain 12- and 13-digit numbers that carry a valid GS1 check digit are taken for
/// UPC-A/EAN-13 barcodes: 13-digit Visa cards are no longer issued, and Maestro is rare.
fn card_number(s: &str) -> bool {
    let Some(g) = Groups::parse(s, b" -") else {
        return false;
    };
    let d = g.digits();
    let grouping = match g.lens() {
        [_] | [4, 6, 4] | [4, 6, 5] => true,
        [4, fours @ .., last] => !fours.is_empty() && fours.iter().all(|&l| l == 4) && (3..=5).contains(last),
        _ => false,
    };
    if !(12..=19).contains(&d.len()) || !grouping {
        return false;
    }
    let brand = IIN.iter().any(|&(lo, hi, k, lens)| (lo..=hi).contains(&number(&d[..k])) && lens >> d.len() & 1 == 1);
    let barcode = g.lens().len() == 1 && d.len() <= 13 && gs1_valid(d);
    brand && !barcode && checkdigit::luhn_valid(g.as_str())
}

/// IBAN length by country: the SWIFT IBAN Registry, with the countries added up to 2025
/// (BI, DJ, FK, HN, LY, MN, NI, OM, RU, SD, SO, YE).
#[rustfmt::skip]
const IBAN_LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AD", 24), (b"AE", 23), (b"AL", 28), (b"AT", 20), (b"AZ", 28), (b"BA", 20), (b"BE", 16), (b"BG", 22),
    (b"BH", 22), (b"BI", 27), (b"BR", 29), (b"BY", 28), (b"CH", 21), (b"CR", 22), (b"CY", 28), (b"CZ", 24),
    (b"DE", 22), (b"DJ", 27), (b"DK", 18), (b"DO", 28), (b"EE", 20), (b"EG", 29), (b"ES", 24), (b"FI", 18),
    (b"FK", 18), (b"FO", 18), (b"FR", 27), (b"GB", 22), (b"GE", 22), (b"GI", 23), (b"GL", 18), (b"GR", 27),
    (b"GT", 28), (b"HN", 28), (b"HR", 21), (b"HU", 28), (b"IE", 22), (b"IL", 23), (b"IQ", 23), (b"IS", 26),
    (b"IT", 27), (b"JO", 30), (b"KW", 30), (b"KZ", 20), (b"LB", 28), (b"LC", 32), (b"LI", 21), (b"LT", 20),
    (b"LU", 20), (b"LV", 21), (b"LY", 25), (b"MC", 27), (b"MD", 24), (b"ME", 22), (b"MK", 19), (b"MN", 20),
    (b"MR", 27), (b"MT", 31), (b"MU", 30), (b"NI", 28), (b"NL", 18), (b"NO", 15), (b"OM", 23), (b"PK", 24),
    (b"PL", 28), (b"PS", 29), (b"PT", 25), (b"QA", 29), (b"RO", 24), (b"RS", 22), (b"RU", 33), (b"SA", 24),
    (b"SC", 31), (b"SD", 18), (b"SE", 24), (b"SI", 19), (b"SK", 24), (b"SM", 27), (b"SO", 23), (b"ST", 25),
    (b"SV", 28), (b"TL", 23), (b"TN", 24), (b"TR", 26), (b"UA", 29), (b"VA", 22), (b"VG", 24), (b"XK", 20),
    (b"YE", 30),
];

/// An IBAN, compact or in print form (groups of four), either case: the registry length for
/// its country and the mod-97 check. A print-form match may run on into a following word of
/// four characters ("… 7034 paid"); the IBAN then ends at the group boundary.
fn iban(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 4 {
        return false;
    }
    let country = [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()];
    let Some(&(_, len)) = IBAN_LENGTHS.iter().find(|(c, _)| **c == country) else {
        return false;
    };
    let print = b.contains(&b' ');
    let mut buf = [0u8; 34];
    let mut n = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b' ' {
            continue;
        }
        if n == len {
            if !(print && b[i - 1] == b' ') {
                return false;
            }
            break;
        }
        if !c.is_ascii_alphanumeric() {
            return false;
        }
        buf[n] = c.to_ascii_uppercase();
        n += 1;
    }
    n == len && std::str::from_utf8(&buf[..n]).is_ok_and(checkdigit::iban_valid)
}

/// A public address of a host that could be someone's: [`ipv4_any`], and not private
/// (10/8, 172.16/12, 192.168/16) or link-local (169.254/16). A private address names a host
/// only inside its own network: pods, proxies and printers in a service log. A rule with
/// context (`Login from 10.2.3.4`, a `client_ip` column) reports those with `ipv4_any`.
fn ipv4(s: &str) -> bool {
    if !ipv4_any(s) {
        return false;
    }
    let mut o = s.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (a, b) = (o.next().unwrap_or(0), o.next().unwrap_or(0));
    !(a == 10 || (a == 172 && (16..32).contains(&b)) || (a == 192 && b == 168) || (a == 169 && b == 254))
}

/// A national phone number of another country than the UK and US: 9 to 12 digits in all (a trunk 0 counts), in groups of two to
/// four with one kind of separator (spaces may double), not one digit repeated, not a date
/// (`2024-05-13`), and not a number with a decimal part.
fn phone_national(s: &str) -> bool {
    // UK and US numbers are the phone-uk and phone-us rules' (and their reserved ranges).
    if super::uk::phone_uk(s) || super::us::phone_us(s) {
        return false;
    }
    let Some((d, n)) = super::digits(s) else { return false };
    if !(9..=12).contains(&n) || d[..n].iter().all(|&c| c == d[0]) {
        return false;
    }
    let seps: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_digit() && !matches!(b, b'(' | b')' | b' ')).collect();
    if seps.windows(2).any(|w| w[0] != w[1]) {
        return false;
    }
    // A year first, then month and day: a date with a time, not a phone.
    let b = s.as_bytes();
    let year_first = b.len() > 5
        && b[..4].iter().all(u8::is_ascii_digit)
        && matches!(&b[..2], b"19" | b"20")
        && !b[4].is_ascii_digit();
    !year_first
}

/// The private or link-local address that ends the match (after its context words), valid as
/// [`ipv4_any`] says.
fn ipv4_private(s: &str) -> bool {
    let start = s.rfind(|c: char| !(c.is_ascii_digit() || c == '.')).map_or(0, |i| i + 1);
    let addr = &s[start..];
    ipv4_any(addr) && !ipv4(addr)
}

/// A dotted quad of a host that could be someone's: four decimal octets ≤ 255 without
/// leading zeros; not 0/8 (this network), 127/8 (loopback), 224/3 (multicast, reserved,
/// broadcast and netmasks), nor an address ending .0.0.0. The rule's regex also lets a
/// leading `v`/`version` and a fifth component in, so that version strings fail here.
fn ipv4_any(s: &str) -> bool {
    let mut octets = [0u32; 4];
    let mut parts = 0;
    for p in s.split('.') {
        let ok =
            (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) && !(p.len() > 1 && p.starts_with('0'));
        if !ok || parts == 4 {
            return false;
        }
        octets[parts] = number(p.as_bytes());
        parts += 1;
    }
    parts == 4 && octets.iter().all(|&o| o <= 255) && !matches!(octets[0], 0 | 127 | 224..) && octets[1..] != [0, 0, 0]
}

/// An IPv6 address that names a host: any RFC 4291 text form std parses (a trailing dot of
/// a sentence aside), with at least three groups written or an embedded IPv4 address
/// (`fe80::1`, `a::b` say too little), and not unspecified, loopback or multicast.
fn ipv6(s: &str) -> bool {
    let s = s.trim_end_matches('.');
    let Ok(a) = s.parse::<Ipv6Addr>() else {
        return false;
    };
    let written = s.split(':').filter(|g| !g.is_empty()).count();
    (written >= 3 || s.contains('.')) && !a.is_unspecified() && !a.is_loopback() && !a.is_multicast()
}

/// An IEEE 802 MAC-48 address: six hex pairs joined by one separator (`:` or `-`), or Cisco's
/// three dotted groups of four; not
/// all-zero, not a group address (multicast bit set, which includes broadcast).
fn mac_address(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() == 14 && b[4] == b'.' && b[9] == b'.' {
        // Cisco's 3c22.fb7a.109e: three groups of four, digits and letters both (not the hex
        // words of `cafe.beef.dead`, nor a dotted number such as `2024.1103.1200`).
        let hex: Vec<u8> = b.iter().copied().filter(|&c| c != b'.').collect();
        let mixed = hex.iter().any(u8::is_ascii_digit) && hex.iter().any(u8::is_ascii_alphabetic);
        if hex.len() != 12 || !hex.iter().all(u8::is_ascii_hexdigit) || !mixed {
            return false;
        }
        let v = |i: usize| (hex[i] as char).to_digit(16).unwrap_or(0);
        let first = v(0) * 16 + v(1);
        return hex.iter().any(|&c| c != b'0') && first & 1 == 0;
    }
    if b.len() != 17 || !matches!(b[2], b':' | b'-') {
        return false;
    }
    let hex = |c: u8| (c as char).to_digit(16);
    let mut octets = [0u32; 6];
    for (i, o) in octets.iter_mut().enumerate() {
        let at = i * 3;
        if i > 0 && b[at - 1] != b[2] {
            return false;
        }
        let (Some(hi), Some(lo)) = (hex(b[at]), hex(b[at + 1])) else {
            return false;
        };
        *o = hi * 16 + lo;
    }
    octets != [0; 6] && octets[0] & 1 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_parse_one_separator_throughout() {
        let g = Groups::parse("4111 1111 1111 1111", b" -").unwrap();
        assert_eq!(g.lens(), [4, 4, 4, 4]);
        assert_eq!(g.as_str(), "4111111111111111");
        assert_eq!(Groups::parse("9434765919", b" -").unwrap().lens(), [10]);
        for bad in ["4111 1111-1111 1111", "4111  1111", " 4111", "4111 ", "41a1", "", &"1".repeat(33)] {
            assert!(Groups::parse(bad, b" -").is_none(), "{bad:?}");
        }
    }

    #[test]
    fn luhn_and_mod97_on_any_separators() {
        // ISO/IEC 7812-1's worked example, and the IBAN registry's UK example.
        assert!(luhn("7992 7398 713"));
        assert!(!luhn("7992 7398 714"));
        assert!(mod97("GB82 WEST 1234 5698 7654 32"));
        assert!(mod97("gb82west12345698765432"));
        assert!(!mod97("GB82 WEST 1234 5698 7654 33"));
    }

    #[test]
    fn email_shapes() {
        for ok in [
            "jo.bloggs+news@mail.example.co.uk",
            "a@b.io",
            "first_last@sub-domain.example.com",
            "zoë.ångström@mail.example.net",
            "\u{2014}jo@example.com",
            "zoe\u{308}@example.com",
            "jo\u{2014}x@example.com",
        ] {
            assert!(email(ok), "{ok}");
        }
        for bad in [
            "logo@2x.png",
            ".jo@example.com",
            "jo.@example.com",
            "jo..x@example.com",
            "jo@example",
            "jo@-example.com",
            "jo@example-.com",
            "jo@example.c0m",
            "@example.com",
            "\u{2014}@example.com",
            "jo\u{2014}.x@example.com",
        ] {
            assert!(!email(bad), "{bad}");
        }
        assert!(!email(&format!("{}@example.com", "a".repeat(65))));
    }

    #[test]
    fn e164_numbers() {
        for ok in [
            "+44 20 7946 0123",
            "+44 (0)20 7946 0123",
            "+44 020 7946 0123",
            "+447700900123",
            "+1 (212) 555-0123",
            "+12125550123",
            "+33 1 23 45 67 89",
            "+49 30 90182000",
        ] {
            assert!(phone_e164(ok), "{ok}");
        }
        for bad in [
            "+1 (123) 555-0123", // NPA cannot start with 1
            "+1 212 155 0123",   // nor the exchange
            "+1234567890",       // +1 needs ten more digits
            "+44 6123 456789",   // no UK number starts 06
            "+44 20 7946 012",   // too short for the UK
            "+49 301234",        // under ten digits
            "+1234567890123456", // over fifteen
            "+44 (20 7946 0123", // unclosed bracket
            "44 20 7946 0123",
        ] {
            assert!(!phone_e164(bad), "{bad}");
        }
    }

    #[test]
    fn card_numbers_by_brand_length_and_luhn() {
        for ok in [
            "4111 1111 1111 1111", // Visa test number
            "4222222222222",       // Visa, 13 digits
            "5555-5555-5555-4444", // Mastercard test number
            "2223003122003222",    // Mastercard 2-series test number
            "3782 822463 10005",   // Amex test number, 4-6-5
            "36227206271667",      // Diners, 14 digits
            "6011111111111117",    // Discover
            "3530111333300000",    // JCB
            "6205500000000000004", // UnionPay, 19 digits
            "6304000000000000",    // Maestro
            "4539 1488 0343 6467", // invented Visa
            "6759 6498 2648",      // invented Maestro, 12 digits
        ] {
            assert!(card_number(ok), "{ok}");
        }
        for bad in [
            "4111 1111 1111 1112", // Luhn fails (one digit changed)
            "4111 1111-1111 1111", // mixed separators
            "41111 111 1111 1111", // not a card grouping
            "446655440000",        // UUID tail: Visa has no 12-digit numbers
            "4111111111111111111", // Visa 19 digits, Luhn fails
            "9780306406157",       // ISBN-13
            "4006381333931",       // EAN-13 with a Visa prefix (Luhn fails too)
            "4000000000006",       // EAN-13 valid and Luhn valid: a barcode, not a card
            "1234567812345670",    // no brand starts with 1
            "51051051051051005",   // Mastercard is 16 digits only (Luhn passes)
        ] {
            assert!(!card_number(bad), "{bad}");
        }
        // The 13-digit barcode above would pass as a card but for its GS1 check digit.
        assert!(checkdigit::luhn_valid("4000000000006") && gs1_valid(b"4000000000006"));
    }

    #[test]
    fn gs1_published_examples() {
        // GS1 General Specifications' check-digit examples: an EAN-13 and a UPC-A.
        assert!(gs1_valid(b"4006381333931"));
        assert!(gs1_valid(b"036000291452"));
        assert!(!gs1_valid(b"4006381333932"));
        assert!(!gs1_valid(b"036000291453"));
    }

    #[test]
    fn iban_registry_examples() {
        for ok in [
            "GB82 WEST 1234 5698 7654 32",
            "GB82WEST12345698765432",
            "gb82west12345698765432",
            "DE89 3704 0044 0532 0130 00",
            "FR14 2004 1010 0505 0001 3M02 606",
            "NL91ABNA0417164300",
            "BE68 5390 0754 7034",
            "NO9386011117947",
            "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
            "BE68 5390 0754 7034 paid", // print form running into the next word
        ] {
            assert!(iban(ok), "{ok}");
        }
        for bad in [
            "GB82 WEST 1234 5698 7654 33", // one character changed: mod 97 fails
            "GB83WEST12345698765432",
            "DE89 3704 0044 0532 0130", // too short for DE
            "DE893704004405320130001",  // compact, too long for DE
            "BE68539007547034PAID",     // compact form with a word stuck on
            "XX82WEST12345698765432",   // no such country
            "GB82-WEST-1234-5698-7654-32",
        ] {
            assert!(!iban(bad), "{bad}");
        }
    }

    #[test]
    fn ipv4_hosts() {
        for ok in ["192.0.2.10", "81.2.69.160", "223.254.253.252", "172.32.0.1", "100.64.1.2"] {
            assert!(ipv4(ok), "{ok}");
        }
        for private in ["10.2.3.4", "172.16.0.9", "172.31.255.1", "192.168.1.20", "169.254.3.4"] {
            assert!(!ipv4(private) && ipv4_any(private) && ipv4_private(private), "{private}");
            assert!(ipv4_private(&format!("client={private}")), "{private}");
        }
        assert!(!ipv4_private("client=81.2.69.160"));
        for bad in [
            "256.1.1.1",
            "01.2.3.4",
            "1.2.3",
            "1.2.3.4.5",
            "v1.2.3.4",
            "version 10.2.3.4",
            "127.0.0.1",
            "0.0.0.0",
            "255.255.255.0",
            "224.0.0.251",
            "1.0.0.0",
            "120.0.6099.109",
        ] {
            assert!(!ipv4(bad), "{bad}");
        }
    }

    #[test]
    fn ipv6_hosts() {
        for ok in
            ["2001:db8::1", "2a00:1450:4009:81f::200e", "::ffff:192.0.2.1", "fe80::1ff:fe23:4567:890a", "2001:db8::1."]
        {
            assert!(ipv6(ok), "{ok}");
        }
        for bad in ["::1", "::", "ff02::1:ff00:1", "fe80::1", "a::b", "12:34:56", "00:1a:2b:3c:4d:5e", "2001:db8::g"] {
            assert!(!ipv6(bad), "{bad}");
        }
    }

    #[test]
    fn mac_addresses() {
        for ok in ["00:1a:2b:3c:4d:5e", "3C-22-FB-7A-10-9E", "02:00:5e:10:00:01"] {
            assert!(mac_address(ok), "{ok}");
        }
        for bad in [
            "00:00:00:00:00:00",
            "ff:ff:ff:ff:ff:ff",
            "01:00:5e:00:00:fb", // multicast
            "00:1a:2b-3c:4d:5e",
            "00:1a:2b:3c:4d",
            "00:1a:2b:3c:4d:5g",
            "00:1a:2b:3c:4d:5e:6f",
        ] {
            assert!(!mac_address(bad), "{bad}");
        }
    }
}

/// The default rules built on these validators, against whole values: synthetic values from
/// the reserved spaces, and the shapes that most often pass for personal data.
#[cfg(test)]
mod default_rules {
    use crate::batch::StrBuf;
    use crate::detect::rule::{Rule, RuleSet};
    use crate::generate::rng::CellRng;
    use crate::reserved::{Kind, Space};

    const FILES: &[&str] =
        &["rules/contact.toml", "rules/finance.toml", "rules/network.toml", "rules/uk.toml", "rules/us.toml"];

    fn rules() -> Vec<Rule> {
        let set = RuleSet::defaults().expect("default rules load");
        set.rules.into_iter().filter(|r| FILES.iter().any(|f| r.origin.starts_with(&format!("{f}:")))).collect()
    }

    /// The column a generator's output is usually written to, so that hinted rules run too.
    fn column(kind: Kind) -> &'static str {
        match kind {
            Kind::PhoneGb | Kind::PhoneUs => "phone",
            Kind::NhsNumber => "nhs_number",
            Kind::Ssn => "ssn",
            Kind::Nino => "ni_number",
            Kind::CardNumber => "card_number",
            Kind::Iban => "iban",
            Kind::Ipv4 | Kind::Ipv6 => "ip_address",
        }
    }

    #[test]
    fn reserved_values_never_match_as_real_identifiers() {
        let rules = rules();
        let mut rng = CellRng::new(7);
        let mut out = StrBuf::default();
        let mut failures = Vec::new();
        let mut matched = 0;
        for &kind in Kind::ALL {
            for format in Space::formats(kind) {
                let space = Space::new(kind, Some(format)).unwrap();
                let n = space.size().min(2_000);
                for i in 0..n {
                    let k = if space.size() <= 2_000 { i } else { rng.below(space.size()) };
                    space.write(k, &mut out);
                    let v = out.current();
                    for col in [column(kind), "value"] {
                        for r in &rules {
                            match r.check(v, col) {
                                Some(m) if !m.reserved => failures.push(format!("{} matched {v:?} in {col}", r.id)),
                                Some(_) => matched += 1,
                                None => {}
                            }
                        }
                    }
                    out.discard_current();
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} synthetic values matched as real:\n{}",
            failures.len(),
            failures[..failures.len().min(20)].join("\n")
        );
        assert!(matched > 10_000, "the rules should recognise synthetic values as reserved ({matched})");
    }

    fn uuid(rng: &mut CellRng) -> String {
        let (a, b) = (rng.next_u64(), rng.next_u64());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            a >> 16 & 0xffff,
            a & 0xfff,
            b >> 48 | 0x8000 & 0xbfff,
            b & 0xffff_ffff_ffff
        )
    }

    /// `payload` digits followed by their GS1 check digit.
    fn gtin(payload: &str) -> String {
        let sum: u32 =
            payload.bytes().rev().enumerate().map(|(i, c)| (c - b'0') as u32 * if i % 2 == 0 { 3 } else { 1 }).sum();
        format!("{payload}{}", (10 - sum % 10) % 10)
    }

    #[test]
    fn hard_false_positives_match_nothing() {
        let rules = rules();
        let mut rng = CellRng::new(11);
        let mut cells: Vec<String> = Vec::new();
        for _ in 0..3_000 {
            cells.push(uuid(&mut rng));
            // The tail of a UUID made all digits: a Luhn-valid 12-digit Maestro or 16-digit-looking run.
            cells.push(format!("550e8400-e29b-41d4-a716-{:012}", rng.below(1_000_000_000_000)));
            let h =
                format!("{:016x}{:016x}{:016x}{:016x}", rng.next_u64(), rng.next_u64(), rng.next_u64(), rng.next_u64());
            cells.extend([h[..32].to_string(), h[..40].to_string(), h.clone()]);
            let epoch = 1_000_000_000 + rng.below(1_000_000_000);
            cells.push(epoch.to_string());
            cells.push(format!("{epoch}{:03}", rng.below(1000)));
            let (y, mo, d) = (1970 + rng.below(60), 1 + rng.below(12), 1 + rng.below(28));
            let (hh, mm, ss) = (rng.below(24), rng.below(60), rng.below(60));
            cells.push(format!("{y}-{mo:02}-{d:02}"));
            cells.push(format!("{y}-{mo:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z"));
            cells.push(format!("{y}-{mo:02}-{d:02} {hh:02}:{mm:02}:{ss:02}.{:06}+00:00", rng.below(1_000_000)));
            cells.push(gtin(&format!("{:012}", rng.below(1_000_000_000_000))));
            cells.push(gtin(&format!("978{:09}", rng.below(1_000_000_000))));
            cells.push(gtin(&format!("4{:011}", rng.below(100_000_000_000))));
            cells.push(gtin(&format!("{:011}", rng.below(100_000_000_000))));
            cells.push(format!("ORD-{:08}", rng.below(100_000_000)));
            cells.push(format!("SKU-{:04}-{:04}", rng.below(10_000), rng.below(10_000)));
            cells.push(format!("{}.{:02}", rng.below(100_000_000), rng.below(100)));
            cells.push(format!("v{}.{}.{}.{}", rng.below(30), rng.below(30), rng.below(300), rng.below(300)));
            cells.push(format!("version {}.{}.{}.{}", rng.below(30), rng.below(30), rng.below(300), rng.below(300)));
        }
        for r in ["eu-west-2", "us-east-1", "ap-southeast-2", "europe-west4", "uksouth"] {
            cells.push(r.to_string());
        }
        let mut failures = Vec::new();
        for c in &cells {
            for r in &rules {
                if r.check(c, "value").is_some() {
                    failures.push(format!("{} matched {c:?}", r.id));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} false positives:\n{}",
            failures.len(),
            failures[..failures.len().min(20)].join("\n")
        );
    }
}
