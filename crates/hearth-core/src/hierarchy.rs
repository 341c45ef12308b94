//! The role hierarchy: who may manage which role or member, and which permissions someone may hand out.
//!
//! Intended use, as in Discord:
//! - managing a role (edit, delete, assign it to or remove it from a member) needs MANAGE_ROLES and
//!   [`Actor::outranks_role`];
//! - acting on a member (kick, ban, time out, change nickname, change roles) needs the matching
//!   permission and [`Actor::outranks_member`];
//! - setting a role's permissions or an overwrite's allow/deny needs [`Actor::can_grant`] for the bits
//!   being *changed*, which the caller computes as `old ^ new`: nobody can hand out, or take away, a
//!   permission they do not hold themselves.

use std::cmp::Ordering;

use crate::{Permissions, Snowflake};

/// A role's place in the guild's order: higher `position` ranks higher; on equal positions the older role
/// (smaller id) ranks higher (Discord's tie-break). `a > b` means `a` ranks above `b`.
///
/// @everyone is position 0 with the guild's id, the oldest id in the guild, so other roles belong at
/// positions from 1 up: at position 0 they would rank below @everyone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RoleRank {
    pub position: i32,
    pub id: Snowflake,
}

impl RoleRank {
    /// The @everyone role's rank, which is a member's top rank when they have no other role.
    pub fn everyone(guild_id: Snowflake) -> Self {
        Self {
            position: 0,
            id: guild_id,
        }
    }
}

impl Ord for RoleRank {
    fn cmp(&self, other: &Self) -> Ordering {
        self.position
            .cmp(&other.position)
            .then_with(|| other.id.cmp(&self.id))
    }
}

impl PartialOrd for RoleRank {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The acting member as the hierarchy sees them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub is_owner: bool,
    /// Their highest role; [`RoleRank::everyone`] when they have no other role.
    pub top_role: RoleRank,
    /// Their guild-level permissions ([`crate::Subject::guild_permissions`]).
    pub permissions: Permissions,
}

impl Actor {
    /// The owner outranks every role; anyone else only roles strictly below their top role, so that
    /// nobody can manage their own top role or a peer's.
    pub fn outranks_role(&self, role: RoleRank) -> bool {
        self.is_owner || self.top_role > role
    }

    /// The owner outranks everyone and nobody outranks the owner; otherwise top roles compare strictly.
    /// Acting on oneself is the caller's concern (Discord lets members change their own nickname).
    pub fn outranks_member(&self, target_is_owner: bool, target_top: RoleRank) -> bool {
        if self.is_owner {
            return true;
        }
        !target_is_owner && self.top_role > target_top
    }

    /// Whether the actor may add or remove `perms` on a role or an overwrite.
    pub fn can_grant(&self, perms: Permissions) -> bool {
        self.is_owner
            || self.permissions.contains(Permissions::ADMINISTRATOR)
            || self.permissions.contains(perms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rank(position: i32, id: i64) -> RoleRank {
        RoleRank {
            position,
            id: Snowflake::from_db(id),
        }
    }

    fn member(top_role: RoleRank, permissions: Permissions) -> Actor {
        Actor {
            is_owner: false,
            top_role,
            permissions,
        }
    }

    #[test]
    fn higher_positions_rank_higher_and_older_roles_win_ties() {
        assert!(rank(2, 900) > rank(1, 100));
        assert!(rank(1, 100) > rank(1, 200));
        assert_eq!(rank(1, 100).cmp(&rank(1, 100)), Ordering::Equal);
    }

    #[test]
    fn a_member_manages_only_roles_strictly_below_their_top_role() {
        let moderator = member(rank(5, 50), Permissions::MANAGE_ROLES);
        assert!(moderator.outranks_role(rank(4, 10)));
        assert!(moderator.outranks_role(rank(5, 60)));
        assert!(!moderator.outranks_role(rank(5, 50)));
        assert!(!moderator.outranks_role(rank(5, 40)));
        assert!(!moderator.outranks_role(rank(6, 70)));
    }

    #[test]
    fn a_member_with_no_role_outranks_no_role() {
        let guild = Snowflake::from_db(1);
        let nobody = member(RoleRank::everyone(guild), Permissions::empty());
        assert!(!nobody.outranks_role(RoleRank::everyone(guild)));
        assert!(!nobody.outranks_role(rank(1, 2)));
    }

    #[test]
    fn the_owner_outranks_everyone_and_nobody_outranks_the_owner() {
        let owner = Actor {
            is_owner: true,
            top_role: RoleRank::everyone(Snowflake::from_db(1)),
            permissions: Permissions::all(),
        };
        assert!(owner.outranks_role(rank(100, 5)));
        assert!(owner.outranks_member(false, rank(100, 5)));
        let admin = member(rank(100, 5), Permissions::ADMINISTRATOR);
        assert!(!admin.outranks_member(true, RoleRank::everyone(Snowflake::from_db(1))));
        assert!(admin.outranks_member(false, rank(99, 6)));
        assert!(!admin.outranks_member(false, rank(100, 5)));
    }

    #[test]
    fn members_grant_only_what_they_hold_unless_owner_or_administrator() {
        let moderator = member(
            rank(3, 3),
            Permissions::MANAGE_ROLES | Permissions::KICK_MEMBERS,
        );
        assert!(moderator.can_grant(Permissions::KICK_MEMBERS));
        assert!(moderator.can_grant(Permissions::empty()));
        assert!(!moderator.can_grant(Permissions::KICK_MEMBERS | Permissions::BAN_MEMBERS));
        assert!(member(rank(3, 3), Permissions::ADMINISTRATOR).can_grant(Permissions::all()));
        let owner = Actor {
            is_owner: true,
            ..member(rank(0, 1), Permissions::empty())
        };
        assert!(owner.can_grant(Permissions::all()));
    }

    fn any_rank() -> impl Strategy<Value = RoleRank> {
        // Small ranges so that equal positions and equal ids actually occur.
        (0i32..4, 1i64..5).prop_map(|(position, id)| rank(position, id))
    }

    fn any_permissions() -> impl Strategy<Value = Permissions> {
        any::<u64>().prop_map(Permissions::from_bits_truncate)
    }

    proptest! {
        #[test]
        fn rank_order_is_total_and_consistent(a in any_rank(), b in any_rank(), c in any_rank()) {
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            prop_assert_eq!(a.cmp(&b) == Ordering::Equal, a == b);
            if a <= b && b <= c {
                prop_assert!(a <= c);
            }
        }

        #[test]
        fn a_member_never_outranks_a_role_at_or_above_their_top(top in any_rank(), role in any_rank()) {
            let actor = member(top, Permissions::all());
            if role >= top {
                prop_assert!(!actor.outranks_role(role));
                prop_assert!(!actor.outranks_member(false, role));
            }
            prop_assert!(!actor.outranks_member(true, role));
        }

        #[test]
        fn can_grant_is_monotone(
            held in any_permissions(),
            more in any_permissions(),
            wanted in any_permissions(),
            fewer in any_permissions(),
        ) {
            let actor = member(rank(1, 1), held);
            let stronger = member(rank(1, 1), held | more);
            if actor.can_grant(wanted) {
                prop_assert!(stronger.can_grant(wanted));
                prop_assert!(actor.can_grant(wanted & fewer));
            }
        }
    }
}
