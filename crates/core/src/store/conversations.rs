//! `conversations`: one per contact and sender number.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, Row, SqliteConnection, SqlitePool};

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

/// [`get_or_create`] for many `(contact, sender, time)` at once, in two statements (a page
/// of history): the id of each `(contact, sender)` pair.
pub async fn get_or_create_many(
    conn: &mut SqliteConnection,
    wanted: &[(i64, i64, i64)],
) -> Result<HashMap<(i64, i64), i64>> {
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    let list =
        serde_json::to_string(wanted).map_err(|e| CoreError::Io(std::io::Error::other(e)))?;
    // `WHERE true` tells SQLite's parser the ON CONFLICT belongs to the INSERT, not a join.
    sqlx::query(
        "INSERT INTO conversations (contact_id, sender_id, last_activity_at, created_at)
         SELECT v.value ->> 0, v.value ->> 1, v.value ->> 2, v.value ->> 2
         FROM json_each(?1) AS v WHERE true
         ON CONFLICT (contact_id, sender_id) DO NOTHING",
    )
    .bind(&list)
    .execute(&mut *conn)
    .await?;
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT c.contact_id, c.sender_id, c.id
         FROM json_each(?1) AS v
         JOIN conversations c ON c.contact_id = v.value ->> 0 AND c.sender_id = v.value ->> 1",
    )
    .bind(&list)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(contact, sender, id)| ((contact, sender), id))
        .collect())
}

/// Moves the conversations of the messages stored after message `after_id` in this
/// transaction, in one statement, as [`record_message`] would have for each: an inbound
/// message from `news_since_ms` on is news (unread, reopening); an older one or an outbound
/// one only moves the activity time forward. Rows that would not change are not written, so
/// history (which comes newest first) rewrites almost nothing.
pub async fn record_stored_since(
    conn: &mut SqliteConnection,
    after_id: i64,
    news_since_ms: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE conversations SET
             last_activity_at = MAX(last_activity_at, s.latest),
             unread = unread + s.news,
             state = CASE WHEN s.news > 0 THEN 'open' ELSE state END
         -- NOT INDEXED: grouping along messages_by_conversation, SQLite's own choice, reads
         -- that whole index for a page's thousand rows; the id range then a sort reads those.
         FROM (SELECT conversation_id, MAX(created_at) AS latest,
                      SUM(direction = 'inbound' AND created_at >= ?2) AS news
               FROM messages NOT INDEXED WHERE id > ?1 GROUP BY conversation_id) AS s
         WHERE conversations.id = s.conversation_id
           AND (conversations.last_activity_at < s.latest OR s.news > 0)",
    )
    .bind(after_id)
    .bind(news_since_ms)
    .execute(conn)
    .await?;
    Ok(())
}

