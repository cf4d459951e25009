//! Create and fetch over real HTTP: shapes, validation codes, magic numbers, auth, 404s.

mod common;

use std::time::Duration;

use common::*;
use serde_json::Value;

fn rfc2822_gmt(v: &Value) -> bool {
    v.as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc2822(s).ok().map(|t| (s, t)))
        .is_some_and(|(s, t)| s.ends_with(" +0000") && t.offset().local_minus_utc() == 0)
}

#[tokio::test]
async fn create_returns_201_with_twilio_message_shape() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let (status, m) = client
        .create(&[("To", STRANGER), ("From", SENDER), ("Body", "Hello there")])
        .await;
    assert_eq!(status, 201, "{m}");

    let sid = m["sid"].as_str().expect("sid is a string");
    assert!(is_message_sid(sid) && sid.starts_with("SM"), "{sid}");
    assert_eq!(m["account_sid"], ACCOUNT);
    assert!(m["messaging_service_sid"].is_null());
    assert_eq!(m["from"], SENDER);
    assert_eq!(m["to"], STRANGER);
    assert_eq!(m["body"], "Hello there");
    assert_eq!(m["status"], "queued");
    assert_eq!(m["direction"], "outbound-api");
    assert_eq!(m["num_segments"], Value::String("1".into()));
    assert_eq!(m["num_media"], Value::String("0".into()));
    assert!(m["price"].is_null());
    assert_eq!(m["price_unit"], "USD");
    assert!(m["error_code"].is_null());
    assert!(m["error_message"].is_null());
    assert!(rfc2822_gmt(&m["date_created"]), "{}", m["date_created"]);
    assert!(rfc2822_gmt(&m["date_updated"]), "{}", m["date_updated"]);
    assert!(m["date_sent"].is_null());
    assert_eq!(m["api_version"], "2010-04-01");
    let base = format!("/2010-04-01/Accounts/{ACCOUNT}/Messages/{sid}");
    assert_eq!(m["uri"], format!("{base}.json"));
    assert_eq!(m["subresource_uris"]["media"], format!("{base}/Media.json"));
    assert_eq!(
        m["subresource_uris"]["feedback"],
        format!("{base}/Feedback.json")
    );
    let fields = m.as_object().map(|o| o.len());
    assert_eq!(fields, Some(20), "exactly the spec's 20 fields: {m}");

    let (status, fetched) = client.fetch(sid).await;
    assert_eq!(status, 200);
    assert_eq!(fetched["sid"], sid);
    assert_eq!(fetched["body"], "Hello there");
    sim.shutdown().await;
}

#[tokio::test]
async fn responses_are_json() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let response = client
        .http
        .get(format!("{}{}", sim.base_url(), client.messages_path()))
        .basic_auth(ACCOUNT, Some(TOKEN))
        .send()
        .await
        .expect("sent");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    assert_eq!(content_type.as_deref(), Some("application/json"));
    sim.shutdown().await;
}

#[tokio::test]
async fn media_urls_are_repeated_keys_and_counted() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let (status, m) = client
        .create(&[
            ("To", STRANGER),
            ("From", SENDER),
            ("MediaUrl", "https://example.com/a.png"),
            ("MediaUrl", "http://example.com/b.jpg"),
        ])
        .await;
    assert_eq!(status, 201, "{m}");
    assert_eq!(m["num_media"], "2");
    assert_eq!(m["body"], "");
    assert!(m["sid"]
        .as_str()
        .is_some_and(|s| s.starts_with("MM") && is_message_sid(s)));
    sim.shutdown().await;
}

