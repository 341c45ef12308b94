/**
 * Guild audit log entries as sentences ("Alice banned Bob — reason: spam") and their changes as
 * readable before → after pairs. Codes and payloads follow docs/api.md (Audit log) and
 * hearth-core `audit.rs`, Hearth's own codes (≥ 1000) included.
 */
import type { components } from '../api/schema';
import { parseBits } from '../permissions';
import { permissionLabels } from './permission-catalog';
import { formatDuration, formatWhen } from './durations';

type Entry = components['schemas']['AuditLogEntry'];
type Change = components['schemas']['AuditLogChange'];

export interface AuditAction {
  code: number;
  name: string;
  label: string;
}

const ACTIONS: [number, string, string][] = [
  [1, 'GUILD_UPDATE', 'Update community'],
  [10, 'CHANNEL_CREATE', 'Create channel'],
  [11, 'CHANNEL_UPDATE', 'Update channel'],
  [12, 'CHANNEL_DELETE', 'Delete channel'],
  [13, 'CHANNEL_OVERWRITE_CREATE', 'Add channel permissions'],
  [14, 'CHANNEL_OVERWRITE_UPDATE', 'Update channel permissions'],
  [15, 'CHANNEL_OVERWRITE_DELETE', 'Remove channel permissions'],
  [20, 'MEMBER_KICK', 'Kick member'],
  [22, 'MEMBER_BAN_ADD', 'Ban member'],
  [23, 'MEMBER_BAN_REMOVE', 'Unban member'],
  [24, 'MEMBER_UPDATE', 'Update member (nickname, timeout)'],
  [25, 'MEMBER_ROLE_UPDATE', 'Update member roles'],
  [30, 'ROLE_CREATE', 'Create role'],
  [31, 'ROLE_UPDATE', 'Update role'],
  [32, 'ROLE_DELETE', 'Delete role'],
  [40, 'INVITE_CREATE', 'Create invite'],
  [42, 'INVITE_DELETE', 'Delete invite'],
  [50, 'WEBHOOK_CREATE', 'Create webhook'],
  [51, 'WEBHOOK_UPDATE', 'Update webhook'],
  [52, 'WEBHOOK_DELETE', 'Delete webhook'],
  [72, 'MESSAGE_DELETE', 'Delete message'],
  [73, 'MESSAGE_BULK_DELETE', 'Bulk delete messages'],
  [74, 'MESSAGE_PIN', 'Pin message'],
  [75, 'MESSAGE_UNPIN', 'Unpin message'],
  [140, 'AUTO_MODERATION_RULE_CREATE', 'Create AutoMod rule'],
  [141, 'AUTO_MODERATION_RULE_UPDATE', 'Update AutoMod rule'],
  [142, 'AUTO_MODERATION_RULE_DELETE', 'Delete AutoMod rule'],
  [143, 'AUTO_MODERATION_BLOCK_MESSAGE', 'AutoMod blocked a message'],
  [144, 'AUTO_MODERATION_FLAG_TO_CHANNEL', 'AutoMod sent an alert'],
  [145, 'AUTO_MODERATION_USER_COMMUNICATION_DISABLED', 'AutoMod timed out a member'],
  [1000, 'MEMBER_WARN', 'Warn member'],
  [1001, 'MEMBER_WARNING_DELETE', 'Delete warning'],
  [1010, 'REPORT_UPDATE', 'Update report'],
  [1020, 'VOTE_START', 'Start moderation vote'],
  [1021, 'VOTE_CLOSE', 'Close moderation vote'],
  [1022, 'VOTE_SETTINGS_UPDATE', 'Update vote settings'],
];

export const AUDIT_ACTIONS: readonly AuditAction[] = ACTIONS.map(([code, name, label]) => ({ code, name, label }));

export function actionLabel(code: number): string {
  return AUDIT_ACTIONS.find((a) => a.code === code)?.label ?? `Action ${code}`;
}

/** Looks names up; each returns null when it does not know the id. */
export interface AuditNames {
  guildId: string;
  user(id: string): string | null;
  role(id: string): string | null;
  channel(id: string): string | null;
}

type Json = unknown;

function changeOf(entry: Entry, key: string): { old: Json; new: Json } | undefined {
  const c = entry.changes.find((x) => x.key === key);
  return c ? { old: c.old_value as Json, new: c.new_value as Json } : undefined;
}

