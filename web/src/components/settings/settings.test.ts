// @vitest-environment happy-dom
import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { flushSync, mount, unmount, tick } from 'svelte';
import SaveBar from './SaveBar.svelte';
import SettingsLayout from './SettingsLayout.svelte';
import ProfileSection from './user/ProfileSection.svelte';
import PasswordSection from './user/PasswordSection.svelte';
import { createRawSnippet } from 'svelte';
import { session } from '../../lib/stores/session';
import { markUnsaved, unsavedCount } from '../../lib/settings/unsaved';
import { get } from 'svelte/store';

let target: HTMLElement;
let app: ReturnType<typeof mount> | null = null;

beforeEach(() => {
  target = document.createElement('div');
  document.body.appendChild(target);
});

afterEach(() => {
  if (app) unmount(app);
  app = null;
  target.remove();
  vi.unstubAllGlobals();
  session.set({ token: null, user: null });
});

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await tick();
  }
  flushSync();
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function type(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  el.value = value;
  el.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
}

function button(text: string): HTMLButtonElement {
  const b = [...target.querySelectorAll('button')].find((x) => x.textContent?.trim() === text);
  if (!b) throw new Error(`no button “${text}”`);
  return b as HTMLButtonElement;
}

const me = {
  id: '100',
  username: 'ada',
  global_name: 'Ada',
  bio: '',
  pronouns: '',
  avatar: null,
  bot: false,
  created_at: '2026-01-01T00:00:00Z',
  admin: false,
  owner: false,
  mfa_enabled: false,
};

describe('SaveBar', () => {
  it('appears only with unsaved changes and wires Reset and Save', () => {
    const onreset = vi.fn();
    const onsave = vi.fn();
    const show = (p: { dirty: boolean; saving: boolean; error?: string }) => {
      if (app) unmount(app);
      app = mount(SaveBar, { target, props: { ...p, onreset, onsave } });
      flushSync();
    };
    show({ dirty: false, saving: false });
    expect(target.querySelector('[aria-label="Unsaved changes"]')).toBeNull();
    expect(get(unsavedCount)).toBe(0);
    show({ dirty: true, saving: false });
    expect(target.textContent).toContain('Careful — you have unsaved changes!');
    expect(get(unsavedCount)).toBe(1);
    button('Reset').click();
    button('Save changes').click();
    expect(onreset).toHaveBeenCalledOnce();
    expect(onsave).toHaveBeenCalledOnce();
    show({ dirty: true, saving: true });
    expect(get(unsavedCount)).toBe(1);
    expect(button('Saving…').disabled).toBe(true);
    expect(button('Reset').disabled).toBe(true);
    show({ dirty: true, saving: false, error: 'name: too long' });
    expect(target.querySelector('[role=alert]')?.textContent).toBe('name: too long');
    if (app) unmount(app);
    app = null;
    expect(get(unsavedCount)).toBe(0);
  });
});

describe('SettingsLayout', () => {
  const sections = [
    { id: 'a', label: 'Alpha', group: 'One' },
    { id: 'b', label: 'Beta', group: 'One' },
    { id: 'x', label: 'Log out', danger: true },
  ];
  const children = createRawSnippet(() => ({ render: () => '<p class="body">content</p>' }));

  it('lists sections under their group, marks the current one, and selects', () => {
    const onselect = vi.fn();
    const onclose = vi.fn();
    app = mount(SettingsLayout, { target, props: { title: 'User settings', sections, current: 'a', onselect, onclose, children } });
    flushSync();
    expect(target.querySelector('nav')?.getAttribute('aria-label')).toBe('User settings sections');
    expect(target.querySelector('.group-label')?.textContent).toBe('One');
    expect(target.querySelector('[aria-current=page]')?.textContent?.trim()).toBe('Alpha');
    expect(target.querySelector('.section-title')?.textContent).toBe('Alpha');
    expect(target.querySelector('.body')?.textContent).toBe('content');
    (target.querySelectorAll('.nav-item')[1] as HTMLButtonElement).click();
    expect(onselect).toHaveBeenCalledWith('b');
    (target.querySelector('[aria-label="Close User settings"][aria-keyshortcuts]') as HTMLButtonElement).click();
    expect(onclose).toHaveBeenCalledOnce();
    // Esc arrives as the dialog's cancel event.
    target.querySelector('dialog')?.dispatchEvent(new Event('cancel', { cancelable: true }));
    expect(onclose).toHaveBeenCalledTimes(2);
  });

  it('will not switch section or close while changes are unsaved', () => {
    const onselect = vi.fn();
    const onclose = vi.fn();
    app = mount(SettingsLayout, { target, props: { title: 'T', sections, current: 'a', onselect, onclose, children } });
    flushSync();
    const done = markUnsaved();
    (target.querySelectorAll('.nav-item')[1] as HTMLButtonElement).click();
    (target.querySelector('[aria-keyshortcuts]') as HTMLButtonElement).click();
    expect(onselect).not.toHaveBeenCalled();
    expect(onclose).not.toHaveBeenCalled();
    done();
    (target.querySelectorAll('.nav-item')[1] as HTMLButtonElement).click();
    expect(onselect).toHaveBeenCalledWith('b');
  });
});

