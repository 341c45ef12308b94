//! The instance itself: its public profile (name, description, terms, privacy policy), the
//! announcements its admins post to everyone, the search admins run over accounts, the actions the
//! instance audit log records, and what an account deleted by an admin turns into.

use unicode_normalization::UnicodeNormalization;

use crate::text::{string_accessors, text_field};
use crate::{Snowflake, ValidationError};

pub const INSTANCE_NAME_MAX_CHARS: usize = 100;
pub const INSTANCE_DESCRIPTION_MAX_CHARS: usize = 1000;
/// Terms of service and privacy policy: long legal texts, in markdown.
pub const INSTANCE_DOCUMENT_MAX_CHARS: usize = 20_000;
/// The name shown until an admin sets one.
pub const DEFAULT_INSTANCE_NAME: &str = "Hearth";

pub const ANNOUNCEMENT_TITLE_MAX_CHARS: usize = 100;
pub const ANNOUNCEMENT_CONTENT_MAX_CHARS: usize = 4000;
/// Announcements shown at once: every signed-in client fetches all of them, so the list stays short.
pub const MAX_ACTIVE_ANNOUNCEMENTS: u32 = 25;
/// An announcement expires at most a year after it is posted (one without expiry stays until deleted).
pub const ANNOUNCEMENT_MAX_LIFETIME_MS: i64 = 366 * 24 * 3_600_000;

/// Longest account search, in characters: no username or display name is longer.
pub const USER_SEARCH_MAX_CHARS: usize = 32;
/// Longest page of the admin lists (accounts, announcements, audit log).
pub const ADMIN_PAGE_MAX: u32 = 100;
pub const ADMIN_PAGE_DEFAULT: u32 = 50;

/// The display name every deleted account shows.
pub const DELETED_USER_DISPLAY_NAME: &str = "Deleted User";

text_field!(
    /// The instance's name, shown on the registration screen and in clients' title bars.
    InstanceName, 1, INSTANCE_NAME_MAX_CHARS, false
);
text_field!(
    /// A short description of the instance; may span lines. Empty clears it.
    InstanceDescription, 0, INSTANCE_DESCRIPTION_MAX_CHARS, true
);
text_field!(
    /// An announcement's title: one line.
    AnnouncementTitle, 1, ANNOUNCEMENT_TITLE_MAX_CHARS, false
);

/// A long markdown text (terms of service, privacy policy): at most 20,000 characters, trimmed, with
/// `\r\n` turned into `\n`, and no control characters but newline and tab (markdown needs both; the
/// rest have no meaning in a document and break terminals and logs). Empty clears it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InstanceDocument(String);

impl InstanceDocument {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        parse_markdown(raw, 0, INSTANCE_DOCUMENT_MAX_CHARS).map(Self)
    }
}

string_accessors!(InstanceDocument);

/// An announcement's body: 1–4000 characters of markdown, under the same rules as [`InstanceDocument`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AnnouncementContent(String);

impl AnnouncementContent {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        parse_markdown(raw, 1, ANNOUNCEMENT_CONTENT_MAX_CHARS).map(Self)
    }
}

string_accessors!(AnnouncementContent);

fn parse_markdown(raw: &str, min: usize, max: usize) -> Result<String, ValidationError> {
    let text = raw.trim().replace("\r\n", "\n");
    let len = text.chars().count();
    if !(min..=max).contains(&len) {
        return Err(ValidationError::Length { min, max });
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(ValidationError::Charset(
            "control characters other than newline and tab",
        ));
    }
    Ok(text)
}

/// When an announcement stops showing: after `now_ms` and at most [`ANNOUNCEMENT_MAX_LIFETIME_MS`]
/// later. The caller passes the time (this crate reads no clock).
pub fn parse_announcement_expiry(expires_at_ms: i64, now_ms: i64) -> Result<i64, ValidationError> {
    if expires_at_ms <= now_ms {
        return Err(ValidationError::Invalid("must be in the future"));
    }
    if expires_at_ms - now_ms > ANNOUNCEMENT_MAX_LIFETIME_MS {
        return Err(ValidationError::Invalid("must be at most a year away"));
    }
    Ok(expires_at_ms)
}

