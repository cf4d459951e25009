//! Failure insights: how many outbound messages failed per day and by code, category,
//! destination country, template, sender number and agent over a window; the messages behind
//! any bar or row; and alerts for a code whose last 24 hours are well above its previous week,
//! naming what changed meanwhile (a template edited, a new sender number).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::Serialize;
use sqlx::SqlitePool;

use crate::catalogue::{self, Owner};
use crate::domain::{from_millis, to_millis};
use crate::error::{CoreError, Result};
use crate::number::{country_of_prefix, PREFIX};

const DAY_MS: i64 = 86_400_000;
/// Statuses that count as a failure, as SQL.
macro_rules! failed_sql {
    () => {
        "status IN ('failed', 'undelivered')"
    };
}

/// The window insights look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// From (inclusive).
    pub since: DateTime<Utc>,
    /// Until (exclusive); alerts look at the 24 hours before it.
    pub until: DateTime<Utc>,
    /// The person's offset from UTC, so that days are their calendar days.
    pub utc_offset_minutes: i32,
}

/// More than a year is more than the screen shows and more than SQLite should scan per click.
const MAX_DAYS: u32 = 366;
/// An alert compares a code's last this many hours with the 7 days before; its failures are
/// opened over the same hours, the shortest window Insights shows.
pub const ALERT_HOURS: u32 = 24;
const HOUR_MS: i64 = 3_600_000;

impl Window {
    /// The last `days` days up to `now`, whole local days.
    pub fn last_days(days: u32, now: DateTime<Utc>, utc_offset_minutes: i32) -> Window {
        let offset = i64::from(utc_offset_minutes) * 60_000;
        let today_start = (to_millis(now) + offset).div_euclid(DAY_MS) * DAY_MS - offset;
        Window {
            since: from_millis(today_start - i64::from(days.max(1) - 1) * DAY_MS),
            until: now,
            utc_offset_minutes,
        }
    }

    /// The window the Insights screen asks for: the last `days` whole days, or only the last
    /// `last_hours` hours (up to an alert's), each within what the screen shows.
    pub fn asked(
        days: u32,
        last_hours: Option<u32>,
        now: DateTime<Utc>,
        utc_offset_minutes: i32,
    ) -> Result<Window> {
        if !(1..=MAX_DAYS).contains(&days) {
            return Err(CoreError::InvalidField {
                field: "days",
                problem: format!("{days} days is not a window Insights can show"),
                fix: format!("Pick between 1 and {MAX_DAYS} days."),
            });
        }
        match last_hours {
            None => Ok(Window::last_days(days, now, utc_offset_minutes)),
            Some(hours @ 1..=ALERT_HOURS) => Ok(Window::last_hours(hours, now, utc_offset_minutes)),
            Some(hours) => Err(CoreError::InvalidField {
                field: "last_hours",
                problem: format!("{hours} hours is not a window Insights can show"),
                fix: format!("Pick between 1 and {ALERT_HOURS} hours, or whole days."),
            }),
        }
    }

    /// The last `hours` hours up to `now`: an alert's window.
    pub fn last_hours(hours: u32, now: DateTime<Utc>, utc_offset_minutes: i32) -> Window {
        Window {
            since: from_millis(to_millis(now) - i64::from(hours.max(1)) * HOUR_MS),
            until: now,
            utc_offset_minutes,
        }
    }

    fn offset_ms(&self) -> i64 {
        i64::from(self.utc_offset_minutes) * 60_000
    }

    fn day_of(&self, at_ms: i64) -> i64 {
        (at_ms + self.offset_ms()).div_euclid(DAY_MS)
    }

    fn check(&self) -> Result<()> {
        if self.since >= self.until {
            return Err(CoreError::InvalidField {
                field: "since",
                problem: "the window ends before it starts".into(),
                fix: "Pick a start day before the end day.".into(),
            });
        }
        if !(-14 * 60..=14 * 60).contains(&self.utc_offset_minutes) {
            return Err(CoreError::InvalidField {
                field: "utc_offset_minutes",
                problem: format!("{} minutes is not a time zone", self.utc_offset_minutes),
                fix: "Give an offset between -14 and +14 hours.".into(),
            });
        }
        Ok(())
    }
}

/// Sent and failed outbound messages on one local day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayRate {
    /// The day.
    pub day: NaiveDate,
    /// Outbound messages written that day.
    pub sent: i64,
    /// Of those, how many failed.
    pub failed: i64,
}

/// One row of a breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// What the row is, for [`Slice`] (a code, an ISO country, a template or member id, a
    /// number); empty for "none" (no template, no author, no code, unknown country).
    pub key: String,
    /// What the row says.
    pub label: String,
    /// Outbound messages in the row (for codes and categories: all in the window).
    pub sent: i64,
    /// Failures in the row.
    pub failed: i64,
}

