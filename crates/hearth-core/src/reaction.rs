//! Reaction emoji: which unicode emoji a message can be reacted with, in one canonical spelling.

use crate::ValidationError;

/// At most this many distinct emoji on one message (Discord's limit).
pub const MAX_DISTINCT_REACTIONS: u32 = 20;
/// The longest emoji in the Unicode list is a family or flag sequence well under this many bytes;
/// anything longer is refused before the lookup.
const MAX_EMOJI_BYTES: usize = 64;

/// A unicode emoji from the Unicode emoji list (the `emojis` crate's copy of it), stored in its fully
/// qualified form, so that `❤` and `❤️` are one reaction rather than two look-alikes. Skin-tone
/// variants are distinct emoji, as in Discord.
///
/// Custom emoji (`name:id` in Discord's paths) are refused for now; they come with custom emoji support.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReactionEmoji(String);

impl ReactionEmoji {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        if raw.contains(':') {
            return Err(ValidationError::Invalid(
                "custom emoji are not supported yet",
            ));
        }
        if raw.is_empty() || raw.len() > MAX_EMOJI_BYTES {
            return Err(ValidationError::Invalid("not a unicode emoji"));
        }
        emojis::get(raw)
            .map(|emoji| Self(emoji.as_str().to_owned()))
            .ok_or(ValidationError::Invalid("not a unicode emoji"))
    }

    /// Rebuilds an emoji read back from the store, which only ever holds parsed emoji.
    pub fn from_trusted(stored: String) -> Self {
        Self(stored)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn unicode_emoji_are_accepted_in_their_qualified_form() {
        assert_eq!(ReactionEmoji::parse("👍").unwrap().as_str(), "👍");
        assert_eq!(ReactionEmoji::parse("🎉").unwrap().as_str(), "🎉");
        assert_eq!(
            ReactionEmoji::parse("❤").unwrap(),
            ReactionEmoji::parse("❤\u{fe0f}").unwrap(),
            "with or without the variation selector, the same reaction"
        );
        assert_eq!(ReactionEmoji::parse("❤").unwrap().as_str(), "❤\u{fe0f}");
        let toned = ReactionEmoji::parse("👍🏽").unwrap();
        assert_ne!(toned, ReactionEmoji::parse("👍").unwrap());
        assert!(ReactionEmoji::parse("👨‍👩‍👧‍👦").is_ok(), "ZWJ sequences");
        assert!(ReactionEmoji::parse("🇫🇷").is_ok(), "flags");
    }

    #[test]
    fn text_custom_emoji_and_sequences_of_emoji_are_refused() {
        for bad in [
            "",
            "a",
            ":)",
            "thumbsup",
            "👍👍",
            " 👍",
            "👍 ",
            "<:hearth:123>",
            "hearth:123",
            "\u{fe0f}",
        ] {
            assert!(ReactionEmoji::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            ReactionEmoji::parse("hearth:123"),
            Err(ValidationError::Invalid(
                "custom emoji are not supported yet"
            ))
        );
        assert!(ReactionEmoji::parse(&"👍".repeat(100)).is_err());
    }

    proptest! {
        #[test]
        fn accepted_emoji_are_canonical(raw in "\\PC{1,4}") {
            if let Ok(emoji) = ReactionEmoji::parse(&raw) {
                prop_assert_eq!(ReactionEmoji::parse(emoji.as_str()), Ok(emoji.clone()));
                prop_assert!(emoji.as_str().len() <= MAX_EMOJI_BYTES);
            }
        }
    }
}
