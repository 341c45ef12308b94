/** The emoji data for the composer: null until loaded, loaded on first need (its own chunk). */
import { emojiDataIfLoaded, loadEmoji, type EmojiData } from '../emoji/data';

export class LazyEmoji {
  // Raw: replaced whole, never changed inside (and large: no deep proxy).
  data: EmojiData | null = $state.raw(emojiDataIfLoaded());
  #load: () => Promise<EmojiData>;

  constructor(load: () => Promise<EmojiData> = loadEmoji) {
    this.#load = load;
  }

  /** Start loading unless loaded; a failure is quiet (a later need tries again). */
  ensure(): void {
    if (!this.data) this.#load().then((d) => (this.data = d), () => {});
  }
}
