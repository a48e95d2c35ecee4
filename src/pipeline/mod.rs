//! The pipeline runner that carries every command: a reader thread pumps chunks in order, a pool
//! of workers turns each into an output (transform → gate → encode, a closure per command), and
//! the calling thread takes the outputs back in read order to hand them to a [`Sink`].
//! The first error or refusal stops all three, and [`Runner::into_sink`] rolls the sink back.
//! What the sinks finished goes to a [`Delivery`], which commits a run's outputs together and
//! records them (signed manifests, audit lines), or rolls them all back.

pub mod delivery;

pub use delivery::{Committed, Delivered, Delivery, Records};

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::sync::{Arc, Condvar, Mutex};

use crate::error::Error;
use crate::sink::{Encoded, Finished, Sink};

/// How many workers run, and the flag (Ctrl-C) that stops a run between chunks.
#[derive(Clone, Copy)]
pub struct Runner<'a> {
    workers: usize,
    cancel: Option<&'a AtomicBool>,
}

/// Hands the reader's items to the runner, in order; `false` means the run stopped and the
/// reader should too.
pub type Feed<'s, In, E> = dyn FnMut(Result<In, E>) -> bool + 's;

impl<'a> Runner<'a> {
    /// One worker per thread of the pool `--threads` sized.
    pub fn new() -> Runner<'a> {
        Runner { workers: rayon::current_num_threads().max(1), cancel: None }
    }

    pub fn workers(mut self, n: usize) -> Runner<'a> {
        self.workers = n.max(1);
        self
    }

    /// Stops the run between chunks once `flag` is set (the error is [`Error::interrupted`]).
    pub fn cancel_on(mut self, flag: &'a AtomicBool) -> Runner<'a> {
        self.cancel = Some(flag);
        self
    }

    fn cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::SeqCst))
    }

    /// Runs `read` on its own thread, `work` on every worker (each with its own state `St`,
    /// returned at the end for the caller to merge), and `write` here, in the order `read`
    /// produced the items. At most about two items per worker are in flight, whatever their
    /// size, so memory stays flat when one side is slower.
    pub fn run<In, Out, St, E>(
        &self,
        read: impl FnOnce(&mut Feed<'_, In, E>) + Send,
        work: impl Fn(&mut St, In) -> Result<Out, E> + Sync,
        mut write: impl FnMut(Out) -> Result<(), E>,
    ) -> Result<Vec<St>, E>
    where
        In: Send,
        Out: Send,
        St: Default + Send,
        E: Send + From<Error>,
    {
        let workers = self.workers;
        let window = (workers * 2) as u64;
        // How far the writer got: the reader waits rather than run more than a window ahead of
        // it, so a slow chunk cannot make the finished ones pile up behind it.
        let written = Window { next: Mutex::new(0), moved: Condvar::new() };
        std::thread::scope(|s| -> Result<Vec<St>, E> {
            let (tx, rx) = sync_channel::<(u64, Result<In, E>)>(workers * 2);
            let (out_tx, out_rx) = sync_channel::<(u64, Result<Out, E>)>(workers * 2);
            let (written, cancel) = (&written, self.cancel);
            s.spawn(move || {
                let mut seq = 0u64;
                read(&mut |item| {
                    if cancel.is_some_and(|c| c.load(Ordering::SeqCst)) || !written.wait_for(seq, window) {
                        return false;
                    }
                    let sent = tx.send((seq, item)).is_ok();
                    seq += 1;
                    sent
                });
            });
            // Workers own the receiver together: when the last one stops, the reader stops too.
            let rx = Arc::new(Mutex::new(rx));
            let work = &work;
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    let (rx, out_tx) = (Arc::clone(&rx), out_tx.clone());
                    s.spawn(move || {
                        let mut state = St::default();
                        loop {
                            let next = rx.lock().expect("receiver lock").recv();
                            let Ok((seq, item)) = next else { break };
                            let out = item.and_then(|i| work(&mut state, i));
                            let failed = out.is_err();
                            if out_tx.send((seq, out)).is_err() || failed {
                                break;
                            }
                        }
                        state
                    })
                })
                .collect();
            drop((rx, out_tx));
            let _stop = Stop(written);
            let mut pending: BTreeMap<u64, Out> = BTreeMap::new();
            let mut next = 0u64;
            for (seq, out) in out_rx.iter() {
                if self.cancelled() {
                    return Err(Error::interrupted().into());
                }
                pending.insert(seq, out?);
                while let Some(out) = pending.remove(&next) {
                    next += 1;
                    write(out)?;
                    written.advance(next);
                }
            }
            if self.cancelled() {
                return Err(Error::interrupted().into());
            }
            Ok(handles.into_iter().map(|h| h.join().expect("a pipeline worker panicked")).collect())
        })
    }

    /// [`Runner::run`] into a sink: each output is encoded by `work` and `record`ed here (what a
    /// chunk says about its columns) before it is written, in order. The sink is finished (its
    /// output staged) when every chunk went through, and rolled back at the first error.
    pub fn into_sink<In, Out, St, E>(
        &self,
        mut sink: Box<dyn Sink>,
        read: impl FnOnce(&mut Feed<'_, In, E>) + Send,
        work: impl Fn(&mut St, In) -> Result<Out, E> + Sync,
        mut record: impl FnMut(Out) -> Result<Encoded, E>,
    ) -> Result<(Finished, Vec<St>), E>
    where
        In: Send,
        Out: Send,
        St: Default + Send,
        E: Send + From<Error>,
    {
        let states = self.run(read, work, |out| {
            let chunk = record(out)?;
            sink.write(chunk).map_err(E::from)
        });
        match states {
            Ok(states) => Ok((sink.finish()?, states)),
            Err(e) => {
                sink.roll_back();
                Err(e)
            }
        }
    }
}

