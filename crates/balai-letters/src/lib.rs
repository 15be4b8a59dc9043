//! Village letters: renders a fully resolved letter to PDF with typst
//! (in-process, embedded template and fonts), with a QR code, and seals and
//! verifies it with the village's Ed25519 key.
//!
//! Pure over values and bytes: no SQL, no HTTP, no files and no clock at run
//! time; dates arrive as text.

mod document;
mod fonts;
mod keys;
mod mask;
mod pdf_seal;
mod qr;
mod render;
mod seal;
mod template;
mod verify;
mod world;

pub use document::{Field, LetterDocument, Letterhead, Paper, Signer};
pub use keys::{PublicKey, VillageKeys};
pub use mask::mask_name;
pub use qr::{parse_qr_payload, qr_payload};
pub use render::{RenderError, evict_caches, render_pdf, warm_up};
pub use seal::{Seal, Statement, random_token};
pub use verify::{VerifyError, verify_pdf};
