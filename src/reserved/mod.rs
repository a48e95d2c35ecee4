//! Reserved spaces: synthetic identifiers that can never belong to a real person.
//!
//! Each [`Kind`] has a finite space of values that an authority documents as reserved for
//! testing, fiction or documentation, or that the issuing rules exclude. [`Space::write`] maps
//! an index `k` in `[0, size)` bijectively onto it, so permuting `k` gives unique values and
//! drawing `k` uniformly gives random ones; [`is_reserved`] recognises the same values in any
//! common formatting, and is what the gate uses to check that synthetic columns stayed inside.
//!
//! | kind | space | size |
//! | --- | --- | --- |
//! | `phone_gb` | Ofcom's 20 drama ranges of 1,000 numbers | 20,000 |
//! | `phone_us` | 555-0100..0199 in 611 geographic-format area codes | 61,100 |
//! | `nhs_number` | check-digit-valid 999 000 0000..999 999 9999 | 909,091 |
//! | `ssn` | area 900–999 in 31 groups no IRS number uses | 30,996,900 |
//! | `nino` | prefix QQ (Q is never a prefix letter) | 1,000,000 |
//! | `card_number` | test card numbers published by processors | 35 |
//! | `iban` | DE, Bankleitzahl starting with 0 (no clearing area) | 10^17 |
//! | `ipv4` | 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 | 768 |
//! | `ipv6` | 2001:db8::/64, inside 2001:db8::/32 | 2^64 - 1 |
//!
//! Each kind's file documents the sources of its ranges next to them (Ofcom, NANPA, NHS test
//! range, SSA and IRS, HMRC, processors' test documentation, Deutsche Bundesbank, RFC 5737 and
//! RFC 3849), and what could not be justified was left out.

mod card;
mod iban;
mod ip;
mod nhs;
mod nino;
mod phone;
mod ssn;

use crate::batch::StrBuf;

/// A kind of personal identifier that has a reserved space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    PhoneGb,
    PhoneUs,
    NhsNumber,
    Ssn,
    Nino,
    CardNumber,
    Iban,
    Ipv4,
    Ipv6,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::PhoneGb,
        Kind::PhoneUs,
        Kind::NhsNumber,
        Kind::Ssn,
        Kind::Nino,
        Kind::CardNumber,
        Kind::Iban,
        Kind::Ipv4,
        Kind::Ipv6,
    ];

    /// The kind as named in schemas, e.g. `"phone_gb"`.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.iter().copied().find(|k| k.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::PhoneGb => "phone_gb",
            Kind::PhoneUs => "phone_us",
            Kind::NhsNumber => "nhs_number",
            Kind::Ssn => "ssn",
            Kind::Nino => "nino",
            Kind::CardNumber => "card_number",
            Kind::Iban => "iban",
            Kind::Ipv4 => "ipv4",
            Kind::Ipv6 => "ipv6",
        }
    }
}

/// The reserved space of one kind, written in one format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Space {
    kind: Kind,
    /// Index into `Space::formats(kind)`.
    format: u8,
    /// Only for `Kind::Iban`.
    country: iban::Country,
}

impl Space {
    /// `format` is one of [`Space::formats`]`(kind)` (case-insensitive); `None` picks the first,
    /// the kind's default. IBANs are German ones (see [`Space::new_iban`] for the choice).
    pub fn new(kind: Kind, format: Option<&str>) -> Result<Space, String> {
        let formats = Space::formats(kind);
        let format = match format {
            None => 0,
            Some(f) => formats.iter().position(|x| x.eq_ignore_ascii_case(f)).ok_or_else(|| {
                format!("unknown format {f:?} for {}; valid formats: {}", kind.name(), formats.join(", "))
            })?,
        };
        Ok(Space { kind, format: format as u8, country: iban::Country::De })
    }

