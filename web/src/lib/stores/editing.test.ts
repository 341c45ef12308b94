import { describe, it, expect, beforeEach } from 'vitest';
import { get } from 'svelte/store';
import { chat } from '../app';
import { applyEvent, emptyState, historyLoaded, addPending, type ChatMessage } from './chat';
import { editing, editLast, lastOwnMessage } from './editing';

const user = (id: string) => ({ id, username: 'u' + id, global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '2026-01-01T00:00:00Z' });
const msg = (id: string, author: string, extra: Partial<ChatMessage> = {}) =>
  ({ id, channel_id: '100', author: user(author), content: 'm' + id, timestamp: '2026-11-23T10:00:00Z', nonce: null, type: 0, reactions: [], ...extra }) as unknown as ChatMessage;

describe('editing', () => {
  beforeEach(() => {
    editing.set(null);
    let s = applyEvent(emptyState(), 'READY', { user: { ...user('1'), admin: false, owner: false, mfa_enabled: false }, guilds: [] });
    s = historyLoaded(s, '100', [msg('5', '2'), msg('4', '1', { type: 24 }), msg('3', '1', { type: 19 }), msg('2', '1')], 50, null);
    s = addPending(s, msg('local-1', '1', { nonce: 'n' }));
    chat.set(s);
  });

  it('lastOwnMessage skips others’, pending and system messages', () => {
    const list = get(chat).messages['100'] ?? [];
    expect(lastOwnMessage(list, '1')?.id).toBe('3');
    expect(lastOwnMessage(list, '2')?.id).toBe('5');
    expect(lastOwnMessage(list, null)).toBeNull();
  });

  it('editLast starts editing my newest confirmed message, or says there is none', () => {
    expect(editLast('100')).toBe(true);
    expect(get(editing)).toEqual({ channelId: '100', messageId: '3' });
    expect(editLast('nope')).toBe(false);
  });
});
