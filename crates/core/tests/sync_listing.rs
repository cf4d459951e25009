//! The sync's listings against the simulator over real HTTP: messages sent from elsewhere on
//! the account appear (outbound, from a cursor of their own), our own sends are never stored
//! twice, and a burst of any size is stored whole.

mod common;

use std::collections::HashSet;

use common::*;
use switchboard_core::domain::{Direction, Message, MessageStatus, OUTSIDE_AUTHOR};
use switchboard_core::store::conversations::{ConversationQuery, View};
use switchboard_core::Services;
use switchboard_sim::{Fault, Operation};

/// A message created straight through the simulator's Messages API, as the Twilio Console or
/// another app on the account would: nothing of Switchboard's is involved.
async fn create_elsewhere(sim: &switchboard_sim::RunningSim, to: &str, body: &str) -> String {
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!(
            "{}/2010-04-01/Accounts/{ACCOUNT}/Messages.json",
            sim.base_url()
        ))
        .basic_auth(ACCOUNT, Some(TOKEN))
        .form(&[("From", SENDER), ("To", to), ("Body", body)])
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["sid"].as_str().unwrap().to_string()
}

/// Every message of the conversation with `number`, oldest first.
async fn thread_with(core: &Services, number: &str) -> Vec<Message> {
    let list = core
        .conversations(&ConversationQuery::of(View::Open))
        .await
        .unwrap()
        .items;
    match list.iter().find(|c| c.contact_number == number) {
        Some(c) => core.thread(c.id).await.unwrap().messages,
        None => Vec::new(),
    }
}

#[tokio::test]
async fn a_text_sent_from_elsewhere_appears_with_its_status_and_failure() {
    let sim = simulator_with(undelivered("+13125550177", 30003)).await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    core.syncer().round().await.unwrap();
    let sid = create_elsewhere(&sim, "+13125550177", "Sent from the Console").await;

    let listed = eventually(10, "the outside message in its conversation", || async {
        core.syncer().round().await.unwrap();
        thread_with(&core, "+13125550177").await.into_iter().next()
    })
    .await;
    assert_eq!(listed.sid.as_deref(), Some(sid.as_str()));
    assert_eq!(listed.direction, Direction::Outbound);
    assert_eq!(listed.from, SENDER);
    assert_eq!(listed.body, "Sent from the Console");
    assert!(listed.outside);
    assert_eq!(listed.author.as_deref(), Some(OUTSIDE_AUTHOR));
    assert_eq!(listed.author_id, None, "no team member wrote it");

    let failed = eventually(10, "the carrier's failure", || async {
        core.syncer().round().await.unwrap();
        thread_with(&core, "+13125550177")
            .await
            .into_iter()
            .find(|m| m.status == MessageStatus::Undelivered)
    })
    .await;
    assert_eq!(failed.id, listed.id, "the same row, changed");
    assert_eq!(failed.error_code.as_deref(), Some("30003"));
    let failed_view = core
        .conversations(&ConversationQuery::of(View::Failed))
        .await
        .unwrap()
        .items;
    assert!(
        failed_view
            .iter()
            .any(|c| c.contact_number == "+13125550177"),
        "its failure is one to deal with"
    );
    assert_eq!(thread_with(&core, "+13125550177").await.len(), 1);
    core.shutdown().await;
}

#[tokio::test]
async fn our_own_sends_are_stored_once_even_when_their_answer_was_lost() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;

    let answered = core
        .send(switchboard_core::outbox::SendInput {
            to: Some(CUSTOMER.into()),
            body: "answered".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    core.outbox().settle_now().await.unwrap();

    // The next create reaches the simulator, which stores it and hangs up; the lookups that
    // would adopt it fail for now, so it stays a send with an unknown outcome.
    sim.set_fault(Fault::drop_after_store());
    sim.set_fault(Fault::server_error(503).only(Operation::List).times(20));
    let lost = core
        .send(switchboard_core::outbox::SendInput {
            to: Some(CUSTOMER.into()),
            body: "answer lost".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        core.outbox().settle_now().await.is_err(),
        "the lookup failed"
    );
    sim.clear_faults();

    for _ in 0..3 {
        core.syncer().round().await.unwrap();
    }
    core.outbox().settle_now().await.unwrap();
    core.syncer().round().await.unwrap();

    let outbound: Vec<Message> = core
        .thread(answered.conversation_id)
        .await
        .unwrap()
        .messages
        .into_iter()
        .filter(|m| m.direction == Direction::Outbound)
        .collect();
    let bodies: Vec<&str> = outbound.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, vec!["answered", "answer lost"], "one row each");
    assert!(outbound.iter().all(|m| !m.outside && m.sid.is_some()));
    assert_eq!(outbound[1].id, lost.id, "the lost answer's SID was adopted");
    assert_eq!(sim.creates_to_with_body(CUSTOMER, "answer lost"), 1);
    core.shutdown().await;
}

#[tokio::test]
async fn a_burst_bigger_than_a_round_is_stored_whole_and_once() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    core.syncer().round().await.unwrap();
    let mut sids = HashSet::new();
    for i in 0..12_000 {
        let from = format!("+1312555{:04}", 1000 + i % 40);
        sids.insert(sim.inject_inbound(ACCOUNT, &from, SENDER, &format!("burst {i}")));
    }
    assert_eq!(sids.len(), 12_000);

    // Round after round until one stores nothing more (each reads at most 5,000).
    let count = || async {
        sqlx::query_as::<_, (i64, i64)>(
            "SELECT COUNT(*), COUNT(DISTINCT sid) FROM messages WHERE direction = 'inbound'",
        )
        .fetch_one(core.store().pool())
        .await
        .unwrap()
    };
    let mut stored = count().await;
    loop {
        core.syncer().round().await.unwrap();
        let now = count().await;
        if now == stored {
            break;
        }
        stored = now;
    }
    assert_eq!(stored, (12_000, 12_000), "every message, none twice");
    let listed: HashSet<String> =
        sqlx::query_scalar("SELECT sid FROM messages WHERE direction = 'inbound'")
            .fetch_all(core.store().pool())
            .await
            .unwrap()
            .into_iter()
            .collect();
    assert_eq!(listed, sids);
    core.shutdown().await;
}
