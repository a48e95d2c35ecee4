//! Lookalikes: personal data written so that a plain pattern misses it (fullwidth, invisible
//! characters, odd spaces and separators, glued to words, a float's exponent, percent-encoded,
//! non-ASCII) is refused by `gate` and `copy` in CSV and JSON Lines, with nothing written and no
//! raw value in any output; ordinary text that only looks odd still passes.

use crate::test_scan::{clean_export, CARD};
use crate::util::*;

const ENV: &str = r#"
[environments.production]
paths = ["prod/**"]
[environments.test]
paths = ["out/**"]
[audit]
log = "audit.jsonl"
"#;

/// A lookalike: its name, the cell as written, and pieces of it that no output may show.
struct Case {
    name: &'static str,
    cell: &'static str,
    secret: &'static [&'static str],
}

// The card's middle digits never show in a masked sample (`4929 **** **** 5673`).
const CARD_SECRETS: &[&str] = &[CARD, "3906", "1234"];

const CASES: &[Case] = &[
    Case {
        name: "fullwidth-digits",
        cell: "card ４９２９ ３９０６ １２３４ ５６７３",
        secret: &["３９０６", "１２３４", "3906"],
    },
    Case { name: "zero-width", cell: "4929\u{200B}3906\u{200B}1234\u{200D}5673", secret: CARD_SECRETS },
    Case { name: "soft-hyphen-bidi-bom", cell: "4929\u{00AD}3906\u{200E}1234\u{FEFF}5673", secret: CARD_SECRETS },
    Case { name: "nbsp", cell: "paid 4929\u{00A0}3906\u{00A0}1234\u{00A0}5673 today", secret: CARD_SECRETS },
    Case { name: "thin-spaces", cell: "4929\u{2009}3906\u{202F}1234\u{3000}5673", secret: CARD_SECRETS },
    Case { name: "double-spaces", cell: "4929  3906  1234  5673", secret: CARD_SECRETS },
    Case { name: "dots", cell: "4929.3906.1234.5673", secret: CARD_SECRETS },
    Case { name: "slashes", cell: "card 4929/3906/1234/5673", secret: CARD_SECRETS },
    Case { name: "mixed-separators", cell: "4929 - 3906./1234_5673", secret: CARD_SECRETS },
    Case { name: "line-breaks", cell: "card 4929\r\n3906\n1234\n5673 on file", secret: CARD_SECRETS },
    Case { name: "regrouped", cell: "card 49293906 12345673", secret: CARD_SECRETS },
    Case { name: "zero-width-for-space", cell: "4929\u{200B}3906 1234\u{2060}5673", secret: CARD_SECRETS },
    Case { name: "glued-prefix", cell: "REF4929390612345673", secret: CARD_SECRETS },
    Case { name: "glued-underscore", cell: "card_4929390612345673", secret: CARD_SECRETS },
    Case { name: "glued-colon", cell: "ID:4929390612345673", secret: CARD_SECRETS },
    Case { name: "nhs-dotted-glued", cell: "patient NHS401.023.2137", secret: &["401.023", "023.2137", "4010232137"] },
    Case { name: "nhs-line-breaks", cell: "NHS no 401\n023\n2137", secret: &["401\n023", "4010232137"] },
    Case { name: "arabic-indic-digits", cell: "٤٩٢٩٣٩٠٦١٢٣٤٥٦٧٣", secret: &["٣٩٠٦", "3906"] },
    Case { name: "exponent-text", cell: "4.929390612345673E+15", secret: &["4.929390612345673", "3906"] },
    Case {
        name: "fullwidth-email",
        cell: "ｊａｎｅ．ｄｏｅ＠ｍａｉｌｂｏｘ－ｉｓｐ．ｎｅｔ",
        secret: &["ｊａｎｅ", "jane.doe", "ｍａｉｌｂｏｘ", "mailbox"],
    },
    Case {
        name: "percent-encoded-email",
        cell: "https://shop.invalid-isp.com/unsubscribe?u=jane.doe%40mailbox.invalid-isp.com",
        secret: &["jane.doe", "mailbox.invalid"],
    },
    Case {
        name: "accented-email", cell: "zoë.ångström@postfach-mail.net", secret: &["zoë", "ångström", "postfach"]
    },
    Case {
        name: "decomposed-accents-email",
        cell: "jose\u{301}.nun\u{303}ez@correo-mail.net",
        secret: &["jose", "nun", "correo"],
    },
    Case {
        name: "cyrillic-email",
        cell: "Контакт: иван.петров@pochta-mail.net",
        secret: &["иван", "петров", "pochta"],
    },
];

