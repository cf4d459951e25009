//! What the chaos worker and the tests that kill it agree on: the burst's messages.

/// The recipient of burst message `i` among `recipients` numbers.
pub fn recipient(i: usize, recipients: usize) -> String {
    format!("+1312555{:04}", i % recipients.max(1))
}

/// The body of burst message `i`; unique, so the provider's count per body finds duplicates.
pub fn body(i: usize) -> String {
    format!("burst {i:04}")
}
