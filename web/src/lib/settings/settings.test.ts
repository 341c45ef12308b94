import { describe, it, expect } from 'vitest';
import { get } from 'svelte/store';
import { charCount, textError } from './text';
import { profileDirty, profileDraft, profileErrors, profilePatch } from './profile';
import { passwordErrors, passwordStrength } from './password';
import { describeClient } from './useragent';
import { changeText, describeAuditEntry, durationText, indexUsers } from './audit';
import { announcementExpiryError, inviteFromRegistrationUrl, inviteMaxUsesError, inviteState, inviteUses, isoToLocalInput, localInputToIso, registrationLink, relativeTime } from './format';
import { instanceDirty, instanceErrors, instancePatch } from './instance';
import { appendPage, mayHaveMore, replaceById, userActions, userQueryError, userStatus } from './admin-users';
import { categoryLabel, noteError, reportSource } from './reports';
import { announcementBody, announcementErrors } from './announcements';
import { groupSections } from './sections';
import { markUnsaved, mayLeave, unsavedCount, unsavedNudge } from './unsaved';
import { createUserCache } from './user-cache';
import { describedBy } from './a11y';

const user = (over: Record<string, unknown> = {}) => ({
  id: '10',
  username: 'ada',
  global_name: null as string | null,
  bio: '',
  pronouns: '',
  bot: false,
  created_at: '2026-01-01T00:00:00Z',
  ...over,
});

describe('text rules', () => {
  it('counts Unicode scalar values, not UTF-16 units', () => {
    expect(charCount('😀😀')).toBe(2);
    expect(textError('😀'.repeat(32), { min: 0, max: 32 })).toBeNull();
    expect(textError('😀'.repeat(33), { min: 0, max: 32 })).toMatch(/at most 32/);
  });
  it('trims before measuring and requires a minimum', () => {
    expect(textError('   ', { min: 1, max: 10 })).toBe('Required');
    expect(textError('  ab  ', { min: 1, max: 2 })).toBeNull();
  });
  it('refuses control and invisible characters, allowing newlines only in multi-line fields', () => {
    expect(textError('a\nb', { min: 0, max: 10 })).toMatch(/one line/);
    expect(textError('a\nb', { min: 0, max: 10, multiline: true })).toBeNull();
    expect(textError('a\u202eb', { min: 0, max: 10, multiline: true })).toMatch(/invisible/);
    expect(textError('a\u200bb', { min: 0, max: 10 })).not.toBeNull();
  });
  it('markdown documents keep tabs and newlines but refuse other controls', () => {
    expect(textError('a\tb\r\nc', { min: 0, max: 10, markdown: true })).toBeNull();
    expect(textError('a\u0007b', { min: 0, max: 10, markdown: true })).toMatch(/Control/);
  });
});

describe('profile form', () => {
  const saved = profileDraft(user({ global_name: 'Ada', bio: 'hi', pronouns: 'she/her' }));
  it('sends only changed fields, trimmed', () => {
    expect(profilePatch(saved, { ...saved, global_name: '  Ada L ' })).toEqual({ global_name: 'Ada L' });
    expect(profilePatch(saved, { ...saved, bio: 'line 1\nline 2' })).toEqual({ bio: 'line 1\nline 2' });
  });
  it('treats whitespace-only edits as unchanged', () => {
    expect(profileDirty(saved, { ...saved, global_name: 'Ada  ' })).toBe(false);
    expect(profilePatch(saved, { ...saved, pronouns: ' she/her' })).toEqual({});
  });
  it('clears the display name with null', () => {
    expect(profilePatch(saved, { ...saved, global_name: '   ' })).toEqual({ global_name: null });
  });
  it('validates the server bounds', () => {
    const e = profileErrors({ global_name: 'x'.repeat(33), pronouns: 'p'.repeat(41), bio: 'b'.repeat(191) });
    expect(Object.keys(e).sort()).toEqual(['bio', 'global_name', 'pronouns']);
    expect(profileErrors({ global_name: 'x'.repeat(32), pronouns: 'p'.repeat(40), bio: 'b'.repeat(190) })).toEqual({});
  });
  it('starts from the user, null display name as empty', () => {
    expect(profileDraft(user())).toEqual({ global_name: '', pronouns: '', bio: '' });
  });
});

