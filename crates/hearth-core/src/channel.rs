//! Guild channels: their kinds, names, topics and the numeric settings a channel carries.

use unicode_normalization::UnicodeNormalization;

use crate::ValidationError;
use crate::text::{CONTROL_OR_INVISIBLE, is_control_or_invisible, parse_text};
use crate::validation::check_range;

pub const CHANNEL_NAME_MAX_CHARS: usize = 100;
pub const CHANNEL_TOPIC_MAX_CHARS: usize = 1024;
/// Forum topics double as posting guidelines, so Discord allows them to be longer.
pub const FORUM_TOPIC_MAX_CHARS: usize = 4096;
/// Six hours, Discord's limit.
pub const SLOW_MODE_MAX_SECS: u32 = 21_600;
pub const BITRATE_MIN_BPS: u32 = 8_000;
/// Discord's highest tier; a self-hosted instance has no tiers, so every guild may use it.
pub const BITRATE_MAX_BPS: u32 = 384_000;
pub const USER_LIMIT_MAX: u8 = 99;
pub const CHANNEL_POSITION_MAX: i32 = 100_000;

/// The kinds of channel a guild may create here, with Discord's `type` numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelKind {
    Text = 0,
    Voice = 2,
    Category = 4,
    Announcement = 5,
    Forum = 15,
}

impl ChannelKind {
    pub fn from_wire(raw: i64) -> Result<Self, ValidationError> {
        match raw {
            0 => Ok(Self::Text),
            2 => Ok(Self::Voice),
            4 => Ok(Self::Category),
            5 => Ok(Self::Announcement),
            15 => Ok(Self::Forum),
            // DMs and group DMs (1, 3) are not guild channels, threads (10–12) are started from a
            // message or a forum, and stage, directory and media channels (13, 14, 16) are not built.
            1 | 3 | 10..=14 | 16 => Err(ValidationError::Invalid(
                "this channel type cannot be created in a guild here",
            )),
            _ => Err(ValidationError::Invalid("unknown channel type")),
        }
    }

    pub fn as_wire(self) -> u8 {
        self as u8
    }

    /// Channels that hold messages, with text-channel names.
    pub fn is_text_like(self) -> bool {
        matches!(self, Self::Text | Self::Announcement | Self::Forum)
    }

    pub fn is_voice(self) -> bool {
        self == Self::Voice
    }

    pub fn is_category(self) -> bool {
        self == Self::Category
    }

    /// Categories are one level deep: every other channel may sit in one, a category may not.
    pub fn can_have_parent(self) -> bool {
        !self.is_category()
    }
}

/// A channel's name, 1–100 characters after normalisation.
///
/// Text-like channels get Discord-style slugs: trimmed, lowercased, each run of whitespace turned into
/// one `-`, and no ASCII punctuation but `-` and `_` (mention and markup characters such as `#`, `@`,
/// `:` and `` ` `` would break how the name renders in a message). Letters, digits and other symbols of
/// any script, emoji included, are kept. Voice channels and categories keep case, spaces and
/// punctuation, like other display names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChannelName(String);

impl ChannelName {
    pub fn parse(kind: ChannelKind, raw: &str) -> Result<Self, ValidationError> {
        if !kind.is_text_like() {
            return parse_text(raw, 1, CHANNEL_NAME_MAX_CHARS, false).map(Self);
        }
        let trimmed = raw.trim();
        if trimmed.chars().any(is_control_or_invisible) {
            return Err(ValidationError::Charset(CONTROL_OR_INVISIBLE));
        }
        let name = slugify(trimmed);
        if name
            .chars()
            .any(|c| c.is_ascii_punctuation() && !matches!(c, '-' | '_'))
        {
            return Err(ValidationError::Charset(
                "no punctuation in a text channel name except '-' and '_'",
            ));
        }
        let len = name.chars().count();
        if !(1..=CHANNEL_NAME_MAX_CHARS).contains(&len) {
            return Err(ValidationError::Length {
                min: 1,
                max: CHANNEL_NAME_MAX_CHARS,
            });
        }
        Ok(Self(name))
    }
}

crate::text::string_accessors!(ChannelName);

