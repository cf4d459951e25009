//! `messages`: every message, inbound and outbound, with its delivery state.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqlitePool};

use crate::domain::{
    from_millis, to_millis, Direction, Dismissal, Encoding, Message, MessageStatus, ResendStage,
    OUTSIDE_AUTHOR,
};

/// `messages.origin` of a message sent from outside Switchboard (migration 0015).
pub(crate) const ORIGIN_OUTSIDE: &str = "outside";
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

/// A resend `r` has taken its failure over: the provider took it (it has a SID), or it failed
/// too and is the failure left to deal with. Before that the failure it resends stays open.
macro_rules! resend_taken_over {
    () => {
        "(r.sid IS NOT NULL OR r.status IN ('failed', 'undelivered'))"
    };
}
pub(crate) use resend_taken_over;

/// The selected columns and join every message read uses, as one static string. A message's
/// resend is read as its stage: 2 taken over, 1 on its way, NULL none.
macro_rules! select_messages {
    () => {
        concat!(
            "SELECT m.id, m.conversation_id, m.sid, m.direction, m.from_number, m.to_number,
    m.body, m.status, m.provider_status, m.error_code, m.error_message, m.segments, m.encoding,
    m.author_id, tm.name AS author, m.created_at, m.sent_at, m.delivered_at, m.updated_at, m.resend_of,
    m.media, m.template_id, m.dismissed_at, m.dismissed_reason, dm.name AS dismissed_by, m.origin,
    (SELECT MAX(CASE WHEN ",
            resend_taken_over!(),
            " THEN 2 ELSE 1 END) FROM messages r WHERE r.resend_of = m.id) AS resend_stage
         FROM messages m LEFT JOIN team_members tm ON tm.id = m.author_id
         LEFT JOIN team_members dm ON dm.id = m.dismissed_by "
        )
    };
}

fn message(row: &SqliteRow) -> Result<Message> {
    let direction: String = row.try_get("direction")?;
    let status: String = row.try_get("status")?;
    let encoding: String = row.try_get("encoding")?;
    let segments: i64 = row.try_get("segments")?;
    let sent_at: Option<i64> = row.try_get("sent_at")?;
    let delivered_at: Option<i64> = row.try_get("delivered_at")?;
    let outside = row.try_get::<Option<String>, _>("origin")?.as_deref() == Some(ORIGIN_OUTSIDE);
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
        author_id: row.try_get("author_id")?,
        author: if outside {
            Some(OUTSIDE_AUTHOR.to_string())
        } else {
            row.try_get("author")?
        },
        created_at: from_millis(row.try_get("created_at")?),
        sent_at: sent_at.map(from_millis),
        delivered_at: delivered_at.map(from_millis),
        updated_at: from_millis(row.try_get("updated_at")?),
        resend_of: row.try_get("resend_of")?,
        media: serde_json::from_str(&row.try_get::<String, _>("media")?).unwrap_or_default(),
        template_id: row.try_get("template_id")?,
        dismissal: match row.try_get::<Option<i64>, _>("dismissed_at")? {
            Some(at) => Some(Dismissal {
                at: from_millis(at),
                by: row.try_get("dismissed_by")?,
                reason: row
                    .try_get::<Option<String>, _>("dismissed_reason")?
                    .unwrap_or_default(),
            }),
            None => None,
        },
        outside,
        resend: match row.try_get::<Option<i64>, _>("resend_stage")? {
            Some(2) => Some(ResendStage::TakenOver),
            Some(_) => Some(ResendStage::OnItsWay),
            None => None,
        },
    })
}

/// A conversation's messages in order.
const THREAD_SQL: &str = concat!(
    select_messages!(),
    "WHERE m.conversation_id = ?1 ORDER BY m.created_at, m.id"
);

/// One message.
pub async fn get(pool: &SqlitePool, id: i64) -> Result<Option<Message>> {
    let sql = concat!(select_messages!(), "WHERE m.id = ?1");
    let row = sqlx::query(sql).bind(id).fetch_optional(pool).await?;
    row.as_ref().map(message).transpose()
}

/// Whether a message was resent (the resend may have failed too).
pub async fn has_resend(conn: &mut SqliteConnection, id: i64) -> Result<bool> {
    Ok(
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM messages WHERE resend_of = ?1)")
            .bind(id)
            .fetch_one(conn)
            .await?,
    )
}

