//! `balai`: one binary for the village office, the regency server and the tools around them.

mod backups;
mod cli;
mod commands;
mod config;
mod logging;
mod server;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    if matches!(cli.command, cli::Command::RenderWorker) {
        // Before any runtime, logging or configuration: the worker limits
        // itself first and does nothing but the one job.
        return balai_services::letters::worker_main();
    }
    // `balai verify` tells "not valid" (1) from "could not check" (2).
    let operational_failure = if matches!(cli.command, cli::Command::Verify(_)) {
        ExitCode::from(2)
    } else {
        ExitCode::FAILURE
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("balai: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<commands::NotValid>().is_some() => {
            println!("{e}");
            ExitCode::from(1)
        }
        Err(e) => {
            // The whole chain, lowercase, so the cause and its fix are both visible.
            eprintln!("balai: error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            operational_failure
        }
    }
}
