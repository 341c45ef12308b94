/** The instance settings form (admin): bounds from docs/api.md and the PATCH /admin/settings body. */
import type { components } from '../api/schema';
import { collectErrors, normalizeText, textError, type TextRule } from './text';

type S = components['schemas'];
export type InstanceSettings = S['InstanceSettings'];
export type RegistrationMode = S['RegistrationMode'];

export const INSTANCE_RULES = {
  name: { min: 1, max: 100 },
  description: { min: 0, max: 1000, multiline: true },
  terms: { min: 0, max: 20_000, markdown: true },
  privacy: { min: 0, max: 20_000, markdown: true },
} satisfies Record<string, TextRule>;

export const REGISTRATION_MODES: { value: RegistrationMode; label: string; help: string }[] = [
  { value: 'open', label: 'Open', help: 'Anyone who can reach this server may create an account.' },
  { value: 'invite', label: 'Invite only', help: 'New accounts need an instance invite code, made under Invites.' },
  { value: 'closed', label: 'Closed', help: 'Nobody may register. Existing accounts keep working.' },
];

export type InstanceField = 'name' | 'description' | 'terms' | 'privacy' | 'registration_mode';

function norm(field: InstanceField, v: string): string {
  if (field === 'terms' || field === 'privacy') return v.trim().replace(/\r\n/g, '\n');
  if (field === 'registration_mode') return v;
  return normalizeText(v);
}

const FIELDS: InstanceField[] = ['registration_mode', 'name', 'description', 'terms', 'privacy'];

/** Only the fields whose stored value would change. */
export function instancePatch(saved: InstanceSettings, draft: InstanceSettings): S['UpdateInstanceSettings'] {
  const body: S['UpdateInstanceSettings'] = {};
  for (const f of FIELDS) {
    const a = norm(f, saved[f]);
    const b = norm(f, draft[f]);
    if (a === b) continue;
    if (f === 'registration_mode') body.registration_mode = draft.registration_mode;
    else body[f] = b;
  }
  return body;
}

export function instanceDirty(saved: InstanceSettings, draft: InstanceSettings): boolean {
  return Object.keys(instancePatch(saved, draft)).length > 0;
}

export function instanceErrors(d: InstanceSettings): Partial<Record<InstanceField, string>> {
  return collectErrors<InstanceField>([
    ['name', textError(d.name, INSTANCE_RULES.name)],
    ['description', textError(d.description, INSTANCE_RULES.description)],
    ['terms', textError(d.terms, INSTANCE_RULES.terms)],
    ['privacy', textError(d.privacy, INSTANCE_RULES.privacy)],
    ['registration_mode', REGISTRATION_MODES.some((m) => m.value === d.registration_mode) ? null : 'Pick a mode'],
  ]);
}
