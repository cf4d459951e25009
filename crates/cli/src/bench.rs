//! `switchboard bench` (`make bench`): Switchboard measured at the scale of a busy team. Each
//! figure is printed beside its goal with whether it is met, and the table is written as JSON.
//! The figures come from the real parts: the simulator over loopback, SQLite files, the core's
//! own queries. `--smoke` runs every figure at a small scale without judging the goals.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Utc;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use switchboard_core::config::{AuthKind, ProviderAccount};
use switchboard_core::domain::{Encoding, Sender};
use switchboard_core::insights::Window;
use switchboard_core::outbox::SendInput;
use switchboard_core::provider::guard::Pacing;
use switchboard_core::store::conversations::{ConversationQuery, View};
use switchboard_core::store::Store;
use switchboard_core::{OpenOptions, Services, Tuning};
use switchboard_sim::{AccountConfig, Lifecycle, RunningSim, SeedMessage, SimConfig};

use crate::seed::{self, Size};

const ACCOUNT: &str = "AC00000000000000000000000000be0c00";
const TOKEN: &str = "bench-token";

/// One row of the table.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// What is measured.
    pub figure: String,
    /// The measurement, in `unit`; `None` when not measured.
    pub value: Option<f64>,
    /// Its unit.
    pub unit: String,
    /// The goal, as the issue states it.
    pub goal: String,
    /// Whether the goal is met; `None` in a smoke run or when not measured.
    pub met: Option<bool>,
    /// Detail: the parts of a combined figure, or why it is not measured.
    pub note: String,
}

/// The whole run, as written to JSON.
#[derive(Debug, Serialize)]
struct Report {
    generated_at: String,
    messages: u64,
    conversations: u64,
    smoke: bool,
    build: &'static str,
    figures: Vec<Figure>,
}

struct Table {
    smoke: bool,
    rows: Vec<Figure>,
}

impl Table {
    /// Adds a figure; `ok` says whether the value meets the goal.
    fn add(&mut self, figure: &str, value: f64, unit: &str, goal: &str, ok: bool, note: String) {
        self.rows.push(Figure {
            figure: figure.into(),
            value: Some(value),
            unit: unit.into(),
            goal: goal.into(),
            met: (!self.smoke).then_some(ok),
            note,
        });
        eprintln!("  {figure}: {value:.2} {unit}");
    }

    fn missing(&mut self, figure: &str, unit: &str, goal: &str, why: &str) {
        self.rows.push(Figure {
            figure: figure.into(),
            value: None,
            unit: unit.into(),
            goal: goal.into(),
            met: None,
            note: why.into(),
        });
    }
}

