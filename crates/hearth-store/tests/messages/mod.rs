//! Message storage on both backends: sends with nonces and slow mode, history pages, reactions, pins,
//! read states and mention counts, and what goes when a channel or guild goes.

use std::sync::Arc;
use std::time::Duration;

use hearth_core::{AuditAction, ChannelKind, MessageKind, Permissions, Snowflake};
use hearth_store::{
    GuildRecord, HistoryPage, MessageEdit, MessageRecord, NewMessage, NewReaction, NewReference,
    ReactionError, ReadState, SendError, StoreError,
};

use super::audit::entry;
use super::community::{channel, guild, invite, role};
use super::{TestDb, wall_clock_ms};

const NONCE_WINDOW_MS: i64 = 10 * 60 * 1000;

/// A plain message from `author` in `channel`, sent at the wall clock's time.
pub(crate) fn text(
    g: &GuildRecord,
    channel: Snowflake,
    author: Snowflake,
    content: &str,
) -> NewMessage {
    NewMessage {
        channel_id: channel,
        guild_id: g.id,
        author_id: author,
        content: content.into(),
        reference: None,
        mention_everyone: false,
        mentions: Vec::new(),
        mention_roles: Vec::new(),
        nonce: None,
        nonce_window_ms: NONCE_WINDOW_MS,
        slow_mode_exempt: false,
        attachments: Vec::new(),
        now_ms: wall_clock_ms(),
    }
}

pub(crate) async fn send(db: &TestDb, new: &NewMessage) -> Result<MessageRecord, SendError> {
    let next_id = || db.id();
    db.store
        .create_message(new, &next_id)
        .await
        .map(|sent| sent.message)
}

/// An owner, a guild of theirs on an open instance, and a second member: (guild, owner, member).
pub(crate) async fn guild_with_member(db: &TestDb) -> (GuildRecord, Snowflake, Snowflake) {
    let owner = db.register("owner", None).await.unwrap();
    db.store
        .set_registration_mode(hearth_core::RegistrationMode::Open)
        .await
        .unwrap();
    let g = guild(db, owner.id, 10).await.unwrap();
    let member = db.register("member", None).await.unwrap();
    let code = invite(db, &g, owner.id, 0).await;
    db.store
        .join_guild(&code, member.id, db.now, 10)
        .await
        .unwrap();
    (g, owner.id, member.id)
}

fn ids(messages: &[MessageRecord]) -> Vec<Snowflake> {
    messages.iter().map(|m| m.id).collect()
}

fn mention_count(states: &[ReadState], channel: Snowflake) -> i64 {
    states
        .iter()
        .find(|s| s.channel_id == channel)
        .map_or(0, |s| s.mention_count)
}

