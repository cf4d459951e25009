//! History backfill: on first connecting an account, every message back to a chosen date is
//! loaded, a page at a time. Each page and the cursor to the next are stored in one
//! transaction, so a restart resumes exactly where the last run stopped, and a page seen twice
//! stores nothing twice (messages are unique by SID). Older messages count as read; the last
//! day's inbound ones are unread, as the regular sync would have stored them.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;

use crate::domain::{to_millis, Direction};
use crate::error::Result;
use crate::events::{CoreEvent, Events};
use crate::provider::{
    ListQuery, MessagePage, PageCursor, Provider, ProviderError, ProviderMessage,
};
use crate::store::{contacts, conversations, messages, senders, sync_state, Store};
use crate::text::{self, SegmentInfo};

/// How far back history goes when the settings name no date.
pub const DEFAULT_DAYS: u64 = 90;
/// Twilio's largest page.
const PAGE_SIZE: u32 = 1000;
/// The `sync_state` key the progress is saved under.
const KEY: &str = "backfill";
/// The longest a history transaction goes on adding pages. It holds the write lock, but gives
/// it up after the page at hand as soon as a [`Store::write`] (a send, an inbound message)
/// waits for it; this bounds the wait of the few writes that do not ask that way.
const MAX_HOLD: Duration = Duration::from_secs(2);
/// Messages per history transaction by default, when the provider answers faster than
/// SQLite stores: each commit writes every page of the random SID index its rows touched, so
/// fewer, larger commits write far less (at a million messages, 100,000-row transactions
/// spent half the time committing that 20,000-row ones did).
pub const DEFAULT_BATCH: u64 = 100_000;
/// Messages whose search entries a history transaction adds at a time, in key order (see
/// `messages::hold_back_search_index`): about what FTS5 holds in memory before writing out.
const SEARCH_INDEX_CHUNK: u64 = 10_000;
/// The longest wait before trying a page again after the provider failed.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(60);

/// How far the history load has come.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryProgress {
    /// Messages go back to this day.
    pub since: NaiveDate,
    /// Messages listed so far (already known ones included).
    pub fetched: u64,
    /// Time of the oldest message listed so far, in milliseconds; the bar's position.
    pub oldest_ms: Option<i64>,
    /// The provider's cursor to the next page; `None` before the first page and at the end.
    pub next: Option<String>,
    /// Every page has been stored.
    pub done: bool,
    /// When the load started, in milliseconds; the bar's far end.
    pub started_ms: i64,
}

impl HistoryProgress {
    /// The share of the time span from `since` to the start that is loaded, 0 to 1 (listing is
    /// newest first, and the provider gives no total to count against).
    pub fn fraction(&self) -> f64 {
        if self.done {
            return 1.0;
        }
        let Some(oldest) = self.oldest_ms else {
            return 0.0;
        };
        let since = self
            .since
            .and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc().timestamp_millis())
            .unwrap_or(0);
        let span = (self.started_ms - since).max(1) as f64;
        ((self.started_ms - oldest) as f64 / span).clamp(0.0, 1.0)
    }
}

/// Reads the saved progress; `None` before a load ever started.
pub async fn progress(store: &Store) -> Result<Option<HistoryProgress>> {
    Ok(sync_state::get(store.pool(), KEY)
        .await?
        .and_then(|text| serde_json::from_str(&text).ok()))
}

/// Loads history in the background.
#[derive(Clone)]
pub struct Backfill {
    store: Store,
    provider: Arc<dyn Provider>,
    events: Events,
    since: Option<NaiveDate>,
    /// Messages per transaction, at most (a page is never split).
    batch: u64,
    /// Ids from earlier pages of this run: a customer seen again costs no lookup. Taken for a
    /// page and given back only when its transaction committed, so an id is never one a
    /// rolled-back page invented.
    ids: Arc<std::sync::Mutex<Option<Ids>>>,
    /// The next page, asked for while the current one is stored, so the provider's answer and
    /// SQLite's work overlap instead of taking turns.
    ahead: Arc<std::sync::Mutex<Option<Ahead>>>,
}

/// A page being fetched ahead of its turn.
struct Ahead {
    /// The cursor it was asked with; used only when the load continues from that cursor.
    cursor: PageCursor,
    since: NaiveDate,
    task: tokio::task::JoinHandle<std::result::Result<Listed, ProviderError>>,
}

/// A listed page with each message's encoding and segment count, worked out by the task that
/// fetched it, while the page before was being stored.
struct Listed {
    page: MessagePage,
    info: Vec<SegmentInfo>,
}

