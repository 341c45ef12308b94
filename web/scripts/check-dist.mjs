// Fails the build if dist/index.html holds anything the server's CSP would block:
// inline scripts, inline style elements or attributes, or event-handler attributes.
import { readFileSync } from 'node:fs';

const html = readFileSync(new URL('../dist/index.html', import.meta.url), 'utf8');
const problems = [];
for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
  if (!/\bsrc=/.test(m[1] ?? '') || (m[2] ?? '').trim() !== '') problems.push('inline <script>');
}
if (/<style\b/i.test(html)) problems.push('inline <style>');
if (/\sstyle=/i.test(html)) problems.push('style= attribute');
if (/\son[a-z]+=/i.test(html)) problems.push('event-handler attribute');
if (/\b(src|href)=["']data:/i.test(html)) problems.push('data: URL');
if (problems.length) {
  console.error('dist/index.html violates the CSP: ' + problems.join(', '));
  process.exit(1);
}
console.log('dist/index.html: CSP-clean (no inline script or style)');
