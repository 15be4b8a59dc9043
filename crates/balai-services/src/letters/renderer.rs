//! Where letters are typeset.
//!
//! The built-in template is our code and takes milliseconds: it renders in
//! this process on a blocking thread. A village's own template is code the
//! village wrote, and typst cannot be stopped mid-compile, so it renders in
//! a worker process ([`balai_letters::worker`]) that limits its own CPU time
//! and memory and is killed at a wall-clock deadline. Checking a template
//! before it is saved goes through the same worker.
//!
//! Workers are rationed so one village cannot take them all: a village runs
//! at most one at a time (its other jobs wait for it, holding nothing), and
//! all villages together at most `slots` (the number of cores, at least 2).
//! A village waits for its own slot *before* it queues for a shared one, so
//! a village with a slow template holds at most one shared slot and the
//! others keep the rest.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use balai_domain::KodeWilayah;
use balai_letters::worker::{Job, Limits, Reply, Request};
use balai_letters::{LetterDocument, RenderError, Seal, TemplateError};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How to start a render worker, and its limits.
#[derive(Debug, Clone)]
pub struct RenderWorker {
    /// The program: the `balai` binary itself in production.
    pub program: PathBuf,
    /// Its arguments, e.g. `["render-worker"]`.
    pub args: Vec<String>,
    /// CPU time and memory the worker allows itself.
    pub limits: Limits,
    /// How long the server waits before it kills the worker.
    pub wall: Duration,
}

impl RenderWorker {
    /// How long a worker may run, waiting included: twice the CPU limit,
    /// since a busy machine gives it less than a whole core.
    pub const DEFAULT_WALL: Duration = Duration::from_secs(10);

    /// `program args…` with the default limits.
    pub fn new(program: impl Into<PathBuf>, args: impl IntoIterator<Item = String>) -> Self {
        Self {
            program: program.into(),
            args: args.into_iter().collect(),
            limits: Limits::DEFAULT,
            wall: Self::DEFAULT_WALL,
        }
    }

    /// The same worker with other limits.
    pub fn with_limits(self, limits: Limits, wall: Duration) -> Self {
        Self {
            limits,
            wall,
            ..self
        }
    }
}

/// Why a letter or a sample letter could not be typeset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TypesetError {
    /// typst could not lay the letter out.
    #[error("{0}")]
    Render(RenderError),
    /// The worker ran past its wall-clock deadline and was killed.
    #[error("templat desa diproses lebih dari {0} detik dan dihentikan")]
    TimedOut(u64),
    /// The worker used up its CPU time and the kernel stopped it.
    #[error("templat desa memakai waktu CPU lebih dari {0} detik dan dihentikan")]
    CpuLimit(u64),
    /// The worker ran out of its memory and stopped.
    #[error("templat desa memakai memori lebih dari {0} MB dan dihentikan")]
    MemoryLimit(u64),
    /// The worker stopped without an answer.
    #[error("pembuat surat berhenti tanpa hasil: {0}")]
    Crashed(String),
    /// The worker could not be started (an installation problem).
    #[error("pembuat surat tidak dapat dijalankan: {0}")]
    Unavailable(String),
}

/// Typesets letters: the built-in template in-process, a village's own in a
/// rationed worker process. Cheap to clone (shared slots).
#[derive(Clone)]
pub struct Renderer {
    inner: Arc<Inner>,
}

struct Inner {
    worker: RenderWorker,
    /// Worker processes running at once, all villages together.
    shared: Arc<Semaphore>,
    /// One worker at a time per village.
    villages: Mutex<HashMap<KodeWilayah, Arc<Semaphore>>>,
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("worker", &self.inner.worker)
            .field("slots", &self.inner.shared.available_permits())
            .finish()
    }
}

