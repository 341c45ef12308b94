//! A guild's rules compiled once ([`CompiledRules`]) and a message checked against them ([`check`]).
//!
//! The work per message is one pass of one Aho-Corasick automaton over the folded text for every
//! keyword of every rule, one pass of one regex set for every pattern, and, only when a rule of
//! that kind applies, one pass of the link and invite detectors. A pattern or keyword is examined
//! further only where it matched.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::{Regex, RegexSet, RegexSetBuilder};

use super::{
    AutoModRule, Domain, KeywordMode, REGEX_DFA_SIZE_LIMIT_BYTES, REGEX_NEST_LIMIT,
    REGEX_SIZE_LIMIT_BYTES, Trigger, build_regex, clean, fold,
};
use crate::Snowflake;

/// The longest `matched_content` a hit reports, in characters.
const MATCHED_CONTENT_MAX_CHARS: usize = 120;
/// Matches of one pattern held against the allow list before the pattern is given up on: bounds the
/// work a pattern that matches everywhere can cause when the allow list excuses each match.
const PATTERN_MATCHES_EXAMINED_MAX: usize = 64;
/// Hosts (and invite links) of one message examined by link rules: a message of 4000 characters
/// could hold a thousand `a.b` tokens.
const LINKS_EXAMINED_MAX: usize = 256;
/// Invite codes a hit reports.
const INVITE_CODES_REPORTED_MAX: usize = 10;

/// Links to invites: Discord's `discord.gg/CODE`, and `…/invite/CODE` (or `/invites/`) on any host,
/// which covers Hearth instances and `discord.com/invite/CODE`. The host is not read: starting at a
/// literal lets the engine skip to candidates, and any path to an invite is an invite link.
static INVITE_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\bdiscord\.gg|/invites?)/([a-z0-9-]+)")
        .expect("the invite pattern compiles")
});
/// Explicit links: a scheme, or `www.`.
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b(?:https?://|www\.)[^\s<>"'`]+"#).expect("the link pattern compiles")
});
/// Anything that reads as a host name (`evil.example`, `еvil.com`), linked or not.
static HOST: LazyLock<Regex> = LazyLock::new(|| {
    // Unbounded repetitions keep the automaton small (bounded ones of Unicode classes multiply it);
    // label lengths do not matter for matching against a list of domains.
    Regex::new(r"[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+").expect("the host pattern compiles")
});

/// What the server knows about a message when it screens it.
#[derive(Debug, Clone)]
pub struct MessageFacts<'a> {
    pub content: &'a str,
    pub author_id: Snowflake,
    /// The author's roles (other than @everyone), for exempt roles.
    pub author_roles: &'a [Snowflake],
    pub channel_id: Snowflake,
    /// Distinct user and role mentions in the content.
    pub mention_count: usize,
    /// For a new message: the author's recent sends, for MESSAGE_SPAM rules. `None` for an edit,
    /// which is not a new message.
    pub activity: Option<Activity<'a>>,
}

/// A send's place among the author's recent sends in the guild.
#[derive(Debug, Clone, Copy)]
pub struct Activity<'a> {
    pub now_ms: i64,
    /// The message's [`super::fingerprint`].
    pub fingerprint: u64,
    /// The author's earlier sends (time, fingerprint), from [`super::SpamHistory::record`].
    pub earlier: &'a [(i64, u64)],
}

/// A rule that the message triggers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit<'r> {
    pub rule: &'r AutoModRule,
    /// The keyword, pattern or domain that matched, as written in the rule.
    pub matched_keyword: Option<String>,
    /// What matched, from the folded text (a keyword match is widened to the whole word), at most
    /// 120 characters.
    pub matched_content: Option<String>,
    /// For INVITE_LINKS: the codes not on the allow list (the server drops the hit when they all
    /// lead to the guild itself and the rule allows that).
    pub invite_codes: Vec<String>,
}

