//! What every command that reads or writes data needs: the environments file, the rules, the
//! manifest key and the audit log — built once from the shared flags.
//!
//! The key is never optional for trust: a configured one (the environments file's, which the
//! command line cannot replace; else `--key-file`; else SYNTHGATE_KEY), or else a per-user key
//! made on first use. Manifests are always signed, and only signed ones vouch for lineage.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use synthgate::allowlist::{today, Allowlist};
use synthgate::audit::AuditLog;
use synthgate::batch::Lineage;
use synthgate::detect::Detector;
use synthgate::env::{per_user_key_path, Environments, KeySource, Resolution};
use synthgate::error::Error;
use synthgate::gate::{Gate, Refusal, Target};
use synthgate::manifest::{self, Key, LineageVerdict, ManifestStatus};
use synthgate::pipeline::{Delivery, Records};

#[derive(clap::Args, Clone, Debug, Default)]
pub struct GateArgs {
    /// Environments file: which targets are which environment, manifest keys, audit log,
    /// allowlist. Without one, every target is non-production.
    #[arg(long, value_name = "FILE")]
    pub env_file: Option<PathBuf>,
    /// Extra rule files or directories (added to, or overriding, the default rules).
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Key for scrubbing and for signing and verifying manifests: a file of at least 32 bytes.
    /// Also read from the environments file (which then pins it: a different key here is an
    /// error), or the SYNTHGATE_KEY environment variable; never given on the command line
    /// itself. Without any, manifests are signed with your per-user key, made on first use
    /// ($SYNTHGATE_HOME/key, else $XDG_CONFIG_HOME/synthgate/key, else ~/.config/synthgate/key).
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Append gate decisions to this audit log (JSON lines); overrides the environments file's.
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,
}

pub struct Context {
    pub env: Environments,
    pub detector: Arc<Detector>,
    /// Signs and checks manifests. `None` only when no key is configured and no per-user key
    /// could be kept: then no manifest vouches for anything and nothing can be written.
    key: Option<Key>,
    /// Whether `key` was configured (environments file, `--key-file`, SYNTHGATE_KEY) rather
    /// than the per-user key: only a configured key scrubs, so that pseudonyms are the same for
    /// everyone who shares it.
    configured: bool,
    /// Why there is no key.
    no_key: Option<String>,
    pub audit: Option<AuditLog>,
    allow: Allowlist,
    /// Manifests and files already said to be untrusted, so that each is said once.
    told: Mutex<HashSet<PathBuf>>,
}

impl Context {
    pub fn new(args: &GateArgs) -> Result<Context, Error> {
        let env = match &args.env_file {
            Some(p) => Environments::load(p)?,
            None => Environments::default(),
        };
        let detector = Arc::new(Detector::new(super::rules::load(&args.rules)?));
        let (key, configured, no_key) = resolve_key(&env, args.key_file.as_deref())?;
        let audit = match args.audit_log.as_deref().or(env.audit_log()) {
            Some(p) => Some(AuditLog::open(p)?),
            None => None,
        };
        let allow = env.allowlist().clone();
        for e in allow.expired(today()) {
            eprintln!("synthgate: warning: {}", e.expiry_warning());
        }
        Ok(Context { env, detector, key, configured, no_key, audit, allow, told: Mutex::new(HashSet::new()) })
    }

    /// The database a URL names, reached as the URL says, else as the environments file's
    /// `[[credentials]]` say, else as the environment does (`PGPASSWORD`, `.pgpass`,
    /// `MYSQL_PWD`).
    pub fn database(&self, url: &synthgate::target::DatabaseUrl) -> Result<synthgate::sink::db::Params, Error> {
        super::namespace::log_in(synthgate::sink::db::Params::parse(url)?, &self.env)
    }

