//! Streaming one table: batches are filled, gated and encoded in parallel, a window at a
//! time, and appended in order by a writer thread while the next window is being made.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use rayon::prelude::*;

use crate::batch::{Column, Lineage, Values};
use crate::error::Error;
use crate::gate::Gate;
use crate::sink::{self, Destination, Encoder, Finished};

use super::engine::Runtime;

/// What one table's run wrote.
#[derive(Debug, Clone)]
pub struct TableReport {
    pub table: String,
    pub rows: u64,
    pub bytes: u64,
    pub seconds: f64,
}

/// Generates units `units` of table `t` into `dest`. `progress` is told of rows as they are
/// written; `cancel` stops the run between windows (nothing is committed then).
#[allow(clippy::too_many_arguments)]
pub fn run_table(
    rt: &Runtime<'_>,
    t: usize,
    units: Range<u64>,
    gate: &Gate,
    encoder: &Encoder,
    dest: &Destination,
    progress: &(dyn Fn(u64) + Sync),
    cancel: &AtomicBool,
) -> Result<(Finished, TableReport), Error> {
    let started = Instant::now();
    let table = &rt.plan.tables[t];
    let schema: Vec<Column> = table
        .columns
        .iter()
        .map(|c| Column::new(c.name.clone(), Lineage::Synthetic, Values::with_capacity(c.dtype, 0), None))
        .collect();
    let mut writer = sink::open(dest, encoder, &schema)?;
    let window = (rayon::current_num_threads() * 2).max(2) as u64;

    let finished = std::thread::scope(|s| -> Result<Finished, Error> {
        // `None` says every batch was cleared and sent: only then is the output finished. A
        // channel that closes without it (a refusal, an error) drops the writer unfinished.
        let (tx, rx) = sync_channel::<Option<sink::Encoded>>(window as usize);
        let handle = s.spawn(move || -> Result<Option<Finished>, Error> {
            for chunk in rx {
                let Some(chunk) = chunk else { return writer.finish().map(Some) };
                let rows = chunk.rows() as u64;
                writer.write(chunk)?;
                progress(rows);
            }
            Ok(None)
        });
        let mut start = units.start;
        let produced = (|| -> Result<(), Error> {
            while start < units.end {
                if cancel.load(Ordering::Relaxed) {
                    return Err(Error::interrupted());
                }
                let end = (start + window).min(units.end);
                let chunks: Vec<Result<sink::Encoded, Error>> = (start..end)
                    .into_par_iter()
                    .map(|u| {
                        let cleared = gate.clear(rt.batch(t, u))?;
                        encoder.encode(&cleared)
                    })
                    .collect();
                for chunk in chunks {
                    if tx.send(Some(chunk?)).is_err() {
                        // The writer stopped: its error is the one to report.
                        return Ok(());
                    }
                }
                start = end;
            }
            let _ = tx.send(None);
            Ok(())
        })();
        drop(tx);
        let written =
            handle.join().unwrap_or_else(|_| Err(Error::new(crate::error::ErrorKind::Io, "the writer thread failed")));
        produced?;
        written?.ok_or_else(|| Error::new(crate::error::ErrorKind::Io, "the writer stopped before the end"))
    })?;
    if cancel.load(Ordering::Relaxed) {
        return Err(Error::interrupted());
    }
    let report = TableReport {
        table: table.name.to_string(),
        rows: finished.rows,
        bytes: finished.bytes,
        seconds: started.elapsed().as_secs_f64(),
    };
    Ok((finished, report))
}
