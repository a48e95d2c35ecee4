//! What a database URL says: which database, where, as whom. The password is kept only to hand
//! to the driver; everything a message shows comes from [`Params::shown`], which has none.

use std::fmt;
use std::path::PathBuf;

use crate::error::Error;
use crate::target::DatabaseUrl;

/// The databases synthgate writes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Postgres,
    /// MariaDB or MySQL.
    Mysql,
    Sqlite,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Postgres => "PostgreSQL",
            Kind::Mysql => "MariaDB/MySQL",
            Kind::Sqlite => "SQLite",
        }
    }
}

/// Whether and how the connection is encrypted: `sslmode` (PostgreSQL's names) or `ssl-mode`
/// (MySQL's) in the URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tls {
    Disable,
    /// TLS if the server offers it (PostgreSQL's default, as in libpq), certificate unchecked.
    Prefer,
    /// TLS or no connection; the certificate is not checked (libpq's `require`).
    Require,
    /// TLS with a certificate from a trusted authority (`sslrootcert=FILE`, else the system's).
    VerifyCa,
    /// As `VerifyCa`, and the certificate names the host.
    VerifyFull,
}

/// Connection parameters read from a URL (and, for the password, the environment).
#[derive(Clone)]
pub struct Params {
    pub kind: Kind,
    pub host: String,
    pub port: u16,
    pub user: Option<String>,
    password: Option<String>,
    /// Whether the password came with the URL (which then wins over every other source).
    password_in_url: bool,
    /// The database (PostgreSQL, MariaDB); empty for SQLite.
    pub database: String,
    /// PostgreSQL: the schema tables go in (`?schema=`), else the server's search path.
    pub schema: Option<String>,
    /// SQLite: the file.
    pub path: Option<PathBuf>,
    pub tls: Tls,
    /// `sslrootcert=FILE`: the authority a verified certificate must come from.
    pub root_cert: Option<PathBuf>,
}

impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Params({})", self.shown())
    }
}