function opt(entry: Entry, key: string): string | undefined {
  const v = (entry.options as Record<string, unknown> | null | undefined)?.[key];
  return v === undefined || v === null ? undefined : String(v);
}

function str(v: Json): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function quote(s: string): string {
  return `“${s}”`;
}

const CHANNEL_TYPES: Record<string, string> = { '0': 'text channel', '2': 'voice channel', '4': 'category', '5': 'announcement channel', '15': 'forum' };
const REPORT_ACTIONS: Record<string, string> = { delete_message: 'deleting the message', timeout: 'timing them out', kick: 'kicking them', ban: 'banning them' };
const TRIGGERS: Record<string, string> = { '1': 'keyword', '3': 'spam', '4': 'keyword preset', '5': 'mention spam', '100': 'invite links', '101': 'links', '102': 'message spam' };

/** A readable sentence for one entry (without the reason; see `entrySentence`). */
export function describeEntry(entry: Entry, names: AuditNames): string {
  const who = (id: string | null | undefined) => (id ? (names.user(id) ?? `user ${id}`) : 'someone');
  const chan = (id: string | null | undefined, fallback?: string) => {
    const n = id ? names.channel(id) : null;
    return n ? `#${n}` : fallback ? `#${fallback}` : id ? `channel ${id}` : 'a channel';
  };
  const role = (id: string | null | undefined, fallback?: string) => {
    if (id && id === names.guildId) return '@everyone';
    const n = id ? names.role(id) : null;
    return n ? quote(n) : fallback ? quote(fallback) : id ? `role ${id}` : 'a role';
  };
  const vote = entry.reason && /^vote \d+$/.test(entry.reason);
  const actor = entry.user_id ? who(entry.user_id) : entry.action_type >= 143 && entry.action_type <= 145 ? 'AutoMod' : vote ? 'A moderation vote' : 'Hearth';
  const target = entry.target_id ?? undefined;
  const name = str(changeOf(entry, 'name')?.new) ?? str(changeOf(entry, 'name')?.old);
  const ruleName = opt(entry, 'auto_moderation_rule_name');
  const rule = ruleName ? ` (rule ${quote(ruleName)})` : '';

  switch (entry.action_type) {
    case 1: {
      const owner = changeOf(entry, 'owner_id');
      if (owner && str(owner.new)) return `${actor} transferred ownership of the community to ${who(str(owner.new))}`;
      const rename = changeOf(entry, 'name');
      if (rename && entry.changes.length === 1 && str(rename.new)) return `${actor} renamed the community to ${quote(str(rename.new) as string)}`;
      return `${actor} updated the community settings`;
    }
    case 10: {
      const kind = CHANNEL_TYPES[str(changeOf(entry, 'type')?.new) ?? ''] ?? 'channel';
      return `${actor} created the ${kind} ${chan(target, name)}`;
    }
    case 11: {
      const keys = entry.changes.map((c) => c.key);
      const moved = keys.length > 0 && keys.every((k) => k === 'position' || k === 'parent_id');
      const rename = changeOf(entry, 'name');
      if (rename && str(rename.old) && str(rename.new) && keys.length === 1) return `${actor} renamed #${str(rename.old)} to #${str(rename.new)}`;
      return `${actor} ${moved ? 'moved' : 'updated'} ${chan(target, name)}`;
    }
    case 12:
      return `${actor} deleted the ${CHANNEL_TYPES[str(changeOf(entry, 'type')?.old) ?? ''] ?? 'channel'} ${name ? `#${name}` : chan(target)}`;
    case 13:
    case 14:
    case 15: {
      const id = opt(entry, 'id');
      const subject = opt(entry, 'type') === '1' ? who(id) : role(id);
      const verb = entry.action_type === 13 ? 'added permissions for' : entry.action_type === 14 ? 'changed permissions for' : 'removed the permissions of';
      return `${actor} ${verb} ${subject} in ${chan(target)}`;
    }
    case 20:
      return `${actor} kicked ${who(target)}`;
    case 22: {
      const del = Number(opt(entry, 'delete_message_seconds') ?? 0);
      return `${actor} banned ${who(target)}${del > 0 ? ` and deleted their messages from the previous ${formatDuration(del)}` : ''}`;
    }
    case 23:
      return `${actor} unbanned ${who(target)}`;
    case 24: {
      const parts: string[] = [];
      const nick = changeOf(entry, 'nick');
      const timeout = changeOf(entry, 'communication_disabled_until');
      const them = who(target);
      if (timeout) parts.push(str(timeout.new) ? `timed out ${them} until ${formatWhen(str(timeout.new))}` : `removed the timeout of ${them}`);
      if (nick) parts.push(str(nick.new) ? `changed the nickname of ${them} to ${quote(str(nick.new) as string)}` : `removed the nickname of ${them}`);
      if (parts.length === 0) parts.push(`updated ${them}`);
      if (target && target === entry.user_id && nick && !timeout) return `${actor} ${str(nick.new) ? `changed their nickname to ${quote(str(nick.new) as string)}` : 'removed their nickname'}`;
      return `${actor} ${parts.join(' and ')}`;
    }
    case 25: {
      const list = (v: Json) => (Array.isArray(v) ? v.map((r: { id?: string; name?: string }) => role(r.id, r.name)) : []);
      const added = list(changeOf(entry, '$add')?.new);
      const removed = list(changeOf(entry, '$remove')?.new);
      const them = who(target);
      const parts: string[] = [];
      if (added.length) parts.push(`gave ${them} the role${added.length > 1 ? 's' : ''} ${added.join(', ')}`);
      if (removed.length) parts.push(`removed the role${removed.length > 1 ? 's' : ''} ${removed.join(', ')} from ${them}`);
      return `${actor} ${parts.length ? parts.join(' and ') : `changed the roles of ${them}`}`;
    }
    case 30:
      return `${actor} created the role ${name ? quote(name) : role(target)}`;
    case 31: {
      const keys = entry.changes.map((c) => c.key);
      return `${actor} ${keys.length === 1 && keys[0] === 'position' ? 'moved' : 'updated'} the role ${role(target, name)}`;
    }
    case 32:
      return `${actor} deleted the role ${name ? quote(name) : role(target)}`;
    case 40: {
      const code = str(changeOf(entry, 'code')?.new);
      const ch = str(changeOf(entry, 'channel_id')?.new);
      return `${actor} created the invite ${code ?? ''}${ch ? ` to ${chan(ch)}` : ''}`.replace('invite  ', 'invite ');
    }
    case 42:
      return `${actor} deleted the invite ${str(changeOf(entry, 'code')?.old) ?? ''}`.trimEnd();
    case 50:
      return `${actor} created a webhook`;
    case 51:
      return `${actor} updated a webhook`;
    case 52:
      return `${actor} deleted a webhook`;
    case 72:
      return `${actor} deleted a message by ${who(target)}${opt(entry, 'channel_id') ? ` in ${chan(opt(entry, 'channel_id'))}` : ''}`;
    case 73: {
      const n = Number(opt(entry, 'count') ?? 0);
      return `${actor} deleted ${n} message${n === 1 ? '' : 's'} in ${chan(target)}`;
    }
    case 74:
    case 75:
      return `${actor} ${entry.action_type === 74 ? 'pinned' : 'unpinned'} a message by ${who(target)}${opt(entry, 'channel_id') ? ` in ${chan(opt(entry, 'channel_id'))}` : ''}`;
    case 140:
      return `${actor} created the AutoMod rule ${name ? quote(name) : ''}`.trimEnd();
    case 141:
      return `${actor} updated the AutoMod rule ${name ? quote(name) : ''}`.trimEnd();
    case 142:
      return `${actor} deleted the AutoMod rule ${name ? quote(name) : ''}`.trimEnd();
    case 143:
      return `AutoMod blocked a message by ${who(target)}${opt(entry, 'channel_id') ? ` in ${chan(opt(entry, 'channel_id'))}` : ''}${rule}`;
    case 144:
      return `AutoMod flagged a message by ${who(target)}${opt(entry, 'channel_id') ? ` in ${chan(opt(entry, 'channel_id'))}` : ''}${rule}`;
    case 145:
      return `AutoMod timed out ${who(target)}${rule}`;
    case 1000:
      return `${actor} warned ${who(target)}`;
    case 1001:
      return `${actor} deleted a warning of ${who(target)}`;
    case 1010: {
      const about = `a report about ${who(target)}`;
      const act = opt(entry, 'action');
      if (act) return `${actor} resolved ${about} by ${REPORT_ACTIONS[act] ?? act}`;
      const parts: string[] = [];
      const status = str(changeOf(entry, 'status')?.new);
      if (status) parts.push(status === 'open' ? `reopened ${about}` : `marked ${about} as ${status}`);
      const assignee = changeOf(entry, 'assignee_id');
      if (assignee) parts.push(str(assignee.new) ? `assigned ${parts.length ? 'it' : about} to ${who(str(assignee.new))}` : `unassigned ${parts.length ? 'it' : about}`);
      if (changeOf(entry, 'escalated')?.new === true) parts.push(`escalated ${parts.length ? 'it' : about} to the instance admins`);
      return `${actor} ${parts.length ? parts.join(' and ') : `updated ${about}`}`;
    }
    case 1020:
      return `${actor} started a vote to time out ${who(target)}`;
    case 1021: {
      const result = opt(entry, 'result');
      if (result === 'cancelled' || entry.user_id) return `${actor} cancelled the vote to time out ${who(target)}`;
      const tally = opt(entry, 'for') !== undefined ? ` (${opt(entry, 'for')} for, ${opt(entry, 'against') ?? 0} against)` : '';
      return `The vote to time out ${who(target)} ${result ?? 'closed'}${tally}`;
    }
    case 1022:
      return `${actor} updated the moderation vote settings`;
    default:
      return `${actor} did ${actionLabel(entry.action_type).toLowerCase()}${target ? ` on ${who(target)}` : ''}`;
  }
}

