import { describe, it, expect } from 'vitest';
import doc from '../../../../docs/api.md?raw';
import type { components } from '../api/schema';
import { P } from '../permissions';
import { AUDIT_ACTIONS, actionLabel, changeRows, describeEntry, entrySentence, snowflakeTime, type AuditNames } from './audit';

type Entry = components['schemas']['AuditLogEntry'];

const names: AuditNames = {
  guildId: '1',
  user: (id) => ({ '10': 'Alice', '20': 'Bob', '30': 'Carol' })[id] ?? null,
  role: (id) => ({ '5': 'Mods' })[id] ?? null,
  channel: (id) => ({ '7': 'general', '8': 'alerts' })[id] ?? null,
};

let n = 0;
function entry(action_type: number, extra: Partial<Entry> = {}): Entry {
  return { id: String(++n), guild_id: '1', action_type, changes: [], options: {} as Entry['options'], user_id: '10', target_id: '20', reason: null, ...extra };
}
const ch = (key: string, old_value?: unknown, new_value?: unknown) => ({ key, ...(old_value !== undefined ? { old_value } : {}), ...(new_value !== undefined ? { new_value } : {}) }) as Entry['changes'][number];
const opts = (o: Record<string, string>) => o as unknown as Entry['options'];

describe('audit sentences', () => {
  it('names every action code of docs/api.md, Hearth codes included', () => {
    const documented = new Set([...doc.matchAll(/\b[A-Z_]+ \((\d+)\)/g)].map((m) => Number(m[1])));
    for (const code of [140, 141, 142, 143, 144, 145]) documented.add(code);
    expect(documented.size).toBeGreaterThan(30);
    const known = new Set(AUDIT_ACTIONS.map((a) => a.code));
    for (const code of documented) expect(known.has(code), `code ${code}`).toBe(true);
    for (const a of AUDIT_ACTIONS) {
      expect(actionLabel(a.code)).not.toMatch(/^Action /);
      expect(describeEntry(entry(a.code), names)).not.toMatch(/did action/);
    }
    expect(actionLabel(9999)).toBe('Action 9999');
  });

  it('reads like a sentence, with the reason', () => {
    expect(entrySentence(entry(22, { reason: 'spam' }), names)).toBe('Alice banned Bob — reason: spam');
    expect(entrySentence(entry(22, { options: opts({ delete_message_seconds: '86400' }) }), names)).toBe('Alice banned Bob and deleted their messages from the previous 1 day');
    expect(entrySentence(entry(20), names)).toBe('Alice kicked Bob');
    expect(entrySentence(entry(23, { target_id: '99' }), names)).toBe('Alice unbanned user 99');
    expect(entrySentence(entry(25, { changes: [ch('$add', undefined, [{ id: '5', name: 'Mods' }])] }), names)).toBe('Alice gave Bob the role “Mods”');
    expect(entrySentence(entry(25, { changes: [ch('$remove', undefined, [{ id: '6', name: 'Old' }])] }), names)).toBe('Alice removed the role “Old” from Bob');
    expect(entrySentence(entry(24, { changes: [ch('communication_disabled_until', undefined, null)] }), names)).toBe('Alice removed the timeout of Bob');
    expect(entrySentence(entry(24, { changes: [ch('nick', undefined, 'bobby')] }), names)).toBe('Alice changed the nickname of Bob to “bobby”');
    expect(entrySentence(entry(24, { user_id: null, reason: 'vote 55', changes: [ch('communication_disabled_until', undefined, '2026-01-01T00:00:00Z')] }), names)).toMatch(/^A moderation vote timed out Bob until /);
    expect(entrySentence(entry(10, { target_id: '7', changes: [ch('name', undefined, 'general'), ch('type', undefined, 0)] }), names)).toBe('Alice created the text channel #general');
    expect(entrySentence(entry(12, { target_id: '77', changes: [ch('name', 'old-chat'), ch('type', 2)] }), names)).toBe('Alice deleted the voice channel #old-chat');
    expect(entrySentence(entry(13, { target_id: '7', options: opts({ id: '1', type: '0' }) }), names)).toBe('Alice added permissions for @everyone in #general');
    expect(entrySentence(entry(15, { target_id: '7', options: opts({ id: '30', type: '1' }) }), names)).toBe('Alice removed the permissions of Carol in #general');
    expect(entrySentence(entry(31, { target_id: '5', changes: [ch('position', 1, 2)] }), names)).toBe('Alice moved the role “Mods”');
    expect(entrySentence(entry(32, { target_id: '6', changes: [ch('name', 'Old')] }), names)).toBe('Alice deleted the role “Old”');
    expect(entrySentence(entry(40, { target_id: null, changes: [ch('code', undefined, 'abc'), ch('channel_id', undefined, '7')] }), names)).toBe('Alice created the invite abc to #general');
    expect(entrySentence(entry(73, { target_id: '7', options: opts({ count: '12' }) }), names)).toBe('Alice deleted 12 messages in #general');
    expect(entrySentence(entry(143, { user_id: null, options: opts({ auto_moderation_rule_name: 'No spam', channel_id: '7' }) }), names)).toBe('AutoMod blocked a message by Bob in #general (rule “No spam”)');
    expect(entrySentence(entry(1000, { reason: 'be nice' }), names)).toBe('Alice warned Bob — reason: be nice');
    expect(entrySentence(entry(1010, { options: opts({ report_id: '3', action: 'ban' }) }), names)).toBe('Alice resolved a report about Bob by banning them');
    expect(entrySentence(entry(1010, { changes: [ch('status', 'open', 'dismissed'), ch('assignee_id', undefined, '30')] }), names)).toBe('Alice marked a report about Bob as dismissed and assigned it to Carol');
    expect(entrySentence(entry(1021, { user_id: null, options: opts({ result: 'passed', for: '3', against: '1' }) }), names)).toBe('The vote to time out Bob passed (3 for, 1 against)');
    expect(entrySentence(entry(1, { changes: [ch('owner_id', '10', '30')] }), names)).toBe('Alice transferred ownership of the community to Carol');
  });

  it('shows changes as readable before and after values', () => {
    const rows = changeRows(
      entry(31, {
        changes: [ch('permissions', '0', String(P.KICK_MEMBERS | P.BAN_MEMBERS)), ch('color', 0, 0xff8800), ch('hoist', false, true), ch('name', undefined, 'Mods')],
      }),
      names,
    );
    expect(rows).toEqual([
      { key: 'permissions', label: 'Permissions', before: 'none', after: 'Kick members, Ban members' },
      { key: 'color', label: 'Colour', before: 'none', after: '#ff8800' },
      { key: 'hoist', label: 'Shown separately', before: 'no', after: 'yes' },
      { key: 'name', label: 'Name', before: 'not set', after: 'Mods' },
    ]);
    const g = changeRows(entry(1, { changes: [ch('system_channel_id', '7', '8'), ch('verification_level', 0, 2), ch('rate_limit_per_user', 0, 300)] }), names);
    expect(g.map((r) => [r.before, r.after])).toEqual([
      ['#general', '#alerts'],
      ['None', 'Medium'],
      ['off', '5 minutes'],
    ]);
    const am = changeRows(entry(141, { changes: [ch('actions', [], [{ type: 1, metadata: { custom_message: 'no' } }, { type: 3, metadata: { duration_seconds: 600 } }]), ch('exempt_roles', [], ['5'])] }), names);
    expect(am[0]?.after).toBe('block with message “no”; time out for 10 minutes');
    expect(am[1]?.after).toBe('Mods');
  });

  it('reads the time from a snowflake', () => {
    expect(snowflakeTime(((1000n << 22n) | 5n).toString())).toBe(1735689600000 + 1000);
    expect(Number.isNaN(snowflakeTime('x'))).toBe(true);
  });
});