/// The names a notification shows for a conversation: its contact's, and its sender number's
/// label.
pub async fn names(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<(Option<String>, Option<String>)> {
    Ok(sqlx::query_as(
        "SELECT ct.name, s.label FROM conversations c
         JOIN contacts ct ON ct.id = c.contact_id
         JOIN sender_numbers s ON s.id = c.sender_id
         WHERE c.id = ?1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?
    .unwrap_or((None, None)))
}

/// Marks every message of the conversation as seen.
pub async fn mark_read(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    let done = sqlx::query("UPDATE conversations SET unread = 0 WHERE id = ?1")
        .bind(id)
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(CoreError::UnknownConversation(id));
    }
    Ok(())
}

/// `f` is a failed outbound message still waiting for someone: nobody dismissed it and no
/// resend of it has taken it over ([`resend_taken_over!`]). A resend still queued, waiting for
/// a connection, being submitted or unconfirmed leaves it open: nothing went through yet.
/// The one rule behind the Failed view, its count, `f` and triage (migration 0016's
/// `open_failures` view says the same for the triggers).
macro_rules! failed_unresolved {
    () => {
        concat!(
            "f.direction = 'outbound' AND f.status IN ('failed', 'undelivered')
              AND f.dismissed_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.resend_of = f.id AND ",
            crate::store::messages::resend_taken_over!(),
            ")"
        )
    };
}
pub(crate) use failed_unresolved;

/// The conversation `c` has an unresolved failure: the flag the triggers of migration 0010
/// keep by the rule of [`failed_unresolved!`].
macro_rules! unresolved_failure {
    () => {
        "c.failed = 1"
    };
}

/// The next unresolved failure after message `after` in time (ids do not follow time: history
/// is stored newest first), going round to the oldest: `(conversation, message)`.
pub async fn next_failed(pool: &SqlitePool, after: i64) -> Result<Option<(i64, i64)>> {
    Ok(sqlx::query_as(concat!(
        "SELECT f.conversation_id, f.id FROM messages f WHERE ",
        failed_unresolved!(),
        // Without a message `after`, the comparison is NULL for every row: the oldest comes first.
        " ORDER BY (f.created_at, f.id) <= (SELECT a.created_at, a.id FROM messages a WHERE a.id = ?1),
                   f.created_at, f.id
          LIMIT 1"
    ))
    .bind(after)
    .fetch_optional(pool)
    .await?)
}

/// The list row: conversation, contact, sender and newest message, as one static string.
macro_rules! summary_select {
    () => {
        concat!(
            "
    SELECT c.id, ct.number AS contact_number, ct.name AS contact_name,
           s.number AS sender_number, s.label AS sender_label,
           c.state, c.unread, c.last_activity_at, c.assignee_id,
           ct.number_mark = 'opted_out' AS opted_out,
           ",
            unresolved_failure!(),
            " AS failed,
           m.body AS last_body, m.direction AS last_direction, m.status AS last_status,
           m.origin AS last_origin
    FROM conversations c
    JOIN contacts ct ON ct.id = c.contact_id
    JOIN sender_numbers s ON s.id = c.sender_id
    LEFT JOIN messages m ON m.id = (
        SELECT id FROM messages WHERE conversation_id = c.id
        ORDER BY created_at DESC, id DESC LIMIT 1)"
        )
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
            outside: row.try_get::<Option<String>, _>("last_origin")?.as_deref()
                == Some(super::messages::ORIGIN_OUTSIDE),
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
        assignee_id: row.try_get("assignee_id")?,
        failed: row.try_get("failed")?,
        opted_out: row
            .try_get::<Option<bool>, _>("opted_out")?
            .unwrap_or(false),
        last_message,
    })
}

/// Which conversations the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Every open conversation.
    Open,
    /// Open and assigned to me.
    Mine,
    /// Open and nobody's.
    Unassigned,
    /// With a failed message nobody has made good yet.
    Failed,
    /// The customer opted out.
    OptedOut,
    /// Done.
    Closed,
}

/// A page of the list: a view, maybe one sender number, from an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConversationQuery {
    /// Which conversations.
    pub view: View,
    /// The member asking (for Mine).
    pub me: Option<i64>,
    /// Only this sender number's (a location).
    pub sender_id: Option<i64>,
    /// Rows to skip.
    pub offset: u32,
    /// Rows at most.
    pub limit: u32,
}

impl ConversationQuery {
    /// The first page of a view, for anyone, from every sender number.
    pub fn of(view: View) -> Self {
        Self {
            view,
            me: None,
            sender_id: None,
            offset: 0,
            limit: 500,
        }
    }
}

/// One page of the list and how many rows the whole view has.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Conversations in the view and filter.
    pub total: u32,
    /// This page, newest activity first.
    pub items: Vec<ConversationSummary>,
}

/// The WHERE clause of a view (`?1` me, `?2` sender or NULL for any).
fn view_filter(view: View) -> &'static str {
    match view {
        View::Open => "c.state = 'open'",
        View::Mine => "c.state = 'open' AND c.assignee_id = ?1",
        View::Unassigned => "c.state = 'open' AND c.assignee_id IS NULL",
        View::Failed => unresolved_failure!(),
        // The unary `+` keeps SQLite from starting at `contacts_opted_out` (kept for the
        // count) and sorting every opted-out conversation for one page: after a wave of STOPs
        // that is thousands, while walking the list in order finds a page in a few hundred.
        View::OptedOut => "+ct.number_mark = 'opted_out'",
        View::Closed => "c.state = 'closed'",
    }
}

