/**
 * A reply's one-line preview of the message it answers: the content parsed with Hearth's markdown
 * (lib/markdown/parse.ts) and flattened to one line of parts — plain text, mentions by name
 * ("@Ada", "#general", "@Mods"), inline code, and spoilers (kept hidden) — so no raw `<@&id>` or
 * markdown syntax shows. Pure: mention names and timestamps come from the caller.
 */
import { parse, type GroupMentionNode, type IdMentionNode, type MdNode, type TimestampNode } from '../markdown/parse';

export interface ExcerptPart {
  kind: 'text' | 'mention' | 'code' | 'spoiler';
  text: string;
}

export interface ExcerptNames {
  /** A mention's label with its sigil: "@Ada", "#general", "@Mods", "@everyone". */
  mention: (node: IdMentionNode | GroupMentionNode) => string;
  /** A `<t:…>` timestamp as the reader sees it. */
  timestamp: (node: TimestampNode) => string;
}

/** Characters a preview keeps (the line is cut by CSS long before; this bounds the work). */
export const EXCERPT_MAX = 200;

/**
 * The content as one line of parts, at most `max` characters (an ellipsis marks a cut). Block
 * structure (lines, quotes, lists, headings, code blocks) becomes single spaces.
 */
export function replyExcerpt(content: string, names: ExcerptNames, max = EXCERPT_MAX): ExcerptPart[] {
  const parts: ExcerptPart[] = [];
  let length = 0;
  let full = false;
  /** A space is owed before the next text (a line or block ended). */
  let gap = false;

  function push(kind: ExcerptPart['kind'], raw: string): void {
    if (full) return;
    let text = raw.replace(/\s+/g, ' ');
    if (length === 0) text = text.replace(/^ /, '');
    if (text === '') return;
    if (gap && length > 0 && !/^ /.test(text)) {
      const last = parts[parts.length - 1];
      if (last && !/ $/.test(last.text)) text = ' ' + text;
    }
    gap = false;
    if (length + text.length > max) {
      text = text.slice(0, Math.max(0, max - length)).trimEnd() + '…';
      full = true;
    }
    length += text.length;
    const last = parts[parts.length - 1];
    if (last && last.kind === kind && (kind === 'text' || kind === 'spoiler')) last.text += text;
    else parts.push({ kind, text });
  }

  function walk(nodes: readonly MdNode[], spoiler: boolean): void {
    for (const n of nodes) {
      if (full) return;
      switch (n.type) {
        case 'text':
          push(spoiler ? 'spoiler' : 'text', n.text);
          break;
        case 'emoji':
          push(spoiler ? 'spoiler' : 'text', n.name);
          break;
        case 'custom_emoji':
          push(spoiler ? 'spoiler' : 'text', `:${n.name}:`);
          break;
        case 'code_inline':
          push(spoiler ? 'spoiler' : 'code', n.text);
          break;
        case 'code_block':
          gap = true;
          push(spoiler ? 'spoiler' : 'code', n.text.trim());
          gap = true;
          break;
        case 'line_break':
          gap = true;
          break;
        case 'mention_user':
        case 'mention_role':
        case 'mention_channel':
        case 'mention_everyone':
        case 'mention_here':
          push(spoiler ? 'spoiler' : 'mention', names.mention(n));
          break;
        case 'timestamp':
          push(spoiler ? 'spoiler' : 'text', names.timestamp(n));
          break;
        case 'spoiler':
          walk(n.children, true);
          break;
        case 'blockquote':
        case 'heading':
        case 'list':
        case 'list_item':
          gap = true;
          walk(n.children, spoiler);
          gap = true;
          break;
        default:
          // strong, em, underline, strike, link: their text
          walk(n.children, spoiler);
      }
    }
  }

  walk(parse(content), false);
  const last = parts[parts.length - 1];
  if (last) {
    last.text = last.text.replace(/ $/, '');
    if (last.text === '') parts.pop();
  }
  return parts;
}

/** The parts as plain text (for an accessible name): spoilers stay hidden. */
export function excerptText(parts: readonly ExcerptPart[]): string {
  return parts.map((p) => (p.kind === 'spoiler' ? '[spoiler]' : p.text)).join('');
}
