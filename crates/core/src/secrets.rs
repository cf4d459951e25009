//! Where credentials live: the OS keyring in the app, memory in unit tests. Never SQLite, config
//! files or logs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use keyring_core::{CredentialStore, Entry};

/// The keyring "service" every Switchboard secret is filed under.
pub const SERVICE: &str = "switchboard";

/// A secret store refused or failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SecretError {
    /// There is no usable keyring on this desktop.
    #[error("no keyring is available to store credentials: {0}")]
    Unavailable(String),
    /// The keyring is there but refused access (usually locked).
    #[error("the keyring refused access: {0}")]
    Locked(String),
    /// Any other failure of the keyring.
    #[error("the keyring failed: {0}")]
    Failed(String),
}

impl SecretError {
    /// A stable code for the UI.
    pub fn code(&self) -> &'static str {
        match self {
            SecretError::Unavailable(_) => "keyring_unavailable",
            SecretError::Locked(_) => "keyring_locked",
            SecretError::Failed(_) => "keyring_failed",
        }
    }

    /// What the user should do.
    pub fn hint(&self) -> String {
        match self {
            SecretError::Unavailable(_) => "Install and start a Secret Service keyring (GNOME Keyring or KWallet), then try again; Switchboard will not keep credentials anywhere else.".into(),
            SecretError::Locked(_) => "Unlock the keyring (log in to the desktop again or open your keyring manager), then try again.".into(),
            SecretError::Failed(_) => "Try again; if it keeps failing, restart the keyring service.".into(),
        }
    }
}

/// Storage for secrets, keyed by an account name (an Account SID or API key SID).
pub trait SecretStore: Send + Sync {
    /// The backend's name, shown in Settings.
    fn backend(&self) -> &'static str;
    /// Checks that secrets can be stored and read now.
    fn probe(&self) -> Result<(), SecretError>;
    /// Reads a secret; `Ok(None)` when none is stored.
    fn get(&self, account: &str) -> Result<Option<String>, SecretError>;
    /// Stores a secret, replacing any previous one.
    fn set(&self, account: &str, secret: &str) -> Result<(), SecretError>;
    /// Removes a secret; removing a missing one is not an error.
    fn delete(&self, account: &str) -> Result<(), SecretError>;
}

/// The desktop keyring through the Secret Service D-Bus API (GNOME Keyring, KWallet). Chosen over
/// the kernel keyutils store because it persists across reboots; when it is missing we say so
/// instead of falling back to memory.
#[derive(Default)]
pub struct KeyringSecrets {
    /// Connected on first use, so starting the app never waits on D-Bus: every call runs on a
    /// blocking thread (`blocking`), while a connection made up front held up the window.
    store: OnceLock<Result<Arc<CredentialStore>, String>>,
}

impl KeyringSecrets {
    /// The Secret Service, connected on first use. Never fails: an unreachable service is
    /// reported by every call.
    pub fn new() -> Self {
        Self::default()
    }

    fn entry(&self, account: &str) -> Result<Entry, SecretError> {
        let store = self
            .store
            .get_or_init(|| {
                let store = zbus_secret_service_keyring_store::Store::new()
                    .map(|s| s as Arc<CredentialStore>)
                    .map_err(|e| e.to_string());
                if let Err(e) = &store {
                    tracing::warn!(error = %e, "Secret Service keyring unavailable");
                }
                store
            })
            .as_ref()
            .map_err(|e| SecretError::Unavailable(e.clone()))?;
        Entry::new_in_store(store, SERVICE, account).map_err(map_error)
    }
}

fn map_error(e: keyring_core::Error) -> SecretError {
    match e {
        keyring_core::Error::NoStorageAccess(inner) => SecretError::Locked(inner.to_string()),
        keyring_core::Error::PlatformFailure(inner) => SecretError::Unavailable(inner.to_string()),
        keyring_core::Error::NoDefaultStore => {
            SecretError::Unavailable("no credential store is set up".into())
        }
        other => SecretError::Failed(other.to_string()),
    }
}

impl SecretStore for KeyringSecrets {
    fn backend(&self) -> &'static str {
        "Secret Service"
    }

    fn probe(&self) -> Result<(), SecretError> {
        match self.entry("probe")?.get_password() {
            Ok(_) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
        }
    }

    fn get(&self, account: &str) -> Result<Option<String>, SecretError> {
        match self.entry(account)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn set(&self, account: &str, secret: &str) -> Result<(), SecretError> {
        self.entry(account)?.set_password(secret).map_err(map_error)
    }

    fn delete(&self, account: &str) -> Result<(), SecretError> {
        match self.entry(account)?.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
        }
    }
}

/// Secrets in memory. For unit tests only: the app never uses it.
#[derive(Default)]
pub struct MemorySecrets {
    map: Mutex<HashMap<String, String>>,
}

impl SecretStore for MemorySecrets {
    fn backend(&self) -> &'static str {
        "memory (tests only)"
    }

    fn probe(&self) -> Result<(), SecretError> {
        Ok(())
    }

    fn get(&self, account: &str) -> Result<Option<String>, SecretError> {
        Ok(self.lock()?.get(account).cloned())
    }

    fn set(&self, account: &str, secret: &str) -> Result<(), SecretError> {
        self.lock()?.insert(account.to_string(), secret.to_string());
        Ok(())
    }

    fn delete(&self, account: &str) -> Result<(), SecretError> {
        self.lock()?.remove(account);
        Ok(())
    }
}

impl MemorySecrets {
    fn lock(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, String>>, SecretError> {
        self.map
            .lock()
            .map_err(|_| SecretError::Failed("memory store poisoned".into()))
    }
}

/// Runs a blocking secret-store call off the async runtime's worker threads.
pub async fn blocking<T, F>(store: Arc<dyn SecretStore>, f: F) -> Result<T, SecretError>
where
    T: Send + 'static,
    F: FnOnce(&dyn SecretStore) -> Result<T, SecretError> + Send + 'static,
{
    tokio::task::spawn_blocking(move || f(store.as_ref()))
        .await
        .map_err(|e| SecretError::Failed(e.to_string()))?
}
