//! The error catalogue against the facts: every code a business inbox meets has an entry with
//! a fix, and docs/ERRORS.md is the catalogue as it is now.

use switchboard_core::catalogue::{self, FixAction, NumberMark, RetryPolicy};

/// The codes of the error table in sms-provider-facts.md §2 (`21624 / 90007` and
/// `21703/21704` are two rows of one line there).
const FACTS_CODES: &[&str] = &[
    "20003", "20005", "20008", "20404", "20429", "21211", "21212", "21265", "21266", "21408",
    "21481", "21601", "21602", "21603", "21604", "21606", "21608", "21610", "21611", "21612",
    "21614", "21617", "21620", "21623", "21624", "21635", "21659", "21660", "21661", "21703",
    "21704", "21705", "30001", "30002", "30003", "30004", "30005", "30006", "30007", "30008",
    "30010", "30011", "30017", "30018", "30019", "30022", "30023", "30024", "30032", "30034",
    "30035", "30036", "30045", "30410", "30450", "30500", "14107", "63016",
];

/// Our own transport outcomes, stored on messages as codes.
const OUR_CODES: &[&str] = &[
    "provider_no_answer",
    "provider_unconfirmed",
    "provider_unreachable",
    "provider_malformed",
    "provider_rate_limited",
];

#[test]
fn every_code_in_the_facts_and_every_outcome_of_ours_has_its_own_entry_with_a_fix() {
    for code in FACTS_CODES.iter().chain(OUR_CODES) {
        let entry = catalogue::explain(code);
        assert_eq!(entry.code, *code, "{code} falls back to {}", entry.code);
        assert!(!entry.actions.is_empty(), "{code} offers no fix");
        assert!(!entry.title.is_empty() && !entry.reason.is_empty() && !entry.hint.is_empty());
    }
}

#[test]
fn permanent_number_errors_mark_the_number_and_opt_out_is_its_own_mark() {
    for code in ["21211", "21612", "21614", "30005", "30006"] {
        assert!(catalogue::explain(code).marks.is_some(), "{code}");
        assert_eq!(catalogue::explain(code).retry, RetryPolicy::Never);
    }
    assert_eq!(
        catalogue::explain("21610").marks,
        Some(NumberMark::OptedOut)
    );
    assert_eq!(
        catalogue::explain("30003").marks,
        None,
        "a phone off is not a bad number"
    );
    assert!(catalogue::explain("30006")
        .actions
        .contains(&FixAction::MarkLandline));
}

#[test]
fn unsure_sends_are_never_offered_a_manual_retry() {
    for code in ["provider_no_answer", "provider_unconfirmed"] {
        let entry = catalogue::explain(code);
        assert!(!entry.actions.contains(&FixAction::Retry), "{code}");
        assert_eq!(entry.retry, RetryPolicy::Automatic);
    }
}

#[test]
fn docs_errors_md_is_generated_from_the_catalogue() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/ERRORS.md");
    let fresh = catalogue::markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &fresh).unwrap();
    }
    let current = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        current == fresh,
        "docs/ERRORS.md is stale: run `make docs` and commit it"
    );
}
