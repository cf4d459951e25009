//! Search on a real database: messages by their words (hits marked), contacts by name or by
//! digits of their number, and hostile input that must never fail.

mod common;

use common::*;
use switchboard_core::outbox::SendInput;

#[tokio::test]
async fn finds_messages_and_contacts_and_never_fails_on_odd_input() {
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    core.remember_contact_names(&[("+13125550101", "Maya Chén")])
        .await
        .unwrap();
    for (to, body) in [
        ("+13125550101", "Your table for four is ready at 7pm"),
        ("+13125550102", "The cake order is ready for pickup"),
        (
            "+13125550103",
            "Say \"hi\" to the team (and NOT the boss) -- 50% off*",
        ),
    ] {
        core.send(SendInput {
            to: Some(to.into()),
            body: body.into(),
            confirmed: true,
            ..SendInput::default()
        })
        .await
        .unwrap();
    }

    let r = core.search("ready", 20).await.unwrap();
    assert_eq!(r.messages.len(), 2);
    let r = core.search("table rea", 20).await.unwrap();
    assert_eq!(r.messages.len(), 1, "the last word is a prefix");
    let hit = &r.messages[0];
    assert_eq!(hit.contact_name.as_deref(), Some("Maya Chén"));
    let marked: Vec<&str> = hit
        .snippet
        .iter()
        .filter(|p| p.hit)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(marked, vec!["table", "ready"]);

    // Contacts by name (accents or not) and by digits anywhere in the number.
    let r = core.search("chen", 20).await.unwrap();
    assert_eq!(r.contacts.len(), 1);
    assert_eq!(r.contacts[0].number, "+13125550101");
    assert!(r.contacts[0].conversation_id.is_some());
    let r = core.search("555-0102", 20).await.unwrap();
    assert_eq!(r.contacts.len(), 1);
    assert_eq!(r.contacts[0].number, "+13125550102");

    // Operators and symbols are words, not syntax.
    let r = core.search("\"hi\" NOT boss", 20).await.unwrap();
    assert_eq!(r.messages.len(), 1);
    for odd in [
        "\"",
        "\"\"\"",
        "*",
        "(",
        ")",
        "NEAR(",
        "a OR",
        "AND",
        "-",
        "^",
        "col:x",
        "'; DROP TABLE messages; --",
        "%",
        "_",
        "\\",
        "🎉",
        "\u{0}",
        "{{first_name}}",
        "   ",
    ] {
        core.search(odd, 20)
            .await
            .unwrap_or_else(|e| panic!("{odd:?} failed: {e}"));
    }
    assert!(core.search("", 20).await.unwrap().messages.is_empty());
}
