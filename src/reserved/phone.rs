//! Telephone numbers reserved for fiction: Ofcom's drama ranges (UK) and 555-01XX (NANP).

use super::{digits, Compact};
use crate::batch::StrBuf;

pub(super) const GB_FORMATS: &[&str] = &["national", "e164", "international"];
pub(super) const US_FORMATS: &[&str] = &["national", "e164", "dashed"];

const NATIONAL: u8 = 0;
const E164: u8 = 1;

/// One Ofcom drama range: 1,000 numbers whose 10-digit national significant number (the
/// digits after the trunk 0 or +44) starts with `prefix`.
struct GbRange {
    prefix: &'static [u8; 7],
    /// Digit groups of the NSN as the number is conventionally written.
    groups: &'static [usize],
}

/// `01xx` / `0xxx` numbers: 0113 496 0123, 0808 157 0123.
const G334: &[usize] = &[3, 3, 4];
/// `02x` numbers: 020 7946 0123.
const G244: &[usize] = &[2, 4, 4];
/// Five-digit codes and mobiles: 01632 960123, 07700 900123.
const G46: &[usize] = &[4, 6];

/// Ofcom, "Telephone numbers for drama purposes"
/// (<https://www.ofcom.org.uk/phones-and-broadband/phone-numbers/numbers-for-drama>): ranges of
/// 1,000 numbers that "will not be allocated to Communications Providers in the foreseeable
/// future", for use in TV and radio drama. These are all 20 of them, the 20,000 numbers of
/// BBC News, "The 20,000 fake phone numbers" (20 April 2015): 15 geographic, 01632 (no area),
/// mobile, freephone, premium rate and UK-wide. Ofcom writes the last four as 07700 900xxx,
/// 08081 570xxx, 0909 8790xxx and 03069 990xxx; grouping does not change the number.
const GB_RANGES: [GbRange; 20] = [
    GbRange { prefix: b"7700900", groups: G46 },  // mobile 07700 900000–900999
    GbRange { prefix: b"2079460", groups: G244 }, // London 020 7946 0000–0999
    GbRange { prefix: b"1134960", groups: G334 }, // Leeds 0113 496 0000–0999
    GbRange { prefix: b"1144960", groups: G334 }, // Sheffield
    GbRange { prefix: b"1154960", groups: G334 }, // Nottingham
    GbRange { prefix: b"1164960", groups: G334 }, // Leicester
    GbRange { prefix: b"1174960", groups: G334 }, // Bristol
    GbRange { prefix: b"1184960", groups: G334 }, // Reading
    GbRange { prefix: b"1214960", groups: G334 }, // Birmingham
    GbRange { prefix: b"1314960", groups: G334 }, // Edinburgh
    GbRange { prefix: b"1414960", groups: G334 }, // Glasgow
    GbRange { prefix: b"1514960", groups: G334 }, // Liverpool
    GbRange { prefix: b"1614960", groups: G334 }, // Manchester
    GbRange { prefix: b"1914980", groups: G334 }, // Tyneside/Durham/Sunderland 0191 498 0xxx
    GbRange { prefix: b"2890180", groups: G244 }, // Northern Ireland 028 9018 0000–0999
    GbRange { prefix: b"2920180", groups: G244 }, // Cardiff 029 2018 0000–0999
    GbRange { prefix: b"1632960", groups: G46 },  // no area: 01632 960000–960999
    GbRange { prefix: b"3069990", groups: G334 }, // UK-wide 0306 999 0000–0999
    GbRange { prefix: b"8081570", groups: G334 }, // freephone 0808 157 0000–0999
    GbRange { prefix: b"9098790", groups: G334 }, // premium rate 0909 879 0000–0999
];

pub(super) const GB_SIZE: u64 = GB_RANGES.len() as u64 * 1000;