impl Listed {
    fn new(page: MessagePage) -> Self {
        let info = page
            .messages
            .iter()
            .map(|m| text::analyse(&m.body))
            .collect();
        Self { page, info }
    }
}

impl Backfill {
    /// A loader back to `since` (when `None`: [`DEFAULT_DAYS`] before the first start, kept
    /// from then on), storing up to `batch` messages per transaction.
    pub fn new(
        store: Store,
        provider: Arc<dyn Provider>,
        events: Events,
        since: Option<NaiveDate>,
        batch: u64,
    ) -> Self {
        Self {
            store,
            provider,
            events,
            since,
            batch: batch.max(1),
            ids: Arc::default(),
            ahead: Arc::default(),
        }
    }

    /// Loads pages until history is complete or `cancel` fires; a provider failure waits
    /// (doubling up to a minute) and tries the same page again.
    pub async fn run(self, cancel: CancellationToken) {
        let mut failures = 0u32;
        loop {
            let step = tokio::select! {
                _ = cancel.cancelled() => break,
                step = self.step() => step,
            };
            let wait = match step {
                Ok(true) => break,
                Ok(false) => {
                    failures = 0;
                    continue;
                }
                Err(e) => {
                    failures += 1;
                    tracing::warn!(error = %e, failures, "history page failed; trying again");
                    Duration::from_secs(1u64 << failures.min(6)).min(MAX_RETRY_DELAY)
                }
            };
            tokio::select! {
                _ = cancel.cancelled() => break,
                _ = tokio::time::sleep(wait) => {}
            }
        }
        tracing::debug!("history backfill stopped");
    }

    /// The progress to continue from: the saved one, unless the settings now ask for another
    /// date, which starts over (nothing is stored twice).
    async fn current(&self) -> Result<HistoryProgress> {
        let saved = progress(&self.store).await?;
        match saved {
            Some(p) if self.since.is_none_or(|since| since == p.since) => Ok(p),
            _ => {
                let now = Utc::now();
                let since = self.since.unwrap_or_else(|| {
                    now.date_naive()
                        .checked_sub_days(Days::new(DEFAULT_DAYS))
                        .unwrap_or(NaiveDate::MIN)
                });
                Ok(HistoryProgress {
                    since,
                    fetched: 0,
                    oldest_ms: None,
                    next: None,
                    done: false,
                    started_ms: now.timestamp_millis(),
                })
            }
        }
    }

    /// Loads and stores pages in one transaction; `true` once history is complete. A page is
    /// added to the transaction only when the provider has already answered for it (see
    /// [`MAX_HOLD`] and `Tuning::history_batch`), so a slow provider costs one page per
    /// transaction, and a fast one fewer, larger commits.
    pub async fn step(&self) -> Result<bool> {
        let mut state = self.current().await?;
        if state.done {
            return Ok(true);
        }
        let query = ListQuery {
            sent_on_or_after: Some(state.since),
            page_size: PAGE_SIZE,
            ..Default::default()
        };
        let cursor = state.next.clone().map(PageCursor);
        let page = match self.take_ahead(cursor.as_ref(), state.since) {
            Some(task) => task
                .await
                .map_err(|e| crate::CoreError::Io(std::io::Error::other(e)))??,
            None => Listed::new(self.provider.list(&query, cursor.as_ref()).await?),
        };

        self.store
            .bulk(async |conn| self.store_pages(conn, &mut state, query, page).await)
            .await?;
        self.events.emit(CoreEvent::HistoryProgress(state.clone()));
        Ok(state.done)
    }