/// One guild's enabled rules, compiled: built when the rules change, shared by every check.
#[derive(Debug)]
pub struct CompiledRules {
    rules: Vec<AutoModRule>,
    keywords: Option<KeywordIndex>,
    patterns: Option<PatternIndex>,
    /// Patterns that no longer compile (written under looser bounds by an older version): skipped.
    skipped_patterns: usize,
}

#[derive(Debug)]
struct KeywordIndex {
    automaton: AhoCorasick,
    /// For each automaton pattern (distinct folded keywords), the (rule, keyword) pairs it stands for.
    owners: Vec<Vec<(usize, usize)>>,
}

#[derive(Debug)]
struct PatternIndex {
    /// Every pattern at once: one pass says which matched. `None` if the set would not compile, in
    /// which case each pattern is tried on its own.
    set: Option<RegexSet>,
    each: Vec<Regex>,
    /// For each pattern, its rule and the pattern's source.
    owners: Vec<(usize, usize)>,
}

impl CompiledRules {
    /// Compiles the enabled rules among `rules`.
    pub fn compile(rules: impl IntoIterator<Item = AutoModRule>) -> Self {
        let rules: Vec<AutoModRule> = rules.into_iter().filter(|r| r.enabled).collect();
        let mut skipped_patterns = 0;

        let mut distinct: HashMap<&str, usize> = HashMap::new();
        let mut texts: Vec<&str> = Vec::new();
        let mut owners: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut sources: Vec<&str> = Vec::new();
        let mut each = Vec::new();
        let mut pattern_owners = Vec::new();
        for (r, rule) in rules.iter().enumerate() {
            let Trigger::Keyword {
                keywords,
                regex_patterns,
                ..
            } = &rule.trigger
            else {
                continue;
            };
            for (k, keyword) in keywords.iter().enumerate() {
                let slot = *distinct.entry(keyword.folded()).or_insert_with(|| {
                    texts.push(keyword.folded());
                    owners.push(Vec::new());
                    texts.len() - 1
                });
                owners[slot].push((r, k));
            }
            for (p, pattern) in regex_patterns.iter().enumerate() {
                match build_regex(pattern.as_str()) {
                    Ok(regex) => {
                        sources.push(pattern.as_str());
                        each.push(regex);
                        pattern_owners.push((r, p));
                    }
                    Err(_) => skipped_patterns += 1,
                }
            }
        }
        let keywords = if texts.is_empty() {
            None
        } else {
            AhoCorasick::new(&texts)
                .ok()
                .map(|automaton| KeywordIndex { automaton, owners })
        };
        let patterns = (!each.is_empty()).then(|| PatternIndex {
            // Each pattern compiled within the bounds on its own, so the set fits within their sum.
            set: RegexSetBuilder::new(&sources)
                .case_insensitive(true)
                .size_limit(REGEX_SIZE_LIMIT_BYTES.saturating_mul(sources.len() + 1))
                .dfa_size_limit(REGEX_DFA_SIZE_LIMIT_BYTES.saturating_mul(4))
                .nest_limit(REGEX_NEST_LIMIT)
                .build()
                .ok(),
            each,
            owners: pattern_owners,
        });
        Self {
            rules,
            keywords,
            patterns,
            skipped_patterns,
        }
    }

