//! Failures triage: every unresolved failure (the rule of the Failed view) grouped by its
//! catalogue entry, with the bulk actions each group allows — resend with fixed numbers,
//! retry once the cooldown has passed, mark numbers as landlines, export the recipients,
//! dismiss with a reason.

use std::io::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::catalogue::{self, FixAction, Owner, RetryPolicy};
use crate::domain::{from_millis, to_millis};
use crate::error::{CoreError, Result};
use crate::resend::ResendInput;
use crate::store::conversations::failed_unresolved;

/// One unresolved failure in a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TriageItem {
    /// The failed message.
    pub message_id: i64,
    /// Its conversation.
    pub conversation_id: i64,
    /// The customer's number it went to.
    pub to: String,
    /// Their name, if known.
    pub contact_name: Option<String>,
    /// What the number is marked as now (landline, opted out…), if anything.
    pub number_mark: Option<String>,
    /// Our number.
    pub from: String,
    /// The text.
    pub body: String,
    /// Its exact code.
    pub error_code: String,
    /// When it failed.
    pub failed_at: DateTime<Utc>,
    /// For codes with a cooldown: from when a retry can help.
    pub retry_ready_at: Option<DateTime<Utc>>,
    /// Resent, and the resend has not gone through yet: it stays here, and is not resent again.
    pub resend_on_its_way: bool,
}

/// Failures that share a cause (a catalogue entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TriageGroup {
    /// The entry's code (a range like "30xxx" for codes the catalogue lacks).
    pub code: String,
    /// A few words.
    pub title: String,
    /// What happened.
    pub reason: String,
    /// The next step.
    pub hint: String,
    /// Whose move it is.
    pub owner: Owner,
    /// Whether the same message can go again.
    pub retry: RetryPolicy,
    /// The fixes the entry offers (the bulk actions follow them).
    pub actions: Vec<FixAction>,
    /// The failures, newest first.
    pub items: Vec<TriageItem>,
}

/// Every unresolved failure, grouped by cause, largest group first.
pub async fn groups(pool: &sqlx::SqlitePool) -> Result<Vec<TriageGroup>> {
    type Row = (
        i64,
        i64,
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        Option<String>,
        i64,
        bool,
    );
    let rows: Vec<Row> = sqlx::query_as(concat!(
        "SELECT f.id, f.conversation_id, f.to_number, ct.name, ct.number_mark, f.from_number,
             f.body, f.error_code, f.updated_at,
             EXISTS (SELECT 1 FROM messages r WHERE r.resend_of = f.id)
         FROM messages f
         JOIN conversations c ON c.id = f.conversation_id
         JOIN contacts ct ON ct.id = c.contact_id
         WHERE ",
        failed_unresolved!(),
        " ORDER BY f.updated_at DESC, f.id DESC"
    ))
    .fetch_all(pool)
    .await?;
    let mut groups: Vec<TriageGroup> = Vec::new();
    for r in rows {
        let code = r.7.unwrap_or_default();
        let entry = catalogue::explain(&code);
        let failed_at = from_millis(r.8);
        let item = TriageItem {
            message_id: r.0,
            conversation_id: r.1,
            to: r.2,
            contact_name: r.3,
            number_mark: r.4,
            from: r.5,
            body: r.6,
            retry_ready_at: match entry.retry {
                RetryPolicy::AfterCooldown { minutes } => {
                    Some(failed_at + chrono::TimeDelta::minutes(i64::from(minutes)))
                }
                _ => None,
            },
            error_code: code,
            failed_at,
            resend_on_its_way: r.9,
        };
        match groups.iter_mut().find(|g| g.code == entry.code) {
            Some(g) => g.items.push(item),
            None => groups.push(TriageGroup {
                code: entry.code.to_string(),
                title: entry.title.to_string(),
                reason: entry.reason.to_string(),
                hint: entry.hint.to_string(),
                owner: entry.owner,
                retry: entry.retry,
                actions: entry.actions.to_vec(),
                items: vec![item],
            }),
        }
    }
    groups.sort_by(|a, b| b.items.len().cmp(&a.items.len()).then(a.code.cmp(&b.code)));
    Ok(groups)
}

