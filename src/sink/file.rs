//! Atomic outputs: a file is written under a hidden temporary name beside its target and renamed
//! into place only when every output of the run is complete; standard output is spooled to an
//! unnamed temporary file and streamed out at that same moment. Dropped uncommitted, both vanish.

use std::fs::File;
use std::io::{BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind};

/// A temporary file in `dir` that will be renamed to `name` there. It is created with the mode
/// a plain `create` would give (0666 less the umask, which the kernel applies), not tempfile's
/// private 0600: the finished file is an ordinary output.
pub(crate) fn temp_beside(dir: &Path, name: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let prefix = format!(".{name}.");
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix).suffix(".synthgate-tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    b.tempfile_in(dir)
}

/// Makes a file just created with the umask's mode private to its owner while it is written (a
/// half-written output is nobody else's business); returns the mode it takes when committed.
fn private_until_commit(file: &File) -> std::io::Result<std::fs::Permissions> {
    let mode = file.metadata()?.permissions();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(mode)
}

/// One output being written.
pub struct Staged {
    place: Place,
    writer: Option<BufWriter<File>>,
}

enum Place {
    File {
        temp: tempfile::NamedTempFile,
        path: PathBuf,
        /// Where the directory physically was when the file was created.
        dir: Option<PathBuf>,
        /// The mode the finished file takes (the umask's); private until then.
        mode: std::fs::Permissions,
    },
    /// Standard output cannot be taken back, so nothing reaches it before the commit.
    Stdout { spool: File },
}

const STDOUT: &str = "standard output";

impl Staged {
    /// Creates the temporary file in the target's directory (so the final rename is atomic).
    pub fn create(path: &Path) -> Result<Staged, Error> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = path.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        let temp = temp_beside(dir, &name).map_err(|e| Error::io("cannot create a file in", dir, e))?;
        let file = temp.as_file().try_clone().map_err(|e| Error::io("cannot open", temp.path(), e))?;
        let mode = private_until_commit(&file).map_err(|e| Error::io("cannot set the mode of", temp.path(), e))?;
        let physical = dir.canonicalize().ok();
        Ok(Staged {
            place: Place::File { temp, path: path.to_path_buf(), dir: physical, mode },
            writer: Some(BufWriter::with_capacity(1 << 20, file)),
        })
    }

    /// Spools standard output in the temporary directory (never at the target), in a file
    /// without a name: the system removes it when the process ends, however it ends.
    pub fn stdout() -> Result<Staged, Error> {
        let dir = std::env::temp_dir();
        let spool = tempfile::tempfile()
            .map_err(|e| Error::io("cannot create a spool file for standard output in", &dir, e))?;
        let file = spool.try_clone().map_err(|e| Error::io("cannot open a spool file in", &dir, e))?;
        Ok(Staged { place: Place::Stdout { spool }, writer: Some(BufWriter::with_capacity(1 << 20, file)) })
    }

    /// The final path; `-` for standard output.
    pub fn path(&self) -> &Path {
        match &self.place {
            Place::File { path, .. } => path,
            Place::Stdout { .. } => Path::new("-"),
        }
    }

    fn shown(&self) -> &Path {
        match &self.place {
            Place::File { path, .. } => path,
            Place::Stdout { .. } => Path::new(STDOUT),
        }
    }

    /// A second handle on the temporary file, for writers that manage their own buffering.
    pub fn file(&self) -> Result<File, Error> {
        let f = match &self.place {
            Place::File { temp, .. } => temp.as_file(),
            Place::Stdout { spool } => spool,
        };
        f.try_clone().map_err(|e| Error::io("cannot open a temporary file for", self.shown(), e))
    }

    pub fn write_all(&mut self, b: &[u8]) -> Result<(), Error> {
        let shown = match &self.place {
            Place::File { path, .. } => path.as_path(),
            Place::Stdout { .. } => Path::new(STDOUT),
        };
        let w = self.writer.as_mut().expect("writer present until finish");
        w.write_all(b).map_err(|e| Error::io("cannot write", shown, e))
    }

    /// Flushes buffered bytes; the output stays staged.
    pub fn finish(mut self) -> Result<Staged, Error> {
        if let Some(mut w) = self.writer.take() {
            w.flush().map_err(|e| Error::io("cannot write", self.shown(), e))?;
        }
        Ok(self)
    }

    /// The target was judged where its directory was when the file was created; a link
    /// swapped in since, leading elsewhere, would land the file in a place nobody judged.
    fn check(&self) -> Result<(), Error> {
        let Place::File { path, dir: Some(dir), .. } = &self.place else { return Ok(()) };
        let now = path.parent().map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p });
        if now.and_then(|d| d.canonicalize().ok()).as_ref() != Some(dir) {
            return Err(Error::new(
                ErrorKind::Io,
                format!("the directory of {} changed while it was written; nothing was committed", path.display()),
            ));
        }
        Ok(())
    }

    /// Moves the file into place, or streams the spool to standard output. A closed pipe
    /// (`| head`) is not a failure: the reader has what it wanted.
    fn commit(self) -> Result<PathBuf, Error> {
        match self.place {
            Place::File { temp, path, mode, .. } => {
                temp.as_file()
                    .set_permissions(mode)
                    .map_err(|e| Error::io("cannot set the mode of", temp.path(), e))?;
                temp.persist(&path).map_err(|e| Error::io("cannot move the finished file to", &path, e.error))?;
                Ok(path)
            }
            Place::Stdout { mut spool } => {
                let copied = spool.rewind().and_then(|()| {
                    let mut out = std::io::stdout().lock();
                    std::io::copy(&mut spool, &mut out)?;
                    out.flush()
                });
                match copied {
                    Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                        Err(Error::io("cannot write to", Path::new(STDOUT), e))
                    }
                    _ => Ok(PathBuf::from("-")),
                }
            }
        }
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

    /// Renames every staged file into place and streams standard output, last. Until this
    /// runs, no output path exists and nothing was printed.
    pub fn commit(self) -> Result<Vec<PathBuf>, Error> {
        for s in &self.files {
            s.check()?;
        }
        let (stdout, files): (Vec<Staged>, Vec<Staged>) =
            self.files.into_iter().partition(|s| matches!(s.place, Place::Stdout { .. }));
        files.into_iter().chain(stdout).map(Staged::commit).collect()
    }
}

