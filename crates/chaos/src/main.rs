//! `chaos-worker`: Switchboard's core in a process of its own, for tests that SIGKILL it at
//! random points and start it again on the same database.
//!
//! `chaos-worker send …` queues a burst of messages (those not yet in the database), runs the
//! outbox and the sync, and exits 0 once every message is in a final state. It prints `ready`
//! when the core is open, then `settled <n>` at the end. `chaos-worker history` loads the
//! account's history the same way.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use switchboard_chaos::{body, recipient};
use switchboard_core::config::{AuthKind, ProviderAccount};
use switchboard_core::domain::{MessageStatus, Sender};
use switchboard_core::events::CoreEvent;
use switchboard_core::outbox::SendInput;
use switchboard_core::provider::guard::Pacing;
use switchboard_core::{OpenOptions, Services, Tuning};
use tokio::sync::broadcast::error::RecvError;

#[derive(Parser)]
struct Args {
    /// The SQLite file (created if missing).
    #[arg(long)]
    db: PathBuf,
    /// The provider's base URL (a simulator).
    #[arg(long)]
    base_url: String,
    /// Account SID.
    #[arg(long)]
    account_sid: String,
    /// Auth Token.
    #[arg(long)]
    auth_token: String,
    /// Our sender number.
    #[arg(long)]
    sender: String,
    #[command(subcommand)]
    work: Work,
}

#[derive(Subcommand)]
enum Work {
    /// Queue `count` messages ("burst 0000"…) to `recipients` numbers and send them all.
    Send {
        #[arg(long)]
        count: usize,
        #[arg(long, default_value_t = 50)]
        recipients: usize,
    },
    /// Load the account's history, printing `resumed <n>` first, then `history <n>` after each
    /// page and `settled <n>` at the end.
    History,
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    // The test reads these lines; a closed pipe only means nobody is listening any more.
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

async fn open(args: &Args) -> switchboard_core::Result<Services> {
    switchboard_core::open(OpenOptions {
        database: args.db.clone(),
        account: ProviderAccount {
            account_sid: args.account_sid.clone(),
            auth_kind: AuthKind::AuthToken,
            api_key_sid: None,
            base_url: Some(args.base_url.clone()),
        },
        secret: args.auth_token.clone(),
        base_url: None,
        senders: vec![Sender {
            number: args.sender.clone(),
            label: None,
        }],
        sync: Tuning {
            poll_interval: Duration::from_millis(50),
            pacing: Pacing {
                segments_per_second: 10_000.0,
                burst: 1_000,
                max_concurrent_calls: 4,
            },
            // Several transactions in a 100,000-message load, so a kill lands between them
            // whatever the machine's speed (the default could take it in one or two).
            history_batch: 10_000,
            ..Tuning::default()
        },
    })
    .await
}

async fn outbound(core: &Services) -> switchboard_core::Result<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT body, status FROM messages WHERE direction = 'outbound'")
            .fetch_all(core.store().pool())
            .await?,
    )
}

async fn send(core: &Services, count: usize, recipients: usize) -> switchboard_core::Result<()> {
    let queued: HashSet<String> = outbound(core).await?.into_iter().map(|(b, _)| b).collect();
    for i in 0..count {
        if queued.contains(&body(i)) {
            continue;
        }
        core.send(SendInput {
            to: Some(recipient(i, recipients)),
            body: body(i),
            ..Default::default()
        })
        .await?;
    }
    loop {
        let all = outbound(core).await?;
        let settled = all
            .iter()
            .filter(|(_, s)| MessageStatus::parse(s).is_some_and(MessageStatus::is_final))
            .count();
        if all.len() >= count && settled == all.len() {
            say(&format!("settled {settled}"));
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn history(core: &Services) -> switchboard_core::Result<()> {
    let mut events = core.events().subscribe();
    let saved = core.history().await?;
    say(&format!(
        "resumed {}",
        saved.as_ref().map_or(0, |p| p.fetched)
    ));
    if let Some(p) = saved.filter(|p| p.done) {
        say(&format!("settled {}", p.fetched));
        return Ok(());
    }
    core.start();
    loop {
        match events.recv().await {
            Ok(CoreEvent::HistoryProgress(p)) => {
                say(&format!("history {}", p.fetched));
                if p.done {
                    say(&format!("settled {}", p.fetched));
                    return Ok(());
                }
            }
            Ok(_) | Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => return Ok(()),
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let core = match open(&args).await {
        Ok(core) => core,
        Err(e) => {
            eprintln!("chaos-worker: {e}");
            return ExitCode::FAILURE;
        }
    };
    say("ready");
    let outcome = match args.work {
        Work::Send { count, recipients } => {
            core.start();
            send(&core, count, recipients).await
        }
        Work::History => history(&core).await,
    };
    core.shutdown().await;
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("chaos-worker: {e}");
            ExitCode::FAILURE
        }
    }
}
