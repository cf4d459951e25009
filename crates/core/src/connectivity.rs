//! Whether the provider can be reached right now, learnt from every call's outcome: the window
//! shows "waiting for connection" from it, and the outbox wakes the moment it comes back.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use tokio::sync::Notify;

use crate::events::{CoreEvent, Events};
use crate::provider::ProviderError;

const UNKNOWN: u8 = 0;
const ONLINE: u8 = 1;
const OFFLINE: u8 = 2;

/// The provider's reachability as last seen.
#[derive(Debug, Clone)]
pub struct Connectivity {
    state: Arc<AtomicU8>,
    back_online: Arc<Notify>,
    events: Events,
}

impl Connectivity {
    /// Unknown until the first call answers.
    pub fn new(events: Events) -> Self {
        Self {
            state: Arc::new(AtomicU8::new(UNKNOWN)),
            back_online: Arc::new(Notify::new()),
            events,
        }
    }

    /// `Some(true)` once a call got an answer, `Some(false)` after one could not connect.
    pub fn online(&self) -> Option<bool> {
        match self.state.load(Ordering::Acquire) {
            ONLINE => Some(true),
            OFFLINE => Some(false),
            _ => None,
        }
    }

    /// Learns from one call's outcome. Any answer, even a refusal, proves the provider is
    /// reachable; a silence after connecting proves nothing either way.
    pub fn observe<T>(&self, outcome: &Result<T, ProviderError>) {
        let next = match outcome {
            Err(ProviderError::Unreachable(_)) => OFFLINE,
            Err(ProviderError::NoAnswer(_)) => return,
            _ => ONLINE,
        };
        let before = self.state.swap(next, Ordering::AcqRel);
        if before == next {
            return;
        }
        if next == ONLINE {
            self.back_online.notify_waiters();
        }
        if before != UNKNOWN || next == OFFLINE {
            self.events.emit(CoreEvent::ConnectionChanged {
                online: next == ONLINE,
            });
        }
    }

    /// Resolves the next time the provider answers after having been unreachable.
    pub async fn back_online(&self) {
        self.back_online.notified().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_of_any_kind_means_online_and_a_refused_connection_offline() {
        let c = Connectivity::new(Events::default());
        assert_eq!(c.online(), None);
        c.observe::<()>(&Err(ProviderError::Unreachable("refused".into())));
        assert_eq!(c.online(), Some(false));
        c.observe::<()>(&Err(ProviderError::NoAnswer("timeout".into())));
        assert_eq!(c.online(), Some(false), "silence proves nothing");
        c.observe::<()>(&Err(ProviderError::RateLimited {
            code: "20429".into(),
        }));
        assert_eq!(c.online(), Some(true));
    }

    #[tokio::test]
    async fn changes_are_announced_once_each() {
        let events = Events::default();
        let mut rx = events.subscribe();
        let c = Connectivity::new(events);
        c.observe(&Ok(()));
        c.observe::<()>(&Err(ProviderError::Unreachable("down".into())));
        c.observe::<()>(&Err(ProviderError::Unreachable("still down".into())));
        c.observe(&Ok(()));
        let mut seen = Vec::new();
        while let Ok(e) = rx.try_recv() {
            seen.push(e);
        }
        assert_eq!(
            seen,
            vec![
                CoreEvent::ConnectionChanged { online: false },
                CoreEvent::ConnectionChanged { online: true },
            ]
        );
    }
}