/// A conversation's messages, oldest first.
pub async fn thread(pool: &SqlitePool, conversation_id: i64) -> Result<Vec<Message>> {
    let rows = sqlx::query(THREAD_SQL)
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
    /// The failed message this one resends.
    pub resend_of: Option<i64>,
    /// Media URLs sent with it.
    pub media: &'a [String],
    /// The template it was written from.
    pub template_id: Option<i64>,
}

/// Stores an outbound message as queued in the outbox; returns its id.
pub async fn insert_outbound(conn: &mut SqliteConnection, m: NewOutbound<'_>) -> Result<i64> {
    // Provider times have whole seconds. Ours are cut to the same precision so that a reply
    // stamped in the same second as our message sorts after it (ties go by insertion order)
    // instead of before it.
    let now = super::now_ms();
    let created = now - now.rem_euclid(1000);
    let id = sqlx::query_scalar(
        "INSERT INTO messages (conversation_id, direction, from_number, to_number, body, status,
             outbox_state, segments, encoding, author_id, created_at, updated_at, resend_of,
             media, template_id)
         VALUES (?1, 'outbound', ?2, ?3, ?4, 'pending', 'queued', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         RETURNING id",
    )
    .bind(m.conversation_id)
    .bind(m.from)
    .bind(m.to)
    .bind(m.body)
    .bind(i64::from(m.info.segments))
    .bind(m.info.encoding.as_str())
    .bind(m.author_id)
    .bind(created)
    .bind(now)
    .bind(m.resend_of)
    .bind(serde_json::to_string(m.media).unwrap_or_else(|_| "[]".into()))
    .bind(m.template_id)
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
    let at = listed_time(m).unwrap_or_else(super::now_ms);
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

/// The highest message id so far. A row stored later in the same write transaction has a
/// higher one (SQLite gives a new row the highest id plus one), so `id > last_id` picks out
/// exactly what a statement after this stored.
pub async fn last_id(conn: &mut SqliteConnection) -> Result<i64> {
    Ok(
        sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(id), 0) FROM messages")
            .fetch_one(conn)
            .await?,
    )
}

/// The time a listed message is stored at ([`insert_inbound`], [`insert_history_page`]), in
/// milliseconds: an inbound one's arrival (Twilio's `date_sent`), an outbound one's creation.
pub fn listed_time(m: &ProviderMessage) -> Option<i64> {
    match m.direction {
        Direction::Inbound => m.sent_at.or(m.created_at),
        Direction::Outbound => m.created_at.or(m.sent_at),
    }
    .map(to_millis)
}

/// Rows per statement of [`insert_history_page`]: 20 bound values each, well under SQLite's
/// 32,766 parameters, and one cached statement for every full chunk.
const HISTORY_ROWS_PER_STATEMENT: usize = 500;

/// Stores a page of listed messages (inbound, or outbound sent from outside Switchboard: before
/// it knew the account, or elsewhere since) with their conversations, a few hundred rows per statement; messages whose SID is
/// known are left alone. Returns how many were stored (they are the rows after [`last_id`];
/// reading them back as `RETURNING` rows cost a wake-up per row). An inbound row is stored as
/// [`insert_inbound`] stores one; an outbound one as accepted by the provider, with its
/// status, code and price as listed, and its origin outside Switchboard.
pub async fn insert_history_page<'a>(
    conn: &mut SqliteConnection,
    rows: &[(i64, &'a ProviderMessage, SegmentInfo)],
) -> Result<u64> {
    let now = super::now_ms();
    let mut stored = 0;
    for chunk in rows.chunks(HISTORY_ROWS_PER_STATEMENT) {
        let sql = history_insert_sql(chunk.len());
        // Only placeholders are repeated into the text; every value is bound.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (conversation_id, m, info) in chunk {
            let inbound = m.direction == Direction::Inbound;
            let created = listed_time(m).unwrap_or(now);
            let (status, sent, delivered) = if inbound {
                let status = m.status.unwrap_or(MessageStatus::Received);
                (status, Some(created), None)
            } else {
                let status = m.status.unwrap_or(MessageStatus::Pending);
                let delivered = (status == MessageStatus::Delivered)
                    .then(|| m.updated_at.map(to_millis))
                    .flatten();
                (status, m.sent_at.map(to_millis), delivered)
            };
            // What Twilio reports about an inbound message's price or code is not ours to keep.
            let outbound = |v: &'a Option<String>| v.as_deref().filter(|_| !inbound);
            query = query
                .bind(*conversation_id)
                .bind(m.sid.as_str())
                .bind(if inbound { "inbound" } else { "outbound" })
                .bind(m.from.as_deref().unwrap_or_default())
                .bind(m.to.as_str())
                .bind(m.body.as_str())
                .bind(status.as_str())
                .bind(m.raw_status.as_str())
                .bind((!inbound).then_some("accepted"))
                .bind(outbound(&m.error_code))
                .bind(outbound(&m.error_message))
                .bind(i64::from(m.segments.unwrap_or(info.segments)))
                .bind(info.encoding.as_str())
                .bind(outbound(&m.price))
                .bind(outbound(&m.price_unit))
                .bind(created)
                .bind(sent)
                .bind(delivered)
                .bind(now)
                .bind((!inbound).then_some(ORIGIN_OUTSIDE));
        }
        stored += query.execute(&mut *conn).await?.rows_affected();
    }
    Ok(stored)
}

