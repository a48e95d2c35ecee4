//! `synthgate env show`: how a target resolves, and why.

use std::path::PathBuf;

use synthgate::env::Environments;
use synthgate::error::Error;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Show which environment a target (a name, path or URL) resolves to, and why.
    Show {
        target: String,
        #[arg(long, value_name = "FILE")]
        env_file: Option<PathBuf>,
    },
}

pub fn run(cmd: Command) -> Result<u8, Error> {
    let Command::Show { target, env_file } = cmd;
    let env = match &env_file {
        Some(p) => Environments::load(p)?,
        None => Environments::default(),
    };
    super::print(&env.show(&target))?;
    Ok(if env.resolve(&target).is_ambiguous() { 2 } else { 0 })
}
