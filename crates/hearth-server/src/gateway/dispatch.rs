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

use hearth_core::Snowflake;
use hearth_protocol::events::{Event, GuildDeleted, GuildMemberRemoved};
use hearth_store::{MemberRecord, Store};
use tokio::sync::{broadcast, mpsc, oneshot};

use super::guild_state::{GuildState, may_change_visibility};
use super::outbox::Outbox;
use super::presence::PresenceState;
use crate::bus::{Audience, DISCONNECT_USER, Dispatch, EventBus, Revoked};
use crate::http::views;

/// One identified gateway session, connected or waiting to be resumed.
pub struct SessionHandle {
    pub id: String,
    pub user_id: Snowflake,
    pub outbox: Outbox,
    /// The sign-in session (bearer token) the connection last identified or resumed with, so that
    /// revoking that sign-in session ends this one too.
    auth_session: std::sync::atomic::AtomicI64,
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
    pub fn new(id: String, user_id: Snowflake, auth_session: Snowflake, outbox: Outbox) -> Self {
        Self {
            id,
            user_id,
            outbox,
            auth_session: std::sync::atomic::AtomicI64::new(auth_session.to_db()),
            attachment: Mutex::new(Attachment {
                generation: 1,
                connected: true,
            }),
        }
    }

    pub fn auth_session(&self) -> Snowflake {
        Snowflake::from_db(self.auth_session.load(std::sync::atomic::Ordering::Acquire))
    }

