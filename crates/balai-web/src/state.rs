//! What every handler can reach.

use std::sync::Arc;

use balai_services::clock::SharedClock;
use balai_store::Store;

use crate::templates::Templates;

/// Shared application state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The clock.
    pub clock: SharedClock,
    pub(crate) templates: Arc<Templates>,
}

impl AppState {
    /// State over `store`, with the built-in templates.
    pub fn new(store: Store, clock: SharedClock) -> Self {
        Self {
            store,
            clock,
            templates: Arc::new(Templates::builtin()),
        }
    }
}
