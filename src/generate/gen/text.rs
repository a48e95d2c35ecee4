//! Text: weighted choices, regex patterns, UUIDs, lorem ipsum, templates and emails.

use crate::batch::{Scalar, StrBuf, Values};
use crate::generate::column::{push_scalar, write_scalar_text, Generate, RowCtx};
use crate::generate::gen::temporal::ColRef;
use crate::generate::rng::{mix, CellRng, Key};

/// One of a fixed set of values, with optional weights.
pub struct Choice {
    /// The options, as a one-row-per-option column of the output type.
    pub options: Values,
    /// Cumulative weights; empty for equal weights.
    pub cumulative: Vec<f64>,
    /// `pick = "ordinal"`: the n-th child of a parent row takes the n-th option, so siblings
    /// never share one (a key such as `(tenant_id, priority)`); past the last option, null.
    pub by_ordinal: bool,
}

impl Generate for Choice {
    fn generate(&self, cx: &RowCtx<'_>, rng: &mut CellRng, out: &mut Values) -> bool {
        let n = self.options.len();
        let i = if self.by_ordinal {
            if cx.ordinal >= n as u64 {
                return false;
            }
            cx.ordinal as usize
        } else if self.cumulative.is_empty() {
            rng.index(n)
        } else {
            let total = self.cumulative[n - 1];
            let x = rng.unit() * total;
            self.cumulative.partition_point(|&c| c <= x).min(n - 1)
        };
        push_scalar(out, self.options.scalar(i))
    }
}

/// Strings matching a regular expression.
pub struct RegexGen {
    pub regex: rand_regex::Regex,
}

impl Generate for RegexGen {
    fn generate(&self, _: &RowCtx<'_>, rng: &mut CellRng, out: &mut Values) -> bool {
        use rand::distr::Distribution;
        let Values::Utf8(o) = out else { return false };
        let s: String = self.regex.sample(rng);
        o.push(&s);
        true
    }
}

/// Version-4-shaped UUIDs that are a bijection of the row index: unique by construction.
pub struct UuidGen {
    pub keys: [u64; 4],
}

impl UuidGen {
    pub fn new(key: Key) -> UuidGen {
        let k = key.derive("uuid");
        UuidGen { keys: [k.hash(0), k.hash(1), k.hash(2), k.hash(3)] }
    }

    /// A Feistel network over 122 bits (two 61-bit halves), the bits a v4 UUID leaves free.
    fn bits(&self, row: u64) -> (u64, u64) {
        const MASK: u64 = (1 << 61) - 1;
        let (mut l, mut r) = (0u64, row & MASK);
        for k in self.keys {
            let f = mix(r ^ k) & MASK;
            (l, r) = (r, l ^ f);
        }
        (l, r)
    }
}

impl Generate for UuidGen {
    fn generate(&self, cx: &RowCtx<'_>, _: &mut CellRng, out: &mut Values) -> bool {
        let Values::Utf8(o) = out else { return false };
        let (l, r) = self.bits(cx.row);
        let bits = ((l as u128) << 61) | r as u128; // 122 free bits of a v4 UUID
        let a = (bits >> 74) as u64; // time_low + time_mid: 48 bits
        let b = (bits >> 62) as u64 & 0xfff; // after the version nibble
        let clock = 0x8000 | ((bits >> 48) as u64 & 0x3fff); // variant 0b10
        let node = bits as u64 & 0xffff_ffff_ffff;
        let mut buf = [0u8; 36];
        hex(&mut buf[0..8], a >> 16, 8);
        buf[8] = b'-';
        hex(&mut buf[9..13], a & 0xffff, 4);
        buf[13] = b'-';
        hex(&mut buf[14..18], 0x4000 | b, 4);
        buf[18] = b'-';
        hex(&mut buf[19..23], clock, 4);
        buf[23] = b'-';
        hex(&mut buf[24..36], node, 12);
        o.extend_ascii(&buf);
        o.end_value();
        true
    }
}

fn hex(dst: &mut [u8], mut v: u64, digits: usize) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for i in (0..digits).rev() {
        dst[i] = HEX[(v & 0xf) as usize];
        v >>= 4;
    }
}

/// Lorem ipsum: a sentence of `min..=max` words.
pub struct Lorem {
    pub words: &'static [&'static str],
    pub min: u32,
    pub max: u32,
}

impl Generate for Lorem {
    fn generate(&self, _: &RowCtx<'_>, rng: &mut CellRng, out: &mut Values) -> bool {
        let Values::Utf8(o) = out else { return false };
        let n = rng.range_i64(self.min as i64, self.max as i64);
        for i in 0..n {
            let w = self.words[rng.index(self.words.len())];
            if i == 0 {
                let mut chars = w.chars();
                if let Some(c) = chars.next() {
                    o.extend_char(c.to_ascii_uppercase());
                    o.extend(chars.as_str());
                }
            } else {
                o.extend_ascii(b" ");
                o.extend(w);
            }
        }
        if n > 0 {
            o.extend_ascii(b".");
        }
        o.end_value();
        true
    }
}

/// A piece of a template.
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    Text(String),
    Column(ColRef),
    /// The 1-based row number, zero-padded to `width`.
    Row {
        width: usize,
    },
    /// The 1-based position among the parent's children.
    Ordinal {
        width: usize,
    },
}

