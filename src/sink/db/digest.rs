//! What a table's manifest entry vouches for: the multiset of its rows.
//!
//! A table has no byte stream of its own to hash: a database returns its rows in any order and
//! spells values its own way (`t` or `1`, `2024-05-01T10:00:00Z` or `2024-05-01 10:00:00+00`,
//! `12.50` or `12.5`). So each row is hashed alone, over its values in a canonical spelling,
//! and the row hashes are added modulo 2^256: the sum is the same whatever order the rows come
//! back in, and any row changed, added or removed changes it. The load computes it from the
//! rows it sends, a reader from the rows it reads; equal sums (and row counts) mean the table
//! holds what the manifest signed.
//!
//! Canonical spellings may only make two spellings of one value equal: a value the rules do not
//! recognise is hashed as it is, so a spelling they miss makes the table look changed (its
//! lineage falls back to `input`, the safe side), never the other way round.

use std::borrow::Cow;

use sha2::{Digest, Sha256};

use crate::temporal::{parse_time, parse_timestamp};

thread_local! {
    /// One row's canonical encoding, reused from row to row.
    static ROW: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The sum of row hashes, modulo 2^256, and the number of rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowSet {
    sum: [u64; 4],
    rows: u64,
}

impl RowSet {
    /// Adds one row: its values in column order, `None` for null.
    pub fn add<'a>(&mut self, values: impl Iterator<Item = Option<Cow<'a, str>>>) {
        ROW.with_borrow_mut(|row| {
            row.clear();
            for v in values {
                match v {
                    None => row.push(0),
                    Some(s) => push_value(row, canon(&s).as_bytes()),
                }
            }
            self.add_encoded(row);
        });
    }

    /// Adds a row in its canonical encoding (see [`push_value`]), hashed in one call.
    fn add_encoded(&mut self, row: &[u8]) {
        let d = Sha256::digest(row);
        let mut words = [0u64; 4];
        for (i, w) in words.iter_mut().enumerate() {
            *w = u64::from_le_bytes(d[i * 8..i * 8 + 8].try_into().expect("eight bytes"));
        }
        self.add_words(&words);
        self.rows += 1;
    }

    /// Adds `rows` rows of typed columns as [`super::text::encode_rows`] writes them, without
    /// writing and reading them back: each value's canonical spelling straight from its type
    /// (an integer is its digits, a timestamp its microseconds), the same bytes [`canon`] makes
    /// of the text a database returns.
    pub fn add_columns(&mut self, columns: &[crate::batch::Column], rows: usize) {
        use crate::batch::Values;
        use crate::temporal::{write_date, write_decimal, write_time, MICROS_PER_DAY};
        let (mut ints, mut floats) = (itoa::Buffer::new(), ryu::Buffer::new());
        let mut text: Vec<u8> = Vec::with_capacity(32);
        ROW.with_borrow_mut(|row| {
            let spelled = |row: &mut Vec<u8>, t: &[u8]| {
                push_value(row, canon(std::str::from_utf8(t).expect("written as ASCII")).as_bytes())
            };
            for i in 0..rows {
                row.clear();
                for c in columns {
                    if c.is_null(i) {
                        row.push(0);
                        continue;
                    }
                    text.clear();
                    match &c.values {
                        Values::Int64(v) => push_value(row, ints.format(v[i]).as_bytes()),
                        Values::Float64(v) if v[i].is_finite() => spelled(row, floats.format(v[i]).as_bytes()),
                        // Written as null.
                        Values::Float64(_) => row.push(0),
                        Values::Bool(v) => push_value(row, if v[i] { b"1" } else { b"0" }),
                        Values::Utf8(v) => push_value(row, canon(v.get(i)).as_bytes()),
                        Values::Timestamp(v) if (0..253_402_300_800_000_000).contains(&v[i]) => {
                            text.extend_from_slice(b"ts:");
                            text.extend_from_slice(ints.format(v[i]).as_bytes());
                            push_value(row, &text);
                        }
                        Values::Timestamp(v) => {
                            crate::temporal::write_timestamp(v[i], &mut text);
                            spelled(row, &text);
                        }
                        Values::Time(v) if (0..MICROS_PER_DAY).contains(&v[i]) => {
                            text.extend_from_slice(b"tm:");
                            text.extend_from_slice(ints.format(v[i]).as_bytes());
                            push_value(row, &text);
                        }
                        Values::Time(v) => {
                            write_time(v[i], &mut text);
                            spelled(row, &text);
                        }
                        Values::Date(v) => {
                            write_date(v[i], &mut text);
                            spelled(row, &text);
                        }
                        Values::Decimal(v, scale) => {
                            write_decimal(v[i], *scale, &mut text);
                            spelled(row, &text);
                        }
                    }
                }
                self.add_encoded(row);
            }
        });
    }

    /// Adds every line of tab-separated text (see [`super::text`]); each line ends in `\n`, and
    /// an empty line is a row (one empty value).
    pub fn add_text(&mut self, text: &[u8]) {
        let text = text.strip_suffix(b"\n").unwrap_or(text);
        if text.is_empty() {
            return;
        }
        for line in text.split(|&b| b == b'\n') {
            let line = String::from_utf8_lossy(line);
            self.add(super::text::fields(&line));
        }
    }

    /// Adds another set's rows (the sum is the same in any order).
    pub fn merge(&mut self, other: &RowSet) {
        self.add_words(&other.sum);
        self.rows += other.rows;
    }

    fn add_words(&mut self, words: &[u64; 4]) {
        let mut carry = false;
        for (a, b) in self.sum.iter_mut().zip(words) {
            let (s1, c1) = a.overflowing_add(*b);
            let (s2, c2) = s1.overflowing_add(u64::from(carry));
            *a = s2;
            carry = c1 || c2;
        }
    }

    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Lower-case hex, prefixed so that it is never mistaken for a file's sha256.
    pub fn hex(&self) -> String {
        let mut bytes = Vec::with_capacity(32);
        for w in self.sum {
            bytes.extend_from_slice(&w.to_le_bytes());
        }
        format!("rows-sha256-sum:{}", crate::manifest::hex(&bytes))
    }
}