    /// Stores `page`, then each next page the provider has already answered for, in one
    /// transaction with the progress they make.
    async fn store_pages(
        &self,
        conn: &mut sqlx::SqliteConnection,
        state: &mut HistoryProgress,
        query: ListQuery,
        mut page: Listed,
    ) -> Result<()> {
        let mut tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?;
        let started = Instant::now();
        let taken = self.ids.lock().ok().and_then(|mut ids| ids.take());
        let mut ids = taken.unwrap_or_default();
        // Rows stored in this transaction get the ids after this one (SQLite gives a new row
        // the highest id plus one), so one update at the end moves every touched conversation.
        let before = messages::last_id(&mut tx).await?;
        messages::hold_back_search_index(&mut tx).await?;
        let mut stored = 0;
        let mut listed = 0u64;
        let mut unindexed = 0u64;
        loop {
            if let Some(next) = &page.page.next {
                self.fetch_ahead(query.clone(), next.clone(), state.since);
            }
            listed += page.page.messages.len() as u64;
            let new = store_page(&mut tx, &mut ids, state, &page).await?;
            stored += new;
            unindexed += new;
            // A few pages' search entries at a time: FTS5 writes out that much on its own anyway,
            // and the next page's fetch keeps overlapping the work.
            if unindexed >= SEARCH_INDEX_CHUNK {
                messages::index_held_back(&mut tx).await?;
                messages::hold_back_search_index(&mut tx).await?;
                unindexed = 0;
            }
            // Freeing a thousand parsed messages is work the transaction need not wait for.
            tokio::task::spawn_blocking(move || drop(page));
            if state.done
                || listed >= self.batch
                || started.elapsed() >= MAX_HOLD
                || self.store.writer_waiting()
            {
                break;
            }
            // Waiting for the provider here would hold the write lock that sends need.
            match self.ready_ahead(state.next.as_deref(), state.since).await {
                Some(next) => page = next,
                None => break,
            }
        }
        // Only the messages new to us were stored, and only they move their conversations.
        if stored > 0 {
            conversations::record_stored_since(&mut tx, before, news_since_ms()).await?;
        }
        messages::index_held_back(&mut tx).await?;
        let text = serde_json::to_string(&*state)
            .map_err(|e| crate::CoreError::Io(std::io::Error::other(e)))?;
        sync_state::set(&mut tx, KEY, &text).await?;
        tx.commit().await?;
        if let Ok(mut slot) = self.ids.lock() {
            *slot = Some(ids);
        }
        Ok(())
    }
}

