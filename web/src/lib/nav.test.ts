import { describe, it, expect } from 'vitest';
import { adjacentChannel, adjacentGuild, adjacentUnread, textChannels } from './nav';
import { applyEvent, emptyState, type ChatState } from './stores/chat';
import type { ReadStates } from './stores/readstate';

const user = { id: '1', username: 'me', global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2025-06-01T00:00:00Z' };
const ch = (id: string, guild: string, position: number, extra: Record<string, unknown> = {}) => ({ id, type: 0, guild_id: guild, name: 'c' + id, position, last_message_id: '900', permission_overwrites: [], ...extra });

function world(): ChatState {
  let s = applyEvent(emptyState(), 'READY', { user: { ...user, admin: false, owner: false, mfa_enabled: false }, guilds: [{ id: '10' }, { id: '20' }, { id: '30' }] });
  const me = { user, roles: [], joined_at: '2025-01-01T00:00:00Z', nick: null, pending: false };
  s = applyEvent(s, 'GUILD_CREATE', { id: '10', name: 'A', owner_id: '1', roles: [], channels: [ch('101', '10', 1), ch('100', '10', 0), ch('109', '10', 0, { type: 4 }), ch('102', '10', 0, { parent_id: '109' }), ch('103', '10', 2, { type: 2 })], members: [me], presences: [] });
  s = applyEvent(s, 'GUILD_CREATE', { id: '20', name: 'B', owner_id: '1', roles: [], channels: [ch('200', '20', 0), ch('201', '20', 1)], members: [me], presences: [] });
  s = applyEvent(s, 'GUILD_CREATE', { id: '30', name: 'C', owner_id: '1', roles: [], channels: [ch('300', '30', 0)], members: [me], presences: [] });
  return s;
}

// Everything read except the listed channels.
function readAllBut(s: ChatState, unread: string[]): ReadStates {
  const channels: ReadStates['channels'] = {};
  for (const id of Object.keys(s.channels)) channels[id] = { lastReadId: unread.includes(id) ? '1' : '900', mentions: 0, mentionIds: [] };
  return { channels };
}

describe('keyboard navigation order', () => {
  it('walks text channels in list order (uncategorised first, then categories), skipping voice', () => {
    const s = world();
    expect(textChannels(s, '10')).toEqual(['100', '101', '102']);
    expect(adjacentChannel(s, '10', '100', 1)).toBe('101');
    expect(adjacentChannel(s, '10', '102', 1)).toBe('100');
    expect(adjacentChannel(s, '10', '100', -1)).toBe('102');
    expect(adjacentChannel(s, '30', '300', 1)).toBeNull();
  });

  it('walks guilds in rail order, wrapping', () => {
    const s = world();
    expect(adjacentGuild(s, '10', 1)).toBe('20');
    expect(adjacentGuild(s, '10', -1)).toBe('30');
    expect(adjacentGuild(s, null, 1)).toBe('10');
  });

  it('finds the next unread channel in this guild, then the following guilds, wrapping', () => {
    const s = world();
    expect(adjacentUnread(s, readAllBut(s, ['102', '201']), '10', '100', 1)).toBe('102');
    expect(adjacentUnread(s, readAllBut(s, ['201']), '10', '100', 1)).toBe('201');
    expect(adjacentUnread(s, readAllBut(s, ['100']), '20', '200', 1)).toBe('100');
    expect(adjacentUnread(s, readAllBut(s, []), '10', '100', 1)).toBeNull();
  });

  it('finds the previous unread channel backwards across guilds', () => {
    const s = world();
    expect(adjacentUnread(s, readAllBut(s, ['100', '300']), '20', '201', -1)).toBe('100');
    expect(adjacentUnread(s, readAllBut(s, ['200', '300']), '20', '201', -1)).toBe('200');
    expect(adjacentUnread(s, readAllBut(s, ['300']), '10', '100', -1)).toBe('300');
  });
});
