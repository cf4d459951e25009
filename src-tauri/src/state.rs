//! What the shell holds while running: the core's services (or why there are none), and in demo
//! mode the embedded simulator.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use switchboard_core::config::{AuthKind, Config, ProviderAccount};
use switchboard_core::domain::Sender;
use switchboard_core::instance::DataDirLock;
use switchboard_core::secrets::SecretStore;
use switchboard_core::team::TeamMember;
use switchboard_core::{CoreError, OpenOptions, Services};
use switchboard_sim::{RunningSim, SimConfig};
use tauri::AppHandle;
use tokio::sync::{OwnedRwLockWriteGuard, RwLock};

use crate::wire::IpcError;
use crate::{bridge, demo, notifications};

/// Where things live on disk.
#[derive(Debug, Clone)]
pub struct Paths {
    /// The data folder (database, config).
    pub data_dir: PathBuf,
    /// The log folder.
    pub log_dir: PathBuf,
}

impl Paths {
    /// `config.toml`.
    pub fn config_file(&self) -> PathBuf {
        self.data_dir.join("config.toml")
    }
}

/// The services in use and what they run against.
struct Running {
    services: Arc<Services>,
    sim: Option<RunningSim>,
    base_url: String,
    bridge: tauri::async_runtime::JoinHandle<()>,
    notifications: tauri::async_runtime::JoinHandle<()>,
}

/// Either running services or the reason there are none; one lock so the two never disagree.
#[derive(Default)]
struct Slot {
    running: Option<Running>,
    problem: Option<IpcError>,
}

/// The shell's state, managed by Tauri.
pub struct AppState {
    /// Folders.
    pub paths: Paths,
    /// The OS keyring.
    pub secrets: Arc<dyn SecretStore>,
    slot: Arc<RwLock<Slot>>,
    /// Held from the first start to the end of the process.
    data_dir_lock: OnceLock<DataDirLock>,
}

impl AppState {
    /// A state with nothing started yet.
    pub fn new(paths: Paths, secrets: Arc<dyn SecretStore>) -> Self {
        Self {
            paths,
            secrets,
            slot: Arc::default(),
            data_dir_lock: OnceLock::new(),
        }
    }

    /// Starts the services in the background. The slot is locked before this returns, so a
    /// command issued meanwhile waits for the start instead of seeing "not configured"; the
    /// window appears without waiting for the keyring or the database.
    pub fn start_in_background(self: &Arc<Self>, app: &AppHandle) {
        let Ok(slot) = self.slot.clone().try_write_owned() else {
            return;
        };
        let (state, app) = (self.clone(), app.clone());
        tauri::async_runtime::spawn(async move { state.start_locked(slot, &app).await });
    }

    /// Stops and starts again (after the account changed). The lock is held throughout, so
    /// two restarts can never leave two sets of workers on one database.
    pub async fn restart(&self, app: &AppHandle) {
        let mut slot = self.slot.clone().write_owned().await;
        stop_running(&mut slot).await;
        self.start_locked(slot, app).await;
    }

    /// Stops the background work, the bridge and the simulator.
    pub async fn stop(&self) {
        stop_running(&mut *self.slot.write().await).await;
    }

    /// Takes the data folder for this process, once; a second app on it gets a clear problem
    /// instead of a second writer on the database.
    fn hold_data_dir(&self) -> Result<(), CoreError> {
        if self.data_dir_lock.get().is_none() {
            let lock = DataDirLock::acquire(&self.paths.data_dir)?;
            let _ = self.data_dir_lock.set(lock);
        }
        Ok(())
    }

    async fn start_locked(&self, mut slot: OwnedRwLockWriteGuard<Slot>, app: &AppHandle) {
        let opened = match self.hold_data_dir() {
            Ok(()) => self.open().await,
            Err(e) => Err(e),
        };
        match opened {
            Ok((services, sim, base_url)) => {
                services.start();
                let bridge = bridge::spawn(app.clone(), services.events().clone());
                // Read with the rest of the settings: a change restarts the services.
                let show_text = Config::load(&self.paths.config_file())
                    .map(|c| c.notification_text)
                    .unwrap_or(true);
                let notifications = notifications::spawn(app.clone(), services.events(), show_text);
                slot.running = Some(Running {
                    services,
                    sim,
                    base_url,
                    bridge,
                    notifications,
                });
                slot.problem = None;
            }
            Err(e) => {
                tracing::error!(error = %e, code = e.code(), "could not start the inbox");
                slot.problem = Some(e.into());
            }
        }
    }

