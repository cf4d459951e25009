//! SQLite storage: one pool, WAL, foreign keys on; one module per table.

pub mod attempts;
pub mod contacts;
pub mod conversations;
pub mod history;
pub mod messages;
pub mod notes;
pub mod senders;
pub mod sync_state;
pub mod team;
pub mod templates;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::error::Result;

/// The migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// The database: a pool over one SQLite file.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            // SQLite's default page cache is 2 MB: at a million messages every index insert
            // and list page read went to the OS. 32 MB per connection keeps the hot pages.
            .pragma("cache_size", "-32768")
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }

    /// The pool, for the table modules.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A write transaction that takes SQLite's write lock at once (`BEGIN IMMEDIATE`), so a
    /// read-then-write inside it never fails because another writer committed in between.
    pub async fn write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Closes every connection (checkpointing the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A `LIKE … ESCAPE '\'` pattern that finds `search` anywhere, its own `%` and `_` matched
/// literally.
pub fn contains_pattern(search: &str) -> String {
    format!(
        "%{}%",
        search
            .trim()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

/// A new id that stays the same across databases.
pub fn new_uid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Current time in storage form.
pub fn now_ms() -> i64 {
    crate::domain::to_millis(chrono::Utc::now())
}
