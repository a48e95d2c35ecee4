//! Atomic files: written under a hidden temporary name beside the target, renamed into place
//! only when every output of the run is complete. Dropped uncommitted, they vanish.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// One output being written.
pub struct Staged {
    temp: tempfile::NamedTempFile,
    writer: Option<BufWriter<File>>,
    path: PathBuf,
}

impl Staged {
    /// Creates the temporary file in the target's directory (so the final rename is atomic).
    pub fn create(path: &Path) -> Result<Staged, Error> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = path.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".synthgate-tmp")
            .tempfile_in(dir)
            .map_err(|e| Error::io("cannot create a file in", dir, e))?;
        let file = temp.as_file().try_clone().map_err(|e| Error::io("cannot open", temp.path(), e))?;
        Ok(Staged { temp, writer: Some(BufWriter::with_capacity(1 << 20, file)), path: path.to_path_buf() })
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A second handle on the temporary file, for writers that manage their own buffering.
    pub fn file(&self) -> Result<File, Error> {
        self.temp.as_file().try_clone().map_err(|e| Error::io("cannot open", self.temp.path(), e))
    }

    pub fn write_all(&mut self, b: &[u8]) -> Result<(), Error> {
        let w = self.writer.as_mut().expect("writer present until finish");
        w.write_all(b).map_err(|e| Error::io("cannot write", &self.path, e))
    }

    /// Flushes buffered bytes; the file stays staged.
    pub fn finish(mut self) -> Result<Staged, Error> {
        if let Some(mut w) = self.writer.take() {
            w.flush().map_err(|e| Error::io("cannot write", &self.path, e))?;
        }
        Ok(self)
    }

    /// Moves the file into place.
    fn commit(self) -> Result<PathBuf, Error> {
        let path = self.path;
        self.temp.persist(&path).map_err(|e| Error::io("cannot move the finished file to", &path, e.error))?;
        Ok(path)
    }
}

/// The outputs of one run, committed together.
#[derive(Default)]
pub struct Staging {
    files: Vec<Staged>,
}

impl Staging {
    pub fn add(&mut self, s: Staged) {
        self.files.push(s);
    }

    /// Renames every staged file into place. Until this runs, no output path exists.
    pub fn commit(self) -> Result<Vec<PathBuf>, Error> {
        self.files.into_iter().map(Staged::commit).collect()
    }
}
