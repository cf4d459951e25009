//! A history load of 100,000 messages, SIGKILLed midway: the next start resumes from the saved
//! cursor (not from the beginning) and ends with every message stored exactly once.

mod common;

use std::time::{Duration, Instant};

use common::*;
use switchboard_core::store::Store;
use switchboard_sim::SeedMessage;

const MESSAGES: usize = 100_000;
const CUSTOMERS: usize = 400;
const DAY: u64 = 86_400;

fn history() -> Vec<SeedMessage> {
    (0..MESSAGES)
        .map(|i| SeedMessage {
            account_sid: ACCOUNT.into(),
            from: format!("+1646555{:04}", i % CUSTOMERS),
            to: SENDER.into(),
            body: format!("history {i}"),
            // Spread over 80 days, inside the default 90.
            age: Duration::from_secs(60 + (i as u64) * 80 * DAY / MESSAGES as u64),
        })
        .collect()
}

/// Reads `<word> <n>` lines until one with `word`, returning its number.
async fn until(worker: &mut Worker, word: &str, at_least: u64, secs: u64) -> u64 {
    loop {
        let line = worker.line(secs).await;
        if let Some(n) = line.strip_prefix(word).and_then(|n| n.trim().parse().ok()) {
            if n >= at_least {
                return n;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_load_of_100_000_messages_resumes_after_a_kill_and_stores_each_once() {
    let sim = simulator(history()).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.sqlite");
    let started = Instant::now();

    let mut first = Worker::start(&sim, &db, &["history"]);
    assert_eq!(first.line(30).await, "ready");
    assert_eq!(first.line(30).await, "resumed 0");
    let seen = until(&mut first, "history", MESSAGES as u64 * 3 / 10, 300).await;
    first.kill().await;

    let mut second = Worker::start(&sim, &db, &["history"]);
    assert_eq!(second.line(30).await, "ready");
    let resumed = until(&mut second, "resumed", 0, 30).await;
    assert!(
        resumed >= seen && resumed < MESSAGES as u64,
        "resumed at {resumed} after seeing {seen} of {MESSAGES}"
    );
    let settled = until(&mut second, "settled", 0, 600).await;
    assert_eq!(settled, MESSAGES as u64);
    assert!(second.child.wait().await.unwrap().success());

    let store = Store::open(&db).await.unwrap();
    let (rows, sids, conversations, unread): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM messages), (SELECT COUNT(DISTINCT sid) FROM messages),
                (SELECT COUNT(*) FROM conversations),
                (SELECT COALESCE(SUM(unread), 0) FROM conversations)",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    println!(
        "history load: {MESSAGES} messages, killed after {seen}, resumed at {resumed}, \
         {rows} stored in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(rows, MESSAGES as i64, "every message, once");
    assert_eq!(sids, rows, "unique by SID");
    assert_eq!(conversations, CUSTOMERS as i64);
    // Inbound from yesterday on is news (at most two days of the 1,250 a day); the rest is read.
    assert!(
        unread > 0 && unread <= (MESSAGES / 80) as i64 * 2,
        "{unread} unread"
    );
}
