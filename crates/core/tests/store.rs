//! The store on real SQLite files: pragmas, migrations, full-text index, dedupe, ordering.

use std::time::Duration;

use switchboard_core::domain::{Direction, MessageStatus};
use switchboard_core::provider::ProviderMessage;
use switchboard_core::store::{contacts, conversations, history, messages, senders, Store};
use switchboard_core::text;

fn inbound(sid: &str, body: &str, secs: i64) -> ProviderMessage {
    ProviderMessage {
        sid: sid.into(),
        from: Some("+13125550100".into()),
        to: "+14155550100".into(),
        body: body.into(),
        direction: Direction::Inbound,
        raw_status: "received".into(),
        status: Some(MessageStatus::Received),
        error_code: None,
        error_message: None,
        segments: Some(1),
        price: None,
        price_unit: None,
        created_at: chrono::DateTime::from_timestamp(secs, 0),
        sent_at: chrono::DateTime::from_timestamp(secs, 0),
        updated_at: None,
    }
}

async fn conversation(store: &Store, contact: &str) -> i64 {
    let mut tx = store.pool().begin().await.unwrap();
    let s = senders::upsert(&mut tx, "+14155550100", None)
        .await
        .unwrap();
    let c = contacts::upsert_by_number(&mut tx, contact).await.unwrap();
    let id = conversations::get_or_create(&mut tx, c, s, 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

#[tokio::test]
async fn a_fresh_file_gets_wal_foreign_keys_and_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/db.sqlite");
    let store = Store::open(&path).await.unwrap();
    assert!(path.exists());
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(fk, 1);
    let bad = sqlx::query("INSERT INTO conversations (contact_id, sender_id, last_activity_at, created_at) VALUES (98, 99, 0, 0)")
        .execute(store.pool())
        .await;
    assert!(bad.is_err(), "foreign keys are enforced");
    store.close().await;
    // Reopening runs no migration twice.
    Store::open(&path).await.unwrap();
}

/// Every connection of the pool, held at once, and its page cache size (negative: KiB).
async fn cache_sizes(store: &Store) -> Vec<i64> {
    let mut held = Vec::new();
    let mut sizes = Vec::new();
    for _ in 0..4 {
        let mut conn = store.pool().acquire().await.unwrap();
        sizes.push(
            sqlx::query_scalar("PRAGMA cache_size")
                .fetch_one(&mut *conn)
                .await
                .unwrap(),
        );
        held.push(conn);
    }
    sizes
}

#[tokio::test]
async fn a_bulk_write_gets_a_large_page_cache_and_gives_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
    let small = -i64::from(switchboard_core::store::CACHE_KIB);
    assert_eq!(cache_sizes(&store).await, vec![small; 4]);
    let size: i64 = store
        .bulk(async |conn| {
            Ok(sqlx::query_scalar("PRAGMA cache_size")
                .fetch_one(&mut *conn)
                .await?)
        })
        .await
        .unwrap();
    assert_eq!(size, -i64::from(switchboard_core::store::BULK_CACHE_KIB));
    assert_eq!(
        cache_sizes(&store).await,
        vec![small; 4],
        "back in the pool, the connection has the small cache again"
    );
}

#[tokio::test]
async fn inbound_is_unique_by_sid_and_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
    let conv = conversation(&store, "+13125550100").await;
    let mut conn = store.pool().acquire().await.unwrap();
    let m = inbound("SM1", "Can I reschedule the plumber visit?", 100);
    let first = messages::insert_inbound(&mut conn, conv, &m, text::analyse(&m.body))
        .await
        .unwrap();
    let again = messages::insert_inbound(&mut conn, conv, &m, text::analyse(&m.body))
        .await
        .unwrap();
    assert!(first.is_some());
    assert_eq!(again, None, "the same SID is stored once");
    // Indexed once, under its time-ordered key (whose low bits are its id).
    let hits: Vec<i64> = sqlx::query_scalar(
        "SELECT rowid & ?1 FROM messages_fts WHERE messages_fts MATCH 'plumber'",
    )
    .bind(messages::SEARCH_KEY_ID_MASK)
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    assert_eq!(hits, vec![first.unwrap()]);
}

