//! The shapes of the Insights and Triage screens.

use serde::{Deserialize, Serialize};
use switchboard_core::{catalogue, insights, triage};
use ts_rs::TS;

use super::{retry_key, FixActionView, IpcError};

/// Which days Insights looks at.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct InsightsRequest {
    /// The last this many days, today included (1 to 366).
    pub days: u32,
    /// The person's offset from UTC in minutes (east positive), so days are theirs.
    pub utc_offset_minutes: i32,
    /// Instead of whole days, only the last this many hours (1 to 24): an alert's window.
    #[serde(default)]
    #[ts(optional)]
    pub last_hours: Option<u32>,
}

/// One day of the chart.
#[derive(Debug, Clone, Serialize, TS)]
pub struct DayRateView {
    /// YYYY-MM-DD.
    pub day: String,
    #[ts(type = "number")]
    pub sent: i64,
    #[ts(type = "number")]
    pub failed: i64,
}

/// One row of a breakdown; `key` opens its messages.
#[derive(Debug, Clone, Serialize, TS)]
pub struct InsightRowView {
    pub key: String,
    pub label: String,
    #[ts(type = "number")]
    pub sent: i64,
    #[ts(type = "number")]
    pub failed: i64,
}

/// What changed while a code spiked.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ChangeView {
    TemplateEdited {
        #[ts(type = "number")]
        id: i64,
        name: String,
        at: String,
        #[ts(type = "number")]
        failures: i64,
    },
    NewSender {
        number: String,
        label: Option<String>,
        at: String,
        #[ts(type = "number")]
        failures: i64,
    },
}

/// A code failing well above its previous week.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AlertView {
    pub code: String,
    pub title: String,
    /// The recent window's length in hours; its failures open over the same hours.
    pub hours: u32,
    #[ts(type = "number")]
    pub recent_failed: i64,
    #[ts(type = "number")]
    pub recent_sent: i64,
    #[ts(type = "number")]
    pub before_failed: i64,
    #[ts(type = "number")]
    pub before_sent: i64,
    pub changes: Vec<ChangeView>,
}

/// The Insights screen.
#[derive(Debug, Clone, Serialize, TS)]
pub struct InsightsView {
    pub days: Vec<DayRateView>,
    #[ts(type = "number")]
    pub sent: i64,
    #[ts(type = "number")]
    pub failed: i64,
    pub by_code: Vec<InsightRowView>,
    pub by_category: Vec<InsightRowView>,
    pub by_country: Vec<InsightRowView>,
    pub by_template: Vec<InsightRowView>,
    pub by_sender: Vec<InsightRowView>,
    pub by_agent: Vec<InsightRowView>,
    pub alerts: Vec<AlertView>,
}

/// The messages behind a bar or a row.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SliceRequest {
    pub window: InsightsRequest,
    /// all, day, code, category, country, template, sender or agent.
    pub dimension: String,
    pub key: String,
    pub failed_only: bool,
}

/// A message behind a row.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SliceMessageView {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub conversation_id: i64,
    pub created_at: String,
    pub to: String,
    pub contact_name: Option<String>,
    pub from: String,
    pub body: String,
    pub status: String,
    pub error_code: Option<String>,
}

/// The messages behind a row, newest first, and how many there are in all.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SliceView {
    pub messages: Vec<SliceMessageView>,
    pub total: u32,
}

/// One unresolved failure in a triage group.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TriageItemView {
    #[ts(type = "number")]
    pub message_id: i64,
    #[ts(type = "number")]
    pub conversation_id: i64,
    pub to: String,
    pub contact_name: Option<String>,
    pub number_mark: Option<String>,
    pub from: String,
    pub body: String,
    pub error_code: String,
    pub failed_at: String,
    pub retry_ready_at: Option<String>,
    /// Resent, not gone through yet: it stays until the provider takes it.
    pub resend_on_its_way: bool,
}

/// Failures that share a cause, with what the cause allows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct TriageGroupView {
    pub code: String,
    pub title: String,
    pub reason: String,
    pub hint: String,
    /// Whose move it is, as said.
    pub owner: String,
    /// never, after_fix, after_cooldown or automatic.
    pub retry: String,
    pub actions: Vec<FixActionView>,
    pub items: Vec<TriageItemView>,
}

