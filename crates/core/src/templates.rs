//! Templates: approved wording with merge fields (`{{first_name}}`, `{{agent_name}}`, a
//! contact's own fields) and optional media. Agents write drafts, admins approve them; only
//! approved templates reach the composer. A field without a value stays as it is written, so the
//! checks before sending block it: a template is never sent with a literal `{{field}}`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{CoreError, Result};
use crate::store::templates as store;
use crate::team::{Role, TeamMember};
use crate::Services;

/// Fields every conversation can fill.
pub const STANDARD_FIELDS: &[&str] = &["first_name", "last_name", "agent_name", "sender_number"];

/// The longest template name.
const MAX_NAME_CHARS: usize = 80;
/// Twilio's limit on a body, in characters.
const MAX_BODY_CHARS: usize = 1600;
/// Twilio's limit on media per message.
const MAX_MEDIA: usize = 10;

/// Where a template stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateStatus {
    /// Written, waiting for an admin.
    Draft,
    /// Offered in the composer.
    Approved,
}

impl TemplateStatus {
    /// The text stored in SQLite.
    pub fn as_str(self) -> &'static str {
        match self {
            TemplateStatus::Draft => "draft",
            TemplateStatus::Approved => "approved",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(TemplateStatus::Draft),
            "approved" => Some(TemplateStatus::Approved),
            _ => None,
        }
    }
}

/// A template with its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// Local id.
    pub id: i64,
    /// Id that stays the same across databases.
    pub uid: String,
    /// What the team calls it.
    pub name: String,
    /// The text, with `{{fields}}`.
    pub body: String,
    /// Media URLs sent with it.
    pub media: Vec<String>,
    /// Draft or approved.
    pub status: TemplateStatus,
    /// Who wrote it.
    pub created_by: Option<i64>,
    /// Who approved it.
    pub approved_by: Option<i64>,
    /// Messages sent with it.
    pub uses: u32,
    /// Of those, the ones that failed or were undelivered.
    pub failures: u32,
}

impl Template {
    /// Failed share of the messages sent with it; `None` before the first use.
    pub fn failure_rate(&self) -> Option<f64> {
        (self.uses > 0).then(|| f64::from(self.failures) / f64::from(self.uses))
    }
}

/// A template as typed in its form; `id` is absent for a new one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TemplateInput {
    /// The template being edited, or `None`.
    pub id: Option<i64>,
    /// Its name.
    pub name: String,
    /// Its text.
    pub body: String,
    /// Media URLs, one per entry (blank entries are dropped).
    pub media: Vec<String>,
}

fn invalid(field: &'static str, problem: String, fix: &str) -> CoreError {
    CoreError::InvalidField {
        field,
        problem,
        fix: fix.to_string(),
    }
}

/// The merge fields a text uses, in order of first appearance, or the first malformed one.
pub fn fields(body: &str) -> std::result::Result<Vec<String>, String> {
    let mut found = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            return Err(rest[start..].chars().take(20).collect());
        };
        let name = after[..end].trim();
        let ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            return Err(format!("{{{{{}}}}}", &after[..end]));
        }
        if !found.iter().any(|f| f == name) {
            found.push(name.to_string());
        }
        rest = &after[end + 2..];
    }
    Ok(found)
}

impl TemplateInput {
    /// Tidies and checks a template before it is stored.
    pub fn validate(&self) -> Result<TemplateInput> {
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(invalid(
                "name",
                "The template has no name.".into(),
                "Name it as the team will look for it, e.g. “Appointment reminder”.",
            ));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(invalid(
                "name",
                format!("The name is longer than {MAX_NAME_CHARS} characters."),
                "Shorten the name; the text goes in the body.",
            ));
        }
        let body = self.body.trim().to_string();
        if body.is_empty() {
            return Err(invalid(
                "body",
                "The template's text is empty.".into(),
                "Write the message the team will send.",
            ));
        }
        if body.chars().count() > MAX_BODY_CHARS {
            return Err(invalid(
                "body",
                format!("The text is longer than {MAX_BODY_CHARS} characters, Twilio's limit."),
                "Shorten it.",
            ));
        }
        if let Err(bad) = fields(&body) {
            return Err(invalid(
                "body",
                format!("“{bad}” is not a merge field."),
                "Write fields as {{first_name}}: lower-case letters, digits and _ between double braces.",
            ));
        }
        let media: Vec<String> = self
            .media
            .iter()
            .map(|m| m.trim().to_string())
            .filter(|m| !m.is_empty())
            .collect();
        if media.len() > MAX_MEDIA {
            return Err(invalid(
                "media",
                format!(
                    "{} media URLs; Twilio takes {MAX_MEDIA} at most.",
                    media.len()
                ),
                "Remove some of them.",
            ));
        }
        if let Some(bad) = media.iter().find(|m| !is_public_url(m)) {
            return Err(invalid(
                "media",
                format!("“{bad}” is not a public https:// address."),
                "Give the full address of the image, starting with https://; Twilio fetches it from there.",
            ));
        }
        Ok(TemplateInput {
            id: self.id,
            name,
            body,
            media,
        })
    }
}

