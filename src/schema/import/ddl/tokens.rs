//! A small tokenizer for the statements read by hand (`CREATE TYPE`, `CREATE DOMAIN`,
//! `CREATE UNIQUE INDEX`, `ALTER TABLE`…), more forgiving than sqlparser about clauses that
//! do not matter here.

use super::*;

// A small tokenizer for the statements we read by hand

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tk {
    /// An unquoted word, as written.
    Word(String),
    /// A quoted identifier, quotes removed.
    Quoted(String),
    /// A string literal, unescaped.
    Str(String),
    Num(String),
    Sym(char),
}

#[derive(Clone, Debug)]
pub(super) struct Tok {
    pub(super) tk: Tk,
    /// Byte offsets in the statement text.
    pub(super) start: usize,
    pub(super) end: usize,
}

impl Tok {
    pub(super) fn is_word(&self, w: &str) -> bool {
        matches!(&self.tk, Tk::Word(x) if x.eq_ignore_ascii_case(w))
    }
    pub(super) fn is_sym(&self, s: char) -> bool {
        self.tk == Tk::Sym(s)
    }
}

pub(super) fn unescape(body: &str, quote: char, backslash: bool) -> String {
    let mut out = String::new();
    let mut it = body.chars().peekable();
    while let Some(ch) = it.next() {
        if backslash && ch == '\\' {
            match it.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('0') => out.push('\0'),
                Some(x) => out.push(x),
                None => {}
            }
        } else if ch == quote && it.peek() == Some(&quote) {
            it.next();
            out.push(quote);
        } else {
            out.push(ch);
        }
    }
    out
}

pub(super) fn tokenize(text: &str, dialect: Dialect) -> Vec<Tok> {
    let indexed: Vec<(usize, char)> = text.char_indices().collect();
    let c: Vec<char> = indexed.iter().map(|&(_, ch)| ch).collect();
    let n = c.len();
    let byte = |i: usize| indexed.get(i).map_or(text.len(), |&(b, _)| b);
    let mut toks = Vec::new();
    let mut i = 0;
    while i < n {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
            continue;
        }
        if let Some(end) = quoted_end(&c, i, dialect) {
            // The body between the quotes (an unterminated one runs to the end).
            let closer = if ch == '[' { ']' } else { ch };
            let close = usize::from(end > i + 1 && c[end - 1] == closer);
            let raw: String = c[i + 1..(end - close).max(i + 1)].iter().collect();
            let tk = match ch {
                '\'' => {
                    // As in `quoted_end`: E'…' (not DATE'…') takes backslash escapes in PostgreSQL.
                    let escape_string = i > 0 && matches!(c[i - 1], 'E' | 'e') && !(i > 1 && is_ident_char(c[i - 2]));
                    let backslash = dialect == Dialect::Mysql || (dialect == Dialect::Postgres && escape_string);
                    // Drop a preceding E of E'…'.
                    if dialect == Dialect::Postgres
                        && toks.last().is_some_and(|t: &Tok| t.is_word("E") && t.end == byte(i))
                    {
                        toks.pop();
                    }
                    Tk::Str(unescape(&raw, '\'', backslash))
                }
                '"' if dialect == Dialect::Mysql => Tk::Str(unescape(&raw, '"', true)),
                '"' => Tk::Quoted(unescape(&raw, '"', false)),
                '`' => Tk::Quoted(unescape(&raw, '`', false)),
                '[' => Tk::Quoted(raw),
                _ => {
                    // Dollar quoting: strip the tags.
                    let tag_len = c[i + 1..].iter().position(|&x| x == '$').map_or(0, |p| p + 2);
                    let body_end = end.saturating_sub(tag_len).max(i + tag_len).min(n);
                    Tk::Str(c[(i + tag_len).min(n)..body_end].iter().collect())
                }
            };
            toks.push(Tok { tk, start: byte(i), end: byte(end) });
            i = end;
            continue;
        }
        let start = i;
        let tk = if is_ident_start(ch) {
            while i < n && is_ident_char(c[i]) {
                i += 1;
            }
            Tk::Word(c[start..i].iter().collect())
        } else if ch.is_ascii_digit() {
            while i < n && (c[i].is_ascii_alphanumeric() || c[i] == '.') {
                i += 1;
            }
            Tk::Num(c[start..i].iter().collect())
        } else {
            i += 1;
            Tk::Sym(ch)
        };
        toks.push(Tok { tk, start: byte(start), end: byte(i) });
    }
    toks
}

/// The index of the `)` matching the `(` at `open` (or `toks.len()`).
pub(super) fn matching_paren(toks: &[Tok], open: usize) -> usize {
    let mut depth = 0usize;
    for (k, t) in toks.iter().enumerate().skip(open) {
        if t.is_sym('(') {
            depth += 1;
        } else if t.is_sym(')') {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return k;
            }
        }
    }
    toks.len()
}

/// Splits `toks` at top-level commas.
pub(super) fn split_commas(toks: &[Tok]) -> Vec<&[Tok]> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut from = 0;
    for (k, t) in toks.iter().enumerate() {
        match t.tk {
            Tk::Sym('(') => depth += 1,
            Tk::Sym(')') => depth = depth.saturating_sub(1),
            Tk::Sym(',') if depth == 0 => {
                parts.push(&toks[from..k]);
                from = k + 1;
            }
            _ => {}
        }
    }
    parts.push(&toks[from..]);
    parts
}

/// Replaces the characters of `text[from..]` by spaces, keeping newlines and so every position.
pub(super) fn blank_from(text: &str, from: usize) -> String {
    let mut out = text.get(..from).unwrap_or(text).to_string();
    out.extend(text.get(from..).unwrap_or("").chars().map(|ch| if ch == '\n' { '\n' } else { ' ' }));
    out
}

/// Lower-cases outside quotes and collapses blanks: `CHARACTER  VARYING(40)` → `character varying(40)`.
pub(super) fn normalise(s: &str) -> String {
    let mut out = String::new();
    let mut quote: Option<char> = None;
    let mut blank = false;
    for ch in s.trim().chars() {
        match quote {
            Some(q) => {
                out.push(ch);
                if ch == q {
                    quote = None;
                }
            }
            None if ch.is_whitespace() => blank = true,
            None => {
                if blank {
                    out.push(' ');
                    blank = false;
                }
                if ch == '\'' || ch == '"' {
                    quote = Some(ch);
                }
                out.extend(ch.to_lowercase());
            }
        }
    }
    out
}