/// One failure to resend: with a fixed number, or unchanged (a retry).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct BulkFixRequest {
    #[ts(type = "number")]
    pub message_id: i64,
    pub to: Option<String>,
    /// The person chose "send anyway" for the checks that ask (quiet hours, a marked number).
    #[serde(default)]
    pub confirmed: bool,
}

/// What became of one failure in a bulk action.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BulkResultView {
    #[ts(type = "number")]
    pub message_id: i64,
    /// The resend, when it went.
    #[ts(type = "number | null")]
    pub new_message_id: Option<i64>,
    pub error: Option<IpcError>,
}

/// Failures to set aside, and why.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct DismissRequest {
    #[ts(type = "Array<number>")]
    pub message_ids: Vec<i64>,
    pub reason: String,
}

impl From<insights::Row> for InsightRowView {
    fn from(r: insights::Row) -> Self {
        Self {
            key: r.key,
            label: r.label,
            sent: r.sent,
            failed: r.failed,
        }
    }
}

impl From<insights::Change> for ChangeView {
    fn from(c: insights::Change) -> Self {
        match c {
            insights::Change::TemplateEdited {
                id,
                name,
                at,
                failures,
            } => ChangeView::TemplateEdited {
                id,
                name,
                at: at.to_rfc3339(),
                failures,
            },
            insights::Change::NewSender {
                number,
                label,
                at,
                failures,
            } => ChangeView::NewSender {
                number,
                label,
                at: at.to_rfc3339(),
                failures,
            },
        }
    }
}

impl From<insights::Insights> for InsightsView {
    fn from(i: insights::Insights) -> Self {
        let rows = |v: Vec<insights::Row>| v.into_iter().map(Into::into).collect();
        Self {
            days: i
                .days
                .into_iter()
                .map(|d| DayRateView {
                    day: d.day.to_string(),
                    sent: d.sent,
                    failed: d.failed,
                })
                .collect(),
            sent: i.sent,
            failed: i.failed,
            by_code: rows(i.by_code),
            by_category: rows(i.by_category),
            by_country: rows(i.by_country),
            by_template: rows(i.by_template),
            by_sender: rows(i.by_sender),
            by_agent: rows(i.by_agent),
            alerts: i
                .alerts
                .into_iter()
                .map(|a| AlertView {
                    code: a.code,
                    title: a.title,
                    hours: a.hours,
                    recent_failed: a.recent_failed,
                    recent_sent: a.recent_sent,
                    before_failed: a.before_failed,
                    before_sent: a.before_sent,
                    changes: a.changes.into_iter().map(Into::into).collect(),
                })
                .collect(),
        }
    }
}

impl From<insights::SliceMessage> for SliceMessageView {
    fn from(m: insights::SliceMessage) -> Self {
        Self {
            id: m.id,
            conversation_id: m.conversation_id,
            created_at: m.created_at.to_rfc3339(),
            to: m.to,
            contact_name: m.contact_name,
            from: m.from,
            body: m.body,
            status: m.status,
            error_code: m.error_code,
        }
    }
}

impl From<triage::TriageGroup> for TriageGroupView {
    fn from(g: triage::TriageGroup) -> Self {
        Self {
            owner: g.owner.label().to_string(),
            retry: retry_key(g.retry).to_string(),
            actions: g
                .actions
                .iter()
                .map(|a: &catalogue::FixAction| FixActionView {
                    key: a.key().to_string(),
                    label: a.label().to_string(),
                })
                .collect(),
            items: g
                .items
                .into_iter()
                .map(|i| TriageItemView {
                    message_id: i.message_id,
                    conversation_id: i.conversation_id,
                    to: i.to,
                    contact_name: i.contact_name,
                    number_mark: i.number_mark,
                    from: i.from,
                    body: i.body,
                    error_code: i.error_code,
                    failed_at: i.failed_at.to_rfc3339(),
                    retry_ready_at: i.retry_ready_at.map(|t| t.to_rfc3339()),
                    resend_on_its_way: i.resend_on_its_way,
                })
                .collect(),
            code: g.code,
            title: g.title,
            reason: g.reason,
            hint: g.hint,
        }
    }
}
