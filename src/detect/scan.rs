//! Scan (placeholder).
pub struct Detector;
