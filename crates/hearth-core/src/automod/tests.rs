//! Rule parsing and matching, including the adversarial inputs rules and messages will meet.

use proptest::prelude::*;

use super::*;

fn id(n: i64) -> Snowflake {
    Snowflake::from_db(n)
}

fn rule(n: i64, trigger: Trigger) -> AutoModRule {
    AutoModRule {
        id: id(n),
        name: RuleName::parse("rule").unwrap(),
        event_type: EventType::MessageSend,
        trigger,
        actions: vec![Action::BlockMessage {
            custom_message: None,
        }],
        enabled: true,
        exempt_roles: Vec::new(),
        exempt_channels: Vec::new(),
    }
}

fn keywords(words: &[&str], patterns: &[&str], allow: &[&str]) -> Trigger {
    Trigger::Keyword {
        keywords: words.iter().map(|w| Keyword::parse(w).unwrap()).collect(),
        regex_patterns: patterns
            .iter()
            .map(|p| RegexPattern::parse(p).unwrap())
            .collect(),
        allow_list: allow.iter().map(|w| Keyword::parse(w).unwrap()).collect(),
    }
}

fn facts(content: &str) -> MessageFacts<'_> {
    MessageFacts {
        content,
        author_id: id(7),
        author_roles: &[],
        channel_id: id(9),
        mention_count: 0,
        activity: None,
    }
}

/// The keyword (or pattern) each hit reports, for the message alone.
fn matched(rules: &CompiledRules, content: &str) -> Vec<Option<String>> {
    check(rules, &facts(content))
        .into_iter()
        .map(|h| h.matched_keyword)
        .collect()
}

fn triggers(trigger: Trigger, content: &str) -> bool {
    let compiled = CompiledRules::compile([rule(1, trigger)]);
    !check(&compiled, &facts(content)).is_empty()
}

#[test]
fn wildcards_follow_discords_matching_strategies() {
    let cases = [
        ("cat", "a cat sat", true),
        ("cat", "concatenate", false),
        ("cat", "cats", false),
        ("cat*", "catch this", true),
        ("cat*", "CAttLE", true),
        ("cat*", "bobcat", false),
        ("*cat", "wildcat", true),
        ("*cat", "copyCat!", true),
        ("*cat", "catch", false),
        ("*cat*", "location", true),
        ("*cat*", "eduCation", true),
        ("*cat*", "dog", false),
        ("bad phrase", "what a Bad Phrase.", true),
        ("bad phrase", "bad phrases", false),
    ];
    for (keyword, content, expected) in cases {
        assert_eq!(
            triggers(keywords(&[keyword], &[], &[]), content),
            expected,
            "{keyword:?} on {content:?}"
        );
    }
}

#[test]
fn a_hit_names_the_keyword_and_the_whole_word() {
    let compiled = CompiledRules::compile([rule(1, keywords(&["*cat*"], &[], &[]))]);
    let hits = check(&compiled, &facts("my Education matters"));
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].matched_keyword.as_deref(), Some("*cat*"));
    assert_eq!(hits[0].matched_content.as_deref(), Some("education"));
    assert_eq!(hits[0].rule.id, id(1));
}

#[test]
fn the_allow_list_excuses_words_but_not_other_matches() {
    let trigger = keywords(&["*cat*"], &["c.t"], &["education", "cat*"]);
    assert!(!triggers(trigger.clone(), "education and catalogues"));
    assert!(triggers(trigger.clone(), "education and a bobcat"));
    assert!(
        triggers(trigger, "a cut"),
        "the pattern matches `cut`, which nothing allows"
    );
}

#[test]
fn look_alikes_zero_width_and_diacritics_are_caught() {
    let trigger = keywords(&["free nitro", "scam"], &[], &[]);
    for evasive in [
        "get ｆｒｅｅ ｎｉｔｒｏ now",
        "get frее nitrо now",
        "get fr\u{200b}ee ni\u{200c}tro now",
        "get frée nítrø now",
        "get FREE\u{00ad} NITRO now",
        "this is a ѕсаm",
        "this is a 𝓼𝓬𝓪𝓶",
        "s\u{0336}c\u{0336}a\u{0336}m\u{0336}",
        "s\u{2060}c\u{feff}a\u{200d}m",
    ] {
        assert!(
            triggers(trigger.clone(), evasive),
            "{evasive:?} slipped through"
        );
    }
    assert!(!triggers(trigger, "free delivery, nitrogen"));
}

#[test]
fn keywords_in_other_scripts_match_their_own_text() {
    let trigger = keywords(&["привет", "日本"], &[], &[]);
    assert!(triggers(trigger.clone(), "ПРИВЕТ всем"));
    assert!(triggers(trigger.clone(), "日本"));
    assert!(!triggers(trigger, "пока"));
}