describe('password form', () => {
  it('checks length, confirmation and a changed password', () => {
    expect(passwordErrors({ current: '', next: 'short', confirm: 'x' })).toEqual({
      current_password: 'Enter your current password',
      new_password: 'Must be at least 8 characters',
      confirm: 'Does not match the new password',
    });
    expect(passwordErrors({ current: 'oldpassword', next: 'oldpassword', confirm: 'oldpassword' }).new_password).toMatch(/differ/);
    expect(passwordErrors({ current: 'old', next: 'x'.repeat(129), confirm: 'x'.repeat(129) }).new_password).toMatch(/at most 128/);
    expect(passwordErrors({ current: 'old', next: 'a fine new one', confirm: 'a fine new one' })).toEqual({});
  });
  it('rates strength from weak to strong', () => {
    expect(passwordStrength('abc').score).toBe(0);
    expect(passwordStrength('password123').label).toBe('Weak');
    expect(passwordStrength('abcdefgh').label).toBe('Weak');
    expect(passwordStrength('ada-secret-99', 'ada').label).toBe('Weak');
    expect(passwordStrength('Correct horse battery staple 9').score).toBe(4);
    expect(passwordStrength('Tr0ub4dor&3x').score).toBeGreaterThanOrEqual(2);
  });
});

describe('user agents', () => {
  it('names common browsers and systems', () => {
    expect(describeClient('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36').name).toBe('Chrome 131 on Windows');
    expect(describeClient('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0').name).toBe('Firefox 128 on Linux');
    expect(describeClient('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1')).toMatchObject({ name: 'Safari 17 on iPhone', kind: 'phone' });
    expect(describeClient('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.68').name).toBe('Edge 130 on macOS');
    expect(describeClient('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36')).toMatchObject({ name: 'Chrome 131 on Android', kind: 'phone' });
    expect(describeClient('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/141.0.0.0 Safari/537.36').name).toBe('Headless Chrome 141 on Linux');
  });
  it('names tools and copes with nothing', () => {
    expect(describeClient('curl/8.5.0').name).toBe('curl 8.5');
    expect(describeClient('python-requests/2.31.0').name).toBe('Python requests 2.31');
    expect(describeClient(null).name).toBe('Unknown client');
    expect(describeClient('   ').name).toBe('Unknown client');
    expect(describeClient('SomeBot/1.0 (+https://example.com)').name).toBe('SomeBot/1.0');
  });
});

describe('audit log text', () => {
  const users = indexUsers([user({ id: '1', username: 'root', global_name: 'Root' }), user({ id: '2', username: 'bob' })]);
  const entry = (action: string, over: Record<string, unknown> = {}) => ({ id: '99', user_id: '1', action, target_id: null, changes: [], reason: null, created_at: '2026-01-01T00:00:00Z', ...over });
  it('describes account actions with names', () => {
    expect(describeAuditEntry(entry('user.disable', { target_id: '2' }), users)).toEqual({ actor: 'Root (@root)', text: 'disabled @bob', details: [] });
    expect(describeAuditEntry(entry('user.promote', { target_id: '2' }), users).text).toBe('made @bob an administrator');
    expect(describeAuditEntry(entry('user.delete', { target_id: '3' }), users).text).toBe('deleted the account user 3');
  });
  it('describes settings changes field by field, summarising long texts', () => {
    const d = describeAuditEntry(
      entry('settings.update', {
        changes: [
          { key: 'registration_mode', old_value: 'invite', new_value: 'open' },
          { key: 'name', old_value: 'Hearth', new_value: 'Home' },
          { key: 'terms', new_value: 'Be nice' },
        ],
        reason: 'launch',
      }),
      users,
    );
    expect(d.text).toBe('changed the instance settings');
    expect(d.details).toEqual(['Registration: Invite only → Open', 'Name: “Hearth” → “Home”', 'Terms of service: added', 'Reason: launch']);
    expect(describeAuditEntry(entry('settings.update', { changes: [{ key: 'name', old_value: 'a', new_value: 'b' }] }), users).text).toBe('changed the instance name');
  });
  it('describes invites, announcements, reports and the command line', () => {
    const inv = describeAuditEntry(entry('invite.create', { user_id: null, changes: [{ key: 'code', new_value: 'ABCDEFGHIJ' }, { key: 'max_uses', new_value: 0 }, { key: 'max_age', new_value: 86400 }] }), users);
    expect(inv).toEqual({ actor: 'Command line', text: 'created the invite ABCDEFGHIJ', details: ['Max uses: unlimited', 'Expires after: 1 day'] });
    expect(describeAuditEntry(entry('announcement.create', { changes: [{ key: 'title', new_value: 'Maintenance' }] }), users).text).toBe('posted the announcement “Maintenance”');
    const rep = describeAuditEntry(entry('report.update', { target_id: '55', changes: [{ key: 'status', old_value: 'open', new_value: 'resolved' }, { key: 'assignee_id', old_value: null, new_value: '2' }] }), users);
    expect(rep.text).toBe('updated report 55');
    expect(rep.details).toEqual(['Status: Open → Resolved', 'Assignee: nobody → @bob']);
    expect(describeAuditEntry(entry('something.new', { target_id: '2' }), users).text).toBe('did something.new to @bob');
  });
  it('formats single changes and durations', () => {
    expect(changeText({ key: 'escalated', old_value: true as never, new_value: false as never })).toBe('Escalated: yes → no');
    expect(changeText({ key: 'privacy', old_value: 'x' as never, new_value: null })).toBe('Privacy policy: removed');
    expect(durationText(0)).toBe('never');
    expect(durationText(7 * 86400)).toBe('7 days');
    expect(durationText(90)).toBe('90 seconds');
  });
});

