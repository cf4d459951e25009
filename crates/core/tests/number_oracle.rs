//! The number parser against Google's libphonenumber: tests/fixtures/numbers.tsv holds typed
//! numbers of 60 countries with the answers of libphonenumber's Python port (written by
//! scripts/number-oracle.py; tests/official-client checks the file is the pinned oracle's
//! word). A number is understood alike when both give the same E.164 and the same validity,
//! or both refuse it.

use switchboard_core::number::inspect;

/// One typed number and the oracle's reading of it.
struct Case<'a> {
    input: &'a str,
    region: &'a str,
    e164: Option<&'a str>,
    valid: bool,
}

fn corpus() -> Vec<Case<'static>> {
    include_str!("fixtures/numbers.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 4, "malformed fixture line {line:?}");
            Case {
                input: f[0],
                region: f[1],
                e164: Some(f[2]).filter(|e| !e.is_empty()),
                valid: f[3] == "1",
            }
        })
        .collect()
}

#[test]
fn typed_numbers_are_understood_as_libphonenumber_understands_them() {
    let cases = corpus();
    let countries: std::collections::BTreeSet<&str> = cases
        .iter()
        .filter_map(|c| c.e164)
        .map(|e| &e[..3])
        .collect();
    assert!(countries.len() >= 40, "{} calling codes", countries.len());
    let mut e164_agree = 0;
    let mut validity_agree = 0;
    let mut misses = Vec::new();
    for c in &cases {
        let ours = inspect(c.input, c.region).ok();
        let our_e164 = ours.as_ref().map(|n| n.e164.as_str());
        let our_valid = ours.as_ref().is_some_and(|n| n.valid);
        // A number the oracle cannot read, or reads as invalid, may be refused outright here
        // (impossible lengths are refused before parsing): the same answer to a user.
        let same_e164 = our_e164 == c.e164 || (!c.valid && our_e164.is_none());
        e164_agree += usize::from(same_e164);
        validity_agree += usize::from(our_valid == c.valid);
        if !same_e164 || our_valid != c.valid {
            misses.push(format!(
                "{:?} ({}): libphonenumber {:?} {}, ours {:?} {}",
                c.input, c.region, c.e164, c.valid, our_e164, our_valid
            ));
        }
    }
    let n = cases.len();
    let pct = |k: usize| 100.0 * k as f64 / n as f64;
    println!(
        "{n} typed numbers: E.164 agrees on {e164_agree} ({:.2} %), validity on \
         {validity_agree} ({:.2} %)",
        pct(e164_agree),
        pct(validity_agree)
    );
    assert!(
        misses.is_empty(),
        "{} of {n} read differently from libphonenumber:\n{}",
        misses.len(),
        misses.join("\n")
    );
}
