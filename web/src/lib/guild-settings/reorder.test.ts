import { describe, it, expect } from 'vitest';
import type { Channel, Role } from '../api/types';
import { applyChannelMoves, applyRoleReorder, channelMovePayload, layoutOf, longestIncreasing, moveItem, placeChannel, roleOrderBottomUp, rolePositionsPatch, stepChannel } from './reorder';

const role = (id: string, position: number): Role => ({ id, name: 'r' + id, position, permissions: '0', color: 0, hoist: false, mentionable: false, managed: false });
const ch = (id: string, type: number, position: number, parent_id: string | null = null): Channel => ({ id, type, position, parent_id, guild_id: 'g', name: 'c' + id, nsfw: false, rate_limit_per_user: 0, permission_overwrites: [] });

/** A deterministic shuffle. */
function shuffled<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('helpers', () => {
  it('moves items and finds a longest increasing run', () => {
    expect(moveItem(['a', 'b', 'c', 'd'], 3, 0)).toEqual(['d', 'a', 'b', 'c']);
    expect(moveItem(['a', 'b'], 0, 5)).toEqual(['a', 'b']);
    expect(longestIncreasing([3, 1, 2, 5, 4], (a, b) => a < b).length).toBe(3);
  });
});

describe('role reorder', () => {
  const roles = [role('1', 0), role('11', 1), role('12', 2), role('13', 3), role('14', 4), role('15', 5)];
  const highestFirst = () => [...roleOrderBottomUp(roles, '1')].reverse();

  it('lists one role for a single move', () => {
    const wanted = moveItem(highestFirst(), 4, 1); // 11 moves from the bottom to second place
    const body = rolePositionsPatch(roles, '1', wanted);
    expect(body).toEqual([{ id: '11', position: 4 }]);
    expect(applyRoleReorder(roleOrderBottomUp(roles, '1'), body).reverse()).toEqual(wanted);
    expect(rolePositionsPatch(roles, '1', highestFirst())).toEqual([]);
  });

  it('produces exactly the wanted order for any permutation, as the server applies it', () => {
    for (let seed = 1; seed < 200; seed++) {
      const wanted = shuffled(highestFirst(), seed);
      const body = rolePositionsPatch(roles, '1', wanted);
      expect(applyRoleReorder(roleOrderBottomUp(roles, '1'), body).reverse()).toEqual(wanted);
      for (const e of body) expect(e.position).toBeGreaterThanOrEqual(1);
    }
  });

  it('refuses an order that does not list every role', () => {
    expect(() => rolePositionsPatch(roles, '1', ['11'])).toThrow();
  });
});

describe('channel reorder', () => {
  const channels = [ch('10', 4, 0), ch('20', 4, 1), ch('1', 0, 0), ch('2', 0, 1), ch('3', 0, 0, '10'), ch('4', 2, 1, '10'), ch('5', 0, 2, '10'), ch('6', 0, 0, '20')];

  it('reads the layout as the channel list shows it', () => {
    expect(layoutOf(channels)).toEqual({ top: ['1', '2'], categories: [{ id: '10', children: ['3', '4', '5'] }, { id: '20', children: ['6'] }] });
  });

  it('moves a channel to the end with one entry and to the top by renumbering what must change', () => {
    const layout = layoutOf(channels);
    const down = { ...layout, categories: [{ id: '10', children: ['4', '5', '3'] }, layout.categories[1] as { id: string; children: string[] }] };
    expect(channelMovePayload(channels, down)).toEqual([{ id: '3', position: 3 }]);
    const up = { ...layout, categories: [{ id: '10', children: ['5', '3', '4'] }, layout.categories[1] as { id: string; children: string[] }] };
    const body = channelMovePayload(channels, up);
    expect(layoutOf(applyChannelMoves(channels, body))).toEqual(up);
    expect(channelMovePayload(channels, layout)).toEqual([]);
  });

  it('moves a channel into another category with its parent', () => {
    const wanted = placeChannel(layoutOf(channels), '3', '20', '6');
    expect(wanted.categories[1]?.children).toEqual(['3', '6']);
    const body = channelMovePayload(channels, wanted);
    expect(body.find((e) => e.id === '3')?.parent_id).toBe('20');
    expect(body.every((e) => e.id === '3' || e.parent_id === undefined)).toBe(true);
    expect(layoutOf(applyChannelMoves(channels, body))).toEqual(wanted);
  });

  it('reaches any arrangement in one call', () => {
    const base = layoutOf(channels);
    const ids = ['1', '2', '3', '4', '5', '6'];
    for (let seed = 1; seed < 150; seed++) {
      const order = shuffled(ids, seed);
      const wanted = { top: order.slice(0, seed % 3), categories: [{ id: '10', children: order.slice(seed % 3, 4) }, { id: '20', children: order.slice(4) }] };
      if (seed % 2) wanted.categories.reverse();
      const body = channelMovePayload(channels, wanted);
      expect(layoutOf(applyChannelMoves(channels, body))).toEqual(wanted);
      for (const e of body) expect(e.position).toBeGreaterThanOrEqual(0);
    }
    expect(base.top).toEqual(['1', '2']);
  });

  it('steps channels up and down across category edges, and categories among themselves', () => {
    const layout = layoutOf(channels);
    expect(stepChannel(layout, '3', -1)).toEqual({ top: ['1', '2', '3'], categories: [{ id: '10', children: ['4', '5'] }, { id: '20', children: ['6'] }] });
    expect(stepChannel(layout, '5', 1).categories[1]?.children).toEqual(['5', '6']);
    expect(stepChannel(layout, '1', -1)).toEqual(layout);
    expect(stepChannel(layout, '6', 1)).toEqual(layout);
    expect(stepChannel(layout, '20', -1).categories.map((c) => c.id)).toEqual(['20', '10']);
    expect(placeChannel(layout, '20', null, '10').categories.map((c) => c.id)).toEqual(['20', '10']);
  });
});