describe('formatting and invites', () => {
  const now = Date.parse('2026-06-01T12:00:00Z');
  it('says relative times', () => {
    expect(relativeTime('2026-06-01T11:59:30Z', now)).toBe('just now');
    expect(relativeTime('2026-06-01T11:55:00Z', now)).toBe('5 minutes ago');
    expect(relativeTime('2026-06-01T13:00:00Z', now)).toBe('in 1 hour');
    expect(relativeTime('2026-05-29T12:00:00Z', now)).toBe('3 days ago');
    expect(relativeTime(null, now)).toBe('never');
  });
  it('checks invite max uses', () => {
    expect(inviteMaxUsesError('')).toBeNull();
    expect(inviteMaxUsesError('100000')).toBeNull();
    expect(inviteMaxUsesError('100001')).toMatch(/At most/);
    expect(inviteMaxUsesError('-1')).toMatch(/whole number/);
    expect(inviteMaxUsesError('2.5')).toMatch(/whole number/);
  });
  it('knows when an invite is spent', () => {
    const inv = { code: 'ABCDEFGHIJ', created_at: '2026-01-01T00:00:00Z', uses: 2, max_uses: 2, expires_at: null };
    expect(inviteState(inv, now)).toBe('used up');
    expect(inviteState({ ...inv, max_uses: 0 }, now)).toBe('active');
    expect(inviteState({ ...inv, max_uses: null, expires_at: '2026-05-01T00:00:00Z' }, now)).toBe('expired');
    expect(inviteUses({ ...inv, max_uses: null })).toBe('2 / ∞');
    expect(registrationLink('AB CD', 'https://h.example')).toBe('https://h.example/register?invite=AB%20CD');
    const link = new URL(registrationLink('Ro7kzwY6vJ', 'https://h.example'));
    expect(inviteFromRegistrationUrl(link.pathname, link.search)).toBe('Ro7kzwY6vJ');
    expect(inviteFromRegistrationUrl('/channels', '?invite=x')).toBeNull();
    expect(inviteFromRegistrationUrl('/register', '?invite=<script>')).toBeNull();
  });
  it('round-trips datetime-local values and bounds announcement expiry', () => {
    const local = isoToLocalInput(now + 3_600_000);
    expect(localInputToIso(local)).toBe(new Date(now + 3_600_000).toISOString());
    expect(announcementExpiryError('', now)).toBeNull();
    expect(announcementExpiryError(isoToLocalInput(now - 120_000), now)).toMatch(/future/);
    expect(announcementExpiryError(isoToLocalInput(now + 400 * 86_400_000), now)).toMatch(/year/);
    expect(announcementExpiryError(isoToLocalInput(now + 86_400_000), now)).toBeNull();
  });
});

describe('instance settings form', () => {
  const saved = { registration_mode: 'invite' as const, name: 'Hearth', description: '', terms: '', privacy: '' };
  it('patches only what changes', () => {
    expect(instancePatch(saved, { ...saved, name: ' Home ', registration_mode: 'open' })).toEqual({ registration_mode: 'open', name: 'Home' });
    expect(instancePatch(saved, { ...saved, terms: 'Rules\r\n1. Be kind\n' })).toEqual({ terms: 'Rules\n1. Be kind' });
    expect(instanceDirty(saved, { ...saved, name: 'Hearth ' })).toBe(false);
  });
  it('checks bounds', () => {
    expect(instanceErrors({ ...saved, name: '' }).name).toBe('Required');
    expect(instanceErrors({ ...saved, name: 'x'.repeat(101) }).name).toMatch(/100/);
    expect(instanceErrors({ ...saved, description: 'd'.repeat(1001) }).description).toMatch(/1000/);
    expect(instanceErrors({ ...saved, terms: 't'.repeat(20_001) }).terms).toMatch(/20000/);
    expect(instanceErrors(saved)).toEqual({});
  });
});

