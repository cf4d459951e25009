//! The demo's own people and places: its sender numbers' labels and the team sharing the inbox.

use switchboard_core::team::{MemberInput, Role};

/// Labels of the demo's sender numbers, as a business would name its locations.
pub const LABELS: [&str; 3] = ["Main office", "Downtown", "Harbor"];

/// Who the demo's user is until they pick someone else: the team's admin.
pub const DEFAULT_ME: &str = "00000000-0000-4000-8000-000000000001";

/// The demo's team, with fixed uids so that "who I am" survives the demo's fresh database at
/// each start.
pub fn team() -> Vec<(&'static str, MemberInput)> {
    let member = |name: &str, role| MemberInput {
        name: name.into(),
        role: Some(role),
        ..MemberInput::default()
    };
    vec![
        (DEFAULT_ME, member("Alex Rivera", Role::Admin)),
        (
            "00000000-0000-4000-8000-000000000002",
            member("Sam Okoye", Role::Agent),
        ),
        (
            "00000000-0000-4000-8000-000000000003",
            member("Jordan Lee", Role::Agent),
        ),
    ]
}
