//! Environments: where each target sits on the route to live.
//!
//! An environments file maps paths, database URLs and object-store buckets to environments.
//! Only an unambiguous match makes a target production: a target that matches nothing, or that
//! matches more than one environment, is non-production (fail closed).

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};

use crate::allowlist::Allowlist;
use crate::error::Error;
use crate::gate::{Environment, Target};
use crate::manifest::Key;
use crate::target;
use crate::toml_cursor::{parse, Node, Source, TableNode};

/// A loaded environments file: target patterns per environment, manifest and audit settings,
/// and reviewed exceptions. The default declares nothing: every target is non-production.
#[derive(Clone, Debug, Default)]
pub struct Environments {
    file: Option<PathBuf>,
    declared: Vec<Environment>,
    patterns: Vec<Pattern>,
    manifests: ManifestSettings,
    audit_log: Option<PathBuf>,
    allowlist: Allowlist,
    credentials: Vec<Credential>,
}

/// `[[credentials]]`: who a database is reached as. The password itself is never in the file
/// (which lives in version control): it is read, when a connection needs it, from an
/// environment variable or a file only its owner can read.
#[derive(Clone, Debug)]
struct Credential {
    /// `credentials[0]`, for messages.
    key: String,
    database: DatabasePattern,
    user: Option<String>,
    password: Secret,
}

#[derive(Clone, Debug)]
enum Secret {
    Env(String),
    File(PathBuf),
}

/// A user and password for a database, from the environments file.
pub struct Login {
    pub user: Option<String>,
    pub password: String,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Login({:?}, <password>)", self.user)
    }
}

/// `[manifests]`: the key that signs and checks manifests, pinned (the command line cannot
/// replace it), and `require_signed`, which insists on that key. Lineage counts only from a
/// signed manifest whatever this says; without a key here synthgate uses a configured key from
/// the command line, or the per-user key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManifestSettings {
    pub require_signed: bool,
    pub key: Option<KeySource>,
}

/// Where the manifest key lives. The key itself is read only when needed and never stored here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// `key_file`, made absolute against the environments file's directory.
    File(PathBuf),
    /// `key_env`: the name of an environment variable.
    Env(String),
}

impl ManifestSettings {
    /// Reads the configured key, if any.
    pub fn load_key(&self) -> Result<Option<Key>, Error> {
        match &self.key {
            None => Ok(None),
            Some(KeySource::File(p)) => Key::from_file(p).map(Some),
            Some(KeySource::Env(v)) => Key::from_env(v).map(Some),
        }
    }
}

impl KeySource {
    /// How the environments file names the key, for messages: `key_file = /etc/…` or
    /// `key_env = NAME` (never the key itself).
    pub fn describe(&self) -> String {
        match self {
            KeySource::File(p) => format!("key_file = {}", p.display()),
            KeySource::Env(v) => format!("key_env = {v}"),
        }
    }
}

/// Where the per-user manifest key lives when none is configured: `$SYNTHGATE_HOME/key`, else
/// `$XDG_CONFIG_HOME/synthgate/key`, else `$HOME/.config/synthgate/key`; `None` when none of
/// these is set.
pub fn per_user_key_path() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(home) = var("SYNTHGATE_HOME") {
        return Some(home.join("key"));
    }
    // The XDG spec ignores relative paths.
    if let Some(config) = var("XDG_CONFIG_HOME").filter(|p| p.is_absolute()) {
        return Some(config.join("synthgate").join("key"));
    }
    var("HOME").map(|home| home.join(".config").join("synthgate").join("key"))
}

/// Which environment a target belongs to, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolution {
    /// The target as matched (an absolute, normalised path, or a URL with credentials
    /// redacted) and its environment; `None` means non-production.
    pub target: Target,
    /// The declaration that decided it: `environments.production.paths[0] = /data/prod/**`.
    pub matched: Option<String>,
    /// Every matching declaration when more than one environment matched: a configuration
    /// error, and the target is then non-production.
    pub ambiguous: Vec<String>,
    /// One sentence for humans.
    pub explanation: String,
}

