//! Environments files: loading, errors, and how targets resolve.
use super::*;

const FILE: &str = r#"
[environments.production]
paths = ["/data/prod/**", "exports/prod/**"]
databases = ["postgres://prod-db.internal:5432/*", "mysql://10.0.0.5/*"]
buckets = ["s3://acme-prod/**", "gs://acme-prod-exports/**"]

[environments.test]
paths = ["/shares/test/**", "test-data/**", "/data/prod/shared-with-test/**"]
databases = ["postgres://test-db.internal/app/*"]

[manifests]
require_signed = true
key_file = "secrets/synthgate.key"

[audit]
log = "synthgate-audit.jsonl"

[[allow]]
targets = ["test", "stage"]
column = "support_email"
rule = "email"
reason = "shared support inbox"
author = "alice"
expires = "2027-01-31"
"#;

fn envs() -> Environments {
    Environments::from_toml("envs.toml", FILE, Path::new("/etc/synthgate")).unwrap()
}

fn env_of(target: &str) -> Option<Environment> {
    envs().resolve(target).target.environment
}

fn load_error(text: &str) -> String {
    Environments::from_toml("envs.toml", text, Path::new("/etc")).unwrap_err().message().to_string()
}

#[test]
fn paths_match_globs_absolute_and_relative_to_the_file() {
    assert_eq!(env_of("/data/prod/customers.csv"), Some(Environment::Production));
    assert_eq!(env_of("/data/prod/a/b/c.parquet"), Some(Environment::Production));
    assert_eq!(env_of("/data/prod"), Some(Environment::Production), "dir/** covers the directory");
    assert_eq!(env_of("/etc/synthgate/exports/prod/x.csv"), Some(Environment::Production));
    assert_eq!(env_of("/etc/synthgate/test-data/x.csv"), Some(Environment::Test));
    assert_eq!(env_of("/shares/test/x.csv"), Some(Environment::Test));
    assert_eq!(env_of("/data/production/x.csv"), None);
    let r = envs().resolve("/data/prod/x.csv");
    assert_eq!(r.matched.as_deref(), Some("environments.production.paths[0] = /data/prod/**"));
    assert!(r.explanation.contains("line 3"), "{}", r.explanation);
}

#[test]
fn dot_dot_is_resolved_before_matching() {
    assert_eq!(env_of("/data/prod/../scratch/x.csv"), None);
    assert_eq!(env_of("/shares/test/../../data/prod/x.csv"), Some(Environment::Production));
    let r = envs().resolve("/data/prod/./a/../x.csv");
    assert_eq!(r.target.location, "/data/prod/x.csv");
}

#[test]
fn paths_are_judged_where_their_symbolic_links_lead() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join("prod")).unwrap();
    std::fs::create_dir_all(root.join("test/share")).unwrap();
    std::os::unix::fs::symlink(root.join("test/share"), root.join("prod/link")).unwrap();
    let text = "[environments.production]\npaths = ['prod/**']\n[environments.test]\npaths = ['test/**']\n";
    let e = Environments::from_toml("e", text, &root).unwrap();
    let env = |p: &str| e.resolve(&root.join(p).display().to_string()).target.environment;
    assert_eq!(env("prod/x.csv"), Some(Environment::Production));
    assert_eq!(env("prod/link/x.csv"), Some(Environment::Test));
    assert_eq!(env("prod/link/../x.csv"), Some(Environment::Test), "`..` is taken where the link leads");
    let file = crate::target::resolve_file(&root.join("prod/link/new/x.csv")).unwrap();
    assert_eq!(e.resolve_path(&file).target.environment, Some(Environment::Test));
    assert_eq!(
        e.resolve(&format!("file://{}/prod/link/x.csv", root.display())).target.environment,
        Some(Environment::Test)
    );
    // Neither a URL synthgate reads nor a path: non-production.
    assert_eq!(e.resolve("s3:/prod/x.csv").target.environment, None);
    assert_eq!(e.resolve(&root.join("prod/new/../../../x").display().to_string()).target.environment, None);
}

#[test]
fn a_target_that_matches_nothing_is_non_production() {
    let r = envs().resolve("/tmp/out.csv");
    assert_eq!(r.target.environment, None);
    assert!(!r.target.is_production());
    assert!(r.explanation.contains("fail closed"), "{}", r.explanation);
    assert_eq!(envs().resolve("-").target.environment, None);
    let none = Environments::default();
    assert_eq!(none.resolve("/data/prod/x.csv").target.environment, None);
    assert_eq!(none.resolve("postgres://prod-db.internal/app").target.environment, None);
}

