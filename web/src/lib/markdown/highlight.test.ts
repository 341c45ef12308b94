import { describe, it, expect } from 'vitest';
import { flatten, grammarFor, highlight, highlightNow, highlighterReady, loadHighlighter, plainTokens, MAX_HIGHLIGHT_CHARS, SUPPORTED_LANGUAGES, type HlToken } from './highlight';

const join = (tokens: HlToken[]): string => tokens.map((t) => t.text).join('');
const classesOf = (tokens: HlToken[]): Set<string> => new Set(tokens.flatMap((t) => t.cls.split(' ').filter(Boolean)));

describe('before the engine loads', () => {
  it('is not loaded at import time and gives one plain token', () => {
    expect(highlighterReady()).toBe(false);
    expect(highlightNow('fn main() {}', 'rust')).toEqual([{ text: 'fn main() {}', cls: '' }]);
    expect(plainTokens('')).toEqual([]);
  });
});

describe('languages', () => {
  it('knows the common languages and their aliases, case-insensitively', () => {
    for (const [tag, grammar] of [
      ['rust', 'rust'],
      ['rs', 'rust'],
      ['TS', 'typescript'],
      ['tsx', 'typescript'],
      ['js', 'javascript'],
      ['py', 'python'],
      ['go', 'go'],
      ['c', 'c'],
      ['c++', 'cpp'],
      ['cpp', 'cpp'],
      ['c#', 'csharp'],
      ['java', 'java'],
      ['json', 'json'],
      ['yml', 'yaml'],
      ['toml', 'ini'],
      ['sh', 'bash'],
      ['bash', 'bash'],
      ['shell', 'shell'],
      ['console', 'shell'],
      ['sql', 'sql'],
      ['html', 'xml'],
      ['xml', 'xml'],
      ['css', 'css'],
      ['diff', 'diff'],
      ['md', 'markdown'],
    ]) {
      expect(grammarFor(tag), tag).toBe(grammar);
    }
  });

  it('does not highlight unknown or missing languages', () => {
    expect(grammarFor(null)).toBeNull();
    expect(grammarFor('')).toBeNull();
    expect(grammarFor('brainfuck')).toBeNull();
    expect(grammarFor('constructor')).toBeNull();
    expect(grammarFor('__proto__')).toBeNull();
  });
});

describe('highlighting', () => {
  it('loads the engine lazily and then produces classed tokens that add up to the code', async () => {
    const code = 'fn main() {\n    let x: u32 = 42; // answer\n    println!("{}", x);\n}\n';
    const tokens = await highlight(code, 'rust');
    expect(highlighterReady()).toBe(true);
    expect(join(tokens)).toBe(code);
    const cls = classesOf(tokens);
    expect(cls).toContain('hljs-keyword');
    expect(cls).toContain('hljs-number');
    expect(cls).toContain('hljs-comment');
    expect(cls).toContain('hljs-string');
    expect(tokens.find((t) => t.text === 'fn')?.cls).toBe('hljs-keyword');
    // Synchronous now that it is loaded.
    expect(highlightNow('let a = 1;', 'js').length).toBeGreaterThan(1);
  });

  it('every supported name resolves to a registered grammar', async () => {
    await loadHighlighter();
    const { lowlight } = await import('./hljs');
    for (const name of SUPPORTED_LANGUAGES) expect(lowlight.registered(name), name).toBe(true);
    // …and nothing registered is left out of the table.
    for (const name of lowlight.listLanguages()) expect(grammarFor(name), name).toBe(name);
  });

  it('keeps markup in code as text (tokens, never HTML)', async () => {
    const code = '<img src=x onerror=alert(1)>\n<script>alert("x")</script>\n&amp;';
    const tokens = await highlight(code, 'html');
    expect(join(tokens)).toBe(code);
    expect(classesOf(tokens)).toContain('hljs-tag');
    for (const t of tokens) expect(t.cls).toMatch(/^[a-z0-9_ -]*$/i);
  });

  it('is lossless for every language on arbitrary text', async () => {
    const code = 'a <b> "c" \'d\' `e` /* f */ # g\n-- h\n+ i\n{ "j": [1, 2.5e3, true, null] }\n\t\u202e\u0000 😀';
    for (const lang of SUPPORTED_LANGUAGES) expect(join(await highlight(code, lang)), lang).toBe(code);
  });

  it('leaves unknown languages and over-long code plain', async () => {
    expect(await highlight('x = 1', 'nope')).toEqual([{ text: 'x = 1', cls: '' }]);
    expect(await highlight('x = 1', null)).toEqual([{ text: 'x = 1', cls: '' }]);
    const long = 'let a = 1;\n'.repeat(Math.ceil((MAX_HIGHLIGHT_CHARS + 1) / 11));
    expect(await highlight(long, 'js')).toEqual([{ text: long, cls: '' }]);
  });

  it('colours diffs', async () => {
    const tokens = await highlight('- old\n+ new\n', 'diff');
    expect(tokens.find((t) => t.text.includes('old'))?.cls).toBe('hljs-deletion');
    expect(tokens.find((t) => t.text.includes('new'))?.cls).toBe('hljs-addition');
  });
});

describe('flatten', () => {
  it('gives each run the classes of its innermost element and merges neighbours', () => {
    const tokens = flatten({
      type: 'root',
      children: [
        { type: 'element', tagName: 'span', properties: { className: ['hljs-string'] }, children: [
          { type: 'text', value: '"a ' },
          { type: 'element', tagName: 'span', properties: { className: ['hljs-subst'] }, children: [{ type: 'text', value: '${x}' }] },
          { type: 'text', value: '"' },
        ] },
        { type: 'text', value: ';' },
        { type: 'text', value: ' ' },
        { type: 'element', tagName: 'span', properties: { className: ['hljs-title', 'function_', 'evil"><b>'] }, children: [{ type: 'text', value: 'f' }] },
      ],
    });
    expect(tokens).toEqual([
      { text: '"a ', cls: 'hljs-string' },
      { text: '${x}', cls: 'hljs-subst' },
      { text: '"', cls: 'hljs-string' },
      { text: '; ', cls: '' },
      { text: 'f', cls: 'hljs-title function_' },
    ]);
  });
});
