/**
 * The `@` `#` `:` popup's state: where the caret is, whether the input has focus, which trigger the
 * user dismissed with Esc, and the active option. The trigger, the list and its title derive from
 * those and the text (see ./suggestions.ts); a new trigger or query starts at the top of the list.
 */
import { applySuggestion, type Trigger } from '../autocomplete';
import type { Suggestion } from './rank';
import { activeTrigger, buildSuggestions, keepDismissal, popupTitle, triggerNeeds, type SuggestionSources } from './suggestions';
import { cycle } from './keys';

export interface SuggestHost {
  /** Fetch a guild's members for `@` (the cache may be partial). */
  members(guildId: string): void;
  /** Load the emoji data for `:`. */
  emoji(): void;
  /** Put the text with the accepted option in the input, then the caret at `caret`. */
  write(text: string, caret: number): void;
  /** An emoji was inserted (recently used emoji). */
  used(emoji: string): void;
}

export class SuggestState {
  caret = $state(0);
  focused = $state(false);
  /** Start of the trigger dismissed with Esc (-1: none). */
  dismissedAt = $state(-1);
  readonly #text: () => string;
  readonly #sources: SuggestionSources;
  readonly #host: SuggestHost;

  readonly trigger: Trigger | null = $derived.by(() => activeTrigger(this.#text(), this.caret, this.focused, this.dismissedAt));
  readonly items: Suggestion[] = $derived.by(() => buildSuggestions(this.trigger, this.#sources));
  readonly open = $derived(this.items.length > 0);
  readonly title = $derived(popupTitle(this.trigger));
  /** The active option; back to 0 whenever the trigger changes (↑/↓ and hover move it). */
  active = $derived.by(() => {
    void this.trigger;
    return 0;
  });

  /**
   * `sources` may hold getters: each trigger then reads (and re-derives on) only what it needs.
   * `host` is asked for what a trigger needs first (a guild's members for `@`, the emoji for `:`)
   * and applies accepted options. Create it while a component initialises: asking is an effect
   * owned by that component.
   */
  constructor(text: () => string, sources: SuggestionSources, host: SuggestHost) {
    this.#text = text;
    this.#sources = sources;
    this.#host = host;
    $effect(() => {
      const needs = triggerNeeds(this.trigger, sources.standing.guildId, sources.emojiData !== null);
      if (needs.membersOf) host.members(needs.membersOf);
      if (needs.emoji) host.emoji();
    });
  }

  /** `typed`: the input's text when the user moved the caret; null when the composer placed it. */
  caretMoved(pos: number, typed: string | null): void {
    this.caret = pos;
    if (typed !== null) this.dismissedAt = keepDismissal(this.dismissedAt, typed, pos);
  }

  move(delta: number): void {
    this.active = cycle(this.active, delta, this.items.length);
  }

  /** Esc: this trigger stays closed until the caret leaves it. */
  dismiss(): void {
    this.dismissedAt = this.trigger?.start ?? -1;
  }

  undismiss(): void {
    this.dismissedAt = -1;
  }

  /** Accept option `i` (the active one by default): it replaces the trigger and its query. */
  accept(i = this.active): void {
    const s = this.items[i];
    const t = this.trigger;
    if (!s || !t) return;
    const applied = applySuggestion(this.#text(), t, s.insert);
    this.#host.write(applied.text, applied.caret);
    if (s.kind === 'emoji') this.#host.used(s.insert);
  }
}