/// Appends a value to a row's canonical encoding: a tag (1; a null is a lone 0), its length and
/// its bytes.
fn push_value(row: &mut Vec<u8>, c: &[u8]) {
    row.push(1);
    row.extend_from_slice(&(c.len() as u64).to_le_bytes());
    row.extend_from_slice(c);
}

/// A value's canonical spelling: the text itself, or at most 48 bytes written on the stack (no
/// allocation per value: a reader hashes every cell of every row).
pub enum Canon<'a> {
    Text(&'a str),
    Small([u8; 48], usize),
}

impl Canon<'_> {
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Canon::Text(s) => s.as_bytes(),
            Canon::Small(b, n) => &b[..*n],
        }
    }

    fn small(parts: &[&[u8]]) -> Canon<'static> {
        let mut b = [0u8; 48];
        let mut n = 0;
        for p in parts {
            b[n..n + p.len()].copy_from_slice(p);
            n += p.len();
        }
        Canon::Small(b, n)
    }
}

impl PartialEq for Canon<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl PartialEq<&str> for Canon<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl std::fmt::Debug for Canon<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.as_bytes()))
    }
}

/// One spelling for each value the databases spell differently; anything else as it is.
pub fn canon(s: &str) -> Canon<'_> {
    match s {
        "t" | "true" | "TRUE" => return Canon::Text("1"),
        "f" | "false" | "FALSE" => return Canon::Text("0"),
        _ => {}
    }
    let b = s.as_bytes();
    let Some(&first) = b.first() else { return Canon::Text(s) };
    if first.is_ascii_digit() || (first == b'-' && b.len() > 1) {
        if let Some(n) = number(s) {
            return n;
        }
        // A timestamp: PostgreSQL adds the zone (`+00`), MariaDB writes a space and six
        // fractional digits.
        if s.len() >= 16 {
            if let Some(us) = parse_timestamp(s) {
                return Canon::small(&[b"ts:", itoa::Buffer::new().format(us).as_bytes()]);
            }
        }
        if b.len() >= 8 && b.get(2) == Some(&b':') {
            if let Some(us) = parse_time(s) {
                return Canon::small(&[b"tm:", itoa::Buffer::new().format(us).as_bytes()]);
            }
        }
    }
    Canon::Text(s)
}