/// Which breakdown a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Everything in the window.
    All,
    /// A local day (`YYYY-MM-DD`).
    Day,
    /// An error code.
    Code,
    /// Whose move a code is ([`Owner`]).
    Category,
    /// The destination country (ISO code).
    Country,
    /// The template (its id).
    Template,
    /// Our number.
    Sender,
    /// The member who wrote it (their id).
    Agent,
}

impl Dimension {
    /// From the key the window uses.
    pub fn parse(s: &str) -> Option<Dimension> {
        Some(match s {
            "all" => Dimension::All,
            "day" => Dimension::Day,
            "code" => Dimension::Code,
            "category" => Dimension::Category,
            "country" => Dimension::Country,
            "template" => Dimension::Template,
            "sender" => Dimension::Sender,
            "agent" => Dimension::Agent,
            _ => return None,
        })
    }
}

/// What changed in the alert's 24 hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Change {
    /// A template used by the failures was created or edited.
    TemplateEdited {
        /// Its id.
        id: i64,
        /// Its name.
        name: String,
        /// When.
        at: DateTime<Utc>,
        /// Failures with the code sent from it in the 24 hours.
        failures: i64,
    },
    /// A sender number used by the failures appeared (the account had sent before it).
    NewSender {
        /// The number.
        number: String,
        /// Its label.
        label: Option<String>,
        /// When it appeared.
        at: DateTime<Utc>,
        /// Failures with the code sent from it in the 24 hours.
        failures: i64,
    },
}

/// A code failing far more in the last 24 hours than in the 7 days before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// The code.
    pub code: String,
    /// Its catalogue title.
    pub title: String,
    /// The recent window's length: [`ALERT_HOURS`].
    pub hours: u32,
    /// Failures with it in the last 24 hours.
    pub recent_failed: i64,
    /// Outbound messages in the last 24 hours.
    pub recent_sent: i64,
    /// Failures with it in the 7 days before.
    pub before_failed: i64,
    /// Outbound messages in those 7 days.
    pub before_sent: i64,
    /// What changed meanwhile, if anything.
    pub changes: Vec<Change>,
}

/// The Insights screen.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Insights {
    /// Every day of the window, oldest first, empty days included.
    pub days: Vec<DayRate>,
    /// Outbound messages in the window.
    pub sent: i64,
    /// Of those, failed.
    pub failed: i64,
    /// Failures by code, most first.
    pub by_code: Vec<Row>,
    /// Failures by whose move it is, most first.
    pub by_category: Vec<Row>,
    /// By destination country, most failures first.
    pub by_country: Vec<Row>,
    /// By template.
    pub by_template: Vec<Row>,
    /// By sender number.
    pub by_sender: Vec<Row>,
    /// By the member who wrote them.
    pub by_agent: Vec<Row>,
    /// Codes spiking in the 24 hours before the window's end.
    pub alerts: Vec<Alert>,
}

/// Whether a code's last 24 hours are "well above" its previous week: at least
/// [`ALERT_MIN_FAILURES`] failures, a rate at least twice the week's and at least 5 points
/// above it. Counts, not a statistical test: a team reads them in a glance.
pub fn is_spike(
    recent_failed: i64,
    recent_sent: i64,
    before_failed: i64,
    before_sent: i64,
) -> bool {
    if recent_failed < ALERT_MIN_FAILURES || recent_sent == 0 {
        return false;
    }
    let recent = recent_failed as f64 / recent_sent as f64;
    let before = if before_sent == 0 {
        0.0
    } else {
        before_failed as f64 / before_sent as f64
    };
    recent >= 2.0 * before && recent - before >= 0.05
}

/// Fewer failures than this in 24 hours never make an alert: one or two are noise.
pub const ALERT_MIN_FAILURES: i64 = 3;

fn category_key(owner: Owner) -> &'static str {
    match owner {
        Owner::You => "you",
        Owner::Customer => "customer",
        Owner::Carrier => "carrier",
        Owner::AccountOwner => "account_owner",
        Owner::Provider => "provider",
    }
}

fn code_owner(code: &str) -> Owner {
    catalogue::explain(code).owner
}

/// Counts over a span of time: `(sent, failed)` per template, sender, author and number
/// prefix (`''` for none), and failures per error code.
#[derive(Debug, Default)]
struct Tally {
    template: HashMap<String, (i64, i64)>,
    sender: HashMap<String, (i64, i64)>,
    author: HashMap<String, (i64, i64)>,
    prefix: HashMap<String, (i64, i64)>,
    codes: HashMap<String, i64>,
}

