//! What happened to one message: its status changes (`message_events`, kept by triggers; an
//! inbound message's arrival is its row) and every call made to the provider about it
//! (`send_attempts`).

use sqlx::SqliteConnection;

use crate::error::Result;

/// One status the message went through.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StatusChange {
    /// When, in milliseconds.
    pub at: i64,
    /// Our normalised status.
    pub status: String,
    /// The provider's own word for it.
    pub provider_status: Option<String>,
    /// The error code it carried.
    pub error_code: Option<String>,
}

/// One call to the provider about the message.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Attempt {
    /// `create` or `lookup`.
    pub kind: String,
    /// `in_flight`, `accepted`, `rejected`, `no_answer` or `failed`.
    pub outcome: String,
    /// When it started, in milliseconds.
    pub started_at: i64,
    /// When it ended, in milliseconds.
    pub finished_at: Option<i64>,
    /// The HTTP status, if an answer came.
    pub http_status: Option<i64>,
    /// The error code, if any.
    pub error_code: Option<String>,
    /// What went wrong, in words.
    pub detail: Option<String>,
}

/// The message's status changes, oldest first. An inbound message's arrival is read from its
/// row (migration 0014 stopped copying it into `message_events`), unless it was logged before.
pub async fn status_changes(
    conn: &mut SqliteConnection,
    message_id: i64,
) -> Result<Vec<StatusChange>> {
    Ok(sqlx::query_as(
        "SELECT at, status, provider_status, error_code FROM (
             SELECT 0 AS seq, m.created_at AS at, m.status, m.provider_status, m.error_code
             FROM messages m
             WHERE m.id = ?1 AND m.direction = 'inbound'
               AND NOT EXISTS (SELECT 1 FROM message_events e WHERE e.message_id = m.id)
             UNION ALL
             SELECT id, at, status, provider_status, error_code FROM message_events
             WHERE message_id = ?1)
         ORDER BY seq",
    )
    .bind(message_id)
    .fetch_all(conn)
    .await?)
}

/// The calls made to the provider about the message, oldest first.
pub async fn attempts(conn: &mut SqliteConnection, message_id: i64) -> Result<Vec<Attempt>> {
    Ok(sqlx::query_as(
        "SELECT kind, outcome, started_at, finished_at, http_status, error_code, detail
         FROM send_attempts WHERE message_id = ?1 ORDER BY id",
    )
    .bind(message_id)
    .fetch_all(conn)
    .await?)
}

/// The price the provider charged and its currency, once known.
pub async fn price(
    conn: &mut SqliteConnection,
    message_id: i64,
) -> Result<Option<(String, Option<String>)>> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT price, price_unit FROM messages WHERE id = ?1")
            .bind(message_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.and_then(|(price, unit)| price.map(|p| (p, unit))))
}