#[tokio::test]
async fn an_inbound_arrival_is_read_from_its_row_and_one_logged_before_is_not_doubled() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
    let conv = conversation(&store, "+13125550100").await;
    let mut conn = store.pool().acquire().await.unwrap();
    let m = inbound("SM1", "Is the van coming today?", 1_700_000_000);
    let id = messages::insert_inbound(&mut conn, conv, &m, text::analyse(&m.body))
        .await
        .unwrap()
        .unwrap();
    let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM message_events")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(logged, 0, "an arrival is not copied into the log");
    let changes = history::status_changes(&mut conn, id).await.unwrap();
    assert_eq!(
        changes,
        vec![history::StatusChange {
            at: 1_700_000_000_000,
            status: "received".into(),
            provider_status: Some("received".into()),
            error_code: None,
        }]
    );

    // Stored before migration 0014, the arrival was logged (at the time it was stored).
    let m = inbound("SM2", "And tomorrow?", 1_700_000_100);
    let older = messages::insert_inbound(&mut conn, conv, &m, text::analyse(&m.body))
        .await
        .unwrap()
        .unwrap();
    sqlx::query(
        "INSERT INTO message_events (message_id, at, status, provider_status)
         VALUES (?1, 1700000100500, 'received', 'received')",
    )
    .bind(older)
    .execute(&mut *conn)
    .await
    .unwrap();
    let changes = history::status_changes(&mut conn, older).await.unwrap();
    assert_eq!(
        changes.iter().map(|c| c.at).collect::<Vec<_>>(),
        vec![1_700_000_100_500],
        "the logged arrival, once"
    );
}

#[tokio::test]
async fn the_list_orders_by_activity_and_inbound_reopens_and_counts_unread() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
    let a = conversation(&store, "+13125550101").await;
    let b = conversation(&store, "+13125550102").await;
    let mut conn = store.pool().acquire().await.unwrap();
    sqlx::query("UPDATE conversations SET state = 'closed' WHERE id = ?1")
        .bind(a)
        .execute(&mut *conn)
        .await
        .unwrap();
    conversations::record_message(&mut conn, b, 1_000, Direction::Outbound)
        .await
        .unwrap();
    conversations::record_message(&mut conn, a, 2_000, Direction::Inbound)
        .await
        .unwrap();
    // A late-synced older message does not move the conversation back in time.
    conversations::record_message(&mut conn, a, 500, Direction::Inbound)
        .await
        .unwrap();
    let list = conversations::list(
        store.pool(),
        &conversations::ConversationQuery::of(conversations::View::Open),
    )
    .await
    .unwrap()
    .items;
    assert_eq!(list.iter().map(|c| c.id).collect::<Vec<_>>(), vec![a, b]);
    assert_eq!(list[0].unread, 2);
    assert_eq!(
        list[0].state,
        switchboard_core::domain::ConversationState::Open
    );
    assert_eq!(list[0].last_activity_at.timestamp_millis(), 2_000);
    assert_eq!(list[1].unread, 0);
}

#[tokio::test]
async fn status_checks_thin_out_as_a_message_ages() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
    let conv = conversation(&store, "+13125550103").await;
    let now = 10_000_000_000_i64;
    let minute = 60_000;
    // (age, last checked ago, due?)
    let cases = [
        (minute, 1_000, true),       // young: every round
        (10 * minute, 5_000, false), // 15 s interval, checked 5 s ago
        (10 * minute, 20_000, true),
        (3 * 60 * minute, 60_000, false), // 2 min interval
        (3 * 60 * minute, 3 * minute, true),
        (48 * 60 * minute, 10 * minute, false), // 15 min interval
        (48 * 60 * minute, 16 * minute, true),
    ];
    let mut expected_due = Vec::new();
    for (i, (age, checked_ago, due)) in cases.iter().enumerate() {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO messages (conversation_id, sid, direction, from_number, to_number, body,
                 status, segments, encoding, created_at, updated_at, status_checked_at)
             VALUES (?1, ?2, 'outbound', '+14155550100', '+13125550103', 'x', 'sent', 1, 'GSM-7',
                 ?3, ?3, ?4) RETURNING id",
        )
        .bind(conv)
        .bind(format!("SM{i:032}"))
        .bind(now - age)
        .bind(now - checked_ago)
        .fetch_one(store.pool())
        .await
        .unwrap();
        if *due {
            expected_due.push(id);
        }
    }
    let mut due: Vec<i64> = messages::due_for_status(store.pool(), now, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    due.sort();
    assert_eq!(due, expected_due);
}

