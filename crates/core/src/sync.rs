//! Syncing by polling, since a desktop app cannot receive webhooks: statuses of our messages not
//! yet final, and new inbound messages per sender number from a saved cursor.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{Days, Utc};
use tokio_util::sync::CancellationToken;

use crate::domain::{from_millis, to_millis, Direction, MessageStatus};
use crate::error::Result;
use crate::events::{CoreEvent, Events};
use crate::provider::{ListQuery, PageCursor, Provider, ProviderError, ProviderMessage};
use crate::store::{contacts, conversations, messages, senders, sync_state, Store};
use crate::text;

/// How many non-final messages one round refreshes at most.
const STATUS_BATCH: u32 = 200;
/// Page size for inbound listing.
const PAGE_SIZE: u32 = 100;
/// A round stops paging after this many pages. The cursor then moves to the newest message
/// seen, so older history beyond this bound waits for the backfill (not built yet).
const MAX_PAGES_PER_ROUND: usize = 50;
/// How often the account's own numbers are fetched again (numbers are bought rarely).
const SENDER_REFRESH: Duration = Duration::from_secs(600);

/// The background sync.
#[derive(Clone)]
pub struct Syncer {
    store: Store,
    provider: Arc<dyn Provider>,
    events: Events,
    interval: Duration,
    no_receipt_after: Duration,
    keywords: crate::memory::Keywords,
    senders_checked: Arc<Mutex<Option<Instant>>>,
}

impl Syncer {
    /// A syncer polling every `interval`; a message `sent` for `no_receipt_after` without a
    /// receipt becomes final; inbound `keywords` opt customers out and in.
    pub fn new(
        store: Store,
        provider: Arc<dyn Provider>,
        events: Events,
        interval: Duration,
        no_receipt_after: Duration,
        keywords: crate::memory::Keywords,
    ) -> Self {
        Self {
            store,
            provider,
            events,
            interval,
            no_receipt_after,
            keywords,
            senders_checked: Arc::default(),
        }
    }

    /// Polls until cancelled.
    pub async fn run(self, cancel: CancellationToken) {
        loop {
            tokio::select! {
                _ = cancel.cancelled() => break,
                result = self.round() => if let Err(e) = result {
                    tracing::warn!(error = %e, "sync round failed; trying again next round");
                },
            }
            tokio::select! {
                _ = cancel.cancelled() => break,
                _ = tokio::time::sleep(self.interval) => {}
            }
        }
        tracing::debug!("sync stopped");
    }

    /// One round: statuses first (cheap, and what the user is watching), then the account's
    /// numbers when due, then inbound.
    pub async fn round(&self) -> Result<()> {
        self.refresh_statuses().await?;
        // A key without access to the number list must not stop inbound sync.
        if let Err(e) = self.refresh_senders_if_due().await {
            tracing::warn!(error = %e, "could not list the account's numbers");
        }
        self.pull_inbound().await
    }

    /// Adds the account's SMS-capable numbers as sender numbers, so a newly connected account
    /// needs no manual setup. Labels a person gave are kept.
    async fn refresh_senders_if_due(&self) -> Result<()> {
        let due = self
            .senders_checked
            .lock()
            .map(|t| t.is_none_or(|t| t.elapsed() >= SENDER_REFRESH))
            .unwrap_or(true);
        if !due {
            return Ok(());
        }
        let numbers = self.provider.list_numbers().await?;
        let mut tx = self.store.write().await?;
        for n in numbers.iter().filter(|n| n.sms) {
            // Twilio's default friendly name is the number itself, "(415) 555-0100": only a
            // name with letters in it is worth showing as a label.
            let label = n
                .friendly_name
                .as_deref()
                .filter(|f| f.chars().any(char::is_alphabetic));
            senders::upsert(&mut tx, &n.number, label).await?;
        }
        tx.commit().await?;
        if let Ok(mut t) = self.senders_checked.lock() {
            *t = Some(Instant::now());
        }
        Ok(())
    }

