//! Usernames: the handle people sign in with and mention each other by.
//!
//! Rules: NFKC-normalised, 2–32 characters, letters and digits of any script plus `_`, `.` and `-`;
//! no leading or trailing `.`, no `..`. `everyone` and `here` are reserved because they are mention
//! keywords, `system` and `hearth` because they would impersonate the instance. Uniqueness ignores
//! case: [`Username::canonical`] is the key the store enforces.

use unicode_normalization::UnicodeNormalization;

use crate::ValidationError;

pub const USERNAME_MIN_CHARS: usize = 2;
pub const USERNAME_MAX_CHARS: usize = 32;
const RESERVED: &[&str] = &["everyone", "here", "system", "hearth"];

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let normalised: String = raw.nfkc().collect();
        let len = normalised.chars().count();
        if !(USERNAME_MIN_CHARS..=USERNAME_MAX_CHARS).contains(&len) {
            return Err(ValidationError::Length {
                min: USERNAME_MIN_CHARS,
                max: USERNAME_MAX_CHARS,
            });
        }
        if !normalised
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
        {
            return Err(ValidationError::Charset(
                "use letters, digits, '_', '.' and '-'",
            ));
        }
        if normalised.starts_with('.') || normalised.ends_with('.') || normalised.contains("..") {
            return Err(ValidationError::Charset(
                "dots may not lead, trail or repeat",
            ));
        }
        let username = Self(normalised);
        if RESERVED.contains(&username.canonical().as_str()) {
            return Err(ValidationError::Reserved);
        }
        Ok(username)
    }

    /// The case-insensitive key: NFKC of the lowercased NFKC form (an approximation of Unicode's
    /// NFKC_Casefold that needs no extra tables). Two usernames clash when their keys are equal.
    pub fn canonical(&self) -> String {
        self.0.to_lowercase().nfkc().collect()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Rebuilds a username read back from the store, which only ever holds parsed usernames.
    pub fn from_trusted(stored: String) -> Self {
        Self(stored)
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_ordinary_names_in_any_script() {
        for ok in [
            "al",
            "alice_01",
            "björk",
            "жора",
            "山田太郎",
            "a.b-c",
            "x".repeat(32).as_str(),
        ] {
            assert!(Username::parse(ok).is_ok(), "{ok} rejected");
        }
    }

    #[test]
    fn rejects_bad_lengths_charsets_and_reserved_words() {
        for bad in [
            "a",
            "",
            &"x".repeat(33),
            "has space",
            "semi;colon",
            "<script>",
            ".lead",
            "trail.",
            "a..b",
            "everyone",
            "HERE",
            "tab\tname",
            "zero\u{200b}width",
        ] {
            assert!(Username::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn normalises_compatibility_forms() {
        // Fullwidth letters are NFKC-equivalent to ASCII ones.
        assert_eq!(Username::parse("ａｌｉｃｅ").unwrap().as_str(), "alice");
    }

    #[test]
    fn canonical_form_ignores_case() {
        assert_eq!(
            Username::parse("Alice").unwrap().canonical(),
            Username::parse("aLICE").unwrap().canonical()
        );
        assert_eq!(
            Username::parse("ÅSA").unwrap().canonical(),
            Username::parse("åsa").unwrap().canonical()
        );
    }

    proptest! {
        #[test]
        fn parsing_is_idempotent(raw in "\\PC{0,40}") {
            if let Ok(name) = Username::parse(&raw) {
                let again = Username::parse(name.as_str()).expect("a parsed name parses again");
                prop_assert_eq!(again, name);
            }
        }

        #[test]
        fn accepted_names_respect_the_length_bound(raw in "\\PC{0,40}") {
            if let Ok(name) = Username::parse(&raw) {
                let len = name.as_str().chars().count();
                prop_assert!((USERNAME_MIN_CHARS..=USERNAME_MAX_CHARS).contains(&len));
                prop_assert!(!name.as_str().chars().any(char::is_whitespace));
            }
        }

        #[test]
        fn canonical_is_stable_under_case_changes(raw in "[a-zA-Z0-9_]{2,32}") {
            let name = Username::parse(&raw).unwrap();
            let upper = Username::parse(&raw.to_uppercase()).unwrap();
            prop_assert_eq!(name.canonical(), upper.canonical());
        }
    }
}
