//! Locales: fake's dictionaries (plus our own British data) as allocation-free value writers.
//!
//! Writers append to the value being built in a [`StrBuf`] and leave ending it to the caller;
//! every choice comes from the [`CellRng`], so output is a function of its state alone.

mod de_de;
mod en_gb;
mod fr_fr;
mod it_it;
mod nl_nl;
mod pt_br;

use fake::locales::{self as fk, Data};

use super::rng::CellRng;
use crate::batch::StrBuf;

type Words = &'static [&'static str];

/// The canonical locale codes, as [`locale`] accepts them and [`Locale::code`] reports them.
pub const LOCALE_CODES: &[&str] = &["en", "en_GB", "fr_FR", "de_DE", "it_IT", "nl_NL", "pt_BR"];

static LOCALES: [&Locale; 7] = [&EN, &EN_GB, &FR_FR, &DE_DE, &IT_IT, &NL_NL, &PT_BR];

/// Looks a locale up by code: case-insensitive, `-` or `_` as separator, `en_US` meaning `en`.
pub fn locale(code: &str) -> Option<&'static Locale> {
    if same_code(code, "en_US") {
        return Some(&EN);
    }
    LOCALES.iter().copied().find(|l| same_code(code, l.code))
}

fn same_code(a: &str, b: &str) -> bool {
    let norm = |c: u8| if c == b'-' { b'_' } else { c.to_ascii_lowercase() };
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| norm(x) == norm(y))
}

/// One locale's dictionaries and the conventions for putting them together.
pub struct Locale {
    pub code: &'static str,
    country_name: &'static str,
    country_code: &'static str,
    first_names: Words,
    last_names: Words,
    titles: Words,
    states: Words,
    street: Street,
    city: City,
    postcode: Postcode,
    company_suffixes: Words,
    /// Joins two surnames in a company name: "Smith and Jones", "Müller & Schmidt".
    company_joiner: &'static str,
    job: Job,
    lorem: Words,
}

impl std::fmt::Debug for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locale").field("code", &self.code).finish_non_exhaustive()
    }
}

struct Street {
    /// "Road", "rue", "straße", "Via"…
    types: Words,
    /// Street names that are not people ("Acacia", "de la Paix", "Haupt"); people's names come
    /// from the locale's name lists.
    stems: Words,
    style: StreetStyle,
}

enum StreetStyle {
    /// "12 Oak Road", "7 Smith Avenue"; without stems, half first names and half surnames.
    NumberNameType,
    /// "5 rue de la Paix", "18 avenue Jean Dupont".
    French,
    /// "Hauptstraße 5", "Schmidtweg 12", "Hans-Müller-Straße 3".
    German,
    /// "Kerkstraat 12", "Sanne de Jongstraat 4".
    Dutch,
    /// "Via Roma, 12", "Rua Maria da Silva, 123".
    TypeNameNumber,
}

enum City {
    /// Real place names.
    Towns(Words),
    /// A surname (its last word) with an optional prefix and suffix, fake's scheme:
    /// "North Smithton", "Bad Schmidtheim", "Rossi del Lago", "Dupont-sur-Loire".
    Composed {
        prefixes: Words,
        suffixes: Words,
        /// Between stem and suffix: fused ("Smithton") or spaced ("Rossi del Lago").
        joiner: &'static str,
        p_prefix: f64,
        p_suffix: f64,
        /// German towns are sometimes qualified by their river: "Schmidtheim (Oder)".
        rivers: Words,
    },
}

enum Postcode {
    /// Five digits, zero-padded, drawn from `lo..=hi` (the range in use).
    Digits { lo: u32, hi: u32 },
    /// "SW1A 1AA".
    Uk,
    /// "1234 AB".
    Dutch,
    /// "12345-678".
    Brazil,
}

struct Job {
    seniority: Words,
    fields: Words,
    positions: Words,
    order: JobOrder,
}

enum JobOrder {
    /// "Senior Marketing Manager".
    SeniorityFieldPosition,
    /// "Directeur Senior Marketing" (fake's Dutch and Italian template).
    PositionSeniorityField,
    /// "Chef de projet informatique senior", "Analista de Vendas" (seniority sometimes).
    PositionFieldSeniority,
    /// "Leitender Referent Vertrieb", "Berater Controlling" (seniority sometimes).
    SeniorityPositionField,
}

