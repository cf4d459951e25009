//! The send log: every call made to the provider for an outbound message (from `send_attempts`),
//! with the message it was for, filtered, and written to or read from CSV (the `csv` crate does
//! the quoting: commas, quotes, newlines and emoji in bodies survive a round trip).

use std::io::{Read, Write};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;

use crate::domain::{from_millis, to_millis};
use crate::error::{CoreError, Result};

/// Which calls the log shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    /// Only calls that got this error code.
    pub code: Option<String>,
    /// Only calls that ended this way (accepted, rejected, no_answer, failed, in_flight).
    pub outcome: Option<String>,
    /// Only calls for messages from this sender number.
    pub sender: Option<String>,
    /// From this time on.
    pub since: Option<DateTime<Utc>>,
    /// Before this time.
    pub until: Option<DateTime<Utc>>,
    /// Only calls that did not go through, or whose message failed in the end.
    pub failed_only: bool,
    /// Rows at most (0: all).
    pub limit: u32,
    /// Rows to skip.
    pub offset: u32,
}

/// One provider call and the message it was for; also one CSV row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// The call.
    pub attempt_id: i64,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When it ended; empty while in flight.
    pub finished_at: Option<DateTime<Utc>>,
    /// How long it took.
    pub latency_ms: Option<i64>,
    /// create or lookup.
    pub kind: String,
    /// accepted, rejected, no_answer, failed, in_flight.
    pub outcome: String,
    /// The provider's HTTP status.
    pub http_status: Option<u16>,
    /// The provider's or our error code.
    pub error_code: Option<String>,
    /// What the provider said.
    pub detail: Option<String>,
    /// The message (our reference).
    pub message_id: i64,
    /// The provider's id of the message.
    pub sid: Option<String>,
    /// Its conversation.
    pub conversation_id: i64,
    /// Our number.
    pub from: String,
    /// The customer's number.
    pub to: String,
    /// Where the message stands now.
    pub status: String,
    /// The text.
    pub body: String,
}

/// Calls matching the filter, newest first.
pub async fn entries(pool: &SqlitePool, f: &LogFilter) -> Result<Vec<LogEntry>> {
    type Row = (
        i64,
        i64,
        Option<i64>,
        String,
        String,
        Option<i64>,
        Option<String>,
        Option<String>,
        i64,
        Option<String>,
        i64,
        String,
        String,
        String,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.id, a.started_at, a.finished_at, a.kind, a.outcome, a.http_status,
             a.error_code, a.detail, m.id, m.sid, m.conversation_id, m.from_number, m.to_number,
             m.status, m.body
         FROM send_attempts a JOIN messages m ON m.id = a.message_id
         WHERE (?1 IS NULL OR a.error_code = ?1)
           AND (?2 IS NULL OR a.outcome = ?2)
           AND (?3 IS NULL OR m.from_number = ?3)
           AND (?4 IS NULL OR a.started_at >= ?4)
           AND (?5 IS NULL OR a.started_at < ?5)
           AND (?6 = 0 OR a.outcome <> 'accepted' OR m.status IN ('failed', 'undelivered'))
         ORDER BY a.started_at DESC, a.id DESC
         LIMIT ?7 OFFSET ?8",
    )
    .bind(&f.code)
    .bind(&f.outcome)
    .bind(&f.sender)
    .bind(f.since.map(to_millis))
    .bind(f.until.map(to_millis))
    .bind(f.failed_only)
    .bind(if f.limit == 0 { -1 } else { i64::from(f.limit) })
    .bind(i64::from(f.offset))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| LogEntry {
            attempt_id: r.0,
            started_at: from_millis(r.1),
            finished_at: r.2.map(from_millis),
            latency_ms: r.2.map(|end| end - r.1),
            kind: r.3,
            outcome: r.4,
            http_status: r.5.and_then(|s| u16::try_from(s).ok()),
            error_code: r.6,
            detail: r.7,
            message_id: r.8,
            sid: r.9,
            conversation_id: r.10,
            from: r.11,
            to: r.12,
            status: r.13,
            body: r.14,
        })
        .collect())
}

impl crate::Services {
    /// Provider calls matching the filter, newest first.
    pub async fn send_log(&self, filter: &LogFilter) -> Result<Vec<LogEntry>> {
        entries(self.store.pool(), filter).await
    }
}

fn csv_error(e: csv::Error) -> CoreError {
    CoreError::Io(std::io::Error::other(e.to_string()))
}

/// Writes entries as CSV with a header row.
pub fn write_csv<W: Write>(entries: &[LogEntry], out: W) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    for e in entries {
        w.serialize(e).map_err(csv_error)?;
    }
    w.flush()?;
    Ok(())
}

/// Reads entries back from CSV written by [`write_csv`].
pub fn read_csv<R: Read>(input: R) -> Result<Vec<LogEntry>> {
    csv::Reader::from_reader(input)
        .deserialize()
        .map(|r| r.map_err(csv_error))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(body: &str) -> LogEntry {
        let at = DateTime::from_timestamp(1_795_000_000, 0).unwrap();
        LogEntry {
            attempt_id: 1,
            started_at: at,
            finished_at: Some(at + chrono::TimeDelta::milliseconds(321)),
            latency_ms: Some(321),
            kind: "create".into(),
            outcome: "rejected".into(),
            http_status: Some(400),
            error_code: Some("21211".into()),
            detail: Some("The 'To' number +1500, is not \"valid\"".into()),
            message_id: 7,
            sid: None,
            conversation_id: 3,
            from: "+14155550100".into(),
            to: "+15005550001".into(),
            status: "failed".into(),
            body: body.into(),
        }
    }

    #[test]
    fn csv_round_trips_every_field_whatever_the_body() {
        let entries = vec![
            entry("plain"),
            entry("commas, \"quotes\", and\nnew\r\nlines"),
            entry("emoji 🎉👩‍👩‍👧 and ünïcödé"),
            entry(""),
            LogEntry {
                finished_at: None,
                latency_ms: None,
                http_status: None,
                error_code: None,
                detail: None,
                sid: Some("SM123".into()),
                outcome: "in_flight".into(),
                ..entry("=SUM(A1)")
            },
        ];
        let mut out = Vec::new();
        write_csv(&entries, &mut out).unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(text.starts_with("attempt_id,started_at,finished_at,latency_ms,kind,outcome"));
        assert_eq!(read_csv(out.as_slice()).unwrap(), entries);
    }
}
