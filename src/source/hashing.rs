//! The bytes a source parses, hashed while it reads them from disk.
//!
//! A manifest vouches for a file by its sha256. Comparing that with a second read of the file
//! proves nothing about the bytes the gate judged (the file may change in between), so the
//! source's own reads are hashed, and the digest exists only once the reader reached the end.

use std::io::Read;
use std::sync::{Arc, OnceLock};

use sha2::{Digest, Sha256};

/// The sha256 (lower-case hex) and length of everything a [`HashingReader`] read, set when it
/// reached the end of its input. Clones share it: keep one before the reader moves to a thread.
#[derive(Clone, Debug, Default)]
pub struct ReadDigest(Arc<OnceLock<(String, u64)>>);

impl ReadDigest {
    /// The digest of the whole input, or `None` when the reader stopped before the end (or
    /// never hashed).
    pub fn get(&self) -> Option<(&str, u64)> {
        self.0.get().map(|(sha, n)| (sha.as_str(), *n))
    }

    /// Records the digest of an input read to its end by other means (a table's rows).
    pub(crate) fn set(&self, digest: String, count: u64) {
        let _ = self.0.set((digest, count));
    }

    /// Whether the bytes read, to the end, were exactly these.
    pub fn matches(&self, sha256: &str, bytes: u64) -> bool {
        self.get().is_some_and(|(sha, n)| n == bytes && sha.eq_ignore_ascii_case(sha256))
    }
}

/// Passes reads through, hashing every byte when given a [`ReadDigest`] to fill; without one it
/// only forwards (sources that need no verdict pay nothing).
pub struct HashingReader<R> {
    inner: R,
    hasher: Option<Sha256>,
    bytes: u64,
    digest: Option<ReadDigest>,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R, digest: Option<ReadDigest>) -> HashingReader<R> {
        HashingReader { inner, hasher: digest.as_ref().map(|_| Sha256::new()), bytes: 0, digest }
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(hasher) = self.hasher.as_mut() {
            if n > 0 {
                hasher.update(&buf[..n]);
                self.bytes += n as u64;
            } else if !buf.is_empty() {
                // A zero-length read into a non-empty buffer is the end of the input.
                let hasher = self.hasher.take().expect("hasher present");
                if let Some(d) = &self.digest {
                    let _ = d.0.set((crate::manifest::hex(&hasher.finalize()), self.bytes));
                }
            }
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(bytes: &[u8]) -> String {
        crate::manifest::hex(&Sha256::digest(bytes))
    }

    #[test]
    fn the_digest_is_of_the_bytes_read_and_exists_only_at_the_end() {
        let digest = ReadDigest::default();
        let mut r = HashingReader::new(&b"id,name\n1,x\n"[..], Some(digest.clone()));
        let mut first = [0u8; 4];
        r.read_exact(&mut first).unwrap();
        assert_eq!(digest.get(), None, "not at the end yet");
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).unwrap();
        assert_eq!(digest.get(), Some((sha(b"id,name\n1,x\n").as_str(), 12)));
        assert!(digest.matches(&sha(b"id,name\n1,x\n"), 12));
        assert!(!digest.matches(&sha(b"id,name\n1,y\n"), 12));
    }

    #[test]
    fn a_reader_dropped_before_the_end_has_no_digest() {
        let digest = ReadDigest::default();
        let mut r = HashingReader::new(&b"abcdef"[..], Some(digest.clone()));
        let mut two = [0u8; 2];
        r.read_exact(&mut two).unwrap();
        drop(r);
        assert_eq!(digest.get(), None);
        assert!(!digest.matches(&sha(b"abcdef"), 6));
    }

    #[test]
    fn without_a_digest_it_only_forwards() {
        let mut r = HashingReader::new(&b"abc"[..], None);
        let mut all = Vec::new();
        r.read_to_end(&mut all).unwrap();
        assert_eq!(all, b"abc");
    }
}
