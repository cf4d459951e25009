//! The shared inbox on a real database against the simulator: the team, assignment and the
//! views, open and closed, failures made good, opt-outs, and notes that never leave.

mod common;

use common::*;
use switchboard_core::domain::{ConversationState, MessageStatus};
use switchboard_core::outbox::SendInput;
use switchboard_core::resend::ResendInput;
use switchboard_core::store::conversations::{ConversationQuery, View};
use switchboard_core::team::{MemberInput, Role};
use switchboard_core::Services;

fn member(name: &str, role: Role) -> MemberInput {
    MemberInput {
        name: name.into(),
        role: Some(role),
        ..MemberInput::default()
    }
}

async fn send(core: &Services, to: &str, body: &str, author: Option<i64>) -> i64 {
    core.send(SendInput {
        conversation_id: None,
        to: Some(to.into()),
        from: None,
        body: body.into(),
        author_id: author,
        confirmed: true,
        template_id: None,
    })
    .await
    .expect("queued")
    .conversation_id
}

async fn ids(core: &Services, view: View, me: Option<i64>) -> Vec<i64> {
    let page = core
        .conversations(&ConversationQuery {
            me,
            ..ConversationQuery::of(view)
        })
        .await
        .unwrap();
    assert_eq!(page.total as usize, page.items.len());
    let mut ids: Vec<i64> = page.items.into_iter().map(|c| c.id).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn members_are_added_edited_and_leave_without_losing_their_work() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    let dana = core
        .save_member(&member("Dana Whitfield", Role::Admin))
        .await
        .unwrap();
    assert_eq!((dana.initials.as_str(), dana.role), ("DW", Role::Admin));
    let sam = core
        .save_member(&member("Sam Ortiz", Role::Agent))
        .await
        .unwrap();
    assert_ne!(dana.color, sam.color, "new members get different colours");
    let renamed = core
        .save_member(&MemberInput {
            uid: Some(sam.uid.clone()),
            ..member("Samuel Ortiz", Role::Agent)
        })
        .await
        .unwrap();
    assert_eq!((renamed.id, renamed.initials.as_str()), (sam.id, "SO"));
    assert_eq!(
        core.member(&sam.uid).await.unwrap().unwrap().name,
        "Samuel Ortiz"
    );

    let conversation = send(&core, CUSTOMER, "Hello from Sam", Some(sam.id)).await;
    core.assign(conversation, Some(sam.id)).await.unwrap();
    core.remove_member(&sam.uid).await.unwrap();
    let team = core.team().await.unwrap();
    assert!(team.iter().any(|m| m.uid == sam.uid && m.removed));
    let thread = core.thread(conversation).await.unwrap();
    assert_eq!(
        thread.conversation.assignee_id, None,
        "their conversations are nobody's now"
    );
    assert_eq!(thread.messages[0].author_id, Some(sam.id));
    assert_eq!(
        thread.messages[0].author.as_deref(),
        Some("Samuel Ortiz"),
        "their messages keep their name"
    );
    let refused = core.assign(conversation, Some(sam.id)).await.unwrap_err();
    assert_eq!(refused.code(), "unknown_member");
    assert_eq!(
        core.save_member(&member(" ", Role::Agent))
            .await
            .unwrap_err()
            .code(),
        "invalid_field"
    );
}

