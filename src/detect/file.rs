//! Scanning a whole file: a reader thread parses chunks while the other cores scan them;
//! per-chunk results merge into one report. Every row is scanned.

use std::path::Path;
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use rayon::prelude::*;

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
    let started = Instant::now();
    let mut src = source::open(path, CHUNK_ROWS)?;
    let format = src.format().name().to_string();
    let window = rayon::current_num_threads().max(1) * 2;
    let acc = std::thread::scope(|s| -> Result<ScanAcc, Error> {
        let (tx, rx) = sync_channel::<Result<Chunk, Error>>(window);
        let reader = s.spawn(move || -> u64 {
            loop {
                match src.next_chunk() {
                    Ok(Some(chunk)) => {
                        if tx.send(Ok(chunk)).is_err() {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        break;
                    }
                }
            }
            src.bytes_read()
        });
        let mut total = ScanAcc::default();
        let mut group: Vec<Batch> = Vec::with_capacity(window);
        let mut failed = None;
        let flush = |group: &mut Vec<Batch>, total: &mut ScanAcc| {
            let parts: Vec<ScanAcc> = group
                .par_iter()
                .map(|b| {
                    let mut a = ScanAcc::default();
                    a.scan(det, b, allow);
                    a
                })
                .collect();
            for p in parts {
                total.merge(det, p);
            }
            group.clear();
        };
        for chunk in rx.iter() {
            match chunk {
                Ok(mut c) => {
                    relabel(&mut c.batch, lineage);
                    group.push(c.batch);
                    if group.len() == window {
                        flush(&mut group, &mut total);
                    }
                }
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        flush(&mut group, &mut total);
        drop(rx);
        let bytes = reader.join().map_err(|_| Error::new(crate::error::ErrorKind::Io, "the reader thread failed"))?;
        if let Some(e) = failed {
            return Err(e);
        }
        total.bytes = bytes;
        Ok(total)
    })?;
    Ok(ScanReport {
        source: path.display().to_string(),
        format,
        rows: acc.rows,
        bytes: acc.bytes,
        columns: acc.summaries(det),
        seconds: started.elapsed().as_secs_f64(),
    })
}
