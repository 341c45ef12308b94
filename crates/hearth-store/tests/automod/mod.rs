//! AutoMod rules and alerts on both backends: every trigger type round-trips through its JSON columns,
//! each change commits with its audit entry, and the per-guild limits hold under concurrency.

use std::sync::Arc;

use hearth_core::automod::{
    Action, AutoModRule, Domain, EventType, Keyword, RegexPattern, RuleName, Trigger, TriggerType,
};
use hearth_core::{AuditAction, MessageKind, Snowflake};
use hearth_store::{
    AuditQuery, AuditRecord, NewAuditEntry, NewAutoModAlert, NewAutoModRule, StoreError,
};

use super::TestDb;
use super::messages::guild_with_member;

fn audit(
    db: &TestDb,
    guild: Snowflake,
    actor: Option<Snowflake>,
    action: AuditAction,
) -> NewAuditEntry {
    NewAuditEntry::new(db.id(), guild, actor, action)
}

async fn log(db: &TestDb, guild: Snowflake, action: AuditAction) -> Vec<AuditRecord> {
    db.store
        .audit_log(&AuditQuery {
            guild_id: guild,
            user_id: None,
            action: Some(action),
            before: None,
            limit: 100,
        })
        .await
        .unwrap()
}

fn rule(db: &TestDb, name: &str, trigger: Trigger) -> AutoModRule {
    AutoModRule {
        id: db.id(),
        name: RuleName::parse(name).unwrap(),
        event_type: EventType::MessageSend,
        trigger,
        actions: vec![Action::BlockMessage {
            custom_message: Some("not here, \"please\" ✨".into()),
        }],
        enabled: true,
        exempt_roles: Vec::new(),
        exempt_channels: Vec::new(),
    }
}

/// One rule of every trigger type, with every field of each set.
fn one_of_each(db: &TestDb, alert_channel: Snowflake, exempt: Snowflake) -> Vec<AutoModRule> {
    let mut keyword = rule(
        db,
        "words",
        Trigger::Keyword {
            keywords: ["cat", "*dog", "bird*", "*fish*", "ｆｕｌｌ"]
                .iter()
                .map(|k| Keyword::parse(k).unwrap())
                .collect(),
            regex_patterns: vec![RegexPattern::parse(r"\bfree\s+nitro\b").unwrap()],
            allow_list: vec![Keyword::parse("catalogue").unwrap()],
        },
    );
    keyword.actions = vec![
        Action::BlockMessage {
            custom_message: None,
        },
        Action::SendAlertMessage {
            channel_id: alert_channel,
        },
        Action::Timeout {
            duration_seconds: 2_419_200,
        },
    ];
    keyword.exempt_roles = vec![exempt];
    keyword.exempt_channels = vec![alert_channel];
    let mut mentions = rule(
        db,
        "mentions",
        Trigger::MentionSpam {
            mention_total_limit: 5,
        },
    );
    mentions.enabled = false;
    vec![
        keyword,
        mentions,
        rule(
            db,
            "invites",
            Trigger::InviteLinks {
                allow_list: vec!["OurCode".into()],
                allow_guild_invites: false,
            },
        ),
        rule(
            db,
            "links",
            Trigger::Links {
                allowed_domains: vec![Domain::parse("example.org").unwrap()],
                blocked_domains: vec![Domain::parse("evil.com").unwrap()],
            },
        ),
        rule(
            db,
            "spam",
            Trigger::MessageSpam {
                max_messages: Some(5),
                max_duplicates: None,
                interval_seconds: 600,
            },
        ),
    ]
}