impl Tally {
    /// Adds one row of `outbound_daily` (migration 0013) or its equivalent from the messages.
    fn add(&mut self, kind: &str, key: String, sent: i64, failed: i64) {
        let map = match kind {
            "template" => &mut self.template,
            "sender" => &mut self.sender,
            "author" => &mut self.author,
            "prefix" => &mut self.prefix,
            "code" => {
                *self.codes.entry(key).or_default() += failed;
                return;
            }
            // A kind a later migration adds is not one of these breakdowns.
            _ => return,
        };
        let e = map.entry(key).or_default();
        e.0 += sent;
        e.1 += failed;
    }

    /// Every outbound message in the span (each has exactly one template key).
    fn sent(&self) -> i64 {
        self.template.values().map(|(s, _)| s).sum()
    }

    /// Failures per code, without codes whose failures all moved on.
    fn failed_codes(&self) -> impl Iterator<Item = (&String, i64)> {
        self.codes
            .iter()
            .map(|(k, f)| (k, *f))
            .filter(|(_, f)| *f > 0)
    }
}

/// `[since, until)` counted: whole UTC days from `outbound_daily`, which triggers keep
/// (migration 0013), and the partial days at either edge from the messages themselves, so the
/// answer is exact for any window while reading a few rows per day.
async fn tally(pool: &SqlitePool, since: i64, until: i64) -> Result<Tally> {
    let first_day = since.div_euclid(DAY_MS) + i64::from(since.rem_euclid(DAY_MS) != 0);
    let end_day = until.div_euclid(DAY_MS);
    let mut t = Tally::default();
    if first_day >= end_day {
        tally_messages(pool, &mut t, since, until).await?;
        return Ok(t);
    }
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT kind, key, SUM(sent), SUM(failed) FROM outbound_daily
         WHERE day >= ?1 AND day < ?2 GROUP BY kind, key",
    )
    .bind(first_day)
    .bind(end_day)
    .fetch_all(pool)
    .await?;
    for (kind, key, sent, failed) in rows {
        t.add(&kind, key, sent, failed);
    }
    tally_messages(pool, &mut t, since, first_day * DAY_MS).await?;
    tally_messages(pool, &mut t, end_day * DAY_MS, until).await?;
    Ok(t)
}

/// Adds `[since, until)` counted from the messages, grouped exactly as `outbound_daily` is.
async fn tally_messages(pool: &SqlitePool, t: &mut Tally, since: i64, until: i64) -> Result<()> {
    if since >= until {
        return Ok(());
    }
    let rows: Vec<(String, String, String, String, i64, i64)> = sqlx::query_as(concat!(
        "SELECT COALESCE(CAST(template_id AS TEXT), ''), COALESCE(from_number, ''),
             COALESCE(CAST(author_id AS TEXT), ''), COALESCE(substr(to_number, 1, 5), ''),
             COUNT(*), SUM(",
        failed_sql!(),
        ") FROM messages
         WHERE direction = 'outbound' AND created_at >= ?1 AND created_at < ?2
         GROUP BY 1, 2, 3, 4"
    ))
    .bind(since)
    .bind(until)
    .fetch_all(pool)
    .await?;
    for (template, sender, author, prefix, s, f) in rows {
        t.add("template", template, s, f);
        t.add("sender", sender, s, f);
        t.add("author", author, s, f);
        t.add("prefix", prefix, s, f);
    }
    let codes: Vec<(String, i64)> = sqlx::query_as(concat!(
        "SELECT COALESCE(error_code, ''), COUNT(*) FROM messages
         WHERE direction = 'outbound' AND created_at >= ?1 AND created_at < ?2 AND ",
        failed_sql!(),
        " GROUP BY 1"
    ))
    .bind(since)
    .bind(until)
    .fetch_all(pool)
    .await?;
    for (code, f) in codes {
        t.add("code", code, 0, f);
    }
    Ok(())
}

/// Sent and failed per local day of the window: a count over the time index for each day,
/// which reads the day's entries in order instead of sorting the whole window by day.
async fn per_day(pool: &SqlitePool, w: &Window) -> Result<BTreeMap<i64, (i64, i64)>> {
    let (since, until) = (to_millis(w.since), to_millis(w.until));
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(concat!(
        "WITH RECURSIVE days(d) AS (SELECT ?1 UNION ALL SELECT d + 1 FROM days WHERE d < ?2),
         spans(d, a, b) AS (
             SELECT d, max(d * 86400000 - ?3, ?4), min((d + 1) * 86400000 - ?3, ?5) FROM days)
         SELECT d,
             (SELECT COUNT(*) FROM messages
              WHERE direction = 'outbound' AND created_at >= a AND created_at < b),
             (SELECT COUNT(*) FROM messages
              WHERE direction = 'outbound' AND created_at >= a AND created_at < b AND ",
        failed_sql!(),
        ")
         FROM spans"
    ))
    .bind(w.day_of(since))
    .bind(w.day_of(until - 1))
    .bind(w.offset_ms())
    .bind(since)
    .bind(until)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(d, s, f)| (d, (s, f))).collect())
}

