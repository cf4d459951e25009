//! `sender_numbers`: our own numbers.

use sqlx::{Row, SqliteConnection, SqlitePool};

use crate::domain::Sender;
use crate::error::Result;

/// Adds a number or updates its label; returns its id.
pub async fn upsert(conn: &mut SqliteConnection, number: &str, label: Option<&str>) -> Result<i64> {
    let id = sqlx::query(
        "INSERT INTO sender_numbers (number, label, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (number) DO UPDATE SET label = COALESCE(excluded.label, label)
         RETURNING id",
    )
    .bind(number)
    .bind(label)
    .bind(super::now_ms())
    .fetch_one(conn)
    .await?
    .try_get(0)?;
    Ok(id)
}

/// The id of one of our numbers.
pub async fn find_id(conn: &mut SqliteConnection, number: &str) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM sender_numbers WHERE number = ?1")
            .bind(number)
            .fetch_optional(conn)
            .await?,
    )
}

/// All our numbers, in the order they were added.
pub async fn list(pool: &SqlitePool) -> Result<Vec<Sender>> {
    let rows = sqlx::query("SELECT number, label FROM sender_numbers ORDER BY id")
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Sender {
                number: r.try_get("number")?,
                label: r.try_get("label")?,
            })
        })
        .collect()
}
