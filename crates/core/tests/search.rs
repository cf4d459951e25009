//! Search on a real database: messages by their words (hits marked), contacts by name or by
//! digits of their number, and hostile input that must never fail.

mod common;

use common::*;
use switchboard_core::outbox::SendInput;
use switchboard_core::search::SearchPage;

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

    let r = core
        .search("ready", 20, &SearchPage::default())
        .await
        .unwrap();
    assert_eq!(r.hits.len(), 2);
    let r = core
        .search("table rea", 20, &SearchPage::default())
        .await
        .unwrap();
    assert_eq!(r.hits.len(), 1, "the last word is a prefix");
    let hit = &r.hits[0];
    assert_eq!(hit.contact_name.as_deref(), Some("Maya Chén"));
    let marked: Vec<&str> = hit
        .snippet
        .iter()
        .filter(|p| p.hit)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(marked, vec!["table", "ready"]);

    // Contacts by name (accents or not) and by digits anywhere in the number.
    let r = core
        .search("chen", 20, &SearchPage::default())
        .await
        .unwrap();
    assert_eq!(r.contacts.len(), 1);
    assert_eq!(r.contacts[0].number, "+13125550101");
    assert!(r.contacts[0].conversation_id.is_some());
    let r = core
        .search("555-0102", 20, &SearchPage::default())
        .await
        .unwrap();
    assert_eq!(r.contacts.len(), 1);
    assert_eq!(r.contacts[0].number, "+13125550102");

    // Operators and symbols are words, not syntax.
    let r = core
        .search("\"hi\" NOT boss", 20, &SearchPage::default())
        .await
        .unwrap();
    assert_eq!(r.hits.len(), 1);
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
        core.search(odd, 20, &SearchPage::default())
            .await
            .unwrap_or_else(|e| panic!("{odd:?} failed: {e}"));
    }
    assert!(core
        .search("", 20, &SearchPage::default())
        .await
        .unwrap()
        .hits
        .is_empty());
}

/// History is stored newest page first, so its ids run against time; hits still come newest
/// first, by the message's time.
#[tokio::test]
async fn hits_come_newest_first_whatever_order_history_was_stored_in() {
    use std::time::Duration;
    use switchboard_sim::{SeedMessage, SimConfig};
    let history: Vec<SeedMessage> = (0..2_500u64)
        .map(|i| SeedMessage {
            account_sid: ACCOUNT.into(),
            from: format!("+1646555{:04}", i % 30),
            to: SENDER.into(),
            body: format!("old question {i}"),
            // Newest first, a few minutes apart.
            age: Duration::from_secs(600 + i * 300),
        })
        .collect();
    let sim = start(SimConfig {
        history,
        ..sim_config()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    while !core.backfill().step().await.unwrap() {}
    core.send(SendInput {
        to: Some("+13125550101".into()),
        body: "a new question".into(),
        confirmed: true,
        ..SendInput::default()
    })
    .await
    .unwrap();

    // Every stored message is in the index once, and nothing is held back any more.
    let (messages, indexed, held): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM messages),
                (SELECT COUNT(*) FROM messages_fts WHERE messages_fts MATCH 'question'),
                (SELECT COUNT(*) FROM search_held_back)",
    )
    .fetch_one(core.store().pool())
    .await
    .unwrap();
    assert_eq!((indexed, held), (messages, 0));

    let hits = core
        .search("question", 30, &SearchPage::default())
        .await
        .unwrap()
        .hits;
    assert_eq!(hits.len(), 30);
    let times: Vec<i64> = hits.iter().map(|h| h.created_at.timestamp()).collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "not newest first: {times:?}"
    );
    let snippet =
        |i: usize| -> String { hits[i].snippet.iter().map(|p| p.text.as_str()).collect() };
    assert_eq!(snippet(0), "a new question");
    assert_eq!(snippet(1), "old question 0", "then the newest of history");
    core.shutdown().await;
}

