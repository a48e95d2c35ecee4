//! Relations and constraints in generated data: foreign keys, parent-dependent values,
//! self-references, link tables, one-to-one refs, uniqueness, nulls and scenarios.

use std::collections::{HashMap, HashSet};

use crate::util::*;

struct Shop {
    dir: Dir,
}

impl Shop {
    fn generate() -> Shop {
        let dir = Dir::new();
        dir.write("shop.toml", include_str!("fixtures/shop.toml"));
        run_ok(&dir, &["generate", "shop.toml", "--out", "out", "--quiet", "--now", "2026-01-01T00:00:00Z"]);
        Shop { dir }
    }

    fn col(&self, table: &str, name: &str) -> Vec<String> {
        csv_column(&self.dir.join(&format!("out/{table}.csv")), name)
    }
}

fn all_unique(v: &[String]) -> bool {
    v.iter().collect::<HashSet<_>>().len() == v.len()
}

#[test]
fn foreign_keys_point_at_existing_rows_and_children_respect_their_parent() {
    let shop = Shop::generate();
    let ids = shop.col("customers", "id");
    let created_at = shop.col("customers", "created_at");
    let created: HashMap<&String, &String> = ids.iter().zip(created_at.iter()).collect();
    let cust = shop.col("orders", "customer_id");
    let at = shop.col("orders", "ordered_at");
    assert!(!cust.is_empty());
    for (c, t) in cust.iter().zip(&at) {
        let parent_created = created.get(c).unwrap_or_else(|| panic!("order for unknown customer {c}"));
        // ISO 8601 UTC strings compare in time order.
        assert!(t >= *parent_created, "order at {t} before its customer was created at {parent_created}");
    }
    // Orders are laid out parent by parent.
    let as_num: Vec<u64> = cust.iter().map(|c| c.parse().unwrap()).collect();
    assert!(as_num.windows(2).all(|w| w[0] <= w[1]));
    // A template can read the parent row.
    let last = shop.col("customers", "last_name");
    let last_names: HashMap<&String, &String> = ids.iter().zip(last.iter()).collect();
    for (c, r) in cust.iter().zip(shop.col("orders", "ref_text")) {
        assert!(r.starts_with(&format!("{}/", last_names[c])), "{r}");
    }
}

#[test]
fn order_lines_number_their_lines_and_copy_the_product_price() {
    let shop = Shop::generate();
    let orders: HashSet<String> = shop.col("orders", "id").into_iter().collect();
    let prices: HashMap<String, String> =
        shop.col("products", "id").into_iter().zip(shop.col("products", "price")).collect();
    let (oid, line, pid, price) = (
        shop.col("order_lines", "order_id"),
        shop.col("order_lines", "line_no"),
        shop.col("order_lines", "product_id"),
        shop.col("order_lines", "unit_price"),
    );
    let mut expected_line: HashMap<&String, u64> = HashMap::new();
    for i in 0..oid.len() {
        assert!(orders.contains(&oid[i]));
        let next = expected_line.entry(&oid[i]).or_insert(1);
        assert_eq!(line[i], next.to_string(), "line numbers run 1, 2, 3… within an order");
        *next += 1;
        assert_eq!(prices.get(&pid[i]), Some(&price[i]), "unit price is the product's price");
    }
    // A zipf ref favours some products: the most used one is used far more than average.
    let mut uses: HashMap<&String, usize> = HashMap::new();
    for p in &pid {
        *uses.entry(p).or_default() += 1;
    }
    let max = *uses.values().max().unwrap();
    assert!(max as f64 > 5.0 * pid.len() as f64 / 300.0, "max {max} of {}", pid.len());
}

#[test]
fn self_references_point_backwards_and_the_first_row_is_a_root() {
    let shop = Shop::generate();
    let ids = shop.col("employees", "id");
    let mgr = shop.col("employees", "manager_id");
    assert_eq!(mgr[0], "", "the first employee has no manager");
    for (id, m) in ids.iter().zip(&mgr).skip(1) {
        let (id, m): (u64, u64) = (id.parse().unwrap(), m.parse().unwrap());
        assert!(m < id, "manager {m} of {id} must come earlier");
    }
}

