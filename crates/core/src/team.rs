//! The team sharing the inbox: members with a name, initials, a colour and a role, and the rules
//! for what a member may be called.

use serde::{Deserialize, Serialize};

use crate::error::{CoreError, Result};

/// What a member may do beyond answering customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Answers customers, writes template drafts.
    Agent,
    /// Also approves templates and manages the team.
    Admin,
}

impl Role {
    /// The text stored in SQLite.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Agent => "agent",
            Role::Admin => "admin",
        }
    }

    /// Parses the stored text.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "agent" => Some(Role::Agent),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A person on the team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamMember {
    /// Local id.
    pub id: i64,
    /// Id that stays the same across databases (a UUID).
    pub uid: String,
    /// Full name.
    pub name: String,
    /// One to three letters shown in their badge.
    pub initials: String,
    /// Badge colour, `#rrggbb`.
    pub color: String,
    /// Agent or admin.
    pub role: Role,
    /// They left the team: kept on what they wrote, no longer offered.
    pub removed: bool,
}

/// A member as typed in the team form; `uid` is absent for a new one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemberInput {
    /// The member being edited, or `None` to add one.
    pub uid: Option<String>,
    /// Full name.
    pub name: String,
    /// Initials; blank means "from the name".
    pub initials: String,
    /// `#rrggbb`; blank means "pick one".
    pub color: String,
    /// Agent or admin; `None` is agent.
    pub role: Option<Role>,
}

/// Badge colours offered to new members, readable with white text in both themes.
pub const PALETTE: &[&str] = &[
    "#2459d6", "#0b7a43", "#b42318", "#7a4a00", "#6d28d9", "#0e7490", "#be185d", "#4d7c0f",
];

/// The longest name kept.
const MAX_NAME_CHARS: usize = 60;

/// A member's details, tidied and checked: what will be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMember {
    /// Full name, trimmed.
    pub name: String,
    /// One to three letters, upper case.
    pub initials: String,
    /// `#rrggbb`, lower case.
    pub color: String,
    /// Agent or admin.
    pub role: Role,
}

fn invalid(field: &'static str, problem: String, fix: &str) -> CoreError {
    CoreError::InvalidField {
        field,
        problem,
        fix: fix.to_string(),
    }
}

/// Initials from a name: the first letters of the first and last words.
pub fn initials_of(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let first = |w: &str| w.chars().find(|c| c.is_alphanumeric());
    let letters: String = match words.as_slice() {
        [] => String::new(),
        [one] => one
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(2)
            .collect(),
        [head, .., last] => first(head).into_iter().chain(first(last)).collect(),
    };
    letters.to_uppercase()
}

impl MemberInput {
    /// Tidies and checks what was typed; `taken` counts members already there (to pick a
    /// colour nobody has yet).
    pub fn validate(&self, taken: usize) -> Result<ValidMember> {
        let name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err(invalid(
                "name",
                "The name is empty.".into(),
                "Type the person's name, as the team knows them.",
            ));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(invalid(
                "name",
                format!("The name is longer than {MAX_NAME_CHARS} characters."),
                "Shorten it; a first name and a last name are enough.",
            ));
        }
        let initials = match self.initials.trim() {
            "" => initials_of(&name),
            typed => typed.to_uppercase(),
        };
        let count = initials.chars().count();
        if !(1..=3).contains(&count) || initials.chars().any(char::is_whitespace) {
            return Err(invalid(
                "initials",
                format!("“{initials}” are not initials."),
                "Use one to three letters, e.g. DW.",
            ));
        }
        let color = match self.color.trim() {
            "" => PALETTE[taken % PALETTE.len()].to_string(),
            typed => typed.to_ascii_lowercase(),
        };
        let hex = color.strip_prefix('#').unwrap_or("");
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(invalid(
                "color",
                format!("“{color}” is not a colour."),
                "Pick one of the colours offered, or write it as #rrggbb.",
            ));
        }
        Ok(ValidMember {
            name,
            initials,
            color,
            role: self.role.unwrap_or(Role::Agent),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str) -> MemberInput {
        MemberInput {
            name: name.into(),
            ..MemberInput::default()
        }
    }

    #[test]
    fn initials_come_from_the_first_and_last_names() {
        assert_eq!(initials_of("Dana Whitfield"), "DW");
        assert_eq!(initials_of("Mary Ann de la Cruz"), "MC");
        assert_eq!(initials_of("cher"), "CH");
        assert_eq!(initials_of("Zoë Ösler"), "ZÖ");
        assert_eq!(initials_of("   "), "");
    }

    #[test]
    fn a_member_is_tidied_and_gets_defaults() {
        let m = input("  Dana   Whitfield ").validate(1).unwrap();
        assert_eq!(m.name, "Dana Whitfield");
        assert_eq!(m.initials, "DW");
        assert_eq!(m.color, PALETTE[1]);
        assert_eq!(m.role, Role::Agent);
        let typed = MemberInput {
            initials: "dw".into(),
            color: "#ABCDEF".into(),
            role: Some(Role::Admin),
            ..input("Dana")
        }
        .validate(0)
        .unwrap();
        assert_eq!(
            (typed.initials.as_str(), typed.color.as_str()),
            ("DW", "#abcdef")
        );
        assert_eq!(typed.role, Role::Admin);
    }

    #[test]
    fn bad_details_name_the_field_and_the_fix() {
        let field = |i: MemberInput| match i.validate(0) {
            Err(CoreError::InvalidField { field, .. }) => field,
            other => panic!("accepted: {other:?}"),
        };
        assert_eq!(field(input("   ")), "name");
        assert_eq!(field(input(&"x".repeat(61))), "name");
        for initials in ["ABCD", "A B"] {
            assert_eq!(
                field(MemberInput {
                    initials: initials.into(),
                    ..input("Dana")
                }),
                "initials"
            );
        }
        for color in ["red", "#12345", "#gggggg", "123456"] {
            assert_eq!(
                field(MemberInput {
                    color: color.into(),
                    ..input("Dana")
                }),
                "color"
            );
        }
    }
}