impl Params {
    /// Reads `postgres://[user[:password]@]host[:port]/database[?schema=name]`,
    /// `mysql://…/database` (also `mariadb://`), `sqlite:///absolute/path.db` or
    /// `sqlite://relative/path.db`. Without a password in the URL, PostgreSQL takes
    /// `PGPASSWORD` and MariaDB `MYSQL_PWD` from the environment.
    pub fn parse(url: &DatabaseUrl) -> Result<Params, Error> {
        let text = url.connection_string();
        let shown = url.to_string();
        let bad = |why: &str| Error::usage(format!("{shown}: {why}"));
        let (scheme, rest) = text.split_once("://").ok_or_else(|| bad("not a database URL (scheme://…)"))?;
        let kind = match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Kind::Postgres,
            "mysql" | "mariadb" => Kind::Mysql,
            "sqlite" | "sqlite3" => Kind::Sqlite,
            other => return Err(bad(&format!("`{other}:` is not a database synthgate writes to"))),
        };
        let (rest, query) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        if kind == Kind::Sqlite {
            if let Some(q) = query.filter(|q| !q.is_empty()) {
                let k = q.split(['=', '&']).next().unwrap_or("");
                return Err(bad(&format!("unknown parameter `{k}` (an SQLite URL names its file only)")));
            }
            let path = decode(rest).ok_or_else(|| bad("the file name is not valid percent-encoding"))?;
            if path.is_empty() {
                return Err(bad("name the database file: sqlite://path/to/file.db or sqlite:///absolute/path.db"));
            }
            let path = PathBuf::from(path);
            let path = if path.is_absolute() { path } else { std::env::current_dir().unwrap_or_default().join(path) };
            return Ok(Params {
                kind,
                host: String::new(),
                port: 0,
                user: None,
                password: None,
                password_in_url: false,
                database: String::new(),
                schema: None,
                path: Some(path),
                tls: Tls::Disable,
                root_cert: None,
            });
        }
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            Some(u) => match u.split_once(':') {
                Some((u, p)) => (Some(u), Some(p)),
                None => (Some(u), None),
            },
            None => (None, None),
        };
        let user =
            user.map(|u| decode(u).ok_or_else(|| bad("the user name is not valid percent-encoding"))).transpose()?;
        let password_in_url = password.is_some();
        let password = match password {
            Some(p) => Some(decode(p).ok_or_else(|| bad("the password is not valid percent-encoding"))?),
            None => std::env::var(if kind == Kind::Postgres { "PGPASSWORD" } else { "MYSQL_PWD" }).ok(),
        };
        let (host, port) = if let Some(after) = hostport.strip_prefix('[') {
            let (h, p) = after.split_once(']').ok_or_else(|| bad("an IPv6 host needs its closing `]`"))?;
            (h.to_string(), p.strip_prefix(':'))
        } else {
            match hostport.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p)),
                None => (hostport.to_string(), None),
            }
        };
        let port = match port.filter(|p| !p.is_empty()) {
            Some(p) => p.parse().map_err(|_| bad(&format!("`{p}` is not a port")))?,
            None if kind == Kind::Postgres => 5432,
            None => 3306,
        };
        let host = if host.is_empty() { "localhost".to_string() } else { host };
        let database =
            decode(path.trim_end_matches('/')).ok_or_else(|| bad("the database name is not valid percent-encoding"))?;
        if database.is_empty() || database.contains('/') {
            return Err(bad("name one database: scheme://host/database"));
        }
        let mut schema = None;
        // libpq's default; MySQL's clients only encrypt when asked here.
        let mut tls = if kind == Kind::Postgres { Tls::Prefer } else { Tls::Disable };
        let mut root_cert = None;
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            match k {
                "schema" | "currentSchema" if kind == Kind::Postgres => {
                    schema = Some(decode(v).filter(|s| !s.is_empty()).ok_or_else(|| bad("`schema=` needs a name"))?)
                }
                "sslmode" | "ssl-mode" | "ssl_mode" => {
                    tls = match v.to_ascii_lowercase().replace('_', "-").as_str() {
                        "disable" | "disabled" => Tls::Disable,
                        "allow" | "prefer" | "preferred" => Tls::Prefer,
                        "require" | "required" => Tls::Require,
                        "verify-ca" => Tls::VerifyCa,
                        "verify-full" | "verify-identity" => Tls::VerifyFull,
                        _ => {
                            return Err(bad(&format!(
                                "`{k}={v}`: use disable, prefer, require, verify-ca or verify-full \
                                 (MySQL's DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY)"
                            )))
                        }
                    }
                }
                "sslrootcert" | "ssl-ca" => {
                    let p = decode(v).filter(|p| !p.is_empty()).ok_or_else(|| bad(&format!("`{k}=` needs a file")))?;
                    root_cert = Some(PathBuf::from(p));
                }
                _ => {
                    return Err(bad(&format!(
                        "unknown parameter `{k}` (synthgate knows schema (PostgreSQL), sslmode and sslrootcert)"
                    )))
                }
            }
        }
        if root_cert.is_some() && matches!(tls, Tls::Prefer | Tls::Require) {
            // As libpq does when it has a root certificate: the server's is checked.
            tls = Tls::VerifyCa;
        }
        let mut params =
            Params { kind, host, port, user, password, password_in_url, database, schema, path: None, tls, root_cert };
        if params.kind == Kind::Postgres && params.password.is_none() {
            params.password = pgpass(&params);
        }
        Ok(params)
    }

    /// Takes the user and password the environments file gives this database: they come
    /// before the environment's (`PGPASSWORD`, `.pgpass`, `MYSQL_PWD`), after the URL's.
    pub fn log_in_as(&mut self, user: Option<String>, password: String) {
        if self.password_in_url || self.kind == Kind::Sqlite {
            return;
        }
        if self.user.is_none() {
            self.user = user;
        }
        self.password = Some(password);
    }

    /// Whether the URL itself carried a password.
    pub fn password_in_url(&self) -> bool {
        self.password_in_url
    }

    /// The password, for the driver only.
    pub(super) fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// How messages, audit lines and manifests name this database: no password, ever.
    pub fn shown(&self) -> String {
        match self.kind {
            Kind::Sqlite => format!("sqlite://{}", self.path.as_deref().unwrap_or_else(|| "".as_ref()).display()),
            _ => {
                let scheme = if self.kind == Kind::Postgres { "postgres" } else { "mysql" };
                let user = self.user.as_deref().map(|u| format!("{u}@")).unwrap_or_default();
                let schema = self.schema.as_deref().map(|s| format!("?schema={s}")).unwrap_or_default();
                format!("{scheme}://{user}{}:{}/{}{schema}", self.host, self.port, self.database)
            }
        }
    }

    /// What the environments file matches: the URL without credentials, or the SQLite file's
    /// path (judged like any local file).
    pub fn location(&self) -> String {
        match self.kind {
            Kind::Sqlite => self.path.as_deref().unwrap_or_else(|| "".as_ref()).display().to_string(),
            _ => self.shown(),
        }
    }
}

/// The password PostgreSQL's password file (`PGPASSFILE`, else `~/.pgpass`) gives this
/// connection: the first line `host:port:database:user:password` whose fields match (`*`
/// matches anything; `\:` and `\\` escape). Like libpq, a file others can read is ignored.
fn pgpass(p: &Params) -> Option<String> {
    let file = match std::env::var_os("PGPASSFILE") {
        Some(f) => std::path::PathBuf::from(f),
        None => std::path::PathBuf::from(std::env::var_os("HOME")?).join(".pgpass"),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if std::fs::metadata(&file).ok()?.permissions().mode() & 0o077 != 0 {
            eprintln!(
                "synthgate: {} can be read by others; its passwords are not used (chmod 0600 it)",
                file.display()
            );
            return None;
        }
    }
    let text = std::fs::read_to_string(&file).ok()?;
    let user = p.user.clone().or_else(|| std::env::var("PGUSER").ok()).or_else(|| std::env::var("USER").ok())?;
    let port = p.port.to_string();
    let want = [p.host.as_str(), port.as_str(), p.database.as_str(), user.as_str()];
    for line in text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let fields = pgpass_fields(line);
        if fields.len() == 5 && fields[..4].iter().zip(want).all(|(f, w)| f == "*" || f == w) {
            return Some(fields[4].clone());
        }
    }
    None
}