    async fn refresh_statuses(&self) -> Result<()> {
        let pool = self.store.pool();
        let now = crate::store::now_ms();
        let cutoff = now - i64::try_from(self.no_receipt_after.as_millis()).unwrap_or(i64::MAX);
        let expired = {
            let mut conn = pool.acquire().await?;
            messages::expire_unreceipted(&mut conn, cutoff).await?
        };
        for conversation_id in expired.into_iter().collect::<BTreeSet<_>>() {
            self.events
                .emit(CoreEvent::ConversationChanged { conversation_id });
        }
        for (id, sid, conversation_id) in messages::due_for_status(pool, now, STATUS_BATCH).await? {
            let fetched = match self.provider.fetch(&sid).await {
                Ok(m) => Some(m),
                // Unreachable now: the rest would fail the same way.
                Err(e @ (ProviderError::Unreachable(_) | ProviderError::Authentication { .. })) => {
                    return Err(e.into())
                }
                // One message's error (gone from the account, refused) waits for its next turn
                // in the schedule like any check: left unmarked, it was asked for again on
                // every round, forever, by a sync that otherwise thins out with age.
                Err(e) => {
                    tracing::warn!(sid, error = %e, "status fetch failed");
                    None
                }
            };
            let mut conn = pool.acquire().await?;
            messages::mark_status_checked(&mut conn, id, crate::store::now_ms()).await?;
            let Some(fetched) = fetched else {
                continue;
            };
            if messages::apply_provider_state(&mut conn, id, &fetched).await? {
                let failed = matches!(
                    fetched.status,
                    Some(MessageStatus::Failed | MessageStatus::Undelivered)
                );
                if let Some(code) = fetched.error_code.as_deref().filter(|_| failed) {
                    crate::memory::learn_from_failure(&mut conn, &fetched.to, code).await?;
                }
                self.events
                    .emit(CoreEvent::ConversationChanged { conversation_id });
            }
        }
        Ok(())
    }

    /// Messages to and from each sender number: inbound ones are the customers', outbound ones
    /// were sent from outside this desktop (the Twilio Console, another app, another desktop).
    async fn pull_inbound(&self) -> Result<()> {
        for sender in senders::list(self.store.pool()).await? {
            for way in [Way::Inbound, Way::Outbound] {
                self.pull(&sender.number, way).await?;
            }
        }
        Ok(())
    }

