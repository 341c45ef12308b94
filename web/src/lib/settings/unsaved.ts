/**
 * Unsaved changes across a settings screen, as in Discord: while a section has unsaved changes
 * (a SaveBar that is dirty), leaving the section or closing the screen is refused and the bar
 * nudges the user instead ("Careful — you have unsaved changes!").
 */
import { get, writable } from 'svelte/store';

/** How many SaveBars are dirty right now. */
export const unsavedCount = writable(0);
/** Bumped each time a leave was refused; SaveBars watch it to draw attention. */
export const unsavedNudge = writable(0);

/** Register a dirty form; call the returned function when it is clean again or goes away. */
export function markUnsaved(): () => void {
  unsavedCount.update((n) => n + 1);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    unsavedCount.update((n) => Math.max(0, n - 1));
  };
}

/** True when leaving is fine; otherwise nudges the dirty bars and answers false. */
export function mayLeave(): boolean {
  if (get(unsavedCount) === 0) return true;
  unsavedNudge.update((n) => n + 1);
  return false;
}
