//! Errors of the use cases, phrased for the person who caused them.

/// A use case that could not be carried out; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The input was wrong; the message says how to fix it.
    #[error("{0}")]
    Invalid(String),
    /// The regions file could not be used.
    #[error(transparent)]
    Regions(#[from] balai_regions::RegionsError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] balai_store::StoreError),
    /// Nothing there, or not for this caller (the two are indistinguishable on purpose).
    #[error("tidak ditemukan")]
    NotFound,
    /// The caller may see this but not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Form fields are wrong; each has its message.
    #[error("{0}")]
    Form(crate::registry::field_errors::FieldErrors),
    /// Password hashing failed.
    #[error("password hashing failed: {0}")]
    Hash(String),
}
