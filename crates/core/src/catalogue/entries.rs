//! The catalogue's table: one entry per code in Twilio's Messages error list that a business
//! inbox meets (sms-provider-facts §2), our own transport outcomes, and range fallbacks. The
//! wording is ours.

use super::FixAction::*;
use super::NumberMark;
use super::RetryPolicy::{self, *};
use super::{Entry, FixAction, Owner};

const fn cooldown(minutes: u32) -> RetryPolicy {
    AfterCooldown { minutes }
}

#[allow(clippy::too_many_arguments)]
const fn e(
    code: &'static str,
    title: &'static str,
    reason: &'static str,
    owner: Owner,
    hint: &'static str,
    retry: RetryPolicy,
    actions: &'static [FixAction],
    marks: Option<NumberMark>,
) -> Entry {
    Entry {
        code,
        title,
        reason,
        owner,
        hint,
        retry,
        actions,
        marks,
    }
}

use NumberMark as M;
use Owner::*;

/// Every code we explain specifically.
pub static ENTRIES: &[Entry] = &[
    // 20xxx: the account and access.
    e("20003", "Credentials rejected", "Twilio did not accept the Account SID with its Auth Token or API key: a typo, a deleted key, or a suspended account.", AccountOwner, "Copy the Account SID and Auth Token (or API key) again from the Twilio Console into Settings.", AfterFix, &[OpenSettings], None),
    e("20005", "Account not active", "The Twilio account is suspended, closed or out of funds, so it cannot send.", AccountOwner, "Check the account's status and balance in the Twilio Console, then retry.", AfterFix, &[OpenConsole, Retry], None),
    e("20008", "Test credentials", "Test credentials were used where Twilio only accepts live ones.", AccountOwner, "Use the account's live Auth Token or an API key in Settings.", AfterFix, &[OpenSettings], None),
    e("20404", "Not found at Twilio", "Twilio has no record of this message; it may have been deleted there.", Provider, "Nothing to fix in the message; send it again if it still matters.", AfterFix, &[Retry], None),
    e("20429", "Twilio was busy", "Too many requests from this account reached Twilio at once; this one was not processed.", Provider, "Nothing to do: Switchboard slows down and tries again by itself.", Automatic, &[CheckNow], None),
    // 21xxx: the request as written or addressed.
    e("21211", "Invalid number", "The recipient's number is not a valid phone number (a digit missing or extra, or a wrong country code).", You, "Correct the number, with its country code, and resend.", Never, &[EditNumber], Some(M::Invalid)),
    e("21212", "Invalid sender", "The number this was sent from is not a valid number to send from.", AccountOwner, "Send from another of your numbers, or check the sender numbers in Settings.", Never, &[ChangeSender, OpenSettings], None),
    e("21265", "Short code recipient", "The recipient is a short code, and a regular number cannot text a short code.", You, "Use the customer's own mobile number.", Never, &[EditNumber], Some(M::Invalid)),
    e("21266", "Sent to itself", "The recipient is the same number as the sender.", You, "Send to the customer's number, not your own.", Never, &[EditNumber], None),
    e("21408", "Country not enabled", "Sending to this country is switched off in the account's Messaging Geo-Permissions.", AccountOwner, "Turn the country on under Messaging › Settings › Geo permissions in the Twilio Console, then retry.", AfterFix, &[OpenConsole, Retry], None),
    e("21481", "Page link expired", "A page of the message list was asked for with a link Twilio no longer accepts.", Provider, "Nothing to do: Switchboard lists again from the start.", Automatic, &[CheckNow], None),
    e("21601", "Sender can't send SMS", "The sender is not an SMS-capable number of this account.", AccountOwner, "Send from another number, or give this one SMS in the Twilio Console.", Never, &[ChangeSender, OpenConsole], None),
    e("21602", "Empty message", "The message had no text and no picture.", You, "Write something, then send.", Never, &[EditText], None),
    e("21603", "No sender", "The message was sent without a sender number.", You, "Pick a sender number and send again.", Never, &[ChangeSender], None),
    e("21604", "No recipient", "The message was sent without a recipient number.", You, "Enter the customer's number and send again.", Never, &[EditNumber], None),
    e("21606", "Sender can't reach this destination", "The sender number can't text this destination: not SMS-enabled, not owned by the account, being ported, or a short code from another country.", AccountOwner, "Send from another number, or check the number's capabilities in the Twilio Console.", Never, &[ChangeSender, OpenConsole], None),
    e("21608", "Trial account", "A trial account can only text numbers verified in the Twilio Console.", AccountOwner, "Verify the customer's number in the Twilio Console, or upgrade the account, then retry.", AfterFix, &[OpenConsole, Retry], None),
    e("21610", "Customer opted out", "The customer texted STOP (or a similar word) to this number, so texts to them are blocked.", Customer, "Only the customer can undo this, by texting START to this number. Reach them another way, or at another number they give you.", Never, &[EditNumber], Some(M::OptedOut)),
    e("21611", "Sender's queue is full", "The sender number already has more than ten hours of messages waiting at Twilio.", Provider, "Wait before sending more from this number, or send from another one.", cooldown(60), &[Retry, ChangeSender], None),
    e("21612", "No SMS route", "Twilio has no way to deliver an SMS to this number from this sender.", You, "Check the number; it may not be a mobile number. Correct it and resend.", Never, &[EditNumber, ChangeSender], Some(M::Unreachable)),
    e("21614", "Not a mobile number", "The number is a landline or another kind of number that can't receive texts.", You, "Call the customer instead, or ask for a mobile number.", Never, &[EditNumber, MarkLandline], Some(M::Landline)),
    e("21617", "Message too long", "The text is over 1,600 characters (fewer when special characters force UCS-2).", You, "Shorten the text, or make it GSM-safe, and resend.", Never, &[EditText, MakeGsmSafe], None),
    e("21620", "Bad attachment link", "A picture's link is not a valid web address.", You, "Remove the attachment or fix its link, then resend.", Never, &[EditText], None),
    e("21623", "Too many attachments", "A message may carry at most ten pictures.", You, "Remove some attachments and resend.", Never, &[EditText], None),
    e("21624", "Validity out of range", "The message's validity period was outside what Twilio allows (1 to 36,000 seconds).", Provider, "Send it again; Switchboard does not set a validity period.", AfterFix, &[Retry], None),
    e("21635", "Landline", "The number is a landline in a country where Twilio does not try landlines.", You, "Call the customer instead, or ask for a mobile number.", Never, &[EditNumber, MarkLandline], Some(M::Landline)),
    e("21659", "Sender not from Twilio", "The sender is not a Twilio (or ported-in) number, or is a short code of another country.", AccountOwner, "Send from one of the account's own numbers.", Never, &[ChangeSender], None),
    e("21660", "Sender on another account", "The sender number belongs to a different account or subaccount than the credentials.", AccountOwner, "Send from a number of this account, or use the credentials of the account that owns it.", Never, &[ChangeSender, OpenSettings], None),
    e("21661", "Sender lacks SMS", "The sender number has no SMS capability.", AccountOwner, "Send from another number, or check its capabilities in the Twilio Console.", Never, &[ChangeSender, OpenConsole], None),
    e("21703", "Messaging Service has no usable sender", "The Messaging Service has no sender that can reach this number.", AccountOwner, "Add a suitable number to the Messaging Service in the Twilio Console, then retry.", AfterFix, &[OpenConsole, Retry], None),
    e("21704", "Messaging Service has no numbers", "The Messaging Service has no phone numbers in its sender pool.", AccountOwner, "Add numbers to the Messaging Service in the Twilio Console, then retry.", AfterFix, &[OpenConsole, Retry], None),
    e("21705", "Invalid Messaging Service", "The Messaging Service SID is not valid for this account.", AccountOwner, "Check the Messaging Service in Settings and the Twilio Console.", Never, &[OpenSettings], None),
    // 30xxx: after Twilio accepted the message.
    e("30001", "Queue overflow", "Too many messages were waiting on the sender at once, so Twilio dropped this one.", Provider, "Retry later, and send large batches more slowly or from more numbers.", cooldown(30), &[Retry, ChangeSender], None),
    e("30002", "Account suspended", "The account was suspended after the message was queued and before it went out.", AccountOwner, "Check the account in the Twilio Console, then retry.", AfterFix, &[OpenConsole, Retry], None),
    e("30003", "Phone unreachable", "The customer's phone was switched off, out of signal or roaming where it can't receive.", Carrier, "Retry in a few hours; if it keeps failing, reach the customer another way.", cooldown(120), &[Retry], None),
    e("30004", "Blocked", "The message was blocked for this number, by the carrier or by the customer (a block list or Do Not Disturb).", Customer, "Ask the customer, another way, to allow texts from your number.", Never, &[EditNumber], None),
    e("30005", "Number not in service", "The number does not exist or is no longer in service.", You, "Ask the customer for their current number, correct it and resend.", Never, &[EditNumber], Some(M::Disconnected)),
    e("30006", "Landline or unreachable carrier", "The number is a landline, or its carrier can't take this kind of message.", You, "Call the customer instead, or ask for a mobile number.", Never, &[EditNumber, MarkLandline], Some(M::Landline)),
    e("30007", "Filtered as spam", "The carrier or Twilio filtered the message as spam or against its rules.", AccountOwner, "Reword it (name your business, no link shorteners, fewer capitals) and check the sender's registration in the Twilio Console.", AfterFix, &[EditText, OpenConsole], None),
    e("30008", "Unknown carrier error", "The carrier failed without saying why.", Carrier, "Retry once a little later; if it fails again, reach the customer another way.", cooldown(15), &[Retry], None),
    e("30010", "Over the price limit", "The message would have cost more than the account's price limit allowed.", AccountOwner, "Check the account's price settings in the Twilio Console, then retry.", AfterFix, &[OpenConsole, Retry], None),
    e("30011", "Pictures not supported here", "The recipient or their region can't receive picture messages.", You, "Send the text without the picture.", Never, &[EditText], None),
    e("30017", "Carrier congested", "The carrier's network was too busy to take the message.", Carrier, "Retry in a little while.", cooldown(15), &[Retry], None),
    e("30018", "Sender ID must be registered", "The destination country only accepts texts from registered sender IDs.", AccountOwner, "Register a sender ID for this country in the Twilio Console.", AfterFix, &[OpenConsole], None),
    e("30019", "Attachment too large", "A picture is larger than the carrier accepts.", You, "Send a smaller picture, or the text alone.", Never, &[EditText], None),
    e("30022", "Campaign throughput exceeded", "The sender's US 10DLC campaign allows fewer messages per second than were sent.", Provider, "Retry shortly and send large batches more slowly.", cooldown(5), &[Retry], None),
    e("30023", "Daily limit reached", "The sender's US 10DLC daily limit at T-Mobile was reached; it resets at midnight Pacific time.", AccountOwner, "Retry after midnight Pacific time, or send from another number.", cooldown(720), &[Retry, ChangeSender], None),
    e("30024", "Sender not provisioned yet", "The carrier has not yet set up this sender (a new registration or a number being ported).", AccountOwner, "Wait for the registration or port to finish in the Twilio Console, then retry.", AfterFix, &[OpenConsole, Retry], None),
    e("30032", "Toll-free number not verified", "US and Canadian carriers block toll-free numbers that are not verified.", AccountOwner, "Complete toll-free verification in the Twilio Console, then retry.", AfterFix, &[OpenConsole, Retry], None),
    e("30034", "Sender not registered", "US carriers block messages from numbers without an approved A2P 10DLC campaign.", AccountOwner, "Register the sender number for A2P 10DLC in the Twilio Console, then retry.", AfterFix, &[OpenConsole, Retry], None),
    e("30035", "Registration in progress", "The sender's A2P 10DLC registration is not finished yet.", AccountOwner, "Retry once the registration shows as approved in the Twilio Console.", cooldown(60), &[Retry, OpenConsole], None),
    e("30036", "Expired while queued", "The message waited in the queue longer than its validity period.", Provider, "Send it again; it will go out if the queue is shorter now.", cooldown(5), &[Retry], None),
    e("30045", "Validity setting ignored", "Twilio warned that a validity period was out of range and used its default.", Provider, "Nothing to fix in the message.", AfterFix, &[Retry], None),
    e("30410", "Twilio's upstream timed out", "A provider behind Twilio timed out, and Twilio failed the message rather than risk sending it twice.", Provider, "Retry in a few minutes.", cooldown(5), &[Retry], None),
    e("30450", "Temporarily blocked", "Twilio's SMS-pumping protection briefly blocked texts to this destination.", Provider, "Retry after about half an hour.", cooldown(30), &[Retry], None),
    e("30500", "Twilio internal error", "Something failed inside Twilio.", Provider, "Retry once in a few minutes.", cooldown(5), &[Retry], None),
    e("14107", "Too many replies", "More than 15 messages went between the same two numbers within 30 seconds, so Twilio paused them to stop a loop.", Provider, "Retry in a minute; check that no auto-reply is answering another.", cooldown(1), &[Retry], None),
    e("63016", "Outside the reply window", "On WhatsApp or Messenger, a free-form message can only go within 24 hours of the customer's last message.", Customer, "Wait for the customer to write, or use an approved template.", Never, &[EditText], None),
    // Our own outcomes of talking to Twilio.
    e("provider_no_answer", "Checking with Twilio", "The request went out but no answer came back, so it may have been sent.", Provider, "Nothing to do: Switchboard looks it up at Twilio and only sends it again if it never arrived there.", Automatic, &[CheckNow], None),
    e("provider_unconfirmed", "Checking with Twilio", "Twilio answered with an error or an unreadable reply after the request reached it, so it may have been sent.", Provider, "Nothing to do: Switchboard looks it up at Twilio and only sends it again if it never arrived there.", Automatic, &[CheckNow], None),
    e("provider_unreachable", "Twilio unreachable", "Twilio could not be reached, so nothing was sent.", You, "Check this computer's internet connection; the message goes out once it is back.", Automatic, &[OpenSettings], None),
    e("provider_malformed", "Unreadable answer", "Twilio refused the request without a readable error.", Provider, "Check the base URL in Settings; it must point at the Twilio API.", AfterFix, &[OpenSettings], None),
    e("provider_rate_limited", "Twilio was busy", "Twilio is limiting how fast this account may call it; nothing was processed.", Provider, "Nothing to do: Switchboard slows down and tries again by itself.", Automatic, &[CheckNow], None),
    // Held back by our own checks at the moment of sending.
    e(crate::checks::OPTED_OUT_WHILE_QUEUED, "Opted out before it went", "The customer opted out (texted STOP) while this message waited to be sent, so it was never sent.", Customer, "Nothing to send: only the customer can undo this by texting START; reach them another way.", Never, &[], None),
    e(crate::checks::MARKED_WHILE_QUEUED, "Number marked before it went", "While this message waited to be sent, the number was marked (a failure said it is a landline, invalid or out of service), so it was held back unsent.", You, "Correct the number and resend, or resend as it is if you know the number works now.", AfterFix, &[EditNumber, Retry], None),
];

