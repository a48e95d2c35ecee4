//! Pseudonyms: a keyed, consistent, format-preserving replacement for each kind of value.
//!
//! The keyed hash of the value's normal form (case, spaces and dashes removed where they do not
//! change the identity) picks the replacement, so `4929 1234 …` and `49291234…` get the same
//! pseudonym. Identifiers land in their reserved spaces ([`crate::reserved`]) in the input's own
//! format: a card becomes a published test card (Luhn-valid), an NHS number a mod-11-valid one
//! in the 999 range, a phone a drama number, an IBAN a mod-97-valid DE IBAN with a bank code
//! starting 0, an email `user-<hex>@example.com`. Names and addresses come from the locale's
//! dictionaries. The spaces of cards (35), IPv4 (768) and phones (20,000 GB) are small, so
//! different inputs can share a pseudonym there; equal inputs never get different ones.

use crate::batch::StrBuf;
use crate::generate::locale::Locale;
use crate::generate::rng::CellRng;
use crate::reserved::{Kind, Space};

use super::keyed::ScrubKey;

/// What a value is, for pseudonymising it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Entity {
    Email,
    Phone,
    CardNumber,
    NhsNumber,
    Iban,
    Ssn,
    Nino,
    Ipv4,
    Ipv6,
    /// A full name: first and last.
    PersonName,
    FirstName,
    LastName,
    StreetAddress,
    City,
    Postcode,
    /// Anything else: letters become keyed letters, digits keyed digits, the rest stays.
    Text,
}

impl Entity {
    pub const ALL: &'static [Entity] = &[
        Entity::Email,
        Entity::Phone,
        Entity::CardNumber,
        Entity::NhsNumber,
        Entity::Iban,
        Entity::Ssn,
        Entity::Nino,
        Entity::Ipv4,
        Entity::Ipv6,
        Entity::PersonName,
        Entity::FirstName,
        Entity::LastName,
        Entity::StreetAddress,
        Entity::City,
        Entity::Postcode,
        Entity::Text,
    ];

    /// The entity's name as rules and policies write it.
    pub fn name(self) -> &'static str {
        match self {
            Entity::Email => "email",
            Entity::Phone => "phone",
            Entity::CardNumber => "card_number",
            Entity::NhsNumber => "nhs_number",
            Entity::Iban => "iban",
            Entity::Ssn => "ssn",
            Entity::Nino => "nino",
            Entity::Ipv4 => "ipv4",
            Entity::Ipv6 => "ipv6",
            Entity::PersonName => "person_name",
            Entity::FirstName => "first_name",
            Entity::LastName => "last_name",
            Entity::StreetAddress => "street_address",
            Entity::City => "city",
            Entity::Postcode => "postcode",
            Entity::Text => "text",
        }
    }

    pub fn parse(name: &str) -> Option<Entity> {
        Entity::ALL.iter().copied().find(|e| e.name() == name)
    }

    pub fn names() -> String {
        Entity::ALL.iter().map(|e| e.name()).collect::<Vec<_>>().join(", ")
    }
}

