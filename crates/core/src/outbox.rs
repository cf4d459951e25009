//! Sending: a message is written to SQLite before any HTTP call, then a single worker hands
//! queued messages to the provider in the order they were written.

use std::sync::Arc;
use std::time::Duration;

use sqlx::SqliteConnection;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::checks::{self, CheckReport, CheckSettings, Draft};
use crate::connectivity::Connectivity;
use crate::domain::{Message, MessageStatus};
use crate::error::{CoreError, Result};
use crate::events::{CoreEvent, Events};
use crate::number;
use crate::provider::{OutboundRequest, Provider, ProviderError};
use crate::reconcile;
use crate::store::attempts::{self, AttemptKind, Outcome};
use crate::store::messages::{self, NewOutbound, OutboxState};
use crate::store::{contacts, conversations, senders, Store};

/// Code stored on a message whose create got an error or unreadable answer after reaching the
/// provider.
pub const UNCONFIRMED: &str = "provider_unconfirmed";

/// What a person asked to send.
#[derive(Debug, Clone, Default)]
pub struct SendInput {
    /// Reply in this conversation…
    pub conversation_id: Option<i64>,
    /// …or start one with this number…
    pub to: Option<String>,
    /// …from this sender number (the first one when absent).
    pub from: Option<String>,
    /// The text.
    pub body: String,
    /// The team member writing.
    pub author_id: Option<i64>,
    /// The person chose "send anyway" for the checks that ask (never enough for a block).
    pub confirmed: bool,
    /// The approved template the text was written from (its media go along).
    pub template_id: Option<i64>,
}

/// The outbox: takes messages in and sends them out.
#[derive(Clone)]
pub struct Outbox {
    store: Store,
    provider: Arc<dyn Provider>,
    events: Events,
    connectivity: Connectivity,
    checks: Arc<CheckSettings>,
    wake: Arc<Notify>,
}

/// How long the worker waits before looking up unconfirmed sends again.
const RETRY_DELAY: Duration = Duration::from_secs(5);
/// The longest wait after the provider could not take a message; the wait doubles up to it.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// How often an idle worker looks at the queue anyway (a wake-up is the normal path).
const IDLE_CHECK: Duration = Duration::from_secs(30);

impl Outbox {
    /// An outbox over a store and a provider.
    pub fn new(
        store: Store,
        provider: Arc<dyn Provider>,
        events: Events,
        connectivity: Connectivity,
        checks: CheckSettings,
    ) -> Self {
        Self {
            store,
            provider,
            events,
            connectivity,
            checks: Arc::new(checks),
            wake: Arc::new(Notify::new()),
        }
    }

    /// Runs the checks before sending on a draft, as the composer does while the user types.
    pub async fn check(&self, input: &SendInput) -> Result<CheckReport> {
        let mut conn = self.store.pool().acquire().await?;
        let draft = self.draft(&mut conn, input).await?;
        checks::check(&mut conn, &draft, &self.checks).await
    }