    /// Opens the services: the services, the demo simulator if any, and the base URL in use.
    async fn open(&self) -> Result<(Arc<Services>, Option<RunningSim>, String), CoreError> {
        let config = Config::load(&self.paths.config_file())?;
        let sync = config.tuning();
        // Demo mode turned off with no account: nothing to run until one is set up.
        let file = config.database_file().ok_or(CoreError::NotConfigured)?;
        if config.demo() {
            return self.open_demo(sync, &config.senders, &file).await;
        }
        let base_url = config
            .provider
            .as_ref()
            .map(|a| a.effective_base_url())
            .unwrap_or_default();
        let services = switchboard_core::installation::open_account(
            &self.paths.data_dir,
            self.secrets.clone(),
            |_| {},
        )
        .await?;
        Ok((Arc::new(services), None, base_url))
    }

    /// The demo: a fresh simulator and a fresh database each time, since the simulator's
    /// world (SIDs, history) is new on every start and must not pile up in an old database.
    async fn open_demo(
        &self,
        sync: switchboard_core::Tuning,
        labels: &[switchboard_core::config::SenderConfig],
        file: &str,
    ) -> Result<(Arc<Services>, Option<RunningSim>, String), CoreError> {
        let database = self.paths.data_dir.join(file);
        for suffix in ["", "-wal", "-shm"] {
            let file = PathBuf::from(format!("{}{suffix}", database.display()));
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e.into()),
            }
        }
        let sim = RunningSim::start(SimConfig::demo(), ([127, 0, 0, 1], 0).into()).await?;
        let senders = switchboard_sim::DEMO_NUMBERS
            .iter()
            .zip(demo::LABELS)
            .map(|(number, label)| Sender {
                number: number.to_string(),
                // A label set in Settings wins over the demo's own.
                label: labels
                    .iter()
                    .find(|s| s.number == *number)
                    .and_then(|s| s.label.clone())
                    .or_else(|| Some(label.to_string())),
            })
            .collect();
        let services = switchboard_core::open(OpenOptions {
            database,
            account: ProviderAccount {
                account_sid: switchboard_sim::DEMO_ACCOUNT_SID.to_string(),
                auth_kind: AuthKind::AuthToken,
                api_key_sid: None,
                base_url: None,
            },
            secret: switchboard_sim::DEMO_AUTH_TOKEN.to_string(),
            base_url: Some(sim.base_url()),
            senders,
            sync,
        })
        .await?;
        let names: Vec<(&str, &str)> = switchboard_sim::DEMO_CUSTOMERS
            .iter()
            .map(|c| (c.number, c.name))
            .collect();
        services.remember_contact_names(&names).await?;
        demo::seed(&services).await?;
        tracing::info!(base_url = %sim.base_url(), "demo mode: embedded simulator running");
        let base_url = sim.base_url();
        Ok((Arc::new(services), Some(sim), base_url))
    }

    /// The running services, or the reason there are none.
    pub async fn services(&self) -> Result<Arc<Services>, IpcError> {
        let slot = self.slot.read().await;
        match (&slot.running, &slot.problem) {
            (Some(running), _) => Ok(running.services.clone()),
            (None, Some(problem)) => Err(problem.clone()),
            (None, None) => Err(CoreError::NotConfigured.into()),
        }
    }

    /// The team member at this desktop: the settings' `me` while they are on the team; in the
    /// demo, its admin until someone else is chosen.
    pub async fn me(&self, services: &Services) -> Result<Option<TeamMember>, CoreError> {
        let config = Config::load(&self.paths.config_file())?;
        let demo = self.status().await.0;
        for uid in config
            .me
            .iter()
            .map(String::as_str)
            .chain(demo.then_some(demo::DEFAULT_ME))
        {
            if let Some(member) = services.member(uid).await?.filter(|m| !m.removed) {
                return Ok(Some(member));
            }
        }
        Ok(None)
    }

    /// Remembers who uses this desktop.
    pub async fn set_me(&self, services: &Services, uid: &str) -> Result<TeamMember, CoreError> {
        let member = services
            .member(uid)
            .await?
            .filter(|m| !m.removed)
            .ok_or_else(|| CoreError::UnknownMember(uid.to_string()))?;
        let path = self.paths.config_file();
        let mut config = Config::load(&path)?;
        config.me = Some(member.uid.clone());
        config.save(&path)?;
        Ok(member)
    }

    /// Whether the demo runs, the base URL in use, and the current problem.
    pub async fn status(&self) -> (bool, String, Option<IpcError>) {
        let slot = self.slot.read().await;
        let (demo, base_url) = slot
            .running
            .as_ref()
            .map(|r| (r.sim.is_some(), r.base_url.clone()))
            .unwrap_or((false, String::new()));
        (demo, base_url, slot.problem.clone())
    }
}

async fn stop_running(slot: &mut Slot) {
    if let Some(running) = slot.running.take() {
        running.services.shutdown().await;
        running.bridge.abort();
        running.notifications.abort();
        if let Some(sim) = running.sim {
            sim.shutdown().await;
        }
    }
}
