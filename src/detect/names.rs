//! Person-name dictionaries: case-insensitive sets of given names and family names, built once
//! from fake's locale lists (the same lists the generators draw from), filled in with the most
//! frequent names of the countries whose identifiers synthgate detects.
//!
//! One table maps a lower-cased word to flags: given name, family name, ambiguous (also an
//! everyday word, place or brand: "May", "Grace", "Paris", "Ford"), courtesy title, particle.
//! A lookup folds the word (lower case, no accents) into a stack buffer and hashes it a machine
//! word at a time: no allocation, one probe per word.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use fake::locales::{self as fk, Data};

/// Flag bits of [`flags`].
pub(crate) const FIRST: u8 = 1;
pub(crate) const LAST: u8 = 2;
pub(crate) const AMBIGUOUS: u8 = 4;
pub(crate) const TITLE: u8 = 8;
pub(crate) const PARTICLE: u8 = 16;

/// Longest word looked up, in bytes once lower-cased; longer words are not names.
pub(crate) const MAX_WORD: usize = 48;

/// Whether `word` is a given name in one of the dictionaries (any case, any accents).
pub fn is_first_name(word: &str) -> bool {
    flags(word) & FIRST != 0
}

/// Whether `word` is a family name in one of the dictionaries (any case). A compound family
/// name is known both whole ("van der Meer") and by its last word ("Meer").
pub fn is_last_name(word: &str) -> bool {
    flags(word) & LAST != 0
}

/// Whether `word` is a dictionary name that is also an everyday word, a place, a brand or a
/// cloud-region word ("May", "Summer", "Price", "Paris", "Ford", "West"). Alone, such a word
/// says little about a person; validators require something else besides it.
pub fn is_ambiguous(word: &str) -> bool {
    flags(word) & AMBIGUOUS != 0
}

/// Whether `word` is a courtesy title: "Mr", "Dr", "Frau", "Mme"… (any case, no final dot).
pub fn is_title(word: &str) -> bool {
    flags(word) & TITLE != 0
}

/// Whether `word` is a name particle written before a family name: "van", "de", "da", "von",
/// "Le"… (any case). Particles are neither given names nor family names on their own.
pub fn is_particle(word: &str) -> bool {
    flags(word) & PARTICLE != 0
}

/// All flags of `word` (the `FIRST`… bits); 0 when it is none of them.
pub(crate) fn flags(word: &str) -> u8 {
    let mut buf = [0u8; MAX_WORD];
    match lower(word, &mut buf) {
        Some(w) => dictionary().get(w).copied().unwrap_or(0),
        None => 0,
    }
}

/// `word` folded into `buf`: lower case, diacritics and other scripts transliterated to ASCII
/// ("Émile" and "emile", "Łukasz" and "lukasz", "’" and "'" are one key), or `None` if it is
/// empty or does not fit.
pub(crate) fn lower<'b>(word: &str, buf: &'b mut [u8; MAX_WORD]) -> Option<&'b str> {
    let mut n = 0;
    let mut push = |bytes: &[u8]| -> Option<()> {
        if n + bytes.len() > MAX_WORD {
            return None;
        }
        for (o, b) in buf[n..].iter_mut().zip(bytes) {
            *o = b.to_ascii_lowercase();
        }
        n += bytes.len();
        Some(())
    };
    if word.is_ascii() {
        push(word.as_bytes())?;
    } else {
        for c in word.chars() {
            if c.is_ascii() {
                push(&[c as u8])?;
            } else {
                push(deunicode::deunicode_char(c)?.as_bytes())?;
            }
        }
    }
    if n == 0 {
        return None;
    }
    // Only ASCII was written.
    std::str::from_utf8(&buf[..n]).ok()
}

/// A multiply-rotate hash over eight bytes at a time (as rustc's FxHash): the keys are short
/// and our own, so no DoS resistance is needed, and SipHash would dominate a lookup.
#[derive(Default)]
pub(crate) struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let v = u64::from_le_bytes(c.try_into().expect("eight bytes"));
            self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(last)).wrapping_mul(K);
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

pub(crate) type Dictionary = HashMap<Box<str>, u8, BuildHasherDefault<WordHasher>>;

