//! Scanning a whole file on the pipeline runner: a reader thread parses chunks while one
//! scanner per core takes whichever chunk is next; their results merge into one report. Every
//! row is scanned.

use std::path::Path;
use std::time::Instant;

use crate::batch::{Batch, Lineage};
use crate::error::Error;
use crate::pipeline::{Feed, Runner};
use crate::source::{self, Chunk};

use super::scan::{Allow, ScanAcc};
use super::{Detector, NameFinding, ScanReport};

/// Rows per chunk read from a file.
pub const CHUNK_ROWS: usize = 8_192;

/// Sets each column's lineage (from a manifest); without one, everything read is `input`.
pub fn relabel(batch: &mut Batch, lineage: &dyn Fn(&str) -> Lineage) {
    for c in &mut batch.columns {
        c.lineage = lineage(&c.name);
    }
}

/// Reads and scans every row of `path`.
pub fn scan_file(
    path: &Path,
    det: &Detector,
    lineage: &(dyn Fn(&str) -> Lineage + Sync),
    allow: Option<Allow<'_>>,
) -> Result<ScanReport, Error> {
    scan_source(path, source::open_values(path, CHUNK_ROWS)?, det, lineage, allow)
}

/// Scans every row of a source the caller opened (to keep a handle on what it reads, such as
/// its [`source::ReadDigest`]); `path` names it in the report.
pub fn scan_source(
    path: &Path,
    mut src: Box<dyn source::Source>,
    det: &Detector,
    lineage: &(dyn Fn(&str) -> Lineage + Sync),
    allow: Option<Allow<'_>>,
) -> Result<ScanReport, Error> {
    let started = Instant::now();
    let format = src.format().name().to_string();
    // The reader parses while every worker scans whatever chunk is next, into its own
    // accumulator; nothing is written, so the runner's ordered side only counts.
    let mut bytes = 0;
    let read = |send: &mut Feed<'_, Chunk, Error>| bytes = source::pump(src.as_mut(), send);
    let scan = |acc: &mut ScanAcc, mut chunk: Chunk| -> Result<(), Error> {
        relabel(&mut chunk.batch, lineage);
        acc.scan(det, &chunk.batch, allow);
        Ok(())
    };
    let accs = Runner::new().run(read, scan, |()| Ok(()))?;
    let mut acc = ScanAcc::default();
    for a in accs {
        acc.merge(det, a);
    }
    acc.bytes = bytes;
    Ok(ScanReport {
        // Names are data: a file name that holds personal data is reported masked.
        source: det.shown_path(&path.display().to_string()).into_owned(),
        format,
        rows: acc.rows,
        bytes: acc.bytes,
        columns: acc.summaries(det),
        name_findings: det
            .path_findings(&path.display().to_string())
            .into_iter()
            .map(|r| NameFinding {
                rule: det.rules.rules[r].id.to_string(),
                entity: det.rules.rules[r].entity.to_string(),
            })
            .collect(),
        seconds: started.elapsed().as_secs_f64(),
    })
}
