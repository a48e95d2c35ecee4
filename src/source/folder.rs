//! A folder is judged whole: every regular file below it, hidden ones included, is a file to
//! read; what cannot be read at all (a broken link, a FIFO, a folder that cannot be listed) is
//! listed so that the command refuses instead of skipping it. Only an explicit `--exclude` glob
//! leaves a file out, and every file left out is listed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::Error;

/// `--exclude` globs, matched against paths relative to the folder given (`*` crosses `/`, so
/// `*.bz2` names such files at any depth; `logs/**` or `logs` a whole sub-folder).
#[derive(Default)]
pub struct Exclude {
    set: GlobSet,
    globs: Vec<String>,
}

impl Exclude {
    pub fn new(globs: &[String]) -> Result<Exclude, Error> {
        let mut b = GlobSetBuilder::new();
        for g in globs {
            let glob = Glob::new(g).map_err(|e| Error::usage(format!("--exclude {g}: not a valid glob: {e}")))?;
            b.add(glob);
        }
        let set = b.build().map_err(|e| Error::usage(format!("--exclude: {e}")))?;
        Ok(Exclude { set, globs: globs.to_vec() })
    }

    /// The glob that names `rel`, if one does.
    fn naming(&self, rel: &Path) -> Option<&str> {
        self.set.matches(rel).first().map(|&i| self.globs[i].as_str())
    }
}

/// What a folder holds, each list sorted.
#[derive(Debug, Default)]
pub struct Folder {
    /// Every file to read: regular files, and links to them.
    pub files: Vec<PathBuf>,
    /// Files and folders left out, with why (the glob that named them, or synthgate's own
    /// staging file).
    pub excluded: Vec<(PathBuf, String)>,
    /// What is there but cannot be read at all, with why.
    pub unreadable: Vec<(PathBuf, String)>,
}

/// Every file below `dir`. Links to folders are followed once each (no cycles). synthgate's
/// staging files (`*.synthgate-tmp`) are listed as excluded; its manifests are files like any
/// other. A `dir` that is not a folder is an error.
pub fn walk(dir: &Path, exclude: &Exclude) -> Result<Folder, Error> {
    let meta = std::fs::metadata(dir).map_err(|e| Error::io("cannot read", dir, e))?;
    if !meta.is_dir() {
        return Err(Error::usage(format!("{} is not a folder", dir.display())));
    }
    let mut out = Folder::default();
    let mut seen = HashSet::new();
    if let Ok(real) = std::fs::canonicalize(dir) {
        seen.insert(real);
    }
    walk_into(dir, dir, exclude, &mut seen, &mut out);
    out.files.sort();
    out.excluded.sort();
    out.unreadable.sort();
    Ok(out)
}

fn walk_into(root: &Path, dir: &Path, exclude: &Exclude, seen: &mut HashSet<PathBuf>, out: &mut Folder) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.unreadable.push((dir.to_path_buf(), format!("the folder cannot be listed: {e}")));
            return;
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                out.unreadable.push((dir.to_path_buf(), format!("the folder cannot be listed: {e}")));
                return;
            }
        };
        let path = entry.path();
        let rel = path.strip_prefix(root).unwrap_or(&path);
        if let Some(glob) = exclude.naming(rel) {
            out.excluded.push((path, format!("--exclude {glob}")));
            continue;
        }
        if is_staging(&entry.file_name().to_string_lossy()) {
            out.excluded.push((path, "a synthgate staging file".to_string()));
            continue;
        }
        // `metadata` follows links: what matters is what reading the path would meet.
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) => {
                let link = entry.file_type().is_ok_and(|t| t.is_symlink());
                let why = if link { format!("a broken symbolic link ({e})") } else { e.to_string() };
                out.unreadable.push((path, why));
                continue;
            }
        };
        if meta.is_dir() {
            let first_visit = std::fs::canonicalize(&path).map(|real| seen.insert(real)).unwrap_or(true);
            if first_visit {
                walk_into(root, &path, exclude, seen, out);
            }
        } else if meta.is_file() {
            out.files.push(path);
        } else {
            out.unreadable.push((path, "not a regular file (a FIFO, socket or device)".to_string()));
        }
    }
}

