//! The whole core against the simulator: a send goes queued → delivered, a customer's reply comes
//! in, a rejected send keeps its code, and the message is stored before any HTTP call.

mod common;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use common::*;
use switchboard_core::domain::{Direction, MessageStatus, Sender};
use switchboard_core::events::CoreEvent;
use switchboard_core::outbox::SendInput;
use switchboard_core::provider::{
    AccountNumber, ListQuery, MessagePage, OutboundRequest, PageCursor, Provider, ProviderError,
    ProviderMessage,
};
use switchboard_core::store::conversations::{ConversationQuery, View};
use switchboard_core::store::Store;
use switchboard_core::Tuning;

fn to_customer(body: &str) -> SendInput {
    SendInput {
        to: Some(CUSTOMER.into()),
        body: body.into(),
        ..Default::default()
    }
}

#[tokio::test]
async fn a_reply_goes_out_is_delivered_and_the_customer_answers() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    let mut events = core.events().subscribe();
    core.start();

    let sent = core
        .send(to_customer("Your table is booked for 7pm"))
        .await
        .unwrap();
    assert_eq!(sent.status, MessageStatus::Pending);
    assert_eq!(sent.direction, Direction::Outbound);

    let thread = eventually(10, "delivery and a reply", || async {
        let messages = core.thread(sent.conversation_id).await.unwrap().messages;
        let delivered = messages
            .iter()
            .any(|m| m.id == sent.id && m.status == MessageStatus::Delivered);
        let replied = messages.iter().any(|m| m.direction == Direction::Inbound);
        (delivered && replied).then_some(messages)
    })
    .await;
    let ours = thread.iter().find(|m| m.id == sent.id).unwrap();
    assert!(ours.sid.is_some() && ours.sent_at.is_some() && ours.delivered_at.is_some());
    assert_eq!(ours.provider_status.as_deref(), Some("delivered"));
    let reply = thread
        .iter()
        .find(|m| m.direction == Direction::Inbound)
        .unwrap();
    assert_eq!(reply.body, CUSTOMER_REPLY);
    assert_eq!(reply.from, CUSTOMER);

    let list = core
        .conversations(&ConversationQuery::of(View::Open))
        .await
        .unwrap()
        .items;
    assert_eq!(list.len(), 1, "reply landed in the same conversation");
    assert_eq!(list[0].unread, 1);
    assert_eq!(list[0].last_message.as_ref().unwrap().body, CUSTOMER_REPLY);
    core.mark_read(list[0].id).await.unwrap();
    assert_eq!(
        core.conversations(&ConversationQuery::of(View::Open))
            .await
            .unwrap()
            .items[0]
            .unread,
        0
    );

    let mut received = false;
    while let Ok(e) = events.try_recv() {
        received |= matches!(e, CoreEvent::MessageReceived(ref a) if a.body == CUSTOMER_REPLY);
    }
    assert!(received, "a MessageReceived event was emitted");
    assert_eq!(sim.create_requests(), 1, "exactly one create for one send");
    core.shutdown().await;
}

#[tokio::test]
async fn a_rejected_send_is_failed_with_its_code_and_attempt() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    core.start();
    let sent = core
        .send(SendInput {
            to: Some("+1 500 555 0001".into()),
            body: "hello".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let failed = eventually(5, "the rejection", || async {
        let messages = core.thread(sent.conversation_id).await.unwrap().messages;
        messages
            .into_iter()
            .find(|m| m.status == MessageStatus::Failed)
    })
    .await;
    assert_eq!(failed.error_code.as_deref(), Some("21211"));
    assert!(failed
        .error_message
        .unwrap()
        .contains("not a valid phone number"));
    let (outcome, http, code): (String, i64, String) = sqlx::query_as(
        "SELECT outcome, http_status, error_code FROM send_attempts WHERE message_id = ?1",
    )
    .bind(sent.id)
    .fetch_one(core.store().pool())
    .await
    .unwrap();
    assert_eq!(
        (outcome.as_str(), http, code.as_str()),
        ("rejected", 400, "21211")
    );
    core.shutdown().await;
}

#[tokio::test]
async fn inbound_history_is_synced_once_even_when_listed_twice() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    for i in 0..130 {
        sim.inject_inbound(ACCOUNT, "+13125550111", SENDER, &format!("question {i}"));
    }
    core.syncer().round().await.unwrap();
    core.syncer().round().await.unwrap();
    let list = core
        .conversations(&ConversationQuery::of(View::Open))
        .await
        .unwrap()
        .items;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].unread, 130);
    let messages = core.thread(list[0].id).await.unwrap().messages;
    assert_eq!(messages.len(), 130);
    assert_eq!(
        messages.last().unwrap().body,
        "question 129",
        "oldest first"
    );
}

