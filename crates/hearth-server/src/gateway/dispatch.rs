//! The dispatcher: one task per node that decides, for every published event, which connected
//! sessions receive it, and keeps the guild state those decisions need.
//!
//! It consumes the event bus in publication order. Audiences are resolved against the guild state as
//! of each event, so a member who loses VIEW_CHANNEL receives nothing more from that channel from the
//! event that removed it on; sessions whose set of visible channels changes get CHANNEL_DELETE or
//! CHANNEL_CREATE. A guild's state is loaded from the store when a member connects; events for it
//! wait in order until the load finishes. Delivery appends a shared `Arc<Dispatch>` to each
//! recipient's outbox and never waits for a socket, so a slow client cannot slow anyone else.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use hearth_core::{Permissions, Snowflake};
use hearth_protocol::events::{Event, GuildDeleted, GuildMemberRemoved};
use hearth_store::Store;
use tokio::sync::{broadcast, mpsc, oneshot};

use super::guild_state::{Effect, GuildState};
use super::outbox::Outbox;
use super::presence::PresenceState;
use crate::bus::{Audience, Dispatch, EventBus};
use crate::http::views;

/// One identified gateway session, connected or waiting to be resumed.
pub struct SessionHandle {
    pub id: String,
    pub user_id: Snowflake,
    pub outbox: Outbox,
    /// Bumped by each connection that attaches; a detached session expires only if no connection
    /// attached since it was detached.
    attachment: Mutex<Attachment>,
}

#[derive(Debug, Clone, Copy)]
struct Attachment {
    generation: u64,
    connected: bool,
}

impl SessionHandle {
    pub fn new(id: String, user_id: Snowflake, outbox: Outbox) -> Self {
        Self {
            id,
            user_id,
            outbox,
            attachment: Mutex::new(Attachment {
                generation: 1,
                connected: true,
            }),
        }
    }

    /// Attaches a new connection; returns its generation.
    pub fn attach(&self) -> u64 {
        let mut a = self.attachment.lock().unwrap_or_else(|e| e.into_inner());
        a.generation += 1;
        a.connected = true;
        a.generation
    }

    /// Detaches connection `generation` (if it is still the attached one); returns whether it was.
    pub fn detach(&self, generation: u64) -> bool {
        let mut a = self.attachment.lock().unwrap_or_else(|e| e.into_inner());
        if a.generation == generation && a.connected {
            a.connected = false;
            true
        } else {
            false
        }
    }

    pub fn generation(&self) -> u64 {
        self.attachment
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .generation
    }

    /// Whether the session is detached since `generation` and nobody resumed it.
    pub fn is_detached_since(&self, generation: u64) -> bool {
        let a = self.attachment.lock().unwrap_or_else(|e| e.into_inner());
        a.generation == generation && !a.connected
    }
}

pub enum Command {
    Register {
        session: Arc<SessionHandle>,
        guilds: Vec<Snowflake>,
        presence: PresenceState,
    },
    Unregister {
        session_id: String,
        user_id: Snowflake,
    },
    Loaded {
        guild_id: Snowflake,
        generation: u64,
        state: Option<GuildState>,
    },
    SetPresence {
        user_id: Snowflake,
        presence: PresenceState,
    },
    /// The visible presences of a guild's connected members.
    Presences {
        guild_id: Snowflake,
        reply: oneshot::Sender<Vec<(Snowflake, PresenceState)>>,
    },
}

struct UserEntry {
    sessions: Vec<Arc<SessionHandle>>,
    guilds: HashSet<Snowflake>,
    presence: PresenceState,
}

struct GuildEntry {
    state: Option<GuildState>,
    /// Events that arrived while the state was loading, in order.
    pending: VecDeque<Arc<Dispatch>>,
    /// Connected users of this guild.
    members: HashSet<Snowflake>,
    /// Identifies the load in flight; a load finishing with an older generation is ignored.
    generation: u64,
}

pub struct Dispatcher {
    store: Store,
    bus: EventBus,
    commands: mpsc::Sender<Command>,
    users: HashMap<Snowflake, UserEntry>,
    guilds: HashMap<Snowflake, GuildEntry>,
}

