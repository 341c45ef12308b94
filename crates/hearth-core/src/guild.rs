//! A guild's own settings: its name, description and the moderation levels it applies to members.

use crate::ValidationError;
use crate::text::text_field;

pub const GUILD_NAME_MIN_CHARS: usize = 2;
pub const GUILD_NAME_MAX_CHARS: usize = 100;
pub const GUILD_DESCRIPTION_MAX_CHARS: usize = 1000;

text_field!(
    /// A guild's name, as shown in the guild list.
    GuildName, GUILD_NAME_MIN_CHARS, GUILD_NAME_MAX_CHARS, false
);
text_field!(
    /// What the guild is about; may span lines. Empty clears it.
    GuildDescription, 0, GUILD_DESCRIPTION_MAX_CHARS, true
);

/// Declares a fieldless enum numbered 0, 1, 2, … on the wire (Discord's numbers), whose first variant is
/// the default, with `from_wire`/`as_wire`.
macro_rules! wire_level {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub enum $name {
            #[default]
            $($(#[$vdoc])* $variant = $value),+
        }

        impl $name {
            const ALL: &[Self] = &[$(Self::$variant),+];

            /// Accepts any JSON integer and names the valid range when it is out of it.
            pub fn from_wire(raw: i64) -> Result<Self, ValidationError> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|level| i64::from(level.as_wire()) == raw)
                    .ok_or(ValidationError::Range { min: 0, max: Self::ALL.len() as i64 - 1 })
            }

            pub fn as_wire(self) -> u8 {
                self as u8
            }
        }
    };
}

wire_level!(
    /// What a member must have done before they may talk in the guild. Defaults to none.
    VerificationLevel {
        /// Unrestricted.
        None = 0,
        /// A verified email.
        Low = 1,
        /// Registered on the instance for more than five minutes.
        Medium = 2,
        /// A member of the guild for more than ten minutes.
        High = 3,
        /// A verified phone number.
        VeryHigh = 4,
    }
);

wire_level!(
    /// Which messages notify members who have not chosen for themselves. Defaults to all messages.
    NotificationLevel {
        AllMessages = 0,
        OnlyMentions = 1,
    }
);

wire_level!(
    /// Whose uploads are scanned for explicit content. Defaults to nobody's.
    ExplicitContentFilter {
        Disabled = 0,
        MembersWithoutRoles = 1,
        AllMembers = 2,
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn guild_names_are_trimmed_and_bounded() {
        assert_eq!(
            GuildName::parse("  Book Club ").unwrap().as_str(),
            "Book Club"
        );
        assert!(GuildName::parse("ab").is_ok());
        assert!(GuildName::parse(&"x".repeat(GUILD_NAME_MAX_CHARS)).is_ok());
        for bad in [
            "a",
            "  a  ",
            "",
            &"x".repeat(GUILD_NAME_MAX_CHARS + 1),
            "two\nlines",
            "zero\u{200b}width",
        ] {
            assert!(GuildName::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn descriptions_may_span_lines_and_be_cleared() {
        assert!(GuildDescription::parse("We read.\nWe talk.").is_ok());
        assert_eq!(GuildDescription::parse(" ").unwrap().as_str(), "");
        assert!(GuildDescription::parse(&"x".repeat(GUILD_DESCRIPTION_MAX_CHARS)).is_ok());
        assert!(GuildDescription::parse(&"x".repeat(GUILD_DESCRIPTION_MAX_CHARS + 1)).is_err());
        assert!(GuildDescription::parse("tab\there").is_err());
    }

    #[test]
    fn levels_round_trip_through_discords_numbers() {
        for raw in 0..=4 {
            assert_eq!(
                i64::from(VerificationLevel::from_wire(raw).unwrap().as_wire()),
                raw
            );
        }
        assert_eq!(
            VerificationLevel::from_wire(4),
            Ok(VerificationLevel::VeryHigh)
        );
        assert_eq!(
            VerificationLevel::from_wire(5),
            Err(ValidationError::Range { min: 0, max: 4 })
        );
        assert!(VerificationLevel::from_wire(-1).is_err());
        assert_eq!(
            NotificationLevel::from_wire(1),
            Ok(NotificationLevel::OnlyMentions)
        );
        assert!(NotificationLevel::from_wire(2).is_err());
        assert_eq!(
            ExplicitContentFilter::from_wire(2),
            Ok(ExplicitContentFilter::AllMembers)
        );
        assert!(ExplicitContentFilter::from_wire(3).is_err());
    }

    #[test]
    fn new_guilds_default_to_the_least_restrictive_levels() {
        assert_eq!(VerificationLevel::default(), VerificationLevel::None);
        assert_eq!(NotificationLevel::default(), NotificationLevel::AllMessages);
        assert_eq!(
            ExplicitContentFilter::default(),
            ExplicitContentFilter::Disabled
        );
    }

    proptest! {
        #[test]
        fn parsed_guild_fields_respect_their_bounds(raw in "\\PC{0,120}") {
            if let Ok(name) = GuildName::parse(&raw) {
                let len = name.as_str().chars().count();
                prop_assert!((GUILD_NAME_MIN_CHARS..=GUILD_NAME_MAX_CHARS).contains(&len));
            }
            if let Ok(description) = GuildDescription::parse(&raw) {
                prop_assert!(description.as_str().chars().count() <= GUILD_DESCRIPTION_MAX_CHARS);
            }
        }

        #[test]
        fn only_levels_in_range_parse(raw in -10i64..10) {
            prop_assert_eq!(VerificationLevel::from_wire(raw).is_ok(), (0..=4).contains(&raw));
            prop_assert_eq!(NotificationLevel::from_wire(raw).is_ok(), (0..=1).contains(&raw));
            prop_assert_eq!(ExplicitContentFilter::from_wire(raw).is_ok(), (0..=2).contains(&raw));
        }
    }
}