/// A string built from literal text, other columns of the row, and the row number.
pub struct Template {
    pub parts: Vec<Part>,
    /// Whether a null column makes the whole value null (otherwise it is left out).
    pub null_if_any_null: bool,
}

impl Generate for Template {
    fn generate(&self, cx: &RowCtx<'_>, _: &mut CellRng, out: &mut Values) -> bool {
        let Values::Utf8(o) = out else { return false };
        for part in &self.parts {
            match part {
                Part::Text(t) => o.extend(t),
                Part::Column(c) => {
                    let v = c.get(cx);
                    if v == Scalar::Null && self.null_if_any_null {
                        o.discard_current();
                        return false;
                    }
                    write_scalar_text(v, o);
                }
                Part::Row { width } => write_padded(o, cx.row + 1, *width),
                Part::Ordinal { width } => write_padded(o, cx.ordinal + 1, *width),
            }
        }
        o.end_value();
        true
    }
}

fn write_padded(o: &mut StrBuf, v: u64, width: usize) {
    let mut buf = itoa::Buffer::new();
    let s = buf.format(v);
    for _ in s.len()..width {
        o.extend_ascii(b"0");
    }
    o.extend_ascii(s.as_bytes());
}

/// Emails at reserved domains (RFC 2606 / RFC 6761), the local part derived from columns of
/// the row (names), folded to ASCII; `unique` appends the row number, so no two rows collide.
pub struct EmailGen {
    pub from: Vec<ColRef>,
    pub domains: Vec<String>,
    pub unique: bool,
    pub locale: &'static crate::generate::locale::Locale,
}

impl Generate for EmailGen {
    fn generate(&self, cx: &RowCtx<'_>, rng: &mut CellRng, out: &mut Values) -> bool {
        let Values::Utf8(o) = out else { return false };
        let start = o.current().len();
        if self.from.is_empty() {
            fold_into(self.locale.first_name(rng), o);
            o.extend_ascii(b".");
            fold_into(self.locale.last_name(rng), o);
        } else {
            for (i, c) in self.from.iter().enumerate() {
                if i > 0 {
                    o.extend_ascii(b".");
                }
                match c.get(cx) {
                    Scalar::Str(s) => fold_into(s, o),
                    Scalar::Null => {}
                    other => write_scalar_text(other, o),
                }
            }
        }
        if o.current().len() == start {
            o.extend_ascii(b"user");
        }
        if self.unique {
            o.extend_ascii(b".");
            o.extend_ascii(itoa::Buffer::new().format(cx.row + 1).as_bytes());
        } else if rng.chance(0.3) {
            o.extend_ascii(itoa::Buffer::new().format(rng.below(100)).as_bytes());
        }
        o.extend_ascii(b"@");
        let d = if self.domains.len() == 1 { 0 } else { rng.index(self.domains.len()) };
        o.extend(&self.domains[d]);
        o.end_value();
        true
    }
}

/// Lower-case ASCII letters and digits of `s`, transliterated (Zoë → zoe, Łukasz → lukasz).
pub fn fold_into(s: &str, o: &mut StrBuf) {
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            let b = [c.to_ascii_lowercase() as u8];
            o.extend_ascii(&b);
        } else if !c.is_ascii() {
            if let Some(t) = deunicode::deunicode_char(c) {
                for b in t.bytes().filter(u8::is_ascii_alphanumeric) {
                    o.extend_ascii(&[b.to_ascii_lowercase()]);
                }
            }
        }
    }
}

/// Whether a domain is reserved for documentation or testing and can never reach a person.
pub fn is_reserved_domain(domain: &str) -> bool {
    // ASCII case ignored, without a lower-cased copy: the gate asks this of every email cell.
    let d = domain.as_bytes();
    let ends =
        |suffix: &str| d.len() >= suffix.len() && d[d.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes());
    ["example.com", "example.net", "example.org", "example", "test", "invalid", "localhost"]
        .iter()
        .any(|n| domain.eq_ignore_ascii_case(n))
        || [".example", ".test", ".invalid", ".example.com", ".example.net", ".example.org"].iter().any(|s| ends(s))
}

/// Another generator's text, cut to a column's declared length (`varchar(40)`).
pub struct MaxLen {
    pub inner: Box<dyn Generate>,
    pub max: usize,
}

impl Generate for MaxLen {
    fn generate(&self, cx: &RowCtx<'_>, rng: &mut CellRng, out: &mut Values) -> bool {
        if !self.inner.generate(cx, rng, out) {
            return false;
        }
        if let Values::Utf8(o) = out {
            o.truncate_last(self.max);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::is_reserved_domain;

    #[test]
    fn reserved_domains_are_those_of_rfc_2606_and_6761_in_any_ascii_case() {
        for d in
            ["example.com", "EXAMPLE.org", "mail.example.net", "shop.Example", "x.test", "a.b.invalid", "localhost"]
        {
            assert!(is_reserved_domain(d), "{d}");
        }
        for d in ["example.co.uk", "notexample.com", "example.com.evil.io", "testing", "mailbox.co.uk", "", "ex"] {
            assert!(!is_reserved_domain(d), "{d}");
        }
    }
}
