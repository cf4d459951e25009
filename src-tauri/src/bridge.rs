//! Maps the core's events to window events, merging bursts so a sync round that touches many
//! conversations causes one refresh, not hundreds; the provider's reachability and the history
//! load's progress are passed on at once. (Desktop notifications: notifications.rs.)

use std::collections::BTreeSet;
use std::time::Duration;

use switchboard_core::events::{CoreEvent, Events};
use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::error::RecvError;

use crate::wire::{ChangedEvent, ConnectionView, HistoryView};

/// The window event carrying [`ChangedEvent`].
pub const CONVERSATIONS_CHANGED: &str = "conversations-changed";

/// The window event carrying [`ConnectionView`].
pub const CONNECTION_CHANGED: &str = "connection-changed";

/// The window event carrying [`HistoryView`].
pub const HISTORY_PROGRESS: &str = "history-progress";

/// How long to gather events before telling the window.
const MERGE_WINDOW: Duration = Duration::from_millis(100);

/// Starts forwarding; the task ends when the core's channel closes or it is aborted.
pub fn spawn(app: AppHandle, events: Events) -> tauri::async_runtime::JoinHandle<()> {
    let mut rx = events.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            let mut ids = BTreeSet::new();
            match rx.recv().await {
                Ok(event) => collect(&app, &mut ids, event),
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => break,
            }
            let deadline = tokio::time::sleep(MERGE_WINDOW);
            tokio::pin!(deadline);
            loop {
                tokio::select! {
                    _ = &mut deadline => break,
                    next = rx.recv() => match next {
                        Ok(event) => collect(&app, &mut ids, event),
                        Err(RecvError::Lagged(_)) => {}
                        Err(RecvError::Closed) => break,
                    },
                }
            }
            let payload = ChangedEvent {
                conversation_ids: ids.into_iter().collect(),
            };
            if let Err(e) = app.emit(CONVERSATIONS_CHANGED, payload) {
                tracing::warn!(error = %e, "could not notify the window");
            }
        }
    })
}

fn collect(app: &AppHandle, ids: &mut BTreeSet<i64>, event: CoreEvent) {
    match event {
        CoreEvent::ConversationChanged { conversation_id } => {
            ids.insert(conversation_id);
        }
        CoreEvent::MessageReceived(arrival) => {
            ids.insert(arrival.conversation_id);
        }
        // The window reloads the list and the open thread on every event.
        CoreEvent::TeamChanged => {}
        CoreEvent::HistoryProgress(progress) => {
            if let Err(e) = app.emit(HISTORY_PROGRESS, HistoryView::from(progress)) {
                tracing::warn!(error = %e, "could not tell the window about the history load");
            }
        }
        CoreEvent::ConnectionChanged { online } => {
            let payload = ConnectionView {
                online: Some(online),
            };
            if let Err(e) = app.emit(CONNECTION_CHANGED, payload) {
                tracing::warn!(error = %e, "could not tell the window about the connection");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// The window listens by these names (ui/src/lib/ipc/client.ts, EVENTS): both copies must
    /// agree.
    #[test]
    fn the_window_listens_for_every_event_by_its_name() {
        let client = include_str!("../../ui/src/lib/ipc/client.ts");
        for name in [
            super::CONVERSATIONS_CHANGED,
            super::CONNECTION_CHANGED,
            super::HISTORY_PROGRESS,
            crate::notifications::OPEN_CONVERSATION,
        ] {
            assert!(
                client.contains(&format!("\"{name}\"")),
                "client.ts's EVENTS lacks {name}"
            );
        }
    }
}