/// Name lists in Latin script. Locales whose names have no letter case (ar_SA, fa_IR, ja_JP,
/// zh_*) cannot match the capitalised-word rules; tr_TR is left out for "Can".
fn sources() -> [(&'static [&'static str], &'static [&'static str]); 8] {
    [
        (<fk::EN as Data>::NAME_FIRST_NAME, <fk::EN as Data>::NAME_LAST_NAME),
        (<fk::FR_FR as Data>::NAME_FIRST_NAME, <fk::FR_FR as Data>::NAME_LAST_NAME),
        (<fk::DE_DE as Data>::NAME_FIRST_NAME, <fk::DE_DE as Data>::NAME_LAST_NAME),
        (<fk::IT_IT as Data>::NAME_FIRST_NAME, <fk::IT_IT as Data>::NAME_LAST_NAME),
        (<fk::NL_NL as Data>::NAME_FIRST_NAME, <fk::NL_NL as Data>::NAME_LAST_NAME),
        (<fk::PT_BR as Data>::NAME_FIRST_NAME, <fk::PT_BR as Data>::NAME_LAST_NAME),
        (<fk::PT_PT as Data>::NAME_FIRST_NAME, <fk::PT_PT as Data>::NAME_LAST_NAME),
        (<fk::CY_GB as Data>::NAME_FIRST_NAME, <fk::CY_GB as Data>::NAME_LAST_NAME),
    ]
}

fn dictionary() -> &'static Dictionary {
    static DICT: OnceLock<Dictionary> = OnceLock::new();
    DICT.get_or_init(|| {
        let mut d = Dictionary::default();
        let mut add = |word: &str, flag: u8| {
            let mut buf = [0u8; MAX_WORD];
            if let Some(w) = lower(word, &mut buf) {
                *d.entry(Box::from(w)).or_insert(0) |= flag;
            }
        };
        for (firsts, lasts) in sources() {
            for name in firsts.iter().filter_map(|n| tidy(n)) {
                add(name, FIRST);
            }
            for name in lasts.iter().filter_map(|n| tidy(n)) {
                add(name, LAST);
                // "van der Meer", "Da Silva", "Le Goff": also known by the last word, which
                // is what a text scan sees once the particles are skipped.
                if let Some((_, tail)) = name.rsplit_once(' ') {
                    add(tail, LAST);
                }
            }
        }
        for name in EXTRA_GIVEN_NAMES.iter().copied().chain(data_lines(CENSUS_GIVEN_NAMES)) {
            add(name, FIRST);
        }
        for name in EXTRA_FAMILY_NAMES.iter().copied().chain(data_lines(CENSUS_FAMILY_NAMES)) {
            add(name, LAST);
        }
        for word in AMBIGUOUS_WORDS {
            add(word, AMBIGUOUS);
        }
        for word in TITLES {
            add(word, TITLE);
        }
        for word in PARTICLES {
            add(word, PARTICLE);
        }
        d
    })
}

/// The US Census Bureau's given names and most frequent family names (`rules/data/`, built by
/// `rules/data/build.py`; sources and licences in `rules/data/SOURCES.md`).
const CENSUS_GIVEN_NAMES: &str = include_str!("../../rules/data/given-names.txt");
const CENSUS_FAMILY_NAMES: &str = include_str!("../../rules/data/family-names.txt");