#[tokio::test]
async fn a_new_account_gets_its_numbers_as_senders() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = switchboard_core::open_with_provider(
        database(&dir),
        Arc::new(client(&sim, TOKEN)),
        &[],
        Tuning {
            poll_interval: Duration::from_millis(50),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(core.senders().await.unwrap().is_empty());
    core.syncer().round().await.unwrap();
    let numbers: Vec<String> = core
        .senders()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.number)
        .collect();
    assert_eq!(numbers, vec![SENDER.to_string()]);
    // With the sender known, a new conversation can start without naming one.
    core.send(to_customer("hello")).await.unwrap();
}

#[tokio::test]
async fn bad_input_is_refused_with_a_code_and_nothing_is_stored() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    let cases = [
        (
            SendInput {
                to: Some("call me".into()),
                body: "x".into(),
                ..Default::default()
            },
            "number_impossible",
        ),
        (to_customer("   "), "body_empty"),
        (to_customer("Hi {{first_name}}"), "template_field_unfilled"),
        (
            SendInput {
                to: Some(SENDER.into()),
                body: "x".into(),
                ..Default::default()
            },
            "number_same_as_sender",
        ),
        (to_customer(&"a".repeat(1601)), "body_too_long"),
        (
            SendInput {
                conversation_id: Some(999),
                body: "x".into(),
                ..Default::default()
            },
            "unknown_conversation",
        ),
        (
            SendInput {
                to: Some(CUSTOMER.into()),
                from: Some("+19995550000".into()),
                body: "x".into(),
                ..Default::default()
            },
            "unknown_sender",
        ),
    ];
    for (input, code) in cases {
        assert_eq!(core.send(input).await.unwrap_err().code(), code);
    }
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages")
        .fetch_one(core.store().pool())
        .await
        .unwrap();
    assert_eq!(count, 0);
}

/// A provider that looks in the database at the moment of the create call.
struct Inspecting {
    store: Store,
    seen: std::sync::Mutex<Option<(String, String)>>,
}

#[async_trait]
impl Provider for Inspecting {
    async fn create(&self, r: &OutboundRequest) -> Result<ProviderMessage, ProviderError> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT outbox_state, body FROM messages WHERE id = ?1")
                .bind(r.reference)
                .fetch_optional(self.store.pool())
                .await
                .unwrap();
        *self.seen.lock().unwrap() = row;
        Err(ProviderError::NoAnswer("connection reset".into()))
    }
    async fn fetch(&self, _: &str) -> Result<ProviderMessage, ProviderError> {
        Err(ProviderError::Unreachable("offline".into()))
    }
    async fn list(
        &self,
        _: &ListQuery,
        _: Option<&PageCursor>,
    ) -> Result<MessagePage, ProviderError> {
        Ok(MessagePage {
            messages: vec![],
            next: None,
        })
    }
    async fn list_numbers(&self) -> Result<Vec<AccountNumber>, ProviderError> {
        Ok(vec![])
    }
}

#[tokio::test]
async fn the_message_is_on_disk_before_the_http_call_and_no_answer_is_not_resent() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&database(&dir)).await.unwrap();
    let provider = Arc::new(Inspecting {
        store,
        seen: Default::default(),
    });
    let core = switchboard_core::open_with_provider(
        database(&dir),
        provider.clone(),
        &[Sender {
            number: SENDER.into(),
            label: None,
        }],
        Tuning {
            poll_interval: Duration::from_millis(50),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    core.start();
    let sent = core.send(to_customer("written first")).await.unwrap();
    let seen = eventually(5, "the create call", || async {
        provider.seen.lock().unwrap().clone()
    })
    .await;
    assert_eq!(
        seen,
        ("submitting".to_string(), "written first".to_string())
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    let messages = core.thread(sent.conversation_id).await.unwrap().messages;
    assert_eq!(
        messages[0].status,
        MessageStatus::Pending,
        "never shown as sent or failed"
    );
    assert_eq!(
        messages[0].error_code.as_deref(),
        Some("provider_no_answer")
    );
    let creates: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM send_attempts WHERE kind = 'create'")
            .fetch_one(core.store().pool())
            .await
            .unwrap();
    assert_eq!(
        creates, 1,
        "an unanswered create is looked up, not retried blindly"
    );
    core.shutdown().await;
}

#[tokio::test]
async fn two_workers_on_one_database_send_each_message_once() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let first = services(&sim, &dir).await;
    let second = services(&sim, &dir).await;
    for i in 0..20 {
        first
            .send(to_customer(&format!("burst {i}")))
            .await
            .unwrap();
    }
    first.start();
    second.start();
    eventually(10, "every message accepted", || async {
        let left: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM messages WHERE outbox_state IN ('queued', 'submitting')",
        )
        .fetch_one(first.store().pool())
        .await
        .unwrap();
        (left == 0).then_some(())
    })
    .await;
    assert_eq!(
        sim.create_requests(),
        20,
        "each message created exactly once"
    );
    first.shutdown().await;
    second.shutdown().await;
}

