//! What a desktop notification says about customers' new messages: who wrote and to which of
//! our numbers, the text cut short and made safe for notification servers that render markup,
//! or the title alone when the text must not show (a lock screen). A burst becomes one
//! notification. The shell only shows what this builds.

use chrono::{DateTime, TimeDelta, Utc};

/// The most characters of a message a notification shows.
pub const TEXT_CHARS: usize = 120;

/// Messages older than this when they arrive are history being caught up on, not news.
pub const NEWS_AGE: TimeDelta = TimeDelta::minutes(10);

/// A customer's new message, as the sync stored it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrival {
    /// The conversation it landed in.
    pub conversation_id: i64,
    /// The customer's name, when the contact has one.
    pub contact_name: Option<String>,
    /// The customer's number (E.164).
    pub from: String,
    /// Our number it was sent to.
    pub sender_number: String,
    /// That number's label (a location), when it has one.
    pub sender_label: Option<String>,
    /// The text.
    pub body: String,
    /// When the provider received it.
    pub at: DateTime<Utc>,
}

impl Arrival {
    /// Whether it is news at `now` (not history synced late).
    pub fn is_news(&self, now: DateTime<Utc>) -> bool {
        now - self.at <= NEWS_AGE
    }

    /// Who wrote: the contact's name, else their number as people write it.
    fn who(&self) -> String {
        self.contact_name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| crate::number::display(&self.from))
    }
}

/// A notification to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// The first line.
    pub title: String,
    /// The text under it; `None` shows the title alone.
    pub body: Option<String>,
    /// The conversation a click opens; `None` for a burst over several (the inbox opens).
    pub conversation_id: Option<i64>,
}

/// The one notification for `arrivals` (a burst gathered together), or `None` for none.
/// With `show_text` off it is the title alone: who wrote, and how many.
pub fn notice(arrivals: &[Arrival], show_text: bool) -> Option<Notice> {
    let first = arrivals.first()?;
    let mut conversations: Vec<i64> = arrivals.iter().map(|a| a.conversation_id).collect();
    conversations.sort_unstable();
    conversations.dedup();
    let conversation_id = (conversations.len() == 1).then_some(first.conversation_id);
    if let [only] = arrivals {
        let to = only
            .sender_label
            .clone()
            .filter(|l| !l.trim().is_empty())
            .unwrap_or_else(|| crate::number::display(&only.sender_number));
        return Some(Notice {
            title: format!("{} · {}", only.who(), to),
            body: show_text.then(|| safe_text(&only.body)),
            conversation_id,
        });
    }
    let mut people: Vec<String> = Vec::new();
    for a in arrivals {
        let who = a.who();
        if !people.contains(&who) {
            people.push(who);
        }
    }
    let title = match people.as_slice() {
        [one] => format!("{} new messages from {one}", arrivals.len()),
        _ => format!(
            "{} new messages from {} customers",
            arrivals.len(),
            people.len()
        ),
    };
    let body = match people.as_slice() {
        [_] => arrivals
            .last()
            .map(|a| safe_text(&a.body))
            .filter(|_| show_text),
        [a, b] => Some(escape(&format!("{a} and {b}"))),
        [a, b, rest @ ..] => Some(escape(&format!("{a}, {b} and {} more", rest.len()))),
        [] => None,
    };
    Some(Notice {
        title: escape(&title),
        body: body.filter(|_| show_text),
        conversation_id,
    })
}

/// A message's text for a notification: on one line, at most [`TEXT_CHARS`] characters, markup
/// escaped.
fn safe_text(body: &str) -> String {
    let line = body.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut = if line.chars().count() > TEXT_CHARS {
        let kept: String = line.chars().take(TEXT_CHARS - 1).collect();
        format!("{}…", kept.trim_end())
    } else {
        line
    };
    escape(&cut)
}