impl Locale {
    pub fn first_name(&self, rng: &mut CellRng) -> &'static str {
        pick(rng, self.first_names)
    }

    pub fn last_name(&self, rng: &mut CellRng) -> &'static str {
        pick(rng, self.last_names)
    }

    /// A courtesy title: "Mr.", "Dr.", "Frau", "Mme"…
    pub fn title(&self, rng: &mut CellRng) -> &'static str {
        pick(rng, self.titles)
    }

    /// All supported locales put the given name first, as fake's `NAME_TPL` does for each.
    pub fn write_full_name(&self, first: &str, last: &str, out: &mut StrBuf) {
        out.extend(first);
        out.extend(" ");
        out.extend(last);
    }

    /// A building number and street, in the locale's order.
    pub fn write_street_address(&self, rng: &mut CellRng, out: &mut StrBuf) {
        let number = building_number(rng);
        let Street { types, stems, ref style } = self.street;
        match style {
            StreetStyle::NumberNameType => {
                write_u32(out, number);
                out.extend(" ");
                let name = if stems.is_empty() {
                    if rng.chance(0.5) {
                        self.first_name(rng)
                    } else {
                        self.last_name(rng)
                    }
                } else if rng.chance(0.8) {
                    pick(rng, stems)
                } else {
                    self.last_name(rng)
                };
                out.extend(name);
                out.extend(" ");
                out.extend(pick(rng, types));
            }
            StreetStyle::French => {
                write_u32(out, number);
                out.extend(" ");
                // fake capitalises the street type; French addresses write it in lower case.
                extend_first_char(out, pick(rng, types), false);
                out.extend(" ");
                let r = rng.unit();
                if r < 0.4 {
                    out.extend(pick(rng, stems));
                } else if r < 0.7 {
                    self.write_full_name(self.first_name(rng), self.last_name(rng), out);
                } else {
                    out.extend(self.last_name(rng));
                }
            }
            StreetStyle::German => {
                let kind = pick(rng, types);
                let r = rng.unit();
                if r < 0.4 {
                    out.extend(pick(rng, stems));
                    out.extend(kind);
                } else {
                    let first = if r < 0.6 { Some(self.first_name(rng)) } else { None };
                    let last = self.last_name(rng);
                    // German fuses a one-word name with the street type ("Schmidtweg") but
                    // hyphenates every part of a longer one ("Karl-Heinz-Müller-Straße").
                    if first.is_none() && !last.bytes().any(|b| b == b' ' || b == b'-') {
                        out.extend(last);
                        out.extend(kind);
                    } else {
                        if let Some(first) = first {
                            extend_hyphenated(out, first);
                            out.extend("-");
                        }
                        extend_hyphenated(out, last);
                        out.extend("-");
                        extend_first_char(out, kind, true);
                    }
                }
                out.extend(" ");
                write_u32(out, number);
            }
            StreetStyle::Dutch => {
                let r = rng.unit();
                if r < 0.4 {
                    out.extend(pick(rng, stems));
                } else if r < 0.8 {
                    // Dutch keeps the spaces of a full name and fuses only the last word:
                    // "Pieter de Hoochstraat".
                    self.write_full_name(self.first_name(rng), self.last_name(rng), out);
                } else {
                    extend_first_char(out, self.last_name(rng), true);
                }
                out.extend(pick(rng, types));
                out.extend(" ");
                write_u32(out, number);
            }
            StreetStyle::TypeNameNumber => {
                out.extend(pick(rng, types));
                out.extend(" ");
                let r = rng.unit();
                if r < 0.4 {
                    out.extend(pick(rng, stems));
                } else if r < 0.75 {
                    self.write_full_name(self.first_name(rng), self.last_name(rng), out);
                } else {
                    out.extend(self.last_name(rng));
                }
                out.extend(", ");
                write_u32(out, number);
            }
        }
    }

    pub fn write_city(&self, rng: &mut CellRng, out: &mut StrBuf) {
        match self.city {
            City::Towns(towns) => out.extend(pick(rng, towns)),
            City::Composed { prefixes, suffixes, joiner, p_prefix, p_suffix, rivers } => {
                if !prefixes.is_empty() && rng.chance(p_prefix) {
                    out.extend(pick(rng, prefixes));
                    out.extend(" ");
                }
                out.extend(last_word(self.last_name(rng)));
                if rng.chance(p_suffix) {
                    out.extend(joiner);
                    out.extend(pick(rng, suffixes));
                }
                if !rivers.is_empty() && rng.chance(0.1) {
                    out.extend(" ");
                    out.extend(pick(rng, rivers));
                }
            }
        }
    }

    pub fn write_postcode(&self, rng: &mut CellRng, out: &mut StrBuf) {
        match self.postcode {
            Postcode::Digits { lo, hi } => {
                write_padded(out, between(rng, lo, hi), 5);
            }
            Postcode::Uk => write_uk_postcode(rng, out),
            Postcode::Dutch => {
                // Postcodes never use F, I, O, Q, U or Y, nor the pairs SA, SD and SS.
                const LETTERS: &[u8] = b"ABCDEGHJKLMNPRSTVWXZ";
                write_u32(out, between(rng, 1000, 9999));
                out.extend(" ");
                let first = pick_byte(rng, LETTERS);
                let mut second = pick_byte(rng, LETTERS);
                while first == b'S' && matches!(second, b'A' | b'D' | b'S') {
                    second = pick_byte(rng, LETTERS);
                }
                out.extend_ascii(&[first, second]);
            }
            Postcode::Brazil => {
                let cep = between(rng, 1_000_000, 99_999_999);
                write_padded(out, cep / 1000, 5);
                out.extend("-");
                write_padded(out, cep % 1000, 3);
            }
        }
    }

    /// A region, state, province or county.
    pub fn state(&self, rng: &mut CellRng) -> &'static str {
        pick(rng, self.states)
    }

    /// The locale's own country, in its own language.
    pub fn country_name(&self) -> &'static str {
        self.country_name
    }

    /// The locale's own country as an ISO 3166-1 alpha-2 code.
    pub fn country_code(&self) -> &'static str {
        self.country_code
    }

    /// "Smith LLC", "Müller & Schmidt GmbH", "Bianchi e Rossi S.r.l.".
    pub fn write_company(&self, rng: &mut CellRng, out: &mut StrBuf) {
        let first = self.last_name(rng);
        // A name that opens the value loses its lower-case particle: "Da Silva e Filhos".
        extend_first_char(out, first, true);
        let suffix = pick(rng, self.company_suffixes);
        if rng.chance(0.35) {
            let mut second = self.last_name(rng);
            while second == first {
                second = self.last_name(rng);
            }
            out.extend(" ");
            out.extend(self.company_joiner);
            out.extend(" ");
            out.extend(second);
            // A phrase suffix after two names reads badly: "Smith and Jones and Sons".
            if suffix.contains(' ') {
                return;
            }
        }
        out.extend(" ");
        out.extend(suffix);
    }

    pub fn write_job_title(&self, rng: &mut CellRng, out: &mut StrBuf) {
        let Job { seniority, fields, positions, ref order } = self.job;
        match order {
            JobOrder::SeniorityFieldPosition => {
                out.extend(pick(rng, seniority));
                out.extend(" ");
                out.extend(pick(rng, fields));
                out.extend(" ");
                out.extend(pick(rng, positions));
            }
            JobOrder::PositionSeniorityField => {
                out.extend(pick(rng, positions));
                out.extend(" ");
                out.extend(pick(rng, seniority));
                out.extend(" ");
                out.extend(pick(rng, fields));
            }
            JobOrder::PositionFieldSeniority => {
                out.extend(pick(rng, positions));
                out.extend(" ");
                out.extend(pick(rng, fields));
                if rng.chance(0.4) {
                    out.extend(" ");
                    out.extend(pick(rng, seniority));
                }
            }
            JobOrder::SeniorityPositionField => {
                if rng.chance(0.4) {
                    out.extend(pick(rng, seniority));
                    out.extend(" ");
                }
                out.extend(pick(rng, positions));
                out.extend(" ");
                out.extend(pick(rng, fields));
            }
        }
    }

    pub fn lorem_words(&self) -> &'static [&'static str] {
        self.lorem
    }
}

