import { describe, it, expect } from 'vitest';
import { jumboCount, parse, plainText, safeUrl, truncate, MAX_CHARS, MAX_TIMESTAMP, MIN_TIMESTAMP, type MdNode } from './parse';

const t = (text: string): MdNode => ({ type: 'text', text });
const br: MdNode = { type: 'line_break' };
const wrap = (type: 'strong' | 'em' | 'underline' | 'strike' | 'spoiler', ...children: MdNode[]): MdNode => ({ type, children });
const link = (url: string, ...children: MdNode[]): MdNode => ({ type: 'link', url, children });
const auto = (url: string, text = url): MdNode => link(url, t(text));
const emoji = (name: string): MdNode => ({ type: 'emoji', name });

/** Every node type in a tree (to assert that something did NOT become a token). */
function types(nodes: MdNode[]): string[] {
  const out: string[] = [];
  const stack = [...nodes];
  while (stack.length) {
    const n = stack.pop() as MdNode;
    out.push(n.type);
    if ('children' in n) stack.push(...n.children);
  }
  return out;
}

/** The maximum inline-style nesting depth of a tree. */
function styleDepth(nodes: MdNode[]): number {
  let max = 0;
  const walk = (ns: MdNode[], d: number): void => {
    for (const n of ns) {
      const styled = ['strong', 'em', 'underline', 'strike', 'spoiler', 'link'].includes(n.type);
      const nd = styled ? d + 1 : d;
      max = Math.max(max, nd);
      if ('children' in n) walk(n.children, nd);
    }
  };
  walk(nodes, 0);
  return max;
}

describe('inline styles', () => {
  it('parses each style of the table', () => {
    expect(parse('**bold**')).toEqual([wrap('strong', t('bold'))]);
    expect(parse('*italics*')).toEqual([wrap('em', t('italics'))]);
    expect(parse('_italics_')).toEqual([wrap('em', t('italics'))]);
    expect(parse('__underline__')).toEqual([wrap('underline', t('underline'))]);
    expect(parse('~~strike~~')).toEqual([wrap('strike', t('strike'))]);
    expect(parse('||spoiler||')).toEqual([wrap('spoiler', t('spoiler'))]);
  });

  it('keeps the text around styles', () => {
    expect(parse('a **b** c')).toEqual([t('a '), wrap('strong', t('b')), t(' c')]);
  });

  it('nests styles and combines runs', () => {
    expect(parse('***both***')).toEqual([wrap('em', wrap('strong', t('both')))]);
    expect(parse('___both___')).toEqual([wrap('em', wrap('underline', t('both')))]);
    expect(parse('**bold _and it_**')).toEqual([wrap('strong', t('bold '), wrap('em', t('and it')))]);
    expect(parse('__*u i*__')).toEqual([wrap('underline', wrap('em', t('u i')))]);
    expect(parse('~~**x**~~')).toEqual([wrap('strike', wrap('strong', t('x')))]);
  });

  it('lets a spoiler span other inline tokens', () => {
    expect(parse('||a **b** <@1> `c` https://x.org||')).toEqual([
      wrap('spoiler', t('a '), wrap('strong', t('b')), t(' '), { type: 'mention_user', id: '1' }, t(' '), { type: 'code_inline', text: 'c' }, t(' '), auto('https://x.org/', 'https://x.org')),
    ]);
  });

  it('does not let styles cross: the first closed pair wins, the loose marker is text', () => {
    expect(parse('**a _b** c_')).toEqual([wrap('strong', t('a _b')), t(' c_')]);
  });

  it('uses `_` only at word boundaries', () => {
    expect(parse('snake_case_name')).toEqual([t('snake_case_name')]);
    expect(parse('a__b__c')).toEqual([t('a__b__c')]);
    expect(parse('x _y_ z')).toEqual([t('x '), wrap('em', t('y')), t(' z')]);
    expect(parse('(_y_)')).toEqual([t('('), wrap('em', t('y')), t(')')]);
    expect(parse('_a_b')).toEqual([t('_a_b')]);
    expect(parse('日本_語_')).toEqual([t('日本_語_')]);
  });

  it('allows `*` inside words but not next to spaces', () => {
    expect(parse('a*b*c')).toEqual([t('a'), wrap('em', t('b')), t('c')]);
    expect(parse('2 * 3 * 4')).toEqual([t('2 * 3 * 4')]);
    expect(parse('a * not em*')).toEqual([t('a * not em*')]);
    expect(parse('*not em *')).toEqual([t('*not em *')]);
  });

  it('keeps unclosed and unmatched markers as text', () => {
    for (const s of ['**bold', '*it', '_it', '__u', '~~s', '||sp', '~s~', '|s|', '****', '||||', '** **x', '[text', 'a]', '[a](', '<@1', '<t:1', '<https:/x.org']) {
      expect(parse(s), s).toEqual([t(s)]);
    }
    expect(parse('**a*')).toEqual([t('*'), wrap('em', t('a'))]);
    expect(parse('||a||b||')).toEqual([wrap('spoiler', t('a')), t('b||')]);
  });

  it('stops nesting at 10 levels: deeper markers are text', () => {
    const opens = Array.from({ length: 11 }, (_, i) => (i % 2 ? '__' : '**'));
    const nest = (marks: string[]): string => marks.map((o) => o + 'a ').join('') + 'x' + [...marks].reverse().map((o) => ' a' + o).join('');
    const tree = parse(nest(opens));
    expect(styleDepth(tree)).toBe(10);
    // The innermost pair (the 11th level) is text.
    let node: MdNode = tree[0] as MdNode;
    for (let d = 0; d < 9; d++) node = (node as { children: MdNode[] }).children[1] as MdNode;
    expect(node).toEqual(wrap('underline', t('a **a x a** a')));
    // Exactly ten levels stay ten levels, with nothing left as text.
    const ten = parse(nest(opens.slice(0, 10)));
    expect(styleDepth(ten)).toBe(10);
    expect(plainText(ten)).not.toMatch(/[*_]/);
    // A run of 1998 asterisks on each side is bounded the same way: 10 strong levels, the rest text.
    const deep = parse('*'.repeat(1998) + 'x' + '*'.repeat(1998));
    expect(styleDepth(deep)).toBe(10);
    expect(plainText(deep)).toBe('*'.repeat(1978) + 'x' + '*'.repeat(1978));
  });
});

