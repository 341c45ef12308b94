//! The rules every free-text field shares (profile fields, guild, channel, role and member names).

use unicode_normalization::UnicodeNormalization;

use crate::ValidationError;

/// Control characters and the invisible formatting characters used to impersonate (zero-width joiners
/// between look-alike names) or to break layouts (bidirectional overrides that reverse the rest of a line).
pub(crate) fn is_control_or_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

pub(crate) const CONTROL_OR_INVISIBLE: &str = "control or invisible formatting characters";

/// NFC-normalised, trimmed, `min..=max` characters, and free of control and invisible formatting
/// characters (except `\n` where the field may span lines).
pub(crate) fn parse_text(
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
    if text
        .chars()
        .any(|c| is_control_or_invisible(c) && !(allow_newlines && c == '\n'))
    {
        return Err(ValidationError::Charset(CONTROL_OR_INVISIBLE));
    }
    Ok(text)
}

/// Declares a newtype over `String` whose only constructor applies [`parse_text`] with the given bounds.
macro_rules! text_field {
    ($(#[$doc:meta])* $name:ident, $min:expr, $max:expr, $newlines:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, $crate::ValidationError> {
                $crate::text::parse_text(raw, $min, $max, $newlines).map(Self)
            }

        }

        $crate::text::string_accessors!($name);
    };
}

/// The accessors every validated string newtype shares; its `parse` stays its own.
macro_rules! string_accessors {
    ($name:ident) => {
        impl $name {
            /// Rebuilds a value read back from the store, which only ever holds parsed values.
            pub fn from_trusted(stored: String) -> Self {
                Self(stored)
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

pub(crate) use {string_accessors, text_field};
