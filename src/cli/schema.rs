//! `synthgate schema check`: validate a schema and print the plan.

use std::fmt::Write as _;
use std::path::PathBuf;

use synthgate::error::Error;
use synthgate::generate::engine::Runtime;
use synthgate::generate::plan::Size;
use synthgate::schema::Options;

use super::generate::{group, load};
use super::import;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Validate a schema and print the plan: tables, row counts, generation order, columns.
    Check {
        /// Schema file (TOML). Without it, the built-in example named by --example.
        schema: Option<PathBuf>,
        #[arg(long, default_value = "ecommerce", value_name = "NAME")]
        example: String,
        #[arg(long, default_value_t = 1.0)]
        scale: f64,
        #[arg(long)]
        seed: Option<u64>,
    },
    /// Write a schema from a database's own: its catalogue (postgres://…, mysql://…,
    /// sqlite://…) or a DDL file (--ddl). Keys, checks, enums and types become generator
    /// options; what cannot be honoured is listed. Over an existing --out file, the user's
    /// edits are kept where the database did not change.
    Import(import::Args),
}

pub fn run(cmd: Command) -> Result<u8, Error> {
    let (schema, example, scale, seed) = match cmd {
        Command::Check { schema, example, scale, seed } => (schema, example, scale, seed),
        Command::Import(args) => return import::run(args),
    };
    let plan = load(schema.as_deref(), &example, &Options { seed, scale, now: None })?;
    let rt = Runtime::new(&plan)?;
    // Writing into a String cannot fail.
    let mut out = String::new();
    let _ = writeln!(
        out,
        "schema {} (sha256 {}), seed {}, scale {}",
        plan.name,
        &plan.schema_hash[..12],
        plan.seed,
        plan.scale
    );
    let _ = writeln!(out, "tables in generation order:");
    for &t in &plan.order {
        let table = &plan.tables[t];
        let how = match &table.size {
            Size::Fixed(_) => "fixed".to_string(),
            Size::Per { parent, count, .. } => {
                format!("per {} row, {:?}, mean {:.2}", plan.tables[*parent].name, count, count.mean())
            }
        };
        let _ = writeln!(out, "  {} — {} rows ({how})", table.name, group(rt.rows(t)));
        for c in &table.columns {
            let mut notes = Vec::new();
            if c.unique.is_some() {
                notes.push("unique".to_string());
            }
            if c.null > 0.0 {
                notes.push(format!("null {}", c.null));
            }
            let notes = if notes.is_empty() { String::new() } else { format!(" [{}]", notes.join(", ")) };
            let _ = writeln!(out, "      {:<20} {:<10} {}{notes}", c.name, c.dtype.name(), c.describe);
        }
        for s in &table.scenarios {
            let _ = writeln!(out, "      scenario `{}` at row {}", s.name, s.row);
        }
    }
    super::print(&out)
}