impl Dispatcher {
    pub fn new(store: Store, bus: EventBus, commands: mpsc::Sender<Command>) -> Self {
        Self {
            store,
            bus,
            commands,
            users: HashMap::new(),
            guilds: HashMap::new(),
        }
    }

    pub async fn run(
        mut self,
        mut events: broadcast::Receiver<Arc<Dispatch>>,
        mut commands: mpsc::Receiver<Command>,
    ) {
        loop {
            tokio::select! {
                // Commands first: a registration must take effect before later events are routed.
                biased;
                command = commands.recv() => match command {
                    Some(command) => self.command(command),
                    None => return,
                },
                event = events.recv() => match event {
                    Ok(dispatch) => self.event(dispatch),
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        // Every session may have missed something; none can be trusted to resume.
                        tracing::error!(missed, "the dispatcher fell behind the event bus; dropping every session");
                        self.drop_everything();
                    }
                    Err(broadcast::error::RecvError::Closed) => return,
                },
            }
        }
    }

    fn command(&mut self, command: Command) {
        match command {
            Command::Register {
                session,
                guilds,
                presence,
            } => self.register(session, guilds, presence),
            Command::Unregister {
                session_id,
                user_id,
            } => self.unregister(&session_id, user_id),
            Command::Loaded {
                guild_id,
                generation,
                state,
            } => self.loaded(guild_id, generation, state),
            Command::SetPresence { user_id, presence } => self.set_presence(user_id, presence),
            Command::Presences { guild_id, reply } => {
                let presences = self
                    .guilds
                    .get(&guild_id)
                    .map(|g| {
                        g.members
                            .iter()
                            .filter_map(|u| self.users.get(u).map(|e| (*u, e.presence.clone())))
                            .filter(|(_, p)| p.is_visible())
                            .collect()
                    })
                    .unwrap_or_default();
                let _ = reply.send(presences);
            }
        }
    }

    fn register(
        &mut self,
        session: Arc<SessionHandle>,
        guilds: Vec<Snowflake>,
        presence: PresenceState,
    ) {
        let user_id = session.user_id;
        let first = !self.users.contains_key(&user_id);
        let entry = self.users.entry(user_id).or_insert_with(|| UserEntry {
            sessions: Vec::new(),
            guilds: HashSet::new(),
            presence: presence.clone(),
        });
        entry.sessions.push(session);
        for guild_id in guilds {
            entry.guilds.insert(guild_id);
        }
        let guilds: Vec<Snowflake> = entry.guilds.iter().copied().collect();
        for guild_id in guilds {
            self.join_guild(guild_id, user_id);
        }
        if first {
            self.announce_presence(user_id);
        } else if presence != self.users[&user_id].presence {
            self.set_presence(user_id, presence);
        }
    }

    fn unregister(&mut self, session_id: &str, user_id: Snowflake) {
        let Some(entry) = self.users.get_mut(&user_id) else {
            return;
        };
        entry.sessions.retain(|s| s.id != session_id);
        if !entry.sessions.is_empty() {
            return;
        }
        // The user's last session ended: they go offline and stop counting as connected anywhere.
        let was_visible = entry.presence.is_visible();
        let guilds: Vec<Snowflake> = entry.guilds.iter().copied().collect();
        if was_visible {
            self.publish_presence(user_id, &PresenceState::offline(), &guilds);
        }
        self.users.remove(&user_id);
        for guild_id in &guilds {
            self.leave_guild(*guild_id, user_id);
        }
        self.remove_if_temporary(user_id, guilds);
    }

    /// Members who joined through a temporary invite and were given no role leave when they go
    /// offline (Discord's rule). Done off the dispatcher's task: it touches the store.
    fn remove_if_temporary(&self, user_id: Snowflake, guilds: Vec<Snowflake>) {
        let store = self.store.clone();
        let bus = self.bus.clone();
        tokio::spawn(async move {
            for guild_id in guilds {
                let member = match store.member(guild_id, user_id).await {
                    Ok(Some(member)) if member.is_temporary && member.roles.is_empty() => member,
                    Ok(_) => continue,
                    Err(e) => {
                        tracing::warn!(error = %e, "could not check a temporary membership");
                        continue;
                    }
                };
                match store.remove_member(guild_id, user_id).await {
                    Ok(true) => {
                        bus.publish(
                            Audience::Guild(guild_id),
                            &Event::GuildMemberRemove(GuildMemberRemoved {
                                guild_id: guild_id.to_string(),
                                user: views::user(&member.user),
                            }),
                        );
                        bus.publish(
                            Audience::User(user_id),
                            &Event::GuildDelete(GuildDeleted {
                                id: guild_id.to_string(),
                                unavailable: false,
                            }),
                        );
                    }
                    Ok(false) => {}
                    Err(e) => tracing::warn!(error = %e, "could not remove a temporary member"),
                }
            }
        });
    }

    /// Counts `user_id` as a connected member of the guild, loading what the dispatcher needs.
    fn join_guild(&mut self, guild_id: Snowflake, user_id: Snowflake) {
        let entry = self.guilds.entry(guild_id).or_insert_with(|| GuildEntry {
            state: None,
            pending: VecDeque::new(),
            members: HashSet::new(),
            generation: 0,
        });
        if !entry.members.insert(user_id)
            && entry.state.as_ref().is_some_and(|s| s.has_member(user_id))
        {
            return;
        }
        // Reload the whole guild: a load is a handful of queries, and it makes the member's roles and
        // every other piece of state consistent as of one moment after this registration.
        self.start_load(guild_id);
    }

    fn leave_guild(&mut self, guild_id: Snowflake, user_id: Snowflake) {
        if let Some(entry) = self.guilds.get_mut(&guild_id) {
            entry.members.remove(&user_id);
            if let Some(state) = entry.state.as_mut() {
                state.remove_member(user_id);
            }
            if entry.members.is_empty() {
                self.guilds.remove(&guild_id);
            }
        }
    }

    fn start_load(&mut self, guild_id: Snowflake) {
        let Some(entry) = self.guilds.get_mut(&guild_id) else {
            return;
        };
        entry.generation += 1;
        if let Some(state) = entry.state.take() {
            // Events that arrive while reloading wait; the old state is dropped, not consulted.
            drop(state);
        }
        let generation = entry.generation;
        let members: Vec<Snowflake> = entry.members.iter().copied().collect();
        let store = self.store.clone();
        let commands = self.commands.clone();
        tokio::spawn(async move {
            let state = load_guild(&store, guild_id, &members).await;
            if let Err(e) = &state {
                tracing::error!(guild = %guild_id, error = %e, "could not load guild state");
            }
            let _ = commands
                .send(Command::Loaded {
                    guild_id,
                    generation,
                    state: state.ok().flatten(),
                })
                .await;
        });
    }

    fn loaded(&mut self, guild_id: Snowflake, generation: u64, state: Option<GuildState>) {
        let Some(entry) = self.guilds.get_mut(&guild_id) else {
            return;
        };
        if entry.generation != generation {
            return;
        }
        let Some(state) = state else {
            // The guild is gone (or unreadable): nobody here can receive its events.
            let pending = std::mem::take(&mut entry.pending);
            self.guilds.remove(&guild_id);
            drop(pending);
            return;
        };
        entry.state = Some(state);
        let pending = std::mem::take(&mut entry.pending);
        for dispatch in pending {
            self.event(dispatch);
        }
    }

    fn drop_everything(&mut self) {
        for entry in self.users.values() {
            for session in &entry.sessions {
                session.outbox.invalidate();
            }
        }
        self.users.clear();
        self.guilds.clear();
    }

    fn set_presence(&mut self, user_id: Snowflake, presence: PresenceState) {
        let Some(entry) = self.users.get_mut(&user_id) else {
            return;
        };
        if entry.presence == presence {
            return;
        }
        let was_visible = entry.presence.is_visible();
        entry.presence = presence.clone();
        let guilds: Vec<Snowflake> = entry.guilds.iter().copied().collect();
        // Going invisible looks like going offline; staying invisible shows nothing.
        if was_visible || presence.is_visible() {
            self.publish_presence(user_id, &presence, &guilds);
        }
    }

    fn announce_presence(&mut self, user_id: Snowflake) {
        let Some(entry) = self.users.get(&user_id) else {
            return;
        };
        if entry.presence.is_visible() {
            let presence = entry.presence.clone();
            let guilds: Vec<Snowflake> = entry.guilds.iter().copied().collect();
            self.publish_presence(user_id, &presence, &guilds);
        }
    }

    fn publish_presence(&self, user_id: Snowflake, presence: &PresenceState, guilds: &[Snowflake]) {
        let id = user_id.to_string();
        for guild_id in guilds {
            let shown = presence.shown(&id, Some(guild_id.to_string()));
            self.bus
                .publish(Audience::Guild(*guild_id), &Event::PresenceUpdate(shown));
        }
    }

    /// Routes one published event.
    fn event(&mut self, dispatch: Arc<Dispatch>) {
        let guild_id = match &dispatch.audience {
            Audience::User(user) => {
                self.user_event(*user, dispatch);
                return;
            }
            Audience::Guild(g) => *g,
            Audience::GuildWith { guild_id, .. } => *guild_id,
            Audience::Channel { guild_id, .. } => *guild_id,
            Audience::ChannelWith { guild_id, .. } => *guild_id,
        };
        let Some(entry) = self.guilds.get_mut(&guild_id) else {
            // Nobody connected here is in this guild.
            return;
        };
        let Some(state) = entry.state.as_mut() else {
            entry.pending.push_back(dispatch);
            return;
        };
        let tracks_visibility = matches!(
            dispatch.name,
            "CHANNEL_UPDATE"
                | "CHANNEL_DELETE"
                | "GUILD_ROLE_CREATE"
                | "GUILD_ROLE_UPDATE"
                | "GUILD_ROLE_DELETE"
                | "GUILD_MEMBER_UPDATE"
                | "GUILD_UPDATE"
        );
        let members: Vec<Snowflake> = state.members().collect();
        let before: HashMap<Snowflake, HashSet<Snowflake>> = if tracks_visibility {
            members
                .iter()
                .map(|u| (*u, state.visible_channels(*u)))
                .collect()
        } else {
            HashMap::new()
        };
        // A deleted channel's audience is who could see it before it went.
        let early_recipients = (dispatch.name == "CHANNEL_DELETE")
            .then(|| recipients(state, &dispatch.audience, &members));
        let old_state = tracks_visibility.then(|| state.clone());
        let effect = state.apply(dispatch.name, &dispatch.data);
        let mut recipients =
            early_recipients.unwrap_or_else(|| recipients(state, &dispatch.audience, &members));
        // The channel an update is about: who just gained it gets CHANNEL_CREATE instead.
        let updated_channel = match (&dispatch.audience, dispatch.name) {
            (Audience::Channel { channel_id, .. }, "CHANNEL_UPDATE") => Some(*channel_id),
            _ => None,
        };
        if let Some(channel) = updated_channel {
            recipients.retain(|u| before.get(u).is_none_or(|b| b.contains(&channel)));
        }
        self.deliver(&recipients, &dispatch);
        if effect == Effect::Deleted {
            self.guild_deleted(guild_id);
            return;
        }
        if let Some(old_state) = old_state {
            self.announce_visibility_changes(guild_id, &old_state, before);
        }
    }

    /// Sends CHANNEL_DELETE for channels a member can no longer view and CHANNEL_CREATE for channels
    /// they now can.
    fn announce_visibility_changes(
        &mut self,
        guild_id: Snowflake,
        old_state: &GuildState,
        before: HashMap<Snowflake, HashSet<Snowflake>>,
    ) {
        let Some(state) = self.guilds.get(&guild_id).and_then(|e| e.state.as_ref()) else {
            return;
        };
        // One serialization per (event, channel), shared by every member it concerns.
        let mut created: HashMap<Snowflake, (Arc<Dispatch>, Vec<Snowflake>)> = HashMap::new();
        let mut deleted: HashMap<Snowflake, (Arc<Dispatch>, Vec<Snowflake>)> = HashMap::new();
        for (user, was) in &before {
            if !state.has_member(*user) {
                continue;
            }
            let now = state.visible_channels(*user);
            for gained in now.difference(was) {
                if let Some(channel) = state.channel(*gained) {
                    created
                        .entry(*gained)
                        .or_insert_with(|| {
                            (
                                local(Event::ChannelCreate(channel.clone()), *user),
                                Vec::new(),
                            )
                        })
                        .1
                        .push(*user);
                }
            }
            for lost in was.difference(&now) {
                // A deleted channel was already announced by its own CHANNEL_DELETE.
                if state.channel(*lost).is_none() {
                    continue;
                }
                if let Some(channel) = old_state.channel(*lost) {
                    deleted
                        .entry(*lost)
                        .or_insert_with(|| {
                            (
                                local(Event::ChannelDelete(channel.clone()), *user),
                                Vec::new(),
                            )
                        })
                        .1
                        .push(*user);
                }
            }
        }
        for (dispatch, users) in deleted.into_values().chain(created.into_values()) {
            self.deliver(&users, &dispatch);
        }
    }

    fn guild_deleted(&mut self, guild_id: Snowflake) {
        if let Some(entry) = self.guilds.remove(&guild_id) {
            for user in entry.members {
                if let Some(u) = self.users.get_mut(&user) {
                    u.guilds.remove(&guild_id);
                }
            }
        }
    }

    /// Events addressed to one user: guild membership changes and their own state.
    fn user_event(&mut self, user: Snowflake, dispatch: Arc<Dispatch>) {
        if !self.users.contains_key(&user) {
            return;
        }
        let guild_id = match dispatch.name {
            "GUILD_CREATE" | "GUILD_DELETE" => guild_id_of(&dispatch.data),
            _ => None,
        };
        self.deliver(&[user], &dispatch);
        match (dispatch.name, guild_id) {
            ("GUILD_CREATE", Some(g)) => {
                if let Some(u) = self.users.get_mut(&user) {
                    u.guilds.insert(g);
                }
                self.join_guild(g, user);
            }
            ("GUILD_DELETE", Some(g)) => {
                if let Some(u) = self.users.get_mut(&user) {
                    u.guilds.remove(&g);
                }
                self.leave_guild(g, user);
            }
            _ => {}
        }
    }

    fn deliver(&self, users: &[Snowflake], dispatch: &Arc<Dispatch>) {
        for user in users {
            if let Some(entry) = self.users.get(user) {
                for session in &entry.sessions {
                    session.outbox.push(Arc::clone(dispatch));
                }
            }
        }
        metrics::counter!("hearth_gateway_deliveries_total").increment(users.len() as u64);
    }
}

