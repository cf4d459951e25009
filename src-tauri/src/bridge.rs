//! Maps the core's events to window events, merging bursts so a sync round that touches many
//! conversations causes one refresh, not hundreds.

use std::collections::BTreeSet;
use std::time::Duration;

use switchboard_core::events::{CoreEvent, Events};
use tauri::{AppHandle, Emitter};
use tokio::sync::broadcast::error::RecvError;

use crate::wire::ChangedEvent;

/// The window event carrying [`ChangedEvent`].
pub const CONVERSATIONS_CHANGED: &str = "conversations-changed";

/// How long to gather events before telling the window.
const MERGE_WINDOW: Duration = Duration::from_millis(100);

/// Starts forwarding; the task ends when the core's channel closes or it is aborted.
pub fn spawn(app: AppHandle, events: Events) -> tauri::async_runtime::JoinHandle<()> {
    let mut rx = events.subscribe();
    tauri::async_runtime::spawn(async move {
        loop {
            let mut ids = BTreeSet::new();
            match rx.recv().await {
                Ok(event) => collect(&mut ids, event),
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => break,
            }
            let deadline = tokio::time::sleep(MERGE_WINDOW);
            tokio::pin!(deadline);
            loop {
                tokio::select! {
                    _ = &mut deadline => break,
                    next = rx.recv() => match next {
                        Ok(event) => collect(&mut ids, event),
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

fn collect(ids: &mut BTreeSet<i64>, event: CoreEvent) {
    match event {
        CoreEvent::ConversationChanged { conversation_id }
        | CoreEvent::MessageReceived {
            conversation_id, ..
        } => {
            ids.insert(conversation_id);
        }
    }
}
