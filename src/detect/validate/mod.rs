//! Named validators: the check-digit and range rules that turn a regex match into a finding.
//!
//! A rule names its validator in `rules/*.toml`; an unknown name is a load error. Each
//! validator gets the matched text as written (spaces, dashes) and says whether it is a valid
//! identifier of its kind. One module per family, each with its own table of names.

mod eu;
mod generic;
mod person;
mod uk;
mod us;

/// A validator: true when the matched text is a valid identifier.
pub type Validator = fn(&str) -> bool;

const TABLES: &[&[(&str, Validator)]] =
    &[generic::VALIDATORS, uk::VALIDATORS, us::VALIDATORS, eu::VALIDATORS, person::VALIDATORS];

/// The validator called `name`.
pub fn validator(name: &str) -> Option<Validator> {
    TABLES.iter().flat_map(|t| t.iter()).find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// What the text around any match a validator accepts must hold, as a check cheaper than the
/// rule's regex: a cell without it is not searched. Only where a rule's regex is much looser
/// than its validator and the loose shape is common in clean data.
pub fn precheck(name: &str) -> Option<Validator> {
    match name {
        // A valid IPv6 address is compressed (`::`), or has 8 groups (7 colons) or 6 and an
        // IPv4 tail (6 colons); the regex also takes a clock time (`19:06:52`).
        "ipv6" => Some(|s| s.contains("::") || s.bytes().filter(|&b| b == b':').count() >= 6),
        _ => None,
    }
}

/// Every validator name, for error messages and `rules list`.
pub fn names() -> Vec<&'static str> {
    TABLES.iter().flat_map(|t| t.iter()).map(|(n, _)| *n).collect()
}

/// A list of lowercase words as a set, for [`one_of`]: built on first use.
pub type WordSet = std::sync::LazyLock<std::collections::HashSet<&'static str, foldhash::fast::FixedState>>;

/// The words of `list` as a set (each must be lowercase in ASCII).
pub fn word_set(list: &'static [&'static str]) -> std::collections::HashSet<&'static str, foldhash::fast::FixedState> {
    list.iter().copied().collect()
}

/// Whether `word`, ASCII letters lower-cased, is in `set`: one lookup, no allocation, where a
/// validator used to compare with every word of a list.
pub fn one_of(set: &WordSet, word: &str) -> bool {
    const LONGEST: usize = 32;
    if word.len() > LONGEST {
        return false;
    }
    let mut buf = [0u8; LONGEST];
    for (d, b) in buf.iter_mut().zip(word.bytes()) {
        *d = b.to_ascii_lowercase();
    }
    // Lower-casing ASCII bytes keeps UTF-8 valid.
    std::str::from_utf8(&buf[..word.len()]).is_ok_and(|w| set.contains(w))
}

/// The ASCII digits of `s`, into a stack buffer (no allocation); `None` if more than 32.
pub fn digits(s: &str) -> Option<([u8; 32], usize)> {
    let mut buf = [0u8; 32];
    let mut n = 0;
    for b in s.bytes().filter(u8::is_ascii_digit) {
        if n == 32 {
            return None;
        }
        buf[n] = b;
        n += 1;
    }
    Some((buf, n))
}

#[cfg(test)]
mod tests {
    #[test]
    fn prechecks_hold_for_every_valid_value() {
        let ipv6 = super::precheck("ipv6").expect("ipv6 has one");
        let valid = super::validator("ipv6").expect("ipv6 validator");
        for v in [
            "2001:db8::1",
            "2a00:1450:4009:81f::200e",
            "::ffff:192.0.2.1",
            "2a02:c7f:8e1d:4b00:9d2:61f3:2c1a:7e05",
            "64:ff9b:1:2:3:4:198.51.100.7",
        ] {
            assert!(valid(v) && ipv6(v), "{v}");
        }
        assert!(!ipv6("2022-08-05T19:06:52Z"));
    }

    #[test]
    fn one_of_ignores_ascii_case_only() {
        static SET: super::WordSet = super::WordSet::new(|| super::word_set(&["rue", "allée", "png"]));
        for w in ["rue", "RUE", "Rue", "allée", "ALLéE", "png"] {
            assert!(super::one_of(&SET, w), "{w}");
        }
        // As `eq_ignore_ascii_case`: no Unicode case folding, no prefixes.
        for w in ["ALLÉE", "ru", "rues", "", "a-very-long-word-beyond-any-listed-one-at-all"] {
            assert!(!super::one_of(&SET, w), "{w}");
        }
    }

    #[test]
    fn names_are_unique() {
        let mut names = super::names();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n, "two validators share a name");
    }
}