/// The most a worker's reply may be: a PDF of a few pages, base64.
const MAX_REPLY_BYTES: u64 = 32 * 1024 * 1024;
/// What is kept of a worker's error output.
const MAX_STDERR_BYTES: usize = 4096;
/// The signal the kernel sends at the CPU soft limit.
const SIGXCPU: i32 = 24;
const SIGKILL: i32 = 9;
const SIGABRT: i32 = 6;

impl Renderer {
    /// Village templates render with `worker`, at most `max(cores, 2)` at once.
    pub fn new(worker: RenderWorker) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self::with_slots(worker, cores.max(2))
    }

    /// Village templates render with `worker`, at most `slots` at once
    /// (at least 1).
    pub fn with_slots(worker: RenderWorker, slots: usize) -> Self {
        Self {
            inner: Arc::new(Inner {
                worker,
                shared: Arc::new(Semaphore::new(slots.max(1))),
                villages: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// The worker this renderer starts.
    pub fn worker(&self) -> &RenderWorker {
        &self.inner.worker
    }

    /// `document` with `seal` as PDF: with `template` (a village's own
    /// template text) in a worker process, or with the built-in template
    /// in-process when `template` is `None`.
    pub async fn letter(
        &self,
        village: KodeWilayah,
        template: Option<&str>,
        document: LetterDocument,
        seal: Seal,
    ) -> Result<Vec<u8>, TypesetError> {
        let Some(template) = template else {
            return tokio::task::spawn_blocking(move || {
                balai_letters::render_pdf(&document, &seal).map_err(TypesetError::Render)
            })
            .await
            .map_err(|e| TypesetError::Crashed(e.to_string()))?;
        };
        let job = Job::Render {
            template: template.to_string(),
            document,
            seal,
        };
        match self.run(village, job).await? {
            reply @ Reply::Rendered(_) => reply
                .pdf()
                .ok_or_else(|| TypesetError::Crashed("PDF tidak terbaca".into())),
            Reply::RenderFailed(e) => Err(TypesetError::Render(e)),
            other => Err(unexpected(&other)),
        }
    }

    /// Tries `template` on `sample` in a worker process (see
    /// [`balai_letters::validate_template`]): `Ok(Err(_))` when the template
    /// was refused, `Err(_)` when the worker was stopped at its limits.
    pub async fn check_template(
        &self,
        village: KodeWilayah,
        template: &str,
        sample: &LetterDocument,
    ) -> Result<Result<(), TemplateError>, TypesetError> {
        let job = Job::Validate {
            template: template.to_string(),
            sample: sample.clone(),
        };
        match self.run(village, job).await? {
            Reply::Accepted => Ok(Ok(())),
            Reply::Refused(e) => Ok(Err(e)),
            other => Err(unexpected(&other)),
        }
    }

    /// Runs `job` in a worker once `village` and the machine have a slot.
    async fn run(&self, village: KodeWilayah, job: Job) -> Result<Reply, TypesetError> {
        let _slots = self.slots(village).await;
        let request = serde_json::to_vec(&Request {
            limits: self.inner.worker.limits,
            job,
        })
        .map_err(|e| TypesetError::Crashed(e.to_string()))?;
        run_worker(&self.inner.worker, &request).await
    }

    /// The village's own slot first, then a shared one: a village's queued
    /// jobs wait on its own semaphore and hold no shared slot.
    async fn slots(&self, village: KodeWilayah) -> (OwnedSemaphorePermit, OwnedSemaphorePermit) {
        let own = {
            let mut villages = self
                .inner
                .villages
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            // Forget idle villages once there are many (a regency has ~400).
            if villages.len() > 1024 {
                villages.retain(|_, s| Arc::strong_count(s) > 1);
            }
            villages
                .entry(village)
                .or_insert_with(|| Arc::new(Semaphore::new(1)))
                .clone()
        };
        // Neither semaphore is ever closed, so acquiring cannot fail.
        let own = own
            .acquire_owned()
            .await
            .unwrap_or_else(|_| unreachable!("never closed"));
        let shared = self
            .inner
            .shared
            .clone()
            .acquire_owned()
            .await
            .unwrap_or_else(|_| unreachable!("never closed"));
        (own, shared)
    }
}

fn unexpected(reply: &Reply) -> TypesetError {
    TypesetError::Crashed(match reply {
        Reply::BadRequest(m) => format!("permintaan tidak terbaca: {m}"),
        _ => "jawaban tidak sesuai".into(),
    })
}

/// Starts the worker, hands it `request`, and reads its reply, killing it
/// at the wall-clock deadline. The child is killed when this future is
/// dropped too (`kill_on_drop`), so a cancelled request leaves no process.
async fn run_worker(worker: &RenderWorker, request: &[u8]) -> Result<Reply, TypesetError> {
    let mut child = tokio::process::Command::new(&worker.program)
        .args(&worker.args)
        // Nothing from the server's environment reaches village code; a
        // few malloc arenas keep the address space small under RLIMIT_AS.
        .env_clear()
        .env("MALLOC_ARENA_MAX", "2")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| TypesetError::Unavailable(format!("{}: {e}", worker.program.display())))?;
    let (Some(mut stdin), Some(stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        return Err(TypesetError::Unavailable("no pipes to the worker".into()));
    };
    let exchange = async {
        let write = async {
            // A worker that dies early closes the pipe: its exit status says why.
            let _ = stdin.write_all(request).await;
            drop(stdin);
        };
        let (_, out, err) = tokio::join!(write, read_capped(stdout), read_capped(stderr));
        let status = child.wait().await;
        (out, err, status)
    };
    let outcome = tokio::time::timeout(worker.wall, exchange).await;
    let Ok((out, err, status)) = outcome else {
        // SIGKILL and reap it, so no process or zombie is left behind.
        let _ = child.kill().await;
        return Err(TypesetError::TimedOut(worker.wall.as_secs()));
    };
    let status = status.map_err(|e| TypesetError::Crashed(e.to_string()))?;
    let stderr = String::from_utf8_lossy(&err[..err.len().min(MAX_STDERR_BYTES)]).to_string();
    if status.success() {
        return serde_json::from_slice(&out)
            .map_err(|e| TypesetError::Crashed(format!("jawaban tidak terbaca: {e}")));
    }
    let limits = worker.limits;
    Err(match signal(status) {
        Some(SIGXCPU | SIGKILL) => TypesetError::CpuLimit(limits.cpu_seconds),
        // Rust aborts when an allocation fails under RLIMIT_AS.
        Some(SIGABRT) if stderr.contains("memory allocation") => {
            TypesetError::MemoryLimit(limits.memory_bytes >> 20)
        }
        _ if stderr.contains("memory allocation") => {
            TypesetError::MemoryLimit(limits.memory_bytes >> 20)
        }
        _ => TypesetError::Crashed(format!("{status}: {}", stderr.trim())),
    })
}

/// The signal that ended the worker, if one did.
#[cfg(unix)]
fn signal(status: std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt as _;
    status.signal()
}

#[cfg(not(unix))]
fn signal(_: std::process::ExitStatus) -> Option<i32> {
    None
}

/// Everything `from` writes, up to [`MAX_REPLY_BYTES`]; the rest is drained
/// so the worker never blocks on a full pipe.
async fn read_capped(mut from: impl AsyncRead + Unpin) -> Vec<u8> {
    let mut kept = Vec::new();
    let _ = (&mut from)
        .take(MAX_REPLY_BYTES)
        .read_to_end(&mut kept)
        .await;
    let _ = tokio::io::copy(&mut from, &mut tokio::io::sink()).await;
    kept
}

/// The worker's `main`, for the binaries that are one (`balai
/// render-worker`, and the test workers of the crates above).
pub fn worker_main() -> std::process::ExitCode {
    balai_letters::worker::main()
}
