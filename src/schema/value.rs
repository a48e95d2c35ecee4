//! Literal values in a schema, read into a column's type: scenario values, choice options,
//! and the ends of ranges (`now-5y`, `parent.created_at+1d`).

use toml::de::DeValue;

use crate::batch::{DataType, Values};
use crate::error::Error;
use crate::generate::gen::temporal::Offset;
use crate::temporal::{parse_date, parse_time, parse_timestamp, MICROS_PER_DAY, MICROS_PER_SECOND};

use crate::toml_cursor::Node;

/// Text of a TOML date/time literal or string (TOML's own dates are accepted too).
fn text_of<'a>(node: &'a Node<'_, '_>) -> Option<std::borrow::Cow<'a, str>> {
    match node.value() {
        DeValue::String(s) => Some(std::borrow::Cow::Borrowed(s.as_ref())),
        DeValue::Datetime(d) => Some(std::borrow::Cow::Owned(d.to_string())),
        _ => None,
    }
}

/// A literal as the gate reads it: strings and dates as written, numbers in decimal (a card
/// number written as a TOML integer is still a card number). `None` for booleans and tables.
pub fn literal_text(node: &Node<'_, '_>) -> Option<String> {
    match node.value() {
        DeValue::Integer(_) => node.i64().ok().map(|i| i.to_string()),
        DeValue::Float(_) => node.f64().ok().map(|f| f.to_string()),
        _ => text_of(node).map(|t| t.into_owned()),
    }
}

/// A single value of type `dt`, as a one-row column.
pub fn literal(node: &Node<'_, '_>, dt: DataType) -> Result<Values, Error> {
    let mut v = Values::with_capacity(dt, 1);
    let bad = |what: &str| node.error(format!("expected {what} for a {} column", dt.name()));
    match &mut v {
        Values::Int64(o) => o.push(node.i64()?),
        Values::Float64(o) => o.push(node.f64()?),
        Values::Bool(o) => o.push(node.bool()?),
        Values::Utf8(o) => o.push(node.str()?),
        Values::Date(o) => {
            let t = text_of(node).ok_or_else(|| bad("a date \"YYYY-MM-DD\""))?;
            o.push(parse_date(&t).ok_or_else(|| bad("a date \"YYYY-MM-DD\""))?)
        }
        Values::Time(o) => {
            let t = text_of(node).ok_or_else(|| bad("a time \"HH:MM:SS\""))?;
            o.push(parse_time(&t).ok_or_else(|| bad("a time \"HH:MM:SS\""))?)
        }
        Values::Timestamp(o) => {
            let t = text_of(node).ok_or_else(|| bad("a timestamp \"YYYY-MM-DDTHH:MM:SSZ\""))?;
            o.push(parse_timestamp(&t).ok_or_else(|| bad("a timestamp \"YYYY-MM-DDTHH:MM:SSZ\""))?)
        }
        Values::Decimal(o, scale) => {
            let x = node.f64()?;
            o.push((x * 10f64.powi(*scale as i32)).round() as i64)
        }
    }
    Ok(v)
}

/// The base of a range end before its offset.
#[derive(Debug, PartialEq)]
pub enum Base<'s> {
    Now,
    Fixed(i64),
    Column(&'s str),
}

/// Splits `base(±N unit)*`, e.g. `now-5y`, `2020-01-01+12h`, `parent.created_at + 1d`.
pub fn parse_range_end(text: &str) -> Result<(Base<'_>, Offset), String> {
    let mut rest = text.trim();
    let mut offset = Offset::default();
    while let Some((head, n, unit, sign)) = trailing_term(rest) {
        let n = n as i64 * sign;
        match unit {
            "y" => offset.months += 12 * n,
            "mo" => offset.months += n,
            "w" => offset.micros += 7 * n * MICROS_PER_DAY,
            "d" => offset.micros += n * MICROS_PER_DAY,
            "h" => offset.micros += 3600 * n * MICROS_PER_SECOND,
            "m" => offset.micros += 60 * n * MICROS_PER_SECOND,
            "s" => offset.micros += n * MICROS_PER_SECOND,
            _ => unreachable!("trailing_term only returns known units"),
        }
        rest = head.trim_end();
    }
    let base = if rest == "now" {
        Base::Now
    } else if rest.starts_with(|c: char| c.is_ascii_digit()) {
        Base::Fixed(
            parse_timestamp(rest)
                .ok_or_else(|| format!("`{rest}` is not a date (YYYY-MM-DD) or timestamp (YYYY-MM-DDTHH:MM:SSZ)"))?,
        )
    } else if !rest.is_empty() && rest.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.') {
        Base::Column(rest)
    } else {
        return Err(format!(
            "`{text}` is not a range end; write `now`, a date, or a column, with optional offsets such as `now-5y` or `created_at+30d` (units y, mo, w, d, h, m, s)"
        ));
    };
    Ok((base, offset))
}

/// The last `±N unit` of `s`, if it ends with one: (rest, N, unit, sign).
fn trailing_term(s: &str) -> Option<(&str, u64, &'static str, i64)> {
    const UNITS: [&str; 7] = ["mo", "y", "w", "d", "h", "m", "s"];
    let unit = UNITS.iter().find(|u| s.ends_with(*u))?;
    let before = s[..s.len() - unit.len()].trim_end();
    let digits_start = before.rfind(|c: char| !c.is_ascii_digit()).map_or(0, |i| i + 1);
    let digits = &before[digits_start..];
    if digits.is_empty() {
        return None;
    }
    let head = before[..digits_start].trim_end();
    let sign = match head.chars().last()? {
        '+' => 1,
        '-' => -1,
        _ => return None,
    };
    let n = digits.parse().ok()?;
    Some((&head[..head.len() - 1], n, unit, sign))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_range_ends() {
        let (b, o) = parse_range_end("now-5y").unwrap();
        assert_eq!(b, Base::Now);
        assert_eq!(o, Offset { months: -60, micros: 0 });
        let (b, o) = parse_range_end("parent.created_at + 1d").unwrap();
        assert_eq!(b, Base::Column("parent.created_at"));
        assert_eq!(o.micros, MICROS_PER_DAY);
        let (b, o) = parse_range_end("2020-01-01").unwrap();
        assert_eq!(b, Base::Fixed(parse_date("2020-01-01").unwrap() as i64 * MICROS_PER_DAY));
        assert_eq!(o, Offset::default());
        let (_, o) = parse_range_end("now-1y-6mo+2h").unwrap();
        assert_eq!(o, Offset { months: -18, micros: 2 * 3600 * MICROS_PER_SECOND });
        assert!(parse_range_end("2020-13-01").is_err());
        assert!(parse_range_end("now -- 5y").is_err());
    }
}
