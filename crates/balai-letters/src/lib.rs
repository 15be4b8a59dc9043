//! Village letters: renders a fully resolved letter to PDF with typst
//! (in-process, embedded fonts, the embedded template or a village's own
//! after [`validate_template`] accepted it), with a QR code, and seals and
//! verifies it with the village's Ed25519 key.
//!
//! Pure over values and bytes: no SQL, no HTTP, no files and no clock at run
//! time; dates arrive as text. [`worker`] is the entry point of the process
//! that renders a village's own template under resource limits.

mod document;
mod fonts;
mod keys;
mod letter_template;
mod mask;
mod pdf_seal;
mod qr;
mod render;
mod sample;
mod seal;
mod template;
mod template_check;
mod template_error;
mod verify;
pub mod worker;
mod world;

pub use document::{Field, LetterDocument, Letterhead, Paper, Signer};
pub use keys::{PublicKey, VillageKeys};
pub use letter_template::{MAX_TEMPLATE_BYTES, Template, default_template};
pub use mask::mask_name;
pub use qr::{parse_qr_payload, qr_payload};
pub use render::{RenderError, evict_caches, render_pdf, render_pdf_with, warm_up};
pub use seal::{Seal, Statement, random_token};
pub use template_check::validate_template;
pub use template_error::{TemplateDiagnostic, TemplateError};
pub use verify::{VerifyError, verify_pdf};