/// Range fallbacks, the last one for anything else.
pub static FALLBACKS: &[Entry] = &[
    e(
        "20xxx",
        "Account or access problem",
        "Twilio refused the request because of the account or its credentials.",
        AccountOwner,
        "Check the credentials in Settings and the account in the Twilio Console.",
        AfterFix,
        &[OpenSettings, OpenConsole],
        None,
    ),
    e(
        "21xxx",
        "Request refused",
        "Twilio refused the message as it was written or addressed.",
        You,
        "Check the number and the text, fix what is wrong, and resend.",
        Never,
        &[EditNumber, EditText],
        None,
    ),
    e(
        "30xxx",
        "Not delivered",
        "Twilio sent the message but the carrier did not deliver it.",
        Carrier,
        "Check the number; if it is right, retry later.",
        cooldown(60),
        &[Retry, EditNumber],
        None,
    ),
    e(
        "63xxx",
        "Channel problem",
        "The messaging channel (WhatsApp, Messenger…) refused the message.",
        AccountOwner,
        "Check the channel's setup in the Twilio Console.",
        AfterFix,
        &[OpenConsole],
        None,
    ),
    e(
        "unknown",
        "Failed",
        "Twilio reported an error Switchboard does not know yet.",
        Provider,
        "Retry later; if it keeps failing, look the code up in the Twilio Console's error log.",
        cooldown(15),
        &[Retry],
        None,
    ),
];
