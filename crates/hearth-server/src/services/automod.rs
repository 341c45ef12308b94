//! AutoMod on the message path: each guild's rules compiled once and cached, the per-author message
//! counts that MESSAGE_SPAM rules read, and [`screen`], which runs before a message is stored (sent or
//! edited) and carries out what the rules it triggers say.
//!
//! With the cache warm, screening a message costs no database query: the compiled rules come from
//! memory, the spam counts too. Only a hit does I/O (its audit entry, the alert, the timeout, or the
//! look-up that tells whether an invite leads to the guild itself).

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use hearth_core::automod::{
    Action, Activity, CompiledRules, MessageFacts, SpamHistory, Trigger, check, fingerprint,
};
use hearth_core::{AuditAction, MessageContent, Permissions, Snowflake, mentions};
use hearth_protocol::automod::AutoModActionExecution;
use hearth_protocol::events::Event;
use hearth_store::{NewAuditEntry, NewAutoModAlert};

use crate::bus::{Audience, EventBus};
use crate::clock::now_ms;
use crate::error::{ApiError, ApiResult};
use crate::http::{automod as views_automod, views};
use crate::services::access::ChannelAccess;
use crate::services::moderation;
use crate::state::AppState;

/// What the cache may hold, in weight units: a guild weighs one, plus one per regular expression (each
/// compiles to at most 64 KiB, twice: alone and in the guild's set). So the cache keeps thousands of
/// guilds with keyword lists, and a few dozen at most whose managers filled every pattern slot.
const CACHE_WEIGHT_MAX: usize = 4096;
/// Spam counts are kept per (guild, author) in this many independently locked shards…
const SPAM_SHARDS: usize = 16;
/// …of at most this many authors each. A full shard first forgets authors idle for longer than any
/// rule's window; if every one is active it is cleared (counting restarts), which keeps memory and the
/// cost of a send bounded at the price of a moment's leniency under a flood of distinct authors.
const SPAM_AUTHORS_PER_SHARD: usize = 4096;
/// Shown when a blocking rule has no custom message.
const DEFAULT_BLOCK_MESSAGE: &str = "Your message was blocked by this server's AutoMod.";
/// Guild managers are never screened (Discord's rule): they can change the rules anyway.
const EXEMPT_PERMISSIONS: Permissions = Permissions::MANAGE_GUILD.union(Permissions::ADMINISTRATOR);

/// The per-node AutoMod state. Per node: a cluster (issue 12) shares rule changes through the event
/// bus, which every node's cache listens to, but each node counts spam only for the sends it serves.
#[derive(Clone, Default)]
pub struct AutoMod(Arc<Shared>);

#[derive(Default)]
struct Shared {
    cache: RwLock<RuleCache>,
    /// Bumped by every invalidation: a load that started before one does not fill the cache.
    invalidations: AtomicU64,
    spam: [Mutex<HashMap<(Snowflake, Snowflake), SpamHistory>>; SPAM_SHARDS],
}

#[derive(Default)]
struct RuleCache {
    entries: HashMap<Snowflake, (u64, usize, Arc<CompiledRules>)>,
    /// Insertion order (guild, insertion number), for eviction; entries replaced or invalidated since
    /// are skipped when they come up.
    order: VecDeque<(Snowflake, u64)>,
    weight: usize,
    inserted: u64,
}

impl RuleCache {
    fn insert(&mut self, guild_id: Snowflake, rules: Arc<CompiledRules>) {
        let weight = 1 + rules
            .rules()
            .iter()
            .map(|r| match &r.trigger {
                Trigger::Keyword { regex_patterns, .. } => regex_patterns.len(),
                _ => 0,
            })
            .sum::<usize>();
        self.remove(guild_id);
        self.inserted += 1;
        self.entries
            .insert(guild_id, (self.inserted, weight, rules));
        self.order.push_back((guild_id, self.inserted));
        self.weight += weight;
        while self.weight > CACHE_WEIGHT_MAX {
            let Some((oldest, number)) = self.order.pop_front() else {
                break;
            };
            if self.entries.get(&oldest).is_some_and(|e| e.0 == number) {
                self.remove(oldest);
            }
        }
        // Invalidations leave stale order entries behind; compact before they outnumber live ones.
        if self.order.len() > 2 * self.entries.len() + 64 {
            let entries = &self.entries;
            self.order
                .retain(|(g, n)| entries.get(g).is_some_and(|e| e.0 == *n));
        }
    }

