//! How long a list page takes with a million messages stored.
//!
//! `cargo run -p switchboard-sim --example list_bench --release` seeds one account with
//! 1,000,000 inbound messages (1,000 customers writing to 3 numbers), then times pages of 50
//! over HTTP: unfiltered, by `To`, by `From`, by both, and deep paging by `next_page_uri`.

use std::time::{Duration, Instant};

use switchboard_sim::{AccountConfig, RunningSim, SeedMessage, SimConfig};

const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "bench-token";
const NUMBERS: [&str; 3] = ["+14155550100", "+14155550101", "+14155550102"];
const MESSAGES: u64 = 1_000_000;
const CUSTOMERS: u64 = 1_000;
const ROUNDS: u32 = 50;

fn customer(i: u64) -> String {
    format!("+1212555{:04}", i % CUSTOMERS)
}

fn config() -> SimConfig {
    let history = (0..MESSAGES)
        .map(|i| SeedMessage {
            account_sid: ACCOUNT.into(),
            from: customer(i),
            to: NUMBERS[(i % 3) as usize].into(),
            body: format!("message {i}"),
            age: Duration::from_secs(MESSAGES - i),
        })
        .collect();
    SimConfig {
        accounts: vec![AccountConfig {
            sid: ACCOUNT.into(),
            auth_token: TOKEN.into(),
            api_keys: vec![],
            numbers: NUMBERS.iter().map(|n| (*n).to_owned()).collect(),
        }],
        history,
        ..SimConfig::default()
    }
}

async fn get(http: &reqwest::Client, base: &str, path: &str) -> serde_json::Value {
    let response = http
        .get(format!("{base}{path}"))
        .basic_auth(ACCOUNT, Some(TOKEN))
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), 200);
    response.json().await.expect("JSON page")
}

async fn time_pages(http: &reqwest::Client, base: &str, label: &str, query: &str) {
    let path = format!("/2010-04-01/Accounts/{ACCOUNT}/Messages.json?PageSize=50{query}");
    let mut total = Duration::ZERO;
    let mut worst = Duration::ZERO;
    let mut items = 0;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let page = get(http, base, &path).await;
        let took = started.elapsed();
        total += took;
        worst = worst.max(took);
        items = page["messages"].as_array().map_or(0, Vec::len);
    }
    println!(
        "{label:<28} {:>7.3} ms/page (worst {:>7.3} ms), {items} messages",
        total.as_secs_f64() * 1000.0 / f64::from(ROUNDS),
        worst.as_secs_f64() * 1000.0
    );
}

#[tokio::main]
async fn main() {
    let seeding = Instant::now();
    let config = config();
    let sim = RunningSim::start(config, ([127, 0, 0, 1], 0).into())
        .await
        .expect("simulator starts");
    println!(
        "seeded {MESSAGES} messages in {:.1} s",
        seeding.elapsed().as_secs_f64()
    );
    let base = sim.base_url();
    let http = reqwest::Client::new();

    time_pages(&http, &base, "no filter", "").await;
    time_pages(&http, &base, "To=<number>", "&To=%2B14155550101").await;
    time_pages(&http, &base, "From=<customer>", "&From=%2B12125550007").await;
    time_pages(
        &http,
        &base,
        "To + From",
        "&To=%2B14155550101&From=%2B12125550007",
    )
    .await;
    time_pages(&http, &base, "To with no messages", "&To=%2B19999999999").await;

    // Deep paging the way a client does it: following next_page_uri.
    let mut path = format!("/2010-04-01/Accounts/{ACCOUNT}/Messages.json?PageSize=50");
    let started = Instant::now();
    let pages = 200;
    for _ in 0..pages {
        let page = get(&http, &base, &path).await;
        match page["next_page_uri"].as_str() {
            Some(next) => path = next.to_owned(),
            None => break,
        }
    }
    println!(
        "{:<28} {:>7.3} ms/page over {pages} pages",
        "next_page_uri walk",
        started.elapsed().as_secs_f64() * 1000.0 / f64::from(pages)
    );
    sim.shutdown().await;
}