    /// Lists one sender number's messages one way from a day before the saved cursor (the
    /// provider filters by whole days, so a day of overlap never misses one), newest first,
    /// until a page holds nothing new, and stores the new ones once each by SID. A round reads
    /// at most [`MAX_PAGES_PER_ROUND`] pages; where it stops with more to read, the next page's
    /// cursor is kept (a backlog) and the next rounds go on from there, so a burst of any size
    /// is stored whole. The time cursor moves only once no backlog is left: only past what was
    /// stored.
    async fn pull(&self, sender_number: &str, way: Way) -> Result<()> {
        let pool = self.store.pool();
        let key = way.cursor_key(sender_number);
        let backlog_key = way.backlog_key(sender_number);
        let cursor_ms: Option<i64> = sync_state::get(pool, &key)
            .await?
            .and_then(|v| v.parse().ok());
        let backlog: Vec<String> = sync_state::get(pool, &backlog_key)
            .await?
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default();
        let query = ListQuery {
            to: (way == Way::Inbound).then(|| sender_number.to_string()),
            from: (way == Way::Outbound).then(|| sender_number.to_string()),
            // Without a cursor, older messages are the history load's work (backfill.rs).
            sent_on_or_after: cursor_ms
                .map(|ms| from_millis(ms).date_naive())
                .unwrap_or_else(|| Utc::now().date_naive())
                .checked_sub_days(Days::new(1)),
            page_size: PAGE_SIZE,
        };
        let mut walk = Walk {
            budget: MAX_PAGES_PER_ROUND,
            fresh: Vec::new(),
            newest: cursor_ms.unwrap_or(0),
            failed: None,
        };
        // New arrivals first, then what earlier rounds left; a walk cut short leaves its cursor.
        let mut left = Vec::new();
        left.extend(self.walk(&query, None, way, &mut walk).await?);
        for cursor in backlog {
            match walk.failed {
                Some(_) => left.push(PageCursor(cursor)),
                None => left.extend(
                    self.walk(&query, Some(PageCursor(cursor)), way, &mut walk)
                        .await?,
                ),
            }
        }
        // Listing is newest first and provider times have whole seconds: storing oldest first
        // (the order listed, reversed, for messages of the same second) keeps them in the
        // order they were written.
        let mut fresh = walk.fresh;
        fresh.reverse();
        fresh.sort_by_key(|m| messages::listed_time(m).unwrap_or(0));
        let mut touched = BTreeSet::new();
        for m in &fresh {
            let stored = match way {
                Way::Inbound => self.store_inbound(sender_number, m).await?,
                Way::Outbound => self.store_outbound(sender_number, m).await?,
            };
            touched.extend(stored);
        }
        let mut tx = self.store.write().await?;
        if left.is_empty() {
            sync_state::delete(&mut tx, &backlog_key).await?;
            if walk.newest > cursor_ms.unwrap_or(0) {
                sync_state::set(&mut tx, &key, &walk.newest.to_string()).await?;
            }
        } else {
            let cursors: Vec<&str> = left.iter().map(|c| c.0.as_str()).collect();
            let text = serde_json::to_string(&cursors)
                .map_err(|e| crate::CoreError::Io(std::io::Error::other(e)))?;
            sync_state::set(&mut tx, &backlog_key, &text).await?;
        }
        tx.commit().await?;
        for conversation_id in touched {
            self.events
                .emit(CoreEvent::ConversationChanged { conversation_id });
        }
        match walk.failed {
            Some(e) => Err(e.into()),
            None => Ok(()),
        }
    }

    /// Reads pages from `start` (the newest when `None`) until one holds nothing new or the
    /// round's pages run out; returns the cursor of the page it did not get to, if any. A page
    /// the provider fails on is kept as that cursor (and the failure in `walk`), so what was
    /// read before it is still stored.
    async fn walk(
        &self,
        query: &ListQuery,
        start: Option<PageCursor>,
        way: Way,
        walk: &mut Walk,
    ) -> Result<Option<PageCursor>> {
        let pool = self.store.pool();
        let mut page_cursor = start;
        loop {
            if walk.budget == 0 {
                return Ok(page_cursor);
            }
            walk.budget -= 1;
            let page = match self.provider.list(query, page_cursor.as_ref()).await {
                Ok(page) => page,
                Err(e) => {
                    walk.failed = Some(e);
                    return Ok(page_cursor);
                }
            };
            let mut new_on_page = 0;
            for m in page
                .messages
                .into_iter()
                .filter(|m| m.direction == way.direction())
            {
                let at = messages::listed_time(&m).unwrap_or(0);
                walk.newest = walk.newest.max(at);
                if !messages::sid_known(pool, &m.sid).await?
                    && !walk.fresh.iter().any(|f| f.sid == m.sid)
                {
                    new_on_page += 1;
                    walk.fresh.push(m);
                }
            }
            match page.next {
                Some(next) if new_on_page > 0 => page_cursor = Some(next),
                _ => return Ok(None),
            }
        }
    }

