//! Reads SQL DDL text (`pg_dump -s` output, migration files, `mysqldump --no-data`, SQLite
//! `.schema` text) into the neutral [`DbSchema`] model.
//!
//! Real files are noisy, so the text is first split into statements by hand (quotes, dollar
//! quoting, comments, MySQL conditional comments, psql meta-commands, `DELIMITER`, COPY data,
//! trigger bodies), each statement keeps its position in the file, and only the statements that
//! matter are read: `CREATE TABLE` and `ALTER TABLE` with `sqlparser`, the small fixed forms
//! (`CREATE TYPE … AS ENUM`, `CREATE DOMAIN`, `CREATE UNIQUE INDEX`, `COMMENT ON TABLE`,
//! `DROP TABLE`, views…) with a small tokenizer of our own, which is more forgiving than
//! sqlparser about the clauses we do not care about. Everything else is ignored; only a
//! `CREATE TABLE` that cannot be read is an error.

use std::fmt;

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ArrayElemTypeDef, ColumnDef, ColumnOption, ColumnOptionDef,
    ConstraintCharacteristics, CreateTable, DataType, EnumMember, Expr, ForeignKeyConstraint, Ident, IndexColumn,
    ObjectName, RenameTableNameKind, Spanned, SqlOption, Statement, TableConstraint,
};
use sqlparser::dialect::{Dialect as SqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::Token;

use super::model::{Check, Column, DbSchema, Dialect, Domain, EnumType, ForeignKey, Table, Unique};

/// A DDL file that cannot be read: a `CREATE TABLE` that does not parse.
#[derive(Debug)]
pub struct DdlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for DdlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for DdlError {}

/// Reads DDL text into the model. `source` is the file name used in messages.
pub fn parse(text: &str, dialect: Dialect, source: &str) -> Result<DbSchema, DdlError> {
    let mut reader = Reader::new(dialect, source);
    for statement in split_statements(text, dialect) {
        reader.statement(&statement)?;
    }
    Ok(reader.finish())
}

// ---------------------------------------------------------------------------------------------
// Splitting the file into statements
// ---------------------------------------------------------------------------------------------

/// One statement of the file, as handed to the parsers.
#[derive(Debug)]
struct RawStatement {
    /// The statement without its terminator. Comments and MySQL conditional-comment markers
    /// are replaced by spaces (newlines kept), so that every character keeps its line and
    /// column and sqlparser positions can be mapped back to the file.
    text: String,
    /// 1-based line and column (in characters) of the statement's first character.
    line: usize,
    column: usize,
}

impl RawStatement {
    /// Maps a 1-based line/column inside the statement to the file.
    fn file_position(&self, line: usize, column: usize) -> (usize, usize) {
        if line <= 1 {
            (self.line, self.column + column.saturating_sub(1))
        } else {
            (self.line + line - 1, column)
        }
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// If a quoted token (string, quoted identifier, dollar-quoted body) starts at `i`, the index
/// just past its end (the end of the text when it is unterminated).
fn quoted_end(c: &[char], i: usize, dialect: Dialect) -> Option<usize> {
    let n = c.len();
    let prev = |k: usize| if k > 0 { c.get(k - 1).copied() } else { None };
    // A run closed by `close`, where a doubled `close` stands for itself and, if `backslash`,
    // `\x` escapes any character.
    let run = |close: char, backslash: bool| {
        let mut j = i + 1;
        while j < n {
            if backslash && c[j] == '\\' {
                j += 2;
                continue;
            }
            if c[j] == close {
                if j + 1 < n && c[j + 1] == close {
                    j += 2;
                    continue;
                }
                return j + 1;
            }
            j += 1;
        }
        n
    };
    match c[i] {
        '\'' => {
            // MySQL strings take backslash escapes; PostgreSQL only in E'…' strings.
            let escape_string = matches!(prev(i), Some('E' | 'e')) && !prev(i - 1).is_some_and(is_ident_char);
            let backslash = dialect == Dialect::Mysql || (dialect == Dialect::Postgres && escape_string);
            Some(run('\'', backslash))
        }
        // In MySQL "…" is a string (ANSI_QUOTES off); elsewhere a quoted identifier.
        '"' => Some(run('"', dialect == Dialect::Mysql)),
        '`' if dialect != Dialect::Postgres => Some(run('`', false)),
        '[' if dialect == Dialect::Sqlite => {
            let end = c[i + 1..].iter().position(|&x| x == ']');
            Some(end.map_or(n, |e| i + 1 + e + 1))
        }
        '$' if dialect == Dialect::Postgres => {
            // $$…$$ or $tag$…$tag$; not $1 (a parameter) nor part of an identifier.
            if prev(i).is_some_and(is_ident_char) {
                return None;
            }
            let mut j = i + 1;
            while j < n && c[j] != '$' && is_ident_char(c[j]) {
                j += 1;
            }
            if j >= n || c[j] != '$' || c.get(i + 1).is_some_and(|x| x.is_ascii_digit()) {
                return None;
            }
            let tag = &c[i..=j];
            let mut k = j + 1;
            while k + tag.len() <= n {
                if &c[k..k + tag.len()] == tag {
                    return Some(k + tag.len());
                }
                k += 1;
            }
            Some(n)
        }
        _ => None,
    }
}

/// The statement being collected by [`split_statements`].
struct Pending {
    start: usize,
    text: String,
    /// The first words, upper-cased (to recognise trigger and routine bodies).
    words: Vec<String>,
    /// `BEGIN … END` nesting inside a trigger/routine body.
    depth: usize,
    /// The first `;` passed over inside a body: (index, text length, conditional depth),
    /// where the statement is cut instead if the body never closes.
    first_semicolon: Option<(usize, usize, usize)>,
}

impl Pending {
    /// A `CREATE TRIGGER`/`FUNCTION`/`PROCEDURE`, whose body may hold `;` between BEGIN and END
    /// (decided on the first object keyword, so that a column named `trigger` does not count).
    fn block_aware(&self) -> bool {
        const OBJECTS: [&str; 11] = [
            "TABLE",
            "VIEW",
            "INDEX",
            "TYPE",
            "DOMAIN",
            "SEQUENCE",
            "SCHEMA",
            "RULE",
            "TRIGGER",
            "FUNCTION",
            "PROCEDURE",
        ];
        self.words.first().is_some_and(|w| w == "CREATE")
            && self
                .words
                .iter()
                .find(|w| OBJECTS.contains(&w.as_str()))
                .is_some_and(|w| matches!(w.as_str(), "TRIGGER" | "FUNCTION" | "PROCEDURE"))
    }
}

/// Splits DDL text into statements, dropping comments, client commands and COPY data.
fn split_statements(text: &str, dialect: Dialect) -> Vec<RawStatement> {
    let c: Vec<char> = text.chars().collect();
    let n = c.len();
    let mut line_starts = vec![0usize];
    line_starts.extend(c.iter().enumerate().filter(|(_, ch)| **ch == '\n').map(|(i, _)| i + 1));
    // 1-based line of index `i`, and the index its line starts at.
    let line_of = |i: usize| {
        let line = line_starts.partition_point(|&s| s <= i).max(1);
        (line, line_starts.get(line - 1).copied().unwrap_or(0))
    };
    let position = |i: usize| {
        let (line, start) = line_of(i);
        (line, i - start + 1)
    };
    let line_start = |i: usize| line_of(i).1;
    let line_end = |i: usize| c[i..].iter().position(|&x| x == '\n').map_or(n, |p| i + p);
    // Replaces characters by spaces in the statement text, keeping newlines.
    let blank = |out: &mut String, from: usize, to: usize| {
        for &ch in &c[from..to.min(n)] {
            out.push(if ch == '\n' { '\n' } else { ' ' });
        }
    };

    let mut statements = Vec::new();
    let mut delimiter: Vec<char> = vec![';'];
    let mut current: Option<Pending> = None;
    // Open MySQL conditional comments `/*!40101 … */`, whose content is code.
    let mut conditional = 0usize;
    // Cleared once a trigger/routine body ran to the end of the file unclosed.
    let mut blocks_reliable = true;
    let mut i = 0usize;
    // Where the last thing that is not a blank ended: the line of `i` has only blanks before
    // `i` when that is not after the line's start. Each pass of the loop consumes `c[i..]` up
    // to the next pass's `i`, so this is updated at the top of the loop.
    let mut code_end = 0usize;
    let mut consumed_code = false;

    let finish = |p: Pending, out: &mut Vec<RawStatement>| {
        let body = p.text.trim_end();
        if !body.is_empty() {
            let (line, column) = position(p.start);
            out.push(RawStatement { text: body.to_string(), line, column });
        }
    };

    loop {
        while i < n {
            if consumed_code {
                code_end = i;
            }
            let ch = c[i];
            consumed_code = !ch.is_whitespace();
            // Client commands on a line of their own.
            if matches!(ch, '\\' | '.' | 'D' | 'd') && code_end <= line_start(i) {
                let end = line_end(i);
                let starts_statement = current.is_none();
                if ch == '\\' {
                    // psql meta-command (\connect, \restrict, …).
                    if let Some(p) = current.as_mut() {
                        blank(&mut p.text, i, end);
                    }
                    i = end;
                    continue;
                }
                if starts_statement && dialect == Dialect::Sqlite && ch == '.' {
                    i = end; // sqlite3 dot-command
                    continue;
                }
                if starts_statement && dialect == Dialect::Mysql {
                    let line: String = c[i..end].iter().collect();
                    let mut parts = line.split_whitespace();
                    if parts.next().is_some_and(|w| w.eq_ignore_ascii_case("DELIMITER")) {
                        if let Some(d) = parts.next() {
                            delimiter = d.chars().collect();
                        }
                        i = end;
                        continue;
                    }
                }
            }
            if c[i..].starts_with(&delimiter) {
                if let Some(p) = current.as_mut() {
                    if delimiter == [';'] && p.depth > 0 {
                        // A `;` inside a trigger/routine body.
                        if p.first_semicolon.is_none() {
                            p.first_semicolon = Some((i, p.text.len(), conditional));
                        }
                        p.text.push(';');
                        i += 1;
                        continue;
                    }
                }
                i += delimiter.len();
                if let Some(p) = current.take() {
                    let copy_from_stdin = dialect == Dialect::Postgres && is_copy_from_stdin(&p.text);
                    finish(p, &mut statements);
                    if copy_from_stdin {
                        i = skip_copy_data(&c, i);
                    }
                }
                continue;
            }
            if ch.is_whitespace() {
                if let Some(p) = current.as_mut() {
                    p.text.push(ch);
                }
                i += 1;
                continue;
            }
            // Comments.
            let next = c.get(i + 1).copied();
            let dash_comment = ch == '-'
                && next == Some('-')
                && (dialect != Dialect::Mysql || c.get(i + 2).is_none_or(|x| x.is_whitespace()));
            if dash_comment || (ch == '#' && dialect == Dialect::Mysql) {
                let end = line_end(i);
                if let Some(p) = current.as_mut() {
                    blank(&mut p.text, i, end);
                }
                i = end;
                continue;
            }
            if ch == '/' && next == Some('*') {
                if dialect == Dialect::Mysql && c.get(i + 2) == Some(&'!') {
                    // `/*!40101 code */`: drop the markers, keep the code.
                    let mut end = i + 3;
                    while end < n && end < i + 9 && c[end].is_ascii_digit() {
                        end += 1;
                    }
                    if let Some(p) = current.as_mut() {
                        blank(&mut p.text, i, end);
                    }
                    conditional += 1;
                    i = end;
                    continue;
                }
                // PostgreSQL block comments nest.
                let nests = dialect == Dialect::Postgres;
                let mut depth = 0usize;
                let mut j = i;
                while j < n {
                    if c[j] == '/' && c.get(j + 1) == Some(&'*') && (nests || depth == 0) {
                        depth += 1;
                        j += 2;
                    } else if c[j] == '*' && c.get(j + 1) == Some(&'/') {
                        depth -= 1;
                        j += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        j += 1;
                    }
                }
                let end = j.min(n);
                if let Some(p) = current.as_mut() {
                    blank(&mut p.text, i, end);
                }
                i = end;
                continue;
            }
            if conditional > 0 && ch == '*' && next == Some('/') {
                if let Some(p) = current.as_mut() {
                    p.text.push_str("  ");
                }
                conditional -= 1;
                i += 2;
                continue;
            }
            // Code.
            let p = current.get_or_insert_with(|| Pending {
                start: i,
                text: String::new(),
                words: Vec::new(),
                depth: 0,
                first_semicolon: None,
            });
            if let Some(end) = quoted_end(&c, i, dialect) {
                p.text.extend(&c[i..end]);
                i = end;
                continue;
            }
            if is_ident_start(ch) {
                let mut end = i + 1;
                while end < n && is_ident_char(c[end]) {
                    end += 1;
                }
                let word: String = c[i..end].iter().collect::<String>().to_ascii_uppercase();
                p.text.extend(&c[i..end]);
                if p.words.len() < 8 {
                    p.words.push(word.clone());
                }
                let blocks = blocks_reliable && dialect != Dialect::Mysql && p.block_aware();
                if blocks {
                    match word.as_str() {
                        "BEGIN" => p.depth += 1,
                        "CASE" if p.depth > 0 => p.depth += 1,
                        "END" if p.depth > 0 => p.depth -= 1,
                        _ => {}
                    }
                }
                i = end;
                continue;
            }
            p.text.push(ch);
            i += 1;
        }
        // End of file. A body that never closed: cut the statement at its first `;` and read
        // on from there, no longer trusting BEGIN/END.
        if let Some(mut p) = current.take() {
            if p.depth > 0 {
                if let Some((at, len, cond)) = p.first_semicolon {
                    p.text.truncate(len);
                    p.depth = 0;
                    finish(p, &mut statements);
                    blocks_reliable = false;
                    conditional = cond;
                    i = at + 1;
                    continue;
                }
            }
            finish(p, &mut statements);
        }
        break;
    }
    statements
}

/// `COPY … FROM stdin`: psql reads data lines after it, up to a line `\.`.
fn is_copy_from_stdin(text: &str) -> bool {
    let words: Vec<String> =
        text.split(|ch: char| !is_ident_char(ch)).filter(|w| !w.is_empty()).map(|w| w.to_ascii_uppercase()).collect();
    words.first().is_some_and(|w| w == "COPY") && words.windows(2).any(|w| w[0] == "FROM" && w[1] == "STDIN")
}

/// The index just past the `\.` line ending COPY data that starts after `i`.
fn skip_copy_data(c: &[char], i: usize) -> usize {
    let n = c.len();
    // The data starts on the line after the statement.
    let mut j = match c[i..].iter().position(|&x| x == '\n') {
        Some(p) => i + p + 1,
        None => return n,
    };
    while j < n {
        let end = c[j..].iter().position(|&x| x == '\n').map_or(n, |p| j + p);
        let line: String = c[j..end].iter().collect();
        if line.trim_end() == "\\." {
            return end;
        }
        j = end + 1;
    }
    n
}

// ---------------------------------------------------------------------------------------------
// A small tokenizer for the statements we read by hand
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Tk {
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
struct Tok {
    tk: Tk,
    /// Byte offsets in the statement text.
    start: usize,
    end: usize,
}

impl Tok {
    fn is_word(&self, w: &str) -> bool {
        matches!(&self.tk, Tk::Word(x) if x.eq_ignore_ascii_case(w))
    }
    fn is_sym(&self, s: char) -> bool {
        self.tk == Tk::Sym(s)
    }
}

fn unescape(body: &str, quote: char, backslash: bool) -> String {
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

fn tokenize(text: &str, dialect: Dialect) -> Vec<Tok> {
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
fn matching_paren(toks: &[Tok], open: usize) -> usize {
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
fn split_commas(toks: &[Tok]) -> Vec<&[Tok]> {
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
fn blank_from(text: &str, from: usize) -> String {
    let mut out = text.get(..from).unwrap_or(text).to_string();
    out.extend(text.get(from..).unwrap_or("").chars().map(|ch| if ch == '\n' { '\n' } else { ' ' }));
    out
}

/// Lower-cases outside quotes and collapses blanks: `CHARACTER  VARYING(40)` → `character varying(40)`.
fn normalise(s: &str) -> String {
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

/// Parse error text without sqlparser's prefix, its statement-relative position made relative
/// to the file.
fn error_message(err: &ParserError, st: &RawStatement) -> String {
    let text = err.to_string();
    let text = text
        .strip_prefix("sql parser error: ")
        .or_else(|| text.strip_prefix("sql tokenizer error: "))
        .unwrap_or(&text)
        .to_string();
    if let Some(at) = text.rfind(" at Line: ") {
        let tail = &text[at + " at Line: ".len()..];
        let mut nums = tail.split(", Column: ");
        let line = nums.next().and_then(|x| x.trim().parse::<usize>().ok());
        let column = nums.next().and_then(|x| x.trim().parse::<usize>().ok());
        if let (Some(l), Some(col)) = (line, column) {
            let (fl, fc) = st.file_position(l, col);
            return format!("{} at line {fl}, column {fc}", &text[..at]);
        }
    }
    text
}

/// The byte offset of a 1-based line/column (in characters) in `text`.
fn offset_of(text: &str, line: u64, column: u64) -> Option<usize> {
    Source::new(text).offset(line, column)
}

/// A statement's text with its lines indexed, to turn sqlparser positions into byte offsets
/// without walking the text from its start each time.
struct Source<'a> {
    text: &'a str,
    /// Byte offset of each line's start, and whether the line is ASCII (then a column is a
    /// byte count).
    lines: Vec<(usize, bool)>,
}

impl<'a> Source<'a> {
    fn new(text: &'a str) -> Source<'a> {
        let mut lines = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            lines.push((start, line.is_ascii()));
            start += line.len();
        }
        if text.is_empty() || text.ends_with('\n') {
            lines.push((start, true)); // the line after a final newline
        }
        Source { text, lines }
    }

    fn offset(&self, line: u64, column: u64) -> Option<usize> {
        let l = usize::try_from(line).ok()?.checked_sub(1)?;
        let col = usize::try_from(column).ok()?.checked_sub(1)?;
        let &(start, ascii) = self.lines.get(l)?;
        let end = self.lines.get(l + 1).map_or(self.text.len(), |&(s, _)| s);
        let line_text = self.text.get(start..end)?;
        let within = if ascii {
            col
        } else {
            match line_text.char_indices().nth(col) {
                Some((b, _)) => b,
                None if line_text.chars().count() == col => line_text.len(),
                None => return None,
            }
        };
        // A character of the line (its newline included), or the very end of the text.
        let valid = within < line_text.len() || (within == line_text.len() && end == self.text.len());
        valid.then_some(start + within)
    }
}

fn strip_parens(mut e: &Expr) -> &Expr {
    while let Expr::Nested(inner) = e {
        e = inner;
    }
    e
}

fn is_nextval(default: &str) -> bool {
    default.trim_start().to_ascii_lowercase().starts_with("nextval(")
}

fn deferrable(c: &Option<ConstraintCharacteristics>) -> bool {
    c.as_ref().is_some_and(|c| c.deferrable == Some(true))
}

fn qualified(schema: &Option<String>, name: &str) -> String {
    match schema {
        Some(s) => format!("{s}.{name}"),
        None => name.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// Reading statements into the model
// ---------------------------------------------------------------------------------------------

/// A change to a table, applied when the table is known (DDL may alter a table declared later).
#[derive(Debug)]
enum Action {
    AddColumn(Column),
    /// MySQL `MODIFY`/`CHANGE`: (old name, new definition).
    ReplaceColumn(String, Column),
    DropColumn(String),
    RenameColumn(String, String),
    Rename(Option<String>, String),
    NotNull(String, bool),
    Default(String, Option<String>),
    DataType(String, String),
    Identity(String),
    PrimaryKey(Vec<String>),
    DropPrimaryKey,
    ForeignKey(ForeignKey),
    Unique(Unique),
    Check(Check),
    DropConstraint(String),
    Comment(Option<String>),
}

fn apply(table: &mut Table, action: Action) {
    let column = |t: &mut Table, name: &str| t.columns.iter_mut().position(|c| c.name == name);
    match action {
        Action::AddColumn(c) => {
            if table.column(&c.name).is_none() {
                table.columns.push(c);
            }
        }
        Action::ReplaceColumn(old, c) => {
            let new = c.name.clone();
            match column(table, &old) {
                Some(k) => table.columns[k] = c,
                None => table.columns.push(c),
            }
            if new != old {
                rename_in_keys(table, &old, &new);
            }
        }
        Action::DropColumn(name) => {
            // As PostgreSQL does, keys and foreign keys over the column go with it.
            table.columns.retain(|c| c.name != name);
            if table.primary_key.contains(&name) {
                table.primary_key.clear();
            }
            table.uniques.retain(|u| !u.columns.contains(&name));
            table.foreign_keys.retain(|f| !f.columns.contains(&name));
        }
        Action::RenameColumn(old, new) => {
            if let Some(k) = column(table, &old) {
                table.columns[k].name = new.clone();
            }
            rename_in_keys(table, &old, &new);
        }
        Action::Rename(schema, name) => {
            if schema.is_some() {
                table.schema = schema;
            }
            table.name = name;
        }
        Action::NotNull(name, not_null) => {
            if let Some(k) = column(table, &name) {
                table.columns[k].nullable = !not_null;
            }
        }
        Action::Default(name, default) => {
            if let Some(k) = column(table, &name) {
                let c = &mut table.columns[k];
                if default.as_deref().is_some_and(is_nextval) {
                    c.identity = true;
                }
                c.default = default;
            }
        }
        Action::DataType(name, data_type) => {
            if let Some(k) = column(table, &name) {
                table.columns[k].data_type = data_type;
            }
        }
        Action::Identity(name) => {
            if let Some(k) = column(table, &name) {
                table.columns[k].identity = true;
                table.columns[k].nullable = false;
            }
        }
        Action::PrimaryKey(cols) => table.primary_key = cols,
        Action::DropPrimaryKey => table.primary_key.clear(),
        Action::ForeignKey(fk) => table.foreign_keys.push(fk),
        Action::Unique(u) => {
            if !table.uniques.iter().any(|x| x.columns == u.columns && x.predicate == u.predicate) {
                table.uniques.push(u);
            }
        }
        Action::Check(c) => table.checks.push(c),
        Action::DropConstraint(name) => {
            let keep = |n: &Option<String>| n.as_deref() != Some(name.as_str());
            table.uniques.retain(|u| keep(&u.name));
            table.foreign_keys.retain(|f| keep(&f.name));
            table.checks.retain(|c| keep(&c.name));
        }
        Action::Comment(text) => table.comment = text,
    }
}

/// A column renamed: the keys, unique sets and foreign keys over it follow.
fn rename_in_keys(table: &mut Table, old: &str, new: &str) {
    let lists = std::iter::once(&mut table.primary_key)
        .chain(table.uniques.iter_mut().map(|u| &mut u.columns))
        .chain(table.foreign_keys.iter_mut().map(|f| &mut f.columns));
    for list in lists {
        for c in list.iter_mut().filter(|c| c.as_str() == old) {
            *c = new.to_string();
        }
    }
}

/// Actions waiting for a table declared later in the file.
struct Deferred {
    schema: Option<String>,
    name: String,
    actions: Vec<Action>,
    /// What to list in `skipped` if the table never appears.
    skip_name: String,
    skip_reason: String,
}

struct Reader {
    dialect: Dialect,
    sql: Box<dyn SqlDialect>,
    schema: DbSchema,
    deferred: Vec<Deferred>,
    /// `ALTER TABLE parent ATTACH PARTITION child`: (child schema, child, parent schema, parent).
    partitions: Vec<(Option<String>, String, Option<String>, String)>,
}

impl Reader {
    fn new(dialect: Dialect, source: &str) -> Reader {
        let sql: Box<dyn SqlDialect> = match dialect {
            Dialect::Postgres => Box::new(PostgreSqlDialect {}),
            Dialect::Mysql => Box::new(MySqlDialect {}),
            Dialect::Sqlite => Box::new(SQLiteDialect {}),
        };
        Reader {
            dialect,
            sql,
            schema: DbSchema { source: source.to_string(), ..DbSchema::default() },
            deferred: Vec::new(),
            partitions: Vec::new(),
        }
    }

    // ----- names -----

    /// An identifier as the database stores it: PostgreSQL folds unquoted names to lower case.
    fn fold(&self, value: &str, quoted: bool) -> String {
        if self.dialect == Dialect::Postgres && !quoted {
            value.to_lowercase()
        } else {
            value.to_string()
        }
    }

    fn ident(&self, id: &Ident) -> String {
        self.fold(&id.value, id.quote_style.is_some())
    }

    /// `[db.]schema.name` → (schema, name).
    fn object_name(&self, name: &ObjectName) -> (Option<String>, String) {
        let parts: Vec<String> = name.0.iter().filter_map(|p| p.as_ident()).map(|id| self.ident(id)).collect();
        match parts.as_slice() {
            [] => (None, name.to_string()),
            [.., schema, last] => (Some(schema.clone()), last.clone()),
            [last] => (None, last.clone()),
        }
    }

    /// A possibly qualified name in hand-tokenized text, from `*k`; advances `*k` past it.
    fn tok_name(&self, toks: &[Tok], k: &mut usize) -> Option<(Option<String>, String)> {
        let mut parts = Vec::new();
        loop {
            let part = match &toks.get(*k)?.tk {
                Tk::Word(w) => self.fold(w, false),
                Tk::Quoted(q) => q.clone(),
                // MySQL may write a name as a string in a few places.
                Tk::Str(s) if self.dialect == Dialect::Mysql => s.clone(),
                _ => break,
            };
            parts.push(part);
            *k += 1;
            if toks.get(*k).is_some_and(|t| t.is_sym('.')) && toks.get(*k + 1).is_some() {
                *k += 1;
            } else {
                break;
            }
        }
        let name = parts.pop()?;
        Some((parts.pop(), name))
    }

    fn skip_if_exists(toks: &[Tok], k: &mut usize) {
        if toks.get(*k).is_some_and(|t| t.is_word("IF")) {
            *k += 1;
            if toks.get(*k).is_some_and(|t| t.is_word("NOT")) {
                *k += 1;
            }
            if toks.get(*k).is_some_and(|t| t.is_word("EXISTS")) {
                *k += 1;
            }
        }
    }

    fn skip(&mut self, name: String, reason: impl Into<String>) {
        let entry = (name, reason.into());
        if !self.schema.skipped.contains(&entry) {
            self.schema.skipped.push(entry);
        }
    }

    fn find_table(&self, schema: Option<&str>, name: &str) -> Option<usize> {
        let tables = &self.schema.tables;
        if let Some(k) = tables.iter().position(|t| t.name == name && t.schema.as_deref() == schema) {
            return Some(k);
        }
        // `public.x` written for a table declared as plain `x`, or the other way round; an
        // unqualified name is looked up in `public` first, as PostgreSQL's default search path.
        let same_name: Vec<usize> = (0..tables.len()).filter(|&k| tables[k].name == name).collect();
        match (schema, same_name.as_slice()) {
            (None, [k]) => Some(*k),
            (None, _) => same_name.into_iter().find(|&k| tables[k].schema.as_deref() == Some("public")),
            (Some("public"), _) => same_name.into_iter().find(|&k| tables[k].schema.is_none()),
            _ => None,
        }
    }

    /// Applies actions to a table now, or once all statements are read.
    fn target(&mut self, schema: Option<String>, name: String, actions: Vec<Action>, what: &str) {
        if actions.is_empty() {
            return;
        }
        match self.find_table(schema.as_deref(), &name) {
            Some(k) => {
                for a in actions {
                    apply(&mut self.schema.tables[k], a);
                }
            }
            None => {
                let skip_name = qualified(&schema, &name);
                let skip_reason = format!("{what} on a table not declared in the file");
                self.deferred.push(Deferred { schema, name, actions, skip_name, skip_reason });
            }
        }
    }

    fn finish(mut self) -> DbSchema {
        for d in std::mem::take(&mut self.deferred) {
            match self.find_table(d.schema.as_deref(), &d.name) {
                Some(k) => {
                    for a in d.actions {
                        apply(&mut self.schema.tables[k], a);
                    }
                }
                None => self.skip(d.skip_name, d.skip_reason),
            }
        }
        for (schema, child, parent_schema, parent) in std::mem::take(&mut self.partitions) {
            if let Some(k) = self.find_table(schema.as_deref(), &child) {
                self.schema.tables.remove(k);
            }
            if let Some(k) = self.find_table(parent_schema.as_deref(), &parent) {
                self.schema.tables[k].partitioned = true;
            }
            self.skip(qualified(&schema, &child), format!("partition of {}", qualified(&parent_schema, &parent)));
        }
        for t in &mut self.schema.tables {
            finish_table(t);
        }
        self.schema
    }

    // ----- statements -----

    fn statement(&mut self, st: &RawStatement) -> Result<(), DdlError> {
        let toks = tokenize(&st.text, self.dialect);
        let Some(first) = toks.first() else { return Ok(()) };
        if first.is_word("CREATE") {
            // The object keyword, after modifiers (OR REPLACE, UNIQUE, TEMP, MATERIALIZED,
            // MySQL's ALGORITHM=… DEFINER=… SQL SECURITY …).
            let mut mods = Vec::new();
            for (k, t) in toks.iter().enumerate().skip(1).take(16) {
                let Tk::Word(w) = &t.tk else {
                    if t.is_sym('(') {
                        break;
                    }
                    continue;
                };
                let w = w.to_ascii_uppercase();
                match w.as_str() {
                    "TABLE" => return self.create_table(st, &toks, k, &mods),
                    "VIEW" => {
                        let what = if mods.iter().any(|m| m == "MATERIALIZED") { "materialized view" } else { "view" };
                        self.create_named(&toks, k, what);
                        return Ok(());
                    }
                    "INDEX" => {
                        if mods.iter().any(|m| m == "UNIQUE") {
                            self.create_unique_index(&st.text, &toks, k);
                        }
                        return Ok(());
                    }
                    "TYPE" => {
                        self.create_type(&toks, k);
                        return Ok(());
                    }
                    "DOMAIN" => {
                        self.create_domain(&st.text, &toks, k);
                        return Ok(());
                    }
                    "SEQUENCE" | "FUNCTION" | "PROCEDURE" | "TRIGGER" => {
                        let what = w.to_ascii_lowercase();
                        self.create_named(&toks, k, &what);
                        return Ok(());
                    }
                    "SCHEMA" | "DATABASE" | "EXTENSION" | "ROLE" | "USER" | "EVENT" | "RULE" | "POLICY"
                    | "AGGREGATE" | "OPERATOR" | "CAST" | "COLLATION" | "SERVER" | "PUBLICATION" | "SUBSCRIPTION"
                    | "STATISTICS" | "LANGUAGE" => return Ok(()),
                    _ => mods.push(w),
                }
            }
        } else if first.is_word("ALTER") && toks.get(1).is_some_and(|t| t.is_word("TABLE")) {
            self.alter_table(st, &toks);
        } else if first.is_word("COMMENT") {
            self.comment_on(&toks);
        } else if first.is_word("DROP") && toks.get(1).is_some_and(|t| t.is_word("TABLE")) {
            self.drop_table(&toks);
        }
        Ok(())
    }

    /// Views, sequences, functions…: listed in `skipped`.
    fn create_named(&mut self, toks: &[Tok], kw: usize, what: &str) {
        let mut k = kw + 1;
        Self::skip_if_exists(toks, &mut k);
        if let Some((schema, name)) = self.tok_name(toks, &mut k) {
            self.skip(qualified(&schema, &name), what);
        }
    }

    fn parse_sql(&self, text: &str) -> Result<Option<Statement>, ParserError> {
        Ok(Parser::parse_sql(self.sql.as_ref(), text)?.into_iter().next())
    }

    // ----- CREATE TABLE -----

    fn create_table(&mut self, st: &RawStatement, toks: &[Tok], kw: usize, mods: &[String]) -> Result<(), DdlError> {
        let mut k = kw + 1;
        Self::skip_if_exists(toks, &mut k);
        let declared = self.tok_name(toks, &mut k);
        if let Some((schema, name)) = &declared {
            let display = qualified(schema, name);
            let has = |m: &str| mods.iter().any(|x| x == m);
            let reason = if has("TEMP") || has("TEMPORARY") {
                Some("temporary table".to_string())
            } else if has("FOREIGN") {
                Some("foreign table".to_string())
            } else if has("VIRTUAL") {
                Some("virtual table".to_string())
            } else if self.dialect == Dialect::Sqlite && name.to_ascii_lowercase().starts_with("sqlite_") {
                Some("SQLite internal table".to_string())
            } else {
                None
            };
            if let Some(reason) = reason {
                self.skip(display, reason);
                return Ok(());
            }
            let next = toks.get(k);
            if next.is_some_and(|t| t.is_word("PARTITION")) && toks.get(k + 1).is_some_and(|t| t.is_word("OF")) {
                let mut p = k + 2;
                let parent = self.tok_name(toks, &mut p).map(|(s, n)| qualified(&s, &n));
                self.skip(display, format!("partition of {}", parent.unwrap_or_default()));
                return Ok(());
            }
            if next.is_some_and(|t| t.is_word("AS") || t.is_word("SELECT")) {
                self.skip(display, "table created from a query");
                return Ok(());
            }
            if next.is_some_and(|t| t.is_word("LIKE")) {
                self.skip(display, "copy of another table (LIKE)");
                return Ok(());
            }
            if next.is_some_and(|t| t.is_word("OF")) {
                self.skip(display, "typed table (OF type)");
                return Ok(());
            }
        }

        // The clauses after the column list matter only for a few flags: read those here and
        // blank the rest, which sqlparser does not always know (TABLESPACE after WITH (…),
        // MySQL PARTITION BY …, …).
        let mut text = st.text.clone();
        let mut partitioned = false;
        let mut comment = None;
        let mut without_rowid = false;
        // The column list's parentheses (token indexes).
        let mut list = None;
        if declared.is_some() && toks.get(k).is_some_and(|t| t.is_sym('(')) {
            let close = matching_paren(toks, k);
            list = Some((k, close));
            if toks.get(k + 1).is_some_and(|t| t.is_word("LIKE")) {
                let display = declared.as_ref().map(|(s, n)| qualified(s, n)).unwrap_or_default();
                self.skip(display, "copy of another table (LIKE)");
                return Ok(());
            }
            if let Some(end) = toks.get(close) {
                let tail = &toks[close + 1..];
                if tail.first().is_some_and(|t| t.is_word("AS")) {
                    let display = declared.as_ref().map(|(s, n)| qualified(s, n)).unwrap_or_default();
                    self.skip(display, "table created from a query");
                    return Ok(());
                }
                let mut depth = 0usize;
                for (j, t) in tail.iter().enumerate() {
                    match &t.tk {
                        Tk::Sym('(') => depth += 1,
                        Tk::Sym(')') => depth = depth.saturating_sub(1),
                        _ if depth > 0 => {}
                        Tk::Word(w)
                            if w.eq_ignore_ascii_case("PARTITION")
                                && tail.get(j + 1).is_some_and(|t| t.is_word("BY")) =>
                        {
                            partitioned = true;
                            break;
                        }
                        Tk::Word(w) if w.eq_ignore_ascii_case("COMMENT") && comment.is_none() => {
                            let mut v = j + 1;
                            if tail.get(v).is_some_and(|t| t.is_sym('=')) {
                                v += 1;
                            }
                            if let Some(Tk::Str(s)) = tail.get(v).map(|t| &t.tk) {
                                comment = Some(s.clone());
                            }
                        }
                        Tk::Word(w) if w.eq_ignore_ascii_case("WITHOUT") => {
                            without_rowid |= tail.get(j + 1).is_some_and(|t| t.is_word("ROWID"));
                        }
                        _ => {}
                    }
                }
                text = blank_from(&st.text, end.end);
            }
        }

        let mut types = Vec::new();
        let parsed = match self.parse_sql(&text) {
            Ok(s) => Ok(s),
            Err(first_err) => match list.and_then(|(o, c)| self.repair_columns(&text, toks, o, c)) {
                Some((repaired, joined)) => match self.parse_sql(&repaired) {
                    Ok(s) => {
                        text = repaired;
                        types = joined;
                        Ok(s)
                    }
                    Err(_) => Err(first_err),
                },
                None => Err(first_err),
            },
        };
        let statement = match parsed {
            Ok(s) => s,
            Err(err) => {
                let what = match &declared {
                    Some((s, n)) => format!("CREATE TABLE {}", qualified(s, n)),
                    None => "CREATE TABLE".to_string(),
                };
                return Err(DdlError {
                    line: st.line,
                    column: st.column,
                    message: format!("could not parse {what}: {}", error_message(&err, st)),
                });
            }
        };
        let Some(Statement::CreateTable(ct)) = statement else {
            return Ok(());
        };
        let (schema, name) = self.object_name(&ct.name);
        if ct.partition_of.is_some() {
            let parent = ct.partition_of.as_ref().map(|p| self.object_name(p)).unwrap_or_default();
            self.skip(qualified(&schema, &name), format!("partition of {}", qualified(&parent.0, &parent.1)));
            return Ok(());
        }
        if ct.query.is_some() && ct.columns.is_empty() {
            self.skip(qualified(&schema, &name), "table created from a query");
            return Ok(());
        }
        if ct.like.is_some() || ct.clone.is_some() {
            self.skip(qualified(&schema, &name), "copy of another table (LIKE)");
            return Ok(());
        }
        let mut table = self.table(&Source::new(&text), &ct, schema, name);
        // Types joined by `repair_columns`: report them as written.
        for c in &mut table.columns {
            let found = types.iter().find(|(j, _)| {
                c.data_type.strip_prefix(j.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with(['(', '[']))
            });
            if let Some((joined, written)) = found {
                c.data_type = format!("{written}{}", &c.data_type[joined.len()..]);
            }
        }
        table.partitioned |= partitioned;
        if comment.is_some() {
            table.comment = comment;
        }
        // SQLite: an `INTEGER PRIMARY KEY` column is the rowid, drawn by the database.
        if self.dialect == Dialect::Sqlite && !without_rowid {
            if let [key] = table.primary_key.as_slice() {
                if let Some(c) = table.columns.iter_mut().find(|c| &c.name == key) {
                    if c.data_type == "integer" {
                        c.identity = true;
                    }
                }
            }
        }
        finish_table(&mut table);
        match self.find_table(table.schema.as_deref(), &table.name) {
            Some(k) if table.schema == self.schema.tables[k].schema => {
                if !ct.if_not_exists {
                    self.schema.tables[k] = table;
                }
            }
            _ => self.schema.tables.push(table),
        }
        Ok(())
    }

    /// Rewrites what sqlparser rejects in a column list, for a second try:
    /// - SQLite: a type of several words that sqlparser does not know (SQLite takes any
    ///   sequence of names: `UNSIGNED BIG INT`, `VARYING CHARACTER(255)`) becomes one
    ///   identifier joined by `_`; the returned map gives the type to report for it. Not for
    ///   the other dialects, where it would hide real errors;
    /// - PostgreSQL `GENERATED ALWAYS AS (expr)` without `STORED`, or with `VIRTUAL`
    ///   (PostgreSQL 18), gets `STORED` (the column is generated either way);
    /// - SQLite conflict clauses (`UNIQUE (a, b) ON CONFLICT REPLACE`) are dropped.
    ///
    /// `open..close` are the tokens of the column list's parentheses.
    fn repair_columns(
        &self,
        text: &str,
        toks: &[Tok],
        open: usize,
        close: usize,
    ) -> Option<(String, Vec<(String, String)>)> {
        const NOT_TYPE: [&str; 20] = [
            "CONSTRAINT",
            "PRIMARY",
            "NOT",
            "NULL",
            "UNIQUE",
            "CHECK",
            "DEFAULT",
            "COLLATE",
            "REFERENCES",
            "GENERATED",
            "AS",
            "AUTO_INCREMENT",
            "AUTOINCREMENT",
            "COMMENT",
            "ON",
            "KEY",
            "IDENTITY",
            "CHARSET",
            "STORED",
            "VIRTUAL",
        ];
        const NOT_COLUMN: [&str; 11] = [
            "CONSTRAINT",
            "PRIMARY",
            "UNIQUE",
            "CHECK",
            "FOREIGN",
            "KEY",
            "INDEX",
            "FULLTEXT",
            "SPATIAL",
            "EXCLUDE",
            "LIKE",
        ];
        let list = toks.get(open + 1..close)?;
        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        let mut types = Vec::new();
        for element in split_commas(list) {
            let is_column = match element.first().map(|t| &t.tk) {
                Some(Tk::Word(w)) => !NOT_COLUMN.iter().any(|x| w.eq_ignore_ascii_case(x)),
                Some(Tk::Quoted(_)) => true,
                _ => false,
            };
            if !is_column {
                continue;
            }
            let mut end = 1;
            while let Some(t) = element.get(end) {
                let stop = match &t.tk {
                    Tk::Word(w) => {
                        NOT_TYPE.iter().any(|x| w.eq_ignore_ascii_case(x))
                            || (w.eq_ignore_ascii_case("CHARACTER")
                                && element.get(end + 1).is_some_and(|n| n.is_word("SET")))
                    }
                    _ => true,
                };
                if stop {
                    break;
                }
                end += 1;
            }
            if end > 2 && self.dialect == Dialect::Sqlite {
                let words = &element[1..end];
                let joined: Vec<&str> = words.iter().filter_map(|t| text.get(t.start..t.end)).collect();
                let joined = joined.join("_");
                let (from, to) = (words[0].start, words[words.len() - 1].end);
                types.push((joined.to_lowercase(), normalise(text.get(from..to)?)));
                edits.push((from, to, joined));
            }
        }
        if self.dialect == Dialect::Postgres {
            for k in 0..list.len() {
                if list[k].is_word("GENERATED")
                    && list.get(k + 1).is_some_and(|t| t.is_word("ALWAYS"))
                    && list.get(k + 2).is_some_and(|t| t.is_word("AS"))
                    && list.get(k + 3).is_some_and(|t| t.is_sym('('))
                {
                    let close = matching_paren(list, k + 3);
                    let Some(end) = list.get(close) else { continue };
                    match list.get(close + 1) {
                        Some(t) if t.is_word("VIRTUAL") => edits.push((t.start, t.end, "STORED".into())),
                        Some(t) if t.is_word("STORED") => {}
                        _ => edits.push((end.end, end.end, " STORED".into())),
                    }
                }
            }
        }
        if self.dialect == Dialect::Sqlite {
            for w in list.windows(3) {
                if w[0].is_word("ON") && w[1].is_word("CONFLICT") && matches!(w[2].tk, Tk::Word(_)) {
                    edits.push((w[0].start, w[2].end, String::new()));
                }
            }
        }
        if edits.is_empty() {
            return None;
        }
        edits.sort_by_key(|e| e.0);
        let mut out = String::new();
        let mut at = 0;
        for (from, to, with) in edits {
            out.push_str(text.get(at..from)?);
            out.push_str(&with);
            at = to;
        }
        out.push_str(text.get(at..)?);
        Some((out, types))
    }

    fn table(&self, text: &Source, ct: &CreateTable, schema: Option<String>, name: String) -> Table {
        let mut table = Table { schema, name, ..Table::default() };
        let mut actions = Vec::new();
        for def in &ct.columns {
            let (column, extra) = self.column_def(text, def);
            table.columns.push(column);
            actions.extend(extra);
        }
        for c in &ct.constraints {
            actions.extend(self.constraint(c));
        }
        for a in actions {
            apply(&mut table, a);
        }
        table.partitioned = ct.partition_by.is_some();
        for opt in table_options(ct) {
            if let SqlOption::Comment(c) = opt {
                table.comment = Some(comment_text(c));
            }
        }
        if let Some(c) = &ct.comment {
            table.comment = Some(comment_text(c));
        }
        table
    }

    fn column_def(&self, text: &Source, def: &ColumnDef) -> (Column, Vec<Action>) {
        let options: Vec<(Option<&Ident>, &ColumnOption)> =
            def.options.iter().map(|ColumnOptionDef { name, option }| (name.as_ref(), option)).collect();
        self.column(text, &def.name, &def.data_type, &options)
    }

    /// A column and the constraints written on it (primary key, unique, references, check).
    fn column(
        &self,
        text: &Source,
        name: &Ident,
        data_type: &DataType,
        options: &[(Option<&Ident>, &ColumnOption)],
    ) -> (Column, Vec<Action>) {
        let name = self.ident(name);
        let (data_type, serial) = self.data_type(data_type);
        let mut c = Column { name: name.clone(), data_type, nullable: !serial, identity: serial, ..Column::default() };
        // MySQL `SERIAL` is BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE.
        let mut actions = Vec::new();
        if serial && self.dialect == Dialect::Mysql {
            actions.push(Action::Unique(Unique { name: None, columns: vec![name.clone()], predicate: None }));
        }
        let constraint_name = |own: &Option<Ident>, def: Option<&Ident>| own.as_ref().or(def).map(|id| self.ident(id));
        for &(def_name, option) in options {
            match option {
                ColumnOption::Null => c.nullable = true,
                ColumnOption::NotNull => c.nullable = false,
                ColumnOption::Default(e) => {
                    c.default = self.default_text(text, e);
                    if c.default.as_deref().is_some_and(is_nextval) {
                        c.identity = true;
                    }
                }
                ColumnOption::PrimaryKey(_) => {
                    c.nullable = false;
                    actions.push(Action::PrimaryKey(vec![name.clone()]));
                }
                ColumnOption::Unique(u) => actions.push(Action::Unique(Unique {
                    name: constraint_name(&u.name, def_name),
                    columns: vec![name.clone()],
                    predicate: None,
                })),
                ColumnOption::ForeignKey(fk) => {
                    let mut f = self.foreign_key(fk);
                    f.columns = vec![name.clone()];
                    f.name = f.name.or(def_name.map(|id| self.ident(id)));
                    actions.push(Action::ForeignKey(f));
                }
                ColumnOption::Check(ck) => actions.push(Action::Check(Check {
                    name: constraint_name(&ck.name, def_name),
                    expr: strip_parens(&ck.expr).to_string(),
                })),
                ColumnOption::Generated { generation_expr, .. } => {
                    if generation_expr.is_some() {
                        c.generated = true;
                    } else {
                        // GENERATED { ALWAYS | BY DEFAULT } AS IDENTITY
                        c.identity = true;
                        if self.dialect == Dialect::Postgres {
                            c.nullable = false;
                        }
                    }
                }
                ColumnOption::Materialized(_) | ColumnOption::Alias(_) => c.generated = true,
                ColumnOption::Identity(_) => c.identity = true,
                // MySQL AUTO_INCREMENT, SQLite AUTOINCREMENT.
                ColumnOption::DialectSpecific(tokens)
                    if tokens.iter().any(|t| {
                        let s = t.to_string().to_ascii_uppercase();
                        s == "AUTO_INCREMENT" || s == "AUTOINCREMENT"
                    }) =>
                {
                    c.identity = true;
                }
                _ => {}
            }
        }
        (c, actions)
    }

    /// The default expression as written in the file, or as sqlparser renders it when its
    /// source text cannot be found. sqlparser's spans are not reliable for every expression, so
    /// the text from the expression's start is parsed again as a column option and accepted
    /// only if it gives the same expression; the next token marks where it ends.
    ///
    /// `DEFAULT NULL` is no default.
    fn default_text(&self, text: &Source, e: &Expr) -> Option<String> {
        if matches!(strip_parens(e), Expr::Value(v) if v.to_string().eq_ignore_ascii_case("NULL")) {
            return None;
        }
        Some(self.source_text(text, e).unwrap_or_else(|| e.to_string()))
    }

    fn source_text(&self, src: &Source, e: &Expr) -> Option<String> {
        let text = src.text;
        let start = e.span().start;
        let from = src.offset(start.line, start.column)?;
        // A short window is enough for nearly every default, and a table of many columns then
        // does not tokenize its whole remaining text once per column; a default cut short no
        // longer parses to the same expression, and the next window is tried.
        for window in [256, 4096] {
            let mut to = text.len().min(from + window);
            while !text.is_char_boundary(to) {
                to -= 1;
            }
            if let Some(written) = self.reparse_default(text.get(from..to)?, e) {
                return Some(written);
            }
            if to == text.len() {
                break;
            }
        }
        None
    }

    /// The leading text of `rest` that parses as the column default `e`.
    fn reparse_default(&self, rest: &str, e: &Expr) -> Option<String> {
        const PREFIX: &str = "DEFAULT ";
        let probe = format!("{PREFIX}{rest}");
        let mut parser = Parser::new(self.sql.as_ref()).try_with_sql(&probe).ok()?;
        let Some(ColumnOption::Default(again)) = parser.parse_optional_column_option().ok()? else {
            return None;
        };
        if again != *e {
            return None;
        }
        let next = parser.peek_token();
        let end = if next.token == Token::EOF {
            probe.len()
        } else {
            offset_of(&probe, next.span.start.line, next.span.start.column)?
        };
        let written = probe.get(PREFIX.len()..end)?.trim();
        (!written.is_empty()).then(|| written.to_string())
    }

    /// The type as the model wants it, and whether it is a serial pseudo-type.
    fn data_type(&self, dt: &DataType) -> (String, bool) {
        match dt {
            DataType::Custom(name, modifiers) => {
                let base = name
                    .0
                    .last()
                    .and_then(|p| p.as_ident())
                    .map(|id| match self.dialect {
                        Dialect::Postgres => self.ident(id),
                        // MySQL/SQLite have no user types: a built-in sqlparser does not know.
                        _ => id.value.to_lowercase(),
                    })
                    .unwrap_or_else(|| name.to_string().to_lowercase());
                let plain = modifiers.is_empty()
                    && name.0.last().and_then(|p| p.as_ident()).is_some_and(|id| id.quote_style.is_none());
                if plain {
                    let serial = match (self.dialect, base.to_ascii_lowercase().as_str()) {
                        (Dialect::Postgres, "serial" | "serial4") => Some("integer"),
                        (Dialect::Postgres, "bigserial" | "serial8") => Some("bigint"),
                        (Dialect::Postgres, "smallserial" | "serial2") => Some("smallint"),
                        (Dialect::Mysql, "serial") => Some("bigint unsigned"),
                        _ => None,
                    };
                    if let Some(t) = serial {
                        return (t.to_string(), true);
                    }
                }
                if modifiers.is_empty() {
                    (base, false)
                } else {
                    let mods: Vec<String> = modifiers.iter().map(|m| m.to_string()).collect();
                    (format!("{base}({})", mods.join(",")), false)
                }
            }
            DataType::Enum(members, _) => {
                let labels: Vec<String> = members
                    .iter()
                    .map(|m| match m {
                        EnumMember::Name(s) => quote_label(s),
                        EnumMember::NamedValue(s, v) => format!("{}={v}", quote_label(s)),
                    })
                    .collect();
                (format!("enum({})", labels.join(",")), false)
            }
            DataType::Set(labels) => {
                let labels: Vec<String> = labels.iter().map(|s| quote_label(s)).collect();
                (format!("set({})", labels.join(",")), false)
            }
            DataType::Array(ArrayElemTypeDef::SquareBracket(inner, size)) => {
                let (inner, _) = self.data_type(inner);
                match size {
                    Some(n) => (format!("{inner}[{n}]"), false),
                    None => (format!("{inner}[]"), false),
                }
            }
            other => (normalise(&other.to_string()), false),
        }
    }

    fn foreign_key(&self, fk: &ForeignKeyConstraint) -> ForeignKey {
        let (parent_schema, parent) = self.object_name(&fk.foreign_table);
        ForeignKey {
            name: fk.name.as_ref().map(|id| self.ident(id)),
            columns: fk.columns.iter().map(|id| self.ident(id)).collect(),
            parent_schema,
            parent,
            parent_columns: fk.referred_columns.iter().map(|id| self.ident(id)).collect(),
            deferrable: deferrable(&fk.characteristics),
        }
    }

    /// A plain column of a key, or `None` for an expression. MySQL's prefix parts
    /// (`name(10)`) count as the column.
    fn key_column(&self, ic: &IndexColumn) -> Option<String> {
        match &ic.column.expr {
            Expr::Identifier(id) => Some(self.ident(id)),
            Expr::CompoundIdentifier(ids) => ids.last().map(|id| self.ident(id)),
            Expr::Function(f) if self.dialect == Dialect::Mysql => {
                let rendered = ic.column.expr.to_string();
                let args = rendered.rsplit_once('(')?.1.strip_suffix(')')?;
                if !args.is_empty() && args.chars().all(|ch| ch.is_ascii_digit()) {
                    let (_, n) = self.object_name(&f.name);
                    Some(n)
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    fn key_columns(&self, cols: &[IndexColumn]) -> Option<Vec<String>> {
        cols.iter().map(|ic| self.key_column(ic)).collect()
    }

    fn constraint(&self, c: &TableConstraint) -> Vec<Action> {
        match c {
            TableConstraint::PrimaryKey(pk) => match self.key_columns(&pk.columns) {
                Some(cols) => vec![Action::PrimaryKey(cols)],
                None => vec![],
            },
            TableConstraint::Unique(u) => match self.key_columns(&u.columns) {
                Some(columns) => vec![Action::Unique(Unique {
                    name: u.name.as_ref().or(u.index_name.as_ref()).map(|id| self.ident(id)),
                    columns,
                    predicate: None,
                })],
                None => vec![],
            },
            TableConstraint::ForeignKey(fk) => vec![Action::ForeignKey(self.foreign_key(fk))],
            TableConstraint::Check(ck) => vec![Action::Check(Check {
                name: ck.name.as_ref().map(|id| self.ident(id)),
                expr: strip_parens(&ck.expr).to_string(),
            })],
            // Plain KEY/INDEX, FULLTEXT, EXCLUDE, … USING INDEX: nothing for the model.
            _ => vec![],
        }
    }

    // ----- ALTER TABLE -----

    fn alter_table(&mut self, st: &RawStatement, toks: &[Tok]) {
        let mut k = 2;
        Self::skip_if_exists(toks, &mut k);
        if toks.get(k).is_some_and(|t| t.is_word("ONLY")) {
            k += 1;
        }
        Self::skip_if_exists(toks, &mut k);
        let Some((schema, name)) = self.tok_name(toks, &mut k) else { return };
        if toks.get(k).is_some_and(|t| t.is_sym('*')) {
            k += 1;
        }
        let display = qualified(&schema, &name);
        let rest = &toks[k.min(toks.len())..];

        // pg_dump's partitions: CREATE TABLE child (…); ALTER TABLE parent ATTACH PARTITION child …
        if rest.first().is_some_and(|t| t.is_word("ATTACH")) && rest.get(1).is_some_and(|t| t.is_word("PARTITION")) {
            let mut p = 2;
            if let Some((cs, cn)) = self.tok_name(rest, &mut p) {
                self.partitions.push((cs, cn, schema, name));
            }
            return;
        }
        // pg_dump's identity columns: ALTER TABLE t ALTER [COLUMN] c ADD GENERATED … AS IDENTITY
        // (SEQUENCE NAME …), whose options sqlparser does not read.
        if rest.first().is_some_and(|t| t.is_word("ALTER")) {
            let mut p = 1;
            if rest.get(p).is_some_and(|t| t.is_word("COLUMN")) {
                p += 1;
            }
            if let Some((_, column)) = self.tok_name(rest, &mut p) {
                if rest.get(p).is_some_and(|t| t.is_word("ADD"))
                    && rest.get(p + 1).is_some_and(|t| t.is_word("GENERATED"))
                {
                    self.target(schema, name, vec![Action::Identity(column)], "ALTER TABLE");
                    return;
                }
            }
        }

        let alter = match self.parse_sql(&st.text) {
            Ok(Some(Statement::AlterTable(a))) => a,
            Ok(_) => return,
            Err(err) => {
                // Only an ALTER that adds something matters to the model.
                let mut depth = 0usize;
                let adds = rest.iter().any(|t| {
                    match t.tk {
                        Tk::Sym('(') => depth += 1,
                        Tk::Sym(')') => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                    depth == 0 && t.is_word("ADD")
                });
                if adds {
                    self.skip(
                        format!("ALTER TABLE {display}"),
                        format!("could not parse: {}", error_message(&err, st)),
                    );
                }
                return;
            }
        };
        let (schema, name) = self.object_name(&alter.name);
        let src = Source::new(&st.text);
        let mut actions = Vec::new();
        for op in &alter.operations {
            match op {
                AlterTableOperation::AddConstraint { constraint, .. } => {
                    actions.extend(self.constraint(constraint));
                }
                AlterTableOperation::AddColumn { column_def, .. } => {
                    let (c, extra) = self.column_def(&src, column_def);
                    actions.push(Action::AddColumn(c));
                    actions.extend(extra);
                }
                AlterTableOperation::DropColumn { column_names, .. } => {
                    actions.extend(column_names.iter().map(|id| Action::DropColumn(self.ident(id))));
                }
                AlterTableOperation::RenameColumn { old_column_name, new_column_name } => {
                    actions.push(Action::RenameColumn(self.ident(old_column_name), self.ident(new_column_name)));
                }
                AlterTableOperation::RenameTable { table_name } => {
                    let (RenameTableNameKind::As(n) | RenameTableNameKind::To(n)) = table_name;
                    let (s, n) = self.object_name(n);
                    actions.push(Action::Rename(s, n));
                }
                AlterTableOperation::DropConstraint { name, .. } | AlterTableOperation::DropForeignKey { name, .. } => {
                    actions.push(Action::DropConstraint(self.ident(name)));
                }
                AlterTableOperation::DropPrimaryKey { .. } => actions.push(Action::DropPrimaryKey),
                AlterTableOperation::AlterColumn { column_name, op } => {
                    let col = self.ident(column_name);
                    match op {
                        AlterColumnOperation::SetNotNull => actions.push(Action::NotNull(col, true)),
                        AlterColumnOperation::DropNotNull => actions.push(Action::NotNull(col, false)),
                        AlterColumnOperation::SetDefault { value } => {
                            actions.push(Action::Default(col, self.default_text(&src, value)));
                        }
                        AlterColumnOperation::DropDefault => actions.push(Action::Default(col, None)),
                        AlterColumnOperation::SetDataType { data_type, .. } => {
                            actions.push(Action::DataType(col, self.data_type(data_type).0));
                        }
                        AlterColumnOperation::AddGenerated { .. } => actions.push(Action::Identity(col)),
                        _ => {}
                    }
                }
                AlterTableOperation::ModifyColumn { col_name, data_type, options, .. } => {
                    let opts: Vec<(Option<&Ident>, &ColumnOption)> = options.iter().map(|o| (None, o)).collect();
                    let (c, extra) = self.column(&src, col_name, data_type, &opts);
                    actions.push(Action::ReplaceColumn(self.ident(col_name), c));
                    actions.extend(extra);
                }
                AlterTableOperation::ChangeColumn { old_name, new_name, data_type, options, .. } => {
                    let opts: Vec<(Option<&Ident>, &ColumnOption)> = options.iter().map(|o| (None, o)).collect();
                    let (c, extra) = self.column(&src, new_name, data_type, &opts);
                    actions.push(Action::ReplaceColumn(self.ident(old_name), c));
                    actions.extend(extra);
                }
                _ => {}
            }
        }
        self.target(schema, name, actions, "ALTER TABLE");
    }

    // ----- CREATE UNIQUE INDEX -----

    /// `CREATE UNIQUE INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] t [USING m]
    /// (cols) [INCLUDE (…)] [NULLS [NOT] DISTINCT] [WITH (…)] [TABLESPACE x] [WHERE pred]`.
    fn create_unique_index(&mut self, text: &str, toks: &[Tok], kw: usize) {
        let mut k = kw + 1;
        if toks.get(k).is_some_and(|t| t.is_word("CONCURRENTLY")) {
            k += 1;
        }
        Self::skip_if_exists(toks, &mut k);
        let index_name = if toks.get(k).is_some_and(|t| t.is_word("ON")) {
            None
        } else {
            self.tok_name(toks, &mut k).map(|(_, n)| n)
        };
        if toks.get(k).is_some_and(|t| t.is_word("USING")) {
            k += 2; // MySQL: name USING BTREE ON t
        }
        if !toks.get(k).is_some_and(|t| t.is_word("ON")) {
            return;
        }
        k += 1;
        if toks.get(k).is_some_and(|t| t.is_word("ONLY")) {
            k += 1;
        }
        let Some((schema, table)) = self.tok_name(toks, &mut k) else { return };
        if toks.get(k).is_some_and(|t| t.is_word("USING")) {
            k += 2;
        }
        if !toks.get(k).is_some_and(|t| t.is_sym('(')) {
            return;
        }
        let close = matching_paren(toks, k);
        let skip_name = index_name.clone().unwrap_or_else(|| qualified(&schema, &table));
        let mut columns = Vec::new();
        for element in split_commas(&toks[k + 1..close.min(toks.len())]) {
            match self.index_element(element) {
                Some(c) => columns.push(c),
                None => {
                    self.skip(skip_name, "unique index on an expression");
                    return;
                }
            }
        }
        let mut predicate = None;
        let mut depth = 0usize;
        for t in toks.iter().skip(close + 1) {
            match t.tk {
                Tk::Sym('(') => depth += 1,
                Tk::Sym(')') => depth = depth.saturating_sub(1),
                _ if depth == 0 && t.is_word("WHERE") => {
                    predicate = Some(self.expression(text.get(t.end..).unwrap_or("")));
                    break;
                }
                _ => {}
            }
        }
        let unique = Unique { name: index_name, columns, predicate };
        self.target(schema, table, vec![Action::Unique(unique)], "unique index");
    }

    /// A plain column of an index (with COLLATE, operator class, ASC/DESC, NULLS …), or `None`.
    fn index_element(&self, element: &[Tok]) -> Option<String> {
        let (first, rest) = element.split_first()?;
        let name = match &first.tk {
            Tk::Word(w) => self.fold(w, false),
            Tk::Quoted(q) => q.clone(),
            _ => return None,
        };
        let rest = match rest {
            // MySQL prefix part: name(10)
            [open, Tok { tk: Tk::Num(_), .. }, close, tail @ ..]
                if self.dialect == Dialect::Mysql && open.is_sym('(') && close.is_sym(')') =>
            {
                tail
            }
            _ => rest,
        };
        // What may follow a column: words and quoted names (COLLATE "C", opclass pg.ops).
        let plain = rest.iter().all(|t| matches!(t.tk, Tk::Word(_) | Tk::Quoted(_) | Tk::Sym('.')))
            && !rest.first().is_some_and(|t| t.is_sym('.'));
        plain.then_some(name)
    }

    /// An expression in hand-read text, rendered by sqlparser (without outer parentheses), or
    /// the text itself if sqlparser cannot read it.
    fn expression(&self, text: &str) -> String {
        let parsed = Parser::new(self.sql.as_ref()).try_with_sql(text).and_then(|mut p| {
            let e = p.parse_expr()?;
            if p.peek_token().token == Token::EOF {
                Ok(Some(e))
            } else {
                Ok(None)
            }
        });
        match parsed {
            Ok(Some(e)) => strip_parens(&e).to_string(),
            _ => {
                let mut s = text.trim();
                while s.starts_with('(') && s.ends_with(')') && balanced(&s[1..s.len() - 1]) {
                    s = s[1..s.len() - 1].trim();
                }
                s.to_string()
            }
        }
    }

    // ----- CREATE TYPE / CREATE DOMAIN -----

    fn create_type(&mut self, toks: &[Tok], kw: usize) {
        let mut k = kw + 1;
        Self::skip_if_exists(toks, &mut k);
        let Some((schema, name)) = self.tok_name(toks, &mut k) else { return };
        let display = qualified(&schema, &name);
        let Some(next) = toks.get(k) else {
            return; // a shell type, defined in full later
        };
        if next.is_sym('(') {
            self.skip(display, "base type");
            return;
        }
        if !next.is_word("AS") {
            return;
        }
        match toks.get(k + 1) {
            Some(t) if t.is_word("ENUM") => {
                let labels = toks
                    .iter()
                    .skip(k + 2)
                    .filter_map(|t| match &t.tk {
                        Tk::Str(s) => Some(s.clone()),
                        _ => None,
                    })
                    .collect();
                self.schema.enums.retain(|e| e.name != name);
                self.schema.enums.push(EnumType { name, labels });
            }
            Some(t) if t.is_sym('(') => self.skip(display, "composite type"),
            Some(t) if t.is_word("RANGE") => self.skip(display, "range type"),
            _ => self.skip(display, "type"),
        }
    }

    /// `CREATE DOMAIN name [AS] base [COLLATE c] [DEFAULT expr] [[CONSTRAINT n] NOT NULL | NULL
    /// | CHECK (expr) [NOT VALID]]…`, read by hand (sqlparser takes `DEFAULT x NOT NULL` as
    /// `DEFAULT (x IS NOT NULL)`).
    fn create_domain(&mut self, text: &str, toks: &[Tok], kw: usize) {
        let mut k = kw + 1;
        Self::skip_if_exists(toks, &mut k);
        let Some((_, name)) = self.tok_name(toks, &mut k) else { return };
        if toks.get(k).is_some_and(|t| t.is_word("AS")) {
            k += 1;
        }
        let is_clause = |t: &Tok, next: Option<&Tok>| {
            ["COLLATE", "DEFAULT", "CONSTRAINT", "NULL", "CHECK"].iter().any(|w| t.is_word(w))
                || (t.is_word("NOT") && next.is_some_and(|n| n.is_word("NULL") || n.is_word("VALID")))
        };
        // Up to the next clause keyword outside parentheses (at least one token).
        let clause_end = |from: usize| {
            let mut depth = 0usize;
            let mut j = from;
            while j < toks.len() {
                let t = &toks[j];
                if t.is_sym('(') {
                    depth += 1;
                } else if t.is_sym(')') {
                    depth = depth.saturating_sub(1);
                } else if depth == 0 && j > from && is_clause(t, toks.get(j + 1)) {
                    break;
                }
                j += 1;
            }
            j
        };
        let slice = |from: usize, to: usize| -> &str {
            match (toks.get(from), to.checked_sub(1).and_then(|t| toks.get(t))) {
                (Some(a), Some(b)) if from < to => text.get(a.start..b.end).unwrap_or(""),
                _ => "",
            }
        };
        let type_end = clause_end(k);
        let base_text = slice(k, type_end);
        let base = Parser::new(self.sql.as_ref())
            .try_with_sql(base_text)
            .and_then(|mut p| p.parse_data_type())
            .map(|dt| self.data_type(&dt).0)
            .unwrap_or_else(|_| normalise(base_text));
        let mut domain = Domain { name, base, not_null: false, checks: Vec::new(), default: None };
        k = type_end;
        while k < toks.len() {
            let t = &toks[k];
            if t.is_word("DEFAULT") {
                let end = clause_end(k + 1);
                let d = slice(k + 1, end).trim();
                domain.default = (!d.is_empty() && !d.eq_ignore_ascii_case("NULL")).then(|| d.to_string());
                k = end;
            } else if t.is_word("NOT") && toks.get(k + 1).is_some_and(|n| n.is_word("NULL")) {
                domain.not_null = true;
                k += 2;
            } else if t.is_word("CHECK") && toks.get(k + 1).is_some_and(|n| n.is_sym('(')) {
                let close = matching_paren(toks, k + 1);
                let inner = slice(k + 2, close);
                if !inner.trim().is_empty() {
                    domain.checks.push(self.expression(inner));
                }
                k = close + 1;
            } else if t.is_word("CONSTRAINT") || t.is_word("COLLATE") {
                k += 1;
                let _ = self.tok_name(toks, &mut k);
            } else {
                k += 1;
            }
        }
        self.schema.domains.retain(|d| d.name != domain.name);
        self.schema.domains.push(domain);
    }

    // ----- COMMENT ON TABLE / DROP TABLE -----

    fn comment_on(&mut self, toks: &[Tok]) {
        if !(toks.get(1).is_some_and(|t| t.is_word("ON")) && toks.get(2).is_some_and(|t| t.is_word("TABLE"))) {
            return;
        }
        let mut k = 3;
        let Some((schema, name)) = self.tok_name(toks, &mut k) else { return };
        if !toks.get(k).is_some_and(|t| t.is_word("IS")) {
            return;
        }
        let comment = match toks.get(k + 1).map(|t| &t.tk) {
            Some(Tk::Str(s)) => Some(s.clone()),
            _ => None,
        };
        self.target(schema, name, vec![Action::Comment(comment)], "COMMENT ON TABLE");
    }

    fn drop_table(&mut self, toks: &[Tok]) {
        let mut k = 2;
        Self::skip_if_exists(toks, &mut k);
        while let Some((schema, name)) = self.tok_name(toks, &mut k) {
            if let Some(t) = self.find_table(schema.as_deref(), &name) {
                self.schema.tables.remove(t);
            }
            if !toks.get(k).is_some_and(|t| t.is_sym(',')) {
                break;
            }
            k += 1;
        }
    }
}

/// Whether parentheses balance in `s` (so that `(a) AND (b)` is not stripped to `a) AND (b`).
fn balanced(s: &str) -> bool {
    let mut depth = 0i64;
    for ch in s.chars() {
        match ch {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

fn quote_label(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn comment_text(c: &sqlparser::ast::CommentDef) -> String {
    match c {
        sqlparser::ast::CommentDef::WithEq(s) | sqlparser::ast::CommentDef::WithoutEq(s) => s.clone(),
    }
}

fn table_options(ct: &CreateTable) -> &[SqlOption] {
    use sqlparser::ast::CreateTableOptions as O;
    match &ct.table_options {
        O::None => &[],
        O::With(v) | O::Options(v) | O::Plain(v) | O::TableProperties(v) => v,
    }
}

/// Invariants of a finished table: key columns are NOT NULL.
fn finish_table(t: &mut Table) {
    let key = t.primary_key.clone();
    for c in t.columns.iter_mut().filter(|c| key.contains(&c.name)) {
        c.nullable = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, dialect: Dialect) -> DbSchema {
        match parse(text, dialect, "test.sql") {
            Ok(s) => s,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }

    fn table<'a>(s: &'a DbSchema, qualified: &str) -> &'a Table {
        s.tables.iter().find(|t| t.qualified() == qualified).unwrap_or_else(|| {
            panic!("no table {qualified} in {:?}", s.tables.iter().map(|t| t.qualified()).collect::<Vec<_>>())
        })
    }

    fn column<'a>(t: &'a Table, name: &str) -> &'a Column {
        t.column(name).unwrap_or_else(|| panic!("no column {name} in {}", t.qualified()))
    }

    fn skipped(s: &DbSchema, name: &str) -> Option<String> {
        s.skipped.iter().find(|(n, _)| n == name).map(|(_, why)| why.clone())
    }

    const PG_DUMP: &str = r#"--
-- PostgreSQL database dump
--

\restrict 4mBQ3dTtjTYlb

-- Dumped from database version 16.2

SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;

\connect shop

CREATE SCHEMA billing;
ALTER SCHEMA billing OWNER TO postgres;
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;
COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';

CREATE TYPE public.order_status AS ENUM (
    'draft',
    'paid',
    'it''s shipped'
);
ALTER TYPE public.order_status OWNER TO postgres;

CREATE TYPE public.address AS (
	street text,
	city text
);

CREATE DOMAIN public.us_postal_code AS text DEFAULT '00000'::text NOT NULL
	CONSTRAINT us_postal_code_check CHECK (((VALUE ~ '^\d{5}$'::text) OR (VALUE ~ '^\d{5}-\d{4}$'::text)));

CREATE FUNCTION public.touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.updated_at := now();  -- a ; inside the body
  RETURN NEW;
END;
$$;

CREATE FUNCTION public.two() RETURNS int LANGUAGE sql AS $body$ SELECT 1; SELECT 2; $body$;

SET default_tablespace = '';

CREATE TABLE public.customers (
    id bigint NOT NULL,
    email character varying(255) NOT NULL,
    "displayName" text,
    zip public.us_postal_code,
    home public.address,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    scores integer[],
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

ALTER TABLE public.customers OWNER TO postgres;

COMMENT ON TABLE public.customers IS 'People who buy things';
COMMENT ON COLUMN public.customers.email IS 'login';

ALTER TABLE public.customers ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.customers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE public.orders (
    id integer NOT NULL,
    customer_id bigint NOT NULL,
    status public.order_status DEFAULT 'draft'::public.order_status NOT NULL,
    quantity integer NOT NULL,
    unit_price numeric(12,2) NOT NULL,
    total numeric(14,2) GENERATED ALWAYS AS (((quantity)::numeric * unit_price)) STORED,
    placed_at timestamp(3) without time zone,
    CONSTRAINT orders_quantity_check CHECK ((quantity > 0))
);

CREATE SEQUENCE public.orders_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    CACHE 1;

ALTER SEQUENCE public.orders_id_seq OWNED BY public.orders.id;

CREATE TABLE public.events (
    id bigint GENERATED BY DEFAULT AS IDENTITY,
    happened_at date NOT NULL,
    payload jsonb
)
PARTITION BY RANGE (happened_at);

CREATE TABLE public.events_2024 (
    id bigint NOT NULL,
    happened_at date NOT NULL,
    payload jsonb
);
ALTER TABLE ONLY public.events ATTACH PARTITION public.events_2024 FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');

CREATE TABLE public.events_2025 PARTITION OF public.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

CREATE TABLE billing.invoices (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    order_id integer,
    amount numeric(12,2),
    issued_on date DEFAULT CURRENT_DATE
);

CREATE VIEW public.paid_orders AS
 SELECT orders.id FROM public.orders WHERE (orders.status = 'paid'::public.order_status);

CREATE MATERIALIZED VIEW public.order_totals AS
 SELECT 1 AS x
  WITH NO DATA;

ALTER TABLE ONLY public.orders ALTER COLUMN id SET DEFAULT nextval('public.orders_id_seq'::regclass);

COPY public.orders (id, customer_id) FROM stdin;
1	2
2	3;  ' CREATE TABLE not_a_table (x int);
\.

ALTER TABLE ONLY public.customers
    ADD CONSTRAINT customers_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_pkey PRIMARY KEY (id), ADD CONSTRAINT orders_customer_placed_key UNIQUE (customer_id, placed_at);
ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_pkey PRIMARY KEY (id);
ALTER TABLE ONLY public.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (id, happened_at);

CREATE UNIQUE INDEX customers_email_lower ON public.customers USING btree (lower((email)::text));
CREATE UNIQUE INDEX orders_one_draft ON public.orders USING btree (customer_id) WHERE (status = 'draft'::public.order_status);
CREATE INDEX orders_status_idx ON public.orders USING btree (status);

CREATE TRIGGER orders_touch BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.touch();

ALTER TABLE ONLY public.orders
    ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY billing.invoices
    ADD CONSTRAINT invoices_order_id_fkey FOREIGN KEY (order_id) REFERENCES public.orders(id);

GRANT ALL ON TABLE public.orders TO app;
REVOKE ALL ON SCHEMA public FROM PUBLIC;

--
-- PostgreSQL database dump complete
--

\unrestrict 4mBQ3dTtjTYlb
"#;

    #[test]
    fn pg_dump_file() {
        let s = read(PG_DUMP, Dialect::Postgres);
        assert_eq!(s.source, "test.sql");
        let names: Vec<String> = s.tables.iter().map(|t| t.qualified()).collect();
        assert_eq!(names, ["public.customers", "public.orders", "public.events", "billing.invoices"]);

        assert_eq!(
            s.enums,
            [EnumType {
                name: "order_status".into(),
                labels: vec!["draft".into(), "paid".into(), "it's shipped".into()]
            }]
        );
        assert_eq!(s.domains.len(), 1);
        let d = &s.domains[0];
        assert_eq!((d.name.as_str(), d.base.as_str(), d.not_null), ("us_postal_code", "text", true));
        assert_eq!(d.default.as_deref(), Some("'00000'::text"));
        assert_eq!(d.checks.len(), 1);
        assert!(d.checks[0].starts_with("(VALUE ~ '^\\d{5}$'"), "{}", d.checks[0]);

        let customers = table(&s, "public.customers");
        assert_eq!(customers.schema.as_deref(), Some("public"));
        assert_eq!(customers.primary_key, ["id"]);
        let id = column(customers, "id");
        assert!(id.identity && !id.nullable, "ALTER … ADD GENERATED AS IDENTITY: {id:?}");
        assert_eq!(column(customers, "email").data_type, "character varying(255)");
        assert_eq!(column(customers, "displayName").data_type, "text");
        assert_eq!(column(customers, "zip").data_type, "us_postal_code");
        assert_eq!(column(customers, "home").data_type, "address");
        let tags = column(customers, "tags");
        assert_eq!((tags.data_type.as_str(), tags.nullable), ("text[]", false));
        assert_eq!(tags.default.as_deref(), Some("'{}'::text[]"));
        assert_eq!(column(customers, "scores").data_type, "integer[]");
        let created = column(customers, "created_at");
        assert_eq!(created.data_type, "timestamp with time zone");
        assert_eq!(created.default.as_deref(), Some("now()"));
        assert_eq!(customers.comment.as_deref(), Some("People who buy things"));
        assert_eq!(customers.uniques, [], "an index on an expression is not a unique set of columns");

        let orders = table(&s, "public.orders");
        assert_eq!(orders.primary_key, ["id"]);
        let id = column(orders, "id");
        assert!(id.identity, "serial via SET DEFAULT nextval: {id:?}");
        assert_eq!(id.default.as_deref(), Some("nextval('public.orders_id_seq'::regclass)"));
        let status = column(orders, "status");
        assert_eq!(status.data_type, "order_status");
        assert_eq!(status.default.as_deref(), Some("'draft'::public.order_status"));
        assert!(!status.nullable);
        let total = column(orders, "total");
        assert!(total.generated && !total.identity);
        assert_eq!(total.data_type, "numeric(14,2)");
        assert_eq!(column(orders, "placed_at").data_type, "timestamp(3) without time zone");
        assert_eq!(orders.checks, [Check { name: Some("orders_quantity_check".into()), expr: "quantity > 0".into() }]);
        assert_eq!(
            orders.foreign_keys,
            [ForeignKey {
                name: Some("orders_customer_id_fkey".into()),
                columns: vec!["customer_id".into()],
                parent_schema: Some("public".into()),
                parent: "customers".into(),
                parent_columns: vec!["id".into()],
                deferrable: true,
            }]
        );
        assert_eq!(
            orders.uniques,
            [
                Unique {
                    name: Some("orders_customer_placed_key".into()),
                    columns: vec!["customer_id".into(), "placed_at".into()],
                    predicate: None,
                },
                Unique {
                    name: Some("orders_one_draft".into()),
                    columns: vec!["customer_id".into()],
                    predicate: Some("status = 'draft'::public.order_status".into()),
                },
            ]
        );

        let events = table(&s, "public.events");
        assert!(events.partitioned);
        assert_eq!(events.primary_key, ["id", "happened_at"]);
        let id = column(events, "id");
        assert!(id.identity && !id.nullable);

        let invoices = table(&s, "billing.invoices");
        assert_eq!(invoices.primary_key, ["id"]);
        assert_eq!(column(invoices, "id").default.as_deref(), Some("gen_random_uuid()"));
        assert_eq!(column(invoices, "issued_on").default.as_deref(), Some("CURRENT_DATE"));
        assert_eq!(invoices.foreign_keys.len(), 1);
        assert_eq!(invoices.foreign_keys[0].parent_schema.as_deref(), Some("public"));
        assert!(!invoices.foreign_keys[0].deferrable);

        assert_eq!(skipped(&s, "public.events_2024").as_deref(), Some("partition of public.events"));
        assert_eq!(skipped(&s, "public.events_2025").as_deref(), Some("partition of public.events"));
        assert_eq!(skipped(&s, "public.paid_orders").as_deref(), Some("view"));
        assert_eq!(skipped(&s, "public.order_totals").as_deref(), Some("materialized view"));
        assert_eq!(skipped(&s, "public.address").as_deref(), Some("composite type"));
        assert_eq!(skipped(&s, "public.touch").as_deref(), Some("function"));
        assert_eq!(skipped(&s, "public.two").as_deref(), Some("function"));
        assert_eq!(skipped(&s, "public.orders_id_seq").as_deref(), Some("sequence"));
        assert_eq!(skipped(&s, "customers_email_lower").as_deref(), Some("unique index on an expression"));
        assert!(!s.tables.iter().any(|t| t.name == "not_a_table"), "COPY data is not DDL");
    }

    const MYSQLDUMP: &str = r#"-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: shop
-- ------------------------------------------------------

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8mb4 */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;

--
-- Table structure for table `customers`
--

DROP TABLE IF EXISTS `customers`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!50503 SET character_set_client = utf8mb4 */;
CREATE TABLE `customers` (
  `id` int unsigned NOT NULL AUTO_INCREMENT,
  `email` varchar(255) COLLATE utf8mb4_unicode_ci NOT NULL COMMENT 'login; unique',
  `kind` enum('person','company','it''s') NOT NULL DEFAULT 'person',
  `flags` set('vip','blocked') DEFAULT NULL,
  `Name` varchar(100) DEFAULT NULL,
  `upper_name` varchar(100) GENERATED ALWAYS AS (upper(`Name`)) VIRTUAL,
  `created_at` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  UNIQUE KEY `uk_email` (`email`),
  KEY `idx_name` (`Name`(10)),
  CONSTRAINT `chk_kind` CHECK ((`kind` <> _utf8mb4'company'))
) ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci COMMENT='Shop customers; all of them';
/*!40101 SET character_set_client = @saved_cs_client */;

DROP TABLE IF EXISTS `orders`;
CREATE TABLE `orders` (
  `id` bigint NOT NULL AUTO_INCREMENT,
  `customer_id` int unsigned NOT NULL,
  `qty` int NOT NULL,
  `price` decimal(10,2) NOT NULL,
  `total` decimal(12,2) GENERATED ALWAYS AS ((`qty` * `price`)) STORED,
  PRIMARY KEY (`id`,`customer_id`),
  UNIQUE KEY `uk_pair` (`customer_id`,`qty`),
  KEY `fk_customer` (`customer_id`),
  CONSTRAINT `fk_customer` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) ON DELETE CASCADE,
  CONSTRAINT `orders_chk_1` CHECK ((`qty` > 0))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
/*!50100 PARTITION BY KEY (customer_id)
PARTITIONS 4 */;

--
-- Temporary view structure for view `big_orders`
--
DROP TABLE IF EXISTS `big_orders`;
/*!50001 DROP VIEW IF EXISTS `big_orders`*/;
/*!50001 CREATE TABLE `big_orders` (
  `id` tinyint NOT NULL
) ENGINE=MyISAM */;

--
-- Final view structure for view `big_orders`
--
/*!50001 DROP TABLE IF EXISTS `big_orders`*/;
/*!50001 DROP VIEW IF EXISTS `big_orders`*/;
/*!50001 SET @saved_cs_client          = @@character_set_client */;
/*!50001 CREATE ALGORITHM=UNDEFINED */
/*!50013 DEFINER=`root`@`localhost` SQL SECURITY DEFINER */
/*!50001 VIEW `big_orders` AS select `orders`.`id` AS `id` from `orders` where (`orders`.`qty` > 10) */;

DELIMITER ;;
CREATE DEFINER=`root`@`localhost` PROCEDURE `p1`()
BEGIN
  SELECT 1; SELECT 2;
END ;;
DELIMITER ;

LOCK TABLES `orders` WRITE;
/*!40000 ALTER TABLE `orders` DISABLE KEYS */;
INSERT INTO `orders` VALUES (1,1,2,'3.00;',6.00);
/*!40000 ALTER TABLE `orders` ENABLE KEYS */;
UNLOCK TABLES;
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;
# a hash comment; with a semicolon
-- Dump completed on 2024-01-01 10:00:00
"#;

    #[test]
    fn mysqldump_file() {
        let s = read(MYSQLDUMP, Dialect::Mysql);
        let names: Vec<String> = s.tables.iter().map(|t| t.qualified()).collect();
        assert_eq!(names, ["customers", "orders"], "the view's stand-in table is dropped again");

        let c = table(&s, "customers");
        assert_eq!(c.schema, None);
        assert_eq!(c.comment.as_deref(), Some("Shop customers; all of them"));
        assert_eq!(c.primary_key, ["id"]);
        let id = column(c, "id");
        assert!(id.identity && !id.nullable);
        assert_eq!(id.data_type, "int unsigned");
        let kind = column(c, "kind");
        assert_eq!(kind.data_type, "enum('person','company','it''s')");
        assert_eq!(kind.default.as_deref(), Some("'person'"));
        let flags = column(c, "flags");
        assert_eq!(flags.data_type, "set('vip','blocked')");
        assert_eq!(flags.default, None, "DEFAULT NULL is no default");
        assert!(flags.nullable);
        assert_eq!(column(c, "Name").data_type, "varchar(100)", "MySQL keeps the case of names");
        assert!(column(c, "upper_name").generated);
        assert_eq!(column(c, "created_at").default.as_deref(), Some("CURRENT_TIMESTAMP"));
        assert_eq!(
            c.uniques,
            [Unique { name: Some("uk_email".into()), columns: vec!["email".into()], predicate: None }],
            "UNIQUE KEY is a unique set, plain KEY is not"
        );
        assert_eq!(c.checks.len(), 1);
        assert_eq!(c.checks[0].name.as_deref(), Some("chk_kind"));
        assert!(c.checks[0].expr.starts_with("`kind` <>"), "{}", c.checks[0].expr);

        let o = table(&s, "orders");
        assert!(o.partitioned, "PARTITION BY inside a conditional comment");
        assert_eq!(o.primary_key, ["id", "customer_id"]);
        assert!(!column(o, "customer_id").nullable);
        assert!(column(o, "total").generated);
        assert_eq!(column(o, "price").data_type, "decimal(10,2)");
        assert_eq!(
            o.foreign_keys,
            [ForeignKey {
                name: Some("fk_customer".into()),
                columns: vec!["customer_id".into()],
                parent_schema: None,
                parent: "customers".into(),
                parent_columns: vec!["id".into()],
                deferrable: false,
            }]
        );
        assert_eq!(o.uniques.len(), 1);
        assert_eq!(o.uniques[0].columns, ["customer_id", "qty"]);
        assert_eq!(o.checks, [Check { name: Some("orders_chk_1".into()), expr: "`qty` > 0".into() }]);

        assert_eq!(skipped(&s, "big_orders").as_deref(), Some("view"));
        assert_eq!(skipped(&s, "p1").as_deref(), Some("procedure"));
        assert_eq!(s.skipped.len(), 2, "{:?}", s.skipped);
        assert!(s.enums.is_empty() && s.domains.is_empty());
    }

    const SQLITE: &str = r#"PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE orgs (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE "users" (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL,
  org_id INTEGER REFERENCES orgs(id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  age INTEGER CHECK (age >= 0),
  handle TEXT GENERATED ALWAYS AS (lower(email)) VIRTUAL,
  [nick name] varchar(10) DEFAULT 'x;y',
  big UNSIGNED BIG INT,
  created DATETIME DEFAULT (datetime('now'))
);
CREATE TABLE pairs (a INTEGER, b INTEGER, PRIMARY KEY (a, b), UNIQUE (b, a) ON CONFLICT REPLACE) WITHOUT ROWID;
CREATE TABLE keyed (k INTEGER, v, PRIMARY KEY (k)) WITHOUT ROWID;
CREATE TABLE sqlite_sequence(name,seq);
CREATE UNIQUE INDEX users_email ON users (email COLLATE NOCASE) WHERE org_id IS NOT NULL;
CREATE INDEX users_org ON users (org_id);
CREATE VIEW adults AS SELECT * FROM users WHERE age >= 18;
CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN
  UPDATE users SET age = CASE WHEN age < 0 THEN 0 ELSE age END WHERE id = NEW.id;
  SELECT 1;
END;
CREATE TABLE after_trigger (x INT);
INSERT INTO orgs VALUES(1,'a;b');
COMMIT;
"#;

    #[test]
    fn sqlite_schema() {
        let s = read(SQLITE, Dialect::Sqlite);
        let names: Vec<String> = s.tables.iter().map(|t| t.qualified()).collect();
        assert_eq!(names, ["orgs", "users", "pairs", "keyed", "after_trigger"]);

        let orgs = table(&s, "orgs");
        let id = column(orgs, "id");
        assert!(id.identity && !id.nullable, "INTEGER PRIMARY KEY is the rowid");
        assert_eq!(orgs.uniques[0].columns, ["name"]);

        let users = table(&s, "users");
        assert_eq!(users.primary_key, ["id"]);
        assert!(column(users, "id").identity);
        assert_eq!(
            users.foreign_keys,
            [ForeignKey {
                name: None,
                columns: vec!["org_id".into()],
                parent_schema: None,
                parent: "orgs".into(),
                parent_columns: vec!["id".into()],
                deferrable: true,
            }]
        );
        assert_eq!(users.checks, [Check { name: None, expr: "age >= 0".into() }]);
        assert!(column(users, "handle").generated);
        let nick = column(users, "nick name");
        assert_eq!(nick.data_type, "varchar(10)");
        assert_eq!(nick.default.as_deref(), Some("'x;y'"));
        assert_eq!(column(users, "big").data_type, "unsigned big int");
        assert_eq!(column(users, "created").default.as_deref(), Some("(datetime('now'))"));
        assert_eq!(
            users.uniques,
            [Unique {
                name: Some("users_email".into()),
                columns: vec!["email".into()],
                predicate: Some("org_id IS NOT NULL".into()),
            }]
        );

        let pairs = table(&s, "pairs");
        assert_eq!(pairs.primary_key, ["a", "b"]);
        assert_eq!(pairs.uniques[0].columns, ["b", "a"]);
        assert!(!column(pairs, "a").identity);
        let keyed = table(&s, "keyed");
        assert!(!column(keyed, "k").identity, "WITHOUT ROWID: no rowid alias");
        assert_eq!(column(keyed, "v").data_type, "", "a column without a type");

        assert_eq!(skipped(&s, "sqlite_sequence").as_deref(), Some("SQLite internal table"));
        assert_eq!(skipped(&s, "adults").as_deref(), Some("view"));
        assert_eq!(skipped(&s, "users_touch").as_deref(), Some("trigger"));
    }

    #[test]
    fn broken_create_table_is_an_error_at_its_line() {
        let text = "-- migration 001\n\
                    SET search_path = public;\n\
                    \n\
                    CREATE TABLE ok (id int PRIMARY KEY);\n\
                    \n\
                    -- the next one is broken\n\
                    \x20 CREATE TABLE broken (id int PRIMARY KEY, name varchar(20) NOT NULL DEFAULT, x int);\n\
                    CREATE TABLE later (id int);\n";
        let err = parse(text, Dialect::Postgres, "001.sql").expect_err("a broken CREATE TABLE");
        assert_eq!((err.line, err.column), (7, 3));
        assert!(err.message.contains("CREATE TABLE broken"), "{err}");
        assert!(err.message.contains("at line 7, column 77"), "{err}");
        assert!(err.to_string().starts_with("7:3: could not parse CREATE TABLE broken: "), "{err}");

        // The position sqlparser reports on a later line of the statement is made absolute.
        let text = "CREATE TABLE a (id int);\nCREATE TABLE b (\n  id int,\n  name text nope nope\n);\n";
        let err = parse(text, Dialect::Postgres, "x.sql").expect_err("a broken CREATE TABLE");
        assert_eq!((err.line, err.column), (2, 1));
        assert!(err.message.contains("found: nope at line 4, column 13"), "{err}");
    }

    #[test]
    fn noise_only() {
        for (text, dialect) in [
            (
                "-- nothing\nSET x = 1;\nSELECT pg_catalog.set_config('search_path', '', false);\n\\connect db\nGRANT ALL ON x TO y;\nCOPY t (a) FROM stdin;\n1\n\\.\n",
                Dialect::Postgres,
            ),
            ("/*!40101 SET NAMES utf8 */;\nLOCK TABLES `t` WRITE;\nUNLOCK TABLES;\n# done\n", Dialect::Mysql),
            ("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCOMMIT;\n.quit\n", Dialect::Sqlite),
            ("", Dialect::Postgres),
            ("  \n\n ;;; \n", Dialect::Mysql),
        ] {
            let s = read(text, dialect);
            assert!(s.tables.is_empty() && s.enums.is_empty() && s.domains.is_empty(), "{s:?}");
            assert!(s.skipped.is_empty(), "{:?}", s.skipped);
        }
    }

    #[test]
    fn migrations_and_alter_table() {
        let text = r#"
ALTER TABLE accounts ADD CONSTRAINT accounts_email_key UNIQUE (email);
CREATE TABLE Accounts (Id serial PRIMARY KEY, Email text, "Nick" varchar(20), big bigserial, small smallserial);
ALTER TABLE accounts ADD COLUMN balance numeric(10,2) NOT NULL DEFAULT 0 CHECK (balance >= 0), ADD COLUMN tmp int;
ALTER TABLE accounts DROP COLUMN tmp;
ALTER TABLE accounts RENAME COLUMN "Nick" TO nickname;
ALTER TABLE IF EXISTS ONLY accounts ALTER COLUMN email SET NOT NULL;
ALTER TABLE ghosts ADD CONSTRAINT g_pk PRIMARY KEY (id);
ALTER TABLE accounts ADD CONSTRAINT nope FOREIGN KEY ((x)) REFERENCES y;
ALTER TABLE accounts OWNER TO someone;
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
COMMENT ON TABLE accounts IS E'It\'s ours';
CREATE TABLE t2 (a int GENERATED ALWAYS AS (b * 2) VIRTUAL, b int, c bigint GENERATED BY DEFAULT AS IDENTITY, e int GENERATED ALWAYS AS (b + 1))
  PARTITION BY HASH (a) WITH (fillfactor = 70) TABLESPACE fast;
CREATE TABLE t3 (LIKE t2 INCLUDING ALL);
CREATE TABLE t4 AS SELECT 1;
CREATE TEMP TABLE t5 (a int);
CREATE TABLE x (a int); DROP TABLE IF EXISTS nothing, x CASCADE;
CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 1 END; END;
CREATE TABLE after_func (a int);
"#;
        let s = read(text, Dialect::Postgres);
        let names: Vec<String> = s.tables.iter().map(|t| t.qualified()).collect();
        assert_eq!(names, ["accounts", "t2", "after_func"]);
        let a = table(&s, "accounts");
        let cols: Vec<&str> = a.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(cols, ["id", "email", "nickname", "big", "small", "balance"]);
        let id = column(a, "id");
        assert_eq!((id.data_type.as_str(), id.identity, id.nullable), ("integer", true, false));
        assert_eq!(column(a, "big").data_type, "bigint");
        assert_eq!(column(a, "small").data_type, "smallint");
        assert!(column(a, "small").identity);
        assert!(!column(a, "email").nullable);
        let balance = column(a, "balance");
        assert_eq!((balance.data_type.as_str(), balance.default.as_deref()), ("numeric(10,2)", Some("0")));
        assert_eq!(a.checks, [Check { name: None, expr: "balance >= 0".into() }]);
        assert_eq!(a.uniques.len(), 1, "an ALTER before the CREATE still applies");
        assert_eq!(a.comment.as_deref(), Some("It's ours"));

        let t2 = table(&s, "t2");
        assert!(t2.partitioned);
        assert!(column(t2, "a").generated && column(t2, "e").generated);
        assert!(column(t2, "c").identity);

        assert_eq!(skipped(&s, "ghosts").as_deref(), Some("ALTER TABLE on a table not declared in the file"));
        let why = skipped(&s, "ALTER TABLE accounts").unwrap_or_default();
        assert!(why.starts_with("could not parse: ") && why.contains("line 9"), "{why}");
        assert_eq!(skipped(&s, "t3").as_deref(), Some("copy of another table (LIKE)"));
        assert_eq!(skipped(&s, "t4").as_deref(), Some("table created from a query"));
        assert_eq!(skipped(&s, "t5").as_deref(), Some("temporary table"));
        assert_eq!(skipped(&s, "f").as_deref(), Some("function"));
    }

    #[test]
    fn column_changes_follow_keys() {
        let text = r#"
CREATE TABLE public.p (id int PRIMARY KEY, code text UNIQUE, other int, CONSTRAINT p_o_fk FOREIGN KEY (other) REFERENCES q (id));
CREATE TABLE billing.p (id int);
ALTER TABLE p RENAME COLUMN id TO pid;
ALTER TABLE p RENAME COLUMN code TO ref;
ALTER TABLE p DROP COLUMN other;
ALTER TABLE p ALTER COLUMN ref SET DEFAULT NULL;
ALTER TABLE p ALTER COLUMN pid SET DEFAULT nextval('p_seq');
ALTER TABLE billing.p RENAME TO invoices;
"#;
        let s = read(text, Dialect::Postgres);
        let p = table(&s, "public.p");
        assert_eq!(p.primary_key, ["pid"], "an unqualified name is looked up in public first");
        assert_eq!(p.uniques[0].columns, ["ref"]);
        assert!(p.foreign_keys.is_empty(), "the foreign key went with its column");
        assert_eq!(column(p, "ref").default, None);
        assert!(column(p, "pid").identity);
        assert_eq!(table(&s, "billing.invoices").columns.len(), 1);

        let text = "CREATE TABLE t (a int, b int, PRIMARY KEY (a));\nALTER TABLE t CHANGE a a2 bigint NOT NULL AUTO_INCREMENT, MODIFY b varchar(9);";
        let s = read(text, Dialect::Mysql);
        let t = table(&s, "t");
        assert_eq!(t.primary_key, ["a2"]);
        let a2 = column(t, "a2");
        assert_eq!((a2.data_type.as_str(), a2.identity), ("bigint", true));
        assert_eq!(column(t, "b").data_type, "varchar(9)");
    }

    #[test]
    fn types_and_domains() {
        let text = r#"
CREATE TYPE mood AS ENUM ();
CREATE TYPE "Mixed" AS ENUM ('A', 'b');
CREATE TYPE span AS RANGE (subtype = float8);
CREATE TYPE shell;
CREATE DOMAIN posint int CHECK (VALUE > 0) CHECK (VALUE < 100);
CREATE DOMAIN money2 AS numeric(10, 2) DEFAULT 0.00 CONSTRAINT nn NOT NULL;
CREATE DOMAIN code AS varchar(8) COLLATE "C" NULL CHECK (VALUE ~ '^[A-Z]+$') NOT VALID;
CREATE TABLE t (m "Mixed", n public."Mixed"[], p posint, g public.geometry(Point,4326), c "char", i interval day to second);
"#;
        let s = read(text, Dialect::Postgres);
        assert_eq!(s.enums[0], EnumType { name: "mood".into(), labels: vec![] });
        assert_eq!(s.enums[1], EnumType { name: "Mixed".into(), labels: vec!["A".into(), "b".into()] });
        assert_eq!(skipped(&s, "span").as_deref(), Some("range type"));
        assert_eq!(skipped(&s, "shell"), None);
        assert_eq!(
            s.domains,
            [
                Domain {
                    name: "posint".into(),
                    base: "int".into(),
                    not_null: false,
                    checks: vec!["VALUE > 0".into(), "VALUE < 100".into()],
                    default: None,
                },
                Domain {
                    name: "money2".into(),
                    base: "numeric(10,2)".into(),
                    not_null: true,
                    checks: vec![],
                    default: Some("0.00".into()),
                },
                Domain {
                    name: "code".into(),
                    base: "varchar(8)".into(),
                    not_null: false,
                    checks: vec!["VALUE ~ '^[A-Z]+$'".into()],
                    default: None,
                },
            ]
        );
        let t = table(&s, "t");
        let types: Vec<&str> = t.columns.iter().map(|c| c.data_type.as_str()).collect();
        assert_eq!(types, ["Mixed", "Mixed[]", "posint", "geometry(Point,4326)", "char", "interval day to second"]);
    }

    #[test]
    fn splitting() {
        let text = "SET a = 1; -- one; two\n\
                    /* block; /* nested; */ still; */ CREATE TABLE x (a text DEFAULT E'it\\'s;' NOT NULL, b text DEFAULT $q$;$q$);\n\
                    \tSELECT 'a''b;c', \"we;ird\"\n;";
        let st = split_statements(text, Dialect::Postgres);
        let texts: Vec<&str> = st.iter().map(|s| s.text.trim()).collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert_eq!(texts[0], "SET a = 1");
        assert!(texts[1].starts_with("CREATE TABLE x") && texts[1].ends_with("$q$;$q$)"), "{}", texts[1]);
        assert_eq!((st[1].line, st[1].column), (2, 35));
        assert_eq!((st[2].line, st[2].column), (3, 2));

        // MySQL: DELIMITER, conditional comments, backslash escapes, # comments.
        let text = "DELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END //\nDELIMITER ;\n\
                    /*!40101 SET x = 'a\\';b' */;\n# c; d\nSELECT `a;b`;";
        let st = split_statements(text, Dialect::Mysql);
        let texts: Vec<&str> = st.iter().map(|s| s.text.trim()).collect();
        assert_eq!(texts, ["CREATE PROCEDURE p() BEGIN SELECT 1; END", "SET x = 'a\\';b'", "SELECT `a;b`"]);

        // An unterminated trigger body does not swallow the rest of the file.
        let text =
            "CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;\nCREATE TABLE y (a int);\nCREATE TABLE z (b int);";
        let s = read(text, Dialect::Sqlite);
        assert_eq!(s.tables.len(), 2);
    }

    #[test]
    fn offsets() {
        let text = "ab\nçé x\n\nz";
        let src = Source::new(text);
        for (line, col) in [
            (1, 1),
            (1, 2),
            (1, 3),
            (2, 1),
            (2, 2),
            (2, 3),
            (2, 4),
            (3, 1),
            (4, 1),
            (4, 2),
            (4, 3),
            (5, 1),
            (0, 1),
            (1, 0),
        ] {
            let slow = {
                // Walk the text, as the definition goes.
                let (mut l, mut c) = (1, 1);
                let mut found = None;
                for (b, ch) in text.char_indices() {
                    if (l, c) == (line, col) {
                        found = Some(b);
                        break;
                    }
                    if ch == '\n' {
                        l += 1;
                        c = 1;
                    } else {
                        c += 1;
                    }
                }
                found.or(((l, c) == (line, col)).then_some(text.len()))
            };
            assert_eq!(src.offset(line, col), slow, "{line}:{col}");
        }
    }

    #[test]
    fn unique_index_forms() {
        let text = r#"
CREATE TABLE t (a int, b text, c int);
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_ab ON ONLY public.t USING btree (a, b text_pattern_ops DESC NULLS LAST) INCLUDE (c) NULLS NOT DISTINCT WHERE ((c > 0) AND (b IS NOT NULL));
CREATE UNIQUE INDEX ON t (c);
CREATE UNIQUE INDEX t_expr ON t ((a + c));
"#;
        let s = read(text, Dialect::Postgres);
        let t = table(&s, "t");
        assert_eq!(
            t.uniques,
            [
                Unique {
                    name: Some("t_ab".into()),
                    columns: vec!["a".into(), "b".into()],
                    predicate: Some("(c > 0) AND (b IS NOT NULL)".into()),
                },
                Unique { name: None, columns: vec!["c".into()], predicate: None },
            ]
        );
        assert_eq!(skipped(&s, "t_expr").as_deref(), Some("unique index on an expression"));

        let s = read("CREATE TABLE m (a varchar(99));\nCREATE UNIQUE INDEX m_a ON m (a(10));", Dialect::Mysql);
        assert_eq!(table(&s, "m").uniques[0].columns, ["a"], "a MySQL prefix part is the column");
    }

    /// No input makes the reader panic: truncated files and garbage give a result or an error.
    #[test]
    fn garbage_does_not_panic() {
        let garbage = [
            "CREATE", "CREATE TABLE", "CREATE TABLE (", "CREATE TABLE t (", "CREATE TABLE t (a",
            "CREATE TABLE t (a int,", "CREATE TABLE \"", "CREATE TABLE t PARTITION OF", "CREATE TYPE",
            "CREATE TYPE x AS", "CREATE TYPE x AS ENUM (", "CREATE TYPE x AS ENUM ('a", "CREATE DOMAIN",
            "CREATE DOMAIN d AS", "CREATE DOMAIN d AS int CHECK (", "CREATE DOMAIN d AS int DEFAULT",
            "CREATE UNIQUE INDEX", "CREATE UNIQUE INDEX i ON", "CREATE UNIQUE INDEX i ON t (",
            "CREATE UNIQUE INDEX i ON t (a) WHERE", "ALTER TABLE", "ALTER TABLE t", "ALTER TABLE t ADD",
            "ALTER TABLE t ATTACH PARTITION", "ALTER TABLE t ALTER COLUMN", "COMMENT ON TABLE",
            "COMMENT ON TABLE t IS", "DROP TABLE", "DROP TABLE IF EXISTS", "$$", "$a$ x", "'", "\"", "`",
            "[", "/*", "/*!", "*/", "--", "\\", "\\.", "E'\\", "CREATE TABLE t (a int) PARTITION BY",
            "CREATE TABLE t (a int GENERATED ALWAYS AS (", "CREATE TABLE t (a x y z (", "((((((((((",
            "CREATE TABLE t (a int CHECK (((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))",
            "CREATE TABLE é (ü int DEFAULT 'ß')", "\u{feff}CREATE TABLE t (a int)", "CREATE TRIGGER t BEGIN",
            "DELIMITER", "DELIMITER \nx", "COPY t FROM stdin;", "CREATE TABLE t (a int) COMMENT",
            "CREATE TABLE t (a int) WITHOUT", ";;;;", "CREATE UNIQUE INDEX i ON t (a(", "ALTER TABLE t ALTER c ADD GENERATED",
        ];
        for dialect in [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite] {
            for g in garbage {
                let _ = parse(g, dialect, "garbage.sql");
                let _ = parse(&format!("{g};\n{g}\n;"), dialect, "garbage.sql");
            }
            for sample in [PG_DUMP, MYSQLDUMP, SQLITE] {
                let chars: Vec<char> = sample.chars().collect();
                for cut in (0..chars.len()).step_by(37) {
                    let prefix: String = chars[..cut].iter().collect();
                    let _ = parse(&prefix, dialect, "truncated.sql");
                    let suffix: String = chars[cut..].iter().collect();
                    let _ = parse(&suffix, dialect, "truncated.sql");
                }
            }
        }
    }

    /// The shared fixtures of the import tests, when they are there.
    #[test]
    fn fixture_files_parse() {
        let dir =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import")).expect("the fixtures");
        for entry in dir.flatten() {
            let path = entry.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
            if !name.ends_with(".sql") {
                continue;
            }
            let dialect = if name.contains(".mysql.") {
                Dialect::Mysql
            } else if name.contains(".sqlite.") {
                Dialect::Sqlite
            } else {
                Dialect::Postgres
            };
            let text = std::fs::read_to_string(&path).expect("a fixture");
            match parse(&text, dialect, &name) {
                Ok(s) => assert!(!s.tables.is_empty(), "{name}: no tables"),
                Err(e) => panic!("{name}: {e}"),
            }
        }
    }
}