    /// The enabled rules, in the order they were given.
    pub fn rules(&self) -> &[AutoModRule] {
        &self.rules
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn skipped_patterns(&self) -> usize {
        self.skipped_patterns
    }

    /// The longest MESSAGE_SPAM interval, in ms: how much of an author's history the rules need, and
    /// `None` when no rule counts messages (then nothing needs recording).
    pub fn spam_window_ms(&self) -> Option<i64> {
        self.rules
            .iter()
            .filter_map(|r| match r.trigger {
                Trigger::MessageSpam {
                    interval_seconds, ..
                } => Some(i64::from(interval_seconds) * 1000),
                _ => None,
            })
            .max()
    }
}

/// Whether `text[..at]` ends a word (or is empty): no letter or digit right before `at`.
fn boundary_before(text: &str, at: usize) -> bool {
    !text[..at]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

fn boundary_after(text: &str, at: usize) -> bool {
    !text[at..].chars().next().is_some_and(char::is_alphanumeric)
}

/// The maximal runs of letters and digits of a text, found once per message when a keyword or
/// pattern matches, so that widening a match to whole words is a binary search instead of a walk
/// (which, for thousands of matches inside one long word, would be quadratic).
struct Words(Vec<(usize, usize)>);

impl Words {
    fn of(text: &str) -> Self {
        let mut runs = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            match (c.is_alphanumeric(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    runs.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            runs.push((s, text.len()));
        }
        Self(runs)
    }

    /// The run that contains byte `at` (a run `(a, b)` contains `a..b`).
    fn containing(&self, at: usize) -> Option<(usize, usize)> {
        let i = self.0.partition_point(|(_, end)| *end <= at);
        self.0.get(i).copied().filter(|(start, _)| *start <= at)
    }

    /// The span `start..end` widened to whole words.
    fn widen(&self, start: usize, end: usize) -> (usize, usize) {
        let from = match start
            .checked_sub(1)
            .and_then(|before| self.containing(before))
        {
            Some((run_start, run_end)) if run_end >= start => run_start,
            _ => start,
        };
        let to = match self.containing(end) {
            Some((run_start, run_end)) if run_start <= end => run_end,
            _ => end,
        };
        (from, to)
    }
}

fn excerpt(text: &str) -> String {
    text.chars().take(MATCHED_CONTENT_MAX_CHARS).collect()
}

/// The host of an explicit link: without scheme, user info, port, path or trailing dot, lower case.
fn link_host(link: &str) -> String {
    let rest = link.split_once("://").map_or(link, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or(rest);
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host);
    host.trim_end_matches('.').to_lowercase()
}

/// The hosts a message names, found once per message for every link rule.
struct Hosts {
    /// Every host-like token (linked or not), lower case, and its folded form.
    mentioned: Vec<(String, String)>,
    /// The hosts of explicit links.
    linked: Vec<String>,
}

impl Hosts {
    fn find(cleaned: &str) -> Self {
        Self {
            mentioned: HOST
                .find_iter(cleaned)
                .take(LINKS_EXAMINED_MAX)
                .map(|m| {
                    let host = m.as_str().to_lowercase();
                    let folded = fold(&host);
                    (host, folded)
                })
                .collect(),
            linked: LINK
                .find_iter(cleaned)
                .take(LINKS_EXAMINED_MAX)
                .map(|m| link_host(m.as_str()))
                .collect(),
        }
    }
}

/// The rules `facts` triggers, at most one hit per rule, in rule order. Rules whose exempt roles or
/// channels cover the message are skipped; exempting members by permission is the server's part.
pub fn check<'r>(compiled: &'r CompiledRules, facts: &MessageFacts<'_>) -> Vec<Hit<'r>> {
    let rules = &compiled.rules;
    let applies: Vec<bool> = rules
        .iter()
        .map(|r| r.applies_to(facts.author_roles, facts.channel_id))
        .collect();
    let mut found: Vec<Option<Hit<'r>>> = vec![None; rules.len()];
    let wants = |kind: fn(&Trigger) -> bool| {
        rules
            .iter()
            .zip(&applies)
            .any(|(rule, applies)| *applies && kind(&rule.trigger))
    };

    if wants(|t| matches!(t, Trigger::Keyword { .. })) {
        let folded = fold(facts.content);
        if let Some(index) = &compiled.keywords {
            find_keywords(rules, &applies, index, &folded, &mut found);
        }
        if let Some(index) = &compiled.patterns {
            find_patterns(rules, &applies, index, &folded, &mut found);
        }
    }

    let cleaned = (wants(|t| matches!(t, Trigger::InviteLinks { .. } | Trigger::Links { .. })))
        .then(|| clean(facts.content));
    let hosts = (wants(|t| matches!(t, Trigger::Links { .. })))
        .then(|| Hosts::find(cleaned.as_deref().unwrap_or_default()));
    // Invite links, found once for every invite rule: (code, the link as written).
    let invites: Vec<(&str, &str)> = if wants(|t| matches!(t, Trigger::InviteLinks { .. })) {
        INVITE_LINK
            .captures_iter(cleaned.as_deref().unwrap_or_default())
            .take(LINKS_EXAMINED_MAX)
            .filter_map(|c| Some((c.get(1)?.as_str(), c.get(0)?.as_str())))
            .collect()
    } else {
        Vec::new()
    };

    for (r, rule) in rules.iter().enumerate() {
        if !applies[r] || found[r].is_some() {
            continue;
        }
        let hit = |matched_keyword: Option<String>, matched_content: Option<String>| Hit {
            rule,
            matched_keyword,
            matched_content,
            invite_codes: Vec::new(),
        };
        found[r] = match &rule.trigger {
            Trigger::Keyword { .. } => None,
            Trigger::MentionSpam {
                mention_total_limit,
            } => (facts.mention_count > *mention_total_limit as usize).then(|| hit(None, None)),
            Trigger::InviteLinks { allow_list, .. } => {
                let mut first = None;
                let mut codes = Vec::new();
                for &(code, link) in &invites {
                    if allow_list.iter().any(|allowed| allowed == code) {
                        continue;
                    }
                    first.get_or_insert_with(|| excerpt(link));
                    if codes.len() < INVITE_CODES_REPORTED_MAX && !codes.iter().any(|c| c == code) {
                        codes.push(code.to_owned());
                    }
                }
                first.map(|content| Hit {
                    invite_codes: codes,
                    ..hit(None, Some(content))
                })
            }
            Trigger::Links {
                allowed_domains,
                blocked_domains,
            } => {
                // Hosts are extracted whenever a links rule applies; `None` cannot occur here, and
                // would only mean "no links" rather than a panic on a message's path.
                hosts
                    .as_ref()
                    .and_then(|hosts| find_link(allowed_domains, blocked_domains, hosts))
                    .map(|(domain, host)| hit(domain, Some(host)))
            }
            Trigger::MessageSpam {
                max_messages,
                max_duplicates,
                interval_seconds,
            } => facts.activity.and_then(|activity| {
                let cutoff = activity.now_ms - i64::from(*interval_seconds) * 1000;
                let recent = || activity.earlier.iter().filter(move |(at, _)| *at >= cutoff);
                let sent = recent().count() + 1;
                let copies = recent()
                    .filter(|(_, fp)| *fp == activity.fingerprint)
                    .count()
                    + 1;
                let too_many = max_messages.is_some_and(|max| sent > max as usize);
                let repeated = max_duplicates.is_some_and(|max| copies > max as usize);
                (too_many || repeated).then(|| hit(None, None))
            }),
        };
    }
    found.into_iter().flatten().collect()
}

/// The first host the rule objects to: (the blocked domain that covers it, or `None` when the host
/// is simply not allowed; the host).
fn find_link(
    allowed: &[Domain],
    blocked: &[Domain],
    hosts: &Hosts,
) -> Option<(Option<String>, String)> {
    for (host, folded) in &hosts.mentioned {
        // The folded form catches look-alike hosts (`еvil.com` with a Cyrillic `е`) of a blocked domain.
        if let Some(domain) = blocked.iter().find(|d| d.covers(host) || d.covers(folded)) {
            return Some((Some(domain.as_str().to_owned()), excerpt(host)));
        }
    }
    if allowed.is_empty() {
        return None;
    }
    // Allowed hosts compare exactly: a look-alike of an allowed domain is a different domain.
    hosts
        .linked
        .iter()
        .find(|host| !allowed.iter().any(|d| d.covers(host)))
        .map(|host| (None, excerpt(host)))
}

/// Whether the rule's allow list excuses the word at `span`, remembered per (rule, span) so that a
/// word matched by many keywords is looked up once.
fn is_allowed(
    rule: &AutoModRule,
    r: usize,
    text: &str,
    span: (usize, usize),
    memo: &mut HashMap<(usize, usize, usize), bool>,
) -> bool {
    let Trigger::Keyword { allow_list, .. } = &rule.trigger else {
        return false;
    };
    if allow_list.is_empty() {
        return false;
    }
    *memo.entry((r, span.0, span.1)).or_insert_with(|| {
        let word = &text[span.0..span.1];
        allow_list.iter().any(|allowed| allowed.describes(word))
    })
}

fn find_keywords<'r>(
    rules: &'r [AutoModRule],
    applies: &[bool],
    index: &KeywordIndex,
    text: &str,
    found: &mut [Option<Hit<'r>>],
) {
    let mut waiting = index
        .owners
        .iter()
        .flatten()
        .map(|(r, _)| *r)
        .filter(|r| applies[*r])
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let mut memo = HashMap::new();
    let mut words: Option<Words> = None;
    // Overlapping search reports every occurrence of every keyword, so `cat` (whole word) is still
    // found where `*cat*` of another rule matched first.
    for m in index.automaton.find_overlapping_iter(text) {
        for &(r, k) in &index.owners[m.pattern().as_usize()] {
            if !applies[r] || found[r].is_some() {
                continue;
            }
            let Trigger::Keyword { keywords, .. } = &rules[r].trigger else {
                continue;
            };
            let keyword = &keywords[k];
            let starts = || boundary_before(text, m.start());
            let ends = || boundary_after(text, m.end());
            let placed = match keyword.mode() {
                KeywordMode::Whole => starts() && ends(),
                KeywordMode::Prefix => starts(),
                KeywordMode::Suffix => ends(),
                KeywordMode::Anywhere => true,
            };
            if !placed {
                continue;
            }
            let span = words
                .get_or_insert_with(|| Words::of(text))
                .widen(m.start(), m.end());
            if is_allowed(&rules[r], r, text, span, &mut memo) {
                continue;
            }
            found[r] = Some(Hit {
                rule: &rules[r],
                matched_keyword: Some(keyword.as_str().to_owned()),
                matched_content: Some(excerpt(&text[span.0..span.1])),
                invite_codes: Vec::new(),
            });
            waiting -= 1;
        }
        if waiting == 0 {
            return;
        }
    }
}

fn find_patterns<'r>(
    rules: &'r [AutoModRule],
    applies: &[bool],
    index: &PatternIndex,
    text: &str,
    found: &mut [Option<Hit<'r>>],
) {
    let pending = |i: usize| {
        let (r, _) = index.owners[i];
        applies[r]
    };
    if !(0..index.each.len()).any(pending) {
        return;
    }
    let matched: Vec<usize> = match &index.set {
        Some(set) => set.matches(text).into_iter().collect(),
        None => (0..index.each.len())
            .filter(|i| index.each[*i].is_match(text))
            .collect(),
    };
    let mut memo = HashMap::new();
    let words = Words::of(text);
    for i in matched {
        let (r, p) = index.owners[i];
        if !applies[r] || found[r].is_some() {
            continue;
        }
        let Trigger::Keyword { regex_patterns, .. } = &rules[r].trigger else {
            continue;
        };
        let hit = index.each[i]
            .find_iter(text)
            .take(PATTERN_MATCHES_EXAMINED_MAX)
            .filter(|m| !m.is_empty())
            .find(|m| {
                let span = words.widen(m.start(), m.end());
                !is_allowed(&rules[r], r, text, span, &mut memo)
            });
        if let Some(m) = hit {
            found[r] = Some(Hit {
                rule: &rules[r],
                matched_keyword: Some(regex_patterns[p].as_str().to_owned()),
                matched_content: Some(excerpt(m.as_str())),
                invite_codes: Vec::new(),
            });
        }
    }
}
