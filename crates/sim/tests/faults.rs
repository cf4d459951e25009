//! Faults over real HTTP: 5xx and 429 bodies, slow answers, connections closed without an
//! answer (before and after storing), limits by operation, and the duplicate counters.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};
use switchboard_sim::{Fault, Operation};

async fn admin(
    sim: &switchboard_sim::RunningSim,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new().request(method, format!("{}{path}", sim.base_url()));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("admin request sent");
    let status = response.status().as_u16();
    let text = response.text().await.expect("admin body");
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).expect("admin JSON")
    };
    (status, json)
}

async fn arm(sim: &switchboard_sim::RunningSim, fault: Value) -> Value {
    let (status, json) = admin(sim, reqwest::Method::POST, "/_sim/faults", Some(fault)).await;
    assert_eq!(status, 201, "{json}");
    json
}

/// Sends a create and returns the transport error, failing if any HTTP answer came back.
async fn create_expecting_no_answer(client: &Client, to: &str, body: &str) -> reqwest::Error {
    let sent = client
        .http
        .post(format!("{}{}", client.base, client.messages_path()))
        .basic_auth(&client.user, Some(&client.pass))
        .form(&[("To", to), ("From", SENDER), ("Body", body)])
        .timeout(Duration::from_secs(10))
        .send()
        .await;
    match sent {
        Ok(response) => panic!("expected no answer, got HTTP {}", response.status()),
        Err(error) => error,
    }
}

async fn listed_to(client: &Client, to: &str) -> Vec<Value> {
    let (status, page) = client.list(&format!("To={}", to.replace('+', "%2B"))).await;
    assert_eq!(status, 200, "{page}");
    page["messages"].as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn server_errors_answer_twilio_bodies_then_stop() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let armed = arm(
        &sim,
        json!({"kind": "server_error", "status": 503, "count": 2}),
    )
    .await;
    assert_eq!(
        armed,
        json!({"kind": "server_error", "status": 503, "count": 2})
    );
    for _ in 0..2 {
        let (status, body) = client
            .create(&[("To", STRANGER), ("From", SENDER), ("Body", "x")])
            .await;
        assert_error(status, &body, 503, 20500);
        assert_eq!(body["message"], "Service Unavailable");
    }
    assert!(
        listed_to(&client, STRANGER).await.is_empty(),
        "a 5xx fault must not store"
    );
    client.send(STRANGER, "x").await;
    // Requests that hit a fault still count: three creates, one stored.
    assert_eq!(sim.create_requests(), 3);
    assert_eq!(sim.creates_to_with_body(STRANGER, "x"), 3);
    sim.shutdown().await;
}

#[tokio::test]
async fn rate_limit_only_hits_the_chosen_operation() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    arm(
        &sim,
        json!({"kind": "rate_limit", "count": 3, "only": "list"}),
    )
    .await;
    let m = client.send(STRANGER, "not limited").await;
    let sid = m["sid"].as_str().expect("sid");
    let (status, _) = client.fetch(sid).await;
    assert_eq!(status, 200);
    for _ in 0..3 {
        let (status, body) = client.list("").await;
        assert_error(status, &body, 429, 20429);
        assert_eq!(body["message"], "Too Many Requests");
    }
    let (status, page) = client.list("").await;
    assert_eq!(status, 200, "{page}");
    sim.shutdown().await;
}

#[tokio::test]
async fn admin_calls_and_unknown_paths_never_spend_a_fault() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    arm(&sim, json!({"kind": "server_error"})).await;
    let (status, _) = admin(&sim, reqwest::Method::GET, "/_sim/stats", None).await;
    assert_eq!(status, 200);
    let (status, _) = client.get("/2010-04-01/Accounts/AC1/Calls.json").await;
    assert_eq!(status, 404);
    let (status, faults) = admin(&sim, reqwest::Method::GET, "/_sim/faults", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        faults,
        json!([{"kind": "server_error", "status": 500, "count": 1}])
    );
    let (status, body) = client
        .get(&format!(
            "/2010-04-01/Accounts/{ACCOUNT}/IncomingPhoneNumbers.json"
        ))
        .await;
    assert_error(status, &body, 500, 20500);
    sim.shutdown().await;
}

#[tokio::test]
async fn delete_clears_every_fault() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    arm(&sim, json!({"kind": "rate_limit", "count": 5})).await;
    arm(&sim, json!({"kind": "drop_before_store"})).await;
    let (status, _) = admin(&sim, reqwest::Method::DELETE, "/_sim/faults", None).await;
    assert_eq!(status, 204);
    let (status, faults) = admin(&sim, reqwest::Method::GET, "/_sim/faults", None).await;
    assert_eq!((status, faults), (200, json!([])));
    client.send(STRANGER, "after clearing").await;
    sim.shutdown().await;
}

#[tokio::test]
async fn bad_fault_bodies_are_refused_with_the_problem() {
    let sim = start(config()).await;
    let cases = [
        (json!({"kind": "explode"}), "explode"),
        (json!({"kind": "rate_limit", "cuont": 2}), "cuont"),
        (json!({"kind": "server_error", "status": 404}), "404"),
        (json!({"kind": "slow"}), "delay_ms"),
        (json!({"kind": "rate_limit", "count": 0}), "count"),
        (json!({"kind": "rate_limit", "only": "delete"}), "delete"),
    ];
    for (body, mentioned) in cases {
        let (status, json) = admin(
            &sim,
            reqwest::Method::POST,
            "/_sim/faults",
            Some(body.clone()),
        )
        .await;
        assert_error(status, &json, 400, 20001);
        let message = json["message"].as_str().unwrap_or_default();
        assert!(message.contains(mentioned), "{body} → {message}");
    }
    let (_, faults) = admin(&sim, reqwest::Method::GET, "/_sim/faults", None).await;
    assert_eq!(faults, json!([]));
    sim.shutdown().await;
}