    /// The draft a send input stands for: a conversation's numbers, or the typed ones (the
    /// first sender number when none is chosen).
    async fn draft(&self, conn: &mut SqliteConnection, input: &SendInput) -> Result<Draft> {
        let body = input.body.trim_end().to_string();
        if let Some(id) = input.conversation_id {
            let (from, to): (String, String) = sqlx::query_as(
                "SELECT s.number, ct.number FROM conversations c
                 JOIN sender_numbers s ON s.id = c.sender_id
                 JOIN contacts ct ON ct.id = c.contact_id WHERE c.id = ?1",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(CoreError::UnknownConversation(id))?;
            return Ok(Draft {
                to,
                from: Some(from),
                body,
            });
        }
        let from = match input.from.as_deref().filter(|f| !f.trim().is_empty()) {
            Some(f) => Some(f.to_string()),
            None => {
                sqlx::query_scalar("SELECT number FROM sender_numbers ORDER BY id LIMIT 1")
                    .fetch_optional(&mut *conn)
                    .await?
            }
        };
        Ok(Draft {
            to: input.to.clone().unwrap_or_default(),
            from,
            body,
        })
    }

    /// Checks the input (a block refuses it; a confirmation must have been given), stores the
    /// message and its conversation in one transaction, and wakes the worker. Returns the
    /// stored message (status pending).
    pub async fn enqueue(&self, input: SendInput) -> Result<Message> {
        let mut tx = self.store.write().await?;
        let draft = self.draft(&mut tx, &input).await?;
        let report = checks::check(&mut tx, &draft, &self.checks).await?;
        checks::enforce(&report, input.confirmed)?;
        let media = match input.template_id {
            Some(id) => crate::store::templates::usable(&mut tx, id).await?.media,
            None => Vec::new(),
        };
        let info = report.text.info;
        let body = draft.body;
        let (conversation_id, from, to) = match input.conversation_id {
            Some(id) => (id, draft.from.unwrap_or_default(), draft.to),
            None => {
                let to = report
                    .number
                    .map(|n| n.e164)
                    .ok_or_else(|| CoreError::InvalidNumber {
                        input: draft.to.clone(),
                    })?;
                let from = number::normalise(&draft.from.ok_or(CoreError::NoSender)?)?;
                let sender_id = senders::find_id(&mut tx, &from)
                    .await?
                    .ok_or_else(|| CoreError::UnknownSender(from.clone()))?;
                let contact_id = contacts::upsert_by_number(&mut tx, &to).await?;
                let id = conversations::get_or_create(
                    &mut tx,
                    contact_id,
                    sender_id,
                    crate::store::now_ms(),
                )
                .await?;
                (id, from, to)
            }
        };
        self.insert(
            tx,
            NewOutbound {
                conversation_id,
                from: &from,
                to: &to,
                body: &body,
                info,
                author_id: input.author_id,
                resend_of: None,
                media: &media,
                template_id: input.template_id,
            },
        )
        .await
    }

    /// Inserts a checked message in the open transaction, commits, and wakes the worker.
    pub(crate) async fn insert(
        &self,
        mut tx: sqlx::Transaction<'static, sqlx::Sqlite>,
        message: NewOutbound<'_>,
    ) -> Result<Message> {
        let conversation_id = message.conversation_id;
        let id = messages::insert_outbound(&mut tx, message).await?;
        conversations::record_message(
            &mut tx,
            conversation_id,
            crate::store::now_ms(),
            crate::domain::Direction::Outbound,
        )
        .await?;
        tx.commit().await?;
        self.events
            .emit(CoreEvent::ConversationChanged { conversation_id });
        self.wake.notify_one();
        messages::get(self.store.pool(), id)
            .await?
            .ok_or(CoreError::UnknownConversation(conversation_id))
    }

    /// The rules the checks follow.
    pub(crate) fn check_settings(&self) -> &CheckSettings {
        &self.checks
    }

    /// The store.
    pub(crate) fn store(&self) -> &Store {
        &self.store
    }

    /// The worker: drains the queue in order, then looks up unconfirmed sends, until
    /// cancelled. It comes back soon while something is unsettled or the provider had a
    /// hiccup; otherwise it sleeps until a new message is queued.
    pub async fn run(self, cancel: CancellationToken) {
        let mut failures = 0;
        loop {
            let drained = self.drain().await;
            let settled = reconcile::pass(&self.store, &self.provider, &self.events).await;
            let pause = match (&drained, &settled) {
                (Err(e), _) | (_, Err(e)) => {
                    failures += 1;
                    tracing::warn!(error = %e, failures, "outbox paused; retrying later");
                    backoff(failures)
                }
                (Ok(()), Ok(pass)) => {
                    failures = 0;
                    if pass.waiting + pass.requeued > 0 {
                        RETRY_DELAY
                    } else {
                        IDLE_CHECK
                    }
                }
            };
            tokio::select! {
                _ = cancel.cancelled() => break,
                _ = self.wake.notified() => {}
                _ = self.connectivity.back_online() => {}
                _ = tokio::time::sleep(pause) => {}
            }
        }
        tracing::debug!("outbox stopped");
    }

    /// Runs one round now: the queue, then one lookup per unconfirmed send (tests, tools).
    pub async fn settle_now(&self) -> Result<reconcile::Pass> {
        self.drain().await?;
        let pass = reconcile::pass(&self.store, &self.provider, &self.events).await?;
        self.drain().await?;
        Ok(pass)
    }

    /// Submits queued messages one by one; stops at the first one the provider could not take,
    /// so later messages never overtake it.
    async fn drain(&self) -> Result<()> {
        while let Some(message) = messages::next_queued(self.store.pool()).await? {
            self.submit(&message).await?;
        }
        Ok(())
    }

    async fn submit(&self, message: &Message) -> Result<()> {
        let mut tx = self.store.write().await?;
        if !messages::claim_queued(&mut tx, message.id).await? {
            return Ok(());
        }
        // Asked again now, not only when it was queued: a customer who texted STOP while it
        // waited gets nothing after that.
        let mark = contacts::mark_of(&mut tx, &message.to).await?;
        if let Some(code) = checks::held_back_at_send(mark.as_ref(), message.created_at) {
            messages::set_failure(
                &mut tx,
                message.id,
                OutboxState::Rejected,
                MessageStatus::Failed,
                code,
                None,
            )
            .await?;
            tx.commit().await?;
            tracing::info!(reference = message.id, code, "held back at send");
            self.events.emit(CoreEvent::ConversationChanged {
                conversation_id: message.conversation_id,
            });
            return Ok(());
        }
        let attempt = attempts::start(&mut tx, message.id, AttemptKind::Create).await?;
        tx.commit().await?;

        let request = OutboundRequest {
            reference: message.id,
            from: message.from.clone(),
            to: message.to.clone(),
            body: message.body.clone(),
            media: message.media.clone(),
        };
        let result = self.provider.create(&request).await;
        let mut tx = self.store.write().await?;
        let outcome = match &result {
            Ok(accepted) => {
                messages::apply_provider_state(&mut tx, message.id, accepted).await?;
                attempts::finish(&mut tx, attempt, Outcome::Accepted, Some(201), None, None)
                    .await?;
                Ok(())
            }
            Err(e @ (ProviderError::Rejected { .. } | ProviderError::Authentication { .. })) => {
                let (code, text) = (e.message_code(), provider_text(e));
                crate::memory::learn_from_failure(&mut tx, &message.to, &code).await?;
                messages::set_failure(
                    &mut tx,
                    message.id,
                    OutboxState::Rejected,
                    MessageStatus::Failed,
                    &code,
                    text.as_deref(),
                )
                .await?;
                attempts::finish(
                    &mut tx,
                    attempt,
                    Outcome::Rejected,
                    e.http_status(),
                    Some(&code),
                    text.as_deref(),
                )
                .await?;
                Ok(())
            }
            Err(
                e @ (ProviderError::NoAnswer(_)
                | ProviderError::Server { .. }
                | ProviderError::Malformed(_)),
            ) => {
                // The request reached the provider and the outcome is unclear: it may exist
                // there, so it is never resent blindly; it stays visible as unconfirmed.
                let code = if matches!(e, ProviderError::NoAnswer(_)) {
                    e.message_code()
                } else {
                    UNCONFIRMED.to_string()
                };
                messages::set_failure(
                    &mut tx,
                    message.id,
                    OutboxState::Unknown,
                    MessageStatus::Pending,
                    &code,
                    None,
                )
                .await?;
                attempts::finish(
                    &mut tx,
                    attempt,
                    Outcome::NoAnswer,
                    None,
                    Some(&code),
                    Some(&e.to_string()),
                )
                .await?;
                Ok(())
            }
            Err(e) => {
                // Unreachable or rate limited: the provider did not process it. Back in the
                // queue, in its place.
                messages::set_outbox_state(&mut tx, message.id, OutboxState::Queued).await?;
                attempts::finish_failed(&mut tx, attempt, e).await?;
                Err(CoreError::Provider(e.clone()))
            }
        };
        tx.commit().await?;
        self.events.emit(CoreEvent::ConversationChanged {
            conversation_id: message.conversation_id,
        });
        outcome
    }
}

/// Exponential backoff after `failures` failed rounds in a row: 1 s, 2 s, 4 s… up to
/// [`MAX_BACKOFF`]. A provider coming back wakes the worker sooner.
fn backoff(failures: u32) -> Duration {
    Duration::from_secs(1u64 << failures.saturating_sub(1).min(6)).min(MAX_BACKOFF)
}

fn provider_text(e: &ProviderError) -> Option<String> {
    match e {
        ProviderError::Rejected { message, .. } | ProviderError::Authentication { message, .. } => {
            Some(message.clone())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_ceiling() {
        let waits: Vec<u64> = (1..=8).map(|n| backoff(n).as_secs()).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 30, 30, 30]);
    }
}
