//! The simulator as a command: `switchboard-sim` and `switchboard sim` both run this.

use std::io::{IsTerminal as _, Write as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;

use crate::{RunningSim, Scenario, SimConfig};

/// Twilio-compatible Messages API simulator.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Account SID to accept instead of the demo account's.
    #[arg(long, requires = "auth_token")]
    pub account_sid: Option<String>,
    /// Auth token for --account-sid.
    #[arg(long, requires = "account_sid")]
    pub auth_token: Option<String>,
    /// Scenario file (TOML): pacing, delivery outcomes, customers, faults.
    /// Without one, senders are paced at one segment per second and everything is delivered.
    #[arg(long, value_name = "FILE")]
    pub scenario: Option<PathBuf>,
}

/// Runs the simulator until Ctrl-C or SIGTERM: prints `listening on URL` on standard output
/// once it accepts connections (scripts wait for that line), logs to standard error.
pub async fn run(args: Args, program: &str) -> ExitCode {
    // A second init (a caller that set up its own logging) is not an error worth stopping for.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();

    let mut config = match (&args.account_sid, &args.auth_token) {
        (Some(sid), Some(token)) => SimConfig::demo_with_account(sid, token),
        _ => SimConfig::demo(),
    };
    if let Some(path) = &args.scenario {
        match Scenario::from_file(path) {
            Ok(scenario) => config.scenario = scenario,
            Err(error) => {
                // Plain stderr, not tracing: the one line must be readable even with RUST_LOG=off.
                eprintln!("{program}: {error}");
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