impl Resolution {
    pub fn is_ambiguous(&self) -> bool {
        !self.ambiguous.is_empty()
    }
}

/// One entry of a `paths`, `databases` or `buckets` list.
#[derive(Clone, Debug)]
struct Pattern {
    environment: Environment,
    /// `environments.production.paths[0]`.
    key: String,
    /// As written.
    text: String,
    /// What it was resolved to, when that differs (relative paths).
    resolved: Option<String>,
    line: usize,
    rule: Rule,
}

#[derive(Clone, Debug)]
enum Rule {
    Path(GlobSet),
    Bucket(GlobSet),
    Database(DatabasePattern),
}

#[derive(Clone, Debug)]
struct DatabasePattern {
    scheme: String,
    host: HostPattern,
    port: PortPattern,
    /// `database[/schema]` glob; `None` matches every database on the server.
    path: Option<GlobMatcher>,
}

#[derive(Clone, Debug)]
enum HostPattern {
    Literal(String),
    Glob(GlobMatcher),
}

#[derive(Clone, Debug)]
enum PortPattern {
    Any,
    Is(Option<u16>),
}

impl Pattern {
    fn describe(&self) -> String {
        format!("{} = {}", self.key, self.text)
    }

    fn matches(&self, subject: &Subject) -> bool {
        match (&self.rule, subject) {
            (Rule::Path(set), Subject::Path(p)) => set.is_match(p),
            (Rule::Bucket(set), Subject::Url(u)) => set.is_match(&u.bucket_form),
            (Rule::Database(d), Subject::Url(u)) => d.matches(u),
            _ => false,
        }
    }
}

impl DatabasePattern {
    fn matches(&self, u: &UrlSubject) -> bool {
        self.scheme == u.scheme
            && match &self.host {
                HostPattern::Literal(h) => *h == u.host,
                HostPattern::Glob(g) => g.is_match(&u.host),
            }
            && match self.port {
                PortPattern::Any => true,
                PortPattern::Is(p) => p == u.port,
            }
            && match &self.path {
                None => true,
                Some(g) => (1..=u.segments.len()).any(|n| g.is_match(u.segments[..n].join("/"))),
            }
    }
}

