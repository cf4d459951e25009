//! Insights on a real database: a generated month of messages is counted here, by hand, and
//! every figure of the screen must equal those counts; alerts fire on a synthetic spike (and
//! name the template edited and the sender added meanwhile) and stay quiet on a steady rate.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use switchboard_core::catalogue;
use switchboard_core::insights::{self, Change, Dimension, Slice, Window};
use switchboard_core::store::Store;

/// One generated outbound message.
#[derive(Debug, Clone)]
struct Sent {
    at: DateTime<Utc>,
    to: &'static str,
    country: &'static str,
    from: &'static str,
    template: Option<i64>,
    author: Option<i64>,
    code: Option<&'static str>,
}

impl Sent {
    fn failed(&self) -> bool {
        self.code.is_some()
    }
}

const SENDERS: [&str; 3] = ["+14155550100", "+14155550101", "+14155550102"];
const RECIPIENTS: [(&str, &str); 5] = [
    ("+12125550142", "US"),
    ("+13125550199", "US"),
    ("+447700900123", "GB"),
    ("+5215512345678", "MX"),
    ("+16132360001", "CA"),
];
const CODES: [&str; 4] = ["30007", "21408", "30003", "21211"];

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-15T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// A small deterministic generator, so the data set is the same on every run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

struct Db {
    store: Store,
    _dir: tempfile::TempDir,
}

impl Db {
    async fn new() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("insights.sqlite"))
            .await
            .unwrap();
        let db = Db { store, _dir: dir };
        for (i, n) in SENDERS.iter().enumerate() {
            db.exec(&format!(
                "INSERT INTO sender_numbers (number, label, created_at) VALUES ('{n}', 'Shop {i}', 0)"
            ))
            .await;
        }
        for (n, _) in RECIPIENTS {
            db.exec(&format!(
                "INSERT INTO contacts (number, created_at, updated_at) VALUES ('{n}', 0, 0)"
            ))
            .await;
        }
        for name in ["Promo", "Reminder", "Welcome"] {
            db.exec(&format!(
                "INSERT INTO templates (name, body, status, created_at, updated_at)
                 VALUES ('{name}', 'Hi', 'approved', 0, 0)"
            ))
            .await;
        }
        for name in ["Ana", "Ben", "Chloé"] {
            db.exec(&format!(
                "INSERT INTO team_members (name, initials, created_at) VALUES ('{name}', 'X', 0)"
            ))
            .await;
        }
        db
    }

    async fn exec(&self, sql: &str) {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
            .execute(self.store.pool())
            .await
            .unwrap();
    }

    async fn insert(&self, m: &Sent) {
        let sender: i64 = sqlx::query_scalar("SELECT id FROM sender_numbers WHERE number = ?1")
            .bind(m.from)
            .fetch_one(self.store.pool())
            .await
            .unwrap();
        let contact: i64 = sqlx::query_scalar("SELECT id FROM contacts WHERE number = ?1")
            .bind(m.to)
            .fetch_one(self.store.pool())
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO conversations (contact_id, sender_id, last_activity_at, created_at)
             VALUES (?1, ?2, 0, 0) ON CONFLICT DO NOTHING",
        )
        .bind(contact)
        .bind(sender)
        .execute(self.store.pool())
        .await
        .unwrap();
        let at = m.at.timestamp_millis();
        sqlx::query(
            "INSERT INTO messages (conversation_id, direction, from_number, to_number, body, status,
                 error_code, segments, encoding, author_id, template_id, created_at, updated_at)
             VALUES ((SELECT id FROM conversations WHERE contact_id = ?1 AND sender_id = ?2),
                 'outbound', ?3, ?4, 'Hello', ?5, ?6, 1, 'GSM-7', ?7, ?8, ?9, ?9)",
        )
        .bind(contact)
        .bind(sender)
        .bind(m.from)
        .bind(m.to)
        .bind(match m.code {
            Some("30003" | "30007") => "undelivered",
            Some(_) => "failed",
            None => "delivered",
        })
        .bind(m.code)
        .bind(m.author)
        .bind(m.template)
        .bind(at)
        .execute(self.store.pool())
        .await
        .unwrap();
    }
}

fn month(seed: u64) -> Vec<Sent> {
    let mut rng = Lcg(seed);
    (0..1500)
        .map(|_| {
            let (to, country) = RECIPIENTS[rng.next(5) as usize];
            Sent {
                // Anywhere in the 35 days before now: some fall outside a 30-day window.
                at: now() - TimeDelta::seconds(rng.next(35 * 86_400) as i64 + 1),
                to,
                country,
                from: SENDERS[rng.next(3) as usize],
                template: [None, Some(1), Some(2), Some(3)][rng.next(4) as usize],
                author: [None, Some(1), Some(2), Some(3)][rng.next(4) as usize],
                code: if rng.next(5) == 0 {
                    Some(CODES[rng.next(4) as usize])
                } else {
                    None
                },
            }
        })
        .collect()
}

