//! Validators: person data — names (against [`crate::detect::names`]), street addresses, dates
//! of birth and geographic coordinates.
//!
//! The regexes of `rules/person.toml` are kept loose (runs of capitalised words, any number
//! with decimals); these validators decide. None allocates: names are looked up through a
//! stack buffer, numbers are parsed by hand.

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use super::Validator;
use crate::detect::names;
use crate::temporal::{civil_from_days, days_in_month};

pub const VALIDATORS: &[(&str, Validator)] = &[
    ("person_name", person_name),
    ("name_part", name_part),
    ("name_single", name_single),
    ("street_address", street_address),
    ("date_of_birth", date_of_birth),
    ("geo_coordinate", geo_coordinate),
];

/// A calendar day, ordered by date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Day(pub i64, pub u32, pub u32);

/// Today (UTC), read from the clock once per process: a birth date is not in the future.
pub(super) fn today() -> Day {
    static TODAY: OnceLock<Day> = OnceLock::new();
    *TODAY.get_or_init(|| {
        let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let (y, m, d) = civil_from_days((secs / 86_400) as i64);
        Day(y, m, d)
    })
}

// ---------------------------------------------------------------------------------------------
// Names

/// One word of a capitalised run, as the name rules see it.
#[derive(Clone, Copy, Default)]
struct Unit<'a> {
    text: &'a str,
    first: bool,
    last: bool,
    ambiguous: bool,
    /// "J." — a middle initial.
    initial: bool,
    /// "Mr", "Dr", "Frau", "Mme" — a courtesy title.
    title: bool,
    /// "van", "de", "Da" — a particle before a family name.
    particle: bool,
}

/// Brands and places whose name is a dictionary given name followed by a dictionary surname.
/// They are never reported as a person. Brands named after a founder whose name is also common
/// ("Paul Smith", "John Lewis", "Thomas Cook") are deliberately left out: a real Paul Smith in
/// personal data is likelier than the brand, and a false positive costs less than a leak.
const NOT_PEOPLE: &[(&str, &str)] = &[
    ("aston", "martin"),
    ("beverly", "hills"),
    ("calvin", "klein"),
    ("harley", "davidson"),
    ("jack", "daniel"),
    ("johnnie", "walker"),
    ("marc", "jacobs"),
    ("mercedes", "benz"),
    ("morgan", "stanley"),
    ("ralph", "lauren"),
    ("tommy", "hilfiger"),
    ("laura", "ashley"),
    ("ben", "sherman"),
    ("oscar", "mayer"),
    ("anne", "klein"),
    ("kenneth", "cole"),
    ("fred", "perry"),
    ("maida", "vale"),
    ("santa", "cruz"),
    ("sierra", "leone"),
    ("monte", "rosa"),
    ("ted", "baker"),
    ("sara", "lee"),
    ("philip", "morris"),
    ("foster", "grant"),
];

impl<'a> Unit<'a> {
    /// Classifies a token of a run; the token may end with "." (titles, initials). The regex
    /// lets any non-ASCII character into a token, so quotes and dashes around it are cut here.
    fn new(token: &'a str) -> Unit<'a> {
        let token = token
            .trim_start_matches(|c: char| !c.is_alphabetic())
            .trim_end_matches(|c: char| !c.is_alphabetic() && c != '.');
        let word = token.strip_suffix('.').unwrap_or(token);
        let mut u = Unit { text: word, ..Unit::default() };
        let mut chars = word.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            u.initial = c.is_uppercase() && token.ends_with('.');
            u.particle = c == 'y' && !token.ends_with('.');
            return u;
        }
        // "Smith's" is Smith.
        let word = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")).unwrap_or(word);
        let whole = names::flags(word);
        u.particle = whole & names::PARTICLE != 0;
        u.title = whole & names::TITLE != 0;
        if u.title {
            return u;
        }
        u.first = whole & names::FIRST != 0;
        u.last = whole & names::LAST != 0;
        u.ambiguous = whole & names::AMBIGUOUS != 0;
        if whole & (names::FIRST | names::LAST) == 0 && word.contains('-') {
            // "Jean-Pierre" is a given name if "Jean" is; "Smith-Jones" a surname if a part is.
            let mut all_ambiguous = true;
            for (i, part) in word.split('-').enumerate() {
                let f = names::flags(part);
                u.first |= i == 0 && f & names::FIRST != 0;
                u.last |= f & names::LAST != 0;
                all_ambiguous &= f & names::AMBIGUOUS != 0;
            }
            u.ambiguous = all_ambiguous;
        }
        u
    }

