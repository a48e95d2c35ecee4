//! Manifests: what synthgate wrote into a directory, so a dataset can be promoted, not rebuilt.
//!
//! `synthgate.manifest.json` beside the files records each file's sha256, rows and column
//! lineage, always signed with an HMAC key (a per-user key made on first use when none is
//! configured). The gate honours a manifest only when its signature verifies under a key it
//! holds and the bytes a source actually read hash to the file's entry; otherwise the file is
//! all `input`.

use std::fmt;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit::Outcome;
use crate::batch::Lineage;
use crate::error::{Error, ErrorKind};
use crate::gate::{Environment, Target};
use crate::source::ReadDigest;

/// The manifest's file name, one per output directory.
pub const MANIFEST_FILE: &str = "synthgate.manifest.json";

/// The manifest format this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

const SIGNATURE_PREFIX: &str = "hmac-sha256:";

/// Everything synthgate wrote into one directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub version: u32,
    /// The synthgate version that wrote it.
    pub synthgate: String,
    /// ISO 8601 UTC.
    pub created: String,
    pub files: Vec<FileEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// The command that wrote the files (`generate`, `scrub`).
    pub command: String,
    pub gate: GateRecord,
    /// `hmac-sha256:<hex>` over the manifest serialised without this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// One file of the directory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    /// File name within the directory (no separators).
    pub name: String,
    /// Lower-case hex.
    pub sha256: String,
    pub bytes: u64,
    pub rows: u64,
    pub columns: Vec<ColumnEntry>,
    /// A PostgreSQL table: the transaction that loaded it (its 32-bit id), which every row it
    /// wrote carries as `xmin` for as long as nobody changes the row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xmin: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnEntry {
    pub name: String,
    pub lineage: Lineage,
}

/// The gate's decision for the write the manifest describes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateRecord {
    pub decision: Outcome,
    pub target: String,
    #[serde(with = "crate::env::serde_environment")]
    pub environment: Option<Environment>,
}

impl GateRecord {
    pub fn new(decision: Outcome, target: &Target) -> GateRecord {
        GateRecord { decision, target: target.location.clone(), environment: target.environment }
    }
}

impl Manifest {
    /// An empty manifest stamped with this synthgate version and the current time.
    pub fn new(command: &str, gate: GateRecord) -> Manifest {
        Manifest {
            version: FORMAT_VERSION,
            synthgate: env!("CARGO_PKG_VERSION").to_string(),
            created: crate::audit::now_utc(),
            files: Vec::new(),
            schema_sha256: None,
            seed: None,
            command: command.to_string(),
            gate,
            signature: None,
        }
    }

    pub fn file(&self, name: &str) -> Option<&FileEntry> {
        self.files.iter().find(|f| f.name == name)
    }

    /// The bytes the signature covers: the manifest, compact, without its signature.
    fn signed_bytes(&self) -> Vec<u8> {
        let unsigned = Manifest { signature: None, ..self.clone() };
        serde_json::to_vec(&unsigned).expect("a manifest always serialises")
    }

    /// `hmac-sha256:<hex>` of this manifest under `key`.
    pub fn signature_with(&self, key: &Key) -> String {
        let mut mac = key.mac();
        mac.update(&self.signed_bytes());
        format!("{SIGNATURE_PREFIX}{}", hex(&mac.finalize().into_bytes()))
    }

    /// Whether the manifest carries a signature that `key` made over exactly this content.
    pub fn verify(&self, key: &Key) -> bool {
        let Some(sig) = self.signature.as_deref().and_then(|s| s.strip_prefix(SIGNATURE_PREFIX)) else {
            return false;
        };
        let Some(expected) = unhex(sig) else {
            return false;
        };
        let mut mac = key.mac();
        mac.update(&self.signed_bytes());
        mac.verify_slice(&expected).is_ok()
    }

    fn check_names(&self) -> Result<(), String> {
        for (i, f) in self.files.iter().enumerate() {
            if f.name.is_empty() || f.name.contains(['/', '\\']) || f.name == "." || f.name == ".." {
                return Err(format!("file entry {} is not a plain file name", i + 1));
            }
            if self.files[..i].iter().any(|g| g.name == f.name) {
                return Err(format!("file entry {} repeats an earlier file name", i + 1));
            }
        }
        Ok(())
    }
}