describe('admin accounts', () => {
  const owner = { id: '1', admin: true, owner: true };
  const admin = { id: '2', admin: true, owner: false };
  const t = (over: Record<string, unknown> = {}) => ({ id: '3', admin: false, owner: false, disabled: false, deleted: false, ...over });
  it('follows the server rules', () => {
    expect(userActions(admin, t())).toMatchObject({ disable: true, enable: false, promote: false, demote: false, delete: true });
    expect(userActions(owner, t())).toMatchObject({ disable: true, promote: true, delete: true, note: null });
    expect(userActions(owner, t({ disabled: true }))).toMatchObject({ disable: false, enable: true, promote: false });
    expect(userActions(admin, t({ admin: true }))).toMatchObject({ disable: false, delete: false, demote: false });
    expect(userActions(owner, t({ admin: true }))).toMatchObject({ disable: true, demote: true, promote: false });
    expect(userActions(admin, t({ id: '2', admin: true })).note).toMatch(/own account/);
    expect(userActions(owner, t({ owner: true, admin: true })).delete).toBe(false);
    expect(userActions(owner, t({ deleted: true, disabled: true })).enable).toBe(false);
    expect(userActions(null, t()).disable).toBe(false);
  });
  it('checks the search box and pages', () => {
    expect(userQueryError('')).toBeNull();
    expect(userQueryError('x'.repeat(33))).toMatch(/32/);
    expect(mayHaveMore(50, 50)).toBe(true);
    expect(mayHaveMore(3, 50)).toBe(false);
    expect(appendPage([{ id: '1' }, { id: '2' }], [{ id: '2' }, { id: '3' }]).map((x) => x.id)).toEqual(['1', '2', '3']);
    expect(replaceById([{ id: '1', v: 1 }, { id: '2', v: 2 }], { id: '2', v: 9 })).toEqual([{ id: '1', v: 1 }, { id: '2', v: 9 }]);
    expect(userStatus({ owner: true, admin: true, disabled: false, deleted: false })).toEqual(['Owner']);
    expect(userStatus({ owner: false, admin: false, disabled: true, deleted: true })).toEqual(['Deleted']);
  });
});

describe('reports and announcements', () => {
  it('labels and bounds notes', () => {
    expect(categoryLabel('self_harm')).toBe('Self-harm');
    expect(categoryLabel('new_kind')).toBe('new_kind');
    expect(noteError('  ')).toMatch(/Write/);
    expect(noteError('n'.repeat(2001))).toMatch(/2000/);
    expect(noteError('ok\n\tfine')).toBeNull();
    expect(reportSource({ guild_id: '5', escalated: true, message_id: '6' })).toBe('Message report escalated from a guild');
    expect(reportSource({ guild_id: null, escalated: false })).toBe('Account report to the instance');
  });
  it('validates and builds an announcement', () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    expect(announcementErrors({ title: '', content: '', expires: '' }, now)).toEqual({ title: 'Required', content: 'Required' });
    expect(announcementErrors({ title: 'a\nb', content: 'x', expires: '' }, now).title).toMatch(/one line/);
    const exp = isoToLocalInput(now + 86_400_000);
    expect(announcementBody({ title: ' Hi ', content: 'Body\r\n', expires: exp })).toEqual({ title: 'Hi', content: 'Body', expires_at: new Date(now + 86_400_000).toISOString() });
    expect(announcementBody({ title: 'Hi', content: 'B', expires: '' })).toEqual({ title: 'Hi', content: 'B' });
  });
});

describe('settings plumbing', () => {
  it('groups consecutive sections', () => {
    const g = groupSections([
      { id: 'a', label: 'A', group: 'X' },
      { id: 'b', label: 'B', group: 'X' },
      { id: 'c', label: 'C', group: 'Y' },
      { id: 'd', label: 'D' },
    ]);
    expect(g.map((x) => [x.label, x.sections.map((s) => s.id)])).toEqual([
      ['X', ['a', 'b']],
      ['Y', ['c']],
      [undefined, ['d']],
    ]);
  });
  it('refuses to leave while a form is dirty and nudges', () => {
    expect(mayLeave()).toBe(true);
    const done = markUnsaved();
    const before = get(unsavedNudge);
    expect(mayLeave()).toBe(false);
    expect(get(unsavedNudge)).toBe(before + 1);
    done();
    done();
    expect(get(unsavedCount)).toBe(0);
    expect(mayLeave()).toBe(true);
  });
  it('looks users up once and retries failures', async () => {
    let calls = 0;
    const cache = createUserCache(async (id: string) => {
      calls++;
      if (id === 'bad' && calls < 3) throw new Error('nope');
      return { id, username: 'u' + id };
    });
    expect(await cache.get('1')).toEqual({ id: '1', username: 'u1' });
    await cache.get('1');
    expect(calls).toBe(1);
    expect(await cache.get('bad')).toBeNull();
    expect(await cache.get('bad')).toEqual({ id: 'bad', username: 'ubad' });
  });
  it('describes fields for assistive technology', () => {
    expect(describedBy('f', { hint: true, error: 'x' })).toBe('f-hint f-error');
    expect(describedBy('f', {})).toBeUndefined();
  });
});
