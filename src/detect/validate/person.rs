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
    ("adult_birth_date", adult_birth_date),
    ("geo_coordinate", geo_coordinate),
    ("place", place),
    ("place_in_text", place_in_text),
    ("postcode_in_text", postcode_in_text),
    ("geo_in_text", geo_in_text),
    ("birth_date_in_text", birth_date_in_text),
    ("name_in_text", name_in_text),
    ("address_in_text", address_in_text),
    ("address_line_2", address_line_2),
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
    // Fashion, design and household brands named after their founders, as product catalogues
    // spell them. "Paul Smith", "John Lewis" and "Thomas Cook" are here too: in a catalogue
    // or price list they are brands far more often than customers. The cost: a real Paul Smith
    // in free text is missed; in a name column (`name`, `customer`) it is still reported.
    ("alexander", "mcqueen"),
    ("stella", "mccartney"),
    ("levi", "strauss"),
    ("james", "dyson"),
    ("paul", "smith"),
    ("john", "lewis"),
    ("thomas", "cook"),
    ("vivienne", "westwood"),
    ("michael", "kors"),
    ("tory", "burch"),
    ("kate", "spade"),
    ("giorgio", "armani"),
    ("karl", "lagerfeld"),
    ("jimmy", "choo"),
    ("tom", "ford"),
    ("hugo", "boss"),
    ("estee", "lauder"),
    ("yves", "rocher"),
    ("max", "factor"),
    ("jo", "malone"),
    ("russell", "hobbs"),
    ("kenwood", "chef"),
    ("morphy", "richards"),
    ("victoria", "beckham"),
    ("ted", "lapidus"),
    ("dr", "martens"),
    ("christian", "louboutin"),
    ("christian", "dior"),
    ("coco", "chanel"),
    ("louis", "vuitton"),
    ("oscar", "jacobson"),
    ("jamie", "oliver"),
    ("gordon", "ramsay"),
    ("mary", "berry"),
    ("nigella", "lawson"),
    ("ken", "hom"),
    ("paul", "gaultier"),
    ("jean", "gaultier"),
    ("jean", "paul"),
    ("carolina", "herrera"),
    ("donna", "karan"),
    ("betty", "crocker"),
    ("jack", "wills"),
    ("joe", "browns"),
    ("kurt", "geiger"),
    ("jack", "wolfskin"),
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
        static FR: super::WordSet = super::WordSet::new(|| super::word_set(FR_TYPES));
        static NOT: super::WordSet = super::WordSet::new(|| super::word_set(NOT_STREET));
        if super::one_of(&FR, word) {
            return true;
        }
        return !super::one_of(&NOT, word);
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
    written_day(text, |d| d <= today())
}

/// A date of birth of someone between 16 and 110 years old today, written as
/// [`date_of_birth`] reads it. Order dates, log dates and timestamps of recent years fail:
/// a column of these is a birth date column by its values alone.
fn adult_birth_date(text: &str) -> bool {
    let Day(y, m, d) = today();
    written_day(text, |day| Day(y - 110, m, d) <= day && day <= Day(y - 16, m, d))
}

