//! A cursor over a parsed TOML document that knows its file, line and key path.
//!
//! Every accessor turns a wrong shape into an error that names all three, and a table
//! cursor remembers which keys were read so that unknown keys are reported, not ignored.

use std::cell::RefCell;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::error::Error;

/// The file being read: its name for messages and its text for line numbers.
pub struct Source<'s> {
    pub name: &'s str,
    pub text: &'s str,
}

impl Source<'_> {
    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }

    /// `file:line:col: path: message`.
    pub fn error_at(&self, offset: usize, path: &str, message: impl std::fmt::Display) -> Error {
        let (line, col) = self.line_col(offset);
        if path.is_empty() {
            Error::config(format!("{}:{line}:{col}: {message}", self.name))
        } else {
            Error::config(format!("{}:{line}:{col}: {path}: {message}", self.name))
        }
    }
}

/// One value of the document with its key path.
#[derive(Clone)]
pub struct Node<'a, 'i> {
    pub src: &'a Source<'a>,
    pub path: String,
    pub value: &'a Spanned<DeValue<'i>>,
}

impl<'a, 'i> Node<'a, 'i> {
    pub fn offset(&self) -> usize {
        self.value.span().start
    }

    pub fn line(&self) -> usize {
        self.src.line_col(self.offset()).0
    }

    pub fn error(&self, message: impl std::fmt::Display) -> Error {
        self.src.error_at(self.offset(), &self.path, message)
    }

    fn expected(&self, what: &str) -> Error {
        self.error(format!("expected {what}, found {}", self.value.get_ref().type_str()))
    }

    pub fn is_str(&self) -> bool {
        self.value.get_ref().is_str()
    }

    pub fn is_table(&self) -> bool {
        self.value.get_ref().is_table()
    }

    pub fn is_array(&self) -> bool {
        self.value.get_ref().is_array()
    }

    pub fn str(&self) -> Result<&'a str, Error> {
        match self.value.get_ref() {
            DeValue::String(s) => Ok(s.as_ref()),
            _ => Err(self.expected("a string")),
        }
    }

    pub fn bool(&self) -> Result<bool, Error> {
        self.value.get_ref().as_bool().ok_or_else(|| self.expected("true or false"))
    }

    pub fn i64(&self) -> Result<i64, Error> {
        match self.value.get_ref() {
            DeValue::Integer(i) => {
                let digits: String = i.as_str().chars().filter(|c| *c != '_').collect();
                let (sign, body) = match digits.strip_prefix('-') {
                    Some(rest) => (-1i128, rest.to_string()),
                    None => (1, digits.trim_start_matches('+').to_string()),
                };
                let body = body.trim_start_matches("0x").trim_start_matches("0o");
                let body = body.trim_start_matches("0b");
                i128::from_str_radix(body, i.radix())
                    .ok()
                    .map(|v| v * sign)
                    .and_then(|v| i64::try_from(v).ok())
                    .ok_or_else(|| self.error("integer out of range"))
            }
            _ => Err(self.expected("an integer")),
        }
    }

    pub fn u64(&self) -> Result<u64, Error> {
        let v = self.i64()?;
        u64::try_from(v).map_err(|_| self.error(format!("must not be negative, found {v}")))
    }

    /// A number; integers are accepted where a float is asked.
    pub fn f64(&self) -> Result<f64, Error> {
        match self.value.get_ref() {
            DeValue::Float(f) => {
                let text: String = f.as_str().chars().filter(|c| *c != '_').collect();
                let v = match text.as_str() {
                    "inf" | "+inf" => f64::INFINITY,
                    "-inf" => f64::NEG_INFINITY,
                    "nan" | "+nan" | "-nan" => f64::NAN,
                    t => t.parse().map_err(|_| self.error("invalid float"))?,
                };
                if v.is_finite() {
                    Ok(v)
                } else {
                    Err(self.error("must be a finite number"))
                }
            }
            DeValue::Integer(_) => Ok(self.i64()? as f64),
            _ => Err(self.expected("a number")),
        }
    }

    /// A probability in `[0, 1]`.
    pub fn probability(&self) -> Result<f64, Error> {
        let p = self.f64()?;
        if (0.0..=1.0).contains(&p) {
            Ok(p)
        } else {
            Err(self.error(format!("must be a probability between 0 and 1, found {p}")))
        }
    }

    pub fn table(&self) -> Result<TableNode<'a, 'i>, Error> {
        match self.value.get_ref() {
            DeValue::Table(t) => Ok(TableNode { node: self.clone(), table: t, used: RefCell::new(Vec::new()) }),
            _ => Err(self.expected("a table")),
        }
    }

    /// Elements of an array, each with its path (`key[3]`).
    pub fn array(&self) -> Result<Vec<Node<'a, 'i>>, Error> {
        match self.value.get_ref() {
            DeValue::Array(items) => Ok(items
                .iter()
                .enumerate()
                .map(|(i, v)| Node { src: self.src, path: format!("{}[{i}]", self.path), value: v })
                .collect()),
            _ => Err(self.expected("an array")),
        }
    }

    pub fn value(&self) -> &'a DeValue<'i> {
        self.value.get_ref()
    }
}

/// A table with a record of the keys that were read.
pub struct TableNode<'a, 'i> {
    pub node: Node<'a, 'i>,
    table: &'a DeTable<'i>,
    used: RefCell<Vec<&'static str>>,
}

fn child_path(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

impl<'a, 'i> TableNode<'a, 'i> {
    /// The value at `key`, if present; marks the key as known.
    pub fn get(&self, key: &'static str) -> Option<Node<'a, 'i>> {
        self.used.borrow_mut().push(key);
        self.table.get(key).map(|v| Node { src: self.node.src, path: child_path(&self.node.path, key), value: v })
    }

    /// The value at `key`, or an error saying it is missing.
    pub fn require(&self, key: &'static str) -> Result<Node<'a, 'i>, Error> {
        self.get(key).ok_or_else(|| self.node.error(format!("missing key `{key}`")))
    }

    /// All entries in document order.
    pub fn entries(&self) -> Vec<(&'a str, Node<'a, 'i>)> {
        self.table
            .iter()
            .map(|(k, v)| {
                let key: &'a str = k.get_ref().as_ref();
                (key, Node { src: self.node.src, path: child_path(&self.node.path, key), value: v })
            })
            .collect()
    }

    /// Fails on the first key that no `get` asked for, listing the valid ones.
    pub fn deny_unknown(&self, valid_for: &str) -> Result<(), Error> {
        let used = self.used.borrow();
        for (k, v) in self.table.iter() {
            let key = k.get_ref().as_ref();
            if !used.contains(&key) {
                let mut valid: Vec<&str> = used.clone();
                valid.sort_unstable();
                valid.dedup();
                let path = child_path(&self.node.path, key);
                let offset = k.span().start.min(v.span().start);
                return Err(self.node.src.error_at(
                    offset,
                    &path,
                    format!("unknown key `{key}` {valid_for}; valid keys: {}", valid.join(", ")),
                ));
            }
        }
        Ok(())
    }
}

/// Parse a document; a syntax error names the file, line and column.
pub fn parse<'i>(src: &Source<'i>) -> Result<Spanned<DeValue<'i>>, Error> {
    let table = DeTable::parse(src.text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        src.error_at(offset, "", format!("invalid TOML: {}", e.message().trim()))
    })?;
    let span = table.span();
    Ok(Spanned::new(span, DeValue::Table(table.into_inner())))
}
