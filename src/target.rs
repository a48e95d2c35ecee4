//! Where a write goes, read once from the command line: a local path, standard output (`-`), or
//! a URL whose scheme synthgate knows. Local paths are resolved (symbolic links of the parts that
//! exist, then `..`) here, so that the environments file judges the place the bytes will land.

use std::fmt;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;

/// A target as the command line names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// `-`.
    Stdout,
    /// A local path, made absolute against the current directory but not yet resolved (see
    /// [`resolve_dir`], [`resolve_file`]): whether it names a file or a directory is the
    /// command's to say.
    Path(PathBuf),
    /// `postgres://`, `mysql://`, `sqlite://`.
    Database(DatabaseUrl),
}

/// A database URL. It may hold a password, so it shows itself only redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    /// Lower case, as written (`postgresql` stays `postgresql`).
    pub scheme: String,
    url: String,
}

impl DatabaseUrl {
    /// The URL as given, credentials included: only for a driver, never for a message.
    pub fn connection_string(&self) -> &str {
        &self.url
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::env::redact(&self.url))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({self})")
    }
}

const DATABASE_SCHEMES: [&str; 6] = ["postgres", "postgresql", "mysql", "mariadb", "sqlite", "sqlite3"];

impl Location {
    /// Reads a target. Text that starts like a URL (`scheme:`) is a URL, never a local folder
    /// called `s3:`; a local file whose name holds a colon is written `./name:x`. `file:` URLs
    /// are local paths (percent-decoded). Any other scheme is a usage error naming it.
    pub fn parse(text: &str) -> Result<Location, Error> {
        if text == "-" {
            return Ok(Location::Stdout);
        }
        if text.is_empty() {
            return Err(Error::usage("the target is empty; give a path, `-` for standard output, or a URL"));
        }
        if text.contains('\0') {
            return Err(Error::usage("the target holds a NUL byte"));
        }
        let first = text.split('/').next().unwrap_or("");
        if let Some((scheme, _)) = first.split_once(':') {
            let lower = scheme.to_ascii_lowercase();
            if !is_scheme(scheme) {
                let first = crate::env::redact(first);
                return Err(Error::usage(format!(
                    "`{first}` looks like a remote location (host:path), which synthgate cannot write to; for a \
                     local file whose name holds a colon, write ./{first}"
                )));
            }
            if lower == "file" {
                return file_url(text).map(Location::Path);
            }
            if DATABASE_SCHEMES.contains(&lower.as_str()) {
                return Ok(Location::Database(DatabaseUrl { scheme: lower, url: text.to_string() }));
            }
            return Err(Error::usage(format!(
                "`{lower}:` targets are not supported: synthgate writes to local paths, `-` (standard output) and, \
                 postgres://, mysql:// and sqlite:// URLs; nothing was written (for a local file whose \
                 name starts with `{scheme}:`, write ./{scheme}:…)"
            )));
        }
        if text.contains("://") {
            // `out/s3://bucket/x`: a URL pasted after a folder, not a place anyone means to write.
            return Err(Error::usage(format!(
                "`{}` holds a URL (`://`) inside a path; give the URL alone, or a local path",
                crate::env::redact(text)
            )));
        }
        Ok(Location::Path(absolute(Path::new(text))))
    }

    /// How messages show this target: a path, `-`, or a URL without its credentials.
    pub fn shown(&self) -> String {
        match self {
            Location::Stdout => "-".to_string(),
            Location::Path(p) => p.display().to_string(),
            Location::Database(d) => d.to_string(),
        }
    }
}

/// Where a command writes: a local path, standard output, or a database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    Stdout,
    /// Absolute, not yet resolved (see [`resolve_dir`], [`resolve_file`]).
    Path(PathBuf),
    /// `postgres://`, `mysql://`, `sqlite://` (see [`crate::sink::db`]).
    Database(DatabaseUrl),
}

impl Output {
    /// [`Location::parse`].
    pub fn parse(text: &str) -> Result<Output, Error> {
        match Location::parse(text)? {
            Location::Stdout => Ok(Output::Stdout),
            Location::Path(p) => Ok(Output::Path(p)),
            Location::Database(d) => Ok(Output::Database(d)),
        }
    }

