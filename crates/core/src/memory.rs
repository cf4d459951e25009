//! Number memory: what a failure or a customer's keyword says about their number, kept on the
//! contact so the next send is stopped before it fails the same way.

use sqlx::SqliteConnection;

use crate::catalogue::{self, NumberMark};
use crate::error::Result;
use crate::store::contacts;

/// Inbound words that opt a customer out (carriers and Twilio honour these for long codes).
pub const STOP_WORDS: &[&str] = &[
    "STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "OPTOUT",
    "REVOKE",
];
/// Inbound words that opt them back in.
pub const START_WORDS: &[&str] = &["START", "YES", "UNSTOP"];

/// An opt-out or opt-in keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    /// STOP and its family.
    Stop,
    /// START and its family.
    Start,
}

/// The words that opt a customer out and back in: Twilio's own, which it acts on whatever the
/// app says, plus any a team adds in Settings (another language, a word its customers use).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keywords {
    /// Opt-out words, upper case.
    pub stop: Vec<String>,
    /// Opt-in words, upper case.
    pub start: Vec<String>,
}

impl Default for Keywords {
    fn default() -> Self {
        Self {
            stop: STOP_WORDS.iter().map(|w| (*w).to_string()).collect(),
            start: START_WORDS.iter().map(|w| (*w).to_string()).collect(),
        }
    }
}

impl Keywords {
    /// Twilio's words plus `extra_stop` and `extra_start` (upper-cased, blanks and repeats
    /// dropped).
    pub fn with_extra(extra_stop: &[String], extra_start: &[String]) -> Self {
        let mut k = Self::default();
        for (list, extra) in [(&mut k.stop, extra_stop), (&mut k.start, extra_start)] {
            for w in extra {
                let w = w.trim().to_uppercase();
                if !w.is_empty() && !list.contains(&w) {
                    list.push(w);
                }
            }
        }
        k
    }

    /// The keyword a message is, if it is one: the whole text, any case, surrounding spaces
    /// and punctuation aside ("Stop." counts; "please stop texting me" is a message for a
    /// person).
    pub fn of(&self, body: &str) -> Option<Keyword> {
        let word = body
            .trim()
            .trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace())
            .to_uppercase();
        if self.stop.contains(&word) {
            Some(Keyword::Stop)
        } else if self.start.contains(&word) {
            Some(Keyword::Start)
        } else {
            None
        }
    }
}

/// The keyword a message is with the default words ([`Keywords::of`]).
pub fn keyword(body: &str) -> Option<Keyword> {
    Keywords::default().of(body)
}

/// Remembers what a failure code says about the number; returns the mark it set. An opt-out
/// is never replaced by another mark: only the customer can lift it.
pub async fn learn_from_failure(
    conn: &mut SqliteConnection,
    number: &str,
    code: &str,
) -> Result<Option<NumberMark>> {
    let Some(mark) = catalogue::explain(code).marks else {
        return Ok(None);
    };
    let current = contacts::mark_of(conn, number).await?;
    if current
        .as_ref()
        .is_some_and(|c| c.mark == NumberMark::OptedOut)
    {
        return Ok(None);
    }
    contacts::set_mark(conn, number, Some((mark, code))).await?;
    Ok(Some(mark))
}

/// Applies a customer's STOP or START; returns the keyword when the message was one.
pub async fn learn_from_inbound(
    conn: &mut SqliteConnection,
    from: &str,
    body: &str,
    keywords: &Keywords,
) -> Result<Option<Keyword>> {
    let Some(kw) = keywords.of(body) else {
        return Ok(None);
    };
    let word = body.trim().to_ascii_uppercase();
    match kw {
        Keyword::Stop => {
            contacts::set_mark(conn, from, Some((NumberMark::OptedOut, &word))).await?;
        }
        Keyword::Start => {
            let current = contacts::mark_of(conn, from).await?;
            if current.is_some_and(|c| c.mark == NumberMark::OptedOut) {
                contacts::set_mark(conn, from, None).await?;
            }
        }
    }
    Ok(Some(kw))
}

/// A person says the number is a landline (after a failure that suggests it).
pub async fn mark_landline(conn: &mut SqliteConnection, number: &str) -> Result<()> {
    let current = contacts::mark_of(conn, number).await?;
    if current.is_some_and(|c| c.mark == NumberMark::OptedOut) {
        return Ok(());
    }
    contacts::set_mark(conn, number, Some((NumberMark::Landline, "marked by you"))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_are_whole_messages_in_any_case() {
        assert_eq!(keyword("STOP"), Some(Keyword::Stop));
        assert_eq!(keyword("  stop. "), Some(Keyword::Stop));
        assert_eq!(keyword("Unsubscribe"), Some(Keyword::Stop));
        assert_eq!(keyword("start"), Some(Keyword::Start));
        assert_eq!(keyword("please stop texting me"), None);
        assert_eq!(keyword("Stopped by the shop"), None);
        assert_eq!(keyword(""), None);
    }

    #[test]
    fn added_words_count_in_any_case() {
        let k = Keywords::with_extra(&[" arrêt ".into(), "".into()], &["go".into()]);
        assert_eq!(k.stop.len(), STOP_WORDS.len() + 1);
        assert_eq!(k.of("arrêt"), Some(Keyword::Stop));
        assert_eq!(
            k.of("cancel"),
            Some(Keyword::Stop),
            "Twilio's own always count"
        );
        assert_eq!(k.of("Go!"), Some(Keyword::Start));
        assert_eq!(keyword("arrêt"), None, "not a default word");
    }
}
