//! Starting, driving and stopping a simulator instance.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::SimConfig;
use crate::routes;
use crate::state::{Message, Store};

/// How long `shutdown` lets open connections finish before cutting them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// State shared by the HTTP handlers, the lifecycle tasks and the `RunningSim` handle.
#[derive(Debug)]
pub(crate) struct Shared {
    pub config: SimConfig,
    store: Mutex<Store>,
    pub create_requests: AtomicUsize,
    /// When the simulator started; the date its numbers were "bought".
    pub started_at: DateTime<Utc>,
    pub cancel: CancellationToken,
    pub tasks: TaskTracker,
}

impl Shared {
    fn new(config: SimConfig) -> Self {
        let now = Utc::now();
        let mut store = Store::default();
        for seed in &config.history {
            let age = chrono::Duration::from_std(seed.age).unwrap_or(chrono::Duration::zero());
            let received = now.checked_sub_signed(age).unwrap_or(now);
            store.insert_inbound(Message::inbound(
                &seed.account_sid,
                &seed.from,
                &seed.to,
                &seed.body,
                received,
            ));
        }
        Self {
            config,
            store: Mutex::new(store),
            create_requests: AtomicUsize::new(0),
            started_at: now,
            cancel: CancellationToken::new(),
            tasks: TaskTracker::new(),
        }
    }

    /// Locks the store; a panic elsewhere must not take the whole simulator down with it.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records an inbound message (status `received`) and returns its SID.
    pub fn inject_inbound(&self, account_sid: &str, from: &str, to: &str, body: &str) -> String {
        let message = Message::inbound(account_sid, from, to, body, Utc::now());
        let sid = message.sid.clone();
        tracing::info!(%sid, %from, %to, "inbound message received");
        self.store().insert_inbound(message);
        sid
    }
}

/// A simulator listening on a local socket; stop it with [`RunningSim::shutdown`].
#[derive(Debug)]
pub struct RunningSim {
    addr: SocketAddr,
    shared: Arc<Shared>,
    server: Option<JoinHandle<()>>,
}

impl RunningSim {
    /// Binds `addr` (port 0 picks a free port) and serves the Messages API until shut down.
    pub async fn start(config: SimConfig, addr: SocketAddr) -> std::io::Result<RunningSim> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared::new(config));
        let app = routes::router(Arc::clone(&shared));
        let stop = shared.cancel.clone();
        let server = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(stop.cancelled_owned())
                .await;
            if let Err(error) = served {
                tracing::error!(%error, "simulator server stopped with an error");
            }
        });
        tracing::info!(%addr, "simulator listening");
        Ok(RunningSim {
            addr,
            shared,
            server: Some(server),
        })
    }

    /// The bound socket address (with the real port when started on port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Base URL to use instead of `https://api.twilio.com`, e.g. `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Delivers an inbound message as if `from` had texted `to`; returns the new message SID.
    pub fn inject_inbound(&self, account_sid: &str, from: &str, to: &str, body: &str) -> String {
        self.shared.inject_inbound(account_sid, from, to, body)
    }

    /// How many create requests arrived so far, rejected ones included.
    pub fn create_requests(&self) -> usize {
        self.shared.create_requests.load(Ordering::SeqCst)
    }

    /// Stops accepting requests, lets in-flight ones finish, and ends all background tasks.
    pub async fn shutdown(mut self) {
        self.shared.cancel.cancel();
        if let Some(mut server) = self.server.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut server)
                .await
                .is_err()
            {
                server.abort();
            }
        }
        self.shared.tasks.close();
        self.shared.tasks.wait().await;
        tracing::info!(addr = %self.addr, "simulator stopped");
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        // Without this a dropped handle would leave the server and its timers running.
        self.shared.cancel.cancel();
    }
}
