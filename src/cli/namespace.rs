//! `synthgate namespace list|drop|gc URL`: the per-workstream namespaces of a target database
//! (see `synthgate::sink::db::namespace`); `generate --namespace NAME` creates them.

use synthgate::env::Environments;
use synthgate::error::Error;
use synthgate::sink::db::{namespace, Params};
use synthgate::target::Location;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    /// Environments file: its `[[credentials]]` say who the database is reached as.
    #[arg(long, global = true, value_name = "FILE")]
    env_file: Option<std::path::PathBuf>,
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// List the namespaces of a database: name, who made it, age, size, expiry.
    List { url: String },
    /// Drop a namespace: its schema (PostgreSQL), database (MariaDB) or file (SQLite).
    Drop { url: String, name: String },
    /// Drop every namespace whose --ttl has run out.
    Gc { url: String },
}

fn params(url: &str, env: &Environments) -> Result<Params, Error> {
    match Location::parse(url)? {
        Location::Database(d) => log_in(Params::parse(&d)?, env),
        _ => Err(Error::usage(format!(
            "`{}` is not a database URL (postgres://…/db, mysql://…/db, sqlite://file.db)",
            synthgate::env::redact(url)
        ))),
    }
}

/// `params` with the user and password the environments file gives its database, if any.
pub fn log_in(mut params: Params, env: &Environments) -> Result<Params, Error> {
    if let Some(login) = env.login(&params.location(), params.user.as_deref())? {
        params.log_in_as(login.user, login.password);
    }
    Ok(params)
}

fn age(secs: i64) -> String {
    match secs {
        s if s < 3_600 => format!("{}m", s / 60),
        s if s < 172_800 => format!("{}h", s / 3_600),
        s => format!("{}d", s / 86_400),
    }
}

pub fn run(args: Args) -> Result<u8, Error> {
    let env = match &args.env_file {
        Some(p) => Environments::load(p)?,
        None => Environments::default(),
    };
    let cmd = args.command;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    match cmd {
        Command::List { url } => {
            let p = params(&url, &env)?;
            let mut out = format!("{:<24} {:<16} {:>6} {:>12}  expires\n", "namespace", "created by", "age", "size");
            for n in namespace::list(&p)? {
                let expires = match n.expires {
                    Some(x) if x <= now => "expired".to_string(),
                    Some(x) => format!("in {}", age(x - now)),
                    None => "-".to_string(),
                };
                out.push_str(&format!(
                    "{:<24} {:<16} {:>6} {:>12}  {expires}\n",
                    n.name,
                    n.created_by,
                    age(now - n.created),
                    super::generate::human_bytes(n.size)
                ));
            }
            super::print(&out)?;
        }
        Command::Drop { url, name } => {
            let p = params(&url, &env)?;
            namespace::drop(&p, &name)?;
            eprintln!("dropped: namespace {name} of {}", p.shown());
        }
        Command::Gc { url } => {
            let p = params(&url, &env)?;
            let gone = namespace::gc(&p)?;
            eprintln!(
                "gc: {} expired namespace(s) dropped from {}{}",
                gone.len(),
                p.shown(),
                if gone.is_empty() { String::new() } else { format!(": {}", gone.join(", ")) }
            );
        }
    }
    Ok(0)
}