fn setup() -> Dir {
    let dir = Dir::new();
    dir.write("env.toml", ENV);
    dir
}

/// A CSV field, quoted (line breaks and commas stay inside it).
fn csv_field(cell: &str) -> String {
    format!("\"{}\"", cell.replace('"', "\"\""))
}

/// What `out`, the audit log or the target shows of a secret, if anything.
fn shown_secret(dir: &Dir, case: &Case, out: &std::process::Output) -> Option<String> {
    let shown = format!(
        "{}{}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(out),
        std::fs::read_to_string(dir.join("audit.jsonl")).unwrap_or_default()
    );
    let s = case.secret.iter().copied().chain([case.cell]).find(|s| shown.contains(s))?;
    Some(format!("shows {s:?}:\n{shown}"))
}

/// Runs `gate` and `copy` on `file`: both must refuse it (exit 3), write nothing and show no
/// secret. Returns what went wrong instead.
fn refused(dir: &Dir, case: &Case, file: &str) -> Result<(), String> {
    let fail = |what: &str, why: String| Err(format!("{} ({file}, {what}): {why}", case.name));
    let out = run(dir, &["gate", file, "--target", "test", "--env-file", "env.toml"]);
    if out.status.code() != Some(3) || !stderr(&out).contains("row 1") {
        return fail("gate", format!("exit {:?}, {}", out.status.code(), stderr(&out)));
    }
    if let Some(why) = shown_secret(dir, case, &out) {
        return fail("gate", why);
    }
    // No environments file: the target is non-production (fail closed).
    let out = run(dir, &["copy", file, "out/x.csv"]);
    if out.status.code() != Some(3) {
        return fail("copy", format!("exit {:?}, {}", out.status.code(), stderr(&out)));
    }
    if !dir.listing("out").is_empty() {
        return fail("copy", format!("left {:?}", dir.listing("out")));
    }
    if let Some(why) = shown_secret(dir, case, &out) {
        return fail("copy", why);
    }
    Ok(())
}

/// Asserts every case was refused, listing all that were not.
fn assert_all_refused(results: Vec<Result<(), String>>) {
    let failed: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    assert!(failed.is_empty(), "{} case(s) not refused cleanly:\n{}", failed.len(), failed.join("\n"));
}

#[test]
fn every_lookalike_in_a_csv_cell_is_refused_with_nothing_written_or_shown() {
    let dir = setup();
    let results = CASES.iter().map(|case| {
        let file = format!("{}.csv", case.name);
        dir.write(&file, &format!("id,note,status\n1,{},active\n2,nothing here,closed\n", csv_field(case.cell)));
        refused(&dir, case, &file)
    });
    assert_all_refused(results.collect());
}

#[test]
fn every_lookalike_in_a_json_lines_string_is_refused_with_nothing_written_or_shown() {
    let dir = setup();
    let results = CASES.iter().map(|case| {
        let file = format!("{}.jsonl", case.name);
        let value = serde_json::to_string(case.cell).unwrap();
        dir.write(&file, &format!("{{\"id\":1,\"customer\":{{\"note\":{value}}}}}\n{{\"id\":2,\"customer\":{{}}}}\n"));
        refused(&dir, case, &file)
    });
    assert_all_refused(results.collect());
}

