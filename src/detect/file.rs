//! Scanning a whole file: a reader thread parses chunks while one scanner per core takes
//! whichever chunk is next; their results merge into one report. Every row is scanned.

use std::path::Path;
use std::sync::mpsc::sync_channel;
use std::sync::Mutex;
use std::time::Instant;

use crate::batch::{Batch, Lineage};
use crate::error::Error;
use crate::source::{self, Chunk};

use super::scan::{Allow, ScanAcc};
use super::{Detector, ScanReport};

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
    let workers = rayon::current_num_threads().max(1);
    // The reader parses while every worker scans whatever chunk is next; the bounded channel
    // keeps memory flat when scanning is the slower side.
    let (tx, rx) = sync_channel::<Result<Chunk, Error>>(workers * 2);
    let rx = Mutex::new(rx);
    let acc = std::thread::scope(|s| -> Result<ScanAcc, Error> {
        let reader = s.spawn(move || source::pump(src.as_mut(), |c| tx.send(c).is_ok()));
        let rx = &rx;
        let scanners: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| -> Result<ScanAcc, Error> {
                    let mut acc = ScanAcc::default();
                    loop {
                        let next = rx.lock().expect("receiver lock").recv();
                        match next {
                            Ok(Ok(mut chunk)) => {
                                relabel(&mut chunk.batch, lineage);
                                acc.scan(det, &chunk.batch, allow);
                            }
                            Ok(Err(e)) => return Err(e),
                            Err(_) => return Ok(acc),
                        }
                    }
                })
            })
            .collect();
        let mut total = ScanAcc::default();
        let mut failed = None;
        for h in scanners {
            match h.join().unwrap_or_else(|_| Err(Error::new(crate::error::ErrorKind::Io, "a scanner thread failed"))) {
                Ok(acc) => total.merge(det, acc),
                Err(e) => failed = failed.or(Some(e)),
            }
        }
        let bytes = reader.join().map_err(|_| Error::new(crate::error::ErrorKind::Io, "the reader thread failed"))?;
        if let Some(e) = failed {
            return Err(e);
        }
        total.bytes = bytes;
        Ok(total)
    })?;
    Ok(ScanReport {
        // Names are data: a file name that holds personal data is reported masked.
        source: det.shown_path(&path.display().to_string()).into_owned(),
        format,
        rows: acc.rows,
        bytes: acc.bytes,
        columns: acc.summaries(det),
        seconds: started.elapsed().as_secs_f64(),
    })
}