impl Environments {
    /// Reads an environments file. Errors name the file, line and key path.
    pub fn load(path: &Path) -> Result<Environments, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::config(format!("cannot read the environments file {}: {e}", path.display())).with_source(e)
        })?;
        let file = absolute(path, &current_dir());
        let base = file.parent().map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
        // Targets are matched once their symbolic links are resolved; so are the patterns
        // written relative to the file.
        let base = base.canonicalize().unwrap_or(base);
        let mut envs = Environments::from_toml(&path.display().to_string(), &text, &base)?;
        envs.file = Some(file);
        Ok(envs)
    }

    /// Parses environments text; `name` is used in messages, relative paths are taken
    /// against `base_dir`.
    pub fn from_toml(name: &str, text: &str, base_dir: &Path) -> Result<Environments, Error> {
        let base = absolute(base_dir, &current_dir());
        let src = Source { name, text };
        let doc = parse(&src)?;
        let root = Node { src: &src, path: String::new(), value: &doc };
        let top = root.table()?;
        let mut envs = Environments::default();

        if let Some(node) = top.get("environments") {
            for (env_name, env_node) in node.table()?.entries() {
                let Some(env) = Environment::parse(env_name) else {
                    let valid: Vec<&str> = Environment::ALL.iter().map(|e| e.name()).collect();
                    return Err(env_node
                        .error(format!("unknown environment `{env_name}`; valid environments: {}", valid.join(", "))));
                };
                envs.declared.push(env);
                let t = env_node.table()?;
                t.get("description");
                for (kind, list) in
                    [("paths", t.get("paths")), ("databases", t.get("databases")), ("buckets", t.get("buckets"))]
                {
                    let Some(list) = list else { continue };
                    for item in list.array()? {
                        let pattern = compile_pattern(env, kind, &item, &base)?;
                        envs.check_duplicate(&pattern, &item)?;
                        envs.patterns.push(pattern);
                    }
                }
                t.deny_unknown("in an environment")?;
            }
        }
        if let Some(node) = top.get("manifests") {
            envs.manifests = manifest_settings(&node.table()?, &base)?;
        }
        if let Some(node) = top.get("audit") {
            let t = node.table()?;
            if let Some(log) = t.get("log") {
                let p = log.str()?;
                if p.is_empty() {
                    return Err(log.error("must not be empty"));
                }
                envs.audit_log = Some(absolute(Path::new(p), &base));
            }
            t.deny_unknown("in [audit]")?;
        }
        if let Some(node) = top.get("allow") {
            envs.allowlist = Allowlist::load_entries(&node, &base)?;
        }
        if let Some(node) = top.get("credentials") {
            for item in node.array()? {
                envs.credentials.push(credential(&item, &base)?);
            }
        }
        top.deny_unknown("at the top of an environments file")?;
        Ok(envs)
    }

    /// The same pattern under two environments can only ever be ambiguous: refuse it at load.
    fn check_duplicate(&self, p: &Pattern, node: &Node<'_, '_>) -> Result<(), Error> {
        let same = |q: &&Pattern| {
            q.environment != p.environment
                && std::mem::discriminant(&q.rule) == std::mem::discriminant(&p.rule)
                && q.resolved.as_ref().unwrap_or(&q.text) == p.resolved.as_ref().unwrap_or(&p.text)
        };
        match self.patterns.iter().find(same) {
            Some(q) => Err(node.error(format!(
                "`{}` is also declared as {} (line {}); a target belongs to one environment only",
                p.text, q.key, q.line
            ))),
            None => Ok(()),
        }
    }

    /// The file this was loaded from (absolute); `None` for [`Environments::default`].
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// Environments the file declares, in file order.
    pub fn declared(&self) -> &[Environment] {
        &self.declared
    }

    pub fn manifests(&self) -> &ManifestSettings {
        &self.manifests
    }

    /// `[audit] log`, absolute; `None` when not configured.
    pub fn audit_log(&self) -> Option<&Path> {
        self.audit_log.as_deref()
    }

    /// The `[[allow]]` entries.
    pub fn allowlist(&self) -> &Allowlist {
        &self.allowlist
    }

    /// Resolves a target given on the command line: an environment name (`test`,
    /// `production`) stands for that environment; anything else is a location
    /// ([`Environments::resolve_location`]).
    pub fn resolve(&self, target: &str) -> Resolution {
        match Environment::parse(target) {
            Some(env) => Resolution {
                target: Target { location: target.to_string(), environment: Some(env) },
                matched: None,
                ambiguous: Vec::new(),
                explanation: format!("`{target}` names the {} environment", env.name()),
            },
            None => self.resolve_location(target),
        }
    }

    /// Resolves a path (relative to the current directory), `-` (standard output), or a URL
    /// (database or bucket). Never treats the text as an environment name: use this for the
    /// paths a sink writes, so that a directory called `production` stays a directory.
    pub fn resolve_location(&self, location: &str) -> Resolution {
        let subject = Subject::of(location);
        let shown = match &subject {
            Subject::Path(p) => p.clone(),
            _ => redact(location),
        };
        self.classify(subject, shown)
    }

    /// Classifies a local path that [`crate::target::resolve_file`] or
    /// [`crate::target::resolve_dir`] has resolved: the place a command will write.
    pub fn resolve_path(&self, resolved: &Path) -> Resolution {
        let p = normalise(resolved).to_string_lossy().into_owned();
        self.classify(Subject::Path(p.clone()), p)
    }

    /// The user and password the first `[[credentials]]` entry matching `location` (a database
    /// URL without credentials) gives, read from its variable or file now. An entry for
    /// another user than `user` (the URL's) does not apply. Errors name the entry, never the
    /// password.
    pub fn login(&self, location: &str, user: Option<&str>) -> Result<Option<Login>, Error> {
        let Subject::Url(u) = Subject::of(location) else { return Ok(None) };
        let Some(c) = self
            .credentials
            .iter()
            .find(|c| c.database.matches(&u) && (user.is_none() || c.user.is_none() || c.user.as_deref() == user))
        else {
            return Ok(None);
        };
        let file =
            self.file.as_deref().map_or_else(|| "the environments file".to_string(), |f| f.display().to_string());
        let password = match &c.password {
            Secret::Env(v) => std::env::var(v).map_err(|_| {
                Error::config(format!("{file}: {} reads the password from ${v}, which is not set", c.key))
            })?,
            Secret::File(p) => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let mode = std::fs::metadata(p)
                        .map_err(|e| Error::config(format!("{file}: {}: cannot read {}: {e}", c.key, p.display())))?
                        .permissions()
                        .mode();
                    if mode & 0o077 != 0 {
                        return Err(Error::config(format!(
                            "{file}: {}: {} can be read by others; make it readable by its owner only (chmod 600)",
                            c.key,
                            p.display()
                        )));
                    }
                }
                let text = std::fs::read_to_string(p)
                    .map_err(|e| Error::config(format!("{file}: {}: cannot read {}: {e}", c.key, p.display())))?;
                text.trim_end_matches(['\n', '\r']).to_string()
            }
        };
        Ok(Some(Login { user: c.user.clone(), password }))
    }

    fn classify(&self, subject: Subject, shown: String) -> Resolution {
        let non_production = |explanation: String, ambiguous: Vec<String>| Resolution {
            target: Target { location: shown.clone(), environment: None },
            matched: None,
            ambiguous,
            explanation,
        };
        match &subject {
            Subject::Stdout => {
                return non_production("standard output is never a production target".to_string(), Vec::new())
            }
            Subject::Unparseable => {
                return non_production(
                    format!(
                        "`{shown}` cannot be read as a URL or resolved as a local path, so it is non-production \
                         (fail closed)"
                    ),
                    Vec::new(),
                )
            }
            _ => {}
        }

        let hits: Vec<&Pattern> = self.patterns.iter().filter(|p| p.matches(&subject)).collect();
        let mut envs: Vec<Environment> = Vec::new();
        for h in &hits {
            if !envs.contains(&h.environment) {
                envs.push(h.environment);
            }
        }
        let file = self.file.as_ref().map_or_else(|| "the environments file".to_string(), |f| f.display().to_string());
        match envs.as_slice() {
            [] if self.file.is_none() && self.patterns.is_empty() => non_production(
                "no environments are declared, so every target is non-production (fail closed)".to_string(),
                Vec::new(),
            ),
            [] => non_production(
                format!(
                    "matches nothing declared in {file}; a target that matches nothing is non-production (fail closed)"
                ),
                Vec::new(),
            ),
            [env] => {
                let first = hits[0];
                Resolution {
                    target: Target { location: shown.clone(), environment: Some(*env) },
                    matched: Some(first.describe()),
                    ambiguous: Vec::new(),
                    explanation: format!("matched {} ({file}, line {})", first.describe(), first.line),
                }
            }
            _ => {
                let list: Vec<String> = hits.iter().map(|p| p.describe()).collect();
                let names: Vec<&str> = envs.iter().map(|e| e.name()).collect();
                non_production(
                    format!(
                        "matches more than one environment ({}): a configuration error in {file}; until each target \
                         matches one environment only, this one is non-production",
                        names.join(", ")
                    ),
                    list,
                )
            }
        }
    }

    /// Human text for `synthgate env show TARGET`: the environment, why, and the file.
    pub fn show(&self, target: &str) -> String {
        let r = self.resolve(target);
        let mut out = String::new();
        let _ = writeln!(out, "target:      {}", r.target.location);
        if r.is_ambiguous() {
            let _ = writeln!(out, "environment: none (configuration error: more than one environment matches)");
        } else {
            let _ = writeln!(out, "environment: {}", r.target.environment_name());
        }
        let _ = writeln!(out, "why:         {}", r.explanation);
        for m in &r.ambiguous {
            let p = self.patterns.iter().find(|p| p.describe() == *m);
            let _ = writeln!(out, "  matches:   {m}{}", p.map_or(String::new(), |p| format!(" (line {})", p.line)));
        }
        if let Some(p) = r.matched.as_ref().and_then(|m| self.patterns.iter().find(|p| p.describe() == *m)) {
            if let Some(resolved) = &p.resolved {
                let _ = writeln!(out, "pattern:     {} (relative to the environments file)", resolved);
            }
        }
        match &self.file {
            Some(f) => {
                let _ = writeln!(out, "file:        {}", f.display());
            }
            None => {
                let _ = writeln!(out, "file:        none (no environments file loaded)");
            }
        }
        let pid = if r.target.is_production() { "may receive personal data" } else { "personal data is refused" };
        let _ = writeln!(out, "gate:        {pid}");
        out
    }
}

