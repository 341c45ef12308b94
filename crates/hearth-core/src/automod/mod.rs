//! AutoMod: a guild's rules that screen messages before they are stored (and again on edit), with
//! Discord's rule shape and Hearth's own trigger types.
//!
//! This module parses rules from their raw fields ([`Trigger::parse`], [`parse_actions`],
//! [`parse_exempt_ids`]), compiles a guild's rules once ([`CompiledRules`]) and checks a message
//! against them ([`check`]). It does no I/O and reads no clock: the caller passes the time and the
//! author's recent messages. Every bound here exists because rules are written by guild managers,
//! who are not trusted with the server's CPU or memory: see `docs/security.md`.

mod matcher;
mod normalize;
mod spam;

use std::str::FromStr;

use regex::{Regex, RegexBuilder};

use crate::{Snowflake, ValidationError};

pub use matcher::{Activity, CompiledRules, Hit, MessageFacts, check};
pub use normalize::{MAX_FOLDED_BYTES, clean, fingerprint, fold};
pub use spam::{SPAM_HISTORY_LEN, SpamHistory};

/// Discord's bounds.
pub const RULE_NAME_MAX_CHARS: usize = 100;
pub const KEYWORDS_MAX: usize = 1000;
pub const KEYWORD_MAX_CHARS: usize = 60;
pub const REGEX_PATTERNS_MAX: usize = 10;
pub const REGEX_PATTERN_MAX_CHARS: usize = 260;
pub const ALLOW_LIST_MAX: usize = 100;
pub const MENTION_LIMIT_MAX: u32 = 50;
pub const CUSTOM_MESSAGE_MAX_CHARS: usize = 150;
/// 28 days, the longest timeout Discord allows.
pub const TIMEOUT_MAX_SECS: u32 = 2_419_200;
pub const EXEMPT_ROLES_MAX: usize = 20;
pub const EXEMPT_CHANNELS_MAX: usize = 50;
/// Hearth's bounds for its own trigger types.
pub const DOMAINS_MAX: usize = 100;
pub const INVITE_ALLOW_LIST_MAX: usize = 100;
pub const INVITE_CODE_MAX_CHARS: usize = 32;
pub const SPAM_MESSAGES_MAX: u32 = 50;
pub const SPAM_INTERVAL_MAX_SECS: u32 = 600;

/// The largest compiled program one pattern may have. `regex` runs in time linear in the input
/// whatever the pattern, so no pattern can backtrack catastrophically; what a hostile pattern can
/// still do is compile to a huge automaton (`\w{1000}` under Unicode), and this refuses that when
/// the rule is written.
pub const REGEX_SIZE_LIMIT_BYTES: usize = 64 * 1024;
/// The most memory the lazy DFA of one pattern may cache while searching; past it the search
/// falls back to a slower, still linear, engine.
pub const REGEX_DFA_SIZE_LIMIT_BYTES: usize = 256 * 1024;
/// Deepest nesting of groups and repetitions a pattern may have (bounds the parser's recursion).
pub const REGEX_NEST_LIMIT: u32 = 32;

/// A problem with one field, named by its path relative to what was parsed (`keyword_filter[3]`).
pub type Problems = Vec<(String, ValidationError)>;

/// When a rule runs. Discord also has MEMBER_UPDATE (2), for profile names; Hearth screens messages
/// only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    MessageSend = 1,
}

impl EventType {
    pub fn from_wire(raw: i64) -> Result<Self, ValidationError> {
        match raw {
            1 => Ok(Self::MessageSend),
            _ => Err(ValidationError::Invalid(
                "only MESSAGE_SEND (1) is supported",
            )),
        }
    }

    pub fn as_wire(self) -> u8 {
        self as u8
    }
}

