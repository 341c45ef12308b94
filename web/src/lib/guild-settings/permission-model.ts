/**
 * The permission editors' model: role toggles and overwrite tri-states (deny / inherit / allow)
 * over BigInt bitfields, and which bits the signed-in member may change. The rules mirror
 * docs/permissions.md (Hierarchy): nobody but the owner or an ADMINISTRATOR grants or revokes a bit
 * they do not hold themselves, and overwrites never carry ADMINISTRATOR.
 */
import { ALL, P, has, parseBits } from '../permissions';

export type Tri = 'deny' | 'inherit' | 'allow';

export interface OverwriteBits {
  allow: bigint;
  deny: bigint;
}

/** The overwrite's wire strings as bits; a bit in both allow and deny counts as allowed (the server applies deny, then allow). */
export function fromWire(o: { allow?: string | null; deny?: string | null }): OverwriteBits {
  const allow = parseBits(o.allow);
  return { allow, deny: parseBits(o.deny) & ~allow };
}

export function toWire(b: OverwriteBits): { allow: string; deny: string } {
  return { allow: b.allow.toString(), deny: b.deny.toString() };
}

export function triOf(b: OverwriteBits, bit: bigint): Tri {
  if (has(b.allow, bit)) return 'allow';
  if (has(b.deny, bit)) return 'deny';
  return 'inherit';
}

export function withTri(b: OverwriteBits, bit: bigint, t: Tri): OverwriteBits {
  const allow = b.allow & ~bit;
  const deny = b.deny & ~bit;
  if (t === 'allow') return { allow: allow | bit, deny };
  if (t === 'deny') return { allow, deny: deny | bit };
  return { allow, deny };
}

/** Bits whose state differs between two overwrites (what the server checks you hold). */
export function changedBits(before: OverwriteBits, after: OverwriteBits): bigint {
  return (before.allow ^ after.allow) | (before.deny ^ after.deny);
}

export function isEmptyOverwrite(b: OverwriteBits): boolean {
  return b.allow === 0n && b.deny === 0n;
}

/** Who is editing: their guild-level permissions (GuildAccess in the server) and whether they own the guild. */
export interface Grantor {
  isOwner: boolean;
  permissions: bigint;
}

/** The bits the grantor may add or remove anywhere. */
export function grantableBits(g: Grantor): bigint {
  if (g.isOwner || has(g.permissions, P.ADMINISTRATOR)) return ALL;
  return g.permissions & ALL;
}

/** Bits settable in an overwrite by the grantor: what they hold, never ADMINISTRATOR. */
export function overwriteEditableBits(g: Grantor): bigint {
  return grantableBits(g) & ~P.ADMINISTRATOR;
}

export function toggled(bits: bigint, bit: bigint, on: boolean): bigint {
  return on ? bits | bit : bits & ~bit;
}

/**
 * "Clear permissions": turn off every bit the grantor may revoke; bits they do not hold stay (the
 * server would refuse revoking them).
 */
export function clearPermissions(bits: bigint, grantable: bigint): bigint {
  return bits & ~grantable;
}

/** Clear an overwrite to "inherit" everywhere the grantor may. */
export function clearOverwrite(b: OverwriteBits, editable: bigint): OverwriteBits {
  return { allow: b.allow & ~editable, deny: b.deny & ~editable };
}

/** Whether the change from `before` to `after` only touches bits the grantor may change. */
export function canApply(before: bigint, after: bigint, grantable: bigint): boolean {
  return ((before ^ after) & ~grantable) === 0n;
}
