//! Scenario outcomes over real HTTP: failures by recipient, receipts that never come,
//! Messaging-Service-style asynchronous errors, seeded random outcomes, scenario customers.

mod common;

use std::time::Duration;

use common::*;
use serde_json::Value;
use switchboard_sim::{RunningSim, Scenario};

fn with_scenario(toml: &str) -> switchboard_sim::SimConfig {
    let mut config = config();
    config.lifecycle = switchboard_sim::Lifecycle::uniform(Duration::from_millis(20));
    config.scenario = Scenario::from_toml(toml).unwrap_or_else(|e| panic!("{e}"));
    config.scenario.throughput = switchboard_sim::Throughput::UNTHROTTLED;
    config
}

fn settled(m: &Value) -> bool {
    ["delivered", "undelivered", "failed"].contains(&m["status"].as_str().unwrap_or_default())
}

async fn final_state(client: &Client, sid: &str) -> Value {
    wait_for(client, sid, Duration::from_secs(5), settled).await
}

async fn send_sid(client: &Client, to: &str) -> String {
    let m = client.send(to, "hello").await;
    m["sid"].as_str().expect("sid").to_owned()
}

#[tokio::test]
async fn rules_by_exact_number_prefix_and_range() {
    let sim = start(with_scenario(
        r#"
        [[outcomes]]
        to = "+15550100003"
        status = "undelivered"
        code = 30003
        [[outcomes]]
        to = "+1555777*"
        status = "failed"
        code = 30007
        message = "Filtered by the carrier"
        [[outcomes]]
        to = "+15550200000..+15550200999"
        status = "no_receipt"
        [[outcomes]]
        to = "+15550300000..+15550300999"
        status = "undelivered"
        code = 41234
        "#,
    ))
    .await;
    let client = Client::new(&sim);

    let sid = send_sid(&client, "+15550100003").await;
    let m = final_state(&client, &sid).await;
    assert_eq!(m["status"], "undelivered");
    assert_eq!(m["error_code"], 30003);
    assert_eq!(m["error_message"], "Unreachable destination handset");
    assert!(m["date_sent"].is_string(), "undelivered was sent: {m}");
    assert_eq!(m["price"], "-0.00790");

    let sid = send_sid(&client, "+15557771234").await;
    let m = final_state(&client, &sid).await;
    assert_eq!(m["status"], "failed");
    assert_eq!(m["error_code"], 30007);
    assert_eq!(m["error_message"], "Filtered by the carrier");
    assert!(
        m["date_sent"].is_null() && m["price"].is_null(),
        "failed is never sent: {m}"
    );

    let sid = send_sid(&client, "+15550300500").await;
    let m = final_state(&client, &sid).await;
    assert_eq!(m["error_code"], 41234);
    assert!(m["error_message"]
        .as_str()
        .is_some_and(|t| t.contains("41234")));

    // Outside the range and the prefix: delivered, no error.
    let sid = send_sid(&client, "+15550201000").await;
    let m = final_state(&client, &sid).await;
    assert_eq!(m["status"], "delivered");
    assert!(m["error_code"].is_null() && m["error_message"].is_null());

    let sid = send_sid(&client, "+15550200042").await;
    wait_for(&client, &sid, Duration::from_secs(5), |m| {
        m["status"] == "sent"
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, m) = client.fetch(&sid).await;
    assert_eq!(m["status"], "sent", "no receipt ever comes: {m}");
    assert!(m["error_code"].is_null());
    sim.shutdown().await;
}

#[tokio::test]
async fn messaging_service_mode_reports_recipient_errors_later() {
    let sim = start(with_scenario("messaging_service = true")).await;
    let client = Client::new(&sim);
    sim.inject_inbound(ACCOUNT, CUSTOMER, SENDER, "STOP");
    let cases = [
        (CUSTOMER, 21610),
        ("+15005550004", 21610),
        ("+15005550002", 21612),
        ("+15005550009", 21614),
    ];
    for (to, code) in cases {
        let (status, created) = client
            .create(&[("To", to), ("From", SENDER), ("Body", "hi")])
            .await;
        assert_eq!(status, 201, "{to}: {created}");
        assert_eq!(created["status"], "queued");
        assert!(created["error_code"].is_null());
        let sid = created["sid"].as_str().expect("sid");
        let m = final_state(&client, sid).await;
        assert_eq!(m["status"], "failed", "{to}");
        assert_eq!(m["error_code"], code, "{to}");
        assert!(m["error_message"].as_str().is_some_and(|t| !t.is_empty()));
    }
    // Problems with the request itself stay synchronous.
    let (status, json) = client
        .create(&[("To", "+15005550003"), ("From", SENDER), ("Body", "hi")])
        .await;
    assert_error(status, &json, 400, 21408);
    let (status, json) = client
        .create(&[("To", STRANGER), ("From", "+14155550999"), ("Body", "hi")])
        .await;
    assert_error(status, &json, 400, 21606);
    sim.shutdown().await;
}

#[tokio::test]
async fn without_messaging_service_mode_they_stay_synchronous() {
    let sim = start(with_scenario("")).await;
    let client = Client::new(&sim);
    let (status, json) = client
        .create(&[("To", "+15005550002"), ("From", SENDER), ("Body", "hi")])
        .await;
    assert_error(status, &json, 400, 21612);
    sim.shutdown().await;
}

/// Sends `n` messages one after another and returns their final statuses.
async fn outcomes_of_a_run(scenario: &str, n: usize) -> Vec<String> {
    let sim = start(with_scenario(scenario)).await;
    let client = Client::new(&sim);
    let mut sids = Vec::new();
    for i in 0..n {
        sids.push(send_sid(&client, &format!("+1646555{i:04}")).await);
    }
    let mut statuses = Vec::new();
    for sid in &sids {
        let m = final_state(&client, sid).await;
        statuses.push(format!("{}:{}", m["status"], m["error_code"]));
    }
    sim.shutdown().await;
    statuses
}

#[tokio::test]
async fn the_same_seed_gives_the_same_random_outcomes() {
    let scenario = |seed: u64| {
        format!(
            "seed = {seed}\n[[random]]\nprobability = 0.3\nstatus = \"undelivered\"\ncode = 30003\n\
             [[random]]\nprobability = 0.2\nstatus = \"failed\"\ncode = 30008\n"
        )
    };
    let first = outcomes_of_a_run(&scenario(42), 40).await;
    let second = outcomes_of_a_run(&scenario(42), 40).await;
    assert_eq!(first, second);
    let kinds: std::collections::HashSet<&String> = first.iter().collect();
    assert_eq!(
        kinds.len(),
        3,
        "40 draws at 30/20/50 % give every outcome: {first:?}"
    );
    let other = outcomes_of_a_run(&scenario(7), 40).await;
    assert_ne!(first, other, "another seed, other draws");
}

#[tokio::test]
async fn scenario_customers_reply() {
    let sim = start(with_scenario(
        r#"
        [[customers]]
        number = "+15550100200"
        name = "Sam"
        replies = ["On my way!"]
        delay_ms = 20
        "#,
    ))
    .await;
    let client = Client::new(&sim);
    client.send("+15550100200", "Are you coming?").await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    loop {
        let (_, page) = client.list("From=%2B15550100200").await;
        if let Some(reply) = page["messages"].as_array().and_then(|m| m.first()) {
            assert_eq!(reply["body"], "On my way!");
            assert_eq!(reply["to"], SENDER);
            assert_eq!(reply["direction"], "inbound");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no reply");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn scenario_faults_are_armed_at_start() {
    let sim: RunningSim = start(with_scenario(
        "[[faults]]\nkind = \"server_error\"\nstatus = 503\nonly = \"fetch\"",
    ))
    .await;
    let client = Client::new(&sim);
    let sid = send_sid(&client, STRANGER).await;
    let (status, json) = client.fetch(&sid).await;
    assert_error(status, &json, 503, 20500);
    let (status, _) = client.fetch(&sid).await;
    assert_eq!(status, 200);
    sim.shutdown().await;
}
