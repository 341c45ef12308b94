import { describe, expect, it } from 'vitest';
import { jumboCount, parse, plainText, MAX_JUMBO_EMOJI, type MdNode } from './parse';

const t = (text: string): MdNode => ({ type: 'text', text });
const ce = (name: string, id: string, animated = false): MdNode => ({ type: 'custom_emoji', name, id, animated });

describe('custom emoji', () => {
  it('tokenises <:name:id> and <a:name:id>', () => {
    expect(parse('<:party:123>')).toEqual([ce('party', '123')]);
    expect(parse('<a:parrot_2:98765432109876543>')).toEqual([ce('parrot_2', '98765432109876543', true)]);
    expect(parse('hi <:wave:1> there')).toEqual([t('hi '), ce('wave', '1'), t(' there')]);
  });

  it('takes names of 2 and 32 characters but not 1 or 33', () => {
    const n32 = 'a'.repeat(32);
    expect(parse(`<:ab:1>`)).toEqual([ce('ab', '1')]);
    expect(parse(`<:${n32}:1>`)).toEqual([ce(n32, '1')]);
    expect(parse('<:a:1>')).toEqual([t('<:a:1>')]);
    expect(parse(`<:${n32}b:1>`)).toEqual([t(`<:${n32}b:1>`)]);
  });

  it('takes ids of 1–20 digits below 2^63, shown without leading zeros', () => {
    expect(parse(`<:ok:${'9'.repeat(18)}>`)).toEqual([ce('ok', '9'.repeat(18))]);
    expect(parse('<:ok:007>')).toEqual([ce('ok', '7')]);
    expect(parse(`<:ok:${'1'.repeat(21)}>`)).toEqual([t(`<:ok:${'1'.repeat(21)}>`)]);
    // 20 digits, but above the largest snowflake
    expect(parse('<:ok:99999999999999999999>')).toEqual([t('<:ok:99999999999999999999>')]);
    expect(parse('<:ok:>')).toEqual([t('<:ok:>')]);
  });

  it('leaves hostile or malformed input as text', () => {
    for (const s of [
      '<:bad-name:1>',
      '<:has space:1>',
      '<:ok:12a>',
      '<:ok:-1>',
      '<b:ok:1>',
      '<aa:ok:1>',
      '<:ok:1',
      '<:<:ok:1>',
      '<:ok:1 >',
      '<:"><img src=x onerror=alert(1)>:1>',
      '<:javascript:1>x',
      '<::1>',
      '<:é_é:1>',
    ]) {
      const nodes = parse(s);
      const custom = nodes.filter((n) => n.type === 'custom_emoji');
      if (s === '<:<:ok:1>') expect(nodes).toEqual([t('<:'), ce('ok', '1')]);
      else if (s === '<:javascript:1>x') expect(nodes).toEqual([ce('javascript', '1'), t('x')]);
      else expect(custom, s).toEqual([]);
      expect(plainText(nodes).length).toBeGreaterThan(0);
    }
  });

  it('is literal inside code', () => {
    expect(parse('`<:ok:1>`')).toEqual([{ type: 'code_inline', text: '<:ok:1>' }]);
  });

  it('nests inside styles and link text', () => {
    expect(parse('**<:ok:1>**')).toEqual([{ type: 'strong', children: [ce('ok', '1')] }]);
    expect(parse('[<:ok:1> go](https://example.org/)')).toEqual([{ type: 'link', url: 'https://example.org/', children: [ce('ok', '1'), t(' go')] }]);
  });

  it('counts towards jumbo emoji, with unicode ones, and names itself as :name: in plain text', () => {
    expect(jumboCount(parse('<:a1:1> <a:b2:2> 😀'))).toBe(3);
    expect(jumboCount(parse('<:a1:1> hi'))).toBe(0);
    expect(jumboCount(parse('<:a1:1>'.repeat(MAX_JUMBO_EMOJI + 1)))).toBe(0);
    expect(plainText(parse('x <:party:5> y'))).toBe('x :party: y');
  });

  it('stays linear on many unclosed candidates', () => {
    const s = '<:ab:1'.repeat(600);
    const start = performance.now();
    const nodes = parse(s);
    expect(performance.now() - start).toBeLessThan(500);
    expect(nodes.every((n) => n.type === 'text')).toBe(true);
  });
});
