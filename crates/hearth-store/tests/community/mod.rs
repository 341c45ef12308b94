//! Community storage on both backends: guild defaults, cascades that keep permissions exact, joins.

use hearth_core::{
    AuditAction, ChannelKind, InviteCode, Overwrite, OverwriteKind, Permissions, Snowflake,
};
use hearth_store::{
    ChannelRecord, GuildRecord, JoinError, NewChannel, NewGuild, NewGuildInvite, NewRole,
    StoreError,
};

use super::TestDb;
use super::audit::entry;

/// A guild owned by `owner`, created with the same defaults the server uses.
pub async fn guild(db: &TestDb, owner: Snowflake, limit: u32) -> Result<GuildRecord, StoreError> {
    db.store
        .create_guild(&NewGuild {
            id: db.id(),
            name: "Hearthside".into(),
            description: String::new(),
            owner_id: owner,
            everyone_permissions: Permissions::DEFAULT_EVERYONE,
            text_channel_id: db.id(),
            voice_channel_id: db.id(),
            voice_bitrate: 64_000,
            default_message_notifications: 0,
            verification_level: 0,
            explicit_content_filter: 0,
            now_ms: db.now,
            max_guilds_per_user: limit,
        })
        .await
}

pub async fn role(
    db: &TestDb,
    guild: Snowflake,
    permissions: Permissions,
) -> hearth_store::RoleRecord {
    db.store
        .create_role(
            &NewRole {
                id: db.id(),
                guild_id: guild,
                name: "mods".into(),
                color: 0x33_66_99,
                hoist: true,
                mentionable: false,
                permissions,
                now_ms: db.now,
                max_roles_per_guild: 10,
            },
            &entry(db, guild, AuditAction::RoleCreate),
        )
        .await
        .unwrap()
}

pub async fn channel(
    db: &TestDb,
    guild: Snowflake,
    kind: ChannelKind,
    parent: Option<Snowflake>,
    overwrites: Vec<Overwrite>,
) -> Result<ChannelRecord, StoreError> {
    db.store
        .create_channel(
            &NewChannel {
                id: db.id(),
                guild_id: guild,
                kind,
                name: "lounge".into(),
                topic: None,
                position: None,
                parent_id: parent,
                nsfw: false,
                rate_limit_per_user: 0,
                bitrate: None,
                user_limit: None,
                overwrites,
                now_ms: db.now,
                max_channels_per_guild: 10,
            },
            &entry(db, guild, AuditAction::ChannelCreate),
        )
        .await
}

pub async fn invite(db: &TestDb, guild: &GuildRecord, inviter: Snowflake, max_uses: u32) -> String {
    let mut bytes = [0u8; hearth_core::invite::INVITE_CODE_LEN];
    rand::fill(&mut bytes);
    db.store
        .create_guild_invite(
            &NewGuildInvite {
                code: InviteCode::from_random(bytes),
                guild_id: guild.id,
                channel_id: guild.system_channel_id.unwrap(),
                inviter_id: inviter,
                max_age: 0,
                max_uses,
                temporary: false,
                unique: true,
                now_ms: db.now,
                max_invites_per_guild: 10,
            },
            &entry(db, guild.id, AuditAction::InviteCreate),
        )
        .await
        .unwrap()
        .0
        .code
}

async fn owner_of_open_instance(db: &TestDb) -> hearth_store::UserRecord {
    let owner = db.register("owner", None).await.unwrap();
    db.store
        .set_registration_mode(hearth_core::RegistrationMode::Open)
        .await
        .unwrap();
    owner
}

fn deny_view(id: Snowflake, kind: OverwriteKind) -> Overwrite {
    Overwrite {
        id,
        kind,
        allow: Permissions::empty(),
        deny: Permissions::VIEW_CHANNEL,
    }
}

