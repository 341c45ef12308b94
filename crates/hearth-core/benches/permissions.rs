//! How long permission resolution takes for a typical member: it runs for every member on every event
//! fan-out, so it must stay in the tens of nanoseconds.

use divan::{Bencher, black_box};
use hearth_core::{Overwrite, OverwriteKind, Permissions, Snowflake, Subject};

fn main() {
    divan::main();
}

const GUILD_ID: i64 = 1_000;
const USER_ID: i64 = 2_000;

/// Ten roles with one permission each, so that the union does real work.
fn ten_roles() -> Vec<(Snowflake, Permissions)> {
    (0..10)
        .map(|i| {
            let bit = Permissions::all().iter().nth(i * 3).unwrap();
            (Snowflake::from_db(GUILD_ID + 1 + i as i64), bit)
        })
        .collect()
}

/// The usual mix: @everyone, two held roles, one role not held, and the member.
fn five_overwrites() -> Vec<Overwrite> {
    let role = |id, allow, deny| Overwrite {
        id: Snowflake::from_db(id),
        kind: OverwriteKind::Role,
        allow,
        deny,
    };
    vec![
        role(GUILD_ID, Permissions::empty(), Permissions::SEND_MESSAGES),
        role(
            GUILD_ID + 3,
            Permissions::SEND_MESSAGES,
            Permissions::empty(),
        ),
        role(
            GUILD_ID + 9,
            Permissions::empty(),
            Permissions::ATTACH_FILES,
        ),
        role(
            GUILD_ID + 500,
            Permissions::MANAGE_MESSAGES,
            Permissions::empty(),
        ),
        Overwrite {
            id: Snowflake::from_db(USER_ID),
            kind: OverwriteKind::Member,
            allow: Permissions::EMBED_LINKS,
            deny: Permissions::empty(),
        },
    ]
}

fn subject(roles: &[(Snowflake, Permissions)]) -> Subject<'_> {
    Subject {
        guild_id: Snowflake::from_db(GUILD_ID),
        user_id: Snowflake::from_db(USER_ID),
        is_owner: false,
        is_timed_out: false,
        everyone: Permissions::DEFAULT_EVERYONE,
        roles,
    }
}

#[divan::bench]
fn channel_permissions_10_roles_5_overwrites(bencher: Bencher) {
    let roles = ten_roles();
    let overwrites = five_overwrites();
    let member = subject(&roles);
    bencher.bench_local(|| black_box(member).channel_permissions(black_box(&overwrites)));
}

#[divan::bench]
fn guild_permissions_10_roles(bencher: Bencher) {
    let roles = ten_roles();
    let member = subject(&roles);
    bencher.bench_local(|| black_box(member).guild_permissions());
}
