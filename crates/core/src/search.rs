//! Search over messages and contacts with SQLite's FTS5. What a person types is turned into a
//! query of quoted words (the last one a prefix), so quotes, operators and symbols are only
//! ever text: no input can make a query fail. Messages come newest first by their time: the
//! index's rowid is a key in time order (migration 0017). The index holds no copy of the text,
//! so the hits in a found message are marked here, by the index's own rules (words of letters
//! and digits, case and accents ignored).

use serde::Serialize;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::domain::from_millis;
use crate::error::Result;
use crate::store::messages::SEARCH_KEY_ID_MASK;
use crate::Services;

/// Words of a message shown around its hits, as FTS5's snippet showed them.
const SNIPPET_WORDS: usize = 16;

/// A piece of a snippet: a hit or the text around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnippetPart {
    /// The text.
    pub text: String,
    /// Whether it matched.
    pub hit: bool,
}

/// What a hit in a thread is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HitKind {
    /// A message, from the customer or to them.
    Message {
        /// Which way it went.
        direction: crate::domain::Direction,
    },
    /// An internal note (never sent), with its author's name.
    Note {
        /// Who wrote it.
        author: Option<String>,
    },
}

/// A message or note that matched.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadHit {
    /// A message or a note.
    pub kind: HitKind,
    /// The message's or the note's id.
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

/// What of a contact matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactMatch {
    /// Their name.
    Name,
    /// Digits of their number.
    Number,
    /// One of their own fields ("pet_name").
    Field {
        /// The field's name.
        name: String,
    },
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
    /// What matched.
    pub matched: ContactMatch,
    /// The matched name or field value with its hits marked (empty for a number).
    pub snippet: Vec<SnippetPart>,
}

/// Where the next page of a search starts: below these keys of each kind. The first page is
/// the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SearchPage {
    /// Messages with a search key below this one.
    pub before_message: Option<i64>,
    /// Notes with an id below this one.
    pub before_note: Option<i64>,
    /// Contacts already listed.
    pub contacts_after: u32,
}

/// A page of what a search found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResults {
    /// Contacts by name, number or own fields, by name.
    pub contacts: Vec<ContactHit>,
    /// Messages and notes, newest first.
    pub hits: Vec<ThreadHit>,
    /// The next page, when there is more of either.
    pub next: Option<SearchPage>,
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

/// A word the query looks for, folded as the index folds words.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    word: String,
    /// The last word typed: any word starting with it matches.
    prefix: bool,
}

