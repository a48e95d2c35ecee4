//! Places: cities and towns of 5,000 people or more in the countries whose identifiers
//! synthgate detects and their neighbours (GeoNames `cities5000`, CC BY 4.0, built into
//! `rules/data/places.txt` by `rules/data/build.py`). One hash lookup per value, keys folded
//! as the name dictionaries fold theirs (lower case, ASCII): "Köln", "KOLN" and "koln" are one.

use std::sync::OnceLock;

use super::names::{data_lines, lower, Dictionary, MAX_WORD};

const PLACES: &str = include_str!("../../rules/data/places.txt");

/// Whether `name` is a known city or town, as a whole ("Milton Keynes", "Frankfurt am Main").
pub fn is_place(name: &str) -> bool {
    let mut buf = [0u8; MAX_WORD];
    lower(name.trim(), &mut buf).is_some_and(|k| places().contains_key(k))
}

fn places() -> &'static Dictionary {
    static PLACES_SET: OnceLock<Dictionary> = OnceLock::new();
    PLACES_SET.get_or_init(|| {
        let mut d = Dictionary::default();
        for line in data_lines(PLACES) {
            let mut buf = [0u8; MAX_WORD];
            if let Some(k) = lower(line, &mut buf) {
                d.insert(Box::from(k), 1);
            }
        }
        d
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_found_whole_in_any_case_and_spelling() {
        for p in ["Leeds", "LEEDS", "Milton Keynes", "Köln", "koln", "Frankfurt am Main", "Zaragoza", "Gdańsk"] {
            assert!(is_place(p), "{p}");
        }
        for p in ["", "Leeds Road", "Invoice", "Flat 3", "Smith"] {
            assert!(!is_place(p), "{p}");
        }
    }
}
