//! What every command that reads or writes data needs: the environments file, the rules, the
//! manifest key and the audit log — built once from the shared flags.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use synthgate::allowlist::{today, Allowlist};
use synthgate::audit::{AuditLog, Count, Decision, Outcome};
use synthgate::batch::Lineage;
use synthgate::detect::{ColumnSummary, Detector};
use synthgate::env::{Environments, Resolution};
use synthgate::error::Error;
use synthgate::gate::{Gate, Refusal, Target};
use synthgate::manifest::{self, Key, LineageVerdict};

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
    /// Also read from the environments file, or the SYNTHGATE_KEY environment variable; never
    /// given on the command line itself.
    #[arg(long, value_name = "FILE")]
    pub key_file: Option<PathBuf>,
    /// Append gate decisions to this audit log (JSON lines); overrides the environments file's.
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,
}

pub struct Context {
    pub env: Environments,
    pub detector: Arc<Detector>,
    pub key: Option<Key>,
    pub audit: Option<AuditLog>,
    allow: Allowlist,
}

impl Context {
    pub fn new(args: &GateArgs) -> Result<Context, Error> {
        let env = match &args.env_file {
            Some(p) => Environments::load(p)?,
            None => Environments::default(),
        };
        let detector = Arc::new(Detector::new(super::rules::load(&args.rules)?));
        let key = match &args.key_file {
            Some(p) => Some(Key::from_file(p)?),
            None => match env.manifests().load_key()? {
                Some(k) => Some(k),
                None if std::env::var_os("SYNTHGATE_KEY").is_some() => Some(Key::from_env("SYNTHGATE_KEY")?),
                None => None,
            },
        };
        let audit = match args.audit_log.as_deref().or(env.audit_log()) {
            Some(p) => Some(AuditLog::open(p)?),
            None => None,
        };
        let allow = env.allowlist().clone();
        for e in allow.expired(today()) {
            eprintln!("synthgate: warning: {}", e.expiry_warning());
        }
        Ok(Context { env, detector, key, audit, allow })
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
        let day = today();
        Gate::new(target, self.detector.clone())
            .with_allow(move |col, rule, matched| allow.allows(col, rule, matched, day))
    }

    /// The allowlist entries for `source` (read for `target`; `None`: a scan) as the detector's
    /// callback.
    pub fn allow_fn(&self, source: &Path, target: Option<&Target>) -> impl Fn(&str, &str, &str) -> bool + Sync {
        let allow = self.allow.scoped(source, target);
        let day = today();
        move |col: &str, rule: &str, matched: &str| allow.allows(col, rule, matched, day)
    }

    /// Lineage of a file's columns from a valid manifest beside it; everything else is input.
    pub fn lineage(&self, file: &Path) -> LineageVerdict {
        manifest::lineage_for(file, self.key.as_ref(), self.env.manifests().require_signed)
    }

    /// Appends one decision to the audit log, if there is one.
    pub fn audit(
        &self,
        command: &str,
        input: &str,
        input_sha256: Option<String>,
        target: &Target,
        outcome: Outcome,
        columns: &[ColumnSummary],
    ) -> Result<(), Error> {
        if let Some(log) = &self.audit {
            // Names are data: a file or target name that holds personal data is logged masked.
            let target = Target {
                location: self.detector.shown_path(&target.location).into_owned(),
                environment: target.environment,
            };
            let mut d = Decision::new(command, &self.detector.shown_path(input), &target, outcome);
            d.input_sha256 = input_sha256;
            d.counts = Count::from_columns(columns);
            log.append(&d)?;
        }
        Ok(())
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
