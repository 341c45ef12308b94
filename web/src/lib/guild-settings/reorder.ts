/**
 * Reordering roles and channels, and the smallest PATCH body that produces a wanted order.
 *
 * Roles (`PATCH /guilds/{id}/roles`): listed roles land exactly at their positions over the slots
 * 1..n of the non-@everyone roles, the rest fill the other slots in their current order. So only
 * roles outside a longest run kept in order need listing (usually one for a single move).
 *
 * Channels (`PATCH /guilds/{id}/channels`): positions are stored as given and channels sort by
 * (position, id) within their parent. Channels outside a longest in-order run get positions in the
 * gaps around it; when a gap is too small the container is renumbered 0..k-1 and only the channels
 * whose position or parent changes are listed.
 */
import type { Channel, Role } from '../api/types';
import type { components } from '../api/schema';
import { compareRank } from './hierarchy';
import { CHANNEL_KIND } from './permission-catalog';

type RolePosition = components['schemas']['RolePosition'];
type ChannelPosition = components['schemas']['ChannelPosition'];

export const MAX_CHANNEL_POSITION = 100000;

/** A copy of `list` with the item at `from` moved to index `to`. */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  const out = [...list];
  if (from < 0 || from >= out.length || to < 0 || to >= out.length || from === to) return out;
  const [item] = out.splice(from, 1) as [T];
  out.splice(to, 0, item);
  return out;
}

/** Indices (into `seq`) of a longest strictly increasing subsequence under `less`. */
export function longestIncreasing<T>(seq: readonly T[], less: (a: T, b: T) => boolean): number[] {
  const tails: number[] = [];
  const prev: number[] = new Array<number>(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    const x = seq[i] as T;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (less(seq[tails[mid] as number] as T, x)) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1] as number;
    tails[lo] = i;
  }
  const out: number[] = [];
  let k = tails.length ? (tails[tails.length - 1] as number) : -1;
  while (k >= 0) {
    out.push(k);
    k = prev[k] as number;
  }
  return out.reverse();
}

// ---- roles ----

/** Non-@everyone role ids from the lowest to the highest, as the server orders its slots. */
export function roleOrderBottomUp(roles: readonly Role[], guildId: string): string[] {
  return roles
    .filter((r) => r.id !== guildId)
    .sort((a, b) => compareRank(a, b))
    .map((r) => r.id);
}

/** What the server does with a reorder body: the new bottom-to-top order (roles.rs `reorder`). */
export function applyRoleReorder(bottomUp: readonly string[], body: readonly RolePosition[]): string[] {
  const n = bottomUp.length;
  const slots: (string | null)[] = new Array<string | null>(n).fill(null);
  const requested = new Map(body.map((e) => [e.id, e.position]));
  const moved = bottomUp
    .map((id, rank) => ({ id, rank, position: requested.get(id) }))
    .filter((m): m is { id: string; rank: number; position: number } => m.position !== undefined)
    .sort((a, b) => a.position - b.position || a.rank - b.rank);
  for (const m of moved) {
    const wanted = Math.min(Math.max(m.position, 1), n) - 1;
    let free = -1;
    for (let i = wanted; i < n; i++) if (slots[i] === null) {
      free = i;
      break;
    }
    if (free < 0) for (let i = wanted - 1; i >= 0; i--) if (slots[i] === null) {
      free = i;
      break;
    }
    if (free >= 0) slots[free] = m.id;
  }
  const rest = bottomUp.filter((id) => !requested.has(id));
  let r = 0;
  return slots.map((s) => s ?? (rest[r++] as string));
}

/**
 * The smallest body for `PATCH /guilds/{id}/roles` that turns the current order into
 * `wantedHighestFirst` (non-@everyone role ids, highest first). Empty when nothing moves.
 */