impl Default for Runner<'_> {
    fn default() -> Self {
        Runner::new()
    }
}

/// The writer's position, for the reader to wait on.
struct Window {
    /// Items written so far; `u64::MAX` once the writer stopped.
    next: Mutex<u64>,
    moved: Condvar,
}

impl Window {
    /// Waits until item `seq` is within `window` of the writer; `false` if the writer stopped.
    fn wait_for(&self, seq: u64, window: u64) -> bool {
        let mut next = self.next.lock().expect("window lock");
        while *next != u64::MAX && seq >= *next + window * 2 {
            next = self.moved.wait(next).expect("window lock");
        }
        *next != u64::MAX
    }

    fn advance(&self, to: u64) {
        let mut next = self.next.lock().expect("window lock");
        if *next != u64::MAX {
            *next = to;
        }
        self.moved.notify_all();
    }
}

/// Tells the reader the writer stopped, however it stopped (done, an error, a refusal).
struct Stop<'w>(&'w Window);

impl Drop for Stop<'_> {
    fn drop(&mut self) {
        let mut next = self.0.next.lock().unwrap_or_else(|e| e.into_inner());
        *next = u64::MAX;
        self.0.moved.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(n: u64) -> impl FnOnce(&mut Feed<'_, u64, Error>) + Send {
        move |send| {
            for i in 0..n {
                if !send(Ok(i)) {
                    return;
                }
            }
        }
    }

    #[test]
    fn outputs_arrive_in_read_order_whatever_the_workers() {
        for workers in [1, 2, 7] {
            let mut seen = Vec::new();
            let states: Vec<u64> = Runner::new()
                .workers(workers)
                .run(
                    numbers(1000),
                    |count: &mut u64, i| {
                        *count += 1;
                        Ok::<_, Error>(i * 2)
                    },
                    |o| {
                        seen.push(o);
                        Ok(())
                    },
                )
                .unwrap();
            assert_eq!(seen, (0..1000).map(|i| i * 2).collect::<Vec<_>>());
            assert_eq!(states.iter().sum::<u64>(), 1000);
        }
    }

    #[test]
    fn the_first_error_stops_the_run_and_nothing_after_it_is_written() {
        let mut seen = Vec::new();
        let r = Runner::new().workers(3).run(
            numbers(u64::MAX),
            |_: &mut (), i| if i == 50 { Err(Error::usage("fifty")) } else { Ok(i) },
            |o| {
                seen.push(o);
                Ok(())
            },
        );
        assert_eq!(r.unwrap_err().message(), "fifty");
        assert!(seen.iter().all(|&i| i < 50), "{seen:?}");
    }

    #[test]
    fn a_reader_error_stops_the_run() {
        let r = Runner::new().workers(2).run(
            |send: &mut Feed<'_, u64, Error>| {
                send(Ok(1));
                send(Err(Error::usage("unreadable")));
            },
            |_: &mut (), i| Ok::<_, Error>(i),
            |_| Ok(()),
        );
        assert_eq!(r.unwrap_err().message(), "unreadable");
    }

    #[test]
    fn a_cancelled_run_stops_between_chunks() {
        let flag = AtomicBool::new(false);
        let r = Runner::new().workers(2).cancel_on(&flag).run(
            numbers(u64::MAX),
            |_: &mut (), i| Ok::<_, Error>(i),
            |i| {
                if i == 10 {
                    flag.store(true, Ordering::SeqCst);
                }
                Ok(())
            },
        );
        assert_eq!(r.unwrap_err().kind(), Error::interrupted().kind());
    }
}