    /// Like [`Space::new`], with the kind given by its schema name.
    pub fn parse(kind: &str, format: Option<&str>) -> Result<Space, String> {
        let k = Kind::parse(kind).ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            format!("unknown reserved kind {kind:?}; valid kinds: {}", names.join(", "))
        })?;
        Space::new(k, format)
    }

    /// IBANs of `country` (two letters, case-insensitive), in the print form (groups of four)
    /// or the compact one. Only countries where a bank code can be shown never to be assigned
    /// are supported: today only `DE`.
    pub fn new_iban(country: &str, print: bool) -> Result<Space, String> {
        Ok(Space { kind: Kind::Iban, format: print as u8, country: iban::Country::parse(country)? })
    }

    /// IBANs with both options as schemas give them: `country` defaults to `DE`, `format` to
    /// `compact` (or `print`). Errors name the valid choices.
    pub fn iban(country: Option<&str>, format: Option<&str>) -> Result<Space, String> {
        let mut space = Space::new(Kind::Iban, format)?;
        if let Some(c) = country {
            space.country = iban::Country::parse(c)?;
        }
        Ok(space)
    }

    /// The formats of `kind`; the first is the default.
    pub fn formats(kind: Kind) -> &'static [&'static str] {
        match kind {
            Kind::PhoneGb => phone::GB_FORMATS,
            Kind::PhoneUs => phone::US_FORMATS,
            Kind::NhsNumber => nhs::FORMATS,
            Kind::Ssn => ssn::FORMATS,
            Kind::Nino => nino::FORMATS,
            Kind::CardNumber => card::FORMATS,
            Kind::Iban => iban::FORMATS,
            Kind::Ipv4 => ip::V4_FORMATS,
            Kind::Ipv6 => ip::V6_FORMATS,
        }
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The format's name, as accepted by [`Space::new`].
    pub fn format(&self) -> &'static str {
        Space::formats(self.kind)[self.format as usize]
    }

    /// The number of distinct values in the space.
    pub fn size(&self) -> u64 {
        match self.kind {
            Kind::PhoneGb => phone::GB_SIZE,
            Kind::PhoneUs => phone::US_SIZE,
            Kind::NhsNumber => nhs::SIZE,
            Kind::Ssn => ssn::SIZE,
            Kind::Nino => nino::SIZE,
            Kind::CardNumber => card::SIZE,
            Kind::Iban => self.country.size(),
            Kind::Ipv4 => ip::V4_SIZE,
            Kind::Ipv6 => ip::V6_SIZE,
        }
    }

    /// Append value number `k` to the value being built in `out` (the caller ends it).
    /// Distinct `k` give distinct values; nothing is allocated beyond `out`'s own growth.
    ///
    /// # Panics
    /// If `k >= self.size()`.
    pub fn write(&self, k: u64, out: &mut StrBuf) {
        assert!(k < self.size(), "index {k} outside the {} space of {} values", self.kind.name(), self.size());
        let f = self.format;
        match self.kind {
            Kind::PhoneGb => phone::write_gb(k, f, out),
            Kind::PhoneUs => phone::write_us(k, f, out),
            Kind::NhsNumber => nhs::write(k, f, out),
            Kind::Ssn => ssn::write(k, f, out),
            Kind::Nino => nino::write(k, f, out),
            Kind::CardNumber => card::write(k, f, out),
            Kind::Iban => iban::write(self.country, k, f, out),
            Kind::Ipv4 => ip::write_v4(k, out),
            Kind::Ipv6 => ip::write_v6(k, out),
        }
    }
}

/// Whether `value` lies in the reserved space of `kind`, in any common formatting (spaces,
/// dashes, `+44`/`0044`/`(0)` prefixes, lower case where letters occur). Values that merely
/// look like the kind, or that fail its check digit, are not reserved.
pub fn is_reserved(kind: Kind, value: &str) -> bool {
    match kind {
        Kind::PhoneGb => phone::is_reserved_gb(value),
        Kind::PhoneUs => phone::is_reserved_us(value),
        Kind::NhsNumber => nhs::is_reserved(value),
        Kind::Ssn => ssn::is_reserved(value),
        Kind::Nino => nino::is_reserved(value),
        Kind::CardNumber => card::is_reserved(value),
        Kind::Iban => iban::is_reserved(value),
        Kind::Ipv4 => ip::is_reserved_v4(value),
        Kind::Ipv6 => ip::is_reserved_v6(value),
    }
}

/// `n`'s last `N` decimal digits, zero-padded, as ASCII.
fn digits<const N: usize>(mut n: u64) -> [u8; N] {
    let mut b = [b'0'; N];
    for c in b.iter_mut().rev() {
        *c = b'0' + (n % 10) as u8;
        n /= 10;
    }
    b
}

/// A value with its separators removed and letters upper-cased, on the stack: `is_reserved`
/// runs once per cell in the gate, so it avoids allocating.
struct Compact<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> Compact<N> {
    /// `value` without the bytes `skip` accepts; `None` when another byte is not accepted by
    /// `keep` (checked after upper-casing) or more than `N` bytes remain.
    fn new(value: &str, skip: impl Fn(u8) -> bool, keep: impl Fn(u8) -> bool) -> Option<Self> {
        let mut c = Compact { buf: [0; N], len: 0 };
        for b in value.bytes() {
            if skip(b) {
                continue;
            }
            let b = b.to_ascii_uppercase();
            if !keep(b) || c.len == N {
                return None;
            }
            c.buf[c.len] = b;
            c.len += 1;
        }
        Some(c)
    }

    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// Separators people put inside identifiers.
fn is_space_or_dash(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'-')
}