pub async fn a_send_keeps_member_mentions_and_guild_roles_and_moves_the_channels_marker(
    db: &TestDb,
) {
    let (g, owner, member) = guild_with_member(db).await;
    let general = g.system_channel_id.unwrap();
    let stranger = db.register("stranger", None).await.unwrap();
    let mods = role(db, g.id, Permissions::empty()).await;
    let elsewhere = guild(db, stranger.id, 10).await.unwrap();

    let first = send(
        db,
        &NewMessage {
            mentions: vec![member, stranger.id],
            mention_roles: vec![mods.id, elsewhere.id],
            mention_everyone: true,
            ..text(&g, general, owner, "  hi <@member> — kept as written\n")
        },
    )
    .await
    .unwrap();
    assert_eq!(first.content, "  hi <@member> — kept as written\n");
    assert_eq!(first.kind, MessageKind::Default);
    assert_eq!(first.author.id, owner);
    assert!(first.mention_everyone);
    assert_eq!(
        first.mentions.iter().map(|u| u.id).collect::<Vec<_>>(),
        [member],
        "a non-member is dropped"
    );
    assert_eq!(
        first.mention_roles,
        [mods.id],
        "another guild's role is dropped"
    );
    let marked = db.store.channel_by_id(general).await.unwrap().unwrap();
    assert_eq!(marked.last_message_id, Some(first.id));

    let reply = send(
        db,
        &NewMessage {
            reference: Some(NewReference {
                message_id: first.id,
                fail_if_missing: true,
            }),
            ..text(&g, general, member, "answer")
        },
    )
    .await
    .unwrap();
    assert_eq!(reply.kind, MessageKind::Reply);
    assert_eq!(reply.reference_id, Some(first.id));
    assert_eq!(reply.referenced.as_deref().map(|m| m.id), Some(first.id));
    assert_eq!(
        reply.referenced.as_ref().unwrap().mention_roles,
        [mods.id],
        "the original comes complete"
    );

    let missing = NewReference {
        message_id: db.id(),
        fail_if_missing: true,
    };
    assert!(matches!(
        send(
            db,
            &NewMessage {
                reference: Some(missing),
                ..text(&g, general, member, "x")
            }
        )
        .await,
        Err(SendError::UnknownReference)
    ));
    let lenient = send(
        db,
        &NewMessage {
            reference: Some(NewReference {
                fail_if_missing: false,
                ..missing
            }),
            ..text(&g, general, member, "plain")
        },
    )
    .await
    .unwrap();
    assert_eq!(
        (lenient.kind, lenient.reference_id),
        (MessageKind::Default, None)
    );
    // A message of another channel is no reply target either.
    let other = channel(db, g.id, ChannelKind::Text, None, vec![])
        .await
        .unwrap();
    let far = NewReference {
        message_id: first.id,
        fail_if_missing: true,
    };
    assert!(matches!(
        send(
            db,
            &NewMessage {
                reference: Some(far),
                ..text(&g, other.id, member, "x")
            }
        )
        .await,
        Err(SendError::UnknownReference)
    ));
    // A channel of another guild cannot be written to through this one.
    assert!(matches!(
        send(db, &text(&elsewhere, general, stranger.id, "x")).await,
        Err(SendError::Store(StoreError::NotFound))
    ));
}

pub async fn a_repeated_nonce_answers_the_first_message_even_when_sent_at_once(db: &TestDb) {
    let (g, owner, member) = guild_with_member(db).await;
    let general = g.system_channel_id.unwrap();
    db.warm_up().await;
    let ids = Arc::new(hearth_core::SnowflakeGenerator::new(
        hearth_core::NodeId::new(2).unwrap(),
    ));
    let racers: Vec<_> = (0..8)
        .map(|_| {
            let store = db.store.clone();
            let ids = ids.clone();
            let new = NewMessage {
                nonce: Some("same-nonce".into()),
                ..text(&g, general, owner, "once")
            };
            tokio::spawn(async move {
                let next_id = || ids.next(wall_clock_ms() as u64);
                store.create_message(&new, &next_id).await
            })
        })
        .collect();
    let mut sent = Vec::new();
    for racer in racers {
        sent.push(racer.await.unwrap().unwrap());
    }
    assert_eq!(sent.iter().filter(|s| s.is_new).count(), 1);
    assert!(sent.iter().all(|s| s.message.id == sent[0].message.id));
    let stored = db
        .store
        .messages(general, HistoryPage::Latest, 100, owner)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);

    // The nonce is the author's own, and the window ends.
    let theirs = send(
        db,
        &NewMessage {
            nonce: Some("same-nonce".into()),
            ..text(&g, general, member, "mine")
        },
    )
    .await
    .unwrap();
    assert_ne!(theirs.id, sent[0].message.id);
    let later = NewMessage {
        nonce: Some("same-nonce".into()),
        now_ms: wall_clock_ms() + NONCE_WINDOW_MS + 1,
        ..text(&g, general, owner, "again")
    };
    let next_id = || db.id();
    let again = db.store.create_message(&later, &next_id).await.unwrap();
    assert!(again.is_new);
    assert_eq!(
        db.store
            .delete_old_nonces(wall_clock_ms() + 1)
            .await
            .unwrap(),
        1
    );
}