#[tokio::test]
async fn a_send_cut_off_by_a_crash_is_marked_unconfirmed_not_resent() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    let sent = core.send(to_customer("interrupted")).await.unwrap();
    // What a kill during the HTTP call leaves behind.
    sqlx::query("UPDATE messages SET outbox_state = 'submitting' WHERE id = ?1")
        .bind(sent.id)
        .execute(core.store().pool())
        .await
        .unwrap();
    sqlx::query("INSERT INTO send_attempts (message_id, kind, started_at, outcome) VALUES (?1, 'create', 0, 'in_flight')")
        .bind(sent.id)
        .execute(core.store().pool())
        .await
        .unwrap();
    core.shutdown().await;

    let core = services(&sim, &dir).await;
    core.start();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let messages = core.thread(sent.conversation_id).await.unwrap().messages;
    assert_eq!(messages[0].status, MessageStatus::Pending);
    assert_eq!(
        messages[0].error_code.as_deref(),
        Some("provider_no_answer")
    );
    let outcome: String = sqlx::query_scalar(
        "SELECT outcome FROM send_attempts WHERE message_id = ?1 AND kind = 'create'",
    )
    .bind(sent.id)
    .fetch_one(core.store().pool())
    .await
    .unwrap();
    assert_eq!(outcome, "no_answer");
    assert_eq!(
        sim.create_requests(),
        0,
        "never sent blindly after the restart"
    );
    core.shutdown().await;
}

