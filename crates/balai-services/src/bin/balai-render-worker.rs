//! A render worker on its own: what `balai render-worker` runs, as a
//! separate binary so this crate's tests and benchmarks start a real worker
//! process (`CARGO_BIN_EXE_balai-render-worker`).

fn main() -> std::process::ExitCode {
    balai_services::letters::worker_main()
}
