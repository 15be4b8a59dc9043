//! A render worker for this crate's tests and benchmarks
//! (`CARGO_BIN_EXE_balai-web-render-worker`): the same code `balai
//! render-worker` runs, so saving a village template in a test goes through
//! a real worker process.

fn main() -> std::process::ExitCode {
    balai_services::letters::worker_main()
}
