/**
 * Hearth's markdown (docs/markdown.md): Discord's dialect parsed into the token tree every Hearth
 * client renders from. Pure and total: every string yields a tree, nothing throws, and the work is
 * linear in the input (at most 4000 characters go in; every scan below either advances the cursor or
 * looks a position up in a table built in one pass).
 *
 * The parse runs in three steps:
 *  1. code: backtick spans and fenced blocks are found first, over the whole message, so nothing inside
 *     them is ever parsed (they may span lines);
 *  2. blocks: the message is cut into lines at newlines outside code, and lines become quotes,
 *     headings, lists or plain lines;
 *  3. inline: each line's text is tokenised (escapes, mentions, links, emoji, delimiter runs) into a
 *     linked list, and delimiter runs are paired with CommonMark's delimiter-stack algorithm
 *     (Discord's flanking rules, no "rule of 3"), which is linear thanks to per-character lower bounds.
 */

export type TimestampStyle = 't' | 'T' | 'd' | 'D' | 'f' | 'F' | 'R';
export const TIMESTAMP_STYLES: readonly TimestampStyle[] = ['t', 'T', 'd', 'D', 'f', 'F', 'R'];

export interface TextNode {
  type: 'text';
  text: string;
}
export interface StyleNode {
  type: 'strong' | 'em' | 'underline' | 'strike' | 'spoiler';
  children: MdNode[];
}
export interface CodeInlineNode {
  type: 'code_inline';
  text: string;
}
export interface CodeBlockNode {
  type: 'code_block';
  lang: string | null;
  text: string;
}
export interface BlockquoteNode {
  type: 'blockquote';
  children: MdNode[];
}
export interface HeadingNode {
  type: 'heading';
  level: 1 | 2 | 3;
  children: MdNode[];
}
export interface ListNode {
  type: 'list';
  ordered: boolean;
  /** Only on ordered lists: the first item's number. */
  start?: number;
  children: ListItemNode[];
}
export interface ListItemNode {
  type: 'list_item';
  children: MdNode[];
}
export interface LinkNode {
  type: 'link';
  url: string;
  children: MdNode[];
}
export interface IdMentionNode {
  type: 'mention_user' | 'mention_role' | 'mention_channel';
  id: string;
}
export interface GroupMentionNode {
  type: 'mention_everyone' | 'mention_here';
}
export interface EmojiNode {
  type: 'emoji';
  name: string;
}
/** A guild's custom emoji, `<:name:id>` or `<a:name:id>` (animated). */
export interface CustomEmojiNode {
  type: 'custom_emoji';
  id: string;
  name: string;
  animated: boolean;
}
export interface TimestampNode {
  type: 'timestamp';
  unix: number;
  style: TimestampStyle;
}
export interface LineBreakNode {
  type: 'line_break';
}

export type MdNode =
  | TextNode
  | StyleNode
  | CodeInlineNode
  | CodeBlockNode
  | BlockquoteNode
  | HeadingNode
  | ListNode
  | ListItemNode
  | LinkNode
  | IdMentionNode
  | GroupMentionNode
  | EmojiNode
  | CustomEmojiNode
  | TimestampNode
  | LineBreakNode;

/** The content limit: longer input is cut to its first 4000 characters (Unicode scalar values). */
export const MAX_CHARS = 4000;
/** Inline styles (and links) nest at most this deep; deeper markers are text. */
export const MAX_INLINE_DEPTH = 10;
/** Lists nest at most this deep; deeper items stay at the deepest level. */
export const MAX_LIST_DEPTH = 10;
/** A message of only emoji (and whitespace) shows them large when it has at most this many. */
export const MAX_JUMBO_EMOJI = 27;

/** Year 0 (0000-01-01T00:00:00Z) to the end of year 9999, in unix seconds. */
export const MIN_TIMESTAMP = -62167219200;
export const MAX_TIMESTAMP = 253402300799;

const BLOCK_TYPES = new Set<MdNode['type']>(['code_block', 'blockquote', 'heading', 'list']);

/** Whether a node is laid out as a block (it ends its line by itself). */
export function isBlock(node: MdNode): boolean {
  return BLOCK_TYPES.has(node.type);
}

// ---------------------------------------------------------------------------------------------
// Character classes