/// Appends the pseudonym of `value` to the value being built in `out`.
pub fn write(key: &ScrubKey, entity: Entity, locale: &Locale, value: &str, out: &mut StrBuf) {
    thread_local! {
        static NORM: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    NORM.with_borrow_mut(|norm| {
        normal_form(entity, value, norm);
        write_normal(key, entity, locale, value, norm, out)
    })
}

fn write_normal(key: &ScrubKey, entity: Entity, locale: &Locale, value: &str, norm: &str, out: &mut StrBuf) {
    let domain = entity.name();
    match entity {
        Entity::Email => {
            let d = key.digest(domain, norm.as_bytes());
            out.extend("user-");
            out.extend_with(|o| {
                let start = o.len();
                hex(&d[..8], o);
                super::value::unlike_identifiers(&mut o[start..], b"0123456789");
            });
            out.extend("@example.com");
        }
        Entity::Phone => {
            let kind = if is_us_phone(value) { Kind::PhoneUs } else { Kind::PhoneGb };
            let format = match (kind, value.trim_start().starts_with('+')) {
                (Kind::PhoneGb, true) if value.trim().contains(' ') => "international",
                (_, true) => "e164",
                (Kind::PhoneUs, false) if value.contains('-') && !value.contains('(') => "dashed",
                _ => "national",
            };
            reserved(key, domain, norm, kind, format, out)
        }
        Entity::CardNumber => reserved(key, domain, norm, Kind::CardNumber, separated(value, "plain"), out),
        Entity::NhsNumber => reserved(key, domain, norm, Kind::NhsNumber, separated(value, "plain"), out),
        Entity::Ssn => {
            let format = if value.contains('-') { "dashed" } else { "plain" };
            reserved(key, domain, norm, Kind::Ssn, format, out)
        }
        Entity::Nino => {
            let format = if value.trim().contains(' ') { "spaced" } else { "plain" };
            reserved(key, domain, norm, Kind::Nino, format, out)
        }
        Entity::Iban => {
            let format = if value.trim().contains(' ') { "print" } else { "compact" };
            reserved(key, domain, norm, Kind::Iban, format, out)
        }
        Entity::Ipv4 => reserved(key, domain, norm, Kind::Ipv4, "dotted", out),
        Entity::Ipv6 => reserved(key, domain, norm, Kind::Ipv6, "compressed", out),
        Entity::PersonName => {
            // First and last name each by their own hash: a shared surname stays shared.
            let mut parts = norm.split_whitespace();
            let (first, rest) = (parts.next().unwrap_or(""), parts.last().unwrap_or(""));
            let mut rng = rng(key, "first_name", first);
            out.extend(locale.first_name(&mut rng));
            out.extend(" ");
            let mut rng = self::rng(key, "last_name", if rest.is_empty() { first } else { rest });
            out.extend(locale.last_name(&mut rng));
        }
        Entity::FirstName => out.extend(locale.first_name(&mut rng(key, domain, norm))),
        Entity::LastName => out.extend(locale.last_name(&mut rng(key, domain, norm))),
        Entity::StreetAddress => locale.write_street_address(&mut rng(key, domain, norm), out),
        Entity::City => locale.write_city(&mut rng(key, domain, norm), out),
        Entity::Postcode => locale.write_postcode(&mut rng(key, domain, norm), out),
        Entity::Text => {
            let mut rng = rng(key, domain, value);
            let start = out.current().len();
            for c in value.chars() {
                match c {
                    '0'..='9' => out.extend_char((b'0' + rng.below(10) as u8) as char),
                    'a'..='z' => out.extend_char((b'a' + rng.below(26) as u8) as char),
                    'A'..='Z' => out.extend_char((b'A' + rng.below(26) as u8) as char),
                    c if c.is_alphanumeric() => out.extend_char((b'a' + rng.below(26) as u8) as char),
                    c => out.extend_char(c),
                }
            }
            avoid_check_digits(out, start);
        }
    }
}

/// A made-up run of digits that passes a card's Luhn check (12 to 19 digits) or the NHS
/// mod-11 check (10 digits) looks like a real identifier, and the gate would refuse it: its
/// last digit is moved on by one, which breaks either check.
fn avoid_check_digits(out: &mut StrBuf, start: usize) {
    let v = &out.current()[start..];
    if !v.bytes().all(|b| b.is_ascii_digit() || b == b' ' || b == b'-') {
        return;
    }
    let mut buf = [0u8; 19];
    let mut n = 0;
    for b in v.bytes().filter(u8::is_ascii_digit) {
        if n == buf.len() {
            return;
        }
        buf[n] = b;
        n += 1;
    }
    let digits = std::str::from_utf8(&buf[..n]).expect("ASCII digits");
    let lookalike = match n {
        10 => crate::checkdigit::nhs_valid(digits),
        12..=19 => crate::checkdigit::luhn_valid(digits),
        _ => false,
    };
    if lookalike {
        let mut s = out.current().to_string();
        out.discard_current();
        let last = s.rfind(|c: char| c.is_ascii_digit()).expect("has digits");
        let d = s.as_bytes()[last] - b'0';
        s.replace_range(last..=last, &((d + 1) % 10).to_string());
        out.extend(&s);
    }
}

/// The value as its identity, what two spellings of one identifier have in common, written
/// into `norm` (a buffer reused from value to value).
fn normal_form(entity: Entity, value: &str, norm: &mut String) {
    norm.clear();
    let v = value.trim();
    let digits = |norm: &mut String| norm.extend(v.chars().filter(char::is_ascii_digit));
    match entity {
        Entity::Email => norm.extend(v.trim_matches(|c| c == '<' || c == '>').chars().flat_map(char::to_lowercase)),
        Entity::Phone => {
            digits(norm);
            if is_us_phone(v) {
                if norm.len() == 11 && norm.starts_with('1') {
                    norm.remove(0);
                }
            } else if let Some(cc) = ["0044", "44"].iter().find(|cc| norm.starts_with(*cc)) {
                // +44 (0)20 …: the trunk 0 may be written after the country code.
                norm.replace_range(..cc.len(), "");
                if !norm.starts_with('0') {
                    norm.insert(0, '0');
                }
            }
        }
        Entity::CardNumber | Entity::NhsNumber | Entity::Ssn => digits(norm),
        Entity::Iban | Entity::Nino => {
            norm.extend(v.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase))
        }
        Entity::PersonName | Entity::FirstName | Entity::LastName | Entity::City | Entity::Postcode => {
            for (i, word) in v.split_whitespace().enumerate() {
                if i > 0 {
                    norm.push(' ');
                }
                norm.extend(word.chars().flat_map(char::to_lowercase));
            }
        }
        Entity::Ipv4 | Entity::Ipv6 => norm.extend(v.chars().map(|c| c.to_ascii_lowercase())),
        Entity::StreetAddress | Entity::Text => norm.push_str(v),
    }
}