#[cfg(test)]
mod testutil {
    use super::*;
    use crate::generate::rng::CellRng;

    /// 0, 1, size - 1, and a few hundred uniform indices.
    pub fn sample_ks(size: u64, seed: u64) -> Vec<u64> {
        let mut rng = CellRng::new(seed);
        let mut ks = vec![0, 1.min(size - 1), size - 1];
        ks.extend((0..400).map(|_| rng.below(size)));
        ks
    }

    pub fn render(space: &Space, k: u64) -> String {
        let mut out = StrBuf::default();
        space.write(k, &mut out);
        assert_eq!(out.len(), 0, "write must not end the value");
        out.current().to_string()
    }

    /// `s` follows `pattern`, where `#` is an ASCII digit, `@` an upper-case letter, and any
    /// other character itself.
    pub fn shape(s: &str, pattern: &str) -> bool {
        s.len() == pattern.len()
            && s.bytes().zip(pattern.bytes()).all(|(c, p)| match p {
                b'#' => c.is_ascii_digit(),
                b'@' => c.is_ascii_uppercase(),
                _ => c == p,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;
    use crate::checkdigit;
    use std::collections::HashSet;

    /// The check each kind's values must pass besides `is_reserved` (check digits, shape).
    fn valid(space: &Space, v: &str) -> bool {
        let compact: String = v.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
        match (space.kind(), space.format()) {
            (Kind::PhoneGb, "national") => {
                shape(v, "0### ### ####") || shape(v, "0## #### ####") || shape(v, "0#### ######")
            }
            (Kind::PhoneGb, "e164") => shape(v, "+44##########"),
            (Kind::PhoneGb, _) => {
                shape(v, "+44 ### ### ####") || shape(v, "+44 ## #### ####") || shape(v, "+44 #### ######")
            }
            (Kind::PhoneUs, "national") => shape(v, "(###) 555-01##"),
            (Kind::PhoneUs, "e164") => shape(v, "+1###55501##"),
            (Kind::PhoneUs, _) => shape(v, "###-555-01##"),
            (Kind::NhsNumber, f) => {
                let p = match f {
                    "spaced" => "999 ### ####",
                    "plain" => "999#######",
                    _ => "999-###-####",
                };
                shape(v, p) && checkdigit::nhs_valid(&compact)
            }
            (Kind::Ssn, "dashed") => shape(v, "9##-##-####"),
            (Kind::Ssn, _) => shape(v, "9########"),
            (Kind::Nino, "spaced") => shape(v, "QQ ## ## ## @"),
            (Kind::Nino, _) => shape(v, "QQ######@"),
            (Kind::CardNumber, f) => {
                let seps_ok = match f {
                    "plain" => !v.contains([' ', '-']),
                    "spaced" => !v.contains('-') && v.contains(' '),
                    _ => !v.contains(' ') && v.contains('-'),
                };
                seps_ok && checkdigit::luhn_valid(&compact)
            }
            (Kind::Iban, "compact") => shape(v, "DE##0#################") && checkdigit::iban_valid(v),
            (Kind::Iban, _) => shape(v, "DE## 0### #### #### #### ##") && checkdigit::iban_valid(&compact),
            (Kind::Ipv4, _) => v.parse::<std::net::Ipv4Addr>().is_ok_and(|a| a.to_string() == v),
            (Kind::Ipv6, _) => v.parse::<std::net::Ipv6Addr>().is_ok_and(|a| a.to_string() == v),
        }
    }

    fn spaces() -> Vec<Space> {
        let mut v = Vec::new();
        for &kind in Kind::ALL {
            for f in Space::formats(kind) {
                v.push(Space::new(kind, Some(f)).unwrap());
            }
        }
        v
    }

    #[test]
    fn every_sampled_value_is_reserved_valid_and_distinct() {
        for (i, space) in spaces().iter().enumerate() {
            let mut seen = HashSet::new();
            let mut ks: HashSet<u64> = HashSet::new();
            for k in sample_ks(space.size(), i as u64) {
                let v = render(space, k);
                assert!(is_reserved(space.kind(), &v), "{space:?} k={k}: {v:?} not reserved");
                assert!(valid(space, &v), "{space:?} k={k}: {v:?} malformed");
                if ks.insert(k) {
                    assert!(seen.insert(v.clone()), "{space:?} k={k}: {v:?} repeated");
                }
            }
        }
    }

    /// Exhaustive for the spaces small enough to enumerate in a test. The format only lays
    /// out the same digits, so the larger spaces are enumerated in their default format.
    #[test]
    fn small_spaces_are_bijective() {
        for space in spaces() {
            let default = Space::formats(space.kind())[0] == space.format();
            if space.size() > 2_000_000 || (space.size() > 100_000 && !default) {
                continue;
            }
            let mut out = StrBuf::default();
            for k in 0..space.size() {
                space.write(k, &mut out);
                out.end_value();
            }
            let distinct: HashSet<&str> = out.iter().collect();
            assert_eq!(distinct.len() as u64, space.size(), "{space:?}");
            // Spot-check reservation across the whole range (cheap kinds only).
            if space.size() <= 100_000 {
                assert!(out.iter().all(|v| is_reserved(space.kind(), v)), "{space:?}");
            }
        }
    }

    #[test]
    fn write_appends_to_the_current_value() {
        let space = Space::new(Kind::Ipv4, None).unwrap();
        let mut out = StrBuf::default();
        out.extend("ip=");
        space.write(0, &mut out);
        assert_eq!(out.current(), "ip=192.0.2.0");
        out.end_value();
        space.write(767, &mut out);
        out.end_value();
        assert_eq!(out.get(1), "203.0.113.255");
    }

    #[test]
    #[should_panic(expected = "outside")]
    fn write_refuses_an_index_past_the_end() {
        let space = Space::new(Kind::Ipv4, None).unwrap();
        space.write(768, &mut StrBuf::default());
    }

    #[test]
    fn sizes() {
        let size = |k| Space::new(k, None).unwrap().size();
        assert_eq!(size(Kind::PhoneGb), 20_000);
        assert_eq!(size(Kind::PhoneUs), 61_100);
        assert_eq!(size(Kind::NhsNumber), 909_091);
        assert_eq!(size(Kind::Ssn), 30_996_900);
        assert_eq!(size(Kind::Nino), 1_000_000);
        assert_eq!(size(Kind::CardNumber), 35);
        assert_eq!(size(Kind::Iban), 100_000_000_000_000_000);
        assert_eq!(size(Kind::Ipv4), 768);
        assert_eq!(size(Kind::Ipv6), u64::MAX);
    }

    #[test]
    fn kinds_and_formats_by_name() {
        for &k in Kind::ALL {
            assert_eq!(Kind::parse(k.name()), Some(k));
            let formats = Space::formats(k);
            assert!(!formats.is_empty());
            assert_eq!(Space::new(k, None).unwrap().format(), formats[0]);
            for f in formats {
                assert_eq!(Space::parse(k.name(), Some(f)).unwrap().format(), *f);
                assert!(Space::new(k, Some(&f.to_ascii_uppercase())).is_ok());
            }
        }
        assert_eq!(Kind::parse("phone"), None);
        let e = Space::new(Kind::PhoneGb, Some("local")).unwrap_err();
        assert!(e.contains("national, e164, international"), "{e}");
        let e = Space::parse("passport", None).unwrap_err();
        assert!(e.contains("phone_gb") && e.contains("ipv6"), "{e}");
    }

    #[test]
    fn iban_countries() {
        let print = Space::new_iban("de", true).unwrap();
        assert_eq!(print, Space::new(Kind::Iban, Some("print")).unwrap());
        assert_eq!(Space::new_iban("DE", false).unwrap(), Space::new(Kind::Iban, None).unwrap());
        let e = Space::new_iban("GB", false).unwrap_err();
        assert!(e.contains("DE"), "{e}");
        assert_eq!(Space::iban(None, None).unwrap(), Space::new_iban("DE", false).unwrap());
        assert_eq!(Space::iban(Some("de"), Some("print")).unwrap(), print);
        assert!(Space::iban(Some("FR"), None).is_err());
        let e = Space::iban(None, Some("spaced")).unwrap_err();
        assert!(e.contains("compact, print"), "{e}");
    }

    #[test]
    fn values_of_one_kind_are_not_reserved_as_another() {
        for space in spaces() {
            let v = render(&space, space.size() / 3);
            for &other in Kind::ALL {
                if other != space.kind() {
                    assert!(!is_reserved(other, &v), "{v:?} ({:?}) reserved as {other:?}", space.kind());
                }
            }
        }
    }

    #[test]
    fn compact_skips_separators_and_bounds_length() {
        let c = Compact::<6>::new("ab-1 2", is_space_or_dash, |b| b.is_ascii_alphanumeric()).unwrap();
        assert_eq!(c.as_bytes(), b"AB12");
        assert!(Compact::<3>::new("1234", is_space_or_dash, |b| b.is_ascii_digit()).is_none());
        assert!(Compact::<9>::new("12.4", is_space_or_dash, |b| b.is_ascii_digit()).is_none());
        assert_eq!(digits::<4>(42), *b"0042");
        assert_eq!(digits::<2>(1234), *b"34");
    }
}
