//! What an error code means in plain words and what to do about it. Provider codes change as
//! errors are improved, so unknown codes fall back to the meaning of their range.

/// Whose move it is after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// The person sending.
    You,
    /// The customer.
    Customer,
    /// The mobile carrier.
    Carrier,
    /// Whoever owns the provider account.
    Account,
    /// The provider itself.
    Provider,
}

/// A catalogue entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Explanation {
    /// A few words.
    pub title: &'static str,
    /// One plain sentence on what happened.
    pub reason: &'static str,
    /// Whose move it is.
    pub owner: Owner,
    /// The next step.
    pub hint: &'static str,
}

const fn entry(
    title: &'static str,
    reason: &'static str,
    owner: Owner,
    hint: &'static str,
) -> Explanation {
    Explanation {
        title,
        reason,
        owner,
        hint,
    }
}

/// Looks a code up, falling back by range, then to a generic entry.
pub fn explain(code: &str) -> Explanation {
    use Owner::*;
    match code {
        "20003" => entry("Credentials rejected", "The provider did not accept the Account SID and token or API key.", Account, "Copy the Account SID and Auth Token (or API key) again from the Twilio Console into Settings."),
        "20005" => entry("Account not active", "The provider account is suspended, closed or out of funds.", Account, "Check the account's status and balance in the Twilio Console."),
        "20404" => entry("Not found at the provider", "The provider has no record of this message.", Provider, "Nothing to fix here; it may have been deleted at the provider."),
        "20429" => entry("Too many requests", "The provider was busy with other requests from this account; this one was not processed.", Provider, "Nothing to do: Switchboard tries again shortly."),
        "21211" => entry("Invalid number", "The recipient's number is not a valid phone number.", You, "Check the number and its country code, correct it, and resend."),
        "21212" => entry("Invalid sender", "The sender number is not a valid number to send from.", Account, "Pick another sender number, or check the number in Settings."),
        "21265" => entry("Short code recipient", "The number is a short code, which cannot receive texts from a regular number.", You, "Use the customer's mobile number instead."),
        "21266" => entry("Same number", "The recipient is the same number as the sender.", You, "Send to the customer's own number."),
        "21408" => entry("Country not enabled", "Sending to this country is not enabled on the account.", Account, "Enable the country under Messaging Geo-Permissions in the Twilio Console, then resend."),
        "21602" => entry("Empty message", "The message had no text and no media.", You, "Write something, then send."),
        "21603" | "21606" | "21601" | "21659" | "21661" => entry("Sender can't send this", "The sender number can't send SMS to this destination from this account.", Account, "Pick another sender number, or check that the number is SMS-capable in the Twilio Console."),
        "21604" => entry("No recipient", "The message had no recipient number.", You, "Enter the recipient's number."),
        "21608" => entry("Trial account", "Trial accounts can only text verified numbers.", Account, "Verify the number in the Twilio Console, or upgrade the account."),
        "21610" => entry("Customer opted out", "The customer replied STOP to this number, so texts to them are blocked.", Customer, "Only the customer can undo this, by texting START to this number."),
        "21611" => entry("Sender queue full", "The sender number has more queued messages than it can send in the next hours.", Provider, "Wait, or spread the messages over more sender numbers."),
        "21612" => entry("Number can't receive SMS", "The provider has no route to this number for SMS.", You, "Check the number; it may not be a mobile number."),
        "21614" | "21635" => entry("Not a mobile number", "The number is a landline or otherwise can't receive texts.", You, "Call the customer instead, or ask for a mobile number."),
        "21617" => entry("Message too long", "The text is over 1,600 characters.", You, "Shorten it or split it into two messages."),
        "21620" | "21623" => entry("Bad attachment", "An attachment link is invalid or there are more than 10.", You, "Remove the attachment or fix its link."),
        "21660" => entry("Sender on another account", "The sender number belongs to a different account.", Account, "Use a number of this account, or the credentials of the account that owns it."),
        "30001" => entry("Queue overflow", "Too many messages were queued on the sender at once.", Provider, "Retry later, at a slower pace."),
        "30002" => entry("Account suspended", "The account was suspended before the message went out.", Account, "Check the account in the Twilio Console."),
        "30003" => entry("Phone unreachable", "The customer's phone was off or out of signal.", Carrier, "Retry in a few hours."),
        "30004" => entry("Blocked", "The carrier or the customer blocked this message.", Customer, "Ask the customer through another channel to allow your texts."),
        "30005" => entry("Unknown number", "The number does not exist or is no longer in service.", You, "Ask the customer for their current number, correct it and resend."),
        "30006" => entry("Landline or unreachable carrier", "The number is a landline or its carrier can't take texts.", You, "Call the customer, or ask for a mobile number."),
        "30007" => entry("Filtered as spam", "The carrier filtered the message as spam or against its policy.", Account, "Reword the message (no link shorteners, identify your business) and check the sender's registration."),
        "30008" => entry("Unknown carrier error", "The carrier failed for a reason it did not give.", Carrier, "Retry once later."),
        "30034" => entry("Sender not registered", "US carriers block messages from numbers without an approved A2P 10DLC registration.", Account, "Register the sender number for A2P 10DLC in the Twilio Console."),
        "provider_no_answer" => entry("Checking with the provider", "The request went out but no answer came back, so it may have been sent.", Provider, "Nothing to do: Switchboard looks it up at the provider and only sends it again if it never arrived there."),
        "provider_unconfirmed" => entry("Checking with the provider", "The provider answered with an error or an unreadable reply after the request reached it, so it may have been sent.", Provider, "Nothing to do: Switchboard looks it up at the provider and only sends it again if it never arrived there."),
        "provider_unreachable" => entry("Provider unreachable", "The provider could not be reached, so nothing was sent.", You, "Check the internet connection; the message goes out once it is back."),
        "provider_malformed" => entry("Unreadable answer", "The provider refused the request without a readable error.", Provider, "Check the provider base URL in Settings; it must point at the Twilio API."),
        _ => fallback(code),
    }
}

fn fallback(code: &str) -> Explanation {
    use Owner::*;
    match code.get(..2) {
        Some("20") => entry(
            "Account or access problem",
            "The provider refused the request because of the account or its credentials.",
            Account,
            "Check the account and credentials in Settings and the Twilio Console.",
        ),
        Some("21") => entry(
            "Request refused",
            "The provider refused the message as it was written or addressed.",
            You,
            "Check the number and the text, fix what is wrong, and resend.",
        ),
        Some("30") => entry(
            "Not delivered",
            "The message was sent but the carrier did not deliver it.",
            Carrier,
            "Check the number; retry later if it is correct.",
        ),
        Some("63") => entry(
            "Channel problem",
            "The messaging channel refused the message.",
            Account,
            "Check the channel's setup in the Twilio Console.",
        ),
        _ => entry(
            "Failed",
            "The provider reported an error it did not explain.",
            Provider,
            "Retry later; if it keeps failing, check the Twilio Console's error log.",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_have_their_own_entry() {
        assert_eq!(explain("21211").title, "Invalid number");
        assert_eq!(explain("21610").owner, Owner::Customer);
    }

    #[test]
    fn unknown_codes_fall_back_by_range() {
        assert_eq!(explain("30999").title, "Not delivered");
        assert_eq!(explain("21999").owner, Owner::You);
        assert_eq!(explain("abc").title, "Failed");
    }
}
