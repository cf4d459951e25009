//! The window's commands. Each is async (so it never blocks the UI thread) and a few lines that
//! call the core and convert to wire types.

use std::sync::Arc;

use switchboard_core::config::Config;
use switchboard_core::secrets;
use switchboard_core::settings;
use tauri::{AppHandle, State};

use crate::state::AppState;
use crate::wire::*;

type CmdResult<T> = Result<T, IpcError>;

/// What the window needs to know about the app.
#[tauri::command]
pub async fn app_info(state: State<'_, Arc<AppState>>) -> CmdResult<AppInfo> {
    let (demo, provider_base_url, problem) = state.status().await;
    Ok(AppInfo {
        demo,
        version: env!("CARGO_PKG_VERSION").to_string(),
        data_dir: state.paths.data_dir.display().to_string(),
        log_dir: state.paths.log_dir.display().to_string(),
        provider_base_url,
        problem,
    })
}

/// Whether the provider answers, as last seen; `connection-changed` reports changes.
#[tauri::command]
pub async fn connection_status(state: State<'_, Arc<AppState>>) -> CmdResult<ConnectionView> {
    Ok(ConnectionView {
        online: state.services().await?.provider_online(),
    })
}

/// How far the history load has come; `null` before it started. `history-progress` reports
/// each page.
#[tauri::command]
pub async fn history_status(state: State<'_, Arc<AppState>>) -> CmdResult<Option<HistoryView>> {
    Ok(state.services().await?.history().await?.map(Into::into))
}

/// One conversation with its messages.
#[tauri::command]
pub async fn get_thread(
    state: State<'_, Arc<AppState>>,
    conversation_id: i64,
) -> CmdResult<ThreadView> {
    let thread = state.services().await?.thread(conversation_id).await?;
    Ok(ThreadView {
        conversation: thread.conversation.into(),
        messages: thread.messages.into_iter().map(Into::into).collect(),
        notes: thread.notes.into_iter().map(Into::into).collect(),
    })
}

/// Marks a conversation as read.
#[tauri::command]
pub async fn mark_read(state: State<'_, Arc<AppState>>, conversation_id: i64) -> CmdResult<()> {
    Ok(state.services().await?.mark_read(conversation_id).await?)
}

/// Queues a message; it shows as pending at once and its status follows by event.
#[tauri::command]
pub async fn send_message(
    state: State<'_, Arc<AppState>>,
    request: SendRequest,
) -> CmdResult<MessageView> {
    let services = state.services().await?;
    let mut input: switchboard_core::outbox::SendInput = request.into();
    input.author_id = state.me(&services).await?.map(|m| m.id);
    Ok(services.send(input).await?.into())
}

/// The checks before sending, for the composer as the user types: findings, the number as
/// understood, and what the text costs.
#[tauri::command]
pub async fn check_message(
    state: State<'_, Arc<AppState>>,
    request: SendRequest,
) -> CmdResult<CheckView> {
    let services = state.services().await?;
    Ok(services.check(&request.into()).await?.into())
}

/// Everything known about one message: its status changes, every call to the provider, price.
#[tauri::command]
pub async fn message_details(
    state: State<'_, Arc<AppState>>,
    message_id: i64,
) -> CmdResult<MessageDetailsView> {
    Ok(state
        .services()
        .await?
        .message_details(message_id)
        .await?
        .into())
}

/// Resends a failed message with what the person changed (number, text), or unchanged where its
/// error allows a retry; the new message is linked to the failed one.
#[tauri::command]
pub async fn resend_message(
    state: State<'_, Arc<AppState>>,
    request: ResendRequest,
) -> CmdResult<MessageView> {
    let services = state.services().await?;
    let mut input: switchboard_core::resend::ResendInput = request.into();
    input.author_id = state.me(&services).await?.map(|m| m.id);
    Ok(services.resend(input).await?.into())
}

/// Remembers that a number is a landline (a fix offered on failures that suggest it).
#[tauri::command]
pub async fn mark_landline(state: State<'_, Arc<AppState>>, number: String) -> CmdResult<()> {
    Ok(state.services().await?.mark_landline(&number).await?)
}