    fn remove(&mut self, guild_id: Snowflake) {
        if let Some((_, weight, _)) = self.entries.remove(&guild_id) {
            self.weight -= weight;
        }
    }
}

impl AutoMod {
    /// Starts listening to the bus for rule changes, so that this node's cache forgets a guild's
    /// rules whichever node changed them.
    pub fn new(bus: &EventBus) -> Self {
        let automod = Self::default();
        let mut events = bus.subscribe();
        let listener = automod.clone();
        tokio::spawn(async move {
            use tokio::sync::broadcast::error::RecvError;
            loop {
                match events.recv().await {
                    Ok(dispatch) if dispatch.name.starts_with("AUTO_MODERATION_RULE_") => {
                        if let Audience::GuildWith { guild_id, .. } = dispatch.audience {
                            listener.invalidate(guild_id);
                        }
                    }
                    Ok(_) => {}
                    // Missed events may have been rule changes: forget everything.
                    Err(RecvError::Lagged(_)) => listener.clear(),
                    Err(RecvError::Closed) => return,
                }
            }
        });
        automod
    }

    /// Forgets a guild's compiled rules (after a change to them).
    pub fn invalidate(&self, guild_id: Snowflake) {
        self.0.invalidations.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut cache) = self.0.cache.write() {
            cache.remove(guild_id);
        }
    }

    fn clear(&self) {
        self.0.invalidations.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut cache) = self.0.cache.write() {
            *cache = RuleCache::default();
        }
    }

    /// The guild's enabled rules, compiled: from the cache, or loaded and compiled once.
    async fn rules(&self, state: &AppState, guild_id: Snowflake) -> ApiResult<Arc<CompiledRules>> {
        if let Ok(cache) = self.0.cache.read()
            && let Some((_, _, rules)) = cache.entries.get(&guild_id)
        {
            return Ok(rules.clone());
        }
        let before = self.0.invalidations.load(Ordering::SeqCst);
        let records = state.store.automod_rules(guild_id).await?;
        let compiled = Arc::new(CompiledRules::compile(records.into_iter().map(|r| r.rule)));
        if compiled.skipped_patterns() > 0 {
            tracing::warn!(
                guild_id = %guild_id,
                skipped = compiled.skipped_patterns(),
                "AutoMod patterns that no longer compile are skipped"
            );
        }
        if let Ok(mut cache) = self.0.cache.write()
            && self.0.invalidations.load(Ordering::SeqCst) == before
        {
            cache.insert(guild_id, compiled.clone());
        }
        Ok(compiled)
    }

    /// Records a send and returns the author's earlier sends within `window_ms`.
    fn record_send(
        &self,
        guild_id: Snowflake,
        author_id: Snowflake,
        now_ms: i64,
        fingerprint: u64,
        window_ms: i64,
    ) -> Vec<(i64, u64)> {
        let key = (guild_id, author_id);
        let shard = (guild_id.get() ^ author_id.get().rotate_left(17)) as usize % SPAM_SHARDS;
        let Ok(mut authors) = self.0.spam[shard].lock() else {
            return Vec::new();
        };
        if authors.len() >= SPAM_AUTHORS_PER_SHARD && !authors.contains_key(&key) {
            let idle_before =
                now_ms - i64::from(hearth_core::automod::SPAM_INTERVAL_MAX_SECS) * 1000;
            authors.retain(|_, history| history.last_at().is_some_and(|at| at >= idle_before));
            if authors.len() >= SPAM_AUTHORS_PER_SHARD {
                authors.clear();
            }
        }
        authors
            .entry(key)
            .or_default()
            .record(now_ms, fingerprint, window_ms)
    }
}

/// Whether the message is new or an edit: an edit is screened again, but is not a new message for
/// MESSAGE_SPAM rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screening {
    Send,
    Edit,
}