#[test]
fn a_card_written_as_a_json_float_with_an_exponent_is_refused() {
    let dir = setup();
    let case = Case { name: "json-exponent", cell: "4.929390612345673e15", secret: &["4.929390612345673", "3906"] };
    let results = [
        ("float.jsonl", "{\"id\":1,\"pan\":4.929390612345673e15}\n"),
        ("float-signed.jsonl", "{\"id\":1,\"payment\":{\"amount\":12.5,\"pan\":4929390612345673E+0}}\n"),
    ]
    .map(|(file, line)| {
        dir.write(file, line);
        refused(&dir, &case, file)
    });
    assert_all_refused(results.into());
    // The sample is the number as the rules read it, masked.
    let out = run(&dir, &["gate", "float.jsonl", "--target", "test", "--env-file", "env.toml"]);
    assert_contains!(stderr(&out), "4929********5673");
}

#[test]
fn masked_samples_point_at_the_row_and_show_the_value_as_read() {
    let dir = setup();
    dir.write(
        "late.csv",
        "id,note\n1,ok\n2,ok\n3,\"pay ref ４９２９\u{200B} ３９０６ 1234.5673 now\"\n4,jane.doe%40mailbox-isp.net\n",
    );
    let out = run(&dir, &["scan", "late.csv", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = &report["sources"][0]["columns"][1]["findings"];
    let sample = |rule: &str| {
        let f = findings.as_array().unwrap().iter().find(|f| f["rule"] == rule).unwrap_or_else(|| panic!("{rule}"));
        (f["samples"][0]["row"].as_u64().unwrap(), f["samples"][0]["masked"].as_str().unwrap().to_string())
    };
    assert_eq!(sample("card-number"), (3, "4929 **** ****.5673".to_string()));
    assert_eq!(sample("email"), (4, "j***@***.net".to_string()));
}

#[test]
fn ordinary_text_that_only_looks_odd_passes() {
    let dir = setup();
    let rows = [
        "Café crème brûlée, déjà vu in Łódź",
        "Straße 5, 1010 Wien",
        "2024-01-05",
        "05/01/2024 to 07.02.2024",
        "2024-01-05T12:30:45.123Z",
        "version 1.2.3, build 10.0.19041.1288",
        "550e8400-e29b-41d4-a716-675964982648",
        "a78dde0d-dcb8-4810-b3b3-4099899632dd",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "checkout-api-1c126105e-f7hfn",
        "£1,234.56 or €1.234,56 or 12.50 GBP",
        "100% cotton, 20%OFF, 50%+",
        "6.02214076e23",
        "1.5e3",
        "1732876800123",
        "ts1732876800123",
        "zoë.ångström@beispiel.example",
        "ｊａｎｅ＠example.com",
        "order 12345, qty 3, lot 2024/117",
        "phone ext. 12 / room 4.01",
        "ISBN 978-0-306-40615-7",
    ];
    let mut csv = String::from("id,note\n");
    let mut jsonl = String::new();
    for (i, r) in rows.iter().enumerate() {
        csv.push_str(&format!("{i},{}\n", csv_field(r)));
        jsonl.push_str(&format!("{{\"id\":{i},\"note\":{}}}\n", serde_json::to_string(r).unwrap()));
    }
    jsonl.push_str("{\"id\":99,\"mass\":6.02214076e23,\"small\":1.5e-7,\"price\":1.25e2}\n");
    dir.write("odd.csv", &csv);
    dir.write("odd.jsonl", &jsonl);
    dir.write("export.csv", &clean_export(2_000));
    for file in ["odd.csv", "odd.jsonl", "export.csv"] {
        let out = run(&dir, &["gate", file, "--target", "test", "--env-file", "env.toml"]);
        assert_eq!(out.status.code(), Some(0), "gate {file}: {}", stderr(&out));
        let target = format!("out/{file}");
        let out = run(&dir, &["copy", file, &target, "--env-file", "env.toml"]);
        assert_eq!(out.status.code(), Some(0), "copy {file}: {}", stderr(&out));
        assert_eq!(std::fs::read(dir.join(file)).unwrap(), std::fs::read(dir.join(&target)).unwrap(), "{file}");
    }
}
