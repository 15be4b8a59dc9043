//! The village's PDF-signing identity: a document-signing key and
//! certificate issued by its regency's own root, both made on first need and
//! kept in the database. Used only in the issuing process, right after a
//! letter is typeset; no template ever sees them.

use crate::db::Db;
use balai_domain::KodeWilayah;
use balai_letters::{DocumentSigner, PkiError, RegencyCa};
use balai_store::{StoredCertificate, WriteContext};

use crate::clock::Clock;
use crate::error::ServiceError;

fn pki(e: PkiError) -> ServiceError {
    ServiceError::Invalid(format!(
        "kunci tanda tangan PDF desa tidak dapat dipakai: {e}"
    ))
}

/// The village's document signer, creating the regency root and the
/// village certificate the first time a letter needs them. The village's
/// letter settings must exist (see `ensure_profile`).
pub async fn document_signer(
    db: &Db,
    clock: &dyn Clock,
    ctx: &WriteContext,
    village: KodeWilayah,
) -> Result<DocumentSigner, ServiceError> {
    let store = db.store();
    let v = store
        .village(village)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let now = u64::try_from(clock.now().unix_timestamp()).unwrap_or(0);
    let regency = v.regency();
    let root = match store.regency_root(regency).await? {
        Some(root) => root,
        None => {
            let ca = RegencyCa::create(&regency.plain(), &v.regency_name, now).map_err(pki)?;
            store
                .create_regency_root(
                    ctx,
                    regency,
                    &StoredCertificate {
                        signing_key: ca.secret_bytes(),
                        certificate: ca.certificate_der().to_vec(),
                    },
                )
                .await?
        }
    };
    let signer = match store.village_document_signer(village).await? {
        Some(signer) => signer,
        None => {
            let ca =
                RegencyCa::from_parts(&root.signing_key, root.certificate.clone()).map_err(pki)?;
            let issued = ca
                .issue_village(&village.plain(), &v.name, now)
                .map_err(pki)?;
            store
                .set_village_document_signer(
                    ctx,
                    village,
                    &StoredCertificate {
                        signing_key: issued.secret_bytes(),
                        certificate: issued.certificate_der().to_vec(),
                    },
                )
                .await?
        }
    };
    DocumentSigner::from_parts(&signer.signing_key, signer.certificate, root.certificate)
        .map_err(pki)
}
