//! Settings of the window's web view that Tauri does not expose.

use tauri::{AppHandle, Manager};

/// Set (to anything) to keep WebKit's accelerated compositing on. The end-to-end tests set it:
/// WebKitWebDriver's screenshots never return from a view without compositing.
pub const COMPOSITING_ENV: &str = "SWITCHBOARD_WEBVIEW_COMPOSITING";

/// Turns off WebKitGTK's accelerated compositing and keeps its memory caches small. The inbox
/// is a list, a thread and forms: nothing that needs GPU layers. With compositing on, the web
/// process holds a GL surface per layer, which on a machine without a usable GPU (software GL:
/// virtual machines, remote desktops) cost about 95 MB; the smaller cache model drops decoded
/// resources a browser keeps for back and forward, which a one-page app never uses.
pub fn tune(app: &AppHandle) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let tuned = window.with_webview(|webview| {
        #[cfg(target_os = "linux")]
        {
            use webkit2gtk::{
                CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
            };
            let view = webview.inner();
            if let Some(settings) = WebViewExt::settings(&view) {
                if std::env::var_os(COMPOSITING_ENV).is_none() {
                    settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
                }
            }
            if let Some(context) = view.context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        }
        #[cfg(not(target_os = "linux"))]
        let _ = webview;
    });
    if let Err(e) = tuned {
        tracing::warn!(error = %e, "could not tune the web view; it runs with WebKit's defaults");
    }
}
