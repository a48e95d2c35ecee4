//! synthgate keeps personal data where it belongs.
//!
//! Every command runs one pipeline ([`pipeline::Runner`]): a **source** ([`source`], or a
//! generator) yields [`batch::Batch`]es whose columns carry their lineage → **transforms**
//! ([`transform`], the scrub policy) rewrite them → the **gate** ([`gate::Gate`]) scans each batch
//! and alone makes a [`gate::Cleared`] one → a **sink** ([`sink::Sink`], sealed) takes only
//! chunks encoded from cleared batches, stages them, and commits atomically or rolls back.

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
