import { describe, expect, it } from 'vitest';
import { repliedAuthorName } from './reply';
import { guildState } from './test-fixtures';

describe('repliedAuthorName', () => {
  it('names the author as the guild knows them: nickname, then global name, then username', () => {
    expect(repliedAuthorName(guildState(), '100', '10', '500')).toBe('Bobby');
    expect(repliedAuthorName(guildState({ bobNick: 'Builder Bob' }), '100', '10', '500')).toBe('Builder Bob');
    // not a member (any more): the user's own names
    expect(repliedAuthorName(guildState({ bobNick: 'Builder Bob' }), '100', null, '500')).toBe('Bobby');
  });

  it('is null without a reply or when the message is not cached', () => {
    expect(repliedAuthorName(guildState(), '100', '10', null)).toBeNull();
    expect(repliedAuthorName(guildState(), '100', '10', '999')).toBeNull();
    expect(repliedAuthorName(guildState(), '102', '10', '500')).toBeNull();
  });
});
