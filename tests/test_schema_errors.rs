//! Bad input: every schema or flag mistake exits 2 with a message naming the file, line and
//! key path, and nothing is written.

use crate::util::*;

/// Runs `generate` on `schema` and returns (exit code, stderr); asserts nothing was written.
fn fails(schema: &str, extra: &[&str]) -> (i32, String) {
    let dir = Dir::new();
    dir.write("s.toml", schema);
    let mut args = vec!["generate", "s.toml", "--out", "out"];
    args.extend_from_slice(extra);
    let out = run(&dir, &args);
    assert!(dir.listing("out").is_empty(), "nothing may be written: {:?}", dir.listing("out"));
    (out.status.code().unwrap_or(-1), stderr(&out))
}

const OK_TABLE: &str = "[tables.t]\nrows = 10\n[tables.t.columns]\nid = { gen = \"sequence\" }\n";

#[test]
fn a_missing_file_is_a_configuration_error() {
    let dir = Dir::new();
    let out = run(&dir, &["generate", "nope.toml", "--out", "out"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains!(stderr(&out), "nope.toml");
}

#[test]
fn an_empty_file_is_a_configuration_error() {
    let (code, err) = fails("  \n", &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "s.toml", "empty");
}

#[test]
fn malformed_toml_names_the_line() {
    let (code, err) = fails("[tables.t]\nrows = 10\ncolumns = { id = \n", &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "s.toml:3:", "invalid TOML");
}

#[test]
fn an_unknown_generator_lists_the_valid_ones() {
    let (code, err) = fails(
        "[tables.t]\nrows = 10\n[tables.t.columns]\nid = { gen = \"sequence\" }\nname = { gen = \"frist_name\" }\n",
        &[],
    );
    assert_eq!(code, 2);
    assert_contains!(
        err,
        "s.toml:5:",
        "tables.t.columns.name.gen",
        "unknown generator `frist_name`",
        "first_name",
        "sequence"
    );
}

#[test]
fn an_unknown_locale_lists_the_valid_ones() {
    let (code, err) = fails(&format!("locale = \"xx_YY\"\n{OK_TABLE}"), &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "s.toml:1:", "unknown locale `xx_YY`", "en_GB", "fr_FR", "de_DE");
}

#[test]
fn a_typo_in_an_option_is_not_ignored() {
    let (code, err) = fails("[tables.t]\nrows = 10\n[tables.t.columns]\nphone = { gen = \"phone\", nul = 0.1 }\n", &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "s.toml:4:", "tables.t.columns.phone.nul", "unknown key `nul`", "null");
}

#[test]
fn negative_and_absurd_row_counts_are_refused() {
    let (code, err) = fails("[tables.t]\nrows = -5\n[tables.t.columns]\nid = \"uuid\"\n", &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "s.toml:2:", "tables.t.rows", "negative");
    let (code, err) = fails("[tables.t]\nrows = 1e30\n[tables.t.columns]\nid = \"uuid\"\n", &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "tables.t.rows", "beyond");
    let (code, err) = fails(OK_TABLE, &["--scale", "0"]);
    assert_eq!(code, 2);
    assert_contains!(err, "--scale");
}

#[test]
fn unknown_referenced_tables_and_columns_are_named() {
    let (code, err) =
        fails(&format!("{OK_TABLE}[tables.u]\nrows = 5\n[tables.u.columns]\nt_id = {{ ref = \"tt.id\" }}\n"), &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "s.toml:8:", "tables.u.columns.t_id.ref", "unknown table `tt`", "tables: t, u");
    let (code, err) =
        fails(&format!("{OK_TABLE}[tables.u]\nrows = 5\n[tables.u.columns]\nt_id = {{ ref = \"t.key\" }}\n"), &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "unknown column `key` in table `t`", "columns: id");
    let (code, err) = fails("[tables.o]\nper = \"c\"\ncount = 2\n[tables.o.columns]\nid = \"uuid\"\n", &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "tables.o.per", "unknown table `c`");
}

#[test]
fn type_mismatches_in_ranges_are_refused() {
    let (code, err) =
        fails("[tables.t]\nrows = 10\n[tables.t.columns]\nn = { gen = \"int\", min = 10, max = 1 }\n", &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "s.toml:4:", "tables.t.columns.n", "`min` (10) is greater than `max` (1)");
    let (code, err) =
        fails("[tables.t]\nrows = 10\n[tables.t.columns]\nd = { gen = \"date\", min = \"yesterday\" }\n", &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "tables.t.columns.d.min", "unknown column `yesterday`");
    let (code, err) = fails("[tables.t]\nrows = 10\n[tables.t.columns]\nn = { gen = \"int\", min = 1, max = 9 }\nd = { gen = \"date\", min = \"n\" }\n", &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "`n` is a int column; a range end must be a date or timestamp");
    let (code, err) =
        fails("[tables.t]\nrows = 10\n[tables.t.columns]\nd = { gen = \"date\", min = \"2020-02-30\" }\n", &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "not a date");
    let (code, err) = fails("[tables.t]\nrows = \"many\"\n[tables.t.columns]\nid = \"uuid\"\n", &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "tables.t.rows", "expected a number, found string");
}

#[test]
fn cycles_are_named() {
    let (code, err) = fails(
        "[tables.t]\nrows = 10\n[tables.t.columns]\na = { gen = \"template\", template = \"{b}\" }\nb = { gen = \"template\", template = \"x{a}\" }\n",
        &[],
    );
    assert_eq!(code, 2);
    assert_contains!(err, "dependency cycle: t.a → t.b → t.a");
    let (code, err) = fails(
        "[tables.a]\nper = \"b\"\ncount = 1\n[tables.a.columns]\nid = \"uuid\"\n[tables.b]\nper = \"a\"\ncount = 1\n[tables.b.columns]\nid = \"uuid\"\n",
        &[],
    );
    assert_eq!(code, 2);
    assert_contains!(err, "`per` cycle: a → b → a");
}

#[test]
fn an_impossible_unique_fails_before_anything_is_written() {
    let (code, err) =
        fails("[tables.t]\nrows = 30_000\n[tables.t.columns]\nphone = { gen = \"phone\", unique = true }\n", &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "column `phone`", "unique needs 30000 distinct values", "only 20000");
    let (code, err) = fails(
        "[tables.t]\nrows = 20\n[tables.t.columns]\nn = { gen = \"int\", min = 1, max = 10, unique = true }\n",
        &[],
    );
    assert_eq!(code, 2);
    assert_contains!(err, "unique needs 20 distinct values");
    let (code, err) = fails(
        "[tables.t]\nrows = 2\n[tables.t.columns]\nc = { gen = \"choice\", values = [\"a\", \"b\"], unique = true }\n",
        &[],
    );
    assert_eq!(code, 2);
    assert_contains!(err, "tables.t.columns.c", "not supported for generator `choice`");
}

#[test]
fn synthetic_emails_must_use_reserved_domains() {
    let (code, err) =
        fails("[tables.t]\nrows = 2\n[tables.t.columns]\ne = { gen = \"email\", domain = \"gmail.com\" }\n", &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "tables.t.columns.e.domain", "not a reserved domain", "example.com");
}

#[test]
fn usage_errors_exit_2() {
    let dir = Dir::new();
    dir.write("s.toml", OK_TABLE);
    for args in [
        vec!["generate", "s.toml", "--table", "nope"],
        vec!["generate", "s.toml", "--format", "xml"],
        vec!["generate", "s.toml", "--shard", "3/3"],
        vec!["generate", "s.toml", "--threads", "0"],
        vec!["generate", "--example", "nope"],
        vec!["frobnicate"],
    ] {
        let out = run(&dir, &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn schema_check_prints_the_plan() {
    let dir = Dir::new();
    dir.write("shop.toml", include_str!("fixtures/shop.toml"));
    let out = run_ok(&dir, &["schema", "check", "shop.toml"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_contains!(
        text,
        "customers — 2,000 rows (fixed)",
        "orders —",
        "per customers row",
        "email",
        "unique",
        "scenario `no orders` at row 5"
    );
    // Parents come before the tables generated per their rows.
    assert!(text.find("customers —").unwrap() < text.find("orders —").unwrap());
    let out = run(&dir, &["schema", "check", "missing.toml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_unique_template_must_be_fixed_text_around_one_row_number() {
    // "x1" + "1" and "x" + "11" would be equal: no uniqueness by construction.
    let (code, err) = fails("[tables.t]\nrows = 20\n[tables.t.columns]\na = { gen = \"choice\", values = [\"x\", \"x1\"] }\nb = { gen = \"template\", template = \"{a}{row}\", unique = true }\n", &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "tables.t.columns.b.template", "fixed text around one {row}");
}

#[test]
fn ref_options_that_would_be_ignored_are_refused() {
    let base = "[tables.p]\nrows = 5\n[tables.p.columns]\nid = \"sequence\"\n[tables.c]\nper = \"p\"\ncount = 2\n[tables.c.columns]\n";
    let (code, err) = fails(&format!("{base}p_id = {{ ref = \"p.id\", dist = \"zipf\" }}\n"), &[]);
    assert_eq!(code, 2);
    assert_contains!(err, "tables.c.columns.p_id.dist", "follows the `per` parent row");
    let (code, err) = fails(
        &format!("{base}p_id = {{ ref = \"p.id\", relation = \"other\", unique = true, distinct = true }}\n"),
        &[],
    );
    assert_eq!(code, 2);
    assert_contains!(err, "`unique` and `distinct` exclude each other");
}

#[test]
fn a_ref_to_a_table_without_rows_is_an_error_not_silent_nulls() {
    let (code, err) = fails("[tables.p]\nrows = 100\n[tables.p.columns]\nid = \"sequence\"\n[tables.c]\nrows = 1000\n[tables.c.columns]\np_id = { ref = \"p.id\" }\n", &["--scale", "0.001"]);
    assert_eq!(code, 2);
    assert_contains!(err, "table `c` refers to `p`, which has no rows at this scale");
}
