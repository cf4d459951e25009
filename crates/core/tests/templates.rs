//! Templates on a real database against the simulator: drafts and approval by role, merge
//! fields from the contact and the agent, unfilled fields that block, media that go along, and
//! the usage and failure figures from what was sent.

mod common;

use common::*;
use switchboard_core::domain::MessageStatus;
use switchboard_core::outbox::SendInput;
use switchboard_core::team::{MemberInput, Role, TeamMember};
use switchboard_core::templates::{TemplateInput, TemplateStatus};
use switchboard_core::Services;

async fn member(core: &Services, name: &str, role: Role) -> TeamMember {
    core.save_member(&MemberInput {
        name: name.into(),
        role: Some(role),
        ..MemberInput::default()
    })
    .await
    .unwrap()
}

fn template(name: &str, body: &str) -> TemplateInput {
    TemplateInput {
        id: None,
        name: name.into(),
        body: body.into(),
        media: vec![],
    }
}

async fn conversation_with(core: &Services, number: &str, name: &str) -> i64 {
    core.remember_contact_names(&[(number, name)])
        .await
        .unwrap();
    core.send(SendInput {
        to: Some(number.into()),
        body: format!("Hello {name}"),
        confirmed: true,
        ..SendInput::default()
    })
    .await
    .unwrap()
    .conversation_id
}

#[tokio::test]
async fn agents_write_drafts_and_only_admins_approve() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    let dana = member(&core, "Dana Whitfield", Role::Admin).await;
    let sam = member(&core, "Sam Okoye", Role::Agent).await;

    let draft = core
        .save_template(&template("Order ready", "Your order is ready."), Some(&sam))
        .await
        .unwrap();
    assert_eq!(draft.status, TemplateStatus::Draft);
    assert_eq!(draft.created_by, Some(sam.id));
    assert!(
        core.templates(true, "").await.unwrap().is_empty(),
        "drafts are not offered"
    );
    let refused = core
        .approve_template(draft.id, Some(&sam))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "admin_only");
    assert_eq!(
        core.approve_template(draft.id, None)
            .await
            .unwrap_err()
            .code(),
        "no_identity"
    );

    let approved = core.approve_template(draft.id, Some(&dana)).await.unwrap();
    assert_eq!(
        (approved.status, approved.approved_by),
        (TemplateStatus::Approved, Some(dana.id))
    );
    assert_eq!(core.templates(true, "order").await.unwrap().len(), 1);
    assert!(core.templates(true, "100%").await.unwrap().is_empty());

    // Any change needs approving again.
    let edited = core
        .save_template(
            &TemplateInput {
                id: Some(draft.id),
                ..template("Order ready", "Your order is ready for pickup.")
            },
            Some(&dana),
        )
        .await
        .unwrap();
    assert_eq!(edited.status, TemplateStatus::Draft);
    assert!(core.templates(true, "").await.unwrap().is_empty());

    // An agent may delete their own draft, not an approved template.
    core.approve_template(draft.id, Some(&dana)).await.unwrap();
    assert_eq!(
        core.delete_template(draft.id, Some(&sam))
            .await
            .unwrap_err()
            .code(),
        "admin_only"
    );
    let own = core
        .save_template(&template("Mine", "Mine"), Some(&sam))
        .await
        .unwrap();
    core.delete_template(own.id, Some(&sam)).await.unwrap();
    assert_eq!(
        core.approve_template(own.id, Some(&dana))
            .await
            .unwrap_err()
            .code(),
        "unknown_template"
    );
}

