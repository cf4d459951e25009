//! Contacts edited as a person would: name, number (the old one kept), own fields, and the
//! number's state with its reason.

mod common;

use common::*;
use switchboard_core::catalogue::NumberMark;
use switchboard_core::contacts::ContactInput;
use switchboard_core::outbox::SendInput;
use switchboard_core::Services;

async fn conversation(core: &Services, to: &str) -> i64 {
    core.send(SendInput {
        to: Some(to.into()),
        body: "Hello".into(),
        confirmed: true,
        ..SendInput::default()
    })
    .await
    .unwrap()
    .conversation_id
}

fn field_of(err: switchboard_core::CoreError) -> &'static str {
    match err {
        switchboard_core::CoreError::InvalidField { field, .. } => field,
        other => panic!("not a field error: {other:?}"),
    }
}

#[tokio::test]
async fn a_contact_is_renamed_renumbered_and_given_fields() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    let conv = conversation(&core, "+13125550101").await;
    let contact = core.contact_of_conversation(conv).await.unwrap();
    assert_eq!(contact.number, "+13125550101");

    let saved = core
        .save_contact(&ContactInput {
            id: contact.id,
            name: "  Maya   Chen ".into(),
            number: "(312) 555-0102".into(),
            fields: vec![
                ("Pet_Name".into(), " Biscuit ".into()),
                ("".into(), "".into()),
                ("plan".into(), " ".into()),
            ],
        })
        .await
        .unwrap();
    assert_eq!(saved.name.as_deref(), Some("Maya Chen"));
    assert_eq!(saved.number, "+13125550102");
    assert_eq!(
        saved.fields,
        vec![("pet_name".to_string(), "Biscuit".to_string())]
    );
    assert_eq!(saved.past_numbers.len(), 1);
    assert_eq!(saved.past_numbers[0].number, "+13125550101");
    assert_eq!(saved.past_numbers[0].reason_code, None);
    assert_eq!(saved.conversations.len(), 1);
    assert_eq!(
        core.thread(conv).await.unwrap().conversation.contact_number,
        "+13125550102",
        "the conversation follows the contact"
    );
    let values = core.merge_values(conv, None).await.unwrap();
    assert_eq!(values.get("pet_name").map(String::as_str), Some("Biscuit"));
    assert_eq!(values.get("last_name").map(String::as_str), Some("Chen"));

    // Another contact's number is refused; so are bad numbers and field names.
    let other = conversation(&core, "+13125550103").await;
    let other = core.contact_of_conversation(other).await.unwrap();
    let taken = core
        .save_contact(&ContactInput {
            id: other.id,
            name: String::new(),
            number: "+13125550102".into(),
            fields: vec![],
        })
        .await
        .unwrap_err();
    assert_eq!(taken.code(), "number_taken");
    let base = ContactInput {
        id: other.id,
        name: "Tom".into(),
        number: "+13125550103".into(),
        fields: vec![],
    };
    let bad_number = ContactInput {
        number: "call me".into(),
        ..base.clone()
    };
    assert_eq!(
        field_of(core.save_contact(&bad_number).await.unwrap_err()),
        "number"
    );
    for key in ["First Name", "first_name", "x".repeat(33).as_str()] {
        let bad = ContactInput {
            fields: vec![(key.into(), "v".into())],
            ..base.clone()
        };
        assert_eq!(
            field_of(core.save_contact(&bad).await.unwrap_err()),
            "fields",
            "{key}"
        );
    }
    let twice = ContactInput {
        fields: vec![("plan".into(), "a".into()), ("plan".into(), "b".into())],
        ..base.clone()
    };
    assert_eq!(
        field_of(core.save_contact(&twice).await.unwrap_err()),
        "fields"
    );

    let found = core.contacts("maya", 10).await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].id, contact.id);
    assert!(
        core.contacts("%", 10).await.unwrap().is_empty(),
        "% is matched literally"
    );
}

#[tokio::test]
async fn an_opted_out_number_shows_why_and_a_new_number_starts_clean() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    core.start();
    let conv = conversation(&core, CUSTOMER).await;
    // The customer says STOP after our message got through (before, the simulator would refuse
    // it with 21610, which marks the number too, but with another reason).
    eventually(10, "our message to go through", || async {
        let thread = core.thread(conv).await.unwrap();
        (thread.messages[0].status == switchboard_core::domain::MessageStatus::Delivered)
            .then_some(())
    })
    .await;
    sim.inject_inbound(ACCOUNT, CUSTOMER, SENDER, "STOP");
    let contact = eventually(10, "the opt-out", || async {
        let c = core.contact_of_conversation(conv).await.unwrap();
        c.mark.is_some().then_some(c)
    })
    .await;
    let mark = contact.mark.clone().unwrap();
    assert_eq!(mark.mark, NumberMark::OptedOut);
    assert_eq!(mark.code, "STOP");
    assert_eq!(
        core.contacts("", 10).await.unwrap()[0].mark,
        Some(NumberMark::OptedOut)
    );

    let moved = core
        .save_contact(&ContactInput {
            id: contact.id,
            name: "Maya".into(),
            number: "+13125550109".into(),
            fields: vec![],
        })
        .await
        .unwrap();
    assert_eq!(moved.mark, None, "the opt-out belonged to the old number");
    core.shutdown().await;
}
