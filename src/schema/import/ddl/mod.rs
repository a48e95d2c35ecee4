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
//!
//! [`split`] cuts the file into statements, [`tokens`] is the hand tokenizer; here a statement
//! is dispatched and its changes ([`Action`]) applied to its table; [`create`], [`alter`] and
//! [`forms`] read the statements of those kinds.

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

mod alter;
mod create;
mod forms;
mod split;
#[cfg(test)]
mod tests;
mod tokens;

use split::{is_ident_char, is_ident_start, quoted_end, split_statements, RawStatement};
use tokens::*;

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
