//! `balai verify FILE.pdf`: is this letter what the village signed?

use anyhow::Context;
use balai_letters::PublicKey;
use balai_store::Store;

use crate::cli::VerifyArgs;
use crate::config::Config;

/// Checks the seal in the PDF; exits non-zero when it does not hold.
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
            anyhow::ensure!(
                config.database.is_file(),
                "no --key given and no database at {}",
                config.database.display()
            );
            let store = Store::open(&config.database)
                .await
                .with_context(|| format!("cannot open {}", config.database.display()))?;
            let keys = store.village_public_keys().await?;
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
    let mut last = None;
    for (_, key) in &keys {
        match balai_letters::verify_pdf(&pdf, key) {
            Ok(s) => {
                println!(
                    "VALID: {} issued by village {} on {} for {}{}",
                    s.number,
                    s.village,
                    s.issued_on,
                    s.subject,
                    s.valid_until
                        .map(|d| format!(", valid until {d}"))
                        .unwrap_or_default()
                );
                println!("(revocation is only known online: check the QR link)");
                return Ok(());
            }
            Err(e) => last = Some(e),
        }
    }
    anyhow::bail!(
        "NOT VALID: {}",
        last.map(|e| e.to_string()).unwrap_or_default()
    )
}
