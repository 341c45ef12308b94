/**
 * Custom emoji as text and as reactions: the `<:name:id>` / `<a:name:id>` syntax messages carry,
 * the name rules the server enforces, and the one key a reaction is known by (the unicode emoji
 * itself, or `name:id`, which is also the API's path segment). Pure.
 */

/** The server's rule for custom emoji names. */
export const EMOJI_NAME = /^[A-Za-z0-9_]{2,32}$/;
export const EMOJI_NAME_MIN = 2;
export const EMOJI_NAME_MAX = 32;
/** Snowflake ids: 1–20 digits. */
const EMOJI_ID = /^\d{1,20}$/;

const TEXT_FORM = /^<(a?):([A-Za-z0-9_]{2,32}):(\d{1,20})>$/;
const KEY_FORM = /^([A-Za-z0-9_]{2,32}):(\d{1,20})$/;

/** A custom emoji as messages and reactions name it. */
export interface CustomEmojiRef {
  id: string;
  name: string;
  animated: boolean;
}

/** A reaction's emoji as the API sends it: `id` null for unicode. */
export interface ReactionEmoji {
  id?: string | null;
  name: string;
  animated?: boolean;
}

/** `<:name:id>`, or `<a:name:id>` when animated: what a message holds to show the emoji. */
export function customEmojiText(e: CustomEmojiRef): string {
  return `<${e.animated ? 'a' : ''}:${e.name}:${e.id}>`;
}

/** The emoji named by a whole `<:name:id>` / `<a:name:id>` string, or null. */
export function parseCustomEmojiText(s: string): CustomEmojiRef | null {
  const m = TEXT_FORM.exec(s);
  return m ? { animated: m[1] === 'a', name: m[2] as string, id: m[3] as string } : null;
}

/** Why a name would be refused, or null. */
export function emojiNameProblem(name: string): string | null {
  if (name.length < EMOJI_NAME_MIN || name.length > EMOJI_NAME_MAX) return `A name of ${EMOJI_NAME_MIN}–${EMOJI_NAME_MAX} characters.`;
  if (!EMOJI_NAME.test(name)) return 'Only letters, digits and underscores.';
  return null;
}

/**
 * A valid name made from an uploaded file's name: the extension dropped, every run of other
 * characters turned into one underscore, cut to 32; too short gets `emoji_` in front.
 */
export function emojiNameFromFilename(filename: string): string {
  const base = filename.replace(/^.*[/\\]/, '').replace(/\.[A-Za-z0-9]{1,5}$/, '');
  let name = base
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, EMOJI_NAME_MAX);
  if (name.length < EMOJI_NAME_MIN) name = ('emoji_' + name).slice(0, EMOJI_NAME_MAX).replace(/_$/, '');
  return name;
}

/** The key a reaction is known by: the unicode emoji, or `name:id` for a custom one. */
export function reactionKey(e: ReactionEmoji): string {
  return e.id ? `${e.name}:${e.id}` : e.name;
}

/**
 * A reaction's emoji from what the UI passes around: a unicode emoji, a reaction key (`name:id`)
 * or the text form (`<a:name:id>`, from the picker). `animated` fills in what a key cannot say.
 */
export function reactionEmoji(input: string | ReactionEmoji, animated: (id: string) => boolean = () => false): ReactionEmoji {
  if (typeof input !== 'string') return input;
  const text = parseCustomEmojiText(input);
  if (text) return text;
  const key = KEY_FORM.exec(input);
  if (key) {
    const id = key[2] as string;
    return { id, name: key[1] as string, animated: animated(id) };
  }
  return { id: null, name: input };
}

/** Whether two reaction emoji are the same: custom ones by id, unicode ones by the emoji. */
export function sameReactionEmoji(a: ReactionEmoji, b: ReactionEmoji): boolean {
  if (a.id || b.id) return !!a.id && a.id === b.id;
  return a.name === b.name;
}

/** How an emoji is named in text for people: `:party:` for a custom one, the emoji itself otherwise. */
export function emojiLabel(e: ReactionEmoji): string {
  return e.id ? `:${e.name}:` : e.name;
}

/** Whether the string is a custom emoji id (what goes into an image URL). */
export function isEmojiId(id: string): boolean {
  return EMOJI_ID.test(id);
}
