#![no_main]
// The CSV reader: any bytes under a `.csv` name are read to the end or refused with an error,
// never a panic. (Content is told by its bytes, so other readers are reached too.)

use libfuzzer_sys::fuzz_target;

#[path = "file_source.rs"]
mod file_source;

fuzz_target!(|data: &[u8]| {
    file_source::read_all("input.csv", data);
});
