//! The one entry point: `open` builds the services the app, the tests and the CLI all use.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::backfill::{Backfill, HistoryProgress};
use crate::checks::{CheckReport, CheckSettings};
use crate::config::ProviderAccount;
use crate::connectivity::Connectivity;
use crate::domain::{ConversationSummary, Message, Note, Sender};
use crate::error::Result;
use crate::events::Events;
use crate::outbox::{Outbox, SendInput};
use crate::provider::guard::{Guarded, Pacing};
use crate::provider::twilio::{TwilioClient, TwilioCredentials};
use crate::provider::Provider;
use crate::store::{conversations, history, messages, senders, Store};
use crate::sync::Syncer;

/// A conversation as its thread shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Thread {
    /// The conversation.
    pub conversation: ConversationSummary,
    /// Its messages, oldest first.
    pub messages: Vec<Message>,
    /// Its internal notes, oldest first.
    pub notes: Vec<Note>,
}

/// Everything `open` needs.
pub struct OpenOptions {
    /// The SQLite file.
    pub database: PathBuf,
    /// The provider account.
    pub account: ProviderAccount,
    /// Its secret (Auth Token or API key secret), read from the keyring by the caller.
    pub secret: String,
    /// A base URL that wins over the account's and the environment's (demo mode's simulator).
    pub base_url: Option<String>,
    /// Our sender numbers, added to the store if new.
    pub senders: Vec<Sender>,
    /// How the background work paces itself.
    pub sync: Tuning,
}

/// How the background work paces itself, and the rules the checks before sending follow.
#[derive(Debug, Clone, PartialEq)]
pub struct Tuning {
    /// Time between sync rounds.
    pub poll_interval: Duration,
    /// How long a `sent` message may wait for a delivery receipt before it is final.
    pub no_receipt_after: Duration,
    /// Limits on calls to the provider.
    pub pacing: Pacing,
    /// History is loaded back to this day; `None`: 90 days before the first start.
    pub history_since: Option<chrono::NaiveDate>,
    /// History messages stored per transaction at most, while the provider answers faster
    /// than they are stored.
    pub history_batch: u64,
    /// The checks before sending.
    pub checks: CheckSettings,
    /// Inbound words that opt a customer out and back in.
    pub keywords: crate::memory::Keywords,
}

impl Default for Tuning {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(2),
            no_receipt_after: Duration::from_secs(72 * 3600),
            pacing: Pacing::default(),
            history_since: None,
            history_batch: crate::backfill::DEFAULT_BATCH,
            checks: CheckSettings::default(),
            keywords: crate::memory::Keywords::default(),
        }
    }
}

/// Everything known about one message, for the details drawer.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageDetails {
    /// The message.
    pub message: Message,
    /// Its status changes, oldest first.
    pub changes: Vec<history::StatusChange>,
    /// Every call to the provider about it, oldest first.
    pub attempts: Vec<history::Attempt>,
    /// Price and currency, once the provider reports it.
    pub price: Option<(String, Option<String>)>,
}

/// The running core.
pub struct Services {
    pub(crate) store: Store,
    outbox: Outbox,
    syncer: Syncer,
    backfill: Backfill,
    pub(crate) events: Events,
    connectivity: Connectivity,
    cancel: CancellationToken,
    tasks: TaskTracker,
}

/// Opens the database (running migrations), builds the provider client and the services.
/// Background work starts with [`Services::start`].
pub async fn open(options: OpenOptions) -> Result<Services> {
    options.account.validate()?;
    let base_url = options
        .base_url
        .clone()
        .unwrap_or_else(|| options.account.effective_base_url());
    let provider: Arc<dyn Provider> = Arc::new(TwilioClient::new(
        &base_url,
        TwilioCredentials {
            account_sid: options.account.account_sid.clone(),
            username: options.account.username().to_string(),
            secret: options.secret,
        },
    )?);
    open_with_provider(options.database, provider, &options.senders, options.sync).await
}

/// Like [`open`] with a ready provider (tests use this to put a fake behind the core).
pub async fn open_with_provider(
    database: PathBuf,
    provider: Arc<dyn Provider>,
    sender_numbers: &[Sender],
    sync: Tuning,
) -> Result<Services> {
    let store = Store::open(&database).await?;
    {
        let mut tx = store.write().await?;
        let interrupted = messages::recover_interrupted(&mut tx).await?;
        if interrupted > 0 {
            tracing::warn!(
                interrupted,
                "sends interrupted by the last shutdown are marked unconfirmed"
            );
        }
        for s in sender_numbers {
            senders::upsert(
                &mut tx,
                &crate::number::normalise(&s.number)?,
                s.label.as_deref(),
            )
            .await?;
        }
        tx.commit().await?;
    }
    let events = Events::default();
    let connectivity = Connectivity::new(events.clone());
    let provider: Arc<dyn Provider> =
        Arc::new(Guarded::new(provider, sync.pacing, connectivity.clone()));
    Ok(Services {
        outbox: Outbox::new(
            store.clone(),
            provider.clone(),
            events.clone(),
            connectivity.clone(),
            sync.checks.clone(),
        ),
        backfill: Backfill::new(
            store.clone(),
            provider.clone(),
            events.clone(),
            sync.history_since,
            sync.history_batch,
        ),
        syncer: Syncer::new(
            store.clone(),
            provider,
            events.clone(),
            sync.poll_interval,
            sync.no_receipt_after,
            sync.keywords.clone(),
        ),
        store,
        events,
        connectivity,
        cancel: CancellationToken::new(),
        tasks: TaskTracker::new(),
    })
}

