import { describe, it, expect } from 'vitest';
import { channelNameError, storedChannelName, topicError } from './channels';

describe('channel names', () => {
  it('shows text names as the server stores them', () => {
    expect(storedChannelName(0, '  Off Topic   Chat ')).toBe('off-topic-chat');
    expect(storedChannelName(2, ' Lounge Room ')).toBe('Lounge Room');
    expect(storedChannelName(4, 'Text Channels')).toBe('Text Channels');
  });

  it('refuses what the server refuses', () => {
    expect(channelNameError(0, 'hello world')).toBeNull();
    expect(channelNameError(0, 'snake_case-ok')).toBeNull();
    expect(channelNameError(0, 'what?')).toMatch(/punctuation/);
    expect(channelNameError(2, 'What? A voice room!')).toBeNull();
    expect(channelNameError(0, '   ')).toMatch(/1–100/);
    expect(channelNameError(0, 'x'.repeat(101))).toMatch(/1–100/);
    expect(channelNameError(0, 'zero\u200bwidth')).toMatch(/invisible/);
    expect(topicError('x'.repeat(1024))).toBeNull();
    expect(topicError('x'.repeat(1025))).not.toBeNull();
  });
});
