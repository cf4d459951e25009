//! SQLite storage: one pool, WAL, foreign keys on; one module per table.

pub mod attempts;
pub mod contacts;
pub mod conversations;
pub mod history;
pub mod messages;
pub mod notes;
pub mod senders;
pub mod sqlite_memory;
pub mod sync_state;
pub mod team;
pub mod templates;

use std::path::Path;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{SqliteConnection, SqlitePool};

use crate::error::Result;

/// The migrations in `migrations/`, embedded in the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations");

/// Page cache per connection, in KiB. Each of the four connections fills its cache during a
/// start at a million messages and keeps it while idle: 32 MB each held 30 MB of the idle app's
/// memory, 4 MB each still 12 MB. The OS keeps the file cached, so reads measured the same with
/// 2 MB as with 32; with 1 MB a list page took twice as long (its index pages no longer fit).
pub const CACHE_KIB: u32 = 2 * 1024;
/// Page cache of a bulk write (the history load), in KiB: its random SID index inserts miss a
/// small cache (the load measured 7 % slower with 4 MB, and 6 % faster with 64 MB than with
/// 32), and it gives the memory back after.
pub const BULK_CACHE_KIB: u32 = 64 * 1024;

/// The database: a pool over one SQLite file.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    /// How many [`Store::write`] calls are waiting for a connection or the write lock, so a
    /// long bulk write can give the lock up to them.
    waiting: Arc<AtomicUsize>,
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
            .pragma("cache_size", format!("-{CACHE_KIB}"))
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        {
            let mut tx = pool.begin().await?;
            if messages::index_held_back(&mut tx).await? > 0 {
                tracing::warn!("search entries held back by an earlier write were added");
            }
            tx.commit().await?;
        }
        Ok(Self {
            pool,
            waiting: Arc::default(),
        })
    }

    /// The pool, for the table modules.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// A write transaction that takes SQLite's write lock at once (`BEGIN IMMEDIATE`), so a
    /// read-then-write inside it never fails because another writer committed in between.
    pub async fn write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>> {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        // Counted down however the wait ends: begun, failed, or the caller gave up on it.
        let _counted = scopeguard::guard((), |()| {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
        });
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// True while a [`Store::write`] waits: a bulk write holding the lock should commit.
    pub fn writer_waiting(&self) -> bool {
        self.waiting.load(Ordering::SeqCst) > 0
    }

    /// Runs a bulk write (the history load, seeding) on a connection of the pool with the page
    /// cache of [`BULK_CACHE_KIB`], then shrinks the cache back (freeing its pages) before the
    /// connection returns to the pool; one that cannot be shrunk is closed instead of kept.
    pub async fn bulk<T>(
        &self,
        write: impl AsyncFnOnce(&mut SqliteConnection) -> Result<T>,
    ) -> Result<T> {
        let mut conn = self.pool.acquire().await?;
        set_cache(&mut conn, BULK_CACHE_KIB).await?;
        let written = write(&mut conn).await;
        if let Err(e) = set_cache(&mut conn, CACHE_KIB).await {
            tracing::warn!(error = %e, "could not shrink a bulk write's page cache; closing it");
            conn.close_on_drop();
        }
        written
    }

    /// Closes every connection (checkpointing the WAL).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Sets a connection's page cache size.
async fn set_cache(conn: &mut SqliteConnection, kib: u32) -> Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(format!("PRAGMA cache_size = -{kib}")))
        .execute(conn)
        .await?;
    Ok(())
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