/// What an admin types to find accounts: 1–32 characters, matched case-insensitively as a substring of
/// the username or the display name. [`UserQuery::key`] folds case the way
/// [`crate::Username::canonical`] does, so it compares directly with the stored username key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserQuery(String);

impl UserQuery {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let trimmed = raw.trim();
        let len = trimmed.chars().count();
        if !(1..=USER_SEARCH_MAX_CHARS).contains(&len) {
            return Err(ValidationError::Length {
                min: 1,
                max: USER_SEARCH_MAX_CHARS,
            });
        }
        if trimmed.chars().any(char::is_control) {
            return Err(ValidationError::Charset("control characters"));
        }
        let key: String = trimmed.nfkc().collect::<String>().to_lowercase();
        Ok(Self(key.nfkc().collect()))
    }

    /// The case-folded search text.
    pub fn key(&self) -> &str {
        &self.0
    }

    /// A SQL `LIKE` pattern matching the key anywhere, with `\` as the escape character, so that `%`
    /// and `_` in the query match themselves.
    pub fn like_pattern(&self) -> String {
        let mut pattern = String::with_capacity(self.0.len() + 2);
        pattern.push('%');
        for c in self.0.chars() {
            if matches!(c, '%' | '_' | '\\') {
                pattern.push('\\');
            }
            pattern.push(c);
        }
        pattern.push('%');
        pattern
    }
}

/// What an account deleted by an admin is called: a valid username unique to it (the prefix, 13
/// characters, and a snowflake's at most 19 digits fit the 32-character bound).
pub fn deleted_username(id: Snowflake) -> String {
    format!("deleted_user_{id}")
}

/// What the uniqueness key of every deleted account starts with. It contains `:`, which no username
/// may, so no one can register a name that collides with a deleted account's key and block a deletion.
pub const DELETED_USERNAME_KEY_PREFIX: &str = "deleted:";

/// The uniqueness key of a deleted account.
pub fn deleted_username_key(id: Snowflake) -> String {
    format!("{DELETED_USERNAME_KEY_PREFIX}{id}")
}

/// One kind of entry in the instance audit log, stored and shown as a dotted name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstanceAuditAction {
    UserDisable,
    UserEnable,
    UserDelete,
    UserPromote,
    UserDemote,
    /// Registration mode or the instance's profile texts changed.
    SettingsUpdate,
    InviteCreate,
    InviteDelete,
    AnnouncementCreate,
    AnnouncementDelete,
    /// An escalated report's status or assignee changed.
    ReportUpdate,
}