export function rolePositionsPatch(roles: readonly Role[], guildId: string, wantedHighestFirst: readonly string[]): RolePosition[] {
  const current = roleOrderBottomUp(roles, guildId);
  const wanted = [...wantedHighestFirst].reverse();
  if (wanted.length !== current.length || wanted.some((id) => !current.includes(id))) throw new Error('the wanted order must list every role once');
  const rankOf = new Map(current.map((id, i) => [id, i]));
  const keep = new Set(longestIncreasing(wanted, (a, b) => (rankOf.get(a) as number) < (rankOf.get(b) as number)).map((i) => wanted[i] as string));
  return wanted.map((id, i) => ({ id, position: i + 1 })).filter((e) => !keep.has(e.id));
}

// ---- channels ----

export interface ChannelLayout {
  /** Channels outside any category, in order. */
  top: string[];
  /** Categories in order, each with its channels in order. */
  categories: { id: string; children: string[] }[];
}

function cmpChannel(a: Pick<Channel, 'position' | 'id'>, b: Pick<Channel, 'position' | 'id'>): number {
  if (a.position !== b.position) return a.position - b.position;
  if (a.id.length !== b.id.length) return a.id.length - b.id.length;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The guild's channels as the channel list shows them. */
export function layoutOf(channels: readonly Channel[]): ChannelLayout {
  const cats = channels.filter((c) => c.type === CHANNEL_KIND.Category).sort(cmpChannel);
  const catIds = new Set(cats.map((c) => c.id));
  const rest = channels.filter((c) => c.type !== CHANNEL_KIND.Category);
  return {
    top: rest.filter((c) => !c.parent_id || !catIds.has(c.parent_id)).sort(cmpChannel).map((c) => c.id),
    categories: cats.map((cat) => ({ id: cat.id, children: rest.filter((c) => c.parent_id === cat.id).sort(cmpChannel).map((c) => c.id) })),
  };
}

/** New positions for one container's channels in the wanted order, changing as few as it can. */
function positionsFor(items: readonly Channel[], forced: ReadonlySet<string>): Map<string, number> {
  const out = new Map<string, number>();
  const candidates = items.map((c, i) => ({ c, i })).filter((x) => !forced.has(x.c.id));
  const lis = longestIncreasing(candidates, (a, b) => cmpChannel(a.c, b.c) < 0).map((k) => (candidates[k] as { i: number }).i);
  const fixed = new Set(lis);
  let ok = true;
  let i = 0;
  let lower: number | null = null;
  while (i < items.length && ok) {
    if (fixed.has(i)) {
      lower = (items[i] as Channel).position;
      out.set((items[i] as Channel).id, lower);
      i++;
      continue;
    }
    let j = i;
    while (j < items.length && !fixed.has(j)) j++;
    const run = j - i;
    const upper = j < items.length ? (items[j] as Channel).position : null;
    let start: number;
    if (lower === null && upper !== null) start = upper - run;
    else start = (lower ?? -1) + 1;
    const end = start + run - 1;
    if (start < 0 || end > MAX_CHANNEL_POSITION || (upper !== null && end >= upper)) ok = false;
    for (let k = 0; k < run; k++) out.set((items[i + k] as Channel).id, start + k);
    lower = end;
    i = j;
  }
  if (ok) return out;
  const renumbered = new Map<string, number>();
  items.forEach((c, k) => renumbered.set(c.id, k));
  return renumbered;
}

/**
 * The smallest body for `PATCH /guilds/{id}/channels` that turns the guild's channels into the
 * wanted layout (one call, all or nothing). Empty when nothing moves.
 */
export function channelMovePayload(channels: readonly Channel[], wanted: ChannelLayout): ChannelPosition[] {
  const byId = new Map(channels.map((c) => [c.id, c]));
  const get = (id: string): Channel => {
    const c = byId.get(id);
    if (!c) throw new Error(`unknown channel ${id}`);
    return c;
  };
  const containers: { parent: string | null; ids: string[] }[] = [
    { parent: null, ids: wanted.top },
    { parent: null, ids: wanted.categories.map((c) => c.id) },
    ...wanted.categories.map((c) => ({ parent: c.id, ids: c.children })),
  ];
  // A parent that is not a listed category (one the user cannot see) counts as none, as in layoutOf.
  const catIds = new Set(wanted.categories.map((c) => c.id));
  const parentOf = (c: Channel) => (c.parent_id && catIds.has(c.parent_id) ? c.parent_id : null);
  const body: ChannelPosition[] = [];
  for (const { parent, ids } of containers) {
    const items = ids.map(get);
    const reparented = new Set(items.filter((c) => c.type !== CHANNEL_KIND.Category && parentOf(c) !== parent).map((c) => c.id));
    const positions = positionsFor(items, reparented);
    for (const c of items) {
      const position = positions.get(c.id) as number;
      const moves = reparented.has(c.id);
      if (position === c.position && !moves) continue;
      body.push(moves ? { id: c.id, position, parent_id: parent } : { id: c.id, position });
    }
  }
  return body;
}

/** Apply a move body to channels the way the server stores it (for tests and optimistic display). */
export function applyChannelMoves(channels: readonly Channel[], body: readonly ChannelPosition[]): Channel[] {
  return channels.map((c) => {
    const m = body.find((e) => e.id === c.id);
    if (!m) return c;
    return { ...c, position: m.position ?? c.position, parent_id: m.parent_id === undefined ? c.parent_id : m.parent_id };
  });
}

/** Move a channel one step up or down in the flat list (crossing into the neighbouring category at an edge). */
export function stepChannel(layout: ChannelLayout, id: string, dir: -1 | 1): ChannelLayout {
  const catIndex = layout.categories.findIndex((c) => c.id === id);
  if (catIndex >= 0) {
    const to = catIndex + dir;
    if (to < 0 || to >= layout.categories.length) return layout;
    return { top: layout.top, categories: moveItem(layout.categories, catIndex, to) };
  }
  // Containers in display order: top, then each category.
  const lists: string[][] = [layout.top, ...layout.categories.map((c) => c.children)].map((l) => [...l]);
  const li = lists.findIndex((l) => l.includes(id));
  if (li < 0) return layout;
  const list = lists[li] as string[];
  const idx = list.indexOf(id);
  const target = idx + dir;
  if (target >= 0 && target < list.length) {
    lists[li] = moveItem(list, idx, target);
  } else {
    const nli = li + dir;
    if (nli < 0 || nli >= lists.length) return layout;
    list.splice(idx, 1);
    const next = lists[nli] as string[];
    if (dir < 0) next.push(id);
    else next.unshift(id);
  }
  return { top: lists[0] as string[], categories: layout.categories.map((c, k) => ({ id: c.id, children: lists[k + 1] as string[] })) };
}

/** Put channel `id` just before `beforeId` (or at the end of `parent` when `beforeId` is null). */
export function placeChannel(layout: ChannelLayout, id: string, parent: string | null, beforeId: string | null): ChannelLayout {
  if (layout.categories.some((c) => c.id === id)) {
    // A category moves among categories only.
    const cats = layout.categories.filter((c) => c.id !== id);
    const moving = layout.categories.find((c) => c.id === id) as { id: string; children: string[] };
    const at = beforeId === null ? cats.length : cats.findIndex((c) => c.id === beforeId);
    cats.splice(at < 0 ? cats.length : at, 0, moving);
    return { top: layout.top, categories: cats };
  }
  const strip = (l: string[]) => l.filter((x) => x !== id);
  const insert = (l: string[]) => {
    const at = beforeId === null ? l.length : l.indexOf(beforeId);
    const copy = [...l];
    copy.splice(at < 0 ? l.length : at, 0, id);
    return copy;
  };
  const top = strip(layout.top);
  const categories = layout.categories.map((c) => ({ id: c.id, children: strip(c.children) }));
  if (parent === null) return { top: insert(top), categories };
  return { top, categories: categories.map((c) => (c.id === parent ? { id: c.id, children: insert(c.children) } : c)) };
}
