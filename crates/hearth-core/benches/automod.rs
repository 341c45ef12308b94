//! What AutoMod costs per message: every send and edit in a guild with rules is checked before it is
//! stored, so this sits on the hot path of messaging.
//!
//! The guild has ten rules of each kind: keyword lists (100 keywords each, with wildcards, and an allow
//! list), regular expressions (three patterns each), invite links, blocked and allowed domains, mention
//! spam and message spam. The message is a realistic ~200-character chat line with a link and two
//! mentions that triggers nothing, so every rule is examined in full (the common case and the
//! slowest one); a second message in plain ASCII-free text exercises the Unicode folding path.

use divan::{Bencher, black_box};
use hearth_core::Snowflake;
use hearth_core::automod::{
    Action, Activity, AutoModRule, CompiledRules, Domain, EventType, Keyword, MessageFacts,
    RegexPattern, RuleName, SpamHistory, Trigger, check, fingerprint,
};

fn main() {
    divan::main();
}

const RULES_PER_KIND: i64 = 10;

const MESSAGE: &str = "hey <@1234567890> and <@&2345678901>, the release notes are up at \
     https://docs.example.org/releases/0.4 — tl;dr the gateway is faster and search works again. \
     Ping me if anything breaks tonight!";
const UNICODE_MESSAGE: &str = "Привет всем! Заметки о выпуске: https://docs.example.org/releases/0.4 — \
     шлюз стал быстрее, поиск снова работает. Café crème à 8 h, ｆｕｌｌｗｉｄｔｈ ok. 日本語も大丈夫です。";

fn rule(n: i64, trigger: Trigger) -> AutoModRule {
    AutoModRule {
        id: Snowflake::from_db(n),
        name: RuleName::parse("rule").unwrap(),
        event_type: EventType::MessageSend,
        trigger,
        actions: vec![Action::BlockMessage {
            custom_message: None,
        }],
        enabled: true,
        exempt_roles: vec![Snowflake::from_db(1)],
        exempt_channels: vec![Snowflake::from_db(2)],
    }
}

/// Sixty rules: ten of each kind.
fn guild_rules() -> CompiledRules {
    let mut rules = Vec::new();
    let mut id = 100;
    let mut next = || {
        id += 1;
        id
    };
    for r in 0..RULES_PER_KIND {
        let keywords = (0..100)
            .map(|k| {
                let word = format!("badword{r}x{k}");
                let written = match k % 4 {
                    0 => word,
                    1 => format!("{word}*"),
                    2 => format!("*{word}"),
                    _ => format!("*{word}*"),
                };
                Keyword::parse(&written).unwrap()
            })
            .collect();
        rules.push(rule(
            next(),
            Trigger::Keyword {
                keywords,
                regex_patterns: Vec::new(),
                allow_list: vec![Keyword::parse("scunthorpe").unwrap()],
            },
        ));
    }
    for r in 0..RULES_PER_KIND {
        rules.push(rule(
            next(),
            Trigger::Keyword {
                keywords: Vec::new(),
                regex_patterns: vec![
                    RegexPattern::parse(&format!(r"\bfree\s+nitro{r}\b")).unwrap(),
                    RegexPattern::parse(&format!(r"(?:buy|sell)\s+followers{r}")).unwrap(),
                    RegexPattern::parse(&format!(
                        r"[0-9]{{4}}-[0-9]{{4}}-[0-9]{{4}}-{r}[0-9]{{3}}"
                    ))
                    .unwrap(),
                ],
                allow_list: Vec::new(),
            },
        ));
    }
    for _ in 0..RULES_PER_KIND {
        rules.push(rule(
            next(),
            Trigger::InviteLinks {
                allow_list: vec!["OurCode".into()],
                allow_guild_invites: true,
            },
        ));
    }
    for r in 0..RULES_PER_KIND {
        rules.push(rule(
            next(),
            Trigger::Links {
                allowed_domains: vec![
                    Domain::parse("example.org").unwrap(),
                    Domain::parse("github.com").unwrap(),
                ],
                blocked_domains: (0..20)
                    .map(|d| Domain::parse(&format!("spam{r}x{d}.example")).unwrap())
                    .collect(),
            },
        ));
    }
    for r in 0..RULES_PER_KIND {
        rules.push(rule(
            next(),
            Trigger::MentionSpam {
                mention_total_limit: 10 + r as u32,
            },
        ));
    }
    for r in 0..RULES_PER_KIND {
        rules.push(rule(
            next(),
            Trigger::MessageSpam {
                max_messages: Some(20 + r as u32),
                max_duplicates: Some(5),
                interval_seconds: 30,
            },
        ));
    }
    CompiledRules::compile(rules)
}

fn screen(bencher: Bencher, content: &'static str) {
    let compiled = guild_rules();
    let mut history = SpamHistory::default();
    for i in 0..10 {
        history.record(
            i * 1_000,
            fingerprint(&format!("earlier message {i}")),
            30_000,
        );
    }
    let roles = [Snowflake::from_db(77)];
    bencher.bench_local(|| {
        // What the server does per send: fingerprint, record, check.
        let fp = fingerprint(black_box(content));
        let mut history = history.clone();
        let earlier = history.record(15_000, fp, 30_000);
        let facts = MessageFacts {
            content: black_box(content),
            author_id: Snowflake::from_db(5),
            author_roles: &roles,
            channel_id: Snowflake::from_db(9),
            mention_count: 2,
            activity: Some(Activity {
                now_ms: 15_000,
                fingerprint: fp,
                earlier: &earlier,
            }),
        };
        let hits = check(&compiled, &facts);
        assert!(hits.is_empty());
        hits.len()
    });
}

/// Sixty rules, an ordinary ~200-character message that triggers none of them.
#[divan::bench]
fn ten_rules_of_each_kind(bencher: Bencher) {
    screen(bencher, MESSAGE);
}

/// The same rules on a message in Cyrillic, accented Latin, fullwidth and Japanese.
#[divan::bench]
fn ten_rules_of_each_kind_unicode(bencher: Bencher) {
    screen(bencher, UNICODE_MESSAGE);
}

/// Compiling the sixty rules: paid once per guild when its rules change (or its cache entry is
/// evicted), never per message.
#[divan::bench(sample_count = 20)]
fn compile_ten_rules_of_each_kind(bencher: Bencher) {
    bencher.bench_local(guild_rules);
}
