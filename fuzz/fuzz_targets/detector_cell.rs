#![no_main]
// A full detector cell scan with the default rules: any text, in an ordinary column, a hinted
// one and a synthetic one, never panics, and every match is a char-boundary slice of the cell.
// The first byte picks the column; the rest is the cell.

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use synthgate::batch::Lineage;
use synthgate::detect::rule::RuleSet;
use synthgate::detect::scan::Detector;

fn detector() -> &'static Detector {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    DETECTOR.get_or_init(|| Detector::new(RuleSet::defaults().expect("the default rules load")))
}

const COLUMNS: [(&str, Lineage); 4] = [
    ("notes", Lineage::Input),
    ("card_number", Lineage::Input),
    ("email", Lineage::Synthetic),
    ("ssn", Lineage::Scrubbed),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let cell = String::from_utf8_lossy(rest);
    let det = detector();
    let (name, lineage) = COLUMNS[usize::from(pick) % COLUMNS.len()];
    let col = det.column(name, lineage);
    let mut hits = Vec::new();
    det.with_scratch(|scratch| det.scan_cell(&col, &cell, scratch, &mut hits));
    for (rule, m) in &hits {
        assert!(*rule < det.rules.rules.len(), "rule index {rule} out of range");
        assert!(
            m.start <= m.end && cell.get(m.start..m.end).is_some(),
            "match {}..{} is not a slice of the cell",
            m.start,
            m.end
        );
    }
    let _ = det.scan_name(&cell);
    let _ = det.shown(&cell);
});
