import { describe, it, expect } from 'vitest';
import { linkHost, textShowsHost } from './links';

describe('masked links', () => {
  it('knows the host a link opens (punycode for international names)', () => {
    expect(linkHost('https://Example.org/a')).toBe('example.org');
    expect(linkHost('https://bücher.example/')).toBe('xn--bcher-kva.example');
    expect(linkHost('not a url')).toBe('');
  });

  it('trusts text that names the host, or a parent domain of it', () => {
    expect(textShowsHost('https://example.org/x', 'https://example.org/x')).toBe(true);
    expect(textShowsHost('see example.org', 'https://example.org/page')).toBe(true);
    expect(textShowsHost('www.example.org', 'https://example.org/')).toBe(true);
    expect(textShowsHost('example.org', 'https://docs.example.org/')).toBe(true);
    expect(textShowsHost('(https://EXAMPLE.org).', 'https://example.org/')).toBe(true);
    expect(textShowsHost('bücher.example', 'https://xn--bcher-kva.example/')).toBe(true);
  });

  it('does not trust text that names another host, or none', () => {
    expect(textShowsHost('https://bank.example', 'https://evil.example/')).toBe(false);
    expect(textShowsHost('bank.example', 'https://evil.example/')).toBe(false);
    expect(textShowsHost('click here', 'https://evil.example/')).toBe(false);
    expect(textShowsHost('evil.example.bank.example', 'https://evil.example/')).toBe(false);
    expect(textShowsHost('notexample.org', 'https://example.org/')).toBe(false);
    expect(textShowsHost('example.org', 'https://example.org.evil.example/')).toBe(false);
    expect(textShowsHost('', 'https://example.org/')).toBe(false);
  });
});