#[inline]
fn pick(rng: &mut CellRng, words: Words) -> &'static str {
    words[rng.index(words.len())]
}

#[inline]
fn pick_byte(rng: &mut CellRng, bytes: &[u8]) -> u8 {
    bytes[rng.index(bytes.len())]
}

/// fake's name lists carry a few typos ("Ricci\t", "Floris,", `D"ávila`). They are tidied once,
/// at compile time, so that picking a name stays a plain index.
macro_rules! tidy {
    ($list:expr) => {{
        const LIST: Words = $list;
        const TIDY: [&str; tidy_len(LIST)] = tidy_list(LIST);
        &TIDY
    }};
}

/// The entry without trailing commas and whitespace; `None` if it holds a quote.
const fn tidy_entry(s: &'static str) -> Option<&'static str> {
    let bytes = s.as_bytes();
    let mut end = bytes.len();
    while end > 0 && (bytes[end - 1] == b',' || bytes[end - 1].is_ascii_whitespace()) {
        end -= 1;
    }
    let mut i = 0;
    while i < end {
        if bytes[i] == b'"' {
            return None;
        }
        i += 1;
    }
    // Only ASCII bytes were cut off, so the rest is still whole characters.
    match std::str::from_utf8(bytes.split_at(end).0) {
        Ok(s) => Some(s),
        Err(_) => unreachable!(),
    }
}

const fn tidy_len(list: Words) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < list.len() {
        if tidy_entry(list[i]).is_some() {
            n += 1;
        }
        i += 1;
    }
    n
}

