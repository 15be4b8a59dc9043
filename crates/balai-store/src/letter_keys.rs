//! The PDF-signing keys of letters: each regency's root certificate
//! authority and each village's document-signing key and certificate.
//! Created on first need; never replaced (a letter names the certificates
//! that signed it, so they must outlive it).

use std::fmt;

use balai_domain::KodeWilayah;
use serde_json::json;
use uuid::Uuid;

use crate::change_log::{Action, Change, Entity};
use crate::db::Store;
use crate::error::StoreError;
use crate::row_codec::kode;
use crate::write_context::WriteContext;

/// A stored (key, certificate) pair of columns, either possibly not made yet.
type KeyAndCertificate = (Option<Vec<u8>>, Option<Vec<u8>>);

/// A stored key and certificate. Its `Debug` never shows the key.
#[derive(Clone, PartialEq, Eq)]
pub struct StoredCertificate {
    /// ECDSA P-256 secret (32 bytes).
    pub signing_key: Vec<u8>,
    /// The certificate, DER.
    pub certificate: Vec<u8>,
}

impl fmt::Debug for StoredCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "StoredCertificate(certificate {} bytes, key hidden)",
            self.certificate.len()
        )
    }
}

/// The whole public certificate in hex, for the change log (the key never
/// goes there).
fn certificate_text(der: &[u8]) -> String {
    der.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// The root certificate authority of `regency`, if made.
    pub async fn regency_root(
        &self,
        regency: KodeWilayah,
    ) -> Result<Option<StoredCertificate>, StoreError> {
        let row: Option<(Vec<u8>, Vec<u8>)> =
            sqlx::query_as("SELECT signing_key, certificate FROM regency_ca WHERE regency = $1")
                .bind(kode(regency))
                .fetch_optional(self.pool())
                .await?;
        Ok(row.map(|(signing_key, certificate)| StoredCertificate {
            signing_key,
            certificate,
        }))
    }

    /// Stores `root` as `regency`'s root unless it already has one, and
    /// returns the one kept: two first letters at once agree on one root.
    pub async fn create_regency_root(
        &self,
        ctx: &WriteContext,
        regency: KodeWilayah,
        root: &StoredCertificate,
    ) -> Result<StoredCertificate, StoreError> {
        let mut w = self.write_unscoped(ctx, Some(regency)).await?;
        let done = sqlx::query(
            "INSERT INTO regency_ca (regency, signing_key, certificate) VALUES ($1, $2, $3)
             ON CONFLICT (regency) DO NOTHING",
        )
        .bind(kode(regency))
        .bind(&root.signing_key)
        .bind(&root.certificate)
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 1 {
            let after = json!({ "regency": regency.plain(), "root_certificate_der_hex": certificate_text(&root.certificate) });
            w.log(Change {
                village: None,
                entity: Entity::Region,
                entity_id: Uuid::from_u64_pair(2, regency.as_u64()),
                action: Action::Create,
                before: None,
                after: Some(&after),
            })
            .await?;
        }
        let (signing_key, certificate): (Vec<u8>, Vec<u8>) =
            sqlx::query_as("SELECT signing_key, certificate FROM regency_ca WHERE regency = $1")
                .bind(kode(regency))
                .fetch_one(w.conn())
                .await?;
        w.commit().await?;
        Ok(StoredCertificate {
            signing_key,
            certificate,
        })
    }

    /// The village's document-signing key and certificate, if made.
    pub async fn village_document_signer(
        &self,
        village: KodeWilayah,
    ) -> Result<Option<StoredCertificate>, StoreError> {
        let row: Option<KeyAndCertificate> = sqlx::query_as(
            "SELECT doc_signing_key, doc_certificate FROM village_profile WHERE village = $1",
        )
        .bind(kode(village))
        .fetch_optional(self.pool())
        .await?;
        Ok(match row {
            Some((Some(signing_key), Some(certificate))) => Some(StoredCertificate {
                signing_key,
                certificate,
            }),
            _ => None,
        })
    }

    /// Stores `signer` as the village's document-signing key and
    /// certificate unless it already has them (the village's letter
    /// settings must exist), and returns the ones kept.
    pub async fn set_village_document_signer(
        &self,
        ctx: &WriteContext,
        village: KodeWilayah,
        signer: &StoredCertificate,
    ) -> Result<StoredCertificate, StoreError> {
        let mut w = self.write(ctx, village).await?;
        let done = sqlx::query(
            "UPDATE village_profile SET doc_signing_key = $2, doc_certificate = $3
             WHERE village = $1 AND doc_signing_key IS NULL",
        )
        .bind(kode(village))
        .bind(&signer.signing_key)
        .bind(&signer.certificate)
        .execute(w.conn())
        .await?;
        if done.rows_affected() == 1 {
            let after =
                json!({ "document_certificate_der_hex": certificate_text(&signer.certificate) });
            w.log(Change {
                village: Some(village),
                entity: Entity::Village,
                entity_id: Uuid::from_u64_pair(1, village.as_u64()),
                action: Action::Update,
                before: None,
                after: Some(&after),
            })
            .await?;
        }
        let row: Option<KeyAndCertificate> = sqlx::query_as(
            "SELECT doc_signing_key, doc_certificate FROM village_profile WHERE village = $1",
        )
        .bind(kode(village))
        .fetch_optional(w.conn())
        .await?;
        w.commit().await?;
        match row {
            Some((Some(signing_key), Some(certificate))) => Ok(StoredCertificate {
                signing_key,
                certificate,
            }),
            _ => Err(StoreError::NotFound(format!(
                "village {} has no letter settings",
                village.plain()
            ))),
        }
    }
}
