import { describe, it, expect } from 'vitest';
import { ALL, P } from '../permissions';
import { PERMISSIONS, overwritePermissions, searchPermissions, groupPermissions, permissionLabels, CHANNEL_KIND } from './permission-catalog';
import { canApply, changedBits, clearOverwrite, clearPermissions, fromWire, grantableBits, overwriteEditableBits, toWire, toggled, triOf, withTri } from './permission-model';

describe('permission catalogue', () => {
  it('describes every defined bit exactly once', () => {
    const bits = PERMISSIONS.map((p) => p.bit);
    expect(new Set(bits).size).toBe(bits.length);
    expect(bits.reduce((a, b) => a | b, 0n)).toBe(ALL);
    for (const p of PERMISSIONS) {
      expect(p.label.length).toBeGreaterThan(2);
      expect(p.description.length).toBeGreaterThan(10);
    }
  });

  it('offers only channel-level bits in overwrites, by channel kind', () => {
    const text = overwritePermissions(CHANNEL_KIND.Text).map((p) => p.name);
    expect(text).toContain('SEND_MESSAGES');
    expect(text).toContain('VIEW_CHANNEL');
    expect(text).not.toContain('CONNECT');
    expect(text).not.toContain('ADMINISTRATOR');
    expect(text).not.toContain('BAN_MEMBERS');
    const voice = overwritePermissions(CHANNEL_KIND.Voice).map((p) => p.name);
    expect(voice).toContain('CONNECT');
    expect(voice).toContain('SEND_MESSAGES');
    expect(overwritePermissions(CHANNEL_KIND.Category).length).toBeGreaterThan(text.length);
  });

  it('searches labels and descriptions by every word, and groups in order', () => {
    expect(searchPermissions(PERMISSIONS, 'ban').map((p) => p.name)).toEqual(['BAN_MEMBERS']);
    expect(searchPermissions(PERMISSIONS, 'MESSAGE history').map((p) => p.name)).toEqual(['READ_MESSAGE_HISTORY']);
    expect(searchPermissions(PERMISSIONS, '   ').length).toBe(PERMISSIONS.length);
    expect(groupPermissions(PERMISSIONS).map((g) => g.group)).toEqual(['General', 'Membership', 'Text', 'Voice', 'Advanced']);
    expect(groupPermissions(searchPermissions(PERMISSIONS, 'kick')).map((g) => g.group)).toEqual(['Membership']);
    expect(permissionLabels(P.KICK_MEMBERS | P.BAN_MEMBERS)).toEqual(['Kick members', 'Ban members']);
  });
});

describe('overwrite tri-state', () => {
  it('reads and writes the wire strings', () => {
    const b = fromWire({ allow: '1024', deny: '2048' });
    expect(triOf(b, P.VIEW_CHANNEL)).toBe('allow');
    expect(triOf(b, P.SEND_MESSAGES)).toBe('deny');
    expect(triOf(b, P.ADD_REACTIONS)).toBe('inherit');
    expect(toWire(b)).toEqual({ allow: '1024', deny: '2048' });
    // Bit 60 survives (beyond 2^53).
    expect(toWire(fromWire({ allow: (1n << 60n).toString(), deny: '0' })).allow).toBe('1152921504606846976');
    // Both set: allow wins, as the server applies deny then allow.
    expect(triOf(fromWire({ allow: '1024', deny: '1024' }), P.VIEW_CHANNEL)).toBe('allow');
    expect(fromWire({ allow: null, deny: 'junk' })).toEqual({ allow: 0n, deny: 0n });
  });

  it('moves a bit between states without touching others', () => {
    let b = fromWire({ allow: '1024', deny: '2048' });
    b = withTri(b, P.SEND_MESSAGES, 'allow');
    expect(toWire(b)).toEqual({ allow: String(1024 + 2048), deny: '0' });
    b = withTri(b, P.VIEW_CHANNEL, 'deny');
    expect(toWire(b)).toEqual({ allow: '2048', deny: '1024' });
    b = withTri(b, P.VIEW_CHANNEL, 'inherit');
    expect(toWire(b)).toEqual({ allow: '2048', deny: '0' });
    expect(changedBits(fromWire({ allow: '1024', deny: '0' }), fromWire({ allow: '0', deny: '1024' }))).toBe(P.VIEW_CHANNEL);
  });
});

describe('editable bits', () => {
  const member = { isOwner: false, permissions: P.MANAGE_ROLES | P.SEND_MESSAGES | P.VIEW_CHANNEL };
  it('limits a member to the bits they hold; owner and administrators get all', () => {
    expect(grantableBits(member)).toBe(member.permissions);
    expect(grantableBits({ isOwner: true, permissions: 0n })).toBe(ALL);
    expect(grantableBits({ isOwner: false, permissions: P.ADMINISTRATOR })).toBe(ALL);
    expect(overwriteEditableBits({ isOwner: true, permissions: 0n }) & P.ADMINISTRATOR).toBe(0n);
  });

  it('clears only what the member may revoke', () => {
    const role = P.SEND_MESSAGES | P.BAN_MEMBERS;
    expect(clearPermissions(role, grantableBits(member))).toBe(P.BAN_MEMBERS);
    expect(clearOverwrite({ allow: P.SEND_MESSAGES | P.BAN_MEMBERS, deny: P.VIEW_CHANNEL }, grantableBits(member))).toEqual({ allow: P.BAN_MEMBERS, deny: 0n });
    expect(canApply(role, role & ~P.SEND_MESSAGES, grantableBits(member))).toBe(true);
    expect(canApply(role, role & ~P.BAN_MEMBERS, grantableBits(member))).toBe(false);
    expect(toggled(0n, P.SEND_MESSAGES, true)).toBe(P.SEND_MESSAGES);
    expect(toggled(P.SEND_MESSAGES, P.SEND_MESSAGES, false)).toBe(0n);
  });
});