#[tokio::test]
async fn slow_answers_after_processing() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    arm(
        &sim,
        json!({"kind": "slow", "delay_ms": 300, "only": "fetch"}),
    )
    .await;
    let m = client.send(STRANGER, "slow").await;
    let sid = m["sid"].as_str().expect("sid");
    let started = Instant::now();
    let (status, _) = client.fetch(sid).await;
    assert_eq!(status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );

    // A client that gives up first has still had its create processed.
    sim.set_fault(Fault::slow(Duration::from_secs(3)).only(Operation::Create));
    let timed_out = client
        .http
        .post(format!("{}{}", client.base, client.messages_path()))
        .basic_auth(ACCOUNT, Some(TOKEN))
        .form(&[("To", CUSTOMER), ("From", SENDER), ("Body", "late answer")])
        .timeout(Duration::from_millis(200))
        .send()
        .await;
    assert!(
        timed_out.as_ref().is_err_and(reqwest::Error::is_timeout),
        "{timed_out:?}"
    );
    let listed = listed_to(&client, CUSTOMER).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["body"], "late answer");
    sim.shutdown().await;
}

#[tokio::test]
async fn drop_before_store_closes_the_connection_and_stores_nothing() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    arm(&sim, json!({"kind": "drop_before_store"})).await;
    let started = Instant::now();
    let error = create_expecting_no_answer(&client, STRANGER, "lost").await;
    assert!(
        !error.is_timeout(),
        "the connection must close, not hang: {error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(listed_to(&client, STRANGER).await.is_empty());
    assert_eq!(sim.creates_to_with_body(STRANGER, "lost"), 1);
    // The fault is spent; the same client keeps working.
    client.send(STRANGER, "lost").await;
    assert_eq!(listed_to(&client, STRANGER).await.len(), 1);
    assert_eq!(sim.creates_to_with_body(STRANGER, "lost"), 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn drop_after_store_keeps_the_message_and_its_lifecycle() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    arm(&sim, json!({"kind": "drop_after_store"})).await;
    let error = create_expecting_no_answer(&client, STRANGER, "sent but unconfirmed").await;
    assert!(!error.is_timeout(), "{error:?}");
    let listed = listed_to(&client, STRANGER).await;
    assert_eq!(
        listed.len(),
        1,
        "the message exists although no answer came"
    );
    assert_eq!(listed[0]["body"], "sent but unconfirmed");
    let sid = listed[0]["sid"].as_str().expect("sid");
    wait_for(&client, sid, Duration::from_secs(5), |m| {
        m["status"] == "delivered"
    })
    .await;
    assert_eq!(sim.creates_to(STRANGER), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn in_process_faults_arm_and_clear() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    sim.set_fault(Fault::server_error(502).times(2).only(Operation::Create));
    sim.set_fault(Fault::rate_limit());
    let (status, body) = client.list("").await;
    assert_error(status, &body, 429, 20429);
    let (status, body) = client
        .create(&[("To", STRANGER), ("From", SENDER), ("Body", "x")])
        .await;
    assert_error(status, &body, 502, 20500);
    sim.clear_faults();
    client.send(STRANGER, "x").await;
    sim.set_fault(Fault::drop_before_store());
    let error = create_expecting_no_answer(&client, STRANGER, "y").await;
    assert!(!error.is_timeout());
    sim.shutdown().await;
}

#[tokio::test]
async fn stats_count_creates_by_sender_recipient_and_body() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    client.send(STRANGER, "same").await;
    client.send(STRANGER, "same").await;
    client.send(CUSTOMER, "same").await;
    let (status, _) = client
        .create(&[("To", STRANGER), ("From", SENDER_2), ("Body", "other")])
        .await;
    assert_eq!(status, 201);
    sim.set_fault(Fault::rate_limit());
    let (status, _) = client
        .create(&[("To", STRANGER), ("From", SENDER), ("Body", "same")])
        .await;
    assert_eq!(status, 429);
    // Refused by validation, still counted.
    let (status, _) = client
        .create(&[("To", "+15005550001"), ("From", SENDER), ("Body", "bad")])
        .await;
    assert_eq!(status, 400);

    assert_eq!(sim.creates_to(STRANGER), 4);
    assert_eq!(sim.creates_to_with_body(STRANGER, "same"), 3);
    assert_eq!(sim.creates_to_with_body(STRANGER, "other"), 1);
    assert_eq!(sim.creates_from(SENDER), 5);
    assert_eq!(sim.creates_from(SENDER_2), 1);
    assert_eq!(sim.creates_to("+19999999999"), 0);

    let (status, stats) = admin(&sim, reqwest::Method::GET, "/_sim/stats", None).await;
    assert_eq!(status, 200);
    assert_eq!(stats["create_requests"], 6);
    assert_eq!(stats["by_from"], json!({SENDER: 5, SENDER_2: 1}));
    assert_eq!(
        stats["by_to"],
        json!({STRANGER: 4, CUSTOMER: 1, "+15005550001": 1})
    );
    assert_eq!(
        stats["by_to_body"][0],
        json!({"to": STRANGER, "body": "same", "count": 3})
    );
    assert_eq!(stats["by_to_body"].as_array().map(Vec::len), Some(4));
    sim.shutdown().await;
}