describe('escapes', () => {
  it('shows an escaped ASCII punctuation character as text', () => {
    expect(parse('\\*not em\\*')).toEqual([t('*not em*')]);
    expect(parse('\\_\\_x\\_\\_')).toEqual([t('__x__')]);
    expect(parse('\\`code\\`')).toEqual([t('`code`')]);
    expect(parse('\\<@1>')).toEqual([t('<@1>')]);
    expect(parse('\\[a](https://x.org)')).toEqual([t('[a]('), auto('https://x.org/', 'https://x.org'), t(')')]);
    expect(parse('\\\\*a*')).toEqual([t('\\'), wrap('em', t('a'))]);
    expect(parse('\\|\\|x\\|\\|')).toEqual([t('||x||')]);
    expect(parse('\\~\\~x\\~\\~')).toEqual([t('~~x~~')]);
  });

  it('keeps a backslash before anything else', () => {
    expect(parse('a\\b \\é \\')).toEqual([t('a\\b \\é \\')]);
  });

  it('escapes block markers at line start', () => {
    expect(parse('\\# no')).toEqual([t('# no')]);
    expect(parse('\\> no')).toEqual([t('> no')]);
    expect(parse('\\- no')).toEqual([t('- no')]);
    expect(parse('1\\. no')).toEqual([t('1. no')]);
  });
});