#[test]
fn keywords_are_bounded_and_well_formed() {
    assert!(Keyword::parse(&"k".repeat(KEYWORD_MAX_CHARS)).is_ok());
    assert!(Keyword::parse(&"k".repeat(KEYWORD_MAX_CHARS + 1)).is_err());
    for bad in [
        "",
        "   ",
        "*",
        "**",
        "c*t",
        "**cat",
        "cat**",
        "\u{200b}\u{200b}",
        "a\u{7}b",
    ] {
        assert!(Keyword::parse(bad).is_err(), "{bad:?} accepted");
    }
    assert_eq!(Keyword::parse(" cat* ").unwrap().as_str(), "cat*");
    assert_eq!(Keyword::parse("cat*").unwrap().mode(), KeywordMode::Prefix);
    assert_eq!(Keyword::parse("*cat").unwrap().mode(), KeywordMode::Suffix);
}

#[test]
fn a_thousand_keywords_compile_and_match_the_last_one() {
    let words: Vec<String> = (0..KEYWORDS_MAX).map(|i| format!("word{i:04}")).collect();
    let input = TriggerInput {
        keyword_filter: Some(words.clone()),
        ..TriggerInput::default()
    };
    let trigger = Trigger::parse(TriggerType::Keyword, &input).unwrap();
    let compiled = CompiledRules::compile([rule(1, trigger)]);
    assert_eq!(
        matched(&compiled, "so much word0999 here"),
        vec![Some("word0999".to_owned())]
    );
    assert!(matched(&compiled, "word1000 is not listed").is_empty());
    let too_many = TriggerInput {
        keyword_filter: Some((0..=KEYWORDS_MAX).map(|i| format!("w{i}")).collect()),
        ..TriggerInput::default()
    };
    let problems = Trigger::parse(TriggerType::Keyword, &too_many).unwrap_err();
    assert_eq!(problems[0].0, "keyword_filter");
}

#[test]
fn many_overlapping_keywords_on_a_long_repetitive_message_finish() {
    // Every keyword matches at almost every position, and the allow list excuses all of it: the
    // memo keeps this to one allow-list lookup per word.
    let words: Vec<String> = (1..=58).map(|n| format!("*{}*", "a".repeat(n))).collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let compiled = CompiledRules::compile([rule(1, keywords(&words, &[], &["*a*"]))]);
    let content = "a".repeat(4000);
    assert!(check(&compiled, &facts(&content)).is_empty());
    let content = format!("{} b", "a".repeat(3998));
    assert!(check(&compiled, &facts(&content)).is_empty());
}

#[test]
fn a_pathological_pattern_runs_in_linear_time_and_answers_correctly() {
    // `(a+)+$` backtracks exponentially in engines like PCRE; `regex` guarantees linear time, so
    // this returns at once. The test asserts the answer, not a clock.
    let trigger = keywords(&[], &["(a+)+$"], &[]);
    let content = format!("{}b", "a".repeat(3999));
    assert!(!triggers(trigger.clone(), &content));
    assert!(triggers(trigger, &"a".repeat(4000)));
    let nested = keywords(&[], &["(x+x+)+y", "(.*a){20}"], &[]);
    assert!(!triggers(nested.clone(), &"x".repeat(4000)));
    assert!(triggers(nested, "xxy"));
}

#[test]
fn patterns_that_compile_too_big_or_match_nothing_are_refused() {
    for (bad, why) in [
        (r"\w{1000}", "larger"),
        (r"(?:\w{50}){50}", "larger"),
        ("a{1000}{1000}", "larger"),
        ("(unclosed", "not a valid"),
        ("a*", "empty"),
        ("(?:)", "empty"),
        ("x|", "empty"),
    ] {
        let error = RegexPattern::parse(bad).unwrap_err().to_string();
        assert!(error.contains(why), "{bad:?}: {error}");
    }
    let deep = format!("{}a{}", "(".repeat(40), ")".repeat(40));
    assert!(RegexPattern::parse(&deep).is_err(), "nesting is bounded");
    assert!(RegexPattern::parse(&"a".repeat(REGEX_PATTERN_MAX_CHARS + 1)).is_err());
    assert!(RegexPattern::parse(r"\bfree\s+nitro\b").is_ok());
    // Unicode `\d` is every script's digits; four of them in a row already exceed the limit, while
    // the ASCII class a card number needs is small.
    assert!(RegexPattern::parse(r"\d{4}-\d{4}-\d{4}-\d{4}").is_err());
    assert!(RegexPattern::parse("[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{4}").is_ok());
}

