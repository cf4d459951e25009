//! Contacts as the team edits them: name, number (the old one kept in the number history),
//! their own fields for templates, and what failures and opt-outs taught us about the number.

use sqlx::SqliteConnection;

use crate::catalogue::NumberMark;
use crate::domain::from_millis;
use crate::error::{CoreError, Result};
use crate::store::contacts::{self, Mark};
use crate::Services;

/// The longest name kept.
const MAX_NAME_CHARS: usize = 80;
/// The longest field value kept.
const MAX_FIELD_CHARS: usize = 500;
/// Fields a contact may have.
const MAX_FIELDS: usize = 30;

/// A number the contact had before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastNumber {
    /// The number.
    pub number: String,
    /// The failure code that led to replacing it, if a failure did.
    pub reason_code: Option<String>,
    /// When it was replaced.
    pub replaced_at: chrono::DateTime<chrono::Utc>,
}

/// A conversation with the contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactConversation {
    /// The conversation.
    pub id: i64,
    /// Our number in it.
    pub sender_number: String,
    /// Its label.
    pub sender_label: Option<String>,
}

/// Everything known about a contact.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactDetails {
    /// Local id.
    pub id: i64,
    /// Their number now.
    pub number: String,
    /// Their name, when known.
    pub name: Option<String>,
    /// Their own fields, by name.
    pub fields: Vec<(String, String)>,
    /// What failures or an opt-out taught us about the number.
    pub mark: Option<Mark>,
    /// Numbers they had before, oldest first.
    pub past_numbers: Vec<PastNumber>,
    /// Conversations with them, one per sender number.
    pub conversations: Vec<ContactConversation>,
}

/// A contact as typed in its form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactInput {
    /// The contact.
    pub id: i64,
    /// Name; blank clears it.
    pub name: String,
    /// Number as typed.
    pub number: String,
    /// Their fields; blank values are dropped.
    pub fields: Vec<(String, String)>,
}

/// A row of the contacts list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactSummary {
    /// Local id.
    pub id: i64,
    /// Their number.
    pub number: String,
    /// Their name.
    pub name: Option<String>,
    /// The mark on their number.
    pub mark: Option<NumberMark>,
}

fn invalid(field: &'static str, problem: String, fix: &str) -> CoreError {
    CoreError::InvalidField {
        field,
        problem,
        fix: fix.to_string(),
    }
}

/// A field name templates can use: lower-case letters, digits and `_`, not a standard field.
fn check_field_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 32
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok {
        return Err(invalid(
            "fields",
            format!("“{name}” can't be a field name."),
            "Use lower-case letters, digits and _ (up to 32), e.g. pet_name; templates use it as {{pet_name}}.",
        ));
    }
    if crate::templates::STANDARD_FIELDS.contains(&name) {
        return Err(invalid(
            "fields",
            format!("“{name}” is filled in by Switchboard already."),
            "Pick another name for this field.",
        ));
    }
    Ok(())
}

/// A contact's form, tidied and checked: what will be stored.
struct ValidContact {
    name: Option<String>,
    number: String,
    fields: Vec<(String, String)>,
}

impl ContactInput {
    /// Tidies and checks the form: the name, the number in E.164, the fields.
    fn validate(&self, region: &str) -> Result<ValidContact> {
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(invalid(
                "name",
                format!("The name is longer than {MAX_NAME_CHARS} characters."),
                "Shorten it.",
            ));
        }
        let number = crate::number::inspect(&self.number, region)
            .map_err(|_| {
                invalid(
                    "number",
                    format!("“{}” is not a phone number.", self.number.trim()),
                    "Type the number with its country code, e.g. +1 415 555 0100.",
                )
            })?
            .e164;
        let mut fields: Vec<(String, String)> = Vec::new();
        for (key, value) in &self.fields {
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim().to_string());
            if key.is_empty() && value.is_empty() {
                continue;
            }
            check_field_name(&key)?;
            if value.chars().count() > MAX_FIELD_CHARS {
                return Err(invalid(
                    "fields",
                    format!("The value of {key} is longer than {MAX_FIELD_CHARS} characters."),
                    "Shorten it.",
                ));
            }
            if fields.iter().any(|(k, _)| *k == key) {
                return Err(invalid(
                    "fields",
                    format!("{key} is there twice."),
                    "Keep one of them.",
                ));
            }
            if !value.is_empty() {
                fields.push((key, value));
            }
        }
        if fields.len() > MAX_FIELDS {
            return Err(invalid(
                "fields",
                format!(
                    "{} fields; a contact keeps {MAX_FIELDS} at most.",
                    fields.len()
                ),
                "Remove the ones nobody uses.",
            ));
        }
        Ok(ValidContact {
            name: (!name.is_empty()).then_some(name),
            number,
            fields,
        })
    }
}

