/**
 * Paths of the URL source. The data proxy route fixes scheme and host to the administrator's base URL;
 * a path is checked here as well, so that an editor gets a clear message rather than a proxy error,
 * and can never name another host or climb above the base.
 */
export type PathCheck = { ok: true; path: string } | { ok: false; message: string };

export function checkUrlPath(raw: string): PathCheck {
  const path = raw.trim().replace(/^\/+/, '');
  if (path === '') {
    return { ok: false, message: 'Enter the path of a file under the base URL.' };
  }
  if (/[\u0000-\u001f\\]/.test(path)) {
    return { ok: false, message: 'The path contains control characters or backslashes.' };
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || raw.trim().startsWith('//')) {
    return {
      ok: false,
      message: 'Give a path under the base URL, not a URL: the host is set in the data source settings.',
    };
  }
  const [pathname, query] = path.split(/\?(.*)/s, 2);
  let segments: string[];
  try {
    segments = pathname.split('/').map((s) => decodeURIComponent(s));
  } catch {
    return { ok: false, message: 'The path has a broken percent-encoding.' };
  }
  if (segments.some((s) => s === '..' || s === '.' || s.includes('/') || s.includes('\\'))) {
    return { ok: false, message: 'The path may not contain "." or ".." segments: it must stay under the base URL.' };
  }
  const encoded = segments.map((s) => encodeURIComponent(s)).join('/');
  // The query string is passed on as written (pre-signed URLs carry %-escapes that must stay as
  // they are); only characters that may not stand in a URL are escaped.
  const search =
    query === undefined
      ? ''
      : `?${query.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/g, encodeURIComponent)}`;
  return { ok: true, path: `${encoded}${search}` };
}