/// The actions still to carry out once the screened message is stored (alerts and timeouts of rules
/// that did not block it).
#[must_use = "carry out the actions once the message is stored"]
pub struct Verdict {
    hits: Vec<OwnedHit>,
    rules: Option<Arc<CompiledRules>>,
    content: String,
}

struct OwnedHit {
    rule: usize,
    matched_keyword: Option<String>,
    matched_content: Option<String>,
}

impl Verdict {
    fn clear(content: &MessageContent) -> Self {
        Self {
            hits: Vec::new(),
            rules: None,
            content: content.as_str().to_owned(),
        }
    }

    /// Carries out the remaining actions for the stored message `message_id`. Failures are logged:
    /// the message is already stored and acknowledged.
    pub async fn carry_out(self, state: &AppState, access: &ChannelAccess, message_id: Snowflake) {
        if let Some(rules) = &self.rules {
            execute(
                state,
                access,
                rules,
                &self.hits,
                &self.content,
                Some(message_id),
            )
            .await;
        }
    }
}

/// Runs the guild's AutoMod rules on a message about to be stored. When a rule blocks it, every
/// action of every triggered rule is carried out now and the answer is `AUTOMOD_BLOCKED`: nothing is
/// stored. Otherwise the answer holds the actions to carry out once it is.
pub async fn screen(
    state: &AppState,
    access: &ChannelAccess,
    content: &MessageContent,
    screening: Screening,
) -> ApiResult<Verdict> {
    if access.guild.permissions.intersects(EXEMPT_PERMISSIONS) {
        return Ok(Verdict::clear(content));
    }
    let guild_id = access.guild.guild_id();
    let rules = state.automod.rules(state, guild_id).await?;
    if rules.is_empty() {
        return Ok(Verdict::clear(content));
    }
    let author_id = access.guild.user_id();
    let parsed = mentions::parse(content.as_str());
    let now = now_ms();
    let mut earlier = Vec::new();
    let mut activity = None;
    if let (Screening::Send, Some(window_ms)) = (screening, rules.spam_window_ms()) {
        let fp = fingerprint(content.as_str());
        earlier = state
            .automod
            .record_send(guild_id, author_id, now, fp, window_ms);
        activity = Some((now, fp));
    }
    let facts = MessageFacts {
        content: content.as_str(),
        author_id,
        author_roles: &access.guild.context.member.roles,
        channel_id: access.channel.id,
        mention_count: parsed.users.len() + parsed.roles.len(),
        activity: activity.map(|(now_ms, fingerprint)| Activity {
            now_ms,
            fingerprint,
            earlier: &earlier,
        }),
    };
    let mut hits = Vec::new();
    for hit in check(&rules, &facts) {
        if let Trigger::InviteLinks {
            allow_guild_invites: true,
            ..
        } = hit.rule.trigger
            && leads_only_here(state, guild_id, &hit.invite_codes).await?
        {
            continue;
        }
        let Some(index) = rules.rules().iter().position(|r| r.id == hit.rule.id) else {
            continue;
        };
        hits.push(OwnedHit {
            rule: index,
            matched_keyword: hit.matched_keyword,
            matched_content: hit.matched_content,
        });
    }
    if hits.is_empty() {
        return Ok(Verdict::clear(content));
    }
    let block = hits.iter().find_map(|hit| {
        rules.rules()[hit.rule]
            .actions
            .iter()
            .find_map(|a| match a {
                Action::BlockMessage { custom_message } => Some(custom_message.clone()),
                _ => None,
            })
    });
    if let Some(custom_message) = block {
        execute(state, access, &rules, &hits, content.as_str(), None).await;
        return Err(ApiError::AutoModBlocked(
            custom_message.unwrap_or_else(|| DEFAULT_BLOCK_MESSAGE.to_owned()),
        ));
    }
    Ok(Verdict {
        hits,
        rules: Some(rules),
        content: content.as_str().to_owned(),
    })
}

