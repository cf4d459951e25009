//! Phone numbers as people type them: parsed with libphonenumber's rules (the
//! `rlibphonenumber` crate, a port of Google's library that follows its metadata releases and is
//! fuzzed against it) into E.164, with the country they belong to, whether they are valid
//! there, and what kind of line they are. A number typed with its country code is read by that
//! country's rules; the default region only serves numbers typed without one.

use rlibphonenumber::enums::Region;
use rlibphonenumber::{PhoneNumber, PhoneNumberFormat, PhoneNumberType, PHONE_NUMBER_UTIL};
use serde::Serialize;

use crate::error::CoreError;

/// The region assumed for numbers typed without a country code, when settings name none.
pub const DEFAULT_REGION: &str = "US";

/// What kind of line a number is, as far as its digits tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// A mobile phone.
    Mobile,
    /// A landline.
    FixedLine,
    /// Either; the digits can't tell (the US and Canada).
    FixedLineOrMobile,
    /// A freephone number.
    TollFree,
    /// Premium rate, shared cost, pager, UAN and other special services.
    Special,
    /// Internet telephony.
    Voip,
    /// A personal or otherwise unclassified number.
    Other,
}

impl LineKind {
    /// Stable name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            LineKind::Mobile => "mobile",
            LineKind::FixedLine => "fixed_line",
            LineKind::FixedLineOrMobile => "fixed_line_or_mobile",
            LineKind::TollFree => "toll_free",
            LineKind::Special => "special",
            LineKind::Voip => "voip",
            LineKind::Other => "other",
        }
    }
}

/// A number as understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NumberInfo {
    /// `+` and digits.
    pub e164: String,
    /// ISO 3166 code of its country ("US", "GB"), when its digits say.
    pub country: Option<String>,
    /// Its country calling code (1, 44…).
    pub calling_code: u16,
    /// Whether the number exists in its country's numbering plan (it may still be out of use).
    pub valid: bool,
    /// The kind of line, for valid numbers.
    pub kind: Option<LineKind>,
}

/// Reads a typed number, with `region` (ISO code) assumed when it has no country code. An
/// impossible number (letters, too short or long, an unknown country code) is an error.
pub fn inspect(input: &str, region: &str) -> Result<NumberInfo, CoreError> {
    let trimmed = input.trim();
    let invalid = || CoreError::InvalidNumber {
        input: trimmed.to_string(),
    };
    let allowed = |c: char| c.is_ascii_digit() || " -.()+/".contains(c);
    let digits = trimmed.chars().filter(char::is_ascii_digit).count();
    if trimmed.is_empty() || !trimmed.chars().all(allowed) || !(3..=17).contains(&digits) {
        return Err(invalid());
    }
    // "00" dials out in most of the world; libphonenumber takes it as such only where the
    // default region does (not in North America, whose exit code is 011), but a number typed
    // with 00 is meant as international wherever the person sits.
    let text = match trimmed.strip_prefix("00") {
        Some(rest) => format!("+{rest}"),
        None => trimmed.to_string(),
    };
    let parsed = PHONE_NUMBER_UTIL
        .parse(&text, parse_region(region))
        .map_err(|_| invalid())?;
    let e164 = parsed.format_as(PhoneNumberFormat::E164).to_string();
    let national_digits = e164.len().saturating_sub(1);
    if !(8..=15).contains(&national_digits) {
        return Err(invalid());
    }
    let valid = parsed.is_valid();
    let calling_code = u16::try_from(parsed.country_code).map_err(|_| invalid())?;
    Ok(NumberInfo {
        country: parsed.get_region_code().map(|r| r.to_string()),
        calling_code,
        kind: valid.then(|| kind(&parsed)),
        valid,
        e164,
    })
}

/// The region of an ISO code, when libphonenumber knows it.
fn parse_region(code: &str) -> Option<Region> {
    Region::from_code(code.trim().to_ascii_uppercase().as_str()).ok()
}

/// Whether libphonenumber knows a two-letter region (a country or territory with numbers).
pub fn is_known_region(code: &str) -> bool {
    parse_region(code).is_some_and(|r| PHONE_NUMBER_UTIL.get_country_code_for_region(r).is_some())
}

/// Every region libphonenumber has numbers for, as ISO codes.
pub fn known_regions() -> Vec<String> {
    PHONE_NUMBER_UTIL
        .get_supported_regions()
        .map(|r| r.to_string())
        .collect()
}

