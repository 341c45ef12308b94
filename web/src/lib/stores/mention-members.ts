/**
 * Members for `@` autocomplete beyond what the gateway gave us. GUILD_CREATE carries the online
 * members; when a guild's member_count says there are more, the composer asks for the rest through
 * the member list's paged store (`ensureAllMembers` in ./members, which fetches each guild once and
 * keeps the copy current from gateway events), debounced so that typing `@` does not fire a request
 * per keystroke.
 */
import { ensureAllMembers } from './members';

const DEBOUNCE_MS = 300;
const timers = new Map<string, ReturnType<typeof setTimeout>>();

/** Cheap to call on every `@` keystroke: the paged store ignores guilds already complete or loading. */
export function ensureMembersFor(guildId: string): void {
  if (timers.has(guildId)) return;
  timers.set(
    guildId,
    setTimeout(() => {
      timers.delete(guildId);
      void ensureAllMembers(guildId);
    }, DEBOUNCE_MS),
  );
}

/** Merging the fetched copy with the live cache is pure: it lives with the other autocomplete logic. */
export { membersForMention } from '../composer/rank';