#[tokio::test]
async fn views_follow_assignment_state_and_inbound_messages() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    let dana = core
        .save_member(&member("Dana", Role::Admin))
        .await
        .unwrap();
    let sam = core.save_member(&member("Sam", Role::Agent)).await.unwrap();
    let a = send(&core, "+13125550101", "A", None).await;
    let b = send(&core, "+13125550102", "B", None).await;
    let c = send(&core, "+13125550103", "C", None).await;

    core.assign(a, Some(dana.id)).await.unwrap();
    core.assign(b, Some(sam.id)).await.unwrap();
    assert_eq!(ids(&core, View::Mine, Some(dana.id)).await, vec![a]);
    assert_eq!(ids(&core, View::Mine, Some(sam.id)).await, vec![b]);
    assert_eq!(ids(&core, View::Unassigned, None).await, vec![c]);
    assert_eq!(ids(&core, View::Open, None).await, vec![a, b, c]);

    core.set_state(a, ConversationState::Closed).await.unwrap();
    core.assign(b, None).await.unwrap();
    assert_eq!(ids(&core, View::Closed, None).await, vec![a]);
    assert!(ids(&core, View::Mine, Some(dana.id)).await.is_empty());
    assert_eq!(ids(&core, View::Unassigned, None).await, vec![b, c]);
    let counts = core.view_counts(Some(dana.id), None).await.unwrap();
    assert_eq!(
        (counts.open, counts.mine, counts.unassigned, counts.closed),
        (2, 0, 2, 1)
    );

    // The customer writes back to the closed conversation: it opens again, unread.
    core.set_state(a, ConversationState::Closed).await.unwrap();
    sim.inject_inbound(ACCOUNT, "+13125550101", SENDER, "Are you still there?");
    eventually(10, "the reply to reopen the conversation", || async {
        core.syncer().round().await.ok();
        let s = core.thread(a).await.unwrap().conversation;
        (s.state == ConversationState::Open && s.unread == 1).then_some(())
    })
    .await;
    assert_eq!(
        ids(&core, View::Mine, Some(dana.id)).await,
        vec![a],
        "still Dana's"
    );
    assert_eq!(core.view_counts(None, None).await.unwrap().unread, 1);

    // One sender number's conversations only.
    let other = core.sender_id("+19995550100").await.unwrap();
    assert_eq!(other, None);
    let main = core.sender_id(SENDER).await.unwrap();
    let page = core
        .conversations(&ConversationQuery {
            sender_id: main,
            ..ConversationQuery::of(View::Open)
        })
        .await
        .unwrap();
    assert_eq!(page.total, 3);
    let paged = core
        .conversations(&ConversationQuery {
            offset: 1,
            limit: 1,
            ..ConversationQuery::of(View::Open)
        })
        .await
        .unwrap();
    assert_eq!((paged.total, paged.items.len()), (3, 1));
}

#[tokio::test]
async fn a_failure_stays_in_failed_until_a_resend_goes_through() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    core.start();
    // The simulator rejects this number with 21211 (invalid 'To').
    let bad = "+15005550001";
    let conversation = send(&core, bad, "Your order is ready", None).await;
    let failed = eventually(10, "the 21211 failure", || async {
        core.thread(conversation)
            .await
            .unwrap()
            .messages
            .into_iter()
            .find(|m| m.status == MessageStatus::Failed)
    })
    .await;
    assert_eq!(ids(&core, View::Failed, None).await, vec![conversation]);
    assert!(core.thread(conversation).await.unwrap().conversation.failed);
    // `f` goes to it from anywhere, and round again from itself.
    assert_eq!(
        core.next_failed(None).await.unwrap(),
        Some((conversation, failed.id))
    );
    assert_eq!(
        core.next_failed(Some(failed.id)).await.unwrap(),
        Some((conversation, failed.id))
    );
    assert_eq!(core.view_counts(None, None).await.unwrap().failed, 1);

    core.resend(ResendInput {
        message_id: failed.id,
        to: Some("+13125550177".into()),
        body: None,
        author_id: None,
        confirmed: true,
    })
    .await
    .unwrap();
    eventually(10, "the resend to go through", || async {
        ids(&core, View::Failed, None)
            .await
            .is_empty()
            .then_some(())
    })
    .await;
    core.shutdown().await;
}

#[tokio::test]
async fn an_opted_out_customer_is_in_opted_out_and_notes_never_leave() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    let dana = core
        .save_member(&member("Dana", Role::Admin))
        .await
        .unwrap();
    core.start();
    let conversation = send(&core, CUSTOMER, "Hi!", None).await;
    // Sent before the STOP arrives: a message still queued at the STOP is held back unsent.
    eventually(10, "the message to be sent", || async {
        (sim.create_requests() == 1).then_some(())
    })
    .await;
    sim.inject_inbound(ACCOUNT, CUSTOMER, SENDER, "STOP");
    eventually(10, "the opt-out", || async {
        (ids(&core, View::OptedOut, None).await == vec![conversation]).then_some(())
    })
    .await;
    assert_eq!(sim.create_requests(), 1, "only the message was sent");

    let note = core
        .add_note(
            conversation,
            Some(dana.id),
            "  Called her: wants texts only after 5pm  ",
        )
        .await
        .unwrap();
    assert_eq!(note.body, "Called her: wants texts only after 5pm");
    assert_eq!(core.thread(conversation).await.unwrap().notes, vec![note]);
    assert_eq!(
        core.add_note(conversation, None, " \n ")
            .await
            .unwrap_err()
            .code(),
        "invalid_field"
    );
    assert_eq!(
        core.add_note(9999, None, "x").await.unwrap_err().code(),
        "unknown_conversation"
    );
    // Long enough for the outbox to have sent anything it had.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(
        sim.create_requests(),
        1,
        "a note never reaches the provider"
    );
    core.shutdown().await;
}
