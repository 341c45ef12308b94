/**
 * The emoji picker's state in the composer: whether it is open, and where picked emoji go (the
 * input's selection when it opened, then right after each inserted emoji, so several picks stay in
 * order). Closing gives focus back to the input at that place.
 */
import { tick } from 'svelte';
import { insertAt } from '../autocomplete';

export interface Selection {
  start: number;
  end: number;
}

export interface PickerHost {
  /** The input's selection now. */
  selection(): Selection;
  text(): string;
  /** Put this text in the input (a pick). */
  write(text: string): void;
  /** After closing (and a render): focus the input with the caret here, unless focus moved on. */
  refocus(pos: number): void;
}

export class PickerState {
  open = $state(false);
  #sel: Selection = { start: 0, end: 0 };
  #host: PickerHost;

  constructor(host: PickerHost) {
    this.#host = host;
  }

  /** Open at the input's selection, or close. */
  toggle(): void {
    if (!this.open) this.#sel = this.#host.selection();
    this.open = !this.open;
  }

  pick(emoji: string): void {
    const applied = insertAt(this.#host.text(), this.#sel.start, this.#sel.end, emoji);
    this.#sel = { start: applied.caret, end: applied.caret };
    this.#host.write(applied.text);
  }

  close(): Promise<void> {
    const pos = this.#sel.end;
    this.open = false;
    return tick().then(() => this.#host.refocus(pos));
  }
}