/// Our sender numbers.
#[tauri::command]
pub async fn list_senders(state: State<'_, Arc<AppState>>) -> CmdResult<Vec<SenderView>> {
    let services = state.services().await?;
    Ok(services
        .senders()
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// The account as Settings shows it.
#[tauri::command]
pub async fn get_settings(state: State<'_, Arc<AppState>>) -> CmdResult<SettingsView> {
    settings_view(&state).await
}

/// Stores the credentials (secret to the keyring) and reconnects with them.
#[tauri::command]
pub async fn save_credentials(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    input: CredentialsInput,
) -> CmdResult<SettingsView> {
    let (account, secret) = input.into_parts();
    settings::save_account(
        state.secrets.clone(),
        &state.paths.config_file(),
        account,
        secret,
    )
    .await?;
    state.restart(&app).await;
    settings_view(&state).await
}

/// Tries credentials without saving them (a blank secret means the saved one).
#[tauri::command]
pub async fn test_connection(
    state: State<'_, Arc<AppState>>,
    input: CredentialsInput,
) -> CmdResult<ConnectionReport> {
    let (account, secret) = input.into_parts();
    let report = settings::test_connection(state.secrets.clone(), account, secret).await?;
    Ok(report.into())
}

/// Forgets the credentials and returns to the demo.
#[tauri::command]
pub async fn clear_credentials(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
) -> CmdResult<SettingsView> {
    settings::clear_account(state.secrets.clone(), &state.paths.config_file()).await?;
    state.restart(&app).await;
    settings_view(&state).await
}

async fn settings_view(state: &AppState) -> CmdResult<SettingsView> {
    let config = Config::load(&state.paths.config_file())?;
    let store = state.secrets.clone();
    let backend = store.backend().to_string();
    let account = config.provider.clone();
    // One trip to the keyring, off the async workers: is it usable, and is our secret there?
    let probe = secrets::blocking(store, move |s| {
        s.probe()?;
        match &account {
            Some(a) => s.get(a.username()).map(|v| v.is_some()),
            None => Ok(false),
        }
    })
    .await;
    let (keyring, has_secret) = match probe {
        Ok(has) => (
            KeyringStatus {
                available: true,
                backend,
                problem: None,
            },
            has,
        ),
        Err(e) => (
            KeyringStatus {
                available: false,
                backend,
                problem: Some(format!("{e}. {}", e.hint())),
            },
            false,
        ),
    };
    let provider = config.provider;
    Ok(SettingsView {
        account_sid: provider.as_ref().map(|p| p.account_sid.clone()),
        auth_kind: provider
            .as_ref()
            .map(|p| p.auth_kind.into())
            .unwrap_or(AuthKind::AuthToken),
        api_key_sid: provider.as_ref().and_then(|p| p.api_key_sid.clone()),
        has_secret,
        // Only what the user configured: an environment override must not be saved back.
        base_url: provider.and_then(|p| p.base_url).unwrap_or_default(),
        keyring,
    })
}

/// The sending rules and every sender number with its label.
#[tauri::command]
pub async fn get_preferences(state: State<'_, Arc<AppState>>) -> CmdResult<PreferencesView> {
    let config = Config::load(&state.paths.config_file())?;
    let prefs = switchboard_core::preferences::Preferences::of(&config);
    // The account's numbers come from the provider; labels from the settings file win.
    let mut senders: Vec<SenderView> = match state.services().await {
        Ok(services) => services
            .senders()
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
        Err(_) => Vec::new(),
    };
    for (number, label) in prefs.sender_labels {
        match senders.iter_mut().find(|s| s.number == number) {
            Some(s) => s.label = label,
            None => senders.push(SenderView { number, label }),
        }
    }
    Ok(PreferencesView {
        default_region: prefs.default_region,
        allowed_countries: prefs.allowed_countries,
        quiet_from: prefs
            .quiet_hours
            .map(|h| h.start.format("%H:%M").to_string()),
        quiet_to: prefs.quiet_hours.map(|h| h.end.format("%H:%M").to_string()),
        duplicate_minutes: prefs.duplicate_minutes,
        senders,
        opt_out_keywords: prefs.opt_out_keywords,
        opt_in_keywords: prefs.opt_in_keywords,
        demo: prefs.demo,
        notification_text: prefs.notification_text,
    })
}

/// Saves the sending rules and sender labels, then restarts the inbox so they apply.
#[tauri::command]
pub async fn save_preferences(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    request: PreferencesView,
) -> CmdResult<PreferencesView> {
    let quiet_hours = match (request.quiet_from.as_deref(), request.quiet_to.as_deref()) {
        (Some(from), Some(to)) => Some(
            format!("{from}-{to}")
                .parse::<switchboard_core::recipient_time::QuietHours>()
                .map_err(|e| switchboard_core::CoreError::InvalidField {
                    field: "quiet_hours",
                    problem: e.to_string(),
                    fix: "Give both times, and different ones; or turn quiet hours off.".into(),
                })?,
        ),
        _ => None,
    };
    switchboard_core::preferences::save(
        &state.paths.config_file(),
        &switchboard_core::preferences::Preferences {
            default_region: request.default_region,
            allowed_countries: request.allowed_countries,
            quiet_hours,
            duplicate_minutes: request.duplicate_minutes,
            sender_labels: request
                .senders
                .into_iter()
                .map(|s| (s.number, s.label))
                .collect(),
            opt_out_keywords: request.opt_out_keywords,
            opt_in_keywords: request.opt_in_keywords,
            demo: request.demo,
            notification_text: request.notification_text,
        },
    )?;
    state.restart(&app).await;
    get_preferences(state).await
}

/// Opens the data or the log folder in the file manager.
#[tauri::command]
pub async fn open_folder(
    app: AppHandle,
    state: State<'_, Arc<AppState>>,
    which: String,
) -> CmdResult<()> {
    use tauri_plugin_opener::OpenerExt;
    let path = match which.as_str() {
        "data" => state.paths.data_dir.clone(),
        "logs" => state.paths.log_dir.clone(),
        _ => {
            return Err(switchboard_core::CoreError::InvalidField {
                field: "which",
                problem: format!("“{which}” is not a folder Switchboard keeps"),
                fix: "Use the buttons under About in Settings.".into(),
            }
            .into())
        }
    };
    std::fs::create_dir_all(&path).map_err(switchboard_core::CoreError::from)?;
    app.opener()
        .open_path(path.display().to_string(), None::<&str>)
        .map_err(|e| IpcError {
            code: "cannot_open".into(),
            message: format!("The folder could not be opened: {e}"),
            hint: format!("Open it in your file manager yourself: {}", path.display()),
        })
}
