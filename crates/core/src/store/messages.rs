//! `messages`: every message, inbound and outbound, with its delivery state.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqlitePool};

use crate::domain::{from_millis, to_millis, Direction, Encoding, Message, MessageStatus};
use crate::error::Result;
use crate::provider::ProviderMessage;
use crate::text::SegmentInfo;

/// Where an outbound message is in our outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    /// Waiting to be submitted.
    Queued,
    /// A create call is (or was, before a crash) under way.
    Submitting,
    /// The provider took it; its SID is known.
    Accepted,
    /// The provider refused it.
    Rejected,
    /// A create got no answer: it may or may not exist at the provider.
    Unknown,
}

impl OutboxState {
    fn as_str(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Submitting => "submitting",
            OutboxState::Accepted => "accepted",
            OutboxState::Rejected => "rejected",
            OutboxState::Unknown => "unknown",
        }
    }
}

/// The selected columns and join every message read uses, as one static string.
macro_rules! select_messages {
    () => {
        "SELECT m.id, m.conversation_id, m.sid, m.direction, m.from_number, m.to_number,
    m.body, m.status, m.provider_status, m.error_code, m.error_message, m.segments, m.encoding,
    tm.name AS author, m.created_at, m.sent_at, m.delivered_at
         FROM messages m LEFT JOIN team_members tm ON tm.id = m.author_id "
    };
}

fn message(row: &SqliteRow) -> Result<Message> {
    let direction: String = row.try_get("direction")?;
    let status: String = row.try_get("status")?;
    let encoding: String = row.try_get("encoding")?;
    let segments: i64 = row.try_get("segments")?;
    let sent_at: Option<i64> = row.try_get("sent_at")?;
    let delivered_at: Option<i64> = row.try_get("delivered_at")?;
    Ok(Message {
        id: row.try_get("id")?,
        conversation_id: row.try_get("conversation_id")?,
        sid: row.try_get("sid")?,
        direction: Direction::parse(&direction).unwrap_or(Direction::Inbound),
        from: row.try_get("from_number")?,
        to: row.try_get("to_number")?,
        body: row.try_get("body")?,
        status: MessageStatus::parse(&status).unwrap_or(MessageStatus::Pending),
        provider_status: row.try_get("provider_status")?,
        error_code: row.try_get("error_code")?,
        error_message: row.try_get("error_message")?,
        segments: u32::try_from(segments).unwrap_or(0),
        encoding: Encoding::parse(&encoding).unwrap_or(Encoding::Gsm7),
        author: row.try_get("author")?,
        created_at: from_millis(row.try_get("created_at")?),
        sent_at: sent_at.map(from_millis),
        delivered_at: delivered_at.map(from_millis),
    })
}

/// One message.
pub async fn get(pool: &SqlitePool, id: i64) -> Result<Option<Message>> {
    let sql = concat!(select_messages!(), "WHERE m.id = ?1");
    let row = sqlx::query(sql).bind(id).fetch_optional(pool).await?;
    row.as_ref().map(message).transpose()
}

/// A conversation's messages, oldest first.
pub async fn thread(pool: &SqlitePool, conversation_id: i64) -> Result<Vec<Message>> {
    let sql = concat!(
        select_messages!(),
        "WHERE m.conversation_id = ?1 ORDER BY m.created_at, m.id"
    );
    let rows = sqlx::query(sql)
        .bind(conversation_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(message).collect()
}

/// A new outbound message, before any provider call.
#[derive(Debug, Clone)]
pub struct NewOutbound<'a> {
    /// Its conversation.
    pub conversation_id: i64,
    /// Our number.
    pub from: &'a str,
    /// The customer's number.
    pub to: &'a str,
    /// The text.
    pub body: &'a str,
    /// Encoding and segments.
    pub info: SegmentInfo,
    /// Who wrote it.
    pub author_id: Option<i64>,
}

/// Stores an outbound message as queued in the outbox; returns its id.
pub async fn insert_outbound(conn: &mut SqliteConnection, m: NewOutbound<'_>) -> Result<i64> {
    let now = super::now_ms();
    let id = sqlx::query_scalar(
        "INSERT INTO messages (conversation_id, direction, from_number, to_number, body, status,
             outbox_state, segments, encoding, author_id, created_at, updated_at)
         VALUES (?1, 'outbound', ?2, ?3, ?4, 'pending', 'queued', ?5, ?6, ?7, ?8, ?8)
         RETURNING id",
    )
    .bind(m.conversation_id)
    .bind(m.from)
    .bind(m.to)
    .bind(m.body)
    .bind(i64::from(m.info.segments))
    .bind(m.info.encoding.as_str())
    .bind(m.author_id)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Stores an inbound message unless its SID is already known; returns the new id, or `None`