impl InstanceAuditAction {
    pub const ALL: &'static [Self] = &[
        Self::UserDisable,
        Self::UserEnable,
        Self::UserDelete,
        Self::UserPromote,
        Self::UserDemote,
        Self::SettingsUpdate,
        Self::InviteCreate,
        Self::InviteDelete,
        Self::AnnouncementCreate,
        Self::AnnouncementDelete,
        Self::ReportUpdate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::UserDisable => "user.disable",
            Self::UserEnable => "user.enable",
            Self::UserDelete => "user.delete",
            Self::UserPromote => "user.promote",
            Self::UserDemote => "user.demote",
            Self::SettingsUpdate => "settings.update",
            Self::InviteCreate => "invite.create",
            Self::InviteDelete => "invite.delete",
            Self::AnnouncementCreate => "announcement.create",
            Self::AnnouncementDelete => "announcement.delete",
            Self::ReportUpdate => "report.update",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .iter()
            .copied()
            .find(|a| a.as_str() == raw)
            .ok_or(ValidationError::Invalid(
                "is not an instance audit log action",
            ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn profile_texts_are_bounded() {
        assert_eq!(
            InstanceName::parse("  Hearthside ").unwrap().as_str(),
            "Hearthside"
        );
        assert!(InstanceName::parse("").is_err());
        assert!(InstanceName::parse(&"n".repeat(INSTANCE_NAME_MAX_CHARS)).is_ok());
        assert!(InstanceName::parse(&"n".repeat(INSTANCE_NAME_MAX_CHARS + 1)).is_err());
        assert!(InstanceName::parse("two\nlines").is_err());
        assert_eq!(InstanceDescription::parse("").unwrap().as_str(), "");
        assert!(InstanceDescription::parse("We read.\nWe talk.").is_ok());
        assert!(
            InstanceDescription::parse(&"d".repeat(INSTANCE_DESCRIPTION_MAX_CHARS + 1)).is_err()
        );
    }

    #[test]
    fn documents_keep_markdown_and_refuse_controls() {
        let terms = InstanceDocument::parse("# Terms\r\n\r\n1. Be kind.\n\t- really\n").unwrap();
        assert_eq!(terms.as_str(), "# Terms\n\n1. Be kind.\n\t- really");
        assert_eq!(InstanceDocument::parse("  ").unwrap().as_str(), "");
        assert!(InstanceDocument::parse(&"t".repeat(INSTANCE_DOCUMENT_MAX_CHARS)).is_ok());
        assert!(InstanceDocument::parse(&"t".repeat(INSTANCE_DOCUMENT_MAX_CHARS + 1)).is_err());
        assert!(InstanceDocument::parse("bell\u{7}").is_err());
        assert!(InstanceDocument::parse("nul\0").is_err());
        assert!(AnnouncementContent::parse("").is_err());
        assert!(
            AnnouncementContent::parse(&"c".repeat(ANNOUNCEMENT_CONTENT_MAX_CHARS + 1)).is_err()
        );
        assert!(AnnouncementTitle::parse(&"t".repeat(ANNOUNCEMENT_TITLE_MAX_CHARS + 1)).is_err());
    }

    #[test]
    fn expiry_lies_in_the_coming_year() {
        let now = 1_000_000;
        assert!(parse_announcement_expiry(now, now).is_err());
        assert!(parse_announcement_expiry(now - 1, now).is_err());
        assert_eq!(parse_announcement_expiry(now + 1, now), Ok(now + 1));
        assert!(parse_announcement_expiry(now + ANNOUNCEMENT_MAX_LIFETIME_MS, now).is_ok());
        assert!(parse_announcement_expiry(now + ANNOUNCEMENT_MAX_LIFETIME_MS + 1, now).is_err());
    }

    #[test]
    fn searches_fold_case_like_usernames_and_escape_wildcards() {
        let query = UserQuery::parse(" ÁDA ").unwrap();
        let name = crate::Username::parse("ádaLovelace").unwrap();
        assert!(name.canonical().contains(query.key()));
        assert_eq!(
            UserQuery::parse("50%_a\\b").unwrap().like_pattern(),
            "%50\\%\\_a\\\\b%"
        );
        assert!(UserQuery::parse("").is_err());
        assert!(UserQuery::parse("   ").is_err());
        assert!(UserQuery::parse(&"q".repeat(USER_SEARCH_MAX_CHARS + 1)).is_err());
        assert!(UserQuery::parse("tab\there").is_err());
    }

    #[test]
    fn deleted_names_fit_and_cannot_be_registered() {
        let id = Snowflake::from_db(i64::MAX);
        let name = deleted_username(id);
        assert!(crate::Username::parse(&name).is_ok(), "{name}");
        assert!(crate::Username::parse(&deleted_username_key(id)).is_err());
    }

    #[test]
    fn actions_round_trip_through_their_names() {
        let mut seen = std::collections::HashSet::new();
        for action in InstanceAuditAction::ALL {
            assert!(seen.insert(action.as_str()));
            assert_eq!(InstanceAuditAction::parse(action.as_str()), Ok(*action));
        }
        assert!(InstanceAuditAction::parse("user.explode").is_err());
        assert!(InstanceAuditAction::parse("USER.DISABLE").is_err());
    }

    proptest! {
        #[test]
        fn parsed_documents_never_exceed_their_bound(raw in "\\PC{0,300}") {
            if let Ok(doc) = AnnouncementContent::parse(&raw) {
                prop_assert!(doc.as_str().chars().count() <= ANNOUNCEMENT_CONTENT_MAX_CHARS);
                prop_assert!(!doc.as_str().chars().any(|c| c.is_control() && c != '\n' && c != '\t'));
            }
            if let Ok(query) = UserQuery::parse(&raw) {
                prop_assert!(!query.key().is_empty());
            }
        }
    }
}