/// What a rule looks for, with Discord's numbers and Hearth's own from 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TriggerType {
    /// Keywords (with `*` wildcards) and regular expressions.
    Keyword = 1,
    /// More than N distinct user and role mentions in one message.
    MentionSpam = 5,
    /// Hearth: links to guild invites (Hearth's `…/invite/CODE` and Discord's), except allowed ones.
    InviteLinks = 100,
    /// Hearth: links to blocked domains, or to any domain not allowed.
    Links = 101,
    /// Hearth: too many messages, or too many copies of one message, in a time window.
    MessageSpam = 102,
}

impl TriggerType {
    pub const ALL: [TriggerType; 5] = [
        Self::Keyword,
        Self::MentionSpam,
        Self::InviteLinks,
        Self::Links,
        Self::MessageSpam,
    ];

    pub fn from_wire(raw: i64) -> Result<Self, ValidationError> {
        match raw {
            1 => Ok(Self::Keyword),
            5 => Ok(Self::MentionSpam),
            100 => Ok(Self::InviteLinks),
            101 => Ok(Self::Links),
            102 => Ok(Self::MessageSpam),
            3 => Err(ValidationError::Invalid(
                "SPAM (3) is Discord's spam classifier, which Hearth does not have; use MESSAGE_SPAM (102)",
            )),
            4 => Err(ValidationError::Invalid(
                "KEYWORD_PRESET (4) is not supported: Hearth bundles no preset word lists; use KEYWORD (1)",
            )),
            _ => Err(ValidationError::Invalid("unknown trigger type")),
        }
    }

    pub fn as_wire(self) -> u16 {
        self as u16
    }

    /// How many rules of this type a guild may have: Discord's six keyword rules and one of each
    /// other kind (one rule of those kinds can already say everything: a list of domains, a limit).
    pub fn max_per_guild(self) -> u32 {
        match self {
            Self::Keyword => 6,
            _ => 1,
        }
    }
}

/// How a keyword matches, from where its `*` wildcards stand (Discord's rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeywordMode {
    /// `cat`: the whole word (or phrase) only.
    Whole,
    /// `cat*`: words that start with it (`catch`).
    Prefix,
    /// `*cat`: words that end with it (`wildcat`).
    Suffix,
    /// `*cat*`: anywhere, inside words too (`education`).
    Anywhere,
}

/// A keyword as written (1–60 characters, `*` only at either end), with its folded form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Keyword {
    written: String,
    mode: KeywordMode,
    folded: String,
}

impl Keyword {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let written = raw.trim();
        let len = written.chars().count();
        if !(1..=KEYWORD_MAX_CHARS).contains(&len) {
            return Err(ValidationError::Length {
                min: 1,
                max: KEYWORD_MAX_CHARS,
            });
        }
        if written.chars().any(char::is_control) {
            return Err(ValidationError::Charset("control characters"));
        }
        let keyword = Self::from_trusted(written.to_owned());
        let core = written.trim_start_matches('*').trim_end_matches('*');
        if core.contains('*') || written.starts_with("**") || written.ends_with("**") {
            return Err(ValidationError::Invalid(
                "a `*` wildcard may stand only once at either end",
            ));
        }
        if keyword.folded.trim().is_empty() {
            return Err(ValidationError::Invalid("has no visible characters"));
        }
        Ok(keyword)
    }

    /// Rebuilds a stored keyword (its mode and folded form are derived, not stored).
    pub fn from_trusted(written: String) -> Self {
        let prefix = written.ends_with('*');
        let suffix = written.starts_with('*');
        let mode = match (suffix, prefix) {
            (true, true) => KeywordMode::Anywhere,
            (false, true) => KeywordMode::Prefix,
            (true, false) => KeywordMode::Suffix,
            (false, false) => KeywordMode::Whole,
        };
        let folded = fold(written.trim_start_matches('*').trim_end_matches('*'));
        Self {
            written,
            mode,
            folded,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.written
    }

    pub fn mode(&self) -> KeywordMode {
        self.mode
    }

    /// The folded text between the wildcards: what is searched for.
    pub fn folded(&self) -> &str {
        &self.folded
    }

    /// Whether a whole word (or phrase) `word`, already folded, is what this entry describes.
    pub(crate) fn describes(&self, word: &str) -> bool {
        match self.mode {
            KeywordMode::Whole => word == self.folded,
            KeywordMode::Prefix => word.starts_with(&self.folded),
            KeywordMode::Suffix => word.ends_with(&self.folded),
            KeywordMode::Anywhere => word.contains(&self.folded),
        }
    }
}

