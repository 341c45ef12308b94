//! Profile fields a user edits about themselves: display name, bio, pronouns.

use crate::text::text_field;

pub const DISPLAY_NAME_MAX_CHARS: usize = 32;
pub const BIO_MAX_CHARS: usize = 190;
pub const PRONOUNS_MAX_CHARS: usize = 40;

text_field!(
    /// The name shown instead of the username (Discord's `global_name`).
    DisplayName, 1, DISPLAY_NAME_MAX_CHARS, false
);
text_field!(
    /// "About me" text; may span lines. Empty clears it.
    Bio, 0, BIO_MAX_CHARS, true
);
text_field!(
    /// Free-form pronouns. Empty clears them.
    Pronouns, 0, PRONOUNS_MAX_CHARS, false
);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("  Ada  ").unwrap().as_str(), "Ada");
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"x".repeat(33)).is_err());
        assert!(DisplayName::parse("bad\nline").is_err());
        assert!(DisplayName::parse("rtl\u{202e}override").is_err());
    }

    #[test]
    fn bios_may_span_lines_and_be_cleared() {
        assert!(Bio::parse("line one\nline two").is_ok());
        assert_eq!(Bio::parse("").unwrap().as_str(), "");
        assert!(Bio::parse(&"x".repeat(191)).is_err());
    }

    proptest! {
        #[test]
        fn parsed_fields_never_exceed_their_bound(raw in "\\PC{0,250}") {
            if let Ok(bio) = Bio::parse(&raw) { prop_assert!(bio.as_str().chars().count() <= BIO_MAX_CHARS); }
            if let Ok(p) = Pronouns::parse(&raw) { prop_assert!(p.as_str().chars().count() <= PRONOUNS_MAX_CHARS); }
            if let Ok(d) = DisplayName::parse(&raw) {
                prop_assert!(!d.as_str().is_empty() && d.as_str().chars().count() <= DISPLAY_NAME_MAX_CHARS);
            }
        }
    }
}
