//! Splitting a DDL file into statements: quotes, dollar quoting, comments, MySQL conditional
//! comments, psql meta-commands, `DELIMITER`, COPY data and trigger bodies are stepped over;
//! each statement keeps its position in the file.

use super::*;

// Splitting the file into statements

/// One statement of the file, as handed to the parsers.
#[derive(Debug)]
pub(super) struct RawStatement {
    /// The statement without its terminator. Comments and MySQL conditional-comment markers
    /// are replaced by spaces (newlines kept), so that every character keeps its line and
    /// column and sqlparser positions can be mapped back to the file.
    pub(super) text: String,
    /// 1-based line and column (in characters) of the statement's first character.
    pub(super) line: usize,
    pub(super) column: usize,
}

impl RawStatement {
    /// Maps a 1-based line/column inside the statement to the file.
    pub(super) fn file_position(&self, line: usize, column: usize) -> (usize, usize) {
        if line <= 1 {
            (self.line, self.column + column.saturating_sub(1))
        } else {
            (self.line + line - 1, column)
        }
    }
}

pub(super) fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

pub(super) fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// If a quoted token (string, quoted identifier, dollar-quoted body) starts at `i`, the index
/// just past its end (the end of the text when it is unterminated).
pub(super) fn quoted_end(c: &[char], i: usize, dialect: Dialect) -> Option<usize> {
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
pub(super) struct Pending {
    pub(super) start: usize,
    pub(super) text: String,
    /// The first words, upper-cased (to recognise trigger and routine bodies).
    pub(super) words: Vec<String>,
    /// `BEGIN … END` nesting inside a trigger/routine body.
    pub(super) depth: usize,
    /// The first `;` passed over inside a body: (index, text length, conditional depth),
    /// where the statement is cut instead if the body never closes.
    pub(super) first_semicolon: Option<(usize, usize, usize)>,
}

impl Pending {
    /// A `CREATE TRIGGER`/`FUNCTION`/`PROCEDURE`, whose body may hold `;` between BEGIN and END
    /// (decided on the first object keyword, so that a column named `trigger` does not count).
    pub(super) fn block_aware(&self) -> bool {
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
pub(super) fn split_statements(text: &str, dialect: Dialect) -> Vec<RawStatement> {
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
pub(super) fn is_copy_from_stdin(text: &str) -> bool {
    let words: Vec<String> =
        text.split(|ch: char| !is_ident_char(ch)).filter(|w| !w.is_empty()).map(|w| w.to_ascii_uppercase()).collect();
    words.first().is_some_and(|w| w == "COPY") && words.windows(2).any(|w| w[0] == "FROM" && w[1] == "STDIN")
}

/// The index just past the `\.` line ending COPY data that starts after `i`.
pub(super) fn skip_copy_data(c: &[char], i: usize) -> usize {
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
