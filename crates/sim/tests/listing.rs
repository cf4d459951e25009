//! The list operation: order, paging by next_page_uri, page tokens, filters.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, NaiveDate};
use common::*;
use serde_json::Value;
use switchboard_sim::{Lifecycle, SeedMessage};

fn sids(page: &Value) -> Vec<String> {
    page["messages"]
        .as_array()
        .map(|ms| {
            ms.iter()
                .filter_map(|m| m["sid"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn day_of(rfc2822: &Value) -> NaiveDate {
    let text = rfc2822.as_str().expect("date is a string");
    DateTime::parse_from_rfc2822(text)
        .expect("RFC 2822")
        .naive_utc()
        .date()
}

#[tokio::test]
async fn list_is_newest_first() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let mut created = Vec::new();
    for i in 0..3 {
        let m = client.send(STRANGER, &format!("message {i}")).await;
        created.push(m["sid"].as_str().expect("sid").to_owned());
    }
    let inbound = sim.inject_inbound(ACCOUNT, STRANGER, SENDER, "latest");
    created.push(inbound);
    created.reverse();

    let (status, page) = client.list("").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(sids(&page), created);
    assert_eq!(page["page"], 0);
    assert_eq!(page["page_size"], 50);
    assert_eq!(page["start"], 0);
    assert_eq!(page["end"], 3);
    assert!(page["next_page_uri"].is_null());
    assert!(page["previous_page_uri"].is_null());
    let first = format!("{}?PageSize=50&Page=0", client.messages_path());
    assert_eq!(page["first_page_uri"], first.as_str());
    assert_eq!(page["uri"], first.as_str());
    assert_eq!(page["messages"][0]["direction"], "inbound");
    assert_eq!(page["messages"][0]["status"], "received");
    assert_eq!(page["messages"][1]["direction"], "outbound-api");
    sim.shutdown().await;
}

#[tokio::test]
async fn paging_120_messages_by_next_page_uri() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let mut all = HashSet::new();
    for i in 0..120 {
        all.insert(sim.inject_inbound(ACCOUNT, STRANGER, SENDER, &format!("n{i}")));
    }
    // Noise in another account must not show up.
    sim.inject_inbound(OTHER_ACCOUNT, STRANGER, "+14155550177", "elsewhere");

    let (status, mut page) = client.list("PageSize=50").await;
    assert_eq!(status, 200, "{page}");
    let mut seen: Vec<String> = Vec::new();
    let mut pages = 0;
    let mut last_created: Option<DateTime<chrono::FixedOffset>> = None;
    loop {
        pages += 1;
        assert_eq!(page["page"], pages - 1);
        assert_eq!(page["page_size"], 50);
        assert_eq!(page["start"], (pages - 1) * 50);
        let n = page["messages"].as_array().map_or(0, Vec::len) as u64;
        assert_eq!(page["end"], (pages - 1) * 50 + n - 1);
        for m in page["messages"].as_array().into_iter().flatten() {
            let created = m["date_created"]
                .as_str()
                .and_then(|s| DateTime::parse_from_rfc2822(s).ok())
                .expect("date_created");
            assert!(
                last_created.is_none_or(|prev| created <= prev),
                "not newest first"
            );
            last_created = Some(created);
        }
        seen.extend(sids(&page));
        if pages == 1 {
            // New arrivals between pages must not shift or repeat what follows.
            for i in 0..7 {
                sim.inject_inbound(ACCOUNT, STRANGER, SENDER, &format!("late {i}"));
            }
        }
        let Some(next) = page["next_page_uri"].as_str().map(str::to_owned) else {
            break;
        };
        assert!(next.starts_with(&client.messages_path()), "{next}");
        assert!(next.contains("PageToken=PA"), "{next}");
        let (status, json) = client.get(&next).await;
        assert_eq!(status, 200, "{json}");
        page = json;
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 120);
    let unique: HashSet<String> = seen.into_iter().collect();
    assert_eq!(unique, all);
    sim.shutdown().await;
}

#[tokio::test]
async fn previous_page_uri_leads_back() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    for i in 0..5 {
        sim.inject_inbound(ACCOUNT, STRANGER, SENDER, &format!("n{i}"));
    }
    let (_, first) = client.list("PageSize=2").await;
    let next = first["next_page_uri"].as_str().expect("next").to_owned();
    let (_, second) = client.get(&next).await;
    assert_eq!(second["page"], 1);
    let prev = second["previous_page_uri"]
        .as_str()
        .expect("prev")
        .to_owned();
    let (status, back) = client.get(&prev).await;
    assert_eq!(status, 200, "{back}");
    assert_eq!(sids(&back), sids(&first));
    assert_eq!(back["page"], 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn filters_are_kept_in_page_uris() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    for i in 0..3 {
        sim.inject_inbound(ACCOUNT, CUSTOMER, SENDER, &format!("c{i}"));
        sim.inject_inbound(ACCOUNT, STRANGER, SENDER_2, &format!("s{i}"));
    }
    let (status, page) = client.list("From=%2B12125550142&PageSize=2").await;
    assert_eq!(status, 200);
    assert_eq!(sids(&page).len(), 2);
    let next = page["next_page_uri"].as_str().expect("next").to_owned();
    assert!(next.contains("From=%2B12125550142"), "{next}");
    let (_, rest) = client.get(&next).await;
    assert_eq!(sids(&rest).len(), 1);
    assert!(rest["next_page_uri"].is_null());
    for m in [&page, &rest]
        .iter()
        .flat_map(|p| p["messages"].as_array().into_iter().flatten())
    {
        assert_eq!(m["from"], CUSTOMER);
    }
    let (_, to_filtered) = client.list("To=%2B14155550101").await;
    assert_eq!(sids(&to_filtered).len(), 3);
    let (_, both) = client.list("To=%2B14155550101&From=%2B12125550142").await;
    assert_eq!(sids(&both).len(), 0);
    assert_eq!(both["end"], 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn invalid_page_token_and_page_size() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    sim.inject_inbound(ACCOUNT, STRANGER, SENDER, "x");
    for token in [
        "garbage",
        "PASM00000000000000000000000000000000",
        "PA",
        "PB%20",
    ] {
        let (status, json) = client
            .list(&format!("PageSize=5&Page=1&PageToken={token}"))
            .await;
        assert_error(status, &json, 400, 21481);
    }
    // A token anchored on another account's message is no good here either.
    let foreign = sim.inject_inbound(OTHER_ACCOUNT, STRANGER, "+14155550177", "y");
    let (status, json) = client.list(&format!("PageToken=PA{foreign}")).await;
    assert_error(status, &json, 400, 21481);

    for size in ["0", "1001", "-3", "ten"] {
        let (status, json) = client.list(&format!("PageSize={size}")).await;
        assert_error(status, &json, 400, 20001);
    }
    let (status, page) = client.list("PageSize=1000").await;
    assert_eq!(status, 200);
    assert_eq!(page["page_size"], 1000);
    sim.shutdown().await;
}

#[tokio::test]
async fn date_sent_filters_use_gmt_days() {
    let mut config = config();
    config.lifecycle = Lifecycle::uniform(Duration::from_secs(60));
    let seed = |body: &str, hours: u64| SeedMessage {
        account_sid: ACCOUNT.into(),
        from: CUSTOMER.into(),
        to: SENDER.into(),
        body: body.into(),
        age: Duration::from_secs(hours * 3600),
    };
    config.history = vec![seed("old", 72), seed("mid", 24), seed("new", 0)];
    let sim = start(config).await;
    let client = Client::new(&sim);
    // Never sent (lifecycle is slow), so it has no date_sent and no date filter matches it.
    let queued = client.send(STRANGER, "queued").await;
    assert!(queued["date_sent"].is_null());

    let (_, everything) = client.list("").await;
    let messages = everything["messages"].as_array().expect("messages").clone();
    assert_eq!(messages.len(), 4);
    let seeded: Vec<(String, NaiveDate)> = messages
        .iter()
        .filter(|m| m["direction"] == "inbound")
        .map(|m| {
            assert_eq!(m["date_sent"], m["date_created"]);
            (
                m["body"].as_str().expect("body").to_owned(),
                day_of(&m["date_sent"]),
            )
        })
        .collect();
    let mid_day = seeded
        .iter()
        .find(|(b, _)| b == "mid")
        .map(|(_, d)| *d)
        .expect("mid seeded");

    let bodies = |page: &Value| -> HashSet<String> {
        page["messages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| m["body"].as_str().map(str::to_owned))
            .collect()
    };
    let expect = |pred: &dyn Fn(NaiveDate) -> bool| -> HashSet<String> {
        seeded
            .iter()
            .filter(|(_, d)| pred(*d))
            .map(|(b, _)| b.clone())
            .collect()
    };

    let day = mid_day.format("%Y-%m-%d").to_string();
    let (status, on) = client.list(&format!("DateSent={day}")).await;
    assert_eq!(status, 200, "{on}");
    assert_eq!(bodies(&on), expect(&|d| d == mid_day));
    assert!(bodies(&on).contains("mid"));

    let (_, before) = client.list(&format!("DateSent%3C={day}")).await;
    assert_eq!(bodies(&before), expect(&|d| d <= mid_day));
    assert!(bodies(&before).contains("old") && !bodies(&before).contains("new"));

    let (_, after) = client.list(&format!("DateSent%3E={day}")).await;
    assert_eq!(bodies(&after), expect(&|d| d >= mid_day));
    assert!(bodies(&after).contains("new") && !bodies(&after).contains("old"));
    assert!(after["first_page_uri"]
        .as_str()
        .is_some_and(|u| u.contains(&format!("DateSent%3E={day}"))));

    // A full timestamp is accepted and only its GMT day counts.
    let (status, stamp) = client.list(&format!("DateSent%3E={day}T23:59:59Z")).await;
    assert_eq!(status, 200, "{stamp}");
    assert_eq!(bodies(&stamp), bodies(&after));

    // The unencoded form a hand-written URL would use parses the same way.
    let (_, raw) = client.list(&format!("DateSent<={day}")).await;
    assert_eq!(bodies(&raw), bodies(&before));

    let (status, json) = client.list("DateSent=last-tuesday").await;
    assert_error(status, &json, 400, 20001);
    sim.shutdown().await;
}

#[tokio::test]
async fn both_filters_page_through_the_narrower_index() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let (a, b) = ("+12125550001", "+12125550002");
    let mut wanted = Vec::new();
    for i in 0..30 {
        sim.inject_inbound(ACCOUNT, a, SENDER, &format!("a1 {i}"));
        if i % 6 == 0 {
            wanted.push(sim.inject_inbound(ACCOUNT, a, SENDER_2, &format!("a2 {i}")));
        }
        sim.inject_inbound(ACCOUNT, b, SENDER_2, &format!("b2 {i}"));
        sim.inject_inbound(ACCOUNT, b, SENDER_2, &format!("b2' {i}"));
    }
    wanted.reverse();
    let mut path = format!(
        "{}?To=%2B14155550101&From=%2B12125550001&PageSize=2",
        client.messages_path()
    );
    let mut seen = Vec::new();
    loop {
        let (status, page) = client.get(&path).await;
        assert_eq!(status, 200, "{page}");
        seen.extend(sids(&page));
        match page["next_page_uri"].as_str() {
            Some(next) => path = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, wanted);
    let (_, none) = client.list("To=%2B14155550100&From=%2B12125550002").await;
    assert_eq!(sids(&none), Vec::<String>::new());
    sim.shutdown().await;
}
