//! Checks before sending: one function that the composer calls as the user types and the outbox
//! calls again at send. Each finding blocks the send, asks for a confirmation, or is a note.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::SqliteConnection;

use crate::catalogue::NumberMark;
use crate::domain::from_millis;
use crate::error::{CoreError, Result};
use crate::number::{self, LineKind, NumberInfo};
use crate::recipient_time::{self, QuietHours, RecipientTime};
use crate::store::contacts::{self, Mark};
use crate::text::{self, TextReport};

/// Code of a queued message held back because its number opted out before it went.
pub const OPTED_OUT_WHILE_QUEUED: &str = "opted_out_while_queued";
/// Code of a queued message held back because its number was marked after it was queued.
pub const MARKED_WHILE_QUEUED: &str = "marked_while_queued";

/// The longest body the provider takes, in characters.
pub const MAX_BODY_CHARS: usize = 1600;

/// Hosts of link shorteners, which carriers often filter as spam.
const SHORTENERS: &[&str] = &[
    "bit.ly",
    "tinyurl.com",
    "goo.gl",
    "t.co",
    "ow.ly",
    "is.gd",
    "buff.ly",
    "rebrand.ly",
    "cutt.ly",
    "shorturl.at",
    "tiny.cc",
    "rb.gy",
];

/// How much a finding stands in the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing; sending goes ahead.
    Note,
    /// Sending needs a deliberate "send anyway".
    Confirm,
    /// Sending is refused until it is fixed.
    Block,
}

/// One thing the checks found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// How much it stands in the way.
    pub severity: Severity,
    /// Stable code the window switches on.
    pub code: &'static str,
    /// What was found.
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

/// The settings the checks follow (from `config.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckSettings {
    /// Region assumed for numbers typed without a country code (ISO code).
    pub default_region: String,
    /// Countries (ISO codes) texts may go to; empty allows all.
    pub allowed_countries: Vec<String>,
    /// The same text to the same number within this window asks for a confirmation (a failed
    /// one does not count: resending it is the point).
    pub duplicate_window: Duration,
    /// Hours of the recipient's day when a text asks for a confirmation; `None` never does.
    pub quiet_hours: Option<QuietHours>,
}

/// The defaults of everything but the clock: no quiet hours, so that what a check says does
/// not depend on the time of day it runs. The app's settings file turns them on
/// ([`QuietHours::DEFAULT`]).
impl Default for CheckSettings {
    fn default() -> Self {
        Self {
            default_region: number::DEFAULT_REGION.into(),
            allowed_countries: Vec::new(),
            duplicate_window: Duration::from_secs(600),
            quiet_hours: None,
        }
    }
}

/// A message being written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Draft {
    /// The recipient as typed (or the conversation's).
    pub to: String,
    /// Our number it goes from.
    pub from: Option<String>,
    /// The text.
    pub body: String,
}

/// What the checks know beyond the draft: the store's memory of the number and of recent sends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// The mark on the recipient's number.
    pub mark: Option<Mark>,
    /// The same text to the same number lately: when, and by whom.
    pub recent_duplicate: Option<(DateTime<Utc>, Option<String>)>,
    /// Now.
    pub now: DateTime<Utc>,
}

/// Everything the checks found, with the facts the composer shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// The findings, most serious first.
    pub findings: Vec<Finding>,
    /// The recipient as understood, when it parses.
    pub number: Option<NumberInfo>,
    /// The recipient's local time, when their number tells where they are.
    pub recipient_time: Option<RecipientTime>,
    /// The text's encoding, segments and culprits.
    pub text: TextReport,
}

impl CheckReport {
    /// The first finding that blocks, if any.
    pub fn blocker(&self) -> Option<&Finding> {
        self.findings.iter().find(|f| f.severity == Severity::Block)
    }

    /// The findings that need a "send anyway".
    pub fn confirmations(&self) -> Vec<&Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Confirm)
            .collect()
    }
}

fn finding(severity: Severity, code: &'static str, message: String, fix: &str) -> Finding {
    Finding {
        severity,
        code,
        message,
        fix: fix.to_string(),
    }
}

/// The check a queued message meets again when the outbox takes it, since it may have waited
/// (a paced bulk resend, no connection): a number that opted out since, or was marked after
/// the message was queued (a mark known then was confirmed with "send anyway"), holds it back.
/// Returns the code to fail it with, or `None` to send.
pub fn held_back_at_send(mark: Option<&Mark>, queued_at: DateTime<Utc>) -> Option<&'static str> {
    let mark = mark?;
    if mark.mark == NumberMark::OptedOut {
        return Some(OPTED_OUT_WHILE_QUEUED);
    }
    // Stored times have whole seconds: a mark in the second the message was queued was there.
    let queued_ms = queued_at.timestamp_millis() + 999;
    (mark.at_ms > queued_ms).then_some(MARKED_WHILE_QUEUED)
}