    /// Stores one inbound message with its contact and conversation in one transaction; returns
    /// the conversation when the message was new.
    async fn store_inbound(&self, sender_number: &str, m: &ProviderMessage) -> Result<Option<i64>> {
        let Some(from) = m.from.as_deref() else {
            return Ok(None);
        };
        let mut tx = self.store.write().await?;
        let Some(sender_id) = senders::find_id(&mut tx, sender_number).await? else {
            return Ok(None);
        };
        let contact_id = contacts::upsert_by_number(&mut tx, from).await?;
        // The time the message is stored at, so the conversation's activity matches it.
        let at = messages::listed_time(m).map_or_else(Utc::now, from_millis);
        let conversation_id =
            conversations::get_or_create(&mut tx, contact_id, sender_id, to_millis(at)).await?;
        let inserted =
            messages::insert_inbound(&mut tx, conversation_id, m, text::analyse(&m.body)).await?;
        if inserted.is_none() {
            return Ok(None);
        }
        crate::memory::learn_from_inbound(&mut tx, from, &m.body, &self.keywords).await?;
        conversations::record_message(&mut tx, conversation_id, to_millis(at), Direction::Inbound)
            .await?;
        let (contact_name, sender_label) = conversations::names(&mut tx, conversation_id).await?;
        tx.commit().await?;
        self.events
            .emit(CoreEvent::MessageReceived(crate::notices::Arrival {
                conversation_id,
                contact_name,
                from: from.to_string(),
                sender_number: sender_number.to_string(),
                sender_label,
                body: m.body.clone(),
                at,
            }));
        Ok(Some(conversation_id))
    }
    /// Stores one outbound message sent from outside this desktop, with its contact and
    /// conversation, as the provider reports it (status, code, price); returns the
    /// conversation when it was new. One of our own sends whose answer was lost is the same
    /// SMS: the reconciler adopts its SID, so it is not stored here a second time
    /// ([`messages::insert_listed`] skips it).
    async fn store_outbound(
        &self,
        sender_number: &str,
        m: &ProviderMessage,
    ) -> Result<Option<i64>> {
        let mut tx = self.store.write().await?;
        let Some(sender_id) = senders::find_id(&mut tx, sender_number).await? else {
            return Ok(None);
        };
        let contact_id = contacts::upsert_by_number(&mut tx, &m.to).await?;
        let at = messages::listed_time(m).unwrap_or_else(crate::store::now_ms);
        let conversation_id =
            conversations::get_or_create(&mut tx, contact_id, sender_id, at).await?;
        if !messages::insert_listed(&mut tx, conversation_id, m, text::analyse(&m.body)).await? {
            return Ok(None);
        }
        let failed = matches!(
            m.status,
            Some(MessageStatus::Failed | MessageStatus::Undelivered)
        );
        if let Some(code) = m.error_code.as_deref().filter(|_| failed) {
            crate::memory::learn_from_failure(&mut tx, &m.to, code).await?;
        }
        conversations::record_message(&mut tx, conversation_id, at, Direction::Outbound).await?;
        tx.commit().await?;
        Ok(Some(conversation_id))
    }
}

/// Which of a sender number's messages a listing reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    /// Customers' messages to it.
    Inbound,
    /// Messages from it, ours or sent from elsewhere.
    Outbound,
}

impl Way {
    fn direction(self) -> Direction {
        match self {
            Way::Inbound => Direction::Inbound,
            Way::Outbound => Direction::Outbound,
        }
    }

    /// The `sync_state` key of the newest time stored (with no backlog left).
    fn cursor_key(self, number: &str) -> String {
        match self {
            Way::Inbound => format!("inbound:{number}"),
            Way::Outbound => format!("outbound:{number}"),
        }
    }

    /// The `sync_state` key of the page cursors earlier rounds did not get to.
    fn backlog_key(self, number: &str) -> String {
        format!("{}-backlog", self.cursor_key(number))
    }
}

/// What one round's walks over a listing gathered.
struct Walk {
    /// Pages the round may still read.
    budget: usize,
    /// Messages not stored yet, in the order listed.
    fresh: Vec<ProviderMessage>,
    /// The newest listed time seen, in milliseconds.
    newest: i64,
    /// The provider's failure that cut a walk short.
    failed: Option<ProviderError>,
}
