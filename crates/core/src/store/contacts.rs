//! `contacts`: the customers, one row per number.

use std::collections::HashMap;

use sqlx::{Row, SqliteConnection};

use crate::catalogue::NumberMark;
use crate::error::{CoreError, Result};

/// Finds the contact with this number, creating it if new; returns its id.
pub async fn upsert_by_number(conn: &mut SqliteConnection, number: &str) -> Result<i64> {
    let now = super::now_ms();
    let id = sqlx::query(
        "INSERT INTO contacts (number, created_at, updated_at) VALUES (?1, ?2, ?2)
         ON CONFLICT (number) DO UPDATE SET number = excluded.number
         RETURNING id",
    )
    .bind(number)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get(0)?;
    Ok(id)
}

/// [`upsert_by_number`] for many numbers in two statements (a page of history): the id of
/// each number, new or not.
pub async fn upsert_many_by_number(
    conn: &mut SqliteConnection,
    numbers: &[&str],
) -> Result<HashMap<String, i64>> {
    if numbers.is_empty() {
        return Ok(HashMap::new());
    }
    let list =
        serde_json::to_string(numbers).map_err(|e| CoreError::Io(std::io::Error::other(e)))?;
    // `WHERE true` tells SQLite's parser the ON CONFLICT belongs to the INSERT, not a join.
    sqlx::query(
        "INSERT INTO contacts (number, created_at, updated_at)
         SELECT value, ?2, ?2 FROM json_each(?1) WHERE true
         ON CONFLICT (number) DO NOTHING",
    )
    .bind(&list)
    .bind(super::now_ms())
    .execute(&mut *conn)
    .await?;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT number, id FROM contacts WHERE number IN (SELECT value FROM json_each(?1))",
    )
    .bind(&list)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Sets a contact's name when it has none yet (never overwrites one a person typed).
pub async fn name_if_unknown(conn: &mut SqliteConnection, id: i64, name: &str) -> Result<()> {
    sqlx::query("UPDATE contacts SET name = ?2, updated_at = ?3 WHERE id = ?1 AND name IS NULL")
        .bind(id)
        .bind(name)
        .bind(super::now_ms())
        .execute(conn)
        .await?;
    Ok(())
}

/// What is remembered about a number: the mark, the code or keyword that set it, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The mark.
    pub mark: NumberMark,
    /// The provider code or inbound keyword that set it.
    pub code: String,
    /// When, in milliseconds.
    pub at_ms: i64,
}

/// Sets or clears the mark on a number's contact (created if new).
pub async fn set_mark(
    conn: &mut SqliteConnection,
    number: &str,
    mark: Option<(NumberMark, &str)>,
) -> Result<()> {
    let id = upsert_by_number(conn, number).await?;
    let now = super::now_ms();
    sqlx::query(
        "UPDATE contacts SET number_mark = ?2, number_mark_code = ?3, number_mark_at = ?4,
             updated_at = ?4
         WHERE id = ?1",
    )
    .bind(id)
    .bind(mark.map(|(m, _)| m.as_str()))
    .bind(mark.map(|(_, code)| code))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The mark on a number, if any.
pub async fn mark_of(conn: &mut SqliteConnection, number: &str) -> Result<Option<Mark>> {
    let row: Option<(Option<String>, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT number_mark, number_mark_code, number_mark_at FROM contacts WHERE number = ?1",
    )
    .bind(number)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|(mark, code, at)| {
        Some(Mark {
            mark: NumberMark::parse(&mark?)?,
            code: code.unwrap_or_default(),
            at_ms: at.unwrap_or(0),
        })
    }))
}

/// A contact's own fields, by name.
pub async fn fields(conn: &mut SqliteConnection, contact_id: i64) -> Result<Vec<(String, String)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, value FROM contact_fields WHERE contact_id = ?1 ORDER BY name",
    )
    .bind(contact_id)
    .fetch_all(conn)
    .await?;
    Ok(rows)
}

/// Gives a contact a new number, keeping the old one in its history with the reason (the
/// failure's code, or none for an edit). The mark belonged to the old number: the new one
/// starts clean. Refused if another contact has the number.
pub async fn replace_number(
    conn: &mut SqliteConnection,
    contact_id: i64,
    old: &str,
    new: &str,
    reason_code: Option<&str>,
) -> Result<()> {
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM contacts WHERE number = ?1 AND id <> ?2")
            .bind(new)
            .bind(contact_id)
            .fetch_optional(&mut *conn)
            .await?;
    if taken.is_some() {
        return Err(CoreError::NumberTaken(new.to_string()));
    }
    let now = super::now_ms();
    sqlx::query(
        "INSERT INTO contact_numbers (contact_id, number, reason_code, replaced_at)
         VALUES (?1, ?2, ?3, ?4)",
    )
    .bind(contact_id)
    .bind(old)
    .bind(reason_code)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE contacts SET number = ?2, number_mark = NULL, number_mark_code = NULL,
             number_mark_at = NULL, updated_at = ?3
         WHERE id = ?1",
    )
    .bind(contact_id)
    .bind(new)
    .bind(now)
    .execute(conn)
    .await?;
    tracing::info!(contact_id, "contact's number changed");
    Ok(())
}