pub async fn concurrent_sends_from_several_authors_all_land_in_one_order(db: &TestDb) {
    let (g, owner, member) = guild_with_member(db).await;
    let general = g.system_channel_id.unwrap();
    db.warm_up().await;
    let ids = Arc::new(hearth_core::SnowflakeGenerator::new(
        hearth_core::NodeId::new(3).unwrap(),
    ));
    let racers: Vec<_> = (0..20)
        .map(|i| {
            let store = db.store.clone();
            let ids = ids.clone();
            let author = if i % 2 == 0 { owner } else { member };
            let new = text(&g, general, author, &format!("message {i}"));
            tokio::spawn(async move {
                let next_id = || ids.next(wall_clock_ms() as u64);
                store
                    .create_message(&new, &next_id)
                    .await
                    .map(|s| s.message.id)
            })
        })
        .collect();
    let mut sent = Vec::new();
    for racer in racers {
        sent.push(racer.await.unwrap().unwrap());
    }
    let listed = db
        .store
        .messages(general, HistoryPage::Latest, 100, owner)
        .await
        .unwrap();
    assert_eq!(listed.len(), 20);
    assert!(listed.windows(2).all(|w| w[0].id > w[1].id));
    let newest = *sent.iter().max().unwrap();
    let channel = db.store.channel_by_id(general).await.unwrap().unwrap();
    assert_eq!(channel.last_message_id, Some(newest));
}

pub async fn slow_mode_counts_from_the_authors_last_message_unless_exempt(db: &TestDb) {
    let (g, owner, member) = guild_with_member(db).await;
    let slow = db
        .store
        .create_channel(
            &hearth_store::NewChannel {
                id: db.id(),
                guild_id: g.id,
                kind: ChannelKind::Text,
                name: "slow".into(),
                topic: None,
                position: None,
                parent_id: None,
                nsfw: false,
                rate_limit_per_user: 30,
                bitrate: None,
                user_limit: None,
                overwrites: vec![],
                now_ms: db.now,
                max_channels_per_guild: 10,
            },
            &entry(db, g.id, AuditAction::ChannelCreate),
        )
        .await
        .unwrap();
    let at = wall_clock_ms();
    send(
        db,
        &NewMessage {
            now_ms: at,
            ..text(&g, slow.id, member, "one")
        },
    )
    .await
    .unwrap();
    match send(
        db,
        &NewMessage {
            now_ms: at + 10_000,
            ..text(&g, slow.id, member, "two")
        },
    )
    .await
    {
        Err(SendError::SlowMode { retry_after_ms }) => assert_eq!(retry_after_ms, 20_000),
        other => panic!("expected slow mode, got {other:?}"),
    }
    // Others have their own interval, the exempt have none, and the interval ends.
    send(
        db,
        &NewMessage {
            now_ms: at + 10_000,
            ..text(&g, slow.id, owner, "mine")
        },
    )
    .await
    .unwrap();
    send(
        db,
        &NewMessage {
            now_ms: at + 10_000,
            slow_mode_exempt: true,
            ..text(&g, slow.id, member, "exempt")
        },
    )
    .await
    .unwrap();
    assert!(
        send(
            db,
            &NewMessage {
                now_ms: at + 40_001,
                ..text(&g, slow.id, member, "later")
            }
        )
        .await
        .is_ok()
    );
}