#[test]
fn link_tables_have_unique_pairs_and_one_to_one_refs_never_repeat() {
    let shop = Shop::generate();
    let pairs: Vec<String> = shop
        .col("product_tags", "product_id")
        .into_iter()
        .zip(shop.col("product_tags", "tag_id"))
        .map(|(p, t)| format!("{p}/{t}"))
        .collect();
    assert!(pairs.len() > 300, "{} pairs", pairs.len());
    assert!(all_unique(&pairs));
    let tags: HashSet<String> = shop.col("tags", "id").into_iter().collect();
    assert!(shop.col("product_tags", "tag_id").iter().all(|t| tags.contains(t)));

    let profiles = shop.col("profiles", "customer_id");
    assert_eq!(profiles.len(), 1500);
    assert!(all_unique(&profiles));
    let customers: HashSet<String> = shop.col("customers", "id").into_iter().collect();
    assert!(profiles.iter().all(|c| customers.contains(c)));
}

#[test]
fn unique_columns_are_unique_and_identifiers_stay_in_reserved_ranges() {
    let shop = Shop::generate();
    for col in ["id", "uid", "email", "nhs_number", "member_no"] {
        assert!(all_unique(&shop.col("customers", col)), "{col} repeats");
    }
    for m in shop.col("customers", "member_no") {
        let m: u64 = m.parse().unwrap();
        assert!((100_000..=999_999).contains(&m));
    }
    for e in shop.col("customers", "email") {
        assert!(e.ends_with("@example.com"), "{e}");
    }
    for n in shop.col("customers", "nhs_number") {
        let digits: String = n.chars().filter(char::is_ascii_digit).collect();
        assert!(digits.starts_with("999"), "{n}");
        assert!(synthgate::checkdigit::nhs_valid(&digits), "{n} fails mod 11");
    }
    for p in shop.col("customers", "phone").iter().filter(|p| !p.is_empty()) {
        assert!(synthgate::reserved::is_reserved(synthgate::reserved::Kind::PhoneUs, p), "{p}");
        assert!(p.contains("555-01"), "{p}");
    }
    for u in shop.col("customers", "uid") {
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4", "version 4: {u}");
        assert!("89ab".contains(&u[19..20]), "RFC 4122 variant: {u}");
    }
    for c in shop.col("customers", "code").iter().filter(|c| !c.is_empty()) {
        assert!(
            c.len() == 5
                && c[..2].chars().all(|x| x.is_ascii_uppercase())
                && c[2..].chars().all(|x| x.is_ascii_digit()),
            "{c}"
        );
    }
}

#[test]
fn null_probability_is_respected() {
    let shop = Shop::generate();
    let phones = shop.col("customers", "phone");
    let nulls = phones.iter().filter(|p| p.is_empty()).count() as f64 / phones.len() as f64;
    assert!((0.15..0.25).contains(&nulls), "null share {nulls}");
    let scores: Vec<f64> =
        shop.col("customers", "score").iter().filter(|s| !s.is_empty()).map(|s| s.parse().unwrap()).collect();
    assert!(scores.iter().all(|s| (0.0..=100.0).contains(s)));
    let mean = scores.iter().sum::<f64>() / scores.len() as f64;
    assert!((mean - 50.0).abs() < 1.5, "mean {mean}");
}

#[test]
fn scenarios_are_placed_at_their_rows() {
    let shop = Shop::generate();
    let ids = shop.col("customers", "id");
    assert_eq!(ids[9], "10");
    assert_eq!(shop.col("customers", "first_name")[9], "Zoë");
    assert_eq!(shop.col("customers", "last_name")[9], "Ångström");
    assert_eq!(shop.col("customers", "born")[9], "2000-02-29");
    // Columns derived from a scenario's values use them.
    assert_eq!(shop.col("customers", "email")[9], "zoe.angstrom.10@example.com");
    assert_eq!(shop.col("customers", "code")[9], "", "a scenario can set nulls");
    assert_eq!(shop.col("customers", "score")[9], "");
    // The customer at row 5 (id 6) has no orders; its neighbours do have some in general.
    let orders = shop.col("orders", "customer_id");
    assert!(!orders.contains(&"6".to_string()));
    assert!(orders.len() > 4000);
}

#[test]
fn composite_foreign_keys_take_both_columns_from_one_parent_row() {
    let shop = Shop::generate();
    let lines: HashSet<String> = shop
        .col("order_lines", "order_id")
        .into_iter()
        .zip(shop.col("order_lines", "line_no"))
        .map(|(o, l)| format!("{o}/{l}"))
        .collect();
    let shipped: Vec<String> = shop
        .col("shipments", "order_id")
        .into_iter()
        .zip(shop.col("shipments", "line_no"))
        .map(|(o, l)| format!("{o}/{l}"))
        .collect();
    assert_eq!(shipped.len(), 700);
    for s in &shipped {
        assert!(lines.contains(s), "shipment of {s}, which is no order line");
    }
    // Not always line 1: the pair really comes from a random order line.
    assert!(shipped.iter().any(|s| !s.ends_with("/1")));
}