/// One `[[credentials]]` entry: `database` (a pattern as under `databases`), `user`, and the
/// password's source, `password_env` or `password_file`; a literal `password` is refused.
fn credential(item: &Node<'_, '_>, base: &Path) -> Result<Credential, Error> {
    let t = item.table()?;
    let database = match t.get("database") {
        Some(n) => database_pattern(n.str()?).map_err(|m| n.error(m))?,
        None => return Err(item.error("name the `database` these credentials are for (a URL pattern)")),
    };
    if let Some(n) = t.get("password") {
        return Err(n.error(
            "a password does not belong in the environments file: use password_env = \"VARIABLE\" or \
             password_file = \"/run/secrets/…\"",
        ));
    }
    let user = t.get("user").map(|n| n.str().map(str::to_string)).transpose()?;
    let password = match (t.get("password_env"), t.get("password_file")) {
        (Some(e), None) => {
            let name = e.str()?;
            if name.is_empty() || name.contains('=') || name.contains('\0') {
                return Err(e.error("must be the name of an environment variable"));
            }
            Secret::Env(name.to_string())
        }
        (None, Some(f)) => {
            let p = f.str()?;
            if p.is_empty() {
                return Err(f.error("must not be empty"));
            }
            Secret::File(absolute(Path::new(p), base))
        }
        (Some(e), Some(_)) => return Err(e.error("give either `password_env` or `password_file`, not both")),
        (None, None) => return Err(item.error("give the password's source: password_env or password_file")),
    };
    t.deny_unknown("in [[credentials]]")?;
    Ok(Credential { key: item.path.clone(), database, user, password })
}

