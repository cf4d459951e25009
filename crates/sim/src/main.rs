//! `switchboard-sim`: run the Twilio Messages simulator as a standalone process.

use std::process::ExitCode;

use clap::Parser;

/// Twilio-compatible Messages API simulator.
#[derive(Debug, Parser)]
#[command(name = "switchboard-sim", version, about)]
struct Cli {
    #[command(flatten)]
    args: switchboard_sim::cli::Args,
}

#[tokio::main]
async fn main() -> ExitCode {
    switchboard_sim::cli::run(Cli::parse().args, "switchboard-sim").await
}
