import { describe, expect, it } from 'vitest';
import type { Channel, Guild, Member } from './api/types';
import { ALL, channelPermissions, guildPermissions, has, P, parseBits, topRolePosition } from './permissions';

const G = '100';
const role = (id: string, permissions: bigint, position: number) => ({ id, name: id, permissions: permissions.toString(), position, color: 0, hoist: false, mentionable: false, managed: false });
const guild = (extra: bigint = 0n) =>
  ({ id: G, name: 'g', owner_id: '1', roles: [role(G, P.VIEW_CHANNEL | P.SEND_MESSAGES | P.ADD_REACTIONS | P.ATTACH_FILES, 0), role('200', P.MANAGE_MESSAGES | extra, 2), role('300', P.KICK_MEMBERS, 1)] }) as unknown as Guild;
const member = (id: string, roles: string[], until: string | null = null) => ({ user: { id, username: 'u' + id }, roles, communication_disabled_until: until }) as unknown as Member;
const channel = (overwrites: { id: string; type: number; allow?: string; deny?: string }[]) => ({ id: '9', guild_id: G, name: 'c', type: 0, position: 0, permission_overwrites: overwrites }) as unknown as Channel;

describe('permissions', () => {
  it('parses only decimal strings', () => {
    expect(parseBits('1152921504606846976')).toBe(P.MANAGE_REPORTS);
    expect(parseBits('-1')).toBe(0n);
    expect(parseBits('0x10')).toBe(0n);
    expect(parseBits(null)).toBe(0n);
  });

  it('combines @everyone and roles; the owner and administrators have everything', () => {
    const g = guild();
    expect(has(guildPermissions(g, member('2', ['200'])), P.MANAGE_MESSAGES)).toBe(true);
    expect(has(guildPermissions(g, member('2', [])), P.MANAGE_MESSAGES)).toBe(false);
    expect(guildPermissions(g, member('1', []))).toBe(ALL);
    expect(guildPermissions(guild(P.ADMINISTRATOR), member('2', ['200']))).toBe(ALL);
  });

  it('applies overwrites in Discord order: a role allow beats another role deny, the member overwrite wins', () => {
    const g = guild();
    const m = member('2', ['200', '300']);
    const c = channel([
      { id: G, type: 0, deny: String(P.SEND_MESSAGES) },
      { id: '300', type: 0, deny: String(P.ADD_REACTIONS) },
      { id: '200', type: 0, allow: String(P.ADD_REACTIONS | P.SEND_MESSAGES) },
      { id: '2', type: 1, deny: String(P.MANAGE_MESSAGES) },
    ]);
    const bits = channelPermissions(g, m, c);
    expect(has(bits, P.SEND_MESSAGES)).toBe(true);
    expect(has(bits, P.ADD_REACTIONS)).toBe(true);
    expect(has(bits, P.MANAGE_MESSAGES)).toBe(false);
  });

  it('a channel without VIEW_CHANNEL grants nothing; without SEND_MESSAGES no attachments', () => {
    const g = guild();
    expect(channelPermissions(g, member('2', []), channel([{ id: G, type: 0, deny: String(P.VIEW_CHANNEL) }]))).toBe(0n);
    const bits = channelPermissions(g, member('2', []), channel([{ id: G, type: 0, deny: String(P.SEND_MESSAGES) }]));
    expect(has(bits, P.ATTACH_FILES)).toBe(false);
    expect(has(bits, P.VIEW_CHANNEL)).toBe(true);
  });

  it('an overwrite cannot grant ADMINISTRATOR; a timeout leaves only view and history', () => {
    const g = guild();
    const c = channel([{ id: G, type: 0, allow: String(P.ADMINISTRATOR) }]);
    expect(has(channelPermissions(g, member('2', []), c), P.ADMINISTRATOR)).toBe(false);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(channelPermissions(g, member('2', ['200'], future), channel([]))).toBe(P.VIEW_CHANNEL);
    expect(guildPermissions(g, member('2', ['200'], future))).toBe(P.VIEW_CHANNEL);
  });

  it('ranks members by their highest role', () => {
    const g = guild();
    expect(topRolePosition(g, member('2', ['300', '200']))).toBe(2);
    expect(topRolePosition(g, member('2', []))).toBe(0);
    expect(topRolePosition(g, member('1', []))).toBeGreaterThan(1000);
  });
});
