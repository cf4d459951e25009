//! Search over messages and contacts with SQLite's FTS5. What a person types is turned into a
//! query of quoted words (the last one a prefix), so quotes, operators and symbols are only
//! ever text: no input can make a query fail.

use serde::Serialize;

use crate::domain::from_millis;
use crate::error::Result;
use crate::Services;

/// Marks the start and end of a hit in a snippet; control characters never appear in text
/// people search.
const HIT_START: char = '\u{1}';
const HIT_END: char = '\u{2}';

/// A piece of a snippet: a hit or the text around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnippetPart {
    /// The text.
    pub text: String,
    /// Whether it matched.
    pub hit: bool,
}

/// A message that matched.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageHit {
    /// The message.
    pub id: i64,
    /// Its conversation.
    pub conversation_id: i64,
    /// The customer's name, if known.
    pub contact_name: Option<String>,
    /// The customer's number.
    pub contact_number: String,
    /// The words around the hits.
    pub snippet: Vec<SnippetPart>,
    /// When it was written.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A contact that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactHit {
    /// The contact.
    pub id: i64,
    /// Their name.
    pub name: Option<String>,
    /// Their number.
    pub number: String,
    /// Their most recent conversation, to open.
    pub conversation_id: Option<i64>,
}

/// Everything a search found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// Contacts by name or number.
    pub contacts: Vec<ContactHit>,
    /// Messages, the most recently stored first.
    pub messages: Vec<MessageHit>,
}

/// An FTS5 query for what was typed: each word quoted (quotes inside doubled), the last one a
/// prefix; `None` when there is no word to look for.
pub fn fts_query(input: &str) -> Option<String> {
    let words: Vec<String> = input
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .take(12)
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    let last = words.len().checked_sub(1)?;
    Some(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i == last {
                    format!("{w}*")
                } else {
                    w.clone()
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// Splits an FTS5 snippet with our markers into parts.
fn parts(snippet: &str) -> Vec<SnippetPart> {
    let mut out = Vec::new();
    let mut hit = false;
    let mut text = String::new();
    for c in snippet.chars() {
        if c == HIT_START || c == HIT_END {
            if !text.is_empty() {
                out.push(SnippetPart {
                    text: std::mem::take(&mut text),
                    hit,
                });
            }
            hit = c == HIT_START;
        } else {
            text.push(c);
        }
    }
    if !text.is_empty() {
        out.push(SnippetPart { text, hit });
    }
    out
}

impl Services {
    /// Messages and contacts matching what was typed; at most `limit` of each.
    pub async fn search(&self, input: &str, limit: u32) -> Result<SearchResults> {
        let mut results = SearchResults::default();
        let digits: String = input.chars().filter(char::is_ascii_digit).collect();
        let query = fts_query(input);
        if query.is_none() && digits.len() < 3 {
            return Ok(results);
        }
        let pool = self.store.pool();
        let limit = i64::from(limit);
        // A number is looked for by its digits wherever they are in it.
        let number_pattern = (digits.len() >= 3).then(|| format!("%{digits}%"));
        let contacts: Vec<(i64, Option<String>, String, Option<i64>)> = sqlx::query_as(
            "SELECT ct.id, ct.name, ct.number,
                 (SELECT c.id FROM conversations c WHERE c.contact_id = ct.id
                  ORDER BY c.last_activity_at DESC LIMIT 1)
             FROM contacts ct
             WHERE (?1 IS NOT NULL AND ct.id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?1))
                OR (?2 IS NOT NULL AND ct.number LIKE ?2)
             ORDER BY ct.name IS NULL, ct.name COLLATE NOCASE LIMIT ?3",
        )
        .bind(&query)
        .bind(&number_pattern)
        .bind(limit)
        .fetch_all(pool)
        .await?;
        results.contacts = contacts
            .into_iter()
            .map(|(id, name, number, conversation_id)| ContactHit {
                id,
                name,
                number,
                conversation_id,
            })
            .collect();
        if let Some(query) = &query {
            // Newest stored first: FTS5 walks a word's list backwards and stops at the limit,
            // where ranking would score every message holding the word (a second at a million
            // messages for a word like "order").
            let rows: Vec<(i64, i64, Option<String>, String, String, i64)> = sqlx::query_as(
                "SELECT m.id, m.conversation_id, ct.name, ct.number,
                     snippet(messages_fts, 0, char(1), char(2), '…', 16), m.created_at
                 FROM messages_fts
                 JOIN messages m ON m.id = messages_fts.rowid
                 JOIN conversations c ON c.id = m.conversation_id
                 JOIN contacts ct ON ct.id = c.contact_id
                 WHERE messages_fts MATCH ?1
                 ORDER BY messages_fts.rowid DESC LIMIT ?2",
            )
            .bind(query)
            .bind(limit)
            .fetch_all(pool)
            .await?;
            results.messages = rows
                .into_iter()
                .map(
                    |(id, conversation_id, name, number, snippet, at)| MessageHit {
                        id,
                        conversation_id,
                        contact_name: name,
                        contact_number: number,
                        snippet: parts(&snippet),
                        created_at: from_millis(at),
                    },
                )
                .collect();
        }
        Ok(results)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_text_becomes_quoted_words_with_a_prefix() {
        assert_eq!(
            fts_query("table ready"),
            Some("\"table\" \"ready\"*".into())
        );
        assert_eq!(
            fts_query("say \"hi\" OR NOT x*"),
            Some("\"say\" \"\"\"hi\"\"\" \"OR\" \"NOT\" \"x*\"*".into())
        );
        assert_eq!(fts_query("  ( ) * - \" "), None);
        assert_eq!(fts_query(""), None);
    }

    #[test]
    fn snippets_split_into_hits_and_text() {
        assert_eq!(
            parts("…your \u{1}table\u{2} is \u{1}ready\u{2}"),
            vec![
                SnippetPart {
                    text: "…your ".into(),
                    hit: false
                },
                SnippetPart {
                    text: "table".into(),
                    hit: true
                },
                SnippetPart {
                    text: " is ".into(),
                    hit: false
                },
                SnippetPart {
                    text: "ready".into(),
                    hit: true
                },
            ]
        );
    }
}
