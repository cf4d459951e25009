//! `switchboard account connect | show | remove`: the app's Twilio account without a window,
//! for a shared machine or a script. Connect tests the credentials exactly as Settings → Test
//! connection does and saves them as Settings does: the identifiers to config.toml, the secret
//! to the keyring. The secret is read from standard input, never from a flag (which anyone on
//! the machine sees in the process list), and never printed.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::sync::Arc;

use serde_json::json;
use switchboard_core::config::{AuthKind, Config, ProviderAccount};
use switchboard_core::instance::DataDirLock;
use switchboard_core::secrets::{KeyringSecrets, SecretStore};
use switchboard_core::{installation, settings, CoreError};

/// What `account connect` was given.
pub struct Connect {
    /// `AC…`.
    pub account_sid: String,
    /// `SK…`, to sign in with an API key instead of the Auth Token.
    pub api_key_sid: Option<String>,
    /// Another Twilio-compatible API (the simulator, a proxy).
    pub base_url: Option<String>,
}

fn say(e: CoreError) -> String {
    match e {
        CoreError::AlreadyRunning { .. } => {
            "the app is open on this data folder: change the account in its Settings, or close it first".into()
        }
        e => format!("{e}. {}", e.hint()),
    }
}

/// The secret, from standard input: typed at a prompt without echo on a terminal, else the
/// first line of what is piped in.
fn read_secret(kind: AuthKind) -> Result<String, String> {
    let what = match kind {
        AuthKind::AuthToken => "Auth Token",
        AuthKind::ApiKey => "API key secret",
    };
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(format!("{what}: ")).map_err(|e| e.to_string());
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("could not read the {what} from standard input: {e}"))?;
    Ok(line.trim().to_string())
}

/// Tests the credentials, then saves them; prints what answered.
pub async fn connect(c: Connect, data_dir: Option<PathBuf>) -> Result<(), String> {
    let dir = crate::args::data_dir(data_dir)?;
    let _lock = DataDirLock::acquire(&dir).map_err(say)?;
    let account = ProviderAccount {
        account_sid: c.account_sid,
        auth_kind: if c.api_key_sid.is_some() {
            AuthKind::ApiKey
        } else {
            AuthKind::AuthToken
        },
        api_key_sid: c.api_key_sid,
        base_url: c.base_url,
    };
    account.validate().map_err(say)?;
    let secret = read_secret(account.auth_kind)?;
    if secret.is_empty() {
        return Err(say(CoreError::EmptySecret));
    }
    let secrets: Arc<dyn SecretStore> = Arc::new(KeyringSecrets::new());
    let report = settings::test_connection(secrets.clone(), account.clone(), secret.clone())
        .await
        .map_err(say)?;
    let config_path = installation::config_file(&dir);
    settings::save_account(secrets, &config_path, account.clone(), secret)
        .await
        .map_err(say)?;
    println!(
        "Connected to {} at {}.",
        account.account_sid, report.base_url
    );
    match report.sms_numbers.as_slice() {
        [] => println!("The account has no SMS-capable numbers yet."),
        numbers => println!("Its SMS numbers: {}.", numbers.join(", ")),
    }
    println!(
        "Saved: the identifiers in {}, the secret in the keyring.",
        config_path.display()
    );
    Ok(())
}

/// Prints the connected account (never its secret): whether the keyring holds one.
pub async fn show(json: bool, data_dir: Option<PathBuf>) -> Result<(), String> {
    let dir = crate::args::data_dir(data_dir)?;
    let config = crate::args::load_config(&dir)?;
    let Some(account) = config.provider.clone() else {
        if json {
            println!("{}", json!({ "account": null, "demo": config.demo() }));
        } else {
            println!("No Twilio account is connected; the app runs in demo mode.");
            println!("Connect one: switchboard account connect --account-sid AC… (the secret on standard input)");
        }
        return Ok(());
    };
    let secrets: Arc<dyn SecretStore> = Arc::new(KeyringSecrets::new());
    let secret = match settings::load_secret(secrets, &account).await {
        Ok(_) => "in_keyring",
        Err(CoreError::MissingSecret) => "missing",
        Err(e) => return Err(say(e)),
    };
    let base_url = account.effective_base_url();
    if json {
        println!(
            "{}",
            json!({
                "account": {
                    "account_sid": account.account_sid,
                    "auth_kind": match account.auth_kind {
                        AuthKind::AuthToken => "auth_token",
                        AuthKind::ApiKey => "api_key",
                    },
                    "api_key_sid": account.api_key_sid,
                    "base_url": base_url,
                    "secret": secret,
                },
                "demo": config.demo(),
            })
        );
        return Ok(());
    }
    println!("Account SID   {}", account.account_sid);
    match &account.api_key_sid {
        Some(key) if account.auth_kind == AuthKind::ApiKey => {
            println!("Signs in with  API key {key}")
        }
        _ => println!("Signs in with  the Auth Token"),
    }
    println!("Base URL      {base_url}");
    println!(
        "Secret        {}",
        if secret == "in_keyring" {
            "in the keyring"
        } else {
            "missing from the keyring: run switchboard account connect again"
        }
    );
    if config.demo() {
        println!("Demo mode is on in config.toml: the app runs the simulator, not this account.");
    }
    Ok(())
}

/// Forgets the account: its secret leaves the keyring and config.toml returns to demo mode.
pub async fn remove(data_dir: Option<PathBuf>) -> Result<(), String> {
    let dir = crate::args::data_dir(data_dir)?;
    let _lock = DataDirLock::acquire(&dir).map_err(say)?;
    let config_path = installation::config_file(&dir);
    let before = Config::load(&config_path).map_err(say)?;
    let Some(account) = before.provider else {
        println!("No Twilio account was connected.");
        return Ok(());
    };
    let secrets: Arc<dyn SecretStore> = Arc::new(KeyringSecrets::new());
    settings::clear_account(secrets, &config_path)
        .await
        .map_err(say)?;
    println!(
        "Removed {}: its secret is gone from the keyring; the app runs in demo mode.",
        account.account_sid
    );
    Ok(())
}