fn pgpass_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields.last_mut().expect("one field").extend(chars.next()),
            ':' if fields.len() < 5 => fields.push(String::new()),
            c => fields.last_mut().expect("one field").push(c),
        }
    }
    fields
}

/// Percent-decoding of one URL component; `None` when it is not valid (or not UTF-8).
fn decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::Location;

    fn params(url: &str) -> Result<Params, Error> {
        match Location::parse(url).unwrap() {
            Location::Database(d) => Params::parse(&d),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn tls_modes_in_postgresql_and_mysql_spelling() {
        let tls = |url: &str| params(url).map(|p| (p.tls, p.root_cert)).unwrap();
        assert_eq!(tls("postgres://h/db").0, Tls::Prefer, "libpq's default");
        assert_eq!(tls("mysql://h/db").0, Tls::Disable);
        assert_eq!(tls("postgres://h/db?sslmode=disable").0, Tls::Disable);
        assert_eq!(tls("postgres://h/db?sslmode=require").0, Tls::Require);
        assert_eq!(tls("postgres://h/db?sslmode=verify-full").0, Tls::VerifyFull);
        assert_eq!(tls("mysql://h/db?ssl-mode=REQUIRED").0, Tls::Require);
        assert_eq!(tls("mysql://h/db?ssl-mode=VERIFY_IDENTITY").0, Tls::VerifyFull);
        assert_eq!(tls("mysql://h/db?ssl-mode=VERIFY_CA").0, Tls::VerifyCa);
        // A root certificate means the server's is checked.
        assert_eq!(
            tls("postgres://h/db?sslmode=require&sslrootcert=/etc/ca.pem"),
            (Tls::VerifyCa, Some("/etc/ca.pem".into()))
        );
        assert!(params("postgres://h/db?sslmode=maybe").is_err());
    }

    #[test]
    fn urls_give_host_port_database_and_schema_and_never_show_the_password() {
        let p = params("postgres://app:s3cr%40t@db.internal:6543/app_test?schema=feature_1").unwrap();
        assert_eq!(
            (p.kind, p.host.as_str(), p.port, p.database.as_str()),
            (Kind::Postgres, "db.internal", 6543, "app_test")
        );
        assert_eq!(p.schema.as_deref(), Some("feature_1"));
        assert_eq!(p.password(), Some("s3cr@t"));
        assert_eq!(p.shown(), "postgres://app@db.internal:6543/app_test?schema=feature_1");
        assert!(!format!("{p:?}").contains("s3cr"));

        let m = params("mysql://root@127.0.0.1/test").unwrap();
        assert_eq!((m.kind, m.port, m.database.as_str()), (Kind::Mysql, 3306, "test"));
        assert_eq!(m.shown(), "mysql://root@127.0.0.1:3306/test");

        let s = params("sqlite:///tmp/dev.db").unwrap();
        assert_eq!(s.path.as_deref(), Some(std::path::Path::new("/tmp/dev.db")));
        let rel = params("sqlite://dev.db").unwrap();
        assert!(rel.path.unwrap().is_absolute());
    }

    #[test]
    fn pgpass_lines_match_field_by_field_with_wildcards_and_escapes() {
        assert_eq!(pgpass_fields(r"db:5432:app:me:pa\:ss\\word"), vec!["db", "5432", "app", "me", r"pa:ss\word"]);
        assert_eq!(pgpass_fields("*:*:*:*:x:y"), vec!["*", "*", "*", "*", "x:y"]);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pgpass");
        std::fs::write(&file, "# comment\nother:5432:app:me:nope\n*:6543:app:me:Right-One\n*:*:*:*:fallback\n")
            .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let mut p = params("postgres://me@db.internal:6543/app").unwrap();
        p.password = None;
        // PGPASSFILE is read per call: set for this process only while the test runs.
        std::env::set_var("PGPASSFILE", &file);
        let found = pgpass(&p);
        p.port = 5432;
        let fallback = pgpass(&p);
        std::env::remove_var("PGPASSFILE");
        assert_eq!(found.as_deref(), Some("Right-One"));
        assert_eq!(fallback.as_deref(), Some("fallback"));
    }

    #[test]
    fn bad_urls_are_usage_errors_that_never_show_the_password() {
        for url in [
            "postgres://u:hunter2@h/",
            "postgres://u:hunter2@h:99999/d",
            "postgres://u:hunter2@h/d?sslcert=x",
            "mysql://u:hunter2@h/a/b",
            "sqlite://",
        ] {
            let e = params(url).unwrap_err();
            assert_eq!(e.kind(), crate::error::ErrorKind::Usage, "{url}");
            assert!(!e.message().contains("hunter2"), "{}", e.message());
        }
    }
}
