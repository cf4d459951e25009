//! One app per data folder. Starting Switchboard again brings the open window forward (the
//! single-instance plugin, over the D-Bus session bus); where that cannot work (no session
//! bus), the core's lock on the data folder still refuses a second writer with a clear message.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;

use tauri::{AppHandle, Manager, Runtime};

/// The plugin, keyed by the data folder, so two copies with different folders (a second
/// profile, parallel tests) each run while two on the same folder never do.
pub fn plugin<R: Runtime>(identifier: &str) -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_single_instance::Builder::new()
        .dbus_id(dbus_id(identifier, &data_home()))
        .callback(|app, _argv, _cwd| focus(app))
        .build()
}

/// Where the OS keeps app data (`$XDG_DATA_HOME`, else `~/.local/share`), the root Tauri puts
/// the app's data folder in; known before Tauri starts.
fn data_home() -> PathBuf {
    std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_default()
}

/// A D-Bus name for this identifier and data root. Both copies run the same binary, so the
/// hash agrees between them; a name element may not start with a digit, hence the `d`.
fn dbus_id(identifier: &str, data_home: &std::path::Path) -> String {
    let mut hasher = DefaultHasher::new();
    data_home.hash(&mut hasher);
    format!("{identifier}.d{:016x}", hasher.finish())
}

/// Brings the main window forward.
fn focus<R: Runtime>(app: &AppHandle<R>) {
    tracing::info!("Switchboard was started again; showing the open window");
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_follows_the_data_folder_and_is_a_valid_dbus_name() {
        let a = dbus_id(
            "app.switchboard.desktop",
            std::path::Path::new("/home/a/.local/share"),
        );
        let b = dbus_id(
            "app.switchboard.desktop",
            std::path::Path::new("/tmp/other"),
        );
        assert_ne!(a, b);
        assert_eq!(
            a,
            dbus_id(
                "app.switchboard.desktop",
                std::path::Path::new("/home/a/.local/share")
            )
        );
        let last = a.rsplit('.').next().unwrap();
        assert!(last.starts_with('d') && last.len() == 17);
        assert!(a.len() < 255);
    }
}