/// Lowercase, whitespace runs to `-`, NFC last because lowercasing can undo composition.
fn slugify(trimmed: &str) -> String {
    let mut slug = String::with_capacity(trimmed.len());
    let mut in_whitespace = false;
    for c in trimmed.chars().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            if !in_whitespace {
                slug.push('-');
            }
            in_whitespace = true;
        } else {
            slug.push(c);
            in_whitespace = false;
        }
    }
    slug.nfc().collect()
}

/// A channel's topic; may span lines. Empty clears it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChannelTopic(String);

impl ChannelTopic {
    pub fn parse(kind: ChannelKind, raw: &str) -> Result<Self, ValidationError> {
        let max = match kind {
            ChannelKind::Forum => FORUM_TOPIC_MAX_CHARS,
            _ => CHANNEL_TOPIC_MAX_CHARS,
        };
        parse_text(raw, 0, max, true).map(Self)
    }
}

crate::text::string_accessors!(ChannelTopic);

/// Seconds a member must wait between messages (Discord's `rate_limit_per_user`); 0 turns it off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SlowMode(u32);

impl SlowMode {
    pub fn parse(raw_secs: i64) -> Result<Self, ValidationError> {
        check_range(raw_secs, 0, SLOW_MODE_MAX_SECS.into()).map(|secs| Self(secs as u32))
    }

    pub fn secs(self) -> u32 {
        self.0
    }
}

/// A voice channel's audio bitrate in bits per second.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Bitrate(u32);

impl Bitrate {
    pub const DEFAULT: Self = Self(64_000);

    pub fn parse(raw_bps: i64) -> Result<Self, ValidationError> {
        check_range(raw_bps, BITRATE_MIN_BPS.into(), BITRATE_MAX_BPS.into())
            .map(|bps| Self(bps as u32))
    }

    pub fn bps(self) -> u32 {
        self.0
    }
}

/// How many members a voice channel admits at once; 0 means no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct UserLimit(u8);

impl UserLimit {
    pub fn parse(raw: i64) -> Result<Self, ValidationError> {
        check_range(raw, 0, USER_LIMIT_MAX.into()).map(|limit| Self(limit as u8))
    }

    /// `None` when unlimited.
    pub fn get(self) -> Option<u8> {
        (self.0 > 0).then_some(self.0)
    }
}

