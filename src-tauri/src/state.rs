//! What the shell holds while running: the core's services (or why there are none), and in demo
//! mode the embedded simulator.

use std::path::PathBuf;
use std::sync::Arc;

use switchboard_core::config::{AuthKind, Config, ProviderAccount};
use switchboard_core::domain::Sender;
use switchboard_core::secrets::SecretStore;
use switchboard_core::{settings, CoreError, OpenOptions, Services};
use switchboard_sim::{RunningSim, SimConfig};
use tauri::AppHandle;
use tokio::sync::RwLock;

use crate::bridge;
use crate::wire::IpcError;

/// Labels of the demo's sender numbers, as a business would name its locations.
const DEMO_LABELS: [&str; 3] = ["Main office", "Downtown", "Harbor"];

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
}

/// The shell's state, managed by Tauri.
pub struct AppState {
    /// Folders.
    pub paths: Paths,
    /// The OS keyring.
    pub secrets: Arc<dyn SecretStore>,
    running: RwLock<Option<Running>>,
    problem: RwLock<Option<IpcError>>,
}

impl AppState {
    /// A state with nothing started yet.
    pub fn new(paths: Paths, secrets: Arc<dyn SecretStore>) -> Self {
        Self {
            paths,
            secrets,
            running: RwLock::new(None),
            problem: RwLock::new(None),
        }
    }

    /// Starts the services for the configured account, or the demo when there is none. A failure
    /// is kept and shown in the window rather than ending the app.
    pub async fn start(&self, app: &AppHandle) {
        let result = self.open().await;
        let mut problem = self.problem.write().await;
        match result {
            Ok((services, sim, base_url)) => {
                *problem = None;
                services.start();
                let bridge = bridge::spawn(app.clone(), services.events().clone());
                *self.running.write().await = Some(Running {
                    services,
                    sim,
                    base_url,
                    bridge,
                });
            }
            Err(e) => {
                tracing::error!(error = %e, code = e.code(), "could not start the inbox");
                *problem = Some(e.into());
            }
        }
    }

    /// Opens the services: the services, the demo simulator if any, and the base URL in use.
    async fn open(&self) -> Result<(Arc<Services>, Option<RunningSim>, String), CoreError> {
        let config = Config::load(&self.paths.config_file())?;
        let poll_interval = config.poll_interval();
        match config.provider.clone() {
            Some(account) => {
                let secret = settings::load_secret(self.secrets.clone(), &account).await?;
                let base_url = account.effective_base_url();
                let senders = config
                    .senders
                    .iter()
                    .map(|s| Sender {
                        number: s.number.clone(),
                        label: s.label.clone(),
                    })
                    .collect();
                let services = switchboard_core::open(OpenOptions {
                    database: self
                        .paths
                        .data_dir
                        .join(format!("{}.sqlite", account.account_sid)),
                    account,
                    secret,
                    senders,
                    poll_interval,
                })
                .await?;
                Ok((Arc::new(services), None, base_url))
            }
            None => {
                let sim_config = SimConfig::demo();
                let senders = switchboard_sim::DEMO_NUMBERS
                    .iter()
                    .zip(DEMO_LABELS)
                    .map(|(number, label)| Sender {
                        number: number.to_string(),
                        label: Some(label.to_string()),
                    })
                    .collect();
                let sim = RunningSim::start(sim_config, ([127, 0, 0, 1], 0).into()).await?;
                let account = ProviderAccount {
                    account_sid: switchboard_sim::DEMO_ACCOUNT_SID.to_string(),
                    auth_kind: AuthKind::AuthToken,
                    api_key_sid: None,
                    base_url: Some(sim.base_url()),
                };
                let base_url = account.effective_base_url();
                let services = switchboard_core::open(OpenOptions {
                    database: self.paths.data_dir.join("demo.sqlite"),
                    account,
                    secret: switchboard_sim::DEMO_AUTH_TOKEN.to_string(),
                    senders,
                    poll_interval,
                })
                .await?;
                let names: Vec<(&str, &str)> = switchboard_sim::DEMO_CUSTOMERS
                    .iter()
                    .map(|c| (c.number, c.name))
                    .collect();
                services.remember_contact_names(&names).await?;
                tracing::info!(base_url = %sim.base_url(), "demo mode: embedded simulator running");
                Ok((Arc::new(services), Some(sim), base_url))
            }
        }
    }

    /// Stops the background work, the bridge and the simulator.
    pub async fn stop(&self) {
        if let Some(running) = self.running.write().await.take() {
            running.services.shutdown().await;
            running.bridge.abort();
            if let Some(sim) = running.sim {
                sim.shutdown().await;
            }
        }
    }

    /// Stops and starts again, after the account changed.
    pub async fn restart(&self, app: &AppHandle) {
        self.stop().await;
        self.start(app).await;
    }

    /// The running services, or the reason there are none.
    pub async fn services(&self) -> Result<Arc<Services>, IpcError> {
        if let Some(running) = self.running.read().await.as_ref() {
            return Ok(running.services.clone());
        }
        Err(self
            .problem
            .read()
            .await
            .clone()
            .unwrap_or_else(|| CoreError::NotConfigured.into()))
    }

    /// Whether the demo runs, the base URL in use, and the current problem.
    pub async fn status(&self) -> (bool, String, Option<IpcError>) {
        let running = self.running.read().await;
        let (demo, base_url) = running
            .as_ref()
            .map(|r| (r.sim.is_some(), r.base_url.clone()))
            .unwrap_or((false, String::new()));
        (demo, base_url, self.problem.read().await.clone())
    }
}
