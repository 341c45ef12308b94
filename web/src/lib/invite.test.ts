import { describe, it, expect } from 'vitest';
import { inviteCode, inviteCodeFromPath } from './app';

describe('invite codes', () => {
  it('takes the code from a link, a path or a bare code', () => {
    expect(inviteCode('  aBc123XyZ ')).toBe('aBc123XyZ');
    expect(inviteCode('https://chat.example.org/invite/aBc123XyZ')).toBe('aBc123XyZ');
    expect(inviteCode('https://chat.example.org/invite/aBc123XyZ/?x=1#y')).toBe('aBc123XyZ');
  });

  it('recognises /invite/CODE paths only', () => {
    expect(inviteCodeFromPath('/invite/aBc123XyZ')).toBe('aBc123XyZ');
    expect(inviteCodeFromPath('/invite/aBc123XyZ/')).toBe('aBc123XyZ');
    expect(inviteCodeFromPath('/')).toBeNull();
    expect(inviteCodeFromPath('/invite/')).toBeNull();
    expect(inviteCodeFromPath('/invite/a/b')).toBeNull();
  });
});