/// Sets failures aside with a reason; returns how many were set aside. Messages that are not
/// failures, or were dismissed already, are left as they are.
pub async fn dismiss(
    conn: &mut sqlx::SqliteConnection,
    ids: &[i64],
    reason: &str,
    by: Option<i64>,
    at: DateTime<Utc>,
) -> Result<u64> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(CoreError::InvalidField {
            field: "reason",
            problem: "a dismissed failure needs a reason".into(),
            fix: "Say in a few words why it needs no resend (e.g. \"called the customer\").".into(),
        });
    }
    if reason.chars().count() > 500 {
        return Err(CoreError::InvalidField {
            field: "reason",
            problem: "the reason is longer than 500 characters".into(),
            fix: "Keep the reason short; put the story in a note on the conversation.".into(),
        });
    }
    let done = sqlx::query(
        "UPDATE messages SET dismissed_at = ?2, dismissed_by = ?3, dismissed_reason = ?4
         WHERE id IN (SELECT value FROM json_each(?1))
           AND direction = 'outbound' AND status IN ('failed', 'undelivered')
           AND dismissed_at IS NULL",
    )
    .bind(serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()))
    .bind(to_millis(at))
    .bind(by)
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// One recipient of a group, as exported.
#[derive(Debug, Serialize)]
struct Recipient<'a> {
    number: &'a str,
    name: &'a str,
    error_code: &'a str,
    failed_at: String,
    conversation_id: i64,
    message_id: i64,
}

/// A name as a spreadsheet cell that is never run as a formula: names come from imported
/// files and customers, and one starting with `=`, `+`, `-` or `@` would run when opened.
fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Writes a group's recipients as CSV (one row per failure, with its code and time).
pub fn write_recipients<W: Write>(items: &[TriageItem], out: W) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    for i in items {
        w.serialize(Recipient {
            number: &i.to,
            name: &inert(i.contact_name.as_deref().unwrap_or_default()),
            error_code: &i.error_code,
            failed_at: i.failed_at.to_rfc3339(),
            conversation_id: i.conversation_id,
            message_id: i.message_id,
        })
        .map_err(|e| CoreError::Io(std::io::Error::other(e.to_string())))?;
    }
    w.flush()?;
    Ok(())
}

/// What became of one failure in a bulk action.
#[derive(Debug)]
pub struct BulkOutcome<T> {
    /// The failed message.
    pub message_id: i64,
    /// The new message (or other result), or why not.
    pub result: Result<T>,
}

impl crate::Services {
    /// Unresolved failures grouped by cause.
    pub async fn triage(&self) -> Result<Vec<TriageGroup>> {
        groups(self.store.pool()).await
    }

    /// Resends each failure with its changes (a fixed number, or none for a retry), one by one
    /// through the same rules as a single resend: checks, cooldowns, never twice.
    pub async fn resend_many(
        &self,
        inputs: Vec<ResendInput>,
    ) -> Vec<BulkOutcome<crate::domain::Message>> {
        let mut out = Vec::with_capacity(inputs.len());
        for input in inputs {
            let message_id = input.message_id;
            out.push(BulkOutcome {
                message_id,
                result: self.resend(input).await,
            });
        }
        out
    }

    /// Sets failures aside with a reason.
    pub async fn dismiss_failures(
        &self,
        ids: &[i64],
        reason: &str,
        by: Option<i64>,
    ) -> Result<u64> {
        let mut tx = self.store.write().await?;
        let n = dismiss(&mut tx, ids, reason, by, Utc::now()).await?;
        let conversations: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT conversation_id FROM messages
             WHERE id IN (SELECT value FROM json_each(?1))",
        )
        .bind(serde_json::to_string(ids).unwrap_or_else(|_| "[]".into()))
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        for conversation_id in conversations {
            self.events
                .emit(crate::events::CoreEvent::ConversationChanged { conversation_id });
        }
        Ok(n)
    }

    /// Marks every number as a landline, so later sends to them ask first.
    pub async fn mark_landlines(&self, numbers: &[String]) -> Result<()> {
        let mut tx = self.store.write().await?;
        for n in numbers {
            crate::memory::mark_landline(&mut tx, n).await?;
        }
        let conversations: Vec<i64> = sqlx::query_scalar(
            "SELECT c.id FROM conversations c JOIN contacts ct ON ct.id = c.contact_id
             WHERE ct.number IN (SELECT value FROM json_each(?1))",
        )
        .bind(serde_json::to_string(numbers).unwrap_or_else(|_| "[]".into()))
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        // The list and an open thread show the number's new mark.
        for conversation_id in conversations {
            self.events
                .emit(crate::events::CoreEvent::ConversationChanged { conversation_id });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_look_like_formulas_stay_text() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("@Maya"), "'@Maya");
        assert_eq!(inert("Maya-Rose"), "Maya-Rose");
        assert_eq!(inert(""), "");
    }
}
