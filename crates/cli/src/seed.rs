//! `switchboard seed`: realistic data written straight into the schema with batched inserts —
//! a team, sender numbers, templates, contacts named in several scripts, and messages with
//! the statuses, error codes, authors and templates a busy inbox has. The benchmarks use the
//! same writer as their ceiling for loading history.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use switchboard_core::config::{AuthKind, Config, ProviderAccount};
use switchboard_core::domain::Encoding;
use switchboard_core::instance::DataDirLock;
use switchboard_core::secrets::{KeyringSecrets, SecretStore};
use switchboard_core::store::{messages, Store};
use switchboard_core::{installation, settings, text};

/// How much to write.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// Messages.
    pub messages: u64,
    /// Conversations (one contact each).
    pub conversations: u64,
}

/// The sender numbers seeded data is sent from.
pub const SENDERS: [(&str, &str); 3] = [
    ("+14155550100", "Downtown"),
    ("+14155550101", "Harbor"),
    ("+14155550102", "Airport"),
];
/// A word in about one message in a hundred thousand, for searching a rare word.
pub const RARE_WORD: &str = "zephyrine";
/// A word in most outbound messages, for searching a common word.
pub const COMMON_WORD: &str = "order";

const TEAM: [(&str, &str, &str); 5] = [
    ("Alex Rivera", "AR", "admin"),
    ("Sam Okoye", "SO", "agent"),
    ("Mei Tanaka", "MT", "agent"),
    ("Jonas Weber", "JW", "agent"),
    ("Priya Nair", "PN", "agent"),
];
const TEMPLATES: [(&str, &str); 6] = [
    (
        "Order ready",
        "Hi {{first_name}}, your order is ready for pickup at {{sender_name}}.",
    ),
    (
        "Reminder",
        "Reminder: your appointment is tomorrow. Reply C to confirm.",
    ),
    (
        "Promo",
        "This week only: 20% off your next order with code SPRING.",
    ),
    ("Thanks", "Thanks for visiting us today, {{first_name}}! 🙏"),
    (
        "Delay",
        "Sorry, your order is running about 15 minutes late.",
    ),
    ("Review", "How did we do? Tell us in one word."),
];
const NAMES: [&str; 16] = [
    "Maya Chen",
    "Luis García",
    "Zoë Martin",
    "Ольга Иванова",
    "Νίκος Παπαδόπουλος",
    "ليلى حداد",
    "王芳",
    "佐藤 花子",
    "अनीता शर्मा",
    "Kwame Mensah",
    "Siobhán Ní Bhriain",
    "Đặng Thu Hà",
    "Yusuf Demir",
    "이지은",
    "Ana Souza",
    "Tomás Novák",
];
const OUTBOUND: [&str; 10] = [
    "Your order is ready for pickup.",
    "Your order is on its way and should arrive by 6pm.",
    "We received your order, thank you!",
    "Your table for four is ready.",
    "Sorry for the wait — your order will be ready in 10 minutes.",
    "Ваш заказ готов, можно забрать.",
    "ご注文の品が準備できました。",
    "Tu pedido está listo para recoger 🎉",
    "Reminder: your appointment is tomorrow at 10am.",
    "Thanks for your order! Reply STOP to opt out.",
];
const INBOUND: [&str; 10] = [
    "Thanks!",
    "Can I come at 7 instead?",
    "Is my order ready?",
    "Great, see you soon 👍",
    "Спасибо!",
    "ありがとう",
    "Where are you located?",
    "Can I change my order?",
    "ok",
    "Perfect, thank you so much",
];
const FAILURE_CODES: [(&str, &str); 8] = [
    ("30003", "undelivered"),
    ("30005", "undelivered"),
    ("30006", "undelivered"),
    ("30007", "undelivered"),
    ("30008", "undelivered"),
    ("21211", "failed"),
    ("21610", "failed"),
    ("21408", "failed"),
];
const AREAS: [u16; 10] = [212, 312, 415, 617, 713, 206, 303, 404, 503, 702];
const DAY_MS: i64 = 86_400_000;
/// Rows per INSERT statement: 21 columns × 400 stays far below SQLite's bound parameters.
const BATCH: usize = 400;
/// Rows per transaction.
const PER_TX: usize = 20_000;