/// Directories a run created for its outputs. Unless the run keeps them, they are removed
/// again when this is dropped (if still empty): a refusal leaves no new folder behind.
#[must_use = "dropping this removes the directories again"]
pub struct NewDirs {
    /// Deepest first.
    created: Vec<PathBuf>,
}

impl NewDirs {
    pub fn none() -> NewDirs {
        NewDirs { created: Vec::new() }
    }

    /// Creates `dir` and its missing parents.
    pub fn create(dir: &Path) -> Result<NewDirs, Error> {
        let mut d = NewDirs::none();
        d.add(dir)?;
        Ok(d)
    }

    /// Creates `dir` and its missing parents, remembering them with the others.
    pub fn add(&mut self, dir: &Path) -> Result<(), Error> {
        let missing: Vec<PathBuf> =
            dir.ancestors().take_while(|a| !a.as_os_str().is_empty() && !a.exists()).map(Path::to_path_buf).collect();
        std::fs::create_dir_all(dir).map_err(|e| Error::io("cannot create directory", dir, e))?;
        self.created.extend(missing);
        self.created.sort_by(|a, b| b.components().count().cmp(&a.components().count()).then(a.cmp(b)));
        self.created.dedup();
        Ok(())
    }

    /// The run succeeded: the directories stay.
    pub fn keep(mut self) {
        self.created.clear();
    }
}

impl Drop for NewDirs {
    fn drop(&mut self) {
        for dir in &self.created {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_swapped_for_a_link_while_writing_is_not_committed() {
        let d = tempfile::tempdir().unwrap();
        let (judged, elsewhere) = (d.path().join("judged"), d.path().join("elsewhere"));
        std::fs::create_dir(&judged).unwrap();
        std::fs::create_dir(&elsewhere).unwrap();
        let mut staged = Staged::create(&judged.join("x.csv")).unwrap();
        staged.write_all(b"a\n").unwrap();
        let mut staging = Staging::default();
        staging.add(staged.finish().unwrap());
        std::fs::rename(&judged, d.path().join("moved")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &judged).unwrap();
        let e = staging.commit().unwrap_err();
        assert!(e.message().contains("changed while it was written"), "{e}");
        assert!(!elsewhere.join("x.csv").exists());
    }

    #[test]
    fn a_staged_file_is_private_until_committed_then_takes_the_umask_mode() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        std::fs::File::create(d.path().join("plain")).unwrap();
        let staged = Staged::create(&d.path().join("x.csv")).unwrap();
        let Place::File { temp, .. } = &staged.place else { unreachable!() };
        assert_eq!(mode(temp.path()), 0o600);
        let mut staging = Staging::default();
        staging.add(staged.finish().unwrap());
        staging.commit().unwrap();
        assert_eq!(mode(&d.path().join("x.csv")), mode(&d.path().join("plain")));
    }

    #[test]
    fn new_directories_go_again_unless_kept() {
        let d = tempfile::tempdir().unwrap();
        let deep = d.path().join("a/b/c");
        drop(NewDirs::create(&deep).unwrap());
        assert!(!d.path().join("a").exists());
        NewDirs::create(&deep).unwrap().keep();
        assert!(deep.is_dir());
    }
}