#[test]
fn a_target_matching_production_and_another_environment_is_ambiguous_and_non_production() {
    let r = envs().resolve("/data/prod/shared-with-test/x.csv");
    assert_eq!(r.target.environment, None);
    assert!(r.is_ambiguous());
    assert_eq!(r.ambiguous.len(), 2);
    assert!(r.explanation.contains("production, test"), "{}", r.explanation);
    let shown = envs().show("/data/prod/shared-with-test/x.csv");
    assert!(shown.contains("configuration error"), "{shown}");
    assert!(shown.contains("environments.test.paths[2] = /data/prod/shared-with-test/**"), "{shown}");
    assert!(shown.contains("personal data is refused"), "{shown}");
}

#[test]
fn database_urls_match_host_port_database_and_schema() {
    assert_eq!(env_of("postgres://prod-db.internal:5432/app"), Some(Environment::Production));
    assert_eq!(env_of("postgresql://user:pw@PROD-DB.internal/app?sslmode=require"), Some(Environment::Production));
    assert_eq!(env_of("postgres://prod-db.internal/app/public"), Some(Environment::Production), "any schema");
    assert_eq!(env_of("postgres://prod-db.internal:6543/app"), None, "another port is another server");
    assert_eq!(env_of("postgres://prod-db.internal"), None, "no database named");
    assert_eq!(env_of("mysql://10.0.0.5:3306/shop"), Some(Environment::Production));
    assert_eq!(env_of("postgres://test-db.internal/app/qa"), Some(Environment::Test));
    assert_eq!(env_of("postgres://test-db.internal/app"), None, "pattern names a schema");
    assert_eq!(env_of("postgres://test-db.internal/other/qa"), None);
    assert_eq!(env_of("postgres://prod-db.internal.evil.com/app"), None);
    assert_eq!(env_of("postgres://host:notaport/app"), None);
}

#[test]
fn buckets_match_by_scheme_bucket_and_prefix() {
    assert_eq!(env_of("s3://acme-prod/exports/2026/x.parquet"), Some(Environment::Production));
    assert_eq!(env_of("s3://acme-prod"), Some(Environment::Production));
    assert_eq!(env_of("s3://acme-prod-copy/x"), None);
    assert_eq!(env_of("gs://acme-prod/x"), None, "the scheme is part of the match");
    assert_eq!(env_of("gs://acme-prod-exports/x"), Some(Environment::Production));
}

#[test]
fn environment_names_resolve_to_environments_but_not_as_locations() {
    assert_eq!(env_of("test"), Some(Environment::Test));
    assert_eq!(env_of("production"), Some(Environment::Production));
    let r = envs().resolve_location("production");
    assert_eq!(r.target.environment, None, "a directory called production is just a directory");
}

#[test]
fn credentials_never_reach_the_resolution() {
    let r = envs().resolve("postgres://app:hunter2@prod-db.internal/app?password=hunter3&sslmode=require");
    assert_eq!(r.target.location, "postgres://app:***@prod-db.internal/app?password=***&sslmode=require");
    assert!(!envs().show("postgres://app:hunter2@x/app").contains("hunter2"));
    assert_eq!(redact("s3://b/k?X-Amz-Signature=abc&X-Amz-Date=1"), "s3://b/k?X-Amz-Signature=***&X-Amz-Date=1");
    assert_eq!(redact("host=db password=hunter2 dbname=app"), "host=db password=*** dbname=app");
    assert_eq!(redact("host=db password='hun ter2' dbname=app"), "host=db password=*** dbname=app");
    for leaky in ["postgres://u:p/ss@db/app", "postgres://u:p#ss@db/app", "postgres://u:p?ss@db/app?x=a@b"] {
        let r = redact(leaky);
        assert!(!r.contains("ss"), "{leaky} → {r}");
    }
    assert_eq!(redact("postgres://db/app?password=x:y@z"), "postgres://db/app?password=***");
    assert_eq!(redact("/plain/path.csv"), "/plain/path.csv");
}

#[test]
fn settings_are_exposed_with_paths_relative_to_the_file() {
    let e = envs();
    assert!(e.manifests().require_signed);
    assert_eq!(e.manifests().key, Some(KeySource::File(PathBuf::from("/etc/synthgate/secrets/synthgate.key"))));
    assert_eq!(e.audit_log(), Some(Path::new("/etc/synthgate/synthgate-audit.jsonl")));
    assert_eq!(e.allowlist().entries().len(), 1);
    assert_eq!(e.declared(), [Environment::Production, Environment::Test]);
}

#[test]
fn show_names_the_environment_the_reason_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("environments.toml");
    std::fs::write(&file, "[environments.stage]\npaths = [\"stage/**\"]\n").unwrap();
    let e = Environments::load(&file).unwrap();
    let shown = e.show(&dir.path().join("stage/x.csv").display().to_string());
    assert!(shown.contains("environment: stage"), "{shown}");
    assert!(shown.contains("environments.stage.paths[0] = stage/**"), "{shown}");
    assert!(shown.contains(&format!("file:        {}", file.display())), "{shown}");
    let shown = e.show("/elsewhere/x.csv");
    assert!(shown.contains("unknown (non-production)") && shown.contains("matches nothing"), "{shown}");
}