/// Who among the connected members receives an event with this audience.
fn recipients(state: &GuildState, audience: &Audience, members: &[Snowflake]) -> Vec<Snowflake> {
    let wants = |user: Snowflake| match audience {
        Audience::Guild(_) => state.has_member(user),
        Audience::GuildWith { permission, .. } => {
            state.guild_permissions(user).contains(*permission)
        }
        Audience::Channel { channel_id, .. } => state
            .channel_permissions(user, *channel_id)
            .contains(Permissions::VIEW_CHANNEL),
        Audience::ChannelWith {
            channel_id,
            permission,
            ..
        } => state
            .channel_permissions(user, *channel_id)
            .contains(Permissions::VIEW_CHANNEL | *permission),
        Audience::User(u) => *u == user,
    };
    members.iter().copied().filter(|u| wants(*u)).collect()
}

/// A dispatch made by the dispatcher itself for visibility changes.
fn local(event: Event, user: Snowflake) -> Arc<Dispatch> {
    Arc::new(Dispatch {
        name: event.name(),
        audience: Audience::User(user),
        data: bytes::Bytes::from(serde_json::to_vec(&event).unwrap_or_default()),
    })
}

fn guild_id_of(data: &[u8]) -> Option<Snowflake> {
    #[derive(serde::Deserialize)]
    struct Id {
        id: String,
    }
    serde_json::from_slice::<Id>(data).ok()?.id.parse().ok()
}

/// Loads what the dispatcher needs about a guild and the given connected members; `None` when the
/// guild no longer exists.
async fn load_guild(
    store: &Store,
    guild_id: Snowflake,
    users: &[Snowflake],
) -> anyhow::Result<Option<GuildState>> {
    let Some(guild) = store.guild_by_id(guild_id).await? else {
        return Ok(None);
    };
    let roles = store.roles_of_guild(guild_id).await?;
    let channels = store.channels_of_guild(guild_id).await?;
    let mut members = Vec::with_capacity(users.len());
    for user in users {
        if let Some(member) = store.member(guild_id, *user).await? {
            members.push(member);
        }
    }
    Ok(Some(GuildState::load(&guild, &roles, &channels, &members)))
}
