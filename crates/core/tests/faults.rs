//! The client against the simulator's injected faults, over real HTTP: what is retried, what is
//! never retried, and how an answer that never came is reported.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use switchboard_core::domain::MessageStatus;
use switchboard_core::provider::twilio::{RetryPolicy, Timeouts, TwilioClient, TwilioCredentials};
use switchboard_core::provider::{ListQuery, OutboundRequest, Provider};
use switchboard_core::reconcile::LOOKUPS_BEFORE_RESEND;
use switchboard_sim::RunningSim;

/// A client with quick retries and a short request timeout, so fault tests stay fast.
fn quick_client(sim: &RunningSim, retries: usize) -> TwilioClient {
    TwilioClient::with_policy(
        &sim.base_url(),
        TwilioCredentials {
            account_sid: ACCOUNT.into(),
            username: ACCOUNT.into(),
            secret: TOKEN.into(),
        },
        Timeouts {
            connect: Duration::from_secs(2),
            request: Duration::from_millis(800),
        },
        RetryPolicy {
            max_retries: retries,
            min_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(40),
        },
    )
    .unwrap()
}

async fn fault(sim: &RunningSim, spec: serde_json::Value) {
    let answer = reqwest::Client::new()
        .post(format!("{}/_sim/faults", sim.base_url()))
        .json(&spec)
        .send()
        .await
        .unwrap();
    assert!(
        answer.status().is_success(),
        "fault {spec} refused: {}",
        answer.status()
    );
}

fn request(body: &str) -> OutboundRequest {
    OutboundRequest {
        reference: 7,
        from: SENDER.into(),
        to: "+13125550123".into(),
        body: body.into(),
        media: vec![],
    }
}

async fn listed_bodies(sim: &RunningSim) -> Vec<String> {
    let page = quick_client(sim, 0)
        .list(
            &ListQuery {
                from: Some(SENDER.into()),
                page_size: 100,
                ..Default::default()
            },
            None,
        )
        .await
        .unwrap();
    page.messages.into_iter().map(|m| m.body).collect()
}

#[tokio::test]
async fn a_burst_of_429s_on_a_read_is_ridden_out() {
    let sim = simulator().await;
    fault(&sim, json!({"kind": "rate_limit", "count": 2})).await;
    let page = quick_client(&sim, 3)
        .list(
            &ListQuery {
                to: Some(SENDER.into()),
                page_size: 10,
                ..Default::default()
            },
            None,
        )
        .await;
    assert!(page.is_ok(), "{page:?}");
}

#[tokio::test]
async fn retries_are_bounded_and_then_the_rate_limit_is_reported() {
    let sim = simulator().await;
    fault(&sim, json!({"kind": "rate_limit", "count": 10})).await;
    let err = quick_client(&sim, 2)
        .fetch("SM00000000000000000000000000000000")
        .await
        .unwrap_err();
    assert_eq!(err.code(), "provider_rate_limited");
    assert_eq!(err.message_code(), "20429");
}

#[tokio::test]
async fn a_5xx_on_a_read_is_retried() {
    let sim = simulator().await;
    let created = quick_client(&sim, 0)
        .create(&request("hello"))
        .await
        .unwrap();
    fault(
        &sim,
        json!({"kind": "server_error", "status": 503, "count": 2, "only": "fetch"}),
    )
    .await;
    let fetched = quick_client(&sim, 3).fetch(&created.sid).await.unwrap();
    assert_eq!(fetched.sid, created.sid);
}

#[tokio::test]
async fn a_429_on_a_create_is_retried_because_nothing_was_processed() {
    let sim = simulator().await;
    fault(
        &sim,
        json!({"kind": "rate_limit", "count": 1, "only": "create"}),
    )
    .await;
    quick_client(&sim, 3)
        .create(&request("after a 429"))
        .await
        .unwrap();
    assert_eq!(
        listed_bodies(&sim).await,
        vec!["after a 429".to_string()],
        "stored once"
    );
}