describe('ProfileSection', () => {
  it('validates, sends only the changed field, and shows the server’s field errors', async () => {
    session.set({ token: 't', user: { ...me } });
    const calls: { method: string; url: string; body: unknown }[] = [];
    let answer: () => Response = () => json({ ...me, global_name: 'Ada Lovelace' });
    vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
      calls.push({ method: init.method ?? 'GET', url, body: init.body ? JSON.parse(init.body as string) : undefined });
      return answer();
    });
    app = mount(ProfileSection, { target });
    await settle();
    const name = target.querySelector('#pf-name') as HTMLInputElement;
    expect(name.value).toBe('Ada');
    expect(target.querySelector('[aria-label="Unsaved changes"]')).toBeNull();

    type(name, 'x'.repeat(33));
    expect(target.querySelector('#pf-name-error')?.textContent).toMatch(/at most 32/);
    button('Save changes').click();
    await settle();
    expect(calls).toHaveLength(0);

    type(name, 'Ada Lovelace ');
    expect(target.querySelector('#pf-name-error')).toBeNull();
    expect(target.querySelector('.name')?.textContent).toBe('Ada Lovelace');
    button('Save changes').click();
    await settle();
    expect(calls).toEqual([{ method: 'PATCH', url: '/api/v1/users/@me', body: { global_name: 'Ada Lovelace' } }]);
    expect(get(session).user?.global_name).toBe('Ada Lovelace');
    expect(target.querySelector('[aria-label="Unsaved changes"]')).toBeNull();

    answer = () => json({ error: { code: 'VALIDATION_FAILED', message: 'validation failed', fields: { pronouns: 'control or invisible formatting characters' } } }, 400);
    type(target.querySelector('#pf-pronouns') as HTMLInputElement, 'she/her');
    button('Save changes').click();
    await settle();
    expect(target.querySelector('#pf-pronouns-error')?.textContent).toBe('control or invisible formatting characters');
    expect(target.querySelector('[aria-label="Unsaved changes"]')?.textContent).toContain('The server refused some fields.');

    button('Reset').click();
    flushSync();
    expect((target.querySelector('#pf-pronouns') as HTMLInputElement).value).toBe('');
    expect(target.querySelector('[aria-label="Unsaved changes"]')).toBeNull();
  });
});

describe('PasswordSection', () => {
  it('checks the confirmation and shows a wrong current password under its field', async () => {
    session.set({ token: 't', user: { ...me } });
    const bodies: unknown[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      bodies.push(JSON.parse(init.body as string));
      return json({ error: { code: 'VALIDATION_FAILED', message: 'validation failed', fields: { current_password: 'is not correct' } } }, 400);
    });
    app = mount(PasswordSection, { target });
    flushSync();
    type(target.querySelector('#pw-current') as HTMLInputElement, 'wrong-one');
    type(target.querySelector('#pw-new') as HTMLInputElement, 'Correct horse battery');
    expect(target.querySelector('#pw-strength')?.textContent).toContain('Strong');
    type(target.querySelector('#pw-confirm') as HTMLInputElement, 'Correct horse');
    expect(target.querySelector('#pw-confirm-error')?.textContent).toBe('Does not match the new password');
    (target.querySelector('form') as HTMLFormElement).requestSubmit();
    await settle();
    expect(bodies).toHaveLength(0);
    type(target.querySelector('#pw-confirm') as HTMLInputElement, 'Correct horse battery');
    (target.querySelector('form') as HTMLFormElement).requestSubmit();
    await settle();
    expect(bodies).toEqual([{ current_password: 'wrong-one', new_password: 'Correct horse battery' }]);
    expect(target.querySelector('#pw-current-error')?.textContent).toBe('is not correct');
  });
});
