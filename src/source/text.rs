//! Plain text: a file that is text but no data format (notes, `.env`, backups, logs) is judged
//! line by line — one column, `line`, one cell per line — so that no byte under a folder goes
//! unread. Chunks keep the exact lines they hold, line ends included.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::batch::Batch;
use crate::error::Error;

use super::{sniff, table_name, Chunk, Input, Source, SourceFormat, State, TextColumn};

/// The one column a text file has.
pub const LINE_COLUMN: &str = "line";

pub(super) struct TextSource {
    path: PathBuf,
    table: Arc<str>,
    reader: BufReader<Input>,
    raw: Vec<u8>,
    name: Arc<str>,
    names: Vec<String>,
    col: TextColumn,
    rows: usize,
    rows_per_chunk: usize,
    first_row: u64,
    line_no: u64,
    state: State,
    disk: Arc<AtomicU64>,
}

impl TextSource {
    pub(super) fn new(path: &Path, input: Input, disk: Arc<AtomicU64>, rows_per_chunk: usize) -> TextSource {
        TextSource {
            path: path.to_path_buf(),
            table: table_name(path),
            reader: BufReader::with_capacity(1 << 18, input),
            raw: Vec::new(),
            name: LINE_COLUMN.into(),
            names: vec![LINE_COLUMN.to_string()],
            col: TextColumn::default(),
            rows: 0,
            rows_per_chunk,
            first_row: 0,
            line_no: 0,
            state: State::Reading,
            disk,
        }
    }

    fn cut(&mut self) -> Chunk {
        let raw = std::mem::take(&mut self.raw);
        let batch = Batch {
            table: Arc::clone(&self.table),
            first_row: self.first_row,
            rows: self.rows,
            columns: vec![self.col.take(&self.name)],
        };
        self.first_row += self.rows as u64;
        self.rows = 0;
        Chunk { batch, raw }
    }

    fn read_chunk(&mut self) -> Result<Option<Chunk>, Error> {
        loop {
            let start = self.raw.len();
            let n = self.reader.read_until(b'\n', &mut self.raw).map_err(|e| sniff::read_error(&self.path, e))?;
            if n == 0 {
                self.state = State::Done;
                if self.rows == 0 && self.raw.is_empty() {
                    return Ok(None);
                }
                return Ok(Some(self.cut()));
            }
            self.line_no += 1;
            let mut line = &self.raw[start..];
            if self.line_no == 1 {
                line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
            }
            let line = line.strip_suffix(b"\n").unwrap_or(line);
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            // The decoder hands on checked UTF-8 only, and a line ends at an ASCII byte.
            self.col.push_bytes(line);
            self.rows += 1;
            if self.rows == self.rows_per_chunk {
                return Ok(Some(self.cut()));
            }
        }
    }
}

impl Source for TextSource {
    fn next_chunk(&mut self) -> Result<Option<Chunk>, Error> {
        if !self.state.ready(&self.path)? {
            return Ok(None);
        }
        let r = self.read_chunk();
        self.state.after(r)
    }

    fn format(&self) -> SourceFormat {
        SourceFormat::Text
    }

    fn columns(&self) -> &[String] {
        &self.names
    }

    fn bytes_read(&self) -> u64 {
        self.disk.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::Scalar;
    use crate::source::testutil::{read_all, write};

    #[test]
    fn one_cell_per_line_and_raw_lines_concatenate_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let text = b"\xEF\xBB\xBFfirst line\r\n\nthird, with a comma\nlast";
        let p = write(&dir, "notes.txt", text);
        for rows in [1, 2, 10] {
            let (chunks, cols) = read_all(&p, rows, SourceFormat::Text);
            assert_eq!(cols, [LINE_COLUMN]);
            let raw: Vec<u8> = chunks.iter().flat_map(|c| c.raw.iter().copied()).collect();
            assert_eq!(raw, text);
            let cells: Vec<Option<String>> = chunks
                .iter()
                .flat_map(|c| {
                    let col = &c.batch.columns[0];
                    (0..col.len()).map(|i| match col.get(i) {
                        Scalar::Str(s) => Some(s.to_string()),
                        _ => None,
                    })
                })
                .collect();
            let want = [Some("first line"), None, Some("third, with a comma"), Some("last")];
            assert_eq!(cells, want.map(|s| s.map(String::from)), "rows {rows}");
        }
    }
}
