//! The gate: the only door to a sink.
//!
//! A sink accepts nothing but a [`Cleared`] batch, and only [`Gate::clear`] can make one. For a
//! production target the gate clears everything; for any other target it refuses a batch
//! that may still carry personal data.

use std::fmt;

use crate::batch::{Batch, Lineage};
use crate::error::{Error, ErrorKind};

/// A stage of the route to live. Only `Production` may hold personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Environment {
    Local,
    Build,
    Development,
    Test,
    Stage,
    Production,
}

impl Environment {
    pub const ALL: [Environment; 6] = [
        Environment::Local,
        Environment::Build,
        Environment::Development,
        Environment::Test,
        Environment::Stage,
        Environment::Production,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Environment::Local => "local",
            Environment::Build => "build",
            Environment::Development => "development",
            Environment::Test => "test",
            Environment::Stage => "stage",
            Environment::Production => "production",
        }
    }

    pub fn parse(s: &str) -> Option<Environment> {
        Environment::ALL.into_iter().find(|e| e.name() == s)
    }
}

/// Where a write goes, and which environment that is. A target that matches no declared
/// environment is treated as non-production (fail closed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// A path, `-` for standard output, or a database URL.
    pub location: String,
    /// `None` when nothing declared it: never production.
    pub environment: Option<Environment>,
}

impl Target {
    pub fn is_production(&self) -> bool {
        self.environment == Some(Environment::Production)
    }

    pub fn environment_name(&self) -> &'static str {
        self.environment.map_or("unknown (non-production)", Environment::name)
    }
}

/// A batch the gate let through for one target. Its only constructor is [`Gate::clear`].
pub struct Cleared {
    batch: Batch,
}

impl Cleared {
    pub fn batch(&self) -> &Batch {
        &self.batch
    }
}

/// Why the gate refused a batch. Names the table, column and reason; never a value.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub target: String,
    pub table: String,
    pub column: String,
    pub reason: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "refused: {} → {}: column `{}`: {}", self.table, self.target, self.column, self.reason)
    }
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Error {
        Error::new(ErrorKind::Refused, r.to_string())
    }
}

pub struct Gate {
    target: Target,
}

impl Gate {
    pub fn new(target: Target) -> Gate {
        Gate { target }
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Clears `batch` for this gate's target, or refuses it.
    ///
    /// Non-production targets take `synthetic` and `scrubbed` columns. An `input` column is
    /// refused: without a scan proving it clean, it may hold personal data.
    pub fn clear(&self, batch: Batch) -> Result<Cleared, Refusal> {
        if !self.target.is_production() {
            if let Some(col) = batch.columns.iter().find(|c| c.lineage == Lineage::Input) {
                return Err(Refusal {
                    target: self.target.location.clone(),
                    table: batch.table.to_string(),
                    column: col.name.to_string(),
                    reason: format!(
                        "input data (may hold personal data) cannot go to a {} target unscanned",
                        self.target.environment_name()
                    ),
                });
            }
        }
        Ok(Cleared { batch })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{Column, Values};
    use std::sync::Arc;

    fn batch(lineage: Lineage) -> Batch {
        Batch {
            table: Arc::from("t"),
            first_row: 0,
            rows: 1,
            columns: vec![Column::new(Arc::from("c"), lineage, Values::Int64(vec![1]), None)],
        }
    }

    fn target(env: Option<Environment>) -> Target {
        Target { location: "out/t.csv".into(), environment: env }
    }

    #[test]
    fn clears_synthetic_columns_for_a_test_target() {
        let gate = Gate::new(target(Some(Environment::Test)));
        assert!(gate.clear(batch(Lineage::Synthetic)).is_ok());
        assert!(gate.clear(batch(Lineage::Scrubbed)).is_ok());
    }

    #[test]
    fn refuses_input_columns_for_a_non_production_or_unknown_target() {
        for env in [None, Some(Environment::Test), Some(Environment::Stage)] {
            let r = Gate::new(target(env)).clear(batch(Lineage::Input)).err().expect("refused");
            assert_eq!(r.column, "c");
        }
    }

    #[test]
    fn clears_input_columns_for_production() {
        assert!(Gate::new(target(Some(Environment::Production))).clear(batch(Lineage::Input)).is_ok());
    }
}
