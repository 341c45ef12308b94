//! Messages: their content, their kind, the nonce a client sends to make a send idempotent, and the
//! id bounds that read states are measured against.

use crate::{Snowflake, ValidationError};

/// Discord's limit for a message's content, counted in characters (Unicode scalar values).
pub const MESSAGE_CONTENT_MAX_CHARS: usize = 4000;
/// Discord's limit for a nonce.
pub const NONCE_MAX_CHARS: usize = 25;
/// At most this many pinned messages per channel (Discord's limit).
pub const MAX_PINS_PER_CHANNEL: u32 = 50;
/// Bits below a snowflake's timestamp (node and sequence); see `id.rs`.
const SNOWFLAKE_TIME_SHIFT: u32 = 22;

/// A message's text, exactly as written: 1–4000 characters, not all whitespace, and free of control
/// characters other than newline and tab.
///
/// Nothing is trimmed or normalised: code blocks and ASCII art depend on every space, and a message
/// reads back byte for byte as it was sent. NUL and the other C0 controls (and DEL) are refused because
/// they have no meaning in chat and break terminals, logs and some databases' text handling. Rendering
/// is the client's job, from the token model in `docs/markdown.md`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MessageContent(String);

impl MessageContent {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let len = raw.chars().count();
        if !(1..=MESSAGE_CONTENT_MAX_CHARS).contains(&len) {
            return Err(ValidationError::Length {
                min: 1,
                max: MESSAGE_CONTENT_MAX_CHARS,
            });
        }
        if raw.chars().all(char::is_whitespace) {
            return Err(ValidationError::Invalid(
                "a message cannot be only whitespace",
            ));
        }
        if raw.chars().any(is_forbidden_control) {
            return Err(ValidationError::Charset(
                "control characters other than newline and tab",
            ));
        }
        Ok(Self(raw.to_owned()))
    }
}

crate::text::string_accessors!(MessageContent);

fn is_forbidden_control(c: char) -> bool {
    c.is_ascii_control() && c != '\n' && c != '\t'
}

/// What a message is, with Discord's `type` numbers. Only the kinds Hearth creates are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MessageKind {
    Default = 0,
    /// A reply: the message carries a reference to another message of the same channel.
    Reply = 19,
    /// An AutoMod alert, posted in a rule's alert channel in the name of the author it is about.
    AutoModerationAction = 24,
}

impl MessageKind {
    pub fn from_wire(raw: i64) -> Result<Self, ValidationError> {
        match raw {
            0 => Ok(Self::Default),
            19 => Ok(Self::Reply),
            24 => Ok(Self::AutoModerationAction),
            _ => Err(ValidationError::Invalid("unknown message type")),
        }
    }

    pub fn as_wire(self) -> u8 {
        self as u8
    }
}

/// The client's token for one send (Discord's `nonce`): a repeated send with the same nonce from the
/// same author in the same channel, within the dedupe window, answers the first message instead of
/// creating another. Integers (which Discord also accepts) are kept as their decimal text, so `123` and
/// `"123"` are the same nonce.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Nonce(String);

