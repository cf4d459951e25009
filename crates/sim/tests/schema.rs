//! Every kind of response the simulator gives, validated against Twilio's own schemas, so that a
//! change in the simulator's JSON that Twilio would not send fails the build.
//!
//! The schemas come from `tests/spec/twilio-messages-schemas.json`, extracted from Twilio's
//! OpenAPI spec (MIT, Twilio Inc.; see `tests/spec/LICENSE-twilio-oai`) by
//! `scripts/extract-twilio-schemas.py`. On top of the spec, this test reads some schemas more
//! strictly (see [`strict_defs`]), and checks that Twilio's own examples still pass that reading.
//! The spec has no error schema, so the error body's schema is written here ([`error_schema`]).

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::DateTime;
use common::*;
use jsonschema::{Draft, Validator};
use serde_json::{json, Value};

const EXTRACT: &str = include_str!("spec/twilio-messages-schemas.json");
const LICENSE: &str = include_str!("spec/LICENSE-twilio-oai");

/// The fields the simulator emits for an incoming phone number: a subset of Twilio's (which has
/// 33, mostly voice settings), so they are required here but the other spec fields are not.
const NUMBER_FIELDS: &[&str] = &[
    "sid",
    "account_sid",
    "phone_number",
    "friendly_name",
    "capabilities",
    "status",
    "origin",
    "api_version",
    "date_created",
    "date_updated",
    "uri",
];

fn extract() -> Value {
    serde_json::from_str(EXTRACT).expect("the extract is JSON")
}

/// Names of every property a schema in `defs` declares.
fn property_names(defs: &Value, name: &str) -> Vec<Value> {
    defs[name]["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{name} has properties"))
        .keys()
        .map(|k| Value::from(k.as_str()))
        .collect()
}

/// The extract's `$defs`, read more strictly than the spec states them.
///
/// The spec declares no required fields and allows unknown ones. Twilio's own examples carry every
/// message and page field, and the simulator promises the same ("every field is always present",
/// wire.rs), so for those a missing or an extra field is drift. Numbers are a deliberate subset.
fn strict_defs() -> Value {
    let mut defs = extract()["$defs"].take();
    for name in [
        "api.v2010.account.message",
        "ListMessageResponse",
        "ListIncomingPhoneNumberResponse",
    ] {
        let all = property_names(&defs, name);
        defs[name]["required"] = Value::Array(all);
        defs[name]["additionalProperties"] = Value::Bool(false);
    }
    // `uri-map` is only an annotation on an object; what it means is string URIs as values.
    defs["api.v2010.account.message"]["properties"]["subresource_uris"]["additionalProperties"] =
        json!({"type": "string", "format": "uri"});

    let number = &mut defs["api.v2010.account.incoming_phone_number"];
    number["required"] = json!(NUMBER_FIELDS);
    number["additionalProperties"] = Value::Bool(false);
    let capabilities = &mut number["properties"]["capabilities"];
    capabilities["required"] = json!(["voice", "sms", "mms", "fax"]);
    capabilities["additionalProperties"] = Value::Bool(false);
    defs
}

/// Twilio's error body as documented (code integer, message string, more_info string, status
/// integer). Written here because Twilio's OpenAPI spec has no error schema at all. Twilio may
/// also send a `details` object; the simulator does not, so an extra field here is drift.
fn error_schema() -> Value {
    json!({
        "type": "object",
        "required": ["code", "message", "more_info", "status"],
        "additionalProperties": false,
        "properties": {
            "code": {"type": "integer", "minimum": 10000, "maximum": 99999},
            "message": {"type": "string", "minLength": 1},
            "more_info": {"type": "string", "format": "uri"},
            "status": {"type": "integer", "minimum": 400, "maximum": 599}
        }
    })
}

/// Twilio writes every date as RFC 2822 in GMT with a zero-padded day and `+0000`; anything that
/// only parses (a `GMT` zone, a one-digit day, another offset) is still a difference.
fn is_twilio_date(s: &str) -> bool {
    DateTime::parse_from_rfc2822(s).is_ok_and(|t| {
        t.offset().local_minus_utc() == 0
            && t.format("%a, %d %b %Y %H:%M:%S +0000").to_string() == s
    })
}

/// E.164: `+`, a non-zero digit, at most 15 digits in all. The spec also allows short codes,
/// sender IDs and channel addresses here; the simulator only ever writes E.164, and so do
/// Twilio's examples.
fn is_e164(s: &str) -> bool {
    s.strip_prefix('+').is_some_and(|digits| {
        (2..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

/// An ISO 4217 code; Twilio writes `USD` and documents `usd`, so either case.
fn is_currency(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_alphabetic())
}

/// Twilio's `uri` fields are relative to https://api.twilio.com ("/2010-04-01/..."), which the
/// standard `uri` format (absolute only) would reject; so: an absolute URI or an absolute path,
/// made only of RFC 3986 characters with well-formed percent escapes.
fn is_twilio_uri(s: &str) -> bool {
    let absolute = s.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if !(absolute || s.starts_with('/')) {
        return false;
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3);
            if !hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&b)) {
            return false;
        }
        i += 1;
    }
    true
}