impl FileEntry {
    /// An entry for a finished file: hashes it (streaming) and records its size.
    /// The entry of a file just written: with the sha256 and size its writer computed while
    /// writing (text outputs), or by reading the file once more (`hashed` is `None`).
    pub fn written(
        path: &Path,
        hashed: Option<(String, u64)>,
        rows: u64,
        columns: Vec<ColumnEntry>,
    ) -> Result<FileEntry, Error> {
        match hashed {
            Some((sha256, bytes)) => {
                let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                Ok(FileEntry { name, sha256, bytes, rows, columns, xmin: None })
            }
            None => FileEntry::for_file(path, rows, columns),
        }
    }

    pub fn for_file(path: &Path, rows: u64, columns: Vec<ColumnEntry>) -> Result<FileEntry, Error> {
        let (sha256, bytes) = sha256_file(path)?;
        let name = path
            .file_name()
            .ok_or_else(|| Error::usage(format!("{} is not a file name", path.display())))?
            .to_string_lossy()
            .into_owned();
        Ok(FileEntry { name, sha256, bytes, rows, columns, xmin: None })
    }
}

/// The manifest path for a directory.
pub fn manifest_path(dir: &Path) -> PathBuf {
    dir.join(MANIFEST_FILE)
}

/// The sha256 (lower-case hex) and length of a file, read in fixed-size chunks.
pub fn sha256_file(path: &Path) -> Result<(String, u64), Error> {
    let mut file = File::open(path).map_err(|e| Error::io("cannot open", path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut total = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io("cannot read", path, e)),
        };
        hasher.update(&buf[..n]);
        total += n as u64;
    }
    Ok((hex(&hasher.finalize()), total))
}

/// HMAC key material. Never displayed: `Debug` shows only its length.
#[derive(Clone)]
pub struct Key {
    bytes: Vec<u8>,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key(<{} bytes, redacted>)", self.bytes.len())
    }
}

impl Key {
    /// The least key material accepted: as much as the HMAC-SHA256 output.
    pub const MIN_BYTES: usize = 32;

    /// Key material with surrounding whitespace removed (so a trailing newline does not count).
    pub fn from_bytes(bytes: &[u8], origin: &str) -> Result<Key, Error> {
        let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
        let end = bytes.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(start, |i| i + 1);
        let material = &bytes[start..end];
        if material.len() < Key::MIN_BYTES {
            return Err(Error::config(format!(
                "{origin} holds {} bytes of key material; at least {} are required (make one with `openssl rand -hex 32`)",
                material.len(),
                Key::MIN_BYTES
            )));
        }
        Ok(Key { bytes: material.to_vec() })
    }

    /// The whole file is the key.
    pub fn from_file(path: &Path) -> Result<Key, Error> {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::config(format!("cannot read the key file {}: {e}", path.display())).with_source(e))?;
        Key::from_bytes(&bytes, &format!("the key file {}", path.display()))
    }

    /// The variable's value is the key.
    pub fn from_env(var: &str) -> Result<Key, Error> {
        let value = std::env::var_os(var)
            .ok_or_else(|| Error::config(format!("the key variable {var} is not set (or not visible to synthgate)")))?;
        Key::from_bytes(value.as_encoded_bytes(), &format!("the key variable {var}"))
    }

    /// The per-user key at `path`, made on first use: 32 random bytes, hex-encoded, in a file
    /// only its owner may read (0600), in a folder only its owner may enter (0700) when synthgate
    /// creates the folder. Returns the key and whether this call created it. Two processes
    /// racing to create it end up with the same key: the file appears whole or not at all.
    pub fn load_or_create(path: &Path) -> Result<(Key, bool), Error> {
        let origin = format!("the per-user key {}", path.display());
        match std::fs::read(path) {
            Ok(bytes) => return Ok((Key::from_bytes(&bytes, &origin)?, false)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::config(format!("cannot read {origin}: {e}")).with_source(e)),
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut folder = std::fs::DirBuilder::new();
        folder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut folder, 0o700);
        folder.create(dir).map_err(|e| Error::io("cannot create the key folder", dir, e))?;

        let mut random = [0u8; 32];
        getrandom::fill(&mut random)
            .map_err(|e| Error::new(ErrorKind::Io, format!("cannot get random bytes for a new key: {e}")))?;
        let mut text = hex(&random).into_bytes();
        text.push(b'\n');
        let key = Key::from_bytes(&text, &origin)?;
        // tempfile creates its files 0600 on Unix; the key never exists half-written.
        let mut temp = tempfile::Builder::new()
            .prefix(".key.")
            .suffix(".synthgate-tmp")
            .tempfile_in(dir)
            .map_err(|e| Error::io("cannot create a file in", dir, e))?;
        temp.write_all(&text).map_err(|e| Error::io("cannot write", temp.path(), e))?;
        temp.as_file().sync_all().map_err(|e| Error::io("cannot write", temp.path(), e))?;
        match temp.persist_noclobber(path) {
            Ok(_) => Ok((key, true)),
            // Another synthgate made it first: use that one.
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
                let bytes = std::fs::read(path).map_err(|e| Error::io("cannot read", path, e))?;
                Ok((Key::from_bytes(&bytes, &origin)?, false))
            }
            Err(e) => Err(Error::io("cannot create", path, e.error)),
        }
    }

    /// Whether two keys are the same key material (compared without an early exit).
    pub fn same_as(&self, other: &Key) -> bool {
        self.bytes.len() == other.bytes.len()
            && self.bytes.iter().zip(&other.bytes).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }

    /// A subkey for one purpose (`HMAC(key, purpose)`): signing manifests and scrubbing never
    /// share key material, and the subkey reveals nothing of the key.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut mac = self.mac();
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    fn mac(&self) -> Hmac<Sha256> {
        <Hmac<Sha256> as Mac>::new_from_slice(&self.bytes).expect("HMAC takes keys of any length")
    }
}