function isAsciiPunct(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

function isWs(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

const ALNUM = /^[\p{L}\p{N}]$/u;

/** The character (code point) ending just before index i, or '' at the start. */
function charBefore(s: string, i: number, floor: number): string {
  if (i <= floor) return '';
  const lo = s.charCodeAt(i - 1);
  if (lo >= 0xdc00 && lo <= 0xdfff && i - 2 >= floor) {
    const hi = s.charCodeAt(i - 2);
    if (hi >= 0xd800 && hi <= 0xdbff) return s.slice(i - 2, i);
  }
  return s[i - 1] ?? '';
}

/** The character (code point) starting at index i, or '' at the end. */
function charAt(s: string, i: number, ceil: number): string {
  if (i >= ceil) return '';
  const cp = s.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

const isSpaceChar = (ch: string): boolean => ch === '' || isWs(ch.charCodeAt(0));
const isAlnumChar = (ch: string): boolean => ch !== '' && ALNUM.test(ch);

// Any emoji of Unicode's RGI list: ZWJ sequences, flags, keycaps, modifier and tag sequences. The `v`
// flag (Chromium 112+, Node 20+) is required for \p{RGI_Emoji}; an older engine gets a close fallback.
const EMOJI: RegExp = (() => {
  try {
    return new RegExp('\\p{RGI_Emoji}', 'vy');
  } catch {
    return /(?:\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3|\p{Extended_Pictographic}\uFE0F?\p{Emoji_Modifier}?(?:\u200D\p{Extended_Pictographic}\uFE0F?\p{Emoji_Modifier}?)*)/uy;
  }
})();

// ---------------------------------------------------------------------------------------------
// Entry points

/** Cut a string to its first `max` code points, never splitting a surrogate pair. */
export function truncate(input: string, max = MAX_CHARS): string {
  if (input.length <= max) return input;
  let i = 0;
  let count = 0;
  while (i < input.length && count < max) {
    const c = input.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < input.length && (input.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    i += pair ? 2 : 1;
    count++;
  }
  return input.slice(0, i);
}

/** Parse message content into Hearth's token tree (docs/markdown.md). Never throws. */
export function parse(input: string): MdNode[] {
  const s = truncate(typeof input === 'string' ? input : String(input ?? '')).replace(/\r\n?/g, '\n');
  if (s === '') return [];
  return new Parser(s).run();
}

/** The emoji count when the content is only 1–27 emoji (unicode or custom) and whitespace (shown large), else 0. */
export function jumboCount(nodes: readonly MdNode[]): number {
  let count = 0;
  for (const n of nodes) {
    if (n.type === 'emoji' || n.type === 'custom_emoji') count++;
    else if (n.type === 'line_break') continue;
    else if (n.type === 'text' && n.text.trim() === '') continue;
    else return 0;
  }
  return count <= MAX_JUMBO_EMOJI ? count : 0;
}

/** The readable text of inline nodes (text, code, emoji), e.g. a link's label. */
export function plainText(nodes: readonly MdNode[]): string {
  let out = '';
  const stack: MdNode[] = [...nodes].reverse();
  while (stack.length) {
    const n = stack.pop() as MdNode;
    if (n.type === 'text' || n.type === 'code_inline' || n.type === 'code_block') out += n.text;
    else if (n.type === 'emoji') out += n.name;
    else if (n.type === 'custom_emoji') out += `:${n.name}:`;
    else if ('children' in n) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as MdNode);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Step 1: code

interface CodeRegion {
  start: number;
  end: number;
  node: CodeInlineNode | CodeBlockNode;
}

const LANG = /^([A-Za-z0-9_+#.-]{1,32})[ \t]*\n/;

function findCode(s: string): CodeRegion[] {
  const n = s.length;
  // Maximal backtick runs of length 1 and 2: the only closers an inline span can have.
  const runs: [number[], number[]] = [[], []];
  for (let i = 0; i < n; ) {
    if (s.charCodeAt(i) !== 96) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && s.charCodeAt(j) === 96) j++;
    if (j - i <= 2) runs[j - i - 1]?.push(i);
    i = j;
  }
  const cursor = [0, 0];
  let noFenceAfter = n + 1; // no "```" starts at or after this index
  const out: CodeRegion[] = [];
  for (let i = 0; i < n; ) {
    const c = s.charCodeAt(i);
    if (c === 92 && i + 1 < n && isAsciiPunct(s.charCodeAt(i + 1))) {
      i += 2;
      continue;
    }
    if (c !== 96) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && s.charCodeAt(j) === 96) j++;
    const len = j - i;
    if (len >= 3) {
      const close = j >= noFenceAfter ? -1 : s.indexOf('```', j);
      if (close < 0) {
        noFenceAfter = Math.min(noFenceAfter, j);
        i = j;
        continue;
      }
      if (close === j) {
        // "``````": nothing between the fences, so text.
        i = j;
        continue;
      }
      let end = close;
      while (end < n && s.charCodeAt(end) === 96) end++;
      const content = s.slice(j, close);
      const m = LANG.exec(content);
      let lang: string | null = null;
      let text = content;
      if (m) {
        lang = m[1] ?? null;
        text = content.slice(m[0].length);
      } else if (content.startsWith('\n')) {
        text = content.slice(1);
      }
      out.push({ start: i, end, node: { type: 'code_block', lang, text } });
      i = end;
      continue;
    }
    const list = runs[len - 1] ?? [];
    let p = cursor[len - 1] ?? 0;
    while (p < list.length && (list[p] ?? 0) < j) p++;
    cursor[len - 1] = p;
    const closer = list[p];
    if (closer === undefined) {
      i = j;
      continue;
    }
    let text = s.slice(j, closer);
    if (text.length >= 2 && text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') text = text.slice(1, -1);
    out.push({ start: i, end: closer + len, node: { type: 'code_inline', text } });
    i = closer + len;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Step 3 data: the inline item list

interface ItemBase {
  prev: Item | null;
  next: Item | null;
}
interface TextItem extends ItemBase {
  k: 'text';
  s: string;
}
interface AtomItem extends ItemBase {
  k: 'atom';
  node: MdNode;
  /** The source text, shown instead of the node where the node cannot be (inside a link). */
  raw: string;
}
interface DelimItem extends ItemBase {
  k: 'delim';
  ch: '*' | '_' | '~' | '|';
  n: number;
  open: boolean;
  close: boolean;
  /** Order on the delimiter stack (strictly increasing). */
  seq: number;
  dprev: DelimItem | null;
  dnext: DelimItem | null;
}
interface BracketItem extends ItemBase {
  k: 'bracket';
  active: boolean;
  pos: number;
  delimBottom: DelimItem | null;
}
interface WrapItem extends ItemBase {
  k: 'wrap';
  type: StyleNode['type'] | 'link';
  url: string;
  open: string;
  close: string;
  head: Item | null;
}
type Item = TextItem | AtomItem | DelimItem | BracketItem | WrapItem;

const PAIR_ONLY = (ch: string): boolean => ch === '~' || ch === '|';

function styleOf(ch: DelimItem['ch'], use: number): StyleNode['type'] {
  if (ch === '~') return 'strike';
  if (ch === '|') return 'spoiler';
  if (ch === '_') return use === 2 ? 'underline' : 'em';
  return use === 2 ? 'strong' : 'em';
}

const MENTION = /<(@[!&]?|#)(\d{1,20})>/y;
const TIMESTAMP = /<t:(-?\d{1,13})(?::([tTdDfFR]))?>/y;
const CUSTOM_EMOJI = /<(a?):([A-Za-z0-9_]{2,32}):(\d{1,20})>/y;
const MAX_SNOWFLAKE = (1n << 63n) - 1n;
const URL_TRAIL = new Set(['.', ',', ':', ';', '!', '?', '"', "'", '*', '_', '~', '|', ']', '>']);

/** An http(s) URL with a host, normalised, or null: every other scheme stays text. */
export function safeUrl(raw: string): string | null {
  if (!/^https?:\/\//i.test(raw)) return null;
  try {
    const u = new URL(raw);
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '') return null;
    return u.href;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The parser

interface Line {
  start: number;
  end: number;
}

class Parser {
  private readonly s: string;
  private readonly n: number;
  private readonly codeAt = new Map<number, CodeRegion>();
  /** Index of the first code region start at or after i. */
  private readonly nextCode: Int32Array;
  /** Index of the first block code region start at or after i. */
  private readonly nextBlock: Int32Array;
  /** Count of non-whitespace characters before i. */
  private readonly nonWs: Int32Array;
  /** Index of the first whitespace character at or after i. */
  private readonly nextWs: Int32Array;
  private readonly nextLt: Int32Array;
  private readonly nextGt: Int32Array;
  /** For a link destination starting at i: the first k > i where the parenthesis depth drops below its value at i. */
  private readonly parenDrop: Int32Array;

  // inline state (one segment at a time)
  private head: Item | null = null;
  private tail: Item | null = null;
  private dHead: DelimItem | null = null;
  private dTail: DelimItem | null = null;
  private seq = 0;
  private brackets: BracketItem[] = [];
  private noAutolinkBefore = 0;

  constructor(s: string) {
    this.s = s;
    const n = (this.n = s.length);
    const regions = findCode(s);
    this.nextCode = new Int32Array(n + 1).fill(n);
    this.nextBlock = new Int32Array(n + 1).fill(n);
    for (const r of regions) {
      this.codeAt.set(r.start, r);
      this.nextCode[r.start] = r.start;
      if (r.node.type === 'code_block') this.nextBlock[r.start] = r.start;
    }
    for (let i = n - 1; i >= 0; i--) {
      this.nextCode[i] = Math.min(this.nextCode[i] as number, this.nextCode[i + 1] as number);
      this.nextBlock[i] = Math.min(this.nextBlock[i] as number, this.nextBlock[i + 1] as number);
    }
    this.nonWs = new Int32Array(n + 1);
    this.nextWs = new Int32Array(n + 1).fill(n);
    this.nextLt = new Int32Array(n + 1).fill(n);
    this.nextGt = new Int32Array(n + 1).fill(n);
    const depth = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      this.nonWs[i + 1] = (this.nonWs[i] as number) + (isWs(c) ? 0 : 1);
      depth[i + 1] = (depth[i] as number) + (c === 40 ? 1 : c === 41 ? -1 : 0);
    }
    for (let i = n - 1; i >= 0; i--) {
      const c = s.charCodeAt(i);
      this.nextWs[i] = isWs(c) ? i : (this.nextWs[i + 1] as number);
      this.nextLt[i] = c === 60 ? i : (this.nextLt[i + 1] as number);
      this.nextGt[i] = c === 62 ? i : (this.nextGt[i + 1] as number);
    }
    // Next strictly lower prefix depth, by a monotonic stack.
    this.parenDrop = new Int32Array(n + 1).fill(-1);
    const stack: number[] = [];
    for (let k = n; k >= 0; k--) {
      const d = depth[k] as number;
      while (stack.length && (depth[stack[stack.length - 1] as number] as number) >= d) stack.pop();
      this.parenDrop[k] = stack.length ? (stack[stack.length - 1] as number) : -1;
      stack.push(k);
    }
  }

  run(): MdNode[] {
    return this.blocks(this.lines(), false);
  }

  /** Lines: cut at newlines outside code. */
  private lines(): Line[] {
    const out: Line[] = [];
    let start = 0;
    for (let i = 0; i < this.n; ) {
      const region = this.s.charCodeAt(i) === 96 ? this.codeAt.get(i) : undefined;
      if (region) {
        i = region.end;
        continue;
      }
      if (this.s.charCodeAt(i) === 10) {
        out.push({ start, end: i });
        start = i + 1;
      }
      i++;
    }
    out.push({ start, end: this.n });
    return out;
  }

  private startsWith(line: Line, prefix: string): boolean {
    return line.end - line.start >= prefix.length && this.s.startsWith(prefix, line.start);
  }

  private hasText(start: number, end: number): boolean {
    return end > start && (this.nonWs[end] as number) - (this.nonWs[start] as number) > 0;
  }

  // ----- Step 2: blocks

  private blocks(lines: Line[], inQuote: boolean): MdNode[] {
    const out: MdNode[] = [];
    let prevEndedBlock = true; // no line break before the first line
    for (let i = 0; i < lines.length; ) {
      if (!prevEndedBlock) out.push({ type: 'line_break' });
      const line = lines[i] as Line;
      if (!inQuote && this.startsWith(line, '>>> ')) {
        const rest = [{ start: line.start + 4, end: line.end }, ...lines.slice(i + 1)];
        out.push({ type: 'blockquote', children: this.blocks(rest, true) });
        break;
      }
      if (!inQuote && this.startsWith(line, '> ')) {
        const quoted: Line[] = [];
        while (i < lines.length && this.startsWith(lines[i] as Line, '> ')) {
          const l = lines[i] as Line;
          quoted.push({ start: l.start + 2, end: l.end });
          i++;
        }
        out.push({ type: 'blockquote', children: this.blocks(quoted, true) });
        prevEndedBlock = true;
        continue;
      }
      const heading = this.heading(line);
      if (heading) {
        out.push(...heading);
        prevEndedBlock = isBlock(heading[heading.length - 1] as MdNode);
        i++;
        continue;
      }
      if (this.listItem(line)) {
        const { nodes, next } = this.list(lines, i);
        out.push(...nodes);
        prevEndedBlock = true;
        i = next;
        continue;
      }
      const nodes = this.lineContent(line.start, line.end);
      out.push(...nodes);
      const last = nodes[nodes.length - 1];
      prevEndedBlock = last !== undefined && isBlock(last);
      i++;
    }
    return out;
  }

  private heading(line: Line): MdNode[] | null {
    let k = 0;
    while (k < 4 && line.start + k < line.end && this.s.charCodeAt(line.start + k) === 35) k++;
    if (k < 1 || k > 3 || this.s.charCodeAt(line.start + k) !== 32 || line.start + k >= line.end) return null;
    const start = line.start + k + 1;
    const firstBlock = Math.min(this.nextBlock[start] as number, line.end);
    if (!this.hasText(start, firstBlock)) return null;
    const nodes = this.lineContent(start, line.end);
    // A heading holds inline nodes: a code block on its line follows it.
    const cut = nodes.findIndex((n) => n.type === 'code_block');
    const inline = cut < 0 ? nodes : nodes.slice(0, cut);
    const heading: HeadingNode = { type: 'heading', level: k as 1 | 2 | 3, children: inline };
    return cut < 0 ? [heading] : [heading, ...nodes.slice(cut)];
  }

  private static readonly LIST_ITEM = /^( *)([*-]|(\d{1,9})\.) +(?=\S)/;

  private listItem(line: Line): { indent: number; ordered: boolean; start: number; content: number } | null {
    // Only the prefix matters: look at a bounded slice (indent + marker + spaces are short in practice).
    const head = this.s.slice(line.start, Math.min(line.end, line.start + 64));
    const m = Parser.LIST_ITEM.exec(head);
    if (!m) return null;
    const content = line.start + m[0].length;
    if (!this.hasText(content, line.end)) return null;
    return { indent: (m[1] ?? '').length, ordered: m[3] !== undefined, start: m[3] === undefined ? 1 : Number(m[3]), content };
  }

  private list(lines: Line[], from: number): { nodes: MdNode[]; next: number } {
    const roots: ListNode[] = [];
    // levels[d]: the open list at depth d and its last item
    const levels: { list: ListNode; last: ListItemNode | null }[] = [];
    let i = from;
    for (; i < lines.length; i++) {
      const line = lines[i] as Line;
      const item = this.listItem(line);
      if (!item) break;
      let level = Math.min(Math.floor(item.indent / 2), levels.length, MAX_LIST_DEPTH - 1);
      if (levels.length === 0) level = 0;
      while (levels.length > level + 1) levels.pop();
      const newList = (): ListNode => (item.ordered ? { type: 'list', ordered: true, start: item.start, children: [] } : { type: 'list', ordered: false, children: [] });
      if (level === levels.length) {
        const list = newList();
        const parent = levels[level - 1]?.last;
        if (parent) parent.children.push(list);
        else roots.push(list);
        levels.push({ list, last: null });
      } else if ((levels[level] as { list: ListNode }).list.ordered !== item.ordered) {
        const list = newList();
        const parent = levels[level - 1]?.last;
        if (parent) parent.children.push(list);
        else roots.push(list);
        levels[level] = { list, last: null };
      }
      const entry = levels[level] as { list: ListNode; last: ListItemNode | null };
      const li: ListItemNode = { type: 'list_item', children: this.lineContent(item.content, line.end) };
      entry.list.children.push(li);
      entry.last = li;
    }
    return { nodes: roots, next: i };
  }

  /** A line's content: inline text, split by the code blocks it holds. */
  private lineContent(start: number, end: number): MdNode[] {
    const out: MdNode[] = [];
    let at = start;
    while (at < end) {
      const b = Math.min(this.nextBlock[at] as number, end);
      if (b > at) out.push(...this.inline(at, b));
      if (b >= end) break;
      const region = this.codeAt.get(b) as CodeRegion;
      out.push(region.node);
      at = region.end;
    }
    return out;
  }

  // ----- Step 3: inline

  private append(item: Item): void {
    item.prev = this.tail;
    item.next = null;
    if (this.tail) this.tail.next = item;
    else this.head = item;
    this.tail = item;
  }

  private text(str: string): void {
    if (str === '') return;
    if (this.tail && this.tail.k === 'text') this.tail.s += str;
    else this.append({ k: 'text', s: str, prev: null, next: null });
  }

  private atom(node: MdNode, raw: string): void {
    this.append({ k: 'atom', node, raw, prev: null, next: null });
  }

  private removeItem(item: Item): void {
    if (item.prev) item.prev.next = item.next;
    else this.head = item.next;
    if (item.next) item.next.prev = item.prev;
    else this.tail = item.prev;
  }

  private pushDelim(d: DelimItem): void {
    d.dprev = this.dTail;
    d.dnext = null;
    if (this.dTail) this.dTail.dnext = d;
    else this.dHead = d;
    this.dTail = d;
  }

  private removeDelim(d: DelimItem): void {
    if (d.dprev) d.dprev.dnext = d.dnext;
    else if (this.dHead === d) this.dHead = d.dnext;
    if (d.dnext) d.dnext.dprev = d.dprev;
    else if (this.dTail === d) this.dTail = d.dprev;
    d.dprev = d.dnext = null;
  }

  private inline(a: number, b: number): MdNode[] {
    this.head = this.tail = this.dHead = this.dTail = null;
    this.brackets = [];
    this.noAutolinkBefore = a;
    const s = this.s;
    let i = a;
    let textStart = a;
    const flush = (to: number): void => {
      if (to > textStart) this.text(s.slice(textStart, to));
    };
    while (i < b) {
      const c = s.charCodeAt(i);
      let next = -1;
      if (c === 92) {
        if (i + 1 < b && isAsciiPunct(s.charCodeAt(i + 1))) {
          flush(i);
          this.text(s[i + 1] as string);
          next = i + 2;
        }
      } else if (c === 96) {
        const region = this.codeAt.get(i);
        if (region) {
          flush(i);
          this.atom(region.node, s.slice(region.start, region.end));
          next = region.end;
        }
      } else if (c === 60) {
        next = this.angle(i, b, flush);
      } else if (c === 64) {
        for (const [word, type] of [
          ['@everyone', 'mention_everyone'],
          ['@here', 'mention_here'],
        ] as const) {
          if (i + word.length <= b && s.startsWith(word, i)) {
            flush(i);
            this.atom({ type }, word);
            next = i + word.length;
            break;
          }
        }
      } else if ((c === 104 || c === 72) && i >= this.noAutolinkBefore) {
        next = this.autolink(i, a, b, flush);
      } else if (c === 91) {
        flush(i);
        const br: BracketItem = { k: 'bracket', active: true, pos: i, delimBottom: this.dTail, prev: null, next: null };
        this.append(br);
        this.brackets.push(br);
        next = i + 1;
      } else if (c === 93) {
        flush(i);
        next = this.closeBracket(i, b);
      } else if ((c === 35 || c === 42 || (c >= 48 && c <= 57)) && (s.charCodeAt(i + 1) === 0xfe0f || s.charCodeAt(i + 1) === 0x20e3)) {
        next = this.emoji(i, b, flush);
      }
      if (next < 0 && (c === 42 || c === 95 || c === 126 || c === 124)) {
        next = this.delimRun(i, a, b, flush);
      }
      if (next < 0 && c >= 0xa9 && !(c >= 0xdc00 && c <= 0xdfff)) {
        next = this.emoji(i, b, flush);
        if (next < 0 && c >= 0xd800 && c <= 0xdbff) next = -2; // skip the whole pair
      }
      if (next === -2) {
        i += 2;
        continue;
      }
      if (next < 0) {
        i++;
        continue;
      }
      i = next;
      textStart = i;
    }
    flush(b);
    this.processEmphasis(null);
    return convert(this.head);
  }

  private angle(i: number, b: number, flush: (to: number) => void): number {
    const s = this.s;
    MENTION.lastIndex = i;
    let m = MENTION.exec(s);
    if (m && MENTION.lastIndex <= b) {
      const digits = m[2] as string;
      const id = BigInt(digits);
      if (id <= MAX_SNOWFLAKE) {
        const kind = m[1] === '#' ? 'mention_channel' : m[1] === '@&' ? 'mention_role' : 'mention_user';
        flush(i);
        this.atom({ type: kind, id: id.toString() }, m[0]);
        return MENTION.lastIndex;
      }
    }
    TIMESTAMP.lastIndex = i;
    m = TIMESTAMP.exec(s);
    if (m && TIMESTAMP.lastIndex <= b) {
      const unix = Number(m[1]);
      if (Number.isSafeInteger(unix) && unix >= MIN_TIMESTAMP && unix <= MAX_TIMESTAMP) {
        flush(i);
        this.atom({ type: 'timestamp', unix, style: (m[2] as TimestampStyle | undefined) ?? 'f' }, m[0]);
        return TIMESTAMP.lastIndex;
      }
      return -1;
    }
    CUSTOM_EMOJI.lastIndex = i;
    m = CUSTOM_EMOJI.exec(s);
    if (m && CUSTOM_EMOJI.lastIndex <= b) {
      const id = BigInt(m[3] as string);
      if (id > MAX_SNOWFLAKE) return -1;
      flush(i);
      this.atom({ type: 'custom_emoji', id: id.toString(), name: m[2] as string, animated: m[1] === 'a' }, m[0]);
      return CUSTOM_EMOJI.lastIndex;
    }
    // <https://…>: a link whose preview is suppressed. No whitespace or '<' inside.
    if (i >= this.noAutolinkBefore && /^<https?:\/\//i.test(s.slice(i, i + 9))) {
      const gt = this.nextGt[i + 1] as number;
      if (gt < b && gt < (this.nextWs[i + 1] as number) && gt < (this.nextLt[i + 1] as number) && gt < (this.nextCode[i + 1] as number)) {
        const raw = s.slice(i + 1, gt);
        const url = safeUrl(raw);
        if (url) {
          flush(i);
          this.atom({ type: 'link', url, children: [{ type: 'text', text: raw }] }, s.slice(i, gt + 1));
          return gt + 1;
        }
        this.noAutolinkBefore = gt;
      }
    }
    return -1;
  }

  private autolink(i: number, a: number, b: number, flush: (to: number) => void): number {
    const s = this.s;
    if (!/^https?:\/\//i.test(s.slice(i, i + 8))) return -1;
    if (isAlnumChar(charBefore(s, i, a))) return -1;
    const stop = Math.min(b, this.nextWs[i] as number, this.nextLt[i] as number, this.nextCode[i] as number);
    let end = stop;
    // Trailing punctuation is not part of the URL; nor is a ')' without its '('.
    let opens = 0;
    let closes = 0;
    for (let k = i; k < end; k++) {
      const c = s.charCodeAt(k);
      if (c === 40) opens++;
      else if (c === 41) closes++;
    }
    while (end > i) {
      const last = s[end - 1] as string;
      if (URL_TRAIL.has(last)) end--;
      else if (last === ')' && closes > opens) {
        end--;
        closes--;
      } else break;
    }
    const raw = s.slice(i, end);
    const url = safeUrl(raw);
    if (!url) {
      // Nothing inside a failed candidate is tried again: keeps the scan linear.
      this.noAutolinkBefore = stop;
      return -1;
    }
    flush(i);
    this.atom({ type: 'link', url, children: [{ type: 'text', text: raw }] }, raw);
    return end;
  }

  private emoji(i: number, b: number, flush: (to: number) => void): number {
    EMOJI.lastIndex = i;
    const m = EMOJI.exec(this.s);
    if (!m || EMOJI.lastIndex > b || m[0] === '') return -1;
    flush(i);
    this.atom({ type: 'emoji', name: m[0] }, m[0]);
    return EMOJI.lastIndex;
  }

  private delimRun(i: number, a: number, b: number, flush: (to: number) => void): number {
    const s = this.s;
    const ch = s[i] as DelimItem['ch'];
    let j = i;
    while (j < b && s[j] === ch) j++;
    const count = j - i;
    flush(i);
    if (PAIR_ONLY(ch) && count < 2) {
      this.text(s.slice(i, j));
      return j;
    }
    const before = charBefore(s, i, a);
    const after = charAt(s, j, b);
    let open: boolean;
    let close: boolean;
    if (ch === '_') {
      // Only at word boundaries: snake_case_name is text.
      open = !isSpaceChar(after) && !isAlnumChar(before);
      close = !isSpaceChar(before) && !isAlnumChar(after);
    } else if (ch === '*') {
      open = !isSpaceChar(after);
      close = !isSpaceChar(before);
    } else {
      open = after !== '';
      close = before !== '';
    }
    const d: DelimItem = { k: 'delim', ch, n: count, open, close, seq: this.seq++, dprev: null, dnext: null, prev: null, next: null };
    this.append(d);
    if (open || close) this.pushDelim(d);
    return j;
  }

  /** Pair delimiter runs above `bottom` (CommonMark's process-emphasis with Discord's styles). */
  private processEmphasis(bottom: DelimItem | null): void {
    const floor = bottom ? bottom.seq : -1;
    // Per character: no opener at or below this seq can match a later closer.
    const lowest: Record<string, number> = { '*': floor, _: floor, '~': floor, '|': floor };
    let closer = bottom ? bottom.dnext : this.dHead;
    while (closer) {
      if (!closer.close) {
        closer = closer.dnext;
        continue;
      }
      let opener = closer.dprev;
      const limit = Math.max(floor, lowest[closer.ch] ?? floor);
      while (opener && opener.seq > limit) {
        if (opener.ch === closer.ch && opener.open && (!PAIR_ONLY(opener.ch) || opener.n >= 2)) break;
        opener = opener.dprev;
      }
      if (!opener || opener.seq <= limit) {
        lowest[closer.ch] = closer.dprev ? closer.dprev.seq : floor;
        const next = closer.dnext;
        if (!closer.open) this.removeDelim(closer);
        closer = next;
        continue;
      }
      const use = PAIR_ONLY(closer.ch) ? 2 : opener.n >= 2 && closer.n >= 2 ? 2 : 1;
      opener.n -= use;
      closer.n -= use;
      const type = styleOf(closer.ch, use);
      const mark = closer.ch.repeat(use);
      const wrap: WrapItem = { k: 'wrap', type, url: '', open: mark, close: mark, head: null, prev: null, next: null };
      // Move what lies between into the new node.
      const first = opener.next as Item;
      if (first !== closer) {
        const last = closer.prev as Item;
        wrap.head = first;
        first.prev = null;
        last.next = null;
      }
      opener.next = wrap;
      wrap.prev = opener;
      wrap.next = closer;
      closer.prev = wrap;
      // Delimiters between them are text now.
      opener.dnext = closer;
      closer.dprev = opener;
      if (opener.n === 0 || (PAIR_ONLY(opener.ch) && opener.n < 2)) {
        this.removeDelim(opener);
        if (opener.n === 0) this.removeItem(opener);
      }
      if (closer.n === 0 || (PAIR_ONLY(closer.ch) && closer.n < 2)) {
        const next = closer.dnext;
        this.removeDelim(closer);
        if (closer.n === 0) this.removeItem(closer);
        closer = next;
      }
    }
    // Everything above the bottom is settled: unmatched runs are text.
    if (bottom) {
      bottom.dnext = null;
      this.dTail = bottom;
    } else {
      this.dHead = this.dTail = null;
    }
  }

  /** A ']' : close the latest '[' into a masked link when `(http(s) URL)` follows, else text. */
  private closeBracket(i: number, b: number): number {
    const br = this.brackets[this.brackets.length - 1];
    if (!br) {
      this.text(']');
      return i + 1;
    }
    const dest = br.active && this.hasText(br.pos + 1, i) ? this.destination(i + 1, b) : null;
    if (!dest) {
      this.brackets.pop();
      this.text(']');
      return i + 1;
    }
    this.processEmphasis(br.delimBottom);
    const wrap: WrapItem = { k: 'wrap', type: 'link', url: dest.url, open: '[', close: this.s.slice(i, dest.end), head: br.next, prev: br.prev, next: null };
    if (br.next) br.next.prev = null;
    if (br.prev) br.prev.next = wrap;
    else this.head = wrap;
    this.tail = wrap;
    this.brackets.pop();
    // No links inside links: earlier '[' can no longer open one.
    for (let k = this.brackets.length - 1; k >= 0; k--) {
      const other = this.brackets[k] as BracketItem;
      if (!other.active) break;
      other.active = false;
    }
    return dest.end;
  }

  /** `(url)` or `(<url>)` at i: the URL and the index after ')'. */
  private destination(i: number, b: number): { url: string; end: number } | null {
    const s = this.s;
    if (s.charCodeAt(i) !== 40) return null;
    const p = i + 1;
    let raw: string;
    let end: number;
    if (s.charCodeAt(p) === 60) {
      const gt = this.nextGt[p] as number;
      if (gt + 1 >= b || s.charCodeAt(gt + 1) !== 41) return null;
      if ((this.nextWs[p] as number) < gt || (this.nextLt[p + 1] as number) < gt || (this.nextCode[p] as number) < gt) return null;
      raw = s.slice(p + 1, gt);
      end = gt + 2;
    } else {
      const drop = this.parenDrop[p] as number;
      if (drop < 0) return null;
      const close = drop - 1; // s[close] is the ')' that ends the destination
      if (close >= b || (this.nextWs[p] as number) < close || (this.nextCode[p] as number) < close || (this.nextLt[p] as number) < close) return null;
      raw = s.slice(p, close);
      end = close + 1;
    }
    const url = safeUrl(raw);
    return url ? { url, end } : null;
  }
}

// ---------------------------------------------------------------------------------------------
// Items → nodes, with the nesting bound and "no links inside links"

const LINKISH = new Set<MdNode['type']>(['link', 'mention_user', 'mention_role', 'mention_channel', 'mention_everyone', 'mention_here', 'timestamp']);

function pushText(out: MdNode[], text: string): void {
  if (text === '') return;
  const last = out[out.length - 1];
  if (last && last.type === 'text') last.text += text;
  else out.push({ type: 'text', text });
}

function itemText(item: TextItem | DelimItem | BracketItem): string {
  if (item.k === 'text') return item.s;
  if (item.k === 'bracket') return '[';
  return item.ch.repeat(item.n);
}

function convert(head: Item | null): MdNode[] {
  const root: MdNode[] = [];
  interface Frame {
    item: Item | null;
    out: MdNode[];
    depth: number;
    inLink: boolean;
    close: string | null;
  }
  const stack: Frame[] = [{ item: head, out: root, depth: 0, inLink: false, close: null }];
  while (stack.length) {
    const f = stack[stack.length - 1] as Frame;
    const it = f.item;
    if (!it) {
      stack.pop();
      if (f.close !== null) pushText(f.out, f.close);
      continue;
    }
    f.item = it.next;
    if (it.k === 'atom') {
      // Inside a link, other links, mentions and timestamps are shown as written.
      if (f.inLink && LINKISH.has(it.node.type)) pushText(f.out, it.raw);
      else f.out.push(it.node);
    } else if (it.k === 'wrap') {
      if (f.depth >= MAX_INLINE_DEPTH || (f.inLink && it.type === 'link')) {
        pushText(f.out, it.open);
        stack.push({ item: it.head, out: f.out, depth: f.depth, inLink: f.inLink, close: it.close });
      } else {
        const children: MdNode[] = [];
        f.out.push(it.type === 'link' ? { type: 'link', url: it.url, children } : { type: it.type, children });
        stack.push({ item: it.head, out: children, depth: f.depth + 1, inLink: f.inLink || it.type === 'link', close: null });
      }
    } else {
      pushText(f.out, itemText(it));
    }
  }
  return root;
}