describe('code', () => {
  it('parses inline code with single and double backticks', () => {
    expect(parse('`code`')).toEqual([{ type: 'code_inline', text: 'code' }]);
    expect(parse('`` co`de ``')).toEqual([{ type: 'code_inline', text: 'co`de' }]);
    expect(parse('`  `')).toEqual([{ type: 'code_inline', text: '  ' }]);
  });

  it('keeps code literal: no tokens inside, mentions included', () => {
    const src = '`**b** <@1> <#2> @everyone https://x.org :) 😀 <t:1700000000> \\* [a](https://x.org)`';
    expect(parse(src)).toEqual([{ type: 'code_inline', text: src.slice(1, -1) }]);
    const block = '```\n**b** <@1> @here # h\n> q\n- l\n😀```';
    expect(parse(block)).toEqual([{ type: 'code_block', lang: null, text: '**b** <@1> @here # h\n> q\n- l\n😀' }]);
  });

  it('parses fenced blocks with a language', () => {
    expect(parse('```rust\nfn main() {}\n```')).toEqual([{ type: 'code_block', lang: 'rust', text: 'fn main() {}\n' }]);
    expect(parse('```c++\nx\n```')).toEqual([{ type: 'code_block', lang: 'c++', text: 'x\n' }]);
    expect(parse('```objective-c.v2_#\nx```')).toEqual([{ type: 'code_block', lang: 'objective-c.v2_#', text: 'x' }]);
    // The language is one word followed by a newline; otherwise the first line is code.
    expect(parse('```rust```')).toEqual([{ type: 'code_block', lang: null, text: 'rust' }]);
    expect(parse('```two words\nx```')).toEqual([{ type: 'code_block', lang: null, text: 'two words\nx' }]);
    expect(parse('```' + 'a'.repeat(33) + '\nx```')).toEqual([{ type: 'code_block', lang: null, text: 'a'.repeat(33) + '\nx' }]);
    expect(parse('```js <script>\nx```')[0]).toMatchObject({ lang: null });
  });

  it('puts code blocks between the text around them, without extra line breaks', () => {
    expect(parse('look: ```x``` ok')).toEqual([t('look: '), { type: 'code_block', lang: null, text: 'x' }, t(' ok')]);
    expect(parse('a\n```\nx\n```\nb')).toEqual([t('a'), br, { type: 'code_block', lang: null, text: 'x\n' }, t('b')]);
  });

  it('keeps unclosed fences and backticks as text', () => {
    expect(parse('```rust\nfn')).toEqual([t('```rust'), br, t('fn')]);
    expect(parse('`a')).toEqual([t('`a')]);
    expect(parse('``a`')).toEqual([t('``a`')]);
    expect(parse('``````')).toEqual([t('``````')]);
  });

  it('lets inline code span lines and hides block markers inside it', () => {
    expect(parse('`a\n# b`')).toEqual([{ type: 'code_inline', text: 'a\n# b' }]);
  });
});

describe('blocks', () => {
  it('keeps single newlines as line breaks (no paragraphs)', () => {
    expect(parse('a\nb')).toEqual([t('a'), br, t('b')]);
    expect(parse('a\n\nb')).toEqual([t('a'), br, br, t('b')]);
  });

  it('parses headings of levels 1–3 only', () => {
    expect(parse('# one')).toEqual([{ type: 'heading', level: 1, children: [t('one')] }]);
    expect(parse('## two')).toEqual([{ type: 'heading', level: 2, children: [t('two')] }]);
    expect(parse('### **three**')).toEqual([{ type: 'heading', level: 3, children: [wrap('strong', t('three'))] }]);
    expect(parse('#### four')).toEqual([t('#### four')]);
    expect(parse('#nospace')).toEqual([t('#nospace')]);
    expect(parse('# ')).toEqual([t('# ')]);
    expect(parse('-# subtext')).toEqual([t('-# subtext')]);
    expect(parse('a # b')).toEqual([t('a # b')]);
  });

  it('puts a code block on a heading line after the heading', () => {
    expect(parse('# Title ```x``` tail\nnext')).toEqual([{ type: 'heading', level: 1, children: [t('Title ')] }, { type: 'code_block', lang: null, text: 'x' }, t(' tail'), br, t('next')]);
    expect(parse('# ```x```')).toEqual([t('# '), { type: 'code_block', lang: null, text: 'x' }]);
  });

  it('ends a heading line without an extra break', () => {
    expect(parse('# H\ntext')).toEqual([{ type: 'heading', level: 1, children: [t('H')] }, t('text')]);
    expect(parse('text\n# H')).toEqual([t('text'), br, { type: 'heading', level: 1, children: [t('H')] }]);
    expect(parse('# H\n\ntext')).toEqual([{ type: 'heading', level: 1, children: [t('H')] }, br, t('text')]);
  });

  it('quotes one line with `> ` and merges consecutive quoted lines', () => {
    expect(parse('> quote')).toEqual([{ type: 'blockquote', children: [t('quote')] }]);
    expect(parse('> a\n> b\nc')).toEqual([{ type: 'blockquote', children: [t('a'), br, t('b')] }, t('c')]);
    expect(parse('>no space')).toEqual([t('>no space')]);
  });

  it('quotes everything to the end with `>>> `', () => {
    expect(parse('x\n>>> a\n\n# h\n- l')).toEqual([
      t('x'),
      br,
      { type: 'blockquote', children: [t('a'), br, br, { type: 'heading', level: 1, children: [t('h')] }, { type: 'list', ordered: false, children: [{ type: 'list_item', children: [t('l')] }] }] },
    ]);
  });

  it('does not nest quotes', () => {
    expect(parse('> > a')).toEqual([{ type: 'blockquote', children: [t('> a')] }]);
    expect(parse('>>> > a\n>>> b')).toEqual([{ type: 'blockquote', children: [t('> a'), br, t('>>> b')] }]);
    expect(parse('> >>> a')).toEqual([{ type: 'blockquote', children: [t('>>> a')] }]);
  });

  it('quotes a code block that starts on a quoted line', () => {
    expect(parse('>>> ```js\nlet a;\n```')).toEqual([{ type: 'blockquote', children: [{ type: 'code_block', lang: 'js', text: 'let a;\n' }] }]);
  });
});

