// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { shouldReturnFocus, typingShouldFocus, type TypeToFocusContext } from './focus';

afterEach(() => {
  document.body.innerHTML = '';
});

const ctx = (c: Partial<TypeToFocusContext> = {}): TypeToFocusContext => ({ inputReady: true, overlayOpen: false, pickerOpen: false, doc: document, ...c });
function press(key: string, target: EventTarget, init: KeyboardEventInit = {}): KeyboardEvent {
  const e = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  Object.defineProperty(e, 'target', { value: target });
  return e;
}

describe('typingShouldFocus', () => {
  it('takes printable keys typed on the page', () => {
    const btn = document.body.appendChild(document.createElement('button'));
    expect(typingShouldFocus(press('a', document.body), ctx())).toBe(true);
    expect(typingShouldFocus(press('Z', btn), ctx())).toBe(true);
  });

  it('leaves shortcuts, special keys and the space bar alone', () => {
    for (const init of [{ ctrlKey: true }, { metaKey: true }, { altKey: true }, { isComposing: true }]) expect(typingShouldFocus(press('a', document.body, init), ctx())).toBe(false);
    for (const key of ['Enter', 'ArrowUp', 'Tab', ' ', 'F5']) expect(typingShouldFocus(press(key, document.body), ctx())).toBe(false);
    const e = press('a', document.body);
    e.preventDefault();
    expect(typingShouldFocus(e, ctx())).toBe(false);
  });

  it('leaves keys to fields, dialogs and composite widgets', () => {
    for (const html of ['<input>', '<textarea></textarea>', '<select></select>', '<div contenteditable="true"><span></span></div>', '<div role="menu"><button></button></div>', '<div role="listbox"><div role="option"></div></div>']) {
      document.body.innerHTML = html;
      const el = (document.body.querySelector('span, button, [role=option]') ?? document.body.firstElementChild) as Element;
      expect(typingShouldFocus(press('a', el), ctx())).toBe(false);
    }
  });

  it('not while an overlay, the picker or a modal is open, nor without an enabled input', () => {
    expect(typingShouldFocus(press('a', document.body), ctx({ overlayOpen: true }))).toBe(false);
    expect(typingShouldFocus(press('a', document.body), ctx({ pickerOpen: true }))).toBe(false);
    expect(typingShouldFocus(press('a', document.body), ctx({ inputReady: false }))).toBe(false);
    document.body.innerHTML = '<div aria-modal="true"></div>';
    expect(typingShouldFocus(press('a', document.body), ctx())).toBe(false);
  });
});

describe('shouldReturnFocus', () => {
  it('returns focus unless the user moved it elsewhere', () => {
    const input = document.body.appendChild(document.createElement('textarea'));
    const other = document.body.appendChild(document.createElement('button'));
    expect(shouldReturnFocus(null, document.body, input)).toBe(true);
    expect(shouldReturnFocus(document.body, document.body, input)).toBe(true);
    expect(shouldReturnFocus(input, document.body, input)).toBe(true);
    expect(shouldReturnFocus(other, document.body, input)).toBe(false);
  });
});
