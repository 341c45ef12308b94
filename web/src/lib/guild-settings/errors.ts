/** What to show when the server refuses: its message, with each field problem spelled out. */
import { ApiError } from '../api/client';

/** "keyword_filter[2]: is longer than 60 characters" — the field path made readable. */
function fieldLabel(path: string): string {
  return path.replace(/^trigger_metadata\./, '').replace(/_/g, ' ');
}

export function describeError(e: unknown): string {
  if (e instanceof ApiError) {
    const fields = Object.entries(e.fields ?? {});
    if (fields.length) return fields.map(([k, v]) => (k === 'body' ? v : `${fieldLabel(k)}: ${v}`)).join('; ');
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/** A field problem from a failed request, by API field name (for showing it next to the input). */
export function fieldError(e: unknown, field: string): string | undefined {
  return e instanceof ApiError ? e.fields?.[field] : undefined;
}
