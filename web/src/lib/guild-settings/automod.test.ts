import { describe, it, expect } from 'vitest';
import { createBody, emptyForm, formFromRule, metadataFromForm, ruleSummary, splitList, TRIGGER, TRIGGER_TYPES, updateBody, validateForm, type AutoModRule } from './automod';

describe('AutoMod form', () => {
  it('splits lists on commas and new lines (patterns on lines only)', () => {
    expect(splitList('free nitro, *scam*,\n  spam  ,, spam')).toEqual(['free nitro', '*scam*', 'spam']);
    expect(splitList('a{1,3}\nb', false)).toEqual(['a{1,3}', 'b']);
  });

  it("sends only the chosen trigger's metadata", () => {
    const f = { ...emptyForm(TRIGGER.Keyword), keywords: 'bad, worse', allowList: 'badminton', regexPatterns: 'x+y' };
    expect(metadataFromForm(f)).toEqual({ keyword_filter: ['bad', 'worse'], regex_patterns: ['x+y'], allow_list: ['badminton'] });
    expect(metadataFromForm({ ...f, triggerType: TRIGGER.MentionSpam })).toEqual({ mention_total_limit: 10, mention_raid_protection_enabled: false });
    expect(metadataFromForm({ ...f, triggerType: TRIGGER.InviteLinks, allowList: 'abc' })).toEqual({ allow_list: ['abc'], allow_guild_invites: true });
    expect(metadataFromForm({ ...f, triggerType: TRIGGER.Links, blockedDomains: 'evil.com' })).toEqual({ allowed_domains: [], blocked_domains: ['evil.com'] });
    expect(metadataFromForm({ ...f, triggerType: TRIGGER.MessageSpam, maxDuplicates: null })).toEqual({ interval_seconds: 10, max_messages: 5 });
    expect(TRIGGER_TYPES.map((t) => t.type)).toEqual([1, 5, 100, 101, 102]);
  });

  it('validates the bounds the server has', () => {
    const f = emptyForm(TRIGGER.Keyword);
    expect(validateForm(f)['keywords']).toMatch(/at least one/);
    expect(validateForm({ ...f, keywords: 'x'.repeat(61) })['keywords']).toMatch(/60/);
    expect(validateForm({ ...f, regexPatterns: Array.from({ length: 11 }, (_, i) => 'a' + i).join('\n') })['regexPatterns']).toMatch(/10/);
    expect(validateForm({ ...f, keywords: 'ok', block: false })['actions']).toBeDefined();
    expect(validateForm({ ...f, keywords: 'ok', blockMessage: 'x'.repeat(151) })['blockMessage']).toMatch(/150/);
    expect(validateForm({ ...f, keywords: 'ok', alert: true })['alertChannelId']).toBeDefined();
    expect(validateForm({ ...f, keywords: 'ok', timeout: true, timeoutSeconds: 2419201 })['timeoutSeconds']).toBeDefined();
    expect(validateForm({ ...f, keywords: 'ok', name: ' ' })['name']).toBeDefined();
    expect(validateForm({ ...f, keywords: 'ok' })).toEqual({});
    expect(validateForm({ ...emptyForm(TRIGGER.MentionSpam), mentionLimit: 51 })['mentionLimit']).toBeDefined();
    expect(validateForm({ ...emptyForm(TRIGGER.Links) })['blockedDomains']).toBeDefined();
    expect(validateForm({ ...emptyForm(TRIGGER.MessageSpam), maxMessages: null, maxDuplicates: null })['maxMessages']).toBeDefined();
    expect(validateForm({ ...emptyForm(TRIGGER.MessageSpam), intervalSeconds: 601 })['intervalSeconds']).toBeDefined();
    expect(validateForm({ ...emptyForm(TRIGGER.InviteLinks), exemptRoles: Array.from({ length: 21 }, (_, i) => String(i)) })['exemptRoles']).toBeDefined();
  });

  it('round-trips a rule through the form', () => {
    const rule: AutoModRule = {
      id: '9',
      guild_id: '1',
      name: 'No scams',
      creator_id: '2',
      event_type: 1,
      trigger_type: 1,
      trigger_metadata: { keyword_filter: ['free nitro', '*scam*'], regex_patterns: ['x{2,}'], allow_list: [] },
      actions: [
        { type: 1, metadata: { custom_message: 'Nope' } },
        { type: 2, metadata: { channel_id: '7' } },
        { type: 3, metadata: { duration_seconds: 60 } },
      ],
      enabled: true,
      exempt_roles: ['5'],
      exempt_channels: [],
    };
    const f = formFromRule(rule);
    expect(f.keywords).toBe('free nitro, *scam*');
    const body = createBody(f);
    expect(body.trigger_metadata).toEqual(rule.trigger_metadata);
    expect(body.actions).toEqual(rule.actions);
    expect(body.exempt_roles).toEqual(['5']);
    expect('trigger_type' in updateBody(f)).toBe(false);
    expect(ruleSummary(rule)).toBe('2 keywords, 1 pattern');
  });
});