pub async fn history_pages_come_newest_first_in_every_mode(db: &TestDb) {
    let (g, owner, _) = guild_with_member(db).await;
    let general = g.system_channel_id.unwrap();
    let mut sent = Vec::new();
    for i in 0..10 {
        sent.push(
            send(db, &text(&g, general, owner, &format!("m{i}")))
                .await
                .unwrap()
                .id,
        );
    }
    let page = |p, limit| db.store.messages(general, p, limit, owner);
    let newest_first: Vec<_> = sent.iter().rev().copied().collect();
    assert_eq!(
        ids(&page(HistoryPage::Latest, 50).await.unwrap()),
        newest_first
    );
    assert_eq!(
        ids(&page(HistoryPage::Latest, 3).await.unwrap()),
        newest_first[..3]
    );
    assert_eq!(
        ids(&page(HistoryPage::Before(sent[5]), 3).await.unwrap()),
        [sent[4], sent[3], sent[2]]
    );
    assert_eq!(
        ids(&page(HistoryPage::After(sent[5]), 3).await.unwrap()),
        [sent[8], sent[7], sent[6]],
        "the oldest three after the id, still newest first"
    );
    assert_eq!(
        ids(&page(HistoryPage::Around(sent[5]), 4).await.unwrap()),
        [sent[6], sent[5], sent[4], sent[3]]
    );
    assert_eq!(
        ids(&page(HistoryPage::Around(sent[5]), 1).await.unwrap()),
        [sent[5]]
    );
    assert!(
        page(HistoryPage::Before(sent[0]), 50)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        page(HistoryPage::After(sent[9]), 50)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        db.store
            .message(general, sent[0], owner)
            .await
            .unwrap()
            .is_some()
            && db
                .store
                .message(g.id, sent[0], owner)
                .await
                .unwrap()
                .is_none(),
        "a message is found only in its own channel"
    );
}

pub async fn reactions_are_counted_per_emoji_and_limited_to_twenty_distinct(db: &TestDb) {
    let (g, owner, member) = guild_with_member(db).await;
    let general = g.system_channel_id.unwrap();
    let message = send(db, &text(&g, general, owner, "react to me"))
        .await
        .unwrap();
    // Each reaction a millisecond after the last, so "first used" has no ties.
    let clock = std::cell::Cell::new(db.now);
    let react = |user, emoji: &'static str, may_add_new_emoji| {
        clock.set(clock.get() + 1);
        let new = NewReaction {
            channel_id: general,
            message_id: message.id,
            emoji,
            user_id: user,
            may_add_new_emoji,
            max_distinct_emoji: 20,
            now_ms: clock.get(),
        };
        async move { db.store.add_reaction(&new).await }
    };
    assert!(react(owner, "👍", true).await.unwrap());
    assert!(!react(owner, "👍", true).await.unwrap(), "idempotent");
    assert!(matches!(
        react(member, "🎉", false).await,
        Err(ReactionError::NewEmojiRefused)
    ));
    assert!(
        react(member, "👍", false).await.unwrap(),
        "joining an existing emoji needs no right"
    );

    let seen = db
        .store
        .message(general, message.id, member)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen.reactions.len(), 1);
    assert_eq!((seen.reactions[0].count, seen.reactions[0].me), (2, true));
    let users = db
        .store
        .reaction_users(message.id, "👍", Snowflake::from_db(0), 10)
        .await
        .unwrap();
    assert_eq!(
        users.iter().map(|u| u.id).collect::<Vec<_>>(),
        [owner, member]
    );
    let after_owner = db
        .store
        .reaction_users(message.id, "👍", owner, 10)
        .await
        .unwrap();
    assert_eq!(after_owner.len(), 1);

    const MORE: [&str; 19] = [
        "😀", "😃", "😄", "😁", "😆", "😅", "😂", "🙂", "🙃", "😉", "😊", "😇", "🥰", "😍", "🤩",
        "😘", "😗", "😚", "😙",
    ];
    for emoji in MORE {
        assert!(react(owner, emoji, true).await.unwrap());
    }
    assert!(matches!(
        react(owner, "🔥", true).await,
        Err(ReactionError::Store(StoreError::LimitReached(_)))
    ));
    assert!(
        react(member, "😀", false).await.unwrap(),
        "a full message still takes existing emoji"
    );
    let seen = db
        .store
        .message(general, message.id, owner)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(seen.reactions.len(), 20);
    assert_eq!(seen.reactions[0].emoji, "👍", "in order of first use");

    assert!(
        db.store
            .remove_reaction(message.id, "👍", member)
            .await
            .unwrap()
    );
    assert!(
        !db.store
            .remove_reaction(message.id, "👍", member)
            .await
            .unwrap()
    );
    assert_eq!(
        db.store
            .clear_reactions(message.id, Some("😀"))
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        db.store.clear_reactions(message.id, None).await.unwrap(),
        19
    );
    let seen = db
        .store
        .message(general, message.id, owner)
        .await
        .unwrap()
        .unwrap();
    assert!(seen.reactions.is_empty());
    let elsewhere = NewReaction {
        channel_id: g.id,
        message_id: message.id,
        emoji: "👍",
        user_id: owner,
        may_add_new_emoji: true,
        max_distinct_emoji: 20,
        now_ms: db.now,
    };
    assert!(matches!(
        db.store.add_reaction(&elsewhere).await,
        Err(ReactionError::Store(StoreError::NotFound))
    ));
}