#[test]
fn unknown_environment_names_list_the_valid_ones() {
    let err = load_error("[environments.prod]\npaths = ['/x/**']\n");
    assert!(err.starts_with("envs.toml:"), "{err}");
    assert!(err.contains("unknown environment `prod`"), "{err}");
    assert!(err.contains("local, build, development, test, stage, production"), "{err}");
}

#[test]
fn bad_patterns_are_named_with_file_line_and_key() {
    let err = load_error("[environments.test]\npaths = ['/ok/**', '/bad/[x/**']\n");
    assert!(err.contains("envs.toml:2") && err.contains("environments.test.paths[1]"), "{err}");
    assert!(err.contains("invalid glob `/bad/[x/**`"), "{err}");
    let err = load_error("[environments.test]\ndatabases = ['prod-db:5432/app']\n");
    assert!(err.contains("environments.test.databases[0]") && err.contains("postgres://"), "{err}");
    let err = load_error("[environments.test]\ndatabases = ['sqlite:///x.db']\n");
    assert!(err.contains("under `paths`"), "{err}");
    let err = load_error("[environments.test]\nbuckets = ['s3://']\n");
    assert!(err.contains("no bucket"), "{err}");
    let err = load_error("[environments.test]\npath = ['/x']\n");
    assert!(err.contains("unknown key `path`"), "{err}");
}

#[test]
fn the_same_pattern_in_two_environments_is_refused_at_load() {
    let err = load_error("[environments.production]\npaths = ['/d/**']\n[environments.test]\npaths = ['/d/**']\n");
    assert!(err.contains("envs.toml:4") && err.contains("environments.production.paths[0]"), "{err}");
}

#[test]
fn manifest_settings_are_checked() {
    let err = load_error("[manifests]\nrequire_signed = true\n");
    assert!(err.contains("needs a key"), "{err}");
    let err = load_error("[manifests]\nkey_file = 'k'\nkey_env = 'K'\n");
    assert!(err.contains("either `key_file` or `key_env`"), "{err}");
    let e = Environments::from_toml("e", "[manifests]\nkey_env = 'SYNTHGATE_KEY'\n", Path::new("/")).unwrap();
    assert_eq!(e.manifests().key, Some(KeySource::Env("SYNTHGATE_KEY".into())));
    assert!(!e.manifests().require_signed);
}

#[test]
fn relative_targets_are_taken_against_the_current_directory() {
    let cwd = std::env::current_dir().unwrap();
    let r = Environments::default().resolve("out/x.csv");
    assert_eq!(Path::new(&r.target.location), cwd.join("out/x.csv"));
}

#[test]
fn credentials_name_where_the_password_is_never_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("pw");
    std::fs::write(&secret, "Pw-From-File-7\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let text = format!(
        r#"
[[credentials]]
database = "postgres://test-db.internal/app"
user = "loader"
password_file = "{}"

[[credentials]]
database = "mysql://*.internal:*/*"
password_env = "SG_ENV_TEST_PASSWORD_UNSET"
"#,
        secret.display()
    );
    let envs = Environments::from_toml("envs.toml", &text, dir.path()).unwrap();
    let login = envs.login("postgres://test-db.internal:5432/app", None).unwrap().unwrap();
    assert_eq!((login.user.as_deref(), login.password.as_str()), (Some("loader"), "Pw-From-File-7"));
    assert!(!format!("{login:?}").contains("Pw-From"));
    // Another user's password is not this user's; other databases get nothing.
    assert!(envs.login("postgres://test-db.internal:5432/app", Some("admin")).unwrap().is_none());
    assert!(envs.login("postgres://other.internal:5432/app", None).unwrap().is_none());
    let err = envs.login("mysql://db.internal:3306/shop", None).unwrap_err();
    assert!(err.message().contains("SG_ENV_TEST_PASSWORD_UNSET") && err.message().contains("credentials[1]"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = envs.login("postgres://test-db.internal:5432/app", None).unwrap_err();
        assert!(err.message().contains("chmod 600") && !err.message().contains("Pw-From"));
    }

    let err = load_error("[[credentials]]\ndatabase = \"postgres://db/app\"\npassword = \"Hunter2\"\n");
    assert!(err.contains("envs.toml:3:") && err.contains("password_env") && !err.contains("Hunter2"), "{err}");
    let err = load_error("[[credentials]]\ndatabase = \"postgres://db/app\"\n");
    assert!(err.contains("password_env or password_file"), "{err}");
    let err = load_error("[[credentials]]\ndatabase = \"postgres://u:p@db/app\"\npassword_env = \"X\"\n");
    assert!(err.contains("leave credentials"), "{err}");
}