/// Whether every one of `codes` is an invite to this guild. A look-up per code, only for messages
/// that carry invite links.
async fn leads_only_here(
    state: &AppState,
    guild_id: Snowflake,
    codes: &[String],
) -> ApiResult<bool> {
    for code in codes {
        match state.store.guild_invite(code).await? {
            Some(invite) if invite.guild_id == guild_id => {}
            _ => return Ok(false),
        }
    }
    Ok(!codes.is_empty())
}

/// Carries out every action of every hit, each with its audit entry and its
/// AUTO_MODERATION_ACTION_EXECUTION event. `message_id` is `None` when the message was blocked.
async fn execute(
    state: &AppState,
    access: &ChannelAccess,
    rules: &CompiledRules,
    hits: &[OwnedHit],
    content: &str,
    message_id: Option<Snowflake>,
) {
    let guild_id = access.guild.guild_id();
    let author_id = access.guild.user_id();
    for hit in hits {
        let rule = &rules.rules()[hit.rule];
        let entry = |action: AuditAction| {
            NewAuditEntry::new(state.next_id(), guild_id, None, action)
                .target(author_id)
                .option("auto_moderation_rule_name", rule.name.as_str())
                .option(
                    "auto_moderation_rule_trigger_type",
                    rule.trigger.kind().as_wire().to_string(),
                )
                .option("channel_id", access.channel.id.to_string())
        };
        for action in &rule.actions {
            let alert_id = match action {
                Action::BlockMessage { .. } => {
                    if let Err(e) = state
                        .store
                        .record_audit(&entry(AuditAction::AutoModerationBlockMessage))
                        .await
                    {
                        tracing::warn!(error = %e, "could not record an AutoMod block");
                    }
                    None
                }
                Action::SendAlertMessage { channel_id } => {
                    let alert = NewAutoModAlert {
                        guild_id,
                        channel_id: *channel_id,
                        author_id,
                        content: content.to_owned(),
                        now_ms: now_ms(),
                    };
                    let turn = state.channel_order.turn(*channel_id).await;
                    let posted = state
                        .store
                        .create_automod_alert(
                            &alert,
                            &|| state.next_id(),
                            &entry(AuditAction::AutoModerationFlagToChannel),
                        )
                        .await;
                    match posted {
                        Ok(message) => {
                            state.bus.publish(
                                Audience::Channel {
                                    guild_id,
                                    channel_id: *channel_id,
                                },
                                &Event::MessageCreate(Box::new(views::message_event(
                                    &message,
                                    None,
                                    &state.media.signer,
                                ))),
                            );
                            drop(turn);
                            Some(message.id)
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "could not post an AutoMod alert");
                            continue;
                        }
                    }
                }
                Action::Timeout { duration_seconds } => {
                    let until = now_ms() + i64::from(*duration_seconds) * 1000;
                    // A longer timeout already in force (an edit by a timed-out member) stays.
                    let current = access.guild.context.member.communication_disabled_until;
                    if current.is_some_and(|c| c >= until) {
                        continue;
                    }
                    let author = &access.guild.context.member;
                    let audit = moderation::timeout_audit(
                        entry(AuditAction::AutoModerationUserCommunicationDisabled),
                        author,
                        Some(until),
                    );
                    if let Err(e) =
                        moderation::apply_timeout(state, author, Some(until), &audit).await
                    {
                        tracing::warn!(error = %e, "could not apply an AutoMod timeout");
                        continue;
                    }
                    None
                }
            };
            state.bus.publish(
                Audience::GuildWith {
                    guild_id,
                    permission: Permissions::MANAGE_GUILD,
                },
                &Event::AutoModerationActionExecution(Box::new(AutoModActionExecution {
                    guild_id: guild_id.to_string(),
                    action: views_automod::action(action),
                    rule_id: rule.id.to_string(),
                    rule_trigger_type: rule.trigger.kind().as_wire(),
                    user_id: author_id.to_string(),
                    channel_id: access.channel.id.to_string(),
                    message_id: message_id.map(|id| id.to_string()),
                    alert_system_message_id: alert_id.map(|id| id.to_string()),
                    content: content.to_owned(),
                    matched_keyword: hit.matched_keyword.clone(),
                    matched_content: hit.matched_content.clone(),
                })),
            );
        }
    }
}