fn is_us_phone(value: &str) -> bool {
    let v = value.trim();
    if v.starts_with("+1") {
        return true;
    }
    if v.starts_with('+') || v.starts_with("00") {
        return false;
    }
    let count = v.bytes().filter(u8::is_ascii_digit).count();
    let first = v.bytes().find(u8::is_ascii_digit);
    (count == 10 && first != Some(b'0')) || (count == 11 && first == Some(b'1'))
}

/// `spaced` or `dashed` when the value is written so, else `plain_name`.
fn separated(value: &str, plain_name: &'static str) -> &'static str {
    let v = value.trim();
    if v.contains(' ') {
        "spaced"
    } else if v.contains('-') {
        "dashed"
    } else {
        plain_name
    }
}

fn reserved(key: &ScrubKey, domain: &str, norm: &str, kind: Kind, format: &str, out: &mut StrBuf) {
    let space = Space::new(kind, Some(format)).expect("formats named here exist");
    let k = key.number(domain, norm.as_bytes()) % space.size();
    space.write(k, out);
}

fn rng(key: &ScrubKey, domain: &str, norm: &str) -> CellRng {
    CellRng::new(key.number(domain, norm.as_bytes()))
}

pub(crate) fn hex(bytes: &[u8], out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(HEX[(b >> 4) as usize]);
        out.push(HEX[(b & 15) as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checkdigit;
    use crate::generate::locale::locale;
    use crate::reserved::is_reserved;
    use crate::transform::keyed::test_key;

    fn p(entity: Entity, value: &str) -> String {
        p_with(&test_key(7), entity, value)
    }

    fn p_with(key: &ScrubKey, entity: Entity, value: &str) -> String {
        let mut out = StrBuf::default();
        write(key, entity, locale("en_GB").unwrap(), value, &mut out);
        out.current().to_string()
    }

    // Invented inputs with valid check digits: they must look real to prove the replacement.
    const CARD: &str = "4556 7375 8689 9855";
    const NHS: &str = "943 476 5919";

    #[test]
    fn cards_become_published_test_cards_in_the_same_format() {
        for input in [CARD, "4556737586899855", "4556-7375-8689-9855"] {
            let out = p(Entity::CardNumber, input);
            assert!(is_reserved(Kind::CardNumber, &out), "{out}");
            let digits: String = out.chars().filter(char::is_ascii_digit).collect();
            assert!(checkdigit::luhn_valid(&digits), "{out}");
            assert_eq!(out.contains(' '), input.contains(' '), "{input} -> {out}");
            assert_eq!(out.contains('-'), input.contains('-'), "{input} -> {out}");
        }
        // One card, three spellings: one pseudonym.
        let plain = |s: &str| s.replace([' ', '-'], "");
        assert_eq!(plain(&p(Entity::CardNumber, CARD)), plain(&p(Entity::CardNumber, "4556-7375-8689-9855")));
    }

    #[test]
    fn nhs_numbers_stay_mod11_valid_in_the_999_range() {
        let out = p(Entity::NhsNumber, NHS);
        assert!(out.starts_with("999 "), "{out}");
        assert!(checkdigit::nhs_valid(&out.replace(' ', "")), "{out}");
        assert!(is_reserved(Kind::NhsNumber, &out));
        assert_eq!(p(Entity::NhsNumber, "9434765919").len(), 10);
    }

    #[test]
    fn emails_go_to_example_com_and_ignore_case() {
        let out = p(Entity::Email, "Jane.Doe@Mailbox.test");
        assert!(out.starts_with("user-") && out.ends_with("@example.com") && out.len() == 33, "{out}");
        assert_eq!(out, p(Entity::Email, "jane.doe@mailbox.test"));
        assert_ne!(out, p(Entity::Email, "john.doe@mailbox.test"));
    }

    #[test]
    fn phones_land_in_drama_or_555_ranges_keeping_their_style() {
        let gb = p(Entity::Phone, "07911 123456");
        assert!(is_reserved(Kind::PhoneGb, &gb) && gb.starts_with('0'), "{gb}");
        let e164 = p(Entity::Phone, "+447911123456");
        assert!(is_reserved(Kind::PhoneGb, &e164) && e164.starts_with("+44") && !e164.contains(' '), "{e164}");
        // The same number in two styles: the same pseudonym number.
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
        assert_eq!(digits(&gb)[1..], digits(&e164)[2..]);
        let us = p(Entity::Phone, "+1 415 867 5309");
        assert!(is_reserved(Kind::PhoneUs, &us), "{us}");
        let dashed = p(Entity::Phone, "415-867-5309");
        assert!(is_reserved(Kind::PhoneUs, &dashed) && dashed.contains('-'), "{dashed}");
    }

    #[test]
    fn ibans_ssns_ninos_and_ips_stay_valid_and_reserved() {
        let iban = p(Entity::Iban, "GB33 BUKB 2020 1555 5555 55");
        assert!(is_reserved(Kind::Iban, &iban) && iban.contains(' '), "{iban}");
        assert!(checkdigit::iban_valid(&iban.replace(' ', "")), "{iban}");
        assert!(is_reserved(Kind::Ssn, &p(Entity::Ssn, "123-45-6789")));
        assert!(is_reserved(Kind::Nino, &p(Entity::Nino, "AB 12 34 56 C")));
        assert!(is_reserved(Kind::Ipv4, &p(Entity::Ipv4, "81.2.69.160")));
        assert!(is_reserved(Kind::Ipv6, &p(Entity::Ipv6, "2a00:1450::1")));
    }

    #[test]
    fn names_come_from_the_dictionary_and_shared_surnames_stay_shared() {
        let a = p(Entity::PersonName, "Alice Example");
        let b = p(Entity::PersonName, "bob  example");
        assert_eq!(a.split(' ').nth(1), b.split(' ').nth(1), "{a} / {b}");
        assert_eq!(a.split(' ').count(), 2);
        let first = p(Entity::FirstName, "Alice");
        assert!(!first.is_empty() && !first.contains(' '));
    }

    #[test]
    fn text_keeps_its_shape() {
        let out = p(Entity::Text, "AB-1234/x");
        assert_eq!(out.len(), 9);
        let shape = |s: &str| {
            s.chars()
                .map(|c| {
                    if c.is_ascii_digit() {
                        '9'
                    } else if c.is_ascii_uppercase() {
                        'A'
                    } else {
                        c
                    }
                })
                .map(|c| if c.is_ascii_lowercase() { 'a' } else { c })
                .collect::<String>()
        };
        assert_eq!(shape(&out), "AA-9999/a");
    }

    #[test]
    fn digit_strings_never_pass_for_cards_or_nhs_numbers() {
        for i in 0..5_000u64 {
            let id = format!("{:016}", i * 7919);
            let out = p(Entity::Text, &id);
            assert_eq!(out.len(), 16);
            assert!(!checkdigit::luhn_valid(&out), "{id} -> {out}");
            let short = p(Entity::Text, &format!("{:010}", i));
            assert!(!checkdigit::nhs_valid(&short), "{short}");
        }
    }

    #[test]
    fn another_key_gives_other_pseudonyms() {
        let (a, b) = (test_key(1), test_key(2));
        let inputs = ["x1@mailbox.test", "x2@mailbox.test", "x3@mailbox.test"];
        let differ = inputs.iter().filter(|v| p_with(&a, Entity::Email, v) != p_with(&b, Entity::Email, v)).count();
        assert_eq!(differ, 3);
        assert_ne!(p_with(&a, Entity::NhsNumber, NHS), p_with(&b, Entity::NhsNumber, NHS));
    }

    #[test]
    fn entity_names_round_trip() {
        for e in Entity::ALL {
            assert_eq!(Entity::parse(e.name()), Some(*e));
        }
    }
}
