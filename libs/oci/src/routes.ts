import { isRepositoryName } from './names';

/**
 * A request path under `/v2`, parsed from the right: repository names contain slashes and
 * may contain words such as `blobs` or `manifests`, so the route is decided by the last
 * segments and whatever precedes them is the name.
 */
export type RegistryRoute =
  | { readonly kind: 'base' }
  | { readonly kind: 'catalog' }
  | { readonly kind: 'tags'; readonly name: string }
  | { readonly kind: 'manifest'; readonly name: string; readonly reference: string }
  | { readonly kind: 'blob'; readonly name: string; readonly digest: string }
  | { readonly kind: 'uploads'; readonly name: string }
  | { readonly kind: 'upload'; readonly name: string; readonly uploadId: string }
  | { readonly kind: 'referrers'; readonly name: string; readonly digest: string };

export type ParsedRoute = { readonly ok: true; readonly route: RegistryRoute } | { readonly ok: false; readonly reason: 'no-route' | 'bad-name'; readonly name?: string };

function decodeSegments(path: string): string[] | undefined {
  try {
    return path.split('/').map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

/** `path` is the part after `/v2/` without the query string. */
export function parseRegistryPath(path: string): ParsedRoute {
  if (path === '' || path === '/') return { ok: true, route: { kind: 'base' } };
  const segments = decodeSegments(path);
  if (!segments) return { ok: false, reason: 'no-route' };
  // Checked after decoding, like every other keyword (`%5Fcatalog` is `_catalog`).
  if (segments.length === 1 && segments[0] === '_catalog') return { ok: true, route: { kind: 'catalog' } };
  const n = segments.length;
  const at = (i: number) => segments[n - i] ?? '';

  let nameEnd: number;
  let route: (name: string) => RegistryRoute;
  if (at(2) === 'tags' && at(1) === 'list') {
    nameEnd = n - 2;
    route = (name) => ({ kind: 'tags', name });
  } else if (at(2) === 'manifests') {
    nameEnd = n - 2;
    route = (name) => ({ kind: 'manifest', name, reference: at(1) });
  } else if (at(2) === 'blobs' && at(1) === 'uploads') {
    nameEnd = n - 2;
    route = (name) => ({ kind: 'uploads', name });
  } else if (at(3) === 'blobs' && at(2) === 'uploads') {
    nameEnd = n - 3;
    route = at(1) === '' ? (name) => ({ kind: 'uploads', name }) : (name) => ({ kind: 'upload', name, uploadId: at(1) });
  } else if (at(2) === 'blobs') {
    nameEnd = n - 2;
    route = (name) => ({ kind: 'blob', name, digest: at(1) });
  } else if (at(2) === 'referrers') {
    nameEnd = n - 2;
    route = (name) => ({ kind: 'referrers', name, digest: at(1) });
  } else {
    return { ok: false, reason: 'no-route' };
  }
  if (nameEnd < 1) return { ok: false, reason: 'no-route' };
  const name = segments.slice(0, nameEnd).join('/');
  if (!isRepositoryName(name)) return { ok: false, reason: 'bad-name', name };
  return { ok: true, route: route(name) };
}