/// The entries of an embedded word list: one per line, `#` comments and blank lines skipped.
pub(crate) fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// fake's lists carry a few typos ("Ricci\t", "Floris,", `D\"ávila`): trailing commas and
/// whitespace are cut, entries with quotes or backslashes dropped.
fn tidy(name: &'static str) -> Option<&'static str> {
    let t = name.trim_end_matches([',', ' ', '\t']).trim_start();
    (!t.is_empty() && !t.contains(['"', '\\'])).then_some(t)
}

/// The most frequent given names of the countries whose identifiers synthgate detects that
/// fake's lists lack (Polish, Swedish, Dutch, Spanish), after the national statistics offices'
/// published name frequencies (GUS, SCB, CBS/Meertens Instituut, INE).
const EXTRA_GIVEN_NAMES: &[&str] = &[
    "agnieszka",
    "alejandro",
    "anders",
    "andrzej",
    "birgitta",
    "ewa",
    "henk",
    "isla",
    "jakub",
    "joanna",
    "johannes",
    "katarzyna",
    "kees",
    "krystyna",
    "krzysztof",
    "lars",
    "lucía",
    "lucia",
    "marcin",
    "margareta",
    "małgorzata",
    "michał",
    "mikael",
    "paweł",
    "per",
    "piet",
    "pieter",
    "piotr",
    "sem",
    "tomasz",
    "willem",
    "josé",
    "jesús",
    "javier",
    "sofía",
    "åsa",
    "björn",
    "göran",
    "ingrid",
    "karin",
    "sven",
    "ulf",
];

/// The most frequent family names that fake's lists lack: the top of the US Census Bureau's
/// 2010 surname list and of the national lists of Spain (INE), Poland (GUS), Sweden (SCB), the
/// Netherlands (Meertens Instituut), Germany and the UK (ONS). Without them "Maria García" or
/// "Anna Nowak" would go unreported.
const EXTRA_FAMILY_NAMES: &[&str] = &[
    // United States and United Kingdom.
    "baker",
    "bennett",
    "brooks",
    "campbell",
    "castillo",
    "chavez",
    "clark",
    "clarke",
    "cook",
    "cooper",
    "edwards",
    "foster",
    "gray",
    "gutierrez",
    "hall",
    "hill",
    "howard",
    "jackson",
    "james",
    "kelly",
    "kim",
    "lee",
    "long",
    "mendoza",
    "morales",
    "morris",
    "myers",
    "nelson",
    "patel",
    "peterson",
    "ramirez",
    "reed",
    "reyes",
    "richardson",
    "robinson",
    "rogers",
    "ross",
    "scott",
    "stewart",
    "taylor",
    "watson",
    "wilson",
    "wood",
    "wright",
    "young",
    "nguyen",
    "garcia",
    "martinez",
    "hernandez",
    "lopez",
    "gonzalez",
    "perez",
    "sanchez",
    "torres",
    "rivera",
    // Spain.
    "garcía",
    "rodríguez",
    "gonzález",
    "fernández",
    "lópez",
    "martínez",
    "sánchez",
    "pérez",
    "gómez",
    "martín",
    "jiménez",
    "hernández",
    "díaz",
    "muñoz",
    "álvarez",
    "alonso",
    "gutiérrez",
    "domínguez",
    "vázquez",
    "ramírez",
    "blanco",
    "suárez",
    "rubio",
    "marín",
    "sanz",
    "núñez",
    "iglesias",
    "garrido",
    // Poland.
    "nowak",
    "kowalski",
    "kowalska",
    "wiśniewski",
    "wiśniewska",
    "wójcik",
    "kowalczyk",
    "kamiński",
    "lewandowski",
    "zieliński",
    "szymański",
    "woźniak",
    "dąbrowski",
    "kozłowski",
    "jankowski",
    "mazur",
    "wojciechowski",
    "kwiatkowski",
    "krawczyk",
    "kaczmarek",
    "piotrowski",
    "grabowski",
    "nowakowska",
    // Sweden.
    "andersson",
    "johansson",
    "karlsson",
    "nilsson",
    "eriksson",
    "larsson",
    "olsson",
    "persson",
    "svensson",
    "gustafsson",
    "pettersson",
    "jonsson",
    "jansson",
    "hansson",
    "bengtsson",
    "jönsson",
    "lindberg",
    "jakobsson",
    "magnusson",
    "olofsson",
    "lindström",
    "lindqvist",
    "bergström",
    "lundberg",
    "lundgren",
    "lundqvist",
    "axelsson",
];

/// Courtesy titles, lower case, without a final dot.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "herr", "frau", "mme", "mlle", "madame", "monsieur",
    "sig", "sra", "srta", "dhr", "mevr", "mevrouw",
];

/// Particles that stand before a family name, lower case.
const PARTICLES: &[&str] = &[
    "ab", "af", "bin", "da", "das", "de", "del", "della", "den", "der", "des", "di", "do", "dos", "du", "la", "le",
    "op", "ten", "ter", "van", "vom", "von", "y", "zu", "zum", "zur",
];

