//! `conversations`: one per contact and sender number.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqlitePool};

use crate::domain::{
    from_millis, ConversationState, ConversationSummary, Direction, LastMessage, MessageStatus,
};
use crate::error::{CoreError, Result};

/// Finds or creates the conversation between a contact and one of our numbers.
pub async fn get_or_create(
    conn: &mut SqliteConnection,
    contact_id: i64,
    sender_id: i64,
    at_ms: i64,
) -> Result<i64> {
    let id = sqlx::query_scalar(
        "INSERT INTO conversations (contact_id, sender_id, last_activity_at, created_at)
         VALUES (?1, ?2, ?3, ?3)
         ON CONFLICT (contact_id, sender_id) DO UPDATE SET contact_id = excluded.contact_id
         RETURNING id",
    )
    .bind(contact_id)
    .bind(sender_id)
    .bind(at_ms)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Records a new message in the conversation: activity time moves forward (never back, so an
/// old message synced late does not reorder the list); an inbound one counts as unread and
/// reopens a closed conversation.
pub async fn record_message(
    conn: &mut SqliteConnection,
    id: i64,
    at_ms: i64,
    direction: Direction,
) -> Result<()> {
    let inbound = direction == Direction::Inbound;
    sqlx::query(
        "UPDATE conversations SET
             last_activity_at = MAX(last_activity_at, ?2),
             unread = unread + ?3,
             state = CASE WHEN ?3 = 1 THEN 'open' ELSE state END
         WHERE id = ?1",
    )
    .bind(id)
    .bind(at_ms)
    .bind(i64::from(inbound))
    .execute(conn)
    .await?;
    Ok(())
}

/// Notes an old message found while loading history: it moves the conversation's activity
/// time but is not news, so neither the unread count nor the open/closed state changes.
pub async fn record_history(conn: &mut SqliteConnection, id: i64, at_ms: i64) -> Result<()> {
    sqlx::query(
        "UPDATE conversations SET last_activity_at = MAX(last_activity_at, ?2) WHERE id = ?1",
    )
    .bind(id)
    .bind(at_ms)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks every message of the conversation as seen.
pub async fn mark_read(pool: &SqlitePool, id: i64) -> Result<()> {
    let done = sqlx::query("UPDATE conversations SET unread = 0 WHERE id = ?1")
        .bind(id)
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(CoreError::UnknownConversation(id));
    }
    Ok(())
}

/// The list row: conversation, contact, sender and newest message, as one static string.
macro_rules! summary_select {
    () => {
        "
    SELECT c.id, ct.number AS contact_number, ct.name AS contact_name,
           s.number AS sender_number, s.label AS sender_label,
           c.state, c.unread, c.last_activity_at,
           m.body AS last_body, m.direction AS last_direction, m.status AS last_status
    FROM conversations c
    JOIN contacts ct ON ct.id = c.contact_id
    JOIN sender_numbers s ON s.id = c.sender_id
    LEFT JOIN messages m ON m.id = (
        SELECT id FROM messages WHERE conversation_id = c.id
        ORDER BY created_at DESC, id DESC LIMIT 1)"
    };
}

fn summary(row: &SqliteRow) -> Result<ConversationSummary> {
    let last_body: Option<String> = row.try_get("last_body")?;
    let last_direction: Option<String> = row.try_get("last_direction")?;
    let last_status: Option<String> = row.try_get("last_status")?;
    let last_message = match (last_body, last_direction, last_status) {
        (Some(body), Some(d), Some(s)) => Some(LastMessage {
            body,
            direction: Direction::parse(&d).unwrap_or(Direction::Inbound),
            status: MessageStatus::parse(&s).unwrap_or(MessageStatus::Pending),
        }),
        _ => None,
    };
    let state: String = row.try_get("state")?;
    let unread: i64 = row.try_get("unread")?;
    Ok(ConversationSummary {
        id: row.try_get("id")?,
        contact_number: row.try_get("contact_number")?,
        contact_name: row.try_get("contact_name")?,
        sender_number: row.try_get("sender_number")?,
        sender_label: row.try_get("sender_label")?,
        state: ConversationState::parse(&state).unwrap_or(ConversationState::Open),
        unread: u32::try_from(unread).unwrap_or(0),
        last_activity_at: from_millis(row.try_get("last_activity_at")?),
        last_message,
    })
}

/// Conversations, newest activity first.
pub async fn list(pool: &SqlitePool, limit: u32) -> Result<Vec<ConversationSummary>> {
    let sql = concat!(
        summary_select!(),
        " ORDER BY c.last_activity_at DESC, c.id DESC LIMIT ?1"
    );
    let rows = sqlx::query(sql)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
    rows.iter().map(summary).collect()
}

/// One conversation.
pub async fn get(pool: &SqlitePool, id: i64) -> Result<ConversationSummary> {
    let sql = concat!(summary_select!(), " WHERE c.id = ?1");
    let row = sqlx::query(sql)
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or(CoreError::UnknownConversation(id))?;
    summary(&row)
}
