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

/// Every validator name, for error messages and `rules list`.
pub fn names() -> Vec<&'static str> {
    TABLES.iter().flat_map(|t| t.iter()).map(|(n, _)| *n).collect()
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
    fn names_are_unique() {
        let mut names = super::names();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n, "two validators share a name");
    }
}