#[tokio::test]
async fn the_providers_first_report_replaces_our_own_error_code_and_later_ones_keep_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
    let conv = conversation(&store, "+13125550104").await;
    let mut tx = store.pool().acquire().await.unwrap();
    let id = messages::insert_outbound(
        &mut tx,
        messages::NewOutbound {
            conversation_id: conv,
            from: "+14155550100",
            to: "+13125550104",
            body: "are you there?",
            info: text::analyse("are you there?"),
            author_id: None,
            resend_of: None,
            media: &[],
            template_id: None,
        },
    )
    .await
    .unwrap();
    // The create went unanswered…
    messages::set_failure(
        &mut tx,
        id,
        messages::OutboxState::Unknown,
        MessageStatus::Pending,
        "provider_no_answer",
        None,
    )
    .await
    .unwrap();
    // …and a lookup found it at the provider, queued and error-free.
    let mut found = inbound("SM0000000000000000000000000000abcd", "are you there?", 100);
    found.direction = Direction::Outbound;
    found.raw_status = "queued".into();
    found.status = Some(MessageStatus::Queued);
    messages::apply_provider_state(&mut tx, id, &found)
        .await
        .unwrap();
    let adopted = messages::get(store.pool(), id).await.unwrap().unwrap();
    assert_eq!(adopted.sid.as_deref(), Some(found.sid.as_str()));
    assert_eq!(
        adopted.error_code, None,
        "our note is not the provider's word"
    );

    // Later: undelivered with 30003, then a report without the code.
    let mut undelivered = found.clone();
    undelivered.raw_status = "undelivered".into();
    undelivered.status = Some(MessageStatus::Undelivered);
    undelivered.error_code = Some("30003".into());
    messages::apply_provider_state(&mut tx, id, &undelivered)
        .await
        .unwrap();
    messages::apply_provider_state(&mut tx, id, &found)
        .await
        .unwrap();
    let last = messages::get(store.pool(), id).await.unwrap().unwrap();
    assert_eq!(last.error_code.as_deref(), Some("30003"));
    assert_eq!(last.status, MessageStatus::Undelivered);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_waiting_for_the_lock_is_seen_until_it_begins_or_gives_up() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
    assert!(!store.writer_waiting());
    let holding = store.write().await.unwrap();
    assert!(
        !store.writer_waiting(),
        "a write that has begun is not waiting"
    );

    let other = store.clone();
    let waiter = tokio::spawn(async move { other.write().await.unwrap().commit().await });
    let seen = tokio::time::timeout(Duration::from_secs(5), async {
        while !store.writer_waiting() {
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert!(seen.is_ok(), "the second write is waiting for the lock");
    holding.commit().await.unwrap();
    waiter.await.unwrap().unwrap();
    assert!(!store.writer_waiting(), "it began, so it no longer waits");

    // A waiting write that is dropped (its caller gave up) stops counting.
    let holding = store.write().await.unwrap();
    let other = store.clone();
    let waiter = tokio::spawn(async move { other.write().await.map(|_| ()) });
    while !store.writer_waiting() {
        tokio::task::yield_now().await;
    }
    waiter.abort();
    assert!(waiter.await.unwrap_err().is_cancelled());
    assert!(!store.writer_waiting());
    holding.commit().await.unwrap();
}

#[tokio::test]
async fn next_failed_goes_through_failures_by_time_not_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
    let c = conversation(&store, "+13125550100").await;
    // History is stored newest first, so its ids run against time: here ids 1, 2, 3 were sent
    // at 300, 100 and 200 s.
    let listed: Vec<ProviderMessage> = [("SMa", 300), ("SMb", 100), ("SMc", 200)]
        .into_iter()
        .map(|(sid, secs)| ProviderMessage {
            direction: Direction::Outbound,
            from: Some("+14155550100".into()),
            to: "+13125550100".into(),
            raw_status: "undelivered".into(),
            status: Some(MessageStatus::Undelivered),
            error_code: Some("30005".into()),
            ..inbound(sid, "Your order is ready", secs)
        })
        .collect();
    let info = text::analyse("Your order is ready");
    let rows: Vec<_> = listed.iter().map(|m| (c, m, info)).collect();
    let mut conn = store.pool().acquire().await.unwrap();
    messages::insert_history_page(&mut conn, &rows)
        .await
        .unwrap();
    let mut id = std::collections::HashMap::new();
    for sid in ["SMa", "SMb", "SMc"] {
        let got: i64 = sqlx::query_scalar("SELECT id FROM messages WHERE sid = ?1")
            .bind(sid)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        id.insert(sid, got);
    }
    drop(conn);

    let mut seen = Vec::new();
    let mut at = 0;
    for _ in 0..4 {
        let (conversation, next) = conversations::next_failed(store.pool(), at)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(conversation, c);
        seen.push(next);
        at = next;
    }
    // Oldest first, then round again.
    assert_eq!(seen, [id["SMb"], id["SMc"], id["SMa"], id["SMb"]]);
}
