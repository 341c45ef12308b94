/** The role icon shown next to a member's name: that of their highest role with an icon, as in Discord. */
import { roleIconUrl, type RoleImages } from './api/endpoints/media';

type RankedRole = RoleImages & { position: number; name: string };

/** The highest of the member's roles that has an icon (equal positions: the older role), or null. */
export function topIconRole<R extends RankedRole>(roles: readonly R[], memberRoles: readonly string[] | undefined): R | null {
  if (!memberRoles?.length) return null;
  let best: R | null = null;
  for (const r of roles) {
    if (!r.icon || !memberRoles.includes(r.id) || !roleIconUrl(r)) continue;
    if (best === null || r.position > best.position || (r.position === best.position && (r.id.length < best.id.length || (r.id.length === best.id.length && r.id < best.id)))) best = r;
  }
  return best;
}
