//! Placeholder until the DDL reader lands.
use super::model::{DbSchema, Dialect};

#[derive(Debug)]
pub struct DdlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for DdlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

pub fn parse(_text: &str, _dialect: Dialect, _source: &str) -> Result<DbSchema, DdlError> {
    Err(DdlError { line: 1, column: 1, message: "not built yet".into() })
}