fn kind(number: &PhoneNumber) -> LineKind {
    match number.get_type() {
        PhoneNumberType::Mobile => LineKind::Mobile,
        PhoneNumberType::FixedLine => LineKind::FixedLine,
        PhoneNumberType::FixedLineOrMobile => LineKind::FixedLineOrMobile,
        PhoneNumberType::TollFree => LineKind::TollFree,
        PhoneNumberType::VoIP => LineKind::Voip,
        PhoneNumberType::PremiumRate
        | PhoneNumberType::SharedCost
        | PhoneNumberType::Pager
        | PhoneNumberType::UAN
        | PhoneNumberType::VoiceMail => LineKind::Special,
        _ => LineKind::Other,
    }
}

/// A stored (E.164) number as people write it internationally ("+1 312-555-0142"); anything
/// that does not parse is shown as it is.
pub fn display(e164: &str) -> String {
    PHONE_NUMBER_UTIL
        .parse(e164, None)
        .map(|n| n.format_as(PhoneNumberFormat::International).to_string())
        .unwrap_or_else(|_| e164.to_string())
}

/// Turns user input into E.164, assuming North America for numbers without a country code.
/// Numbers outside the numbering plan still pass here (the checks flag them): providers'
/// test numbers and new ranges must not be refused by a table that lags behind.
pub fn normalise(input: &str) -> Result<String, CoreError> {
    inspect(input, DEFAULT_REGION).map(|n| n.e164)
}

/// The country a stored (E.164) number goes to: the one its digits say, else the main country
/// of its calling code (numbers outside the plan, codes shared like +44 or +7); `None` for
/// what is not a number.
pub fn country_of(e164: &str) -> Option<String> {
    let info = inspect(e164, "ZZ").ok()?;
    info.country.or_else(|| {
        PHONE_NUMBER_UTIL
            .get_region_for_country_code(i32::from(info.calling_code))
            .map(|r| r.to_string())
    })
}

/// How many leading characters of an E.164 number [`country_of_prefix`] reads: `+`, the
/// calling code and the next digits, which in North America are the area code.
pub const PREFIX: usize = 5;

/// The country of the numbers starting with `prefix` (their first [`PREFIX`] characters):
/// exact in North America, where the area code says it, and for calling codes of one
/// country; for codes several countries share, the one the next digits point to (Jersey or
/// Guernsey mobiles may count as the United Kingdom). Insights group by it so that a million
/// messages make a few thousand groups, not one per customer.
pub fn country_of_prefix(prefix: &str) -> Option<String> {
    // Plausible numbers with these first digits, of the lengths numbers mostly have; the
    // first that is valid says the country, else the calling code's main one does.
    const FILLER: &str = "2345678901";
    let digits = prefix.len().saturating_sub(1);
    let candidates: Vec<String> = [11usize, 12, 10, 13]
        .iter()
        .filter(|n| **n > digits && **n - digits <= FILLER.len())
        .map(|n| format!("{prefix}{}", &FILLER[..n - digits]))
        .collect();
    candidates
        .iter()
        .find_map(|c| {
            inspect(c, "ZZ")
                .ok()
                .filter(|i| i.valid)
                .and_then(|i| i.country)
        })
        .or_else(|| candidates.first().and_then(|c| country_of(c)))
}

