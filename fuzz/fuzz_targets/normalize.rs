#![no_main]
// The detector's normaliser: building the canonical, split and joined views of any text never
// panics, and every span a view points back to is a valid char-boundary slice of the input.

use libfuzzer_sys::fuzz_target;
use synthgate::detect::normalize::{self, View, Views};

fuzz_target!(|data: &[u8]| {
    let cell = String::from_utf8_lossy(data);
    let cell = cell.as_ref();
    let mut views = Views::default();
    let survey = normalize::survey(cell);
    let rewritten = normalize::canonical(cell, &mut views);
    if rewritten {
        check_spans(cell, &views.canonical);
    }
    let _ = normalize::may_split(cell);
    for from_canonical in [false, rewritten] {
        let parted = normalize::split(cell, &mut views, from_canonical);
        if parted.split {
            check_spans(cell, &views.split);
        }
        if parted.joined {
            check_spans(cell, &views.joined);
        }
    }
    let shown = normalize::display(cell, &mut views).to_string();
    assert!(!shown.bytes().any(|b| b.is_ascii_control()), "display keeps a control character");
    let _ = survey;
});

/// Every char of the view, and the whole view, maps to a slice of `cell`.
fn check_spans(cell: &str, view: &View) {
    let text = &view.text;
    for (i, c) in text.char_indices() {
        slice(cell, view.original(i, i + c.len_utf8()));
        slice(cell, view.original(i, i));
    }
    slice(cell, view.original(0, text.len()));
    slice(cell, view.original(text.len(), text.len()));
}

fn slice(cell: &str, (start, end): (usize, usize)) {
    assert!(start <= end && end <= cell.len(), "span {start}..{end} outside a cell of {} bytes", cell.len());
    assert!(cell.get(start..end).is_some(), "span {start}..{end} is not on char boundaries");
}
