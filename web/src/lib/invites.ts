/** Invite links made from the guild menu: the choices offered (the server's bounds) and their wording. */

/** `max_age` choices in seconds (server bounds: 0–604800; 0 never expires). */
export const EXPIRY_CHOICES: { seconds: number; label: string }[] = [
  { seconds: 1800, label: '30 minutes' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 21600, label: '6 hours' },
  { seconds: 43200, label: '12 hours' },
  { seconds: 86400, label: '1 day' },
  { seconds: 604800, label: '7 days' },
  { seconds: 0, label: 'Never' },
];

/** `max_uses` choices (server bounds: 0–100; 0 unlimited). */
export const USES_CHOICES: number[] = [0, 1, 5, 10, 25, 50, 100];

export function inviteLink(origin: string, code: string): string {
  return `${origin}/invite/${encodeURIComponent(code)}`;
}

function duration(seconds: number): string {
  const c = EXPIRY_CHOICES.find((x) => x.seconds === seconds);
  if (c) return c.label;
  if (seconds % 86400 === 0) return `${seconds / 86400} days`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hours`;
  return `${Math.max(1, Math.round(seconds / 60))} minutes`;
}

/** "Your invite link expires in 7 days." and its use limit. */
export function expiryText(maxAge: number, maxUses: number): string {
  const when = maxAge > 0 ? `expires in ${duration(maxAge)}` : 'never expires';
  const uses = maxUses > 0 ? ` and works ${maxUses === 1 ? 'once' : `${maxUses} times`}` : '';
  return `Your invite link ${when}${uses}.`;
}
