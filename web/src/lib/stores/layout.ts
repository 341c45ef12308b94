/**
 * The responsive layout's state: which width class the window is in, the navigation drawer (phone)
 * and whether the member list shows. A header elsewhere may toggle these through the stores.
 *
 * - desktop (> 1100px): four columns; the member list shows unless hidden.
 * - tablet (701–1100px): the member list is hidden unless shown.
 * - phone (≤ 700px): guilds + channels are a drawer from the left, members one from the right.
 */
import { derived, get, writable } from 'svelte/store';

export type WidthClass = 'phone' | 'tablet' | 'desktop';

export function widthClass(width: number): WidthClass {
  return width <= 700 ? 'phone' : width <= 1100 ? 'tablet' : 'desktop';
}

export const viewport = writable<WidthClass>(typeof window === 'undefined' ? 'desktop' : widthClass(window.innerWidth));

/** The phone's navigation drawer (guild rail + channel list). */
export const drawerOpen = writable(false);

/** The user's member-list choice for the current width class; null follows the default. */
export const memberListChoice = writable<boolean | null>(null);

/** Whether the member list shows (a column, or on a phone an open drawer). */
export const memberListOpen = derived([viewport, memberListChoice], ([v, choice]) => choice ?? v === 'desktop');

export function toggleMemberList(current: boolean): void {
  memberListChoice.set(!current);
  drawerOpen.set(false);
}

/** Close whichever drawer is open (the phone's navigation or member drawer); true when one was. */
export function closeDrawers(): boolean {
  let closed = false;
  drawerOpen.update((o) => {
    closed ||= o;
    return false;
  });
  if (get(viewport) === 'phone' && get(memberListChoice) === true) {
    memberListChoice.set(null);
    closed = true;
  }
  return closed;
}

/** Follow the window's width; crossing a breakpoint returns the member list and drawers to their defaults. */
export function watchViewport(win: Window): () => void {
  const update = () => {
    const next = widthClass(win.innerWidth);
    viewport.update((cur) => {
      if (cur !== next) {
        memberListChoice.set(null);
        drawerOpen.set(false);
      }
      return next;
    });
  };
  update();
  win.addEventListener('resize', update);
  return () => win.removeEventListener('resize', update);
}
