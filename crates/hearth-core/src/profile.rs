//! Profile fields a user edits about themselves: display name, bio, pronouns.

use unicode_normalization::UnicodeNormalization;

use crate::ValidationError;

pub const DISPLAY_NAME_MAX_CHARS: usize = 32;
pub const BIO_MAX_CHARS: usize = 190;
pub const PRONOUNS_MAX_CHARS: usize = 40;

/// Shared rules for free-text profile fields: NFC-normalised, trimmed, within bounds, and free of control
/// and invisible formatting characters (which are used to impersonate or to break layouts).
fn parse_text(
    raw: &str,
    min: usize,
    max: usize,
    allow_newlines: bool,
) -> Result<String, ValidationError> {
    let text: String = raw.trim().nfc().collect();
    let len = text.chars().count();
    if !(min..=max).contains(&len) {
        return Err(ValidationError::Length { min, max });
    }
    let bad = |c: char| {
        (c.is_control() && !(allow_newlines && c == '\n'))
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
    };
    if text.chars().any(bad) {
        return Err(ValidationError::Charset(
            "control or invisible formatting characters",
        ));
    }
    Ok(text)
}

macro_rules! profile_text {
    ($(#[$doc:meta])* $name:ident, $min:expr, $max:expr, $newlines:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, ValidationError> {
                parse_text(raw, $min, $max, $newlines).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }
    };
}

profile_text!(
    /// The name shown instead of the username (Discord's `global_name`).
    DisplayName, 1, DISPLAY_NAME_MAX_CHARS, false
);
profile_text!(
    /// "About me" text; may span lines. Empty clears it.
    Bio, 0, BIO_MAX_CHARS, true
);
profile_text!(
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
