//! Output formats: every format reads back to the same values; compression and standard
//! output give the same bytes as a plain file.

use std::io::Read;

use polars::prelude::*;

use crate::util::*;

const SCHEMA: &str = include_str!("fixtures/shop.toml");

fn generate(dir: &Dir, out: &str, extra: &[&str]) {
    let mut args = vec![
        "generate",
        "shop.toml",
        "--out",
        out,
        "--quiet",
        "--now",
        "2026-01-01T00:00:00Z",
        "--table",
        "customers",
        "--table",
        "products",
    ];
    args.extend_from_slice(extra);
    run_ok(dir, &args);
}

fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn csv_and_json_lines_hold_the_same_values() {
    let dir = Dir::new();
    dir.write("shop.toml", SCHEMA);
    generate(&dir, "csv", &[]);
    generate(&dir, "jsonl", &["--format", "jsonl"]);
    let rows = csv_rows(&dir.join("csv/customers.csv"));
    let header = &rows[0];
    let jsonl = dir.read("jsonl/customers.jsonl");
    let lines: Vec<serde_json::Map<String, serde_json::Value>> =
        jsonl.lines().map(|l| serde_json::from_str(l).expect("each line is a JSON object")).collect();
    assert_eq!(lines.len(), rows.len() - 1);
    let first = jsonl.lines().next().unwrap();
    let positions: Vec<usize> = header.iter().map(|h| first.find(&format!("\"{h}\":")).expect("key present")).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "keys in column order: {first}");
    for (row, obj) in rows[1..].iter().zip(&lines) {
        assert_eq!(obj.len(), header.len());
        for (h, v) in header.iter().zip(row) {
            let j = &obj[h];
            if h == "score" && !v.is_empty() {
                let (a, b): (f64, f64) = (v.parse().unwrap(), j.as_f64().unwrap());
                assert_eq!(a, b);
            } else {
                assert_eq!(&text(j), v, "column {h}");
            }
        }
    }
    // Nulls are JSON nulls, not empty strings.
    assert!(lines.iter().any(|o| o["phone"].is_null()));
}

#[test]
fn parquet_reads_back_with_logical_types_and_the_same_values() {
    let dir = Dir::new();
    dir.write("shop.toml", SCHEMA);
    generate(&dir, "csv", &[]);
    generate(&dir, "pq", &["--format", "parquet"]);
    let file = std::fs::File::open(dir.join("pq/customers.parquet")).unwrap();
    let df = ParquetReader::new(file).finish().expect("valid parquet");
    let rows = csv_rows(&dir.join("csv/customers.csv"));
    assert_eq!(df.height(), rows.len() - 1);
    let names: Vec<String> = df.get_column_names().iter().map(|s| s.to_string()).collect();
    assert_eq!(names, rows[0]);
    assert_eq!(df.column("id").unwrap().dtype(), &DataType::Int64);
    assert_eq!(df.column("born").unwrap().dtype(), &DataType::Date);
    assert!(matches!(df.column("created_at").unwrap().dtype(), DataType::Datetime(TimeUnit::Microseconds, Some(_))));

    let csv_col = |name: &str| csv_column(&dir.join("csv/customers.csv"), name);
    let ids: Vec<String> = df.column("id").unwrap().i64().unwrap().iter().map(|v| v.unwrap().to_string()).collect();
    assert_eq!(ids, csv_col("id"));
    let emails: Vec<String> =
        df.column("email").unwrap().str().unwrap().iter().map(|v| v.unwrap().to_string()).collect();
    assert_eq!(emails, csv_col("email"));
    let phones: Vec<String> =
        df.column("phone").unwrap().str().unwrap().iter().map(|v| v.unwrap_or("").to_string()).collect();
    assert_eq!(phones, csv_col("phone"));
    let born: Vec<String> = df
        .column("born")
        .unwrap()
        .date()
        .unwrap()
        .physical()
        .iter()
        .map(|d| {
            let mut b = Vec::new();
            synthgate::temporal::write_date(d.unwrap(), &mut b);
            String::from_utf8(b).unwrap()
        })
        .collect();
    assert_eq!(born, csv_col("born"));
    let created: Vec<String> = df
        .column("created_at")
        .unwrap()
        .datetime()
        .unwrap()
        .physical()
        .iter()
        .map(|t| {
            let mut b = Vec::new();
            synthgate::temporal::write_timestamp(t.unwrap(), &mut b);
            String::from_utf8(b).unwrap()
        })
        .collect();
    assert_eq!(created, csv_col("created_at"));

    let pf = std::fs::File::open(dir.join("pq/products.parquet")).unwrap();
    let products = ParquetReader::new(pf).finish().unwrap();
    let price = products.column("price").unwrap();
    assert!(matches!(price.dtype(), DataType::Decimal(_, 2)), "{:?}", price.dtype());
    let prices: Vec<String> = price
        .decimal()
        .unwrap()
        .physical()
        .iter()
        .map(|m| {
            let mut b = Vec::new();
            synthgate::temporal::write_decimal(m.unwrap() as i64, 2, &mut b);
            String::from_utf8(b).unwrap()
        })
        .collect();
    assert_eq!(prices, csv_column(&dir.join("csv/products.csv"), "price"));
}

