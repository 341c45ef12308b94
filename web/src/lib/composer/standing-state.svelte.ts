/**
 * The composer's clock and my standing in its channel: `now` ticks every second while a slow mode
 * countdown runs and once just after a timeout ends, so the countdown and the input's return need
 * no user action. The standing object is kept while nothing in it changed (see sameIfUnchanged).
 * Create it while a component initialises: the ticking is an effect owned by that component.
 */
import type { ChatState } from '../stores/chat';
import { slowModeLeft } from '../stores/composer';
import { blockedReason, composerStanding, nextWake, sameIfUnchanged, slowModeHolds, type Standing } from './standing';

export interface StandingInputs {
  state: ChatState;
  channelId: string;
  myId: string | null;
  /** Epoch ms until which slow mode holds this channel's next message (slowModeUntil store). */
  slowUntil: number | undefined;
}

export class StandingState {
  now = $state(Date.now());
  readonly #inputs: () => StandingInputs;
  #last: Standing | null = null;

  readonly standing: Standing = $derived.by(() => {
    const i = this.#inputs();
    return (this.#last = sameIfUnchanged(this.#last, composerStanding(i.state, i.channelId, i.myId, this.now)));
  });
  readonly blocked = $derived(blockedReason(this.standing));
  /** Whole seconds of slow mode left. */
  readonly slowLeft: number = $derived.by(() => slowModeLeft(this.#inputs().slowUntil, this.now));
  readonly slowHolds = $derived(slowModeHolds(this.standing, this.slowLeft));

  constructor(inputs: () => StandingInputs) {
    this.#inputs = inputs;
    $effect(() => {
      void this.now; // re-armed after every tick
      const ms = nextWake(this.slowLeft, this.standing.me?.communication_disabled_until, Date.now());
      if (ms === null) return;
      const t = setTimeout(() => this.refresh(), ms);
      return () => clearTimeout(t);
    });
  }

  /** Look at the clock now (after a send); returns the time. */
  refresh(): number {
    return (this.now = Date.now());
  }
}
