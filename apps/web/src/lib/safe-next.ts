/**
 * Where to go after signing in: only a same-origin relative path (`/orgs/acme?tab=robots`).
 * Anything else — another origin (`https://evil`), a protocol-relative URL (`//evil`), a
 * backslash that browsers read as a slash (`/\evil`), a scheme (`javascript:`), control
 * characters — answers `/` (reliability.md §4(a) row 32).
 */
export function safeNext(target: string | null | undefined): string {
  if (typeof target !== 'string' || target.length === 0 || target.length > 2048) return '/';
  if (!target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return '/';
  // Browsers drop tabs and newlines inside URLs and treat backslashes as slashes.
  if (/[\u0000-\u001f\u007f\\]/.test(target)) return '/';
  try {
    const base = 'http://portal.invalid';
    const url = new URL(target, base);
    if (url.origin !== base) return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}
