/**
 * Code-block highlighting as tokens: runs of text, each with the highlighter's class names, which a
 * renderer puts in text nodes. No HTML string is ever produced or consumed (docs/markdown.md, "What is
 * escaped").
 *
 * The engine (lowlight over highlight.js, in `hljs.ts`) is loaded lazily with import() the first time
 * a block in a known language is highlighted, so it stays out of the initial bundle. Until it has
 * loaded, and for unknown languages or very long code, the code is one plain token.
 */
import type { Root, RootContent, ElementContent } from 'hast';

export interface HlToken {
  text: string;
  /** Space-separated highlight.js classes (e.g. "hljs-keyword"), or '' for plain text. */
  cls: string;
}

/** Code longer than this is not highlighted (the grammars are regex-based). */
export const MAX_HIGHLIGHT_CHARS = 20_000;

/** Every name and alias the loaded grammars answer to, lower-case, mapped to the grammar. */
const LANGS: Readonly<Record<string, string>> = (() => {
  const table: Record<string, string[]> = {
    bash: ['sh', 'zsh'],
    c: ['h'],
    cpp: ['cc', 'c++', 'h++', 'hpp', 'hh', 'hxx', 'cxx'],
    csharp: ['cs', 'c#'],
    css: [],
    diff: ['patch'],
    dockerfile: ['docker'],
    go: ['golang'],
    ini: ['toml'],
    java: ['jsp'],
    javascript: ['js', 'jsx', 'mjs', 'cjs'],
    json: ['jsonc', 'json5'],
    kotlin: ['kt', 'kts'],
    lua: ['pluto'],
    makefile: ['mk', 'mak', 'make'],
    markdown: ['md', 'mkdown', 'mkd'],
    php: [],
    python: ['py', 'gyp', 'ipython'],
    ruby: ['rb', 'gemspec', 'podspec', 'thor', 'irb'],
    rust: ['rs'],
    scss: [],
    shell: ['console', 'shellsession'],
    sql: [],
    swift: [],
    typescript: ['ts', 'tsx', 'mts', 'cts'],
    xml: ['html', 'xhtml', 'rss', 'atom', 'xjb', 'xsd', 'xsl', 'plist', 'wsf', 'svg'],
    yaml: ['yml'],
  };
  const out: Record<string, string> = {};
  for (const [name, aliases] of Object.entries(table)) {
    out[name] = name;
    for (const a of aliases) out[a] = name;
  }
  return out;
})();

/** Names and aliases that get highlighted. */
export const SUPPORTED_LANGUAGES: readonly string[] = Object.keys(LANGS);

/** The grammar for a code block's language tag, or null when it is not one we highlight. */
export function grammarFor(lang: string | null | undefined): string | null {
  if (!lang) return null;
  return Object.hasOwn(LANGS, lang.toLowerCase()) ? (LANGS[lang.toLowerCase()] ?? null) : null;
}

interface Engine {
  highlight(language: string, value: string): Root;
}

let engine: Engine | null = null;
let loading: Promise<Engine | null> | null = null;

/** Whether the engine has loaded (highlightNow then highlights). */
export function highlighterReady(): boolean {
  return engine !== null;
}

/** Load the engine (once; a failed load may be retried by a later call). Resolves to whether it is ready. */
export function loadHighlighter(): Promise<boolean> {
  if (engine) return Promise.resolve(true);
  loading ??= import('./hljs')
    .then((m) => (engine = m.lowlight))
    .catch(() => {
      loading = null;
      return null;
    });
  return loading.then((e) => e !== null);
}

/** The code as one plain token. */
export function plainTokens(code: string): HlToken[] {
  return code === '' ? [] : [{ text: code, cls: '' }];
}

/** Highlight with what is loaded now: plain tokens when the engine is not loaded, the language unknown or the code too long. */
export function highlightNow(code: string, lang: string | null | undefined): HlToken[] {
  const grammar = grammarFor(lang);
  if (!engine || !grammar || code.length > MAX_HIGHLIGHT_CHARS) return plainTokens(code);
  try {
    return flatten(engine.highlight(grammar, code));
  } catch {
    return plainTokens(code);
  }
}

/** Highlight, loading the engine first if the language is one we highlight. */
export async function highlight(code: string, lang: string | null | undefined): Promise<HlToken[]> {
  if (grammarFor(lang) && code.length <= MAX_HIGHLIGHT_CHARS) await loadHighlighter();
  return highlightNow(code, lang);
}

const CLASS = /^(hljs-[a-z0-9_-]+|[a-z]+_)$/i;

function classOf(node: RootContent | ElementContent): string | null {
  if (node.type !== 'element') return null;
  const raw: unknown = node.properties['className'];
  const list: unknown[] = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/\s+/) : [];
  return list
    .map(String)
    .filter((c) => CLASS.test(c))
    .join(' ');
}

/**
 * A syntax tree as a flat list of tokens; each text run takes the classes of its innermost element
 * (an interpolation inside a string is not coloured as the string). Adjacent runs of one class merge.
 */
export function flatten(root: Root): HlToken[] {
  const out: HlToken[] = [];
  const stack: { node: RootContent | ElementContent; cls: string }[] = [];
  for (let i = root.children.length - 1; i >= 0; i--) stack.push({ node: root.children[i] as RootContent, cls: '' });
  while (stack.length) {
    const { node, cls } = stack.pop() as { node: RootContent | ElementContent; cls: string };
    if (node.type === 'text') {
      if (node.value === '') continue;
      const last = out[out.length - 1];
      if (last && last.cls === cls) last.text += node.value;
      else out.push({ text: node.value, cls });
    } else if (node.type === 'element') {
      const own = classOf(node);
      const next = own ? own : cls;
      for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i] as ElementContent, cls: next });
    }
  }
  return out;
}