async fn details(conn: &mut SqliteConnection, id: i64) -> Result<ContactDetails> {
    let (number, name): (String, Option<String>) =
        sqlx::query_as("SELECT number, name FROM contacts WHERE id = ?1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(CoreError::UnknownContact(id))?;
    let past: Vec<(String, Option<String>, i64)> = sqlx::query_as(
        "SELECT number, reason_code, replaced_at FROM contact_numbers
         WHERE contact_id = ?1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let conversations: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT c.id, s.number, s.label FROM conversations c
         JOIN sender_numbers s ON s.id = c.sender_id
         WHERE c.contact_id = ?1 ORDER BY c.last_activity_at DESC",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(ContactDetails {
        id,
        mark: contacts::mark_of(conn, &number).await?,
        fields: contacts::fields(conn, id).await?,
        number,
        name,
        past_numbers: past
            .into_iter()
            .map(|(number, reason_code, at)| PastNumber {
                number,
                reason_code,
                replaced_at: from_millis(at),
            })
            .collect(),
        conversations: conversations
            .into_iter()
            .map(|(id, sender_number, sender_label)| ContactConversation {
                id,
                sender_number,
                sender_label,
            })
            .collect(),
    })
}

impl Services {
    /// Contacts by name (then number), matching `search` in either; at most `limit`.
    pub async fn contacts(&self, search: &str, limit: u32) -> Result<Vec<ContactSummary>> {
        let pattern = crate::store::contains_pattern(search);
        let rows: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT id, number, name, number_mark FROM contacts
             WHERE name LIKE ?1 ESCAPE '\\' OR number LIKE ?1 ESCAPE '\\'
             ORDER BY name IS NULL, name COLLATE NOCASE, number LIMIT ?2",
        )
        .bind(pattern)
        .bind(i64::from(limit))
        .fetch_all(self.store.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, number, name, mark)| ContactSummary {
                id,
                number,
                name,
                mark: mark.as_deref().and_then(NumberMark::parse),
            })
            .collect())
    }

    /// Everything known about a contact.
    pub async fn contact(&self, id: i64) -> Result<ContactDetails> {
        let mut conn = self.store.pool().acquire().await?;
        details(&mut conn, id).await
    }

    /// The contact a conversation is with.
    pub async fn contact_of_conversation(&self, conversation_id: i64) -> Result<ContactDetails> {
        let mut conn = self.store.pool().acquire().await?;
        let id: i64 = sqlx::query_scalar("SELECT contact_id FROM conversations WHERE id = ?1")
            .bind(conversation_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(CoreError::UnknownConversation(conversation_id))?;
        details(&mut conn, id).await
    }

    /// Saves a contact's name, number and fields. A new number keeps the old one in the
    /// number history; the conversations follow the contact.
    pub async fn save_contact(&self, input: &ContactInput) -> Result<ContactDetails> {
        let region = self.outbox().check_settings().default_region.clone();
        let ValidContact {
            name,
            number,
            fields,
        } = input.validate(&region)?;
        let mut tx = self.store.write().await?;
        let current: String = sqlx::query_scalar("SELECT number FROM contacts WHERE id = ?1")
            .bind(input.id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(CoreError::UnknownContact(input.id))?;
        if current != number {
            contacts::replace_number(&mut tx, input.id, &current, &number, None).await?;
        }
        sqlx::query("UPDATE contacts SET name = ?2, updated_at = ?3 WHERE id = ?1")
            .bind(input.id)
            .bind(&name)
            .bind(crate::store::now_ms())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM contact_fields WHERE contact_id = ?1")
            .bind(input.id)
            .execute(&mut *tx)
            .await?;
        for (key, value) in &fields {
            sqlx::query(
                "INSERT INTO contact_fields (contact_id, name, value, updated_at)
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .bind(input.id)
            .bind(key)
            .bind(value)
            .bind(crate::store::now_ms())
            .execute(&mut *tx)
            .await?;
        }
        let saved = details(&mut tx, input.id).await?;
        tx.commit().await?;
        for c in &saved.conversations {
            self.events
                .emit(crate::events::CoreEvent::ConversationChanged {
                    conversation_id: c.id,
                });
        }
        Ok(saved)
    }
}
