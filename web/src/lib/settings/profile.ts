/** The profile form: what the user edits, its bounds, and the PATCH /users/@me body it makes. */
import type { components } from '../api/schema';
import { collectErrors, normalizeText, textError, type TextRule } from './text';

type CurrentUser = components['schemas']['CurrentUser'];
type UpdateCurrentUser = components['schemas']['UpdateCurrentUser'];

/** Bounds from docs/api.md (PATCH /users/@me). */
export const PROFILE_RULES = {
  global_name: { min: 0, max: 32 },
  pronouns: { min: 0, max: 40 },
  bio: { min: 0, max: 190, multiline: true },
} satisfies Record<string, TextRule>;

export interface ProfileDraft {
  global_name: string;
  pronouns: string;
  bio: string;
}

export type ProfileField = keyof ProfileDraft;

export function profileDraft(user: Pick<CurrentUser, 'global_name' | 'pronouns' | 'bio'>): ProfileDraft {
  return { global_name: user.global_name ?? '', pronouns: user.pronouns ?? '', bio: user.bio ?? '' };
}

/** Bio keeps its inner newlines; the server trims and NFC-normalises every field. */
function norm(field: ProfileField, v: string): string {
  return field === 'bio' ? v.trim().normalize('NFC') : normalizeText(v);
}

/** Only the fields that change what is stored; `global_name` emptied becomes null (clears it). */
export function profilePatch(saved: ProfileDraft, draft: ProfileDraft): UpdateCurrentUser {
  const body: UpdateCurrentUser = {};
  if (norm('global_name', draft.global_name) !== norm('global_name', saved.global_name)) {
    const v = norm('global_name', draft.global_name);
    body.global_name = v === '' ? null : v;
  }
  if (norm('pronouns', draft.pronouns) !== norm('pronouns', saved.pronouns)) body.pronouns = norm('pronouns', draft.pronouns);
  if (norm('bio', draft.bio) !== norm('bio', saved.bio)) body.bio = norm('bio', draft.bio);
  return body;
}

export function profileDirty(saved: ProfileDraft, draft: ProfileDraft): boolean {
  return Object.keys(profilePatch(saved, draft)).length > 0;
}

export function profileErrors(draft: ProfileDraft): Partial<Record<ProfileField, string>> {
  return collectErrors<ProfileField>([
    ['global_name', textError(draft.global_name, PROFILE_RULES.global_name)],
    ['pronouns', textError(draft.pronouns, PROFILE_RULES.pronouns)],
    ['bio', textError(draft.bio, PROFILE_RULES.bio)],
  ]);
}
