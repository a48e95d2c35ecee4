//! Column generators, one module per family.

pub mod identifier;
pub mod numeric;
pub mod person;
pub mod relation;
pub mod temporal;
pub mod text;
