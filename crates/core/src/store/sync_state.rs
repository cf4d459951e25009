//! `sync_state`: the background sync's saved cursors.

use sqlx::{SqliteConnection, SqlitePool};

use crate::error::Result;

/// Reads a cursor.
pub async fn get(pool: &SqlitePool, key: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT value FROM sync_state WHERE key = ?1")
            .bind(key)
            .fetch_optional(pool)
            .await?,
    )
}

/// Saves a cursor.
pub async fn set(conn: &mut SqliteConnection, key: &str, value: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO sync_state (key, value, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(value)
    .bind(super::now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets a cursor.
pub async fn delete(conn: &mut SqliteConnection, key: &str) -> Result<()> {
    sqlx::query("DELETE FROM sync_state WHERE key = ?1")
        .bind(key)
        .execute(conn)
        .await?;
    Ok(())
}
