/**
 * The AutoMod rule form: every trigger type the server supports (docs/api.md, AutoMod), its bounds,
 * and the conversion between the form and the API's rule bodies. Only the chosen trigger type's
 * metadata fields are sent: the server refuses another type's fields unless they are empty.
 */
import type { components } from '../api/schema';
import { MAX_TIMEOUT_SECONDS } from './durations';

type S = components['schemas'];
export type AutoModRule = S['AutoModRule'];
type TriggerMetadata = S['TriggerMetadata'];
type AutoModAction = S['AutoModAction'];

export const TRIGGER = { Keyword: 1, MentionSpam: 5, InviteLinks: 100, Links: 101, MessageSpam: 102 } as const;

export interface TriggerInfo {
  type: number;
  label: string;
  description: string;
  /** How many rules of this type a guild may have. */
  perGuild: number;
}

export const TRIGGER_TYPES: readonly TriggerInfo[] = [
  { type: TRIGGER.Keyword, label: 'Keyword filter', description: 'Block words, phrases and patterns. "cat" matches the whole word, "cat*" words starting with it, "*cat" words ending with it, "*cat*" anywhere. Look-alike letters and hidden characters are seen through.', perGuild: 6 },
  { type: TRIGGER.MentionSpam, label: 'Mention spam', description: 'Messages that mention more distinct members and roles than a limit.', perGuild: 1 },
  { type: TRIGGER.InviteLinks, label: 'Invite links', description: 'Links to invites of other communities (invites to this one pass unless you say otherwise).', perGuild: 1 },
  { type: TRIGGER.Links, label: 'Links', description: 'Links to blocked domains, or — with an allow list — to any domain not on it. Subdomains count; look-alike spellings too.', perGuild: 1 },
  { type: TRIGGER.MessageSpam, label: 'Message spam', description: 'Members sending too many messages, or too many copies of one message, within an interval.', perGuild: 1 },
];

export function triggerInfo(type: number): TriggerInfo | undefined {
  return TRIGGER_TYPES.find((t) => t.type === type);
}

export const LIMITS = {
  name: 100,
  keywords: 1000,
  keywordLength: 60,
  regexes: 10,
  regexLength: 260,
  allowList: 100,
  mentionMax: 50,
  domains: 100,
  intervalMax: 600,
  spamMax: 50,
  customMessage: 150,
  exemptRoles: 20,
  exemptChannels: 50,
} as const;

export interface RuleForm {
  name: string;
  triggerType: number;
  enabled: boolean;
  /** Keywords and phrases, separated by commas or new lines. */
  keywords: string;
  /** Regular expressions, one per line (they may contain commas). */
  regexPatterns: string;
  /** Keyword allow list, or invite codes for INVITE_LINKS; commas or new lines. */
  allowList: string;
  mentionLimit: number;
  allowGuildInvites: boolean;
  allowedDomains: string;
  blockedDomains: string;
  intervalSeconds: number;
  maxMessages: number | null;
  maxDuplicates: number | null;
  block: boolean;
  blockMessage: string;
  alert: boolean;
  alertChannelId: string;
  timeout: boolean;
  timeoutSeconds: number;
  exemptRoles: string[];
  exemptChannels: string[];
}

export function emptyForm(triggerType: number): RuleForm {
  return {
    name: triggerInfo(triggerType)?.label ?? 'New rule',
    triggerType,
    enabled: true,
    keywords: '',
    regexPatterns: '',
    allowList: '',
    mentionLimit: 10,
    allowGuildInvites: true,
    allowedDomains: '',
    blockedDomains: '',
    intervalSeconds: 10,
    maxMessages: 5,
    maxDuplicates: 3,
    block: true,
    blockMessage: '',
    alert: false,
    alertChannelId: '',
    timeout: false,
    timeoutSeconds: 600,
    exemptRoles: [],
    exemptChannels: [],
  };
}

/** Entries of a list typed as text: split on commas (when `commas`) and new lines, trimmed, blanks and repeats dropped. */
export function splitList(text: string, commas = true): string[] {
  const parts = text.split(commas ? /[\n,]/ : /\n/).map((s) => s.trim());
  return [...new Set(parts.filter(Boolean))];
}

