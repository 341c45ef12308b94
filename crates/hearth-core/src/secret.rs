//! Passwords: validated once, never printed.

use crate::ValidationError;

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;

/// A candidate password. `Debug` is redacted so that it cannot reach a log by accident.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    /// Length is counted in characters; the 128 bound also caps the work a hash does per attempt.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let len = raw.chars().count();
        if !(PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&len) {
            return Err(ValidationError::Length {
                min: PASSWORD_MIN_CHARS,
                max: PASSWORD_MAX_CHARS,
            });
        }
        if raw.chars().any(|c| c.is_control()) {
            return Err(ValidationError::Charset(
                "control characters are not allowed",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn debug_output_never_contains_the_password() {
        let p = Password::parse("correct horse battery").unwrap();
        assert!(!format!("{p:?}").contains("horse"));
    }

    #[test]
    fn bounds_are_counted_in_characters() {
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("12345678").is_ok());
        assert!(Password::parse(&"é".repeat(128)).is_ok());
        assert!(Password::parse(&"é".repeat(129)).is_err());
        assert!(Password::parse("abc\u{0}defgh").is_err());
    }

    proptest! {
        #[test]
        fn accepts_exactly_the_lengths_in_bounds(raw in "[^\\p{Cc}]{0,140}") {
            let len = raw.chars().count();
            prop_assert_eq!(Password::parse(&raw).is_ok(), (8..=128).contains(&len));
        }
    }
}