/// Numbers, one spelling each: integers without leading zeros (exact, however long); a plain
/// decimal of up to 15 significant digits without its trailing zeros (`12.50` → `12.5`,
/// `3.0` → `3`), which is exact too and costs no parsing; anything else (an exponent, more
/// digits than an `f64` keeps) through its `f64`, written plain when that has up to 15
/// significant digits (`1e-7` → `0.0000001`, as the plain spelling gives) and as the shortest
/// round-trip spelling otherwise.
fn number(s: &str) -> Option<Canon<'_>> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = !int.is_empty()
        && int.bytes().all(|c| c.is_ascii_digit())
        && frac.bytes().all(|c| c.is_ascii_digit())
        && !(digits.contains('.') && frac.is_empty());
    if plain {
        let int = match int.trim_start_matches('0') {
            "" => "0",
            i => i,
        };
        let frac = frac.trim_end_matches('0');
        let significant = if int == "0" { frac.trim_start_matches('0').len() } else { int.len() + frac.len() };
        if frac.is_empty() && (!digits.contains('.') || significant <= 15) {
            // An integer (or a whole decimal): exact.
            return Some(signed(negative && (int != "0"), int, "", s));
        }
        if significant <= 15 {
            return Some(signed(negative, int, frac, s));
        }
    }
    // Digits, a point, an exponent with its sign: anything else (a date's dashes) is no number.
    let d = digits.as_bytes();
    let numeric = d.iter().enumerate().all(|(i, &c)| {
        c.is_ascii_digit()
            || matches!(c, b'.' | b'e' | b'E')
            || (matches!(c, b'+' | b'-') && i > 0 && matches!(d[i - 1], b'e' | b'E'))
    });
    if !numeric || !d.first().is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    if !f.is_finite() {
        return None;
    }
    let mut ryu = ryu::Buffer::new();
    let shortest = ryu.format(f);
    Some(plain_from_shortest(shortest).unwrap_or_else(|| Canon::small(&[shortest.as_bytes()])))
}

/// `[-]int[.frac]`, borrowed from the original when it is a piece of it.
fn signed<'a>(negative: bool, int: &'a str, frac: &'a str, original: &'a str) -> Canon<'a> {
    let len = 1 + int.len() + frac.len() + usize::from(negative);
    if len > 48 {
        // Longer than the stack buffer (only integers get here: decimals stop at 15 digits):
        // unsigned, it is its own spelling once its zeros are gone; signed, as it was written.
        return Canon::Text(if negative { original } else { int });
    }
    if frac.is_empty() {
        return if negative { Canon::small(&[b"-", int.as_bytes()]) } else { Canon::Text(int) };
    }
    Canon::small(&[if negative { b"-" } else { b"" }, int.as_bytes(), b".", frac.as_bytes()])
}