/// A channel's sorting position among its siblings. The bound keeps positions far inside `i32`, so that
/// reordering arithmetic never overflows.
pub fn parse_position(raw: i64) -> Result<i32, ValidationError> {
    check_range(raw, 0, CHANNEL_POSITION_MAX.into()).map(|position| position as i32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ALL_KINDS: [ChannelKind; 5] = [
        ChannelKind::Text,
        ChannelKind::Voice,
        ChannelKind::Category,
        ChannelKind::Announcement,
        ChannelKind::Forum,
    ];

    #[test]
    fn kinds_round_trip_through_discords_numbers() {
        for kind in ALL_KINDS {
            assert_eq!(ChannelKind::from_wire(kind.as_wire().into()), Ok(kind));
        }
        for unsupported in [1, 3, 10, 11, 12, 13, 14, 16] {
            assert_eq!(
                ChannelKind::from_wire(unsupported),
                Err(ValidationError::Invalid(
                    "this channel type cannot be created in a guild here"
                ))
            );
        }
        for unknown in [-1, 6, 9, 17, 255] {
            assert_eq!(
                ChannelKind::from_wire(unknown),
                Err(ValidationError::Invalid("unknown channel type"))
            );
        }
    }

    #[test]
    fn kinds_answer_what_they_are() {
        assert!(ChannelKind::Forum.is_text_like() && !ChannelKind::Voice.is_text_like());
        assert!(ChannelKind::Voice.is_voice());
        assert!(ChannelKind::Category.is_category() && !ChannelKind::Category.can_have_parent());
        assert!(ChannelKind::Announcement.can_have_parent());
    }

    #[test]
    fn text_channel_names_become_slugs() {
        let text = |raw| ChannelName::parse(ChannelKind::Text, raw).map(ChannelName::into_string);
        assert_eq!(text("  General Chat  ").unwrap(), "general-chat");
        assert_eq!(text("a \u{3000}  b").unwrap(), "a-b");
        assert_eq!(text("off_topic-2").unwrap(), "off_topic-2");
        assert_eq!(text("🎮-gaming").unwrap(), "🎮-gaming");
        assert_eq!(text("Übersicht").unwrap(), "übersicht");
        assert_eq!(text(&"x".repeat(100)).unwrap().len(), 100);
    }

    #[test]
    fn text_channel_names_reject_markup_control_and_empty() {
        for bad in [
            "",
            "   ",
            "#general",
            "@mods",
            "a:b",
            "code`",
            "a,b",
            "a/b",
            "tab\tname",
            "zero\u{200b}width",
            &"x".repeat(101),
        ] {
            assert!(
                ChannelName::parse(ChannelKind::Text, bad).is_err(),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn voice_and_category_names_keep_case_and_spaces() {
        for kind in [ChannelKind::Voice, ChannelKind::Category] {
            let name = ChannelName::parse(kind, "  Lounge #1: Chill ").unwrap();
            assert_eq!(name.as_str(), "Lounge #1: Chill");
            assert!(ChannelName::parse(kind, " ").is_err());
            assert!(ChannelName::parse(kind, "bidi\u{202e}").is_err());
        }
    }

    #[test]
    fn topics_are_longer_in_forums() {
        let long = "x".repeat(CHANNEL_TOPIC_MAX_CHARS + 1);
        assert!(ChannelTopic::parse(ChannelKind::Text, &long).is_err());
        assert!(ChannelTopic::parse(ChannelKind::Forum, &long).is_ok());
        assert!(
            ChannelTopic::parse(ChannelKind::Forum, &"x".repeat(FORUM_TOPIC_MAX_CHARS + 1))
                .is_err()
        );
        assert_eq!(
            ChannelTopic::parse(ChannelKind::Text, "").unwrap().as_str(),
            ""
        );
        assert!(ChannelTopic::parse(ChannelKind::Text, "line\nline").is_ok());
    }

    #[test]
    fn numeric_settings_are_bounded() {
        assert_eq!(SlowMode::parse(0).unwrap().secs(), 0);
        assert_eq!(SlowMode::parse(21_600).unwrap().secs(), 21_600);
        assert!(SlowMode::parse(21_601).is_err() && SlowMode::parse(-1).is_err());
        assert_eq!(Bitrate::DEFAULT.bps(), 64_000);
        assert!(Bitrate::parse(7_999).is_err() && Bitrate::parse(384_001).is_err());
        assert_eq!(Bitrate::parse(8_000).unwrap().bps(), 8_000);
        assert_eq!(UserLimit::parse(0).unwrap().get(), None);
        assert_eq!(UserLimit::parse(99).unwrap().get(), Some(99));
        assert!(UserLimit::parse(100).is_err());
        assert_eq!(parse_position(100_000), Ok(100_000));
        assert!(parse_position(100_001).is_err() && parse_position(-1).is_err());
    }

    proptest! {
        #[test]
        fn parsed_channel_names_respect_their_rules(raw in "\\PC{0,120}", which in 0usize..5) {
            let kind = ALL_KINDS[which];
            if let Ok(name) = ChannelName::parse(kind, &raw) {
                let len = name.as_str().chars().count();
                prop_assert!((1..=CHANNEL_NAME_MAX_CHARS).contains(&len));
                if kind.is_text_like() {
                    prop_assert!(!name.as_str().chars().any(char::is_whitespace));
                    let again = ChannelName::parse(kind, name.as_str()).unwrap();
                    prop_assert_eq!(again, name);
                }
            }
        }

        #[test]
        fn parsed_numbers_respect_their_bounds(raw in -1_000i64..500_000) {
            if let Ok(slow) = SlowMode::parse(raw) { prop_assert!(slow.secs() <= SLOW_MODE_MAX_SECS); }
            if let Ok(rate) = Bitrate::parse(raw) {
                prop_assert!((BITRATE_MIN_BPS..=BITRATE_MAX_BPS).contains(&rate.bps()));
            }
            if let Ok(limit) = UserLimit::parse(raw) { prop_assert!(limit.get().unwrap_or(0) <= USER_LIMIT_MAX); }
            if let Ok(position) = parse_position(raw) {
                prop_assert!((0..=CHANNEL_POSITION_MAX).contains(&position));
            }
        }
    }
}