#[test]
fn gzip_and_zstd_decompress_to_the_plain_file() {
    let dir = Dir::new();
    dir.write("shop.toml", SCHEMA);
    generate(&dir, "plain", &[]);
    generate(&dir, "gz", &["--compress", "gzip"]);
    generate(&dir, "zst", &["--compress", "zstd"]);
    let plain = std::fs::read(dir.join("plain/customers.csv")).unwrap();
    let mut gz = Vec::new();
    flate2::read::MultiGzDecoder::new(std::fs::File::open(dir.join("gz/customers.csv.gz")).unwrap())
        .read_to_end(&mut gz)
        .unwrap();
    assert_eq!(gz, plain);
    let zst = zstd::stream::decode_all(std::fs::File::open(dir.join("zst/customers.csv.zst")).unwrap()).unwrap();
    assert_eq!(zst, plain);
}

#[test]
fn standard_output_gets_the_same_bytes_as_the_file() {
    let dir = Dir::new();
    dir.write("shop.toml", SCHEMA);
    generate(&dir, "plain", &[]);
    let out =
        run_ok(&dir, &["generate", "shop.toml", "--out", "-", "--table", "customers", "--now", "2026-01-01T00:00:00Z"]);
    assert_eq!(out.stdout, std::fs::read(dir.join("plain/customers.csv")).unwrap());
    let out = run_ok(
        &dir,
        &[
            "generate",
            "shop.toml",
            "--out",
            "-",
            "--table",
            "customers",
            "--format",
            "jsonl",
            "--now",
            "2026-01-01T00:00:00Z",
        ],
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2000);
}

#[test]
fn csv_quotes_only_what_needs_quoting() {
    let dir = Dir::new();
    dir.write(
        "q.toml",
        r#"
[tables.t]
rows = 3
[tables.t.columns]
a = { gen = "choice", values = ["plain", "with, comma", "say \"hi\"\nbye"] }
b = { gen = "choice", values = [""] }
"#,
    );
    run_ok(&dir, &["generate", "q.toml", "--out", "o", "--quiet"]);
    let rows = csv_rows(&dir.join("o/t.csv"));
    for r in &rows[1..] {
        assert!(["plain", "with, comma", "say \"hi\"\nbye"].contains(&r[0].as_str()), "{r:?}");
        assert_eq!(r[1], "");
    }
    // An empty string is written as "" so it differs from a null.
    assert!(dir.read("o/t.csv").lines().nth(1).unwrap().ends_with(",\"\""));
}
