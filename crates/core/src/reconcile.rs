//! Settling sends whose outcome is unknown (no answer, a 5xx, a crash mid-call): the message is
//! looked up at the provider before anything is sent again. Found → its SID is adopted. Not found
//! after a few lookups → it is queued once more, as a new attempt. Twilio has no idempotency
//! key, so this lookup is what keeps one user action to one SMS.

use std::sync::Arc;

use chrono::Duration;

use crate::domain::{Direction, Message};
use crate::error::Result;
use crate::events::{CoreEvent, Events};
use crate::provider::{ListQuery, Provider, ProviderMessage};
use crate::store::attempts::{self, AttemptKind, Outcome};
use crate::store::{messages, Store};

/// Lookups that must all come back empty before a message is sent again.
pub const LOOKUPS_BEFORE_RESEND: i64 = 3;
/// Messages settled per pass.
const BATCH: u32 = 50;
/// Pages of the recipient's history searched per lookup.
const LOOKBACK_PAGES: usize = 5;

/// How far the provider's creation time may sit from ours and still be the same message: a
/// little before (clock skew) and a while after (a slow answer).
fn window(m: &Message) -> (chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>) {
    (
        m.created_at - Duration::minutes(2),
        m.created_at + Duration::minutes(10),
    )
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    /// Messages whose SID was found and adopted.
    pub adopted: usize,
    /// Messages queued again after their lookups came back empty.
    pub requeued: usize,
    /// Messages still waiting for another lookup.
    pub waiting: usize,
}

/// Looks up every unconfirmed message once. Stops early if the provider cannot be asked.
pub async fn pass(store: &Store, provider: &Arc<dyn Provider>, events: &Events) -> Result<Pass> {
    let mut result = Pass::default();
    for m in messages::unconfirmed(store.pool(), BATCH).await? {
        let mut tx = store.write().await?;
        let attempt = attempts::start(&mut tx, m.id, AttemptKind::Lookup).await?;
        tx.commit().await?;
        let found = find(store, provider.as_ref(), &m).await;
        let mut tx = store.write().await?;
        match found {
            Ok(Some(at_provider)) => {
                messages::apply_provider_state(&mut tx, m.id, &at_provider).await?;
                let detail = format!("found at the provider as {}", at_provider.sid);
                attempts::finish(
                    &mut tx,
                    attempt,
                    Outcome::Accepted,
                    Some(200),
                    None,
                    Some(&detail),
                )
                .await?;
                result.adopted += 1;
            }
            Ok(None) => {
                attempts::finish(
                    &mut tx,
                    attempt,
                    Outcome::Failed,
                    Some(200),
                    Some("not_found"),
                    Some("not found at the provider"),
                )
                .await?;
                if messages::lookups_since_last_create(&mut tx, m.id).await?
                    >= LOOKUPS_BEFORE_RESEND
                {
                    messages::requeue_unconfirmed(&mut tx, m.id).await?;
                    result.requeued += 1;
                } else {
                    result.waiting += 1;
                }
            }
            Err(e) => {
                attempts::finish_failed(&mut tx, attempt, &e).await?;
                tx.commit().await?;
                return Err(e.into());
            }
        }
        tx.commit().await?;
        events.emit(CoreEvent::ConversationChanged {
            conversation_id: m.conversation_id,
        });
    }
    Ok(result)
}

/// Searches the recipient's recent messages from our number for this body, created around the
/// time we sent it, and not already adopted by another of our messages.
async fn find(
    store: &Store,
    provider: &dyn Provider,
    m: &Message,
) -> std::result::Result<Option<ProviderMessage>, crate::provider::ProviderError> {
    let query = ListQuery {
        to: Some(m.to.clone()),
        from: Some(m.from.clone()),
        sent_on_or_after: None,
        page_size: 50,
    };
    let (earliest, latest) = window(m);
    let mut cursor = None;
    for _ in 0..LOOKBACK_PAGES {
        let page = provider.list(&query, cursor.as_ref()).await?;
        let mut past_window = false;
        for candidate in page.messages {
            let created = candidate.created_at.unwrap_or(m.created_at);
            past_window |= created < earliest;
            if candidate.direction == Direction::Outbound
                && candidate.body == m.body
                && (earliest..=latest).contains(&created)
                && !messages::sid_known(store.pool(), &candidate.sid)
                    .await
                    .unwrap_or(true)
            {
                return Ok(Some(candidate));
            }
        }
        match page.next {
            Some(next) if !past_window => cursor = Some(next),
            _ => break,
        }
    }
    Ok(None)
}
