//! `switchboard-sim`: run the Twilio Messages simulator as a standalone process.

use std::io::{IsTerminal as _, Write as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use switchboard_sim::{RunningSim, Scenario, SimConfig};
use tracing_subscriber::EnvFilter;

/// Twilio-compatible Messages API simulator.
#[derive(Debug, Parser)]
#[command(name = "switchboard-sim", version, about)]
struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Account SID to accept instead of the demo account's.
    #[arg(long, requires = "auth_token")]
    account_sid: Option<String>,
    /// Auth token for --account-sid.
    #[arg(long, requires = "account_sid")]
    auth_token: Option<String>,
    /// Scenario file (TOML): pacing, delivery outcomes, customers, faults.
    /// Without one, senders are paced at one segment per second and everything is delivered.
    #[arg(long, value_name = "FILE")]
    scenario: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();

    let mut config = match (&args.account_sid, &args.auth_token) {
        (Some(sid), Some(token)) => SimConfig::demo_with_account(sid, token),
        _ => SimConfig::demo(),
    };
    if let Some(path) = &args.scenario {
        match Scenario::from_file(path) {
            Ok(scenario) => config.scenario = scenario,
            Err(error) => {
                // Plain stderr, not tracing: the one line must be readable even with RUST_LOG=off.
                eprintln!("switchboard-sim: {error}");
                return ExitCode::from(2);
            }
        }
    }
    let sim = match RunningSim::start(config, args.listen).await {
        Ok(sim) => sim,
        Err(error) => {
            tracing::error!(%error, listen = %args.listen, "could not start the simulator");
            return ExitCode::FAILURE;
        }
    };

    // Scripts wait for this exact line to learn the port, so it must reach them unbuffered.
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "listening on {}", sim.base_url())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        tracing::warn!("could not write the listening line to stdout");
    }
    drop(stdout);

    wait_for_stop_signal().await;
    tracing::info!("stopping");
    sim.shutdown().await;
    ExitCode::SUCCESS
}

async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(error) => {
                tracing::warn!(%error, "SIGTERM handler unavailable; only Ctrl-C stops the simulator");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
