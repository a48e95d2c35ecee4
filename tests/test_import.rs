//! `schema import`: a database's own schema (live or DDL) → a synthgate schema whose data loads
//! back into an empty copy of that schema with every constraint on — in PostgreSQL, MariaDB
//! and SQLite, for the fixture domains of `tests/fixtures/import` (commerce, HR, healthcare,
//! ticketing: composite keys, cycles, enums, domains, checks). Servers as in `test_db`: a test
//! fails under CI when one is missing, and is skipped with a message elsewhere.

use mysql::prelude::Queryable;

use crate::test_db::{MyDb, PgDb};
use crate::util::{run, stderr, Dir};

const DOMAINS: [&str; 4] = ["commerce", "hr", "healthcare", "ticketing"];
const SCALES: [&str; 2] = ["0.05", "0.4"];

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/import/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn pg_with(ddl: &str) -> Option<PgDb> {
    let db = PgDb::new()?;
    db.client().batch_execute(ddl).unwrap_or_else(|e| panic!("fixture DDL: {e:?}"));
    Some(db)
}

fn my_with(ddl: &str) -> Option<MyDb> {
    let db = MyDb::new()?;
    db.conn().query_drop(ddl).unwrap_or_else(|e| panic!("fixture DDL: {e:?}"));
    Some(db)
}

fn sqlite_with(dir: &Dir, name: &str, ddl: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(ddl).unwrap_or_else(|e| panic!("fixture DDL: {e}"));
    path
}

/// Imports `from` into `schema.toml` and returns the summary.
fn import(dir: &Dir, from: &[&str]) -> String {
    let mut args = vec!["schema", "import"];
    args.extend_from_slice(from);
    args.extend_from_slice(&["--out", "schema.toml"]);
    let out = run(dir, &args);
    assert_eq!(out.status.code(), Some(0), "import {from:?}: {}", stderr(&out));
    stderr(&out)
}

/// Generates the imported schema into `url` at each scale, replacing what is there.
fn load_at_every_scale(dir: &Dir, url: &str, what: &str) {
    for scale in SCALES {
        let out = run(
            dir,
            &["generate", "schema.toml", "--out", url, "--scale", scale, "--if-exists", "truncate", "--quiet"],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{what} at scale {scale}: {}\nschema:\n{}",
            stderr(&out),
            dir.read("schema.toml")
        );
    }
}

fn gate_passes(dir: &Dir, url: &str, what: &str) {
    let out = run(dir, &["gate", url, "--target", "test"]);
    assert_eq!(out.status.code(), Some(0), "{what}: gate --target test: {}", stderr(&out));
}