/// Writes `manifest` into `dir`, merged with the manifest already there, signed with `key`.
/// Returns what was written.
///
/// Entries of the existing manifest with other file names are kept; entries with the same
/// names are replaced. The new manifest's top-level fields (command, seed, gate, …) replace
/// the old ones. Old entries are kept only if the old manifest verifies under the same key:
/// otherwise signing would vouch for entries nobody signed. The file is written
/// to a temporary name and renamed into place.
pub fn write(dir: &Path, manifest: &Manifest, key: &Key) -> Result<Manifest, Error> {
    let path = manifest_path(dir);
    manifest.check_names().map_err(|m| Error::usage(format!("cannot write {}: the manifest {m}", path.display())))?;

    let mut merged = Manifest { signature: None, files: Vec::new(), ..manifest.clone() };
    match read_manifest(&path) {
        Ok(old) => {
            let trusted = old.check_names().is_ok() && old.verify(key);
            if trusted {
                merged.files = old.files;
            }
        }
        Err(ReadError::Missing) => {}
        Err(ReadError::Invalid(m)) => {
            return Err(Error::new(
                ErrorKind::Io,
                format!("cannot merge into {}: {m}; move it away or write to another directory", path.display()),
            ))
        }
    }
    for f in &manifest.files {
        match merged.files.iter_mut().find(|g| g.name == f.name) {
            Some(slot) => *slot = f.clone(),
            None => merged.files.push(f.clone()),
        }
    }
    merged.signature = Some(merged.signature_with(key));

    let mut text = serde_json::to_vec_pretty(&merged).expect("a manifest always serialises");
    text.push(b'\n');
    let mut temp =
        crate::sink::temp_beside(dir, MANIFEST_FILE).map_err(|e| Error::io("cannot create a file in", dir, e))?;
    temp.write_all(&text).map_err(|e| Error::io("cannot write", temp.path(), e))?;
    temp.as_file().sync_all().map_err(|e| Error::io("cannot write", temp.path(), e))?;
    temp.persist(&path).map_err(|e| Error::io("cannot move the finished manifest to", &path, e.error))?;
    Ok(merged)
}

enum ReadError {
    Missing,
    Invalid(String),
}

fn read_manifest(path: &Path) -> Result<Manifest, ReadError> {
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::Missing),
        Err(e) => return Err(ReadError::Invalid(format!("cannot read it: {e}"))),
    };
    // serde's messages can quote the manifest's text, which may be anything: give the place only.
    let m: Manifest = serde_json::from_slice(&text).map_err(|e| {
        ReadError::Invalid(format!("not a synthgate manifest (line {}, column {})", e.line(), e.column()))
    })?;
    if m.version != FORMAT_VERSION {
        return Err(ReadError::Invalid(format!(
            "manifest format version {} is not supported (this synthgate reads version {FORMAT_VERSION})",
            m.version
        )));
    }
    Ok(m)
}

/// Whether a file's manifest vouches for it, and why (or why not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ManifestStatus {
    /// Listed, signed with the key synthgate holds, and (once confirmed) the bytes read hash
    /// to the entry.
    Signed,
    NoManifest,
    NotListed,
    /// No signature: nobody synthgate trusts vouches for it.
    Unsigned,
    SignatureInvalid,
    /// No key to check a signature with.
    NoKey,
    /// The bytes read differ from the entry's size or sha256.
    HashMismatch,
    /// The file was not read to its end, so its sha256 could not be compared.
    NotReadToEnd,
    /// The manifest (or the file) could not be read or parsed.
    Unreadable(String),
}