/// Most failures first, then most sent, then by label: the order every breakdown shows.
fn ranked(mut rows: Vec<Row>) -> Vec<Row> {
    rows.sort_by(|a, b| {
        b.failed
            .cmp(&a.failed)
            .then(b.sent.cmp(&a.sent))
            .then(a.label.cmp(&b.label))
    });
    rows
}

async fn names(pool: &SqlitePool, sql: &'static str) -> Result<HashMap<String, String>> {
    let rows: Vec<(String, String)> = sqlx::query_as(sql).fetch_all(pool).await?;
    Ok(rows.into_iter().collect())
}

/// The Insights screen's figures over the window.
pub async fn insights(pool: &SqlitePool, w: &Window) -> Result<Insights> {
    w.check()?;
    let per_day = per_day(pool, w).await?;
    let first = w.day_of(to_millis(w.since));
    let last = w.day_of(to_millis(w.until) - 1);
    let days = (first..=last)
        .map(|d| {
            let (sent, failed) = per_day.get(&d).copied().unwrap_or((0, 0));
            DayRate {
                day: epoch_day(d),
                sent,
                failed,
            }
        })
        .collect::<Vec<_>>();
    let sent: i64 = days.iter().map(|d| d.sent).sum();
    let failed: i64 = days.iter().map(|d| d.failed).sum();

    let tally = tally(pool, to_millis(w.since), to_millis(w.until)).await?;
    let by_code = ranked(
        tally
            .failed_codes()
            .map(|(code, f)| {
                let code = code.clone();
                let label = if code.is_empty() {
                    "No code".to_string()
                } else {
                    format!("{code} · {}", catalogue::explain(&code).title)
                };
                Row {
                    key: code,
                    label,
                    sent,
                    failed: f,
                }
            })
            .collect(),
    );
    let mut categories: BTreeMap<&'static str, (Owner, i64)> = BTreeMap::new();
    for (code, f) in tally.failed_codes() {
        let owner = code_owner(code);
        categories
            .entry(category_key(owner))
            .or_insert((owner, 0))
            .1 += f;
    }
    let by_category = ranked(
        categories
            .into_iter()
            .map(|(key, (owner, f))| Row {
                key: key.to_string(),
                label: owner.label().to_string(),
                sent,
                failed: f,
            })
            .collect(),
    );

    let fold = |map: &HashMap<String, (i64, i64)>| {
        map.iter()
            .map(|(k, (s, f))| (Some(k.clone()).filter(|k| !k.is_empty()), *s, *f))
            .collect::<Vec<_>>()
    };
    let mut countries: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for (prefix, s, f) in fold(&tally.prefix) {
        let country = prefix
            .as_deref()
            .and_then(country_of_prefix)
            .unwrap_or_default();
        let e = countries.entry(country).or_default();
        e.0 += s;
        e.1 += f;
    }
    let by_country = ranked(
        countries
            .into_iter()
            .map(|(key, (s, f))| Row {
                label: if key.is_empty() {
                    "Unknown".into()
                } else {
                    key.clone()
                },
                key,
                sent: s,
                failed: f,
            })
            .collect(),
    );

    let templates = names(pool, "SELECT CAST(id AS TEXT), name FROM templates").await?;
    let by_template = labelled(
        fold(&tally.template),
        |k| {
            templates
                .get(k)
                .cloned()
                .unwrap_or_else(|| format!("Template {k}"))
        },
        "No template",
    );
    let senders = names(
        pool,
        "SELECT number, COALESCE(label, number) FROM sender_numbers",
    )
    .await?;
    let by_sender = labelled(
        fold(&tally.sender),
        |k| match senders.get(k) {
            Some(label) if label != k => format!("{label} ({k})"),
            _ => k.to_string(),
        },
        "No sender",
    );
    let members = names(pool, "SELECT CAST(id AS TEXT), name FROM team_members").await?;
    let by_agent = labelled(
        fold(&tally.author),
        |k| {
            members
                .get(k)
                .cloned()
                .unwrap_or_else(|| format!("Member {k}"))
        },
        "Nobody (history, other tools)",
    );

    Ok(Insights {
        days,
        sent,
        failed,
        by_code,
        by_category,
        by_country,
        by_template,
        by_sender,
        by_agent,
        alerts: alerts(pool, w.until).await?,
    })
}

