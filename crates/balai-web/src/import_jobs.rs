//! Workbook imports run in the background; their status page polls this table.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use balai_domain::KodeWilayah;
use balai_workbook::RowIssue;
use uuid::Uuid;

/// Where an import is.
#[derive(Debug, Clone)]
pub enum JobState {
    /// Still working: the stage's name and a rough percentage.
    Running(&'static str, u8),
    /// Done: new and updated counts, and the warnings.
    Done {
        /// Families created.
        families_new: usize,
        /// Residents created.
        residents_new: usize,
        /// Residents updated.
        residents_updated: usize,
        /// Non-blocking problems.
        warnings: Vec<RowIssue>,
    },
    /// Nothing was written: why, and every row problem.
    Failed(String, Vec<RowIssue>),
}

/// One import.
#[derive(Debug, Clone)]
pub struct Job {
    /// The village it writes to (a job is only shown to staff of that village).
    pub village: KodeWilayah,
    /// Who started it.
    pub actor: String,
    /// The uploaded file's name.
    pub file: String,
    /// Its state.
    pub state: JobState,
}

/// The jobs of this process (a restart forgets them; the data they wrote stays).
#[derive(Clone, Default)]
pub struct ImportJobs(Arc<Mutex<HashMap<Uuid, Job>>>);

impl ImportJobs {
    /// Starts tracking a job.
    pub fn insert(&self, id: Uuid, job: Job) {
        let mut jobs = self.0.lock().expect("import jobs lock");
        // Keep the table small: forget finished jobs beyond the last hundred.
        if jobs.len() > 100 {
            let finished: Vec<Uuid> = jobs
                .iter()
                .filter(|(_, j)| !matches!(j.state, JobState::Running(..)))
                .map(|(k, _)| *k)
                .take(50)
                .collect();
            for k in finished {
                jobs.remove(&k);
            }
        }
        jobs.insert(id, job);
    }

    /// Updates a job's state.
    pub fn set(&self, id: Uuid, state: JobState) {
        if let Some(j) = self.0.lock().expect("import jobs lock").get_mut(&id) {
            j.state = state;
        }
    }

    /// A copy of a job.
    pub fn get(&self, id: Uuid) -> Option<Job> {
        self.0.lock().expect("import jobs lock").get(&id).cloned()
    }
}
