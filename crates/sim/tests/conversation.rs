//! Time-driven behaviour: status lifecycle, customer replies, STOP/START opt-out.

mod common;

use std::time::Duration;

use common::*;

const LIMIT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn lifecycle_reaches_delivered() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let created = client.send(STRANGER, "on its way").await;
    let sid = created["sid"].as_str().expect("sid").to_owned();
    assert_eq!(created["status"], "queued");
    assert!(created["price"].is_null());

    let mut seen = vec!["queued".to_owned()];
    let delivered = wait_for(&client, &sid, LIMIT, |m| m["status"] == "delivered").await;
    // Sample the path more closely on a second message.
    let second = client.send(STRANGER, "again").await;
    let second_sid = second["sid"].as_str().expect("sid").to_owned();
    let deadline = tokio::time::Instant::now() + LIMIT;
    while seen.last().map(String::as_str) != Some("delivered") {
        assert!(tokio::time::Instant::now() < deadline, "stuck: {seen:?}");
        let (_, m) = client.fetch(&second_sid).await;
        let status = m["status"].as_str().expect("status").to_owned();
        if seen.last() != Some(&status) {
            seen.push(status);
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let order = ["queued", "sending", "sent", "delivered"];
    let positions: Vec<usize> = seen
        .iter()
        .map(|s| order.iter().position(|o| o == s).expect("known status"))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{seen:?}");

    assert_eq!(delivered["price"], "-0.00790");
    assert_eq!(delivered["price_unit"], "USD");
    assert!(delivered["date_sent"].is_string());
    assert!(delivered["error_code"].is_null());
    assert_ne!(delivered["date_updated"], serde_json::Value::Null);
    sim.shutdown().await;
}

#[tokio::test]
async fn sent_status_sets_date_sent_and_price() {
    let mut config = config();
    config.lifecycle.to_delivered = Duration::from_secs(60);
    let sim = start(config).await;
    let client = Client::new(&sim);
    let body = "a".repeat(200);
    let created = client.send(STRANGER, &body).await;
    let sid = created["sid"].as_str().expect("sid").to_owned();
    let sent = wait_for(&client, &sid, LIMIT, |m| m["status"] == "sent").await;
    assert!(sent["date_sent"].is_string());
    assert_eq!(sent["num_segments"], "2");
    assert_eq!(sent["price"], "-0.01580");
    sim.shutdown().await;
}

#[tokio::test]
async fn customer_replies_arrive_inbound_and_cycle() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let query = "From=%2B12125550142&To=%2B14155550101";
    for expected in ["first reply", "second reply", "first reply"] {
        let (status, m) = client
            .create(&[
                ("To", CUSTOMER),
                ("From", SENDER_2),
                ("Body", "Can you confirm?"),
            ])
            .await;
        assert_eq!(status, 201, "{m}");
        let deadline = tokio::time::Instant::now() + LIMIT;
        let before = client.list(query).await.1["messages"]
            .as_array()
            .map_or(0, Vec::len);
        let reply = loop {
            let (_, page) = client.list(query).await;
            let messages = page["messages"].as_array().cloned().unwrap_or_default();
            if messages.len() > before {
                break messages[0].clone();
            }
            assert!(tokio::time::Instant::now() < deadline, "no reply arrived");
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        assert_eq!(reply["body"], expected);
        assert_eq!(reply["direction"], "inbound");
        assert_eq!(reply["status"], "received");
        assert_eq!(reply["from"], CUSTOMER);
        assert_eq!(reply["to"], SENDER_2);
        assert_eq!(reply["account_sid"], ACCOUNT);
        assert_eq!(reply["date_sent"], reply["date_created"]);
        assert!(reply["sid"].as_str().is_some_and(is_message_sid));
        // The reply comes only after delivery of the message it answers.
        let answered = client.fetch(m["sid"].as_str().expect("sid")).await.1;
        assert_eq!(answered["status"], "delivered");
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn stop_blocks_until_start() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let form = [("To", STRANGER), ("From", SENDER), ("Body", "hello")];
    assert_eq!(client.create(&form).await.0, 201);

    let stop_sid = sim.inject_inbound(ACCOUNT, STRANGER, SENDER, "  Stop ");
    let (status, stop) = client.fetch(&stop_sid).await;
    assert_eq!(status, 200);
    assert_eq!(stop["status"], "received");
    assert_eq!(stop["direction"], "inbound");

    let (status, json) = client.create(&form).await;
    assert_error(status, &json, 400, 21610);
    // Opting out of one sender leaves the others alone.
    let (status, json) = client
        .create(&[("To", STRANGER), ("From", SENDER_2), ("Body", "hello")])
        .await;
    assert_eq!(status, 201, "{json}");

    // Chatting is not opting back in.
    sim.inject_inbound(ACCOUNT, STRANGER, SENDER, "why did I get this?");
    assert_eq!(client.create(&form).await.0, 400);

    for (out, back) in [("unsubscribe", "start"), ("QUIT", "YES"), ("end", "unstop")] {
        sim.inject_inbound(ACCOUNT, STRANGER, SENDER, out);
        let (status, json) = client.create(&form).await;
        assert_error(status, &json, 400, 21610);
        sim.inject_inbound(ACCOUNT, STRANGER, SENDER, back);
        let (status, json) = client.create(&form).await;
        assert_eq!(status, 201, "after {back}: {json}");
    }
    assert_eq!(sim.create_requests(), 10);
    sim.shutdown().await;
}

#[tokio::test]
async fn customer_stop_reply_opts_out() {
    let mut config = config();
    config.customers[0].replies = vec!["STOP".into()];
    let sim = start(config).await;
    let client = Client::new(&sim);
    let form = [("To", CUSTOMER), ("From", SENDER), ("Body", "Reminder")];
    assert_eq!(client.create(&form).await.0, 201);
    let deadline = tokio::time::Instant::now() + LIMIT;
    loop {
        let (status, json) = client.create(&form).await;
        if status == 400 {
            assert_error(status, &json, 400, 21610);
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "STOP reply never applied"
        );
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn demo_config_serves_history() {
    let sim = start(switchboard_sim::SimConfig::demo()).await;
    let client = Client::with_creds(
        &sim,
        switchboard_sim::DEMO_ACCOUNT_SID,
        switchboard_sim::DEMO_ACCOUNT_SID,
        switchboard_sim::DEMO_AUTH_TOKEN,
    );
    let (status, page) = client.list("").await;
    assert_eq!(status, 200, "{page}");
    let messages = page["messages"].as_array().expect("messages");
    assert!((5..=6).contains(&messages.len()));
    assert!(messages.iter().all(|m| m["direction"] == "inbound"));
    let (status, m) = client
        .create(&[
            ("To", switchboard_sim::DEMO_CUSTOMERS[0].number),
            ("From", switchboard_sim::DEMO_NUMBERS[1]),
            ("Body", "See you Thursday?"),
        ])
        .await;
    assert_eq!(status, 201, "{m}");
    sim.shutdown().await;
}

#[tokio::test]
async fn the_admin_api_injects_inbound_and_counts_creates() {
    let sim = common::start(common::config()).await;
    let http = reqwest::Client::new();
    let answer = http
        .post(format!("{}/_sim/inbound", sim.base_url()))
        .json(&serde_json::json!({
            "account_sid": common::ACCOUNT, "from": common::CUSTOMER,
            "to": common::SENDER, "body": "<b>hi</b>"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 201);
    let sid = answer.json::<serde_json::Value>().await.unwrap()["sid"]
        .as_str()
        .unwrap()
        .to_string();
    let unknown = http
        .post(format!("{}/_sim/inbound", sim.base_url()))
        .json(&serde_json::json!({"account_sid": "ACnope", "from": "+1", "to": "+2", "body": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    let stats: serde_json::Value = http
        .get(format!("{}/_sim/stats", sim.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["create_requests"], 0);
    assert!(sid.starts_with("SM"));
}