#[tokio::test]
async fn segment_counts_are_strings_and_follow_encoding() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let cases = [
        ("a".repeat(160), "1"),
        ("a".repeat(161), "2"),
        (format!("{}€", "a".repeat(159)), "2"),
        (format!("{}😀", "a".repeat(68)), "1"),
        (format!("{}😀", "a".repeat(70)), "2"),
        (format!("{}é", "a".repeat(160)), "2"),
    ];
    for (body, expected) in &cases {
        let m = client.send(STRANGER, body).await;
        assert_eq!(
            m["num_segments"].as_str(),
            Some(*expected),
            "body of {} chars",
            body.chars().count()
        );
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn validation_errors_in_twilio_order() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let long = "a".repeat(1601);
    let eleven: Vec<(&str, &str)> =
        std::iter::repeat_n(("MediaUrl", "https://example.com/x.png"), 11)
            .chain([("To", STRANGER), ("From", SENDER)])
            .collect();
    let cases: Vec<(Vec<(&str, &str)>, u64)> = vec![
        (vec![("From", SENDER), ("Body", "x")], 21604),
        (vec![("To", STRANGER), ("Body", "x")], 21603),
        (vec![("To", STRANGER), ("From", SENDER)], 21602),
        (
            vec![("To", STRANGER), ("From", SENDER), ("Body", "")],
            21602,
        ),
        (
            vec![("To", STRANGER), ("From", SENDER), ("Body", &long)],
            21617,
        ),
        (eleven, 21623),
        (
            vec![
                ("To", STRANGER),
                ("From", SENDER),
                ("MediaUrl", "ftp://example.com/a"),
            ],
            21620,
        ),
        (
            vec![("To", "5551234567"), ("From", SENDER), ("Body", "x")],
            21211,
        ),
        (
            vec![("To", STRANGER), ("From", "not-a-number"), ("Body", "x")],
            21212,
        ),
        (vec![("To", SENDER), ("From", SENDER), ("Body", "x")], 21266),
        (
            vec![("To", STRANGER), ("From", "+14155550199"), ("Body", "x")],
            21606,
        ),
        // Another account's number is not ours either.
        (
            vec![("To", STRANGER), ("From", "+14155550177"), ("Body", "x")],
            21606,
        ),
    ];
    for (form, code) in &cases {
        let (status, json) = client.create(form).await;
        assert_error(status, &json, 400, *code);
    }
    let (status, json) = client
        .create(&[("To", "5551234567"), ("From", SENDER), ("Body", "x")])
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        json["message"],
        "The 'To' number 5551234567 is not a valid phone number."
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn magic_numbers_give_their_codes() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let cases = [
        ("+15005550001", STRANGER, 21212),
        ("+15005550007", STRANGER, 21606),
        ("+15005550008", STRANGER, 21611),
        ("+15005550006", "+15005550001", 21211),
        ("+15005550006", "+15005550002", 21612),
        ("+15005550006", "+15005550003", 21408),
        ("+15005550006", "+15005550004", 21610),
        ("+15005550006", "+15005550009", 21614),
        (SENDER, "+15005550004", 21610),
    ];
    for (from, to, code) in cases {
        let (status, json) = client
            .create(&[("To", to), ("From", from), ("Body", "magic")])
            .await;
        assert_error(status, &json, 400, code);
    }
    // The always-valid sender works for every account even though none lists it.
    let other = Client::with_creds(&sim, OTHER_ACCOUNT, OTHER_ACCOUNT, OTHER_TOKEN);
    let (status, json) = other
        .create(&[("To", STRANGER), ("From", "+15005550006"), ("Body", "ok")])
        .await;
    assert_eq!(status, 201, "{json}");
    sim.shutdown().await;
}

