//! A queued message meets the number's opt-out again when the outbox takes it: a customer who
//! texts STOP in the middle of a paced bulk resend gets nothing after the STOP arrived.

mod common;

use common::*;
use switchboard_core::checks::OPTED_OUT_WHILE_QUEUED;
use switchboard_core::domain::MessageStatus;
use switchboard_core::outbox::SendInput;
use switchboard_core::provider::guard::Pacing;
use switchboard_core::resend::ResendInput;
use switchboard_core::Tuning;

/// The customer who opts out midway; every 20th message of the batch goes to them.
const QUITTER: &str = "+16465550000";

fn recipient(i: usize) -> String {
    if i % 20 == 10 {
        QUITTER.to_string()
    } else {
        format!("+1646555{:04}", 1000 + i)
    }
}

async fn count(core: &switchboard_core::Services, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(core.store().pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_stop_during_a_bulk_resend_stops_what_was_still_queued_for_that_number() {
    // Every message to these numbers comes back undelivered with 30045, which may be retried
    // at once (its entry's policy is "after a fix", its action Retry).
    let sim = simulator_with(undelivered("+1646*", 30045)).await;
    let dir = tempfile::tempdir().unwrap();
    let tuning = Tuning {
        // Paced like a bulk resend from a long code, slowed down: 200 take about 5 s.
        pacing: Pacing {
            segments_per_second: 40.0,
            burst: 1,
            max_concurrent_calls: 4,
        },
        ..test_tuning()
    };
    let core = services_with(&sim, &dir, tuning).await;
    core.start();
    let mut sent = Vec::new();
    for i in 0..200 {
        let m = core
            .send(SendInput {
                to: Some(recipient(i)),
                body: format!("Your order {i} is ready"),
                ..Default::default()
            })
            .await
            .unwrap();
        sent.push(m.id);
    }
    eventually(60, "200 failures", || async {
        (count(
            &core,
            "SELECT COUNT(*) FROM messages WHERE status = 'undelivered'",
        )
        .await
            == 200)
            .then_some(())
    })
    .await;

    // Bulk retry of all 200, paced; the quitter texts STOP once half have gone.
    let before = sim.create_requests();
    let outcomes = core
        .resend_many(
            sent.iter()
                .map(|&id| ResendInput {
                    message_id: id,
                    ..Default::default()
                })
                .collect(),
        )
        .await;
    assert!(outcomes.iter().all(|o| o.result.is_ok()), "all 200 queued");
    eventually(60, "half of the resends to go", || async {
        (sim.create_requests() >= before + 100).then_some(())
    })
    .await;
    sim.inject_inbound(ACCOUNT, QUITTER, SENDER, "STOP");
    eventually(10, "the STOP to be stored", || async {
        (count(
            &core,
            &format!("SELECT COUNT(*) FROM contacts WHERE number = '{QUITTER}' AND number_mark = 'opted_out'"),
        )
        .await
            == 1)
            .then_some(())
    })
    .await;
    let creates_at_stop = sim.creates_to(QUITTER);

    eventually(60, "the outbox to drain", || async {
        (count(
            &core,
            "SELECT COUNT(*) FROM messages WHERE outbox_state IN ('queued', 'submitting')",
        )
        .await
            == 0)
            .then_some(())
    })
    .await;
    assert_eq!(
        sim.creates_to(QUITTER),
        creates_at_stop,
        "nothing was sent to the number after its STOP arrived"
    );
    let held: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT status, error_code FROM messages
         WHERE to_number = ?1 AND resend_of IS NOT NULL AND sid IS NULL",
    )
    .bind(QUITTER)
    .fetch_all(core.store().pool())
    .await
    .unwrap();
    assert!(
        !held.is_empty(),
        "some resends to the quitter were still queued at the STOP"
    );
    for (status, code) in &held {
        assert_eq!(status, MessageStatus::Failed.as_str());
        assert_eq!(code.as_deref(), Some(OPTED_OUT_WHILE_QUEUED));
    }
    // Everyone else got their resend.
    let others = count(
        &core,
        &format!(
            "SELECT COUNT(*) FROM messages WHERE resend_of IS NOT NULL AND sid IS NOT NULL AND to_number <> '{QUITTER}'"
        ),
    )
    .await;
    assert_eq!(others, 190);
    core.shutdown().await;
}
