//! Phone numbers as the user types them, turned into E.164 before anything is stored or sent.

use crate::error::CoreError;

/// Turns user input into E.164 (`+` and 8–15 digits). Spaces, dashes, dots and brackets are
/// dropped; a 10-digit number without a country code is taken as North American (+1).
pub fn normalise(input: &str) -> Result<String, CoreError> {
    let trimmed = input.trim();
    let invalid = || CoreError::InvalidNumber {
        input: trimmed.to_string(),
    };
    if trimmed.is_empty() {
        return Err(invalid());
    }
    let mut digits = String::with_capacity(trimmed.len());
    let mut plus = false;
    for (i, c) in trimmed.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => plus = true,
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return Err(invalid()),
        }
    }
    let e164 = if plus {
        digits
    } else if digits.len() == 10 {
        format!("1{digits}")
    } else if digits.len() == 11 && digits.starts_with('1') {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else {
        return Err(invalid());
    };
    if !(8..=15).contains(&e164.len()) || e164.starts_with('0') {
        return Err(invalid());
    }
    Ok(format!("+{e164}"))
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn accepts_common_forms() {
        assert_eq!(normalise("+1 (415) 555-0100").unwrap(), "+14155550100");
        assert_eq!(normalise("415.555.0100").unwrap(), "+14155550100");
        assert_eq!(normalise("0044 20 7946 0958").unwrap(), "+442079460958");
        assert_eq!(normalise(" +15005550001 ").unwrap(), "+15005550001");
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
        ] {
            assert!(normalise(bad).is_err(), "{bad} accepted");
        }
    }
}
