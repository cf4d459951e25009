//! Fix and resend: a failed message is never changed or sent again itself; a resend is a new
//! message in the same conversation, linked to it (`resend_of`), after the same checks as any
//! send. A corrected number becomes the contact's number, the old one kept in its history.

use chrono::Utc;
use sqlx::SqliteConnection;

use crate::catalogue::{self, FixAction, RetryPolicy};
use crate::checks::{self, Draft};
use crate::domain::{Direction, Message, MessageStatus};
use crate::error::{CoreError, Result};
use crate::number;
use crate::outbox::Outbox;
use crate::store::messages::{self, NewOutbound};
use crate::text;

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

/// When sending a failed message again unchanged can help, for codes whose entry says "after a
/// cooldown": the failure's time plus the cooldown.
pub fn retry_ready_at(m: &Message) -> Option<chrono::DateTime<Utc>> {
    let entry = catalogue::explain(m.error_code.as_deref().unwrap_or_default());
    match entry.retry {
        RetryPolicy::AfterCooldown { minutes } => {
            Some(m.updated_at + chrono::TimeDelta::minutes(i64::from(minutes)))
        }
        _ => None,
    }
}

/// The fixes a failed message offers: its code's, plus the GSM-safe rewrite wherever that would
/// make the text cheaper, whatever the code.
pub fn fixes(m: &Message) -> Vec<FixAction> {
    let entry = catalogue::explain(m.error_code.as_deref().unwrap_or_default());
    let mut actions = entry.actions.to_vec();
    if !actions.contains(&FixAction::MakeGsmSafe) && text::report(&m.body).gsm_safe.is_some() {
        actions.push(FixAction::MakeGsmSafe);
    }
    actions
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
        RetryPolicy::AfterCooldown { .. } => match retry_ready_at(m) {
            Some(ready) if now < ready => Err(CoreError::RetryTooSoon {
                code,
                ready_at: ready.to_rfc3339(),
            }),
            _ => Ok(()),
        },
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
        // Checked inside the write transaction: a double click or two people in triage must
        // not send one failure twice.
        if messages::has_resend(&mut tx, failed.id).await? {
            return Err(CoreError::AlreadyResent(failed.id));
        }
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
                media: &failed.media,
                template_id: failed.template_id,
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
    let contact_id: i64 = sqlx::query_scalar("SELECT contact_id FROM conversations WHERE id = ?1")
        .bind(conversation_id)
        .fetch_one(&mut *conn)
        .await?;
    crate::store::contacts::replace_number(conn, contact_id, old, new, failed.error_code.as_deref())
        .await
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Encoding;

    fn failed(code: &str, body: &str) -> Message {
        let at = chrono::DateTime::from_timestamp(1_780_000_000, 0).unwrap_or_default();
        Message {
            id: 1,
            conversation_id: 1,
            sid: Some("SM1".into()),
            direction: Direction::Outbound,
            from: "+14155550100".into(),
            to: "+12125550142".into(),
            body: body.into(),
            status: MessageStatus::Undelivered,
            provider_status: Some("undelivered".into()),
            error_code: Some(code.into()),
            error_message: None,
            segments: 1,
            encoding: Encoding::Gsm7,
            author_id: None,
            author: None,
            created_at: at,
            sent_at: None,
            delivered_at: None,
            updated_at: at,
            resend_of: None,
            media: Vec::new(),
            template_id: None,
            dismissal: None,
            outside: false,
            resend: None,
        }
    }

    #[test]
    fn a_cooldown_runs_from_the_failure_and_never_means_never() {
        let m = failed("30003", "hi");
        let ready = retry_ready_at(&m).expect("30003 has a cooldown");
        assert_eq!(ready - m.updated_at, chrono::TimeDelta::minutes(120));
        assert_eq!(
            retry_allowed(&m, m.updated_at).unwrap_err().code(),
            "retry_too_soon"
        );
        assert!(retry_allowed(&m, ready).is_ok());
        let never = failed("21211", "hi");
        assert_eq!(retry_ready_at(&never), None);
        assert_eq!(
            retry_allowed(&never, ready).unwrap_err().code(),
            "retry_not_allowed"
        );
    }

    #[test]
    fn the_gsm_safe_fix_is_offered_where_it_makes_the_text_cheaper() {
        let curly = failed("30003", &format!("{}’", "a".repeat(79)));
        assert!(fixes(&curly).contains(&FixAction::MakeGsmSafe));
        assert!(
            fixes(&curly).contains(&FixAction::Retry),
            "the code's own fixes stay"
        );
        assert!(!fixes(&failed("30003", "plain")).contains(&FixAction::MakeGsmSafe));
    }
}