/// Stores one listed page in `tx` and moves `state` past it; returns how many of its
/// messages were new.
async fn store_page(
    tx: &mut sqlx::SqliteConnection,
    ids: &mut Ids,
    state: &mut HistoryProgress,
    listed: &Listed,
) -> Result<u64> {
    let page = &listed.page;
    let conversations = conversations_of(tx, ids, &page.messages).await?;
    let mut rows = Vec::with_capacity(page.messages.len());
    for ((m, conversation), info) in page.messages.iter().zip(conversations).zip(&listed.info) {
        if let Some(conversation_id) = conversation {
            rows.push((conversation_id, m, *info));
        }
        let at = m.sent_at.or(m.created_at).map(to_millis);
        state.oldest_ms = match (state.oldest_ms, at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    let stored = messages::insert_history_page(tx, &rows).await?;
    state.fetched += page.messages.len() as u64;
    state.next = page.next.as_ref().map(|c| c.0.clone());
    state.done = state.next.is_none();
    Ok(stored)
}

impl Backfill {
    /// The page fetched ahead for `cursor`, if that is the one asked for. Any other (the page
    /// before it failed to store, or the settings changed the date) is dropped.
    fn take_ahead(
        &self,
        cursor: Option<&PageCursor>,
        since: NaiveDate,
    ) -> Option<tokio::task::JoinHandle<std::result::Result<Listed, ProviderError>>> {
        let ahead = self.ahead.lock().ok()?.take()?;
        if Some(&ahead.cursor) == cursor && ahead.since == since {
            Some(ahead.task)
        } else {
            ahead.task.abort();
            None
        }
    }

    /// The page fetched ahead for `cursor` when the provider has already answered for it; a
    /// failed answer is dropped (the next step asks again and handles the failure), one still
    /// on its way is left for the next step.
    async fn ready_ahead(&self, cursor: Option<&str>, since: NaiveDate) -> Option<Listed> {
        let finished = self.ahead.lock().ok()?.as_ref()?.task.is_finished();
        if !finished {
            return None;
        }
        let cursor = cursor.map(|c| PageCursor(c.to_owned()));
        self.take_ahead(cursor.as_ref(), since)?.await.ok()?.ok()
    }

    /// Starts fetching the page at `cursor` for the next step.
    fn fetch_ahead(&self, query: ListQuery, cursor: PageCursor, since: NaiveDate) {
        let provider = self.provider.clone();
        let at = cursor.clone();
        let task =
            tokio::spawn(async move { provider.list(&query, Some(&at)).await.map(Listed::new) });
        if let Ok(mut slot) = self.ahead.lock() {
            if let Some(old) = slot.replace(Ahead {
                cursor,
                since,
                task,
            }) {
                old.task.abort();
            }
        }
    }
}

/// Inbound messages from yesterday on are news, exactly as for the regular inbound sync, which
/// starts there: unread, reopening their conversation. So whichever of the two stores such a
/// message first, it ends up the same.
fn news_since_ms() -> i64 {
    Utc::now()
        .date_naive()
        .checked_sub_days(Days::new(1))
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_millis())
        .unwrap_or(i64::MAX)
}

/// Ids looked up earlier in the run, so a page of a thousand messages between a few people
/// costs a few lookups, not thousands.
#[derive(Default)]
struct Ids {
    senders: HashMap<String, i64>,
    /// Conversation ids by sender id, then the customer's number.
    conversations: HashMap<i64, HashMap<String, i64>>,
}

impl Ids {
    fn conversation(&self, sender_id: i64, theirs: &str) -> Option<i64> {
        self.conversations.get(&sender_id)?.get(theirs).copied()
    }
}

/// The conversation each listed message belongs to (`None` for a message without a sender).
/// Sender numbers, contacts and conversations new to this run are looked up or created for
/// the whole page at once: a first load meets a new customer on most messages.
async fn conversations_of(
    conn: &mut sqlx::SqliteConnection,
    ids: &mut Ids,
    page: &[ProviderMessage],
) -> Result<Vec<Option<i64>>> {
    // Each message's sender id and customer's number.
    let mut keys = Vec::with_capacity(page.len());
    for m in page {
        let Some(from) = m.from.as_deref() else {
            keys.push(None);
            continue;
        };
        let (ours, theirs) = match m.direction {
            Direction::Inbound => (m.to.as_str(), from),
            Direction::Outbound => (from, m.to.as_str()),
        };
        let sender_id = match ids.senders.get(ours) {
            Some(id) => *id,
            None => {
                let id = senders::upsert(conn, ours, None).await?;
                ids.senders.insert(ours.to_owned(), id);
                id
            }
        };
        keys.push(Some((sender_id, theirs)));
    }

    // New pairs, each created at the time of its first (newest) message on the page.
    let mut new: Vec<(i64, &str, i64)> = Vec::new();
    let mut seen = HashSet::new();
    for (m, key) in page.iter().zip(&keys) {
        if let Some((sender_id, theirs)) = *key {
            if ids.conversation(sender_id, theirs).is_none() && seen.insert((sender_id, theirs)) {
                // The message's own stored time: a conversation's activity is its newest.
                let at = messages::listed_time(m).unwrap_or(0);
                new.push((sender_id, theirs, at));
            }
        }
    }
    if !new.is_empty() {
        let mut numbers: Vec<&str> = new.iter().map(|(_, theirs, _)| *theirs).collect();
        numbers.sort_unstable();
        numbers.dedup();
        let contact_ids = contacts::upsert_many_by_number(conn, &numbers).await?;
        let contact_of = |theirs: &str| {
            contact_ids
                .get(theirs)
                .copied()
                .ok_or(sqlx::Error::RowNotFound)
        };
        let mut wanted = Vec::with_capacity(new.len());
        for (sender_id, theirs, at) in &new {
            wanted.push((contact_of(theirs)?, *sender_id, *at));
        }
        let created = conversations::get_or_create_many(conn, &wanted).await?;
        for (sender_id, theirs, _) in new {
            let id = created
                .get(&(contact_of(theirs)?, sender_id))
                .copied()
                .ok_or(sqlx::Error::RowNotFound)?;
            ids.conversations
                .entry(sender_id)
                .or_default()
                .insert(theirs.to_owned(), id);
        }
    }
    Ok(keys
        .into_iter()
        .map(|key| key.and_then(|(sender_id, theirs)| ids.conversation(sender_id, theirs)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_follows_the_oldest_message_between_the_start_and_the_chosen_day() {
        let since = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let since_ms = since
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp_millis();
        let day = 86_400_000;
        let mut p = HistoryProgress {
            since,
            fetched: 0,
            oldest_ms: None,
            next: None,
            done: false,
            started_ms: since_ms + 10 * day,
        };
        assert_eq!(p.fraction(), 0.0);
        p.oldest_ms = Some(since_ms + 7 * day);
        assert!((p.fraction() - 0.3).abs() < 1e-9);
        p.oldest_ms = Some(since_ms - day);
        assert_eq!(p.fraction(), 1.0, "never past the end");
        p.oldest_ms = Some(since_ms + 9 * day);
        p.done = true;
        assert_eq!(p.fraction(), 1.0, "done is done");
    }
}
