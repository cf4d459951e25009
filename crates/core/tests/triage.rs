//! Failures triage against the simulator: failures grouped by cause, two numbers fixed and
//! resent in bulk (never twice), a retry refused before its cooldown, a dismissal that needs a
//! reason and takes the failure out of the Failed view, and the recipients exported.

mod common;

use common::*;
use switchboard_core::domain::MessageStatus;
use switchboard_core::outbox::SendInput;
use switchboard_core::resend::ResendInput;
use switchboard_core::triage;
use switchboard_sim::{DeliveryError, NumberPattern, Outcome, OutcomeRule, Scenario};

fn rule(pattern: &str, code: u32) -> OutcomeRule {
    OutcomeRule {
        to: NumberPattern::parse(pattern).unwrap(),
        outcome: Outcome::Undelivered(DeliveryError::new(code)),
    }
}

#[tokio::test]
async fn failures_are_grouped_fixed_in_bulk_and_dismissed_with_a_reason() {
    let sim = simulator_with(Scenario {
        outcomes: vec![rule("+1312555019*", 30005), rule("+1312555029*", 30003)],
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    for to in [
        "+13125550191",
        "+13125550192",
        "+13125550193",
        "+13125550291",
        "+13125550292",
    ] {
        core.send(SendInput {
            to: Some(to.into()),
            body: format!("Your order is ready ({to})"),
            confirmed: true,
            ..Default::default()
        })
        .await
        .unwrap();
    }
    core.outbox().settle_now().await.unwrap();
    let groups = eventually(10, "five failures", || async {
        core.syncer().round().await.ok();
        let groups = core.triage().await.unwrap();
        (groups.iter().map(|g| g.items.len()).sum::<usize>() == 5).then_some(groups)
    })
    .await;
    let codes: Vec<(&str, usize)> = groups
        .iter()
        .map(|g| (g.code.as_str(), g.items.len()))
        .collect();
    assert_eq!(codes, vec![("30005", 3), ("30003", 2)]);
    let unreachable = &groups[1];
    for item in &unreachable.items {
        assert_eq!(
            item.retry_ready_at,
            Some(item.failed_at + chrono::TimeDelta::minutes(120))
        );
    }
    assert_eq!(core.view_counts(None, None).await.unwrap().failed, 5);

    // Retrying 30003 right away is refused, item by item, with the time it may go.
    let retried = core
        .resend_many(
            unreachable
                .items
                .iter()
                .map(|i| ResendInput {
                    message_id: i.message_id,
                    ..Default::default()
                })
                .collect(),
        )
        .await;
    assert!(retried
        .iter()
        .all(|o| o.result.as_ref().unwrap_err().code() == "retry_too_soon"));

    // Two numbers fixed in the table and resent; the same click again sends nothing.
    let not_in_service = &groups[0];
    let fixes: Vec<ResendInput> = not_in_service.items[..2]
        .iter()
        .zip(["(312) 555-0171", "+13125550172"])
        .map(|(i, to)| ResendInput {
            message_id: i.message_id,
            to: Some(to.into()),
            ..Default::default()
        })
        .collect();
    let sent = core.resend_many(fixes.clone()).await;
    assert!(sent.iter().all(|o| o.result.is_ok()), "{sent:?}");
    let again = core.resend_many(fixes).await;
    assert!(again
        .iter()
        .all(|o| o.result.as_ref().unwrap_err().code() == "already_resent"));
    core.outbox().settle_now().await.unwrap();
    eventually(10, "both resends delivered", || async {
        core.syncer().round().await.ok();
        let mut delivered = 0;
        for o in &sent {
            let m = o.result.as_ref().unwrap();
            let thread = core.thread(m.conversation_id).await.unwrap().messages;
            delivered += thread
                .iter()
                .filter(|t| t.id == m.id && t.status == MessageStatus::Delivered)
                .count();
        }
        (delivered == 2).then_some(())
    })
    .await;
    for (item, to) in not_in_service
        .items
        .iter()
        .zip(["+13125550171", "+13125550172"])
    {
        assert_eq!(sim.creates_to_with_body(to, &item.body), 1, "{to}");
    }

    // The third is dismissed; a dismissal without a reason is refused.
    let third = not_in_service.items[2].message_id;
    assert_eq!(
        core.dismiss_failures(&[third], "  ", None)
            .await
            .unwrap_err()
            .code(),
        "invalid_field"
    );
    assert_eq!(
        core.dismiss_failures(&[third], "Called her; she moved to email", None)
            .await
            .unwrap(),
        1
    );
    let groups = core.triage().await.unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].code, "30003");
    assert_eq!(core.view_counts(None, None).await.unwrap().failed, 2);
    let dismissed = core
        .thread(not_in_service.items[2].conversation_id)
        .await
        .unwrap()
        .messages
        .into_iter()
        .find(|m| m.id == third)
        .unwrap();
    assert_eq!(
        dismissed.dismissal.map(|d| d.reason).as_deref(),
        Some("Called her; she moved to email")
    );

    // The recipients of what is left, as CSV.
    let mut out = Vec::new();
    triage::write_recipients(&groups[0].items, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("number,name,error_code,failed_at,conversation_id,message_id")
    );
    let mut numbers: Vec<&str> = lines.map(|l| l.split(',').next().unwrap()).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, vec!["+13125550291", "+13125550292"]);
}
