/** The change-password form: bounds (8–128 characters, no control characters) and a strength hint. */
import { charCount } from './text';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export interface PasswordDraft {
  current: string;
  next: string;
  confirm: string;
}

export type PasswordField = 'current_password' | 'new_password' | 'confirm';

/** Errors keyed like the server's field errors (plus `confirm`, which only the client checks). */
export function passwordErrors(d: PasswordDraft): Partial<Record<PasswordField, string>> {
  const out: Partial<Record<PasswordField, string>> = {};
  if (d.current === '') out.current_password = 'Enter your current password';
  const n = charCount(d.next);
  if (n < PASSWORD_MIN) out.new_password = `Must be at least ${PASSWORD_MIN} characters`;
  else if (n > PASSWORD_MAX) out.new_password = `Must be at most ${PASSWORD_MAX} characters`;
  else if (/\p{Cc}/u.test(d.next)) out.new_password = 'Control characters are not allowed';
  else if (d.next === d.current) out.new_password = 'Must differ from your current password';
  if (d.confirm !== d.next) out.confirm = 'Does not match the new password';
  return out;
}

export interface Strength {
  /** 0 (too short) to 4 (strong). */
  score: 0 | 1 | 2 | 3 | 4;
  label: 'Too short' | 'Weak' | 'Fair' | 'Good' | 'Strong';
  hint: string;
}

const COMMON = new Set([
  'password', 'password1', 'password123', '12345678', '123456789', '1234567890', 'qwertyuiop', 'qwerty123', 'iloveyou',
  'sunshine', 'princess', 'football', 'baseball', 'welcome1', 'letmein1', 'abc12345', 'trustno1', 'passw0rd', '11111111',
  '00000000', 'superman', 'starwars', 'whatever', 'dragon12', 'monkey12', 'asdfghjk', 'zxcvbnm1', 'changeme', 'hearth123',
]);

/** A rough guide, not a guarantee: length and variety, minus obvious patterns. */
export function passwordStrength(pw: string, username = ''): Strength {
  const len = charCount(pw);
  if (len < PASSWORD_MIN) return { score: 0, label: 'Too short', hint: `Use at least ${PASSWORD_MIN} characters.` };
  const lower = pw.toLowerCase();
  if (COMMON.has(lower) || (username.length >= 3 && lower.includes(username.toLowerCase())) || /^(.)\1+$/u.test(pw) || isSequence(lower)) {
    return { score: 1, label: 'Weak', hint: 'Avoid common passwords, your username, repeats and sequences.' };
  }
  const classes = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{L}\p{Nd}]/u].filter((r) => r.test(pw)).length;
  const unique = new Set(pw).size;
  let points = 0;
  if (len >= 10) points++;
  if (len >= 14) points++;
  if (len >= 20) points++;
  if (classes >= 2) points++;
  if (classes >= 3) points++;
  if (unique < len / 3) points--;
  if (points <= 1) return { score: 1, label: 'Weak', hint: 'Make it longer, or mix letters, digits and symbols.' };
  if (points === 2) return { score: 2, label: 'Fair', hint: 'Longer is stronger: a few unrelated words work well.' };
  if (points === 3) return { score: 3, label: 'Good', hint: 'A good password. A few more characters make it strong.' };
  return { score: 4, label: 'Strong', hint: 'A strong password.' };
}

function isSequence(s: string): boolean {
  if (s.length < 4) return false;
  const codes = [...s].map((c) => c.codePointAt(0) ?? 0);
  const step = (codes[1] ?? 0) - (codes[0] ?? 0);
  if (Math.abs(step) !== 1) return false;
  for (let i = 2; i < codes.length; i++) if ((codes[i] ?? 0) - (codes[i - 1] ?? 0) !== step) return false;
  return true;
}
