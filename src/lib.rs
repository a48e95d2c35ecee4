//! synthgate keeps personal data where it belongs.
//!
//! Data moves through one pipeline: a **source** (a file, a database, or a generator) yields
//! [`batch::Batch`]es whose columns carry their lineage; **transforms** rewrite them (the scrub
//! policy); the **gate** scans each batch and decides whether it may reach the target; a
//! **sink** writes only what the gate cleared ([`gate::Cleared`]), into a temporary place that
//! is committed atomically at the end. No path reaches a sink except through the gate.

pub mod allowlist;
pub mod audit;
pub mod batch;
pub mod checkdigit;
pub mod detect;
pub mod env;
pub mod error;
pub mod gate;
pub mod generate;
pub mod manifest;
pub mod pipeline;
pub mod report;
pub mod reserved;
pub mod schema;
pub mod sink;
pub mod source;
pub mod target;
pub mod temporal;
pub mod toml_cursor;
pub mod transform;
