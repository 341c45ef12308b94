//! Mentions in a message's content: `<@id>` and `<@!id>` (users), `<@&id>` (roles), `@everyone` and
//! `@here`, with Discord's syntax.
//!
//! This finds what the text asks for; whether a mention takes effect (the user is a member, the role is
//! mentionable, the author may mention everyone) is decided by the server with the guild in hand.
//! Mentions inside code spans are still mentions, as in Discord's API (only the client's rendering
//! shows them as code).

use crate::Snowflake;

/// At most this many distinct users, and as many distinct roles, are taken from one message; the rest
/// are ignored. Bounds the rows and the notifications one message can produce.
pub const MAX_MENTIONED_IDS: usize = 100;
/// The longest decimal snowflake (2^63 - 1 has 19 digits; 20 leaves room for leading zeros).
const MAX_ID_DIGITS: usize = 20;

/// What a message's content mentions, each id once, in order of first appearance.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedMentions {
    pub users: Vec<Snowflake>,
    pub roles: Vec<Snowflake>,
    pub everyone: bool,
    pub here: bool,
}

/// Finds every mention in `content`. Malformed tags (`<@abc>`, `<@>`, ids of 2^63 or more) are plain
/// text.
pub fn parse(content: &str) -> ParsedMentions {
    let mut found = ParsedMentions {
        everyone: content.contains("@everyone"),
        here: content.contains("@here"),
        ..ParsedMentions::default()
    };
    let mut rest = content;
    while let Some(start) = rest.find("<@") {
        rest = &rest[start + 2..];
        let (is_role, tail) = match rest.as_bytes().first() {
            Some(b'&') => (true, &rest[1..]),
            Some(b'!') => (false, &rest[1..]),
            _ => (false, rest),
        };
        // An id is at most 20 digits, so the `>` is near or this is not a tag: looking no further keeps
        // the scan linear however many unclosed `<@` a message holds.
        // Not a tag otherwise; the next `<@` may start inside what was skipped, so search on from there.
        let Some(end) = tail.bytes().take(MAX_ID_DIGITS + 1).position(|b| b == b'>') else {
            continue;
        };
        let Ok(id) = tail[..end].parse::<Snowflake>() else {
            continue;
        };
        let list = if is_role {
            &mut found.roles
        } else {
            &mut found.users
        };
        if list.len() < MAX_MENTIONED_IDS && !list.contains(&id) {
            list.push(id);
        }
        rest = &tail[end + 1..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ids(raw: &[u64]) -> Vec<Snowflake> {
        raw.iter().map(|n| n.to_string().parse().unwrap()).collect()
    }

    #[test]
    fn finds_users_roles_everyone_and_here() {
        let found = parse("hey <@12> and <@!34>, ping <@&56> — @everyone @here");
        assert_eq!(found.users, ids(&[12, 34]));
        assert_eq!(found.roles, ids(&[56]));
        assert!(found.everyone && found.here);
        assert_eq!(parse("nothing here"), ParsedMentions::default());
    }

    #[test]
    fn each_id_counts_once_whatever_its_form() {
        let found = parse("<@7> <@!7> <@7> <@&7> <@&7>");
        assert_eq!(found.users, ids(&[7]));
        assert_eq!(found.roles, ids(&[7]));
    }

    #[test]
    fn malformed_tags_are_text() {
        for text in [
            "<@>",
            "<@abc>",
            "<@&>",
            "<@ 12>",
            "<@12",
            "<@-1>",
            "<@9223372036854775808>",
            "<@!&12>",
            "@every one",
        ] {
            let found = parse(text);
            assert!(
                found.users.is_empty() && found.roles.is_empty() && !found.everyone,
                "{text:?} gave {found:?}"
            );
        }
        // A broken tag does not swallow a real one after it.
        assert_eq!(parse("<@x <@5>").users, ids(&[5]));
        assert_eq!(parse("<@&<@9>").users, ids(&[9]));
    }

    #[test]
    fn mentions_are_capped() {
        let text: String = (1..=150).map(|n| format!("<@{n}> <@&{n}> ")).collect();
        let found = parse(&text);
        assert_eq!(found.users.len(), MAX_MENTIONED_IDS);
        assert_eq!(found.roles.len(), MAX_MENTIONED_IDS);
        assert_eq!(found.users[0], ids(&[1])[0], "the first ones are kept");
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_respects_its_bounds(text in "[<@&!>0-9a-z ]{0,300}") {
            let found = parse(&text);
            prop_assert!(found.users.len() <= MAX_MENTIONED_IDS);
            let mut unique = found.users.clone();
            unique.sort();
            unique.dedup();
            prop_assert_eq!(unique.len(), found.users.len());
        }

        #[test]
        fn every_written_mention_is_found(users in proptest::collection::vec(1u64..1 << 62, 0..20),
                                          roles in proptest::collection::vec(1u64..1 << 62, 0..20)) {
            let text: String = users.iter().map(|u| format!("a<@{u}>b"))
                .chain(roles.iter().map(|r| format!(" <@&{r}> ")))
                .collect();
            let found = parse(&text);
            for u in &users { prop_assert!(found.users.contains(&ids(&[*u])[0])); }
            for r in &roles { prop_assert!(found.roles.contains(&ids(&[*r])[0])); }
        }
    }
}
