//! `balai setup`: a real installation on an empty database, interactively
//! or from flags. Everything is checked before the database is opened for
//! writing; the password is never printed or logged.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};
use balai_domain::KodeWilayah;
use balai_services::accounts::Username;
use balai_services::passwords::NewPassword;
use balai_services::regions::{RegionsSource, read};
use balai_services::setup::{Installation, SetupPlan, setup};

use crate::cli::SetupArgs;
use crate::config::Config;

fn prompt(question: &str) -> anyhow::Result<String> {
    print!("{question}: ");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim().to_string())
}

/// The installation asked for, by flag or, at a terminal, by question.
fn installation(args: &SetupArgs) -> anyhow::Result<Installation> {
    let parse = |flag: &str, s: &str| -> anyhow::Result<KodeWilayah> {
        KodeWilayah::parse(s.trim()).with_context(|| format!("{flag} {s:?}"))
    };
    match (&args.village, &args.regency) {
        (Some(v), _) => Ok(Installation::Village(parse("--village", v)?)),
        (None, Some(r)) => Ok(Installation::Regency(parse("--regency", r)?)),
        (None, None) if std::io::stdin().is_terminal() => {
            let kind = prompt("Set up one village office (d) or a whole regency (k)? [d/k]")?;
            if kind.eq_ignore_ascii_case("k") {
                let r = prompt("Regency code, e.g. 33.10")?;
                Ok(Installation::Regency(parse("regency", &r)?))
            } else {
                let v = prompt("Village code, e.g. 33.10.01.2001")?;
                Ok(Installation::Village(parse("village", &v)?))
            }
        }
        (None, None) => bail!(
            "give --village CODE (one village office) or --regency CODE (every village of a regency)"
        ),
    }
}

/// The administrator's password: from the file (or stdin), else asked twice at the terminal.
fn password(args: &SetupArgs, username: &Username) -> anyhow::Result<NewPassword> {
    let rule = |r: balai_services::passwords::PasswordRule| {
        anyhow::anyhow!("administrator password refused: {}", r.message())
    };
    match &args.admin_password_file {
        Some(path) => {
            let text = if path.as_os_str() == "-" {
                let mut line = String::new();
                std::io::stdin()
                    .lock()
                    .read_line(&mut line)
                    .context("cannot read the password from standard input")?;
                line
            } else {
                std::fs::read_to_string(path).with_context(|| {
                    format!("--admin-password-file: cannot read {}", path.display())
                })?
            };
            let pw = text.lines().next().unwrap_or("").to_string();
            NewPassword::parse(&pw, &pw, username.as_str()).map_err(rule)
        }
        None if std::io::stdin().is_terminal() => {
            println!(
                "Choose the password of {} (at least {} characters, not a common password).",
                username.as_str(),
                balai_services::passwords::MIN_LENGTH
            );
            loop {
                let pw = rpassword::prompt_password("Password: ")?;
                let again = rpassword::prompt_password("Again: ")?;
                match NewPassword::parse(&pw, &again, username.as_str()) {
                    Ok(p) => return Ok(p),
                    Err(r) => eprintln!("{}; try again", r.message()),
                }
            }
        }
        None => bail!(
            "no terminal to ask for the administrator's password: give --admin-password-file FILE (or - to read it from standard input)"
        ),
    }
}

/// Runs `balai setup`.
pub async fn run(args: SetupArgs, config: Config) -> anyhow::Result<()> {
    let installation = installation(&args)?;
    // The region list is read and checked before any database is touched.
    let regions = read(match &args.regions {
        Some(f) => RegionsSource::File(f),
        None => RegionsSource::Builtin,
    })?;
    let level = match installation {
        Installation::Village(_) => balai_domain::RegionLevel::Village,
        Installation::Regency(_) => balai_domain::RegionLevel::Regency,
    };
    balai_services::setup::check_code(&regions, installation.scope(), level)?;
    let admin_username =
        Username::parse(&args.admin).map_err(|e| anyhow::anyhow!("--admin: {e}"))?;
    let admin_password = password(&args, &admin_username)?;
    let db = super::open(&config).await?;
    let result = setup(
        &db,
        &super::cli_context("setup"),
        &regions,
        SetupPlan {
            installation,
            admin_username: admin_username.clone(),
            admin_name: args.admin_name.clone(),
            admin_password,
        },
    )
    .await;
    db.close().await;
    let report = result?;
    match installation {
        Installation::Village(v) => println!(
            "Set up village office {v} {} in {}.",
            report.scope_name, config.database
        ),
        Installation::Regency(r) => println!(
            "Set up {r} {} with {} villages in {}.",
            report.scope_name,
            report.villages.len(),
            config.database
        ),
    }
    println!(
        "Administrator: {} ({}). Log in at /masuk after `balai serve`; add accounts at /staf/pengguna.",
        admin_username.as_str(),
        report.admin_role.label()
    );
    Ok(())
}
