//! A WebKitGTK window of the app's size showing one line of text, its web view set up as the
//! app sets up its own (src-tauri/src/webview.rs), and nothing else: no Tauri, no core, no UI.
//! `make bench` measures its idle memory beside the app's, so the table tells WebKit's share
//! (with the GL stack under it) from ours.

#[cfg(target_os = "linux")]
fn main() {
    use gtk::prelude::*;
    use webkit2gtk::{
        CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
    };

    if let Err(e) = gtk::init() {
        eprintln!("webview-floor: GTK cannot start ({e}); run it on a display, or under xvfb-run");
        std::process::exit(1);
    }
    let window = gtk::Window::new(gtk::WindowType::Toplevel);
    // The app's window size (src-tauri/tauri.conf.json): the view's backing store scales with it.
    window.set_default_size(1200, 800);
    let view = webkit2gtk::WebView::new();
    // As the app ships: no accelerated compositing, the small cache model.
    if let Some(settings) = WebViewExt::settings(&view) {
        settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
    }
    if let Some(context) = view.context() {
        context.set_cache_model(CacheModel::DocumentViewer);
    }
    view.load_html(
        "<!doctype html><title>Switchboard</title><p>Switchboard</p>",
        None,
    );
    window.add(&view);
    window.connect_destroy(|_| gtk::main_quit());
    window.show_all();
    gtk::main();
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!(
        "webview-floor: WebKitGTK is the Linux web view; elsewhere there is no floor to measure"
    );
    std::process::exit(1);
}
