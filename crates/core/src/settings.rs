//! Saving and removing the provider account: the identifiers go to `config.toml`, the secret to
//! the secret store, never the other way round.

use std::path::Path;
use std::sync::Arc;

use std::time::Duration;

use crate::config::{Config, ProviderAccount};
use crate::error::{CoreError, Result};
use crate::provider::twilio::{RetryPolicy, Timeouts, TwilioClient, TwilioCredentials};
use crate::provider::{Provider, ProviderError};
use crate::secrets::{self, SecretStore};

/// Validates the account, stores its secret, then records the account in the config file.
/// The secret is stored first so a config never names an account whose secret is missing.
pub async fn save_account(
    store: Arc<dyn SecretStore>,
    config_path: &Path,
    account: ProviderAccount,
    secret: String,
) -> Result<Config> {
    let account = tidy(account)?;
    let secret = secret.trim().to_string();
    if secret.is_empty() {
        return Err(CoreError::EmptySecret);
    }
    let mut config = Config::load(config_path)?;
    let username = account.username().to_string();
    let previous = config
        .provider
        .as_ref()
        .map(|p| p.username().to_string())
        .filter(|p| *p != username);
    secrets::blocking(store.clone(), move |s| s.set(&username, &secret)).await?;
    config.provider = Some(account);
    // Saving an account is asking to use it: a demo chosen earlier ends here.
    config.demo = None;
    config.save(config_path)?;
    // The replaced account's secret has no use any more; don't leave it behind.
    if let Some(previous) = previous {
        secrets::blocking(store, move |s| s.delete(&previous)).await?;
    }
    Ok(config)
}

/// Trims what was typed (blank optional fields mean "not set") and checks the shapes.
fn tidy(mut account: ProviderAccount) -> Result<ProviderAccount> {
    account.account_sid = account.account_sid.trim().to_string();
    account.api_key_sid = account
        .api_key_sid
        .map(|k| k.trim().to_string())
        .filter(|k| !k.is_empty());
    account.base_url = account
        .base_url
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty());
    account.validate()?;
    Ok(account)
}

/// What a successful connection test found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionReport {
    /// The API that answered.
    pub base_url: String,
    /// The account's SMS-capable numbers.
    pub sms_numbers: Vec<String>,
}

/// Tries the credentials against the provider without saving anything. An empty secret means
/// "the one already in the keyring for this account". Fails with the exact problem: a bad
/// SID/token pair, an unreachable address, or an address that is not the Twilio API.
pub async fn test_connection(
    store: Arc<dyn SecretStore>,
    account: ProviderAccount,
    secret: String,
) -> Result<ConnectionReport> {
    let account = tidy(account)?;
    let secret = match secret.trim() {
        "" => load_secret(store, &account).await.map_err(|e| match e {
            CoreError::MissingSecret => CoreError::EmptySecret,
            other => other,
        })?,
        typed => typed.to_string(),
    };
    let base_url = account.effective_base_url();
    let client = TwilioClient::with_policy(
        &base_url,
        TwilioCredentials {
            account_sid: account.account_sid.clone(),
            username: account.username().to_string(),
            secret,
        },
        Timeouts {
            connect: Duration::from_secs(5),
            request: Duration::from_secs(15),
        },
        RetryPolicy::default(),
    )?;
    let numbers = client.list_numbers().await.map_err(|e| match e {
        ProviderError::Unreachable(detail) | ProviderError::NoAnswer(detail) => {
            CoreError::CannotConnect {
                url: base_url.clone(),
                detail,
            }
        }
        other => CoreError::Provider(other),
    })?;
    Ok(ConnectionReport {
        base_url,
        sms_numbers: numbers
            .into_iter()
            .filter(|n| n.sms)
            .map(|n| n.number)
            .collect(),
    })
}

/// Forgets the account: its secret leaves the store and the config returns to demo mode.
pub async fn clear_account(store: Arc<dyn SecretStore>, config_path: &Path) -> Result<Config> {
    let mut config = Config::load(config_path)?;
    if let Some(account) = config.provider.take() {
        let username = account.username().to_string();
        secrets::blocking(store, move |s| s.delete(&username)).await?;
    }
    config.save(config_path)?;
    Ok(config)
}

/// Reads the account's secret; a missing one is a clear error, not an empty string.
pub async fn load_secret(store: Arc<dyn SecretStore>, account: &ProviderAccount) -> Result<String> {
    let username = account.username().to_string();
    secrets::blocking(store, move |s| s.get(&username))
        .await?
        .ok_or(CoreError::MissingSecret)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::AuthKind;
    use crate::secrets::MemorySecrets;

    fn account(sid: &str) -> ProviderAccount {
        ProviderAccount {
            account_sid: sid.into(),
            auth_kind: AuthKind::AuthToken,
            api_key_sid: None,
            base_url: Some("  ".into()),
        }
    }

    #[tokio::test]
    async fn secret_goes_to_the_store_and_never_to_the_config_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let store: Arc<dyn SecretStore> = Arc::new(MemorySecrets::default());
        let sid = format!("AC{}", "b".repeat(32));
        let config = save_account(
            store.clone(),
            &path,
            account(&format!(" {sid} ")),
            "tok-123".into(),
        )
        .await
        .unwrap();
        let saved = config.provider.unwrap();
        assert_eq!(saved.account_sid, sid);
        assert_eq!(saved.base_url, None, "a blank base URL means Twilio's");
        assert!(!std::fs::read_to_string(&path).unwrap().contains("tok-123"));
        assert_eq!(load_secret(store.clone(), &saved).await.unwrap(), "tok-123");

        // Switching to another account removes the first one's secret.
        let other = format!("AC{}", "d".repeat(32));
        save_account(store.clone(), &path, account(&other), "tok-456".into())
            .await
            .unwrap();
        assert_eq!(store.get(&sid).unwrap(), None);
        assert_eq!(store.get(&other).unwrap().as_deref(), Some("tok-456"));

        clear_account(store.clone(), &path).await.unwrap();
        assert_eq!(Config::load(&path).unwrap().provider, None);
        assert_eq!(
            load_secret(store.clone(), &saved).await.unwrap_err().code(),
            "missing_secret"
        );
        assert_eq!(store.get(&other).unwrap(), None);
    }

    #[tokio::test]
    async fn bad_input_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let store: Arc<dyn SecretStore> = Arc::new(MemorySecrets::default());
        let err = save_account(store.clone(), &path, account("ACnope"), "x".into())
            .await
            .unwrap_err();
        assert_eq!(err.code(), "invalid_account_sid");
        let err = save_account(
            store,
            &path,
            account(&format!("AC{}", "c".repeat(32))),
            " ".into(),
        )
        .await
        .unwrap_err();
        assert_eq!(err.code(), "empty_secret");
        assert!(!path.exists());
    }
}