/// A regular expression (Rust `regex` syntax, as in Discord) that compiles within the size bounds and
/// does not match empty text (which would match every message).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RegexPattern(String);

impl RegexPattern {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let len = raw.chars().count();
        if !(1..=REGEX_PATTERN_MAX_CHARS).contains(&len) {
            return Err(ValidationError::Length {
                min: 1,
                max: REGEX_PATTERN_MAX_CHARS,
            });
        }
        let compiled = build_regex(raw).map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => ValidationError::Invalid(
                "compiles to a program larger than the 64 KiB limit; simplify it",
            ),
            _ => ValidationError::Invalid("is not a valid regular expression (Rust regex syntax)"),
        })?;
        if compiled.is_match("") {
            return Err(ValidationError::Invalid(
                "matches empty text, so it would match every message",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn from_trusted(stored: String) -> Self {
        Self(stored)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Compiles a pattern with the bounds every AutoMod pattern gets. Patterns see folded text, which is
/// lower case; matching ignores case anyway so that `Nitro` in a pattern still matches.
pub(crate) fn build_regex(source: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(source)
        .case_insensitive(true)
        .size_limit(REGEX_SIZE_LIMIT_BYTES)
        .dfa_size_limit(REGEX_DFA_SIZE_LIMIT_BYTES)
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
}

/// A domain name in lower case (`example.com`); its subdomains match too. A leading `*.` is accepted
/// and dropped, since subdomains always match.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Domain(String);

impl Domain {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let name = raw.trim().trim_start_matches("*.").trim_end_matches('.');
        let name = name.to_ascii_lowercase();
        let labels_ok = name.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
        if name.len() > 253 || !name.contains('.') || !labels_ok {
            return Err(ValidationError::Invalid(
                "must be a domain name such as example.com (internationalised names in their xn-- form)",
            ));
        }
        Ok(Self(name))
    }

    pub fn from_trusted(stored: String) -> Self {
        Self(stored)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `host` (lower case) is this domain or one of its subdomains.
    pub(crate) fn covers(&self, host: &str) -> bool {
        host.strip_suffix(self.0.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
    }
}

/// An invite code that an INVITE_LINKS rule lets through: 1–32 letters, digits or `-` (Hearth's and
/// Discord's codes both fit), compared exactly.
fn parse_invite_code(raw: &str) -> Result<String, ValidationError> {
    let code = raw.trim();
    if !(1..=INVITE_CODE_MAX_CHARS).contains(&code.len()) {
        return Err(ValidationError::Length {
            min: 1,
            max: INVITE_CODE_MAX_CHARS,
        });
    }
    if !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(ValidationError::Charset(
            "anything but letters, digits and -",
        ));
    }
    Ok(code.to_owned())
}

/// A rule's trigger with its metadata, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    Keyword {
        keywords: Vec<Keyword>,
        regex_patterns: Vec<RegexPattern>,
        /// Words that do not trigger the rule even when a keyword or pattern matches inside them.
        allow_list: Vec<Keyword>,
    },
    MentionSpam {
        /// A message with more distinct user and role mentions than this triggers the rule.
        mention_total_limit: u32,
    },
    InviteLinks {
        /// Invite codes always allowed.
        allow_list: Vec<String>,
        /// Whether invites to this guild itself are allowed (the server checks the codes).
        allow_guild_invites: bool,
    },
    Links {
        /// When not empty, every link must lead to one of these domains (or a subdomain).
        allowed_domains: Vec<Domain>,
        /// Links to, or bare mentions of, these domains (or subdomains) trigger the rule.
        blocked_domains: Vec<Domain>,
    },
    MessageSpam {
        /// At most this many messages per interval; the next one triggers.
        max_messages: Option<u32>,
        /// At most this many copies of one content per interval; the next copy triggers.
        max_duplicates: Option<u32>,
        interval_seconds: u32,
    },
}

/// A trigger's metadata as received: every field any trigger type takes, each optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TriggerInput {
    pub keyword_filter: Option<Vec<String>>,
    pub regex_patterns: Option<Vec<String>>,
    pub allow_list: Option<Vec<String>>,
    pub presets: Option<Vec<i64>>,
    pub mention_total_limit: Option<i64>,
    pub mention_raid_protection_enabled: Option<bool>,
    pub allow_guild_invites: Option<bool>,
    pub allowed_domains: Option<Vec<String>>,
    pub blocked_domains: Option<Vec<String>>,
    pub max_messages: Option<i64>,
    pub max_duplicates: Option<i64>,
    pub interval_seconds: Option<i64>,
}

/// Parses every entry of a list of at most `max`, recording each bad one under `field[i]`.
fn parse_list<T>(
    field: &str,
    raw: Option<&Vec<String>>,
    max: usize,
    too_many: &'static str,
    parse: impl Fn(&str) -> Result<T, ValidationError>,
    problems: &mut Problems,
) -> Vec<T> {
    let Some(raw) = raw else {
        return Vec::new();
    };
    if raw.len() > max {
        problems.push((field.to_owned(), ValidationError::Invalid(too_many)));
        return Vec::new();
    }
    raw.iter()
        .enumerate()
        .filter_map(|(i, entry)| match parse(entry) {
            Ok(value) => Some(value),
            Err(e) => {
                problems.push((format!("{field}[{i}]"), e));
                None
            }
        })
        .collect()
}

fn parse_count(
    field: &str,
    raw: Option<i64>,
    min: u32,
    max: u32,
    problems: &mut Problems,
) -> Option<u32> {
    let raw = raw?;
    match crate::validation::check_range(raw, i64::from(min), i64::from(max)) {
        Ok(n) => Some(n as u32),
        Err(e) => {
            problems.push((field.to_owned(), e));
            None
        }
    }
}

impl Trigger {
    /// Parses `input` for `kind`. Fields that belong to another trigger type are refused when they
    /// carry something (empty lists and `false` are what Discord's clients send for unused fields).
    pub fn parse(kind: TriggerType, input: &TriggerInput) -> Result<Self, Problems> {
        let mut problems = Problems::new();
        let foreign = |name: &str, present: bool, problems: &mut Problems| {
            if present {
                problems.push((
                    name.to_owned(),
                    ValidationError::Invalid("does not apply to this trigger type"),
                ));
            }
        };
        let has_list = |list: &Option<Vec<String>>| list.as_ref().is_some_and(|l| !l.is_empty());
        if kind != TriggerType::Keyword {
            foreign(
                "keyword_filter",
                has_list(&input.keyword_filter),
                &mut problems,
            );
            foreign(
                "regex_patterns",
                has_list(&input.regex_patterns),
                &mut problems,
            );
        }
        if !matches!(kind, TriggerType::Keyword | TriggerType::InviteLinks) {
            foreign("allow_list", has_list(&input.allow_list), &mut problems);
        }
        foreign(
            "presets",
            input.presets.as_ref().is_some_and(|p| !p.is_empty()),
            &mut problems,
        );
        if kind != TriggerType::MentionSpam {
            foreign(
                "mention_total_limit",
                input.mention_total_limit.is_some_and(|n| n != 0),
                &mut problems,
            );
        }
        if input.mention_raid_protection_enabled == Some(true) {
            problems.push((
                "mention_raid_protection_enabled".to_owned(),
                ValidationError::Invalid("raid protection is not supported"),
            ));
        }
        if kind != TriggerType::InviteLinks {
            foreign(
                "allow_guild_invites",
                input.allow_guild_invites.is_some(),
                &mut problems,
            );
        }
        if kind != TriggerType::Links {
            foreign(
                "allowed_domains",
                has_list(&input.allowed_domains),
                &mut problems,
            );
            foreign(
                "blocked_domains",
                has_list(&input.blocked_domains),
                &mut problems,
            );
        }
        if kind != TriggerType::MessageSpam {
            foreign("max_messages", input.max_messages.is_some(), &mut problems);
            foreign(
                "max_duplicates",
                input.max_duplicates.is_some(),
                &mut problems,
            );
            foreign(
                "interval_seconds",
                input.interval_seconds.is_some(),
                &mut problems,
            );
        }

        let trigger = match kind {
            TriggerType::Keyword => {
                let keywords = parse_list(
                    "keyword_filter",
                    input.keyword_filter.as_ref(),
                    KEYWORDS_MAX,
                    "more than 1000 keywords",
                    Keyword::parse,
                    &mut problems,
                );
                let regex_patterns = parse_list(
                    "regex_patterns",
                    input.regex_patterns.as_ref(),
                    REGEX_PATTERNS_MAX,
                    "more than 10 patterns",
                    RegexPattern::parse,
                    &mut problems,
                );
                let allow_list = parse_list(
                    "allow_list",
                    input.allow_list.as_ref(),
                    ALLOW_LIST_MAX,
                    "more than 100 entries",
                    Keyword::parse,
                    &mut problems,
                );
                if problems.is_empty() && keywords.is_empty() && regex_patterns.is_empty() {
                    problems.push((
                        "keyword_filter".to_owned(),
                        ValidationError::Invalid("give at least one keyword or regex pattern"),
                    ));
                }
                Self::Keyword {
                    keywords,
                    regex_patterns,
                    allow_list,
                }
            }
            TriggerType::MentionSpam => {
                let limit = parse_count(
                    "mention_total_limit",
                    input.mention_total_limit,
                    1,
                    MENTION_LIMIT_MAX,
                    &mut problems,
                );
                if input.mention_total_limit.is_none() {
                    problems.push((
                        "mention_total_limit".to_owned(),
                        ValidationError::Invalid("is required"),
                    ));
                }
                Self::MentionSpam {
                    mention_total_limit: limit.unwrap_or(0),
                }
            }
            TriggerType::InviteLinks => Self::InviteLinks {
                allow_list: parse_list(
                    "allow_list",
                    input.allow_list.as_ref(),
                    INVITE_ALLOW_LIST_MAX,
                    "more than 100 invite codes",
                    parse_invite_code,
                    &mut problems,
                ),
                allow_guild_invites: input.allow_guild_invites.unwrap_or(true),
            },
            TriggerType::Links => {
                let allowed_domains = parse_list(
                    "allowed_domains",
                    input.allowed_domains.as_ref(),
                    DOMAINS_MAX,
                    "more than 100 domains",
                    Domain::parse,
                    &mut problems,
                );
                let blocked_domains = parse_list(
                    "blocked_domains",
                    input.blocked_domains.as_ref(),
                    DOMAINS_MAX,
                    "more than 100 domains",
                    Domain::parse,
                    &mut problems,
                );
                if problems.is_empty() && allowed_domains.is_empty() && blocked_domains.is_empty() {
                    problems.push((
                        "blocked_domains".to_owned(),
                        ValidationError::Invalid("give allowed_domains, blocked_domains or both"),
                    ));
                }
                Self::Links {
                    allowed_domains,
                    blocked_domains,
                }
            }
            TriggerType::MessageSpam => {
                let max_messages = parse_count(
                    "max_messages",
                    input.max_messages,
                    1,
                    SPAM_MESSAGES_MAX,
                    &mut problems,
                );
                let max_duplicates = parse_count(
                    "max_duplicates",
                    input.max_duplicates,
                    1,
                    SPAM_MESSAGES_MAX,
                    &mut problems,
                );
                let interval = parse_count(
                    "interval_seconds",
                    input.interval_seconds,
                    1,
                    SPAM_INTERVAL_MAX_SECS,
                    &mut problems,
                );
                if input.interval_seconds.is_none() {
                    problems.push((
                        "interval_seconds".to_owned(),
                        ValidationError::Invalid("is required"),
                    ));
                }
                if input.max_messages.is_none() && input.max_duplicates.is_none() {
                    problems.push((
                        "max_messages".to_owned(),
                        ValidationError::Invalid("give max_messages, max_duplicates or both"),
                    ));
                }
                Self::MessageSpam {
                    max_messages,
                    max_duplicates,
                    interval_seconds: interval.unwrap_or(1),
                }
            }
        };
        if problems.is_empty() {
            Ok(trigger)
        } else {
            Err(problems)
        }
    }

    pub fn kind(&self) -> TriggerType {
        match self {
            Self::Keyword { .. } => TriggerType::Keyword,
            Self::MentionSpam { .. } => TriggerType::MentionSpam,
            Self::InviteLinks { .. } => TriggerType::InviteLinks,
            Self::Links { .. } => TriggerType::Links,
            Self::MessageSpam { .. } => TriggerType::MessageSpam,
        }
    }
}

/// What a rule does when it triggers, with Discord's numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// 1: the message is refused (not stored) and its author is shown `custom_message`.
    BlockMessage { custom_message: Option<String> },
    /// 2: a system message about it is posted in the channel.
    SendAlertMessage { channel_id: Snowflake },
    /// 3: the author is timed out.
    Timeout { duration_seconds: u32 },
}