/// Markup made inert: some notification servers render a subset of HTML in the body.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arrival(conversation_id: i64, name: Option<&str>, from: &str, body: &str) -> Arrival {
        Arrival {
            conversation_id,
            contact_name: name.map(str::to_string),
            from: from.into(),
            sender_number: "+14155550100".into(),
            sender_label: Some("Main office".into()),
            body: body.into(),
            at: DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default(),
        }
    }

    #[test]
    fn one_message_names_the_contact_and_our_number() {
        let n = notice(
            &[arrival(
                7,
                Some("Maya Chen"),
                "+13125550142",
                "See you at 5",
            )],
            true,
        )
        .unwrap();
        assert_eq!(n.title, "Maya Chen · Main office");
        assert_eq!(n.body.as_deref(), Some("See you at 5"));
        assert_eq!(n.conversation_id, Some(7));
        // Without a name, the number as people write it; without a label, our number.
        let mut a = arrival(7, None, "+13125550142", "hi");
        a.sender_label = None;
        let n = notice(&[a], true).unwrap();
        assert_eq!(n.title, "+1 312-555-0142 · +1 415-555-0100");
    }

    #[test]
    fn text_is_cut_and_its_markup_made_inert() {
        let long = format!("<b>Hi</b> & {}", "x".repeat(300));
        let body = notice(&[arrival(1, None, "+13125550142", &long)], true)
            .unwrap()
            .body
            .unwrap();
        assert!(
            body.starts_with("&lt;b&gt;Hi&lt;/b&gt; &amp; xxx"),
            "{body}"
        );
        assert!(body.ends_with('…'));
        assert!(!body.contains('<') && !body.contains('>'));
        // Cut at 120 characters of the text, before escaping.
        let plain = notice(&[arrival(1, None, "+1", &"y".repeat(300))], true)
            .unwrap()
            .body
            .unwrap();
        assert_eq!(plain.chars().count(), TEXT_CHARS);
        let lines = notice(&[arrival(1, None, "+1", "a\nb\r\n  c")], true)
            .unwrap()
            .body
            .unwrap();
        assert_eq!(lines, "a b c");
    }

    #[test]
    fn a_burst_is_one_notification() {
        let mut burst = Vec::new();
        for i in 0..12 {
            let who = ["Ana", "Ben", "Cleo", "Dev", "Eli"][i % 5];
            burst.push(arrival(
                i as i64 % 5,
                Some(who),
                "+1",
                &format!("message {i}"),
            ));
        }
        let n = notice(&burst, true).unwrap();
        assert_eq!(n.title, "12 new messages from 5 customers");
        assert_eq!(n.body.as_deref(), Some("Ana, Ben and 3 more"));
        assert_eq!(
            n.conversation_id, None,
            "several conversations: the inbox opens"
        );
        let from_one: Vec<Arrival> = (0..3)
            .map(|i| arrival(4, Some("Maya"), "+1", &format!("part {i}")))
            .collect();
        let n = notice(&from_one, true).unwrap();
        assert_eq!(n.title, "3 new messages from Maya");
        assert_eq!(n.body.as_deref(), Some("part 2"));
        assert_eq!(n.conversation_id, Some(4));
        assert_eq!(notice(&[], true), None);
    }

    #[test]
    fn with_text_hidden_only_the_title_shows() {
        let one = notice(&[arrival(7, Some("Maya"), "+1", "secret")], false).unwrap();
        assert_eq!(one.body, None);
        let burst: Vec<Arrival> = (0..3)
            .map(|i| arrival(4, Some("Maya"), "+1", &format!("secret {i}")))
            .collect();
        let n = notice(&burst, false).unwrap();
        assert_eq!(n.body, None);
        assert!(!n.title.contains("secret"));
    }

    #[test]
    fn only_news_is_notified() {
        let a = arrival(1, None, "+1", "x");
        assert!(a.is_news(a.at + TimeDelta::minutes(9)));
        assert!(!a.is_news(a.at + TimeDelta::minutes(11)));
    }
}
