//! The text report: a table per source and a verdict line (see the module docs of `report`).

use std::io::{self, Write};

use crate::detect::ScanReport;

use super::{column_has_pid, group, pid_cells, plural, printable, source_has_pid};

/// Samples shown per finding.
const MAX_SAMPLES: usize = 3;

const HEADINGS: [&str; 8] = ["COLUMN", "ENTITY", "CONF", "PID", "RESERVED", "ALLOWED", "RULE", "SAMPLES"];
/// Columns of the table that hold numbers (right-aligned).
const NUMERIC: [bool; 8] = [false, false, true, true, true, true, false, false];

pub(super) fn render(reports: &[ScanReport], out: &mut dyn Write) -> io::Result<()> {
    for r in reports {
        source(r, out)?;
        writeln!(out)?;
    }
    writeln!(out, "{}", verdict(reports))
}

fn source(r: &ScanReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", header(r))?;
    for f in &r.name_findings {
        writeln!(out, "  its name holds personal data: {} (rule {})", printable(&f.entity), printable(&f.rule))?;
    }

    let mut rows: Vec<[String; 8]> = vec![HEADINGS.map(str::to_string)];
    let mut clean = 0u64;
    for c in &r.columns {
        if c.findings.is_empty() {
            clean += 1;
            continue;
        }
        for (i, f) in c.findings.iter().enumerate() {
            let pid = pid_cells(f);
            let shown: Vec<String> = f
                .samples
                .iter()
                .take(MAX_SAMPLES)
                .map(|s| format!("row {}: {}", s.row, printable(&s.masked)))
                .collect();
            let mut samples = if shown.is_empty() { "-".to_string() } else { shown.join(", ") };
            if pid > shown.len() as u64 && !shown.is_empty() {
                samples.push_str(", …");
            }
            rows.push([
                if i == 0 { printable(&c.name).into_owned() } else { String::new() },
                printable(&f.entity).into_owned(),
                format!("{:.0}%", (f.confidence * 100.0).clamp(0.0, 100.0)),
                group(pid),
                group(f.reserved_cells),
                group(f.allowed_cells),
                printable(&f.rule).into_owned(),
                samples,
            ]);
        }
    }

    if rows.len() > 1 {
        let mut widths = [0usize; 8];
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        for row in &rows {
            let mut line = String::from(" ");
            for (i, cell) in row.iter().enumerate() {
                let pad = widths[i] - cell.chars().count();
                line.push(' ');
                if NUMERIC[i] {
                    line.extend(std::iter::repeat_n(' ', pad));
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    if i + 1 < row.len() {
                        line.extend(std::iter::repeat_n(' ', pad));
                    }
                }
                if i + 1 < row.len() {
                    line.push(' ');
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
    }

    if clean > 0 || r.columns.is_empty() {
        let what = if clean as usize == r.columns.len() {
            plural(clean, "column")
        } else {
            format!("{} other column{}", group(clean), if clean == 1 { "" } else { "s" })
        };
        writeln!(out, "  {what}: no personal data")?;
    }
    Ok(())
}

/// `customers.csv  csv  1,204,331 rows  48.2 MB  1.92 s  25.1 MB/s`
fn header(r: &ScanReport) -> String {
    let mb = r.bytes as f64 / 1e6;
    let size = if mb < 1.0 {
        format!("{mb:.3} MB")
    } else if mb < 10.0 {
        format!("{mb:.2} MB")
    } else {
        format!("{mb:.1} MB")
    };
    let rate = if r.seconds > 0.0 && r.seconds.is_finite() {
        format!("{:.1} MB/s", mb / r.seconds)
    } else {
        "- MB/s".to_string()
    };
    format!(
        "{}  {}  {}  {size}  {:.2} s  {rate}",
        printable(&r.source),
        printable(&r.format),
        plural(r.rows, "row"),
        r.seconds
    )
}

/// `PID found in 3 columns of 2 files` or `no personal data found`.
fn verdict(reports: &[ScanReport]) -> String {
    let columns: u64 = reports.iter().map(|r| r.columns.iter().filter(|c| column_has_pid(c)).count() as u64).sum();
    let files = reports.iter().filter(|r| source_has_pid(r)).count() as u64;
    let named = reports.iter().filter(|r| !r.name_findings.is_empty()).count() as u64;
    match (columns, named) {
        (0, 0) => "no personal data found".to_string(),
        (0, n) => format!("PID found in the name{} of {}", if n == 1 { "" } else { "s" }, plural(n, "file")),
        (c, 0) => format!("PID found in {} of {}", plural(c, "column"), plural(files, "file")),
        (c, n) => format!(
            "PID found in {} of {}, and in the name{} of {}",
            plural(c, "column"),
            plural(files, "file"),
            if n == 1 { "" } else { "s" },
            plural(n, "file")
        ),
    }
}