/// Runs every check on a draft. Pure: the store's part comes in `ctx`.
pub fn evaluate(draft: &Draft, ctx: &Context, settings: &CheckSettings) -> CheckReport {
    let mut findings = Vec::new();
    let number = check_number(draft, ctx, settings, &mut findings);
    let recipient_time = number
        .as_ref()
        .and_then(|info| recipient_time::at(info, ctx.now));
    if let (Some(time), Some(hours)) = (&recipient_time, &settings.quiet_hours) {
        if time.quiet(hours) {
            findings.push(finding(
                Severity::Confirm,
                "quiet_hours",
                format!(
                    "It is {} for the recipient, within your quiet hours ({}).",
                    time.describe(),
                    hours.describe()
                ),
                "Send it later in their day, or send anyway if they expect to hear from you now.",
            ));
        }
    }
    let text = check_text(&draft.body, &mut findings);
    if let Some((at, author)) = &ctx.recent_duplicate {
        let minutes = (ctx.now - *at).num_minutes().max(0);
        let by = author
            .as_deref()
            .map(|a| format!(" by {a}"))
            .unwrap_or_default();
        findings.push(finding(
            Severity::Confirm,
            "duplicate_recent",
            format!(
                "The same text went to this number {} ago{by}.",
                plural(minutes, "minute")
            ),
            "Make sure it is not a double send, or change the text.",
        ));
    }
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    CheckReport {
        findings,
        number,
        recipient_time,
        text,
    }
}