describe('lists', () => {
  const item = (...children: MdNode[]): MdNode => ({ type: 'list_item', children });
  const ul = (...children: MdNode[]): MdNode => ({ type: 'list', ordered: false, children }) as MdNode;
  const ol = (start: number, ...children: MdNode[]): MdNode => ({ type: 'list', ordered: true, start, children }) as MdNode;

  it('parses `-`, `*` and numbered items', () => {
    expect(parse('- a\n* b')).toEqual([ul(item(t('a')), item(t('b')))]);
    expect(parse('1. a\n2. b')).toEqual([ol(1, item(t('a')), item(t('b')))]);
    expect(parse('3. c\n4. d')).toEqual([ol(3, item(t('c')), item(t('d')))]);
    expect(parse('- **b** <@1>')).toEqual([ul(item(wrap('strong', t('b')), t(' '), { type: 'mention_user', id: '1' }))]);
  });

  it('needs a space and content after the marker', () => {
    expect(parse('-a')).toEqual([t('-a')]);
    expect(parse('- ')).toEqual([t('- ')]);
    expect(parse('1.a')).toEqual([t('1.a')]);
    expect(parse('**a**')).toEqual([wrap('strong', t('a'))]);
  });

  it('nests items indented by two spaces', () => {
    expect(parse('- a\n  - b\n    - c\n- d')).toEqual([ul(item(t('a'), ul(item(t('b'), ul(item(t('c')))))), item(t('d')))]);
    // An item cannot skip a level.
    expect(parse('- a\n      - b')).toEqual([ul(item(t('a'), ul(item(t('b')))))]);
  });

  it('nests at most 10 levels', () => {
    const src = Array.from({ length: 14 }, (_, i) => ' '.repeat(i * 2) + '- ' + i).join('\n');
    let depth = 0;
    let nodes = parse(src);
    const last: string[] = [];
    while (nodes[0]?.type === 'list') {
      depth++;
      const items = (nodes[0] as { children: MdNode[] }).children;
      const lastItem = items[items.length - 1] as { children: MdNode[] };
      last.push(String(items.length));
      nodes = lastItem.children.filter((n) => n.type === 'list');
    }
    expect(depth).toBe(10);
    // The 10th level holds items 9–13.
    expect(last[9]).toBe('5');
  });

  it('starts a new list when the kind changes, and ends at a non-item line', () => {
    expect(parse('- a\n1. b')).toEqual([ul(item(t('a'))), ol(1, item(t('b')))]);
    expect(parse('- a\ntext\n- b')).toEqual([ul(item(t('a'))), t('text'), br, ul(item(t('b')))]);
  });
});

