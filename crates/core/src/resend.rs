//! Fix and resend: a failed message is never changed or sent again itself; a resend is a new
//! message in the same conversation, linked to it (`resend_of`), after the same checks as any
//! send. A corrected number becomes the contact's number, the old one kept in its history.

use chrono::Utc;
use sqlx::SqliteConnection;

use crate::catalogue::{self, RetryPolicy};
use crate::checks::{self, Draft};
use crate::domain::{from_millis, Direction, Message, MessageStatus};
use crate::error::{CoreError, Result};
use crate::number;
use crate::outbox::Outbox;
use crate::store::messages::{self, NewOutbound};

/// What a person changed before resending a failed message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResendInput {
    /// The failed message.
    pub message_id: i64,
    /// A corrected number (Edit number).
    pub to: Option<String>,
    /// A changed text (Edit text, Make GSM-safe).
    pub body: Option<String>,
    /// The person chose "send anyway" for the checks that ask.
    pub confirmed: bool,
    /// The team member resending.
    pub author_id: Option<i64>,
}

/// Whether a message can be resent as it is now: its code's retry policy and cooldown.
pub fn retry_allowed(m: &Message, now: chrono::DateTime<Utc>) -> Result<()> {
    let code = m.error_code.clone().unwrap_or_default();
    let entry = catalogue::explain(&code);
    match entry.retry {
        RetryPolicy::Never => Err(CoreError::RetryNotAllowed {
            code,
            hint: entry.hint.to_string(),
        }),
        RetryPolicy::AfterCooldown { minutes } => {
            let ready = m.updated_at + chrono::TimeDelta::minutes(i64::from(minutes));
            if now < ready {
                Err(CoreError::RetryTooSoon {
                    code,
                    ready_at: ready.to_rfc3339(),
                })
            } else {
                Ok(())
            }
        }
        RetryPolicy::AfterFix | RetryPolicy::Automatic => Ok(()),
    }
}

impl Outbox {
    /// Resends a failed message, changed or not; returns the new message.
    pub async fn resend(&self, input: ResendInput) -> Result<Message> {
        let failed = messages::get(self.store().pool(), input.message_id)
            .await?
            .filter(|m| m.direction == Direction::Outbound)
            .ok_or(CoreError::UnknownMessage(input.message_id))?;
        if !matches!(
            failed.status,
            MessageStatus::Failed | MessageStatus::Undelivered
        ) {
            return Err(CoreError::NotFailed(input.message_id));
        }
        let body = input
            .body
            .as_deref()
            .map(str::trim_end)
            .unwrap_or(&failed.body)
            .to_string();
        let settings = self.check_settings();
        let to = match input.to.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(t) => number::inspect(t, &settings.default_region)
                .map(|n| n.e164)
                .unwrap_or_else(|_| t.to_string()),
            None => failed.to.clone(),
        };
        if to == failed.to && body == failed.body {
            retry_allowed(&failed, Utc::now())?;
        }
        let mut tx = self.store().write().await?;
        let draft = Draft {
            to: to.clone(),
            from: Some(failed.from.clone()),
            body: body.clone(),
        };
        let report = checks::check(&mut tx, &draft, settings).await?;
        checks::enforce(&report, input.confirmed)?;
        if to != failed.to {
            change_number(&mut tx, failed.conversation_id, &failed.to, &to, &failed).await?;
        }
        self.insert(
            tx,
            NewOutbound {
                conversation_id: failed.conversation_id,
                from: &failed.from,
                to: &to,
                body: &body,
                info: report.text.info,
                author_id: input.author_id,
                resend_of: Some(failed.id),
            },
        )
        .await
    }
}

/// Moves the conversation's contact to the corrected number, keeping the old one in its history.
async fn change_number(
    conn: &mut SqliteConnection,
    conversation_id: i64,
    old: &str,
    new: &str,
    failed: &Message,
) -> Result<()> {
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM contacts WHERE number = ?1")
        .bind(new)
        .fetch_optional(&mut *conn)
        .await?;
    if taken.is_some() {
        return Err(CoreError::NumberTaken(new.to_string()));
    }
    let contact_id: i64 = sqlx::query_scalar("SELECT contact_id FROM conversations WHERE id = ?1")
        .bind(conversation_id)
        .fetch_one(&mut *conn)
        .await?;
    let now = crate::store::now_ms();
    sqlx::query(
        "INSERT INTO contact_numbers (contact_id, number, reason_code, replaced_at)
         VALUES (?1, ?2, ?3, ?4)",
    )
    .bind(contact_id)
    .bind(old)
    .bind(&failed.error_code)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    // The mark belonged to the old number; the corrected one starts clean.
    sqlx::query(
        "UPDATE contacts SET number = ?2, number_mark = NULL, number_mark_code = NULL,
             number_mark_at = NULL, updated_at = ?3
         WHERE id = ?1",
    )
    .bind(contact_id)
    .bind(new)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    tracing::info!(contact_id, at = %from_millis(now), "contact's number corrected");
    Ok(())
}

/// The numbers a contact had before, oldest first.
pub async fn previous_numbers(conn: &mut SqliteConnection, contact_id: i64) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT number FROM contact_numbers WHERE contact_id = ?1 ORDER BY id")
            .bind(contact_id)
            .fetch_all(conn)
            .await?,
    )
}
