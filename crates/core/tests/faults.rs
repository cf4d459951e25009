//! The client against the simulator's injected faults, over real HTTP: what is retried, what is
//! never retried, and how an answer that never came is reported.

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use switchboard_core::provider::twilio::{RetryPolicy, Timeouts, TwilioClient, TwilioCredentials};
use switchboard_core::provider::{ListQuery, OutboundRequest, Provider};
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

#[tokio::test]
async fn the_outbox_marks_an_unanswered_create_unconfirmed_and_never_resends_it() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    fault(
        &sim,
        json!({"kind": "drop_after_store", "count": 1, "only": "create"}),
    )
    .await;
    core.start();
    let sent = core
        .send(switchboard_core::outbox::SendInput {
            to: Some(CUSTOMER.into()),
            body: "did it go?".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let message = eventually(10, "the unanswered create", || async {
        let (_, messages) = core.thread(sent.conversation_id).await.unwrap();
        messages.into_iter().find(|m| m.error_code.is_some())
    })
    .await;
    assert_eq!(message.error_code.as_deref(), Some("provider_no_answer"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sim.create_requests(), 1, "not resent");
    core.shutdown().await;
}