/// A validator for `root` (a schema with `$ref` into `defs`), asserting formats.
///
/// Unknown formats are errors, so a format that a refreshed spec starts to use is noticed here;
/// the ones the simulator's fields never need checking are registered as annotations.
fn validator(root: Value) -> Validator {
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .should_ignore_unknown_formats(false)
        .with_format("date-time-rfc-2822", is_twilio_date)
        .with_format("phone-number", is_e164)
        .with_format("currency", is_currency)
        .with_format("uri", is_twilio_uri)
        // The next three name no string form to check: the field's enum (GET/POST), its
        // properties, and the strict reading's string values already say everything.
        .with_format("http-method", |_: &str| true)
        .with_format("phone-number-capabilities", |_: &str| true)
        .with_format("uri-map", |_: &str| true)
        .build(&root)
        .unwrap_or_else(|e| panic!("schema compiles: {e}"))
}

/// The strict validator for one Twilio operation's success response, by operationId.
fn for_operation(operation: &str) -> Validator {
    let doc = extract();
    let reference = doc["x-operations"][operation]["schema"]["$ref"].clone();
    assert!(reference.is_string(), "{operation} is in the extract");
    validator(json!({ "$defs": strict_defs(), "$ref": reference }))
}

fn error_validator() -> Validator {
    validator(error_schema())
}

/// Every error, with where it is, so a failure names each drifted field at once.
fn check(validator: &Validator, what: &str, instance: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("  at {}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match Twilio's schema:\n{}\n{instance:#}",
        errors.join("\n")
    );
}

fn check_status(status: u16, expected: u16, what: &str, body: &Value) {
    assert_eq!(status, expected, "{what}: {body}");
}

#[test]
fn extract_names_its_source_and_licence() {
    let doc = extract();
    let source = &doc["x-source"];
    assert_eq!(source["repository"], "twilio/twilio-oai");
    assert_eq!(source["commit"], "d50069b44ea8cd23141385bdb6db48f16ff75bb5");
    assert_eq!(source["license"], "MIT");
    assert!(LICENSE.starts_with("MIT License") && LICENSE.contains("Twilio, Inc."));
    for name in [
        "api.v2010.account.message",
        "message_enum_status",
        "message_enum_direction",
        "ListMessageResponse",
        "api.v2010.account.incoming_phone_number",
        "ListIncomingPhoneNumberResponse",
    ] {
        assert!(doc["$defs"][name].is_object(), "{name} is in the extract");
    }
}

#[test]
fn twilio_examples_pass_the_strict_reading() {
    // If the strict reading or a format check were stricter than Twilio, Twilio's own documented
    // responses would fail here rather than the simulator being "fixed" away from Twilio.
    let doc = extract();
    let examples = doc["x-examples"].as_object().expect("examples");
    let mut count = 0;
    for (operation, named) in examples {
        let v = for_operation(operation);
        for (name, example) in named.as_object().expect("named examples") {
            check(&v, &format!("Twilio's example {operation}/{name}"), example);
            count += 1;
        }
    }
    assert!(count >= 3, "the extract carries Twilio's examples");
}

