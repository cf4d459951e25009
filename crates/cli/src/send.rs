//! `switchboard send` and `switchboard sync`: the app's account, from its data folder, config
//! and keyring entry, while the app is closed (the folder has one writer at a time). `sync`
//! runs the same background work as the app, so a shared machine or a script can keep an
//! account synced and its queue sending without a desktop session.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use switchboard_core::catalogue;
use switchboard_core::domain::MessageStatus;
use switchboard_core::events::CoreEvent;
use switchboard_core::instance::DataDirLock;
use switchboard_core::outbox::SendInput;
use switchboard_core::secrets::{KeyringSecrets, SecretStore};
use switchboard_core::{installation, CoreError, Services, Tuning};
use tokio::sync::broadcast::error::RecvError;

/// How long `send` waits for a delivery receipt after the provider took the message.
const RECEIPT_WAIT: Duration = Duration::from_secs(30);

/// What `switchboard send` sends.
pub struct Request {
    /// The recipient as typed.
    pub to: String,
    /// The text.
    pub body: String,
    /// The sender number, if not the first.
    pub from: Option<String>,
    /// Send where the checks ask first.
    pub send_anyway: bool,
}

fn say(e: CoreError) -> String {
    match e {
        CoreError::NotConfigured => {
            "no Twilio account is set up in this data folder (demo mode runs inside the app): connect one in the app's Settings, or give --data-dir".into()
        }
        CoreError::AlreadyRunning { .. } => {
            "the app is open on this data folder: use its window, or close it first (one writer at a time)".into()
        }
        CoreError::NeedsConfirmation { .. } => format!(
            "{e}: the checks ask before sending this; add --send-anyway to send it anyway"
        ),
        e => format!("{e}. {}", e.hint()),
    }
}

/// The account's services, the folder held so the app cannot open it meanwhile.
async fn open(
    data_dir: Option<PathBuf>,
    tune: impl FnOnce(&mut Tuning),
) -> Result<(Services, DataDirLock), String> {
    let dir = crate::args::data_dir(data_dir)?;
    let lock = DataDirLock::acquire(&dir).map_err(say)?;
    let secrets: Arc<dyn SecretStore> = Arc::new(KeyringSecrets::new());
    let services = installation::open_account(&dir, secrets, tune)
        .await
        .map_err(say)?;
    Ok((services, lock))
}

/// Sends one message and reports what became of it.
pub async fn send(r: Request, data_dir: Option<PathBuf>) -> Result<(), String> {
    let (services, _lock) = open(data_dir, |_| {}).await?;
    let result = send_and_follow(&services, r).await;
    services.shutdown().await;
    result
}

async fn send_and_follow(services: &Services, r: Request) -> Result<(), String> {
    let message = services
        .send(SendInput {
            to: Some(r.to),
            from: r.from,
            body: r.body,
            confirmed: r.send_anyway,
            ..Default::default()
        })
        .await
        .map_err(say)?;
    let started = Instant::now();
    let mut last = None;
    loop {
        services.outbox().settle_now().await.map_err(say)?;
        let _ = services.syncer().round().await;
        let m = services
            .message_details(message.id)
            .await
            .map_err(say)?
            .message;
        if last != Some(m.status) {
            eprintln!("{}", m.status.as_str().replace('_', " "));
            last = Some(m.status);
        }
        let waited = started.elapsed();
        match m.status {
            MessageStatus::Failed | MessageStatus::Undelivered => {
                let code = m.error_code.unwrap_or_default();
                let entry = catalogue::explain(&code);
                return Err(format!(
                    "not delivered: {code} {} — {} {}",
                    entry.title, entry.reason, entry.hint
                ));
            }
            MessageStatus::Delivered | MessageStatus::Read | MessageStatus::SentNoReceipt => {
                println!("{} {}", m.sid.unwrap_or_default(), m.status.as_str());
                return Ok(());
            }
            // Taken by the provider: its receipt may take long; stop waiting after a while.
            _ if m.sid.is_some() && waited > RECEIPT_WAIT => {
                println!("{} {}", m.sid.unwrap_or_default(), m.status.as_str());
                return Ok(());
            }
            _ if m.sid.is_none() && waited > RECEIPT_WAIT => {
                return Err(format!(
                    "the provider has not taken the message yet ({}); it stays queued and goes out when the app or `switchboard sync` runs",
                    m.error_code.unwrap_or_else(|| m.status.as_str().to_string())
                ));
            }
            _ => tokio::time::sleep(Duration::from_millis(500)).await,
        }
    }
}

/// The app's sync: with `once`, one round and the history load to its end with a progress
/// bar; else the app's background work (outbox, sync rounds, history) until Ctrl+C or a
/// termination signal, with a line for each new message and each change of reachability.
pub async fn sync(
    once: bool,
    since: Option<chrono::NaiveDate>,
    data_dir: Option<PathBuf>,
) -> Result<(), String> {
    let (services, _lock) = open(data_dir, |t| {
        if since.is_some() {
            t.history_since = since;
        }
    })
    .await?;
    let result = if once {
        sync_all(&services).await
    } else {
        sync_until_stopped(&services).await
    };
    services.shutdown().await;
    result
}

async fn sync_until_stopped(services: &Services) -> Result<(), String> {
    let mut events = services.events().subscribe();
    services.start();
    eprintln!("syncing; Ctrl+C stops");
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .map_err(|e| e.to_string())?;
    loop {
        let event = tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            _ = terminate.recv() => break,
            event = events.recv() => event,
        };
        match event {
            Ok(CoreEvent::MessageReceived(a)) => println!(
                "{} new message from {} (conversation {})",
                a.at.to_rfc3339(),
                a.from,
                a.conversation_id
            ),
            Ok(CoreEvent::ConnectionChanged { online }) => eprintln!(
                "{}",
                if online {
                    "Twilio answers again"
                } else {
                    "Twilio cannot be reached; messages wait"
                }
            ),
            Ok(CoreEvent::HistoryProgress(p)) if p.done => {
                eprintln!("history loaded: {} messages back to {}", p.fetched, p.since)
            }
            Ok(_) | Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => break,
        }
    }
    eprintln!("stopping");
    Ok(())
}

async fn sync_all(services: &Services) -> Result<(), String> {
    services.outbox().settle_now().await.map_err(say)?;
    services.syncer().round().await.map_err(say)?;
    let bar = ProgressBar::new(1000);
    bar.set_style(
        ProgressStyle::with_template("history {bar:40} {percent:>3}% {msg}")
            .map_err(|e| e.to_string())?,
    );
    loop {
        let done = services.backfill().step().await.map_err(say)?;
        if let Some(p) = services.history().await.map_err(say)? {
            bar.set_position((p.fraction() * 1000.0) as u64);
            bar.set_message(format!("{} messages, back to {}", p.fetched, p.since));
        }
        if done {
            break;
        }
    }
    bar.finish();
    Ok(())
}
