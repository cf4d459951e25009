//! The window's size and position, remembered. The window-state plugin writes them to disk only
//! when the app exits cleanly; a kill, a crash or a power cut would lose them, so they are also
//! written shortly after the window stops moving or resizing.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tauri::{AppHandle, Manager, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// Quiet time after the last move or resize before the state is written.
const SETTLE: Duration = Duration::from_millis(400);

/// Writes the window state after each burst of moves and resizes of the main window.
pub fn save_after_changes(app: &AppHandle) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let generation = Arc::new(AtomicU64::new(0));
    let app = app.clone();
    window.on_window_event(move |event| {
        if !matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
            return;
        }
        let mine = generation.fetch_add(1, Ordering::SeqCst) + 1;
        let (generation, app) = (generation.clone(), app.clone());
        tauri::async_runtime::spawn(async move {
            tokio::time::sleep(SETTLE).await;
            if generation.load(Ordering::SeqCst) == mine {
                if let Err(e) = app.save_window_state(StateFlags::all()) {
                    tracing::debug!(error = %e, "could not save the window's size and position");
                }
            }
        });
    });
}
