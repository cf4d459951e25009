//! Number memory: what a failure or a customer's keyword says about their number, kept on the
//! contact so the next send is stopped before it fails the same way.

use sqlx::SqliteConnection;

use crate::catalogue::{self, NumberMark};
use crate::error::Result;
use crate::store::contacts;

/// Inbound words that opt a customer out (carriers and Twilio honour these for long codes).
const STOP_WORDS: &[&str] = &[
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
const START_WORDS: &[&str] = &["START", "YES", "UNSTOP"];

/// An opt-out or opt-in keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    /// STOP and its family.
    Stop,
    /// START and its family.
    Start,
}

/// The keyword a message is, if it is one: the whole text, any case, surrounding spaces and
/// punctuation aside ("Stop." counts; "please stop texting me" is a message for a person).
pub fn keyword(body: &str) -> Option<Keyword> {
    let word = body
        .trim()
        .trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace())
        .to_ascii_uppercase();
    if STOP_WORDS.contains(&word.as_str()) {
        Some(Keyword::Stop)
    } else if START_WORDS.contains(&word.as_str()) {
        Some(Keyword::Start)
    } else {
        None
    }
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
) -> Result<Option<Keyword>> {
    let Some(kw) = keyword(body) else {
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
}