/// A named change to a valid message.
type Drift = (&'static str, fn(&mut Value));

#[test]
fn strict_reading_catches_drift() {
    // Each change is one the simulator could plausibly make by mistake; each must fail, or the
    // schema test would pass while proving nothing.
    let doc = extract();
    let good = doc["x-examples"]["FetchMessage"]["fetch"].clone();
    let message = for_operation("FetchMessage");
    assert!(message.is_valid(&good));
    let drifts: &[Drift] = &[
        ("missing field", |m| {
            m.as_object_mut().map(|o| o.remove("price_unit"));
        }),
        ("extra field", |m| m["messaging_service"] = json!("x")),
        ("num_segments as a number", |m| m["num_segments"] = json!(1)),
        ("error_code as a string", |m| {
            m["error_code"] = json!("30007")
        }),
        ("ISO 8601 date", |m| {
            m["date_created"] = json!("2019-05-24T17:18:27Z")
        }),
        ("unpadded day", |m| {
            m["date_sent"] = json!("Sat, 4 May 2019 17:18:28 +0000")
        }),
        ("GMT zone", |m| {
            m["date_sent"] = json!("Fri, 24 May 2019 17:18:28 GMT")
        }),
        ("unknown status", |m| m["status"] = json!("delivering")),
        ("unknown direction", |m| m["direction"] = json!("outbound")),
        ("national number", |m| m["from"] = json!("2019235161")),
        ("bad SID", |m| m["sid"] = json!("SM123")),
    ];
    for (what, drift) in drifts {
        let mut m = good.clone();
        drift(&mut m);
        assert!(!message.is_valid(&m), "{what} passed: {m}");
    }

    let error = error_validator();
    let good = json!({"code": 21211, "message": "Invalid 'To' Phone Number",
        "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400});
    assert!(error.is_valid(&good));
    for bad in [
        json!({"code": "21211", "message": "m", "more_info": "https://x.test/", "status": 400}),
        json!({"code": 21211, "message": "m", "more_info": "https://x.test/"}),
        json!({"code": 21211, "message": "m", "more_info": "not a uri", "status": 400}),
        json!({"code": 21211, "message": "m", "more_info": "https://x.test/", "status": 400,
            "error": true}),
    ] {
        assert!(!error.is_valid(&bad), "passed: {bad}");
    }
}

#[test]
fn format_checks() {
    assert!(is_twilio_date("Thu, 24 Aug 2023 05:01:45 +0000"));
    assert!(!is_twilio_date("Thu, 24 Aug 2023 07:01:45 +0200"));
    assert!(!is_twilio_date("Thu, 24 Aug 2023 05:01:45 GMT"));
    assert!(
        !is_twilio_date("Wed, 24 Aug 2023 05:01:45 +0000"),
        "wrong weekday"
    );
    assert!(is_e164("+14155550100") && is_e164("+442079460958"));
    assert!(!is_e164("+04155550100") && !is_e164("14155550100") && !is_e164("+1415555010012345"));
    assert!(is_currency("USD") && is_currency("usd") && !is_currency("US$"));
    assert!(is_twilio_uri(
        "/2010-04-01/Accounts/AC1/Messages.json?DateSent%3E=2008-01-02&PageSize=2"
    ));
    assert!(is_twilio_uri("https://www.twilio.com/docs/errors/21211"));
    assert!(!is_twilio_uri("Messages.json") && !is_twilio_uri("/a b") && !is_twilio_uri("/%zz"));

    // A format nobody registered must stop the build of a validator, not pass silently.
    let unknown = jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .should_ignore_unknown_formats(false)
        .build(&json!({"type": "string", "format": "iso-country-code"}));
    assert!(unknown.is_err(), "unknown formats are refused");
}

#[tokio::test]
async fn messages_match_the_spec_in_every_state() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let create = for_operation("CreateMessage");
    let fetch = for_operation("FetchMessage");

    // 201 for SMS, and for MMS (MM SID, num_media "1").
    let (status, sms) = client
        .create(&[("To", STRANGER), ("From", SENDER), ("Body", "hello")])
        .await;
    check_status(status, 201, "create", &sms);
    check(&create, "create (SMS)", &sms);
    let (status, mms) = client
        .create(&[
            ("To", STRANGER),
            ("From", SENDER),
            ("MediaUrl", "https://example.com/cat.png"),
        ])
        .await;
    check_status(status, 201, "create MMS", &mms);
    check(&create, "create (MMS)", &mms);

    // The fetched message while queued and once delivered (date_sent and price filled in).
    let sid = sms["sid"].as_str().expect("sid");
    let (status, queued) = client.fetch(sid).await;
    check_status(status, 200, "fetch", &queued);
    check(&fetch, "fetch", &queued);
    let delivered = wait_for(&client, sid, Duration::from_secs(5), |m| {
        m["status"] == "delivered"
    })
    .await;
    check(&fetch, "fetch (delivered)", &delivered);

    // An inbound message, as a customer's reply.
    let inbound = sim.inject_inbound(ACCOUNT, STRANGER, SENDER, "ünïcödé reply");
    let (status, received) = client.fetch(&inbound).await;
    check_status(status, 200, "fetch inbound", &received);
    check(&fetch, "fetch (inbound)", &received);
    assert_eq!(received["direction"], "inbound");
    sim.shutdown().await;
}

#[tokio::test]
async fn list_pages_match_the_spec() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let list = for_operation("ListMessage");
    for i in 0..4 {
        client.send(STRANGER, &format!("out {i}")).await;
        sim.inject_inbound(ACCOUNT, STRANGER, SENDER, &format!("in {i}"));
    }

    // First page (no previous), middle pages (both links), last page (no next), by following
    // next_page_uri as a client does, then one step back by previous_page_uri.
    let (status, mut page) = client.list("PageSize=3").await;
    let mut pages = 0;
    loop {
        check_status(status, 200, "list", &page);
        check(&list, &format!("list page {pages}"), &page);
        pages += 1;
        let Some(next) = page["next_page_uri"].as_str().map(str::to_owned) else {
            break;
        };
        let (status, next_page) = client.get(&next).await;
        check_status(status, 200, "next page", &next_page);
        page = next_page;
    }
    assert_eq!(pages, 3, "8 messages in pages of 3");
    let previous = page["previous_page_uri"].as_str().expect("a previous page");
    let (status, back) = client.get(previous).await;
    check_status(status, 200, "previous page", &back);
    check(&list, "previous page", &back);

    // An empty page, and a page with every filter echoed in its URIs.
    let (status, empty) = client.list("To=%2B19995550000").await;
    check_status(status, 200, "empty list", &empty);
    check(&list, "empty page", &empty);
    let today = chrono::Utc::now().format("%Y-%m-%d");
    let (status, filtered) = client
        .list(&format!(
            "To=%2B13125550999&From=%2B14155550100&DateSent%3E={today}&PageSize=2"
        ))
        .await;
    check_status(status, 200, "filtered list", &filtered);
    check(&list, "filtered page", &filtered);
    sim.shutdown().await;
}

#[tokio::test]
async fn incoming_phone_numbers_match_the_spec() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let (status, page) = client
        .get(&format!(
            "/2010-04-01/Accounts/{ACCOUNT}/IncomingPhoneNumbers.json"
        ))
        .await;
    check_status(status, 200, "numbers", &page);
    check(
        &for_operation("ListIncomingPhoneNumber"),
        "IncomingPhoneNumbers page",
        &page,
    );
    assert_eq!(
        page["incoming_phone_numbers"].as_array().map(Vec::len),
        Some(2)
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn error_bodies_match_the_documented_shape() {
    let sim = start(config()).await;
    let client = Client::new(&sim);
    let v = error_validator();
    let messages = client.messages_path();
    let mut seen = Vec::new();
    let mut record = |what: &str, status: u16, body: Value, http: u16, code: u64| {
        check(&v, what, &body);
        assert_error(status, &body, http, code);
        seen.push(code);
    };

    for (to, code) in [("+15005550001", 21211), ("+15005550004", 21610)] {
        let (status, body) = client
            .create(&[("To", to), ("From", SENDER), ("Body", "hi")])
            .await;
        record("create to a magic number", status, body, 400, code);
    }
    let (status, body) = client.create(&[("To", STRANGER), ("From", SENDER)]).await;
    record("create without a body", status, body, 400, 21602);

    let wrong = Client::with_creds(&sim, ACCOUNT, ACCOUNT, "wrong-token");
    let (status, body) = wrong.list("").await;
    record("bad credentials", status, body, 401, 20003);

    let (status, body) = client.fetch("SM00000000000000000000000000000000").await;
    record("unknown message", status, body, 404, 20404);
    let (status, body) = client.get("/2010-04-01/Nothing.json").await;
    record("unknown path", status, body, 404, 20404);

    let response = client
        .http
        .delete(format!("{}{messages}", client.base))
        .basic_auth(&client.user, Some(&client.pass))
        .send()
        .await
        .expect("request sent");
    let (status, body) = read(response).await;
    record("unsupported method", status, body, 405, 20004);

    let (status, body) = client.list("PageToken=nonsense").await;
    record("bad page token", status, body, 400, 21481);
    let (status, body) = client.list("PageSize=0").await;
    record("bad page size", status, body, 400, 20001);

    assert_eq!(seen.len(), 9);
    sim.shutdown().await;
}

/// Where the full spec lies when the repository sits beside `shared/`, as on the team's machines
/// and in CI; a fresh clone alone does not have it.
fn spec_path(repo: &Path) -> Option<PathBuf> {
    let path = repo
        .parent()?
        .join("shared/reference/twilio/twilio_api_v2010.json");
    path.is_file().then_some(path)
}

#[test]
fn extract_is_current_with_the_spec() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let repo = repo.canonicalize().expect("repository root");
    // The one conditional test: the spec lives outside the repository.
    let Some(spec) = spec_path(&repo) else {
        eprintln!(
            "note: skipped the staleness check of tests/spec/: Twilio's spec is not at \
             ../shared/reference/twilio/ beside the repository"
        );
        return;
    };
    let output = std::process::Command::new("python3")
        .arg(repo.join("scripts/extract-twilio-schemas.py"))
        .arg(&spec)
        .arg("--check")
        .output()
        .expect("python3 runs scripts/extract-twilio-schemas.py");
    assert!(
        output.status.success(),
        "the committed extract is stale or the spec changed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