fn manifest_settings(t: &TableNode<'_, '_>, base: &Path) -> Result<ManifestSettings, Error> {
    let require_signed = match t.get("require_signed") {
        Some(n) => n.bool()?,
        None => false,
    };
    let key = match (t.get("key_file"), t.get("key_env")) {
        (Some(f), Some(_)) => return Err(f.error("give either `key_file` or `key_env`, not both")),
        (Some(f), None) => {
            let p = f.str()?;
            if p.is_empty() {
                return Err(f.error("must not be empty"));
            }
            Some(KeySource::File(absolute(Path::new(p), base)))
        }
        (None, Some(v)) => {
            let name = v.str()?;
            if name.is_empty() || name.contains('=') || name.contains('\0') {
                return Err(v.error("must be the name of an environment variable"));
            }
            Some(KeySource::Env(name.to_string()))
        }
        (None, None) => None,
    };
    t.deny_unknown("in [manifests]")?;
    if require_signed && key.is_none() {
        return Err(t
            .node
            .error("`require_signed = true` needs a key to check signatures: add `key_file` or `key_env`"));
    }
    Ok(ManifestSettings { require_signed, key })
}

fn compile_pattern(env: Environment, kind: &str, node: &Node<'_, '_>, base: &Path) -> Result<Pattern, Error> {
    let text = node.str()?;
    let (rule, resolved) = match kind {
        "paths" => {
            let (glob, set) = path_pattern(text, base).map_err(|m| node.error(m))?;
            let resolved = (glob != text).then_some(glob);
            (Rule::Path(set), resolved)
        }
        "buckets" => (Rule::Bucket(bucket_pattern(text).map_err(|m| node.error(m))?), None),
        _ => (Rule::Database(database_pattern(text).map_err(|m| node.error(m))?), None),
    };
    Ok(Pattern { environment: env, key: node.path.clone(), text: text.to_string(), resolved, line: node.line(), rule })
}

const GLOB_META: [char; 4] = ['*', '?', '[', '{'];