    /// The key every manifest written is signed with.
    pub fn signing_key(&self) -> Result<&Key, Error> {
        self.key.as_ref().ok_or_else(|| {
            Error::config(format!("cannot sign the manifest: {}", self.no_key.as_deref().unwrap_or("no key")))
        })
    }

    /// The configured key, for scrubbing (never the per-user key).
    pub fn configured_key(&self) -> Option<&Key> {
        self.key.as_ref().filter(|_| self.configured)
    }

    /// The target a location (path, URL) resolves to; an ambiguous match is a usage error.
    pub fn target(&self, location: &str, by_name: bool) -> Result<Target, Error> {
        unambiguous(if by_name { self.env.resolve(location) } else { self.env.resolve_location(location) })
    }

    /// The target a command writes to: a local path already resolved by
    /// [`synthgate::target::resolve_file`], so that the environments file judges the place the
    /// bytes land; an ambiguous match is a configuration error.
    pub fn target_path(&self, resolved: &Path) -> Result<Target, Error> {
        unambiguous(self.env.resolve_path(resolved))
    }

    /// A path or name as messages may show it (personal data in it masked).
    pub fn shown<'a>(&self, path: &'a str) -> std::borrow::Cow<'a, str> {
        self.detector.shown_path(path)
    }

    /// A gate for writing what is read from `source` to `target`, with the allowlist entries
    /// that name this source or target.
    pub fn gate(&self, target: Target, source: &Path) -> Gate {
        let allow = self.allow.scoped(source, Some(&target));
        let gate = Gate::new(target, self.detector.clone());
        if allow.is_empty() {
            // No callback at all: the scan then skips the per-match work an allowlist needs.
            return gate;
        }
        let day = today();
        gate.with_allow(move |col, rule, matched| allow.allows(col, rule, matched, day))
    }

    /// The allowlist entries for `source` (read for `target`; `None`: a scan) as the detector's
    /// callback; `None` when no entry applies.
    pub fn allow_fn(&self, source: &Path, target: Option<&Target>) -> Option<impl Fn(&str, &str, &str) -> bool + Sync> {
        let allow = self.allow.scoped(source, target);
        let day = today();
        (!allow.is_empty()).then_some(move |col: &str, rule: &str, matched: &str| allow.allows(col, rule, matched, day))
    }

    /// Lineage of a file's columns from a manifest beside it signed with the key, provisional
    /// until [`LineageVerdict::confirm`] has seen the bytes read; everything else is input.
    pub fn lineage(&self, file: &Path) -> LineageVerdict {
        manifest::lineage_for(file, self.key.as_ref())
    }

    /// Lineage of a table's columns from the newest manifest row in its database signed with
    /// the key, provisional until confirmed by the rows read (see
    /// [`synthgate::sink::db::read::open_verified`]); everything else is input.
    pub fn table_lineage(&self, db: &synthgate::sink::db::Params, table: &str) -> Result<LineageVerdict, Error> {
        synthgate::sink::db::read::lineage(db, table, self.key.as_ref())
    }

    /// Says on standard error, once per manifest (or per file, for what concerns one file),
    /// why a manifest's lineage does not count. Names paths and reasons only.
    pub fn tell_untrusted(&self, file: &Path, v: &LineageVerdict) {
        let manifest_wide = match &v.status {
            ManifestStatus::Signed | ManifestStatus::NoManifest => return,
            ManifestStatus::Unsigned
            | ManifestStatus::SignatureInvalid
            | ManifestStatus::NoKey
            | ManifestStatus::Unreadable(_) => true,
            _ => false,
        };
        let first = {
            let mut told = self.told.lock().expect("told lock");
            told.insert(if manifest_wide { v.manifest.clone() } else { file.to_path_buf() })
        };
        if !first {
            return;
        }
        let mut why = v.reason();
        if v.status == ManifestStatus::NoKey {
            if let Some(n) = &self.no_key {
                why = format!("{why}: {n}");
            }
        }
        if manifest_wide {
            eprintln!("synthgate: {}: {why}; every file it lists is judged as input", v.manifest.display());
        } else {
            eprintln!("synthgate: {}: {why}; every column is judged as input", file.display());
        }
    }

    /// Where this run records its decisions.
    pub fn records(&self) -> Records<'_> {
        Records { audit: self.audit.as_ref(), detector: &self.detector }
    }

    /// The delivery of a run: its manifests signed with the run's key. A run that writes files
    /// needs the key before it starts; one that writes to standard output alone (no manifest)
    /// does not.
    pub fn delivery(&self, command: &'static str, files: bool) -> Result<Delivery<'_>, Error> {
        let key = if files { Some(self.signing_key()?) } else { self.key.as_ref() };
        Ok(Delivery::new(command, self.records(), key))
    }
}

