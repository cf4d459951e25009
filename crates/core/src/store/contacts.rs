//! `contacts`: the customers, one row per number.

use sqlx::{Row, SqliteConnection};

use crate::error::Result;

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
