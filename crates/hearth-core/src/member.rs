//! What a member sets about themselves within one guild.

use crate::text::text_field;

pub const NICKNAME_MAX_CHARS: usize = 32;

text_field!(
    /// The name a member goes by in one guild, instead of their display name. Clearing it (an empty
    /// string on the wire) is the caller's case: it never reaches `parse`.
    Nickname, 1, NICKNAME_MAX_CHARS, false
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nicknames_are_trimmed_and_bounded() {
        assert_eq!(Nickname::parse(" Ada ").unwrap().as_str(), "Ada");
        assert!(Nickname::parse("x").is_ok());
        assert!(Nickname::parse(&"é".repeat(NICKNAME_MAX_CHARS)).is_ok());
        for bad in [
            "",
            " ",
            &"x".repeat(NICKNAME_MAX_CHARS + 1),
            "a\tb",
            "a\u{feff}b",
        ] {
            assert!(Nickname::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    proptest! {
        #[test]
        fn parsed_nicknames_respect_their_bound(raw in "\\PC{0,40}") {
            if let Ok(nick) = Nickname::parse(&raw) {
                let len = nick.as_str().chars().count();
                prop_assert!((1..=NICKNAME_MAX_CHARS).contains(&len));
            }
        }
    }
}