export function formFromRule(rule: AutoModRule): RuleForm {
  const m = rule.trigger_metadata;
  const form = emptyForm(rule.trigger_type);
  const block = rule.actions.find((a) => a.type === 1);
  const alert = rule.actions.find((a) => a.type === 2);
  const timeout = rule.actions.find((a) => a.type === 3);
  return {
    ...form,
    name: rule.name,
    enabled: rule.enabled,
    keywords: (m.keyword_filter ?? []).join(', '),
    regexPatterns: (m.regex_patterns ?? []).join('\n'),
    allowList: (m.allow_list ?? []).join(', '),
    mentionLimit: m.mention_total_limit ?? form.mentionLimit,
    allowGuildInvites: m.allow_guild_invites ?? true,
    allowedDomains: (m.allowed_domains ?? []).join(', '),
    blockedDomains: (m.blocked_domains ?? []).join(', '),
    intervalSeconds: m.interval_seconds ?? form.intervalSeconds,
    maxMessages: rule.trigger_type === TRIGGER.MessageSpam ? (m.max_messages ?? null) : form.maxMessages,
    maxDuplicates: rule.trigger_type === TRIGGER.MessageSpam ? (m.max_duplicates ?? null) : form.maxDuplicates,
    block: !!block,
    blockMessage: block?.metadata?.custom_message ?? '',
    alert: !!alert,
    alertChannelId: alert?.metadata?.channel_id ?? '',
    timeout: !!timeout,
    timeoutSeconds: timeout?.metadata?.duration_seconds ?? form.timeoutSeconds,
    exemptRoles: [...rule.exempt_roles],
    exemptChannels: [...rule.exempt_channels],
  };
}

/** The trigger metadata for the form's trigger type, and nothing of the other types. */
export function metadataFromForm(f: RuleForm): TriggerMetadata {
  switch (f.triggerType) {
    case TRIGGER.Keyword:
      return { keyword_filter: splitList(f.keywords), regex_patterns: splitList(f.regexPatterns, false), allow_list: splitList(f.allowList) };
    case TRIGGER.MentionSpam:
      return { mention_total_limit: f.mentionLimit, mention_raid_protection_enabled: false };
    case TRIGGER.InviteLinks:
      return { allow_list: splitList(f.allowList), allow_guild_invites: f.allowGuildInvites };
    case TRIGGER.Links:
      return { allowed_domains: splitList(f.allowedDomains), blocked_domains: splitList(f.blockedDomains) };
    case TRIGGER.MessageSpam: {
      const m: TriggerMetadata = { interval_seconds: f.intervalSeconds };
      if (f.maxMessages !== null) m.max_messages = f.maxMessages;
      if (f.maxDuplicates !== null) m.max_duplicates = f.maxDuplicates;
      return m;
    }
    default:
      return {};
  }
}

export function actionsFromForm(f: RuleForm): AutoModAction[] {
  const out: AutoModAction[] = [];
  if (f.block) out.push({ type: 1, metadata: f.blockMessage.trim() ? { custom_message: f.blockMessage.trim() } : {} });
  if (f.alert) out.push({ type: 2, metadata: { channel_id: f.alertChannelId } });
  if (f.timeout) out.push({ type: 3, metadata: { duration_seconds: f.timeoutSeconds } });
  return out;
}

function intIn(n: number | null, min: number, max: number): boolean {
  return n !== null && Number.isInteger(n) && n >= min && n <= max;
}