/// Whether `text` is a real day, written as [`date_of_birth`] says, for which `ok` holds
/// (under either reading, for DD/MM and MM/DD).
fn written_day(text: &str, ok: impl Fn(Day) -> bool) -> bool {
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
        (1900..).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m) && ok(Day(y, m, d))
    };
    match (lens[0], lens[2]) {
        (4, 1..=2) => plausible(parts[0], parts[1], parts[2]),
        (1..=2, 4) if sep == b'.' => plausible(parts[2], parts[1], parts[0]),
        (1..=2, 4) => plausible(parts[2], parts[1], parts[0]) || plausible(parts[2], parts[0], parts[1]),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Places

/// A city or town: the whole text is a populated place of the place list (any case, any
/// accents), or one followed by its county, region or country after a comma ("Leeds, West
/// Yorkshire").
fn place(text: &str) -> bool {
    let t = text.trim();
    let head = t.split_once(',').map_or(t, |(h, _)| h.trim_end());
    crate::detect::places::is_place(head)
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

// ---------------------------------------------------------------------------------------------
// Values after their context words
//
// The `*-labelled` rules of `rules/place.toml` and `rules/person.toml` match a context word
// ("lives in", "postcode", "GPS", "born", "my name is") and what follows it; these validators
// judge what follows. The context raises the confidence of a weak pattern, as detectors of
// free text do; without it these values stay unreported.

/// Words that start a capitalised run without naming a place or a person.
const NOT_A_NAME_START: &[&str] = &[
    "the",
    "a",
    "an",
    "our",
    "my",
    "your",
    "his",
    "her",
    "their",
    "this",
    "that",
    "der",
    "die",
    "das",
    "ein",
    "eine",
    "le",
    "la",
    "les",
    "un",
    "une",
    "el",
    "los",
    "las",
    "il",
    "lo",
    "gli",
    "het",
    "een",
    "customer",
    "support",
    "team",
    "sales",
    "accounts",
    "billing",
    "the",
    "ticket",
    "order",
    "email",
    "phone",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "tomorrow",
];

/// The capitalised run that ends `text` after its context words: the words from the first
/// capitalised word after a separator (`:`, space) on.
fn run_after_context(text: &str) -> &str {
    let t = text.trim_end_matches(|c: char| c == '.' || c == ',' || c.is_whitespace());
    // The first word that starts with a capital letter, after at least one word.
    let mut at = None;
    let mut prev_space = false;
    for (i, c) in t.char_indices() {
        if i > 0 && prev_space && c.is_uppercase() {
            at = Some(i);
            break;
        }
        prev_space = c.is_whitespace() || c == ':' || c == '(';
    }
    at.map_or("", |i| &t[i..])
}

/// A place after "lives in", "moved to", "City:"…: a known place (its first one to four
/// words), or, after a context that says someone lives or was born there, any capitalised
/// name that does not start like a heading ("Our", "Customer").
fn place_in_text(text: &str) -> bool {
    let run = run_after_context(text);
    let words: Vec<&str> = run.split_whitespace().take(4).collect();
    for n in (1..=words.len()).rev() {
        let cand = words[..n].join(" ");
        if place(cand.trim_end_matches([',', '.', ';'])) {
            return true;
        }
    }
    let lower = text.to_lowercase();
    let home = [
        "live",
        "born",
        "wohne",
        "wohnt",
        "habite",
        "vivo ",
        "vive ",
        "abito",
        "abita",
        "woon",
        "bor i",
        "bor på",
        "mieszk",
        "city",
        "town",
        "stadt",
        "ville",
        "ciudad",
        "città",
        "plaats",
        "miejscowo",
        "ort:",
        "geboren in",
        "né à",
        "née à",
        "nato a",
        "nata a",
        "nacido en",
        "nacida en",
        "född i",
    ];
    let Some(first) = words.first() else { return false };
    let first = first.trim_end_matches([',', '.', ';']);
    home.iter().any(|h| lower.contains(h))
        && first.chars().count() >= 3
        && first.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        && !NOT_A_NAME_START.contains(&first.to_lowercase().as_str())
}

/// A postcode or ZIP after its context word: UK (full, or the outward code alone), US ZIP or
/// ZIP+4, five digits (DE, FR, ES, IT), NL `1234 AB`, SE `123 45`, PL `12-345`, PT `1234-567`.
fn postcode_in_text(text: &str) -> bool {
    if text.len() > 60 {
        return false; // the code too far from its word
    }
    let t = text.trim_end_matches(|c: char| c == '.' || c == ',' || c == ')' || c.is_whitespace());
    let tokens: Vec<&str> = t.split_whitespace().collect();
    let Some(&last) = tokens.last() else { return false };
    let two = (tokens.len() >= 2).then(|| format!("{} {}", tokens[tokens.len() - 2], last));
    let b = last.as_bytes();
    let digits = |x: &[u8]| !x.is_empty() && x.iter().all(u8::is_ascii_digit);
    let uk_outward = {
        let up = last.to_ascii_uppercase();
        let u = up.as_bytes();
        (2..=4).contains(&u.len())
            && u[0].is_ascii_alphabetic()
            && u.iter().any(u8::is_ascii_digit)
            && match u.iter().position(u8::is_ascii_digit) {
                Some(p @ 1..=2) => {
                    u[..p].iter().all(u8::is_ascii_alphabetic) && u[p + 1..].iter().all(u8::is_ascii_alphanumeric)
                }
                _ => false,
            }
    };
    let nl = |x: &str| {
        let c: Vec<u8> = x.bytes().filter(|&b| b != b' ').collect();
        c.len() == 6 && digits(&c[..4]) && c[4..].iter().all(u8::is_ascii_alphabetic) && c[0] != b'0'
    };
    let dashed =
        |x: &[u8], a: usize, z: usize| x.len() == a + z + 1 && x[a] == b'-' && digits(&x[..a]) && digits(&x[a + 1..]);
    two.as_deref().is_some_and(|w| {
        super::uk::uk_postcode(w) || nl(w) || {
            let wb = w.as_bytes();
            wb.len() == 6 && wb[3] == b' ' && digits(&wb[..3]) && digits(&wb[4..])
        }
    }) || uk_outward
        || (b.len() == 5 && digits(b) && b != b"00000")
        || super::us::us_zip(last)
        || nl(last)
        || dashed(b, 2, 3)
        || dashed(b, 4, 3)
}

/// Two decimal coordinates after a context word ("GPS", "lat … lon …", "geo:"): a latitude
/// and a longitude in range, three decimals or more each, not both zero. Degree signs and
/// hemisphere letters may follow each (`52.0090° N, 1.1388° W`).
fn geo_in_text(text: &str) -> bool {
    if text.len() > 100 {
        return false;
    }
    let mut nums = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let neg = b[i] == b'-' && i + 1 < b.len() && b[i + 1].is_ascii_digit();
        let start = if neg { i + 1 } else { i };
        if start < b.len() && b[start].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let mut j = start;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.') {
                j += 1;
            }
            let s = &text[start..j];
            if let Some((int, frac)) = s.split_once('.') {
                if !int.is_empty() && int.len() <= 3 && frac.len() >= 3 && !frac.contains('.') {
                    if let Ok(v) = s.parse::<f64>() {
                        nums.push(if neg { -v } else { v });
                    }
                }
            }
            i = j;
        } else {
            i += 1;
        }
    }
    match nums[..] {
        [a, b, ..] => a.abs() <= 90.0 && b.abs() <= 180.0 && !(a == 0.0 && b == 0.0),
        _ => false,
    }
}