/// The q-quantile (0 to 1) of durations, in milliseconds.
fn quantile(samples: &mut [Duration], q: f64) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    samples.sort_unstable();
    let rank = ((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
    samples[rank - 1].as_secs_f64() * 1000.0
}

async fn timed<T, F: std::future::Future<Output = T>>(samples: &mut Vec<Duration>, f: F) -> T {
    let started = Instant::now();
    let out = f.await;
    samples.push(started.elapsed());
    out
}

fn account(sim: &RunningSim) -> ProviderAccount {
    ProviderAccount {
        account_sid: ACCOUNT.into(),
        auth_kind: AuthKind::AuthToken,
        api_key_sid: None,
        base_url: Some(sim.base_url()),
    }
}

async fn simulator(numbers: Vec<String>, history: Vec<SeedMessage>) -> Result<RunningSim, String> {
    let config = SimConfig {
        accounts: vec![AccountConfig {
            sid: ACCOUNT.into(),
            auth_token: TOKEN.into(),
            api_keys: vec![],
            numbers,
        }],
        lifecycle: Lifecycle::uniform(Duration::from_millis(20)),
        history,
        ..SimConfig::default()
    };
    RunningSim::start(config, ([127, 0, 0, 1], 0).into())
        .await
        .map_err(|e| format!("the simulator did not start: {e}"))
}

async fn services(
    sim: &RunningSim,
    database: &Path,
    senders: &[String],
    tune: impl FnOnce(&mut Tuning),
) -> Result<Services, String> {
    // The app's own pacing and polling, as `make run` would have them.
    let mut sync = Tuning::default();
    tune(&mut sync);
    switchboard_core::open(OpenOptions {
        database: database.to_path_buf(),
        account: account(sim),
        secret: TOKEN.into(),
        base_url: None,
        senders: senders
            .iter()
            .map(|n| Sender {
                number: n.clone(),
                label: None,
            })
            .collect(),
        sync,
    })
    .await
    .map_err(|e| format!("{e}. {}", e.hint()))
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// p50 and p99 of one list page, in milliseconds.
async fn list_latency(
    core: &Services,
    q: &ConversationQuery,
    rounds: usize,
) -> Result<(f64, f64), String> {
    let mut samples = Vec::new();
    for _ in 0..rounds {
        timed(&mut samples, core.conversations(q))
            .await
            .map_err(err)?;
    }
    Ok((quantile(&mut samples, 0.5), quantile(&mut samples, 0.99)))
}

/// History from the simulator into SQLite, and the same rows through batched inserts.
async fn loading(t: &mut Table, size: Size, dir: &Path) -> Result<(), String> {
    let sender = seed::SENDERS[0].0.to_string();
    let span_ms = 300 * 86_400_000u64;
    let history: Vec<SeedMessage> = (0..size.messages)
        .map(|i| SeedMessage {
            account_sid: ACCOUNT.into(),
            from: seed::contact_number(i % size.conversations.max(1)),
            to: sender.clone(),
            body: format!("Is my order ready? ({i})"),
            age: Duration::from_millis(60_000 + i * span_ms / size.messages.max(1)),
        })
        .collect();
    eprintln!("starting the simulator with {} messages…", size.messages);
    let sim = simulator(vec![sender.clone()], history).await?;
    let since = (Utc::now() - chrono::TimeDelta::days(400)).date_naive();
    let core = services(
        &sim,
        &dir.join("backfill.sqlite"),
        std::slice::from_ref(&sender),
        |s| {
            s.history_since = Some(since);
        },
    )
    .await?;
    eprintln!("loading history…");
    let started = Instant::now();
    while !core.backfill().step().await.map_err(err)? {}
    let secs = started.elapsed().as_secs_f64();
    core.shutdown().await;
    sim.shutdown().await;
    let backfill_rate = size.messages as f64 / secs;
    t.add(
        "history backfill from the simulator over loopback into SQLite",
        backfill_rate,
        "messages/s",
        "≥ 50,000 messages/s",
        backfill_rate >= 50_000.0,
        format!(
            "{} messages, {} conversations in {secs:.1} s",
            size.messages, size.conversations
        ),
    );

    // The ceiling: the same contacts, conversations and messages (the very rows the load
    // stored, with the provider's random SIDs), inserted in batches.
    let rows = stored_rows(&dir.join("backfill.sqlite")).await?;
    if rows.len() as u64 != size.messages {
        return Err(format!(
            "the history load stored {} of {} messages",
            rows.len(),
            size.messages
        ));
    }
    let store = Store::open(&dir.join("ceiling.sqlite"))
        .await
        .map_err(err)?;
    let started = Instant::now();
    seed::basics(&store, 0).await.map_err(err)?;
    seed::contacts_and_conversations(&store, size.conversations.max(1), 1, 0)
        .await
        .map_err(err)?;
    seed::insert_messages(&store, &rows).await.map_err(err)?;
    let secs = started.elapsed().as_secs_f64();
    store.close().await;
    let ceiling = size.messages as f64 / secs;
    t.add(
        "the same rows through plain batched inserts (the ceiling)",
        ceiling,
        "messages/s",
        "backfill ≥ 0.5 × this",
        backfill_rate >= 0.5 * ceiling,
        format!("backfill is {:.2} × the ceiling", backfill_rate / ceiling),
    );
    Ok(())
}

/// Conversation, SID, from, to, body, segments, encoding, time.
type StoredRow = (i64, String, String, String, String, i64, String, i64);

/// The inbound messages a history load stored, as rows to insert again.
async fn stored_rows(path: &Path) -> Result<Vec<seed::MessageRow>, String> {
    let store = Store::open(path).await.map_err(err)?;
    let rows: Vec<StoredRow> = sqlx::query_as(
        "SELECT conversation_id, sid, from_number, to_number, body, segments, encoding, created_at
         FROM messages WHERE direction = 'inbound' ORDER BY id",
    )
    .fetch_all(store.pool())
    .await
    .map_err(err)?;
    store.close().await;
    rows.into_iter()
        .map(
            |(conversation_id, sid, from, to, body, segments, encoding, at)| {
                Ok(seed::MessageRow {
                    conversation_id,
                    sid,
                    outbound: false,
                    from,
                    to,
                    body,
                    status: "received",
                    error_code: None,
                    segments: u32::try_from(segments).map_err(err)?,
                    encoding: Encoding::parse(&encoding)
                        .ok_or_else(|| format!("unknown encoding {encoding}"))?,
                    author_id: None,
                    template_id: None,
                    at,
                })
            },
        )
        .collect()
}

/// The list, a thread, search and insights on a realistic seeded database.
async fn queries(t: &mut Table, size: Size, dir: &Path, rounds: usize) -> Result<(), String> {
    let path = dir.join("seeded.sqlite");
    let store = Store::open(&path).await.map_err(err)?;
    eprintln!("seeding {} messages…", size.messages);
    seed::fill(&store, size, 7).await?;
    store.close().await;
    // A provider nobody answers: the queries never need one.
    let sim = simulator(vec![], vec![]).await?;
    let core = services(&sim, &path, &[], |_| {}).await?;

    let mut worst = 0.0f64;
    let mut parts = Vec::new();
    for (name, view) in [
        ("All", View::Open),
        ("Mine", View::Mine),
        ("Failed", View::Failed),
    ] {
        let q = ConversationQuery {
            me: Some(1),
            limit: 100,
            ..ConversationQuery::of(view)
        };
        let (p50, p99) = list_latency(&core, &q, rounds).await?;
        worst = worst.max(p99);
        parts.push(format!("{name} p50 {p50:.2} / p99 {p99:.2} ms"));
    }
    t.add(
        "conversation list page (All, Mine, Failed), worst p99",
        worst,
        "ms",
        "p99 ≤ 5 ms",
        worst <= 5.0,
        parts.join("; "),
    );

    // Where a person scrolled or dragged to: the list asks for pages by offset, and the middle
    // is the deepest a page goes (the bottom half is counted from the bottom).
    let mut q = ConversationQuery {
        limit: 100,
        ..ConversationQuery::of(View::Open)
    };
    q.offset = core.conversations(&q).await.map_err(err)?.total / 2;
    let (p50, p99) = list_latency(&core, &q, rounds).await?;
    t.add(
        "conversation list page halfway down All, p99",
        p99,
        "ms",
        "p99 ≤ 5 ms",
        p99 <= 5.0,
        format!("offset {}: p50 {p50:.2} ms", q.offset),
    );

    let mut rng = StdRng::seed_from_u64(3);
    let mut samples = Vec::new();
    for _ in 0..rounds {
        let id = rng.random_range(1..=size.conversations.max(1) as i64);
        timed(&mut samples, core.thread(id)).await.map_err(err)?;
    }
    let p99 = quantile(&mut samples, 0.99);
    t.add(
        "open a thread, p99",
        p99,
        "ms",
        "≤ 5 ms",
        p99 <= 5.0,
        format!("p50 {:.2} ms", quantile(&mut samples, 0.5)),
    );

    let mut parts = Vec::new();
    let mut worst = 0.0f64;
    for word in [seed::COMMON_WORD, seed::RARE_WORD] {
        let mut samples = Vec::new();
        for _ in 0..rounds.min(100) {
            timed(&mut samples, core.search(word, 20, &Default::default()))
                .await
                .map_err(err)?;
        }
        let p99 = quantile(&mut samples, 0.99);
        worst = worst.max(p99);
        parts.push(format!("“{word}” p99 {p99:.2} ms"));
    }
    t.add(
        "full-text search, a common and a rare word, worst p99",
        worst,
        "ms",
        "≤ 50 ms",
        worst <= 50.0,
        parts.join("; "),
    );

    // As many rounds as the list: of thirty, the 99th percentile was just the slowest one,
    // the first call on a cold cache.
    let mut samples = Vec::new();
    for _ in 0..rounds {
        let w = Window::last_days(30, Utc::now(), 0);
        timed(&mut samples, core.insights(&w)).await.map_err(err)?;
    }
    let p99 = quantile(&mut samples, 0.99);
    t.add(
        "insights breakdowns over 30 days, p99",
        p99,
        "ms",
        "≤ 100 ms",
        p99 <= 100.0,
        format!("p50 {:.2} ms", quantile(&mut samples, 0.5)),
    );
    core.shutdown().await;
    sim.shutdown().await;
    Ok(())
}

/// Messages accepted by the provider so far.
async fn accepted(core: &Services) -> Result<i64, String> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM messages WHERE direction = 'outbound' AND sid IS NOT NULL",
    )
    .fetch_one(core.store().pool())
    .await
    .map_err(err)
}

