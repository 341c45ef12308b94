/**
 * Focus rules around the composer: typing a printable key anywhere outside a field moves focus to
 * the message input (as Discord does), and closing the emoji picker gives focus back to it unless
 * the user sent focus elsewhere on purpose.
 */

/** Where a typed key belongs to something else: fields, dialogs and composite widgets. */
const OWNS_KEYS =
  'input, textarea, select, [contenteditable=""], [contenteditable="true"], [role=dialog], [role=menu], [role=listbox], [role=grid], [role=tree], [role=tablist], [role=radiogroup]';

export interface TypeToFocusContext {
  /** The message input is there and enabled. */
  inputReady: boolean;
  /** An app overlay (settings, quick switcher…) or the emoji picker is open. */
  overlayOpen: boolean;
  pickerOpen: boolean;
  doc: Document;
}

/** Whether a keydown on the document should move focus to the message input. */
export function typingShouldFocus(e: Pick<KeyboardEvent, 'key' | 'defaultPrevented' | 'ctrlKey' | 'metaKey' | 'altKey' | 'isComposing' | 'target'>, ctx: TypeToFocusContext): boolean {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return false;
  if (e.key.length !== 1 || e.key === ' ') return false;
  if (!ctx.inputReady || ctx.overlayOpen || ctx.pickerOpen) return false;
  const t = e.target as Element | null;
  if (t && t !== ctx.doc.body && typeof t.closest === 'function' && t.closest(OWNS_KEYS)) return false;
  return !ctx.doc.querySelector('[aria-modal="true"]');
}

/** After the picker closed: back to the input, unless focus went somewhere else (Tab out, a click). */
export function shouldReturnFocus(active: Element | null, body: Element | null, input: Element | null): boolean {
  return !active || active === body || active === input;
}