/** The sentence with its reason: "Alice banned Bob — reason: spam". */
export function entrySentence(entry: Entry, names: AuditNames): string {
  const s = describeEntry(entry, names);
  const vote = entry.reason && /^vote \d+$/.test(entry.reason);
  return entry.reason && !vote ? `${s} — reason: ${entry.reason}` : s;
}

const KEY_LABELS: Record<string, string> = {
  name: 'Name',
  description: 'Description',
  system_channel_id: 'System channel',
  default_message_notifications: 'Default notifications',
  verification_level: 'Verification level',
  explicit_content_filter: 'Explicit content filter',
  owner_id: 'Owner',
  type: 'Type',
  topic: 'Topic',
  nsfw: 'Age-restricted',
  rate_limit_per_user: 'Slow mode',
  parent_id: 'Category',
  bitrate: 'Bitrate',
  user_limit: 'User limit',
  position: 'Position',
  permission_overwrites: 'Permission overwrites',
  id: 'Target',
  allow: 'Allowed',
  deny: 'Denied',
  color: 'Colour',
  hoist: 'Shown separately',
  mentionable: 'Mentionable',
  permissions: 'Permissions',
  code: 'Code',
  channel_id: 'Channel',
  inviter_id: 'Inviter',
  max_age: 'Expires after',
  max_uses: 'Max uses',
  temporary: 'Temporary membership',
  nick: 'Nickname',
  communication_disabled_until: 'Timed out until',
  $add: 'Roles added',
  $remove: 'Roles removed',
  event_type: 'Event',
  trigger_type: 'Trigger',
  trigger_metadata: 'Trigger settings',
  actions: 'Actions',
  enabled: 'Enabled',
  exempt_roles: 'Exempt roles',
  exempt_channels: 'Exempt channels',
  reason: 'Reason',
  status: 'Status',
  assignee_id: 'Assignee',
  escalated: 'Escalated',
  quorum: 'Quorum',
  majority_percent: 'Majority',
  duration_seconds: 'Vote duration',
  timeout_seconds: 'Timeout length',
};