fn labelled(
    rows: Vec<(Option<String>, i64, i64)>,
    label: impl Fn(&str) -> String,
    none: &str,
) -> Vec<Row> {
    ranked(
        rows.into_iter()
            .map(|(key, s, f)| {
                let key = key.unwrap_or_default();
                Row {
                    label: if key.is_empty() {
                        none.to_string()
                    } else {
                        label(&key)
                    },
                    key,
                    sent: s,
                    failed: f,
                }
            })
            .collect(),
    )
}

fn epoch_day(d: i64) -> NaiveDate {
    DateTime::UNIX_EPOCH.date_naive() + TimeDelta::days(d)
}

/// Codes whose last 24 hours before `now` are well above the 7 days before ([`is_spike`]),
/// most failures first.
pub async fn alerts(pool: &SqlitePool, now: DateTime<Utc>) -> Result<Vec<Alert>> {
    let now_ms = to_millis(now);
    let cut = now_ms - i64::from(ALERT_HOURS) * HOUR_MS;
    let start = cut - 7 * DAY_MS;
    let recent = tally(pool, cut, now_ms).await?;
    let before = tally(pool, start, cut).await?;
    let (recent_sent, before_sent) = (recent.sent(), before.sent());
    let mut codes: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for (code, f) in recent.failed_codes() {
        codes.entry(code.clone()).or_default().0 += f;
    }
    for (code, f) in before.failed_codes() {
        codes.entry(code.clone()).or_default().1 += f;
    }
    let mut alerts = Vec::new();
    for (code, (recent, before)) in codes {
        if !is_spike(recent, recent_sent, before, before_sent) {
            continue;
        }
        alerts.push(Alert {
            title: catalogue::explain(&code).title.to_string(),
            changes: changes(pool, &code, cut, now_ms, before_sent > 0).await?,
            code,
            hours: ALERT_HOURS,
            recent_failed: recent,
            recent_sent,
            before_failed: before,
            before_sent,
        });
    }
    alerts.sort_by(|a, b| {
        b.recent_failed
            .cmp(&a.recent_failed)
            .then(a.code.cmp(&b.code))
    });
    Ok(alerts)
}

/// Templates edited and sender numbers added in `[cut, now)` that the code's failures there
/// came from. A sender only counts as new when the account sent before it (`had_history`):
/// on a fresh account every number is new and naming them says nothing.
async fn changes(
    pool: &SqlitePool,
    code: &str,
    cut: i64,
    now: i64,
    had_history: bool,
) -> Result<Vec<Change>> {
    let templates: Vec<(i64, String, i64, i64)> = sqlx::query_as(concat!(
        "SELECT t.id, t.name, t.updated_at, COUNT(*) FROM messages f
         JOIN templates t ON t.id = f.template_id
         WHERE f.direction = 'outbound' AND f.created_at >= ?2 AND f.created_at < ?3
           AND COALESCE(f.error_code, '') = ?1 AND f.",
        failed_sql!(),
        " AND t.updated_at >= ?2 AND t.updated_at < ?3
         GROUP BY t.id ORDER BY COUNT(*) DESC, t.id"
    ))
    .bind(code)
    .bind(cut)
    .bind(now)
    .fetch_all(pool)
    .await?;
    let mut out: Vec<Change> = templates
        .into_iter()
        .map(|(id, name, at, failures)| Change::TemplateEdited {
            id,
            name,
            at: from_millis(at),
            failures,
        })
        .collect();
    if had_history {
        let senders: Vec<(String, Option<String>, i64, i64)> = sqlx::query_as(concat!(
            "SELECT s.number, s.label, s.created_at, COUNT(*) FROM messages f
             JOIN sender_numbers s ON s.number = f.from_number
             WHERE f.direction = 'outbound' AND f.created_at >= ?2 AND f.created_at < ?3
               AND COALESCE(f.error_code, '') = ?1 AND f.",
            failed_sql!(),
            " AND s.created_at >= ?2 AND s.created_at < ?3
             GROUP BY s.id ORDER BY COUNT(*) DESC, s.id"
        ))
        .bind(code)
        .bind(cut)
        .bind(now)
        .fetch_all(pool)
        .await?;
        out.extend(
            senders
                .into_iter()
                .map(|(number, label, at, failures)| Change::NewSender {
                    number,
                    label,
                    at: from_millis(at),
                    failures,
                }),
        );
    }
    Ok(out)
}

/// One bar or row of the screen: the messages behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slice {
    /// The breakdown.
    pub dimension: Dimension,
    /// The row's key ([`Row::key`], or the day as `YYYY-MM-DD`).
    pub key: String,
    /// Only the failures.
    pub failed_only: bool,
}