/// Month names of the supported languages, lower case, by month.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("januar", 1),
    ("februar", 2),
    ("märz", 3),
    ("mai", 5),
    ("juni", 6),
    ("juli", 7),
    ("oktober", 10),
    ("dezember", 12),
    ("janvier", 1),
    ("février", 2),
    ("mars", 3),
    ("avril", 4),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("gennaio", 1),
    ("febbraio", 2),
    ("aprile", 4),
    ("maggio", 5),
    ("giugno", 6),
    ("luglio", 7),
    ("settembre", 9),
    ("ottobre", 10),
    ("dicembre", 12),
    ("januari", 1),
    ("februari", 2),
    ("maart", 3),
    ("mei", 5),
    ("augustus", 8),
    ("augusti", 8),
    ("stycznia", 1),
    ("lutego", 2),
    ("marca", 3),
    ("kwietnia", 4),
    ("maja", 5),
    ("czerwca", 6),
    ("lipca", 7),
    ("sierpnia", 8),
    ("września", 9),
    ("października", 10),
    ("listopada", 11),
    ("grudnia", 12),
    ("mars", 3),
    ("maj", 5),
];

/// A birth date after its context word ("born", "Geburtsdatum", "né le"): a numeric date as
/// [`date_of_birth`] reads it, or a day, a month's name and a year in either order
/// ("14 November 1964", "November 14, 1964", "3. März 1990").
fn birth_date_in_text(text: &str) -> bool {
    if text.len() > 80 {
        return false;
    }
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| matches!(c, '.' | ':' | '(' | ')' | ';')).to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    if words.iter().any(|w| date_of_birth(w)) {
        return true;
    }
    let num = |w: &str| {
        let d = w.trim_end_matches(|c: char| c.is_alphabetic());
        (!d.is_empty() && d.len() <= 4 && d.bytes().all(|b| b.is_ascii_digit())).then(|| d.parse::<u32>().unwrap_or(0))
    };
    for (i, w) in words.iter().enumerate() {
        let Some(&(_, m)) = MONTHS.iter().find(|(n, _)| n == w) else { continue };
        let before = i.checked_sub(1).and_then(|k| num(&words[k]));
        let after = words.get(i + 1).and_then(|x| num(x));
        let after2 = words.get(i + 2).and_then(|x| num(x));
        let (d, y) = match (before, after, after2) {
            (Some(d), Some(y), _) if y >= 1000 => (d, y),
            (_, Some(d), Some(y)) if y >= 1000 && d <= 31 => (d, y),
            _ => continue,
        };
        let y = y as i64;
        if (1900..).contains(&y) && d >= 1 && d <= days_in_month(y, m) && Day(y, m, d) <= today() {
            return true;
        }
    }
    false
}