pub(super) fn write_gb(k: u64, format: u8, out: &mut StrBuf) {
    let range = &GB_RANGES[(k / 1000) as usize];
    let mut nsn = [0u8; 10];
    nsn[..7].copy_from_slice(range.prefix);
    nsn[7..].copy_from_slice(&digits::<3>(k % 1000));
    match format {
        E164 => {
            out.extend_ascii(b"+44");
            out.extend_ascii(&nsn);
        }
        _ => {
            out.extend_ascii(if format == NATIONAL { b"0" } else { b"+44 " });
            let mut at = 0;
            for (i, &len) in range.groups.iter().enumerate() {
                if i > 0 {
                    out.extend_ascii(b" ");
                }
                out.extend_ascii(&nsn[at..at + len]);
                at += len;
            }
        }
    }
}

/// Accepts national (`0113 496 0123`, `(0113) 4960123`, `02079460123`) and international
/// (`+44 20 7946 0123`, `+44 (0)20 7946 0123`, `0044 7700 900123`, `447700900123`) forms.
pub(super) fn is_reserved_gb(value: &str) -> bool {
    let Some(c) = Compact::<24>::new(
        value,
        |b| matches!(b, b' ' | b'\t' | b'-' | b'.' | b'/'),
        |b| b.is_ascii_digit() || matches!(b, b'+' | b'(' | b')'),
    ) else {
        return false;
    };
    let mut s = c.as_bytes();
    let international = if let Some(r) = s.strip_prefix(b"+44").or_else(|| s.strip_prefix(b"0044")) {
        // "+44 (0)20 …": the bracketed trunk 0 that UK writers add.
        s = r.strip_prefix(b"(0)").unwrap_or(r);
        true
    } else {
        false
    };
    // Brackets may still surround the area code; only digits matter from here.
    let mut num = [0u8; 12];
    let mut n = 0;
    for &b in s {
        match b {
            b'(' | b')' => {}
            b'0'..=b'9' if n < num.len() => {
                num[n] = b;
                n += 1;
            }
            _ => return false,
        }
    }
    let num = &num[..n];
    let nsn = if international {
        // "+44 020 …" is a common slip; the number is still the same.
        num.strip_prefix(b"0").unwrap_or(num)
    } else if n == 12 && num.starts_with(b"44") {
        &num[2..]
    } else {
        match num.strip_prefix(b"0") {
            Some(r) => r,
            None => return false,
        }
    };
    nsn.len() == 10 && GB_RANGES.iter().any(|r| nsn.starts_with(r.prefix))
}

/// Area codes in which the fictional block is used.
///
/// Since the NANP's 1994 change to the 555 NXX assignment guidelines, 555-0100 through
/// 555-0199 are reserved for fictitious use (film, TV, books) in every area code, while the
/// rest of 555 was released for assignment (TechRepublic, "Strength in (phone) numbers";
/// Wikipedia, "Fictitious telephone number"). The block lives in the 555 central office code
/// of geographic area codes, so the area code must be one that never carries non-geographic
/// service, where 555 could be an ordinary exchange (toll-free 800-555-0123 can be a real
/// line). Kept: NXX with N in 2–9, excluding
/// - middle digit 9 (N9X: reserved for expanding the plan),
/// - 37X and 96X (held back for expanding the plan; left out from caution either way),
/// - easily recognisable codes, whose last two digits are equal: N11 service codes, N00
///   (toll-free 800, premium 900, 500, 600, 700), toll-free 8NN, 5NN personal services, 555,
/// - other non-geographic codes (LincMad, "Non-geographic telephone codes for North America"):
///   52X (521–529, 5XX services), 88X (toll-free expansion), 456 (inbound international), 622
///   (Canadian non-geographic), 710 (US government).
///
/// Unassigned area codes stay in the list: a number in one is fictitious twice over.
const fn npa_ok(n: u16) -> bool {
    let (a, b, c) = (n / 100, n / 10 % 10, n % 10);
    !(a < 2
        || a > 9
        || b == 9
        || b == c
        || (a == 3 && b == 7)
        || (a == 9 && b == 6)
        || (a == 5 && b == 2 && c != 0)
        || (a == 8 && b == 8)
        || n == 456
        || n == 622
        || n == 710)
}