describe('links', () => {
  it('parses masked links to http and https', () => {
    expect(parse('[this](https://example.org)')).toEqual([link('https://example.org/', t('this'))]);
    expect(parse('[**b**](http://example.org/a?b=c#d)')).toEqual([link('http://example.org/a?b=c#d', wrap('strong', t('b')))]);
    expect(parse('[w](https://en.wikipedia.org/wiki/Rust_(programming_language))')).toEqual([link('https://en.wikipedia.org/wiki/Rust_(programming_language)', t('w'))]);
    expect(parse('[a](<https://example.org/x>)')).toEqual([link('https://example.org/x', t('a'))]);
  });

  it('keeps every other scheme, and URLs that do not parse, as text', () => {
    for (const s of [
      '[x](javascript:alert(1))',
      '[x](JavaScript:alert(1))',
      '[x](data:text/html,<b>x</b>)',
      '[x](vbscript:msgbox)',
      '[x](file:///etc/passwd)',
      '[x](ftp://example.org)',
      '[x](//example.org)',
      '[x](https://)',
      '[x](<javascript:alert(1)>)',
    ]) {
      expect(types(parse(s)), s).not.toContain('link');
      expect(plainText(parse(s)), s).toBe(s);
    }
    expect(parse('javascript:alert(1)')).toEqual([t('javascript:alert(1)')]);
    expect(parse('data:text/html,x')).toEqual([t('data:text/html,x')]);
  });

  it('needs link text and a destination without spaces', () => {
    expect(parse('[](https://example.org)')).toEqual([t('[]('), auto('https://example.org/', 'https://example.org'), t(')')]);
    expect(parse('[  ](https://example.org)')).toEqual([t('[  ]('), auto('https://example.org/', 'https://example.org'), t(')')]);
    expect(parse('[x](https://exa mple.org)')).toEqual([t('[x]('), auto('https://exa/', 'https://exa'), t(' mple.org)')]);
  });

  it('does not put links inside links', () => {
    expect(parse('[https://bank.example](https://evil.example)')).toEqual([link('https://evil.example/', t('https://bank.example'))]);
    expect(parse('[<@1> <t:5>](https://x.org)')).toEqual([link('https://x.org/', t('<@1> <t:5>'))]);
    const nested = parse('[a [b](https://b.org) c](https://c.org)');
    expect(nested).toEqual([t('[a '), link('https://b.org/', t('b')), t(' c]('), auto('https://c.org/', 'https://c.org'), t(')')]);
  });

  it('auto-links bare URLs without trailing punctuation', () => {
    expect(parse('see https://example.org/a_b_c.')).toEqual([t('see '), auto('https://example.org/a_b_c'), t('.')]);
    expect(parse('(https://example.org/x)')).toEqual([t('('), auto('https://example.org/x'), t(')')]);
    expect(parse('https://en.wikipedia.org/wiki/A_(b)')).toEqual([auto('https://en.wikipedia.org/wiki/A_(b)')]);
    expect(parse('**https://example.org**')).toEqual([wrap('strong', auto('https://example.org/', 'https://example.org'))]);
    expect(parse('HTTPS://EXAMPLE.org')).toEqual([auto('https://example.org/', 'HTTPS://EXAMPLE.org')]);
    expect(parse('xhttps://example.org')).toEqual([t('xhttps://example.org')]);
    expect(parse('https://')).toEqual([t('https://')]);
  });

  it('auto-links URLs in angle brackets (no preview)', () => {
    expect(parse('<https://example.org/a>')).toEqual([auto('https://example.org/a')]);
    expect(parse('<https://exa mple.org>')).toEqual([t('<'), auto('https://exa/', 'https://exa'), t(' mple.org>')]);
    expect(parse('<javascript:alert(1)>')).toEqual([t('<javascript:alert(1)>')]);
  });
});

describe('mentions', () => {
  it('parses each kind', () => {
    expect(parse('<@250563891241680896>')).toEqual([{ type: 'mention_user', id: '250563891241680896' }]);
    expect(parse('<@!42>')).toEqual([{ type: 'mention_user', id: '42' }]);
    expect(parse('<@&42>')).toEqual([{ type: 'mention_role', id: '42' }]);
    expect(parse('<#42>')).toEqual([{ type: 'mention_channel', id: '42' }]);
    expect(parse('@everyone')).toEqual([{ type: 'mention_everyone' }]);
    expect(parse('@here')).toEqual([{ type: 'mention_here' }]);
    expect(parse('hi @everyone!')).toEqual([t('hi '), { type: 'mention_everyone' }, t('!')]);
  });

  it('keeps malformed tags as text, like the server', () => {
    for (const s of ['<@>', '<@abc>', '<@&>', '<@ 12>', '<@12', '<@-1>', '<@9223372036854775808>', '<@!&12>', '<#>', '<#a>', '@every one', '@Everyone']) {
      expect(types(parse(s)), s).toEqual(['text']);
    }
    expect(parse('<@9223372036854775807>')).toEqual([{ type: 'mention_user', id: '9223372036854775807' }]);
    expect(parse('<@007>')).toEqual([{ type: 'mention_user', id: '7' }]);
    expect(parse('<@x <@5>')).toEqual([t('<@x '), { type: 'mention_user', id: '5' }]);
  });
});

