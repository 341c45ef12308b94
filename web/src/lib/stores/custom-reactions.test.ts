import { describe, expect, it } from 'vitest';
import { applyEvent, emptyState, historyLoaded, reactionToggled, type ChatMessage, type ChatState } from './chat';

const me = { id: '1', username: 'me', global_name: null, bio: '', pronouns: '', avatar: null, bot: false, created_at: '' };
const msg = { id: '1001', channel_id: '100', author: me, content: 'x', timestamp: '', edited_timestamp: null, nonce: null, mentions: [], mention_roles: [], mention_everyone: false, reactions: [] } as unknown as ChatMessage;

function withMessage(): ChatState {
  let s = applyEvent(emptyState(), 'READY', { user: me, guilds: [{ id: '10' }] });
  s = applyEvent(s, 'GUILD_CREATE', { id: '10', name: 'G', owner_id: '1', roles: [], channels: [{ id: '100', type: 0, guild_id: '10', name: 'general', position: 0, permission_overwrites: [] }], members: [] });
  return historyLoaded(s, '100', [msg], 50, null);
}
const chips = (s: ChatState) => s.messages['100']?.[0]?.reactions?.map((r) => [r.emoji.id ?? null, r.emoji.name, r.count, r.me, (r.emoji as { animated?: boolean }).animated ?? false]);
const custom = (user_id: string, id: string, name: string, animated = false) => ({ user_id, channel_id: '100', message_id: '1001', guild_id: '10', emoji: { id, name, ...(animated ? { animated } : {}) } });

describe('custom emoji reactions', () => {
  it('events with emoji.id make chips matched by id, beside unicode chips of the same look', () => {
    let s = withMessage();
    s = applyEvent(s, 'MESSAGE_REACTION_ADD', custom('2', '5', 'party', true));
    s = applyEvent(s, 'MESSAGE_REACTION_ADD', { user_id: '3', channel_id: '100', message_id: '1001', emoji: { id: null, name: '🎉' } });
    // renamed since: still the same emoji
    s = applyEvent(s, 'MESSAGE_REACTION_ADD', custom('3', '5', 'fiesta', true));
    s = applyEvent(s, 'MESSAGE_REACTION_ADD', custom('3', '6', 'party'));
    expect(chips(s)).toEqual([
      ['5', 'party', 2, false, true],
      [null, '🎉', 1, false, false],
      ['6', 'party', 1, false, false],
    ]);
    s = applyEvent(s, 'MESSAGE_REACTION_REMOVE', custom('2', '5', 'party'));
    s = applyEvent(s, 'MESSAGE_REACTION_REMOVE', custom('3', '5', 'party'));
    expect(chips(s)).toEqual([
      [null, '🎉', 1, false, false],
      ['6', 'party', 1, false, false],
    ]);
    s = applyEvent(s, 'MESSAGE_REACTION_REMOVE_EMOJI', { channel_id: '100', message_id: '1001', emoji: { id: '6', name: 'party' } });
    expect(chips(s)).toEqual([[null, '🎉', 1, false, false]]);
  });

  it('my toggle by key or picker text adds one chip, and my echo does not count twice', () => {
    let s = withMessage();
    s = reactionToggled(s, '100', '1001', { id: '5', name: 'party', animated: true }, true);
    s = applyEvent(s, 'MESSAGE_REACTION_ADD', custom('1', '5', 'party', true));
    expect(chips(s)).toEqual([['5', 'party', 1, true, true]]);
    s = reactionToggled(s, '100', '1001', 'party:5', false);
    expect(chips(s)).toEqual([]);
    s = reactionToggled(s, '100', '1001', '<:wave:7>', true);
    expect(chips(s)).toEqual([['7', 'wave', 1, true, false]]);
  });

  it('leaves unicode reactions as they were: {id: null, name}', () => {
    let s = withMessage();
    s = reactionToggled(s, '100', '1001', '👍', true);
    expect(s.messages['100']?.[0]?.reactions).toEqual([{ count: 1, me: true, emoji: { id: null, name: '👍' } }]);
  });
});