/// A database whose search index was written by an older version (by storage id) lists by
/// time once upgraded.
#[tokio::test]
async fn an_upgraded_database_lists_hits_by_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = database(&dir);
    {
        let options = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
        switchboard_core::store::MIGRATOR
            .run_to(16, &pool)
            .await
            .unwrap();
        for sql in [
            "INSERT INTO sender_numbers (id, number, created_at) VALUES (1, '+14155550100', 0)",
            "INSERT INTO contacts (id, number, created_at, updated_at) VALUES (1, '+13125550101', 0, 0)",
            "INSERT INTO conversations (id, contact_id, sender_id, last_activity_at, created_at)
             VALUES (1, 1, 1, 0, 0)",
        ] {
            sqlx::query(sql).execute(&pool).await.unwrap();
        }
        // Stored as a history load stores them: the newest first.
        for (id, days_ago) in [(1, 1), (2, 2), (3, 3)] {
            sqlx::query(
                "INSERT INTO messages (id, conversation_id, sid, direction, from_number,
                     to_number, body, status, segments, encoding, created_at, updated_at)
                 VALUES (?1, 1, 'SM' || ?1, 'inbound', '+13125550101', '+14155550100',
                     'question ' || ?2, 'received', 1, 'GSM-7', ?3, ?3)",
            )
            .bind(id)
            .bind(days_ago)
            .bind(1_800_000_000_000_i64 - days_ago * 86_400_000)
            .execute(&pool)
            .await
            .unwrap();
        }
        pool.close().await;
    }
    let sim = simulator().await;
    let core = services(&sim, &dir).await;
    let hits = core
        .search("question", 10, &SearchPage::default())
        .await
        .unwrap()
        .hits;
    let ids: Vec<i64> = hits.iter().map(|h| h.id).collect();
    assert_eq!(ids, vec![1, 2, 3], "newest first");
    core.shutdown().await;
}

/// Notes and contacts' own fields are found too, each hit saying what it is; results page past
/// the first batch, newest first across pages, nothing twice.
#[tokio::test]
async fn notes_and_contact_fields_are_found_and_results_page() {
    use switchboard_core::contacts::ContactInput;
    use switchboard_core::search::{ContactMatch, HitKind};
    let sim = simulator().await;
    let dir = tempfile::tempdir().unwrap();
    let core = services(&sim, &dir).await;
    let sent = core
        .send(SendInput {
            to: Some("+13125550101".into()),
            body: "Your parcel number 1 is ready".into(),
            confirmed: true,
            ..SendInput::default()
        })
        .await
        .unwrap();
    let contact_id: i64 = sqlx::query_scalar("SELECT contact_id FROM conversations WHERE id = ?1")
        .bind(sent.conversation_id)
        .fetch_one(core.store().pool())
        .await
        .unwrap();
    core.save_contact(&ContactInput {
        id: contact_id,
        name: "Ana Lopez".into(),
        number: "+13125550101".into(),
        fields: vec![("pet_name".into(), "Biscuit the parcel dog".into())],
    })
    .await
    .unwrap();
    core.add_note(sent.conversation_id, None, "Parcel left with the neighbour")
        .await
        .unwrap();

    let r = core
        .search("biscuit", 10, &SearchPage::default())
        .await
        .unwrap();
    assert_eq!(r.contacts.len(), 1);
    assert_eq!(
        r.contacts[0].matched,
        ContactMatch::Field {
            name: "pet_name".into()
        }
    );
    let marked: Vec<&str> = r.contacts[0]
        .snippet
        .iter()
        .filter(|p| p.hit)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(marked, vec!["Biscuit"]);
    let r = core
        .search("lopez", 10, &SearchPage::default())
        .await
        .unwrap();
    assert_eq!(r.contacts[0].matched, ContactMatch::Name);
    let r = core
        .search("0101", 10, &SearchPage::default())
        .await
        .unwrap();
    assert_eq!(r.contacts[0].matched, ContactMatch::Number);

    // The note and the message, each saying what it is.
    let r = core
        .search("parcel", 10, &SearchPage::default())
        .await
        .unwrap();
    let mut kinds: Vec<(bool, String)> = r
        .hits
        .iter()
        .map(|h| {
            let text: String = h.snippet.iter().map(|p| p.text.as_str()).collect();
            (matches!(h.kind, HitKind::Note { .. }), text)
        })
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        vec![
            (false, "Your parcel number 1 is ready".to_string()),
            (true, "Parcel left with the neighbour".to_string())
        ]
    );
    assert_eq!(r.contacts.len(), 1, "the field mentions it too");

    // 70 more messages and notes: pages of 30 until the end.
    for i in 2..=40 {
        core.send(SendInput {
            to: Some("+13125550101".into()),
            body: format!("Your parcel number {i} is ready"),
            confirmed: true,
            ..SendInput::default()
        })
        .await
        .unwrap();
    }
    for i in 0..31 {
        core.add_note(sent.conversation_id, None, &format!("parcel note {i}"))
            .await
            .unwrap();
    }
    let mut page = SearchPage::default();
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let r = core.search("parcel", 30, &page).await.unwrap();
        pages += 1;
        assert!(r.hits.len() <= 30);
        seen.extend(r.hits);
        match r.next {
            Some(next) => page = next,
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 72, "40 messages and 32 notes");
    let ids: std::collections::HashSet<(bool, i64)> = seen
        .iter()
        .map(|h| (matches!(h.kind, HitKind::Note { .. }), h.id))
        .collect();
    assert_eq!(ids.len(), 72, "nothing twice");
    assert!(seen.windows(2).all(|w| w[0].created_at >= w[1].created_at));
    core.shutdown().await;
}
