import { isServerPath } from './portal.service';

describe('isServerPath', () => {
  it.each(['/v2', '/v2/', '/v2/acme/app/manifests/latest', '/v2?x=1', '/token', '/token?service=wharf', '/api', '/api/v1/orgs', '/api/docs', '/.well-known/jwks.json', '/healthz', '/readyz'])(
    'keeps %s for the server',
    (url) => expect(isServerPath(url)).toBe(true),
  );

  it.each(['/', '/sign-in?next=%2Forgs', '/orgs', '/repositories/acme/app', '/_next/static/chunks/main.js', '/apix', '/healthz/x', '/favicon.ico'])('hands %s to the portal', (url) =>
    expect(isServerPath(url)).toBe(false),
  );
});