fn glob(text: &str) -> Result<GlobMatcher, String> {
    GlobBuilder::new(text)
        .literal_separator(true)
        .backslash_escape(false)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| format!("invalid glob `{text}`: {}", e.kind()))
}

/// A glob set for `pattern`: a pattern without wildcards is a prefix (the path and everything
/// under it), and `dir/**` also matches `dir` itself.
fn prefix_glob_set(pattern: &str, written: &str) -> Result<GlobSet, String> {
    let mut globs = vec![pattern.to_string()];
    if !written.contains(GLOB_META) {
        globs.push(format!("{}/**", pattern.trim_end_matches('/')));
    } else if let Some(dir) = pattern.strip_suffix("/**") {
        globs.push(if dir.is_empty() { "/".to_string() } else { dir.to_string() });
    }
    let mut b = GlobSetBuilder::new();
    for g in &globs {
        b.add(
            GlobBuilder::new(g)
                .literal_separator(true)
                .backslash_escape(false)
                .build()
                .map_err(|e| format!("invalid glob `{written}`: {}", e.kind()))?,
        );
    }
    b.build().map_err(|e| format!("invalid glob `{written}`: {e}"))
}

/// The absolute, lexically normalised glob for a `paths` entry, and its matcher.
fn path_pattern(text: &str, base: &Path) -> Result<(String, GlobSet), String> {
    if text.is_empty() {
        return Err("an empty path matches nothing; remove it".to_string());
    }
    if text.starts_with('~') {
        return Err(format!("`{text}`: `~` is not expanded; write the full path"));
    }
    // (component, holds a wildcard)
    let mut parts: Vec<(String, bool)> = Vec::new();
    if !text.starts_with('/') {
        for c in normalise(base).components() {
            if let Component::Normal(n) = c {
                parts.push((globset::escape(&n.to_string_lossy()), false));
            }
        }
    }
    for seg in text.split('/') {
        match seg {
            "" | "." => {}
            ".." => match parts.last() {
                Some((_, true)) => return Err(format!("`{text}`: `..` after a wildcard cannot be resolved")),
                Some(_) => {
                    parts.pop();
                }
                None => {}
            },
            s => parts.push((s.to_string(), s.contains(GLOB_META))),
        }
    }
    let joined = format!("/{}", parts.iter().map(|(s, _)| s.as_str()).collect::<Vec<_>>().join("/"));
    let set = prefix_glob_set(&joined, text)?;
    Ok((joined, set))
}

fn bucket_pattern(text: &str) -> Result<GlobSet, String> {
    let hint = "expected a bucket URL such as s3://bucket/prefix/**";
    let url = Url::parse(text).ok_or_else(|| format!("`{text}`: {hint}"))?;
    if url.host.is_empty() {
        return Err(format!("`{text}`: no bucket; {hint}"));
    }
    if url.password || url.query.is_some() {
        return Err(format!("`{text}`: leave credentials and query strings out of bucket patterns"));
    }
    prefix_glob_set(&url.bucket_form(), text)
}

fn database_pattern(text: &str) -> Result<DatabasePattern, String> {
    let hint = "expected a database URL such as postgres://host:5432/database[/schema]";
    let url = Url::parse(text).ok_or_else(|| format!("`{text}`: {hint}"))?;
    if is_file_scheme(&url.scheme) {
        return Err(format!("`{text}`: {} databases are files; list them under `paths`", url.scheme));
    }
    if url.host.is_empty() {
        return Err(format!("`{text}`: no host; {hint}"));
    }
    if url.user.is_some() || url.query.is_some() {
        return Err(format!("`{text}`: leave credentials and query strings out of database patterns"));
    }
    let host = if url.host.starts_with('[') {
        HostPattern::Literal(url.host.clone())
    } else {
        HostPattern::Glob(
            GlobBuilder::new(&url.host)
                .case_insensitive(true)
                .backslash_escape(false)
                .build()
                .map_err(|e| format!("invalid host glob in `{text}`: {}", e.kind()))?
                .compile_matcher(),
        )
    };
    let port = match url.port {
        Some("*") => PortPattern::Any,
        Some(p) => PortPattern::Is(Some(p.parse().map_err(|_| format!("`{text}`: `{p}` is not a port number"))?)),
        None => PortPattern::Is(default_port(&url.scheme)),
    };
    let path = url.path.trim_matches('/');
    let path = if path.is_empty() { None } else { Some(glob(path)?) };
    Ok(DatabasePattern { scheme: url.scheme, host, port, path })
}