/// Stores one listed message as [`insert_history_page`] stores a page (an outbound one as sent
/// from outside Switchboard, unless it is one of our sends with an unknown outcome); returns
/// whether it was new.
pub async fn insert_listed(
    conn: &mut SqliteConnection,
    conversation_id: i64,
    m: &ProviderMessage,
    info: SegmentInfo,
) -> Result<bool> {
    Ok(insert_history_page(conn, &[(conversation_id, m, info)]).await? == 1)
}

/// The statement that stores `rows` history messages. Placeholders are all plain `?`: sqlx
/// numbers those on its own, so mixing in `?1` would shift every value by one.
fn history_insert_sql(rows: usize) -> String {
    const ROW: &str = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    let values = vec![ROW; rows].join(", ");
    format!(
        "INSERT INTO messages (conversation_id, sid, direction, from_number, to_number, body,
             status, provider_status, outbox_state, error_code, error_message, segments,
             encoding, price, price_unit, created_at, sent_at, delivered_at, updated_at, origin)
         SELECT r.column1, r.column2, r.column3, r.column4, r.column5, r.column6, r.column7,
             r.column8, r.column9, r.column10, r.column11, r.column12, r.column13, r.column14,
             r.column15, r.column16, r.column17, r.column18, r.column19, r.column20
         FROM (VALUES {values}) AS r
         -- One of our sends whose outcome is unknown (cut off mid-call) is the same SMS: the
         -- reconciler adopts its SID. Stored here as well, it would be a second row, and its SID
         -- being known would make the reconciler conclude the send never happened and send it
         -- again.
         WHERE NOT (r.column3 = 'outbound' AND EXISTS (
             SELECT 1 FROM messages o
              WHERE (o.outbox_state = 'unknown' OR o.outbox_state = 'submitting')
                AND o.to_number = r.column5 AND o.body = r.column6))
         ON CONFLICT (sid) DO NOTHING"
    )
}

/// The bits of a search key (migration 0017: the message's second, then its id) that hold the
/// message's id.
pub const SEARCH_KEY_ID_MASK: i64 = (1 << 30) - 1;