impl ManifestStatus {
    /// Whether the manifest's lineage counts.
    pub fn is_ok(&self) -> bool {
        matches!(self, ManifestStatus::Signed)
    }
}

impl fmt::Display for ManifestStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ManifestStatus::Signed => f.write_str("manifest ok, signed"),
            ManifestStatus::NoManifest => f.write_str("no manifest"),
            ManifestStatus::NotListed => f.write_str("the manifest does not list this file"),
            ManifestStatus::Unsigned => {
                f.write_str("unsigned manifest (lineage counts only from a manifest signed with a key synthgate holds)")
            }
            ManifestStatus::SignatureInvalid => {
                f.write_str("signature invalid (made with another key, or the manifest was edited)")
            }
            ManifestStatus::NoKey => f.write_str("no key to check the manifest's signature with"),
            ManifestStatus::HashMismatch => f.write_str("file edited after writing (sha256 differs)"),
            ManifestStatus::NotReadToEnd => {
                f.write_str("the file was not read to its end, so its sha256 was not checked")
            }
            ManifestStatus::Unreadable(m) => write!(f, "manifest unreadable: {m}"),
        }
    }
}

/// The lineage a manifest vouches for, per column, or `None`: then the file is all `input`.
///
/// From [`lineage_for`] the lineage is provisional: it rests on the manifest alone. It counts
/// only once [`LineageVerdict::confirm`] has seen that the bytes the source actually read hash
/// to the manifest's entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineageVerdict {
    pub columns: Option<Vec<(String, Lineage)>>,
    pub status: ManifestStatus,
    /// The manifest consulted (whether or not it exists).
    pub manifest: PathBuf,
    /// The entry's sha256 and size, which the bytes read must match.
    expected: Option<(String, u64)>,
    /// A PostgreSQL table's loading transaction: a reader that saw it as every row's `xmin`
    /// (and as many rows) confirms the table as the digest would.
    xmin: Option<u64>,
}

impl LineageVerdict {
    /// A verdict that vouches for nothing: every column `input`, nothing to confirm.
    pub fn nothing() -> LineageVerdict {
        LineageVerdict {
            columns: None,
            status: ManifestStatus::NoManifest,
            manifest: PathBuf::new(),
            expected: None,
            xmin: None,
        }
    }

    /// For reports: `manifest ok, signed`, `file edited after writing (sha256 differs)`, …
    pub fn reason(&self) -> String {
        self.status.to_string()
    }

    /// A column's lineage: the manifest's when it vouches for the file, else `input`.
    pub fn lineage(&self, column: &str) -> Lineage {
        self.columns
            .as_ref()
            .and_then(|cols| cols.iter().find(|(n, _)| n == column))
            .map_or(Lineage::Input, |(_, l)| *l)
    }

    /// The loading transaction a PostgreSQL table's rows must all carry (see [`FileEntry::xmin`]).
    pub fn xmin(&self) -> Option<u64> {
        self.xmin.filter(|_| self.columns.is_some())
    }

    /// What a reader that checked every row's `xmin` against `xmin` reports when all matched.
    pub fn xmin_digest(xmin: u64) -> String {
        format!("xmin:{xmin}")
    }

    /// Whether the manifest's lineage is in play, and so must be confirmed by the bytes read.
    pub fn vouches(&self) -> bool {
        self.columns.is_some()
    }

    /// Compares the digest of the bytes the source read with the manifest's entry. On a match
    /// (or when nothing was vouched for) the verdict stands; otherwise it falls back to all
    /// `input` and says why, and `false` tells the caller that what it judged with the
    /// manifest's lineage must be judged again, or refused.
    pub fn confirm(&mut self, read: &ReadDigest) -> bool {
        if self.columns.is_none() {
            return true;
        }
        if let Some((sha, bytes)) = &self.expected {
            if read.matches(sha, *bytes) {
                return true;
            }
            if let Some(x) = self.xmin {
                if read.matches(&Self::xmin_digest(x), *bytes) {
                    return true;
                }
            }
        }
        self.status = if read.get().is_some() { ManifestStatus::HashMismatch } else { ManifestStatus::NotReadToEnd };
        self.columns = None;
        false
    }
}