pub async fn automod_rules_round_trip_and_each_change_commits_with_its_audit_entry(db: &TestDb) {
    let (g, owner, member) = guild_with_member(db).await;
    let general = g.system_channel_id.unwrap();
    let rules = one_of_each(db, general, member);
    for rule in &rules {
        let created = db
            .store
            .create_automod_rule(
                &NewAutoModRule {
                    guild_id: g.id,
                    creator_id: owner,
                    rule: rule.clone(),
                    now_ms: db.now,
                },
                &audit(db, g.id, Some(owner), AuditAction::AutoModerationRuleCreate)
                    .target(rule.id),
            )
            .await
            .unwrap();
        assert_eq!(created.rule, *rule);
        assert_eq!(created.creator_id, Some(owner));
        assert_eq!((created.created_at, created.updated_at), (db.now, db.now));
    }
    let listed = db.store.automod_rules(g.id).await.unwrap();
    assert_eq!(
        listed.iter().map(|r| r.rule.clone()).collect::<Vec<_>>(),
        rules,
        "listed oldest first, every field as written"
    );
    let entries = log(db, g.id, AuditAction::AutoModerationRuleCreate).await;
    assert_eq!(entries.len(), rules.len());
    assert!(entries.iter().all(|e| e.user_id == Some(owner)));

    // An update replaces every field but the trigger type.
    let mut changed = rules[0].clone();
    changed.name = RuleName::parse("renamed").unwrap();
    changed.enabled = false;
    changed.trigger = Trigger::Keyword {
        keywords: vec![Keyword::parse("only").unwrap()],
        regex_patterns: Vec::new(),
        allow_list: Vec::new(),
    };
    changed.actions = vec![Action::Timeout {
        duration_seconds: 60,
    }];
    changed.exempt_roles.clear();
    let updated = db
        .store
        .update_automod_rule(
            g.id,
            &changed,
            db.now + 5,
            &audit(db, g.id, Some(owner), AuditAction::AutoModerationRuleUpdate),
        )
        .await
        .unwrap();
    assert_eq!(updated.rule, changed);
    assert_eq!(
        (updated.created_at, updated.updated_at),
        (db.now, db.now + 5)
    );
    assert_eq!(
        db.store
            .automod_rule(g.id, changed.id)
            .await
            .unwrap()
            .unwrap()
            .rule,
        changed
    );
    assert_eq!(
        log(db, g.id, AuditAction::AutoModerationRuleUpdate)
            .await
            .len(),
        1
    );

    // A rule of another trigger type under the same id, or in another guild, is not found, and the
    // refused change leaves no entry.
    let mut retyped = changed.clone();
    retyped.trigger = Trigger::MentionSpam {
        mention_total_limit: 3,
    };
    let other_guild = super::community::guild(db, owner, 10).await.unwrap();
    for (guild, rule) in [(g.id, &retyped), (other_guild.id, &changed)] {
        let refused = db
            .store
            .update_automod_rule(
                guild,
                rule,
                db.now,
                &audit(
                    db,
                    guild,
                    Some(owner),
                    AuditAction::AutoModerationRuleUpdate,
                ),
            )
            .await;
        assert!(matches!(refused, Err(StoreError::NotFound)), "{refused:?}");
    }
    assert_eq!(
        log(db, g.id, AuditAction::AutoModerationRuleUpdate)
            .await
            .len(),
        1
    );
    assert!(
        db.store
            .automod_rules(other_guild.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        db.store
            .automod_rule(other_guild.id, changed.id)
            .await
            .unwrap()
            .is_none()
    );

    // Deleting answers the rule as it was, once.
    let delete = || audit(db, g.id, Some(owner), AuditAction::AutoModerationRuleDelete);
    let deleted = db
        .store
        .delete_automod_rule(g.id, changed.id, &delete())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(deleted.rule, changed);
    assert!(
        db.store
            .delete_automod_rule(g.id, changed.id, &delete())
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        log(db, g.id, AuditAction::AutoModerationRuleDelete)
            .await
            .len(),
        1
    );
    assert_eq!(
        db.store.automod_rules(g.id).await.unwrap().len(),
        rules.len() - 1
    );

    // The rules go with their guild.
    assert!(db.store.delete_guild(g.id).await.unwrap());
    assert!(db.store.automod_rules(g.id).await.unwrap().is_empty());
}

pub async fn automod_rule_counts_are_limited_per_trigger_type_even_at_once(db: &TestDb) {
    let (g, owner, _) = guild_with_member(db).await;
    let new = |trigger: Trigger| NewAutoModRule {
        guild_id: g.id,
        creator_id: owner,
        rule: rule(db, "r", trigger),
        now_ms: db.now,
    };
    let keywords = || Trigger::Keyword {
        keywords: vec![Keyword::parse("x").unwrap()],
        regex_patterns: Vec::new(),
        allow_list: Vec::new(),
    };
    let create = audit(db, g.id, Some(owner), AuditAction::AutoModerationRuleCreate);
    for _ in 0..TriggerType::Keyword.max_per_guild() {
        db.store
            .create_automod_rule(
                &new(keywords()),
                &NewAuditEntry {
                    id: db.id(),
                    ..create.clone()
                },
            )
            .await
            .unwrap();
    }
    let refused = db
        .store
        .create_automod_rule(
            &new(keywords()),
            &NewAuditEntry {
                id: db.id(),
                ..create.clone()
            },
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::LimitReached(_))),
        "{refused:?}"
    );
    assert_eq!(
        log(db, g.id, AuditAction::AutoModerationRuleCreate)
            .await
            .len(),
        6,
        "the refused rule left no entry"
    );

    // Four managers adding the guild's one mention-spam rule at the same moment: one lands.
    let store = Arc::new(db.store.clone());
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let store = store.clone();
        let new = new(Trigger::MentionSpam {
            mention_total_limit: 4,
        });
        let entry = NewAuditEntry {
            id: db.id(),
            ..create.clone()
        };
        tasks.push(tokio::spawn(async move {
            store.create_automod_rule(&new, &entry).await
        }));
    }
    let mut landed = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => landed += 1,
            Err(StoreError::LimitReached(_)) => {}
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(landed, 1);
    assert_eq!(db.store.automod_rules(g.id).await.unwrap().len(), 7);

    // A guild that does not exist takes no rule.
    let nowhere = NewAutoModRule {
        guild_id: db.id(),
        ..new(keywords())
    };
    assert!(matches!(
        db.store.create_automod_rule(&nowhere, &create).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn an_automod_alert_is_a_system_message_posted_with_its_audit_entry(db: &TestDb) {
    let (g, _, member) = guild_with_member(db).await;
    let general = g.system_channel_id.unwrap();
    let flag = || {
        audit(db, g.id, None, AuditAction::AutoModerationFlagToChannel)
            .target(member)
            .option("auto_moderation_rule_name", "words")
            .option("channel_id", general.to_string())
    };
    let next_id = || db.id();
    let alert = NewAutoModAlert {
        guild_id: g.id,
        channel_id: general,
        author_id: member,
        content: "buy <@1> cheap ✨".into(),
        now_ms: db.now,
    };
    let posted = db
        .store
        .create_automod_alert(&alert, &next_id, &flag())
        .await
        .unwrap();
    assert_eq!(posted.kind, MessageKind::AutoModerationAction);
    assert_eq!(posted.author.id, member);
    assert_eq!(posted.content, alert.content);
    assert!(posted.mentions.is_empty(), "an alert notifies nobody");
    assert_eq!(
        db.store
            .channel_by_id(general)
            .await
            .unwrap()
            .unwrap()
            .last_message_id,
        Some(posted.id)
    );
    let entries = log(db, g.id, AuditAction::AutoModerationFlagToChannel).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].user_id, entries[0].target_id),
        (None, Some(member))
    );
    assert_eq!(entries[0].options["auto_moderation_rule_name"], "words");

    // A channel outside the guild (or gone) takes no alert, and no entry is written.
    let other = super::community::guild(db, member, 10).await.unwrap();
    let elsewhere = NewAutoModAlert {
        channel_id: other.system_channel_id.unwrap(),
        ..alert.clone()
    };
    assert!(matches!(
        db.store
            .create_automod_alert(&elsewhere, &next_id, &flag())
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(
        log(db, g.id, AuditAction::AutoModerationFlagToChannel)
            .await
            .len(),
        1
    );

    // A block writes its entry alone: nothing else is stored.
    db.store
        .record_audit(
            &audit(db, g.id, None, AuditAction::AutoModerationBlockMessage).target(member),
        )
        .await
        .unwrap();
    assert_eq!(
        log(db, g.id, AuditAction::AutoModerationBlockMessage)
            .await
            .len(),
        1
    );
}

/// A rule for the snapshot round trip, in the owner's first guild.
pub async fn populate(db: &TestDb, owner: Snowflake, member: Snowflake) {
    let g = db
        .store
        .guilds_of_user(owner)
        .await
        .unwrap()
        .remove(0)
        .guild;
    let mut rules = one_of_each(db, g.system_channel_id.unwrap(), member);
    db.store
        .create_automod_rule(
            &NewAutoModRule {
                guild_id: g.id,
                creator_id: owner,
                rule: rules.remove(0),
                now_ms: db.now,
            },
            &audit(db, g.id, Some(owner), AuditAction::AutoModerationRuleCreate),
        )
        .await
        .unwrap();
}
