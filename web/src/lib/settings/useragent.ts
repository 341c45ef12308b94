/** Turn a session's User-Agent into a name a person recognises ("Firefox 128 on Windows"). */

export type DeviceKind = 'desktop' | 'phone' | 'tablet' | 'other';

export interface ClientDescription {
  /** "Chrome 131 on macOS", "Safari on iPhone", "curl 8.5", or "Unknown client". */
  name: string;
  browser: string | null;
  os: string | null;
  kind: DeviceKind;
}

function major(ua: string, re: RegExp): string {
  const m = re.exec(ua);
  return m?.[1] ? ' ' + m[1] : '';
}

function browserOf(ua: string): string | null {
  if (/HeadlessChrome\//.test(ua)) return 'Headless Chrome' + major(ua, /HeadlessChrome\/(\d+)/);
  if (/Edg(?:e|A|iOS)?\//.test(ua)) return 'Edge' + major(ua, /Edg(?:e|A|iOS)?\/(\d+)/);
  if (/OPR\/|Opera/.test(ua)) return 'Opera' + major(ua, /OPR\/(\d+)/);
  if (/SamsungBrowser\//.test(ua)) return 'Samsung Internet' + major(ua, /SamsungBrowser\/(\d+)/);
  if (/Vivaldi\//.test(ua)) return 'Vivaldi' + major(ua, /Vivaldi\/(\d+)/);
  if (/Firefox\/|FxiOS\//.test(ua)) return 'Firefox' + major(ua, /(?:Firefox|FxiOS)\/(\d+)/);
  if (/CriOS\//.test(ua)) return 'Chrome' + major(ua, /CriOS\/(\d+)/);
  if (/Chromium\//.test(ua)) return 'Chromium' + major(ua, /Chromium\/(\d+)/);
  if (/Chrome\//.test(ua)) return 'Chrome' + major(ua, /Chrome\/(\d+)/);
  if (/Safari\//.test(ua) && /Version\//.test(ua)) return 'Safari' + major(ua, /Version\/(\d+)/);
  if (/Electron\//.test(ua)) return 'Electron' + major(ua, /Electron\/(\d+)/);
  return null;
}

function osOf(ua: string): { os: string | null; kind: DeviceKind } {
  if (/iPhone|iPod/.test(ua)) return { os: 'iPhone', kind: 'phone' };
  if (/iPad/.test(ua)) return { os: 'iPad', kind: 'tablet' };
  if (/Android/.test(ua)) return { os: 'Android', kind: /Mobile/.test(ua) ? 'phone' : 'tablet' };
  if (/CrOS/.test(ua)) return { os: 'ChromeOS', kind: 'desktop' };
  if (/Windows/.test(ua)) return { os: 'Windows', kind: 'desktop' };
  if (/Mac OS X|Macintosh/.test(ua)) return { os: 'macOS', kind: 'desktop' };
  if (/Linux|X11|FreeBSD|OpenBSD/.test(ua)) return { os: /FreeBSD/.test(ua) ? 'FreeBSD' : /OpenBSD/.test(ua) ? 'OpenBSD' : 'Linux', kind: 'desktop' };
  return { os: null, kind: 'other' };
}

/** Tools and libraries that name themselves first ("curl/8.5.0"). */
const TOOLS: [RegExp, string][] = [
  [/^curl\/(\d+(?:\.\d+)?)/i, 'curl'],
  [/^Wget\/(\d+(?:\.\d+)?)/i, 'Wget'],
  [/^python-requests\/(\d+(?:\.\d+)?)/i, 'Python requests'],
  [/^python-httpx\/(\d+(?:\.\d+)?)/i, 'Python httpx'],
  [/^Python-urllib\/(\d+(?:\.\d+)?)/i, 'Python'],
  [/^(?:node-fetch|undici)(?:\/(\d+))?/i, 'Node.js'],
  [/^node(?:\/(\d+))?/i, 'Node.js'],
  [/^Go-http-client\/(\d+(?:\.\d+)?)/i, 'Go'],
  [/^okhttp\/(\d+(?:\.\d+)?)/i, 'OkHttp'],
  [/^reqwest(?:\/(\d+(?:\.\d+)?))?/i, 'Rust reqwest'],
  [/^PostmanRuntime\/(\d+(?:\.\d+)?)/i, 'Postman'],
  [/^insomnia\/(\d+(?:\.\d+)?)/i, 'Insomnia'],
];

export function describeClient(ua: string | null | undefined): ClientDescription {
  const s = (ua ?? '').trim();
  if (!s) return { name: 'Unknown client', browser: null, os: null, kind: 'other' };
  for (const [re, label] of TOOLS) {
    const m = re.exec(s);
    if (m) {
      const name = label + (m[1] ? ' ' + m[1] : '');
      return { name, browser: null, os: null, kind: 'other' };
    }
  }
  const browser = browserOf(s);
  const { os, kind } = osOf(s);
  if (browser && os) return { name: `${browser} on ${os}`, browser, os, kind };
  if (browser) return { name: browser, browser, os, kind };
  if (os) return { name: `Unknown browser on ${os}`, browser, os, kind };
  // Something else: show its own first word, shortened.
  const first = s.split(/\s+/)[0] ?? s;
  return { name: first.length > 40 ? first.slice(0, 39) + '…' : first, browser: null, os: null, kind: 'other' };
}
