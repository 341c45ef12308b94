use proptest::prelude::*;

use super::*;

type P = Permissions;

const GUILD: i64 = 1;
const USER: i64 = 50;
const OTHER_USER: i64 = 51;
const MODERATORS: i64 = 100;
const HELPERS: i64 = 101;
const ROLE_NOT_HELD: i64 = 102;

fn id(raw: i64) -> Snowflake {
    Snowflake::from_db(raw)
}

fn subject(everyone: P, roles: &[(Snowflake, P)]) -> Subject<'_> {
    Subject {
        guild_id: id(GUILD),
        user_id: id(USER),
        is_owner: false,
        is_timed_out: false,
        everyone,
        roles,
    }
}

fn role(target: i64, allow: P, deny: P) -> Overwrite {
    Overwrite {
        id: id(target),
        kind: OverwriteKind::Role,
        allow,
        deny,
    }
}

fn member(target: i64, allow: P, deny: P) -> Overwrite {
    Overwrite {
        id: id(target),
        kind: OverwriteKind::Member,
        allow,
        deny,
    }
}

const TALK: P = P::VIEW_CHANNEL.union(P::SEND_MESSAGES);
const NONE: P = P::empty();

#[test]
fn every_discord_permission_sits_at_discords_bit() {
    let table: &[(P, u32)] = &[
        (P::CREATE_INSTANT_INVITE, 0),
        (P::KICK_MEMBERS, 1),
        (P::BAN_MEMBERS, 2),
        (P::ADMINISTRATOR, 3),
        (P::MANAGE_CHANNELS, 4),
        (P::MANAGE_GUILD, 5),
        (P::ADD_REACTIONS, 6),
        (P::VIEW_AUDIT_LOG, 7),
        (P::PRIORITY_SPEAKER, 8),
        (P::STREAM, 9),
        (P::VIEW_CHANNEL, 10),
        (P::SEND_MESSAGES, 11),
        (P::SEND_TTS_MESSAGES, 12),
        (P::MANAGE_MESSAGES, 13),
        (P::EMBED_LINKS, 14),
        (P::ATTACH_FILES, 15),
        (P::READ_MESSAGE_HISTORY, 16),
        (P::MENTION_EVERYONE, 17),
        (P::USE_EXTERNAL_EMOJIS, 18),
        (P::VIEW_GUILD_INSIGHTS, 19),
        (P::CONNECT, 20),
        (P::SPEAK, 21),
        (P::MUTE_MEMBERS, 22),
        (P::DEAFEN_MEMBERS, 23),
        (P::MOVE_MEMBERS, 24),
        (P::USE_VAD, 25),
        (P::CHANGE_NICKNAME, 26),
        (P::MANAGE_NICKNAMES, 27),
        (P::MANAGE_ROLES, 28),
        (P::MANAGE_WEBHOOKS, 29),
        (P::MANAGE_GUILD_EXPRESSIONS, 30),
        (P::USE_APPLICATION_COMMANDS, 31),
        (P::REQUEST_TO_SPEAK, 32),
        (P::MANAGE_EVENTS, 33),
        (P::MANAGE_THREADS, 34),
        (P::CREATE_PUBLIC_THREADS, 35),
        (P::CREATE_PRIVATE_THREADS, 36),
        (P::USE_EXTERNAL_STICKERS, 37),
        (P::SEND_MESSAGES_IN_THREADS, 38),
        (P::USE_EMBEDDED_ACTIVITIES, 39),
        (P::MODERATE_MEMBERS, 40),
        (P::VIEW_CREATOR_MONETIZATION_ANALYTICS, 41),
        (P::USE_SOUNDBOARD, 42),
        (P::CREATE_GUILD_EXPRESSIONS, 43),
        (P::CREATE_EVENTS, 44),
        (P::USE_EXTERNAL_SOUNDS, 45),
        (P::SEND_VOICE_MESSAGES, 46),
        (P::SEND_POLLS, 49),
        (P::USE_EXTERNAL_APPS, 50),
        (P::PIN_MESSAGES, 51),
        (P::BYPASS_SLOWMODE, 52),
        (P::MANAGE_REPORTS, 60),
    ];
    for (flag, bit) in table {
        assert_eq!(flag.bits(), 1 << bit, "{flag:?}");
    }
    // The table covers every defined flag, and nothing else is defined.
    let listed = table.iter().fold(NONE, |all, (flag, _)| all | *flag);
    assert_eq!(listed, P::all());
    assert_eq!(P::all().iter().count(), table.len());
}