/// True for what looks like a short code (5 or 6 digits, no country code): a regular number
/// can't text one.
pub fn is_short_code(input: &str) -> bool {
    let t = input.trim();
    !t.starts_with('+') && (5..=6).contains(&t.len()) && t.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_outside_the_plan_goes_to_its_codes_main_country() {
        assert_eq!(country_of("+447700900123").as_deref(), Some("GB"));
        assert_eq!(country_of("+16132360001").as_deref(), Some("CA"));
        assert_eq!(country_of("+12125550142").as_deref(), Some("US"));
        assert_eq!(country_of("+5215512345678").as_deref(), Some("MX"));
        assert_eq!(country_of("not a number"), None);
        for (number, country) in [
            ("+447700900123", "GB"),
            ("+16132360001", "CA"),
            ("+12125550142", "US"),
            ("+5215512345678", "MX"),
            ("+33612345678", "FR"),
            ("+77012345678", "KZ"),
            ("+79161234567", "RU"),
        ] {
            let prefix: String = number.chars().take(PREFIX).collect();
            assert_eq!(
                country_of_prefix(&prefix).as_deref(),
                Some(country),
                "{number}"
            );
        }
    }

    #[test]
    fn accepts_common_forms() {
        assert_eq!(normalise("+1 (415) 555-0100").unwrap(), "+14155550100");
        assert_eq!(normalise("415.555.0100").unwrap(), "+14155550100");
        assert_eq!(normalise("1 415 555 0100").unwrap(), "+14155550100");
        assert_eq!(normalise("0044 20 7946 0958").unwrap(), "+442079460958");
        assert_eq!(normalise(" +15005550001 ").unwrap(), "+15005550001");
    }

    /// The default region's trunk prefix (1 in North America) must never be taken off a number
    /// that named its own country: each of these became a stranger's number or an invalid one.
    #[test]
    fn a_number_with_its_country_code_keeps_every_digit() {
        for (input, e164) in [
            ("+49 1512 3456789", "+4915123456789"),
            ("+33 1 26 38 74 78", "+33126387478"),
            ("+86 138 0013 8000", "+8613800138000"),
            ("+46 11 170 406", "+4611170406"),
            ("0049 1512 3456789", "+4915123456789"),
            ("011 49 1512 3456789", "+4915123456789"),
            ("+44 (0)20 7946 0958", "+442079460958"),
        ] {
            let n = inspect(input, "US").unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(n.e164, e164, "{input}");
            assert!(n.valid, "{input}");
        }
    }

    #[test]
    fn rejects_garbage_with_a_typed_error() {
        for bad in [
            "",
            "abc",
            "+",
            "12",
            "+0123456789",
            "555-CALL-NOW",
            "+1 415 555 0100 1234 5678",
            "++44",
            "+999 123 456 789",
        ] {
            let err = normalise(bad).expect_err(bad);
            assert_eq!(err.code(), "invalid_number");
        }
    }

    #[test]
    fn countries_validity_and_kinds() {
        let cases = [
            (
                "+44 7400 123456",
                "GB",
                "+447400123456",
                true,
                Some(LineKind::Mobile),
            ),
            (
                "020 7946 0018",
                "GB",
                "+442079460018",
                true,
                Some(LineKind::FixedLine),
            ),
            (
                "+33 6 12 34 56 78",
                "US",
                "+33612345678",
                true,
                Some(LineKind::Mobile),
            ),
            (
                "030 901820",
                "DE",
                "+4930901820",
                true,
                Some(LineKind::FixedLine),
            ),
            (
                "+61 412 345 678",
                "US",
                "+61412345678",
                true,
                Some(LineKind::Mobile),
            ),
            (
                "(212) 555-0142",
                "US",
                "+12125550142",
                true,
                Some(LineKind::FixedLineOrMobile),
            ),
            (
                "+1 800 555 0199",
                "US",
                "+18005550199",
                true,
                Some(LineKind::TollFree),
            ),
            ("+1 555 010 0003", "US", "+15550100003", false, None),
        ];
        for (input, region, e164, valid, kind) in cases {
            let n = inspect(input, region).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(n.e164, e164, "{input}");
            assert_eq!(n.valid, valid, "{input}");
            assert_eq!(n.kind, kind, "{input}");
        }
        assert_eq!(
            inspect("+44 7400 123456", "US").unwrap().country.as_deref(),
            Some("GB")
        );
        assert_eq!(
            inspect("+1 416 555 0123", "US").unwrap().country.as_deref(),
            Some("CA")
        );
        assert_eq!(inspect("+1 416 555 0123", "US").unwrap().calling_code, 1);
    }

    #[test]
    fn line_kind_names_are_what_the_json_says() {
        use LineKind::*;
        for k in [
            Mobile,
            FixedLine,
            FixedLineOrMobile,
            TollFree,
            Special,
            Voip,
            Other,
        ] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }

    #[test]
    fn short_codes_are_told_apart() {
        assert!(is_short_code("12345"));
        assert!(is_short_code(" 898211 "));
        assert!(!is_short_code("+12345"));
        assert!(!is_short_code("4155550100"));
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_input_gives_a_number_or_a_typed_error(input in any::<String>(), region in "[A-Z]{0,3}") {
                match inspect(&input, &region) {
                    Ok(n) => prop_assert!(n.e164.starts_with('+')),
                    Err(e) => prop_assert_eq!(e.code(), "invalid_number"),
                }
            }

            #[test]
            fn digits_in_any_dress_parse_the_same(
                area in 201u32..999, exchange in 200u32..999, line in 0u32..9999,
                style in 0usize..4,
            ) {
                let plain = format!("+1{area:03}{exchange:03}{line:04}");
                let dressed = match style {
                    0 => format!("({area:03}) {exchange:03}-{line:04}"),
                    1 => format!("{area:03}.{exchange:03}.{line:04}"),
                    2 => format!("1 {area:03} {exchange:03} {line:04}"),
                    _ => format!("+1-{area:03}-{exchange:03}-{line:04}"),
                };
                if let (Ok(a), Ok(b)) = (inspect(&plain, "US"), inspect(&dressed, "US")) {
                    prop_assert_eq!(a.e164, b.e164);
                }
            }
        }
    }
}
