//! `notes`: internal notes in a thread, for the team only.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use crate::domain::{from_millis, Note};
use crate::error::{CoreError, Result};

/// The longest note kept, in characters.
pub const MAX_NOTE_CHARS: usize = 5000;

fn note(row: &SqliteRow) -> Result<Note> {
    Ok(Note {
        id: row.try_get("id")?,
        uid: row.try_get("uid")?,
        conversation_id: row.try_get("conversation_id")?,
        author_id: row.try_get("author_id")?,
        body: row.try_get("body")?,
        created_at: from_millis(row.try_get("created_at")?),
    })
}

/// Adds a note to a conversation.
pub async fn add(
    conn: &mut SqliteConnection,
    conversation_id: i64,
    author_id: Option<i64>,
    body: &str,
) -> Result<Note> {
    let body = body.trim();
    if body.is_empty() {
        return Err(CoreError::InvalidField {
            field: "note",
            problem: "The note is empty.".into(),
            fix: "Write something for the team before adding the note.".into(),
        });
    }
    if body.chars().count() > MAX_NOTE_CHARS {
        return Err(CoreError::InvalidField {
            field: "note",
            problem: format!("The note is longer than {MAX_NOTE_CHARS} characters."),
            fix: "Shorten it, or split it into two notes.".into(),
        });
    }
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM conversations WHERE id = ?1")
        .bind(conversation_id)
        .fetch_optional(&mut *conn)
        .await?;
    exists.ok_or(CoreError::UnknownConversation(conversation_id))?;
    let row = sqlx::query(
        "INSERT INTO notes (uid, conversation_id, author_id, body, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         RETURNING id, uid, conversation_id, author_id, body, created_at",
    )
    .bind(super::new_uid())
    .bind(conversation_id)
    .bind(author_id)
    .bind(body)
    .bind(super::now_ms())
    .fetch_one(conn)
    .await?;
    note(&row)
}

/// A conversation's notes, oldest first.
pub async fn of_conversation(
    conn: &mut SqliteConnection,
    conversation_id: i64,
) -> Result<Vec<Note>> {
    let rows = sqlx::query(
        "SELECT id, uid, conversation_id, author_id, body, created_at FROM notes
         WHERE conversation_id = ?1 ORDER BY created_at, id",
    )
    .bind(conversation_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(note).collect()
}