#[test]
fn the_default_everyone_role_can_talk_but_not_moderate() {
    let everyone = P::DEFAULT_EVERYONE;
    assert!(everyone.contains(TALK | P::READ_MESSAGE_HISTORY | P::CONNECT | P::SPEAK));
    for forbidden in [
        P::ADMINISTRATOR,
        P::MENTION_EVERYONE,
        P::MANAGE_MESSAGES,
        P::MANAGE_ROLES,
        P::MANAGE_CHANNELS,
        P::KICK_MEMBERS,
        P::BAN_MEMBERS,
        P::MODERATE_MEMBERS,
        P::MANAGE_REPORTS,
    ] {
        assert!(!everyone.intersects(forbidden), "{forbidden:?}");
    }
}

#[test]
fn the_wire_form_is_the_decimal_value_and_round_trips() {
    assert_eq!(P::ADMINISTRATOR.to_string(), "8");
    assert_eq!(P::empty().to_string(), "0");
    assert_eq!(P::parse("2112"), Ok(P::ADD_REACTIONS | P::SEND_MESSAGES));
    assert_eq!(P::parse(&P::all().to_string()), Ok(P::all()));
    assert_eq!("1024".parse::<P>(), Ok(P::VIEW_CHANNEL));
}

#[test]
fn parsing_rejects_malformed_and_undefined_values() {
    let undefined = ValidationError::Invalid("contains undefined permission bits");
    for bit in [47, 48, 53, 59, 61, 63] {
        assert_eq!(P::parse(&(1u64 << bit).to_string()), Err(undefined.clone()));
    }
    for bad in [
        "",
        "-1",
        "+8",
        "1e3",
        "0x8",
        " 8",
        "8 ",
        "8.0",
        "18446744073709551616",
    ] {
        assert!(P::parse(bad).is_err(), "{bad:?} parsed");
    }
}

#[test]
fn names_list_the_set_bits_for_messages() {
    assert_eq!(
        (P::MANAGE_ROLES | P::KICK_MEMBERS)
            .names()
            .collect::<Vec<_>>(),
        ["KICK_MEMBERS", "MANAGE_ROLES"]
    );
    assert_eq!(P::empty().names().count(), 0);
}

#[test]
fn the_store_form_is_never_negative() {
    assert!(P::all().to_db() > 0);
    assert_eq!(P::from_db(P::all().to_db()), P::all());
}

#[test]
fn guild_permissions_are_the_union_of_everyone_and_the_roles() {
    let roles = [
        (id(MODERATORS), P::KICK_MEMBERS),
        (id(HELPERS), P::MANAGE_MESSAGES),
    ];
    assert_eq!(
        subject(TALK, &roles).guild_permissions(),
        TALK | P::KICK_MEMBERS | P::MANAGE_MESSAGES
    );
}

#[test]
fn owners_and_administrators_get_everything_despite_overwrites() {
    let lockdown = [role(GUILD, NONE, P::all()), member(USER, NONE, P::all())];
    let owner = Subject {
        is_owner: true,
        is_timed_out: true,
        ..subject(NONE, &[])
    };
    assert_eq!(owner.guild_permissions(), P::all());
    assert_eq!(owner.channel_permissions(&lockdown), P::all());

    let roles = [(id(MODERATORS), P::ADMINISTRATOR)];
    let admin = Subject {
        is_timed_out: true,
        ..subject(NONE, &roles)
    };
    assert_eq!(admin.guild_permissions(), P::all());
    assert_eq!(admin.channel_permissions(&lockdown), P::all());
}

#[test]
fn a_role_allow_restores_what_the_everyone_overwrite_denies() {
    let roles = [(id(MODERATORS), NONE)];
    let overwrites = [
        role(GUILD, NONE, P::SEND_MESSAGES),
        role(MODERATORS, P::SEND_MESSAGES, NONE),
    ];
    let member_view = subject(TALK, &roles);
    assert_eq!(member_view.channel_permissions(&overwrites), TALK);
    assert_eq!(
        subject(TALK, &[]).channel_permissions(&overwrites),
        P::VIEW_CHANNEL
    );
}

#[test]
fn one_roles_allow_beats_another_roles_deny() {
    let roles = [(id(MODERATORS), NONE), (id(HELPERS), NONE)];
    // The deny is listed last so that slice order cannot be what makes the allow win.
    let overwrites = [
        role(HELPERS, P::ATTACH_FILES, NONE),
        role(MODERATORS, NONE, P::ATTACH_FILES),
    ];
    let result = subject(TALK, &roles).channel_permissions(&overwrites);
    assert!(result.contains(P::ATTACH_FILES));
}

#[test]
fn a_member_deny_beats_a_role_allow() {
    let roles = [(id(MODERATORS), NONE)];
    let overwrites = [
        role(MODERATORS, P::MANAGE_MESSAGES, NONE),
        member(USER, NONE, P::MANAGE_MESSAGES),
    ];
    let result = subject(TALK, &roles).channel_permissions(&overwrites);
    assert_eq!(result, TALK);
}

