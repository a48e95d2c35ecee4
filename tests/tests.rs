//! One integration-test binary; each module opens with what belongs in it.

#[macro_use]
mod util;

mod test_controls;
mod test_db;
mod test_detect_quality;
mod test_determinism;
mod test_formats;
mod test_fuzz;
mod test_gate;
mod test_import;
mod test_lookalikes;
mod test_names;
mod test_relations;
mod test_rules;
mod test_scan;
mod test_schema_errors;
mod test_scrub;
mod test_sources;
mod test_targets;
mod test_trust;
mod test_writes;
