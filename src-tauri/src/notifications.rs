//! Desktop notifications for customers' new messages. Arrivals within a moment of each other
//! become one notification, whose words core's `notices::notice` chooses (who wrote, to which
//! number, the text made safe, or the title alone); a click on it brings the window forward
//! on that conversation. A desktop without a notification server only loses the pop-up: the
//! inbox still shows the message.

use std::time::Duration;

use switchboard_core::events::{CoreEvent, Events};
use switchboard_core::notices::{self, Arrival, Notice};
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;

use crate::wire::OpenConversationEvent;

/// The window event a click on a notification sends, carrying [`OpenConversationEvent`].
pub const OPEN_CONVERSATION: &str = "open-conversation";

/// How long after a first arrival others are gathered into the same notification: a sync
/// round stores a burst one message at a time.
const GATHER: Duration = Duration::from_millis(1500);

/// Starts notifying; the task ends when the core's channel closes or it is aborted.
/// `show_text` off shows who wrote and nothing of what (config.toml `notification_text`).
pub fn spawn(
    app: AppHandle,
    events: &Events,
    show_text: bool,
) -> tauri::async_runtime::JoinHandle<()> {
    let mut rx = events.subscribe();
    tauri::async_runtime::spawn(async move {
        while let Some(first) = next_news(&mut rx).await {
            let mut burst = vec![first];
            let gathered = tokio::time::sleep(GATHER);
            tokio::pin!(gathered);
            let mut closed = false;
            loop {
                tokio::select! {
                    _ = &mut gathered => break,
                    next = next_news(&mut rx) => match next {
                        Some(a) => burst.push(a),
                        None => {
                            closed = true;
                            break;
                        }
                    },
                }
            }
            if let Some(notice) = notices::notice(&burst, show_text) {
                show(&app, notice);
            }
            if closed {
                break;
            }
        }
    })
}

/// The next customer message that is news (not history caught up on); `None` once the core's
/// channel closes.
async fn next_news(rx: &mut Receiver<CoreEvent>) -> Option<Arrival> {
    loop {
        match rx.recv().await {
            Ok(CoreEvent::MessageReceived(a)) if a.is_news(chrono::Utc::now()) => return Some(a),
            Ok(_) | Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => return None,
        }
    }
}

/// Shows a notification on a thread of its own: the D-Bus call blocks, and so does waiting for
/// the click, until the notification is closed.
fn show(app: &AppHandle, notice: Notice) {
    let app = app.clone();
    std::thread::spawn(move || {
        let mut note = notify_rust::Notification::new();
        note.appname("Switchboard").summary(&notice.title);
        if let Some(body) = &notice.body {
            note.body(body);
        }
        // The default action is what a click on the notification itself does.
        note.action("default", "Open");
        match note.show() {
            Ok(handle) => {
                #[cfg(target_os = "linux")]
                handle.wait_for_action(|action| {
                    if action == "default" {
                        open(&app, notice.conversation_id);
                    }
                });
                #[cfg(not(target_os = "linux"))]
                drop(handle);
            }
            Err(e) => tracing::debug!(error = %e, "could not show a desktop notification"),
        }
    });
}

/// Brings the window forward and asks it to open the conversation (the inbox for a burst
/// over several).
fn open(app: &AppHandle, conversation_id: Option<i64>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    if let Err(e) = app.emit(OPEN_CONVERSATION, OpenConversationEvent { conversation_id }) {
        tracing::warn!(error = %e, "could not tell the window to open a conversation");
    }
}