impl Action {
    pub fn kind(&self) -> u8 {
        match self {
            Self::BlockMessage { .. } => 1,
            Self::SendAlertMessage { .. } => 2,
            Self::Timeout { .. } => 3,
        }
    }
}

/// An action as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionInput {
    pub kind: i64,
    pub custom_message: Option<String>,
    pub channel_id: Option<String>,
    pub duration_seconds: Option<i64>,
}

/// Parses 1–3 actions, each type at most once. Problems are named `[i].type`, `[i].metadata.channel_id`, ….
pub fn parse_actions(inputs: &[ActionInput]) -> Result<Vec<Action>, Problems> {
    let mut problems = Problems::new();
    if !(1..=3).contains(&inputs.len()) {
        problems.push((
            String::new(),
            ValidationError::Invalid("give one to three actions"),
        ));
        return Err(problems);
    }
    let mut actions: Vec<Action> = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let meta = |name: &str| format!("[{i}].metadata.{name}");
        let mut foreign = |name: &str, present: bool| {
            if present {
                problems.push((
                    meta(name),
                    ValidationError::Invalid("does not apply to this action type"),
                ));
            }
        };
        let action = match input.kind {
            1 => {
                foreign("channel_id", input.channel_id.is_some());
                foreign("duration_seconds", input.duration_seconds.is_some());
                match &input.custom_message {
                    None => Some(Action::BlockMessage {
                        custom_message: None,
                    }),
                    Some(raw) => {
                        match crate::text::parse_text(raw, 0, CUSTOM_MESSAGE_MAX_CHARS, false) {
                            Ok(text) => Some(Action::BlockMessage {
                                custom_message: (!text.is_empty()).then_some(text),
                            }),
                            Err(e) => {
                                problems.push((meta("custom_message"), e));
                                None
                            }
                        }
                    }
                }
            }
            2 => {
                foreign("custom_message", input.custom_message.is_some());
                foreign("duration_seconds", input.duration_seconds.is_some());
                match input.channel_id.as_deref().map(Snowflake::from_str) {
                    Some(Ok(channel_id)) => Some(Action::SendAlertMessage { channel_id }),
                    Some(Err(_)) => {
                        problems.push((meta("channel_id"), ValidationError::Invalid("not an id")));
                        None
                    }
                    None => {
                        problems
                            .push((meta("channel_id"), ValidationError::Invalid("is required")));
                        None
                    }
                }
            }
            3 => {
                foreign("custom_message", input.custom_message.is_some());
                foreign("channel_id", input.channel_id.is_some());
                match input.duration_seconds {
                    Some(raw) => {
                        match crate::validation::check_range(raw, 1, i64::from(TIMEOUT_MAX_SECS)) {
                            Ok(secs) => Some(Action::Timeout {
                                duration_seconds: secs as u32,
                            }),
                            Err(e) => {
                                problems.push((meta("duration_seconds"), e));
                                None
                            }
                        }
                    }
                    None => {
                        problems.push((
                            meta("duration_seconds"),
                            ValidationError::Invalid("is required"),
                        ));
                        None
                    }
                }
            }
            _ => {
                problems.push((
                    format!("[{i}].type"),
                    ValidationError::Invalid(
                        "unknown action type (1 BLOCK_MESSAGE, 2 SEND_ALERT_MESSAGE, 3 TIMEOUT)",
                    ),
                ));
                None
            }
        };
        if let Some(action) = action {
            if actions.iter().any(|a| a.kind() == action.kind()) {
                problems.push((
                    format!("[{i}].type"),
                    ValidationError::Invalid("each action type may appear once"),
                ));
            } else {
                actions.push(action);
            }
        }
    }
    if problems.is_empty() {
        Ok(actions)
    } else {
        Err(problems)
    }
}