export function keyLabel(key: string): string {
  return KEY_LABELS[key] ?? key.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

const LEVELS: Record<string, Record<string, string>> = {
  verification_level: { '0': 'None', '1': 'Low', '2': 'Medium', '3': 'High', '4': 'Highest' },
  default_message_notifications: { '0': 'All messages', '1': 'Only mentions' },
  explicit_content_filter: { '0': 'Off', '1': 'Members without roles', '2': 'All members' },
};

const ID_KEYS = new Set(['system_channel_id', 'owner_id', 'parent_id', 'channel_id', 'inviter_id', 'assignee_id', 'id']);

/** One value of a change as text; `undefined` (absent) reads as "not set". */
export function formatValue(key: string, v: Json, names: AuditNames, actionType: number): string {
  if (v === undefined || v === null || v === '') return 'not set';
  const s = str(v);
  if (key in LEVELS && s !== undefined) return LEVELS[key]?.[s] ?? s;
  if (key === 'permissions' || key === 'allow' || key === 'deny') {
    const labels = permissionLabels(parseBits(s));
    return labels.length ? labels.join(', ') : 'none';
  }
  if (key === 'color' && typeof v === 'number') return v === 0 ? 'none' : '#' + v.toString(16).padStart(6, '0');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (key === 'communication_disabled_until' && s) return formatWhen(s);
  if ((key === 'rate_limit_per_user' || key === 'max_age' || key === 'duration_seconds' || key === 'timeout_seconds') && typeof v === 'number') {
    return v === 0 ? (key === 'max_age' ? 'never' : 'off') : formatDuration(v);
  }
  if (key === 'max_uses' && v === 0) return 'no limit';
  if (key === 'majority_percent' && typeof v === 'number') return `${v}%`;
  if (key === 'type' && s !== undefined) {
    if (actionType >= 13 && actionType <= 15) return s === '1' ? 'member' : 'role';
    return CHANNEL_TYPES[s] ?? s;
  }
  if (key === 'trigger_type' && s !== undefined) return TRIGGERS[s] ?? s;
  if (key === 'event_type' && s === '1') return 'message sent';
  if (ID_KEYS.has(key) && s) {
    if (key === 'id' && actionType >= 13 && actionType <= 15) return names.role(s) ?? names.user(s) ?? (s === names.guildId ? '@everyone' : s);
    return names.channel(s) ? `#${names.channel(s)}` : (names.user(s) ?? names.role(s) ?? s);
  }
  if ((key === '$add' || key === '$remove') && Array.isArray(v)) return v.map((r: { name?: string; id?: string }) => r.name ?? r.id ?? '?').join(', ');
  if (key === 'exempt_roles' && Array.isArray(v)) return v.length ? v.map((id) => names.role(String(id)) ?? String(id)).join(', ') : 'none';
  if (key === 'exempt_channels' && Array.isArray(v)) return v.length ? v.map((id) => `#${names.channel(String(id)) ?? String(id)}`).join(', ') : 'none';
  if (key === 'actions' && Array.isArray(v)) return v.map((a: { type?: number; metadata?: Record<string, unknown> | null }) => actionText(a, names)).join('; ');
  if (key === 'trigger_metadata' && typeof v === 'object') return metadataText(v as Record<string, unknown>);
  if (key === 'permission_overwrites' && Array.isArray(v)) return v.length ? `${v.length} overwrite${v.length === 1 ? '' : 's'}` : 'none';
  if (s !== undefined) return s;
  return JSON.stringify(v);
}

function actionText(a: { type?: number; metadata?: Record<string, unknown> | null }, names: AuditNames): string {
  const m = a.metadata ?? {};
  if (a.type === 1) return m['custom_message'] ? `block with message ${quote(String(m['custom_message']))}` : 'block';
  if (a.type === 2) return `alert in #${names.channel(String(m['channel_id'])) ?? String(m['channel_id'])}`;
  if (a.type === 3) return `time out for ${formatDuration(Number(m['duration_seconds'] ?? 0))}`;
  return `action ${a.type ?? '?'}`;
}

function metadataText(m: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(m)) {
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    parts.push(`${k.replace(/_/g, ' ')}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  }
  return parts.length ? parts.join('; ') : 'none';
}

export interface ChangeRow {
  key: string;
  label: string;
  before: string;
  after: string;
}

/** The entry's changes as rows of label, before, after. */
export function changeRows(entry: Entry, names: AuditNames): ChangeRow[] {
  return entry.changes.map((c: Change) => ({
    key: c.key,
    label: keyLabel(c.key),
    before: formatValue(c.key, c.old_value as Json, names, entry.action_type),
    after: formatValue(c.key, c.new_value as Json, names, entry.action_type),
  }));
}

/** The time an entry was made, read from its snowflake id (ms since 2025-01-01, Hearth's epoch: hearth-core `id.rs`). */
export function snowflakeTime(id: string): number {
  try {
    return Number((BigInt(id) >> 22n) + 1735689600000n);
  } catch {
    return NaN;
  }
}
