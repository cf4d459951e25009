//! The crash test: a burst of 1,000 messages through a worker process that is SIGKILLed at
//! random points at least ten times. After the last restart every message is final and the
//! simulator counted exactly one create for each.
//!
//! The kill points come from a seed printed at the start; `CHAOS_SEED=<n>` replays a run.

mod common;

use std::time::Duration;

use common::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use switchboard_chaos::{body, recipient};
use switchboard_core::domain::MessageStatus;
use switchboard_core::store::Store;

const MESSAGES: usize = 1_000;
const RECIPIENTS: usize = 50;
const KILLS: usize = 10;

fn worker(sim: &switchboard_sim::RunningSim, db: &std::path::Path) -> Worker {
    let count = MESSAGES.to_string();
    let recipients = RECIPIENTS.to_string();
    Worker::start(
        sim,
        db,
        &["send", "--count", &count, "--recipients", &recipients],
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_survives_random_kills_with_exactly_one_create_per_message() {
    let seed: u64 = std::env::var("CHAOS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    println!("crash test seed {seed} (CHAOS_SEED={seed} replays it)");
    let mut rng = StdRng::seed_from_u64(seed);
    let sim = simulator(vec![]).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("chaos.sqlite");

    let mut kills = 0;
    let mut starts = 0;
    while kills < KILLS {
        let mut worker = worker(&sim, &db);
        starts += 1;
        worker.ready_then_drain().await;
        // Short enough that ten kills land before the burst can finish on a fast machine.
        tokio::time::sleep(Duration::from_millis(rng.random_range(20..400))).await;
        if worker.child.try_wait().unwrap().is_some() {
            panic!("the worker finished before {KILLS} kills (only {kills}); kill sooner");
        }
        worker.kill().await;
        kills += 1;
        assert!(starts < 100, "the worker never got going");
    }

    let mut last = worker(&sim, &db);
    last.ready_then_drain().await;
    let status = tokio::time::timeout(Duration::from_secs(300), last.child.wait())
        .await
        .expect("the burst settles within 5 minutes of the last restart")
        .unwrap();
    assert!(status.success(), "the last run failed: {status}");

    let store = Store::open(&db).await.unwrap();
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT body, status FROM messages WHERE direction = 'outbound'")
            .fetch_all(store.pool())
            .await
            .unwrap();
    // Sends cut off mid-call, each looked up at the provider before anything was resent.
    let interrupted: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT message_id) FROM send_attempts WHERE kind = 'lookup'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    let not_final: Vec<_> = rows
        .iter()
        .filter(|(_, s)| !MessageStatus::parse(s).is_some_and(MessageStatus::is_final))
        .collect();
    let mut duplicated = 0;
    let mut lost = 0;
    for i in 0..MESSAGES {
        match sim.creates_to_with_body(&recipient(i, RECIPIENTS), &body(i)) {
            0 => lost += 1,
            1 => {}
            _ => duplicated += 1,
        }
    }
    println!(
        "crash test: {MESSAGES} messages, {kills} kills, {interrupted} sends cut off mid-call and \
         looked up, {duplicated} duplicated, {lost} lost, {} creates in all",
        sim.create_requests()
    );
    assert_eq!(rows.len(), MESSAGES, "one row per message");
    assert!(not_final.is_empty(), "not final: {not_final:?}");
    assert_eq!(duplicated, 0, "messages created twice at the provider");
    assert_eq!(lost, 0, "messages that never reached the provider");
    assert_eq!(sim.create_requests(), MESSAGES);
}