fn unambiguous(r: Resolution) -> Result<Target, Error> {
    if r.is_ambiguous() {
        return Err(Error::config(format!(
            "target {} matches more than one environment ({}); fix the environments file",
            r.target.location,
            r.ambiguous.join("; ")
        )));
    }
    Ok(r.target)
}

/// The manifest key, whether it was configured, and why there is none. An environments file
/// that names a key pins it: a different `--key-file` or SYNTHGATE_KEY is a configuration
/// error, never a replacement.
fn resolve_key(env: &Environments, key_file: Option<&Path>) -> Result<(Option<Key>, bool, Option<String>), Error> {
    const VAR: &str = "SYNTHGATE_KEY";
    let var_set = std::env::var_os(VAR).is_some();
    if let Some(source) = &env.manifests().key {
        let pinned = env.manifests().load_key()?.expect("a configured key source gives a key");
        let file = env.file().map_or_else(|| "the environments file".to_string(), |f| f.display().to_string());
        let refuse = |what: String| {
            Error::config(format!(
                "{what} is not the key that {file} pins ([manifests] {}); the command line cannot \
                 replace it: leave it out, or change the environments file",
                source.describe()
            ))
        };
        if let Some(p) = key_file {
            if !Key::from_file(p)?.same_as(&pinned) {
                return Err(refuse(format!("--key-file {}", p.display())));
            }
        }
        let pinned_is_var = matches!(source, KeySource::Env(v) if v == VAR);
        if var_set && !pinned_is_var && !Key::from_env(VAR)?.same_as(&pinned) {
            return Err(refuse(format!("the key in {VAR}")));
        }
        return Ok((Some(pinned), true, None));
    }
    if let Some(p) = key_file {
        return Ok((Some(Key::from_file(p)?), true, None));
    }
    if var_set {
        return Ok((Some(Key::from_env(VAR)?), true, None));
    }
    let Some(path) = per_user_key_path() else {
        let why = "no key is configured, and neither SYNTHGATE_HOME nor HOME is set to keep a per-user key in; \
                   give --key-file FILE";
        return Ok((None, false, Some(why.to_string())));
    };
    match Key::load_or_create(&path) {
        Ok((key, created)) => {
            if created {
                eprintln!(
                    "synthgate: created your key for signing manifests: {} (readable by you only)",
                    path.display()
                );
            }
            Ok((Some(key), false, None))
        }
        Err(e) => Ok((
            None,
            false,
            Some(format!("no key is configured, and the per-user key cannot be used ({})", e.message())),
        )),
    }
}

/// Why a gated write stopped: the gate refused a chunk, or something else failed.
pub enum Failure {
    Refused(Refusal),
    Other(Error),
}

impl From<Failure> for Error {
    fn from(f: Failure) -> Error {
        match f {
            Failure::Refused(r) => r.into(),
            Failure::Other(e) => e,
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Other(e)
    }
}

/// A closure giving each column's lineage from a verdict.
pub fn lineage_fn(v: &LineageVerdict) -> impl Fn(&str) -> Lineage + Sync + '_ {
    move |c: &str| v.lineage(c)
}