/// Dictionary names that are also words that start a capitalised phrase for other reasons:
/// months and seasons, virtues, colours, gems, flowers, titles, places, brands, compass points
/// (cloud regions: "West Europe", "UK South"), and common nouns of headings ("Price", "Sales").
///
/// The validators only use this when *every* part of a candidate is ambiguous ("Summer Price",
/// "Forest Green", "Pearl White", "May Sales"), or for a lone word in a loosely hinted column
/// ("Ford" in `product_name`). A real "Grace Miller" is still reported (occupational surnames
/// are not listed); a real "Grace Brown" or "April Price" is missed: the cost of not flagging
/// every title-cased heading and paint colour. Common given names that are also nouns
/// ("Mark", "Bill", "Frank") are not listed: they are names far more often than headings.
/// A test keeps every entry an actual dictionary name.
const AMBIGUOUS_WORDS: &[&str] = &[
    // Months, seasons, feasts.
    "april",
    "august",
    "june",
    "may",
    "summer",
    "autumn",
    "winter",
    "easter",
    "noel",
    // Virtues, abstract nouns and adjectives.
    "chance",
    "charity",
    "destiny",
    "felicity",
    "genesis",
    "grace",
    "harmony",
    "haven",
    "heaven",
    "hope",
    "joy",
    "justice",
    "loyal",
    "major",
    "miracle",
    "noble",
    "patience",
    "precious",
    "prudence",
    "royal",
    "serenity",
    "sincere",
    "trinity",
    "unique",
    "constant",
    "golden",
    "general",
    "junior",
    "sterling",
    "grand",
    "little",
    "swift",
    "every",
    // Colours, gems, materials and nature (paint and product colours: "Pearl White").
    "amber",
    "brown",
    "crystal",
    "diamond",
    "emerald",
    "garnet",
    "green",
    "ivory",
    "jade",
    "jewel",
    "opal",
    "pearl",
    "pink",
    "ruby",
    "violet",
    "olive",
    "white",
    "stone",
    "river",
    "forest",
    "brook",
    "brooks",
    "dawn",
    "sunny",
    "misty",
    "rocky",
    "dusty",
    "rusty",
    "sandy",
    "hazel",
    "holly",
    "ivy",
    "lily",
    "rose",
    "daisy",
    "iris",
    "heather",
    "willow",
    "sage",
    "fern",
    "laurel",
    "magnolia",
    "dahlia",
    "flora",
    "raven",
    "robin",
    "birdie",
    "berry",
    "hills",
    "waters",
    "salmon",
    "carmine",
    "cerise",
    // Titles and roles.
    "baron",
    "baby",
    "christ",
    "judge",
    "king",
    "marquis",
    "name",
    "prince",
    "princess",
    "queen",
    "sister",
    "pastor",
    "champion",
    "parent",
    "cousin",
    // Nouns of headings and product names ("Unit Price", "May Sales", "Page").
    "price",
    "sales",
    "page",
    "pages",
    "post",
    "hand",
    "marks",
    "mills",
    "block",
    "toy",
    "rice",
    "bonnet",
    "bouquet",
    "corona",
    "martini",
    "era",
    "line",
    "loan",
    "nine",
    "octave",
    // Places (also street, city and team names).
    "america",
    "asia",
    "austin",
    "beverly",
    "brooklyn",
    "chelsea",
    "cleveland",
    "dakota",
    "dallas",
    "florence",
    "florida",
    "houston",
    "israel",
    "jordan",
    "lincoln",
    "madison",
    "milan",
    "missouri",
    "montana",
    "orlando",
    "paris",
    "richmond",
    "savannah",
    "sierra",
    "sydney",
    "troy",
    "victoria",
    "virginia",
    "wellington",
    "devon",
    "chester",
    "preston",
    "carolina",
    "regina",
    "lourdes",
    "alexandria",
    "wales",
    "villa",
    // Brands.
    "dell",
    "mercedes",
    "chanel",
    "martens",
    "costa",
    "ford",
    // Family names that are everyday words ("Long Weekend", "Young Adult").
    "long",
    "young",
    "hill",
    "wood",
    "cook",
    "reed",
    "per",
    "kelly",
    // Compass points and cloud-region words ("West Europe", "UK South", "Central India").
    "west",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_names_up_in_any_case() {
        for (first, last) in [("Anna", "Schmidt"), ("anna", "SCHMIDT"), ("Zoé", "Dupont"), ("Aaliyah", "Abbott")] {
            assert!(is_first_name(first), "{first}");
            assert!(is_last_name(last), "{last}");
        }
        assert!(is_first_name("Anne-Marie"));
        assert!(is_first_name("Émile") && is_first_name("emile") && is_first_name("ZOE"));
        assert!(is_last_name("Wisniewski") && is_last_name("WIŚNIEWSKI"));
        assert!(is_last_name("O’Connell") && is_last_name("o'connell"));
        assert!(!is_first_name("Invoice") && !is_last_name("Invoice"));
        assert!(!is_first_name("") && !is_last_name(""));
        assert!(!is_first_name(&"a".repeat(200)));
    }

    #[test]
    fn compound_family_names_are_known_whole_and_by_their_last_word() {
        assert!(is_last_name("van der Meer") && is_last_name("Meer"));
        assert!(is_last_name("Da Silva") && is_last_name("Silva"));
        assert!(is_particle("van") && is_particle("Der") && is_particle("DA"));
        assert!(!is_particle("Anna"));
        assert!(is_title("Mr") && is_title("FRAU") && !is_title("Anna"));
    }

    #[test]
    fn the_dictionary_is_tidied() {
        assert!(is_last_name("Ricci"), "trailing tab cut");
        assert!(is_first_name("Floris"), "trailing comma cut");
        assert!(!dictionary().keys().any(|k| k.contains(['"', '\\', '\t', ','])));
    }

    #[test]
    fn every_ambiguous_word_is_a_dictionary_name() {
        // An entry that is no name would be dead weight: the flag only ever narrows a name.
        let stray: Vec<&str> = AMBIGUOUS_WORDS.iter().copied().filter(|w| flags(w) & (FIRST | LAST) == 0).collect();
        assert!(stray.is_empty(), "not in any name list: {stray:?}");
        assert!(is_ambiguous("May") && is_ambiguous("FORD") && is_ambiguous("Paris"));
        assert!(!is_ambiguous("Schmidt"));
    }
}
