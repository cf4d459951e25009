//! `send_attempts`: one row per provider call made for an outbound message.

use sqlx::SqliteConnection;

use crate::error::Result;

/// What a provider call was for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptKind {
    /// Creating (sending) the message.
    Create,
    /// Looking it up after an ambiguous create.
    Lookup,
}

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Started, not finished (a crash leaves this behind: the call's fate is unknown).
    InFlight,
    /// The provider took the message (for a lookup: found it, and its SID was adopted).
    Accepted,
    /// The provider refused it with an error code.
    Rejected,
    /// The request went out and no answer came.
    NoAnswer,
    /// For a create: nothing reached the provider (unreachable, rate limited). For a lookup:
    /// the message was not found, or the lookup failed (the error code and detail say which).
    Failed,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::InFlight => "in_flight",
            Outcome::Accepted => "accepted",
            Outcome::Rejected => "rejected",
            Outcome::NoAnswer => "no_answer",
            Outcome::Failed => "failed",
        }
    }
}

/// Records the start of a call; returns the attempt id.
pub async fn start(conn: &mut SqliteConnection, message_id: i64, kind: AttemptKind) -> Result<i64> {
    let kind = match kind {
        AttemptKind::Create => "create",
        AttemptKind::Lookup => "lookup",
    };
    let id = sqlx::query_scalar(
        "INSERT INTO send_attempts (message_id, kind, started_at, outcome)
         VALUES (?1, ?2, ?3, 'in_flight') RETURNING id",
    )
    .bind(message_id)
    .bind(kind)
    .bind(super::now_ms())
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Records how a call ended.
pub async fn finish(
    conn: &mut SqliteConnection,
    attempt_id: i64,
    outcome: Outcome,
    http_status: Option<u16>,
    error_code: Option<&str>,
    detail: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "UPDATE send_attempts SET finished_at = ?2, outcome = ?3, http_status = ?4,
             error_code = ?5, detail = ?6
         WHERE id = ?1",
    )
    .bind(attempt_id)
    .bind(super::now_ms())
    .bind(outcome.as_str())
    .bind(http_status.map(i64::from))
    .bind(error_code)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a call that failed without the provider processing it (unreachable, rate limited,
/// an error on a read): its HTTP status, code and message, straight from the error.
pub async fn finish_failed(
    conn: &mut SqliteConnection,
    attempt_id: i64,
    error: &crate::provider::ProviderError,
) -> Result<()> {
    finish(
        conn,
        attempt_id,
        Outcome::Failed,
        error.http_status(),
        Some(&error.message_code()),
        Some(&error.to_string()),
    )
    .await
}