    fn is_name(&self) -> bool {
        self.first || self.last
    }
}

/// A listed brand or place, or one word twice ("Johnson Johnson").
fn not_people(first: &str, last: &str) -> bool {
    let last = last.strip_suffix("'s").or_else(|| last.strip_suffix("’s")).unwrap_or(last);
    first.eq_ignore_ascii_case(last)
        || NOT_PEOPLE.iter().any(|(f, l)| f.eq_ignore_ascii_case(first) && l.eq_ignore_ascii_case(last))
}

/// Given name then family name: both in the dictionaries, not both everyday words ("Summer
/// Price"), and not a brand or place named like a person.
fn given_then_family(a: &Unit<'_>, b: &Unit<'_>) -> bool {
    a.first && b.last && !(a.ambiguous && b.ambiguous) && !not_people(a.text, b.text)
}

/// A full name somewhere in a run of capitalised words: "Anna Schmidt", "Report By Anna
/// Schmidt", "Anna M. Schmidt", "Sanne van Dijk", "Mr Schmidt".
///
/// The regex matches the whole run, so a heading before the name does not hide it; windows of
/// two and three words are tried. A word ending in "." other than a title or an initial ends
/// a sentence, and no name spans it.
fn person_name(text: &str) -> bool {
    let (mut a, mut b): (Option<Unit<'_>>, Option<Unit<'_>>) = (None, None);
    for token in text.split([' ', '\t']).filter(|t| !t.is_empty()) {
        let u = Unit::new(token);
        // Lower-case particles link a given name to a family name; a capitalised one may be
        // a family name's first word ("Da Silva", "Le Goff") and is skipped too.
        let capital = u.text.starts_with(char::is_uppercase);
        if u.particle && (b.is_some() || !capital) {
            continue;
        }
        // The regex takes any non-ASCII character for a capital: "élan Schmidt" is no name.
        if !capital {
            (a, b) = (None, None);
            continue;
        }
        if let Some(prev) = &b {
            if given_then_family(prev, &u) || (prev.title && u.last && !u.ambiguous) {
                return true;
            }
            if let Some(first) = &a {
                if (prev.initial || prev.is_name()) && given_then_family(first, &u) {
                    return true;
                }
            }
        }
        if token.ends_with('.') && !u.initial && !u.title {
            (a, b) = (None, None);
        } else {
            (a, b) = (b, Some(u));
        }
    }
    false
}

/// Splits a name cell into words: spaces, commas and tabs separate; "." ends initials.
fn cell_words(text: &str) -> impl Iterator<Item = &str> {
    text.split([' ', ',', '\t', ';']).map(|w| w.trim_end_matches('.')).filter(|w| !w.is_empty())
}

/// A cell of a column named for a name part (`first_name`, `surname`…): every word is a
/// dictionary name in either role ("Anna", "smith", "Anne-Marie", "Smith, Anna", "de Vries"),
/// initials and particles aside, at most six words. Any case: the column says what it is.
fn name_part(text: &str) -> bool {
    let mut names_seen = 0;
    for (i, w) in cell_words(text).enumerate() {
        if i >= 6 {
            return false;
        }
        let mut chars = w.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if c.is_alphabetic() {
                continue; // an initial
            }
            return false;
        }
        let f = names::flags(w);
        if f & names::PARTICLE != 0 {
            continue;
        }
        let known = f & (names::FIRST | names::LAST) != 0
            || (w.contains('-') && w.split('-').all(|p| names::flags(p) & (names::FIRST | names::LAST) != 0));
        if !known {
            return false;
        }
        names_seen += 1;
    }
    names_seen > 0
}