pub async fn pins_are_limited_per_channel_and_listed_most_recent_first(db: &TestDb) {
    let (g, owner, _) = guild_with_member(db).await;
    let general = g.system_channel_id.unwrap();
    let mut sent = Vec::new();
    for i in 0..4 {
        sent.push(
            send(db, &text(&g, general, owner, &format!("m{i}")))
                .await
                .unwrap()
                .id,
        );
    }
    let now = wall_clock_ms();
    let pin = || entry(db, g.id, AuditAction::MessagePin);
    let unpin = || entry(db, g.id, AuditAction::MessageUnpin);
    for id in [sent[2], sent[0], sent[1]] {
        assert!(
            db.store
                .pin_message(general, id, 3, now, &pin())
                .await
                .unwrap()
                .changed
        );
    }
    let again = db
        .store
        .pin_message(general, sent[0], 3, now, &pin())
        .await
        .unwrap();
    assert!(!again.changed, "pinning a pinned message changes nothing");
    assert!(matches!(
        db.store.pin_message(general, sent[3], 3, now, &pin()).await,
        Err(StoreError::LimitReached(_))
    ));
    let pinned = db.store.pinned_messages(general, owner).await.unwrap();
    assert_eq!(
        ids(&pinned),
        [sent[1], sent[0], sent[2]],
        "in the order pinned, newest first"
    );
    assert!(pinned.iter().all(|m| m.pinned_at.is_some()));

    let unpinned = db
        .store
        .unpin_message(general, sent[1], &unpin())
        .await
        .unwrap();
    assert!(unpinned.changed);
    assert_eq!(unpinned.last_pin_at, pinned[1].pinned_at);
    assert!(
        !db.store
            .unpin_message(general, sent[1], &unpin())
            .await
            .unwrap()
            .changed
    );
    assert!(
        db.store
            .pin_message(general, sent[3], 3, now, &pin())
            .await
            .unwrap()
            .changed
    );
    assert!(matches!(
        db.store.unpin_message(g.id, sent[3], &unpin()).await,
        Err(StoreError::NotFound)
    ));
}