    /// The error of a command that writes files only, given a database.
    pub fn files_only(command: &str, d: &DatabaseUrl) -> Error {
        Error::usage(format!(
            "{command} writes files or standard output, not databases yet ({d}); nothing was written. \
             `generate` loads databases"
        ))
    }
}

fn is_scheme(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `file:///abs/path`, `file://localhost/abs/path` or `file:/abs/path`, percent-decoded. A
/// remote host, a relative path, a query, a fragment, or an escaped `/` or NUL is refused
/// rather than guessed at.
fn file_url(text: &str) -> Result<PathBuf, Error> {
    let bad = |why: &str| {
        Error::usage(format!(
            "`{}` is not a local file URL: {why}; write file:///absolute/path or the path itself",
            crate::env::redact(text)
        ))
    };
    let rest = &text["file:".len()..];
    if rest.contains(['?', '#']) {
        return Err(bad("a query or fragment has no meaning for a file"));
    }
    let path = match rest.strip_prefix("//") {
        Some(after) => {
            let (host, path) = after.split_at(after.find('/').unwrap_or(after.len()));
            if !(host.is_empty() || host.eq_ignore_ascii_case("localhost")) {
                return Err(bad("it names another host"));
            }
            path
        }
        None => rest,
    };
    if !path.starts_with('/') {
        return Err(bad("the path is not absolute"));
    }
    let bytes = percent_decode(path).ok_or_else(|| bad("it holds a bad escape, an escaped `/`, or a NUL"))?;
    #[cfg(unix)]
    let path = {
        use std::os::unix::ffi::OsStringExt;
        std::ffi::OsString::from_vec(bytes)
    };
    #[cfg(not(unix))]
    let path = String::from_utf8(bytes).map_err(|_| bad("it does not decode to UTF-8"))?;
    Ok(PathBuf::from(path))
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            let v = u8::from_str_radix(hex, 16).ok()?;
            if v == b'/' || v == 0 {
                return None;
            }
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        // Without a current directory a relative path cannot be placed; `/` makes it match no
        // relative declaration by accident, and writing there fails rather than lands elsewhere.
        std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")).join(path)
    }
}