#[tokio::test]
async fn merge_fields_fill_from_the_contact_and_the_agent_and_unfilled_ones_block() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    let dana = member(&core, "Dana Whitfield", Role::Admin).await;
    let conversation = conversation_with(&core, CUSTOMER, "Maya Chen").await;
    sqlx::query(
        "INSERT INTO contact_fields (contact_id, name, value, updated_at)
         SELECT id, 'pet_name', 'Biscuit', 0 FROM contacts WHERE number = ?1",
    )
    .bind(CUSTOMER)
    .execute(core.store().pool())
    .await
    .unwrap();

    let t = core
        .save_template(
            &template(
                "Grooming",
                "Hi {{first_name}} {{last_name}}, {{agent_name}} at {{sender_number}}: {{pet_name}} is ready.",
            ),
            Some(&dana),
        )
        .await
        .unwrap();
    let preview = core
        .preview_template(t.id, conversation, Some(&dana))
        .await
        .unwrap();
    assert_eq!(
        preview.rendered.body,
        format!("Hi Maya Chen, Dana Whitfield at {SENDER}: Biscuit is ready.")
    );
    assert!(preview.rendered.unfilled.is_empty());
    assert!(preview.report.blocker().is_none());

    let t2 = core
        .save_template(&template("Plan", "Your {{plan}} renews soon."), Some(&dana))
        .await
        .unwrap();
    let preview = core
        .preview_template(t2.id, conversation, Some(&dana))
        .await
        .unwrap();
    assert_eq!(preview.rendered.unfilled, vec!["plan".to_string()]);
    assert_eq!(
        preview.report.blocker().map(|f| f.code),
        Some("template_field_unfilled")
    );
    // Sending it anyway is refused: a field is never sent literally.
    let refused = core
        .send(SendInput {
            conversation_id: Some(conversation),
            body: preview.rendered.body.clone(),
            template_id: Some(t2.id),
            confirmed: true,
            ..SendInput::default()
        })
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "template_field_unfilled");
}

#[tokio::test]
async fn a_template_sends_its_media_and_counts_its_uses_and_failures() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    core.start();
    let dana = member(&core, "Dana Whitfield", Role::Admin).await;
    let conversation = conversation_with(&core, CUSTOMER, "Maya Chen").await;
    let t = core
        .save_template(
            &TemplateInput {
                media: vec!["https://example.com/menu.jpg".into()],
                ..template("Menu", "Here is this week's menu.")
            },
            Some(&dana),
        )
        .await
        .unwrap();
    let draft_send = core
        .send(SendInput {
            conversation_id: Some(conversation),
            body: "Here is this week's menu.".into(),
            template_id: Some(t.id),
            ..SendInput::default()
        })
        .await
        .unwrap_err();
    assert_eq!(draft_send.code(), "template_not_approved");
    core.approve_template(t.id, Some(&dana)).await.unwrap();

    let sent = core
        .send(SendInput {
            conversation_id: Some(conversation),
            body: "Here is this week's menu.".into(),
            template_id: Some(t.id),
            ..SendInput::default()
        })
        .await
        .unwrap();
    assert_eq!(sent.template_id, Some(t.id));
    assert_eq!(sent.media, vec!["https://example.com/menu.jpg".to_string()]);
    // A number the simulator rejects with 21211 counts as a failure of the template.
    core.send(SendInput {
        to: Some("+15005550001".into()),
        body: "Here is this week's menu.".into(),
        template_id: Some(t.id),
        ..SendInput::default()
    })
    .await
    .unwrap();
    let delivered = eventually(10, "the template's message to be delivered", || async {
        let thread = core.thread(conversation).await.unwrap();
        thread
            .messages
            .into_iter()
            .find(|m| m.id == sent.id && m.status == MessageStatus::Delivered)
    })
    .await;
    assert!(
        delivered.sid.as_deref().unwrap_or("").starts_with("MM"),
        "the provider got the media (a media message's SID starts with MM): {:?}",
        delivered.sid
    );
    let figures = eventually(10, "the failure to count", || async {
        let t = core.templates(false, "Menu").await.unwrap().remove(0);
        (t.failures == 1).then_some(t)
    })
    .await;
    assert_eq!(figures.uses, 2);
    assert_eq!(figures.failure_rate(), Some(0.5));
    core.shutdown().await;
}
