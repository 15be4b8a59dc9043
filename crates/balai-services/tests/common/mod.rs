//! What the services' tests share.

#![allow(dead_code)]

use std::sync::OnceLock;

use balai_services::letters::{RenderWorker, Renderer};

/// Village templates render in a real worker process (this crate's
/// `balai-render-worker` binary, the code `balai render-worker` runs), with
/// the production limits.
pub fn renderer() -> &'static Renderer {
    static RENDERER: OnceLock<Renderer> = OnceLock::new();
    RENDERER.get_or_init(|| Renderer::new(worker()))
}

/// The worker binary with the production limits.
pub fn worker() -> RenderWorker {
    RenderWorker::new(env!("CARGO_BIN_EXE_balai-render-worker"), [])
}

/// A renderer of its own whose workers carry `tag` on their command line
/// (the worker binary ignores its arguments), so a test finds its own
/// workers in `/proc` while other tests of this process run theirs.
pub fn tagged_renderer(tag: &str) -> Renderer {
    Renderer::new(RenderWorker::new(
        env!("CARGO_BIN_EXE_balai-render-worker"),
        [format!("test-tag={tag}")],
    ))
}

/// Process ids of this process's children that are render workers started
/// by [`tagged_renderer`]`(tag)`, read from `/proc` (the parent pid in
/// `stat`, the arguments in `cmdline`).
pub fn worker_children(tag: &str) -> Vec<u32> {
    let tag = format!("test-tag={tag}");
    let me = std::process::id();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            // "pid (comm) state ppid …": comm may hold spaces, so split after ')'.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            ppid == Some(me) && String::from_utf8_lossy(&cmdline).contains(&tag)
        })
        .collect()
}

/// Watches for render workers of this process on a thread until the
/// returned guard is dropped; reports how many were seen at once at most.
pub struct WorkerWatch {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<usize>>,
}

impl WorkerWatch {
    pub fn start(tag: &str) -> Self {
        let tag = tag.to_string();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut most = 0;
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                most = most.max(worker_children(&tag).len());
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            most
        });
        Self {
            stop,
            thread: Some(thread),
        }
    }

    /// The most workers seen running at once.
    pub fn finish(mut self) -> usize {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.take().map_or(0, |t| t.join().unwrap_or(0))
    }
}