const NPA_COUNT: usize = {
    let (mut n, mut count) = (200, 0);
    while n < 1000 {
        if npa_ok(n) {
            count += 1;
        }
        n += 1;
    }
    count
};

/// The kept area codes in increasing order, built at compile time for O(1) indexing.
static NPAS: [u16; NPA_COUNT] = {
    let mut t = [0u16; NPA_COUNT];
    let (mut n, mut i) = (200, 0);
    while n < 1000 {
        if npa_ok(n) {
            t[i] = n;
            i += 1;
        }
        n += 1;
    }
    t
};

pub(super) const US_SIZE: u64 = NPA_COUNT as u64 * 100;

pub(super) fn write_us(k: u64, format: u8, out: &mut StrBuf) {
    let npa = digits::<3>(NPAS[(k / 100) as usize] as u64);
    let line = digits::<4>(100 + k % 100);
    match format {
        NATIONAL => {
            out.extend_ascii(b"(");
            out.extend_ascii(&npa);
            out.extend_ascii(b") 555-");
        }
        E164 => {
            out.extend_ascii(b"+1");
            out.extend_ascii(&npa);
            out.extend_ascii(b"555");
        }
        _ => {
            out.extend_ascii(&npa);
            out.extend_ascii(b"-555-");
        }
    }
    out.extend_ascii(&line);
}

/// Accepts `(212) 555-0123`, `212-555-0123`, `212.555.0123`, `+1 212 555 0123`,
/// `1-212-555-0123`, `2125550123`.
pub(super) fn is_reserved_us(value: &str) -> bool {
    let Some(c) = Compact::<16>::new(
        value,
        |b| matches!(b, b' ' | b'\t' | b'-' | b'.' | b'(' | b')'),
        |b| b.is_ascii_digit() || b == b'+',
    ) else {
        return false;
    };
    let (plus, d) = match c.as_bytes() {
        [b'+', rest @ ..] => (true, rest),
        all => (false, all),
    };
    if d.contains(&b'+') {
        return false;
    }
    let d = match (d.len(), d.first()) {
        (11, Some(b'1')) => &d[1..],
        (10, _) if !plus => d,
        _ => return false,
    };
    let npa = (d[0] - b'0') as u16 * 100 + (d[1] - b'0') as u16 * 10 + (d[2] - b'0') as u16;
    npa_ok(npa) && d[3..8] == *b"55501"
}

#[cfg(test)]
mod tests {
    use super::super::testutil::render;
    use super::super::{is_reserved, Kind, Space};
    use super::*;

    fn gb(format: &str, k: u64) -> String {
        render(&Space::new(Kind::PhoneGb, Some(format)).unwrap(), k)
    }

    fn us(format: &str, k: u64) -> String {
        render(&Space::new(Kind::PhoneUs, Some(format)).unwrap(), k)
    }

    #[test]
    fn gb_formats() {
        assert_eq!(gb("national", 123), "07700 900123");
        assert_eq!(gb("e164", 123), "+447700900123");
        assert_eq!(gb("international", 123), "+44 7700 900123");
        assert_eq!(gb("national", 1123), "020 7946 0123");
        assert_eq!(gb("international", 1123), "+44 20 7946 0123");
        assert_eq!(gb("national", 2123), "0113 496 0123");
        assert_eq!(gb("national", 13_999), "0191 498 0999");
        assert_eq!(gb("national", 14_000), "028 9018 0000");
        assert_eq!(gb("national", 16_500), "01632 960500");
        assert_eq!(gb("international", 16_500), "+44 1632 960500");
        assert_eq!(gb("national", 17_001), "0306 999 0001");
        assert_eq!(gb("national", 19_999), "0909 879 0999");
    }

