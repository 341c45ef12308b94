import { describe, it, expect } from 'vitest';
import { notificationTitle, parsePrefs, plainExcerpt, shouldNotify, type NotifyContext } from './notify';

const bob = { id: '2', username: 'bob', global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '' };
const me = { ...bob, id: '1', username: 'me' };
const msg = (over: Record<string, unknown> = {}) => ({ author: bob, channel_id: '100', mentions: [] as (typeof bob)[], mention_roles: [] as string[], mention_everyone: false, ...over });
const ctx = (over: Partial<NotifyContext> = {}): NotifyContext => ({ me: '1', myRoles: ['r1'], openChannelId: '200', windowActive: true, ...over });

describe('shouldNotify', () => {
  it('notifies a mention of me, @everyone, or my role from someone else', () => {
    expect(shouldNotify(msg({ mentions: [me] }), ctx())).toBe(true);
    expect(shouldNotify(msg({ mention_everyone: true }), ctx())).toBe(true);
    expect(shouldNotify(msg({ mention_roles: ['r1'] }), ctx())).toBe(true);
  });

  it('not a plain message, another role, or my own message', () => {
    expect(shouldNotify(msg(), ctx())).toBe(false);
    expect(shouldNotify(msg({ mention_roles: ['r9'] }), ctx())).toBe(false);
    expect(shouldNotify(msg({ author: me, mentions: [me] }), ctx())).toBe(false);
    expect(shouldNotify(msg({ mentions: [me] }), ctx({ me: null }))).toBe(false);
  });

  it('not in the channel I am looking at, unless the window is in the background', () => {
    expect(shouldNotify(msg({ mentions: [me] }), ctx({ openChannelId: '100' }))).toBe(false);
    expect(shouldNotify(msg({ mentions: [me] }), ctx({ openChannelId: '100', windowActive: false }))).toBe(true);
  });
});

describe('plainExcerpt', () => {
  it('drops markdown syntax and names mentions', () => {
    const names = { user: (id: string) => (id === '1' ? 'me' : null), role: () => 'mods', channel: () => 'general' };
    expect(plainExcerpt('**hey** <@1>, see <#5> and ping <@&7> _now_ ~~not~~', names)).toBe('hey @me, see #general and ping @mods now not');
    expect(plainExcerpt('<@99> hi', names)).toBe('@unknown hi');
  });

  it('hides spoilers, keeps code, unwraps links and emoji', () => {
    expect(plainExcerpt('the end: ||he dies||')).toBe('the end: ▮▮▮');
    expect(plainExcerpt('run `cargo test` then\n```rust\nfn main() {}\n```')).toBe('run cargo test then fn main() {}');
    expect(plainExcerpt('[docs](https://example.org) <:party:123>')).toBe('docs :party:');
    expect(plainExcerpt('# Title\n> quoted\n- item')).toBe('Title quoted • item');
  });

  it('never produces markup from markup-looking input (it stays text) and truncates', () => {
    expect(plainExcerpt('<b>bold</b>')).toBe('<b>bold</b>');
    const long = plainExcerpt('a'.repeat(500), {}, 50);
    expect(long).toHaveLength(50);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('notify prefs and title', () => {
  it('parses stored prefs, defaulting on', () => {
    expect(parsePrefs(null)).toEqual({ sound: true, desktop: true });
    expect(parsePrefs('{"sound":false}')).toEqual({ sound: false, desktop: true });
    expect(parsePrefs('not json')).toEqual({ sound: true, desktop: true });
    expect(parsePrefs('{"desktop":"yes"}')).toEqual({ sound: true, desktop: true });
  });

  it('titles a notification with the author, channel and guild', () => {
    expect(notificationTitle('bob', 'general', 'Hearthside')).toBe('bob (#general, Hearthside)');
    expect(notificationTitle('bob', null, null)).toBe('bob');
  });
});
