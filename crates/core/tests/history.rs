//! The history load against the simulator: everything back to the chosen day, once each, as
//! read history, resumable from the saved cursor.

mod common;

use std::time::Duration;

use common::*;
use switchboard_core::backfill::{self, Backfill};
use switchboard_core::domain::MessageStatus;
use switchboard_core::events::Events;
use switchboard_core::provider::twilio::TwilioClient;
use switchboard_core::provider::{
    AccountNumber, ListQuery, MessagePage, OutboundRequest, PageCursor, Provider, ProviderError,
    ProviderMessage,
};
use switchboard_core::store::Store;
use switchboard_core::{Services, Tuning};
use switchboard_sim::{RunningSim, SeedMessage, SimConfig};

const DAY: u64 = 86_400;
const CUSTOMERS: usize = 30;
const SEEDED: usize = 2_500;

/// The core with one history page per transaction, so a test can stop between pages (by
/// default a step goes on with pages the provider has already answered).
async fn one_page_per_step(sim: &RunningSim, dir: &tempfile::TempDir) -> Services {
    let tuning = Tuning {
        history_batch: 1,
        ..test_tuning()
    };
    services_with(sim, dir, tuning).await
}

fn history() -> Vec<SeedMessage> {
    let mut seeds: Vec<SeedMessage> = (0..SEEDED)
        .map(|i| SeedMessage {
            account_sid: ACCOUNT.into(),
            from: format!("+1646555{:04}", i % CUSTOMERS),
            to: SENDER.into(),
            body: format!("old question {i}"),
            // Spread over the last 60 days, newest first.
            age: Duration::from_secs(60 + (i as u64) * 60 * DAY / SEEDED as u64),
        })
        .collect();
    // Older than the default 90 days: not loaded.
    seeds.push(SeedMessage {
        account_sid: ACCOUNT.into(),
        from: "+16465559999".into(),
        to: SENDER.into(),
        body: "from long ago".into(),
        age: Duration::from_secs(120 * DAY),
    });
    seeds
}

