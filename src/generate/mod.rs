//! generate: schema-driven synthetic data, deterministic from a seed, streamed in batches.
//!
//! `schema::compile` builds a [`plan::Plan`]; [`engine::Runtime`] lays out row indexes and
//! fills batches; [`run`] streams them in parallel, in order, through the gate to a sink.

pub mod column;
pub mod engine;
pub mod gen;
pub mod locale;
pub mod permute;
pub mod plan;
pub mod rng;
mod run;

pub use run::{run_table, TableReport};