pub async fn a_guild_starts_with_its_defaults_and_counts_against_the_creators_limit(db: &TestDb) {
    let owner = owner_of_open_instance(db).await;
    let g = guild(db, owner.id, 1).await.unwrap();
    let context = db
        .store
        .guild_context(g.id, owner.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(context.guild, g);
    assert_eq!(context.roles.len(), 1);
    assert!(context.roles[0].is_everyone());
    assert_eq!(context.roles[0].permissions, Permissions::DEFAULT_EVERYONE);
    let channels = db.store.channels_of_guild(g.id).await.unwrap();
    let kinds: Vec<_> = channels.iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [ChannelKind::Text, ChannelKind::Voice]);
    assert_eq!(g.system_channel_id, Some(channels[0].id));
    assert!(matches!(
        guild(db, owner.id, 1).await,
        Err(StoreError::LimitReached(_))
    ));
    // A stranger has no view of the guild at all.
    let stranger = db.register("stranger", None).await.unwrap();
    assert!(
        db.store
            .guild_context(g.id, stranger.id)
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn deleting_roles_channels_and_members_takes_their_grants_with_them(db: &TestDb) {
    let owner = owner_of_open_instance(db).await;
    let g = guild(db, owner.id, 10).await.unwrap();
    let member = db.register("member", None).await.unwrap();
    let code = invite(db, &g, owner.id, 0).await;
    db.store
        .join_guild(&code, member.id, db.now, 10)
        .await
        .unwrap();
    let mods = role(db, g.id, Permissions::KICK_MEMBERS).await;
    assert!(
        db.store
            .add_member_role(
                g.id,
                member.id,
                mods.id,
                &entry(db, g.id, AuditAction::MemberRoleUpdate)
            )
            .await
            .unwrap()
    );
    let category = channel(db, g.id, ChannelKind::Category, None, vec![])
        .await
        .unwrap();
    let child = channel(
        db,
        g.id,
        ChannelKind::Text,
        Some(category.id),
        vec![
            deny_view(mods.id, OverwriteKind::Role),
            deny_view(member.id, OverwriteKind::Member),
        ],
    )
    .await
    .unwrap();
    assert_eq!(child.overwrites.len(), 2);
    // A text channel is not a category, and another guild's category is not this guild's.
    assert!(matches!(
        channel(db, g.id, ChannelKind::Text, Some(child.id), vec![]).await,
        Err(StoreError::Missing("parent_id"))
    ));

    let role_deleted = entry(db, g.id, AuditAction::RoleDelete);
    assert!(
        db.store
            .delete_role(g.id, mods.id, &role_deleted)
            .await
            .unwrap()
    );
    let member_now = db.store.member(g.id, member.id).await.unwrap().unwrap();
    assert!(member_now.roles.is_empty());
    let child_now = db.store.channel_by_id(child.id).await.unwrap().unwrap();
    assert_eq!(
        child_now.overwrites,
        vec![deny_view(member.id, OverwriteKind::Member)]
    );
    assert!(
        !db.store
            .delete_role(g.id, g.id, &role_deleted)
            .await
            .unwrap(),
        "@everyone stays"
    );

    assert!(db.store.remove_member(g.id, member.id).await.unwrap());
    let child_now = db.store.channel_by_id(child.id).await.unwrap().unwrap();
    assert!(
        child_now.overwrites.is_empty(),
        "member overwrites leave with the member"
    );

    let channel_deleted = entry(db, g.id, AuditAction::ChannelDelete);
    assert!(
        db.store
            .delete_channel(category.id, &channel_deleted)
            .await
            .unwrap()
    );
    let child_now = db.store.channel_by_id(child.id).await.unwrap().unwrap();
    assert_eq!(child_now.parent_id, None);
    assert!(
        db.store
            .delete_channel(
                g.system_channel_id.unwrap(),
                &entry(db, g.id, AuditAction::ChannelDelete)
            )
            .await
            .unwrap()
    );
    assert_eq!(
        db.store
            .guild_by_id(g.id)
            .await
            .unwrap()
            .unwrap()
            .system_channel_id,
        None
    );
}

pub async fn joining_consumes_one_use_once_and_bans_keep_users_out(db: &TestDb) {
    let owner = owner_of_open_instance(db).await;
    let g = guild(db, owner.id, 10).await.unwrap();
    let code = invite(db, &g, owner.id, 2).await;
    let ann = db.register("ann", None).await.unwrap();
    let joined = db
        .store
        .join_guild(&code, ann.id, db.now, 10)
        .await
        .unwrap();
    assert!(joined.is_new);
    let again = db
        .store
        .join_guild(&code, ann.id, db.now, 10)
        .await
        .unwrap();
    assert!(!again.is_new, "a member joining again consumes nothing");
    assert_eq!(db.store.guild_invite(&code).await.unwrap().unwrap().uses, 1);

    let bob = db.register("bob", None).await.unwrap();
    db.store
        .ban_member(
            g.id,
            bob.id,
            Some("spam"),
            owner.id,
            db.now,
            None,
            &entry(db, g.id, AuditAction::MemberBanAdd),
        )
        .await
        .unwrap();
    assert!(matches!(
        db.store.join_guild(&code, bob.id, db.now, 10).await,
        Err(JoinError::Banned)
    ));
    assert_eq!(db.store.guild_invite(&code).await.unwrap().unwrap().uses, 1);
    let bans = db
        .store
        .bans(g.id, Snowflake::from_db(0), 10)
        .await
        .unwrap();
    assert_eq!(bans.len(), 1);
    assert_eq!(bans[0].reason.as_deref(), Some("spam"));
    assert!(
        db.store
            .unban_member(g.id, bob.id, &entry(db, g.id, AuditAction::MemberBanRemove))
            .await
            .unwrap()
    );
    db.store
        .join_guild(&code, bob.id, db.now, 10)
        .await
        .unwrap();
    let carol = db.register("carol", None).await.unwrap();
    assert!(matches!(
        db.store.join_guild(&code, carol.id, db.now, 10).await,
        Err(JoinError::InvalidInvite)
    ));
    assert_eq!(db.store.member_count(g.id).await.unwrap(), 3);
    // Banning a member removes them in the same transaction.
    assert!(
        db.store
            .ban_member(
                g.id,
                ann.id,
                None,
                owner.id,
                db.now,
                None,
                &entry(db, g.id, AuditAction::MemberBanAdd)
            )
            .await
            .unwrap()
            .was_member
    );
    assert!(db.store.member(g.id, ann.id).await.unwrap().is_none());
}

/// Community rows for the snapshot round-trip: one row or more in every community table.
pub async fn populate(db: &TestDb, owner: Snowflake, member: Snowflake, banned: Snowflake) {
    let g = guild(db, owner, 10).await.unwrap();
    let code = invite(db, &g, owner, 5).await;
    db.store
        .join_guild(&code, member, db.now, 10)
        .await
        .unwrap();
    let mods = role(
        db,
        g.id,
        Permissions::MANAGE_MESSAGES | Permissions::KICK_MEMBERS,
    )
    .await;
    db.store
        .add_member_role(
            g.id,
            member,
            mods.id,
            &entry(db, g.id, AuditAction::MemberRoleUpdate),
        )
        .await
        .unwrap();
    let category = channel(db, g.id, ChannelKind::Category, None, vec![])
        .await
        .unwrap();
    channel(
        db,
        g.id,
        ChannelKind::Text,
        Some(category.id),
        vec![
            deny_view(g.id, OverwriteKind::Role),
            Overwrite {
                id: mods.id,
                kind: OverwriteKind::Role,
                allow: Permissions::VIEW_CHANNEL,
                deny: Permissions::empty(),
            },
        ],
    )
    .await
    .unwrap();
    db.store
        .ban_member(
            g.id,
            banned,
            Some("ban \"reason\" ✨"),
            owner,
            db.now,
            None,
            &entry(db, g.id, AuditAction::MemberBanAdd),
        )
        .await
        .unwrap();
}