#[tokio::test]
async fn bad_credentials_get_401_20003() {
    let sim = start(config()).await;
    let form = [("To", STRANGER), ("From", SENDER), ("Body", "x")];

    let wrong = Client::with_creds(&sim, ACCOUNT, ACCOUNT, "nope");
    let (status, json) = wrong.create(&form).await;
    assert_error(status, &json, 401, 20003);
    assert_eq!(json["message"], "Authenticate");

    // The other account's valid credentials do not open this account.
    let cross = Client::with_creds(&sim, ACCOUNT, OTHER_ACCOUNT, OTHER_TOKEN);
    let (status, json) = cross.list("").await;
    assert_error(status, &json, 401, 20003);

    // Valid credentials, but the account in the path does not exist.
    let unknown = Client::with_creds(&sim, "AC99999999999999999999999999999999", ACCOUNT, TOKEN);
    let (status, json) = unknown.list("").await;
    assert_error(status, &json, 401, 20003);

    let response = reqwest::Client::new()
        .get(format!(
            "{}/2010-04-01/Accounts/{ACCOUNT}/Messages.json",
            sim.base_url()
        ))
        .send()
        .await
        .expect("sent");
    assert!(response.headers().contains_key("www-authenticate"));
    let (status, json) = read(response).await;
    assert_error(status, &json, 401, 20003);

    let garbage = reqwest::Client::new()
        .get(format!(
            "{}/2010-04-01/Accounts/{ACCOUNT}/Messages.json",
            sim.base_url()
        ))
        .header("authorization", "Basic !!!not-base64")
        .send()
        .await
        .expect("sent");
    let (status, json) = read(garbage).await;
    assert_error(status, &json, 401, 20003);

    // An API key of the account works in place of the token.
    let key = Client::with_creds(&sim, ACCOUNT, KEY_SID, KEY_SECRET);
    let (status, json) = key.create(&form).await;
    assert_eq!(status, 201, "{json}");

    // Every create request counts, rejected ones included.
    assert_eq!(sim.create_requests(), 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn unknown_sids_and_routes_get_404_20404() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let (status, json) = client.fetch("SM00000000000000000000000000000000").await;
    assert_error(status, &json, 404, 20404);

    // A message of another account is not visible through this one.
    let other = Client::with_creds(&sim, OTHER_ACCOUNT, OTHER_ACCOUNT, OTHER_TOKEN);
    let theirs = other
        .create(&[("To", STRANGER), ("From", "+14155550177"), ("Body", "x")])
        .await;
    assert_eq!(theirs.0, 201);
    let their_sid = theirs.1["sid"].as_str().expect("sid").to_owned();
    let (status, json) = client.fetch(&their_sid).await;
    assert_error(status, &json, 404, 20404);

    for path in [
        "/",
        "/2010-04-01/Accounts/{ACCOUNT}/Calls.json",
        "/2010-04-01/Accounts/{ACCOUNT}/Messages/SM00000000000000000000000000000000",
        "/2010-04-01/Accounts/%FF%FE/Messages.json",
    ] {
        let (status, json) = client.get(&path.replace("{ACCOUNT}", ACCOUNT)).await;
        assert_error(status, &json, 404, 20404);
    }

    let response = client
        .http
        .delete(format!("{}{}", sim.base_url(), client.messages_path()))
        .basic_auth(ACCOUNT, Some(TOKEN))
        .send()
        .await
        .expect("sent");
    let (status, json) = read(response).await;
    assert_error(status, &json, 405, 20004);
    sim.shutdown().await;
}

#[tokio::test]
async fn odd_bodies_never_panic() {
    let sim = start(config()).await;
    let url = format!(
        "{}/2010-04-01/Accounts/{ACCOUNT}/Messages.json",
        sim.base_url()
    );
    let http = reqwest::Client::new();
    let bodies: [&[u8]; 5] = [
        b"",
        b"%%%&&&===",
        b"To=%FF%FE&From=%2B14155550100&Body=x",
        b"\xff\xfe\x00binary",
        b"To=%2B13125550999&From=%2B14155550100&Body=%F0%9F%98%80",
    ];
    for body in bodies {
        let response = http
            .post(&url)
            .basic_auth(ACCOUNT, Some(TOKEN))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_vec())
            .send()
            .await
            .expect("sent");
        let (status, json) = read(response).await;
        assert!(status == 201 || json["code"].is_u64(), "{status} {json}");
    }
    // The server is still alive.
    let (status, _) = Client::new(&sim).list("").await;
    assert_eq!(status, 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn shutdown_stops_serving_and_drop_does_not_panic() {
    let mut config = config();
    config.lifecycle = switchboard_sim::Lifecycle::uniform(Duration::from_secs(60));
    let sim = start(config.clone()).await;
    let client = Client::new(&sim);
    client.send(STRANGER, "pending forever").await;
    let base = sim.base_url();
    tokio::time::timeout(Duration::from_secs(10), sim.shutdown())
        .await
        .expect("shutdown is prompt even with pending lifecycle tasks");
    let after = reqwest::Client::new()
        .get(format!("{base}/"))
        .timeout(Duration::from_secs(2))
        .send()
        .await;
    assert!(after.is_err(), "server still answering after shutdown");

    let dropped = start(config).await;
    Client::new(&dropped).send(STRANGER, "dropped").await;
    drop(dropped);
    tokio::time::sleep(Duration::from_millis(50)).await;
}
