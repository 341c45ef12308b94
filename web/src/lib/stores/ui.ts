/** Which overlay is open. One place, so Esc and the shortcuts know what to close. */
import { writable } from 'svelte/store';

export type Overlay = { kind: 'user-settings' } | { kind: 'guild-settings'; guildId: string } | { kind: 'admin' } | { kind: 'quick-switcher' } | null;

export const overlay = writable<Overlay>(null);