/// for a duplicate (so a message listed twice is stored once).
pub async fn insert_inbound(
    conn: &mut SqliteConnection,
    conversation_id: i64,
    m: &ProviderMessage,
    info: SegmentInfo,
) -> Result<Option<i64>> {
    let at = m
        .sent_at
        .or(m.created_at)
        .map(to_millis)
        .unwrap_or_else(super::now_ms);
    let id = sqlx::query_scalar(
        "INSERT INTO messages (conversation_id, sid, direction, from_number, to_number, body,
             status, provider_status, segments, encoding, created_at, sent_at, updated_at)
         VALUES (?1, ?2, 'inbound', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)
         ON CONFLICT (sid) DO NOTHING
         RETURNING id",
    )
    .bind(conversation_id)
    .bind(&m.sid)
    .bind(m.from.as_deref().unwrap_or_default())
    .bind(&m.to)
    .bind(&m.body)
    .bind(m.status.unwrap_or(MessageStatus::Received).as_str())
    .bind(&m.raw_status)
    .bind(i64::from(m.segments.unwrap_or(info.segments)))
    .bind(info.encoding.as_str())
    .bind(at)
    .bind(super::now_ms())
    .fetch_optional(conn)
    .await?;
    Ok(id)
}

/// True when a message with this SID is stored.
pub async fn sid_known(pool: &SqlitePool, sid: &str) -> Result<bool> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT 1 FROM messages WHERE sid = ?1")
            .bind(sid)
            .fetch_optional(pool)
            .await?
            .is_some(),
    )
}

/// The oldest message waiting in the outbox, so messages go out in the order they were written.
pub async fn next_queued(pool: &SqlitePool) -> Result<Option<Message>> {
    let sql = concat!(
        select_messages!(),
        "WHERE m.outbox_state = 'queued' ORDER BY m.id LIMIT 1"
    );
    let row = sqlx::query(sql).fetch_optional(pool).await?;
    row.as_ref().map(message).transpose()
}

/// Moves a message between outbox states.
pub async fn set_outbox_state(
    conn: &mut SqliteConnection,
    id: i64,
    state: OutboxState,
) -> Result<()> {
    sqlx::query("UPDATE messages SET outbox_state = ?2, updated_at = ?3 WHERE id = ?1")
        .bind(id)
        .bind(state.as_str())
        .bind(super::now_ms())
        .execute(conn)
        .await?;
    Ok(())
}

/// Records a failure on a message without a provider SID (refused at create, or ambiguous).
pub async fn set_failure(
    conn: &mut SqliteConnection,
    id: i64,
    state: OutboxState,
    status: MessageStatus,
    code: &str,
    provider_message: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "UPDATE messages SET outbox_state = ?2, status = ?3, error_code = ?4, error_message = ?5,
             updated_at = ?6
         WHERE id = ?1",
    )
    .bind(id)
    .bind(state.as_str())
    .bind(status.as_str())
    .bind(code)
    .bind(provider_message)
    .bind(super::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// Applies what the provider reports about one of our messages: SID, status, error, times.
/// A final status is never replaced by an earlier one (reports can arrive out of order).
pub async fn apply_provider_state(
    conn: &mut SqliteConnection,
    id: i64,
    m: &ProviderMessage,
) -> Result<bool> {
    let status = m.status;
    let delivered_at = (status == Some(MessageStatus::Delivered))
        .then(|| m.updated_at.map(to_millis).unwrap_or_else(super::now_ms));
    let done = sqlx::query(
        "UPDATE messages SET
             sid = ?2,
             outbox_state = 'accepted',
             status = CASE WHEN status IN ('delivered', 'undelivered', 'failed', 'read', 'canceled')
                           THEN status ELSE COALESCE(?3, status) END,
             provider_status = ?4,
             error_code = COALESCE(?5, error_code),
             error_message = COALESCE(?6, error_message),
             segments = COALESCE(?7, segments),
             price = COALESCE(?8, price),
             price_unit = COALESCE(?9, price_unit),
             sent_at = COALESCE(sent_at, ?10),
             delivered_at = COALESCE(delivered_at, ?11),
             updated_at = ?12
         WHERE id = ?1
           AND (sid IS NOT ?2 OR status IS NOT COALESCE(?3, status) OR provider_status IS NOT ?4
                OR error_code IS NOT COALESCE(?5, error_code))",
    )
    .bind(id)
    .bind(&m.sid)
    .bind(status.map(MessageStatus::as_str))
    .bind(&m.raw_status)
    .bind(&m.error_code)
    .bind(&m.error_message)
    .bind(m.segments.map(i64::from))
    .bind(&m.price)
    .bind(&m.price_unit)
    .bind(m.sent_at.map(to_millis))
    .bind(delivered_at)
    .bind(super::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// Outbound messages the provider has but that are not final yet: (id, sid, conversation).
pub async fn unsettled(pool: &SqlitePool, limit: u32) -> Result<Vec<(i64, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT id, sid, conversation_id FROM messages
         WHERE direction = 'outbound' AND sid IS NOT NULL AND status IN ('queued', 'sending', 'sent')
         ORDER BY id LIMIT ?1",
    )
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?)
}