/// `key → (sent, failed)` counted by hand over the messages in the window.
fn count(rows: &[&Sent], key: impl Fn(&Sent) -> String) -> BTreeMap<String, (i64, i64)> {
    let mut out = BTreeMap::new();
    for m in rows {
        let e = out.entry(key(m)).or_insert((0, 0));
        e.0 += 1;
        e.1 += i64::from(m.failed());
    }
    out
}

fn figures(rows: &[insights::Row]) -> BTreeMap<String, (i64, i64)> {
    rows.iter()
        .map(|r| (r.key.clone(), (r.sent, r.failed)))
        .collect()
}

#[tokio::test]
async fn every_figure_equals_a_count_done_by_hand() {
    let db = Db::new().await;
    let data = month(7);
    for m in &data {
        db.insert(m).await;
    }
    // Berlin in summer: days run from 22:00 UTC.
    let offset = 120;
    let w = Window::last_days(30, now(), offset);
    let inside: Vec<&Sent> = data
        .iter()
        .filter(|m| m.at >= w.since && m.at < w.until)
        .collect();
    assert!(inside.len() < data.len(), "some messages fall outside");
    let got = insights::insights(db.store.pool(), &w).await.unwrap();

    assert_eq!(got.sent, inside.len() as i64);
    assert_eq!(
        got.failed,
        inside.iter().filter(|m| m.failed()).count() as i64
    );

    let local_day = |m: &Sent| {
        (m.at + TimeDelta::minutes(i64::from(offset)))
            .date_naive()
            .to_string()
    };
    let by_day = count(&inside, local_day);
    assert_eq!(got.days.len(), 30, "every day of the window, empty or not");
    for d in &got.days {
        let want = by_day.get(&d.day.to_string()).copied().unwrap_or((0, 0));
        assert_eq!((d.sent, d.failed), want, "day {}", d.day);
    }

    let failed: Vec<&Sent> = inside.iter().copied().filter(|m| m.failed()).collect();
    let mut codes: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut categories: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for m in &failed {
        let code = m.code.unwrap().to_string();
        codes.entry(code.clone()).or_insert((got.sent, 0)).1 += 1;
        let owner = serde_json::to_value(catalogue::explain(&code).owner).unwrap();
        categories
            .entry(owner.as_str().unwrap().to_string())
            .or_insert((got.sent, 0))
            .1 += 1;
    }
    assert_eq!(figures(&got.by_code), codes);
    assert_eq!(figures(&got.by_category), categories);
    assert_eq!(
        figures(&got.by_country),
        count(&inside, |m| m.country.into())
    );
    assert_eq!(figures(&got.by_sender), count(&inside, |m| m.from.into()));
    let id = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(
        figures(&got.by_template),
        count(&inside, |m| id(m.template))
    );
    assert_eq!(figures(&got.by_agent), count(&inside, |m| id(m.author)));

    // Rows are named and ranked by failures.
    let promo = got.by_template.iter().find(|r| r.key == "1").unwrap();
    assert_eq!(promo.label, "Promo");
    let nobody = got.by_agent.iter().find(|r| r.key.is_empty()).unwrap();
    assert!(nobody.label.starts_with("Nobody"));
    assert!(got.by_code.windows(2).all(|p| p[0].failed >= p[1].failed));

    // Every row opens the very messages behind it.
    for (dimension, key, want) in [
        (
            Dimension::Country,
            "MX",
            count(&failed, |m| m.country.into()).get("MX").copied(),
        ),
        (
            Dimension::Code,
            "30007",
            codes.get("30007").map(|c| (c.1, c.1)),
        ),
        (
            Dimension::Template,
            "2",
            count(&failed, |m| id(m.template)).get("2").copied(),
        ),
        (
            Dimension::Agent,
            "",
            count(&failed, |m| id(m.author)).get("").copied(),
        ),
        (
            Dimension::Sender,
            SENDERS[1],
            count(&failed, |m| m.from.into()).get(SENDERS[1]).copied(),
        ),
    ] {
        let slice = Slice {
            dimension,
            key: key.into(),
            failed_only: true,
        };
        let (messages, total) = insights::slice(db.store.pool(), &w, &slice).await.unwrap();
        let want = want.map(|w| w.1).unwrap_or(0) as usize;
        assert_eq!(total, want, "{dimension:?} {key}");
        assert_eq!(messages.len(), want);
        assert!(messages.iter().all(|m| m.error_code.is_some()));
    }
    let day = got.days.iter().find(|d| d.sent > 0).unwrap();
    let (messages, total) = insights::slice(
        db.store.pool(),
        &w,
        &Slice {
            dimension: Dimension::Day,
            key: day.day.to_string(),
            failed_only: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(total as i64, day.sent);
    assert!(messages
        .windows(2)
        .all(|p| p[0].created_at >= p[1].created_at));
}

/// A steady week: `per_day` messages a day, `failures` of them with `code`.
fn steady_week(per_day: i64, failures: &[(&'static str, i64)]) -> Vec<Sent> {
    let mut out = Vec::new();
    for day in 1..8 {
        for i in 0..per_day {
            let at = now() - TimeDelta::days(day) - TimeDelta::minutes(i * 7 + 1);
            let mut code = None;
            let mut n = i;
            for (c, k) in failures {
                if n < *k {
                    code = Some(*c);
                    break;
                }
                n -= k;
            }
            out.push(Sent {
                at,
                to: RECIPIENTS[(i % 5) as usize].0,
                country: "",
                from: SENDERS[0],
                template: Some(2),
                author: Some(1),
                code,
            });
        }
    }
    out
}

#[tokio::test]
async fn an_alert_fires_on_a_spike_and_names_what_changed() {
    let db = Db::new().await;
    // A week at 2 % of 30007 and 10 % of 21211.
    for m in steady_week(100, &[("30007", 2), ("21211", 10)]) {
        db.insert(&m).await;
    }
    // Five hours ago the Promo template was edited; three hours ago a new number arrived.
    let edited = now() - TimeDelta::hours(5);
    db.exec(&format!(
        "UPDATE templates SET updated_at = {} WHERE name = 'Promo'",
        edited.timestamp_millis()
    ))
    .await;
    let added = now() - TimeDelta::hours(3);
    db.exec(&format!(
        "INSERT INTO sender_numbers (number, label, created_at) VALUES ('+14155550199', 'Pop-up', {})",
        added.timestamp_millis()
    ))
    .await;
    // The last day: 100 sent, 30 of them 30007 from Promo (10 of those from the new number),
    // and 21211 at its usual 10 %.
    for i in 0..100i64 {
        let code = match i {
            0..30 => Some("30007"),
            30..40 => Some("21211"),
            _ => None,
        };
        db.insert(&Sent {
            at: now() - TimeDelta::minutes(i * 10 + 1),
            to: RECIPIENTS[(i % 5) as usize].0,
            country: "",
            from: if i < 10 { "+14155550199" } else { SENDERS[0] },
            template: if code == Some("30007") {
                Some(1)
            } else {
                Some(2)
            },
            author: Some(2),
            code,
        })
        .await;
    }
    let alerts = insights::alerts(db.store.pool(), now()).await.unwrap();
    assert_eq!(alerts.len(), 1, "only 30007 spiked: {alerts:?}");
    let a = &alerts[0];
    assert_eq!(a.code, "30007");
    assert_eq!((a.recent_failed, a.recent_sent), (30, 100));
    assert_eq!((a.before_failed, a.before_sent), (14, 700));
    assert_eq!(
        a.changes,
        vec![
            Change::TemplateEdited {
                id: 1,
                name: "Promo".into(),
                at: edited,
                failures: 30,
            },
            Change::NewSender {
                number: "+14155550199".into(),
                label: Some("Pop-up".into()),
                at: added,
                failures: 10,
            },
        ]
    );
    // The screen carries the same alert for a window ending now.
    let screen = insights::insights(db.store.pool(), &Window::last_days(30, now(), 0))
        .await
        .unwrap();
    assert_eq!(screen.alerts, alerts);

    // "Show these failures": the alert's 24 hours hold its 30, the screen's days hold the week's
    // 14 as well.
    let code = Slice {
        dimension: Dimension::Code,
        key: "30007".into(),
        failed_only: true,
    };
    let (_, total) = insights::slice(db.store.pool(), &Window::last_hours(24, now(), 0), &code)
        .await
        .unwrap();
    assert_eq!(total as i64, a.recent_failed);
    let (_, total) = insights::slice(db.store.pool(), &Window::last_days(30, now(), 0), &code)
        .await
        .unwrap();
    assert_eq!(total as i64, a.recent_failed + a.before_failed);
}

#[tokio::test]
async fn a_steady_rate_raises_no_alert() {
    let db = Db::new().await;
    for m in steady_week(100, &[("30007", 2), ("21211", 10)]) {
        db.insert(&m).await;
    }
    for i in 0..100i64 {
        let code = match i {
            0..2 => Some("30007"),
            2..12 => Some("21211"),
            _ => None,
        };
        db.insert(&Sent {
            at: now() - TimeDelta::minutes(i * 10 + 1),
            to: RECIPIENTS[(i % 5) as usize].0,
            country: "",
            from: SENDERS[0],
            template: Some(2),
            author: Some(1),
            code,
        })
        .await;
    }
    let alerts = insights::alerts(db.store.pool(), now()).await.unwrap();
    assert!(alerts.is_empty(), "{alerts:?}");
}