/// The place `path` names, every part resolved: the longest part that exists is canonicalised
/// (symbolic links followed, `..` taken physically, as the kernel will when writing), and the
/// parts that do not exist yet are appended, `..` among them only undoing a part appended
/// before it. For a directory a command writes into.
pub fn resolve_dir(path: &Path) -> Result<PathBuf, Error> {
    let abs = absolute(path);
    let parts: Vec<Component<'_>> = abs.components().collect();
    let (mut out, rest) = (0..=parts.len())
        .rev()
        .find_map(|n| {
            let prefix: PathBuf = parts[..n].iter().collect();
            std::fs::canonicalize(&prefix).ok().map(|c| (c, &parts[n..]))
        })
        .ok_or_else(|| Error::usage(format!("cannot resolve {}: no part of it can be read", abs.display())))?;
    let base = out.clone();
    let mut appended = 0;
    for c in rest {
        match c {
            Component::CurDir => {}
            Component::ParentDir if appended > 0 => {
                out.pop();
                appended -= 1;
            }
            Component::ParentDir => {
                return Err(Error::usage(format!(
                    "{}: `..` would climb out of {}, which is as far as the path can be resolved; write the \
                     path without it",
                    abs.display(),
                    base.display()
                )));
            }
            Component::Normal(n) => {
                out.push(n);
                appended += 1;
                // It exists, yet could not be resolved: a link to nowhere, or unreadable.
                // Writing through it would land somewhere the gate never judged.
                if std::fs::symlink_metadata(&out).is_ok() {
                    return Err(Error::usage(format!(
                        "cannot resolve {}: {} is a symbolic link to nothing, or cannot be read",
                        abs.display(),
                        out.display()
                    )));
                }
            }
            Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Ok(out)
}

/// The place a file at `path` will be written: its directory resolved as [`resolve_dir`] does,
/// its own name kept as it is (the file is replaced by a rename, which never follows a link).
pub fn resolve_file(path: &Path) -> Result<PathBuf, Error> {
    let abs = absolute(path);
    match (abs.file_name(), abs.parent()) {
        (Some(name), Some(parent)) if matches!(abs.components().next_back(), Some(Component::Normal(_))) => {
            Ok(resolve_dir(parent)?.join(name))
        }
        _ => Err(Error::usage(format!("{} names a directory, not a file", path.display()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(text: &str) -> String {
        let e = Location::parse(text).unwrap_err();
        assert_eq!(e.kind(), crate::error::ErrorKind::Usage, "{text}");
        e.message().to_string()
    }

    #[test]
    fn dash_is_standard_output_and_paths_are_absolute() {
        assert_eq!(Location::parse("-").unwrap(), Location::Stdout);
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(Location::parse("out/x.csv").unwrap(), Location::Path(cwd.join("out/x.csv")));
        assert_eq!(Location::parse("./s3:/x").unwrap(), Location::Path(cwd.join("./s3:/x")));
        assert_eq!(Location::parse("/a/b").unwrap(), Location::Path(PathBuf::from("/a/b")));
    }

    #[test]
    fn unsupported_schemes_are_named_and_never_paths() {
        for (text, scheme) in [
            ("s3://prod/x.csv", "s3:"),
            ("gs://b/x", "gs:"),
            ("HTTP://h/x", "http:"),
            ("ftp:x", "ftp:"),
            ("s3:/x", "s3:"),
        ] {
            assert!(usage(text).contains(&format!("`{scheme}` targets are not supported")), "{text}");
        }
        assert!(usage("user@host:/x").contains("remote location"));
        assert!(usage("out/s3://bucket/x").contains("`://`"));
    }

    #[test]
    fn database_urls_are_recognised_and_shown_without_credentials() {
        let l = Location::parse("postgres://app:hunter2@db/app").unwrap();
        assert_eq!(l.shown(), "postgres://app:***@db/app");
        assert!(!format!("{l:?}").contains("hunter2"));
        for t in ["mysql://u:pw@h/d", "sqlite:///x.db", "postgresql://h/d"] {
            assert!(matches!(Location::parse(t).unwrap(), Location::Database(_)), "{t}");
            let Output::Database(d) = Output::parse(t).unwrap() else { panic!("{t}") };
            let e = Output::files_only("copy", &d);
            assert!(e.message().contains("not databases yet") && !e.message().contains(":pw@"), "{e}");
        }
    }

    #[test]
    fn file_urls_are_local_paths_or_refused() {
        let p = |t: &str| Location::parse(t).unwrap();
        assert_eq!(p("file:///data/my%20file.csv"), Location::Path(PathBuf::from("/data/my file.csv")));
        assert_eq!(p("file://localhost/data/x"), Location::Path(PathBuf::from("/data/x")));
        assert_eq!(p("file:/data/x"), Location::Path(PathBuf::from("/data/x")));
        for bad in ["file://fileserver/x", "file:x.csv", "file:///a%2Fb", "file:///a%00", "file:///a%zz", "file:///x?y"]
        {
            assert!(usage(bad).contains("not a local file URL"), "{bad}");
        }
    }

    #[test]
    fn symlinks_and_dot_dot_are_resolved_physically() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("prod")).unwrap();
        std::fs::create_dir_all(root.join("test/share")).unwrap();
        std::os::unix::fs::symlink(root.join("test/share"), root.join("prod/link")).unwrap();
        assert_eq!(resolve_file(&root.join("prod/link/x.csv")).unwrap(), root.join("test/share/x.csv"));
        assert_eq!(resolve_file(&root.join("prod/link/../x.csv")).unwrap(), root.join("test/x.csv"));
        assert_eq!(resolve_dir(&root.join("prod/link/new/a/../b")).unwrap(), root.join("test/share/new/b"));
        assert_eq!(resolve_dir(&root.join("prod/link")).unwrap(), root.join("test/share"));
        // The final name of a file is not followed: a rename replaces the link itself.
        assert_eq!(resolve_file(&root.join("prod/link")).unwrap(), root.join("prod/link"));
        let e = resolve_dir(&root.join("prod/new/../../x")).unwrap_err();
        assert!(e.message().contains("climb out"), "{e}");
        std::os::unix::fs::symlink(root.join("nowhere"), root.join("prod/dangling")).unwrap();
        let e = resolve_file(&root.join("prod/dangling/x.csv")).unwrap_err();
        assert!(e.message().contains("symbolic link to nothing"), "{e}");
        assert!(resolve_file(&root.join("prod/..")).is_err());
    }
}