/** Field problems the server would refuse, keyed by form field. Empty when the form can be sent. */
export function validateForm(f: RuleForm): Record<string, string> {
  const e: Record<string, string> = {};
  const name = f.name.trim();
  if (name.length < 1 || name.length > LIMITS.name) e['name'] = `A name of 1–${LIMITS.name} characters.`;
  if (!triggerInfo(f.triggerType)) e['triggerType'] = 'Pick a trigger.';
  if (f.triggerType === TRIGGER.Keyword) {
    const kw = splitList(f.keywords);
    const rx = splitList(f.regexPatterns, false);
    const allow = splitList(f.allowList);
    if (kw.length === 0 && rx.length === 0) e['keywords'] = 'Give at least one keyword or regular expression.';
    else if (kw.length > LIMITS.keywords) e['keywords'] = `At most ${LIMITS.keywords} keywords.`;
    else if (kw.some((k) => k.length > LIMITS.keywordLength)) e['keywords'] = `Each keyword is at most ${LIMITS.keywordLength} characters.`;
    if (rx.length > LIMITS.regexes) e['regexPatterns'] = `At most ${LIMITS.regexes} patterns.`;
    else if (rx.some((r) => r.length > LIMITS.regexLength)) e['regexPatterns'] = `Each pattern is at most ${LIMITS.regexLength} characters.`;
    if (allow.length > LIMITS.allowList) e['allowList'] = `At most ${LIMITS.allowList} entries.`;
    else if (allow.some((k) => k.length > LIMITS.keywordLength)) e['allowList'] = `Each entry is at most ${LIMITS.keywordLength} characters.`;
  }
  if (f.triggerType === TRIGGER.MentionSpam && !intIn(f.mentionLimit, 1, LIMITS.mentionMax)) e['mentionLimit'] = `A whole number from 1 to ${LIMITS.mentionMax}.`;
  if (f.triggerType === TRIGGER.InviteLinks && splitList(f.allowList).length > LIMITS.allowList) e['allowList'] = `At most ${LIMITS.allowList} invite codes.`;
  if (f.triggerType === TRIGGER.Links) {
    const a = splitList(f.allowedDomains);
    const b = splitList(f.blockedDomains);
    if (a.length === 0 && b.length === 0) e['blockedDomains'] = 'Give blocked domains, allowed domains, or both.';
    if (a.length > LIMITS.domains) e['allowedDomains'] = `At most ${LIMITS.domains} domains.`;
    if (b.length > LIMITS.domains) e['blockedDomains'] = `At most ${LIMITS.domains} domains.`;
  }
  if (f.triggerType === TRIGGER.MessageSpam) {
    if (!intIn(f.intervalSeconds, 1, LIMITS.intervalMax)) e['intervalSeconds'] = `A whole number of seconds from 1 to ${LIMITS.intervalMax}.`;
    if (f.maxMessages === null && f.maxDuplicates === null) e['maxMessages'] = 'Give a message limit, a duplicate limit, or both.';
    if (f.maxMessages !== null && !intIn(f.maxMessages, 1, LIMITS.spamMax)) e['maxMessages'] = `A whole number from 1 to ${LIMITS.spamMax}.`;
    if (f.maxDuplicates !== null && !intIn(f.maxDuplicates, 1, LIMITS.spamMax)) e['maxDuplicates'] = `A whole number from 1 to ${LIMITS.spamMax}.`;
  }
  if (!f.block && !f.alert && !f.timeout) e['actions'] = 'Choose at least one action.';
  if (f.block && f.blockMessage.trim().length > LIMITS.customMessage) e['blockMessage'] = `At most ${LIMITS.customMessage} characters.`;
  if (f.alert && !f.alertChannelId) e['alertChannelId'] = 'Pick the channel that receives alerts.';
  if (f.timeout && !intIn(f.timeoutSeconds, 1, MAX_TIMEOUT_SECONDS)) e['timeoutSeconds'] = 'Between 1 second and 28 days.';
  if (f.exemptRoles.length > LIMITS.exemptRoles) e['exemptRoles'] = `At most ${LIMITS.exemptRoles} roles.`;
  if (f.exemptChannels.length > LIMITS.exemptChannels) e['exemptChannels'] = `At most ${LIMITS.exemptChannels} channels.`;
  return e;
}

export function createBody(f: RuleForm): S['CreateAutoModRule'] {
  return {
    name: f.name.trim(),
    event_type: 1,
    trigger_type: f.triggerType,
    trigger_metadata: metadataFromForm(f),
    actions: actionsFromForm(f),
    enabled: f.enabled,
    exempt_roles: f.exemptRoles,
    exempt_channels: f.exemptChannels,
  };
}

/** The PATCH body: every editable field (the trigger type cannot change; metadata is replaced whole). */
export function updateBody(f: RuleForm): S['UpdateAutoModRule'] {
  const { trigger_type: _t, ...rest } = createBody(f);
  void _t;
  return rest;
}

/** One line describing a rule's trigger for the rules list. */
export function ruleSummary(rule: AutoModRule): string {
  const m = rule.trigger_metadata;
  switch (rule.trigger_type) {
    case TRIGGER.Keyword: {
      const n = (m.keyword_filter ?? []).length;
      const r = (m.regex_patterns ?? []).length;
      return [n ? `${n} keyword${n === 1 ? '' : 's'}` : '', r ? `${r} pattern${r === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ') || 'No keywords';
    }
    case TRIGGER.MentionSpam:
      return `More than ${m.mention_total_limit ?? '?'} mentions`;
    case TRIGGER.InviteLinks:
      return m.allow_guild_invites === false ? 'Every invite link' : 'Invites to other communities';
    case TRIGGER.Links: {
      const b = (m.blocked_domains ?? []).length;
      const a = (m.allowed_domains ?? []).length;
      return [b ? `${b} blocked domain${b === 1 ? '' : 's'}` : '', a ? `only ${a} allowed domain${a === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
    }
    case TRIGGER.MessageSpam:
      return [m.max_messages ? `${m.max_messages} messages` : '', m.max_duplicates ? `${m.max_duplicates} copies` : ''].filter(Boolean).join(' or ') + ` per ${m.interval_seconds ?? '?'} s`;
    default:
      return '';
  }
}