/// What a target is, normalised for matching.
enum Subject {
    Stdout,
    /// Absolute, lexically normalised.
    Path(String),
    Url(UrlSubject),
    Unparseable,
}

struct UrlSubject {
    scheme: String,
    host: String,
    /// Explicit, or the scheme's default.
    port: Option<u16>,
    /// Path segments: database, schema, ….
    segments: Vec<String>,
    /// `scheme://authority/key` for bucket patterns.
    bucket_form: String,
}

impl Subject {
    fn of(location: &str) -> Subject {
        // Paths, `file:` URLs and `-` are read as a write target is, symbolic links resolved;
        // what cannot be resolved is non-production.
        let local = |path: &Path| match target::resolve_dir(path) {
            Ok(p) => Subject::Path(p.to_string_lossy().into_owned()),
            Err(_) => Subject::Unparseable,
        };
        match target::Location::parse(location) {
            Ok(target::Location::Stdout) => return Subject::Stdout,
            Ok(target::Location::Path(p)) => return local(&p),
            _ if !location.contains("://") => return Subject::Unparseable,
            _ => {}
        }
        let Some(url) = Url::parse(location) else { return Subject::Unparseable };
        if is_file_scheme(&url.scheme) {
            let rest = location.split_once("://").map_or("", |(_, r)| r);
            let path = rest.split(['?', '#']).next().unwrap_or("");
            if path.is_empty() {
                return Subject::Unparseable;
            }
            return local(Path::new(path));
        }
        let port = match url.port {
            Some(p) => match p.parse() {
                Ok(p) => Some(p),
                Err(_) => return Subject::Unparseable,
            },
            None => default_port(&url.scheme),
        };
        Subject::Url(UrlSubject {
            bucket_form: url.bucket_form(),
            segments: url.path.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect(),
            scheme: url.scheme,
            host: url.host,
            port,
        })
    }
}

/// The parts of `scheme://[user[:password]@]host[:port][/path][?query][#fragment]` that
/// matching needs. Never keeps a password.
struct Url<'a> {
    /// Lower case, aliases folded (`postgresql` → `postgres`).
    scheme: String,
    user: Option<&'a str>,
    password: bool,
    /// Lower case, without a trailing dot; IPv6 literals keep their brackets.
    host: String,
    port: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
}

impl<'a> Url<'a> {
    fn parse(s: &'a str) -> Option<Url<'a>> {
        let (scheme, rest) = s.split_once("://")?;
        let ok_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !ok_scheme {
            return None;
        }
        let rest = rest.split('#').next().unwrap_or("");
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let auth_end = rest.find('/').unwrap_or(rest.len());
        let (authority, path) = rest.split_at(auth_end);
        let (user, password, hostport) = match authority.rsplit_once('@') {
            Some((info, hp)) => match info.split_once(':') {
                Some((u, _)) => (Some(u), true, hp),
                None => (Some(info), false, hp),
            },
            None => (None, false, authority),
        };
        let (host, port) = if hostport.starts_with('[') {
            let close = hostport.find(']')?;
            let after = &hostport[close + 1..];
            let port = match after.strip_prefix(':') {
                Some(p) => Some(p),
                None if after.is_empty() => None,
                None => return None,
            };
            (&hostport[..=close], port)
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (hostport, None),
            }
        };
        let port = port.filter(|p| !p.is_empty());
        let mut scheme = scheme.to_ascii_lowercase();
        if scheme == "postgresql" {
            scheme = "postgres".to_string();
        }
        Some(Url { scheme, user, password, host: host.trim_end_matches('.').to_ascii_lowercase(), port, path, query })
    }