async fn count(core: &switchboard_core::Services, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(core.store().pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn history_loads_once_as_read_messages_and_resumes_from_its_cursor() {
    let sim = start(SimConfig {
        history: history(),
        // Sent more than a second after they were created: an outbound message's stored time
        // (its creation) and its `date_sent` then differ even in whole seconds.
        lifecycle: switchboard_sim::Lifecycle {
            to_sending: Duration::from_millis(30),
            to_sent: Duration::from_millis(1_100),
            to_delivered: Duration::from_millis(30),
        },
        ..sim_config()
    })
    .await;
    // Sent from elsewhere (another tool, the console) before this app knew the account.
    for i in 0..5 {
        client(&sim, TOKEN)
            .create(&OutboundRequest {
                reference: i,
                from: SENDER.into(),
                to: format!("+1646555{i:04}"),
                body: format!("sent elsewhere {i}"),
                media: vec![],
            })
            .await
            .unwrap();
    }
    // Listing by day matches sent messages only (the simulator has no DateSent before that).
    tokio::time::sleep(Duration::from_millis(1_400)).await;
    let dir = tempfile::tempdir().unwrap();
    let core = one_page_per_step(&sim, &dir).await;
    assert_eq!(
        core.history().await.unwrap(),
        None,
        "nothing before the start"
    );

    // One page, then a restart on the same file: the saved cursor carries on.
    assert!(!core.backfill().step().await.unwrap());
    let after_one = core.history().await.unwrap().unwrap();
    assert_eq!(after_one.fetched, 1000);
    assert!(after_one.next.is_some());
    assert!(after_one.fraction() > 0.0 && after_one.fraction() < 1.0);
    core.shutdown().await;
    let core = one_page_per_step(&sim, &dir).await;
    let mut pages = 1;
    loop {
        pages += 1;
        if core.backfill().step().await.unwrap() {
            break;
        }
        assert!(pages < 10, "the load never ends");
    }
    let done = core.history().await.unwrap().unwrap();
    assert!(done.done);
    assert_eq!(done.fraction(), 1.0);
    assert_eq!(done.fetched, SEEDED as u64 + 5);
    assert_eq!(pages, 3, "2,505 messages in pages of 1,000");

    let total = SEEDED as i64 + 5;
    assert_eq!(count(&core, "SELECT COUNT(*) FROM messages").await, total);
    assert_eq!(
        count(&core, "SELECT COUNT(DISTINCT sid) FROM messages").await,
        total
    );
    assert_eq!(
        count(
            &core,
            "SELECT COUNT(*) FROM messages WHERE body = 'from long ago'"
        )
        .await,
        0,
        "older than the chosen day"
    );
    assert_eq!(
        count(&core, "SELECT COUNT(*) FROM conversations").await,
        CUSTOMERS as i64
    );
    assert_eq!(
        count(
            &core,
            "SELECT COUNT(*) FROM conversations c
             WHERE last_activity_at IS NOT (SELECT MAX(created_at) FROM messages m
                                            WHERE m.conversation_id = c.id)"
        )
        .await,
        0,
        "each conversation's activity is the time of its newest message"
    );
    // Older history is read; inbound from yesterday (UTC) on is unread, as the regular sync
    // would have stored it.
    let yesterday = chrono::Utc::now().date_naive() - chrono::Days::new(1);
    let since_ms = yesterday
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis();
    let recent: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM messages WHERE direction = 'inbound' AND created_at >= ?1",
    )
    .bind(since_ms)
    .fetch_one(core.store().pool())
    .await
    .unwrap();
    assert!(recent > 0 && recent < 200, "{recent} recent messages");
    assert_eq!(
        count(&core, "SELECT COALESCE(SUM(unread), 0) FROM conversations").await,
        recent,
        "only recent history is news"
    );
    let elsewhere: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT status, sid FROM messages WHERE direction = 'outbound' ORDER BY id")
            .fetch_all(core.store().pool())
            .await
            .unwrap();
    assert_eq!(elsewhere.len(), 5);
    assert!(elsewhere
        .iter()
        .all(|(s, sid)| sid.is_some() && MessageStatus::parse(s).is_some()));

    // Repeated steps and sync rounds over the same days add nothing.
    assert!(core.backfill().step().await.unwrap());
    core.syncer().round().await.unwrap();
    core.syncer().round().await.unwrap();
    assert_eq!(count(&core, "SELECT COUNT(*) FROM messages").await, total);
}

/// A send cut off mid-call (the provider created it, the answer was lost) while the history
/// load lists the account: the load leaves that SMS to the reconciler, which adopts its SID, so
/// it is one row and one create, never a copy from history plus a second send.
#[tokio::test]
async fn a_send_cut_off_during_the_history_load_is_stored_and_sent_once() {
    let sim = start(sim_config()).await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    let to = "+16465550123";
    let body = "your order is ready";
    let ours = core
        .send(switchboard_core::outbox::SendInput {
            to: Some(to.into()),
            body: body.into(),
            ..Default::default()
        })
        .await
        .unwrap();
    // The create reached the provider, but Switchboard stopped before the answer: after the
    // restart its outcome is unknown.
    client(&sim, TOKEN)
        .create(&OutboundRequest {
            reference: ours.id,
            from: SENDER.into(),
            to: to.into(),
            body: body.into(),
            media: vec![],
        })
        .await
        .unwrap();
    sqlx::query("UPDATE messages SET outbox_state = 'unknown' WHERE id = ?1")
        .bind(ours.id)
        .execute(core.store().pool())
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;

    while !core.backfill().step().await.unwrap() {}
    assert_eq!(
        count(
            &core,
            "SELECT COUNT(*) FROM messages WHERE direction = 'outbound'"
        )
        .await,
        1,
        "history did not store a second copy"
    );
    let provider: std::sync::Arc<dyn Provider> = std::sync::Arc::new(client(&sim, TOKEN));
    let pass = switchboard_core::reconcile::pass(core.store(), &provider, core.events())
        .await
        .unwrap();
    assert_eq!(
        pass.adopted, 1,
        "the lookup found the SMS and adopted its SID"
    );
    assert_eq!(
        count(&core, "SELECT COUNT(*) FROM messages WHERE sid IS NOT NULL").await,
        1
    );
    assert_eq!(sim.create_requests(), 1, "sent once");
    core.shutdown().await;
}

/// The simulator's client, which fetches the second page along with the first. When the load
/// asks for it (fetching ahead, inside its transaction), it starts a write, as a send would,
/// and answers at once, as soon as that write waits for the lock the load holds.
struct WriteOnSecondPage {
    inner: TwilioClient,
    store: Store,
    second: std::sync::Mutex<Option<MessagePage>>,
    writer: std::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
}

#[async_trait::async_trait]
impl Provider for WriteOnSecondPage {
    async fn create(&self, r: &OutboundRequest) -> Result<ProviderMessage, ProviderError> {
        self.inner.create(r).await
    }
    async fn fetch(&self, sid: &str) -> Result<ProviderMessage, ProviderError> {
        self.inner.fetch(sid).await
    }
    async fn list(
        &self,
        query: &ListQuery,
        cursor: Option<&PageCursor>,
    ) -> Result<MessagePage, ProviderError> {
        if cursor.is_none() {
            let first = self.inner.list(query, None).await?;
            let second = self.inner.list(query, first.next.as_ref()).await?;
            *self.second.lock().unwrap() = Some(second);
            return Ok(first);
        }
        let second = self.second.lock().unwrap().take();
        let Some(page) = second else {
            return self.inner.list(query, cursor).await;
        };
        let store = self.store.clone();
        let writer = tokio::spawn(async move {
            store.write().await.unwrap().commit().await.unwrap();
        });
        *self.writer.lock().unwrap() = Some(writer);
        while !self.store.writer_waiting() {
            tokio::task::yield_now().await;
        }
        Ok(page)
    }
    async fn list_numbers(&self) -> Result<Vec<AccountNumber>, ProviderError> {
        self.inner.list_numbers().await
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_load_gives_the_write_lock_up_after_its_page_when_a_write_waits() {
    let sim = start(SimConfig {
        history: history(),
        ..sim_config()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&database(&dir)).await.unwrap();
    let provider = std::sync::Arc::new(WriteOnSecondPage {
        inner: client(&sim, TOKEN),
        store: store.clone(),
        second: std::sync::Mutex::new(None),
        writer: std::sync::Mutex::new(None),
    });
    // Every page in one transaction (the second is ready before the first is stored), unless
    // the load gives way.
    let backfill = Backfill::new(
        store.clone(),
        provider.clone(),
        Events::default(),
        None,
        1_000_000,
    );
    assert!(!backfill.step().await.unwrap(), "more pages are left");
    let progress = backfill::progress(&store).await.unwrap().unwrap();
    assert_eq!(
        progress.fetched, 1_000,
        "the transaction ended after the page at hand, for the waiting write"
    );
    let writer = provider.writer.lock().unwrap().take().unwrap();
    tokio::time::timeout(Duration::from_secs(5), writer)
        .await
        .expect("the waiting write went through")
        .unwrap();

    while !backfill.step().await.unwrap() {}
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(total, SEEDED as i64);
}
