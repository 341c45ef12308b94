//! Presence: what a user shows others (online, idle, dnd, invisible) and their custom status.
//!
//! A user is online while any of their sessions is connected; the most recent op 3 from any session
//! sets the status. Invisible users look offline to everyone else.

use hearth_protocol::gateway::{Activity, Presence, PresenceUpdate, PresenceUser};

/// Longest custom status or activity name kept, in characters.
const ACTIVITY_TEXT_MAX_CHARS: usize = 128;
/// Activities kept per user.
const MAX_ACTIVITIES: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Online,
    Idle,
    Dnd,
    Invisible,
    Offline,
}

impl Status {
    fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "online" => Self::Online,
            "idle" => Self::Idle,
            "dnd" => Self::Dnd,
            "invisible" => Self::Invisible,
            // Discord accepts "offline" from clients as invisible.
            "offline" => Self::Invisible,
            _ => return None,
        })
    }

    /// What others see.
    fn shown(self) -> &'static str {
        match self {
            Self::Online => "online",
            Self::Idle => "idle",
            Self::Dnd => "dnd",
            Self::Invisible | Self::Offline => "offline",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PresenceState {
    pub status: Status,
    pub activities: Vec<Activity>,
}

impl PresenceState {
    pub fn online() -> Self {
        Self {
            status: Status::Online,
            activities: Vec::new(),
        }
    }

    pub fn offline() -> Self {
        Self {
            status: Status::Offline,
            activities: Vec::new(),
        }
    }

    /// Parses op 3 (or Identify's presence); `None` for an unknown status.
    pub fn parse(update: &PresenceUpdate) -> Option<Self> {
        let status = Status::parse(&update.status)?;
        let activities = update
            .activities
            .iter()
            .take(MAX_ACTIVITIES)
            .map(|a| Activity {
                name: truncate(&a.name),
                kind: a.kind,
                state: a.state.as_deref().map(truncate),
            })
            .collect();
        Some(Self { status, activities })
    }

    /// Whether others see this user as online in some form.
    pub fn is_visible(&self) -> bool {
        !matches!(self.status, Status::Invisible | Status::Offline)
    }

    /// The presence as others see it: invisible users look offline and show no activity.
    pub fn shown(&self, user_id: &str, guild_id: Option<String>) -> Presence {
        Presence {
            user: PresenceUser {
                id: user_id.to_owned(),
            },
            guild_id,
            status: self.status.shown().to_owned(),
            activities: if self.is_visible() {
                self.activities.clone()
            } else {
                Vec::new()
            },
        }
    }
}

fn truncate(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .take(ACTIVITY_TEXT_MAX_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_users_look_offline_without_activities() {
        let update = PresenceUpdate {
            since: None,
            activities: vec![Activity {
                name: "Custom Status".into(),
                kind: 4,
                state: Some("busy\u{0007}".into()),
            }],
            status: "invisible".into(),
            afk: false,
        };
        let presence = PresenceState::parse(&update).unwrap();
        let shown = presence.shown("1", None);
        assert_eq!(shown.status, "offline");
        assert!(shown.activities.is_empty());
        let online = PresenceState::parse(&PresenceUpdate {
            status: "dnd".into(),
            ..update
        })
        .unwrap();
        assert_eq!(
            online.shown("1", None).activities[0].state.as_deref(),
            Some("busy")
        );
        assert!(
            PresenceState::parse(&PresenceUpdate {
                status: "sleeping".into(),
                since: None,
                activities: vec![],
                afk: false
            })
            .is_none()
        );
    }
}
