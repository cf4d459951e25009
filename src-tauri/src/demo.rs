//! The demo's own people and places: its sender numbers' labels and the team sharing the inbox.

use switchboard_core::team::{MemberInput, Role};
use switchboard_core::templates::TemplateInput;
use switchboard_core::{CoreError, Services};

/// Labels of the demo's sender numbers, as a business would name its locations.
pub const LABELS: [&str; 3] = ["Main office", "Downtown", "Harbor"];

/// Who the demo's user is until they pick someone else: the team's admin.
pub const DEFAULT_ME: &str = "00000000-0000-4000-8000-000000000001";

/// The demo's team, with fixed uids so that "who I am" survives the demo's fresh database at
/// each start.
fn team() -> Vec<(&'static str, MemberInput)> {
    let member = |name: &str, role| MemberInput {
        name: name.into(),
        role: Some(role),
        ..MemberInput::default()
    };
    vec![
        (DEFAULT_ME, member("Alex Rivera", Role::Admin)),
        (SAM, member("Sam Okoye", Role::Agent)),
        (
            "00000000-0000-4000-8000-000000000003",
            member("Jordan Lee", Role::Agent),
        ),
    ]
}

/// The demo's agent Sam, who wrote the draft.
const SAM: &str = "00000000-0000-4000-8000-000000000002";

/// The demo's templates: two approved, one draft waiting for an admin.
fn templates() -> Vec<(&'static str, TemplateInput, &'static str, bool)> {
    let t = |name: &str, body: &str| TemplateInput {
        id: None,
        name: name.into(),
        body: body.into(),
        media: vec![],
    };
    vec![
        (
            "00000000-0000-4000-9000-000000000001",
            t(
                "Appointment reminder",
                "Hi {{first_name}}, this is {{agent_name}}: a reminder of your appointment tomorrow. Reply C to confirm or R to reschedule.",
            ),
            DEFAULT_ME,
            true,
        ),
        (
            "00000000-0000-4000-9000-000000000002",
            t(
                "Order ready",
                "Hi {{first_name}}, your order is ready for pickup. See you soon!",
            ),
            DEFAULT_ME,
            true,
        ),
        (
            "00000000-0000-4000-9000-000000000003",
            t(
                "Holiday hours",
                "Hi {{first_name}}, we're open {{holiday_hours}} over the holidays.",
            ),
            SAM,
            false,
        ),
    ]
}

/// Seeds the demo's team and templates into a fresh demo database.
pub async fn seed(services: &Services) -> Result<(), CoreError> {
    services.ensure_members(&team()).await?;
    let admin = services.member(DEFAULT_ME).await?.map(|m| m.id);
    for (uid, input, author, approved) in templates() {
        let author = services.member(author).await?.map(|m| m.id);
        services
            .ensure_template(uid, &input, author, if approved { admin } else { None })
            .await?;
    }
    Ok(())
}