describe('emoji', () => {
  it('finds unicode emoji of every shape', () => {
    for (const e of ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇫🇷', '🇯🇵', '1️⃣', '#️⃣', '*️⃣', '❤️', '©️', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '🧑🏿‍💻']) {
      expect(parse(e), e).toEqual([emoji(e)]);
    }
    expect(parse('a😀b')).toEqual([t('a'), emoji('😀'), t('b')]);
    expect(parse('🇫🇷🇯🇵')).toEqual([emoji('🇫🇷'), emoji('🇯🇵')]);
  });

  it('leaves text-style symbols and plain digits as text', () => {
    expect(parse('© ® 1 # * ™ é 中')).toEqual([t('© ® 1 # * ™ é 中')]);
  });

  it('counts jumbo emoji: only 1–27 emoji and whitespace', () => {
    expect(jumboCount(parse('😀'))).toBe(1);
    expect(jumboCount(parse(' 😀 🇫🇷\n👨‍👩‍👧 '))).toBe(3);
    expect(jumboCount(parse('😀'.repeat(27)))).toBe(27);
    expect(jumboCount(parse('😀'.repeat(28)))).toBe(0);
    expect(jumboCount(parse('😀 hi'))).toBe(0);
    expect(jumboCount(parse('**😀**'))).toBe(0);
    expect(jumboCount(parse('   '))).toBe(0);
  });
});

describe('timestamps', () => {
  it('parses the default and each style', () => {
    expect(parse('<t:1700000000>')).toEqual([{ type: 'timestamp', unix: 1700000000, style: 'f' }]);
    for (const style of ['t', 'T', 'd', 'D', 'f', 'F', 'R']) {
      expect(parse(`<t:1700000000:${style}>`)).toEqual([{ type: 'timestamp', unix: 1700000000, style }]);
    }
    expect(parse('<t:-86400:d>')).toEqual([{ type: 'timestamp', unix: -86400, style: 'd' }]);
  });

  it('keeps unknown styles and out-of-range times as text', () => {
    expect(parse('<t:1700000000:x>')).toEqual([t('<t:1700000000:x>')]);
    expect(parse('<t:abc>')).toEqual([t('<t:abc>')]);
    expect(parse(`<t:${MAX_TIMESTAMP}>`)).toEqual([{ type: 'timestamp', unix: MAX_TIMESTAMP, style: 'f' }]);
    expect(parse(`<t:${MIN_TIMESTAMP}>`)).toEqual([{ type: 'timestamp', unix: MIN_TIMESTAMP, style: 'f' }]);
    expect(parse(`<t:${MAX_TIMESTAMP + 1}>`)).toEqual([t(`<t:${MAX_TIMESTAMP + 1}>`)]);
    expect(parse(`<t:${MIN_TIMESTAMP - 1}>`)).toEqual([t(`<t:${MIN_TIMESTAMP - 1}>`)]);
    expect(parse('<t:99999999999999999999>')).toEqual([t('<t:99999999999999999999>')]);
  });
});

describe('rule zero: no raw HTML', () => {
  it('keeps tags and entities as text', () => {
    expect(parse('<b>hi</b>')).toEqual([t('<b>hi</b>')]);
    expect(parse('<img src=x onerror=alert(1)>')).toEqual([t('<img src=x onerror=alert(1)>')]);
    expect(parse('&amp; &lt;')).toEqual([t('&amp; &lt;')]);
    expect(parse('![img](https://example.org/a.png)')).toEqual([t('!'), link('https://example.org/a.png', t('img'))]);
  });

  it('has no tables, setext headings, indented code or reference links', () => {
    expect(types(parse('| a | b |\n|---|---|\n| 1 | 2 |'))).toEqual(expect.not.arrayContaining(['heading', 'list', 'code_block']));
    expect(parse('Title\n===')).toEqual([t('Title'), br, t('===')]);
    expect(parse('    indented')).toEqual([t('    indented')]);
    expect(parse('[a][ref]\n\n[ref]: https://x.org')).toEqual([t('[a][ref]'), br, br, t('[ref]: '), auto('https://x.org/', 'https://x.org')]);
  });

  it('keeps bidirectional and invisible characters in the text', () => {
    expect(parse('a\u202eb\u200bc')).toEqual([t('a\u202eb\u200bc')]);
  });
});