/// ryu's shortest spelling (`1.5e-7`, `123.45`, `1e16`) written plain when it has at most 15
/// significant digits and fits the stack buffer; `None` otherwise.
fn plain_from_shortest(r: &str) -> Option<Canon<'static>> {
    let (negative, r) = match r.strip_prefix('-') {
        Some(x) => (true, x),
        None => (false, r),
    };
    let (mantissa, exp) = match r.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (r, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut all: Vec<u8> = Vec::with_capacity(24);
    all.extend_from_slice(int.as_bytes());
    all.extend_from_slice(frac.as_bytes());
    // The value is 0.ALL × 10^point.
    let mut point = int.len() as i32 + exp;
    let lead = all.iter().take_while(|&&c| c == b'0').count();
    all.drain(..lead);
    point -= lead as i32;
    while all.last() == Some(&b'0') {
        all.pop();
    }
    if all.is_empty() {
        return Some(Canon::small(&[b"0"]));
    }
    if all.len() > 15 || !(-30..=30).contains(&point) {
        return None;
    }
    let mut out: Vec<u8> = Vec::with_capacity(48);
    if negative {
        out.push(b'-');
    }
    if point <= 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', (-point) as usize));
        out.extend_from_slice(&all);
    } else if point as usize >= all.len() {
        out.extend_from_slice(&all);
        out.extend(std::iter::repeat_n(b'0', point as usize - all.len()));
    } else {
        out.extend_from_slice(&all[..point as usize]);
        out.push(b'.');
        out.extend_from_slice(&all[point as usize..]);
    }
    (out.len() <= 48).then(|| Canon::small(&[&out]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: &[Option<&str>]) -> RowSet {
        let mut r = RowSet::default();
        r.add(values.iter().map(|v| v.map(Cow::Borrowed)));
        r
    }

    #[test]
    fn each_database_s_spelling_of_a_value_is_one_value() {
        for (a, b) in [
            ("t", "1"),
            ("false", "0"),
            ("12.50", "12.5"),
            ("3.0", "3"),
            ("1e21", "1e+21"),
            ("1e-5", "1e-05"),
            ("0.30000000000000004", "3.0000000000000004e-1"),
            ("007", "7"),
            ("-0", "0"),
            ("2024-05-01T10:00:00Z", "2024-05-01 10:00:00+00"),
            ("2024-05-01T10:00:00.5Z", "2024-05-01 10:00:00.500000"),
            ("10:00:00", "10:00:00.000000"),
            ("0.0000001", "1e-07"),
            ("1e16", "10000000000000000"),
            ("123456789012345", "1.23456789012345e+14"),
            ("1234567890123456.5", "1.2345678901234565e+15"),
            ("-12.50", "-1.25e1"),
            ("0.00", "0"),
            ("-0.0", "0"),
        ] {
            assert_eq!(canon(a), canon(b), "{a} / {b}");
        }
        for (a, b) in [("12.5", "12.51"), ("abc", "ABC"), ("2024-05-01", "2024-05-02"), ("", "0"), ("1", "-1")] {
            assert_ne!(canon(a), canon(b), "{a} / {b}");
        }
        // Big integers stay exact.
        assert_ne!(canon("9007199254740993"), canon("9007199254740992"));
        // What no rule knows is hashed as it is.
        assert_eq!(canon("jo@mail.example"), "jo@mail.example");
        assert_eq!(canon("2024-05-01 12:00:00+02"), canon("2024-05-01T10:00:00Z"));
        assert_eq!(canon("2024-05-01 10:00:00 CET"), "2024-05-01 10:00:00 CET");
    }

    #[test]
    fn typed_columns_digest_as_their_text_does() {
        use crate::batch::{Column, Lineage, StrBuf, Values};
        use crate::sink::db::text::{encode_rows, Flavour};
        use std::sync::Arc;
        let col = |values: Values, validity: Option<Vec<bool>>| {
            Column::new(Arc::from("c"), Lineage::Synthetic, values, validity)
        };
        let mut text = StrBuf::default();
        for v in ["a\tb", "12.50", "2024-05-01T10:00:00Z", ""] {
            text.push(v);
        }
        let columns = [
            col(Values::Int64(vec![-7, 0, 9_007_199_254_740_993, 42]), None),
            col(Values::Float64(vec![0.1, 1e-7, f64::NAN, 1e21]), None),
            col(Values::Bool(vec![true, false, true, false]), Some(vec![true, true, false, true])),
            col(Values::Utf8(text), None),
            col(Values::Timestamp(vec![0, 1_714_557_600_500_000, -86_400_000_000, 1]), None),
            col(Values::Time(vec![0, 36_000_000_000, 86_399_999_999, 5]), None),
            col(Values::Date(vec![0, 19_844, -1, 2_932_896]), None),
            col(Values::Decimal(vec![1250, -5, 0, 123_456_789], 2), None),
        ];
        let mut typed = RowSet::default();
        typed.add_columns(&columns, 4);
        for flavour in [Flavour::Postgres, Flavour::Mysql] {
            let mut read = RowSet::default();
            read.add_text(&encode_rows(&columns, 4, flavour));
            assert_eq!(typed, read, "{flavour:?}");
        }
    }

    #[test]
    fn the_sum_ignores_order_and_sees_any_change() {
        let rows = [[Some("1"), Some("a")], [Some("2"), None], [Some("3"), Some("")]];
        let mut forward = RowSet::default();
        for r in &rows {
            forward.merge(&row(r));
        }
        let mut backward = RowSet::default();
        for r in rows.iter().rev() {
            backward.merge(&row(r));
        }
        assert_eq!(forward, backward);
        assert_eq!(forward.rows(), 3);
        // Null and empty text differ; so do a changed value and a duplicated row.
        assert_ne!(row(&[Some("2"), None]), row(&[Some("2"), Some("")]));
        let mut changed = RowSet::default();
        for r in [[Some("1"), Some("a")], [Some("2"), None], [Some("3"), Some("b")]] {
            changed.merge(&row(&r));
        }
        assert_ne!(forward.hex(), changed.hex());
        let mut text = RowSet::default();
        text.add_text(b"1\ta\n2\t\\N\n3\t\n");
        assert_eq!(text, forward);
        // A row of one empty value is a line of its own, and counts.
        let mut empty = RowSet::default();
        empty.add_text(b"\n\n");
        assert_eq!(empty.rows(), 2);
        assert_eq!(empty, {
            let mut r = row(&[Some("")]);
            r.merge(&row(&[Some("")]));
            r
        });
    }
}
