//! `team_members`: the people sharing the inbox.

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

use crate::error::{CoreError, Result};
use crate::team::{MemberInput, Role, TeamMember};

/// The member columns, as one static string.
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT id, uid, name, initials, color, role, removed_at IS NOT NULL AS removed
             FROM team_members ",
            $rest
        )
    };
}

fn member(row: &SqliteRow) -> Result<TeamMember> {
    let role: String = row.try_get("role")?;
    Ok(TeamMember {
        id: row.try_get("id")?,
        uid: row.try_get("uid")?,
        name: row.try_get("name")?,
        initials: row.try_get("initials")?,
        color: row.try_get("color")?,
        role: Role::parse(&role).unwrap_or(Role::Agent),
        removed: row.try_get("removed")?,
    })
}

/// Everyone, those who left included (their names stay on what they wrote), by name.
pub async fn list(conn: &mut SqliteConnection) -> Result<Vec<TeamMember>> {
    let rows = sqlx::query(select!("ORDER BY name COLLATE NOCASE, id"))
        .fetch_all(conn)
        .await?;
    rows.iter().map(member).collect()
}

/// One member by uid.
pub async fn by_uid(conn: &mut SqliteConnection, uid: &str) -> Result<Option<TeamMember>> {
    let row = sqlx::query(select!("WHERE uid = ?1"))
        .bind(uid)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(member).transpose()
}

/// One member by local id.
pub async fn get(conn: &mut SqliteConnection, id: i64) -> Result<TeamMember> {
    let row = sqlx::query(select!("WHERE id = ?1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| CoreError::UnknownMember(id.to_string()))?;
    member(&row)
}

/// Adds a member (no `uid`) or changes one; a member who had left and is saved again is back.
pub async fn save(conn: &mut SqliteConnection, input: &MemberInput) -> Result<TeamMember> {
    let valid = input.validate(count(conn).await?)?;
    let now = super::now_ms();
    let uid = match &input.uid {
        Some(uid) => {
            let done = sqlx::query(
                "UPDATE team_members SET name = ?2, initials = ?3, color = ?4, role = ?5,
                     updated_at = ?6, removed_at = NULL
                 WHERE uid = ?1",
            )
            .bind(uid)
            .bind(&valid.name)
            .bind(&valid.initials)
            .bind(&valid.color)
            .bind(valid.role.as_str())
            .bind(now)
            .execute(&mut *conn)
            .await?;
            if done.rows_affected() == 0 {
                return Err(CoreError::UnknownMember(uid.clone()));
            }
            uid.clone()
        }
        None => {
            let uid = super::new_uid();
            insert(conn, &uid, &valid, now).await?;
            uid
        }
    };
    by_uid(conn, &uid)
        .await?
        .ok_or(CoreError::UnknownMember(uid))
}

/// Adds a member with a known uid unless it is there already (the demo's team, which must
/// keep its ids from one start to the next).
pub async fn ensure(conn: &mut SqliteConnection, uid: &str, input: &MemberInput) -> Result<()> {
    if by_uid(conn, uid).await?.is_none() {
        let valid = input.validate(count(conn).await?)?;
        insert(conn, uid, &valid, super::now_ms()).await?;
    }
    Ok(())
}

/// How many members there have been (to give the next one a colour of its own).
async fn count(conn: &mut SqliteConnection) -> Result<usize> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM team_members")
        .fetch_one(conn)
        .await?;
    Ok(usize::try_from(n).unwrap_or(0))
}

async fn insert(
    conn: &mut SqliteConnection,
    uid: &str,
    valid: &crate::team::ValidMember,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO team_members (uid, name, initials, color, role, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    )
    .bind(uid)
    .bind(&valid.name)
    .bind(&valid.initials)
    .bind(&valid.color)
    .bind(valid.role.as_str())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes a member off the team; what they wrote keeps their name, and their open
/// conversations become unassigned.
pub async fn remove(conn: &mut SqliteConnection, uid: &str) -> Result<()> {
    let id: i64 = sqlx::query_scalar("SELECT id FROM team_members WHERE uid = ?1")
        .bind(uid)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| CoreError::UnknownMember(uid.to_string()))?;
    let now = super::now_ms();
    sqlx::query("UPDATE team_members SET removed_at = ?2, updated_at = ?2 WHERE id = ?1")
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE conversations SET assignee_id = NULL, assigned_at = ?2 WHERE assignee_id = ?1",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
