//! `synthgate rules list` and `synthgate rules test`: the rule set, and every rule against its
//! own examples.

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

use synthgate::detect::RuleSet;
use synthgate::error::{Error, ErrorKind};

#[derive(clap::Subcommand)]
pub enum Command {
    /// List the rules: id, entity, validator, reserved range, confidence, description.
    List {
        /// Extra rule files or directories (they add to, or override, the default rules).
        #[arg(long = "rules", value_name = "PATH")]
        rules: Vec<PathBuf>,
    },
    /// Check every rule against its positive and negative examples. Rule ids on standard
    /// input (one per line, as `rules list` prints them) narrow the test to those rules.
    Test {
        #[arg(long = "rules", value_name = "PATH")]
        rules: Vec<PathBuf>,
    },
}

pub fn load(extra: &[PathBuf]) -> Result<RuleSet, Error> {
    let paths: Vec<&std::path::Path> = extra.iter().map(PathBuf::as_path).collect();
    RuleSet::with_user(&paths)
}

pub fn run(cmd: Command) -> Result<u8, Error> {
    match cmd {
        Command::List { rules } => {
            let set = load(&rules)?;
            let mut out = String::new();
            for r in &set.rules {
                let validator = r.validator.as_ref().map_or("-", |(n, _)| n.as_str());
                let reserved = if r.reserved.is_some() { "reserved-range" } else { "-" };
                out.push_str(&format!(
                    "{:<28} {:<22} {:<20} {:<15} {:>4.2}  {}\n",
                    r.id, r.entity, validator, reserved, r.confidence, r.description
                ));
            }
            super::print(&out)
        }
        Command::Test { rules } => {
            let set = load(&rules)?;
            let mut wanted: Vec<String> = Vec::new();
            let stdin = std::io::stdin();
            if !stdin.is_terminal() {
                let mut text = String::new();
                stdin
                    .lock()
                    .read_to_string(&mut text)
                    .map_err(|e| Error::new(ErrorKind::Io, format!("cannot read standard input: {e}")))?;
                wanted = text.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_string).collect();
            }
            let mut failed = 0;
            let mut tested = 0;
            let mut out = String::new();
            for r in set.rules.iter().filter(|r| wanted.is_empty() || wanted.iter().any(|w| w == &*r.id)) {
                tested += 1;
                let failures = r.failing_examples();
                if failures.is_empty() {
                    out.push_str(&format!(
                        "ok    {:<28} {} positive, {} negative\n",
                        r.id,
                        r.positive.len(),
                        r.negative.len()
                    ));
                } else {
                    failed += 1;
                    out.push_str(&format!("FAIL  {:<28} ({})\n", r.id, r.origin));
                    for (e, what) in failures {
                        // Examples are the rule author's invented values, safe to show.
                        out.push_str(&format!("        {:?}: {what} (example says: {})\n", e.value, e.reason));
                    }
                }
            }
            if let Some(missing) = wanted.iter().find(|w| set.get(w).is_none()) {
                return Err(Error::usage(format!("no rule `{missing}` in the rule set")));
            }
            out.push_str(&format!("{} passed, {} failed\n", tested - failed, failed));
            super::print(&out)?;
            let _ = std::io::stdout().flush();
            Ok(if failed > 0 { 2 } else { 0 })
        }
    }
}