    #[test]
    fn gb_accepts_common_variants() {
        for v in [
            "+44 (0)20 7946 0123",
            "+44(0)2079460123",
            "02079460123",
            "020-7946-0123",
            "(020) 7946 0123",
            "0044 20 7946 0123",
            "442079460123",
            "+44 020 7946 0123",
            "07700 900 999",
            "+447700900000",
            "(0113) 496 0123",
            "0113.496.0123",
            "01632 960 000",
            "03069 990123",
            "08081 570123",
            "0909 8790123",
            " 0161 496 0000 ",
        ] {
            assert!(is_reserved(Kind::PhoneGb, v), "{v}");
        }
    }

    #[test]
    fn gb_rejects_numbers_outside_the_drama_ranges() {
        for v in [
            "07700 901000",     // the next thousand
            "07700 899999",     // the previous one
            "020 7946 1000",    // London past 0999
            "020 7946 012",     // too short
            "020 7946 01234",   // too long
            "0113 496 1000",    // Leeds past 0999
            "0131 498 0123",    // 498 is Tyneside's, not Edinburgh's
            "0171 496 0123",    // no range in 0171
            "028 9649 6123",    // not an Ofcom drama range
            "01632 961000",     // 01632 outside 960xxx
            "+1 020 7946 0123", // another country
            "2079460123",       // no trunk 0 or country code
            "0207946012a",      // not a number
            "+44 (0)20 7946 0123 ext 5",
            "",
        ] {
            assert!(!is_reserved(Kind::PhoneGb, v), "{v}");
        }
    }

    #[test]
    fn gb_ranges_are_distinct_and_well_formed() {
        for (i, r) in GB_RANGES.iter().enumerate() {
            assert_eq!(r.groups.iter().sum::<usize>(), 10);
            assert!(GB_RANGES[..i].iter().all(|o| o.prefix != r.prefix));
        }
    }

    #[test]
    fn us_formats() {
        assert_eq!(us("national", 0), "(201) 555-0100");
        assert_eq!(us("e164", 0), "+12015550100");
        assert_eq!(us("dashed", 99), "201-555-0199");
        assert_eq!(us("dashed", US_SIZE - 1), "989-555-0199");
    }

    #[test]
    fn us_area_codes() {
        assert_eq!(NPA_COUNT, 611);
        assert!(NPAS.windows(2).all(|w| w[0] < w[1]));
        for npa in [201, 212, 312, 415, 520, 617, 713, 876, 905] {
            assert!(npa_ok(npa), "{npa}");
        }
        for npa in [
            100, 199, 211, 411, 911, 800, 833, 844, 855, 866, 877, 888, 822, 880, 889, 500, 521, 533, 555, 600, 622,
            700, 710, 900, 456, 370, 379, 960, 969, 290, 999,
        ] {
            assert!(!npa_ok(npa), "{npa}");
        }
    }

    #[test]
    fn us_accepts_common_variants() {
        for v in [
            "(212) 555-0123",
            "212-555-0123",
            "212.555.0123",
            "212 555 0123",
            "+1 212 555 0123",
            "+1 (212) 555-0123",
            "1-212-555-0123",
            "12125550123",
            "2125550100",
            "2125550199",
        ] {
            assert!(is_reserved(Kind::PhoneUs, v), "{v}");
        }
    }

    #[test]
    fn us_rejects_real_looking_numbers() {
        for v in [
            "(212) 555-1234", // 555 outside 0100–0199 can be a real line
            "(212) 555-0200",
            "(212) 555-0099",
            "(800) 555-0123", // toll-free
            "(900) 555-0123",
            "(212) 556-0123",
            "+44 212 555 0123",
            "+2125550123",
            "22125550123",
            "212555012",
            "(212) 555-01234",
            "212-555-0I23",
            "",
        ] {
            assert!(!is_reserved(Kind::PhoneUs, v), "{v}");
        }
    }
}