#[test]
fn patterns_see_folded_text_and_ignore_case() {
    let trigger = keywords(&[], &[r"n[i1]tr[o0]\b", "Discord"], &[]);
    assert!(triggers(trigger.clone(), "free NITRO"));
    assert!(triggers(trigger.clone(), "ｆｒｅｅ ｎｉｔｒｏ"));
    assert!(triggers(trigger.clone(), "dіѕсord"));
    assert!(!triggers(trigger, "nitrogen"));
}

#[test]
fn mention_spam_counts_distinct_mentions_over_the_limit() {
    let compiled = CompiledRules::compile([rule(
        1,
        Trigger::MentionSpam {
            mention_total_limit: 3,
        },
    )]);
    let mut message = facts("hi all");
    message.mention_count = 3;
    assert!(check(&compiled, &message).is_empty());
    message.mention_count = 4;
    assert_eq!(check(&compiled, &message).len(), 1);
}

#[test]
fn invite_links_are_caught_unless_allowed() {
    let trigger = Trigger::InviteLinks {
        allow_list: vec!["OurCode".to_owned()],
        allow_guild_invites: true,
    };
    let compiled = CompiledRules::compile([rule(1, trigger)]);
    for (content, codes) in [
        ("join discord.gg/abc123 now", vec!["abc123"]),
        ("https://discord.com/invite/XyZ", vec!["XyZ"]),
        (
            "see https://chat.example.org/invite/Hearth1 and discord.gg/two",
            vec!["Hearth1", "two"],
        ),
        ("ｄｉｓｃｏｒｄ．ｇｇ/Full", vec!["Full"]),
        ("disc\u{200b}ord.gg/zw", vec!["zw"]),
        ("https://chat.example.org:8443/invites/Port", vec!["Port"]),
    ] {
        let hits = check(&compiled, &facts(content));
        assert_eq!(hits.len(), 1, "{content:?}");
        assert_eq!(hits[0].invite_codes, codes, "{content:?}");
    }
    for content in [
        "https://chat.example.org/invite/OurCode",
        "discord.gg",
        "an invite to dinner",
        "https://example.org/invitations",
    ] {
        assert!(check(&compiled, &facts(content)).is_empty(), "{content:?}");
    }
}

#[test]
fn blocked_domains_match_subdomains_bare_mentions_and_look_alikes() {
    let trigger = Trigger::Links {
        allowed_domains: Vec::new(),
        blocked_domains: vec![Domain::parse("evil.com").unwrap()],
    };
    for content in [
        "go to https://evil.com/x",
        "go to http://cdn.EVIL.com",
        "mail me at bob@evil.com",
        "visit evil.com.",
        "visit еvil.com",
        "visit ｅｖｉｌ．ｃｏｍ",
        "https://good.com@evil.com/",
    ] {
        assert!(triggers(trigger.clone(), content), "{content:?}");
    }
    for content in [
        "devil.com is fine",
        "evil.community",
        "https://good.com/evil",
    ] {
        assert!(!triggers(trigger.clone(), content), "{content:?}");
    }
}

#[test]
fn allowed_domains_refuse_every_other_link() {
    let trigger = Trigger::Links {
        allowed_domains: vec![Domain::parse("*.example.org").unwrap()],
        blocked_domains: Vec::new(),
    };
    for content in [
        "https://example.org/a",
        "https://docs.example.org/a?b#c",
        "www.example.org",
        "no links here, config.toml is a file",
    ] {
        assert!(!triggers(trigger.clone(), content), "{content:?}");
    }
    for content in [
        "https://other.net",
        "http://1.2.3.4/x",
        "https://exаmple.org",
        "https://example.org.evil.net/",
        "https://example.org@evil.net/",
    ] {
        assert!(triggers(trigger.clone(), content), "{content:?}");
    }
}