/// A lone capitalised name in a column whose name merely contains "name" (`name`,
/// `customer_name`, but also `city_name`, `product_name`): a dictionary name that is not also a
/// place, brand or everyday word ("Schmidt" yes; "Paris", "Ford", "Summer" no).
fn name_single(text: &str) -> bool {
    let w = text.trim();
    if !w.starts_with(char::is_uppercase) || w.contains([' ', '\t']) {
        return false;
    }
    let u = Unit::new(w);
    u.is_name() && !u.ambiguous && !u.title && !u.initial
}

// ---------------------------------------------------------------------------------------------
// Street addresses

/// First words of "<number> <words> <street type>" that count something rather than name a
/// street: "7 Day Close" (accounting), "24 Hour Drive", "4 Lane Highway", "2 Way Street",
/// "4 Supreme Court".
const NOT_STREET: &[&str] = &[
    "day", "days", "hour", "hours", "week", "weeks", "month", "months", "year", "years", "minute", "minutes", "second",
    "seconds", "time", "times", "percent", "page", "pages", "item", "items", "point", "points", "step", "steps",
    "star", "stars", "floor", "floors", "level", "levels", "room", "rooms", "unit", "units", "player", "players",
    "person", "people", "man", "men", "seat", "seats", "door", "doors", "factor", "supreme", "mile", "miles",
    "version", "chapter", "part", "lane", "way", "track", "tracks", "game", "games", "round", "rounds",
];

/// French street types: after the number the type, not a name ("5 rue de la Paix").
const FR_TYPES: &[&str] = &[
    "rue",
    "avenue",
    "av",
    "boulevard",
    "bd",
    "allée",
    "allee",
    "place",
    "impasse",
    "chemin",
    "quai",
    "cours",
    "route",
    "square",
    "passage",
    "villa",
    "cité",
    "faubourg",
    "rond-point",
    "voie",
    "sentier",
    "esplanade",
    "promenade",
    "montée",
    "hameau",
    "résidence",
    "lotissement",
];

/// A street address as the regex found it: "12 Quillfeather Lane", "8 rue des Fauvettes",
/// "Quarzblumenstraße 7", "Via dei Ciclamini, 4". The building number must be 1–99999, and in
/// the English form the first word must not be a unit ("24 Hour Drive").
fn street_address(text: &str) -> bool {
    let text = text.trim();
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        if !building_number(&text[..digits]) {
            return false;
        }
        let mut words = text[digits..].split([' ', ',']).filter(|w| !w.is_empty());
        let mut word = words.next().unwrap_or("");
        // "12A", "12 B", "7 bis": a suffix of the number, not a street word.
        if word.len() == 1 || ["bis", "ter"].contains(&word) {
            word = words.next().unwrap_or("");
        }
        let word = word.trim_end_matches('.');
        if FR_TYPES.iter().any(|t| t.eq_ignore_ascii_case(word)) {
            return true;
        }
        return !NOT_STREET.iter().any(|n| n.eq_ignore_ascii_case(word));
    }
    // German, Dutch, Italian and Portuguese forms end with the number (and perhaps a letter).
    let end = text.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == ' ');
    let digits = end.bytes().rev().take_while(u8::is_ascii_digit).count();
    building_number(&end[end.len() - digits..])
}

fn building_number(digits: &str) -> bool {
    !digits.is_empty() && digits.len() <= 5 && digits.bytes().any(|b| b != b'0')
}

// ---------------------------------------------------------------------------------------------
// Dates of birth