impl Nonce {
    /// 1–25 characters without control characters.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let len = raw.chars().count();
        if !(1..=NONCE_MAX_CHARS).contains(&len) {
            return Err(ValidationError::Length {
                min: 1,
                max: NONCE_MAX_CHARS,
            });
        }
        if raw.chars().any(char::is_control) {
            return Err(ValidationError::Charset("control characters"));
        }
        Ok(Self(raw.to_owned()))
    }

    /// An integer nonce; its decimal form is at most 20 characters, within the bound.
    pub fn from_integer(raw: i64) -> Self {
        Self(raw.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The smallest snowflake made at or after `unix_ms`: every message created after that moment has a
/// larger id. Read states use it to count only what was sent after a member joined.
pub fn first_id_at(unix_ms: i64) -> Snowflake {
    let since_epoch = (unix_ms - crate::id::HEARTH_EPOCH_MS as i64).max(0);
    Snowflake::from_db(since_epoch << SNOWFLAKE_TIME_SHIFT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NodeId, SnowflakeGenerator};
    use proptest::prelude::*;

    #[test]
    fn content_is_kept_exactly_as_written() {
        for raw in [
            "hi",
            "  leading and trailing  ",
            "```rust\n    fn main() {}\n```",
            "tab\tseparated",
            "émoji 🎉 and ｆｕｌｌｗｉｄｔｈ",
            "x",
        ] {
            assert_eq!(MessageContent::parse(raw).unwrap().as_str(), raw);
        }
        let longest = "é".repeat(MESSAGE_CONTENT_MAX_CHARS);
        assert_eq!(
            MessageContent::parse(&longest).unwrap().into_string(),
            longest,
            "counted in characters, not bytes"
        );
    }

    #[test]
    fn content_rejects_empty_blank_too_long_and_control_characters() {
        let too_long = "x".repeat(MESSAGE_CONTENT_MAX_CHARS + 1);
        for bad in [
            "",
            " ",
            "\n\t \u{3000}",
            too_long.as_str(),
            "nul\0byte",
            "bell\u{7}",
            "escape\u{1b}[31m",
            "carriage\rreturn",
            "delete\u{7f}",
        ] {
            assert!(MessageContent::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn kinds_round_trip_through_discords_numbers() {
        for kind in [
            MessageKind::Default,
            MessageKind::Reply,
            MessageKind::AutoModerationAction,
        ] {
            assert_eq!(MessageKind::from_wire(kind.as_wire().into()), Ok(kind));
        }
        assert!(MessageKind::from_wire(1).is_err());
    }

    #[test]
    fn nonces_are_short_printable_strings_or_integers() {
        assert_eq!(Nonce::parse("abc-123").unwrap().as_str(), "abc-123");
        assert_eq!(Nonce::parse(&"n".repeat(25)).unwrap().as_str().len(), 25);
        assert!(Nonce::parse("").is_err());
        assert!(Nonce::parse(&"n".repeat(26)).is_err());
        assert!(Nonce::parse("a\nb").is_err());
        assert_eq!(Nonce::from_integer(-42).as_str(), "-42");
        assert_eq!(
            Nonce::from_integer(1234),
            Nonce::parse("1234").unwrap(),
            "an integer and its decimal text are the same nonce"
        );
        assert!(Nonce::parse(Nonce::from_integer(i64::MIN).as_str()).is_ok());
    }

    #[test]
    fn the_first_id_at_a_time_precedes_every_id_made_then_or_later() {
        let at = crate::id::HEARTH_EPOCH_MS + 5_000;
        let floor = first_id_at(at as i64);
        assert_eq!(floor.unix_ms(), at);
        let ids = SnowflakeGenerator::new(NodeId::new(0).unwrap());
        assert!(ids.next(at) >= floor);
        assert!(ids.next(at + 1) > floor);
        let before = SnowflakeGenerator::new(NodeId::new(NodeId::MAX).unwrap());
        assert!(before.next(at - 1) < floor);
        assert_eq!(
            first_id_at(0).get(),
            0,
            "times before the epoch clamp to it"
        );
    }

    proptest! {
        #[test]
        fn parsed_content_is_the_input_within_bounds(raw in "\\PC{0,50}") {
            if let Ok(content) = MessageContent::parse(&raw) {
                prop_assert_eq!(content.as_str(), raw.as_str());
                prop_assert!(!content.as_str().trim().is_empty());
            }
        }

        #[test]
        fn content_with_a_forbidden_control_character_is_refused(
            before in "[a-z ]{0,10}", c in 0u32..0x20, after in "[a-z ]{0,10}"
        ) {
            let c = char::from_u32(c).unwrap();
            prop_assume!(c != '\n' && c != '\t');
            let raw = format!("x{before}{c}{after}");
            prop_assert!(MessageContent::parse(&raw).is_err());
        }

        #[test]
        fn every_integer_is_a_valid_nonce(n in any::<i64>()) {
            let nonce = Nonce::from_integer(n);
            prop_assert_eq!(Nonce::parse(nonce.as_str()), Ok(nonce));
        }
    }
}