/// Holds back the search index's entries of the rows this transaction stores from here on, for
/// a bulk write whose rows run against time (history comes newest page first): FTS5 writes out
/// its pending entries whenever a key is lower than the last, once a page instead of once a
/// megabyte. [`index_held_back`] adds them in key order, and must run before the commit.
pub async fn hold_back_search_index(conn: &mut SqliteConnection) -> Result<()> {
    sqlx::query(
        "INSERT INTO search_held_back (after_id) SELECT COALESCE(MAX(id), 0) FROM messages",
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds the rows stored since [`hold_back_search_index`] to the search index, in key order
/// (their ids are a range, read without an index and sorted once), and stops holding back.
/// Returns how many it added; a store opened with rows held back (a write that forgot to
/// call this) is repaired by it ([`super::Store::open`]).
pub async fn index_held_back(conn: &mut SqliteConnection) -> Result<u64> {
    let added = sqlx::query(INDEX_HELD_BACK_SQL)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM search_held_back")
        .execute(conn)
        .await?;
    Ok(added)
}

const INDEX_HELD_BACK_SQL: &str = "INSERT INTO messages_fts (rowid, body)
     SELECT search_key, body FROM messages NOT INDEXED
      WHERE id > (SELECT MIN(after_id) FROM search_held_back)
      ORDER BY search_key";

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

const NEXT_QUEUED_SQL: &str = concat!(
    select_messages!(),
    "WHERE m.outbox_state = 'queued' ORDER BY m.id LIMIT 1"
);

/// The oldest message waiting in the outbox, so messages go out in the order they were written.
pub async fn next_queued(pool: &SqlitePool) -> Result<Option<Message>> {
    let row = sqlx::query(NEXT_QUEUED_SQL).fetch_optional(pool).await?;
    row.as_ref().map(message).transpose()
}

const UNCONFIRMED_SQL: &str = concat!(
    select_messages!(),
    "WHERE m.outbox_state = 'unknown' ORDER BY m.id LIMIT ?1"
);

/// Outbound messages whose send has an unknown outcome, oldest first.
pub async fn unconfirmed(pool: &SqlitePool, limit: u32) -> Result<Vec<Message>> {
    let rows = sqlx::query(UNCONFIRMED_SQL)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await?;
    rows.iter().map(message).collect()
}

/// Lookups made for a message since its last create call.
pub async fn lookups_since_last_create(conn: &mut SqliteConnection, id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM send_attempts
         WHERE message_id = ?1 AND kind = 'lookup'
           AND id > COALESCE((SELECT MAX(id) FROM send_attempts
                              WHERE message_id = ?1 AND kind = 'create'), 0)",
    )
    .bind(id)
    .fetch_one(conn)
    .await?)
}

/// Puts an unconfirmed message back in the queue, once lookups proved it never reached the
/// provider; it keeps its place (its id) in the order.
pub async fn requeue_unconfirmed(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE messages SET outbox_state = 'queued', error_code = NULL, error_message = NULL,
             updated_at = ?2
         WHERE id = ?1 AND outbox_state = 'unknown'",
    )
    .bind(id)
    .bind(super::now_ms())
    .execute(conn)
    .await?;
    Ok(())
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

/// The provider-reported part of a stored outbound message.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
struct Reported {
    sid: Option<String>,
    status: String,
    provider_status: Option<String>,
    error_code: Option<String>,
    error_message: Option<String>,
    segments: i64,
    price: Option<String>,
    price_unit: Option<String>,
    sent_at: Option<i64>,
    delivered_at: Option<i64>,
}

/// Folds a provider report into what is stored. Statuses only move forward (reports can
/// arrive out of order); a status we don't know is recorded raw without moving ours.
fn merge(current: &Reported, m: &ProviderMessage) -> Reported {
    let stored = MessageStatus::parse(&current.status).unwrap_or(MessageStatus::Pending);
    let advances = m.status.is_some_and(|s| s.rank() > stored.rank());
    let status = if advances {
        m.status.unwrap_or(stored)
    } else {
        stored
    };
    let delivered_at = current.delivered_at.or_else(|| {
        (status == MessageStatus::Delivered)
            .then(|| m.updated_at.map(to_millis).unwrap_or_else(super::now_ms))
    });
    // Before the provider's first report, an error code is ours ("no answer", "unconfirmed"):
    // the provider's word replaces it. After that, a report without an error keeps the one a
    // previous report gave.
    let (error_code, error_message) = if current.sid.is_none() {
        (m.error_code.clone(), m.error_message.clone())
    } else {
        (
            m.error_code.clone().or_else(|| current.error_code.clone()),
            m.error_message
                .clone()
                .or_else(|| current.error_message.clone()),
        )
    };
    Reported {
        sid: Some(m.sid.clone()),
        status: status.as_str().to_string(),
        provider_status: if advances || m.status.is_none() || current.provider_status.is_none() {
            Some(m.raw_status.clone())
        } else {
            current.provider_status.clone()
        },
        error_code,
        error_message,
        segments: m.segments.map(i64::from).unwrap_or(current.segments),
        price: m.price.clone().or_else(|| current.price.clone()),
        price_unit: m.price_unit.clone().or_else(|| current.price_unit.clone()),
        sent_at: current.sent_at.or(m.sent_at.map(to_millis)),
        delivered_at,
    }
}