/// Looks up `file` in the manifest of its directory and decides, from the manifest alone,
/// whether its lineage counts: only a manifest signed with `key` does. The file's size is
/// compared here; its sha256 only by [`LineageVerdict::confirm`], against the bytes a source
/// read (see [`crate::source::open_hashed`]), so that the verdict rests on what was judged.
pub fn lineage_for(file: &Path, key: Option<&Key>) -> LineageVerdict {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let manifest = manifest_path(dir);
    let verdict = |status: ManifestStatus, columns: Option<Vec<(String, Lineage)>>| LineageVerdict {
        columns,
        status,
        manifest: manifest.clone(),
        expected: None,
        xmin: None,
    };
    let Some(name) = file.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return verdict(ManifestStatus::NotListed, None);
    };
    let m = match read_manifest(&manifest) {
        Ok(m) => m,
        Err(ReadError::Missing) => return verdict(ManifestStatus::NoManifest, None),
        Err(ReadError::Invalid(msg)) => return verdict(ManifestStatus::Unreadable(msg), None),
    };
    match (&m.signature, key) {
        (None, _) => return verdict(ManifestStatus::Unsigned, None),
        (Some(_), None) => return verdict(ManifestStatus::NoKey, None),
        (Some(_), Some(k)) if !m.verify(k) => return verdict(ManifestStatus::SignatureInvalid, None),
        (Some(_), Some(_)) => {}
    }
    if let Err(msg) = m.check_names() {
        return verdict(ManifestStatus::Unreadable(format!("the manifest {msg}")), None);
    }
    let Some(entry) = m.file(&name) else {
        return verdict(ManifestStatus::NotListed, None);
    };
    let size = match std::fs::metadata(file) {
        Ok(md) => md.len(),
        Err(e) => return verdict(ManifestStatus::Unreadable(format!("cannot read {}: {e}", file.display())), None),
    };
    if size != entry.bytes {
        return verdict(ManifestStatus::HashMismatch, None);
    }
    let columns = entry.columns.iter().map(|c| (c.name.clone(), c.lineage)).collect();
    LineageVerdict {
        expected: Some((entry.sha256.clone(), entry.bytes)),
        ..verdict(ManifestStatus::Signed, Some(columns))
    }
}

