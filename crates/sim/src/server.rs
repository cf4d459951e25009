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

use crate::config::{Customer, SimConfig};
use crate::connection;
use crate::create::CreateForm;
use crate::faults::{Fault, FaultBoard};
use crate::outcome::Outcomes;
use crate::pacing::Pacer;
use crate::routes;
use crate::state::Message;
use crate::stats::CreateStats;
use crate::store::Store;

/// How long `shutdown` lets open connections finish before cutting them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// State shared by the HTTP handlers, the lifecycle tasks and the `RunningSim` handle.
#[derive(Debug)]
pub(crate) struct Shared {
    pub config: SimConfig,
    store: Mutex<Store>,
    pub create_requests: AtomicUsize,
    stats: Mutex<CreateStats>,
    pub faults: FaultBoard,
    /// Locked only while the store is locked, so creation order is also pacing order.
    pacer: Mutex<Pacer>,
    pub outcomes: Outcomes,
    /// The scenario's customers, then the config's: the first with a number wins.
    pub customers: Vec<Customer>,
    /// When the simulator started; the date its numbers were "bought".
    pub started_at: DateTime<Utc>,
    pub cancel: CancellationToken,
    pub tasks: TaskTracker,
}

/// Locks a mutex; a panic elsewhere must not take the whole simulator down with it.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    fn new(mut config: SimConfig) -> Self {
        let now = Utc::now();
        let mut store = Store::default();
        // Once stored, the seeds are dead weight (a million of them in a load test).
        for seed in std::mem::take(&mut config.history) {
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
        tracing::debug!(messages = store.len(), "history loaded");
        let scenario = &config.scenario;
        let faults = FaultBoard::default();
        for fault in &scenario.faults {
            faults.arm(*fault);
        }
        let customers = scenario
            .customers
            .iter()
            .chain(&config.customers)
            .cloned()
            .collect();
        Self {
            store: Mutex::new(store),
            create_requests: AtomicUsize::new(0),
            stats: Mutex::new(CreateStats::default()),
            faults,
            pacer: Mutex::new(Pacer::new(scenario.throughput)),
            outcomes: Outcomes::new(scenario),
            customers,
            started_at: now,
            cancel: CancellationToken::new(),
            tasks: TaskTracker::new(),
            config,
        }
    }

    pub fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.store)
    }

    pub fn pacer(&self) -> MutexGuard<'_, Pacer> {
        lock(&self.pacer)
    }

    pub fn stats(&self) -> MutexGuard<'_, CreateStats> {
        lock(&self.stats)
    }

    /// Counts a create request by its `From`, `To` and (`To`, `Body`), whatever its answer.
    pub fn record_create(&self, form: &CreateForm) {
        self.stats().record(
            form.from.as_deref(),
            form.to.as_deref(),
            form.body.as_deref(),
        );
    }

    /// The scripted customer with this number, if any.
    pub fn customer(&self, number: &str) -> Option<&Customer> {
        self.customers.iter().find(|c| c.number == number)
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
        let server = tokio::spawn(connection::serve(listener, app, shared.cancel.clone()));
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

    /// How many create requests named this `To`, whatever their answer (faults included).
    pub fn creates_to(&self, to: &str) -> usize {
        self.shared.stats().to(to)
    }

    /// How many create requests named this `From`, whatever their answer.
    pub fn creates_from(&self, from: &str) -> usize {
        self.shared.stats().from(from)
    }

    /// How many create requests named this `To` with exactly this `Body`: more than one means the
    /// client sent the same message again.
    pub fn creates_to_with_body(&self, to: &str, body: &str) -> usize {
        self.shared.stats().to_with_body(to, body)
    }

    /// Arms a fault after those already armed; a request takes the first armed fault that
    /// applies to it.
    pub fn set_fault(&self, fault: Fault) {
        self.shared.faults.arm(fault);
    }

    /// Disarms every fault.
    pub fn clear_faults(&self) {
        self.shared.faults.clear();
    }

    /// Stops accepting requests, lets in-flight ones finish, and ends all background tasks.
    pub async fn shutdown(mut self) {
        self.shared.cancel.cancel();
        if let Some(mut server) = self.server.take() {
            if tokio::time::timeout(SHUTDOWN_GRACE, &mut server)
                .await
                .is_err()
            {
                // Aborting the accept loop drops its JoinSet, which aborts every connection.
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
