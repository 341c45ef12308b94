//! What a report may say: its category and the reporter's free-text reason, both bounded.

use crate::validation::ValidationError;

/// Why something is reported (a fixed list, so queues can be filtered and counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportCategory {
    Spam,
    Harassment,
    Hate,
    Sexual,
    Violence,
    SelfHarm,
    Illegal,
    Impersonation,
    Other,
}

impl ReportCategory {
    pub const ALL: &'static [ReportCategory] = &[
        Self::Spam,
        Self::Harassment,
        Self::Hate,
        Self::Sexual,
        Self::Violence,
        Self::SelfHarm,
        Self::Illegal,
        Self::Impersonation,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Spam => "spam",
            Self::Harassment => "harassment",
            Self::Hate => "hate",
            Self::Sexual => "sexual",
            Self::Violence => "violence",
            Self::SelfHarm => "self_harm",
            Self::Illegal => "illegal",
            Self::Impersonation => "impersonation",
            Self::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == text)
            .ok_or(ValidationError::Invalid(
                "must be one of spam, harassment, hate, sexual, violence, self_harm, illegal, impersonation, other",
            ))
    }
}

/// Longest reason a reporter may give, in characters.
pub const REPORT_REASON_MAX_CHARS: usize = 1000;
/// Longest moderator note on a report, in characters.
pub const REPORT_NOTE_MAX_CHARS: usize = 2000;

/// Trims free text and checks it: at most `max` characters, no control characters other than line
/// breaks and tabs, and (when `required`) not empty.
pub fn parse_note(text: &str, max: usize, required: bool) -> Result<String, ValidationError> {
    let text = text.trim();
    if required && text.is_empty() {
        return Err(ValidationError::Length { min: 1, max });
    }
    if text.chars().count() > max {
        return Err(ValidationError::Length {
            min: usize::from(required),
            max,
        });
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
    {
        return Err(ValidationError::Charset("control characters"));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_round_trip_and_unknown_ones_are_refused() {
        for c in ReportCategory::ALL {
            assert_eq!(ReportCategory::parse(c.as_str()).unwrap(), *c);
        }
        assert!(ReportCategory::parse("Spam").is_err());
        assert!(ReportCategory::parse("").is_err());
    }

    #[test]
    fn notes_are_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(parse_note("  hi\nthere ", 10, true).unwrap(), "hi\nthere");
        assert!(parse_note("   ", 10, true).is_err());
        assert_eq!(parse_note("", 10, false).unwrap(), "");
        assert!(parse_note(&"é".repeat(11), 10, false).is_err());
        assert!(parse_note(&"é".repeat(10), 10, false).is_ok());
        assert!(parse_note("bell\u{7}", 10, false).is_err());
    }
}
