//! Village letters: renders a fully resolved letter to PDF with typst
//! (in-process, embedded fonts, the embedded template or a village's own
//! after [`validate_template`] accepted it), with a QR code; seals everything
//! it prints with the village's Ed25519 key ([`LetterStatement`]), signs the
//! PDF (PAdES B-B, ECDSA P-256) with the village's certificate from its
//! regency's root ([`RegencyCa`]), and verifies all of it offline.
//!
//! Pure over values and bytes: no SQL, no HTTP, no files and no clock at run
//! time; dates arrive as text. [`worker`] is the entry point of the process
//! that renders a village's own template under resource limits.

mod document;
mod fonts;
mod keys;
mod letter_statement;
mod letter_template;
mod mask;
mod pdf_seal;
mod pdf_sign;
mod pki;
mod qr;
mod register;
mod render;
mod sample;
mod seal;
mod sealing;
mod template;
mod template_check;
mod template_error;
mod verify;
pub mod worker;
mod world;

pub use document::{Field, LetterDocument, Letterhead, Paper, Signer};
pub use keys::{PublicKey, VillageKeys};
pub use letter_statement::{
    LETTER_STATEMENT_VERSION, LetterSeal, LetterStatement, SealedLetter, SealedLetterhead,
};
pub use letter_template::{MAX_TEMPLATE_BYTES, Template, default_template};
pub use mask::mask_name;
pub use pdf_sign::SignError;
pub use pki::{DocumentSigner, PkiError, RegencyCa};
pub use qr::{parse_qr_payload, qr_payload};
pub use register::{Column, ColumnGroup, RegisterDocument, Section, render_register};
pub use render::{RenderError, evict_caches, render_pdf, render_pdf_with, warm_up};
pub use seal::{Seal, SealVersion, Statement, random_token};
pub use sealing::{SealError, SignedLetter, attach_signature, sign_letter};
pub use template_check::validate_template;
pub use template_error::{TemplateDiagnostic, TemplateError};
pub use verify::{VerifiedLetter, VerifyError, verify_letter, verify_pdf};