/// A person's name after a context that introduces one ("my name is", "spoke to", "account
/// holder:", "Ich heiße"): two to four capitalised words, not a heading, not every word an
/// everyday one; or one word that is a dictionary name.
fn name_in_text(text: &str) -> bool {
    let run = run_after_context(text);
    let words: Vec<&str> = run
        .split_whitespace()
        .map(|w| w.trim_end_matches([',', '.', ';', ':']))
        .take_while(|w| w.starts_with(char::is_uppercase) || names::is_particle(w))
        .filter(|w| !names::is_title(w) && !names::is_particle(w))
        .collect();
    let Some(first) = words.first() else { return false };
    if NOT_A_NAME_START.contains(&first.to_lowercase().as_str())
        || crate::detect::places::is_place(first) && words.len() == 1
    {
        return false;
    }
    let letters = |w: &str| w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’');
    if !words.iter().all(|w| letters(w)) {
        return false;
    }
    match words.len() {
        0 => false,
        1 => {
            let f = names::flags(first);
            f & (names::FIRST | names::LAST) != 0 && f & names::AMBIGUOUS == 0
        }
        _ => !words.iter().all(|w| names::is_ambiguous(w) || names::flags(w) == 0 && w.len() <= 2),
    }
}

/// A street address after its context word ("address:", "ship to", "dirección", "ul."):
/// a house number of one to five digits (a letter may follow) and a capitalised word of two
/// letters or more in what follows, within 60 characters.
fn address_in_text(text: &str) -> bool {
    // What follows the context word, within 70 bytes (at a character boundary).
    let mut end = text.len().min(70);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let t: &str = &text[..end];
    // A number followed by a unit is a measurement, not a house: `(4664 ms)`. `22/57` is a
    // house and a flat.
    const UNITS: &[&str] = &[
        "ms", "s", "sec", "secs", "seconds", "min", "mins", "minutes", "h", "hrs", "hours", "days", "kb", "mb", "gb",
        "items", "errors", "retries", "times", "rows", "records", "px", "x", "tries", "attempts",
    ];
    let words: Vec<&str> = t.split(|c: char| !c.is_alphanumeric() && c != '%').filter(|w| !w.is_empty()).collect();
    let has_number = words.iter().enumerate().any(|(i, w)| {
        let d = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let unit = words.get(i + 1).is_some_and(|n| UNITS.contains(&n.to_ascii_lowercase().as_str()));
        (1..=5).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && w.len() - d.len() <= 2 && !unit
    });
    let has_name = t
        .split(|c: char| !c.is_alphabetic())
        .skip(1)
        .any(|w| w.chars().count() >= 2 && w.starts_with(char::is_uppercase));
    has_number && has_name
}

/// An address line 2 as the rule's regex places it: the designator's number holds a digit, or
/// is one or two letters (`Flat B`, `Suite 2A`).
fn address_line_2(text: &str) -> bool {
    let mut words = text.split_whitespace();
    let designator = words.next().unwrap_or("");
    let number =
        if designator.starts_with('#') && designator.len() > 1 { &designator[1..] } else { words.next().unwrap_or("") };
    let number = number.trim_end_matches([',', '.']);
    number.bytes().any(|b| b.is_ascii_digit())
        || (1..=2).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_after_their_context_words() {
        assert!(place_in_text("Customer has relocated to Chester, update"));
        assert!(place_in_text("I was born in Scunthorpe"));
        assert!(place_in_text("Ich wohne in Waidmannslust"));
        assert!(!place_in_text("ticket moved to Done"));
        assert!(postcode_in_text("postcode changed to SM4 0GG."));
        assert!(postcode_in_text("My postcode is HR2."));
        assert!(postcode_in_text("Neue PLZ laut Kundin: 21689."));
        assert!(postcode_in_text("Mijn postcode is 1067SK."));
        assert!(!postcode_in_text("zip file of 3 MB"));
        assert!(geo_in_text("GPS (42.852138, -71.488052)"));
        assert!(geo_in_text("Last known location: 52.0090° N, 1.1388° W"));
        assert!(!geo_in_text("location: rack 12, shelf 3"));
        assert!(birth_date_in_text("I was born on November 14, 1964."));
        assert!(birth_date_in_text("Geburtsdatum 19.10.1979 zur"));
        assert!(birth_date_in_text("née le 3 mars 1971"));
        assert!(!birth_date_in_text("born in 2099-01-01"));
        assert!(name_in_text("Spoke to Katherine Dale about"));
        assert!(name_in_text("Mijn naam is Jordy Kolster."));
        assert!(!name_in_text("spoke to the Customer Team"));
        assert!(!name_in_text("spoke to Support"));
        assert!(address_in_text("Ship replacement to 6536 S 26th Dr."));
        assert!(!address_in_text("address the 3 open points"));
    }

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
