import { publicBaseUrl, tokenRealm } from './public-url';

// The token realm and the portal's origin check are built from this base URL; it must parse
// whatever address Wharf listens on.

const config = (host: string, publicUrl?: string) => ({ host, port: 5000, auth: { publicUrl } }) as unknown as Parameters<typeof publicBaseUrl>[0];
const request = (host?: string) => ({ protocol: 'http', headers: host === undefined ? {} : { host } }) as unknown as Parameters<typeof publicBaseUrl>[1];

describe('publicBaseUrl', () => {
  it('is WHARF_PUBLIC_URL when set, whatever the request says', () => {
    expect(publicBaseUrl(config('127.0.0.1', 'https://registry.example.com'), request('evil.example.com'))).toBe('https://registry.example.com');
  });

  it("is the request's own Host otherwise, an IPv6 literal as the client sent it", () => {
    expect(publicBaseUrl(config('0.0.0.0'), request('registry.local:5000'))).toBe('http://registry.local:5000');
    expect(tokenRealm(config('::'), request('[::1]:5000'))).toBe('http://[::1]:5000/token');
  });

  it.each([
    ['127.0.0.1', 'http://127.0.0.1:5000'],
    ['::1', 'http://[::1]:5000'],
    ['::', 'http://[::]:5000'],
    ['fe80::1', 'http://[fe80::1]:5000'],
  ])('without a Host header (HTTP/1.0), is the address Wharf listens on (%s), one that parses as a URL', (host, expected) => {
    const base = publicBaseUrl(config(host), request());
    expect(base).toBe(expected);
    expect(new URL(base).origin).toBe(expected);
  });
});