#[tokio::test]
async fn a_carrier_failure_after_sent_arrives_with_its_code() {
    let sim = simulator_with(undelivered("+13125550177", 30003)).await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    core.start();
    let sent = core
        .send(SendInput {
            to: Some("+13125550177".into()),
            body: "phone off?".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let m = eventually(10, "the undelivered report", || async {
        let messages = core.thread(sent.conversation_id).await.unwrap().messages;
        messages
            .into_iter()
            .find(|m| m.status == MessageStatus::Undelivered)
    })
    .await;
    assert_eq!(m.error_code.as_deref(), Some("30003"));
    assert!(
        m.sent_at.is_some(),
        "it was sent before the carrier gave up"
    );
    assert_eq!(
        switchboard_core::catalogue::explain("30003").title,
        "Phone unreachable"
    );
    core.shutdown().await;
}

#[tokio::test]
async fn a_message_that_never_gets_a_receipt_becomes_sent_no_receipt() {
    let scenario = switchboard_sim::Scenario::from_toml(
        r#"
        segments_per_second = 0
        [[outcomes]]
        to = "+13125550188"
        status = "no_receipt"
        "#,
    )
    .unwrap();
    let sim = simulator_with(scenario).await;
    let dir = tempfile::tempdir().unwrap();
    let core = services_with(
        &sim,
        &dir,
        Tuning {
            poll_interval: Duration::from_millis(50),
            no_receipt_after: Duration::from_millis(1500),
            ..Default::default()
        },
    )
    .await;
    core.start();
    let sent = core
        .send(SendInput {
            to: Some("+13125550188".into()),
            body: "any receipt?".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    eventually(5, "sent", || async {
        let m = core.thread(sent.conversation_id).await.unwrap().messages;
        (m[0].status == MessageStatus::Sent).then_some(())
    })
    .await;
    let m = eventually(10, "sent, no receipt", || async {
        let m = core.thread(sent.conversation_id).await.unwrap().messages;
        (m[0].status == MessageStatus::SentNoReceipt).then(|| m[0].clone())
    })
    .await;
    assert!(m.status.is_final() && !m.status.is_failure());
    core.shutdown().await;
}

#[tokio::test]
async fn failures_and_keywords_are_remembered_on_the_number() {
    let scenario = switchboard_sim::Scenario::from_toml(
        "segments_per_second = 0\n[[outcomes]]\nto = \"+13125550166\"\nstatus = \"undelivered\"\ncode = 30006\n",
    )
    .unwrap();
    let sim = simulator_with(scenario).await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    let landline = "+13125550166";
    let send = |to: &str, body: &str, confirmed: bool| SendInput {
        to: Some(to.into()),
        body: body.into(),
        confirmed,
        ..Default::default()
    };
    core.send(send(landline, "Your order is ready", false))
        .await
        .unwrap();
    eventually(10, "the 30006 failure", || async {
        core.outbox().settle_now().await.ok();
        core.syncer().round().await.ok();
        let mut conn = core.store().pool().acquire().await.unwrap();
        switchboard_core::store::contacts::mark_of(&mut conn, landline)
            .await
            .unwrap()
    })
    .await;
    // The next send to it asks first, and goes when the person insists.
    let asked = core
        .send(send(landline, "Are you there?", false))
        .await
        .unwrap_err();
    assert_eq!(asked.code(), "needs_confirmation");
    assert!(asked.to_string().contains("is a landline (error 30006"));
    core.send(send(landline, "Are you there?", true))
        .await
        .unwrap();

    // A customer's STOP blocks, whatever the person says; their START lifts it.
    sim.inject_inbound(ACCOUNT, CUSTOMER, SENDER, "Stop");
    core.syncer().round().await.unwrap();
    let refused = core
        .send(send(CUSTOMER, "One more offer", true))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "number_opted_out");
    sim.inject_inbound(ACCOUNT, CUSTOMER, SENDER, "START");
    core.syncer().round().await.unwrap();
    core.send(send(CUSTOMER, "Welcome back", false))
        .await
        .unwrap();
}

#[tokio::test]
async fn keywords_set_in_settings_opt_customers_out_and_in() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let config = switchboard_core::config::Config {
        opt_out_keywords: vec!["arrêt".into()],
        opt_in_keywords: vec!["REPRENDRE".into()],
        ..Default::default()
    };
    let core = services_with(
        &sim,
        &dir,
        Tuning {
            poll_interval: Duration::from_millis(50),
            pacing: FAST,
            ..config.tuning()
        },
    )
    .await;
    let send = |body: &str| SendInput {
        to: Some(CUSTOMER.into()),
        body: body.into(),
        confirmed: true,
        ..Default::default()
    };
    sim.inject_inbound(ACCOUNT, CUSTOMER, SENDER, "Arrêt");
    core.syncer().round().await.unwrap();
    assert_eq!(
        core.send(send("One more offer")).await.unwrap_err().code(),
        "number_opted_out"
    );
    // A message that merely contains the word is for a person: still opted out.
    sim.inject_inbound(ACCOUNT, CUSTOMER, SENDER, "reprendre demain ?");
    core.syncer().round().await.unwrap();
    assert!(core.send(send("Still there?")).await.is_err());
    sim.inject_inbound(ACCOUNT, CUSTOMER, SENDER, "reprendre");
    core.syncer().round().await.unwrap();
    core.send(send("Welcome back")).await.unwrap();
}

#[tokio::test]
async fn a_failed_message_is_fixed_and_resent_as_a_linked_message() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    // The simulator refuses +15005550001 with 21211, as Twilio's test numbers do.
    let failed = core
        .send(SendInput {
            to: Some("+15005550001".into()),
            body: "Your table is ready".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    core.outbox().settle_now().await.unwrap();
    let thread = core.thread(failed.conversation_id).await.unwrap().messages;
    assert_eq!(thread[0].status, MessageStatus::Failed);

    // Unchanged, 21211 would fail again: refused with the reason.
    let same = switchboard_core::resend::ResendInput {
        message_id: failed.id,
        ..Default::default()
    };
    assert_eq!(
        core.resend(same).await.unwrap_err().code(),
        "retry_not_allowed"
    );

    // With the number corrected it goes, linked, in the same conversation.
    let resent = core
        .resend(switchboard_core::resend::ResendInput {
            message_id: failed.id,
            to: Some("(312) 555-0177".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(resent.resend_of, Some(failed.id));
    assert_eq!(resent.conversation_id, failed.conversation_id);
    assert_eq!(resent.to, "+13125550177");
    core.outbox().settle_now().await.unwrap();
    let delivered = eventually(10, "the resend delivered", || async {
        core.syncer().round().await.ok();
        let switchboard_core::Thread {
            conversation,
            messages: thread,
            ..
        } = core.thread(failed.conversation_id).await.unwrap();
        (thread.len() == 2 && thread[1].status == MessageStatus::Delivered)
            .then_some((conversation, thread))
    })
    .await;
    let (conversation, thread) = delivered;
    assert_eq!(
        thread[0].status,
        MessageStatus::Failed,
        "the failed one stays"
    );
    assert_eq!(
        conversation.contact_number, "+13125550177",
        "the conversation follows"
    );
    assert_eq!(
        sim.creates_to_with_body("+13125550177", "Your table is ready"),
        1
    );
    let mut conn = core.store().pool().acquire().await.unwrap();
    let contact_id: i64 = sqlx::query_scalar("SELECT contact_id FROM conversations WHERE id = ?1")
        .bind(failed.conversation_id)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(
        switchboard_core::resend::previous_numbers(&mut conn, contact_id)
            .await
            .unwrap(),
        vec!["+15005550001".to_string()]
    );
}

#[tokio::test]
async fn a_messages_details_list_every_status_and_every_call() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    core.start();
    let sent = core
        .send(SendInput {
            to: Some("+13125550144".into()),
            body: "Details, please".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let details = eventually(10, "delivery", || async {
        let d = core.message_details(sent.id).await.unwrap();
        (d.message.status == MessageStatus::Delivered).then_some(d)
    })
    .await;
    let statuses: Vec<&str> = details.changes.iter().map(|c| c.status.as_str()).collect();
    assert_eq!(statuses.first(), Some(&"pending"));
    assert_eq!(statuses.last(), Some(&"delivered"));
    // Polling may miss a short-lived status, but the create's answer is always there.
    assert!(statuses.contains(&"queued"), "{statuses:?}");
    assert!(details.changes.windows(2).all(|w| w[0].at <= w[1].at));
    assert_eq!(details.attempts.len(), 1);
    assert_eq!(
        (
            details.attempts[0].kind.as_str(),
            details.attempts[0].outcome.as_str()
        ),
        ("create", "accepted")
    );
    assert_eq!(details.attempts[0].http_status, Some(201));
    assert_eq!(
        core.message_details(999_999).await.unwrap_err().code(),
        "unknown_message"
    );
    core.shutdown().await;
}

/// A provider that no longer has any message (deleted from the account), counting the asks.
struct Forgetful {
    fetches: std::sync::atomic::AtomicUsize,
}

#[async_trait]
impl Provider for Forgetful {
    async fn create(&self, _: &OutboundRequest) -> Result<ProviderMessage, ProviderError> {
        Err(ProviderError::Unreachable("not used".into()))
    }
    async fn fetch(&self, sid: &str) -> Result<ProviderMessage, ProviderError> {
        self.fetches
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Err(ProviderError::Rejected {
            http_status: 404,
            code: "20404".into(),
            message: format!("The requested resource {sid} was not found"),
            more_info: None,
        })
    }
    async fn list(
        &self,
        _: &ListQuery,
        _: Option<&PageCursor>,
    ) -> Result<MessagePage, ProviderError> {
        Ok(MessagePage {
            messages: vec![],
            next: None,
        })
    }
    async fn list_numbers(&self) -> Result<Vec<AccountNumber>, ProviderError> {
        Ok(vec![])
    }
}

#[tokio::test]
async fn a_message_the_provider_no_longer_has_is_not_asked_for_every_round() {
    let dir = tempfile::tempdir().unwrap();
    let provider = Arc::new(Forgetful {
        fetches: Default::default(),
    });
    let core = switchboard_core::open_with_provider(
        database(&dir),
        provider.clone(),
        &[Sender {
            number: SENDER.into(),
            label: None,
        }],
        Tuning::default(),
    )
    .await
    .unwrap();
    let pool = core.store().pool();
    sqlx::query("INSERT INTO contacts (id, number, created_at, updated_at) VALUES (1, '+13125550100', 0, 0)")
        .execute(pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO conversations (id, contact_id, sender_id, last_activity_at, created_at)
         VALUES (1, 1, (SELECT id FROM sender_numbers LIMIT 1), 0, 0)",
    )
    .execute(pool)
    .await
    .unwrap();
    // Sent an hour ago: due for a check every two minutes.
    let hour_ago = chrono::Utc::now().timestamp_millis() - 3_600_000;
    sqlx::query(
        "INSERT INTO messages (conversation_id, direction, sid, from_number, to_number, body,
             status, segments, encoding, created_at, updated_at)
         VALUES (1, 'outbound', 'SMdeleted', ?1, '+13125550100', 'hello', 'sent', 1, 'GSM-7',
             ?2, ?2)",
    )
    .bind(SENDER)
    .bind(hour_ago)
    .execute(pool)
    .await
    .unwrap();
    core.syncer().round().await.unwrap();
    core.syncer().round().await.unwrap();
    core.syncer().round().await.unwrap();
    assert_eq!(
        provider.fetches.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "asked once, then left to its turn in the schedule"
    );
    core.shutdown().await;
}
