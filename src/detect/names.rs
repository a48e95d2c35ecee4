//! Names (placeholder).