/// Applies what the provider reports about one of our messages (SID, status, error, price,
/// times); returns whether anything changed.
pub async fn apply_provider_state(
    conn: &mut SqliteConnection,
    id: i64,
    m: &ProviderMessage,
) -> Result<bool> {
    let current: Option<Reported> = sqlx::query_as(
        "SELECT sid, status, provider_status, error_code, error_message, segments, price,
             price_unit, sent_at, delivered_at
         FROM messages WHERE id = ?1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(current) = current else {
        return Ok(false);
    };
    let next = merge(&current, m);
    if next == current {
        return Ok(false);
    }
    sqlx::query(
        "UPDATE messages SET sid = ?2, outbox_state = 'accepted', status = ?3, provider_status = ?4,
             error_code = ?5, error_message = ?6, segments = ?7, price = ?8, price_unit = ?9,
             sent_at = ?10, delivered_at = ?11, updated_at = ?12
         WHERE id = ?1",
    )
    .bind(id)
    .bind(&next.sid)
    .bind(&next.status)
    .bind(&next.provider_status)
    .bind(&next.error_code)
    .bind(&next.error_message)
    .bind(next.segments)
    .bind(&next.price)
    .bind(&next.price_unit)
    .bind(next.sent_at)
    .bind(next.delivered_at)
    .bind(super::now_ms())
    .execute(conn)
    .await?;
    Ok(true)
}

/// Takes a queued message for submission; `false` when another worker already took it, so
/// one message is never submitted twice.
pub async fn claim_queued(conn: &mut SqliteConnection, id: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE messages SET outbox_state = 'submitting', updated_at = ?2
         WHERE id = ?1 AND outbox_state = 'queued'",
    )
    .bind(id)
    .bind(super::now_ms())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

const CLOSE_INTERRUPTED_ATTEMPTS_SQL: &str =
    "UPDATE send_attempts SET outcome = 'no_answer', finished_at = ?1,
         detail = 'interrupted: Switchboard stopped during the call'
     WHERE outcome = 'in_flight'";

const MARK_INTERRUPTED_SENDS_SQL: &str =
    "UPDATE messages SET outbox_state = 'unknown', error_code = 'provider_no_answer',
         updated_at = ?1
     WHERE outbox_state = 'submitting'";

/// After a crash or kill, a create that was under way has an unknown fate: it is marked so
/// (never silently resent), and its attempt closed as unanswered. Returns how many.
pub async fn recover_interrupted(conn: &mut SqliteConnection) -> Result<u64> {
    let now = super::now_ms();
    sqlx::query(CLOSE_INTERRUPTED_ATTEMPTS_SQL)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query(MARK_INTERRUPTED_SENDS_SQL)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// How often a message's status is asked for, by its age: often while a change is likely, then
/// less and less. Pairs of (age below, interval), in milliseconds; older than the last → the
/// last interval.
pub const STATUS_CHECK_SCHEDULE: [(i64, i64); 3] = [
    (2 * 60_000, 0),
    (30 * 60_000, 15_000),
    (6 * 3_600_000, 120_000),
];
/// Interval for messages older than every age in the schedule.
pub const STATUS_CHECK_SLOWEST: i64 = 15 * 60_000;

/// Outbound messages the provider has, not final yet, and due for a status check by the
/// schedule; newest first (what people are watching): (id, sid, conversation).
pub async fn due_for_status(
    pool: &SqlitePool,
    now_ms: i64,
    limit: u32,
) -> Result<Vec<(i64, String, i64)>> {
    let [(a1, i1), (a2, i2), (a3, i3)] = STATUS_CHECK_SCHEDULE;
    Ok(sqlx::query_as(
        "SELECT id, sid, conversation_id FROM messages
         WHERE direction = 'outbound' AND sid IS NOT NULL AND status IN ('queued', 'sending', 'sent')
           AND COALESCE(status_checked_at, 0) + CASE
                 WHEN ?1 - created_at < ?2 THEN ?3
                 WHEN ?1 - created_at < ?4 THEN ?5
                 WHEN ?1 - created_at < ?6 THEN ?7
                 ELSE ?8 END <= ?1
         ORDER BY id DESC LIMIT ?9",
    )
    .bind(now_ms)
    .bind(a1)
    .bind(i1)
    .bind(a2)
    .bind(i2)
    .bind(a3)
    .bind(i3)
    .bind(STATUS_CHECK_SLOWEST)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?)
}

/// Records that a message's status was just asked for.
pub async fn mark_status_checked(conn: &mut SqliteConnection, id: i64, now_ms: i64) -> Result<()> {
    sqlx::query("UPDATE messages SET status_checked_at = ?2 WHERE id = ?1")
        .bind(id)
        .bind(now_ms)
        .execute(conn)
        .await?;
    Ok(())
}

const EXPIRE_UNRECEIPTED_SQL: &str =
    "UPDATE messages SET status = 'sent_no_receipt', updated_at = ?2
     WHERE direction = 'outbound' AND status = 'sent'
       AND COALESCE(sent_at, created_at) < ?1
     RETURNING conversation_id";

/// Some carriers never send a delivery receipt: a message `sent` longer ago than `cutoff_ms`
/// becomes final as "sent, no receipt", so nobody mistakes it for still in flight and polling
/// stops. Returns the conversations touched.
pub async fn expire_unreceipted(conn: &mut SqliteConnection, cutoff_ms: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(EXPIRE_UNRECEIPTED_SQL)
        .bind(cutoff_ms)
        .bind(super::now_ms())
        .fetch_all(conn)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Direction;
    use sqlx::AssertSqlSafe;

    #[tokio::test]
    async fn a_thread_is_read_through_its_index_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("db.sqlite"))
            .await
            .unwrap();
        let rows: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(AssertSqlSafe(format!("EXPLAIN QUERY PLAN {THREAD_SQL}")))
                .bind(1_i64)
                .fetch_all(store.pool())
                .await
                .unwrap();
        let steps: Vec<String> = rows.into_iter().map(|r| r.3).collect();
        let text = steps.join("\n");
        assert!(
            steps
                .iter()
                .any(|s| s.starts_with("SEARCH m USING INDEX messages_by_conversation")),
            "{text}"
        );
        assert!(
            !text.contains("TEMP B-TREE"),
            "the thread is sorted, not read in order:\n{text}"
        );
    }

    /// The statements every sync round and outbox pass runs look for a handful of rows; a
    /// plan that walks a whole table costs seconds at a million messages.
    #[tokio::test]
    async fn pending_work_is_found_through_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("db.sqlite"))
            .await
            .unwrap();
        for sql in [
            NEXT_QUEUED_SQL,
            UNCONFIRMED_SQL,
            CLOSE_INTERRUPTED_ATTEMPTS_SQL,
            MARK_INTERRUPTED_SENDS_SQL,
            EXPIRE_UNRECEIPTED_SQL,
        ] {
            let rows: Vec<(i64, i64, i64, String)> =
                sqlx::query_as(AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                    .fetch_all(store.pool())
                    .await
                    .unwrap();
            let steps: Vec<String> = rows.into_iter().map(|r| r.3).collect();
            let text = steps.join("\n");
            // `SCAN t` and `SCAN t USING INDEX i` walk every row of the table or index; that
            // is fine only for a partial index holding nothing but the rows looked for.
            let partial = [
                "send_attempts_in_flight",
                "messages_outbox",
                "messages_awaiting_receipt",
            ];
            for table in ["messages", "m", "send_attempts"] {
                let walk = format!("SCAN {table}");
                let walks = steps.iter().any(|s| {
                    (s == &walk || s.starts_with(&format!("{walk} ")))
                        && !partial.iter().any(|i| s.ends_with(&format!("INDEX {i}")))
                });
                assert!(!walks, "{sql}\nwalks {table}:\n{text}");
            }
        }
    }

    /// Migration 0017 writes the key's layout in SQL; the id comes back through this mask.
    #[tokio::test]
    async fn a_search_key_holds_the_second_then_the_id() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("db.sqlite"))
            .await
            .unwrap();
        let pool = store.pool();
        for sql in [
            "INSERT INTO sender_numbers (id, number, created_at) VALUES (1, '+14155550100', 0)",
            "INSERT INTO contacts (id, number, created_at, updated_at) VALUES (1, '+1312', 0, 0)",
            "INSERT INTO conversations (id, contact_id, sender_id, last_activity_at, created_at)
             VALUES (1, 1, 1, 0, 0)",
            "INSERT INTO messages (id, conversation_id, direction, from_number, to_number, body,
                 status, segments, encoding, created_at, updated_at)
             VALUES (1073741000, 1, 'inbound', 'a', 'b', 'x', 'received', 1, 'GSM-7',
                 8589934591999, 0)",
        ] {
            sqlx::query(sql).execute(pool).await.unwrap();
        }
        let key: i64 = sqlx::query_scalar("SELECT search_key FROM messages")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(key & SEARCH_KEY_ID_MASK, 1_073_741_000);
        assert_eq!(key >> 30, 8_589_934_591);
        let found: i64 =
            sqlx::query_scalar("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'x'")
                .fetch_one(pool)
                .await
                .unwrap();
        assert_eq!(found, key);
        // An edited text is found by its new words only.
        sqlx::query("UPDATE messages SET body = 'y'")
            .execute(pool)
            .await
            .unwrap();
        let matches = |word: &'static str| {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM messages_fts WHERE messages_fts MATCH ?1",
            )
            .bind(word)
            .fetch_one(pool)
        };
        assert_eq!(
            (matches("x").await.unwrap(), matches("y").await.unwrap()),
            (0, 1)
        );
    }

    /// The held-back rows are a range of ids read off the table, then sorted once: walking the
    /// key's index instead would read every message ever stored.
    #[tokio::test]
    async fn held_back_rows_are_read_as_an_id_range() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("db.sqlite"))
            .await
            .unwrap();
        let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(AssertSqlSafe(format!(
            "EXPLAIN QUERY PLAN {INDEX_HELD_BACK_SQL}"
        )))
        .fetch_all(store.pool())
        .await
        .unwrap();
        let text = rows.into_iter().map(|r| r.3).collect::<Vec<_>>().join("\n");
        assert!(
            text.contains("SEARCH messages USING INTEGER PRIMARY KEY (rowid>?)"),
            "{text}"
        );
        assert!(!text.contains("messages_by_search_key"), "{text}");
    }

    fn stored(status: &str) -> Reported {
        Reported {
            sid: Some("SM1".into()),
            status: status.into(),
            provider_status: Some(status.into()),
            error_code: None,
            error_message: None,
            segments: 1,
            price: None,
            price_unit: None,
            sent_at: None,
            delivered_at: None,
        }
    }

    fn report(raw: &str) -> ProviderMessage {
        ProviderMessage {
            sid: "SM1".into(),
            from: None,
            to: "+1".into(),
            body: String::new(),
            direction: Direction::Outbound,
            raw_status: raw.into(),
            status: MessageStatus::from_twilio(raw),
            error_code: None,
            error_message: None,
            segments: None,
            price: None,
            price_unit: None,
            created_at: None,
            sent_at: None,
            updated_at: None,
        }
    }

    #[test]
    fn statuses_only_move_forward() {
        assert_eq!(merge(&stored("sent"), &report("sending")).status, "sent");
        assert_eq!(
            merge(&stored("sent"), &report("sending"))
                .provider_status
                .as_deref(),
            Some("sent")
        );
        assert_eq!(
            merge(&stored("delivered"), &report("sent")).status,
            "delivered"
        );
        assert_eq!(
            merge(&stored("sent"), &report("undelivered")).status,
            "undelivered"
        );
        let delivered = merge(&stored("sent"), &report("delivered"));
        assert_eq!(delivered.status, "delivered");
        assert!(delivered.delivered_at.is_some());
    }

    #[test]
    fn unknown_statuses_are_recorded_without_moving_ours() {
        let next = merge(&stored("sent"), &report("teleported"));
        assert_eq!(next.status, "sent");
        assert_eq!(next.provider_status.as_deref(), Some("teleported"));
    }

    #[test]
    fn a_late_price_is_a_change() {
        let mut r = report("delivered");
        r.price = Some("-0.0079".into());
        let current = Reported {
            delivered_at: Some(1),
            ..stored("delivered")
        };
        assert_ne!(merge(&current, &r), current);
        assert_eq!(merge(&current, &report("delivered")), current);
    }
}