fn plural(n: i64, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn check_number(
    draft: &Draft,
    ctx: &Context,
    settings: &CheckSettings,
    findings: &mut Vec<Finding>,
) -> Option<NumberInfo> {
    use Severity::*;
    let typed = draft.to.trim();
    if typed.is_empty() {
        findings.push(finding(
            Block,
            "number_missing",
            "There is no recipient yet.".into(),
            "Type the customer's number.",
        ));
        return None;
    }
    if number::is_short_code(typed) {
        findings.push(finding(
            Block,
            "number_short_code",
            format!("{typed} is a short code; a regular number can't text it."),
            "Use the customer's own mobile number.",
        ));
        return None;
    }
    let info = match number::inspect(typed, &settings.default_region) {
        Ok(info) => info,
        Err(_) => {
            findings.push(finding(
                Block,
                "number_impossible",
                format!("“{typed}” is not a phone number."),
                "Type the number with its country code, e.g. +1 415 555 0100.",
            ));
            return None;
        }
    };
    let country = info.country.clone().unwrap_or_default();
    if !info.valid {
        findings.push(finding(
            Confirm,
            "number_invalid",
            format!(
                "{} is not in use in its country's numbering plan.",
                info.e164
            ),
            "Check the digits and the country code; send anyway only if you are sure.",
        ));
    }
    if let Some(from) = draft.from.as_deref() {
        if number::normalise(from).ok().as_deref() == Some(info.e164.as_str()) {
            findings.push(finding(
                Block,
                "number_same_as_sender",
                "The recipient is the number it would be sent from.".into(),
                "Send to the customer's number.",
            ));
        }
    }
    if !settings.allowed_countries.is_empty()
        && !settings
            .allowed_countries
            .iter()
            .any(|c| c.eq_ignore_ascii_case(&country))
    {
        findings.push(finding(
            Block,
            "country_not_allowed",
            format!(
                "{} goes to {}, which is not in the allowed countries.",
                info.e164,
                if country.is_empty() {
                    "an unknown country"
                } else {
                    &country
                }
            ),
            "Add the country to allowed_countries in the settings file, or use another number.",
        ));
    } else if !country.is_empty() && !country.eq_ignore_ascii_case(&settings.default_region) {
        findings.push(finding(
            Note,
            "number_international",
            format!("{} goes abroad ({country}).", info.e164),
            "International texts cost more; check that is intended.",
        ));
    }
    if info.kind == Some(LineKind::FixedLine) {
        findings.push(finding(
            Confirm,
            "number_looks_landline",
            format!("{} looks like a landline.", info.e164),
            "Landlines usually can't receive texts; ask for a mobile number.",
        ));
    }
    if let Some(mark) = &ctx.mark {
        let when = from_millis(mark.at_ms).format("%-d %b %Y");
        let message = format!(
            "{} {} ({} on {when}).",
            info.e164,
            mark.mark.describe(),
            if mark.code.chars().all(|c| c.is_ascii_digit()) {
                format!("error {}", mark.code)
            } else {
                mark.code.clone()
            }
        );
        if mark.mark == NumberMark::OptedOut {
            findings.push(finding(
                Block,
                "number_opted_out",
                message,
                "Only the customer can undo this by texting START; reach them another way.",
            ));
        } else {
            findings.push(finding(
                Confirm,
                "number_marked",
                message,
                "Correct the number, or send anyway if you know it works now.",
            ));
        }
    }
    Some(info)
}

fn check_text(body: &str, findings: &mut Vec<Finding>) -> TextReport {
    use Severity::*;
    let report = text::report(body);
    let trimmed = body.trim();
    if trimmed.is_empty() {
        findings.push(finding(
            Block,
            "body_empty",
            "The message is empty.".into(),
            "Write something before sending.",
        ));
    }
    let chars = body.chars().count();
    if chars > MAX_BODY_CHARS {
        findings.push(finding(
            Block,
            "body_too_long",
            format!("The message is {chars} characters; the limit is 1,600."),
            "Shorten it, or split it into two messages.",
        ));
    }
    if !report.forcing.is_empty() {
        let mut shown: Vec<String> = Vec::new();
        for f in &report.forcing {
            let c = format!("“{}”", f.ch);
            if !shown.contains(&c) && shown.len() < 5 {
                shown.push(c);
            }
        }
        let fix = match &report.gsm_safe {
            Some((_, after)) if after.segments < report.info.segments => format!(
                "Make it GSM-safe: {} instead of {}.",
                plural(i64::from(after.segments), "segment"),
                report.info.segments
            ),
            Some(_) => "Make it GSM-safe to send it as plain GSM-7.".to_string(),
            None => "These characters have no plain stand-in; keep them if they matter.".into(),
        };
        findings.push(finding(
            Note,
            "body_ucs2",
            format!(
                "{} make{} it UCS-2: 70 characters a segment instead of 160.",
                shown.join(" "),
                if report.forcing.len() == 1 { "s" } else { "" }
            ),
            &fix,
        ));
    }
    if let Some(field) = unfilled_field(body) {
        findings.push(finding(
            Block,
            "template_field_unfilled",
            format!("The field {field} is not filled in."),
            "Replace it with the customer's details.",
        ));
    }
    let lower = body.to_lowercase();
    if let Some(host) = SHORTENERS.iter().find(|h| {
        lower.match_indices(*h).any(|(i, _)| {
            i == 0 || !lower[..i].ends_with(|c: char| c.is_alphanumeric() || c == '.')
        })
    }) {
        findings.push(finding(
            Note,
            "link_shortener",
            format!("The link shortener {host} is often filtered as spam by carriers."),
            "Use the full link on your own domain.",
        ));
    }
    report
}

/// The first `{{field}}` left in a body.
fn unfilled_field(body: &str) -> Option<&str> {
    let start = body.find("{{")?;
    let end = body[start..].find("}}")? + start + 2;
    Some(&body[start..end])
}

/// Gathers what the store knows about a draft's recipient, then evaluates it.
pub async fn check(
    conn: &mut SqliteConnection,
    draft: &Draft,
    settings: &CheckSettings,
) -> Result<CheckReport> {
    let now = Utc::now();
    let mut ctx = Context {
        now,
        ..Context::default()
    };
    if let Ok(info) = number::inspect(&draft.to, &settings.default_region) {
        ctx.mark = contacts::mark_of(conn, &info.e164).await?;
        let since = now.timestamp_millis()
            - i64::try_from(settings.duplicate_window.as_millis()).unwrap_or(i64::MAX);
        let recent: Option<(i64, Option<String>)> = sqlx::query_as(
            "SELECT m.created_at, tm.name FROM messages m
             LEFT JOIN team_members tm ON tm.id = m.author_id
             WHERE m.direction = 'outbound' AND m.to_number = ?1 AND m.body = ?2
                 AND m.created_at >= ?3 AND m.status NOT IN ('failed', 'undelivered')
             ORDER BY m.created_at DESC LIMIT 1",
        )
        .bind(&info.e164)
        .bind(draft.body.trim_end())
        .bind(since)
        .fetch_optional(&mut *conn)
        .await?;
        ctx.recent_duplicate = recent.map(|(at, who)| (from_millis(at), who));
    }
    Ok(evaluate(draft, &ctx, settings))
}

/// Turns a report into the error a send gets: the first blocker, or the confirmations still
/// needed.
pub fn enforce(report: &CheckReport, confirmed: bool) -> Result<()> {
    if let Some(block) = report.blocker() {
        return Err(CoreError::Blocked {
            code: block.code,
            message: block.message.clone(),
            fix: block.fix.clone(),
        });
    }
    let confirmations = report.confirmations();
    if !confirmed && !confirmations.is_empty() {
        return Err(CoreError::NeedsConfirmation {
            findings: confirmations.iter().map(|f| f.message.clone()).collect(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(to: &str, body: &str) -> Draft {
        Draft {
            to: to.into(),
            from: Some("+14155550100".into()),
            body: body.into(),
        }
    }

    #[test]
    fn a_queued_message_is_held_back_by_an_opt_out_or_a_mark_that_came_after_it() {
        let queued = DateTime::from_timestamp(1_800_000_000, 0).unwrap_or_default();
        let at = |secs: i64, mark: NumberMark| Mark {
            mark,
            code: "x".into(),
            at_ms: (1_800_000_000 + secs) * 1000,
        };
        assert_eq!(held_back_at_send(None, queued), None);
        // An opt-out always holds it back: queued after one, it would have been refused then.
        for secs in [-60, 0, 60] {
            assert_eq!(
                held_back_at_send(Some(&at(secs, NumberMark::OptedOut)), queued),
                Some(OPTED_OUT_WHILE_QUEUED)
            );
        }
        // A mark known when it was queued was confirmed with "send anyway"; a later one was not.
        assert_eq!(
            held_back_at_send(Some(&at(-60, NumberMark::Landline)), queued),
            None
        );
        assert_eq!(
            held_back_at_send(Some(&at(0, NumberMark::Landline)), queued),
            None
        );
        assert_eq!(
            held_back_at_send(Some(&at(60, NumberMark::Landline)), queued),
            Some(MARKED_WHILE_QUEUED)
        );
    }

    fn codes(report: &CheckReport) -> Vec<(&'static str, Severity)> {
        report
            .findings
            .iter()
            .map(|f| (f.code, f.severity))
            .collect()
    }

    fn run(d: &Draft) -> CheckReport {
        evaluate(d, &Context::default(), &CheckSettings::default())
    }

    #[test]
    fn a_good_draft_has_no_findings() {
        let r = run(&draft("(212) 555-0142", "Your table is ready."));
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        assert_eq!(r.number.unwrap().e164, "+12125550142");
    }

    #[test]
    fn number_findings() {
        use Severity::*;
        assert_eq!(
            codes(&run(&draft("", "hi"))),
            vec![("number_missing", Block)]
        );
        assert_eq!(
            codes(&run(&draft("hello", "hi"))),
            vec![("number_impossible", Block)]
        );
        assert_eq!(
            codes(&run(&draft("12345", "hi"))),
            vec![("number_short_code", Block)]
        );
        assert_eq!(
            codes(&run(&draft("+1 415 555 0100", "hi"))),
            vec![("number_same_as_sender", Block)]
        );
        assert_eq!(
            codes(&run(&draft("+1 555 010 0003", "hi"))),
            vec![("number_invalid", Confirm)]
        );
        assert_eq!(
            codes(&run(&draft("+44 7400 123456", "hi"))),
            vec![("number_international", Note)]
        );
        let only_us = CheckSettings {
            allowed_countries: vec!["us".into(), "CA".into()],
            ..CheckSettings::default()
        };
        let r = evaluate(
            &draft("+44 7400 123456", "hi"),
            &Context::default(),
            &only_us,
        );
        assert_eq!(codes(&r), vec![("country_not_allowed", Block)]);
        let r = evaluate(
            &draft("+1 416 555 0123", "hi"),
            &Context::default(),
            &only_us,
        );
        assert_eq!(
            codes(&r),
            vec![("number_international", Note)],
            "allowed, abroad"
        );
        assert_eq!(
            codes(&run(&draft("+44 20 7946 0018", "hi"))),
            vec![
                ("number_looks_landline", Confirm),
                ("number_international", Note)
            ]
        );
    }

    #[test]
    fn marked_numbers_ask_and_opted_out_ones_refuse() {
        let mut ctx = Context {
            mark: Some(Mark {
                mark: NumberMark::Landline,
                code: "30006".into(),
                at_ms: 1_780_000_000_000,
            }),
            ..Context::default()
        };
        let r = evaluate(
            &draft("+12125550142", "hi"),
            &ctx,
            &CheckSettings::default(),
        );
        assert_eq!(codes(&r), vec![("number_marked", Severity::Confirm)]);
        assert!(r.findings[0].message.contains("is a landline (error 30006"));
        assert!(enforce(&r, false).is_err());
        assert!(
            enforce(&r, true).is_ok(),
            "a person may send past a landline mark"
        );

        ctx.mark = Some(Mark {
            mark: NumberMark::OptedOut,
            code: "STOP".into(),
            at_ms: 1_780_000_000_000,
        });
        let r = evaluate(
            &draft("+12125550142", "hi"),
            &ctx,
            &CheckSettings::default(),
        );
        assert_eq!(codes(&r), vec![("number_opted_out", Severity::Block)]);
        assert_eq!(
            enforce(&r, true).unwrap_err().code(),
            "number_opted_out",
            "no confirmation sends past an opt-out"
        );
    }

    #[test]
    fn text_findings() {
        use Severity::*;
        let to = "+12125550142";
        assert_eq!(codes(&run(&draft(to, "  "))), vec![("body_empty", Block)]);
        assert_eq!(
            codes(&run(&draft(to, &"a".repeat(1601)))),
            vec![("body_too_long", Block)]
        );
        let r = run(&draft(to, &format!("{}’", "a".repeat(79))));
        assert_eq!(codes(&r), vec![("body_ucs2", Note)]);
        assert!(r.findings[0].message.starts_with("“’” makes it UCS-2"));
        assert_eq!(
            r.findings[0].fix,
            "Make it GSM-safe: 1 segment instead of 2."
        );
        assert_eq!(
            codes(&run(&draft(to, "Hi {{first_name}}, your order is ready"))),
            vec![("template_field_unfilled", Block)]
        );
        assert_eq!(
            codes(&run(&draft(to, "Track it at https://bit.ly/abc"))),
            vec![("link_shortener", Note)]
        );
        assert!(run(&draft(to, "See https://orbit.lyons.example/x"))
            .findings
            .is_empty());
    }

    #[test]
    fn a_recent_identical_send_asks_with_context() {
        let now = Utc::now();
        let ctx = Context {
            recent_duplicate: Some((now - chrono::TimeDelta::minutes(3), Some("Dana".into()))),
            now,
            ..Context::default()
        };
        let r = evaluate(
            &draft("+12125550142", "hi"),
            &ctx,
            &CheckSettings::default(),
        );
        assert_eq!(codes(&r), vec![("duplicate_recent", Severity::Confirm)]);
        assert_eq!(
            r.findings[0].message,
            "The same text went to this number 3 minutes ago by Dana."
        );
    }

    #[test]
    fn quiet_hours_ask_first_and_show_the_recipients_time() {
        use chrono::TimeZone;
        let settings = CheckSettings {
            quiet_hours: Some(QuietHours::DEFAULT),
            ..CheckSettings::default()
        };
        let at = |h, m| Context {
            now: Utc.with_ymd_and_hms(2026, 11, 27, h, m, 0).unwrap(),
            ..Context::default()
        };
        // 27 November: Chicago is on CST, UTC−6. 03:40 UTC is 9:40 PM there.
        let to = draft("+1 312 555 0142", "Your order is ready.");
        let late = evaluate(&to, &at(3, 40), &settings);
        assert_eq!(codes(&late), vec![("quiet_hours", Severity::Confirm)]);
        assert_eq!(
            late.findings[0].message,
            "It is 9:40 PM Central time for the recipient, within your quiet hours \
             (9:00 PM–8:00 AM)."
        );
        assert!(late.blocker().is_none());
        assert_eq!(late.confirmations().len(), 1);
        // 14:00 UTC is 8:00 AM in Chicago: fine again.
        let morning = evaluate(&to, &at(14, 0), &settings);
        assert!(morning.findings.is_empty(), "{:?}", morning.findings);
        assert_eq!(
            morning.recipient_time.map(|t| t.describe()).as_deref(),
            Some("8:00 AM Central time")
        );
        // The same instant is still night in Los Angeles (6:00 AM).
        let west = evaluate(&draft("+1 415 555 0142", "Hi"), &at(14, 0), &settings);
        assert_eq!(codes(&west), vec![("quiet_hours", Severity::Confirm)]);
        // Without quiet hours nothing is said, whatever the time.
        assert!(evaluate(&to, &at(3, 40), &CheckSettings::default())
            .findings
            .is_empty());
    }
}
