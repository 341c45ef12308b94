/**
 * Masked links (docs/markdown.md, "Links"): a link whose text does not show where it goes gets its
 * real host shown beside it and a confirmation before it opens.
 */

/** The host a link opens (punycode for international names, so look-alikes show as what they are). */
export function linkHost(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

const bare = (host: string): string => host.toLowerCase().replace(/^www\./, '').replace(/\.$/, '');

/** The hosts a link's text names: URLs and domain-looking words. */
function hostsIn(text: string): string[] {
  const out: string[] = [];
  for (let word of text.split(/\s+/)) {
    word = word.replace(/^[("'<[{]+/, '').replace(/[)"'>\]}.,;:!?]+$/, '');
    if (word === '') continue;
    const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(word);
    if (!hasScheme && !/^[^/?#@\s]+\.[^/?#@\s.]{2,}/.test(word)) continue;
    try {
      const host = new URL(hasScheme ? word : 'http://' + word).hostname;
      if (host) out.push(bare(host));
    } catch {
      /* not a URL */
    }
  }
  return out;
}

/**
 * Whether a link's text shows the host it opens: the text names that host (or a parent domain of it,
 * which controls it). An auto-link's text is its URL, so it always does.
 */
export function textShowsHost(text: string, url: string): boolean {
  const host = bare(linkHost(url));
  if (host === '') return false;
  return hostsIn(text).some((h) => h === host || host.endsWith('.' + h));
}
