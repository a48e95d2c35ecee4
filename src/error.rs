//! One error type for the library; the binary maps its kind to an exit code in one place.
//!
//! Messages name the file, line, column or key that is wrong and never carry a data value.

use std::fmt;
use std::path::Path;

/// What went wrong, as far as a pipeline needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad command-line usage.
    Usage,
    /// A schema, rule, policy or environments file is missing or invalid.
    Config,
    /// A scan found personal data.
    PidFound,
    /// The gate refused a write.
    Refused,
    /// Reading or writing failed (I/O, database).
    Io,
    /// Interrupted by a signal; nothing was committed.
    Interrupted,
}

impl ErrorKind {
    /// The process exit code documented in the README and `--help`.
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::PidFound => 1,
            ErrorKind::Usage | ErrorKind::Config => 2,
            ErrorKind::Refused => 3,
            ErrorKind::Io => 4,
            ErrorKind::Interrupted => 130,
        }
    }
}

#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error { kind, message: message.into(), source: None }
    }

    pub fn config(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Config, message)
    }

    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Usage, message)
    }

    /// An I/O failure on `path`; the message names the path and what was being done.
    pub fn io(action: &str, path: &Path, err: std::io::Error) -> Error {
        Error {
            kind: ErrorKind::Io,
            message: format!("{action} {}: {err}", path.display()),
            source: Some(Box::new(err)),
        }
    }

    pub fn interrupted() -> Error {
        Error::new(ErrorKind::Interrupted, "interrupted; nothing was written")
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether this is a closed pipe on standard output (`| head`), which is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        self.source
            .as_ref()
            .and_then(|s| s.downcast_ref::<std::io::Error>())
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    }

    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Error {
        self.source = Some(Box::new(source));
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}