#[test]
fn a_member_allow_beats_a_role_deny() {
    let roles = [(id(MODERATORS), NONE)];
    let overwrites = [
        role(MODERATORS, NONE, P::SEND_MESSAGES),
        member(USER, P::SEND_MESSAGES, NONE),
    ];
    assert_eq!(subject(TALK, &roles).channel_permissions(&overwrites), TALK);
}

#[test]
fn overwrites_for_roles_not_held_or_other_members_are_ignored() {
    let roles = [(id(MODERATORS), NONE)];
    let overwrites = [
        role(ROLE_NOT_HELD, P::MANAGE_MESSAGES, P::SEND_MESSAGES),
        member(OTHER_USER, P::MANAGE_MESSAGES, P::SEND_MESSAGES),
        // Ids are matched together with the kind: a role overwrite with the user's id is not theirs.
        role(USER, P::MANAGE_MESSAGES, P::SEND_MESSAGES),
    ];
    assert_eq!(subject(TALK, &roles).channel_permissions(&overwrites), TALK);
}

#[test]
fn without_view_channel_nothing_is_left() {
    let overwrites = [role(GUILD, P::MANAGE_MESSAGES, P::VIEW_CHANNEL)];
    assert_eq!(
        subject(P::DEFAULT_EVERYONE, &[]).channel_permissions(&overwrites),
        NONE
    );
}

#[test]
fn without_send_messages_mentions_files_links_and_tts_go_too() {
    let everyone = TALK
        | P::MENTION_EVERYONE
        | P::ATTACH_FILES
        | P::EMBED_LINKS
        | P::SEND_TTS_MESSAGES
        | P::ADD_REACTIONS;
    let overwrites = [role(GUILD, NONE, P::SEND_MESSAGES)];
    assert_eq!(
        subject(everyone, &[]).channel_permissions(&overwrites),
        P::VIEW_CHANNEL | P::ADD_REACTIONS
    );
}

#[test]
fn a_timed_out_member_keeps_only_viewing_and_history() {
    let roles = [(id(MODERATORS), P::KICK_MEMBERS | P::MANAGE_MESSAGES)];
    let timed_out = Subject {
        is_timed_out: true,
        ..subject(P::DEFAULT_EVERYONE, &roles)
    };
    let kept = P::VIEW_CHANNEL | P::READ_MESSAGE_HISTORY;
    assert_eq!(timed_out.guild_permissions(), kept);
    let overwrites = [member(USER, P::SEND_MESSAGES | P::MANAGE_MESSAGES, NONE)];
    assert_eq!(timed_out.channel_permissions(&overwrites), kept);
}

#[test]
fn an_overwrite_cannot_grant_administrator() {
    let overwrites = [member(USER, P::ADMINISTRATOR, NONE)];
    assert_eq!(subject(TALK, &[]).channel_permissions(&overwrites), TALK);
}

// Property tests: small id spaces so that overwrites hit the guild, the user and held roles often.

fn any_permissions() -> impl Strategy<Value = P> {
    any::<u64>().prop_map(P::from_bits_truncate)
}

fn any_roles() -> impl Strategy<Value = Vec<(Snowflake, P)>> {
    // Role ids 100..=105, of which the member holds those drawn here (possibly none).
    prop::collection::btree_map(100i64..106, any_permissions(), 0..5)
        .prop_map(|roles| roles.into_iter().map(|(r, p)| (id(r), p)).collect())
}

fn any_overwrite() -> impl Strategy<Value = Overwrite> {
    let target = prop_oneof![Just(GUILD), Just(USER), Just(OTHER_USER), 100i64..108];
    let kind = prop_oneof![Just(OverwriteKind::Role), Just(OverwriteKind::Member)];
    (target, kind, any_permissions(), any_permissions()).prop_map(|(target, kind, allow, deny)| {
        Overwrite {
            id: id(target),
            kind,
            allow,
            deny,
        }
    })
}

fn any_overwrites() -> impl Strategy<Value = Vec<Overwrite>> {
    prop::collection::vec(any_overwrite(), 1..7)
}

/// A member who is neither owner nor administrator, timed out or not.
fn ordinary(everyone: P, roles: &[(Snowflake, P)], is_timed_out: bool) -> Subject<'_> {
    Subject {
        is_timed_out,
        ..subject(everyone - P::ADMINISTRATOR, roles)
    }
}

fn without_administrator(roles: &[(Snowflake, P)]) -> Vec<(Snowflake, P)> {
    roles
        .iter()
        .map(|(r, p)| (*r, *p - P::ADMINISTRATOR))
        .collect()
}