/// One message row as the schema holds it.
#[derive(Debug, Clone)]
pub struct MessageRow {
    /// Its conversation (row id).
    pub conversation_id: i64,
    /// The provider's id.
    pub sid: String,
    /// `inbound` or `outbound`.
    pub outbound: bool,
    /// From.
    pub from: String,
    /// To.
    pub to: String,
    /// Text.
    pub body: String,
    /// Normalised status.
    pub status: &'static str,
    /// Error code of a failure.
    pub error_code: Option<&'static str>,
    /// Segments and encoding of the body.
    pub segments: u32,
    /// GSM-7 or UCS-2.
    pub encoding: Encoding,
    /// The member who wrote it.
    pub author_id: Option<i64>,
    /// The template it came from.
    pub template_id: Option<i64>,
    /// When, in milliseconds.
    pub at: i64,
}

/// The number of the n-th seeded contact: ten area codes, unique up to 10⁸ contacts.
pub fn contact_number(n: u64) -> String {
    format!("+1{}{:07}", AREAS[(n % 10) as usize], 2_000_000 + n / 10)
}

/// The team, senders and templates (ids 1-based, in the order of the tables above).
pub async fn basics(store: &Store, now: i64) -> sqlx::Result<()> {
    let mut conn = store.pool().acquire().await?;
    basics_on(&mut conn, now).await
}

async fn basics_on(conn: &mut SqliteConnection, now: i64) -> sqlx::Result<()> {
    for (i, (name, initials, role)) in TEAM.iter().enumerate() {
        sqlx::query(
            "INSERT INTO team_members (name, initials, role, created_at, uid, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?4)",
        )
        .bind(name)
        .bind(initials)
        .bind(role)
        .bind(now)
        .bind(format!("5eed{i:028}"))
        .execute(&mut *conn)
        .await?;
    }
    for (number, label) in SENDERS {
        sqlx::query("INSERT INTO sender_numbers (number, label, created_at) VALUES (?1, ?2, ?3)")
            .bind(number)
            .bind(label)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }
    for (i, (name, body)) in TEMPLATES.iter().enumerate() {
        sqlx::query(
            "INSERT INTO templates (name, body, status, created_by, created_at, updated_at, uid,
                 approved_by, approved_at)
             VALUES (?1, ?2, 'approved', 1, ?3, ?3, ?4, 1, ?3)",
        )
        .bind(name)
        .bind(body)
        .bind(now - 400 * DAY_MS)
        .bind(format!("7e3a{i:028}"))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Contacts and their conversations `0..n` (contact and conversation ids `1..=n`), the
/// n-th with `contact_number(n)` and sender `n % senders` (of [`SENDERS`]).
pub async fn contacts_and_conversations(
    store: &Store,
    n: u64,
    senders: u64,
    now: i64,
) -> sqlx::Result<()> {
    let rng = &mut StdRng::seed_from_u64(11);
    let senders = senders.clamp(1, SENDERS.len() as u64);
    let mut start = 0;
    while start < n {
        let end = (start + PER_TX as u64).min(n);
        let mut tx = store.pool().begin().await?;
        let ids: Vec<u64> = (start..end).collect();
        for chunk in ids.chunks(BATCH) {
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO contacts (id, number, name, created_at, updated_at) ",
            );
            q.push_values(chunk, |mut b, i| {
                let name = (rng.random_range(0..10) < 8).then(|| NAMES[(*i % 16) as usize]);
                b.push_bind(*i as i64 + 1)
                    .push_bind(contact_number(*i))
                    .push_bind(name)
                    .push_bind(now)
                    .push_bind(now);
            });
            q.build().execute(&mut *tx).await?;
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO conversations (id, contact_id, sender_id, assignee_id, state,
                     last_activity_at, unread, created_at) ",
            );
            q.push_values(chunk, |mut b, i| {
                let assignee = (rng.random_range(0..10) < 6).then(|| rng.random_range(1..=5i64));
                let state = if rng.random_range(0..100) < 85 {
                    "open"
                } else {
                    "closed"
                };
                b.push_bind(*i as i64 + 1)
                    .push_bind(*i as i64 + 1)
                    .push_bind((*i % senders) as i64 + 1)
                    .push_bind(assignee)
                    .push_bind(state)
                    .push_bind(0i64)
                    .push_bind(0i64)
                    .push_bind(now - 365 * DAY_MS);
            });
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        start = end;
    }
    Ok(())
}

