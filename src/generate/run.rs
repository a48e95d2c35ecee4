//! Streaming one table on the pipeline runner: batches are filled, gated and encoded in
//! parallel and handed to the sink in order, a bounded number in flight.

use std::ops::Range;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use crate::batch::{Column, Lineage, Values};
use crate::error::Error;
use crate::gate::Gate;
use crate::pipeline::{Feed, Runner};
use crate::sink::{self, Destination, Encoded, Encoder, Finished};

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
/// written; `cancel` stops the run between chunks (nothing is committed then).
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
    let sink = sink::stage(dest, encoder, &gate.clear_names(&table.name, schema)?)?;
    // The reader only counts units: the workers fill, gate and encode whichever is next.
    let read = |send: &mut Feed<'_, u64, Error>| {
        for u in units {
            if !send(Ok(u)) {
                return;
            }
        }
    };
    let fill = |_: &mut (), u: u64| -> Result<Encoded, Error> { encoder.encode(&gate.clear(rt.batch(t, u))?) };
    let (finished, _) = Runner::new().cancel_on(cancel).into_sink(sink, read, fill, |chunk: Encoded| {
        progress(chunk.rows() as u64);
        Ok(chunk)
    })?;
    let report = TableReport {
        table: table.name.to_string(),
        rows: finished.rows,
        bytes: finished.bytes,
        seconds: started.elapsed().as_secs_f64(),
    };
    Ok((finished, report))
}