/// A view's rows of `conversation_counts` (`?1` me).
fn counted_filter(view: View) -> &'static str {
    match view {
        View::Open => "state = 'open'",
        View::Mine => "state = 'open' AND assignee = ?1",
        View::Unassigned => "state = 'open' AND assignee = 0",
        View::Failed => "failed = 1",
        View::Closed => "state = 'closed'",
        View::OptedOut => "0",
    }
}

/// A view's condition on `c` (the conversation), for one sender number (`?2`) or all.
fn filter_sql(view: View, one_sender: bool) -> String {
    // Two texts rather than `?2 IS NULL OR …`: a page halfway down steps over tens of thousands
    // of rows, and that test on each of them was half the time.
    if !one_sender {
        return format!("({})", view_filter(view));
    }
    // The sender's index keeps its open and closed conversations in list order; for the views
    // it cannot order (Failed, Opted out), `+` keeps SQLite from sorting all of the sender's
    // conversations and walks the view's own order instead.
    let sender = match view {
        View::Failed | View::OptedOut => "+c.sender_id = ?2",
        _ => "c.sender_id = ?2",
    };
    format!("({}) AND {sender}", view_filter(view))
}

/// How many conversations a view has (`?1` me, `?2` sender or NULL). Every piece is a static
/// string picked by the view; values are bound.
fn count_sql(view: View, one_sender: bool) -> String {
    // The counts triggers keep (migration 0011) answer every view but Opted out, which
    // depends on the contact and counts its few conversations from the contacts' side.
    match view {
        View::OptedOut => format!(
            "SELECT COUNT(*) FROM contacts ct JOIN conversations c ON c.contact_id = ct.id
             WHERE {}",
            filter_sql(view, one_sender)
        ),
        _ => format!(
            "SELECT COALESCE(SUM(n), 0) FROM conversation_counts
             WHERE ({}) AND (?2 IS NULL OR sender_id = ?2)",
            counted_filter(view)
        ),
    }
}

/// A page of a view (`?1` me, `?2` sender or NULL, `?3` limit, `?4` offset), the offset
/// counted from the top of the list or, `from_end`, from its bottom. Every piece is a static
/// string picked by the view; values are bound.
fn page_sql(view: View, one_sender: bool, from_end: bool) -> String {
    // The page's ids first, from the view's index alone, then the rows for those ids: with
    // OFFSET on the full row, SQLite built every skipped row too (its contact and newest
    // message), and a page halfway down 100,000 conversations took a third of a second.
    let from = match view {
        View::OptedOut => "conversations c JOIN contacts ct ON ct.id = c.contact_id",
        _ => "conversations c",
    };
    let walk = if from_end {
        "c.last_activity_at ASC, c.id ASC"
    } else {
        "c.last_activity_at DESC, c.id DESC"
    };
    let filter = filter_sql(view, one_sender);
    format!(
        "WITH page AS (
             SELECT c.id FROM {from} WHERE {filter} ORDER BY {walk} LIMIT ?3 OFFSET ?4)
         {} WHERE c.id IN page ORDER BY c.last_activity_at DESC, c.id DESC",
        summary_select!()
    )
}

/// A page of one view, newest activity first.
pub async fn list(pool: &SqlitePool, q: &ConversationQuery) -> Result<Page> {
    let one_sender = q.sender_id.is_some();
    // One read transaction: the page is chosen by the total (counted from the bottom past the
    // middle), so both must see the same moment, even while a sync or a resend changes them.
    let mut tx = pool.begin().await?;
    let total: i64 = sqlx::query_scalar(AssertSqlSafe(count_sql(q.view, one_sender)))
        .bind(q.me)
        .bind(q.sender_id)
        .fetch_one(&mut *tx)
        .await?;
    let total = u32::try_from(total).unwrap_or(u32::MAX);
    // SQLite steps over every skipped entry of the index, so a page in the bottom half is
    // counted from the bottom: the deepest page costs what the middle one does, not twice.
    let end = q.offset.saturating_add(q.limit).min(total);
    let from_end = q.offset > total / 2 && q.offset < total;
    let (offset, limit) = if from_end {
        (total - end, end - q.offset)
    } else {
        (q.offset, q.limit)
    };
    let rows = sqlx::query(AssertSqlSafe(page_sql(q.view, one_sender, from_end)))
        .bind(q.me)
        .bind(q.sender_id)
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Page {
        total,
        items: rows.iter().map(summary).collect::<Result<_>>()?,
    })
}

