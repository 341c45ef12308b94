//! Roles: their names and colours. Their permissions live in `permissions.rs`, their order in
//! `hierarchy.rs`.

use crate::ValidationError;
use crate::text::parse_text;
use crate::validation::check_range;

pub const ROLE_NAME_MAX_CHARS: usize = 100;
/// The default role's name. No other role may take it, so that a role list never shows two.
pub const EVERYONE_ROLE_NAME: &str = "@everyone";
/// 24-bit RGB.
pub const ROLE_COLOR_MAX: u32 = 0xFF_FFFF;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoleName(String);

impl RoleName {
    /// 1–100 characters, trimmed, NFC, no control or invisible characters, and not `@everyone` in any
    /// case.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let name = parse_text(raw, 1, ROLE_NAME_MAX_CHARS, false)?;
        if name.to_lowercase() == EVERYONE_ROLE_NAME {
            return Err(ValidationError::Reserved);
        }
        Ok(Self(name))
    }

    /// The name of the role every guild is created with, which [`RoleName::parse`] refuses.
    pub fn everyone() -> Self {
        Self(EVERYONE_ROLE_NAME.to_owned())
    }
}

crate::text::string_accessors!(RoleName);

/// A role's colour as Discord sends it: an RGB integer, 0 meaning "no colour" (members show the colour
/// of their next coloured role, or the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RoleColor(u32);

impl RoleColor {
    pub fn parse(raw: i64) -> Result<Self, ValidationError> {
        check_range(raw, 0, ROLE_COLOR_MAX.into()).map(|rgb| Self(rgb as u32))
    }

    pub fn rgb(self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn role_names_are_trimmed_and_bounded() {
        assert_eq!(
            RoleName::parse("  Moderators ").unwrap().as_str(),
            "Moderators"
        );
        assert!(RoleName::parse("x").is_ok());
        assert!(RoleName::parse(&"x".repeat(ROLE_NAME_MAX_CHARS)).is_ok());
        for bad in [
            "",
            "  ",
            &"x".repeat(ROLE_NAME_MAX_CHARS + 1),
            "a\nb",
            "a\u{2066}b",
        ] {
            assert!(RoleName::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn everyone_is_reserved_in_any_case() {
        for reserved in ["@everyone", "@Everyone", " @EVERYONE "] {
            assert_eq!(RoleName::parse(reserved), Err(ValidationError::Reserved));
        }
        assert!(RoleName::parse("everyone").is_ok());
        assert_eq!(RoleName::everyone().as_str(), "@everyone");
    }

    #[test]
    fn colors_are_24_bit() {
        assert_eq!(RoleColor::parse(0).unwrap(), RoleColor::default());
        assert_eq!(RoleColor::parse(0xFF_FFFF).unwrap().rgb(), 0xFF_FFFF);
        assert!(RoleColor::parse(0x100_0000).is_err());
        assert!(RoleColor::parse(-1).is_err());
    }

    proptest! {
        #[test]
        fn parsed_role_fields_respect_their_bounds(raw in "\\PC{0,120}", color in any::<i64>()) {
            if let Ok(name) = RoleName::parse(&raw) {
                let len = name.as_str().chars().count();
                prop_assert!((1..=ROLE_NAME_MAX_CHARS).contains(&len));
                prop_assert_ne!(name.as_str().to_lowercase(), EVERYONE_ROLE_NAME);
            }
            if let Ok(color) = RoleColor::parse(color) {
                prop_assert!(color.rgb() <= ROLE_COLOR_MAX);
            }
        }
    }
}