/// Lower case, accents taken off: what the index compares (`remove_diacritics 2`).
fn fold(word: &str) -> String {
    word.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The words of `text` as the index sees them (runs of letters and digits), by byte range.
fn words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// The words the query made of `input` by [`fts_query`] looks for.
fn terms(input: &str) -> Vec<Term> {
    let typed: Vec<&str> = input
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .take(12)
        .collect();
    let mut out: Vec<Term> = typed
        .iter()
        .flat_map(|w| words(w).into_iter().map(|(a, b)| fold(&w[a..b])))
        .map(|word| Term {
            word,
            prefix: false,
        })
        .collect();
    if let Some(last) = out.last_mut() {
        last.prefix = true;
    }
    out
}

/// The part of `body` around its hits (the [`SNIPPET_WORDS`] words holding most of them, with
/// "…" where text was left out), split into hits and the text between.
fn snippet(body: &str, terms: &[Term]) -> Vec<SnippetPart> {
    let found: Vec<(usize, usize, bool)> = words(body)
        .into_iter()
        .map(|(a, b)| {
            let word = fold(&body[a..b]);
            let hit = terms.iter().any(|t| {
                if t.prefix {
                    word.starts_with(&t.word)
                } else {
                    word == t.word
                }
            });
            (a, b, hit)
        })
        .collect();
    let count = SNIPPET_WORDS.min(found.len());
    let first = (0..=found.len() - count)
        .max_by_key(|&s| {
            let hits = found[s..s + count].iter().filter(|w| w.2).count();
            // The earliest of the best windows.
            (hits, std::cmp::Reverse(s))
        })
        .unwrap_or(0);
    let shown = &found[first..first + count];
    let from = if first == 0 {
        0
    } else {
        shown.first().map_or(0, |w| w.0)
    };
    let to = if first + count == found.len() {
        body.len()
    } else {
        shown.last().map_or(body.len(), |w| w.1)
    };
    let mut out = Vec::new();
    let mut text = String::new();
    if from > 0 {
        text.push('…');
    }
    let mut at = from;
    for &(a, b, _) in shown.iter().filter(|w| w.2) {
        text.push_str(&body[at..a]);
        if !text.is_empty() {
            out.push(SnippetPart {
                text: std::mem::take(&mut text),
                hit: false,
            });
        }
        out.push(SnippetPart {
            text: body[a..b].to_string(),
            hit: true,
        });
        at = b;
    }
    text.push_str(&body[at..to]);
    if to < body.len() {
        text.push('…');
    }
    if !text.is_empty() {
        out.push(SnippetPart { text, hit: false });
    }
    out
}

/// A message or note read for a page, with the key it is paged by.
struct Found {
    key: i64,
    hit: ThreadHit,
}

/// A message's or note's row as the search reads it; a note has no direction.
#[derive(sqlx::FromRow)]
struct HitRow {
    key: i64,
    id: i64,
    conversation_id: i64,
    direction: Option<String>,
    author: Option<String>,
    name: Option<String>,
    number: String,
    body: String,
    created_at: i64,
}

impl HitRow {
    fn found(self, terms: &[Term]) -> Found {
        let kind = match self.direction.as_deref() {
            Some(d) => HitKind::Message {
                direction: crate::domain::Direction::parse(d)
                    .unwrap_or(crate::domain::Direction::Inbound),
            },
            None => HitKind::Note {
                author: self.author,
            },
        };
        Found {
            key: self.key,
            hit: ThreadHit {
                kind,
                id: self.id,
                conversation_id: self.conversation_id,
                contact_name: self.name,
                contact_number: self.number,
                snippet: snippet(&self.body, terms),
                created_at: from_millis(self.created_at),
            },
        }
    }
}

impl Services {
    /// A page of the contacts, messages and notes matching what was typed: at most `limit`
    /// contacts and `limit` messages and notes together, newest first.
    pub async fn search(
        &self,
        input: &str,
        limit: u32,
        page: &SearchPage,
    ) -> Result<SearchResults> {
        let digits: String = input.chars().filter(char::is_ascii_digit).collect();
        let query = fts_query(input);
        if query.is_none() && digits.len() < 3 {
            return Ok(SearchResults::default());
        }
        let terms = terms(input);
        // A number is looked for by its digits wherever they are in it.
        let number_pattern = (digits.len() >= 3).then(|| format!("%{digits}%"));
        let (contacts, more_contacts) = self
            .search_contacts(
                query.as_deref(),
                number_pattern.as_deref(),
                &terms,
                limit,
                page,
            )
            .await?;
        let mut next = *page;
        next.contacts_after += contacts.len() as u32;
        let (hits, more_hits) = match &query {
            Some(query) => {
                self.search_threads(query, &terms, limit, page, &mut next)
                    .await?
            }
            None => (Vec::new(), false),
        };
        Ok(SearchResults {
            contacts,
            hits,
            next: (more_contacts || more_hits).then_some(next),
        })
    }

    async fn search_contacts(
        &self,
        query: Option<&str>,
        number_pattern: Option<&str>,
        terms: &[Term],
        limit: u32,
        page: &SearchPage,
    ) -> Result<(Vec<ContactHit>, bool)> {
        let pool = self.store.pool();
        let rows: Vec<(i64, Option<String>, String, Option<i64>)> = sqlx::query_as(
            "SELECT ct.id, ct.name, ct.number,
                 (SELECT c.id FROM conversations c WHERE c.contact_id = ct.id
                  ORDER BY c.last_activity_at DESC LIMIT 1)
             FROM contacts ct
             WHERE (?1 IS NOT NULL AND ct.id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?1))
                OR (?2 IS NOT NULL AND ct.number LIKE ?2)
             ORDER BY ct.name IS NULL, ct.name COLLATE NOCASE, ct.id LIMIT ?3 OFFSET ?4",
        )
        .bind(query)
        .bind(number_pattern)
        .bind(i64::from(limit) + 1)
        .bind(i64::from(page.contacts_after))
        .fetch_all(pool)
        .await?;
        let more = rows.len() > limit as usize;
        let mut out = Vec::with_capacity(rows.len());
        for (id, name, number, conversation_id) in rows.into_iter().take(limit as usize) {
            let marked = |text: &str| snippet(text, terms);
            let by_name = name
                .as_deref()
                .map(marked)
                .filter(|p| p.iter().any(|p| p.hit));
            let (matched, snippet) = match by_name {
                Some(parts) => (ContactMatch::Name, parts),
                None if number_pattern.is_some_and(|p| number.contains(p.trim_matches('%'))) => {
                    (ContactMatch::Number, Vec::new())
                }
                None => {
                    let fields: Vec<(String, String)> = sqlx::query_as(
                        "SELECT name, value FROM contact_fields WHERE contact_id = ?1 ORDER BY name",
                    )
                    .bind(id)
                    .fetch_all(pool)
                    .await?;
                    fields
                        .into_iter()
                        .map(|(field, value)| (field, marked(&value)))
                        .find(|(_, parts)| parts.iter().any(|p| p.hit))
                        .map(|(name, parts)| (ContactMatch::Field { name }, parts))
                        // Matched by the index's folding where ours differs: still the name.
                        .unwrap_or((ContactMatch::Name, Vec::new()))
                }
            };
            out.push(ContactHit {
                id,
                name,
                number,
                conversation_id,
                matched,
                snippet,
            });
        }
        Ok((out, more))
    }

    /// Messages and notes below the page's keys, merged newest first; moves `next` past those
    /// returned. Each index is walked backwards from its newest key and stops at the limit
    /// (messages' rowids are time-ordered keys, migration 0017; notes' are ids, which follow
    /// time), where ranking or sorting by time would read every hit of a common word.
    async fn search_threads(
        &self,
        query: &str,
        terms: &[Term],
        limit: u32,
        page: &SearchPage,
        next: &mut SearchPage,
    ) -> Result<(Vec<ThreadHit>, bool)> {
        let pool = self.store.pool();
        let fetch = i64::from(limit) + 1;
        let messages: Vec<HitRow> = sqlx::query_as(
            "SELECT messages_fts.rowid AS key, m.id, m.conversation_id, m.direction, NULL AS author,
                 ct.name, ct.number, m.body, m.created_at
             FROM messages_fts
             JOIN messages m ON m.id = (messages_fts.rowid & ?3)
             JOIN conversations c ON c.id = m.conversation_id
             JOIN contacts ct ON ct.id = c.contact_id
             WHERE messages_fts MATCH ?1 AND messages_fts.rowid < ?4
             ORDER BY messages_fts.rowid DESC LIMIT ?2",
        )
        .bind(query)
        .bind(fetch)
        .bind(SEARCH_KEY_ID_MASK)
        .bind(page.before_message.unwrap_or(i64::MAX))
        .fetch_all(pool)
        .await?;
        let notes: Vec<HitRow> = sqlx::query_as(
            "SELECT n.id AS key, n.id, n.conversation_id, NULL AS direction, tm.name AS author,
                 ct.name, ct.number, n.body, n.created_at
             FROM notes_fts
             JOIN notes n ON n.id = notes_fts.rowid
             JOIN conversations c ON c.id = n.conversation_id
             JOIN contacts ct ON ct.id = c.contact_id
             LEFT JOIN team_members tm ON tm.id = n.author_id
             WHERE notes_fts MATCH ?1 AND notes_fts.rowid < ?3
             ORDER BY notes_fts.rowid DESC LIMIT ?2",
        )
        .bind(query)
        .bind(fetch)
        .bind(page.before_note.unwrap_or(i64::MAX))
        .fetch_all(pool)
        .await?;
        let mut messages = messages.into_iter().map(|r| r.found(terms)).peekable();
        let mut notes = notes.into_iter().map(|r| r.found(terms)).peekable();
        let mut hits = Vec::new();
        while hits.len() < limit as usize {
            let take_message = match (messages.peek(), notes.peek()) {
                (Some(m), Some(n)) => m.hit.created_at >= n.hit.created_at,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let (found, cursor) = if take_message {
                (messages.next(), &mut next.before_message)
            } else {
                (notes.next(), &mut next.before_note)
            };
            if let Some(f) = found {
                *cursor = Some(f.key);
                hits.push(f.hit);
            }
        }
        let more = messages.peek().is_some() || notes.peek().is_some();
        Ok((hits, more))
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

    fn text(parts: &[SnippetPart]) -> (String, Vec<String>) {
        (
            parts.iter().map(|p| p.text.as_str()).collect(),
            parts
                .iter()
                .filter(|p| p.hit)
                .map(|p| p.text.clone())
                .collect(),
        )
    }

    #[test]
    fn hits_are_marked_as_the_index_matches_them() {
        let (all, hits) = text(&snippet("Your Table is READY, Chén", &terms("table rea")));
        assert_eq!(all, "Your Table is READY, Chén");
        assert_eq!(hits, vec!["Table", "READY"]);
        // Accents and case are ignored both ways; the last word is a prefix, the others whole.
        assert_eq!(text(&snippet("Maya Chén", &terms("chen"))).1, vec!["Chén"]);
        assert_eq!(
            text(&snippet("tables ready", &terms("table x"))).1,
            Vec::<&str>::new()
        );
        assert_eq!(
            text(&snippet("call 555-0102 now", &terms("555-0102"))).1,
            vec!["555", "0102"]
        );
    }

    #[test]
    fn a_long_message_shows_the_words_around_its_hits() {
        let body = format!(
            "{} the parcel is here {}",
            "word ".repeat(30),
            "tail ".repeat(30)
        );
        let (all, hits) = text(&snippet(&body, &terms("parcel")));
        assert_eq!(hits, vec!["parcel"]);
        assert!(all.starts_with('…') && all.ends_with('…'), "{all}");
        assert_eq!(words(&all).len(), SNIPPET_WORDS, "{all}");
        // Short texts are shown whole.
        assert_eq!(
            text(&snippet("no match here", &terms("zzz"))).0,
            "no match here"
        );
        assert!(snippet("", &terms("x")).is_empty());
    }
}