/// How many conversations each view has, and the unread messages in all of them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ViewCounts {
    /// Open.
    pub open: u32,
    /// Open and mine.
    pub mine: u32,
    /// Open and nobody's.
    pub unassigned: u32,
    /// With an unresolved failure.
    pub failed: u32,
    /// Opted out.
    pub opted_out: u32,
    /// Closed.
    pub closed: u32,
    /// Unread inbound messages, everywhere (the window title's count).
    pub unread: u32,
}

/// The counts beside each view, for one sender number or all.
pub async fn counts(
    pool: &SqlitePool,
    me: Option<i64>,
    sender_id: Option<i64>,
) -> Result<ViewCounts> {
    let row = sqlx::query(
        "SELECT
            COALESCE(SUM(CASE WHEN state = 'open' THEN n END), 0) AS open,
            COALESCE(SUM(CASE WHEN state = 'open' AND assignee = ?1 THEN n END), 0) AS mine,
            COALESCE(SUM(CASE WHEN state = 'open' AND assignee = 0 THEN n END), 0) AS unassigned,
            COALESCE(SUM(CASE WHEN state = 'closed' THEN n END), 0) AS closed,
            COALESCE(SUM(CASE WHEN failed = 1 THEN n END), 0) AS failed,
            COALESCE(SUM(unread), 0) AS unread,
            (SELECT COUNT(*) FROM contacts ct JOIN conversations c ON c.contact_id = ct.id
             WHERE ct.number_mark = 'opted_out' AND (?2 IS NULL OR c.sender_id = ?2)) AS opted_out
         FROM conversation_counts
         WHERE ?2 IS NULL OR sender_id = ?2",
    )
    .bind(me)
    .bind(sender_id)
    .fetch_one(pool)
    .await?;
    let n = |name: &str| -> Result<u32> {
        let v: i64 = row.try_get(name)?;
        Ok(u32::try_from(v).unwrap_or(0))
    };
    Ok(ViewCounts {
        open: n("open")?,
        mine: n("mine")?,
        unassigned: n("unassigned")?,
        failed: n("failed")?,
        opted_out: n("opted_out")?,
        closed: n("closed")?,
        unread: n("unread")?,
    })
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

/// Gives a conversation to a member, or to nobody.
pub async fn assign(conn: &mut SqliteConnection, id: i64, member_id: Option<i64>) -> Result<()> {
    let done =
        sqlx::query("UPDATE conversations SET assignee_id = ?2, assigned_at = ?3 WHERE id = ?1")
            .bind(id)
            .bind(member_id)
            .bind(super::now_ms())
            .execute(conn)
            .await?;
    if done.rows_affected() == 0 {
        return Err(CoreError::UnknownConversation(id));
    }
    Ok(())
}

/// Opens or closes a conversation.
pub async fn set_state(
    conn: &mut SqliteConnection,
    id: i64,
    state: ConversationState,
) -> Result<()> {
    let done =
        sqlx::query("UPDATE conversations SET state = ?2, state_changed_at = ?3 WHERE id = ?1")
            .bind(id)
            .bind(state.as_str())
            .bind(super::now_ms())
            .execute(conn)
            .await?;
    if done.rows_affected() == 0 {
        return Err(CoreError::UnknownConversation(id));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every view of the list.
    const VIEWS: [View; 6] = [
        View::Open,
        View::Mine,
        View::Unassigned,
        View::Closed,
        View::Failed,
        View::OptedOut,
    ];

    /// An empty store with the schema, in a folder that lives as long as the guard.
    async fn scratch_store() -> (tempfile::TempDir, crate::store::Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("db.sqlite"))
            .await
            .unwrap();
        (dir, store)
    }

    /// Pages of seven put together are the view's one long page, newest first: the page is
    /// chosen by id first, the bottom half counted from the bottom.
    async fn assert_pages_make_the_view(pool: &SqlitePool, query: ConversationQuery) {
        let ids = |p: &Page| p.items.iter().map(|c| c.id).collect::<Vec<_>>();
        let whole = list(
            pool,
            &ConversationQuery {
                limit: 1000,
                ..query
            },
        )
        .await
        .unwrap();
        let mut paged = Vec::new();
        for offset in (0..whole.total + 7).step_by(7) {
            let page = list(
                pool,
                &ConversationQuery {
                    offset,
                    limit: 7,
                    ..query
                },
            )
            .await
            .unwrap();
            assert_eq!(page.total, whole.total);
            paged.extend(ids(&page));
        }
        assert_eq!(paged, ids(&whole), "{query:?}");
        let keys: Vec<_> = whole
            .items
            .iter()
            .map(|c| (c.last_activity_at, c.id))
            .collect();
        assert!(
            keys.windows(2).all(|w| w[0] > w[1]),
            "{query:?} newest first"
        );
    }

    /// SQLite's plan for a query: each step's id, its parent's and what it does.
    async fn plan_steps(pool: &SqlitePool, sql: &str) -> Vec<(i64, i64, String)> {
        let rows: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                .bind(1_i64)
                .bind(Option::<i64>::None)
                .bind(50_i64)
                .bind(0_i64)
                .fetch_all(pool)
                .await
                .unwrap();
        rows.into_iter()
            .map(|(id, parent, _, detail)| (id, parent, detail))
            .collect()
    }

    #[tokio::test]
    async fn the_list_reads_its_views_through_indexes() {
        let (_dir, store) = scratch_store().await;
        sqlx::query("ANALYZE").execute(store.pool()).await.unwrap();
        for view in VIEWS {
            for (one_sender, from_end) in
                [(false, false), (true, false), (false, true), (true, true)]
            {
                let rows_sql = page_sql(view, one_sender, from_end);
                let all = plan_steps(store.pool(), &rows_sql).await;
                let steps: Vec<String> = all.iter().map(|(_, _, d)| d.clone()).collect();
                let text = steps.join("\n");
                // The page's ids are chosen first, on their own: skipped rows are never built.
                let Some(page) = all.iter().find(|(_, _, d)| d.ends_with(" page")) else {
                    panic!("{view:?} (one sender: {one_sender}) builds every skipped row:\n{text}");
                };
                let mut inside = vec![page.0];
                for (id, parent, _) in &all {
                    if inside.contains(parent) {
                        inside.push(*id);
                    }
                }
                let chosen: Vec<&str> = all
                    .iter()
                    .filter(|(id, _, _)| inside.contains(id))
                    .map(|(_, _, d)| d.as_str())
                    .collect();
                // They are walked in list order through an index: no full scan of the table and
                // no sort of all of it for one page (only the page's own rows are sorted).
                assert!(
                chosen.iter().any(|s| (s.starts_with("SCAN c USING ")
                    || s.starts_with("SEARCH c USING "))
                    && s.contains(" INDEX ")),
                "{view:?} (one sender: {one_sender}) does not read conversations through an index:\n{text}"
            );
                assert!(
                !chosen.iter().any(|s| s.contains("TEMP B-TREE")),
                "{view:?} (one sender: {one_sender}) sorts the whole view for one page:\n{text}"
            );
                assert!(
                    !steps.iter().any(|s| s == "SCAN c"),
                    "{view:?} scans the whole table:\n{text}"
                );
                // The newest message of each row is found through the conversation's index.
                assert!(
                    text.contains("messages_by_conversation"),
                    "{view:?} finds the last message without its index:\n{text}"
                );
            }
        }
    }

    /// The flag the triggers keep, against the rule itself, after inserts, status changes,
    /// resends and dismissals in random order.
    #[tokio::test]
    async fn the_failed_flag_follows_the_rule_through_every_change() {
        use rand::{Rng, SeedableRng};
        let (_dir, store) = scratch_store().await;
        let pool = store.pool();
        sqlx::query("INSERT INTO sender_numbers (number, created_at) VALUES ('+14155550100', 0)")
            .execute(pool)
            .await
            .unwrap();
        for c in 1..=20 {
            sqlx::query(
                "INSERT INTO contacts (id, number, created_at, updated_at) VALUES (?1, ?2, 0, 0)",
            )
            .bind(c)
            .bind(format!("+1312555{c:04}"))
            .execute(pool)
            .await
            .unwrap();
            sqlx::query(
                "INSERT INTO conversations (id, contact_id, sender_id, last_activity_at, created_at)
                 VALUES (?1, ?1, 1, 0, 0)",
            )
            .bind(c)
            .execute(pool)
            .await
            .unwrap();
        }
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        let statuses = ["queued", "sent", "delivered", "failed", "undelivered"];
        let mut ids: Vec<(i64, i64)> = Vec::new();
        for step in 0..600 {
            let roll = rng.random_range(0..10);
            if ids.is_empty() || roll < 4 {
                let conversation = rng.random_range(1..=20_i64);
                let resend_of = ids
                    .iter()
                    .filter(|(_, c)| *c == conversation)
                    .map(|(id, _)| *id)
                    .next()
                    .filter(|_| rng.random_range(0..3) == 0);
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO messages (conversation_id, direction, from_number, to_number,
                         body, status, segments, encoding, resend_of, created_at, updated_at)
                     VALUES (?1, ?2, 'a', 'b', 'x', ?3, 1, 'GSM-7', ?4, ?5, ?5) RETURNING id",
                )
                .bind(conversation)
                .bind(if rng.random_range(0..5) == 0 {
                    "inbound"
                } else {
                    "outbound"
                })
                .bind(statuses[rng.random_range(0..statuses.len())])
                .bind(resend_of)
                .bind(step)
                .fetch_one(pool)
                .await
                .unwrap();
                ids.push((id, conversation));
            } else if roll < 7 {
                let (id, _) = ids[rng.random_range(0..ids.len())];
                sqlx::query("UPDATE messages SET status = ?2 WHERE id = ?1")
                    .bind(id)
                    .bind(statuses[rng.random_range(0..statuses.len())])
                    .execute(pool)
                    .await
                    .unwrap();
            } else if roll < 8 {
                // The provider takes a message (a resend among them).
                let (id, _) = ids[rng.random_range(0..ids.len())];
                sqlx::query("UPDATE messages SET sid = 'SM' || ?1 WHERE id = ?1")
                    .bind(id)
                    .execute(pool)
                    .await
                    .unwrap();
            } else {
                let (id, _) = ids[rng.random_range(0..ids.len())];
                sqlx::query("UPDATE messages SET dismissed_at = ?2 WHERE id = ?1")
                    .bind(id)
                    .bind(step)
                    .execute(pool)
                    .await
                    .unwrap();
            }
            let wrong: i64 = sqlx::query_scalar(concat!(
                "SELECT COUNT(*) FROM conversations c WHERE c.failed <> EXISTS (
                     SELECT 1 FROM messages f WHERE f.conversation_id = c.id AND ",
                failed_unresolved!(),
                ")"
            ))
            .fetch_one(pool)
            .await
            .unwrap();
            assert_eq!(
                wrong, 0,
                "the flag disagrees with the rule after step {step}"
            );
        }
        let flagged: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM conversations WHERE failed = 1")
                .fetch_one(pool)
                .await
                .unwrap();
        assert!(
            flagged > 0 && flagged < 20,
            "a mix of states was reached: {flagged}"
        );
    }

    /// The counts triggers keep, against a count of the conversations themselves, through
    /// inserts, assignments, closing, failures and unread changes.
    #[tokio::test]
    async fn the_view_counts_follow_every_change() {
        use rand::{Rng, SeedableRng};
        let (_dir, store) = scratch_store().await;
        let pool = store.pool();
        for (i, n) in ["+14155550100", "+14155550101"].iter().enumerate() {
            sqlx::query("INSERT INTO sender_numbers (id, number, created_at) VALUES (?1, ?2, 0)")
                .bind(i as i64 + 1)
                .bind(n)
                .execute(pool)
                .await
                .unwrap();
        }
        for m in 1..=3 {
            sqlx::query("INSERT INTO team_members (id, name, initials, created_at) VALUES (?1, 'M', 'M', 0)")
                .bind(m)
                .execute(pool)
                .await
                .unwrap();
        }
        let mut rng = rand::rngs::StdRng::seed_from_u64(9);
        for c in 1..=40_i64 {
            sqlx::query(
                "INSERT INTO contacts (id, number, number_mark, created_at, updated_at)
                 VALUES (?1, ?2, ?3, 0, 0)",
            )
            .bind(c)
            .bind(format!("+1312555{c:04}"))
            .bind((c % 7 == 0).then_some("opted_out"))
            .execute(pool)
            .await
            .unwrap();
        }
        let mut next = 1_i64;
        for step in 0..400 {
            match rng.random_range(0..6) {
                0 if next <= 40 => {
                    sqlx::query(
                        "INSERT INTO conversations (id, contact_id, sender_id, unread,
                             last_activity_at, created_at) VALUES (?1, ?1, ?2, ?3, ?4, 0)",
                    )
                    .bind(next)
                    .bind(rng.random_range(1..=2_i64))
                    .bind(rng.random_range(0..3_i64))
                    // Few distinct times, so the list's order has ties broken by id.
                    .bind(rng.random_range(0..8_i64))
                    .execute(pool)
                    .await
                    .unwrap();
                    next += 1;
                }
                1 => {
                    sqlx::query("UPDATE conversations SET assignee_id = ?2 WHERE id = ?1")
                        .bind(rng.random_range(1..next.max(2)))
                        .bind([None, Some(1_i64), Some(2), Some(3)][rng.random_range(0..4)])
                        .execute(pool)
                        .await
                        .unwrap();
                }
                2 => {
                    sqlx::query("UPDATE conversations SET state = ?2 WHERE id = ?1")
                        .bind(rng.random_range(1..next.max(2)))
                        .bind(["open", "closed"][rng.random_range(0..2)])
                        .execute(pool)
                        .await
                        .unwrap();
                }
                3 => {
                    sqlx::query("UPDATE conversations SET failed = ?2 WHERE id = ?1")
                        .bind(rng.random_range(1..next.max(2)))
                        .bind(rng.random_range(0..2_i64))
                        .execute(pool)
                        .await
                        .unwrap();
                }
                _ => {
                    sqlx::query("UPDATE conversations SET unread = unread + ?2 WHERE id = ?1")
                        .bind(rng.random_range(1..next.max(2)))
                        .bind(rng.random_range(0..3_i64))
                        .execute(pool)
                        .await
                        .unwrap();
                }
            }
            for sender in [None, Some(1_i64), Some(2)] {
                for me in [None, Some(2_i64)] {
                    let kept = counts(pool, me, sender).await.unwrap();
                    let row: (i64, i64, i64, i64, i64, i64, i64) = sqlx::query_as(
                        "SELECT COALESCE(SUM(c.state = 'open'), 0),
                             COALESCE(SUM(c.state = 'open' AND c.assignee_id = ?1), 0),
                             COALESCE(SUM(c.state = 'open' AND c.assignee_id IS NULL), 0),
                             COALESCE(SUM(c.state = 'closed'), 0),
                             COALESCE(SUM(c.failed = 1), 0),
                             COALESCE(SUM(ct.number_mark = 'opted_out'), 0),
                             COALESCE(SUM(c.unread), 0)
                         FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
                         WHERE ?2 IS NULL OR c.sender_id = ?2",
                    )
                    .bind(me)
                    .bind(sender)
                    .fetch_one(pool)
                    .await
                    .unwrap();
                    let direct = (
                        kept.open as i64,
                        kept.mine as i64,
                        kept.unassigned as i64,
                        kept.closed as i64,
                        kept.failed as i64,
                        kept.opted_out as i64,
                        kept.unread as i64,
                    );
                    assert_eq!(direct, row, "step {step}, sender {sender:?}, me {me:?}");
                    for view in VIEWS {
                        let query = ConversationQuery {
                            me,
                            sender_id: sender,
                            limit: 100,
                            ..ConversationQuery::of(view)
                        };
                        let page = list(pool, &query).await.unwrap();
                        assert_eq!(
                            page.total as usize,
                            page.items.len(),
                            "{view:?} step {step}"
                        );
                        if step % 50 == 49 {
                            assert_pages_make_the_view(pool, query).await;
                        }
                    }
                }
            }
        }
    }
}