/// The application's tables, of every schema (not partitions, not synthgate's own).
fn pg_tables(db: &PgDb) -> Vec<String> {
    db.client()
        .query(
            "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
             AND n.nspname NOT LIKE 'pg\\_%' AND c.relname <> 'synthgate_manifests' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[test]
fn postgres_schemas_round_trip_with_every_constraint_kept() {
    for domain in DOMAINS {
        let ddl = fixture(&format!("{domain}.pg.sql"));
        let (Some(source), Some(copy)) = (pg_with(&ddl), pg_with(&ddl)) else { return };
        let dir = Dir::new();
        let summary = import(&dir, &[&source.url()]);
        load_at_every_scale(&dir, &copy.url(), domain);
        // Every table of the schema is filled (partitioned parents through their partitions).
        for t in pg_tables(&copy) {
            assert!(copy.count(&t) > 0, "{domain}: table {t} is empty\n{summary}");
        }
        // Keys made to wait for the commit are as they were.
        let deferrable: i64 =
            copy.client().query_one("SELECT count(*) FROM pg_constraint WHERE condeferrable", &[]).unwrap().get(0);
        let declared: i64 =
            source.client().query_one("SELECT count(*) FROM pg_constraint WHERE condeferrable", &[]).unwrap().get(0);
        assert_eq!(deferrable, declared, "{domain}: a foreign key was left deferrable");
        gate_passes(&dir, &copy.url(), domain);
    }
}

#[test]
fn mariadb_schemas_round_trip_with_every_constraint_kept() {
    for domain in DOMAINS {
        let ddl = fixture(&format!("{domain}.mysql.sql"));
        let (Some(source), Some(copy)) = (my_with(&ddl), my_with(&ddl)) else { return };
        let dir = Dir::new();
        let summary = import(&dir, &[&source.url()]);
        load_at_every_scale(&dir, &copy.url(), domain);
        for t in copy.tables().into_iter().filter(|t| t != "synthgate_manifests") {
            let view: Option<String> = copy
                .conn()
                .exec_first(
                    "SELECT table_type FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
                    (&copy.name, &t),
                )
                .unwrap();
            if view.as_deref() == Some("VIEW") {
                continue;
            }
            assert!(copy.count(&format!("`{t}`")) > 0, "{domain}: table {t} is empty\n{summary}");
        }
        // MariaDB checked the foreign keys it was loaded without, at the commit; check again.
        gate_passes(&dir, &copy.url(), domain);
    }
}

#[test]
fn sqlite_schemas_round_trip_with_every_constraint_kept() {
    for domain in DOMAINS {
        let dir = Dir::new();
        let ddl = fixture(&format!("{domain}.sqlite.sql"));
        sqlite_with(&dir, "source.db", &ddl);
        sqlite_with(&dir, "copy.db", &ddl);
        let summary = import(&dir, &["sqlite://source.db"]);
        load_at_every_scale(&dir, "sqlite://copy.db", domain);
        let c = rusqlite::Connection::open(dir.join("copy.db")).unwrap();
        let tables: Vec<String> = c
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'synthgate_manifests'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for t in &tables {
            let n: i64 = c.query_row(&format!("SELECT count(*) FROM \"{t}\""), [], |r| r.get(0)).unwrap();
            assert!(n > 0, "{domain}: table {t} is empty\n{summary}");
        }
        // SQLite checked foreign keys at the commit; nothing dangles.
        let dangling: i64 = c.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
        assert_eq!(dangling, 0, "{domain}");
        let integrity: String = c.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(integrity, "ok");
        gate_passes(&dir, "sqlite://copy.db", domain);
    }
}

#[test]
fn ddl_files_import_like_the_live_databases() {
    // PostgreSQL and SQLite DDL, loaded into live copies (MariaDB's is covered by the same
    // reader; one server round trip per dialect is enough here).
    for domain in DOMAINS {
        let dir = Dir::new();
        let path = format!("{}/tests/fixtures/import/{domain}.sqlite.sql", env!("CARGO_MANIFEST_DIR"));
        import(&dir, &["--ddl", &path, "--dialect", "sqlite"]);
        sqlite_with(&dir, "copy.db", &fixture(&format!("{domain}.sqlite.sql")));
        load_at_every_scale(&dir, "sqlite://copy.db", &format!("{domain} (SQLite DDL)"));
    }
    for domain in DOMAINS {
        let Some(copy) = pg_with(&fixture(&format!("{domain}.pg.sql"))) else { return };
        let dir = Dir::new();
        let path = format!("{}/tests/fixtures/import/{domain}.pg.sql", env!("CARGO_MANIFEST_DIR"));
        import(&dir, &["--ddl", &path, "--dialect", "postgres"]);
        load_at_every_scale(&dir, &copy.url(), &format!("{domain} (PostgreSQL DDL)"));
        for t in pg_tables(&copy) {
            assert!(copy.count(&t) > 0, "{domain} (DDL): table {t} is empty");
        }
    }
    for domain in ["commerce", "hr"] {
        let Some(copy) = my_with(&fixture(&format!("{domain}.mysql.sql"))) else { return };
        let dir = Dir::new();
        let path = format!("{}/tests/fixtures/import/{domain}.mysql.sql", env!("CARGO_MANIFEST_DIR"));
        import(&dir, &["--ddl", &path, "--dialect", "mysql"]);
        load_at_every_scale(&dir, &copy.url(), &format!("{domain} (MariaDB DDL)"));
    }
}

#[test]
fn the_summary_lists_every_compromise_and_the_file_marks_what_to_review() {
    let Some(source) = pg_with(&fixture("commerce.pg.sql")) else { return };
    let dir = Dir::new();
    let summary = import(&dir, &[&source.url()]);
    let toml = dir.read("schema.toml");
    for said in [
        "order_totals: skipped: a view",
        "order_lines.total: a generated column: left to the database",
        "customers.location: type `geo` cannot be generated: left null",
        "orders.status: the values of the partial unique",
    ] {
        assert!(summary.contains(said), "summary lacks `{said}`:\n{summary}");
    }
    // Enums, domains, checks and keys became generator options.
    for line in [
        "status = { gen = \"choice\", values = [\"draft\", \"active\", \"discontinued\"] }",
        "line_no = \"ordinal\"",
        "quantity_shipped = { gen = \"int\", min = 1, max = [\"quantity_ordered\", 20] }",
        "shipped_at = { gen = \"timestamp\", min = \"placed_at+1m\", max = \"placed_at+30d\", null = 0.1 }",
        "postcode = { gen = \"regex\", pattern = \"[A-Z]{2}[0-9]{3}\" }",
        "email = { gen = \"email\", unique = true }",
        // Another schema's tables are named with it, and referenced so.
        "[tables.\"billing.invoices\"]",
        "invoice_id = { ref = \"billing.invoices.id\" }",
    ] {
        assert!(toml.contains(line), "schema lacks `{line}`:\n{toml}");
    }
    // The password is never shown, and the source is named in the file.
    assert!(toml.contains(&format!("from postgres://postgres@127.0.0.1:5432/{}", source.name)), "{toml}");
}

#[test]
fn importing_again_keeps_edits_where_the_database_did_not_change() {
    let Some(db) = pg_with(&fixture("hr.pg.sql")) else { return };
    let dir = Dir::new();
    import(&dir, &[&db.url()]);
    let first = dir.read("schema.toml");
    // The user edits a size and a column, and adds a scenario.
    let edited = first.replacen("[tables.skills]\nrows = 500", "[tables.skills]\nrows = 77", 1).replacen(
        "category = { gen = \"choice\", values = [\"technical\", \"language\", \"management\", \"safety\"] }",
        "category = { gen = \"choice\", values = [\"technical\", \"language\"], weights = [9, 1] }",
        1,
    );
    assert_ne!(edited, first, "the edit must change the file");
    dir.write("schema.toml", &edited);
    // The database changes: a new column, and a column's type.
    db.client()
        .batch_execute("ALTER TABLE skills ADD COLUMN retired_on date; ALTER TABLE departments ALTER COLUMN name TYPE varchar(200)")
        .unwrap();
    let summary = import(&dir, &[&db.url()]);
    let second = dir.read("schema.toml");
    assert!(second.contains("[tables.skills]\nrows = 77"), "{second}");
    assert!(second.contains("values = [\"technical\", \"language\"], weights = [9, 1] }"), "{second}");
    assert!(second.contains("retired_on = "), "{second}");
    assert!(summary.contains("column skills.retired_on: new"), "{summary}");
    assert!(summary.contains("column departments.name: was `character varying("), "{summary}");
    // Once more with no change: nothing to report, the file as it was.
    let summary = import(&dir, &[&db.url()]);
    assert!(summary.contains("no change against the existing file"), "{summary}");
    assert_eq!(dir.read("schema.toml"), second);
    // A careless edit that breaks the file: the import says so and writes nothing.
    let broken = second.replacen("[tables.skills]\nrows = 77", "[tables.skills]\nrows = \"many\"", 1);
    dir.write("schema.toml", &broken);
    let out = run(&dir, &["schema", "import", &db.url(), "--out", "schema.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("schema.toml with your edits kept does not compile"), "{}", stderr(&out));
    assert_eq!(dir.read("schema.toml"), broken);
}

#[test]
fn personal_data_in_the_catalogue_is_not_copied_into_the_schema() {
    let Some(db) = PgDb::new() else { return };
    // Invented values in real formats: an email at a real-looking domain in a comment and in
    // an IN-list, as careless schemas carry them.
    db.client()
        .batch_execute(
            "CREATE TABLE staff (id int PRIMARY KEY, \
               owner text NOT NULL CHECK (owner IN ('ops', 'harriet.quayle@brightmail.co.uk'))); \
             COMMENT ON TABLE staff IS 'ask harriet.quayle@brightmail.co.uk before changing';",
        )
        .unwrap();
    let dir = Dir::new();
    let summary = import(&dir, &[&db.url()]);
    let toml = dir.read("schema.toml");
    assert!(!toml.contains("brightmail"), "{toml}");
    assert!(!summary.contains("brightmail"), "{summary}");
    assert!(summary.contains("staff: the table's comment is withheld"), "{summary}");
    assert!(summary.contains("staff.owner: 1 allowed values withheld"), "{summary}");
    assert!(toml.contains("owner = { gen = \"choice\", values = [\"ops\"] }"), "{toml}");
    // A column named with an address: not a name a schema can hold, listed — masked.
    db.client().batch_execute("ALTER TABLE staff ADD COLUMN \"harriet.quayle@brightmail.co.uk\" text").unwrap();
    std::fs::remove_file(dir.join("schema.toml")).unwrap();
    let summary = import(&dir, &[&db.url()]);
    assert!(!summary.contains("brightmail"), "{summary}");
    assert!(!dir.read("schema.toml").contains("brightmail"));
    assert!(summary.contains("a column name synthgate cannot use"), "{summary}");
}

#[test]
fn bad_input_is_named_and_nothing_is_written() {
    let dir = Dir::new();
    // A DDL file whose CREATE TABLE is broken on its third line.
    dir.write(
        "bad.sql",
        "-- schema\nCREATE TABLE ok (id int PRIMARY KEY);\nCREATE TABLE broken (id int PRIMARY KEY,, name text);\n",
    );
    let out = run(&dir, &["schema", "import", "--ddl", "bad.sql", "--dialect", "postgres", "--out", "s.toml"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("bad.sql:3:"), "{}", stderr(&out));
    assert!(!dir.join("s.toml").exists());
    // An unreachable server: exit 4, host and database named, the password never.
    let out = run(&dir, &["schema", "import", "postgres://app:Sekr1t-pw@127.0.0.1:1/app", "--out", "s.toml"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("127.0.0.1:1/app"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("Sekr1t"), "{}", stderr(&out));
    assert!(!dir.join("s.toml").exists());
    // A missing SQLite file is not created by an import.
    let out = run(&dir, &["schema", "import", "sqlite://nothing.db"]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(!dir.join("nothing.db").exists());
    // The parser's message quotes the token it stopped at: an address there is masked.
    dir.write("bad2.sql", "CREATE TABLE broken (id int, note text 'harriet.quayle@brightmail.co.uk');\n");
    let out = run(&dir, &["schema", "import", "--ddl", "bad2.sql", "--dialect", "postgres"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("bad2.sql:1:1:"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("brightmail"), "{}", stderr(&out));
    // --ddl needs --dialect; a URL and --ddl exclude each other.
    let out = run(&dir, &["schema", "import", "--ddl", "bad.sql"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn row_counts_come_from_the_statistics_when_asked() {
    let Some(db) = PgDb::new() else { return };
    db.client()
        .batch_execute(
            "CREATE TABLE parents (id int PRIMARY KEY); \
             CREATE TABLE kids (parent_id int REFERENCES parents (id), n int, PRIMARY KEY (parent_id, n)); \
             INSERT INTO parents SELECT g FROM generate_series(1, 1234) g; \
             INSERT INTO kids SELECT p, k FROM generate_series(1, 1234) p, generate_series(1, 5) k; \
             ANALYZE parents; ANALYZE kids;",
        )
        .unwrap();
    let dir = Dir::new();
    let plain = import(&dir, &[&db.url()]);
    assert!(
        dir.read("schema.toml").contains("rows = 500  # about 1234 in the database (--rows-from-stats)"),
        "{plain}"
    );
    std::fs::remove_file(dir.join("schema.toml")).unwrap();
    import(&dir, &[&db.url(), "--rows-from-stats"]);
    let toml = dir.read("schema.toml");
    assert!(toml.contains("[tables.parents]\nrows = 1234\n"), "{toml}");
    assert!(toml.contains("count = { dist = \"poisson\", mean = 5.0, max = 20 }"), "{toml}");
}

#[test]
fn tables_of_other_schemas_load_into_postgresql_only_and_never_into_a_namespace() {
    let dir = Dir::new();
    dir.write(
        "s.toml",
        "[tables.\"billing.invoices\"]\nrows = 3\n[tables.\"billing.invoices\".columns]\nid = \"sequence\"\n",
    );
    let out = run(&dir, &["generate", "s.toml", "--out", "sqlite://x.db", "--create"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("load into PostgreSQL only"), "{}", stderr(&out));
    assert!(!dir.join("x.db").exists());
    let Some(db) = PgDb::new() else { return };
    let out = run(&dir, &["generate", "s.toml", "--out", &db.url(), "--namespace", "ws1"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("outside any namespace"), "{}", stderr(&out));
    // Into the database itself it goes to its schema.
    db.client().batch_execute("CREATE SCHEMA billing; CREATE TABLE billing.invoices (id bigint PRIMARY KEY)").unwrap();
    let out = run(&dir, &["generate", "s.toml", "--out", &db.url(), "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(db.count("billing.invoices"), 3);
    // The gate of the database judges every schema's tables, and vouches for what it loaded.
    let out = run(&dir, &["gate", &db.url(), "--target", "test"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("billing.invoices → test"), "{}", stderr(&out));
    // Personal data in another schema is not out of its sight (an invented address).
    db.client()
        .batch_execute("CREATE TABLE billing.contacts (note text); INSERT INTO billing.contacts VALUES ('mail harriet.quayle@brightmail.co.uk')")
        .unwrap();
    let out = run(&dir, &["gate", &db.url(), "--target", "test"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("billing.contacts may not go to test"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("brightmail"), "{}", stderr(&out));
}

#[test]
fn identifier_columns_get_their_reserved_range_by_the_rules_column_hints() {
    let Some(db) = PgDb::new() else { return };
    let ddl = "CREATE TABLE patients (id int PRIMARY KEY, nhs_no varchar(12) UNIQUE, ni_number text, \
               iban varchar(34), card_no text, client_ip inet, home_phone varchar(20), email text NOT NULL)";
    db.client().batch_execute(ddl).unwrap();
    let dir = Dir::new();
    import(&dir, &[&db.url()]);
    let toml = dir.read("schema.toml");
    for line in [
        "nhs_no = { gen = \"nhs_number\", unique = true }",
        "ni_number = { gen = \"nino\", null = 0.1 }",
        "card_no = { gen = \"card_number\", null = 0.1 }",
        "home_phone = { gen = \"phone\", region = \"GB\", max_length = 20, null = 0.1 }",
        "email = \"email\"",
    ] {
        assert!(toml.contains(line), "`{line}`:\n{toml}");
    }
    // And the data passes the gate into an empty copy.
    let Some(copy) = pg_with(ddl) else { return };
    load_at_every_scale(&dir, &copy.url(), "patients");
    gate_passes(&dir, &copy.url(), "patients");
}

#[test]
fn a_cycle_of_required_foreign_keys_that_cannot_be_deferred_still_loads() {
    // Neither key may be null nor deferred: whichever table loads first points at rows still
    // to come. The load makes the first wait for the commit, in its transaction only.
    let ddl = "CREATE TABLE teams (id int PRIMARY KEY, captain_id int NOT NULL); \
               CREATE TABLE players (id int PRIMARY KEY, team_id int NOT NULL REFERENCES teams (id)); \
               ALTER TABLE teams ADD CONSTRAINT teams_captain FOREIGN KEY (captain_id) REFERENCES players (id);";
    let (Some(source), Some(copy)) = (pg_with(ddl), pg_with(ddl)) else { return };
    let dir = Dir::new();
    import(&dir, &[&source.url()]);
    load_at_every_scale(&dir, &copy.url(), "teams and players");
    assert!(copy.count("teams") > 0 && copy.count("players") > 0);
    let deferrable: i64 =
        copy.client().query_one("SELECT count(*) FROM pg_constraint WHERE condeferrable", &[]).unwrap().get(0);
    assert_eq!(deferrable, 0, "a key was left deferrable");
    // Every captain plays, every player's team exists: checked by PostgreSQL at the commit.
    let orphans: i64 = copy
        .client()
        .query_one("SELECT count(*) FROM teams t LEFT JOIN players p ON p.id = t.captain_id WHERE p.id IS NULL", &[])
        .unwrap()
        .get(0);
    assert_eq!(orphans, 0);
}

#[test]
fn a_name_a_teams_rule_calls_personal_stops_the_import_and_nothing_is_written() {
    // A table named with a staff number (the team's own rule): no label or comment to withhold,
    // the name itself would be written, so the whole import is refused.
    let dir = Dir::new();
    dir.write(
        "staff.toml",
        r#"
[[rule]]
id = "staff-number"
entity = "staff_number"
description = "Staff numbers as table suffixes"
regex = '''\bstaff_[0-9]{6}\b'''
confidence = 0.9
[[rule.positive]]
value = "staff_104233"
reason = "the format"
[[rule.negative]]
value = "staff_10423"
reason = "five digits"
"#,
    );
    dir.write("s.sql", "CREATE TABLE staff_104233 (id int PRIMARY KEY, note text);\n");
    let ddl = ["schema", "import", "--ddl", "s.sql", "--dialect", "postgres", "--out", "schema.toml"];
    let out = run(&dir, &[&ddl[..], &["--rules", "staff.toml"]].concat());
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("(rule staff-number)"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("104233"), "{}", stderr(&out));
    assert!(!dir.join("schema.toml").exists());
    // Without the team's rule the same file imports.
    let out = run(&dir, &ddl);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
