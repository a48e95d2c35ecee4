//! Schema files: declarative TOML that `compile` turns into a checked generation [`Plan`].
//!
//! Errors name the file, line and key path, and say what would have been valid.
//!
//! [`Plan`]: crate::generate::plan::Plan

mod compile;
mod generators;
pub mod import;
mod tables;
mod value;

pub use compile::{compile_file, compile_str, is_identifier, Options, GENERATORS};
pub use generators::regex_generates;

/// Example schemas shipped inside the binary: (name, TOML text).
pub const EXAMPLES: &[(&str, &str)] = &[
    ("ecommerce", include_str!("../../schemas/ecommerce.toml")),
    ("healthcare", include_str!("../../schemas/healthcare.toml")),
    ("banking", include_str!("../../schemas/banking.toml")),
];

/// A built-in example by name.
pub fn example(name: &str) -> Option<(&'static str, &'static str)> {
    EXAMPLES.iter().find(|e| e.0 == name).copied()
}