impl Services {
    /// Starts the outbox worker, the sync loop and the history load on the current Tokio
    /// runtime.
    pub fn start(&self) {
        self.tasks
            .spawn(self.outbox.clone().run(self.cancel.clone()));
        self.tasks
            .spawn(self.syncer.clone().run(self.cancel.clone()));
        self.tasks
            .spawn(self.backfill.clone().run(self.cancel.clone()));
    }

    /// Runs the checks before sending on a draft (the composer calls this as the user types).
    pub async fn check(&self, input: &SendInput) -> Result<CheckReport> {
        self.outbox.check(input).await
    }

    /// Everything known about one message: the message, its status changes, every call to the
    /// provider about it, and its price.
    pub async fn message_details(&self, id: i64) -> Result<MessageDetails> {
        let message = messages::get(self.store.pool(), id)
            .await?
            .ok_or(crate::CoreError::UnknownMessage(id))?;
        let mut conn = self.store.pool().acquire().await?;
        Ok(MessageDetails {
            changes: history::status_changes(&mut conn, id).await?,
            attempts: history::attempts(&mut conn, id).await?,
            price: history::price(&mut conn, id).await?,
            message,
        })
    }

    /// Resends a failed message, corrected or not, as a new message linked to it.
    pub async fn resend(&self, input: crate::resend::ResendInput) -> Result<Message> {
        self.outbox.resend(input).await
    }

    /// Remembers that a number is a landline, so later sends to it ask first.
    pub async fn mark_landline(&self, number: &str) -> Result<()> {
        let mut tx = self.store.write().await?;
        crate::memory::mark_landline(&mut tx, number).await?;
        tx.commit().await?;
        Ok(())
    }

    /// How far the history load has come; `None` before it started.
    pub async fn history(&self) -> Result<Option<HistoryProgress>> {
        crate::backfill::progress(&self.store).await
    }

    /// The history loader (tests and tools drive it a page at a time).
    pub fn backfill(&self) -> &Backfill {
        &self.backfill
    }

    /// Whether the provider answers: unknown until the first call, then as last seen.
    pub fn provider_online(&self) -> Option<bool> {
        self.connectivity.online()
    }

    /// Stops the background work and waits for it, then closes the database.
    pub async fn shutdown(&self) {
        self.cancel.cancel();
        self.tasks.close();
        self.tasks.wait().await;
        self.store.close().await;
    }

    /// The event channel.
    pub fn events(&self) -> &Events {
        &self.events
    }

    /// The store (for tests and tools).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The sync, to run a round on demand.
    pub fn syncer(&self) -> &Syncer {
        &self.syncer
    }

    /// One page of a view of the list, newest activity first.
    pub async fn conversations(
        &self,
        query: &conversations::ConversationQuery,
    ) -> Result<conversations::Page> {
        conversations::list(self.store.pool(), query).await
    }

    /// One conversation, its messages and its notes, oldest first.
    pub async fn thread(&self, id: i64) -> Result<Thread> {
        let conversation = conversations::get(self.store.pool(), id).await?;
        let messages = messages::thread(self.store.pool(), id).await?;
        let mut conn = self.store.pool().acquire().await?;
        let notes = crate::store::notes::of_conversation(&mut conn, id).await?;
        Ok(Thread {
            conversation,
            messages,
            notes,
        })
    }

    /// Marks a conversation as read.
    pub async fn mark_read(&self, id: i64) -> Result<()> {
        // Through `write`, so a history load holding the lock lets it in after its page.
        let mut tx = self.store.write().await?;
        conversations::mark_read(&mut tx, id).await?;
        tx.commit().await?;
        self.events
            .emit(crate::events::CoreEvent::ConversationChanged {
                conversation_id: id,
            });
        Ok(())
    }

    /// Queues a message for sending.
    pub async fn send(&self, input: SendInput) -> Result<Message> {
        self.outbox.enqueue(input).await
    }

    /// Gives names to contacts that have none yet (a person's own edits are never overwritten).
    pub async fn remember_contact_names(&self, names: &[(&str, &str)]) -> Result<()> {
        let mut tx = self.store.write().await?;
        for (number, name) in names {
            let id = crate::store::contacts::upsert_by_number(
                &mut tx,
                &crate::number::normalise(number)?,
            )
            .await?;
            crate::store::contacts::name_if_unknown(&mut tx, id, name).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The outbox, to settle it on demand.
    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    /// Our sender numbers.
    pub async fn senders(&self) -> Result<Vec<Sender>> {
        senders::list(self.store.pool()).await
    }
}