describe('bounds', () => {
  it('cuts input to 4000 characters, never splitting a character', () => {
    expect(plainText(parse('a'.repeat(5000))).length).toBe(MAX_CHARS);
    const astral = '😀'.repeat(4100);
    const nodes = parse(astral);
    expect(nodes.length).toBe(MAX_CHARS);
    expect(truncate('é'.repeat(4000))).toBe('é'.repeat(4000));
    expect(truncate('a'.repeat(3999) + '😀b')).toBe('a'.repeat(3999) + '😀');
  });

  it('is linear: pathological inputs complete', () => {
    // Each would take minutes in a backtracking parser.
    const inputs = [
      '*'.repeat(4000),
      '**_~~'.repeat(800),
      '*a'.repeat(2000),
      '_a '.repeat(1333),
      '['.repeat(4000),
      ']('.repeat(2000),
      '[a]('.repeat(1000),
      '[x](https://a.org/' + '('.repeat(3980),
      '` ``'.repeat(1000),
      '```a'.repeat(1000),
      'https://a'.repeat(444),
      '<https://'.repeat(444),
      '<@'.repeat(2000),
      '<t:1'.repeat(1000),
      '||~~'.repeat(1000),
      '\\'.repeat(4000),
      '> '.repeat(2000),
      '- x\n'.repeat(1000),
      Array.from({ length: 400 }, (_, i) => ' '.repeat((i * 2) % 40) + '- x').join('\n'),
      '👨‍👩‍👧'.repeat(500),
      '*_'.repeat(1000) + 'x' + '_*'.repeat(1000),
    ];
    for (const s of inputs) {
      const nodes = parse(s);
      expect(Array.isArray(nodes)).toBe(true);
      // Nothing is lost: the visible text plus the tokens account for the input.
      expect(JSON.stringify(nodes).length).toBeGreaterThan(0);
    }
  });

  it('is total: random markdown-heavy strings never throw and never lose text', () => {
    const alphabet = ['*', '_', '~', '|', '`', '\\', '[', ']', '(', ')', '<', '>', '@', '#', '-', '1.', ' ', '  ', '\n', 'a', 'b', 'é', '😀', '🇫', '\u200d', 'https://x.org', 'javascript:', '<@1>', '<#2>', '<@&3>', '<t:1>', ':R', '@everyone', '```', '> ', '>>> ', '# ', '- '];
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let k = 0; k < 3000; k++) {
      let s = '';
      const len = rand(60);
      for (let j = 0; j < len; j++) s += alphabet[rand(alphabet.length)];
      let nodes: MdNode[] = [];
      expect(() => (nodes = parse(s)), s).not.toThrow();
      expect(Array.isArray(nodes)).toBe(true);
      expect(styleDepth(nodes)).toBeLessThanOrEqual(10);
      // Every letter of the input survives somewhere in the tree (text, code, URL or token).
      const json = JSON.stringify(nodes);
      for (const ch of s.replace(/[^ab]/g, '')) expect(json, s).toContain(ch);
    }
  });

  it('never throws on odd values', () => {
    expect(parse('')).toEqual([]);
    expect(parse(undefined as unknown as string)).toEqual([]);
    expect(parse('\r\n')).toEqual([br]);
    expect(parse('\uD800 lone surrogate \uDC00')).toEqual([t('\uD800 lone surrogate \uDC00')]);
  });
});

describe('safeUrl', () => {
  it('normalises http(s) URLs and refuses the rest', () => {
    expect(safeUrl('https://EXAMPLE.org')).toBe('https://example.org/');
    expect(safeUrl('https://bücher.example/')).toBe('https://xn--bcher-kva.example/');
    expect(safeUrl('http://a')).toBe('http://a/');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl(' https://example.org')).toBeNull();
    expect(safeUrl('https://a b')).toBeNull();
  });
});