/// A message behind a row, as the list under the chart shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SliceMessage {
    /// The message.
    pub id: i64,
    /// Its conversation, to open.
    pub conversation_id: i64,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// The customer's number.
    pub to: String,
    /// Their name, if known.
    pub contact_name: Option<String>,
    /// Our number.
    pub from: String,
    /// The text.
    pub body: String,
    /// Where it stands.
    pub status: String,
    /// Its error code.
    pub error_code: Option<String>,
}

/// At most this many messages behind a row, newest first.
pub const SLICE_LIMIT: usize = 500;

/// The messages behind a row (newest first, at most [`SLICE_LIMIT`]) and how many there are.
pub async fn slice(pool: &SqlitePool, w: &Window, s: &Slice) -> Result<(Vec<SliceMessage>, usize)> {
    w.check()?;
    type Candidate = (
        i64,
        i64,
        String,
        Option<String>,
        Option<i64>,
        String,
        Option<i64>,
        String,
    );
    // SQL narrows by what it can (a day's range, a code, template, sender or author); the
    // loop below applies the rule of every dimension, so both always agree.
    let (mut from, mut to) = (to_millis(w.since), to_millis(w.until));
    if s.dimension == Dimension::Day {
        if let Ok(day) = NaiveDate::parse_from_str(&s.key, "%Y-%m-%d") {
            let start =
                (day - DateTime::UNIX_EPOCH.date_naive()).num_days() * DAY_MS - w.offset_ms();
            from = from.max(start);
            to = to.min(start + DAY_MS);
        }
    }
    let exact = |d: Dimension| (s.dimension == d).then_some(s.key.as_str());
    let candidates: Vec<Candidate> = sqlx::query_as(concat!(
        "SELECT id, created_at, status, error_code, template_id, from_number, author_id, to_number
         FROM messages
         WHERE direction = 'outbound' AND created_at >= ?1 AND created_at < ?2
           AND (?3 = 0 OR ",
        failed_sql!(),
        ")
           AND (?4 IS NULL OR COALESCE(error_code, '') = ?4)
           AND (?5 IS NULL OR COALESCE(CAST(template_id AS TEXT), '') = ?5)
           AND (?6 IS NULL OR from_number = ?6)
           AND (?7 IS NULL OR COALESCE(CAST(author_id AS TEXT), '') = ?7)"
    ))
    .bind(from)
    .bind(to)
    .bind(s.failed_only)
    .bind(exact(Dimension::Code))
    .bind(exact(Dimension::Template))
    .bind(exact(Dimension::Sender))
    .bind(exact(Dimension::Agent))
    .fetch_all(pool)
    .await?;
    let key = s.key.as_str();
    let opt = |v: &Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut countries: HashMap<String, String> = HashMap::new();
    let mut ids: Vec<(i64, i64)> = Vec::new();
    for (id, at, status, code, template, from, author, to) in candidates {
        let failed = status == "failed" || status == "undelivered";
        if s.failed_only && !failed {
            continue;
        }
        let code = code.unwrap_or_default();
        let hit = match s.dimension {
            Dimension::All => true,
            Dimension::Day => epoch_day(w.day_of(at)).to_string() == key,
            Dimension::Code => failed && code == key,
            Dimension::Category => failed && category_key(code_owner(&code)) == key,
            Dimension::Country => {
                let prefix: String = to.chars().take(PREFIX).collect();
                let c = countries
                    .entry(prefix)
                    .or_insert_with_key(|p| country_of_prefix(p).unwrap_or_default());
                c == key
            }
            Dimension::Template => opt(&template) == key,
            Dimension::Sender => from == key,
            Dimension::Agent => opt(&author) == key,
        };
        if hit {
            ids.push((at, id));
        }
    }
    let total = ids.len();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids.truncate(SLICE_LIMIT);
    let ids: Vec<i64> = ids.into_iter().map(|(_, id)| id).collect();
    type Found = (
        i64,
        i64,
        i64,
        String,
        Option<String>,
        String,
        String,
        String,
        Option<String>,
    );
    let rows: Vec<Found> = sqlx::query_as(
        "SELECT m.id, m.conversation_id, m.created_at, m.to_number, ct.name, m.from_number,
             m.body, m.status, m.error_code
         FROM messages m
         JOIN conversations c ON c.id = m.conversation_id
         JOIN contacts ct ON ct.id = c.contact_id
         WHERE m.id IN (SELECT value FROM json_each(?1))
         ORDER BY m.created_at DESC, m.id DESC",
    )
    .bind(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into()))
    .fetch_all(pool)
    .await?;
    Ok((
        rows.into_iter()
            .map(|r| SliceMessage {
                id: r.0,
                conversation_id: r.1,
                created_at: from_millis(r.2),
                to: r.3,
                contact_name: r.4,
                from: r.5,
                body: r.6,
                status: r.7,
                error_code: r.8,
            })
            .collect(),
        total,
    ))
}

