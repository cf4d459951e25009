//! Domain events the core emits; the shell maps them to window events without the core knowing.

use tokio::sync::broadcast;

/// Something changed that a view may need to show.
#[derive(Debug, Clone, PartialEq)]
pub enum CoreEvent {
    /// A conversation's messages, statuses or counters changed.
    ConversationChanged {
        /// Which one.
        conversation_id: i64,
    },
    /// A customer wrote in (history synced late is old news: `Arrival::is_news`).
    MessageReceived(crate::notices::Arrival),
    /// The history load stored another page.
    HistoryProgress(crate::backfill::HistoryProgress),
    /// The team changed (a member left, so their conversations are nobody's now).
    TeamChanged,
    /// The provider became reachable or unreachable.
    ConnectionChanged {
        /// Whether calls get answers again.
        online: bool,
    },
}

/// A fan-out channel of [`CoreEvent`]s. Slow listeners miss old events rather than block the core.
#[derive(Debug, Clone)]
pub struct Events {
    tx: broadcast::Sender<CoreEvent>,
}

impl Default for Events {
    fn default() -> Self {
        Self {
            tx: broadcast::channel(1024).0,
        }
    }
}

impl Events {
    /// Publishes an event; having no listener is fine.
    pub fn emit(&self, event: CoreEvent) {
        let _ = self.tx.send(event);
    }

    /// A new listener that sees events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<CoreEvent> {
        self.tx.subscribe()
    }
}