/// Twilio fetches media itself, so only an https address it can reach is worth sending.
fn is_public_url(s: &str) -> bool {
    reqwest::Url::parse(s).is_ok_and(|u| u.scheme() == "https" && u.host_str().is_some())
}

/// The values a conversation gives the merge fields.
pub type MergeValues = BTreeMap<String, String>;

/// A template filled in for one conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The text; fields without a value are left as written.
    pub body: String,
    /// The fields left without a value.
    pub unfilled: Vec<String>,
}

/// Fills a template's fields with the conversation's values.
pub fn render(body: &str, values: &MergeValues) -> Rendered {
    let mut out = String::with_capacity(body.len());
    let mut unfilled = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            rest = &rest[start..];
            break;
        };
        let name = after[..end].trim();
        match values.get(name).filter(|v| !v.trim().is_empty()) {
            Some(value) => out.push_str(value.trim()),
            None => {
                out.push_str(&rest[start..start + 2 + end + 2]);
                if !unfilled.iter().any(|f| f == name) {
                    unfilled.push(name.to_string());
                }
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Rendered {
        body: out,
        unfilled,
    }
}

/// Splits a contact's name into first and last (the last word is the last name).
pub fn split_name(name: &str) -> (String, String) {
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [] => (String::new(), String::new()),
        [one] => ((*one).to_string(), String::new()),
        [first, .., last] => ((*first).to_string(), (*last).to_string()),
    }
}

/// What a template would send in one conversation: the text filled in, and what the checks say.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// The filled-in text and the fields left without a value.
    pub rendered: Rendered,
    /// The checks before sending, on that text.
    pub report: crate::checks::CheckReport,
}

fn admin<'a>(actor: Option<&'a TeamMember>, action: &'static str) -> Result<&'a TeamMember> {
    let actor = actor.ok_or(CoreError::NoIdentity)?;
    if actor.role != Role::Admin {
        return Err(CoreError::AdminOnly(action));
    }
    Ok(actor)
}

impl Services {
    /// Templates by name; only approved ones when asked; matching `search` when given.
    pub async fn templates(&self, approved_only: bool, search: &str) -> Result<Vec<Template>> {
        let mut conn = self.store.pool().acquire().await?;
        store::list(&mut conn, approved_only, search).await
    }

