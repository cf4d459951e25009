//! `templates`: approved wording, with usage and failure figures from the messages sent with it.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use crate::error::{CoreError, Result};
use crate::templates::{Template, TemplateInput, TemplateStatus};

/// Template columns and figures, as one static string.
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT t.id, t.uid, t.name, t.body, t.media, t.status, t.created_by, t.approved_by,
                (SELECT COUNT(*) FROM messages m WHERE m.template_id = t.id) AS uses,
                (SELECT COUNT(*) FROM messages m WHERE m.template_id = t.id
                    AND m.status IN ('failed', 'undelivered')) AS failures
             FROM templates t ",
            $rest
        )
    };
}

fn template(row: &SqliteRow) -> Result<Template> {
    let status: String = row.try_get("status")?;
    let count = |name: &str| -> Result<u32> {
        Ok(u32::try_from(row.try_get::<i64, _>(name)?).unwrap_or(0))
    };
    Ok(Template {
        id: row.try_get("id")?,
        uid: row.try_get("uid")?,
        name: row.try_get("name")?,
        body: row.try_get("body")?,
        media: serde_json::from_str(&row.try_get::<String, _>("media")?).unwrap_or_default(),
        status: TemplateStatus::parse(&status).unwrap_or(TemplateStatus::Draft),
        created_by: row.try_get("created_by")?,
        approved_by: row.try_get("approved_by")?,
        uses: count("uses")?,
        failures: count("failures")?,
    })
}

/// Templates (not deleted) by name; only approved ones when asked, matching `search` in the
/// name or text when given.
pub async fn list(
    conn: &mut SqliteConnection,
    approved_only: bool,
    search: &str,
) -> Result<Vec<Template>> {
    let pattern = super::contains_pattern(search);
    let rows = sqlx::query(select!(
        "WHERE t.deleted_at IS NULL AND (?1 = 0 OR t.status = 'approved')
           AND (t.name LIKE ?2 ESCAPE '\\' OR t.body LIKE ?2 ESCAPE '\\')
         ORDER BY t.name COLLATE NOCASE, t.id"
    ))
    .bind(approved_only)
    .bind(pattern)
    .fetch_all(conn)
    .await?;
    rows.iter().map(template).collect()
}

/// One template that has not been deleted.
pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<Template> {
    let row = sqlx::query(select!("WHERE t.id = ?1 AND t.deleted_at IS NULL"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(CoreError::UnknownTemplate(id))?;
    template(&row)
}

/// A template that may be sent: approved and not deleted.
pub async fn usable(conn: &mut SqliteConnection, id: i64) -> Result<Template> {
    let t = get(conn, id).await?;
    if t.status != TemplateStatus::Approved {
        return Err(CoreError::TemplateNotApproved(t.name));
    }
    Ok(t)
}

/// Adds a template or changes one; either way it is a draft until an admin approves it.
pub async fn save(
    conn: &mut SqliteConnection,
    input: &TemplateInput,
    author_id: Option<i64>,
) -> Result<Template> {
    let valid = input.validate()?;
    let media = serde_json::to_string(&valid.media).unwrap_or_else(|_| "[]".into());
    let now = super::now_ms();
    let id = match valid.id {
        Some(id) => {
            get(conn, id).await?;
            sqlx::query(
                "UPDATE templates SET name = ?2, body = ?3, media = ?4, status = 'draft',
                     approved_by = NULL, approved_at = NULL, updated_at = ?5
                 WHERE id = ?1",
            )
            .bind(id)
            .bind(&valid.name)
            .bind(&valid.body)
            .bind(&media)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO templates (uid, name, body, media, status, created_by, created_at,
                     updated_at)
                 VALUES (?1, ?2, ?3, ?4, 'draft', ?5, ?6, ?6) RETURNING id",
            )
            .bind(super::new_uid())
            .bind(&valid.name)
            .bind(&valid.body)
            .bind(&media)
            .bind(author_id)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?
        }
    };
    get(conn, id).await
}

/// Marks a template approved by a member.
pub async fn approve(conn: &mut SqliteConnection, id: i64, by: i64) -> Result<Template> {
    get(conn, id).await?;
    sqlx::query(
        "UPDATE templates SET status = 'approved', approved_by = ?2, approved_at = ?3,
             updated_at = ?3
         WHERE id = ?1",
    )
    .bind(id)
    .bind(by)
    .bind(super::now_ms())
    .execute(&mut *conn)
    .await?;
    get(conn, id).await
}

/// Takes a template out of use; the messages sent with it keep pointing at it.
pub async fn delete(conn: &mut SqliteConnection, id: i64) -> Result<()> {
    get(conn, id).await?;
    sqlx::query("UPDATE templates SET deleted_at = ?2, updated_at = ?2 WHERE id = ?1")
        .bind(id)
        .bind(super::now_ms())
        .execute(conn)
        .await?;
    Ok(())
}

/// Adds a template with a known uid unless it is there (the demo's), approved if asked.
pub async fn ensure(
    conn: &mut SqliteConnection,
    uid: &str,
    input: &TemplateInput,
    approved_by: Option<i64>,
    created_by: Option<i64>,
) -> Result<()> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM templates WHERE uid = ?1")
        .bind(uid)
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_some() {
        return Ok(());
    }
    let valid = input.validate()?;
    let now = super::now_ms();
    sqlx::query(
        "INSERT INTO templates (uid, name, body, media, status, created_by, approved_by,
             approved_at, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?8)",
    )
    .bind(uid)
    .bind(&valid.name)
    .bind(&valid.body)
    .bind(serde_json::to_string(&valid.media).unwrap_or_else(|_| "[]".into()))
    .bind(if approved_by.is_some() {
        "approved"
    } else {
        "draft"
    })
    .bind(created_by)
    .bind(approved_by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