/// Writes message rows in batches, a transaction per [`PER_TX`] rows, then brings each
/// touched conversation's last activity and unread count up to date.
pub async fn insert_messages(store: &Store, rows: &[MessageRow]) -> Result<(), String> {
    // The history load's cache, so the bench's ceiling is a ceiling.
    store
        .bulk(async |conn| Ok(insert_batches(conn, rows).await))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    let mut tx = store.pool().begin().await.map_err(|e| e.to_string())?;
    sqlx::query(
        "UPDATE conversations SET
             last_activity_at = (SELECT MAX(created_at) FROM messages WHERE conversation_id = conversations.id),
             unread = (SELECT COUNT(*) FROM messages WHERE conversation_id = conversations.id
                       AND direction = 'inbound' AND created_at > strftime('%s', 'now') * 1000 - 86400000)
         WHERE EXISTS (SELECT 1 FROM messages WHERE conversation_id = conversations.id)",
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}

/// The rows of [`insert_messages`], a few hundred per statement, [`PER_TX`] per transaction.
async fn insert_batches(
    conn: &mut sqlx::SqliteConnection,
    rows: &[MessageRow],
) -> switchboard_core::Result<()> {
    for part in rows.chunks(PER_TX) {
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        // Rows go in by conversation, not by time: their search entries are added at the end,
        // in time order, as the history load does.
        messages::hold_back_search_index(&mut tx).await?;
        for chunk in part.chunks(BATCH) {
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO messages (conversation_id, sid, direction, from_number, to_number,
                     body, status, provider_status, outbox_state, error_code, segments, encoding,
                     author_id, template_id, created_at, sent_at, delivered_at, updated_at) ",
            );
            q.push_values(chunk, |mut b, m| {
                let delivered = (m.status == "delivered").then_some(m.at + 4_000);
                b.push_bind(m.conversation_id)
                    .push_bind(&m.sid)
                    .push_bind(if m.outbound { "outbound" } else { "inbound" })
                    .push_bind(&m.from)
                    .push_bind(&m.to)
                    .push_bind(&m.body)
                    .push_bind(m.status)
                    .push_bind(m.status)
                    .push_bind(m.outbound.then_some("accepted"))
                    .push_bind(m.error_code)
                    .push_bind(i64::from(m.segments))
                    .push_bind(m.encoding.as_str())
                    .push_bind(m.author_id)
                    .push_bind(m.template_id)
                    .push_bind(m.at)
                    .push_bind(m.outbound.then_some(m.at + 1_000))
                    .push_bind(delivered)
                    .push_bind(delivered.unwrap_or(m.at));
            });
            q.build().execute(&mut *tx).await?;
        }
        messages::index_held_back(&mut tx).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// Segments and encoding of each fixed body, worked out once.
fn analysed(body: &'static str) -> (u32, Encoding) {
    let info = text::analyse(body);
    (info.segments, info.encoding)
}

/// The realistic message rows of `size`, oldest first, as an inbox that grew message by
/// message stores them (ids follow time, and so do the search index's keys).
pub fn messages(size: Size, rng: &mut StdRng, now: i64) -> Vec<MessageRow> {
    let out_info: Vec<(u32, Encoding)> = OUTBOUND.iter().map(|b| analysed(b)).collect();
    let in_info: Vec<(u32, Encoding)> = INBOUND.iter().map(|b| analysed(b)).collect();
    let conversations = size.conversations.max(1);
    let mut rows = Vec::with_capacity(size.messages as usize);
    for i in 0..size.messages {
        let c = i % conversations;
        let contact = contact_number(c);
        let sender = SENDERS[(c % 3) as usize].0;
        // Spread over the last year, newer for later rows of a conversation.
        let at = now - rng.random_range(0..365 * DAY_MS);
        let outbound = rng.random_range(0..100) < 55;
        let sid = format!("SM5eed{:026x}", i);
        let row = if outbound {
            let k = rng.random_range(0..OUTBOUND.len());
            let roll = rng.random_range(0..100);
            let (status, code) = match roll {
                0..82 => ("delivered", None),
                82..85 => ("sent", None),
                85..87 => ("sent_no_receipt", None),
                _ => {
                    let (code, status) = FAILURE_CODES[rng.random_range(0..FAILURE_CODES.len())];
                    (status, Some(code))
                }
            };
            let body = if i % 100_000 == 7 {
                "Your zephyrine order is ready."
            } else {
                OUTBOUND[k]
            };
            let (segments, encoding) = if body == OUTBOUND[k] {
                out_info[k]
            } else {
                analysed(body)
            };
            MessageRow {
                conversation_id: c as i64 + 1,
                sid,
                outbound,
                from: sender.to_string(),
                to: contact,
                body: body.to_string(),
                status,
                error_code: code,
                segments,
                encoding,
                author_id: Some(rng.random_range(1..=5)),
                template_id: (rng.random_range(0..4) == 0).then(|| rng.random_range(1..=6)),
                at,
            }
        } else {
            let k = rng.random_range(0..INBOUND.len());
            MessageRow {
                conversation_id: c as i64 + 1,
                sid,
                outbound,
                from: contact,
                to: sender.to_string(),
                body: INBOUND[k].to_string(),
                status: "received",
                error_code: None,
                segments: in_info[k].0,
                encoding: in_info[k].1,
                author_id: None,
                template_id: None,
                at,
            }
        };
        rows.push(row);
    }
    rows.sort_by_key(|r| r.at);
    rows
}

/// Fills an empty store with `size` of realistic data.
pub async fn fill(store: &Store, size: Size, seed: u64) -> Result<(), String> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages")
        .fetch_one(store.pool())
        .await
        .map_err(|e| e.to_string())?;
    if existing > 0 {
        return Err(format!(
            "the database already holds {existing} messages; seed only fills an empty one (give a new --data-dir)"
        ));
    }
    let now = chrono::Utc::now().timestamp_millis();
    let mut rng = StdRng::seed_from_u64(seed);
    basics(store, now).await.map_err(|e| e.to_string())?;
    contacts_and_conversations(store, size.conversations.max(1), 3, now)
        .await
        .map_err(|e| e.to_string())?;
    let rows = messages(size, &mut rng, now);
    insert_messages(store, &rows).await
}

/// The account seeded data belongs to when the folder has none: a Twilio-shaped account whose
/// API is unreachable, so the app opens it offline and works on local history.
pub fn seed_account() -> ProviderAccount {
    ProviderAccount {
        account_sid: format!("AC{}", "5eed".repeat(8)),
        auth_kind: AuthKind::AuthToken,
        api_key_sid: None,
        base_url: Some("http://127.0.0.1:9".into()),
    }
}

/// `switchboard seed`: the folder's account (a seed account when it has none) gets `size`.
pub async fn seed_data_dir(size: Size, data_dir: Option<PathBuf>) -> Result<(), String> {
    let dir = crate::args::data_dir(data_dir)?;
    let _lock = DataDirLock::acquire(&dir).map_err(|e| format!("{e}. {}", e.hint()))?;
    let config_path = installation::config_file(&dir);
    let mut config = Config::load(&config_path).map_err(|e| e.to_string())?;
    if config.provider.is_none() {
        let secrets: Arc<dyn SecretStore> = Arc::new(KeyringSecrets::new());
        config = settings::save_account(secrets, &config_path, seed_account(), "seed".into())
            .await
            .map_err(|e| format!("{e}. {}", e.hint()))?;
    }
    let file = config
        .database_file()
        .filter(|_| !config.demo())
        .ok_or("demo mode is on in this folder: the demo's database is rebuilt at every start, so seeding it would be lost")?;
    let store = open_store(&dir.join(file)).await?;
    let started = std::time::Instant::now();
    fill(&store, size, 1).await?;
    store.close().await;
    eprintln!(
        "seeded {} messages in {} conversations in {:.1} s",
        size.messages,
        size.conversations,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn open_store(path: &Path) -> Result<Store, String> {
    Store::open(path)
        .await
        .map_err(|e| format!("{e}. {}", e.hint()))
}