    /// Records the sign-in session a resuming connection authenticated with.
    pub fn set_auth_session(&self, auth_session: Snowflake) {
        self.auth_session
            .store(auth_session.to_db(), std::sync::atomic::Ordering::Release);
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
    /// A guild's state, loaded when its first member connected.
    Loaded {
        guild_id: Snowflake,
        epoch: u64,
        state: Option<GuildState>,
    },
    /// The rows of members who connected after the guild's state was loaded.
    MembersLoaded {
        guild_id: Snowflake,
        epoch: u64,
        members: Vec<MemberRecord>,
    },
    SetPresence {
        user_id: Snowflake,
        presence: PresenceState,
    },
    /// The visible presences of a guild's connected members, and the viewer's own.
    Presences {
        guild_id: Snowflake,
        viewer: Snowflake,
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
    /// Events that arrived while a load was in flight, in order.
    pending: VecDeque<Arc<Dispatch>>,
    /// Connected users of this guild.
    members: HashSet<Snowflake>,
    /// Identifies this entry's loads: an entry dropped and made again ignores its predecessor's.
    epoch: u64,
    /// Loads started and not yet landed; events wait while there are any.
    loads_in_flight: usize,
}

pub struct Dispatcher {
    store: Store,
    bus: EventBus,
    commands: mpsc::Sender<Command>,
    users: HashMap<Snowflake, UserEntry>,
    guilds: HashMap<Snowflake, GuildEntry>,
    next_epoch: u64,
}

impl Dispatcher {
    pub fn new(store: Store, bus: EventBus, commands: mpsc::Sender<Command>) -> Self {
        Self {
            store,
            bus,
            commands,
            users: HashMap::new(),
            guilds: HashMap::new(),
            next_epoch: 0,
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
                epoch,
                state,
            } => self.loaded(guild_id, epoch, state),
            Command::MembersLoaded {
                guild_id,
                epoch,
                members,
            } => self.members_loaded(guild_id, epoch, members),
            Command::SetPresence { user_id, presence } => self.set_presence(user_id, presence),
            Command::Presences {
                guild_id,
                viewer,
                reply,
            } => {
                let mut presences: Vec<(Snowflake, PresenceState)> = self
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
                // A member who has just joined is not in the guild's member set until the bus
                // delivers GUILD_MEMBER_ADD here, which can be after their GUILD_CREATE is built: their
                // own presence must not be missing from it (their client would list them offline).
                if !presences.iter().any(|(u, _)| *u == viewer)
                    && let Some(entry) = self.users.get(&viewer).filter(|e| e.presence.is_visible())
                {
                    presences.push((viewer, entry.presence.clone()));
                }
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

    /// Counts `user_id` as a connected member of the guild, loading what the dispatcher needs: the
    /// whole guild for its first connected member, only the member's own row after that.
    fn join_guild(&mut self, guild_id: Snowflake, user_id: Snowflake) {
        let next_epoch = &mut self.next_epoch;
        let entry = self.guilds.entry(guild_id).or_insert_with(|| {
            *next_epoch += 1;
            GuildEntry {
                state: None,
                pending: VecDeque::new(),
                members: HashSet::new(),
                epoch: *next_epoch,
                loads_in_flight: 0,
            }
        });
        let is_new = entry.members.insert(user_id);
        match &entry.state {
            Some(state) if !state.has_member(user_id) => self.load_members(guild_id, vec![user_id]),
            // Not loaded yet: the load in flight (or about to start) reads every connected member.
            None if is_new && entry.loads_in_flight == 0 => self.load_guild(guild_id),
            _ => {}
        }
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

    fn load_guild(&mut self, guild_id: Snowflake) {
        let Some(entry) = self.guilds.get_mut(&guild_id) else {
            return;
        };
        entry.loads_in_flight += 1;
        let epoch = entry.epoch;
        let members: Vec<Snowflake> = entry.members.iter().copied().collect();
        let store = self.store.clone();
        let commands = self.commands.clone();
        tokio::spawn(async move {
            let state = read_guild_state(&store, guild_id, &members).await;
            if let Err(e) = &state {
                tracing::error!(guild = %guild_id, error = %e, "could not load guild state");
            }
            let state = state.ok().flatten();
            let _ = commands
                .send(Command::Loaded {
                    guild_id,
                    epoch,
                    state,
                })
                .await;
        });
    }

    fn load_members(&mut self, guild_id: Snowflake, users: Vec<Snowflake>) {
        let Some(entry) = self.guilds.get_mut(&guild_id) else {
            return;
        };
        entry.loads_in_flight += 1;
        let epoch = entry.epoch;
        let store = self.store.clone();
        let commands = self.commands.clone();
        tokio::spawn(async move {
            let members = store
                .members_by_ids(guild_id, &users)
                .await
                .unwrap_or_else(|e| {
                    tracing::error!(guild = %guild_id, error = %e, "could not load members");
                    Vec::new()
                });
            let _ = commands
                .send(Command::MembersLoaded {
                    guild_id,
                    epoch,
                    members,
                })
                .await;
        });
    }

    /// The entry a load of `epoch` belongs to, with that load counted as landed.
    fn landed(&mut self, guild_id: Snowflake, epoch: u64) -> Option<&mut GuildEntry> {
        let entry = self
            .guilds
            .get_mut(&guild_id)
            .filter(|e| e.epoch == epoch)?;
        entry.loads_in_flight = entry.loads_in_flight.saturating_sub(1);
        Some(entry)
    }

    fn loaded(&mut self, guild_id: Snowflake, epoch: u64, state: Option<GuildState>) {
        let Some(entry) = self.landed(guild_id, epoch) else {
            return;
        };
        let Some(state) = state else {
            // The guild is gone (or unreadable): nobody here can receive its events.
            self.guilds.remove(&guild_id);
            return;
        };
        // Members who connected while the load was in flight are not in it yet.
        let missing: Vec<Snowflake> = entry
            .members
            .iter()
            .copied()
            .filter(|u| !state.has_member(*u))
            .collect();
        entry.state = Some(state);
        if !missing.is_empty() {
            self.load_members(guild_id, missing);
        }
        self.drain(guild_id);
    }

    fn members_loaded(&mut self, guild_id: Snowflake, epoch: u64, members: Vec<MemberRecord>) {
        let Some(entry) = self.landed(guild_id, epoch) else {
            return;
        };
        if let Some(state) = entry.state.as_mut() {
            for member in members
                .iter()
                .filter(|m| entry.members.contains(&m.user.id))
            {
                state.add_member(member);
            }
        }
        self.drain(guild_id);
    }

    /// Routes the events that waited for loads, once none is in flight.
    fn drain(&mut self, guild_id: Snowflake) {
        let Some(entry) = self.guilds.get_mut(&guild_id) else {
            return;
        };
        if entry.loads_in_flight > 0 {
            return;
        }
        for dispatch in std::mem::take(&mut entry.pending) {
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
            Audience::Everyone => {
                let everyone: Vec<Snowflake> = self.users.keys().copied().collect();
                self.deliver(&everyone, &dispatch);
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
        if entry.loads_in_flight > 0 {
            entry.pending.push_back(dispatch);
            return;
        }
        let Some(state) = entry.state.as_mut() else {
            return;
        };
        let tracks_visibility = may_change_visibility(dispatch.name);
        let before = if tracks_visibility {
            state.visibility()
        } else {
            HashMap::new()
        };
        // A deleted channel's audience is who could see it before it went.
        let early_recipients =
            (dispatch.name == "CHANNEL_DELETE").then(|| state.audience(&dispatch.audience));
        let deleted = state.apply(dispatch.name, &dispatch.data);
        let mut recipients = early_recipients.unwrap_or_else(|| state.audience(&dispatch.audience));
        // The channel an update is about: who just gained it gets CHANNEL_CREATE instead.
        if let (Audience::Channel { channel_id, .. }, "CHANNEL_UPDATE") =
            (&dispatch.audience, dispatch.name)
        {
            recipients.retain(|u| before.get(u).is_none_or(|b| b.contains(channel_id)));
        }
        self.deliver(&recipients, &dispatch);
        if deleted {
            self.guild_deleted(guild_id);
            return;
        }
        if tracks_visibility {
            self.announce_visibility_changes(guild_id, before);
        }
    }

    /// Sends CHANNEL_DELETE for channels a member can no longer view and CHANNEL_CREATE for channels
    /// they now can.
    fn announce_visibility_changes(
        &mut self,
        guild_id: Snowflake,
        before: HashMap<Snowflake, HashSet<Snowflake>>,
    ) {
        let Some(state) = self.guilds.get(&guild_id).and_then(|e| e.state.as_ref()) else {
            return;
        };
        let after = state.visibility();
        // One serialization per (channel, shown or hidden), shared by every member it concerns.
        let mut changes: HashMap<(Snowflake, bool), (Arc<Dispatch>, Vec<Snowflake>)> =
            HashMap::new();
        for (user, now) in &after {
            let Some(was) = before.get(user) else {
                continue;
            };
            let shown = now.difference(was).map(|c| (*c, true));
            let hidden = was.difference(now).map(|c| (*c, false));
            for (channel_id, is_shown) in shown.chain(hidden) {
                // A channel that no longer exists was announced by its own CHANNEL_DELETE.
                let Some(channel) = state.channel(channel_id) else {
                    continue;
                };
                changes
                    .entry((channel_id, is_shown))
                    .or_insert_with(|| {
                        let event = if is_shown {
                            Event::ChannelCreate(channel.clone())
                        } else {
                            Event::ChannelDelete(channel.clone())
                        };
                        (local(event, *user), Vec::new())
                    })
                    .1
                    .push(*user);
            }
        }
        for (dispatch, users) in changes.into_values() {
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
        if dispatch.name == DISCONNECT_USER {
            self.disconnect(user, Revoked::decode(&dispatch.data));
            return;
        }
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
                let shown = self.users.get_mut(&user).and_then(|u| {
                    let joined = u.guilds.insert(g);
                    (joined && u.presence.is_visible()).then(|| u.presence.clone())
                });
                self.join_guild(g, user);
                // The guild's other members learn that the newcomer is online, as they would had
                // the newcomer connected after joining.
                if let Some(presence) = shown {
                    self.publish_presence(user, &presence, &[g]);
                }
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

    /// Ends the sessions of a user whose sign-in `which` covers (all of them when the account was
    /// disabled or deleted; those of revoked tokens otherwise): each is invalidated, so its
    /// connection answers op 9 Invalid Session and cannot resume (and an Identify with the revoked
    /// token is refused with 4004), and forgotten here as if it had ended.
    fn disconnect(&mut self, user_id: Snowflake, which: Revoked) {
        let Some(entry) = self.users.get(&user_id) else {
            return;
        };
        let ids: Vec<String> = entry
            .sessions
            .iter()
            .filter(|session| which.covers(session.auth_session()))
            .map(|session| {
                session.outbox.invalidate();
                session.id.clone()
            })
            .collect();
        for id in ids {
            self.unregister(&id, user_id);
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
async fn read_guild_state(
    store: &Store,
    guild_id: Snowflake,
    users: &[Snowflake],
) -> anyhow::Result<Option<GuildState>> {
    let Some(guild) = store.guild_by_id(guild_id).await? else {
        return Ok(None);
    };
    let roles = store.roles_of_guild(guild_id).await?;
    let channels = store.channels_of_guild(guild_id).await?;
    let members = store.members_by_ids(guild_id, users).await?;
    Ok(Some(GuildState::load(&guild, &roles, &channels, &members)))
}