/// A file synthgate stages before committing it; never data of its own.
fn is_staging(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".synthgate-tmp")
}

/// A manifest synthgate wrote (`synthgate.manifest.json`, `*.synthgate.json`). Judged as text by
/// the gate; a command that rewrites data files leaves them out.
pub fn is_synthgate_manifest(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    name.ends_with(".synthgate.json") || name == crate::manifest::MANIFEST_FILE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(d: &Path, paths: &[PathBuf]) -> Vec<String> {
        paths.iter().map(|p| p.strip_prefix(d).unwrap().to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn walk_finds_every_file_hidden_ones_included_and_lists_what_it_leaves_out() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("sub/deeper")).unwrap();
        std::fs::create_dir_all(d.join(".git")).unwrap();
        std::fs::create_dir_all(d.join("logs")).unwrap();
        for f in [
            "b.csv",
            "sub/deeper/d.tsv",
            "notes.txt",
            ".hidden.csv",
            ".git/e.csv",
            "synthgate.manifest.json",
            "x.bz2",
            "logs/a.log",
            "y.csv.synthgate-tmp",
        ] {
            std::fs::write(d.join(f), b"").unwrap();
        }
        let folder = walk(d, &Exclude::new(&["*.bz2".into(), "logs".into()]).unwrap()).unwrap();
        assert_eq!(
            rel(d, &folder.files),
            [".git/e.csv", ".hidden.csv", "b.csv", "notes.txt", "sub/deeper/d.tsv", "synthgate.manifest.json"]
        );
        let excluded: Vec<(String, String)> = folder
            .excluded
            .iter()
            .map(|(p, why)| (p.strip_prefix(d).unwrap().to_string_lossy().into_owned(), why.clone()))
            .collect();
        assert_eq!(
            excluded,
            [
                ("logs".to_string(), "--exclude logs".to_string()),
                ("x.bz2".to_string(), "--exclude *.bz2".to_string()),
                ("y.csv.synthgate-tmp".to_string(), "a synthgate staging file".to_string()),
            ]
        );
        assert!(folder.unreadable.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn broken_links_are_unreadable_and_folder_links_are_followed_once() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("real")).unwrap();
        std::fs::write(d.join("real/a.csv"), b"a\n").unwrap();
        std::os::unix::fs::symlink(d.join("real"), d.join("again")).unwrap();
        std::os::unix::fs::symlink(d, d.join("real/loop")).unwrap();
        std::os::unix::fs::symlink(d.join("gone.csv"), d.join("broken.csv")).unwrap();
        let fifo = std::process::Command::new("mkfifo").arg(d.join("pipe")).status().unwrap();
        assert!(fifo.success());
        let folder = walk(d, &Exclude::default()).unwrap();
        assert_eq!(folder.files.len(), 1, "{folder:?}");
        let unreadable = rel(d, &folder.unreadable.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>());
        assert_eq!(unreadable, ["broken.csv", "pipe"]);
        assert!(folder.unreadable[0].1.contains("broken symbolic link"));
        assert!(folder.unreadable[1].1.contains("not a regular file"));
        // Reading a FIFO would block: `open` refuses it up front.
        assert_eq!(crate::source::open(&d.join("pipe"), 10).err().unwrap().kind(), crate::error::ErrorKind::Config);
    }

    #[test]
    fn walk_of_a_file_or_missing_folder_is_an_error_and_bad_globs_are_usage_errors() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("a.csv");
        std::fs::write(&f, b"a\n").unwrap();
        let none = Exclude::default();
        assert_eq!(walk(&f, &none).unwrap_err().kind(), crate::error::ErrorKind::Usage);
        assert_eq!(walk(&dir.path().join("nope"), &none).unwrap_err().kind(), crate::error::ErrorKind::Io);
        assert_eq!(Exclude::new(&["a[".into()]).err().unwrap().kind(), crate::error::ErrorKind::Usage);
    }
}
