//! Calendar arithmetic and text forms of dates, times and timestamps.
//!
//! Dates are days since 1970-01-01, times microseconds since midnight, timestamps microseconds
//! since the Unix epoch in UTC. Formatting writes ASCII into a caller's buffer: no allocation.

pub const MICROS_PER_SECOND: i64 = 1_000_000;
pub const MICROS_PER_DAY: i64 = 86_400 * MICROS_PER_SECOND;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day number.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Add calendar months to a day number; the day is clamped (Jan 31 + 1 month = Feb 28/29).
pub fn add_months(days: i64, months: i64) -> i64 {
    let (y, m, d) = civil_from_days(days);
    let total = y * 12 + (m as i64 - 1) + months;
    let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
    days_from_civil(ny, nm, d.min(days_in_month(ny, nm)))
}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter().try_fold(0u32, |acc, b| acc.checked_mul(10)?.checked_add((b - b'0') as u32))
}

/// `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(&b[..4])?, digits(&b[5..7])?, digits(&b[8..])?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y as i64, m) {
        return None;
    }
    Some(days_from_civil(y as i64, m, d) as i32)
}

/// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.ffffff` (up to six fractional digits).
pub fn parse_time(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 5 || b[2] != b':' {
        return None;
    }
    let (h, mi) = (digits(&b[..2])?, digits(&b[3..5])?);
    let (mut sec, mut frac) = (0u32, 0i64);
    if b.len() > 5 {
        if b.len() < 8 || b[5] != b':' {
            return None;
        }
        sec = digits(&b[6..8])?;
        if b.len() > 8 {
            let f = &b[9..];
            if b[8] != b'.' || f.is_empty() || f.len() > 6 {
                return None;
            }
            frac = digits(f)? as i64 * 10i64.pow(6 - f.len() as u32);
        }
    }
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    Some(((h as i64 * 60 + mi as i64) * 60 + sec as i64) * MICROS_PER_SECOND + frac)
}

/// `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS[.ffffff]]` with an optional `Z` or UTC offset (`+00`,
/// `-05:30`, `+0200`, as PostgreSQL writes `timestamptz`), as microseconds since the epoch in
/// UTC; a space may stand for `T`.
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.strip_suffix('Z').unwrap_or(s);
    if s.len() == 10 {
        return Some(parse_date(s)? as i64 * MICROS_PER_DAY);
    }
    if s.len() < 16 || !matches!(s.as_bytes()[10], b'T' | b' ') {
        return None;
    }
    let (clock, offset) = split_offset(&s[11..])?;
    let day = parse_date(&s[..10])? as i64;
    Some(day * MICROS_PER_DAY + parse_time(clock)? - offset)
}

/// `HH:MM:SS+02:00` → (`HH:MM:SS`, two hours in microseconds); no offset is zero.
fn split_offset(t: &str) -> Option<(&str, i64)> {
    let Some(at) = t.rfind(['+', '-']) else { return Some((t, 0)) };
    let (clock, zone) = (&t[..at], &t.as_bytes()[at + 1..]);
    let (h, m) = match zone.len() {
        2 => (digits(zone)?, 0),
        4 => (digits(&zone[..2])?, digits(&zone[2..])?),
        5 if zone[2] == b':' => (digits(&zone[..2])?, digits(&zone[3..])?),
        _ => return None,
    };
    if h > 15 || m > 59 {
        return None;
    }
    let sign = if t.as_bytes()[at] == b'-' { -1 } else { 1 };
    Some((clock, sign * (h as i64 * 60 + m as i64) * 60 * MICROS_PER_SECOND))
}

#[inline]
fn push2(out: &mut Vec<u8>, v: u32) {
    out.push(b'0' + (v / 10) as u8);
    out.push(b'0' + (v % 10) as u8);
}

/// `YYYY-MM-DD` (years outside 0..=9999 are written with as many digits as they need).
pub fn write_date(days: i32, out: &mut Vec<u8>) {
    let (y, m, d) = civil_from_days(days as i64);
    if (0..10_000).contains(&y) {
        let y = y as u32;
        push2(out, y / 100);
        push2(out, y % 100);
    } else {
        out.extend_from_slice(itoa::Buffer::new().format(y).as_bytes());
    }
    out.push(b'-');
    push2(out, m);
    out.push(b'-');
    push2(out, d);
}

