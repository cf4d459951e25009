//! Switchboard's desktop shell: a thin layer of Tauri commands over `switchboard-core`.

pub mod bridge;
pub mod commands;
pub mod contacts;
pub mod demo;
pub mod exports;
pub mod inbox;
pub mod insights;
pub mod instance;
pub mod logging;
pub mod notifications;
pub mod send_log;
pub mod state;
pub mod templates;
pub mod webview;
pub mod window;
pub mod wire;

use std::sync::Arc;

use switchboard_core::secrets::KeyringSecrets;
use tauri::{Manager, RunEvent};

use crate::state::{AppState, Paths};

/// Builds and runs the app until its window closes.
pub fn run() {
    let context = tauri::generate_context!();
    let identifier = context.config().identifier.clone();
    let app = tauri::Builder::default()
        // First, so a second copy hands over to the first before doing anything else.
        .plugin(instance::plugin(&identifier))
        .plugin(tauri_plugin_opener::init())
        // Size, position and maximised state come back as the person left them.
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .setup(|app| {
            // Before the page has drawn anything, so it never enters compositing mode.
            webview::tune(app.handle());
            let paths = Paths {
                data_dir: app.path().app_data_dir()?,
                log_dir: app.path().app_log_dir()?,
            };
            let guard = logging::init(&paths.log_dir);
            app.manage(LogGuard(guard));
            tracing::info!(data_dir = %paths.data_dir.display(), "starting Switchboard");
            let state = Arc::new(AppState::new(paths, Arc::new(KeyringSecrets::new())));
            state.start_in_background(app.handle());
            app.manage(state);
            window::save_after_changes(app.handle());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::connection_status,
            commands::history_status,
            inbox::list_conversations,
            commands::get_thread,
            commands::mark_read,
            commands::send_message,
            commands::check_message,
            commands::resend_message,
            commands::message_details,
            commands::mark_landline,
            commands::list_senders,
            commands::get_settings,
            commands::save_credentials,
            commands::test_connection,
            commands::clear_credentials,
            commands::get_preferences,
            commands::save_preferences,
            commands::open_folder,
            inbox::view_counts,
            inbox::list_team,
            inbox::save_member,
            inbox::remove_member,
            inbox::get_me,
            inbox::set_me,
            inbox::assign_conversation,
            inbox::claim_conversation,
            inbox::set_conversation_state,
            inbox::add_note,
            inbox::next_failed,
            templates::list_templates,
            templates::save_template,
            templates::approve_template,
            templates::delete_template,
            templates::preview_template,
            contacts::list_contacts,
            contacts::get_contact,
            contacts::contact_of_conversation,
            contacts::save_contact,
            contacts::search,
            contacts::preview_import,
            contacts::import_contacts,
            send_log::send_log,
            send_log::export_send_log,
            insights::insights,
            insights::insight_messages,
            insights::triage,
            insights::resend_failures,
            insights::dismiss_failures,
            insights::mark_landlines,
            insights::export_recipients,
        ])
        .build(context);
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            eprintln!("switchboard: could not start: {e}");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let RunEvent::Exit = event {
            // Background tasks stop cleanly so no write is cut off mid-transaction.
            if let Some(state) = handle.try_state::<Arc<AppState>>() {
                tauri::async_runtime::block_on(state.stop());
            }
        }
    });
}

/// Keeps the log file writer alive for the life of the app.
struct LogGuard(#[allow(dead_code)] Option<tracing_appender::non_blocking::WorkerGuard>);