pub async fn mention_counts_follow_read_markers_edits_and_deletes(db: &TestDb) {
    let (g, owner, member) = guild_with_member(db).await;
    let general = g.system_channel_id.unwrap();
    let mods = role(db, g.id, Permissions::empty()).await;
    db.store
        .add_member_role(
            g.id,
            member,
            mods.id,
            &entry(db, g.id, AuditAction::MemberRoleUpdate),
        )
        .await
        .unwrap();
    let everyone = |content: &str| NewMessage {
        mention_everyone: true,
        ..text(&g, general, owner, content)
    };

    // Before a newcomer joins: never counted for them.
    send(db, &everyone("@everyone before")).await.unwrap();
    let late = db.register("late", None).await.unwrap();
    tokio::time::sleep(Duration::from_millis(5)).await;
    let code = invite(db, &g, owner, 0).await;
    db.store
        .join_guild(&code, late.id, wall_clock_ms(), 10)
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(5)).await;

    let direct = send(
        db,
        &NewMessage {
            mentions: vec![member],
            ..text(&g, general, owner, "<@m>")
        },
    )
    .await
    .unwrap();
    send(
        db,
        &NewMessage {
            mention_roles: vec![mods.id],
            ..text(&g, general, owner, "<@&mods>")
        },
    )
    .await
    .unwrap();
    let both = send(
        db,
        &NewMessage {
            mentions: vec![member],
            mention_everyone: true,
            ..text(&g, general, owner, "<@m> @everyone")
        },
    )
    .await
    .unwrap();
    // Their own message never counts, whatever it mentions.
    send(
        db,
        &NewMessage {
            mentions: vec![member],
            mention_everyone: true,
            ..text(&g, general, member, "me")
        },
    )
    .await
    .unwrap();
    let plain = send(db, &text(&g, general, owner, "no mention"))
        .await
        .unwrap();

    let summary = db.store.unread_summary(member).await.unwrap();
    assert_eq!(
        summary,
        [ReadState {
            channel_id: general,
            last_read_id: None,
            mention_count: 4,
        }],
        "the early @everyone, a direct, a role and a double mention (counted once)"
    );
    let late_summary = db.store.unread_summary(late.id).await.unwrap();
    assert_eq!(
        mention_count(&late_summary, general),
        2,
        "the two @everyone sent after joining, not the one before"
    );

    assert!(
        db.store
            .ack_message(member, general, direct.id)
            .await
            .unwrap()
    );
    assert_eq!(db.store.mention_count(member, general).await.unwrap(), 2);
    let summary = db.store.unread_summary(member).await.unwrap();
    assert_eq!(summary[0].last_read_id, Some(direct.id));
    assert_eq!(summary[0].mention_count, 2);

    // An edit that drops the mentions lowers the count; so does a delete.
    let edit = MessageEdit {
        content: "no longer".into(),
        mention_everyone: false,
        mentions: vec![],
        mention_roles: vec![],
        now_ms: wall_clock_ms(),
    };
    let edited = db
        .store
        .edit_message(general, both.id, owner, &edit)
        .await
        .unwrap();
    assert!(edited.edited_at.is_some() && edited.mentions.is_empty());
    assert_eq!(db.store.mention_count(member, general).await.unwrap(), 1);
    assert!(
        matches!(
            db.store.edit_message(general, both.id, member, &edit).await,
            Err(StoreError::NotFound)
        ),
        "only the author's own message is edited"
    );
    let role_mention = db
        .store
        .messages(general, HistoryPage::After(direct.id), 1, member)
        .await
        .unwrap();
    assert!(
        db.store
            .delete_message(general, role_mention[0].id, None)
            .await
            .unwrap()
    );
    assert_eq!(db.store.mention_count(member, general).await.unwrap(), 0);

    // Reading ahead and back (mark unread) both move the marker.
    assert!(
        db.store
            .ack_message(member, general, plain.id)
            .await
            .unwrap()
    );
    assert!(
        db.store
            .ack_message(member, general, direct.id)
            .await
            .unwrap()
    );
    assert_eq!(
        db.store.unread_summary(member).await.unwrap()[0].last_read_id,
        Some(direct.id)
    );
    assert!(
        !db.store.ack_message(member, g.id, plain.id).await.unwrap(),
        "not that channel"
    );

    // A member who leaves keeps no read state in the guild's channels.
    assert!(db.store.remove_member(g.id, member).await.unwrap());
    assert!(db.store.unread_summary(member).await.unwrap().is_empty());
}