proptest! {
    #[test]
    fn adding_an_allow_never_removes_a_permission(
        everyone in any_permissions(),
        roles in any_roles(),
        timed_out in any::<bool>(),
        mut overwrites in any_overwrites(),
        which in any::<prop::sample::Index>(),
        extra in any_permissions(),
    ) {
        let who = Subject { is_timed_out: timed_out, ..subject(everyone, &roles) };
        let before = who.channel_permissions(&overwrites);
        let i = which.index(overwrites.len());
        overwrites[i].allow |= extra;
        prop_assert!(who.channel_permissions(&overwrites).contains(before));
    }

    #[test]
    fn adding_a_deny_never_adds_a_permission(
        everyone in any_permissions(),
        roles in any_roles(),
        timed_out in any::<bool>(),
        mut overwrites in any_overwrites(),
        which in any::<prop::sample::Index>(),
        extra in any_permissions(),
    ) {
        let who = Subject { is_timed_out: timed_out, ..subject(everyone, &roles) };
        let before = who.channel_permissions(&overwrites);
        let i = which.index(overwrites.len());
        overwrites[i].deny |= extra;
        prop_assert!(before.contains(who.channel_permissions(&overwrites)));
    }

    #[test]
    fn administrator_in_any_role_gives_everything_everywhere(
        everyone in any_permissions(),
        mut roles in any_roles(),
        which in any::<prop::sample::Index>(),
        timed_out in any::<bool>(),
        overwrites in any_overwrites(),
    ) {
        roles.push((id(105), NONE));
        let i = which.index(roles.len());
        roles[i].1 |= P::ADMINISTRATOR;
        let admin = Subject { is_timed_out: timed_out, ..subject(everyone, &roles) };
        prop_assert_eq!(admin.guild_permissions(), P::all());
        prop_assert_eq!(admin.channel_permissions(&overwrites), P::all());
    }

    #[test]
    fn the_owner_gets_everything(
        everyone in any_permissions(),
        roles in any_roles(),
        timed_out in any::<bool>(),
        overwrites in any_overwrites(),
    ) {
        let owner = Subject { is_owner: true, is_timed_out: timed_out, ..subject(everyone, &roles) };
        prop_assert_eq!(owner.guild_permissions(), P::all());
        prop_assert_eq!(owner.channel_permissions(&overwrites), P::all());
    }

    #[test]
    fn a_channel_grants_nothing_beyond_the_base_and_the_allows(
        everyone in any_permissions(),
        roles in any_roles(),
        timed_out in any::<bool>(),
        overwrites in any_overwrites(),
    ) {
        let roles = without_administrator(&roles);
        let who = ordinary(everyone, &roles, timed_out);
        let base = ordinary(everyone, &roles, false).guild_permissions();
        let allows = overwrites.iter().fold(NONE, |all, o| all | o.allow);
        let result = who.channel_permissions(&overwrites);
        prop_assert!((base | allows).contains(result));
        prop_assert!(!result.contains(P::ADMINISTRATOR));
        if timed_out {
            prop_assert!((P::VIEW_CHANNEL | P::READ_MESSAGE_HISTORY).contains(result));
        }
    }

    #[test]
    fn without_view_channel_a_channel_result_is_empty(
        everyone in any_permissions(),
        roles in any_roles(),
        timed_out in any::<bool>(),
        overwrites in any_overwrites(),
    ) {
        let who = Subject { is_timed_out: timed_out, ..subject(everyone, &roles) };
        let result = who.channel_permissions(&overwrites);
        prop_assert!(result.contains(P::VIEW_CHANNEL) || result.is_empty());
        if !result.contains(P::SEND_MESSAGES) {
            prop_assert!(!result.intersects(NEEDS_SEND_MESSAGES));
        }
    }

    #[test]
    fn the_order_of_roles_and_overwrites_does_not_matter(
        (roles, shuffled_roles) in any_roles().prop_flat_map(|r| (Just(r.clone()), Just(r).prop_shuffle())),
        (overwrites, shuffled_overwrites) in
            any_overwrites().prop_flat_map(|o| (Just(o.clone()), Just(o).prop_shuffle())),
        everyone in any_permissions(),
        timed_out in any::<bool>(),
    ) {
        let who = Subject { is_timed_out: timed_out, ..subject(everyone, &roles) };
        let reordered = Subject { roles: &shuffled_roles, ..who };
        prop_assert_eq!(reordered.guild_permissions(), who.guild_permissions());
        prop_assert_eq!(
            reordered.channel_permissions(&shuffled_overwrites),
            who.channel_permissions(&overwrites)
        );
    }

    #[test]
    fn parsing_round_trips_every_defined_set(perms in any_permissions()) {
        prop_assert_eq!(P::parse(&perms.to_string()), Ok(perms));
    }
}
