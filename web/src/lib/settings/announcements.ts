/** The announcement form: title one line of 1–100, content 1–4000 characters of markdown, optional expiry. */
import type { components } from '../api/schema';
import { announcementExpiryError, localInputToIso } from './format';
import { collectErrors, normalizeText, textError } from './text';

type CreateAnnouncement = components['schemas']['CreateAnnouncement'];

export const ANNOUNCEMENT_TITLE_MAX = 100;
export const ANNOUNCEMENT_CONTENT_MAX = 4000;

export interface AnnouncementDraft {
  title: string;
  content: string;
  /** `<input type="datetime-local">` value; empty: shown until deleted. */
  expires: string;
}

export type AnnouncementField = 'title' | 'content' | 'expires_at';

export function announcementErrors(d: AnnouncementDraft, now = Date.now()): Partial<Record<AnnouncementField, string>> {
  return collectErrors<AnnouncementField>([
    ['title', textError(d.title, { min: 1, max: ANNOUNCEMENT_TITLE_MAX })],
    ['content', textError(d.content, { min: 1, max: ANNOUNCEMENT_CONTENT_MAX, markdown: true })],
    ['expires_at', announcementExpiryError(d.expires, now)],
  ]);
}

export function announcementBody(d: AnnouncementDraft): CreateAnnouncement {
  const body: CreateAnnouncement = { title: normalizeText(d.title), content: d.content.trim().replace(/\r\n/g, '\n') };
  const exp = localInputToIso(d.expires);
  if (exp) body.expires_at = exp;
  return body;
}