    /// Adds or changes a template; it is a draft until an admin approves it.
    pub async fn save_template(
        &self,
        input: &TemplateInput,
        author: Option<&TeamMember>,
    ) -> Result<Template> {
        let mut tx = self.store.write().await?;
        let saved = store::save(&mut tx, input, author.map(|a| a.id)).await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Approves a template, so the composer offers it: admins only.
    pub async fn approve_template(&self, id: i64, actor: Option<&TeamMember>) -> Result<Template> {
        let actor = admin(actor, "approve templates")?;
        let mut tx = self.store.write().await?;
        let approved = store::approve(&mut tx, id, actor.id).await?;
        tx.commit().await?;
        Ok(approved)
    }

    /// Deletes a template: an admin any, an agent only their own draft.
    pub async fn delete_template(&self, id: i64, actor: Option<&TeamMember>) -> Result<()> {
        let actor_ref = actor.ok_or(CoreError::NoIdentity)?;
        let mut tx = self.store.write().await?;
        let t = store::get(&mut tx, id).await?;
        let own_draft = t.status == TemplateStatus::Draft && t.created_by == Some(actor_ref.id);
        if !own_draft {
            admin(
                actor,
                "delete a template that is approved or someone else's",
            )?;
        }
        store::delete(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The values a conversation gives merge fields: the contact's names and own fields, the
    /// agent writing and the sender number.
    pub async fn merge_values(
        &self,
        conversation_id: i64,
        agent: Option<&TeamMember>,
    ) -> Result<MergeValues> {
        let mut conn = self.store.pool().acquire().await?;
        let (contact_id, name, sender): (i64, Option<String>, String) = sqlx::query_as(
            "SELECT ct.id, ct.name, s.number FROM conversations c
             JOIN contacts ct ON ct.id = c.contact_id
             JOIN sender_numbers s ON s.id = c.sender_id WHERE c.id = ?1",
        )
        .bind(conversation_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(CoreError::UnknownConversation(conversation_id))?;
        let mut values: MergeValues = crate::store::contacts::fields(&mut conn, contact_id)
            .await?
            .into_iter()
            .collect();
        let (first, last) = split_name(name.as_deref().unwrap_or(""));
        values.insert("first_name".into(), first);
        values.insert("last_name".into(), last);
        values.insert("sender_number".into(), sender);
        if let Some(agent) = agent {
            values.insert("agent_name".into(), agent.name.clone());
        }
        Ok(values)
    }

    /// Adds a template with a known uid unless it is there (the demo's); approved by
    /// `approved_by` when given.
    pub async fn ensure_template(
        &self,
        uid: &str,
        input: &TemplateInput,
        created_by: Option<i64>,
        approved_by: Option<i64>,
    ) -> Result<()> {
        let mut tx = self.store.write().await?;
        store::ensure(&mut tx, uid, input, approved_by, created_by).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A template filled in for a conversation, with what the checks say about the result.
    pub async fn preview_template(
        &self,
        template_id: i64,
        conversation_id: i64,
        agent: Option<&TeamMember>,
    ) -> Result<Preview> {
        let template = {
            let mut conn = self.store.pool().acquire().await?;
            store::get(&mut conn, template_id).await?
        };
        let rendered = render(
            &template.body,
            &self.merge_values(conversation_id, agent).await?,
        );
        let report = self
            .check(&crate::outbox::SendInput {
                conversation_id: Some(conversation_id),
                body: rendered.body.clone(),
                template_id: Some(template_id),
                ..Default::default()
            })
            .await?;
        Ok(Preview { rendered, report })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> MergeValues {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn fields_are_found_once_each_and_bad_ones_named() {
        assert_eq!(
            fields("Hi {{first_name}}, {{ agent_name }} here. Bye {{first_name}}"),
            Ok(vec!["first_name".into(), "agent_name".into()])
        );
        assert_eq!(fields("no fields"), Ok(vec![]));
        assert_eq!(fields("Hi {{First Name}}"), Err("{{First Name}}".into()));
        assert!(fields("Hi {{first_name").is_err());
        assert_eq!(fields("Hi {{}}"), Err("{{}}".into()));
    }

    #[test]
    fn rendering_fills_what_it_can_and_leaves_the_rest_visible() {
        let v = values(&[
            ("first_name", "Maya"),
            ("agent_name", "Dana"),
            ("plan", " "),
        ]);
        let r = render(
            "Hi {{first_name}}, {{agent_name}} here about your {{plan}} plan, {{first_name}}.",
            &v,
        );
        assert_eq!(r.body, "Hi Maya, Dana here about your {{plan}} plan, Maya.");
        assert_eq!(r.unfilled, vec!["plan".to_string()]);
        assert_eq!(render("{{x", &v).body, "{{x");
        assert_eq!(
            render("Émoji 🎉 {{first_name}}!", &v).body,
            "Émoji 🎉 Maya!"
        );
    }

    #[test]
    fn a_template_is_tidied_and_checked() {
        let ok = TemplateInput {
            id: None,
            name: "  Order   ready ".into(),
            body: " Your order is ready, {{first_name}}. \n".into(),
            media: vec![" https://example.com/a.jpg ".into(), "".into()],
        }
        .validate()
        .unwrap();
        assert_eq!(ok.name, "Order ready");
        assert_eq!(ok.body, "Your order is ready, {{first_name}}.");
        assert_eq!(ok.media, vec!["https://example.com/a.jpg".to_string()]);

        let field = |input: TemplateInput| match input.validate() {
            Err(CoreError::InvalidField { field, .. }) => field,
            other => panic!("accepted: {other:?}"),
        };
        let base = TemplateInput {
            name: "T".into(),
            body: "B".into(),
            ..TemplateInput::default()
        };
        assert_eq!(
            field(TemplateInput {
                name: " ".into(),
                ..base.clone()
            }),
            "name"
        );
        assert_eq!(
            field(TemplateInput {
                body: "Hi {{First}}".into(),
                ..base.clone()
            }),
            "body"
        );
        assert_eq!(
            field(TemplateInput {
                body: "x".repeat(1601),
                ..base.clone()
            }),
            "body"
        );
        for bad in [
            "http://example.com/a.jpg",
            "not a url",
            "file:///etc/passwd",
        ] {
            assert_eq!(
                field(TemplateInput {
                    media: vec![bad.into()],
                    ..base.clone()
                }),
                "media",
                "{bad}"
            );
        }
    }

    #[test]
    fn names_split_into_first_and_last() {
        assert_eq!(split_name("Maya Chen"), ("Maya".into(), "Chen".into()));
        assert_eq!(
            split_name("Mary Ann de la Cruz"),
            ("Mary".into(), "Cruz".into())
        );
        assert_eq!(split_name("Cher"), ("Cher".into(), String::new()));
        assert_eq!(split_name(""), (String::new(), String::new()));
    }
}
