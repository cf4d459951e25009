//! An installation: a data folder with `config.toml`, one database per account and the
//! account's secret in the keyring. The desktop app and the `switchboard` command line open
//! an account from it the same way, so both see the same messages.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::Config;
use crate::domain::Sender;
use crate::error::{CoreError, Result};
use crate::secrets::SecretStore;
use crate::{settings, OpenOptions, Services, Tuning};

/// The settings file of a data folder.
pub fn config_file(data_dir: &Path) -> PathBuf {
    data_dir.join("config.toml")
}

/// The sender numbers the settings file labels.
pub fn senders(config: &Config) -> Vec<Sender> {
    config
        .senders
        .iter()
        .map(|s| Sender {
            number: s.number.clone(),
            label: s.label.clone(),
        })
        .collect()
}

/// Opens the configured account's services over its database in `data_dir`, with `tune`
/// adjusting the pacing read from the file. Demo mode has no account to open (its simulator
/// lives inside the app): `NotConfigured`.
pub async fn open_account(
    data_dir: &Path,
    secrets: Arc<dyn SecretStore>,
    tune: impl FnOnce(&mut Tuning),
) -> Result<Services> {
    let config = Config::load(&config_file(data_dir))?;
    let Some(account) = config.provider.clone().filter(|_| !config.demo()) else {
        return Err(CoreError::NotConfigured);
    };
    let file = config.database_file().ok_or(CoreError::NotConfigured)?;
    let secret = settings::load_secret(secrets, &account).await?;
    let mut sync = config.tuning();
    tune(&mut sync);
    crate::open(OpenOptions {
        database: data_dir.join(file),
        account,
        secret,
        base_url: None,
        senders: senders(&config),
        sync,
    })
    .await
}
