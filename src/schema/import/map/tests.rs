use super::*;
use crate::schema::import::model::{Check, Unique};

fn col(name: &str, ty: &str, nullable: bool) -> Column {
    Column { name: name.into(), data_type: ty.into(), nullable, ..Column::default() }
}

fn fk(columns: &[&str], parent: &str, parent_columns: &[&str]) -> ForeignKey {
    ForeignKey {
        name: None,
        columns: columns.iter().map(|c| c.to_string()).collect(),
        parent_schema: None,
        parent: parent.into(),
        parent_columns: parent_columns.iter().map(|c| c.to_string()).collect(),
        deferrable: false,
    }
}

fn table(name: &str, columns: Vec<Column>, pk: &[&str]) -> Table {
    Table { name: name.into(), columns, primary_key: pk.iter().map(|c| c.to_string()).collect(), ..Table::default() }
}

fn import(s: &DbSchema) -> Imported {
    let never = |_: &str| false;
    let out = map(
        s,
        &MapOptions {
            dialect: Dialect::Postgres,
            name: "t".into(),
            locale: "en_GB".into(),
            seed: 1,
            rows_from_stats: false,
            looks_personal: &never,
            hint: &|_: &str| None,
        },
    );
    // What is written always compiles.
    if let Err(e) = crate::schema::compile_str("imported", &out.toml, &crate::schema::Options::default()) {
        panic!("{}\n{}", e.message(), out.toml);
    }
    out
}

fn shop() -> DbSchema {
    let mut s = DbSchema { source: "test".into(), default_schema: Some("public".into()), ..DbSchema::default() };
    let mut customers = table(
        "customers",
        vec![col("id", "integer", false), col("email", "varchar(254)", false), col("bonus", "numeric(8,2)", true)],
        &["id"],
    );
    customers.uniques.push(Unique { name: None, columns: vec!["email".into()], predicate: None });
    customers.checks.push(Check { name: None, expr: "coalesce(bonus, 0) * 2 < 100".into() });
    let mut orders = table("orders", vec![col("id", "bigint", false), col("customer_id", "integer", false)], &["id"]);
    orders.foreign_keys.push(fk(&["customer_id"], "customers", &["id"]));
    let mut lines = table(
        "order_lines",
        vec![col("order_id", "bigint", false), col("line_no", "smallint", false), col("qty", "integer", false)],
        &["order_id", "line_no"],
    );
    lines.foreign_keys.push(fk(&["order_id"], "orders", &[]));
    lines.checks.push(Check { name: None, expr: "qty BETWEEN 1 AND 9".into() });
    let tags = table("tags", vec![col("id", "integer", false)], &["id"]);
    let mut order_tags = table(
        "order_tags",
        vec![col("order_id", "bigint", false), col("tag_id", "integer", false)],
        &["order_id", "tag_id"],
    );
    order_tags.foreign_keys.push(fk(&["order_id"], "orders", &["id"]));
    order_tags.foreign_keys.push(fk(&["tag_id"], "tags", &["id"]));
    let mut profile = table("profiles", vec![col("customer_id", "integer", false)], &["customer_id"]);
    profile.foreign_keys.push(fk(&["customer_id"], "customers", &["id"]));
    let mut invoices = table("invoices", vec![col("id", "integer", false), col("order_id", "bigint", false)], &["id"]);
    invoices.schema = Some("billing".into());
    invoices.foreign_keys.push(fk(&["order_id"], "orders", &["id"]));
    // Children first: the file lists parents first whatever the order read.
    s.tables = vec![order_tags, lines, orders, tags, customers, profile, invoices];
    s
}

#[test]
fn keys_become_shapes_parents_come_first_and_the_file_compiles() {
    let out = import(&shop());
    let t = &out.toml;
    let pos = |needle: &str| t.find(needle).unwrap_or_else(|| panic!("`{needle}` missing:\n{t}"));
    assert!(pos("[tables.customers]") < pos("[tables.orders]"));
    assert!(pos("[tables.orders]") < pos("[tables.order_lines]"));
    // (order_id, line_no): children numbered under their order.
    assert!(t.contains("[tables.order_lines]\nper = \"orders\""), "{t}");
    assert!(t.contains("line_no = \"ordinal\""), "{t}");
    assert!(t.contains("qty = { gen = \"int\", min = 1, max = 9 }"), "{t}");
    // A link table: distinct tags per order.
    assert!(t.contains("[tables.order_tags]\nper = \"orders\""), "{t}");
    assert!(t.contains("tag_id = { ref = \"tags.id\", distinct = true }"), "{t}");
    // One-to-one: 0 or 1 profile per customer.
    assert!(
        t.contains("[tables.profiles]\nper = \"customers\"\ncount = { dist = \"uniform\", min = 0, max = 1 }"),
        "{t}"
    );
    // Unique email, a nullable column in an unexpressible check left null, and said so.
    assert!(t.contains("email = { gen = \"email\", unique = true }"), "{t}");
    assert!(t.contains("bonus = { gen = \"decimal\""), "{t}");
    assert!(t.lines().any(|l| l.starts_with("bonus = ") && l.contains("null = 1.0")), "{t}");
    assert!(out.notes.iter().any(|n| n.at == "customers.bonus" && n.what.contains("left null")), "{:?}", out.notes);
    // Another schema's table, named with it.
    assert!(t.contains("[tables.\"billing.invoices\"]"), "{t}");
    assert_eq!(out.tables, 7);
}

#[test]
fn a_required_column_in_a_check_it_cannot_express_is_marked_for_review() {
    let mut s = DbSchema::default();
    let mut t = table("staff", vec![col("id", "integer", false), col("salary", "integer", false)], &["id"]);
    t.checks.push(Check { name: None, expr: "salary % 100 = 0".into() });
    s.tables.push(t);
    let out = import(&s);
    assert!(out.toml.contains("# REVIEW salary: check salary % 100 = 0 is not expressed"), "{}", out.toml);
}

#[test]
fn text_that_looks_personal_is_withheld() {
    let mut s = DbSchema::default();
    let mut t = table("staff", vec![col("id", "integer", false), col("owner", "text", false)], &["id"]);
    t.checks.push(Check { name: None, expr: "owner IN ('ops', 'SECRET-NAME')".into() });
    t.comment = Some("call SECRET-NAME".into());
    s.tables.push(t);
    let personal = |x: &str| x.contains("SECRET-NAME");
    let out = map(
        &s,
        &MapOptions {
            dialect: Dialect::Postgres,
            name: "t".into(),
            locale: "en".into(),
            seed: 1,
            rows_from_stats: false,
            looks_personal: &personal,
            hint: &|_: &str| None,
        },
    );
    assert!(!out.toml.contains("SECRET-NAME"), "{}", out.toml);
    assert!(out.toml.contains("owner = { gen = \"choice\", values = [\"ops\"] }"), "{}", out.toml);
    assert!(out.notes.iter().all(|n| !n.what.contains("SECRET-NAME")));
}