/// A date that could be someone's birthday: a real day between 1900-01-01 and today, written
/// YYYY-MM-DD (or with "/" or "."), DD/MM/YYYY, MM/DD/YYYY (either reading), DD.MM.YYYY or
/// DD-MM-YYYY, one separator throughout. An ISO timestamp's "T" may follow.
fn date_of_birth(text: &str) -> bool {
    let text = text.trim().trim_end_matches('T');
    let b = text.as_bytes();
    let Some(&sep) = b.iter().find(|c| !c.is_ascii_digit()) else { return false };
    if !matches!(sep, b'-' | b'/' | b'.') {
        return false;
    }
    let mut parts = [0u32; 3];
    let mut lens = [0usize; 3];
    let mut n = 0;
    for part in text.split(sep as char) {
        if n == 3 || part.is_empty() || part.len() > 4 || !part.bytes().all(|c| c.is_ascii_digit()) {
            return false;
        }
        parts[n] = part.bytes().fold(0, |a, c| a * 10 + (c - b'0') as u32);
        lens[n] = part.len();
        n += 1;
    }
    if n != 3 {
        return false;
    }
    let plausible = |y: u32, m: u32, d: u32| {
        let y = y as i64;
        (1900..).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m) && Day(y, m, d) <= today()
    };
    match (lens[0], lens[2]) {
        (4, 1..=2) => plausible(parts[0], parts[1], parts[2]),
        (1..=2, 4) if sep == b'.' => plausible(parts[2], parts[1], parts[0]),
        (1..=2, 4) => plausible(parts[2], parts[1], parts[0]) || plausible(parts[2], parts[0], parts[1]),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Geographic coordinates

/// One decimal degree: (whole degrees, fraction not zero), for `[+-]?D{1,3}.D{3,}`.
fn degrees(s: &str) -> Option<(u32, bool)> {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int, frac) = s.split_once('.')?;
    if int.is_empty() || int.len() > 3 || frac.len() < 3 || frac.len() > 15 {
        return None;
    }
    if !int.bytes().chain(frac.bytes()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole = int.bytes().fold(0, |a, c| a * 10 + (c - b'0') as u32);
    Some((whole, frac.bytes().any(|c| c != b'0')))
}

fn within(d: (u32, bool), limit: u32) -> bool {
    d.0 < limit || (d.0 == limit && !d.1)
}

/// Decimal degrees with at least three decimals (about 100 m), within ±180, or a pair
/// "lat, lon" (or "lon lat", as WKT writes it) where one is within ±90 and the other ±180.
/// 0.000 — "null island", a placeholder — is not a location.
fn geo_coordinate(text: &str) -> bool {
    let mut parts = text.split([',', ';', ' ', '\t']).filter(|p| !p.is_empty());
    let (Some(a), b, None) = (parts.next(), parts.next(), parts.next()) else { return false };
    let Some(a) = degrees(a) else { return false };
    match b {
        None => within(a, 180) && (a.0 != 0 || a.1),
        Some(b) => {
            let Some(b) = degrees(b) else { return false };
            let zero = |d: (u32, bool)| d.0 == 0 && !d.1;
            ((within(a, 90) && within(b, 180)) || (within(a, 180) && within(b, 90))) && !(zero(a) && zero(b))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_names_in_text() {
        for v in [
            "Anna Schmidt",
            "Report By Anna Schmidt",
            "Anna M. Schmidt",
            "Anna Maria Schmidt",
            "ANNA SCHMIDT",
            "Sanne van Dijk",
            "Maria Da Silva",
            "Mr Schmidt",
            "Dr. Schmidt",
            "Jean-Pierre Dupont",
            "Anna Schmidt-Weber",
            "Anna Schmidt's",
            "Zoé Lefebvre",
            "“Zoé Lefebvre”",
            "Émile Zola-Dupont",
            "Maria García",
            "Anna Nowak",
            "Lars Andersson",
        ] {
            assert!(person_name(v), "{v}");
        }
    }

    #[test]
    fn not_full_names() {
        for v in [
            "Ford Focus",
            "Dell XPS",
            "Summer Price List",
            "Forest Green",
            "Pearl White",
            "May Sales Report",
            "Calvin Klein Jeans",
            "Beverly Hills",
            "Johnnie Walker Black Label",
            "Invoice Total",
            "Anna. Schmidt",
            "Dr. Green",
            "Lorem Ipsum Dolor Sit Amet",
            "Dolores Quia Voluptatem",
            "Long Weekend Young Adult",
            "Per Unit Price",
            "élodie Lefebvre",
            "Anna — Lefebvre",
        ] {
            assert!(!person_name(v), "{v}");
        }
    }

    #[test]
    fn cloud_regions_are_not_people() {
        // Azure and AWS display names, GCP zones: compass words and places.
        for v in [
            "West Europe",
            "North Europe",
            "East US",
            "West US 2",
            "South Central US",
            "North Central US",
            "UK South",
            "UK West",
            "France Central",
            "Germany West Central",
            "Sweden Central",
            "Switzerland North",
            "Norway East",
            "Central India",
            "South India",
            "Jio India West",
            "Japan East",
            "Australia Southeast",
            "Brazil South",
            "Canada Central",
            "Korea Central",
            "Italy North",
            "Poland Central",
            "Israel Central",
            "Qatar Central",
            "Mexico Central",
            "Spain Central",
            "New Zealand North",
            "US East N. Virginia",
            "Europe Paris",
            "Europe Milan",
            "Asia Pacific Sydney",
            "South America Sao Paulo",
            "Africa Cape Town",
            "Middle East Bahrain",
        ] {
            assert!(!person_name(v), "{v}");
        }
    }

    #[test]
    fn name_parts_in_name_columns() {
        for v in ["Anna", "anna", "Schmidt", "Anne-Marie", "Schmidt, Anna", "de Vries", "Anna M.", "May"] {
            assert!(name_part(v), "{v}");
        }
        for v in ["", "Invoice", "Anna 2", "n/a", "Anna Invoice", "A.", "van der"] {
            assert!(!name_part(v), "{v}");
        }
        for v in ["Schmidt", "Anna", "Zoé", " Dupont "] {
            assert!(name_single(v), "{v}");
        }
        for v in ["Ford", "Paris", "Summer", "Dell", "schmidt", "Anna Schmidt", "Mr", "Boots", "Mars", "Morrisons"] {
            assert!(!name_single(v), "{v}");
        }
    }

    #[test]
    fn street_addresses() {
        for v in [
            "47 Quillfeather Lane",
            "12A Quillfeather Road",
            "8 rue des Fauvettes",
            "Quarzblumenstraße 7",
            "Via dei Ciclamini, 4",
        ] {
            assert!(street_address(v), "{v}");
        }
        for v in
            ["7 Day Close", "24 Hour Drive", "0 Quillfeather Lane", "Quarzblumenstraße 0", "123456 Quillfeather Lane"]
        {
            assert!(!street_address(v), "{v}");
        }
    }

    #[test]
    fn dates_of_birth() {
        for v in [
            "1985-03-12",
            "1985-03-12T",
            "12/03/1985",
            "03/31/1985",
            "31.03.1985",
            "31-03-1985",
            "1900-01-01",
            "2000-02-29",
        ] {
            assert!(date_of_birth(v), "{v}");
        }
        for v in [
            "1899-12-31",
            "2999-01-01",
            "1985-13-01",
            "1985-02-30",
            "1985-03/12",
            "31.13.1985",
            "13.31.1985",
            "1985-03-12-01",
            "12/03/85",
            "2001-02-29",
        ] {
            assert!(!date_of_birth(v), "{v}");
        }
        let Day(y, m, d) = today();
        assert!(date_of_birth(&format!("{y:04}-{m:02}-{d:02}")), "born today");
        assert!(!date_of_birth(&format!("{:04}-01-01", y + 1)), "next year");
    }

    #[test]
    fn coordinates() {
        for v in [
            "51.5074",
            "-0.1278",
            "51.5074, -0.1278",
            "-33.8688;151.2093",
            "151.2093 -33.8688",
            "180.000",
            "-90.000, 180.000",
        ] {
            assert!(geo_coordinate(v), "{v}");
        }
        for v in [
            "51.50",
            "181.000",
            "95.123, 95.123",
            "0.000",
            "0.000, 0.000",
            "1.2.3",
            "51.5074, -0.1278, 3.000",
            "abc.def",
        ] {
            assert!(!geo_coordinate(v), "{v}");
        }
    }
}