    /// `scheme://[user@]host[:port]/key` with trailing slashes removed, for bucket globs.
    fn bucket_form(&self) -> String {
        let mut s = format!("{}://", self.scheme);
        if let Some(u) = self.user {
            s.push_str(&u.to_ascii_lowercase());
            s.push('@');
        }
        s.push_str(&self.host);
        if let Some(p) = self.port {
            s.push(':');
            s.push_str(p);
        }
        s.push_str(self.path.trim_end_matches('/'));
        s
    }
}

fn is_file_scheme(scheme: &str) -> bool {
    matches!(scheme, "file" | "sqlite" | "sqlite3")
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "postgres" => Some(5432),
        "mysql" | "mariadb" => Some(3306),
        "sqlserver" | "mssql" => Some(1433),
        "mongodb" => Some(27017),
        "oracle" => Some(1521),
        _ => None,
    }
}

const SECRET_WORDS: [&str; 8] = ["pass", "pwd", "secret", "token", "key", "sig", "cred", "auth"];

fn secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    SECRET_WORDS.iter().any(|w| lower.contains(w))
}

/// A location with credentials removed: the password of `user:password@`, and the values of
/// query parameters (or libpq `key=value` words) whose names suggest a secret.
///
/// Errs towards hiding too much: a password holding `/`, `?` or `#` (unencoded) is still hidden,
/// at the cost of an odd-looking location when `@` appears later in the URL.
pub fn redact(location: &str) -> String {
    let Some((scheme, mut rest)) = location.split_once("://") else {
        return redact_keywords(location);
    };
    let mut out = format!("{scheme}://");
    if let Some(at) = rest.rfind('@') {
        if let Some(colon) = rest[..at].find(':') {
            let user = &rest[..colon];
            if !user.contains(['/', '?', '#']) {
                let _ = write!(out, "{user}:***@");
                rest = &rest[at + 1..];
            }
        }
    }
    let (rest, fragment) = match rest.split_once('#') {
        Some((r, f)) => (r, Some(f)),
        None => (rest, None),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    out.push_str(rest);
    if let Some(q) = query {
        out.push('?');
        let pairs: Vec<String> = q
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _)) if secret_name(k) => format!("{k}=***"),
                _ => pair.to_string(),
            })
            .collect();
        out.push_str(&pairs.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// libpq's keyword form: `host=db password='a b' dbname=app`.
fn redact_keywords(s: &str) -> String {
    if !s.contains('=') {
        return s.to_string();
    }
    let mut out: Vec<String> = Vec::new();
    // A quoted value ends at a word ending in an unescaped quote.
    let open_quote = |v: &str| !v.ends_with('\'') || v.ends_with("\\'");
    let mut in_quoted_secret = false;
    for word in s.split(' ') {
        if in_quoted_secret {
            in_quoted_secret = open_quote(word);
            continue;
        }
        match word.split_once('=') {
            Some((k, v)) if secret_name(k) => {
                out.push(format!("{k}=***"));
                let v = v.strip_prefix('\'');
                in_quoted_secret = v.is_some_and(open_quote);
            }
            _ => out.push(word.to_string()),
        }
    }
    out.join(" ")
}

pub(crate) fn current_dir() -> PathBuf {
    // Without a current directory a relative target cannot be placed; `/` keeps it from
    // matching any relative declaration by accident, and absolute globs still apply.
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"))
}

/// `path` made absolute against `base`, with `.` and `..` resolved lexically (symbolic links
/// are not followed).
pub(crate) fn absolute(path: &Path, base: &Path) -> PathBuf {
    if path.is_absolute() {
        normalise(path)
    } else {
        normalise(&base.join(path))
    }
}

fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => out.push(n),
        }
    }
    out
}

/// Serde for an optional environment as its name or `null`, for manifests and the audit log.
pub(crate) mod serde_environment {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::gate::Environment;

    pub fn serialize<S: Serializer>(env: &Option<Environment>, s: S) -> Result<S::Ok, S::Error> {
        match env {
            Some(e) => s.serialize_str(e.name()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Environment>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(name) => Environment::parse(&name)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("unknown environment `{name}`"))),
        }
    }
}

#[cfg(test)]
mod tests;