/// The outbox against an unthrottled simulator, and pacing at one message a second.
async fn sending(
    t: &mut Table,
    dir: &Path,
    sends: u64,
    senders: usize,
    per_sender: usize,
) -> Result<(), String> {
    let numbers: Vec<String> = (0..senders.max(1))
        .map(|i| format!("+1415555{:04}", 100 + i))
        .collect();

    let sim = simulator(numbers.clone(), vec![]).await?;
    let core = services(&sim, &dir.join("outbox.sqlite"), &numbers[..1], |s| {
        s.pacing = Pacing {
            segments_per_second: 1_000_000.0,
            burst: 1_000_000,
            ..Pacing::default()
        };
    })
    .await?;
    for i in 0..sends {
        core.send(SendInput {
            to: Some(seed::contact_number(i)),
            body: format!("Your order {i} is ready"),
            confirmed: true,
            ..Default::default()
        })
        .await
        .map_err(err)?;
    }
    let started = Instant::now();
    core.start();
    while accepted(&core).await? < sends as i64 {
        if started.elapsed() > Duration::from_secs(600) {
            return Err("the outbox did not finish within 10 minutes".into());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let rate = sends as f64 / started.elapsed().as_secs_f64();
    core.shutdown().await;
    t.add(
        "outbox to an unthrottled simulator",
        rate,
        "sends/s",
        "≥ 500 sends/s",
        rate >= 500.0,
        format!("{sends} messages"),
    );

    // Pacing: every sender at the product's pace; after its burst, one a second.
    let core = services(&sim, &dir.join("pacing.sqlite"), &numbers, |_| {}).await?;
    let burst = Pacing::default().burst as usize;
    let count = burst + per_sender;
    for i in 0..count {
        for (s, from) in numbers.iter().enumerate() {
            core.send(SendInput {
                to: Some(seed::contact_number((s * count + i) as u64)),
                from: Some(from.clone()),
                body: format!("Pacing {s} {i}"),
                confirmed: true,
                ..Default::default()
            })
            .await
            .map_err(err)?;
        }
    }
    let total = (count * numbers.len()) as i64;
    let started = Instant::now();
    core.start();
    while accepted(&core).await? < total {
        if started.elapsed() > Duration::from_secs(120 + count as u64 * 2) {
            return Err("pacing: the messages did not all go out".into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut worst = 0.0f64;
    for from in &numbers {
        let times: Vec<i64> = sqlx::query_scalar(
            "SELECT a.started_at FROM send_attempts a JOIN messages m ON m.id = a.message_id
             WHERE a.kind = 'create' AND m.from_number = ?1 ORDER BY a.started_at",
        )
        .bind(from)
        .fetch_all(core.store().pool())
        .await
        .map_err(err)?;
        // The steady rate: the sends after the burst, one interval each.
        let steady = &times[burst.min(times.len().saturating_sub(1))..];
        if steady.len() >= 2 {
            let span = (steady[steady.len() - 1] - steady[0]) as f64 / 1000.0;
            let rate = (steady.len() - 1) as f64 / span.max(f64::EPSILON);
            worst = worst.max((rate - 1.0).abs() * 100.0);
        }
    }
    core.shutdown().await;
    sim.shutdown().await;
    t.add(
        &format!(
            "pacing at 1 message/s per sender over {} senders, worst error",
            numbers.len()
        ),
        worst,
        "%",
        "within ±5 %",
        worst <= 5.0,
        format!("{per_sender} paced sends per sender after a burst of {burst}"),
    );
    Ok(())
}

/// Sizes of the release build, when `make bench` built it.
fn sizes(t: &mut Table) {
    let mb = |p: &Path| {
        std::fs::metadata(p)
            .ok()
            .map(|m| m.len() as f64 / 1_048_576.0)
    };
    match mb(Path::new("target/release/switchboard-desktop")) {
        Some(size) => t.add(
            "release binary",
            size,
            "MB",
            "≤ 25 MB",
            size <= 25.0,
            "target/release/switchboard-desktop".into(),
        ),
        None => t.missing(
            "release binary",
            "MB",
            "≤ 25 MB",
            "no release build (make bench builds one)",
        ),
    }
    let deb = std::fs::read_dir("target/release/bundle/deb")
        .ok()
        .and_then(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "deb"))
        });
    match deb.as_deref().and_then(mb) {
        Some(size) => t.add(
            ".deb package",
            size,
            "MB",
            "≤ 15 MB",
            size <= 15.0,
            String::new(),
        ),
        None => t.missing(
            ".deb package",
            "MB",
            "≤ 15 MB",
            "not built (tauri build --bundles deb)",
        ),
    }
}

fn print(t: &Table) {
    println!("{:<70} {:>14}  {:<22} met", "figure", "value", "goal");
    for f in &t.rows {
        let value = f
            .value
            .map(|v| format!("{v:.2} {}", f.unit))
            .unwrap_or_else(|| "—".into());
        let met = match f.met {
            Some(true) => "yes",
            Some(false) => "NO",
            None => "—",
        };
        println!("{:<70} {:>14}  {:<22} {met}", f.figure, value, f.goal);
        if !f.note.is_empty() {
            println!("    {}", f.note);
        }
    }
}

/// One figure measured in the window by tests/e2e/bench-app.mjs.
#[derive(Debug, serde::Deserialize)]
struct AppFigure {
    figure: String,
    value: f64,
    #[serde(default)]
    note: String,
}

/// The window's figures from `app` (written by tests/e2e/bench-app.mjs), or rows saying they
/// were not measured.
fn app_figures(t: &mut Table, app: Option<&Path>) -> Result<(), String> {
    let measured: Vec<AppFigure> = match app {
        Some(path) => serde_json::from_str(
            &std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?,
        )
        .map_err(|e| format!("{}: {e}", path.display()))?,
        None => Vec::new(),
    };
    let rows: [(&str, &str, &str, &str, f64); 3] = [
        (
            "launch",
            "app: launch to first inbox paint on the seeded database (real window)",
            "ms",
            "≤ 1 s",
            1000.0,
        ),
        (
            "memory",
            "app: idle memory, app and WebKit processes (PSS), after loading the inbox",
            "MB",
            "≤ 200 MB",
            200.0,
        ),
        (
            "dom",
            "DOM nodes in the list, seeded inbox open",
            "nodes",
            "bounded (≤ 500)",
            500.0,
        ),
    ];
    for (key, figure, unit, goal, limit) in rows {
        match measured.iter().find(|m| m.figure == key) {
            Some(m) => t.add(
                figure,
                m.value,
                unit,
                goal,
                m.value <= limit,
                m.note.clone(),
            ),
            None => t.missing(
                figure,
                unit,
                goal,
                "measured by make bench in the real window (tests/e2e/bench-app.mjs)",
            ),
        }
    }
    Ok(())
}

/// A group of figures measured together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Group {
    /// History backfill and the ceiling.
    Loading,
    /// List, thread, search and insights on a seeded database.
    Queries,
    /// Outbox throughput and pacing.
    Sending,
    /// Binary and package sizes, and the window's figures.
    App,
}

/// Runs the figures of `only` (every one when empty), prints the table and writes it as JSON
/// to `out`; the window's figures come from `app` when given.
pub async fn run(
    size: Size,
    smoke: bool,
    out: &Path,
    app: Option<&Path>,
    only: &[Group],
) -> Result<(), String> {
    let wanted = |g: Group| only.is_empty() || only.contains(&g);
    let size = if smoke {
        Size {
            messages: 3_000,
            conversations: 300,
        }
    } else {
        size
    };
    if size.messages == 0 || size.conversations == 0 || size.conversations > size.messages {
        return Err("give at least one message and no more conversations than messages".into());
    }
    let dir = tempfile::tempdir().map_err(err)?;
    let mut t = Table {
        smoke,
        rows: Vec::new(),
    };
    if wanted(Group::Loading) {
        loading(&mut t, size, dir.path()).await?;
    }
    if wanted(Group::Queries) {
        queries(&mut t, size, dir.path(), if smoke { 20 } else { 300 }).await?;
    }
    if wanted(Group::Sending) {
        if smoke {
            sending(&mut t, dir.path(), 100, 2, 2).await?;
        } else {
            sending(&mut t, dir.path(), 2_000, 20, 5).await?;
        }
    }
    if wanted(Group::App) {
        sizes(&mut t);
        app_figures(&mut t, app)?;
    }
    print(&t);
    let report = Report {
        generated_at: Utc::now().to_rfc3339(),
        messages: size.messages,
        conversations: size.conversations,
        smoke,
        build: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        figures: t.rows,
    };
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent).map_err(err)?;
    }
    std::fs::write(out, serde_json::to_string_pretty(&report).map_err(err)?).map_err(err)?;
    eprintln!("written to {}", out.display());
    Ok(())
}