/// Parses a list of at most `max` ids, each once. (Whether they name roles or channels of the guild
/// is the server's check.)
pub fn parse_exempt_ids(raw: &[String], max: usize) -> Result<Vec<Snowflake>, Problems> {
    if raw.len() > max {
        return Err(vec![(
            String::new(),
            if max == EXEMPT_ROLES_MAX {
                ValidationError::Invalid("more than 20 ids")
            } else {
                ValidationError::Invalid("more than 50 ids")
            },
        )]);
    }
    let mut problems = Problems::new();
    let mut ids = Vec::with_capacity(raw.len());
    for (i, entry) in raw.iter().enumerate() {
        match entry.parse::<Snowflake>() {
            Ok(id) if ids.contains(&id) => {
                problems.push((format!("[{i}]"), ValidationError::Invalid("appears twice")));
            }
            Ok(id) => ids.push(id),
            Err(_) => problems.push((format!("[{i}]"), ValidationError::Invalid("not an id"))),
        }
    }
    if problems.is_empty() {
        Ok(ids)
    } else {
        Err(problems)
    }
}

crate::text::text_field!(
    /// A rule's name: 1–100 characters, trimmed, NFC, on one line.
    RuleName,
    1,
    RULE_NAME_MAX_CHARS,
    false
);

/// One rule, parsed. Who made it, its guild and its times are the store's business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoModRule {
    pub id: Snowflake,
    pub name: RuleName,
    pub event_type: EventType,
    pub trigger: Trigger,
    pub actions: Vec<Action>,
    pub enabled: bool,
    pub exempt_roles: Vec<Snowflake>,
    pub exempt_channels: Vec<Snowflake>,
}

impl AutoModRule {
    /// Whether the rule screens this author in this channel.
    pub fn applies_to(&self, author_roles: &[Snowflake], channel_id: Snowflake) -> bool {
        self.enabled
            && !self.exempt_channels.contains(&channel_id)
            && !self.exempt_roles.iter().any(|r| author_roles.contains(r))
    }
}

#[cfg(test)]
mod tests;
