//! `synthgate schema import`: a database's own schema — read from its catalogue or from a DDL
//! file — turned into a synthgate schema whose data loads back with no constraint violated.
//!
//! [`model`] is what was read, [`check`] reads check constraints, [`types`] declared types,
//! and [`map`] writes the TOML; [`merge`] keeps a user's edits when importing again.

pub mod check;
pub mod ddl;
pub mod map;
pub mod merge;
pub mod model;
pub mod types;

pub use map::{map, Imported, MapOptions, Note};
pub use model::{DbSchema, Dialect};