pub async fn deletes_take_reactions_nonces_and_whole_channels_with_them(db: &TestDb) {
    let (g, owner, member) = guild_with_member(db).await;
    let general = g.system_channel_id.unwrap();
    let other = channel(db, g.id, ChannelKind::Text, None, vec![])
        .await
        .unwrap();
    let mut sent = Vec::new();
    for i in 0..3 {
        sent.push(
            send(db, &text(&g, general, owner, &format!("m{i}")))
                .await
                .unwrap()
                .id,
        );
    }
    let elsewhere = send(db, &text(&g, other.id, owner, "other"))
        .await
        .unwrap()
        .id;
    let deleted = db
        .store
        .delete_messages(
            general,
            &[sent[2], sent[0], elsewhere, db.id()],
            &entry(db, g.id, AuditAction::MessageBulkDelete),
        )
        .await
        .unwrap();
    assert_eq!(
        deleted,
        [sent[0], sent[2]],
        "only this channel's messages, in order"
    );
    assert!(
        db.store
            .message(other.id, elsewhere, owner)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        !db.store
            .delete_message(general, sent[0], None)
            .await
            .unwrap()
    );

    // A nonce goes with its message, so the same nonce sends anew.
    let nonce = NewMessage {
        nonce: Some("n".into()),
        ..text(&g, general, member, "first")
    };
    let first = send(db, &nonce).await.unwrap();
    assert!(
        db.store
            .delete_message(general, first.id, None)
            .await
            .unwrap()
    );
    let second = send(db, &nonce).await.unwrap();
    assert_ne!(first.id, second.id);

    assert!(
        db.store
            .ack_message(member, other.id, elsewhere)
            .await
            .unwrap()
    );
    assert!(
        db.store
            .delete_channel(other.id, &entry(db, g.id, AuditAction::ChannelDelete))
            .await
            .unwrap()
    );
    assert!(
        db.store
            .message(other.id, elsewhere, owner)
            .await
            .unwrap()
            .is_none()
    );
    assert!(db.store.unread_summary(member).await.unwrap().is_empty());
    assert!(db.store.delete_guild(g.id).await.unwrap());
    assert!(
        db.store
            .message(general, second.id, owner)
            .await
            .unwrap()
            .is_none()
    );
}

/// Message rows for the snapshot round-trip: one or more in every message table, NULLs and not, in the
/// guild `community::populate` made.
pub async fn populate(db: &TestDb, owner: Snowflake, member: Snowflake) {
    let g = db
        .store
        .guilds_of_user(owner)
        .await
        .unwrap()
        .remove(0)
        .guild;
    let mods = db
        .store
        .roles_of_guild(g.id)
        .await
        .unwrap()
        .into_iter()
        .find(|r| !r.is_everyone())
        .unwrap();
    let general = g.system_channel_id.unwrap();
    let first = send(
        db,
        &NewMessage {
            mentions: vec![member],
            mention_roles: vec![mods.id],
            nonce: Some("nonce-1".into()),
            ..text(&g, general, owner, "hello <@member> <@&mods> \"quoted\" ✨")
        },
    )
    .await
    .unwrap();
    let reply = send(
        db,
        &NewMessage {
            reference: Some(NewReference {
                message_id: first.id,
                fail_if_missing: true,
            }),
            mention_everyone: true,
            ..text(&g, general, member, "@everyone\nsecond line")
        },
    )
    .await
    .unwrap();
    let edit = MessageEdit {
        content: "@everyone\nedited".into(),
        mention_everyone: true,
        mentions: vec![],
        mention_roles: vec![],
        now_ms: db.now + 5,
    };
    db.store
        .edit_message(general, reply.id, member, &edit)
        .await
        .unwrap();
    db.store
        .pin_message(
            general,
            first.id,
            50,
            db.now + 6,
            &entry(db, g.id, AuditAction::MessagePin),
        )
        .await
        .unwrap();
    db.store
        .add_reaction(&NewReaction {
            channel_id: general,
            message_id: first.id,
            emoji: "👍",
            user_id: member,
            may_add_new_emoji: true,
            max_distinct_emoji: 20,
            now_ms: db.now + 7,
        })
        .await
        .unwrap();
    assert!(
        db.store
            .ack_message(member, general, first.id)
            .await
            .unwrap()
    );
}