impl crate::Services {
    /// The Insights screen's figures.
    pub async fn insights(&self, w: &Window) -> Result<Insights> {
        insights(self.store.pool(), w).await
    }

    /// The messages behind one bar or row of Insights.
    pub async fn insight_messages(
        &self,
        w: &Window,
        s: &Slice,
    ) -> Result<(Vec<SliceMessage>, usize)> {
        slice(self.store.pool(), w, s).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `outbound_daily`, which triggers keep (migration 0013), against a direct count of the
    /// messages after inserts and changes of status and error code in random order, and the
    /// window's figures read through it against the same count over a window with ragged edges.
    #[tokio::test]
    async fn the_daily_counts_follow_every_change() {
        use rand::{Rng, SeedableRng};
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("db.sqlite"))
            .await
            .unwrap();
        let pool = store.pool();
        sqlx::query("INSERT INTO sender_numbers (number, created_at) VALUES ('+14155550100', 0)")
            .execute(pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO contacts (id, number, created_at, updated_at) VALUES (1, '+1', 0, 0)",
        )
        .execute(pool)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO conversations (id, contact_id, sender_id, last_activity_at, created_at)
             VALUES (1, 1, 1, 0, 0)",
        )
        .execute(pool)
        .await
        .unwrap();
        let mut rng = rand::rngs::StdRng::seed_from_u64(13);
        let statuses = ["queued", "sent", "delivered", "failed", "undelivered"];
        let codes = [None, Some("30003"), Some("30005"), Some("21211")];
        let senders = ["+14155550100", "+14155550199"];
        let recipients = ["+14155550123", "+442071234567", "+33612345678", ""];
        let mut ids: Vec<i64> = Vec::new();
        for _ in 0..800 {
            if ids.is_empty() || rng.random_range(0..10) < 5 {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO messages (conversation_id, direction, from_number, to_number,
                         body, status, error_code, segments, encoding, template_id, author_id,
                         created_at, updated_at)
                     VALUES (1, ?1, ?2, ?3, 'x', ?4, ?5, 1, 'GSM-7', NULL, NULL, ?6, ?6)
                     RETURNING id",
                )
                .bind(if rng.random_range(0..5) == 0 {
                    "inbound"
                } else {
                    "outbound"
                })
                .bind(senders[rng.random_range(0..senders.len())])
                .bind(recipients[rng.random_range(0..recipients.len())])
                .bind(statuses[rng.random_range(0..statuses.len())])
                .bind(codes[rng.random_range(0..codes.len())])
                .bind(rng.random_range(0..10 * DAY_MS))
                .fetch_one(pool)
                .await
                .unwrap();
                ids.push(id);
            } else {
                let id = ids[rng.random_range(0..ids.len())];
                sqlx::query("UPDATE messages SET status = ?2, error_code = ?3 WHERE id = ?1")
                    .bind(id)
                    .bind(statuses[rng.random_range(0..statuses.len())])
                    .bind(codes[rng.random_range(0..codes.len())])
                    .execute(pool)
                    .await
                    .unwrap();
            }
        }
        // The table, row by row, against the messages grouped the same way.
        let kept: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT day, kind, key, sent, failed FROM outbound_daily
             WHERE sent > 0 OR failed > 0 ORDER BY 1, 2, 3",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        let direct: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT d, k, key, SUM(s), SUM(f) FROM (
                 SELECT created_at / 86400000 AS d, 'template' AS k, '' AS key, 1 AS s,
                        status IN ('failed', 'undelivered') AS f FROM messages
                  WHERE direction = 'outbound'
                 UNION ALL
                 SELECT created_at / 86400000, 'sender', COALESCE(from_number, ''), 1,
                        status IN ('failed', 'undelivered') FROM messages
                  WHERE direction = 'outbound'
                 UNION ALL
                 SELECT created_at / 86400000, 'author', '', 1,
                        status IN ('failed', 'undelivered') FROM messages
                  WHERE direction = 'outbound'
                 UNION ALL
                 SELECT created_at / 86400000, 'prefix', substr(to_number, 1, 5), 1,
                        status IN ('failed', 'undelivered') FROM messages
                  WHERE direction = 'outbound'
                 UNION ALL
                 SELECT created_at / 86400000, 'code', COALESCE(error_code, ''), 0, 1
                   FROM messages
                  WHERE direction = 'outbound' AND status IN ('failed', 'undelivered'))
             GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        )
        .fetch_all(pool)
        .await
        .unwrap();
        assert_eq!(kept, direct);

        // A window starting and ending mid-day, in a zone 5:30 ahead: the figures read through
        // the table equal the messages counted directly.
        let w = Window {
            since: from_millis(DAY_MS + 7 * 3_600_000),
            until: from_millis(8 * DAY_MS + 13 * 3_600_000),
            utc_offset_minutes: 330,
        };
        let figures = insights(pool, &w).await.unwrap();
        let (sent, failed): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), SUM(status IN ('failed', 'undelivered')) FROM messages
             WHERE direction = 'outbound' AND created_at >= ?1 AND created_at < ?2",
        )
        .bind(to_millis(w.since))
        .bind(to_millis(w.until))
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!((figures.sent, figures.failed), (sent, failed));
        let by_sender: BTreeMap<String, (i64, i64)> = sqlx::query_as(
            "SELECT COALESCE(from_number, ''), COUNT(*), SUM(status IN ('failed', 'undelivered'))
             FROM messages
             WHERE direction = 'outbound' AND created_at >= ?1 AND created_at < ?2 GROUP BY 1",
        )
        .bind(to_millis(w.since))
        .bind(to_millis(w.until))
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .map(|(k, s, f): (String, i64, i64)| (k, (s, f)))
        .collect();
        let shown: BTreeMap<String, (i64, i64)> = figures
            .by_sender
            .iter()
            .map(|r| (r.key.clone(), (r.sent, r.failed)))
            .collect();
        assert_eq!(shown, by_sender);
        let by_code: BTreeMap<String, i64> = sqlx::query_as(
            "SELECT COALESCE(error_code, ''), COUNT(*) FROM messages
             WHERE direction = 'outbound' AND created_at >= ?1 AND created_at < ?2
               AND status IN ('failed', 'undelivered') GROUP BY 1",
        )
        .bind(to_millis(w.since))
        .bind(to_millis(w.until))
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
        let shown: BTreeMap<String, i64> = figures
            .by_code
            .iter()
            .map(|r| (r.key.clone(), r.failed))
            .collect();
        assert_eq!(shown, by_code);
        let days: i64 = figures.days.iter().map(|d| d.sent).sum();
        assert_eq!(days, sent);
    }

    #[test]
    fn a_spike_needs_enough_failures_and_a_clear_rise() {
        // A week at 1 % and a day at 30 %: an alert.
        assert!(is_spike(30, 100, 7, 700));
        // The same rate as the week: quiet.
        assert!(!is_spike(10, 100, 70, 700));
        // Twice the rate but only 2 points more: quiet.
        assert!(!is_spike(4, 100, 14, 700));
        // Two failures are noise, however few were sent.
        assert!(!is_spike(2, 4, 0, 700));
        // Nothing sent the week before: a clear rate with enough failures is an alert.
        assert!(is_spike(3, 10, 0, 0));
        assert!(!is_spike(0, 0, 0, 0));
    }

    #[test]
    fn days_are_the_persons_calendar_days() {
        // 23:30 UTC on 2026-03-02 is already 2026-03-03 at UTC+1.
        let now = DateTime::parse_from_rfc3339("2026-03-02T23:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let w = Window::last_days(7, now, 60);
        assert_eq!(
            w.since,
            DateTime::parse_from_rfc3339("2026-02-24T23:00:00Z").unwrap()
        );
        assert_eq!(
            epoch_day(w.day_of(to_millis(now))).to_string(),
            "2026-03-03"
        );
        assert_eq!(
            epoch_day(w.day_of(to_millis(w.since))).to_string(),
            "2026-02-25"
        );
    }

    #[test]
    fn the_screen_asks_for_an_alerts_hours_or_whole_days_and_nothing_else() {
        let now = Utc::now();
        let w = Window::asked(30, Some(24), now, 0).unwrap();
        assert_eq!((w.until - w.since).num_hours(), 24);
        let w = Window::asked(30, None, now, 0).unwrap();
        assert!((w.until - w.since).num_days() >= 29);
        for (days, hours) in [(30, Some(0)), (30, Some(25)), (0, None), (367, None)] {
            let e = Window::asked(days, hours, now, 0).unwrap_err();
            assert_eq!(e.code(), "invalid_field", "{days} days, {hours:?} hours");
        }
    }

    #[test]
    fn dimensions_parse_from_their_keys() {
        assert_eq!(Dimension::parse("country"), Some(Dimension::Country));
        assert_eq!(Dimension::parse("agent"), Some(Dimension::Agent));
        assert_eq!(Dimension::parse("nope"), None);
    }

    #[test]
    fn a_bad_window_is_an_invalid_field() {
        let now = Utc::now();
        let w = Window {
            since: now,
            until: now - TimeDelta::days(1),
            utc_offset_minutes: 0,
        };
        assert_eq!(w.check().unwrap_err().code(), "invalid_field");
        let w = Window {
            utc_offset_minutes: 24 * 60,
            ..Window::last_days(30, now, 0)
        };
        assert_eq!(w.check().unwrap_err().code(), "invalid_field");
    }
}
