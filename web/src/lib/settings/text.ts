/**
 * Client-side copies of the server's text rules (docs/api.md, hearth-core text.rs), so a form can
 * say what is wrong before sending. The server stays the authority; its field errors are shown too.
 */

/** Length as the server counts it: Unicode scalar values, not UTF-16 units. */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** What the server stores for a one-line or profile text: trimmed and NFC-normalised. */
export function normalizeText(s: string): string {
  return s.trim().normalize('NFC');
}

/** Control characters and the invisible formatting characters the server refuses in names and profile text. */
const CONTROL_OR_INVISIBLE = /[\p{Cc}\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
const CONTROL_OR_INVISIBLE_BUT_NEWLINE = /[\0-\t\v-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
/** Control characters other than newline and tab (markdown documents). */
const CONTROL_BUT_NEWLINE_TAB = /[\0-\x08\v-\x1f\x7f-\x9f]/u;

export interface TextRule {
  min: number;
  max: number;
  /** Newlines allowed (bio, descriptions). */
  multiline?: boolean;
  /** A markdown document: `\r\n` becomes `\n`, tabs allowed, invisible characters kept, no NFC. */
  markdown?: boolean;
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/** The error for a text field, or null when the server would take it. */
export function textError(value: string, rule: TextRule): string | null {
  const text = rule.markdown ? value.trim().replace(/\r\n/g, '\n') : normalizeText(value);
  const len = charCount(text);
  if (len < rule.min) return rule.min === 1 ? 'Required' : `Must be at least ${plural(rule.min, 'character')}`;
  if (len > rule.max) return `Must be at most ${plural(rule.max, 'character')} (now ${len})`;
  if (rule.markdown) {
    if (CONTROL_BUT_NEWLINE_TAB.test(text)) return 'Control characters other than newline and tab are not allowed';
  } else if ((rule.multiline ? CONTROL_OR_INVISIBLE_BUT_NEWLINE : CONTROL_OR_INVISIBLE).test(text)) {
    return rule.multiline ? 'Control or invisible formatting characters are not allowed' : 'Must be one line, without control or invisible formatting characters';
  }
  return null;
}

/** Collect field errors, leaving out the fields that are fine. */
export function collectErrors<K extends string>(entries: [K, string | null][]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const [k, v] of entries) if (v) out[k] = v;
  return out;
}

export function hasErrors(errors: Partial<Record<string, string>>): boolean {
  return Object.values(errors).some((v) => !!v);
}
