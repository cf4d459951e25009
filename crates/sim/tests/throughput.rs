//! Per-sender pacing over real HTTP: messages wait in `queued` for their sender's turn, and a
//! sender with too much queued refuses more (21611), or fails them later (30001) in
//! Messaging Service mode.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;
use switchboard_sim::{Lifecycle, Scenario, SimConfig, Throughput};

fn paced(segments_per_second: f64, queue_limit_seconds: u64) -> SimConfig {
    let mut config = config();
    config.lifecycle = Lifecycle::uniform(Duration::from_millis(10));
    config.scenario = Scenario {
        throughput: Throughput {
            segments_per_second,
            queue_limit: Duration::from_secs(queue_limit_seconds),
        },
        ..Scenario::default()
    };
    config
}

async fn status(client: &Client, sid: &str) -> String {
    let (code, m) = client.fetch(sid).await;
    assert_eq!(code, 200);
    m["status"].as_str().unwrap_or_default().to_owned()
}

fn sid(m: &Value) -> String {
    m["sid"].as_str().expect("sid").to_owned()
}

#[tokio::test]
async fn messages_wait_for_their_senders_pace() {
    // 4 segments per second: each single-segment message takes a quarter of a second.
    let sim = start(paced(4.0, 3600)).await;
    let client = Client::new(&sim);
    let started = Instant::now();
    let first = sid(&client.send(STRANGER, "1").await);
    let second = sid(&client.send(STRANGER, "2").await);
    let third = sid(&client.send(STRANGER, "3").await);
    // Another sender is not held up by this one's queue.
    let (code, other) = client
        .create(&[("To", STRANGER), ("From", SENDER_2), ("Body", "other")])
        .await;
    assert_eq!(code, 201);
    let other = sid(&other);

    wait_for(&client, &first, Duration::from_secs(5), |m| {
        m["status"] == "delivered"
    })
    .await;
    wait_for(&client, &other, Duration::from_secs(5), |m| {
        m["status"] == "delivered"
    })
    .await;
    if started.elapsed() < Duration::from_millis(400) {
        assert_eq!(
            status(&client, &third).await,
            "queued",
            "third waits half a second"
        );
    }
    wait_for(&client, &second, Duration::from_secs(5), |m| {
        m["status"] != "queued"
    })
    .await;
    wait_for(&client, &third, Duration::from_secs(5), |m| {
        m["status"] != "queued"
    })
    .await;
    assert!(
        started.elapsed() >= Duration::from_millis(500),
        "the third message left the queue after {:?}",
        started.elapsed()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_full_queue_refuses_with_21611() {
    // 1 segment per second, at most 2 seconds queued.
    let sim = start(paced(1.0, 2)).await;
    let client = Client::new(&sim);
    client.send(STRANGER, "now").await;
    client.send(STRANGER, "in 1 s").await;
    client.send(STRANGER, "in 2 s").await;
    let (code, json) = client
        .create(&[("To", STRANGER), ("From", SENDER), ("Body", "in 3 s")])
        .await;
    assert_error(code, &json, 400, 21611);
    // Segments count: this sender is free, but one long message fills its queue.
    let long = "a".repeat(153 * 4);
    let (code, _) = client
        .create(&[("To", STRANGER), ("From", SENDER_2), ("Body", &long)])
        .await;
    assert_eq!(code, 201);
    let (code, json) = client
        .create(&[("To", STRANGER), ("From", SENDER_2), ("Body", "next")])
        .await;
    assert_error(code, &json, 400, 21611);
    sim.shutdown().await;
}

#[tokio::test]
async fn messaging_service_mode_fails_overflow_later_with_30001() {
    let mut config = paced(1.0, 1);
    config.scenario.messaging_service = true;
    let sim = start(config).await;
    let client = Client::new(&sim);
    client.send(STRANGER, "now").await;
    client.send(STRANGER, "in 1 s").await;
    let overflow = client.send(STRANGER, "in 2 s: too late").await;
    let m = wait_for(&client, &sid(&overflow), Duration::from_secs(5), |m| {
        m["status"] == "failed"
    })
    .await;
    assert_eq!(m["error_code"], 30001);
    assert_eq!(m["error_message"], "Queue overflow");
    sim.shutdown().await;
}

#[tokio::test]
async fn the_demo_world_is_paced_like_a_long_code() {
    let config = SimConfig::demo();
    assert_eq!(config.scenario.throughput, Throughput::LONG_CODE);
    assert_eq!(
        SimConfig::default().scenario.throughput,
        Throughput::UNTHROTTLED
    );
}
