/** Instance audit log entries as sentences ("alice disabled bob") with readable changes. */
import type { components } from '../api/schema';

type S = components['schemas'];
type Entry = S['InstanceAuditLogEntry'];
type User = S['User'];
type Change = S['AuditLogChange'];

/** Every action the instance audit log records, with a label for the filter. */
export const AUDIT_ACTIONS: { action: string; label: string }[] = [
  { action: 'user.disable', label: 'Disable account' },
  { action: 'user.enable', label: 'Enable account' },
  { action: 'user.promote', label: 'Make administrator' },
  { action: 'user.demote', label: 'Remove administrator' },
  { action: 'user.delete', label: 'Delete account' },
  { action: 'settings.update', label: 'Change settings' },
  { action: 'invite.create', label: 'Create invite' },
  { action: 'invite.delete', label: 'Delete invite' },
  { action: 'announcement.create', label: 'Post announcement' },
  { action: 'announcement.delete', label: 'Delete announcement' },
  { action: 'report.update', label: 'Update report' },
];

export function auditActionLabel(action: string): string {
  return AUDIT_ACTIONS.find((a) => a.action === action)?.label ?? action;
}

export function userLabel(u: Pick<User, 'username' | 'global_name'>): string {
  return u.global_name && u.global_name !== u.username ? `${u.global_name} (@${u.username})` : `@${u.username}`;
}

export type UserIndex = ReadonlyMap<string, User>;

export function indexUsers(users: readonly User[]): Map<string, User> {
  return new Map(users.map((u) => [u.id, u]));
}

function who(id: string | null | undefined, users: UserIndex): string {
  if (!id) return 'the command line';
  const u = users.get(id);
  return u ? userLabel(u) : `user ${id}`;
}

const FIELD_LABELS: Record<string, string> = {
  registration_mode: 'Registration',
  name: 'Name',
  description: 'Description',
  terms: 'Terms of service',
  privacy: 'Privacy policy',
  code: 'Code',
  max_uses: 'Max uses',
  max_age: 'Expires after',
  title: 'Title',
  disabled: 'Disabled',
  admin: 'Administrator',
  status: 'Status',
  assignee_id: 'Assignee',
  escalated: 'Escalated',
};

const MODE_LABELS: Record<string, string> = { open: 'Open', invite: 'Invite only', closed: 'Closed' };
const STATUS_LABELS: Record<string, string> = { open: 'Open', resolved: 'Resolved', dismissed: 'Dismissed' };

/** Long texts (terms, policy, description) are summarised rather than printed. */
const LONG_TEXT = new Set(['terms', 'privacy', 'description']);

export function durationText(seconds: number): string {
  if (seconds <= 0) return 'never';
  const units: [number, string][] = [
    [31_536_000, 'year'],
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}

function clip(s: string, max = 80): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

function valueText(key: string, v: unknown, users: UserIndex): string {
  if (v === null || v === undefined || v === '') {
    if (key === 'max_uses') return 'unlimited';
    if (key === 'assignee_id') return 'nobody';
    return 'none';
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (key === 'registration_mode' && typeof v === 'string') return MODE_LABELS[v] ?? v;
  if (key === 'status' && typeof v === 'string') return STATUS_LABELS[v] ?? v;
  if (key === 'max_uses' && (v === 0 || v === '0')) return 'unlimited';
  if (key === 'max_age' && (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)))) return durationText(Number(v));
  if (key === 'assignee_id' && typeof v === 'string') return who(v, users);
  if (typeof v === 'string') return `“${clip(v)}”`;
  if (typeof v === 'number') return String(v);
  return clip(JSON.stringify(v));
}

/** One change as a line: "Name: “Hearth” → “Home”"; long texts only say what happened to them. */
export function changeText(c: Change, users: UserIndex = new Map()): string {
  const label = FIELD_LABELS[c.key] ?? c.key;
  const had = c.old_value !== undefined && c.old_value !== null && (c.old_value as unknown) !== '';
  const has = c.new_value !== undefined && c.new_value !== null && (c.new_value as unknown) !== '';
  if (LONG_TEXT.has(c.key)) {
    if (!had && has) return `${label}: added`;
    if (had && !has) return `${label}: removed`;
    if (c.key === 'description') return `${label}: ${valueText(c.key, c.old_value, users)} → ${valueText(c.key, c.new_value, users)}`;
    return `${label}: updated`;
  }
  if (c.old_value === undefined) return `${label}: ${valueText(c.key, c.new_value, users)}`;
  if (c.new_value === undefined) return `${label}: ${valueText(c.key, c.old_value, users)} (removed)`;
  return `${label}: ${valueText(c.key, c.old_value, users)} → ${valueText(c.key, c.new_value, users)}`;
}

function changeValue(entry: Entry, key: string): unknown {
  const c = entry.changes.find((x) => x.key === key);
  return c ? (c.new_value ?? c.old_value) : undefined;
}

export interface AuditDescription {
  actor: string;
  /** What happened, in words, after the actor's name. */
  text: string;
  details: string[];
}

export function describeAuditEntry(entry: Entry, users: UserIndex): AuditDescription {
  const actor = entry.user_id ? who(entry.user_id, users) : 'Command line';
  const target = who(entry.target_id, users);
  const code = changeValue(entry, 'code');
  const codeText = typeof code === 'string' ? ` ${code}` : '';
  const details = entry.changes.filter((c) => !['code', 'title', 'disabled', 'admin'].includes(c.key)).map((c) => changeText(c, users));
  let text: string;
  switch (entry.action) {
    case 'user.disable':
      text = `disabled ${target}`;
      break;
    case 'user.enable':
      text = `enabled ${target}`;
      break;
    case 'user.promote':
      text = `made ${target} an administrator`;
      break;
    case 'user.demote':
      text = `removed ${target} as an administrator`;
      break;
    case 'user.delete':
      text = `deleted the account ${target}`;
      break;
    case 'settings.update':
      text = entry.changes.length === 1 ? `changed the instance ${(FIELD_LABELS[entry.changes[0]?.key ?? ''] ?? 'settings').toLowerCase()}` : 'changed the instance settings';
      break;
    case 'invite.create':
      text = `created the invite${codeText}`;
      break;
    case 'invite.delete':
      text = `deleted the invite${codeText}`;
      break;
    case 'announcement.create': {
      const title = changeValue(entry, 'title');
      text = typeof title === 'string' ? `posted the announcement “${clip(title, 60)}”` : 'posted an announcement';
      break;
    }
    case 'announcement.delete':
      text = 'deleted an announcement';
      break;
    case 'report.update':
      text = entry.target_id ? `updated report ${entry.target_id}` : 'updated a report';
      break;
    default:
      text = `did ${entry.action}${entry.target_id ? ` to ${target}` : ''}`;
  }
  if (entry.reason) details.push(`Reason: ${entry.reason}`);
  return { actor, text, details };
}
