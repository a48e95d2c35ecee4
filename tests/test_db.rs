//! Databases as sinks: generate straight into SQLite, PostgreSQL and MariaDB, all or nothing,
//! against the real servers of this machine (PostgreSQL 127.0.0.1:5432, MariaDB
//! 127.0.0.1:3306). Each test works in a database of its own and drops it. Where a server does
//! not answer, the test fails under CI (`CI` set, as `.ci/run` does) and is skipped with a
//! message elsewhere.

use mysql::prelude::Queryable;

use crate::util::{run, stderr, Dir};

pub(crate) const PG_ADMIN: &str = "host=127.0.0.1 port=5432 user=postgres dbname=postgres";
pub(crate) const MY_ADMIN: &str = "mysql://root@127.0.0.1:3306/test";

/// A small schema with a parent, a child and a self-reference through a nullable column.
const SHOP: &str = r#"
name = "shop"
seed = 7
now = "2026-01-01T00:00:00Z"

[tables.customers]
rows = 300

[tables.customers.columns]
id = { gen = "sequence", start = 1 }
email = { gen = "email", unique = true }
joined = { gen = "timestamp", min = "now-2y", max = "now" }
vip = { gen = "bool", p = 0.1 }

[tables.orders]
per = "customers"
count = { dist = "uniform", min = 0, max = 4 }

[tables.orders.columns]
id = { gen = "sequence", start = 1 }
customer_id = { ref = "customers.id" }
placed = { gen = "date", min = "2025-01-01", max = "2025-12-31" }
amount = { gen = "decimal", scale = 2, min = 1, max = 500 }
note = { gen = "choice", values = ["gift\twrap", "leave at door\\back", "none"] }
"#;

/// The same, with a second table whose card numbers are not in the reserved test ranges: the
/// gate refuses it after the first table was loaded.
const REFUSED_LATE: &str = r#"
name = "late"
seed = 7

[tables.customers]
rows = 50

[tables.customers.columns]
id = { gen = "sequence", start = 1 }

[tables.payments]
rows = 20000

[tables.payments.columns]
id = { gen = "sequence", start = 1 }
card = { gen = "regex", pattern = "4[0-9]{15}" }
"#;

/// Whether a server answers; under CI a missing server is a failure.
pub(crate) fn available(what: &str, ok: bool) -> bool {
    if !ok {
        assert!(std::env::var_os("CI").is_none(), "{what} is not reachable, and CI needs it");
        eprintln!("skipped: {what} is not reachable on this machine");
    }
    ok
}