/// `HH:MM:SS`, with `.ffffff` only when the value has a fractional second.
pub fn write_time(micros: i64, out: &mut Vec<u8>) {
    let secs = micros.div_euclid(MICROS_PER_SECOND);
    let frac = micros.rem_euclid(MICROS_PER_SECOND);
    push2(out, (secs / 3600) as u32);
    out.push(b':');
    push2(out, (secs / 60 % 60) as u32);
    out.push(b':');
    push2(out, (secs % 60) as u32);
    if frac != 0 {
        out.push(b'.');
        let f = frac as u32;
        push2(out, f / 10_000);
        push2(out, f / 100 % 100);
        push2(out, f % 100);
    }
}

/// ISO 8601 in UTC: `YYYY-MM-DDTHH:MM:SSZ` (fraction only when present).
pub fn write_timestamp(micros: i64, out: &mut Vec<u8>) {
    write_date(micros.div_euclid(MICROS_PER_DAY) as i32, out);
    out.push(b'T');
    write_time(micros.rem_euclid(MICROS_PER_DAY), out);
    out.push(b'Z');
}

/// A fixed-point decimal: mantissa with `scale` decimal places.
pub fn write_decimal(mantissa: i64, scale: u8, out: &mut Vec<u8>) {
    if scale == 0 {
        out.extend_from_slice(itoa::Buffer::new().format(mantissa).as_bytes());
        return;
    }
    let pow = 10i64.pow(scale as u32);
    if mantissa < 0 {
        out.push(b'-');
    }
    let abs = mantissa.unsigned_abs();
    out.extend_from_slice(itoa::Buffer::new().format(abs / pow as u64).as_bytes());
    out.push(b'.');
    let frac = abs % pow as u64;
    let mut buf = itoa::Buffer::new();
    let f = buf.format(frac).as_bytes();
    out.extend(std::iter::repeat_n(b'0', scale as usize - f.len()));
    out.extend_from_slice(f);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_with_utc_offsets_are_moved_to_utc() {
        let utc = parse_timestamp("2024-05-01T10:00:00Z").unwrap();
        for s in [
            "2024-05-01 10:00:00+00",
            "2024-05-01 12:00:00+02",
            "2024-05-01 12:30:00+02:30",
            "2024-05-01T05:00:00-0500",
        ] {
            assert_eq!(parse_timestamp(s), Some(utc), "{s}");
        }
        assert_eq!(parse_timestamp("2024-05-01 10:00:00.5+00"), Some(utc + 500_000));
        for bad in ["2024-05-01 10:00:00+2", "2024-05-01 10:00:00+99", "2024-05-01 10:00:00+02:3x"] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    fn date_text(d: i32) -> String {
        let mut v = Vec::new();
        write_date(d, &mut v);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn civil_round_trips_over_four_centuries() {
        for z in -146_097..146_097 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn parses_and_writes_dates() {
        assert_eq!(parse_date("2024-02-29").map(date_text).as_deref(), Some("2024-02-29"));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2023-13-01"), None);
        assert_eq!(parse_date("23-01-01"), None);
        assert_eq!(date_text(-1), "1969-12-31");
    }

    #[test]
    fn parses_and_writes_timestamps() {
        let t = parse_timestamp("2021-06-30T23:59:58.5Z").unwrap();
        let mut v = Vec::new();
        write_timestamp(t, &mut v);
        assert_eq!(String::from_utf8(v).unwrap(), "2021-06-30T23:59:58.500000Z");
        assert_eq!(parse_timestamp("2021-06-30 12:00"), parse_timestamp("2021-06-30T12:00:00Z"));
        assert_eq!(parse_timestamp("2021-06-30"), Some(parse_date("2021-06-30").unwrap() as i64 * MICROS_PER_DAY));
        assert_eq!(parse_timestamp("2021-06-30T25:00"), None);
    }

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        let jan31 = parse_date("2024-01-31").unwrap() as i64;
        assert_eq!(date_text(add_months(jan31, 1) as i32), "2024-02-29");
        let leap = parse_date("2024-02-29").unwrap() as i64;
        assert_eq!(date_text(add_months(leap, -12) as i32), "2023-02-28");
    }

    #[test]
    fn writes_decimals() {
        let text = |m, s| {
            let mut v = Vec::new();
            write_decimal(m, s, &mut v);
            String::from_utf8(v).unwrap()
        };
        assert_eq!(text(12345, 2), "123.45");
        assert_eq!(text(-5, 2), "-0.05");
        assert_eq!(text(7, 0), "7");
        assert_eq!(text(100, 3), "0.100");
    }
}