/// Looks up `table` in the manifests a database holds (`manifests`: the JSON of each row of its
/// `synthgate_manifests` table, newest first) and decides as [`lineage_for`] does for a file.
/// The newest manifest that parses, is signed with `key` and lists the table vouches for it;
/// one that fails any of these is passed over, which is safe because whichever vouches must
/// still be confirmed by the rows read: [`LineageVerdict::confirm`] compares the entry's row
/// digest and row count (see [`crate::sink::db::digest`]) with what the reader saw. `place`
/// names the database in messages (never with credentials).
pub fn lineage_for_table(manifests: &[String], place: &str, table: &str, key: Option<&Key>) -> LineageVerdict {
    let mut status = if manifests.is_empty() { ManifestStatus::NoManifest } else { ManifestStatus::NotListed };
    let mut found = None;
    for text in manifests {
        let Ok(m) = serde_json::from_str::<Manifest>(text) else {
            continue;
        };
        if m.version != FORMAT_VERSION || m.file(table).is_none() {
            continue;
        }
        let why = match (&m.signature, key) {
            (None, _) => ManifestStatus::Unsigned,
            (Some(_), None) => ManifestStatus::NoKey,
            (Some(_), Some(k)) if !m.verify(k) => ManifestStatus::SignatureInvalid,
            (Some(_), Some(_)) => {
                found = Some(m);
                break;
            }
        };
        if matches!(status, ManifestStatus::NotListed) {
            status = why;
        }
    }
    let manifest = PathBuf::from(format!("{place} (synthgate_manifests)"));
    let Some(m) = found else { return LineageVerdict { columns: None, status, manifest, expected: None, xmin: None } };
    let entry = m.file(table).expect("listed");
    LineageVerdict {
        columns: Some(entry.columns.iter().map(|c| (c.name.clone(), c.lineage)).collect()),
        status: ManifestStatus::Signed,
        manifest,
        expected: Some((entry.sha256.clone(), entry.rows)),
        xmin: entry.xmin,
    }
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    s.as_bytes()
        .chunks(2)
        .map(|p| Some((char::from(p[0]).to_digit(16)? * 16 + char::from(p[1]).to_digit(16)?) as u8))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef-test-key";

    fn key() -> Key {
        Key::from_bytes(KEY, "test key").unwrap()
    }

    fn target() -> Target {
        Target { location: "/shares/test/out".into(), environment: Some(Environment::Test) }
    }

    /// Writes `customers.csv` and its manifest into `dir`.
    fn write_dataset(dir: &Path, key: &Key) -> PathBuf {
        let data = dir.join("customers.csv");
        std::fs::write(&data, "id,email\n1,a@example.com\n2,b@example.com\n").unwrap();
        let mut m = Manifest::new("generate", GateRecord::new(Outcome::Cleared, &target()));
        m.seed = Some(7);
        m.files.push(
            FileEntry::for_file(
                &data,
                2,
                vec![
                    ColumnEntry { name: "id".into(), lineage: Lineage::Synthetic },
                    ColumnEntry { name: "email".into(), lineage: Lineage::Synthetic },
                ],
            )
            .unwrap(),
        );
        write(dir, &m, key).unwrap();
        data
    }

    fn synthetic_columns() -> Option<Vec<(String, Lineage)>> {
        Some(vec![("id".into(), Lineage::Synthetic), ("email".into(), Lineage::Synthetic)])
    }

    #[test]
    fn a_signed_manifest_vouches_for_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let data = write_dataset(dir.path(), &key());
        let v = lineage_for(&data, Some(&key()));
        assert_eq!(v.status, ManifestStatus::Signed);
        assert_eq!(v.reason(), "manifest ok, signed");
        assert_eq!(v.columns, synthetic_columns());
        assert_eq!(v.lineage("email"), Lineage::Synthetic);
        assert_eq!(v.lineage("not_in_manifest"), Lineage::Input);
    }

    /// Reads `path` to its end through a hashing source; the digest of the bytes it parsed.
    fn read_through_source(path: &Path) -> ReadDigest {
        let (mut src, digest) = crate::source::open_hashed(path, 1, false).unwrap();
        while src.next_chunk().unwrap().is_some() {}
        digest
    }

    #[test]
    fn an_unsigned_manifest_never_counts() {
        let dir = tempfile::tempdir().unwrap();
        let data = write_dataset(dir.path(), &key());
        let path = manifest_path(dir.path());
        let mut m: Manifest = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        m.signature = None;
        std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
        for k in [None, Some(key())] {
            let v = lineage_for(&data, k.as_ref());
            assert_eq!(v.status, ManifestStatus::Unsigned);
            assert_eq!(v.columns, None);
            assert_eq!(v.lineage("email"), Lineage::Input);
        }
    }

    #[test]
    fn the_verdict_stands_when_the_bytes_read_are_the_bytes_signed() {
        let dir = tempfile::tempdir().unwrap();
        let data = write_dataset(dir.path(), &key());
        let mut v = lineage_for(&data, Some(&key()));
        assert!(v.vouches());
        assert!(v.confirm(&read_through_source(&data)));
        assert_eq!(v.status, ManifestStatus::Signed);
        assert_eq!(v.columns, synthetic_columns());
    }

    #[test]
    fn editing_one_byte_of_the_file_voids_the_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let data = write_dataset(dir.path(), &key());
        let mut bytes = std::fs::read(&data).unwrap();
        let at = bytes.len() - 5;
        bytes[at] ^= 1;
        std::fs::write(&data, &bytes).unwrap();
        // Same size: only the bytes read can tell.
        let mut v = lineage_for(&data, Some(&key()));
        assert!(!v.confirm(&read_through_source(&data)));
        assert_eq!(v.columns, None);
        assert_eq!(v.reason(), "file edited after writing (sha256 differs)");
    }

    #[test]
    fn a_file_swapped_after_the_manifest_check_is_caught_by_the_bytes_read() {
        let dir = tempfile::tempdir().unwrap();
        let data = write_dataset(dir.path(), &key());
        // The check passes on the file as it was…
        let mut v = lineage_for(&data, Some(&key()));
        assert_eq!(v.status, ManifestStatus::Signed);
        // …then another file (same size) takes its name before the source opens it.
        let original = std::fs::read(&data).unwrap();
        let swapped = String::from_utf8(original.clone()).unwrap().replace("a@example.com", "a@example.net");
        assert_eq!(swapped.len(), original.len());
        let other = dir.path().join("other.tmp");
        std::fs::write(&other, &swapped).unwrap();
        std::fs::rename(&other, &data).unwrap();
        assert!(!v.confirm(&read_through_source(&data)));
        assert_eq!(v.status, ManifestStatus::HashMismatch);
        assert_eq!(v.lineage("email"), Lineage::Input);
    }

    #[test]
    fn the_digest_is_of_the_bytes_the_open_source_read_not_of_the_file_now_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let data = write_dataset(dir.path(), &key());
        let mut v = lineage_for(&data, Some(&key()));
        let (mut src, digest) = crate::source::open_hashed(&data, 1, false).unwrap();
        // The name now points at other bytes; the open source still reads the signed ones.
        let other = dir.path().join("other.tmp");
        std::fs::write(&other, "id,email\n1,x@example.com\n").unwrap();
        std::fs::rename(&other, &data).unwrap();
        let mut emails = Vec::new();
        while let Some(c) = src.next_chunk().unwrap() {
            if let crate::batch::Values::Utf8(s) = &c.batch.columns[1].values {
                emails.extend((0..s.len()).map(|i| s.get(i).to_string()));
            }
        }
        assert_eq!(emails, ["a@example.com", "b@example.com"]);
        assert!(v.confirm(&digest), "what was judged is what was signed");
    }

    #[test]
    fn a_source_that_stopped_before_the_end_confirms_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let data = write_dataset(dir.path(), &key());
        let mut v = lineage_for(&data, Some(&key()));
        assert!(!v.confirm(&ReadDigest::default()));
        assert_eq!(v.status, ManifestStatus::NotReadToEnd);
        assert_eq!(v.columns, None);
    }

    #[test]
    fn a_file_copied_without_its_manifest_is_all_input() {
        let dir = tempfile::tempdir().unwrap();
        let data = write_dataset(dir.path(), &key());
        let elsewhere = tempfile::tempdir().unwrap();
        let copy = elsewhere.path().join("customers.csv");
        std::fs::copy(&data, &copy).unwrap();
        let v = lineage_for(&copy, Some(&key()));
        assert_eq!(v.columns, None);
        assert_eq!(v.reason(), "no manifest");
        assert_eq!(v.lineage("email"), Lineage::Input);
    }

    #[test]
    fn a_forged_manifest_with_the_old_signature_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let data = write_dataset(dir.path(), &key());
        let path = manifest_path(dir.path());
        let mut m: Manifest = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        m.files[0].columns.push(ColumnEntry { name: "ssn".into(), lineage: Lineage::Synthetic });
        std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
        let v = lineage_for(&data, Some(&key()));
        assert_eq!(v.columns, None);
        assert_eq!(v.status, ManifestStatus::SignatureInvalid);
    }

    #[test]
    fn a_manifest_signed_with_another_key_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let other = Key::from_bytes(b"another-key-of-at-least-thirty-two-bytes", "other").unwrap();
        let data = write_dataset(dir.path(), &other);
        assert_eq!(lineage_for(&data, Some(&key())).status, ManifestStatus::SignatureInvalid);
        assert_eq!(lineage_for(&data, None).status, ManifestStatus::NoKey);
    }

    #[test]
    fn a_short_or_missing_key_is_an_error_that_never_shows_the_key() {
        let secret = "hunter2-short-secret";
        let err = Key::from_bytes(secret.as_bytes(), "the manifest key variable K").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert!(err.message().contains("20 bytes") && err.message().contains("at least 32"), "{}", err.message());
        assert!(!err.message().contains(secret));

        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k");
        std::fs::write(&file, format!("{secret}\n")).unwrap();
        let err = Key::from_file(&file).unwrap_err();
        assert!(!err.message().contains(secret), "{}", err.message());
        assert!(err.message().contains("key file"), "{}", err.message());
        let err = Key::from_file(&dir.path().join("missing")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert!(!format!("{:?}", key()).contains("0123456789abcdef"));
        let err = Key::from_env("SYNTHGATE_TEST_KEY_THAT_IS_NOT_SET").unwrap_err();
        assert!(err.message().contains("SYNTHGATE_TEST_KEY_THAT_IS_NOT_SET is not set"), "{}", err.message());
    }

    #[test]
    fn writing_merges_entries_by_file_name_and_re_signs() {
        let dir = tempfile::tempdir().unwrap();
        let customers = write_dataset(dir.path(), &key());
        let orders = dir.path().join("orders.csv");
        std::fs::write(&orders, "id\n1\n").unwrap();
        let mut m = Manifest::new("generate", GateRecord::new(Outcome::Cleared, &target()));
        m.files.push(
            FileEntry::for_file(&orders, 1, vec![ColumnEntry { name: "id".into(), lineage: Lineage::Synthetic }])
                .unwrap(),
        );
        let written = write(dir.path(), &m, &key()).unwrap();
        let names: Vec<&str> = written.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["customers.csv", "orders.csv"]);
        assert_eq!(lineage_for(&customers, Some(&key())).status, ManifestStatus::Signed);
        assert_eq!(lineage_for(&orders, Some(&key())).status, ManifestStatus::Signed);

        // Rewriting customers.csv replaces its entry.
        std::fs::write(&customers, "id\n9\n").unwrap();
        let mut m = Manifest::new("scrub", GateRecord::new(Outcome::Cleared, &target()));
        m.files.push(
            FileEntry::for_file(&customers, 1, vec![ColumnEntry { name: "id".into(), lineage: Lineage::Scrubbed }])
                .unwrap(),
        );
        let written = write(dir.path(), &m, &key()).unwrap();
        assert_eq!(written.files.len(), 2);
        let v = lineage_for(&customers, Some(&key()));
        assert_eq!(v.columns, Some(vec![("id".to_string(), Lineage::Scrubbed)]));
    }

    #[test]
    fn signing_does_not_adopt_entries_of_an_unsigned_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let other = Key::from_bytes(b"another-key-of-at-least-thirty-two-bytes", "other").unwrap();
        let planted = write_dataset(dir.path(), &other);
        let orders = dir.path().join("orders.csv");
        std::fs::write(&orders, "id\n1\n").unwrap();
        let mut m = Manifest::new("generate", GateRecord::new(Outcome::Cleared, &target()));
        m.files.push(FileEntry::for_file(&orders, 1, Vec::new()).unwrap());
        let written = write(dir.path(), &m, &key()).unwrap();
        assert_eq!(written.files.len(), 1);
        assert_eq!(lineage_for(&planted, Some(&key())).status, ManifestStatus::NotListed);
    }

    #[test]
    fn a_per_user_key_is_made_once_private_and_reused() {
        let home = tempfile::tempdir().unwrap();
        let path = home.path().join("synthgate").join("key");
        let (made, created) = Key::load_or_create(&path).unwrap();
        assert!(created);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.trim().len(), 64, "32 random bytes, hex");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(std::fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
        }
        let (again, created) = Key::load_or_create(&path).unwrap();
        assert!(!created);
        assert!(again.same_as(&made));
        assert!(!made.same_as(&key()));
        assert!(!format!("{made:?}").contains(text.trim()));
    }

    #[test]
    fn processes_racing_to_make_the_per_user_key_end_up_with_one_key() {
        let home = tempfile::tempdir().unwrap();
        let path = home.path().join("key");
        let keys: Vec<(Key, bool)> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8).map(|_| s.spawn(|| Key::load_or_create(&path).unwrap())).collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(keys.iter().filter(|(_, created)| *created).count(), 1);
        assert!(keys.iter().all(|(k, _)| k.same_as(&keys[0].0)));
        let left: Vec<_> = std::fs::read_dir(home.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(left, ["key"], "no temporary file left behind");
    }

    #[test]
    fn the_manifest_has_the_documented_shape() {
        let dir = tempfile::tempdir().unwrap();
        write_dataset(dir.path(), &key());
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(manifest_path(dir.path())).unwrap()).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["command"], "generate");
        assert_eq!(v["seed"], 7);
        assert_eq!(v["gate"]["decision"], "cleared");
        assert_eq!(v["gate"]["environment"], "test");
        assert_eq!(v["files"][0]["name"], "customers.csv");
        assert_eq!(v["files"][0]["rows"], 2);
        assert_eq!(v["files"][0]["columns"][1]["lineage"], "synthetic");
        assert_eq!(v["files"][0]["sha256"].as_str().unwrap().len(), 64);
        assert!(v["signature"].as_str().unwrap().starts_with("hmac-sha256:"));
        assert!(v["created"].as_str().unwrap().ends_with('Z'));
    }

    #[test]
    fn file_names_with_separators_or_duplicates_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let entry = |name: &str| FileEntry {
            name: name.into(),
            sha256: String::new(),
            bytes: 0,
            rows: 0,
            columns: vec![],
            xmin: None,
        };
        let mut m = Manifest::new("generate", GateRecord::new(Outcome::Cleared, &target()));
        m.files.push(entry("../x.csv"));
        assert!(write(dir.path(), &m, &key()).is_err());
        m.files = vec![entry("a.csv"), entry("a.csv")];
        assert!(write(dir.path(), &m, &key()).is_err());
    }
}