pub(crate) fn unique_name(tag: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!("sg_{tag}_{}_{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst))
}

/// A PostgreSQL database of the test's own, dropped at the end.
pub(crate) struct PgDb {
    pub(crate) name: String,
}

impl PgDb {
    pub(crate) fn new() -> Option<PgDb> {
        let admin = postgres::Client::connect(PG_ADMIN, postgres::NoTls);
        if !available("PostgreSQL at 127.0.0.1:5432", admin.is_ok()) {
            return None;
        }
        let name = unique_name("pg");
        admin.unwrap().batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        Some(PgDb { name })
    }

    pub(crate) fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:5432/{}", self.name)
    }

    pub(crate) fn client(&self) -> postgres::Client {
        postgres::Client::connect(
            &format!("host=127.0.0.1 port=5432 user=postgres dbname={}", self.name),
            postgres::NoTls,
        )
        .unwrap()
    }

    /// Drops the database now, then `role`, which holds rights in it (roles outlive databases).
    pub(crate) fn drop_with_role(&self, role: &str) {
        if let Ok(mut c) = postgres::Client::connect(PG_ADMIN, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
            let _ = c.batch_execute(&format!("DROP ROLE IF EXISTS {role}"));
        }
    }

    pub(crate) fn count(&self, table: &str) -> i64 {
        self.client().query_one(&format!("SELECT count(*) FROM {table}"), &[]).unwrap().get(0)
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(PG_ADMIN, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}

/// A MariaDB database of the test's own, dropped at the end.
pub(crate) struct MyDb {
    pub(crate) name: String,
}

impl MyDb {
    pub(crate) fn new() -> Option<MyDb> {
        let admin = mysql::Conn::new(mysql::Opts::from_url(MY_ADMIN).unwrap());
        if !available("MariaDB at 127.0.0.1:3306", admin.is_ok()) {
            return None;
        }
        let name = unique_name("my");
        admin.unwrap().query_drop(format!("CREATE DATABASE {name}")).unwrap();
        Some(MyDb { name })
    }

    pub(crate) fn url(&self) -> String {
        format!("mysql://root@127.0.0.1:3306/{}", self.name)
    }

    pub(crate) fn conn(&self) -> mysql::Conn {
        mysql::Conn::new(mysql::Opts::from_url(&self.url()).unwrap()).unwrap()
    }

    pub(crate) fn count(&self, table: &str) -> i64 {
        self.conn().query_first(format!("SELECT count(*) FROM {table}")).unwrap().unwrap()
    }

    pub(crate) fn tables(&self) -> Vec<String> {
        self.conn().query("SHOW TABLES").unwrap()
    }
}

impl Drop for MyDb {
    fn drop(&mut self) {
        if let Ok(mut c) = mysql::Conn::new(mysql::Opts::from_url(MY_ADMIN).unwrap()) {
            let _ = c.query_drop(format!("DROP DATABASE IF EXISTS {}", self.name));
        }
    }
}

fn generate(dir: &Dir, schema: &str, url: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["generate", schema, "--out", url, "--quiet"];
    args.extend_from_slice(extra);
    run(dir, &args)
}

/// What the file run of the same schema writes, for comparison: rows per table.
fn file_rows(dir: &Dir, table: &str) -> i64 {
    let text = dir.read(&format!("files/{table}.csv"));
    text.lines().count() as i64 - 1
}

#[test]
fn sqlite_gets_every_table_with_keys_a_manifest_and_nothing_on_failure() {
    let dir = Dir::new();
    dir.write("shop.toml", SHOP);
    let out = run(&dir, &["generate", "shop.toml", "--out", "files", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let url = format!("sqlite://{}", dir.join("dev.db").display());
    let out = generate(&dir, "shop.toml", &url, &["--create"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let db = rusqlite::Connection::open(dir.join("dev.db")).unwrap();
    let count = |t: &str| -> i64 { db.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).unwrap() };
    assert_eq!(count("customers"), file_rows(&dir, "customers"));
    assert_eq!(count("orders"), file_rows(&dir, "orders"));
    // Tabs and backslashes in values arrive as they were generated.
    let notes: i64 = db
        .query_row("SELECT count(*) FROM orders WHERE note IN ('gift\twrap', 'leave at door\\back')", [], |r| r.get(0))
        .unwrap();
    assert!(notes > 0);
    let broken: i64 = db.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(broken, 0, "every order points at a customer");
    let fk: i64 = db.query_row("SELECT count(*) FROM pragma_foreign_key_list('orders')", [], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1, "--create made the foreign key");
    let manifest: String = db.query_row("SELECT manifest FROM synthgate_manifests", [], |r| r.get(0)).unwrap();
    let m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(m["command"], "generate");
    assert!(m["signature"].as_str().unwrap().starts_with("hmac-sha256:"));
    assert_eq!(m["files"].as_array().unwrap().len(), 2);
    drop(db);

    // A table that holds rows stops the default run, and the database stays as it was.
    let before = std::fs::read(dir.join("dev.db")).unwrap();
    let out = generate(&dir, "shop.toml", &url, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("already holds rows"), "{}", stderr(&out));
    // Appending the same keys again violates the primary key: an error, and nothing changes.
    let out = generate(&dir, "shop.toml", &url, &["--if-exists", "append"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_eq!(std::fs::read(dir.join("dev.db")).unwrap(), before, "the failed runs changed the file");
    // Truncate replaces the rows, in one transaction.
    let out = generate(&dir, "shop.toml", &url, &["--if-exists", "truncate"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let db = rusqlite::Connection::open(dir.join("dev.db")).unwrap();
    let n: i64 = db.query_row("SELECT count(*) FROM orders", [], |r| r.get(0)).unwrap();
    assert_eq!(n, file_rows(&dir, "orders"));
}

#[test]
fn a_refusal_after_the_first_table_leaves_no_database_file() {
    let dir = Dir::new();
    dir.write("late.toml", REFUSED_LATE);
    let url = format!("sqlite://{}", dir.join("dev.db").display());
    let out = generate(&dir, "late.toml", &url, &["--create"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!dir.join("dev.db").exists(), "the refused run left its database file");
    assert!(!stderr(&out).contains("4539"), "no raw value in the message");
}

#[test]
fn sqlite_without_create_names_the_missing_table() {
    let dir = Dir::new();
    dir.write("shop.toml", SHOP);
    let url = format!("sqlite://{}", dir.join("empty.db").display());
    let out = generate(&dir, "shop.toml", &url, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("no table `customers`"), "{}", stderr(&out));
    assert!(!dir.join("empty.db").exists());
}

#[test]
fn postgres_loads_in_one_transaction_with_keys_sequences_and_a_manifest() {
    let Some(db) = PgDb::new() else { return };
    let dir = Dir::new();
    dir.write("shop.toml", SHOP);
    dir.write("late.toml", REFUSED_LATE);
    let out = run(&dir, &["generate", "shop.toml", "--out", "files", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // Refused halfway: customers were loaded, payments refused; nothing stays, not even tables.
    let out = generate(&dir, "late.toml", &db.url(), &["--create"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let tables: i64 = db
        .client()
        .query_one("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", &[])
        .unwrap()
        .get(0);
    assert_eq!(tables, 0, "the refused run left tables behind");

    let out = generate(&dir, "shop.toml", &db.url(), &["--create"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(db.count("customers"), file_rows(&dir, "customers"));
    assert_eq!(db.count("orders"), file_rows(&dir, "orders"));
    let mut c = db.client();
    // The application's next insert draws a key past the loaded ones.
    let id: i64 = c
        .query_one(
            "INSERT INTO customers (email, joined, vip) VALUES ('new@example.com', now(), false) RETURNING id",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(id, file_rows(&dir, "customers") + 1);
    let fks: i64 = c
        .query_one(
            "SELECT count(*) FROM information_schema.table_constraints WHERE constraint_type = 'FOREIGN KEY'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(fks, 1);
    let note: i64 = c.query_one("SELECT count(*) FROM orders WHERE note = E'gift\\twrap'", &[]).unwrap().get(0);
    assert!(note > 0);
    let manifest: String = c.query_one("SELECT manifest FROM synthgate_manifests", &[]).unwrap().get(0);
    assert!(manifest.contains("\"command\":\"generate\"") && manifest.contains("hmac-sha256:"), "{manifest}");
    assert!(manifest.contains(&format!("127.0.0.1:5432/{}", db.name)), "the manifest names its database: {manifest}");

    // A type that does not fit is exit 2 naming table and column; nothing changes.
    c.batch_execute("ALTER TABLE orders ALTER COLUMN placed TYPE boolean USING false").unwrap();
    let out = generate(&dir, "shop.toml", &db.url(), &["--if-exists", "truncate"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("table `orders`, column `placed`"), "{}", stderr(&out));
    assert_eq!(db.count("customers"), file_rows(&dir, "customers") + 1);
}

#[test]
fn mariadb_loads_with_load_data_and_undoes_a_failed_run() {
    let Some(db) = MyDb::new() else { return };
    let dir = Dir::new();
    dir.write("shop.toml", SHOP);
    dir.write("late.toml", REFUSED_LATE);
    let out = run(&dir, &["generate", "shop.toml", "--out", "files", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let out = generate(&dir, "late.toml", &db.url(), &["--create"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(db.tables().is_empty(), "tables of the refused run stayed: {:?}", db.tables());

    let out = generate(&dir, "shop.toml", &db.url(), &["--create"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(db.count("customers"), file_rows(&dir, "customers"));
    assert_eq!(db.count("orders"), file_rows(&dir, "orders"));
    let mut c = db.conn();
    let notes: i64 = c.query_first("SELECT count(*) FROM orders WHERE note = 'gift\\twrap'").unwrap().unwrap();
    assert!(notes > 0);
    c.query_drop("INSERT INTO customers (email, joined, vip) VALUES ('new@example.com', NOW(), 0)").unwrap();
    let id: i64 = c.query_first("SELECT LAST_INSERT_ID()").unwrap().unwrap();
    assert_eq!(id, file_rows(&dir, "customers") + 1);
    let manifests: i64 = c.query_first("SELECT count(*) FROM synthgate_manifests").unwrap().unwrap();
    assert_eq!(manifests, 1);

    // The same keys again: the load fails, the transaction rolls back, the rows stay as they were.
    let out = generate(&dir, "shop.toml", &db.url(), &["--if-exists", "append"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert_eq!(db.count("orders"), file_rows(&dir, "orders"));
    assert_eq!(db.count("customers"), file_rows(&dir, "customers") + 1);
}

#[test]
fn unreachable_servers_are_exit_4_naming_host_and_database_never_the_password() {
    let dir = Dir::new();
    dir.write("shop.toml", SHOP);
    for url in ["postgres://app:Hunter2-Pw@127.0.0.1:1/appdb", "mysql://app:Hunter2-Pw@127.0.0.1:1/appdb"] {
        let out = generate(&dir, "shop.toml", url, &["--create"]);
        assert_eq!(out.status.code(), Some(4), "{url}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("127.0.0.1:1/appdb"), "{err}");
        assert!(!err.contains("Hunter2"), "{err}");
    }
}

/// Starts `generate` of G1 into `db` in the background and waits until its COPY is running.
fn loading_g1(dir: &Dir, db: &PgDb) -> std::process::Child {
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/g1.toml");
    let child = crate::util::synthgate()
        .args(["generate", schema.to_str().unwrap(), "--scale", "0.3", "--out", &db.url(), "--create", "--quiet"])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut admin = postgres::Client::connect(PG_ADMIN, postgres::NoTls).unwrap();
    for _ in 0..600 {
        let copying: i64 = admin
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'synthgate' \
                 AND query LIKE 'COPY%'",
                &[&db.name],
            )
            .unwrap()
            .get(0);
        if copying > 0 {
            return child;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the load never started");
}

fn public_tables(db: &PgDb) -> i64 {
    db.client()
        .query_one("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", &[])
        .unwrap()
        .get(0)
}

#[test]
fn a_lost_connection_or_ctrl_c_mid_load_leaves_postgres_as_it_was() {
    let Some(db) = PgDb::new() else { return };
    let dir = Dir::new();

    // The server ends the connection halfway through a COPY: exit 4, nothing committed.
    let child = loading_g1(&dir, &db);
    let mut admin = postgres::Client::connect(PG_ADMIN, postgres::NoTls).unwrap();
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'synthgate'",
            &[&db.name],
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(public_tables(&db), 0, "a table of the lost run stayed");

    // Ctrl-C halfway: exit 130, nothing committed.
    let child = loading_g1(&dir, &db);
    let pid = child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(public_tables(&db), 0, "a table of the interrupted run stayed");
}

#[test]
fn a_table_name_that_holds_personal_data_is_refused_before_connecting() {
    let dir = Dir::new();
    dir.write(
        "named.toml",
        // An invented, Luhn-valid card number glued to a word: a valid table name.
        "[tables.ref_4929390612345673]\nrows = 3\n[tables.ref_4929390612345673.columns]\nid = { gen = \"sequence\" }\n",
    );
    let url = format!("sqlite://{}", dir.join("dev.db").display());
    let out = generate(&dir, "named.toml", &url, &["--create"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("table name"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("4929390612345673"), "{}", stderr(&out));
    assert!(!dir.join("dev.db").exists());
    // A column name too: the database's own messages could name it before any row is judged.
    dir.write("col.toml", "[tables.t]\nrows = 3\n[tables.t.columns]\nref_4929390612345673 = { gen = \"sequence\" }\n");
    let out = generate(&dir, "col.toml", &url, &["--create"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("column name"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("4929390612345673"), "{}", stderr(&out));
    assert!(!dir.join("dev.db").exists());
}

/// Scans `url` (all tables, or `--table customers`); returns exit code and JSON report.
fn scan(dir: &Dir, url: &str, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["scan", url, "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", stderr(&out)));
    (out.status.code().unwrap(), report)
}

/// A row of invented personal data (an address at a real-looking provider) among synthetic ones.
const PLANTED: &str = "orla.vantreeck84@hotmail.co.uk";

fn assert_scans_find_the_planted_row(dir: &Dir, url: &str) {
    let (code, report) = scan(dir, url, &[]);
    assert_eq!(code, 1, "{report}");
    let sources = report["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 2, "customers and orders, not synthgate's own table: {report}");
    let customers = sources.iter().find(|s| s["source"].as_str().unwrap().ends_with("/customers")).unwrap();
    let email = customers["columns"].as_array().unwrap().iter().find(|c| c["name"] == "email").unwrap();
    assert_eq!(email["pid_found"], true, "{report}");
    assert!(!report.to_string().contains(PLANTED), "the report shows the value masked only");
    let (code, report) = scan(dir, url, &["--table", "orders"]);
    assert_eq!(code, 0, "{report}");
    let out = run(dir, &["scan", url, "--table", "nope"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn scan_reads_every_table_of_a_database_and_finds_the_planted_row() {
    let dir = Dir::new();
    dir.write("shop.toml", SHOP);
    let plant =
        format!("INSERT INTO customers (id, email, joined, vip) VALUES (100000, '{PLANTED}', '2025-01-01', false)");

    let url = format!("sqlite://{}", dir.join("dev.db").display());
    assert_eq!(generate(&dir, "shop.toml", &url, &["--create"]).status.code(), Some(0));
    let (code, _) = scan(&dir, &url, &[]);
    assert_eq!(code, 0, "synthetic data only");
    rusqlite::Connection::open(dir.join("dev.db")).unwrap().execute_batch(&plant).unwrap();
    assert_scans_find_the_planted_row(&dir, &url);

    if let Some(db) = PgDb::new() {
        assert_eq!(generate(&dir, "shop.toml", &db.url(), &["--create"]).status.code(), Some(0));
        db.client().batch_execute(&plant).unwrap();
        assert_scans_find_the_planted_row(&dir, &db.url());
    }
    if let Some(db) = MyDb::new() {
        assert_eq!(generate(&dir, "shop.toml", &db.url(), &["--create"]).status.code(), Some(0));
        db.conn().query_drop(plant.replace("false", "0")).unwrap();
        assert_scans_find_the_planted_row(&dir, &db.url());
    }
}

#[test]
fn gate_judges_database_tables_for_a_target() {
    let dir = Dir::new();
    dir.write("shop.toml", SHOP);
    let url = format!("sqlite://{}", dir.join("dev.db").display());
    assert_eq!(generate(&dir, "shop.toml", &url, &["--create"]).status.code(), Some(0));
    let out = run(&dir, &["gate", &url, "--target", "test", "--audit-log", "audit.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("2 tables judged"), "{}", stderr(&out));
    let plant = format!("INSERT INTO customers (id, email, joined, vip) VALUES (100000, '{PLANTED}', '2025-01-01', 0)");
    rusqlite::Connection::open(dir.join("dev.db")).unwrap().execute_batch(&plant).unwrap();
    let out = run(&dir, &["gate", &url, "--target", "test", "--audit-log", "audit.jsonl"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("/customers"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(PLANTED) && !dir.read("audit.jsonl").contains(PLANTED));
    let out = run(&dir, &["gate", &url, "--table", "orders", "--target", "test"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// generate --namespace into `url`, list, gc after the ttl, drop.
fn namespaces_round_trip(dir: &Dir, url: &str, tables_in: impl Fn(&str) -> i64) {
    // Names of this run's own: MariaDB namespaces are databases of the whole server.
    let (kept, brief) = (format!("feature-{}", std::process::id()), format!("pr-{}", std::process::id()));
    for (ns, ttl) in [(kept.as_str(), "7d"), (brief.as_str(), "1s")] {
        let out = generate(dir, "shop.toml", url, &["--create", "--namespace", ns, "--ttl", ttl]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(tables_in(ns), 3, "customers, orders and the manifest table in {ns}");
    }
    let out = run(dir, &["namespace", "list", url]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let listing = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(listing.contains(&kept) && listing.contains(&brief), "{listing}");
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let out = run(dir, &["namespace", "gc", url]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 expired namespace(s) dropped") && stderr(&out).contains(&brief),
        "{}",
        stderr(&out)
    );
    assert_eq!(tables_in(&brief), 0);
    let out = run(dir, &["namespace", "drop", url, &kept]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(tables_in(&kept), 0);
    let out = run(dir, &["namespace", "drop", url, &kept]);
    assert_eq!(out.status.code(), Some(2), "dropping it twice: {}", stderr(&out));
    let out = run(dir, &["namespace", "list", url]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&kept));
}

#[test]
fn namespaces_are_created_listed_expired_and_dropped() {
    let dir = Dir::new();
    dir.write("shop.toml", SHOP);
    let url = format!("sqlite://{}", dir.join("app.db").display());
    namespaces_round_trip(&dir, &url, |ns| {
        let file = dir.join(&format!("app.{ns}.db"));
        if !file.exists() {
            return 0;
        }
        let c = rusqlite::Connection::open(file).unwrap();
        c.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", [], |r| {
            r.get(0)
        })
        .unwrap()
    });
    // A name that holds personal data is refused before anything is made.
    let out = generate(&dir, "shop.toml", &url, &["--create", "--namespace", "ref_4929390612345673"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!stderr(&out).contains("4929390612345673"));

    if let Some(db) = PgDb::new() {
        namespaces_round_trip(&dir, &db.url(), |ns| {
            db.client()
                .query_one("SELECT count(*) FROM information_schema.tables WHERE table_schema = $1", &[&ns])
                .unwrap()
                .get(0)
        });
    }
    if let Some(db) = MyDb::new() {
        namespaces_round_trip(&dir, &db.url(), |ns| {
            db.conn()
                .exec_first("SELECT count(*) FROM information_schema.tables WHERE table_schema = ?", (ns,))
                .unwrap()
                .unwrap()
        });
    }
}

#[test]
fn copy_writes_a_table_to_a_file_through_the_gate() {
    let dir = Dir::new();
    dir.write("shop.toml", SHOP);
    let url = format!("sqlite://{}", dir.join("dev.db").display());
    assert_eq!(generate(&dir, "shop.toml", &url, &["--create"]).status.code(), Some(0));
    let out = run(&dir, &["generate", "shop.toml", "--out", "files", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for file in ["out/orders.csv", "out/orders.jsonl", "out/orders.parquet"] {
        let out = run(&dir, &["copy", &url, "--table", "orders", file]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr(&out));
        assert!(dir.join(file).exists());
    }
    let csv = dir.read("out/orders.csv");
    assert_eq!(csv.lines().count() as i64 - 1, file_rows(&dir, "orders"));
    assert!(csv.starts_with("id,customer_id,placed,amount,note\n"), "{csv}");
    assert!(dir.join("out/synthgate.manifest.json").exists(), "{:?}", dir.listing("out"));

    let plant = format!("INSERT INTO customers (id, email, joined, vip) VALUES (100000, '{PLANTED}', '2025-01-01', 0)");
    rusqlite::Connection::open(dir.join("dev.db")).unwrap().execute_batch(&plant).unwrap();
    let out = run(&dir, &["copy", &url, "--table", "customers", "gone/customers.csv"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!dir.join("gone").exists(), "the refused copy left its folder");
    assert!(!stderr(&out).contains(PLANTED));
    let out = run(&dir, &["copy", &url, "x.csv"]);
    assert_eq!(out.status.code(), Some(2), "without --table: {}", stderr(&out));
}

/// A production-like database: customers and orders, joined by id and by email, in a cycle
/// (each customer's first order), with order lines under a composite key that refunds
/// reference. The personal data is invented (the card number has a valid check digit and
/// belongs to nobody). SQLite DDL: a table may name one made after it.
const PROD: &str = "
CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email varchar(200) UNIQUE NOT NULL, card text,
  created_at timestamp NOT NULL, first_order bigint REFERENCES orders(id));
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers(id),
  email varchar(200) REFERENCES customers(email), amount numeric(10,2), placed date);
CREATE TABLE order_lines (order_id bigint NOT NULL REFERENCES orders(id), line_no integer NOT NULL, sku text,
  PRIMARY KEY (order_id, line_no));
CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint NOT NULL, line_no integer NOT NULL,
  FOREIGN KEY (order_id, line_no) REFERENCES order_lines (order_id, line_no));
INSERT INTO customers VALUES (1, 'Orla Vantreeck', 'orla.vantreeck84@hotmail.co.uk', '4929390612345673',
  '2025-03-01 10:00:00', 10), (2, 'Bram Osterholt', 'bram.osterholt@gmail.com', NULL, '2025-04-01 11:30:00', 11);
INSERT INTO orders VALUES (10, 1, 'orla.vantreeck84@hotmail.co.uk', 12.50, '2025-05-01'),
  (11, 2, 'bram.osterholt@gmail.com', 99.99, '2025-05-02'), (12, 1, 'orla.vantreeck84@hotmail.co.uk', 1.00, '2025-06-01');
INSERT INTO order_lines VALUES (10, 1, 'SKU-1'), (10, 2, 'SKU-2'), (11, 1, 'SKU-1');
INSERT INTO refunds VALUES (1, 10, 2);
";

const PROD_VALUES: [&str; 5] =
    ["Vantreeck", "Osterholt", "orla.vantreeck84@hotmail.co.uk", "bram.osterholt@gmail.com", "4929390612345673"];

const SCRUB_KEY: &str = "database-scrub-test-key-0123456789abcdef";

const SCRUB_POLICY: &str = r#"
version = 1
[columns]
id = "keep"
customer_id = "keep"
name = { transform = "pseudonymise", entity = "person_name", locale = "en_GB" }
email = { transform = "pseudonymise", entity = "email" }
card = { transform = "pseudonymise", entity = "card_number" }
created_at = { transform = "shift_dates", by = "id", max_days = 15 }
amount = "keep"
placed = "keep"
first_order = "keep"
order_id = "keep"
line_no = "keep"
sku = "keep"
"#;

/// Rows of a query, every value as text (`None` for null).
type Rows = Vec<Vec<Option<String>>>;

/// Checks a scrubbed copy of PROD: every row there, no production value left, each order's
/// email the pseudonym its customer got, keys as they were.
fn assert_scrubbed(customers: Rows, orders: Rows) {
    assert_eq!((customers.len(), orders.len()), (2, 3), "{customers:?} {orders:?}");
    let text = format!("{customers:?}{orders:?}");
    for v in PROD_VALUES {
        assert!(!text.contains(v), "{v} left in {text}");
    }
    for o in &orders {
        let customer = customers.iter().find(|c| c[0] == o[1]).expect("each order's customer is there");
        assert_eq!(o[2], customer[2], "the order's email is its customer's pseudonym: {text}");
    }
    let ids: Vec<_> = orders.iter().map(|o| o[1].clone().unwrap()).collect();
    assert_eq!(ids, ["1", "2", "1"]);
    assert!(customers[1][3].is_none(), "a null stays null: {text}");
}

fn sqlite_rows(path: &std::path::Path, sql: &str) -> Rows {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut stmt = c.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| {
        Ok((0..n)
            .map(|i| match r.get_ref(i).unwrap() {
                rusqlite::types::ValueRef::Null => None,
                rusqlite::types::ValueRef::Integer(v) => Some(v.to_string()),
                rusqlite::types::ValueRef::Real(v) => Some(v.to_string()),
                rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                    Some(String::from_utf8_lossy(t).into_owned())
                }
            })
            .collect())
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// Every column of `sql` must be text (cast with `::text`).
fn pg_rows(db: &PgDb, sql: &str) -> Rows {
    let rows = db.client().query(sql, &[]).unwrap();
    rows.iter().map(|r| (0..r.len()).map(|i| r.get::<_, Option<String>>(i)).collect()).collect()
}

fn my_rows(db: &MyDb, sql: &str) -> Rows {
    let rows: Vec<mysql::Row> = db.conn().query(sql).unwrap();
    rows.into_iter()
        .map(|r| {
            r.unwrap()
                .into_iter()
                .map(|v| match v {
                    mysql::Value::NULL => None,
                    mysql::Value::Bytes(b) => Some(String::from_utf8(b).unwrap()),
                    other => Some(other.as_sql(true).trim_matches('\'').to_string()),
                })
                .collect()
        })
        .collect()
}

const CUSTOMERS: &str = "SELECT id, name, email, card, created_at FROM customers ORDER BY id";
const ORDERS: &str = "SELECT id, customer_id, email, amount, placed FROM orders ORDER BY id";

fn scrub_into(dir: &Dir, from: &str, to: &str, policy: &str) -> std::process::Output {
    run(dir, &["scrub", from, "--policy", policy, "--out", to, "--create", "--key-file", "key"])
}

#[test]
fn scrub_loads_a_database_into_others_with_joins_intact_or_leaves_them_as_they_were() {
    let dir = Dir::new();
    dir.write("key", SCRUB_KEY);
    dir.write("policy.toml", SCRUB_POLICY);
    dir.write(
        "leaky.toml",
        &SCRUB_POLICY.replace(r#"email = { transform = "pseudonymise", entity = "email" }"#, r#"email = "keep""#),
    );
    rusqlite::Connection::open(dir.join("prod.db"))
        .unwrap()
        .execute_batch(&format!("PRAGMA foreign_keys = OFF; {PROD}"))
        .unwrap();
    let prod = format!("sqlite://{}", dir.join("prod.db").display());

    // SQLite into SQLite: tables created parents first, with their keys.
    let out_url = format!("sqlite://{}", dir.join("test.db").display());
    let out = scrub_into(&dir, &prod, &out_url, "policy.toml");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (c, o) = (sqlite_rows(&dir.join("test.db"), CUSTOMERS), sqlite_rows(&dir.join("test.db"), ORDERS));
    assert_scrubbed(c, o);
    let fks = sqlite_rows(&dir.join("test.db"), "SELECT \"table\" FROM pragma_foreign_key_list('orders')");
    assert_eq!(fks.len(), 2, "{fks:?}");
    // The composite key and the foreign key onto it, and the cycle back from customers.
    let pk =
        sqlite_rows(&dir.join("test.db"), "SELECT name FROM pragma_table_info('order_lines') WHERE pk > 0 ORDER BY pk");
    assert_eq!(pk, [[Some("order_id".to_string())], [Some("line_no".to_string())]]);
    let fk = sqlite_rows(
        &dir.join("test.db"),
        "SELECT \"from\", \"to\" FROM pragma_foreign_key_list('refunds') ORDER BY seq",
    );
    assert_eq!(fk.len(), 2, "{fk:?}");
    let fk = sqlite_rows(&dir.join("test.db"), "SELECT \"table\" FROM pragma_foreign_key_list('customers')");
    assert_eq!(fk, [[Some("orders".to_string())]]);
    assert_eq!(sqlite_rows(&dir.join("test.db"), "SELECT * FROM refunds").len(), 1);
    for v in PROD_VALUES {
        assert!(!stderr(&out).contains(v));
    }
    // The scrubbed database passes the gate (its own manifest vouches for the scrubbed columns).
    let out = run(&dir, &["gate", &out_url, "--target", "test", "--key-file", "key"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A policy that keeps personal data: refused, and nothing is left behind.
    let out = scrub_into(&dir, &prod, &format!("sqlite://{}", dir.join("leaky.db").display()), "leaky.toml");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(!dir.join("leaky.db").exists());
    for v in PROD_VALUES {
        assert!(!stderr(&out).contains(v), "{}", stderr(&out));
    }

    if let Some(pg) = PgDb::new() {
        let out = scrub_into(&dir, &prod, &pg.url(), "leaky.toml");
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        assert_eq!(public_tables(&pg), 0, "a refused load leaves the database as it was");
        let out = scrub_into(&dir, &prod, &pg.url(), "policy.toml");
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let c = pg_rows(&pg, "SELECT id::text, name, email, card, created_at::text FROM customers ORDER BY id");
        let o = pg_rows(
            &pg,
            "SELECT id::text, customer_id::text, email, amount::text, placed::text FROM orders ORDER BY id",
        );
        assert_eq!(o[0][3].as_deref(), Some("12.50"), "kept values keep their type: {o:?}");
        assert_scrubbed(c, o);
        let keys: Vec<(String, String)> = pg
            .client()
            .query(
                "SELECT conrelid::regclass::text, pg_get_constraintdef(oid) FROM pg_constraint \
                 WHERE contype IN ('p', 'f') ORDER BY 1, 2",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        for (table, def) in [
            ("order_lines", "PRIMARY KEY (order_id, line_no)"),
            ("refunds", "FOREIGN KEY (order_id, line_no) REFERENCES order_lines(order_id, line_no) DEFERRABLE INITIALLY DEFERRED"),
            ("customers", "FOREIGN KEY (first_order) REFERENCES orders(id) DEFERRABLE INITIALLY DEFERRED"),
        ] {
            assert!(keys.iter().any(|(t, d)| t == table && d == def), "{table}: {def} not in {keys:?}");
        }
        // And from PostgreSQL on to MariaDB: keys, types and timestamps in MariaDB's spelling.
        if let Some(my) = MyDb::new() {
            let out = scrub_into(&dir, &pg.url(), &my.url(), "policy.toml");
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            let c = my_rows(&my, CUSTOMERS);
            assert!(c[0][4].as_deref().unwrap().starts_with("2025-0"), "{c:?}");
            assert_scrubbed(c, my_rows(&my, ORDERS));
            let fks: Option<i64> = my
                .conn()
                .exec_first(
                    "SELECT count(*) FROM information_schema.referential_constraints WHERE constraint_schema = ?",
                    (&my.name,),
                )
                .unwrap();
            assert_eq!(fks, Some(5), "orders' two, customers' cycle, order lines', refunds' composite one");
            assert_eq!(my.count("refunds"), 1);
        }
        // Reading and loading the same database is refused before anything happens.
        let out = scrub_into(&dir, &pg.url(), &pg.url(), "policy.toml");
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    }
}

/// The lineage columns of every table `scan` reports for `url`.
fn lineages(dir: &Dir, url: &str) -> Vec<String> {
    let (_, report) = scan(dir, url, &[]);
    let mut out: Vec<String> = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["columns"].as_array().unwrap().iter().map(|c| c["lineage"].as_str().unwrap().to_string()))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn a_table_is_synthetic_only_while_its_rows_are_the_ones_its_signed_manifest_row_counts() {
    let dir = Dir::new();
    dir.write("shop.toml", SHOP);
    let plant = format!("INSERT INTO customers (id, email, joined, vip) VALUES (100000, '{PLANTED}', '2025-01-01', 0)");
    let url = format!("sqlite://{}", dir.join("dev.db").display());
    assert_eq!(generate(&dir, "shop.toml", &url, &["--create"]).status.code(), Some(0));
    assert_eq!(lineages(&dir, &url), ["synthetic"]);
    // Another key does not vouch.
    dir.write("other.key", SCRUB_KEY);
    let out = run(&dir, &["scan", &url, "--format", "json", "--key-file", "other.key"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"input\""));
    assert!(stderr(&out).contains("signature invalid"), "{}", stderr(&out));
    // A row changed after the load: the table is judged as input, and its row found.
    let c = rusqlite::Connection::open(dir.join("dev.db")).unwrap();
    c.execute_batch("UPDATE orders SET note = 'changed' WHERE id = 1").unwrap();
    let (_, report) = scan(&dir, &url, &["--table", "orders"]);
    assert!(report.to_string().contains("\"input\""), "{report}");
    // A copy judged with the manifest's lineage is refused once the rows turn out not to be
    // the ones it signed, and leaves nothing.
    let out = run(&dir, &["copy", &url, "--table", "orders", "copied/orders.csv"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("not what it signed"), "{}", stderr(&out));
    assert!(!dir.join("copied").exists());
    // A manifest row made without the key vouches for nothing, however new.
    c.execute_batch(&plant).unwrap();
    let forged: String =
        c.query_row("SELECT manifest FROM synthgate_manifests ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).unwrap();
    let forged = forged.replace("\"rows\":300", "\"rows\":301");
    c.execute("INSERT INTO synthgate_manifests (manifest) VALUES (?1)", [forged]).unwrap();
    let out = run(&dir, &["gate", &url, "--target", "test"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));

    // The same on the servers: values come back in each database's own spelling. PostgreSQL
    // confirms a table by the transaction that loaded it: the manifest names it, and every row
    // must still carry it as its `xmin`, in the number the manifest counts.
    if let Some(db) = PgDb::new() {
        assert_eq!(generate(&dir, "shop.toml", &db.url(), &["--create"]).status.code(), Some(0));
        assert_eq!(lineages(&dir, &db.url()), ["synthetic"]);
        let manifest: String = db.client().query_one("SELECT manifest FROM synthgate_manifests", &[]).unwrap().get(0);
        let m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
        assert!(m["files"][0]["xmin"].as_u64().is_some(), "{m}");
        // An update gives the row a new xmin; a delete leaves a row too few.
        db.client().batch_execute("UPDATE orders SET amount = amount + 1 WHERE id = 1").unwrap();
        let (_, report) = scan(&dir, &db.url(), &["--table", "orders"]);
        assert!(report.to_string().contains("\"input\""), "{report}");
        let (_, report) = scan(&dir, &db.url(), &["--table", "customers"]);
        assert!(!report.to_string().contains("\"input\""), "{report}");
        db.client().batch_execute("DELETE FROM customers WHERE id NOT IN (SELECT customer_id FROM orders)").unwrap();
        let (_, report) = scan(&dir, &db.url(), &["--table", "customers"]);
        assert!(report.to_string().contains("\"input\""), "{report}");
    }
    if let Some(db) = MyDb::new() {
        assert_eq!(generate(&dir, "shop.toml", &db.url(), &["--create"]).status.code(), Some(0));
        assert_eq!(lineages(&dir, &db.url()), ["synthetic"]);
        db.conn().query_drop("DELETE FROM orders WHERE id = 1").unwrap();
        let (_, report) = scan(&dir, &db.url(), &["--table", "orders"]);
        assert!(report.to_string().contains("\"input\""), "{report}");
    }
}

#[test]
fn copy_loads_files_and_tables_into_databases_keeping_their_lineage() {
    let dir = Dir::new();
    dir.write("shop.toml", SHOP);
    assert_eq!(run(&dir, &["generate", "shop.toml", "--out", "files", "--quiet"]).status.code(), Some(0));
    let url = format!("sqlite://{}", dir.join("dev.db").display());
    let out = run(&dir, &["copy", "files/customers.csv", &url, "--create"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(sqlite_rows(&dir.join("dev.db"), "SELECT * FROM customers").len(), 300);
    assert_eq!(lineages(&dir, &url), ["synthetic"], "the files' manifest vouched, and the database's now does");
    // On to a file and back into another table: still synthetic, still cleared.
    let out = run(&dir, &["copy", &url, "--table", "customers", "out/c.parquet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(&dir, &["copy", "out/c.parquet", &url, "--table", "customers_again", "--create"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(lineages(&dir, &url), ["synthetic"]);
    // A file with personal data is refused, and the database stays as it was.
    dir.write("people.csv", &format!("id,email\n1,{PLANTED}\n"));
    let out = run(&dir, &["copy", "people.csv", &url, "--create"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(sqlite_rows(&dir.join("dev.db"), "SELECT name FROM sqlite_master WHERE name = 'people'").is_empty());
    // A table already holding rows is not loaded again unless asked.
    let out = run(&dir, &["copy", "files/customers.csv", &url]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = run(&dir, &["copy", "files/customers.csv", &url, "--if-exists", "truncate"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    if let Some(db) = PgDb::new() {
        // Table to table, between databases: typed columns keep their type.
        let out = run(&dir, &["copy", &url, "--table", "customers", &db.url(), "--create"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(db.count("customers"), 300);
        assert_eq!(lineages(&dir, &db.url()), ["synthetic"]);
    }
}

#[test]
fn credentials_come_from_the_environments_file_and_are_never_shown() {
    let Some(db) = MyDb::new() else { return };
    let dir = Dir::new();
    dir.write("shop.toml", SHOP);
    // A user of this test's own, with a password (the server's root has none).
    let user = format!("{}_u", db.name);
    let password = "Cred-Test-Pw-5521";
    let mut admin = db.conn();
    admin.query_drop(format!("CREATE USER '{user}'@'%' IDENTIFIED BY '{password}'")).unwrap();
    admin.query_drop(format!("GRANT ALL ON {}.* TO '{user}'@'%'", db.name)).unwrap();
    struct DropUser(String);
    impl Drop for DropUser {
        fn drop(&mut self) {
            if let Ok(mut c) = mysql::Conn::new(mysql::Opts::from_url(MY_ADMIN).unwrap()) {
                let _ = c.query_drop(format!("DROP USER IF EXISTS '{}'@'%'", self.0));
            }
        }
    }
    let _cleanup = DropUser(user.clone());
    dir.write(
        "env.toml",
        &format!(
            "[[credentials]]\ndatabase = \"mysql://127.0.0.1:3306/{}\"\nuser = \"{user}\"\npassword_env = \"SG_DB_TEST_PW\"\n",
            db.name
        ),
    );
    let url = format!("mysql://127.0.0.1:3306/{}", db.name);
    let load = |pw: Option<&str>| {
        let mut cmd = crate::util::synthgate();
        cmd.args(["generate", "shop.toml", "--out", &url, "--create", "--quiet", "--env-file", "env.toml"])
            .current_dir(dir.path())
            .env_remove("MYSQL_PWD");
        match pw {
            Some(p) => cmd.env("SG_DB_TEST_PW", p),
            None => cmd.env_remove("SG_DB_TEST_PW"),
        };
        cmd.output().unwrap()
    };
    let out = load(Some(password));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(db.count("customers") > 0);
    // The variable missing: a configuration error naming the entry.
    let out = load(None);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("SG_DB_TEST_PW"), "{}", stderr(&out));
    // A wrong password: exit 4, host and database named, neither password shown.
    let out = load(Some("Wrong-Pw-0000"));
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains(&format!("127.0.0.1:3306/{}", db.name)), "{err}");
    assert!(!err.contains("Wrong-Pw") && !err.contains(password), "{err}");
    // The URL's own password comes first.
    let out =
        run(&dir, &["scan", &format!("mysql://{user}:{password}@127.0.0.1:3306/{}", db.name), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(password));
}

/// Starts `generate` of G1 (scale 0.3) into `url` in the background (`extra` flags added) and
/// waits until `loading` says the load is under way.
fn loading_g1_into(dir: &Dir, url: &str, extra: &[&str], loading: impl Fn() -> bool) -> std::process::Child {
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/g1.toml");
    let mut args = vec!["generate", schema.to_str().unwrap(), "--scale", "0.3", "--out", url, "--quiet"];
    args.extend_from_slice(extra);
    let child = crate::util::synthgate()
        .args(&args)
        .current_dir(dir.path())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..600 {
        if loading() {
            return child;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("the load never started");
}

fn interrupt(child: std::process::Child) -> std::process::Output {
    let pid = child.id().to_string();
    assert!(std::process::Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    child.wait_with_output().unwrap()
}

#[test]
fn a_lost_connection_or_ctrl_c_mid_load_leaves_mariadb_as_it_was() {
    let Some(db) = MyDb::new() else { return };
    let dir = Dir::new();
    // The load's connection, once it is sending rows.
    let loader = || -> Option<u64> {
        let mut admin = mysql::Conn::new(mysql::Opts::from_url(MY_ADMIN).unwrap()).unwrap();
        admin
            .exec_first(
                "SELECT id FROM information_schema.processlist WHERE db = ? AND (info LIKE 'LOAD DATA%' OR info LIKE 'INSERT%')",
                (&db.name,),
            )
            .unwrap()
    };

    // The server ends the connection halfway: exit 4; the tables the run created are gone.
    let child = loading_g1_into(&dir, &db.url(), &["--create"], || loader().is_some());
    let id = loader().expect("still loading");
    mysql::Conn::new(mysql::Opts::from_url(MY_ADMIN).unwrap()).unwrap().query_drop(format!("KILL {id}")).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(db.tables().is_empty(), "tables of the lost run stayed: {:?}", db.tables());

    // Ctrl-C halfway: exit 130, the same.
    let child = loading_g1_into(&dir, &db.url(), &["--create"], || loader().is_some());
    let out = interrupt(child);
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(db.tables().is_empty(), "tables of the interrupted run stayed: {:?}", db.tables());

    // Into tables that exist and hold rows, replacing them: interrupted, the old rows stay.
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/g1.toml");
    let out = run(
        &dir,
        &["generate", schema.to_str().unwrap(), "--scale", "0.0001", "--out", &db.url(), "--create", "--quiet"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let before = db.count("orders");
    let child = loading_g1_into(&dir, &db.url(), &["--if-exists", "truncate"], || loader().is_some());
    let out = interrupt(child);
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(db.count("orders"), before);
}

#[test]
fn ctrl_c_mid_load_leaves_sqlite_as_it_was() {
    let dir = Dir::new();
    let file = dir.join("dev.db");
    let url = format!("sqlite://{}", file.display());
    // A new file: gone again.
    let loading = || file.exists() && std::fs::metadata(&file).map(|m| m.len() > 1 << 20).unwrap_or(false);
    let child = loading_g1_into(&dir, &url, &["--create"], || {
        std::fs::read_dir(dir.path()).unwrap().any(|e| {
            let n = e.unwrap().file_name().to_string_lossy().into_owned();
            n.starts_with("dev.db") && std::fs::metadata(dir.join(&n)).map(|m| m.len() > 1 << 20).unwrap_or(false)
        })
    });
    let out = interrupt(child);
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!file.exists(), "the interrupted run's file stayed");
    // A file that was there: its rows stay as they were.
    let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/g1.toml");
    let out =
        run(&dir, &["generate", schema.to_str().unwrap(), "--scale", "0.0001", "--out", &url, "--create", "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let count = || -> i64 {
        rusqlite::Connection::open(&file).unwrap().query_row("SELECT count(*) FROM orders", [], |r| r.get(0)).unwrap()
    };
    let before = count();
    let journal = dir.join("dev.db-journal");
    let child = loading_g1_into(&dir, &url, &["--if-exists", "truncate"], || {
        loading() || std::fs::metadata(&journal).map(|m| m.len() > 1 << 20).unwrap_or(false)
    });
    let out = interrupt(child);
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(count(), before);
}

#[test]
fn truncate_empties_children_before_parents_under_the_application_s_own_keys() {
    let dir = Dir::new();
    dir.write("shop.toml", SHOP);
    // Tables as an application's migrations make them: foreign keys checked at once.
    let ddl = "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, joined timestamp, vip boolean);
        CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers(id),
          placed date, amount numeric(10,2), note text);";
    let mut dbs: Vec<(String, Box<dyn Fn() -> i64>)> = Vec::new();
    let pg = PgDb::new();
    if let Some(db) = &pg {
        db.client().batch_execute(ddl).unwrap();
        let client = std::cell::RefCell::new(db.client());
        dbs.push((
            db.url(),
            Box::new(move || client.borrow_mut().query_one("SELECT count(*) FROM orders", &[]).unwrap().get(0)),
        ));
    }
    let my = MyDb::new();
    if let Some(db) = &my {
        db.conn()
            .query_drop(
                ddl.replace("timestamp", "datetime(6)")
                    .replace(
                        "REFERENCES customers(id)",
                        ",
            FOREIGN KEY (customer_id) REFERENCES customers(id)",
                    )
                    .replace("NOT NULL ,", "NOT NULL,"),
            )
            .unwrap();
        let url = db.url();
        dbs.push((
            db.url(),
            Box::new(move || {
                mysql::Conn::new(mysql::Opts::from_url(&url).unwrap())
                    .unwrap()
                    .query_first("SELECT count(*) FROM orders")
                    .unwrap()
                    .unwrap()
            }),
        ));
    }
    for (url, orders) in &dbs {
        let out = generate(&dir, "shop.toml", url, &[]);
        assert_eq!(out.status.code(), Some(0), "{url}: {}", stderr(&out));
        let first = orders();
        assert!(first > 0);
        let out = generate(&dir, "shop.toml", url, &["--if-exists", "truncate"]);
        assert_eq!(out.status.code(), Some(0), "{url}: {}", stderr(&out));
        assert_eq!(orders(), first);
    }
}

#[test]
fn a_row_without_its_parent_fails_the_load_on_mariadb_and_a_cycle_is_checked_at_commit() {
    let Some(db) = MyDb::new() else { return };
    let dir = Dir::new();
    db.conn()
        .query_drop(
            "CREATE TABLE customers (id bigint PRIMARY KEY);
             CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, FOREIGN KEY (customer_id) REFERENCES customers(id));
             CREATE TABLE staff (id bigint PRIMARY KEY, manager_id bigint, FOREIGN KEY (manager_id) REFERENCES staff(id));
             INSERT INTO customers VALUES (1)",
        )
        .unwrap();
    // No cycle: InnoDB checks each row; one order points at no customer and the load fails whole.
    dir.write("orders.csv", "id,customer_id\n1,1\n2,999\n3,1\n");
    let out = run(&dir, &["copy", "orders.csv", &db.url()]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("foreign key"), "{}", stderr(&out));
    assert_eq!(db.count("orders"), 0);
    // Null keys are not checked, as the database would not check them.
    dir.write("nulls.csv", "id,customer_id\n7,\n");
    let out = run(&dir, &["copy", "nulls.csv", &db.url(), "--table", "orders"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A self-reference to a later row loads (checked at commit, as a deferred key would be)...
    dir.write("staff.csv", "id,manager_id\n1,2\n2,\n");
    let out = run(&dir, &["copy", "staff.csv", &db.url()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // ...and one to no row at all fails the load whole, at commit.
    dir.write("more.csv", "id,manager_id\n3,1\n4,99\n");
    let out = run(&dir, &["copy", "more.csv", &db.url(), "--table", "staff", "--if-exists", "append"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 row(s) have no parent in `staff`"), "{}", stderr(&out));
    assert_eq!(db.count("staff"), 2);
}

#[test]
fn tls_is_used_as_the_url_asks_and_a_certificate_that_fails_stops_the_connection() {
    let dir = Dir::new();
    dir.write("shop.toml", SHOP);
    if let Some(db) = PgDb::new() {
        // This server offers TLS: require loads and reads over it.
        let url = format!("{}?sslmode=require", db.url());
        let out = generate(&dir, "shop.toml", &url, &["--create"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        // The load's own connection is encrypted (seen from the server while it loads).
        let encrypted = || -> bool {
            let mut admin = postgres::Client::connect(PG_ADMIN, postgres::NoTls).unwrap();
            admin
                .query_one(
                    "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) \
                     WHERE a.datname = $1 AND a.application_name = 'synthgate' AND s.ssl AND a.query LIKE 'COPY%'",
                    &[&db.name],
                )
                .unwrap()
                .get::<_, i64>(0)
                > 0
        };
        let child = loading_g1_into(&dir, &url, &["--create", "--namespace", "tls"], encrypted);
        assert_eq!(interrupt(child).status.code(), Some(130));
        let (code, _) = scan(&dir, &url, &[]);
        assert_eq!(code, 0);
        // verify-full checks that the certificate names the host: a certificate for another
        // name (or from no trusted authority) is exit 4, naming host and database.
        let out = run(&dir, &["scan", &format!("{}?sslmode=verify-full", db.url()), "--format", "json"]);
        assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
        assert!(stderr(&out).contains(&format!("127.0.0.1:5432/{}", db.name)), "{}", stderr(&out));
        assert!(stderr(&out).contains("TLS"), "{}", stderr(&out));
        let out = run(&dir, &["scan", &format!("{}?sslmode=sometimes", db.url())]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let out = run(&dir, &["scan", &format!("{}?sslrootcert=/no/such/ca.pem", db.url())]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    }
    if let Some(db) = MyDb::new() {
        let have: Option<(String, String)> = db.conn().query_first("SHOW VARIABLES LIKE 'have_ssl'").unwrap();
        let offered = have.is_some_and(|(_, v)| v == "YES");
        let out = generate(&dir, "shop.toml", &format!("{}?ssl-mode=REQUIRED", db.url()), &["--create"]);
        // TLS or no connection at all: never the rows in the clear when TLS was asked for.
        assert_eq!(out.status.code(), Some(if offered { 0 } else { 4 }), "{}", stderr(&out));
        if !offered {
            assert!(db.tables().is_empty());
        }
    }
}

#[test]
fn every_example_schema_loads_into_every_database_and_comes_back_synthetic() {
    let dir = Dir::new();
    let pg = PgDb::new();
    let my = MyDb::new();
    for example in ["ecommerce", "healthcare", "banking"] {
        let schema = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("schemas/{example}.toml"));
        let mut urls = vec![format!("sqlite://{}", dir.join(&format!("{example}.db")).display())];
        if let Some(db) = &pg {
            urls.push(format!("{}?schema=public", db.url()));
        }
        if let Some(db) = &my {
            urls.push(db.url());
        }
        for url in &urls {
            let out = generate(
                &dir,
                schema.to_str().unwrap(),
                url,
                &["--create", "--scale", "0.01", "--if-exists", "truncate"],
            );
            assert_eq!(out.status.code(), Some(0), "{example} into {url}: {}", stderr(&out));
            assert_eq!(lineages(&dir, url), ["synthetic"], "{example} in {url}");
            let out = run(&dir, &["gate", url, "--target", "test"]);
            assert_eq!(out.status.code(), Some(0), "{example} in {url}: {}", stderr(&out));
        }
        // The next example starts from empty databases.
        if let Some(db) = &pg {
            db.client().batch_execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public").unwrap();
        }
        if let Some(db) = &my {
            let mut c = db.conn();
            c.query_drop("SET foreign_key_checks = 0").unwrap();
            for t in db.tables() {
                c.query_drop(format!("DROP TABLE `{t}`")).unwrap();
            }
        }
    }
}

#[test]
fn tables_that_do_not_fit_are_exit_2_and_unreachable_databases_exit_4_naming_them() {
    let dir = Dir::new();
    dir.write("shop.toml", SHOP);
    // A column of the wrong type, and a missing column, in tables the application made.
    let wrong = "CREATE TABLE customers (id bigint PRIMARY KEY, email integer, joined timestamp, vip boolean);";
    let short = "CREATE TABLE customers (id bigint PRIMARY KEY, email text, joined timestamp);";
    let check = |url: &str, setup: &dyn Fn(&str)| {
        setup(wrong);
        let out = generate(&dir, "shop.toml", url, &["--create"]);
        assert_eq!(out.status.code(), Some(2), "{url}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("column `email`: the load writes text values but the column is"),
            "{}",
            stderr(&out)
        );
        setup("DROP TABLE customers");
        setup(short);
        let out = generate(&dir, "shop.toml", url, &["--create"]);
        assert_eq!(out.status.code(), Some(2), "{url}: {}", stderr(&out));
        assert!(stderr(&out).contains("has no column `vip`"), "{}", stderr(&out));
        setup("DROP TABLE customers");
    };
    let file = dir.join("app.db");
    check(&format!("sqlite://{}", file.display()), &|sql| {
        rusqlite::Connection::open(&file).unwrap().execute_batch(sql).unwrap()
    });
    if let Some(db) = PgDb::new() {
        check(&db.url(), &|sql| db.client().batch_execute(sql).unwrap());
        // A database that does not exist, and a role that may not create tables: exit 4, named.
        let out = generate(&dir, "shop.toml", &format!("{}_missing", db.url()), &["--create"]);
        assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
        assert!(stderr(&out).contains(&format!("127.0.0.1:5432/{}_missing", db.name)), "{}", stderr(&out));
        let role = format!("{}_ro", db.name);
        db.client()
            .batch_execute(&format!("CREATE ROLE {role} LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC"))
            .unwrap();
        let url = format!("postgres://{role}@127.0.0.1:5432/{}", db.name);
        let out = generate(&dir, "shop.toml", &url, &["--create"]);
        db.drop_with_role(&role);
        assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
        assert!(stderr(&out).contains("permission denied"), "{}", stderr(&out));
    }
    if let Some(db) = MyDb::new() {
        check(&db.url(), &|sql| db.conn().query_drop(sql).unwrap());
        let out = generate(&dir, "shop.toml", &format!("{}_missing", db.url()), &["--create"]);
        assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
        assert!(stderr(&out).contains(&format!("127.0.0.1:3306/{}_missing", db.name)), "{}", stderr(&out));
    }
}

/// Every value of a PostgreSQL table comes back as the server stores it: the escapes of
/// `COPY`'s text format undone (tab, newline, backslash, and the backspace, form feed and
/// vertical tab it writes as `\b`, `\f`, `\v`), the two characters `\N` told from a null, and
/// a generated column read in its place.
#[test]
fn postgres_values_come_back_as_stored_escapes_and_nulls_included() {
    let Some(db) = PgDb::new() else { return };
    let stored = ["a\u{8}b", "f\u{c}v\u{b}", "tab\there", "two\nlines\r", "back\\slash", "\\N", "\\\\N", "", "café"];
    let mut c = db.client();
    c.batch_execute(
        "CREATE TABLE notes (id int PRIMARY KEY, body text, len int GENERATED ALWAYS AS (length(body)) STORED, tail text)",
    )
    .unwrap();
    for (i, v) in stored.iter().enumerate() {
        c.execute("INSERT INTO notes (id, body, tail) VALUES ($1, $2, 'x')", &[&(i as i32), v]).unwrap();
    }
    c.execute("INSERT INTO notes (id, body, tail) VALUES (99, NULL, NULL)", &[]).unwrap();
    let dir = Dir::new();
    let out = run(&dir, &["copy", &db.url(), "--table", "notes", "out/notes.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut rows: Vec<serde_json::Value> =
        dir.read("out/notes.jsonl").lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    rows.sort_by_key(|r| r["id"].as_str().and_then(|s| s.parse::<i64>().ok()).or_else(|| r["id"].as_i64()));
    assert_eq!(rows.len(), stored.len() + 1);
    for (row, v) in rows.iter().zip(stored) {
        assert_eq!(row["body"].as_str(), Some(v), "{row}");
        let len = row["len"].to_string().trim_matches('"').to_string();
        assert_eq!(len, v.chars().count().to_string(), "the generated column, in its place: {row}");
        assert_eq!(row["tail"].as_str(), Some("x"), "{row}");
    }
    let last = &rows[stored.len()];
    assert!(last["body"].is_null() && last["tail"].is_null(), "a null is not the text \\N: {last}");
}

/// A table whose name holds personal data is masked in the errors of reading it: SQLite's
/// value that is not text, PostgreSQL's table that a role may insert into but not read.
#[test]
fn errors_reading_a_table_mask_its_name_and_the_driver_s_message() {
    let dir = Dir::new();
    let file = dir.join("named.db");
    let c = rusqlite::Connection::open(&file).unwrap();
    c.execute_batch(&format!("CREATE TABLE \"{PLANTED}\" (id int, v blob)")).unwrap();
    c.execute(&format!("INSERT INTO \"{PLANTED}\" VALUES (1, ?1)"), [&[0xffu8, 0xfe][..]]).unwrap();
    drop(c);
    let out = run(&dir, &["scan", &format!("sqlite://{}", file.display()), "--table", PLANTED]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("not UTF-8 text"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(PLANTED), "{}", stderr(&out));

    let Some(db) = PgDb::new() else { return };
    // A table named with dots is read as itself (`public.a.b`), not as table `b` of schema
    // `a`; its name is judged and masked.
    db.client()
        .batch_execute(&format!("CREATE TABLE \"{PLANTED}\" (id int); INSERT INTO \"{PLANTED}\" VALUES (1)"))
        .unwrap();
    let (code, report) = scan(&dir, &db.url(), &[]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["sources"][0]["rows"], 1, "{report}");
    assert_eq!(report["sources"][0]["name_findings"][0]["entity"], "email", "{report}");
    assert!(!report.to_string().contains(PLANTED), "{report}");
    // The refusal names a table that holds an (invented) card number with a valid check digit.
    let name = "card_4929390612345673";
    let role = format!("{}_ins", db.name);
    db.client()
        .batch_execute(&format!(
            "CREATE TABLE {name} (id int); INSERT INTO {name} VALUES (1); \
             CREATE ROLE {role} LOGIN; GRANT INSERT ON {name} TO {role}"
        ))
        .unwrap();
    let url = format!("postgres://{role}@127.0.0.1:5432/{}", db.name);
    let out = run(&dir, &["scan", &url, "--table", name]);
    db.drop_with_role(&role);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("may not read table(s) card_"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("4929390612345673"), "{}", stderr(&out));
}

/// What a PostgreSQL user may not read is an error, never left out: a whole-database scan
/// that passed over a table (or a column) it has no privilege on would report it clean
/// without having read it.
#[test]
fn a_postgres_table_or_column_the_user_may_not_read_is_an_error_never_left_out() {
    let Some(db) = PgDb::new() else { return };
    let role = format!("{}_part", db.name);
    db.client()
        .batch_execute(&format!(
            "CREATE TABLE open_t (id int); INSERT INTO open_t VALUES (1); \
             CREATE TABLE closed_t (id int, email text); INSERT INTO closed_t VALUES (1, '{PLANTED}'); \
             CREATE TABLE half_t (id int, email text); INSERT INTO half_t VALUES (1, '{PLANTED}'); \
             CREATE ROLE {role} LOGIN; GRANT SELECT ON open_t TO {role}; GRANT SELECT (id) ON half_t TO {role}"
        ))
        .unwrap();
    let dir = Dir::new();
    let url = format!("postgres://{role}@127.0.0.1:5432/{}", db.name);
    let whole = run(&dir, &["scan", &url]);
    let gated = run(&dir, &["gate", &url, "--target", "test"]);
    let half = run(&dir, &["scan", &url, "--table", "half_t"]);
    let open = run(&dir, &["scan", &url, "--table", "open_t"]);
    db.drop_with_role(&role);
    for out in [&whole, &gated] {
        assert_eq!(out.status.code(), Some(4), "{}", stderr(out));
        assert!(stderr(out).contains("may not read table(s) closed_t"), "{}", stderr(out));
    }
    assert_eq!(half.status.code(), Some(4), "{}", stderr(&half));
    assert!(stderr(&half).contains("may not read column(s) `email`"), "{}", stderr(&half));
    assert_eq!(open.status.code(), Some(0), "the readable table alone: {}", stderr(&open));
    for out in [&whole, &gated, &half, &open] {
        assert!(!String::from_utf8_lossy(&out.stdout).contains(PLANTED) && !stderr(out).contains(PLANTED));
    }
}