const fn tidy_list<const N: usize>(list: Words) -> [&'static str; N] {
    let mut out = [""; N];
    let (mut i, mut n) = (0, 0);
    while i < list.len() {
        if let Some(s) = tidy_entry(list[i]) {
            out[n] = s;
            n += 1;
        }
        i += 1;
    }
    out
}

/// Uniform in `lo..=hi`.
#[inline]
fn between(rng: &mut CellRng, lo: u32, hi: u32) -> u32 {
    lo + rng.below(u64::from(hi - lo) + 1) as u32
}

/// Skewed towards small numbers (uniform bound, then uniform below it), as most streets are
/// short: the median is 47, the maximum 250.
#[inline]
fn building_number(rng: &mut CellRng) -> u32 {
    let bound = rng.below(250) + 1;
    rng.below(bound) as u32 + 1
}

/// The last word of a surname, to build a town from: "van den Berg" gives "Berg".
fn last_word(name: &'static str) -> &'static str {
    // ASCII bytes never occur inside a multi-byte character, so a byte scan is safe.
    match name.bytes().rposition(|b| matches!(b, b' ' | b'-' | b'\'')) {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

#[inline]
fn write_u32(out: &mut StrBuf, n: u32) {
    let mut buf = itoa::Buffer::new();
    out.extend_ascii(buf.format(n).as_bytes());
}

/// `n` in exactly `width` digits (leading zeros kept; higher digits dropped).
#[inline]
fn write_padded(out: &mut StrBuf, mut n: u32, width: usize) {
    let mut buf = [b'0'; 10];
    for d in buf[..width].iter_mut().rev() {
        *d = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend_ascii(&buf[..width]);
}

/// `s` with its first character in upper or lower case.
fn extend_first_char(out: &mut StrBuf, s: &str, upper: bool) {
    let mut chars = s.chars();
    let Some(c) = chars.next() else { return };
    if c.is_ascii() {
        let c = if upper { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() };
        out.extend_ascii(&[c as u8]);
    } else if upper {
        c.to_uppercase().for_each(|c| out.extend_char(c));
    } else {
        c.to_lowercase().for_each(|c| out.extend_char(c));
    }
    out.extend(chars.as_str());
}

fn extend_hyphenated(out: &mut StrBuf, s: &str) {
    for (i, part) in s.split(' ').enumerate() {
        if i > 0 {
            out.extend("-");
        }
        out.extend(part);
    }
}

/// Outward code in one of the shapes AN, ANN, AAN, AANN, ANA, AANA; inward code NAA.
fn write_uk_postcode(rng: &mut CellRng, out: &mut StrBuf) {
    let digit = |rng: &mut CellRng, lo, hi| b'0' + between(rng, lo, hi) as u8;
    let shape = rng.below(100);
    if shape < 3 {
        out.extend(pick(rng, en_gb::POSTCODE_ANA_AREAS));
        let letter = pick_byte(rng, en_gb::POSTCODE_ANA_LETTERS);
        out.extend_ascii(&[b'1', letter]);
    } else if shape < 6 {
        out.extend(pick(rng, en_gb::POSTCODE_AANA_AREAS));
        let district = [digit(rng, 1, 2), pick_byte(rng, en_gb::POSTCODE_AANA_LETTERS)];
        out.extend_ascii(&district);
    } else {
        out.extend(pick(rng, en_gb::POSTCODE_AREAS));
        out.extend_ascii(&[digit(rng, 1, 9)]);
        if rng.chance(0.5) {
            out.extend_ascii(&[digit(rng, 0, 9)]);
        }
    }
    let inward = [
        b' ',
        digit(rng, 0, 9),
        pick_byte(rng, en_gb::POSTCODE_INWARD_LETTERS),
        pick_byte(rng, en_gb::POSTCODE_INWARD_LETTERS),
    ];
    out.extend_ascii(&inward);
}

static EN: Locale = US_ENGLISH;

const US_ENGLISH: Locale = Locale {
    code: "en",
    country_name: "United States",
    country_code: "US",
    first_names: tidy!(<fk::EN as Data>::NAME_FIRST_NAME),
    last_names: tidy!(<fk::EN as Data>::NAME_LAST_NAME),
    titles: <fk::EN as Data>::NAME_TITLE,
    states: <fk::EN as Data>::ADDRESS_STATE,
    street: Street { types: <fk::EN as Data>::ADDRESS_STREET_SUFFIX, stems: &[], style: StreetStyle::NumberNameType },
    city: City::Composed {
        prefixes: <fk::EN as Data>::ADDRESS_CITY_PREFIX,
        suffixes: <fk::EN as Data>::ADDRESS_CITY_SUFFIX,
        joiner: "",
        p_prefix: 0.2,
        p_suffix: 1.0,
        rivers: &[],
    },
    postcode: Postcode::Digits { lo: 1001, hi: 99950 },
    company_suffixes: <fk::EN as Data>::COMPANY_SUFFIX,
    company_joiner: "and",
    job: Job {
        seniority: <fk::EN as Data>::JOB_SENIORITY,
        fields: <fk::EN as Data>::JOB_FIELD,
        positions: <fk::EN as Data>::JOB_POSITION,
        order: JobOrder::SeniorityFieldPosition,
    },
    lorem: <fk::EN as Data>::LOREM_WORD,
};

// fake's English names, with British places, formats and titles.
static EN_GB: Locale = Locale {
    code: "en_GB",
    country_name: "United Kingdom",
    country_code: "GB",
    titles: en_gb::TITLES,
    states: en_gb::COUNTIES,
    street: Street { types: en_gb::STREET_TYPES, stems: en_gb::STREET_STEMS, style: StreetStyle::NumberNameType },
    city: City::Towns(en_gb::TOWNS),
    postcode: Postcode::Uk,
    company_suffixes: en_gb::COMPANY_SUFFIXES,
    company_joiner: "&",
    ..US_ENGLISH
};

static FR_FR: Locale = Locale {
    code: "fr_FR",
    country_name: "France",
    country_code: "FR",
    first_names: tidy!(<fk::FR_FR as Data>::NAME_FIRST_NAME),
    last_names: tidy!(<fk::FR_FR as Data>::NAME_LAST_NAME),
    titles: <fk::FR_FR as Data>::NAME_TITLE,
    states: fr_fr::REGIONS,
    street: Street {
        types: <fk::FR_FR as Data>::ADDRESS_STREET_SUFFIX,
        stems: fr_fr::STREET_STEMS,
        style: StreetStyle::French,
    },
    // fake's French town is a bare surname; a river or landmark sometimes follows.
    city: City::Composed {
        prefixes: &[],
        suffixes: fr_fr::CITY_SUFFIXES,
        joiner: "",
        p_prefix: 0.0,
        p_suffix: 0.3,
        rivers: &[],
    },
    postcode: Postcode::Digits { lo: 1000, hi: 95999 },
    company_suffixes: fr_fr::COMPANY_SUFFIXES,
    company_joiner: "et",
    job: Job {
        seniority: fr_fr::JOB_SENIORITY,
        fields: fr_fr::JOB_FIELDS,
        positions: fr_fr::JOB_POSITIONS,
        order: JobOrder::PositionFieldSeniority,
    },
    lorem: <fk::FR_FR as Data>::LOREM_WORD,
};

static DE_DE: Locale = Locale {
    code: "de_DE",
    country_name: "Deutschland",
    country_code: "DE",
    first_names: tidy!(<fk::DE_DE as Data>::NAME_FIRST_NAME),
    last_names: tidy!(<fk::DE_DE as Data>::NAME_LAST_NAME),
    titles: <fk::DE_DE as Data>::NAME_TITLE,
    states: <fk::DE_DE as Data>::ADDRESS_STATE,
    street: Street {
        types: <fk::DE_DE as Data>::ADDRESS_STREET_SUFFIX,
        stems: de_de::STREET_STEMS,
        style: StreetStyle::German,
    },
    city: City::Composed {
        prefixes: <fk::DE_DE as Data>::ADDRESS_CITY_PREFIX,
        suffixes: <fk::DE_DE as Data>::ADDRESS_CITY_SUFFIX,
        joiner: "",
        p_prefix: 0.35,
        p_suffix: 1.0,
        rivers: de_de::CITY_RIVERS,
    },
    postcode: Postcode::Digits { lo: 1001, hi: 99998 },
    company_suffixes: <fk::DE_DE as Data>::COMPANY_SUFFIX,
    company_joiner: "&",
    job: Job {
        seniority: de_de::JOB_SENIORITY,
        fields: de_de::JOB_FIELDS,
        positions: de_de::JOB_POSITIONS,
        order: JobOrder::SeniorityPositionField,
    },
    lorem: <fk::DE_DE as Data>::LOREM_WORD,
};

static IT_IT: Locale = Locale {
    code: "it_IT",
    country_name: "Italia",
    country_code: "IT",
    first_names: tidy!(<fk::IT_IT as Data>::NAME_FIRST_NAME),
    last_names: tidy!(<fk::IT_IT as Data>::NAME_LAST_NAME),
    titles: <fk::IT_IT as Data>::NAME_TITLE,
    states: it_it::REGIONS,
    street: Street {
        types: <fk::IT_IT as Data>::ADDRESS_STREET_SUFFIX,
        stems: it_it::STREET_STEMS,
        style: StreetStyle::TypeNameNumber,
    },
    city: City::Composed {
        prefixes: <fk::IT_IT as Data>::ADDRESS_CITY_PREFIX,
        suffixes: <fk::IT_IT as Data>::ADDRESS_CITY_SUFFIX,
        joiner: " ",
        p_prefix: 0.25,
        p_suffix: 0.5,
        rivers: &[],
    },
    postcode: Postcode::Digits { lo: 10, hi: 98168 },
    company_suffixes: <fk::IT_IT as Data>::COMPANY_SUFFIX,
    company_joiner: "e",
    job: Job {
        seniority: <fk::IT_IT as Data>::JOB_SENIORITY,
        fields: <fk::IT_IT as Data>::JOB_FIELD,
        positions: <fk::IT_IT as Data>::JOB_POSITION,
        order: JobOrder::PositionSeniorityField,
    },
    lorem: <fk::IT_IT as Data>::LOREM_WORD,
};

static NL_NL: Locale = Locale {
    code: "nl_NL",
    country_name: "Nederland",
    country_code: "NL",
    first_names: tidy!(<fk::NL_NL as Data>::NAME_FIRST_NAME),
    last_names: tidy!(<fk::NL_NL as Data>::NAME_LAST_NAME),
    titles: <fk::NL_NL as Data>::NAME_TITLE,
    states: <fk::NL_NL as Data>::ADDRESS_STATE,
    street: Street {
        types: <fk::NL_NL as Data>::ADDRESS_STREET_SUFFIX,
        stems: nl_nl::STREET_STEMS,
        style: StreetStyle::Dutch,
    },
    city: City::Composed {
        prefixes: <fk::NL_NL as Data>::ADDRESS_CITY_PREFIX,
        suffixes: <fk::NL_NL as Data>::ADDRESS_CITY_SUFFIX,
        joiner: "",
        p_prefix: 0.25,
        p_suffix: 1.0,
        rivers: &[],
    },
    postcode: Postcode::Dutch,
    company_suffixes: <fk::NL_NL as Data>::COMPANY_SUFFIX,
    company_joiner: "&",
    job: Job {
        seniority: <fk::NL_NL as Data>::JOB_SENIORITY,
        fields: <fk::NL_NL as Data>::JOB_FIELD,
        positions: <fk::NL_NL as Data>::JOB_POSITION,
        order: JobOrder::PositionSeniorityField,
    },
    lorem: <fk::NL_NL as Data>::LOREM_WORD,
};

static PT_BR: Locale = Locale {
    code: "pt_BR",
    country_name: "Brasil",
    country_code: "BR",
    first_names: tidy!(<fk::PT_BR as Data>::NAME_FIRST_NAME),
    last_names: tidy!(<fk::PT_BR as Data>::NAME_LAST_NAME),
    titles: pt_br::TITLES,
    states: <fk::PT_BR as Data>::ADDRESS_STATE,
    street: Street {
        types: <fk::PT_BR as Data>::ADDRESS_STREET_SUFFIX,
        stems: pt_br::STREET_STEMS,
        style: StreetStyle::TypeNameNumber,
    },
    city: City::Composed {
        prefixes: pt_br::CITY_PREFIXES,
        suffixes: pt_br::CITY_SUFFIXES,
        joiner: " ",
        p_prefix: 0.4,
        p_suffix: 0.4,
        rivers: &[],
    },
    postcode: Postcode::Brazil,
    company_suffixes: <fk::PT_BR as Data>::COMPANY_SUFFIX,
    company_joiner: "e",
    job: Job {
        seniority: pt_br::JOB_SENIORITY,
        fields: pt_br::JOB_FIELDS,
        positions: pt_br::JOB_POSITIONS,
        order: JobOrder::PositionFieldSeniority,
    },
    lorem: <fk::PT_BR as Data>::LOREM_WORD,
};

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: u64 = 3000;

    fn all() -> impl Iterator<Item = &'static Locale> {
        LOCALE_CODES.iter().map(|c| locale(c).unwrap())
    }

    /// `SAMPLES` values of one writer, each from its own rng seed.
    fn sample(f: impl Fn(&mut CellRng, &mut StrBuf)) -> StrBuf {
        let mut out = StrBuf::default();
        for seed in 0..SAMPLES {
            f(&mut CellRng::new(seed), &mut out);
            out.end_value();
        }
        out
    }

    type Writer = fn(&Locale, &mut CellRng, &mut StrBuf);

    fn writers() -> Vec<(&'static str, Writer)> {
        vec![
            ("first_name", |l, r, o| o.extend(l.first_name(r))),
            ("last_name", |l, r, o| o.extend(l.last_name(r))),
            ("title", |l, r, o| o.extend(l.title(r))),
            ("full_name", |l, r, o| l.write_full_name(l.first_name(r), l.last_name(r), o)),
            ("street_address", |l, r, o| l.write_street_address(r, o)),
            ("city", |l, r, o| l.write_city(r, o)),
            ("postcode", |l, r, o| l.write_postcode(r, o)),
            ("state", |l, r, o| o.extend(l.state(r))),
            ("company", |l, r, o| l.write_company(r, o)),
            ("job_title", |l, r, o| l.write_job_title(r, o)),
            ("lorem", |l, r, o| o.extend(pick(r, l.lorem_words()))),
        ]
    }

    #[test]
    fn every_writer_produces_tidy_text() {
        for l in all() {
            for (name, w) in writers() {
                let out = sample(|r, o| w(l, r, o));
                let mut distinct = std::collections::HashSet::new();
                for v in out.iter() {
                    assert!(std::str::from_utf8(v.as_bytes()).is_ok());
                    assert!(!v.is_empty(), "{} {name}: empty", l.code);
                    assert_eq!(v, v.trim(), "{} {name}: {v:?}", l.code);
                    assert!(!v.contains("  "), "{} {name}: {v:?}", l.code);
                    assert!(!v.contains(['{', '}', '#', '"', '\t']), "{} {name}: {v:?}", l.code);
                    distinct.insert(v);
                }
                assert!(distinct.len() > 1, "{} {name} never varies", l.code);
            }
        }
    }

    #[test]
    fn same_seed_same_output() {
        for l in all() {
            for (name, w) in writers() {
                assert_eq!(sample(|r, o| w(l, r, o)), sample(|r, o| w(l, r, o)), "{name}");
            }
        }
    }

    #[test]
    fn lookup_accepts_case_and_separator_variants() {
        assert_eq!(locale("EN-gb").unwrap().code, "en_GB");
        assert_eq!(locale("en_us").unwrap().code, "en");
        assert_eq!(locale("EN").unwrap().code, "en");
        assert_eq!(locale("pt-br").unwrap().code, "pt_BR");
        assert_eq!(LOCALES.len(), LOCALE_CODES.len());
        for code in LOCALE_CODES {
            assert_eq!(locale(code).unwrap().code, *code);
        }
        for unknown in ["", "xx_YY", "en_G", "en_GBX", "fr", "ja_JP"] {
            assert!(locale(unknown).is_none(), "{unknown}");
        }
    }

    #[test]
    fn names_come_from_the_locale_dictionaries() {
        fn check<L: Data>(code: &str) {
            let l = locale(code).unwrap();
            let has = |list: Words, v: &str| list.iter().any(|s| s.trim_end_matches([',', '\t']) == v);
            for seed in 0..SAMPLES {
                let rng = &mut CellRng::new(seed);
                let first = l.first_name(rng);
                assert!(has(L::NAME_FIRST_NAME, first), "{code}: {first}");
                let last = l.last_name(rng);
                assert!(has(L::NAME_LAST_NAME, last), "{code}: {last}");
            }
        }
        check::<fk::EN>("en");
        check::<fk::EN>("en_GB");
        check::<fk::FR_FR>("fr_FR");
        check::<fk::DE_DE>("de_DE");
        check::<fk::IT_IT>("it_IT");
        check::<fk::NL_NL>("nl_NL");
        check::<fk::PT_BR>("pt_BR");
    }

    #[test]
    fn name_lists_are_tidied_at_compile_time() {
        let it = locale("it_IT").unwrap();
        assert!(it.last_names.contains(&"Ricci"));
        let br = locale("pt_BR").unwrap();
        assert_eq!(br.last_names.len(), <fk::PT_BR as Data>::NAME_LAST_NAME.len() - 1);
        for l in all() {
            for name in l.first_names.iter().chain(l.last_names) {
                assert!(!name.is_empty() && !name.ends_with([',', ' ', '\t']), "{name:?}");
                assert!(!name.contains('"'), "{name:?}");
            }
        }
    }

    /// The outward shape (AN, ANN, AAN, AANN, ANA, AANA) of a valid UK postcode, or `None`.
    fn uk_shape(code: &str) -> Option<String> {
        let (outward, inward) = code.split_once(' ')?;
        let inward = inward.as_bytes();
        let letter_ok = |c: u8| c.is_ascii_uppercase() && !b"CIKMOV".contains(&c);
        if inward.len() != 3 || !inward[0].is_ascii_digit() || !letter_ok(inward[1]) || !letter_ok(inward[2]) {
            return None;
        }
        let o = outward.as_bytes();
        let shape: String = o.iter().map(|c| if c.is_ascii_digit() { 'N' } else { 'A' }).collect();
        if !["AN", "ANN", "AAN", "AANN", "ANA", "AANA"].contains(&shape.as_str())
            || !o.iter().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
            || b"QVX".contains(&o[0])
        {
            return None;
        }
        let ok = match shape.as_str() {
            "AAN" | "AANN" => !b"IJZ".contains(&o[1]),
            "ANA" => b"ABCDEFGHJKPSTUW".contains(&o[2]),
            "AANA" => !b"IJZ".contains(&o[1]) && b"ABEHMNPRVWXY".contains(&o[3]),
            _ => true,
        };
        ok.then_some(shape)
    }

    #[test]
    fn uk_postcodes_have_a_valid_shape() {
        assert_eq!(uk_shape("SW1A 1AA").as_deref(), Some("AANA"));
        assert_eq!(uk_shape("M1 1AE").as_deref(), Some("AN"));
        assert_eq!(uk_shape("W1A 0AX").as_deref(), Some("ANA"));
        for bad in ["SW1A1AA", "QW1 1AA", "SI1 1AA", "W1I 1AA", "M1 1AC", "M1 AAA", "M 1AA"] {
            assert!(uk_shape(bad).is_none(), "{bad}");
        }
        let gb = locale("en_GB").unwrap();
        let out = sample(|r, o| gb.write_postcode(r, o));
        let mut shapes = std::collections::HashMap::new();
        for v in out.iter() {
            let shape = uk_shape(v).unwrap_or_else(|| panic!("not a UK postcode: {v}"));
            *shapes.entry(shape).or_insert(0) += 1;
        }
        assert_eq!(shapes.len(), 6, "{shapes:?}");
        let distinct: std::collections::HashSet<_> = out.iter().collect();
        assert!(distinct.len() > SAMPLES as usize * 9 / 10);
    }

    #[test]
    fn postcodes_follow_the_national_format() {
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        for code in ["en", "fr_FR", "de_DE", "it_IT"] {
            let l = locale(code).unwrap();
            for v in sample(|r, o| l.write_postcode(r, o)).iter() {
                assert!(v.len() == 5 && digits(v), "{code}: {v}");
            }
        }
        let nl = locale("nl_NL").unwrap();
        for v in sample(|r, o| nl.write_postcode(r, o)).iter() {
            let (n, letters) = v.split_once(' ').unwrap();
            assert!(n.len() == 4 && digits(n) && !n.starts_with('0'), "{v}");
            assert!(letters.len() == 2 && letters.bytes().all(|b| b.is_ascii_uppercase()), "{v}");
            assert!(!["SA", "SD", "SS"].contains(&letters), "{v}");
        }
        let br = locale("pt_BR").unwrap();
        for v in sample(|r, o| br.write_postcode(r, o)).iter() {
            let (a, b) = v.split_once('-').unwrap();
            assert!(a.len() == 5 && b.len() == 3 && digits(a) && digits(b), "{v}");
        }
    }

    #[test]
    fn street_addresses_put_the_number_where_the_locale_does() {
        let ends_with_number = |s: &str| s.rsplit(' ').next().unwrap().parse::<u32>().is_ok();
        let starts_with_number = |s: &str| s.split(' ').next().unwrap().parse::<u32>().is_ok();
        for l in all() {
            for v in sample(|r, o| l.write_street_address(r, o)).iter() {
                let ok = match l.code {
                    "en" | "en_GB" | "fr_FR" => starts_with_number(v),
                    "de_DE" | "nl_NL" => ends_with_number(v) && !v.contains(", "),
                    _ => ends_with_number(v) && v.contains(", "),
                };
                assert!(ok, "{}: {v}", l.code);
                let number: u32 = v.split([' ', ',']).find_map(|w| w.parse().ok()).unwrap();
                assert!((1..=250).contains(&number), "{v}");
            }
        }
        // French street types are lower case: "12 rue …", never "12 Rue …".
        let fr = locale("fr_FR").unwrap();
        for v in sample(|r, o| fr.write_street_address(r, o)).iter() {
            assert!(v.split(' ').nth(1).unwrap().starts_with(char::is_lowercase), "{v}");
        }
    }

    #[test]
    fn uk_specifics() {
        let gb = locale("en_GB").unwrap();
        assert_eq!((gb.country_code(), gb.country_name()), ("GB", "United Kingdom"));
        assert_eq!(locale("en").unwrap().country_code(), "US");
        for v in sample(|r, o| gb.write_company(r, o)).iter() {
            assert!(["Ltd", "PLC", "LLP"].iter().any(|s| v.ends_with(s)), "{v}");
        }
        for v in sample(|r, o| gb.write_city(r, o)).iter() {
            assert!(en_gb::TOWNS.contains(&v), "{v}");
        }
        for seed in 0..SAMPLES {
            assert!(en_gb::COUNTIES.contains(&gb.state(&mut CellRng::new(seed))));
        }
    }

    #[test]
    fn country_codes_are_distinct() {
        let codes: std::collections::HashSet<_> = all().map(|l| l.country_code()).collect();
        assert_eq!(codes.len(), LOCALE_CODES.len());
    }
}