#[tokio::test]
async fn a_5xx_on_a_create_is_never_retried() {
    let sim = simulator().await;
    fault(
        &sim,
        json!({"kind": "server_error", "status": 502, "count": 1, "only": "create"}),
    )
    .await;
    let err = quick_client(&sim, 3)
        .create(&request("maybe"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "provider_server");
    assert_eq!(sim.create_requests(), 1, "one request only");
}

#[tokio::test]
async fn a_connection_dropped_after_the_message_was_stored_is_no_answer() {
    let sim = simulator().await;
    fault(&sim, json!({"kind": "drop_after_store", "count": 1})).await;
    let err = quick_client(&sim, 3)
        .create(&request("stored but unanswered"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "provider_no_answer", "{err:?}");
    assert_eq!(sim.create_requests(), 1, "never repeated");
    assert_eq!(
        listed_bodies(&sim).await,
        vec!["stored but unanswered".to_string()]
    );
}

#[tokio::test]
async fn a_connection_dropped_before_storing_is_also_no_answer() {
    let sim = simulator().await;
    fault(&sim, json!({"kind": "drop_before_store", "count": 1})).await;
    let err = quick_client(&sim, 3)
        .create(&request("lost"))
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        "provider_no_answer",
        "the client cannot tell the two apart"
    );
    assert!(listed_bodies(&sim).await.is_empty());
}

#[tokio::test]
async fn a_slow_answer_times_out_as_no_answer_for_a_create() {
    let sim = simulator().await;
    fault(
        &sim,
        json!({"kind": "slow", "delay_ms": 2000, "count": 1, "only": "create"}),
    )
    .await;
    let err = quick_client(&sim, 3)
        .create(&request("slow"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "provider_no_answer", "{err:?}");
}

fn to_customer(body: &str) -> switchboard_core::outbox::SendInput {
    switchboard_core::outbox::SendInput {
        to: Some(CUSTOMER.into()),
        body: body.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn an_unanswered_create_that_exists_is_found_and_its_sid_adopted_not_resent() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    fault(&sim, json!({"kind": "drop_after_store", "count": 1})).await;
    let sent = core.send(to_customer("did it go?")).await.unwrap();
    let pass = core.outbox().settle_now().await.unwrap();
    assert_eq!(pass.adopted, 1, "{pass:?}");
    let messages = core.thread(sent.conversation_id).await.unwrap().messages;
    assert!(messages[0].sid.is_some(), "the provider's SID was adopted");
    core.start();
    eventually(10, "delivery of the adopted message", || async {
        let messages = core.thread(sent.conversation_id).await.unwrap().messages;
        (messages[0].status == MessageStatus::Delivered).then_some(())
    })
    .await;
    assert_eq!(
        sim.creates_to_with_body(CUSTOMER, "did it go?"),
        1,
        "one create, never two"
    );
    let kinds: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, outcome FROM send_attempts WHERE message_id = ?1 ORDER BY id")
            .bind(sent.id)
            .fetch_all(core.store().pool())
            .await
            .unwrap();
    assert_eq!(
        kinds,
        vec![
            ("create".into(), "no_answer".into()),
            ("lookup".into(), "accepted".into())
        ]
    );
    core.shutdown().await;
}

#[tokio::test]
async fn an_unanswered_create_that_never_arrived_is_sent_once_more_after_the_lookups() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    fault(&sim, json!({"kind": "drop_before_store", "count": 1})).await;
    let sent = core.send(to_customer("second time lucky")).await.unwrap();
    for round in 1..LOOKUPS_BEFORE_RESEND {
        let pass = core.outbox().settle_now().await.unwrap();
        assert_eq!(
            pass.waiting, 1,
            "round {round}: still looking, not resending"
        );
        assert_eq!(sim.create_requests(), 1);
    }
    let pass = core.outbox().settle_now().await.unwrap();
    assert_eq!(pass.requeued, 1);
    assert_eq!(sim.create_requests(), 2, "sent once more, as a new attempt");
    assert_eq!(
        listed_bodies(&sim).await,
        vec!["second time lucky".to_string()]
    );
    let messages = core.thread(sent.conversation_id).await.unwrap().messages;
    assert!(messages[0].sid.is_some() && messages[0].error_code.is_none());
    core.shutdown().await;
}