#[test]
fn domains_are_host_names() {
    assert_eq!(
        Domain::parse(" Example.COM. ").unwrap().as_str(),
        "example.com"
    );
    assert_eq!(
        Domain::parse("*.example.com").unwrap().as_str(),
        "example.com"
    );
    for bad in [
        "",
        "com",
        "https://x.com",
        "a..b",
        "-a.com",
        "a b.com",
        "ex_ample.com",
        "é.com",
    ] {
        assert!(Domain::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn message_spam_counts_sends_and_copies_in_the_window() {
    let compiled = CompiledRules::compile([rule(
        1,
        Trigger::MessageSpam {
            max_messages: Some(3),
            max_duplicates: Some(2),
            interval_seconds: 10,
        },
    )]);
    assert_eq!(compiled.spam_window_ms(), Some(10_000));
    let mut history = SpamHistory::default();
    let mut send = |at: i64, content: &str| {
        let fp = fingerprint(content);
        let earlier = history.record(at, fp, 10_000);
        let message = MessageFacts {
            activity: Some(Activity {
                now_ms: at,
                fingerprint: fp,
                earlier: &earlier,
            }),
            ..facts(content)
        };
        !check(&compiled, &message).is_empty()
    };
    assert!(!send(0, "one"));
    assert!(!send(1_000, "two"));
    assert!(!send(2_000, "three"));
    assert!(send(3_000, "four"), "a fourth message within 10 s");
    assert!(!send(30_000, "hello"));
    assert!(!send(31_000, "HELLO "));
    assert!(send(32_000, "hello"), "a third copy within 10 s");
    // Edits carry no activity: message spam does not apply.
    assert!(check(&compiled, &facts("hello")).is_empty());
}

#[test]
fn exempt_roles_and_channels_and_disabled_rules_are_skipped() {
    let mut exempt = rule(1, keywords(&["cat"], &[], &[]));
    exempt.exempt_roles = vec![id(50)];
    exempt.exempt_channels = vec![id(60)];
    let mut disabled = rule(2, keywords(&["cat"], &[], &[]));
    disabled.enabled = false;
    let compiled = CompiledRules::compile([exempt, disabled]);
    assert_eq!(compiled.rules().len(), 1, "disabled rules are not compiled");
    assert_eq!(matched(&compiled, "cat").len(), 1);
    let roles = [id(50)];
    let by_role = MessageFacts {
        author_roles: &roles,
        ..facts("cat")
    };
    assert!(check(&compiled, &by_role).is_empty());
    let in_channel = MessageFacts {
        channel_id: id(60),
        ..facts("cat")
    };
    assert!(check(&compiled, &in_channel).is_empty());
}

#[test]
fn each_rule_hits_once_and_hits_come_in_rule_order() {
    let compiled = CompiledRules::compile([
        rule(1, keywords(&["dog"], &[], &[])),
        rule(2, keywords(&["cat", "*at"], &["c.t"], &[])),
        rule(3, keywords(&["cat"], &[], &[])),
    ]);
    let hits = check(&compiled, &facts("cat cat dog cat"));
    let ids: Vec<Snowflake> = hits.iter().map(|h| h.rule.id).collect();
    assert_eq!(ids, vec![id(1), id(2), id(3)]);
}

#[test]
fn trigger_metadata_is_checked_per_type() {
    let parse = |kind, input: TriggerInput| Trigger::parse(kind, &input);
    let fields = |r: Result<Trigger, Problems>| -> Vec<String> {
        r.unwrap_err().into_iter().map(|(f, _)| f).collect()
    };
    assert_eq!(
        fields(parse(TriggerType::Keyword, TriggerInput::default())),
        vec!["keyword_filter"]
    );
    assert_eq!(
        fields(parse(
            TriggerType::Keyword,
            TriggerInput {
                keyword_filter: Some(vec!["ok".into(), "x".repeat(61)]),
                regex_patterns: Some(vec!["(".into()]),
                mention_total_limit: Some(5),
                ..TriggerInput::default()
            }
        )),
        vec![
            "mention_total_limit",
            "keyword_filter[1]",
            "regex_patterns[0]"
        ]
    );
    assert_eq!(
        fields(parse(
            TriggerType::MentionSpam,
            TriggerInput {
                mention_total_limit: Some(51),
                ..TriggerInput::default()
            }
        )),
        vec!["mention_total_limit"]
    );
    assert_eq!(
        fields(parse(TriggerType::MessageSpam, TriggerInput::default())),
        vec!["interval_seconds", "max_messages"]
    );
    assert_eq!(
        fields(parse(
            TriggerType::Links,
            TriggerInput {
                blocked_domains: Some(vec!["x".into(); DOMAINS_MAX + 1]),
                ..TriggerInput::default()
            }
        )),
        vec!["blocked_domains"]
    );
    // What Discord's clients send for unused fields is accepted.
    assert!(
        parse(
            TriggerType::MentionSpam,
            TriggerInput {
                mention_total_limit: Some(5),
                keyword_filter: Some(Vec::new()),
                presets: Some(Vec::new()),
                mention_raid_protection_enabled: Some(false),
                ..TriggerInput::default()
            }
        )
        .is_ok()
    );
    assert!(TriggerType::from_wire(3).is_err());
    assert!(TriggerType::from_wire(4).is_err());
    assert!(TriggerType::from_wire(0).is_err());
    for kind in TriggerType::ALL {
        assert_eq!(TriggerType::from_wire(kind.as_wire().into()), Ok(kind));
    }
}

#[test]
fn actions_are_one_to_three_each_once_with_their_own_metadata() {
    let block = ActionInput {
        kind: 1,
        custom_message: Some("  Please keep it civil  ".into()),
        ..ActionInput::default()
    };
    let alert = ActionInput {
        kind: 2,
        channel_id: Some("123".into()),
        ..ActionInput::default()
    };
    let timeout = ActionInput {
        kind: 3,
        duration_seconds: Some(60),
        ..ActionInput::default()
    };
    let actions = parse_actions(&[block.clone(), alert.clone(), timeout.clone()]).unwrap();
    assert_eq!(
        actions,
        vec![
            Action::BlockMessage {
                custom_message: Some("Please keep it civil".into())
            },
            Action::SendAlertMessage {
                channel_id: id(123)
            },
            Action::Timeout {
                duration_seconds: 60
            },
        ]
    );
    let problems = |inputs: &[ActionInput]| -> Vec<String> {
        parse_actions(inputs)
            .unwrap_err()
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    };
    assert_eq!(problems(&[]), vec![""]);
    assert_eq!(problems(&[block.clone(), block.clone()]), vec!["[1].type"]);
    assert_eq!(
        problems(&[ActionInput {
            kind: 9,
            ..ActionInput::default()
        }]),
        vec!["[0].type"]
    );
    assert_eq!(
        problems(&[ActionInput {
            duration_seconds: Some(i64::from(TIMEOUT_MAX_SECS) + 1),
            ..timeout
        }]),
        vec!["[0].metadata.duration_seconds"]
    );
    assert_eq!(
        problems(&[ActionInput {
            channel_id: Some("nope".into()),
            ..alert
        }]),
        vec!["[0].metadata.channel_id"]
    );
    assert_eq!(
        problems(&[ActionInput {
            custom_message: Some("x".repeat(CUSTOM_MESSAGE_MAX_CHARS + 1)),
            channel_id: Some("1".into()),
            ..block
        }]),
        vec!["[0].metadata.channel_id", "[0].metadata.custom_message"]
    );
}

#[test]
fn exempt_lists_are_bounded_ids_each_once() {
    let ids: Vec<String> = (1..=20).map(|n| n.to_string()).collect();
    assert_eq!(parse_exempt_ids(&ids, EXEMPT_ROLES_MAX).unwrap().len(), 20);
    let more: Vec<String> = (1..=21).map(|n| n.to_string()).collect();
    assert!(parse_exempt_ids(&more, EXEMPT_ROLES_MAX).is_err());
    let problems = parse_exempt_ids(&["1".into(), "1".into(), "x".into()], 50).unwrap_err();
    assert_eq!(problems.len(), 2);
}

proptest! {
    #[test]
    fn a_keyword_is_found_however_it_is_disguised(
        word in "[a-z]{3,12}",
        before in "[a-z ]{0,20}",
        after in "[a-z ]{0,20}",
        disguise in 0usize..4,
    ) {
        let disguised: String = word
            .chars()
            .map(|c| match disguise {
                // Fullwidth.
                0 => char::from_u32(c as u32 - 'a' as u32 + 0xff41).unwrap().to_string(),
                // Zero-width space after each letter.
                1 => format!("{c}\u{200b}"),
                // Upper case with a combining acute accent.
                2 => format!("{}\u{301}", c.to_ascii_uppercase()),
                // Mathematical bold.
                _ => char::from_u32(c as u32 - 'a' as u32 + 0x1d41a).unwrap().to_string(),
            })
            .collect();
        let content = format!("{before} {disguised} {after}");
        prop_assert!(triggers(keywords(&[&word], &[], &[]), &content), "{:?}", content);
    }

    #[test]
    fn checking_any_text_never_panics(content in "\\PC{0,200}") {
        let compiled = CompiledRules::compile([
            rule(1, keywords(&["*a*", "b", "c*"], &["[0-9]+x"], &["ab*"])),
            rule(2, Trigger::Links {
                allowed_domains: vec![Domain::parse("a.org").unwrap()],
                blocked_domains: vec![Domain::parse("b.org").unwrap()],
            }),
            rule(3, Trigger::InviteLinks { allow_list: Vec::new(), allow_guild_invites: true }),
        ]);
        let hits = check(&compiled, &facts(&content));
        prop_assert!(hits.len() <= 3);
        for hit in hits {
            if let Some(m) = hit.matched_content {
                prop_assert!(m.chars().count() <= 120);
            }
        }
    }
}
