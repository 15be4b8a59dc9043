//! `balai verify FILE.pdf`: is this letter what the village signed?
//!
//! Exit status: 0 valid, 1 not valid (the reason is printed), 2 the check
//! could not be made (unreadable file, no keys, database error).

use std::fmt;

use anyhow::Context;
use balai_letters::{PublicKey, VerifiedLetter, VerifyError};

use crate::cli::VerifyArgs;
use crate::config::Config;

/// The verdict "this letter does not hold", as opposed to an error that
/// kept the check from being made.
#[derive(Debug)]
pub struct NotValid(pub VerifyError);

impl fmt::Display for NotValid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NOT VALID: {}", self.0)
    }
}

impl std::error::Error for NotValid {}

/// Checks the seal in the PDF; fails with [`NotValid`] when it does not hold.
pub async fn run(args: VerifyArgs, config: Config) -> anyhow::Result<()> {
    let pdf = std::fs::read(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    let keys: Vec<(String, PublicKey)> = match &args.key {
        Some(k) => vec![(
            "--key".into(),
            PublicKey::from_base64(k)
                .map_err(|e| anyhow::anyhow!("--key is not a village public key: {e}"))?,
        )],
        None => {
            // Our own records of every village's public key: the seal must hold under one of them.
            // Looking must not create an empty SQLite file.
            if let Some(file) = config.database.sqlite_path() {
                anyhow::ensure!(
                    file.is_file(),
                    "no --key given and no database at {}",
                    file.display()
                );
            }
            let store = super::open(&config).await?;
            let keys = balai_services::letters::village_public_keys(&store).await?;
            store.close().await;
            keys.into_iter()
                .filter_map(|(v, k)| Some((v.dotted(), PublicKey::from_base64(&k).ok()?)))
                .collect()
        }
    };
    anyhow::ensure!(
        !keys.is_empty(),
        "no village signing keys are known here; pass --key"
    );
    let mut refusals = Vec::new();
    for (_, key) in &keys {
        match balai_letters::verify_letter(&pdf, key) {
            Ok(letter) => {
                let s = letter.summary();
                println!(
                    "VALID: {} issued by village {} on {} for {}{}",
                    s.number,
                    s.village,
                    s.issued_on,
                    s.subject,
                    s.valid_until
                        .as_ref()
                        .map(|d| format!(", valid until {d}"))
                        .unwrap_or_default()
                );
                match letter {
                    VerifiedLetter::V2(_) => println!(
                        "(every printed field is sealed, and the PDF signature covers the whole file)"
                    ),
                    VerifiedLetter::V1(_) => println!(
                        "(an older v1 seal: it covers only the number, kind, dates and masked name)"
                    ),
                }
                println!("(revocation is only known online: check the QR link)");
                return Ok(());
            }
            Err(e) => refusals.push(e),
        }
    }
    // Another village's key only says "bad signature": the reason given is
    // the one a key that could have signed it found, if any.
    let reason = refusals
        .iter()
        .find(|e| **e != VerifyError::BadSignature)
        .or(refusals.first())
        .cloned()
        .unwrap_or(VerifyError::NoSeal);
    Err(NotValid(reason).into())
}
